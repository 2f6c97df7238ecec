/* Where a crafted frame goes, and why: the kernel's tables over
 * rtnetlink, the route choice, the decision and its sentences. */
#include "route.h"

#include <errno.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../template.h"
#include "../netlink.h"

static const char *const why_text[PKL_ROUTE_WHY_COUNT] = {
#define PKL_ROUTE_WHY(code, text) [PKL_ROUTE_WHY_##code] = text,
#include "route.def"
};

static const char *const refusal_text[PKL_ROUTE_REFUSAL_COUNT] = {
#define PKL_ROUTE_REFUSAL(code, text) [PKL_ROUTE_REFUSAL_##code] = text,
#include "route.def"
};

/* ---- Reading the tables ---------------------------------------------- */

static int
family_of(int af)
{
	return af == AF_INET ? 4 : 6;
}

static int
af_of(int family)
{
	return family == 4 ? AF_INET : AF_INET6;
}

/* Room for element n of an array of n elements (for 8 at first, then
 * doubled at each power of two): the array, perhaps moved, or NULL with
 * errno ENOMEM. */
static void *
make_room(void *array, size_t n, size_t size)
{
	if (n != 0 && (n < 8 || (n & (n - 1))))
		return array;
	return realloc(array, (n ? 2 * n : 8) * size);
}

static int
link_message(const struct nlmsghdr *nlh, void *data)
{
	struct pkl_route_table *t = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1];
	uint32_t mtu = 0;

	if (nlh->nlmsg_type != RTM_NEWLINK || pkl_netlink_parse(nlh, sizeof *ifi, tb, IFLA_MAX) < 0 ||
	    pkl_netlink_u32(tb[IFLA_MTU], &mtu) < 0)
		return MNL_CB_ERROR;
	if (!tb[IFLA_IFNAME] || mnl_attr_validate(tb[IFLA_IFNAME], MNL_TYPE_NUL_STRING) < 0 ||
	    mnl_attr_get_payload_len(tb[IFLA_IFNAME]) > IF_NAMESIZE) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	struct pkl_route_link *links = make_room(t->links, t->n_links, sizeof *links);
	if (!links)
		return MNL_CB_ERROR;
	t->links = links;
	struct pkl_route_link *l = &links[t->n_links++];
	*l = (struct pkl_route_link){ 0 };
	l->index = ifi->ifi_index;
	strcpy(l->name, mnl_attr_get_str(tb[IFLA_IFNAME]));
	l->mtu = mtu;
	l->hw_type = ifi->ifi_type;
	l->up = ifi->ifi_flags & IFF_UP;
	l->loopback = (ifi->ifi_flags & IFF_LOOPBACK) || ifi->ifi_type == ARPHRD_LOOPBACK;
	/* Only an Ethernet-sized hardware address is one a frame can carry. */
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == sizeof l->mac &&
	    !l->loopback)
		memcpy(l->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), sizeof l->mac);
	return MNL_CB_OK;
}

static int
addr_message(const struct nlmsghdr *nlh, void *data)
{
	struct pkl_route_table *t = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1];
	struct pkl_addr addr;

	if (nlh->nlmsg_type != RTM_NEWADDR || pkl_netlink_parse(nlh, sizeof *ifa, tb, IFA_MAX) < 0)
		return MNL_CB_ERROR;
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return MNL_CB_OK;
	int family = family_of(ifa->ifa_family);
	/* IFA_LOCAL is the interface's own address; IFA_ADDRESS is the
	 * peer's on a point-to-point link, and the only one IPv6 gives. */
	int got = pkl_netlink_addr(tb[IFA_LOCAL], family, &addr);
	if (got == 0)
		got = pkl_netlink_addr(tb[IFA_ADDRESS], family, &addr);
	if (got < 0)
		return MNL_CB_ERROR;
	if (got == 0 || ifa->ifa_prefixlen > pkl_addr_bits(family))
		return MNL_CB_OK;
	struct pkl_route_ifaddr *addrs = make_room(t->addrs, t->n_addrs, sizeof *addrs);
	if (!addrs)
		return MNL_CB_ERROR;
	t->addrs = addrs;
	addrs[t->n_addrs++] = (struct pkl_route_ifaddr){ (int)ifa->ifa_index, addr,
							 ifa->ifa_prefixlen };
	return MNL_CB_OK;
}

/* A route message's table: RTA_TABLE when there, since rtm_table holds
 * only the first 256. */
static int
route_table_id(const struct rtmsg *rtm, const struct nlattr *const *tb, uint32_t *id)
{
	*id = rtm->rtm_table;
	return pkl_netlink_u32(tb[RTA_TABLE], id);
}

static int
route_message(const struct nlmsghdr *nlh, void *data)
{
	struct pkl_route_table *t = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1];
	uint32_t table, oif = 0;

	if (nlh->nlmsg_type != RTM_NEWROUTE || pkl_netlink_parse(nlh, sizeof *rtm, tb, RTA_MAX) < 0)
		return MNL_CB_ERROR;
	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return MNL_CB_OK;
	int family = family_of(rtm->rtm_family);
	struct pkl_route_entry r = { .dst = { .family = family }, .prefix_len = rtm->rtm_dst_len,
				     .type = rtm->rtm_type };
	if (route_table_id(rtm, tb, &table) < 0 || pkl_netlink_addr(tb[RTA_DST], family, &r.dst) < 0 ||
	    pkl_netlink_u32(tb[RTA_OIF], &oif) < 0 || pkl_netlink_u32(tb[RTA_PRIORITY], &r.metric) < 0)
		return MNL_CB_ERROR;
	int gw = pkl_netlink_addr(tb[RTA_GATEWAY], family, &r.gateway);
	if (gw < 0)
		return MNL_CB_ERROR;
	if (table != RT_TABLE_MAIN || r.prefix_len > pkl_addr_bits(family))
		return MNL_CB_OK;
	r.has_gateway = gw;
	r.oif = (int)oif;
	struct pkl_route_entry *routes = make_room(t->routes, t->n_routes, sizeof *routes);
	if (!routes)
		return MNL_CB_ERROR;
	t->routes = routes;
	routes[t->n_routes++] = r;
	return MNL_CB_OK;
}

/* A dump of type with its family header (header bytes, the family at
 * its first byte, as in every rtnetlink header). */
static int
dump(uint16_t type, size_t header, int af, mnl_cb_t cb, struct pkl_route_table *t,
     const char *what, char errbuf[PKL_ERRBUF_SIZE])
{
	_Alignas(struct nlmsghdr) char buf[MNL_NLMSG_HDRLEN + 64];
	struct nlmsghdr *nlh = pkl_netlink_header(buf, type, NLM_F_DUMP);
	unsigned char *family = mnl_nlmsg_put_extra_header(nlh, header);

	*family = (unsigned char)af;
	return pkl_netlink_exchange(NETLINK_ROUTE, nlh, cb, t, NULL, what, errbuf);
}

int
pkl_route_table_load(struct pkl_route_table *t, int family, char errbuf[PKL_ERRBUF_SIZE])
{
	int af = af_of(family);

	*t = (struct pkl_route_table){ 0 };
	if (dump(RTM_GETLINK, sizeof(struct ifinfomsg), AF_UNSPEC, link_message, t,
		 "cannot read the interfaces from the kernel", errbuf) < 0 ||
	    dump(RTM_GETADDR, sizeof(struct ifaddrmsg), af, addr_message, t,
		 "cannot read the interfaces' addresses from the kernel", errbuf) < 0 ||
	    dump(RTM_GETROUTE, sizeof(struct rtmsg), af, route_message, t,
		 "cannot read the routing table from the kernel", errbuf) < 0) {
		pkl_route_table_free(t);
		return -1;
	}
	return 0;
}

void
pkl_route_table_free(struct pkl_route_table *t)
{
	free(t->links);
	free(t->addrs);
	free(t->routes);
	*t = (struct pkl_route_table){ 0 };
}

struct kernel_answer {
	struct pkl_route_kernel *k;
	int family;
};

static int
kernel_message(const struct nlmsghdr *nlh, void *data)
{
	const struct kernel_answer *ka = data;
	struct pkl_route_kernel *k = ka->k;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1];
	uint32_t oif = 0;

	if (nlh->nlmsg_type != RTM_NEWROUTE || pkl_netlink_parse(nlh, sizeof *rtm, tb, RTA_MAX) < 0 ||
	    pkl_netlink_u32(tb[RTA_OIF], &oif) < 0)
		return MNL_CB_ERROR;
	int src = pkl_netlink_addr(tb[RTA_PREFSRC], ka->family, &k->source);
	int gw = pkl_netlink_addr(tb[RTA_GATEWAY], ka->family, &k->gateway);
	if (src < 0 || gw < 0)
		return MNL_CB_ERROR;
	k->oif = (int)oif;
	k->type = rtm->rtm_type;
	k->has_source = src;
	k->has_gateway = gw;
	return MNL_CB_OK;
}

int
pkl_route_kernel_get(const struct pkl_addr *dst, int oif, struct pkl_route_kernel *k,
		     char errbuf[PKL_ERRBUF_SIZE])
{
	_Alignas(struct nlmsghdr) char buf[MNL_NLMSG_HDRLEN + 128];
	struct nlmsghdr *nlh = pkl_netlink_header(buf, RTM_GETROUTE, NLM_F_ACK);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);
	struct kernel_answer ka = { k, dst->family };
	char text[PKL_ADDR_TEXT], what[64 + PKL_ADDR_TEXT];

	*k = (struct pkl_route_kernel){ 0 };
	rtm->rtm_family = (unsigned char)af_of(dst->family);
	rtm->rtm_dst_len = (unsigned char)pkl_addr_bits(dst->family);
	mnl_attr_put(nlh, RTA_DST, pkl_addr_size(dst->family), dst->v6);
	if (oif)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)oif);
	pkl_addr_format(dst, text, sizeof text);
	snprintf(what, sizeof what, "cannot ask the kernel for a route to %s", text);
	return pkl_netlink_exchange(NETLINK_ROUTE, nlh, kernel_message, &ka, &k->error, what, errbuf);
}

/* ---- The choice -------------------------------------------------------- */

const struct pkl_route_entry *
pkl_route_choose(const struct pkl_route_entry *routes, size_t n, const struct pkl_addr *dst,
		 int oif)
{
	const struct pkl_route_entry *best = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct pkl_route_entry *r = &routes[i];
		if (!pkl_addr_in_prefix(dst, &r->dst, r->prefix_len) || (oif && r->oif != oif))
			continue;
		if (!best || r->prefix_len > best->prefix_len ||
		    (r->prefix_len == best->prefix_len && r->metric < best->metric))
			best = r;
	}
	return best;
}

/* ---- The sentences ----------------------------------------------------- */

/* The sentences' arguments as text, in the order of route.def. */
struct words {
	char dst[PKL_ADDR_TEXT], mask[PKL_ADDR_TEXT], network[PKL_ADDR_TEXT];
	const char *interface;
	char ifaddr[PKL_PREFIX_TEXT], source[PKL_ADDR_TEXT], route[PKL_PREFIX_TEXT];
	char gateway[PKL_ADDR_TEXT];
	const char *resolution, *version;
};

static void
words_init(struct words *w, const struct pkl_addr *dst, const char *interface)
{
	*w = (struct words){ .interface = interface };
	pkl_addr_format(dst, w->dst, sizeof w->dst);
	w->resolution = dst->family == 4 ? "ARP" : "neighbour solicitation";
	w->version = dst->family == 4 ? "IPv4" : "IPv6";
}

static void
words_ifaddr(struct words *w, const struct pkl_route_ifaddr *a)
{
	struct pkl_addr mask = pkl_addr_mask(a->addr.family, a->prefix_len);
	struct pkl_addr net = pkl_addr_network(&a->addr, a->prefix_len);

	pkl_addr_format(&mask, w->mask, sizeof w->mask);
	pkl_addr_format(&net, w->network, sizeof w->network);
	pkl_addr_format_prefix(&a->addr, a->prefix_len, w->ifaddr, sizeof w->ifaddr);
}

static size_t
words_fill(const char *tmpl, const struct words *w, char *buf, size_t size)
{
	const uint64_t arg[10] = {
		(uintptr_t)w->dst, (uintptr_t)w->mask, (uintptr_t)w->network,
		(uintptr_t)w->interface, (uintptr_t)w->ifaddr, (uintptr_t)w->source,
		(uintptr_t)w->route, (uintptr_t)w->gateway, (uintptr_t)w->resolution,
		(uintptr_t)w->version,
	};

	return pkl_template_fill(tmpl, arg, 10, buf, size);
}

size_t
pkl_route_explain(const struct pkl_route_decision *d, char *buf, size_t size)
{
	struct words w;

	words_init(&w, &d->dst, d->link.name);
	if (d->has_ifaddr)
		words_ifaddr(&w, &d->ifaddr);
	pkl_addr_format(&d->source, w.source, sizeof w.source);
	if (d->has_route)
		pkl_addr_format_prefix(&d->route.dst, d->route.prefix_len, w.route, sizeof w.route);
	if (!d->on_link)
		pkl_addr_format(&d->next_hop, w.gateway, sizeof w.gateway);
	return words_fill(why_text[d->why], &w, buf, size);
}

void
pkl_route_json(struct pkl_json *j, const struct pkl_route_decision *d)
{
	pkl_json_object_open(j);
	PKL_JSON_KEY(j, "kind");
	pkl_json_name(j, "route");
	PKL_JSON_KEY(j, "interface");
	pkl_json_string(j, d->link.name);
	PKL_JSON_KEY(j, "source");
	pkl_json_address(j, d->source.family, d->source.v6);
	PKL_JSON_KEY(j, "next_hop");
	pkl_json_address(j, d->next_hop.family, d->next_hop.v6);
	PKL_JSON_KEY(j, "on_link");
	pkl_json_bool(j, d->on_link);
	PKL_JSON_KEY(j, "gateway");
	if (d->on_link)
		pkl_json_null(j);
	else
		pkl_json_address(j, d->next_hop.family, d->next_hop.v6);
	pkl_json_object_close(j);
}

/* ---- The decision ------------------------------------------------------ */

static int
refuse(struct pkl_route_decision *d, enum pkl_route_refusal refusal, const struct words *w,
       char errbuf[PKL_ERRBUF_SIZE])
{
	d->refusal = refusal;
	words_fill(refusal_text[refusal], w, errbuf, PKL_ERRBUF_SIZE);
	return -1;
}

static const struct pkl_route_link *
link_by_index(const struct pkl_route_table *t, int index)
{
	for (size_t i = 0; i < t->n_links; i++)
		if (t->links[i].index == index)
			return &t->links[i];
	return NULL;
}

static const struct pkl_route_link *
link_by_name(const struct pkl_route_table *t, const char *name)
{
	for (size_t i = 0; i < t->n_links; i++)
		if (!strcmp(t->links[i].name, name))
			return &t->links[i];
	return NULL;
}

/* The first address of family on the interface, or NULL. */
static const struct pkl_route_ifaddr *
first_address(const struct pkl_route_table *t, int ifindex, int family)
{
	for (size_t i = 0; i < t->n_addrs; i++)
		if (t->addrs[i].ifindex == ifindex && t->addrs[i].addr.family == family)
			return &t->addrs[i];
	return NULL;
}

/* The interface's address whose network holds dst, the longest prefix
 * first: what makes dst on-link there.  NULL when none does. */
static const struct pkl_route_ifaddr *
network_holding(const struct pkl_route_table *t, int ifindex, const struct pkl_addr *dst)
{
	const struct pkl_route_ifaddr *best = NULL;

	for (size_t i = 0; i < t->n_addrs; i++) {
		const struct pkl_route_ifaddr *a = &t->addrs[i];
		if (a->ifindex == ifindex && pkl_addr_in_prefix(dst, &a->addr, a->prefix_len) &&
		    (!best || a->prefix_len > best->prefix_len))
			best = a;
	}
	return best;
}

static bool
owns_address(const struct pkl_route_table *t, int ifindex, const struct pkl_addr *addr)
{
	for (size_t i = 0; i < t->n_addrs; i++)
		if (t->addrs[i].ifindex == ifindex && pkl_addr_equal(&t->addrs[i].addr, addr))
			return true;
	return false;
}

/* What kind of address dst is; for a network's first or last address,
 * the interface address of that network in *net. */
static enum pkl_route_target
classify(const struct pkl_route_table *t, const struct pkl_addr *dst,
	 const struct pkl_route_ifaddr **net)
{
	*net = NULL;
	if (pkl_addr_is_unspecified(dst))
		return PKL_ROUTE_TARGET_UNSPECIFIED;
	if (pkl_addr_is_multicast(dst))
		return PKL_ROUTE_TARGET_MULTICAST;
	if (pkl_addr_is_limited_broadcast(dst))
		return PKL_ROUTE_TARGET_BROADCAST;
	for (size_t i = 0; i < t->n_addrs && dst->family == 4; i++) {
		const struct pkl_route_ifaddr *a = &t->addrs[i];
		/* /31 and /32 have no network or broadcast address (RFC 3021). */
		if (a->addr.family != 4 || a->prefix_len > 30)
			continue;
		struct pkl_addr first = pkl_addr_network(&a->addr, a->prefix_len);
		struct pkl_addr last = pkl_addr_broadcast(&a->addr, a->prefix_len);
		*net = a;
		if (pkl_addr_equal(dst, &last))
			return PKL_ROUTE_TARGET_BROADCAST;
		if (pkl_addr_equal(dst, &first))
			return PKL_ROUTE_TARGET_NETWORK;
	}
	*net = NULL;
	return PKL_ROUTE_TARGET_HOST;
}

static enum pkl_route_refusal
target_refusal(enum pkl_route_target target, bool of_a_network)
{
	switch (target) {
	case PKL_ROUTE_TARGET_UNSPECIFIED:
		return PKL_ROUTE_REFUSAL_UNSPECIFIED;
	case PKL_ROUTE_TARGET_MULTICAST:
		return PKL_ROUTE_REFUSAL_MULTICAST;
	case PKL_ROUTE_TARGET_BROADCAST:
		return of_a_network ? PKL_ROUTE_REFUSAL_SUBNET_BROADCAST
				    : PKL_ROUTE_REFUSAL_BROADCAST;
	case PKL_ROUTE_TARGET_NETWORK:
		return PKL_ROUTE_REFUSAL_NETWORK;
	case PKL_ROUTE_TARGET_HOST:
		break;
	}
	return PKL_ROUTE_REFUSAL_NONE;
}

/* The kernel answers with a route of its own kind: a unicast route, one
 * of the host's own addresses, or (with --broadcast) a broadcast or
 * multicast one.  Unreachable, blackhole and prohibit routes lead
 * nowhere. */
static bool
kernel_routes(const struct pkl_route_kernel *k)
{
	return !k->error && (k->type == RTN_UNICAST || k->type == RTN_LOCAL ||
			     k->type == RTN_BROADCAST || k->type == RTN_MULTICAST);
}

/* Our own choice says what the kernel said: the same interface and the
 * same gateway (or none). */
static bool
choice_agrees(const struct pkl_route_entry *r, const struct pkl_route_kernel *k)
{
	return r && r->type == RTN_UNICAST && (!r->oif || r->oif == k->oif) &&
	       r->has_gateway == k->has_gateway &&
	       (!r->has_gateway || pkl_addr_equal(&r->gateway, &k->gateway));
}

static enum pkl_route_why
why_of(const struct pkl_route_decision *d, const struct pkl_route_kernel *k, bool kernel_used,
       bool asked, const struct pkl_route_entry *chosen)
{
	if (d->target == PKL_ROUTE_TARGET_BROADCAST)
		return PKL_ROUTE_WHY_BROADCAST;
	if (d->target == PKL_ROUTE_TARGET_MULTICAST)
		return PKL_ROUTE_WHY_MULTICAST;
	if (kernel_used && k->type == RTN_LOCAL)
		return PKL_ROUTE_WHY_LOCAL;
	if (d->link.loopback)
		return PKL_ROUTE_WHY_LOOPBACK;
	/* Sent where the caller asked, though no route leads there (or the
	 * kernel would use another interface): on-link, as the kernel takes
	 * any destination through a named interface that no route covers. */
	if (!kernel_used || (asked && !chosen && d->on_link))
		return d->has_ifaddr ? PKL_ROUTE_WHY_ON_LINK : PKL_ROUTE_WHY_ASKED_INTERFACE;
	if (!choice_agrees(chosen, k))
		return d->on_link ? PKL_ROUTE_WHY_KERNEL_ON_LINK : PKL_ROUTE_WHY_KERNEL_GATEWAY;
	if (d->on_link)
		return d->has_ifaddr ? PKL_ROUTE_WHY_ON_LINK : PKL_ROUTE_WHY_ON_LINK_ROUTE;
	return d->has_ifaddr ? PKL_ROUTE_WHY_GATEWAY_LONGER : PKL_ROUTE_WHY_GATEWAY;
}

int
pkl_route_decide_from(const struct pkl_route_table *t, const struct pkl_route_kernel *k,
		      const struct pkl_route_request *req, struct pkl_route_decision *d,
		      char errbuf[PKL_ERRBUF_SIZE])
{
	const struct pkl_addr *dst = &req->dst;
	const struct pkl_route_link *asked = NULL, *link;
	const struct pkl_route_ifaddr *net;
	struct words w;

	*d = (struct pkl_route_decision){ .dst = *dst };
	words_init(&w, dst, req->interface ? req->interface : "");
	if (req->source && req->source->family != dst->family) {
		pkl_addr_format(req->source, w.source, sizeof w.source);
		return refuse(d, PKL_ROUTE_REFUSAL_SOURCE_FAMILY, &w, errbuf);
	}
	d->target = classify(t, dst, &net);
	if (d->target != PKL_ROUTE_TARGET_HOST && !req->allow_broadcast) {
		if (net) {
			link = link_by_index(t, net->ifindex);
			w.interface = link ? link->name : "?";
			words_ifaddr(&w, net);
		}
		return refuse(d, target_refusal(d->target, net), &w, errbuf);
	}
	if (req->interface) {
		asked = link_by_name(t, req->interface);
		if (!asked)
			return refuse(d, PKL_ROUTE_REFUSAL_NO_INTERFACE, &w, errbuf);
		if (!asked->up)
			return refuse(d, PKL_ROUTE_REFUSAL_INTERFACE_DOWN, &w, errbuf);
		if (!first_address(t, asked->index, dst->family))
			return refuse(d, PKL_ROUTE_REFUSAL_NO_ADDRESS, &w, errbuf);
	}
	if (!kernel_routes(k))
		return refuse(d, PKL_ROUTE_REFUSAL_NO_ROUTE, &w, errbuf);

	/* The kernel's interface, unless the caller named another: the
	 * kernel sends the host's own addresses through lo even then. */
	bool kernel_used = !asked || k->oif == asked->index;
	link = kernel_used ? link_by_index(t, k->oif) : asked;
	if (!link) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "the kernel routes %s through interface %d, which is not in its list of "
			 "interfaces (did it just go away?); try again", w.dst, k->oif);
		d->refusal = PKL_ROUTE_REFUSAL_SYSTEM;
		return -1;
	}
	d->link = *link;
	w.interface = link->name;
	const struct pkl_route_ifaddr *any = first_address(t, link->index, dst->family);
	if (!any)
		return refuse(d, PKL_ROUTE_REFUSAL_NO_ADDRESS, &w, errbuf);

	const struct pkl_route_ifaddr *holder = network_holding(t, link->index, dst);
	if (holder) {
		d->has_ifaddr = true;
		d->ifaddr = *holder;
	}
	d->on_link = !(kernel_used && k->has_gateway);
	d->next_hop = d->on_link ? *dst : k->gateway;
	if (req->source) {
		d->source = *req->source;
		d->source_given = true;
	} else if (kernel_used && k->has_source) {
		d->source = k->source;
	} else {
		d->source = (holder ? holder : any)->addr;
	}
	d->source_own = owns_address(t, link->index, &d->source);

	const struct pkl_route_entry *chosen =
		pkl_route_choose(t->routes, t->n_routes, dst, asked ? asked->index : 0);
	d->why = why_of(d, k, kernel_used, asked, chosen);
	if (chosen && (d->why == PKL_ROUTE_WHY_ON_LINK || d->why == PKL_ROUTE_WHY_ON_LINK_ROUTE ||
		       d->why == PKL_ROUTE_WHY_GATEWAY || d->why == PKL_ROUTE_WHY_GATEWAY_LONGER)) {
		d->has_route = true;
		d->route = *chosen;
	}
	return 0;
}

int
pkl_route_decide(const struct pkl_route_request *req, struct pkl_route_decision *d,
		 char errbuf[PKL_ERRBUF_SIZE])
{
	struct pkl_route_table t;
	struct pkl_route_kernel k = { 0 };
	int ret = -1;

	*d = (struct pkl_route_decision){ .dst = req->dst, .refusal = PKL_ROUTE_REFUSAL_SYSTEM };
	if (pkl_route_table_load(&t, req->dst.family, errbuf) < 0)
		return -1;
	/* An unknown interface is refused by the decision, before the
	 * kernel's answer counts. */
	const struct pkl_route_link *asked =
		req->interface ? link_by_name(&t, req->interface) : NULL;
	if ((!req->interface || asked) &&
	    pkl_route_kernel_get(&req->dst, asked ? asked->index : 0, &k, errbuf) < 0)
		goto out;
	ret = pkl_route_decide_from(&t, &k, req, d, errbuf);
out:
	pkl_route_table_free(&t);
	return ret;
}

int
pkl_route_interface_address(const char *iface, int family, struct pkl_addr *out,
			    char errbuf[PKL_ERRBUF_SIZE])
{
	struct pkl_route_table t;

	if (pkl_route_table_load(&t, family, errbuf) < 0)
		return -1;
	const struct pkl_route_link *link = link_by_name(&t, iface);
	const struct pkl_route_ifaddr *a = link ? first_address(&t, link->index, family) : NULL;
	if (a) {
		*out = a->addr;
	} else if (!link) {
		struct words w;
		const struct pkl_addr none = { .family = family };
		words_init(&w, &none, iface);
		words_fill(refusal_text[PKL_ROUTE_REFUSAL_NO_INTERFACE], &w, errbuf, PKL_ERRBUF_SIZE);
	} else {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "%s has no %s address: give it one (ip addr add "
			 "ADDRESS/PREFIX dev %s) or choose another interface", iface,
			 family == 4 ? "IPv4" : "IPv6", iface);
	}
	pkl_route_table_free(&t);
	return a ? 0 : -1;
}
