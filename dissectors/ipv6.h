/* Internet Protocol version 6, RFC 8200: fixed header and the common
 * extension headers, walked to reach the upper-layer protocol. */
#ifndef PKL_DISSECT_IPV6_H
#define PKL_DISSECT_IPV6_H

#include "../src/packet.h"

enum pkl_proto pkl_ipv6_decode(struct pkl_packet *pkt, struct pkl_layer *l);

#endif
