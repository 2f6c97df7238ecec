/* Internet Control Message Protocol for IPv4, RFC 792; code names from
 * the IANA ICMP parameters registry; next-hop MTU from RFC 1191.
 *
 * Error messages carry the IPv4 header and first 8 bytes of the datagram
 * that caused them: this dissector hands that quote on as an IPv4 layer
 * marked quoted, so it is decoded by the same dissectors as any other. */
#include "icmp.h"

#include <string.h>

#include "../src/bytes.h"
#include "../src/checksum.h"

#define ICMP_HLEN 8
#define ICMP_MIN_QUOTE 20

const char *
pkl_icmp_type_name(uint8_t type)
{
	static const char *const names[] = {
		[PKL_ICMP_ECHO_REPLY] = "echo reply",
		[PKL_ICMP_UNREACH] = "destination unreachable",
		[PKL_ICMP_SOURCE_QUENCH] = "source quench",
		[PKL_ICMP_REDIRECT] = "redirect",
		[PKL_ICMP_ECHO_REQUEST] = "echo request",
		[PKL_ICMP_ROUTER_ADVERT] = "router advertisement",
		[PKL_ICMP_ROUTER_SOLICIT] = "router solicitation",
		[PKL_ICMP_TIME_EXCEEDED] = "time exceeded",
		[PKL_ICMP_PARAM_PROBLEM] = "parameter problem",
		[PKL_ICMP_TIMESTAMP] = "timestamp request",
		[PKL_ICMP_TIMESTAMP_REPLY] = "timestamp reply",
		[PKL_ICMP_INFO_REQUEST] = "information request",
		[PKL_ICMP_INFO_REPLY] = "information reply",
		[PKL_ICMP_MASK_REQUEST] = "address mask request",
		[PKL_ICMP_MASK_REPLY] = "address mask reply",
	};
	return type < sizeof names / sizeof names[0] ? names[type] : NULL;
}

const char *
pkl_icmp_code_name(uint8_t type, uint8_t code)
{
	static const char *const unreach[] = {
		[PKL_ICMP_UNREACH_NET] = "network unreachable",
		[PKL_ICMP_UNREACH_HOST] = "host unreachable",
		[PKL_ICMP_UNREACH_PROTO] = "protocol unreachable",
		[PKL_ICMP_UNREACH_PORT] = "port unreachable",
		[PKL_ICMP_UNREACH_NEEDFRAG] = "fragmentation needed and DF set",
		[PKL_ICMP_UNREACH_SRCFAIL] = "source route failed",
		[PKL_ICMP_UNREACH_NET_UNKNOWN] = "destination network unknown",
		[PKL_ICMP_UNREACH_HOST_UNKNOWN] = "destination host unknown",
		[PKL_ICMP_UNREACH_ISOLATED] = "source host isolated",
		[PKL_ICMP_UNREACH_NET_PROHIB] = "network administratively prohibited",
		[PKL_ICMP_UNREACH_HOST_PROHIB] = "host administratively prohibited",
		[PKL_ICMP_UNREACH_TOSNET] = "network unreachable for TOS",
		[PKL_ICMP_UNREACH_TOSHOST] = "host unreachable for TOS",
		[PKL_ICMP_UNREACH_FILTER_PROHIB] = "communication administratively prohibited",
		[PKL_ICMP_UNREACH_HOST_PRECEDENCE] = "host precedence violation",
		[PKL_ICMP_UNREACH_PRECEDENCE_CUTOFF] = "precedence cutoff in effect",
	};
	static const char *const redirect[] = {
		[PKL_ICMP_REDIRECT_NET] = "for the network",
		[PKL_ICMP_REDIRECT_HOST] = "for the host",
		[PKL_ICMP_REDIRECT_TOSNET] = "for TOS and network",
		[PKL_ICMP_REDIRECT_TOSHOST] = "for TOS and host",
	};
	static const char *const exceeded[] = {
		[PKL_ICMP_EXCEEDED_TTL] = "TTL exceeded in transit",
		[PKL_ICMP_EXCEEDED_REASSEMBLY] = "fragment reassembly time exceeded",
	};
	static const char *const param[] = {
		[PKL_ICMP_PARAM_POINTER] = "pointer indicates the error",
		[PKL_ICMP_PARAM_OPTION_MISSING] = "missing a required option",
		[PKL_ICMP_PARAM_BAD_LENGTH] = "bad length",
	};

#define CODE_NAME(table) (code < sizeof table / sizeof table[0] ? table[code] : NULL)
	switch (type) {
	case PKL_ICMP_UNREACH: return CODE_NAME(unreach);
	case PKL_ICMP_REDIRECT: return CODE_NAME(redirect);
	case PKL_ICMP_TIME_EXCEEDED: return CODE_NAME(exceeded);
	case PKL_ICMP_PARAM_PROBLEM: return CODE_NAME(param);
	default: return NULL;
	}
#undef CODE_NAME
}

static bool
is_error(uint8_t type)
{
	return type == PKL_ICMP_UNREACH || type == PKL_ICMP_SOURCE_QUENCH ||
	       type == PKL_ICMP_REDIRECT || type == PKL_ICMP_TIME_EXCEEDED ||
	       type == PKL_ICMP_PARAM_PROBLEM;
}

bool
pkl_icmp_decode_header(struct pkl_packet *pkt, struct pkl_layer *l, uint8_t pseudo_proto,
		       enum pkl_event_code trunc, enum pkl_event_code bad_cksum)
{
	struct pkl_icmp *ic = &l->hdr.icmp;

	if (!pkl_need(pkt, l, 4, trunc))
		return false;
	const uint8_t *p = l->data;
	ic->type = p[0];
	ic->code = p[1];
	ic->cksum = pkl_be16(p + 2);
	l->flags |= PKL_LAYER_HEADER;

	/* The checksum covers the whole message; a quoted ICMP header is
	 * only its first bytes, and the first fragment of a datagram only
	 * the first part, so neither can be checked. */
	if (!(l->flags & PKL_LAYER_QUOTED) && pkl_transport_whole(pkt, l)) {
		uint16_t expected = 0;
		ic->cksum_status = pkl_cksum_verify(pkt, l, pseudo_proto, l->len, ic->cksum, 2,
						    &expected);
		if (ic->cksum_status == PKL_CK_BAD)
			pkl_event(pkt, l, bad_cksum, ic->cksum, expected);
	}
	return pkl_need(pkt, l, ICMP_HLEN, trunc);
}

enum pkl_proto
pkl_icmp_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_icmp *ic = &l->hdr.icmp;

	if (!pkl_icmp_decode_header(pkt, l, 0, PKL_EV_ICMP_TRUNC, PKL_EV_ICMP_BAD_CKSUM))
		return PKL_PROTO_NONE;
	const uint8_t *p = l->data;

	if ((ic->type <= PKL_ICMP_MASK_REPLY && ic->type >= PKL_ICMP_TIMESTAMP) ||
	    ic->type == PKL_ICMP_ECHO_REQUEST || ic->type == PKL_ICMP_ECHO_REPLY) {
		ic->has_echo = true;
		ic->ident = pkl_be16(p + 4);
		ic->seq = pkl_be16(p + 6);
	} else if (pkl_icmp_is_frag_needed(ic->type, ic->code)) {
		ic->next_hop_mtu = pkl_be16(p + 6);
	} else if (ic->type == PKL_ICMP_REDIRECT) {
		ic->has_gateway = true;
		memcpy(ic->gateway, p + 4, 4);
	} else if (ic->type == PKL_ICMP_PARAM_PROBLEM) {
		ic->pointer = p[4];
	}
	pkl_layer_set_payload(l, ICMP_HLEN, l->len);

	/* Errors about errors are never sent (RFC 1122 3.2.2), and a quote
	 * inside a quote would only be a hostile nesting: stop at one. */
	if (!is_error(ic->type) || (l->flags & PKL_LAYER_QUOTED))
		return PKL_PROTO_DATA;
	ic->quotes = true;
	if (l->payload_len < ICMP_MIN_QUOTE)
		return pkl_stop(pkt, l, PKL_EV_ICMP_QUOTE_SHORT, l->payload_len, ICMP_MIN_QUOTE);
	l->flags |= PKL_LAYER_QUOTES;
	return PKL_PROTO_IPV4;
}
