/* The connection table when memory runs out before its cap: the
 * connections it must then evict are counted as allocation failures,
 * apart from the evictions the cap causes.  realloc is replaced in this
 * program, to fail on demand (the table grows its pool with it). */
#define _GNU_SOURCE        /* RTLD_NEXT */
#include "frames.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>

#include "../../src/conntrack.h"
#include "../../src/notes.h"

static bool realloc_fails;

void *
realloc(void *p, size_t n)
{
	static void *(*next)(void *, size_t);   /* the C library's, or the sanitizer's */

	if (!next)
		*(void **)&next = dlsym(RTLD_NEXT, "realloc");
	return realloc_fails ? NULL : next(p, n);
}

struct run {
	struct pkl_conntrack *ct;
	uint64_t number;
	struct tf t;
	struct pkl_notes notes;
	unsigned evicted_rows;           /* reported to done as evicted */
};

static void
count_evicted(void *ctx, const struct pkl_conn *c, enum pkl_conn_exit why)
{
	struct run *r = ctx;

	(void)c;
	r->evicted_rows += why == PKL_CONN_EVICTED;
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
		uint16_t port = (uint16_t)(1024 + r->number);
		size_t len = tf_tcp_segment(r->t.buf, 0x0a4d0101, 0x0a4d0102, port, 80, PKL_TCP_SYN,
					    1000, 0, 0);
		r->t.frame = (struct pkl_frame){ .number = ++r->number, .ts_sec = 1700000000,
						 .caplen = (uint32_t)len, .len = (uint32_t)len,
						 .linktype = DLT_EN10MB, .bytes = r->t.buf };
		memset(&r->t.pkt, 0, sizeof r->t.pkt);
		pkl_decode(&r->t.pkt, &r->t.frame);
		pkl_notes_reset(&r->notes);
		pkl_conntrack_frame(r->ct, &r->t.pkt, &r->notes);
		assert_true(r->notes.conn.valid);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_memory_is_not_the_cap),
		cmocka_unit_test(test_the_cap_evicts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
