/* IPv6: fixed header, extension header walking, fragment header, hostile lengths. */
#include "frames.h"

#include "../../dissectors/ipv4.h"
#include "../../dissectors/ipv6.h"

static const uint8_t ip6_a[16] = { TF_IP6_A };
static const uint8_t ip6_b[16] = { TF_IP6_B };

/* tf_udp's UDP datagram (13 bytes). */
#define UDP_BODY (tf_udp + TF_UDP_UDP)
#define UDP_BODY_LEN 13

/* Ethernet + IPv6 A -> B with next header nxt, then the extension header
 * bytes and the payload; payload length to match; checksums fixed. */
static void
build(struct tf *t, uint8_t nxt, const uint8_t *ext, size_t next,
      const uint8_t *payload, size_t n)
{
	uint8_t b[TF_MAX];
	memcpy(b, tf_ipv6_tcp, 54);
	tf_wr16(b + 18, (uint16_t)(next + n));
	b[20] = nxt;
	tf_copy(b + 54, ext, next);
	tf_copy(b + 54 + next, payload, n);
	tf_load(t, b, 54 + next + n);
	tf_fix_checksums(t->buf, t->n, DLT_EN10MB);
}

static const struct pkl_layer *
ip6_layer(const struct pkl_packet *pkt)
{
	return TF_LAYER(pkt, 1, PKL_PROTO_IPV6);
}

static void
test_ipv6_fixed_header(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_ipv6_tcp, sizeof tf_ipv6_tcp, DLT_EN10MB);
	/* Traffic class 0xb8, flow label 0x12345. */
	t.buf[14] = 0x6b;
	t.buf[15] = 0x81;
	t.buf[16] = 0x23;
	t.buf[17] = 0x45;
	t.buf[21] = 7;
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_TCP);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *l = ip6_layer(pkt);
	const struct pkl_ipv6 *ip = &l->hdr.ipv6;
	assert_int_equal(ip->version, 6);
	assert_int_equal(ip->tclass, 0xb8);
	assert_int_equal(ip->flow, 0x12345);
	assert_int_equal(ip->payload_len, 40);
	assert_int_equal(ip->nxt, 6);
	assert_int_equal(ip->hlim, 7);
	assert_memory_equal(ip->src, ip6_a, 16);
	assert_memory_equal(ip->dst, ip6_b, 16);
	assert_int_equal(ip->upper, 6);
	assert_int_equal(ip->n_ext, 0);
	assert_false(ip->fragment);
	TF_GEOM(l, 14, 80, 80, 40, 40);
	/* The pseudo-header uses the IPv6 addresses. */
	assert_int_equal(pkt->layers[2].hdr.tcp.cksum_status, PKL_CK_GOOD);
	assert_string_equal(pkl_proto_name(PKL_PROTO_IPV6), "ipv6");
}

static void
test_ipv6_bad_version(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_ipv6_tcp, sizeof tf_ipv6_tcp, DLT_EN10MB);
	t.buf[14] = 0x40;
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6);
	TF_CODES(pkt, PKL_EV_IPV6_BAD_VERSION);
	TF_EVENT(pkt, PKL_EV_IPV6_BAD_VERSION, 1, 4, 0);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_MALFORMED);
}

static void
test_ipv6_payload_length_beyond_wire(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_ipv6_tcp, sizeof tf_ipv6_tcp, DLT_EN10MB);
	tf_wr16(t.buf + 18, 41);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_layer *l = ip6_layer(pkt);
	TF_CODES(pkt, PKL_EV_IPV6_PLEN_LONG);
	TF_EVENT(pkt, PKL_EV_IPV6_PLEN_LONG, 1, 41, 40);
	TF_FLAGS(l, PKL_LAYER_MALFORMED);
	TF_GEOM(l, 14, 80, 80, 40, 40);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_TCP);
	/* The TCP checksum covers its own length: still good. */
	assert_int_equal(pkt->layers[2].hdr.tcp.cksum_status, PKL_CK_GOOD);
	assert_false(pkt->truncated);

	tf_wr16(t.buf + 18, 0xffff);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_EVENT(pkt, PKL_EV_IPV6_PLEN_LONG, 1, 0xffff, 40);
}

static void
test_ipv6_payload_length_zero(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_ipv6_tcp, sizeof tf_ipv6_tcp, DLT_EN10MB);
	tf_wr16(t.buf + 18, 0);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_IPV6_JUMBO);
	TF_EVENT(pkt, PKL_EV_IPV6_JUMBO, 1, 0, 0);
	TF_CLEAN(pkt);
	TF_GEOM(ip6_layer(pkt), 14, 80, 80, 40, 40);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_TCP);
}

static void
test_ipv6_padding_after_payload(void **state)
{
	(void)state;
	static struct tf t;
	/* A UDP datagram with 7 trailing bytes the payload length excludes. */
	uint8_t udp[20];
	memcpy(udp, UDP_BODY, UDP_BODY_LEN);
	memset(udp + UDP_BODY_LEN, 0xee, 7);
	build(&t, 17, NULL, 0, udp, UDP_BODY_LEN);
	memcpy(t.buf + t.n, udp + UDP_BODY_LEN, 7);
	t.n += 7;
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	TF_GEOM(ip6_layer(pkt), 14, 60, 60, 40, 13);
	TF_GEOM(&pkt->layers[2], 54, 13, 13, 8, 5);
	assert_int_equal(pkt->layers[2].hdr.udp.cksum_status, PKL_CK_GOOD);
}

static void
test_ipv6_hop_by_hop(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_ipv6_hbh_udp, sizeof tf_ipv6_hbh_udp, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_UDP, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *l = ip6_layer(pkt);
	const struct pkl_ipv6 *ip = &l->hdr.ipv6;
	assert_int_equal(ip->nxt, 0);
	assert_int_equal(ip->upper, 17);
	assert_int_equal(ip->n_ext, 1);
	assert_int_equal(ip->ext[0], 0);
	assert_false(ip->fragment);
	/* The extension headers belong to the IPv6 layer. */
	TF_GEOM(l, 14, 61, 61, 48, 13);
	TF_GEOM(&pkt->layers[2], TF_HBH_UDP, 13, 13, 8, 5);
	assert_int_equal(pkt->layers[2].hdr.udp.sport, 40000);
	assert_int_equal(pkt->layers[2].hdr.udp.cksum_status, PKL_CK_GOOD);
}

static void
test_ipv6_extension_chain_with_fragment(void **state)
{
	(void)state;
	static struct tf t;
	/* Hop-by-hop (8) -> destination options (16) -> routing (8) ->
	 * fragment (offset 0, M) -> UDP. */
	const uint8_t ext[] = {
		60, 0, 1, 4, 0, 0, 0, 0,
		43, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		44, 0, 4, 0, 0, 0, 0, 0,
		17, 0, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78,
	};
	uint8_t udp[16];
	memcpy(udp, UDP_BODY, 8);
	tf_wr16(udp + 4, 3000);     /* the whole datagram, not this fragment */
	tf_wr16(udp + 6, 0x1234);
	memset(udp + 8, 0x61, 8);
	build(&t, 0, ext, sizeof ext, udp, sizeof udp);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_UDP, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *l = ip6_layer(pkt);
	const struct pkl_ipv6 *ip = &l->hdr.ipv6;
	assert_int_equal(ip->n_ext, 4);
	assert_int_equal(ip->ext[0], 0);
	assert_int_equal(ip->ext[1], 60);
	assert_int_equal(ip->ext[2], 43);
	assert_int_equal(ip->ext[3], 44);
	assert_int_equal(ip->upper, 17);
	assert_true(ip->fragment);
	assert_true(ip->frag_more);
	assert_int_equal(ip->frag_offset, 0);
	TF_GEOM(l, 14, 96, 96, 80, 16);
	/* A fragment's UDP length and checksum are not this frame's. */
	const struct pkl_layer *u = TF_LAYER(pkt, 2, PKL_PROTO_UDP);
	assert_int_equal(u->hdr.udp.ulen, 3000);
	assert_int_equal(u->hdr.udp.cksum_status, PKL_CK_UNVERIFIED);
	TF_GEOM(u, 94, 16, 16, 8, 8);
}

static void
test_ipv6_later_fragment(void **state)
{
	(void)state;
	static struct tf t;
	/* Fragment header, offset 185 (1480 bytes), M clear. */
	const uint8_t ext[] = { 17, 0, 0x05, 0xc8, 0xca, 0xfe, 0xba, 0xbe };
	const uint8_t data[24] = { 1, 2, 3 };
	build(&t, 44, ext, sizeof ext, data, sizeof data);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_ipv6 *ip = &ip6_layer(pkt)->hdr.ipv6;
	assert_true(ip->fragment);
	assert_false(ip->frag_more);
	assert_int_equal(ip->frag_offset, 185);
	assert_int_equal(ip->upper, 17);
	TF_GEOM(&pkt->layers[2], 62, 24, 24, 0, 24);
}

static void
test_ipv6_many_extension_headers(void **state)
{
	(void)state;
	static struct tf t;
	/* Ten destination-options headers: eight are listed, all walked. */
	uint8_t ext[80];
	for (int i = 0; i < 10; i++) {
		uint8_t *e = ext + 8 * i;
		e[0] = i == 9 ? 17 : 60;
		e[1] = 0;
		e[2] = 1;
		e[3] = 4;
		memset(e + 4, 0, 4);
	}
	build(&t, 60, ext, sizeof ext, UDP_BODY, UDP_BODY_LEN);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_ipv6 *ip = &ip6_layer(pkt)->hdr.ipv6;
	assert_int_equal(ip->n_ext, 8);
	for (int i = 0; i < 8; i++)
		assert_int_equal(ip->ext[i], 60);
	assert_int_equal(ip->upper, 17);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_UDP, PKL_PROTO_DATA);
	assert_int_equal(pkt->layers[2].offset, 54 + 80);
	assert_int_equal(pkt->layers[2].hdr.udp.cksum_status, PKL_CK_GOOD);
	TF_NO_EVENTS(pkt);
}

static void
test_ipv6_extension_longer_than_payload(void **state)
{
	(void)state;
	static struct tf t;
	/* Hop-by-hop with hdr ext len 255 (2048 bytes) in 21 bytes of payload. */
	uint8_t ext[8] = { 17, 255, 1, 4 };
	build(&t, 0, ext, sizeof ext, UDP_BODY, UDP_BODY_LEN);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_layer *l = ip6_layer(pkt);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6);
	TF_CODES(pkt, PKL_EV_IPV6_EXT_BAD_LEN);
	TF_EVENT(pkt, PKL_EV_IPV6_EXT_BAD_LEN, 1, 0, 21);
	TF_FLAGS(l, PKL_LAYER_MALFORMED);
	assert_int_equal(l->hdr_len, 40);
	assert_int_equal(l->payload_len, 0);
	assert_false(pkt->truncated);

	/* The second header of a chain overruns by 8 bytes. */
	const uint8_t ext2[] = { 43, 0, 1, 4, 0, 0, 0, 0, 17, 2, 0, 0, 0, 0, 0, 0 };
	build(&t, 60, ext2, sizeof ext2, NULL, 0);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_IPV6_EXT_BAD_LEN);
	TF_EVENT(pkt, PKL_EV_IPV6_EXT_BAD_LEN, 1, 43, 8);
	assert_int_equal(ip6_layer(pkt)->hdr.ipv6.n_ext, 2);
	assert_int_equal(ip6_layer(pkt)->hdr_len, 48);

	/* A fragment header (8 bytes) in 4 bytes of payload. */
	const uint8_t frag[4] = { 17, 0, 0, 1 };
	build(&t, 44, frag, sizeof frag, NULL, 0);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_IPV6_EXT_BAD_LEN);
	TF_EVENT(pkt, PKL_EV_IPV6_EXT_BAD_LEN, 1, 44, 4);
	assert_false(ip6_layer(pkt)->hdr.ipv6.fragment);
}

static void
test_ipv6_extension_with_no_room_is_malformed(void **state)
{
	(void)state;
	static struct tf t;
	/* Payload length 1: a hop-by-hop header cannot even hold its two
	 * first bytes.  Everything was captured, so this is malformed, not
	 * truncated. */
	const uint8_t one[1] = { 17 };
	build(&t, 0, one, 1, NULL, 0);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_IPV6_EXT_BAD_LEN);
	TF_EVENT(pkt, PKL_EV_IPV6_EXT_BAD_LEN, 1, 0, 1);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_MALFORMED);
	assert_false(pkt->truncated);

	/* Payload length 0 (jumbo) and nothing after the header. */
	build(&t, 0, NULL, 0, NULL, 0);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_IPV6_JUMBO, PKL_EV_IPV6_EXT_BAD_LEN);
	TF_EVENT(pkt, PKL_EV_IPV6_EXT_BAD_LEN, 1, 0, 0);
	assert_false(pkt->truncated);
	assert_true(pkt->malformed);
}

static void
test_ipv6_extension_truncated(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_ipv6_hbh_udp, sizeof tf_ipv6_hbh_udp, DLT_EN10MB);

	/* The capture ends after one byte of the hop-by-hop header. */
	const struct pkl_packet *pkt = tf_run(&t, DLT_EN10MB, TF_HBH_EXT + 1, t.n);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6);
	TF_CODES(pkt, PKL_EV_IPV6_EXT_TRUNC);
	TF_EVENT(pkt, PKL_EV_IPV6_EXT_TRUNC, 1, 0, 41);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_TRUNCATED);
	assert_false(pkt->malformed);

	/* ...and inside it, past its length byte: still the IPv6 layer
	 * that was cut, and UDP is not placed inside the extension header. */
	pkt = tf_run(&t, DLT_EN10MB, TF_HBH_EXT + 5, t.n);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6);
	TF_CODES(pkt, PKL_EV_IPV6_EXT_TRUNC);
	TF_EVENT(pkt, PKL_EV_IPV6_EXT_TRUNC, 1, 0, 45);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_TRUNCATED);
	assert_int_equal(pkt->layers[1].hdr.ipv6.n_ext, 1);

	/* A fragment header cut after 3 of its 8 bytes. */
	const uint8_t frag[] = { 17, 0, 0x05, 0xc8, 0, 0, 0, 1 };
	build(&t, 44, frag, sizeof frag, UDP_BODY, UDP_BODY_LEN);
	pkt = tf_run(&t, DLT_EN10MB, 54 + 3, t.n);
	TF_EVENT(pkt, PKL_EV_IPV6_EXT_TRUNC, 1, 44, 43);
	assert_false(pkt->layers[1].hdr.ipv6.fragment);

	/* The fixed header itself cut. */
	pkt = tf_run(&t, DLT_EN10MB, 14 + 39, t.n);
	TF_CODES(pkt, PKL_EV_IPV6_TRUNC);
	TF_EVENT(pkt, PKL_EV_IPV6_TRUNC, 1, 40, 39);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_TRUNCATED);

	/* Or too short on the wire. */
	pkt = tf_run(&t, DLT_EN10MB, 14 + 30, 14 + 30);
	TF_CODES(pkt, PKL_EV_LAYER_SHORT);
	TF_EVENT(pkt, PKL_EV_LAYER_SHORT, 1, 40, 30);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_MALFORMED);
}

static void
test_ipv6_routing_header_final_destination(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_ipv6_rh_udp, sizeof tf_ipv6_rh_udp, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_UDP, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_ipv6 *ip = &ip6_layer(pkt)->hdr.ipv6;
	assert_int_equal(ip->n_ext, 1);
	assert_int_equal(ip->ext[0], 43);
	assert_int_equal(ip->upper, 17);
	assert_memory_equal(ip->dst, ip6_b, 16);
	assert_int_equal(pkt->layers[2].offset, TF_RH_UDP);
	/* The checksum was computed over the final destination fd77::99. */
	assert_int_equal(pkt->layers[2].hdr.udp.cksum_status, PKL_CK_GOOD);

	/* Segments left 0: the header's destination is the final one, and
	 * the checksum over fd77::99 no longer verifies. */
	t.buf[TF_RH_EXT + 3] = 0;
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(pkt->layers[2].hdr.udp.cksum_status, PKL_CK_BAD);
	TF_CODES(pkt, PKL_EV_UDP_BAD_CKSUM);
	tf_fix_checksums(t.buf, t.n, DLT_EN10MB);
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(pkt->layers[2].hdr.udp.cksum_status, PKL_CK_GOOD);

	/* Cut inside the routing header: the IPv6 layer is truncated there. */
	pkt = tf_run(&t, DLT_EN10MB, TF_RH_EXT + 20, t.n);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6);
	TF_CODES(pkt, PKL_EV_IPV6_EXT_TRUNC);
	TF_EVENT(pkt, PKL_EV_IPV6_EXT_TRUNC, 1, 43, 60);
}

static void
test_ipv6_upper_protocols(void **state)
{
	(void)state;
	static struct tf t;
	const uint8_t body[12] = { 0xde, 0xad };

	/* Unknown upper protocol after an extension header. */
	const uint8_t ext[8] = { 253, 0, 1, 4 };
	build(&t, 60, ext, sizeof ext, body, sizeof body);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_UNKNOWN);
	TF_CODES(pkt, PKL_EV_IPV6_UNKNOWN_PROTO);
	TF_EVENT(pkt, PKL_EV_IPV6_UNKNOWN_PROTO, 1, 253, 12);
	const struct pkl_layer *u = TF_LAYER(pkt, 2, PKL_PROTO_UNKNOWN);
	assert_int_equal(u->hdr.unknown.parent, PKL_PROTO_IPV6);
	assert_int_equal(u->hdr.unknown.value, 253);
	TF_GEOM(u, 62, 12, 12, 0, 12);

	/* ESP (50) is not walked: unknown. */
	build(&t, 50, NULL, 0, body, sizeof body);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_EVENT(pkt, PKL_EV_IPV6_UNKNOWN_PROTO, 1, 50, 12);

	/* No next header (59): the rest is data, no event. */
	build(&t, 59, NULL, 0, body, sizeof body);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	/* ...and nothing at all (payload length 0 reads as a jumbogram). */
	build(&t, 59, NULL, 0, NULL, 0);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6);
	TF_CODES(pkt, PKL_EV_IPV6_JUMBO);

	/* ICMPv4's number inside IPv6: an unknown leaf (no event). */
	build(&t, 1, NULL, 0, body, sizeof body);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_UNKNOWN);
	assert_int_equal(pkt->layers[2].hdr.unknown.value, 1);
	TF_NO_EVENTS(pkt);

	/* IPv4 in IPv6. */
	build(&t, 4, NULL, 0, tf_udp + TF_UDP_IP, sizeof tf_udp - TF_UDP_IP);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_IPV4, PKL_PROTO_UDP,
		  PKL_PROTO_DATA);
	assert_int_equal(pkt->layers[2].hdr.ipv4.cksum_status, PKL_CK_GOOD);
	TF_NO_EVENTS(pkt);
}

/* The extension headers walked are the ones named, by their numbers. */
static void
test_ipv6_extension_names(void **state)
{
	(void)state;
	assert_string_equal(pkl_ipv6_ext_name(0), "hop-by-hop");
	assert_string_equal(pkl_ipv6_ext_name(43), "routing");
	assert_string_equal(pkl_ipv6_ext_name(44), "fragment");
	assert_string_equal(pkl_ipv6_ext_name(60), "destination options");
	assert_null(pkl_ipv6_ext_name(PKL_IPPROTO_TCP));
	assert_null(pkl_ipv6_ext_name(PKL_IPPROTO_NONE));
	assert_null(pkl_ipv6_ext_name(PKL_IPPROTO_ICMPV6));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv6_fixed_header),
		cmocka_unit_test(test_ipv6_bad_version),
		cmocka_unit_test(test_ipv6_payload_length_beyond_wire),
		cmocka_unit_test(test_ipv6_payload_length_zero),
		cmocka_unit_test(test_ipv6_padding_after_payload),
		cmocka_unit_test(test_ipv6_hop_by_hop),
		cmocka_unit_test(test_ipv6_extension_chain_with_fragment),
		cmocka_unit_test(test_ipv6_later_fragment),
		cmocka_unit_test(test_ipv6_many_extension_headers),
		cmocka_unit_test(test_ipv6_extension_longer_than_payload),
		cmocka_unit_test(test_ipv6_extension_with_no_room_is_malformed),
		cmocka_unit_test(test_ipv6_extension_truncated),
		cmocka_unit_test(test_ipv6_routing_header_final_destination),
		cmocka_unit_test(test_ipv6_upper_protocols),
		cmocka_unit_test(test_ipv6_extension_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
