/* The three-way handshake: listen, connect, accept (RFC 9293 3.5). */
#include <sys/socket.h>

#include "calls.h"
#include "demos.h"

static int
run(struct pkl_demo *d)
{
	uint16_t port = pkl_demo_port(d, 0);
	int listener, client, server;

	pkl_demo_step(d, "the server opens a socket, binds its port and listens");
	if ((listener = pkl_demo_socket(d, "server", SOCK_STREAM)) < 0 ||
	    pkl_demo_bind(d, "server", listener, port) < 0 ||
	    pkl_demo_listen(d, "server", listener, 8) < 0)
		return pkl_demo_fail(d, "the server could not listen on port %u", port);
	pkl_demo_say(d, "No frame yet: listen() only tells the kernel to answer SYNs to port %u.",
		     port);
	if (pkl_demo_show_socket(d, false, port) < 0)
		return -1;

	pkl_demo_step(d, "the client connects: SYN, SYN+ACK, ACK");
	if ((client = pkl_demo_socket(d, "client", SOCK_STREAM)) < 0 ||
	    pkl_demo_connect(d, "client", client, port) < 0)
		return pkl_demo_fail(d, "the client could not connect to port %u", port);
	pkl_demo_say(d, "connect() returned once the SYN+ACK came back; the kernel of the server "
		     "finished the handshake on its own, before any accept().");
	pkl_demo_confirm(d);
	if (pkl_demo_show_socket(d, false, port) < 0)
		return -1;
	pkl_demo_say(d, "The listener's Recv-Q is its accept queue: one connection waits there, "
		     "complete, for the program to accept it.");

	pkl_demo_step(d, "the server accepts");
	if ((server = pkl_demo_accept(d, "server", listener)) < 0)
		return pkl_demo_fail(d, "accept() failed");
	pkl_demo_say(d, "accept() sent nothing: it took the established connection off the "
		     "listener's accept queue, and gave it a socket of its own.");
	pkl_demo_confirm(d);
	if (pkl_demo_show_socket(d, false, port) < 0)
		return -1;

	pkl_demo_step(d, "the client closes, then the server (the teardown demo shows this)");
	pkl_demo_close(d, "client", client);
	pkl_demo_close(d, "server", server);
	pkl_demo_close(d, "server", listener);
	pkl_demo_confirm(d);
	pkl_demo_say(d, "The client closed first, so its end holds TIME_WAIT for 60 s: the "
		     "only thing this demo leaves behind, and it goes away on its own.");
	return 0;
}

const struct pkl_demo_def pkl_demo_handshake = {
	.name = "handshake",
	.summary = "listen, connect, accept: the three frames, each end's state after each",
	.ports = 1,
	.run = run,
};
