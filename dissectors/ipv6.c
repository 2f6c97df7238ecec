/* Internet Protocol version 6, RFC 8200.
 *
 * The fixed header, then the extension headers that share the generic
 * (next header, length) shape: hop-by-hop (0), routing (43), fragment
 * (44) and destination options (60).  They are part of this layer: the
 * payload handed on starts at the upper-layer header. */
#include "ipv6.h"

#include <string.h>

#include "../src/bytes.h"
#include "ipv4.h"

#define FRAGMENT_HLEN 8

/* Routing header types that name the final destination. */
enum {
	ROUTING_SOURCE = 0,         /* deprecated, RFC 5095 */
	ROUTING_MOBILE = 2,         /* RFC 6275 */
	ROUTING_SEGMENT = 4,        /* RFC 8754 */
};

const char *
pkl_ipv6_ext_name(uint8_t nxt)
{
	switch (nxt) {
	case PKL_IPPROTO_HOPOPTS: return "hop-by-hop";
	case PKL_IPPROTO_ROUTING: return "routing";
	case PKL_IPPROTO_FRAGMENT: return "fragment";
	case PKL_IPPROTO_DSTOPTS: return "destination options";
	default: return NULL;
	}
}

static bool
is_walked_extension(uint8_t nxt)
{
	return pkl_ipv6_ext_name(nxt) != NULL;
}

/* A routing header with segments left names the final destination,
 * which transport checksums cover instead of the current one (RFC 8200
 * section 8.1): the last address of type 0 and 2 (RFC 6275), segment
 * list[0] of a segment routing header (type 4, RFC 8754). */
static void
routing_final_dst(struct pkl_ipv6 *ip, const uint8_t *rh, uint32_t len)
{
	uint8_t type = rh[2];

	if ((type == ROUTING_SOURCE || type == ROUTING_MOBILE) && len >= 24)
		memcpy(ip->final_dst, rh + 8 + (len - 8) / 16 * 16 - 16, 16);
	else if (type == ROUTING_SEGMENT && len >= 24)
		memcpy(ip->final_dst, rh + 8, 16);
}

enum pkl_proto
pkl_ipv6_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_ipv6 *ip = &l->hdr.ipv6;

	if (!pkl_need(pkt, l, PKL_IPV6_HLEN, PKL_EV_IPV6_TRUNC))
		return PKL_PROTO_NONE;
	const uint8_t *p = l->data;
	uint32_t word = pkl_be32(p);
	ip->version = (uint8_t)(word >> 28);
	ip->tclass = (uint8_t)(word >> 20);
	ip->flow = word & 0xfffff;
	ip->payload_len = pkl_be16(p + 4);
	ip->nxt = p[6];
	ip->hlim = p[7];
	memcpy(ip->src, p + 8, 16);
	memcpy(ip->dst, p + 24, 16);
	l->flags |= PKL_LAYER_HEADER;
	memcpy(ip->final_dst, ip->dst, 16);
	ip->upper = ip->nxt;

	if (ip->version != 6)
		return pkl_stop(pkt, l, PKL_EV_IPV6_BAD_VERSION, ip->version, 0);

	uint32_t payload = ip->payload_len;
	if (payload == 0) {
		pkl_event(pkt, l, PKL_EV_IPV6_JUMBO, 0, 0);
		payload = l->len - PKL_IPV6_HLEN;
	} else if (PKL_IPV6_HLEN + payload > l->len && !(l->flags & PKL_LAYER_QUOTED)) {
		pkl_event(pkt, l, PKL_EV_IPV6_PLEN_LONG, payload, l->len - PKL_IPV6_HLEN);
		payload = l->len - PKL_IPV6_HLEN;
	}

	uint32_t off = PKL_IPV6_HLEN;
	uint32_t end = PKL_IPV6_HLEN + payload;
	while (is_walked_extension(ip->upper)) {
		uint8_t type = ip->upper;
		if (ip->n_ext < sizeof ip->ext)
			ip->ext[ip->n_ext++] = type;
		/* Malformed when the payload cannot hold it, truncated when
		 * only the capture did not: check the wire first. */
		if (off + 2 > end) {
			pkl_layer_set_payload(l, off, 0);
			return pkl_stop(pkt, l, PKL_EV_IPV6_EXT_BAD_LEN, type, end - off);
		}
		if (off + 2 > l->caplen) {
			pkl_layer_set_payload(l, off, 0);
			return pkl_stop(pkt, l, PKL_EV_IPV6_EXT_TRUNC, type, l->caplen);
		}
		uint32_t ext_len = type == PKL_IPPROTO_FRAGMENT ? FRAGMENT_HLEN
							: (p[off + 1] + 1u) * 8u;
		if (off + ext_len > end) {
			pkl_layer_set_payload(l, off, 0);
			return pkl_stop(pkt, l, PKL_EV_IPV6_EXT_BAD_LEN, type, end - off);
		}
		/* The whole header must be captured: the next layer starts
		 * after it. */
		if (off + ext_len > l->caplen) {
			pkl_layer_set_payload(l, off, 0);
			return pkl_stop(pkt, l, PKL_EV_IPV6_EXT_TRUNC, type, l->caplen);
		}
		if (type == PKL_IPPROTO_FRAGMENT) {
			ip->fragment = true;
			ip->frag_offset = pkl_be16(p + off + 2) >> 3;
			ip->frag_more = p[off + 3] & 1;
		}
		if (type == PKL_IPPROTO_ROUTING && p[off + 3] != 0)
			routing_final_dst(ip, p + off, ext_len);
		ip->upper = p[off];
		off += ext_len;
	}
	pkl_layer_set_payload(l, off, end - off);

	if (ip->fragment && ip->frag_offset != 0)
		return PKL_PROTO_DATA;
	enum pkl_proto next = pkl_ipproto_proto(ip->upper);
	if (next == PKL_PROTO_UNKNOWN && ip->upper != PKL_IPPROTO_NONE)
		pkl_event(pkt, l, PKL_EV_IPV6_UNKNOWN_PROTO, ip->upper, l->payload_len);
	if (next == PKL_PROTO_ICMP)   /* ICMPv4 inside IPv6 is not a thing */
		next = PKL_PROTO_UNKNOWN;
	return ip->upper == PKL_IPPROTO_NONE ? PKL_PROTO_DATA : next;
}
