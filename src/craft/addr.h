/* IP addresses in the crafting layer: one type for IPv4 and IPv6, the
 * text forms a user types and reads, and the prefix arithmetic of the
 * routing decision (network = address AND mask). */
#ifndef PKL_CRAFT_ADDR_H
#define PKL_CRAFT_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pkl_addr {
	int family;                 /* 4 or 6, as src/out.h's endpoints */
	union {
		uint8_t v4[4];
		uint8_t v6[16];
	};
};

/* Longest text form, with its NUL: an IPv6 address in dotted-quad tail
 * form (INET6_ADDRSTRLEN). */
#define PKL_ADDR_TEXT 46
/* The same with "/128" after it. */
#define PKL_PREFIX_TEXT (PKL_ADDR_TEXT + 4)

/* The address's bytes (4 or 16) and bits (32 or 128). */
static inline size_t
pkl_addr_size(int family)
{
	return family == 4 ? 4 : 16;
}

static inline unsigned
pkl_addr_bits(int family)
{
	return family == 4 ? 32 : 128;
}

/* A dotted quad or an IPv6 text form (inet_pton's), in *a.  Returns -1
 * when text is neither. */
int pkl_addr_parse(const char *text, struct pkl_addr *a);

/* The RFC 5952 / dotted-quad text, NUL-terminated in buf; returns its
 * length. */
size_t pkl_addr_format(const struct pkl_addr *a, char *buf, size_t size);
/* "192.168.1.0/24". */
size_t pkl_addr_format_prefix(const struct pkl_addr *a, unsigned prefix_len,
			      char *buf, size_t size);

bool pkl_addr_equal(const struct pkl_addr *a, const struct pkl_addr *b);

/* The mask of a prefix length (255.255.255.0 for 24) of the family. */
struct pkl_addr pkl_addr_mask(int family, unsigned prefix_len);
/* a AND the mask: the network a is in. */
struct pkl_addr pkl_addr_network(const struct pkl_addr *a, unsigned prefix_len);
/* a with every host bit set: the network's broadcast address (IPv4). */
struct pkl_addr pkl_addr_broadcast(const struct pkl_addr *a, unsigned prefix_len);
/* Whether a lies in net/prefix_len (same family, first bits equal). */
bool pkl_addr_in_prefix(const struct pkl_addr *a, const struct pkl_addr *net,
			unsigned prefix_len);

/* 0.0.0.0 or ::. */
bool pkl_addr_is_unspecified(const struct pkl_addr *a);
/* 224.0.0.0/4 or ff00::/8. */
bool pkl_addr_is_multicast(const struct pkl_addr *a);
/* 255.255.255.255, the broadcast of every link. */
bool pkl_addr_is_limited_broadcast(const struct pkl_addr *a);

#endif
