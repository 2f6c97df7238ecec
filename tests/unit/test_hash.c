/* SipHash-1-3 against vectors of an independent implementation (Rust's
 * std DefaultHasher, SipHash-1-3 under the key 0, 0, fed the bytes
 * 0, 1, 2, ... directly), keys that change every value, and the folded
 * multiplication against Python's integers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/hash.h"

static void
matches_the_reference(void **state)
{
	static const struct {
		size_t len;
		uint64_t want;
	} v[] = {
		{ 0, 0xd1fba762150c532cu }, { 1, 0x68a914128e01e473u }, { 7, 0x2f098ab0c751325au },
		{ 8, 0xead411e67ebe2eeau }, { 9, 0x75927f9d95124362u }, { 15, 0xf30eb725bb91c9eau },
		{ 16, 0x8972188433a5c5b7u }, { 36, 0xac77921fcc642bd3u },
	};
	const struct pkl_hash_key zero = { 0, 0 };
	uint8_t data[64];

	(void)state;
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		assert_int_equal(pkl_hash(&zero, data, v[i].len), v[i].want);
}

static void
fresh_keys_differ(void **state)
{
	struct pkl_hash_key a, b;
	const uint8_t addr[4] = { 10, 0, 0, 1 };

	(void)state;
	pkl_hash_key_new(&a);
	pkl_hash_key_new(&b);
	assert_false(a.k0 == b.k0 && a.k1 == b.k1);
	assert_int_not_equal(pkl_hash(&a, addr, sizeof addr), pkl_hash(&b, addr, sizeof addr));
}

static void
folded_multiplication(void **state)
{
	(void)state;
	/* (a * b) & (2^64 - 1) ^ (a * b) >> 64, in Python. */
	assert_int_equal(pkl_fold_mul(0x0123456789abcdefu, 0xfedcba9876543210u),
			 0x2317228f48165bb2u);
	assert_int_equal(pkl_fold_mul(0x9e3779b97f4a7c15u, 0xc2b2ae3d27d4eb4fu),
			 0x8dd9092e2a448508u);
	assert_int_equal(pkl_fold_mul(UINT64_MAX, UINT64_MAX), UINT64_MAX);
	assert_int_equal(pkl_fold_mul(1u << 31, 1u << 31), 1ull << 62);
	assert_int_equal(pkl_fold_mul(1ull << 63, 2), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matches_the_reference),
		cmocka_unit_test(fresh_keys_differ),
		cmocka_unit_test(folded_multiplication),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
