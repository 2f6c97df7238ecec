/* BSD loopback encapsulation: a 4-byte address family before the IP
 * packet.  LINKTYPE_NULL stores it in the byte order of the machine that
 * captured, LINKTYPE_LOOP in network order; families fit in 16 bits, so
 * a value with the high half set was written in the other order. */
#include "null.h"

#include "../src/bytes.h"

#define NULL_HLEN 4

enum pkl_proto
pkl_null_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_null *n = &l->hdr.null;

	if (!pkl_need(pkt, l, NULL_HLEN, PKL_EV_NULL_TRUNC))
		return PKL_PROTO_NONE;
	uint32_t family = pkl_le32(l->data);
	if (family > 0xffff)
		family = pkl_be32(l->data);
	n->family = family;
	l->flags |= PKL_LAYER_HEADER;
	pkl_layer_set_payload(l, NULL_HLEN, l->len);

	switch (family) {
	case PKL_NULL_AF_INET:
		return PKL_PROTO_IPV4;
	case PKL_NULL_AF_INET6_LINUX:
	case PKL_NULL_AF_INET6_BSD:
	case PKL_NULL_AF_INET6_FREEBSD:
	case PKL_NULL_AF_INET6_DARWIN:
		return PKL_PROTO_IPV6;
	default:
		pkl_event(pkt, l, PKL_EV_NULL_UNKNOWN_FAMILY, family, l->payload_len);
		return PKL_PROTO_UNKNOWN;
	}
}
