/* Internet Control Message Protocol for IPv6, RFC 4443; neighbour
 * discovery, RFC 4861. */
#ifndef PKL_DISSECT_ICMPV6_H
#define PKL_DISSECT_ICMPV6_H

#include "../src/packet.h"

enum pkl_proto pkl_icmpv6_decode(struct pkl_packet *pkt, struct pkl_layer *l);

/* "echo request", "neighbor solicitation", ... or NULL. */
const char *pkl_icmpv6_type_name(uint8_t type);

#endif
