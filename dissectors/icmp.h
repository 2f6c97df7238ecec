/* Internet Control Message Protocol for IPv4, RFC 792 (and RFC 1191 for
 * the next-hop MTU). */
#ifndef PKL_DISSECT_ICMP_H
#define PKL_DISSECT_ICMP_H

#include "../src/packet.h"

/* Message types (IANA ICMP parameters). */
enum {
	PKL_ICMP_ECHO_REPLY = 0,
	PKL_ICMP_UNREACH = 3,
	PKL_ICMP_SOURCE_QUENCH = 4,
	PKL_ICMP_REDIRECT = 5,
	PKL_ICMP_ECHO_REQUEST = 8,
	PKL_ICMP_ROUTER_ADVERT = 9,
	PKL_ICMP_ROUTER_SOLICIT = 10,
	PKL_ICMP_TIME_EXCEEDED = 11,
	PKL_ICMP_PARAM_PROBLEM = 12,
	PKL_ICMP_TIMESTAMP = 13,
	PKL_ICMP_TIMESTAMP_REPLY = 14,
	PKL_ICMP_INFO_REQUEST = 15,
	PKL_ICMP_INFO_REPLY = 16,
	PKL_ICMP_MASK_REQUEST = 17,
	PKL_ICMP_MASK_REPLY = 18,
};

/* Destination unreachable codes (RFC 792, RFC 1812 5.2.7.1). */
enum {
	PKL_ICMP_UNREACH_NET = 0,
	PKL_ICMP_UNREACH_HOST = 1,
	PKL_ICMP_UNREACH_PROTO = 2,
	PKL_ICMP_UNREACH_PORT = 3,
	PKL_ICMP_UNREACH_NEEDFRAG = 4,      /* carries the next-hop MTU */
	PKL_ICMP_UNREACH_SRCFAIL = 5,
	PKL_ICMP_UNREACH_NET_UNKNOWN = 6,
	PKL_ICMP_UNREACH_HOST_UNKNOWN = 7,
	PKL_ICMP_UNREACH_ISOLATED = 8,
	PKL_ICMP_UNREACH_NET_PROHIB = 9,
	PKL_ICMP_UNREACH_HOST_PROHIB = 10,
	PKL_ICMP_UNREACH_TOSNET = 11,
	PKL_ICMP_UNREACH_TOSHOST = 12,
	PKL_ICMP_UNREACH_FILTER_PROHIB = 13,
	PKL_ICMP_UNREACH_HOST_PRECEDENCE = 14,
	PKL_ICMP_UNREACH_PRECEDENCE_CUTOFF = 15,
};

/* Redirect codes. */
enum {
	PKL_ICMP_REDIRECT_NET = 0,
	PKL_ICMP_REDIRECT_HOST = 1,
	PKL_ICMP_REDIRECT_TOSNET = 2,
	PKL_ICMP_REDIRECT_TOSHOST = 3,
};

/* Time exceeded codes. */
enum {
	PKL_ICMP_EXCEEDED_TTL = 0,
	PKL_ICMP_EXCEEDED_REASSEMBLY = 1,
};

/* Parameter problem codes. */
enum {
	PKL_ICMP_PARAM_POINTER = 0,
	PKL_ICMP_PARAM_OPTION_MISSING = 1,
	PKL_ICMP_PARAM_BAD_LENGTH = 2,
};

/* "Fragmentation needed and DF set": the message that carries the
 * next-hop MTU (RFC 1191). */
static inline bool
pkl_icmp_is_frag_needed(uint8_t type, uint8_t code)
{
	return type == PKL_ICMP_UNREACH && code == PKL_ICMP_UNREACH_NEEDFRAG;
}

enum pkl_proto pkl_icmp_decode(struct pkl_packet *pkt, struct pkl_layer *l);

/* The 8 bytes every ICMPv4 and ICMPv6 message starts with: type, code,
 * checksum (verified over the message, with the IPv6 pseudo-header when
 * pseudo_proto is PKL_IPPROTO_ICMPV6).  False when they were not all there. */
bool pkl_icmp_decode_header(struct pkl_packet *pkt, struct pkl_layer *l, uint8_t pseudo_proto,
			    enum pkl_event_code trunc, enum pkl_event_code bad_cksum);

/* "echo request", "destination unreachable", ... or NULL. */
const char *pkl_icmp_type_name(uint8_t type);
/* "port unreachable", "TTL exceeded in transit", ... or NULL. */
const char *pkl_icmp_code_name(uint8_t type, uint8_t code);

#endif
