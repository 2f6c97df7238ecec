#include "hash.h"

#include <sys/random.h>
#include <time.h>
#include <unistd.h>

void
pkl_hash_key_new(struct pkl_hash_key *key)
{
	if (getrandom(key, sizeof *key, GRND_NONBLOCK) == (ssize_t)sizeof *key)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	key->k0 = ((uint64_t)ts.tv_sec << 32 ^ (uint64_t)ts.tv_nsec) * 0x9e3779b97f4a7c15u;
	key->k1 = ((uint64_t)getpid() << 17 ^ (uint64_t)(uintptr_t)key) * 0xc2b2ae3d27d4eb4fu;
}
