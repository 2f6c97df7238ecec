/* IPv4: header fields, options, fragments, checksum, hostile lengths. */
#include "frames.h"

#include "../../dissectors/ipv4.h"

static const uint8_t ip_a[4] = { TF_IP_A };
static const uint8_t ip_b[4] = { TF_IP_B };

/* tf_udp's UDP datagram (13 bytes). */
#define UDP_BODY (tf_udp + TF_UDP_UDP)
#define UDP_BODY_LEN 13

/* Ethernet + IPv4 (tf_udp's header, with nopts option bytes, IHL and
 * total length to match, the given protocol) + payload; checksums fixed. */
static void
build(struct tf *t, const uint8_t *opts, size_t nopts, uint8_t proto,
      const uint8_t *payload, size_t n)
{
	uint8_t b[TF_MAX];
	size_t hlen = 20 + nopts;

	memcpy(b, tf_udp, 34);
	b[14] = (uint8_t)(0x40 | (hlen / 4));
	tf_wr16(b + 16, (uint16_t)(hlen + n));
	b[23] = proto;
	tf_copy(b + 34, opts, nopts);
	tf_copy(b + 14 + hlen, payload, n);
	tf_load(t, b, 14 + hlen + n);
	tf_fix_checksums(t->buf, t->n, DLT_EN10MB);
}

/* Set bytes of the IP header, then recompute the header checksum only
 * (the transport's is left as it was). */
static void
patch_hdr(struct tf *t, size_t at, uint8_t v)
{
	uint8_t *ip = t->buf + 14;
	ip[at] = v;
	size_t hlen = (ip[0] & 0x0f) * 4u;
	if (hlen < 20)
		hlen = 20;
	ip[10] = ip[11] = 0;
	tf_wr16(ip + 10, tf_fold(tf_sum(0, ip, hlen)));
}

static const struct pkl_layer *
ip_layer(const struct pkl_packet *pkt)
{
	return TF_LAYER(pkt, 1, PKL_PROTO_IPV4);
}

static void
test_ipv4_every_field(void **state)
{
	(void)state;
	static struct tf t;
	build(&t, NULL, 0, 17, UDP_BODY, UDP_BODY_LEN);
	patch_hdr(&t, 1, 0xb9);          /* DSCP EF, ECN ECT(1) */
	patch_hdr(&t, 4, 0xbe);
	patch_hdr(&t, 5, 0xef);          /* id 0xbeef */
	patch_hdr(&t, 8, 1);             /* TTL 1 */
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_UDP, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *l = ip_layer(pkt);
	const struct pkl_ipv4 *ip = &l->hdr.ipv4;
	assert_int_equal(ip->version, 4);
	assert_int_equal(ip->ihl, 5);
	assert_int_equal(ip->dsfield, 0xb9);
	assert_int_equal(ip->total_len, 33);
	assert_int_equal(ip->id, 0xbeef);
	assert_false(ip->rf);
	assert_true(ip->df);
	assert_false(ip->mf);
	assert_int_equal(ip->frag_offset, 0);
	assert_int_equal(ip->ttl, 1);
	assert_int_equal(ip->proto, 17);
	assert_int_equal(ip->cksum, tf_rd16(t.buf + 24));
	assert_int_not_equal(ip->cksum, 0);
	assert_int_equal(ip->cksum_status, PKL_CK_GOOD);
	assert_memory_equal(ip->src, ip_a, 4);
	assert_memory_equal(ip->dst, ip_b, 4);
	assert_int_equal(ip->n_options, 0);
	assert_int_equal(ip->options_more, 0);
	TF_GEOM(l, 14, 33, 33, 20, 13);
	assert_int_equal(pkt->layers[2].hdr.udp.cksum_status, PKL_CK_GOOD);
}

static void
test_ipv4_checksum_good_and_bad(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
	uint16_t good = tf_rd16(t.buf + 24);
	assert_true(tf_sum_ok(NULL, 0, t.buf + 14, 20));
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(ip_layer(pkt)->hdr.ipv4.cksum_status, PKL_CK_GOOD);
	TF_NO_EVENTS(pkt);

	tf_wr16(t.buf + 24, 0x1234);
	pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_layer *l = ip_layer(pkt);
	assert_int_equal(l->hdr.ipv4.cksum, 0x1234);
	assert_int_equal(l->hdr.ipv4.cksum_status, PKL_CK_BAD);
	TF_CODES(pkt, PKL_EV_IPV4_BAD_CKSUM);
	TF_EVENT(pkt, PKL_EV_IPV4_BAD_CKSUM, 1, 0x1234, good);
	/* A bad checksum is a warning: the layer is neither cut nor malformed. */
	TF_CLEAN(pkt);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_TCP);

	/* One flipped bit elsewhere in the header is caught too. */
	tf_wr16(t.buf + 24, good);
	t.buf[14 + 8] ^= 0x01;     /* TTL 64 -> 65 */
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(ip_layer(pkt)->hdr.ipv4.cksum_status, PKL_CK_BAD);
	assert_int_equal(ip_layer(pkt)->hdr.ipv4.ttl, 65);
	TF_EVENT(pkt, PKL_EV_IPV4_BAD_CKSUM, 1, good, (uint16_t)(good - 0x0100));
}

static void
test_ipv4_fragments(void **state)
{
	(void)state;
	static struct tf t;

	/* First fragment: MF, offset 0.  UDP is decoded, but its length and
	 * checksum describe the whole datagram: not checked. */
	uint8_t udp[16];
	memcpy(udp, UDP_BODY, 8);
	tf_wr16(udp + 4, 1608);
	tf_wr16(udp + 6, 0xdead);
	memset(udp + 8, 0x61, 8);
	build(&t, NULL, 0, 17, udp, sizeof udp);
	patch_hdr(&t, 6, 0x20);        /* MF, offset 0 */
	patch_hdr(&t, 4, 0x42);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_ipv4 *ip = &ip_layer(pkt)->hdr.ipv4;
	assert_true(ip->mf);
	assert_false(ip->df);
	assert_int_equal(ip->frag_offset, 0);
	assert_true(pkl_ipv4_is_fragment(ip));
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_UDP, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_udp *u = &pkt->layers[2].hdr.udp;
	assert_int_equal(u->ulen, 1608);
	assert_int_equal(u->cksum_status, PKL_CK_UNVERIFIED);
	TF_GEOM(&pkt->layers[2], 34, 16, 16, 8, 8);

	/* Later fragment: offset 185 (1480 bytes), no transport header. */
	patch_hdr(&t, 6, 0x00);
	patch_hdr(&t, 7, 185);
	pkt = tf_decode(&t, DLT_EN10MB);
	ip = &ip_layer(pkt)->hdr.ipv4;
	assert_false(ip->mf);
	assert_int_equal(ip->frag_offset, 185);
	assert_true(pkl_ipv4_is_fragment(ip));
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_DATA);
	/* A normal fragment is no anomaly: a note explains it. */
	TF_NO_EVENTS(pkt);
	TF_GEOM(&pkt->layers[2], 34, 16, 16, 0, 16);
	TF_CLEAN(pkt);

	/* The largest offset, with MF and DF both set. */
	patch_hdr(&t, 6, 0x7f);
	patch_hdr(&t, 7, 0xff);
	pkt = tf_decode(&t, DLT_EN10MB);
	ip = &ip_layer(pkt)->hdr.ipv4;
	assert_true(ip->df);
	assert_true(ip->mf);
	assert_int_equal(ip->frag_offset, 0x1fff);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_DATA);
}

static void
test_ipv4_reserved_flag(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
	patch_hdr(&t, 6, 0xc0);       /* RF + DF */
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_layer *l = ip_layer(pkt);
	assert_true(l->hdr.ipv4.rf);
	assert_true(l->hdr.ipv4.df);
	TF_CODES(pkt, PKL_EV_IPV4_RF_SET);
	TF_EVENT(pkt, PKL_EV_IPV4_RF_SET, 1, 0, 0);
	TF_FLAGS(l, PKL_LAYER_MALFORMED);
	/* Decoding goes on. */
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_TCP);
	TF_FLAGS(&pkt->layers[2], 0);
}

static void
test_ipv4_options_list(void **state)
{
	(void)state;
	static struct tf t;
	/* Record route with 2 slots (len 11), NOP, EOL, padding: IHL 9. */
	const uint8_t opts[16] = { 0x07, 0x0b, 0x04, 0, 0, 0, 0, 0, 0, 0, 0,
				   0x01, 0x00, 0x00, 0x00, 0x00 };
	build(&t, opts, sizeof opts, 17, UDP_BODY, UDP_BODY_LEN);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_layer *l = ip_layer(pkt);
	const struct pkl_ipv4 *ip = &l->hdr.ipv4;
	assert_int_equal(ip->ihl, 9);
	assert_int_equal(ip->n_options, 3);
	assert_int_equal(ip->options[0].type, 7);
	assert_int_equal(ip->options[0].len, 11);
	assert_int_equal(ip->options[1].type, 1);
	assert_int_equal(ip->options[1].len, 1);
	assert_int_equal(ip->options[2].type, 0);
	assert_int_equal(ip->options[2].len, 1);
	assert_int_equal(ip->options_more, 0);
	assert_int_equal(ip->cksum_status, PKL_CK_GOOD);
	TF_GEOM(l, 14, 49, 49, 36, 13);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_UDP, PKL_PROTO_DATA);
	assert_int_equal(pkt->layers[2].offset, 50);
	assert_int_equal(pkt->layers[2].hdr.udp.cksum_status, PKL_CK_GOOD);
	assert_string_equal(pkl_ipv4_option_name(7), "RR");
	assert_string_equal(pkl_ipv4_option_name(148), "RTRALT");
	assert_null(pkl_ipv4_option_name(99));

	/* Router alert (4 bytes), then a timestamp option of 8. */
	const uint8_t opts2[12] = { 0x94, 0x04, 0x00, 0x00,
				    0x44, 0x08, 0x05, 0x00, 0, 0, 0, 0 };
	build(&t, opts2, sizeof opts2, 17, UDP_BODY, UDP_BODY_LEN);
	pkt = tf_decode(&t, DLT_EN10MB);
	ip = &ip_layer(pkt)->hdr.ipv4;
	assert_int_equal(ip->n_options, 2);
	assert_int_equal(ip->options[0].type, 0x94);
	assert_int_equal(ip->options[0].len, 4);
	assert_int_equal(ip->options[1].type, 0x44);
	assert_int_equal(ip->options[1].len, 8);
	TF_NO_EVENTS(pkt);
}

static void
test_ipv4_options_overflow_list(void **state)
{
	(void)state;
	static struct tf t;
	/* 40 NOPs: 20 listed, 20 counted. */
	uint8_t opts[40];
	memset(opts, 0x01, sizeof opts);
	build(&t, opts, sizeof opts, 17, UDP_BODY, UDP_BODY_LEN);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_ipv4 *ip = &ip_layer(pkt)->hdr.ipv4;
	assert_int_equal(ip->ihl, 15);
	assert_int_equal(ip->n_options, PKL_IPV4_MAX_OPTIONS);
	assert_int_equal(ip->options_more, 40 - PKL_IPV4_MAX_OPTIONS);
	assert_int_equal(ip->options[19].type, 1);
	TF_NO_EVENTS(pkt);
	assert_int_equal(pkt->layers[2].offset, 14 + 60);
}

static void
test_ipv4_options_after_eol_ignored(void **state)
{
	(void)state;
	static struct tf t;
	/* EOL then what would be a bad option: not parsed. */
	const uint8_t opts[4] = { 0x00, 0x07, 0x00, 0xff };
	build(&t, opts, sizeof opts, 17, UDP_BODY, UDP_BODY_LEN);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(ip_layer(pkt)->hdr.ipv4.n_options, 1);
	assert_int_equal(ip_layer(pkt)->hdr.ipv4.options[0].type, 0);
	TF_NO_EVENTS(pkt);
}

/* One bad-option case: the options, then the expected event arguments
 * and options listed before it. */
static void
bad_option(const uint8_t *opts, size_t n, uint32_t type, uint32_t len,
	   unsigned listed)
{
	static struct tf t;
	build(&t, opts, n, 17, UDP_BODY, UDP_BODY_LEN);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_layer *l = ip_layer(pkt);
	TF_CODES(pkt, PKL_EV_IPV4_OPT_BAD_LEN);
	TF_EVENT(pkt, PKL_EV_IPV4_OPT_BAD_LEN, 1, type, len);
	TF_FLAGS(l, PKL_LAYER_MALFORMED);
	assert_true(pkt->malformed);
	assert_false(pkt->truncated);
	assert_int_equal(l->hdr.ipv4.n_options, listed);
	/* The header length still holds: decoding goes on after it. */
	assert_int_equal(l->hdr_len, 20 + n);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_UDP, PKL_PROTO_DATA);
}

static void
test_ipv4_options_bad_lengths(void **state)
{
	(void)state;
	/* Length 0 and 1: below the 2 bytes of type and length. */
	const uint8_t len0[4] = { 0x07, 0x00, 0x00, 0x00 };
	bad_option(len0, 4, 7, 0, 0);
	const uint8_t len1[4] = { 0x01, 0x83, 0x01, 0x00 };
	bad_option(len1, 4, 0x83, 1, 1);
	/* Length past the option space: 40 in a 4-byte area. */
	const uint8_t over[4] = { 0x07, 0x28, 0x04, 0x00 };
	bad_option(over, 4, 7, 40, 0);
	/* One byte too long: 9 in an 8-byte area after nothing. */
	const uint8_t by1[8] = { 0x44, 0x09, 0x05, 0, 0, 0, 0, 0 };
	bad_option(by1, 8, 0x44, 9, 0);
	/* A type in the last byte, with no room for its length. */
	const uint8_t nolen[4] = { 0x01, 0x01, 0x01, 0x44 };
	bad_option(nolen, 4, 0x44, 0, 3);
	/* 255: the largest length byte. */
	const uint8_t huge[40] = { 0x01, 0x07, 0xff };
	bad_option(huge, 40, 7, 255, 1);
}

static void
test_ipv4_ihl_below_5(void **state)
{
	(void)state;
	static struct tf t;
	static const uint8_t ihls[] = { 0, 1, 4 };
	for (size_t i = 0; i < sizeof ihls; i++) {
		tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
		patch_hdr(&t, 0, (uint8_t)(0x40 | ihls[i]));
		const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
		const struct pkl_layer *l = ip_layer(pkt);
		TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4);
		TF_CODES(pkt, PKL_EV_IPV4_HLEN_SHORT);
		TF_EVENT(pkt, PKL_EV_IPV4_HLEN_SHORT, 1, ihls[i] * 4u, 0);
		TF_FLAGS(l, PKL_LAYER_MALFORMED);
		assert_int_equal(l->hdr.ipv4.ihl, ihls[i]);
		/* The fixed fields were still read. */
		assert_int_equal(l->hdr.ipv4.total_len, 60);
		assert_int_equal(l->hdr.ipv4.proto, 6);
		assert_int_equal(l->hdr_len, 20);
		assert_int_equal(l->payload_len, 0);
		assert_false(pkt->truncated);
	}
}

static void
test_ipv4_bad_version(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
	patch_hdr(&t, 0, 0x65);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4);
	TF_CODES(pkt, PKL_EV_IPV4_BAD_VERSION);
	TF_EVENT(pkt, PKL_EV_IPV4_BAD_VERSION, 1, 6, 0);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_MALFORMED);
	assert_int_equal(pkt->layers[1].hdr.ipv4.version, 6);
}

static void
test_ipv4_total_length_below_header(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
	patch_hdr(&t, 3, 19);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_layer *l = ip_layer(pkt);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4);
	TF_CODES(pkt, PKL_EV_IPV4_TOTLEN_SHORT);
	TF_EVENT(pkt, PKL_EV_IPV4_TOTLEN_SHORT, 1, 19, 20);
	TF_FLAGS(l, PKL_LAYER_MALFORMED);
	assert_int_equal(l->hdr.ipv4.cksum_status, PKL_CK_GOOD);
	assert_int_equal(l->hdr_len, 20);
	assert_int_equal(l->payload_len, 0);

	/* With options: 23 is below the 24-byte header. */
	const uint8_t nops[4] = { 1, 1, 1, 0 };
	build(&t, nops, 4, 17, UDP_BODY, UDP_BODY_LEN);
	patch_hdr(&t, 3, 23);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_IPV4_TOTLEN_SHORT);
	TF_EVENT(pkt, PKL_EV_IPV4_TOTLEN_SHORT, 1, 23, 24);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4);
}

static void
test_ipv4_total_length_beyond_wire(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
	t.buf[16] = 0x03;            /* total length 1000 */
	t.buf[17] = 0xe8;
	tf_fix_checksums(t.buf, t.n, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_layer *l = ip_layer(pkt);
	TF_CODES(pkt, PKL_EV_IPV4_TOTLEN_LONG);
	TF_EVENT(pkt, PKL_EV_IPV4_TOTLEN_LONG, 1, 1000, 60);
	TF_FLAGS(l, PKL_LAYER_MALFORMED);
	assert_false(pkt->truncated);
	/* The payload is what the wire had; TCP is decoded from it. */
	TF_GEOM(l, 14, 60, 60, 20, 40);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_TCP);
	TF_FLAGS(&pkt->layers[2], 0);
	assert_int_equal(pkt->layers[2].hdr.tcp.cksum_status, PKL_CK_GOOD);

	/* One byte too many is already too many. */
	t.buf[16] = 0;
	t.buf[17] = 61;
	tf_fix_checksums(t.buf, t.n, DLT_EN10MB);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_EVENT(pkt, PKL_EV_IPV4_TOTLEN_LONG, 1, 61, 60);

	/* Cut by the capture too: still measured against the wire length. */
	t.buf[16] = 0x03;
	t.buf[17] = 0xe8;
	tf_fix_checksums(t.buf, t.n, DLT_EN10MB);
	pkt = tf_run(&t, DLT_EN10MB, 40, t.n);
	TF_EVENT(pkt, PKL_EV_IPV4_TOTLEN_LONG, 1, 1000, 60);
	assert_true(pkt->truncated);
	TF_FLAGS(&pkt->layers[2], PKL_LAYER_TRUNCATED);
}

static void
test_ipv4_total_length_zero(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
	patch_hdr(&t, 3, 0);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_layer *l = ip_layer(pkt);
	assert_int_equal(l->hdr.ipv4.total_len, 0);
	TF_CODES(pkt, PKL_EV_IPV4_TSO);
	TF_EVENT(pkt, PKL_EV_IPV4_TSO, 1, 0, 0);
	assert_int_equal(pkl_event_kind(PKL_EV_IPV4_TSO), PKL_EVK_WARNING);
	TF_CLEAN(pkt);
	/* The frame's length stands in. */
	TF_GEOM(l, 14, 60, 60, 20, 40);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_TCP);
	assert_int_equal(pkt->layers[2].hdr.tcp.cksum_status, PKL_CK_GOOD);
}

static void
test_ipv4_ethernet_padding(void **state)
{
	(void)state;
	static struct tf t;
	/* A 47-byte UDP frame padded to 60: total length says 33. */
	uint8_t b[60] = { 0 };
	memcpy(b, tf_udp, sizeof tf_udp);
	memset(b + sizeof tf_udp, 0xee, sizeof b - sizeof tf_udp);
	tf_load(&t, b, sizeof b);
	tf_fix_checksums(t.buf, t.n, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	TF_GEOM(ip_layer(pkt), 14, 46, 46, 20, 13);
	TF_GEOM(&pkt->layers[2], 34, 13, 13, 8, 5);
	assert_int_equal(pkt->layers[2].hdr.udp.cksum_status, PKL_CK_GOOD);
}

static void
test_ipv4_truncated(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);

	/* Inside the fixed header. */
	const struct pkl_packet *pkt = tf_run(&t, DLT_EN10MB, 14 + 19, t.n);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4);
	TF_CODES(pkt, PKL_EV_IPV4_TRUNC);
	TF_EVENT(pkt, PKL_EV_IPV4_TRUNC, 1, 20, 19);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_TRUNCATED);
	assert_int_equal(pkt->layers[1].hdr.ipv4.cksum_status, PKL_CK_UNVERIFIED);
	assert_false(pkt->malformed);

	/* Inside the options. */
	const uint8_t opts[16] = { 0x07, 0x0b, 0x04 };
	build(&t, opts, sizeof opts, 17, UDP_BODY, UDP_BODY_LEN);
	pkt = tf_run(&t, DLT_EN10MB, 14 + 30, t.n);
	TF_CODES(pkt, PKL_EV_IPV4_TRUNC);
	TF_EVENT(pkt, PKL_EV_IPV4_TRUNC, 1, 36, 30);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_TRUNCATED);
	assert_int_equal(pkt->layers[1].hdr.ipv4.ihl, 9);

	/* The wire ends inside the options (IHL says more than there is). */
	pkt = tf_run(&t, DLT_EN10MB, 14 + 30, 14 + 30);
	TF_CODES(pkt, PKL_EV_LAYER_SHORT);
	TF_EVENT(pkt, PKL_EV_LAYER_SHORT, 1, 36, 30);
	TF_FLAGS(&pkt->layers[1], PKL_LAYER_MALFORMED);
	assert_false(pkt->truncated);

	/* IHL 15 in a 20-byte datagram. */
	tf_load_good(&t, tf_tcp_syn, 34, DLT_EN10MB);
	patch_hdr(&t, 0, 0x4f);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_EVENT(pkt, PKL_EV_LAYER_SHORT, 1, 60, 20);
}

static void
test_ipv4_unknown_and_nested_protocols(void **state)
{
	(void)state;
	static struct tf t;
	const uint8_t body[12] = { 0xde, 0xad };
	build(&t, NULL, 0, 253, body, sizeof body);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_UNKNOWN);
	TF_CODES(pkt, PKL_EV_IPV4_UNKNOWN_PROTO);
	TF_EVENT(pkt, PKL_EV_IPV4_UNKNOWN_PROTO, 1, 253, 12);
	const struct pkl_layer *u = TF_LAYER(pkt, 2, PKL_PROTO_UNKNOWN);
	assert_int_equal(u->hdr.unknown.parent, PKL_PROTO_IPV4);
	assert_int_equal(u->hdr.unknown.value, 253);
	TF_GEOM(u, 34, 12, 12, 0, 12);
	TF_CLEAN(pkt);
	assert_null(pkl_ipproto_name(253));
	assert_string_equal(pkl_ipproto_name(17), "UDP");

	/* IP in IP: the inner datagram is one more IPv4 layer. */
	build(&t, NULL, 0, 4, tf_udp + TF_UDP_IP, sizeof tf_udp - TF_UDP_IP);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_IPV4, PKL_PROTO_UDP,
		  PKL_PROTO_DATA);
	assert_int_equal(pkt->layers[2].offset, 34);
	assert_int_equal(pkt->layers[2].hdr.ipv4.cksum_status, PKL_CK_GOOD);
	TF_NO_EVENTS(pkt);
	assert_int_equal(pkl_ipproto_proto(41), PKL_PROTO_IPV6);
	assert_int_equal(pkl_ipproto_proto(58), PKL_PROTO_ICMPV6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_every_field),
		cmocka_unit_test(test_ipv4_checksum_good_and_bad),
		cmocka_unit_test(test_ipv4_fragments),
		cmocka_unit_test(test_ipv4_reserved_flag),
		cmocka_unit_test(test_ipv4_options_list),
		cmocka_unit_test(test_ipv4_options_overflow_list),
		cmocka_unit_test(test_ipv4_options_after_eol_ignored),
		cmocka_unit_test(test_ipv4_options_bad_lengths),
		cmocka_unit_test(test_ipv4_ihl_below_5),
		cmocka_unit_test(test_ipv4_bad_version),
		cmocka_unit_test(test_ipv4_total_length_below_header),
		cmocka_unit_test(test_ipv4_total_length_beyond_wire),
		cmocka_unit_test(test_ipv4_total_length_zero),
		cmocka_unit_test(test_ipv4_ethernet_padding),
		cmocka_unit_test(test_ipv4_truncated),
		cmocka_unit_test(test_ipv4_unknown_and_nested_protocols),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
