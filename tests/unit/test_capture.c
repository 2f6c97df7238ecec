/* The input stage: options checked before libpcap sees them, and what
 * libpcap warns of when it opens an interface (as root only: a capture
 * needs the privilege; skipped otherwise).  pcap_activate is wrapped
 * here to return a warning on demand: libpcap 1.10.3 reports its only
 * one Linux can give (the "any" device is never promiscuous) in its
 * error buffer, but returns 0. */
#define _GNU_SOURCE        /* RTLD_NEXT */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>
#include <unistd.h>

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

static int activate_warns;   /* what pcap_activate returns in place of 0 */

int
pcap_activate(pcap_t *p)
{
	static int (*real)(pcap_t *);

	if (!real)
		real = (int (*)(pcap_t *))dlsym(RTLD_NEXT, "pcap_activate");
	int rc = real(p);
	return rc == 0 ? activate_warns : rc;
}

static struct pkl_capture *
open_live(const char *iface, bool promisc)
{
	const struct pkl_live_opts opts = { .iface = iface, .snaplen = 262144, .promisc = promisc };
	char errbuf[PKL_ERRBUF_SIZE];
	bool usage_error;

	if (geteuid() != 0)
		skip();
	struct pkl_capture *cap = pkl_capture_open_live(&opts, NULL, errbuf, &usage_error);
	if (!cap)
		fail_msg("%s", errbuf);
	return cap;
}

/* A warning of pcap_activate is kept for the caller to show: the
 * capture runs, but not as asked. */
static void
test_warning_kept(void **state)
{
	(void)state;
	struct pkl_capture *cap;

	activate_warns = PCAP_WARNING_PROMISC_NOTSUP;
	cap = open_live("any", true);
	assert_string_equal(pkl_capture_warning(cap),
			    "cannot make any promiscuous (Promiscuous mode not supported on the "
			    "\"any\" device): frames between other hosts are not seen");
	pkl_capture_close(cap);

	/* Without a sentence of libpcap's: the status's own. */
	activate_warns = PCAP_WARNING_TSTAMP_TYPE_NOTSUP;
	cap = open_live("lo", false);
	assert_string_equal(pkl_capture_warning(cap),
			    "capturing on lo: That type of time stamp is not supported by that device");
	pkl_capture_close(cap);

	activate_warns = 0;
	cap = open_live("lo", true);
	assert_null(pkl_capture_warning(cap));
	pkl_capture_close(cap);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buffer_size_out_of_range),
		cmocka_unit_test(test_warning_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
