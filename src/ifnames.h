/* Interface names by index, for the frames of a live `-i any` capture
 * (Linux cooked v2 headers carry the index, as tcpdump shows the name). */
#ifndef PKL_IFNAMES_H
#define PKL_IFNAMES_H

#include <stdint.h>

/* The name of the interface with this index on this host, now: looked
 * up once, then remembered (indexes are not reused while the host runs);
 * NULL when no interface has it. */
const char *pkl_ifname(uint32_t ifindex);

#endif
