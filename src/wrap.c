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

/* A word wider than the room on a line of its own: as many characters
 * as fit, then a new continuation line, until the rest fits.  Returns
 * the column after it. */
static unsigned
cut_word(struct pkl_out *dst, const char *w, size_t n, unsigned col, unsigned width,
	 unsigned hang)
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
			if (starts_char(w[i]) && col == width)
				break;
			col += starts_char(w[i]);
			i++;
		}
		pkl_out_mem(dst, w + start, i - start);
		if (i < n) {
			pkl_out_char(dst, '\n');
			pkl_out_spaces(dst, hang);
			col = hang;
		}
	}
	return col;
}

static void
wrap_line(struct pkl_out *dst, const char *line, size_t len, unsigned width, unsigned hang)
{
	size_t i = 0;

	while (i < len && line[i] == ' ')
		i++;
	pkl_out_mem(dst, line, i);
	unsigned col = (unsigned)i;
	bool line_empty = true;   /* no word yet on the current output line */
	while (i < len) {
		size_t gap_start = i;
		while (i < len && line[i] == ' ')
			i++;
		unsigned gap = (unsigned)(i - gap_start);
		size_t word_start = i;
		while (i < len && line[i] != ' ')
			i++;
		if (i == word_start)   /* spaces that end the line */
			break;
		unsigned cols = columns_of(line + word_start, i - word_start);
		if (!line_empty && col + gap + cols > width) {
			pkl_out_char(dst, '\n');
			pkl_out_spaces(dst, hang);
			col = hang;
		} else if (!line_empty) {
			pkl_out_spaces(dst, gap);
			col += gap;
		}
		if (col + cols > width)
			col = cut_word(dst, line + word_start, i - word_start, col, width, hang);
		else {
			pkl_out_mem(dst, line + word_start, i - word_start);
			col += cols;
		}
		line_empty = false;
	}
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
