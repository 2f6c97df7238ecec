/* The TCP sequence analysis, one rule at a time, on segments built here:
 * each test plays a short exchange between two flows and checks what
 * pkl_tcp_analyse finds in the segment that matters. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/tcp_analysis.h"

#define MS 1000000ull   /* nanoseconds */

static const struct pkl_tcp_vantage no_vantage;

struct exchange {
	struct pkl_tcp_pending pending;
	struct pkl_tcp_flow a, b;      /* a: the data sender */
	uint64_t frame;
	struct pkl_tcp_verdict v;
};

static int
setup(void **state)
{
	static struct exchange x;

	memset(&x, 0, sizeof x);
	if (!pkl_tcp_pending_init(&x.pending, 8))
		return -1;
	pkl_tcp_flow_init(&x.a, 2);
	pkl_tcp_flow_init(&x.b, 3);
	*state = &x;
	return 0;
}

static int
teardown(void **state)
{
	struct exchange *x = *state;

	pkl_tcp_pending_free(&x->pending);
	return 0;
}

/* The vantage a test's segments are seen from (no_vantage by default). */
static const struct pkl_tcp_vantage *vantage = &no_vantage;

/* One segment with relative numbers; from_a: sent by a. */
static uint32_t
seg(struct exchange *x, bool from_a, uint16_t flags, uint32_t seq, uint32_t ack, uint32_t len,
    uint16_t window, uint64_t at_ns)
{
	struct pkl_tcp t;

	memset(&t, 0, sizeof t);
	t.flags = flags;
	t.seq = seq;
	t.ack = ack;
	t.payload_len = len;
	t.window = window;
	t.doff = 5;
	pkl_tcp_analyse(&x->pending, from_a ? &x->a : &x->b, from_a ? &x->b : &x->a, &t, seq, ack,
			++x->frame, at_ns, vantage, &x->v);
	return x->v.flags;
}

enum { SYN = PKL_TCP_SYN, ACK = PKL_TCP_ACK, PSH_ACK = PKL_TCP_PSH | PKL_TCP_ACK,
       FIN_ACK = PKL_TCP_FIN | PKL_TCP_ACK };

static void
handshake(struct exchange *x)
{
	seg(x, true, SYN, 0, 0, 0, 64240, 0);
	seg(x, false, SYN | ACK, 0, 1, 0, 65160, 1 * MS);
	seg(x, true, ACK, 1, 1, 0, 502, 2 * MS);
}

static void
test_ack_rtt_times_the_segment_acknowledged_exactly(void **state)
{
	struct exchange *x = *state;

	seg(x, true, SYN, 0, 0, 0, 64240, 0);
	seg(x, false, SYN | ACK, 0, 1, 0, 65160, 7 * MS);
	assert_int_equal(x->v.acked_frame, 1);
	assert_int_equal(x->v.ack_rtt_us, 7000);
	seg(x, true, ACK, 1, 1, 0, 502, 8 * MS);
	seg(x, true, PSH_ACK, 1, 1, 100, 502, 9 * MS);        /* frame 4 */
	seg(x, true, PSH_ACK, 101, 1, 100, 502, 10 * MS);     /* frame 5 */
	assert_true(x->v.bif_valid);
	assert_int_equal(x->v.bytes_in_flight, 200);
	seg(x, false, ACK, 1, 101, 0, 509, 19 * MS);          /* covers frame 4 exactly */
	assert_int_equal(x->v.acked_frame, 4);
	assert_int_equal(x->v.ack_rtt_us, 10000);
	seg(x, false, ACK, 1, 151, 0, 509, 20 * MS);          /* half of frame 5: no match */
	assert_int_equal(x->v.acked_frame, 0);
}

static void
test_duplicate_acks_then_fast_retransmission(void **state)
{
	struct exchange *x = *state;

	handshake(x);
	seg(x, true, ACK, 1, 1, 1000, 502, 3 * MS);
	seg(x, true, ACK, 1001, 1, 1000, 502, 3 * MS);         /* frame 5: lost */
	seg(x, true, ACK, 2001, 1, 1000, 502, 3 * MS);
	seg(x, false, ACK, 1, 1001, 0, 509, 4 * MS);           /* frame 7 */
	assert_int_equal(seg(x, false, ACK, 1, 1001, 0, 509, 5 * MS), PKL_TA_DUPLICATE_ACK);
	assert_int_equal(x->v.dup_ack_num, 1);
	assert_int_equal(x->v.dup_ack_frame, 7);
	seg(x, false, ACK, 1, 1001, 0, 509, 5 * MS);
	assert_int_equal(x->v.dup_ack_num, 2);
	/* Within 20 ms of the second duplicate: fast. */
	assert_int_equal(seg(x, true, ACK, 1001, 1, 1000, 502, 6 * MS),
			 PKL_TA_FAST_RETRANSMISSION | PKL_TA_RETRANSMISSION);
}

static void
test_late_copy_is_retransmission_early_one_out_of_order(void **state)
{
	struct exchange *x = *state;

	handshake(x);
	seg(x, true, ACK, 1, 1, 1000, 502, 10 * MS);
	seg(x, true, ACK, 2001, 1, 1000, 502, 10 * MS);        /* a gap ... */
	assert_true(x->v.flags & PKL_TA_LOST_SEGMENT);
	assert_int_equal(x->v.lost_bytes, 1000);
	/* ... filled 1 ms later, within 3 ms: reordered. */
	assert_int_equal(seg(x, true, ACK, 1001, 1, 1000, 502, 11 * MS), PKL_TA_OUT_OF_ORDER);
	/* The same bytes 200 ms after the highest were sent: the timer fired. */
	assert_int_equal(seg(x, true, ACK, 1, 1, 1000, 502, 210 * MS), PKL_TA_RETRANSMISSION);
	assert_int_equal(x->v.rto_frame, 5);
	assert_int_equal(x->v.rto_us, 200000);
}

static void
test_spurious_retransmission_of_acknowledged_bytes(void **state)
{
	struct exchange *x = *state;

	handshake(x);
	seg(x, true, ACK, 1, 1, 1000, 502, 3 * MS);
	seg(x, false, ACK, 1, 1001, 0, 509, 4 * MS);
	assert_int_equal(seg(x, true, ACK, 1, 1, 1000, 502, 300 * MS),
			 PKL_TA_SPURIOUS_RETRANSMISSION | PKL_TA_RETRANSMISSION);
}

static void
test_zero_window_probe_update_and_keep_alive(void **state)
{
	struct exchange *x = *state;

	handshake(x);
	seg(x, true, ACK, 1, 1, 1000, 502, 3 * MS);
	assert_int_equal(seg(x, false, ACK, 1, 1001, 0, 0, 4 * MS), PKL_TA_ZERO_WINDOW);
	assert_int_equal(seg(x, true, ACK, 1001, 1, 1, 502, 200 * MS), PKL_TA_ZERO_WINDOW_PROBE);
	assert_true(seg(x, false, ACK, 1, 1001, 0, 0, 201 * MS) & PKL_TA_ZERO_WINDOW_PROBE_ACK);
	assert_int_equal(seg(x, false, ACK, 1, 1001, 0, 300, 400 * MS), PKL_TA_WINDOW_UPDATE);
	/* One old byte below the next sequence number: keep-alive, and its answer. */
	assert_int_equal(seg(x, true, ACK, 1000, 1, 0, 502, 9000 * MS), PKL_TA_KEEP_ALIVE);
	assert_int_equal(seg(x, false, ACK, 1, 1001, 0, 300, 9001 * MS), PKL_TA_KEEP_ALIVE_ACK);
}

static void
test_window_full_at_the_scaled_edge(void **state)
{
	struct exchange *x = *state;
	struct pkl_tcp t;

	/* Both SYNs offer scaling (a: 7, b: 2): windows count in units of 4 from b. */
	memset(&t, 0, sizeof t);
	t.flags = SYN;
	t.has_wscale = true;
	t.wscale = 7;
	t.window = 64240;
	pkl_tcp_analyse(&x->pending, &x->a, &x->b, &t, 0, 0, 1, 0, &no_vantage, &x->v);
	t.flags = SYN | ACK;
	t.wscale = 2;
	pkl_tcp_analyse(&x->pending, &x->b, &x->a, &t, 0, 1, 2, MS, &no_vantage, &x->v);
	assert_int_equal(x->a.win_scale, 7);
	assert_int_equal(x->b.win_scale, 2);
	x->frame = 2;
	seg(x, true, ACK, 1, 1, 0, 502, 2 * MS);
	assert_int_equal(x->v.window_size, 502 << 7);
	seg(x, false, ACK, 1, 1, 0, 250, 3 * MS);              /* b offers 1000 bytes */
	assert_int_equal(x->v.window_size, 1000);
	assert_int_equal(seg(x, true, ACK, 1, 1, 1000, 502, 4 * MS), PKL_TA_WINDOW_FULL);
}

static void
test_no_scaling_unless_both_syns_offer_it(void **state)
{
	struct exchange *x = *state;
	struct pkl_tcp t;

	memset(&t, 0, sizeof t);
	t.flags = SYN;
	t.has_wscale = true;
	t.wscale = 7;
	pkl_tcp_analyse(&x->pending, &x->a, &x->b, &t, 0, 0, 1, 0, &no_vantage, &x->v);
	t.flags = SYN | ACK;
	t.has_wscale = false;
	pkl_tcp_analyse(&x->pending, &x->b, &x->a, &t, 0, 1, 2, MS, &no_vantage, &x->v);
	assert_int_equal(x->a.win_scale, PKL_WSCALE_NONE);
	assert_int_equal(x->b.win_scale, PKL_WSCALE_NONE);
}

static void
test_sacked_bytes_are_not_in_flight(void **state)
{
	struct exchange *x = *state;
	struct pkl_tcp t;

	handshake(x);
	seg(x, true, ACK, 1, 1, 1000, 502, 3 * MS);
	seg(x, true, ACK, 1001, 1, 1000, 502, 3 * MS);
	seg(x, true, ACK, 2001, 1, 1000, 502, 3 * MS);
	/* b holds 1001..3001 beyond the missing first segment. */
	memset(&t, 0, sizeof t);
	t.flags = ACK;
	t.window = 509;
	t.n_sack = 1;
	t.sack_left[0] = 1001;
	t.sack_right[0] = 3001;
	pkl_tcp_analyse(&x->pending, &x->b, &x->a, &t, 1, 1, ++x->frame, 4 * MS, &no_vantage, &x->v);
	seg(x, true, ACK, 3001, 1, 1000, 502, 5 * MS);
	assert_int_equal(x->v.bytes_in_flight, 4000 - 2000);
}

/* A copy of bytes already sent, a millisecond after the highest segment
 * (less than the handshake's round trip): tshark's rule says
 * out-of-order, pktlens's verdict retransmission, by the bytes. */
static void
test_verdict_by_bytes_not_timing(void **state)
{
	struct exchange *x = *state;
	const struct pkl_tcp_vantage at_a = { 10 * MS, 10 * MS, true, false };

	vantage = &at_a;
	handshake(x);
	seg(x, true, ACK, 1, 1, 1000, 502, 3 * MS);
	seg(x, true, ACK, 1001, 1, 1000, 502, 3 * MS);
	seg(x, true, ACK, 1, 1, 1000, 502, 4 * MS);              /* the first again */
	assert_true(x->v.flags & PKL_TA_OUT_OF_ORDER);
	assert_int_equal(x->v.own, PKL_TV_RETRANSMISSION);
	vantage = &no_vantage;
}

/* Bytes never seen fill a gap: reordered when sooner than half the round
 * trip to the sender, lost upstream when a round trip later after the
 * receiver asked for them, else cannot tell. */
static void
test_gap_fills(void **state)
{
	struct exchange *x = *state;
	const struct pkl_tcp_vantage at_b = { 20 * MS, 10 * MS, false, true };

	vantage = &at_b;
	handshake(x);
	seg(x, true, ACK, 1, 1, 1000, 502, 30 * MS);
	seg(x, true, ACK, 2001, 1, 1000, 502, 31 * MS);           /* 1001..2000 missing */
	seg(x, true, ACK, 1001, 1, 1000, 502, 32 * MS);           /* 1 ms later */
	assert_int_equal(x->v.own, PKL_TV_OUT_OF_ORDER);
	seg(x, true, ACK, 4001, 1, 1000, 502, 40 * MS);           /* 3001..4000 missing */
	seg(x, false, ACK, 1, 3001, 0, 509, 40 * MS);
	seg(x, false, ACK, 1, 3001, 0, 509, 41 * MS);             /* duplicate: asks for 3001 */
	seg(x, true, ACK, 3001, 1, 1000, 502, 52 * MS);           /* a round trip later */
	assert_int_equal(x->v.own, PKL_TV_LOST_UPSTREAM);
	seg(x, true, ACK, 6001, 1, 1000, 502, 60 * MS);           /* 5001..6000 missing */
	seg(x, true, ACK, 5001, 1, 1000, 502, 67 * MS);           /* 7 ms, nobody asked */
	assert_int_equal(x->v.own, PKL_TV_CANNOT_TELL);
	vantage = &no_vantage;
}

/* Below the next sequence number into a closed window: a zero-window
 * probe, paired with the answer; into an open one, a keep-alive. */
static void
test_zero_window_probe_or_keep_alive(void **state)
{
	struct exchange *x = *state;

	handshake(x);
	seg(x, true, ACK, 1, 1, 100, 502, 3 * MS);
	seg(x, false, ACK, 1, 101, 0, 0, 4 * MS);                 /* window 0 */
	seg(x, true, ACK, 100, 1, 0, 502, 200 * MS);
	assert_true(x->v.flags & PKL_TA_KEEP_ALIVE);               /* tshark's rule */
	assert_int_equal(x->v.own, PKL_TV_ZERO_WINDOW_PROBE);
	seg(x, false, ACK, 1, 101, 0, 0, 201 * MS);
	assert_int_equal(x->v.own, PKL_TV_ZERO_WINDOW_PROBE_ACK);
	seg(x, true, ACK, 100, 1, 0, 502, 600 * MS);
	assert_int_equal(x->v.own, PKL_TV_ZERO_WINDOW_PROBE);
	assert_int_equal(x->v.probe_num, 2);
	assert_int_equal(x->v.probe_interval_us, 400000);
	seg(x, false, ACK, 1, 101, 0, 509, 601 * MS);             /* open again */
	seg(x, true, ACK, 100, 1, 0, 502, 5000 * MS);
	assert_int_equal(x->v.own, PKL_TV_KEEP_ALIVE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_verdict_by_bytes_not_timing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gap_fills, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zero_window_probe_or_keep_alive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ack_rtt_times_the_segment_acknowledged_exactly,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_acks_then_fast_retransmission,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_copy_is_retransmission_early_one_out_of_order,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_spurious_retransmission_of_acknowledged_bytes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_zero_window_probe_update_and_keep_alive,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_window_full_at_the_scaled_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_scaling_unless_both_syns_offer_it,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_sacked_bytes_are_not_in_flight, setup, teardown),
	};
	return cmocka_run_group_tests_name("test_tcp_analysis", tests, NULL, NULL);
}
