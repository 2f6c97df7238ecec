/* An abortive close: SO_LINGER {on, 0} makes close() send RST instead
 * of FIN (RFC 9293 3.10.4, ABORT), and the peer's next recv() fails. */
#include <sys/socket.h>

#include "calls.h"
#include "demos.h"

static int
run(struct pkl_demo *d)
{
	struct pkl_demo_pair p;
	char buf[64];

	pkl_demo_step(d, "a connection: listen, connect, accept");
	if (pkl_demo_open_pair(d, pkl_demo_port(d, 0), false, &p) < 0)
		return -1;
	pkl_demo_confirm(d);

	pkl_demo_step(d, "the client sets SO_LINGER {on, 0 s} and closes");
	pkl_demo_linger(d, "client", p.client, 1, 0);
	pkl_demo_close(d, "client", p.client);
	pkl_demo_say(d, "With a linger time of 0, close() aborts: one RST, no FIN, no TIME_WAIT "
		     "on either side.  Both sockets are gone from the kernel's table.");
	pkl_demo_confirm(d);

	pkl_demo_step(d, "the server reads");
	pkl_demo_recv(d, "server", p.server, buf, sizeof buf);
	pkl_demo_say(d, "recv() reports the reset: ECONNRESET, \"Connection reset by peer\".");
	pkl_demo_close(d, "server", p.server);
	pkl_demo_close(d, "server", p.listener);
	return 0;
}

const struct pkl_demo_def pkl_demo_reset = {
	.name = "reset",
	.summary = "SO_LINGER {on, 0}: close() sends RST; the peer's recv() gets ECONNRESET",
	.ports = 1,
	.run = run,
};
