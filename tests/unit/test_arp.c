/* ARP: request/reply/gratuitous/probe classification, hostile hlen/plen. */
#include "frames.h"

#include "../../dissectors/arp.h"

static const uint8_t mac_a[6] = { TF_MAC_A };
static const uint8_t mac_b[6] = { TF_MAC_B };
static const uint8_t ip_a[4] = { TF_IP_A };
static const uint8_t ip_b[4] = { TF_IP_B };
static const uint8_t zero[6];

/* An Ethernet/IPv4 ARP frame (42 bytes) with the given opcode and addresses. */
static void
build(struct tf *t, uint16_t op, const uint8_t sha[6], const uint8_t spa[4],
      const uint8_t tha[6], const uint8_t tpa[4])
{
	uint8_t b[42];
	memcpy(b, tf_arp_request, sizeof b);
	tf_wr16(b + 20, op);
	memcpy(b + 22, sha, 6);
	memcpy(b + 28, spa, 4);
	memcpy(b + 32, tha, 6);
	memcpy(b + 38, tpa, 4);
	tf_load(t, b, sizeof b);
}

/* ARP with arbitrary htype/ptype/hlen/plen, op 1, and `body` bytes of
 * addresses (0x11 filled). */
static void
build_sizes(struct tf *t, uint16_t htype, uint16_t ptype, uint8_t hlen,
	    uint8_t plen, size_t body)
{
	uint8_t b[TF_MAX];
	memcpy(b, tf_arp_request, 14);
	tf_wr16(b + 14, htype);
	tf_wr16(b + 16, ptype);
	b[18] = hlen;
	b[19] = plen;
	tf_wr16(b + 20, 1);
	memset(b + 22, 0x11, body);
	tf_load(t, b, 22 + body);
}

static const struct pkl_arp *
arp_of(const struct pkl_packet *pkt)
{
	return &TF_LAYER(pkt, 1, PKL_PROTO_ARP)->hdr.arp;
}

static void
test_arp_request_fields(void **state)
{
	(void)state;
	static struct tf t;
	const struct pkl_packet *pkt = tf_decode_bytes(&t, DLT_EN10MB, tf_arp_request,
						       sizeof tf_arp_request);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_ARP);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_arp *a = arp_of(pkt);
	assert_int_equal(a->htype, 1);
	assert_int_equal(a->ptype, 0x0800);
	assert_int_equal(a->hlen, 6);
	assert_int_equal(a->plen, 4);
	assert_int_equal(a->op, 1);
	assert_true(a->addrs_decoded);
	assert_memory_equal(a->sha, mac_a, 6);
	assert_memory_equal(a->spa, ip_a, 4);
	assert_memory_equal(a->tha, zero, 6);
	assert_memory_equal(a->tpa, ip_b, 4);
	assert_int_equal(a->kind, PKL_ARP_REQUEST);
	TF_GEOM(&pkt->layers[1], 14, 28, 28, 28, 0);
	assert_string_equal(pkl_arp_opcode_name(1), "request");
	assert_string_equal(pkl_arp_hwtype_name(1), "ethernet");
}

static void
test_arp_reply(void **state)
{
	(void)state;
	static struct tf t;
	build(&t, 2, mac_b, ip_b, mac_a, ip_a);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_arp *a = arp_of(pkt);
	assert_int_equal(a->op, 2);
	assert_int_equal(a->kind, PKL_ARP_REPLY);
	assert_memory_equal(a->sha, mac_b, 6);
	assert_memory_equal(a->spa, ip_b, 4);
	assert_memory_equal(a->tha, mac_a, 6);
	assert_memory_equal(a->tpa, ip_a, 4);
	TF_NO_EVENTS(pkt);
	assert_string_equal(pkl_arp_opcode_name(2), "reply");
}

static void
test_arp_gratuitous(void **state)
{
	(void)state;
	static struct tf t;
	/* Request form: sender announces 10.77.1.1 asking for itself. */
	build(&t, 1, mac_a, ip_a, zero, ip_a);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(arp_of(pkt)->kind, PKL_ARP_GRATUITOUS);
	TF_NO_EVENTS(pkt);

	/* Reply form, to broadcast. */
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	build(&t, 2, mac_a, ip_a, bcast, ip_a);
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(arp_of(pkt)->kind, PKL_ARP_GRATUITOUS);
}

static void
test_arp_probe(void **state)
{
	(void)state;
	static struct tf t;
	/* RFC 5227 probe: sender 0.0.0.0 asks for the address it wants. */
	build(&t, 1, mac_a, zero, zero, ip_a);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(arp_of(pkt)->kind, PKL_ARP_PROBE);
	TF_NO_EVENTS(pkt);

	/* Both addresses 0.0.0.0: still a probe, not "gratuitous". */
	build(&t, 1, mac_a, zero, zero, zero);
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(arp_of(pkt)->kind, PKL_ARP_PROBE);

	/* A reply from 0.0.0.0 is no probe. */
	build(&t, 2, mac_a, zero, mac_b, ip_b);
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(arp_of(pkt)->kind, PKL_ARP_REPLY);
}

static void
test_arp_other_and_unknown_opcodes(void **state)
{
	(void)state;
	static struct tf t;
	/* RARP request: known, classified other. */
	build(&t, 3, mac_a, zero, mac_a, zero);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(arp_of(pkt)->kind, PKL_ARP_OTHER);
	TF_NO_EVENTS(pkt);
	assert_string_equal(pkl_arp_opcode_name(3), "RARP request");
	assert_string_equal(pkl_arp_opcode_name(9), "InARP reply");

	static const uint16_t unknown[] = { 0, 5, 10, 0xffff };
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		build(&t, unknown[i], mac_a, ip_a, zero, ip_b);
		pkt = tf_decode(&t, DLT_EN10MB);
		assert_int_equal(arp_of(pkt)->op, unknown[i]);
		assert_int_equal(arp_of(pkt)->kind, PKL_ARP_OTHER);
		TF_CODES(pkt, PKL_EV_ARP_UNKNOWN_OP);
		TF_EVENT(pkt, PKL_EV_ARP_UNKNOWN_OP, 1, unknown[i], 0);
		TF_CLEAN(pkt);
		assert_null(pkl_arp_opcode_name(unknown[i]));
	}
}

static void
test_arp_hlen_zero(void **state)
{
	(void)state;
	static struct tf t;
	/* hlen 0: only the two 4-byte protocol addresses follow. */
	build_sizes(&t, 1, 0x0800, 0, 4, 8);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_ARP_BAD_HLEN);
	TF_EVENT(pkt, PKL_EV_ARP_BAD_HLEN, 1, 0, 0);
	const struct pkl_layer *l = &pkt->layers[1];
	TF_FLAGS(l, PKL_LAYER_MALFORMED);
	assert_false(l->hdr.arp.addrs_decoded);
	assert_int_equal(l->hdr.arp.kind, PKL_ARP_REQUEST);
	TF_GEOM(l, 14, 16, 16, 16, 0);
	assert_true(pkt->malformed);
	assert_false(pkt->truncated);
}

static void
test_arp_hlen_huge(void **state)
{
	(void)state;
	static struct tf t;
	/* hlen 255: the addresses would need 8 + 510 + 8 bytes. */
	build_sizes(&t, 1, 0x0800, 255, 4, 20);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_ARP_BAD_HLEN, PKL_EV_LAYER_SHORT);
	TF_EVENT(pkt, PKL_EV_ARP_BAD_HLEN, 1, 255, 0);
	TF_EVENT(pkt, PKL_EV_LAYER_SHORT, 1, 526, 28);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_MALFORMED);
	assert_false(pkt->layers[1].hdr.arp.addrs_decoded);
	assert_false(pkt->truncated);

	/* Both 255: 1028 bytes needed, and no read goes past the 28. */
	build_sizes(&t, 1, 0x0800, 255, 255, 20);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_ARP_BAD_HLEN, PKL_EV_LAYER_SHORT);
	TF_EVENT(pkt, PKL_EV_LAYER_SHORT, 1, 1028, 28);
}

static void
test_arp_plen_hostile(void **state)
{
	(void)state;
	static struct tf t;
	/* plen 16 (IPv6-sized) for ptype IPv4. */
	build_sizes(&t, 1, 0x0800, 6, 16, 20);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_ARP_BAD_PLEN, PKL_EV_LAYER_SHORT);
	TF_EVENT(pkt, PKL_EV_ARP_BAD_PLEN, 1, 16, 0);
	TF_EVENT(pkt, PKL_EV_LAYER_SHORT, 1, 52, 28);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_MALFORMED);

	/* plen 0: fits, but addresses cannot be decoded. */
	build_sizes(&t, 1, 0x0800, 6, 0, 12);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_ARP_BAD_PLEN);
	TF_EVENT(pkt, PKL_EV_ARP_BAD_PLEN, 1, 0, 0);
	assert_false(pkt->layers[1].hdr.arp.addrs_decoded);
	TF_GEOM(&pkt->layers[1], 14, 20, 20, 20, 0);
}

static void
test_arp_both_sizes_bad_reports_hlen(void **state)
{
	(void)state;
	static struct tf t;
	/* What the code does: one size event, hlen's (plen is not checked
	 * once hlen is wrong). */
	build_sizes(&t, 1, 0x0800, 8, 8, 32);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_ARP_BAD_HLEN);
	TF_EVENT(pkt, PKL_EV_ARP_BAD_HLEN, 1, 8, 0);
	assert_false(pkt->layers[1].hdr.arp.addrs_decoded);
}

static void
test_arp_not_ethernet_ipv4(void **state)
{
	(void)state;
	static struct tf t;
	/* InfiniBand: 20-byte hardware addresses. */
	build_sizes(&t, 32, 0x0800, 20, 4, 48);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_ARP_NOT_ETH_IPV4);
	TF_EVENT(pkt, PKL_EV_ARP_NOT_ETH_IPV4, 1, 32, 0x0800);
	TF_CLEAN(pkt);
	const struct pkl_layer *l = &pkt->layers[1];
	assert_false(l->hdr.arp.addrs_decoded);
	assert_int_equal(l->hdr.arp.kind, PKL_ARP_REQUEST);
	TF_GEOM(l, 14, 56, 56, 56, 0);
	assert_string_equal(pkl_arp_hwtype_name(32), "infiniband");

	/* IEEE 802 hardware with Ethernet/IPv4 sizes: addresses decoded. */
	build_sizes(&t, 6, 0x0800, 6, 4, 20);
	memcpy(t.buf + 28, ip_a, 4);
	memcpy(t.buf + 38, ip_b, 4);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_ARP_NOT_ETH_IPV4);
	TF_EVENT(pkt, PKL_EV_ARP_NOT_ETH_IPV4, 1, 6, 0x0800);
	assert_true(pkt->layers[1].hdr.arp.addrs_decoded);
	assert_memory_equal(pkt->layers[1].hdr.arp.spa, ip_a, 4);
	assert_memory_equal(pkt->layers[1].hdr.arp.tpa, ip_b, 4);
}

static void
test_arp_truncated(void **state)
{
	(void)state;
	static struct tf t;
	tf_load(&t, tf_arp_request, sizeof tf_arp_request);

	/* Inside the fixed part. */
	const struct pkl_packet *pkt = tf_run(&t, DLT_EN10MB, 19, t.n);
	TF_CODES(pkt, PKL_EV_ARP_TRUNC);
	TF_EVENT(pkt, PKL_EV_ARP_TRUNC, 1, 8, 5);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_TRUNCATED);
	assert_true(pkt->truncated);
	assert_false(pkt->malformed);

	/* Inside the addresses: the fixed fields are kept. */
	pkt = tf_run(&t, DLT_EN10MB, 34, t.n);
	TF_CODES(pkt, PKL_EV_ARP_TRUNC);
	TF_EVENT(pkt, PKL_EV_ARP_TRUNC, 1, 28, 20);
	const struct pkl_arp *a = &pkt->layers[1].hdr.arp;
	assert_int_equal(a->op, 1);
	assert_int_equal(a->hlen, 6);
	assert_false(a->addrs_decoded);
	assert_int_equal(a->kind, PKL_ARP_REQUEST);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_TRUNCATED);

	/* The wire itself ends inside the addresses. */
	pkt = tf_run(&t, DLT_EN10MB, 34, 34);
	TF_CODES(pkt, PKL_EV_LAYER_SHORT);
	TF_EVENT(pkt, PKL_EV_LAYER_SHORT, 1, 28, 20);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_MALFORMED);
	assert_false(pkt->truncated);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_request_fields),
		cmocka_unit_test(test_arp_reply),
		cmocka_unit_test(test_arp_gratuitous),
		cmocka_unit_test(test_arp_probe),
		cmocka_unit_test(test_arp_other_and_unknown_opcodes),
		cmocka_unit_test(test_arp_hlen_zero),
		cmocka_unit_test(test_arp_hlen_huge),
		cmocka_unit_test(test_arp_plen_hostile),
		cmocka_unit_test(test_arp_both_sizes_bad_reports_hlen),
		cmocka_unit_test(test_arp_not_ethernet_ipv4),
		cmocka_unit_test(test_arp_truncated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
