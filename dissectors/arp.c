/* Address Resolution Protocol, RFC 826; probes and announcements, RFC 5227. */
#include "arp.h"

#include <string.h>

#include "../src/bytes.h"

#define ARP_FIXED_LEN 8
#define ARP_HTYPE_ETHERNET 1
#define ARP_PTYPE_IPV4 0x0800

const char *
pkl_arp_opcode_name(uint16_t op)
{
	static const char *const names[] = {
		[1] = "request", [2] = "reply",
		[3] = "RARP request", [4] = "RARP reply",
		[8] = "InARP request", [9] = "InARP reply",
	};
	return op < sizeof names / sizeof names[0] ? names[op] : NULL;
}

const char *
pkl_arp_hwtype_name(uint16_t htype)
{
	switch (htype) {
	case 1: return "ethernet";
	case 6: return "IEEE 802";
	case 15: return "frame relay";
	case 18: return "fibre channel";
	case 20: return "serial";
	case 32: return "infiniband";
	default: return NULL;
	}
}

static enum pkl_arp_kind
arp_kind(const struct pkl_arp *a)
{
	static const uint8_t unspecified[4];

	if (a->op != 1 && a->op != 2)
		return PKL_ARP_OTHER;
	if (!a->addrs_decoded)
		return a->op == 1 ? PKL_ARP_REQUEST : PKL_ARP_REPLY;
	if (a->op == 1 && memcmp(a->spa, unspecified, 4) == 0)
		return PKL_ARP_PROBE;
	if (memcmp(a->spa, a->tpa, 4) == 0)
		return PKL_ARP_GRATUITOUS;
	return a->op == 1 ? PKL_ARP_REQUEST : PKL_ARP_REPLY;
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
	bool eth_ipv4 = a->htype == ARP_HTYPE_ETHERNET && a->ptype == ARP_PTYPE_IPV4;
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
