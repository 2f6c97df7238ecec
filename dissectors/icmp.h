/* Internet Control Message Protocol for IPv4, RFC 792 (and RFC 1191 for
 * the next-hop MTU). */
#ifndef PKL_DISSECT_ICMP_H
#define PKL_DISSECT_ICMP_H

#include "../src/packet.h"

enum pkl_proto pkl_icmp_decode(struct pkl_packet *pkt, struct pkl_layer *l);

/* The 8 bytes every ICMPv4 and ICMPv6 message starts with: type, code,
 * checksum (verified over the message, with the IPv6 pseudo-header when
 * pseudo_proto is 58).  False when they were not all there. */
bool pkl_icmp_decode_header(struct pkl_packet *pkt, struct pkl_layer *l, uint8_t pseudo_proto,
			    enum pkl_event_code trunc, enum pkl_event_code bad_cksum);

/* "echo request", "destination unreachable", ... or NULL. */
const char *pkl_icmp_type_name(uint8_t type);
/* "port unreachable", "TTL exceeded in transit", ... or NULL. */
const char *pkl_icmp_code_name(uint8_t type, uint8_t code);

#endif
