/* The listen backlog: a listener that never accept()s fills its accept
 * queue (backlog + 1 connections on Linux); the SYNs that come after
 * are dropped and retried by their clients, and the kernel counts each
 * drop (TcpExt ListenOverflows and ListenDrops in /proc/net/netstat,
 * which is per network namespace).  sock_diag shows the queue: a
 * listener's Recv-Q is its length, Send-Q its limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../json.h"
#include "calls.h"
#include "demos.h"

#define BACKLOG 1
#define CLIENTS 4
/* Long enough for the first retry of a dropped SYN (the initial
 * retransmission timeout is 1 s, RFC 6298). */
#define RETRY_WAIT_MS 1300

static const char *const counters[] = { "ListenOverflows", "ListenDrops" };
#define NCOUNTERS (sizeof counters / sizeof counters[0])

/* Both counters, or -1. */
static int
read_counters(unsigned long long value[NCOUNTERS])
{
	char errbuf[PKL_ERRBUF_SIZE];

	return pkl_demo_tcpext_read(counters, NCOUNTERS, value, errbuf) == (int)NCOUNTERS ? 0 : -1;
}

static void
say_counters(struct pkl_demo *d, const unsigned long long *before,
	     const unsigned long long *after)
{
	for (size_t i = 0; i < NCOUNTERS; i++) {
		if (d->json) {
			struct pkl_json j;
			pkl_demo_json_open(d, &j, "netstat");
			PKL_JSON_KEY(&j, "name");
			pkl_out_printf(&d->out, "\"TcpExt%s\"", counters[i]);
			PKL_JSON_KEY(&j, "before");
			pkl_json_u64(&j, before[i]);
			PKL_JSON_KEY(&j, "after");
			pkl_json_u64(&j, after[i]);
			pkl_demo_json_close(d, &j);
		} else {
			pkl_out_printf(&d->out, "/proc/net/netstat TcpExt%s: %llu before, %llu after "
				       "(+%llu)\n", counters[i], before[i], after[i],
				       after[i] - before[i]);
		}
	}
}

static int
run(struct pkl_demo *d)
{
	uint16_t port = pkl_demo_port(d, 0);
	unsigned long long before[NCOUNTERS], after[NCOUNTERS];
	int listener, client[CLIENTS];
	char who[CLIENTS][24];

	pkl_demo_step(d, "the kernel's overflow counters, before");
	if (read_counters(before) < 0)
		return pkl_demo_fail(d, "cannot read the TcpExt counters of /proc/net/netstat");
	say_counters(d, before, before);

	pkl_demo_step(d, "a server listens with a backlog of 1 and never calls accept()");
	if ((listener = pkl_demo_socket(d, "server", SOCK_STREAM)) < 0 ||
	    pkl_demo_bind(d, "server", listener, port) < 0 ||
	    pkl_demo_listen(d, "server", listener, BACKLOG) < 0)
		return pkl_demo_fail(d, "the server could not listen on port %u", port);

	pkl_demo_step(d, "four clients connect");
	for (int i = 0; i < CLIENTS; i++) {
		snprintf(who[i], sizeof who[i], "client %d", i + 1);
		/* Nonblocking: a client whose SYN is dropped would wait in connect(). */
		if ((client[i] = pkl_demo_socket(d, who[i], SOCK_STREAM | SOCK_NONBLOCK)) < 0)
			return pkl_demo_fail(d, "socket() failed");
		pkl_demo_connect(d, who[i], client[i], port);
	}
	pkl_demo_say(d, "The first %d handshakes completed in the kernel and wait in the accept "
		     "queue (Linux holds backlog + 1); the later SYNs found it full and were "
		     "dropped without an answer.", BACKLOG + 1);
	if (pkl_demo_show_socket(d, false, port) < 0)
		return -1;
	pkl_demo_say(d, "For a listener, Recv-Q is the length of its accept queue and Send-Q its "
		     "limit, the backlog given to listen().");

	pkl_demo_step(d, "a second later, the clients retry their SYNs");
	pkl_demo_wait(d, RETRY_WAIT_MS);
	pkl_demo_say(d, "The dropped clients sent their SYN again after 1 s (then 2, 4, 8 s): "
		     "to them a full queue looks like a lost packet.  A server that accepts "
		     "too slowly makes its clients wait seconds, not fail.");
	pkl_demo_confirm(d);
	if (pkl_demo_show_socket(d, false, port) < 0)
		return -1;

	pkl_demo_step(d, "the kernel's overflow counters, after");
	if (read_counters(after) < 0)
		return pkl_demo_fail(d, "cannot read the TcpExt counters of /proc/net/netstat");
	say_counters(d, before, after);
	pkl_demo_say(d, "Each dropped SYN counted once in each: nstat -az TcpExtListenOverflows "
		     "shows them on any host, the first sign of a server that cannot keep up.");

	pkl_demo_step(d, "everyone closes");
	for (int i = 0; i < CLIENTS; i++)
		pkl_demo_close(d, who[i], client[i]);
	pkl_demo_close(d, "server", listener);
	pkl_demo_say(d, "Closing the listener reset the connections still waiting in its queue: "
		     "nobody had accepted them.");
	return 0;
}

const struct pkl_demo_def pkl_demo_backlog = {
	.name = "backlog",
	.summary = "listen(1) and never accept(): the accept queue fills, later SYNs are "
		   "dropped and retried, the kernel's overflow counters move",
	.ports = 1,
	.run = run,
};
