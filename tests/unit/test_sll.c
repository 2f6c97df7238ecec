/* Linux cooked captures: SLL (16-byte header) and SLL2 (20 bytes). */
#include "frames.h"

#include "../../dissectors/sll.h"

static const uint8_t mac_a[6] = { TF_MAC_A };
static const uint8_t mac_b[6] = { TF_MAC_B };

/* tf_udp's IP datagram: 33 bytes. */
#define UDP_IP (tf_udp + TF_UDP_IP)
#define UDP_IP_LEN (sizeof tf_udp - TF_UDP_IP)

/* SLL v1 header: packet type, ARPHRD type, address length, 8 address
 * bytes (B's MAC, zero-padded), protocol; then n payload bytes. */
static void
build_sll(struct tf *t, uint16_t pkttype, uint16_t hatype, uint16_t halen,
	  uint16_t protocol, const uint8_t *payload, size_t n)
{
	uint8_t b[TF_MAX] = { 0 };
	tf_wr16(b, pkttype);
	tf_wr16(b + 2, hatype);
	tf_wr16(b + 4, halen);
	memcpy(b + 6, mac_b, 6);
	tf_wr16(b + 14, protocol);
	memcpy(b + 16, payload, n);
	tf_load(t, b, 16 + n);
	tf_fix_checksums(t->buf, t->n, DLT_LINUX_SLL);
}

static void
test_sll_fields(void **state)
{
	(void)state;
	static struct tf t;
	build_sll(&t, 0, 1, 6, 0x0800, UDP_IP, UDP_IP_LEN);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_LINUX_SLL);

	TF_PROTOS(pkt, PKL_PROTO_SLL, PKL_PROTO_IPV4, PKL_PROTO_UDP, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *l = TF_LAYER(pkt, 0, PKL_PROTO_SLL);
	const struct pkl_sll *s = &l->hdr.sll;
	assert_int_equal(s->pkttype, 0);
	assert_int_equal(s->hatype, 1);
	assert_int_equal(s->addr_len, 6);
	assert_memory_equal(s->addr, mac_b, 6);
	assert_int_equal(s->addr[6], 0);
	assert_int_equal(s->addr[7], 0);
	assert_int_equal(s->protocol, 0x0800);
	assert_int_equal(s->ifindex, 0);
	TF_GEOM(l, 0, 49, 49, 16, 33);
	assert_int_equal(pkt->layers[1].offset, 16);
	assert_int_equal(pkt->layers[2].hdr.udp.cksum_status, PKL_CK_GOOD);
	assert_string_equal(pkl_proto_name(PKL_PROTO_SLL), "sll");
}

static void
test_sll2_fields(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_sll2_udp, sizeof tf_sll2_udp, DLT_LINUX_SLL2);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_LINUX_SLL2);

	TF_PROTOS(pkt, PKL_PROTO_SLL2, PKL_PROTO_IPV4, PKL_PROTO_UDP, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *l = TF_LAYER(pkt, 0, PKL_PROTO_SLL2);
	const struct pkl_sll *s = &l->hdr.sll;
	assert_int_equal(s->protocol, 0x0800);
	assert_int_equal(s->ifindex, 2);
	assert_int_equal(s->hatype, 1);
	assert_int_equal(s->pkttype, 4);
	assert_int_equal(s->addr_len, 6);
	assert_memory_equal(s->addr, mac_a, 6);
	TF_GEOM(l, 0, 53, 53, 20, 33);
	assert_int_equal(pkt->layers[1].offset, 20);
	assert_int_equal(pkt->layers[1].hdr.ipv4.cksum_status, PKL_CK_GOOD);
	assert_string_equal(pkl_sll_pkttype_name(4), "sent by us");
}

static void
test_sll2_large_ifindex_and_arp(void **state)
{
	(void)state;
	static struct tf t;
	uint8_t b[20 + 28] = {
		0x08, 0x06, 0x00, 0x00, 0x80, 0x00, 0x01, 0x02,
		0x00, 0x01, 0x01, 0x06, TF_MAC_B, 0x00, 0x00,
	};
	memcpy(b + 20, tf_arp_request + TF_ARP_ARP, 28);
	const struct pkl_packet *pkt = tf_decode_bytes(&t, DLT_LINUX_SLL2, b, sizeof b);

	TF_PROTOS(pkt, PKL_PROTO_SLL2, PKL_PROTO_ARP);
	assert_int_equal(pkt->layers[0].hdr.sll.ifindex, 0x80000102u);
	assert_int_equal(pkt->layers[0].hdr.sll.pkttype, 1);
	assert_int_equal(pkt->layers[0].hdr.sll.protocol, 0x0806);
	assert_int_equal(pkt->layers[1].hdr.arp.op, 1);
	TF_NO_EVENTS(pkt);
}

static void
test_sll_vlan_inside(void **state)
{
	(void)state;
	static struct tf t;
	uint8_t payload[4 + 28] = { 0x20, 0x05, 0x08, 0x06 };
	memcpy(payload + 4, tf_arp_request + TF_ARP_ARP, 28);
	build_sll(&t, 3, 1, 6, 0x8100, payload, sizeof payload);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_LINUX_SLL);

	TF_PROTOS(pkt, PKL_PROTO_SLL, PKL_PROTO_VLAN, PKL_PROTO_ARP);
	/* The tag's TPID comes from the cooked header's protocol field. */
	assert_int_equal(pkt->layers[1].hdr.vlan.tpid, 0x8100);
	assert_int_equal(pkt->layers[1].hdr.vlan.vid, 5);
	assert_int_equal(pkt->layers[1].hdr.vlan.pcp, 1);
	TF_NO_EVENTS(pkt);
}

static void
test_sll_unknown_protocol(void **state)
{
	(void)state;
	static struct tf t;
	const uint8_t llc[12] = { 0x42, 0x42, 0x03 };
	/* 0x0004: Linux's ETH_P_802_2 pseudo type, LLC follows. */
	build_sll(&t, 0, 1, 6, 0x0004, llc, sizeof llc);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_LINUX_SLL);

	TF_PROTOS(pkt, PKL_PROTO_SLL, PKL_PROTO_UNKNOWN);
	TF_CODES(pkt, PKL_EV_SLL_UNKNOWN_PROTO);
	TF_EVENT(pkt, PKL_EV_SLL_UNKNOWN_PROTO, 0, 0x0004, 12);
	const struct pkl_layer *u = TF_LAYER(pkt, 1, PKL_PROTO_UNKNOWN);
	assert_int_equal(u->hdr.unknown.parent, PKL_PROTO_SLL);
	assert_int_equal(u->hdr.unknown.value, 0x0004);
	TF_GEOM(u, 16, 12, 12, 0, 12);
	TF_CLEAN(pkt);
}

static void
test_sll_netlink_is_not_ethertype(void **state)
{
	(void)state;
	static struct tf t;
	/* ARPHRD_NETLINK: the protocol field is a netlink family, even when
	 * it looks like IPv4's EtherType. */
	build_sll(&t, 4, 824, 0, 0x0800, UDP_IP, UDP_IP_LEN);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_LINUX_SLL);

	TF_PROTOS(pkt, PKL_PROTO_SLL, PKL_PROTO_UNKNOWN);
	TF_CODES(pkt, PKL_EV_SLL_UNKNOWN_PROTO);
	TF_EVENT(pkt, PKL_EV_SLL_UNKNOWN_PROTO, 0, 0x0800, 33);
	assert_int_equal(pkt->layers[0].hdr.sll.hatype, 824);
}

static void
test_sll_address_length_hostile(void **state)
{
	(void)state;
	static struct tf t;
	static const uint16_t bad[] = { 9, 255, 0xffff };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		build_sll(&t, 0, 1, bad[i], 0x0800, UDP_IP, UDP_IP_LEN);
		const struct pkl_packet *pkt = tf_decode(&t, DLT_LINUX_SLL);
		TF_CODES(pkt, PKL_EV_SLL_ADDR_LEN);
		TF_EVENT(pkt, PKL_EV_SLL_ADDR_LEN, 0, bad[i], 0);
		TF_FLAGS(&pkt->layers[0], PKL_LAYER_MALFORMED);
		assert_true(pkt->malformed);
		assert_false(pkt->truncated);
		assert_int_equal(pkt->layers[0].hdr.sll.addr_len, bad[i]);
		/* The 8 address bytes are still shown; decoding goes on. */
		assert_memory_equal(pkt->layers[0].hdr.sll.addr, mac_b, 6);
		TF_PROTOS(pkt, PKL_PROTO_SLL, PKL_PROTO_IPV4, PKL_PROTO_UDP, PKL_PROTO_DATA);
		TF_FLAGS(&pkt->layers[1], 0);
	}

	/* SLL2's one-byte length: 9 is one too many. */
	tf_load_good(&t, tf_sll2_udp, sizeof tf_sll2_udp, DLT_LINUX_SLL2);
	t.buf[11] = 9;
	const struct pkl_packet *pkt = tf_decode(&t, DLT_LINUX_SLL2);
	TF_CODES(pkt, PKL_EV_SLL_ADDR_LEN);
	TF_EVENT(pkt, PKL_EV_SLL_ADDR_LEN, 0, 9, 0);

	/* 8 is the maximum and fine. */
	t.buf[11] = 8;
	pkt = tf_decode(&t, DLT_LINUX_SLL2);
	TF_NO_EVENTS(pkt);
}

static void
test_sll_truncated(void **state)
{
	(void)state;
	static struct tf t;
	build_sll(&t, 0, 1, 6, 0x0800, UDP_IP, UDP_IP_LEN);

	const struct pkl_packet *pkt = tf_run(&t, DLT_LINUX_SLL, 15, t.n);
	TF_PROTOS(pkt, PKL_PROTO_SLL);
	TF_CODES(pkt, PKL_EV_SLL_TRUNC);
	TF_EVENT(pkt, PKL_EV_SLL_TRUNC, 0, 16, 15);
	TF_FLAGS(&pkt->layers[0], PKL_LAYER_TRUNCATED);
	assert_true(pkt->truncated);
	assert_false(pkt->malformed);

	/* Exactly the header: the IP layer is what was cut. */
	pkt = tf_run(&t, DLT_LINUX_SLL, 16, t.n);
	TF_FLAGS(&pkt->layers[0], 0);
	TF_EVENT(pkt, PKL_EV_IPV4_TRUNC, 1, 20, 0);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_TRUNCATED);

	/* A 10-byte frame on the wire: malformed, not truncated. */
	pkt = tf_run(&t, DLT_LINUX_SLL, 10, 10);
	TF_CODES(pkt, PKL_EV_LAYER_SHORT);
	TF_EVENT(pkt, PKL_EV_LAYER_SHORT, 0, 16, 10);
	TF_FLAGS(&pkt->layers[0], PKL_LAYER_MALFORMED);
}

static void
test_sll2_truncated(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_sll2_udp, sizeof tf_sll2_udp, DLT_LINUX_SLL2);

	const struct pkl_packet *pkt = tf_run(&t, DLT_LINUX_SLL2, 19, t.n);
	TF_CODES(pkt, PKL_EV_SLL_TRUNC);
	TF_EVENT(pkt, PKL_EV_SLL_TRUNC, 0, 20, 19);
	TF_FLAGS(&pkt->layers[0], PKL_LAYER_TRUNCATED);

	/* 16 bytes would be a whole SLL v1 header, but not an SLL2 one. */
	pkt = tf_run(&t, DLT_LINUX_SLL2, 16, 16);
	TF_EVENT(pkt, PKL_EV_LAYER_SHORT, 0, 20, 16);
	TF_FLAGS(&pkt->layers[0], PKL_LAYER_MALFORMED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sll_fields),
		cmocka_unit_test(test_sll2_fields),
		cmocka_unit_test(test_sll2_large_ifindex_and_arp),
		cmocka_unit_test(test_sll_vlan_inside),
		cmocka_unit_test(test_sll_unknown_protocol),
		cmocka_unit_test(test_sll_netlink_is_not_ethertype),
		cmocka_unit_test(test_sll_address_length_hostile),
		cmocka_unit_test(test_sll_truncated),
		cmocka_unit_test(test_sll2_truncated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
