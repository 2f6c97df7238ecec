/* A SYN flood and SYN cookies.  The attacker sends SYNs to the server's
 * listening port from many made-up addresses of the LAN, at a bounded
 * rate.  Each SYN makes the server keep a pending handshake (SYN-RECV)
 * and send a SYN+ACK, again and again, toward a source that never
 * answers.  With net.ipv4.tcp_syncookies=0 and a small backlog, the
 * queue of pending handshakes fills and every later SYN is dropped, a
 * real client's among them: its connect() times out.  With =1, once the
 * queue is full the server answers each SYN with a SYN+ACK whose
 * sequence number is a cookie (a keyed hash of the addresses, ports
 * and a clock) and keeps nothing: the client's ACK brings the cookie
 * back, and the connection is made from it.
 *
 * Where the SYN+ACKs go: to the made-up addresses, on the LAN, so the
 * server first asks ARP for each.  pktlens answers those ARP requests
 * from the attacker (its MAC), and nothing else: the SYN+ACKs then
 * cross the wire, as they do toward a real flood's sources, and the
 * attacker's kernel drops them (not its address) without the RST that
 * would free the server's queue.  Unanswered ARP would keep them in the
 * server's neighbour queue, off the wire, and show nothing. */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "../tcp_analysis.h"
#include "demos.h"
#include "lab_run.h"

#define PORT 8080
#define BACKLOG 8
#define SYNS 80                 /* per round: past the tracker's 64 half-open */
#define SYN_GAP_MS 4            /* 250 SYNs a second at most */
/* The listener is shown after each of the first few SYNs (the queue
 * filling), then after every SAMPLE_EVERY. */
#define SAMPLE_FIRST 12
#define SAMPLE_EVERY 20
/* The made-up sources: 192.0.2.100 to .250, owned by no host of the lab. */
#define SOURCE_FIRST 100
#define SOURCE_COUNT 151

static const char *const counters[] = { "SyncookiesSent", "SyncookiesRecv", "ListenDrops" };
#define NCOUNTERS (sizeof counters / sizeof counters[0])

/* What the server's frames say, beside the view. */
struct watch {
	struct pkl_addr client;
	uint32_t client_synack_seq;     /* the last SYN+ACK to the client */
	unsigned synacks, synack_again; /* to the made-up sources */
};

static void
watch_frame(void *ctx, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct watch *w = ctx;
	const struct pkl_layer *ip = pkl_packet_find(pkt, PKL_PROTO_IPV4, 0);
	const struct pkl_layer *tcp = pkl_packet_find(pkt, PKL_PROTO_TCP, 0);

	if (!ip || !tcp || (tcp->hdr.tcp.flags & (PKL_TCP_SYN | PKL_TCP_ACK)) !=
				   (PKL_TCP_SYN | PKL_TCP_ACK))
		return;
	if (memcmp(ip->hdr.ipv4.dst, w->client.v4, 4) == 0) {
		w->client_synack_seq = tcp->hdr.tcp.seq;
		return;
	}
	w->synacks++;
	if (notes->conn.valid && (notes->conn.analysis.flags & PKL_TA_RETRANSMISSION))
		w->synack_again++;
}

static uint32_t
next_random(uint32_t *state)
{
	/* xorshift32: enough to scatter sources and ports. */
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/* SYNS SYNs from random sources of the pool, paced, the listener shown
 * as the queue grows. */
static int
flood(struct pkl_demo *d, const uint8_t mac[6], struct pkl_addr *sources,
      struct pkl_lab_responder *arp, uint32_t *rnd)
{
	const uint8_t *server_mac = pkl_lab_iface_of(PKL_LAB_SERVER)->mac;
	struct pkl_addr server;

	pkl_addr_parse(PKL_LAB_SERVER_ADDR, &server);
	for (unsigned i = 0; i < SYNS; i++) {
		sources[i] = (struct pkl_addr){ .family = 4, .v4 = { 192, 0, 2, 0 } };
		sources[i].v4[3] = (uint8_t)(SOURCE_FIRST + next_random(rnd) % SOURCE_COUNT);
	}
	arp->addrs = sources;
	arp->n = SYNS;
	pkl_demo_burst(d, true);
	for (unsigned i = 0; i < SYNS && !d->status; i++) {
		uint16_t sport = (uint16_t)(1024 + next_random(rnd) % 60000);
		if (pkl_lab_demo_send_syn(d, mac, server_mac, &sources[i], sport, &server, PORT,
					  next_random(rnd)) < 0)
			return -1;
		pkl_demo_wait(d, SYN_GAP_MS);
		if ((i < SAMPLE_FIRST && i % 2 == 1) || (i + 1) % SAMPLE_EVERY == 0)
			pkl_lab_demo_listener(d, PKL_LAB_SERVER, PKL_LAB_SERVER_ADDR, PORT, NULL, NULL);
	}
	pkl_demo_burst(d, false);
	return d->status ? -1 : 0;
}

/* The server's listener: socket, bind, listen with the small backlog. */
static int
listener(struct pkl_demo *d)
{
	int fd = pkl_lab_demo_socket(d, PKL_LAB_SERVER, "server", SOCK_STREAM);

	if (fd < 0 ||
	    pkl_lab_demo_setsockopt(d, PKL_LAB_SERVER, "server", fd, SOL_SOCKET, SO_REUSEADDR,
				    "SO_REUSEADDR", 1) < 0 ||
	    pkl_lab_demo_bind(d, PKL_LAB_SERVER, "server", fd, PKL_LAB_SERVER_ADDR, PORT) < 0 ||
	    pkl_lab_demo_listen(d, PKL_LAB_SERVER, "server", fd, BACKLOG) < 0) {
		pkl_demo_fail(d, "the server could not listen on %s:%u", PKL_LAB_SERVER_ADDR, PORT);
		return -1;
	}
	return fd;
}

/* The client's connect(), giving up after one SYN retry (TCP_SYNCNT 1:
 * about 3 s) rather than the default six (about two minutes). */
static int
client_connect(struct pkl_demo *d)
{
	int fd = pkl_lab_demo_socket(d, PKL_LAB_CLIENT, "client", SOCK_STREAM);

	if (fd < 0 || pkl_lab_demo_setsockopt(d, PKL_LAB_CLIENT, "client", fd, IPPROTO_TCP,
					      TCP_SYNCNT, "TCP_SYNCNT", 1) < 0)
		return pkl_demo_fail(d, "the client has no socket");
	return pkl_lab_demo_connect(d, PKL_LAB_CLIENT, "client", fd, PKL_LAB_SERVER_ADDR, PORT) == 0 ?
		       fd : -1;
}

static int
run(struct pkl_demo *d)
{
	static struct pkl_addr sources[SYNS];
	unsigned long long start[NCOUNTERS], middle[NCOUNTERS], end[NCOUNTERS];
	struct pkl_lab_responder arp = { .d = d };
	struct watch w = { .client = { .family = 4 } };
	uint32_t rnd = 0;
	uint8_t mac[6];

	if (getrandom(&rnd, sizeof rnd, 0) != sizeof rnd || rnd == 0)
		rnd = 0x2545f491u;
	pkl_addr_parse(PKL_LAB_CLIENT_ADDR, &w.client);
	pkl_demo_step(d, "the server listens with a backlog of 8, tcp_syncookies=0");
	if (pkl_lab_demo_sender(d, PKL_LAB_ATTACKER, mac) < 0 ||
	    pkl_lab_demo_tap(d, PKL_LAB_SERVER, PKL_LAB_LAN_IFACE, "arp or tcp port 8080", true,
			     watch_frame, &w) < 0 ||
	    pkl_lab_demo_tap(d, PKL_LAB_ATTACKER, PKL_LAB_LAN_IFACE, "arp", false,
			     pkl_lab_demo_answer_arp, &arp) < 0)
		return -1;
	memcpy(arp.mac, mac, 6);
	if (pkl_lab_demo_sysctl(d, PKL_LAB_SERVER, "ipv4/tcp_syncookies", 0) < 0 ||
	    pkl_lab_demo_netstat(d, PKL_LAB_SERVER, counters, NCOUNTERS, start) < 0)
		return -1;
	int fd = listener(d);
	if (fd < 0)
		return -1;
	pkl_lab_demo_listener(d, PKL_LAB_SERVER, PKL_LAB_SERVER_ADDR, PORT, NULL, NULL);

	pkl_demo_step(d, "the flood: 80 SYNs from made-up addresses of the LAN");
	pkl_demo_say(d, "Sent from the attacker's eth0 with sources 192.0.2.100-250, no host's; "
		     "pktlens answers the server's ARP for them (the SYN+ACKs then cross the wire "
		     "to the attacker's MAC, whose kernel drops them), nothing else.");
	if (flood(d, mac, sources, &arp, &rnd) < 0)
		return -1;
	unsigned pending;
	pkl_lab_demo_listener(d, PKL_LAB_SERVER, PKL_LAB_SERVER_ADDR, PORT, &pending, NULL);
	pkl_demo_say(d, "The queue of pending handshakes is full at %u (more than the backlog of %u: "
		     "Linux takes one more before it calls the queue full), and with cookies off "
		     "every SYN after that was dropped, unanswered (ListenDrops).  The tracker's "
		     "note on the SYNs says what it sees from the frames alone.", pending, BACKLOG);

	pkl_demo_step(d, "a real client connects: its SYN is dropped too");
	int c = client_connect(d);
	if (c >= 0)
		return pkl_demo_fail(d, "the client connected through a full queue without "
				     "SYN cookies");
	pkl_lab_demo_listener(d, PKL_LAB_SERVER, PKL_LAB_SERVER_ADDR, PORT, NULL, NULL);
	pkl_demo_say(d, "Meanwhile the server sent its SYN+ACK again %u times toward sources that "
		     "never answer (1, 2, 4 ... s apart, up to net.ipv4.tcp_synack_retries=5: "
		     "about a minute per handshake).", w.synack_again);
	if (pkl_lab_demo_netstat(d, PKL_LAB_SERVER, counters, NCOUNTERS, middle) < 0)
		return -1;
	pkl_lab_demo_say_counters(d, PKL_LAB_SERVER, counters, NCOUNTERS, start, middle);

	pkl_demo_step(d, "tcp_syncookies=1, the queue still full: the client connects again");
	if (pkl_lab_demo_sysctl(d, PKL_LAB_SERVER, "ipv4/tcp_syncookies", 1) < 0)
		return -1;
	c = client_connect(d);
	if (c < 0)
		return pkl_demo_fail(d, "the client could not connect with SYN cookies on");
	if (pkl_lab_demo_accept(d, PKL_LAB_SERVER, "server", fd, 1000) < 0)
		return pkl_demo_fail(d, "the server did not accept the client's connection");
	if (pkl_lab_demo_netstat(d, PKL_LAB_SERVER, counters, NCOUNTERS, end) < 0)
		return -1;
	if (end[1] > middle[1])
		pkl_demo_say(d, "Its SYN+ACK carried sequence number %u (0x%08x): a cookie, a keyed "
			     "hash of the addresses and ports, a minute counter and the MSS, for the "
			     "server kept nothing.  The client's ACK (ack %u) brought it back; the "
			     "server checked it and made the connection from it (SyncookiesRecv "
			     "+%llu).", w.client_synack_seq, w.client_synack_seq,
			     w.client_synack_seq + 1, end[1] - middle[1]);
	else
		pkl_demo_say(d, "The queue had room again (its oldest handshakes had timed out): an "
			     "ordinary handshake, no cookie.");

	pkl_demo_step(d, "the same flood again, with SYN cookies");
	w.synacks = 0;
	if (flood(d, mac, sources, &arp, &rnd) < 0)
		return -1;
	pkl_lab_demo_listener(d, PKL_LAB_SERVER, PKL_LAB_SERVER_ADDR, PORT, &pending, NULL);
	pkl_demo_say(d, "%u SYN+ACKs for %u SYNs, and %u handshakes pending: each SYN+ACK sent "
		     "while the queue is full carries a cookie and leaves no SYN-RECV entry "
		     "behind (nor is a cookie's SYN+ACK sent again: there is no state to send it "
		     "from).", w.synacks, SYNS, pending);
	unsigned long long last[NCOUNTERS];
	if (pkl_lab_demo_netstat(d, PKL_LAB_SERVER, counters, NCOUNTERS, last) < 0)
		return -1;
	pkl_lab_demo_say_counters(d, PKL_LAB_SERVER, counters, NCOUNTERS, middle, last);
	pkl_demo_say(d, "SYN cookies cost the connection its options the SYN asked for unless "
		     "timestamps carry them, and are used only while the queue is full: the "
		     "defence for a flood, not the normal path.");
	return d->status ? -1 : 0;
}

const struct pkl_demo_def pkl_demo_synflood = {
	.name = "synflood",
	.summary = "lab: spoofed SYNs fill the server's SYN queue, a real client times "
		   "out; with SYN cookies it gets through",
	.run = run,
	.lab = true,
};
