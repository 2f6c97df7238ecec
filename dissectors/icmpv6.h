/* Internet Control Message Protocol for IPv6, RFC 4443; neighbour
 * discovery, RFC 4861. */
#ifndef PKL_DISSECT_ICMPV6_H
#define PKL_DISSECT_ICMPV6_H

#include "../src/packet.h"

/* Message types (IANA ICMPv6 parameters): errors below 128. */
enum {
	PKL_ICMPV6_UNREACH = 1,
	PKL_ICMPV6_PACKET_TOO_BIG = 2,
	PKL_ICMPV6_TIME_EXCEEDED = 3,
	PKL_ICMPV6_PARAM_PROBLEM = 4,
	PKL_ICMPV6_ECHO_REQUEST = 128,
	PKL_ICMPV6_ECHO_REPLY = 129,
	PKL_ICMPV6_MLD_QUERY = 130,
	PKL_ICMPV6_MLD_REPORT = 131,
	PKL_ICMPV6_MLD_DONE = 132,
	PKL_ICMPV6_ROUTER_SOLICIT = 133,
	PKL_ICMPV6_ROUTER_ADVERT = 134,
	PKL_ICMPV6_NEIGHBOR_SOLICIT = 135,
	PKL_ICMPV6_NEIGHBOR_ADVERT = 136,
	PKL_ICMPV6_REDIRECT = 137,
	PKL_ICMPV6_MLDV2_REPORT = 143,
};

/* Destination unreachable codes (RFC 4443 3.1). */
enum {
	PKL_ICMPV6_UNREACH_NOROUTE = 0,
	PKL_ICMPV6_UNREACH_ADMIN = 1,
	PKL_ICMPV6_UNREACH_BEYOND_SCOPE = 2,
	PKL_ICMPV6_UNREACH_ADDR = 3,
	PKL_ICMPV6_UNREACH_PORT = 4,
	PKL_ICMPV6_UNREACH_POLICY = 5,
	PKL_ICMPV6_UNREACH_REJECT_ROUTE = 6,
};

enum pkl_proto pkl_icmpv6_decode(struct pkl_packet *pkt, struct pkl_layer *l);

/* "echo request", "neighbor solicitation", ... or NULL. */
const char *pkl_icmpv6_type_name(uint8_t type);

#endif
