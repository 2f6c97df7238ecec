/* The --json view: one object per frame (NDJSON), keys named as
 * Wireshark's display-filter fields, values as tshark means them,
 * written with the JSON writer (json.h).
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
#include "tcp_state.h"
#include "decode.h"
#include "json.h"
#include "render.h"

/* The layers of one protocol in one scope (outer packet or quote). */
struct group {
	const struct pkl_layer *l[PKL_MAX_LAYERS];
	unsigned n;
};

/* Microseconds as seconds, the unit of Wireshark's time fields. */
static void
seconds_us(struct pkl_json *j, uint64_t us)
{
	pkl_out_seconds(j->out, us / 1000000, (uint32_t)(us % 1000000));
}

/* The keys of the sequence analysis's findings, put together when
 * compiling from their names. */
static const struct {
	const char *text;
	size_t len;
} analysis_keys[PKL_TA_COUNT] = {
#define PKL_TA(code, name, label) [PKL_TA_BIT_##code] = { \
	PKL_JSON_KEY_TEXT("tcp.analysis." name), sizeof PKL_JSON_KEY_TEXT("tcp.analysis." name) - 1 },
#include "tcp_analysis.def"
#undef PKL_TA
};

/* What the connection tracker adds to the TCP layer: relative numbers,
 * the scaled window and the sequence analysis, under Wireshark's names. */
static void
json_tcp_analysis(struct pkl_json *j, const struct pkl_packet *pkt,
		  const struct pkl_conn_snapshot *c)
{
	const struct pkl_tcp_verdict *v = &c->analysis;
	const struct pkl_tcp *t = NULL;

	for (unsigned i = 0; i < pkt->n_layers && !t; i++)
		if (pkt->layers[i].proto == PKL_PROTO_TCP)
			t = &pkt->layers[i].hdr.tcp;
	PKL_JSON_KEY(j, "tcp.seq");
	pkl_json_u64(j, c->rel_seq);
	PKL_JSON_KEY(j, "tcp.ack");
	pkl_json_u64(j, t->flags & PKL_TCP_ACK ? c->rel_ack : t->ack);
	PKL_JSON_KEY(j, "tcp.window_size");
	pkl_json_u64(j, v->window_size);
	PKL_JSON_KEY(j, "tcp.window_size_scalefactor");
	if (v->win_scale >= 0)
		pkl_json_u64(j, 1u << v->win_scale);
	else
		pkl_json_i64(j, v->win_scale == PKL_WSCALE_NONE ? -2 : -1);
	for (unsigned b = 0; b < PKL_TA_COUNT; b++) {
		if (!(v->flags & (1u << b)))
			continue;
		pkl_json_key_text(j, analysis_keys[b].text, analysis_keys[b].len);
		pkl_json_bool(j, true);
	}
	if (v->own != PKL_TV_NONE) {   /* pktlens's own, beside Wireshark's */
		PKL_JSON_KEY(j, "pktlens.tcp.verdict");
		pkl_json_string(j, pkl_tcp_verdict_name((enum pkl_tcp_own)v->own));
	}
	if (v->flags & PKL_TA_DUPLICATE_ACK) {
		PKL_JSON_KEY(j, "tcp.analysis.duplicate_ack_num");
		pkl_json_u64(j, v->dup_ack_num);
		PKL_JSON_KEY(j, "tcp.analysis.duplicate_ack_frame");
		pkl_json_u64(j, v->dup_ack_frame);
	}
	if (v->rto_frame) {
		PKL_JSON_KEY(j, "tcp.analysis.rto");
		seconds_us(j, v->rto_us);
		PKL_JSON_KEY(j, "tcp.analysis.rto_frame");
		pkl_json_u64(j, v->rto_frame);
	}
	if (v->acked_frame) {
		PKL_JSON_KEY(j, "tcp.analysis.acks_frame");
		pkl_json_u64(j, v->acked_frame);
		PKL_JSON_KEY(j, "tcp.analysis.ack_rtt");
		seconds_us(j, v->ack_rtt_us);
		if (v->ack_timing != PKL_ACK_ROUND_TRIP) {   /* captured at the acknowledging host */
			PKL_JSON_KEY(j, "pktlens.tcp.ack_delay");
			pkl_json_string(j, v->ack_timing == PKL_ACK_TURNAROUND ? "turnaround"
									     : "delayed_ack");
		}
	}
	if (v->bif_valid) {
		PKL_JSON_KEY(j, "tcp.analysis.bytes_in_flight");
		pkl_json_u64(j, v->bytes_in_flight);
	}
}

static void
cksum_status(struct pkl_json *j, enum pkl_checksum s)
{
	/* Offloaded checksums are wrong in the capture: tshark says bad too. */
	if (s == PKL_CK_GOOD)
		pkl_json_name(j, "good");
	else if (s == PKL_CK_UNVERIFIED)
		pkl_json_name(j, "unverified");
	else
		pkl_json_name(j, "bad");
}

/* One key for every layer of the group: a value, or an array of them.
 * WRITE is a statement writing the value of layer L to the writer j. */
#define FIELD(j, g, name, WRITE)                                        \
	do {                                                            \
		bool many_ = (g)->n > 1;                                \
		PKL_JSON_KEY(j, name);                                  \
		if (many_)                                              \
			pkl_json_array_open(j);                         \
		for (unsigned i_ = 0; i_ < (g)->n; i_++) {              \
			const struct pkl_layer *L = (g)->l[i_];         \
			if (many_)                                      \
				pkl_json_elem(j);                       \
			WRITE;                                          \
		}                                                       \
		if (many_)                                              \
			pkl_json_array_close(j);                        \
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
			FIELD(j, g, name, if (HAS(L)) { WRITE; } else pkl_json_null(j)); \
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
static bool has_tcp_len(const struct pkl_layer *l) { return pkl_tcp_length_known(l); }
static bool has_v6_target(const struct pkl_layer *l) { return l->hdr.icmp.has_target; }

static void
json_eth(struct pkl_json *j, const struct group *g)
{
	FIELD_IF(j, g, "eth.dst", has_eth_addrs, pkl_json_mac(j, L->hdr.eth.dst));
	FIELD_IF(j, g, "eth.src", has_eth_addrs, pkl_json_mac(j, L->hdr.eth.src));
	FIELD_IF(j, g, "eth.dst.ig", has_eth_addrs, pkl_json_bool(j, L->hdr.eth.dst[0] & 1));
	FIELD_IF(j, g, "eth.type", has_header, pkl_json_u64(j, L->hdr.eth.type));
}

static void
json_vlan(struct pkl_json *j, const struct group *g)
{
	FIELD_IF(j, g, "vlan.priority", has_header, pkl_json_u64(j, L->hdr.vlan.pcp));
	FIELD_IF(j, g, "vlan.dei", has_header, pkl_json_bool(j, L->hdr.vlan.dei));
	FIELD_IF(j, g, "vlan.id", has_header, pkl_json_u64(j, L->hdr.vlan.vid));
	FIELD_IF(j, g, "vlan.etype", has_header, pkl_json_u64(j, L->hdr.vlan.type));
}

static void
json_sll(struct pkl_json *j, const struct group *g)
{
	FIELD_IF(j, g, "sll.pkttype", has_header, pkl_json_u64(j, L->hdr.sll.pkttype));
	FIELD_IF(j, g, "sll.hatype", has_header, pkl_json_u64(j, L->hdr.sll.hatype));
	FIELD_IF(j, g, "sll.halen", has_header, pkl_json_u64(j, L->hdr.sll.addr_len));
	FIELD_IF(j, g, "sll.etype", has_header, pkl_json_u64(j, L->hdr.sll.protocol));
	if (g->l[0]->proto == PKL_PROTO_SLL2)
		FIELD_IF(j, g, "sll.ifindex", has_header, pkl_json_u64(j, L->hdr.sll.ifindex));
}

static void
json_arp(struct pkl_json *j, const struct group *g)
{
	FIELD_IF(j, g, "arp.hw.type", has_header, pkl_json_u64(j, L->hdr.arp.htype));
	FIELD_IF(j, g, "arp.proto.type", has_header, pkl_json_u64(j, L->hdr.arp.ptype));
	FIELD_IF(j, g, "arp.hw.size", has_header, pkl_json_u64(j, L->hdr.arp.hlen));
	FIELD_IF(j, g, "arp.proto.size", has_header, pkl_json_u64(j, L->hdr.arp.plen));
	FIELD_IF(j, g, "arp.opcode", has_header, pkl_json_u64(j, L->hdr.arp.op));
	FIELD_IF(j, g, "arp.src.hw_mac", has_arp_addrs, pkl_json_mac(j, L->hdr.arp.sha));
	FIELD_IF(j, g, "arp.src.proto_ipv4", has_arp_addrs, pkl_json_ipv4(j, L->hdr.arp.spa));
	FIELD_IF(j, g, "arp.dst.hw_mac", has_arp_addrs, pkl_json_mac(j, L->hdr.arp.tha));
	FIELD_IF(j, g, "arp.dst.proto_ipv4", has_arp_addrs, pkl_json_ipv4(j, L->hdr.arp.tpa));
	FIELD_IF(j, g, "arp.isgratuitous", has_arp_addrs,
		 pkl_json_bool(j, L->hdr.arp.kind == PKL_ARP_GRATUITOUS));
	FIELD_IF(j, g, "arp.isprobe", has_arp_addrs, pkl_json_bool(j, L->hdr.arp.kind == PKL_ARP_PROBE));
}

static void
json_ipv4(struct pkl_json *j, const struct group *g)
{
	FIELD_IF(j, g, "ip.version", has_header, pkl_json_u64(j, L->hdr.ipv4.version));
	FIELD_IF(j, g, "ip.hdr_len", has_header, pkl_json_u64(j, L->hdr.ipv4.ihl * 4u));
	FIELD_IF(j, g, "ip.dsfield", has_header, pkl_json_u64(j, L->hdr.ipv4.dsfield));
	FIELD_IF(j, g, "ip.dsfield.dscp", has_header, pkl_json_u64(j, L->hdr.ipv4.dsfield >> 2));
	FIELD_IF(j, g, "ip.dsfield.ecn", has_header, pkl_json_u64(j, L->hdr.ipv4.dsfield & 3));
	FIELD_IF(j, g, "ip.len", has_header, pkl_json_u64(j, L->hdr.ipv4.total_len));
	FIELD_IF(j, g, "ip.id", has_header, pkl_json_u64(j, L->hdr.ipv4.id));
	FIELD_IF(j, g, "ip.flags", has_header,
		 pkl_json_u64(j, (unsigned)L->hdr.ipv4.rf << 2 | (unsigned)L->hdr.ipv4.df << 1 |
				       L->hdr.ipv4.mf));
	FIELD_IF(j, g, "ip.flags.rb", has_header, pkl_json_bool(j, L->hdr.ipv4.rf));
	FIELD_IF(j, g, "ip.flags.df", has_header, pkl_json_bool(j, L->hdr.ipv4.df));
	FIELD_IF(j, g, "ip.flags.mf", has_header, pkl_json_bool(j, L->hdr.ipv4.mf));
	FIELD_IF(j, g, "ip.frag_offset", has_header, pkl_json_u64(j, L->hdr.ipv4.frag_offset));
	FIELD_IF(j, g, "ip.ttl", has_header, pkl_json_u64(j, L->hdr.ipv4.ttl));
	FIELD_IF(j, g, "ip.proto", has_header, pkl_json_u64(j, L->hdr.ipv4.proto));
	FIELD_IF(j, g, "ip.checksum", has_header, pkl_json_u64(j, L->hdr.ipv4.cksum));
	FIELD_IF(j, g, "ip.checksum.status", has_header, cksum_status(j, L->hdr.ipv4.cksum_status));
	FIELD_IF(j, g, "ip.src", has_header, pkl_json_ipv4(j, L->hdr.ipv4.src));
	FIELD_IF(j, g, "ip.dst", has_header, pkl_json_ipv4(j, L->hdr.ipv4.dst));
}

static void
json_ipv6(struct pkl_json *j, const struct group *g)
{
	FIELD_IF(j, g, "ipv6.version", has_header, pkl_json_u64(j, L->hdr.ipv6.version));
	FIELD_IF(j, g, "ipv6.tclass", has_header, pkl_json_u64(j, L->hdr.ipv6.tclass));
	FIELD_IF(j, g, "ipv6.flow", has_header, pkl_json_u64(j, L->hdr.ipv6.flow));
	FIELD_IF(j, g, "ipv6.plen", has_header, pkl_json_u64(j, L->hdr.ipv6.payload_len));
	FIELD_IF(j, g, "ipv6.nxt", has_header, pkl_json_u64(j, L->hdr.ipv6.nxt));
	FIELD_IF(j, g, "ipv6.hlim", has_header, pkl_json_u64(j, L->hdr.ipv6.hlim));
	FIELD_IF(j, g, "ipv6.src", has_header, pkl_json_ipv6(j, L->hdr.ipv6.src));
	FIELD_IF(j, g, "ipv6.dst", has_header, pkl_json_ipv6(j, L->hdr.ipv6.dst));
}

static void
json_icmp(struct pkl_json *j, const struct group *g)
{
	FIELD_IF(j, g, "icmp.type", has_header, pkl_json_u64(j, L->hdr.icmp.type));
	FIELD_IF(j, g, "icmp.code", has_header, pkl_json_u64(j, L->hdr.icmp.code));
	FIELD_IF(j, g, "icmp.checksum", has_header, pkl_json_u64(j, L->hdr.icmp.cksum));
	FIELD_IF(j, g, "icmp.checksum.status", has_unquoted_cksum,
		 cksum_status(j, L->hdr.icmp.cksum_status));
	FIELD_IF(j, g, "icmp.ident", has_echo, pkl_json_u64(j, L->hdr.icmp.ident));
	FIELD_IF(j, g, "icmp.seq", has_echo, pkl_json_u64(j, L->hdr.icmp.seq));
	FIELD_IF(j, g, "icmp.mtu", has_mtu, pkl_json_u64(j, L->hdr.icmp.next_hop_mtu));
	FIELD_IF(j, g, "icmp.redir_gw", has_gateway, pkl_json_ipv4(j, L->hdr.icmp.gateway));
}

static void
json_icmpv6(struct pkl_json *j, const struct group *g)
{
	FIELD_IF(j, g, "icmpv6.type", has_header, pkl_json_u64(j, L->hdr.icmp.type));
	FIELD_IF(j, g, "icmpv6.code", has_header, pkl_json_u64(j, L->hdr.icmp.code));
	FIELD_IF(j, g, "icmpv6.checksum", has_header, pkl_json_u64(j, L->hdr.icmp.cksum));
	FIELD_IF(j, g, "icmpv6.checksum.status", has_unquoted_cksum,
		 cksum_status(j, L->hdr.icmp.cksum_status));
	FIELD_IF(j, g, "icmpv6.echo.identifier", has_echo, pkl_json_u64(j, L->hdr.icmp.ident));
	FIELD_IF(j, g, "icmpv6.echo.sequence_number", has_echo, pkl_json_u64(j, L->hdr.icmp.seq));
	FIELD_IF(j, g, "icmpv6.nd.target_address", has_v6_target, pkl_json_ipv6(j, L->hdr.icmp.target));
}

static void
json_udp(struct pkl_json *j, const struct group *g)
{
	FIELD_IF(j, g, "udp.srcport", has_ports, pkl_json_u64(j, L->hdr.udp.sport));
	FIELD_IF(j, g, "udp.dstport", has_ports, pkl_json_u64(j, L->hdr.udp.dport));
	FIELD_IF(j, g, "udp.length", has_header, pkl_json_u64(j, L->hdr.udp.ulen));
	FIELD_IF(j, g, "udp.checksum", has_header, pkl_json_u64(j, L->hdr.udp.cksum));
	FIELD_IF(j, g, "udp.checksum.status", has_header, cksum_status(j, L->hdr.udp.cksum_status));
}

static void
u32_array(struct pkl_json *j, const uint32_t *v, unsigned n)
{
	pkl_json_array_open(j);
	for (unsigned i = 0; i < n; i++) {
		pkl_json_elem(j);
		pkl_json_u64(j, v[i]);
	}
	pkl_json_array_close(j);
}

static void
json_tcp(struct pkl_json *j, const struct group *g)
{
	FIELD_IF(j, g, "tcp.srcport", has_ports, pkl_json_u64(j, L->hdr.tcp.sport));
	FIELD_IF(j, g, "tcp.dstport", has_ports, pkl_json_u64(j, L->hdr.tcp.dport));
	FIELD_IF(j, g, "tcp.seq_raw", has_seq, pkl_json_u64(j, L->hdr.tcp.seq));
	FIELD_IF(j, g, "tcp.ack_raw", has_header, pkl_json_u64(j, L->hdr.tcp.ack));
	FIELD_IF(j, g, "tcp.hdr_len", has_header, pkl_json_u64(j, L->hdr.tcp.doff * 4u));
	FIELD_IF(j, g, "tcp.flags", has_header, pkl_json_u64(j, L->hdr.tcp.flags));
	FIELD_IF(j, g, "tcp.flags.ns", has_header, pkl_json_bool(j, L->hdr.tcp.flags & PKL_TCP_AE));
	FIELD_IF(j, g, "tcp.flags.cwr", has_header, pkl_json_bool(j, L->hdr.tcp.flags & PKL_TCP_CWR));
	FIELD_IF(j, g, "tcp.flags.ece", has_header, pkl_json_bool(j, L->hdr.tcp.flags & PKL_TCP_ECE));
	FIELD_IF(j, g, "tcp.flags.urg", has_header, pkl_json_bool(j, L->hdr.tcp.flags & PKL_TCP_URG));
	FIELD_IF(j, g, "tcp.flags.ack", has_header, pkl_json_bool(j, L->hdr.tcp.flags & PKL_TCP_ACK));
	FIELD_IF(j, g, "tcp.flags.push", has_header, pkl_json_bool(j, L->hdr.tcp.flags & PKL_TCP_PSH));
	FIELD_IF(j, g, "tcp.flags.reset", has_header, pkl_json_bool(j, L->hdr.tcp.flags & PKL_TCP_RST));
	FIELD_IF(j, g, "tcp.flags.syn", has_header, pkl_json_bool(j, L->hdr.tcp.flags & PKL_TCP_SYN));
	FIELD_IF(j, g, "tcp.flags.fin", has_header, pkl_json_bool(j, L->hdr.tcp.flags & PKL_TCP_FIN));
	FIELD_IF(j, g, "tcp.window_size_value", has_header, pkl_json_u64(j, L->hdr.tcp.window));
	FIELD_IF(j, g, "tcp.checksum", has_header, pkl_json_u64(j, L->hdr.tcp.cksum));
	FIELD_IF(j, g, "tcp.checksum.status", has_header, cksum_status(j, L->hdr.tcp.cksum_status));
	FIELD_IF(j, g, "tcp.urgent_pointer", has_header, pkl_json_u64(j, L->hdr.tcp.urg_ptr));
	FIELD_IF(j, g, "tcp.len", has_tcp_len, pkl_json_u64(j, L->hdr.tcp.payload_len));
	FIELD_IF(j, g, "tcp.options.mss_val", has_mss, pkl_json_u64(j, L->hdr.tcp.mss));
	FIELD_IF(j, g, "tcp.options.wscale.shift", has_wscale, pkl_json_u64(j, L->hdr.tcp.wscale));
	FIELD_IF(j, g, "tcp.options.wscale.multiplier", has_wscale,
		 pkl_json_u64(j, 1u << (L->hdr.tcp.wscale > PKL_TCP_MAX_WSCALE ? PKL_TCP_MAX_WSCALE
										 : L->hdr.tcp.wscale)));
	FIELD_IF(j, g, "tcp.options.sack_perm", has_sack_perm, pkl_json_bool(j, true));
	FIELD_IF(j, g, "tcp.options.timestamp.tsval", has_ts, pkl_json_u64(j, L->hdr.tcp.ts_val));
	FIELD_IF(j, g, "tcp.options.timestamp.tsecr", has_ts, pkl_json_u64(j, L->hdr.tcp.ts_ecr));
	if (g->n == 1 && g->l[0]->hdr.tcp.n_sack) {
		const struct pkl_tcp *t = &g->l[0]->hdr.tcp;
		PKL_JSON_KEY(j, "tcp.options.sack_le");
		u32_array(j, t->sack_left, t->n_sack);
		PKL_JSON_KEY(j, "tcp.options.sack_re");
		u32_array(j, t->sack_right, t->n_sack);
	}
}

static void
json_group(struct pkl_json *j, const struct group *g)
{
	switch (g->l[0]->proto) {
	case PKL_PROTO_ETH: json_eth(j, g); break;
	case PKL_PROTO_VLAN: json_vlan(j, g); break;
	case PKL_PROTO_SLL:
	case PKL_PROTO_SLL2: json_sll(j, g); break;
	case PKL_PROTO_NULL:
		FIELD_IF(j, g, "null.family", has_header, pkl_json_u64(j, L->hdr.null.family));
		break;
	case PKL_PROTO_ARP: json_arp(j, g); break;
	case PKL_PROTO_IPV4: json_ipv4(j, g); break;
	case PKL_PROTO_IPV6: json_ipv6(j, g); break;
	case PKL_PROTO_ICMP: json_icmp(j, g); break;
	case PKL_PROTO_ICMPV6: json_icmpv6(j, g); break;
	case PKL_PROTO_UDP: json_udp(j, g); break;
	case PKL_PROTO_TCP: json_tcp(j, g); break;
	case PKL_PROTO_DATA:
		FIELD(j, g, "data.len", pkl_json_u64(j, L->len));
		break;
	default:
		break;
	}
}

/* The fields of layers [from, to), grouped per protocol in order of
 * first appearance. */
static void
json_layers(struct pkl_json *j, const struct pkl_packet *pkt, unsigned from, unsigned to)
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
json_frame(struct pkl_json *j, struct pkl_render *r, const struct pkl_frame *f)
{
	struct pkl_out *o = j->out;

	PKL_JSON_KEY(j, "frame.number");
	pkl_json_u64(j, f->number);
	PKL_JSON_KEY(j, "frame.time_epoch");
	/* The fraction is below a second (capture carries it), so it has
	 * nine digits. */
	int64_t sec = f->ts_sec;
	uint32_t nsec = f->ts_nsec;
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
	PKL_JSON_KEY(j, "frame.time_relative");
	pkl_render_reltime(r, f);
	PKL_JSON_KEY(j, "frame.len");
	pkl_json_u64(j, f->len);
	PKL_JSON_KEY(j, "frame.cap_len");
	pkl_json_u64(j, f->caplen);
	if (f->direction != PKL_DIR_UNKNOWN) {
		PKL_JSON_KEY(j, "direction");
		pkl_json_name(j, f->direction == PKL_DIR_SENT ? "sent" : "received");
	}
}

/* The tracker's view of the connection: its id, who sent, the states. */
static void
json_conn(struct pkl_json *j, const struct pkl_packet *pkt, const struct pkl_conn_snapshot *c)
{
	json_tcp_analysis(j, pkt, c);
	PKL_JSON_KEY(j, "conn.id");
	pkl_json_u64(j, c->id);
	PKL_JSON_KEY(j, "conn.sender");
	if (c->sender == 0)
		pkl_json_name(j, "client");
	else
		pkl_json_name(j, "server");
	PKL_JSON_KEY(j, "conn.client_state");
	pkl_json_string(j, pkl_tcp_state_name((enum pkl_tcp_state)c->after[0]));
	PKL_JSON_KEY(j, "conn.server_state");
	pkl_json_string(j, pkl_tcp_state_name((enum pkl_tcp_state)c->after[1]));
	if (c->step.phase != PKL_PHASE_NONE) {
		char step[PKL_STEP_TEXT];
		pkl_conn_step_format(c->step, step);
		PKL_JSON_KEY(j, "conn.step");
		pkl_json_string(j, step);
	}
}

/* The anomalies the dissectors recorded, then the explanations. */
static void
json_notes(struct pkl_json *j, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	static const char *const kinds[] = {
		[PKL_EVK_TRUNCATED] = "truncated", [PKL_EVK_MALFORMED] = "malformed",
		[PKL_EVK_WARNING] = "warning",
	};
	char text[512];

	PKL_JSON_KEY(j, "notes");
	pkl_json_array_open(j);
	for (unsigned i = 0; i < pkt->n_events; i++) {
		const struct pkl_event *ev = &pkt->events[i];
		pkl_event_format(ev->code, ev->arg, text, sizeof text);
		pkl_json_elem(j);
		pkl_json_object_open(j);
		PKL_JSON_KEY(j, "layer");
		pkl_json_string(j, pkl_proto_name(pkt->layers[ev->layer].proto));
		PKL_JSON_KEY(j, "kind");
		pkl_json_string(j, kinds[pkl_event_kind(ev->code)]);
		PKL_JSON_KEY(j, "event");
		pkl_json_string(j, pkl_event_name(ev->code));
		PKL_JSON_KEY(j, "text");
		pkl_json_string(j, text);
		pkl_json_object_close(j);
	}
	for (unsigned i = 0; i < notes->n; i++) {
		const struct pkl_note *n = &notes->note[i];
		pkl_note_format(n, text, sizeof text);
		pkl_json_elem(j);
		pkl_json_object_open(j);
		PKL_JSON_KEY(j, "layer");
		pkl_json_string(j, pkl_proto_name(pkt->layers[n->layer].proto));
		PKL_JSON_KEY(j, "kind");
		pkl_json_name(j, "note");
		PKL_JSON_KEY(j, "note");
		pkl_json_string(j, pkl_note_name(n->code));
		PKL_JSON_KEY(j, "text");
		pkl_json_string(j, text);
		pkl_json_object_close(j);
	}
	pkl_json_array_close(j);
}

void
pkl_render_json(struct pkl_render *r, const struct pkl_packet *pkt,
		const struct pkl_notes *notes)
{
	struct pkl_json j;

	pkl_json_init(&j, r->out);
	pkl_json_object_open(&j);
	json_frame(&j, r, pkt->frame);

	PKL_JSON_KEY(&j, "layers");
	pkl_json_array_open(&j);
	for (unsigned i = 0; i < pkt->n_layers; i++) {
		pkl_json_elem(&j);
		pkl_json_name(&j, pkl_proto_name(pkt->layers[i].proto));
	}
	pkl_json_array_close(&j);

	unsigned quote_start = pkt->n_layers;
	for (unsigned i = 0; i < pkt->n_layers; i++)
		if (pkt->layers[i].flags & PKL_LAYER_QUOTED) {
			quote_start = i;
			break;
		}
	json_layers(&j, pkt, 0, quote_start);
	if (quote_start < pkt->n_layers) {
		PKL_JSON_KEY(&j, "icmp.quoted");
		pkl_json_object_open(&j);
		json_layers(&j, pkt, quote_start, pkt->n_layers);
		pkl_json_object_close(&j);
	}

	if (notes->conn.valid)
		json_conn(&j, pkt, &notes->conn);
	if (pkt->truncated) {
		PKL_JSON_KEY(&j, "truncated");
		pkl_json_bool(&j, true);
	}
	for (unsigned i = 0; i < pkt->n_events; i++) {
		const struct pkl_event *ev = &pkt->events[i];
		if (pkl_event_kind(ev->code) != PKL_EVK_MALFORMED)
			continue;
		char text[512];
		pkl_event_format(ev->code, ev->arg, text, sizeof text);
		PKL_JSON_KEY(&j, "malformed");
		pkl_json_string(&j, text);
		break;   /* the first reason; the notes list them all */
	}
	json_notes(&j, pkt, notes);
	pkl_json_object_close(&j);
	pkl_out_char(r->out, '\n');
}
