/* UDP keeps message boundaries (RFC 768): one sendto(), one datagram,
 * one recvfrom() of the same size.  A datagram to a closed port is
 * answered with ICMP port unreachable (RFC 1122 4.1.3.1), which a
 * connect()ed socket reports as ECONNREFUSED on its next call. */
#include <string.h>
#include <sys/socket.h>

#include "calls.h"
#include "demos.h"

static const size_t sizes[] = { 10, 300, 42 };

static int
run(struct pkl_demo *d)
{
	uint16_t port = pkl_demo_port(d, 0), closed = pkl_demo_port(d, 1);
	char data[512], buf[2048];
	int server, client, peer;

	memset(data, 'u', sizeof data);
	pkl_demo_step(d, "a UDP server binds its port; the client sends three datagrams");
	if ((server = pkl_demo_socket(d, "server", SOCK_DGRAM)) < 0 ||
	    pkl_demo_bind(d, "server", server, port) < 0 ||
	    (client = pkl_demo_socket(d, "client", SOCK_DGRAM)) < 0)
		return pkl_demo_fail(d, "the UDP server could not bind port %u", port);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		pkl_demo_sendto(d, "client", client, data, sizes[i], port);
	if (pkl_demo_show_socket(d, true, port) < 0)
		return -1;
	pkl_demo_say(d, "The three datagrams wait in the server's receive queue, each whole: "
		     "Recv-Q counts the memory they take, buffers included, not just their bytes.");

	pkl_demo_step(d, "the server receives them");
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		pkl_demo_recvfrom(d, "server", server, buf, sizeof buf);
	pkl_demo_say(d, "Three sendto(), three datagrams, three recvfrom() of the same sizes, "
		     "although each asked for %zu bytes: UDP keeps the boundaries of messages "
		     "(and may lose or reorder them; nothing here acknowledges anything).",
		     sizeof buf);

	if (pkl_demo_show_socket(d, true, port) < 0)
		return -1;

	pkl_demo_step(d, "a connect()ed UDP socket sends to a port nobody listens on");
	if ((peer = pkl_demo_socket(d, "client", SOCK_DGRAM)) < 0)
		return pkl_demo_fail(d, "socket() failed");
	pkl_demo_connect(d, "client", peer, closed);
	pkl_demo_say(d, "connect() on UDP sends nothing: it only fixes the peer.");
	pkl_demo_send(d, "client", peer, data, 20);
	pkl_demo_say(d, "The kernel answered with ICMP destination unreachable (port "
		     "unreachable), quoting the datagram.");
	pkl_demo_recv(d, "client", peer, buf, sizeof buf);
	pkl_demo_say(d, "The next call on the connected socket reports it: ECONNREFUSED.  An "
		     "unconnected socket would never hear of it.");
	pkl_demo_close(d, "client", peer);
	pkl_demo_close(d, "client", client);
	pkl_demo_close(d, "server", server);
	return 0;
}

const struct pkl_demo_def pkl_demo_udp = {
	.name = "udp",
	.summary = "three sendto() -> three recvfrom() of the same sizes; a datagram to a "
		   "closed port -> ICMP port unreachable -> ECONNREFUSED",
	.ports = 2,
	.run = run,
};
