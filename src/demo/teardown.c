/* The four-way close (RFC 9293 3.6): one end closes, the other reads
 * the end of the stream and closes in turn; the first closer holds
 * TIME_WAIT.  The pause between the two closes keeps FIN_WAIT_2 and
 * CLOSE_WAIT in the kernel long enough to be asked about. */
#include <sys/socket.h>

#include "calls.h"
#include "demos.h"

static int
run(struct pkl_demo *d)
{
	struct pkl_demo_pair p;
	bool server_first = d->opts->server_closes;
	const char *first = server_first ? "server" : "client";
	const char *second = server_first ? "client" : "server";
	char buf[64];

	pkl_demo_step(d, "a connection: listen, connect, accept");
	if (pkl_demo_open_pair(d, pkl_demo_port(d, 0), false, &p) < 0)
		return -1;
	pkl_demo_confirm(d);
	int fd_first = server_first ? p.server : p.client;
	int fd_second = server_first ? p.client : p.server;

	pkl_demo_step(d, server_first ? "the server closes first" : "the client closes first");
	pkl_demo_close(d, first, fd_first);
	pkl_demo_say(d, "close() sent a FIN; the %s's kernel acknowledged it at once.  The %s "
		     "waits in FIN_WAIT_2 for the other FIN; the %s is in CLOSE_WAIT until its "
		     "program closes too (a pile of CLOSE_WAIT is a program that never does).",
		     second, first, second);
	pkl_demo_confirm(d);

	pkl_demo_step(d, server_first ? "the client reads the end of the stream and closes"
				       : "the server reads the end of the stream and closes");
	pkl_demo_recv(d, second, fd_second, buf, sizeof buf);
	pkl_demo_close(d, second, fd_second);
	pkl_demo_say(d, "Its FIN went out (LAST_ACK), the %s acknowledged it and entered TIME_WAIT; "
		     "the %s's socket is gone.", first, second);
	pkl_demo_confirm(d);
	pkl_demo_close(d, "server", p.listener);
	pkl_demo_say(d, "The %s closed first, so the %s holds TIME_WAIT for 2*MSL (60 s on "
		     "Linux), then the kernel frees it.", first, first);
	return 0;
}

const struct pkl_demo_def pkl_demo_teardown = {
	.name = "teardown",
	.summary = "the four-way close: FIN_WAIT_2 and CLOSE_WAIT while they last, then "
		   "TIME_WAIT (--server-closes: the server first)",
	.ports = 1,
	.run = run,
};
