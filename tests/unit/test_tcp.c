/* TCP: flags, data offset, options, checksum, payload length, truncation. */
#include "frames.h"

#include "../../dissectors/tcp.h"

#define TCP_OFF TF_TCP_SYN_TCP        /* 34 */
#define CK_OFF (TCP_OFF + 16)

/* Ethernet + IPv4 + TCP (tf_tcp_syn's ports, seq, window) with the given
 * flags (12-bit field), option bytes (a multiple of 4) and payload;
 * IP length, data offset and checksums to match. */
static void
build(struct tf *t, uint16_t flags, const uint8_t *opts, size_t nopts,
      const uint8_t *payload, size_t n)
{
	uint8_t b[TF_MAX];
	size_t hlen = 20 + nopts;
	memcpy(b, tf_tcp_syn, TCP_OFF + 20);
	tf_wr16(b + 16, (uint16_t)(20 + hlen + n));
	tf_wr32(b + TCP_OFF + 8, (flags & PKL_TCP_ACK) ? 0x55667788u : 0);
	b[TCP_OFF + 12] = (uint8_t)((hlen / 4) << 4 | ((flags >> 8) & 0x0f));
	b[TCP_OFF + 13] = (uint8_t)flags;
	tf_copy(b + TCP_OFF + 20, opts, nopts);
	tf_copy(b + TCP_OFF + hlen, payload, n);
	tf_load(t, b, TCP_OFF + hlen + n);
	tf_fix_checksums(t->buf, t->n, DLT_EN10MB);
}

/* Decode a segment with these options; return its TCP layer. */
static const struct pkl_layer *
with_options(struct tf *t, const uint8_t *opts, size_t nopts)
{
	build(t, PKL_TCP_ACK, opts, nopts, NULL, 0);
	const struct pkl_packet *pkt = tf_decode(t, DLT_EN10MB);
	return TF_LAYER(pkt, 2, PKL_PROTO_TCP);
}

static const struct pkl_layer *
tcp_layer(const struct pkl_packet *pkt)
{
	return TF_LAYER(pkt, 2, PKL_PROTO_TCP);
}

static void
test_tcp_syn_fields_and_options(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_TCP);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *l = tcp_layer(pkt);
	const struct pkl_tcp *tc = &l->hdr.tcp;
	assert_int_equal(tc->sport, 40000);
	assert_int_equal(tc->dport, 8080);
	assert_int_equal(tc->seq, 0x11223344);
	assert_int_equal(tc->ack, 0);
	assert_int_equal(tc->doff, 10);
	assert_int_equal(tc->flags, PKL_TCP_SYN);
	assert_int_equal(tc->window, 64240);
	assert_int_equal(tc->cksum, tf_rd16(t.buf + CK_OFF));
	assert_int_equal(tc->cksum_status, PKL_CK_GOOD);
	assert_int_equal(tc->urg_ptr, 0);
	assert_int_equal(tc->payload_len, 0);
	TF_GEOM(l, 34, 40, 40, 40, 0);

	assert_int_equal(tc->n_options, 5);
	static const uint8_t kinds[5] = { 2, 4, 8, 1, 3 };
	static const uint8_t lens[5] = { 4, 2, 10, 1, 3 };
	for (int i = 0; i < 5; i++) {
		assert_int_equal(tc->options[i].kind, kinds[i]);
		assert_int_equal(tc->options[i].len, lens[i]);
	}
	assert_true(tc->has_mss);
	assert_int_equal(tc->mss, 1460);
	assert_true(tc->sack_perm);
	assert_true(tc->has_ts);
	assert_int_equal(tc->ts_val, 123456);
	assert_int_equal(tc->ts_ecr, 0);
	assert_true(tc->has_wscale);
	assert_int_equal(tc->wscale, 7);
	assert_int_equal(tc->n_sack, 0);
	assert_string_equal(pkl_tcp_option_name(4), "SACK_PERM");
	assert_string_equal(pkl_tcp_option_name(34), "TFO");
	assert_null(pkl_tcp_option_name(254));
}

static void
test_tcp_every_flag(void **state)
{
	(void)state;
	static struct tf t;
	static const uint16_t flags[] = {
		PKL_TCP_FIN | PKL_TCP_ACK, PKL_TCP_SYN, PKL_TCP_RST, PKL_TCP_PSH | PKL_TCP_ACK,
		PKL_TCP_ACK, PKL_TCP_URG | PKL_TCP_ACK, PKL_TCP_ECE | PKL_TCP_ACK,
		PKL_TCP_CWR | PKL_TCP_ACK, PKL_TCP_AE | PKL_TCP_ACK,
		PKL_TCP_SYN | PKL_TCP_ECE | PKL_TCP_CWR,
		0x0ff & ~(PKL_TCP_SYN | PKL_TCP_FIN) ,   /* everything else at once */
	};
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		build(&t, flags[i], NULL, 0, NULL, 0);
		const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
		const struct pkl_tcp *tc = &tcp_layer(pkt)->hdr.tcp;
		assert_int_equal(tc->flags, flags[i]);
		assert_int_equal(tc->doff, 5);
		assert_int_equal(tc->cksum_status, PKL_CK_GOOD);
		TF_NO_EVENTS(pkt);
		TF_CLEAN(pkt);
	}
	/* The flag bits sit where the wire has them. */
	build(&t, PKL_TCP_ECE | PKL_TCP_CWR | PKL_TCP_AE, NULL, 0, NULL, 0);
	assert_int_equal(t.buf[TCP_OFF + 12], 0x51);
	assert_int_equal(t.buf[TCP_OFF + 13], 0xc0);
}

static void
test_tcp_syn_fin_and_reserved_bits(void **state)
{
	(void)state;
	static struct tf t;
	build(&t, PKL_TCP_SYN | PKL_TCP_FIN, NULL, 0, NULL, 0);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_TCP_SYN_FIN);
	TF_EVENT(pkt, PKL_EV_TCP_SYN_FIN, 2, 0, 0);
	TF_FLAGS(tcp_layer(pkt), PKL_LAYER_MALFORMED);

	/* The three reserved bits above AE: a warning with their value. */
	build(&t, 0xa00 | PKL_TCP_ACK, NULL, 0, NULL, 0);
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(tcp_layer(pkt)->hdr.tcp.flags, 0xa10);
	TF_CODES(pkt, PKL_EV_TCP_RESERVED_BITS);
	TF_EVENT(pkt, PKL_EV_TCP_RESERVED_BITS, 2, 0xa00, 0);
	TF_CLEAN(pkt);
}

static void
test_tcp_port_zero(void **state)
{
	(void)state;
	static struct tf t;
	build(&t, PKL_TCP_SYN, NULL, 0, NULL, 0);
	tf_wr16(t.buf + TCP_OFF + 2, 0);
	tf_fix_checksums(t.buf, t.n, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_TCP_PORT_ZERO);
	TF_EVENT(pkt, PKL_EV_TCP_PORT_ZERO, 2, 0, 0);
	TF_CLEAN(pkt);
	assert_int_equal(tcp_layer(pkt)->hdr.tcp.dport, 0);
}

static void
test_tcp_data_offset_short(void **state)
{
	(void)state;
	static struct tf t;
	static const uint8_t doffs[] = { 0, 3, 4 };
	for (size_t i = 0; i < sizeof doffs; i++) {
		build(&t, PKL_TCP_ACK, NULL, 0, (const uint8_t *)"payload!", 8);
		t.buf[TCP_OFF + 12] = (uint8_t)(doffs[i] << 4);
		tf_fix_checksums(t.buf, t.n, DLT_EN10MB);
		const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
		const struct pkl_layer *l = tcp_layer(pkt);
		TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_TCP);
		TF_CODES(pkt, PKL_EV_TCP_DOFF_SHORT);
		TF_EVENT(pkt, PKL_EV_TCP_DOFF_SHORT, 2, doffs[i] * 4u, 0);
		TF_FLAGS(l, PKL_LAYER_MALFORMED);
		assert_int_equal(l->hdr.tcp.doff, doffs[i]);
		/* The checksum covers the segment whatever the offset says. */
		assert_int_equal(l->hdr.tcp.cksum_status, PKL_CK_GOOD);
		assert_int_equal(l->hdr_len, 20);
		assert_int_equal(l->payload_len, 0);
		/* The fixed fields were read. */
		assert_int_equal(l->hdr.tcp.ack, 0x55667788);
		assert_int_equal(l->hdr.tcp.window, 64240);
	}
}

static void
test_tcp_data_offset_long(void **state)
{
	(void)state;
	static struct tf t;
	/* Data offset 15 (60 bytes) in a 24-byte segment. */
	build(&t, PKL_TCP_ACK, NULL, 0, (const uint8_t *)"abcd", 4);
	t.buf[TCP_OFF + 12] = 0xf0;
	tf_fix_checksums(t.buf, t.n, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_layer *l = tcp_layer(pkt);
	TF_CODES(pkt, PKL_EV_TCP_DOFF_LONG);
	TF_EVENT(pkt, PKL_EV_TCP_DOFF_LONG, 2, 60, 24);
	TF_FLAGS(l, PKL_LAYER_MALFORMED);
	assert_false(pkt->truncated);
	assert_int_equal(l->hdr_len, 20);
	assert_int_equal(l->payload_len, 0);
	assert_int_equal(l->hdr.tcp.n_options, 0);
	assert_int_equal(l->hdr.tcp.cksum_status, PKL_CK_GOOD);

	/* A bad checksum is still found. */
	tf_wr16(t.buf + CK_OFF, (uint16_t)(tf_rd16(t.buf + CK_OFF) ^ 0x0101));
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_TCP_BAD_CKSUM, PKL_EV_TCP_DOFF_LONG);

	/* One word too many. */
	uint8_t opts[20];
	memset(opts, 1, sizeof opts);
	build(&t, PKL_TCP_ACK, opts, sizeof opts, NULL, 0);
	t.buf[TCP_OFF + 12] = 0xb0;
	tf_fix_checksums(t.buf, t.n, DLT_EN10MB);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_EVENT(pkt, PKL_EV_TCP_DOFF_LONG, 2, 44, 40);

	/* Exactly the segment: fine, no payload. */
	t.buf[TCP_OFF + 12] = 0xa0;
	tf_fix_checksums(t.buf, t.n, DLT_EN10MB);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_NO_EVENTS(pkt);
	assert_int_equal(tcp_layer(pkt)->hdr.tcp.n_options, 20);
}

static void
test_tcp_option_sack_blocks(void **state)
{
	(void)state;
	static struct tf t;
	/* NOP NOP SACK with 2 blocks (len 18), then TS: 32 option bytes. */
	const uint8_t opts[32] = {
		1, 1, 5, 18,
		0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x20, 0x00,
		0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x40, 0x00,
		1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6,
	};
	const struct pkl_layer *l = with_options(&t, opts, sizeof opts);
	const struct pkl_tcp *tc = &l->hdr.tcp;
	assert_int_equal(l->flags, PKL_LAYER_HEADER);
	assert_int_equal(tc->n_sack, 2);
	assert_int_equal(tc->sack_left[0], 0x1000);
	assert_int_equal(tc->sack_right[0], 0x2000);
	assert_int_equal(tc->sack_left[1], 0x3000);
	assert_int_equal(tc->sack_right[1], 0x4000);
	assert_true(tc->has_ts);
	assert_int_equal(tc->ts_val, 5);
	assert_int_equal(tc->ts_ecr, 6);
	assert_int_equal(tc->n_options, 6);
	assert_int_equal(tc->options[2].kind, 5);
	assert_int_equal(tc->options[2].len, 18);

	/* Four blocks: the most 40 option bytes hold. */
	uint8_t four[36] = { 1, 1, 5, 34 };
	for (int i = 0; i < 8; i++)
		tf_wr32(four + 4 + 4 * i, 100u * (i + 1));
	l = with_options(&t, four, sizeof four);
	tc = &l->hdr.tcp;
	assert_int_equal(tc->n_sack, 4);
	assert_int_equal(tc->sack_left[3], 700);
	assert_int_equal(tc->sack_right[3], 800);
	assert_int_equal(l->flags, PKL_LAYER_HEADER);
}

static void
test_tcp_option_eol_nop_and_unknown(void **state)
{
	(void)state;
	static struct tf t;
	/* NOP, unknown kind 254 (len 4), kind 99 (len 2), EOL, then bytes
	 * after EOL that are not options. */
	const uint8_t opts[12] = { 1, 254, 4, 0xab, 0xcd, 99, 2, 0, 2, 0, 0xff, 0xff };
	const struct pkl_layer *l = with_options(&t, opts, sizeof opts);
	const struct pkl_tcp *tc = &l->hdr.tcp;
	assert_int_equal(tc->n_options, 4);
	assert_int_equal(tc->options[0].kind, 1);
	assert_int_equal(tc->options[1].kind, 254);
	assert_int_equal(tc->options[1].len, 4);
	assert_int_equal(tc->options[2].kind, 99);
	assert_int_equal(tc->options[2].len, 2);
	assert_int_equal(tc->options[3].kind, 0);
	assert_int_equal(tc->options[3].len, 1);
	assert_false(tc->has_mss);
	assert_int_equal(l->flags, PKL_LAYER_HEADER);
	assert_int_equal(l->hdr_len, 32);

	/* 40 NOPs: every one listed. */
	uint8_t nops[40];
	memset(nops, 1, sizeof nops);
	l = with_options(&t, nops, sizeof nops);
	assert_int_equal(l->hdr.tcp.n_options, PKL_TCP_MAX_OPTIONS);
	assert_int_equal(l->hdr.tcp.options[39].kind, 1);
	assert_int_equal(l->flags, PKL_LAYER_HEADER);

	/* Known variable and fixed kinds: MD5 (18), UTO (4), TFO cookie (10). */
	uint8_t known[32] = { 19, 18 };
	known[18] = 28;
	known[19] = 4;
	known[22] = 34;
	known[23] = 10;
	l = with_options(&t, known, sizeof known);
	assert_int_equal(l->hdr.tcp.n_options, 3);
	assert_int_equal(l->hdr.tcp.options[2].kind, 34);
	assert_int_equal(l->hdr.tcp.options[2].len, 10);
	assert_int_equal(l->flags, PKL_LAYER_HEADER);
}

/* An option with a wrong fixed length: recorded, not decoded, and the
 * walk goes on to the next option. */
static void
wrong_len(uint8_t kind, uint8_t len)
{
	static struct tf t;
	uint8_t opts[20] = { 0 };
	opts[0] = kind;
	opts[1] = len;
	opts[len] = 2;          /* a good MSS after it */
	opts[len + 1] = 4;
	opts[len + 2] = 0x05;
	opts[len + 3] = 0xdc;
	const struct pkl_layer *l = with_options(&t, opts, sizeof opts);
	const struct pkl_packet *pkt = &t.pkt;
	TF_CODES(pkt, PKL_EV_TCP_OPT_WRONG_LEN);
	TF_EVENT(pkt, PKL_EV_TCP_OPT_WRONG_LEN, 2, kind, len);
	TF_FLAGS(l, PKL_LAYER_MALFORMED);
	const struct pkl_tcp *tc = &l->hdr.tcp;
	assert_int_equal(tc->options[0].kind, kind);
	assert_int_equal(tc->options[0].len, len);
	assert_int_equal(tc->options[1].kind, 2);
	if (kind != 2) {
		assert_true(tc->has_mss);
		assert_int_equal(tc->mss, 1500);
	}
	assert_false(tc->has_ts);
	assert_false(tc->has_wscale);
	assert_false(tc->sack_perm);
	assert_int_equal(tc->n_sack, 0);
}

static void
test_tcp_option_wrong_lengths(void **state)
{
	(void)state;
	wrong_len(2, 3);     /* MSS must be 4 */
	wrong_len(2, 6);
	wrong_len(3, 4);     /* WS must be 3 */
	wrong_len(4, 3);     /* SACK_PERM must be 2 */
	wrong_len(8, 8);     /* TS must be 10 */
	wrong_len(5, 12);    /* SACK: 2 + 8n */
	wrong_len(5, 6);
	wrong_len(28, 6);    /* UTO must be 4 */
}

/* An option whose length does not fit: an event, and the walk stops. */
static void
bad_len(const uint8_t *opts, size_t n, uint32_t kind, uint32_t len, unsigned listed)
{
	static struct tf t;
	const struct pkl_layer *l = with_options(&t, opts, n);
	const struct pkl_packet *pkt = &t.pkt;
	TF_CODES(pkt, PKL_EV_TCP_OPT_BAD_LEN);
	TF_EVENT(pkt, PKL_EV_TCP_OPT_BAD_LEN, 2, kind, len);
	TF_FLAGS(l, PKL_LAYER_MALFORMED);
	assert_false(pkt->truncated);
	assert_int_equal(l->hdr.tcp.n_options, listed);
	/* The header length still stands. */
	assert_int_equal(l->hdr_len, 20 + n);
	assert_int_equal(l->hdr.tcp.cksum_status, PKL_CK_GOOD);
}

static void
test_tcp_option_bad_lengths(void **state)
{
	(void)state;
	/* Zero and one: below the kind and length bytes. */
	const uint8_t zero[4] = { 2, 0, 0x05, 0xb4 };
	bad_len(zero, 4, 2, 0, 0);
	const uint8_t one[4] = { 1, 1, 254, 1 };
	bad_len(one, 4, 254, 1, 2);
	/* Timestamps (10) in a 4-byte option area. */
	const uint8_t ts[4] = { 8, 10, 0, 0 };
	bad_len(ts, 4, 8, 10, 0);
	/* 255. */
	const uint8_t huge[8] = { 1, 5, 255, 0 };
	bad_len(huge, 8, 5, 255, 1);
	/* A kind in the last byte, its length byte missing. */
	const uint8_t nolen[4] = { 1, 1, 1, 3 };
	bad_len(nolen, 4, 3, 0, 3);
	/* One over, after a good MSS. */
	const uint8_t over[8] = { 2, 4, 0x05, 0xb4, 254, 5, 0, 0 };
	bad_len(over, 8, 254, 5, 1);
}

static void
test_tcp_checksum_good_bad_partial(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
	uint16_t good = tf_rd16(t.buf + CK_OFF);
	assert_true(tf_sum_ok(t.buf + 14, 6, t.buf + TCP_OFF, 40));

	tf_wr16(t.buf + CK_OFF, 0xbeef);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(tcp_layer(pkt)->hdr.tcp.cksum_status, PKL_CK_BAD);
	TF_CODES(pkt, PKL_EV_TCP_BAD_CKSUM);
	TF_EVENT(pkt, PKL_EV_TCP_BAD_CKSUM, 2, 0xbeef, good);
	TF_CLEAN(pkt);

	/* An option byte changed (WS 7 -> 8). */
	tf_wr16(t.buf + CK_OFF, good);
	t.buf[sizeof tf_tcp_syn - 1] = 8;
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(tcp_layer(pkt)->hdr.tcp.cksum_status, PKL_CK_BAD);
	TF_EVENT(pkt, PKL_EV_TCP_BAD_CKSUM, 2, good, (uint16_t)(good - 1));
	t.buf[sizeof tf_tcp_syn - 1] = 7;

	/* Checksum offload: the field holds the pseudo-header sum. */
	uint16_t pseudo = (uint16_t)~tf_fold(tf_pseudo(t.buf + 14, 6, 40));
	tf_wr16(t.buf + CK_OFF, pseudo);
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(tcp_layer(pkt)->hdr.tcp.cksum_status, PKL_CK_PARTIAL);
	TF_CODES(pkt, PKL_EV_TCP_CKSUM_PARTIAL);
	TF_EVENT(pkt, PKL_EV_TCP_CKSUM_PARTIAL, 2, pseudo, good);
	TF_CLEAN(pkt);

	/* Over IPv6 as well. */
	tf_load_good(&t, tf_ipv6_tcp, sizeof tf_ipv6_tcp, DLT_EN10MB);
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(pkt->layers[2].hdr.tcp.cksum_status, PKL_CK_GOOD);
	pseudo = (uint16_t)~tf_fold(tf_pseudo(t.buf + 14, 6, 40));
	tf_wr16(t.buf + TF_IPV6_TCP + 16, pseudo);
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(pkt->layers[2].hdr.tcp.cksum_status, PKL_CK_PARTIAL);
	TF_CODES(pkt, PKL_EV_TCP_CKSUM_PARTIAL);
}

static void
test_tcp_payload_length(void **state)
{
	(void)state;
	static struct tf t;
	const uint8_t ts[12] = { 1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8 };
	build(&t, PKL_TCP_PSH | PKL_TCP_ACK, ts, sizeof ts,
	      (const uint8_t *)"GET / HTTP", 10);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	/* Port 80: HTTP's, though no whole request line is here. */
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_TCP, PKL_PROTO_HTTP);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *l = tcp_layer(pkt);
	assert_int_equal(l->hdr.tcp.doff, 8);
	assert_int_equal(l->hdr.tcp.payload_len, 10);
	assert_int_equal(l->hdr.tcp.cksum_status, PKL_CK_GOOD);
	TF_GEOM(l, 34, 42, 42, 32, 10);
	const struct pkl_layer *d = TF_LAYER(pkt, 3, PKL_PROTO_HTTP);
	TF_GEOM(d, 66, 10, 10, 10, 0);
	assert_memory_equal(d->data, "GET / HTTP", 10);
	assert_false(d->flags & PKL_LAYER_HEADER);   /* no line end: a continuation */

	/* A bare ACK padded to 60 bytes: the padding is no payload. */
	build(&t, PKL_TCP_ACK, NULL, 0, NULL, 0);
	memset(t.buf + t.n, 0, 6);
	t.n = 60;
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_TCP);
	assert_int_equal(tcp_layer(pkt)->hdr.tcp.payload_len, 0);
	assert_int_equal(tcp_layer(pkt)->hdr.tcp.cksum_status, PKL_CK_GOOD);
	TF_NO_EVENTS(pkt);
}

static void
test_tcp_truncated(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);

	/* Inside the fixed header: ports and sequence kept. */
	const struct pkl_packet *pkt = tf_run(&t, DLT_EN10MB, TCP_OFF + 10, t.n);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_TCP);
	TF_CODES(pkt, PKL_EV_TCP_TRUNC);
	TF_EVENT(pkt, PKL_EV_TCP_TRUNC, 2, 20, 10);
	const struct pkl_layer *l = tcp_layer(pkt);
	TF_FLAGS(l, PKL_LAYER_TRUNCATED);
	assert_int_equal(l->hdr.tcp.sport, 40000);
	assert_int_equal(l->hdr.tcp.dport, 8080);
	assert_int_equal(l->hdr.tcp.seq, 0x11223344);
	assert_int_equal(l->hdr.tcp.flags, 0);
	assert_false(pkt->malformed);

	pkt = tf_run(&t, DLT_EN10MB, TCP_OFF + 6, t.n);
	assert_int_equal(tcp_layer(pkt)->hdr.tcp.dport, 8080);
	assert_int_equal(tcp_layer(pkt)->hdr.tcp.seq, 0);

	/* Inside the options, mid-timestamp: what was captured is listed,
	 * and the cut option is not called malformed. */
	pkt = tf_run(&t, DLT_EN10MB, TCP_OFF + 20 + 9, t.n);
	TF_CODES(pkt, PKL_EV_TCP_TRUNC);
	TF_EVENT(pkt, PKL_EV_TCP_TRUNC, 2, 40, 29);
	l = tcp_layer(pkt);
	TF_FLAGS(l, PKL_LAYER_TRUNCATED);
	assert_int_equal(l->hdr.tcp.flags, PKL_TCP_SYN);
	assert_int_equal(l->hdr.tcp.n_options, 2);
	assert_true(l->hdr.tcp.has_mss);
	assert_true(l->hdr.tcp.sack_perm);
	assert_false(l->hdr.tcp.has_ts);
	assert_int_equal(l->hdr.tcp.cksum_status, PKL_CK_UNVERIFIED);

	/* Cut between a kind and its length byte. */
	pkt = tf_run(&t, DLT_EN10MB, TCP_OFF + 20 + 7, t.n);
	TF_CODES(pkt, PKL_EV_TCP_TRUNC);
	assert_int_equal(tcp_layer(pkt)->hdr.tcp.n_options, 2);
	assert_false(pkt->malformed);

	/* A zero length is malformed even in a cut header. */
	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
	t.buf[TCP_OFF + 21] = 0;
	pkt = tf_run(&t, DLT_EN10MB, TCP_OFF + 30, t.n);
	TF_CODES(pkt, PKL_EV_TCP_TRUNC, PKL_EV_TCP_OPT_BAD_LEN);
	TF_EVENT(pkt, PKL_EV_TCP_OPT_BAD_LEN, 2, 2, 0);
	assert_int_equal(tcp_layer(pkt)->flags & 3, PKL_LAYER_TRUNCATED | PKL_LAYER_MALFORMED);

	/* A 12-byte segment on the wire. */
	build(&t, PKL_TCP_ACK, NULL, 0, NULL, 0);
	tf_wr16(t.buf + 16, 32);
	t.n = TCP_OFF + 12;
	tf_fix_checksums(t.buf, t.n, DLT_EN10MB);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_LAYER_SHORT);
	TF_EVENT(pkt, PKL_EV_LAYER_SHORT, 2, 20, 12);
	TF_FLAGS(tcp_layer(pkt), PKL_LAYER_MALFORMED);
	assert_false(pkt->truncated);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_syn_fields_and_options),
		cmocka_unit_test(test_tcp_every_flag),
		cmocka_unit_test(test_tcp_syn_fin_and_reserved_bits),
		cmocka_unit_test(test_tcp_port_zero),
		cmocka_unit_test(test_tcp_data_offset_short),
		cmocka_unit_test(test_tcp_data_offset_long),
		cmocka_unit_test(test_tcp_option_sack_blocks),
		cmocka_unit_test(test_tcp_option_eol_nop_and_unknown),
		cmocka_unit_test(test_tcp_option_wrong_lengths),
		cmocka_unit_test(test_tcp_option_bad_lengths),
		cmocka_unit_test(test_tcp_checksum_good_bad_partial),
		cmocka_unit_test(test_tcp_payload_length),
		cmocka_unit_test(test_tcp_truncated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
