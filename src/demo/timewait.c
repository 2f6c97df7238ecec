/* TIME_WAIT: held by whoever closed first, for 2*MSL (60 s on Linux,
 * TCP_TIMEWAIT_LEN, not tunable), and why a restarted server's bind()
 * fails with EADDRINUSE until it sets SO_REUSEADDR. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "../json.h"
#include "calls.h"
#include "demos.h"

static const struct {
	const char *name;
	const char *meaning;
} sysctls[] = {
	{ "tcp_fin_timeout",
	  "seconds a socket its program has closed waits in FIN_WAIT_2 for the peer's FIN; "
	  "not the length of TIME_WAIT, which is fixed at 60 s" },
	{ "tcp_tw_reuse",
	  "1 lets a new outgoing connect() take over the ports of a TIME_WAIT socket when "
	  "timestamps make it safe (2, the default: on loopback only); it only helps outgoing "
	  "connections, never a server's bind()" },
	{ "tcp_max_tw_buckets",
	  "the most TIME_WAIT sockets kept at once; beyond it the kernel drops them early and "
	  "logs \"time wait bucket table overflow\"" },
	{ "ip_local_port_range",
	  "the ports connect() picks from: once every one toward a peer's port is in TIME_WAIT, "
	  "connect() fails with EADDRNOTAVAIL" },
};

/* /proc/sys/net/ipv4/NAME's value on one line; "unreadable" if not. */
static void
read_sysctl(const char *name, char *value, size_t size)
{
	char path[96];
	FILE *f;

	snprintf(path, sizeof path, "/proc/sys/net/ipv4/%s", name);
	if (!(f = fopen(path, "r")) || !fgets(value, (int)size, f))
		snprintf(value, size, "unreadable");
	if (f)
		fclose(f);
	value[strcspn(value, "\n")] = '\0';
	for (char *p = value; *p; p++)   /* ip_local_port_range: "32768\t60999" */
		if (*p == '\t')
			*p = ' ';
}

static void
say_sysctls(struct pkl_demo *d)
{
	for (size_t i = 0; i < sizeof sysctls / sizeof sysctls[0]; i++) {
		char value[64];
		read_sysctl(sysctls[i].name, value, sizeof value);
		if (d->json) {
			struct pkl_json j;
			pkl_demo_json_open(d, &j, "sysctl");
			PKL_JSON_KEY(&j, "name");
			pkl_out_printf(&d->out, "\"net.ipv4.%s\"", sysctls[i].name);
			PKL_JSON_KEY(&j, "value");
			pkl_json_string(&j, value);
			PKL_JSON_KEY(&j, "meaning");
			pkl_json_string(&j, sysctls[i].meaning);
			pkl_demo_json_close(d, &j);
		} else {
			pkl_out_printf(&d->out, "net.ipv4.%s = %s: %s.\n", sysctls[i].name, value,
				       sysctls[i].meaning);
		}
	}
	pkl_demo_say(d, "net.ipv4.tcp_tw_recycle no longer exists: it was removed in Linux 4.12, "
		     "because it broke clients behind NAT.");
}

static int
run(struct pkl_demo *d)
{
	uint16_t port = pkl_demo_port(d, 0);
	struct pkl_demo_pair p;
	char buf[64];
	int fd;

	pkl_demo_step(d, "the sysctls that matter");
	say_sysctls(d);

	pkl_demo_step(d, "a server that sets SO_REUSEADDR, as most do, and a client");
	if (pkl_demo_open_pair(d, port, true, &p) < 0)
		return -1;

	pkl_demo_step(d, "the server closes first, then the client");
	pkl_demo_close(d, "server", p.server);
	pkl_demo_recv(d, "client", p.client, buf, sizeof buf);
	pkl_demo_close(d, "client", p.client);
	pkl_demo_say(d, "Whoever closes first holds TIME_WAIT: here the server's end, on the "
		     "server's own port %u, for 60 s, so that late segments of this connection "
		     "die out before its pair of ports can be used again.", port);
	pkl_demo_confirm(d);

	pkl_demo_step(d, "the server program stops and starts again on the same port");
	pkl_demo_close(d, "server", p.listener);
	if ((fd = pkl_demo_socket(d, "new server", SOCK_STREAM)) < 0)
		return pkl_demo_fail(d, "socket() failed");
	pkl_demo_bind(d, "new server", fd, port);
	pkl_demo_say(d, "EADDRINUSE, \"Address already in use\": the TIME_WAIT socket still holds "
		     "port %u, and a socket without SO_REUSEADDR may not share it.", port);
	pkl_demo_close(d, "new server", fd);

	pkl_demo_step(d, "the same with SO_REUSEADDR");
	if ((fd = pkl_demo_socket(d, "new server", SOCK_STREAM)) < 0)
		return pkl_demo_fail(d, "socket() failed");
	pkl_demo_setsockopt(d, "new server", fd, SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR", 1);
	if (pkl_demo_bind(d, "new server", fd, port) == 0)
		pkl_demo_listen(d, "new server", fd, 8);
	pkl_demo_say(d, "With SO_REUSEADDR on both the old socket (TIME_WAIT keeps it) and the "
		     "new one, bind() succeeds beside the TIME_WAIT: the one line every server "
		     "needs before bind().");
	pkl_demo_close(d, "new server", fd);
	pkl_demo_confirm(d);
	return 0;
}

const struct pkl_demo_def pkl_demo_timewait = {
	.name = "timewait",
	.summary = "who holds TIME_WAIT and for how long; a restarted server's bind(): "
		   "EADDRINUSE, then success with SO_REUSEADDR",
	.ports = 1,
	.run = run,
};
