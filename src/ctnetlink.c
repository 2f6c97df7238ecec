/* The conntrack table over ctnetlink (see ctnetlink.h). */
#include "ctnetlink.h"

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "netlink.h"

bool
pkl_ct_is_snat(const struct pkl_ct_entry *e)
{
	return (e->status & IPS_SRC_NAT) != 0;
}

const char *
pkl_ct_tcp_state_name(uint8_t state)
{
	/* enum tcp_conntrack (linux/netfilter/nf_conntrack_tcp.h). */
	static const char *const names[] = {
		"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
		"CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2",
	};
	return state < sizeof names / sizeof names[0] ? names[state] : "UNKNOWN";
}

struct attrs {
	const struct nlattr **tb;
	uint16_t max;
};

static int
collect(const struct nlattr *a, void *data)
{
	const struct attrs *at = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type <= at->max)
		at->tb[type] = a;
	return MNL_CB_OK;
}

/* A nested attribute's members by type in tb[0..max]; -1 when a is
 * absent, not nested or malformed. */
static int
nested(const struct nlattr *a, const struct nlattr **tb, uint16_t max)
{
	struct attrs at = { tb, max };

	memset(tb, 0, (max + 1u) * sizeof *tb);
	if (!a || mnl_attr_validate(a, MNL_TYPE_NESTED) < 0 ||
	    mnl_attr_parse_nested(a, collect, &at) < 0)
		return -1;
	return 0;
}

/* A big-endian 16-bit port, as ctnetlink sends ports. */
static int
port(const struct nlattr *a, uint16_t *v)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U16) < 0)
		return -1;
	*v = ntohs(mnl_attr_get_u16(a));
	return 0;
}

static int
tuple(const struct nlattr *a, struct pkl_ct_tuple *t)
{
	const struct nlattr *tb[CTA_TUPLE_MAX + 1], *ip[CTA_IP_MAX + 1], *pr[CTA_PROTO_MAX + 1];

	if (nested(a, tb, CTA_TUPLE_MAX) < 0 || nested(tb[CTA_TUPLE_IP], ip, CTA_IP_MAX) < 0 ||
	    nested(tb[CTA_TUPLE_PROTO], pr, CTA_PROTO_MAX) < 0)
		return -1;
	if (ip[CTA_IP_V4_SRC]) {
		if (pkl_netlink_addr(ip[CTA_IP_V4_SRC], 4, &t->src) < 0 ||
		    pkl_netlink_addr(ip[CTA_IP_V4_DST], 4, &t->dst) <= 0)
			return -1;
	} else if (pkl_netlink_addr(ip[CTA_IP_V6_SRC], 6, &t->src) <= 0 ||
		   pkl_netlink_addr(ip[CTA_IP_V6_DST], 6, &t->dst) <= 0) {
		return -1;
	}
	if (!pr[CTA_PROTO_NUM] || mnl_attr_validate(pr[CTA_PROTO_NUM], MNL_TYPE_U8) < 0)
		return -1;
	t->proto = mnl_attr_get_u8(pr[CTA_PROTO_NUM]);
	return port(pr[CTA_PROTO_SRC_PORT], &t->sport) < 0 ||
	       port(pr[CTA_PROTO_DST_PORT], &t->dport) < 0 ? -1 : 0;
}

/* ctnetlink's 32-bit numbers are big-endian. */
static int
be32(const struct nlattr *a, uint32_t *v)
{
	uint32_t raw;
	int r = pkl_netlink_u32(a, &raw);

	if (r > 0)
		*v = ntohl(raw);
	return r;
}

int
pkl_ctnetlink_parse(const struct nlmsghdr *nlh, struct pkl_ct_entry *e)
{
	const struct nlattr *tb[CTA_MAX + 1];

	*e = (struct pkl_ct_entry){ 0 };
	if (pkl_netlink_parse(nlh, sizeof(struct nfgenmsg), tb, CTA_MAX) < 0 ||
	    tuple(tb[CTA_TUPLE_ORIG], &e->orig) < 0 || tuple(tb[CTA_TUPLE_REPLY], &e->reply) < 0 ||
	    be32(tb[CTA_STATUS], &e->status) < 0 || be32(tb[CTA_TIMEOUT], &e->timeout) < 0)
		goto malformed;
	if (tb[CTA_PROTOINFO]) {
		const struct nlattr *pi[CTA_PROTOINFO_MAX + 1], *tcp[CTA_PROTOINFO_TCP_MAX + 1];
		if (nested(tb[CTA_PROTOINFO], pi, CTA_PROTOINFO_MAX) < 0)
			goto malformed;
		if (pi[CTA_PROTOINFO_TCP]) {
			const struct nlattr *st;
			if (nested(pi[CTA_PROTOINFO_TCP], tcp, CTA_PROTOINFO_TCP_MAX) < 0)
				goto malformed;
			st = tcp[CTA_PROTOINFO_TCP_STATE];
			if (st) {
				if (mnl_attr_validate(st, MNL_TYPE_U8) < 0)
					goto malformed;
				e->tcp_state = mnl_attr_get_u8(st);
				e->has_tcp_state = true;
			}
		}
	}
	return 0;
malformed:
	errno = EPROTO;
	return -1;
}

struct dump {
	int (*fn)(const struct pkl_ct_entry *e, void *ctx);
	void *ctx;
	bool stopped;
};

static int
entry_message(const struct nlmsghdr *nlh, void *data)
{
	struct dump *dp = data;
	struct pkl_ct_entry e;

	if (dp->stopped)
		return MNL_CB_OK;    /* read to the end of the dump, quietly */
	if (pkl_ctnetlink_parse(nlh, &e) < 0)
		return MNL_CB_ERROR;
	if (dp->fn(&e, dp->ctx) != 0)
		dp->stopped = true;
	return MNL_CB_OK;
}

int
pkl_ctnetlink_dump(int family, int (*fn)(const struct pkl_ct_entry *e, void *ctx), void *ctx,
		   char errbuf[PKL_ERRBUF_SIZE])
{
	_Alignas(struct nlmsghdr) char buf[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct nfgenmsg))];
	struct nlmsghdr *req = pkl_netlink_header(
		buf, (uint16_t)(NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET), NLM_F_DUMP);
	struct nfgenmsg *nfg = mnl_nlmsg_put_extra_header(req, sizeof *nfg);
	struct dump dp = { fn, ctx, false };

	nfg->nfgen_family = family == 4 ? AF_INET : AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	return pkl_netlink_exchange(NETLINK_NETFILTER, req, entry_message, &dp, NULL,
				    "cannot read the conntrack table", errbuf);
}
