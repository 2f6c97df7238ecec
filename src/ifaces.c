#include "ifaces.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static void
append_address(struct pkl_iface *ifc, const struct sockaddr *sa)
{
	char text[INET6_ADDRSTRLEN];
	const void *addr;

	if (sa->sa_family == AF_INET)
		addr = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	else if (sa->sa_family == AF_INET6)
		addr = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	else
		return;
	if (!inet_ntop(sa->sa_family, addr, text, sizeof text))
		return;
	size_t used = strlen(ifc->addresses);
	snprintf(ifc->addresses + used, sizeof ifc->addresses - used, "%s%s",
		 used ? " " : "", text);
}

int
pkl_ifaces_list(struct pkl_iface *list, char errbuf[PKL_ERRBUF_SIZE])
{
	char pcap_err[PCAP_ERRBUF_SIZE];
	pcap_if_t *all;
	int n = 0;

	if (pcap_findalldevs(&all, pcap_err) < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot list the interfaces: %s", pcap_err);
		return -1;
	}
	for (pcap_if_t *d = all; d && n < PKL_MAX_IFACES; d = d->next) {
		if (pkl_capture_is_pseudo_device(d->name))
			continue;   /* refused by pkl_capture_open_live: not listed */
		struct pkl_iface *ifc = &list[n++];
		memset(ifc, 0, sizeof *ifc);
		snprintf(ifc->name, sizeof ifc->name, "%s", d->name);
		snprintf(ifc->description, sizeof ifc->description, "%s",
			 d->description ? d->description : "");
		ifc->up = d->flags & PCAP_IF_UP;
		ifc->running = d->flags & PCAP_IF_RUNNING;
		ifc->loopback = d->flags & PCAP_IF_LOOPBACK;
		ifc->wireless = d->flags & PCAP_IF_WIRELESS;
		/* Pseudo-devices (any, nflog, nfqueue, dbus) have no link. */
		ifc->capturable_default = (d->flags & PCAP_IF_CONNECTION_STATUS) !=
					  PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE;
		for (pcap_addr_t *a = d->addresses; a; a = a->next)
			if (a->addr)
				append_address(ifc, a->addr);
	}
	pcap_freealldevs(all);
	return n;
}

const struct pkl_iface *
pkl_ifaces_default(const struct pkl_iface *list, int n)
{
	for (int i = 0; i < n; i++)
		if (list[i].up && list[i].running && !list[i].loopback &&
		    list[i].capturable_default)
			return &list[i];
	return NULL;
}
