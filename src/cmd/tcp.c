/* `pktlens tcp`: one whole TCP connection whose client end is pktlens's
 * own (src/craft/tcp_endpoint.h), frame by frame, against a real
 * server: the handshake, data both ways, and the close chosen (first,
 * second, or a reset), with every state change of pktlens's end shown
 * at the frame that causes it beside the connection tracker's
 * inference from the same frames.
 *
 * The local kernel must stay out of it: a SYN+ACK for a connection it
 * never opened makes it answer RST.  So pktlens speaks from an address
 * no interface here owns, on the interface's subnet, checked free with
 * RFC 5227 probes and held by answering ARP for it (src/craft/borrow.h):
 * the peer's frames to it reach the capture and never the kernel's TCP. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../craft/borrow.h"
#include "../craft/frame.h"
#include "../craft/tcp_endpoint.h"
#include "../json.h"
#include "../privilege.h"
#include "craft.h"

enum close_mode { CLOSE_FIRST, CLOSE_SECOND, CLOSE_RESET };

struct tcp_args {
	struct pkl_view_opts view;
	struct pkl_craft_opts craft;
	const char *send_text, *send_file;
	enum close_mode close;
	uint64_t wait_ms, idle_ms, msl_s, syn_retries;
	bool lose_final_ack;
	const char *iface, *source;
};

enum { OPT_SEND = PKL_OPT_LONG_ONLY, OPT_SEND_FILE, OPT_CLOSE, OPT_WAIT, OPT_IDLE, OPT_MSL,
       OPT_SYN_RETRIES, OPT_LOSE_FINAL_ACK };

/* --send-file's bound: the whole file is held until acknowledged. */
#define MAX_SEND_FILE (16u << 20)
#define MAX_SYN_RETRIES 10

static const struct pkl_option tcp_options[] = {
	{ OPT_SEND, "send", "TEXT", false,
	  "send TEXT once connected (\\n, \\r, \\t and \\\\ are\nunderstood)" },
	{ OPT_SEND_FILE, "send-file", "FILE", false, "send FILE's bytes (at most 16 MiB)" },
	{ OPT_CLOSE, "close", "HOW", false,
	  "first (default): close first, hold TIME_WAIT;\n"
	  "second: wait for the peer's FIN (--wait), close after\nit; "
	  "reset: abort with RST" },
	{ OPT_IDLE, "idle", "SECS", false,
	  "once all is acknowledged, close when the peer has\n"
	  "sent nothing for this long (default 0.5)" },
	{ OPT_WAIT, "wait", "SECS", false,
	  "how long the peer may take to send its FIN\n"
	  "(--close second; after ours, default 10)" },
	{ OPT_MSL, "msl", "SECS", false,
	  "maximum segment lifetime: TIME_WAIT lasts 2*MSL\n(default 30)" },
	{ OPT_SYN_RETRIES, "syn-retries", "N", false,
	  "SYNs sent again, 1, 2, 4 ... s apart, before\n\"connection timed out\" (default 3)" },
	{ OPT_LOSE_FINAL_ACK, "lose-final-ack", NULL, false,
	  "do not send the ACK of the peer's FIN once, as if\n"
	  "lost: the peer sends its FIN again, and pktlens\n"
	  "answers it from TIME_WAIT" },
	{ 'i', "interface", "IFACE", false, "send on IFACE (default: the route's interface)" },
	{ 'S', "source", "ADDR", false,
	  "speak as ADDR (default: a free address of the\n"
	  "interface's subnet that pktlens holds with ARP;\n"
	  "this host's own gets the connection reset by its\nkernel)" },
	{ 0, NULL, NULL, false, NULL },
};

static int
tcp_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct tcp_args *a = target;

	switch (key) {
	case OPT_SEND: a->send_text = value; break;
	case OPT_SEND_FILE: a->send_file = value; break;
	case OPT_CLOSE:
		if (strcmp(value, "first") == 0)
			a->close = CLOSE_FIRST;
		else if (strcmp(value, "second") == 0)
			a->close = CLOSE_SECOND;
		else if (strcmp(value, "reset") == 0)
			a->close = CLOSE_RESET;
		else
			return pkl_opt_error(p, "--close takes first, second or reset, not '%s'",
					     value);
		break;
	case OPT_IDLE: return pkl_opt_seconds(p, value, 0, 3600 * 1000, &a->idle_ms);
	case OPT_WAIT: return pkl_opt_seconds(p, value, 1, 3600 * 1000, &a->wait_ms);
	case OPT_MSL: return pkl_opt_number(p, value, 1, 3600, "seconds", &a->msl_s);
	case OPT_SYN_RETRIES:
		return pkl_opt_number(p, value, 0, MAX_SYN_RETRIES, "a number of retries",
				      &a->syn_retries);
	case OPT_LOSE_FINAL_ACK: a->lose_final_ack = true; break;
	case 'i': a->iface = value; break;
	case 'S': a->source = value; break;
	}
	return 0;
}

static int
tcp_check(void *target, struct pkl_opt_parser *p)
{
	struct tcp_args *a = target;

	if (a->send_text && a->send_file)
		return pkl_opt_error(p, "--send and --send-file both give the data: keep one");
	if (a->lose_final_ack && a->close != CLOSE_FIRST)
		return pkl_opt_error(p, "--lose-final-ack loses the ACK of the peer's FIN in "
				     "TIME_WAIT, which only --close first reaches");
	return 0;
}

/* ---- the run ------------------------------------------------------------------ */

/* A state change of pktlens's end waiting for the tracker's view of it. */
struct pending {
	enum pkl_tcp_state from, to;
	uint64_t frame;           /* the frame that caused it; 0: the next one we send */
	uint64_t sent_mark;       /* segments sent before it */
};

#define MAX_PENDING 16

struct tcp_run {
	const struct tcp_args *args;
	struct pkl_craft_session *session;
	struct pkl_route_decision *route;
	struct pkl_tcp_endpoint ep;
	uint8_t mac[6];           /* the next hop's */
	uint16_t sport, dport;
	uint16_t ip_id;
	/* The borrowed address is held (ARP answered) from the moment it
	 * is chosen; while probing, a candidate is checked. */
	bool holding;
	struct pkl_addr candidate;
	bool conflict;
	/* Where the endpoint is called from: a frame (its number), or a
	 * call or a timer (0). */
	uint64_t current_frame;
	bool in_timer;
	uint64_t segments_sent, segments_seen;
	struct pending pending[MAX_PENDING];
	size_t n_pending;
	enum pkl_tcp_state tracker_last;
	bool lost_ack_done;
	uint64_t last_heard_ns;   /* pkl_probe_now_ns of the last data or FIN heard */
	uint64_t syn_ts, handshake_ns;
	bool handshake_timed;
	bool entered_time_wait, went_last_ack;
	uint64_t closed_by_frame;   /* the frame that made pktlens's end CLOSED */
	time_t time_wait_until;   /* wall clock, for the summary */
	int status;               /* a send failed: the exit status */
	uint8_t frame[PKL_FRAME_MAX];
};

static bool
json_view(const struct tcp_run *r)
{
	return r->args->view.view == PKL_VIEW_JSON;
}

static struct pkl_out *
out_of(struct tcp_run *r)
{
	return &r->session->out;
}

static void
print_state(struct tcp_run *r, const struct pending *p, bool timer, enum pkl_tcp_state tracker,
	    uint64_t tracker_frame)
{
	struct pkl_out *o = out_of(r);

	if (json_view(r)) {
		struct pkl_json j;
		pkl_json_init(&j, o);
		pkl_json_object_open(&j);
		PKL_JSON_KEY(&j, "kind");
		pkl_json_name(&j, "state");
		PKL_JSON_KEY(&j, "frame");
		if (timer)
			pkl_json_null(&j);
		else
			pkl_json_u64(&j, p->frame);
		PKL_JSON_KEY(&j, "from");
		pkl_json_name(&j, pkl_tcp_state_name(p->from));
		PKL_JSON_KEY(&j, "to");
		pkl_json_name(&j, pkl_tcp_state_name(p->to));
		PKL_JSON_KEY(&j, "tracker");
		if (timer) {
			pkl_json_null(&j);
		} else {
			pkl_json_name(&j, pkl_tcp_state_name(tracker));
			PKL_JSON_KEY(&j, "tracker_frame");
			pkl_json_u64(&j, tracker_frame);
		}
		if (timer) {
			PKL_JSON_KEY(&j, "cause");
			pkl_json_name(&j, "timer");
		}
		pkl_json_object_close(&j);
		pkl_out_char(o, '\n');
		return;
	}
	pkl_out_printf(o, "state: %s -> %s", pkl_tcp_state_name(p->from),
		       pkl_tcp_state_name(p->to));
	if (timer) {
		/* No frame shows a timer: the tracker cannot see it. */
		bool time_wait = p->from == PKL_TCPS_TIME_WAIT;
		pkl_out_str(o, time_wait ? " (2*MSL passed; no frame shows it)\n"
				      : " (a timer; no frame shows it)\n");
		return;
	}
	pkl_out_printf(o, " at frame %llu", (unsigned long long)p->frame);
	if (tracker != p->to)
		pkl_out_printf(o, " (the tracker differs: %s at frame %llu)\n",
			       pkl_tcp_state_name(tracker), (unsigned long long)tracker_frame);
	else if (tracker_frame == p->frame)
		pkl_out_str(o, " (tracker: the same)\n");
	else   /* a receipt shows in the receiver's state when it answers */
		pkl_out_printf(o, " (tracker: the same once frame %llu answers it)\n",
			       (unsigned long long)tracker_frame);
}

/* The endpoint's hook: a state change, printed once the frames show it. */
static void
on_state(void *ctx, enum pkl_tcp_state from, enum pkl_tcp_state to)
{
	struct tcp_run *r = ctx;

	if (to == PKL_TCPS_TIME_WAIT) {
		r->entered_time_wait = true;
		r->time_wait_until = time(NULL) + (time_t)(2 * r->args->msl_s);
	}
	if (from == PKL_TCPS_LAST_ACK)
		r->went_last_ack = true;
	if (to == PKL_TCPS_CLOSED)
		r->closed_by_frame = r->current_frame;
	struct pending p = { .from = from, .to = to, .frame = r->current_frame,
			     .sent_mark = r->segments_sent };
	if (r->in_timer) {
		print_state(r, &p, true, PKL_TCPS_UNKNOWN, 0);
		return;
	}
	if (r->n_pending == MAX_PENDING) {   /* cannot happen: a frame settles them */
		print_state(r, &r->pending[0], false, r->tracker_last, r->pending[0].frame);
		memmove(r->pending, r->pending + 1, --r->n_pending * sizeof *r->pending);
	}
	r->pending[r->n_pending++] = p;
	r->session->answered = true;
}

/* After each frame of the connection: the state changes the tracker now
 * shows, or that a frame we sent after them should have shown. */
static void
settle_pending(struct tcp_run *r, const struct pkl_packet *pkt, enum pkl_tcp_state tracker,
	       bool ours)
{
	uint64_t n = pkt->frame->number;

	while (r->n_pending) {
		struct pending *p = &r->pending[0];
		bool after = ours && r->segments_seen > p->sent_mark;
		if (p->frame == 0) {
			if (!after)
				return;
			p->frame = n;
		}
		if (tracker != p->to && !after)
			return;
		print_state(r, p, false, tracker, n);
		memmove(r->pending, r->pending + 1, --r->n_pending * sizeof *r->pending);
	}
}

/* Received data: a line of its own after the frame that brought it
 * (the frame view shows the segment; this shows what the application
 * reads), with anything unprintable escaped as --send takes it, so that
 * an answer's bytes cannot upset the terminal or the lines around them.
 * Not with -q, which shows only the result, as ping -q. */
static void
escape_data(struct pkl_out *o, const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		uint8_t c = data[i];
		switch (c) {
		case '\n': pkl_out_str(o, "\\n"); break;
		case '\r': pkl_out_str(o, "\\r"); break;
		case '\t': pkl_out_str(o, "\\t"); break;
		case '\\': pkl_out_str(o, "\\\\"); break;
		default:
			if (c >= 0x20 && c < 0x7f)
				pkl_out_char(o, (char)c);
			else
				pkl_out_printf(o, "\\x%02x", c);
		}
	}
}

static void
on_deliver(void *ctx, const uint8_t *data, size_t len)
{
	struct tcp_run *r = ctx;
	struct pkl_out *o = out_of(r);

	if (!r->session->show_frames)
		return;
	if (json_view(r)) {
		/* The text escaped as above, then as JSON: a string that
		 * --send would take back. */
		char buf[4 * 1500 + 1];
		struct pkl_out t;
		pkl_out_init_fixed(&t, buf, sizeof buf);
		escape_data(&t, data, len);
		pkl_out_finish_fixed(&t);
		struct pkl_json j;
		pkl_json_init(&j, o);
		pkl_json_object_open(&j);
		PKL_JSON_KEY(&j, "kind");
		pkl_json_name(&j, "data");
		PKL_JSON_KEY(&j, "frame");
		pkl_json_u64(&j, r->current_frame);
		PKL_JSON_KEY(&j, "bytes");
		pkl_json_u64(&j, len);
		PKL_JSON_KEY(&j, "text");
		pkl_json_string(&j, buf);
		pkl_json_object_close(&j);
		pkl_out_char(o, '\n');
		return;
	}
	pkl_out_printf(o, "data: %zu byte%s: ", len, len == 1 ? "" : "s");
	escape_data(o, data, len);
	pkl_out_char(o, '\n');
}

/* The endpoint's hook: one segment as a frame, from the borrowed
 * address to the peer, with the options laid out as Linux does. */
static void
on_send(void *ctx, const struct pkl_tcp_seg *seg)
{
	struct tcp_run *r = ctx;
	const struct pkl_route_decision *d = r->route;
	char errbuf[PKL_ERRBUF_SIZE];
	uint8_t options[PKL_FRAME_SYN_OPTIONS_LEN];
	size_t options_len = 0;

	if (r->args->lose_final_ack && !r->lost_ack_done && r->ep.state == PKL_TCPS_TIME_WAIT &&
	    seg->flags == PKL_TCP_ACK && seg->len == 0) {
		r->lost_ack_done = true;
		if (!json_view(r))
			pkl_out_str(out_of(r), "lost: the ACK of the peer's FIN is not sent "
				    "(--lose-final-ack), so the peer will send its FIN again\n");
		return;
	}
	if (seg->flags & PKL_TCP_SYN) {
		pkl_frame_syn_options(options, seg->mss, seg->ts_val, seg->wscale);
		options_len = PKL_FRAME_SYN_OPTIONS_LEN;
	} else if (seg->has_ts) {
		pkl_frame_ts_options(options, seg->ts_val, seg->ts_ecr);
		options_len = PKL_FRAME_TS_OPTIONS_LEN;
	}
	struct pkl_frame_eth eth;
	memcpy(eth.src, d->link.mac, 6);
	memcpy(eth.dst, r->mac, 6);
	struct pkl_frame_ip ip = { .src = d->source, .dst = d->dst, .ttl = PKL_FRAME_TTL,
				   .id = r->ip_id++, .df = true };
	struct pkl_frame_tcp tcp = { .sport = r->sport, .dport = r->dport, .seq = seg->seq,
				     .ack = seg->ack, .flags = (uint8_t)seg->flags,
				     .window = seg->window, .options = options,
				     .options_len = options_len, .payload = seg->data,
				     .payload_len = seg->len };
	int len = pkl_frame_build_tcp(&eth, &ip, &tcp, r->frame, sizeof r->frame, errbuf);
	if (len < 0 || pkl_probe_send(r->session->probe, r->frame, (size_t)len, errbuf) < 0) {
		if (!r->status)
			r->status = pkl_cmd_fail(errbuf);
		return;
	}
	r->segments_sent++;
}

static const uint8_t *
ip_src(const struct pkl_layer *ip)
{
	return ip->hdr.ipv4.src;
}

static const uint8_t *
ip_dst(const struct pkl_layer *ip)
{
	return ip->hdr.ipv4.dst;
}

/* An ARP request for the borrowed address, answered; while probing, a
 * claim on the candidate noted. */
static void
arp_frame(struct tcp_run *r, const struct pkl_arp *arp)
{
	const struct pkl_route_decision *d = r->route;
	struct pkl_frame_arp reply;

	if (!r->holding) {
		if (r->candidate.family && pkl_borrow_conflict(arp, d->link.mac, r->candidate.v4)) {
			r->conflict = true;
			r->session->answered = true;
		}
		return;
	}
	if (!pkl_borrow_answer(arp, d->link.mac, d->source.v4, &reply))
		return;
	char errbuf[PKL_ERRBUF_SIZE];
	uint8_t frame[64];
	int len = pkl_frame_build_arp(&reply, frame, sizeof frame, errbuf);
	if ((len < 0 || pkl_probe_send(r->session->probe, frame, (size_t)len, errbuf) < 0) &&
	    !r->status)
		r->status = pkl_cmd_fail(errbuf);
}

static struct pkl_tcp_seg
segment_of(const struct pkl_layer *l)
{
	const struct pkl_tcp *t = &l->hdr.tcp;
	struct pkl_tcp_seg seg = {
		.seq = t->seq, .ack = t->ack, .flags = t->flags, .window = t->window,
		.has_mss = t->has_mss, .mss = t->mss, .has_wscale = t->has_wscale,
		.wscale = t->wscale, .sack_perm = t->sack_perm, .has_ts = t->has_ts,
		.ts_val = t->ts_val, .ts_ecr = t->ts_ecr,
	};
	size_t have = l->caplen > l->hdr_len ? l->caplen - l->hdr_len : 0;
	seg.len = t->payload_len < have ? t->payload_len : have;
	seg.data = l->data + l->hdr_len;
	return seg;
}

/* Every frame after the view: ARP for the borrowed address, and the
 * connection's segments, ours (counted, timed) and the peer's (to the
 * endpoint). */
static void
tcp_match(void *ctx, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct tcp_run *r = ctx;
	const struct pkl_route_decision *d = r->route;
	bool sent = pkt->frame->direction == PKL_DIR_SENT;
	const struct pkl_layer *l = pkl_packet_find(pkt, PKL_PROTO_ARP, 0);

	if (l) {
		if (!sent)
			arp_frame(r, &l->hdr.arp);
		return;
	}
	const struct pkl_layer *ip = pkl_packet_find(pkt, PKL_PROTO_IPV4, 0);
	l = pkl_packet_find(pkt, PKL_PROTO_TCP, 0);
	if (!ip || !l || !(l->flags & PKL_LAYER_HEADER) || !notes->conn.valid)
		return;
	const struct pkl_tcp *t = &l->hdr.tcp;
	const uint8_t *local = sent ? ip_src(ip) : ip_dst(ip);
	const uint8_t *remote = sent ? ip_dst(ip) : ip_src(ip);
	if (memcmp(local, d->source.v4, 4) != 0 || memcmp(remote, d->dst.v4, 4) != 0 ||
	    (sent ? t->sport : t->dport) != r->sport || (sent ? t->dport : t->sport) != r->dport)
		return;
	/* pktlens's end sent the SYN: the tracker's client. */
	enum pkl_tcp_state tracker = (enum pkl_tcp_state)notes->conn.after[PKL_CLIENT];
	r->tracker_last = tracker;
	uint64_t now = pkl_probe_now_ns();
	if (sent) {
		r->segments_seen++;
		if (t->flags & PKL_TCP_SYN)
			r->syn_ts = pkl_frame_ns(pkt->frame);
	} else {
		if ((t->flags & (PKL_TCP_SYN | PKL_TCP_ACK)) == (PKL_TCP_SYN | PKL_TCP_ACK) &&
		    !r->handshake_timed && r->syn_ts) {
			r->handshake_timed = true;
			r->handshake_ns = pkl_frame_ns(pkt->frame) - r->syn_ts;
		}
		struct pkl_tcp_seg seg = segment_of(l);
		if (seg.len || (t->flags & PKL_TCP_FIN))
			r->last_heard_ns = now;
		bool time_wait = r->ep.state == PKL_TCPS_TIME_WAIT;
		uint64_t reacked = r->ep.fins_reacked;
		r->current_frame = pkt->frame->number;
		pkl_tcp_endpoint_receive(&r->ep, &seg, now);
		r->current_frame = 0;
		if (time_wait && r->ep.fins_reacked != reacked) {
			r->time_wait_until = time(NULL) + (time_t)(2 * r->args->msl_s);
			if (!json_view(r))
				pkl_out_printf(out_of(r), "TIME_WAIT: the peer's FIN again (frame "
					       "%llu): acknowledged again, 2*MSL starts over\n",
					       (unsigned long long)pkt->frame->number);
		}
		r->session->answered = true;
	}
	settle_pending(r, pkt, tracker, sent);
}

/* ---- phases ------------------------------------------------------------------- */

typedef bool done_fn(const struct tcp_run *r);

/* Frames and timers until done says so, until_ns (0: no limit but the
 * endpoint's own), or Ctrl-C.  0, or the exit status. */
static int
run_until(struct tcp_run *r, done_fn *done, uint64_t until_ns)
{
	int status = 0;

	for (;;) {
		uint64_t now = pkl_probe_now_ns();
		r->in_timer = true;
		pkl_tcp_endpoint_tick(&r->ep, now);
		r->in_timer = false;
		if (r->status || done(r) || pkl_craft_interrupted() ||
		    (until_ns && now >= until_ns))
			break;
		uint64_t deadline = pkl_tcp_endpoint_deadline(&r->ep);
		if (until_ns && until_ns < deadline)
			deadline = until_ns;
		if ((status = pkl_craft_listen(r->session, deadline == UINT64_MAX
					       ? now + 1000000000u : deadline)) != 0)
			break;
	}
	return status ? status : r->status;
}

static bool
not_syn_sent(const struct tcp_run *r)
{
	return r->ep.state != PKL_TCPS_SYN_SENT;
}

static bool
peer_closed(const struct tcp_run *r)
{
	return r->ep.state != PKL_TCPS_ESTABLISHED;
}

static bool
closed(const struct tcp_run *r)
{
	return r->ep.state == PKL_TCPS_CLOSED;
}

static bool
left_fin_wait(const struct tcp_run *r)
{
	return r->ep.state != PKL_TCPS_FIN_WAIT_1 && r->ep.state != PKL_TCPS_FIN_WAIT_2;
}

static bool
settled(const struct tcp_run *r)
{
	return r->n_pending == 0;
}

static bool
acked_or_closed(const struct tcp_run *r)
{
	return r->ep.state != PKL_TCPS_ESTABLISHED || pkl_tcp_endpoint_all_acked(&r->ep);
}

/* Until everything sent is acknowledged and the peer has sent nothing
 * for --idle (its answer is in), or it closed. */
static int
wait_quiet(struct tcp_run *r)
{
	int status = 0;

	while (status == 0 && r->ep.state == PKL_TCPS_ESTABLISHED && !pkl_craft_interrupted()) {
		if (!pkl_tcp_endpoint_all_acked(&r->ep)) {
			status = run_until(r, acked_or_closed, 0);
			continue;
		}
		uint64_t idle_end = r->last_heard_ns + r->args->idle_ms * 1000000;
		if (pkl_probe_now_ns() >= idle_end)
			break;
		status = run_until(r, peer_closed, idle_end);   /* data moves idle_end on */
	}
	return status;
}

static bool
stdout_is_terminal(const struct tcp_run *r)
{
	return !json_view(r) && isatty(STDOUT_FILENO);
}

/* TIME_WAIT, held to its end: on a terminal the seconds left count down
 * on one line. */
static int
hold_time_wait(struct tcp_run *r)
{
	struct pkl_out *o = out_of(r);
	bool countdown = stdout_is_terminal(r);
	/* The ACK that entered TIME_WAIT comes back from the capture first,
	 * so the frames and the state line come before the countdown. */
	int status = run_until(r, settled, pkl_probe_now_ns() + 100000000u);

	if (status)
		return status;
	if (!json_view(r)) {
		char until[16];
		strftime(until, sizeof until, "%H:%M:%S", localtime(&r->time_wait_until));
		pkl_out_printf(o, "TIME_WAIT: held for 2*MSL = %llu s, until %s (--msl %llu)\n",
			       (unsigned long long)(2 * r->args->msl_s), until,
			       (unsigned long long)r->args->msl_s);
	}
	while (status == 0 && r->ep.state == PKL_TCPS_TIME_WAIT && !pkl_craft_interrupted()) {
		uint64_t now = pkl_probe_now_ns();
		if (countdown) {
			uint64_t left = r->ep.time_wait_until > now ? r->ep.time_wait_until - now : 0;
			/* The cursor goes back to the start of the line: a frame
			 * shown meanwhile writes over the count, not after it. */
			pkl_out_printf(o, "TIME_WAIT: %llu s left \r",
				       (unsigned long long)((left + 999999999) / 1000000000));
			pkl_out_flush(o);
		}
		status = run_until(r, closed, now + 1000000000u);
	}
	/* Else the state line (CLOSED) has written over it. */
	if (countdown && r->ep.state == PKL_TCPS_TIME_WAIT)
		pkl_out_str(o, "                        \r");
	return status;
}

/* Ctrl-C while the peer holds the connection open: a RST, so it is not
 * left half-open. */
static void
interrupted(struct tcp_run *r)
{
	struct pkl_out *o = out_of(r);
	enum pkl_tcp_state s = r->ep.state;
	bool reset = s == PKL_TCPS_ESTABLISHED || s == PKL_TCPS_FIN_WAIT_1 ||
		     s == PKL_TCPS_FIN_WAIT_2 || s == PKL_TCPS_CLOSE_WAIT;

	if (!json_view(r)) {
		if (reset)
			pkl_out_printf(o, "\ninterrupted in %s: RST sent, so that the peer is not "
				       "left with a half-open connection\n", pkl_tcp_state_name(s));
		else
			pkl_out_printf(o, "\ninterrupted in %s: no RST needed\n",
				       pkl_tcp_state_name(s));
	}
	if (reset)
		pkl_tcp_endpoint_abort(&r->ep, pkl_probe_now_ns());
}

/* Say why a phase ended without the peer doing its part. */
static void
say(struct tcp_run *r, const char *text)
{
	if (!json_view(r))
		pkl_out_str(out_of(r), text);
}

/* The close asked for, once connected and the data answered. */
static int
close_connection(struct tcp_run *r)
{
	const struct tcp_args *a = r->args;
	uint64_t now = pkl_probe_now_ns();
	int status = 0;

	if (a->close == CLOSE_RESET) {
		pkl_tcp_endpoint_abort(&r->ep, now);
		return 0;
	}
	if (a->close == CLOSE_SECOND && r->ep.state == PKL_TCPS_ESTABLISHED) {
		status = run_until(r, peer_closed, now + a->wait_ms * 1000000);
		if (status || pkl_craft_interrupted() || r->ep.state == PKL_TCPS_CLOSED)
			return status;
		if (r->ep.state == PKL_TCPS_ESTABLISHED)
			say(r, "no FIN from the peer within --wait: pktlens closes first\n");
	}
	pkl_tcp_endpoint_close(&r->ep, pkl_probe_now_ns());
	if (r->ep.state == PKL_TCPS_FIN_WAIT_1) {
		/* The peer's FIN may never come: Linux gives up on FIN_WAIT_2
		 * after tcp_fin_timeout (60 s); pktlens after --wait. */
		status = run_until(r, left_fin_wait, pkl_probe_now_ns() + a->wait_ms * 1000000);
		if (status || pkl_craft_interrupted())
			return status;
		if (r->ep.state == PKL_TCPS_FIN_WAIT_1 || r->ep.state == PKL_TCPS_FIN_WAIT_2) {
			say(r, "no FIN from the peer within --wait: pktlens resets the connection\n");
			pkl_tcp_endpoint_abort(&r->ep, pkl_probe_now_ns());
			return 0;
		}
	}
	if (r->ep.state == PKL_TCPS_TIME_WAIT)
		return hold_time_wait(r);
	return run_until(r, closed, 0);
}

static int
converse(struct tcp_run *r, const uint8_t *data, size_t len)
{
	int status;

	pkl_tcp_endpoint_connect(&r->ep, pkl_probe_now_ns());
	if ((status = run_until(r, not_syn_sent, 0)) != 0)
		return status;
	if (r->ep.state != PKL_TCPS_ESTABLISHED || pkl_craft_interrupted())
		return 0;
	r->last_heard_ns = pkl_probe_now_ns();
	if (len)
		pkl_tcp_endpoint_write(&r->ep, data, len, r->last_heard_ns);
	if ((status = wait_quiet(r)) != 0 || pkl_craft_interrupted() ||
	    r->ep.state == PKL_TCPS_CLOSED)
		return status;
	return close_connection(r);
}

/* ---- the borrowed address ------------------------------------------------------ */

/* RFC 5227 probes 3 times 1-2 s apart and waits 2 s more; a
 * demonstration cannot wait 5 s before its first frame, and a host that
 * holds the address answers within milliseconds on a LAN: two probes
 * 0.2 s apart, then 0.3 s for an answer. */
#define PROBES 2
#define PROBE_GAP_MS 200
#define PROBE_WAIT_MS 300
#define MAX_CANDIDATES 8

static int
send_probe(struct tcp_run *r)
{
	struct pkl_frame_arp probe = { .kind = PKL_ARP_PROBE };
	char errbuf[PKL_ERRBUF_SIZE];
	uint8_t frame[64];

	memcpy(probe.sender_mac, r->route->link.mac, 6);
	memcpy(probe.target_ip, r->candidate.v4, 4);
	int len = pkl_frame_build_arp(&probe, frame, sizeof frame, errbuf);
	if (len < 0)
		return pkl_cmd_fail(errbuf);
	return pkl_craft_send(r->session, frame, (size_t)len);
}

/* Whether the candidate is free: nobody claimed it while it was probed. */
static int
probe_candidate(struct tcp_run *r, bool *free_out)
{
	int status = 0;

	r->conflict = false;
	for (unsigned i = 0; i < PROBES && status == 0 && !r->conflict; i++) {
		if ((status = send_probe(r)) != 0)
			break;
		uint64_t until = pkl_probe_now_ns() +
				 (i + 1 < PROBES ? PROBE_GAP_MS : PROBE_WAIT_MS) * 1000000ull;
		while (status == 0 && !r->conflict && !pkl_craft_interrupted() &&
		       pkl_probe_now_ns() < until)
			status = pkl_craft_listen(r->session, until);
	}
	*free_out = !r->conflict;
	return status;
}

/* The interface's own IPv4 address and prefix, and every address this
 * host owns (none of them may be borrowed). */
static int
borrow(struct tcp_run *r)
{
	struct pkl_route_decision *d = r->route;
	struct pkl_route_table t;
	char errbuf[PKL_ERRBUF_SIZE];
	const struct pkl_route_ifaddr *net = NULL;

	if (pkl_route_table_load(&t, 4, errbuf) < 0)
		return pkl_cmd_fail(errbuf);
	struct pkl_addr *taken = calloc(t.n_addrs + 2, sizeof *taken);
	if (!taken) {
		pkl_route_table_free(&t);
		return pkl_cmd_fail("out of memory for the addresses of this host");
	}
	size_t n_taken = 0;
	for (size_t i = 0; i < t.n_addrs; i++) {
		taken[n_taken++] = t.addrs[i].addr;
		if (t.addrs[i].ifindex == d->link.index &&
		    (!net || pkl_addr_equal(&t.addrs[i].addr, &d->source)))
			net = &t.addrs[i];
	}
	taken[n_taken++] = d->dst;
	taken[n_taken++] = d->next_hop;
	struct pkl_addr candidates[MAX_CANDIDATES];
	int n = -1;
	if (!net)
		snprintf(errbuf, sizeof errbuf, "%s has no IPv4 address, so no subnet to borrow "
			 "one from: give one with -S", d->link.name);
	else
		n = pkl_borrow_candidates(net, d->link.name, taken, n_taken, candidates,
					  MAX_CANDIDATES, errbuf);
	char prefix[PKL_PREFIX_TEXT] = "";
	if (net) {
		struct pkl_addr base = pkl_addr_network(&net->addr, net->prefix_len);
		pkl_addr_format_prefix(&base, net->prefix_len, prefix, sizeof prefix);
	}
	free(taken);
	pkl_route_table_free(&t);
	if (n < 0)
		return pkl_cmd_fail(errbuf);

	int status = 0;
	bool found = false;
	for (int i = 0; i < n && !found && status == 0 && !pkl_craft_interrupted(); i++) {
		r->candidate = candidates[i];
		status = probe_candidate(r, &found);
	}
	if (status || pkl_craft_interrupted())
		return status;
	if (!found) {
		snprintf(errbuf, sizeof errbuf, "no free address on %s's subnet %s: the %d tried "
			 "were all claimed (ARP answered the probes): give a free one with -S",
			 d->link.name, prefix, n);
		return pkl_cmd_fail(errbuf);
	}
	d->source = r->candidate;
	r->holding = true;
	return 0;
}

/* ---- the summary ---------------------------------------------------------------- */

static const char *
outcome_name(const struct tcp_run *r)
{
	if (pkl_craft_interrupted())
		return "interrupted";
	return pkl_tcp_outcome_name(r->ep.outcome);
}

/* Who holds TIME_WAIT: pktlens when it closed first; the peer when it
 * did (pktlens went through LAST_ACK); nobody after a reset. */
static const char *
time_wait_holder(const struct tcp_run *r)
{
	if (r->entered_time_wait)
		return "pktlens";
	if (r->went_last_ack && r->ep.outcome == PKL_TCP_CLOSED_NORMALLY)
		return "peer";
	return NULL;
}

/* Linux's TIME_WAIT, whatever the MSL (TCP_TIMEWAIT_LEN). */
#define LINUX_TIME_WAIT_S 60

/* State changes the tracker never showed (no frame of ours came after
 * them): said with the tracker's last state. */
static void
flush_pending(struct tcp_run *r)
{
	for (size_t i = 0; i < r->n_pending; i++)
		print_state(r, &r->pending[i], false, r->tracker_last, r->pending[i].frame);
	r->n_pending = 0;
}

static void
report(struct tcp_run *r)
{
	struct pkl_out *o = out_of(r);
	const struct pkl_tcp_endpoint *ep = &r->ep;
	char src[PKL_ADDR_TEXT], dst[PKL_ADDR_TEXT];
	const char *holder = time_wait_holder(r);

	flush_pending(r);
	pkl_addr_format(&r->route->source, src, sizeof src);
	pkl_addr_format(&r->route->dst, dst, sizeof dst);
	if (json_view(r)) {
		char endpoint[PKL_ADDR_TEXT + 8];
		struct pkl_json j;
		pkl_json_init(&j, o);
		pkl_json_object_open(&j);
		PKL_JSON_KEY(&j, "kind");
		pkl_json_name(&j, "result");
		PKL_JSON_KEY(&j, "command");
		pkl_json_name(&j, "tcp");
		snprintf(endpoint, sizeof endpoint, "%s:%u", src, r->sport);
		PKL_JSON_KEY(&j, "source");
		pkl_json_string(&j, endpoint);
		snprintf(endpoint, sizeof endpoint, "%s:%u", dst, r->dport);
		PKL_JSON_KEY(&j, "destination");
		pkl_json_string(&j, endpoint);
		PKL_JSON_KEY(&j, "outcome");
		pkl_json_name(&j, outcome_name(r));
		PKL_JSON_KEY(&j, "final_state");
		pkl_json_name(&j, pkl_tcp_state_name(ep->state));
		PKL_JSON_KEY(&j, "time_wait");
		if (holder)
			pkl_json_name(&j, holder);
		else
			pkl_json_null(&j);
		PKL_JSON_KEY(&j, "bytes_sent");
		pkl_json_u64(&j, ep->bytes_acked);
		PKL_JSON_KEY(&j, "bytes_received");
		pkl_json_u64(&j, ep->bytes_received);
		PKL_JSON_KEY(&j, "retransmissions");
		pkl_json_u64(&j, ep->retransmissions);
		PKL_JSON_KEY(&j, "syns");
		pkl_json_u64(&j, ep->syns_sent);
		PKL_JSON_KEY(&j, "fins_reacked");
		pkl_json_u64(&j, ep->fins_reacked);
		PKL_JSON_KEY(&j, "handshake_rtt_ms");
		if (r->handshake_timed)
			pkl_json_ms(&j, r->handshake_ns / 1000);
		else
			pkl_json_null(&j);
		pkl_json_object_close(&j);
		pkl_out_char(o, '\n');
		return;
	}
	pkl_out_printf(o, "\n%s:%u -> %s:%u: ", src, r->sport, dst, r->dport);
	switch (ep->outcome) {
	case PKL_TCP_REFUSED:
		pkl_out_printf(o, "connection refused: the peer answered the SYN with RST (frame "
			       "%llu): no socket listens on that port\n",
			       (unsigned long long)r->closed_by_frame);
		break;
	case PKL_TCP_TIMED_OUT:
		pkl_out_printf(o, "connection timed out: %s\n", ep->irs || ep->rcv_nxt
			       ? "a segment went unacknowledged through every retry"
			       : "no answer to the SYN or its retries");
		break;
	case PKL_TCP_RESET_BY_PEER:
		pkl_out_printf(o, "reset by the peer (RST, frame %llu)\n",
			       (unsigned long long)r->closed_by_frame);
		break;
	case PKL_TCP_ABORTED: pkl_out_str(o, "reset by pktlens (RST sent)\n"); break;
	case PKL_TCP_CLOSED_NORMALLY: pkl_out_str(o, "closed\n"); break;
	case PKL_TCP_OPEN: pkl_out_printf(o, "%s\n", outcome_name(r)); break;
	}
	pkl_out_printf(o, "  %u SYN%s sent", ep->syns_sent, ep->syns_sent == 1 ? "" : "s");
	if (r->handshake_timed) {
		pkl_out_str(o, ", handshake ");
		pkl_out_ms(o, r->handshake_ns / 1000);
		pkl_out_str(o, " ms (SYN to SYN+ACK)");
	}
	pkl_out_printf(o, "\n  %llu bytes sent and acknowledged, %llu received, %llu "
		       "retransmission%s\n", (unsigned long long)ep->bytes_acked,
		       (unsigned long long)ep->bytes_received,
		       (unsigned long long)ep->retransmissions, ep->retransmissions == 1 ? "" : "s");
	if (holder && holder[0] == 'p' && holder[1] == 'k') {
		char until[16];
		strftime(until, sizeof until, "%H:%M:%S", localtime(&r->time_wait_until));
		pkl_out_printf(o, "  TIME_WAIT: held by pktlens (it closed first) %s %s\n",
			       ep->state == PKL_TCPS_CLOSED ? "until" : "until (cut short)", until);
	} else if (holder) {
		time_t until = time(NULL) + LINUX_TIME_WAIT_S;
		char at[16];
		strftime(at, sizeof at, "%H:%M:%S", localtime(&until));
		pkl_out_printf(o, "  TIME_WAIT: held by the peer (it closed first), on Linux for "
			       "%d s: until about %s\n", LINUX_TIME_WAIT_S, at);
	} else {
		pkl_out_str(o, "  TIME_WAIT: nobody holds it\n");
	}
}

/* ---- options to run --------------------------------------------------------------- */

/* --send's text with \n, \r, \t and \\ made bytes, in place. */
static int
unescape(const struct pkl_command *cmd, char *s, size_t *len)
{
	char *w = s;

	for (const char *p = s; *p; p++) {
		if (*p != '\\') {
			*w++ = *p;
			continue;
		}
		switch (*++p) {
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case 't': *w++ = '\t'; break;
		case '\\': *w++ = '\\'; break;
		default:
			return pkl_cmd_usage_error(cmd, "--send understands \\n, \\r, \\t and \\\\; "
						   "not '\\%s' (for other bytes, use --send-file)",
						   *p ? (char[2]){ *p, 0 } : "");
		}
	}
	*len = (size_t)(w - s);
	return 0;
}

static int
read_send_file(const struct pkl_command *cmd, const char *path, uint8_t **data, size_t *len)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(errbuf, sizeof errbuf, "cannot read --send-file %s: %s", path,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return pkl_cmd_fail(errbuf);
	}
	if (st.st_size > (off_t)MAX_SEND_FILE) {
		close(fd);
		return pkl_cmd_usage_error(cmd, "--send-file %s has %lld bytes; at most 16 MiB are "
					   "sent", path, (long long)st.st_size);
	}
	*data = malloc(st.st_size ? (size_t)st.st_size : 1);
	size_t got = 0;
	while (*data && got < (size_t)st.st_size) {
		ssize_t n = read(fd, *data + got, (size_t)st.st_size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!*data || got != (size_t)st.st_size) {
		snprintf(errbuf, sizeof errbuf, "cannot read --send-file %s whole%s", path,
			 *data ? "" : ": out of memory");
		return pkl_cmd_fail(errbuf);
	}
	*len = got;
	return 0;
}

static int
decide(const struct pkl_command *cmd, const struct tcp_args *a, const char *target,
       struct pkl_route_decision *d, struct pkl_addr *source)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_route_request req = { .interface = a->iface,
					 .allow_broadcast = a->craft.broadcast };

	if (pkl_addr_parse(target, &req.dst) < 0)
		return pkl_cmd_usage_error(cmd, "'%s' is not an IPv4 address", target);
	if (req.dst.family != 4)
		return pkl_cmd_usage_error(cmd, "pktlens tcp speaks IPv4 only (its borrowed address "
					   "is held with ARP): '%s' is IPv6", target);
	if (a->source && (pkl_addr_parse(a->source, source) < 0 || source->family != 4))
		return pkl_cmd_usage_error(cmd, "-S takes an IPv4 address, not '%s'", a->source);
	if (pkl_route_decide(&req, d, errbuf) < 0)
		return pkl_cmd_fail(errbuf);
	if (d->link.loopback) {
		snprintf(errbuf, sizeof errbuf, "%s is reached over %s: the kernel owns all of "
			 "127.0.0.0/8 and this host's own addresses, so its TCP would answer "
			 "pktlens's segments itself; use a kernel socket demo there, or a host "
			 "on another link", target, d->link.name);
		return pkl_cmd_fail(errbuf);
	}
	if ((!a->source || !pkl_addr_equal(source, &d->source)) &&
	    pkl_privilege_require_root("a connection from an address that is not the "
				       "interface's own", errbuf) < 0)
		return pkl_cmd_fail(errbuf);
	return 0;
}

static void
say_source(struct tcp_run *r, bool own)
{
	char src[PKL_ADDR_TEXT];

	if (json_view(r))
		return;
	pkl_addr_format(&r->route->source, src, sizeof src);
	if (own)
		pkl_out_printf(out_of(r), "pktlens speaks as %s, this host's own address (-S): its "
			       "kernel will reset the connection when the SYN+ACK comes\n", src);
	else
		pkl_out_printf(out_of(r), "pktlens speaks as %s, an address no interface here owns, "
			       "so this host's kernel will not reset the connection\n", src);
}

static uint32_t
random32(void)
{
	uint32_t v = 0;

	/* Unpredictable ISN and port (RFC 6528, 6056); a failure leaves 0,
	 * which still works. */
	if (getrandom(&v, sizeof v, 0) != sizeof v)
		v = (uint32_t)pkl_probe_now_ns();
	return v;
}

/* The receive buffer pktlens advertises: what it delivers is printed at
 * once, so the window stays open; 64 KiB as a scaled window of Linux. */
#define RCV_WINDOW 65535u
#define WSCALE 7
#define ARP_TRIES 3                /* for the next hop's MAC, a second apart */
#define FIRST_EPHEMERAL 32768     /* Linux's ip_local_port_range */
#define LAST_EPHEMERAL 60999

static int
run(const struct pkl_command *cmd, int argc, char **argv)
{
	struct tcp_args a = { .view = PKL_VIEW_DEFAULTS, .wait_ms = 10000, .idle_ms = 500,
			      .msl_s = 30, .syn_retries = 3 };
	const struct pkl_opt_group groups[] = {
		{ "Connection", tcp_options, tcp_apply, tcp_check, &a },
		{ "Views (default: every frame sent and heard, explained, with the states)",
		  pkl_craft_view_options, pkl_view_apply, pkl_craft_view_check, &a.view },
		{ "Recording and privileges", pkl_craft_options_w, pkl_craft_apply, NULL, &a.craft },
	};
	int first, status;

	if ((status = pkl_opts_parse(cmd, groups, PKL_NGROUPS(groups), argc, argv, &first)) >= 0)
		return status;
	if (argc - first != 2)
		return pkl_cmd_usage_error(cmd, argc - first < 2
					   ? "which host and which port? (pktlens tcp 192.168.1.20 8080)"
					   : "one host and one port: '%s' is one too many",
					   argv[first + (argc - first < 2 ? 0 : 2)]);
	uint64_t port;
	char *end;
	port = strtoull(argv[first + 1], &end, 10);
	const char *digits = argv[first + 1];
	if (*end || port < 1 || port > 65535 || digits[0] < '0' || digits[0] > '9')
		return pkl_cmd_usage_error(cmd, "the port is a number from 1 to 65535, not '%s'",
					   argv[first + 1]);

	uint8_t *data = NULL;
	size_t len = 0;
	if (a.send_text) {
		data = (uint8_t *)strdup(a.send_text);
		if (!data)
			return pkl_cmd_fail("out of memory for --send");
		if ((status = unescape(cmd, (char *)data, &len)) != 0) {
			free(data);
			return status;
		}
	} else if (a.send_file && (status = read_send_file(cmd, a.send_file, &data, &len)) != 0) {
		free(data);
		return status;
	}

	struct pkl_craft_session s;
	struct pkl_route_decision d;
	struct pkl_addr source = { 0 };
	struct tcp_run *r = calloc(1, sizeof *r);
	if (!r) {
		free(data);
		return pkl_cmd_fail("out of memory");
	}
	if ((status = decide(cmd, &a, argv[first], &d, &source)) != 0) {
		free(r);
		free(data);
		return status;
	}
	*r = (struct tcp_run){ .args = &a, .session = &s, .route = &d, .dport = (uint16_t)port };
	a.craft.msl = (uint32_t)a.msl_s;
	char filter[128], peer[PKL_ADDR_TEXT];
	pkl_addr_format(&d.dst, peer, sizeof peer);
	/* The peer's segments on that port, and ARP: the questions for the
	 * borrowed address, and the answers about the next hop. */
	snprintf(filter, sizeof filter, "arp or (tcp and host %s and port %llu)", peer,
		 (unsigned long long)port);
	if ((status = pkl_craft_start(&s, &a.craft, &a.view, &d.link, filter)) == 0) {
		pkl_craft_catch_interrupt();
		pkl_craft_add_sink(&s, tcp_match, r);
		pkl_craft_say_route(&s, &d);
		bool own = a.source && pkl_addr_equal(&source, &d.source);
		if (a.source) {
			d.source = source;
			r->holding = !own;
		} else {
			status = borrow(r);
		}
		if (status == 0 && !pkl_craft_interrupted()) {
			say_source(r, own);
			int rc = pkl_craft_next_hop_mac(&s, &d, false, ARP_TRIES, 1000, r->mac);
			status = rc >= 0 ? rc : pkl_craft_no_next_hop(&d, ARP_TRIES);
		}
		if (status == 0 && !pkl_craft_interrupted()) {
			const struct pkl_tcp_config cfg = {
				.isn = random32(), .ts_offset = random32(),
				.mss = pkl_frame_mss(d.link.mtu, 4), .wscale = WSCALE,
				.rcv_window = RCV_WINDOW, .syn_retries = (unsigned)a.syn_retries,
				.msl_ns = a.msl_s * 1000000000ull, .min_rto_ns = PKL_TCP_INITIAL_RTO_NS,
			};
			const struct pkl_tcp_hooks hooks = { on_send, on_state, on_deliver, r };
			pkl_tcp_endpoint_init(&r->ep, &cfg, &hooks);
			r->sport = (uint16_t)(FIRST_EPHEMERAL +
					      random32() % (LAST_EPHEMERAL - FIRST_EPHEMERAL + 1));
			r->ip_id = (uint16_t)random32();
			status = converse(r, data, len);
			if (status == 0 && pkl_craft_interrupted())
				interrupted(r);
			if (status == 0)
				status = pkl_craft_drain(&s);
			if (status == 0)
				report(r);
		}
	}
	/* As nc: a connection that could not be made or was broken by the
	 * peer is a failure; a close or reset asked for (Ctrl-C too) is not. */
	if (status == 0 && !pkl_craft_interrupted() &&
	    (r->ep.outcome == PKL_TCP_REFUSED || r->ep.outcome == PKL_TCP_TIMED_OUT ||
	     r->ep.outcome == PKL_TCP_RESET_BY_PEER))
		status = EXIT_RUNTIME;
	status = pkl_craft_end(&s, status);
	free(r);
	free(data);
	return status;
}

const struct pkl_command pkl_cmd_tcp = {
	.name = "tcp",
	.synopsis = "[options] HOST PORT",
	.summary = "one TCP connection whose client end is pktlens's own, frame by frame",
	.description =
		"Open a TCP connection to HOST's PORT with pktlens's own endpoint (RFC 9293):\n"
		"the SYN with Linux's options, --send's data, the answer shown, then the\n"
		"close: first (pktlens holds TIME_WAIT for 2*MSL), second (the peer does) or\n"
		"a reset.  Every frame is shown, and every state change of pktlens's end at\n"
		"the frame that causes it, beside the connection tracker's inference.\n"
		"pktlens speaks from a free address of the interface's subnet that it holds\n"
		"with ARP, so this host's kernel never sees the peer's answers and does not\n"
		"reset the connection (no firewall rule needed).  Needs root.",
	.epilogue = "Exit status: 0 when the connection closed or was reset as asked, 1 when it "
		    "was\nrefused, timed out, reset by the peer or could not be tried, 2 for a "
		    "usage error.",
	.run = run,
};
