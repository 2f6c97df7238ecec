/* Word wrapping of rendered text for a terminal.
 *
 * The views write their lines as long as they are; on a terminal the
 * lines wider than it are broken at spaces, the continuation lines
 * indented to a column the caller chooses for each line (a hanging
 * indent under the line's layer or marker).  Colour escapes take no
 * column.  Pipes and files get the lines unchanged: nothing calls this
 * for them. */
#ifndef PKL_WRAP_H
#define PKL_WRAP_H

#include <stddef.h>

#include "out.h"

/* The terminal's width for output on fd: COLUMNS when it holds a width,
 * else the window size the terminal reports; 0 when fd is no terminal
 * (or its width is unknown), meaning no wrapping. */
unsigned pkl_wrap_terminal_width(int fd);

/* The column where the continuation lines of one line start; line is
 * its visible text (escapes removed), without the newline. */
typedef unsigned pkl_wrap_hang_fn(const void *ctx, const char *line, size_t len);

/* text (lines ending in '\n'), each line longer than width broken at
 * spaces into lines of at most width columns, to dst.  A word longer
 * than a whole continuation line is cut at the width. */
void pkl_wrap(struct pkl_out *dst, const char *text, size_t len, unsigned width,
	      pkl_wrap_hang_fn *hang, const void *ctx);

#endif
