/* Keyed hashing for the tables that other people's packets fill (the
 * talkers of stats, the SYN-flood and port-scan slots, the connection
 * table).  With an unkeyed hash a sender can choose addresses and ports
 * that all land in one place and turn every lookup into a walk; with
 * SipHash-1-3, or multiplications of words XORed with secret ones, under
 * keys drawn from getrandom for each table, it cannot know where
 * anything lands. */
#ifndef PKL_HASH_H
#define PKL_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct pkl_hash_key {
	uint64_t k0, k1;
};

/* A fresh random key (getrandom; if the kernel has none to give, a mix
 * of the clock and the process id, which still differs from run to run). */
void pkl_hash_key_new(struct pkl_hash_key *key);

/* ---- SipHash-1-3 ---------------------------------------------------------
 * One compression round per 8-byte word and three at the end, as CPython
 * and Rust's HashMap use it for tables.  Inline, so that a constant
 * length (a slot's key) leaves no loop and no call. */

struct pkl_sip {
	uint64_t v0, v1, v2, v3;
};

static inline uint64_t
pkl_sip_rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

static inline void
pkl_sip_round(struct pkl_sip *s)
{
	s->v0 += s->v1;
	s->v1 = pkl_sip_rotl(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = pkl_sip_rotl(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = pkl_sip_rotl(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = pkl_sip_rotl(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = pkl_sip_rotl(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = pkl_sip_rotl(s->v2, 32);
}

/* n (at most 8) bytes as a little-endian word. */
static inline uint64_t
pkl_sip_le64(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, p, n);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);   /* p[0] was loaded as the top byte */
#endif
	return v;
}

static inline uint64_t
pkl_hash(const struct pkl_hash_key *key, const void *data, size_t len)
{
	const uint8_t *p = data;
	struct pkl_sip s = {
		key->k0 ^ 0x736f6d6570736575u, key->k1 ^ 0x646f72616e646f6du,
		key->k0 ^ 0x6c7967656e657261u, key->k1 ^ 0x7465646279746573u,
	};
	size_t whole = len & ~(size_t)7;

	for (size_t i = 0; i < whole; i += 8) {
		uint64_t m = pkl_sip_le64(p + i, 8);
		s.v3 ^= m;
		pkl_sip_round(&s);
		s.v0 ^= m;
	}
	/* The last 0-7 bytes, with the length in the top byte. */
	uint64_t last = (uint64_t)len << 56 | pkl_sip_le64(p + whole, len & 7);
	s.v3 ^= last;
	pkl_sip_round(&s);
	s.v0 ^= last;
	s.v2 ^= 0xff;
	pkl_sip_round(&s);
	pkl_sip_round(&s);
	pkl_sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

/* ---- folded multiplication -----------------------------------------------
 * The 128-bit product of two words, its halves XORed: one multiplication
 * that mixes every bit of both words into every bit of the result, as
 * foldhash, wyhash and Go's runtime hash build on it.  With each word
 * XORed with a secret one first, what a change of input does to the
 * result depends on the secrets: a multiplication by a known constant
 * carries a change only upwards, so that changes confined to the top
 * bits of words stay in the top bits of the hash whatever the seed (the
 * connection table's seeded multiplicative hash had such families).
 * One product spreads the low bits of structured inputs (the addresses
 * of a network) unevenly under some keys: a second one over the first's
 * result spreads them as SipHash does.  For the tables that hash on
 * every frame: SipHash cost the connection table 3% of read -q's
 * instructions, and stats 13% (two a frame), where this costs nothing. */
static inline uint64_t
pkl_fold_mul(uint64_t a, uint64_t b)
{
	__extension__ unsigned __int128 p = (unsigned __int128)a * b;

	return (uint64_t)p ^ (uint64_t)(p >> 64);
}

#endif
