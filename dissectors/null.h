/* BSD loopback encapsulation (LINKTYPE_NULL and OpenBSD's LINKTYPE_LOOP). */
#ifndef PKL_DISSECT_NULL_H
#define PKL_DISSECT_NULL_H

#include "../src/packet.h"

/* Address families as the systems that write these captures number
 * them: IPv4 is the same everywhere, IPv6 is not. */
enum {
	PKL_NULL_AF_INET = 2,
	PKL_NULL_AF_INET6_LINUX = 10,
	PKL_NULL_AF_INET6_BSD = 24,        /* NetBSD, OpenBSD, BSD/OS */
	PKL_NULL_AF_INET6_FREEBSD = 28,    /* and DragonFly */
	PKL_NULL_AF_INET6_DARWIN = 30,     /* macOS */
};

enum pkl_proto pkl_null_decode(struct pkl_packet *pkt, struct pkl_layer *l);

#endif
