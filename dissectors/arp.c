/* Address Resolution Protocol, RFC 826; probes and announcements, RFC 5227. */
#include "arp.h"

#include <string.h>

#include "../src/bytes.h"
#include "eth.h"

#define ARP_FIXED_LEN 8

const char *
pkl_arp_opcode_name(uint16_t op)
{
	static const char *const names[] = {
		[PKL_ARP_OP_REQUEST] = "request",
		[PKL_ARP_OP_REPLY] = "reply",
		[PKL_ARP_OP_RARP_REQUEST] = "RARP request",
		[PKL_ARP_OP_RARP_REPLY] = "RARP reply",
		[PKL_ARP_OP_INARP_REQUEST] = "InARP request",
		[PKL_ARP_OP_INARP_REPLY] = "InARP reply",
	};
	return op < sizeof names / sizeof names[0] ? names[op] : NULL;
}

const char *
pkl_arp_hwtype_name(uint16_t htype)
{
	switch (htype) {
	case PKL_ARP_HW_ETHERNET: return "ethernet";
	case PKL_ARP_HW_IEEE802: return "IEEE 802";
	case PKL_ARP_HW_FRAME_RELAY: return "frame relay";
	case PKL_ARP_HW_FIBRE_CHANNEL: return "fibre channel";
	case PKL_ARP_HW_SERIAL: return "serial";
	case PKL_ARP_HW_INFINIBAND: return "infiniband";
	default: return NULL;
	}
}

static enum pkl_arp_kind
arp_kind(const struct pkl_arp *a)
{
	static const uint8_t unspecified[4];

	if (a->op != PKL_ARP_OP_REQUEST && a->op != PKL_ARP_OP_REPLY)
		return PKL_ARP_OTHER;
	if (!a->addrs_decoded)
		return a->op == PKL_ARP_OP_REQUEST ? PKL_ARP_REQUEST : PKL_ARP_REPLY;
	if (a->op == PKL_ARP_OP_REQUEST && memcmp(a->spa, unspecified, 4) == 0)
		return PKL_ARP_PROBE;
	if (memcmp(a->spa, a->tpa, 4) == 0)
		return PKL_ARP_GRATUITOUS;
	return a->op == PKL_ARP_OP_REQUEST ? PKL_ARP_REQUEST : PKL_ARP_REPLY;
}

enum pkl_proto
pkl_arp_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_arp *a = &l->hdr.arp;

	if (!pkl_need(pkt, l, ARP_FIXED_LEN, PKL_EV_ARP_TRUNC))
		return PKL_PROTO_NONE;
	a->htype = pkl_be16(l->data);
	a->ptype = pkl_be16(l->data + 2);
	a->hlen = l->data[4];
	a->plen = l->data[5];
	a->op = pkl_be16(l->data + 6);
	l->flags |= PKL_LAYER_HEADER;

	uint32_t need = ARP_FIXED_LEN + 2u * a->hlen + 2u * a->plen;
	bool eth_ipv4 = a->htype == PKL_ARP_HW_ETHERNET && a->ptype == PKL_ETHERTYPE_IPV4;
	if (eth_ipv4 && a->hlen != 6)
		pkl_event(pkt, l, PKL_EV_ARP_BAD_HLEN, a->hlen, 0);
	else if (eth_ipv4 && a->plen != 4)
		pkl_event(pkt, l, PKL_EV_ARP_BAD_PLEN, a->plen, 0);
	else if (!eth_ipv4)
		pkl_event(pkt, l, PKL_EV_ARP_NOT_ETH_IPV4, a->htype, a->ptype);
	if (!pkl_arp_opcode_name(a->op))
		pkl_event(pkt, l, PKL_EV_ARP_UNKNOWN_OP, a->op, 0);

	if (!pkl_need(pkt, l, need, PKL_EV_ARP_TRUNC)) {
		a->kind = arp_kind(a);
		return PKL_PROTO_NONE;
	}
	pkl_layer_set_payload(l, need, 0);
	if (a->hlen == 6 && a->plen == 4) {
		const uint8_t *p = l->data + ARP_FIXED_LEN;
		memcpy(a->sha, p, 6);
		memcpy(a->spa, p + 6, 4);
		memcpy(a->tha, p + 10, 6);
		memcpy(a->tpa, p + 16, 4);
		a->addrs_decoded = true;
	}
	a->kind = arp_kind(a);
	/* Bytes after the addresses are Ethernet padding, not ARP. */
	return PKL_PROTO_NONE;
}
