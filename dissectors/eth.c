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
	{ 0x0800, "IPv4" },       { 0x0806, "ARP" },
	{ 0x8035, "RARP" },       { 0x8100, "802.1Q" },
	{ 0x88a8, "802.1ad" },    { 0x9100, "QinQ" },
	{ 0x86dd, "IPv6" },       { 0x8847, "MPLS" },
	{ 0x8848, "MPLS multicast" }, { 0x8863, "PPPoE discovery" },
	{ 0x8864, "PPPoE session" },  { 0x888e, "EAPOL" },
	{ 0x88cc, "LLDP" },       { 0x8808, "Ethernet flow control" },
	{ 0x88e5, "MACsec" },     { 0x88f7, "PTP" },
	{ 0x8809, "Slow protocols (LACP)" }, { 0x9000, "Loopback" },
	{ 0x22f0, "AVTP" },       { 0x88b5, "Local experimental" },
	{ 0x88b6, "Local experimental 2" }, { 0x0842, "Wake-on-LAN" },
	{ 0x8137, "IPX" },        { 0x809b, "AppleTalk" },
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
	case 0x0800:
		return PKL_PROTO_IPV4;
	case 0x86dd:
		return PKL_PROTO_IPV6;
	case 0x0806:
		return PKL_PROTO_ARP;
	case 0x8100:
	case 0x88a8:
	case 0x9100:
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
