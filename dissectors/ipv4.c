/* Internet Protocol version 4, RFC 791; options from the IANA registry. */
#include "ipv4.h"

#include <string.h>

#include "../src/bytes.h"
#include "../src/checksum.h"

#define IPV4_MIN_HLEN 20
#define IPOPT_EOL 0
#define IPOPT_NOP 1

const char *
pkl_ipproto_name(uint8_t proto)
{
	switch (proto) {
	case 0: return "HOPOPT";
	case 1: return "ICMP";
	case 2: return "IGMP";
	case 4: return "IPIP";
	case 6: return "TCP";
	case 17: return "UDP";
	case 41: return "IPv6";
	case 43: return "IPv6-Route";
	case 44: return "IPv6-Frag";
	case 47: return "GRE";
	case 50: return "ESP";
	case 51: return "AH";
	case 58: return "ICMPv6";
	case 59: return "IPv6-NoNxt";
	case 60: return "IPv6-Opts";
	case 88: return "EIGRP";
	case 89: return "OSPF";
	case 103: return "PIM";
	case 112: return "VRRP";
	case 132: return "SCTP";
	case 136: return "UDPLite";
	default: return NULL;
	}
}

enum pkl_proto
pkl_ipproto_proto(uint8_t proto)
{
	switch (proto) {
	case 1: return PKL_PROTO_ICMP;
	case 4: return PKL_PROTO_IPV4;
	case 6: return PKL_PROTO_TCP;
	case 17: return PKL_PROTO_UDP;
	case 41: return PKL_PROTO_IPV6;
	case 58: return PKL_PROTO_ICMPV6;
	default: return PKL_PROTO_UNKNOWN;
	}
}

const char *
pkl_ipv4_option_name(uint8_t type)
{
	switch (type) {
	case 0: return "EOL";
	case 1: return "NOP";
	case 7: return "RR";
	case 68: return "TS";
	case 130: return "SEC";
	case 131: return "LSRR";
	case 136: return "SID";
	case 137: return "SSRR";
	case 148: return "RTRALT";
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
		if (type != IPOPT_EOL && type != IPOPT_NOP) {
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
		if (type == IPOPT_EOL)
			return;
		i += len;
	}
}

enum pkl_proto
pkl_ipv4_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_ipv4 *ip = &l->hdr.ipv4;

	if (!pkl_need(pkt, l, IPV4_MIN_HLEN, PKL_EV_IPV4_TRUNC))
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
	if (hlen < IPV4_MIN_HLEN) {
		l->hdr_len = IPV4_MIN_HLEN;
		return pkl_stop(pkt, l, PKL_EV_IPV4_HLEN_SHORT, hlen, 0);
	}
	if (ip->rf)
		pkl_event(pkt, l, PKL_EV_IPV4_RF_SET, 0, 0);
	if (!pkl_need(pkt, l, hlen, PKL_EV_IPV4_TRUNC))
		return PKL_PROTO_NONE;
	parse_options(pkt, l, p + IPV4_MIN_HLEN, hlen - IPV4_MIN_HLEN);

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

	if (ip->frag_offset != 0) {
		pkl_event(pkt, l, PKL_EV_IPV4_FRAGMENT, ip->frag_offset * 8u, 0);
		return PKL_PROTO_DATA;
	}
	enum pkl_proto next = pkl_ipproto_proto(ip->proto);
	if (next == PKL_PROTO_UNKNOWN)
		pkl_event(pkt, l, PKL_EV_IPV4_UNKNOWN_PROTO, ip->proto, l->payload_len);
	return next;
}
