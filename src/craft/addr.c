/* IP addresses in the crafting layer. */
#include "addr.h"

#include <arpa/inet.h>
#include <string.h>

#include "../out.h"

int
pkl_addr_parse(const char *text, struct pkl_addr *a)
{
	*a = (struct pkl_addr){ .family = 4 };
	if (inet_pton(AF_INET, text, a->v4) == 1)
		return 0;
	a->family = 6;
	if (inet_pton(AF_INET6, text, a->v6) == 1)
		return 0;
	return -1;
}

static void
out_addr(struct pkl_out *o, const struct pkl_addr *a)
{
	if (a->family == 4)
		pkl_out_ipv4(o, a->v4);
	else
		pkl_out_ipv6(o, a->v6);
}

size_t
pkl_addr_format(const struct pkl_addr *a, char *buf, size_t size)
{
	struct pkl_out o;

	pkl_out_init_fixed(&o, buf, size);
	out_addr(&o, a);
	return pkl_out_finish_fixed(&o);
}

size_t
pkl_addr_format_prefix(const struct pkl_addr *a, unsigned prefix_len, char *buf, size_t size)
{
	struct pkl_out o;

	pkl_out_init_fixed(&o, buf, size);
	out_addr(&o, a);
	pkl_out_char(&o, '/');
	pkl_out_u64(&o, prefix_len);
	return pkl_out_finish_fixed(&o);
}

bool
pkl_addr_equal(const struct pkl_addr *a, const struct pkl_addr *b)
{
	return a->family == b->family && !memcmp(a->v6, b->v6, pkl_addr_size(a->family));
}

struct pkl_addr
pkl_addr_mask(int family, unsigned prefix_len)
{
	struct pkl_addr m = { .family = family };
	unsigned bits = pkl_addr_bits(family);

	if (prefix_len > bits)
		prefix_len = bits;
	for (unsigned i = 0; i < prefix_len / 8; i++)
		m.v6[i] = 0xff;
	if (prefix_len % 8)
		m.v6[prefix_len / 8] = (uint8_t)(0xff << (8 - prefix_len % 8));
	return m;
}

struct pkl_addr
pkl_addr_network(const struct pkl_addr *a, unsigned prefix_len)
{
	struct pkl_addr m = pkl_addr_mask(a->family, prefix_len);

	for (size_t i = 0; i < pkl_addr_size(a->family); i++)
		m.v6[i] &= a->v6[i];
	return m;
}

struct pkl_addr
pkl_addr_broadcast(const struct pkl_addr *a, unsigned prefix_len)
{
	struct pkl_addr m = pkl_addr_mask(a->family, prefix_len);

	for (size_t i = 0; i < pkl_addr_size(a->family); i++)
		m.v6[i] = (uint8_t)(~m.v6[i] | a->v6[i]);
	return m;
}

bool
pkl_addr_in_prefix(const struct pkl_addr *a, const struct pkl_addr *net, unsigned prefix_len)
{
	if (a->family != net->family)
		return false;
	struct pkl_addr x = pkl_addr_network(a, prefix_len);
	struct pkl_addr y = pkl_addr_network(net, prefix_len);
	return pkl_addr_equal(&x, &y);
}

bool
pkl_addr_is_unspecified(const struct pkl_addr *a)
{
	static const uint8_t zero[16];

	return !memcmp(a->v6, zero, pkl_addr_size(a->family));
}

bool
pkl_addr_is_multicast(const struct pkl_addr *a)
{
	return a->family == 4 ? (a->v4[0] & 0xf0) == 0xe0 : a->v6[0] == 0xff;
}

bool
pkl_addr_is_limited_broadcast(const struct pkl_addr *a)
{
	static const uint8_t ones[4] = { 0xff, 0xff, 0xff, 0xff };

	return a->family == 4 && !memcmp(a->v4, ones, 4);
}
