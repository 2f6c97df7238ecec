/* The connection tracker: every TCP connection followed through the
 * states of both its ends (RFC 9293), as the capture point sees them.
 *
 * A capture point sees a segment slightly before (for the sender) or
 * after (for the receiver) the far end does, so states are inferred with
 * one rule: an end's state changes when it sends a segment, or when it
 * receives the acknowledgment of its own SYN or FIN; the receipt of a
 * SYN or FIN shows in the receiver's state when it acknowledges it. */
#ifndef PKL_CONNTRACK_H
#define PKL_CONNTRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "exchange.h"
#include "findings.h"
#include "packet.h"
#include "tcp_analysis.h"
#include "tcp_state.h"

enum { PKL_CLIENT = 0, PKL_SERVER = 1 };

/* What a table entry follows (exchange.h describes all but TCP).  TCP is
 * the zero value, so a fresh entry is a TCP connection. */
enum pkl_conn_kind {
	PKL_KIND_TCP,
	PKL_KIND_UDP,
	PKL_KIND_ECHO,
	PKL_KIND_ARP,
	PKL_KIND_ARP_BINDING,
	PKL_KIND_COUNT
};

/* Either end of a conversation of any kind. */
struct pkl_conn_end {
	uint8_t addr[16];
	uint16_t port;
	uint64_t frames, bytes;
};

/* An end of a TCP connection.  What every segment reads comes first. */
struct pkl_tcp_end {
	struct pkl_tcp_flow flow;  /* the sequence analysis of what it sends */
	uint32_t base_seq;         /* relative numbers count from here: ISN, or first seen - 1 */
	uint32_t isn;
	uint32_t fin_seq;          /* sequence number of its FIN */
	uint16_t mss;              /* it announced in its SYN; 0: not seen */
	uint8_t state;             /* enum pkl_tcp_state */
	uint8_t ttl;               /* of its latest packet: a change is worth a note */
	bool base_valid, syn_seen, fin_sent, fin_acked;
	bool syn_acked;            /* the peer acknowledged its SYN */
	/* Message boundaries: the kind of its latest data segment, and the
	 * frame whose pure ACK covered all it had sent after a small one. */
	bool last_small, last_full, last_oversize;
	uint64_t drained_frame, drained_ns;
};

/* A table entry: what every kind has, then the state of its own kind,
 * TCP's or an exchange's, sharing the space (an entry is as large as the
 * largest kind needs, and the table holds a million by default; a TCP
 * connection that has seen one segment is kept smaller inside the
 * tracker, and is whole again wherever an entry is handed out).  Fields
 * are ordered so that a TCP segment touches as few cache lines as it
 * can: the key and counters, then both ends, then the rest. */
struct pkl_conn {
	uint64_t id;               /* counted per kind (see pkl_conntrack_next_id) */
	uint8_t kind;              /* enum pkl_conn_kind */
	uint8_t family;            /* 4 or 6 */
	uint8_t lru_list;          /* which of the table's idle lists holds it */
	uint16_t nursery;          /* 1 + its slot among the newest connections; 0: none */
	struct pkl_conn_end end[2]; /* [PKL_CLIENT], [PKL_SERVER] */
	uint64_t last_frame;
	int64_t last_sec;
	uint32_t last_nsec, first_nsec;
	uint64_t first_frame;
	int64_t first_sec;
	union {
		struct {           /* kind PKL_KIND_TCP */
			struct pkl_tcp_end tcp[2];   /* [PKL_CLIENT], [PKL_SERVER] */
			bool roles_inferred;       /* no SYN seen: roles guessed */
			bool established;          /* the handshake completed (or was not seen) */
			bool simultaneous_open;
			bool half_open;            /* counted among its server's half-open handshakes */
			int8_t first_closer;       /* -1 none, else PKL_CLIENT/PKL_SERVER */
			uint8_t close;             /* enum pkl_conn_close */
			uint8_t teardown_total;    /* 3 or 4 once known */
			uint8_t teardown_step;
			uint64_t handshake_frames[3];
			uint64_t syn_time_ns, synack_time_ns, ack_time_ns;   /* capture time */
			uint32_t retransmissions, dup_acks, out_of_order, zero_windows;
			uint32_t coalesced;        /* segments that carried small writes Nagle held back */
			uint32_t ttl_changes;
			uint64_t first_coalesced;  /* the first such frame */
			uint64_t fin_frames[2];    /* each end's first FIN */
			int64_t time_wait_until[2]; /* capture seconds; 0 when not in TIME_WAIT */
		};
		union pkl_exchange x;      /* the state of the other kinds */
	};
	/* ICMP errors quoting this conversation, any kind (rare: last) */
	uint32_t icmp_errors;
	struct pkl_icmp_error_ref icmp_error[PKL_CONN_ICMP_ERRORS];
};


struct pkl_conntrack_opts {
	uint32_t max_conns;        /* table cap; the least recently seen is evicted beyond it */
	uint32_t idle_timeout;     /* seconds of capture time before an idle connection expires */
	uint32_t exchange_timeout; /* the same for UDP flows, echo sessions and ARP */
	uint32_t msl;              /* maximum segment lifetime, seconds: TIME_WAIT lasts 2*MSL,
				    * and a closed connection stays 2*MSL after its last frame */
	bool time_acks;            /* time each ACK against the segment it covers (ack_rtt) */
};

struct pkl_conntrack;          /* opaque */

/* Called for each connection leaving the table, with why: idle past the
 * timeout, evicted from the full table, its 4-tuple reused by a new SYN,
 * closed (2*MSL after its last frame, or making room), or still there at
 * the end (pkl_conntrack_finish). */
enum pkl_conn_exit {
	PKL_CONN_EXPIRED, PKL_CONN_EVICTED, PKL_CONN_REUSED, PKL_CONN_AT_END, PKL_CONN_CLOSED
};
typedef void pkl_conn_done_fn(void *ctx, const struct pkl_conn *c, enum pkl_conn_exit why);

/* NULL when there is no memory for the table's fixed parts.  Those do
 * not depend on opts->max_conns (the pool starts at two entries and
 * grows as connections arrive), so lowering the cap is no remedy: a cap
 * the memory cannot hold shows later, as pkl_conntrack_alloc_failures. */
struct pkl_conntrack *pkl_conntrack_new(const struct pkl_conntrack_opts *opts,
					pkl_conn_done_fn *done, void *ctx);
/* Follow a decoded frame: update its conversation, describe a TCP
 * segment's place in its connection in *conn, and record what else was
 * found in *found (both reset first). */
void pkl_conntrack_frame(struct pkl_conntrack *ct, const struct pkl_packet *pkt,
			 struct pkl_conn_snapshot *conn, struct pkl_findings *found);
/* Hand every connection still in the table to done, in order of first
 * frame, and empty the table. */
void pkl_conntrack_finish(struct pkl_conntrack *ct);
/* Connections evicted to stay within opts->max_conns. */
uint64_t pkl_conntrack_evicted(const struct pkl_conntrack *ct);
/* Connections evicted below the cap, when the table could not grow for
 * want of memory (reported to done as PKL_CONN_EVICTED too). */
uint64_t pkl_conntrack_alloc_failures(const struct pkl_conntrack *ct);

void pkl_conntrack_free(struct pkl_conntrack *ct);

/* The table, for the other kinds (exchange.c).  A TCP or UDP key names
 * its entry from either end (src and dst, sport and dport swapped); the
 * other kinds are one-way: src is the end that asks (the pinging host,
 * the ARP asker).  A pointer into the table stays valid only until the
 * next pkl_conntrack_insert or pkl_conntrack_find of a TCP key, which
 * may grow or reorganise the pool. */
struct pkl_conn_key {
	enum pkl_conn_kind kind;
	uint8_t family;            /* 4 or 6 */
	const uint8_t *src, *dst;
	uint16_t sport, dport;
};

/* The addresses of a key from an IPv4 or IPv6 layer: its source as
 * src, or (swap) as dst. */
void pkl_conn_key_addresses(struct pkl_conn_key *k, const struct pkl_layer *net, bool swap);

/* The entry with this key, and which end sent (end[*sender] is src);
 * NULL when there is none.  A TCP connection kept small is made whole
 * for it, and evicted (NULL) in the rare case that there is no memory
 * for that. */
struct pkl_conn *pkl_conntrack_find(struct pkl_conntrack *ct, const struct pkl_conn_key *k,
				    int *sender);
/* A frame of c's conversation: its last frame, and the most recently
 * seen (which keeps the table's idle order). */
void pkl_conntrack_seen(struct pkl_conntrack *ct, struct pkl_conn *c, const struct pkl_frame *f);
/* A new entry for this key, src as end[0], numbered among its kind, first
 * and last seen in frame f.  Room is made first: idle entries expire and,
 * with the table full, the least recently seen is evicted (each reported
 * to the done callback). */
struct pkl_conn *pkl_conntrack_insert(struct pkl_conntrack *ct, const struct pkl_conn_key *k,
				      const struct pkl_frame *f);
/* The next number of this kind (an ARP binding takes an ARP number when
 * it becomes a conflict worth a record). */
uint64_t pkl_conntrack_next_id(struct pkl_conntrack *ct, enum pkl_conn_kind kind);
/* Report the entry to the done callback as replaced, and drop it. */
void pkl_conntrack_retire(struct pkl_conntrack *ct, struct pkl_conn *c);

#endif
