/* The helpers the views share: times relative to the first frame, names
 * or numbers, ICMP kinds, the service after a port, the analysis marks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/render.h"
#include "../../src/services.h"
#include "../../src/tcp_analysis.h"

#include "text.h"

static const char *
time_text(struct text *t, const struct pkl_clock *clock, int64_t sec, uint32_t nsec)
{
	pkl_render_time(text_start(t), clock, sec, nsec);
	return text_end(t);
}

static void
test_times(void **state)
{
	(void)state;
	struct text t;
	const struct pkl_clock clock = { .started = true, .first_sec = 100,
					 .first_nsec = 900000000 };
	const struct pkl_clock unset = { .started = false };

	assert_string_equal(time_text(&t, &clock, 100, 900000000), "0.000000");
	assert_string_equal(time_text(&t, &clock, 102, 100000999), "1.200000");
	assert_string_equal(time_text(&t, &clock, 99, 900000000), "-1.000000");
	/* Whatever the seconds, the difference is told, not wrapped. */
	assert_string_equal(time_text(&t, &clock, INT64_MIN, 0), "-9223372036854775908.900000");
	assert_string_equal(time_text(&t, &unset, 12345, 678), "0.000000");
}

/* A frame's time counts from the clock's first frame. */
static void
test_frame_times(void **state)
{
	(void)state;
	struct text t;
	const struct pkl_frame first = { .ts_sec = 50, .ts_nsec = 250000 };
	const struct pkl_frame later = { .ts_sec = 51, .ts_nsec = 0 };
	struct pkl_clock clock = { 0 };
	pkl_clock_start(&clock, &first);
	pkl_clock_start(&clock, &later);   /* the first stays */
	struct pkl_render r = { .out = text_start(&t), .clock = &clock };

	pkl_render_reltime(&r, &first);
	pkl_out_char(r.out, ' ');
	pkl_render_reltime(&r, &later);
	assert_string_equal(text_end(&t), "0.000000 0.999750");
}

static void
test_names(void **state)
{
	(void)state;
	struct text t;

	pkl_render_name(text_start(&t), "reply", "opcode ", 2);
	assert_string_equal(text_end(&t), "reply");
	pkl_render_name(text_start(&t), NULL, "opcode ", 77);
	assert_string_equal(text_end(&t), "opcode 77");

	pkl_render_icmp_kind(text_start(&t), false, 3, 3);
	assert_string_equal(text_end(&t), "destination unreachable (port unreachable)");
	pkl_render_icmp_kind(text_start(&t), false, 8, 0);
	assert_string_equal(text_end(&t), "echo request");
	pkl_render_icmp_kind(text_start(&t), false, 42, 7);
	assert_string_equal(text_end(&t), "type 42 code 7");
	/* ICMPv6 codes have no names here: told as numbers. */
	pkl_render_icmp_kind(text_start(&t), true, 1, 4);
	assert_string_equal(text_end(&t), "destination unreachable code 4");

	pkl_service_append(text_start(&t), 53);
	assert_string_equal(text_end(&t), " (DNS (name lookups))");
	pkl_service_append(text_start(&t), 40000);
	assert_string_equal(text_end(&t), "");
}

/* What tshark's flags amount to in pktlens's terms, and where the two
 * agree: a retransmission pktlens places further is still one. */
static void
test_analysis_marks(void **state)
{
	(void)state;

	assert_int_equal(pkl_tcp_verdict_of_flags(PKL_TA_RETRANSMISSION | PKL_TA_FAST_RETRANSMISSION),
			 PKL_TV_FAST_RETRANSMISSION);
	assert_int_equal(pkl_tcp_verdict_of_flags(PKL_TA_RETRANSMISSION |
						  PKL_TA_SPURIOUS_RETRANSMISSION | PKL_TA_WINDOW_FULL),
			 PKL_TV_SPURIOUS_RETRANSMISSION);
	assert_int_equal(pkl_tcp_verdict_of_flags(PKL_TA_DUPLICATE_ACK), PKL_TV_NONE);
	assert_true(pkl_tcp_verdicts_agree(PKL_TV_LOST_UPSTREAM, PKL_TA_RETRANSMISSION));
	assert_true(pkl_tcp_verdicts_agree(PKL_TV_NONE, PKL_TA_WINDOW_UPDATE));
	assert_false(pkl_tcp_verdicts_agree(PKL_TV_ZERO_WINDOW_PROBE, PKL_TA_KEEP_ALIVE));
	assert_false(pkl_tcp_verdicts_agree(PKL_TV_RETRANSMISSION, PKL_TA_OUT_OF_ORDER));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_frame_times),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_analysis_marks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
