/* The borrowed address: which addresses are tried, in which order, and
 * the ARP rules that check one free and then hold it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/craft/borrow.h"

static struct pkl_addr
A(const char *text)
{
	struct pkl_addr a;

	assert_int_equal(pkl_addr_parse(text, &a), 0);
	return a;
}

static void
assert_addr(const struct pkl_addr *a, const char *text)
{
	char buf[PKL_ADDR_TEXT];

	pkl_addr_format(a, buf, sizeof buf);
	assert_string_equal(buf, text);
}

static void
test_candidates_from_the_top(void **state)
{
	(void)state;
	struct pkl_route_ifaddr net = { .ifindex = 2, .addr = A("192.168.1.5"), .prefix_len = 24 };
	const struct pkl_addr taken[] = { A("192.168.1.5"), A("192.168.1.249"), A("10.0.0.1") };
	struct pkl_addr out[300];
	char errbuf[PKL_ERRBUF_SIZE];

	int n = pkl_borrow_candidates(&net, "eth0", taken, 3, out, 3, errbuf);
	assert_int_equal(n, 3);
	assert_addr(&out[0], "192.168.1.250");
	assert_addr(&out[1], "192.168.1.248");   /* .249 is taken */
	assert_addr(&out[2], "192.168.1.247");
	/* All of them: 254 hosts less the two taken, .0 and .255 never. */
	n = pkl_borrow_candidates(&net, "eth0", taken, 3, out, 300, errbuf);
	assert_int_equal(n, 252);
	assert_addr(&out[247], "192.168.1.1");   /* .249 and .5 left out */
	assert_addr(&out[248], "192.168.1.254");
	assert_addr(&out[251], "192.168.1.251");
	/* A /30 has two hosts. */
	struct pkl_route_ifaddr small = { .addr = A("10.9.0.1"), .prefix_len = 30 };
	n = pkl_borrow_candidates(&small, "wg0", taken, 0, out, 300, errbuf);
	assert_int_equal(n, 2);
	assert_addr(&out[0], "10.9.0.2");
	assert_addr(&out[1], "10.9.0.1");
	const struct pkl_addr both[] = { A("10.9.0.1"), A("10.9.0.2") };
	assert_int_equal(pkl_borrow_candidates(&small, "wg0", both, 2, out, 300, errbuf), -1);
	assert_non_null(strstr(errbuf, "every address of wg0's subnet 10.9.0.0/30 is taken"));
}

static void
test_point_to_point_refused(void **state)
{
	(void)state;
	struct pkl_route_ifaddr p2p = { .addr = A("10.9.0.1"), .prefix_len = 32 };
	struct pkl_addr out[4];
	char errbuf[PKL_ERRBUF_SIZE];

	assert_int_equal(pkl_borrow_candidates(&p2p, "ppp0", NULL, 0, out, 4, errbuf), -1);
	assert_non_null(strstr(errbuf, "ppp0 (10.9.0.1/32) is a point-to-point link"));
	p2p.prefix_len = 31;
	assert_int_equal(pkl_borrow_candidates(&p2p, "ppp0", NULL, 0, out, 4, errbuf), -1);
}

static const uint8_t own[6] = { 0x52, 0x54, 0, 0, 0, 1 };
static const uint8_t other[6] = { 0x52, 0x54, 0, 0, 0, 2 };
static const uint8_t addr[4] = { 192, 168, 1, 250 };

static struct pkl_arp
arp(enum pkl_arp_kind kind, const uint8_t sha[6], const char *spa, const char *tpa)
{
	struct pkl_arp a = { .addrs_decoded = true, .kind = kind };
	struct pkl_addr s = A(spa), t = A(tpa);

	memcpy(a.sha, sha, 6);
	memcpy(a.spa, s.v4, 4);
	memcpy(a.tpa, t.v4, 4);
	return a;
}

static void
test_conflict(void **state)
{
	(void)state;
	/* Someone answers for it, announces it, or sends from it. */
	struct pkl_arp a = arp(PKL_ARP_REPLY, other, "192.168.1.250", "0.0.0.0");
	assert_true(pkl_borrow_conflict(&a, own, addr));
	a = arp(PKL_ARP_REQUEST, other, "192.168.1.250", "192.168.1.1");
	assert_true(pkl_borrow_conflict(&a, own, addr));
	/* Someone probes for it too. */
	a = arp(PKL_ARP_PROBE, other, "0.0.0.0", "192.168.1.250");
	assert_true(pkl_borrow_conflict(&a, own, addr));
	/* Our own probe, heard back; someone asking for it; another address. */
	a = arp(PKL_ARP_PROBE, own, "0.0.0.0", "192.168.1.250");
	assert_false(pkl_borrow_conflict(&a, own, addr));
	a = arp(PKL_ARP_REQUEST, other, "192.168.1.2", "192.168.1.250");
	assert_false(pkl_borrow_conflict(&a, own, addr));
	a = arp(PKL_ARP_REPLY, other, "192.168.1.251", "192.168.1.5");
	assert_false(pkl_borrow_conflict(&a, own, addr));
}

static void
test_answer(void **state)
{
	(void)state;
	struct pkl_frame_arp reply;
	struct pkl_arp a = arp(PKL_ARP_REQUEST, other, "192.168.1.2", "192.168.1.250");

	assert_true(pkl_borrow_answer(&a, own, addr, &reply));
	assert_int_equal(reply.kind, PKL_ARP_REPLY);
	assert_memory_equal(reply.sender_mac, own, 6);
	assert_memory_equal(reply.sender_ip, addr, 4);
	assert_memory_equal(reply.target_mac, other, 6);
	assert_memory_equal(reply.target_ip, A("192.168.1.2").v4, 4);
	/* Not: another address asked, a reply, our own request, garbage. */
	a = arp(PKL_ARP_REQUEST, other, "192.168.1.2", "192.168.1.251");
	assert_false(pkl_borrow_answer(&a, own, addr, &reply));
	a = arp(PKL_ARP_REPLY, other, "192.168.1.2", "192.168.1.250");
	assert_false(pkl_borrow_answer(&a, own, addr, &reply));
	a = arp(PKL_ARP_REQUEST, own, "192.168.1.250", "192.168.1.2");
	assert_false(pkl_borrow_answer(&a, own, addr, &reply));
	a.addrs_decoded = false;
	assert_false(pkl_borrow_answer(&a, own, addr, &reply));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_candidates_from_the_top),
		cmocka_unit_test(test_point_to_point_refused),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_answer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
