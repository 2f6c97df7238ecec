/* The pcapng blocks, byte by byte against the specification
 * (draft-ietf-opsawg-pcapng): lengths at both ends and multiples of 4,
 * the options of each block, nanosecond timestamps split in two words,
 * a comment cut at the option limit on a UTF-8 boundary. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/dlt.h>

#include "../../src/pcapng_writer.h"

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Check a block's framing; returns its total length. */
static uint32_t
check_block(const uint8_t *b, size_t room, uint32_t type)
{
	assert_true(room >= 12);
	assert_int_equal(le32(b), type);
	uint32_t total = le32(b + 4);
	assert_int_equal(total % 4, 0);
	assert_true(total <= room);
	assert_int_equal(le32(b + total - 4), total);
	return total;
}

/* The value of option code in an option list; NULL when absent. */
static const uint8_t *
find_option(const uint8_t *opt, const uint8_t *end, uint16_t code, uint16_t *len)
{
	while (opt + 4 <= end) {
		uint16_t c = le16(opt), n = le16(opt + 2);
		if (c == 0)
			return NULL;
		if (c == code) {
			*len = n;
			return opt + 4;
		}
		opt += 4 + n + (4 - n % 4) % 4;
	}
	return NULL;
}

static void
test_header(void **state)
{
	(void)state;
	static uint8_t buf[1024];
	struct pkl_out o;
	uint16_t n;

	pkl_out_init_fixed(&o, (char *)buf, sizeof buf);
	pkl_pcapng_write_header(&o, DLT_EN10MB, 262144, "made by a test", "pktlens 0.1.0");
	size_t len = pkl_out_finish_fixed(&o);

	uint32_t shb = check_block(buf, len, 0x0A0D0D0A);
	assert_int_equal(le32(buf + 8), 0x1A2B3C4D);
	assert_int_equal(le16(buf + 12), 1);
	assert_int_equal(le16(buf + 14), 0);
	assert_int_equal(le32(buf + 16), 0xffffffffu);
	assert_int_equal(le32(buf + 20), 0xffffffffu);
	const uint8_t *v = find_option(buf + 24, buf + shb - 4, 1, &n);
	assert_non_null(v);
	assert_int_equal(n, strlen("made by a test"));
	assert_memory_equal(v, "made by a test", n);
	v = find_option(buf + 24, buf + shb - 4, 4, &n);
	assert_non_null(v);
	assert_memory_equal(v, "pktlens 0.1.0", n);

	const uint8_t *idb = buf + shb;
	uint32_t idb_len = check_block(idb, len - shb, 1);
	assert_int_equal(le16(idb + 8), 1);          /* LINKTYPE_ETHERNET */
	assert_int_equal(le32(idb + 12), 262144);
	v = find_option(idb + 16, idb + idb_len - 4, 9, &n);
	assert_non_null(v);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 9);
	assert_int_equal(shb + idb_len, len);
}

static void
test_packet(void **state)
{
	(void)state;
	static uint8_t buf[1024];
	const uint8_t bytes[5] = { 1, 2, 3, 4, 5 };
	struct pkl_frame f = { .number = 1, .ts_sec = 1700000000, .ts_nsec = 123456789,
			       .caplen = 5, .len = 60, .bytes = bytes };
	struct pkl_out o;
	uint16_t n;

	pkl_out_init_fixed(&o, (char *)buf, sizeof buf);
	pkl_pcapng_write_packet(&o, &f, "first\nsecond", 12);
	size_t len = pkl_out_finish_fixed(&o);

	uint32_t total = check_block(buf, len, 6);
	assert_int_equal(total, len);
	uint64_t ns = (uint64_t)le32(buf + 12) << 32 | le32(buf + 16);
	assert_true(ns == 1700000000123456789ull);
	assert_int_equal(le32(buf + 20), 5);
	assert_int_equal(le32(buf + 24), 60);
	assert_memory_equal(buf + 28, bytes, 5);
	assert_int_equal(buf[33] | buf[34] | buf[35], 0);   /* padding */
	const uint8_t *v = find_option(buf + 36, buf + total - 4, 1, &n);
	assert_non_null(v);
	assert_int_equal(n, 12);
	assert_memory_equal(v, "first\nsecond", 12);

	/* No comment: no options at all. */
	pkl_out_init_fixed(&o, (char *)buf, sizeof buf);
	pkl_pcapng_write_packet(&o, &f, NULL, 0);
	len = pkl_out_finish_fixed(&o);
	assert_int_equal(check_block(buf, len, 6), 28 + 8 + 4);
}

/* A comment longer than an option holds is cut below 65536 bytes, never
 * inside a UTF-8 sequence. */
static void
test_long_comment(void **state)
{
	(void)state;
	size_t size = 70000 + 1024;
	uint8_t *buf = malloc(size);
	char *comment = malloc(70000);
	struct pkl_frame f = { .caplen = 0, .len = 0, .bytes = (const uint8_t *)"" };
	struct pkl_out o;
	uint16_t n;

	assert_non_null(buf);
	assert_non_null(comment);
	/* "é" (2 bytes) over and over: byte 65535 is the second byte of
	 * one, which must go with its first. */
	for (size_t i = 0; i + 1 < 70000; i += 2) {
		comment[i] = (char)0xc3;
		comment[i + 1] = (char)0xa9;
	}
	pkl_out_init_fixed(&o, (char *)buf, size);
	pkl_pcapng_write_packet(&o, &f, comment, 70000);
	size_t len = pkl_out_finish_fixed(&o);
	uint32_t total = check_block(buf, len, 6);
	const uint8_t *v = find_option(buf + 28, buf + total - 4, 1, &n);
	assert_non_null(v);
	assert_int_equal(n, 65534);
	assert_int_equal(v[n - 2], 0xc3);
	assert_int_equal(v[n - 1], 0xa9);
	free(comment);
	free(buf);
}

static void
test_linktypes(void **state)
{
	(void)state;
	assert_int_equal(pkl_pcapng_linktype(DLT_EN10MB), 1);
	assert_int_equal(pkl_pcapng_linktype(DLT_RAW), 101);
	assert_int_equal(pkl_pcapng_linktype(DLT_LINUX_SLL2), 276);
	assert_int_equal(pkl_pcapng_linktype(DLT_NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_packet),
		cmocka_unit_test(test_long_comment),
		cmocka_unit_test(test_linktypes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
