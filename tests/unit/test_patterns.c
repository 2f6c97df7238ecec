/* SYN floods and port scans (patterns.c) as the connection tracker
 * sees them, on segments built here: each rule at its threshold and just
 * below it (README: a flood is 64 or more half-open handshakes to one
 * server port from 16 or more sources; a scan is 16 or more refused or
 * cut-off handshakes of one host to 8 or more ports within a minute),
 * and counting that does not depend on whether notes are made. */
#include "frames.h"

#include "../../src/annotate.h"
#include "../../src/conntrack.h"
#include "../../src/notes.h"

#define SERVER 0x0a4d0002u       /* 10.77.0.2 */
#define CLIENT(i) (0x0a4e0000u + (uint32_t)(i))   /* 10.78.x.y */

struct run {
	struct pkl_conntrack *ct;
	uint64_t number;
	struct tf t;
	bool annotate;                   /* make notes too, as the tree and JSON views do */
	struct pkl_findings found;
	struct pkl_notes notes;
	unsigned floods, scans;          /* findings so far */
	uint64_t last_count;             /* the count the latest of them gave */
};

static struct run *
start(void)
{
	static struct run r;
	const struct pkl_conntrack_opts opts = { .max_conns = 4096, .idle_timeout = 300,
						 .exchange_timeout = 30, .msl = 30 };

	memset(&r, 0, sizeof r);
	r.ct = pkl_conntrack_new(&opts, NULL, NULL);
	assert_non_null(r.ct);
	return &r;
}

static void
finish(struct run *r)
{
	pkl_conntrack_free(r->ct);
}

/* A segment src:sport -> dst:dport at ms milliseconds, through decode
 * and the tracker; the patterns found in it are counted. */
static void
feed(struct run *r, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
     uint16_t flags, uint32_t seq, uint32_t ack, uint64_t ms)
{
	size_t n = tf_tcp_segment(r->t.buf, src, dst, sport, dport, flags, seq, ack, 0);

	r->t.n = (uint32_t)n;
	r->t.frame = (struct pkl_frame){
		.number = ++r->number, .ts_sec = 1700000000 + (int64_t)(ms / 1000),
		.ts_nsec = (uint32_t)(ms % 1000 * 1000000), .caplen = r->t.n, .len = r->t.n,
		.linktype = DLT_EN10MB, .bytes = r->t.buf,
	};
	memset(&r->t.pkt, 0, sizeof r->t.pkt);
	pkl_decode(&r->t.pkt, &r->t.frame);
	pkl_notes_reset(&r->notes);
	pkl_conntrack_frame(r->ct, &r->t.pkt, &r->notes.conn, &r->found);
	if (r->found.syn_flood) {
		r->floods++;
		r->last_count = r->found.flood_half_open;
	}
	if (r->found.port_scan) {
		r->scans++;
		r->last_count = r->found.scan_probes;
	}
	if (r->annotate)
		pkl_annotate(&r->t.pkt, &r->found, &(struct pkl_annotate_opts){ 0 }, &r->notes);
}

/* The note the latest frame says a pattern in. */
static const struct pkl_note *
pattern_note(const struct run *r, enum pkl_note_code code)
{
	for (unsigned i = 0; i < r->notes.n; i++)
		if (r->notes.note[i].code == code)
			return &r->notes.note[i];
	fail_msg("no note %s", pkl_note_name(code));
	return NULL;
}

/* A SYN to SERVER:80 from source `source`, a new client port each time:
 * one more half-open handshake. */
static void
syn(struct run *r, unsigned source, uint16_t client_port, uint64_t ms)
{
	feed(r, CLIENT(source), client_port, SERVER, 80, PKL_TCP_SYN, 1000u * client_port, 0, ms);
}

/* n half-open handshakes, spread round-robin over `sources` sources. */
static void
flood(struct run *r, unsigned sources, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		syn(r, i % sources, (uint16_t)(10000 + i), i);
}

static void
test_flood_from_sixteen_sources(void **state)
{
	(void)state;
	struct run *r = start();

	flood(r, 16, 63);
	assert_int_equal(r->floods, 0);
	flood(r, 16, 1);   /* the 64th, from a port already used: the same handshake */
	assert_int_equal(r->floods, 0);
	syn(r, 0, 20000, 100);
	assert_int_equal(r->floods, 1);
	assert_int_equal(r->last_count, 64);
	assert_int_equal(r->found.flood_port, 80);
	finish(r);
}

static void
test_no_flood_from_one_source(void **state)
{
	(void)state;
	struct run *r = start();

	flood(r, 1, 200);
	assert_int_equal(r->floods, 0);
	finish(r);
}

static void
test_no_flood_from_fifteen_sources(void **state)
{
	(void)state;
	struct run *r = start();

	flood(r, 15, 200);
	assert_int_equal(r->floods, 0);
	finish(r);
}

/* Completed handshakes are not half-open: 16 sources, 100 handshakes,
 * each completed at once, never make a flood. */
static void
test_no_flood_when_handshakes_complete(void **state)
{
	(void)state;
	struct run *r = start();

	for (unsigned i = 0; i < 100; i++) {
		uint16_t port = (uint16_t)(10000 + i);
		uint32_t c = CLIENT(i % 16);
		feed(r, c, port, SERVER, 80, PKL_TCP_SYN, 1000, 0, i);
		feed(r, SERVER, 80, c, port, PKL_TCP_SYN | PKL_TCP_ACK, 5000, 1001, i);
		feed(r, c, port, SERVER, 80, PKL_TCP_ACK, 1001, 5001, i);
	}
	assert_int_equal(r->floods, 0);
	finish(r);
}

/* A SYN from the scanner to SERVER:port refused by RST. */
static void
refused(struct run *r, uint16_t client_port, uint16_t port, uint64_t ms)
{
	feed(r, CLIENT(1), client_port, SERVER, port, PKL_TCP_SYN, 1000, 0, ms);
	feed(r, SERVER, port, CLIENT(1), client_port, PKL_TCP_RST | PKL_TCP_ACK, 0, 1001, ms);
}

/* A SYN from the scanner whose SYN+ACK it resets (a SYN scan's open port). */
static void
cut_off(struct run *r, uint16_t client_port, uint16_t port, uint64_t ms)
{
	feed(r, CLIENT(1), client_port, SERVER, port, PKL_TCP_SYN, 1000, 0, ms);
	feed(r, SERVER, port, CLIENT(1), client_port, PKL_TCP_SYN | PKL_TCP_ACK, 5000, 1001, ms);
	feed(r, CLIENT(1), client_port, SERVER, port, PKL_TCP_RST, 1001, 0, ms);
}

static void
test_scan_of_eight_ports(void **state)
{
	(void)state;
	struct run *r = start();

	/* 15 probes to 8 ports (the last 8 of them open), then the 16th. */
	for (unsigned i = 0; i < 15; i++) {
		if (i < 7)
			refused(r, (uint16_t)(40000 + i), (uint16_t)(20 + i % 7), i * 100);
		else
			cut_off(r, (uint16_t)(40000 + i), (uint16_t)(20 + i % 8), i * 100);
	}
	assert_int_equal(r->scans, 0);
	refused(r, 40015, 21, 1600);
	assert_int_equal(r->scans, 1);
	assert_int_equal(r->last_count, 16);
	assert_int_equal(r->found.scan_seconds, 2);   /* 1.6 s, counted up */
	finish(r);
}

static void
test_no_scan_of_one_port(void **state)
{
	(void)state;
	struct run *r = start();

	for (unsigned i = 0; i < 16; i++)
		refused(r, (uint16_t)(40000 + i), 22, i * 100);
	assert_int_equal(r->scans, 0);
	finish(r);
}

static void
test_no_scan_of_seven_ports(void **state)
{
	(void)state;
	struct run *r = start();

	for (unsigned i = 0; i < 40; i++)
		refused(r, (uint16_t)(40000 + i), (uint16_t)(20 + i % 7), i * 100);
	assert_int_equal(r->scans, 0);
	finish(r);
}

/* Sixteen probes to eight ports, but spread over more than a minute. */
static void
test_no_scan_slower_than_a_minute(void **state)
{
	(void)state;
	struct run *r = start();

	for (unsigned i = 0; i < 16; i++)
		refused(r, (uint16_t)(40000 + i), (uint16_t)(20 + i % 8), i * 4100);
	assert_int_equal(r->scans, 0);
	finish(r);
}

/* What the tracker finds does not depend on the view: counted while no
 * notes are made (the one-line view, conns), the handshakes are in the
 * count the note gives once they are (the tree and JSON views), after
 * the connection's states and steps. */
static void
test_counted_while_no_notes_are_made(void **state)
{
	(void)state;
	struct run *r = start();

	flood(r, 16, 64);
	assert_int_equal(r->floods, 1);
	r->annotate = true;
	for (unsigned i = 64; i < 128; i++)
		syn(r, i % 16, (uint16_t)(10000 + i), i);
	assert_int_equal(r->floods, 2);
	const struct pkl_note *n = pattern_note(r, PKL_NOTE_CONN_SYN_FLOOD);
	assert_int_equal(n->arg[0], 128);
	assert_int_equal(n->arg[1], 80);
	assert_int_equal(n[-1].code, PKL_NOTE_CONN_HANDSHAKE_1);
	assert_int_equal(n[-2].code, PKL_NOTE_CONN_STATES);

	r->annotate = false;
	for (unsigned i = 0; i < 16; i++)
		refused(r, (uint16_t)(40000 + i), (uint16_t)(20 + i % 8), 200 + i);
	r->annotate = true;
	for (unsigned i = 16; i < 32; i++)
		refused(r, (uint16_t)(40000 + i), (uint16_t)(20 + i % 8), 200 + i);
	assert_int_equal(r->scans, 2);
	n = pattern_note(r, PKL_NOTE_CONN_PORT_SCAN);
	assert_int_equal(n->arg[0], 32);
	assert_int_equal(n->arg[1], 1);
	assert_int_equal(n[-1].code, PKL_NOTE_CONN_RST_CLOSED_PORT);
	finish(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flood_from_sixteen_sources),
		cmocka_unit_test(test_no_flood_from_one_source),
		cmocka_unit_test(test_no_flood_from_fifteen_sources),
		cmocka_unit_test(test_no_flood_when_handshakes_complete),
		cmocka_unit_test(test_scan_of_eight_ports),
		cmocka_unit_test(test_no_scan_of_one_port),
		cmocka_unit_test(test_no_scan_of_seven_ports),
		cmocka_unit_test(test_no_scan_slower_than_a_minute),
		cmocka_unit_test(test_counted_while_no_notes_are_made),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
