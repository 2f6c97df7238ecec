#include "craft.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "../../dissectors/icmpv6.h"
#include "../craft/frame.h"
#include "../craft/neigh.h"
#include "../json.h"
#include "../privilege.h"

enum { OPT_WRITE = PKL_OPT_LONG_ONLY, OPT_BROADCAST };

/* The rows after --write, the same for every crafting command. */
#define CRAFT_OPTIONS_AFTER_WRITE                                                        \
	{ OPT_BROADCAST, "broadcast", NULL, false,                                       \
	  "allow a broadcast, multicast or network address as\nthe target" },            \
	{ 'Z', "relinquish-privileges", "USER", false,                                   \
	  "as root, run as USER once the interface is open\n"                            \
	  "(default: the user who ran sudo, else nobody;\n"                              \
	  "-Z root stays root)" },                                                       \
	{ 0, NULL, NULL, false, NULL }

#define CRAFT_WRITE_HELP "also save every frame sent and heard to a pcap file"

const struct pkl_option pkl_craft_options[] = {
	{ OPT_WRITE, "write", "FILE", false, CRAFT_WRITE_HELP },
	CRAFT_OPTIONS_AFTER_WRITE,
};

const struct pkl_option pkl_craft_options_w[] = {
	{ 'w', "write", "FILE", false, CRAFT_WRITE_HELP },
	CRAFT_OPTIONS_AFTER_WRITE,
};

int
pkl_craft_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct pkl_craft_opts *c = target;

	(void)p;
	switch (key) {
	case OPT_WRITE:
	case 'w': c->write_path = value; break;
	case OPT_BROADCAST: c->broadcast = true; break;
	case 'Z': c->user = value; break;
	}
	return 0;
}

/* Open the interface and give up privilege: the capture and the socket
 * are all that needs CAP_NET_RAW, and the file is opened as its owner. */
static int
open_probe(struct pkl_craft_session *s, const struct pkl_craft_opts *c,
	   const struct pkl_route_link *link, const char *filter)
{
	char errbuf[PKL_ERRBUF_SIZE];
	bool filter_fault;

	s->probe = pkl_probe_open(link->name, link->loopback ? NULL : link->mac, link->mtu, filter,
				  errbuf, &filter_fault);
	if (!s->probe) {
		pkl_cmd_fail(errbuf);
		return filter_fault ? EXIT_USAGE : EXIT_RUNTIME;
	}
	if (pkl_privilege_become(c->user, errbuf) < 0 ||
	    (c->write_path && pkl_probe_write_to(s->probe, c->write_path, errbuf) < 0) ||
	    pkl_privilege_drop_capabilities(errbuf) < 0)
		return pkl_cmd_fail(errbuf);
	return 0;
}

static pkl_sink_fn resolve_match;

int
pkl_craft_start(struct pkl_craft_session *s, const struct pkl_craft_opts *c,
		const struct pkl_view_opts *view, const struct pkl_route_link *link,
		const char *filter)
{
	char errbuf[PKL_ERRBUF_SIZE];
	int status;

	memset(s, 0, sizeof *s);
	if ((status = open_probe(s, c, link, filter)) != 0)
		return status;
	if ((status = pkl_cmd_stdout_open(&s->out, view->view == PKL_VIEW_JSON ? 0 : view->color,
					  view->line_buffered)) != 0)
		return status;
	s->show_frames = !view->quiet;
	/* A probe's conversations are few: the frame views' table is plenty. */
	struct pkl_pipeline_opts opts = {
		.verify_checksums = true,
		.track = true,
		.conntrack = PKL_TABLE_DEFAULTS(PKL_VIEW_MAX_CONNS),
		.annotate = s->show_frames,
		.annotate_opts = view->annotate,
		.out = &s->out,
	};
	opts.conntrack.time_acks = true;
	if (c->msl)
		opts.conntrack.msl = c->msl;
	if (!(s->pipeline = pkl_pipeline_new(&opts, errbuf)))
		return pkl_cmd_fail(errbuf);
	s->render = (struct pkl_render){ .out = &s->out, .view = view->view, .hex = view->hex,
					 .clock = pkl_pipeline_clock(s->pipeline) };
	if (s->show_frames)
		pkl_pipeline_add_sink(s->pipeline, pkl_render_frame, &s->render);
	pkl_pipeline_add_sink(s->pipeline, resolve_match, s);
	return 0;
}

void
pkl_craft_say_route(struct pkl_craft_session *s, const struct pkl_route_decision *d)
{
	if (s->render.view == PKL_VIEW_JSON) {
		struct pkl_json j;
		pkl_json_init(&j, &s->out);
		pkl_route_json(&j, d);
		pkl_out_char(&s->out, '\n');
		return;
	}
	char why[PKL_ROUTE_TEXT];
	pkl_route_explain(d, why, sizeof why);
	pkl_out_str(&s->out, "route: ");
	pkl_out_str(&s->out, why);
	pkl_out_char(&s->out, '\n');
}

/* The answer to the ARP request or neighbour solicitation for the next
 * hop: a sink before the command's own. */
static void
resolve_match(void *ctx, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct pkl_craft_session *s = ctx;
	struct pkl_craft_resolve *r = &s->resolve;
	const struct pkl_layer *l;

	(void)notes;
	if (!r->active || r->found || pkt->frame->direction != PKL_DIR_RECEIVED)
		return;
	if (r->addr.family == 4) {
		l = pkl_packet_find(pkt, PKL_PROTO_ARP, 0);
		if (!l || !l->hdr.arp.addrs_decoded || l->hdr.arp.kind != PKL_ARP_REPLY ||
		    memcmp(l->hdr.arp.spa, r->addr.v4, 4) != 0)
			return;
		memcpy(r->mac, l->hdr.arp.sha, 6);
	} else {
		l = pkl_packet_find(pkt, PKL_PROTO_ICMPV6, 0);
		const struct pkl_layer *eth = pkl_packet_find(pkt, PKL_PROTO_ETH, 0);
		if (!l || !eth || l->hdr.icmp.type != PKL_ICMPV6_NEIGHBOR_ADVERT ||
		    !l->hdr.icmp.has_target || memcmp(l->hdr.icmp.target, r->addr.v6, 16) != 0)
			return;
		memcpy(r->mac, eth->hdr.eth.src, 6);
	}
	r->found = true;
	s->answered = true;
}

/* The MAC a multicast or broadcast target's frames go to. */
static bool
group_mac(const struct pkl_route_decision *d, uint8_t mac[6])
{
	const uint8_t *a = d->dst.family == 4 ? d->dst.v4 : d->dst.v6;

	if (d->target == PKL_ROUTE_TARGET_BROADCAST) {
		memset(mac, 0xff, 6);
	} else if (d->target != PKL_ROUTE_TARGET_MULTICAST) {
		return false;
	} else if (d->dst.family == 4) {   /* RFC 1112: 01:00:5e and the low 23 bits */
		const uint8_t m[6] = { 0x01, 0x00, 0x5e, a[1] & 0x7f, a[2], a[3] };
		memcpy(mac, m, 6);
	} else {                           /* RFC 2464: 33:33 and the low 32 bits */
		const uint8_t m[6] = { 0x33, 0x33, a[12], a[13], a[14], a[15] };
		memcpy(mac, m, 6);
	}
	return true;
}

/* Where the next hop's MAC came from with --neigh: no ARP exchange
 * shows it, and the route line says what would have been asked. */
static void
say_neighbour(struct pkl_craft_session *s, const struct pkl_route_decision *d,
	      const struct pkl_neigh_entry *e)
{
	char addr[PKL_ADDR_TEXT];

	pkl_addr_format(&d->next_hop, addr, sizeof addr);
	if (s->render.view == PKL_VIEW_JSON) {
		struct pkl_json j;
		pkl_json_init(&j, &s->out);
		pkl_json_object_open(&j);
		PKL_JSON_KEY(&j, "kind");
		pkl_json_name(&j, "neighbour");
		PKL_JSON_KEY(&j, "address");
		pkl_json_string(&j, addr);
		PKL_JSON_KEY(&j, "mac");
		pkl_json_mac(&j, e->mac);
		PKL_JSON_KEY(&j, "state");
		pkl_json_name(&j, pkl_neigh_state_name(e->state));
		pkl_json_object_close(&j);
		pkl_out_char(&s->out, '\n');
		return;
	}
	pkl_out_printf(&s->out, "neighbour: %s is at ", addr);
	pkl_out_mac(&s->out, e->mac);
	pkl_out_printf(&s->out, " in the kernel's table on %s (%s): no %s sent\n", d->link.name,
		       pkl_neigh_state_name(e->state),
		       d->next_hop.family == 4 ? "ARP request" : "neighbour solicitation");
}

static int
ask_next_hop(struct pkl_craft_session *s, const struct pkl_route_decision *d)
{
	uint8_t frame[128];
	char errbuf[PKL_ERRBUF_SIZE];
	int len;

	if (d->next_hop.family == 4) {
		struct pkl_frame_arp arp = { .kind = PKL_ARP_REQUEST };
		memcpy(arp.sender_mac, d->link.mac, 6);
		memcpy(arp.sender_ip, d->source.v4, 4);
		memcpy(arp.target_ip, d->next_hop.v4, 4);
		len = pkl_frame_build_arp(&arp, frame, sizeof frame, errbuf);
	} else {
		len = pkl_frame_build_ns(d->link.mac, d->source.v6, d->next_hop.v6, frame,
					 sizeof frame, errbuf);
	}
	if (len < 0)
		return pkl_cmd_fail(errbuf);
	return pkl_craft_send(s, frame, (size_t)len);
}

int
pkl_craft_next_hop_mac(struct pkl_craft_session *s, const struct pkl_route_decision *d,
		       bool from_kernel, unsigned tries, uint64_t wait_ms, uint8_t mac[6])
{
	char errbuf[PKL_ERRBUF_SIZE];
	int status = 0;

	if (d->link.loopback) {
		memset(mac, 0, 6);
		return 0;
	}
	if (group_mac(d, mac))
		return 0;
	if (from_kernel) {
		struct pkl_neigh_entry e;
		if (pkl_neigh_lookup(d->link.index, &d->next_hop, &e, errbuf) < 0)
			return pkl_cmd_fail(errbuf);
		if (!e.usable) {
			char addr[PKL_ADDR_TEXT];
			pkl_addr_format(&d->next_hop, addr, sizeof addr);
			snprintf(errbuf, sizeof errbuf, "the kernel's neighbour table has %s for %s "
				 "on %s (ip neigh show dev %s): drop --neigh, and pktlens asks itself",
				 e.found ? pkl_neigh_state_name(e.state) : "no entry", addr,
				 d->link.name, d->link.name);
			return pkl_cmd_fail(errbuf);
		}
		memcpy(mac, e.mac, 6);
		say_neighbour(s, d, &e);
		return 0;
	}
	s->resolve = (struct pkl_craft_resolve){ .active = true, .addr = d->next_hop };
	for (unsigned t = 0; t < tries && !s->resolve.found && status == 0; t++) {
		if ((status = ask_next_hop(s, d)) != 0)
			break;
		status = pkl_craft_listen(s, pkl_probe_now_ns() + wait_ms * 1000000);
	}
	s->resolve.active = false;
	if (status)
		return status;
	if (!s->resolve.found)
		return -1;
	memcpy(mac, s->resolve.mac, 6);
	return 0;
}

int
pkl_craft_no_next_hop(const struct pkl_route_decision *d, unsigned tries)
{
	char hop[PKL_ADDR_TEXT], errbuf[PKL_ERRBUF_SIZE];

	pkl_addr_format(&d->next_hop, hop, sizeof hop);
	snprintf(errbuf, sizeof errbuf, "nobody answered %s for %s on %s (%u tries): %s is down "
		 "or not on that link, and no SYN was sent", d->dst.family == 4 ? "ARP"
		 : "neighbour solicitation", hop, d->link.name, tries,
		 d->on_link ? "the host" : "the gateway");
	return pkl_cmd_fail(errbuf);
}

void
pkl_craft_add_sink(struct pkl_craft_session *s, pkl_sink_fn *fn, void *ctx)
{
	pkl_pipeline_add_sink(s->pipeline, fn, ctx);
}

int
pkl_craft_send(struct pkl_craft_session *s, const uint8_t *frame, size_t len)
{
	char errbuf[PKL_ERRBUF_SIZE];

	return pkl_probe_send(s->probe, frame, len, errbuf) < 0 ? pkl_cmd_fail(errbuf) : 0;
}

static volatile sig_atomic_t interrupted;

static void
on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

void
pkl_craft_catch_interrupt(void)
{
	/* No SA_RESTART: the capture's wait returns, and the loop looks. */
	struct sigaction sa = { .sa_handler = on_interrupt };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

bool
pkl_craft_interrupted(void)
{
	return interrupted;
}

static bool
deliver(void *ctx, const struct pkl_frame *frame)
{
	struct pkl_craft_session *s = ctx;

	/* The pipeline stops only when the output cannot be written. */
	if (!pkl_pipeline_frame(s->pipeline, frame))
		return false;
	return !s->answered;
}

/* The longest a wait goes without looking whether Ctrl-C came. */
#define LISTEN_SLICE_NS 100000000u

int
pkl_craft_listen(struct pkl_craft_session *s, uint64_t until_ns)
{
	char errbuf[PKL_ERRBUF_SIZE];
	int rc;

	s->answered = false;
	do {
		uint64_t slice = pkl_probe_now_ns() + LISTEN_SLICE_NS;
		rc = pkl_probe_listen(s->probe, slice < until_ns ? slice : until_ns, deliver, s,
				      errbuf);
	} while (rc == 0 && !interrupted && pkl_probe_now_ns() < until_ns);
	pkl_out_flush(&s->out);
	if (rc < 0)
		return pkl_cmd_fail(errbuf);
	if (s->out.failed)
		return pkl_cmd_stdout_close(&s->out);
	return 0;
}

/* How long the frames sent may take to come back from the capture. */
#define DRAIN_NS 200000000u

int
pkl_craft_drain(struct pkl_craft_session *s)
{
	uint64_t until = pkl_probe_now_ns() + DRAIN_NS;
	int status = 0;

	while (status == 0 && pkl_probe_unseen(s->probe) && pkl_probe_now_ns() < until)
		status = pkl_craft_listen(s, pkl_probe_now_ns() + DRAIN_NS / 10);
	pkl_pipeline_finish(s->pipeline);
	return status;
}

void
pkl_craft_rtt_add(struct pkl_craft_rtt *t, uint64_t ns)
{
	double ms = ns / 1e6;

	if (t->n == 0 || ms < t->min_ms)
		t->min_ms = ms;
	if (ms > t->max_ms)
		t->max_ms = ms;
	t->sum_ms += ms;
	t->sum_sq_ms += ms * ms;
	t->n++;
}

double
pkl_craft_rtt_avg_ms(const struct pkl_craft_rtt *t)
{
	return t->n ? t->sum_ms / t->n : 0;
}

double
pkl_craft_rtt_dev_ms(const struct pkl_craft_rtt *t)
{
	double avg = pkl_craft_rtt_avg_ms(t);
	double var = t->n ? t->sum_sq_ms / t->n - avg * avg : 0;

	return var > 0 ? sqrt(var) : 0;   /* rounding can make it a hair below 0 */
}

void
pkl_craft_rtt_print(struct pkl_out *o, const struct pkl_craft_rtt *t, const char *dev_name)
{
	if (t->n)
		pkl_out_printf(o, "rtt min/avg/max/%s = %.3f/%.3f/%.3f/%.3f ms\n", dev_name,
			       t->min_ms, pkl_craft_rtt_avg_ms(t), t->max_ms,
			       pkl_craft_rtt_dev_ms(t));
}

int
pkl_craft_end(struct pkl_craft_session *s, int status)
{
	int out_status = s->out.buf ? pkl_cmd_stdout_close(&s->out) : 0;

	pkl_pipeline_free(s->pipeline);
	pkl_probe_close(s->probe);
	return status ? status : out_status;
}
