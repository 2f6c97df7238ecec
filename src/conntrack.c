/* The connection tracker.
 *
 * Entries live in two pools that double as connections arrive: whole
 * entries (struct pkl_conn, some 600 bytes) and lone ones, 88 bytes,
 * for a TCP connection that has seen one segment.  A SYN flood, a port
 * scan or backscatter leaves a million connections that never see a
 * second one: at 600 bytes each they took 600 MB.  A lone entry keeps
 * the key, the number, the frame and what the tracker reads of the
 * segment (flags, numbers, window, options, length, TTL).  All that one
 * segment establishes in its connection (both ends' states, the
 * sequence analysis, the handshake step) follows from these, so the
 * whole entry is made again when it is needed (a second segment, an
 * ICMP error quoting the connection, its record as it leaves) by
 * following the segment again, with what that does beyond the entry
 * left out (pattern counts, the ACK-timing table, findings: they happened
 * when it was seen).  Every segment, a connection's first too, is
 * followed in a whole entry by the one code, so what is said of it
 * cannot differ.  A new connection stays whole while the next NURSERY
 * connections open: most see their second segment by then, and are
 * never folded and unfolded.  One whose first segment has SACK blocks
 * stays whole: they are rare there, and a lone entry has no room for
 * them.
 *
 * Both pools make one table: one bucket array of chains, and three
 * least-recently-seen lists: open TCP connections, closed ones (both
 * ends CLOSED or in TIME_WAIT), and the other kinds' exchanges.  An
 * index names an entry of either pool (LONE set: a lone one).  A second
 * table for the lone entries would cost a second lookup on every frame
 * of a conversation the first misses, and its own idle list would have
 * to be merged with the open one, by last frame, to expire and evict in
 * the order one list gives; in one table a lone entry becomes whole in
 * its place, and expiry, eviction, the ids and the cap (entries of both
 * pools) are what they were.
 *
 * Each list has one timeout, so its tail is always the first to go: an
 * open connection expires once idle past the idle timeout, a closed one
 * 2*MSL after its last frame (as long as TIME_WAIT holds the 4-tuple,
 * so late segments and a reuse of the ports are still recognised), an
 * exchange once idle past the exchange timeout.  When the table is full
 * a closed connection makes room first; only then is the least recently
 * seen open connection or exchange evicted, and counted.  Memory is
 * bounded by the cap whatever the capture holds.  A few dozen lines of
 * hashing are simpler here than a library table, which would allocate
 * per entry and chain through memory that lookups would then miss; on
 * a large table nearly every entry a frame needs has left the cache,
 * so the code below asks for what it will read ahead of reading it. */
#define _GNU_SOURCE        /* qsort_r */
#include "conntrack_entry.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../dissectors/tcp.h"
#include "hash.h"
#include "patterns.h"

enum { LRU_OPEN, LRU_CLOSED, LRU_EXCHANGE, LRU_LISTS };
enum { CACHE_LINE = 64 };

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* An index with this bit names a lone entry: a pool holds fewer (the
 * cap is kept below it). */
#define LONE 0x40000000
/* The lru_prev of a released entry, which hash_next chains on its
 * pool's free list. */
#define RELEASED (-2)
/* A lone entry's wscale when its segment had no window scale option. */
#define NO_WSCALE 0xff

/* An entry's place in the table, kept apart from the entry: walking a
 * bucket's chain, unlinking from an idle list and releasing touch these
 * 16 bytes of the entry and its neighbours, not their 600-byte
 * conversations (which would be a cache miss each).  The hash also
 * lets a lookup pass over the other entries of its bucket unread. */
struct conn_link {
	uint32_t hash;
	int32_t hash_next, lru_prev, lru_next;   /* indices; -1 for none */
};

/* A TCP connection that has seen one segment: its ends as its whole
 * entry orients them, and what the tracker reads of the segment. */
struct conn_lone {
	uint8_t addr[2][16];        /* [PKL_CLIENT], [PKL_SERVER] */
	uint16_t port[2];
	uint8_t family;
	uint8_t lru_list;
	uint8_t sender;             /* the end that sent the segment */
	uint8_t ttl;                /* or hop limit */
	uint64_t id;
	uint64_t frame;
	int64_t sec;
	uint32_t nsec;
	uint32_t seq, ack;          /* as on the wire */
	uint32_t payload_len;
	uint16_t window, flags;
	uint16_t mss;               /* its MSS option; 0: none (an MSS of 0 reads the same) */
	uint8_t doff;
	uint8_t wscale;             /* its window scale option, at most 14; NO_WSCALE: none */
};
_Static_assert(sizeof(struct conn_lone) == 88, "a lone entry is 88 bytes (see the file comment)");

/* The newest connections, with their first segment folded ready: one
 * still in its slot when NURSERY more have opened (a SYN+ACK comes a
 * round trip after its SYN) is folded as it leaves.  A connection
 * leaves its slot early, and stays whole, when a second segment or an
 * ICMP error finds it, or it leaves the table: the entry names its slot
 * (pkl_conn.nursery), so that folding needs no look at an entry that
 * has long left the cache. */
#define NURSERY 1024

struct nursery_slot {
	int32_t i;                  /* the whole entry; -1: none */
	struct conn_lone lone;      /* its first segment, folded */
};

/* The entries of a pool that are in use or free, and their places. */
struct conn_slots {
	struct conn_link *links;    /* links[n] places entry n */
	uint32_t cap;               /* entries allocated; grows to opts.max_conns */
	uint32_t fresh;             /* entries from here on were never used */
	int32_t free_head;          /* released entries */
};

struct pkl_conntrack {
	struct pkl_conntrack_opts opts;
	struct pkl_hash_key addr_key, port_key, sum_key;   /* random per table: see hash_key */
	pkl_conn_done_fn *done;
	void *done_ctx;
	struct pkl_conn *pool;          /* whole entries, cache-line aligned in pool_mem */
	void *pool_mem;
	struct conn_slots whole;
	struct conn_lone *lone;         /* lone entries */
	struct conn_slots lones;
	uint32_t live;                  /* entries of both pools in the table */
	int32_t *buckets;
	uint32_t bucket_mask;
	struct { int32_t head, tail; } lru[LRU_LISTS];   /* head: most recent */
	uint64_t next_id[PKL_KIND_COUNT];
	uint64_t evicted;               /* to stay within opts.max_conns */
	uint64_t alloc_failures;        /* evicted below it: the pool could not grow */
	uint64_t entered;               /* entries ever entered */
	uint64_t rekey_after;           /* no new keys before this many (see long_chain) */
	uint64_t rekeys;
	int64_t expired_at;             /* capture second of the latest expiry pass */
	/* A lone entry's segment is being followed again (unfold): what
	 * that does beyond the entry, to the patterns and the pending
	 * table, is left out. */
	bool unfolding;
	struct pkl_tcp_pending pending;  /* for ACK round-trip times */
	struct pkl_patterns *patterns;   /* SYN floods, port scans */
	uint32_t nursery_next;          /* the slot of the next connection to open */
	struct nursery_slot nursery[NURSERY];
	struct pkl_conn unfolded;        /* a lone entry unfolded to be reported */
};

/* ---- the table ---------------------------------------------------------- */

static bool is_closed(const struct pkl_conn *c);
static void unfold(struct pkl_conntrack *ct, const struct conn_lone *e, struct pkl_conn *c);

static bool
is_lone(int32_t i)
{
	return i & LONE;
}

static struct conn_lone *
lone_at(const struct pkl_conntrack *ct, int32_t i)
{
	return &ct->lone[i & ~LONE];
}

static struct conn_link *
link_at(const struct pkl_conntrack *ct, int32_t i)
{
	return is_lone(i) ? &ct->lones.links[i & ~LONE] : &ct->whole.links[i];
}

static uint8_t *
list_of_entry(const struct pkl_conntrack *ct, int32_t i)
{
	return is_lone(i) ? &lone_at(ct, i)->lru_list : &ct->pool[i].lru_list;
}

static uint64_t
last_frame_at(const struct pkl_conntrack *ct, int32_t i)
{
	return is_lone(i) ? lone_at(ct, i)->frame : ct->pool[i].last_frame;
}

static int64_t
last_sec_at(const struct pkl_conntrack *ct, int32_t i)
{
	return is_lone(i) ? lone_at(ct, i)->sec : ct->pool[i].last_sec;
}

/* Entry i whole: a lone one unfolded into ct->unfolded, which holds it
 * until the next unfolding. */
static struct pkl_conn *
whole_at(struct pkl_conntrack *ct, int32_t i)
{
	if (!is_lone(i))
		return &ct->pool[i];
	unfold(ct, lone_at(ct, i), &ct->unfolded);
	return &ct->unfolded;
}

/* One end of a conversation, under the table's keys.  Each
 * multiplication takes two words XORed with secret ones (see
 * pkl_fold_mul), so that which ends collide depends on the keys: the
 * multiplicative hash this replaced had families of keys that shared a
 * hash under every seed (changes to the top bits of an address's words
 * never reached the bits below: 2^20 IPv6 sources that differ only in
 * the top 5 bits of each word had 32 hashes among them). */
static ALWAYS_INLINE uint64_t
end_hash(const struct pkl_conntrack *ct, uint8_t family, const uint8_t *addr, uint16_t port,
	 enum pkl_conn_kind kind)
{
	uint64_t port_kind = (uint64_t)port | (uint64_t)kind << 16;

	if (family == 4) {
		uint32_t w;
		memcpy(&w, addr, 4);
		return pkl_fold_mul(w ^ ct->addr_key.k0, port_kind ^ ct->port_key.k1);
	}
	uint64_t w0, w1;
	memcpy(&w0, addr, 8);
	memcpy(&w1, addr + 8, 8);
	uint64_t a = pkl_fold_mul(w0 ^ ct->addr_key.k0, w1 ^ ct->addr_key.k1);
	return pkl_fold_mul(a ^ ct->port_key.k0, port_kind ^ ct->port_key.k1);
}

static uint32_t
hash_key(const struct pkl_conntrack *ct, const struct pkl_conn_key *k)
{
	/* Symmetric: both directions of a connection land in one bucket.
	 * A sum, not an XOR, which would give every conversation of an
	 * end with itself (src and dst alike) the hash 0. */
	uint64_t sum = end_hash(ct, k->family, k->src, k->sport, k->kind) +
		       end_hash(ct, k->family, k->dst, k->dport, k->kind);
	/* One product leaves structured ends (the addresses of a network,
	 * the ports of a host) unevenly spread in its low bits under some
	 * keys: conversations of a host with itself made chains of 48 where
	 * 10 were due.  A second one over the sum spreads them as chance
	 * would. */
	uint64_t h = pkl_fold_mul(sum ^ ct->sum_key.k0, ct->sum_key.k1);

	return (uint32_t)(h ^ h >> 32);
}

static bool
same_addr(const uint8_t *a, const uint8_t *b, uint8_t family)
{
	/* Constant sizes, so the compiler compares words instead of calling memcmp. */
	return family == 4 ? memcmp(a, b, 4) == 0 : memcmp(a, b, 16) == 0;
}

/* Which end of a conversation between a0:p0 and a1:p1 sent a segment
 * with key k (same kind and family), or -1 if none; with one end (the
 * one-way kinds), only a0 sends. */
static ALWAYS_INLINE int
end_sending(const uint8_t *a0, uint16_t p0, const uint8_t *a1, uint16_t p1, int ends,
	    const struct pkl_conn_key *k)
{
	if (p0 == k->sport && p1 == k->dport &&
	    same_addr(a0, k->src, k->family) && same_addr(a1, k->dst, k->family))
		return 0;
	if (ends == 2 && p1 == k->sport && p0 == k->dport &&
	    same_addr(a1, k->src, k->family) && same_addr(a0, k->dst, k->family))
		return 1;
	return -1;
}

/* Which end of entry i sent a segment with this key, or -1 if not i's.
 * TCP and UDP keys name their entry from either end; the other kinds
 * are one-way (A pinging B and B pinging A are two sessions). */
static int
sender_of(const struct pkl_conntrack *ct, int32_t i, const struct pkl_conn_key *k)
{
	if (is_lone(i)) {
		const struct conn_lone *e = lone_at(ct, i);
		if (e->family != k->family || k->kind != PKL_KIND_TCP)
			return -1;
		return end_sending(e->addr[0], e->port[0], e->addr[1], e->port[1], 2, k);
	}
	const struct pkl_conn *c = &ct->pool[i];
	if (c->family != k->family || c->kind != k->kind)
		return -1;
	return end_sending(c->end[0].addr, c->end[0].port, c->end[1].addr, c->end[1].port,
			   k->kind == PKL_KIND_TCP || k->kind == PKL_KIND_UDP ? 2 : 1, k);
}

static void
lru_unlink(struct pkl_conntrack *ct, int32_t i)
{
	struct conn_link *l = link_at(ct, i);
	int list = *list_of_entry(ct, i);

	if (l->lru_prev >= 0)
		link_at(ct, l->lru_prev)->lru_next = l->lru_next;
	else
		ct->lru[list].head = l->lru_next;
	if (l->lru_next >= 0)
		link_at(ct, l->lru_next)->lru_prev = l->lru_prev;
	else
		ct->lru[list].tail = l->lru_prev;
}

static void
lru_push_head(struct pkl_conntrack *ct, int list, int32_t i)
{
	struct conn_link *l = link_at(ct, i);

	*list_of_entry(ct, i) = (uint8_t)list;
	l->lru_prev = -1;
	l->lru_next = ct->lru[list].head;
	if (ct->lru[list].head >= 0)
		link_at(ct, ct->lru[list].head)->lru_prev = i;
	ct->lru[list].head = i;
	if (ct->lru[list].tail < 0)
		ct->lru[list].tail = i;
}

/* The list an entry belongs on: exchanges expire on their own timeout,
 * closed TCP connections 2*MSL after their last frame, open ones when
 * idle past the idle timeout. */
static int
list_of(const struct pkl_conn *c)
{
	if (c->kind != PKL_KIND_TCP)
		return LRU_EXCHANGE;
	return is_closed(c) ? LRU_CLOSED : LRU_OPEN;
}

/* Just seen: to the head of the list its states now put it on. */
static void
touch(struct pkl_conntrack *ct, int32_t i)
{
	int list = list_of(&ct->pool[i]);

	if (ct->lru[list].head == i)   /* a burst of one conversation's frames */
		return;
	lru_unlink(ct, i);
	lru_push_head(ct, list, i);
}

/* A handshake that completed, was reset or left the table is no longer
 * among its server's half-open ones. */
static void
leave_half_open(struct pkl_conntrack *ct, struct pkl_conn *c)
{
	const struct pkl_conn_end *server = &c->end[PKL_SERVER];

	if (c->half_open) {
		c->half_open = false;
		if (!ct->unfolding)
			pkl_patterns_half_open_done(ct->patterns, c->family, server->addr,
						    server->port);
	}
}

/* Whole entry c leaves its nursery slot, and stays whole. */
static void
out_of_nursery(struct pkl_conntrack *ct, struct pkl_conn *c)
{
	if (c->nursery) {
		ct->nursery[c->nursery - 1].i = -1;
		c->nursery = 0;
	}
}

/* Every exit goes through here: the done callback sees it. */
static void
report(struct pkl_conntrack *ct, struct pkl_conn *c, enum pkl_conn_exit why)
{
	/* TCP's own state shares its space with the other kinds'. */
	if (c->kind == PKL_KIND_TCP) {
		leave_half_open(ct, c);
		out_of_nursery(ct, c);
		if (c->close == PKL_CLOSE_OPEN && !c->established && !c->roles_inferred &&
		    why != PKL_CONN_EVICTED)
			c->close = PKL_CLOSE_NEVER_ESTABLISHED;
	}
	if (ct->done) {
		struct pkl_conn_record r;
		pkl_conntrack_record(&r, c, why);
		ct->done(ct->done_ctx, &r);
	}
}

/* Entry n of pool p back on its free list. */
static void
free_entry(struct conn_slots *p, int32_t n)
{
	p->links[n].hash_next = p->free_head;
	p->links[n].lru_prev = RELEASED;
	p->free_head = n;
}

/* Take entry i out of the table and report it. */
static void
release(struct pkl_conntrack *ct, int32_t i, enum pkl_conn_exit why)
{
	struct conn_link *l = link_at(ct, i);
	int32_t *at = &ct->buckets[l->hash & ct->bucket_mask];

	while (*at != i)
		at = &link_at(ct, *at)->hash_next;
	*at = l->hash_next;
	lru_unlink(ct, i);
	report(ct, whole_at(ct, i), why);
	free_entry(is_lone(i) ? &ct->lones : &ct->whole, i & ~LONE);
	ct->live--;
}

/* The key entry i was entered with. */
static struct pkl_conn_key
key_of(const struct pkl_conntrack *ct, int32_t i)
{
	if (is_lone(i)) {
		const struct conn_lone *e = lone_at(ct, i);
		return (struct pkl_conn_key){ PKL_KIND_TCP, e->family, e->addr[0], e->addr[1],
					      e->port[0], e->port[1] };
	}
	const struct pkl_conn *c = &ct->pool[i];
	return (struct pkl_conn_key){ c->kind, c->family, c->end[0].addr, c->end[1].addr,
				      c->end[0].port, c->end[1].port };
}

/* The entries of pool p, tagged, into the bucket chains; with rehash,
 * each hashed again first (under new keys). */
static void
chain_pool(struct pkl_conntrack *ct, const struct conn_slots *p, int32_t tag, bool rehash)
{
	for (uint32_t n = 0; n < p->fresh; n++) {
		struct conn_link *l = &p->links[n];
		if (l->lru_prev == RELEASED)
			continue;
		if (rehash) {
			const struct pkl_conn_key k = key_of(ct, (int32_t)n | tag);
			l->hash = hash_key(ct, &k);
		}
		uint32_t b = l->hash & ct->bucket_mask;
		l->hash_next = ct->buckets[b];
		ct->buckets[b] = (int32_t)n | tag;
	}
}

/* Fresh keys for the table's hash (the entries' hashes are then stale). */
static void
new_keys(struct pkl_conntrack *ct)
{
	pkl_hash_key_new(&ct->addr_key);
	pkl_hash_key_new(&ct->port_key);
	pkl_hash_key_new(&ct->sum_key);
}

/* Every entry into empty buckets. */
static void
chain_entries(struct pkl_conntrack *ct, bool rehash)
{
	memset(ct->buckets, 0xff, (ct->bucket_mask + 1) * sizeof *ct->buckets);
	chain_pool(ct, &ct->whole, 0, rehash);
	chain_pool(ct, &ct->lones, LONE, rehash);
}

/* Buckets for pools that hold this many entries together: as many, to
 * a power of two, up to the cap (the table never holds more; finish
 * sorts the entries in the bucket array).  False when there is no
 * memory for them. */
static bool
size_buckets(struct pkl_conntrack *ct, uint32_t entries)
{
	uint32_t want = entries < ct->opts.max_conns ? entries : ct->opts.max_conns, nb = 1;

	while (nb < want)
		nb <<= 1;
	if (ct->buckets && nb == ct->bucket_mask + 1)
		return true;
	int32_t *buckets = malloc(nb * sizeof *buckets);
	if (!buckets)
		return false;
	free(ct->buckets);
	ct->buckets = buckets;
	ct->bucket_mask = nb - 1;
	chain_entries(ct, false);
	return true;
}

/* The links of pool p for cap entries, and the buckets for both pools. */
static bool
grow_links(struct pkl_conntrack *ct, struct conn_slots *p, uint32_t cap)
{
	struct conn_link *links = realloc(p->links, cap * sizeof *links);

	if (!links)
		return false;
	p->links = links;
	if (!size_buckets(ct, cap + (p == &ct->whole ? ct->lones.cap : ct->whole.cap)))
		return false;
	p->cap = cap;
	return true;
}

static uint32_t
doubled(uint32_t cap, uint32_t max)
{
	return cap * 2 > max ? max : cap * 2;
}

/* Double a pool (and size the buckets for it).  Indices stay valid; no
 * pointer into the pool outlives a call.  False when there is no
 * memory, and the pool then behaves as full. */
static bool
grow_whole(struct pkl_conntrack *ct)
{
	uint32_t cap = doubled(ct->whole.cap, ct->opts.max_conns);
	/* Entries start on cache-line boundaries, so that each spans as few
	 * lines as its size allows (realloc aligns to 16 bytes only): when
	 * the boundary falls elsewhere in the new block, the entries move. */
	size_t shift = ct->pool_mem ? (size_t)((char *)ct->pool - (char *)ct->pool_mem) : 0;
	char *mem = realloc(ct->pool_mem, cap * sizeof *ct->pool + CACHE_LINE - 1);
	if (!mem)
		return false;
	char *pool = (char *)(((uintptr_t)mem + CACHE_LINE - 1) & ~(uintptr_t)(CACHE_LINE - 1));
	if ((size_t)(pool - mem) != shift)
		memmove(pool, mem + shift, ct->whole.fresh * sizeof *ct->pool);
	ct->pool_mem = mem;
	ct->pool = (struct pkl_conn *)pool;
	return grow_links(ct, &ct->whole, cap);
}

static bool
grow_lone(struct pkl_conntrack *ct)
{
	uint32_t cap = doubled(ct->lones.cap, ct->opts.max_conns);
	struct conn_lone *lone = realloc(ct->lone, cap * sizeof *lone);

	if (!lone)
		return false;
	ct->lone = lone;
	return grow_links(ct, &ct->lones, cap);
}

/* An entry about to be read through: its cache lines are asked for all
 * at once, so that their misses overlap instead of coming one by one
 * as the code reaches each field (on a large table nearly every entry
 * a frame needs has left the cache).  Always inlined: GCC takes a
 * function that only prefetches for one without effects, and drops
 * its calls. */
static ALWAYS_INLINE void
prefetch_entry(const struct pkl_conn *c, bool to_write)
{
#pragma GCC unroll 16
	for (size_t off = 0; off < sizeof *c; off += CACHE_LINE) {
		if (to_write)
			__builtin_prefetch((const char *)c + off, 1);
		else
			__builtin_prefetch((const char *)c + off);
	}
}

static ALWAYS_INLINE void
prefetch_lone(const struct conn_lone *e, bool to_write)
{
	/* Not aligned: its first and last bytes name the lines it spans. */
	if (to_write) {
		__builtin_prefetch(e, 1);
		__builtin_prefetch((const char *)e + sizeof *e - 1, 1);
	} else {
		__builtin_prefetch(e);
		__builtin_prefetch((const char *)e + sizeof *e - 1);
	}
}

static ALWAYS_INLINE void
prefetch_at(const struct pkl_conntrack *ct, int32_t i, bool to_write)
{
	if (is_lone(i))
		prefetch_lone(lone_at(ct, i), to_write);
	else
		prefetch_entry(&ct->pool[i], to_write);
}

/* Capture times can be anything in a corrupt file: compared so that no
 * difference overflows. */
static bool
idle_past(int64_t last_sec, int64_t now, uint32_t timeout)
{
	return now > last_sec && (uint64_t)now - (uint64_t)last_sec > timeout;
}

static int64_t
plus_seconds(int64_t t, uint32_t s)
{
	return t > INT64_MAX - (int64_t)s ? INT64_MAX : t + s;
}

static void
expire_list(struct pkl_conntrack *ct, int list, uint32_t timeout, int64_t now,
	    enum pkl_conn_exit why)
{
	int32_t i;

	while ((i = ct->lru[list].tail) >= 0 && idle_past(last_sec_at(ct, i), now, timeout)) {
		/* The next to check, asked for while this one is reported. */
		int32_t next = link_at(ct, i)->lru_prev;
		if (next >= 0)
			prefetch_at(ct, next, false);
		release(ct, i, why);
	}
}

/* Before each frame is looked up, so that whether a connection is still
 * there depends on capture time only, not on what else arrived. */
static void
expire(struct pkl_conntrack *ct, int64_t now)
{
	/* Timeouts are whole seconds of frame time: within one second a
	 * pass finds nothing the previous one did not. */
	if (now == ct->expired_at)
		return;
	ct->expired_at = now;
	expire_list(ct, LRU_CLOSED, 2 * ct->opts.msl, now, PKL_CONN_CLOSED);
	expire_list(ct, LRU_OPEN, ct->opts.idle_timeout, now, PKL_CONN_EXPIRED);
	expire_list(ct, LRU_EXCHANGE, ct->opts.exchange_timeout, now, PKL_CONN_EXPIRED);
}

/* One entry fewer: a closed connection leaves first; else the least
 * recently seen of the open connections and the exchanges is evicted,
 * and counted in *count. */
static void
evict_one(struct pkl_conntrack *ct, uint64_t *count)
{
	if (ct->lru[LRU_CLOSED].tail >= 0) {
		release(ct, ct->lru[LRU_CLOSED].tail, PKL_CONN_CLOSED);
		return;
	}
	int32_t open = ct->lru[LRU_OPEN].tail, exchange = ct->lru[LRU_EXCHANGE].tail;
	int32_t victim = open < 0 || (exchange >= 0 &&
				      last_frame_at(ct, exchange) < last_frame_at(ct, open))
			 ? exchange : open;
	(*count)++;
	release(ct, victim, PKL_CONN_EVICTED);
}

/* A free entry in the lone pool or the whole one, growing it.  Out of
 * memory below the cap is not the cap's doing: the entries then evicted
 * are counted apart, so that the caller does not suggest raising it. */
static void
make_room_in(struct pkl_conntrack *ct, bool lone)
{
	struct conn_slots *p = lone ? &ct->lones : &ct->whole;

	while (p->free_head < 0 && p->fresh == p->cap && !(lone ? grow_lone(ct) : grow_whole(ct)))
		evict_one(ct, &ct->alloc_failures);
}

/* Room for one more entry, of the lone pool or the whole one: beyond
 * the cap, one leaves first. */
static void
make_room(struct pkl_conntrack *ct, bool lone)
{
	if (ct->live == ct->opts.max_conns)
		evict_one(ct, &ct->evicted);
	make_room_in(ct, lone);
}

/* A free entry of the pool, taken (make_room_in first): its index. */
static ALWAYS_INLINE int32_t
take_entry(struct pkl_conntrack *ct, bool lone)
{
	struct conn_slots *p = lone ? &ct->lones : &ct->whole;
	int32_t n = p->free_head >= 0 ? p->free_head : (int32_t)p->fresh++;

	if (n == p->free_head) {
		p->free_head = p->links[n].hash_next;
		/* Released a while ago, out of the cache by the next take:
		 * the next one to be reused is asked for now. */
		if (p->free_head >= 0)
			prefetch_at(ct, lone ? p->free_head | LONE : p->free_head, true);
	}
	return lone ? n | LONE : n;
}

/* Entry i, filled for key k, into its bucket's chain and at the head of
 * its kind's list. */
static ALWAYS_INLINE void
enter(struct pkl_conntrack *ct, int32_t i, const struct pkl_conn_key *k)
{
	uint32_t h = hash_key(ct, k);
	struct conn_link *l = link_at(ct, i);

	l->hash = h;
	l->hash_next = ct->buckets[h & ct->bucket_mask];
	ct->buckets[h & ct->bucket_mask] = i;
	lru_push_head(ct, k->kind == PKL_KIND_TCP ? LRU_OPEN : LRU_EXCHANGE, i);
	ct->live++;
	ct->entered++;
}

/* Entry from's place in the table, its bucket chain and its place in
 * its idle list, given to entry to. */
static void
move_place(struct pkl_conntrack *ct, int32_t from, int32_t to)
{
	struct conn_link *l = link_at(ct, to);
	int list = *list_of_entry(ct, from);

	*l = *link_at(ct, from);
	*list_of_entry(ct, to) = (uint8_t)list;
	int32_t *at = &ct->buckets[l->hash & ct->bucket_mask];
	while (*at != from)
		at = &link_at(ct, *at)->hash_next;
	*at = to;
	if (l->lru_prev >= 0)
		link_at(ct, l->lru_prev)->lru_next = to;
	else
		ct->lru[list].head = to;
	if (l->lru_next >= 0)
		link_at(ct, l->lru_next)->lru_prev = to;
	else
		ct->lru[list].tail = to;
}

/* Lone entry j, met by a second segment or by an ICMP error quoting its
 * connection, becomes whole in its place.  -1 when it was evicted
 * instead, for want of memory to grow the pool of whole entries. */
static int32_t
promote(struct pkl_conntrack *ct, int32_t j)
{
	make_room_in(ct, false);
	if (link_at(ct, j)->lru_prev == RELEASED)
		return -1;
	int32_t i = take_entry(ct, false);
	move_place(ct, j, i);
	unfold(ct, lone_at(ct, j), &ct->pool[i]);
	free_entry(&ct->lones, j & ~LONE);
	return i;
}

/* The connection of nursery slot n, if it is still there, folded into
 * a lone entry in its place: it has seen its first segment only.
 * Without memory for a lone entry, it stays whole. */
static void
fold_out_of_nursery(struct pkl_conntrack *ct, struct nursery_slot *n)
{
	int32_t i = n->i;

	if (i < 0)
		return;
	n->i = -1;
	if (ct->lones.free_head < 0 && ct->lones.fresh == ct->lones.cap && !grow_lone(ct)) {
		ct->pool[i].nursery = 0;
		return;
	}
	int32_t j = take_entry(ct, true);
	*lone_at(ct, j) = n->lone;
	move_place(ct, i, j);
	free_entry(&ct->whole, i);
}

struct pkl_conntrack *
pkl_conntrack_new(const struct pkl_conntrack_opts *opts, pkl_conn_done_fn *done, void *ctx)
{
	struct pkl_conntrack *ct = calloc(1, sizeof *ct);

	if (!ct || opts->max_conns == 0) {
		free(ct);
		return NULL;
	}
	ct->opts = *opts;
	new_keys(ct);
	if (ct->opts.max_conns > LONE - 1)   /* far beyond any memory */
		ct->opts.max_conns = LONE - 1;
	ct->done = done;
	ct->done_ctx = ctx;
	ct->whole.free_head = ct->lones.free_head = -1;
	for (int n = 0; n < NURSERY; n++)
		ct->nursery[n].i = -1;
	ct->expired_at = INT64_MIN;
	for (int list = 0; list < LRU_LISTS; list++)
		ct->lru[list].head = ct->lru[list].tail = -1;
	ct->whole.cap = ct->lones.cap = 1;
	/* 2^16 pending segments: 1.5 MiB, ample for what is in flight at once. */
	ct->patterns = pkl_patterns_new();
	if (!ct->patterns || (opts->time_acks && !pkl_tcp_pending_init(&ct->pending, 16)) ||
	    !grow_whole(ct) || !grow_lone(ct)) {   /* two entries of each to start with */
		pkl_conntrack_free(ct);
		return NULL;
	}
	return ct;
}

void
pkl_conntrack_free(struct pkl_conntrack *ct)
{
	if (!ct)
		return;
	free(ct->pool_mem);
	free(ct->whole.links);
	free(ct->lone);
	free(ct->lones.links);
	free(ct->buckets);
	pkl_tcp_pending_free(&ct->pending);
	pkl_patterns_free(ct->patterns);
	free(ct);
}

uint64_t
pkl_conntrack_evicted(const struct pkl_conntrack *ct)
{
	return ct->evicted;
}

uint64_t
pkl_conntrack_alloc_failures(const struct pkl_conntrack *ct)
{
	return ct->alloc_failures;
}

uint64_t
pkl_conntrack_rekeys(const struct pkl_conntrack *ct)
{
	return ct->rekeys;
}

void
pkl_conntrack_set_hash_key(struct pkl_conntrack *ct, const struct pkl_hash_key *key)
{
	ct->addr_key = ct->port_key = ct->sum_key = *key;
	chain_entries(ct, true);
}

static uint64_t
first_frame_at(const struct pkl_conntrack *ct, int32_t i)
{
	return is_lone(i) ? lone_at(ct, i)->frame : ct->pool[i].first_frame;
}

/* The order of records at the end: first frame first; ids count per
 * kind, so they only break ties within a kind (a frame can open
 * records of two kinds: an ARP exchange and a binding). */
static int
by_first_frame(const void *a, const void *b, void *table)
{
	const struct pkl_conntrack *ct = table;
	int32_t i = *(const int32_t *)a, j = *(const int32_t *)b;
	uint64_t fi = first_frame_at(ct, i), fj = first_frame_at(ct, j);

	if (fi != fj)
		return fi < fj ? -1 : 1;
	int ki = is_lone(i) ? PKL_KIND_TCP : ct->pool[i].kind;
	int kj = is_lone(j) ? PKL_KIND_TCP : ct->pool[j].kind;
	if (ki != kj)
		return ki < kj ? -1 : 1;
	uint64_t di = is_lone(i) ? lone_at(ct, i)->id : ct->pool[i].id;
	uint64_t dj = is_lone(j) ? lone_at(ct, j)->id : ct->pool[j].id;
	return (di > dj) - (di < dj);
}

void
pkl_conntrack_finish(struct pkl_conntrack *ct)
{
	/* The bucket array has room for every entry of the table: it holds
	 * the indices to sort, then is emptied with everything else. */
	int32_t *order = ct->buckets;
	size_t n = 0;

	for (int list = 0; list < LRU_LISTS; list++)
		for (int32_t i = ct->lru[list].head; i >= 0; i = link_at(ct, i)->lru_next)
			order[n++] = i;
	qsort_r(order, n, sizeof *order, by_first_frame, ct);
	for (size_t j = 0; j < n; j++) {
		if (j + 1 < n)
			prefetch_at(ct, order[j + 1], false);
		report(ct, whole_at(ct, order[j]), PKL_CONN_AT_END);
	}
	memset(ct->buckets, 0xff, (ct->bucket_mask + 1) * sizeof *ct->buckets);
	for (int list = 0; list < LRU_LISTS; list++)
		ct->lru[list].head = ct->lru[list].tail = -1;
	ct->whole.free_head = ct->lones.free_head = -1;
	ct->whole.fresh = ct->lones.fresh = 0;
	ct->live = 0;
	for (int k = 0; k < NURSERY; k++)
		ct->nursery[k].i = -1;
}

/* ---- states ------------------------------------------------------------- */

/* Sequence comparison modulo 2^32 (RFC 9293 3.4). */
static bool
seq_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static bool
is_closed(const struct pkl_conn *c)
{
	/* Only TCP has states: the other kinds never close, they go idle. */
	if (c->kind != PKL_KIND_TCP)
		return false;
	for (int e = 0; e < 2; e++) {
		enum pkl_tcp_state s = c->tcp[e].state;
		if (s != PKL_TCPS_CLOSED && s != PKL_TCPS_TIME_WAIT && s != PKL_TCPS_UNKNOWN)
			return false;
	}
	return true;
}

/* Which end is the client when the SYN was not seen: the receiver of a
 * SYN+ACK; else the end not on a well-known port (below 1024); else the
 * end on the range systems pick client ports from (32768 and up, Linux's
 * and IANA's dynamic range) when the other is not; else the end that
 * sent first.  *client: 0 the sender of t, 1 its receiver. */
enum role_hint { ROLE_SYN_ACK, ROLE_WELL_KNOWN, ROLE_EPHEMERAL, ROLE_FIRST_SENDER };

static enum role_hint
infer_roles(const struct pkl_tcp *t, int *client)
{
	*client = 0;
	if (t->flags & PKL_TCP_SYN) {
		*client = 1;
		return ROLE_SYN_ACK;
	}
	if ((t->sport < 1024) != (t->dport < 1024)) {
		*client = t->sport < 1024;
		return ROLE_WELL_KNOWN;
	}
	if ((t->sport >= 32768) != (t->dport >= 32768)) {
		*client = t->dport >= 32768;
		return ROLE_EPHEMERAL;
	}
	return ROLE_FIRST_SENDER;
}

/* A fresh entry c for key k, src as end[0], numbered id, first and last
 * seen in frame f. */
static ALWAYS_INLINE void
fill(struct pkl_conn *c, const struct pkl_conn_key *k, uint64_t id, const struct pkl_frame *f)
{
	size_t n = k->family == 4 ? 4 : 16;

	/* The ICMP error references are read only below their count: not
	 * clearing them spares writing a cache line of a cold entry. */
	memset(c, 0, offsetof(struct pkl_conn, icmp_error));
	c->id = id;
	c->kind = k->kind;
	c->family = k->family;
	memcpy(c->end[0].addr, k->src, n);
	memcpy(c->end[1].addr, k->dst, n);
	c->end[0].port = k->sport;
	c->end[1].port = k->dport;
	c->first_frame = c->last_frame = f->number;
	c->first_sec = c->last_sec = f->ts_sec;
	c->first_nsec = c->last_nsec = f->ts_nsec;
}

/* Flags no TCP stack sends on a segment of its own: a scan's probe,
 * the conversation of its own that it opens. */
static enum pkl_scan
scan_of(uint16_t flags)
{
	const uint16_t all = PKL_TCP_FIN | PKL_TCP_SYN | PKL_TCP_RST | PKL_TCP_PSH | PKL_TCP_ACK |
			     PKL_TCP_URG;
	uint16_t f = flags & all;

	if (f == all)
		return PKL_SCAN_ALL;
	if ((f & (PKL_TCP_SYN | PKL_TCP_RST)) == (PKL_TCP_SYN | PKL_TCP_RST))
		return PKL_SCAN_SYN_RST;
	if ((f & (PKL_TCP_SYN | PKL_TCP_FIN)) == (PKL_TCP_SYN | PKL_TCP_FIN))
		return PKL_SCAN_SYN_FIN;
	if (f == 0)
		return PKL_SCAN_NULL;
	if (f == (PKL_TCP_FIN | PKL_TCP_PSH | PKL_TCP_URG))
		return PKL_SCAN_XMAS;
	if (f == PKL_TCP_FIN)
		return PKL_SCAN_FIN;
	return PKL_SCAN_NONE;
}

/* A new connection's entry c as its first segment t finds it: k has
 * the client as src. */
static void
open_tcp(struct pkl_conn *c, const struct pkl_conn_key *k, uint64_t id, const struct pkl_frame *f,
	 const struct pkl_tcp *t)
{
	bool syn_only = (t->flags & (PKL_TCP_SYN | PKL_TCP_ACK)) == PKL_TCP_SYN;

	fill(c, k, id, f);
	c->roles_inferred = !syn_only;
	c->first_closer = -1;
	c->close = PKL_CLOSE_OPEN;
	pkl_tcp_flow_init(&c->tcp[PKL_CLIENT].flow, c->id * 2);
	pkl_tcp_flow_init(&c->tcp[PKL_SERVER].flow, c->id * 2 + 1);
	c->scan = (uint8_t)scan_of(t->flags);
	if (c->scan != PKL_SCAN_NONE) {
		c->roles_inferred = false;   /* the prober is the client */
		/* The prober has no socket; the target's answer, if any, tells. */
		c->tcp[PKL_CLIENT].state = PKL_TCPS_CLOSED;
		c->tcp[PKL_SERVER].state = PKL_TCPS_LISTEN_UNKNOWN;
		c->close = PKL_CLOSE_NEVER_ESTABLISHED;
	} else if (syn_only) {
		/* Whether anything listens shows only in the answer: a
		 * SYN+ACK (LISTEN) or an RST (no socket: CLOSED). */
		c->tcp[PKL_CLIENT].state = PKL_TCPS_CLOSED;
		c->tcp[PKL_SERVER].state = PKL_TCPS_LISTEN_UNKNOWN;
	} else {
		c->tcp[PKL_CLIENT].state = c->tcp[PKL_SERVER].state =
			(t->flags & PKL_TCP_SYN) ? PKL_TCPS_UNKNOWN : PKL_TCPS_ESTABLISHED;
		if (!(t->flags & PKL_TCP_SYN))
			c->established = true;
	}
}

/* The entry of a connection that segment t, with key k, opens; the
 * connection opened NURSERY ones before leaves the nursery, where this
 * one takes its slot (enter_nursery). */
static int32_t
new_conn(struct pkl_conntrack *ct, const struct pkl_conn_key *k, const struct pkl_frame *f,
	 const struct pkl_tcp *t)
{
	/* The sender of a SYN is the client; otherwise inferred. */
	int client = 0;
	if ((t->flags & (PKL_TCP_SYN | PKL_TCP_ACK)) != PKL_TCP_SYN && scan_of(t->flags) == PKL_SCAN_NONE)
		infer_roles(t, &client);
	const struct pkl_conn_key oriented = client == 0 ? *k : (struct pkl_conn_key){
		k->kind, k->family, k->dst, k->src, k->dport, k->sport };

	fold_out_of_nursery(ct, &ct->nursery[ct->nursery_next]);   /* first: it may free an entry */
	make_room(ct, false);
	int32_t i = take_entry(ct, false);
	open_tcp(&ct->pool[i], &oriented, ++ct->next_id[PKL_KIND_TCP], f, t);
	enter(ct, i, &oriented);
	return i;
}

struct pkl_conn *
pkl_conntrack_insert(struct pkl_conntrack *ct, const struct pkl_conn_key *k,
		     const struct pkl_frame *f)
{
	make_room(ct, false);   /* first: it may move the pool */
	int32_t i = take_entry(ct, false);
	struct pkl_conn *c = &ct->pool[i];

	fill(c, k, ++ct->next_id[k->kind], f);
	enter(ct, i, k);
	return c;
}

/* A chain this long is not met by chance: the table has a bucket for
 * every entry it can hold, so that under keys nobody knows a chain's
 * length is about Poisson with mean 1 at most, and one of more than 32
 * entries comes less than once in 10^37 chains (the longest among a
 * million is about 10). */
#define CHAIN_LIMIT 32

/* A lookup walked a chain longer than CHAIN_LIMIT: someone found keys
 * that collide under the table's keys (by timing lookups, say), or that
 * collide under any keys, which end_hash is built to leave nobody.
 * Every entry is hashed again under new keys, which the collisions
 * found do not survive.  At most once per as many entries entered as
 * the table then holds: keys that collided under any keys would
 * otherwise have every lookup rehash the table; so a rehash costs each
 * entry entered a rehash of one entry at most. */
static void
long_chain(struct pkl_conntrack *ct)
{
	if (ct->entered < ct->rekey_after)
		return;
	new_keys(ct);
	chain_entries(ct, true);
	ct->rekeys++;
	ct->rekey_after = ct->entered + ct->live;
}

/* The index of the entry with key k, and which end sent; -1 if none.
 * New keys may be taken (long_chain): indices stay as they are. */
static int32_t
lookup(struct pkl_conntrack *ct, const struct pkl_conn_key *k, int *sender)
{
	uint32_t h = hash_key(ct, k);
	int32_t i = ct->buckets[h & ct->bucket_mask];
	unsigned walked = 0;

	while (i >= 0 && (link_at(ct, i)->hash != h || (*sender = sender_of(ct, i, k)) < 0)) {
		i = link_at(ct, i)->hash_next;
		walked++;
	}
	if (walked > CHAIN_LIMIT)
		long_chain(ct);
	if (i >= 0) {
		/* The entry is read through next, and touch() rewrites its
		 * neighbours' links at the end of the frame. */
		const struct conn_link *l = link_at(ct, i);
		prefetch_at(ct, i, false);
		if (l->lru_prev >= 0)
			__builtin_prefetch(link_at(ct, l->lru_prev));
		if (l->lru_next >= 0)
			__builtin_prefetch(link_at(ct, l->lru_next));
	}
	return i;
}

struct pkl_conn *
pkl_conntrack_find(struct pkl_conntrack *ct, const struct pkl_conn_key *k, int *sender)
{
	int32_t i = lookup(ct, k, sender);

	if (i >= 0 && is_lone(i))
		i = promote(ct, i);
	if (i < 0)
		return NULL;
	if (k->kind == PKL_KIND_TCP)   /* an ICMP error, which a lone entry has no room for */
		out_of_nursery(ct, &ct->pool[i]);
	return &ct->pool[i];
}

void
pkl_conntrack_seen(struct pkl_conntrack *ct, struct pkl_conn *c, const struct pkl_frame *f)
{
	c->last_frame = f->number;
	c->last_sec = f->ts_sec;
	c->last_nsec = f->ts_nsec;
	touch(ct, (int32_t)(c - ct->pool));
}

uint64_t
pkl_conntrack_next_id(struct pkl_conntrack *ct, enum pkl_conn_kind kind)
{
	return ++ct->next_id[kind];
}

void
pkl_conntrack_retire(struct pkl_conntrack *ct, struct pkl_conn *c)
{
	release(ct, (int32_t)(c - ct->pool), PKL_CONN_REUSED);
}

static void
set_step(struct pkl_conn_snapshot *snap, enum pkl_conn_phase phase, unsigned k, unsigned n)
{
	snap->step = (struct pkl_conn_step){ (uint8_t)phase, (uint8_t)k, (uint8_t)n };
}

/* End e's own FIN was acknowledged by a segment of the peer (with_fin:
 * one that carries the peer's FIN too): the transitions RFC 9293 makes
 * on receiving that ACK. */
static void
fin_acked(struct pkl_conn *c, int e, bool with_fin, int64_t now, uint32_t msl)
{
	struct pkl_tcp_end *end = &c->tcp[e];
	const struct pkl_tcp_end *peer = &c->tcp[1 - e];

	end->fin_acked = true;
	switch (end->state) {
	case PKL_TCPS_FIN_WAIT_1:
		if (with_fin)   /* straight to TIME_WAIT as the FIN is taken in */
			break;
		if (peer->fin_sent && !end->received_peer_fin && !end->acked_peer_fin) {
			/* The FINs crossed: the peer's, sent before this ACK, reached
			 * e first (CLOSING); TIME_WAIT once this ACK reaches it. */
			end->state = PKL_TCPS_CLOSING;
			end->time_wait_pending = true;
			c->time_wait_until[e] = plus_seconds(now, 2 * msl);
			break;
		}
		end->state = PKL_TCPS_FIN_WAIT_2;
		break;
	case PKL_TCPS_CLOSING:
		end->state = PKL_TCPS_TIME_WAIT;
		c->time_wait_until[e] = plus_seconds(now, 2 * msl);
		break;
	case PKL_TCPS_LAST_ACK: end->state = PKL_TCPS_CLOSED; break;
	default: break;
	}
}

/* End e takes in the peer's FIN: its transition on receipt. */
static void
acks_peer_fin(struct pkl_conn *c, int e, int64_t now, uint32_t msl)
{
	struct pkl_tcp_end *end = &c->tcp[e];

	switch (end->state) {
	case PKL_TCPS_ESTABLISHED: end->state = PKL_TCPS_CLOSE_WAIT; break;
	case PKL_TCPS_FIN_WAIT_1:
		end->state = end->fin_acked ? PKL_TCPS_TIME_WAIT : PKL_TCPS_CLOSING;
		break;
	case PKL_TCPS_FIN_WAIT_2: end->state = PKL_TCPS_TIME_WAIT; break;
	default: break;
	}
	if (end->state == PKL_TCPS_TIME_WAIT)
		c->time_wait_until[e] = plus_seconds(now, 2 * msl);
}

static void
on_reset(struct pkl_conntrack *ct, struct pkl_conn *c, int s, uint64_t now_ns,
	 struct pkl_findings *found)
{
	struct pkl_tcp_end *snd = &c->tcp[s], *rcv = &c->tcp[1 - s];
	enum pkl_tcp_state was = snd->state;
	bool refused = false;   /* a handshake the reset refused: a probe, for the port-scan count */

	if (rcv->state == PKL_TCPS_SYN_SENT && !c->established) {
		found->reset = PKL_RESET_CLOSED_PORT;
		refused = true;
	} else if (was == PKL_TCPS_SYN_SENT || (s == PKL_CLIENT && !c->established &&
					       rcv->state == PKL_TCPS_SYN_RECEIVED)) {
		found->reset = PKL_RESET_HALF_OPEN;
		refused = true;
	} else if (was == PKL_TCPS_CLOSED || was == PKL_TCPS_TIME_WAIT)
		found->reset = PKL_RESET_AFTER_CLOSE;
	else
		found->reset = PKL_RESET_ABORT;
	if (refused && !ct->unfolding)
		pkl_patterns_probe(ct->patterns, c->family, c->end[PKL_CLIENT].addr,
				   c->end[PKL_SERVER].port, now_ns, found);
	if (c->close == PKL_CLOSE_OPEN)
		c->close = !c->established ? PKL_CLOSE_NEVER_ESTABLISHED
		       : s == PKL_CLIENT ? PKL_CLOSE_RESET_BY_CLIENT : PKL_CLOSE_RESET_BY_SERVER;
	snd->state = PKL_TCPS_CLOSED;
	/* A passive open reset in SYN_RECEIVED goes back to listening
	 * (RFC 9293 3.10.7.4); LISTEN ignores resets (3.10.7.2), and so
	 * does TIME_WAIT (RFC 1337). */
	if (rcv->state == PKL_TCPS_SYN_RECEIVED && 1 - s == PKL_SERVER && !c->simultaneous_open)
		rcv->state = PKL_TCPS_LISTEN;
	else if (rcv->state != PKL_TCPS_TIME_WAIT && rcv->state != PKL_TCPS_LISTEN &&
		 rcv->state != PKL_TCPS_LISTEN_UNKNOWN)   /* an RST tells nothing of a listener */
		rcv->state = PKL_TCPS_CLOSED;
}

/* Relative numbers as Wireshark counts them: from the ISN when the SYN
 * was seen, else so that the first byte seen (from the end itself or
 * acknowledged by the other) is byte 1. */
static void
relative_numbers(struct pkl_tcp_end *snd, struct pkl_tcp_end *rcv, const struct pkl_tcp *t,
		 struct pkl_conn_snapshot *snap)
{
	bool ack = t->flags & PKL_TCP_ACK;

	if (!snd->base_valid || (t->flags & PKL_TCP_SYN)) {
		snd->base_seq = (t->flags & PKL_TCP_SYN) ? t->seq : t->seq - 1;
		snd->base_valid = true;
	}
	if (ack && !rcv->base_valid) {
		rcv->base_seq = t->ack - 1;
		rcv->base_valid = true;
	}
	snap->rel_seq = t->seq - snd->base_seq;
	snap->rel_ack = ack ? t->ack - rcv->base_seq : 0;
}

/* Where the capture was taken, from the handshake's two gaps: the
 * SYN+ACK a round trip after the SYN and the ACK at once is a capture
 * at the client; the other way round, at the server; gaps of the same
 * order (neither four times the other), somewhere between; both too
 * short to tell a path from a host's reaction, unknown. */
static enum pkl_capture_point
capture_point(uint64_t syn_to_synack, uint64_t synack_to_ack)
{
	/* Both under a millisecond: both ends sit at the capture point
	 * (loopback, one link), and the gaps are their reaction times. */
	if (syn_to_synack < 1000000 && synack_to_ack < 1000000)
		return PKL_CAPTURE_UNKNOWN;
	if (synack_to_ack * 4 < syn_to_synack)
		return PKL_CAPTURE_CLIENT;
	if (syn_to_synack * 4 < synack_to_ack)
		return PKL_CAPTURE_SERVER;
	return PKL_CAPTURE_MIDDLE;
}

/* The client's ACK that completes the handshake at capture time now
 * tells where the capture sits, before the ACK itself is analysed (its
 * delay is the client's turnaround at a capture there). */
static void
settle_capture_point(struct pkl_conn *c, int s, const struct pkl_tcp *t, uint64_t now)
{
	const struct pkl_tcp_end *server = &c->tcp[PKL_SERVER];

	if (s != PKL_CLIENT || c->capture_point != PKL_CAPTURE_UNKNOWN || !c->handshake_frames[1] ||
	    (t->flags & (PKL_TCP_SYN | PKL_TCP_ACK)) != PKL_TCP_ACK ||
	    c->tcp[PKL_CLIENT].state != PKL_TCPS_SYN_SENT || t->ack != server->isn + 1)
		return;
	c->capture_point = (uint8_t)capture_point(c->synack_time_ns - c->syn_time_ns,
						  now - c->synack_time_ns);
}

/* What the capture point tells of a segment from end s, at capture time now. */
static struct pkl_tcp_vantage
vantage(const struct pkl_conn *c, int s, uint64_t now)
{
	struct pkl_tcp_vantage vp = { 0, 0, false, false };
	uint64_t ack_time = c->handshake_frames[2] ? c->ack_time_ns : now;

	/* Wireshark's horizon counts from the handshake's end only, wherever
	 * the capture sits: a handshake too quick to place the capture point
	 * (both gaps under a millisecond, as through one router nearby) still
	 * sets it, not the 3 ms Wireshark takes without a handshake. */
	vp.first_rtt_ns = c->handshake_frames[2] ? ack_time - c->syn_time_ns : 0;
	if (c->capture_point == PKL_CAPTURE_UNKNOWN)
		return vp;
	/* The capture point to the sender and back: the client answers the
	 * SYN+ACK, the server the SYN. */
	vp.sender_rtt_ns = s == PKL_CLIENT ? ack_time - c->synack_time_ns
					   : c->synack_time_ns - c->syn_time_ns;
	int at = c->capture_point == PKL_CAPTURE_CLIENT ? PKL_CLIENT
	       : c->capture_point == PKL_CAPTURE_SERVER ? PKL_SERVER : -1;
	vp.at_sender = at == s;
	vp.at_receiver = at == 1 - s;
	return vp;
}

static void
on_segment(struct pkl_conntrack *ct, struct pkl_conn *c, int s, const struct pkl_frame *f,
	   const struct pkl_tcp *t, struct pkl_conn_snapshot *snap, struct pkl_findings *found)
{
	struct pkl_tcp_end *snd = &c->tcp[s], *rcv = &c->tcp[1 - s];
	uint16_t fl = t->flags;
	bool syn = fl & PKL_TCP_SYN, ack = fl & PKL_TCP_ACK, fin = fl & PKL_TCP_FIN;
	uint32_t msl = ct->opts.msl;

	/* The ACK of its FIN seen on its way (crossing FINs) has reached it:
	 * it sends from TIME_WAIT. */
	if (snd->time_wait_pending) {
		snd->time_wait_pending = false;
		snd->state = PKL_TCPS_TIME_WAIT;
	}
	enum pkl_tcp_state start = snd->state;

	c->end[s].frames++;
	c->end[s].bytes += t->payload_len;
	relative_numbers(snd, rcv, t, snap);
	if (syn && t->has_mss)
		snd->mss = t->mss;
	settle_capture_point(c, s, t, pkl_frame_ns(f));
	const struct pkl_tcp_vantage vp = vantage(c, s, pkl_frame_ns(f));
	pkl_tcp_analyse(ct->opts.time_acks && !ct->unfolding ? &ct->pending : NULL, &snd->flow,
			&rcv->flow, t, snap->rel_seq, ack ? snap->rel_ack : t->ack, f->number,
			pkl_frame_ns(f), &vp, &snap->analysis);
	/* A SYN with another ISN starts afresh: no copy of the first. */
	if (syn && snd->syn_seen && snd->isn != t->seq)
		snap->analysis.own = PKL_TV_NONE;

	if (c->scan != PKL_SCAN_NONE && s == PKL_CLIENT) {
		found->scan = c->scan;   /* its probe, or another like it: no state changes */
		return;
	}
	if (fl & PKL_TCP_RST) {
		on_reset(ct, c, s, pkl_frame_ns(f), found);
		return;
	}
	if (syn && !ack) {
		if (snd->syn_seen && snd->isn == t->seq) {
			found->opening = PKL_OPENING_SYN_RETRY;
			found->syn_attempt = ++snd->syns;
			/* An answer went by here: "no answer" would be false. */
			found->syn_answer_frame = c->handshake_frames[1];
		} else if (s == PKL_SERVER && c->tcp[PKL_CLIENT].syn_seen) {
			c->simultaneous_open = true;
			found->opening = PKL_OPENING_SIMULTANEOUS;
		} else {
			c->handshake_frames[0] = f->number;
			c->syn_time_ns = pkl_frame_ns(f);
			snd->syns = 1;
			set_step(snap, PKL_PHASE_HANDSHAKE, 1, 3);
			found->opening = PKL_OPENING_HANDSHAKE_1;
			if (!c->half_open && !ct->unfolding)
				pkl_patterns_half_open(ct->patterns, c->family, c->end[1 - s].addr,
						       c->end[1 - s].port, c->end[s].addr, pkl_frame_ns(f),
						       found);
			c->half_open = true;
		}
		snd->syn_seen = true;
		snd->isn = t->seq;
		snd->state = PKL_TCPS_SYN_SENT;
	} else if (syn && ack) {
		if (!snd->syn_seen) {
			c->handshake_frames[1] = f->number;
			c->synack_time_ns = pkl_frame_ns(f);
			set_step(snap, PKL_PHASE_HANDSHAKE, 2, 3);
			found->opening = PKL_OPENING_HANDSHAKE_2;
		}
		snd->syn_seen = true;
		snd->isn = t->seq;
		/* From SYN_SENT, a simultaneous open: when the peer's SYN+ACK
		 * already acknowledged its SYN, that SYN+ACK (crossing this one)
		 * takes it on to ESTABLISHED (RFC 9293 3.10.7.4). */
		snd->state = start == PKL_TCPS_SYN_SENT && snd->syn_acked ? PKL_TCPS_ESTABLISHED
									 : PKL_TCPS_SYN_RECEIVED;
	}

	bool first_ack_of_fin = false;
	if (ack) {
		if (rcv->syn_seen && seq_after(t->ack, rcv->isn))
			rcv->syn_acked = true;
		/* The sender saw the peer's SYN: its own handshake is done. */
		if (rcv->syn_seen && snd->state == PKL_TCPS_SYN_SENT && t->ack == rcv->isn + 1) {
			snd->state = PKL_TCPS_ESTABLISHED;
			if (!syn && !c->handshake_frames[2] && c->handshake_frames[1]) {
				c->handshake_frames[2] = f->number;
				c->ack_time_ns = pkl_frame_ns(f);
				c->established = true;
				set_step(snap, PKL_PHASE_HANDSHAKE, 3, 3);
				found->opening = PKL_OPENING_HANDSHAKE_3;
				found->handshake_us[0] =
					(uint32_t)((c->ack_time_ns - c->syn_time_ns) / 1000);
				found->handshake_us[1] =
					(uint32_t)((c->synack_time_ns - c->syn_time_ns) / 1000);
				found->handshake_us[2] =
					(uint32_t)((c->ack_time_ns - c->synack_time_ns) / 1000);
				found->capture_point = c->capture_point;
			}
		}
		/* The receiver's SYN or FIN is acknowledged: its transitions. */
		if (rcv->state == PKL_TCPS_SYN_RECEIVED && t->ack == rcv->isn + 1) {
			rcv->state = PKL_TCPS_ESTABLISHED;
			c->established = true;
		}
		bool acks_fin = rcv->fin_sent && seq_after(t->ack, rcv->fin_seq);
		if (acks_fin && !rcv->fin_acked)
			fin_acked(c, 1 - s, fin, f->ts_sec, msl);
		if (acks_fin && !snd->acked_peer_fin) {
			snd->acked_peer_fin = true;
			first_ack_of_fin = true;
			/* Its receipt shows now, unless it showed as it arrived. */
			if (!snd->received_peer_fin)
				acks_peer_fin(c, s, f->ts_sec, msl);
			if (!snd->fin_sent && !fin) {
				c->teardown_total = 4;
				set_step(snap, PKL_PHASE_TEARDOWN, 2, 4);
				found->closing = PKL_CLOSING_ACK;
			} else if (snd->fin_sent && snd->state == PKL_TCPS_TIME_WAIT &&
				   c->close != PKL_CLOSE_SIMULTANEOUS) {
				unsigned n = c->teardown_total ? c->teardown_total : 4;
				set_step(snap, PKL_PHASE_TEARDOWN, n, n);
				found->closing = PKL_CLOSING_LAST;
				found->time_wait_s = 2 * msl;
			}
		}
	}

	if (fin && !snd->fin_sent) {
		snd->fin_sent = true;
		snd->fin_seq = t->seq + t->payload_len;
		c->fin_frames[s] = f->number;
		if (c->first_closer < 0) {
			c->first_closer = s;
			snd->state = PKL_TCPS_FIN_WAIT_1;
			set_step(snap, PKL_PHASE_TEARDOWN, 1, 4);
			found->closing = PKL_CLOSING_ACTIVE;
		} else if (rcv->fin_sent && !rcv->fin_acked && !(ack && seq_after(t->ack, rcv->fin_seq))) {
			/* FINs crossed: neither acknowledged the other's yet. */
			snd->state = PKL_TCPS_FIN_WAIT_1;
			c->close = PKL_CLOSE_SIMULTANEOUS;
			found->closing = PKL_CLOSING_SIMULTANEOUS;
		} else {
			snd->state = PKL_TCPS_LAST_ACK;
			if (first_ack_of_fin) {   /* the ACK of the FIN and its own in one */
				c->teardown_total = 3;
				set_step(snap, PKL_PHASE_TEARDOWN, 2, 3);
				found->closing = PKL_CLOSING_FIN_ACK;
			} else {
				set_step(snap, PKL_PHASE_TEARDOWN, 3, 4);
				found->closing = PKL_CLOSING_PASSIVE;
			}
		}
		if (c->close == PKL_CLOSE_OPEN)
			c->close = s == PKL_CLIENT ? PKL_CLOSE_CLIENT_FIRST : PKL_CLOSE_SERVER_FIRST;
	}
	/* At a capture on the receiver's host, the FIN is taken in as it
	 * arrives, not when the receiver answers. */
	if (fin && vp.at_receiver && !rcv->received_peer_fin && !rcv->acked_peer_fin) {
		rcv->received_peer_fin = true;
		acks_peer_fin(c, 1 - s, f->ts_sec, msl);
	}
}

/* Where the byte stream shows through: small writes Nagle's algorithm
 * held back and sent together, writes cut at the MSS, segments larger
 * than the MSS.
 *
 * Nagle's algorithm (RFC 896; RFC 9293 3.7.4) holds small writes back
 * while a small segment of the sender's is unacknowledged and sends
 * what it holds when the ACK comes.  Said only on its evidence: a small
 * data segment was outstanding, a pure ACK covered all the sender had
 * sent (data from the peer would rather show its application answering,
 * and the next segment answering that), and the next data segment
 * followed that ACK within a millisecond holding more than one write
 * could be: more than any small segment the sender sent with nothing in
 * flight (each of those went out at its write, whole), or, with none
 * seen, than the small segment held back.  One write held back and
 * released alone is not "sent together". */
#define NAGLE_REACTION_NS 1000000u

static void
message_boundaries(struct pkl_conn *c, int s, const struct pkl_frame *f, const struct pkl_tcp *t,
		   const struct pkl_tcp_verdict *v, struct pkl_findings *found)
{
	struct pkl_tcp_end *snd = &c->tcp[s], *rcv = &c->tcp[1 - s];
	uint32_t len = t->payload_len;
	uint32_t peer_mss = rcv->mss ? rcv->mss : 536;   /* RFC 9293's default */
	uint32_t options = t->doff * 4u > 20 ? t->doff * 4u - 20 : 0;
	uint64_t now = pkl_frame_ns(f);

	if ((t->flags & PKL_TCP_ACK) && rcv->flow.una == rcv->flow.nextseq) {
		/* This ACK covered everything the peer had sent: a pure one
		 * after a small segment may release what Nagle held. */
		if (len == 0 && rcv->small_len) {
			rcv->drained_frame = f->number;
			rcv->drained_ns = now;
			rcv->drained_len = rcv->small_len;
		}
		rcv->small_len = 0;
		rcv->data_in_flight = false;
	}
	if (len)
		rcv->drained_frame = 0;   /* the peer now answers data, not an ACK */
	if (len == 0 || (t->flags & (PKL_TCP_SYN | PKL_TCP_RST)) ||
	    (v->flags & (PKL_TA_RETRANSMISSION | PKL_TA_KEEP_ALIVE | PKL_TA_ZERO_WINDOW_PROBE)))
		return;
	bool full = len + options == peer_mss, oversize = len + options > peer_mss;
	uint32_t one_write = snd->write_max ? snd->write_max : snd->drained_len;
	bool coalesced = snd->drained_frame && now - snd->drained_ns <= NAGLE_REACTION_NS &&
			 !full && !oversize && len > one_write;
	if (coalesced) {
		if (!c->coalesced++)
			c->first_coalesced = f->number;
		found->boundary = PKL_BOUNDARY_COALESCED;
		found->segment_bytes = len;
		found->segment_ack_frame = snd->drained_frame;
	} else if (!snd->data_in_flight && !full && !oversize && len > snd->write_max) {
		snd->write_max = (uint16_t)len;
	}
	if (full && !snd->last_full) {
		found->boundary = PKL_BOUNDARY_FULL;
		found->segment_bytes = len + options;
		found->segment_mss = peer_mss;
	}
	if (oversize && !snd->last_oversize && rcv->mss) {
		found->boundary = PKL_BOUNDARY_OVERSIZE;
		found->segment_bytes = len;
		found->segment_mss = peer_mss;
	}
	snd->drained_frame = 0;
	snd->small_len = full || oversize ? 0 : (uint16_t)len;
	snd->data_in_flight = true;
	snd->last_full = full;
	snd->last_oversize = oversize;
}

/* A TTL that changes mid-connection: another route, or a forged packet. */
static void
watch_ttl(struct pkl_conn *c, int s, uint8_t ttl, struct pkl_findings *found)
{
	struct pkl_tcp_end *snd = &c->tcp[s];

	if (c->end[s].frames > 1 && ttl != snd->ttl) {
		c->ttl_changes++;
		found->ttl_changed = true;
		found->ttl_was = snd->ttl;
		found->ttl_now = ttl;
	}
	snd->ttl = ttl;
}

/* The sequence analysis's findings, counted for the connection's
 * record: what a segment repeats, fills or probes by pktlens's verdict,
 * duplicate ACKs and zero windows as Wireshark finds them. */
static void
count_analysis(struct pkl_conn *c, const struct pkl_tcp_verdict *v)
{
	switch (v->own) {
	case PKL_TV_RETRANSMISSION:
	case PKL_TV_FAST_RETRANSMISSION:
	case PKL_TV_SPURIOUS_RETRANSMISSION:
	case PKL_TV_PMTU_RETRANSMISSION:
	case PKL_TV_LOST_UPSTREAM:
		c->retransmissions++;
		break;
	case PKL_TV_OUT_OF_ORDER: c->out_of_order++; break;
	case PKL_TV_ZERO_WINDOW_PROBE: c->zero_window_probes++; break;
	case PKL_TV_KEEP_ALIVE: c->keep_alives++; break;
	default: break;
	}
	if (v->flags & PKL_TA_DUPLICATE_ACK)
		c->dup_acks++;
	if (v->flags & PKL_TA_ZERO_WINDOW)
		c->zero_windows++;
}

/* The segment t from end s of connection c, in frame f: its states,
 * analysis, message boundaries and TTL, described in snap and found. */
static void
follow_segment(struct pkl_conntrack *ct, struct pkl_conn *c, int s, const struct pkl_frame *f,
	       const struct pkl_tcp *t, uint8_t ttl, struct pkl_conn_snapshot *snap,
	       struct pkl_findings *found)
{
	on_segment(ct, c, s, f, t, snap, found);
	count_analysis(c, &snap->analysis);
	if (c->established || (t->flags & PKL_TCP_RST))
		leave_half_open(ct, c);
	message_boundaries(c, s, f, t, &snap->analysis, found);
	watch_ttl(c, s, ttl, found);
	c->last_frame = f->number;
	c->last_sec = f->ts_sec;
	c->last_nsec = f->ts_nsec;
}

/* Connection c, which segment t from end s in frame f opened, kept as
 * lone entry e. */
static void
fold(struct conn_lone *e, const struct pkl_conn *c, int s, const struct pkl_frame *f,
     const struct pkl_tcp *t, uint8_t ttl)
{
	memcpy(e->addr[0], c->end[0].addr, sizeof e->addr[0]);
	memcpy(e->addr[1], c->end[1].addr, sizeof e->addr[1]);
	e->port[0] = c->end[0].port;
	e->port[1] = c->end[1].port;
	e->family = c->family;
	e->sender = (uint8_t)s;
	e->ttl = ttl;
	e->id = c->id;
	e->frame = f->number;
	e->sec = f->ts_sec;
	e->nsec = f->ts_nsec;
	e->seq = t->seq;
	e->ack = t->ack;
	e->payload_len = t->payload_len;
	e->window = t->window;
	e->flags = t->flags;
	e->mss = t->has_mss ? t->mss : 0;
	e->doff = t->doff;
	/* Larger shifts are read as 14 (RFC 7323 2.3). */
	e->wscale = !t->has_wscale ? NO_WSCALE : t->wscale > 14 ? 14 : t->wscale;
}

/* Connection i (c), just opened by segment t from end s in frame f,
 * into the nursery slot new_conn emptied. */
static void
enter_nursery(struct pkl_conntrack *ct, int32_t i, struct pkl_conn *c, int s,
	      const struct pkl_frame *f, const struct pkl_tcp *t, uint8_t ttl)
{
	struct nursery_slot *n = &ct->nursery[ct->nursery_next];

	if (!t->n_sack) {   /* a lone entry has no room for SACK blocks: it stays whole */
		fold(&n->lone, c, s, f, t, ttl);
		n->i = i;
		c->nursery = (uint16_t)(ct->nursery_next + 1);
	}
	ct->nursery_next = (ct->nursery_next + 1) % NURSERY;
}

/* Lone entry e as the whole entry c it stands for: its segment followed
 * again, as when it opened the connection. */
static void
unfold(struct pkl_conntrack *ct, const struct conn_lone *e, struct pkl_conn *c)
{
	const struct pkl_frame f = { .number = e->frame, .ts_sec = e->sec, .ts_nsec = e->nsec };
	const struct pkl_tcp t = {
		.sport = e->port[e->sender], .dport = e->port[1 - e->sender],
		.seq = e->seq, .ack = e->ack, .doff = e->doff, .flags = e->flags,
		.window = e->window, .payload_len = e->payload_len,
		.has_mss = e->mss != 0, .mss = e->mss,
		.has_wscale = e->wscale != NO_WSCALE, .wscale = e->wscale,
	};
	const struct pkl_conn_key k = { PKL_KIND_TCP, e->family, e->addr[0], e->addr[1],
					e->port[0], e->port[1] };
	/* What is said of it was said when it was seen. */
	struct pkl_conn_snapshot unsaid;
	struct pkl_findings unfound;

	open_tcp(c, &k, e->id, &f, &t);
	ct->unfolding = true;
	follow_segment(ct, c, e->sender, &f, &t, e->ttl, &unsaid, &unfound);
	ct->unfolding = false;
	c->lru_list = e->lru_list;
}

/* Whether a SYN from end s starts a new conversation on the 4-tuple of
 * c: c was closed and this is not its own SYN again, or c's attempt was
 * reset (a new attempt, even with the same ISN: a half-open probe
 * repeated, whose SYN+ACK will carry a new ISN). */
static bool
attempt_over(const struct pkl_conn *c, int s, const struct pkl_tcp *t)
{
	bool reset = c->close == PKL_CLOSE_NEVER_ESTABLISHED || c->close == PKL_CLOSE_RESET_BY_CLIENT ||
		     c->close == PKL_CLOSE_RESET_BY_SERVER;

	if (reset && c->tcp[s].state == PKL_TCPS_CLOSED)
		return true;
	return is_closed(c) && !(c->tcp[s].syn_seen && c->tcp[s].isn == t->seq);
}

/* A TCP segment (tl, over net): its connection. */
static void
tcp_frame(struct pkl_conntrack *ct, const struct pkl_packet *pkt, const struct pkl_layer *net,
	  const struct pkl_layer *tl, struct pkl_conn_snapshot *snap, struct pkl_findings *found)
{
	const struct pkl_tcp *t = &tl->hdr.tcp;
	struct pkl_conn_key k = { .kind = PKL_KIND_TCP, .sport = t->sport, .dport = t->dport };
	pkl_conn_key_addresses(&k, net, false);

	const struct pkl_frame *f = pkt->frame;
	uint8_t ttl = net->proto == PKL_PROTO_IPV4 ? net->hdr.ipv4.ttl : net->hdr.ipv6.hlim;
	int s = -1;
	int32_t i = lookup(ct, &k, &s);

	if (i >= 0 && is_lone(i))
		i = promote(ct, i);
	bool new_syn = (t->flags & (PKL_TCP_SYN | PKL_TCP_ACK | PKL_TCP_RST)) == PKL_TCP_SYN;
	if (i >= 0 && new_syn && attempt_over(&ct->pool[i], s, t)) {
		found->reused = true;
		found->reused_id = ct->pool[i].id;
		release(ct, i, PKL_CONN_REUSED);
		i = -1;
	}
	bool opened = i < 0;
	if (opened) {
		i = new_conn(ct, &k, f, t);
		s = sender_of(ct, i, &k);
		const struct pkl_conn *c = &ct->pool[i];
		if (c->roles_inferred && c->established) {
			static const enum pkl_roles_by by[] = {
				[ROLE_WELL_KNOWN] = PKL_ROLES_WELL_KNOWN_PORT,
				[ROLE_EPHEMERAL] = PKL_ROLES_EPHEMERAL_PORT,
				[ROLE_FIRST_SENDER] = PKL_ROLES_FIRST_SENDER,
			};
			int client;
			found->roles = (uint8_t)by[infer_roles(t, &client)];
			found->server_port = c->end[PKL_SERVER].port;
			found->client_port = c->end[PKL_CLIENT].port;
		}
	}

	struct pkl_conn *c = &ct->pool[i];
	if (!opened)   /* its second segment, or a later one: it stays whole */
		out_of_nursery(ct, c);
	snap->valid = true;
	snap->id = c->id;
	snap->sender = s;
	snap->step = (struct pkl_conn_step){ PKL_PHASE_NONE, 0, 0 };
	snap->before[0] = c->tcp[0].state;
	snap->before[1] = c->tcp[1].state;
	follow_segment(ct, c, s, f, t, ttl, snap, found);
	snap->after[0] = c->tcp[0].state;
	snap->after[1] = c->tcp[1].state;
	touch(ct, i);
	if (opened)
		enter_nursery(ct, i, c, s, f, t, ttl);
}

void
pkl_conn_key_addresses(struct pkl_conn_key *k, const struct pkl_layer *net, bool swap)
{
	const uint8_t *src, *dst;

	if (net->proto == PKL_PROTO_IPV4) {
		k->family = 4;
		src = net->hdr.ipv4.src;
		dst = net->hdr.ipv4.dst;
	} else {
		k->family = 6;
		src = net->hdr.ipv6.src;
		dst = net->hdr.ipv6.dst;
	}
	k->src = swap ? dst : src;
	k->dst = swap ? src : dst;
}

/* A frame belongs to the conversation of its first transport layer
 * (what an ICMP error quotes comes after it), over the network layer
 * just before (NULL for ARP).  NULL for a frame of no conversation. */
static const struct pkl_layer *
conversation_layer(const struct pkl_packet *pkt, const struct pkl_layer **net)
{
	*net = NULL;
	for (unsigned i = 0; i < pkt->n_layers; i++) {
		const struct pkl_layer *l = &pkt->layers[i];
		switch (l->proto) {
		case PKL_PROTO_IPV4:
		case PKL_PROTO_IPV6:
			*net = l;
			break;
		case PKL_PROTO_TCP:
		case PKL_PROTO_ARP:
		case PKL_PROTO_UDP:
		case PKL_PROTO_ICMP:
		case PKL_PROTO_ICMPV6:
			return l;
		default:
			break;
		}
	}
	return NULL;
}

void
pkl_conntrack_frame(struct pkl_conntrack *ct, const struct pkl_packet *pkt,
		    struct pkl_conn_snapshot *conn, struct pkl_findings *found)
{
	const struct pkl_layer *net, *l = conversation_layer(pkt, &net);

	conn->valid = false;
	pkl_findings_reset(found);
	expire(ct, pkt->frame->ts_sec);
	if (!l)
		return;
	found->layer = pkl_layer_index(pkt, l);
	if (l->proto != PKL_PROTO_TCP)
		pkl_exchange_frame(ct, pkt, net, l, found);
	else if (net && pkl_tcp_length_known(l))
		tcp_frame(ct, pkt, net, l, conn, found);
}
