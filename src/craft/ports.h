/* A list of TCP ports as a user types it for a scan, nmap's -p syntax:
 * "22,80,8000-8010".  Items are separated by commas; an item is a port
 * or a range LOW-HIGH, where a missing LOW means 1 and a missing HIGH
 * 65535 ("-1024", "60000-", and "-" for every port).  Blanks around
 * items and around the dash are allowed (the list was quoted).  The
 * result is the set of the ports named: ascending, each once.
 *
 * Pure: never prints; a refusal is -1 with a sentence in errbuf that
 * quotes the item at fault (port 0, 65536, a range that runs backwards,
 * an empty item, anything that is not a number). */
#ifndef PKL_CRAFT_PORTS_H
#define PKL_CRAFT_PORTS_H

#include <stddef.h>
#include <stdint.h>

#include "../capture.h"

#define PKL_PORTS_MAX 65535

struct pkl_ports {
	uint16_t *list;           /* ascending, no port twice; allocated */
	size_t n;
};

/* Parse text into *out (freed with pkl_ports_free, also after a
 * refusal).  Returns 0, or -1 with a sentence in errbuf. */
int pkl_ports_parse(const char *text, struct pkl_ports *out, char errbuf[PKL_ERRBUF_SIZE]);

void pkl_ports_free(struct pkl_ports *p);

#endif
