/* Capture interfaces: listing them (`sniff -D`) and picking a default. */
#ifndef PKL_IFACES_H
#define PKL_IFACES_H

#include <stdbool.h>
#include <stddef.h>

#include "capture.h"

#define PKL_MAX_IFACES 64

struct pkl_iface {
	char name[64];
	char description[128];
	char addresses[256];     /* IPv4 and IPv6 addresses, space-separated */
	bool up, running, loopback, wireless;
	bool capturable_default; /* a real network interface: not any, nflog ... */
};

/* Fill list (PKL_MAX_IFACES entries) in libpcap's order.  Returns the
 * number found, or -1 with a sentence in errbuf. */
int pkl_ifaces_list(struct pkl_iface *list, char errbuf[PKL_ERRBUF_SIZE]);

/* tcpdump's choice when no -i is given: the first interface that is up,
 * running and not loopback.  NULL when there is none. */
const struct pkl_iface *pkl_ifaces_default(const struct pkl_iface *list, int n);

#endif
