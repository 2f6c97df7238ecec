/* `pktlens ping`: ICMP and ICMPv6 echo requests built by pktlens, the
 * replies and the errors matched to them, as iputils ping reports them;
 * a request larger than the path MTU is fragmented here, frame by frame. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "../../dissectors/icmp.h"
#include "../../dissectors/icmpv6.h"
#include "../../dissectors/ipv4.h"
#include "../../dissectors/ipv6.h"
#include "../craft/frame.h"
#include "../json.h"
#include "../privilege.h"
#include "craft.h"

struct ping_args {
	struct pkl_view_opts view;
	struct pkl_craft_opts craft;
	uint64_t count;           /* 0: until Ctrl-C (or the deadline) */
	uint64_t interval_ms, wait_ms, deadline_ms;
	uint64_t size, ttl;
	bool df, flood_ok, neigh;
	const char *iface;
	const char *source;
};

enum { OPT_DF = PKL_OPT_LONG_ONLY, OPT_FLOOD_OK, OPT_NEIGH };

/* ping's floor for a user's interval, and the ceiling of --flood-ok. */
#define MIN_INTERVAL_MS 200
#define FLOOD_INTERVAL_MS 1

static const struct pkl_option ping_options[] = {
	{ 'c', "count", "N", false, "stop after N requests (default: until Ctrl-C)" },
	{ 'i', "interval", "SECS", false,
	  "between requests (default 1; at least 0.2 unless\n--flood-ok)" },
	{ OPT_FLOOD_OK, "flood-ok", NULL, false,
	  "allow intervals below 0.2 s, down to 0.001 (1000/s)" },
	{ 'W', "timeout", "SECS", false,
	  "after the last request, wait this long for replies\n(default 1)" },
	{ 'w', "deadline", "SECS", false,
	  "stop after this long, whatever is left (with -c,\n"
	  "the replies are awaited until then, not for -W)" },
	{ 's', "size", "BYTES", false,
	  "echo payload (default 56); beyond the MTU, pktlens\nfragments the datagram (IPv4)" },
	{ 't', "ttl", "N", false, "time to live (hop limit), as ping -t" },
	{ OPT_DF, "df", NULL, false, "set don't-fragment (IPv4), as ping -M do" },
	{ 'I', "interface", "IFACE", false, "send on IFACE (default: the route's interface)" },
	{ 'S', "source", "ADDR", false,
	  "for testing: the source address (one that is not\nthe interface's own needs root)" },
	{ OPT_NEIGH, "neigh", NULL, false,
	  "take the next hop's MAC from the kernel's neighbour\n"
	  "table instead of asking for it (ARP, or neighbour\nsolicitation for IPv6)" },
	{ 0, NULL, NULL, false, NULL },
};

static int
ping_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct ping_args *a = target;

	switch (key) {
	case 'c':
		return pkl_opt_number(p, value, 1, PKL_CRAFT_MAX_PROBES, "a number of requests",
				      &a->count);
	case 'i': return pkl_opt_seconds(p, value, FLOOD_INTERVAL_MS, 3600 * 1000, &a->interval_ms);
	case 'W': return pkl_opt_seconds(p, value, 1, 3600 * 1000, &a->wait_ms);
	case 'w': return pkl_opt_seconds(p, value, 1, 24 * 3600 * 1000, &a->deadline_ms);
	case 's': return pkl_opt_number(p, value, 0, 65507, "a payload size", &a->size);
	case 't': return pkl_opt_number(p, value, 1, 255, "a TTL", &a->ttl);
	case OPT_DF: a->df = true; break;
	case OPT_FLOOD_OK: a->flood_ok = true; break;
	case OPT_NEIGH: a->neigh = true; break;
	case 'I': a->iface = value; break;
	case 'S': a->source = value; break;
	}
	return 0;
}

static int
ping_check(void *target, struct pkl_opt_parser *p)
{
	const struct ping_args *a = target;

	if (a->interval_ms < MIN_INTERVAL_MS && !a->flood_ok)
		return pkl_opt_error(p, "an interval below 0.2 s floods the target: add --flood-ok "
				     "if that is what you want (at most 1000 requests a second)");
	return 0;
}

/* ---- what came back ----------------------------------------------------------- */

/* Requests by sequence number, which wraps at 65536 as ping's does: an
 * entry starts afresh when its number is sent again. */
#define SEQ_SPACE 65536
struct request {
	bool sent;                /* sent in this run (else a reply is not ours) */
	bool settled;             /* answered, or refused by a router */
	uint32_t replies;
	uint64_t sent_ns;         /* its capture time; 0 until the capture saw it */
};

/* An echo reply split into fragments, gathered until complete. */
#define REASSEMBLY_SLOTS 16
struct reassembly {
	bool used;
	uint16_t ip_id;
	uint8_t src[16];
	bool has_header;          /* the first fragment, with the ICMP header, came */
	uint16_t seq;
	uint8_t ttl;
	uint32_t have, total;     /* bytes of IP payload; total 0 until the last fragment */
};

enum line_kind { LINE_REPLY, LINE_ERROR, LINE_UNREACHABLE };
struct ping_line {
	enum line_kind kind;
	uint16_t seq;
	bool dup;
	uint8_t ttl;
	uint32_t bytes;
	uint64_t rtt_ns;
	uint8_t from[16];         /* the replier, the router that sent an error, or this host */
	uint8_t type, code;
	uint32_t mtu;             /* fragmentation needed, packet too big */
};

struct ping_run {
	const struct ping_args *args;
	struct pkl_craft_session *session;
	struct pkl_addr target, source;
	bool any_replier;         /* a broadcast or group target: every host answers */
	uint16_t ident;
	uint32_t size;            /* the echo payload */
	struct request *requests; /* SEQ_SPACE of them */
	uint32_t transmitted, received, duplicates, errors;
	uint32_t outstanding;     /* requests neither answered nor refused yet */
	struct pkl_craft_rtt rtt; /* of the replies (not the duplicates) */
	struct ping_line *lines;  /* shown after the frames */
	size_t n_lines, lines_cap, lines_lost;
	struct reassembly frags[REASSEMBLY_SLOTS];
	unsigned next_evict;      /* the slot given up when all are taken */
	uint8_t whole[PKL_FRAME_MAX], piece[PKL_FRAME_MAX];   /* a request, a fragment of it */
};

static void
print_addr(struct pkl_out *o, int family, const uint8_t *addr)
{
	if (family == 4)
		pkl_out_ipv4(o, addr);
	else
		pkl_out_ipv6(o, addr);
}

/* One of ping's lines: a reply, an ICMP error about a request, or a
 * request that could not leave.  Kept until the frames are shown (with
 * -q, printed at once). */
static void
print_line(const struct ping_run *r, const struct ping_line *line)
{
	struct pkl_out *o = &r->session->out;
	int family = r->target.family;

	if (line->kind == LINE_REPLY) {
		pkl_out_printf(o, "%u bytes from ", line->bytes);
		print_addr(o, family, line->from);
		pkl_out_printf(o, ": icmp_seq=%u ttl=%u time=%.3f ms%s\n", line->seq, line->ttl,
			       line->rtt_ns / 1e6, line->dup ? " (DUP!)" : "");
		return;
	}
	pkl_out_str(o, "From ");
	print_addr(o, family, line->from);
	pkl_out_printf(o, " icmp_seq=%u ", line->seq);
	if (line->kind == LINE_UNREACHABLE) {
		pkl_out_printf(o, "Destination Host Unreachable (no answer to %s for the next hop)\n",
			       family == 4 ? "ARP" : "neighbour solicitation");
		return;
	}
	bool v4 = family == 4;
	const char *type = v4 ? pkl_icmp_type_name(line->type) : pkl_icmpv6_type_name(line->type);
	const char *code = v4 ? pkl_icmp_code_name(line->type, line->code) : NULL;
	pkl_out_str(o, type ? type : "ICMP error");
	if (code) {
		pkl_out_str(o, ": ");
		pkl_out_str(o, code);
	} else {
		pkl_out_printf(o, " (code %u)", line->code);
	}
	if (line->mtu)
		pkl_out_printf(o, " (MTU %u)", line->mtu);
	pkl_out_char(o, '\n');
}

/* Milliseconds, as ping prints them. */
static void
json_number(struct pkl_json *j, double v)
{
	pkl_out_printf(j->out, "%.3f", v);
}

/* {"kind": "reply", "seq", "from", "ttl", "bytes", "ms", "dup"}: each
 * reply as it comes, before the result (the round trips one by one). */
static void
json_reply(const struct ping_run *r, const struct ping_line *line)
{
	struct pkl_json j;
	char from[PKL_ADDR_TEXT];
	struct pkl_addr a = { .family = r->target.family };

	memcpy(a.v6, line->from, pkl_addr_size(a.family));
	pkl_addr_format(&a, from, sizeof from);
	pkl_json_init(&j, &r->session->out);
	pkl_json_object_open(&j);
	PKL_JSON_KEY(&j, "kind");
	pkl_json_name(&j, "reply");
	PKL_JSON_KEY(&j, "seq");
	pkl_json_u64(&j, line->seq);
	PKL_JSON_KEY(&j, "from");
	pkl_json_string(&j, from);
	PKL_JSON_KEY(&j, "ttl");
	pkl_json_u64(&j, line->ttl);
	PKL_JSON_KEY(&j, "bytes");
	pkl_json_u64(&j, line->bytes);
	PKL_JSON_KEY(&j, "ms");
	json_number(&j, line->rtt_ns / 1e6);
	PKL_JSON_KEY(&j, "dup");
	pkl_json_bool(&j, line->dup);
	pkl_json_object_close(&j);
	pkl_out_char(j.out, '\n');
}

/* A line of ping's: shown now with -q, else kept for after the frames;
 * with --json, a reply is a record of its own. */
static void
add_line(struct ping_run *r, const struct ping_line *line)
{
	if (r->args->view.view == PKL_VIEW_JSON) {
		if (line->kind == LINE_REPLY)
			json_reply(r, line);
		return;
	}
	if (!r->session->show_frames) {
		print_line(r, line);
		return;
	}
	if (r->n_lines == r->lines_cap) {
		size_t cap = r->lines_cap ? r->lines_cap * 2 : 64;
		struct ping_line *more = realloc(r->lines, cap * sizeof *more);
		if (!more) {
			r->lines_lost++;
			return;
		}
		r->lines = more;
		r->lines_cap = cap;
	}
	r->lines[r->n_lines++] = *line;
}

/* A request no longer awaited: answered, or refused by a router. */
static void
settle(struct ping_run *r, struct request *q)
{
	if (q->settled)
		return;
	q->settled = true;
	r->outstanding--;
	if (r->outstanding == 0)
		r->session->answered = true;
}

/* A reply to request seq, whole, from `from`. */
static void
got_reply(struct ping_run *r, uint16_t seq, const uint8_t *from, uint32_t bytes, uint8_t ttl,
	  uint64_t at_ns)
{
	struct request *q = &r->requests[seq];

	if (!q->sent)
		return;   /* not one of this run's requests */
	struct ping_line line = { .kind = LINE_REPLY, .seq = seq, .bytes = bytes, .ttl = ttl,
				  .dup = q->replies++ > 0 };
	memcpy(line.from, from, pkl_addr_size(r->target.family));
	line.rtt_ns = q->sent_ns && at_ns > q->sent_ns ? at_ns - q->sent_ns : 0;
	if (line.dup) {
		r->duplicates++;
	} else {
		r->received++;
		pkl_craft_rtt_add(&r->rtt, line.rtt_ns);
		settle(r, q);
	}
	add_line(r, &line);
}

/* An ICMP error quoting request seq, sent by `from`. */
static void
got_error(struct ping_run *r, const struct pkl_layer *err, uint16_t seq, const uint8_t *from)
{
	const struct pkl_icmp *ic = &err->hdr.icmp;
	struct request *q = &r->requests[seq];

	if (!q->sent)
		return;
	struct ping_line line = { .kind = LINE_ERROR, .seq = seq, .type = ic->type,
				  .code = ic->code,
				  .mtu = ic->next_hop_mtu ? ic->next_hop_mtu : ic->mtu6 };
	memcpy(line.from, from, pkl_addr_size(r->target.family));
	r->errors++;
	settle(r, q);
	add_line(r, &line);
}

/* The slot gathering datagram ip_id from src: the one already begun, a
 * free one, or else one given up in turn. */
static struct reassembly *
reassembly_slot(struct ping_run *r, uint16_t ip_id, const uint8_t *src)
{
	struct reassembly *free_slot = NULL;

	for (int i = 0; i < REASSEMBLY_SLOTS; i++) {
		struct reassembly *f = &r->frags[i];
		if (f->used && f->ip_id == ip_id && memcmp(f->src, src, 4) == 0)
			return f;
		if (!f->used && !free_slot)
			free_slot = f;
	}
	if (!free_slot) {
		free_slot = &r->frags[r->next_evict];
		r->next_evict = (r->next_evict + 1) % REASSEMBLY_SLOTS;
	}
	*free_slot = (struct reassembly){ .used = true, .ip_id = ip_id };
	memcpy(free_slot->src, src, 4);
	return free_slot;
}

/* One fragment of an IPv4 echo reply: the reply counts once every byte
 * of it is here. */
static void
got_fragment(struct ping_run *r, const struct pkl_packet *pkt, const struct pkl_ipv4 *ip,
	     const struct pkl_layer *icmp)
{
	struct reassembly *f = reassembly_slot(r, ip->id, ip->src);
	uint32_t payload = ip->total_len > ip->ihl * 4u ? ip->total_len - ip->ihl * 4u : 0;

	f->have += payload;
	if (!ip->mf)
		f->total = ip->frag_offset * 8u + payload;
	if (ip->frag_offset == 0 && icmp) {
		f->has_header = true;
		f->seq = icmp->hdr.icmp.seq;
		f->ttl = ip->ttl;
	}
	if (f->has_header && f->total && f->have >= f->total) {
		f->used = false;
		got_reply(r, f->seq, ip->src, f->total, f->ttl, pkl_frame_ns(pkt->frame));
	}
}

/* The echo layer of a frame, when it is one of this run's. */
static const struct pkl_layer *
own_echo(const struct ping_run *r, const struct pkl_packet *pkt, unsigned from, uint8_t type)
{
	const struct pkl_layer *l = pkl_packet_find(pkt, r->target.family == 4 ? PKL_PROTO_ICMP
						    : PKL_PROTO_ICMPV6, from);

	if (!l || !l->hdr.icmp.has_echo || l->hdr.icmp.type != type ||
	    l->hdr.icmp.ident != r->ident)
		return NULL;
	return l;
}

static void
ping_match(void *ctx, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct ping_run *r = ctx;
	bool v4 = r->target.family == 4;
	const struct pkl_layer *ipl = pkl_packet_find(pkt, v4 ? PKL_PROTO_IPV4 : PKL_PROTO_IPV6, 0);
	const struct pkl_layer *l;

	(void)notes;
	if (!ipl)
		return;
	if (pkt->frame->direction == PKL_DIR_SENT) {
		l = own_echo(r, pkt, 0, v4 ? PKL_ICMP_ECHO_REQUEST : PKL_ICMPV6_ECHO_REQUEST);
		struct request *q = l ? &r->requests[l->hdr.icmp.seq] : NULL;
		if (q && q->sent && !q->sent_ns)   /* the first fragment, when fragmented */
			q->sent_ns = pkl_frame_ns(pkt->frame);
		return;
	}
	const uint8_t *src = v4 ? ipl->hdr.ipv4.src : ipl->hdr.ipv6.src;
	if (r->any_replier || memcmp(src, r->target.v6, pkl_addr_size(r->target.family)) == 0) {
		if (v4 && (ipl->hdr.ipv4.mf || ipl->hdr.ipv4.frag_offset) &&
		    ipl->hdr.ipv4.proto == PKL_IPPROTO_ICMP) {
			got_fragment(r, pkt, &ipl->hdr.ipv4,
				     own_echo(r, pkt, 0, PKL_ICMP_ECHO_REPLY));
			return;
		}
		l = own_echo(r, pkt, 0, v4 ? PKL_ICMP_ECHO_REPLY : PKL_ICMPV6_ECHO_REPLY);
		if (l) {
			uint8_t ttl = v4 ? ipl->hdr.ipv4.ttl : ipl->hdr.ipv6.hlim;
			got_reply(r, l->hdr.icmp.seq, src, l->len, ttl, pkl_frame_ns(pkt->frame));
			return;
		}
	}
	/* An error about one of the requests: it quotes the request. */
	const struct pkl_layer *err = pkl_packet_find(pkt, v4 ? PKL_PROTO_ICMP : PKL_PROTO_ICMPV6, 0);
	if (!err || !err->hdr.icmp.quotes)
		return;
	const struct pkl_layer *quoted = own_echo(r, pkt, pkl_layer_index(pkt, err) + 1u,
						  v4 ? PKL_ICMP_ECHO_REQUEST : PKL_ICMPV6_ECHO_REQUEST);
	if (quoted)
		got_error(r, err, quoted->hdr.icmp.seq, src);
}

/* ---- sending ------------------------------------------------------------------ */

#define ECHO_HLEN 8         /* type, code, checksum, identifier, sequence */
#define MAX_FRAGMENTS 64   /* 65535 bytes at the smallest MTU IPv4 allows (576) fit */

/* Request seq, built whole and, when larger than the link's MTU, cut
 * into fragments here (each shown as it leaves). */
static int
send_request(struct ping_run *r, const struct pkl_route_decision *d, const uint8_t mac[6],
	     uint16_t seq)
{
	uint8_t *whole = r->whole, *piece = r->piece;
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_frame_eth eth;
	/* Never IP id 0: on loopback the kernel would put one of its own
	 * there, and the frame would no longer be known as sent. */
	uint16_t ip_id = (uint16_t)(r->ident + seq);
	struct pkl_frame_ip ip = { .src = r->source, .dst = r->target,
				   .ttl = r->args->ttl ? (uint8_t)r->args->ttl : PKL_FRAME_TTL,
				   .id = ip_id ? ip_id : 1, .df = r->args->df };
	struct pkl_frame_echo echo = { .ident = r->ident, .seq = seq, .size = r->size };

	memcpy(eth.src, d->link.mac, 6);
	memcpy(eth.dst, mac, 6);
	gettimeofday(&echo.sent, NULL);
	int len = pkl_frame_build_echo(&eth, &ip, &echo, whole, PKL_FRAME_MAX, errbuf);
	if (len < 0)
		return pkl_cmd_fail(errbuf);
	struct request *q = &r->requests[seq];
	if (q->sent && !q->settled)   /* its number came round again: given up */
		r->outstanding--;
	*q = (struct request){ .sent = true };
	r->transmitted++;
	r->outstanding++;
	if ((unsigned)len - PKL_FRAME_ETH_HLEN <= d->link.mtu || d->link.loopback)
		return pkl_craft_send(r->session, whole, (size_t)len);

	struct pkl_frame_frag frags[MAX_FRAGMENTS];
	unsigned ihl = PKL_IPV4_MIN_HLEN;   /* pktlens sends no IP options */
	int n = pkl_frame_plan_fragments((size_t)len - PKL_FRAME_ETH_HLEN - ihl, ihl, d->link.mtu,
					 frags, MAX_FRAGMENTS, errbuf);
	if (n < 0)
		return pkl_cmd_fail(errbuf);
	for (int i = 0; i < n; i++) {
		int flen = pkl_frame_build_fragment(whole, (size_t)len, &frags[i], piece,
						    PKL_FRAME_MAX, errbuf);
		int status = flen < 0 ? pkl_cmd_fail(errbuf)
				      : pkl_craft_send(r->session, piece, (size_t)flen);
		if (status)
			return status;
	}
	return 0;
}

/* A request that could not leave: nobody answered for the next hop. */
static void
unreachable(struct ping_run *r, uint16_t seq)
{
	struct ping_line line = { .kind = LINE_UNREACHABLE, .seq = seq };

	memcpy(line.from, r->source.v6, pkl_addr_size(r->source.family));
	r->requests[seq] = (struct request){ .settled = true };   /* never sent: no reply is its */
	r->transmitted++;
	r->errors++;
	add_line(r, &line);
}

/* ---- the result ------------------------------------------------------------------ */

static double
loss_pct(const struct ping_run *r)
{
	return r->transmitted ? (r->transmitted - r->received) * 100.0 / r->transmitted : 0;
}

static void
print_statistics(const struct ping_run *r, const char *target, uint64_t ms)
{
	struct pkl_out *o = &r->session->out;

	for (size_t i = 0; i < r->n_lines; i++)
		print_line(r, &r->lines[i]);
	if (r->lines_lost)
		pkl_out_printf(o, "(%zu more lines lost: no memory to keep them)\n", r->lines_lost);
	pkl_out_printf(o, "\n--- %s ping statistics ---\n%u packets transmitted, %u received, ",
		       target, r->transmitted, r->received);
	if (r->duplicates)
		pkl_out_printf(o, "+%u duplicates, ", r->duplicates);
	if (r->errors)
		pkl_out_printf(o, "+%u errors, ", r->errors);
	pkl_out_printf(o, "%g%% packet loss, time %llums\n", loss_pct(r), (unsigned long long)ms);
	pkl_craft_rtt_print(o, &r->rtt, "mdev");
}

static void
json_result(const struct ping_run *r, const char *target, uint64_t ms)
{
	struct pkl_json j;

	pkl_json_init(&j, &r->session->out);
	pkl_json_object_open(&j);
	PKL_JSON_KEY(&j, "kind");
	pkl_json_name(&j, "result");
	PKL_JSON_KEY(&j, "command");
	pkl_json_name(&j, "ping");
	PKL_JSON_KEY(&j, "target");
	pkl_json_string(&j, target);
	PKL_JSON_KEY(&j, "transmitted");
	pkl_json_u64(&j, r->transmitted);
	PKL_JSON_KEY(&j, "received");
	pkl_json_u64(&j, r->received);
	PKL_JSON_KEY(&j, "duplicates");
	pkl_json_u64(&j, r->duplicates);
	PKL_JSON_KEY(&j, "errors");
	pkl_json_u64(&j, r->errors);
	PKL_JSON_KEY(&j, "loss_pct");
	json_number(&j, loss_pct(r));
	PKL_JSON_KEY(&j, "time_ms");
	pkl_json_u64(&j, ms);
	if (r->rtt.n) {
		PKL_JSON_KEY(&j, "rtt_min_ms");
		json_number(&j, r->rtt.min_ms);
		PKL_JSON_KEY(&j, "rtt_avg_ms");
		json_number(&j, pkl_craft_rtt_avg_ms(&r->rtt));
		PKL_JSON_KEY(&j, "rtt_max_ms");
		json_number(&j, r->rtt.max_ms);
		PKL_JSON_KEY(&j, "rtt_mdev_ms");
		json_number(&j, pkl_craft_rtt_dev_ms(&r->rtt));
	}
	pkl_json_object_close(&j);
	pkl_out_char(j.out, '\n');
}

/* ---- the run ---------------------------------------------------------------------- */

/* The requests, paced by the interval, then the wait for the last
 * replies.  The next hop's MAC is asked for before each request until
 * known, as the kernel would.  The deadline (-w) ends it all, as
 * ping's: no request leaves after it, and with it the replies to a
 * count of requests are awaited until then rather than for -W. */
static int
pings(struct ping_run *r, const struct pkl_route_decision *d)
{
	const struct ping_args *a = r->args;
	uint64_t start = pkl_probe_now_ns();
	uint64_t deadline = a->deadline_ms ? start + a->deadline_ms * 1000000 : UINT64_MAX;
	uint64_t count = a->count ? a->count : PKL_CRAFT_MAX_PROBES;
	uint8_t mac[6];
	bool have_mac = false;
	int status = 0;

	/* Each request an interval after the one before, never sooner: a
	 * run held up (a busy host) does not catch up in a burst. */
	uint64_t next = start;
	for (uint64_t n = 0; n < count && status == 0 && !pkl_craft_interrupted(); n++) {
		if (next >= deadline)
			break;
		while (status == 0 && !pkl_craft_interrupted() && pkl_probe_now_ns() < next)
			status = pkl_craft_listen(r->session, next);
		if (status || pkl_craft_interrupted())
			break;
		uint16_t seq = (uint16_t)(n + 1);   /* from 1, wrapping to 0 as ping's */
		int rc = have_mac ? 0 : pkl_craft_next_hop_mac(r->session, d, a->neigh, 1,
							       a->wait_ms < a->interval_ms
							       ? a->wait_ms : a->interval_ms, mac);
		if (rc > 0)
			return rc;
		if (rc < 0) {
			unreachable(r, seq);
		} else {
			have_mac = true;
			status = send_request(r, d, mac, seq);
		}
		next = pkl_probe_now_ns() + a->interval_ms * 1000000;
	}
	/* The last replies: until all came, or Ctrl-C. */
	uint64_t until = a->deadline_ms ? deadline : pkl_probe_now_ns() + a->wait_ms * 1000000;
	while (status == 0 && !pkl_craft_interrupted() && r->outstanding &&
	       pkl_probe_now_ns() < until)
		status = pkl_craft_listen(r->session, until);
	return status ? status : pkl_craft_drain(r->session);
}

/* ping's exit status 0: some reply came; with a deadline and a count,
 * the replies to all of them. */
static bool
answered_enough(const struct ping_run *r)
{
	if (r->args->deadline_ms && r->args->count)
		return r->received >= r->args->count;
	return r->received > 0;
}

static int
resolve_target(const struct pkl_command *cmd, const char *text, struct pkl_addr *addr)
{
	if (pkl_addr_parse(text, addr) == 0)
		return 0;
	return pkl_cmd_usage_error(cmd, "'%s' is not an IPv4 or IPv6 address", text);
}

static int
run(const struct pkl_command *cmd, int argc, char **argv)
{
	struct ping_args a = { .view = PKL_VIEW_DEFAULTS, .interval_ms = 1000, .wait_ms = 1000,
			       .size = PKL_FRAME_ECHO_SIZE };
	const struct pkl_opt_group groups[] = {
		{ "Requests", ping_options, ping_apply, ping_check, &a },
		{ "Views (default: every frame sent and heard, explained, then ping's lines)",
		  pkl_craft_view_options, pkl_view_apply, pkl_craft_view_check, &a.view },
		{ "Recording, targets and privileges", pkl_craft_options, pkl_craft_apply, NULL,
		  &a.craft },
	};
	char errbuf[PKL_ERRBUF_SIZE];
	int first, status;

	if ((status = pkl_opts_parse(cmd, groups, PKL_NGROUPS(groups), argc, argv, &first)) >= 0)
		return status;
	if (first >= argc)
		return pkl_cmd_usage_error(cmd, "which host? give its address (pktlens ping 192.168.1.20)");
	if (first + 1 < argc)
		return pkl_cmd_usage_error(cmd, "one host at a time: '%s' is one too many",
					   argv[first + 1]);

	struct pkl_route_request req = { .interface = a.iface,
					 .allow_broadcast = a.craft.broadcast };
	struct pkl_addr source;
	if ((status = resolve_target(cmd, argv[first], &req.dst)) != 0)
		return status;
	if (a.source) {
		if (pkl_addr_parse(a.source, &source) < 0)
			return pkl_cmd_usage_error(cmd, "-S takes an address, not '%s'", a.source);
		req.source = &source;
	}
	if (req.dst.family == 6 && a.df)
		return pkl_cmd_usage_error(cmd, "--df is IPv4's: IPv6 routers never fragment");
	struct pkl_route_decision d;
	if (pkl_route_decide(&req, &d, errbuf) < 0)
		return pkl_cmd_fail(errbuf);
	if (!d.source_own &&
	    pkl_privilege_require_root("a ping from an address that is not the interface's own",
				       errbuf) < 0)
		return pkl_cmd_fail(errbuf);
	unsigned header = (d.dst.family == 4 ? PKL_IPV4_MIN_HLEN : PKL_IPV6_HLEN) + ECHO_HLEN;
	if (d.dst.family == 6 && a.size + header > d.link.mtu && !d.link.loopback)
		return pkl_cmd_usage_error(cmd, "pktlens fragments IPv4 only: over IPv6, %s takes "
					   "at most -s %u", d.link.name, d.link.mtu - header);
	if (d.dst.family == 4 && a.df && a.size + header > d.link.mtu && !d.link.loopback)
		return pkl_cmd_usage_error(cmd, "-s %llu with --df is larger than %s's MTU of %u: "
					   "at most -s %u, or drop --df", (unsigned long long)a.size,
					   d.link.name, d.link.mtu, d.link.mtu - header);

	struct pkl_craft_session s;
	struct ping_run r = { .args = &a, .session = &s, .target = d.dst, .source = d.source,
			      .any_replier = d.target == PKL_ROUTE_TARGET_BROADCAST ||
					     d.target == PKL_ROUTE_TARGET_MULTICAST,
			      .ident = (uint16_t)getpid(), .size = (uint32_t)a.size };
	if (!(r.requests = calloc(SEQ_SPACE, sizeof *r.requests)))
		return pkl_cmd_fail("out of memory for the requests");
	char target[PKL_ADDR_TEXT];
	pkl_addr_format(&d.dst, target, sizeof target);
	/* This run's requests and replies (by identifier), every ICMP
	 * error (they quote the request), fragments, and the question for
	 * the next hop's MAC: other pings on the host stay out. */
	char filter[256];
	if (d.dst.family == 4)
		snprintf(filter, sizeof filter, "arp or (icmp and ((icmp[0] != %u and "
			 "icmp[0] != %u) or icmp[4:2] == %u)) "
			 "or (ip proto 1 and ip[6:2] & 0x1fff != 0)",
			 PKL_ICMP_ECHO_REPLY, PKL_ICMP_ECHO_REQUEST, r.ident);
	else
		snprintf(filter, sizeof filter, "(icmp6 and ((ip6[40] != %u and ip6[40] != %u) "
			 "or ip6[44:2] == %u)) or (ip6 and ip6[6] == 44)",
			 PKL_ICMPV6_ECHO_REPLY, PKL_ICMPV6_ECHO_REQUEST, r.ident);
	if ((status = pkl_craft_start(&s, &a.craft, &a.view, &d.link, filter)) == 0) {
		pkl_craft_catch_interrupt();
		pkl_craft_say_route(&s, &d);
		if (a.view.view != PKL_VIEW_JSON)
			pkl_out_printf(&s.out, "PING %s (%s) %u(%u) bytes of data.\n", argv[first],
				       target, r.size, r.size + header);
		pkl_craft_add_sink(&s, ping_match, &r);
		uint64_t start = pkl_probe_now_ns();
		status = pings(&r, &d);
		if (status == 0) {
			uint64_t ms = (pkl_probe_now_ns() - start) / 1000000;
			if (a.view.view == PKL_VIEW_JSON)
				json_result(&r, target, ms);
			else
				print_statistics(&r, target, ms);
			status = answered_enough(&r) ? 0 : EXIT_RUNTIME;
		}
	}
	status = pkl_craft_end(&s, status);
	free(r.requests);
	free(r.lines);
	return status;
}

const struct pkl_command pkl_cmd_ping = {
	.name = "ping",
	.synopsis = "[options] HOST",
	.summary = "ICMP echo built by pktlens, as ping, with every frame explained",
	.description =
		"Send ICMP echo requests (ICMPv6 for an IPv6 HOST) built by pktlens on the\n"
		"interface the kernel's route chooses, say why, ask for the next hop's MAC\n"
		"itself (ARP, or neighbour solicitation), and show every frame sent and\n"
		"heard; then ping's reply lines and statistics.  Round trips come from the\n"
		"kernel's capture timestamps of the request and the reply.  A request larger\n"
		"than the MTU is fragmented by pktlens; ICMP errors are named with the\n"
		"router that sent them.  Needs root, or sudo setcap cap_net_raw=ep.",
	.epilogue = "Exit status: 0 when any reply came (with -w and -c: all -c of them), 1 when\n"
		    "not, 2 for a usage error.  Ctrl-C ends it with the statistics.",
	.run = run,
};
