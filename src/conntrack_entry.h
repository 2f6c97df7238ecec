/* The tracker's table entry, for the tracker's own modules (conntrack.c,
 * exchange.c): laid out for the cache and for its bookkeeping, which is
 * why everyone else reads the record a conversation leaves with
 * (conn_record.h) instead. */
#ifndef PKL_CONNTRACK_ENTRY_H
#define PKL_CONNTRACK_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "conntrack.h"
#include "exchange.h"
#include "notes.h"
#include "packet.h"
#include "tcp_analysis.h"
#include "tcp_state.h"

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
	uint8_t syns;              /* SYNs it sent with its ISN: the attempt a repeated one makes */
	bool syn_acked;            /* the peer acknowledged its SYN */
	/* The peer's FIN: received (at a capture on this end, when it
	 * arrives), acknowledged; and TIME_WAIT due once the ACK of its own
	 * FIN, seen on its way, reaches it (FINs that crossed). */
	bool received_peer_fin, acked_peer_fin, time_wait_pending;
	/* Message boundaries: its latest data segment's size when small
	 * (0: none outstanding) or kind, whether it has data in flight, the
	 * largest small segment it sent with none (one write, whole), and
	 * the pure ACK that covered all it had sent after a small segment,
	 * with that segment's size. */
	bool last_full, last_oversize, data_in_flight;
	uint16_t small_len, write_max, drained_len;
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
			uint32_t zero_window_probes, keep_alives;
			uint8_t capture_point;     /* enum pkl_capture_point, from the handshake */
			uint8_t scan;              /* enum pkl_scan: opened by a scan's probe */
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

/* The record of entry c, leaving the table for why (conntrack_record.c). */
void pkl_conntrack_record(struct pkl_conn_record *r, const struct pkl_conn *c,
			  enum pkl_conn_exit why);

#endif
