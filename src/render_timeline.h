/* `pktlens conns --timeline`: a ladder diagram per TCP connection, as
 * networking textbooks draw them (client left, server right, one arrow
 * per segment, each end's state beside it).
 *
 * Frames of different connections arrive interleaved, so the pass over
 * the file records one compact row per tracked frame, and the diagrams
 * are printed at the end, connection by connection. */
#ifndef PKL_RENDER_TIMELINE_H
#define PKL_RENDER_TIMELINE_H

#include <stdint.h>

#include "conn_record.h"
#include "notes.h"
#include "packet.h"
#include "render.h"

/* Rows (arrows) recorded at most, 48 bytes each (and 64 per connection):
 * the timeline is for reading, and a capture with more is narrowed with a
 * filter or -c. */
#define PKL_TIMELINE_MAX_ROWS (1u << 21)

struct pkl_timeline;           /* opaque */

/* Why the timeline stopped recording, if it did. */
enum pkl_timeline_stop {
	PKL_TIMELINE_WHOLE,        /* every tracked frame is recorded */
	PKL_TIMELINE_FULL,         /* PKL_TIMELINE_MAX_ROWS reached */
	PKL_TIMELINE_NO_MEMORY,
};

struct pkl_timeline *pkl_timeline_new(void);
void pkl_timeline_free(struct pkl_timeline *tl);
/* Record a frame the tracker has described in notes->conn (others are
 * ignored); nothing once recording has stopped. */
void pkl_timeline_add(struct pkl_timeline *tl, const struct pkl_packet *pkt,
		      const struct pkl_notes *notes);
/* A pkl_conn_done_fn: keep the endpoints and the outcome of a connection
 * leaving the tracker's table. */
void pkl_timeline_conn_done(void *timeline, const struct pkl_conn_record *c);
/* Print every diagram, connections in order of their first frame, times
 * relative to r's first frame, to r->out.  After pkl_conntrack_finish.
 * With r->width (a terminal), a row's step and findings that pass the
 * width go on a line of their own under the arrows.  Returns 0, or the
 * columns the ladders need when r->width is narrower (the rows are then
 * printed whole). */
unsigned pkl_timeline_print(const struct pkl_timeline *tl, const struct pkl_render *r);
/* Whether recording stopped, and at which frame (the first not recorded). */
enum pkl_timeline_stop pkl_timeline_stopped(const struct pkl_timeline *tl, uint64_t *frame);

#endif
