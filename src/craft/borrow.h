/* An address borrowed for pktlens's own TCP end: one on the
 * interface's subnet that no interface of this host owns, so that the
 * peer's answers never reach this host's kernel (which would reset a
 * connection it never opened).  Picked here, checked free with RFC 5227
 * probes by the caller, and held by answering ARP for it (RFC 826) as
 * long as the connection lives.  Pure: the caller sends and hears. */
#ifndef PKL_CRAFT_BORROW_H
#define PKL_CRAFT_BORROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../capture.h"
#include "../packet.h"
#include "frame.h"
#include "route.h"

/* Up to max addresses of net's subnet to try, from the top down (the
 * end of a subnet is where DHCP pools seldom reach: 192.168.1.250 in
 * 192.168.1.0/24, below the broadcast address and the .254 a router
 * often holds), leaving out the network and broadcast addresses and
 * every address in taken[0..n_taken) (the host's own, the peer, the
 * gateway).  Returns how many, or -1 with a sentence in errbuf when the
 * subnet has no room (a /31 or /32: a point-to-point link). */
int pkl_borrow_candidates(const struct pkl_route_ifaddr *net, const char *iface,
			  const struct pkl_addr *taken, size_t n_taken, struct pkl_addr *out,
			  size_t max, char errbuf[PKL_ERRBUF_SIZE]);

/* Whether an ARP message heard while probing for addr says another host
 * holds or wants it (RFC 5227 2.1.1): any message sent from addr, or a
 * probe for addr from a MAC other than own_mac. */
bool pkl_borrow_conflict(const struct pkl_arp *arp, const uint8_t own_mac[6],
			 const uint8_t addr[4]);

/* The reply to an ARP request (or probe) for addr from another host:
 * addr is at own_mac.  False when the message asks nothing of addr. */
bool pkl_borrow_answer(const struct pkl_arp *arp, const uint8_t own_mac[6],
		       const uint8_t addr[4], struct pkl_frame_arp *reply);

#endif
