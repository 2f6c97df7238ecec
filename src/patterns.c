/* Patterns across connections: SYN floods and port scans. */
#include "patterns.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

#define SLOTS 1024u                       /* per table; a power of two */
#define FLOOD_HALF_OPEN 64u               /* half-open handshakes at once ... */
#define FLOOD_SOURCES 16                  /* ... from at least this many sources */
#define SCAN_PROBES 16u                   /* refused or cut-off attempts ... */
#define SCAN_PORTS 8                      /* ... to at least this many ports ... */
#define SCAN_WINDOW_NS 60000000000ull     /* ... within a minute */
#define IDLE_NS 10000000000ull            /* a slot idle this long may be taken over */

/* Hashed and compared as bytes, so every byte is a field: no padding
 * whose content could make two equal keys differ. */
struct endpoint_key {
	uint8_t family;
	uint8_t addr[16];
	uint8_t zero;                     /* always 0: where padding would be */
	uint16_t port;                    /* 0 for a host */
};
#define KEY_FIELD(m) sizeof(((struct endpoint_key *)0)->m)
_Static_assert(sizeof(struct endpoint_key) ==
	       KEY_FIELD(family) + KEY_FIELD(addr) + KEY_FIELD(zero) + KEY_FIELD(port),
	       "struct endpoint_key has padding");

/* Distinct values are estimated with a 64-bit map of their hashes: the
 * thresholds are far below 64, where the estimate is close. */
struct slot {
	struct endpoint_key key;
	bool used;
	uint32_t count;
	uint32_t report_at;               /* found at the threshold, then at each doubling */
	uint64_t distinct;
	uint64_t first_ns, last_ns;
};

struct pkl_patterns {
	/* Where a key's slot is: keyed, so that a sender cannot choose
	 * addresses that take the slot of the server it floods. */
	struct pkl_hash_key key;
	struct slot flood[SLOTS];         /* by server address and port */
	struct slot scan[SLOTS];          /* by probing host */
};

struct pkl_patterns *
pkl_patterns_new(void)
{
	struct pkl_patterns *p = calloc(1, sizeof *p);

	if (p)
		pkl_hash_key_new(&p->key);
	return p;
}

void
pkl_patterns_free(struct pkl_patterns *p)
{
	free(p);
}

static struct endpoint_key
key_of(uint8_t family, const uint8_t *addr, uint16_t port)
{
	struct endpoint_key k;

	memset(&k, 0, sizeof k);
	k.family = family;
	memcpy(k.addr, addr, family == 4 ? 4 : 16);
	k.port = port;
	return k;
}

/* The distinct-value maps use a fixed hash: a keyed one would let the
 * estimate, and so whether a pattern is found, differ from run to run. */
static uint64_t
hash_bytes(const void *data, size_t n)
{
	const uint8_t *b = data;
	uint64_t h = 0xcbf29ce484222325u;   /* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3u;
	return h;
}

static int
popcount64(uint64_t v)
{
	return __builtin_popcountll(v);
}

/* The slot for key, fresh if it held another key that went quiet (or,
 * for windowed counts, whose window has passed); NULL when another
 * active key holds it. */
static struct slot *
slot_of(const struct pkl_patterns *p, struct slot *table, const struct endpoint_key *k)
{
	return &table[pkl_hash(&p->key, k, sizeof *k) & (SLOTS - 1)];
}

static struct slot *
slot_for(const struct pkl_patterns *p, struct slot *table, const struct endpoint_key *k,
	 uint64_t now_ns, uint64_t window_ns)
{
	struct slot *s = slot_of(p, table, k);
	bool mine = s->used && memcmp(&s->key, k, sizeof *k) == 0;

	if (mine && (!window_ns || now_ns - s->first_ns <= window_ns))
		return s;
	if (s->used && !mine && now_ns - s->last_ns < IDLE_NS && s->count)
		return NULL;
	memset(s, 0, sizeof *s);
	s->key = *k;
	s->used = true;
	s->first_ns = now_ns;
	return s;
}

void
pkl_patterns_half_open(struct pkl_patterns *p, uint8_t family, const uint8_t *server,
		       uint16_t port, const uint8_t *client, uint64_t now_ns,
		       struct pkl_findings *found)
{
	struct endpoint_key k = key_of(family, server, port);
	struct slot *s = slot_for(p, p->flood, &k, now_ns, 0);

	if (!s)
		return;
	s->count++;
	s->last_ns = now_ns;
	s->distinct |= 1ull << (hash_bytes(client, family == 4 ? 4 : 16) & 63);
	if (!s->report_at)
		s->report_at = FLOOD_HALF_OPEN;
	if (s->count >= s->report_at && popcount64(s->distinct) >= FLOOD_SOURCES) {
		found->syn_flood = true;
		found->flood_half_open = s->count;
		found->flood_port = port;
		s->report_at *= 2;
	}
}

void
pkl_patterns_half_open_done(struct pkl_patterns *p, uint8_t family, const uint8_t *server,
			    uint16_t port)
{
	struct endpoint_key k = key_of(family, server, port);
	struct slot *s = slot_of(p, p->flood, &k);

	if (s->used && memcmp(&s->key, &k, sizeof k) == 0 && s->count)
		s->count--;
}

void
pkl_patterns_probe(struct pkl_patterns *p, uint8_t family, const uint8_t *prober,
		   uint16_t port, uint64_t now_ns, struct pkl_findings *found)
{
	struct endpoint_key k = key_of(family, prober, 0);
	struct slot *s = slot_for(p, p->scan, &k, now_ns, SCAN_WINDOW_NS);

	if (!s)
		return;
	s->count++;
	s->last_ns = now_ns;
	s->distinct |= 1ull << (hash_bytes(&port, sizeof port) & 63);
	if (!s->report_at)
		s->report_at = SCAN_PROBES;
	if (s->count >= s->report_at && popcount64(s->distinct) >= SCAN_PORTS) {
		found->port_scan = true;
		found->scan_probes = s->count;
		found->scan_seconds = (uint32_t)((now_ns - s->first_ns) / 1000000000u) + 1;
		s->report_at *= 2;
	}
}
