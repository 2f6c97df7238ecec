/* The sentence templates of the event and note tables: each kind of
 * placeholder, and templates that end inside one (which must be copied
 * as text without reading past their end). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../src/template.h"

static const char *
fill(const char *tmpl, const uint64_t *arg, unsigned n_args)
{
	static char buf[256];

	pkl_template_fill(tmpl, arg, n_args, buf, sizeof buf);
	return buf;
}

static void
test_placeholders(void **state)
{
	(void)state;
	const uint64_t arg[4] = { 0x0a4d0102, 443, 1, 0x525400123456 };

	assert_string_equal(fill("{0i} {1} {1p} {1x}", arg, 4),
			    "10.77.1.2 443 HTTPS (the web over TLS) 1bb");
	assert_string_equal(fill("the {2r} and the {2o}", arg, 4), "the server and the client");
	assert_string_equal(fill("{3m}", arg, 4), "52:54:00:12:34:56");
	assert_string_equal(fill("{1u}", arg, 4), "0.443 ms");
	/* 64-bit arguments whole: a frame number past 2^32. */
	const uint64_t big[1] = { (UINT64_C(1) << 32) + 7 };
	assert_string_equal(fill("frame {0}", big, 1), "frame 4294967303");
	/* Not placeholders: copied as they are. */
	assert_string_equal(fill("{4} {x} {0 {", arg, 4), "{4} {x} {0 {");
}

/* The template copied to the very end of a page whose next page is
 * unmapped: a read past its NUL faults. */
static const char *
at_page_end(const char *tmpl, void **map, size_t *map_len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), n = strlen(tmpl) + 1;
	char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(p != MAP_FAILED);
	assert_int_equal(mprotect(p + page, page, PROT_NONE), 0);
	memcpy(p + page - n, tmpl, n);
	*map = p;
	*map_len = 2 * page;
	return p + page - n;
}

static void
test_unterminated_placeholder_at_the_end(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "frame {0", "frame {0" }, { "{1", "{1" }, { "x {0x", "x {0x" },
		{ "{", "{" }, { "{0}{0", "7{0" },
	};
	const uint64_t arg[2] = { 7, 8 };

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		void *map;
		size_t len;
		const char *tmpl = at_page_end(cases[i][0], &map, &len);
		assert_string_equal(fill(tmpl, arg, 2), cases[i][1]);
		munmap(map, len);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_unterminated_placeholder_at_the_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
