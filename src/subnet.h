/* Subnet arithmetic as the course teaches it: an address and a prefix
 * give the mask, the network (address AND mask), the broadcast, the
 * hosts between them, the historic class and the special range the
 * address falls in; a second address ANDed with the same mask says
 * whether a host reaches it on the link (ARP, or neighbour
 * solicitation) or through its gateway.  Pure: no kernel, no output. */
#ifndef PKL_SUBNET_H
#define PKL_SUBNET_H

#include <stdbool.h>
#include <stddef.h>

#include "capture.h"
#include "craft/addr.h"

/* The special-purpose ranges (RFC 6890's registries, and the few a
 * course names), the first that holds the address. */
enum pkl_subnet_range {
	PKL_RANGE_PUBLIC,          /* none of the below: globally routed */
	PKL_RANGE_THIS_NETWORK,    /* 0.0.0.0/8, RFC 1122 */
	PKL_RANGE_PRIVATE,         /* 10/8, 172.16/12, 192.168/16, RFC 1918 */
	PKL_RANGE_CGNAT,           /* 100.64/10, RFC 6598 */
	PKL_RANGE_LOOPBACK,        /* 127/8, ::1 */
	PKL_RANGE_LINK_LOCAL,      /* 169.254/16, RFC 3927; fe80::/10 */
	PKL_RANGE_IETF,            /* 192.0.0.0/24, RFC 6890 */
	PKL_RANGE_DOCUMENTATION,   /* 192.0.2/24, 198.51.100/24, 203.0.113/24, RFC 5737; 2001:db8::/32 */
	PKL_RANGE_BENCHMARKING,    /* 198.18/15, RFC 2544 */
	PKL_RANGE_MULTICAST,       /* 224/4, RFC 5771; ff00::/8 */
	PKL_RANGE_RESERVED,        /* 240/4, RFC 1112; IPv6 outside 2000::/3 and the above */
	PKL_RANGE_BROADCAST,       /* 255.255.255.255, RFC 919 */
	PKL_RANGE_UNSPECIFIED,     /* :: */
	PKL_RANGE_IPV4_MAPPED,     /* ::ffff:0:0/96, RFC 4291 */
	PKL_RANGE_NAT64,           /* 64:ff9b::/96, RFC 6052 */
	PKL_RANGE_6TO4,            /* 2002::/16, RFC 3056 */
	PKL_RANGE_ULA,             /* fc00::/7, RFC 4193 */
	PKL_RANGE_COUNT
};

/* Its name in JSON ("private", "link-local", ...) and its sentence
 * ("RFC 1918 private"). */
const char *pkl_subnet_range_name(enum pkl_subnet_range r);
const char *pkl_subnet_range_sentence(enum pkl_subnet_range r);

struct pkl_subnet {
	struct pkl_addr addr;
	unsigned prefix;
	struct pkl_addr mask, wildcard, network;
	struct pkl_addr last;          /* the network's highest address */
	/* An IPv4 network below /31 has a broadcast address (last);
	 * /31 (RFC 3021, point-to-point) and /32 (a host route) have none,
	 * nor has IPv6. */
	bool has_broadcast;
	/* The hosts, as Python's ipaddress counts them: IPv4 without the
	 * network and broadcast addresses, IPv6 without the network's
	 * (the Subnet-Router anycast, RFC 4291 2.6.1); /31 and /127 both
	 * addresses, /32 and /128 the one. */
	struct pkl_addr first_host, last_host;
	char class;                    /* 'A' to 'E'; 0 for IPv6 */
	enum pkl_subnet_range range;   /* the address's */
};

/* "192.168.12.87/24", "192.168.12.87/255.255.255.0", "2001:db8::1/64",
 * or an address alone (/32, /128), in *addr and *prefix.  Returns -1
 * with one sentence in errbuf saying what is wrong. */
int pkl_subnet_parse(const char *text, struct pkl_addr *addr, unsigned *prefix,
		     char errbuf[PKL_ERRBUF_SIZE]);

/* Everything about addr/prefix (prefix at most the family's bits). */
void pkl_subnet_compute(const struct pkl_addr *addr, unsigned prefix, struct pkl_subnet *s);

/* Whether peer (of the same family) is in the subnet: peer AND mask
 * equals the network. */
bool pkl_subnet_holds(const struct pkl_subnet *s, const struct pkl_addr *peer);

/* The number of hosts in decimal (up to 2^128 - 1 for IPv6), in buf;
 * returns its length. */
size_t pkl_subnet_hosts_text(const struct pkl_subnet *s, char *buf, size_t size);

/* Room for any number of hosts: 2^128 has 39 digits. */
#define PKL_SUBNET_HOSTS_TEXT 40

#endif
