/* The lab's namespaces: built, checked, entered, removed.
 *
 * Built by running iproute2's `ip` (one `ip -batch -` per namespace,
 * inside it) and `nft` in the router, rather than by rtnetlink messages
 * of pktlens's own: a namespace is a bind mount under /run/netns that
 * `ip netns exec`, `ss -N` and `tcpdump` inside it must all recognise,
 * and a veth with its peer in another namespace, a bridge, its ports and
 * a masquerade rule are each a handful of nested attributes that
 * iproute2 and nftables already spell correctly; the lab's script then
 * reads as the commands a teacher would type.  Reading (what exists,
 * the neighbour table, the sockets) is pktlens's own netlink, inside the
 * namespace (pkl_lab_enter). */
#define _GNU_SOURCE   /* setns */
#include "lab.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../craft/route.h"

#define NETNS_DIR "/run/netns"

static const char *const ns_names[PKL_LAB_NNS] = {
	[PKL_LAB_SWITCH] = PKL_LAB_NS_SWITCH,   [PKL_LAB_CLIENT] = PKL_LAB_NS_CLIENT,
	[PKL_LAB_SERVER] = PKL_LAB_NS_SERVER,   [PKL_LAB_ATTACKER] = PKL_LAB_NS_ATTACKER,
	[PKL_LAB_ROUTER] = PKL_LAB_NS_ROUTER,   [PKL_LAB_OUTSIDE] = PKL_LAB_NS_OUTSIDE,
};

const struct pkl_lab_iface pkl_lab_ifaces[] = {
	{ PKL_LAB_CLIENT, PKL_LAB_LAN_IFACE, { PKL_LAB_CLIENT_ADDR, NULL },
	  { 0x02, 0x00, 0x5e, 0x00, 0x02, 0x0a }, "p-client", PKL_LAB_SWITCH },
	{ PKL_LAB_SERVER, PKL_LAB_LAN_IFACE, { PKL_LAB_SERVER_ADDR, NULL },
	  { 0x02, 0x00, 0x5e, 0x00, 0x02, 0x14 }, "p-server", PKL_LAB_SWITCH },
	{ PKL_LAB_ATTACKER, PKL_LAB_LAN_IFACE, { PKL_LAB_ATTACKER_ADDR, NULL },
	  { 0x02, 0x00, 0x5e, 0x00, 0x02, 0x42 }, "p-attacker", PKL_LAB_SWITCH },
	{ PKL_LAB_ROUTER, PKL_LAB_ROUTER_LAN, { PKL_LAB_ROUTER_LAN_ADDR, NULL },
	  { 0x02, 0x00, 0x5e, 0x00, 0x02, 0x01 }, "p-router", PKL_LAB_SWITCH },
	{ PKL_LAB_ROUTER, PKL_LAB_ROUTER_WAN, { PKL_LAB_ROUTER_WAN_ADDR, NULL },
	  { 0x02, 0x00, 0x5e, 0x00, 0x33, 0x01 }, PKL_LAB_OUTSIDE_IFACE, PKL_LAB_OUTSIDE },
	{ PKL_LAB_OUTSIDE, PKL_LAB_OUTSIDE_IFACE, { PKL_LAB_DNS_ADDR, PKL_LAB_WEB_ADDR },
	  { 0x02, 0x00, 0x5e, 0x00, 0x33, 0x35 }, NULL, PKL_LAB_ROUTER },
};
const unsigned pkl_lab_nifaces = sizeof pkl_lab_ifaces / sizeof pkl_lab_ifaces[0];

/* The router's masquerade: what leaves by wan0 from the LAN takes
 * wan0's address (and, where needed, another port); conntrack turns the
 * answers back. */
static const char masquerade[] =
	"table ip pkl_lab_nat {\n"
	"\tchain postrouting {\n"
	"\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
	"\t\toifname \"" PKL_LAB_ROUTER_WAN "\" ip saddr " PKL_LAB_LAN_NET "/24 masquerade\n"
	"\t}\n"
	"}\n";

const char *
pkl_lab_ns_name(enum pkl_lab_ns ns)
{
	return ns_names[ns];
}

const struct pkl_lab_iface *
pkl_lab_iface_of(enum pkl_lab_ns ns)
{
	for (unsigned i = 0; i < pkl_lab_nifaces; i++)
		if (pkl_lab_ifaces[i].ns == ns)
			return &pkl_lab_ifaces[i];
	return NULL;
}

static int
ns_index(const char *netns)
{
	for (int i = 0; i < PKL_LAB_NNS; i++)
		if (strcmp(netns, ns_names[i]) == 0)
			return i;
	return -1;
}

/* ---- commands ----------------------------------------------------------- */

/* The first line of what a command wrote to its standard error. */
static void
first_line(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

static void
child_enter(const char *netns)
{
	char path[128];
	int fd;

	if (!netns)
		return;
	snprintf(path, sizeof path, NETNS_DIR "/%s", netns);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || setns(fd, CLONE_NEWNET) < 0) {
		dprintf(STDERR_FILENO, "cannot enter the namespace %s: %s\n", netns,
			strerror(errno));
		_exit(127);
	}
}

int
pkl_lab_exec(const char *netns, const char *const argv[], const char *input,
	     char errbuf[PKL_ERRBUF_SIZE])
{
	int in[2] = { -1, -1 }, err[2] = { -1, -1 }, status;
	char said[200];
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot run %s: %s", argv[0], strerror(errno));
		for (int i = 0; i < 2; i++) {
			if (in[i] >= 0)
				close(in[i]);
			if (err[i] >= 0)
				close(err[i]);
		}
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(in[0], STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		child_enter(netns);
		execvp(argv[0], (char *const *)argv);
		dprintf(STDERR_FILENO, "%s: %s (install iproute2 and nftables)\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(err[1]);
	/* The scripts are small: they fit in the pipe, so writing them all
	 * before reading the errors cannot block. */
	if (input && write(in[1], input, strlen(input)) < 0) {
		/* the command stopped reading: its status says why */
	}
	close(in[1]);
	first_line(err[0], said, sizeof said);
	close(err[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	size_t len = (size_t)snprintf(errbuf, PKL_ERRBUF_SIZE, "`");
	for (size_t i = 0; argv[i] && len < PKL_ERRBUF_SIZE; i++)
		len += (size_t)snprintf(errbuf + len, PKL_ERRBUF_SIZE - len, "%s%s", i ? " " : "",
					argv[i]);
	if (len < PKL_ERRBUF_SIZE)
		snprintf(errbuf + len, PKL_ERRBUF_SIZE - len, "`%s%s failed: %s", netns ? " in " : "",
			 netns ? netns : "", said[0] ? said : "no message");
	return -1;
}

pid_t
pkl_lab_spawn(const char *netns, const char *const argv[], char errbuf[PKL_ERRBUF_SIZE])
{
	return pkl_lab_spawn_to(netns, argv, -1, errbuf);
}

pid_t
pkl_lab_spawn_to(const char *netns, const char *const argv[], int out_fd,
		 char errbuf[PKL_ERRBUF_SIZE])
{
	pid_t pid = fork();

	if (pid < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot start %s: %s", argv[0], strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, STDIN_FILENO);
		dup2(out_fd >= 0 ? out_fd : null, STDOUT_FILENO);
		child_enter(netns);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

void
pkl_lab_stop(pid_t pid)
{
	int status;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (int i = 0; i < 50; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

/* ---- namespaces --------------------------------------------------------- */

int
pkl_lab_enter(const char *netns, int *home, char errbuf[PKL_ERRBUF_SIZE])
{
	char path[128];
	int fd;

	snprintf(path, sizeof path, NETNS_DIR "/%s", netns);
	*home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*home < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot open this process's network namespace: %s",
			 strerror(errno));
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || setns(fd, CLONE_NEWNET) < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot enter the network namespace %s: %s%s",
			 netns, strerror(errno),
			 errno == ENOENT ? " (is the lab up? sudo pktlens lab up)" :
			 errno == EPERM ? " (run as root: sudo)" : "");
		if (fd >= 0)
			close(fd);
		close(*home);
		return -1;
	}
	close(fd);
	return 0;
}

int
pkl_lab_leave(int home, char errbuf[PKL_ERRBUF_SIZE])
{
	int ret = setns(home, CLONE_NEWNET);

	if (ret < 0)
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot return to pktlens's network namespace: %s",
			 strerror(errno));
	close(home);
	return ret;
}

int
pkl_lab_run_in(const char *netns, int (*fn)(void *ctx, char errbuf[PKL_ERRBUF_SIZE]), void *ctx,
	       char errbuf[PKL_ERRBUF_SIZE])
{
	char leave_err[PKL_ERRBUF_SIZE];
	int home;

	if (pkl_lab_enter(netns, &home, errbuf) < 0)
		return -1;
	int ret = fn(ctx, errbuf);
	if (pkl_lab_leave(home, leave_err) < 0) {
		/* Staying in the lab would make every later step wrong. */
		snprintf(errbuf, PKL_ERRBUF_SIZE, "%s", leave_err);
		return -1;
	}
	return ret;
}

struct sysctl_arg {
	const char *name;
	long *value;
	bool write;
};

static int
sysctl_here(void *ctx, char errbuf[PKL_ERRBUF_SIZE])
{
	const struct sysctl_arg *a = ctx;
	char path[160], text[32];
	int fd, ok;

	snprintf(path, sizeof path, "/proc/sys/net/%s", a->name);
	if ((fd = open(path, (a->write ? O_WRONLY : O_RDONLY) | O_CLOEXEC)) < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (a->write) {
		int len = snprintf(text, sizeof text, "%ld\n", *a->value);
		ok = write(fd, text, (size_t)len) == len;
	} else {
		ssize_t n = read(fd, text, sizeof text - 1);
		ok = n > 0;
		if (ok) {
			text[n] = '\0';
			*a->value = strtol(text, NULL, 10);
		}
	}
	if (!ok)
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot %s %s: %s", a->write ? "write" : "read",
			 path, strerror(errno));
	close(fd);
	return ok ? 0 : -1;
}

int
pkl_lab_sysctl_get(const char *netns, const char *name, long *value, char errbuf[PKL_ERRBUF_SIZE])
{
	struct sysctl_arg a = { name, value, false };

	return pkl_lab_run_in(netns, sysctl_here, &a, errbuf);
}

int
pkl_lab_sysctl_set(const char *netns, const char *name, long value, char errbuf[PKL_ERRBUF_SIZE])
{
	struct sysctl_arg a = { name, &value, true };

	return pkl_lab_run_in(netns, sysctl_here, &a, errbuf);
}

/* ---- the record --------------------------------------------------------- */

struct record {
	ino_t inode[PKL_LAB_NNS];
	char demo[32];
	long long time;
	int status;
};

static void
read_record(struct record *r)
{
	FILE *f = fopen(PKL_LAB_STATE, "r");
	char line[128], name[64];
	unsigned long long ino;

	*r = (struct record){ 0 };
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		int i;
		if (sscanf(line, "netns %63s %llu", name, &ino) == 2 && (i = ns_index(name)) >= 0)
			r->inode[i] = (ino_t)ino;
		else
			sscanf(line, "demo %31s %lld %d", r->demo, &r->time, &r->status);
	}
	fclose(f);
}

static int
write_record(const struct record *r, char errbuf[PKL_ERRBUF_SIZE])
{
	FILE *f;

	if ((mkdir(PKL_LAB_STATE_DIR, 0755) < 0 && errno != EEXIST) ||
	    !(f = fopen(PKL_LAB_STATE ".new", "w"))) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot write the lab's record %s: %s",
			 PKL_LAB_STATE, strerror(errno));
		return -1;
	}
	fprintf(f, "# pktlens lab: the namespaces it made (name, inode) and the last demo\n");
	for (int i = 0; i < PKL_LAB_NNS; i++)
		if (r->inode[i])
			fprintf(f, "netns %s %llu\n", ns_names[i], (unsigned long long)r->inode[i]);
	if (r->demo[0])
		fprintf(f, "demo %s %lld %d\n", r->demo, r->time, r->status);
	if (fclose(f) != 0 || rename(PKL_LAB_STATE ".new", PKL_LAB_STATE) < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot write the lab's record %s: %s",
			 PKL_LAB_STATE, strerror(errno));
		return -1;
	}
	return 0;
}

/* The namespace's inode (its identity), or 0 when there is none. */
static ino_t
ns_inode(const char *netns)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof path, NETNS_DIR "/%s", netns);
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

int
pkl_lab_status(struct pkl_lab *lab, char errbuf[PKL_ERRBUF_SIZE])
{
	struct record r;

	(void)errbuf;
	read_record(&r);
	*lab = (struct pkl_lab){ .last_time = (time_t)r.time, .last_status = r.status };
	snprintf(lab->last_demo, sizeof lab->last_demo, "%s", r.demo);
	for (int i = 0; i < PKL_LAB_NNS; i++) {
		ino_t ino = ns_inode(ns_names[i]);
		lab->exists[i] = ino != 0;
		lab->owned[i] = ino != 0 && ino == r.inode[i];
	}
	return 0;
}

bool
pkl_lab_is_up(const struct pkl_lab *lab)
{
	for (int i = 0; i < PKL_LAB_NNS; i++)
		if (!lab->owned[i])
			return false;
	return true;
}

void
pkl_lab_note_demo(const char *name, int status)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct record r;

	read_record(&r);
	snprintf(r.demo, sizeof r.demo, "%s", name);
	r.time = (long long)time(NULL);
	r.status = status;
	write_record(&r, errbuf);
}

int
pkl_lab_check_owned(const char *netns, const char *ifname, char errbuf[PKL_ERRBUF_SIZE])
{
	struct record r;
	int i = ns_index(netns);

	if (strncmp(netns, PKL_LAB_PREFIX, strlen(PKL_LAB_PREFIX)) != 0 || i < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "the namespace '%s' is not one of the lab's (" PKL_LAB_PREFIX "client, "
			 "-server, -attacker, -router, -outside): lab demonstrations send "
			 "spoofed frames only inside the lab", netns);
		return -1;
	}
	read_record(&r);
	ino_t ino = ns_inode(netns);
	if (!ino || ino != r.inode[i]) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "the namespace %s %s: lab demonstrations send spoofed frames only in a "
			 "lab pktlens built (sudo pktlens lab down; sudo pktlens lab up)", netns,
			 ino ? "was not made by pktlens lab up" : "does not exist");
		return -1;
	}
	if (!ifname)
		return 0;
	int home;
	if (pkl_lab_enter(netns, &home, errbuf) < 0)
		return -1;
	unsigned index = if_nametoindex(ifname);
	int saved = errno;
	if (pkl_lab_leave(home, errbuf) < 0)
		return -1;
	if (!index) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "the lab namespace %s has no interface %s: %s",
			 netns, ifname, strerror(saved));
		return -1;
	}
	return 0;
}

/* ---- up ----------------------------------------------------------------- */

/* The host's addresses and routes must stay clear of the lab's ranges:
 * else a lab address could be mistaken for a real one (and a frame
 * written about one, for the other). */
static int
check_ranges(char errbuf[PKL_ERRBUF_SIZE])
{
	const char *const nets[] = { PKL_LAB_LAN_NET, PKL_LAB_OUT_NET };
	struct pkl_route_table t;
	const char *allow = getenv(PKL_LAB_OVERLAP_ENV);
	char text[PKL_PREFIX_TEXT];
	int ret = 0;

	if (allow && strcmp(allow, "allow") == 0)
		return 0;
	if (pkl_route_table_load(&t, 4, errbuf) < 0)
		return -1;
	for (size_t n = 0; n < 2 && ret == 0; n++) {
		struct pkl_addr net;
		pkl_addr_parse(nets[n], &net);
		for (size_t i = 0; i < t.n_addrs && ret == 0; i++) {
			if (!pkl_addr_in_prefix(&t.addrs[i].addr, &net, PKL_LAB_PREFIX_LEN))
				continue;
			pkl_addr_format(&t.addrs[i].addr, text, sizeof text);
			snprintf(errbuf, PKL_ERRBUF_SIZE,
				 "this host has the address %s, in the lab's range %s/24: the lab's "
				 "addresses would be confused with real ones; not building it (to "
				 "build it all the same: sudo " PKL_LAB_OVERLAP_ENV "=allow pktlens ...)",
				 text, nets[n]);
			ret = -1;
		}
		for (size_t i = 0; i < t.n_routes && ret == 0; i++) {
			const struct pkl_route_entry *e = &t.routes[i];
			if (e->prefix_len == 0 ||
			    !(pkl_addr_in_prefix(&e->dst, &net, PKL_LAB_PREFIX_LEN) ||
			      pkl_addr_in_prefix(&net, &e->dst, e->prefix_len)))
				continue;
			pkl_addr_format_prefix(&e->dst, e->prefix_len, text, sizeof text);
			snprintf(errbuf, PKL_ERRBUF_SIZE,
				 "this host has a route to %s, which overlaps the lab's range "
				 "%s/24: the lab's addresses would be confused with real ones; not "
				 "building it (to build it all the same: sudo " PKL_LAB_OVERLAP_ENV
				 "=allow pktlens ...)", text, nets[n]);
			ret = -1;
		}
	}
	pkl_route_table_free(&t);
	return ret;
}

static int
ip_batch(enum pkl_lab_ns ns, const char *script, char errbuf[PKL_ERRBUF_SIZE])
{
	const char *const argv[] = { "ip", "-batch", "-", NULL };

	return pkl_lab_exec(ns_names[ns], argv, script, errbuf);
}

static void
format_mac(const uint8_t mac[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}

/* The script of one host: its veths (made here, the peer sent to the
 * switch or the outside), addresses, links up, the default route. */
static void
host_script(enum pkl_lab_ns ns, char *buf, size_t size)
{
	size_t len = (size_t)snprintf(buf, size, "link set lo up\n");

	for (unsigned i = 0; i < pkl_lab_nifaces; i++) {
		const struct pkl_lab_iface *f = &pkl_lab_ifaces[i];
		char mac[18], peer_mac[18] = "";
		if (f->ns != ns)
			continue;
		format_mac(f->mac, mac);
		if (f->peer) {
			const struct pkl_lab_iface *p = f->peer_ns == PKL_LAB_SWITCH ? NULL :
							pkl_lab_iface_of(f->peer_ns);
			if (p)
				format_mac(p->mac, peer_mac);
			len += (size_t)snprintf(buf + len, size - len,
						"link add %s address %s type veth peer name %s%s%s "
						"netns %s\n", f->name, mac, f->peer,
						p ? " address " : "", peer_mac,
						ns_names[f->peer_ns]);
		}
		for (int a = 0; a < 2 && f->addr[a]; a++)
			len += (size_t)snprintf(buf + len, size - len, "addr add %s/%d dev %s\n",
						f->addr[a], PKL_LAB_PREFIX_LEN, f->name);
		len += (size_t)snprintf(buf + len, size - len, "link set %s up\n", f->name);
	}
	if (ns == PKL_LAB_CLIENT || ns == PKL_LAB_SERVER || ns == PKL_LAB_ATTACKER)
		snprintf(buf + len, size - len, "route add default via %s\n",
			 PKL_LAB_ROUTER_LAN_ADDR);
}

static int
build(struct record *r, char errbuf[PKL_ERRBUF_SIZE])
{
	const char *const netns_add[] = { "ip", "netns", "add", NULL, NULL };
	const char *const nft[] = { "nft", "-f", "-", NULL };
	char script[2048];

	for (int i = 0; i < PKL_LAB_NNS; i++) {
		const char *argv[5];
		memcpy(argv, netns_add, sizeof argv);
		argv[3] = ns_names[i];
		if (pkl_lab_exec(NULL, argv, NULL, errbuf) < 0)
			return -1;
		if (!(r->inode[i] = ns_inode(ns_names[i]))) {
			snprintf(errbuf, PKL_ERRBUF_SIZE, "ip netns add %s made no namespace",
				 ns_names[i]);
			return -1;
		}
		/* Before any interface exists, so that every one inherits it:
		 * no IPv6, no router solicitations or MLD reports on the wire. */
		if (pkl_lab_sysctl_set(ns_names[i], "ipv6/conf/default/disable_ipv6", 1, errbuf) < 0 ||
		    pkl_lab_sysctl_set(ns_names[i], "ipv6/conf/all/disable_ipv6", 1, errbuf) < 0)
			return -1;
	}
	if (ip_batch(PKL_LAB_SWITCH, "link set lo up\nlink add " PKL_LAB_BRIDGE " type bridge\n"
		     "link set " PKL_LAB_BRIDGE " up\n", errbuf) < 0)
		return -1;
	/* The outside last: its end of wan0 is made by the router's script. */
	for (int ns = PKL_LAB_CLIENT; ns < PKL_LAB_NNS; ns++) {
		host_script(ns, script, sizeof script);
		if (ip_batch(ns, script, errbuf) < 0)
			return -1;
	}
	size_t len = 0;
	for (unsigned i = 0; i < pkl_lab_nifaces; i++)
		if (pkl_lab_ifaces[i].peer_ns == PKL_LAB_SWITCH)
			len += (size_t)snprintf(script + len, sizeof script - len,
						"link set %s master " PKL_LAB_BRIDGE " up\n",
						pkl_lab_ifaces[i].peer);
	if (ip_batch(PKL_LAB_SWITCH, script, errbuf) < 0 ||
	    pkl_lab_sysctl_set(PKL_LAB_NS_ROUTER, "ipv4/ip_forward", 1, errbuf) < 0 ||
	    pkl_lab_exec(PKL_LAB_NS_ROUTER, nft, masquerade, errbuf) < 0)
		return -1;
	return write_record(r, errbuf);
}

int
pkl_lab_ensure(struct pkl_lab *lab, bool *created, char errbuf[PKL_ERRBUF_SIZE])
{
	struct record r;

	*created = false;
	if (pkl_lab_status(lab, errbuf) < 0)
		return -1;
	if (pkl_lab_is_up(lab))
		return 0;
	for (int i = 0; i < PKL_LAB_NNS; i++) {
		if (!lab->exists[i])
			continue;
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 lab->owned[i] ? "the lab is only partly there (%s exists, not all the "
					 "others): remove it with sudo pktlens lab down" :
					 "a namespace %s exists that pktlens lab up did not make: "
					 "remove it (sudo ip netns del %s) or leave the lab be",
			 ns_names[i], ns_names[i]);
		return -1;
	}
	if (check_ranges(errbuf) < 0)
		return -1;
	read_record(&r);
	memset(r.inode, 0, sizeof r.inode);
	if (build(&r, errbuf) < 0) {
		char ignored[PKL_ERRBUF_SIZE];
		pkl_lab_down(NULL, ignored);
		return -1;
	}
	*created = true;
	return pkl_lab_status(lab, errbuf);
}

/* ---- down --------------------------------------------------------------- */

/* End every process whose network namespace is ino (not this one). */
static void
end_processes_in(ino_t ino)
{
	DIR *proc = opendir("/proc");
	struct dirent *e;
	pid_t self = getpid();

	if (!proc)
		return;
	while ((e = readdir(proc))) {
		char path[300];
		struct stat st;
		pid_t pid = (pid_t)strtol(e->d_name, NULL, 10);
		if (pid <= 0 || pid == self)
			continue;
		snprintf(path, sizeof path, "/proc/%s/ns/net", e->d_name);
		if (stat(path, &st) == 0 && st.st_ino == ino)
			kill(pid, SIGKILL);
	}
	closedir(proc);
}

int
pkl_lab_down(unsigned *removed, char errbuf[PKL_ERRBUF_SIZE])
{
	struct record r;
	int ret = 0;

	if (removed)
		*removed = 0;
	/* The hosts before the switch: the bridge's ports go with their
	 * veths. */
	for (int i = PKL_LAB_NNS - 1; i >= 0; i--) {
		const char *argv[] = { "ip", "netns", "del", ns_names[i], NULL };
		ino_t ino = ns_inode(ns_names[i]);
		if (!ino)
			continue;
		end_processes_in(ino);
		if (pkl_lab_exec(NULL, argv, NULL, errbuf) < 0)
			ret = -1;
		else if (removed)
			(*removed)++;
	}
	read_record(&r);
	memset(r.inode, 0, sizeof r.inode);
	if (write_record(&r, ret < 0 ? (char[PKL_ERRBUF_SIZE]){ 0 } : errbuf) < 0)
		ret = -1;
	return ret;
}
