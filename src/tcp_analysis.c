/* TCP sequence analysis.
 *
 * Numbers are relative (to the ISN, or the first seen) and 0 means "not
 * yet" for nextseq, lastack and maxseqtobeacked, as in Wireshark: that
 * is what makes a capture that starts mid-connection read the same in
 * both tools.
 *
 * The rules are Wireshark's (tcp_analyze_sequence_number in its TCP
 * dissector), tested in the same order, because users compare the two
 * tools frame by frame and a finding with the same name must mean the
 * same thing; tests/tcp_analysis_diff.py holds them to it.  What differs
 * is where the state lives: a fixed flow per end inside the connection,
 * with the last few unacknowledged segments in a small array instead of
 * a list that grows per segment. */
#include "tcp_analysis.h"

#include <stdlib.h>
#include <string.h>

#include "../dissectors/tcp.h"

static const char *const labels[PKL_TA_COUNT] = {
#define PKL_TA(code, name, label) [PKL_TA_BIT_##code] = label,
#include "tcp_analysis.def"
#undef PKL_TA
};

const char *
pkl_tcp_analysis_label(unsigned b)
{
	return b < PKL_TA_COUNT ? labels[b] : "?";
}

void
pkl_tcp_flow_init(struct pkl_tcp_flow *f, uint64_t key)
{
	memset(f, 0, sizeof *f);
	f->win_scale = PKL_WSCALE_UNKNOWN;
	f->bif_valid = true;
	f->key = key;
}

/* Sequence comparisons modulo 2^32 (RFC 9293 3.4). */
static bool seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static bool seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }

/* Both SYNs must offer window scaling for either to use it (RFC 7323
 * 2.2): decided as each SYN goes by, the way Wireshark decides it, so a
 * capture without the SYN+ACK still scales the client's windows. */
static void
settle_window_scaling(struct pkl_tcp_flow *fwd, struct pkl_tcp_flow *rev,
		      const struct pkl_tcp *t)
{
	if (t->has_wscale)
		fwd->win_scale = (int8_t)(t->wscale > PKL_TCP_MAX_WSCALE ? PKL_TCP_MAX_WSCALE : t->wscale);
	if (fwd->win_scale == PKL_WSCALE_UNKNOWN) {
		fwd->win_scale = PKL_WSCALE_NONE;
		rev->win_scale = PKL_WSCALE_NONE;
	} else if ((t->flags & PKL_TCP_ACK) && rev->win_scale == PKL_WSCALE_NONE) {
		fwd->win_scale = PKL_WSCALE_NONE;
	}
}

static uint32_t
scaled_window(const struct pkl_tcp_flow *f, uint32_t window, bool syn)
{
	return !syn && f->win_scale >= 0 ? window << f->win_scale : window;
}

bool
pkl_tcp_pending_init(struct pkl_tcp_pending *p, unsigned log2_slots)
{
	p->mask = (1u << log2_slots) - 1;
	p->slot = calloc((size_t)p->mask + 1, sizeof *p->slot);
	return p->slot != NULL;
}

void
pkl_tcp_pending_free(struct pkl_tcp_pending *p)
{
	free(p->slot);
	p->slot = NULL;
}

static struct pkl_tcp_pending_seg *
pending_slot(const struct pkl_tcp_pending *p, uint64_t flow_key, uint32_t nextseq)
{
	uint64_t h = (flow_key ^ ((uint64_t)nextseq << 32 | nextseq)) * 0x9e3779b97f4a7c15u;
	return &p->slot[(h >> 40) & p->mask];
}

/* Keep the first copy of a segment sent twice: its ACK is timed from
 * the original, as Wireshark times it. */
static void
remember_sent(struct pkl_tcp_pending *p, struct pkl_tcp_flow *fwd, uint32_t seq,
	      uint32_t nextseq, uint64_t frame, uint64_t now_us)
{
	struct pkl_tcp_pending_seg *s = pending_slot(p, fwd->key, nextseq);

	if (s->flow_key != fwd->key || s->nextseq != nextseq)
		*s = (struct pkl_tcp_pending_seg){ fwd->key, nextseq, (uint32_t)frame, (uint32_t)now_us };
	if (!fwd->una_valid) {
		fwd->una = seq;
		fwd->una_valid = true;
	}
}

/* An ACK from fwd: time the segment of rev it covers exactly. */
static void
take_ack(struct pkl_tcp_pending *p, struct pkl_tcp_flow *rev, uint32_t ack, uint64_t frame,
	 uint64_t now_us, struct pkl_tcp_verdict *v)
{
	struct pkl_tcp_pending_seg *s = p ? pending_slot(p, rev->key, ack) : NULL;

	if (s && s->flow_key == rev->key && s->nextseq == ack) {
		v->acked_frame = frame - (uint32_t)((uint32_t)frame - s->frame_lo);
		v->ack_rtt_us = (uint32_t)((uint32_t)now_us - s->time_us_lo);
		s->flow_key = 0;
	}
	if (rev->una_valid && seq_gt(ack, rev->una))
		rev->una = ack;
}

void
pkl_tcp_analyse(struct pkl_tcp_pending *pending, struct pkl_tcp_flow *fwd,
		struct pkl_tcp_flow *rev, const struct pkl_tcp *t,
		uint32_t seq, uint32_t ack, uint64_t frame, uint64_t now_ns, uint64_t first_rtt_ns,
		struct pkl_tcp_verdict *v)
{
	const uint16_t fl = t->flags;
	const bool syn = fl & PKL_TCP_SYN, fin = fl & PKL_TCP_FIN, rst = fl & PKL_TCP_RST;
	const bool ack_flag = fl & PKL_TCP_ACK;
	const bool control = fl & (PKL_TCP_SYN | PKL_TCP_FIN | PKL_TCP_RST);
	const uint32_t seglen = t->payload_len;
	const uint32_t window = t->window;
	const uint64_t now_us = now_ns / 1000;

	memset(v, 0, sizeof *v);
	if (syn)
		settle_window_scaling(fwd, rev, t);
	v->win_scale = syn ? PKL_WSCALE_UNKNOWN : fwd->win_scale;
	v->window_size = scaled_window(fwd, window, syn);

	/* A one-byte segment at the edge of a closed window probes it. */
	if (seglen == 1 && seq == fwd->nextseq && rev->window_valid &&
	    rev->window == 0) {
		v->flags |= PKL_TA_ZERO_WINDOW_PROBE;
		goto finished_fwd;
	}
	if (window == 0 && !control)
		v->flags |= PKL_TA_ZERO_WINDOW;
	/* Bytes after a hole: the segments before were not captured. */
	if (fwd->nextseq && seq_gt(seq, fwd->nextseq) && !rst) {
		v->flags |= PKL_TA_LOST_SEGMENT;
		v->lost_bytes = seq - fwd->nextseq;
		fwd->bif_valid = false;
	}
	/* Zero or one byte just below the next sequence number: "are you
	 * still there?" (RFC 9293 3.8.4); Linux also probes closed windows so. */
	if (seglen <= 1 && seq == fwd->nextseq - 1 && !control)
		v->flags |= PKL_TA_KEEP_ALIVE;
	bool in_step = seq == fwd->nextseq && ack == fwd->lastack && !control;
	if (seglen == 0 && window && fwd->window_valid && window != fwd->window && in_step)
		v->flags |= PKL_TA_WINDOW_UPDATE;
	if (seglen > 0 && rev->win_scale != PKL_WSCALE_UNKNOWN && rev->window_valid && !control &&
	    seq + seglen == rev->lastack + (rev->window_from_syn ? rev->window
					     : scaled_window(rev, rev->window, false)))
		v->flags |= PKL_TA_WINDOW_FULL;
	if (seglen == 0 && window && fwd->window_valid && window == fwd->window && in_step &&
	    (rev->last_flags & PKL_TA_KEEP_ALIVE)) {
		v->flags |= PKL_TA_KEEP_ALIVE_ACK;
		goto finished_fwd;
	}
	if (seglen == 0 && window == 0 && fwd->window_valid && window == fwd->window &&
	    seq == fwd->nextseq && (ack == fwd->lastack || ack == fwd->lastack + 1) && !control &&
	    (rev->last_flags & PKL_TA_ZERO_WINDOW_PROBE)) {
		v->flags |= PKL_TA_ZERO_WINDOW_PROBE_ACK;
		goto finished_fwd;
	}
	/* The same ACK and window again, carrying nothing: the receiver
	 * saw a segment beyond a gap and repeats what it still waits for. */
	if (seglen == 0 && window && fwd->window_valid && window == fwd->window && in_step) {
		fwd->dupacknum++;
		v->flags |= PKL_TA_DUPLICATE_ACK;
		v->dup_ack_num = fwd->dupacknum;
		v->dup_ack_frame = fwd->lastnondupack_frame;
	}
finished_fwd:
	if (ack != fwd->lastack) {
		fwd->lastnondupack_frame = frame;
		fwd->dupacknum = 0;
	}
	/* It acknowledges bytes beyond what the capture saw sent. */
	if (ack_flag && rev->nextseq && seq_gt(ack, rev->maxseqtobeacked)) {
		v->flags |= PKL_TA_ACK_LOST_SEGMENT;
		rev->maxseqtobeacked = rev->nextseq;
	}

	/* Sent before: retransmitted, and which kind. */
	if ((seglen > 0 || syn || fin) && fwd->nextseq && seq_lt(seq, fwd->nextseq) &&
	    !(v->flags & PKL_TA_KEEP_ALIVE)) {
		uint64_t since_dupack = now_ns - rev->lastack_ns;
		uint64_t since_highest = now_ns - fwd->nextseq_ns;
		uint64_t ooo_horizon = first_rtt_ns ? first_rtt_ns : 3000000;

		if (seglen > 0 && rev->lastack && seq_le(seq + seglen, rev->lastack))
			v->flags |= PKL_TA_SPURIOUS_RETRANSMISSION;
		else if (rev->dupacknum >= 2 && rev->lastack == seq && since_dupack < 20000000)
			v->flags |= PKL_TA_FAST_RETRANSMISSION;
		else if (since_highest < ooo_horizon && fwd->nextseq != seq + seglen + (syn || fin))
			v->flags |= PKL_TA_OUT_OF_ORDER;
		else {
			v->flags |= PKL_TA_RETRANSMISSION;
			v->rto_frame = fwd->nextseq_frame;
			v->rto_us = since_highest / 1000;
		}
		/* Fast and spurious ones are retransmissions too, as in Wireshark's fields. */
		if (v->flags & (PKL_TA_FAST_RETRANSMISSION | PKL_TA_SPURIOUS_RETRANSMISSION))
			v->flags |= PKL_TA_RETRANSMISSION;
	}

	uint32_t nextseq = seq + seglen + (syn || fin);
	if ((seglen > 0 || syn || fin) && pending)
		remember_sent(pending, fwd, seq, nextseq, frame, now_us);
	else if ((seglen > 0 || syn || fin) && !fwd->una_valid) {
		fwd->una = seq;
		fwd->una_valid = true;
	}
	if (!(v->flags & PKL_TA_ZERO_WINDOW_PROBE)) {
		if (!fwd->nextseq || seq_gt(nextseq, fwd->nextseq)) {
			fwd->nextseq = nextseq;
			fwd->nextseq_frame = frame;
			fwd->nextseq_ns = now_ns;
		}
		if (seq == fwd->maxseqtobeacked || fwd->maxseqtobeacked == 0)
			fwd->maxseqtobeacked = fwd->nextseq;
	}
	fwd->window = window;
	fwd->window_valid = true;
	fwd->window_from_syn = syn;
	fwd->lastack = ack;
	fwd->lastack_ns = now_ns;
	fwd->last_flags = v->flags;

	fwd->sacked = 0;
	for (unsigned i = 0; i < t->n_sack; i++)
		fwd->sacked += t->sack_right[i] - t->sack_left[i];

	if (ack_flag) {
		take_ack(pending, rev, ack, frame, now_us, v);
		rev->bif_valid = true;
	}
	/* What the receiver holds beyond a gap (SACK) is not in flight. */
	if (seglen > 0 && fwd->bif_valid && fwd->una_valid) {
		/* Counted in bytes: a SYN's or FIN's sequence number is none. */
		uint32_t in_flight = fwd->nextseq - fwd->una - (syn || fin);
		if (rev->sacked < in_flight)
			in_flight -= rev->sacked;
		if (in_flight > 0 && in_flight < 2000000000) {
			v->bytes_in_flight = in_flight;
			v->bif_valid = true;
		}
	}
}
