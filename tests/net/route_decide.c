/* The route decision for one destination, printed for tests/net/route.sh
 * to hold against `ip route get` (not a pktlens command):
 *
 *   route_decide [-i IFACE] [-S SOURCE] [--broadcast] DESTINATION
 *       line 1: the route record as JSON (pkl_route_json)
 *       line 2: the explanation (pkl_route_explain)
 *   route_decide --neigh IFACE ADDRESS
 *       the kernel's neighbour entry: "MAC STATE", or "none STATE"
 *
 * A refusal: its sentence on stderr, exit 1.  Bad arguments: exit 2. */
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "../../src/craft/neigh.h"
#include "../../src/craft/route.h"
#include "../../src/out.h"

static int
usage(void)
{
	fprintf(stderr, "usage: route_decide [-i IFACE] [-S SOURCE] [--broadcast] DESTINATION\n"
			"       route_decide --neigh IFACE ADDRESS\n");
	return 2;
}

static int
neigh(const char *iface, const char *text)
{
	char errbuf[PKL_ERRBUF_SIZE], mac[18];
	struct pkl_neigh_entry e;
	struct pkl_addr addr;
	unsigned index = if_nametoindex(iface);

	if (!index || pkl_addr_parse(text, &addr) < 0)
		return usage();
	if (pkl_neigh_lookup((int)index, &addr, &e, errbuf) < 0) {
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", e.mac[0], e.mac[1], e.mac[2],
		 e.mac[3], e.mac[4], e.mac[5]);
	printf("%s %s\n", e.usable ? mac : "none", e.found ? pkl_neigh_state_name(e.state) : "-");
	return 0;
}

int
main(int argc, char **argv)
{
	struct pkl_route_request req = { 0 };
	struct pkl_route_decision d;
	struct pkl_addr source;
	char errbuf[PKL_ERRBUF_SIZE], text[PKL_ROUTE_TEXT], line[1024];
	int i;

	if (argc == 4 && !strcmp(argv[1], "--neigh"))
		return neigh(argv[2], argv[3]);
	for (i = 1; i < argc - 1; i++) {
		if (!strcmp(argv[i], "-i") && i + 2 < argc) {
			req.interface = argv[++i];
		} else if (!strcmp(argv[i], "-S") && i + 2 < argc) {
			if (pkl_addr_parse(argv[++i], &source) < 0)
				return usage();
			req.source = &source;
		} else if (!strcmp(argv[i], "--broadcast")) {
			req.allow_broadcast = true;
		} else {
			return usage();
		}
	}
	if (i != argc - 1 || pkl_addr_parse(argv[i], &req.dst) < 0)
		return usage();
	if (pkl_route_decide(&req, &d, errbuf) < 0) {
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	struct pkl_out o;
	struct pkl_json j;
	pkl_out_init_fixed(&o, line, sizeof line);
	pkl_json_init(&j, &o);
	pkl_route_json(&j, &d);
	pkl_out_finish_fixed(&o);
	pkl_route_explain(&d, text, sizeof text);
	printf("%s\n%s\n", line, text);
	return 0;
}
