/* Transmission Control Protocol, RFC 9293; options: MSS (RFC 9293),
 * window scale and timestamps (RFC 7323), SACK (RFC 2018). */
#include "tcp.h"

#include "../src/bytes.h"
#include "../src/checksum.h"
#include "dns.h"
#include "http.h"
#include "ipv4.h"

#define TCP_MIN_HLEN 20

const char *
pkl_tcp_option_name(uint8_t kind)
{
	switch (kind) {
	case PKL_TCPOPT_EOL: return "EOL";
	case PKL_TCPOPT_NOP: return "NOP";
	case PKL_TCPOPT_MSS: return "MSS";
	case PKL_TCPOPT_WSCALE: return "WS";
	case PKL_TCPOPT_SACK_PERM: return "SACK_PERM";
	case PKL_TCPOPT_SACK: return "SACK";
	case PKL_TCPOPT_TIMESTAMP: return "TS";
	case PKL_TCPOPT_MD5: return "MD5";
	case PKL_TCPOPT_USER_TIMEOUT: return "UTO";
	case PKL_TCPOPT_AUTH: return "TCP-AO";
	case PKL_TCPOPT_MPTCP: return "MPTCP";
	case PKL_TCPOPT_FASTOPEN: return "TFO";
	default: return NULL;
	}
}

/* The fixed length a known option must have, or 0 for variable ones. */
static uint8_t
option_fixed_len(uint8_t kind)
{
	switch (kind) {
	case PKL_TCPOPT_MSS: return 4;
	case PKL_TCPOPT_WSCALE: return 3;
	case PKL_TCPOPT_SACK_PERM: return 2;
	case PKL_TCPOPT_TIMESTAMP: return 10;
	case PKL_TCPOPT_MD5: return 18;
	case PKL_TCPOPT_USER_TIMEOUT: return 4;
	default: return 0;
	}
}

static void
decode_option_value(struct pkl_tcp *t, uint8_t kind, const uint8_t *v, uint8_t len)
{
	switch (kind) {
	case PKL_TCPOPT_MSS:
		t->has_mss = true;
		t->mss = pkl_be16(v);
		break;
	case PKL_TCPOPT_WSCALE:
		t->has_wscale = true;
		t->wscale = v[0];
		break;
	case PKL_TCPOPT_SACK_PERM:
		t->sack_perm = true;
		break;
	case PKL_TCPOPT_TIMESTAMP:
		t->has_ts = true;
		t->ts_val = pkl_be32(v);
		t->ts_ecr = pkl_be32(v + 4);
		break;
	case PKL_TCPOPT_SACK:
		for (uint8_t i = 0; i + 8 <= len - 2 && t->n_sack < PKL_TCP_MAX_SACK; i += 8) {
			t->sack_left[t->n_sack] = pkl_be32(v + i);
			t->sack_right[t->n_sack] = pkl_be32(v + i + 4);
			t->n_sack++;
		}
		break;
	default:
		break;
	}
}

/* Options occupy bytes [20, hlen); n of them are captured.  When the
 * capture cut them short (complete false), an option running past the
 * end is the capture's doing, not a bad length. */
static void
parse_options(struct pkl_packet *pkt, struct pkl_layer *l, const uint8_t *p,
	      uint32_t n, bool complete)
{
	struct pkl_tcp *t = &l->hdr.tcp;
	uint32_t i = 0;

	/* Nearly every segment after a handshake carries the same 12 bytes:
	 * NOP, NOP, timestamps.  Recognised with one compare, as Linux's own
	 * receive path does (tcp_parse_aligned_timestamp); the loop below
	 * would find the same. */
	if (n == 12 && pkl_be32(p) == 0x0101080au) {
		t->has_ts = true;
		t->ts_val = pkl_be32(p + 4);
		t->ts_ecr = pkl_be32(p + 8);
		t->options[0] = (struct pkl_tcp_option){ PKL_TCPOPT_NOP, 1 };
		t->options[1] = (struct pkl_tcp_option){ PKL_TCPOPT_NOP, 1 };
		t->options[2] = (struct pkl_tcp_option){ PKL_TCPOPT_TIMESTAMP, 10 };
		t->n_options = 3;
		return;
	}
	while (i < n && t->n_options < PKL_TCP_MAX_OPTIONS) {
		uint8_t kind = p[i];
		uint8_t len = 1;
		if (kind != PKL_TCPOPT_EOL && kind != PKL_TCPOPT_NOP) {
			len = i + 1 < n ? p[i + 1] : 0;
			if (len < 2 || len > n - i) {
				if (complete || (len < 2 && i + 1 < n))
					pkl_event(pkt, l, PKL_EV_TCP_OPT_BAD_LEN, kind, len);
				return;
			}
			uint8_t fixed = option_fixed_len(kind);
			bool sack_ok = kind != PKL_TCPOPT_SACK || (len - 2) % 8 == 0;
			if ((fixed && len != fixed) || !sack_ok) {
				pkl_event(pkt, l, PKL_EV_TCP_OPT_WRONG_LEN, kind, len);
			} else {
				decode_option_value(t, kind, p + i + 2, len);
			}
		}
		t->options[t->n_options++] = (struct pkl_tcp_option){ kind, len };
		if (kind == PKL_TCPOPT_EOL)
			return;
		i += len;
	}
}

/* What the payload is, by its ports: DNS's length-prefixed messages,
 * or HTTP's first lines. */
static enum pkl_proto
payload_proto(const struct pkl_tcp *t, uint32_t payload_len)
{
	if (payload_len == 0)
		return PKL_PROTO_DATA;
	if (t->sport == PKL_DNS_PORT || t->dport == PKL_DNS_PORT)
		return PKL_PROTO_DNS;
	if (t->sport == PKL_HTTP_PORT || t->dport == PKL_HTTP_PORT ||
	    t->sport == PKL_HTTP_ALT_PORT || t->dport == PKL_HTTP_ALT_PORT)
		return PKL_PROTO_HTTP;
	return PKL_PROTO_DATA;
}

/* The checksum covers the whole segment, whatever its data offset says. */
static void
verify_checksum(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_tcp *t = &l->hdr.tcp;
	uint16_t expected = 0;

	if (pkt->skip_checksums || !pkl_transport_whole(pkt, l))
		return;
	t->cksum_status = pkl_cksum_verify(pkt, l, PKL_IPPROTO_TCP, l->len,
					   t->cksum, 16, &expected);
	if (t->cksum_status == PKL_CK_BAD)
		pkl_event(pkt, l, PKL_EV_TCP_BAD_CKSUM, t->cksum, expected);
	else if (t->cksum_status == PKL_CK_PARTIAL)
		pkl_event(pkt, l, PKL_EV_TCP_CKSUM_PARTIAL, t->cksum, expected);
}

enum pkl_proto
pkl_tcp_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_tcp *t = &l->hdr.tcp;
	const uint8_t *p = l->data;

	/* Keep what a short capture or an ICMP quote (8 bytes) did bring. */
	if (l->caplen >= 4) {
		t->sport = pkl_be16(p);
		t->dport = pkl_be16(p + 2);
	}
	if (l->caplen >= 8)
		t->seq = pkl_be32(p + 4);
	if (!pkl_need(pkt, l, TCP_MIN_HLEN, PKL_EV_TCP_TRUNC))
		return PKL_PROTO_NONE;
	t->ack = pkl_be32(p + 8);
	t->doff = p[12] >> 4;
	t->flags = (uint16_t)((p[12] & 0x0f) << 8 | p[13]);
	t->window = pkl_be16(p + 14);
	t->cksum = pkl_be16(p + 16);
	t->urg_ptr = pkl_be16(p + 18);
	l->flags |= PKL_LAYER_HEADER;

	if (t->flags & 0xe00)
		pkl_event(pkt, l, PKL_EV_TCP_RESERVED_BITS, t->flags & 0xe00u, 0);
	if ((t->flags & (PKL_TCP_SYN | PKL_TCP_FIN)) == (PKL_TCP_SYN | PKL_TCP_FIN))
		pkl_event(pkt, l, PKL_EV_TCP_SYN_FIN, 0, 0);
	if (t->sport == 0 || t->dport == 0)
		pkl_event(pkt, l, PKL_EV_TCP_PORT_ZERO, 0, 0);

	uint32_t hlen = t->doff * 4u;
	if (hlen < TCP_MIN_HLEN) {
		pkl_layer_set_payload(l, TCP_MIN_HLEN, 0);
		verify_checksum(pkt, l);
		return pkl_stop(pkt, l, PKL_EV_TCP_DOFF_SHORT, hlen, 0);
	}
	if (hlen > l->len && !(l->flags & PKL_LAYER_QUOTED)) {
		pkl_layer_set_payload(l, TCP_MIN_HLEN, 0);
		verify_checksum(pkt, l);
		return pkl_stop(pkt, l, PKL_EV_TCP_DOFF_LONG, hlen, l->len);
	}
	if (!pkl_need(pkt, l, hlen, PKL_EV_TCP_TRUNC)) {
		/* The options that were captured are still worth showing. */
		parse_options(pkt, l, p + TCP_MIN_HLEN, l->caplen - TCP_MIN_HLEN, false);
		return PKL_PROTO_NONE;
	}
	parse_options(pkt, l, p + TCP_MIN_HLEN, hlen - TCP_MIN_HLEN, true);
	pkl_layer_set_payload(l, hlen, l->len - hlen);
	t->payload_len = l->payload_len;

	verify_checksum(pkt, l);
	return payload_proto(t, l->payload_len);
}
