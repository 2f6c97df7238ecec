/* `pktlens conns`: one record per conversation of a saved capture, or a
 * ladder diagram per TCP connection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../render_conns.h"
#include "../render_timeline.h"
#include "../wrap.h"
#include "common.h"
#include "conn_views.h"

struct conns_args {
	bool json, timeline, table;
	int color;
	struct pkl_conn_view_args view;
};

enum { OPT_TIMELINE = PKL_OPT_LONG_ONLY, OPT_COLOR, OPT_FOLLOW, OPT_RAW, OPT_DIR, OPT_PLOT,
       OPT_TABLE };

static const struct pkl_option conns_options[] = {
	{ 'j', "json", NULL, false, "one JSON object per record" },
	{ OPT_TIMELINE, "timeline", NULL, false,
	  "a ladder diagram of each connection instead: one arrow\n"
	  "per segment (flags, relative seq/ack, length), the\n"
	  "client's state on the left, the server's on the right" },
	{ OPT_TABLE, "table", NULL, false,
	  "the TCP connections, a line each, as tshark -z conv,tcp\n"
	  "lays them out (frames and bytes on the wire each way\n"
	  "and in all, relative start, duration), with how each\n"
	  "closed and both ends' final states; by first frame" },
	{ OPT_COLOR, "color", "WHEN", true,
	  "colours of the timeline: auto (default: on a terminal,\n"
	  "unless NO_COLOR is set), always (also a bare --color), never" },
	{ OPT_COLOR, "colour", "WHEN", true, NULL },
	{ OPT_FOLLOW, "follow", "N", false,
	  "connection #N's bytes instead, both directions as the\n"
	  "applications read them (each byte once, holes marked),\n"
	  "with a marker at each segment boundary and PSH" },
	{ 'x', "hex", NULL, false, "with --follow: the bytes as a hex and ASCII dump" },
	{ OPT_RAW, "raw", NULL, false,
	  "with --follow and --dir: that direction's bytes\n"
	  "unchanged, nothing else (for a file or a pipe)" },
	{ OPT_DIR, "dir", "c2s|s2c", false,
	  "with --raw: the client's bytes (c2s) or the server's" },
	{ OPT_PLOT, "plot", "N", false,
	  "connection #N's time-sequence graph instead, as SVG to\n"
	  "-o FILE (repeat --plot for more: FILE-N.svg each)" },
	{ 'o', "output", "FILE", false, "with --plot: the SVG file to write" },
	{ 0, NULL, NULL, false, NULL },
};

static int
conns_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct conns_args *a = target;
	struct pkl_conn_view_args *v = &a->view;

	switch (key) {
	case 'j': a->json = true; break;
	case OPT_TIMELINE: a->timeline = true; break;
	case OPT_TABLE: a->table = true; break;
	case OPT_COLOR: return pkl_opt_color(p, value, &a->color);
	case OPT_FOLLOW:
		return pkl_opt_number(p, value, 1, UINT64_MAX, "connection number", &v->follow);
	case 'x': v->hex = true; break;
	case OPT_RAW: v->raw = true; break;
	case OPT_DIR:
		if (strcmp(value, "c2s") == 0 || strcmp(value, "client") == 0)
			v->raw_sender = PKL_CLIENT;
		else if (strcmp(value, "s2c") == 0 || strcmp(value, "server") == 0)
			v->raw_sender = PKL_SERVER;
		else
			return pkl_opt_error(p, "--dir takes c2s (the client's bytes) or s2c (the "
					     "server's), not '%s'", value);
		break;
	case OPT_PLOT:
		if (v->nplots == PKL_CMD_MAX_PLOTS)
			return pkl_opt_error(p, "at most %d --plot at once", PKL_CMD_MAX_PLOTS);
		return pkl_opt_number(p, value, 1, UINT64_MAX, "connection number",
				      &v->plot[v->nplots++]);
	case 'o': v->plot_path = value; break;
	}
	return 0;
}

static int
conns_check(void *target, struct pkl_opt_parser *p)
{
	const struct conns_args *a = target;
	const struct pkl_conn_view_args *v = &a->view;

	if (a->timeline && a->json)
		return pkl_opt_error(p, "--timeline draws text diagrams and cannot be combined "
				     "with --json: drop one of the two");
	if (a->table && (a->timeline || a->json))
		return pkl_opt_error(p, "--table is a view of its own: drop %s",
				     a->json ? "--json (the records carry the same facts)" : "--timeline");
	if (pkl_cmd_conn_view_wanted(v) && (a->timeline || a->json || a->table))
		return pkl_opt_error(p, "--follow and --plot show one connection, not the records: "
				     "drop --timeline, --table and --json");
	if (v->follow && v->nplots)
		return pkl_opt_error(p, "--follow and --plot go one at a time: drop one of the two");
	if ((v->raw || v->hex || v->raw_sender >= 0) && !v->follow)
		return pkl_opt_error(p, "-x, --raw and --dir shape what --follow shows: add --follow N");
	if (v->raw != (v->raw_sender >= 0))
		return pkl_opt_error(p, "--raw writes one direction: give it with --dir c2s or "
				     "--dir s2c");
	if (v->raw && v->hex)
		return pkl_opt_error(p, "--raw writes the bytes unchanged and -x dumps them: drop "
				     "one of the two");
	if (v->nplots && !v->plot_path)
		return pkl_opt_error(p, "--plot writes SVG: name the file with -o FILE.svg");
	if (v->plot_path && !v->nplots)
		return pkl_opt_error(p, "-o names the file of --plot: add --plot N");
	return 0;
}

/* A pkl_sink_fn: the frame's arrow, from the tracker's snapshot. */
static void
record_arrow(void *timeline, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	pkl_timeline_add(timeline, pkt, notes);
}

/* A pkl_sink_fn: the frame's time, for the capture's span. */
static void
note_time(void *span, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	(void)notes;
	pkl_time_span_add(span, pkt->frame);
}

/* "capture: 12 frames, START to END (local time), DURATION s". */
static void
print_span(struct pkl_out *out, const struct pkl_time_span *span)
{
	pkl_out_printf(out, "capture: %llu frame%s", (unsigned long long)span->frames,
		       span->frames == 1 ? "" : "s");
	if (span->frames)
		pkl_out_str(out, ", ");
	pkl_time_span_print(out, span);
	pkl_out_char(out, '\n');
}

/* The table of TCP connections, under the capture's span. */
static int
print_table(struct pkl_conns_table *table, struct pkl_out *out, const struct pkl_time_span *span,
	    const struct pkl_clock *clock)
{
	print_span(out, span);
	if (!pkl_conns_table_rows(table)) {
		pkl_out_printf(out, "no TCP connection in the %llu frame%s read\n",
			       (unsigned long long)span->frames, span->frames == 1 ? "" : "s");
		return 0;
	}
	pkl_out_printf(out, "TCP connections: %llu, by first frame; times in seconds from the "
		       "first frame\n\n", (unsigned long long)pkl_conns_table_rows(table));
	if (pkl_conns_table_print(table, out, clock) < 0) {
		fprintf(stderr, "%s: out of memory for the table: some connections are missing "
			"from it; narrow the capture with a filter or -c\n", pkl_progname);
		return EXIT_RUNTIME;
	}
	return 0;
}

/* Draw the recorded ladders, and say where recording stopped if it did.
 * Returns the exit status it calls for. */
static int
print_timeline(const struct pkl_timeline *tl, const struct pkl_render *r)
{
	uint64_t frame;
	unsigned needed = pkl_timeline_print(tl, r);

	if (needed)
		fprintf(stderr, "%s: the timeline needs %u columns and this terminal has %u: "
			"widen the window, or page it sideways with less -S "
			"(pktlens conns --timeline FILE | less -S)\n", pkl_progname, needed, r->width);
	switch (pkl_timeline_stopped(tl, &frame)) {
	case PKL_TIMELINE_WHOLE:
		break;
	case PKL_TIMELINE_FULL:
		fprintf(stderr, "%s: the timeline holds at most %u arrows and stopped recording at "
			"frame %llu; narrow it with a filter or -c\n", pkl_progname,
			PKL_TIMELINE_MAX_ROWS, (unsigned long long)frame);
		break;
	case PKL_TIMELINE_NO_MEMORY:
		fprintf(stderr, "%s: out of memory for the timeline: it stopped recording at frame "
			"%llu; narrow it with a filter or -c\n", pkl_progname, (unsigned long long)frame);
		return EXIT_RUNTIME;
	}
	return 0;
}

/* The records or the ladders of the file's conversations.  Returns the
 * exit status; the output is flushed by the caller. */
static int
follow(struct pkl_capture *cap, const struct pkl_input_opts *input,
       const struct pkl_conntrack_opts *table, const struct conns_args *args,
       struct pkl_out *out)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_timeline *tl = NULL;
	struct pkl_conns_table *table_view = NULL;
	struct pkl_time_span span = { 0 };
	struct pkl_conns_view view = { .out = out, .json = args->json };
	/* The records (and the timeline, drawn from each frame's snapshot)
	 * show no checksum and no frame's notes, and the tracker needs
	 * neither. */
	struct pkl_pipeline_opts opts = {
		.track = true, .conntrack = *table, .limit = input->count, .out = out,
		.conn_done = pkl_render_conn, .conn_ctx = &view,
	};

	if (args->timeline) {
		if (!(tl = pkl_timeline_new()))
			return pkl_cmd_fail("out of memory for the timeline");
		/* The table reports each connection leaving it to the
		 * timeline, for its header, instead of printing it. */
		opts.conn_done = pkl_timeline_conn_done;
		opts.conn_ctx = tl;
	}
	if (args->table) {
		if (!(table_view = pkl_conns_table_new()))
			return pkl_cmd_fail("out of memory for the table");
		opts.conn_done = pkl_conns_table_conn;
		opts.conn_ctx = table_view;
	}
	struct pkl_pipeline *pl = pkl_pipeline_new(&opts, errbuf);
	if (!pl) {
		pkl_timeline_free(tl);
		pkl_conns_table_free(table_view);
		return pkl_cmd_fail(errbuf);
	}
	view.clock = pkl_pipeline_clock(pl);
	if (tl)
		pkl_pipeline_add_sink(pl, record_arrow, tl);
	if (table_view)
		pkl_pipeline_add_sink(pl, pkl_conns_table_frame, table_view);
	if (!tl && !args->json)
		pkl_pipeline_add_sink(pl, note_time, &span);

	int fed = pkl_cmd_feed_file(cap, pl, errbuf);
	pkl_pipeline_finish(pl);
	pkl_cmd_report_evictions(pl, table->max_conns);
	int status = 0;
	if (tl) {
		struct pkl_render r = { .out = out, .clock = pkl_pipeline_clock(pl),
					.width = pkl_wrap_terminal_width(STDOUT_FILENO) };
		status = print_timeline(tl, &r);
	} else if (table_view) {
		status = print_table(table_view, out, &span, pkl_pipeline_clock(pl));
	} else if (!args->json) {
		if (!view.shown)
			pkl_out_printf(out, "no conversation (TCP connection, UDP flow, ping, ARP "
				       "exchange) in the %llu frame%s read\n",
				       (unsigned long long)span.frames, span.frames == 1 ? "" : "s");
		print_span(out, &span);
	}
	if (pkl_cmd_stdout_close(out))
		status = EXIT_RUNTIME;
	if (fed < 0)
		status = pkl_cmd_read_failed(errbuf, pl);
	pkl_timeline_free(tl);
	pkl_conns_table_free(table_view);
	pkl_pipeline_free(pl);
	return status;
}

static int
run(const struct pkl_command *cmd, int argc, char **argv)
{
	struct pkl_input_opts input = { 0 };
	struct conns_args args = { .color = -1, .view.raw_sender = -1 };
	struct pkl_conntrack_opts table = PKL_TABLE_DEFAULTS(PKL_CONNS_MAX_CONNS);
	const struct pkl_opt_group groups[] = {
		{ "Input", pkl_input_options, pkl_input_apply, NULL, &input },
		{ "Views (default: a record per conversation)", conns_options, conns_apply,
		  conns_check, &args },
		{ "The conversation table", pkl_table_options, pkl_table_apply, NULL, &table },
	};
	int status;
	struct pkl_capture *cap = pkl_cmd_start_file(cmd, groups, PKL_NGROUPS(groups), &input, argc, argv,
						     &status);
	if (!cap)
		return status;
	if (pkl_cmd_conn_view_wanted(&args.view)) {
		status = pkl_cmd_conn_view(cap, &input, &table, &args.view);
		pkl_capture_close(cap);
		return status;
	}
	struct pkl_out out;
	if ((status = pkl_cmd_stdout_open(&out, args.json ? 0 : args.color, false)) == 0)
		status = follow(cap, &input, &table, &args, &out);
	pkl_capture_close(cap);
	return status;
}

const struct pkl_command pkl_cmd_conns = {
	.name = "conns",
	.synopsis = "[options] FILE [FILTER...]",
	.summary = "one record per TCP connection (roles, states, close, TIME_WAIT)\n"
		   "and per UDP flow, ping session and ARP exchange or conflict;\n"
		   "--timeline: a ladder diagram of each TCP connection;\n"
		   "--follow N, --plot N: one connection's bytes, its time-sequence graph",
	.description =
		"Follow every TCP connection of a saved capture and print one record each:\n"
		"client and server, frames and bytes each way, handshake frames and RTT, how\n"
		"it ended, the final state of both ends, who holds TIME_WAIT and until when.\n"
		"Also one record per UDP flow (datagrams and bytes each way), ICMP echo session\n"
		"(replies, lost requests, round trips), ARP exchange (who asked, who answered,\n"
		"how fast; gratuitous, probe, unsolicited) and ARP address conflict (the MACs\n"
		"and the frames that claim one address), with the ICMP errors about each.",
	.epilogue =
		"A record is printed when its connection leaves the table (idle, evicted,\n"
		"closed, or its ports reused by a new SYN); those still there at the end of\n"
		"the capture follow, in order of first frame.  JSON says why in left_table.",
	.run = run,
};
