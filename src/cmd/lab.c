/* `pktlens lab up|status|down`: the namespaces the lab demonstrations
 * run in (src/lab/lab.h draws them), built, shown and removed. */
#include <stdio.h>
#include <string.h>

#include "../lab/lab.h"
#include "common.h"

static const struct pkl_option lab_options[] = {
	{ 0, NULL, NULL, false, NULL },
};

static int
lab_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	(void)target;
	(void)key;
	(void)value;
	(void)p;
	return 0;
}

static void
print_mac(const uint8_t mac[6])
{
	printf("%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/* One line per interface: where it is, its MAC and addresses. */
static void
print_hosts(void)
{
	printf("  %-18s %s on the bridge (LAN %s/%d)\n", PKL_LAB_NS_SWITCH, PKL_LAB_BRIDGE,
	       PKL_LAB_LAN_NET, PKL_LAB_PREFIX_LEN);
	for (unsigned i = 0; i < pkl_lab_nifaces; i++) {
		const struct pkl_lab_iface *f = &pkl_lab_ifaces[i];
		printf("  %-18s %-5s ", pkl_lab_ns_name(f->ns), f->name);
		print_mac(f->mac);
		for (int a = 0; a < 2 && f->addr[a]; a++)
			printf(" %s/%d", f->addr[a], PKL_LAB_PREFIX_LEN);
		if (f->ns == PKL_LAB_CLIENT || f->ns == PKL_LAB_SERVER || f->ns == PKL_LAB_ATTACKER)
			printf(", default via %s", PKL_LAB_ROUTER_LAN_ADDR);
		else if (f->ns == PKL_LAB_ROUTER && strcmp(f->name, PKL_LAB_ROUTER_WAN) == 0)
			printf(", forwarding, masquerading the LAN");
		else if (f->ns == PKL_LAB_OUTSIDE)
			printf(", no route to the LAN");
		printf("\n");
	}
}

static int
lab_up(void)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_lab lab;
	bool created;

	if (pkl_lab_ensure(&lab, &created, errbuf) < 0)
		return pkl_cmd_fail(errbuf);
	printf("%s:\n", created ? "the lab is up" : "the lab was already up");
	print_hosts();
	printf("Enter a host with: sudo ip netns exec %s bash; remove it all with: "
	       "sudo pktlens lab down\n", PKL_LAB_NS_CLIENT);
	return 0;
}

static int
lab_status(void)
{
	char errbuf[PKL_ERRBUF_SIZE], when[64] = "";
	struct pkl_lab lab;
	unsigned n = 0;

	if (pkl_lab_status(&lab, errbuf) < 0)
		return pkl_cmd_fail(errbuf);
	for (int i = 0; i < PKL_LAB_NNS; i++) {
		n += lab.exists[i];
		printf("  %-18s %s\n", pkl_lab_ns_name(i),
		       !lab.exists[i] ? "absent" : lab.owned[i] ? "up" : "NOT made by pktlens lab up");
	}
	if (pkl_lab_is_up(&lab)) {
		printf("the lab is up:\n");
		print_hosts();
	} else {
		printf(n ? "the lab is only partly there: sudo pktlens lab down removes it\n" :
			   "the lab is down\n");
	}
	if (lab.last_demo[0]) {
		struct tm tm;
		if (localtime_r(&lab.last_time, &tm))
			strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
		printf("last demo: %s at %s, %s\n", lab.last_demo, when,
		       lab.last_status == 0 ? "completed" : "failed");
	} else {
		printf("no lab demo has run\n");
	}
	return 0;
}

static int
lab_down(void)
{
	char errbuf[PKL_ERRBUF_SIZE];
	unsigned removed;

	if (pkl_lab_down(&removed, errbuf) < 0)
		return pkl_cmd_fail(errbuf);
	if (removed)
		printf("removed %u lab namespaces (their interfaces and the bridge with them)\n",
		       removed);
	else
		printf("the lab was not up: nothing to remove\n");
	return 0;
}

static int
run(const struct pkl_command *cmd, int argc, char **argv)
{
	const struct pkl_opt_group groups[] = {
		{ "Options", lab_options, lab_apply, NULL, NULL },
	};
	int first, status;

	if ((status = pkl_opts_parse(cmd, groups, PKL_NGROUPS(groups), argc, argv, &first)) >= 0)
		return status;
	if (argc - first != 1)
		return pkl_cmd_usage_error(cmd, "say what to do: up, status or down");
	if (strcmp(argv[first], "up") == 0)
		return lab_up();
	if (strcmp(argv[first], "status") == 0)
		return lab_status();
	if (strcmp(argv[first], "down") == 0)
		return lab_down();
	return pkl_cmd_usage_error(cmd, "'%s' is not up, status or down", argv[first]);
}

const struct pkl_command pkl_cmd_lab = {
	.name = "lab",
	.synopsis = "up|status|down",
	.summary = "the namespaces the lab demonstrations run in: build, show, remove",
	.description =
		"A lab of network namespaces joined by a bridge in a namespace of its own, on\n"
		"RFC 5737's documentation ranges, where the lab demonstrations (synflood,\n"
		"arpspoof, halfopen, lost-ack, journey) send frames from addresses that are\n"
		"not theirs without any reaching a real network.  up builds it (refused when\n"
		"the host has an address or a route in 192.0.2.0/24 or 198.51.100.0/24),\n"
		"status says what exists and which demo ran last, down removes every\n"
		"namespace by name, and with them their interfaces and the bridge.  The\n"
		"demonstrations build the lab themselves when it is down, and remove it\n"
		"afterwards unless --keep.  Needs root.",
	.epilogue = NULL,
	.run = run,
};
