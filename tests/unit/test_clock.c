/* Capture times as text: epoch seconds on both sides of 1970, local
 * wall-clock time in the zone TZ names, the formats --time names, and
 * a span of frames out of time order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/clock.h"

#include "text.h"

static void
test_epoch(void **state)
{
	(void)state;
	struct text t;

	pkl_time_epoch(text_start(&t), 1795307411, 964314999);
	assert_string_equal(text_end(&t), "1795307411.964314");
	/* Half a second before 1970: seconds -1 and 5e8 ns. */
	pkl_time_epoch(text_start(&t), -1, 500000000);
	assert_string_equal(text_end(&t), "-0.500000");
	pkl_time_epoch(text_start(&t), -2, 0);
	assert_string_equal(text_end(&t), "-2.000000");
}

static void
test_wall(void **state)
{
	(void)state;
	struct text t;

	setenv("TZ", "UTC", 1);
	pkl_time_wall(text_start(&t), 1795307411, 964314000, true);
	assert_string_equal(text_end(&t), "2026-11-22 00:30:11.964314");
	pkl_time_wall(text_start(&t), 1795307411, 964314000, false);
	assert_string_equal(text_end(&t), "00:30:11.964314");
	/* TZ is read again when it changes. */
	setenv("TZ", "Asia/Tokyo", 1);
	pkl_time_wall(text_start(&t), 1795307411, 964314000, false);
	assert_string_equal(text_end(&t), "09:30:11.964314");
	setenv("TZ", "UTC", 1);
}

static void
test_format_names(void **state)
{
	(void)state;
	assert_int_equal(pkl_time_format_named("abs"), PKL_TIME_ABS);
	assert_int_equal(pkl_time_format_named("date"), PKL_TIME_DATE);
	assert_int_equal(pkl_time_format_named("rel"), PKL_TIME_REL);
	assert_int_equal(pkl_time_format_named("delta"), PKL_TIME_DELTA);
	assert_int_equal(pkl_time_format_named("epoch"), PKL_TIME_EPOCH);
	assert_int_equal(pkl_time_format_named("none"), PKL_TIME_NONE);
	assert_int_equal(pkl_time_format_named("Abs"), PKL_TIME_DEFAULT);
	/* tcpdump's -t count is the format's value. */
	assert_int_equal(PKL_TIME_NONE, 1);
	assert_int_equal(PKL_TIME_REL, 5);
}

static void
test_span(void **state)
{
	(void)state;
	struct text t;
	struct pkl_time_span span = { 0 };
	const struct pkl_frame frames[] = {
		{ .ts_sec = 100, .ts_nsec = 500000000 },
		{ .ts_sec = 99, .ts_nsec = 900000000 },    /* earlier than the first */
		{ .ts_sec = 101, .ts_nsec = 0 },
	};

	setenv("TZ", "UTC", 1);
	pkl_time_span_print(text_start(&t), &span);
	assert_string_equal(text_end(&t), "");
	for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++)
		pkl_time_span_add(&span, &frames[i]);
	assert_int_equal(span.frames, 3);
	pkl_time_span_print(text_start(&t), &span);
	assert_string_equal(text_end(&t), "1970-01-01 00:01:39.900000 to 1970-01-01 00:01:41.000000 "
					  "(local time), 1.100000 s");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch),
		cmocka_unit_test(test_wall),
		cmocka_unit_test(test_format_names),
		cmocka_unit_test(test_span),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
