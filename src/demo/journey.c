/* One web request's journey from a LAN host through a home router that
 * masquerades (NAT) to the outside: the client's ARP for its gateway
 * (the subnet arithmetic says the servers are off-link), the DNS query
 * and answer, the TCP handshake, the HTTP request and response, the
 * close; captured on the client's link and on the outside link, each
 * outside frame paired with its inside twin and the address and port
 * the router rewrote, which the router's own conntrack table (ctnetlink
 * inside its namespace) confirms.
 *
 * The servers are this program's own sockets, made inside
 * pkl-lab-outside (a socket stays in the namespace it was made in):
 * their calls are shown in time order with the client's, and they end
 * with the demonstration. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "../../dissectors/http.h"
#include "../ctnetlink.h"
#include "../json.h"
#include "../subnet.h"
#include "demos.h"
#include "journey_dns.h"
#include "lab_run.h"

#define NAME "www.example.org"
#define DNS_ID 0x1a2b
#define DNS_TTL 60
#define WAIT_MS 3000
/* Frames remembered per side, for the pairing. */
#define MAX_SEEN 64

static const char request[] = "GET / HTTP/1.1\r\nHost: " NAME "\r\nConnection: close\r\n\r\n";
static const char body[] = "<html><body>hello from " PKL_LAB_WEB_ADDR "</body></html>\n";

/* An IPv4 UDP or TCP frame one side captured: what NAT keeps (IP id,
 * sequence numbers, lengths) and what it rewrites (one endpoint). */
struct seen {
	uint64_t number;
	uint8_t proto;
	uint8_t src[4], dst[4];
	uint16_t sport, dport, ip_id, tcp_flags;
	uint32_t seq, ack, len;
};

struct side {
	enum pkl_lab_ns ns;
	struct seen frame[MAX_SEEN];
	unsigned n;
};

struct journey {
	struct pkl_demo *d;
	struct side inside, outside;
	struct pkl_ct_entry ct[16];
	unsigned nct;
};

static void
remember(void *ctx, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct side *s = ctx;
	const struct pkl_layer *ip = pkl_packet_find(pkt, PKL_PROTO_IPV4, 0);
	const struct pkl_layer *tcp = pkl_packet_find(pkt, PKL_PROTO_TCP, 0);
	const struct pkl_layer *udp = pkl_packet_find(pkt, PKL_PROTO_UDP, 0);

	(void)notes;
	if (!ip || !(ip->flags & PKL_LAYER_HEADER) || s->n == MAX_SEEN || (!tcp && !udp))
		return;
	struct seen *f = &s->frame[s->n++];
	*f = (struct seen){ .number = pkt->frame->number, .ip_id = ip->hdr.ipv4.id,
			    .proto = ip->hdr.ipv4.proto };
	memcpy(f->src, ip->hdr.ipv4.src, 4);
	memcpy(f->dst, ip->hdr.ipv4.dst, 4);
	if (tcp) {
		f->sport = tcp->hdr.tcp.sport;
		f->dport = tcp->hdr.tcp.dport;
		f->seq = tcp->hdr.tcp.seq;
		f->ack = tcp->hdr.tcp.ack;
		f->tcp_flags = tcp->hdr.tcp.flags;
		f->len = tcp->hdr.tcp.payload_len;
	} else {
		f->sport = udp->hdr.udp.sport;
		f->dport = udp->hdr.udp.dport;
		f->len = udp->hdr.udp.payload_len;
	}
}

static int
keep_entry(const struct pkl_ct_entry *e, void *ctx)
{
	struct journey *j = ctx;

	if (j->nct < sizeof j->ct / sizeof j->ct[0] && pkl_ct_is_snat(e))
		j->ct[j->nct++] = *e;
	return 0;
}

static int
read_conntrack(void *ctx, char errbuf[PKL_ERRBUF_SIZE])
{
	return pkl_ctnetlink_dump(4, keep_entry, ctx, errbuf);
}

/* Wait for fd to be readable, the frames shown meanwhile. */
static bool
readable(struct pkl_demo *d, int fd)
{
	for (unsigned waited = 0; waited < WAIT_MS; waited += 20) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 0) > 0)
			return true;
		if (d->status)
			return false;
		pkl_demo_wait(d, 20);
	}
	return false;
}

static ssize_t
call_sendto(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd, const void *buf,
	    size_t len, const struct sockaddr_in *to)
{
	char args[96], addr[INET_ADDRSTRLEN];
	ssize_t r = sendto(fd, buf, len, 0, (const struct sockaddr *)to, sizeof *to);
	int err = errno;

	inet_ntop(AF_INET, &to->sin_addr, addr, sizeof addr);
	snprintf(args, sizeof args, "%zu bytes, %s:%u", len, addr, ntohs(to->sin_port));
	pkl_lab_demo_show_call(d, ns, who, "sendto", args, (long)r, err);
	return r;
}

static ssize_t
call_recvfrom(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd, void *buf,
	      size_t size, struct sockaddr_in *from)
{
	char args[64] = "", addr[INET_ADDRSTRLEN];
	socklen_t flen = sizeof *from;
	ssize_t r = -1;
	int err = EAGAIN;

	if (readable(d, fd)) {
		r = recvfrom(fd, buf, size, MSG_DONTWAIT, (struct sockaddr *)from, &flen);
		err = errno;
	}
	if (r >= 0) {
		inet_ntop(AF_INET, &from->sin_addr, addr, sizeof addr);
		snprintf(args, sizeof args, "from %s:%u", addr, ntohs(from->sin_port));
	}
	pkl_lab_demo_show_call(d, ns, who, "recvfrom", args, (long)r, err);
	return r;
}

static ssize_t
call_send(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd, const void *buf,
	  size_t len)
{
	char args[32];
	ssize_t r = send(fd, buf, len, MSG_NOSIGNAL);
	int err = errno;

	snprintf(args, sizeof args, "%zu bytes", len);
	pkl_lab_demo_show_call(d, ns, who, "send", args, (long)r, err);
	return r;
}

static ssize_t
call_recv(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd, char *buf, size_t size)
{
	ssize_t r = -1;
	int err = EAGAIN;

	if (readable(d, fd)) {
		r = recv(fd, buf, size - 1, MSG_DONTWAIT);
		err = errno;
	}
	pkl_lab_demo_show_call(d, ns, who, "recv", "", (long)r, err);
	if (r >= 0)
		buf[r] = '\0';
	return r;
}

static struct sockaddr_in
sockaddr(const uint8_t addr[4], uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	memcpy(&a.sin_addr, addr, 4);
	return a;
}

/* Why the client ARPs for its gateway: the servers are not on its link. */
static void
explain_next_hop(struct pkl_demo *d)
{
	struct pkl_addr client, dns;
	struct pkl_subnet lan;
	char net[PKL_ADDR_TEXT], mask[PKL_ADDR_TEXT];

	pkl_addr_parse(PKL_LAB_CLIENT_ADDR, &client);
	pkl_addr_parse(PKL_LAB_DNS_ADDR, &dns);
	pkl_subnet_compute(&client, PKL_LAB_PREFIX_LEN, &lan);
	inet_ntop(AF_INET, lan.network.v4, net, sizeof net);
	inet_ntop(AF_INET, lan.mask.v4, mask, sizeof mask);
	pkl_demo_say(d, "The client is " PKL_LAB_CLIENT_ADDR "/%u: its link is %s/%u (address AND "
		     "%s).  " PKL_LAB_DNS_ADDR " AND %s is 198.51.100.0, %s: the DNS server is "
		     "not on the link, so the client sends to its default gateway "
		     PKL_LAB_ROUTER_LAN_ADDR " and asks ARP for the gateway's MAC, never for the "
		     "server's (ARP only reaches the link).", PKL_LAB_PREFIX_LEN, net,
		     PKL_LAB_PREFIX_LEN, mask, mask,
		     pkl_subnet_holds(&lan, &dns) ? "the same network" : "another network");
}

/* The DNS exchange: the client's query, the server's answer, the
 * address read from it (in addr).  Returns 0, or -1 once failed. */
static int
resolve(struct pkl_demo *d, int server, uint8_t addr[4])
{
	uint8_t query[512], msg[512], answer[512], dns_addr[4], web[4];
	struct sockaddr_in from, to;

	inet_pton(AF_INET, PKL_LAB_DNS_ADDR, dns_addr);
	inet_pton(AF_INET, PKL_LAB_WEB_ADDR, web);
	to = sockaddr(dns_addr, 53);
	int client = pkl_lab_demo_socket(d, PKL_LAB_CLIENT, "client", SOCK_DGRAM);
	size_t qlen = pkl_journey_dns_query(query, sizeof query, DNS_ID, NAME);
	if (client < 0 || call_sendto(d, PKL_LAB_CLIENT, "client", client, query, qlen, &to) < 0)
		return pkl_demo_fail(d, "the client could not send its DNS query");
	ssize_t n = call_recvfrom(d, PKL_LAB_OUTSIDE, "dns server", server, msg, sizeof msg, &from);
	if (n < 0)
		return pkl_demo_fail(d, "the DNS server heard no query");
	pkl_demo_say(d, "The DNS server sees the query come from %s:%u, the router's outside "
		     "address: not from " PKL_LAB_CLIENT_ADDR ", which the outside never sees.",
		     inet_ntoa(from.sin_addr), ntohs(from.sin_port));
	size_t alen = pkl_journey_dns_answer(answer, sizeof answer, msg, (size_t)n, NAME, web,
					     DNS_TTL);
	if (alen == 0 || call_sendto(d, PKL_LAB_OUTSIDE, "dns server", server, answer, alen,
				     &from) < 0)
		return pkl_demo_fail(d, "the DNS server could not answer");
	n = call_recvfrom(d, PKL_LAB_CLIENT, "client", client, msg, sizeof msg, &from);
	if (n < 0 || pkl_journey_dns_read(msg, (size_t)n, DNS_ID, addr) < 0)
		return pkl_demo_fail(d, "the client got no answer for " NAME);
	pkl_demo_say(d, "The answer comes back through the router, which knew from its table where "
		     "to send it: " NAME " is %u.%u.%u.%u.", addr[0], addr[1], addr[2], addr[3]);
	pkl_lab_demo_close(d, PKL_LAB_CLIENT, "client", client);
	return 0;
}

/* The page: handshake, request, response, close. */
static int
fetch(struct pkl_demo *d, int listener, const uint8_t addr[4])
{
	char text[INET_ADDRSTRLEN], buf[2048], response[512];

	inet_ntop(AF_INET, addr, text, sizeof text);
	pkl_demo_step(d, "the TCP handshake to the answered address");
	int client = pkl_lab_demo_socket(d, PKL_LAB_CLIENT, "client", SOCK_STREAM);
	if (client < 0 || pkl_lab_demo_connect(d, PKL_LAB_CLIENT, "client", client, text, 80) < 0)
		return pkl_demo_fail(d, "the client could not connect to %s:80", text);
	int server = pkl_lab_demo_accept(d, PKL_LAB_OUTSIDE, "web server", listener, WAIT_MS);
	if (server < 0)
		return pkl_demo_fail(d, "the web server accepted no connection");

	pkl_demo_step(d, "the HTTP request and its response");
	if (call_send(d, PKL_LAB_CLIENT, "client", client, request, sizeof request - 1) < 0 ||
	    call_recv(d, PKL_LAB_OUTSIDE, "web server", server, buf, sizeof buf) <= 0)
		return pkl_demo_fail(d, "the request did not reach the web server");
	int len = snprintf(response, sizeof response,
			   "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %zu\r\n"
			   "Connection: close\r\n\r\n%s", sizeof body - 1, body);
	if (call_send(d, PKL_LAB_OUTSIDE, "web server", server, response, (size_t)len) < 0 ||
	    call_recv(d, PKL_LAB_CLIENT, "client", client, buf, sizeof buf) <= 0)
		return pkl_demo_fail(d, "the response did not reach the client");

	pkl_demo_step(d, "the close: the client first, then the server");
	pkl_lab_demo_close(d, PKL_LAB_CLIENT, "client", client);
	call_recv(d, PKL_LAB_OUTSIDE, "web server", server, buf, sizeof buf);
	pkl_lab_demo_close(d, PKL_LAB_OUTSIDE, "web server", server);
	pkl_demo_wait(d, 200);
	return 0;
}

static bool
same4(const uint8_t a[4], const uint8_t b[4])
{
	return memcmp(a, b, 4) == 0;
}

/* The inside frame the router forwarded as outside frame o: NAT keeps
 * the IP id, the protocol, the lengths, TCP's numbers and flags, and
 * the far end (the server's address and port). */
static const struct seen *
twin_of(const struct side *in, const struct seen *o, bool *to_server)
{
	for (unsigned i = 0; i < in->n; i++) {
		const struct seen *f = &in->frame[i];
		if (f->ip_id != o->ip_id || f->proto != o->proto || f->len != o->len ||
		    f->seq != o->seq || f->ack != o->ack || f->tcp_flags != o->tcp_flags)
			continue;
		if (same4(f->dst, o->dst) && f->dport == o->dport) {
			*to_server = true;
			return f;
		}
		if (same4(f->src, o->src) && f->sport == o->sport) {
			*to_server = false;
			return f;
		}
	}
	return NULL;
}

/* The conntrack entry that maps inside to outside for this far end. */
static const struct pkl_ct_entry *
entry_for(const struct journey *j, uint8_t proto, const uint8_t lan[4], uint16_t lan_port,
	  const uint8_t wan[4], uint16_t wan_port, const uint8_t far[4], uint16_t far_port)
{
	for (unsigned i = 0; i < j->nct; i++) {
		const struct pkl_ct_entry *e = &j->ct[i];
		if (e->orig.proto == proto && same4(e->orig.src.v4, lan) && e->orig.sport == lan_port &&
		    same4(e->orig.dst.v4, far) && e->orig.dport == far_port &&
		    same4(e->reply.dst.v4, wan) && e->reply.dport == wan_port)
			return e;
	}
	return NULL;
}

static const char *
proto_name(uint8_t proto)
{
	return proto == IPPROTO_TCP ? "tcp" : "udp";
}

static void
show_entry(struct pkl_demo *d, const struct pkl_ct_entry *e)
{
	if (d->json) {
		struct pkl_json j;
		pkl_lab_demo_json_open(d, &j, "kernel", PKL_LAB_ROUTER);
		PKL_JSON_KEY(&j, "what");
		pkl_json_name(&j, "conntrack");
		PKL_JSON_KEY(&j, "proto");
		pkl_json_name(&j, proto_name(e->orig.proto));
		PKL_JSON_KEY(&j, "orig_src");
		pkl_json_endpoint(&j, 4, e->orig.src.v4, e->orig.sport);
		PKL_JSON_KEY(&j, "orig_dst");
		pkl_json_endpoint(&j, 4, e->orig.dst.v4, e->orig.dport);
		PKL_JSON_KEY(&j, "reply_src");
		pkl_json_endpoint(&j, 4, e->reply.src.v4, e->reply.sport);
		PKL_JSON_KEY(&j, "reply_dst");
		pkl_json_endpoint(&j, 4, e->reply.dst.v4, e->reply.dport);
		PKL_JSON_KEY(&j, "snat");
		pkl_json_bool(&j, pkl_ct_is_snat(e));
		if (e->has_tcp_state) {
			PKL_JSON_KEY(&j, "state");
			pkl_json_name(&j, pkl_ct_tcp_state_name(e->tcp_state));
		}
		PKL_JSON_KEY(&j, "timeout");
		pkl_json_u64(&j, e->timeout);
		pkl_demo_json_close(d, &j);
		return;
	}
	struct pkl_out *o = &d->out;
	pkl_out_printf(o, "router: conntrack %s ", proto_name(e->orig.proto));
	pkl_out_endpoint(o, 4, e->orig.src.v4, e->orig.sport);
	pkl_out_str(o, " -> ");
	pkl_out_endpoint(o, 4, e->orig.dst.v4, e->orig.dport);
	pkl_out_str(o, "  reply ");
	pkl_out_endpoint(o, 4, e->reply.src.v4, e->reply.sport);
	pkl_out_str(o, " -> ");
	pkl_out_endpoint(o, 4, e->reply.dst.v4, e->reply.dport);
	if (e->has_tcp_state)
		pkl_out_printf(o, "  %s", pkl_ct_tcp_state_name(e->tcp_state));
	pkl_out_printf(o, "  %u s left\n", e->timeout);
}

/* One outside frame, its inside twin, the rewrite and the entry. */
static void
show_pair(struct pkl_demo *d, const struct seen *o, const struct seen *in, bool to_server,
	  const struct pkl_ct_entry *e)
{
	const uint8_t *lan = to_server ? in->src : in->dst, *wan = to_server ? o->src : o->dst;
	const uint8_t *far = to_server ? o->dst : o->src;
	uint16_t lan_port = to_server ? in->sport : in->dport;
	uint16_t wan_port = to_server ? o->sport : o->dport;
	uint16_t far_port = to_server ? o->dport : o->sport;

	if (d->json) {
		struct pkl_json j;
		pkl_lab_demo_json_open(d, &j, "nat", PKL_LAB_ROUTER);
		PKL_JSON_KEY(&j, "proto");
		pkl_json_name(&j, proto_name(o->proto));
		PKL_JSON_KEY(&j, "direction");
		pkl_json_name(&j, to_server ? "out" : "in");
		PKL_JSON_KEY(&j, "outside_netns");
		pkl_json_name(&j, pkl_lab_ns_name(PKL_LAB_OUTSIDE));
		PKL_JSON_KEY(&j, "outside_frame");
		pkl_json_u64(&j, o->number);
		PKL_JSON_KEY(&j, "inside_netns");
		pkl_json_name(&j, pkl_lab_ns_name(PKL_LAB_CLIENT));
		PKL_JSON_KEY(&j, "inside_frame");
		pkl_json_u64(&j, in->number);
		PKL_JSON_KEY(&j, "inside");
		pkl_json_endpoint(&j, 4, lan, lan_port);
		PKL_JSON_KEY(&j, "outside");
		pkl_json_endpoint(&j, 4, wan, wan_port);
		PKL_JSON_KEY(&j, "remote");
		pkl_json_endpoint(&j, 4, far, far_port);
		PKL_JSON_KEY(&j, "conntrack");
		pkl_json_bool(&j, e != NULL);
		pkl_demo_json_close(d, &j);
		return;
	}
	struct pkl_out *o_ = &d->out;
	pkl_out_printf(o_, "outside #%-3llu = inside #%-3llu %s %s ", (unsigned long long)o->number,
		       (unsigned long long)in->number, proto_name(o->proto),
		       to_server ? "out:" : "in: ");
	pkl_out_endpoint(o_, 4, lan, lan_port);
	pkl_out_str(o_, to_server ? " became " : " was ");
	pkl_out_endpoint(o_, 4, wan, wan_port);
	pkl_out_str(o_, e ? "  (conntrack: yes)\n" : "  (conntrack: NO ENTRY)\n");
}

/* Pair every outside frame with its inside twin; confirm each rewrite
 * in the router's table. */
static int
pair_frames(struct journey *j)
{
	struct pkl_demo *d = j->d;
	unsigned unpaired = 0, unconfirmed = 0;

	for (unsigned i = 0; i < j->outside.n; i++) {
		const struct seen *o = &j->outside.frame[i];
		bool to_server = false;
		const struct seen *in = twin_of(&j->inside, o, &to_server);
		if (!in) {
			unpaired++;
			continue;
		}
		const struct pkl_ct_entry *e =
			to_server ? entry_for(j, o->proto, in->src, in->sport, o->src, o->sport, o->dst,
					      o->dport)
				  : entry_for(j, o->proto, in->dst, in->dport, o->dst, o->dport, o->src,
					      o->sport);
		unconfirmed += e == NULL;
		show_pair(d, o, in, to_server, e);
	}
	if (unpaired || unconfirmed)
		return pkl_demo_fail(d, "%u outside frames had no inside twin, %u rewrites no "
				     "conntrack entry", unpaired, unconfirmed);
	pkl_demo_say(d, "Every frame outside is a frame from inside with one endpoint rewritten: "
		     "the source going out, the destination coming back.  The router's conntrack "
		     "table holds each mapping (the original tuple and the reply it expects), which "
		     "is how it knows where an answer from outside belongs.");
	return 0;
}

static int
run(struct pkl_demo *d)
{
	static struct journey j;
	const char *const flush_client[] = { "ip", "neigh", "flush", "dev", PKL_LAB_LAN_IFACE, NULL };
	const char *const flush_router[] = { "ip", "neigh", "flush", "all", NULL };
	const char *filter = "arp or udp port 53 or tcp port 80";
	char errbuf[PKL_ERRBUF_SIZE];
	uint8_t addr[4];

	j = (struct journey){ .d = d, .inside.ns = PKL_LAB_CLIENT, .outside.ns = PKL_LAB_OUTSIDE };
	pkl_demo_step(d, "captures on both sides of the router; the servers listen outside");
	if (pkl_lab_demo_command(d, PKL_LAB_CLIENT, "client", flush_client) != 0 ||
	    pkl_lab_demo_command(d, PKL_LAB_ROUTER, "router", flush_router) != 0)
		return pkl_demo_fail(d, "could not empty the neighbour tables");
	if (pkl_lab_demo_tap(d, PKL_LAB_CLIENT, PKL_LAB_LAN_IFACE, filter, true, remember,
			     &j.inside) < 0 ||
	    pkl_lab_demo_tap(d, PKL_LAB_OUTSIDE, PKL_LAB_OUTSIDE_IFACE, filter, true, remember,
			     &j.outside) < 0)
		return -1;
	int dns = pkl_lab_demo_socket(d, PKL_LAB_OUTSIDE, "dns server", SOCK_DGRAM);
	int web = pkl_lab_demo_socket(d, PKL_LAB_OUTSIDE, "web server", SOCK_STREAM);
	if (dns < 0 || web < 0 ||
	    pkl_lab_demo_bind(d, PKL_LAB_OUTSIDE, "dns server", dns, PKL_LAB_DNS_ADDR, 53) < 0 ||
	    pkl_lab_demo_bind(d, PKL_LAB_OUTSIDE, "web server", web, PKL_LAB_WEB_ADDR, 80) < 0 ||
	    pkl_lab_demo_listen(d, PKL_LAB_OUTSIDE, "web server", web, 4) < 0)
		return pkl_demo_fail(d, "the servers could not start in %s",
				     pkl_lab_ns_name(PKL_LAB_OUTSIDE));

	pkl_demo_step(d, "the name lookup: " NAME "'s address from " PKL_LAB_DNS_ADDR);
	explain_next_hop(d);
	if (resolve(d, dns, addr) < 0 || fetch(d, web, addr) < 0)
		return -1;

	pkl_demo_step(d, "the router's conntrack table (ctnetlink in " PKL_LAB_NS_ROUTER ")");
	if (pkl_lab_run_in(pkl_lab_ns_name(PKL_LAB_ROUTER), read_conntrack, &j, errbuf) < 0)
		return pkl_demo_fail(d, "%s", errbuf);
	for (unsigned i = 0; i < j.nct; i++)
		show_entry(d, &j.ct[i]);

	pkl_demo_step(d, "each outside frame and its inside twin");
	return pair_frames(&j);
}

const struct pkl_demo_def pkl_demo_journey = {
	.name = "journey",
	.summary = "lab: one web request through a NAT router: ARP for the gateway, DNS, "
		   "handshake, HTTP, close, seen inside and outside, with conntrack",
	.run = run,
	.lab = true,
};
