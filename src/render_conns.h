#ifndef PKL_RENDER_CONNS_H
#define PKL_RENDER_CONNS_H

#include <stdbool.h>

#include "clock.h"
#include "conn_record.h"
#include "notes.h"
#include "out.h"
#include "packet.h"

struct pkl_conns_view {
	struct pkl_out *out;
	bool json;
	const struct pkl_clock *clock;   /* times are relative to its first frame */
	uint64_t shown;                  /* records printed so far */
};

/* A pkl_conn_done_fn: print one conversation as it leaves the table. */
void pkl_render_conn(void *view, const struct pkl_conn_record *c);

/* conns --table: the TCP connections, one line each in tshark's
 * -z conv,tcp layout (frames and bytes on the wire each way and in all,
 * relative start, duration), with how each closed and its ends' final
 * states, in order of first frame.  The rows are kept until the end of
 * the capture, since connections leave the tracker's table in another
 * order. */
struct pkl_conns_table;   /* opaque */

struct pkl_conns_table *pkl_conns_table_new(void);
/* A pkl_sink_fn: a TCP segment's frame and bytes on the wire, for its
 * connection (the records count the bytes of data). */
void pkl_conns_table_frame(void *table, const struct pkl_packet *pkt,
			   const struct pkl_notes *notes);
/* A pkl_conn_done_fn: keep a TCP connection's row. */
void pkl_conns_table_conn(void *table, const struct pkl_conn_record *c);
/* The rows, sorted, times relative to the clock's first frame.  Returns
 * -1 when memory ran out for some of them (the others are printed). */
int pkl_conns_table_print(struct pkl_conns_table *t, struct pkl_out *o,
			  const struct pkl_clock *clock);
uint64_t pkl_conns_table_rows(const struct pkl_conns_table *t);
void pkl_conns_table_free(struct pkl_conns_table *t);

#endif
