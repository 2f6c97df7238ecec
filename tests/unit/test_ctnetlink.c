/* The conntrack entry parser (src/ctnetlink.h) on messages laid out as
 * the kernel sends a dump's entries (ctnetlink_fill_info): a TCP
 * connection masqueraded by a router (its reply tuple names the
 * router's address), a UDP one without NAT, and broken ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <arpa/inet.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "../../src/ctnetlink.h"

static _Alignas(struct nlmsghdr) char buf[1024];

static void
put_tuple(struct nlmsghdr *nlh, uint16_t type, const char *src, const char *dst, uint8_t proto,
	  uint16_t sport, uint16_t dport)
{
	struct in_addr s, d;
	struct nlattr *t = mnl_attr_nest_start(nlh, type);
	struct nlattr *ip = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);

	inet_pton(AF_INET, src, &s);
	inet_pton(AF_INET, dst, &d);
	mnl_attr_put(nlh, CTA_IP_V4_SRC, 4, &s);
	mnl_attr_put(nlh, CTA_IP_V4_DST, 4, &d);
	mnl_attr_nest_end(nlh, ip);
	struct nlattr *pr = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(nlh, CTA_PROTO_NUM, proto);
	mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, htons(sport));
	mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(dport));
	mnl_attr_nest_end(nlh, pr);
	mnl_attr_nest_end(nlh, t);
}

static struct nlmsghdr *
message(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof *nfg);
	nfg->nfgen_family = AF_INET;
	return nlh;
}

static void
addr_is(const struct pkl_addr *a, const char *text)
{
	char s[PKL_ADDR_TEXT];

	assert_int_equal(a->family, 4);
	inet_ntop(AF_INET, a->v4, s, sizeof s);
	assert_string_equal(s, text);
}

static void
masqueraded_tcp(void **state)
{
	(void)state;
	struct nlmsghdr *nlh = message();
	struct pkl_ct_entry e;

	put_tuple(nlh, CTA_TUPLE_ORIG, "192.0.2.10", "198.51.100.80", IPPROTO_TCP, 40000, 80);
	put_tuple(nlh, CTA_TUPLE_REPLY, "198.51.100.80", "198.51.100.1", IPPROTO_TCP, 80, 40001);
	mnl_attr_put_u32(nlh, CTA_STATUS, htonl(IPS_SRC_NAT | IPS_SEEN_REPLY | IPS_CONFIRMED));
	mnl_attr_put_u32(nlh, CTA_TIMEOUT, htonl(119));
	struct nlattr *pi = mnl_attr_nest_start(nlh, CTA_PROTOINFO);
	struct nlattr *tcp = mnl_attr_nest_start(nlh, CTA_PROTOINFO_TCP);
	mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_STATE, 7);
	mnl_attr_nest_end(nlh, tcp);
	mnl_attr_nest_end(nlh, pi);

	assert_int_equal(pkl_ctnetlink_parse(nlh, &e), 0);
	addr_is(&e.orig.src, "192.0.2.10");
	addr_is(&e.orig.dst, "198.51.100.80");
	addr_is(&e.reply.src, "198.51.100.80");
	addr_is(&e.reply.dst, "198.51.100.1");
	assert_int_equal(e.orig.proto, IPPROTO_TCP);
	assert_int_equal(e.orig.sport, 40000);
	assert_int_equal(e.orig.dport, 80);
	assert_int_equal(e.reply.sport, 80);
	assert_int_equal(e.reply.dport, 40001);
	assert_true(pkl_ct_is_snat(&e));
	assert_int_equal(e.timeout, 119);
	assert_true(e.has_tcp_state);
	assert_string_equal(pkl_ct_tcp_state_name(e.tcp_state), "TIME_WAIT");
}

static void
plain_udp(void **state)
{
	(void)state;
	struct nlmsghdr *nlh = message();
	struct pkl_ct_entry e;

	put_tuple(nlh, CTA_TUPLE_ORIG, "192.0.2.10", "192.0.2.1", IPPROTO_UDP, 5000, 53);
	put_tuple(nlh, CTA_TUPLE_REPLY, "192.0.2.1", "192.0.2.10", IPPROTO_UDP, 53, 5000);
	mnl_attr_put_u32(nlh, CTA_STATUS, htonl(IPS_CONFIRMED));
	assert_int_equal(pkl_ctnetlink_parse(nlh, &e), 0);
	assert_false(pkl_ct_is_snat(&e));
	assert_false(e.has_tcp_state);
	assert_int_equal(e.reply.dport, 5000);
}

static void
broken(void **state)
{
	(void)state;
	struct nlmsghdr *nlh = message();
	struct pkl_ct_entry e;

	/* No reply tuple. */
	put_tuple(nlh, CTA_TUPLE_ORIG, "192.0.2.10", "192.0.2.1", IPPROTO_UDP, 5000, 53);
	assert_int_equal(pkl_ctnetlink_parse(nlh, &e), -1);

	/* An address of the wrong size. */
	nlh = message();
	struct nlattr *t = mnl_attr_nest_start(nlh, CTA_TUPLE_ORIG);
	struct nlattr *ip = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
	mnl_attr_put(nlh, CTA_IP_V4_SRC, 3, "abc");
	mnl_attr_nest_end(nlh, ip);
	mnl_attr_nest_end(nlh, t);
	put_tuple(nlh, CTA_TUPLE_REPLY, "192.0.2.1", "192.0.2.10", IPPROTO_UDP, 53, 5000);
	assert_int_equal(pkl_ctnetlink_parse(nlh, &e), -1);

	/* Cut inside its attributes: the header says more than there is. */
	nlh = message();
	put_tuple(nlh, CTA_TUPLE_ORIG, "192.0.2.10", "192.0.2.1", IPPROTO_UDP, 5000, 53);
	nlh->nlmsg_len -= 6;
	assert_int_equal(pkl_ctnetlink_parse(nlh, &e), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(masqueraded_tcp),
		cmocka_unit_test(plain_udp),
		cmocka_unit_test(broken),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
