#include "frame_comment.h"

#include "events.h"

/* Lines are separated, not ended: a comment is not a file. */
static void
line_start(struct pkl_out *o, bool *first)
{
	if (!*first)
		pkl_out_char(o, '\n');
	*first = false;
}

void
pkl_frame_comment(struct pkl_out *o, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	char text[512];
	bool first = true;

	for (unsigned i = 0; i < pkt->n_events; i++) {
		const struct pkl_event *ev = &pkt->events[i];
		enum pkl_event_kind kind = pkl_event_kind(ev->code);
		pkl_event_format(ev->code, ev->arg, text, sizeof text);
		line_start(o, &first);
		pkl_out_str(o, kind == PKL_EVK_TRUNCATED ? "[truncated] "
			       : kind == PKL_EVK_MALFORMED ? "[malformed: " : "! ");
		pkl_out_str(o, text);
		if (kind == PKL_EVK_MALFORMED)
			pkl_out_char(o, ']');
	}
	if (pkt->events_dropped) {
		line_start(o, &first);
		pkl_out_str(o, "! and ");
		pkl_out_u64(o, pkt->events_dropped);
		pkl_out_str(o, " more anomalies");
	}
	for (unsigned i = 0; i < notes->n; i++) {
		pkl_note_format(&notes->note[i], text, sizeof text);
		line_start(o, &first);
		pkl_out_str(o, text);
	}
}
