/* The -Y field filter: expressions against decoded frames (fields of the
 * layers, of the quote, of DNS's questions and records, of the frame and
 * of the connection), Wireshark's operators and precedence, and the
 * errors with their caret. */
#include "frames.h"

#include <stdio.h>

#include "../../dissectors/tcp.h"
#include "../../src/dfilter.h"
#include "../../src/tcp_state.h"

struct expectation {
	const char *expr;
	bool kept;
};

/* Every expression, compiled, on pkt and notes. */
static void
check(const struct pkl_packet *pkt, const struct pkl_notes *notes,
      const struct expectation *e, size_t n)
{
	struct pkl_clock clock = { true, 0, 0 };
	char err[PKL_DFILTER_ERRBUF_SIZE];

	for (size_t i = 0; i < n; i++) {
		struct pkl_dfilter *df = pkl_dfilter_compile(e[i].expr, err);
		if (!df)
			fail_msg("%s: %s", e[i].expr, err);
		if (pkl_dfilter_match(df, pkt, notes, &clock) != e[i].kept)
			fail_msg("%s: %s, wanted %s", e[i].expr, e[i].kept ? "dropped" : "kept",
				 e[i].kept ? "kept" : "dropped");
		pkl_dfilter_free(df);
	}
}

static void
test_syn(void **state)
{
	(void)state;
	struct tf t;
	struct pkl_notes notes = { 0 };
	static const struct expectation e[] = {
		{ "tcp", true }, { "ip", true }, { "eth", true }, { "udp", false }, { "!arp", true },
		{ "frame", true }, { "conn", false },
		{ "ip.src == 10.77.1.1 && tcp.dstport == 8080", true },
		{ "ip.src == 10.77.1.2", false },
		{ "ip.addr == 10.77.1.2", true },          /* either end */
		{ "ip.addr != 10.77.1.2", false },         /* no end equal */
		{ "ip.addr != 10.1.1.1", true }, { "udp.port != 53", false },   /* none there */
		{ "ip.addr == 10.0.0.0/8", true }, { "ip.addr == 10.78.0.0/16", false },
		{ "ip.src == 10.77.1.0/31", true }, { "ip.src == 10.77.1.0/32", false },
		{ "tcp.port == 40000", true }, { "tcp.port eq 0x9c40", true }, { "tcp.port == 0116100", true },
		{ "tcp.srcport > 39999 and tcp.srcport lt 40001", true },
		{ "tcp.srcport >= 40001", false }, { "tcp.srcport <= 40000", true },
		{ "tcp.flags.syn == 1 && tcp.flags.ack == 0", true }, { "tcp.flags.syn == true", true },
		{ "tcp.flags.ack", true },                 /* present, though false */
		{ "tcp.flags == 0x002", true }, { "tcp.options.sack_perm", true },
		{ "tcp.options.mss_val == 1460 && tcp.options.wscale.shift == 7", true },
		{ "frame.len == 74", true }, { "frame.len > 1000", false }, { "frame.number == 1", true },
		{ "eth.addr == 52:54:00:12:34:56", true }, { "eth.src == 52-54-00-65-43-21", false },
		{ "eth.dst == 52:54:00:65:43:21", true },
		{ "ip.checksum.status == \"good\"", true }, { "ip.checksum.status contains \"oo\"", true },
		{ "tcp.analysis.retransmission", false }, { "conn.sender", false },
		{ "ip.ttl == 64 || udp", true }, { "udp || ip.ttl == 63", false },
		/* && binds tighter than ||, ! tighter than both */
		{ "tcp || udp && arp", true }, { "(tcp || udp) && arp", false },
		{ "!tcp || tcp", true }, { "not tcp and tcp", false }, { "!(tcp && !tcp)", true },
		{ "ip.src == \"10.77.1.1\"", true },
	};

	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
	check(tf_decode(&t, DLT_EN10MB), &notes, e, sizeof e / sizeof e[0]);
}

/* Fields of the quoted datagram count, as in Wireshark. */
static void
test_quote(void **state)
{
	(void)state;
	struct tf t;
	struct pkl_notes notes = { 0 };
	static const struct expectation e[] = {
		{ "icmp.type == 3 && icmp.code == 3", true }, { "udp", true },
		{ "udp.dstport == 9999", true }, { "ip.src == 10.77.1.1", true },
		{ "ip.src == 10.77.1.2", true }, { "ip.src != 10.77.1.1", false },
		{ "ip.dsfield == 0xc0", true }, { "ip.dsfield == 0", true }, { "tcp", false },
	};

	tf_load_good(&t, tf_icmp_port_unreach, sizeof tf_icmp_port_unreach, DLT_EN10MB);
	check(tf_decode(&t, DLT_EN10MB), &notes, e, sizeof e / sizeof e[0]);
}

/* The tracker's fields, from its snapshot. */
static void
test_conn(void **state)
{
	(void)state;
	struct tf t;
	struct pkl_notes notes = { 0 };
	static const struct expectation e[] = {
		{ "conn", true }, { "conn.id == 7", true }, { "conn.sender == \"server\"", true },
		{ "conn.sender == server", true }, { "conn.server_state == \"TIME_WAIT\"", true },
		{ "conn.client_state contains \"WAIT\"", true },
		{ "conn.client_state == \"TIME_WAIT\"", false },
		{ "tcp.analysis.retransmission", true }, { "tcp.analysis.flags", true },
		{ "tcp.analysis.duplicate_ack", false }, { "tcp.analysis.rto_frame == 3", true },
		{ "tcp.analysis.rto == 0.25", true }, { "tcp.analysis.rto > 0.2499", true },
		{ "tcp.seq == 1001", true }, { "tcp.window_size_scalefactor == -2", true },
	};

	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
	notes.conn = (struct pkl_conn_snapshot){
		.valid = true, .id = 7, .sender = 1,
		.after = { PKL_TCPS_FIN_WAIT_2, PKL_TCPS_TIME_WAIT }, .rel_seq = 1001,
		.analysis = { .flags = PKL_TA_RETRANSMISSION, .rto_frame = 3, .rto_us = 250000,
			      .win_scale = PKL_WSCALE_NONE },
	};
	check(tf_decode(&t, DLT_EN10MB), &notes, e, sizeof e / sizeof e[0]);
}

/* A DNS message (n bytes) in tf_udp from port sport. */
static void
load_dns(struct tf *t, uint16_t sport, const uint8_t *msg, size_t n)
{
	uint8_t b[TF_MAX];
	size_t off = TF_UDP_UDP + 8;

	memcpy(b, tf_udp, off);
	memcpy(b + off, msg, n);
	tf_wr16(b + TF_UDP_UDP, sport);
	tf_wr16(b + TF_UDP_IP + 2, (uint16_t)(28 + n));
	tf_wr16(b + TF_UDP_UDP + 4, (uint16_t)(8 + n));
	tf_load_good(t, b, off + n, DLT_EN10MB);
}

/* www.example.org A? -> CNAME web.example.org, web.example.org A
 * 198.51.100.80, www.example.org AAAA 2001:db8::80; an OPT record (EDNS,
 * 1232-byte payload: its class and TTL are not a class and a TTL). */
static const uint8_t dns_answer[] = {
	0x1a, 0x2b, 0x81, 0x80, 0, 1, 0, 3, 0, 0, 0, 1,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0, 0, 1, 0x80, 1,
	0xc0, 0x0c, 0, 5, 0, 1, 0, 0, 1, 0x2c, 0, 6, 3, 'w', 'e', 'b', 0xc0, 0x10,
	3, 'w', 'e', 'b', 0xc0, 0x10, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 198, 51, 100, 80,
	0xc0, 0x0c, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80,
	0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0,
};

/* The header's fields once per message; the questions' and records'
 * once per item, any of which matches, and != when none is equal. */
static void
test_dns(void **state)
{
	(void)state;
	struct tf t;
	struct pkl_notes notes = { 0 };
	static const struct expectation e[] = {
		{ "dns", true }, { "mdns", false }, { "http", false }, { "udp.srcport == 53", true },
		{ "dns.id == 0x1a2b", true }, { "dns.flags == 0x8180", true },
		{ "dns.flags.response == 1", true }, { "dns.flags.opcode == 0", true },
		{ "dns.flags.authoritative == 0", true }, { "dns.flags.truncated", true },
		{ "dns.flags.recdesired == 1 && dns.flags.recavail == 1", true },
		{ "dns.flags.rcode == 0", true }, { "dns.flags.rcode == 3", false },
		{ "dns.count.queries == 1", true }, { "dns.count.answers > 2", true },
		{ "dns.count.answers > 3", false }, { "dns.count.auth_rr == 0", true },
		{ "dns.count.add_rr == 1", true }, { "dns.length", false },   /* over UDP */
		{ "dns.qry.name == \"www.example.org\"", true },
		{ "dns.qry.name == \"www.example.org.\"", false },
		{ "dns.qry.name contains \"example\"", true }, { "dns.qry.name contains \"EXAMPLE\"", false },
		{ "dns.qry.type == 1", true }, { "dns.qry.class == 1", false },   /* 0x8001: not mDNS */
		{ "dns.qry.class == 0x8001", true },
		{ "dns.resp.name == \"web.example.org\"", true }, { "dns.resp.name == \"<Root>\"", true },
		{ "dns.resp.type == 28", true }, { "dns.resp.type == 5", true },
		{ "dns.resp.type == 41", true }, { "dns.resp.type == 2", false },
		{ "dns.resp.type != 5", false }, { "dns.resp.type != 2", true },
		{ "dns.resp.type > 40", true }, { "dns.resp.type > 41", false },
		/* OPT's class and TTL are left out, as in the JSON */
		{ "dns.resp.class == 1232", false }, { "dns.resp.class != 1", false },
		{ "dns.resp.ttl == 0", false }, { "dns.resp.ttl == 300", true },
		{ "dns.resp.ttl < 60", false }, { "dns.resp.len == 16", true },
		{ "dns.a == 198.51.100.80", true }, { "dns.a == 198.51.100.0/24", true },
		{ "dns.a == 198.51.101.0/24", false }, { "dns.a != 198.51.100.81", true },
		{ "dns.aaaa == 2001:db8::80", true }, { "dns.aaaa == 2001:db8::/32", true },
		{ "dns.aaaa == \"2001:db8::81\"", false },
		{ "dns.cname == \"web.example.org\"", true }, { "dns.cname contains \"www\"", false },
		{ "dns.ns", false }, { "dns.ptr.domain_name", false },
	};

	load_dns(&t, 53, dns_answer, sizeof dns_answer);
	check(tf_decode(&t, DLT_EN10MB), &notes, e, sizeof e / sizeof e[0]);
}

/* Multicast DNS: Wireshark's mdns, which its dns leaves out; its fields
 * are dns.*, the class without the mDNS flag bit. */
static void
test_mdns(void **state)
{
	(void)state;
	struct tf t;
	struct pkl_notes notes = { 0 };
	static const struct expectation e[] = {
		{ "mdns", true }, { "dns", false }, { "dns || mdns", true }, { "!dns", true },
		{ "dns.id == 0x1a2b", true }, { "dns.qry.class == 1", true },
		{ "dns.a == 198.51.100.80", true },
	};

	load_dns(&t, 5353, dns_answer, sizeof dns_answer);
	check(tf_decode(&t, DLT_EN10MB), &notes, e, sizeof e / sizeof e[0]);
}

/* An HTTP segment on tf_tcp_syn's ports (to 8080): text as its payload. */
static void
load_http(struct tf *t, const char *text)
{
	uint8_t b[TF_MAX];
	size_t n = strlen(text), off = TF_TCP_SYN_TCP + 20;

	memcpy(b, tf_tcp_syn, off);
	tf_wr16(b + TF_TCP_SYN_IP + 2, (uint16_t)(40 + n));
	b[TF_TCP_SYN_TCP + 12] = 5 << 4;
	b[TF_TCP_SYN_TCP + 13] = PKL_TCP_PSH | PKL_TCP_ACK;
	memcpy(b + off, text, n);
	tf_load_good(t, b, off + n, DLT_EN10MB);
}

static void
test_http(void **state)
{
	(void)state;
	struct tf t;
	struct pkl_notes notes = { 0 };
	static const struct expectation request[] = {
		{ "http", true }, { "http.request", true }, { "http.response", false },
		{ "http.request.method == \"GET\"", true }, { "http.request.method != \"POST\"", true },
		{ "http.request.uri == \"/hello?x=1\"", true }, { "http.request.uri contains \"lo?\"", true },
		{ "http.request.version == \"HTTP/1.1\"", true }, { "http.response.version", false },
		{ "http.response.code", false }, { "dns", false },
	};
	static const struct expectation response[] = {
		{ "http.response", true }, { "http.request", false }, { "http.request.version", false },
		{ "http.response.version == \"HTTP/1.1\"", true }, { "http.response.code == 404", true },
		{ "http.response.code >= 400 && http.response.code < 500", true },
		{ "http.response.code == 200", false }, { "http.response.phrase == \"Not Found\"", true },
		{ "http.response.phrase contains \"Found\"", true },
	};
	static const struct expectation continuation[] = {
		{ "http", true }, { "http.request", false }, { "http.response", false },
	};

	load_http(&t, "GET /hello?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");
	check(tf_decode(&t, DLT_EN10MB), &notes, request, sizeof request / sizeof request[0]);
	load_http(&t, "HTTP/1.1 404 Not Found\r\n");
	check(tf_decode(&t, DLT_EN10MB), &notes, response, sizeof response / sizeof response[0]);
	load_http(&t, "the middle of a body");
	check(tf_decode(&t, DLT_EN10MB), &notes, continuation,
	      sizeof continuation / sizeof continuation[0]);
}

/* The message, and the caret under the token at column col (of the
 * expression, which is indented by two). */
static void
assert_error(const char *expr, const char *message, unsigned col, unsigned width)
{
	char err[PKL_DFILTER_ERRBUF_SIZE], caret[128];

	assert_null(pkl_dfilter_compile(expr, err));
	if (!strstr(err, message))
		fail_msg("%s: '%s' lacks '%s'", expr, err, message);
	snprintf(caret, sizeof caret, "\n  %s\n  %*s^", expr, (int)col, "");
	for (unsigned i = 1; i < width; i++)
		strcat(caret, "~");
	if (!strstr(err, caret) || strcmp(strstr(err, caret), caret) != 0)
		fail_msg("%s: '%s' lacks the caret '%s'", expr, err, caret);
}

static void
test_errors(void **state)
{
	(void)state;
	assert_error("ip.sr == 1", "'ip.sr' is not a field or protocol pktlens knows; the nearest: ip.src",
		     0, 5);
	assert_error("tcp && tcp.prot == 80", "the nearest: tcp.port", 7, 8);
	assert_error("frame.len > big", "'big' is not a number, which frame.len holds", 12, 3);
	assert_error("ip.src == 10.0.0.256", "is not an IPv4 address", 10, 10);
	assert_error("ip.src == 10.0.0.0/33", "is not an IPv4 address", 10, 11);
	assert_error("eth.src == 1:2:3", "is not a MAC address", 11, 5);
	assert_error("frame.len >", "ends where a value was expected", 11, 1);
	assert_error("tcp and", "ends where a field or protocol name was expected", 7, 1);
	assert_error("(tcp", "never closed", 0, 1);
	assert_error("tcp udp", "'udp' where &&, || or the end was expected", 4, 3);
	assert_error("tcp == 1", "'tcp' is a protocol", 0, 3);
	assert_error("tcp.len matches \"a\"", "'matches' is Wireshark's", 8, 7);
	assert_error("tcp.analysis.flags == 1", "has no value to compare", 22, 1);
	assert_error("ip.src >= 10.0.0.0/8", "takes == or != only", 10, 10);
	assert_error("frame.len contains \"1\"", "contains takes a string field", 19, 3);
	assert_error("conn.sender == \"x", "no closing quote", 15, 2);
	assert_error("", "empty", 0, 1);
	assert_error("a = b", "is not a field", 0, 1);
	assert_error("dns && dns.qry.nam == \"x\"", "the nearest: dns.qry.name", 7, 11);
	assert_error("dns.a == 2001:db8::1", "is not an IPv4 address, which dns.a holds", 9, 11);
	assert_error("dns.aaaa > 2001:db8::/32", "takes == or != only", 11, 13);
	assert_error("dns.qry.type == A", "'A' is not a number, which dns.qry.type holds", 16, 1);
	assert_error("dns.count.answers contains \"1\"", "contains takes a string field", 27, 3);
	assert_error("mdns == 1", "'mdns' is a protocol", 0, 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syn),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_conn),
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_mdns),
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
