/* The input stage: frame times with the fraction below a second, options
 * checked before libpcap sees them, and what
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include "../../src/capture.h"

/* A classic pcap file (little-endian, Ethernet) at path: the given
 * magic, then one 14-byte record per (seconds, fraction) pair. */
static void
write_pcap(const char *path, uint32_t magic, const uint32_t (*times)[2], size_t n)
{
	const uint32_t header[6] = { magic, 2 | 4u << 16, 0, 0, 65535, 1 };
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(header, sizeof header, 1, f), 1);
	for (size_t i = 0; i < n; i++) {
		const uint32_t rec[4] = { times[i][0], times[i][1], 14, 14 };
		const uint8_t eth[14] = { [12] = 0x88, [13] = 0xb5 };
		assert_int_equal(fwrite(rec, sizeof rec, 1, f), 1);
		assert_int_equal(fwrite(eth, sizeof eth, 1, f), 1);
	}
	assert_int_equal(fclose(f), 0);
}

/* The frames of a file: their times. */
static void
expect_times(const char *path, const int64_t (*want)[2], size_t n)
{
	char errbuf[PKL_ERRBUF_SIZE];
	bool usage_error;
	struct pkl_capture *cap = pkl_capture_open_file(path, NULL, errbuf, &usage_error);
	struct pkl_frame f;

	if (!cap)
		fail_msg("%s", errbuf);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(pkl_capture_next(cap, &f, errbuf), 1);
		assert_int_equal(f.ts_sec, want[i][0]);
		assert_int_equal(f.ts_nsec, want[i][1]);
	}
	assert_int_equal(pkl_capture_next(cap, &f, errbuf), 0);
	pkl_capture_close(cap);
}

/* A record's fraction of a second can say more than a second: frames
 * carry its whole seconds, in nanosecond and microsecond files alike. */
static void
test_fraction_below_a_second(void **state)
{
	(void)state;
	char path[] = "/tmp/pkl-test-capture.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);

	const uint32_t ns_times[][2] = {
		{ 1700000000, 999999999 }, { 1700000000, 1500000000 }, { 4294967295u, 4294967295u },
	};
	const int64_t ns_want[][2] = {
		{ 1700000000, 999999999 }, { 1700000001, 500000000 }, { 4294967299, 294967295 },
	};
	write_pcap(path, 0xa1b23c4d, ns_times, 3);
	expect_times(path, ns_want, 3);

	const uint32_t us_times[][2] = { { 1700000000, 999999 }, { 1700000000, 2500000 } };
	const int64_t us_want[][2] = { { 1700000000, 999999000 }, { 1700000002, 500000000 } };
	write_pcap(path, 0xa1b2c3d4, us_times, 2);
	expect_times(path, us_want, 2);
	unlink(path);
}

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
		cmocka_unit_test(test_fraction_below_a_second),
		cmocka_unit_test(test_buffer_size_out_of_range),
		cmocka_unit_test(test_warning_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
