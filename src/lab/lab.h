/* The lab: network namespaces pktlens builds for the demonstrations that
 * send frames from addresses that are not theirs (spoofed SYNs, forged
 * ARP replies), so that no such frame can reach a real network.
 *
 *   pkl-lab-switch    bridge br0; a port p-<host> for each LAN host
 *   pkl-lab-client    eth0 192.0.2.10/24    02:00:5e:00:02:0a  via 192.0.2.1
 *   pkl-lab-server    eth0 192.0.2.20/24    02:00:5e:00:02:14  via 192.0.2.1
 *   pkl-lab-attacker  eth0 192.0.2.66/24    02:00:5e:00:02:42  via 192.0.2.1
 *   pkl-lab-router    lan0 192.0.2.1/24     02:00:5e:00:02:01  (on the bridge)
 *                     wan0 198.51.100.1/24  02:00:5e:00:33:01  (to pkl-lab-outside)
 *                     forwards, and masquerades LAN -> outside (nftables)
 *   pkl-lab-outside   eth0 198.51.100.53/24, 198.51.100.80/24  02:00:5e:00:33:35
 *                     no route back to the LAN: only NAT gets answers there
 *
 * The LAN is TEST-NET-1 (192.0.2.0/24), the outside TEST-NET-2
 * (198.51.100.0/24), RFC 5737's documentation ranges, which no real
 * network uses; the lab is refused when the host has an address or a
 * route in either, unless the environment variable PKL_LAB_OVERLAP_ENV
 * says "allow" (a sandbox whose own network is TEST-NET-1: the lab is in
 * namespaces of its own, so no lab frame reaches the host's network
 * either way; only the addresses could be confused).  The MACs are locally administered (02:...), built
 * from IANA's 00:00:5e as 02:00:5e:00:NN:HH, NN the range's third
 * octet (02, 0x33 = 51), HH the address's last octet.  IPv6 is off on
 * every lab link: the wire carries the demonstrations' frames only.
 *
 * Ownership: pktlens records the namespaces it made (name and the
 * namespace's inode, which a namespace of the same name made by someone
 * else would not share) in PKL_LAB_STATE; a lab demonstration sends
 * only on interfaces of namespaces that record names
 * (pkl_lab_check_owned).
 *
 * Everything here needs root (CAP_SYS_ADMIN to enter a namespace,
 * CAP_NET_ADMIN to build one).  Library code: never prints; errors
 * return -1 with a sentence in errbuf. */
#ifndef PKL_LAB_LAB_H
#define PKL_LAB_LAB_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "../capture.h"

#define PKL_LAB_PREFIX "pkl-lab-"

#define PKL_LAB_NS_SWITCH "pkl-lab-switch"
#define PKL_LAB_NS_CLIENT "pkl-lab-client"
#define PKL_LAB_NS_SERVER "pkl-lab-server"
#define PKL_LAB_NS_ATTACKER "pkl-lab-attacker"
#define PKL_LAB_NS_ROUTER "pkl-lab-router"
#define PKL_LAB_NS_OUTSIDE "pkl-lab-outside"

#define PKL_LAB_BRIDGE "br0"
#define PKL_LAB_LAN_IFACE "eth0"        /* client, server, attacker; outside's too */
#define PKL_LAB_ROUTER_LAN "lan0"
#define PKL_LAB_ROUTER_WAN "wan0"
#define PKL_LAB_OUTSIDE_IFACE "eth0"

#define PKL_LAB_LAN_NET "192.0.2.0"
#define PKL_LAB_OUT_NET "198.51.100.0"
#define PKL_LAB_PREFIX_LEN 24
#define PKL_LAB_OVERLAP_ENV "PKTLENS_LAB_OVERLAP"
#define PKL_LAB_CLIENT_ADDR "192.0.2.10"
#define PKL_LAB_SERVER_ADDR "192.0.2.20"
#define PKL_LAB_ATTACKER_ADDR "192.0.2.66"
#define PKL_LAB_ROUTER_LAN_ADDR "192.0.2.1"
#define PKL_LAB_ROUTER_WAN_ADDR "198.51.100.1"
#define PKL_LAB_DNS_ADDR "198.51.100.53"
#define PKL_LAB_WEB_ADDR "198.51.100.80"

/* Where the lab's record is kept (a tmpfs: gone at reboot, as the
 * namespaces are). */
#define PKL_LAB_STATE_DIR "/run/pktlens"
#define PKL_LAB_STATE PKL_LAB_STATE_DIR "/lab"

/* The namespaces, in the order they are made (the switch first: every
 * host's veth has its peer there). */
enum pkl_lab_ns {
	PKL_LAB_SWITCH,
	PKL_LAB_CLIENT,
	PKL_LAB_SERVER,
	PKL_LAB_ATTACKER,
	PKL_LAB_ROUTER,
	PKL_LAB_OUTSIDE,
	PKL_LAB_NNS
};

/* One interface of the lab. */
struct pkl_lab_iface {
	enum pkl_lab_ns ns;
	const char *name;
	const char *addr[2];        /* one or two addresses (/24); NULL: none */
	uint8_t mac[6];
	const char *peer;           /* the veth's other end: a bridge port, or wan0's */
	enum pkl_lab_ns peer_ns;
};

/* Every interface of the lab but the bridge and its ports, as the
 * picture above. */
extern const struct pkl_lab_iface pkl_lab_ifaces[];
extern const unsigned pkl_lab_nifaces;

/* "pkl-lab-client" ... */
const char *pkl_lab_ns_name(enum pkl_lab_ns ns);
/* The host's interface on the LAN (eth0 of client, server, attacker;
 * lan0 of the router), or of the outside: NULL for the switch. */
const struct pkl_lab_iface *pkl_lab_iface_of(enum pkl_lab_ns ns);

/* What exists, as the kernel and the lab's record say. */
struct pkl_lab {
	bool exists[PKL_LAB_NNS];       /* a namespace of that name is there */
	bool owned[PKL_LAB_NNS];        /* and it is the one pktlens made */
	char last_demo[32];             /* the demonstration that ran last; "" none */
	time_t last_time;
	int last_status;                /* its exit status */
};

/* Fill lab from /run/netns and the lab's record.  Returns -1 with a
 * sentence only when the record cannot be read. */
int pkl_lab_status(struct pkl_lab *lab, char errbuf[PKL_ERRBUF_SIZE]);

/* Every namespace there and pktlens's own. */
bool pkl_lab_is_up(const struct pkl_lab *lab);

/* Bring the lab up unless it is: *created says whether it was made
 * now (a demonstration then takes it down at its end).  Refused, with a
 * sentence, when the host has an address or route in the lab's ranges,
 * or when a namespace of a lab name exists that pktlens did not make,
 * or the lab is only partly there (pktlens lab down first).  A failure
 * half-way removes what was made.  lab is filled as by pkl_lab_status. */
int pkl_lab_ensure(struct pkl_lab *lab, bool *created, char errbuf[PKL_ERRBUF_SIZE]);

/* Remove every lab namespace (by name: their veths and the bridge go
 * with them), after ending the processes still running inside them
 * (a demonstration's servers), and the record.  *removed: how many
 * namespaces there were (NULL: not wanted).  Returns -1 with a sentence
 * when one could not be removed. */
int pkl_lab_down(unsigned *removed, char errbuf[PKL_ERRBUF_SIZE]);

/* Record that a demonstration ran (name, exit status), for `lab
 * status`.  Best effort: the lab works without it. */
void pkl_lab_note_demo(const char *name, int status);

/* Whether netns is a lab namespace pktlens made (name pkl-lab-*, the
 * inode it recorded) and, when ifname is not NULL, has that interface.
 * Returns 0, or -1 with a sentence saying why frames may not be sent
 * there. */
int pkl_lab_check_owned(const char *netns, const char *ifname, char errbuf[PKL_ERRBUF_SIZE]);

/* Move this process (its one thread) into netns; *home is a descriptor
 * of the namespace it was in, for pkl_lab_leave.  Sockets opened
 * inside stay in netns after leaving: that is how one process captures
 * in several namespaces.  /proc/sys/net and /proc/self/net opened
 * inside are netns's. */
int pkl_lab_enter(const char *netns, int *home, char errbuf[PKL_ERRBUF_SIZE]);
/* Back to home, which is closed.  Returns -1 with a sentence when the
 * kernel refuses (the process then stays where it is). */
int pkl_lab_leave(int home, char errbuf[PKL_ERRBUF_SIZE]);

/* fn(ctx, errbuf) run inside netns, then back: fn's return value, or
 * -1 with a sentence when the namespace cannot be entered. */
int pkl_lab_run_in(const char *netns, int (*fn)(void *ctx, char errbuf[PKL_ERRBUF_SIZE]),
		   void *ctx, char errbuf[PKL_ERRBUF_SIZE]);

/* A command run inside netns (NULL: here), input (NULL: none) on its
 * standard input, waited for.  Returns 0 when it exits 0, else -1 with
 * a sentence naming the command and quoting the first line it wrote to
 * its standard error. */
int pkl_lab_exec(const char *netns, const char *const argv[], const char *input,
		 char errbuf[PKL_ERRBUF_SIZE]);

/* A command started inside netns, not waited for (a server for a
 * demonstration), standard input and output /dev/null.  Its PID, or -1
 * with a sentence.  The caller ends it (pkl_lab_stop); pkl_lab_down
 * ends whatever is left. */
pid_t pkl_lab_spawn(const char *netns, const char *const argv[], char errbuf[PKL_ERRBUF_SIZE]);
/* The same with its standard output to out_fd (-1: /dev/null). */
pid_t pkl_lab_spawn_to(const char *netns, const char *const argv[], int out_fd,
		       char errbuf[PKL_ERRBUF_SIZE]);
/* SIGTERM, up to half a second, then SIGKILL; reaped. */
void pkl_lab_stop(pid_t pid);

/* An integer sysctl of netns, by its /proc/sys path below net/
 * ("ipv4/tcp_syncookies"). */
int pkl_lab_sysctl_get(const char *netns, const char *name, long *value,
		       char errbuf[PKL_ERRBUF_SIZE]);
int pkl_lab_sysctl_set(const char *netns, const char *name, long value,
		       char errbuf[PKL_ERRBUF_SIZE]);

#endif
