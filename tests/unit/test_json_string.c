/* The JSON writer's string escaper (pkl_json_string): quotes, backslashes, control
 * characters and bytes outside ASCII, checked against the exact text
 * RFC 8259 calls for, and every one of the 255 bytes decoded back by a
 * small JSON string reader written here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/json.h"

static const char *
escaped(const char *s)
{
	static char buf[2048];
	struct pkl_out o;

	struct pkl_json j;

	pkl_out_init_fixed(&o, buf, sizeof buf);
	pkl_json_init(&j, &o);
	pkl_json_string(&j, s);
	pkl_out_finish_fixed(&o);
	return buf;
}

static void
test_escapes(void **state)
{
	(void)state;
	assert_string_equal(escaped(""), "\"\"");
	assert_string_equal(escaped("plain text, 100%!"), "\"plain text, 100%!\"");
	assert_string_equal(escaped("say \"hi\""), "\"say \\\"hi\\\"\"");
	assert_string_equal(escaped("C:\\dir\\"), "\"C:\\\\dir\\\\\"");
	assert_string_equal(escaped("a\nb\tc\rd"), "\"a\\u000ab\\u0009c\\u000dd\"");
	assert_string_equal(escaped("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
	assert_string_equal(escaped("\xc3\xa9\xff"), "\"\\u00c3\\u00a9\\u00ff\"");
	assert_string_equal(escaped("\"\\\""), "\"\\\"\\\\\\\"\"");
}

/* A JSON string at p (RFC 8259 section 7) decoded into out, for
 * escapes of one byte; NULL when p is not one, else the end. */
static const char *
read_json_string(const char *p, char *out)
{
	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c > 0x7e)
			return NULL;   /* raw control or non-ASCII byte */
		if (c != '\\') {
			*out++ = *p++;
			continue;
		}
		p++;
		if (*p == '"' || *p == '\\' || *p == '/') {
			*out++ = *p++;
		} else if (p[0] == 'u' && p[1] == '0' && p[2] == '0') {
			char hex[3] = { p[3], p[4], 0 }, *end;
			long v = strtol(hex, &end, 16);
			if (*end || !hex[0] || !hex[1])
				return NULL;
			*out++ = (char)v;
			p += 5;
		} else {
			return NULL;
		}
	}
	*out = '\0';
	return p + 1;
}

static void
test_every_byte_round_trips(void **state)
{
	(void)state;
	char in[256], back[256];

	for (int i = 1; i < 256; i++)
		in[i - 1] = (char)i;
	in[255] = '\0';
	const char *json = escaped(in);
	const char *end = read_json_string(json, back);
	assert_non_null(end);
	assert_string_equal(end, "");
	assert_memory_equal(back, in, 256);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_every_byte_round_trips),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
