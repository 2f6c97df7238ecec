/* `pktlens arp`: who-has requests, RFC 5227 probes and announcements
 * built by pktlens, the answers matched to them, as arping reports them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../craft/frame.h"
#include "../craft/route.h"
#include "../json.h"
#include "../privilege.h"
#include "craft.h"

enum arp_mode { MODE_REQUEST, MODE_PROBE, MODE_ANNOUNCE };
static const char *const mode_names[] = { "request", "probe", "announce" };

struct arp_args {
	struct pkl_view_opts view;
	struct pkl_craft_opts craft;
	enum arp_mode mode;
	uint64_t count;
	uint64_t wait_ms;
	const char *iface;
	const char *source;
};

enum { OPT_PROBE = PKL_OPT_LONG_ONLY, OPT_GRATUITOUS };

static const struct pkl_option arp_options[] = {
	{ 'c', "count", "N", false, "send N requests (default 3)" },
	{ 'W', "timeout", "SECS", false,
	  "wait this long for the replies to each request\n"
	  "(default 1; a request unanswered by then is lost)" },
	{ 'i', "interface", "IFACE", false, "send on IFACE (default: the route's interface)" },
	{ 'S', "source", "ADDR", false,
	  "for testing: the sender address (one that is not\n"
	  "the interface's own needs root)" },
	{ OPT_PROBE, "probe", NULL, false,
	  "RFC 5227 probes (sender 0.0.0.0): is TARGET free?\n"
	  "exit 0 when free, 1 when in use" },
	{ OPT_GRATUITOUS, "gratuitous", NULL, false,
	  "announce the interface's own address (-i IFACE, no\n"
	  "TARGET) and report anyone else claiming it" },
	{ 0, NULL, NULL, false, NULL },
};

static int
arp_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct arp_args *a = target;

	switch (key) {
	case 'c':
		return pkl_opt_number(p, value, 1, PKL_CRAFT_MAX_PROBES, "a number of requests",
				      &a->count);
	case 'W':
		return pkl_opt_seconds(p, value, 1, 3600 * 1000, &a->wait_ms);
	case 'i': a->iface = value; break;
	case 'S': a->source = value; break;
	case OPT_PROBE: a->mode = MODE_PROBE; break;
	case OPT_GRATUITOUS: a->mode = MODE_ANNOUNCE; break;
	}
	return 0;
}

/* ---- what the answers say ------------------------------------------------ */

#define MAX_CLAIMS 8

struct reply {
	uint32_t index;
	uint8_t mac[6];
	uint64_t ns;
};

struct arp_run {
	const struct arp_args *args;
	struct pkl_craft_session *session;
	uint8_t own_mac[6];
	uint8_t target[4];          /* the address asked for, probed or announced */
	uint32_t index;             /* the request being answered */
	uint64_t sent_ns;           /* its capture time; 0 until the capture saw it */
	bool answered;              /* the current request has had its reply */
	uint32_t transmitted, extra;
	struct reply *replies;      /* one per answered request */
	uint32_t received;
	uint8_t claims[MAX_CLAIMS][6];   /* every other MAC that claimed the address */
	int n_claims;
	bool out_of_memory;
};

static void
note_claim(struct arp_run *r, const uint8_t mac[6])
{
	for (int i = 0; i < r->n_claims; i++)
		if (memcmp(r->claims[i], mac, 6) == 0)
			return;
	if (r->n_claims < MAX_CLAIMS)
		memcpy(r->claims[r->n_claims++], mac, 6);
}

/* "412.000 usec" or "1.207 msec", as arping chooses. */
static void
print_rtt(struct pkl_out *o, uint64_t ns)
{
	if (ns < 1000000)
		pkl_out_printf(o, "%.3f usec", ns / 1e3);
	else
		pkl_out_printf(o, "%.3f msec", ns / 1e6);
}

/* A reply line as arping prints it (JSON lists them in the result):
 * with -q as it comes, else after the frames. */
static void
reply_line(const struct arp_run *r, const struct reply *rep)
{
	struct pkl_out *o = &r->session->out;

	if (r->args->view.view == PKL_VIEW_JSON)
		return;
	pkl_out_str(o, "42 bytes from ");
	pkl_out_mac(o, rep->mac);
	pkl_out_str(o, " (");
	pkl_out_ipv4(o, r->target);
	pkl_out_printf(o, "): index=%u time=", rep->index);
	print_rtt(o, rep->ns);
	pkl_out_char(o, '\n');
}

/* Whether an ARP message from another host claims the address: a reply
 * for it (to a request), or, when probing or announcing, any message
 * that says another host has it or wants it (RFC 5227 2.1.1). */
static bool
claims_target(const struct arp_run *r, const struct pkl_arp *arp)
{
	if (r->args->mode == MODE_REQUEST)
		return arp->kind == PKL_ARP_REPLY && memcmp(arp->spa, r->target, 4) == 0;
	if (arp->kind == PKL_ARP_PROBE)
		return memcmp(arp->tpa, r->target, 4) == 0;
	return memcmp(arp->spa, r->target, 4) == 0;
}

/* The answers, as the pipeline decoded them: a sink after the view. */
static void
arp_match(void *ctx, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct arp_run *r = ctx;
	const struct pkl_layer *l = pkl_packet_find(pkt, PKL_PROTO_ARP, 0);

	(void)notes;
	if (!l || !l->hdr.arp.addrs_decoded)
		return;
	const struct pkl_arp *arp = &l->hdr.arp;
	if (pkt->frame->direction == PKL_DIR_SENT) {
		if (!r->sent_ns)
			r->sent_ns = pkl_frame_ns(pkt->frame);
		return;
	}
	if (memcmp(arp->sha, r->own_mac, 6) == 0 || !claims_target(r, arp))
		return;
	note_claim(r, arp->sha);
	if (r->answered) {
		r->extra++;
		return;
	}
	r->answered = true;
	struct reply *rep = &r->replies[r->received++];
	rep->index = r->index;
	memcpy(rep->mac, arp->sha, 6);
	rep->ns = r->sent_ns ? pkl_frame_ns(pkt->frame) - r->sent_ns : 0;
	if (!r->session->show_frames)   /* else after the frames */
		reply_line(r, rep);
}

/* ---- the run ---------------------------------------------------------------- */

static int
send_request(struct arp_run *r, const struct pkl_addr *source)
{
	static const enum pkl_arp_kind kinds[] = {
		[MODE_REQUEST] = PKL_ARP_REQUEST, [MODE_PROBE] = PKL_ARP_PROBE,
		[MODE_ANNOUNCE] = PKL_ARP_GRATUITOUS,
	};
	struct pkl_frame_arp spec = { .kind = kinds[r->args->mode] };
	uint8_t frame[64];
	char errbuf[PKL_ERRBUF_SIZE];

	memcpy(spec.sender_mac, r->own_mac, 6);
	memcpy(spec.sender_ip, source->v4, 4);
	memcpy(spec.target_ip, r->target, 4);
	int len = pkl_frame_build_arp(&spec, frame, sizeof frame, errbuf);
	if (len < 0)
		return pkl_cmd_fail(errbuf);
	r->sent_ns = 0;
	r->answered = false;
	r->transmitted++;
	return pkl_craft_send(r->session, frame, (size_t)len);
}

/* arping's closing lines, and what they mean for the address. */
static void
print_result(const struct arp_run *r, const char *target)
{
	struct pkl_out *o = &r->session->out;
	uint32_t lost = r->transmitted - r->received;

	if (r->session->show_frames)
		for (uint32_t i = 0; i < r->received; i++)
			reply_line(r, &r->replies[i]);
	pkl_out_printf(o, "\n--- %s statistics ---\n%u packets transmitted, %u packets received, "
		       "%3u%% unanswered (%u extra)\n", target, r->transmitted, r->received,
		       r->transmitted ? lost * 100 / r->transmitted : 0, r->extra);
	if (r->received) {
		double sum = 0, sum_sq = 0, min = INFINITY, max = 0;
		for (uint32_t i = 0; i < r->received; i++) {
			double ms = r->replies[i].ns / 1e6;
			sum += ms;
			sum_sq += ms * ms;
			min = ms < min ? ms : min;
			max = ms > max ? ms : max;
		}
		double avg = sum / r->received, var = sum_sq / r->received - avg * avg;
		pkl_out_printf(o, "rtt min/avg/max/std-dev = %.3f/%.3f/%.3f/%.3f ms\n", min, avg,
			       max, var > 0 ? sqrt(var) : 0);
	}
	switch (r->args->mode) {
	case MODE_REQUEST:
		if (r->n_claims > 1)
			pkl_out_printf(o, "address conflict: %s is claimed by %d hosts:", target,
				       r->n_claims);
		break;
	case MODE_PROBE:
		if (r->n_claims)
			pkl_out_printf(o, "%s is in use: claimed by", target);
		else
			pkl_out_printf(o, "%s is free: nobody answered %u probes or probed for it\n",
				       target, r->transmitted);
		break;
	case MODE_ANNOUNCE:
		if (r->n_claims)
			pkl_out_printf(o, "address conflict: %s, announced here, is also claimed by",
				       target);
		else
			pkl_out_printf(o, "%s announced %u times; nobody else claims it\n", target,
				       r->transmitted);
		break;
	}
	if (r->n_claims > (r->args->mode == MODE_REQUEST ? 1 : 0)) {
		for (int i = 0; i < r->n_claims; i++) {
			pkl_out_char(o, ' ');
			pkl_out_mac(o, r->claims[i]);
		}
		pkl_out_char(o, '\n');
	}
}

static bool
conflict(const struct arp_run *r)
{
	return r->n_claims > (r->args->mode == MODE_REQUEST ? 1 : 0);
}

/* {"kind": "result", "command": "arp", ...} */
static void
json_result(const struct arp_run *r, const char *target)
{
	struct pkl_json j;

	pkl_json_init(&j, &r->session->out);
	pkl_json_object_open(&j);
	PKL_JSON_KEY(&j, "kind");
	pkl_json_name(&j, "result");
	PKL_JSON_KEY(&j, "command");
	pkl_json_name(&j, "arp");
	PKL_JSON_KEY(&j, "mode");
	pkl_json_name(&j, mode_names[r->args->mode]);
	PKL_JSON_KEY(&j, "target");
	pkl_json_string(&j, target);
	PKL_JSON_KEY(&j, "transmitted");
	pkl_json_u64(&j, r->transmitted);
	PKL_JSON_KEY(&j, "received");
	pkl_json_u64(&j, r->received);
	PKL_JSON_KEY(&j, "replies");
	pkl_json_array_open(&j);
	for (uint32_t i = 0; i < r->received; i++) {
		pkl_json_elem(&j);
		pkl_json_object_open(&j);
		PKL_JSON_KEY(&j, "index");
		pkl_json_u64(&j, r->replies[i].index);
		PKL_JSON_KEY(&j, "mac");
		pkl_json_mac(&j, r->replies[i].mac);
		PKL_JSON_KEY(&j, "ms");
		pkl_json_ms(&j, r->replies[i].ns / 1000);
		pkl_json_object_close(&j);
	}
	pkl_json_array_close(&j);
	PKL_JSON_KEY(&j, "claimed_by");
	pkl_json_array_open(&j);
	for (int i = 0; i < r->n_claims; i++) {
		pkl_json_elem(&j);
		pkl_json_mac(&j, r->claims[i]);
	}
	pkl_json_array_close(&j);
	PKL_JSON_KEY(&j, "conflict");
	pkl_json_bool(&j, conflict(r));
	if (r->args->mode == MODE_PROBE) {
		PKL_JSON_KEY(&j, "in_use");
		pkl_json_bool(&j, r->n_claims > 0);
	}
	pkl_json_object_close(&j);
	pkl_out_char(&r->session->out, '\n');
}

/* Each request, then its window for replies. */
static int
exchange(struct arp_run *r, const struct pkl_route_decision *d)
{
	int status = 0;

	for (r->index = 0; r->index < r->args->count && status == 0; r->index++) {
		uint64_t until = pkl_probe_now_ns() + r->args->wait_ms * 1000000;
		if ((status = send_request(r, &d->source)) != 0)
			break;
		/* The whole window, even once answered: a second answer is
		 * what tells of a conflict. */
		while (status == 0 && pkl_probe_now_ns() < until)
			status = pkl_craft_listen(r->session, until);
	}
	return status ? status : pkl_craft_drain(r->session);
}

/* The route to TARGET, or to the interface's own address for an
 * announcement without one; said before the frames. */
static int
decide(const struct pkl_command *cmd, struct arp_args *a, const char *target,
       struct pkl_route_decision *d, struct pkl_addr *source)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_route_request req = { .interface = a->iface, .allow_broadcast = a->craft.broadcast };

	if (a->source && (pkl_addr_parse(a->source, source) < 0 || source->family != 4))
		return pkl_cmd_usage_error(cmd, "-S takes an IPv4 address, not '%s'", a->source);
	if (target) {
		if (pkl_addr_parse(target, &req.dst) < 0 || req.dst.family != 4)
			return pkl_cmd_usage_error(cmd, "ARP asks for IPv4 addresses; '%s' is not one "
						   "(for IPv6, pktlens ping sends neighbour "
						   "solicitations)", target);
	} else if (pkl_route_interface_address(a->iface, 4, &req.dst, errbuf) < 0) {
		return pkl_cmd_fail(errbuf);
	}
	req.source = a->source ? source : NULL;
	if (pkl_route_decide(&req, d, errbuf) < 0)
		return pkl_cmd_fail(errbuf);
	if (!d->source_own && pkl_privilege_require_root("ARP from an address that is not the "
							 "interface's own", errbuf) < 0)
		return pkl_cmd_fail(errbuf);
	*source = d->source;
	return 0;
}

static int
run(const struct pkl_command *cmd, int argc, char **argv)
{
	struct arp_args a = { .view = PKL_VIEW_DEFAULTS, .count = 3, .wait_ms = 1000 };
	const struct pkl_opt_group groups[] = {
		{ "Requests", arp_options, arp_apply, NULL, &a },
		{ "Views (default: every frame sent and heard, explained, then arping's lines)",
		  pkl_craft_view_options, pkl_view_apply, pkl_craft_view_check, &a.view },
		{ "Recording, targets and privileges", pkl_craft_options, pkl_craft_apply, NULL,
		  &a.craft },
	};
	int first, status;

	if ((status = pkl_opts_parse(cmd, groups, PKL_NGROUPS(groups), argc, argv, &first)) >= 0)
		return status;
	const char *target = first < argc ? argv[first++] : NULL;
	if (first < argc)
		return pkl_cmd_usage_error(cmd, "one address at a time: '%s' is one too many",
					   argv[first]);
	if (!target && !(a.mode == MODE_ANNOUNCE && a.iface))
		return pkl_cmd_usage_error(cmd, a.mode == MODE_ANNOUNCE
					   ? "which interface's address? name it with -i IFACE"
					   : "which address? give it (pktlens arp 192.168.1.20)");

	struct pkl_route_decision d;
	struct pkl_addr source;
	if ((status = decide(cmd, &a, target, &d, &source)) != 0)
		return status;
	if (a.mode == MODE_PROBE) {
		source = (struct pkl_addr){ .family = 4 };   /* 0.0.0.0, as RFC 5227 probes */
	} else if (a.mode == MODE_ANNOUNCE) {
		if (target && !a.source && !pkl_addr_equal(&d.source, &d.dst))
			return pkl_cmd_usage_error(cmd, "--gratuitous announces this host's own "
						   "address; %s is not %s's (add -S %s to "
						   "announce it anyway, as root)", target,
						   d.link.name, target);
		source = d.dst;
	}

	struct pkl_craft_session s;
	struct arp_run r = { .args = &a, .session = &s };
	char target_text[PKL_ADDR_TEXT];
	pkl_addr_format(&d.dst, target_text, sizeof target_text);
	memcpy(r.target, d.dst.v4, 4);
	memcpy(r.own_mac, d.link.mac, 6);
	if (!(r.replies = calloc(a.count, sizeof *r.replies)))
		return pkl_cmd_fail("out of memory for the replies");
	if ((status = pkl_craft_start(&s, &a.craft, &a.view, &d.link, "arp")) == 0) {
		pkl_craft_say_route(&s, &d);
		if (a.view.view != PKL_VIEW_JSON) {
			char source_text[PKL_ADDR_TEXT];
			pkl_addr_format(&source, source_text, sizeof source_text);
			pkl_out_printf(&s.out, "ARPING %s from %s %s\n", target_text, source_text,
				       d.link.name);
		}
		pkl_craft_add_sink(&s, arp_match, &r);
		d.source = source;
		status = exchange(&r, &d);
		if (status == 0) {
			if (a.view.view == PKL_VIEW_JSON)
				json_result(&r, target_text);
			else
				print_result(&r, target_text);
			if (a.mode == MODE_REQUEST)
				status = r.received ? 0 : EXIT_RUNTIME;
			else
				status = r.n_claims ? EXIT_RUNTIME : 0;
		}
	}
	free(r.replies);
	return pkl_craft_end(&s, status);
}

const struct pkl_command pkl_cmd_arp = {
	.name = "arp",
	.synopsis = "[options] TARGET",
	.summary = "ask who has an IPv4 address, as arping, and show the frames",
	.description =
		"Send ARP who-has requests for TARGET on the interface the kernel's route\n"
		"chooses (or -i IFACE), say why that interface, and show every request and\n"
		"answer explained; then arping's reply lines and statistics.  Two hosts\n"
		"answering for one address are an address conflict, and said so.\n"
		"Needs root, or sudo setcap cap_net_raw=ep on the binary; the capability\n"
		"is given up once the interface is open.",
	.epilogue = "Exit status: 0 when answered (--probe: when free; --gratuitous: when "
		    "nobody else\nclaims the address), 1 when not, 2 for a usage error.",
	.run = run,
};
