/* The input stage: options checked before libpcap sees them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/capture.h"

/* A buffer whose size in bytes an int cannot hold is refused, as the
 * user's fault, before any interface is opened (no privileges needed). */
static void
test_buffer_size_out_of_range(void **state)
{
	(void)state;
	static const int sizes[] = { PKL_CAPTURE_MAX_BUFFER_KIB + 1, 4 * 1024 * 1024, INT_MAX, -1 };
	char errbuf[PKL_ERRBUF_SIZE];

	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		const struct pkl_live_opts opts = { .iface = "lo", .snaplen = 262144,
						    .buffer_kib = sizes[i] };
		bool usage_error = false;
		struct pkl_capture *cap = pkl_capture_open_live(&opts, NULL, errbuf, &usage_error);
		if (cap)
			pkl_capture_close(cap);
		assert_null(cap);
		assert_true(usage_error);
		assert_non_null(strstr(errbuf, "at most 2097151 KiB"));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buffer_size_out_of_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
