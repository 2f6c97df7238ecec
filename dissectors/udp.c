/* User Datagram Protocol, RFC 768; checksum over IPv6, RFC 8200 8.1. */
#include "udp.h"

#include "../src/bytes.h"
#include "../src/checksum.h"
#include "dns.h"
#include "ipv4.h"

/* What the payload is, by its ports: there is nothing else to go by. */
static enum pkl_proto
payload_proto(const struct pkl_udp *u, uint32_t payload_len)
{
	if (payload_len == 0)
		return PKL_PROTO_DATA;
	if (u->sport == PKL_DNS_PORT || u->dport == PKL_DNS_PORT ||
	    u->sport == PKL_MDNS_PORT || u->dport == PKL_MDNS_PORT)
		return PKL_PROTO_DNS;
	return PKL_PROTO_DATA;
}

enum pkl_proto
pkl_udp_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_udp *u = &l->hdr.udp;

	if (!pkl_need(pkt, l, PKL_UDP_HLEN, PKL_EV_UDP_TRUNC)) {
		/* A quote holds exactly the ports and length: keep what came. */
		if (l->caplen >= 4) {
			u->sport = pkl_be16(l->data);
			u->dport = pkl_be16(l->data + 2);
		}
		return PKL_PROTO_NONE;
	}
	u->sport = pkl_be16(l->data);
	u->dport = pkl_be16(l->data + 2);
	u->ulen = pkl_be16(l->data + 4);
	u->cksum = pkl_be16(l->data + 6);
	l->flags |= PKL_LAYER_HEADER;

	if (u->ulen < PKL_UDP_HLEN) {
		pkl_layer_set_payload(l, PKL_UDP_HLEN, 0);
		return pkl_stop(pkt, l, PKL_EV_UDP_LEN_SHORT, u->ulen, 0);
	}
	bool quoted = l->flags & PKL_LAYER_QUOTED;
	bool whole = pkl_transport_whole(pkt, l);
	if (u->ulen > l->len && whole) {
		pkl_event(pkt, l, PKL_EV_UDP_LEN_LONG, u->ulen, l->len);
		pkl_layer_set_payload(l, PKL_UDP_HLEN, l->len - PKL_UDP_HLEN);
		u->payload_len = l->payload_len;
		return PKL_PROTO_DATA;
	}
	if (u->ulen < l->len && whole)
		pkl_event(pkt, l, PKL_EV_UDP_LEN_SHORTER_THAN_IP, u->ulen, l->len);
	pkl_layer_set_payload(l, PKL_UDP_HLEN, u->ulen - PKL_UDP_HLEN);
	u->payload_len = u->ulen - PKL_UDP_HLEN;

	const struct pkl_layer *net = pkl_layer_below(pkt, l);
	if (u->cksum == 0) {
		/* Optional over IPv4 (RFC 768); mandatory over IPv6. */
		if (net && net->proto == PKL_PROTO_IPV6 && !quoted)
			pkl_event(pkt, l, PKL_EV_UDP_ZERO_CKSUM_V6, 0, 0);
	} else if (whole) {
		uint16_t expected = 0;
		u->cksum_status = pkl_cksum_verify(pkt, l, PKL_IPPROTO_UDP, u->ulen,
						   u->cksum, 6, &expected);
		if (u->cksum_status == PKL_CK_BAD)
			pkl_event(pkt, l, PKL_EV_UDP_BAD_CKSUM, u->cksum, expected);
		else if (u->cksum_status == PKL_CK_PARTIAL)
			pkl_event(pkt, l, PKL_EV_UDP_CKSUM_PARTIAL, u->cksum, expected);
	}
	return payload_proto(u, l->payload_len);
}
