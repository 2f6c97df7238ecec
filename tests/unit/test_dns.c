/* DNS over UDP: a CNAME chain with compressed names, a pointer loop, a
 * pointer outside the message, an A record of the wrong size, a name
 * over 255 bytes, more records than are kept, every truncation point,
 * and over TCP a message split across segments. */
#include "frames.h"

#include "../../dissectors/dns.h"

#define DNS_OFF (TF_UDP_UDP + 8)   /* 42 */

/* tf_udp from port 53 carrying msg (n bytes), lengths and checksums fixed. */
static void
load_dns(struct tf *t, const uint8_t *msg, size_t n)
{
	uint8_t b[TF_MAX];

	memcpy(b, tf_udp, DNS_OFF);
	memcpy(b + DNS_OFF, msg, n);
	tf_wr16(b + TF_UDP_UDP, 53);
	tf_wr16(b + TF_UDP_IP + 2, (uint16_t)(28 + n));
	tf_wr16(b + TF_UDP_UDP + 4, (uint16_t)(8 + n));
	tf_load_good(t, b, DNS_OFF + n, DLT_EN10MB);
}

static bool
has_event(const struct pkl_packet *pkt, enum pkl_event_code code)
{
	for (unsigned i = 0; i < pkt->n_events; i++)
		if (pkt->events[i].code == code)
			return true;
	return false;
}
#define TF_HAS_EVENT(pkt, code) assert_true(has_event((pkt), (code)))

static const struct pkl_dns *
dns_of(const struct pkl_packet *pkt)
{
	return &TF_LAYER(pkt, 3, PKL_PROTO_DNS)->hdr.dns;
}

/* www.example.org A? -> CNAME web.example.org (web + pointer to
 * example.org), web.example.org A 198.51.100.80 */
static const uint8_t answer[] = {
	0x1a, 0x2b, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0, 0, 1, 0, 1,
	0xc0, 0x0c, 0, 5, 0, 1, 0, 0, 1, 0x2c, 0, 6, 3, 'w', 'e', 'b', 0xc0, 0x10,
	3, 'w', 'e', 'b', 0xc0, 0x10, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 198, 51, 100, 80,
};

static void
test_dns_answer(void **state)
{
	(void)state;
	static struct tf t;
	load_dns(&t, answer, sizeof answer);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);

	TF_PROTOS(pkt, PKL_PROTO_ETH, PKL_PROTO_IPV4, PKL_PROTO_UDP, PKL_PROTO_DNS);
	TF_NO_EVENTS(pkt);
	const struct pkl_dns *d = dns_of(pkt);
	assert_int_equal(d->id, 0x1a2b);
	assert_true(d->flags & PKL_DNS_QR);
	assert_true(d->complete);
	assert_int_equal(d->n_questions, 1);
	assert_string_equal(pkl_dns_name_text(d, d->q[0].name), "www.example.org");
	assert_int_equal(d->q[0].type, PKL_DNS_TYPE_A);
	assert_int_equal(d->n_rrs, 2);
	assert_string_equal(pkl_dns_name_text(d, d->rr[0].name), "www.example.org");
	assert_int_equal(d->rr[0].type, PKL_DNS_TYPE_CNAME);
	assert_int_equal(d->rr[0].ttl, 300);
	assert_true(d->rr[0].rdata_decoded);
	assert_string_equal(pkl_dns_name_text(d, d->rr[0].rdata.target), "web.example.org");
	assert_string_equal(pkl_dns_name_text(d, d->rr[1].name), "web.example.org");
	const uint8_t want[4] = { 198, 51, 100, 80 };
	assert_memory_equal(d->rr[1].rdata.a, want, 4);
}

/* The answer's name, with one byte changed at off. */
static const struct pkl_packet *
altered(struct tf *t, size_t off, uint8_t value)
{
	uint8_t msg[sizeof answer];

	memcpy(msg, answer, sizeof msg);
	msg[off] = value;
	load_dns(t, msg, sizeof msg);
	return tf_decode(t, DLT_EN10MB);
}

static void
test_dns_hostile(void **state)
{
	(void)state;
	static struct tf t;
	const struct pkl_packet *pkt;

	/* The first answer's name pointing at itself (offset 33). */
	pkt = altered(&t, 34, 33);
	TF_HAS_EVENT(pkt, PKL_EV_DNS_NAME_LOOP);
	assert_true(pkt->malformed);
	assert_int_equal(dns_of(pkt)->n_questions, 1);
	assert_int_equal(dns_of(pkt)->n_rrs, 0);
	/* A pointer past the message's end. */
	pkt = altered(&t, 34, 0xf0);
	TF_HAS_EVENT(pkt, PKL_EV_DNS_NAME_POINTER);
	/* An extended label type (0x40). */
	pkt = altered(&t, 12, 0x40);
	TF_HAS_EVENT(pkt, PKL_EV_DNS_NAME_LABEL);
	/* An A record with 3 bytes of data; with 5, past the message's end. */
	pkt = altered(&t, sizeof answer - 5, 3);
	TF_HAS_EVENT(pkt, PKL_EV_DNS_RDLEN);
	assert_false(dns_of(pkt)->rr[1].rdata_decoded);
	pkt = altered(&t, sizeof answer - 5, 5);
	TF_HAS_EVENT(pkt, PKL_EV_DNS_PAST_END);
	/* A label longer than the message. */
	pkt = altered(&t, 12, 63);
	TF_HAS_EVENT(pkt, PKL_EV_DNS_PAST_END);
	/* 65535 answers announced: the kept ones, then a warning. */
	pkt = altered(&t, 7, 0xff);
	assert_false(dns_of(pkt)->complete);
}

static void
test_dns_long_name(void **state)
{
	(void)state;
	static struct tf t;
	uint8_t msg[12 + 5 * 64 + 5] = { 0, 1, 0, 0, 0, 1 };
	size_t n = 12;

	for (int i = 0; i < 5; i++) {   /* 5 labels of 63 bytes: 320 bytes on the wire */
		msg[n++] = 63;
		memset(msg + n, 'a', 63);
		n += 63;
	}
	msg[n++] = 0;
	msg[n++] = 0, msg[n++] = 1, msg[n++] = 0, msg[n++] = 1;
	load_dns(&t, msg, n);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_HAS_EVENT(pkt, PKL_EV_DNS_NAME_LONG);
	assert_int_equal(dns_of(pkt)->n_questions, 0);
}

/* Every capture length: a truncation event or nothing, never a
 * malformed one, and never a read past the captured bytes (ASan). */
static void
test_dns_truncation_sweep(void **state)
{
	(void)state;
	static struct tf t;
	load_dns(&t, answer, sizeof answer);
	for (uint32_t cap = DNS_OFF + 1; cap < t.n; cap++) {
		const struct pkl_packet *pkt = tf_run(&t, DLT_EN10MB, cap, t.n);
		assert_true(pkt->truncated);
		assert_false(pkt->malformed);
	}
}

static void
test_dns_tcp_split(void **state)
{
	(void)state;
	static struct tf t;
	uint8_t b[TF_MAX];
	const size_t tcp_payload = 54;

	memcpy(b, tf_tcp_syn, TF_TCP_SYN_TCP);
	memset(b + TF_TCP_SYN_TCP, 0, 20);
	tf_wr16(b + TF_TCP_SYN_TCP, 40000);
	tf_wr16(b + TF_TCP_SYN_TCP + 2, 53);
	b[TF_TCP_SYN_TCP + 12] = 5 << 4;
	b[TF_TCP_SYN_TCP + 13] = 0x18;
	/* A 300-byte message announced; only the header and a bit are here. */
	tf_wr16(b + TF_TCP_SYN_TCP + 20, 300);
	memcpy(b + TF_TCP_SYN_TCP + 22, answer, tcp_payload - 2);
	tf_wr16(b + TF_TCP_SYN_IP + 2, (uint16_t)(40 + tcp_payload));
	tf_load_good(&t, b, TF_TCP_SYN_TCP + 20 + tcp_payload, DLT_EN10MB);
	const struct pkl_packet *pkt = tf_decode(&t, DLT_EN10MB);
	TF_HAS_EVENT(pkt, PKL_EV_DNS_TCP_SPLIT);
	const struct pkl_dns *d = &TF_LAYER(pkt, 3, PKL_PROTO_DNS)->hdr.dns;
	assert_true(d->over_tcp);
	assert_int_equal(d->tcp_length, 300);
	assert_int_equal(d->id, 0x1a2b);
	assert_int_equal(d->n_questions, 0);
	assert_false(pkt->malformed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns_answer),
		cmocka_unit_test(test_dns_hostile),
		cmocka_unit_test(test_dns_long_name),
		cmocka_unit_test(test_dns_truncation_sweep),
		cmocka_unit_test(test_dns_tcp_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
