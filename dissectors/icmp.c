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

enum {
	ICMP_ECHO_REPLY = 0,
	ICMP_UNREACH = 3,
	ICMP_SOURCE_QUENCH = 4,
	ICMP_REDIRECT = 5,
	ICMP_ECHO = 8,
	ICMP_TIME_EXCEEDED = 11,
	ICMP_PARAM_PROBLEM = 12,
	ICMP_TIMESTAMP = 13,
	ICMP_ADDRESS_MASK_REPLY = 18,
};

const char *
pkl_icmp_type_name(uint8_t type)
{
	static const char *const names[] = {
		[0] = "echo reply",
		[3] = "destination unreachable",
		[4] = "source quench",
		[5] = "redirect",
		[8] = "echo request",
		[9] = "router advertisement",
		[10] = "router solicitation",
		[11] = "time exceeded",
		[12] = "parameter problem",
		[13] = "timestamp request",
		[14] = "timestamp reply",
		[15] = "information request",
		[16] = "information reply",
		[17] = "address mask request",
		[18] = "address mask reply",
	};
	return type < sizeof names / sizeof names[0] ? names[type] : NULL;
}

const char *
pkl_icmp_code_name(uint8_t type, uint8_t code)
{
	static const char *const unreach[] = {
		"network unreachable", "host unreachable", "protocol unreachable",
		"port unreachable", "fragmentation needed and DF set",
		"source route failed", "destination network unknown",
		"destination host unknown", "source host isolated",
		"network administratively prohibited", "host administratively prohibited",
		"network unreachable for TOS", "host unreachable for TOS",
		"communication administratively prohibited", "host precedence violation",
		"precedence cutoff in effect",
	};
	static const char *const redirect[] = {
		"for the network", "for the host", "for TOS and network", "for TOS and host",
	};
	static const char *const exceeded[] = {
		"TTL exceeded in transit", "fragment reassembly time exceeded",
	};
	static const char *const param[] = {
		"pointer indicates the error", "missing a required option", "bad length",
	};

#define CODE_NAME(table) (code < sizeof table / sizeof table[0] ? table[code] : NULL)
	switch (type) {
	case ICMP_UNREACH: return CODE_NAME(unreach);
	case ICMP_REDIRECT: return CODE_NAME(redirect);
	case ICMP_TIME_EXCEEDED: return CODE_NAME(exceeded);
	case ICMP_PARAM_PROBLEM: return CODE_NAME(param);
	default: return NULL;
	}
#undef CODE_NAME
}

static bool
is_error(uint8_t type)
{
	return type == ICMP_UNREACH || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_REDIRECT || type == ICMP_TIME_EXCEEDED ||
	       type == ICMP_PARAM_PROBLEM;
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
	 * only its first bytes, so it cannot be checked. */
	if (!(l->flags & PKL_LAYER_QUOTED)) {
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

	if ((ic->type <= ICMP_ADDRESS_MASK_REPLY && ic->type >= ICMP_TIMESTAMP) ||
	    ic->type == ICMP_ECHO || ic->type == ICMP_ECHO_REPLY) {
		ic->has_echo = true;
		ic->ident = pkl_be16(p + 4);
		ic->seq = pkl_be16(p + 6);
	} else if (ic->type == ICMP_UNREACH && ic->code == 4) {
		ic->next_hop_mtu = pkl_be16(p + 6);
	} else if (ic->type == ICMP_REDIRECT) {
		ic->has_gateway = true;
		memcpy(ic->gateway, p + 4, 4);
	} else if (ic->type == ICMP_PARAM_PROBLEM) {
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
