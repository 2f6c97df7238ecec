/* The exchange tracker on frames built here: echo requests pushed out of
 * the waiting room unanswered, duplicate and unmatched replies; ARP
 * retries, the one-second answer window, conflicts; an ICMP error
 * quoting a datagram older than the last few of its flow; what it finds
 * of each, the notes annotate makes of that (after the frame's own), and
 * the MAC and millisecond placeholders of the note sentences. */
#include "frames.h"

#include "../../src/annotate.h"
#include "../../src/conntrack.h"
#include "../../src/exchange.h"
#include "../../src/notes.h"

#define MAX_ROWS 16

struct run {
	struct pkl_conntrack *ct;
	unsigned n_rows;
	struct pkl_conn_record row[MAX_ROWS];
	uint64_t number;
	struct tf t;
	struct pkl_findings found;       /* of the latest frame */
	struct pkl_notes notes;          /* what is said of it */
};

static void
keep_row(void *ctx, const struct pkl_conn_record *c)
{
	struct run *r = ctx;

	assert_true(r->n_rows < MAX_ROWS);
	r->row[r->n_rows++] = *c;
}

static struct run *
start(void)
{
	static struct run r;
	const struct pkl_conntrack_opts opts = { .max_conns = 64, .idle_timeout = 300,
						 .exchange_timeout = 30, .msl = 30 };

	memset(&r, 0, sizeof r);
	r.ct = pkl_conntrack_new(&opts, keep_row, &r);
	assert_non_null(r.ct);
	return &r;
}

static void
finish(struct run *r)
{
	pkl_conntrack_finish(r->ct);
	pkl_conntrack_free(r->ct);
}

/* The next frame, at ms milliseconds, through decode, the tracker and
 * annotate: what the tracker found. */
static const struct pkl_findings *
feed(struct run *r, const uint8_t *bytes, size_t n, uint64_t ms)
{
	tf_load(&r->t, bytes, n);
	tf_fix_checksums(r->t.buf, r->t.n, DLT_EN10MB);
	r->t.frame = (struct pkl_frame){
		.number = ++r->number, .ts_sec = (int64_t)(ms / 1000),
		.ts_nsec = (uint32_t)(ms % 1000 * 1000000), .caplen = r->t.n, .len = r->t.n,
		.linktype = DLT_EN10MB, .bytes = r->t.buf,
	};
	memset(&r->t.pkt, 0, sizeof r->t.pkt);
	pkl_decode(&r->t.pkt, &r->t.frame);
	const struct pkl_annotate_opts aopts = { .explain_addresses = false };
	pkl_notes_reset(&r->notes);
	pkl_conntrack_frame(r->ct, &r->t.pkt, &r->notes.conn, &r->found);
	pkl_annotate(&r->t.pkt, &r->found, &aopts, &r->notes);
	return &r->found;
}

/* The latest frame's note with this code. */
static const struct pkl_note *
note(const struct run *r, enum pkl_note_code code)
{
	for (unsigned i = 0; i < r->notes.n; i++)
		if (r->notes.note[i].code == code)
			return &r->notes.note[i];
	return NULL;
}

static const struct pkl_conn_record *
row(const struct run *r, enum pkl_conn_kind kind, unsigned nth)
{
	for (unsigned i = 0; i < r->n_rows; i++)
		if (r->row[i].kind == kind && nth-- == 0)
			return &r->row[i];
	fail_msg("no record %u of kind %d", nth, (int)kind);
	return NULL;
}

/* ---------------------------------------------------------------- echo */

/* tf_icmp_echo as a request (A -> B) or a reply (B -> A) with this seq. */
static size_t
echo(uint8_t *b, bool reply, uint16_t seq)
{
	memcpy(b, tf_icmp_echo, sizeof tf_icmp_echo);
	if (reply) {
		memcpy(b + 26, (const uint8_t[]){ TF_IP_B, TF_IP_A }, 8);
		b[TF_ICMP_ECHO_ICMP] = 0;
	}
	tf_wr16(b + TF_ICMP_ECHO_ICMP + 6, seq);
	return sizeof tf_icmp_echo;
}

static void
test_echo_lost_from_waiting_room(void **state)
{
	(void)state;
	struct run *r = start();
	uint8_t b[TF_MAX];

	/* Six requests, a reply to the last: the oldest two were pushed out. */
	for (uint16_t seq = 1; seq <= 6; seq++)
		feed(r, b, echo(b, false, seq), seq * 1000u);
	const struct pkl_findings *f = feed(r, b, echo(b, true, 6), 6003);
	assert_int_equal(f->echo, PKL_ECHO_FOUND_ANSWER);
	assert_int_equal(f->echo_request_frame, 6);
	assert_int_equal(f->echo_rtt_us, 3000);
	/* A reply whose request was pushed out is unmatched. */
	f = feed(r, b, echo(b, true, 1), 6004);
	assert_int_equal(f->echo, PKL_ECHO_FOUND_UNMATCHED);
	assert_int_equal(note(r, PKL_NOTE_ICMP_ECHO_UNMATCHED)->arg[0], PKL_ECHO_PENDING);
	finish(r);

	const struct pkl_echo_record *e = &row(r, PKL_KIND_ECHO, 0)->echo;
	assert_int_equal(e->requests, 6);
	assert_int_equal(e->replies, 2);
	assert_true(e->answered);
	assert_int_equal(e->unmatched, 1);
	assert_int_equal(e->rtt_min_us, 3000);
	assert_int_equal(e->rtt_avg_us, 3000);
	assert_int_equal(e->rtt_max_us, 3000);
	assert_int_equal(e->lost, 5);
	assert_int_equal(e->lost_listed, 5);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(e->lost_requests[i].seq, i + 1);
		assert_int_equal(e->lost_requests[i].frame, i + 1);
	}
	assert_int_equal(e->icmp_id, 0x1234);
}

/* More requests pushed out unanswered than are kept, and some still
 * waiting: the list holds the kept and the waiting, and says how many. */
static void
test_echo_lost_beyond_kept(void **state)
{
	(void)state;
	struct run *r = start();
	uint8_t b[TF_MAX];

	for (uint16_t seq = 1; seq <= 10; seq++)
		feed(r, b, echo(b, false, seq), seq * 1000u);
	feed(r, b, echo(b, true, 10), 10003);
	finish(r);

	const struct pkl_echo_record *e = &row(r, PKL_KIND_ECHO, 0)->echo;
	assert_int_equal(e->lost, 9);
	assert_int_equal(e->lost_listed, 7);
	static const uint16_t seqs[] = { 1, 2, 3, 4, 7, 8, 9 };
	for (unsigned i = 0; i < e->lost_listed; i++)
		assert_int_equal(e->lost_requests[i].seq, seqs[i]);
}

static void
test_echo_duplicate_reply(void **state)
{
	(void)state;
	struct run *r = start();
	uint8_t b[TF_MAX];

	feed(r, b, echo(b, false, 1), 0);
	assert_int_equal(feed(r, b, echo(b, true, 1), 2)->echo, PKL_ECHO_FOUND_ANSWER);
	const struct pkl_findings *f = feed(r, b, echo(b, true, 1), 3);
	assert_int_equal(f->echo, PKL_ECHO_FOUND_DUPLICATE);
	assert_int_equal(f->echo_request_frame, 1);
	finish(r);
	const struct pkl_echo_record *e = &row(r, PKL_KIND_ECHO, 0)->echo;
	assert_int_equal(e->duplicates, 1);
	assert_true(e->answered);
	assert_int_equal(e->lost, 0);
	assert_int_equal(e->lost_listed, 0);
}

/* ----------------------------------------------------------------- ARP */

/* An ARP message: op, sender MAC and IP, target MAC and IP. */
static size_t
arp(uint8_t *b, uint16_t op, const uint8_t sha[6], const uint8_t spa[4],
    const uint8_t tha[6], const uint8_t tpa[4])
{
	memcpy(b, tf_arp_request, sizeof tf_arp_request);
	tf_wr16(b + TF_ARP_ARP + 6, op);
	memcpy(b + TF_ARP_ARP + 8, sha, 6);
	memcpy(b + TF_ARP_ARP + 14, spa, 4);
	memcpy(b + TF_ARP_ARP + 18, tha, 6);
	memcpy(b + TF_ARP_ARP + 24, tpa, 4);
	return sizeof tf_arp_request;
}

static const uint8_t mac_a[6] = { TF_MAC_A }, mac_b[6] = { TF_MAC_B }, mac_none[6];
static const uint8_t mac_x[6] = { 0x52, 0x54, 0x00, 0xee, 0xee, 0xee };
static const uint8_t ip_a[4] = { TF_IP_A }, ip_b[4] = { TF_IP_B };

static void
test_arp_retry_answer_and_window(void **state)
{
	(void)state;
	struct run *r = start();
	uint8_t b[TF_MAX];

	assert_int_equal(feed(r, b, arp(b, 1, mac_a, ip_a, mac_none, ip_b), 0)->arp,
			 PKL_ARP_FOUND_NONE);
	const struct pkl_findings *f = feed(r, b, arp(b, 1, mac_a, ip_a, mac_none, ip_b), 1000);
	assert_int_equal(f->arp, PKL_ARP_FOUND_RETRY);
	assert_int_equal(f->arp_requests, 2);
	assert_int_equal(f->arp_request_frame, 1);
	const struct pkl_note *n = note(r, PKL_NOTE_ARP_RETRY);
	assert_int_equal(n->arg[1], 0x0a4d0102);   /* the address asked for, from the frame */
	/* The reply answers the latest request. */
	f = feed(r, b, arp(b, 2, mac_b, ip_b, mac_a, ip_a), 1500);
	assert_int_equal(f->arp, PKL_ARP_FOUND_ANSWER);
	assert_int_equal(f->arp_request_frame, 2);
	assert_int_equal(f->arp_answer_us, 500000);
	/* A new request, answered too late: the reply is unsolicited. */
	feed(r, b, arp(b, 1, mac_a, ip_a, mac_none, ip_b), 5000);
	f = feed(r, b, arp(b, 2, mac_b, ip_b, mac_a, ip_a), 6001);
	assert_int_equal(f->arp, PKL_ARP_FOUND_UNSOLICITED);
	assert_int_equal(note(r, PKL_NOTE_ARP_UNSOLICITED)->arg[2], 0x525400654321ull);
	finish(r);

	const struct pkl_conn_record *c = row(r, PKL_KIND_ARP, 0);
	assert_int_equal(c->arp.kind, PKL_ARPX_REQUEST);
	assert_int_equal(c->arp.requests, 2);
	assert_true(c->arp.answered);
	assert_int_equal(c->arp.answer_frames[0], 2);
	assert_int_equal(c->arp.answer_frames[1], 3);
	assert_int_equal(c->arp.answer_us, 500000);
	c = row(r, PKL_KIND_ARP, 1);
	assert_int_equal(c->arp.kind, PKL_ARPX_REQUEST);
	assert_int_equal(c->arp.replies, 0);
	assert_false(c->arp.answered);
	assert_int_equal(c->first_frame, 4);
	c = row(r, PKL_KIND_ARP, 2);
	assert_int_equal(c->arp.kind, PKL_ARPX_UNSOLICITED);
	assert_int_equal(c->first_frame, 5);
	assert_memory_equal(c->arp.answer_mac[0], mac_b, 6);
	assert_memory_equal(c->arp.asker_mac, mac_a, 6);
}

static void
test_arp_conflict(void **state)
{
	(void)state;
	struct run *r = start();
	uint8_t b[TF_MAX];

	assert_false(feed(r, b, arp(b, 2, mac_b, ip_b, mac_a, ip_a), 0)->arp_conflict);
	const struct pkl_findings *f = feed(r, b, arp(b, 1, mac_x, ip_b, mac_none, ip_b), 10);
	assert_true(f->arp_conflict);
	assert_memory_equal(f->conflict_mac, mac_b, 6);
	assert_int_equal(f->conflict_frame, 1);
	/* Its note, after the request's own, with the frame's address and MAC. */
	assert_int_equal(r->notes.n, 3);
	assert_int_equal(r->notes.note[0].code, PKL_NOTE_ETH_BROADCAST);
	assert_int_equal(r->notes.note[1].code, PKL_NOTE_ARP_GRATUITOUS);
	const struct pkl_note *n = &r->notes.note[2];
	assert_int_equal(n->code, PKL_NOTE_ARP_CONFLICT);
	char text[320];
	pkl_note_format(n, text, sizeof text);
	assert_string_equal(text, "address conflict: 52:54:00:ee:ee:ee claims 10.77.1.2 now, which "
			    "52:54:00:65:43:21 held first (frame 1): two hosts configured with one "
			    "address, or the newcomer impersonating the holder (ARP spoofing)");
	assert_false(f->conflict_defended);
	/* The holder again: it defends its address against the latest other claim. */
	f = feed(r, b, arp(b, 2, mac_b, ip_b, mac_a, ip_a), 20);
	assert_true(f->arp_conflict);
	assert_true(f->conflict_defended);
	assert_memory_equal(f->conflict_mac, mac_x, 6);
	assert_int_equal(f->conflict_frame, 2);
	finish(r);

	const struct pkl_conn_record *c = row(r, PKL_KIND_ARP_BINDING, 0);
	const struct pkl_arp_binding_record *bd = &c->binding;
	assert_int_equal(bd->macs, 2);
	assert_int_equal(bd->claim[0].claims, 2);
	assert_int_equal(bd->claim[0].frames_listed, 2);
	assert_int_equal(bd->claim[0].frames[0], 1);
	assert_int_equal(bd->claim[0].frames[1], 3);
	assert_int_equal(bd->claim[1].claims, 1);
	assert_int_equal(bd->claim[1].frames_listed, 1);
	assert_int_equal(bd->claim[1].frames[0], 2);
	/* Numbered among the ARP records, after the exchange of frame 1. */
	assert_int_equal(c->id, 2);
}

/* ------------------------------------------------------------ ICMP errors */

static void
test_error_quoting_an_old_datagram(void **state)
{
	(void)state;
	struct run *r = start();
	uint8_t b[TF_MAX], err[TF_MAX];

	/* Five datagrams, IP ids 1..5: the error quotes the first, which the
	 * flow no longer remembers, then the last, which it does. */
	for (uint16_t id = 1; id <= 5; id++) {
		memcpy(b, tf_udp, sizeof tf_udp);
		tf_wr16(b + TF_UDP_IP + 4, id);
		feed(r, b, sizeof tf_udp, id);
	}
	memcpy(err, tf_icmp_port_unreach, sizeof tf_icmp_port_unreach);
	tf_wr16(err + TF_UNREACH_QUOTE + 4, 1);
	const struct pkl_findings *f = feed(r, err, sizeof tf_icmp_port_unreach, 6);
	assert_int_equal(f->quote, PKL_QUOTE_FOUND_UDP);
	assert_int_equal(f->quoted_id, 1);
	assert_int_equal(f->quoted_frame, 0);
	assert_non_null(note(r, PKL_NOTE_ICMP_QUOTES_UDP_FLOW));
	tf_wr16(err + TF_UNREACH_QUOTE + 4, 5);
	f = feed(r, err, sizeof tf_icmp_port_unreach, 7);
	assert_int_equal(f->quote, PKL_QUOTE_FOUND_UDP);
	assert_int_equal(f->quoted_frame, 5);
	assert_int_equal(note(r, PKL_NOTE_ICMP_QUOTES_UDP)->arg[1], 5);
	finish(r);

	const struct pkl_conn_record *c = row(r, PKL_KIND_UDP, 0);
	assert_int_equal(c->client.frames, 5);
	assert_int_equal(c->client.bytes, 25);
	assert_int_equal(c->icmp_error_count, 2);
	assert_int_equal(c->icmp_errors_listed, 2);
	assert_int_equal(c->icmp_error[0].frame, 6);
	assert_int_equal(c->icmp_error[0].quoted_frame, 0);
	assert_int_equal(c->icmp_error[1].quoted_frame, 5);
	assert_int_equal(c->icmp_error[1].type, 3);
	assert_int_equal(c->icmp_error[1].code, 3);
	/* The error is not a frame of the flow. */
	assert_int_equal(c->last_frame, 5);
}

static void
test_note_placeholders(void **state)
{
	(void)state;
	char text[320];
	const struct pkl_note n = { PKL_NOTE_ICMP_ECHO_ANSWER, 0, { 7, 10383, 0, 0 } };

	pkl_note_format(&n, text, sizeof text);
	assert_string_equal(text, "answers the echo request of frame 7: round trip 10.383 ms");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_lost_from_waiting_room),
		cmocka_unit_test(test_echo_lost_beyond_kept),
		cmocka_unit_test(test_echo_duplicate_reply),
		cmocka_unit_test(test_arp_retry_answer_and_window),
		cmocka_unit_test(test_arp_conflict),
		cmocka_unit_test(test_error_quoting_an_old_datagram),
		cmocka_unit_test(test_note_placeholders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
