/* The conns records of every kind, text and JSON, from table entries
 * built by hand and handed over as the tracker hands them
 * (pkl_conntrack_record), so that every branch of every field table is
 * taken: lists cut short, sentences told only sometimes, IPv6, an
 * eviction, a conflict of one MAC (no record). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/conntrack_entry.h"
#include "../../src/render_conns.h"

static const struct pkl_clock clock = { .started = true, .first_sec = 1700000000,
					 .first_nsec = 500000000 };

static void
ends(struct pkl_conn *c, int family, uint16_t client_port, uint16_t server_port)
{
	c->family = (uint8_t)family;
	if (family == 4) {
		memcpy(c->end[PKL_CLIENT].addr, (uint8_t[]){ 10, 0, 0, 1 }, 4);
		memcpy(c->end[PKL_SERVER].addr, (uint8_t[]){ 10, 0, 0, 2 }, 4);
	} else {
		memcpy(c->end[PKL_CLIENT].addr, (uint8_t[]){ 0xfd, 0x77, [15] = 1 }, 16);
		memcpy(c->end[PKL_SERVER].addr, (uint8_t[]){ 0xfd, 0x77, [15] = 2 }, 16);
	}
	c->end[PKL_CLIENT].port = client_port;
	c->end[PKL_SERVER].port = server_port;
	c->end[PKL_CLIENT].frames = 1;
	c->end[PKL_CLIENT].bytes = 1;
	c->end[PKL_SERVER].frames = 7;
	c->end[PKL_SERVER].bytes = 900;
	c->first_frame = 3;
	c->first_sec = 1700000001;
	c->first_nsec = 250000000;
	c->last_frame = 40;
	c->last_sec = 1700000009;
	c->last_nsec = 750000;
}

static void
icmp_errors(struct pkl_conn *c, uint32_t n)
{
	static const struct pkl_icmp_error_ref refs[] = {
		{ .frame = 5, .quoted_frame = 4, .type = 3, .code = 3 },
		{ .frame = 6, .mtu = 1400, .type = 3, .code = 4 },
		{ .frame = 7, .quoted_frame = 6, .type = 42, .code = 7 },
	};
	memcpy(c->icmp_error, refs, sizeof refs);
	c->icmp_errors = n;
}

/* Not completed, reset, both ends in TIME_WAIT until different times,
 * the server in CLOSE_WAIT: the text and JSON tell different holders'
 * times, as they always have. */
static void
tcp_odd(struct pkl_conn *c)
{
	c->kind = PKL_KIND_TCP;
	c->id = 7;
	ends(c, 4, 40000, 80);
	c->roles_inferred = true;
	c->handshake_frames[0] = 3;
	c->close = PKL_CLOSE_RESET_BY_SERVER;
	c->fin_frames[1] = 12;
	c->tcp[PKL_CLIENT].state = PKL_TCPS_TIME_WAIT;
	c->tcp[PKL_SERVER].state = PKL_TCPS_CLOSE_WAIT;
	c->time_wait_until[PKL_CLIENT] = 1700000060;
	c->time_wait_until[PKL_SERVER] = 1700000069;
	c->coalesced = 2;
	c->first_coalesced = 9;
	c->ttl_changes = 1;
	c->retransmissions = 1;
	c->dup_acks = 2;
	c->out_of_order = 3;
	c->zero_windows = 4;
	c->zero_window_probes = 5;
	c->keep_alives = 6;
	icmp_errors(c, 5);
}

static void
tcp_v6(struct pkl_conn *c)
{
	c->kind = PKL_KIND_TCP;
	c->id = 8;
	ends(c, 6, 40001, 9999);
	c->handshake_frames[0] = 3;
	c->handshake_frames[1] = 4;
	c->handshake_frames[2] = 5;
	c->syn_time_ns = 1000000;
	c->ack_time_ns = 11383000;
	c->capture_point = PKL_CAPTURE_SERVER;
	c->close = PKL_CLOSE_CLIENT_FIRST;
	c->fin_frames[0] = 20;
	c->fin_frames[1] = 18;
	c->tcp[PKL_CLIENT].state = PKL_TCPS_CLOSE_WAIT;
	c->tcp[PKL_SERVER].state = PKL_TCPS_TIME_WAIT;
	c->time_wait_until[PKL_SERVER] = 1700000070;
	icmp_errors(c, 1);
}

static void
udp_v6(struct pkl_conn *c)
{
	c->kind = PKL_KIND_UDP;
	c->id = 2;
	ends(c, 6, 5353, 53);
	icmp_errors(c, 3);
	c->icmp_error[0] = (struct pkl_icmp_error_ref){ .frame = 9, .type = 1, .code = 4 };
	c->icmp_error[1] = (struct pkl_icmp_error_ref){ .frame = 10, .type = 2, .mtu = 1280 };
	c->icmp_error[2] = (struct pkl_icmp_error_ref){ .frame = 11, .type = 200, .code = 0 };
}

static void
echo_lossy(struct pkl_conn *c)
{
	struct pkl_echo_session *e = &c->x.echo;

	c->kind = PKL_KIND_ECHO;
	c->id = 3;
	ends(c, 4, 1234, 0);
	e->requests = 14;
	e->replies = 5;
	e->answers = 3;
	e->rtt_min_ns = 1000000;
	e->rtt_max_ns = 3000000;
	e->rtt_sum_ns = 6500000;
	e->duplicates = 1;
	e->unmatched = 1;
	e->lost = 7;
	for (unsigned i = 0; i < PKL_ECHO_LOST_KEPT; i++)
		e->lost_kept[i] = (struct pkl_echo_ref){ .frame = 10 + i, .seq = (uint16_t)(1 + i) };
	e->n_pending = 2;
	e->pending[0].ref = (struct pkl_echo_ref){ .frame = 30, .seq = 20 };
	e->pending[1].ref = (struct pkl_echo_ref){ .frame = 31, .seq = 21 };
	icmp_errors(c, 1);
}

static void
echo_v6_unanswered(struct pkl_conn *c)
{
	struct pkl_echo_session *e = &c->x.echo;

	c->kind = PKL_KIND_ECHO;
	c->id = 4;
	ends(c, 6, 99, 0);
	e->requests = 1;
	e->replies = 2;
	e->duplicates = 2;
	e->unmatched = 2;
	e->n_pending = 1;
	e->pending[0].ref = (struct pkl_echo_ref){ .frame = 3, .seq = 1 };
}

static void
arp_of(struct pkl_conn *c, enum pkl_arp_exchange_kind kind, unsigned answers)
{
	struct pkl_arp_exchange *x = &c->x.arp;

	c->kind = PKL_KIND_ARP;
	c->id = 10 + kind * 2 + answers;
	ends(c, 4, 0, 0);
	x->kind = kind;
	memcpy(x->asker_mac, (uint8_t[]){ 0x52, 0x54, 0, 0, 0, 1 }, 6);
	x->requests = 2;
	x->replies = answers;
	x->n_answer_macs = (uint8_t)answers;
	for (unsigned i = 0; i < answers; i++)
		memcpy(x->answer_mac[i], (uint8_t[]){ 0x52, 0x54, 0, 0, 1, (uint8_t)i }, 6);
	if (answers) {
		x->answered_frame = 3;
		x->reply_frame = 4;
		x->answer_ns = 1500000;
	}
}

static void
conflict(struct pkl_conn *c, uint8_t n_macs)
{
	struct pkl_arp_binding *b = &c->x.binding;

	c->kind = PKL_KIND_ARP_BINDING;
	c->id = 30;
	ends(c, 4, 0, 0);
	b->n_macs = n_macs;
	b->other_claims = 3;
	for (unsigned i = 0; i < n_macs; i++) {
		memcpy(b->mac[i].mac, (uint8_t[]){ 0x52, 0x54, 0, 0, 2, (uint8_t)i }, 6);
		b->mac[i].claims = i == 0 ? 6 : 1;
		for (unsigned k = 0; k < PKL_ARP_CLAIM_FRAMES; k++)
			b->mac[i].frames[k] = 100 * (i + 1) + k;
	}
}

static void arp_request_answered_twice(struct pkl_conn *c) { arp_of(c, PKL_ARPX_REQUEST, 2); }
static void arp_request_unanswered(struct pkl_conn *c) { arp_of(c, PKL_ARPX_REQUEST, 0); }
static void arp_probe_answered(struct pkl_conn *c) { arp_of(c, PKL_ARPX_PROBE, 1); }
static void arp_probe_unanswered(struct pkl_conn *c) { arp_of(c, PKL_ARPX_PROBE, 0); }
static void arp_gratuitous(struct pkl_conn *c) { arp_of(c, PKL_ARPX_GRATUITOUS, 0); }
static void arp_unsolicited(struct pkl_conn *c) { arp_of(c, PKL_ARPX_UNSOLICITED, 1); }
static void conflict_of_three(struct pkl_conn *c) { conflict(c, 3); }
static void conflict_of_one(struct pkl_conn *c) { conflict(c, 1); }

/* Every case: built into c, it leaves the table for why, and reads so.
 * The texts are what the two writers per kind wrote before the records
 * had field tables, but for echo_lossy, whose list they filled beyond
 * what pkl_echo_lost gave them (with whatever the stack held). */
static const struct {
	const char *name;
	void (*build)(struct pkl_conn *c);
	enum pkl_conn_exit why;
	const char *text, *json;
} cases[] = {
	{ "tcp_odd", tcp_odd, PKL_CONN_EVICTED,
	  "conn #7  TCP  client 10.0.0.1:40000 -> server 10.0.0.2:80 (HTTP (the web))  [handshake not seen: roles inferred]\n"
	  "  frames 3..40, time 0.750000 .. 8.500750 s;  client -> server 1 frames 1 bytes;  server -> client 7 frames 900 bytes\n"
	  "  handshake: not seen complete\n"
	  "  close: reset-by-server;  final states: client TIME_WAIT, server CLOSE_WAIT;  TIME_WAIT held by both until 59.500750 s\n"
	  "  ! an end is still in CLOSE_WAIT: its application got end of stream but never closed (a likely bug)\n"
	  "  ! 2 segment(s) carried small writes sent together (Nagle), first frame 9: TCP is a byte stream, so an application must mark its messages (a length prefix)\n"
	  "  ! the TTL changed 1 time(s) within the connection: a route change, or forged packets\n"
	  "  analysis: 1 retransmissions, 2 duplicate ACKs, 3 out-of-order, 4 zero windows, 5 zero-window probes, 6 keep-alives\n"
	  "  5 ICMP errors quote it: frame 5 destination unreachable (port unreachable), quoting frame 4; frame 6 destination unreachable (fragmentation needed and DF set), next-hop MTU 1400; frame 7 type 42 code 7, quoting frame 6; ...\n"
	  "  ! evicted from the full table: later frames count as a new conversation\n"
	  "\n",
	  "{\"id\":7,\"proto\":\"tcp\",\"client\":\"10.0.0.1:40000\",\"server\":\"10.0.0.2:80\",\"roles_inferred\":true,\"first_frame\":3,\"last_frame\":40,\"first_time\":0.750000,\"last_time\":8.500750,\"handshake_frames\":null,\"handshake_rtt_ms\":null,\"capture_point\":null,\"close\":\"reset-by-server\",\"fin_frames\":[12],\"client_state\":\"TIME_WAIT\",\"server_state\":\"CLOSE_WAIT\",\"time_wait\":\"both\",\"time_wait_until\":68.500750,\"close_wait\":\"server\",\"retransmissions\":1,\"dup_acks\":2,\"out_of_order\":3,\"zero_windows\":4,\"zero_window_probes\":5,\"keep_alives\":6,\"coalesced_segments\":2,\"ttl_changes\":1,\"frames_c2s\":1,\"frames_s2c\":7,\"bytes_c2s\":1,\"bytes_s2c\":900,\"icmp_errors\":[{\"frame\":5,\"type\":3,\"code\":3,\"quoted_frame\":4,\"mtu\":null},{\"frame\":6,\"type\":3,\"code\":4,\"quoted_frame\":null,\"mtu\":1400},{\"frame\":7,\"type\":42,\"code\":7,\"quoted_frame\":6,\"mtu\":null}],\"icmp_error_count\":5,\"left_table\":\"evicted\"}\n" },
	{ "tcp_v6", tcp_v6, PKL_CONN_AT_END,
	  "conn #8  TCP  client [fd77::1]:40001 -> server [fd77::2]:9999\n"
	  "  frames 3..40, time 0.750000 .. 8.500750 s;  client -> server 1 frames 1 bytes;  server -> client 7 frames 900 bytes\n"
	  "  handshake: frames 3, 4, 5, RTT 10.383 ms, captured at the server\n"
	  "  close: client-first;  final states: client CLOSE_WAIT, server TIME_WAIT;  TIME_WAIT held by server until 69.500750 s\n"
	  "  ! an end is still in CLOSE_WAIT: its application got end of stream but never closed (a likely bug)\n"
	  "  analysis: 0 retransmissions, 0 duplicate ACKs, 0 out-of-order, 0 zero windows, 0 zero-window probes, 0 keep-alives\n"
	  "  1 ICMP error quotes it: frame 5 time exceeded code 3, quoting frame 4\n"
	  "\n",
	  "{\"id\":8,\"proto\":\"tcp\",\"client\":\"[fd77::1]:40001\",\"server\":\"[fd77::2]:9999\",\"roles_inferred\":false,\"first_frame\":3,\"last_frame\":40,\"first_time\":0.750000,\"last_time\":8.500750,\"handshake_frames\":[3,4,5],\"handshake_rtt_ms\":10.383,\"capture_point\":\"server\",\"close\":\"client-first\",\"fin_frames\":[18,20],\"client_state\":\"CLOSE_WAIT\",\"server_state\":\"TIME_WAIT\",\"time_wait\":\"server\",\"time_wait_until\":69.500750,\"close_wait\":\"client\",\"retransmissions\":0,\"dup_acks\":0,\"out_of_order\":0,\"zero_windows\":0,\"zero_window_probes\":0,\"keep_alives\":0,\"coalesced_segments\":0,\"ttl_changes\":0,\"frames_c2s\":1,\"frames_s2c\":7,\"bytes_c2s\":1,\"bytes_s2c\":900,\"icmp_errors\":[{\"frame\":5,\"type\":3,\"code\":3,\"quoted_frame\":4,\"mtu\":null}],\"icmp_error_count\":1,\"left_table\":\"end\"}\n" },
	{ "udp_v6", udp_v6, PKL_CONN_EXPIRED,
	  "udp #2  UDP  client [fd77::1]:5353 -> server [fd77::2]:53 (DNS (name lookups))\n"
	  "  frames 3..40, time 0.750000 .. 8.500750 s;  client -> server 1 datagram 1 byte;  server -> client 7 datagrams 900 bytes\n"
	  "  3 ICMP errors quote it: frame 9 destination unreachable code 4; frame 10 packet too big, next-hop MTU 1280; frame 11 type 200\n"
	  "\n",
	  "{\"id\":2,\"proto\":\"udp\",\"client\":\"[fd77::1]:5353\",\"server\":\"[fd77::2]:53\",\"first_frame\":3,\"last_frame\":40,\"first_time\":0.750000,\"last_time\":8.500750,\"frames_c2s\":1,\"frames_s2c\":7,\"bytes_c2s\":1,\"bytes_s2c\":900,\"icmp_errors\":[{\"frame\":9,\"type\":1,\"code\":4,\"quoted_frame\":null,\"mtu\":null},{\"frame\":10,\"type\":2,\"code\":0,\"quoted_frame\":null,\"mtu\":1280},{\"frame\":11,\"type\":200,\"code\":0,\"quoted_frame\":null,\"mtu\":null}],\"icmp_error_count\":3,\"left_table\":\"expired\"}\n" },
	{ "echo_lossy", echo_lossy, PKL_CONN_AT_END,
	  "ping #3  ICMP echo  client 10.0.0.1 -> server 10.0.0.2  id 1234\n"
	  "  frames 3..40, time 0.750000 .. 8.500750 s;  14 requests, 5 replies\n"
	  "  round trip: min 1.000 ms, avg 2.166 ms, max 3.000 ms\n"
	  "  ! 9 requests never answered: seq 1 (frame 10), seq 2 (frame 11), seq 3 (frame 12), seq 4 (frame 13), seq 20 (frame 30), seq 21 (frame 31), ...\n"
	  "  ! 1 duplicate reply\n"
	  "  1 reply to no request seen\n"
	  "  1 ICMP error quotes it: frame 5 destination unreachable (port unreachable), quoting frame 4\n"
	  "\n",
	  "{\"id\":3,\"proto\":\"icmp\",\"client\":\"10.0.0.1\",\"server\":\"10.0.0.2\",\"icmp_id\":1234,\"first_frame\":3,\"last_frame\":40,\"first_time\":0.750000,\"last_time\":8.500750,\"requests\":14,\"replies\":5,\"lost\":9,\"lost_seqs\":[1,2,3,4,20,21],\"lost_frames\":[10,11,12,13,30,31],\"duplicates\":1,\"unmatched_replies\":1,\"rtt_min_ms\":1.000,\"rtt_avg_ms\":2.166,\"rtt_max_ms\":3.000,\"icmp_errors\":[{\"frame\":5,\"type\":3,\"code\":3,\"quoted_frame\":4,\"mtu\":null}],\"icmp_error_count\":1,\"left_table\":\"end\"}\n" },
	{ "echo_v6_unanswered", echo_v6_unanswered, PKL_CONN_EVICTED,
	  "ping #4  ICMPv6 echo  client fd77::1 -> server fd77::2  id 99\n"
	  "  frames 3..40, time 0.750000 .. 8.500750 s;  1 request, 2 replies\n"
	  "  ! 1 request never answered: seq 1 (frame 3)\n"
	  "  ! 2 duplicate replies\n"
	  "  2 replies to no request seen\n"
	  "  ! evicted from the full table: later frames count as a new conversation\n"
	  "\n",
	  "{\"id\":4,\"proto\":\"icmpv6\",\"client\":\"fd77::1\",\"server\":\"fd77::2\",\"icmp_id\":99,\"first_frame\":3,\"last_frame\":40,\"first_time\":0.750000,\"last_time\":8.500750,\"requests\":1,\"replies\":2,\"lost\":1,\"lost_seqs\":[1],\"lost_frames\":[3],\"duplicates\":2,\"unmatched_replies\":2,\"rtt_min_ms\":null,\"rtt_avg_ms\":null,\"rtt_max_ms\":null,\"icmp_errors\":[],\"icmp_error_count\":0,\"left_table\":\"evicted\"}\n" },
	{ "arp_request_answered_twice", arp_request_answered_twice, PKL_CONN_REUSED,
	  "arp #12  who-has 10.0.0.2? asked by 10.0.0.1 (52:54:00:00:00:01)\n"
	  "  frames 3..40, time 0.750000 .. 8.500750 s;  2 requests, 2 replies\n"
	  "  answer: 52:54:00:00:01:00 and 52:54:00:00:01:01 in frame 4 to the request of frame 3, after 1.500 ms\n"
	  "  ! more than one MAC answered: an address conflict\n"
	  "\n",
	  "{\"id\":12,\"proto\":\"arp\",\"kind\":\"request\",\"client\":\"10.0.0.1\",\"client_mac\":\"52:54:00:00:00:01\",\"server\":\"10.0.0.2\",\"server_macs\":[\"52:54:00:00:01:00\",\"52:54:00:00:01:01\"],\"first_frame\":3,\"last_frame\":40,\"first_time\":0.750000,\"last_time\":8.500750,\"requests\":2,\"replies\":2,\"answer_frames\":[3,4],\"answer_ms\":1.500,\"left_table\":\"reused\"}\n" },
	{ "arp_request_unanswered", arp_request_unanswered, PKL_CONN_EXPIRED,
	  "arp #10  who-has 10.0.0.2? asked by 10.0.0.1 (52:54:00:00:00:01)\n"
	  "  frames 3..40, time 0.750000 .. 8.500750 s;  2 requests, 0 replies\n"
	  "  ! no answer: the host is down or absent, or its replies were lost\n"
	  "\n",
	  "{\"id\":10,\"proto\":\"arp\",\"kind\":\"request\",\"client\":\"10.0.0.1\",\"client_mac\":\"52:54:00:00:00:01\",\"server\":\"10.0.0.2\",\"server_macs\":[],\"first_frame\":3,\"last_frame\":40,\"first_time\":0.750000,\"last_time\":8.500750,\"requests\":2,\"replies\":0,\"answer_frames\":null,\"answer_ms\":null,\"left_table\":\"expired\"}\n" },
	{ "arp_probe_answered", arp_probe_answered, PKL_CONN_AT_END,
	  "arp #13  probe: is 10.0.0.2 in use? asked by 52:54:00:00:00:01\n"
	  "  frames 3..40, time 0.750000 .. 8.500750 s;  2 requests, 1 reply\n"
	  "  answer: 52:54:00:00:01:00 in frame 4 to the request of frame 3, after 1.500 ms\n"
	  "  ! the probed address is taken: the prober must not use it\n"
	  "\n",
	  "{\"id\":13,\"proto\":\"arp\",\"kind\":\"probe\",\"client\":\"10.0.0.1\",\"client_mac\":\"52:54:00:00:00:01\",\"server\":\"10.0.0.2\",\"server_macs\":[\"52:54:00:00:01:00\"],\"first_frame\":3,\"last_frame\":40,\"first_time\":0.750000,\"last_time\":8.500750,\"requests\":2,\"replies\":1,\"answer_frames\":[3,4],\"answer_ms\":1.500,\"left_table\":\"end\"}\n" },
	{ "arp_probe_unanswered", arp_probe_unanswered, PKL_CONN_AT_END,
	  "arp #12  probe: is 10.0.0.2 in use? asked by 52:54:00:00:00:01\n"
	  "  frames 3..40, time 0.750000 .. 8.500750 s;  2 requests, 0 replies\n"
	  "  no answer: nobody claimed the address\n"
	  "\n",
	  "{\"id\":12,\"proto\":\"arp\",\"kind\":\"probe\",\"client\":\"10.0.0.1\",\"client_mac\":\"52:54:00:00:00:01\",\"server\":\"10.0.0.2\",\"server_macs\":[],\"first_frame\":3,\"last_frame\":40,\"first_time\":0.750000,\"last_time\":8.500750,\"requests\":2,\"replies\":0,\"answer_frames\":null,\"answer_ms\":null,\"left_table\":\"end\"}\n" },
	{ "arp_gratuitous", arp_gratuitous, PKL_CONN_EVICTED,
	  "arp #14  gratuitous: 10.0.0.1 announced by 52:54:00:00:00:01\n"
	  "  frames 3..40, time 0.750000 .. 8.500750 s;  2 requests, 0 replies\n"
	  "  ! evicted from the full table: later frames count as a new conversation\n"
	  "\n",
	  "{\"id\":14,\"proto\":\"arp\",\"kind\":\"gratuitous\",\"client\":\"10.0.0.1\",\"client_mac\":\"52:54:00:00:00:01\",\"server\":\"10.0.0.2\",\"server_macs\":[],\"first_frame\":3,\"last_frame\":40,\"first_time\":0.750000,\"last_time\":8.500750,\"requests\":2,\"replies\":0,\"answer_frames\":null,\"answer_ms\":null,\"left_table\":\"evicted\"}\n" },
	{ "arp_unsolicited", arp_unsolicited, PKL_CONN_CLOSED,
	  "arp #17  unsolicited reply: 10.0.0.2 is-at 52:54:00:00:01:00, told to 10.0.0.1 (52:54:00:00:00:01)\n"
	  "  frames 3..40, time 0.750000 .. 8.500750 s;  2 requests, 1 reply\n"
	  "\n",
	  "{\"id\":17,\"proto\":\"arp\",\"kind\":\"unsolicited\",\"client\":\"10.0.0.1\",\"client_mac\":\"52:54:00:00:00:01\",\"server\":\"10.0.0.2\",\"server_macs\":[\"52:54:00:00:01:00\"],\"first_frame\":3,\"last_frame\":40,\"first_time\":0.750000,\"last_time\":8.500750,\"requests\":2,\"replies\":1,\"answer_frames\":[3,4],\"answer_ms\":1.500,\"left_table\":\"closed\"}\n" },
	{ "conflict_of_three", conflict_of_three, PKL_CONN_AT_END,
	  "arp #30  ! conflict: 10.0.0.1 claimed by 3 MACs and more\n"
	  "  frames 3..40, time 0.750000 .. 8.500750 s\n"
	  "  52:54:00:00:02:00: 6 claims, frames 100, 101, 102, 103, ...\n"
	  "  52:54:00:00:02:01: 1 claim, frame 200\n"
	  "  52:54:00:00:02:02: 1 claim, frame 300\n"
	  "  3 claims by further MACs\n"
	  "  ! two hosts configured with one address, or one impersonating the other (ARP spoofing)\n"
	  "\n",
	  "{\"id\":30,\"proto\":\"arp\",\"kind\":\"conflict\",\"ip\":\"10.0.0.1\",\"macs\":[{\"mac\":\"52:54:00:00:02:00\",\"claims\":6,\"frames\":[100,101,102,103]},{\"mac\":\"52:54:00:00:02:01\",\"claims\":1,\"frames\":[200]},{\"mac\":\"52:54:00:00:02:02\",\"claims\":1,\"frames\":[300]}],\"other_claims\":3,\"first_frame\":3,\"last_frame\":40,\"first_time\":0.750000,\"last_time\":8.500750,\"left_table\":\"end\"}\n" },
	{ "conflict_of_one", conflict_of_one, PKL_CONN_AT_END,
	  "",
	  "" },
};

static void
test_records(void **state)
{
	(void)state;
	static char buf[4096];

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		for (int json = 0; json < 2; json++) {
			struct pkl_conn c;
			struct pkl_conn_record record;
			struct pkl_out o;
			struct pkl_conns_view v = { .out = &o, .json = json, .clock = &clock };

			memset(&c, 0, sizeof c);
			cases[k].build(&c);
			pkl_conntrack_record(&record, &c, cases[k].why);
			pkl_out_init_fixed(&o, buf, sizeof buf);
			pkl_render_conn(&v, &record);
			pkl_out_finish_fixed(&o);
			if (strcmp(buf, json ? cases[k].json : cases[k].text) != 0)
				fail_msg("%s (%s): got\n%s", cases[k].name, json ? "json" : "text", buf);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
