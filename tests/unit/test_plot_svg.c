/* --plot's graph on segments made by hand: a bar per segment and a mark
 * per retransmission, and a transfer long enough that its points are
 * merged (past PKL_PLOT_MAX_POINTS) and its bars drawn per pixel column. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/conn_record.h"
#include "../../src/plot_svg.h"
#include "../../src/tcp_analysis.h"

#define OUT_SIZE (16u * 1024 * 1024)

static const struct pkl_clock clock0 = { true, 1700000000, 0 };

/* One segment of connection #1 at t microseconds after clock0. */
static void
segment(struct pkl_plot *p, uint64_t number, uint64_t t_us, int sender, uint32_t seq,
	uint32_t ack, uint32_t window, uint32_t n, uint32_t analysis)
{
	static uint8_t bytes[20];
	struct pkl_packet pkt;
	struct pkl_notes notes;
	struct pkl_frame frame = { .number = number, .ts_sec = 1700000000 + (int64_t)(t_us / 1000000),
				   .ts_nsec = (uint32_t)(t_us % 1000000) * 1000, .caplen = 20,
				   .len = 20 + n, .bytes = bytes };

	memset(&pkt, 0, sizeof pkt);
	pkt.frame = &frame;
	pkt.n_layers = 2;
	pkt.layers[0] = (struct pkl_layer){ .proto = PKL_PROTO_IPV4, .flags = PKL_LAYER_HEADER };
	pkt.layers[1] = (struct pkl_layer){ .proto = PKL_PROTO_TCP, .flags = PKL_LAYER_HEADER,
					    .data = bytes, .caplen = 20, .len = 20 + n,
					    .hdr_len = 20, .payload_len = n };
	pkt.layers[1].hdr.tcp.flags = PKL_TCP_ACK;
	pkt.layers[1].hdr.tcp.payload_len = n;
	pkl_notes_reset(&notes);
	notes.conn = (struct pkl_conn_snapshot){ .valid = true, .id = 1, .sender = sender,
						 .rel_seq = seq, .rel_ack = ack };
	notes.conn.analysis.flags = analysis;
	notes.conn.analysis.window_size = window;
	pkl_plot_frame(p, &pkt, &notes);
}

static size_t
count(const char *s, const char *what)
{
	size_t n = 0;

	for (; (s = strstr(s, what)); s++)
		n++;
	return n;
}

static char *
draw(struct pkl_plot *p)
{
	char *buf = malloc(OUT_SIZE);
	struct pkl_out o;

	assert_non_null(buf);
	pkl_out_init_fixed(&o, buf, OUT_SIZE);
	pkl_plot_write(p, &o);
	size_t n = pkl_out_finish_fixed(&o);
	assert_true(n < OUT_SIZE - 1);
	assert_non_null(strstr(buf, "</svg>\n"));
	return buf;
}

static void
test_bars_and_marks(void **state)
{
	(void)state;
	struct pkl_plot *p = pkl_plot_new(1, &clock0);

	assert_non_null(p);
	segment(p, 1, 0, PKL_CLIENT, 1, 1, 0, 100, 0);
	segment(p, 2, 10, PKL_CLIENT, 101, 1, 0, 100, 0);
	segment(p, 3, 20, PKL_SERVER, 1, 101, 65535, 0, 0);
	segment(p, 4, 30, PKL_CLIENT, 101, 1, 0, 100, PKL_TA_RETRANSMISSION);
	segment(p, 5, 40, PKL_SERVER, 1, 201, 0, 0, PKL_TA_ZERO_WINDOW);
	segment(p, 6, 50, PKL_CLIENT, 201, 1, 0, 100, PKL_TA_OUT_OF_ORDER);
	assert_true(pkl_plot_seen(p));
	char *svg = draw(p);
	assert_int_equal(count(svg, "class=\"seg"), 4);
	assert_int_equal(count(svg, "class=\"retransmission-mark\""), 1);
	assert_int_equal(count(svg, "class=\"out-of-order-mark\""), 1);
	assert_int_equal(count(svg, "class=\"zero-window-mark\""), 1);
	assert_int_equal(count(svg, "class=\"ack\""), 1);
	assert_non_null(strstr(svg, "400 bytes sent (retransmissions included) in 4 segments, "
				    "1 retransmissions, 1 zero windows"));
	free(svg);
	pkl_plot_free(p);
}

/* 400 000 segments, each ACKed: 800 000 points, merged in memory, and
 * drawn one bar per pixel column. */
static void
test_long_transfer(void **state)
{
	(void)state;
	struct pkl_plot *p = pkl_plot_new(1, &clock0);
	const uint32_t n = 400000;

	assert_non_null(p);
	for (uint32_t i = 0; i < n; i++) {
		segment(p, 2 * i + 1, 10 * i, PKL_CLIENT, 1 + 1000 * i, 1, 0, 1000, 0);
		segment(p, 2 * i + 2, 10 * i + 5, PKL_SERVER, 1, 1 + 1000 * (i + 1), 65535, 0, 0);
	}
	assert_false(pkl_plot_short(p));
	char *svg = draw(p);
	size_t bars = count(svg, "class=\"seg");
	assert_true(bars > 500 && bars <= 1071);
	assert_non_null(strstr(svg, "400000000 bytes sent"));
	assert_true(strlen(svg) < 1000000);
	free(svg);
	pkl_plot_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bars_and_marks),
		cmocka_unit_test(test_long_transfer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
