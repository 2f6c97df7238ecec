#include "ifnames.h"

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

/* The lowest indexes, which hosts use, one lookup each; a higher one is
 * looked up every time (a socket and an ioctl). */
#define CACHED 256

static struct {
	bool looked_up, found;
	char name[IF_NAMESIZE];
} cache[CACHED];

const char *
pkl_ifname(uint32_t ifindex)
{
	static char other[IF_NAMESIZE];

	if (ifindex >= CACHED)
		return if_indextoname(ifindex, other);
	if (!cache[ifindex].looked_up) {
		cache[ifindex].found = if_indextoname(ifindex, cache[ifindex].name) != NULL;
		cache[ifindex].looked_up = true;
	}
	return cache[ifindex].found ? cache[ifindex].name : NULL;
}
