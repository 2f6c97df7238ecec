/* Output buffer: every renderer writes through this.
 *
 * Two modes share one set of writers: a stream mode that flushes a large
 * buffer to a file descriptor (stdio's printf costs more than the whole
 * decode on the -q path, so numbers and addresses are formatted here by
 * hand), and a fixed mode that fills a caller's array and truncates, for
 * sentences built before they are placed. */
#ifndef PKL_OUT_H
#define PKL_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum pkl_color {
	PKL_COLOR_RESET,
	PKL_COLOR_FRAME,     /* frame number and time */
	PKL_COLOR_LAYER,     /* layer names */
	PKL_COLOR_ADDR,      /* addresses and ports */
	PKL_COLOR_FLAGS,     /* TCP flags, message types */
	PKL_COLOR_GOOD,
	PKL_COLOR_BAD,       /* bad checksums, malformed, truncated */
	PKL_COLOR_NOTE,      /* annotation lines */
	PKL_COLOR_DIM,       /* hex dump offsets, secondary detail */
};

struct pkl_out {
	char *buf;
	size_t cap, len;
	int fd;              /* -1: fixed mode */
	bool color;
	bool line_buffered;  /* flush after every frame */
	bool failed;         /* a write failed; errno_saved says why */
	int errno_saved;
};

void pkl_out_init_fd(struct pkl_out *o, int fd, char *buf, size_t cap);
void pkl_out_init_fixed(struct pkl_out *o, char *buf, size_t cap);
/* Fixed mode: terminate and return the length. */
size_t pkl_out_finish_fixed(struct pkl_out *o);
/* Stream mode: write what is buffered.  Returns -1 on a write error. */
int pkl_out_flush(struct pkl_out *o);
/* The end of one frame's output: flushes when line-buffered. */
void pkl_out_frame_end(struct pkl_out *o);

/* The writers below are inline with a fast path: most of the time spent
 * printing a frame is in these calls, so the common case (room in the
 * buffer) is a compare and a copy.  One byte is always kept free for the
 * NUL that fixed mode adds. */
void pkl_out_mem_slow(struct pkl_out *o, const char *s, size_t n);

static inline void
pkl_out_mem(struct pkl_out *o, const char *s, size_t n)
{
	if (n < o->cap - o->len) {
		memcpy(o->buf + o->len, s, n);
		o->len += n;
	} else {
		pkl_out_mem_slow(o, s, n);
	}
}

/* Inline so that the length of a string literal is a constant. */
static inline void
pkl_out_str(struct pkl_out *o, const char *s)
{
	pkl_out_mem(o, s, strlen(s));
}

static inline void
pkl_out_char(struct pkl_out *o, char c)
{
	pkl_out_mem(o, &c, 1);
}

void pkl_out_spaces(struct pkl_out *o, unsigned n);
void pkl_out_u64(struct pkl_out *o, uint64_t v);
void pkl_out_i64(struct pkl_out *o, int64_t v);
/* How many decimal digits v takes (1 for 0). */
unsigned pkl_out_digits(uint64_t v);
/* Lowercase hex, zero-padded to at least `digits` digits. */
void pkl_out_hex(struct pkl_out *o, uint64_t v, unsigned digits);
/* v, below 10^digits, as exactly `digits` decimal digits, zero-padded
 * (fractions of seconds). */
void pkl_out_u64_width(struct pkl_out *o, uint64_t v, unsigned digits);
/* Seconds and microseconds (below a million), as times are shown: "12.000345". */
void pkl_out_seconds(struct pkl_out *o, uint64_t sec, uint32_t usec);
/* Microseconds as milliseconds with three decimals: "10.383". */
void pkl_out_ms(struct pkl_out *o, uint64_t us);
void pkl_out_ipv4(struct pkl_out *o, const uint8_t a[4]);
/* RFC 5952 text form. */
void pkl_out_ipv6(struct pkl_out *o, const uint8_t a[16]);
void pkl_out_mac(struct pkl_out *o, const uint8_t m[6]);
/* "10.0.0.1:80" (family 4) or "[fd77::1]:80" (family 6). */
void pkl_out_endpoint(struct pkl_out *o, int family, const uint8_t *addr, uint16_t port);
void pkl_out_printf(struct pkl_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pkl_out_color(struct pkl_out *o, enum pkl_color c);

#endif
