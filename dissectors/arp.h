/* Address Resolution Protocol, RFC 826; probes and announcements, RFC 5227. */
#ifndef PKL_DISSECT_ARP_H
#define PKL_DISSECT_ARP_H

#include "../src/packet.h"

enum pkl_proto pkl_arp_decode(struct pkl_packet *pkt, struct pkl_layer *l);

/* "request", "reply", "RARP request", ... or NULL for unknown opcodes. */
const char *pkl_arp_opcode_name(uint16_t op);
/* "ethernet", "IEEE 802", ... or NULL. */
const char *pkl_arp_hwtype_name(uint16_t htype);

#endif
