/* User Datagram Protocol, RFC 768. */
#ifndef PKL_DISSECT_UDP_H
#define PKL_DISSECT_UDP_H

#include "../src/packet.h"

/* The header, which the length field counts. */
#define PKL_UDP_HLEN 8

enum pkl_proto pkl_udp_decode(struct pkl_packet *pkt, struct pkl_layer *l);

#endif
