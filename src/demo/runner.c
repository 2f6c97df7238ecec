#include "runner.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../craft/probe.h"
#include "../json.h"
#include "../privilege.h"
#include "../sockdiag.h"
#include "../tcp_analysis.h"
#include "calls.h"

/* The link is taken as quiet once no frame came for this long: longer
 * than the 40 ms a delayed ACK waits at least (TCP_DELACK_MIN), so the
 * ACK a step causes is shown with the step. */
#define QUIET_MS 60
/* lo's MTU and an Ethernet header (lo's frames carry zero MACs). */
#define LO_FRAME_MAX (65536 + 14)
/* The longest one drain goes on, however busy the link. */
#define DRAIN_MAX_MS 1000

uint16_t
pkl_demo_port(const struct pkl_demo *d, unsigned i)
{
	return d->port[i];
}

void
pkl_demo_say(struct pkl_demo *d, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (d->json) {
		struct pkl_json j;
		pkl_demo_json_open(d, &j, "say");
		PKL_JSON_KEY(&j, "text");
		pkl_json_string(&j, text);
		pkl_demo_json_close(d, &j);
		return;
	}
	pkl_out_str(&d->out, text);
	pkl_out_char(&d->out, '\n');
}

int
pkl_demo_fail(struct pkl_demo *d, const char *fmt, ...)
{
	char text[PKL_ERRBUF_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	/* After the frames and calls shown so far, so the sentence follows them. */
	pkl_out_flush(&d->out);
	if (!d->status)
		d->status = pkl_cmd_fail(text);
	return -1;
}

void
pkl_demo_json_open(struct pkl_demo *d, struct pkl_json *j, const char *kind)
{
	pkl_json_init(j, &d->out);
	pkl_json_object_open(j);
	PKL_JSON_KEY(j, "kind");
	pkl_json_name(j, kind);
}

void
pkl_demo_json_close(struct pkl_demo *d, struct pkl_json *j)
{
	pkl_json_object_close(j);
	pkl_out_char(&d->out, '\n');
}

/* ---- frames ------------------------------------------------------------- */

static struct pkl_demo_conn *
conn_of(struct pkl_demo *d, const struct pkl_packet *pkt, const struct pkl_conn_snapshot *s)
{
	for (unsigned i = 0; i < d->nconns; i++)
		if (d->conn[i].id == s->id)
			return &d->conn[i];
	const struct pkl_layer *ip = pkl_packet_find(pkt, PKL_PROTO_IPV4, 0);
	const struct pkl_layer *tcp = pkl_packet_find(pkt, PKL_PROTO_TCP, 0);
	if (!ip || !tcp || d->nconns == PKL_DEMO_MAX_CONNS)
		return NULL;
	struct pkl_demo_conn *c = &d->conn[d->nconns++];
	*c = (struct pkl_demo_conn){ .id = s->id };
	struct pkl_endpoint *from = &c->end[s->sender], *to = &c->end[!s->sender];
	*from = (struct pkl_endpoint){ .port = tcp->hdr.tcp.sport, .family = 4 };
	*to = (struct pkl_endpoint){ .port = tcp->hdr.tcp.dport, .family = 4 };
	memcpy(from->addr, ip->hdr.ipv4.src, 4);
	memcpy(to->addr, ip->hdr.ipv4.dst, 4);
	return c;
}

/* A pkl_sink_fn: each end's latest state as the tracker infers it, and
 * the segments of new data each sent (stream counts them). */
static void
follow_frame(void *ctx, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct pkl_demo *d = ctx;
	const struct pkl_conn_snapshot *s = &notes->conn;

	if (!s->valid)
		return;
	struct pkl_demo_conn *c = conn_of(d, pkt, s);
	if (!c)
		return;
	c->state[PKL_CLIENT] = s->after[PKL_CLIENT];
	c->state[PKL_SERVER] = s->after[PKL_SERVER];
	const struct pkl_layer *tcp = pkl_packet_find(pkt, PKL_PROTO_TCP, 0);
	uint32_t again = PKL_TA_RETRANSMISSION | PKL_TA_FAST_RETRANSMISSION |
			 PKL_TA_SPURIOUS_RETRANSMISSION;
	if (tcp && tcp->hdr.tcp.payload_len > 0 && !(s->analysis.flags & again))
		c->data_segments[s->sender]++;
}

/* A pkl_sink_fn: the frame's arrow in the ladders printed at the end. */
static void
record_arrow(void *timeline, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	pkl_timeline_add(timeline, pkt, notes);
}

/* Every frame ready now; returns how many, or -1 after failing. */
static int
take_ready(struct pkl_demo *d)
{
	char errbuf[PKL_ERRBUF_SIZE];

	if (d->take_ready)
		return d->take_ready(d);
	int n = pkl_capture_dispatch(d->cap, pkl_pipeline_frame, d->pipeline, errbuf);

	if (n == -1)
		return pkl_demo_fail(d, "%s", errbuf);
	return n < 0 ? 0 : n;
}

/* Frames until until_ns, or (quiet) until none came for QUIET_MS. */
static void
take_frames(struct pkl_demo *d, uint64_t until_ns, bool quiet)
{
	char errbuf[PKL_ERRBUF_SIZE];
	uint64_t last = pkl_probe_now_ns();
	int n;

	while (!d->status && (n = take_ready(d)) >= 0) {
		uint64_t now = pkl_probe_now_ns();
		if (n > 0)
			last = now;
		uint64_t end = until_ns;
		if (quiet && last + QUIET_MS * 1000000ull < end)
			end = last + QUIET_MS * 1000000ull;
		if (now >= end)
			break;
		int ms = (int)((end - now + 999999) / 1000000);
		if ((d->wait_frames ? d->wait_frames(d, ms, errbuf) :
				      pkl_capture_wait(d->cap, ms, errbuf)) < 0)
			pkl_demo_fail(d, "%s", errbuf);
	}
	pkl_out_flush(&d->out);
}

void
pkl_demo_drain(struct pkl_demo *d)
{
	if (!d->burst)
		take_frames(d, pkl_probe_now_ns() + DRAIN_MAX_MS * 1000000ull, true);
}

void
pkl_demo_burst(struct pkl_demo *d, bool on)
{
	d->burst = on;
	if (!on)
		pkl_demo_drain(d);
}

void
pkl_demo_wait(struct pkl_demo *d, uint64_t ms)
{
	take_frames(d, pkl_probe_now_ns() + ms * 1000000ull, false);
}

void
pkl_demo_step(struct pkl_demo *d, const char *title)
{
	if (d->steps++ > 0) {
		if (d->opts->step) {
			pkl_out_flush(&d->out);
			fputs("(Enter for the next step)", stderr);
			int ch;
			while ((ch = getchar()) != EOF && ch != '\n')
				;
		} else {
			pkl_demo_wait(d, d->opts->pace_ms);
		}
	}
	if (d->json) {
		struct pkl_json j;
		pkl_demo_json_open(d, &j, "step");
		PKL_JSON_KEY(&j, "title");
		pkl_json_string(&j, title);
		pkl_demo_json_close(d, &j);
	} else {
		pkl_out_printf(&d->out, "\n== %s\n", title);
	}
	pkl_out_flush(&d->out);
}

/* ---- the kernel's word -------------------------------------------------- */

/* ss's spelling of a state's name, for the text: "TIME-WAIT". */
static void
out_ss_state(struct pkl_out *o, const char *name)
{
	for (const char *p = name; *p; p++)
		pkl_out_char(o, *p == '_' ? '-' : *p);
}

/* The kernel's socket of one end: *found, and its state and timer.
 * A TIME_WAIT socket and a newer one of the same pair: the newer.  An
 * end the frames left in LISTEN (a SYN nobody answered yet) is the
 * listening socket, which has no peer. */
static int
kernel_end(struct pkl_demo *d, const struct pkl_endpoint *local, const struct pkl_endpoint *peer,
	   enum pkl_tcp_state inferred, bool *found, struct pkl_sock *sock)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_addr l = { .family = 4 }, p = { .family = 4 }, any = { .family = 4 };
	struct pkl_sock socks[2];
	size_t n;

	memcpy(l.v4, local->addr, 4);
	memcpy(p.v4, peer->addr, 4);
	if (pkl_sockdiag_find(PKL_SOCK_TCP, &l, local->port, &p, peer->port, socks, 2, &n,
			      errbuf) < 0 ||
	    (n == 0 && inferred == PKL_TCPS_LISTEN &&
	     pkl_sockdiag_find(PKL_SOCK_TCP, &l, local->port, &any, 0, socks, 2, &n, errbuf) < 0))
		return pkl_demo_fail(d, "%s", errbuf);
	*found = n > 0;
	if (n > 0)
		*sock = socks[n > 1 && socks[0].state == PKL_TCPS_TIME_WAIT ? 1 : 0];
	return 0;
}

static void
say_kernel(struct pkl_demo *d, const struct pkl_demo_conn *c, int end, bool found,
	   const struct pkl_sock *sock, bool agree)
{
	const struct pkl_endpoint *local = &c->end[end], *peer = &c->end[!end];
	enum pkl_tcp_state kernel = found ? sock->state : PKL_TCPS_CLOSED;
	bool timer = found && sock->timer != PKL_SOCK_TIMER_NONE;
	const char *role = end == PKL_CLIENT ? "client" : "server";

	if (d->json) {
		struct pkl_json j;
		pkl_demo_json_open(d, &j, "kernel");
		PKL_JSON_KEY(&j, "who");
		pkl_json_name(&j, role);
		PKL_JSON_KEY(&j, "local");
		pkl_json_endpoint(&j, 4, local->addr, local->port);
		PKL_JSON_KEY(&j, "peer");
		pkl_json_endpoint(&j, 4, peer->addr, peer->port);
		PKL_JSON_KEY(&j, "state");
		pkl_json_name(&j, pkl_tcp_state_name(kernel));
		PKL_JSON_KEY(&j, "socket");
		pkl_json_bool(&j, found);
		PKL_JSON_KEY(&j, "timer");
		if (timer)
			pkl_json_name(&j, pkl_sockdiag_timer_name(sock->timer));
		else
			pkl_json_null(&j);
		PKL_JSON_KEY(&j, "timer_s");
		if (timer)   /* milliseconds, written as seconds with three decimals */
			pkl_json_ms(&j, sock->timer_ms);
		else
			pkl_json_null(&j);
		PKL_JSON_KEY(&j, "recv_q");
		pkl_json_u64(&j, found ? sock->recv_q : 0);
		PKL_JSON_KEY(&j, "send_q");
		pkl_json_u64(&j, found ? sock->send_q : 0);
		PKL_JSON_KEY(&j, "inferred");
		pkl_json_name(&j, pkl_tcp_state_name(c->state[end]));
		PKL_JSON_KEY(&j, "agree");
		pkl_json_bool(&j, agree);
		pkl_demo_json_close(d, &j);
		return;
	}
	pkl_out_str(&d->out, "kernel: ");
	pkl_out_endpoint(&d->out, 4, local->addr, local->port);
	pkl_out_str(&d->out, " -> ");
	pkl_out_endpoint(&d->out, 4, peer->addr, peer->port);
	pkl_out_char(&d->out, ' ');
	if (found)
		out_ss_state(&d->out, pkl_tcp_state_name(kernel));
	else
		pkl_out_str(&d->out, "no socket (CLOSED)");
	if (timer)   /* which timer: JSON says; the state tells it here */
		pkl_out_printf(&d->out, ", timer %.1f s", sock->timer_ms / 1000.0);
	if (found && (sock->recv_q || sock->send_q))
		pkl_out_printf(&d->out, ", Recv-Q %u Send-Q %u", sock->recv_q, sock->send_q);
	pkl_out_printf(&d->out, " | frames: %s %s | %s\n", role, pkl_tcp_state_name(c->state[end]),
		       agree ? "agree" : "DISAGREE");
}

void
pkl_demo_confirm(struct pkl_demo *d)
{
	pkl_demo_drain(d);
	for (unsigned i = 0; i < d->nconns && !d->status; i++) {
		struct pkl_demo_conn *c = &d->conn[i];
		for (int end = PKL_CLIENT; end <= PKL_SERVER; end++) {
			struct pkl_sock sock = { .state = PKL_TCPS_CLOSED };
			bool found = false;
			if (c->confirmed_closed[end] ||
			    kernel_end(d, &c->end[end], &c->end[!end], c->state[end], &found,
				       &sock) < 0)
				continue;
			enum pkl_tcp_state kernel = found ? sock.state : PKL_TCPS_CLOSED;
			/* "LISTEN?" (a SYN not answered yet) is a listener or no socket. */
			bool agree = kernel == c->state[end] ||
				     (c->state[end] == PKL_TCPS_LISTEN_UNKNOWN &&
				      (kernel == PKL_TCPS_LISTEN || kernel == PKL_TCPS_CLOSED));
			say_kernel(d, c, end, found, &sock, agree);
			if (!agree)
				d->disagreements++;
			c->confirmed_closed[end] = agree && kernel == PKL_TCPS_CLOSED;
		}
	}
	pkl_out_flush(&d->out);
}

int
pkl_demo_show_socket(struct pkl_demo *d, bool udp, uint16_t port)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_addr local = { .family = 4, .v4 = { 127, 0, 0, 1 } }, any = { .family = 4 };
	struct pkl_sock s;
	size_t n;

	pkl_demo_drain(d);
	if (pkl_sockdiag_find(udp ? PKL_SOCK_UDP : PKL_SOCK_TCP, &local, port, &any, 0, &s, 1, &n,
			      errbuf) < 0)
		return pkl_demo_fail(d, "%s", errbuf);
	if (n == 0)
		return pkl_demo_fail(d, "the kernel has no %s socket on 127.0.0.1:%u",
				     udp ? "UDP" : "TCP", port);
	if (d->json) {
		struct pkl_json j;
		pkl_demo_json_open(d, &j, "socket");
		PKL_JSON_KEY(&j, "proto");
		pkl_json_name(&j, pkl_sockdiag_proto_name(s.proto));
		PKL_JSON_KEY(&j, "local");
		pkl_json_endpoint(&j, 4, local.v4, port);
		PKL_JSON_KEY(&j, "state");
		pkl_json_name(&j, pkl_sockdiag_state_name(&s));
		PKL_JSON_KEY(&j, "recv_q");
		pkl_json_u64(&j, s.recv_q);
		PKL_JSON_KEY(&j, "send_q");
		pkl_json_u64(&j, s.send_q);
		pkl_demo_json_close(d, &j);
	} else {
		pkl_out_printf(&d->out, "kernel: %s 127.0.0.1:%u ", pkl_sockdiag_proto_name(s.proto),
			       port);
		out_ss_state(&d->out, pkl_sockdiag_state_name(&s));
		pkl_out_printf(&d->out, ", Recv-Q %u Send-Q %u\n", s.recv_q, s.send_q);
	}
	pkl_out_flush(&d->out);
	return 0;
}

const struct pkl_demo_conn *
pkl_demo_conn_by_client_port(const struct pkl_demo *d, uint16_t port)
{
	for (unsigned i = 0; i < d->nconns; i++)
		if (d->conn[i].end[PKL_CLIENT].port == port)
			return &d->conn[i];
	return NULL;
}

/* ---- the run ------------------------------------------------------------ */

/* A port free for both TCP and UDP on 127.0.0.1, from the kernel's
 * ephemeral range (it hands out a free one for port 0), different from
 * those picked before.  It stays free unless another program takes it
 * in the moment before the demo binds it. */
static int
pick_port(struct pkl_demo *d, uint16_t *port)
{
	for (int tries = 0; tries < 64; tries++) {
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		socklen_t len = sizeof a;
		int t = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
		bool ok = t >= 0 && u >= 0 && bind(t, (struct sockaddr *)&a, sizeof a) == 0 &&
			  getsockname(t, (struct sockaddr *)&a, &len) == 0 &&
			  bind(u, (struct sockaddr *)&a, sizeof a) == 0;
		if (t >= 0)
			close(t);
		if (u >= 0)
			close(u);
		*port = ntohs(a.sin_port);
		for (unsigned i = 0; ok && i < d->nports; i++)
			ok = d->port[i] != *port;
		if (ok)
			return 0;
	}
	return pkl_demo_fail(d, "cannot find a free port on 127.0.0.1: %s", strerror(errno));
}

/* The demo's frames only: TCP and UDP on its ports, and the ICMP errors
 * that quote a datagram to one of them (the quoted UDP destination port
 * is 30 bytes into an ICMP error after an IPv4 header of 20). */
static void
demo_filter(const struct pkl_demo *d, char *buf, size_t size)
{
	size_t len = 0;

	for (unsigned i = 0; i < d->nports; i++)
		len += (size_t)snprintf(buf + len, size - len, "%sport %u", i ? " or " : "",
					d->port[i]);
	len += (size_t)snprintf(buf + len, size - len, " or (icmp and (");
	for (unsigned i = 0; i < d->nports; i++)
		len += (size_t)snprintf(buf + len, size - len, "%sicmp[30:2] = %u",
					i ? " or " : "", d->port[i]);
	snprintf(buf + len, size - len, "))");
}

/* Open lo with the filter, then give up privilege as sniff does. */
static int
open_capture(struct pkl_demo *d)
{
	char errbuf[PKL_ERRBUF_SIZE], filter[512];
	bool filter_fault;
	/* Nonblocking: the runner keeps its own deadlines between steps.
	 * In immediate mode the ring's slots are as large as the snapshot
	 * length (see craft/probe.c), so it is bounded by the largest frame
	 * lo carries (its 65536-byte MTU behind an Ethernet header), and the
	 * buffer holds some 500 of them: a burst of sends and their ACKs,
	 * taken only once the burst is over, all fit. */
	const struct pkl_live_opts live = { .iface = "lo", .snaplen = LO_FRAME_MAX,
					    .buffer_kib = 32768, .immediate = true,
					    .nonblocking = true };

	demo_filter(d, filter, sizeof filter);
	d->cap = pkl_capture_open_live(&live, filter, errbuf, &filter_fault);
	if (!d->cap ||
	    pkl_privilege_become(d->opts->user, errbuf) < 0 ||
	    (d->opts->write_path && pkl_capture_write_to(d->cap, d->opts->write_path, errbuf) < 0) ||
	    pkl_privilege_drop_capabilities(errbuf) < 0)
		return pkl_demo_fail(d, "%s", errbuf);
	return 0;
}

/* A pkl_conn_done_fn: the record now, and the ladder's header later. */
static void
conn_done(void *ctx, const struct pkl_conn_record *c)
{
	struct pkl_demo *d = ctx;

	pkl_render_conn(&d->records, c);
	if (d->timeline)
		pkl_timeline_conn_done(d->timeline, c);
}

static int
build_pipeline(struct pkl_demo *d)
{
	char errbuf[PKL_ERRBUF_SIZE];
	const struct pkl_view_opts *view = &d->opts->view;
	struct pkl_pipeline_opts opts = {
		.verify_checksums = true,
		.track = true,
		.conntrack = PKL_TABLE_DEFAULTS(PKL_VIEW_MAX_CONNS),
		.conn_done = conn_done,
		.conn_ctx = d,
		.annotate = view->view != PKL_VIEW_LINE,
		.annotate_opts = view->annotate,
		.out = &d->out,
	};

	opts.conntrack.time_acks = view->view != PKL_VIEW_LINE;
	/* The ladders are text: JSON has the records. */
	if (!d->json && !(d->timeline = pkl_timeline_new()))
		return pkl_demo_fail(d, "out of memory for the timeline");
	if (!(d->pipeline = pkl_pipeline_new(&opts, errbuf)))
		return pkl_demo_fail(d, "%s", errbuf);
	d->render = (struct pkl_render){ .out = &d->out, .view = view->view, .hex = view->hex,
					 .clock = pkl_pipeline_clock(d->pipeline), .time = view->time };
	d->records = (struct pkl_conns_view){ .out = &d->out, .json = d->json,
					      .clock = pkl_pipeline_clock(d->pipeline) };
	pkl_pipeline_add_sink(d->pipeline, pkl_render_frame, &d->render);
	pkl_pipeline_add_sink(d->pipeline, follow_frame, d);
	if (d->timeline)
		pkl_pipeline_add_sink(d->pipeline, record_arrow, d->timeline);
	return 0;
}

/* The tracker's record and the ladder of every connection, once every
 * socket is closed and its last frames are in. */
static void
finish(struct pkl_demo *d, const struct pkl_demo_def *def)
{
	pkl_demo_close_all(d);
	pkl_demo_drain(d);
	if (!d->json)
		pkl_out_str(&d->out, "\n== what the tracker recorded\n");
	pkl_pipeline_finish(d->pipeline);
	if (d->timeline) {
		pkl_out_str(&d->out, "== the ladder of each connection\n");
		pkl_timeline_print(d->timeline, &d->render);
	}
	if (d->json) {
		struct pkl_json j;
		pkl_demo_json_open(d, &j, "result");
		PKL_JSON_KEY(&j, "demo");
		pkl_json_name(&j, def->name);
		PKL_JSON_KEY(&j, "disagreements");
		pkl_json_u64(&j, d->disagreements);
		PKL_JSON_KEY(&j, "completed");
		pkl_json_bool(&j, d->status == 0);
		pkl_demo_json_close(d, &j);
	} else if (d->disagreements) {
		pkl_out_printf(&d->out, "\nThe kernel disagreed with the frames %u times.\n",
			       d->disagreements);
	}
}

int
pkl_demo_run(const struct pkl_demo_def *def, const struct pkl_demo_opts *opts)
{
	struct pkl_demo *d = calloc(1, sizeof *d);
	int status;

	if (!d)
		return pkl_cmd_fail("out of memory");
	d->opts = opts;
	d->json = opts->view.view == PKL_VIEW_JSON;
	for (unsigned i = 0; i < def->ports && !d->status; i++)
		if (pick_port(d, &d->port[i]) == 0)
			d->nports++;
	if (!d->status && open_capture(d) == 0 &&
	    (d->status = pkl_cmd_stdout_open(&d->out, d->json ? 0 : opts->view.color,
					     opts->view.line_buffered)) == 0 &&
	    build_pipeline(d) == 0) {
		def->run(d);
		finish(d, def);
	}
	if (d->out.buf && pkl_cmd_stdout_close(&d->out) && !d->status)
		d->status = EXIT_RUNTIME;
	pkl_demo_close_all(d);
	pkl_timeline_free(d->timeline);
	pkl_pipeline_free(d->pipeline);
	if (d->cap)
		pkl_capture_close(d->cap);
	status = d->status ? d->status : d->disagreements ? EXIT_RUNTIME : 0;
	free(d);
	return status;
}
