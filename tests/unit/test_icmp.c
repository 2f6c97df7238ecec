/* ICMP and ICMPv6: echo, errors and their quoted datagrams, neighbour
 * solicitation, checksums, short and cut messages. */
#include "frames.h"

#include "../../dissectors/icmp.h"
#include "../../dissectors/icmpv6.h"

static const uint8_t ip_a[4] = { TF_IP_A };
static const uint8_t ip6_b[16] = { TF_IP6_B };

/* B -> A ICMPv4 message: type, code, the 4 bytes after the checksum,
 * then `body` (a quote or data).  Checksums fixed (the quoted IP
 * header's too). */
static void
build(struct tf *t, uint8_t type, uint8_t code, uint32_t rest,
      const uint8_t *body, size_t n)
{
	uint8_t b[TF_MAX];
	memcpy(b, tf_icmp_port_unreach, 42);
	tf_wr16(b + 16, (uint16_t)(28 + n));
	b[34] = type;
	b[35] = code;
	b[36] = b[37] = 0;
	tf_wr32(b + 38, rest);
	tf_copy(b + 42, body, n);
	tf_load(t, b, 42 + n);
	tf_fix_checksums(t->buf, t->n, DLT_EN10MB);
}

/* The first n bytes of tf_tcp_syn's IP datagram, TTL 1, as a router
 * quotes them (n = 28: the IP header and 8 bytes of TCP). */
static size_t
syn_quote(uint8_t *q, size_t n)
{
	memcpy(q, tf_tcp_syn + TF_TCP_SYN_IP, n);
	q[8] = 1;
	return n;
}

static void
udp_quote(uint8_t *q)
{
	memcpy(q, tf_udp + TF_UDP_IP, 28);
	q[8] = 1;
}

static const struct pkl_layer *
icmp_layer(const struct pkl_packet *pkt)
{
	return TF_LAYER(pkt, 2, PKL_PROTO_ICMP);
}

static void
test_icmp_echo_request(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_icmp_echo, sizeof tf_icmp_echo, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_ICMP, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *l = icmp_layer(pkt);
	const struct pkl_icmp *ic = &l->hdr.icmp;
	assert_int_equal(ic->type, 8);
	assert_int_equal(ic->code, 0);
	assert_int_equal(ic->cksum, tf_rd16(t.buf + TF_ICMP_ECHO_ICMP + 2));
	assert_int_equal(ic->cksum_status, PKL_CK_GOOD);
	assert_true(ic->has_echo);
	assert_int_equal(ic->ident, 0x1234);
	assert_int_equal(ic->seq, 1);
	assert_false(ic->quotes);
	assert_false(ic->has_gateway);
	assert_int_equal(l->flags, PKL_LAYER_HEADER);
	TF_GEOM(l, 34, 16, 16, 8, 8);
	TF_GEOM(&pkt->layers[3], 42, 8, 8, 0, 8);
	assert_string_equal(pkl_icmp_type_name(8), "echo request");
}

static void
test_icmp_echo_reply_and_timestamp(void **state)
{
	(void)state;
	static struct tf t;
	const uint8_t data[4] = { 'p', 'i', 'n', 'g' };
	build(&t, 0, 0, 0xabcd0102, data, sizeof data);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_icmp *ic = &icmp_layer(pkt)->hdr.icmp;
	assert_int_equal(ic->type, 0);
	assert_true(ic->has_echo);
	assert_int_equal(ic->ident, 0xabcd);
	assert_int_equal(ic->seq, 0x0102);
	assert_int_equal(ic->cksum_status, PKL_CK_GOOD);
	TF_NO_EVENTS(pkt);
	assert_string_equal(pkl_icmp_type_name(0), "echo reply");

	/* Timestamp request: ident and sequence like echo. */
	const uint8_t ts[12] = { 0 };
	build(&t, 13, 0, 0x00070008, ts, sizeof ts);
	pkt = tf_decode(&t, DLT_EN10MB);
	ic = &icmp_layer(pkt)->hdr.icmp;
	assert_true(ic->has_echo);
	assert_int_equal(ic->ident, 7);
	assert_int_equal(ic->seq, 8);
	assert_false(ic->quotes);
}

static void
test_icmp_bad_checksum(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_icmp_echo, sizeof tf_icmp_echo, DLT_EN10MB);
	uint16_t good = tf_rd16(t.buf + TF_ICMP_ECHO_ICMP + 2);
	tf_wr16(t.buf + TF_ICMP_ECHO_ICMP + 2, 0xffff);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_layer *l = icmp_layer(pkt);
	assert_int_equal(l->hdr.icmp.cksum_status, PKL_CK_BAD);
	TF_CODES(pkt, PKL_EV_ICMP_BAD_CKSUM);
	TF_EVENT(pkt, PKL_EV_ICMP_BAD_CKSUM, 2, 0xffff, good);
	TF_CLEAN(pkt);

	/* A data byte changed: the checksum covers the payload too. */
	tf_wr16(t.buf + TF_ICMP_ECHO_ICMP + 2, good);
	t.buf[sizeof tf_icmp_echo - 1] ^= 0x20;
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(icmp_layer(pkt)->hdr.icmp.cksum_status, PKL_CK_BAD);
	TF_CODES(pkt, PKL_EV_ICMP_BAD_CKSUM);
}

static void
test_icmp_port_unreachable_quotes_udp(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_icmp_port_unreach, sizeof tf_icmp_port_unreach, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_ICMP, PKL_PROTO_IPV4,
		  PKL_PROTO_UDP, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *l = icmp_layer(pkt);
	assert_int_equal(l->hdr.icmp.type, 3);
	assert_int_equal(l->hdr.icmp.code, 3);
	assert_true(l->hdr.icmp.quotes);
	assert_false(l->hdr.icmp.has_echo);
	assert_int_equal(l->hdr.icmp.cksum_status, PKL_CK_GOOD);
	assert_int_equal(l->flags, PKL_LAYER_QUOTES | PKL_LAYER_HEADER);
	TF_GEOM(l, 34, 41, 41, 8, 33);

	const struct pkl_layer *q = TF_LAYER(pkt, 3, PKL_PROTO_IPV4);
	assert_int_equal(q->flags, PKL_LAYER_QUOTED | PKL_LAYER_HEADER);
	assert_int_equal(q->hdr.ipv4.cksum_status, PKL_CK_GOOD);
	assert_int_equal(q->hdr.ipv4.id, 0xabcd);
	assert_memory_equal(q->hdr.ipv4.src, ip_a, 4);
	TF_GEOM(q, TF_UNREACH_QUOTE, 33, 33, 20, 13);
	const struct pkl_layer *u = TF_LAYER(pkt, 4, PKL_PROTO_UDP);
	assert_int_equal(u->flags, PKL_LAYER_QUOTED | PKL_LAYER_HEADER);
	assert_int_equal(u->hdr.udp.sport, 40000);
	assert_int_equal(u->hdr.udp.dport, 9999);
	assert_int_equal(u->hdr.udp.ulen, 13);
	/* The whole datagram is quoted: its checksum can be checked. */
	assert_int_equal(u->hdr.udp.cksum_status, PKL_CK_GOOD);
	assert_int_equal(pkt->layers[5].flags, PKL_LAYER_QUOTED);

	/* A bad checksum in a whole quote is reported on the quoted layer. */
	tf_wr16(t.buf + TF_UNREACH_QUOTE + 26, 0xdead);
	tf_fix_checksums(t.buf, 42, DLT_EN10MB);   /* keep the outer IP header good */
	t.buf[36] = t.buf[37] = 0;
	tf_fix_upper(NULL, 0, t.buf + 34, 41, 2);  /* and the ICMP checksum */
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(pkt->layers[4].hdr.udp.cksum_status, PKL_CK_BAD);
	TF_CODES(pkt, PKL_EV_UDP_BAD_CKSUM);
	assert_int_equal(pkt->events[0].layer, 4);
	assert_int_equal(pkt->events[0].arg[0], 0xdead);
	assert_string_equal(pkl_icmp_code_name(3, 3), "port unreachable");
}

static void
test_icmp_unreachable_codes(void **state)
{
	(void)state;
	static struct tf t;
	uint8_t q[28];
	udp_quote(q);
	for (uint8_t code = 0; code <= 15; code++) {
		build(&t, 3, code, 0, q, sizeof q);
		const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
		const struct pkl_icmp *ic = &icmp_layer(pkt)->hdr.icmp;
		assert_int_equal(ic->code, code);
		assert_true(ic->quotes);
		assert_int_equal(ic->next_hop_mtu, 0);
		TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_ICMP,
			  PKL_PROTO_IPV4, PKL_PROTO_UDP);
		TF_NO_EVENTS(pkt);
		TF_CLEAN(pkt);
		assert_non_null(pkl_icmp_code_name(3, code));
	}
	assert_string_equal(pkl_icmp_code_name(3, 13), "communication administratively prohibited");
	assert_null(pkl_icmp_code_name(3, 16));
	assert_null(pkl_icmp_code_name(8, 0));
}

static void
test_icmp_frag_needed_mtu(void **state)
{
	(void)state;
	static struct tf t;
	uint8_t q[28];
	syn_quote(q, sizeof q);
	build(&t, 3, 4, 1400, q, sizeof q);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_icmp *ic = &icmp_layer(pkt)->hdr.icmp;
	assert_int_equal(ic->next_hop_mtu, 1400);
	assert_true(ic->quotes);
	assert_string_equal(pkl_icmp_code_name(3, 4), "fragmentation needed and DF set");
	assert_true(pkl_icmp_is_frag_needed(3, 4));
	assert_false(pkl_icmp_is_frag_needed(3, 3));
	assert_false(pkl_icmp_is_frag_needed(4, 4));   /* source quench */
	TF_NO_EVENTS(pkt);
	assert_false(pkt->truncated);
	assert_false(pkt->malformed);
}

static void
test_icmp_redirect_gateway(void **state)
{
	(void)state;
	static struct tf t;
	uint8_t q[28];
	udp_quote(q);
	build(&t, 5, 1, 0x0a4d01fe, q, sizeof q);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_icmp *ic = &icmp_layer(pkt)->hdr.icmp;
	static const uint8_t gw[4] = { 10, 77, 1, 254 };
	assert_true(ic->has_gateway);
	assert_memory_equal(ic->gateway, gw, 4);
	assert_true(ic->quotes);
	assert_false(ic->has_echo);
	assert_string_equal(pkl_icmp_code_name(5, 1), "for the host");
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_ICMP, PKL_PROTO_IPV4,
		  PKL_PROTO_UDP);
	TF_NO_EVENTS(pkt);
}

static void
test_icmp_param_problem_pointer(void **state)
{
	(void)state;
	static struct tf t;
	uint8_t q[28];
	udp_quote(q);
	build(&t, 12, 0, 0x09000000, q, sizeof q);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	const struct pkl_icmp *ic = &icmp_layer(pkt)->hdr.icmp;
	assert_int_equal(ic->pointer, 9);
	assert_true(ic->quotes);
	TF_NO_EVENTS(pkt);
}

static void
test_icmp_time_exceeded_quoting_udp(void **state)
{
	(void)state;
	static struct tf t;
	uint8_t q[28];
	udp_quote(q);
	build(&t, 11, 0, 0, q, sizeof q);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_ICMP, PKL_PROTO_IPV4,
		  PKL_PROTO_UDP);
	/* The quote is 8 bytes of a 13-byte datagram: short by design. */
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	assert_int_equal(icmp_layer(pkt)->hdr.icmp.type, 11);
	assert_string_equal(pkl_icmp_code_name(11, 0), "TTL exceeded in transit");
	const struct pkl_layer *qip = &pkt->layers[3];
	assert_true(qip->flags & PKL_LAYER_QUOTED);
	assert_int_equal(qip->hdr.ipv4.ttl, 1);
	assert_int_equal(qip->hdr.ipv4.total_len, 33);
	assert_int_equal(qip->hdr.ipv4.cksum_status, PKL_CK_GOOD);
	TF_GEOM(qip, 42, 28, 28, 20, 8);
	const struct pkl_layer *u = &pkt->layers[4];
	assert_int_equal(u->flags & (PKL_LAYER_QUOTED | PKL_LAYER_TRUNCATED |
				     PKL_LAYER_MALFORMED), PKL_LAYER_QUOTED);
	assert_int_equal(u->hdr.udp.sport, 40000);
	assert_int_equal(u->hdr.udp.dport, 9999);
	assert_int_equal(u->hdr.udp.ulen, 13);
	/* 8 of 13 bytes quoted: the checksum cannot be checked. */
	assert_int_equal(u->hdr.udp.cksum_status, PKL_CK_UNVERIFIED);
	TF_GEOM(u, 62, 8, 8, 8, 0);
}

static void
test_icmp_time_exceeded_quoting_tcp(void **state)
{
	(void)state;
	static struct tf t;
	uint8_t q[28];
	syn_quote(q, sizeof q);
	build(&t, 11, 0, 0, q, sizeof q);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_ICMP, PKL_PROTO_IPV4,
		  PKL_PROTO_TCP);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	/* The quoted IP header says 60 bytes; 28 are quoted: no length event. */
	assert_int_equal(pkt->layers[3].hdr.ipv4.total_len, 60);
	/* 8 bytes of the 20-byte TCP header: partial by design. */
	const struct pkl_layer *tcp = &pkt->layers[4];
	assert_int_equal(tcp->flags, PKL_LAYER_QUOTED | PKL_LAYER_PARTIAL);
	assert_int_equal(tcp->hdr.tcp.sport, 40000);
	assert_int_equal(tcp->hdr.tcp.dport, 8080);
	assert_int_equal(tcp->hdr.tcp.seq, 0x11223344);
	assert_int_equal(tcp->caplen, 8);
	assert_int_equal(tcp->len, 8);
}

static void
test_icmp_quote_cut_by_capture_is_truncated(void **state)
{
	(void)state;
	static struct tf t;
	uint8_t q[28];
	syn_quote(q, sizeof q);
	build(&t, 11, 0, 0, q, sizeof q);

	/* The capture ends inside the quoted IP header: that is truncation,
	 * not the by-design shortness of a quote. */
	const struct pkl_packet *pkt = tf_run(&t, DLT_EN10MB, 42 + 10, t.n);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_ICMP, PKL_PROTO_IPV4);
	TF_CODES(pkt, PKL_EV_IPV4_TRUNC);
	TF_EVENT(pkt, PKL_EV_IPV4_TRUNC, 3, 20, 10);
	TF_FLAGS(&pkt->layers[3], PKL_LAYER_TRUNCATED);
	assert_true(pkt->layers[3].flags & PKL_LAYER_QUOTED);
	assert_true(pkt->truncated);
	assert_int_equal(icmp_layer(pkt)->hdr.icmp.cksum_status, PKL_CK_UNVERIFIED);

	/* ...or inside the quoted TCP bytes. */
	pkt = tf_run(&t, DLT_EN10MB, 42 + 24, t.n);
	TF_CODES(pkt, PKL_EV_TCP_TRUNC);
	TF_EVENT(pkt, PKL_EV_TCP_TRUNC, 4, 20, 4);
	TF_FLAGS(&pkt->layers[4], PKL_LAYER_TRUNCATED);
	assert_int_equal(pkt->layers[4].hdr.tcp.dport, 8080);
	assert_true(pkt->truncated);
}

static void
test_icmp_short_quotes(void **state)
{
	(void)state;
	static struct tf t;
	uint8_t q[28];
	udp_quote(q);

	/* 10 bytes: not even the quoted IP header. */
	build(&t, 11, 0, 0, q, 10);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_ICMP);
	TF_CODES(pkt, PKL_EV_ICMP_QUOTE_SHORT);
	TF_EVENT(pkt, PKL_EV_ICMP_QUOTE_SHORT, 2, 10, 20);
	TF_FLAGS(icmp_layer(pkt), PKL_LAYER_MALFORMED);
	assert_true(icmp_layer(pkt)->hdr.icmp.quotes);
	assert_int_equal(icmp_layer(pkt)->hdr.icmp.cksum_status, PKL_CK_GOOD);
	assert_false(pkt->truncated);

	/* Nothing quoted at all. */
	build(&t, 3, 1, 0, NULL, 0);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_EVENT(pkt, PKL_EV_ICMP_QUOTE_SHORT, 2, 0, 20);

	/* 19 bytes: one short. */
	build(&t, 3, 1, 0, q, 19);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_EVENT(pkt, PKL_EV_ICMP_QUOTE_SHORT, 2, 19, 20);

	/* The IP header and 4 bytes of UDP: the quoted UDP keeps its ports
	 * and is partial, which a quote may be. */
	build(&t, 11, 0, 0, q, 24);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_ICMP, PKL_PROTO_IPV4,
		  PKL_PROTO_UDP);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *u = &pkt->layers[4];
	assert_int_equal(u->flags, PKL_LAYER_QUOTED | PKL_LAYER_PARTIAL);
	assert_int_equal(u->hdr.udp.sport, 40000);
	assert_int_equal(u->hdr.udp.dport, 9999);
	assert_int_equal(u->hdr.udp.ulen, 0);

	/* Exactly the IP header: the quoted IP layer ends there. */
	build(&t, 11, 0, 0, q, 20);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_ICMP, PKL_PROTO_IPV4,
		  PKL_PROTO_UDP);
	assert_int_equal(pkt->layers[4].flags, PKL_LAYER_QUOTED | PKL_LAYER_PARTIAL);
	TF_NO_EVENTS(pkt);
}

static void
test_icmp_error_quoting_an_error_stops(void **state)
{
	(void)state;
	static struct tf t;
	/* A quoted ICMP error is not followed into its own quote. */
	uint8_t q[28];
	memcpy(q, tf_icmp_port_unreach + 14, 28);
	build(&t, 11, 0, 0, q, sizeof q);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_ICMP, PKL_PROTO_IPV4,
		  PKL_PROTO_ICMP);
	const struct pkl_layer *qi = &pkt->layers[4];
	assert_int_equal(qi->hdr.icmp.type, 3);
	assert_false(qi->hdr.icmp.quotes);
	assert_int_equal(qi->hdr.icmp.cksum_status, PKL_CK_UNVERIFIED);
	assert_int_equal(qi->flags, PKL_LAYER_QUOTED | PKL_LAYER_HEADER);
	TF_NO_EVENTS(pkt);
}

static void
test_icmp_truncated_and_short(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_icmp_echo, sizeof tf_icmp_echo, DLT_EN10MB);

	const struct pkl_packet *pkt = tf_run(&t, DLT_EN10MB, 34 + 3, t.n);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_ICMP);
	TF_CODES(pkt, PKL_EV_ICMP_TRUNC);
	TF_EVENT(pkt, PKL_EV_ICMP_TRUNC, 2, 4, 3);
	TF_FLAGS(icmp_layer(pkt), PKL_LAYER_TRUNCATED);

	pkt = tf_run(&t, DLT_EN10MB, 34 + 6, t.n);
	TF_CODES(pkt, PKL_EV_ICMP_TRUNC);
	TF_EVENT(pkt, PKL_EV_ICMP_TRUNC, 2, 8, 6);
	const struct pkl_icmp *ic = &icmp_layer(pkt)->hdr.icmp;
	assert_int_equal(ic->type, 8);
	assert_false(ic->has_echo);
	assert_int_equal(ic->cksum_status, PKL_CK_UNVERIFIED);

	/* A 6-byte ICMP message on the wire. */
	build(&t, 8, 0, 0, NULL, 0);
	tf_wr16(t.buf + 16, 26);
	t.n = 40;
	tf_fix_checksums(t.buf, t.n, DLT_EN10MB);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_CODES(pkt, PKL_EV_LAYER_SHORT);
	TF_EVENT(pkt, PKL_EV_LAYER_SHORT, 2, 8, 6);
	TF_FLAGS(icmp_layer(pkt), PKL_LAYER_MALFORMED);
	assert_int_equal(icmp_layer(pkt)->hdr.icmp.cksum_status, PKL_CK_GOOD);
}

/* ------------------------------------------------------------- ICMPv6 */

static void
test_icmpv6_echo(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_icmpv6_echo, sizeof tf_icmpv6_echo, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_ICMPV6, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *l = TF_LAYER(pkt, 2, PKL_PROTO_ICMPV6);
	const struct pkl_icmp *ic = &l->hdr.icmp;
	assert_int_equal(ic->type, 128);
	assert_int_equal(ic->code, 0);
	assert_int_equal(ic->cksum_status, PKL_CK_GOOD);
	assert_true(ic->has_echo);
	assert_int_equal(ic->ident, 0x1234);
	assert_int_equal(ic->seq, 1);
	assert_false(ic->quotes);
	TF_GEOM(l, 54, 16, 16, 8, 8);
	assert_string_equal(pkl_icmpv6_type_name(128), "echo request");

	/* The checksum includes the pseudo-header: a changed address breaks it. */
	uint16_t good = tf_rd16(t.buf + TF_ICMPV6_ECHO_ICMP + 2);
	t.buf[14 + 8 + 15] = 9;     /* source fd77::9 */
	pkt = tf_decode(&t, DLT_EN10MB);
	assert_int_equal(pkt->layers[2].hdr.icmp.cksum_status, PKL_CK_BAD);
	TF_CODES(pkt, PKL_EV_ICMPV6_BAD_CKSUM);
	TF_EVENT(pkt, PKL_EV_ICMPV6_BAD_CKSUM, 2, good, (uint16_t)(good - 8));
	TF_CLEAN(pkt);
}

static void
test_icmpv6_neighbour_solicitation(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_icmpv6_ns, sizeof tf_icmpv6_ns, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_ICMPV6, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_icmp *ic = &pkt->layers[2].hdr.icmp;
	assert_int_equal(ic->type, 135);
	assert_int_equal(ic->cksum_status, PKL_CK_GOOD);
	assert_true(ic->has_target);
	assert_memory_equal(ic->target, ip6_b, 16);
	assert_false(ic->has_echo);
	assert_false(ic->quotes);
	assert_int_equal(pkt->layers[1].hdr.ipv6.hlim, 255);
	TF_GEOM(&pkt->layers[2], 54, 32, 32, 8, 24);
	assert_string_equal(pkl_icmpv6_type_name(135), "neighbor solicitation");

	/* Cut before the whole target: no target, and the cut is flagged. */
	pkt = tf_run(&t, DLT_EN10MB, TF_NS_ICMP + 20, t.n);
	assert_false(pkt->layers[2].hdr.icmp.has_target);
	assert_int_equal(pkt->layers[2].hdr.icmp.cksum_status, PKL_CK_UNVERIFIED);
	assert_true(pkt->truncated);
	assert_false(pkt->malformed);
}

static void
test_icmpv6_packet_too_big_quotes_ipv6(void **state)
{
	(void)state;
	static struct tf t;
	/* fd77::2 -> fd77::1 packet too big, MTU 1280, quoting the first 48
	 * bytes of tf_ipv6_tcp's datagram. */
	uint8_t b[TF_MAX];
	memcpy(b, tf_icmpv6_echo, 54);
	tf_wr16(b + 18, 8 + 48);
	uint8_t *ic = b + 54;
	ic[0] = 2;
	ic[1] = 0;
	ic[2] = ic[3] = 0;
	tf_wr32(ic + 4, 1280);
	memcpy(ic + 8, tf_ipv6_tcp + TF_IPV6_IP, 48);
	tf_load(&t, b, 54 + 8 + 48);
	tf_fix_checksums(t.buf, t.n, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_ICMPV6, PKL_PROTO_IPV6,
		  PKL_PROTO_TCP);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	const struct pkl_layer *l = &pkt->layers[2];
	assert_int_equal(l->hdr.icmp.mtu6, 1280);
	assert_true(l->hdr.icmp.quotes);
	assert_int_equal(l->flags, PKL_LAYER_QUOTES | PKL_LAYER_HEADER);
	assert_int_equal(l->hdr.icmp.cksum_status, PKL_CK_GOOD);
	const struct pkl_layer *q = &pkt->layers[3];
	assert_int_equal(q->flags, PKL_LAYER_QUOTED | PKL_LAYER_HEADER);
	assert_int_equal(q->hdr.ipv6.payload_len, 40);
	TF_GEOM(q, 62, 48, 48, 40, 8);
	assert_int_equal(pkt->layers[4].flags, PKL_LAYER_QUOTED | PKL_LAYER_PARTIAL);
	assert_int_equal(pkt->layers[4].hdr.tcp.dport, 8080);

	/* 39 quoted bytes: short of an IPv6 header. */
	tf_wr16(t.buf + 18, 8 + 39);
	t.n = 54 + 8 + 39;
	tf_fix_checksums(t.buf, t.n, DLT_EN10MB);
	pkt = tf_decode(&t, DLT_EN10MB);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_ICMPV6);
	TF_CODES(pkt, PKL_EV_ICMP_QUOTE_SHORT);
	TF_EVENT(pkt, PKL_EV_ICMP_QUOTE_SHORT, 2, 39, 40);
	TF_FLAGS(&pkt->layers[2], PKL_LAYER_MALFORMED);
}

static void
test_icmpv6_truncated(void **state)
{
	(void)state;
	static struct tf t;
	tf_load_good(&t, tf_icmpv6_echo, sizeof tf_icmpv6_echo, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_run(&t, DLT_EN10MB, 54 + 2, t.n);
	TF_CODES(pkt, PKL_EV_ICMPV6_TRUNC);
	TF_EVENT(pkt, PKL_EV_ICMPV6_TRUNC, 2, 4, 2);
	TF_FLAGS(&pkt->layers[2], PKL_LAYER_TRUNCATED);

	pkt = tf_run(&t, DLT_EN10MB, 54 + 7, t.n);
	TF_CODES(pkt, PKL_EV_ICMPV6_TRUNC);
	TF_EVENT(pkt, PKL_EV_ICMPV6_TRUNC, 2, 8, 7);
	assert_int_equal(pkt->layers[2].hdr.icmp.type, 128);
	assert_false(pkt->layers[2].hdr.icmp.has_echo);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_icmp_echo_request),
		cmocka_unit_test(test_icmp_echo_reply_and_timestamp),
		cmocka_unit_test(test_icmp_bad_checksum),
		cmocka_unit_test(test_icmp_port_unreachable_quotes_udp),
		cmocka_unit_test(test_icmp_unreachable_codes),
		cmocka_unit_test(test_icmp_frag_needed_mtu),
		cmocka_unit_test(test_icmp_redirect_gateway),
		cmocka_unit_test(test_icmp_param_problem_pointer),
		cmocka_unit_test(test_icmp_time_exceeded_quoting_udp),
		cmocka_unit_test(test_icmp_time_exceeded_quoting_tcp),
		cmocka_unit_test(test_icmp_quote_cut_by_capture_is_truncated),
		cmocka_unit_test(test_icmp_short_quotes),
		cmocka_unit_test(test_icmp_error_quoting_an_error_stops),
		cmocka_unit_test(test_icmp_truncated_and_short),
		cmocka_unit_test(test_icmpv6_echo),
		cmocka_unit_test(test_icmpv6_neighbour_solicitation),
		cmocka_unit_test(test_icmpv6_packet_too_big_quotes_ipv6),
		cmocka_unit_test(test_icmpv6_truncated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
