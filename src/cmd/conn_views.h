/* The views of one connection that `conns` offers: --follow (its byte
 * streams) and --plot (its time-sequence graph). */
#ifndef PKL_CMD_CONN_VIEWS_H
#define PKL_CMD_CONN_VIEWS_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"

#define PKL_CMD_MAX_PLOTS 16

struct pkl_conn_view_args {
	uint64_t follow;           /* connection #N; 0: not asked */
	bool raw, hex;
	int raw_sender;            /* --dir: PKL_CLIENT or PKL_SERVER; -1: not given */
	unsigned nplots;
	uint64_t plot[PKL_CMD_MAX_PLOTS];
	const char *plot_path;     /* -o */
};

/* Whether a view of one connection replaces the records. */
static inline bool
pkl_cmd_conn_view_wanted(const struct pkl_conn_view_args *a)
{
	return a->follow || a->nplots;
}

/* Run the view over the file.  Returns the exit status, having said
 * what went wrong. */
int pkl_cmd_conn_view(struct pkl_capture *cap, const struct pkl_input_opts *input,
		      const struct pkl_conntrack_opts *table, const struct pkl_conn_view_args *a);

#endif
