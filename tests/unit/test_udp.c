/* UDP: length field against the IP payload, checksums over IPv4 and IPv6,
 * fragments, truncation. */
#include "frames.h"

#define UDP_OFF TF_UDP_UDP           /* 34 */
#define CK_OFF (UDP_OFF + 6)

/* tf_udp with its UDP length set to ulen (the IP length unchanged) and
 * checksums fixed. */
static void
load_udp(struct tf *t, uint16_t ulen)
{
	tf_load(t, tf_udp, sizeof tf_udp);
	tf_wr16(t->buf + UDP_OFF + 4, ulen);
	tf_fix_checksums(t->buf, t->n, DLT_EN10MB);
}

/* Ethernet + IPv6 A -> B + tf_udp's UDP datagram, checksums fixed. */
static void
load_udp6(struct tf *t)
{
	uint8_t b[TF_MAX];
	memcpy(b, tf_ipv6_tcp, 54);
	tf_wr16(b + 18, 13);
	b[20] = 17;
	memcpy(b + 54, tf_udp + UDP_OFF, 13);
	tf_load(t, b, 54 + 13);
	tf_fix_checksums(t->buf, t->n, DLT_EN10MB);
}

static const struct pkl_layer *
udp_layer(const struct pkl_packet *pkt)
{
	return TF_LAYER(pkt, 2, PKL_PROTO_UDP);
}

static void
test_udp_fields(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_udp, sizeof tf_udp, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_UDP, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *l = udp_layer(pkt);
	const struct pkl_udp *u = &l->hdr.udp;
	assert_int_equal(u->sport, 40000);
	assert_int_equal(u->dport, 9999);
	assert_int_equal(u->ulen, 13);
	assert_int_equal(u->cksum, tf_rd16(t.buf + CK_OFF));
	assert_int_not_equal(u->cksum, 0);
	assert_int_equal(u->cksum_status, PKL_CK_GOOD);
	assert_int_equal(u->payload_len, 5);
	TF_GEOM(l, 34, 13, 13, 8, 5);
	const struct pkl_layer *d = TF_LAYER(pkt, 3, PKL_PROTO_DATA);
	TF_GEOM(d, 42, 5, 5, 0, 5);
	assert_memory_equal(d->data, "hello", 5);
}

static void
test_udp_length_short(void **state)
{
	(void)state;
	static struct tf t;
	static const uint16_t lens[] = { 0, 4, 7 };
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		load_udp(&t, lens[i]);
		const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
		const struct pkl_layer *l = udp_layer(pkt);
		TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_UDP);
		TF_CODES(pkt, PKL_EV_UDP_LEN_SHORT);
		TF_EVENT(pkt, PKL_EV_UDP_LEN_SHORT, 2, lens[i], 0);
		TF_FLAGS(l, PKL_LAYER_MALFORMED);
		assert_int_equal(l->hdr.udp.ulen, lens[i]);
		assert_int_equal(l->hdr.udp.cksum_status, PKL_CK_UNVERIFIED);
		assert_int_equal(l->hdr_len, 8);
		assert_int_equal(l->payload_len, 0);
		assert_false(pkt->truncated);
	}
	/* 8 is the smallest legal length: header only. */
	load_udp(&t, 8);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_UDP_LEN_SHORTER_THAN_IP);
	TF_EVENT(pkt, PKL_EV_UDP_LEN_SHORTER_THAN_IP, 2, 8, 13);
	assert_int_equal(udp_layer(pkt)->hdr.udp.payload_len, 0);
	assert_int_equal(udp_layer(pkt)->hdr.udp.cksum_status, PKL_CK_GOOD);
	TF_CLEAN(pkt);
}

static void
test_udp_length_long(void **state)
{
	(void)state;
	static struct tf t;
	load_udp(&t, 200);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_layer *l = udp_layer(pkt);
	TF_CODES(pkt, PKL_EV_UDP_LEN_LONG);
	TF_EVENT(pkt, PKL_EV_UDP_LEN_LONG, 2, 200, 13);
	TF_FLAGS(l, PKL_LAYER_MALFORMED);
	assert_false(pkt->truncated);
	/* The payload is what the IP datagram holds; no checksum check. */
	assert_int_equal(l->hdr.udp.payload_len, 5);
	assert_int_equal(l->hdr.udp.cksum_status, PKL_CK_UNVERIFIED);
	TF_GEOM(l, 34, 13, 13, 8, 5);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_UDP, PKL_PROTO_DATA);

	/* One byte over. */
	load_udp(&t, 14);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_EVENT(pkt, PKL_EV_UDP_LEN_LONG, 2, 14, 13);
}

static void
test_udp_length_shorter_than_ip(void **state)
{
	(void)state;
	static struct tf t;
	load_udp(&t, 10);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_layer *l = udp_layer(pkt);
	TF_CODES(pkt, PKL_EV_UDP_LEN_SHORTER_THAN_IP);
	TF_EVENT(pkt, PKL_EV_UDP_LEN_SHORTER_THAN_IP, 2, 10, 13);
	assert_int_equal(pkl_event_kind(PKL_EV_UDP_LEN_SHORTER_THAN_IP), PKL_EVK_WARNING);
	TF_CLEAN(pkt);
	/* The datagram is what its length says; the checksum covers that. */
	assert_int_equal(l->hdr.udp.payload_len, 2);
	assert_int_equal(l->hdr.udp.cksum_status, PKL_CK_GOOD);
	TF_GEOM(l, 34, 13, 13, 8, 2);
	TF_GEOM(&pkt->layers[3], 42, 2, 2, 0, 2);
}

static void
test_udp_checksum_bad(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_udp, sizeof tf_udp, DLT_EN10MB);
	uint16_t good = tf_rd16(t.buf + CK_OFF);
	assert_true(tf_sum_ok(t.buf + 14, 17, t.buf + UDP_OFF, 13));
	tf_wr16(t.buf + CK_OFF, 0xdead);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_layer *l = udp_layer(pkt);
	assert_int_equal(l->hdr.udp.cksum, 0xdead);
	assert_int_equal(l->hdr.udp.cksum_status, PKL_CK_BAD);
	TF_CODES(pkt, PKL_EV_UDP_BAD_CKSUM);
	TF_EVENT(pkt, PKL_EV_UDP_BAD_CKSUM, 2, 0xdead, good);
	TF_CLEAN(pkt);

	/* A payload byte changed. */
	tf_wr16(t.buf + CK_OFF, good);
	t.buf[sizeof tf_udp - 1] = 'O';
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(udp_layer(pkt)->hdr.udp.cksum_status, PKL_CK_BAD);

	/* The pseudo-header counts: a different destination address. */
	tf_load_good(&t, tf_udp, sizeof tf_udp, DLT_EN10MB);
	t.buf[14 + 19] = 3;
	tf_fix_checksums(t.buf, 34, DLT_EN10MB);    /* the IP header only */
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(pkt->layers[1].hdr.ipv4.cksum_status, PKL_CK_GOOD);
	assert_int_equal(udp_layer(pkt)->hdr.udp.cksum_status, PKL_CK_BAD);
	TF_EVENT(pkt, PKL_EV_UDP_BAD_CKSUM, 2, good, (uint16_t)(good - 1));
}

static void
test_udp_checksum_partial_offload(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_udp, sizeof tf_udp, DLT_EN10MB);
	uint16_t good = tf_rd16(t.buf + CK_OFF);
	/* What a host leaving the checksum to its NIC writes: the folded
	 * pseudo-header sum, not complemented. */
	uint16_t pseudo = (uint16_t)~tf_fold(tf_pseudo(t.buf + 14, 17, 13));
	tf_wr16(t.buf + CK_OFF, pseudo);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(udp_layer(pkt)->hdr.udp.cksum_status, PKL_CK_PARTIAL);
	TF_CODES(pkt, PKL_EV_UDP_CKSUM_PARTIAL);
	TF_EVENT(pkt, PKL_EV_UDP_CKSUM_PARTIAL, 2, pseudo, good);
	TF_CLEAN(pkt);
}

static void
test_udp_checksum_zero(void **state)
{
	(void)state;
	static struct tf t;
	/* Over IPv4 a zero checksum means "none": fine, not verified. */
	tf_load_good(&t, tf_udp, sizeof tf_udp, DLT_EN10MB);
	tf_wr16(t.buf + CK_OFF, 0);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(udp_layer(pkt)->hdr.udp.cksum, 0);
	assert_int_equal(udp_layer(pkt)->hdr.udp.cksum_status, PKL_CK_UNVERIFIED);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);

	/* Over IPv6 it is not allowed. */
	load_udp6(&t);
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(udp_layer(pkt)->hdr.udp.cksum_status, PKL_CK_GOOD);
	TF_NO_EVENTS(pkt);
	tf_wr16(t.buf + 54 + 6, 0);
	pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_layer *l = udp_layer(pkt);
	TF_CODES(pkt, PKL_EV_UDP_ZERO_CKSUM_V6);
	TF_EVENT(pkt, PKL_EV_UDP_ZERO_CKSUM_V6, 2, 0, 0);
	TF_FLAGS(l, PKL_LAYER_MALFORMED);
	assert_int_equal(l->hdr.udp.cksum_status, PKL_CK_UNVERIFIED);
}

static void
test_udp_checksum_ffff_is_zero(void **state)
{
	(void)state;
	static struct tf t;
	/* Choose two payload bytes so the computed checksum is 0, which is
	 * sent as 0xffff (RFC 768), and must verify. */
	tf_load(&t, tf_udp, sizeof tf_udp);
	tf_wr16(t.buf + UDP_OFF + 8, 0);
	tf_wr16(t.buf + CK_OFF, 0);
	uint32_t sum = tf_sum(tf_pseudo(t.buf + 14, 17, 13), t.buf + UDP_OFF, 13);
	uint16_t folded = (uint16_t)~tf_fold(sum);
	tf_wr16(t.buf + UDP_OFF + 8, (uint16_t)(0xffff - folded));
	tf_fix_checksums(t.buf, t.n, DLT_EN10MB);
	assert_int_equal(tf_rd16(t.buf + CK_OFF), 0xffff);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(udp_layer(pkt)->hdr.udp.cksum, 0xffff);
	assert_int_equal(udp_layer(pkt)->hdr.udp.cksum_status, PKL_CK_GOOD);
	TF_NO_EVENTS(pkt);
}

static void
test_udp_fragment_not_checked(void **state)
{
	(void)state;
	static struct tf t;
	/* First fragment of a bigger datagram: length and checksum are the
	 * whole datagram's. */
	tf_load(&t, tf_udp, sizeof tf_udp);
	t.buf[20] = 0x20;                        /* MF */
	tf_wr16(t.buf + UDP_OFF + 4, 1608);
	tf_wr16(t.buf + CK_OFF, 0xbeef);
	tf_fix_checksums(t.buf, t.n, DLT_EN10MB);   /* IP header only: a fragment */
	assert_int_equal(tf_rd16(t.buf + CK_OFF), 0xbeef);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_layer *l = udp_layer(pkt);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	assert_int_equal(l->hdr.udp.ulen, 1608);
	assert_int_equal(l->hdr.udp.cksum_status, PKL_CK_UNVERIFIED);
	/* The payload here is what this fragment carries. */
	TF_GEOM(l, 34, 13, 13, 8, 5);
	assert_int_equal(l->hdr.udp.payload_len, 1600);

	/* A fragment's length may be below this IP payload: no event. */
	tf_wr16(t.buf + UDP_OFF + 4, 10);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_NO_EVENTS(pkt);
	assert_int_equal(udp_layer(pkt)->hdr.udp.ulen, 10);

	/* Same over an IPv6 fragment header. */
	uint8_t b[TF_MAX];
	memcpy(b, tf_ipv6_tcp, 54);
	tf_wr16(b + 18, 8 + 13);
	b[20] = 44;
	const uint8_t frag[8] = { 17, 0, 0x00, 0x01, 0, 0, 0, 7 };
	memcpy(b + 54, frag, 8);
	memcpy(b + 62, t.buf + UDP_OFF, 13);
	tf_load(&t, b, 62 + 13);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_UDP, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	assert_int_equal(pkt->layers[2].hdr.udp.cksum_status, PKL_CK_UNVERIFIED);
}

static void
test_udp_truncated(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_udp, sizeof tf_udp, DLT_EN10MB);

	/* Inside the header, after the ports. */
	const struct pkl_packet *pkt = tf_run(&t, DLT_EN10MB, UDP_OFF + 6, t.n);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_UDP);
	TF_CODES(pkt, PKL_EV_UDP_TRUNC);
	TF_EVENT(pkt, PKL_EV_UDP_TRUNC, 2, 8, 6);
	const struct pkl_layer *l = udp_layer(pkt);
	TF_FLAGS(l, PKL_LAYER_TRUNCATED);
	assert_int_equal(l->hdr.udp.sport, 40000);
	assert_int_equal(l->hdr.udp.dport, 9999);
	assert_int_equal(l->hdr.udp.ulen, 0);
	assert_false(pkt->malformed);

	/* Before the ports are complete: none kept. */
	pkt = tf_run(&t, DLT_EN10MB, UDP_OFF + 3, t.n);
	TF_EVENT(pkt, PKL_EV_UDP_TRUNC, 2, 8, 3);
	assert_int_equal(udp_layer(pkt)->hdr.udp.sport, 0);

	/* Inside the payload: the header is whole, the checksum cannot be
	 * checked, and the cut data is flagged. */
	pkt = tf_run(&t, DLT_EN10MB, UDP_OFF + 10, t.n);
	TF_NO_EVENTS(pkt);
	l = udp_layer(pkt);
	TF_FLAGS(l, 0);
	assert_int_equal(l->hdr.udp.cksum_status, PKL_CK_UNVERIFIED);
	assert_int_equal(l->hdr.udp.payload_len, 5);
	TF_FLAGS(TF_LAYER(pkt, 3, PKL_PROTO_DATA), PKL_LAYER_TRUNCATED);
	assert_true(pkt->truncated);
	assert_false(pkt->malformed);

	/* A 6-byte UDP "datagram" on the wire. */
	tf_load(&t, tf_udp, UDP_OFF + 6);
	tf_wr16(t.buf + 16, 26);
	tf_fix_checksums(t.buf, t.n, DLT_EN10MB);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_LAYER_SHORT);
	TF_EVENT(pkt, PKL_EV_LAYER_SHORT, 2, 8, 6);
	TF_FLAGS(udp_layer(pkt), PKL_LAYER_MALFORMED);
	assert_false(pkt->truncated);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udp_fields),
		cmocka_unit_test(test_udp_length_short),
		cmocka_unit_test(test_udp_length_long),
		cmocka_unit_test(test_udp_length_shorter_than_ip),
		cmocka_unit_test(test_udp_checksum_bad),
		cmocka_unit_test(test_udp_checksum_partial_offload),
		cmocka_unit_test(test_udp_checksum_zero),
		cmocka_unit_test(test_udp_checksum_ffff_is_zero),
		cmocka_unit_test(test_udp_fragment_not_checked),
		cmocka_unit_test(test_udp_truncated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
