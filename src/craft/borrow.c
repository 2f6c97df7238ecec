#include "borrow.h"

#include <stdio.h>
#include <string.h>

static bool
is_taken(const struct pkl_addr *a, const struct pkl_addr *taken, size_t n_taken)
{
	for (size_t i = 0; i < n_taken; i++)
		if (pkl_addr_equal(a, &taken[i]))
			return true;
	return false;
}

/* How far below the broadcast address the search starts: .250 of a /24. */
#define TOP_OFFSET 5

int
pkl_borrow_candidates(const struct pkl_route_ifaddr *net, const char *iface,
		      const struct pkl_addr *taken, size_t n_taken, struct pkl_addr *out,
		      size_t max, char errbuf[PKL_ERRBUF_SIZE])
{
	char prefix[PKL_PREFIX_TEXT];

	pkl_addr_format_prefix(&net->addr, net->prefix_len, prefix, sizeof prefix);
	if (net->addr.family != 4 || net->prefix_len > 30) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "%s (%s) is a point-to-point link: its subnet has "
			 "no address to borrow, so give one that reaches the peer with -S (the "
			 "peer's answers to it must not come to this host's kernel)", iface, prefix);
		return -1;
	}
	struct pkl_addr base = pkl_addr_network(&net->addr, net->prefix_len);
	uint32_t first = (uint32_t)base.v4[0] << 24 | (uint32_t)base.v4[1] << 16 |
			 (uint32_t)base.v4[2] << 8 | base.v4[3];
	uint32_t hosts = (uint32_t)((1ull << (32 - net->prefix_len)) - 2);   /* first + 1 ... */
	uint32_t start = hosts > TOP_OFFSET ? hosts - TOP_OFFSET + 1 : hosts;
	size_t n = 0;

	/* From start down to 1, then the few above it. */
	for (uint32_t k = 0; k < hosts && n < max; k++) {
		uint32_t host = k < start ? start - k : hosts - (k - start);
		uint32_t v = first + host;
		struct pkl_addr a = { .family = 4,
				      .v4 = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8),
					      (uint8_t)v } };
		if (!is_taken(&a, taken, n_taken))
			out[n++] = a;
	}
	if (n == 0) {
		pkl_addr_format_prefix(&base, net->prefix_len, prefix, sizeof prefix);
		snprintf(errbuf, PKL_ERRBUF_SIZE, "every address of %s's subnet %s is taken by this "
			 "host or the peer: give a free one that reaches the peer with -S", iface,
			 prefix);
		return -1;
	}
	return (int)n;
}

bool
pkl_borrow_conflict(const struct pkl_arp *arp, const uint8_t own_mac[6], const uint8_t addr[4])
{
	if (!arp->addrs_decoded || memcmp(arp->sha, own_mac, 6) == 0)
		return false;
	if (memcmp(arp->spa, addr, 4) == 0)
		return true;
	return arp->kind == PKL_ARP_PROBE && memcmp(arp->tpa, addr, 4) == 0;
}

bool
pkl_borrow_answer(const struct pkl_arp *arp, const uint8_t own_mac[6], const uint8_t addr[4],
		  struct pkl_frame_arp *reply)
{
	if (!arp->addrs_decoded || memcmp(arp->sha, own_mac, 6) == 0 ||
	    (arp->kind != PKL_ARP_REQUEST && arp->kind != PKL_ARP_PROBE) ||
	    memcmp(arp->tpa, addr, 4) != 0)
		return false;
	*reply = (struct pkl_frame_arp){ .kind = PKL_ARP_REPLY };
	memcpy(reply->sender_mac, own_mac, 6);
	memcpy(reply->sender_ip, addr, 4);
	memcpy(reply->target_mac, arp->sha, 6);
	memcpy(reply->target_ip, arp->spa, 4);
	return true;
}
