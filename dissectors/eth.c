/* Ethernet II and 802.3 (IEEE 802.3; RFC 894 for IP over Ethernet). */
#include "eth.h"

#include <string.h>

#include "../src/bytes.h"

#define ETH_HLEN 14
#define ETH_MAX_8023_LEN 1500

static const struct {
	uint16_t type;
	const char *name;
} ethertype_names[] = {
	{ PKL_ETHERTYPE_IPV4, "IPv4" },
	{ PKL_ETHERTYPE_ARP, "ARP" },
	{ PKL_ETHERTYPE_RARP, "RARP" },
	{ PKL_ETHERTYPE_VLAN, "802.1Q" },
	{ PKL_ETHERTYPE_QINQ, "802.1ad" },
	{ PKL_ETHERTYPE_QINQ_OLD, "QinQ" },
	{ PKL_ETHERTYPE_IPV6, "IPv6" },
	{ PKL_ETHERTYPE_MPLS, "MPLS" },
	{ PKL_ETHERTYPE_MPLS_MCAST, "MPLS multicast" },
	{ PKL_ETHERTYPE_PPPOE_DISC, "PPPoE discovery" },
	{ PKL_ETHERTYPE_PPPOE_SESS, "PPPoE session" },
	{ PKL_ETHERTYPE_EAPOL, "EAPOL" },
	{ PKL_ETHERTYPE_LLDP, "LLDP" },
	{ PKL_ETHERTYPE_FLOW_CONTROL, "Ethernet flow control" },
	{ PKL_ETHERTYPE_MACSEC, "MACsec" },
	{ PKL_ETHERTYPE_PTP, "PTP" },
	{ PKL_ETHERTYPE_SLOW, "Slow protocols (LACP)" },
	{ PKL_ETHERTYPE_LOOPBACK, "Loopback" },
	{ PKL_ETHERTYPE_AVTP, "AVTP" },
	{ PKL_ETHERTYPE_LOCAL_EXP1, "Local experimental" },
	{ PKL_ETHERTYPE_LOCAL_EXP2, "Local experimental 2" },
	{ PKL_ETHERTYPE_WOL, "Wake-on-LAN" },
	{ PKL_ETHERTYPE_IPX, "IPX" },
	{ PKL_ETHERTYPE_APPLETALK, "AppleTalk" },
};

const char *
pkl_ethertype_name(uint16_t type)
{
	for (size_t i = 0; i < sizeof ethertype_names / sizeof ethertype_names[0]; i++)
		if (ethertype_names[i].type == type)
			return ethertype_names[i].name;
	return NULL;
}

enum pkl_proto
pkl_ethertype_proto(uint16_t type)
{
	switch (type) {
	case PKL_ETHERTYPE_IPV4:
		return PKL_PROTO_IPV4;
	case PKL_ETHERTYPE_IPV6:
		return PKL_PROTO_IPV6;
	case PKL_ETHERTYPE_ARP:
		return PKL_PROTO_ARP;
	case PKL_ETHERTYPE_VLAN:
	case PKL_ETHERTYPE_QINQ:
	case PKL_ETHERTYPE_QINQ_OLD:
		return PKL_PROTO_VLAN;
	default:
		return PKL_PROTO_UNKNOWN;
	}
}

enum pkl_proto
pkl_eth_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_eth *e = &l->hdr.eth;

	if (!pkl_need(pkt, l, ETH_HLEN, PKL_EV_ETH_TRUNC)) {
		/* Keep the addresses that did arrive. */
		if (l->caplen >= 6)
			memcpy(e->dst, l->data, 6);
		if (l->caplen >= 12)
			memcpy(e->src, l->data + 6, 6);
		return PKL_PROTO_NONE;
	}
	memcpy(e->dst, l->data, 6);
	memcpy(e->src, l->data + 6, 6);
	e->type = pkl_be16(l->data + 12);
	l->flags |= PKL_LAYER_HEADER;

	if (e->type <= ETH_MAX_8023_LEN) {
		/* An 802.3 length field: the LLC payload is not decoded. */
		e->is_8023 = true;
		pkl_layer_set_payload(l, ETH_HLEN, e->type);
		if (e->type > l->len - ETH_HLEN)
			pkl_event(pkt, l, PKL_EV_ETH_8023_LEN, e->type, l->len - ETH_HLEN);
		pkl_event(pkt, l, PKL_EV_ETH_8023, e->type, 0);
		return PKL_PROTO_DATA;
	}
	pkl_layer_set_payload(l, ETH_HLEN, l->len);
	enum pkl_proto next = pkl_ethertype_proto(e->type);
	if (next == PKL_PROTO_UNKNOWN)
		pkl_event(pkt, l, PKL_EV_ETH_UNKNOWN_TYPE, e->type, l->payload_len);
	return next;
}
