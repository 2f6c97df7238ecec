/* Internet Protocol version 4, RFC 791; options from the IANA registry. */
#include "ipv4.h"

#include <string.h>

#include "../src/bytes.h"
#include "../src/checksum.h"


const char *
pkl_ipproto_name(uint8_t proto)
{
	switch (proto) {
	case PKL_IPPROTO_HOPOPTS: return "HOPOPT";
	case PKL_IPPROTO_ICMP: return "ICMP";
	case PKL_IPPROTO_IGMP: return "IGMP";
	case PKL_IPPROTO_IPIP: return "IPIP";
	case PKL_IPPROTO_TCP: return "TCP";
	case PKL_IPPROTO_UDP: return "UDP";
	case PKL_IPPROTO_IPV6: return "IPv6";
	case PKL_IPPROTO_ROUTING: return "IPv6-Route";
	case PKL_IPPROTO_FRAGMENT: return "IPv6-Frag";
	case PKL_IPPROTO_GRE: return "GRE";
	case PKL_IPPROTO_ESP: return "ESP";
	case PKL_IPPROTO_AH: return "AH";
	case PKL_IPPROTO_ICMPV6: return "ICMPv6";
	case PKL_IPPROTO_NONE: return "IPv6-NoNxt";
	case PKL_IPPROTO_DSTOPTS: return "IPv6-Opts";
	case PKL_IPPROTO_EIGRP: return "EIGRP";
	case PKL_IPPROTO_OSPF: return "OSPF";
	case PKL_IPPROTO_PIM: return "PIM";
	case PKL_IPPROTO_VRRP: return "VRRP";
	case PKL_IPPROTO_SCTP: return "SCTP";
	case PKL_IPPROTO_UDPLITE: return "UDPLite";
	default: return NULL;
	}
}

enum pkl_proto
pkl_ipproto_proto(uint8_t proto)
{
	switch (proto) {
	case PKL_IPPROTO_ICMP: return PKL_PROTO_ICMP;
	case PKL_IPPROTO_IPIP: return PKL_PROTO_IPV4;
	case PKL_IPPROTO_TCP: return PKL_PROTO_TCP;
	case PKL_IPPROTO_UDP: return PKL_PROTO_UDP;
	case PKL_IPPROTO_IPV6: return PKL_PROTO_IPV6;
	case PKL_IPPROTO_ICMPV6: return PKL_PROTO_ICMPV6;
	default: return PKL_PROTO_UNKNOWN;
	}
}

const char *
pkl_ipv4_option_name(uint8_t type)
{
	switch (type) {
	case PKL_IPOPT_EOL: return "EOL";
	case PKL_IPOPT_NOP: return "NOP";
	case PKL_IPOPT_RR: return "RR";
	case PKL_IPOPT_TS: return "TS";
	case PKL_IPOPT_SEC: return "SEC";
	case PKL_IPOPT_LSRR: return "LSRR";
	case PKL_IPOPT_SID: return "SID";
	case PKL_IPOPT_SSRR: return "SSRR";
	case PKL_IPOPT_RTRALT: return "RTRALT";
	default: return NULL;
	}
}

static void
parse_options(struct pkl_packet *pkt, struct pkl_layer *l, const uint8_t *p,
	      uint32_t n)
{
	struct pkl_ipv4 *ip = &l->hdr.ipv4;
	uint32_t i = 0;

	while (i < n) {
		uint8_t type = p[i];
		uint8_t len = 1;
		if (type != PKL_IPOPT_EOL && type != PKL_IPOPT_NOP) {
			len = i + 1 < n ? p[i + 1] : 0;
			if (len < 2 || len > n - i) {
				pkl_event(pkt, l, PKL_EV_IPV4_OPT_BAD_LEN, type, len);
				return;
			}
		}
		if (ip->n_options < PKL_IPV4_MAX_OPTIONS)
			ip->options[ip->n_options++] = (struct pkl_ip_option){ type, len };
		else if (ip->options_more < UINT8_MAX)
			ip->options_more++;
		if (type == PKL_IPOPT_EOL)
			return;
		i += len;
	}
}

enum pkl_proto
pkl_ipv4_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_ipv4 *ip = &l->hdr.ipv4;

	if (!pkl_need(pkt, l, PKL_IPV4_MIN_HLEN, PKL_EV_IPV4_TRUNC))
		return PKL_PROTO_NONE;
	const uint8_t *p = l->data;
	ip->version = p[0] >> 4;
	ip->ihl = p[0] & 0x0f;
	ip->dsfield = p[1];
	ip->total_len = pkl_be16(p + 2);
	ip->id = pkl_be16(p + 4);
	uint16_t frag = pkl_be16(p + 6);
	ip->rf = frag & 0x8000;
	ip->df = frag & 0x4000;
	ip->mf = frag & 0x2000;
	ip->frag_offset = frag & 0x1fff;
	ip->ttl = p[8];
	ip->proto = p[9];
	ip->cksum = pkl_be16(p + 10);
	memcpy(ip->src, p + 12, 4);
	memcpy(ip->dst, p + 16, 4);
	l->flags |= PKL_LAYER_HEADER;

	if (ip->version != 4)
		return pkl_stop(pkt, l, PKL_EV_IPV4_BAD_VERSION, ip->version, 0);
	uint32_t hlen = ip->ihl * 4u;
	if (hlen < PKL_IPV4_MIN_HLEN) {
		l->hdr_len = PKL_IPV4_MIN_HLEN;
		return pkl_stop(pkt, l, PKL_EV_IPV4_HLEN_SHORT, hlen, 0);
	}
	if (ip->rf)
		pkl_event(pkt, l, PKL_EV_IPV4_RF_SET, 0, 0);
	if (!pkl_need(pkt, l, hlen, PKL_EV_IPV4_TRUNC))
		return PKL_PROTO_NONE;
	parse_options(pkt, l, p + PKL_IPV4_MIN_HLEN, hlen - PKL_IPV4_MIN_HLEN);

	uint16_t expected = 0;
	ip->cksum_status = pkl_cksum_verify(pkt, l, 0, hlen, ip->cksum, 10, &expected);
	if (ip->cksum_status == PKL_CK_BAD)
		pkl_event(pkt, l, PKL_EV_IPV4_BAD_CKSUM, ip->cksum, expected);

	uint32_t payload = 0;
	if (ip->total_len == 0) {
		/* Segmentation offload: the capturing host saw the packet
		 * before the NIC filled in the length.  Use the frame's. */
		pkl_event(pkt, l, PKL_EV_IPV4_TSO, 0, 0);
		payload = l->len - hlen;
	} else if (ip->total_len < hlen) {
		pkl_layer_set_payload(l, hlen, 0);
		return pkl_stop(pkt, l, PKL_EV_IPV4_TOTLEN_SHORT, ip->total_len, hlen);
	} else if (ip->total_len > l->len && !(l->flags & PKL_LAYER_QUOTED)) {
		pkl_event(pkt, l, PKL_EV_IPV4_TOTLEN_LONG, ip->total_len, l->len);
		payload = l->len - hlen;
	} else {
		payload = ip->total_len - hlen;
	}
	pkl_layer_set_payload(l, hlen, payload);

	/* A later fragment carries only data: normal, not an anomaly (the
	 * notes explain it), as with IPv6's. */
	if (ip->frag_offset != 0)
		return PKL_PROTO_DATA;
	enum pkl_proto next = pkl_ipproto_proto(ip->proto);
	if (next == PKL_PROTO_UNKNOWN)
		pkl_event(pkt, l, PKL_EV_IPV4_UNKNOWN_PROTO, ip->proto, l->payload_len);
	return next;
}
