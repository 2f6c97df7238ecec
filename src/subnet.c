/* Subnet arithmetic over struct pkl_addr. */
#include "subnet.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name, *sentence;
} ranges[PKL_RANGE_COUNT] = {
	[PKL_RANGE_PUBLIC] = { "public", "public (globally routed)" },
	[PKL_RANGE_THIS_NETWORK] = { "this-network", "\"this network\" (RFC 1122), never a destination" },
	[PKL_RANGE_PRIVATE] = { "private", "RFC 1918 private" },
	[PKL_RANGE_CGNAT] = { "cgnat", "RFC 6598 shared address space (carrier-grade NAT)" },
	[PKL_RANGE_LOOPBACK] = { "loopback", "loopback" },
	[PKL_RANGE_LINK_LOCAL] = { "link-local", "link-local (never routed)" },
	[PKL_RANGE_IETF] = { "ietf", "IETF protocol assignments (RFC 6890)" },
	[PKL_RANGE_DOCUMENTATION] = { "documentation", "documentation (examples only)" },
	[PKL_RANGE_BENCHMARKING] = { "benchmarking", "RFC 2544 benchmarking" },
	[PKL_RANGE_MULTICAST] = { "multicast", "multicast" },
	[PKL_RANGE_RESERVED] = { "reserved", "reserved" },
	[PKL_RANGE_BROADCAST] = { "broadcast", "the limited broadcast (RFC 919)" },
	[PKL_RANGE_UNSPECIFIED] = { "unspecified", "the unspecified address" },
	[PKL_RANGE_IPV4_MAPPED] = { "ipv4-mapped", "an IPv4-mapped address (RFC 4291)" },
	[PKL_RANGE_NAT64] = { "nat64", "the NAT64 prefix (RFC 6052)" },
	[PKL_RANGE_6TO4] = { "6to4", "6to4 (RFC 3056)" },
	[PKL_RANGE_ULA] = { "ula", "unique local (ULA, RFC 4193): IPv6's private addresses" },
};

const char *
pkl_subnet_range_name(enum pkl_subnet_range r)
{
	return ranges[r].name;
}

const char *
pkl_subnet_range_sentence(enum pkl_subnet_range r)
{
	return ranges[r].sentence;
}

/* Most specific first: the first that holds the address names it. */
static const struct {
	const char *prefix;
	unsigned len;
	enum pkl_subnet_range range;
} range_table[] = {
	{ "255.255.255.255", 32, PKL_RANGE_BROADCAST },
	{ "0.0.0.0", 8, PKL_RANGE_THIS_NETWORK },
	{ "10.0.0.0", 8, PKL_RANGE_PRIVATE },
	{ "172.16.0.0", 12, PKL_RANGE_PRIVATE },
	{ "192.168.0.0", 16, PKL_RANGE_PRIVATE },
	{ "100.64.0.0", 10, PKL_RANGE_CGNAT },
	{ "127.0.0.0", 8, PKL_RANGE_LOOPBACK },
	{ "169.254.0.0", 16, PKL_RANGE_LINK_LOCAL },
	{ "192.0.0.0", 24, PKL_RANGE_IETF },
	{ "192.0.2.0", 24, PKL_RANGE_DOCUMENTATION },
	{ "198.51.100.0", 24, PKL_RANGE_DOCUMENTATION },
	{ "203.0.113.0", 24, PKL_RANGE_DOCUMENTATION },
	{ "198.18.0.0", 15, PKL_RANGE_BENCHMARKING },
	{ "224.0.0.0", 4, PKL_RANGE_MULTICAST },
	{ "240.0.0.0", 4, PKL_RANGE_RESERVED },
	{ "::", 128, PKL_RANGE_UNSPECIFIED },
	{ "::1", 128, PKL_RANGE_LOOPBACK },
	{ "::ffff:0:0", 96, PKL_RANGE_IPV4_MAPPED },
	{ "64:ff9b::", 96, PKL_RANGE_NAT64 },
	{ "2001:db8::", 32, PKL_RANGE_DOCUMENTATION },
	{ "2002::", 16, PKL_RANGE_6TO4 },
	{ "fc00::", 7, PKL_RANGE_ULA },
	{ "fe80::", 10, PKL_RANGE_LINK_LOCAL },
	{ "ff00::", 8, PKL_RANGE_MULTICAST },
	{ "2000::", 3, PKL_RANGE_PUBLIC },
};

static enum pkl_subnet_range
range_of(const struct pkl_addr *a)
{
	for (size_t i = 0; i < sizeof range_table / sizeof range_table[0]; i++) {
		struct pkl_addr net;

		if (pkl_addr_parse(range_table[i].prefix, &net) == 0 &&
		    pkl_addr_in_prefix(a, &net, range_table[i].len))
			return range_table[i].range;
	}
	/* IPv6 outside global unicast (2000::/3) and the ranges above is
	 * unassigned. */
	return a->family == 4 ? PKL_RANGE_PUBLIC : PKL_RANGE_RESERVED;
}

/* The class before CIDR (RFC 791's leading bits): 0 A, 10 B, 110 C,
 * 1110 D (multicast), 1111 E. */
static char
class_of(const struct pkl_addr *a)
{
	uint8_t b = a->v4[0];

	if (a->family != 4)
		return 0;
	return b < 128 ? 'A' : b < 192 ? 'B' : b < 224 ? 'C' : b < 240 ? 'D' : 'E';
}

/* a + delta (1 or -1), wrapping within the family's bits. */
static struct pkl_addr
step(struct pkl_addr a, int delta)
{
	for (size_t i = pkl_addr_size(a.family); i-- > 0;) {
		uint8_t before = a.v6[i];

		a.v6[i] = (uint8_t)(before + delta);
		if (delta > 0 ? before != 0xff : before != 0)
			break;
	}
	return a;
}

void
pkl_subnet_compute(const struct pkl_addr *addr, unsigned prefix, struct pkl_subnet *s)
{
	unsigned bits = pkl_addr_bits(addr->family);

	*s = (struct pkl_subnet){
		.addr = *addr,
		.prefix = prefix,
		.mask = pkl_addr_mask(addr->family, prefix),
		.network = pkl_addr_network(addr, prefix),
		.last = pkl_addr_broadcast(addr, prefix),
		.has_broadcast = addr->family == 4 && prefix < 31,
		.class = class_of(addr),
		.range = range_of(addr),
	};
	s->wildcard = s->mask;
	for (size_t i = 0; i < pkl_addr_size(addr->family); i++)
		s->wildcard.v6[i] = (uint8_t)~s->mask.v6[i];
	if (prefix >= bits - 1) {
		s->first_host = s->network;
		s->last_host = s->last;
	} else {
		s->first_host = step(s->network, 1);
		s->last_host = addr->family == 4 ? step(s->last, -1) : s->last;
	}
}

bool
pkl_subnet_holds(const struct pkl_subnet *s, const struct pkl_addr *peer)
{
	return pkl_addr_in_prefix(peer, &s->network, s->prefix);
}

size_t
pkl_subnet_hosts_text(const struct pkl_subnet *s, char *buf, size_t size)
{
	__extension__ typedef unsigned __int128 u128;
	unsigned bits = pkl_addr_bits(s->addr.family), host_bits = bits - s->prefix;
	/* 2^host_bits addresses, less those that are not hosts. */
	u128 n = host_bits == 128 ? ~(u128)0 : ((u128)1 << host_bits) - 1;
	char digits[PKL_SUBNET_HOSTS_TEXT];
	size_t len = 0;

	if (host_bits <= 1)
		n += 1;                                 /* all of them */
	else if (s->addr.family == 4)
		n -= 1;                                 /* less network and broadcast */
	/* IPv6 /0: 2^128 - 1 is what ~0 already holds. */
	do {
		digits[len++] = (char)('0' + (unsigned)(n % 10));
		n /= 10;
	} while (n);
	size_t out = len < size ? len : size - 1;
	for (size_t i = 0; i < out; i++)
		buf[i] = digits[len - 1 - i];
	buf[out] = '\0';
	return out;
}

/* A dotted netmask's prefix length; -1 when its ones are not contiguous. */
static int
mask_prefix(const struct pkl_addr *m)
{
	unsigned len = 0;

	while (len < 32 && (m->v4[len / 8] & (0x80 >> (len % 8))))
		len++;
	struct pkl_addr again = pkl_addr_mask(4, len);
	return pkl_addr_equal(&again, m) ? (int)len : -1;
}

int
pkl_subnet_parse(const char *text, struct pkl_addr *addr, unsigned *prefix,
		 char errbuf[PKL_ERRBUF_SIZE])
{
	char host[PKL_ADDR_TEXT];
	const char *slash = strchr(text, '/');
	size_t len = slash ? (size_t)(slash - text) : strlen(text);

	if (len < sizeof host) {
		memcpy(host, text, len);
		host[len] = '\0';
	}
	if (len >= sizeof host || pkl_addr_parse(host, addr) < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "'%.*s' is not an IPv4 or IPv6 address (192.168.12.87, 2001:db8::1)",
			 (int)(len > 64 ? 64 : len), text);
		return -1;
	}
	unsigned bits = pkl_addr_bits(addr->family);
	if (!slash) {
		*prefix = bits;
		return 0;
	}
	const char *p = slash + 1;
	size_t digits = strspn(p, "0123456789");
	if (digits && !p[digits]) {
		unsigned v = 0;
		/* Leading zeros are fine ("024", as Python takes it); a
		 * value past the bits stops the count before it can wrap. */
		for (size_t i = 0; i < digits && v <= bits; i++)
			v = v * 10 + (unsigned)(p[i] - '0');
		if (v <= bits) {
			*prefix = v;
			return 0;
		}
	}
	struct pkl_addr mask;
	if (addr->family == 4 && pkl_addr_parse(p, &mask) == 0 && mask.family == 4) {
		int from_mask = mask_prefix(&mask);
		if (from_mask >= 0) {
			*prefix = (unsigned)from_mask;
			return 0;
		}
		snprintf(errbuf, PKL_ERRBUF_SIZE, "%s is not a netmask: its ones must come "
			 "first, all together (255.255.240.0)", p);
		return -1;
	}
	snprintf(errbuf, PKL_ERRBUF_SIZE,
		 "'%.40s' after the '/' is not a prefix length from 0 to %u%s", p, bits,
		 addr->family == 4 ? " nor a netmask such as 255.255.255.0" : "");
	return -1;
}
