#include "out.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void
pkl_out_init_fd(struct pkl_out *o, int fd, char *buf, size_t cap)
{
	*o = (struct pkl_out){ .buf = buf, .cap = cap, .fd = fd };
}

void
pkl_out_init_fixed(struct pkl_out *o, char *buf, size_t cap)
{
	*o = (struct pkl_out){ .buf = buf, .cap = cap, .fd = -1 };
}

size_t
pkl_out_finish_fixed(struct pkl_out *o)
{
	if (o->cap)
		o->buf[o->len] = '\0';
	return o->len;
}

int
pkl_out_flush(struct pkl_out *o)
{
	size_t done = 0;

	if (o->fd < 0)
		return 0;
	while (done < o->len && !o->failed) {
		ssize_t n = write(o->fd, o->buf + done, o->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			o->failed = true;
			o->errno_saved = n < 0 ? errno : EIO;
			break;
		}
		done += (size_t)n;
	}
	o->len = 0;
	return o->failed ? -1 : 0;
}

void
pkl_out_frame_end(struct pkl_out *o)
{
	if (o->line_buffered)
		pkl_out_flush(o);
}

/* Stream mode: flush and copy in buffer-sized pieces.  Fixed mode:
 * copy what fits and drop the rest. */
void
pkl_out_mem_slow(struct pkl_out *o, const char *s, size_t n)
{
	while (n) {
		if (o->fd >= 0 && o->cap - o->len <= n)
			pkl_out_flush(o);
		size_t room = o->cap - o->len - 1;
		size_t k = n < room ? n : room;
		if (!k)
			return;
		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
	}
}

void
pkl_out_spaces(struct pkl_out *o, unsigned n)
{
	static const char spaces[] = "                                ";

	while (n) {
		unsigned k = n < sizeof spaces - 1 ? n : (unsigned)sizeof spaces - 1;
		pkl_out_mem(o, spaces, k);
		n -= k;
	}
}

/* The number and address writers below write straight into the buffer
 * when the longest text they can produce fits: no temporary and no copy,
 * which was most of their cost.  Near the end of the buffer (and in a
 * full fixed buffer) they write into the caller's scratch array, which
 * out_commit passes through the slow path. */
static inline char *
out_reserve(struct pkl_out *o, size_t max, char *scratch)
{
	return max < o->cap - o->len ? o->buf + o->len : scratch;
}

static inline void
out_commit(struct pkl_out *o, const char *start, const char *end, const char *scratch)
{
	if (start == scratch)
		pkl_out_mem_slow(o, scratch, (size_t)(end - start));
	else
		o->len += (size_t)(end - start);
}

/* Decimal digits are written two at a time, from this table. */
static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static const char hex_digits[] = "0123456789abcdef";

/* How many decimal digits v has (1 for 0).  1233 / 4096 is just above
 * log10(2), so from the bit length this estimates the digits exactly or
 * one short, and one compare with the smallest number of the longer
 * length settles it. */
unsigned
pkl_out_digits(uint64_t v)
{
	static const uint64_t smallest[20] = {
		0, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
		1000000000, 10000000000, 100000000000, 1000000000000, 10000000000000,
		100000000000000, 1000000000000000, 10000000000000000,
		100000000000000000, 1000000000000000000, 10000000000000000000u,
	};
	unsigned t = (unsigned)(64 - __builtin_clzll(v | 1)) * 1233 >> 12;

	return t + (v >= smallest[t]);
}

/* u, below 10^digits, as exactly `digits` (1 to 8) decimal digits,
 * zero-padded, into p[0..digits).
 *
 * Instead of a division by 100 for each pair of digits, one multiplication
 * turns u into the fixed-point number u / 10^m with 32 fraction bits, m
 * being the digits after the first one or two; each multiplication of the
 * fraction by 100 then lifts the next pair above the point.  Rounded up
 * (by the + 1) and off by less than 10^-m, the fraction never drops into
 * the pair below nor reaches the one above.  With a shift of 24 the
 * product stays within 64 bits, and the error within bounds, up to 8
 * digits; tests/unit/test_out.c checks every value. */
static inline void
put_decimal8(char *p, uint32_t u, unsigned digits)
{
	static const uint64_t scale[] = {   /* ceil(2^56 / 10^m), m = 0, 2, 4, 6 */
		UINT64_C(72057594037927936), UINT64_C(720575940379280),
		UINT64_C(7205759403793), UINT64_C(72057594038),
	};
	unsigned pairs = (digits - 1) / 2;   /* the pairs after the point */
	uint64_t y = (u * scale[pairs] >> 24) + 1;

	if (digits & 1) {
		*p++ = (char)('0' + (y >> 32));
	} else {
		memcpy(p, digit_pairs + (y >> 32) * 2, 2);
		p += 2;
	}
	for (; pairs; pairs--, p += 2) {
		y = (uint32_t)y * UINT64_C(100);
		memcpy(p, digit_pairs + (y >> 32) * 2, 2);
	}
}

static void put_decimal_long(char *p, uint64_t v, unsigned digits) __attribute__((cold));

/* v, below 10^digits, as exactly `digits` decimal digits, zero-padded,
 * into p[0..digits). */
static inline void
put_decimal(char *p, uint64_t v, unsigned digits)
{
	if (digits > 8)
		put_decimal_long(p, v, digits);
	else
		put_decimal8(p, (uint32_t)v, digits);
}

/* More than 8 digits (rare): eight at a time from the right. */
static void
put_decimal_long(char *p, uint64_t v, unsigned digits)
{
	put_decimal(p, v / 100000000, digits - 8);
	put_decimal8(p + digits - 8, (uint32_t)(v % 100000000), 8);
}

/* The decimal text of every byte, for IPv4 addresses: up to three digits
 * (what follows the last is junk) and, in the fourth char, how many. */
#define OCTET(v) { \
	(char)('0' + ((v) >= 100 ? (v) / 100 : (v) >= 10 ? (v) / 10 : (v))), \
	(char)('0' + ((v) >= 100 ? (v) / 10 % 10 : (v) % 10)), \
	(char)('0' + (v) % 10), \
	(char)((v) >= 100 ? 3 : (v) >= 10 ? 2 : 1) }
#define OCTETS4(v) OCTET(v), OCTET((v) + 1), OCTET((v) + 2), OCTET((v) + 3)
#define OCTETS16(v) OCTETS4(v), OCTETS4((v) + 4), OCTETS4((v) + 8), OCTETS4((v) + 12)
#define OCTETS64(v) OCTETS16(v), OCTETS16((v) + 16), OCTETS16((v) + 32), OCTETS16((v) + 48)
static const char octet_text[256][4] = {
	OCTETS64(0), OCTETS64(64), OCTETS64(128), OCTETS64(192),
};

/* A byte in decimal: copies all four chars of its entry, so p needs room
 * for four; returns the end of the digits. */
static char *
put_u8(char *p, uint8_t v)
{
	memcpy(p, octet_text[v], 4);
	return p + octet_text[v][3];
}

void
pkl_out_u64(struct pkl_out *o, uint64_t v)
{
	if (v < 10) {   /* counts, flags, booleans: a third of all numbers */
		pkl_out_char(o, (char)('0' + v));
		return;
	}
	char scratch[20];
	unsigned n = pkl_out_digits(v);
	char *p = out_reserve(o, n, scratch);

	put_decimal(p, v, n);
	out_commit(o, p, p + n, scratch);
}

void
pkl_out_i64(struct pkl_out *o, int64_t v)
{
	if (v < 0) {
		pkl_out_char(o, '-');
		pkl_out_u64(o, (uint64_t)0 - (uint64_t)v);
	} else {
		pkl_out_u64(o, (uint64_t)v);
	}
}

void
pkl_out_u64_width(struct pkl_out *o, uint64_t v, unsigned digits)
{
	char scratch[20];

	if (digits > sizeof scratch)
		digits = sizeof scratch;
	char *p = out_reserve(o, digits, scratch);
	put_decimal(p, v, digits);
	out_commit(o, p, p + digits, scratch);
}

/* whole, a point and frac (below 10^frac_digits, at most 8 of them).
 * Inline, so that the callers' constant frac_digits unrolls the pairs. */
static inline void
out_decimal(struct pkl_out *o, uint64_t whole, uint32_t frac, unsigned frac_digits)
{
	char scratch[20 + 1 + 8];
	unsigned n = pkl_out_digits(whole);
	char *p = out_reserve(o, sizeof scratch, scratch);

	put_decimal(p, whole, n);
	p[n] = '.';
	put_decimal8(p + n + 1, frac, frac_digits);
	out_commit(o, p, p + n + 1 + frac_digits, scratch);
}

void
pkl_out_seconds(struct pkl_out *o, uint64_t sec, uint32_t usec)
{
	out_decimal(o, sec, usec, 6);
}

void
pkl_out_ms(struct pkl_out *o, uint64_t us)
{
	out_decimal(o, us / 1000, (uint32_t)(us % 1000), 3);
}

void
pkl_out_hex(struct pkl_out *o, uint64_t v, unsigned digits)
{
	char tmp[16];
	size_t i = sizeof tmp;

	do {
		tmp[--i] = hex_digits[v & 0xf];
		v >>= 4;
	} while (v || sizeof tmp - i < digits);
	pkl_out_mem(o, tmp + i, sizeof tmp - i);
}

/* Dotted quad: returns the end of its text (at most 15 bytes, and one
 * more is written over). */
static char *
put_ipv4(char *p, const uint8_t a[4])
{
	for (int i = 0; i < 4; i++) {
		if (i)
			*p++ = '.';
		p = put_u8(p, a[i]);
	}
	return p;
}

/* One group of an IPv6 address: lowercase hex without leading zeros. */
static char *
put_hex16(char *p, unsigned v)
{
	unsigned n = v >= 0x1000 ? 4 : v >= 0x100 ? 3 : v >= 0x10 ? 2 : 1;

	for (unsigned i = n; i-- > 0; v >>= 4)
		p[i] = hex_digits[v & 0xf];
	return p + n;
}

/* The RFC 5952 text form, exactly as glibc's inet_ntop writes it (which
 * it replaces: through sprintf it cost some 3,500 instructions an
 * address): the first longest run of two or more zero groups becomes
 * "::", and an IPv4-compatible address (six zero groups, then a nonzero
 * one: ::a.b.c.d) or an IPv4-mapped one (::ffff:a.b.c.d) ends in dotted
 * quad.  Returns the end of its text (at most 45 bytes, and after a
 * dotted quad one more is written over). */
static char *
put_ipv6(char *p, const uint8_t a[16])
{
	unsigned w[8];
	int best = -1, best_len = 0;

	for (int i = 0; i < 8; i++)
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && !w[j])
			j++;
		if (j - i > best_len) {
			best = i;
			best_len = j - i;
		}
		i = j + 1;
	}
	if (best_len < 2)
		best = -1;
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + best_len) {
			if (i == best)
				*p++ = ':';
			continue;
		}
		if (i)
			*p++ = ':';
		if (i == 6 && best == 0 &&
		    (best_len == 6 || (best_len == 5 && w[5] == 0xffff)))
			return put_ipv4(p, a + 12);
		p = put_hex16(p, w[i]);
	}
	if (best >= 0 && best + best_len == 8)
		*p++ = ':';
	return p;
}

/* Hex pairs joined by colons: returns the end of its text (17 bytes). */
static char *
put_mac(char *p, const uint8_t m[6])
{
	for (int i = 0; i < 6; i++) {
		if (i)
			*p++ = ':';
		*p++ = hex_digits[m[i] >> 4];
		*p++ = hex_digits[m[i] & 0xf];
	}
	return p;
}

void
pkl_out_ipv4(struct pkl_out *o, const uint8_t a[4])
{
	char scratch[15 + 1];
	char *p = out_reserve(o, sizeof scratch, scratch);

	out_commit(o, p, put_ipv4(p, a), scratch);
}

void
pkl_out_ipv6(struct pkl_out *o, const uint8_t a[16])
{
	char scratch[45 + 1];
	char *p = out_reserve(o, sizeof scratch, scratch);

	out_commit(o, p, put_ipv6(p, a), scratch);
}

void
pkl_out_mac(struct pkl_out *o, const uint8_t m[6])
{
	char scratch[17];
	char *p = out_reserve(o, sizeof scratch, scratch);

	out_commit(o, p, put_mac(p, m), scratch);
}

void
pkl_out_endpoint(struct pkl_out *o, int family, const uint8_t *addr, uint16_t port)
{
	char scratch[sizeof "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535" - 1];
	char *p = out_reserve(o, sizeof scratch, scratch), *end;

	if (family == 4) {
		end = put_ipv4(p, addr);
	} else {
		p[0] = '[';
		end = put_ipv6(p + 1, addr);
		*end++ = ']';
	}
	*end++ = ':';
	unsigned n = pkl_out_digits(port);
	put_decimal(end, port, n);
	out_commit(o, p, end + n, scratch);
}

void
pkl_out_printf(struct pkl_out *o, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		pkl_out_mem(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void
pkl_out_color(struct pkl_out *o, enum pkl_color c)
{
	static const char *const escape[] = {
		[PKL_COLOR_RESET] = "\033[0m",
		[PKL_COLOR_FRAME] = "\033[1m",
		[PKL_COLOR_LAYER] = "\033[36m",
		[PKL_COLOR_ADDR] = "\033[33m",
		[PKL_COLOR_FLAGS] = "\033[1;35m",
		[PKL_COLOR_GOOD] = "\033[32m",
		[PKL_COLOR_BAD] = "\033[1;31m",
		[PKL_COLOR_NOTE] = "\033[34m",
		[PKL_COLOR_DIM] = "\033[2m",
	};

	if (o->color)
		pkl_out_str(o, escape[c]);
}
