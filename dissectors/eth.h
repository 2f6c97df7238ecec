/* Ethernet II and 802.3 (IEEE 802.3, RFC 894). */
#ifndef PKL_DISSECT_ETH_H
#define PKL_DISSECT_ETH_H

#include "../src/packet.h"

/* EtherTypes (IEEE registry): those decoded, and those named. */
enum {
	PKL_ETHERTYPE_IPV4 = 0x0800,
	PKL_ETHERTYPE_ARP = 0x0806,
	PKL_ETHERTYPE_WOL = 0x0842,          /* Wake-on-LAN */
	PKL_ETHERTYPE_AVTP = 0x22f0,
	PKL_ETHERTYPE_RARP = 0x8035,
	PKL_ETHERTYPE_APPLETALK = 0x809b,
	PKL_ETHERTYPE_VLAN = 0x8100,         /* 802.1Q customer tag */
	PKL_ETHERTYPE_IPX = 0x8137,
	PKL_ETHERTYPE_IPV6 = 0x86dd,
	PKL_ETHERTYPE_FLOW_CONTROL = 0x8808,
	PKL_ETHERTYPE_SLOW = 0x8809,         /* slow protocols: LACP */
	PKL_ETHERTYPE_MPLS = 0x8847,
	PKL_ETHERTYPE_MPLS_MCAST = 0x8848,
	PKL_ETHERTYPE_PPPOE_DISC = 0x8863,
	PKL_ETHERTYPE_PPPOE_SESS = 0x8864,
	PKL_ETHERTYPE_EAPOL = 0x888e,
	PKL_ETHERTYPE_QINQ = 0x88a8,         /* 802.1ad service tag */
	PKL_ETHERTYPE_LOCAL_EXP1 = 0x88b5,
	PKL_ETHERTYPE_LOCAL_EXP2 = 0x88b6,
	PKL_ETHERTYPE_LLDP = 0x88cc,
	PKL_ETHERTYPE_MACSEC = 0x88e5,
	PKL_ETHERTYPE_PTP = 0x88f7,
	PKL_ETHERTYPE_LOOPBACK = 0x9000,
	PKL_ETHERTYPE_QINQ_OLD = 0x9100,     /* service tag before 802.1ad */
};

enum pkl_proto pkl_eth_decode(struct pkl_packet *pkt, struct pkl_layer *l);

/* The protocol an EtherType carries: shared by Ethernet, VLAN tags and
 * Linux cooked captures. */
enum pkl_proto pkl_ethertype_proto(uint16_t type);
/* "IPv4", "ARP", ... or NULL when unnamed. */
const char *pkl_ethertype_name(uint16_t type);

static inline bool
pkl_mac_is_broadcast(const uint8_t m[6])
{
	return (m[0] & m[1] & m[2] & m[3] & m[4] & m[5]) == 0xff;
}

static inline bool
pkl_mac_is_multicast(const uint8_t m[6])
{
	return (m[0] & 1) && !pkl_mac_is_broadcast(m);
}

#endif
