/* The lost final ACK, and why TIME_WAIT lasts 2*MSL.  pktlens's own TCP
 * end (`pktlens tcp`, src/craft/tcp_endpoint.h) in the client's
 * namespace connects to a kernel socket of the server's, and closes
 * first.  The server, having read the end of the stream, closes too:
 * its FIN puts it in LAST_ACK, waiting for the ACK that ends it.
 * pktlens withholds that ACK once (--lose-final-ack), as if lost: the
 * server sends its FIN again after its retransmission timeout, and
 * pktlens, still holding the connection in TIME_WAIT, acknowledges it
 * once more; the server's socket then leaves LAST_ACK for good. */
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "demos.h"
#include "lab_run.h"

#define PORT 8080
/* Past the server's first retransmission of its FIN (200 ms at least,
 * RFC 6298 as Linux bounds it) and pktlens's answer. */
#define FIN_AGAIN_WAIT_MS 900
/* pktlens tcp's TIME_WAIT with --msl 1 (2 s), and a margin. */
#define TCP_END_WAIT_MS 6000

static int
run(struct pkl_demo *d)
{
	char self[PATH_MAX], peer[INET_ADDRSTRLEN];
	struct sockaddr_in from;
	socklen_t len = sizeof from;
	uint8_t mac[6];

	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n < 0)
		return pkl_demo_fail(d, "cannot find pktlens's own binary (/proc/self/exe)");
	self[n] = '\0';
	pkl_demo_step(d, "the server listens; pktlens's own TCP end will speak from the client");
	if (pkl_lab_demo_sender(d, PKL_LAB_CLIENT, mac) < 0 ||
	    pkl_lab_demo_tap(d, PKL_LAB_SERVER, PKL_LAB_LAN_IFACE, "arp or tcp port 8080", true,
			     NULL, NULL) < 0)
		return -1;
	enum pkl_lab_ns ns = pkl_lab_demo_sender_ns(d);
	int fd = pkl_lab_demo_socket(d, PKL_LAB_SERVER, "server", SOCK_STREAM);
	if (fd < 0 || pkl_lab_demo_bind(d, PKL_LAB_SERVER, "server", fd, PKL_LAB_SERVER_ADDR,
					PORT) < 0 ||
	    pkl_lab_demo_listen(d, PKL_LAB_SERVER, "server", fd, 4) < 0)
		return pkl_demo_fail(d, "the server could not listen");

	pkl_demo_step(d, "pktlens tcp connects, closes first, and loses its final ACK once");
	pkl_demo_say(d, "It speaks from a free address of the LAN that it holds with ARP (its "
		     "probes for it come first), so the client's kernel stays out of it.");
	const char *const tcp[] = { self, "tcp", "-q", "-Z", "root", "--msl", "1",
				    "--lose-final-ack", "-i", pkl_lab_demo_sender_iface(d),
				    PKL_LAB_SERVER_ADDR, "8080", NULL };
	pid_t pid = pkl_lab_demo_spawn_shown(d, ns, "pktlens tcp", tcp);
	if (pid < 0)
		return -1;
	int s = pkl_lab_demo_accept(d, PKL_LAB_SERVER, "server", fd, 8000);
	if (s < 0 || getpeername(s, (struct sockaddr *)&from, &len) < 0)
		return pkl_demo_fail(d, "the server saw no connection from pktlens tcp");
	inet_ntop(AF_INET, &from.sin_addr, peer, sizeof peer);
	uint16_t peer_port = ntohs(from.sin_port);
	if (pkl_lab_demo_recv(d, PKL_LAB_SERVER, "server", s, 5000) != 0)
		return pkl_demo_fail(d, "the server did not read the end of pktlens's stream");
	pkl_lab_demo_socket_state(d, PKL_LAB_SERVER, PKL_LAB_SERVER_ADDR, PORT, peer, peer_port,
				  NULL, NULL);
	pkl_demo_say(d, "recv() returned 0: pktlens's FIN.  The server closes its end in turn.");

	pkl_demo_step(d, "the server closes: its FIN, the ACK withheld, the FIN again");
	pkl_demo_burst(d, true);
	pkl_lab_demo_close(d, PKL_LAB_SERVER, "server", s);
	pkl_demo_burst(d, false);
	pkl_lab_demo_socket_state(d, PKL_LAB_SERVER, PKL_LAB_SERVER_ADDR, PORT, peer, peer_port,
				  NULL, NULL);
	pkl_demo_wait(d, FIN_AGAIN_WAIT_MS);
	pkl_lab_demo_socket_state(d, PKL_LAB_SERVER, PKL_LAB_SERVER_ADDR, PORT, peer, peer_port,
				  NULL, NULL);
	pkl_demo_say(d, "The FIN came again; pktlens, in TIME_WAIT, acknowledged it, and the "
		     "server's socket left LAST_ACK: closed cleanly.");

	pkl_demo_step(d, "pktlens's TIME_WAIT ends (2*MSL, MSL 1 s here)");
	int status = pkl_lab_demo_reap(d, pid, TCP_END_WAIT_MS);
	if (status != 0)
		return pkl_demo_fail(d, "pktlens tcp ended with status %d", status);
	pkl_demo_say(d, "Had pktlens forgotten the connection at once, the second FIN would have "
		     "found no connection: an RST back, and the server's close ending in a reset "
		     "(ECONNRESET to a server still reading it) instead of cleanly.  TIME_WAIT holds "
		     "the end for 2*MSL, long enough for a lost ACK's FIN to come again and for the "
		     "old connection's strays to die before the same ports are used anew.");
	return d->status ? -1 : 0;
}

const struct pkl_demo_def pkl_demo_lostack = {
	.name = "lost-ack",
	.summary = "lab: pktlens's own end loses its final ACK: the server sends its FIN "
		   "again, the TIME_WAIT end answers it",
	.run = run,
	.lab = true,
};
