/* Half-open probes (the SYN scan's trick, and a SYN flood's): a SYN
 * sent by hand, not by the kernel's connect().  From the sender's own
 * address, the server's SYN+ACK reaches a kernel that never opened the
 * connection, and it answers RST: the server forgets the handshake at
 * once.  From an address no interface owns (held only by pktlens's
 * ARP answers), nothing answers the SYN+ACK: the server keeps the
 * handshake in SYN-RECV and sends its SYN+ACK again, 1, 2, 4 ... s
 * apart, as its sock_diag shows. */
#include <string.h>
#include <sys/socket.h>

#include "demos.h"
#include "lab_run.h"

#define PORT 8080
#define OWN_PORT 40001
#define BORROWED_PORT 40002
/* In the LAN, owned by no host of the lab (lab.h's picture). */
#define BORROWED_ADDR "192.0.2.99"
/* Past the first SYN+ACK retransmission (the initial timeout is 1 s). */
#define RETRANSMIT_WAIT_MS 1400

static int
run(struct pkl_demo *d)
{
	struct pkl_addr own, borrowed, server;
	uint8_t mac[6];
	struct pkl_lab_responder arp = { .d = d, .addrs = &borrowed, .n = 1 };
	const uint8_t *server_mac = pkl_lab_iface_of(PKL_LAB_SERVER)->mac;

	pkl_addr_parse(PKL_LAB_ATTACKER_ADDR, &own);
	pkl_addr_parse(BORROWED_ADDR, &borrowed);
	pkl_addr_parse(PKL_LAB_SERVER_ADDR, &server);
	pkl_demo_step(d, "the server listens; pktlens sends from the attacker's eth0");
	if (pkl_lab_demo_sender(d, PKL_LAB_ATTACKER, mac) < 0 ||
	    pkl_lab_demo_tap(d, PKL_LAB_SERVER, PKL_LAB_LAN_IFACE, "arp or tcp port 8080", true,
			     NULL, NULL) < 0 ||
	    pkl_lab_demo_tap(d, PKL_LAB_ATTACKER, PKL_LAB_LAN_IFACE, "arp", false,
			     pkl_lab_demo_answer_arp, &arp) < 0)
		return -1;
	memcpy(arp.mac, mac, 6);
	int fd = pkl_lab_demo_socket(d, PKL_LAB_SERVER, "server", SOCK_STREAM);
	if (fd < 0 || pkl_lab_demo_bind(d, PKL_LAB_SERVER, "server", fd, PKL_LAB_SERVER_ADDR,
					PORT) < 0 ||
	    pkl_lab_demo_listen(d, PKL_LAB_SERVER, "server", fd, 16) < 0)
		return pkl_demo_fail(d, "the server could not listen");

	pkl_demo_step(d, "a SYN from the attacker's own address " PKL_LAB_ATTACKER_ADDR);
	pkl_demo_say(d, "The attacker's kernel never opened this connection: the server's SYN+ACK "
		     "reaches it, finds no socket, and is answered with RST.");
	if (pkl_lab_demo_send_syn(d, mac, server_mac, &own, OWN_PORT, &server, PORT, 0x1000) < 0)
		return -1;
	pkl_demo_wait(d, 300);
	pkl_lab_demo_socket_state(d, PKL_LAB_SERVER, PKL_LAB_SERVER_ADDR, PORT,
				  PKL_LAB_ATTACKER_ADDR, OWN_PORT, NULL, NULL);
	pkl_demo_say(d, "The RST ended the handshake: the server keeps nothing of it.  A SYN scan "
		     "(nmap -sS) lets its own kernel send that RST: the port answered, the "
		     "connection never opened, no application saw it.");

	pkl_demo_step(d, "a SYN from " BORROWED_ADDR ", which no interface owns");
	pkl_demo_say(d, "pktlens answers the server's ARP for " BORROWED_ADDR " with the attacker's "
		     "MAC, and nothing more: the attacker's kernel drops the SYN+ACK (not its "
		     "address), so no RST comes.");
	if (pkl_lab_demo_send_syn(d, mac, server_mac, &borrowed, BORROWED_PORT, &server, PORT,
				  0x2000) < 0)
		return -1;
	pkl_demo_wait(d, 300);
	pkl_lab_demo_socket_state(d, PKL_LAB_SERVER, PKL_LAB_SERVER_ADDR, PORT, BORROWED_ADDR,
				  BORROWED_PORT, NULL, NULL);
	pkl_demo_wait(d, RETRANSMIT_WAIT_MS);
	pkl_lab_demo_socket_state(d, PKL_LAB_SERVER, PKL_LAB_SERVER_ADDR, PORT, BORROWED_ADDR,
				  BORROWED_PORT, NULL, NULL);
	pkl_lab_demo_listener(d, PKL_LAB_SERVER, PKL_LAB_SERVER_ADDR, PORT, NULL, NULL);
	pkl_demo_say(d, "The server holds the handshake in SYN-RECV and sends its SYN+ACK again "
		     "(net.ipv4.tcp_synack_retries, 5 by default: about a minute) for an answer "
		     "that never comes.  Many such SYNs from made-up addresses are a SYN flood "
		     "(pktlens demo synflood).");
	return d->status ? -1 : 0;
}

const struct pkl_demo_def pkl_demo_halfopen = {
	.name = "halfopen",
	.summary = "lab: a hand-made SYN from the sender's own address (RST) and from "
		   "one nobody owns (SYN-RECV, SYN+ACK again)",
	.run = run,
	.lab = true,
};
