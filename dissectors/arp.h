/* Address Resolution Protocol, RFC 826; probes and announcements, RFC 5227. */
#ifndef PKL_DISSECT_ARP_H
#define PKL_DISSECT_ARP_H

#include "../src/packet.h"

/* Opcodes (IANA ARP parameters; RARP, RFC 903; InARP, RFC 2390). */
enum {
	PKL_ARP_OP_REQUEST = 1,
	PKL_ARP_OP_REPLY = 2,
	PKL_ARP_OP_RARP_REQUEST = 3,
	PKL_ARP_OP_RARP_REPLY = 4,
	PKL_ARP_OP_INARP_REQUEST = 8,
	PKL_ARP_OP_INARP_REPLY = 9,
};

/* Hardware types (IANA ARP parameters). */
enum {
	PKL_ARP_HW_ETHERNET = 1,
	PKL_ARP_HW_IEEE802 = 6,
	PKL_ARP_HW_FRAME_RELAY = 15,
	PKL_ARP_HW_FIBRE_CHANNEL = 18,
	PKL_ARP_HW_SERIAL = 20,
	PKL_ARP_HW_INFINIBAND = 32,
};

enum pkl_proto pkl_arp_decode(struct pkl_packet *pkt, struct pkl_layer *l);

/* "request", "reply", "RARP request", ... or NULL for unknown opcodes. */
const char *pkl_arp_opcode_name(uint16_t op);
/* "ethernet", "IEEE 802", ... or NULL. */
const char *pkl_arp_hwtype_name(uint16_t htype);

#endif
