/* The sending socket: a libnet link-layer context on one interface,
 * writing the frames src/craft/frame.h builds as they are (Ethernet
 * header included).  On loopback, whose frames carry the zero MACs, the
 * IP datagram behind the header goes through raw IP sockets instead
 * (inject.c says why); the capture sees the same frame.
 *
 * Opening needs CAP_NET_RAW (root, or the capability given to the
 * binary with setcap); writing does not, so a caller gives up every
 * privilege once the injector (and its capture) is open. */
#ifndef PKL_CRAFT_INJECT_H
#define PKL_CRAFT_INJECT_H

#include <stddef.h>
#include <stdint.h>

#include "../capture.h"

struct pkl_inject;   /* opaque */

/* Open the interface for sending.  Returns NULL with a sentence in
 * errbuf that names the interface and says what to do: no such
 * interface, down, not Ethernet or loopback, no permission (sudo, or
 * setcap once). */
struct pkl_inject *pkl_inject_open(const char *iface, char errbuf[PKL_ERRBUF_SIZE]);

/* Send one frame.  Returns 0, or -1 with a sentence: larger than the
 * interface's MTU, the interface went down or away, its queue full. */
int pkl_inject_write(struct pkl_inject *inj, const uint8_t *frame, size_t len,
		     char errbuf[PKL_ERRBUF_SIZE]);

void pkl_inject_close(struct pkl_inject *inj);

#endif
