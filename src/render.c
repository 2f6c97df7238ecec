/* One frame through the chosen view. */
#include "render.h"

static void
frame_line(struct pkl_render *r, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct pkl_out *o = r->out;

	pkl_out_color(o, PKL_COLOR_FRAME);
	pkl_out_char(o, '#');
	pkl_out_u64(o, pkt->frame->number);
	pkl_out_str(o, "  ");
	pkl_render_reltime(r, pkt->frame);
	pkl_out_color(o, PKL_COLOR_RESET);
	pkl_out_str(o, "  ");
	/* As tcpdump -i any marks them, for the frames of a crafting command. */
	if (pkt->frame->direction == PKL_DIR_SENT)
		pkl_out_str(o, "Out ");
	else if (pkt->frame->direction == PKL_DIR_RECEIVED)
		pkl_out_str(o, "In  ");
	pkl_render_summary(o, pkt, &notes->conn);
	pkl_out_char(o, '\n');
}

void
pkl_render_frame(void *render, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct pkl_render *r = render;

	switch (r->view) {
	case PKL_VIEW_JSON:
		pkl_render_json(r, pkt, notes);
		break;
	case PKL_VIEW_LINE:
		frame_line(r, pkt, notes);
		break;
	case PKL_VIEW_TREE:
		frame_line(r, pkt, notes);
		pkl_render_tree(r, pkt, notes);
		break;
	}
	if (r->hex && r->view != PKL_VIEW_JSON)
		pkl_render_hex(r->out, pkt->frame);
	if (r->view == PKL_VIEW_TREE || (r->hex && r->view == PKL_VIEW_LINE))
		pkl_out_char(r->out, '\n');
	pkl_out_frame_end(r->out);
}
