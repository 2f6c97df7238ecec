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

#include "notes.h"
#include "packet.h"

enum pkl_tcp_state {
	PKL_TCPS_UNKNOWN,      /* the capture began after this end's last transition */
	PKL_TCPS_CLOSED,
	PKL_TCPS_LISTEN,
	PKL_TCPS_SYN_SENT,
	PKL_TCPS_SYN_RECEIVED,
	PKL_TCPS_ESTABLISHED,
	PKL_TCPS_FIN_WAIT_1,
	PKL_TCPS_FIN_WAIT_2,
	PKL_TCPS_CLOSE_WAIT,
	PKL_TCPS_CLOSING,
	PKL_TCPS_LAST_ACK,
	PKL_TCPS_TIME_WAIT,
	PKL_TCPS_COUNT
};

const char *pkl_tcp_state_name(enum pkl_tcp_state s);

enum pkl_conn_close {
	PKL_CLOSE_OPEN,             /* still open at the end of the capture */
	PKL_CLOSE_CLIENT_FIRST,
	PKL_CLOSE_SERVER_FIRST,
	PKL_CLOSE_SIMULTANEOUS,
	PKL_CLOSE_RESET_BY_CLIENT,
	PKL_CLOSE_RESET_BY_SERVER,
	PKL_CLOSE_NEVER_ESTABLISHED,
};

const char *pkl_conn_close_name(enum pkl_conn_close c);

enum { PKL_CLIENT = 0, PKL_SERVER = 1 };

struct pkl_conn_end {
	uint8_t addr[16];
	uint16_t port;
	enum pkl_tcp_state state;
	bool syn_seen, fin_sent, fin_acked;
	uint32_t isn;
	uint32_t base_seq;         /* relative numbers count from here: ISN, or first seen - 1 */
	bool base_valid;
	uint32_t fin_seq;          /* sequence number of its FIN */
	uint32_t next_seq;         /* highest sequence number sent, + 1 */
	bool next_seq_valid;
	uint32_t last_ack;         /* for duplicate ACKs */
	uint16_t last_win;
	uint8_t wscale;            /* -1 when not offered: see wscale_offered */
	bool wscale_offered;
	uint64_t frames, bytes;
};

struct pkl_conn {
	uint64_t id;
	uint8_t family;            /* 4 or 6 */
	struct pkl_conn_end end[2]; /* [PKL_CLIENT], [PKL_SERVER] */
	bool roles_inferred;       /* no SYN seen: roles guessed */
	bool established;          /* the handshake completed (or was not seen) */
	bool simultaneous_open;
	uint64_t first_frame, last_frame;
	int64_t first_sec, last_sec;
	uint32_t first_nsec, last_nsec;
	uint64_t handshake_frames[3];
	uint64_t syn_time_ns, synack_time_ns, ack_time_ns;   /* capture time */
	uint64_t fin_frames[2];    /* each end's first FIN */
	int first_closer;          /* -1 none, else PKL_CLIENT/PKL_SERVER */
	enum pkl_conn_close close;
	uint8_t teardown_total;    /* 3 or 4 once known */
	uint8_t teardown_step;
	uint32_t retransmissions, dup_acks, out_of_order, zero_windows;
	int64_t time_wait_until[2]; /* capture seconds; 0 when not in TIME_WAIT */
	/* table links (indices into the pool; -1 for none) */
	int32_t hash_next, lru_prev, lru_next;
};


struct pkl_conntrack_opts {
	uint32_t max_conns;        /* table cap; the least recently seen is evicted beyond it */
	uint32_t idle_timeout;     /* seconds of capture time before an idle connection expires */
	uint32_t msl;              /* maximum segment lifetime, seconds: TIME_WAIT lasts 2*MSL,
				    * and a closed connection stays 2*MSL after its last frame */
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

struct pkl_conntrack *pkl_conntrack_new(const struct pkl_conntrack_opts *opts,
					pkl_conn_done_fn *done, void *ctx);
/* Follow a decoded frame: update its connection, describe it in
 * notes->conn and append the connection-level notes. */
void pkl_conntrack_frame(struct pkl_conntrack *ct, const struct pkl_packet *pkt,
			 struct pkl_notes *notes);
/* Hand every connection still in the table to done, in order of first
 * frame, and empty the table. */
void pkl_conntrack_finish(struct pkl_conntrack *ct);
uint64_t pkl_conntrack_evicted(const struct pkl_conntrack *ct);
void pkl_conntrack_free(struct pkl_conntrack *ct);

#endif
