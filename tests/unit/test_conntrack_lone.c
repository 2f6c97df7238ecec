/* Connections that have seen one segment are kept small in the tracker
 * once 1024 more have opened after them (conntrack.c), and made whole
 * again by following that segment again: nothing the tracker says or
 * reports may show it.  Each test opens more connections than that,
 * from other client ports, between the segments of the one it follows:
 * that one is then small, and is compared with the same connection
 * followed without them, which stays whole. */
#include "frames.h"

#include <stdio.h>

#include "../../src/annotate.h"
#include "../../src/conntrack.h"
#include "../../src/notes.h"
#include "../../src/render_conns.h"
#include "../../src/tcp_state.h"

#define CLIENT_IP 0x0a4d0101u    /* 10.77.1.1 */
#define SERVER_IP 0x0a4d0102u    /* 10.77.1.2 */
#define OTHERS 1100              /* connections opened in between: more than stay whole */
#define MAX_ROWS 4096
#define T0 1700000000

enum { SYN = PKL_TCP_SYN, ACK = PKL_TCP_ACK, FIN = PKL_TCP_FIN, RST = PKL_TCP_RST,
       PSH = PKL_TCP_PSH };

#define NO_OPTIONS 0, { 0 }
/* The connection followed: client port 40000 to the server's port 80. */
#define C2S CLIENT_IP, SERVER_IP, 40000, 80
#define S2C SERVER_IP, CLIENT_IP, 80, 40000

struct segment {
	uint32_t src, dst;
	uint16_t sport, dport, flags;
	uint32_t seq, ack;
	uint16_t window, payload;
	uint8_t ttl;
	uint8_t n_opt;                   /* a multiple of 4 */
	uint8_t opt[40];
};

struct run {
	struct pkl_conntrack *ct;
	uint64_t number;                 /* of the latest frame */
	struct tf t;
	struct pkl_findings found;
	struct pkl_notes notes;          /* what is said of the latest frame */
	struct pkl_conn_record first;    /* the record of connection #1 */
	bool have_first;
	unsigned n_rows;                 /* records, in the order they came */
	uint64_t row_id[MAX_ROWS];
	enum pkl_conn_exit why[MAX_ROWS];
};

static void
keep_row(void *ctx, const struct pkl_conn_record *c)
{
	struct run *r = ctx;

	if (c->kind != PKL_KIND_TCP)
		return;
	if (c->id == 1) {
		assert_false(r->have_first);
		r->first = *c;
		r->have_first = true;
	}
	assert_true(r->n_rows < MAX_ROWS);
	r->row_id[r->n_rows] = c->id;
	r->why[r->n_rows++] = c->left;
}

static struct run *
start(uint32_t max_conns, uint32_t idle_timeout)
{
	static struct run runs[2];
	static unsigned next;
	struct run *r = &runs[next++ % 2];   /* two at once, to compare */
	const struct pkl_conntrack_opts opts = {
		.max_conns = max_conns, .idle_timeout = idle_timeout, .exchange_timeout = 30,
		.msl = 30, .time_acks = true,
	};

	memset(r, 0, sizeof *r);
	r->ct = pkl_conntrack_new(&opts, keep_row, r);
	assert_non_null(r->ct);
	return r;
}

/* Frame `number` (0: the next one) at capture second sec, through
 * decode, the tracker and the notes. */
static const struct pkl_notes *
feed(struct run *r, size_t n, uint64_t number, int64_t sec)
{
	r->number = number ? number : r->number + 1;
	r->t.n = (uint32_t)n;
	r->t.frame = (struct pkl_frame){
		.number = r->number, .ts_sec = sec, .ts_nsec = (uint32_t)(r->number % 1000 * 1000),
		.caplen = r->t.n, .len = r->t.n, .linktype = DLT_EN10MB, .bytes = r->t.buf,
	};
	memset(&r->t.pkt, 0, sizeof r->t.pkt);
	pkl_decode(&r->t.pkt, &r->t.frame);
	const struct pkl_annotate_opts aopts = { .explain_addresses = false };
	pkl_notes_reset(&r->notes);
	pkl_conntrack_frame(r->ct, &r->t.pkt, &r->notes.conn, &r->found);
	pkl_annotate(&r->t.pkt, &r->found, &aopts, &r->notes);
	return &r->notes;
}

/* The frame of segment sg in b: its length. */
static size_t
build(uint8_t *b, const struct segment *sg)
{
	size_t n = tf_tcp_segment(b, sg->src, sg->dst, sg->sport, sg->dport, sg->flags,
				  sg->seq, sg->ack, (uint16_t)(sg->n_opt + sg->payload));
	uint8_t *ip = b + 14, *tcp = ip + 20;

	ip[8] = sg->ttl;
	tcp[12] = (uint8_t)((5 + sg->n_opt / 4) << 4);
	tf_wr16(tcp + 14, sg->window);
	memcpy(tcp + 20, sg->opt, sg->n_opt);
	tf_fix_ip(ip, n - 14);
	return n;
}

static const struct pkl_notes *
send(struct run *r, const struct segment *sg, uint64_t number, int64_t sec)
{
	const struct pkl_notes *ns = feed(r, build(r->t.buf, sg), number, sec);
	if (!ns->conn.valid)
		fail_msg("not followed: %s",
			 r->t.pkt.n_events ? pkl_event_name(r->t.pkt.events[0].code) : "?");
	return ns;
}

/* A SYN from client port `port` to the server's port 81. */
static void
syn_from(struct run *r, uint16_t port, int64_t sec)
{
	const struct segment sg = { CLIENT_IP, SERVER_IP, port, 81, SYN, 7000u + port, 0, 64240, 0,
				    64, NO_OPTIONS };

	send(r, &sg, 0, sec);
}

/* Connections of their own, from client ports 2000 on. */
static void
others(struct run *r, unsigned n, int64_t sec)
{
	for (unsigned i = 0; i < n; i++)
		syn_from(r, (uint16_t)(2000 + i), sec);
}

static void
finish(struct run *r)
{
	pkl_conntrack_finish(r->ct);
	pkl_conntrack_free(r->ct);
	assert_true(r->have_first);
}

/* A record as JSON, which tells all it holds. */
static void
record_json(const struct pkl_conn_record *c, char *buf, size_t size)
{
	static const struct pkl_clock clock = { .started = true, .first_sec = T0 };
	struct pkl_out o;
	struct pkl_conns_view v = { .out = &o, .json = true, .clock = &clock };

	pkl_out_init_fixed(&o, buf, size);
	pkl_render_conn(&v, c);
	pkl_out_finish_fixed(&o);
}

/* What follows connection #1 in two runs must be the same: its record,
 * every fact of it. */
static void
assert_same_record(const struct pkl_conn_record *a, const struct pkl_conn_record *b,
		   const char *what)
{
	char x[2048], y[2048];

	record_json(a, x, sizeof x);
	record_json(b, y, sizeof y);
	if (strcmp(x, y) != 0)
		fail_msg("%s: the record differs once the connection was kept small:\n%s%s",
			 what, x, y);
}

static void
assert_same_notes(const struct pkl_notes *a, const struct pkl_notes *b, const char *what)
{
	assert_int_equal(a->n, b->n);
	for (unsigned i = 0; i < a->n; i++)
		if (a->note[i].code != b->note[i].code || a->note[i].layer != b->note[i].layer ||
		    memcmp(a->note[i].arg, b->note[i].arg, sizeof a->note[i].arg) != 0)
			fail_msg("%s: note %u differs (%s, %s)", what, i,
				 pkl_note_name(a->note[i].code), pkl_note_name(b->note[i].code));
	const struct pkl_conn_snapshot *x = &a->conn, *y = &b->conn;
	assert_int_equal(x->valid, y->valid);
	if (!x->valid)
		return;
	assert_int_equal(x->id, y->id);
	assert_int_equal(x->sender, y->sender);
	assert_memory_equal(x->before, y->before, sizeof x->before);
	assert_memory_equal(x->after, y->after, sizeof x->after);
	assert_memory_equal(&x->step, &y->step, sizeof x->step);
	assert_int_equal(x->rel_seq, y->rel_seq);
	assert_int_equal(x->rel_ack, y->rel_ack);
	assert_int_equal(x->analysis.flags, y->analysis.flags);
	assert_int_equal(x->analysis.window_size, y->analysis.window_size);
	assert_int_equal(x->analysis.acked_frame, y->analysis.acked_frame);
}

/* Options as a SYN carries them: MSS 1460, SACK_PERM, TS, NOP, WS 7. */
#define SYN_OPTIONS 20, { 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0, 1, 0xe2, 0x40, \
			  0, 0, 0, 0, 0x01, 0x03, 0x03, 0x07 }
#define C_ISN 1000u
#define S_ISN 5000u

/* First segments of every kind a capture can start a connection with. */
static const struct { const char *name; struct segment sg; } firsts[] = {
	{ "SYN with options", { C2S, SYN, C_ISN, 0, 64240, 0, 64,
				 SYN_OPTIONS } },
	{ "SYN with data", { C2S, SYN, C_ISN, 0, 64240, 10, 128,
			     NO_OPTIONS } },
	{ "SYN with an MSS of 0 and a window shift of 255 (read as 14)",
	  { C2S, SYN, C_ISN, 0, 0, 0, 64, 8,
	    { 0x02, 0x04, 0, 0, 0x03, 0x03, 0xff, 0x01 } } },
	{ "SYN+ACK", { S2C, SYN | ACK, S_ISN, C_ISN + 1, 65160, 0, 64,
			SYN_OPTIONS } },
	{ "data mid-stream", { C2S, ACK | PSH, 77777, 88888, 501, 1448,
				64, NO_OPTIONS } },
	{ "data from the server mid-stream", { S2C, ACK, 77777, 88888,
					       501, 100, 64, NO_OPTIONS } },
	{ "FIN mid-stream", { C2S, FIN | ACK, 77777, 88888, 501, 0,
			       64, NO_OPTIONS } },
	{ "RST mid-stream", { C2S, RST, 77777, 0, 0, 0, 64, NO_OPTIONS } },
	{ "RST+ACK", { S2C, RST | ACK, 0, C_ISN + 1, 0, 0, 64, NO_OPTIONS } },
	{ "no flags at all", { C2S, 0, 5, 0, 1024, 0, 64, NO_OPTIONS } },
	{ "zero window ACK", { C2S, ACK, 1, 1, 0, 0, 64, NO_OPTIONS } },
	{ "one byte of data", { C2S, ACK, 1, 1, 0, 1, 64, NO_OPTIONS } },
	{ "SACK blocks (kept whole)",
	  { C2S, ACK, 1, 1, 500, 0, 64, 12,
	    { 0x01, 0x01, 0x05, 0x0a, 0, 0, 0x10, 0, 0, 0, 0x20, 0 } } },
};

/* Its record when it leaves at the end, with only its first segment. */
static void
test_lone_connection_reports_as_it_was(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof firsts / sizeof firsts[0]; i++) {
		struct run *whole = start(1u << 20, 300), *small = start(1u << 20, 300);
		send(whole, &firsts[i].sg, 0, T0);
		send(small, &firsts[i].sg, 0, T0);
		others(small, OTHERS, T0);
		finish(whole);
		finish(small);
		assert_same_record(&whole->first, &small->first, firsts[i].name);
		assert_int_equal(small->n_rows, OTHERS + 1);
		assert_int_equal(small->why[0], PKL_CONN_AT_END);
	}
}

/* A second segment of every kind after each first one: what it says
 * and the record as it leaves. */
static void
test_lone_connection_becomes_whole(void **state)
{
	(void)state;
	static const struct { const char *name; struct segment sg; } seconds[] = {
		{ "SYN+ACK", { S2C, SYN | ACK, S_ISN, C_ISN + 1, 65160, 0,
				64, SYN_OPTIONS } },
		{ "SYN again", { C2S, SYN, C_ISN, 0, 64240, 0, 64,
				  SYN_OPTIONS } },
		{ "RST+ACK", { S2C, RST | ACK, 0, C_ISN + 1, 0, 0, 64, NO_OPTIONS } },
		{ "ACK", { C2S, ACK, C_ISN + 1, S_ISN + 1, 502, 0, 63, NO_OPTIONS } },
		{ "data", { S2C, ACK | PSH, 88888, 77777 + 1448, 1000, 300,
			     64, NO_OPTIONS } },
		{ "FIN", { S2C, FIN | ACK, 88888, 77778, 1000, 0, 64, NO_OPTIONS } },
		{ "a new SYN on the ports", { C2S, SYN, 99999, 0, 64240, 0,
					       64, NO_OPTIONS } },
	};
	const uint64_t second_frame = OTHERS + 2;

	for (size_t i = 0; i < sizeof firsts / sizeof firsts[0]; i++) {
		for (size_t j = 0; j < sizeof seconds / sizeof seconds[0]; j++) {
			char what[128];
			snprintf(what, sizeof what, "%s, then %s", firsts[i].name, seconds[j].name);
			struct run *whole = start(1u << 20, 300), *small = start(1u << 20, 300);
			send(whole, &firsts[i].sg, 0, T0);
			send(small, &firsts[i].sg, 0, T0);
			others(small, OTHERS, T0);
			/* The same frame number and time in both. */
			struct pkl_notes a = *send(whole, &seconds[j].sg, second_frame, T0);
			const struct pkl_notes *b = send(small, &seconds[j].sg, second_frame, T0);
			if (a.conn.id == 1) {
				assert_same_notes(b, &a, what);
			} else {
				/* A SYN reopened a closed one's ports: a new number */
				assert_int_equal(b->conn.id, a.conn.id + OTHERS);
				assert_true(small->found.reused);
				assert_int_equal(small->found.reused_id, 1);
			}
			finish(whole);
			finish(small);
			assert_same_record(&whole->first, &small->first, what);
		}
	}
}

/* The handshake step of a SYN+ACK after a lone SYN, and the ids. */
static void
test_handshake_after_a_lone_syn(void **state)
{
	(void)state;
	struct run *r = start(1u << 20, 300);

	send(r, &firsts[0].sg, 0, T0);
	others(r, OTHERS, T0);
	const struct pkl_notes *ns = send(r, &(struct segment){ SERVER_IP, CLIENT_IP, 80, 40000,
			SYN | ACK, S_ISN, C_ISN + 1, 65160, 0, 64, SYN_OPTIONS }, 0, T0);
	assert_int_equal(ns->conn.id, 1);
	assert_int_equal(ns->conn.sender, PKL_SERVER);
	assert_int_equal(ns->conn.before[PKL_CLIENT], PKL_TCPS_SYN_SENT);
	assert_int_equal(ns->conn.before[PKL_SERVER], PKL_TCPS_LISTEN_UNKNOWN);
	assert_int_equal(ns->conn.after[PKL_SERVER], PKL_TCPS_SYN_RECEIVED);
	assert_int_equal(ns->conn.step.k, 2);
	assert_int_equal(r->found.opening, PKL_OPENING_HANDSHAKE_2);
	/* The next connection still takes the next id. */
	syn_from(r, 9999, T0);
	assert_int_equal(r->notes.conn.id, OTHERS + 2);
	finish(r);
	assert_int_equal(r->first.tcp.handshake_frames[0], 1);
	assert_int_equal(r->first.tcp.handshake_frames[1], OTHERS + 2);
}

/* Port unreachable from the server, in frame `number`, quoting the IP
 * header and the first 8 bytes of the TCP header of segment sg. */
static const struct pkl_notes *
port_unreachable(struct run *r, const struct segment *sg, uint64_t number)
{
	uint8_t quote[28];
	build(r->t.buf, sg);
	memcpy(quote, r->t.buf + 14, sizeof quote);

	size_t n = 14 + 20 + 8 + sizeof quote;
	uint8_t *ip = r->t.buf + 14;
	memset(r->t.buf, 0, n);
	memcpy(r->t.buf, (const uint8_t[]){ TF_MAC_A, TF_MAC_B, 0x08, 0x00 }, 14);
	ip[0] = 0x45;
	tf_wr16(ip + 2, (uint16_t)(n - 14));
	ip[8] = 64;
	ip[9] = 1;
	tf_wr32(ip + 12, SERVER_IP);
	tf_wr32(ip + 16, CLIENT_IP);
	ip[20] = 3;   /* destination unreachable */
	ip[21] = 3;   /* port */
	memcpy(ip + 28, quote, sizeof quote);
	tf_fix_ip(ip, n - 14);
	return feed(r, n, number, T0);
}

/* An ICMP error quoting a lone connection's SYN is recorded in it (it
 * is made whole for that); one that came while it was whole keeps it
 * whole, with the error, when the connections after it open. */
static void
test_icmp_error_about_a_lone_connection(void **state)
{
	(void)state;
	for (int error_first = 0; error_first < 2; error_first++) {
		struct run *whole = start(1u << 20, 300), *small = start(1u << 20, 300);
		const uint64_t error_frame = error_first ? 2 : OTHERS + 2;

		send(whole, &firsts[0].sg, 0, T0);
		struct pkl_notes said = *port_unreachable(whole, &firsts[0].sg, error_frame);
		send(small, &firsts[0].sg, 0, T0);
		if (!error_first)
			others(small, OTHERS, T0);
		const struct pkl_notes *ns = port_unreachable(small, &firsts[0].sg, error_frame);
		assert_int_equal(small->found.quote, PKL_QUOTE_FOUND_TCP);
		assert_int_equal(small->found.quoted_id, 1);
		assert_same_notes(ns, &said, "ICMP error");
		if (error_first)
			others(small, OTHERS, T0);
		finish(whole);
		finish(small);
		assert_int_equal(small->first.icmp_error_count, 1);
		assert_int_equal(small->first.icmp_error[0].frame, error_frame);
		assert_same_record(&whole->first, &small->first, "ICMP error");
	}
}

/* An ICMP error is not a frame of the connection it quotes: made whole
 * for it, a lone connection keeps its place among the least recently
 * seen, and is the one the full table evicts next. */
static void
test_icmp_error_keeps_the_idle_order(void **state)
{
	(void)state;
	struct run *r = start(OTHERS + 1, 300);

	send(r, &firsts[0].sg, 0, T0);                 /* #1 */
	others(r, OTHERS, T0);                          /* #2..: the table is full */
	port_unreachable(r, &firsts[0].sg, 0);
	assert_int_equal(r->n_rows, 0);
	syn_from(r, 9999, T0);
	assert_int_equal(r->n_rows, 1);
	assert_int_equal(r->row_id[0], 1);
	assert_int_equal(r->why[0], PKL_CONN_EVICTED);
	assert_int_equal(r->first.icmp_error_count, 1);
	finish(r);
}

/* Followed again, a lone SYN is not counted again among its server's
 * half-open handshakes: the SYN flood shows at the same SYN, with the
 * same count, as without the connections that made them lone. */
static void
test_lone_syns_count_once_as_half_open(void **state)
{
	(void)state;
	struct run *whole = start(1u << 20, 300), *small = start(1u << 20, 300);
	struct run *both[2] = { whole, small };
	unsigned flood_at[2] = { 0, 0 };
	uint64_t flood_count[2] = { 0, 0 };

	for (int k = 0; k < 2; k++) {
		struct run *r = both[k];
		struct segment sg = { 0, SERVER_IP, 0, 80, SYN, 0, 0, 64240, 0, 64, NO_OPTIONS };
		for (unsigned i = 0; i < 40; i++) {   /* 40 half-open from 40 sources */
			sg.src = 0x0a090001u + i;
			sg.sport = (uint16_t)(5000 + i);
			sg.seq = 100 * i;
			send(r, &sg, 0, T0);
		}
		if (r == small)
			others(r, OTHERS, T0);
		r->number = 40 + OTHERS;
		for (unsigned i = 0; i < 40; i++) {   /* each SYN again: the same 40 */
			sg.src = 0x0a090001u + i;
			sg.sport = (uint16_t)(5000 + i);
			sg.seq = 100 * i;
			send(r, &sg, 0, T0);
		}
		for (unsigned i = 0; i < 30 && !flood_at[k]; i++) {   /* new ones, up to 64 */
			sg.src = 0x0a090101u + i;
			sg.sport = 6000;
			const struct pkl_notes *ns = send(r, &sg, 0, T0);
			for (unsigned j = 0; j < ns->n; j++)
				if (ns->note[j].code == PKL_NOTE_CONN_SYN_FLOOD) {
					flood_at[k] = i + 1;
					flood_count[k] = ns->note[j].arg[0];
				}
		}
		finish(r);
	}
	assert_int_equal(flood_at[0], 24);
	assert_int_equal(flood_count[0], 64);
	assert_int_equal(flood_at[1], flood_at[0]);
	assert_int_equal(flood_count[1], flood_count[0]);
}

/* Lone SYNs expire as whole ones do: idle exactly the timeout they are
 * kept; a second more and they leave, oldest first, before the frame
 * that comes then. */
static void
test_lone_syns_expire(void **state)
{
	(void)state;
	struct run *r = start(1u << 20, 10);

	others(r, OTHERS, T0);
	syn_from(r, 9999, T0 + 10);
	assert_int_equal(r->n_rows, 0);
	syn_from(r, 9998, T0 + 11);
	assert_int_equal(r->n_rows, OTHERS);   /* not the one seen at 10 s */
	for (unsigned i = 0; i < OTHERS; i++) {
		assert_int_equal(r->row_id[i], i + 1);
		assert_int_equal(r->why[i], PKL_CONN_EXPIRED);
	}
	assert_int_equal(r->first.tcp.close, PKL_CLOSE_NEVER_ESTABLISHED);
	assert_int_equal(r->first.tcp.client_state, PKL_TCPS_SYN_SENT);
	assert_int_equal(r->first.tcp.server_state, PKL_TCPS_LISTEN_UNKNOWN);
	assert_int_equal(r->first.client.frames, 1);
	assert_int_equal(r->notes.conn.id, OTHERS + 2);
	finish(r);
}

/* The full table evicts the least recently seen, lone or whole, and a
 * closed connection (a lone reset) leaves first, uncounted. */
static void
test_full_table_evicts_in_order(void **state)
{
	(void)state;
	const uint32_t cap = 1200;
	struct run *r = start(cap, 300);
	const struct segment open[] = {
		{ C2S, SYN, C_ISN, 0, 64240, 0, 64, NO_OPTIONS },
		{ S2C, SYN | ACK, S_ISN, C_ISN + 1, 65160, 0, 64, NO_OPTIONS },
		{ C2S, ACK, C_ISN + 1, S_ISN + 1, 502, 0, 64, NO_OPTIONS },
	};
	const struct segment reset = { CLIENT_IP, SERVER_IP, 41000, 80, RST, 5, 0, 0, 0, 64,
				       NO_OPTIONS };
	const struct segment data = { C2S, ACK, C_ISN + 1, S_ISN + 1,
				      502, 100, 64, NO_OPTIONS };

	for (size_t i = 0; i < 3; i++)
		send(r, &open[i], 0, T0);                 /* #1, established */
	send(r, &reset, 0, T0);                            /* #2, closed at once */
	others(r, 600, T0);                                /* #3..#602 */
	send(r, &data, 0, T0);                             /* #1 seen again */
	for (unsigned i = 0; i < 700; i++)                 /* #603..#1302 */
		syn_from(r, (uint16_t)(3000 + i), T0);
	/* 1302 connections for 1200 places: the reset leaves first, then
	 * the 101 seen least recently: #3..#103. */
	assert_int_equal(r->n_rows, 102);
	assert_int_equal(r->row_id[0], 2);
	assert_int_equal(r->why[0], PKL_CONN_CLOSED);
	for (unsigned i = 1; i < 102; i++) {
		assert_int_equal(r->row_id[i], i + 2);
		assert_int_equal(r->why[i], PKL_CONN_EVICTED);
	}
	assert_int_equal(pkl_conntrack_evicted(r->ct), 101);
	assert_int_equal(pkl_conntrack_alloc_failures(r->ct), 0);
	finish(r);
	/* The rest at the end, in order of first frame: #1 first. */
	assert_int_equal(r->n_rows, 102 + cap);
	assert_int_equal(r->row_id[102], 1);
	for (unsigned i = 1; i < cap; i++)
		assert_int_equal(r->row_id[102 + i], 103 + i);
	assert_int_equal(r->first.tcp.close, PKL_CLOSE_OPEN);   /* established, not closed */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lone_connection_reports_as_it_was),
		cmocka_unit_test(test_lone_connection_becomes_whole),
		cmocka_unit_test(test_handshake_after_a_lone_syn),
		cmocka_unit_test(test_icmp_error_about_a_lone_connection),
		cmocka_unit_test(test_icmp_error_keeps_the_idle_order),
		cmocka_unit_test(test_lone_syns_count_once_as_half_open),
		cmocka_unit_test(test_lone_syns_expire),
		cmocka_unit_test(test_full_table_evicts_in_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
