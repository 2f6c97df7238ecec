/* The connection table's hash under attack: a lookup that walks a chain
 * longer than chance makes takes new keys and hashes every entry again,
 * and keys built to collide under every seed of the earlier hash spread.
 *
 * Keys that collide are built for known keys, set through the test hook:
 * under the zero key every connection hashes to 0 (the last product has
 * a factor 0), so that all share bucket 0. */
#include "frames.h"

#include "../../src/conntrack.h"
#include "../../src/hash.h"

#define SERVER_IP 0x0a4d0102u    /* 10.77.1.2 */
#define T0 1700000000

enum { SYN = PKL_TCP_SYN, ACK = PKL_TCP_ACK };

static const struct pkl_hash_key zero_key = { 0, 0 };

struct run {
	struct pkl_conntrack *ct;
	uint64_t number;
	struct tf t;
	struct pkl_conn_snapshot conn;
	struct pkl_findings found;
};

static struct run *
start(void)
{
	static struct run r;
	const struct pkl_conntrack_opts opts = {
		.max_conns = 1u << 16, .idle_timeout = 3600, .exchange_timeout = 30, .msl = 30,
	};

	memset(&r, 0, sizeof r);
	r.ct = pkl_conntrack_new(&opts, NULL, NULL);
	assert_non_null(r.ct);
	return &r;
}

/* The frame in r->t through decode and the tracker: the id of its
 * connection, and which end sent it in *sender. */
static uint64_t
feed(struct run *r, int *sender)
{
	r->number++;
	r->t.frame = (struct pkl_frame){
		.number = r->number, .ts_sec = T0, .caplen = r->t.n, .len = r->t.n,
		.linktype = DLT_EN10MB, .bytes = r->t.buf,
	};
	memset(&r->t.pkt, 0, sizeof r->t.pkt);
	pkl_decode(&r->t.pkt, &r->t.frame);
	pkl_conntrack_frame(r->ct, &r->t.pkt, &r->conn, &r->found);
	assert_true(r->conn.valid);
	if (sender)
		*sender = r->conn.sender;
	return r->conn.id;
}

static uint64_t
segment4(struct run *r, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
	 uint16_t flags, int *sender)
{
	r->t.n = (uint32_t)tf_tcp_segment(r->t.buf, src, dst, sport, dport, flags, 1000, 0, 0);
	return feed(r, sender);
}

/* Client c: 10.0.x.y, from port 1024 + c % 50000, to the server's port 80. */
static uint32_t
client(uint32_t c)
{
	return 0x0a000000u + c;
}

static uint16_t
client_port(uint32_t c)
{
	return (uint16_t)(1024 + c % 50000);
}

/* The connections of clients first..first+n-1 opened, by a SYN each. */
static void
open_from(struct run *r, uint32_t first, uint32_t n)
{
	for (uint32_t c = first; c < first + n; c++)
		segment4(r, client(c), client_port(c), SERVER_IP, 80, SYN, NULL);
}

/* Every connection of clients 0..n-1 is found by its SYN+ACK: the same
 * id as its SYN gave (c + 1), the server sending. */
static void
all_found(struct run *r, uint32_t n)
{
	for (uint32_t c = 0; c < n; c++) {
		int sender;
		uint64_t id = segment4(r, SERVER_IP, 80, client(c), client_port(c), SYN | ACK, &sender);
		assert_int_equal(id, c + 1);
		assert_int_equal(sender, PKL_SERVER);
	}
}

static void
long_chain_takes_new_keys(void **state)
{
	struct run *r = start();

	(void)state;
	/* Enough connections that most are kept small (lone entries) when
	 * the table is hashed again: both pools are rehashed. */
	open_from(r, 0, 3000);
	assert_int_equal(pkl_conntrack_rekeys(r->ct), 0);
	/* All 3000 in one chain: the next lookup walks it. */
	pkl_conntrack_set_hash_key(r->ct, &zero_key);
	open_from(r, 3000, 200);
	assert_int_equal(pkl_conntrack_rekeys(r->ct), 1);
	all_found(r, 3200);
	assert_int_equal(pkl_conntrack_rekeys(r->ct), 1);
	pkl_conntrack_free(r->ct);
}

static void
chance_chains_keep_their_keys(void **state)
{
	struct run *r = start();

	(void)state;
	/* Under random keys: no chain near the limit. */
	open_from(r, 0, 3200);
	all_found(r, 3200);
	assert_int_equal(pkl_conntrack_rekeys(r->ct), 0);
	pkl_conntrack_free(r->ct);
}

static void
new_keys_at_most_once_per_table_entered(void **state)
{
	struct run *r = start();

	(void)state;
	pkl_conntrack_set_hash_key(r->ct, &zero_key);
	open_from(r, 0, 34);   /* the 34th walks past 33 */
	assert_int_equal(pkl_conntrack_rekeys(r->ct), 1);
	/* Colliding again at once, as keys that collide under any keys
	 * would: the table held 33, so no new keys before 33 more enter. */
	pkl_conntrack_set_hash_key(r->ct, &zero_key);
	open_from(r, 34, 32);
	assert_int_equal(pkl_conntrack_rekeys(r->ct), 1);
	open_from(r, 66, 1);
	assert_int_equal(pkl_conntrack_rekeys(r->ct), 2);
	all_found(r, 67);
	pkl_conntrack_free(r->ct);
}

/* The hash this table had before keyed folded multiplications added up
 * each word w of an address as (seed-dependent state ^ w) * constant: a
 * change to the top bits of a word changes only the top bits of the
 * product, and so of the state, whatever the seed.  IPv6 sources that
 * differ only in the top 3 bits of each 32-bit word (the words as read
 * from memory: the last byte of each group of four) made 8 hashes among
 * 4096 under every seed: chains of 512. */
static void
family_of_the_seeded_hash_spreads(void **state)
{
	struct run *r = start();
	const uint32_t n = 4096;

	(void)state;
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t c = 0; c < n; c++) {
			tf_load(&r->t, tf_ipv6_tcp, sizeof tf_ipv6_tcp);
			uint8_t *client = r->t.buf + TF_IPV6_IP + (pass ? 24 : 8);
			uint8_t *server = r->t.buf + TF_IPV6_IP + (pass ? 8 : 24);
			if (pass) {
				memcpy(server, (const uint8_t[]){ TF_IP6_B }, 16);
				memcpy(client, (const uint8_t[]){ TF_IP6_A }, 16);
				uint8_t *tcp = r->t.buf + TF_IPV6_TCP;
				tf_wr16(tcp, 8080);
				tf_wr16(tcp + 2, 40000);
				tcp[13] = SYN | ACK;
			}
			for (int w = 0; w < 4; w++)
				client[4 * w + 3] ^= (uint8_t)((c >> (3 * w) & 7) << 5);
			tf_fix_checksums(r->t.buf, r->t.n, DLT_EN10MB);
			int sender;
			assert_int_equal(feed(r, &sender), c + 1);
			assert_int_equal(sender, pass ? PKL_SERVER : PKL_CLIENT);
		}
	}
	assert_int_equal(pkl_conntrack_rekeys(r->ct), 0);
	pkl_conntrack_free(r->ct);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(long_chain_takes_new_keys),
		cmocka_unit_test(chance_chains_keep_their_keys),
		cmocka_unit_test(new_keys_at_most_once_per_table_entered),
		cmocka_unit_test(family_of_the_seeded_hash_spreads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
