#include "wrap.h"

#include <stdbool.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Narrower than this, a hanging indent leaves no room for text. */
#define MIN_WIDTH 20
#define MAX_WIDTH 4096

unsigned
pkl_wrap_terminal_width(int fd)
{
	struct winsize ws;

	if (!isatty(fd))
		return 0;
	const char *columns = getenv("COLUMNS");
	if (columns && *columns) {
		char *end;
		unsigned long n = strtoul(columns, &end, 10);
		if (!*end && n >= MIN_WIDTH && n <= MAX_WIDTH)
			return (unsigned)n;
	}
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= MIN_WIDTH)
		return ws.ws_col;
	return 0;
}

/* The length of the escape sequence at s (ESC [ parameters final), 0
 * when s holds none. */
static size_t
escape_len(const char *s, size_t n)
{
	size_t i = 2;

	if (n < 2 || s[0] != '\033' || s[1] != '[')
		return 0;
	while (i < n && !((unsigned char)s[i] >= 0x40 && (unsigned char)s[i] <= 0x7e))
		i++;
	return i < n ? i + 1 : n;
}

/* A byte that starts a character (not a UTF-8 continuation byte). */
static bool
starts_char(char c)
{
	return ((unsigned char)c & 0xc0) != 0x80;
}

/* The visible columns of s[0..n). */
static unsigned
columns_of(const char *s, size_t n)
{
	unsigned cols = 0;

	for (size_t i = 0; i < n;) {
		size_t e = escape_len(s + i, n - i);
		if (e) {
			i += e;
			continue;
		}
		cols += starts_char(s[i]);
		i++;
	}
	return cols;
}

/* Where a wrapped line stands. */
struct cursor {
	struct pkl_out *dst;
	unsigned col, width, hang;
	bool empty;        /* nothing yet after the indent */
};

static void
new_line(struct cursor *c)
{
	pkl_out_char(c->dst, '\n');
	pkl_out_spaces(c->dst, c->hang);
	c->col = c->hang;
	c->empty = true;
}

/* A word wider than a whole continuation line: as many characters as
 * fit, then a new line, until the rest fits. */
static void
cut_word(struct cursor *c, const char *w, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t start = i;
		while (i < n) {
			size_t e = escape_len(w + i, n - i);
			if (e) {
				i += e;
				continue;
			}
			if (starts_char(w[i]) && c->col == c->width)
				break;
			c->col += starts_char(w[i]);
			i++;
		}
		pkl_out_mem(c->dst, w + start, i - start);
		c->empty = false;
		if (i < n)
			new_line(c);
	}
}

/* The run of spaces from i: its end; *len its length. */
static size_t
skip_spaces(const char *s, size_t n, size_t i, unsigned *len)
{
	size_t start = i;

	while (i < n && s[i] == ' ')
		i++;
	*len = (unsigned)(i - start);
	return i;
}

/* The pieces of s[0..n) between runs of at least min_gap spaces, each
 * placed after its gap: on the current line when it fits, else on a new
 * one; a piece no line holds is broken at its single spaces, and a word
 * no line holds is cut. */
static void
place(struct cursor *c, const char *s, size_t n, unsigned min_gap)
{
	size_t i = 0;

	while (i < n) {
		unsigned gap;
		size_t start = skip_spaces(s, n, i, &gap), end = start;
		/* The piece ends at the next run of min_gap spaces. */
		for (;;) {
			while (end < n && s[end] != ' ')
				end++;
			unsigned run;
			size_t after = skip_spaces(s, n, end, &run);
			if (after == n || run >= min_gap)
				break;
			end = after;
		}
		i = end;
		if (end == start)   /* spaces that end the line */
			break;
		unsigned cols = columns_of(s + start, end - start);
		if (!c->empty && c->col + gap + cols > c->width) {
			new_line(c);
		} else if (!c->empty) {
			pkl_out_spaces(c->dst, gap);
			c->col += gap;
		}
		if (c->col + cols <= c->width) {
			pkl_out_mem(c->dst, s + start, end - start);
			c->col += cols;
			c->empty = false;
		} else if (min_gap > 1) {
			place(c, s + start, end - start, 1);
		} else {
			cut_word(c, s + start, end - start);
		}
	}
}

/* Fields are set apart by two spaces or more, the words of a sentence
 * by one: a line with such a gap after its first text is broken between
 * fields first ("proto 6 TCP" stays whole). */
static void
wrap_line(struct pkl_out *dst, const char *line, size_t len, unsigned width, unsigned hang)
{
	unsigned lead;
	size_t i = skip_spaces(line, len, 0, &lead);
	const char *text = line + i;
	size_t n = len - i;
	struct cursor c = { dst, lead, width, hang, true };
	unsigned min_gap = 1;

	for (size_t k = 0; k + 1 < n; k++) {
		if (text[k] != ' ' && text[k + 1] == ' ' && k + 2 < n && text[k + 2] == ' ') {
			min_gap = 2;
			break;
		}
	}
	pkl_out_mem(dst, line, i);
	place(&c, text, n, min_gap);
	pkl_out_char(dst, '\n');
}

void
pkl_wrap(struct pkl_out *dst, const char *text, size_t len, unsigned width,
	 pkl_wrap_hang_fn *hang, const void *ctx)
{
	char visible[1024];

	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t n = nl ? (size_t)(nl - text) : len;
		if (columns_of(text, n) <= width) {
			pkl_out_mem(dst, text, n);
			pkl_out_char(dst, '\n');
		} else {
			size_t v = 0;
			for (size_t i = 0; i < n && v < sizeof visible;) {
				size_t e = escape_len(text + i, n - i);
				if (e)
					i += e;
				else
					visible[v++] = text[i++];
			}
			unsigned h = hang(ctx, visible, v);
			/* Leave at least half the width for the text. */
			wrap_line(dst, text, n, width, h < width / 2 ? h : width / 2);
		}
		if (!nl)
			break;
		text += n + 1;
		len -= n + 1;
	}
}
