/* `pktlens syn`: a SYN scan, as nmap -sS.  One SYN per port, with
 * Linux's options, from a source port and an ISN drawn for that probe;
 * the answer says the port's state: a SYN+ACK (open), a RST (closed),
 * an ICMP unreachable or nothing after the retries (filtered).  For an
 * open port, this host's kernel answers the SYN+ACK with a RST of its
 * own, since no socket here asked for the connection; the frames show
 * it, and the result says why that makes the scan half-open. */
#include <assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../dissectors/icmp.h"
#include "../../dissectors/icmpv6.h"
#include "../craft/frame.h"
#include "../craft/ports.h"
#include "../hash.h"
#include "../json.h"
#include "../privilege.h"
#include "craft.h"

struct syn_args {
	struct pkl_view_opts view;
	struct pkl_craft_opts craft;
	uint64_t rate, retries, wait_ms;
	bool neigh;
	const char *iface;
	const char *source;
};

enum { OPT_RATE = PKL_OPT_LONG_ONLY, OPT_RETRIES, OPT_NEIGH };

#define DEFAULT_RATE 100
/* Every frame of a scan, a probe and its answer (and for an open port
 * the kernel's RST), is decoded and tracked by one thread between two
 * sends.  At 50000 probes a second that is some 150000 frames a second,
 * about what it keeps up with on a small machine before the capture's
 * buffer overflows, and an answer lost there would read as a filtered
 * port: the cap keeps the verdicts true.  (nmap, which shows no frame,
 * has no cap on --min-rate.) */
#define MAX_RATE 50000
/* nmap's default --max-retries. */
#define MAX_RETRIES 10
/* With every port and every retry, a scan stays under the probe cap. */
_Static_assert(PKL_PORTS_MAX * (1 + MAX_RETRIES) <= PKL_CRAFT_MAX_PROBES,
	       "a scan's probes fit under PKL_CRAFT_MAX_PROBES");

static const struct pkl_option syn_options[] = {
	{ 'W', "timeout", "SECS", false,
	  "wait this long for each probe's answer (default 1)" },
	{ OPT_RETRIES, "retries", "N", false,
	  "probe a port that did not answer up to N more times\n"
	  "(default 1, at most 10), as nmap's --max-retries" },
	{ OPT_RATE, "rate", "N", false,
	  "probes a second (default 100, at most 50000), as\nnmap's --min-rate" },
	{ 'i', "interface", "IFACE", false, "send on IFACE (default: the route's interface)" },
	{ 'S', "source", "ADDR", false,
	  "for testing: the source address (one that is not\nthe interface's own needs root)" },
	{ OPT_NEIGH, "neigh", NULL, false,
	  "take the next hop's MAC from the kernel's neighbour\n"
	  "table instead of asking for it (ARP, or neighbour\nsolicitation for IPv6)" },
	{ 0, NULL, NULL, false, NULL },
};

static int
syn_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct syn_args *a = target;

	switch (key) {
	case 'W': return pkl_opt_seconds(p, value, 1, 3600 * 1000, &a->wait_ms);
	case OPT_RETRIES:
		return pkl_opt_number(p, value, 0, MAX_RETRIES, "a number of retries", &a->retries);
	case OPT_RATE:
		return pkl_opt_number(p, value, 1, MAX_RATE, "a number of probes a second",
				      &a->rate);
	case OPT_NEIGH: a->neigh = true; break;
	case 'i': a->iface = value; break;
	case 'S': a->source = value; break;
	}
	return 0;
}

/* ---- the ports and their probes ------------------------------------------------ */

enum port_state { PORT_WAITING, PORT_OPEN, PORT_CLOSED, PORT_FILTERED };
static const char *const state_names[] = {
	[PORT_WAITING] = "unscanned", [PORT_OPEN] = "open", [PORT_CLOSED] = "closed",
	[PORT_FILTERED] = "filtered",
};

/* The reasons that are not ICMP codes, as nmap names them (but "rst"). */
static const char reason_syn_ack[] = "syn-ack";
static const char reason_rst[] = "rst";
static const char reason_no_response[] = "no-response";

/* One probe of a port: what its answer must carry. */
struct probe {
	uint16_t sport;
	uint32_t isn;
};

struct port {
	uint16_t number;
	uint8_t state;            /* enum port_state */
	uint8_t tries;            /* probes sent */
	uint8_t ttl;              /* the answer's TTL or hop limit */
	bool kernel_rst;          /* open: this host's kernel reset the connection */
	const char *reason;       /* "syn-ack", "rst", "no-response", "icmp-..." */
	int from_family;          /* an ICMP error's sender, when not the target */
	uint8_t from[16];
	uint64_t due_ns;          /* the last probe's answer is awaited until then */
};

struct syn_run {
	const struct syn_args *args;
	struct pkl_craft_session *session;
	const struct pkl_route_decision *route;
	uint8_t mac[6];           /* the next hop's */
	struct pkl_ports ports;
	struct port *port;        /* one per port of the list, ascending */
	uint32_t *index;          /* by port number: its place in port[] plus 1, or 0 */
	struct probe *probes;     /* per port, 1 + retries of them */
	unsigned max_tries;
	/* Ports awaiting the answer to their last probe, in the order sent
	 * (so of due times: the wait is the same for all). */
	uint32_t *queue;
	size_t queue_head, queue_len;
	size_t next_fresh;        /* the next port not probed yet */
	size_t outstanding;       /* ports without a verdict */
	size_t awaiting_rst;      /* open ports whose kernel RST is not seen yet */
	uint64_t sent;
	uint64_t first_sent_ns, last_sent_ns;
	struct pkl_hash_key key;  /* the random source ports and ISNs come from it */
	uint64_t draws;
	uint32_t ts_offset;
	uint16_t ip_id;
	uint8_t frame[128];
};

/* A random number: SipHash of a counter under a key from getrandom,
 * so a port or ISN cannot be guessed from those seen before. */
static uint32_t
draw(struct syn_run *r)
{
	r->draws++;
	return (uint32_t)pkl_hash(&r->key, &r->draws, sizeof r->draws);
}

/* The port of this number in the list, or NULL. */
static struct port *
port_of(const struct syn_run *r, uint16_t number)
{
	uint32_t i = r->index[number];
	return i ? &r->port[i - 1] : NULL;
}

/* The probe of port p that left from sport, or NULL. */
static const struct probe *
probe_of(const struct syn_run *r, const struct port *p, uint16_t sport)
{
	const struct probe *tries = &r->probes[(size_t)(p - r->port) * r->max_tries];

	for (unsigned t = 0; t < p->tries; t++)
		if (tries[t].sport == sport)
			return &tries[t];
	return NULL;
}

static bool
finished(const struct syn_run *r)
{
	return r->outstanding == 0 && r->awaiting_rst == 0;
}

/* Whether an answer still decides the port: none came yet.  (The first
 * answer decides; one to an earlier probe that comes after the retries
 * gave up still does.) */
static bool
undecided(const struct port *p)
{
	return p->state == PORT_WAITING || p->reason == reason_no_response;
}

/* The port's verdict, given by an answer or by the end of the retries. */
static void
settle(struct syn_run *r, struct port *p, enum port_state state, const char *reason,
       uint8_t ttl)
{
	if (!undecided(p))
		return;
	if (p->state == PORT_WAITING)
		r->outstanding--;
	p->state = (uint8_t)state;
	p->reason = reason;
	p->ttl = ttl;
	if (state == PORT_OPEN) {
		r->awaiting_rst++;
		if (!r->session->show_frames && r->args->view.view != PKL_VIEW_JSON) {
			char target[PKL_ADDR_TEXT];
			pkl_addr_format(&r->route->dst, target, sizeof target);
			pkl_out_printf(&r->session->out, "Discovered open port %u/tcp on %s\n",
				       p->number, target);
		}
	}
	if (finished(r))
		r->session->answered = true;
}

/* ICMP destination unreachable codes as nmap names its reasons. */
static const char *
unreachable_reason(int family, uint8_t code)
{
	static const char *const v4[] = {
		[PKL_ICMP_UNREACH_NET] = "icmp-net-unreach",
		[PKL_ICMP_UNREACH_HOST] = "icmp-host-unreach",
		[PKL_ICMP_UNREACH_PROTO] = "icmp-proto-unreach",
		[PKL_ICMP_UNREACH_PORT] = "icmp-port-unreach",
		[PKL_ICMP_UNREACH_NEEDFRAG] = "icmp-frag-needed",
		[PKL_ICMP_UNREACH_SRCFAIL] = "icmp-source-route-failed",
		[PKL_ICMP_UNREACH_NET_UNKNOWN] = "icmp-net-unknown",
		[PKL_ICMP_UNREACH_HOST_UNKNOWN] = "icmp-host-unknown",
		[PKL_ICMP_UNREACH_ISOLATED] = "icmp-host-isolated",
		[PKL_ICMP_UNREACH_NET_PROHIB] = "icmp-net-prohibited",
		[PKL_ICMP_UNREACH_HOST_PROHIB] = "icmp-host-prohibited",
		[PKL_ICMP_UNREACH_TOSNET] = "icmp-net-tos-unreach",
		[PKL_ICMP_UNREACH_TOSHOST] = "icmp-host-tos-unreach",
		[PKL_ICMP_UNREACH_FILTER_PROHIB] = "icmp-admin-prohibited",
		[PKL_ICMP_UNREACH_HOST_PRECEDENCE] = "icmp-host-precedence",
		[PKL_ICMP_UNREACH_PRECEDENCE_CUTOFF] = "icmp-precedence-cutoff",
	};
	static const char *const v6[] = {
		[PKL_ICMPV6_UNREACH_NOROUTE] = "icmp-no-route",
		[PKL_ICMPV6_UNREACH_ADMIN] = "icmp-admin-prohibited",
		[PKL_ICMPV6_UNREACH_BEYOND_SCOPE] = "icmp-beyond-scope",
		[PKL_ICMPV6_UNREACH_ADDR] = "icmp-host-unreach",
		[PKL_ICMPV6_UNREACH_PORT] = "icmp-port-unreach",
		[PKL_ICMPV6_UNREACH_POLICY] = "icmp-policy-fail",
		[PKL_ICMPV6_UNREACH_REJECT_ROUTE] = "icmp-reject-route",
	};
	const char *name = NULL;

	if (family == 4 && code < sizeof v4 / sizeof v4[0])
		name = v4[code];
	else if (family == 6 && code < sizeof v6 / sizeof v6[0])
		name = v6[code];
	return name ? name : "icmp-unreach";
}

static const uint8_t *
ip_src(const struct pkl_layer *ip)
{
	return ip->proto == PKL_PROTO_IPV4 ? ip->hdr.ipv4.src : ip->hdr.ipv6.src;
}

static const uint8_t *
ip_dst(const struct pkl_layer *ip)
{
	return ip->proto == PKL_PROTO_IPV4 ? ip->hdr.ipv4.dst : ip->hdr.ipv6.dst;
}

static bool
is_target(const struct syn_run *r, const uint8_t *addr)
{
	const struct pkl_addr *t = &r->route->dst;
	return memcmp(addr, t->family == 4 ? t->v4 : t->v6, pkl_addr_size(t->family)) == 0;
}

/* An ICMP unreachable quoting one of the probes: filtered, with its code. */
static void
match_unreachable(struct syn_run *r, const struct pkl_packet *pkt, const struct pkl_layer *ip,
		  const struct pkl_layer *err)
{
	int family = r->route->dst.family;
	uint8_t unreach = family == 4 ? PKL_ICMP_UNREACH : PKL_ICMPV6_UNREACH;
	unsigned after = pkl_layer_index(pkt, err) + 1u;
	const struct pkl_layer *qip = pkl_packet_find(pkt, ip->proto, after);
	const struct pkl_layer *qtcp = pkl_packet_find(pkt, PKL_PROTO_TCP, after);

	/* The quote holds the probe's ports and sequence number (8 bytes). */
	if (err->hdr.icmp.type != unreach || !qip || !qtcp || qtcp->caplen < 8 ||
	    !is_target(r, ip_dst(qip)))
		return;
	struct port *p = port_of(r, qtcp->hdr.tcp.dport);
	const struct probe *probe = p ? probe_of(r, p, qtcp->hdr.tcp.sport) : NULL;
	if (!probe || qtcp->hdr.tcp.seq != probe->isn)
		return;
	if (!is_target(r, ip_src(ip)) && undecided(p)) {
		p->from_family = family;
		memcpy(p->from, ip_src(ip), pkl_addr_size(family));
	}
	settle(r, p, PORT_FILTERED, unreachable_reason(family, err->hdr.icmp.code),
	       ip->proto == PKL_PROTO_IPV4 ? ip->hdr.ipv4.ttl : ip->hdr.ipv6.hlim);
}

/* The answers, as the pipeline decoded them: a sink after the view.
 * Each is found in O(1): by the port it concerns, then among that
 * port's few probes by source port, and checked against the ISN. */
static void
syn_match(void *ctx, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct syn_run *r = ctx;
	enum pkl_proto ip_proto = r->route->dst.family == 4 ? PKL_PROTO_IPV4 : PKL_PROTO_IPV6;
	const struct pkl_layer *ip = pkl_packet_find(pkt, ip_proto, 0);

	(void)notes;
	if (!ip)
		return;
	const struct pkl_layer *err = pkl_packet_find(pkt, r->route->dst.family == 4
							   ? PKL_PROTO_ICMP : PKL_PROTO_ICMPV6, 0);
	if (err && err->hdr.icmp.quotes) {
		if (pkt->frame->direction == PKL_DIR_RECEIVED)
			match_unreachable(r, pkt, ip, err);
		return;
	}
	const struct pkl_layer *l = pkl_packet_find(pkt, PKL_PROTO_TCP, 0);
	if (!l || !(l->flags & PKL_LAYER_HEADER))
		return;
	const struct pkl_tcp *tcp = &l->hdr.tcp;
	bool sent = pkt->frame->direction == PKL_DIR_SENT;
	/* Ours go to the target's port; its answers come from it. */
	if (!is_target(r, sent ? ip_dst(ip) : ip_src(ip)))
		return;
	struct port *p = port_of(r, sent ? tcp->dport : tcp->sport);
	const struct probe *probe = p ? probe_of(r, p, sent ? tcp->sport : tcp->dport) : NULL;
	if (!probe)
		return;
	uint8_t ttl = ip->proto == PKL_PROTO_IPV4 ? ip->hdr.ipv4.ttl : ip->hdr.ipv6.hlim;
	bool acks_isn = (tcp->flags & PKL_TCP_ACK) && tcp->ack == probe->isn + 1;
	if (sent) {
		/* The kernel's RST to the SYN+ACK: its sequence number is the
		 * SYN+ACK's acknowledgment. */
		if ((tcp->flags & PKL_TCP_RST) && tcp->seq == probe->isn + 1 &&
		    p->state == PORT_OPEN && !p->kernel_rst) {
			p->kernel_rst = true;
			r->awaiting_rst--;
			if (finished(r))
				r->session->answered = true;
		}
		return;
	}
	if ((tcp->flags & (PKL_TCP_SYN | PKL_TCP_RST)) == PKL_TCP_SYN && acks_isn) {
		settle(r, p, PORT_OPEN, reason_syn_ack, ttl);
	} else if ((tcp->flags & PKL_TCP_RST) && acks_isn) {
		settle(r, p, PORT_CLOSED, reason_rst, ttl);
	}
}

/* ---- sending ------------------------------------------------------------------ */

/* A probe of port p from a fresh source port and ISN. */
static int
send_probe(struct syn_run *r, struct port *p)
{
	const struct pkl_route_decision *d = r->route;
	struct probe *probe = &r->probes[(size_t)(p - r->port) * r->max_tries + p->tries];
	char errbuf[PKL_ERRBUF_SIZE];
	uint8_t options[PKL_FRAME_SYN_OPTIONS_LEN];

	/* As nmap, a source port above the privileged ones; a new one for
	 * each retry, so the answers to each probe are told apart. */
	do
		probe->sport = (uint16_t)(1024 + draw(r) % (65536 - 1024));
	while (probe_of(r, p, probe->sport));
	probe->isn = draw(r);
	uint16_t mss = pkl_frame_mss(d->link.mtu, d->dst.family);
	/* Linux's SYN: the window a whole number of segments within 65535,
	 * a window scale of 7, its millisecond timestamp clock. */
	pkl_frame_syn_options(options, mss, (uint32_t)(pkl_probe_now_ns() / 1000000) + r->ts_offset,
			      7);
	struct pkl_frame_eth eth;
	memcpy(eth.src, d->link.mac, 6);
	memcpy(eth.dst, r->mac, 6);
	struct pkl_frame_ip ip = { .src = d->source, .dst = d->dst, .ttl = PKL_FRAME_TTL,
				   .id = r->ip_id++, .df = true };
	struct pkl_frame_tcp tcp = { .sport = probe->sport, .dport = p->number, .seq = probe->isn,
				     .flags = PKL_TCP_SYN,
				     .window = (uint16_t)(65535 / mss * mss),
				     .options = options, .options_len = sizeof options };
	int len = pkl_frame_build_tcp(&eth, &ip, &tcp, r->frame, sizeof r->frame, errbuf);
	if (len < 0)
		return pkl_cmd_fail(errbuf);
	/* Counted before it leaves: the answer may be decoded before the
	 * write returns. */
	uint64_t now = pkl_probe_now_ns();
	p->tries++;
	p->due_ns = now + r->args->wait_ms * 1000000;
	r->first_sent_ns = r->sent ? r->first_sent_ns : now;
	r->last_sent_ns = now;
	r->queue[(r->queue_head + r->queue_len++) % r->ports.n] = (uint32_t)(p - r->port);
	r->sent++;
	return pkl_craft_send(r->session, r->frame, (size_t)len);
}

/* The port to probe next, if any may go now: a port whose last probe's
 * wait is over, again (as nmap, retries first), or the next port not
 * probed yet.  Ports whose last probe went unanswered get their verdict
 * here. */
static struct port *
next_port(struct syn_run *r, uint64_t now)
{
	while (r->queue_len) {
		struct port *p = &r->port[r->queue[r->queue_head]];
		if (p->state == PORT_WAITING && p->due_ns > now)
			break;
		r->queue_head = (r->queue_head + 1) % r->ports.n;
		r->queue_len--;
		if (p->state != PORT_WAITING)
			continue;
		if (p->tries < r->max_tries)
			return p;
		settle(r, p, PORT_FILTERED, reason_no_response, 0);
	}
	return r->next_fresh < r->ports.n ? &r->port[r->next_fresh++] : NULL;
}

static volatile sig_atomic_t interrupted;

static void
on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* How far the pacing may fall behind and then send what it owes at
 * once: waits end on the millisecond, and a busy machine leaves a
 * process off its CPU for tens of them.  Beyond this the time is lost
 * (a burst of 1000 probes at 20000 a second). */
#define MAX_LAG_NS 50000000u
/* How long the kernel's RST to the last SYN+ACK may take to be seen. */
#define RST_WAIT_NS 200000000u
/* Sends between two looks at the capture, at the highest rates. */
#define SENDS_PER_LOOK 32

/* Every port probed at the rate, retried after the wait, until each
 * has its verdict. */
static int
scan(struct syn_run *r)
{
	uint64_t interval = 1000000000u / r->args->rate;
	uint64_t next_slot = pkl_probe_now_ns();
	struct port *ready = NULL;
	unsigned sends = 0;
	int status = 0;

	while (status == 0 && !interrupted && r->outstanding) {
		uint64_t now = pkl_probe_now_ns();
		/* A wait that ends is judged on every frame captured by then,
		 * though this process may have been kept off its CPU since. */
		if (!ready && r->queue_len && r->port[r->queue[r->queue_head]].due_ns <= now &&
		    (status = pkl_craft_listen(r->session, 0)) != 0)
			break;
		if (!ready)
			ready = next_port(r, now);
		if (!r->outstanding)
			break;
		if (next_slot + MAX_LAG_NS < now)
			next_slot = now - MAX_LAG_NS;
		if (ready && ready->state != PORT_WAITING) {   /* answered meanwhile */
			ready = NULL;
			continue;
		}
		if (ready && next_slot <= now) {
			status = send_probe(r, ready);
			ready = NULL;
			next_slot += interval;
			if (++sends % SENDS_PER_LOOK == 0 && status == 0)
				status = pkl_craft_listen(r->session, 0);
			continue;
		}
		/* Until the next send, or the next wait that ends. */
		uint64_t until = ready ? next_slot
				       : r->queue_len ? r->port[r->queue[r->queue_head]].due_ns : now;
		status = pkl_craft_listen(r->session, until);
	}
	uint64_t until = pkl_probe_now_ns() + RST_WAIT_NS;
	while (status == 0 && !interrupted && r->awaiting_rst && pkl_probe_now_ns() < until)
		status = pkl_craft_listen(r->session, until);
	return status ? status : pkl_craft_drain(r->session);
}

/* ---- the result ------------------------------------------------------------------ */

/* What the verdicts add up to. */
struct tally {
	size_t state[PORT_FILTERED + 1];   /* ports by state (waiting: not scanned) */
	size_t answered;                    /* ports whose verdict an answer gave */
	size_t kernel_rst;                  /* open ports the kernel reset */
	uint64_t ms, sending_ms;            /* the whole scan; first to last probe */
	uint64_t dropped;                   /* frames the capture lost */
};

/* nmap leaves out of its table a state that more than this many ports
 * share (never open), and counts them in a "Not shown" line. */
#define SHOWN_MAX 25

static void
print_reason(struct pkl_out *o, const struct port *p)
{
	pkl_out_str(o, p->reason);
	if (p->from_family) {
		struct pkl_addr from = { .family = p->from_family };
		char text[PKL_ADDR_TEXT];
		memcpy(from.family == 4 ? from.v4 : from.v6, p->from, pkl_addr_size(from.family));
		pkl_addr_format(&from, text, sizeof text);
		pkl_out_printf(o, " from %s", text);
	}
}

/* The reasons of the ports of state s, as "rst" or, when they differ,
 * "no-response: 990, icmp-admin-prohibited: 10" (in order of first
 * appearance; few kinds exist). */
static void
print_reasons(struct pkl_out *o, const struct syn_run *r, enum port_state s)
{
	/* More than there are: three, and the ICMP codes named. */
	enum { REASON_KINDS = 32 };
	const char *seen[REASON_KINDS];
	size_t n_seen = 0, count[REASON_KINDS] = { 0 };

	for (size_t i = 0; i < r->ports.n; i++) {
		const struct port *p = &r->port[i];
		if (p->state != s)
			continue;
		size_t k = 0;
		while (k < n_seen && seen[k] != p->reason)
			k++;
		if (k == n_seen) {
			assert(n_seen < REASON_KINDS);
			seen[n_seen++] = p->reason;
		}
		count[k]++;
	}
	for (size_t k = 0; k < n_seen; k++) {
		if (n_seen == 1)
			pkl_out_str(o, seen[k]);
		else
			pkl_out_printf(o, "%s%s: %zu", k ? ", " : "", seen[k], count[k]);
	}
}

/* nmap's port table: a "Not shown" line for the states left out, then
 * columns as wide as their widest cell, a space apart. */
static void
print_table(const struct syn_run *r, const struct tally *t)
{
	struct pkl_out *o = &r->session->out;
	bool hide[PORT_FILTERED + 1] = { false };
	unsigned port_w = 4, state_w = 5;   /* "PORT", "STATE" */
	const char *sep = "Not shown: ";
	size_t rows = 0;

	pkl_out_char(o, '\n');
	for (int s = PORT_CLOSED; s <= PORT_FILTERED; s++) {
		if (!(hide[s] = t->state[s] > SHOWN_MAX))
			continue;
		pkl_out_printf(o, "%s%zu %s tcp ports (", sep, t->state[s], state_names[s]);
		print_reasons(o, r, (enum port_state)s);
		pkl_out_char(o, ')');
		sep = ", ";
	}
	if (sep[0] == ',')
		pkl_out_char(o, '\n');
	for (size_t i = 0; i < r->ports.n; i++) {
		const struct port *p = &r->port[i];
		if (p->state == PORT_WAITING || hide[p->state])
			continue;
		char cell[16];
		unsigned w = (unsigned)snprintf(cell, sizeof cell, "%u/tcp", p->number);
		port_w = w > port_w ? w : port_w;
		w = (unsigned)strlen(state_names[p->state]);
		state_w = w > state_w ? w : state_w;
		rows++;
	}
	if (rows == 0)
		return;
	pkl_out_printf(o, "%-*s %-*s REASON\n", (int)port_w, "PORT", (int)state_w, "STATE");
	for (size_t i = 0; i < r->ports.n; i++) {
		const struct port *p = &r->port[i];
		if (p->state == PORT_WAITING || hide[p->state])
			continue;
		char cell[16];
		snprintf(cell, sizeof cell, "%u/tcp", p->number);
		pkl_out_printf(o, "%-*s %-*s ", (int)port_w, cell, (int)state_w,
			       state_names[p->state]);
		print_reason(o, p);
		pkl_out_char(o, '\n');
	}
}

static void
print_result(const struct syn_run *r, const struct tally *t)
{
	struct pkl_out *o = &r->session->out;
	size_t open = t->state[PORT_OPEN];

	print_table(r, t);
	if (t->kernel_rst)
		pkl_out_str(o, "\nhalf-open: this host's kernel answered the SYN+ACK with RST (Out), "
			    "since no socket here asked for\nthat connection: the handshake is "
			    "never completed, which is why a SYN scan is called half-open.\n");
	if (t->kernel_rst < open)
		pkl_out_printf(o, "\n%zu open port%s had no RST from this host's kernel (a "
			       "firewall here drops it, or -S\nnamed an address that is not "
			       "this host's)\n", open - t->kernel_rst,
			       open - t->kernel_rst == 1 ? "" : "s");
	char target[PKL_ADDR_TEXT];
	pkl_addr_format(&r->route->dst, target, sizeof target);
	pkl_out_printf(o, "\n%s: %zu port%s scanned in %.2f s: %zu open, %zu closed, %zu filtered "
		       "(%llu probes sent in %.2f s, %zu ports answered)\n", target, r->ports.n,
		       r->ports.n == 1 ? "" : "s", t->ms / 1000.0, open, t->state[PORT_CLOSED],
		       t->state[PORT_FILTERED], (unsigned long long)r->sent,
		       t->sending_ms / 1000.0, t->answered);
	if (t->state[PORT_WAITING])
		pkl_out_printf(o, "interrupted: %zu port%s not scanned\n", t->state[PORT_WAITING],
			       t->state[PORT_WAITING] == 1 ? "" : "s");
}

/* {"kind": "port", ...} for each port scanned. */
static void
json_ports(const struct syn_run *r)
{
	struct pkl_json j;

	pkl_json_init(&j, &r->session->out);
	for (size_t i = 0; i < r->ports.n; i++) {
		const struct port *p = &r->port[i];
		if (p->state == PORT_WAITING)
			continue;
		pkl_json_object_open(&j);
		PKL_JSON_KEY(&j, "kind");
		pkl_json_name(&j, "port");
		PKL_JSON_KEY(&j, "port");
		pkl_json_u64(&j, p->number);
		PKL_JSON_KEY(&j, "state");
		pkl_json_name(&j, state_names[p->state]);
		PKL_JSON_KEY(&j, "reason");
		pkl_json_name(&j, p->reason);
		PKL_JSON_KEY(&j, "probes");
		pkl_json_u64(&j, p->tries);
		if (p->reason != reason_no_response) {
			PKL_JSON_KEY(&j, "ttl");
			pkl_json_u64(&j, p->ttl);
		}
		if (p->from_family) {
			PKL_JSON_KEY(&j, "from");
			pkl_json_address(&j, p->from_family, p->from);
		}
		if (p->state == PORT_OPEN) {
			PKL_JSON_KEY(&j, "kernel_rst");
			pkl_json_bool(&j, p->kernel_rst);
		}
		pkl_json_object_close(&j);
		pkl_out_char(j.out, '\n');
	}
}

static void
json_result(const struct syn_run *r, const struct tally *t)
{
	struct pkl_json j;
	char target[PKL_ADDR_TEXT];

	pkl_addr_format(&r->route->dst, target, sizeof target);
	pkl_json_init(&j, &r->session->out);
	pkl_json_object_open(&j);
	PKL_JSON_KEY(&j, "kind");
	pkl_json_name(&j, "result");
	PKL_JSON_KEY(&j, "command");
	pkl_json_name(&j, "syn");
	PKL_JSON_KEY(&j, "target");
	pkl_json_string(&j, target);
	PKL_JSON_KEY(&j, "ports");
	pkl_json_u64(&j, r->ports.n);
	PKL_JSON_KEY(&j, "open");
	pkl_json_u64(&j, t->state[PORT_OPEN]);
	PKL_JSON_KEY(&j, "closed");
	pkl_json_u64(&j, t->state[PORT_CLOSED]);
	PKL_JSON_KEY(&j, "filtered");
	pkl_json_u64(&j, t->state[PORT_FILTERED]);
	PKL_JSON_KEY(&j, "unscanned");
	pkl_json_u64(&j, t->state[PORT_WAITING]);
	PKL_JSON_KEY(&j, "answered");
	pkl_json_u64(&j, t->answered);
	PKL_JSON_KEY(&j, "probes");
	pkl_json_u64(&j, r->sent);
	PKL_JSON_KEY(&j, "rate");
	pkl_json_u64(&j, r->args->rate);
	PKL_JSON_KEY(&j, "retries");
	pkl_json_u64(&j, r->args->retries);
	PKL_JSON_KEY(&j, "timeout_ms");
	pkl_json_u64(&j, r->args->wait_ms);
	PKL_JSON_KEY(&j, "time_ms");
	pkl_json_u64(&j, t->ms);
	PKL_JSON_KEY(&j, "sending_ms");
	pkl_json_u64(&j, t->sending_ms);
	PKL_JSON_KEY(&j, "capture_dropped");
	pkl_json_u64(&j, t->dropped);
	pkl_json_object_close(&j);
	pkl_out_char(j.out, '\n');
}

/* The ports' verdicts, then what the capture lost (answers among them
 * would have made a port look filtered). */
static void
report(const struct syn_run *r, uint64_t ms)
{
	struct tally t = { .ms = ms, .sending_ms = (r->last_sent_ns - r->first_sent_ns) / 1000000 };
	struct pkl_capture_stats st = { 0 };

	for (size_t i = 0; i < r->ports.n; i++) {
		const struct port *p = &r->port[i];
		t.state[p->state]++;
		t.answered += p->state != PORT_WAITING && p->reason != reason_no_response;
		t.kernel_rst += p->kernel_rst;
	}
	pkl_probe_stats(r->session->probe, &st);
	t.dropped = st.dropped_kernel;
	if (r->args->view.view == PKL_VIEW_JSON) {
		json_ports(r);
		json_result(r, &t);
	} else {
		print_result(r, &t);
	}
	if (t.dropped) {
		pkl_out_flush(&r->session->out);
		fprintf(stderr, "pktlens syn: the capture lost %llu frames (its buffer was full): a "
			"port shown as filtered may have answered; lower --rate\n",
			(unsigned long long)t.dropped);
	}
}

/* ---- the run ---------------------------------------------------------------------- */

static int
prepare(struct syn_run *r)
{
	size_t n = r->ports.n;

	r->max_tries = 1 + (unsigned)r->args->retries;
	r->port = calloc(n, sizeof *r->port);
	r->index = calloc(PKL_PORTS_MAX + 1, sizeof *r->index);
	r->probes = calloc(n * r->max_tries, sizeof *r->probes);
	r->queue = calloc(n, sizeof *r->queue);
	if (!r->port || !r->index || !r->probes || !r->queue)
		return pkl_cmd_fail("out of memory for the ports");
	for (size_t i = 0; i < n; i++) {
		r->port[i].number = r->ports.list[i];
		r->index[r->ports.list[i]] = (uint32_t)i + 1;
	}
	r->outstanding = n;
	pkl_hash_key_new(&r->key);
	r->ts_offset = draw(r);
	r->ip_id = (uint16_t)draw(r);
	return 0;
}

static void
release(struct syn_run *r)
{
	free(r->port);
	free(r->index);
	free(r->probes);
	free(r->queue);
	pkl_ports_free(&r->ports);
}

/* The capture's filter: the probes, the answers and the kernel's RSTs
 * (TCP with SYN or RST, to or from the target: not the data of a
 * connection already open to it), ICMP unreachables quoting TCP, and
 * the question for the next hop's MAC. */
static void
capture_filter(const struct pkl_addr *target, char *buf, size_t size)
{
	char t[PKL_ADDR_TEXT];

	pkl_addr_format(target, t, sizeof t);
	if (target->family == 4)
		snprintf(buf, size, "arp or (tcp and host %s and tcp[tcpflags] & (tcp-syn|tcp-rst) "
			 "!= 0) or (icmp[icmptype] == icmp-unreach and icmp[17] == 6)", t);
	else   /* ICMPv6 right after the IPv6 header: unreachable, NS, NA */
		snprintf(buf, size, "(ip6 host %s and tcp and ip6[53] & 0x06 != 0) or "
			 "(icmp6 and (ip6[40] == 1 or ip6[40] == 135 or ip6[40] == 136))", t);
}

static int
decide(const struct pkl_command *cmd, const struct syn_args *a, const char *target,
       struct pkl_route_decision *d)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_route_request req = { .interface = a->iface,
					 .allow_broadcast = a->craft.broadcast };
	struct pkl_addr source;

	if (pkl_addr_parse(target, &req.dst) < 0)
		return pkl_cmd_usage_error(cmd, "'%s' is not an IPv4 or IPv6 address", target);
	if (a->source) {
		if (pkl_addr_parse(a->source, &source) < 0 || source.family != req.dst.family)
			return pkl_cmd_usage_error(cmd, "-S takes an %s address like the target, "
						   "not '%s'", req.dst.family == 4 ? "IPv4" : "IPv6",
						   a->source);
		req.source = &source;
	}
	if (pkl_route_decide(&req, d, errbuf) < 0)
		return pkl_cmd_fail(errbuf);
	if (!d->source_own &&
	    pkl_privilege_require_root("a SYN from an address that is not the interface's own",
				       errbuf) < 0)
		return pkl_cmd_fail(errbuf);
	return 0;
}

/* The next hop's MAC; when nobody answers for it, no probe can leave. */
static int
find_next_hop(struct syn_run *r)
{
	const struct pkl_route_decision *d = r->route;
	int rc = pkl_craft_next_hop_mac(r->session, d, r->args->neigh, r->max_tries,
					r->args->wait_ms, r->mac);

	return rc >= 0 ? rc : pkl_craft_no_next_hop(d, r->max_tries);
}

static int
run(const struct pkl_command *cmd, int argc, char **argv)
{
	struct syn_args a = { .view = PKL_VIEW_DEFAULTS, .rate = DEFAULT_RATE, .retries = 1,
			      .wait_ms = 1000 };
	const struct pkl_opt_group groups[] = {
		{ "Probes", syn_options, syn_apply, NULL, &a },
		{ "Views (default: every frame sent and heard, explained, then the port table)",
		  pkl_craft_view_options, pkl_view_apply, pkl_craft_view_check, &a.view },
		{ "Recording, targets and privileges", pkl_craft_options_w, pkl_craft_apply, NULL,
		  &a.craft },
	};
	char errbuf[PKL_ERRBUF_SIZE];
	int first, status;

	if ((status = pkl_opts_parse(cmd, groups, PKL_NGROUPS(groups), argc, argv, &first)) >= 0)
		return status;
	if (argc - first < 2)
		return pkl_cmd_usage_error(cmd, "which host and which ports? (pktlens syn "
					   "192.168.1.20 22,80,8000-8010)");
	if (argc - first > 2)
		return pkl_cmd_usage_error(cmd, "one host and one port list: '%s' is one too many",
					   argv[first + 2]);

	struct pkl_craft_session s;
	struct pkl_route_decision d;
	struct syn_run r = { .args = &a, .session = &s, .route = &d };
	if (pkl_ports_parse(argv[first + 1], &r.ports, errbuf) < 0) {
		pkl_ports_free(&r.ports);
		return pkl_cmd_usage_error(cmd, "%s", errbuf);
	}
	if ((status = decide(cmd, &a, argv[first], &d)) != 0 || (status = prepare(&r)) != 0) {
		release(&r);
		return status;
	}
	char filter[256];
	capture_filter(&d.dst, filter, sizeof filter);
	if ((status = pkl_craft_start(&s, &a.craft, &a.view, &d.link, filter)) == 0) {
		struct sigaction sa = { .sa_handler = on_interrupt };
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		pkl_craft_say_route(&s, &d);
		if (a.view.view != PKL_VIEW_JSON) {
			char target[PKL_ADDR_TEXT], source[PKL_ADDR_TEXT];
			pkl_addr_format(&d.dst, target, sizeof target);
			pkl_addr_format(&d.source, source, sizeof source);
			pkl_out_printf(&s.out, "SYN scan of %s from %s on %s: %zu port%s, %llu "
				       "probes a second, %llu retr%s, %g s timeout\n", target, source,
				       d.link.name, r.ports.n, r.ports.n == 1 ? "" : "s",
				       (unsigned long long)a.rate, (unsigned long long)a.retries,
				       a.retries == 1 ? "y" : "ies", a.wait_ms / 1000.0);
		}
		pkl_craft_add_sink(&s, syn_match, &r);
		uint64_t start = pkl_probe_now_ns();
		if ((status = find_next_hop(&r)) == 0)
			status = scan(&r);
		if (status == 0)
			report(&r, (pkl_probe_now_ns() - start) / 1000000);
	}
	status = pkl_craft_end(&s, status);
	release(&r);
	return status;
}

const struct pkl_command pkl_cmd_syn = {
	.name = "syn",
	.synopsis = "[options] HOST PORTS",
	.summary = "a SYN scan of TCP ports, as nmap -sS, with every frame shown",
	.description =
		"Send one SYN per port of PORTS (22,80,8000-8010; - for all) to HOST, built\n"
		"by pktlens with Linux's options from a random source port and ISN, on the\n"
		"interface the kernel's route chooses, and say per port what came back:\n"
		"open (SYN+ACK), closed (RST), filtered (an ICMP unreachable, named, or\n"
		"nothing after the retries), in nmap's port table.  For an open port the\n"
		"frames show the RST this host's kernel sends to the SYN+ACK, which no\n"
		"socket of its own asked for: why the scan is called half-open.\n"
		"Needs root, or sudo setcap cap_net_raw=ep on the binary.",
	.epilogue = "Exit status: 0 when the scan ran (whatever the ports said), 1 when it could "
		    "not,\n2 for a usage error.",
	.run = run,
};
