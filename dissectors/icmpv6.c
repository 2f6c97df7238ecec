/* Internet Control Message Protocol for IPv6, RFC 4443; neighbour
 * discovery messages, RFC 4861 (their target address only). */
#include "icmpv6.h"

#include <string.h>

#include "../src/bytes.h"
#include "icmp.h"

#define ICMPV6_HLEN 8
#define IPPROTO_ICMPV6_NUM 58
#define IPV6_HLEN 40

const char *
pkl_icmpv6_type_name(uint8_t type)
{
	switch (type) {
	case 1: return "destination unreachable";
	case 2: return "packet too big";
	case 3: return "time exceeded";
	case 4: return "parameter problem";
	case 128: return "echo request";
	case 129: return "echo reply";
	case 130: return "multicast listener query";
	case 131: return "multicast listener report";
	case 132: return "multicast listener done";
	case 133: return "router solicitation";
	case 134: return "router advertisement";
	case 135: return "neighbor solicitation";
	case 136: return "neighbor advertisement";
	case 137: return "redirect";
	case 143: return "multicast listener report v2";
	default: return NULL;
	}
}

enum pkl_proto
pkl_icmpv6_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_icmp *ic = &l->hdr.icmp;

	if (!pkl_icmp_decode_header(pkt, l, IPPROTO_ICMPV6_NUM, PKL_EV_ICMPV6_TRUNC,
				    PKL_EV_ICMPV6_BAD_CKSUM))
		return PKL_PROTO_NONE;
	const uint8_t *p = l->data;
	pkl_layer_set_payload(l, ICMPV6_HLEN, l->len);

	switch (ic->type) {
	case 128:
	case 129:
		ic->has_echo = true;
		ic->ident = pkl_be16(p + 4);
		ic->seq = pkl_be16(p + 6);
		return PKL_PROTO_DATA;
	case 2:
		ic->mtu6 = pkl_be32(p + 4);
		break;
	case 4:
		ic->pointer = pkl_be32(p + 4);
		break;
	case 135:
	case 136:
	case 137:
		if (l->caplen >= ICMPV6_HLEN + 16) {
			ic->has_target = true;
			memcpy(ic->target, p + ICMPV6_HLEN, 16);
		}
		return PKL_PROTO_DATA;
	default:
		break;
	}
	if (ic->type > 4 || ic->type == 0 || (l->flags & PKL_LAYER_QUOTED))
		return PKL_PROTO_DATA;
	ic->quotes = true;
	if (l->payload_len < IPV6_HLEN)
		return pkl_stop(pkt, l, PKL_EV_ICMP_QUOTE_SHORT, l->payload_len, IPV6_HLEN);
	l->flags |= PKL_LAYER_QUOTES;
	return PKL_PROTO_IPV6;
}
