/* Internet Protocol version 6, RFC 8200: fixed header and the common
 * extension headers, walked to reach the upper-layer protocol. */
#ifndef PKL_DISSECT_IPV6_H
#define PKL_DISSECT_IPV6_H

#include "../src/packet.h"

/* The fixed header; extension headers are numbered among the IP
 * protocols (PKL_IPPROTO_HOPOPTS, _ROUTING, _FRAGMENT, _DSTOPTS). */
#define PKL_IPV6_HLEN 40

enum pkl_proto pkl_ipv6_decode(struct pkl_packet *pkt, struct pkl_layer *l);

/* "hop-by-hop", "routing", ... for an extension header this dissector
 * walks, or NULL. */
const char *pkl_ipv6_ext_name(uint8_t nxt);

#endif
