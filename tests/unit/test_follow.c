/* --follow's reassembly on segments made by hand: in order, repeated,
 * overlapping, ahead of a gap, a gap the receiver acknowledged, a gap
 * wider than what is held, more held segments than the table has, and
 * sequence numbers that wrap past 2^32. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/conn_record.h"
#include "../../src/follow.h"

#define OUT_SIZE (8u * 1024 * 1024)

struct run {
	struct pkl_out out;
	char *buf;
	struct pkl_follow *f;
	uint64_t frame;
};

static void
start(struct run *r, enum pkl_follow_view view)
{
	struct pkl_follow_opts opts = { .conn = 1, .view = view, .raw_sender = PKL_CLIENT };

	r->buf = malloc(OUT_SIZE);
	assert_non_null(r->buf);
	pkl_out_init_fixed(&r->out, r->buf, OUT_SIZE);
	r->f = pkl_follow_new(&opts, &r->out);
	assert_non_null(r->f);
	r->frame = 0;
}

static size_t
finish(struct run *r)
{
	pkl_follow_finish(r->f);
	return pkl_out_finish_fixed(&r->out);
}

static void
stop(struct run *r)
{
	pkl_follow_free(r->f);
	free(r->buf);
}

/* One segment of connection #1: sender, relative seq and ack, flags, and
 * n bytes of payload (the byte at stream position p being p & 0xff). */
static void
segment(struct run *r, int sender, uint32_t seq, uint32_t ack, uint16_t flags, uint32_t n)
{
	static uint8_t bytes[20 + 65536];
	static struct pkl_packet pkt;
	static struct pkl_notes notes;
	struct pkl_frame frame = { .number = ++r->frame, .caplen = 20 + n, .len = 20 + n,
				   .bytes = bytes };

	assert_true(n <= 65536);
	for (uint32_t i = 0; i < n; i++)
		bytes[20 + i] = (uint8_t)(seq + i);
	memset(&pkt, 0, sizeof pkt);
	pkt.frame = &frame;
	pkt.n_layers = 2;
	pkt.layers[0] = (struct pkl_layer){ .proto = PKL_PROTO_IPV4, .flags = PKL_LAYER_HEADER };
	memcpy(pkt.layers[0].hdr.ipv4.src, (uint8_t[4]){ 10, 0, 0, sender ? 2 : 1 }, 4);
	memcpy(pkt.layers[0].hdr.ipv4.dst, (uint8_t[4]){ 10, 0, 0, sender ? 1 : 2 }, 4);
	pkt.layers[1] = (struct pkl_layer){ .proto = PKL_PROTO_TCP, .flags = PKL_LAYER_HEADER,
					    .data = bytes, .caplen = 20 + n, .len = 20 + n,
					    .hdr_len = 20, .payload_len = n };
	pkt.layers[1].hdr.tcp.flags = flags;
	pkt.layers[1].hdr.tcp.payload_len = n;
	pkt.layers[1].hdr.tcp.sport = sender ? 80 : 40000;
	pkt.layers[1].hdr.tcp.dport = sender ? 40000 : 80;
	pkl_notes_reset(&notes);
	notes.conn = (struct pkl_conn_snapshot){ .valid = true, .id = 1, .sender = sender,
						 .rel_seq = seq, .rel_ack = ack };
	pkl_follow_frame(r->f, &pkt, &notes);
}

#define ACK PKL_TCP_ACK
#define PSH (PKL_TCP_PSH | PKL_TCP_ACK)

/* Bytes seq..seq+n as segment() makes them. */
static void
assert_stream(const char *got, uint32_t seq, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((uint8_t)got[i] != (uint8_t)(seq + i))
			fail_msg("byte %zu of the stream is %u, not %u", i, (uint8_t)got[i],
				 (uint8_t)(seq + i));
}

static void
test_each_byte_once(void **state)
{
	(void)state;
	struct run r;

	start(&r, PKL_FOLLOW_RAW);
	segment(&r, PKL_CLIENT, 0, 0, PKL_TCP_SYN, 0);
	segment(&r, PKL_SERVER, 0, 1, PKL_TCP_SYN | ACK, 0);
	segment(&r, PKL_CLIENT, 1, 1, ACK, 100);         /* 1..101 */
	segment(&r, PKL_CLIENT, 1, 1, ACK, 100);         /* again */
	segment(&r, PKL_CLIENT, 51, 1, ACK, 100);        /* 51..151: half new */
	segment(&r, PKL_CLIENT, 251, 1, ACK, 100);       /* ahead: held */
	segment(&r, PKL_CLIENT, 151, 1, PSH, 100);       /* fills the gap */
	segment(&r, PKL_SERVER, 1, 351, ACK, 0);
	size_t n = finish(&r);
	const struct pkl_follow_totals *t = pkl_follow_totals(r.f);
	assert_int_equal(n, 350);
	assert_stream(r.buf, 1, 350);
	assert_int_equal(t->delivered[PKL_CLIENT], 350);
	assert_int_equal(t->repeated[PKL_CLIENT], 150);
	assert_int_equal(t->holes[PKL_CLIENT], 0);
	stop(&r);
}

/* Bytes the receiver acknowledged that the capture lacks are a hole,
 * and what follows is read at once. */
static void
test_acknowledged_hole(void **state)
{
	(void)state;
	struct run r;

	start(&r, PKL_FOLLOW_TEXT);
	segment(&r, PKL_CLIENT, 1, 1, ACK, 10);
	segment(&r, PKL_CLIENT, 21, 1, ACK, 10);         /* 11..21 never seen */
	segment(&r, PKL_SERVER, 1, 31, ACK, 0);
	segment(&r, PKL_CLIENT, 31, 1, PKL_TCP_FIN | ACK, 0);
	finish(&r);
	const struct pkl_follow_totals *t = pkl_follow_totals(r.f);
	assert_int_equal(t->missing[PKL_CLIENT], 10);
	assert_int_equal(t->holes[PKL_CLIENT], 1);
	assert_int_equal(t->delivered[PKL_CLIENT], 20);
	assert_non_null(strstr(r.buf, "HOLE of 10 bytes at seq 11..21"));
	assert_non_null(strstr(r.buf, "acknowledged them in frame 3"));
	assert_non_null(strstr(r.buf, "FIN at seq 31"));
	/* The held segment's bytes come after the hole, at its boundary. */
	assert_true(strstr(r.buf, "HOLE") < strstr(r.buf, "frame 2  client -> server  seq 21..31  "
							"(10 bytes, arrived"));
	stop(&r);
}

/* A segment further ahead than PKL_FOLLOW_HOLD is not held: the gap is
 * a hole at once. */
static void
test_gap_wider_than_held(void **state)
{
	(void)state;
	struct run r;

	start(&r, PKL_FOLLOW_RAW);
	segment(&r, PKL_CLIENT, 1, 1, ACK, 10);
	segment(&r, PKL_CLIENT, 11 + PKL_FOLLOW_HOLD, 1, ACK, 10);
	const struct pkl_follow_totals *t = pkl_follow_totals(r.f);
	assert_int_equal(t->missing[PKL_CLIENT], PKL_FOLLOW_HOLD);
	assert_int_equal(t->delivered[PKL_CLIENT], 20);
	finish(&r);
	stop(&r);
}

/* More segments ahead of a gap than the table holds: the oldest gap
 * gives way, and nothing is lost that was seen. */
static void
test_many_held(void **state)
{
	(void)state;
	struct run r;
	uint32_t n = PKL_FOLLOW_HELD_SEGMENTS + 10;

	start(&r, PKL_FOLLOW_RAW);
	segment(&r, PKL_CLIENT, 1, 1, ACK, 1);
	/* Every other byte: 3, 5, 7 ...; 2, 4, 6 ... never come. */
	for (uint32_t i = 0; i < n; i++)
		segment(&r, PKL_CLIENT, 3 + 2 * i, 1, ACK, 1);
	finish(&r);
	const struct pkl_follow_totals *t = pkl_follow_totals(r.f);
	assert_int_equal(t->delivered[PKL_CLIENT], n + 1);
	assert_int_equal(t->missing[PKL_CLIENT], n);
	stop(&r);
}

/* The table full, a segment's gap is given up on, and the held segment
 * read after the hole already covers the new one: it is shown once. */
static void
test_hole_covers_segment(void **state)
{
	(void)state;
	struct run r;

	start(&r, PKL_FOLLOW_RAW);
	segment(&r, PKL_CLIENT, 1, 1, ACK, 1);
	segment(&r, PKL_CLIENT, 3, 1, ACK, 9997);                /* 3..10000, held */
	for (uint32_t i = 1; i < PKL_FOLLOW_HELD_SEGMENTS; i++)
		segment(&r, PKL_CLIENT, 20000 + 2 * i, 1, ACK, 1);
	segment(&r, PKL_CLIENT, 5, 1, ACK, 10);                  /* within 3..10000 */
	const struct pkl_follow_totals *t = pkl_follow_totals(r.f);
	assert_int_equal(t->delivered[PKL_CLIENT], 1 + 9997);
	assert_int_equal(t->missing[PKL_CLIENT], 1);
	assert_int_equal(t->repeated[PKL_CLIENT], 10);
	assert_stream(r.buf + 1, 3, 9997);
	finish(&r);
	stop(&r);
}

/* Sequence numbers wrap: the stream goes on. */
static void
test_wrap(void **state)
{
	(void)state;
	struct run r;
	uint32_t seq = 0xffffff00u;

	start(&r, PKL_FOLLOW_RAW);
	segment(&r, PKL_CLIENT, seq, 0, ACK, 200);
	segment(&r, PKL_CLIENT, seq + 400, 0, ACK, 200);   /* past the wrap, ahead */
	segment(&r, PKL_CLIENT, seq + 200, 0, ACK, 200);   /* across it */
	size_t n = finish(&r);
	assert_int_equal(n, 600);
	assert_stream(r.buf, seq, 600);
	assert_int_equal(pkl_follow_totals(r.f)->holes[PKL_CLIENT], 0);
	stop(&r);
}

/* The text view: a boundary per segment, PSH where it was. */
static void
test_markers(void **state)
{
	(void)state;
	struct run r;

	start(&r, PKL_FOLLOW_TEXT);
	segment(&r, PKL_CLIENT, 1, 1, ACK, 3);
	segment(&r, PKL_CLIENT, 4, 1, PSH, 3);
	segment(&r, PKL_SERVER, 1, 7, PSH, 2);
	finish(&r);
	assert_non_null(strstr(r.buf, "--- frame 1  client -> server  seq 1..4  (3 bytes)\n"
				      "\\x01\\x02\\x03\n"
				      "--- frame 2  client -> server  seq 4..7  (3 bytes)\n"
				      "\\x04\\x05\\x06\n"
				      "--- PSH (frame 2) at seq 7: the server's recv() can return here\n"
				      "--- frame 3  server -> client  seq 1..3  (2 bytes)\n"
				      "\\x01\\x02\n"
				      "--- PSH (frame 3) at seq 3: the client's recv() can return here\n"));
	stop(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_byte_once),
		cmocka_unit_test(test_acknowledged_hole),
		cmocka_unit_test(test_gap_wider_than_held),
		cmocka_unit_test(test_many_held),
		cmocka_unit_test(test_hole_covers_segment),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_markers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
