#include "pipeline.h"

#include "decode.h"
#include "render_timeline.h"

bool
pkl_pipeline_frame(void *pipeline, const struct pkl_frame *frame)
{
	struct pkl_pipeline *pl = pipeline;

	pl->seen++;
	if (!pl->render.have_first) {
		pl->render.have_first = true;
		pl->render.first_sec = frame->ts_sec;
		pl->render.first_nsec = frame->ts_nsec;
	}
	if (pl->conns_only) {
		pkl_decode(&pl->pkt, frame);
		pkl_notes_reset(&pl->notes);
		pkl_conntrack_frame(pl->conntrack, &pl->pkt, &pl->notes);
		if (pl->timeline)
			pkl_timeline_add(pl->timeline, &pl->pkt, &pl->notes);
	} else if (!pl->silent) {
		pkl_decode(&pl->pkt, frame);
		if (pl->stats) {
			pkl_stats_add(pl->stats, &pl->pkt);
		} else {
			/* The tracker first, so the frame's notes can use its
			 * relative numbers; the line view prints no notes. */
			pkl_notes_reset(&pl->notes);
			if (pl->conntrack)
				pkl_conntrack_frame(pl->conntrack, &pl->pkt, &pl->notes);
			if (pl->render.view != PKL_VIEW_LINE)
				pkl_annotate(&pl->pkt, &pl->annotate, &pl->notes);
			pkl_render_frame(&pl->render, &pl->pkt, &pl->notes);
		}
	}
	return !pl->out.failed && (pl->limit == 0 || pl->seen < pl->limit);
}
