/* One frame through the chosen view. */
#include "render.h"

#include "../dissectors/sll.h"
#include "ifnames.h"
#include "wrap.h"

/* The interface (Linux cooked v2 carries its index) and the direction
 * of a cooked frame, as tcpdump -i any shows them. */
static void
link_direction(struct pkl_out *o, const struct pkl_layer *l)
{
	static const char *const dir[] = {
		[PKL_SLL_HOST] = "In", [PKL_SLL_BROADCAST] = "B", [PKL_SLL_MULTICAST] = "M",
		[PKL_SLL_OTHERHOST] = "P", [PKL_SLL_OUTGOING] = "Out",
	};
	const struct pkl_sll *s = &l->hdr.sll;

	if (l->proto == PKL_PROTO_SLL2) {
		const char *name = pkl_ifname(s->ifindex);
		if (name) {
			pkl_out_str(o, name);
		} else {
			pkl_out_str(o, "ifindex ");
			pkl_out_u64(o, s->ifindex);
		}
		pkl_out_char(o, ' ');
	}
	if (s->pkttype < sizeof dir / sizeof dir[0])
		pkl_out_str(o, dir[s->pkttype]);
	else
		pkl_out_u64(o, s->pkttype);
	pkl_out_str(o, "  ");
}

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
	else if (r->link_direction && pkt->n_layers &&
		 (pkt->layers[0].proto == PKL_PROTO_SLL || pkt->layers[0].proto == PKL_PROTO_SLL2) &&
		 (pkt->layers[0].flags & PKL_LAYER_HEADER))
		link_direction(o, &pkt->layers[0]);
	pkl_render_summary(o, pkt, &notes->conn);
	pkl_out_char(o, '\n');
}

/* One frame's tree, gathered to be wrapped: a frame's layers, anomalies
 * and notes come to a few kilobytes (at most PKL_MAX_NOTES notes). */
static char tree_text[1 << 16];

/* The frame line and the tree into tree_text, then through the wrapper
 * to r's output. */
static void
wrapped_tree(struct pkl_render *r, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct pkl_out *real = r->out, text;

	pkl_out_init_fixed(&text, tree_text, sizeof tree_text);
	text.color = real->color;
	r->out = &text;
	frame_line(r, pkt, notes);
	pkl_render_tree(r, pkt, notes);
	r->out = real;
	pkl_wrap(real, tree_text, pkl_out_finish_fixed(&text), r->width, pkl_render_tree_hang, NULL);
}

int
pkl_render_for_reader(struct pkl_render *r, int fd, enum pkl_explain_level level)
{
	r->width = pkl_wrap_terminal_width(fd);
	r->explain = NULL;
	if (level != PKL_EXPLAIN_ALL && !(r->explain = pkl_explain_new(level)))
		return -1;
	return 0;
}

void
pkl_render_release(struct pkl_render *r)
{
	pkl_explain_free(r->explain);
	r->explain = NULL;
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
		if (r->width) {
			wrapped_tree(r, pkt, notes);
			break;
		}
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
