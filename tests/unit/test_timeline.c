/* The timeline's recorder: rows of interleaved connections drawn grouped,
 * and the row cap, which no bundled capture comes near.  Frames are
 * built as the tracker leaves them (a TCP layer and a snapshot), without
 * decoding or tracking, so that two million of them take a moment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/render_timeline.h"
#include "../../src/tcp_state.h"

struct fake {
	struct pkl_frame frame;
	struct pkl_packet pkt;
	struct pkl_notes notes;
};

/* Frame `number`, a millisecond per frame, of connection `id` sent by
 * `sender`, both ends ESTABLISHED. */
static void
fake_frame(struct fake *f, uint64_t number, uint64_t id, int sender, uint16_t flags)
{
	f->frame = (struct pkl_frame){ .number = number, .ts_sec = 1700000000,
				       .ts_nsec = (uint32_t)(number % 1000) * 1000000 };
	f->pkt.frame = &f->frame;
	f->pkt.n_layers = 1;
	f->pkt.layers[0] = (struct pkl_layer){ .proto = PKL_PROTO_TCP,
					       .flags = PKL_LAYER_HEADER };
	f->pkt.layers[0].hdr.tcp = (struct pkl_tcp){ .flags = flags, .payload_len = 10 };
	f->notes.conn = (struct pkl_conn_snapshot){
		.valid = true, .id = id, .sender = sender,
		.before = { PKL_TCPS_ESTABLISHED, PKL_TCPS_ESTABLISHED },
		.after = { PKL_TCPS_ESTABLISHED, PKL_TCPS_ESTABLISHED },
		.rel_seq = (uint32_t)number, .rel_ack = 1,
	};
}

static void
fake_done(struct pkl_timeline *tl, uint64_t id, uint16_t client_port, uint64_t last_frame)
{
	struct pkl_conn_record c = { .id = id, .kind = PKL_KIND_TCP, .left = PKL_CONN_AT_END,
				     .last_frame = last_frame, .tcp.close = PKL_CLOSE_OPEN };
	c.client.endpoint = (struct pkl_endpoint){ .addr = { 10, 0, 0, 1 }, .port = client_port,
						   .family = 4 };
	c.server.endpoint = (struct pkl_endpoint){ .addr = { 10, 0, 0, 2 }, .port = 80,
						   .family = 4 };
	pkl_timeline_conn_done(tl, &c);
}

/* The timeline printed into buf (cut at its size). */
static void
print(const struct pkl_timeline *tl, char *buf, size_t size)
{
	struct pkl_out o;
	static const struct pkl_clock clock = { .started = true, .first_sec = 1700000000 };
	struct pkl_render r = { .out = &o, .clock = &clock };

	pkl_out_init_fixed(&o, buf, size);
	pkl_timeline_print(tl, &r);
	pkl_out_finish_fixed(&o);
}

/* Where the arrow of frame n is in the text: its line begins with n. */
static const char *
arrow_of(const char *text, unsigned n)
{
	char key[24];

	snprintf(key, sizeof key, "\n    %u  ", n);
	return strstr(text, key);
}

static void
test_interleaved_rows_grouped(void **state)
{
	(void)state;
	/* Frames 1..6 alternate between connections 1 and 2; 7 opens a third. */
	static const struct { uint64_t id; int sender; } frames[] = {
		{ 1, PKL_CLIENT }, { 2, PKL_CLIENT }, { 1, PKL_SERVER },
		{ 2, PKL_SERVER }, { 1, PKL_CLIENT }, { 2, PKL_CLIENT }, { 3, PKL_CLIENT },
	};
	struct pkl_timeline *tl = pkl_timeline_new();
	static struct fake f;
	static char text[8192];
	uint64_t stop;

	assert_non_null(tl);
	for (unsigned i = 0; i < 7; i++) {
		fake_frame(&f, i + 1, frames[i].id, frames[i].sender, PKL_TCP_ACK | PKL_TCP_PSH);
		pkl_timeline_add(tl, &f.pkt, &f.notes);
	}
	fake_done(tl, 2, 40002, 6);
	fake_done(tl, 1, 40001, 5);
	fake_done(tl, 3, 40003, 7);
	assert_int_equal(pkl_timeline_stopped(tl, &stop), PKL_TIMELINE_WHOLE);
	print(tl, text, sizeof text);

	const char *c1 = strstr(text, "conn #1  TCP  client 10.0.0.1:40001 -> server 10.0.0.2:80");
	const char *c2 = strstr(text, "conn #2  TCP  client 10.0.0.1:40002 -> server 10.0.0.2:80");
	const char *c3 = strstr(text, "conn #3  TCP  client 10.0.0.1:40003 -> server 10.0.0.2:80");
	assert_non_null(c1);
	assert_true(c1 < c2 && c2 < c3);
	const char *at[8];
	for (unsigned n = 1; n <= 7; n++) {
		at[n] = arrow_of(text, n);
		assert_non_null(at[n]);
	}
	assert_true(c1 < at[1] && at[1] < at[3] && at[3] < at[5] && at[5] < c2);
	assert_true(c2 < at[2] && at[2] < at[4] && at[4] < at[6] && at[6] < c3);
	assert_true(c3 < at[7]);
	/* The server's segment points left, the client's right. */
	assert_non_null(strstr(at[3], "<-- PSH+ACK seq=3 ack=1 len=10 -"));
	assert_non_null(strstr(at[5], "--- PSH+ACK seq=5 ack=1 len=10 -"));
	assert_null(strstr(text, "stopped recording"));
	pkl_timeline_free(tl);
}

static void
test_row_cap(void **state)
{
	(void)state;
	struct pkl_timeline *tl = pkl_timeline_new();
	static struct fake f;
	static char text[8192];
	const uint64_t max = PKL_TIMELINE_MAX_ROWS;
	uint64_t stop;

	assert_non_null(tl);
	/* Connection 1 sends frame 1, connection 2 the next max - 1 frames:
	 * the table is full when connection 1 sends again, and connection 3
	 * comes too late to be recorded at all. */
	fake_frame(&f, 1, 1, PKL_CLIENT, PKL_TCP_ACK);
	pkl_timeline_add(tl, &f.pkt, &f.notes);
	for (uint64_t n = 2; n <= max; n++) {
		fake_frame(&f, n, 2, PKL_CLIENT, PKL_TCP_ACK);
		pkl_timeline_add(tl, &f.pkt, &f.notes);
	}
	assert_int_equal(pkl_timeline_stopped(tl, &stop), PKL_TIMELINE_WHOLE);
	fake_frame(&f, max + 1, 1, PKL_SERVER, PKL_TCP_ACK);
	pkl_timeline_add(tl, &f.pkt, &f.notes);
	fake_frame(&f, max + 2, 3, PKL_CLIENT, PKL_TCP_SYN);
	pkl_timeline_add(tl, &f.pkt, &f.notes);
	assert_int_equal(pkl_timeline_stopped(tl, &stop), PKL_TIMELINE_FULL);
	assert_int_equal(stop, max + 1);

	fake_done(tl, 1, 40001, max + 1);
	fake_done(tl, 2, 40002, max);
	fake_done(tl, 3, 40003, max + 2);   /* ignored: none of its rows was kept */
	print(tl, text, sizeof text);
	char want[128];
	snprintf(want, sizeof want, "close: open\n! the timeline stopped recording at frame %llu: "
		 "the later frames of this connection are not drawn\n\nconn #2 ",
		 (unsigned long long)(max + 1));
	assert_non_null(strstr(text, want));
	pkl_timeline_free(tl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interleaved_rows_grouped),
		cmocka_unit_test(test_row_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
