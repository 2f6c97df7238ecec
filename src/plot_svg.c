#include "plot_svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conn_record.h"
#include "segment.h"
#include "tcp_analysis.h"

enum point_kind {
	PT_SEGMENT,        /* data, in order */
	PT_RETRANSMISSION,
	PT_OUT_OF_ORDER,
	PT_ACK,            /* lo: the ACK; hi: the ACK plus the window */
	PT_SACK,           /* lo..hi: a block the receiver holds */
	PT_ZERO_WINDOW,    /* lo: the ACK of a zero window */
	PT_KINDS
};

struct point {
	double t;          /* seconds from the clock's first frame */
	int64_t lo, hi;    /* sequence positions of the data direction */
	enum point_kind kind;
};

/* What is drawn for one data direction: its segments, and the ACKs the
 * other end sent of them. */
struct series {
	struct point *p;
	size_t n, cap;
	double slice;          /* merged per slice of this many seconds; 0: not merged */
	size_t last[PT_KINDS]; /* index + 1 of the last point of each kind; 0: none */
	bool started;
	int64_t top;           /* the last position seen, that numbers are unwrapped near */
	uint64_t bytes, segments, retransmissions, zero_windows;
};

struct pkl_plot {
	uint64_t conn;
	const struct pkl_clock *clock;
	bool seen, short_of_memory;
	int family;
	uint8_t addr[2][16];
	uint16_t port[2];
	struct series s[2];    /* by sender of the data */
};

struct pkl_plot *
pkl_plot_new(uint64_t conn, const struct pkl_clock *clock)
{
	struct pkl_plot *p = calloc(1, sizeof *p);

	if (p) {
		p->conn = conn;
		p->clock = clock;
	}
	return p;
}

void
pkl_plot_free(struct pkl_plot *p)
{
	if (!p)
		return;
	free(p->s[0].p);
	free(p->s[1].p);
	free(p);
}

bool
pkl_plot_seen(const struct pkl_plot *p)
{
	return p->seen;
}

bool
pkl_plot_short(const struct pkl_plot *p)
{
	return p->short_of_memory;
}

static bool
same_slice(const struct series *s, double a, double b)
{
	return s->slice > 0 && floor(a / s->slice) == floor(b / s->slice);
}

/* Merge b into a, of one kind and slice: a bar covers both, the ACK
 * line keeps the latest. */
static void
merge(struct point *a, const struct point *b)
{
	if (a->kind == PT_ACK || a->kind == PT_ZERO_WINDOW) {
		*a = (struct point){ a->t, b->lo > a->lo ? b->lo : a->lo, b->hi > a->hi ? b->hi : a->hi,
				     a->kind };
		return;
	}
	if (b->lo < a->lo)
		a->lo = b->lo;
	if (b->hi > a->hi)
		a->hi = b->hi;
}

/* Full: slices twice as wide (the first a quarter of the room over the
 * time so far), and the points merged into them. */
static void
thin(struct series *s)
{
	double span = s->p[s->n - 1].t - s->p[0].t;
	size_t n = 0;

	s->slice = s->slice > 0 ? s->slice * 2 : (span > 0 ? span : 1e-6) / (s->cap / 4.0);
	for (int k = 0; k < PT_KINDS; k++)
		s->last[k] = 0;
	for (size_t i = 0; i < s->n; i++) {
		struct point pt = s->p[i];
		size_t *last = &s->last[pt.kind];
		if (*last && same_slice(s, s->p[*last - 1].t, pt.t)) {
			merge(&s->p[*last - 1], &pt);
			continue;
		}
		s->p[n++] = pt;
		*last = n;
	}
	s->n = n;
}

static void
add(struct pkl_plot *plot, struct series *s, double t, int64_t lo, int64_t hi,
    enum point_kind kind)
{
	struct point pt = { t, lo, hi, kind };
	size_t *last = &s->last[kind];

	if (plot->short_of_memory)
		return;
	if (*last && same_slice(s, s->p[*last - 1].t, t)) {
		merge(&s->p[*last - 1], &pt);
		return;
	}
	if (s->n == s->cap) {
		if (s->cap == PKL_PLOT_MAX_POINTS) {
			thin(s);
			if (*last && same_slice(s, s->p[*last - 1].t, t)) {
				merge(&s->p[*last - 1], &pt);
				return;
			}
		} else {
			size_t cap = s->cap ? s->cap * 2 : 1024;
			struct point *grown = realloc(s->p, cap * sizeof *grown);
			if (!grown) {
				plot->short_of_memory = true;
				return;
			}
			s->p = grown;
			s->cap = cap;
		}
	}
	s->p[s->n++] = pt;
	*last = s->n;
}

static double
seconds(const struct pkl_plot *p, const struct pkl_frame *f)
{
	/* In doubles: the difference of two far-apart times may not fit
	 * in 64 bits. */
	return ((double)f->ts_sec - (double)p->clock->first_sec) +
	       ((double)f->ts_nsec - (double)p->clock->first_nsec) / 1e9;
}

static int64_t
position(struct series *s, uint32_t rel)
{
	if (!s->started) {
		s->started = true;
		s->top = rel;
	}
	return pkl_segment_unwrap(s->top, rel);
}

void
pkl_plot_frame(void *plot, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct pkl_plot *p = plot;
	struct pkl_segment seg;

	if (!pkl_segment_of(pkt, notes, &seg) || seg.conn != p->conn)
		return;
	if (!p->seen) {
		int c = seg.sender == PKL_CLIENT;   /* 1: the sender is the client */
		p->seen = true;
		p->family = seg.family;
		memcpy(p->addr[!c], seg.src, seg.family == 4 ? 4 : 16);
		memcpy(p->addr[c], seg.dst, seg.family == 4 ? 4 : 16);
		p->port[!c] = seg.sport;
		p->port[c] = seg.dport;
	}
	double t = seconds(p, pkt->frame);
	struct series *data = &p->s[seg.sender], *acked = &p->s[!seg.sender];

	if (seg.len) {
		int64_t lo = position(data, seg.rel_seq + ((seg.flags & PKL_TCP_SYN) ? 1 : 0));
		int64_t hi = lo + seg.len;
		enum point_kind kind = PT_SEGMENT;
		if (seg.analysis & (PKL_TA_RETRANSMISSION | PKL_TA_FAST_RETRANSMISSION |
				    PKL_TA_SPURIOUS_RETRANSMISSION)) {
			kind = PT_RETRANSMISSION;
			data->retransmissions++;
		} else if (seg.analysis & PKL_TA_OUT_OF_ORDER) {
			kind = PT_OUT_OF_ORDER;
		}
		if (hi > data->top)
			data->top = hi;
		data->bytes += seg.len;
		data->segments++;
		add(p, data, t, lo, hi, kind);
	}
	if ((seg.flags & PKL_TCP_ACK) && !(seg.flags & PKL_TCP_RST)) {
		int64_t ack = position(acked, seg.rel_ack);
		add(p, acked, t, ack, ack + seg.window, PT_ACK);
		if (seg.analysis & PKL_TA_ZERO_WINDOW) {
			acked->zero_windows++;
			add(p, acked, t, ack, ack, PT_ZERO_WINDOW);
		}
		for (unsigned k = 0; k < seg.n_sack; k++) {
			int64_t left = position(acked, seg.sack_left[k]);
			add(p, acked, t, left, left + (int32_t)(seg.sack_right[k] - seg.sack_left[k]),
			    PT_SACK);
		}
	}
}

/* ------------------------------------------------------------ drawing */

#define WIDTH 1200
#define HEIGHT 820
#define LEFT 100
#define TOP 70
#define PLOT_W 1070
#define PLOT_H 600

struct scale {
	double t0, t1;
	double y0, y1;
	double unit;           /* bytes per unit of the y labels */
	const char *unit_name;
};

static double
x_of(const struct scale *sc, double t)
{
	return LEFT + (t - sc->t0) / (sc->t1 - sc->t0) * PLOT_W;
}

static double
y_of(const struct scale *sc, double v)
{
	return TOP + PLOT_H - (v - sc->y0) / (sc->y1 - sc->y0) * PLOT_H;
}

static bool
is_data(enum point_kind k)
{
	return k == PT_SEGMENT || k == PT_RETRANSMISSION || k == PT_OUT_OF_ORDER;
}

/* The time and sequence ranges: every point, the window line only as
 * far as half the data's height above it (beyond, it is cut at the top). */
static void
make_scale(const struct series *s, struct scale *sc)
{
	double t0 = INFINITY, t1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY, win = -INFINITY;

	for (size_t i = 0; i < s->n; i++) {
		const struct point *pt = &s->p[i];
		t0 = fmin(t0, pt->t);
		t1 = fmax(t1, pt->t);
		y0 = fmin(y0, (double)pt->lo);
		if (pt->kind == PT_ACK) {
			y1 = fmax(y1, (double)pt->lo);
			win = fmax(win, (double)pt->hi);
		} else {
			y1 = fmax(y1, (double)pt->hi);
		}
	}
	if (!s->n)
		t0 = t1 = y0 = y1 = 0;
	if (win > y1)
		y1 = fmin(win, y1 + (y1 - y0) / 2);
	if (t1 - t0 < 1e-6)
		t1 = t0 + 1e-3;
	if (y1 - y0 < 1)
		y1 = y0 + 1;
	/* A margin all round, so that no bar sits on an axis. */
	double dt = (t1 - t0) * 0.02, dy = (y1 - y0) * 0.03;
	*sc = (struct scale){ t0 - dt, t1 + dt, y0 - dy, y1 + dy, 1, "bytes" };
	static const struct { double unit; const char *name; } units[] = {
		{ 1e9, "GB" }, { 1e6, "MB" }, { 1e3, "kB" },
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (fabs(sc->y1) >= 10 * units[i].unit) {
			sc->unit = units[i].unit;
			sc->unit_name = units[i].name;
			break;
		}
}

/* 1, 2 or 5 times a power of ten: about `ticks` steps over range. */
static double
tick_step(double range, int ticks)
{
	double raw = range / ticks, mag = pow(10, floor(log10(raw))), f = raw / mag;

	return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

/* The i-th tick at or after from, step apart: counted, not summed, so
 * that a step below the precision of far-off times cannot stall. */
#define MAX_TICKS 40

static double
tick(double from, double step, int i)
{
	return (ceil(from / step) + i) * step;
}

static int
decimals(double step)
{
	int d = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
	return d > 9 ? 9 : d;
}

static void
axes(struct pkl_out *o, const struct scale *sc)
{
	double step = tick_step(sc->t1 - sc->t0, 10);
	int dec = decimals(step);

	pkl_out_printf(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
		       "stroke=\"#000\"/>\n", LEFT, TOP, PLOT_W, PLOT_H);
	pkl_out_str(o, "<g class=\"x-axis\" stroke=\"#ccc\" stroke-dasharray=\"2 3\">\n");
	for (int i = 0; i < MAX_TICKS && tick(sc->t0, step, i) <= sc->t1; i++)
		pkl_out_printf(o, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n",
			       x_of(sc, tick(sc->t0, step, i)), TOP, x_of(sc, tick(sc->t0, step, i)),
			       TOP + PLOT_H);
	pkl_out_str(o, "</g>\n<g text-anchor=\"middle\">\n");
	for (int i = 0; i < MAX_TICKS && tick(sc->t0, step, i) <= sc->t1; i++) {
		double t = tick(sc->t0, step, i);
		pkl_out_printf(o, "<text x=\"%.1f\" y=\"%d\">%.*f</text>\n", x_of(sc, t),
			       TOP + PLOT_H + 18, dec, fabs(t) < step / 2 ? 0.0 : t);
	}
	pkl_out_printf(o, "<text x=\"%d\" y=\"%d\">time since the capture's first frame (s)"
		       "</text>\n</g>\n", LEFT + PLOT_W / 2, TOP + PLOT_H + 42);

	step = tick_step((sc->y1 - sc->y0) / sc->unit, 8) * sc->unit;
	dec = decimals(step / sc->unit);
	pkl_out_str(o, "<g class=\"y-axis\" stroke=\"#ccc\" stroke-dasharray=\"2 3\">\n");
	for (int i = 0; i < MAX_TICKS && tick(sc->y0, step, i) <= sc->y1; i++)
		pkl_out_printf(o, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n", LEFT,
			       y_of(sc, tick(sc->y0, step, i)), LEFT + PLOT_W,
			       y_of(sc, tick(sc->y0, step, i)));
	pkl_out_str(o, "</g>\n<g text-anchor=\"end\">\n");
	for (int i = 0; i < MAX_TICKS && tick(sc->y0, step, i) <= sc->y1; i++) {
		double v = tick(sc->y0, step, i);
		pkl_out_printf(o, "<text x=\"%d\" y=\"%.1f\">%.*f</text>\n", LEFT - 6,
			       y_of(sc, v) + 4, dec, fabs(v) < step / 2 ? 0.0 : v / sc->unit);
	}
	pkl_out_printf(o, "</g>\n<text transform=\"translate(%d %d) rotate(-90)\" "
		       "text-anchor=\"middle\">relative sequence number (%s)</text>\n",
		       24, TOP + PLOT_H / 2, sc->unit_name);
}

/* One bar: a vertical line with a tick at each end, as tcptrace draws a
 * segment; a retransmission adds a circle at its top, an out-of-order
 * segment a square. */
static void
bar(struct pkl_out *o, enum point_kind kind, double x, double ylo, double yhi)
{
	static const char *const class[] = {
		[PT_SEGMENT] = "seg", [PT_RETRANSMISSION] = "seg retransmission",
		[PT_OUT_OF_ORDER] = "seg out-of-order",
	};

	pkl_out_printf(o, "<path class=\"%s\" d=\"M%.1f %.1fV%.1fM%.1f %.1fh4M%.1f %.1fh4\"/>\n",
		       class[kind], x, ylo, yhi, x - 2, ylo, x - 2, yhi);
	if (kind == PT_RETRANSMISSION)
		pkl_out_printf(o, "<circle class=\"retransmission-mark\" cx=\"%.1f\" cy=\"%.1f\" "
			       "r=\"4\"/>\n", x, yhi - 5);
	else if (kind == PT_OUT_OF_ORDER)
		pkl_out_printf(o, "<rect class=\"out-of-order-mark\" x=\"%.1f\" y=\"%.1f\" "
			       "width=\"7\" height=\"7\"/>\n", x - 3.5, yhi - 9);
}

/* The data bars of one kind, in their colour; past PKL_PLOT_MAX_BARS
 * segments one per pixel column, covering the column's segments. */
static void
bars(struct pkl_out *o, const struct series *s, const struct scale *sc, enum point_kind kind,
     const char *colour, bool per_column)
{
	double lo = 0, hi = 0;
	long column = -1;

	pkl_out_printf(o, "<g stroke=\"%s\" fill=\"none\" stroke-width=\"1.2\">\n", colour);
	for (size_t i = 0; i < s->n; i++) {
		const struct point *pt = &s->p[i];
		if (pt->kind != kind)
			continue;
		double x = x_of(sc, pt->t);
		if (!per_column) {
			bar(o, kind, x, y_of(sc, (double)pt->lo), y_of(sc, (double)pt->hi));
			continue;
		}
		if ((long)x == column) {
			lo = fmin(lo, (double)pt->lo);
			hi = fmax(hi, (double)pt->hi);
			continue;
		}
		if (column >= 0)
			bar(o, kind, (double)column + 0.5, y_of(sc, lo), y_of(sc, hi));
		column = (long)x;
		lo = (double)pt->lo;
		hi = (double)pt->hi;
	}
	if (per_column && column >= 0)
		bar(o, kind, (double)column + 0.5, y_of(sc, lo), y_of(sc, hi));
	pkl_out_str(o, "</g>\n");
}

/* The ACK line (lo) or the window line (hi) as steps: each value holds
 * until the next.  Per pixel column, its lowest, highest and last value
 * are drawn (a light file for a long transfer, its dips still seen). */
static void
step_line(struct pkl_out *o, const struct series *s, const struct scale *sc, bool window,
	  const char *attrs)
{
	long column = -1;
	double lo = 0, hi = 0, last = 0;

	pkl_out_printf(o, "<path class=\"%s\" fill=\"none\" %s d=\"", window ? "window" : "ack",
		       attrs);
	for (size_t i = 0; i < s->n; i++) {
		const struct point *pt = &s->p[i];
		if (pt->kind != PT_ACK)
			continue;
		double x = x_of(sc, pt->t);
		double y = y_of(sc, (double)(window ? pt->hi : pt->lo));
		if (column < 0) {
			pkl_out_printf(o, "M%.1f %.1f", x, y);
		} else if ((long)x != column) {
			if (lo != last || hi != last)
				pkl_out_printf(o, "V%.1fV%.1f", lo, hi);
			pkl_out_printf(o, "V%.1fH%.1f", last, x);
			lo = hi = y;
		}
		if ((long)x != column) {
			column = (long)x;
			lo = hi = y;
		}
		lo = fmin(lo, y);
		hi = fmax(hi, y);
		last = y;
	}
	if (column < 0)
		pkl_out_str(o, "M0 0");
	else
		pkl_out_printf(o, "V%.1fV%.1fV%.1f", lo, hi, last);
	pkl_out_printf(o, "H%d\"/>\n", LEFT + PLOT_W);
}

/* SACK blocks and zero windows; past PKL_PLOT_MAX_BARS segments at
 * most one of each per pixel column (a block covering the column's). */
static void
marks(struct pkl_out *o, const struct series *s, const struct scale *sc, bool per_column)
{
	long column = -1;
	double lo = 0, hi = 0;

	pkl_out_str(o, "<g stroke=\"#7b2fbf\" stroke-width=\"3\" stroke-opacity=\"0.7\">\n");
	for (size_t i = 0; i <= s->n; i++) {
		const struct point *pt = i < s->n ? &s->p[i] : NULL;
		if (pt && pt->kind != PT_SACK)
			continue;
		double x = pt ? x_of(sc, pt->t) : -1;
		if (pt && per_column && (long)x == column) {
			lo = fmin(lo, (double)pt->lo);
			hi = fmax(hi, (double)pt->hi);
			continue;
		}
		if (column >= 0)
			pkl_out_printf(o, "<path class=\"sack\" d=\"M%.1f %.1fV%.1f\"/>\n",
				       (double)column + 2.5, y_of(sc, lo), y_of(sc, hi));
		if (!pt)
			break;
		column = (long)x;
		lo = (double)pt->lo;
		hi = (double)pt->hi;
	}
	pkl_out_str(o, "</g>\n<g fill=\"#e07000\" stroke=\"#000\" stroke-width=\"0.6\">\n");
	column = -1;
	for (size_t i = 0; i < s->n; i++) {
		const struct point *pt = &s->p[i];
		double x = x_of(sc, pt->t);
		if (pt->kind != PT_ZERO_WINDOW || (per_column && (long)x == column))
			continue;
		column = (long)x;
		pkl_out_printf(o, "<path class=\"zero-window-mark\" d=\"M%.1f %.1fl-5 9h10z\"/>\n",
			       x, y_of(sc, (double)pt->lo));
	}
	pkl_out_str(o, "</g>\n");
}

static void
legend(struct pkl_out *o)
{
	static const struct { const char *sample, *text; } entries[] = {
		{ "<path stroke=\"#000\" stroke-width=\"1.2\" d=\"M8 -10V6M6 -10h4M6 6h4\"/>",
		  "data segment (its bytes)" },
		{ "<path stroke=\"#d00000\" stroke-width=\"1.2\" d=\"M8 -10V6M6 -10h4M6 6h4\"/>"
		  "<circle cx=\"8\" cy=\"-15\" r=\"4\" fill=\"none\" stroke=\"#d00000\"/>",
		  "retransmission (circle)" },
		{ "<path stroke=\"#0060c0\" stroke-width=\"1.2\" d=\"M8 -10V6M6 -10h4M6 6h4\"/>"
		  "<rect x=\"4.5\" y=\"-19\" width=\"7\" height=\"7\" fill=\"none\" stroke=\"#0060c0\"/>",
		  "out of order (square)" },
		{ "<path stroke=\"#7b2fbf\" stroke-width=\"3\" d=\"M8 -10V6\"/>", "SACK block" },
		{ "<path stroke=\"#008000\" stroke-width=\"1.5\" d=\"M0 0H20\"/>", "ACK line" },
		{ "<path stroke=\"#a07000\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\" "
		  "d=\"M0 0H20\"/>", "receive window: ACK + window (dashed)" },
		{ "<path fill=\"#e07000\" stroke=\"#000\" stroke-width=\"0.6\" d=\"M8 -5l-5 9h10z\"/>",
		  "zero window (triangle)" },
	};
	int x = LEFT, y = TOP + PLOT_H + 80;

	pkl_out_str(o, "<g class=\"legend\" fill=\"none\">\n");
	for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
		if (i == 4) {
			x = LEFT;
			y += 30;
		}
		pkl_out_printf(o, "<g transform=\"translate(%d %d)\">%s<text x=\"28\" y=\"4\" "
			       "fill=\"#000\">%s</text></g>\n", x, y, entries[i].sample,
			       entries[i].text);
		x += 280;
	}
	pkl_out_str(o, "</g>\n");
}

static void
title(struct pkl_out *o, const struct pkl_plot *p, int d)
{
	const struct series *s = &p->s[d];

	pkl_out_printf(o, "<text x=\"%d\" y=\"26\" font-size=\"16\" font-weight=\"bold\">"
		       "conn #%llu  TCP  client ", LEFT, (unsigned long long)p->conn);
	pkl_out_endpoint(o, p->family, p->addr[PKL_CLIENT], p->port[PKL_CLIENT]);
	pkl_out_str(o, " -> server ");
	pkl_out_endpoint(o, p->family, p->addr[PKL_SERVER], p->port[PKL_SERVER]);
	pkl_out_printf(o, "</text>\n<text x=\"%d\" y=\"48\">time-sequence graph of the %s's data "
		       "(%s): %llu bytes sent (retransmissions included) in %llu segments, %llu "
		       "retransmissions, %llu zero windows</text>\n", LEFT, d == PKL_CLIENT ? "client" : "server",
		       d == PKL_CLIENT ? "client -> server" : "server -> client",
		       (unsigned long long)s->bytes, (unsigned long long)s->segments,
		       (unsigned long long)s->retransmissions, (unsigned long long)s->zero_windows);
}

void
pkl_plot_write(const struct pkl_plot *p, struct pkl_out *o)
{
	/* The direction that carried more: the client's when neither did. */
	int d = p->s[PKL_SERVER].bytes > p->s[PKL_CLIENT].bytes ? PKL_SERVER : PKL_CLIENT;
	const struct series *s = &p->s[d];
	struct scale sc;
	size_t segments = 0;

	for (size_t i = 0; i < s->n; i++)
		segments += is_data(s->p[i].kind);
	bool per_column = segments > PKL_PLOT_MAX_BARS;
	make_scale(s, &sc);
	pkl_out_printf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		       "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		       "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
		       "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
		       WIDTH, HEIGHT, WIDTH, HEIGHT);
	title(o, p, d);
	axes(o, &sc);
	pkl_out_printf(o, "<clipPath id=\"plot-area\"><rect x=\"%d\" y=\"%d\" width=\"%d\" "
		       "height=\"%d\"/></clipPath>\n<g clip-path=\"url(#plot-area)\">\n",
		       LEFT, TOP, PLOT_W, PLOT_H);
	step_line(o, s, &sc, true, "stroke=\"#a07000\" stroke-width=\"1.5\" "
		  "stroke-dasharray=\"6 3\"");
	step_line(o, s, &sc, false, "stroke=\"#008000\" stroke-width=\"1.5\"");
	marks(o, s, &sc, per_column);
	bars(o, s, &sc, PT_SEGMENT, "#000", per_column);
	bars(o, s, &sc, PT_OUT_OF_ORDER, "#0060c0", per_column);
	bars(o, s, &sc, PT_RETRANSMISSION, "#d00000", per_column);
	pkl_out_str(o, "</g>\n");
	legend(o);
	pkl_out_str(o, "</svg>\n");
}
