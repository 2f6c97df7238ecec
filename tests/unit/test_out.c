/* The output buffer's number and address writers, against printf and
 * inet_ntop: every value below 10^8 at every width, IPv6 addresses of
 * every shape of zero groups, and a buffer too small or nearly full. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <inttypes.h>
#include <unistd.h>

#include "../../src/out.h"

#include "text.h"

/* xorshift64: reproducible values without libc's rand. */
static uint64_t
next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
check_u64(uint64_t v)
{
	struct text t;
	char want[32];

	pkl_out_u64(text_start(&t), v);
	snprintf(want, sizeof want, "%" PRIu64, v);
	assert_string_equal(text_end(&t), want);
}

static void
test_u64(void **state)
{
	(void)state;
	for (uint64_t v = 0; v < 100000; v++)
		check_u64(v);
	/* Either side of every power of ten, where the digit count changes. */
	for (uint64_t p = 10; p <= UINT64_C(10000000000000000000); p *= 10) {
		check_u64(p - 1);
		check_u64(p);
		check_u64(p + 1);
		if (p > UINT64_MAX / 10)
			break;
	}
	check_u64(UINT32_MAX);
	check_u64((uint64_t)UINT32_MAX + 1);
	check_u64(UINT64_MAX);
	uint64_t s = 88172645463325252u;
	for (int i = 0; i < 200000; i++) {
		uint64_t v = next_random(&s);
		check_u64(v >> (v & 63));   /* all magnitudes */
	}
}

static void
test_i64(void **state)
{
	static const int64_t values[] = { 0, -1, 7, -7, 1234567890123, INT64_MAX, INT64_MIN };
	struct text t;
	char want[32];

	(void)state;
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		pkl_out_i64(text_start(&t), values[i]);
		snprintf(want, sizeof want, "%" PRId64, values[i]);
		assert_string_equal(text_end(&t), want);
	}
}

/* Every u below 10^digits, for every width up to 8: the digits are
 * derived by multiplication (see put_decimal8), so rounding is checked
 * value by value against a counter of decimal digits. */
static void
test_width_every_value(void **state)
{
	(void)state;
	for (unsigned digits = 1; digits <= 8; digits++) {
		char want[9];
		uint32_t end = 1;
		for (unsigned i = 0; i < digits; i++)
			end *= 10;
		memset(want, '0', digits);
		for (uint32_t u = 0; u < end; u++) {
			char buf[16];
			struct pkl_out o;
			pkl_out_init_fixed(&o, buf, sizeof buf);
			pkl_out_u64_width(&o, u, digits);
			if (o.len != digits || memcmp(buf, want, digits) != 0)
				fail_msg("%" PRIu32 " in %u digits: got %.*s", u, digits,
					 (int)o.len, buf);
			/* The next value's digits: add one with carries. */
			for (unsigned i = digits; i-- > 0;) {
				if (want[i] != '9') {
					want[i]++;
					break;
				}
				want[i] = '0';
			}
		}
	}
}

static void
test_width_long(void **state)
{
	struct text t;

	(void)state;
	pkl_out_u64_width(text_start(&t), 5, 9);
	assert_string_equal(text_end(&t), "000000005");
	pkl_out_u64_width(text_start(&t), 999999999, 9);
	assert_string_equal(text_end(&t), "999999999");
	pkl_out_u64_width(text_start(&t), UINT64_C(12345678901234567890), 20);
	assert_string_equal(text_end(&t), "12345678901234567890");
	pkl_out_u64_width(text_start(&t), 42, 12);
	assert_string_equal(text_end(&t), "000000000042");
}

static void
test_seconds_and_ms(void **state)
{
	struct text t;

	(void)state;
	pkl_out_seconds(text_start(&t), 0, 656584);
	assert_string_equal(text_end(&t), "0.656584");
	pkl_out_seconds(text_start(&t), 12, 345);
	assert_string_equal(text_end(&t), "12.000345");
	pkl_out_seconds(text_start(&t), 1234567890123, 7);
	assert_string_equal(text_end(&t), "1234567890123.000007");
	pkl_out_seconds(text_start(&t), UINT64_MAX, 999999);
	assert_string_equal(text_end(&t), "18446744073709551615.999999");
	pkl_out_ms(text_start(&t), 10383);
	assert_string_equal(text_end(&t), "10.383");
	pkl_out_ms(text_start(&t), 7);
	assert_string_equal(text_end(&t), "0.007");
}

/* pktlens writes the address as inet_ntop does. */
static void
check_address(int af, const uint8_t *a)
{
	struct text t;
	char want[INET6_ADDRSTRLEN];

	if (af == AF_INET)
		pkl_out_ipv4(text_start(&t), a);
	else
		pkl_out_ipv6(text_start(&t), a);
	assert_non_null(inet_ntop(af, a, want, sizeof want));
	assert_string_equal(text_end(&t), want);
}

static void
test_ipv4(void **state)
{
	(void)state;
	for (unsigned v = 0; v < 256; v++) {
		for (int i = 0; i < 4; i++) {
			uint8_t a[4] = { 10, 200, 3, 99 };
			a[i] = (uint8_t)v;
			check_address(AF_INET, a);
		}
	}
}

/* Every pattern of zero and nonzero groups, the nonzero ones drawn from
 * 1 (::1 is no IPv4 address), ffff (after five zero groups it makes an
 * IPv4-mapped one) and a three-digit value. */
static void
test_ipv6_zero_runs(void **state)
{
	static const uint16_t nonzero[] = { 0x1, 0xffff, 0x0a0b };
	const unsigned n = sizeof nonzero / sizeof nonzero[0];

	(void)state;
	for (unsigned zeros = 0; zeros < 256; zeros++) {
		unsigned combos = 1;
		for (int g = 0; g < 8; g++)
			if (!(zeros >> g & 1))
				combos *= n;
		for (unsigned k = 0; k < combos; k++) {
			uint8_t a[16];
			unsigned pick = k;
			for (int g = 0; g < 8; g++) {
				uint16_t w = 0;
				if (!(zeros >> g & 1)) {
					w = nonzero[pick % n];
					pick /= n;
				}
				a[2 * g] = (uint8_t)(w >> 8);
				a[2 * g + 1] = (uint8_t)w;
			}
			check_address(AF_INET6, a);
		}
	}
}

static void
test_ipv6_embedded_ipv4(void **state)
{
	uint64_t s = 0x9e3779b97f4a7c15u;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		uint64_t r = next_random(&s);
		uint8_t a[16] = { 0 };
		/* ::a.b.c.d, ::ffff:a.b.c.d, ::ffff:0:a.b.c.d, 64:ff9b::a.b.c.d, and
		 * the last two groups with small values (::1, ::2, ::0.1.0.0). */
		switch (i % 5) {
		case 1:
			a[10] = a[11] = 0xff;
			break;
		case 2:
			a[8] = a[9] = 0xff;
			break;
		case 3:
			a[1] = 0x64;
			a[2] = 0xff;
			a[3] = 0x9b;
			break;
		case 4:
			r &= 0x01000100;
			break;
		}
		memcpy(a + 12, &r, 4);
		if (i % 7 == 0)
			a[12] = a[13] = 0;
		check_address(AF_INET6, a);
	}
}

static void
test_ipv6_random(void **state)
{
	uint64_t s = 0x2545f4914f6cdd1du;

	(void)state;
	for (int i = 0; i < 100000; i++) {
		uint8_t a[16];
		for (int g = 0; g < 8; g++) {
			uint64_t r = next_random(&s);
			/* Zero a group often, and shorten the others. */
			uint16_t w = (r & 3) == 0 ? 0 : (uint16_t)(r >> 8) >> (r >> 4 & 15);
			a[2 * g] = (uint8_t)(w >> 8);
			a[2 * g + 1] = (uint8_t)w;
		}
		check_address(AF_INET6, a);
	}
}

static void
test_mac_and_endpoint(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0xc0, 0xa8, 0x01, 0xfe };
	static const uint8_t v4[4] = { 192, 168, 1, 16 };
	static const uint8_t v6[16] = { 0xfd, 0x77, [15] = 1 };
	static const uint8_t longest[16] = {
		0xff, 0xff, 0xab, 0xcd, 0x12, 0x34, 0x56, 0x78,
		0x9a, 0xbc, 0xde, 0xf0, 0x0f, 0xed, 0xcb, 0xa9,
	};
	struct text t;

	(void)state;
	pkl_out_mac(text_start(&t), mac);
	assert_string_equal(text_end(&t), "02:00:c0:a8:01:fe");
	pkl_out_endpoint(text_start(&t), 4, v4, 58687);
	assert_string_equal(text_end(&t), "192.168.1.16:58687");
	pkl_out_endpoint(text_start(&t), 4, v4, 0);
	assert_string_equal(text_end(&t), "192.168.1.16:0");
	pkl_out_endpoint(text_start(&t), 6, v6, 53);
	assert_string_equal(text_end(&t), "[fd77::1]:53");
	pkl_out_endpoint(text_start(&t), 6, longest, 65535);
	assert_string_equal(text_end(&t), "[ffff:abcd:1234:5678:9abc:def0:fed:cba9]:65535");
}

/* A fixed buffer keeps the start of what did not fit, as when every
 * writer went through pkl_out_mem. */
static void
test_fixed_truncates(void **state)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x42 };
	char buf[8];
	struct pkl_out o;

	(void)state;
	pkl_out_init_fixed(&o, buf, sizeof buf);
	pkl_out_str(&o, "ab");
	pkl_out_u64(&o, 123456789);
	pkl_out_finish_fixed(&o);
	assert_string_equal(buf, "ab12345");
	pkl_out_init_fixed(&o, buf, sizeof buf);
	pkl_out_endpoint(&o, 6, v6, 443);
	pkl_out_finish_fixed(&o);
	assert_string_equal(buf, "[2001:d");
	pkl_out_init_fixed(&o, buf, sizeof buf);
	pkl_out_seconds(&o, 1234, 5);
	pkl_out_finish_fixed(&o);
	assert_string_equal(buf, "1234.00");
}

/* A stream buffer so small that writers often find no room for their
 * longest text: the bytes written are still all there, in order. */
static void
test_stream_small_buffer(void **state)
{
	static const uint8_t v4[4] = { 10, 77, 1, 2 };
	static const uint8_t v6[16] = { 0xfd, 0x77, [15] = 2 };
	const char *want = "18446744073709551615 [fd77::2]:80 10.77.1.2:8080 12.000345 "
			   "10.77.1.2 fd77::2 52:54:00:12:34:56 007\n";
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	char buf[12], got[256];
	struct pkl_out o;
	FILE *f = tmpfile();

	(void)state;
	assert_non_null(f);
	pkl_out_init_fd(&o, fileno(f), buf, sizeof buf);
	pkl_out_u64(&o, UINT64_MAX);
	pkl_out_char(&o, ' ');
	pkl_out_endpoint(&o, 6, v6, 80);
	pkl_out_char(&o, ' ');
	pkl_out_endpoint(&o, 4, v4, 8080);
	pkl_out_char(&o, ' ');
	pkl_out_seconds(&o, 12, 345);
	pkl_out_char(&o, ' ');
	pkl_out_ipv4(&o, v4);
	pkl_out_char(&o, ' ');
	pkl_out_ipv6(&o, v6);
	pkl_out_char(&o, ' ');
	pkl_out_mac(&o, mac);
	pkl_out_char(&o, ' ');
	pkl_out_u64_width(&o, 7, 3);
	pkl_out_char(&o, '\n');
	assert_int_equal(pkl_out_flush(&o), 0);
	rewind(f);
	size_t n = fread(got, 1, sizeof got - 1, f);
	got[n] = '\0';
	fclose(f);
	assert_string_equal(got, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_i64),
		cmocka_unit_test(test_width_every_value),
		cmocka_unit_test(test_width_long),
		cmocka_unit_test(test_seconds_and_ms),
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6_zero_runs),
		cmocka_unit_test(test_ipv6_embedded_ipv4),
		cmocka_unit_test(test_ipv6_random),
		cmocka_unit_test(test_mac_and_endpoint),
		cmocka_unit_test(test_fixed_truncates),
		cmocka_unit_test(test_stream_small_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
