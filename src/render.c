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

/* The -q view's time column: as wide as the format's usual text, so the
 * summaries start in one column (relative and delta times beyond 999 s
 * push it along, as tshark's do). */
static unsigned
time_width(enum pkl_time_format f)
{
	switch (f) {
	case PKL_TIME_NONE: return 0;
	case PKL_TIME_EPOCH: return 17;     /* 1795307411.964347 */
	case PKL_TIME_DATE: return 26;      /* 2026-11-21 12:30:11.964347 */
	case PKL_TIME_ABS: return 15;       /* 12:30:11.964347 */
	default: return 10;                 /*   0.000000 */
	}
}

unsigned
pkl_render_number_width(uint64_t most)
{
	return most ? pkl_out_digits(most) : 6;
}

/* "#12  0.000030  ": the frame's number and time; in the -q view in
 * columns of fixed width, the time right-aligned. */
static void
frame_number_time(struct pkl_render *r, const struct pkl_frame *f)
{
	struct pkl_out *o = r->out;
	bool columns = r->view == PKL_VIEW_LINE;

	pkl_out_char(o, '#');
	pkl_out_u64(o, f->number);
	if (columns && pkl_out_digits(f->number) < r->number_width)
		pkl_out_spaces(o, r->number_width - pkl_out_digits(f->number));
	if (r->time == PKL_TIME_NONE) {
		r->shown_one = true;
		return;
	}
	char text[64];
	struct pkl_out t;
	pkl_out_init_fixed(&t, text, sizeof text);
	pkl_render_frame_time(r, &t, f);
	size_t len = pkl_out_finish_fixed(&t);
	unsigned width = columns ? time_width(r->time) : 0;
	pkl_out_spaces(o, 2 + (len < width ? width - (unsigned)len : 0));
	pkl_out_mem(o, text, len);
}

static void
frame_line(struct pkl_render *r, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct pkl_out *o = r->out;

	pkl_out_color(o, PKL_COLOR_FRAME);
	frame_number_time(r, pkt->frame);
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
