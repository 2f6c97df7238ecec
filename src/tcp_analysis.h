/* Sequence analysis of one TCP direction against the other: what
 * Wireshark calls tcp.analysis (retransmissions, duplicate ACKs,
 * windows, keep-alives, ACK round-trip times), with the same rules so
 * the two tools agree on a capture; the connection tracker owns the
 * state, one flow per end. */
#ifndef PKL_TCP_ANALYSIS_H
#define PKL_TCP_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"

enum {
#define PKL_TA(code, name, label) PKL_TA_BIT_##code,
#include "tcp_analysis.def"
#undef PKL_TA
	PKL_TA_COUNT
};
enum {
#define PKL_TA(code, name, label) PKL_TA_##code = 1 << PKL_TA_BIT_##code,
#include "tcp_analysis.def"
#undef PKL_TA
};

/* "retransmission", "dup ACK", ... as the one-line view marks it. */
const char *pkl_tcp_analysis_label(unsigned b);

/* pktlens's own verdict (tcp_verdict.def). */
enum pkl_tcp_own {
#define PKL_TV(code, name, label) PKL_TV_##code,
#include "tcp_verdict.def"
#undef PKL_TV
	PKL_TV_COUNT
};
/* The JSON value ("fast_retransmission") and the one-line view's mark. */
const char *pkl_tcp_verdict_name(enum pkl_tcp_own v);
const char *pkl_tcp_verdict_label(enum pkl_tcp_own v);

/* The tcp.analysis flags pktlens's verdict speaks for instead: what a
 * segment repeats, fills or probes.  The others (duplicate ACKs,
 * windows, segments not captured) the views show as Wireshark finds them. */
#define PKL_TA_JUDGED (PKL_TA_RETRANSMISSION | PKL_TA_FAST_RETRANSMISSION | \
		       PKL_TA_SPURIOUS_RETRANSMISSION | PKL_TA_OUT_OF_ORDER | \
		       PKL_TA_ZERO_WINDOW_PROBE | PKL_TA_ZERO_WINDOW_PROBE_ACK | \
		       PKL_TA_KEEP_ALIVE | PKL_TA_KEEP_ALIVE_ACK)

/* What Wireshark's flags amount to in pktlens's terms (its strongest
 * judged flag), to tell where the two tools differ. */
enum pkl_tcp_own pkl_tcp_verdict_of_flags(uint32_t flags);

/* Whether pktlens's verdict and Wireshark's flags say the same (a
 * retransmission pktlens also places, lost upstream or after an ICMP
 * "fragmentation needed", is still a retransmission, and a fill of a gap
 * lost upstream is the fast retransmission duplicate ACKs asked for). */
bool pkl_tcp_verdicts_agree(enum pkl_tcp_own own, uint32_t flags);

/* A TCP layer whose header length held up: its data offset fits the
 * segment, so tcp.len is known and the segment is tracked, even when an
 * option inside is malformed (a bad data offset leaves the header
 * length at the 20-byte minimum, which its offset then contradicts). */
static inline bool
pkl_tcp_length_known(const struct pkl_layer *l)
{
	if (!(l->flags & PKL_LAYER_HEADER) ||
	    (l->flags & (PKL_LAYER_QUOTED | PKL_LAYER_TRUNCATED)))
		return false;
	return !(l->flags & PKL_LAYER_MALFORMED) || l->hdr_len == l->hdr.tcp.doff * 4u;
}

/* Window scale shift of a flow before and besides a real one. */
enum { PKL_WSCALE_UNKNOWN = -1, PKL_WSCALE_NONE = -2 };

/* Segments sent and not yet acknowledged, of every connection in one
 * table of fixed size, to time the ACK that covers one exactly: an entry
 * is found by flow and end sequence number, and a newer segment that
 * lands on an occupied slot of another flow takes it.  So memory does
 * not grow with connections or segments, and a round-trip time is
 * given "where measurable": nearly always, unless the table is crowded
 * by many connections with much in flight at once. */
struct pkl_tcp_pending_seg {
	uint64_t flow_key;             /* 0: free */
	uint32_t nextseq;
	uint32_t frame_lo, time_us_lo; /* modulo 2^32, restored from the ACK's */
};
struct pkl_tcp_pending {
	struct pkl_tcp_pending_seg *slot;
	uint32_t mask;
};

/* False when there is no memory for it. */
bool pkl_tcp_pending_init(struct pkl_tcp_pending *p, unsigned log2_slots);
void pkl_tcp_pending_free(struct pkl_tcp_pending *p);

/* Gaps in the bytes seen that a flow remembers at once. */
#define PKL_TCP_HOLES 3

struct pkl_tcp_flow {
	uint32_t nextseq;            /* highest sequence number sent, + 1; 0: none yet */
	uint32_t maxseqtobeacked;    /* end of the contiguous bytes sent; 0: none yet */
	uint32_t lastack;            /* its latest acknowledgment number; 0: none yet */
	uint32_t una;                /* oldest sequence number not acknowledged */
	uint32_t window;             /* its latest window field, unscaled */
	uint32_t dupacknum;
	uint64_t nextseq_frame, lastnondupack_frame;
	uint64_t nextseq_ns, lastack_ns;
	uint32_t last_flags;         /* the findings on its previous segment */
	int8_t win_scale;            /* shift, or PKL_WSCALE_UNKNOWN / _NONE */
	bool window_valid, una_valid;
	bool window_from_syn;        /* a SYN's window is never scaled */
	bool bif_valid;              /* bytes in flight trusted (no gap since the peer's ACK) */
	uint32_t sacked;             /* bytes its latest segment's SACK blocks hold */
	uint64_t key;                /* unique per flow, for the pending table */
	/* pktlens's verdict: byte ranges below nextseq never seen (a gap
	 * the capture saw open, and when), the probes it sends, and an
	 * ICMP "fragmentation needed" about its segments. */
	struct { uint32_t lo, hi; uint64_t ns; } hole[PKL_TCP_HOLES];
	uint8_t n_holes;
	uint8_t probe_unanswered;    /* enum pkl_tcp_own: its latest probe, until the peer answers */
	uint32_t probes;             /* probes of one kind in a row */
	uint64_t last_probe_ns;
	uint64_t pmtu_ns;            /* capture time of the ICMP error; 0: none pending */
	uint32_t pmtu_mtu;
	uint64_t syn_frame;          /* its latest SYN without ACK; 0: none */
	uint64_t synack_frame;       /* its latest SYN+ACK; 0: none */
};

/* Where the capture point sits, from the handshake's two gaps (SYN to
 * SYN+ACK, SYN+ACK to ACK): the long one is the round trip beyond it. */
enum pkl_capture_point {
	PKL_CAPTURE_UNKNOWN,         /* no handshake seen */
	PKL_CAPTURE_CLIENT,          /* the SYN+ACK came a round trip after the SYN, the ACK at once */
	PKL_CAPTURE_SERVER,          /* the SYN+ACK at once, the ACK a round trip later */
	PKL_CAPTURE_MIDDLE,          /* both gaps of the same order */
};
const char *pkl_capture_point_name(enum pkl_capture_point p);

/* What the capture point tells of one segment's sender and receiver. */
struct pkl_tcp_vantage {
	uint64_t first_rtt_ns;       /* SYN to ACK (Wireshark's horizon); 0: unknown */
	uint64_t sender_rtt_ns;      /* capture point to the sender and back; 0: unknown */
	bool at_sender, at_receiver; /* the capture was taken on that end's host */
};

/* How long an ACK took, seen from where the capture sits. */
enum pkl_ack_timing {
	PKL_ACK_ROUND_TRIP,          /* the path beyond the capture point and back */
	PKL_ACK_TURNAROUND,          /* at the acknowledging host: its own reaction time */
	PKL_ACK_DELAYED,             /* at the acknowledging host, held back: delayed ACK */
};

/* What the analysis found in one segment. */
struct pkl_tcp_verdict {
	uint32_t flags;              /* PKL_TA_* */
	uint32_t dup_ack_num;        /* with DUPLICATE_ACK: #n of the run */
	uint64_t dup_ack_frame;      /* ... and the frame it duplicates */
	uint64_t acked_frame;        /* the segment this ACK covers exactly; 0: none */
	uint64_t ack_rtt_us;
	uint64_t rto_frame;          /* with a retransmission: the frame it repeats */
	uint64_t rto_us;             /* ... sent this long before */
	uint32_t lost_bytes;         /* with LOST_SEGMENT: bytes the capture lacks */
	uint32_t bytes_in_flight;
	bool bif_valid;
	uint32_t window_size;        /* the window in bytes, scaled when known */
	int8_t win_scale;            /* the sender's shift, or PKL_WSCALE_* */
	/* pktlens's own */
	uint8_t own;                 /* enum pkl_tcp_own */
	uint8_t ack_timing;          /* enum pkl_ack_timing, with acked_frame */
	uint64_t gap_us;             /* OUT_OF_ORDER, LOST_UPSTREAM, CANNOT_TELL: since the gap opened */
	uint64_t resent_after_frame; /* RETRANSMISSION: the latest new segment before it, */
	uint64_t resent_after_us;    /* ... this long before (rto_frame: tshark's, where it says retransmission) */
	uint64_t probe_interval_us;  /* a probe after another: since it; 0: the first */
	uint32_t probe_num;          /* a probe: #n of the run */
	uint64_t answers_syn_frame;  /* RETRANSMISSION of a SYN+ACK: the peer's SYN it answers */
	bool simultaneous_open;      /* ... and its sender had sent a SYN of its own */
};

/* key: unique to this flow for the life of the program (never 0). */
void pkl_tcp_flow_init(struct pkl_tcp_flow *f, uint64_t key);

/* pending may be NULL: no ACK is then timed (acked_frame stays 0).
 * Analyse a segment fwd sent to rev with relative sequence number seq
 * and acknowledgment ack (the raw field when the ACK flag is off), at
 * capture time now_ns in frame `frame`, seen from vantage point vp: its
 * first_rtt_ns is the horizon within which Wireshark counts a late
 * segment as reordered; the rest is for pktlens's own verdict. */
void pkl_tcp_analyse(struct pkl_tcp_pending *pending, struct pkl_tcp_flow *fwd,
		     struct pkl_tcp_flow *rev, const struct pkl_tcp *t,
		     uint32_t seq, uint32_t ack, uint64_t frame, uint64_t now_ns,
		     const struct pkl_tcp_vantage *vp, struct pkl_tcp_verdict *v);

/* An ICMP "fragmentation needed" (or "packet too big") quoting a
 * segment of flow f, at capture time now_ns: the next smaller
 * retransmission is its consequence. */
void pkl_tcp_flow_pmtu(struct pkl_tcp_flow *f, uint64_t now_ns, uint32_t mtu);

#endif
