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
 * a list that grows per segment.
 *
 * Beside those flags, pktlens gives its own verdict (tcp_verdict.def),
 * which the views speak with.  Wireshark tells a retransmission from a
 * reordering by timing (a copy within one handshake round trip of the
 * highest segment is "out-of-order"); pktlens by the bytes:
 *
 * - bytes already seen in this direction are sent again: a
 *   retransmission, whatever its timing; fast when the peer's latest ACK
 *   asks for exactly them with duplicates or SACK blocks, spurious when
 *   the peer had acknowledged them all, PMTU when an ICMP
 *   "fragmentation needed" for the connection came just before and the
 *   copy fits the MTU it gave;
 * - bytes never seen that the peer had acknowledged already are a
 *   spurious retransmission too: the ACK proves a first copy reached the
 *   peer (through the capture point, which missed it), so this one is
 *   neither reordered nor the resend of a loss;
 * - bytes never seen that fill a gap the capture saw open are either
 *   reordered before the capture point or the resend of a segment lost
 *   before it.  A resend needs news of the loss to reach the sender and
 *   the copy to come back: at least the round trip from the capture
 *   point to the sender (from the handshake: its SYN+ACK-to-ACK gap for
 *   a client, SYN-to-SYN+ACK for a server).  Sooner than that it can
 *   only have been reordered; later, after the receiver asked for it
 *   (duplicate ACKs or SACK), it was lost upstream; otherwise, or at the
 *   sender's own host (where its bytes cannot be missing but by the
 *   capture's fault), pktlens says it cannot tell;
 * - a segment of zero or one byte at the sequence number below the next
 *   (SND.UNA-1, the peer having acknowledged all the rest) while the
 *   peer's window is 0 is a zero-window probe (the persist timer: RFC
 *   9293 3.8.6.1), otherwise a keep-alive (3.8.4); the peer's next
 *   segment is paired with it as its answer.  With bytes still
 *   unacknowledged the connection is neither idle nor probing a window
 *   it knows closed: a last byte sent again is a retransmission (a tail
 *   loss probe), a new byte past a window that closed under it is data. */
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

static const char *const verdict_names[PKL_TV_COUNT] = {
#define PKL_TV(code, name, label) [PKL_TV_##code] = name,
#include "tcp_verdict.def"
#undef PKL_TV
};
static const char *const verdict_labels[PKL_TV_COUNT] = {
#define PKL_TV(code, name, label) [PKL_TV_##code] = label,
#include "tcp_verdict.def"
#undef PKL_TV
};

const char *
pkl_tcp_verdict_name(enum pkl_tcp_own v)
{
	return (unsigned)v < PKL_TV_COUNT ? verdict_names[v] : "?";
}

const char *
pkl_tcp_verdict_label(enum pkl_tcp_own v)
{
	return (unsigned)v < PKL_TV_COUNT ? verdict_labels[v] : "?";
}

enum pkl_tcp_own
pkl_tcp_verdict_of_flags(uint32_t flags)
{
	static const struct { uint32_t flag; enum pkl_tcp_own own; } order[] = {
		{ PKL_TA_SPURIOUS_RETRANSMISSION, PKL_TV_SPURIOUS_RETRANSMISSION },
		{ PKL_TA_FAST_RETRANSMISSION, PKL_TV_FAST_RETRANSMISSION },
		{ PKL_TA_RETRANSMISSION, PKL_TV_RETRANSMISSION },
		{ PKL_TA_OUT_OF_ORDER, PKL_TV_OUT_OF_ORDER },
		{ PKL_TA_ZERO_WINDOW_PROBE, PKL_TV_ZERO_WINDOW_PROBE },
		{ PKL_TA_ZERO_WINDOW_PROBE_ACK, PKL_TV_ZERO_WINDOW_PROBE_ACK },
		{ PKL_TA_KEEP_ALIVE, PKL_TV_KEEP_ALIVE },
		{ PKL_TA_KEEP_ALIVE_ACK, PKL_TV_KEEP_ALIVE_ACK },
	};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (flags & order[i].flag)
			return order[i].own;
	return PKL_TV_NONE;
}

bool
pkl_tcp_verdicts_agree(enum pkl_tcp_own own, uint32_t flags)
{
	enum pkl_tcp_own theirs = pkl_tcp_verdict_of_flags(flags);

	/* A gap filled after duplicate ACKs asked for it is their fast retransmission. */
	if (own == PKL_TV_LOST_UPSTREAM && theirs == PKL_TV_FAST_RETRANSMISSION)
		return true;
	if (own == PKL_TV_PMTU_RETRANSMISSION || own == PKL_TV_LOST_UPSTREAM)
		own = PKL_TV_RETRANSMISSION;
	return own == theirs;
}

const char *
pkl_capture_point_name(enum pkl_capture_point p)
{
	static const char *const names[] = {
		[PKL_CAPTURE_UNKNOWN] = "unknown", [PKL_CAPTURE_CLIENT] = "client",
		[PKL_CAPTURE_SERVER] = "server", [PKL_CAPTURE_MIDDLE] = "middle",
	};
	return (unsigned)p <= PKL_CAPTURE_MIDDLE ? names[p] : "?";
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

/* ---- pktlens's own verdict (see the file comment) ---------------------- */

/* The hole of f that holds [lo, hi) whole; -1 if none. */
static int
hole_holding(const struct pkl_tcp_flow *f, uint32_t lo, uint32_t hi)
{
	for (int i = 0; i < f->n_holes; i++)
		if (seq_le(f->hole[i].lo, lo) && seq_le(hi, f->hole[i].hi))
			return i;
	return -1;
}

/* Bytes [lo, hi) never seen: a new hole, the oldest forgotten when
 * there are too many (its bytes then read as seen). */
static void
hole_open(struct pkl_tcp_flow *f, uint32_t lo, uint32_t hi, uint64_t now_ns)
{
	if (f->n_holes == PKL_TCP_HOLES) {
		memmove(&f->hole[0], &f->hole[1], (PKL_TCP_HOLES - 1) * sizeof f->hole[0]);
		f->n_holes--;
	}
	f->hole[f->n_holes].lo = lo;
	f->hole[f->n_holes].hi = hi;
	f->hole[f->n_holes].ns = now_ns;
	f->n_holes++;
}

/* Bytes [lo, hi) seen: no longer part of any hole. */
static void
holes_cut(struct pkl_tcp_flow *f, uint32_t lo, uint32_t hi)
{
	for (int i = f->n_holes - 1; i >= 0; i--) {
		uint32_t hlo = f->hole[i].lo, hhi = f->hole[i].hi;
		bool left = seq_lt(hlo, lo), right = seq_lt(hi, hhi);

		if (seq_le(hi, hlo) || seq_le(hhi, lo))
			continue;
		if (left && right && f->n_holes < PKL_TCP_HOLES)
			hole_open(f, hi, hhi, f->hole[i].ns);
		if (left)
			f->hole[i].hi = lo;
		else if (right)
			f->hole[i].lo = hi;
		else
			f->hole[i] = f->hole[--f->n_holes];
	}
}

void
pkl_tcp_flow_pmtu(struct pkl_tcp_flow *f, uint64_t now_ns, uint32_t mtu)
{
	f->pmtu_ns = now_ns ? now_ns : 1;
	f->pmtu_mtu = mtu;
}

/* Linux resends at once when told a segment did not fit (tcp_v4_mtu_reduced);
 * seen from the middle of a path, the copy follows the ICMP error
 * within a round trip.  An IPv4 and a TCP header at least come on top
 * of the data. */
#define PMTU_HORIZON_NS 200000000ull
#define MIN_HEADERS 40u
/* At the acknowledging host: an ACK sooner than this is its reaction. */
#define TURNAROUND_NS 1000000ull

/* A zero- or one-byte probe: of a closed window or of an idle peer;
 * either only once the peer has acknowledged everything sent (the
 * capture's SND.UNA is SND.NXT). */
static enum pkl_tcp_own
judge_probe(struct pkl_tcp_flow *fwd, const struct pkl_tcp_flow *rev, uint32_t seq, uint32_t len,
	    uint64_t now_ns, struct pkl_tcp_verdict *v)
{
	bool closed = rev->window_valid && rev->window == 0;
	enum pkl_tcp_own kind;

	if (rev->lastack != fwd->nextseq)
		return PKL_TV_NONE;
	if (seq == fwd->nextseq - 1)
		kind = closed ? PKL_TV_ZERO_WINDOW_PROBE : PKL_TV_KEEP_ALIVE;
	else if (len == 1 && seq == fwd->nextseq && closed)
		kind = PKL_TV_ZERO_WINDOW_PROBE;   /* one new byte at the window's edge */
	else
		return PKL_TV_NONE;
	v->probe_interval_us = fwd->probes ? (now_ns - fwd->last_probe_ns) / 1000 : 0;
	v->probe_num = ++fwd->probes;
	fwd->last_probe_ns = now_ns;
	fwd->probe_unanswered = (uint8_t)kind;
	return kind;
}

/* Bytes never seen, filling a gap that opened gap_ns ago. */
static enum pkl_tcp_own
judge_gap_fill(const struct pkl_tcp_flow *rev, uint32_t seq, uint64_t gap_ns,
	       const struct pkl_tcp_vantage *vp)
{
	uint64_t rtt = vp->sender_rtt_ns;
	bool asked = (rev->dupacknum > 0 || rev->sacked > 0) && seq_le(rev->lastack, seq);

	if (vp->at_sender || !rtt)
		return PKL_TV_CANNOT_TELL;
	if (gap_ns * 2 < rtt)
		return PKL_TV_OUT_OF_ORDER;   /* too soon for any news to reach the sender */
	if (gap_ns * 4 >= rtt * 3 && asked)
		return PKL_TV_LOST_UPSTREAM;
	return PKL_TV_CANNOT_TELL;
}

/* pktlens's verdict on a segment, before the flow takes it in. */
static enum pkl_tcp_own
judge(struct pkl_tcp_flow *fwd, struct pkl_tcp_flow *rev, const struct pkl_tcp *t, uint32_t seq,
      uint64_t frame, uint64_t now_ns, const struct pkl_tcp_vantage *vp,
      struct pkl_tcp_verdict *v)
{
	const uint16_t fl = t->flags;
	const bool syn_fin = fl & (PKL_TCP_SYN | PKL_TCP_FIN);
	const bool control = syn_fin || (fl & PKL_TCP_RST);
	const uint32_t len = t->payload_len;
	const uint32_t end = seq + len + syn_fin;

	if (fl & PKL_TCP_RST)
		return PKL_TV_NONE;
	/* The peer's next segment answers its probe. */
	if (rev->probe_unanswered) {
		enum pkl_tcp_own probe = rev->probe_unanswered;
		rev->probe_unanswered = PKL_TV_NONE;
		if (len == 0 && !control)
			return probe == PKL_TV_ZERO_WINDOW_PROBE ? PKL_TV_ZERO_WINDOW_PROBE_ACK
								 : PKL_TV_KEEP_ALIVE_ACK;
	}
	if (len <= 1 && !control && fwd->nextseq) {
		enum pkl_tcp_own probe = judge_probe(fwd, rev, seq, len, now_ns, v);
		if (probe != PKL_TV_NONE)
			return probe;
	}
	if (len > 0)
		fwd->probes = 0;
	if ((len == 0 && !syn_fin) || !fwd->nextseq || !seq_lt(seq, fwd->nextseq))
		return PKL_TV_NONE;

	const bool acked = len > 0 && rev->lastack && seq_le(seq + len, rev->lastack);
	int h = hole_holding(fwd, seq, end);
	if (h >= 0 && !acked) {
		uint64_t gap_ns = now_ns - fwd->hole[h].ns;
		v->gap_us = gap_ns / 1000;
		return judge_gap_fill(rev, seq, gap_ns, vp);
	}
	if (fwd->pmtu_ns && now_ns - fwd->pmtu_ns > PMTU_HORIZON_NS)
		fwd->pmtu_ns = 0;
	if (fwd->pmtu_ns && len + MIN_HEADERS <= fwd->pmtu_mtu)
		return PKL_TV_PMTU_RETRANSMISSION;
	if (acked)
		return PKL_TV_SPURIOUS_RETRANSMISSION;
	if (seq == rev->lastack && (rev->dupacknum > 0 || rev->sacked > 0))
		return PKL_TV_FAST_RETRANSMISSION;
	/* A SYN+ACK again after a SYN of the peer's that came since its own
	 * last SYN+ACK answers that SYN at once, no timer: a listener
	 * answers every copy of a SYN for a connection it holds half-open,
	 * and in a simultaneous open each end answers the other's SYN with
	 * its own again, now with the ACK (RFC 9293 3.5). */
	if ((fl & (PKL_TCP_SYN | PKL_TCP_ACK)) == (PKL_TCP_SYN | PKL_TCP_ACK) &&
	    rev->syn_frame > fwd->synack_frame && rev->syn_frame < frame) {
		v->answers_syn_frame = rev->syn_frame;
		v->simultaneous_open = fwd->syn_frame != 0;
		return PKL_TV_RETRANSMISSION;
	}
	v->resent_after_frame = fwd->nextseq_frame;
	v->resent_after_us = (now_ns - fwd->nextseq_ns) / 1000;
	return PKL_TV_RETRANSMISSION;   /* its timer fired: RTO, or a tail loss probe */
}

/* The bytes of a segment seen: holes it fills, the one it opens. */
static void
track_holes(struct pkl_tcp_flow *fwd, const struct pkl_tcp *t, uint32_t seq, uint64_t now_ns)
{
	const bool syn_fin = t->flags & (PKL_TCP_SYN | PKL_TCP_FIN);
	uint32_t end = seq + t->payload_len + syn_fin;

	if ((t->flags & PKL_TCP_RST) || end == seq)
		return;
	holes_cut(fwd, seq, end);
	if (fwd->nextseq && seq_gt(seq, fwd->nextseq))
		hole_open(fwd, fwd->nextseq, seq, now_ns);
}

/* An ACK's delay, told by where it was captured. */
static enum pkl_ack_timing
ack_timing(const struct pkl_tcp *t, const struct pkl_tcp_verdict *v,
	   const struct pkl_tcp_vantage *vp)
{
	if (!vp->at_sender)
		return PKL_ACK_ROUND_TRIP;
	if (v->ack_rtt_us * 1000 < TURNAROUND_NS || t->payload_len > 0)
		return PKL_ACK_TURNAROUND;
	return PKL_ACK_DELAYED;
}

void
pkl_tcp_analyse(struct pkl_tcp_pending *pending, struct pkl_tcp_flow *fwd,
		struct pkl_tcp_flow *rev, const struct pkl_tcp *t,
		uint32_t seq, uint32_t ack, uint64_t frame, uint64_t now_ns,
		const struct pkl_tcp_vantage *vp, struct pkl_tcp_verdict *v)
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
		uint64_t ooo_horizon = vp->first_rtt_ns ? vp->first_rtt_ns : 3000000;

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

	v->own = (uint8_t)judge(fwd, rev, t, seq, frame, now_ns, vp, v);
	if (syn && ack_flag)
		fwd->synack_frame = frame;
	else if (syn)
		fwd->syn_frame = frame;
	track_holes(fwd, t, seq, now_ns);

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
		if (v->acked_frame)
			v->ack_timing = (uint8_t)ack_timing(t, v, vp);
	}
	/* What the receiver holds beyond a gap (SACK) is not in flight. */
	if (seglen > 0 && fwd->bif_valid && fwd->una_valid) {
		/* Counted in bytes: a SYN's or FIN's sequence number is none. */
		uint32_t in_flight = fwd->nextseq - fwd->una - (syn || fin);
		if (rev->sacked < in_flight)
			in_flight -= rev->sacked;
		/* Wireshark counts from the lowest unacknowledged byte it saw
		 * go by: bytes the capture never saw are not in flight when
		 * they lie at the oldest unacknowledged one (the gap the ACK
		 * stops at), but a gap above bytes seen and not acknowledged
		 * is (as a capture between two lossy links shows). */
		for (int i = 0; i < fwd->n_holes; i++)
			if (seq_le(fwd->hole[i].lo, fwd->una) && seq_lt(fwd->una, fwd->hole[i].hi) &&
			    fwd->hole[i].hi - fwd->una < in_flight)
				in_flight -= fwd->hole[i].hi - fwd->una;
		if (in_flight > 0 && in_flight < 2000000000) {
			v->bytes_in_flight = in_flight;
			v->bif_valid = true;
		}
	}
}
