#ifndef PKL_RENDER_CONNS_H
#define PKL_RENDER_CONNS_H

#include <stdbool.h>

#include "clock.h"
#include "conn_record.h"
#include "out.h"

struct pkl_conns_view {
	struct pkl_out *out;
	bool json;
	const struct pkl_clock *clock;   /* times are relative to its first frame */
};

/* A pkl_conn_done_fn: print one conversation as it leaves the table. */
void pkl_render_conn(void *view, const struct pkl_conn_record *c);

#endif
