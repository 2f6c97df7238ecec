#include "common.h"

#include "../privilege.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const pkl_progname = "pktlens";

/* Large enough that a busy capture costs few writes. */
#define OUT_BUFFER_SIZE (256u * 1024)

static bool
want_color(int setting)
{
	if (setting >= 0)
		return setting;
	const char *no_color = getenv("NO_COLOR");
	return isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

int
pkl_cmd_stdout_open(struct pkl_out *o, int color, bool line_buffered)
{
	char *buf = malloc(OUT_BUFFER_SIZE);

	if (!buf)
		return pkl_cmd_fail("out of memory for the output buffer");
	pkl_out_init_fd(o, STDOUT_FILENO, buf, OUT_BUFFER_SIZE);
	o->color = want_color(color);
	o->line_buffered = line_buffered;
	return 0;
}

int
pkl_cmd_stdout_close(struct pkl_out *o)
{
	pkl_out_flush(o);
	free(o->buf);
	o->buf = NULL;
	if (!o->failed)
		return 0;
	fprintf(stderr, "%s: cannot write output: %s\n", pkl_progname, strerror(o->errno_saved));
	return EXIT_RUNTIME;
}

/* The file and the filter from the operands.  Returns -1 to go on, or
 * the exit status after an error. */
static int
file_operands(const struct pkl_command *cmd, struct pkl_input_opts *in, int argc, char **argv,
	      int first, char **filter)
{
	bool failed;

	if (!in->path) {
		if (first >= argc)
			return pkl_cmd_usage_error(cmd, "which capture file? give its path");
		in->path = argv[first++];
	}
	*filter = pkl_opts_join(argc - first, argv + first, &failed);
	if (failed)
		return pkl_cmd_fail("out of memory for the filter expression");
	return -1;
}

struct pkl_pipeline *
pkl_cmd_view_pipeline(const struct pkl_view_opts *view, const struct pkl_conntrack_opts *table,
		      uint64_t limit, struct pkl_out *out, struct pkl_render *r,
		      struct pkl_cmd_pcapng *notes_file)
{
	char errbuf[PKL_ERRBUF_SIZE];
	bool explained = view->view != PKL_VIEW_LINE || notes_file;
	struct pkl_pipeline_opts opts = {
		.verify_checksums = true,
		.track = true,
		.conntrack = *table,
		.annotate = explained,
		.annotate_opts = view->annotate,
		.limit = limit,
		.out = out,
		.display_filter = view->display_filter,
	};
	/* The tree and JSON show each ACK's round trip, and -Y may test it;
	 * the line view does not show it. */
	opts.conntrack.time_acks = explained || view->display_filter;
	struct pkl_pipeline *pl = pkl_pipeline_new(&opts, errbuf);
	if (!pl) {
		pkl_cmd_fail(errbuf);
		return NULL;
	}
	if (r) {
		*r = (struct pkl_render){ .out = out, .view = view->view, .hex = view->hex,
					  .clock = pkl_pipeline_clock(pl), .time = view->time };
		pkl_pipeline_add_sink(pl, pkl_render_frame, r);
	}
	if (notes_file)
		pkl_pipeline_add_sink(pl, pkl_cmd_pcapng_frame, notes_file);
	return pl;
}

static void
write_kept(void *cap, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	(void)pkt, (void)notes;
	pkl_capture_write_current(cap);
}

void
pkl_cmd_write_kept(struct pkl_pipeline *pl, struct pkl_capture *cap)
{
	pkl_capture_write_chosen(cap);
	pkl_pipeline_add_sink(pl, write_kept, cap);
}

/* Open a saved capture with the filter, then give up every capability;
 * NULL after saying why, with *status the exit status (a bad filter is a
 * usage error). */
static struct pkl_capture *
open_file(const char *path, const char *filter, int *status)
{
	char errbuf[PKL_ERRBUF_SIZE];
	bool filter_fault;
	struct pkl_capture *cap = pkl_capture_open_file(path, filter, errbuf, &filter_fault);

	if (!cap) {
		fprintf(stderr, "%s: %s\n", pkl_progname, errbuf);
		*status = filter_fault ? EXIT_USAGE : EXIT_RUNTIME;
		return NULL;
	}
	/* The file is open: nothing that follows needs a privilege, and it
	 * parses what strangers sent. */
	if (pkl_privilege_drop_capabilities(errbuf) < 0) {
		*status = pkl_cmd_fail(errbuf);
		pkl_capture_close(cap);
		return NULL;
	}
	return cap;
}

int
pkl_cmd_feed_file(struct pkl_capture *cap, struct pkl_pipeline *pl,
		  char errbuf[PKL_ERRBUF_SIZE])
{
	struct pkl_frame frame;
	int rc;

	while ((rc = pkl_capture_next(cap, &frame, errbuf)) > 0) {
		/* Relative times count from the file's first frame, kept or not. */
		pkl_pipeline_set_origin(pl, pkl_capture_origin(cap));
		if (!pkl_pipeline_frame(pl, &frame))
			break;
	}
	return rc < 0 ? -1 : 0;
}

int
pkl_cmd_read_failed(const char *errbuf, const struct pkl_pipeline *pl)
{
	fprintf(stderr, "%s: %s (the %llu frames before it were decoded)\n", pkl_progname, errbuf,
		(unsigned long long)pkl_pipeline_seen(pl));
	return EXIT_RUNTIME;
}

void
pkl_cmd_report_evictions(const struct pkl_pipeline *pl, uint32_t max_conns)
{
	uint64_t evicted = pkl_pipeline_evicted(pl);
	uint64_t starved = pkl_pipeline_alloc_failures(pl);

	if (starved)
		fprintf(stderr, "%s: out of memory for the connection table: %llu connections were "
			"evicted before it reached --max-conns %u; lower it, or narrow the capture "
			"with a filter\n", pkl_progname, (unsigned long long)starved, max_conns);
	if (evicted)
		fprintf(stderr, "%s: %llu connections were evicted from the full table "
			"(--max-conns %u); raise it to follow them whole\n", pkl_progname,
			(unsigned long long)evicted, max_conns);
}

int
pkl_cmd_fail(const char *errbuf)
{
	fprintf(stderr, "%s: %s\n", pkl_progname, errbuf);
	return EXIT_RUNTIME;
}

struct pkl_capture *
pkl_cmd_start_file(const struct pkl_command *cmd, const struct pkl_opt_group *groups,
		   int ngroups, struct pkl_input_opts *in, int argc, char **argv, int *status)
{
	char *filter = NULL;
	int first;

	if ((*status = pkl_opts_parse(cmd, groups, ngroups, argc, argv, &first)) >= 0 ||
	    (*status = file_operands(cmd, in, argc, argv, first, &filter)) >= 0)
		return NULL;
	struct pkl_capture *cap = open_file(in->path, filter, status);
	free(filter);
	return cap;
}
