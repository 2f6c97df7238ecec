/* Ethernet II and 802.3 (IEEE 802.3, RFC 894). */
#ifndef PKL_DISSECT_ETH_H
#define PKL_DISSECT_ETH_H

#include "../src/packet.h"

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
