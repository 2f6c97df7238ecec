/* A SYN to a port nobody listens on is answered with RST+ACK (RFC 9293
 * 3.10.7.1), which connect() reports as ECONNREFUSED. */
#include <sys/socket.h>

#include "calls.h"
#include "demos.h"

static int
run(struct pkl_demo *d)
{
	uint16_t port = pkl_demo_port(d, 0);
	int client;

	pkl_demo_step(d, "the client connects to a port nobody listens on");
	if ((client = pkl_demo_socket(d, "client", SOCK_STREAM)) < 0)
		return pkl_demo_fail(d, "socket() failed");
	pkl_demo_connect(d, "client", client, port);
	pkl_demo_say(d, "The kernel has no socket on port %u, so it answered the SYN with RST+ACK "
		     "and connect() failed with ECONNREFUSED, \"Connection refused\".  A "
		     "firewall that drops the SYN instead makes connect() wait and time out.", port);
	pkl_demo_confirm(d);
	pkl_demo_close(d, "client", client);
	return 0;
}

const struct pkl_demo_def pkl_demo_closed_port = {
	.name = "closed-port",
	.summary = "connect() to a port nobody listens on: RST+ACK, ECONNREFUSED",
	.ports = 1,
	.run = run,
};
