/* `pktlens arp`: who-has requests, RFC 5227 probes and announcements
 * built by pktlens, the answers matched to them, as arping reports them. */
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

/* How another host claims the address (RFC 5227 2.1.1 and 2.4). */
enum claim_how {
	CLAIM_REPLY,    /* it answers for the address */
	CLAIM_PROBE,    /* it probes for the address: it wants it too */
	CLAIM_ANNOUNCE, /* it announces the address (a gratuitous ARP) */
	CLAIM_SENDER,   /* it sends a request from the address */
};
static const char *const claim_names[] = { "reply", "probe", "announcement", "sender" };
static const char *const claim_sentences[] = {
	"answers for it", "probes for it too", "announces it", "sends from it",
};

struct claim {
	uint8_t mac[6];
	enum claim_how how;
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
	struct claim claims[MAX_CLAIMS];   /* every other MAC that claimed the address */
	int n_claims;
};

static void
note_claim(struct arp_run *r, const uint8_t mac[6], enum claim_how how)
{
	for (int i = 0; i < r->n_claims; i++)
		if (memcmp(r->claims[i].mac, mac, 6) == 0)
			return;
	if (r->n_claims < MAX_CLAIMS) {
		memcpy(r->claims[r->n_claims].mac, mac, 6);
		r->claims[r->n_claims++].how = how;
	}
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

/* Whether an ARP message from another host claims the address, and
 * how: a reply for it; when probing, also a probe for it or any message
 * sent from it (RFC 5227 2.1.1); when announcing, any message sent from
 * it (2.4).  -1 when it does not. */
static int
claim_of(const struct arp_run *r, const struct pkl_arp *arp)
{
	bool from_target = memcmp(arp->spa, r->target, 4) == 0;

	if (r->args->mode == MODE_PROBE && arp->kind == PKL_ARP_PROBE)
		return memcmp(arp->tpa, r->target, 4) == 0 ? CLAIM_PROBE : -1;
	if (!from_target || (r->args->mode == MODE_REQUEST && arp->kind != PKL_ARP_REPLY))
		return -1;
	switch (arp->kind) {
	case PKL_ARP_REPLY: return CLAIM_REPLY;
	case PKL_ARP_GRATUITOUS: return CLAIM_ANNOUNCE;
	default: return CLAIM_SENDER;
	}
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
	int how = memcmp(arp->sha, r->own_mac, 6) == 0 ? -1 : claim_of(r, arp);
	if (how < 0)
		return;
	note_claim(r, arp->sha, (enum claim_how)how);
	if (how != CLAIM_REPLY)
		return;   /* not an answer to the request: no round trip */
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

static bool
conflict(const struct arp_run *r)
{
	return r->n_claims > (r->args->mode == MODE_REQUEST ? 1 : 0);
}

/* arping's closing lines, and what they mean for the address. */
static void
print_result(const struct arp_run *r, const char *target)
{
	struct pkl_out *o = &r->session->out;
	uint32_t lost = r->transmitted - r->received;
	struct pkl_craft_rtt rtt = { 0 };

	if (r->session->show_frames)
		for (uint32_t i = 0; i < r->received; i++)
			reply_line(r, &r->replies[i]);
	pkl_out_printf(o, "\n--- %s statistics ---\n%u packets transmitted, %u packets received, "
		       "%3u%% unanswered (%u extra)\n", target, r->transmitted, r->received,
		       r->transmitted ? lost * 100 / r->transmitted : 0, r->extra);
	for (uint32_t i = 0; i < r->received; i++)
		pkl_craft_rtt_add(&rtt, r->replies[i].ns);
	pkl_craft_rtt_print(o, &rtt, "std-dev");
	switch (r->args->mode) {
	case MODE_REQUEST:
		if (conflict(r))
			pkl_out_printf(o, "address conflict: %s is claimed by %d hosts:", target,
				       r->n_claims);
		break;
	case MODE_PROBE:
		if (conflict(r))
			pkl_out_printf(o, "%s is in use: claimed by", target);
		else
			pkl_out_printf(o, "%s is free: nobody answered %u probes or probed for it\n",
				       target, r->transmitted);
		break;
	case MODE_ANNOUNCE:
		if (conflict(r))
			pkl_out_printf(o, "address conflict: %s, announced here, is also claimed by",
				       target);
		else
			pkl_out_printf(o, "%s announced %u times; nobody else claims it\n", target,
				       r->transmitted);
		break;
	}
	if (!conflict(r))
		return;
	for (int i = 0; i < r->n_claims; i++) {
		pkl_out_char(o, ' ');
		pkl_out_mac(o, r->claims[i].mac);
		if (r->args->mode != MODE_REQUEST)   /* there every claim is a reply */
			pkl_out_printf(o, " (%s)", claim_sentences[r->claims[i].how]);
	}
	pkl_out_char(o, '\n');
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
		pkl_json_object_open(&j);
		PKL_JSON_KEY(&j, "mac");
		pkl_json_mac(&j, r->claims[i].mac);
		PKL_JSON_KEY(&j, "by");
		pkl_json_name(&j, claim_names[r->claims[i].how]);
		pkl_json_object_close(&j);
	}
	pkl_json_array_close(&j);
	PKL_JSON_KEY(&j, "conflict");
	pkl_json_bool(&j, conflict(r));
	if (r->args->mode == MODE_PROBE) {
		PKL_JSON_KEY(&j, "in_use");
		pkl_json_bool(&j, conflict(r));
	}
	pkl_json_object_close(&j);
	pkl_out_char(&r->session->out, '\n');
}

/* Each request, then its window for replies. */
static int
exchange(struct arp_run *r, const struct pkl_route_decision *d)
{
	int status = 0;

	for (r->index = 0; r->index < r->args->count && status == 0 && !pkl_craft_interrupted();
	     r->index++) {
		uint64_t until = pkl_probe_now_ns() + r->args->wait_ms * 1000000;
		if ((status = send_request(r, &d->source)) != 0)
			break;
		/* The whole window, even once answered: a second answer is
		 * what tells of a conflict. */
		while (status == 0 && !pkl_craft_interrupted() && pkl_probe_now_ns() < until)
			status = pkl_craft_listen(r->session, until);
	}
	return status ? status : pkl_craft_drain(r->session);
}

/* The route to TARGET (for an announcement: the address announced,
 * TARGET or -S or the interface's own, on -i's interface), and the
 * source of the frames; said before them.  An address that is not the
 * interface's own needs real root. */
static int
decide(const struct pkl_command *cmd, struct arp_args *a, const char *target,
       struct pkl_route_decision *d, struct pkl_addr *source)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_route_request req = { .interface = a->iface, .allow_broadcast = a->craft.broadcast };
	bool announce = a->mode == MODE_ANNOUNCE;

	if (a->source && (pkl_addr_parse(a->source, source) < 0 || source->family != 4))
		return pkl_cmd_usage_error(cmd, "-S takes an IPv4 address, not '%s'", a->source);
	if (target) {
		if (pkl_addr_parse(target, &req.dst) < 0 || req.dst.family != 4)
			return pkl_cmd_usage_error(cmd, "ARP asks for IPv4 addresses; '%s' is not one "
						   "(for IPv6, pktlens ping sends neighbour "
						   "solicitations)", target);
		if (announce && a->source && !pkl_addr_equal(&req.dst, source))
			return pkl_cmd_usage_error(cmd, "--gratuitous announces one address: give "
						   "%s or -S %s, not both", target, a->source);
	} else if (announce && a->source) {
		req.dst = *source;
	} else if (pkl_route_interface_address(a->iface, 4, &req.dst, errbuf) < 0) {
		return pkl_cmd_fail(errbuf);
	}
	if (announce)
		req.source = &req.dst;   /* the sender announces itself */
	else if (a->source)
		req.source = source;
	if (pkl_route_decide(&req, d, errbuf) < 0)
		return pkl_cmd_fail(errbuf);
	if (d->link.loopback) {
		char dst[PKL_ADDR_TEXT];
		pkl_addr_format(&d->dst, dst, sizeof dst);
		snprintf(errbuf, sizeof errbuf, "%s goes out through %s, which has no ARP (its "
			 "frames carry the zero MACs): ask on an Ethernet interface with -i IFACE",
			 dst, d->link.name);
		return pkl_cmd_fail(errbuf);
	}
	if (!d->source_own) {
		if (announce && !a->source)
			return pkl_cmd_usage_error(cmd, "--gratuitous announces this host's own "
						   "address; %s is not %s's (add -S %s to "
						   "announce it anyway, as root)", target,
						   d->link.name, target);
		if (pkl_privilege_require_root("ARP from an address that is not the "
					       "interface's own", errbuf) < 0)
			return pkl_cmd_fail(errbuf);
	}
	*source = d->source;
	return 0;
}

/* What an announcement does, in place of the route it does not take. */
static void
say_announce(struct pkl_craft_session *s, const struct pkl_route_decision *d)
{
	char addr[PKL_ADDR_TEXT];

	pkl_addr_format(&d->dst, addr, sizeof addr);
	pkl_out_printf(&s->out, "announce: %s is at ", addr);
	pkl_out_mac(&s->out, d->link.mac);
	pkl_out_printf(&s->out, ", told to every host on %s (a gratuitous ARP request: sender and "
		       "target %s, to ff:ff:ff:ff:ff:ff)\n", d->link.name, addr);
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
	if (a.mode == MODE_ANNOUNCE && !a.iface)
		return pkl_cmd_usage_error(cmd, "--gratuitous announces on one interface: name it "
					   "with -i IFACE");
	if (!target && a.mode != MODE_ANNOUNCE)
		return pkl_cmd_usage_error(cmd, "which address? give it (pktlens arp 192.168.1.20)");

	struct pkl_route_decision d;
	struct pkl_addr source;
	if ((status = decide(cmd, &a, target, &d, &source)) != 0)
		return status;
	if (a.mode == MODE_PROBE)
		source = (struct pkl_addr){ .family = 4 };   /* 0.0.0.0, as RFC 5227 probes */

	struct pkl_craft_session s;
	struct arp_run r = { .args = &a, .session = &s };
	char target_text[PKL_ADDR_TEXT];
	pkl_addr_format(&d.dst, target_text, sizeof target_text);
	memcpy(r.target, d.dst.v4, 4);
	memcpy(r.own_mac, d.link.mac, 6);
	if (!(r.replies = calloc(a.count, sizeof *r.replies)))
		return pkl_cmd_fail("out of memory for the replies");
	if ((status = pkl_craft_start(&s, &a.craft, &a.view, &d.link, "arp")) == 0) {
		if (a.mode == MODE_ANNOUNCE && a.view.view != PKL_VIEW_JSON)
			say_announce(&s, &d);
		else
			pkl_craft_say_route(&s, &d);
		if (a.view.view != PKL_VIEW_JSON) {
			char source_text[PKL_ADDR_TEXT];
			pkl_addr_format(&source, source_text, sizeof source_text);
			pkl_out_printf(&s.out, "ARPING %s from %s %s\n", target_text, source_text,
				       d.link.name);
		}
		pkl_craft_add_sink(&s, arp_match, &r);
		pkl_craft_catch_interrupt();
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
				status = conflict(&r) ? EXIT_RUNTIME : 0;
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
		    "nobody else\nclaims the address), 1 when not, 2 for a usage error.  Ctrl-C "
		    "ends it with the\nstatistics.",
	.run = run,
};
