/* Internet Protocol version 4, RFC 791. */
#ifndef PKL_DISSECT_IPV4_H
#define PKL_DISSECT_IPV4_H

#include "../src/packet.h"

/* IP protocol numbers (IANA), also IPv6's next header values: those
 * decoded, IPv6's extension headers, and those named. */
enum {
	PKL_IPPROTO_HOPOPTS = 0,    /* IPv6 hop-by-hop options */
	PKL_IPPROTO_ICMP = 1,
	PKL_IPPROTO_IGMP = 2,
	PKL_IPPROTO_IPIP = 4,
	PKL_IPPROTO_TCP = 6,
	PKL_IPPROTO_UDP = 17,
	PKL_IPPROTO_IPV6 = 41,
	PKL_IPPROTO_ROUTING = 43,   /* IPv6 routing header */
	PKL_IPPROTO_FRAGMENT = 44,  /* IPv6 fragment header */
	PKL_IPPROTO_GRE = 47,
	PKL_IPPROTO_ESP = 50,
	PKL_IPPROTO_AH = 51,
	PKL_IPPROTO_ICMPV6 = 58,
	PKL_IPPROTO_NONE = 59,      /* IPv6: no next header */
	PKL_IPPROTO_DSTOPTS = 60,   /* IPv6 destination options */
	PKL_IPPROTO_EIGRP = 88,
	PKL_IPPROTO_OSPF = 89,
	PKL_IPPROTO_PIM = 103,
	PKL_IPPROTO_VRRP = 112,
	PKL_IPPROTO_SCTP = 132,
	PKL_IPPROTO_UDPLITE = 136,
};

/* IPv4 option types (IANA IP parameters). */
enum {
	PKL_IPOPT_EOL = 0,
	PKL_IPOPT_NOP = 1,
	PKL_IPOPT_RR = 7,
	PKL_IPOPT_TS = 68,
	PKL_IPOPT_SEC = 130,
	PKL_IPOPT_LSRR = 131,
	PKL_IPOPT_SID = 136,
	PKL_IPOPT_SSRR = 137,
	PKL_IPOPT_RTRALT = 148,
};

/* The header without options; ihl counts it in 32-bit words. */
#define PKL_IPV4_MIN_HLEN 20

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
