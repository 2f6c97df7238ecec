/* Ethernet II, 802.3 length frames, 802.1Q/802.1ad VLAN stacks. */
#include "frames.h"

#include "../../dissectors/eth.h"

static const uint8_t mac_a[6] = { TF_MAC_A };
static const uint8_t mac_b[6] = { TF_MAC_B };

/* Ethernet header B <- A with the given type, then `tags` (4 bytes each,
 * TCI + next type) and a payload. */
static void
build(struct tf *t, uint16_t type, const uint8_t *tags, size_t ntags,
      const uint8_t *payload, size_t n)
{
	uint8_t b[TF_MAX];
	size_t off = 0;

	memcpy(b, mac_b, 6);
	memcpy(b + 6, mac_a, 6);
	tf_wr16(b + 12, type);
	off = 14;
	tf_copy(b + off, tags, ntags * 4);
	off += ntags * 4;
	tf_copy(b + off, payload, n);
	tf_load(t, b, off + n);
}

/* tf_arp_request's ARP body (28 bytes). */
static const uint8_t *
arp_body(void)
{
	return tf_arp_request + TF_ARP_ARP;
}

static void
test_eth_ii_fields(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_TCP);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *l = TF_LAYER(pkt, 0, PKL_PROTO_ETH);
	assert_memory_equal(l->hdr.eth.dst, mac_b, 6);
	assert_memory_equal(l->hdr.eth.src, mac_a, 6);
	assert_int_equal(l->hdr.eth.type, 0x0800);
	assert_false(l->hdr.eth.is_8023);
	TF_GEOM(l, 0, 74, 74, 14, 60);
	assert_ptr_equal(l->data, t.buf);
	TF_GEOM(TF_LAYER(pkt, 1, PKL_PROTO_IPV4), 14, 60, 60, 20, 40);
}

static void
test_eth_padding_is_not_payload(void **state)
{
	(void)state;
	static struct tf t;
	/* ARP padded to the 60-byte minimum: 18 bytes of zero padding. */
	uint8_t b[60] = { 0 };
	memcpy(b, tf_arp_request, sizeof tf_arp_request);
	tf_load(&t, b, sizeof b);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_ARP);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	TF_GEOM(TF_LAYER(pkt, 0, PKL_PROTO_ETH), 0, 60, 60, 14, 46);
	/* ARP takes its 28 bytes; the rest is not handed on. */
	TF_GEOM(TF_LAYER(pkt, 1, PKL_PROTO_ARP), 14, 46, 46, 28, 0);
}

static void
test_vlan_8021q(void **state)
{
	(void)state;
	static struct tf t;
	/* PCP 5, DEI 1, VID 10 -> TCI 0xb00a; inner ARP. */
	const uint8_t tag[] = { 0xb0, 0x0a, 0x08, 0x06 };
	build(&t, 0x8100, tag, 1, arp_body(), 28);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_VLAN, PKL_PROTO_ARP);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	assert_int_equal(pkt->layers[0].hdr.eth.type, 0x8100);
	const struct pkl_layer *v = TF_LAYER(pkt, 1, PKL_PROTO_VLAN);
	assert_int_equal(v->hdr.vlan.tpid, 0x8100);
	assert_int_equal(v->hdr.vlan.pcp, 5);
	assert_true(v->hdr.vlan.dei);
	assert_int_equal(v->hdr.vlan.vid, 10);
	assert_int_equal(v->hdr.vlan.type, 0x0806);
	TF_GEOM(v, 14, 32, 32, 4, 28);
	const struct pkl_layer *a = TF_LAYER(pkt, 2, PKL_PROTO_ARP);
	assert_int_equal(a->offset, 18);
	assert_int_equal(a->hdr.arp.kind, PKL_ARP_REQUEST);
}

static void
test_vlan_qinq_stack(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_vlan_qinq, sizeof tf_vlan_qinq, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_VLAN, PKL_PROTO_VLAN, PKL_PROTO_IPV4,
		  PKL_PROTO_ICMP, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *s = TF_LAYER(pkt, 1, PKL_PROTO_VLAN);
	assert_int_equal(s->hdr.vlan.tpid, 0x88a8);
	assert_int_equal(s->hdr.vlan.vid, 100);
	assert_int_equal(s->hdr.vlan.pcp, 0);
	assert_false(s->hdr.vlan.dei);
	assert_int_equal(s->hdr.vlan.type, 0x8100);
	TF_GEOM(s, 14, 44, 44, 4, 40);
	const struct pkl_layer *c = TF_LAYER(pkt, 2, PKL_PROTO_VLAN);
	assert_int_equal(c->hdr.vlan.tpid, 0x8100);
	assert_int_equal(c->hdr.vlan.vid, 200);
	assert_int_equal(c->hdr.vlan.pcp, 5);
	assert_int_equal(c->hdr.vlan.type, 0x0800);
	TF_GEOM(c, 18, 40, 40, 4, 36);
	assert_int_equal(TF_LAYER(pkt, 3, PKL_PROTO_IPV4)->offset, TF_VLAN_IP);
	assert_int_equal(pkt->layers[3].hdr.ipv4.cksum_status, PKL_CK_GOOD);
	assert_int_equal(pkt->layers[4].hdr.icmp.cksum_status, PKL_CK_GOOD);
}

static void
test_vlan_9100_tpid(void **state)
{
	(void)state;
	static struct tf t;
	const uint8_t tags[] = { 0x00, 0x07, 0x81, 0x00, 0x00, 0x08, 0x08, 0x06 };
	build(&t, 0x9100, tags, 2, arp_body(), 28);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_VLAN, PKL_PROTO_VLAN, PKL_PROTO_ARP);
	assert_int_equal(pkt->layers[1].hdr.vlan.tpid, 0x9100);
	assert_int_equal(pkt->layers[1].hdr.vlan.vid, 7);
	assert_int_equal(pkt->layers[2].hdr.vlan.tpid, 0x8100);
	assert_int_equal(pkt->layers[2].hdr.vlan.vid, 8);
	TF_NO_EVENTS(pkt);
}

static void
test_vlan_priority_tag_and_reserved_vid(void **state)
{
	(void)state;
	static struct tf t;
	/* VID 0: a priority tag, a warning only. */
	const uint8_t prio[] = { 0xe0, 0x00, 0x08, 0x06 };
	build(&t, 0x8100, prio, 1, arp_body(), 28);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_VLAN_ZERO_VID);
	TF_EVENT(pkt, PKL_EV_VLAN_ZERO_VID, 1, 0, 0);
	assert_int_equal(pkt->layers[1].hdr.vlan.pcp, 7);
	assert_int_equal(pkt->layers[1].hdr.vlan.vid, 0);
	TF_CLEAN(pkt);
	assert_int_equal(pkt->n_layers, 3);

	/* VID 4095 is reserved: malformed, but decoding goes on. */
	const uint8_t resv[] = { 0x0f, 0xff, 0x08, 0x06 };
	build(&t, 0x8100, resv, 1, arp_body(), 28);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_VLAN_RESERVED_VID);
	TF_EVENT(pkt, PKL_EV_VLAN_RESERVED_VID, 1, 0, 0);
	assert_int_equal(pkt->layers[1].hdr.vlan.vid, 4095);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_MALFORMED);
	TF_FLAGS(&pkt->layers[0], 0);
	assert_true(pkt->malformed);
	assert_false(pkt->truncated);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_VLAN, PKL_PROTO_ARP);
}

static void
test_vlan_truncated_and_short(void **state)
{
	(void)state;
	static struct tf t;
	const uint8_t tag[] = { 0x00, 0x0a, 0x08, 0x06 };
	build(&t, 0x8100, tag, 1, arp_body(), 28);

	/* The capture ends 2 bytes into the tag. */
	const struct pkl_packet *pkt = tf_run(&t, DLT_EN10MB, 16, t.n);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_VLAN);
	TF_CODES(pkt, PKL_EV_VLAN_TRUNC);
	TF_EVENT(pkt, PKL_EV_VLAN_TRUNC, 1, 4, 2);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_TRUNCATED);
	assert_int_equal(pkt->layers[1].hdr.vlan.tpid, 0x8100);
	assert_true(pkt->truncated);
	assert_false(pkt->malformed);

	/* The wire itself ends 2 bytes into the tag: malformed, not truncated. */
	pkt = tf_run(&t, DLT_EN10MB, 16, 16);
	TF_CODES(pkt, PKL_EV_LAYER_SHORT);
	TF_EVENT(pkt, PKL_EV_LAYER_SHORT, 1, 4, 2);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_MALFORMED);
	assert_false(pkt->truncated);
	assert_true(pkt->malformed);
}

static void
test_vlan_unknown_inner_type(void **state)
{
	(void)state;
	static struct tf t;
	const uint8_t tag[] = { 0x00, 0x0a, 0x88, 0xcc };   /* LLDP */
	const uint8_t payload[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	build(&t, 0x8100, tag, 1, payload, sizeof payload);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_VLAN, PKL_PROTO_UNKNOWN);
	TF_CODES(pkt, PKL_EV_ETH_UNKNOWN_TYPE);
	TF_EVENT(pkt, PKL_EV_ETH_UNKNOWN_TYPE, 1, 0x88cc, 10);
	const struct pkl_layer *u = TF_LAYER(pkt, 2, PKL_PROTO_UNKNOWN);
	assert_int_equal(u->hdr.unknown.parent, PKL_PROTO_VLAN);
	assert_int_equal(u->hdr.unknown.value, 0x88cc);
	TF_GEOM(u, 18, 10, 10, 0, 10);
	TF_CLEAN(pkt);
}

static void
test_vlan_stack_depth_limit(void **state)
{
	(void)state;
	static struct tf t;
	/* 20 stacked tags: more layers than a packet holds. */
	uint8_t tags[20 * 4];
	for (int i = 0; i < 20; i++) {
		tf_wr16(tags + 4 * i, (uint16_t)(i + 1));
		tf_wr16(tags + 4 * i + 2, 0x8100);
	}
	build(&t, 0x8100, tags, 20, arp_body(), 28);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	assert_int_equal(pkt->n_layers, PKL_MAX_LAYERS);
	for (unsigned i = 1; i < PKL_MAX_LAYERS; i++) {
		TF_LAYER(pkt, i, PKL_PROTO_VLAN);
		assert_int_equal(pkt->layers[i].hdr.vlan.vid, i);
		assert_int_equal(pkt->layers[i].offset, 14 + 4 * (i - 1));
	}
	TF_CODES(pkt, PKL_EV_DEPTH_LIMIT);
	TF_EVENT(pkt, PKL_EV_DEPTH_LIMIT, PKL_MAX_LAYERS - 1, PKL_MAX_LAYERS, 0);
	TF_FLAGS(&pkt->layers[PKL_MAX_LAYERS - 1], PKL_LAYER_MALFORMED);
	assert_true(pkt->malformed);
}

static void
test_8023_length_frame(void **state)
{
	(void)state;
	static struct tf t;
	/* 802.3 with an STP BPDU: length 38, LLC 42 42 03, padded to 60. */
	uint8_t payload[46] = { 0x42, 0x42, 0x03, 0x00, 0x00 };
	build(&t, 38, NULL, 0, payload, sizeof payload);
	t.buf[0] = 0x01; t.buf[1] = 0x80; t.buf[2] = 0xc2;
	t.buf[3] = t.buf[4] = t.buf[5] = 0x00;
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_DATA);
	const struct pkl_layer *e = TF_LAYER(pkt, 0, PKL_PROTO_ETH);
	assert_true(e->hdr.eth.is_8023);
	assert_int_equal(e->hdr.eth.type, 38);
	TF_GEOM(e, 0, 60, 60, 14, 38);
	TF_CODES(pkt, PKL_EV_ETH_8023);
	TF_EVENT(pkt, PKL_EV_ETH_8023, 0, 38, 0);
	TF_GEOM(TF_LAYER(pkt, 1, PKL_PROTO_DATA), 14, 38, 38, 0, 38);
	TF_CLEAN(pkt);
	assert_true(pkl_mac_is_multicast(e->hdr.eth.dst));
	assert_false(pkl_mac_is_broadcast(e->hdr.eth.dst));
}

static void
test_8023_length_exceeds_frame(void **state)
{
	(void)state;
	static struct tf t;
	uint8_t payload[46] = { 0xaa, 0xaa, 0x03 };
	build(&t, 1500, NULL, 0, payload, sizeof payload);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	const struct pkl_layer *e = TF_LAYER(pkt, 0, PKL_PROTO_ETH);
	assert_true(e->hdr.eth.is_8023);
	TF_CODES(pkt, PKL_EV_ETH_8023_LEN, PKL_EV_ETH_8023);
	TF_EVENT(pkt, PKL_EV_ETH_8023_LEN, 0, 1500, 46);
	TF_EVENT(pkt, PKL_EV_ETH_8023, 0, 1500, 0);
	TF_FLAGS(e, PKL_LAYER_MALFORMED);
	assert_true(pkt->malformed);
	assert_false(pkt->truncated);
	/* The payload is clamped to what the frame has. */
	TF_GEOM(e, 0, 60, 60, 14, 46);
	TF_GEOM(TF_LAYER(pkt, 1, PKL_PROTO_DATA), 14, 46, 46, 0, 46);
}

static void
test_8023_boundary_values(void **state)
{
	(void)state;
	static struct tf t;
	uint8_t payload[1500] = { 0 };

	/* 1500 fits exactly: 802.3, not malformed. */
	build(&t, 1500, NULL, 0, payload, 1500);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	assert_true(pkt->layers[0].hdr.eth.is_8023);
	TF_CODES(pkt, PKL_EV_ETH_8023);
	TF_CLEAN(pkt);

	/* 0x0600 (XNS IDP) is an EtherType: not 802.3, and not decoded. */
	build(&t, 0x0600, NULL, 0, payload, 46);
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_false(pkt->layers[0].hdr.eth.is_8023);
	TF_CODES(pkt, PKL_EV_ETH_UNKNOWN_TYPE);
	TF_EVENT(pkt, PKL_EV_ETH_UNKNOWN_TYPE, 0, 0x0600, 46);
}

static void
test_eth_unknown_ethertype(void **state)
{
	(void)state;
	static struct tf t;
	uint8_t payload[46];
	memset(payload, 0x77, sizeof payload);
	build(&t, 0x88b5, NULL, 0, payload, sizeof payload);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_UNKNOWN);
	TF_CODES(pkt, PKL_EV_ETH_UNKNOWN_TYPE);
	TF_EVENT(pkt, PKL_EV_ETH_UNKNOWN_TYPE, 0, 0x88b5, 46);
	assert_int_equal(pkl_event_kind(PKL_EV_ETH_UNKNOWN_TYPE), PKL_EVK_WARNING);
	TF_CLEAN(pkt);
	const struct pkl_layer *u = TF_LAYER(pkt, 1, PKL_PROTO_UNKNOWN);
	assert_int_equal(u->hdr.unknown.parent, PKL_PROTO_ETH);
	assert_int_equal(u->hdr.unknown.value, 0x88b5);
	TF_GEOM(u, 14, 46, 46, 0, 46);
	assert_string_equal(pkl_ethertype_name(0x88b5), "Local experimental");
	assert_null(pkl_ethertype_name(0x1234));
	assert_int_equal(pkl_ethertype_proto(0x86dd), PKL_PROTO_IPV6);
	assert_int_equal(pkl_ethertype_proto(0x88a8), PKL_PROTO_VLAN);
	assert_int_equal(pkl_ethertype_proto(0x8035), PKL_PROTO_UNKNOWN);
}

static void
test_eth_truncated_header(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
	static const uint8_t zero[6];

	/* 10 bytes: the destination address only. */
	const struct pkl_packet *pkt = tf_run(&t, DLT_EN10MB, 10, t.n);
	TF_PROTOS(pkt, PKL_PROTO_ETH);
	TF_CODES(pkt, PKL_EV_ETH_TRUNC);
	TF_EVENT(pkt, PKL_EV_ETH_TRUNC, 0, 14, 10);
	const struct pkl_layer *e = &pkt->layers[0];
	TF_FLAGS(e, PKL_LAYER_TRUNCATED);
	assert_memory_equal(e->hdr.eth.dst, mac_b, 6);
	assert_memory_equal(e->hdr.eth.src, zero, 6);
	TF_GEOM(e, 0, 10, 74, 10, 0);
	assert_true(pkt->truncated);
	assert_false(pkt->malformed);

	/* 13 bytes: both addresses, not the type. */
	pkt = tf_run(&t, DLT_EN10MB, 13, t.n);
	TF_EVENT(pkt, PKL_EV_ETH_TRUNC, 0, 14, 13);
	assert_memory_equal(pkt->layers[0].hdr.eth.src, mac_a, 6);
	assert_int_equal(pkt->layers[0].hdr.eth.type, 0);

	/* Nothing captured at all. */
	pkt = tf_run(&t, DLT_EN10MB, 0, t.n);
	TF_EVENT(pkt, PKL_EV_ETH_TRUNC, 0, 14, 0);
	TF_FLAGS(&pkt->layers[0], PKL_LAYER_TRUNCATED);
}

static void
test_eth_runt_frame(void **state)
{
	(void)state;
	static struct tf t;
	tf_load(&t, tf_tcp_syn, 12);
	/* A 12-byte frame on the wire: too short to be Ethernet. */
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_LAYER_SHORT);
	TF_EVENT(pkt, PKL_EV_LAYER_SHORT, 0, 14, 12);
	TF_FLAGS(&pkt->layers[0], PKL_LAYER_MALFORMED);
	assert_true(pkt->malformed);
	assert_false(pkt->truncated);
}

static void
test_caplen_above_len_is_clamped(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
	/* A capture claiming more bytes than the wire had. */
	const struct pkl_packet *pkt = tf_run(&t, DLT_EN10MB, t.n, 60);
	assert_int_equal(pkt->layers[0].caplen, 60);
	assert_int_equal(pkt->layers[0].len, 60);
	/* IPv4 total length 60 > 46 on the wire. */
	TF_EVENT(pkt, PKL_EV_IPV4_TOTLEN_LONG, 1, 60, 46);
}

static void
test_unsupported_link_type(void **state)
{
	(void)state;
	static struct tf t;
	tf_load(&t, tf_tcp_syn, sizeof tf_tcp_syn);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_IEEE802_11);
	TF_PROTOS(pkt, PKL_PROTO_UNKNOWN);
	TF_CODES(pkt, PKL_EV_LINK_UNSUPPORTED);
	TF_EVENT(pkt, PKL_EV_LINK_UNSUPPORTED, 0, DLT_IEEE802_11, 74);
	assert_int_equal(pkt->layers[0].hdr.unknown.parent, PKL_PROTO_NONE);
	assert_int_equal(pkt->layers[0].hdr.unknown.value, DLT_IEEE802_11);
	TF_GEOM(&pkt->layers[0], 0, 74, 74, 0, 74);
	TF_CLEAN(pkt);
	assert_int_equal(pkl_decode_link_proto(DLT_EN10MB), PKL_PROTO_ETH);
	assert_int_equal(pkl_decode_link_proto(DLT_LINUX_SLL2), PKL_PROTO_SLL2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eth_ii_fields),
		cmocka_unit_test(test_eth_padding_is_not_payload),
		cmocka_unit_test(test_vlan_8021q),
		cmocka_unit_test(test_vlan_qinq_stack),
		cmocka_unit_test(test_vlan_9100_tpid),
		cmocka_unit_test(test_vlan_priority_tag_and_reserved_vid),
		cmocka_unit_test(test_vlan_truncated_and_short),
		cmocka_unit_test(test_vlan_unknown_inner_type),
		cmocka_unit_test(test_vlan_stack_depth_limit),
		cmocka_unit_test(test_8023_length_frame),
		cmocka_unit_test(test_8023_length_exceeds_frame),
		cmocka_unit_test(test_8023_boundary_values),
		cmocka_unit_test(test_eth_unknown_ethertype),
		cmocka_unit_test(test_eth_truncated_header),
		cmocka_unit_test(test_eth_runt_frame),
		cmocka_unit_test(test_caplen_above_len_is_clamped),
		cmocka_unit_test(test_unsupported_link_type),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
