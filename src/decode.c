/* The dissector driver: one loop over one table.
 *
 * Dissectors never call each other: each fills its layer and returns the
 * next protocol, and this loop sets up the next layer from what the
 * previous one declared (header length, payload length) and caps the
 * depth, so a hostile nesting cannot recurse. */
#include "decode.h"

#include <pcap/dlt.h>
#include <string.h>

#include "../dissectors/arp.h"
#include "../dissectors/dns.h"
#include "../dissectors/eth.h"
#include "../dissectors/http.h"
#include "../dissectors/icmp.h"
#include "../dissectors/icmpv6.h"
#include "../dissectors/ipv4.h"
#include "../dissectors/ipv6.h"
#include "../dissectors/null.h"
#include "../dissectors/rawip.h"
#include "../dissectors/sll.h"
#include "../dissectors/tcp.h"
#include "../dissectors/udp.h"
#include "../dissectors/vlan.h"

typedef enum pkl_proto (*dissector_fn)(struct pkl_packet *, struct pkl_layer *);

/* hdr_size: the part of the layer's union this protocol fills, zeroed
 * before its dissector runs (the whole union would cost more than
 * decoding a TCP header). */
#define HDR_SIZE(member) sizeof(((struct pkl_layer *)0)->hdr.member)
static const struct {
	const char *name;
	dissector_fn decode;
	size_t hdr_size;
} proto_table[PKL_PROTO_COUNT] = {
	[PKL_PROTO_NONE] = { "none", NULL, 0 },
	[PKL_PROTO_ETH] = { "eth", pkl_eth_decode, HDR_SIZE(eth) },
	[PKL_PROTO_VLAN] = { "vlan", pkl_vlan_decode, HDR_SIZE(vlan) },
	[PKL_PROTO_SLL] = { "sll", pkl_sll_decode, HDR_SIZE(sll) },
	[PKL_PROTO_SLL2] = { "sll", pkl_sll2_decode, HDR_SIZE(sll) },
	[PKL_PROTO_NULL] = { "null", pkl_null_decode, HDR_SIZE(null) },
	[PKL_PROTO_IP] = { "raw", pkl_rawip_decode, 0 },
	[PKL_PROTO_ARP] = { "arp", pkl_arp_decode, HDR_SIZE(arp) },
	[PKL_PROTO_IPV4] = { "ip", pkl_ipv4_decode, HDR_SIZE(ipv4) },
	[PKL_PROTO_IPV6] = { "ipv6", pkl_ipv6_decode, HDR_SIZE(ipv6) },
	[PKL_PROTO_ICMP] = { "icmp", pkl_icmp_decode, HDR_SIZE(icmp) },
	[PKL_PROTO_ICMPV6] = { "icmpv6", pkl_icmpv6_decode, HDR_SIZE(icmp) },
	[PKL_PROTO_UDP] = { "udp", pkl_udp_decode, HDR_SIZE(udp) },
	[PKL_PROTO_TCP] = { "tcp", pkl_tcp_decode, HDR_SIZE(tcp) },
	[PKL_PROTO_DNS] = { "dns", pkl_dns_decode, HDR_SIZE(dns) },
	[PKL_PROTO_HTTP] = { "http", pkl_http_decode, HDR_SIZE(http) },
	[PKL_PROTO_DATA] = { "data", NULL, 0 },
	[PKL_PROTO_UNKNOWN] = { "unknown", NULL, 0 },
};

const char *
pkl_proto_name(enum pkl_proto proto)
{
	return proto < PKL_PROTO_COUNT ? proto_table[proto].name : "?";
}

enum pkl_proto
pkl_decode_link_proto(int linktype)
{
	switch (linktype) {
	case DLT_EN10MB:
		return PKL_PROTO_ETH;
	case DLT_LINUX_SLL:
		return PKL_PROTO_SLL;
	case DLT_LINUX_SLL2:
		return PKL_PROTO_SLL2;
	case DLT_NULL:
	case DLT_LOOP:
		return PKL_PROTO_NULL;
	case DLT_RAW:
		return PKL_PROTO_IP;
	case DLT_IPV4:      /* these link types say which IP it is */
		return PKL_PROTO_IPV4;
	case DLT_IPV6:
		return PKL_PROTO_IPV6;
	default:
		return PKL_PROTO_UNKNOWN;
	}
}

void
pkl_event(struct pkl_packet *pkt, const struct pkl_layer *l,
	  enum pkl_event_code code, uint32_t a0, uint32_t a1)
{
	struct pkl_layer *ml = &pkt->layers[pkl_layer_index(pkt, l)];

	switch (pkl_event_kind(code)) {
	case PKL_EVK_TRUNCATED:
		/* Inside an ICMP error the quoted datagram is cut short by
		 * design (RFC 792 quotes 8 bytes of it): not an anomaly.  A
		 * quote the capture cut (bytes on the wire, not captured) is. */
		if ((ml->flags & PKL_LAYER_QUOTED) && ml->caplen >= ml->len) {
			ml->flags |= PKL_LAYER_PARTIAL;
			return;
		}
		ml->flags |= PKL_LAYER_TRUNCATED;
		pkt->truncated = true;
		break;
	case PKL_EVK_MALFORMED:
		ml->flags |= PKL_LAYER_MALFORMED;
		pkt->malformed = true;
		break;
	case PKL_EVK_WARNING:
		break;
	}
	if (pkt->n_events == PKL_MAX_EVENTS) {
		if (pkt->events_dropped < UINT8_MAX)
			pkt->events_dropped++;
		return;
	}
	pkt->events[pkt->n_events++] = (struct pkl_event){
		.code = code, .layer = pkl_layer_index(pkt, l), .arg = { a0, a1 },
	};
}

enum pkl_proto
pkl_stop(struct pkl_packet *pkt, struct pkl_layer *l, enum pkl_event_code code,
	 uint32_t a0, uint32_t a1)
{
	pkl_event(pkt, l, code, a0, a1);
	return PKL_PROTO_NONE;
}

bool
pkl_need_missing(struct pkl_packet *pkt, struct pkl_layer *l, uint32_t need,
		 enum pkl_event_code trunc_code)
{
	l->hdr_len = l->caplen;
	l->payload_len = 0;
	if (l->len >= need || (l->flags & PKL_LAYER_QUOTED))
		pkl_event(pkt, l, trunc_code, need, l->caplen);
	else
		pkl_event(pkt, l, PKL_EV_LAYER_SHORT, need, l->len);
	return false;
}

bool
pkl_transport_whole(const struct pkl_packet *pkt, const struct pkl_layer *l)
{
	const struct pkl_layer *net = pkl_layer_below(pkt, l);
	/* A quote holds the whole datagram when the quoted IP header's
	 * length fits in it (Linux quotes up to 576 bytes): then its
	 * lengths and checksums can be checked like any other. */
	bool quoted = l->flags & PKL_LAYER_QUOTED;

	if (net && net->proto == PKL_PROTO_IPV4)
		return !pkl_ipv4_is_fragment(&net->hdr.ipv4) &&
		       (!quoted || (net->hdr.ipv4.total_len != 0 &&
				    net->hdr.ipv4.total_len <= net->len));
	if (net && net->proto == PKL_PROTO_IPV6)
		return !net->hdr.ipv6.fragment &&
		       (!quoted || (net->hdr.ipv6.payload_len != 0 &&
				    40u + net->hdr.ipv6.payload_len <= net->len));
	return false;
}

const struct pkl_layer *
pkl_layer_below(const struct pkl_packet *pkt, const struct pkl_layer *l)
{
	return l > pkt->layers ? l - 1 : NULL;
}

const struct pkl_layer *
pkl_packet_find(const struct pkl_packet *pkt, enum pkl_proto proto, unsigned from)
{
	for (unsigned i = from; i < pkt->n_layers; i++)
		if (pkt->layers[i].proto == proto)
			return &pkt->layers[i];
	return NULL;
}

/* The type value that named no dissector, read from the decoded parent. */
static uint32_t
unknown_value(const struct pkl_layer *parent)
{
	switch (parent->proto) {
	case PKL_PROTO_ETH:
		return parent->hdr.eth.type;
	case PKL_PROTO_VLAN:
		return parent->hdr.vlan.type;
	case PKL_PROTO_SLL:
	case PKL_PROTO_SLL2:
		return parent->hdr.sll.protocol;
	case PKL_PROTO_NULL:
		return parent->hdr.null.family;
	case PKL_PROTO_IPV4:
		return parent->hdr.ipv4.proto;
	case PKL_PROTO_IPV6:
		return parent->hdr.ipv6.upper;
	default:
		return 0;
	}
}

/* Start the layer after prev, over prev's declared payload. */
static void
layer_follow(struct pkl_layer *next, const struct pkl_layer *prev)
{
	uint32_t hdr_cap = prev->hdr_len < prev->caplen ? prev->hdr_len : prev->caplen;
	uint32_t cap_rest = prev->caplen - hdr_cap;

	next->offset = prev->offset + hdr_cap;
	next->data = prev->data + hdr_cap;
	next->len = prev->payload_len;
	next->caplen = cap_rest < prev->payload_len ? cap_rest : prev->payload_len;
	next->flags = (prev->flags & (PKL_LAYER_QUOTED | PKL_LAYER_QUOTES)) ? PKL_LAYER_QUOTED : 0;
}

static void
decode_layers(struct pkl_packet *pkt, const struct pkl_frame *frame)
{
	pkt->frame = frame;
	pkt->n_layers = 0;
	pkt->n_events = 0;
	pkt->events_dropped = 0;
	pkt->truncated = pkt->malformed = false;

	enum pkl_proto proto = pkl_decode_link_proto(frame->linktype);
	struct pkl_layer *l = &pkt->layers[0];
	l->offset = 0;
	l->data = frame->bytes;
	l->caplen = frame->caplen < frame->len ? frame->caplen : frame->len;
	l->len = frame->len;
	l->flags = 0;

	if (proto == PKL_PROTO_UNKNOWN) {
		/* The frame is still shown, as an unknown layer with its length. */
		memset(&l->hdr, 0, sizeof l->hdr);
		l->proto = PKL_PROTO_UNKNOWN;
		l->hdr.unknown = (struct pkl_unknown){ .parent = PKL_PROTO_NONE,
						       .value = (uint32_t)frame->linktype };
		l->hdr_len = 0;
		l->payload_len = l->len;
		pkt->n_layers = 1;
		pkl_event(pkt, l, PKL_EV_LINK_UNSUPPORTED, (uint32_t)frame->linktype, l->len);
		return;
	}

	for (;;) {
		l->proto = proto;
		l->hdr_len = 0;
		l->payload_len = 0;
		memset(&l->hdr, 0, proto_table[proto].hdr_size);
		pkt->n_layers++;

		enum pkl_proto next = proto_table[proto].decode(pkt, l);
		if (next == PKL_PROTO_NONE)
			return;
		if (next == PKL_PROTO_DATA && l->payload_len == 0)
			return;
		if (pkt->n_layers == PKL_MAX_LAYERS) {
			pkl_event(pkt, l, PKL_EV_DEPTH_LIMIT, PKL_MAX_LAYERS, 0);
			return;
		}
		struct pkl_layer *prev = l++;
		layer_follow(l, prev);
		if (next == PKL_PROTO_DATA || next == PKL_PROTO_UNKNOWN) {
			/* Leaf layers have no dissector: their length is the story.
			 * An unknown leaf remembers whose type field it was. */
			l->proto = next;
			l->hdr_len = 0;
			l->payload_len = l->len;
			l->hdr.unknown = (struct pkl_unknown){ .parent = PKL_PROTO_NONE };
			if (next == PKL_PROTO_UNKNOWN)
				l->hdr.unknown = (struct pkl_unknown){
					.parent = prev->proto, .value = unknown_value(prev) };
			pkt->n_layers++;
			return;
		}
		proto = next;
	}
}

/* A frame the capture cut short is truncated even when the cut missed
 * every header (payload, the tail of a quote, padding): flag the
 * innermost layer the capture ended in. */
static void
mark_capture_cut(struct pkl_packet *pkt)
{
	if (pkt->truncated || pkt->frame->caplen >= pkt->frame->len)
		return;
	for (unsigned i = pkt->n_layers; i-- > 0;) {
		struct pkl_layer *l = &pkt->layers[i];
		if (l->caplen < l->len) {
			l->flags |= PKL_LAYER_TRUNCATED;
			pkt->truncated = true;
			return;
		}
	}
}

void
pkl_decode(struct pkl_packet *pkt, const struct pkl_frame *frame)
{
	decode_layers(pkt, frame);
	mark_capture_cut(pkt);
}
