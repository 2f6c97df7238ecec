/* Subnet arithmetic (src/subnet.h): the worked example of the course,
 * the edges (/0, /31, /32, /127, /128), the host counts up to 2^128,
 * the classes and ranges, the peer test, and every refusal's sentence.
 * tests/subnet.py compares the command with Python's ipaddress. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/subnet.h"

static struct pkl_subnet
S(const char *text)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_addr a;
	unsigned prefix;
	struct pkl_subnet s;

	assert_int_equal(pkl_subnet_parse(text, &a, &prefix, errbuf), 0);
	pkl_subnet_compute(&a, prefix, &s);
	return s;
}

static const char *
text(const struct pkl_addr *a)
{
	static char buf[4][PKL_ADDR_TEXT];
	static int next;
	char *b = buf[next++ % 4];

	pkl_addr_format(a, b, PKL_ADDR_TEXT);
	return b;
}

static const char *
hosts(const struct pkl_subnet *s)
{
	static char buf[PKL_SUBNET_HOSTS_TEXT];

	pkl_subnet_hosts_text(s, buf, sizeof buf);
	return buf;
}

static const char *
refusal(const char *input)
{
	static char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_addr a;
	unsigned prefix;

	assert_int_equal(pkl_subnet_parse(input, &a, &prefix, errbuf), -1);
	return errbuf;
}

static void
test_course_example(void **state)
{
	(void)state;
	struct pkl_subnet s = S("192.168.12.87/24");
	struct pkl_addr peer;

	assert_int_equal(s.prefix, 24);
	assert_string_equal(text(&s.mask), "255.255.255.0");
	assert_string_equal(text(&s.wildcard), "0.0.0.255");
	assert_string_equal(text(&s.network), "192.168.12.0");
	assert_true(s.has_broadcast);
	assert_string_equal(text(&s.last), "192.168.12.255");
	assert_string_equal(text(&s.first_host), "192.168.12.1");
	assert_string_equal(text(&s.last_host), "192.168.12.254");
	assert_string_equal(hosts(&s), "254");
	assert_int_equal(s.class, 'C');
	assert_int_equal(s.range, PKL_RANGE_PRIVATE);
	assert_int_equal(pkl_addr_parse("192.168.12.7", &peer), 0);
	assert_true(pkl_subnet_holds(&s, &peer));
	assert_int_equal(pkl_addr_parse("192.168.13.7", &peer), 0);
	assert_false(pkl_subnet_holds(&s, &peer));
}

static void
test_netmask_form(void **state)
{
	(void)state;
	struct pkl_subnet s = S("172.16.5.4/255.255.240.0");

	assert_int_equal(s.prefix, 20);
	assert_string_equal(text(&s.network), "172.16.0.0");
	assert_string_equal(text(&s.last), "172.16.15.255");
	assert_int_equal(S("1.2.3.4/0.0.0.0").prefix, 0);
	assert_int_equal(S("1.2.3.4/0024").prefix, 24);
	assert_int_equal(S("1.2.3.4").prefix, 32);
	assert_int_equal(S("::1").prefix, 128);
}

static void
test_edges(void **state)
{
	(void)state;
	struct pkl_subnet s = S("10.0.0.1/31");

	assert_false(s.has_broadcast);          /* RFC 3021 */
	assert_string_equal(text(&s.first_host), "10.0.0.0");
	assert_string_equal(text(&s.last_host), "10.0.0.1");
	assert_string_equal(hosts(&s), "2");
	s = S("10.0.0.1/32");
	assert_false(s.has_broadcast);
	assert_string_equal(text(&s.first_host), "10.0.0.1");
	assert_string_equal(hosts(&s), "1");
	s = S("0.0.0.0/0");
	assert_string_equal(text(&s.last_host), "255.255.255.254");
	assert_string_equal(hosts(&s), "4294967294");
	s = S("::/0");
	assert_string_equal(hosts(&s), "340282366920938463463374607431768211455");
	assert_string_equal(text(&s.last_host), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	s = S("2001:db8::1/64");
	assert_false(s.has_broadcast);
	assert_string_equal(text(&s.first_host), "2001:db8::1");
	assert_string_equal(text(&s.last_host), "2001:db8::ffff:ffff:ffff:ffff");
	assert_string_equal(hosts(&s), "18446744073709551615");
	s = S("2001:db8::1/127");
	assert_string_equal(hosts(&s), "2");
	s = S("2001:db8::1/128");
	assert_string_equal(hosts(&s), "1");
}

static void
test_classes_and_ranges(void **state)
{
	(void)state;
	static const struct {
		const char *addr;
		char class;
		enum pkl_subnet_range range;
	} cases[] = {
		{ "0.1.2.3", 'A', PKL_RANGE_THIS_NETWORK }, { "10.9.8.7", 'A', PKL_RANGE_PRIVATE },
		{ "127.0.0.1", 'A', PKL_RANGE_LOOPBACK }, { "100.127.255.255", 'A', PKL_RANGE_CGNAT },
		{ "100.128.0.0", 'A', PKL_RANGE_PUBLIC }, { "172.31.0.1", 'B', PKL_RANGE_PRIVATE },
		{ "172.32.0.1", 'B', PKL_RANGE_PUBLIC }, { "169.254.9.9", 'B', PKL_RANGE_LINK_LOCAL },
		{ "192.0.2.1", 'C', PKL_RANGE_DOCUMENTATION }, { "198.19.1.1", 'C', PKL_RANGE_BENCHMARKING },
		{ "224.0.0.251", 'D', PKL_RANGE_MULTICAST }, { "240.0.0.1", 'E', PKL_RANGE_RESERVED },
		{ "255.255.255.255", 'E', PKL_RANGE_BROADCAST }, { "8.8.8.8", 'A', PKL_RANGE_PUBLIC },
		{ "::", 0, PKL_RANGE_UNSPECIFIED }, { "::1", 0, PKL_RANGE_LOOPBACK },
		{ "fe80::1", 0, PKL_RANGE_LINK_LOCAL }, { "fd00::1", 0, PKL_RANGE_ULA },
		{ "ff02::1", 0, PKL_RANGE_MULTICAST }, { "2001:db8::1", 0, PKL_RANGE_DOCUMENTATION },
		{ "2a00::1", 0, PKL_RANGE_PUBLIC }, { "4000::1", 0, PKL_RANGE_RESERVED },
		{ "::ffff:1.2.3.4", 0, PKL_RANGE_IPV4_MAPPED },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pkl_subnet s = S(cases[i].addr);
		if (s.class != cases[i].class || s.range != cases[i].range)
			fail_msg("%s: class %c range %s", cases[i].addr, s.class ? s.class : '-',
				 pkl_subnet_range_name(s.range));
	}
}

static void
test_refusals(void **state)
{
	(void)state;
	assert_string_equal(refusal("1.2.3/8"),
			    "'1.2.3' is not an IPv4 or IPv6 address (192.168.12.87, 2001:db8::1)");
	assert_string_equal(refusal("1.2.3.4/33"), "'33' after the '/' is not a prefix length "
			    "from 0 to 32 nor a netmask such as 255.255.255.0");
	assert_string_equal(refusal("::1/129"),
			    "'129' after the '/' is not a prefix length from 0 to 128");
	assert_string_equal(refusal("1.2.3.4/"), "'' after the '/' is not a prefix length "
			    "from 0 to 32 nor a netmask such as 255.255.255.0");
	assert_string_equal(refusal("1.2.3.4/255.0.255.0"), "255.0.255.0 is not a netmask: its "
			    "ones must come first, all together (255.255.240.0)");
	refusal("1.2.3.4/-1");
	refusal("1.2.3.4/99999999999999999999");
	refusal("");
	refusal("1.2.3.4/24/1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_course_example),
		cmocka_unit_test(test_netmask_form),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_classes_and_ranges),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
