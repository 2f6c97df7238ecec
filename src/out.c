#include "out.h"

#include <arpa/inet.h>
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

void
pkl_out_u64(struct pkl_out *o, uint64_t v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char tmp[20];
	size_t i = sizeof tmp;

	if (v < 10) {   /* flags, booleans, small fields: the common case */
		pkl_out_char(o, (char)('0' + v));
		return;
	}
	while (v >= 100) {
		unsigned d = (unsigned)(v % 100) * 2;
		v /= 100;
		tmp[--i] = pairs[d + 1];
		tmp[--i] = pairs[d];
	}
	if (v >= 10) {
		tmp[--i] = pairs[v * 2 + 1];
		tmp[--i] = pairs[v * 2];
	} else {
		tmp[--i] = (char)('0' + v);
	}
	pkl_out_mem(o, tmp + i, sizeof tmp - i);
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
	char tmp[20];

	if (digits > sizeof tmp)
		digits = sizeof tmp;
	for (unsigned i = digits; i-- > 0;) {
		tmp[i] = (char)('0' + v % 10);
		v /= 10;
	}
	pkl_out_mem(o, tmp, digits);
}

void
pkl_out_ms(struct pkl_out *o, uint64_t us)
{
	pkl_out_u64(o, us / 1000);
	pkl_out_char(o, '.');
	pkl_out_u64_width(o, us % 1000, 3);
}

void
pkl_out_hex(struct pkl_out *o, uint64_t v, unsigned digits)
{
	static const char hexdig[] = "0123456789abcdef";
	char tmp[16];
	size_t i = sizeof tmp;

	do {
		tmp[--i] = hexdig[v & 0xf];
		v >>= 4;
	} while (v || sizeof tmp - i < digits);
	pkl_out_mem(o, tmp + i, sizeof tmp - i);
}

void
pkl_out_ipv4(struct pkl_out *o, const uint8_t a[4])
{
	for (int i = 0; i < 4; i++) {
		if (i)
			pkl_out_char(o, '.');
		pkl_out_u64(o, a[i]);
	}
}

void
pkl_out_ipv6(struct pkl_out *o, const uint8_t a[16])
{
	/* glibc's inet_ntop already follows RFC 5952 (longest zero run of two
	 * or more groups compressed, lowercase), and IPv6 is rare enough
	 * that its cost does not matter. */
	char text[INET6_ADDRSTRLEN];

	if (inet_ntop(AF_INET6, a, text, sizeof text))
		pkl_out_str(o, text);
	else
		pkl_out_char(o, '?');
}

void
pkl_out_mac(struct pkl_out *o, const uint8_t m[6])
{
	for (int i = 0; i < 6; i++) {
		if (i)
			pkl_out_char(o, ':');
		pkl_out_hex(o, m[i], 2);
	}
}

void
pkl_out_endpoint(struct pkl_out *o, int family, const uint8_t *addr, uint16_t port)
{
	if (family == 4) {
		pkl_out_ipv4(o, addr);
	} else {
		pkl_out_char(o, '[');
		pkl_out_ipv6(o, addr);
		pkl_out_char(o, ']');
	}
	pkl_out_char(o, ':');
	pkl_out_u64(o, port);
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
