/* Where a crafted frame goes: the output interface, the source address
 * and the next hop for a destination, from the kernel's own tables over
 * rtnetlink (src/netlink.h), and why, in the arithmetic of the
 * course notes ("192.168.1.20 AND 255.255.255.0 = 192.168.1.0, the
 * network of eth0 (192.168.1.5/24): on-link, ARP for 192.168.1.20
 * itself").
 *
 * The kernel decides (RTM_GETROUTE for the destination, as `ip route
 * get`); its answer does not say which route matched, so pktlens also
 * picks the route from a dump of the main table by the same rule
 * (pkl_route_choose) to name it.  When the two disagree (policy
 * routing, another table, a route that changed between the two
 * questions) the kernel wins and the explanation says only what the
 * kernel said.
 *
 * Reading the tables needs no privilege.  Never prints; errors return
 * -1 with a sentence in errbuf that names the address or interface and
 * says what to do. */
#ifndef PKL_CRAFT_ROUTE_H
#define PKL_CRAFT_ROUTE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../capture.h"
#include "../json.h"
#include "addr.h"

/* One interface (RTM_GETLINK). */
struct pkl_route_link {
	int index;
	char name[IF_NAMESIZE];
	uint8_t mac[6];             /* zero on loopback and on links without one */
	unsigned mtu;
	unsigned short hw_type;     /* ARPHRD_ETHER, ARPHRD_LOOPBACK ... */
	bool up;                    /* administratively up (IFF_UP) */
	bool loopback;              /* lo: no ARP, frames carry the zero MACs */
};

/* One address of an interface (RTM_GETADDR), with its prefix. */
struct pkl_route_ifaddr {
	int ifindex;
	struct pkl_addr addr;
	unsigned prefix_len;
};

/* One route of the main table (RTM_GETROUTE dump). */
struct pkl_route_entry {
	struct pkl_addr dst;        /* the prefix, host bits zero */
	unsigned prefix_len;
	bool has_gateway;           /* via a router; else on-link */
	struct pkl_addr gateway;
	int oif;                    /* 0 when the route names none (multipath) */
	uint32_t metric;
	uint8_t type;               /* RTN_UNICAST, RTN_UNREACHABLE, RTN_BLACKHOLE ... */
};

/* What the decision is made from: the host's interfaces, their
 * addresses and the main table's routes, of one address family.
 * Filled by pkl_route_table_load (which allocates the arrays); a test
 * may point them at arrays of its own. */
struct pkl_route_table {
	struct pkl_route_link *links;
	size_t n_links;
	struct pkl_route_ifaddr *addrs;
	size_t n_addrs;
	struct pkl_route_entry *routes;
	size_t n_routes;
};

/* The kernel's answer for one destination (RTM_GETROUTE, as `ip route
 * get DST [oif IFACE]`). */
struct pkl_route_kernel {
	int error;                  /* 0, or the errno it refused with (ENETUNREACH ...) */
	int oif;
	uint8_t type;               /* RTN_UNICAST, RTN_LOCAL, RTN_BROADCAST, RTN_MULTICAST */
	bool has_source, has_gateway;
	struct pkl_addr source, gateway;
};

/* What the caller asks. */
struct pkl_route_request {
	struct pkl_addr dst;
	const char *interface;      /* -i / -I: send on this interface, or NULL */
	const struct pkl_addr *source;   /* -S: this source address, or NULL */
	/* --broadcast: broadcast, multicast, network and unspecified
	 * destinations too. */
	bool allow_broadcast;
};

enum pkl_route_why {
#define PKL_ROUTE_WHY(code, text) PKL_ROUTE_WHY_##code,
#include "route.def"
	PKL_ROUTE_WHY_COUNT
};

enum pkl_route_refusal {
	PKL_ROUTE_REFUSAL_NONE,
#define PKL_ROUTE_REFUSAL(code, text) PKL_ROUTE_REFUSAL_##code,
#include "route.def"
	PKL_ROUTE_REFUSAL_SYSTEM,   /* netlink itself failed: errbuf says how */
	PKL_ROUTE_REFUSAL_COUNT
};

/* What kind of address the destination is. */
enum pkl_route_target {
	PKL_ROUTE_TARGET_HOST,
	PKL_ROUTE_TARGET_UNSPECIFIED,   /* 0.0.0.0, :: */
	PKL_ROUTE_TARGET_MULTICAST,     /* 224.0.0.0/4, ff00::/8 */
	PKL_ROUTE_TARGET_BROADCAST,     /* 255.255.255.255 or a network's last address */
	PKL_ROUTE_TARGET_NETWORK,       /* a network's first address (prefixes up to /30) */
};

struct pkl_route_decision {
	struct pkl_addr dst;
	enum pkl_route_target target;
	struct pkl_route_link link;     /* the output interface */
	struct pkl_addr source;
	bool source_given;              /* the caller's (-S), not the kernel's choice */
	/* The source is one of the output interface's own addresses.  A
	 * frame from any other needs real root, never a capability. */
	bool source_own;
	bool on_link;                   /* the destination is on the link; else via a gateway */
	struct pkl_addr next_hop;       /* whose MAC the frame goes to: destination or gateway */
	bool has_ifaddr;                /* the interface address whose network holds dst */
	struct pkl_route_ifaddr ifaddr;
	bool has_route;                 /* the main table's route that matched */
	struct pkl_route_entry route;
	enum pkl_route_why why;         /* the sentence of pkl_route_explain */
	enum pkl_route_refusal refusal; /* NONE, or why the decision failed */
};

/* Read the interfaces, the addresses of family (4 or 6) and the main
 * table's routes of family.  Returns -1 with a sentence in errbuf. */
int pkl_route_table_load(struct pkl_route_table *t, int family, char errbuf[PKL_ERRBUF_SIZE]);
void pkl_route_table_free(struct pkl_route_table *t);

/* Ask the kernel for dst (through oif when not 0).  A refusal of the
 * kernel's (no route) is an answer, in k->error; -1 with errbuf only
 * when netlink fails. */
int pkl_route_kernel_get(const struct pkl_addr *dst, int oif, struct pkl_route_kernel *k,
			 char errbuf[PKL_ERRBUF_SIZE]);

/* The route of routes[0..n) that the kernel's rule picks for dst: of
 * those whose prefix holds it (and that leave through oif, when oif is
 * not 0), the longest prefix, then the lowest metric, then the first
 * listed.  NULL when none holds it.  Pure. */
const struct pkl_route_entry *pkl_route_choose(const struct pkl_route_entry *routes, size_t n,
					       const struct pkl_addr *dst, int oif);

/* The decision from a table and the kernel's answer for req (asked
 * through req's interface when it names one): pure, for the tests.
 * Returns 0, or -1 with d->refusal and a sentence in errbuf. */
int pkl_route_decide_from(const struct pkl_route_table *t, const struct pkl_route_kernel *k,
			  const struct pkl_route_request *req, struct pkl_route_decision *d,
			  char errbuf[PKL_ERRBUF_SIZE]);

/* The decision for req from the kernel's tables: loads them, asks the
 * kernel and decides.  Returns 0, or -1 with d->refusal and a sentence
 * in errbuf. */
int pkl_route_decide(const struct pkl_route_request *req, struct pkl_route_decision *d,
		     char errbuf[PKL_ERRBUF_SIZE]);

/* The first address of family (4 or 6) on the interface named iface:
 * what it announces.  Returns -1 with a sentence in errbuf when there is
 * no such interface or it has no such address. */
int pkl_route_interface_address(const char *iface, int family, struct pkl_addr *out,
				char errbuf[PKL_ERRBUF_SIZE]);

/* The decision's sentence, NUL-terminated in buf; returns its length. */
#define PKL_ROUTE_TEXT 512
size_t pkl_route_explain(const struct pkl_route_decision *d, char *buf, size_t size);

/* {"kind": "route", "interface", "source", "next_hop", "on_link",
 * "gateway"} (null when on-link): one record, written with j. */
void pkl_route_json(struct pkl_json *j, const struct pkl_route_decision *d);

#endif
