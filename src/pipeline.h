/* The per-frame pipeline shared by `read`, `stats` and `sniff`:
 * decode -> annotate -> render (or -> statistics). */
#ifndef PKL_PIPELINE_H
#define PKL_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "annotate.h"
#include "conntrack.h"
#include "out.h"
#include "packet.h"
#include "render.h"
#include "stats.h"

struct pkl_timeline;

struct pkl_pipeline {
	struct pkl_out out;
	struct pkl_render render;
	bool silent;                  /* decode nothing, print nothing (sniff -q -w) */
	struct pkl_annotate_opts annotate;
	struct pkl_stats *stats;      /* non-NULL: count instead of rendering */
	struct pkl_conntrack *conntrack; /* non-NULL: follow TCP connections */
	bool conns_only;              /* follow connections, render no frame */
	struct pkl_timeline *timeline; /* non-NULL (with conns_only): record each frame's arrow */
	uint64_t limit;               /* stop after this many frames; 0: never */
	uint64_t seen;
	struct pkl_packet pkt;
	struct pkl_notes notes;
};

/* Process one frame.  Returns false once the frame limit is reached or
 * the output cannot be written (pl->out.failed says which). */
bool pkl_pipeline_frame(void *pipeline, const struct pkl_frame *frame);

#endif
