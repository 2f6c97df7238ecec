/* pktlens's TCP end without a wire: each test plays the peer segment by
 * segment, with a clock it sets, and reads what the endpoint sent, the
 * states it went through and the data it delivered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/craft/tcp_endpoint.h"
#include "../../src/packet.h"

#define MS 1000000ull
#define SEC 1000000000ull
#define ISN 1000u
#define PEER_ISN 5000u
#define MAX_SENT 256

struct record {
	struct pkl_tcp_seg sent[MAX_SENT];
	size_t n_sent;
	enum pkl_tcp_state states[32];   /* the states entered, in order */
	size_t n_states;
	uint8_t delivered[4096];
	size_t n_delivered;
};

static void
on_send(void *ctx, const struct pkl_tcp_seg *seg)
{
	struct record *r = ctx;

	assert_true(r->n_sent < MAX_SENT);
	r->sent[r->n_sent++] = *seg;
}

static void
on_state(void *ctx, enum pkl_tcp_state from, enum pkl_tcp_state to)
{
	struct record *r = ctx;

	(void)from;
	r->states[r->n_states++] = to;
}

static void
on_deliver(void *ctx, const uint8_t *data, size_t len)
{
	struct record *r = ctx;

	memcpy(r->delivered + r->n_delivered, data, len);
	r->n_delivered += len;
}

static struct record rec;
static struct pkl_tcp_endpoint ep;

static void
start(uint64_t min_rto_ns)
{
	const struct pkl_tcp_config cfg = { .isn = ISN, .ts_offset = 7, .mss = 1460, .wscale = 7,
					    .rcv_window = 65535, .syn_retries = 3,
					    .msl_ns = 30 * SEC, .min_rto_ns = min_rto_ns };
	const struct pkl_tcp_hooks hooks = { on_send, on_state, on_deliver, &rec };

	memset(&rec, 0, sizeof rec);
	pkl_tcp_endpoint_init(&ep, &cfg, &hooks);
}

static const struct pkl_tcp_seg *
last_sent(void)
{
	assert_true(rec.n_sent > 0);
	return &rec.sent[rec.n_sent - 1];
}

static enum pkl_tcp_state
last_state(void)
{
	assert_true(rec.n_states > 0);
	return rec.states[rec.n_states - 1];
}

/* A segment of the peer's: seq is its offset from the peer's ISN + 1. */
static struct pkl_tcp_seg
peer(uint32_t rel_seq, uint32_t rel_ack, uint16_t flags)
{
	return (struct pkl_tcp_seg){ .seq = PEER_ISN + 1 + rel_seq, .ack = ISN + 1 + rel_ack,
				     .flags = flags, .window = 512, .has_ts = true,
				     .ts_val = 900 + rel_seq, .ts_ecr = 0 };
}

/* The handshake, with the peer's SYN+ACK rtt after the SYN (window
 * 512 << 7 = 64 KiB, MSS 1000, timestamps). */
static void
establish(uint64_t rtt)
{
	pkl_tcp_endpoint_connect(&ep, 0);
	struct pkl_tcp_seg sa = { .seq = PEER_ISN, .ack = ISN + 1,
				  .flags = PKL_TCP_SYN | PKL_TCP_ACK, .window = 65535,
				  .has_mss = true, .mss = 1000, .has_wscale = true, .wscale = 7,
				  .sack_perm = true, .has_ts = true, .ts_val = 900 };
	pkl_tcp_endpoint_receive(&ep, &sa, rtt);
	assert_int_equal(ep.state, PKL_TCPS_ESTABLISHED);
}

static void
test_handshake(void **state)
{
	(void)state;
	start(SEC);
	pkl_tcp_endpoint_connect(&ep, 0);
	const struct pkl_tcp_seg *syn = last_sent();
	assert_int_equal(syn->flags, PKL_TCP_SYN);
	assert_int_equal(syn->seq, ISN);
	assert_true(syn->has_mss && syn->sack_perm && syn->has_ts && syn->has_wscale);
	assert_int_equal(syn->mss, 1460);
	assert_int_equal(syn->wscale, 7);
	assert_int_equal(syn->ts_val, 7);      /* the clock at 0 ms plus the offset */
	assert_int_equal(ep.state, PKL_TCPS_SYN_SENT);

	struct pkl_tcp_seg sa = { .seq = PEER_ISN, .ack = ISN + 1,
				  .flags = PKL_TCP_SYN | PKL_TCP_ACK, .window = 65535,
				  .has_mss = true, .mss = 1000, .has_wscale = true, .wscale = 7,
				  .has_ts = true, .ts_val = 900 };
	pkl_tcp_endpoint_receive(&ep, &sa, 20 * MS);
	const struct pkl_tcp_seg *ack = last_sent();
	assert_int_equal(ack->flags, PKL_TCP_ACK);
	assert_int_equal(ack->seq, ISN + 1);
	assert_int_equal(ack->ack, PEER_ISN + 1);
	assert_int_equal(ack->window, 65535 >> 7);   /* scaled now */
	assert_true(ack->has_ts);
	assert_int_equal(ack->ts_ecr, 900);
	assert_int_equal(ack->ts_val, 27);
	assert_int_equal(rec.n_states, 2);
	assert_int_equal(rec.states[0], PKL_TCPS_SYN_SENT);
	assert_int_equal(rec.states[1], PKL_TCPS_ESTABLISHED);
	assert_int_equal(pkl_tcp_endpoint_smss(&ep), 1000 - 12);
	assert_int_equal(pkl_tcp_endpoint_deadline(&ep), UINT64_MAX);   /* nothing in flight */
}

static void
test_refused(void **state)
{
	(void)state;
	start(SEC);
	pkl_tcp_endpoint_connect(&ep, 0);
	/* A RST whose ACK is not ours is not believed (RFC 9293 3.10.7.3). */
	struct pkl_tcp_seg rst = { .seq = 0, .ack = ISN + 5, .flags = PKL_TCP_RST | PKL_TCP_ACK };
	pkl_tcp_endpoint_receive(&ep, &rst, MS);
	assert_int_equal(ep.state, PKL_TCPS_SYN_SENT);
	rst.ack = ISN + 1;
	pkl_tcp_endpoint_receive(&ep, &rst, MS);
	assert_int_equal(ep.state, PKL_TCPS_CLOSED);
	assert_int_equal(ep.outcome, PKL_TCP_REFUSED);
	assert_string_equal(pkl_tcp_outcome_name(ep.outcome), "refused");
	assert_int_equal(rec.n_sent, 1);                  /* the SYN only */
	assert_int_equal(pkl_tcp_endpoint_deadline(&ep), UINT64_MAX);
}

static void
test_syn_backoff_and_timeout(void **state)
{
	(void)state;
	start(SEC);
	pkl_tcp_endpoint_connect(&ep, 0);
	/* SYNs at 0, 1, 3 and 7 s (1, 2, 4 s apart), then given up at 15. */
	const uint64_t due[] = { 1 * SEC, 3 * SEC, 7 * SEC };
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(pkl_tcp_endpoint_deadline(&ep), due[i]);
		pkl_tcp_endpoint_tick(&ep, due[i] - 1);
		assert_int_equal(rec.n_sent, i + 1);      /* not before it is due */
		pkl_tcp_endpoint_tick(&ep, due[i]);
		assert_int_equal(rec.n_sent, i + 2);
		assert_int_equal(last_sent()->flags, PKL_TCP_SYN);
		assert_int_equal(last_sent()->seq, ISN);
	}
	assert_int_equal(ep.retransmissions, 3);
	assert_int_equal(pkl_tcp_endpoint_deadline(&ep), 15 * SEC);
	pkl_tcp_endpoint_tick(&ep, 15 * SEC);
	assert_int_equal(ep.state, PKL_TCPS_CLOSED);
	assert_int_equal(ep.outcome, PKL_TCP_TIMED_OUT);
	assert_int_equal(rec.n_sent, 4);
}

static uint8_t big[8000];

static void
test_segmentation_by_mss_and_window(void **state)
{
	(void)state;
	start(SEC);
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)i;
	establish(10 * MS);
	/* The peer's window: 5 << 7 = 640 bytes, below its MSS. */
	struct pkl_tcp_seg w = peer(0, 0, PKL_TCP_ACK);
	w.window = 5;
	pkl_tcp_endpoint_receive(&ep, &w, 11 * MS);
	size_t before = rec.n_sent;
	pkl_tcp_endpoint_write(&ep, big, 3000, 12 * MS);
	assert_int_equal(rec.n_sent, before + 1);          /* one segment: the window's 640 */
	assert_int_equal(last_sent()->len, 640);
	assert_int_equal(last_sent()->seq, ISN + 1);
	/* Acknowledged with a large window: the rest in MSS-sized pieces
	 * (the MSS less the timestamp option), the last with PSH. */
	struct pkl_tcp_seg a = peer(0, 640, PKL_TCP_ACK);
	pkl_tcp_endpoint_receive(&ep, &a, 20 * MS);
	assert_int_equal(rec.n_sent, before + 4);
	assert_int_equal(rec.sent[before + 1].len, 988);
	assert_int_equal(rec.sent[before + 2].len, 988);
	assert_int_equal(rec.sent[before + 3].len, 3000 - 640 - 2 * 988);
	assert_int_equal(rec.sent[before + 1].seq, ISN + 1 + 640);
	assert_true(rec.sent[before + 3].flags & PKL_TCP_PSH);
	assert_false(rec.sent[before + 1].flags & PKL_TCP_PSH);
	assert_memory_equal(rec.sent[before + 2].data, big + 640 + 988, 988);
	assert_false(pkl_tcp_endpoint_all_acked(&ep));
	a = peer(0, 3000, PKL_TCP_ACK);
	pkl_tcp_endpoint_receive(&ep, &a, 30 * MS);
	assert_true(pkl_tcp_endpoint_all_acked(&ep));
	assert_int_equal(ep.bytes_acked, 3000);
	assert_int_equal(pkl_tcp_endpoint_deadline(&ep), UINT64_MAX);
}

static void
test_retransmission_on_rto(void **state)
{
	(void)state;
	/* A floor of 200 ms (Linux's) so the measured RTT shows: 100 ms
	 * measured at the handshake gives SRTT 100, RTTVAR 50, RTO 300 ms. */
	start(200 * MS);
	establish(100 * MS);
	assert_int_equal(ep.rto_ns, 300 * MS);
	pkl_tcp_endpoint_write(&ep, big, 500, SEC);
	size_t first = rec.n_sent;
	assert_int_equal(pkl_tcp_endpoint_deadline(&ep), SEC + 300 * MS);
	pkl_tcp_endpoint_tick(&ep, SEC + 300 * MS);
	assert_int_equal(rec.n_sent, first + 1);
	assert_int_equal(last_sent()->seq, ISN + 1);   /* the same bytes again */
	assert_int_equal(last_sent()->len, 500);
	assert_int_equal(ep.retransmissions, 1);
	/* Backed off: twice the RTO. */
	assert_int_equal(pkl_tcp_endpoint_deadline(&ep), SEC + 900 * MS);
	pkl_tcp_endpoint_tick(&ep, SEC + 900 * MS);
	assert_int_equal(ep.retransmissions, 2);
	assert_int_equal(pkl_tcp_endpoint_deadline(&ep), SEC + 2100 * MS);
	/* The ACK of a retransmitted segment gives no sample (Karn): the
	 * backed-off RTO stays until a fresh segment is timed. */
	struct pkl_tcp_seg a = peer(0, 500, PKL_TCP_ACK);
	pkl_tcp_endpoint_receive(&ep, &a, 2 * SEC);
	assert_int_equal(ep.rto_ns, 1200 * MS);
	assert_int_equal(pkl_tcp_endpoint_deadline(&ep), UINT64_MAX);
	/* The same ACK again and again: the fast retransmit needs data in
	 * flight, and there is none. */
	for (int i = 0; i < 3; i++)
		pkl_tcp_endpoint_receive(&ep, &a, 2 * SEC);
	assert_int_equal(ep.retransmissions, 2);
}

static void
test_fast_retransmit(void **state)
{
	(void)state;
	start(SEC);
	establish(10 * MS);
	/* The window the peer advertises once scaled: a window update, not
	 * a duplicate ACK. */
	struct pkl_tcp_seg d = peer(0, 0, PKL_TCP_ACK);
	pkl_tcp_endpoint_receive(&ep, &d, 15 * MS);
	pkl_tcp_endpoint_write(&ep, big, 4 * 988, 20 * MS);
	size_t before = rec.n_sent;
	/* The first segment is lost: three duplicate ACKs of byte 0. */
	for (int i = 0; i < 3; i++)
		pkl_tcp_endpoint_receive(&ep, &d, 30 * MS);
	assert_int_equal(rec.n_sent, before + 1);
	assert_int_equal(last_sent()->seq, ISN + 1);
	assert_int_equal(last_sent()->len, 988);
	assert_int_equal(ep.retransmissions, 1);
	/* A partial ACK (the second segment lost too): that one at once. */
	struct pkl_tcp_seg partial = peer(0, 988, PKL_TCP_ACK);
	pkl_tcp_endpoint_receive(&ep, &partial, 40 * MS);
	assert_int_equal(last_sent()->seq, ISN + 1 + 988);
	assert_int_equal(ep.retransmissions, 2);
	struct pkl_tcp_seg all = peer(0, 4 * 988, PKL_TCP_ACK);
	pkl_tcp_endpoint_receive(&ep, &all, 50 * MS);
	assert_true(pkl_tcp_endpoint_all_acked(&ep));
	assert_false(ep.in_recovery);
}

static void
test_in_order_ack_and_out_of_order_dropped(void **state)
{
	(void)state;
	start(SEC);
	establish(10 * MS);
	struct pkl_tcp_seg s = peer(0, 0, PKL_TCP_ACK | PKL_TCP_PSH);
	s.data = (const uint8_t *)"hello ";
	s.len = 6;
	pkl_tcp_endpoint_receive(&ep, &s, 20 * MS);
	assert_int_equal(last_sent()->ack, PEER_ISN + 1 + 6);
	assert_int_equal(last_sent()->ts_ecr, 900);   /* the TSval of that segment */
	/* Bytes 12..17 arrive before 6..11: not delivered, the ACK repeats 6. */
	struct pkl_tcp_seg late = peer(12, 0, PKL_TCP_ACK | PKL_TCP_PSH);
	late.data = (const uint8_t *)"again!";
	late.len = 6;
	pkl_tcp_endpoint_receive(&ep, &late, 30 * MS);
	assert_int_equal(last_sent()->ack, PEER_ISN + 1 + 6);
	assert_int_equal(rec.n_delivered, 6);
	assert_int_equal(last_sent()->ts_ecr, 900);   /* not from beyond the hole */
	struct pkl_tcp_seg mid = peer(6, 0, PKL_TCP_ACK);
	mid.data = (const uint8_t *)"world ";
	mid.len = 6;
	pkl_tcp_endpoint_receive(&ep, &mid, 40 * MS);
	assert_int_equal(last_sent()->ack, PEER_ISN + 1 + 12);
	assert_int_equal(last_sent()->ts_ecr, 906);
	/* The segment beyond the hole, sent again, and an old one again. */
	pkl_tcp_endpoint_receive(&ep, &late, 50 * MS);
	pkl_tcp_endpoint_receive(&ep, &s, 60 * MS);
	assert_int_equal(last_sent()->ack, PEER_ISN + 1 + 18);
	assert_int_equal(rec.n_delivered, 18);
	assert_memory_equal(rec.delivered, "hello world again!", 18);
	assert_int_equal(ep.bytes_received, 18);
}

/* The peer acknowledges our FIN, sends its own, which we acknowledge. */
static void
test_close_first(void **state)
{
	(void)state;
	start(SEC);
	establish(10 * MS);
	pkl_tcp_endpoint_close(&ep, SEC);
	assert_int_equal(last_state(), PKL_TCPS_FIN_WAIT_1);
	assert_int_equal(last_sent()->flags, PKL_TCP_FIN | PKL_TCP_ACK);
	assert_int_equal(last_sent()->seq, ISN + 1);
	pkl_tcp_endpoint_receive(&ep, &(struct pkl_tcp_seg){ 0 }, SEC);   /* garbage: ignored */
	struct pkl_tcp_seg a = peer(0, 1, PKL_TCP_ACK);
	pkl_tcp_endpoint_receive(&ep, &a, SEC + 10 * MS);
	assert_int_equal(last_state(), PKL_TCPS_FIN_WAIT_2);
	struct pkl_tcp_seg fin = peer(0, 1, PKL_TCP_FIN | PKL_TCP_ACK);
	size_t before = rec.n_sent;
	pkl_tcp_endpoint_receive(&ep, &fin, 2 * SEC);
	assert_int_equal(last_state(), PKL_TCPS_TIME_WAIT);
	assert_int_equal(rec.n_sent, before + 1);
	assert_int_equal(last_sent()->flags, PKL_TCP_ACK);
	assert_int_equal(last_sent()->ack, PEER_ISN + 2);
	assert_int_equal(pkl_tcp_endpoint_deadline(&ep), 62 * SEC);   /* 2*MSL */
	/* The ACK was lost: the peer's FIN again is acknowledged again,
	 * and TIME_WAIT starts over. */
	pkl_tcp_endpoint_receive(&ep, &fin, 3 * SEC);
	assert_int_equal(rec.n_sent, before + 2);
	assert_int_equal(last_sent()->ack, PEER_ISN + 2);
	assert_int_equal(ep.fins_reacked, 1);
	assert_int_equal(pkl_tcp_endpoint_deadline(&ep), 63 * SEC);
	assert_int_equal(ep.state, PKL_TCPS_TIME_WAIT);
	pkl_tcp_endpoint_tick(&ep, 63 * SEC - 1);
	assert_int_equal(ep.state, PKL_TCPS_TIME_WAIT);
	pkl_tcp_endpoint_tick(&ep, 63 * SEC);
	assert_int_equal(ep.state, PKL_TCPS_CLOSED);
	assert_int_equal(ep.outcome, PKL_TCP_CLOSED_NORMALLY);
	const enum pkl_tcp_state path[] = { PKL_TCPS_SYN_SENT, PKL_TCPS_ESTABLISHED,
					    PKL_TCPS_FIN_WAIT_1, PKL_TCPS_FIN_WAIT_2,
					    PKL_TCPS_TIME_WAIT, PKL_TCPS_CLOSED };
	assert_int_equal(rec.n_states, 6);
	assert_memory_equal(rec.states, path, sizeof path);
}

/* The FIN follows the data still queued, and a lost FIN is sent again. */
static void
test_fin_after_data_and_retransmitted(void **state)
{
	(void)state;
	start(SEC);
	establish(10 * MS);
	struct pkl_tcp_seg w = peer(0, 0, PKL_TCP_ACK);
	w.window = 0;   /* a closed window holds the data back */
	pkl_tcp_endpoint_receive(&ep, &w, 11 * MS);
	pkl_tcp_endpoint_write(&ep, big, 100, 12 * MS);
	pkl_tcp_endpoint_close(&ep, 12 * MS);
	assert_int_equal(last_state(), PKL_TCPS_FIN_WAIT_1);
	struct pkl_tcp_seg open = peer(0, 0, PKL_TCP_ACK);
	pkl_tcp_endpoint_receive(&ep, &open, 20 * MS);
	assert_int_equal(last_sent()->len, 100);
	assert_int_equal(last_sent()->flags, PKL_TCP_ACK | PKL_TCP_PSH | PKL_TCP_FIN);
	/* The data is acknowledged, the FIN not: it goes again, alone. */
	struct pkl_tcp_seg a = peer(0, 100, PKL_TCP_ACK);
	pkl_tcp_endpoint_receive(&ep, &a, 30 * MS);
	assert_int_equal(ep.state, PKL_TCPS_FIN_WAIT_1);
	pkl_tcp_endpoint_tick(&ep, pkl_tcp_endpoint_deadline(&ep));
	assert_int_equal(last_sent()->flags, PKL_TCP_ACK | PKL_TCP_FIN);
	assert_int_equal(last_sent()->seq, ISN + 101);
	assert_int_equal(last_sent()->len, 0);
	a = peer(0, 101, PKL_TCP_ACK);
	pkl_tcp_endpoint_receive(&ep, &a, 2 * SEC);
	assert_int_equal(ep.state, PKL_TCPS_FIN_WAIT_2);
}

static void
test_close_second(void **state)
{
	(void)state;
	start(SEC);
	establish(10 * MS);
	struct pkl_tcp_seg fin = peer(0, 0, PKL_TCP_FIN | PKL_TCP_ACK);
	pkl_tcp_endpoint_receive(&ep, &fin, SEC);
	assert_int_equal(last_state(), PKL_TCPS_CLOSE_WAIT);
	assert_int_equal(last_sent()->flags, PKL_TCP_ACK);
	assert_int_equal(last_sent()->ack, PEER_ISN + 2);
	pkl_tcp_endpoint_close(&ep, 2 * SEC);
	assert_int_equal(last_state(), PKL_TCPS_LAST_ACK);
	assert_int_equal(last_sent()->flags, PKL_TCP_FIN | PKL_TCP_ACK);
	struct pkl_tcp_seg a = peer(1, 1, PKL_TCP_ACK);
	pkl_tcp_endpoint_receive(&ep, &a, 2 * SEC + 10 * MS);
	assert_int_equal(ep.state, PKL_TCPS_CLOSED);
	assert_int_equal(ep.outcome, PKL_TCP_CLOSED_NORMALLY);
	assert_int_equal(pkl_tcp_endpoint_deadline(&ep), UINT64_MAX);   /* no TIME_WAIT here */
}

static void
test_simultaneous_close(void **state)
{
	(void)state;
	start(SEC);
	establish(10 * MS);
	pkl_tcp_endpoint_close(&ep, SEC);
	/* The peer's FIN crosses ours: it does not acknowledge our FIN. */
	struct pkl_tcp_seg fin = peer(0, 0, PKL_TCP_FIN | PKL_TCP_ACK);
	pkl_tcp_endpoint_receive(&ep, &fin, SEC + MS);
	assert_int_equal(last_state(), PKL_TCPS_CLOSING);
	assert_int_equal(last_sent()->ack, PEER_ISN + 2);
	struct pkl_tcp_seg a = peer(1, 1, PKL_TCP_ACK);
	pkl_tcp_endpoint_receive(&ep, &a, SEC + 2 * MS);
	assert_int_equal(last_state(), PKL_TCPS_TIME_WAIT);
	assert_int_equal(pkl_tcp_endpoint_deadline(&ep), SEC + 2 * MS + 60 * SEC);
}

static void
test_reset(void **state)
{
	(void)state;
	/* Ours: a RST at snd_nxt, and CLOSED. */
	start(SEC);
	establish(10 * MS);
	pkl_tcp_endpoint_abort(&ep, SEC);
	assert_int_equal(ep.state, PKL_TCPS_CLOSED);
	assert_int_equal(ep.outcome, PKL_TCP_ABORTED);
	assert_int_equal(last_sent()->flags, PKL_TCP_RST | PKL_TCP_ACK);
	assert_int_equal(last_sent()->seq, ISN + 1);

	/* The peer's: only one at exactly rcv_nxt resets; another in the
	 * window gets a challenge ACK (RFC 5961). */
	start(SEC);
	establish(10 * MS);
	struct pkl_tcp_seg r = peer(100, 0, PKL_TCP_RST);
	size_t before = rec.n_sent;
	pkl_tcp_endpoint_receive(&ep, &r, SEC);
	assert_int_equal(ep.state, PKL_TCPS_ESTABLISHED);
	assert_int_equal(rec.n_sent, before + 1);
	assert_int_equal(last_sent()->flags, PKL_TCP_ACK);
	r = peer(0, 0, PKL_TCP_RST);
	pkl_tcp_endpoint_receive(&ep, &r, SEC);
	assert_int_equal(ep.state, PKL_TCPS_CLOSED);
	assert_int_equal(ep.outcome, PKL_TCP_RESET_BY_PEER);
	assert_string_equal(pkl_tcp_outcome_name(ep.outcome), "reset");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_syn_backoff_and_timeout),
		cmocka_unit_test(test_segmentation_by_mss_and_window),
		cmocka_unit_test(test_retransmission_on_rto),
		cmocka_unit_test(test_fast_retransmit),
		cmocka_unit_test(test_in_order_ack_and_out_of_order_dropped),
		cmocka_unit_test(test_close_first),
		cmocka_unit_test(test_fin_after_data_and_retransmitted),
		cmocka_unit_test(test_close_second),
		cmocka_unit_test(test_simultaneous_close),
		cmocka_unit_test(test_reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
