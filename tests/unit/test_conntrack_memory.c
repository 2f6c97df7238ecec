/* The connection table's memory: when it runs out before the cap, the
 * connections the table must then evict are counted as allocation
 * failures, apart from the evictions the cap causes; and a connection
 * that has seen one segment takes a small part of what a whole one
 * does.  realloc is replaced in this program, to fail on demand and to
 * count what it holds (the table grows its pools with it). */
#define _GNU_SOURCE        /* RTLD_NEXT */
#include "frames.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>

#include "../../src/conntrack.h"
#include "../../src/findings.h"

static bool realloc_fails;

/* The blocks realloc returned since counting began, and their sizes
 * (freed ones are not seen: count while the table lives). */
#define BLOCKS 64
static struct { void *p; size_t n; } block[BLOCKS];
static unsigned n_blocks;

void *
realloc(void *p, size_t n)
{
	static void *(*next)(void *, size_t);   /* the C library's, or the sanitizer's */

	if (!next)
		*(void **)&next = dlsym(RTLD_NEXT, "realloc");
	if (realloc_fails)
		return NULL;
	void *q = next(p, n);
	if (!q)
		return NULL;
	unsigned i = 0;
	while (i < n_blocks && block[i].p != p && block[i].p != q)
		i++;
	if (i == n_blocks && n_blocks < BLOCKS)
		n_blocks++;
	block[i].p = q;   /* the last slot is reused when they run out: the count fails */
	block[i].n = n;
	return q;
}

static size_t
held_by_realloc(void)
{
	size_t sum = 0;

	for (unsigned i = 0; i < n_blocks; i++)
		sum += block[i].n;
	return sum;
}

struct run {
	struct pkl_conntrack *ct;
	uint64_t number;
	struct tf t;
	struct pkl_conn_snapshot conn;
	struct pkl_findings found;
	unsigned evicted_rows;           /* reported to done as evicted */
};

static void
count_evicted(void *ctx, const struct pkl_conn_record *c)
{
	struct run *r = ctx;

	r->evicted_rows += c->left == PKL_CONN_EVICTED;
}

static struct run *
start(uint32_t max_conns)
{
	static struct run r;
	const struct pkl_conntrack_opts opts = { .max_conns = max_conns, .idle_timeout = 300,
						 .exchange_timeout = 30, .msl = 30 };

	memset(&r, 0, sizeof r);
	r.ct = pkl_conntrack_new(&opts, count_evicted, &r);
	assert_non_null(r.ct);
	return &r;
}

/* n SYNs, each opening a connection of its own. */
static void
open_connections(struct run *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint32_t client = 0x0a4d0000u + (uint32_t)(r->number >> 16);   /* 10.77.0.0 on */
		size_t len = tf_tcp_segment(r->t.buf, client, 0x0a4e0001, (uint16_t)r->number, 80,
					    PKL_TCP_SYN, 1000, 0, 0);
		r->t.frame = (struct pkl_frame){ .number = ++r->number, .ts_sec = 1700000000,
						 .caplen = (uint32_t)len, .len = (uint32_t)len,
						 .linktype = DLT_EN10MB, .bytes = r->t.buf };
		memset(&r->t.pkt, 0, sizeof r->t.pkt);
		pkl_decode(&r->t.pkt, &r->t.frame);
		pkl_conntrack_frame(r->ct, &r->t.pkt, &r->conn, &r->found);
		assert_true(r->conn.valid);
	}
}

static void
test_no_memory_is_not_the_cap(void **state)
{
	(void)state;
	struct run *r = start(1024);

	open_connections(r, 100);             /* the pool has grown to 128 */
	realloc_fails = true;
	open_connections(r, 28 + 10);         /* fills it, then 10 evicted */
	realloc_fails = false;
	assert_int_equal(pkl_conntrack_alloc_failures(r->ct), 10);
	assert_int_equal(pkl_conntrack_evicted(r->ct), 0);
	assert_int_equal(r->evicted_rows, 10);
	/* With memory again, the table grows on. */
	open_connections(r, 200);
	assert_int_equal(pkl_conntrack_alloc_failures(r->ct), 10);
	assert_int_equal(pkl_conntrack_evicted(r->ct), 0);
	pkl_conntrack_free(r->ct);
}

static void
test_the_cap_evicts(void **state)
{
	(void)state;
	struct run *r = start(100);

	open_connections(r, 110);
	assert_int_equal(pkl_conntrack_evicted(r->ct), 10);
	assert_int_equal(pkl_conntrack_alloc_failures(r->ct), 0);
	assert_int_equal(r->evicted_rows, 10);
	pkl_conntrack_free(r->ct);
}

/* A SYN flood or a scan: a million SYNs that no other segment follows
 * must fit in 128 MiB (bench/run.sh).  The table holds each in fewer
 * than 128 bytes, with its share of pools that double, and its links
 * (a whole entry is some 600; the buckets, 4 or 8 bytes a connection,
 * come from malloc and are not counted here). */
static void
test_lone_syns_are_small(void **state)
{
	(void)state;
	struct run *r = start(1u << 20);
	const unsigned n = 130000;   /* just below a power of two: pools hardly larger */

	n_blocks = 0;
	open_connections(r, n);
	size_t held = held_by_realloc();
	print_message("%u lone SYNs: %zu bytes, %zu a connection\n", n, held, held / n);
	assert_true(n_blocks < BLOCKS);
	assert_true(held < (size_t)n * 128);
	pkl_conntrack_free(r->ct);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_memory_is_not_the_cap),
		cmocka_unit_test(test_the_cap_evicts),
		cmocka_unit_test(test_lone_syns_are_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
