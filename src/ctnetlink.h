/* The kernel's connection tracking table (netfilter's conntrack), read
 * as `conntrack -L` reads it: a dump of IPCTNL_MSG_CT_GET over
 * NETLINK_NETFILTER (linux/netfilter/nfnetlink_conntrack.h), in the
 * caller's network namespace.
 *
 * Each entry holds the tuple of the first packet (original) and the
 * tuple the answers are expected with (reply).  Without NAT the reply
 * is the original turned around; with source NAT (masquerade) the
 * reply's destination is the address and port the router put in place
 * of the original source: the mapping the router keeps.
 *
 * Over the netlink exchange of src/netlink.h, so over libmnl for the
 * same reason as the route, neighbour and socket lookups: it checks
 * lengths, alignment and the nested attributes the conntrack messages
 * are made of, which hand-written parsing gets wrong.
 *
 * Needs CAP_NET_ADMIN in the namespace (the kernel refuses the dump
 * otherwise). */
#ifndef PKL_CTNETLINK_H
#define PKL_CTNETLINK_H

#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#include "capture.h"
#include "craft/addr.h"

struct pkl_ct_tuple {
	struct pkl_addr src, dst;
	uint8_t proto;                 /* IPPROTO_TCP, IPPROTO_UDP, ... */
	uint16_t sport, dport;         /* 0 for protocols without ports */
};

struct pkl_ct_entry {
	struct pkl_ct_tuple orig, reply;
	uint32_t status;               /* IPS_* bits */
	uint32_t timeout;              /* seconds left */
	bool has_tcp_state;
	uint8_t tcp_state;             /* TCP_CONNTRACK_*: conntrack's own TCP states */
};

/* Does the entry rewrite the source (SNAT, masquerade)? */
bool pkl_ct_is_snat(const struct pkl_ct_entry *e);

/* "ESTABLISHED", "TIME_WAIT", ... as conntrack -L names them. */
const char *pkl_ct_tcp_state_name(uint8_t state);

/* One message of the dump (an IPCTNL_MSG_CT_NEW) into e.  Returns 0, or
 * -1 (errno EPROTO) when it is malformed or lacks a tuple. */
int pkl_ctnetlink_parse(const struct nlmsghdr *nlh, struct pkl_ct_entry *e);

/* Hand every entry of the table to fn (IPv4 only when family is 4);
 * fn returns 0 to go on, anything else to stop.  Returns 0, or -1 with
 * a sentence in errbuf. */
int pkl_ctnetlink_dump(int family, int (*fn)(const struct pkl_ct_entry *e, void *ctx),
		       void *ctx, char errbuf[PKL_ERRBUF_SIZE]);

#endif
