/* The terminal wrapper: lines that fit pass unchanged; longer ones break
 * between fields before words, continue at the hanging indent, never
 * count colour escapes, and cut only a word no line can hold. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/wrap.h"

static unsigned
hang_at(const void *ctx, const char *line, size_t len)
{
	(void)line;
	(void)len;
	return *(const unsigned *)ctx;
}

static const char *
wrapped(const char *text, unsigned width, unsigned hang)
{
	static char buf[1024];
	struct pkl_out o;

	pkl_out_init_fixed(&o, buf, sizeof buf);
	pkl_wrap(&o, text, strlen(text), width, hang_at, &hang);
	pkl_out_finish_fixed(&o);
	return buf;
}

static void
test_fits(void **state)
{
	(void)state;
	assert_string_equal(wrapped("  a b  c\nshort\n", 20, 4), "  a b  c\nshort\n");
}

static void
test_words(void **state)
{
	(void)state;
	assert_string_equal(wrapped("  > the quick brown fox jumps over\n", 20, 4),
			    "  > the quick brown\n    fox jumps over\n");
}

static void
test_fields_before_words(void **state)
{
	(void)state;
	/* "proto 6 TCP" stays whole: the break is at the two-space gap. */
	assert_string_equal(wrapped("  IPv4  ttl 64  proto 6 TCP  cksum 0x1 [good]\n", 30, 8),
			    "  IPv4  ttl 64  proto 6 TCP\n        cksum 0x1 [good]\n");
}

static void
test_colour_takes_no_column(void **state)
{
	(void)state;
	assert_string_equal(wrapped("\033[1mabcd\033[0m efgh\n", 9, 0),
			    "\033[1mabcd\033[0m efgh\n");
	assert_string_equal(wrapped("\033[1mabcd\033[0m efgh ij\n", 9, 0),
			    "\033[1mabcd\033[0m efgh\nij\n");
}

static void
test_cut_only_what_no_line_holds(void **state)
{
	(void)state;
	assert_string_equal(wrapped("ab 0123456789abcdefghij\n", 10, 2),
			    "ab\n  01234567\n  89abcdef\n  ghij\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fits),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_fields_before_words),
		cmocka_unit_test(test_colour_takes_no_column),
		cmocka_unit_test(test_cut_only_what_no_line_holds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
