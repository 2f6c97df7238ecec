/* pktlens's own end of a TCP connection (RFC 9293), as a pure state
 * machine: it reads no clock, does no I/O and prints nothing.  Its
 * inputs are a received segment's fields, the application's calls
 * (connect, write, close, abort) and timer ticks, each with the time
 * `now_ns` the caller read; its outputs go through the caller's hooks:
 * segments to send, state transitions, data to deliver.  So every rule
 * can be driven by a unit test frame by frame, and the command that
 * puts it on a wire (src/cmd/tcp.c) only builds and captures frames.
 *
 * What it does, as a small Linux-like client: the SYN with MSS, SACK
 * permitted, timestamps and window scale (SYN retried with exponential
 * back-off, then "timed out"); data in segments no larger than the
 * peer's MSS (less the timestamp option) and within the peer's window
 * and a congestion window (RFC 5681 slow start, fast retransmit on three
 * duplicate ACKs, NewReno partial ACKs, RFC 6582), kept until
 * acknowledged and retransmitted on an RFC 6298 timer measured with
 * Karn's rule; received data acknowledged at once and delivered in
 * order (a segment beyond a hole is not kept: the peer sends it again);
 * timestamps echoed (RFC 7323); the close, either end first or both at
 * once, into TIME_WAIT held for 2*MSL. */
#ifndef PKL_CRAFT_TCP_ENDPOINT_H
#define PKL_CRAFT_TCP_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../tcp_state.h"

/* One segment's fields, received or to be sent.  Options are given by
 * what they say; the caller lays them out on the wire. */
struct pkl_tcp_seg {
	uint32_t seq, ack;
	uint16_t flags;           /* PKL_TCP_FIN ... as the dissector's */
	uint16_t window;          /* the header's field, unscaled */
	bool has_mss, has_wscale, sack_perm, has_ts;
	uint16_t mss;
	uint8_t wscale;
	uint32_t ts_val, ts_ecr;
	const uint8_t *data;
	size_t len;
};

/* Where the endpoint's outputs go. */
struct pkl_tcp_hooks {
	/* A segment to put on the wire; data points into the caller's
	 * buffer given to pkl_tcp_endpoint_write. */
	void (*send)(void *ctx, const struct pkl_tcp_seg *seg);
	/* The endpoint's state changed (said before the segment that the
	 * change sends, if any). */
	void (*state)(void *ctx, enum pkl_tcp_state from, enum pkl_tcp_state to);
	/* In-order data received, acknowledged. */
	void (*deliver)(void *ctx, const uint8_t *data, size_t len);
	void *ctx;
};

struct pkl_tcp_config {
	uint32_t isn;
	uint32_t ts_offset;       /* added to the millisecond clock: the TSval */
	uint16_t mss;             /* announced, and the largest segment the link takes */
	uint8_t wscale;           /* announced */
	uint32_t rcv_window;      /* advertised, in bytes */
	unsigned syn_retries;     /* SYNs sent again before "timed out" */
	uint64_t msl_ns;          /* TIME_WAIT lasts twice this */
	uint64_t min_rto_ns;      /* RFC 6298 2.4: 1 s */
};

#define PKL_TCP_INITIAL_RTO_NS 1000000000ull    /* RFC 6298 2.1 */
#define PKL_TCP_MAX_RTO_NS 60000000000ull       /* RFC 6298 2.5 */
/* Consecutive timeouts of one segment before giving up (Linux's
 * tcp_retries2 is 15, some 15 minutes; a demonstration gives up in
 * about two). */
#define PKL_TCP_MAX_DATA_RETRIES 8

/* How the connection ended, once it is CLOSED. */
enum pkl_tcp_outcome {
	PKL_TCP_OPEN,             /* not closed yet */
	PKL_TCP_CLOSED_NORMALLY,  /* both FINs sent and acknowledged */
	PKL_TCP_REFUSED,          /* a RST answered the SYN */
	PKL_TCP_TIMED_OUT,        /* no answer to the SYNs, or to a segment's retries */
	PKL_TCP_RESET_BY_PEER,
	PKL_TCP_ABORTED,          /* this end sent RST */
};

struct pkl_tcp_endpoint {
	struct pkl_tcp_config cfg;
	struct pkl_tcp_hooks hooks;
	enum pkl_tcp_state state;
	enum pkl_tcp_outcome outcome;

	/* Sending: the application's data, byte i at sequence number
	 * iss + 1 + i; the FIN after it once closed. */
	const uint8_t *data;
	size_t data_len;
	bool close_requested;
	uint32_t iss, snd_una, snd_nxt, snd_max;
	uint32_t snd_wnd, snd_wl1, snd_wl2;
	uint16_t peer_mss;
	uint8_t snd_shift, rcv_shift;   /* window scale, when both announced it */
	bool ts_on;                     /* timestamps, when both announced them */
	uint32_t cwnd, ssthresh;
	unsigned dup_acks;
	bool in_recovery;
	uint32_t recover;               /* snd_max when fast recovery began */

	/* Receiving. */
	uint32_t irs, rcv_nxt;
	uint32_t ts_recent;             /* the peer's TSval to echo */
	bool fin_received;

	/* Timers (0: not running). */
	uint64_t rtx_at;                /* retransmission: SYN, data or FIN */
	uint64_t time_wait_until;
	uint64_t rto_ns, srtt_ns, rttvar_ns;
	bool rtt_measured;
	unsigned backoffs;              /* consecutive timeouts */
	bool timing;                    /* Karn: one segment timed at a time */
	uint32_t timed_seq;             /* its end */
	uint64_t timed_at;

	/* What happened. */
	unsigned syns_sent;
	uint64_t retransmissions;       /* segments sent again (the SYN's too) */
	uint64_t bytes_acked, bytes_received;
	uint64_t fins_reacked;          /* the peer's FIN acknowledged again in TIME_WAIT */
};

void pkl_tcp_endpoint_init(struct pkl_tcp_endpoint *ep, const struct pkl_tcp_config *cfg,
			   const struct pkl_tcp_hooks *hooks);

/* CLOSED -> SYN_SENT: the SYN. */
void pkl_tcp_endpoint_connect(struct pkl_tcp_endpoint *ep, uint64_t now_ns);

/* The data to send (once; the caller keeps the buffer until the
 * connection ends): sent as soon as the connection and windows allow. */
void pkl_tcp_endpoint_write(struct pkl_tcp_endpoint *ep, const uint8_t *data, size_t len,
			    uint64_t now_ns);

/* The application closes: ESTABLISHED -> FIN_WAIT_1, CLOSE_WAIT ->
 * LAST_ACK (the FIN follows the data); SYN_SENT -> CLOSED. */
void pkl_tcp_endpoint_close(struct pkl_tcp_endpoint *ep, uint64_t now_ns);

/* Abort: a RST when the peer holds a connection (RFC 9293 3.10.5),
 * then CLOSED. */
void pkl_tcp_endpoint_abort(struct pkl_tcp_endpoint *ep, uint64_t now_ns);

/* A segment from the peer (the caller matched its addresses and ports). */
void pkl_tcp_endpoint_receive(struct pkl_tcp_endpoint *ep, const struct pkl_tcp_seg *seg,
			      uint64_t now_ns);

/* The timers that are due at now_ns: retransmission, TIME_WAIT's end. */
void pkl_tcp_endpoint_tick(struct pkl_tcp_endpoint *ep, uint64_t now_ns);

/* When the next timer is due; UINT64_MAX when none runs. */
uint64_t pkl_tcp_endpoint_deadline(const struct pkl_tcp_endpoint *ep);

/* Every byte written has been acknowledged. */
bool pkl_tcp_endpoint_all_acked(const struct pkl_tcp_endpoint *ep);

/* The largest payload of a segment: the peer's MSS (or ours, if less),
 * less the timestamp option's 12 bytes when timestamps are on. */
uint32_t pkl_tcp_endpoint_smss(const struct pkl_tcp_endpoint *ep);

const char *pkl_tcp_outcome_name(enum pkl_tcp_outcome o);

#endif
