/* The kernel's neighbour table (RTM_GETNEIGH, as `ip neigh`): the MAC
 * of a next hop on an interface, for `--neigh`, which takes it from
 * there instead of asking with pktlens's own ARP request or neighbour
 * solicitation.  Reading it needs no privilege.  Never prints. */
#ifndef PKL_CRAFT_NEIGH_H
#define PKL_CRAFT_NEIGH_H

#include <stdbool.h>
#include <stdint.h>

#include "../capture.h"
#include "addr.h"

struct pkl_neigh_entry {
	bool found;                 /* the kernel has an entry for the address there */
	bool usable;                /* and its MAC can be used (pkl_neigh_state_usable) */
	uint16_t state;             /* NUD_REACHABLE, NUD_FAILED ... */
	uint8_t mac[6];             /* when usable */
};

/* The kernel's entry for addr on the interface ifindex, in *e (found
 * false when it has none).  Returns -1 with a sentence in errbuf only
 * when the table cannot be read. */
int pkl_neigh_lookup(int ifindex, const struct pkl_addr *addr, struct pkl_neigh_entry *e,
		     char errbuf[PKL_ERRBUF_SIZE]);

/* A state whose MAC the kernel itself would send to: REACHABLE, STALE,
 * DELAY, PROBE (confirmed once, being checked again), PERMANENT and
 * NOARP.  INCOMPLETE, FAILED and NONE have no MAC to trust. */
bool pkl_neigh_state_usable(uint16_t state);

/* The state as `ip neigh` names it ("REACHABLE"). */
const char *pkl_neigh_state_name(uint16_t state);

#endif
