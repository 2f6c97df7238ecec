/* The route decision without a kernel: the longest-prefix choice, the
 * decision from a table and a kernel answer written here, its sentences
 * word for word, its JSON record, and every refusal.  Also the address
 * helpers and the neighbour states. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "../../src/craft/neigh.h"
#include "../../src/craft/route.h"

static struct pkl_addr
A(const char *text)
{
	struct pkl_addr a;

	assert_int_equal(pkl_addr_parse(text, &a), 0);
	return a;
}

static struct pkl_route_entry
R(const char *prefix, unsigned len, const char *gateway, int oif, uint32_t metric)
{
	struct pkl_route_entry r = { .dst = A(prefix), .prefix_len = len, .oif = oif,
				     .metric = metric, .type = RTN_UNICAST };

	if (gateway) {
		r.has_gateway = true;
		r.gateway = A(gateway);
	}
	return r;
}

/* ---- pkl_route_choose -------------------------------------------------- */

/* The index of the chosen route, -1 for none. */
static long
choose(const struct pkl_route_entry *routes, size_t n, const char *dst, int oif)
{
	struct pkl_addr a = A(dst);
	const struct pkl_route_entry *r = pkl_route_choose(routes, n, &a, oif);

	return r ? r - routes : -1;
}

static void
test_choose_longest_prefix(void **state)
{
	(void)state;
	const struct pkl_route_entry routes[] = {
		R("0.0.0.0", 0, "192.168.1.1", 2, 0),        /* 0 */
		R("10.0.0.0", 8, "192.168.1.2", 2, 0),       /* 1 */
		R("10.1.0.0", 16, "192.168.1.3", 2, 0),      /* 2 */
		R("10.1.2.0", 24, NULL, 3, 0),               /* 3 */
		R("10.1.2.3", 32, "192.168.1.4", 2, 0),      /* 4 */
		R("192.168.1.0", 24, NULL, 2, 0),            /* 5 */
	};
	size_t n = sizeof routes / sizeof routes[0];

	assert_int_equal(choose(routes, n, "8.8.8.8", 0), 0);         /* only /0 holds it */
	assert_int_equal(choose(routes, n, "10.200.0.1", 0), 1);
	assert_int_equal(choose(routes, n, "10.1.200.1", 0), 2);
	assert_int_equal(choose(routes, n, "10.1.2.4", 0), 3);
	assert_int_equal(choose(routes, n, "10.1.2.3", 0), 4);        /* the /32 beats the /24 */
	assert_int_equal(choose(routes, n, "192.168.1.20", 0), 5);
	/* Through one interface: only its routes count. */
	assert_int_equal(choose(routes, n, "10.1.2.3", 3), 3);
	assert_int_equal(choose(routes, n, "8.8.8.8", 3), -1);
	/* The order of the list does not matter. */
	const struct pkl_route_entry reversed[] = { routes[5], routes[4], routes[3], routes[2],
						    routes[1], routes[0] };
	assert_int_equal(choose(reversed, n, "10.1.2.3", 0), 1);
	assert_int_equal(choose(reversed, n, "8.8.8.8", 0), 5);
}

static void
test_choose_without_default(void **state)
{
	(void)state;
	const struct pkl_route_entry routes[] = { R("192.168.1.0", 24, NULL, 2, 0) };

	assert_int_equal(choose(routes, 1, "192.168.2.1", 0), -1);
	assert_int_equal(choose(routes, 0, "192.168.1.1", 0), -1);
	/* A prefix's own first and last addresses are in it. */
	assert_int_equal(choose(routes, 1, "192.168.1.0", 0), 0);
	assert_int_equal(choose(routes, 1, "192.168.1.255", 0), 0);
}

static void
test_choose_31_and_32(void **state)
{
	(void)state;
	const struct pkl_route_entry routes[] = {
		R("0.0.0.0", 0, "10.0.0.1", 2, 0),
		R("10.9.9.0", 31, NULL, 4, 0),     /* a point-to-point /31: both addresses hosts */
		R("10.9.9.2", 32, NULL, 5, 0),     /* a host route */
	};

	assert_int_equal(choose(routes, 3, "10.9.9.0", 0), 1);
	assert_int_equal(choose(routes, 3, "10.9.9.1", 0), 1);
	assert_int_equal(choose(routes, 3, "10.9.9.2", 0), 2);
	assert_int_equal(choose(routes, 3, "10.9.9.3", 0), 0);
}

static void
test_choose_metric(void **state)
{
	(void)state;
	const struct pkl_route_entry routes[] = {
		R("0.0.0.0", 0, "192.168.1.1", 2, 600),
		R("0.0.0.0", 0, "10.0.0.1", 3, 100),       /* the lower metric wins */
		R("0.0.0.0", 0, "172.16.0.1", 4, 100),     /* a tie: the first listed */
		R("10.0.0.0", 8, "10.0.0.254", 3, 9000),   /* a longer prefix beats any metric */
	};

	assert_int_equal(choose(routes, 4, "8.8.8.8", 0), 1);
	assert_int_equal(choose(routes, 4, "10.1.1.1", 0), 3);
	assert_int_equal(choose(routes, 4, "8.8.8.8", 2), 0);
	assert_int_equal(choose(routes, 4, "8.8.8.8", 4), 2);
}

static void
test_choose_ipv6(void **state)
{
	(void)state;
	const struct pkl_route_entry routes[] = {
		R("::", 0, "fe80::1", 2, 1024),
		R("2001:db8::", 32, "fe80::2", 2, 1024),
		R("2001:db8:1::", 48, NULL, 3, 256),
		R("2001:db8:1::9", 128, NULL, 4, 256),
		R("fd00::", 64, NULL, 2, 256),
		R("fd00::", 64, NULL, 3, 100),
		R("2001:db8:8000::", 33, "fe80::3", 2, 1024),   /* not on a byte boundary */
	};
	size_t n = sizeof routes / sizeof routes[0];

	assert_int_equal(choose(routes, n, "2606:4700::1111", 0), 0);
	assert_int_equal(choose(routes, n, "2001:db8:2::1", 0), 1);
	assert_int_equal(choose(routes, n, "2001:db8:1::1", 0), 2);
	assert_int_equal(choose(routes, n, "2001:db8:1::9", 0), 3);
	assert_int_equal(choose(routes, n, "fd00::2", 0), 5);
	assert_int_equal(choose(routes, n, "2001:db8:8000::1", 0), 6);
	assert_int_equal(choose(routes, n, "2001:db8:7fff::1", 0), 1);
	/* An IPv4 destination matches no IPv6 route, not even ::/0. */
	assert_int_equal(choose(routes, n, "10.0.0.1", 0), -1);
}

/* ---- The decision ------------------------------------------------------ */

enum { LO = 1, ETH0 = 2, ETH1 = 3, ETH2 = 4, ETH3 = 5, ETH4 = 6 };

static struct pkl_route_link links[] = {
	{ .index = LO, .name = "lo", .mtu = 65536, .up = true, .loopback = true },
	{ .index = ETH0, .name = "eth0", .mac = { 0x52, 0x54, 0, 0xaa, 0, 1 }, .mtu = 1500, .up = true },
	{ .index = ETH1, .name = "eth1", .mac = { 0x52, 0x54, 0, 0xaa, 0, 2 }, .mtu = 1500, .up = true },
	{ .index = ETH2, .name = "eth2", .mac = { 0x52, 0x54, 0, 0xaa, 0, 3 }, .mtu = 9000, .up = true },
	{ .index = ETH3, .name = "eth3", .mac = { 0x52, 0x54, 0, 0xaa, 0, 4 }, .mtu = 1500, .up = true },
	{ .index = ETH4, .name = "eth4", .mac = { 0x52, 0x54, 0, 0xaa, 0, 5 }, .mtu = 1500, .up = false },
};

static struct pkl_route_ifaddr addrs[16];
static struct pkl_route_entry routes[16];
static struct pkl_route_table table;

static void
add_addr(int ifindex, const char *addr, unsigned len)
{
	addrs[table.n_addrs++] = (struct pkl_route_ifaddr){ ifindex, A(addr), len };
}

/* The host the decisions are made on:
 *   lo    127.0.0.1/8, ::1/128
 *   eth0  192.168.1.5/24, fd00::5/64, fe80::5/64
 *         routes 192.168.1.0/24, 10.9.0.0/16 on-link (no address of eth0 there),
 *         192.168.1.128/25 via 192.168.1.1, default via 192.168.1.1 metric 100,
 *         fd00::/64, ::/0 via fe80::1
 *   eth1  10.0.0.2/24, route 10.0.0.0/24, default via 10.0.0.1 metric 600
 *   eth2  10.1.1.0/31 (point-to-point), route 10.1.1.0/31
 *   eth3  fd01::3/64 only: no IPv4 address
 *   eth4  down */
static int
setup(void **state)
{
	(void)state;
	table = (struct pkl_route_table){ .links = links, .n_links = sizeof links / sizeof links[0],
					  .addrs = addrs, .routes = routes };
	add_addr(LO, "127.0.0.1", 8);
	add_addr(LO, "::1", 128);
	add_addr(ETH0, "192.168.1.5", 24);
	add_addr(ETH0, "fd00::5", 64);
	add_addr(ETH0, "fe80::5", 64);
	add_addr(ETH1, "10.0.0.2", 24);
	add_addr(ETH2, "10.1.1.0", 31);
	add_addr(ETH3, "fd01::3", 64);
	add_addr(ETH4, "172.16.0.2", 24);
	const struct pkl_route_entry main_table[] = {
		R("192.168.1.0", 24, NULL, ETH0, 0),
		R("10.9.0.0", 16, NULL, ETH0, 0),
		R("192.168.1.128", 25, "192.168.1.1", ETH0, 0),
		R("0.0.0.0", 0, "192.168.1.1", ETH0, 100),
		R("10.0.0.0", 24, NULL, ETH1, 0),
		R("0.0.0.0", 0, "10.0.0.1", ETH1, 600),
		R("10.1.1.0", 31, NULL, ETH2, 0),
		R("fd00::", 64, NULL, ETH0, 256),
		R("::", 0, "fe80::1", ETH0, 1024),
	};
	memcpy(routes, main_table, sizeof main_table);
	table.n_routes = sizeof main_table / sizeof main_table[0];
	return 0;
}

/* The kernel's answers. */
static struct pkl_route_kernel
kernel(uint8_t type, int oif, const char *source, const char *gateway)
{
	struct pkl_route_kernel k = { .type = type, .oif = oif, .has_source = true,
				      .source = A(source) };

	if (gateway) {
		k.has_gateway = true;
		k.gateway = A(gateway);
	}
	return k;
}

static struct pkl_route_kernel
unicast(int oif, const char *source, const char *gateway)
{
	return kernel(RTN_UNICAST, oif, source, gateway);
}

static struct pkl_route_kernel
kernel_refuses(int error)
{
	return (struct pkl_route_kernel){ .error = error };
}

static struct pkl_route_decision decision;
static char errbuf[PKL_ERRBUF_SIZE];

/* Decide, expecting success; returns the explanation. */
static const char *
decide_as(const char *dst, const char *iface, const char *source, bool broadcast,
	  struct pkl_route_kernel k)
{
	static char text[PKL_ROUTE_TEXT];
	struct pkl_addr src = source ? A(source) : (struct pkl_addr){ 0 };
	struct pkl_route_request req = { .dst = A(dst), .interface = iface,
					 .source = source ? &src : NULL,
					 .allow_broadcast = broadcast };

	errbuf[0] = '\0';
	if (pkl_route_decide_from(&table, &k, &req, &decision, errbuf) < 0)
		fail_msg("%s refused: %s", dst, errbuf);
	assert_int_equal(decision.refusal, PKL_ROUTE_REFUSAL_NONE);
	pkl_route_explain(&decision, text, sizeof text);
	return text;
}

static const char *
decide(const char *dst, struct pkl_route_kernel k)
{
	return decide_as(dst, NULL, NULL, false, k);
}

static void
assert_addr(const struct pkl_addr *a, const char *text)
{
	char buf[PKL_ADDR_TEXT];

	pkl_addr_format(a, buf, sizeof buf);
	assert_string_equal(buf, text);
}

static void
test_on_link(void **state)
{
	(void)state;
	assert_string_equal(decide("192.168.1.20", unicast(ETH0, "192.168.1.5", NULL)),
			    "192.168.1.20 AND 255.255.255.0 = 192.168.1.0, the network of eth0 "
			    "(192.168.1.5/24): on-link, ARP for 192.168.1.20 itself");
	assert_int_equal(decision.link.index, ETH0);
	assert_string_equal(decision.link.name, "eth0");
	assert_int_equal(decision.link.mtu, 1500);
	assert_memory_equal(decision.link.mac, links[1].mac, 6);
	assert_true(decision.on_link);
	assert_addr(&decision.next_hop, "192.168.1.20");
	assert_addr(&decision.source, "192.168.1.5");
	assert_true(decision.source_own);
	assert_false(decision.source_given);
	assert_true(decision.has_ifaddr);
	assert_addr(&decision.ifaddr.addr, "192.168.1.5");
	assert_int_equal(decision.ifaddr.prefix_len, 24);
	assert_true(decision.has_route);
	assert_addr(&decision.route.dst, "192.168.1.0");
	assert_int_equal(decision.route.prefix_len, 24);
	assert_int_equal(decision.why, PKL_ROUTE_WHY_ON_LINK);
	assert_int_equal(decision.target, PKL_ROUTE_TARGET_HOST);
}

static void
test_via_gateway(void **state)
{
	(void)state;
	assert_string_equal(decide("8.8.8.8", unicast(ETH0, "192.168.1.5", "192.168.1.1")),
			    "8.8.8.8 is on none of eth0's networks; route 0.0.0.0/0 via 192.168.1.1: "
			    "ARP for the gateway, not for 8.8.8.8");
	assert_false(decision.on_link);
	assert_addr(&decision.next_hop, "192.168.1.1");
	assert_true(decision.has_route);
	assert_int_equal(decision.route.prefix_len, 0);
	assert_int_equal(decision.route.metric, 100);     /* eth0's default, not eth1's */
	assert_addr(&decision.route.gateway, "192.168.1.1");
	assert_false(decision.has_ifaddr);
}

static void
test_longer_gateway_route(void **state)
{
	(void)state;
	assert_string_equal(decide("192.168.1.200", unicast(ETH0, "192.168.1.5", "192.168.1.1")),
			    "192.168.1.200 AND 255.255.255.0 = 192.168.1.0, the network of eth0 "
			    "(192.168.1.5/24), but the longer route 192.168.1.128/25 via 192.168.1.1 "
			    "wins: ARP for the gateway, not for 192.168.1.200");
	assert_int_equal(decision.route.prefix_len, 25);
}

static void
test_on_link_by_route(void **state)
{
	(void)state;
	assert_string_equal(decide("10.9.3.4", unicast(ETH0, "192.168.1.5", NULL)),
			    "10.9.3.4 is on none of eth0's networks, but route 10.9.0.0/16 puts it "
			    "on-link on eth0: ARP for 10.9.3.4 itself");
	assert_true(decision.on_link);
	assert_false(decision.has_ifaddr);
}

static void
test_31(void **state)
{
	(void)state;
	/* Both ends of a /31 are hosts: no network, no broadcast address. */
	assert_string_equal(decide("10.1.1.1", unicast(ETH2, "10.1.1.0", NULL)),
			    "10.1.1.1 AND 255.255.255.254 = 10.1.1.0, the network of eth2 "
			    "(10.1.1.0/31): on-link, ARP for 10.1.1.1 itself");
	assert_int_equal(decision.target, PKL_ROUTE_TARGET_HOST);
	assert_int_equal(decision.link.mtu, 9000);
}

static void
test_local_and_loopback(void **state)
{
	(void)state;
	assert_string_equal(decide("127.0.0.1", kernel(RTN_LOCAL, LO, "127.0.0.1", NULL)),
			    "127.0.0.1 is an address of this host: the kernel sends it through lo; "
			    "lo has no ARP: frames carry the zero MACs");
	assert_true(decision.link.loopback);
	assert_true(decision.on_link);
	/* The host's own address on eth0 goes through lo too. */
	assert_string_equal(decide("192.168.1.5", kernel(RTN_LOCAL, LO, "192.168.1.5", NULL)),
			    "192.168.1.5 is an address of this host: the kernel sends it through lo; "
			    "lo has no ARP: frames carry the zero MACs");
	assert_int_equal(decision.link.index, LO);
	assert_false(decision.source_own);     /* eth0's, not lo's */
	/* Sent to lo as asked. */
	assert_string_equal(decide_as("10.7.7.7", "lo", NULL, false, unicast(LO, "127.0.0.1", NULL)),
			    "the kernel sends 10.7.7.7 through lo; lo has no ARP: frames carry the "
			    "zero MACs");
}

static void
test_ipv6(void **state)
{
	(void)state;
	assert_string_equal(decide("fd00::2", unicast(ETH0, "fd00::5", NULL)),
			    "fd00::2 AND ffff:ffff:ffff:ffff:: = fd00::, the network of eth0 "
			    "(fd00::5/64): on-link, neighbour solicitation for fd00::2 itself");
	assert_string_equal(decide("2001:db8::1", unicast(ETH0, "fd00::5", "fe80::1")),
			    "2001:db8::1 is on none of eth0's networks; route ::/0 via fe80::1: "
			    "neighbour solicitation for the gateway, not for 2001:db8::1");
	assert_addr(&decision.next_hop, "fe80::1");
	assert_addr(&decision.source, "fd00::5");
	assert_string_equal(decide("::1", kernel(RTN_LOCAL, LO, "::1", NULL)),
			    "::1 is an address of this host: the kernel sends it through lo; lo has "
			    "no neighbour solicitation: frames carry the zero MACs");
}

/* When the kernel says something else than the main table (a rule, another
 * table), the kernel is followed and only its answer is told. */
static void
test_kernel_wins(void **state)
{
	(void)state;
	assert_string_equal(decide("8.8.8.8", unicast(ETH1, "10.0.0.2", "10.0.0.1")),
			    "the kernel sends 8.8.8.8 out of eth1 via 10.0.0.1: ARP for the gateway, "
			    "not for 8.8.8.8");
	assert_int_equal(decision.link.index, ETH1);
	assert_addr(&decision.source, "10.0.0.2");
	assert_addr(&decision.next_hop, "10.0.0.1");
	assert_false(decision.has_route);
	assert_string_equal(decide("8.8.4.4", unicast(ETH0, "192.168.1.5", NULL)),
			    "the kernel sends 8.8.4.4 out of eth0, on-link: ARP for 8.8.4.4 itself");
	assert_true(decision.on_link);
	/* The same gateway by another interface is a disagreement too. */
	assert_string_equal(decide("1.1.1.1", unicast(ETH1, "10.0.0.2", "192.168.1.1")),
			    "the kernel sends 1.1.1.1 out of eth1 via 192.168.1.1: ARP for the "
			    "gateway, not for 1.1.1.1");
}

static void
test_asked_interface(void **state)
{
	(void)state;
	/* eth1's own default route. */
	assert_string_equal(decide_as("8.8.8.8", "eth1", NULL, false,
				      unicast(ETH1, "10.0.0.2", "10.0.0.1")),
			    "8.8.8.8 is on none of eth1's networks; route 0.0.0.0/0 via 10.0.0.1: "
			    "ARP for the gateway, not for 8.8.8.8");
	assert_int_equal(decision.route.metric, 600);
	/* No route leaves eth2 for it: the kernel takes it as on-link. */
	assert_string_equal(decide_as("8.8.8.8", "eth2", NULL, false, unicast(ETH2, "10.1.1.0", NULL)),
			    "8.8.8.8 is on none of eth2's networks and no route leads there, but eth2 "
			    "was asked for, so the kernel takes 8.8.8.8 as on-link: ARP for 8.8.8.8 "
			    "itself");
	assert_int_equal(decision.link.index, ETH2);
	assert_addr(&decision.next_hop, "8.8.8.8");
	/* The host's own address through eth0 (the kernel would use lo):
	 * eth0, as asked. */
	assert_string_equal(decide_as("192.168.1.5", "eth0", NULL, false,
				      kernel(RTN_LOCAL, LO, "192.168.1.5", NULL)),
			    "192.168.1.5 AND 255.255.255.0 = 192.168.1.0, the network of eth0 "
			    "(192.168.1.5/24): on-link, ARP for 192.168.1.5 itself");
	assert_int_equal(decision.link.index, ETH0);
	assert_addr(&decision.source, "192.168.1.5");
}

static void
test_source_given(void **state)
{
	(void)state;
	decide_as("192.168.1.20", NULL, "192.168.1.99", false, unicast(ETH0, "192.168.1.5", NULL));
	assert_addr(&decision.source, "192.168.1.99");
	assert_true(decision.source_given);
	assert_false(decision.source_own);      /* needs real root to send */
	decide_as("192.168.1.20", NULL, "192.168.1.5", false, unicast(ETH0, "192.168.1.5", NULL));
	assert_true(decision.source_given);
	assert_true(decision.source_own);
}

static void
test_broadcast_allowed(void **state)
{
	(void)state;
	assert_string_equal(decide_as("192.168.1.255", NULL, NULL, true,
				      kernel(RTN_BROADCAST, ETH0, "192.168.1.5", NULL)),
			    "192.168.1.255 is a broadcast address: the frame goes to every host on "
			    "eth0 (ff:ff:ff:ff:ff:ff), no ARP");
	assert_int_equal(decision.target, PKL_ROUTE_TARGET_BROADCAST);
	assert_true(decision.on_link);
	assert_string_equal(decide_as("224.0.0.251", NULL, NULL, true,
				      kernel(RTN_MULTICAST, ETH0, "192.168.1.5", NULL)),
			    "224.0.0.251 is a multicast group: the frame goes to the group's MAC on "
			    "eth0, no ARP");
	assert_int_equal(decision.target, PKL_ROUTE_TARGET_MULTICAST);
	/* A network's first address, allowed, is sent as to a host. */
	assert_string_equal(decide_as("192.168.1.0", NULL, NULL, true,
				      unicast(ETH0, "192.168.1.5", NULL)),
			    "192.168.1.0 AND 255.255.255.0 = 192.168.1.0, the network of eth0 "
			    "(192.168.1.5/24): on-link, ARP for 192.168.1.0 itself");
	assert_int_equal(decision.target, PKL_ROUTE_TARGET_NETWORK);
}

static void
test_json(void **state)
{
	(void)state;
	char line[512];
	struct pkl_out o;
	struct pkl_json j;

	decide("8.8.8.8", unicast(ETH0, "192.168.1.5", "192.168.1.1"));
	pkl_out_init_fixed(&o, line, sizeof line);
	pkl_json_init(&j, &o);
	pkl_route_json(&j, &decision);
	pkl_out_finish_fixed(&o);
	assert_string_equal(line, "{\"kind\":\"route\",\"interface\":\"eth0\",\"source\":\"192.168.1.5\","
				  "\"next_hop\":\"192.168.1.1\",\"on_link\":false,\"gateway\":\"192.168.1.1\"}");
	decide("fd00::2", unicast(ETH0, "fd00::5", NULL));
	pkl_out_init_fixed(&o, line, sizeof line);
	pkl_json_init(&j, &o);
	pkl_route_json(&j, &decision);
	pkl_out_finish_fixed(&o);
	assert_string_equal(line, "{\"kind\":\"route\",\"interface\":\"eth0\",\"source\":\"fd00::5\","
				  "\"next_hop\":\"fd00::2\",\"on_link\":true,\"gateway\":null}");
}

/* ---- Refusals ---------------------------------------------------------- */

static void
refused(const char *dst, const char *iface, const char *source, struct pkl_route_kernel k,
	enum pkl_route_refusal refusal, const char *sentence)
{
	struct pkl_addr src = source ? A(source) : (struct pkl_addr){ 0 };
	struct pkl_route_request req = { .dst = A(dst), .interface = iface,
					 .source = source ? &src : NULL };

	errbuf[0] = '\0';
	assert_int_equal(pkl_route_decide_from(&table, &k, &req, &decision, errbuf), -1);
	assert_int_equal(decision.refusal, refusal);
	if (sentence)
		assert_string_equal(errbuf, sentence);
	else
		assert_true(strlen(errbuf) > 20);
}

static void
test_refusals(void **state)
{
	(void)state;
	const struct pkl_route_kernel via = unicast(ETH0, "192.168.1.5", "192.168.1.1");

	refused("8.8.8.8", "wlan7", NULL, via, PKL_ROUTE_REFUSAL_NO_INTERFACE,
		"there is no interface named wlan7: `ip link` lists them");
	refused("172.16.0.9", "eth4", NULL, via, PKL_ROUTE_REFUSAL_INTERFACE_DOWN,
		"eth4 is down: bring it up (ip link set eth4 up) or choose another interface");
	refused("8.8.8.8", "eth3", NULL, via, PKL_ROUTE_REFUSAL_NO_ADDRESS,
		"eth3 has no IPv4 address to send to 8.8.8.8 from: give it one (ip addr add "
		"ADDRESS/PREFIX dev eth3) or choose another interface");
	/* The kernel's route leads to an interface without an address. */
	refused("8.8.8.8", NULL, NULL, unicast(ETH3, "192.168.1.5", "192.168.1.1"),
		PKL_ROUTE_REFUSAL_NO_ADDRESS, NULL);
	refused("203.0.113.9", NULL, NULL, kernel_refuses(ENETUNREACH), PKL_ROUTE_REFUSAL_NO_ROUTE,
		"no route to host 203.0.113.9: no route of the kernel's leads there (ip route get "
		"203.0.113.9); add one, or name the interface to send on");
	refused("2001:db8::9", NULL, NULL, kernel_refuses(EHOSTUNREACH), PKL_ROUTE_REFUSAL_NO_ROUTE,
		NULL);
	/* An unreachable or blackhole route answered as a route. */
	refused("203.0.113.9", NULL, NULL, kernel(RTN_UNREACHABLE, 0, "0.0.0.0", NULL),
		PKL_ROUTE_REFUSAL_NO_ROUTE, NULL);
	refused("203.0.113.9", NULL, NULL, kernel(RTN_BLACKHOLE, 0, "0.0.0.0", NULL),
		PKL_ROUTE_REFUSAL_NO_ROUTE, NULL);
	refused("8.8.8.8", NULL, "fd00::5", via, PKL_ROUTE_REFUSAL_SOURCE_FAMILY,
		"the source fd00::5 is not an IPv4 address as 8.8.8.8 is: give a source of the same "
		"version");
}

static void
test_refused_targets(void **state)
{
	(void)state;
	const struct pkl_route_kernel on_eth0 = unicast(ETH0, "192.168.1.5", NULL);

	refused("0.0.0.0", NULL, NULL, on_eth0, PKL_ROUTE_REFUSAL_UNSPECIFIED,
		"0.0.0.0 is the unspecified address, not a host: pass --broadcast to send to it "
		"anyway");
	refused("::", NULL, NULL, on_eth0, PKL_ROUTE_REFUSAL_UNSPECIFIED, NULL);
	refused("224.0.0.1", NULL, NULL, on_eth0, PKL_ROUTE_REFUSAL_MULTICAST,
		"224.0.0.1 is a multicast group address, not a host: pass --broadcast to send to it "
		"anyway");
	refused("239.255.255.250", NULL, NULL, on_eth0, PKL_ROUTE_REFUSAL_MULTICAST, NULL);
	refused("ff02::1", NULL, NULL, on_eth0, PKL_ROUTE_REFUSAL_MULTICAST, NULL);
	refused("255.255.255.255", NULL, NULL, on_eth0, PKL_ROUTE_REFUSAL_BROADCAST,
		"255.255.255.255 is the broadcast address of every link, not a host: pass "
		"--broadcast to send to it anyway");
	refused("192.168.1.255", NULL, NULL, on_eth0, PKL_ROUTE_REFUSAL_SUBNET_BROADCAST,
		"192.168.1.255 is the broadcast address of eth0's network (192.168.1.5/24), not a "
		"host: pass --broadcast to send to it anyway");
	refused("192.168.1.0", NULL, NULL, on_eth0, PKL_ROUTE_REFUSAL_NETWORK,
		"192.168.1.0 is the network address of eth0's network (192.168.1.5/24), not a host: "
		"pass --broadcast to send to it anyway");
	refused("10.0.0.255", "eth0", NULL, on_eth0, PKL_ROUTE_REFUSAL_SUBNET_BROADCAST,
		"10.0.0.255 is the broadcast address of eth1's network (10.0.0.2/24), not a host: "
		"pass --broadcast to send to it anyway");
	/* Next to a refused address, hosts pass. */
	decide("192.168.1.254", on_eth0);
	decide("192.168.1.1", on_eth0);
	decide("223.255.255.255", unicast(ETH0, "192.168.1.5", "192.168.1.1"));
	decide("240.0.0.1", unicast(ETH0, "192.168.1.5", "192.168.1.1"));
}

/* ---- Addresses and neighbour states ------------------------------------ */

static void
test_addresses(void **state)
{
	(void)state;
	struct pkl_addr a, m;
	char buf[PKL_PREFIX_TEXT];

	assert_int_equal(pkl_addr_parse("1.2.3", &a), -1);
	assert_int_equal(pkl_addr_parse("256.1.1.1", &a), -1);
	assert_int_equal(pkl_addr_parse("fd00::1::2", &a), -1);
	assert_int_equal(pkl_addr_parse("", &a), -1);
	assert_int_equal(pkl_addr_parse("192.168.1.20", &a), 0);
	assert_int_equal(a.family, 4);
	assert_int_equal(pkl_addr_parse("FD00:0:0::0002", &a), 0);
	assert_int_equal(a.family, 6);
	assert_addr(&a, "fd00::2");
	a = A("::ffff:10.1.2.3");
	assert_addr(&a, "::ffff:10.1.2.3");

	a = A("10.20.30.40");
	m = pkl_addr_mask(4, 20);
	assert_addr(&m, "255.255.240.0");
	m = pkl_addr_network(&a, 20);
	assert_addr(&m, "10.20.16.0");
	m = pkl_addr_broadcast(&a, 20);
	assert_addr(&m, "10.20.31.255");
	m = pkl_addr_mask(4, 0);
	assert_addr(&m, "0.0.0.0");
	m = pkl_addr_mask(4, 32);
	assert_addr(&m, "255.255.255.255");
	m = pkl_addr_mask(6, 3);
	assert_addr(&m, "e000::");
	m = A("0.0.0.0");
	assert_true(pkl_addr_in_prefix(&a, &m, 0));
	assert_false(pkl_addr_in_prefix(&a, &(struct pkl_addr){ .family = 6 }, 0));
	m = A("10.20.30.41");
	assert_false(pkl_addr_in_prefix(&a, &m, 32));
	assert_true(pkl_addr_in_prefix(&a, &m, 31));
	pkl_addr_format_prefix(&a, 8, buf, sizeof buf);
	assert_string_equal(buf, "10.20.30.40/8");
}

static void
test_neigh_states(void **state)
{
	(void)state;
	const uint16_t usable[] = { NUD_REACHABLE, NUD_STALE, NUD_DELAY, NUD_PROBE, NUD_PERMANENT,
				    NUD_NOARP };
	const uint16_t unusable[] = { NUD_INCOMPLETE, NUD_FAILED, NUD_NONE };

	for (size_t i = 0; i < sizeof usable / sizeof usable[0]; i++)
		assert_true(pkl_neigh_state_usable(usable[i]));
	for (size_t i = 0; i < sizeof unusable / sizeof unusable[0]; i++)
		assert_false(pkl_neigh_state_usable(unusable[i]));
	assert_string_equal(pkl_neigh_state_name(NUD_REACHABLE), "REACHABLE");
	assert_string_equal(pkl_neigh_state_name(NUD_STALE), "STALE");
	assert_string_equal(pkl_neigh_state_name(NUD_FAILED), "FAILED");
	assert_string_equal(pkl_neigh_state_name(NUD_NONE), "NONE");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choose_longest_prefix),
		cmocka_unit_test(test_choose_without_default),
		cmocka_unit_test(test_choose_31_and_32),
		cmocka_unit_test(test_choose_metric),
		cmocka_unit_test(test_choose_ipv6),
		cmocka_unit_test_setup(test_on_link, setup),
		cmocka_unit_test_setup(test_via_gateway, setup),
		cmocka_unit_test_setup(test_longer_gateway_route, setup),
		cmocka_unit_test_setup(test_on_link_by_route, setup),
		cmocka_unit_test_setup(test_31, setup),
		cmocka_unit_test_setup(test_local_and_loopback, setup),
		cmocka_unit_test_setup(test_ipv6, setup),
		cmocka_unit_test_setup(test_kernel_wins, setup),
		cmocka_unit_test_setup(test_asked_interface, setup),
		cmocka_unit_test_setup(test_source_given, setup),
		cmocka_unit_test_setup(test_broadcast_allowed, setup),
		cmocka_unit_test_setup(test_json, setup),
		cmocka_unit_test_setup(test_refusals, setup),
		cmocka_unit_test_setup(test_refused_targets, setup),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_neigh_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
