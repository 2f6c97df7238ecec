/* src/craft/frame.c: every builder's frame decoded by pktlens's own
 * dissectors (fields as built, checksums good), compared byte for byte
 * with the known-good frames of frames.h where they are the same
 * message; the fragment planner and the fragments; Linux's SYN options. */
#include "frames.h"

#include <sys/socket.h>

#include "../../dissectors/arp.h"
#include "../../dissectors/eth.h"
#include "../../dissectors/icmp.h"
#include "../../dissectors/icmpv6.h"
#include "../../dissectors/ipv4.h"
#include "../../dissectors/tcp.h"
#include "../../src/craft/frame.h"

static const uint8_t mac_a[6] = { TF_MAC_A };
static const uint8_t mac_b[6] = { TF_MAC_B };
static const uint8_t ip_a[4] = { TF_IP_A };
static const uint8_t ip_b[4] = { TF_IP_B };
static const uint8_t ip6_a[16] = { TF_IP6_A };
static const uint8_t ip6_b[16] = { TF_IP6_B };
static const uint8_t broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t zero[16];

static uint8_t buf[PKL_FRAME_MAX];
static char errbuf[PKL_ERRBUF_SIZE];

static const struct pkl_frame_eth eth_ab = { .src = { TF_MAC_A }, .dst = { TF_MAC_B } };

static struct pkl_frame_ip
ip4_ab(void)
{
	return (struct pkl_frame_ip){ .src = { .family = 4, .v4 = { TF_IP_A } },
				      .dst = { .family = 4, .v4 = { TF_IP_B } },
				      .ttl = PKL_FRAME_TTL };
}

static struct pkl_frame_ip
ip6_ab(void)
{
	return (struct pkl_frame_ip){ .src = { .family = 6, .v6 = { TF_IP6_A } },
				      .dst = { .family = 6, .v6 = { TF_IP6_B } },
				      .ttl = PKL_FRAME_TTL };
}

/* A builder's result: a length, and no error sentence left unsaid. */
static size_t
ok_len(int len)
{
	if (len < 0)
		print_error("builder failed: %s\n", errbuf);
	assert_true(len > 0);
	return (size_t)len;
}

/* Decode a built frame as a capture of Ethernet would hand it over. */
static const struct pkl_packet *
decode(struct tf *t, const uint8_t *frame, int len)
{
	tf_load(t, frame, ok_len(len));
	return tf_decode(t, DLT_EN10MB);
}

/* The builder failed with a sentence holding `words`. */
static void
refused(int len, const char *words)
{
	assert_int_equal(len, -1);
	if (!strstr(errbuf, words))
		print_error("errbuf: %s\n", errbuf);
	assert_non_null(strstr(errbuf, words));
	errbuf[0] = '\0';
}

/* ------------------------------------------------------------------ ARP */

static int
build_arp(enum pkl_arp_kind kind)
{
	struct pkl_frame_arp arp = { .kind = kind };
	memcpy(arp.sender_mac, mac_a, 6);
	memcpy(arp.sender_ip, ip_a, 4);
	memcpy(arp.target_mac, mac_b, 6);
	memcpy(arp.target_ip, ip_b, 4);
	return pkl_frame_build_arp(&arp, buf, sizeof buf, errbuf);
}

/* The decoded ARP frame: Ethernet dst, op, addresses, and its kind. */
static void
check_arp(enum pkl_arp_kind kind, const uint8_t dst[6], uint16_t op, const uint8_t spa[4],
	  const uint8_t tha[6], const uint8_t tpa[4])
{
	static struct tf t;
	const struct pkl_packet *pkt = decode(&t, buf, build_arp(kind));

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_ARP);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	assert_int_equal(t.n, 42);
	const struct pkl_eth *e = &pkt->layers[0].hdr.eth;
	assert_memory_equal(e->dst, dst, 6);
	assert_memory_equal(e->src, mac_a, 6);
	assert_int_equal(e->type, PKL_ETHERTYPE_ARP);
	const struct pkl_arp *a = &pkt->layers[1].hdr.arp;
	assert_int_equal(a->htype, PKL_ARP_HW_ETHERNET);
	assert_int_equal(a->ptype, PKL_ETHERTYPE_IPV4);
	assert_int_equal(a->op, op);
	assert_true(a->addrs_decoded);
	assert_memory_equal(a->sha, mac_a, 6);
	assert_memory_equal(a->spa, spa, 4);
	assert_memory_equal(a->tha, tha, 6);
	assert_memory_equal(a->tpa, tpa, 4);
	assert_int_equal(a->kind, kind);
}

static void
test_arp_request_is_the_known_frame(void **state)
{
	(void)state;
	size_t n = ok_len(build_arp(PKL_ARP_REQUEST));
	assert_int_equal(n, sizeof tf_arp_request);
	assert_memory_equal(buf, tf_arp_request, n);
	check_arp(PKL_ARP_REQUEST, broadcast, PKL_ARP_OP_REQUEST, ip_a, zero, ip_b);
}

static void
test_arp_probe_announcement_reply(void **state)
{
	(void)state;
	/* RFC 5227: a probe says sender 0.0.0.0; an announcement names its
	 * own address as the target; a reply goes to the asker alone. */
	check_arp(PKL_ARP_PROBE, broadcast, PKL_ARP_OP_REQUEST, zero, zero, ip_b);
	check_arp(PKL_ARP_GRATUITOUS, broadcast, PKL_ARP_OP_REQUEST, ip_a, zero, ip_a);
	check_arp(PKL_ARP_REPLY, mac_b, PKL_ARP_OP_REPLY, ip_a, mac_b, ip_b);
	refused(build_arp(PKL_ARP_OTHER), "ARP");
}

/* ---------------------------------------------------------------- echo */

/* iputils ping's payload: the timeval, then byte i holding i. */
static void
check_echo_payload(const uint8_t *p, size_t n, const struct timeval *sent)
{
	size_t from = 0;
	if (n >= sizeof *sent) {
		assert_memory_equal(p, sent, sizeof *sent);
		from = sizeof *sent;
	}
	for (size_t i = from; i < n; i++)
		assert_int_equal(p[i], (uint8_t)i);
}

static void
test_echo_ipv4_as_ping(void **state)
{
	(void)state;
	static struct tf t;
	struct pkl_frame_ip ip = ip4_ab();
	ip.df = true;
	ip.id = 0x4321;
	struct pkl_frame_echo echo = { .ident = 0x1695, .seq = 1, .size = PKL_FRAME_ECHO_SIZE,
				       .sent = { 1700000000, 987654 } };
	const struct pkl_packet *pkt =
		decode(&t, buf, pkl_frame_build_echo(&eth_ab, &ip, &echo, buf, sizeof buf, errbuf));

	/* ping's 98 bytes: 14 + 20 + 8 + 56. */
	assert_int_equal(t.n, 98);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_ICMP, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	assert_memory_equal(pkt->layers[0].hdr.eth.dst, mac_b, 6);
	assert_memory_equal(pkt->layers[0].hdr.eth.src, mac_a, 6);
	const struct pkl_ipv4 *v4 = &pkt->layers[1].hdr.ipv4;
	assert_int_equal(v4->ihl, 5);
	assert_int_equal(v4->total_len, 84);
	assert_int_equal(v4->id, 0x4321);
	assert_true(v4->df);
	assert_false(v4->mf);
	assert_int_equal(v4->frag_offset, 0);
	assert_int_equal(v4->ttl, 64);
	assert_int_equal(v4->proto, PKL_IPPROTO_ICMP);
	assert_int_equal(v4->cksum_status, PKL_CK_GOOD);
	assert_memory_equal(v4->src, ip_a, 4);
	assert_memory_equal(v4->dst, ip_b, 4);
	const struct pkl_icmp *ic = &pkt->layers[2].hdr.icmp;
	assert_int_equal(ic->type, PKL_ICMP_ECHO_REQUEST);
	assert_int_equal(ic->code, 0);
	assert_true(ic->has_echo);
	assert_int_equal(ic->ident, 0x1695);
	assert_int_equal(ic->seq, 1);
	assert_int_equal(ic->cksum_status, PKL_CK_GOOD);
	assert_int_equal(pkt->layers[3].len, PKL_FRAME_ECHO_SIZE);
	check_echo_payload(t.buf + 42, PKL_FRAME_ECHO_SIZE, &echo.sent);
}

static void
test_echo_sizes_ttl_no_df(void **state)
{
	(void)state;
	static struct tf t;
	struct pkl_frame_ip ip = ip4_ab();
	ip.ttl = 1;
	/* No payload, less than a timeval (the pattern alone), exactly one,
	 * odd sizes (the checksum's padding byte). */
	static const size_t sizes[] = { 0, 1, 8, 15, 16, 17, 57, 1472, 1473 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		struct pkl_frame_echo echo = { .ident = 7, .seq = (uint16_t)(100 + i),
					       .size = sizes[i], .sent = { 1, 2 } };
		const struct pkl_packet *pkt = decode(
			&t, buf, pkl_frame_build_echo(&eth_ab, &ip, &echo, buf, sizeof buf, errbuf));
		assert_int_equal(t.n, 42 + sizes[i]);
		TF_NO_EVENTS(pkt);
		TF_CLEAN(pkt);
		const struct pkl_ipv4 *v4 = &TF_LAYER(pkt, 1, PKL_PROTO_IPV4)->hdr.ipv4;
		assert_int_equal(v4->ttl, 1);
		assert_false(v4->df);
		assert_int_equal(v4->total_len, 28 + sizes[i]);
		assert_int_equal(v4->cksum_status, PKL_CK_GOOD);
		const struct pkl_icmp *ic = &TF_LAYER(pkt, 2, PKL_PROTO_ICMP)->hdr.icmp;
		assert_int_equal(ic->seq, 100 + i);
		assert_int_equal(ic->cksum_status, PKL_CK_GOOD);
		check_echo_payload(t.buf + 42, sizes[i], &echo.sent);
	}
}

static void
test_echo_ipv6(void **state)
{
	(void)state;
	static struct tf t;
	struct pkl_frame_ip ip = ip6_ab();
	ip.ttl = 3;
	struct pkl_frame_echo echo = { .ident = 0x1234, .seq = 9, .size = 57,
				       .sent = { 1700000000, 1 } };
	const struct pkl_packet *pkt =
		decode(&t, buf, pkl_frame_build_echo(&eth_ab, &ip, &echo, buf, sizeof buf, errbuf));

	assert_int_equal(t.n, 14 + 40 + 8 + 57);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_ICMPV6, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	assert_int_equal(pkt->layers[0].hdr.eth.type, PKL_ETHERTYPE_IPV6);
	const struct pkl_ipv6 *v6 = &pkt->layers[1].hdr.ipv6;
	assert_int_equal(v6->payload_len, 8 + 57);
	assert_int_equal(v6->nxt, PKL_IPPROTO_ICMPV6);
	assert_int_equal(v6->hlim, 3);
	assert_memory_equal(v6->src, ip6_a, 16);
	assert_memory_equal(v6->dst, ip6_b, 16);
	const struct pkl_icmp *ic = &pkt->layers[2].hdr.icmp;
	assert_int_equal(ic->type, PKL_ICMPV6_ECHO_REQUEST);
	assert_true(ic->has_echo);
	assert_int_equal(ic->ident, 0x1234);
	assert_int_equal(ic->seq, 9);
	assert_int_equal(ic->cksum_status, PKL_CK_GOOD);
	check_echo_payload(t.buf + 62, 57, &echo.sent);
}

static void
test_echo_loopback_zero_macs(void **state)
{
	(void)state;
	static struct tf t;
	const struct pkl_frame_eth lo = { { 0 }, { 0 } };
	struct pkl_frame_ip ip = { .src = { .family = 4, .v4 = { 127, 0, 0, 1 } },
				   .dst = { .family = 4, .v4 = { 127, 0, 0, 1 } },
				   .ttl = 64 };
	struct pkl_frame_echo echo = { .ident = 1, .seq = 1, .size = PKL_FRAME_ECHO_SIZE };
	const struct pkl_packet *pkt =
		decode(&t, buf, pkl_frame_build_echo(&lo, &ip, &echo, buf, sizeof buf, errbuf));

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_ICMP, PKL_PROTO_DATA);
	TF_CLEAN(pkt);
	assert_memory_equal(t.buf, zero, 12);
	assert_int_equal(pkt->layers[0].hdr.eth.type, PKL_ETHERTYPE_IPV4);
	assert_int_equal(pkt->layers[2].hdr.icmp.cksum_status, PKL_CK_GOOD);
}

static void
test_echo_refusals(void **state)
{
	(void)state;
	struct pkl_frame_ip ip = ip4_ab();
	struct pkl_frame_echo echo = { .size = PKL_FRAME_ECHO_SIZE };

	/* A buffer one byte short: nothing written past it, a sentence. */
	refused(pkl_frame_build_echo(&eth_ab, &ip, &echo, buf, 97, errbuf), "98 bytes");
	/* The largest ICMP payload: 65535 - 20 - 8; one more is refused. */
	echo.size = 65507;
	assert_int_equal(ok_len(pkl_frame_build_echo(&eth_ab, &ip, &echo, buf, sizeof buf,
						     errbuf)),
			 14 + 65535);
	assert_true(tf_sum_ok(buf + 14, 0, buf + 14, 20));
	assert_true(tf_sum_ok(buf + 14, 0, buf + 34, 65515));
	echo.size = 65508;
	refused(pkl_frame_build_echo(&eth_ab, &ip, &echo, buf, sizeof buf, errbuf), "datagram");
	/* Addresses of two families. */
	echo.size = 8;
	ip.dst.family = 6;
	refused(pkl_frame_build_echo(&eth_ab, &ip, &echo, buf, sizeof buf, errbuf), "IPv6");
}

/* ------------------------------------------------------ neighbour solicit */

static void
test_ns_is_the_known_frame(void **state)
{
	(void)state;
	static struct tf t, known;
	const struct pkl_packet *pkt =
		decode(&t, buf, pkl_frame_build_ns(mac_a, ip6_a, ip6_b, buf, sizeof buf, errbuf));

	/* frames.h's solicitation, its checksum computed independently. */
	tf_load_good(&known, tf_icmpv6_ns, sizeof tf_icmpv6_ns, DLT_EN10MB);
	assert_int_equal(t.n, known.n);
	assert_memory_equal(t.buf, known.buf, known.n);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_ICMPV6, PKL_PROTO_DATA);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	static const uint8_t group_mac[6] = { 0x33, 0x33, 0xff, 0x00, 0x00, 0x02 };
	static const uint8_t group[16] = { 0xff, 0x02, [11] = 0x01, 0xff, 0x00, 0x00, 0x02 };
	assert_memory_equal(pkt->layers[0].hdr.eth.dst, group_mac, 6);
	assert_memory_equal(pkt->layers[0].hdr.eth.src, mac_a, 6);
	const struct pkl_ipv6 *v6 = &pkt->layers[1].hdr.ipv6;
	assert_int_equal(v6->hlim, 255);
	assert_memory_equal(v6->src, ip6_a, 16);
	assert_memory_equal(v6->dst, group, 16);
	const struct pkl_icmp *ic = &pkt->layers[2].hdr.icmp;
	assert_int_equal(ic->type, PKL_ICMPV6_NEIGHBOR_SOLICIT);
	assert_true(ic->has_target);
	assert_memory_equal(ic->target, ip6_b, 16);
	assert_int_equal(ic->cksum_status, PKL_CK_GOOD);
	/* The source link-layer address option: type 1, one 8-byte unit. */
	assert_memory_equal(t.buf + t.n - 8, ((const uint8_t[]){ 1, 1, TF_MAC_A }), 8);
}

static void
test_ns_groups_and_dad(void **state)
{
	(void)state;
	static struct tf t;
	static const uint8_t target[16] = { 0xfe, 0x80, [8] = 0x50, 0x54, 0x00, 0xff,
					    0xfe, 0xab, 0xcd, 0xef };
	const struct pkl_packet *pkt =
		decode(&t, buf, pkl_frame_build_ns(mac_a, zero, target, buf, sizeof buf, errbuf));

	/* From :: (duplicate address detection): no link-layer option. */
	assert_int_equal(t.n, 14 + 40 + 24);
	TF_CLEAN(pkt);
	assert_memory_equal(pkt->layers[0].hdr.eth.dst,
			    ((const uint8_t[]){ 0x33, 0x33, 0xff, 0xab, 0xcd, 0xef }), 6);
	assert_memory_equal(pkt->layers[1].hdr.ipv6.dst,
			    ((const uint8_t[]){ 0xff, 0x02, [11] = 1, 0xff, 0xab, 0xcd, 0xef }),
			    16);
	assert_int_equal(pkt->layers[1].hdr.ipv6.payload_len, 24);
	assert_memory_equal(pkt->layers[2].hdr.icmp.target, target, 16);
	assert_int_equal(pkt->layers[2].hdr.icmp.cksum_status, PKL_CK_GOOD);
}

/* ----------------------------------------------------------------- TCP */

static void
test_syn_options_as_linux(void **state)
{
	(void)state;
	static const uint8_t linux_syn[] = { TF_SYN_OPTIONS };
	uint8_t o[PKL_FRAME_SYN_OPTIONS_LEN];

	pkl_frame_syn_options(o, 1460, 123456, 7);
	assert_memory_equal(o, linux_syn, sizeof linux_syn);
	pkl_frame_syn_options(o, 65495, 0xfedcba98, 14);
	assert_memory_equal(o, ((const uint8_t[]){ 2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0xfe, 0xdc,
						   0xba, 0x98, 0, 0, 0, 0, 1, 3, 3, 14 }),
			    sizeof o);

	/* The MSS Linux announces: Ethernet, lo (MTU 65536), the minimum. */
	assert_int_equal(pkl_frame_mss(1500, 4), 1460);
	assert_int_equal(pkl_frame_mss(1500, 6), 1440);
	assert_int_equal(pkl_frame_mss(65536, 4), 65495);
	assert_int_equal(pkl_frame_mss(65536, 6), 65476);
	assert_int_equal(pkl_frame_mss(68, 4), 256);
	assert_int_equal(pkl_frame_mss(1280, 6), 1220);
	assert_int_equal(pkl_frame_mss(9000, 4), 8960);
}

static struct pkl_frame_tcp
syn_40000_8080(uint8_t options[PKL_FRAME_SYN_OPTIONS_LEN])
{
	pkl_frame_syn_options(options, 1460, 123456, 7);
	return (struct pkl_frame_tcp){ .sport = 40000, .dport = 8080, .seq = 0x11223344,
				       .flags = PKL_TCP_SYN, .window = 64240, .options = options,
				       .options_len = PKL_FRAME_SYN_OPTIONS_LEN };
}

/* The decoded SYN of frames.h: ports, flags and the options in order. */
static void
check_syn(const struct pkl_layer *l)
{
	const struct pkl_tcp *tc = &l->hdr.tcp;
	assert_int_equal(tc->sport, 40000);
	assert_int_equal(tc->dport, 8080);
	assert_int_equal(tc->seq, 0x11223344);
	assert_int_equal(tc->ack, 0);
	assert_int_equal(tc->flags, PKL_TCP_SYN);
	assert_int_equal(tc->window, 64240);
	assert_int_equal(tc->doff, 10);
	assert_int_equal(tc->cksum_status, PKL_CK_GOOD);
	assert_int_equal(tc->payload_len, 0);
	static const uint8_t kinds[] = { PKL_TCPOPT_MSS, PKL_TCPOPT_SACK_PERM,
					 PKL_TCPOPT_TIMESTAMP, PKL_TCPOPT_NOP, PKL_TCPOPT_WSCALE };
	assert_int_equal(tc->n_options, sizeof kinds);
	for (size_t i = 0; i < sizeof kinds; i++)
		assert_int_equal(tc->options[i].kind, kinds[i]);
	assert_true(tc->has_mss);
	assert_int_equal(tc->mss, 1460);
	assert_true(tc->sack_perm);
	assert_true(tc->has_ts);
	assert_int_equal(tc->ts_val, 123456);
	assert_int_equal(tc->ts_ecr, 0);
	assert_true(tc->has_wscale);
	assert_int_equal(tc->wscale, 7);
}

static void
test_tcp_syn_ipv4_is_the_known_frame(void **state)
{
	(void)state;
	static struct tf t, known;
	uint8_t options[PKL_FRAME_SYN_OPTIONS_LEN];
	struct pkl_frame_tcp syn = syn_40000_8080(options);
	struct pkl_frame_ip ip = ip4_ab();
	ip.df = true;
	ip.id = 0x1c46;
	const struct pkl_packet *pkt =
		decode(&t, buf, pkl_frame_build_tcp(&eth_ab, &ip, &syn, buf, sizeof buf, errbuf));

	tf_load_good(&known, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
	assert_int_equal(t.n, known.n);
	assert_memory_equal(t.buf, known.buf, known.n);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_TCP);
	TF_NO_EVENTS(pkt);
	TF_CLEAN(pkt);
	assert_int_equal(pkt->layers[1].hdr.ipv4.cksum_status, PKL_CK_GOOD);
	check_syn(&pkt->layers[2]);
}

static void
test_tcp_syn_ipv6_is_the_known_frame(void **state)
{
	(void)state;
	static struct tf t, known;
	uint8_t options[PKL_FRAME_SYN_OPTIONS_LEN];
	struct pkl_frame_tcp syn = syn_40000_8080(options);
	struct pkl_frame_ip ip = ip6_ab();
	const struct pkl_packet *pkt =
		decode(&t, buf, pkl_frame_build_tcp(&eth_ab, &ip, &syn, buf, sizeof buf, errbuf));

	tf_load_good(&known, tf_ipv6_tcp, sizeof tf_ipv6_tcp, DLT_EN10MB);
	assert_int_equal(t.n, known.n);
	assert_memory_equal(t.buf, known.buf, known.n);
	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV6, PKL_PROTO_TCP);
	TF_CLEAN(pkt);
	check_syn(&pkt->layers[2]);
}

static void
test_tcp_any_flags_options_payload(void **state)
{
	(void)state;
	static struct tf t;
	/* 13 option bytes (padded to 16 with EOL) and 13 bytes of data. */
	static const uint8_t ts[] = { 1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6, 1 };
	static const uint8_t data[] = "hello, world\n";
	struct pkl_frame_tcp seg = { .sport = 8080, .dport = 40000, .seq = 0xfffffff0,
				     .ack = 0x80000001, .flags = PKL_TCP_PSH | PKL_TCP_ACK,
				     .window = 502, .options = ts, .options_len = sizeof ts,
				     .payload = data, .payload_len = sizeof data - 1 };

	for (int family = 0; family < 2; family++) {
		struct pkl_frame_ip ip = family ? ip6_ab() : ip4_ab();
		size_t ip_hlen = family ? 40 : 20;
		const struct pkl_packet *pkt = decode(
			&t, buf, pkl_frame_build_tcp(&eth_ab, &ip, &seg, buf, sizeof buf, errbuf));

		assert_int_equal(t.n, 14 + ip_hlen + 20 + 16 + 13);
		/* Port 8080: the payload is HTTP's (here no request line). */
		TF_PROTOS(pkt, PKL_PROTO_ETH, family ? PKL_PROTO_IPV6 : PKL_PROTO_IPV4,
			  PKL_PROTO_TCP, PKL_PROTO_HTTP);
		TF_NO_EVENTS(pkt);
		TF_CLEAN(pkt);
		const struct pkl_tcp *tc = &pkt->layers[2].hdr.tcp;
		assert_int_equal(tc->sport, 8080);
		assert_int_equal(tc->dport, 40000);
		assert_int_equal(tc->seq, 0xfffffff0);
		assert_int_equal(tc->ack, 0x80000001);
		assert_int_equal(tc->flags, PKL_TCP_PSH | PKL_TCP_ACK);
		assert_int_equal(tc->window, 502);
		assert_int_equal(tc->doff, 9);
		assert_true(tc->has_ts);
		assert_int_equal(tc->ts_val, 5);
		assert_int_equal(tc->ts_ecr, 6);
		assert_int_equal(tc->payload_len, 13);
		assert_int_equal(tc->cksum_status, PKL_CK_GOOD);
		size_t opt_at = 14 + ip_hlen + 20;
		assert_memory_equal(t.buf + opt_at, ts, sizeof ts);
		assert_memory_equal(t.buf + opt_at + 13, zero, 3);
		assert_memory_equal(t.buf + opt_at + 16, data, 13);
	}

	/* Every flag libnet carries, the urgent pointer, no options. */
	struct pkl_frame_tcp all = { .sport = 1, .dport = 2, .seq = 3, .ack = 4, .flags = 0xff,
				     .window = 5, .urg = 6 };
	struct pkl_frame_ip ip = ip4_ab();
	const struct pkl_packet *pkt =
		decode(&t, buf, pkl_frame_build_tcp(&eth_ab, &ip, &all, buf, sizeof buf, errbuf));
	assert_int_equal(t.n, 54);
	const struct pkl_tcp *tc = &TF_LAYER(pkt, 2, PKL_PROTO_TCP)->hdr.tcp;
	assert_int_equal(tc->flags, 0xff);
	assert_int_equal(tc->urg_ptr, 6);
	assert_int_equal(tc->doff, 5);
	assert_int_equal(tc->cksum_status, PKL_CK_GOOD);
}

static void
test_tcp_refusals(void **state)
{
	(void)state;
	uint8_t options[44] = { 0 };
	struct pkl_frame_tcp seg = { .options = options, .options_len = 41 };
	struct pkl_frame_ip ip = ip4_ab();

	refused(pkl_frame_build_tcp(&eth_ab, &ip, &seg, buf, sizeof buf, errbuf), "40");
	seg.options_len = 40;
	assert_int_equal(ok_len(pkl_frame_build_tcp(&eth_ab, &ip, &seg, buf, sizeof buf, errbuf)),
			 14 + 20 + 60);
	refused(pkl_frame_build_tcp(&eth_ab, &ip, &seg, buf, 93, errbuf), "94 bytes");
	ip.src.family = 5;
	refused(pkl_frame_build_tcp(&eth_ab, &ip, &seg, buf, sizeof buf, errbuf), "IPv4");
}

/* ----------------------------------------------------------- fragments */

#define MAX_FRAGS 8192

/* The plan's invariants: contiguous, offsets in 8-byte units, MF on all
 * but the last, each datagram within the MTU, every fragment but the
 * last as full as the MTU allows, and the payload covered exactly. */
static void
check_plan(size_t payload, unsigned mtu)
{
	static struct pkl_frame_frag f[MAX_FRAGS];
	int n = pkl_frame_plan_fragments(payload, 20, mtu, f, MAX_FRAGS, errbuf);

	assert_true(n >= 1);
	size_t full = (mtu - 20) / 8 * 8, at = 0;
	for (int i = 0; i < n; i++) {
		assert_int_equal(f[i].offset, at);
		assert_int_equal(f[i].offset % 8, 0);
		assert_int_equal(f[i].more, i + 1 < n);
		assert_true(20 + f[i].len <= mtu);
		if (i + 1 < n)
			assert_int_equal(f[i].len, full);
		at += f[i].len;
	}
	assert_int_equal(at, payload);
	/* As few as can be: one when the datagram fits, else as many full
	 * fragments as the payload needs. */
	size_t expect = payload + 20 <= mtu ? 1 : (payload + full - 1) / full;
	assert_int_equal(n, expect);
}

static void
test_plan_at_and_around_the_mtu(void **state)
{
	(void)state;
	struct pkl_frame_frag f[4];

	/* 1500: a 1480-byte payload fits exactly; one more byte takes a
	 * second fragment of 1 byte at offset 1480 (185 units). */
	assert_int_equal(pkl_frame_plan_fragments(1480, 20, 1500, f, 4, errbuf), 1);
	assert_int_equal(f[0].offset, 0);
	assert_int_equal(f[0].len, 1480);
	assert_false(f[0].more);
	assert_int_equal(pkl_frame_plan_fragments(1479, 20, 1500, f, 4, errbuf), 1);
	assert_int_equal(f[0].len, 1479);
	assert_int_equal(pkl_frame_plan_fragments(1481, 20, 1500, f, 4, errbuf), 2);
	assert_int_equal(f[0].len, 1480);
	assert_true(f[0].more);
	assert_int_equal(f[1].offset, 1480);
	assert_int_equal(f[1].len, 1);
	assert_false(f[1].more);

	/* An MTU whose room is not whole units: 1006 - 20 = 986 holds 123
	 * units (984 bytes) per fragment, while 986 still fit unfragmented. */
	assert_int_equal(pkl_frame_plan_fragments(986, 20, 1006, f, 4, errbuf), 1);
	assert_int_equal(pkl_frame_plan_fragments(987, 20, 1006, f, 4, errbuf), 2);
	assert_int_equal(f[0].len, 984);
	assert_int_equal(f[1].offset, 984);
	assert_int_equal(f[1].len, 3);

	/* ping -s 3000: 3008 bytes of ICMP in 1480 + 1480 + 48. */
	assert_int_equal(pkl_frame_plan_fragments(3008, 20, 1500, f, 4, errbuf), 3);
	assert_int_equal(f[2].offset, 2960);
	assert_int_equal(f[2].len, 48);

	static const unsigned mtus[] = { 28, 68, 576, 1006, 1280, 1500, 9000, 65535 };
	for (size_t m = 0; m < sizeof mtus / sizeof mtus[0]; m++) {
		unsigned room = mtus[m] - 20;
		size_t sizes[] = { 0, 1, room - 1, room, room + 1, 2 * room - 1, 2 * room,
				   2 * room + 1, 3008, 65515 };
		for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
			if (sizes[s] <= 65515)
				check_plan(sizes[s], mtus[m]);
	}
}

static void
test_plan_refusals(void **state)
{
	(void)state;
	struct pkl_frame_frag f[3];

	refused(pkl_frame_plan_fragments(100, 20, 27, f, 3, errbuf), "MTU of 27");
	refused(pkl_frame_plan_fragments(65516, 20, 1500, f, 3, errbuf), "65535");
	refused(pkl_frame_plan_fragments(4441, 20, 1500, f, 3, errbuf), "4 fragments");
	assert_int_equal(pkl_frame_plan_fragments(4440, 20, 1500, f, 3, errbuf), 3);
}

/* ping -s 3000 through an MTU: every fragment decoded, its header as
 * planned with a good checksum, and the payloads put back together are
 * the ICMP message whose checksum covers all of it. */
static void
check_fragmented_ping(unsigned mtu)
{
	static uint8_t whole[PKL_FRAME_MAX], frag[PKL_FRAME_MAX], joined[65536];
	static struct pkl_frame_frag plan[MAX_FRAGS];
	static struct tf t;
	struct pkl_frame_ip ip = ip4_ab();
	ip.id = 0xbeef;
	ip.ttl = 9;
	ip.tos = 0x10;
	struct pkl_frame_echo echo = { .ident = 77, .seq = 3, .size = 3000, .sent = { 5, 6 } };
	size_t len = ok_len(pkl_frame_build_echo(&eth_ab, &ip, &echo, whole, sizeof whole,
						 errbuf));
	size_t icmp_len = len - 34;
	int n = pkl_frame_plan_fragments(icmp_len, 20, mtu, plan, MAX_FRAGS, errbuf);
	assert_true(n > 1);

	memset(joined, 0, sizeof joined);
	for (int i = 0; i < n; i++) {
		const struct pkl_packet *pkt = decode(
			&t, frag,
			pkl_frame_build_fragment(whole, len, &plan[i], frag, sizeof frag, errbuf));
		assert_true(t.n - 14 <= mtu);
		assert_memory_equal(t.buf, whole, 14);
		const struct pkl_ipv4 *v4 = &TF_LAYER(pkt, 1, PKL_PROTO_IPV4)->hdr.ipv4;
		assert_int_equal(v4->id, 0xbeef);
		assert_int_equal(v4->ttl, 9);
		assert_int_equal(v4->dsfield, 0x10);
		assert_int_equal(v4->proto, PKL_IPPROTO_ICMP);
		assert_memory_equal(v4->src, ip_a, 4);
		assert_memory_equal(v4->dst, ip_b, 4);
		assert_false(v4->df);
		assert_int_equal(v4->mf, i + 1 < n);
		assert_int_equal(v4->frag_offset, plan[i].offset / 8);
		assert_int_equal(v4->total_len, 20 + plan[i].len);
		assert_int_equal(v4->cksum_status, PKL_CK_GOOD);
		assert_false(pkt->malformed);
		memcpy(joined + plan[i].offset, t.buf + 34, plan[i].len);
	}
	assert_memory_equal(joined, whole + 34, icmp_len);
	assert_true(tf_sum_ok(whole + 14, 0, joined, icmp_len));
	/* The first fragment still shows the echo it starts. */
	decode(&t, frag, pkl_frame_build_fragment(whole, len, &plan[0], frag, sizeof frag, errbuf));
	const struct pkl_icmp *ic = &TF_LAYER(&t.pkt, 2, PKL_PROTO_ICMP)->hdr.icmp;
	assert_int_equal(ic->type, PKL_ICMP_ECHO_REQUEST);
	assert_int_equal(ic->ident, 77);
	assert_int_equal(ic->seq, 3);
}

static void
test_fragmented_ping(void **state)
{
	(void)state;
	check_fragmented_ping(1500);
	check_fragmented_ping(1006);
	check_fragmented_ping(576);
	check_fragmented_ping(68);
}

static void
test_fragment_refusals(void **state)
{
	(void)state;
	static uint8_t whole[PKL_FRAME_MAX], frag[PKL_FRAME_MAX];
	struct pkl_frame_ip ip = ip4_ab();
	struct pkl_frame_echo echo = { .size = 100 };
	size_t len = ok_len(pkl_frame_build_echo(&eth_ab, &ip, &echo, whole, sizeof whole,
						 errbuf));
	struct pkl_frame_frag f = { .offset = 4, .len = 8, .more = true };

	refused(pkl_frame_build_fragment(whole, len, &f, frag, sizeof frag, errbuf), "offset 4");
	f = (struct pkl_frame_frag){ .offset = 96, .len = 16 };
	refused(pkl_frame_build_fragment(whole, len, &f, frag, sizeof frag, errbuf), "108-byte");
	f = (struct pkl_frame_frag){ .offset = 0, .len = 12, .more = true };
	refused(pkl_frame_build_fragment(whole, len, &f, frag, sizeof frag, errbuf), "12 bytes");
	f = (struct pkl_frame_frag){ .offset = 0, .len = 16, .more = true };
	refused(pkl_frame_build_fragment(whole, len, &f, frag, 14 + 20 + 15, errbuf), "50 bytes");
	assert_int_equal(ok_len(pkl_frame_build_fragment(whole, len, &f, frag, sizeof frag,
							 errbuf)),
			 50);
	/* A fragment is not cut again; DF forbids cutting; IPv6 is not cut. */
	refused(pkl_frame_build_fragment(frag, 50, &f, buf, sizeof buf, errbuf), "fragment");
	ip.df = true;
	len = ok_len(pkl_frame_build_echo(&eth_ab, &ip, &echo, whole, sizeof whole, errbuf));
	refused(pkl_frame_build_fragment(whole, len, &f, frag, sizeof frag, errbuf), "DF");
	ip = ip6_ab();
	len = ok_len(pkl_frame_build_echo(&eth_ab, &ip, &echo, whole, sizeof whole, errbuf));
	refused(pkl_frame_build_fragment(whole, len, &f, frag, sizeof frag, errbuf), "IPv4");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_request_is_the_known_frame),
		cmocka_unit_test(test_arp_probe_announcement_reply),
		cmocka_unit_test(test_echo_ipv4_as_ping),
		cmocka_unit_test(test_echo_sizes_ttl_no_df),
		cmocka_unit_test(test_echo_ipv6),
		cmocka_unit_test(test_echo_loopback_zero_macs),
		cmocka_unit_test(test_echo_refusals),
		cmocka_unit_test(test_ns_is_the_known_frame),
		cmocka_unit_test(test_ns_groups_and_dad),
		cmocka_unit_test(test_syn_options_as_linux),
		cmocka_unit_test(test_tcp_syn_ipv4_is_the_known_frame),
		cmocka_unit_test(test_tcp_syn_ipv6_is_the_known_frame),
		cmocka_unit_test(test_tcp_any_flags_options_payload),
		cmocka_unit_test(test_tcp_refusals),
		cmocka_unit_test(test_plan_at_and_around_the_mtu),
		cmocka_unit_test(test_plan_refusals),
		cmocka_unit_test(test_fragmented_ping),
		cmocka_unit_test(test_fragment_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
