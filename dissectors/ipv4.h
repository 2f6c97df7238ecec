/* Internet Protocol version 4, RFC 791. */
#ifndef PKL_DISSECT_IPV4_H
#define PKL_DISSECT_IPV4_H

#include "../src/packet.h"

enum pkl_proto pkl_ipv4_decode(struct pkl_packet *pkt, struct pkl_layer *l);

/* The protocol an IP protocol number carries: shared with IPv6. */
enum pkl_proto pkl_ipproto_proto(uint8_t proto);
/* "TCP", "UDP", ... or NULL when unnamed. */
const char *pkl_ipproto_name(uint8_t proto);
/* "RR", "TS", ... for an IPv4 option type, or NULL. */
const char *pkl_ipv4_option_name(uint8_t type);

/* Is this datagram a fragment other than a complete one?  Then the
 * transport checksum covers bytes this frame does not have. */
static inline bool
pkl_ipv4_is_fragment(const struct pkl_ipv4 *ip)
{
	return ip->mf || ip->frag_offset != 0;
}

#endif
