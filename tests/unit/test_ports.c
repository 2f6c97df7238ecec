/* Port lists as a scan takes them (src/craft/ports.h): ports, ranges,
 * open-ended ranges, duplicates and overlaps merged, blanks, and every
 * refusal with its sentence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/craft/ports.h"

static char errbuf[PKL_ERRBUF_SIZE];

/* The list text parses to, as "22,80,8000" (ranges written out), or the
 * refusal's sentence after "error: ". */
static const char *
parse(const char *text)
{
	static char shown[4096];
	struct pkl_ports p;
	size_t used = 0;

	errbuf[0] = '\0';
	if (pkl_ports_parse(text, &p, errbuf) < 0) {
		assert_null(p.list);
		snprintf(shown, sizeof shown, "error: %s", errbuf);
		pkl_ports_free(&p);
		return shown;
	}
	shown[0] = '\0';
	for (size_t i = 0; i < p.n && used < sizeof shown - 8; i++)
		used += (size_t)snprintf(shown + used, sizeof shown - used, "%s%u", i ? "," : "",
					 p.list[i]);
	pkl_ports_free(&p);
	return shown;
}

/* The number of ports text names. */
static size_t
count(const char *text)
{
	struct pkl_ports p;

	assert_int_equal(pkl_ports_parse(text, &p, errbuf), 0);
	size_t n = p.n;
	for (size_t i = 1; i < n; i++)
		assert_true(p.list[i - 1] < p.list[i]);
	pkl_ports_free(&p);
	return n;
}

static void
test_ports_and_ranges(void **state)
{
	(void)state;
	assert_string_equal(parse("22"), "22");
	assert_string_equal(parse("22,80,443"), "22,80,443");
	assert_string_equal(parse("8000-8003"), "8000,8001,8002,8003");
	assert_string_equal(parse("22,80,8000-8002"), "22,80,8000,8001,8002");
	assert_string_equal(parse("7-7"), "7");
	assert_string_equal(parse("1"), "1");
	assert_string_equal(parse("65535"), "65535");
	assert_string_equal(parse("0022"), "22");   /* leading zeros are still 22 */
}

static void
test_ascending_and_merged(void **state)
{
	(void)state;
	assert_string_equal(parse("443,22,80"), "22,80,443");
	assert_string_equal(parse("22,22,22"), "22");
	assert_string_equal(parse("80,78-82,81"), "78,79,80,81,82");
	assert_string_equal(parse("10-12,11-13"), "10,11,12,13");
	assert_int_equal(count("1-65535,22,1000-2000"), 65535);
}

static void
test_open_ended(void **state)
{
	(void)state;
	assert_string_equal(parse("-3"), "1,2,3");
	assert_string_equal(parse("65533-"), "65533,65534,65535");
	assert_int_equal(count("-"), 65535);
	assert_int_equal(count("1-65535"), 65535);
}

static void
test_blanks(void **state)
{
	(void)state;
	assert_string_equal(parse(" 22 , 80 "), "22,80");
	assert_string_equal(parse("22,\t80"), "22,80");
	assert_string_equal(parse("8000 - 8001"), "8000,8001");
}

static void
test_out_of_range(void **state)
{
	(void)state;
	assert_string_equal(parse("0"), "error: '0' is not a port: ports run from 1 to 65535");
	assert_string_equal(parse("65536"),
			    "error: '65536' is not a port: ports run from 1 to 65535");
	assert_string_equal(parse("22,0-10"), "error: '0' is not a port: ports run from 1 to 65535");
	assert_string_equal(parse("60000-65536"),
			    "error: '65536' is not a port: ports run from 1 to 65535");
	/* So many digits that a careless parser would wrap around to 22. */
	assert_string_equal(parse("18446744073709551638"),
			    "error: '18446744073709551638' is not a port: ports run from 1 to 65535");
}

static void
test_backwards(void **state)
{
	(void)state;
	assert_string_equal(parse("8010-8000"),
			    "error: the range 8010-8000 runs backwards: did you mean 8000-8010?");
}

static void
test_garbage(void **state)
{
	(void)state;
	const char *not_ports = "error: 'ssh' is not a port or a range of ports "
				"(as in 22,80,8000-8010)";
	assert_string_equal(parse("ssh"), not_ports);
	assert_string_equal(parse("22,ssh"), not_ports);
	assert_string_equal(parse("+22"), "error: '+22' is not a port or a range of ports "
					  "(as in 22,80,8000-8010)");
	assert_string_equal(parse("1-2-3"), "error: '2-3' is not a port or a range of ports "
					    "(as in 22,80,8000-8010)");
	assert_string_equal(parse("22 80"), "error: '22 80' is not a port or a range of ports "
					    "(as in 22,80,8000-8010)");
	assert_string_equal(parse("2.5"), "error: '2.5' is not a port or a range of ports "
					  "(as in 22,80,8000-8010)");
	const char *empty = "error: the port list has an empty item: name ports as in "
			    "22,80,8000-8010";
	assert_string_equal(parse(""), empty);
	assert_string_equal(parse("22,,80"), empty);
	assert_string_equal(parse("22,"), empty);
	assert_string_equal(parse(",22"), empty);
	assert_string_equal(parse(" "), empty);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ports_and_ranges),
		cmocka_unit_test(test_ascending_and_merged),
		cmocka_unit_test(test_open_ended),
		cmocka_unit_test(test_blanks),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_backwards),
		cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
