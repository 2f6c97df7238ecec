/* Internet Control Message Protocol for IPv6, RFC 4443; neighbour
 * discovery messages, RFC 4861 (their target address only). */
#include "icmpv6.h"

#include <string.h>

#include "../src/bytes.h"
#include "icmp.h"
#include "ipv4.h"
#include "ipv6.h"

#define ICMPV6_HLEN 8

const char *
pkl_icmpv6_type_name(uint8_t type)
{
	switch (type) {
	case PKL_ICMPV6_UNREACH: return "destination unreachable";
	case PKL_ICMPV6_PACKET_TOO_BIG: return "packet too big";
	case PKL_ICMPV6_TIME_EXCEEDED: return "time exceeded";
	case PKL_ICMPV6_PARAM_PROBLEM: return "parameter problem";
	case PKL_ICMPV6_ECHO_REQUEST: return "echo request";
	case PKL_ICMPV6_ECHO_REPLY: return "echo reply";
	case PKL_ICMPV6_MLD_QUERY: return "multicast listener query";
	case PKL_ICMPV6_MLD_REPORT: return "multicast listener report";
	case PKL_ICMPV6_MLD_DONE: return "multicast listener done";
	case PKL_ICMPV6_ROUTER_SOLICIT: return "router solicitation";
	case PKL_ICMPV6_ROUTER_ADVERT: return "router advertisement";
	case PKL_ICMPV6_NEIGHBOR_SOLICIT: return "neighbor solicitation";
	case PKL_ICMPV6_NEIGHBOR_ADVERT: return "neighbor advertisement";
	case PKL_ICMPV6_REDIRECT: return "redirect";
	case PKL_ICMPV6_MLDV2_REPORT: return "multicast listener report v2";
	default: return NULL;
	}
}

enum pkl_proto
pkl_icmpv6_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_icmp *ic = &l->hdr.icmp;

	if (!pkl_icmp_decode_header(pkt, l, PKL_IPPROTO_ICMPV6, PKL_EV_ICMPV6_TRUNC,
				    PKL_EV_ICMPV6_BAD_CKSUM))
		return PKL_PROTO_NONE;
	const uint8_t *p = l->data;
	pkl_layer_set_payload(l, ICMPV6_HLEN, l->len);

	switch (ic->type) {
	case PKL_ICMPV6_ECHO_REQUEST:
	case PKL_ICMPV6_ECHO_REPLY:
		ic->has_echo = true;
		ic->ident = pkl_be16(p + 4);
		ic->seq = pkl_be16(p + 6);
		return PKL_PROTO_DATA;
	case PKL_ICMPV6_PACKET_TOO_BIG:
		ic->mtu6 = pkl_be32(p + 4);
		break;
	case PKL_ICMPV6_PARAM_PROBLEM:
		ic->pointer = pkl_be32(p + 4);
		break;
	case PKL_ICMPV6_NEIGHBOR_SOLICIT:
	case PKL_ICMPV6_NEIGHBOR_ADVERT:
	case PKL_ICMPV6_REDIRECT:
		if (l->caplen >= ICMPV6_HLEN + 16) {
			ic->has_target = true;
			memcpy(ic->target, p + ICMPV6_HLEN, 16);
		}
		return PKL_PROTO_DATA;
	default:
		break;
	}
	/* The errors that quote the datagram they are about. */
	if (ic->type < PKL_ICMPV6_UNREACH || ic->type > PKL_ICMPV6_PARAM_PROBLEM ||
	    (l->flags & PKL_LAYER_QUOTED))
		return PKL_PROTO_DATA;
	ic->quotes = true;
	if (l->payload_len < PKL_IPV6_HLEN)
		return pkl_stop(pkt, l, PKL_EV_ICMP_QUOTE_SHORT, l->payload_len, PKL_IPV6_HLEN);
	l->flags |= PKL_LAYER_QUOTES;
	return PKL_PROTO_IPV6;
}
