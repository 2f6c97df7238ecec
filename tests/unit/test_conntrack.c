/* The TCP connection tracker on segments built here: the state machine
 * of both ends as a table over RFC 9293's diagram, what it finds of the
 * opening, the closing and resets, the frame numbers its findings and
 * their notes refer to, whole past 2^32, and the order annotate tells
 * the findings in. */
#include "frames.h"

#include "../../src/annotate.h"
#include "../../src/conntrack.h"
#include "../../src/notes.h"
#include "../../src/tcp_state.h"

#define CLIENT_IP 0x0a4d0101u    /* 10.77.1.1 */
#define SERVER_IP 0x0a4d0102u    /* 10.77.1.2 */
#define CLIENT_PORT 40000
#define SERVER_PORT 80
#define C_ISN 1000u
#define S_ISN 5000u

enum { C, S };   /* who sends */
enum { SYN = PKL_TCP_SYN, ACK = PKL_TCP_ACK, FIN = PKL_TCP_FIN, RST = PKL_TCP_RST };

#define MAX_ROWS 8

struct run {
	struct pkl_conntrack *ct;
	uint64_t number;                 /* of the latest frame */
	struct tf t;
	struct pkl_findings found;       /* of the latest frame */
	struct pkl_notes notes;          /* what is said of it, and its snapshot */
	unsigned n_rows;                 /* connections that left the table */
	enum pkl_conn_exit why[MAX_ROWS];
	uint64_t row_id[MAX_ROWS];
};

static void
keep_row(void *ctx, const struct pkl_conn_record *c)
{
	struct run *r = ctx;

	assert_true(r->n_rows < MAX_ROWS);
	r->row_id[r->n_rows] = c->id;
	r->why[r->n_rows++] = c->left;
}

static struct run *
start_with(const struct pkl_conntrack_opts *opts, uint64_t first_frame)
{
	static struct run r;

	memset(&r, 0, sizeof r);
	r.number = first_frame - 1;
	r.ct = pkl_conntrack_new(opts, keep_row, &r);
	assert_non_null(r.ct);
	return &r;
}

static struct run *
start(uint64_t first_frame)
{
	const struct pkl_conntrack_opts opts = { .max_conns = 64, .idle_timeout = 300,
						 .exchange_timeout = 30, .msl = 30, .time_acks = true };
	return start_with(&opts, first_frame);
}

static void
finish(struct run *r)
{
	pkl_conntrack_finish(r->ct);
	pkl_conntrack_free(r->ct);
}

/* The next frame: a segment of the connection from `from`, at ms
 * milliseconds, through decode, the tracker and annotate. */
static const struct pkl_notes *
seg(struct run *r, int from, uint16_t flags, uint32_t seq, uint32_t ack, uint16_t len, uint64_t ms)
{
	size_t n = from == C
		? tf_tcp_segment(r->t.buf, CLIENT_IP, SERVER_IP, CLIENT_PORT, SERVER_PORT, flags, seq, ack, len)
		: tf_tcp_segment(r->t.buf, SERVER_IP, CLIENT_IP, SERVER_PORT, CLIENT_PORT, flags, seq, ack, len);

	r->t.n = (uint32_t)n;
	r->t.frame = (struct pkl_frame){
		.number = ++r->number, .ts_sec = 1700000000 + (int64_t)(ms / 1000),
		.ts_nsec = (uint32_t)(ms % 1000 * 1000000), .caplen = r->t.n, .len = r->t.n,
		.linktype = DLT_EN10MB, .bytes = r->t.buf,
	};
	memset(&r->t.pkt, 0, sizeof r->t.pkt);
	pkl_decode(&r->t.pkt, &r->t.frame);
	assert_int_equal(r->t.pkt.n_events, 0);
	const struct pkl_annotate_opts aopts = { .explain_addresses = false };
	pkl_notes_reset(&r->notes);
	pkl_conntrack_frame(r->ct, &r->t.pkt, &r->notes.conn, &r->found);
	assert_true(r->notes.conn.valid);
	pkl_annotate(&r->t.pkt, &r->found, &aopts, &r->notes);
	return &r->notes;
}

static const struct pkl_note *
note(const struct pkl_notes *ns, enum pkl_note_code code)
{
	for (unsigned i = 0; i < ns->n; i++)
		if (ns->note[i].code == code)
			return &ns->note[i];
	fail_msg("no note %s", pkl_note_name(code));
	return NULL;
}

/* The three-way handshake, 1 ms apart from `ms`. */
static void
handshake(struct run *r, uint64_t ms)
{
	seg(r, C, SYN, C_ISN, 0, 0, ms);
	seg(r, S, SYN | ACK, S_ISN, C_ISN + 1, 0, ms + 1);
	seg(r, C, ACK, C_ISN + 1, S_ISN + 1, 0, ms + 2);
}

/* ---- the state machine ------------------------------------------------- */

/* States by their short names in RFC 9293's diagram. */
#define CLOSED PKL_TCPS_CLOSED
#define LISTEN PKL_TCPS_LISTEN
#define LISTEN_Q PKL_TCPS_LISTEN_UNKNOWN   /* a SYN unanswered: a listener or none */
#define SYN_SENT PKL_TCPS_SYN_SENT
#define SYN_RCVD PKL_TCPS_SYN_RECEIVED
#define ESTAB PKL_TCPS_ESTABLISHED
#define FIN_WAIT_1 PKL_TCPS_FIN_WAIT_1
#define FIN_WAIT_2 PKL_TCPS_FIN_WAIT_2
#define CLOSE_WAIT PKL_TCPS_CLOSE_WAIT
#define CLOSING PKL_TCPS_CLOSING
#define LAST_ACK PKL_TCPS_LAST_ACK
#define TIME_WAIT PKL_TCPS_TIME_WAIT

/* A segment and the states of client and server after it.  Sequence
 * numbers count from each end's ISN: c and s below. */
struct step {
	int from;
	uint16_t flags;
	uint32_t seq, ack;
	enum pkl_tcp_state client, server;
};

#define MAX_STEPS 8
struct scenario {
	const char *name;
	struct step step[MAX_STEPS];   /* up to the first with flags 0 */
};

#define c C_ISN
#define s S_ISN
/* The usual opening, and the connection open: the prefix of most rows. */
#define OPEN \
	{ C, SYN, c, 0, SYN_SENT, LISTEN_Q },              /* CLOSED -> SYN_SENT; LISTEN? */ \
	{ S, SYN | ACK, s, c + 1, SYN_SENT, SYN_RCVD },    /* LISTEN -> SYN_RECEIVED */ \
	{ C, ACK, c + 1, s + 1, ESTAB, ESTAB }             /* SYN_SENT, SYN_RECEIVED -> ESTABLISHED */
#define CLIENT_FIN { C, FIN | ACK, c + 1, s + 1, FIN_WAIT_1, ESTAB }
#define SERVER_ACKS_FIN { S, ACK, s + 1, c + 2, FIN_WAIT_2, CLOSE_WAIT }

/* Captured between the ends (the handshake's gaps are equal), the
 * tracker sees each end change state when it sends, or when it
 * receives the acknowledgment of its own SYN or FIN (conntrack.h): the
 * receipt of a SYN or FIN shows when the receiver acknowledges it. */
static const struct scenario scenarios[] = {
	{ "the client closes: FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT; CLOSE_WAIT -> LAST_ACK -> CLOSED", {
		OPEN, CLIENT_FIN, SERVER_ACKS_FIN,
		{ S, FIN | ACK, s + 1, c + 2, FIN_WAIT_2, LAST_ACK },
		{ C, ACK, c + 2, s + 2, TIME_WAIT, CLOSED } } },
	{ "the server closes", {
		OPEN,
		{ S, FIN | ACK, s + 1, c + 1, ESTAB, FIN_WAIT_1 },
		{ C, ACK, c + 1, s + 2, CLOSE_WAIT, FIN_WAIT_2 },
		{ C, FIN | ACK, c + 1, s + 2, LAST_ACK, FIN_WAIT_2 },
		{ S, ACK, s + 2, c + 2, CLOSED, TIME_WAIT } } },
	{ "the server acknowledges the FIN with its own (three segments): FIN_WAIT_1 -> TIME_WAIT", {
		OPEN, CLIENT_FIN,
		{ S, FIN | ACK, s + 1, c + 2, FIN_WAIT_1, LAST_ACK },
		{ C, ACK, c + 2, s + 2, TIME_WAIT, CLOSED } } },
	{ "simultaneous close: FIN_WAIT_1 -> CLOSING -> TIME_WAIT", {
		OPEN, CLIENT_FIN,
		{ S, FIN | ACK, s + 1, c + 1, FIN_WAIT_1, FIN_WAIT_1 },
		/* The server took the client's FIN in first: CLOSING. */
		{ C, ACK, c + 2, s + 2, CLOSING, CLOSING },
		{ S, ACK, s + 2, c + 2, TIME_WAIT, TIME_WAIT } } },
	{ "simultaneous open: SYN_SENT -> SYN_RECEIVED -> ESTABLISHED", {
		{ C, SYN, c, 0, SYN_SENT, LISTEN_Q },
		{ S, SYN, s, 0, SYN_SENT, SYN_SENT },
		{ C, SYN | ACK, c, s + 1, SYN_RCVD, SYN_SENT },
		/* Its SYN already acknowledged, the server is ESTABLISHED too. */
		{ S, SYN | ACK, s, c + 1, ESTAB, ESTAB },
		{ C, ACK, c + 1, s + 1, ESTAB, ESTAB } } },
	{ "RST answers a SYN: nothing listens", {
		{ C, SYN, c, 0, SYN_SENT, LISTEN_Q },
		{ S, RST | ACK, 0, c + 1, CLOSED, CLOSED } } },
	{ "RST from SYN_SENT: tells nothing of a listener", {
		{ C, SYN, c, 0, SYN_SENT, LISTEN_Q },
		{ C, RST, c + 1, 0, CLOSED, LISTEN_Q } } },
	{ "RST to SYN_RECEIVED: the server listens again", {
		{ C, SYN, c, 0, SYN_SENT, LISTEN_Q },
		{ S, SYN | ACK, s, c + 1, SYN_SENT, SYN_RCVD },
		{ C, RST, c + 1, 0, CLOSED, LISTEN } } },
	{ "RST from SYN_RECEIVED", {
		{ C, SYN, c, 0, SYN_SENT, LISTEN_Q },
		{ S, SYN | ACK, s, c + 1, SYN_SENT, SYN_RCVD },
		{ S, RST, s + 1, 0, CLOSED, CLOSED } } },
	{ "RST from ESTABLISHED, the client's", {
		OPEN, { C, RST | ACK, c + 1, s + 1, CLOSED, CLOSED } } },
	{ "RST from ESTABLISHED, the server's", {
		OPEN, { S, RST | ACK, s + 1, c + 1, CLOSED, CLOSED } } },
	{ "RST from FIN_WAIT_1", {
		OPEN, CLIENT_FIN, { C, RST | ACK, c + 2, s + 1, CLOSED, CLOSED } } },
	{ "RST from FIN_WAIT_2", {
		OPEN, CLIENT_FIN, SERVER_ACKS_FIN, { C, RST | ACK, c + 2, s + 1, CLOSED, CLOSED } } },
	{ "RST from CLOSE_WAIT", {
		OPEN, CLIENT_FIN, SERVER_ACKS_FIN, { S, RST | ACK, s + 1, c + 2, CLOSED, CLOSED } } },
	{ "RST from CLOSING", {
		OPEN, CLIENT_FIN,
		{ S, FIN | ACK, s + 1, c + 1, FIN_WAIT_1, FIN_WAIT_1 },
		/* The server took the client's FIN in first: CLOSING. */
		{ C, ACK, c + 2, s + 2, CLOSING, CLOSING },
		{ C, RST | ACK, c + 2, s + 2, CLOSED, CLOSED } } },
	{ "RST from LAST_ACK", {
		OPEN, CLIENT_FIN, SERVER_ACKS_FIN,
		{ S, FIN | ACK, s + 1, c + 2, FIN_WAIT_2, LAST_ACK },
		{ S, RST | ACK, s + 2, c + 2, CLOSED, CLOSED } } },
	{ "RST to TIME_WAIT: ignored (RFC 1337)", {
		OPEN, CLIENT_FIN,
		{ S, FIN | ACK, s + 1, c + 2, FIN_WAIT_1, LAST_ACK },
		{ C, ACK, c + 2, s + 2, TIME_WAIT, CLOSED },
		{ S, RST, s + 2, 0, TIME_WAIT, CLOSED } } },
	{ "RST from TIME_WAIT", {
		OPEN, CLIENT_FIN,
		{ S, FIN | ACK, s + 1, c + 2, FIN_WAIT_1, LAST_ACK },
		{ C, ACK, c + 2, s + 2, TIME_WAIT, CLOSED },
		{ C, RST, c + 2, 0, CLOSED, CLOSED } } },
};
#undef c
#undef s

static void
test_state_machine(void **state)
{
	(void)state;
	unsigned faults = 0;

	for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
		const struct scenario *sc = &scenarios[i];
		struct run *r = start(1);
		enum pkl_tcp_state was[2] = { CLOSED, LISTEN_Q };
		for (unsigned k = 0; k < MAX_STEPS && sc->step[k].flags; k++) {
			const struct step *st = &sc->step[k];
			const struct pkl_conn_snapshot *snap =
				&seg(r, st->from, st->flags, st->seq, st->ack, 0, 10 * k)->conn;
			if (snap->before[0] != (int)was[0] || snap->before[1] != (int)was[1] ||
			    snap->after[0] != (int)st->client || snap->after[1] != (int)st->server) {
				print_error("%s, segment %u (the %s's): client/server %s/%s -> %s/%s, "
					    "wanted %s/%s -> %s/%s\n", sc->name, k + 1,
					    st->from == C ? "client" : "server",
					    pkl_tcp_state_name(snap->before[0]), pkl_tcp_state_name(snap->before[1]),
					    pkl_tcp_state_name(snap->after[0]), pkl_tcp_state_name(snap->after[1]),
					    pkl_tcp_state_name(was[0]), pkl_tcp_state_name(was[1]),
					    pkl_tcp_state_name(st->client), pkl_tcp_state_name(st->server));
				faults++;
				break;
			}
			was[0] = st->client;
			was[1] = st->server;
		}
		finish(r);
	}
	assert_int_equal(faults, 0);
}

/* ---- the idle timeout ---------------------------------------------------- */

/* conntrack.h: an open connection expires once idle past the timeout.
 * Idle exactly the timeout (whole seconds of capture time), it is still
 * there; a second more, and it has left, expired, before the frame that
 * comes then (which opens a new one). */
static void
test_idle_timeout_boundary(void **state)
{
	(void)state;
	const struct pkl_conntrack_opts opts = { .max_conns = 64, .idle_timeout = 10,
						 .exchange_timeout = 30, .msl = 30 };
	struct run *r = start_with(&opts, 1);

	handshake(r, 0);                                             /* last seen at 0 s */
	assert_int_equal(seg(r, C, ACK, C_ISN + 1, S_ISN + 1, 10, 10000)->conn.id, 1);
	assert_int_equal(r->n_rows, 0);                              /* idle 10 s: kept */
	const struct pkl_notes *ns = seg(r, C, ACK, C_ISN + 11, S_ISN + 1, 10, 21000);
	assert_int_equal(r->n_rows, 1);                              /* idle 11 s: gone */
	assert_int_equal(r->why[0], PKL_CONN_EXPIRED);
	assert_int_equal(r->row_id[0], 1);
	assert_int_equal(ns->conn.id, 2);
	finish(r);
}

/* ---- what it finds ---------------------------------------------------- */

/* The opening, a SYN sent again, and the four steps of the closing, with
 * the handshake's times and TIME_WAIT's length. */
static void
test_findings_of_opening_and_closing(void **state)
{
	(void)state;
	struct run *r = start(1);

	seg(r, C, SYN, C_ISN, 0, 0, 0);
	assert_int_equal(r->found.opening, PKL_OPENING_HANDSHAKE_1);
	seg(r, C, SYN, C_ISN, 0, 0, 1000);
	assert_int_equal(r->found.opening, PKL_OPENING_SYN_RETRY);
	assert_int_equal(r->found.syn_attempt, 2);
	seg(r, S, SYN | ACK, S_ISN, C_ISN + 1, 0, 1003);
	assert_int_equal(r->found.opening, PKL_OPENING_HANDSHAKE_2);
	seg(r, C, ACK, C_ISN + 1, S_ISN + 1, 0, 1010);
	assert_int_equal(r->found.opening, PKL_OPENING_HANDSHAKE_3);
	assert_int_equal(r->found.handshake_us[0], 1010000);   /* from the first SYN */
	assert_int_equal(r->found.handshake_us[1], 1003000);
	assert_int_equal(r->found.handshake_us[2], 7000);
	seg(r, C, ACK, C_ISN + 1, S_ISN + 1, 10, 1020);
	assert_int_equal(r->found.opening, PKL_OPENING_NONE);
	assert_int_equal(r->found.closing, PKL_CLOSING_NONE);

	seg(r, C, FIN | ACK, C_ISN + 11, S_ISN + 1, 0, 2000);
	assert_int_equal(r->found.closing, PKL_CLOSING_ACTIVE);
	seg(r, S, ACK, S_ISN + 1, C_ISN + 12, 0, 2001);
	assert_int_equal(r->found.closing, PKL_CLOSING_ACK);
	seg(r, S, FIN | ACK, S_ISN + 1, C_ISN + 12, 0, 2002);
	assert_int_equal(r->found.closing, PKL_CLOSING_PASSIVE);
	const struct pkl_notes *ns = seg(r, C, ACK, C_ISN + 12, S_ISN + 2, 0, 2003);
	assert_int_equal(r->found.closing, PKL_CLOSING_LAST);
	assert_int_equal(r->found.time_wait_s, 60);            /* 2 * MSL */
	assert_int_equal(ns->conn.step.n, 4);
	finish(r);
}

/* The server acknowledges the FIN with its own, then the FINs cross in
 * a second connection. */
static void
test_findings_of_short_and_simultaneous_closes(void **state)
{
	(void)state;
	struct run *r = start(1);

	handshake(r, 0);
	seg(r, C, FIN | ACK, C_ISN + 1, S_ISN + 1, 0, 10);
	seg(r, S, FIN | ACK, S_ISN + 1, C_ISN + 2, 0, 11);
	assert_int_equal(r->found.closing, PKL_CLOSING_FIN_ACK);
	seg(r, C, ACK, C_ISN + 2, S_ISN + 2, 0, 12);
	assert_int_equal(r->found.closing, PKL_CLOSING_LAST);
	finish(r);

	r = start(1);
	handshake(r, 0);
	seg(r, C, FIN | ACK, C_ISN + 1, S_ISN + 1, 0, 10);
	seg(r, S, FIN | ACK, S_ISN + 1, C_ISN + 1, 0, 11);
	assert_int_equal(r->found.closing, PKL_CLOSING_SIMULTANEOUS);
	finish(r);
}

static void
test_findings_of_resets(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		bool established;              /* the handshake first */
		int from;
		uint16_t flags;
		enum pkl_reset reset;
	} cases[] = {
		{ "a SYN refused", false, S, RST | ACK, PKL_RESET_CLOSED_PORT },
		{ "a live connection aborted", true, C, RST | ACK, PKL_RESET_ABORT },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct run *r = start(1);
		if (cases[i].established)
			handshake(r, 0);
		else
			seg(r, C, SYN, C_ISN, 0, 0, 0);
		int from = cases[i].from;
		seg(r, from, cases[i].flags, from == C ? C_ISN + 1 : 0,
		    from == C ? S_ISN + 1 : C_ISN + 1, 0, 10);
		if (r->found.reset != cases[i].reset)
			fail_msg("%s: reset %d, wanted %d", cases[i].name, r->found.reset,
				 cases[i].reset);
		finish(r);
	}

	/* The client resets the SYN+ACK (a SYN scan's probe), then the
	 * server answers the dead connection with another RST. */
	struct run *r = start(1);
	seg(r, C, SYN, C_ISN, 0, 0, 0);
	seg(r, S, SYN | ACK, S_ISN, C_ISN + 1, 0, 1);
	seg(r, C, RST, C_ISN + 1, 0, 0, 2);
	assert_int_equal(r->found.reset, PKL_RESET_HALF_OPEN);
	seg(r, C, RST, C_ISN + 1, 0, 0, 3);
	assert_int_equal(r->found.reset, PKL_RESET_AFTER_CLOSE);
	finish(r);
}

/* Data seen first: the server is taken to be the end on the well-known
 * port.  Once closed, a new SYN on the ports is a new connection. */
static void
test_findings_of_roles_and_reuse(void **state)
{
	(void)state;
	struct run *r = start(1);

	seg(r, S, ACK, S_ISN + 1, C_ISN + 1, 10, 0);
	assert_int_equal(r->found.roles, PKL_ROLES_WELL_KNOWN_PORT);
	assert_int_equal(r->found.server_port, SERVER_PORT);
	assert_int_equal(r->found.client_port, CLIENT_PORT);
	seg(r, C, ACK, C_ISN + 1, S_ISN + 11, 0, 1);
	assert_int_equal(r->found.roles, PKL_ROLES_SEEN);
	seg(r, C, RST | ACK, C_ISN + 1, S_ISN + 11, 0, 2);
	assert_false(r->found.reused);
	assert_int_equal(seg(r, C, SYN, C_ISN + 1000, 0, 0, 3)->conn.id, 2);
	assert_true(r->found.reused);
	assert_int_equal(r->found.reused_id, 1);
	finish(r);
}

/* ---- frame numbers past 2^32 -------------------------------------------- */

#define BIG (UINT64_C(1) << 32)

static void
test_frame_numbers_past_2_32(void **state)
{
	(void)state;
	struct run *r = start(BIG + 1);
	const struct pkl_notes *ns;

	handshake(r, 0);
	seg(r, C, ACK, C_ISN + 1, S_ISN + 1, 100, 10);            /* BIG + 4 */
	/* Resent a second later: a retransmission of frame BIG + 4. */
	ns = seg(r, C, ACK, C_ISN + 1, S_ISN + 1, 100, 1010);      /* BIG + 5 */
	assert_true(ns->conn.analysis.flags & PKL_TA_RETRANSMISSION);
	assert_int_equal(ns->conn.analysis.rto_frame, BIG + 4);
	assert_int_equal(note(ns, PKL_NOTE_TV_RETRANSMISSION)->arg[1], BIG + 4);
	/* Acknowledged: the round trip is timed against the first copy. */
	ns = seg(r, S, ACK, S_ISN + 1, C_ISN + 101, 0, 1020);      /* BIG + 6 */
	assert_int_equal(ns->conn.analysis.acked_frame, BIG + 4);
	assert_int_equal(note(ns, PKL_NOTE_TA_ACK_RTT)->arg[1], BIG + 4);
	/* A gap, then duplicate ACKs of frame BIG + 6. */
	seg(r, C, ACK, C_ISN + 201, S_ISN + 1, 100, 1030);         /* BIG + 7: 101..200 lost */
	ns = seg(r, S, ACK, S_ISN + 1, C_ISN + 101, 0, 1031);      /* BIG + 8 */
	assert_int_equal(ns->conn.analysis.dup_ack_frame, BIG + 6);
	assert_int_equal(note(ns, PKL_NOTE_TA_DUPLICATE_ACK)->arg[2], BIG + 6);
	finish(r);
}

/* A small write, its ACK, then writes Nagle held back: the finding and
 * its note name the ACK's frame. */
static void
test_nagle_names_the_ack_frame_past_2_32(void **state)
{
	(void)state;
	struct run *r = start(3 * BIG);
	const struct pkl_notes *ns;

	handshake(r, 0);
	seg(r, C, ACK, C_ISN + 1, S_ISN + 1, 10, 10);             /* 3 BIG + 3 */
	seg(r, S, ACK, S_ISN + 1, C_ISN + 11, 0, 20);             /* 3 BIG + 4 */
	ns = seg(r, C, ACK, C_ISN + 11, S_ISN + 1, 300, 20);       /* 3 BIG + 5 */
	assert_int_equal(r->found.boundary, PKL_BOUNDARY_COALESCED);
	assert_int_equal(r->found.segment_bytes, 300);
	assert_int_equal(r->found.segment_ack_frame, 3 * BIG + 4);
	assert_int_equal(note(ns, PKL_NOTE_CONN_NAGLE)->arg[2], 3 * BIG + 4);
	finish(r);
}

/* ---- the notes ------------------------------------------------------------ */

/* The ACK that completes the handshake carries data and the first FIN:
 * the segment's own notes, then the connection's states, its steps in
 * the order they happen, and the round trip of the SYN+ACK. */
static void
test_notes_in_the_order_the_views_show(void **state)
{
	(void)state;
	static const enum pkl_note_code want[] = {
		PKL_NOTE_TCP_DATA, PKL_NOTE_TCP_FIN, PKL_NOTE_TCP_PUSH,
		PKL_NOTE_CONN_STATES, PKL_NOTE_CONN_HANDSHAKE_3, PKL_NOTE_CONN_CAPTURE_IN_MIDDLE,
		PKL_NOTE_CONN_TEARDOWN_ACTIVE, PKL_NOTE_TA_ACK_RTT,
	};
	struct run *r = start(1);

	seg(r, C, SYN, C_ISN, 0, 0, 0);
	seg(r, S, SYN | ACK, S_ISN, C_ISN + 1, 0, 1);
	const struct pkl_notes *ns = seg(r, C, ACK | FIN | PKL_TCP_PSH, C_ISN + 1, S_ISN + 1, 10, 2);
	for (unsigned i = 0; i < ns->n && i < sizeof want / sizeof want[0]; i++)
		if (ns->note[i].code != want[i])
			fail_msg("note %u is %s, wanted %s", i, pkl_note_name(ns->note[i].code),
				 pkl_note_name(want[i]));
	assert_int_equal(ns->n, sizeof want / sizeof want[0]);
	finish(r);
}

/* A lone segment with flags no stack sends opens a conversation of its
 * own, named as the scan it belongs to, with no state made up for it. */
static void
test_impossible_flags_are_scans(void **state)
{
	(void)state;
	static const struct { uint16_t flags; enum pkl_scan scan; enum pkl_note_code note; } probe[] = {
		{ 0, PKL_SCAN_NULL, PKL_NOTE_CONN_SCAN_NULL },
		{ FIN, PKL_SCAN_FIN, PKL_NOTE_CONN_SCAN_FIN },
		{ FIN | PKL_TCP_PSH | PKL_TCP_URG, PKL_SCAN_XMAS, PKL_NOTE_CONN_SCAN_XMAS },
		/* SYN+FIN, and all flags, also raise a decode event, which seg()
		 * does not take. */
		{ SYN | RST, PKL_SCAN_SYN_RST, PKL_NOTE_CONN_SCAN_SYN_RST },
		{ ACK, PKL_SCAN_NONE, PKL_NOTE_COUNT },
	};
	for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
		struct run *r = start(1);
		const struct pkl_notes *ns = seg(r, C, probe[i].flags, C_ISN, 0, 0, 0);
		assert_int_equal(r->found.scan, probe[i].scan);
		if (probe[i].scan != PKL_SCAN_NONE) {
			assert_non_null(note(ns, probe[i].note));
			assert_int_equal(ns->conn.after[PKL_CLIENT], PKL_TCPS_CLOSED);
			assert_int_equal(ns->conn.after[PKL_SERVER], PKL_TCPS_LISTEN_UNKNOWN);
		}
		finish(r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_machine),
		cmocka_unit_test(test_idle_timeout_boundary),
		cmocka_unit_test(test_findings_of_opening_and_closing),
		cmocka_unit_test(test_findings_of_short_and_simultaneous_closes),
		cmocka_unit_test(test_findings_of_resets),
		cmocka_unit_test(test_findings_of_roles_and_reuse),
		cmocka_unit_test(test_frame_numbers_past_2_32),
		cmocka_unit_test(test_nagle_names_the_ack_frame_past_2_32),
		cmocka_unit_test(test_notes_in_the_order_the_views_show),
		cmocka_unit_test(test_impossible_flags_are_scans),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
