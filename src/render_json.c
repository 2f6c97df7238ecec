/* The --json view: one object per frame (NDJSON), keys named as
 * Wireshark's display-filter fields, values as tshark means them.
 *
 * Written directly into the output buffer rather than through a JSON
 * library (json-c, jansson): those build a tree per object, which
 * would mean allocations per frame on a path that must run at millions
 * of frames per second, and we only ever write flat objects whose keys
 * are our own constants.  String values go through json_string(), which
 * escapes everything JSON requires, so any input yields valid JSON.
 *
 * A protocol that occurs more than once outside the quote (stacked VLAN
 * tags, IP in IP) writes each of its keys once, with an array of values,
 * outermost first.  The datagram quoted by an ICMP error goes into a
 * nested object "icmp.quoted" with the same keys. */
#include <string.h>

#include "../dissectors/eth.h"
#include "../dissectors/icmp.h"
#include "../dissectors/ipv4.h"
#include "../dissectors/tcp.h"
#include "conntrack.h"
#include "decode.h"
#include "render.h"

struct json {
	struct pkl_out *o;
	bool first;       /* no key written yet in the current object */
};

/* The layers of one protocol in one scope (outer packet or quote). */
struct group {
	const struct pkl_layer *l[PKL_MAX_LAYERS];
	unsigned n;
};

static void
json_string(struct pkl_out *o, const char *s)
{
	static const char hexdig[] = "0123456789abcdef";

	/* Printable ASCII but the quote (0x22) and the backslash (0x5c):
	 * one load per character where the notes' long sentences are. */
	static const bool plain[256] = {
		[0x20 ... 0x21] = true, [0x23 ... 0x5b] = true, [0x5d ... 0x7e] = true,
	};

	pkl_out_char(o, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		/* Copy the run of characters that need no escape at once. */
		const unsigned char *run = p;
		while (plain[*p])
			p++;
		pkl_out_mem(o, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		if (*p == '"' || *p == '\\') {
			pkl_out_char(o, '\\');
			pkl_out_char(o, (char)*p);
		} else {
			/* Only our own ASCII sentences get here; anything else
			 * is escaped byte by byte so the output stays valid. */
			char esc[6] = { '\\', 'u', '0', '0', hexdig[*p >> 4], hexdig[*p & 15] };
			pkl_out_mem(o, esc, sizeof esc);
		}
		p++;
	}
	pkl_out_char(o, '"');
}

/* A key with its quotes, colon and leading comma, built from a string
 * literal at compile time: the comma is skipped for the first key. */
#define KEY_TEXT(name) ",\"" name "\":"
#define KEY(j, name) key_text((j), KEY_TEXT(name), sizeof KEY_TEXT(name) - 1)

static inline void
key_text(struct json *j, const char *text, size_t len)
{
	if (j->first) {
		text++;
		len--;
		j->first = false;
	}
	pkl_out_mem(j->o, text, len);
}

/* Microseconds as seconds, the unit of Wireshark's time fields. */
static void
seconds_us(struct pkl_out *o, uint64_t us)
{
	pkl_out_seconds(o, us / 1000000, (uint32_t)(us % 1000000));
}

static void
boolean(struct pkl_out *o, bool v)
{
	pkl_out_str(o, v ? "true" : "false");
}

/* What the connection tracker adds to the TCP layer: relative numbers,
 * the scaled window and the sequence analysis, under Wireshark's names. */
static void
json_tcp_analysis(struct json *j, const struct pkl_packet *pkt, const struct pkl_conn_snapshot *c)
{
	const struct pkl_tcp_verdict *v = &c->analysis;
	const struct pkl_tcp *t = NULL;
	struct pkl_out *o = j->o;

	for (unsigned i = 0; i < pkt->n_layers && !t; i++)
		if (pkt->layers[i].proto == PKL_PROTO_TCP)
			t = &pkt->layers[i].hdr.tcp;
	KEY(j, "tcp.seq");
	pkl_out_u64(o, c->rel_seq);
	KEY(j, "tcp.ack");
	pkl_out_u64(o, t->flags & PKL_TCP_ACK ? c->rel_ack : t->ack);
	KEY(j, "tcp.window_size");
	pkl_out_u64(o, v->window_size);
	KEY(j, "tcp.window_size_scalefactor");
	if (v->win_scale >= 0)
		pkl_out_u64(o, 1u << v->win_scale);
	else
		pkl_out_str(o, v->win_scale == PKL_WSCALE_NONE ? "-2" : "-1");
	for (unsigned b = 0; b < PKL_TA_COUNT; b++) {
		if (!(v->flags & (1u << b)))
			continue;
		pkl_out_str(o, ",\"tcp.analysis.");
		pkl_out_str(o, pkl_tcp_analysis_name(b));
		pkl_out_str(o, "\":true");
	}
	if (v->flags & PKL_TA_DUPLICATE_ACK) {
		KEY(j, "tcp.analysis.duplicate_ack_num");
		pkl_out_u64(o, v->dup_ack_num);
		KEY(j, "tcp.analysis.duplicate_ack_frame");
		pkl_out_u64(o, v->dup_ack_frame);
	}
	if (v->rto_frame) {
		KEY(j, "tcp.analysis.rto");
		seconds_us(o, v->rto_us);
		KEY(j, "tcp.analysis.rto_frame");
		pkl_out_u64(o, v->rto_frame);
	}
	if (v->acked_frame) {
		KEY(j, "tcp.analysis.acks_frame");
		pkl_out_u64(o, v->acked_frame);
		KEY(j, "tcp.analysis.ack_rtt");
		seconds_us(o, v->ack_rtt_us);
	}
	if (v->bif_valid) {
		KEY(j, "tcp.analysis.bytes_in_flight");
		pkl_out_u64(o, v->bytes_in_flight);
	}
}

static void
mac(struct pkl_out *o, const uint8_t m[6])
{
	pkl_out_char(o, '"');
	pkl_out_mac(o, m);
	pkl_out_char(o, '"');
}

static void
ipv4(struct pkl_out *o, const uint8_t a[4])
{
	pkl_out_char(o, '"');
	pkl_out_ipv4(o, a);
	pkl_out_char(o, '"');
}

static void
ipv6(struct pkl_out *o, const uint8_t a[16])
{
	pkl_out_char(o, '"');
	pkl_out_ipv6(o, a);
	pkl_out_char(o, '"');
}

static void
cksum_status(struct pkl_out *o, enum pkl_checksum s)
{
	/* Offloaded checksums are wrong in the capture: tshark says bad too. */
	pkl_out_str(o, s == PKL_CK_GOOD ? "\"good\"" : s == PKL_CK_UNVERIFIED ? "\"unverified\"" : "\"bad\"");
}

/* One key for every layer of the group: a value, or an array of them.
 * WRITE is a statement writing the value of layer L to pkl_out o. */
#define FIELD(j, g, name, WRITE)                                        \
	do {                                                            \
		struct pkl_out *o = (j)->o;                             \
		KEY(j, name);                                           \
		if ((g)->n > 1)                                         \
			pkl_out_char(o, '[');                           \
		for (unsigned i_ = 0; i_ < (g)->n; i_++) {              \
			const struct pkl_layer *L = (g)->l[i_];         \
			if (i_)                                         \
				pkl_out_char(o, ',');                   \
			WRITE;                                          \
		}                                                       \
		if ((g)->n > 1)                                         \
			pkl_out_char(o, ']');                           \
	} while (0)

/* Which layers of the group have a field: all, some or none. */
static bool
any_layer(const struct group *g, bool (*has)(const struct pkl_layer *))
{
	for (unsigned i = 0; i < g->n; i++)
		if (has(g->l[i]))
			return true;
	return false;
}

/* A field only some layers have: key when any has it, null for the rest. */
#define FIELD_IF(j, g, name, HAS, WRITE)                                \
	do {                                                            \
		if (any_layer(g, HAS))                                  \
			FIELD(j, g, name, if (HAS(L)) { WRITE; } else pkl_out_str(o, "null")); \
	} while (0)

static bool has_eth_addrs(const struct pkl_layer *l) { return l->hdr_len >= 12; }
/* The fixed header was read; a capture cut short inside it leaves its
 * fields unread, and they are left out rather than shown as zeros. */
static bool has_header(const struct pkl_layer *l) { return l->flags & PKL_LAYER_HEADER; }
static bool has_arp_addrs(const struct pkl_layer *l) { return l->hdr.arp.addrs_decoded; }
static bool has_ports(const struct pkl_layer *l) { return l->caplen >= 4; }
static bool has_seq(const struct pkl_layer *l) { return l->caplen >= 8; }
static bool has_echo(const struct pkl_layer *l) { return l->hdr.icmp.has_echo; }
static bool has_unquoted_cksum(const struct pkl_layer *l)
{
	return !(l->flags & PKL_LAYER_QUOTED) && has_header(l);
}
static bool has_mtu(const struct pkl_layer *l)
{
	return pkl_icmp_is_frag_needed(l->hdr.icmp.type, l->hdr.icmp.code);
}
static bool has_gateway(const struct pkl_layer *l) { return l->hdr.icmp.has_gateway; }
static bool has_mss(const struct pkl_layer *l) { return l->hdr.tcp.has_mss; }
static bool has_wscale(const struct pkl_layer *l) { return l->hdr.tcp.has_wscale; }
static bool has_sack_perm(const struct pkl_layer *l) { return l->hdr.tcp.sack_perm; }
static bool has_ts(const struct pkl_layer *l) { return l->hdr.tcp.has_ts; }
static bool has_tcp_len(const struct pkl_layer *l)
{
	return has_header(l) && !(l->flags & (PKL_LAYER_QUOTED | PKL_LAYER_MALFORMED | PKL_LAYER_TRUNCATED));
}
static bool has_v6_target(const struct pkl_layer *l) { return l->hdr.icmp.has_target; }

static void
json_eth(struct json *j, const struct group *g)
{
	FIELD_IF(j, g, "eth.dst", has_eth_addrs, mac(o, L->hdr.eth.dst));
	FIELD_IF(j, g, "eth.src", has_eth_addrs, mac(o, L->hdr.eth.src));
	FIELD_IF(j, g, "eth.dst.ig", has_eth_addrs, boolean(o, L->hdr.eth.dst[0] & 1));
	FIELD_IF(j, g, "eth.type", has_header, pkl_out_u64(o, L->hdr.eth.type));
}

static void
json_vlan(struct json *j, const struct group *g)
{
	FIELD_IF(j, g, "vlan.priority", has_header, pkl_out_u64(o, L->hdr.vlan.pcp));
	FIELD_IF(j, g, "vlan.dei", has_header, boolean(o, L->hdr.vlan.dei));
	FIELD_IF(j, g, "vlan.id", has_header, pkl_out_u64(o, L->hdr.vlan.vid));
	FIELD_IF(j, g, "vlan.etype", has_header, pkl_out_u64(o, L->hdr.vlan.type));
}

static void
json_sll(struct json *j, const struct group *g)
{
	FIELD_IF(j, g, "sll.pkttype", has_header, pkl_out_u64(o, L->hdr.sll.pkttype));
	FIELD_IF(j, g, "sll.hatype", has_header, pkl_out_u64(o, L->hdr.sll.hatype));
	FIELD_IF(j, g, "sll.halen", has_header, pkl_out_u64(o, L->hdr.sll.addr_len));
	FIELD_IF(j, g, "sll.etype", has_header, pkl_out_u64(o, L->hdr.sll.protocol));
	if (g->l[0]->proto == PKL_PROTO_SLL2)
		FIELD_IF(j, g, "sll.ifindex", has_header, pkl_out_u64(o, L->hdr.sll.ifindex));
}

static void
json_arp(struct json *j, const struct group *g)
{
	FIELD_IF(j, g, "arp.hw.type", has_header, pkl_out_u64(o, L->hdr.arp.htype));
	FIELD_IF(j, g, "arp.proto.type", has_header, pkl_out_u64(o, L->hdr.arp.ptype));
	FIELD_IF(j, g, "arp.hw.size", has_header, pkl_out_u64(o, L->hdr.arp.hlen));
	FIELD_IF(j, g, "arp.proto.size", has_header, pkl_out_u64(o, L->hdr.arp.plen));
	FIELD_IF(j, g, "arp.opcode", has_header, pkl_out_u64(o, L->hdr.arp.op));
	FIELD_IF(j, g, "arp.src.hw_mac", has_arp_addrs, mac(o, L->hdr.arp.sha));
	FIELD_IF(j, g, "arp.src.proto_ipv4", has_arp_addrs, ipv4(o, L->hdr.arp.spa));
	FIELD_IF(j, g, "arp.dst.hw_mac", has_arp_addrs, mac(o, L->hdr.arp.tha));
	FIELD_IF(j, g, "arp.dst.proto_ipv4", has_arp_addrs, ipv4(o, L->hdr.arp.tpa));
	FIELD_IF(j, g, "arp.isgratuitous", has_arp_addrs,
		 boolean(o, L->hdr.arp.kind == PKL_ARP_GRATUITOUS));
	FIELD_IF(j, g, "arp.isprobe", has_arp_addrs, boolean(o, L->hdr.arp.kind == PKL_ARP_PROBE));
}

static void
json_ipv4(struct json *j, const struct group *g)
{
	FIELD_IF(j, g, "ip.version", has_header, pkl_out_u64(o, L->hdr.ipv4.version));
	FIELD_IF(j, g, "ip.hdr_len", has_header, pkl_out_u64(o, L->hdr.ipv4.ihl * 4u));
	FIELD_IF(j, g, "ip.dsfield", has_header, pkl_out_u64(o, L->hdr.ipv4.dsfield));
	FIELD_IF(j, g, "ip.dsfield.dscp", has_header, pkl_out_u64(o, L->hdr.ipv4.dsfield >> 2));
	FIELD_IF(j, g, "ip.dsfield.ecn", has_header, pkl_out_u64(o, L->hdr.ipv4.dsfield & 3));
	FIELD_IF(j, g, "ip.len", has_header, pkl_out_u64(o, L->hdr.ipv4.total_len));
	FIELD_IF(j, g, "ip.id", has_header, pkl_out_u64(o, L->hdr.ipv4.id));
	FIELD_IF(j, g, "ip.flags", has_header,
		 pkl_out_u64(o, (unsigned)L->hdr.ipv4.rf << 2 | (unsigned)L->hdr.ipv4.df << 1 |
				       L->hdr.ipv4.mf));
	FIELD_IF(j, g, "ip.flags.rb", has_header, boolean(o, L->hdr.ipv4.rf));
	FIELD_IF(j, g, "ip.flags.df", has_header, boolean(o, L->hdr.ipv4.df));
	FIELD_IF(j, g, "ip.flags.mf", has_header, boolean(o, L->hdr.ipv4.mf));
	FIELD_IF(j, g, "ip.frag_offset", has_header, pkl_out_u64(o, L->hdr.ipv4.frag_offset));
	FIELD_IF(j, g, "ip.ttl", has_header, pkl_out_u64(o, L->hdr.ipv4.ttl));
	FIELD_IF(j, g, "ip.proto", has_header, pkl_out_u64(o, L->hdr.ipv4.proto));
	FIELD_IF(j, g, "ip.checksum", has_header, pkl_out_u64(o, L->hdr.ipv4.cksum));
	FIELD_IF(j, g, "ip.checksum.status", has_header, cksum_status(o, L->hdr.ipv4.cksum_status));
	FIELD_IF(j, g, "ip.src", has_header, ipv4(o, L->hdr.ipv4.src));
	FIELD_IF(j, g, "ip.dst", has_header, ipv4(o, L->hdr.ipv4.dst));
}

static void
json_ipv6(struct json *j, const struct group *g)
{
	FIELD_IF(j, g, "ipv6.version", has_header, pkl_out_u64(o, L->hdr.ipv6.version));
	FIELD_IF(j, g, "ipv6.tclass", has_header, pkl_out_u64(o, L->hdr.ipv6.tclass));
	FIELD_IF(j, g, "ipv6.flow", has_header, pkl_out_u64(o, L->hdr.ipv6.flow));
	FIELD_IF(j, g, "ipv6.plen", has_header, pkl_out_u64(o, L->hdr.ipv6.payload_len));
	FIELD_IF(j, g, "ipv6.nxt", has_header, pkl_out_u64(o, L->hdr.ipv6.nxt));
	FIELD_IF(j, g, "ipv6.hlim", has_header, pkl_out_u64(o, L->hdr.ipv6.hlim));
	FIELD_IF(j, g, "ipv6.src", has_header, ipv6(o, L->hdr.ipv6.src));
	FIELD_IF(j, g, "ipv6.dst", has_header, ipv6(o, L->hdr.ipv6.dst));
}

static void
json_icmp(struct json *j, const struct group *g)
{
	FIELD_IF(j, g, "icmp.type", has_header, pkl_out_u64(o, L->hdr.icmp.type));
	FIELD_IF(j, g, "icmp.code", has_header, pkl_out_u64(o, L->hdr.icmp.code));
	FIELD_IF(j, g, "icmp.checksum", has_header, pkl_out_u64(o, L->hdr.icmp.cksum));
	FIELD_IF(j, g, "icmp.checksum.status", has_unquoted_cksum,
		 cksum_status(o, L->hdr.icmp.cksum_status));
	FIELD_IF(j, g, "icmp.ident", has_echo, pkl_out_u64(o, L->hdr.icmp.ident));
	FIELD_IF(j, g, "icmp.seq", has_echo, pkl_out_u64(o, L->hdr.icmp.seq));
	FIELD_IF(j, g, "icmp.mtu", has_mtu, pkl_out_u64(o, L->hdr.icmp.next_hop_mtu));
	FIELD_IF(j, g, "icmp.redir_gw", has_gateway, ipv4(o, L->hdr.icmp.gateway));
}

static void
json_icmpv6(struct json *j, const struct group *g)
{
	FIELD_IF(j, g, "icmpv6.type", has_header, pkl_out_u64(o, L->hdr.icmp.type));
	FIELD_IF(j, g, "icmpv6.code", has_header, pkl_out_u64(o, L->hdr.icmp.code));
	FIELD_IF(j, g, "icmpv6.checksum", has_header, pkl_out_u64(o, L->hdr.icmp.cksum));
	FIELD_IF(j, g, "icmpv6.checksum.status", has_unquoted_cksum,
		 cksum_status(o, L->hdr.icmp.cksum_status));
	FIELD_IF(j, g, "icmpv6.echo.identifier", has_echo, pkl_out_u64(o, L->hdr.icmp.ident));
	FIELD_IF(j, g, "icmpv6.echo.sequence_number", has_echo, pkl_out_u64(o, L->hdr.icmp.seq));
	FIELD_IF(j, g, "icmpv6.nd.target_address", has_v6_target, ipv6(o, L->hdr.icmp.target));
}

static void
json_udp(struct json *j, const struct group *g)
{
	FIELD_IF(j, g, "udp.srcport", has_ports, pkl_out_u64(o, L->hdr.udp.sport));
	FIELD_IF(j, g, "udp.dstport", has_ports, pkl_out_u64(o, L->hdr.udp.dport));
	FIELD_IF(j, g, "udp.length", has_header, pkl_out_u64(o, L->hdr.udp.ulen));
	FIELD_IF(j, g, "udp.checksum", has_header, pkl_out_u64(o, L->hdr.udp.cksum));
	FIELD_IF(j, g, "udp.checksum.status", has_header, cksum_status(o, L->hdr.udp.cksum_status));
}

static void
json_tcp(struct json *j, const struct group *g)
{

	FIELD_IF(j, g, "tcp.srcport", has_ports, pkl_out_u64(o, L->hdr.tcp.sport));
	FIELD_IF(j, g, "tcp.dstport", has_ports, pkl_out_u64(o, L->hdr.tcp.dport));
	FIELD_IF(j, g, "tcp.seq_raw", has_seq, pkl_out_u64(o, L->hdr.tcp.seq));
	FIELD_IF(j, g, "tcp.ack_raw", has_header, pkl_out_u64(o, L->hdr.tcp.ack));
	FIELD_IF(j, g, "tcp.hdr_len", has_header, pkl_out_u64(o, L->hdr.tcp.doff * 4u));
	FIELD_IF(j, g, "tcp.flags", has_header, pkl_out_u64(o, L->hdr.tcp.flags));
	FIELD_IF(j, g, "tcp.flags.ns", has_header, boolean(o, L->hdr.tcp.flags & PKL_TCP_AE));
	FIELD_IF(j, g, "tcp.flags.cwr", has_header, boolean(o, L->hdr.tcp.flags & PKL_TCP_CWR));
	FIELD_IF(j, g, "tcp.flags.ece", has_header, boolean(o, L->hdr.tcp.flags & PKL_TCP_ECE));
	FIELD_IF(j, g, "tcp.flags.urg", has_header, boolean(o, L->hdr.tcp.flags & PKL_TCP_URG));
	FIELD_IF(j, g, "tcp.flags.ack", has_header, boolean(o, L->hdr.tcp.flags & PKL_TCP_ACK));
	FIELD_IF(j, g, "tcp.flags.push", has_header, boolean(o, L->hdr.tcp.flags & PKL_TCP_PSH));
	FIELD_IF(j, g, "tcp.flags.reset", has_header, boolean(o, L->hdr.tcp.flags & PKL_TCP_RST));
	FIELD_IF(j, g, "tcp.flags.syn", has_header, boolean(o, L->hdr.tcp.flags & PKL_TCP_SYN));
	FIELD_IF(j, g, "tcp.flags.fin", has_header, boolean(o, L->hdr.tcp.flags & PKL_TCP_FIN));
	FIELD_IF(j, g, "tcp.window_size_value", has_header, pkl_out_u64(o, L->hdr.tcp.window));
	FIELD_IF(j, g, "tcp.checksum", has_header, pkl_out_u64(o, L->hdr.tcp.cksum));
	FIELD_IF(j, g, "tcp.checksum.status", has_header, cksum_status(o, L->hdr.tcp.cksum_status));
	FIELD_IF(j, g, "tcp.urgent_pointer", has_header, pkl_out_u64(o, L->hdr.tcp.urg_ptr));
	FIELD_IF(j, g, "tcp.len", has_tcp_len, pkl_out_u64(o, L->hdr.tcp.payload_len));
	FIELD_IF(j, g, "tcp.options.mss_val", has_mss, pkl_out_u64(o, L->hdr.tcp.mss));
	FIELD_IF(j, g, "tcp.options.wscale.shift", has_wscale, pkl_out_u64(o, L->hdr.tcp.wscale));
	FIELD_IF(j, g, "tcp.options.wscale.multiplier", has_wscale,
		 pkl_out_u64(o, 1u << (L->hdr.tcp.wscale > PKL_TCP_MAX_WSCALE ? PKL_TCP_MAX_WSCALE
										 : L->hdr.tcp.wscale)));
	FIELD_IF(j, g, "tcp.options.sack_perm", has_sack_perm, boolean(o, true));
	FIELD_IF(j, g, "tcp.options.timestamp.tsval", has_ts, pkl_out_u64(o, L->hdr.tcp.ts_val));
	FIELD_IF(j, g, "tcp.options.timestamp.tsecr", has_ts, pkl_out_u64(o, L->hdr.tcp.ts_ecr));
	if (g->n == 1 && g->l[0]->hdr.tcp.n_sack) {
		const struct pkl_tcp *t = &g->l[0]->hdr.tcp;
		KEY(j, "tcp.options.sack_le");
		for (unsigned i = 0; i < t->n_sack; i++) {
			pkl_out_char(j->o, i ? ',' : '[');
			pkl_out_u64(j->o, t->sack_left[i]);
		}
		pkl_out_char(j->o, ']');
		KEY(j, "tcp.options.sack_re");
		for (unsigned i = 0; i < t->n_sack; i++) {
			pkl_out_char(j->o, i ? ',' : '[');
			pkl_out_u64(j->o, t->sack_right[i]);
		}
		pkl_out_char(j->o, ']');
	}
}

static void
json_group(struct json *j, const struct group *g)
{
	switch (g->l[0]->proto) {
	case PKL_PROTO_ETH: json_eth(j, g); break;
	case PKL_PROTO_VLAN: json_vlan(j, g); break;
	case PKL_PROTO_SLL:
	case PKL_PROTO_SLL2: json_sll(j, g); break;
	case PKL_PROTO_NULL:
		FIELD_IF(j, g, "null.family", has_header, pkl_out_u64(o, L->hdr.null.family));
		break;
	case PKL_PROTO_ARP: json_arp(j, g); break;
	case PKL_PROTO_IPV4: json_ipv4(j, g); break;
	case PKL_PROTO_IPV6: json_ipv6(j, g); break;
	case PKL_PROTO_ICMP: json_icmp(j, g); break;
	case PKL_PROTO_ICMPV6: json_icmpv6(j, g); break;
	case PKL_PROTO_UDP: json_udp(j, g); break;
	case PKL_PROTO_TCP: json_tcp(j, g); break;
	case PKL_PROTO_DATA:
		FIELD(j, g, "data.len", pkl_out_u64(o, L->len));
		break;
	default:
		break;
	}
}

/* The fields of layers [from, to), grouped per protocol in order of
 * first appearance. */
static void
json_layers(struct json *j, const struct pkl_packet *pkt, unsigned from, unsigned to)
{
	bool done[PKL_PROTO_COUNT] = { false };

	for (unsigned i = from; i < to; i++) {
		enum pkl_proto p = pkt->layers[i].proto;
		if (done[p] || p == PKL_PROTO_UNKNOWN)
			continue;
		struct group g = { .n = 0 };
		for (unsigned k = i; k < to; k++)
			if (pkt->layers[k].proto == p)
				g.l[g.n++] = &pkt->layers[k];
		done[p] = true;
		json_group(j, &g);
	}
}

static void
json_frame(struct json *j, struct pkl_render *r, const struct pkl_frame *f)
{
	struct pkl_out *o = j->o;

	KEY(j, "frame.number");
	pkl_out_u64(o, f->number);
	KEY(j, "frame.time_epoch");
	/* libpcap passes a pcap record's nanosecond field on unchecked: carry
	 * its whole seconds (saturating) so the fraction has nine digits. */
	uint32_t nsec = f->ts_nsec % 1000000000u, carry = f->ts_nsec / 1000000000u;
	int64_t sec = f->ts_sec > INT64_MAX - carry ? INT64_MAX : f->ts_sec + carry;
	if (sec < 0 && nsec) {
		pkl_out_char(o, '-');
		pkl_out_u64(o, (uint64_t)-(sec + 1));
		pkl_out_char(o, '.');
		pkl_out_u64_width(o, 1000000000u - nsec, 9);
	} else {
		pkl_out_i64(o, sec);
		pkl_out_char(o, '.');
		pkl_out_u64_width(o, nsec, 9);
	}
	KEY(j, "frame.time_relative");
	pkl_render_reltime(r, f);
	KEY(j, "frame.len");
	pkl_out_u64(o, f->len);
	KEY(j, "frame.cap_len");
	pkl_out_u64(o, f->caplen);
}

void
pkl_render_json(struct pkl_render *r, const struct pkl_packet *pkt,
		const struct pkl_notes *notes)
{
	struct json j = { .o = r->out, .first = true };
	struct pkl_out *o = r->out;
	char text[512];

	pkl_out_char(o, '{');
	json_frame(&j, r, pkt->frame);

	KEY(&j, "layers");
	pkl_out_char(o, '[');
	for (unsigned i = 0; i < pkt->n_layers; i++) {
		if (i)
			pkl_out_char(o, ',');
		pkl_out_char(o, '"');
		pkl_out_str(o, pkl_proto_name(pkt->layers[i].proto));
		pkl_out_char(o, '"');
	}
	pkl_out_char(o, ']');

	unsigned quote_start = pkt->n_layers;
	for (unsigned i = 0; i < pkt->n_layers; i++)
		if (pkt->layers[i].flags & PKL_LAYER_QUOTED) {
			quote_start = i;
			break;
		}
	json_layers(&j, pkt, 0, quote_start);
	if (quote_start < pkt->n_layers) {
		KEY(&j, "icmp.quoted");
		struct json q = { .o = o, .first = true };
		pkl_out_char(o, '{');
		json_layers(&q, pkt, quote_start, pkt->n_layers);
		pkl_out_char(o, '}');
	}

	if (notes->conn.valid) {
		const struct pkl_conn_snapshot *c = &notes->conn;
		json_tcp_analysis(&j, pkt, c);
		KEY(&j, "conn.id");
		pkl_out_u64(o, c->id);
		KEY(&j, "conn.sender");
		pkl_out_str(o, c->sender == 0 ? "\"client\"" : "\"server\"");
		KEY(&j, "conn.client_state");
		json_string(o, pkl_tcp_state_name((enum pkl_tcp_state)c->after[0]));
		KEY(&j, "conn.server_state");
		json_string(o, pkl_tcp_state_name((enum pkl_tcp_state)c->after[1]));
		if (c->step.phase != PKL_PHASE_NONE) {
			char step[PKL_STEP_TEXT];
			pkl_conn_step_format(c->step, step);
			KEY(&j, "conn.step");
			json_string(o, step);
		}
	}
	if (pkt->truncated) {
		KEY(&j, "truncated");
		boolean(o, true);
	}
	bool malformed_done = false;
	for (unsigned i = 0; i < pkt->n_events && !malformed_done; i++) {
		const struct pkl_event *ev = &pkt->events[i];
		if (pkl_event_kind(ev->code) != PKL_EVK_MALFORMED)
			continue;
		pkl_event_format(ev->code, ev->arg, text, sizeof text);
		KEY(&j, "malformed");
		json_string(o, text);
		malformed_done = true;
	}

	KEY(&j, "notes");
	pkl_out_char(o, '[');
	bool first = true;
	for (unsigned i = 0; i < pkt->n_events; i++) {
		const struct pkl_event *ev = &pkt->events[i];
		static const char *const kinds[] = {
			[PKL_EVK_TRUNCATED] = "truncated", [PKL_EVK_MALFORMED] = "malformed",
			[PKL_EVK_WARNING] = "warning",
		};
		pkl_event_format(ev->code, ev->arg, text, sizeof text);
		pkl_out_str(o, first ? "{\"layer\":" : ",{\"layer\":");
		first = false;
		json_string(o, pkl_proto_name(pkt->layers[ev->layer].proto));
		pkl_out_str(o, ",\"kind\":");
		json_string(o, kinds[pkl_event_kind(ev->code)]);
		pkl_out_str(o, ",\"event\":");
		json_string(o, pkl_event_name(ev->code));
		pkl_out_str(o, ",\"text\":");
		json_string(o, text);
		pkl_out_char(o, '}');
	}
	for (unsigned i = 0; i < notes->n; i++) {
		const struct pkl_note *n = &notes->note[i];
		pkl_note_format(n, text, sizeof text);
		pkl_out_str(o, first ? "{\"layer\":" : ",{\"layer\":");
		first = false;
		json_string(o, pkl_proto_name(pkt->layers[n->layer].proto));
		pkl_out_str(o, ",\"kind\":\"note\",\"note\":");
		json_string(o, pkl_note_name(n->code));
		pkl_out_str(o, ",\"text\":");
		json_string(o, text);
		pkl_out_char(o, '}');
	}
	pkl_out_str(o, "]}\n");
}
