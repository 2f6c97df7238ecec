/* Linux cooked captures: SLL (LINKTYPE_LINUX_SLL) and SLL2 (LINKTYPE_LINUX_SLL2). */
#ifndef PKL_DISSECT_SLL_H
#define PKL_DISSECT_SLL_H

#include "../src/packet.h"

/* Packet types (Linux PACKET_*): who the frame was for. */
enum {
	PKL_SLL_HOST = 0,
	PKL_SLL_BROADCAST = 1,
	PKL_SLL_MULTICAST = 2,
	PKL_SLL_OTHERHOST = 3,
	PKL_SLL_OUTGOING = 4,
};

/* Link types (Linux ARPHRD_*) whose protocol field is no EtherType. */
enum {
	PKL_SLL_ARPHRD_NETLINK = 824,
};

enum pkl_proto pkl_sll_decode(struct pkl_packet *pkt, struct pkl_layer *l);
enum pkl_proto pkl_sll2_decode(struct pkl_packet *pkt, struct pkl_layer *l);

/* "to us", "broadcast", ... for the packet type field. */
const char *pkl_sll_pkttype_name(uint16_t pkttype);

#endif
