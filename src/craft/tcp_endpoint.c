#include "tcp_endpoint.h"

#include <string.h>

#include "../packet.h"

/* Sequence numbers compare modulo 2^32 (RFC 9293 3.4). */
static bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static bool seq_leq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static uint32_t seq_max(uint32_t a, uint32_t b) { return seq_lt(a, b) ? b : a; }

/* RFC 9293 3.7.1: the MSS a peer that announces none takes. */
#define DEFAULT_PEER_MSS 536
/* RFC 7323 2.3: the largest shift a window scale option may ask. */
#define MAX_WSCALE 14
#define TS_OPTION_LEN 12          /* NOP, NOP, kind, length, TSval, TSecr */
#define INITIAL_WINDOW_SEGMENTS 10   /* RFC 6928, as Linux */
/* RFC 6298 5.7: the RTO once data flows, when a SYN had to be sent again. */
#define RTO_AFTER_SYN_LOSS_NS 3000000000ull
#define DUP_ACK_THRESHOLD 3       /* RFC 5681 3.2 */

const char *
pkl_tcp_outcome_name(enum pkl_tcp_outcome o)
{
	static const char *const names[] = {
		[PKL_TCP_OPEN] = "open", [PKL_TCP_CLOSED_NORMALLY] = "closed",
		[PKL_TCP_REFUSED] = "refused", [PKL_TCP_TIMED_OUT] = "timed-out",
		[PKL_TCP_RESET_BY_PEER] = "reset", [PKL_TCP_ABORTED] = "reset",
	};
	return names[o];
}

void
pkl_tcp_endpoint_init(struct pkl_tcp_endpoint *ep, const struct pkl_tcp_config *cfg,
		      const struct pkl_tcp_hooks *hooks)
{
	memset(ep, 0, sizeof *ep);
	ep->cfg = *cfg;
	ep->hooks = *hooks;
	ep->state = PKL_TCPS_CLOSED;
	ep->rto_ns = PKL_TCP_INITIAL_RTO_NS;
	ep->peer_mss = DEFAULT_PEER_MSS;
	ep->ssthresh = UINT32_MAX;
}

uint32_t
pkl_tcp_endpoint_smss(const struct pkl_tcp_endpoint *ep)
{
	uint32_t mss = ep->peer_mss < ep->cfg.mss ? ep->peer_mss : ep->cfg.mss;

	return ep->ts_on ? mss - TS_OPTION_LEN : mss;
}

bool
pkl_tcp_endpoint_all_acked(const struct pkl_tcp_endpoint *ep)
{
	return seq_leq(ep->iss + 1 + (uint32_t)ep->data_len, ep->snd_una);
}

uint64_t
pkl_tcp_endpoint_deadline(const struct pkl_tcp_endpoint *ep)
{
	uint64_t d = UINT64_MAX;

	if (ep->rtx_at)
		d = ep->rtx_at;
	if (ep->time_wait_until && ep->time_wait_until < d)
		d = ep->time_wait_until;
	return d;
}

static void
set_state(struct pkl_tcp_endpoint *ep, enum pkl_tcp_state to)
{
	enum pkl_tcp_state from = ep->state;

	ep->state = to;
	if (to == PKL_TCPS_CLOSED || to == PKL_TCPS_TIME_WAIT)
		ep->rtx_at = 0;   /* nothing of ours is awaited any more */
	if (to == PKL_TCPS_CLOSED)
		ep->time_wait_until = 0;
	if (ep->hooks.state)
		ep->hooks.state(ep->hooks.ctx, from, to);
}

/* The sequence number after the last byte of data: the FIN's. */
static uint32_t
data_end(const struct pkl_tcp_endpoint *ep)
{
	return ep->iss + 1 + (uint32_t)ep->data_len;
}

static bool
fin_acked(const struct pkl_tcp_endpoint *ep)
{
	return ep->close_requested && seq_lt(data_end(ep), ep->snd_una);
}

static void
emit(struct pkl_tcp_endpoint *ep, uint32_t seq, uint16_t flags, const uint8_t *data, size_t len,
     uint64_t now_ns)
{
	struct pkl_tcp_seg seg = { .seq = seq, .flags = flags, .data = data, .len = len };

	if (flags & PKL_TCP_ACK)
		seg.ack = ep->rcv_nxt;
	if (flags & PKL_TCP_SYN) {
		/* The window of a SYN is never scaled (RFC 7323 2.2). */
		seg.window = (uint16_t)(ep->cfg.rcv_window < 65535 ? ep->cfg.rcv_window : 65535);
		seg.has_mss = seg.sack_perm = seg.has_ts = seg.has_wscale = true;
		seg.mss = ep->cfg.mss;
		seg.wscale = ep->cfg.wscale;
		seg.ts_val = (uint32_t)(now_ns / 1000000) + ep->cfg.ts_offset;
	} else {
		uint32_t w = ep->cfg.rcv_window >> ep->rcv_shift;
		seg.window = (uint16_t)(w < 65535 ? w : 65535);
		if (ep->ts_on) {
			seg.has_ts = true;
			seg.ts_val = (uint32_t)(now_ns / 1000000) + ep->cfg.ts_offset;
			seg.ts_ecr = ep->ts_recent;
		}
	}
	bool occupies = len || (flags & (PKL_TCP_SYN | PKL_TCP_FIN));
	if (occupies && seq_lt(seq, ep->snd_max))
		ep->retransmissions++;
	ep->hooks.send(ep->hooks.ctx, &seg);
}

static void
send_ack(struct pkl_tcp_endpoint *ep, uint64_t now_ns)
{
	emit(ep, ep->snd_nxt, PKL_TCP_ACK, NULL, 0, now_ns);
}

/* One segment from snd_nxt: up to len bytes of data, and the FIN when
 * they are the last and the application has closed.  Advances snd_nxt. */
static void
transmit(struct pkl_tcp_endpoint *ep, uint32_t len, uint64_t now_ns)
{
	uint32_t seq = ep->snd_nxt, end = data_end(ep);
	uint16_t flags = PKL_TCP_ACK;

	if (len && seq + len == end)
		flags |= PKL_TCP_PSH;   /* the end of what the application wrote */
	if (ep->close_requested && seq + len == end)
		flags |= PKL_TCP_FIN;
	bool fresh = !seq_lt(seq, ep->snd_max);
	const uint8_t *data = len ? ep->data + (seq - ep->iss - 1) : NULL;
	emit(ep, seq, flags, data, len, now_ns);
	ep->snd_nxt = seq + len + ((flags & PKL_TCP_FIN) ? 1 : 0);
	ep->snd_max = seq_max(ep->snd_max, ep->snd_nxt);
	/* Karn's rule: only a segment sent once is timed. */
	if (fresh && !ep->timing) {
		ep->timing = true;
		ep->timed_seq = ep->snd_nxt;
		ep->timed_at = now_ns;
	}
	if (!ep->rtx_at)
		ep->rtx_at = now_ns + ep->rto_ns;
}

static bool
may_send(const struct pkl_tcp_endpoint *ep)
{
	switch (ep->state) {
	case PKL_TCPS_ESTABLISHED: case PKL_TCPS_CLOSE_WAIT: case PKL_TCPS_FIN_WAIT_1:
	case PKL_TCPS_CLOSING: case PKL_TCPS_LAST_ACK:
		return true;
	default:
		return false;
	}
}

/* Whatever the windows allow: data in segments of the sender's MSS (a
 * smaller one only for the last bytes, or when nothing is in flight, so
 * that a small window cannot stall the sender: RFC 9293 3.8.6.2.1), and
 * the FIN after them.  force: one segment even into a closed window
 * (a retransmission after a timeout, or a zero window probe). */
static void
push(struct pkl_tcp_endpoint *ep, uint64_t now_ns, bool force)
{
	uint32_t smss = pkl_tcp_endpoint_smss(ep), end = data_end(ep);

	while (may_send(ep)) {
		uint32_t flight = ep->snd_nxt - ep->snd_una;
		uint32_t wnd = ep->snd_wnd < ep->cwnd ? ep->snd_wnd : ep->cwnd;
		uint32_t avail = wnd > flight ? wnd - flight : 0;
		if (seq_lt(ep->snd_nxt, end)) {
			uint32_t remaining = end - ep->snd_nxt;
			uint32_t full = remaining < smss ? remaining : smss;
			uint32_t len = full < avail ? full : avail;
			if (len == 0 && force)
				len = 1;   /* into a closed window: a probe */
			if (len == 0 || (len < full && flight > 0 && !force)) {
				/* A closed window with nothing in flight: the timer
				 * probes it. */
				if (!ep->rtx_at && flight == 0)
					ep->rtx_at = now_ns + ep->rto_ns;
				return;
			}
			transmit(ep, len, now_ns);
		} else if (ep->close_requested && ep->snd_nxt == end) {
			transmit(ep, 0, now_ns);
		} else {
			return;
		}
		if (force)
			return;
	}
}

/* RFC 6298 2.2-2.4, with R the round trip just measured. */
static void
rtt_sample(struct pkl_tcp_endpoint *ep, uint64_t r)
{
	if (!ep->rtt_measured) {
		ep->srtt_ns = r;
		ep->rttvar_ns = r / 2;
		ep->rtt_measured = true;
	} else {
		uint64_t diff = ep->srtt_ns > r ? ep->srtt_ns - r : r - ep->srtt_ns;
		ep->rttvar_ns = (3 * ep->rttvar_ns + diff) / 4;
		ep->srtt_ns = (7 * ep->srtt_ns + r) / 8;
	}
	uint64_t rto = ep->srtt_ns + 4 * ep->rttvar_ns;
	if (rto < ep->cfg.min_rto_ns)
		rto = ep->cfg.min_rto_ns;
	ep->rto_ns = rto < PKL_TCP_MAX_RTO_NS ? rto : PKL_TCP_MAX_RTO_NS;
}

static void
on_timeout(struct pkl_tcp_endpoint *ep, uint64_t now_ns)
{
	uint64_t rto = ep->rto_ns * 2;

	ep->rtx_at = 0;
	ep->timing = false;
	ep->rto_ns = rto < PKL_TCP_MAX_RTO_NS ? rto : PKL_TCP_MAX_RTO_NS;   /* 5.5: back off */
	if (ep->state == PKL_TCPS_SYN_SENT) {
		if (ep->syns_sent > ep->cfg.syn_retries) {
			ep->outcome = PKL_TCP_TIMED_OUT;
			set_state(ep, PKL_TCPS_CLOSED);
			return;
		}
		ep->syns_sent++;
		emit(ep, ep->iss, PKL_TCP_SYN, NULL, 0, now_ns);
		ep->rtx_at = now_ns + ep->rto_ns;
		return;
	}
	if (!may_send(ep))
		return;
	if (++ep->backoffs > PKL_TCP_MAX_DATA_RETRIES) {
		ep->outcome = PKL_TCP_TIMED_OUT;
		set_state(ep, PKL_TCPS_CLOSED);
		return;
	}
	/* RFC 5681 3.1: one segment in flight, then slow start again from
	 * the oldest byte not acknowledged (go back N). */
	uint32_t smss = pkl_tcp_endpoint_smss(ep), flight = ep->snd_max - ep->snd_una;
	ep->ssthresh = flight / 2 > 2 * smss ? flight / 2 : 2 * smss;
	ep->cwnd = smss;
	ep->in_recovery = false;
	ep->dup_acks = 0;
	ep->snd_nxt = ep->snd_una;
	push(ep, now_ns, true);
	if (!ep->rtx_at)
		ep->rtx_at = now_ns + ep->rto_ns;
}

void
pkl_tcp_endpoint_tick(struct pkl_tcp_endpoint *ep, uint64_t now_ns)
{
	if (ep->time_wait_until && now_ns >= ep->time_wait_until &&
	    ep->state == PKL_TCPS_TIME_WAIT) {
		ep->outcome = PKL_TCP_CLOSED_NORMALLY;
		set_state(ep, PKL_TCPS_CLOSED);
	}
	if (ep->rtx_at && now_ns >= ep->rtx_at)
		on_timeout(ep, now_ns);
}

void
pkl_tcp_endpoint_connect(struct pkl_tcp_endpoint *ep, uint64_t now_ns)
{
	ep->iss = ep->snd_una = ep->cfg.isn;
	ep->snd_nxt = ep->snd_max = ep->iss;
	set_state(ep, PKL_TCPS_SYN_SENT);
	ep->syns_sent = 1;
	emit(ep, ep->iss, PKL_TCP_SYN, NULL, 0, now_ns);
	ep->snd_nxt = ep->snd_max = ep->iss + 1;
	ep->timed_at = now_ns;
	ep->rtx_at = now_ns + ep->rto_ns;
}

void
pkl_tcp_endpoint_write(struct pkl_tcp_endpoint *ep, const uint8_t *data, size_t len,
		       uint64_t now_ns)
{
	ep->data = data;
	ep->data_len = len;
	push(ep, now_ns, false);
}

void
pkl_tcp_endpoint_close(struct pkl_tcp_endpoint *ep, uint64_t now_ns)
{
	switch (ep->state) {
	case PKL_TCPS_SYN_SENT:
		ep->outcome = PKL_TCP_ABORTED;
		set_state(ep, PKL_TCPS_CLOSED);
		return;
	case PKL_TCPS_ESTABLISHED: set_state(ep, PKL_TCPS_FIN_WAIT_1); break;
	case PKL_TCPS_CLOSE_WAIT: set_state(ep, PKL_TCPS_LAST_ACK); break;
	default: return;
	}
	ep->close_requested = true;
	push(ep, now_ns, false);
}

void
pkl_tcp_endpoint_abort(struct pkl_tcp_endpoint *ep, uint64_t now_ns)
{
	/* RFC 9293 3.10.5: a RST where the peer holds the connection open;
	 * in CLOSING, LAST_ACK and TIME_WAIT both FINs are out already. */
	bool reset = ep->state == PKL_TCPS_ESTABLISHED || ep->state == PKL_TCPS_FIN_WAIT_1 ||
		     ep->state == PKL_TCPS_FIN_WAIT_2 || ep->state == PKL_TCPS_CLOSE_WAIT;

	if (ep->state == PKL_TCPS_CLOSED)
		return;
	ep->outcome = PKL_TCP_ABORTED;
	set_state(ep, PKL_TCPS_CLOSED);
	if (reset)
		emit(ep, ep->snd_nxt, PKL_TCP_RST | PKL_TCP_ACK, NULL, 0, now_ns);
}

/* SYN_SENT (RFC 9293 3.10.7.3): the SYN+ACK, or the RST that refuses. */
static void
receive_syn_sent(struct pkl_tcp_endpoint *ep, const struct pkl_tcp_seg *seg, uint64_t now_ns)
{
	bool ack = seg->flags & PKL_TCP_ACK;

	if (ack && (seq_leq(seg->ack, ep->iss) || seq_lt(ep->snd_max, seg->ack))) {
		if (!(seg->flags & PKL_TCP_RST))
			emit(ep, seg->ack, PKL_TCP_RST, NULL, 0, now_ns);
		return;
	}
	if (seg->flags & PKL_TCP_RST) {
		if (ack) {
			ep->outcome = PKL_TCP_REFUSED;
			set_state(ep, PKL_TCPS_CLOSED);
		}
		return;
	}
	/* A SYN without ACK (a simultaneous open) is not taken: pktlens's
	 * end is a client. */
	if (!(seg->flags & PKL_TCP_SYN) || !ack)
		return;
	ep->irs = seg->seq;
	ep->rcv_nxt = seg->seq + 1;
	if (seg->has_mss)
		ep->peer_mss = seg->mss;
	if (seg->has_wscale) {
		ep->snd_shift = seg->wscale < MAX_WSCALE ? seg->wscale : MAX_WSCALE;
		ep->rcv_shift = ep->cfg.wscale;
	}
	if ((ep->ts_on = seg->has_ts))
		ep->ts_recent = seg->ts_val;
	ep->snd_una = seg->ack;
	ep->snd_wnd = seg->window;
	ep->snd_wl1 = seg->seq;
	ep->snd_wl2 = seg->ack;
	ep->rtx_at = 0;
	if (ep->syns_sent == 1)
		rtt_sample(ep, now_ns - ep->timed_at);
	else
		ep->rto_ns = RTO_AFTER_SYN_LOSS_NS;
	ep->cwnd = INITIAL_WINDOW_SEGMENTS * pkl_tcp_endpoint_smss(ep);
	set_state(ep, PKL_TCPS_ESTABLISHED);
	send_ack(ep, now_ns);
	push(ep, now_ns, false);
}

/* RFC 9293 3.10.7.4, first check: does any of the segment fall in the
 * receive window? */
static bool
acceptable(const struct pkl_tcp_endpoint *ep, const struct pkl_tcp_seg *seg)
{
	uint32_t seg_len = (uint32_t)seg->len + ((seg->flags & PKL_TCP_FIN) ? 1 : 0);
	uint32_t wnd = ep->cfg.rcv_window;
	bool first_in = seq_leq(ep->rcv_nxt, seg->seq) && seq_lt(seg->seq, ep->rcv_nxt + wnd);

	if (seg_len == 0)
		return first_in;
	uint32_t last = seg->seq + seg_len - 1;
	return first_in || (seq_leq(ep->rcv_nxt, last) && seq_lt(last, ep->rcv_nxt + wnd));
}

/* An ACK that acknowledges something new. */
static void
new_ack(struct pkl_tcp_endpoint *ep, const struct pkl_tcp_seg *seg, uint64_t now_ns)
{
	uint32_t acked = seg->ack - ep->snd_una, end = data_end(ep);
	uint32_t data_from = seq_lt(ep->snd_una, end) ? ep->snd_una : end;
	uint32_t data_to = seq_lt(seg->ack, end) ? seg->ack : end;
	uint32_t smss = pkl_tcp_endpoint_smss(ep);

	ep->bytes_acked += data_to - data_from;
	ep->snd_una = seg->ack;
	if (seq_lt(ep->snd_nxt, ep->snd_una))   /* after going back: the peer had more */
		ep->snd_nxt = ep->snd_una;
	if (ep->timing && seq_leq(ep->timed_seq, seg->ack)) {
		ep->timing = false;
		rtt_sample(ep, now_ns - ep->timed_at);
	}
	ep->backoffs = 0;
	if (ep->in_recovery && seq_lt(seg->ack, ep->recover)) {
		/* NewReno's partial ACK: the next hole, at once. */
		uint32_t keep = ep->snd_nxt;
		ep->snd_nxt = ep->snd_una;
		push(ep, now_ns, true);
		ep->snd_nxt = seq_max(keep, ep->snd_nxt);
	} else if (ep->in_recovery) {
		ep->in_recovery = false;
		ep->cwnd = ep->ssthresh;
	} else if (ep->cwnd < ep->ssthresh) {
		ep->cwnd += acked < smss ? acked : smss;      /* slow start */
	} else {
		ep->cwnd += smss * smss / ep->cwnd ? smss * smss / ep->cwnd : 1;
	}
	ep->dup_acks = 0;
	ep->rtx_at = ep->snd_una == ep->snd_max ? 0 : now_ns + ep->rto_ns;
}

/* The same ACK again while data is in flight (RFC 5681 3.2). */
static void
dup_ack(struct pkl_tcp_endpoint *ep, uint64_t now_ns)
{
	uint32_t smss = pkl_tcp_endpoint_smss(ep);

	if (ep->in_recovery) {
		ep->cwnd += smss;   /* a segment has left the network */
		return;
	}
	if (++ep->dup_acks != DUP_ACK_THRESHOLD)
		return;
	uint32_t flight = ep->snd_max - ep->snd_una;
	ep->ssthresh = flight / 2 > 2 * smss ? flight / 2 : 2 * smss;
	ep->cwnd = ep->ssthresh + DUP_ACK_THRESHOLD * smss;
	ep->in_recovery = true;
	ep->recover = ep->snd_max;
	ep->timing = false;
	uint32_t keep = ep->snd_nxt;
	ep->snd_nxt = ep->snd_una;
	push(ep, now_ns, true);
	ep->snd_nxt = seq_max(keep, ep->snd_nxt);
}

/* The ACK field of a segment in a synchronized state.  Returns false
 * when the segment is to be dropped. */
static bool
process_ack(struct pkl_tcp_endpoint *ep, const struct pkl_tcp_seg *seg, uint64_t now_ns)
{
	if (seq_lt(ep->snd_max, seg->ack)) {
		send_ack(ep, now_ns);   /* acknowledges what was never sent */
		return false;
	}
	if (seq_leq(ep->snd_una, seg->ack) &&
	    (seq_lt(ep->snd_wl1, seg->seq) ||
	     (ep->snd_wl1 == seg->seq && seq_leq(ep->snd_wl2, seg->ack)))) {
		uint32_t wnd = (uint32_t)seg->window << ep->snd_shift;
		bool same = wnd == ep->snd_wnd;
		ep->snd_wnd = wnd;
		ep->snd_wl1 = seg->seq;
		ep->snd_wl2 = seg->ack;
		if (seg->ack == ep->snd_una && same && seg->len == 0 &&
		    !(seg->flags & PKL_TCP_FIN) && ep->snd_una != ep->snd_max)
			dup_ack(ep, now_ns);
	}
	if (seq_lt(ep->snd_una, seg->ack))
		new_ack(ep, seg, now_ns);
	switch (ep->state) {
	case PKL_TCPS_FIN_WAIT_1:
		if (fin_acked(ep))
			set_state(ep, PKL_TCPS_FIN_WAIT_2);
		break;
	case PKL_TCPS_CLOSING:
		if (fin_acked(ep)) {
			set_state(ep, PKL_TCPS_TIME_WAIT);
			ep->time_wait_until = now_ns + 2 * ep->cfg.msl_ns;
		}
		break;
	case PKL_TCPS_LAST_ACK:
		if (fin_acked(ep)) {
			ep->outcome = PKL_TCP_CLOSED_NORMALLY;
			set_state(ep, PKL_TCPS_CLOSED);
			return false;
		}
		break;
	default: break;
	}
	return true;
}

/* The peer's FIN, in order: RFC 9293 3.10.7.4, eighth step. */
static void
process_fin(struct pkl_tcp_endpoint *ep, uint64_t now_ns)
{
	if (!ep->fin_received) {
		ep->fin_received = true;
		ep->rcv_nxt++;
	}
	switch (ep->state) {
	case PKL_TCPS_ESTABLISHED: set_state(ep, PKL_TCPS_CLOSE_WAIT); break;
	case PKL_TCPS_FIN_WAIT_1: set_state(ep, PKL_TCPS_CLOSING); break;   /* both at once */
	case PKL_TCPS_FIN_WAIT_2:
		set_state(ep, PKL_TCPS_TIME_WAIT);
		ep->time_wait_until = now_ns + 2 * ep->cfg.msl_ns;
		break;
	default: break;
	}
}

void
pkl_tcp_endpoint_receive(struct pkl_tcp_endpoint *ep, const struct pkl_tcp_seg *seg,
			 uint64_t now_ns)
{
	switch (ep->state) {
	case PKL_TCPS_CLOSED:
		return;
	case PKL_TCPS_SYN_SENT:
		receive_syn_sent(ep, seg, now_ns);
		return;
	case PKL_TCPS_TIME_WAIT:
		/* The only thing that can come is the peer's FIN again, when
		 * our ACK of it was lost: acknowledge it once more and hold
		 * TIME_WAIT 2*MSL from now.  A RST does not end it (RFC 1337). */
		if ((seg->flags & PKL_TCP_FIN) && !(seg->flags & PKL_TCP_RST)) {
			ep->fins_reacked++;
			ep->time_wait_until = now_ns + 2 * ep->cfg.msl_ns;
			send_ack(ep, now_ns);
		}
		return;
	default: break;
	}
	if (!acceptable(ep, seg)) {
		if (!(seg->flags & PKL_TCP_RST))
			send_ack(ep, now_ns);
		return;
	}
	if (seg->flags & PKL_TCP_RST) {
		/* RFC 5961 3.2: only a RST exactly at rcv_nxt resets; one
		 * elsewhere in the window gets a challenge ACK. */
		if (seg->seq == ep->rcv_nxt) {
			ep->outcome = PKL_TCP_RESET_BY_PEER;
			set_state(ep, PKL_TCPS_CLOSED);
		} else {
			send_ack(ep, now_ns);
		}
		return;
	}
	if (seg->flags & PKL_TCP_SYN) {
		send_ack(ep, now_ns);   /* RFC 5961 4.2: a challenge ACK */
		return;
	}
	if (!(seg->flags & PKL_TCP_ACK))
		return;
	/* RFC 7323 4.3: the TSval to echo is the newest of the segments
	 * that begin at or before what we acknowledged. */
	if (ep->ts_on && seg->has_ts && seq_leq(seg->seq, ep->rcv_nxt) &&
	    (int32_t)(seg->ts_val - ep->ts_recent) >= 0)
		ep->ts_recent = seg->ts_val;
	if (!process_ack(ep, seg, now_ns))
		return;

	bool ack_now = false;
	const uint8_t *data = seg->data;
	size_t len = seg->len;
	uint32_t seq = seg->seq;
	if (seq_lt(seq, ep->rcv_nxt)) {   /* partly old: keep the new part */
		uint32_t skip = ep->rcv_nxt - seq;
		skip = skip < len ? skip : (uint32_t)len;
		data += skip;
		len -= skip;
		seq += skip;
	}
	bool receiving = ep->state == PKL_TCPS_ESTABLISHED || ep->state == PKL_TCPS_FIN_WAIT_1 ||
			 ep->state == PKL_TCPS_FIN_WAIT_2;
	if (seq != ep->rcv_nxt) {
		/* Beyond a hole: not delivered, not kept; the duplicate ACK
		 * tells the peer where the hole is (a bare ACK is not answered:
		 * two ends that did so would never stop). */
		if (len || (seg->flags & PKL_TCP_FIN))
			send_ack(ep, now_ns);
		return;
	}
	if (len && receiving) {
		ep->rcv_nxt += (uint32_t)len;
		ep->bytes_received += len;
		if (ep->hooks.deliver)
			ep->hooks.deliver(ep->hooks.ctx, data, len);
		ack_now = true;
	}
	if (seg->flags & PKL_TCP_FIN) {
		process_fin(ep, now_ns);
		ack_now = true;
	}
	if (ack_now)
		send_ack(ep, now_ns);
	push(ep, now_ns, false);
}
