/* The JSON writer: commas between keys and elements at every depth,
 * escaping, and the value writers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/json.h"

struct text {
	char buf[512];
	struct pkl_out o;
	struct pkl_json j;
};

static struct pkl_json *
text_start(struct text *t)
{
	pkl_out_init_fixed(&t->o, t->buf, sizeof t->buf);
	pkl_json_init(&t->j, &t->o);
	return &t->j;
}

static const char *
text_end(struct text *t)
{
	pkl_out_finish_fixed(&t->o);
	return t->buf;
}

static void
test_empty_containers(void **state)
{
	(void)state;
	struct text t;
	struct pkl_json *j = text_start(&t);

	pkl_json_object_open(j);
	PKL_JSON_KEY(j, "a");
	pkl_json_array_open(j);
	pkl_json_array_close(j);
	PKL_JSON_KEY(j, "o");
	pkl_json_object_open(j);
	pkl_json_object_close(j);
	pkl_json_object_close(j);
	assert_string_equal(text_end(&t), "{\"a\":[],\"o\":{}}");
}

/* A comma before every key and element but the first of its container,
 * whatever came before: a scalar, an array or an object. */
static void
test_commas_at_every_depth(void **state)
{
	(void)state;
	struct text t;
	struct pkl_json *j = text_start(&t);

	pkl_json_object_open(j);
	PKL_JSON_KEY(j, "n");
	pkl_json_u64(j, 1);
	PKL_JSON_KEY(j, "list");
	pkl_json_array_open(j);
	for (unsigned i = 0; i < 2; i++) {
		pkl_json_elem(j);
		pkl_json_object_open(j);
		PKL_JSON_KEY(j, "i");
		pkl_json_u64(j, i);
		PKL_JSON_KEY(j, "inner");
		pkl_json_array_open(j);
		pkl_json_elem(j);
		pkl_json_bool(j, i);
		pkl_json_elem(j);
		pkl_json_null(j);
		pkl_json_array_close(j);
		pkl_json_object_close(j);
	}
	pkl_json_elem(j);
	pkl_json_array_open(j);
	pkl_json_array_close(j);
	pkl_json_array_close(j);
	PKL_JSON_KEY(j, "last");
	pkl_json_i64(j, -2);
	pkl_json_object_close(j);
	assert_string_equal(text_end(&t),
			    "{\"n\":1,\"list\":[{\"i\":0,\"inner\":[false,null]},"
			    "{\"i\":1,\"inner\":[true,null]},[]],\"last\":-2}");
}

static void
test_string_escapes(void **state)
{
	(void)state;
	struct text t;
	struct pkl_json *j = text_start(&t);

	pkl_json_string(j, "a \"quote\", a \\ and\ta \x01\x7f\xc3\xa9");
	assert_string_equal(text_end(&t),
			    "\"a \\\"quote\\\", a \\\\ and\\u0009a \\u0001\\u007f\\u00c3\\u00a9\"");
	j = text_start(&t);
	pkl_json_string(j, "");
	assert_string_equal(text_end(&t), "\"\"");
}

static void
test_values(void **state)
{
	(void)state;
	struct text t;
	struct pkl_json *j = text_start(&t);
	static const uint8_t v4[4] = { 10, 0, 0, 1 };
	static const uint8_t v6[16] = { 0xfd, 0x77, [15] = 1 };
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x0c, 0, 0xff };

	pkl_json_array_open(j);
	pkl_json_elem(j);
	pkl_json_address(j, 4, v4);
	pkl_json_elem(j);
	pkl_json_address(j, 6, v6);
	pkl_json_elem(j);
	pkl_json_endpoint(j, 6, v6, 80);
	pkl_json_elem(j);
	pkl_json_mac(j, mac);
	pkl_json_elem(j);
	pkl_json_ms(j, 10383);
	pkl_json_elem(j);
	pkl_json_name(j, "client");
	pkl_json_elem(j);
	pkl_json_u64(j, UINT64_MAX);
	pkl_json_array_close(j);
	assert_string_equal(text_end(&t),
			    "[\"10.0.0.1\",\"fd77::1\",\"[fd77::1]:80\",\"52:54:00:0c:00:ff\","
			    "10.383,\"client\",18446744073709551615]");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_containers),
		cmocka_unit_test(test_commas_at_every_depth),
		cmocka_unit_test(test_string_escapes),
		cmocka_unit_test(test_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
