/* `pktlens conns --timeline`: ladder diagrams of TCP connections.
 *
 * Rows are kept in frame order in one growable array, each linked to
 * the next row of its connection, so that printing connection by
 * connection needs neither a sort nor a second copy.  A row holds what
 * the arrow shows, taken from the decoded TCP header and the tracker's
 * snapshot; the frame's bytes are never looked at. */
#include "render_timeline.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "services.h"
#include "tcp_analysis.h"
#include "tcp_state.h"
#include "wrap.h"

#define NO_ROW UINT32_MAX
#define FIRST_CAP 1024u
#define STATE_W 12              /* "SYN_RECEIVED" */
#define ARROW_W 42              /* the arrow's columns when its label leaves room */
#define TIME_SIZE 32            /* a relative time: sign, 20 digits, point, 6 digits */

struct row {
	uint64_t frame;
	int64_t ts_sec;
	uint32_t ts_nsec;
	uint32_t next;              /* the connection's next row; NO_ROW after its last */
	uint32_t rel_seq, rel_ack, len;
	uint16_t flags;
	uint8_t sender;             /* PKL_CLIENT or PKL_SERVER */
	uint8_t after[2];           /* enum pkl_tcp_state of client and server after it */
	struct pkl_conn_step step;
	uint16_t analysis;          /* Wireshark's findings pktlens does not judge (PKL_TA_*) */
	uint8_t own;                /* pktlens's verdict (enum pkl_tcp_own) */
};

struct conn {
	uint32_t first_row, last_row;
	uint8_t before[2];          /* states before its first frame */
	bool left;                  /* the tracker handed it over: the fields below are set */
	bool roles_inferred;
	uint8_t close;              /* enum pkl_conn_close */
	uint8_t why;                /* enum pkl_conn_exit */
	struct pkl_endpoint client, server;
	uint64_t last_frame;
};

struct pkl_timeline {
	struct row *rows;
	uint32_t n_rows, rows_cap;
	/* Indexed by the tracker's connection id - 1: it numbers connections
	 * 1, 2, ... in the order of their first frames, which is also the
	 * order the diagrams are printed in. */
	struct conn *conns;
	uint32_t n_conns, conns_cap;
	enum pkl_timeline_stop stop;
	uint64_t stop_frame;
};

struct pkl_timeline *
pkl_timeline_new(void)
{
	return calloc(1, sizeof(struct pkl_timeline));
}

void
pkl_timeline_free(struct pkl_timeline *tl)
{
	if (!tl)
		return;
	free(tl->rows);
	free(tl->conns);
	free(tl);
}

enum pkl_timeline_stop
pkl_timeline_stopped(const struct pkl_timeline *tl, uint64_t *frame)
{
	*frame = tl->stop_frame;
	return tl->stop;
}

/* Room for one more element in an array of *cap, doubled up to the row
 * cap.  Returns the array (moved, perhaps), or NULL with tl->stop set. */
static void *
make_room(struct pkl_timeline *tl, void *array, uint32_t *cap, size_t size)
{
	if (*cap == PKL_TIMELINE_MAX_ROWS) {
		tl->stop = PKL_TIMELINE_FULL;
		return NULL;
	}
	uint32_t n = *cap ? *cap * 2 : FIRST_CAP;
	if (n > PKL_TIMELINE_MAX_ROWS)
		n = PKL_TIMELINE_MAX_ROWS;
	void *p = realloc(array, (size_t)n * size);
	if (!p) {
		tl->stop = PKL_TIMELINE_NO_MEMORY;
		return NULL;
	}
	*cap = n;
	return p;
}

void
pkl_timeline_add(struct pkl_timeline *tl, const struct pkl_packet *pkt,
		 const struct pkl_notes *notes)
{
	const struct pkl_conn_snapshot *snap = &notes->conn;

	if (!snap->valid || tl->stop != PKL_TIMELINE_WHOLE)
		return;
	/* The tracker follows the outer TCP header only; a TCP header quoted
	 * in an ICMP error leaves the snapshot invalid, so this is it. */
	const struct pkl_layer *l = pkl_packet_find(pkt, PKL_PROTO_TCP, 0);
	assert(l);
	bool new_conn = snap->id > tl->n_conns;
	assert(!new_conn || snap->id == (uint64_t)tl->n_conns + 1);

	if (tl->n_rows == tl->rows_cap) {
		struct row *rows = make_room(tl, tl->rows, &tl->rows_cap, sizeof *rows);
		if (!rows) {
			tl->stop_frame = pkt->frame->number;
			return;
		}
		tl->rows = rows;
	}
	if (new_conn && tl->n_conns == tl->conns_cap) {
		struct conn *conns = make_room(tl, tl->conns, &tl->conns_cap, sizeof *conns);
		if (!conns) {
			tl->stop_frame = pkt->frame->number;
			return;
		}
		tl->conns = conns;
	}

	const struct pkl_tcp *t = &l->hdr.tcp;
	uint32_t i = tl->n_rows++;
	tl->rows[i] = (struct row){
		.frame = pkt->frame->number,
		.ts_sec = pkt->frame->ts_sec,
		.ts_nsec = pkt->frame->ts_nsec,
		.next = NO_ROW,
		.rel_seq = snap->rel_seq,
		.rel_ack = snap->rel_ack,
		.len = t->payload_len,
		.flags = t->flags,
		.sender = (uint8_t)snap->sender,
		.after = { (uint8_t)snap->after[0], (uint8_t)snap->after[1] },
		.step = snap->step,
		.analysis = (uint16_t)(snap->analysis.flags & ~(uint32_t)PKL_TA_JUDGED),
		.own = snap->analysis.own,
	};
	struct conn *c;
	if (new_conn) {
		c = &tl->conns[tl->n_conns++];
		*c = (struct conn){ .first_row = i,
				    .before = { (uint8_t)snap->before[0], (uint8_t)snap->before[1] } };
	} else {
		c = &tl->conns[snap->id - 1];
		tl->rows[c->last_row].next = i;
	}
	c->last_row = i;
}

void
pkl_timeline_conn_done(void *timeline, const struct pkl_conn_record *c)
{
	struct pkl_timeline *tl = timeline;

	if (c->kind != PKL_KIND_TCP)
		return;   /* the table's other records: their ids count apart */
	if (c->id > tl->n_conns)
		return;   /* it began after recording stopped: no row of it to draw */
	struct conn *k = &tl->conns[c->id - 1];

	k->left = true;
	k->roles_inferred = c->tcp.roles_inferred;
	k->close = c->tcp.close;
	k->why = c->left;
	k->client = c->client.endpoint;
	k->server = c->server.endpoint;
	k->last_frame = c->last_frame;
}

/* ---- printing ------------------------------------------------------------ */

struct widths {
	unsigned frame, time;
};

/* A row's time relative to the first frame, as the frame views show it. */
static size_t
reltime_text(const struct pkl_render *r, const struct row *row, char buf[TIME_SIZE])
{
	struct pkl_out o;

	pkl_out_init_fixed(&o, buf, TIME_SIZE);
	pkl_render_time(&o, r->clock, row->ts_sec, row->ts_nsec);
	return pkl_out_finish_fixed(&o);
}

/* Columns as wide as the widest frame number and time of the file, so
 * that every diagram lines up the same way. */
static struct widths
widths_of(const struct pkl_timeline *tl, const struct pkl_render *r)
{
	struct widths w = { .frame = sizeof "frame" - 1, .time = sizeof "time" - 1 };
	char buf[TIME_SIZE];

	for (uint32_t i = 0; i < tl->n_rows; i++) {
		unsigned f = pkl_out_digits(tl->rows[i].frame);
		unsigned t = (unsigned)reltime_text(r, &tl->rows[i], buf);
		if (f > w.frame)
			w.frame = f;
		if (t > w.time)
			w.time = t;
	}
	return w;
}

static void
right_aligned(struct pkl_out *o, const char *s, size_t len, unsigned width)
{
	if (len < width)
		pkl_out_spaces(o, (unsigned)(width - len));
	pkl_out_mem(o, s, len);
}

/* A state, highlighted when it has just changed; padded to the column
 * unless it ends the line. */
static void
state(struct pkl_out *o, int s, bool changed, bool pad)
{
	const char *name = pkl_tcp_state_name((enum pkl_tcp_state)s);
	size_t len = strlen(name);

	pkl_out_color(o, changed ? PKL_COLOR_FRAME : PKL_COLOR_DIM);
	pkl_out_mem(o, name, len);
	pkl_out_color(o, PKL_COLOR_RESET);
	if (pad && len < STATE_W)
		pkl_out_spaces(o, (unsigned)(STATE_W - len));
}

/*   --- SYN+ACK seq=0 ack=1 len=0 ------------>    client to server
 *   <-- SYN+ACK seq=0 ack=1 len=0 -------------    server to client
 * The label starts in the same column both ways, so the numbers of
 * consecutive arrows can be compared at a glance. */
static void
arrow(struct pkl_out *o, const struct row *row)
{
	static const char dashes[] = "------------------------------------------";
	_Static_assert(sizeof dashes - 1 >= ARROW_W, "an arrow's dashes fit in dashes[]");
	char flags[48], nums[48];
	struct pkl_out fo, no;
	bool to_server = row->sender == PKL_CLIENT;
	enum pkl_color color = to_server ? PKL_COLOR_ADDR : PKL_COLOR_LAYER;

	pkl_out_init_fixed(&fo, flags, sizeof flags);
	pkl_render_tcp_flag_names(&fo, row->flags, "+");
	size_t flen = pkl_out_finish_fixed(&fo);
	pkl_out_init_fixed(&no, nums, sizeof nums);
	pkl_out_str(&no, " seq=");
	pkl_out_u64(&no, row->rel_seq);
	if (row->flags & PKL_TCP_ACK) {
		pkl_out_str(&no, " ack=");
		pkl_out_u64(&no, row->rel_ack);
	}
	pkl_out_str(&no, " len=");
	pkl_out_u64(&no, row->len);
	size_t nlen = pkl_out_finish_fixed(&no);

	/* "--- " label " " dashes ">": at least two dashes after the label. */
	size_t used = 4 + flen + nlen + 1 + 1;
	size_t fill = used + 2 < ARROW_W ? ARROW_W - used : 2;
	pkl_out_color(o, color);
	pkl_out_str(o, to_server ? "--- " : "<-- ");
	pkl_out_color(o, PKL_COLOR_RESET);
	pkl_out_color(o, row->flags & PKL_TCP_RST ? PKL_COLOR_BAD : PKL_COLOR_FLAGS);
	pkl_out_mem(o, flags, flen);
	pkl_out_color(o, PKL_COLOR_RESET);
	pkl_out_color(o, color);
	pkl_out_mem(o, nums, nlen);
	pkl_out_char(o, ' ');
	pkl_out_mem(o, dashes, fill);
	pkl_out_char(o, to_server ? '>' : '-');
	pkl_out_color(o, PKL_COLOR_RESET);
}

static void
header(struct pkl_out *o, const struct conn *c, uint64_t id, const struct widths *w)
{
	pkl_out_str(o, "conn #");
	pkl_out_u64(o, id);
	/* Each end in the colour of the arrows it sends. */
	pkl_out_str(o, "  TCP  client ");
	pkl_out_color(o, PKL_COLOR_ADDR);
	pkl_out_endpoint(o, c->client.family, c->client.addr, c->client.port);
	pkl_out_color(o, PKL_COLOR_RESET);
	pkl_out_str(o, " -> server ");
	pkl_out_color(o, PKL_COLOR_LAYER);
	pkl_out_endpoint(o, c->server.family, c->server.addr, c->server.port);
	pkl_out_color(o, PKL_COLOR_RESET);
	pkl_service_append(o, c->server.port);
	if (c->roles_inferred)
		pkl_out_str(o, "  [handshake not seen: roles inferred]");
	pkl_out_char(o, '\n');

	/* Column titles, then each end's state before the first arrow. */
	right_aligned(o, "frame", sizeof "frame" - 1, w->frame);
	pkl_out_spaces(o, 2);
	right_aligned(o, "time", sizeof "time" - 1, w->time);
	pkl_out_str(o, "  client");
	pkl_out_spaces(o, STATE_W - (sizeof "client" - 1) + 1 + ARROW_W + 1);
	pkl_out_str(o, "server\n");
	pkl_out_spaces(o, w->frame + 2 + w->time + 2);
	state(o, c->before[PKL_CLIENT], true, true);
	pkl_out_spaces(o, 1 + ARROW_W + 1);
	state(o, c->before[PKL_SERVER], true, false);
	pkl_out_char(o, '\n');
}

static void
footer(struct pkl_out *o, const struct conn *c, const struct pkl_timeline *tl)
{
	pkl_out_str(o, "close: ");
	pkl_out_str(o, pkl_conn_close_name((enum pkl_conn_close)c->close));
	switch ((enum pkl_conn_exit)c->why) {
	case PKL_CONN_EXPIRED:
		pkl_out_str(o, "\n! idle past --idle-timeout: later frames of these ports count as a new connection");
		break;
	case PKL_CONN_EVICTED:
		pkl_out_str(o, "\n! evicted from the full table (--max-conns): later frames of these ports count as a new connection");
		break;
	case PKL_CONN_REUSED:
		pkl_out_str(o, "; its ports were then reused by a new connection");
		break;
	case PKL_CONN_CLOSED:   /* closed, and left the table 2*MSL later: nothing more to say */
	case PKL_CONN_AT_END:
		break;
	}
	if (tl->stop != PKL_TIMELINE_WHOLE && c->last_frame >= tl->stop_frame) {
		pkl_out_str(o, "\n! the timeline stopped recording at frame ");
		pkl_out_u64(o, tl->stop_frame);
		pkl_out_str(o, ": the later frames of this connection are not drawn");
	}
	pkl_out_str(o, "\n\n");
}

static void
row_line(struct pkl_out *o, const struct pkl_render *r,
	 const struct row *row, const uint8_t was[2], const struct widths *w)
{
	char time[TIME_SIZE];
	size_t tlen = reltime_text(r, row, time);
	char step[PKL_STEP_TEXT];
	size_t step_len = pkl_conn_step_format(row->step, step);

	pkl_out_color(o, PKL_COLOR_FRAME);
	pkl_out_spaces(o, w->frame - pkl_out_digits(row->frame));
	pkl_out_u64(o, row->frame);
	pkl_out_spaces(o, 2);
	right_aligned(o, time, tlen, w->time);
	pkl_out_color(o, PKL_COLOR_RESET);
	pkl_out_spaces(o, 2);
	state(o, row->after[PKL_CLIENT], row->after[PKL_CLIENT] != was[PKL_CLIENT], true);
	pkl_out_char(o, ' ');
	arrow(o, row);
	pkl_out_char(o, ' ');
	uint32_t found = row->analysis;
	state(o, row->after[PKL_SERVER], row->after[PKL_SERVER] != was[PKL_SERVER],
	      step_len || found || row->own);
	if (step_len) {
		pkl_out_str(o, "  ");
		pkl_out_color(o, PKL_COLOR_NOTE);
		pkl_out_str(o, step);
		pkl_out_color(o, PKL_COLOR_RESET);
	}
	if (found || row->own) {
		pkl_out_color(o, PKL_COLOR_FLAGS);
		if (row->own) {
			pkl_out_str(o, "  [");
			pkl_out_str(o, pkl_tcp_verdict_label((enum pkl_tcp_own)row->own));
			pkl_out_char(o, ']');
		}
		for (unsigned b = 0; b < PKL_TA_COUNT; b++) {
			if (!(found & (1u << b)))
				continue;
			pkl_out_str(o, "  [");
			pkl_out_str(o, pkl_tcp_analysis_label(b));
			pkl_out_char(o, ']');
		}
		pkl_out_color(o, PKL_COLOR_RESET);
	}
	pkl_out_char(o, '\n');
}

/* The columns of a row up to its server's state: a terminal narrower
 * than this would break the arrows, so it gets the rows whole. */
static unsigned
ladder_columns(const struct widths *w)
{
	return w->frame + 2 + w->time + 2 + STATE_W + 1 + ARROW_W + 1 + STATE_W;
}

/* A pkl_wrap_hang_fn: every continuation line under the arrows. */
static unsigned
under_arrows(const void *column, const char *line, size_t len)
{
	(void)line;
	(void)len;
	return *(const unsigned *)column;
}

/* On a terminal, the lines written to text since the last call, wrapped
 * to r->out; elsewhere they were written there directly. */
static void
flush_wrapped(const struct pkl_render *r, struct pkl_out *text, const unsigned *hang)
{
	if (text == r->out)
		return;
	pkl_wrap(r->out, text->buf, text->len, r->width, under_arrows, hang);
	text->len = 0;
}

unsigned
pkl_timeline_print(const struct pkl_timeline *tl, const struct pkl_render *r)
{
	struct widths w = widths_of(tl, r);
	unsigned hang = w.frame + 2 + w.time + 2 + STATE_W + 1;
	bool wrapped = r->width && r->width >= ladder_columns(&w);
	/* A row, a header or a footer: a few hundred columns at most. */
	char buf[4096];
	struct pkl_out text, *o = r->out;

	if (wrapped) {
		pkl_out_init_fixed(&text, buf, sizeof buf);
		text.color = r->out->color;
		o = &text;
	}
	for (uint32_t k = 0; k < tl->n_conns; k++) {
		const struct conn *c = &tl->conns[k];
		const uint8_t *was = c->before;

		assert(c->left);
		header(o, c, (uint64_t)k + 1, &w);
		flush_wrapped(r, o, &hang);
		for (uint32_t i = c->first_row; i != NO_ROW; i = tl->rows[i].next) {
			row_line(o, r, &tl->rows[i], was, &w);
			flush_wrapped(r, o, &hang);
			was = tl->rows[i].after;
		}
		footer(o, c, tl);
		flush_wrapped(r, o, &hang);
	}
	return r->width && !wrapped && tl->n_conns ? ladder_columns(&w) : 0;
}
