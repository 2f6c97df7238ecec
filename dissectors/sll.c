/* Linux cooked captures, what `-i any` gives: SLL (16-byte header) and
 * SLL2 (20 bytes, adds the interface index), as described at
 * tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html and ..._SLL2.html. */
#include "sll.h"

#include <string.h>

#include "../src/bytes.h"
#include "eth.h"

#define SLL_HLEN 16
#define SLL2_HLEN 20
#define SLL_MAX_ADDR 8

const char *
pkl_sll_pkttype_name(uint16_t pkttype)
{
	static const char *const names[] = {
		[PKL_SLL_HOST] = "to us",
		[PKL_SLL_BROADCAST] = "broadcast",
		[PKL_SLL_MULTICAST] = "multicast",
		[PKL_SLL_OTHERHOST] = "to another host",
		[PKL_SLL_OUTGOING] = "sent by us",
	};
	return pkttype < sizeof names / sizeof names[0] ? names[pkttype] : "unknown";
}

/* Shared tail of both versions: the address and the protocol to hand on. */
static enum pkl_proto
sll_finish(struct pkl_packet *pkt, struct pkl_layer *l, const uint8_t *addr,
	   uint32_t hlen)
{
	struct pkl_sll *s = &l->hdr.sll;

	memcpy(s->addr, addr, SLL_MAX_ADDR);
	l->flags |= PKL_LAYER_HEADER;
	pkl_layer_set_payload(l, hlen, l->len);
	if (s->addr_len > SLL_MAX_ADDR)
		pkl_event(pkt, l, PKL_EV_SLL_ADDR_LEN, s->addr_len, 0);

	enum pkl_proto next = s->hatype == PKL_SLL_ARPHRD_NETLINK ? PKL_PROTO_UNKNOWN
							  : pkl_ethertype_proto(s->protocol);
	if (next == PKL_PROTO_UNKNOWN)
		pkl_event(pkt, l, PKL_EV_SLL_UNKNOWN_PROTO, s->protocol, l->payload_len);
	return next;
}

enum pkl_proto
pkl_sll_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_sll *s = &l->hdr.sll;

	if (!pkl_need(pkt, l, SLL_HLEN, PKL_EV_SLL_TRUNC))
		return PKL_PROTO_NONE;
	s->pkttype = pkl_be16(l->data);
	s->hatype = pkl_be16(l->data + 2);
	s->addr_len = pkl_be16(l->data + 4);
	s->protocol = pkl_be16(l->data + 14);
	return sll_finish(pkt, l, l->data + 6, SLL_HLEN);
}

enum pkl_proto
pkl_sll2_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_sll *s = &l->hdr.sll;

	if (!pkl_need(pkt, l, SLL2_HLEN, PKL_EV_SLL_TRUNC))
		return PKL_PROTO_NONE;
	s->protocol = pkl_be16(l->data);
	s->ifindex = pkl_be32(l->data + 4);
	s->hatype = pkl_be16(l->data + 8);
	s->pkttype = l->data[10];
	s->addr_len = l->data[11];
	return sll_finish(pkt, l, l->data + 12, SLL2_HLEN);
}
