/* The render stage: views over a decoded, annotated packet.
 *
 * Renderers read the packet's decoded fields, its events and its notes;
 * they never look at the frame's bytes (the hex view excepted, whose
 * whole job is to show them). */
#ifndef PKL_RENDER_H
#define PKL_RENDER_H

#include <stdbool.h>

#include "clock.h"
#include "notes.h"
#include "out.h"
#include "packet.h"

enum pkl_view {
	PKL_VIEW_TREE,   /* default: summary, layers, notes */
	PKL_VIEW_LINE,   /* -q: the summary line only */
	PKL_VIEW_JSON,   /* --json: one object per frame */
};

struct pkl_render {
	struct pkl_out *out;
	enum pkl_view view;
	bool hex;            /* -x: add a hex and ASCII dump */
	const struct pkl_clock *clock;   /* times are shown relative to its first frame */
};

/* A pkl_sink_fn (pipeline.h): the frame in r's view. */
void pkl_render_frame(void *r, const struct pkl_packet *pkt, const struct pkl_notes *notes);

/* Shared by the views (render_summary.c). */
void pkl_render_summary(struct pkl_out *o, const struct pkl_packet *pkt,
			const struct pkl_conn_snapshot *conn);
void pkl_render_tcp_flags(struct pkl_out *o, uint16_t flags);
/* The set flags' names joined by sep ("SYN+ACK" with "+"), "none" for none. */
void pkl_render_tcp_flag_names(struct pkl_out *o, uint16_t flags, const char *sep);
void pkl_render_reltime(const struct pkl_render *r, const struct pkl_frame *f);
/* Seconds.microseconds of a capture time after (or, with a '-', before)
 * another, whatever seconds the two hold (fractions below a second, as
 * frames hold them). */
void pkl_out_reltime(struct pkl_out *o, int64_t sec, uint32_t nsec, int64_t first_sec,
		     uint32_t first_nsec);
/* Hex and ASCII dump of the captured bytes (render_hex.c). */
void pkl_render_hex(struct pkl_out *o, const struct pkl_frame *f);
void pkl_render_tree(struct pkl_render *r, const struct pkl_packet *pkt,
		     const struct pkl_notes *notes);
void pkl_render_json(struct pkl_render *r, const struct pkl_packet *pkt,
		     const struct pkl_notes *notes);
/* s as a JSON string: in quotes, the quote and the backslash escaped,
 * every other byte outside printable ASCII as \u00XX (render_json.c). */
void pkl_render_json_string(struct pkl_out *o, const char *s);

#endif
