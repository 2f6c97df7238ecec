/* The kernel's neighbour table over rtnetlink (src/netlink.h). */
#include "neigh.h"

#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "../netlink.h"

bool
pkl_neigh_state_usable(uint16_t state)
{
	return state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT |
			NUD_NOARP);
}

const char *
pkl_neigh_state_name(uint16_t state)
{
	static const struct {
		uint16_t state;
		const char *name;
	} names[] = {
		{ NUD_INCOMPLETE, "INCOMPLETE" }, { NUD_REACHABLE, "REACHABLE" },
		{ NUD_STALE, "STALE" }, { NUD_DELAY, "DELAY" }, { NUD_PROBE, "PROBE" },
		{ NUD_FAILED, "FAILED" }, { NUD_NOARP, "NOARP" }, { NUD_PERMANENT, "PERMANENT" },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (state & names[i].state)
			return names[i].name;
	return "NONE";
}

struct wanted {
	int ifindex;
	const struct pkl_addr *addr;
	struct pkl_neigh_entry *e;
};

static int
neigh_message(const struct nlmsghdr *nlh, void *data)
{
	const struct wanted *w = data;
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NDA_MAX + 1];
	struct pkl_addr dst;

	if (nlh->nlmsg_type != RTM_NEWNEIGH || pkl_netlink_parse(nlh, sizeof *ndm, tb, NDA_MAX) < 0)
		return MNL_CB_ERROR;
	int got = pkl_netlink_addr(tb[NDA_DST], w->addr->family, &dst);
	if (got < 0)
		return MNL_CB_ERROR;
	if (ndm->ndm_ifindex != w->ifindex || !got || !pkl_addr_equal(&dst, w->addr))
		return MNL_CB_OK;
	w->e->found = true;
	w->e->state = ndm->ndm_state;
	/* Only an Ethernet MAC is one a frame can be sent to. */
	const struct nlattr *lladdr = tb[NDA_LLADDR];
	if (pkl_neigh_state_usable(ndm->ndm_state) && lladdr &&
	    mnl_attr_get_payload_len(lladdr) == sizeof w->e->mac) {
		w->e->usable = true;
		memcpy(w->e->mac, mnl_attr_get_payload(lladdr), sizeof w->e->mac);
	}
	return MNL_CB_OK;
}

int
pkl_neigh_lookup(int ifindex, const struct pkl_addr *addr, struct pkl_neigh_entry *e,
		 char errbuf[PKL_ERRBUF_SIZE])
{
	_Alignas(struct nlmsghdr) char buf[MNL_NLMSG_HDRLEN + 64];
	struct nlmsghdr *nlh = pkl_netlink_header(buf, RTM_GETNEIGH, NLM_F_DUMP);
	struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof *ndm);
	struct wanted w = { ifindex, addr, e };

	*e = (struct pkl_neigh_entry){ 0 };
	ndm->ndm_family = addr->family == 4 ? AF_INET : AF_INET6;
	return pkl_netlink_exchange(NETLINK_ROUTE, nlh, neigh_message, &w, NULL,
				    "cannot read the kernel's neighbour table", errbuf);
}
