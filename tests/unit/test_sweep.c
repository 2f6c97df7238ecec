/* Truncation sweep: every known-good frame decoded at every capture
 * length 0..len with the wire length unchanged.
 *
 * The captured bytes are placed so that they end exactly at a PROT_NONE
 * page: a dissector reading one byte past caplen faults (and the test
 * fails) even without a sanitizer.  Each prefix is also decoded from a
 * malloc'd copy of exactly caplen bytes, for AddressSanitizer builds. */
#include "frames.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct guard {
	uint8_t *base;
	size_t size;     /* readable bytes before the guard page */
	size_t page;
};

static struct guard g;

static int
setup(void **state)
{
	(void)state;
	g.page = (size_t)sysconf(_SC_PAGESIZE);
	g.size = (TF_MAX + g.page - 1) / g.page * g.page;
	g.base = mmap(NULL, g.size + g.page, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g.base == MAP_FAILED)
		return -1;
	return mprotect(g.base + g.size, g.page, PROT_NONE);
}

static int
teardown(void **state)
{
	(void)state;
	return munmap(g.base, g.size + g.page);
}

/* The bytes a layer's fixed header takes: PKL_LAYER_HEADER promises
 * they were read, so they must have been captured. */
static uint32_t
fixed_header(enum pkl_proto proto)
{
	switch (proto) {
	case PKL_PROTO_ETH: return 14;
	case PKL_PROTO_VLAN: return 4;
	case PKL_PROTO_SLL: return 16;
	case PKL_PROTO_SLL2: return 20;
	case PKL_PROTO_NULL: return 4;
	case PKL_PROTO_ARP: return 8;
	case PKL_PROTO_IPV4: return 20;
	case PKL_PROTO_IPV6: return 40;
	case PKL_PROTO_ICMP: return 4;
	case PKL_PROTO_ICMPV6: return 4;
	case PKL_PROTO_UDP: return 8;
	case PKL_PROTO_TCP: return 20;
	default: return 0;
	}
}

/* Structural invariants every decode must keep. */
static void
check_invariants(const struct pkl_packet *pkt, const struct pkl_frame *f)
{
	assert_true(pkt->n_layers >= 1);
	assert_true(pkt->n_layers <= PKL_MAX_LAYERS);
	assert_true(pkt->n_events <= PKL_MAX_EVENTS);
	for (unsigned i = 0; i < pkt->n_layers; i++) {
		const struct pkl_layer *l = &pkt->layers[i];
		assert_true(l->proto > PKL_PROTO_NONE && l->proto < PKL_PROTO_COUNT);
		assert_true(l->caplen <= l->len);
		assert_true(l->offset + l->caplen <= f->caplen);
		assert_true(l->offset + l->len <= f->len);
		assert_ptr_equal(l->data, f->bytes + l->offset);
		assert_true(l->hdr_len + l->payload_len <= l->len);
		if (l->flags & PKL_LAYER_HEADER)
			assert_true(l->caplen >= fixed_header(l->proto));
	}
	for (unsigned i = 0; i < pkt->n_events; i++) {
		assert_true(pkt->events[i].layer < pkt->n_layers);
		assert_true(pkt->events[i].code < PKL_EV_COUNT);
	}
	assert_int_equal(pkt->truncated, tf_any_flag(pkt, PKL_LAYER_TRUNCATED));
	assert_int_equal(pkt->malformed, tf_any_flag(pkt, PKL_LAYER_MALFORMED));
}

static void
sweep_one(const struct tf_known *k)
{
	static struct tf full;
	tf_load_good(&full, k->bytes, k->len, k->linktype);
	const struct pkl_packet *ref = tf_decode(&full, k->linktype);

	print_message("  %s: %u bytes, %u layers\n", k->name, k->len, ref->n_layers);
	/* The whole frame is good: nothing truncated, nothing malformed. */
	TF_CLEAN(ref);
	check_invariants(ref, &full.frame);
	for (unsigned i = 0; i < ref->n_layers; i++)
		if (fixed_header(ref->layers[i].proto))
			assert_true(ref->layers[i].flags & PKL_LAYER_HEADER);
	for (unsigned i = 0; i < ref->n_events; i++)
		assert_int_equal(pkl_event_kind(ref->events[i].code), PKL_EVK_WARNING);
	/* Good means good: every checksum there is to check verifies. */
	for (unsigned i = 0; i < ref->n_layers; i++) {
		const struct pkl_layer *l = &ref->layers[i];
		switch (l->proto) {
		case PKL_PROTO_IPV4:
			assert_int_equal(l->hdr.ipv4.cksum_status, PKL_CK_GOOD);
			break;
		case PKL_PROTO_ICMP:
		case PKL_PROTO_ICMPV6:
			assert_int_equal(l->hdr.icmp.cksum_status, PKL_CK_GOOD);
			break;
		case PKL_PROTO_UDP:
			/* Quoted too: these frames quote whole datagrams. */
			assert_int_equal(l->hdr.udp.cksum_status, PKL_CK_GOOD);
			break;
		case PKL_PROTO_TCP:
			assert_int_equal(l->hdr.tcp.cksum_status, PKL_CK_GOOD);
			break;
		default:
			break;
		}
	}

	for (uint32_t cap = 0; cap <= k->len; cap++) {
		/* Guarded copy: the byte after the capture is unreadable. */
		uint8_t *at = g.base + g.size - cap;
		memcpy(at, full.buf, cap);
		struct pkl_frame f = { .number = 1, .caplen = cap, .len = k->len,
				       .linktype = k->linktype, .bytes = at };
		struct pkl_packet pkt;
		memset(&pkt, 0, sizeof pkt);
		memset(pkt.layers, 0x5a, sizeof pkt.layers);
		memset(pkt.events, 0x5a, sizeof pkt.events);
		pkl_decode(&pkt, &f);
		check_invariants(&pkt, &f);

		if (cap < k->len) {
			if (!pkt.truncated)
				print_error("%s: caplen %u of %u not flagged truncated\n",
					    k->name, cap, k->len);
			assert_true(pkt.truncated);
			assert_true(tf_any_flag(&pkt, PKL_LAYER_TRUNCATED));
			/* The wire lengths are those of a good frame: a short
			 * capture is never mistaken for a malformed one. */
			if (pkt.malformed)
				print_error("%s: caplen %u of %u flagged malformed\n",
					    k->name, cap, k->len);
			assert_false(pkt.malformed);
			/* And the flag sits where the capture ended. */
			for (unsigned i = 0; i < pkt.n_layers; i++) {
				const struct pkl_layer *l = &pkt.layers[i];
				if (!(l->flags & PKL_LAYER_TRUNCATED))
					continue;
				assert_int_equal(l->offset + l->caplen, cap);
				assert_true(l->caplen < l->len);
			}
		} else {
			TF_CLEAN(&pkt);
			assert_int_equal(pkt.n_layers, ref->n_layers);
			assert_int_equal(pkt.n_events, ref->n_events);
		}
		/* What was decoded is a prefix of the full decode. */
		assert_true(pkt.n_layers <= ref->n_layers);
		for (unsigned i = 0; i < pkt.n_layers; i++) {
			assert_int_equal(pkt.layers[i].proto, ref->layers[i].proto);
			assert_int_equal(pkt.layers[i].offset, ref->layers[i].offset);
			assert_int_equal(pkt.layers[i].len, ref->layers[i].len);
		}

		/* Exact-size heap copy, for AddressSanitizer. */
		uint8_t *heap = malloc(cap ? cap : 1);
		assert_non_null(heap);
		memcpy(heap, full.buf, cap);
		f.bytes = heap;
		struct pkl_packet pkt2;
		memset(&pkt2, 0, sizeof pkt2);
		pkl_decode(&pkt2, &f);
		assert_int_equal(pkt2.n_layers, pkt.n_layers);
		assert_int_equal(pkt2.n_events, pkt.n_events);
		assert_int_equal(pkt2.truncated, pkt.truncated);
		free(heap);
	}
}

static void
test_known_frames_are_good(void **state)
{
	(void)state;
	/* The helpers' checksums verify with the independent sum too. */
	static struct tf t;
	tf_load_good(&t, tf_tcp_syn, sizeof tf_tcp_syn, DLT_EN10MB);
	const uint8_t *ip = t.buf + TF_TCP_SYN_IP;
	assert_true(tf_sum_ok(ip, 0, ip, 20));
	assert_true(tf_sum_ok(ip, 6, t.buf + TF_TCP_SYN_TCP, 40));
	assert_int_not_equal(tf_rd16(t.buf + TF_TCP_SYN_TCP + 16), 0);
	assert_int_equal(TF_N_KNOWN, 13);
}

#define SWEEP(name, idx) \
	static void name(void **state) \
	{ \
		(void)state; \
		sweep_one(&tf_known_frames[idx]); \
	}
SWEEP(test_sweep_tcp_syn, 0)
SWEEP(test_sweep_udp, 1)
SWEEP(test_sweep_icmp_echo, 2)
SWEEP(test_sweep_icmp_port_unreach, 3)
SWEEP(test_sweep_arp, 4)
SWEEP(test_sweep_vlan_qinq, 5)
SWEEP(test_sweep_ipv6_tcp, 6)
SWEEP(test_sweep_ipv6_hbh_udp, 7)
SWEEP(test_sweep_icmpv6_echo, 8)
SWEEP(test_sweep_icmpv6_ns, 9)
SWEEP(test_sweep_sll2_udp, 10)
SWEEP(test_sweep_null_icmp, 11)
SWEEP(test_sweep_ipv6_routing_udp, 12)

/* The guard really guards: a read one past the capture would fault.  (A
 * child process does the read, so this test sees the fault as a status.) */
static void
test_guard_page_faults(void **state)
{
	(void)state;
	volatile uint8_t *past = g.base + g.size;
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Not cmocka's handler: it would resume the test run here. */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		uint8_t v = *past;
		_exit(v == 0x42 ? 3 : 0);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	/* Killed by the fault (or, under AddressSanitizer, reported and
	 * exited non-zero): the read never completed. */
	if (WIFSIGNALED(status))
		assert_true(WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGBUS);
	else
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) != 0 &&
			    WEXITSTATUS(status) != 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_frames_are_good),
		cmocka_unit_test(test_guard_page_faults),
		cmocka_unit_test(test_sweep_tcp_syn),
		cmocka_unit_test(test_sweep_udp),
		cmocka_unit_test(test_sweep_icmp_echo),
		cmocka_unit_test(test_sweep_icmp_port_unreach),
		cmocka_unit_test(test_sweep_arp),
		cmocka_unit_test(test_sweep_vlan_qinq),
		cmocka_unit_test(test_sweep_ipv6_tcp),
		cmocka_unit_test(test_sweep_ipv6_hbh_udp),
		cmocka_unit_test(test_sweep_icmpv6_echo),
		cmocka_unit_test(test_sweep_icmpv6_ns),
		cmocka_unit_test(test_sweep_sll2_udp),
		cmocka_unit_test(test_sweep_null_icmp),
		cmocka_unit_test(test_sweep_ipv6_routing_udp),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
