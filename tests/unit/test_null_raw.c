/* BSD loopback (DLT_NULL, DLT_LOOP) and raw IP (DLT_RAW, DLT_IPV4, DLT_IPV6). */
#include "frames.h"

/* tf_icmp_echo's IPv4 datagram (36 bytes) and tf_icmpv6_echo's IPv6 one (56). */
#define V4 (tf_icmp_echo + TF_ICMP_ECHO_IP)
#define V4_LEN (sizeof tf_icmp_echo - TF_ICMP_ECHO_IP)
#define V6 (tf_icmpv6_echo + 14)
#define V6_LEN (sizeof tf_icmpv6_echo - 14)

/* A 4-byte family header (as given, byte for byte) then a datagram. */
static void
build_null(struct tf *t, const uint8_t fam[4], const uint8_t *ip, size_t n)
{
	uint8_t b[TF_MAX];
	memcpy(b, fam, 4);
	memcpy(b + 4, ip, n);
	tf_load(t, b, 4 + n);
	tf_fix_checksums(t->buf, t->n, DLT_NULL);
}

static void
test_null_ipv4_little_endian(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_null_icmp, sizeof tf_null_icmp, DLT_NULL);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_NULL);

	TF_PROTOS(pkt, PKL_PROTO_NULL, PKL_PROTO_IPV4, PKL_PROTO_ICMP, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *l = TF_LAYER(pkt, 0, PKL_PROTO_NULL);
	assert_int_equal(l->hdr.null.family, 2);
	TF_GEOM(l, 0, 40, 40, 4, 36);
	assert_int_equal(pkt->layers[1].offset, 4);
	assert_int_equal(pkt->layers[1].hdr.ipv4.cksum_status, PKL_CK_GOOD);
	assert_int_equal(pkt->layers[2].hdr.icmp.cksum_status, PKL_CK_GOOD);
}

static void
test_null_ipv4_big_endian(void **state)
{
	(void)state;
	static struct tf t;
	const uint8_t be[4] = { 0, 0, 0, 2 };
	build_null(&t, be, V4, V4_LEN);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_NULL);
	TF_PROTOS(pkt, PKL_PROTO_NULL, PKL_PROTO_IPV4, PKL_PROTO_ICMP, PKL_PROTO_DATA);
	assert_int_equal(pkt->layers[0].hdr.null.family, 2);
	TF_NO_EVENTS(pkt);

	/* DLT_LOOP (OpenBSD) is always network order. */
	pkt = tf_decode(&t, DLT_LOOP);
	TF_PROTOS(pkt, PKL_PROTO_NULL, PKL_PROTO_IPV4, PKL_PROTO_ICMP, PKL_PROTO_DATA);
	assert_int_equal(pkt->layers[0].hdr.null.family, 2);
}

static void
test_null_ipv6_families_both_orders(void **state)
{
	(void)state;
	static struct tf t;
	static const uint8_t fams[] = { 10, 24, 28, 30 };

	for (size_t i = 0; i < sizeof fams; i++) {
		const uint8_t le[4] = { fams[i], 0, 0, 0 };
		const uint8_t be[4] = { 0, 0, 0, fams[i] };
		build_null(&t, le, V6, V6_LEN);
		const struct pkl_packet *pkt = tf_decode(&t, DLT_NULL);
		TF_PROTOS(pkt, PKL_PROTO_NULL, PKL_PROTO_IPV6, PKL_PROTO_ICMPV6, PKL_PROTO_DATA);
		assert_int_equal(pkt->layers[0].hdr.null.family, fams[i]);
		assert_int_equal(pkt->layers[2].hdr.icmp.cksum_status, PKL_CK_GOOD);
		TF_NO_EVENTS(pkt);

		build_null(&t, be, V6, V6_LEN);
		pkt = tf_decode(&t, DLT_NULL);
		TF_PROTOS(pkt, PKL_PROTO_NULL, PKL_PROTO_IPV6, PKL_PROTO_ICMPV6, PKL_PROTO_DATA);
		assert_int_equal(pkt->layers[0].hdr.null.family, fams[i]);
		TF_NO_EVENTS(pkt);
	}
}

static void
test_null_unknown_family(void **state)
{
	(void)state;
	static struct tf t;
	const uint8_t fam[4] = { 7, 0, 0, 0 };
	build_null(&t, fam, V4, V4_LEN);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_NULL);

	TF_PROTOS(pkt, PKL_PROTO_NULL, PKL_PROTO_UNKNOWN);
	TF_CODES(pkt, PKL_EV_NULL_UNKNOWN_FAMILY);
	TF_EVENT(pkt, PKL_EV_NULL_UNKNOWN_FAMILY, 0, 7, 36);
	const struct pkl_layer *u = TF_LAYER(pkt, 1, PKL_PROTO_UNKNOWN);
	assert_int_equal(u->hdr.unknown.parent, PKL_PROTO_NULL);
	assert_int_equal(u->hdr.unknown.value, 7);
	TF_GEOM(u, 4, 36, 36, 0, 36);
	TF_CLEAN(pkt);

	/* Both halves set: neither order gives a family that fits 16 bits,
	 * the big-endian reading is kept. */
	const uint8_t odd[4] = { 0x01, 0x02, 0x03, 0x04 };
	build_null(&t, odd, V4, V4_LEN);
	pkt = tf_decode(&t, DLT_NULL);
	TF_EVENT(pkt, PKL_EV_NULL_UNKNOWN_FAMILY, 0, 0x01020304u, 36);
}

static void
test_null_truncated_and_short(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_null_icmp, sizeof tf_null_icmp, DLT_NULL);

	const struct pkl_packet *pkt = tf_run(&t, DLT_NULL, 3, t.n);
	TF_PROTOS(pkt, PKL_PROTO_NULL);
	TF_CODES(pkt, PKL_EV_NULL_TRUNC);
	TF_EVENT(pkt, PKL_EV_NULL_TRUNC, 0, 4, 3);
	TF_FLAGS(&pkt->layers[0], PKL_LAYER_TRUNCATED);
	assert_true(pkt->truncated);

	pkt = tf_run(&t, DLT_NULL, 3, 3);
	TF_CODES(pkt, PKL_EV_LAYER_SHORT);
	TF_EVENT(pkt, PKL_EV_LAYER_SHORT, 0, 4, 3);
	TF_FLAGS(&pkt->layers[0], PKL_LAYER_MALFORMED);
	assert_false(pkt->truncated);
}

static void
test_raw_ipv4(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, V4, V4_LEN, DLT_RAW);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_RAW);

	TF_PROTOS(pkt, PKL_PROTO_IP, PKL_PROTO_IPV4, PKL_PROTO_ICMP, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	/* The raw layer is zero bytes long: it only picks the version. */
	TF_GEOM(TF_LAYER(pkt, 0, PKL_PROTO_IP), 0, 36, 36, 0, 36);
	TF_GEOM(TF_LAYER(pkt, 1, PKL_PROTO_IPV4), 0, 36, 36, 20, 16);
	assert_int_equal(pkt->layers[1].hdr.ipv4.cksum_status, PKL_CK_GOOD);

	/* LINKTYPE_IPV4 names the version: no raw layer to pick it. */
	pkt = tf_decode(&t, DLT_IPV4);
	TF_PROTOS(pkt, PKL_PROTO_IPV4, PKL_PROTO_ICMP, PKL_PROTO_DATA);
	TF_GEOM(&pkt->layers[0], 0, 36, 36, 20, 16);
	TF_NO_EVENTS(pkt);
	assert_string_equal(pkl_proto_name(PKL_PROTO_IP), "raw");
	assert_int_equal(pkl_decode_link_proto(DLT_IPV4), PKL_PROTO_IPV4);

	/* ...so an IPv6 packet there is a bad IPv4 version. */
	tf_load_good(&t, V6, V6_LEN, DLT_RAW);
	pkt = tf_decode(&t, DLT_IPV4);
	TF_PROTOS(pkt, PKL_PROTO_IPV4);
	TF_CODES(pkt, PKL_EV_IPV4_BAD_VERSION);
	TF_EVENT(pkt, PKL_EV_IPV4_BAD_VERSION, 0, 6, 0);
	TF_FLAGS(&pkt->layers[0], PKL_LAYER_MALFORMED);
}

static void
test_raw_ipv6(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, V6, V6_LEN, DLT_RAW);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_RAW);

	TF_PROTOS(pkt, PKL_PROTO_IP, PKL_PROTO_IPV6, PKL_PROTO_ICMPV6, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	TF_GEOM(TF_LAYER(pkt, 1, PKL_PROTO_IPV6), 0, 56, 56, 40, 16);
	assert_int_equal(pkt->layers[2].hdr.icmp.cksum_status, PKL_CK_GOOD);

	pkt = tf_decode(&t, DLT_IPV6);
	TF_PROTOS(pkt, PKL_PROTO_IPV6, PKL_PROTO_ICMPV6, PKL_PROTO_DATA);
	TF_GEOM(&pkt->layers[0], 0, 56, 56, 40, 16);
	TF_NO_EVENTS(pkt);
	assert_int_equal(pkl_decode_link_proto(DLT_IPV6), PKL_PROTO_IPV6);

	tf_load_good(&t, V4, V4_LEN, DLT_RAW);
	pkt = tf_decode(&t, DLT_IPV6);
	TF_PROTOS(pkt, PKL_PROTO_IPV6);
	TF_CODES(pkt, PKL_EV_LAYER_SHORT);
	TF_EVENT(pkt, PKL_EV_LAYER_SHORT, 0, 40, 36);
}

static void
test_raw_bad_version(void **state)
{
	(void)state;
	static struct tf t;
	static const uint8_t versions[] = { 0, 5, 15 };

	for (size_t i = 0; i < sizeof versions; i++) {
		tf_load_good(&t, V4, V4_LEN, DLT_RAW);
		t.buf[0] = (uint8_t)(versions[i] << 4 | 5);
		const struct pkl_packet *pkt = tf_decode(&t, DLT_RAW);
		TF_PROTOS(pkt, PKL_PROTO_IP);
		TF_CODES(pkt, PKL_EV_IP_VERSION_UNKNOWN);
		TF_EVENT(pkt, PKL_EV_IP_VERSION_UNKNOWN, 0, versions[i], 0);
		TF_FLAGS(&pkt->layers[0], PKL_LAYER_MALFORMED);
		assert_true(pkt->malformed);
	}
}

static void
test_raw_nothing_captured(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, V4, V4_LEN, DLT_RAW);
	const struct pkl_packet *pkt = tf_run(&t, DLT_RAW, 0, t.n);
	TF_PROTOS(pkt, PKL_PROTO_IP);
	TF_CODES(pkt, PKL_EV_IP_TRUNC);
	TF_EVENT(pkt, PKL_EV_IP_TRUNC, 0, 0, 0);
	TF_FLAGS(&pkt->layers[0], PKL_LAYER_TRUNCATED);
	assert_true(pkt->truncated);

	/* One byte: the version is known, the IPv4 header is cut. */
	pkt = tf_run(&t, DLT_RAW, 1, t.n);
	TF_PROTOS(pkt, PKL_PROTO_IP, PKL_PROTO_IPV4);
	TF_CODES(pkt, PKL_EV_IPV4_TRUNC);
	TF_EVENT(pkt, PKL_EV_IPV4_TRUNC, 1, 20, 1);
	TF_FLAGS(&pkt->layers[0], 0);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_TRUNCATED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_ipv4_little_endian),
		cmocka_unit_test(test_null_ipv4_big_endian),
		cmocka_unit_test(test_null_ipv6_families_both_orders),
		cmocka_unit_test(test_null_unknown_family),
		cmocka_unit_test(test_null_truncated_and_short),
		cmocka_unit_test(test_raw_ipv4),
		cmocka_unit_test(test_raw_ipv6),
		cmocka_unit_test(test_raw_bad_version),
		cmocka_unit_test(test_raw_nothing_captured),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
