/* The render stage: views over a decoded, annotated packet.
 *
 * Renderers read the packet's decoded fields, its events and its notes;
 * they never look at the frame's bytes (the hex view excepted, whose
 * whole job is to show them). */
#ifndef PKL_RENDER_H
#define PKL_RENDER_H

#include <stdbool.h>

#include "clock.h"
#include "explain.h"
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
	const char *netns;   /* JSON: the lab namespace the frame was captured in; NULL: none */
	/* The tree view on a terminal: its lines wrapped to this width
	 * (wrap.h); 0 (pipes, files) leaves them whole. */
	unsigned width;
	/* The tree's explanations said once (explain.h); NULL: all of them
	 * on every frame. */
	struct pkl_explain *explain;
	/* A live capture's cooked frames (-i any) start with their
	 * interface and direction, as tcpdump shows them: "b0 In". */
	bool link_direction;
	enum pkl_time_format time;       /* how the frame line shows a frame's time */
	/* The -q view's frame number column: at least this many digits, so
	 * that the columns after it stay put as the numbers grow. */
	unsigned number_width;
	/* The frame shown before, for PKL_TIME_DELTA. */
	bool shown_one;
	int64_t prev_sec;
	uint32_t prev_nsec;
};

/* The tree view as people read it: wrapped to the width of the terminal
 * on fd (none when fd is no terminal), explanations said at level.
 * Returns -1 when there is no memory for what the level remembers. */
int pkl_render_for_reader(struct pkl_render *r, int fd, enum pkl_explain_level level);
/* What pkl_render_for_reader took. */
void pkl_render_release(struct pkl_render *r);

/* The -q view's frame number column when at most `most` frames are
 * shown (-c): their digits; 0 (no limit) gives six, as for a million
 * frames, whatever holds them (a file's size would make the same frames
 * look different as pcap and as pcapng). */
unsigned pkl_render_number_width(uint64_t most);

/* A pkl_sink_fn (pipeline.h): the frame in r's view. */
void pkl_render_frame(void *r, const struct pkl_packet *pkt, const struct pkl_notes *notes);

/* Shared by the views (render_summary.c). */
void pkl_render_summary(struct pkl_out *o, const struct pkl_packet *pkt,
			const struct pkl_conn_snapshot *conn);
void pkl_render_tcp_flags(struct pkl_out *o, uint16_t flags);
/* The set flags' names joined by sep ("SYN+ACK" with "+"), "none" for none. */
void pkl_render_tcp_flag_names(struct pkl_out *o, uint16_t flags, const char *sep);
/* A frame's time, relative to the first frame of r's clock. */
void pkl_render_reltime(const struct pkl_render *r, const struct pkl_frame *f);
/* A frame's time as r->time says (relative, epoch, wall clock, since
 * the frame shown before, or nothing), noting it as the one shown last. */
void pkl_render_frame_time(struct pkl_render *r, struct pkl_out *o, const struct pkl_frame *f);
/* A capture time as seconds.microseconds after (or, with a '-', before)
 * the clock's first frame, whatever seconds the two hold (fractions below
 * a second, as frames hold them); 0 when the clock has no first frame yet. */
void pkl_render_time(struct pkl_out *o, const struct pkl_clock *clock, int64_t sec,
		     uint32_t nsec);
/* A protocol left undecoded, by the field that named it and the name
 * it has: "IP proto 50 (ESP)", "EtherType 0x88a2", "link type 195
 * (IEEE802_15_4_WITHFCS)". */
void pkl_render_unknown_name(struct pkl_out *o, const struct pkl_unknown *u);
/* name, or when there is none, label and the number: "echo request",
 * "type 42". */
void pkl_render_name(struct pkl_out *o, const char *name, const char *label, uint64_t number);
/* An ICMP or ICMPv6 message's type and code, by name where they have one:
 * "destination unreachable (port unreachable)", "type 42 code 7". */
void pkl_render_icmp_kind(struct pkl_out *o, bool v6, uint8_t type, uint8_t code);
/* Hex and ASCII dump of the captured bytes (render_hex.c). */
void pkl_render_hex(struct pkl_out *o, const struct pkl_frame *f);
/* The same dump of any bytes, offsets counted from base in at least
 * digits hex digits. */
void pkl_render_hex_dump(struct pkl_out *o, const uint8_t *bytes, size_t size, uint64_t base,
			 unsigned digits);
/* The application layer (DNS, HTTP) after the transport's summary, and
 * its fields in the tree, continued on lines starting at column
 * (render_app.c). */
void pkl_render_app_summary(struct pkl_out *o, const struct pkl_layer *l);
void pkl_render_app_fields(struct pkl_out *o, const struct pkl_layer *l, unsigned column);
void pkl_render_tree(struct pkl_render *r, const struct pkl_packet *pkt,
		     const struct pkl_notes *notes);
/* A pkl_wrap_hang_fn for the tree's lines: continuation lines start
 * under the frame line's summary, a layer's fields, or the text after a
 * note's or an anomaly's marker. */
unsigned pkl_render_tree_hang(const void *ctx, const char *line, size_t len);
void pkl_render_json(struct pkl_render *r, const struct pkl_packet *pkt,
		     const struct pkl_notes *notes);

#endif
