/* The per-frame pipeline: decode -> track -> annotate -> the sinks that
 * consume the result (a frame view, the statistics, the timeline).
 *
 * What runs is decided once, when the pipeline is built, from what its
 * consumers need; the frame function does not branch on views.  It holds
 * no statics, so a command can run two at once (the frames it sends and
 * the frames it hears). */
#ifndef PKL_PIPELINE_H
#define PKL_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "annotate.h"
#include "capture.h"
#include "clock.h"
#include "conntrack.h"
#include "notes.h"
#include "out.h"
#include "packet.h"

/* A consumer of each decoded frame, with the notes the pipeline made. */
typedef void pkl_sink_fn(void *ctx, const struct pkl_packet *pkt, const struct pkl_notes *notes);

struct pkl_pipeline_opts {
	bool verify_checksums;
	/* Follow conversations (TCP connections and the exchanges), handing
	 * each one leaving the table to conn_done when it is set. */
	bool track;
	struct pkl_conntrack_opts conntrack;
	pkl_conn_done_fn *conn_done;
	void *conn_ctx;
	/* Explain every layer and what the tracker found (the tree and
	 * JSON views). */
	bool annotate;
	struct pkl_annotate_opts annotate_opts;
	uint64_t limit;              /* stop after this many frames; 0: never */
	/* -Y: a field filter (dfilter.h) the frames must pass to reach the
	 * sinks, once decoded, tracked and explained; NULL: all do. */
	const char *display_filter;
	/* Where the sinks write: the pipeline stops once it cannot be written. */
	const struct pkl_out *out;
};

#define PKL_PIPELINE_SINKS 4

struct pkl_pipeline;           /* opaque */

/* NULL with a sentence in errbuf when memory for the table is lacking. */
struct pkl_pipeline *pkl_pipeline_new(const struct pkl_pipeline_opts *opts,
				      char errbuf[PKL_ERRBUF_SIZE]);
/* Add a consumer, called in the order added (at most PKL_PIPELINE_SINKS). */
void pkl_pipeline_add_sink(struct pkl_pipeline *pl, pkl_sink_fn *fn, void *ctx);
/* Process one frame.  Returns false once the frame limit is reached or
 * the output cannot be written.  A pkl_frame_fn. */
bool pkl_pipeline_frame(void *pipeline, const struct pkl_frame *frame);
/* At the end of the input: every conversation still in the table goes
 * to conn_done, in order of first frame. */
void pkl_pipeline_finish(struct pkl_pipeline *pl);
/* Count relative times from origin (the first record of a file, which
 * a filter may have skipped) rather than from the first frame given,
 * once it is started; later calls change nothing. */
void pkl_pipeline_set_origin(struct pkl_pipeline *pl, const struct pkl_clock *origin);
/* The first frame's time, that the views count relative times from. */
const struct pkl_clock *pkl_pipeline_clock(const struct pkl_pipeline *pl);
/* What the trackers found in the frame being handed to the sinks (a
 * sink that counts findings reads it; nothing found when not tracking). */
const struct pkl_findings *pkl_pipeline_findings(const struct pkl_pipeline *pl);
uint64_t pkl_pipeline_seen(const struct pkl_pipeline *pl);
/* Conversations evicted from the full table so far, and those evicted
 * below the cap because memory ran out. */
uint64_t pkl_pipeline_evicted(const struct pkl_pipeline *pl);
uint64_t pkl_pipeline_alloc_failures(const struct pkl_pipeline *pl);
void pkl_pipeline_free(struct pkl_pipeline *pl);

#endif
