#include "conn_views.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../conn_record.h"
#include "../follow.h"
#include "../plot_svg.h"

/* The pipeline that follows the connections, with no frame view. */
static struct pkl_pipeline *
tracking_pipeline(const struct pkl_input_opts *input, const struct pkl_conntrack_opts *table,
		  const struct pkl_out *out)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_pipeline_opts opts = {
		.track = true, .conntrack = *table, .limit = input->count, .out = out,
	};
	struct pkl_pipeline *pl = pkl_pipeline_new(&opts, errbuf);

	if (!pl)
		pkl_cmd_fail(errbuf);
	return pl;
}

/* Feed the file and finish the table.  Returns 0, or the exit status of
 * a broken file. */
static int
feed(struct pkl_capture *cap, struct pkl_pipeline *pl, uint32_t max_conns)
{
	char errbuf[PKL_ERRBUF_SIZE];
	int fed = pkl_cmd_feed_file(cap, pl, errbuf);

	pkl_pipeline_finish(pl);
	pkl_cmd_report_evictions(pl, max_conns);
	return fed < 0 ? pkl_cmd_read_failed(errbuf, pl) : 0;
}

static int
no_such_connection(uint64_t conn, const struct pkl_input_opts *input)
{
	fprintf(stderr, "%s: %s has no TCP connection #%llu: `pktlens conns %s` lists them\n",
		pkl_progname, input->path, (unsigned long long)conn, input->path);
	return EXIT_RUNTIME;
}

static int
follow(struct pkl_capture *cap, const struct pkl_input_opts *input,
       const struct pkl_conntrack_opts *table, const struct pkl_conn_view_args *a)
{
	struct pkl_follow_opts opts = {
		.conn = a->follow,
		.view = a->raw ? PKL_FOLLOW_RAW : a->hex ? PKL_FOLLOW_HEX : PKL_FOLLOW_TEXT,
		.raw_sender = a->raw_sender,
	};
	struct pkl_out out;
	int status = pkl_cmd_stdout_open(&out, 0, false);

	if (status)
		return status;
	struct pkl_follow *f = pkl_follow_new(&opts, &out);
	struct pkl_pipeline *pl = f ? tracking_pipeline(input, table, &out) : NULL;
	if (!f)
		pkl_cmd_fail("out of memory to follow the connection");
	if (!pl) {
		pkl_cmd_stdout_close(&out);
		pkl_follow_free(f);
		return EXIT_RUNTIME;
	}
	pkl_pipeline_add_sink(pl, pkl_follow_frame, f);
	int fed = feed(cap, pl, table->max_conns);
	pkl_follow_finish(f);
	status = pkl_cmd_stdout_close(&out);
	const struct pkl_follow_totals *t = pkl_follow_totals(f);
	if (fed)
		status = fed;
	else if (!t->seen)
		status = no_such_connection(a->follow, input);
	else if (a->raw && t->missing[a->raw_sender])
		fprintf(stderr, "%s: %llu bytes the %s sent are not in the capture (%llu holes): "
			"the output lacks them\n", pkl_progname,
			(unsigned long long)t->missing[a->raw_sender],
			a->raw_sender == PKL_CLIENT ? "client" : "server",
			(unsigned long long)t->holes[a->raw_sender]);
	pkl_pipeline_free(pl);
	pkl_follow_free(f);
	return status;
}

struct plots {
	unsigned n;
	struct pkl_plot *plot[PKL_CMD_MAX_PLOTS];
};

/* A pkl_sink_fn: the frame to every graph (each keeps its connection's). */
static void
plot_frame(void *plots, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct plots *ps = plots;

	for (unsigned i = 0; i < ps->n; i++)
		pkl_plot_frame(ps->plot[i], pkt, notes);
}

/* -o FILE for one graph; FILE-N.svg each for several (FILE's ".svg"
 * moved after the number). */
static void
plot_path(const struct pkl_conn_view_args *a, unsigned i, char *buf, size_t size)
{
	const char *path = a->plot_path;
	size_t n = strlen(path);
	bool svg = n > 4 && strcmp(path + n - 4, ".svg") == 0;

	if (a->nplots == 1)
		snprintf(buf, size, "%s", path);
	else
		snprintf(buf, size, "%.*s-%llu.svg", (int)(svg ? n - 4 : n), path,
			 (unsigned long long)a->plot[i]);
}

/* One graph's file.  Returns 0 or the exit status, having said why. */
static int
write_plot(const struct pkl_plot *plot, const char *path)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_out o;
	char *buf = malloc(64 * 1024);
	int fd = buf ? pkl_capture_open_output(path, errbuf) : -1;

	if (!buf)
		snprintf(errbuf, sizeof errbuf, "out of memory for the output buffer");
	if (fd < 0) {
		free(buf);
		return pkl_cmd_fail(errbuf);
	}
	pkl_out_init_fd(&o, fd, buf, 64 * 1024);
	pkl_plot_write(plot, &o);
	pkl_out_flush(&o);
	int failed = o.failed ? o.errno_saved : close(fd) < 0 ? errno : 0;
	if (o.failed)
		close(fd);
	free(buf);
	if (!failed)
		return 0;
	fprintf(stderr, "%s: cannot write %s: %s\n", pkl_progname, path, strerror(failed));
	return EXIT_RUNTIME;
}

static int
plot(struct pkl_capture *cap, const struct pkl_input_opts *input,
     const struct pkl_conntrack_opts *table, const struct pkl_conn_view_args *a)
{
	struct plots ps = { 0 };
	struct pkl_pipeline *pl = tracking_pipeline(input, table, NULL);
	int status = pl ? 0 : EXIT_RUNTIME;

	for (unsigned i = 0; i < a->nplots && !status; i++)
		if (!(ps.plot[ps.n++] = pkl_plot_new(a->plot[i], pkl_pipeline_clock(pl))))
			status = pkl_cmd_fail("out of memory for the graph");
	if (!status) {
		pkl_pipeline_add_sink(pl, plot_frame, &ps);
		status = feed(cap, pl, table->max_conns);
	}
	for (unsigned i = 0; i < ps.n && !status; i++) {
		char path[4096];
		plot_path(a, i, path, sizeof path);
		if (!pkl_plot_seen(ps.plot[i])) {
			status = no_such_connection(a->plot[i], input);
			continue;
		}
		if (pkl_plot_short(ps.plot[i]))
			fprintf(stderr, "%s: out of memory for the graph of connection #%llu: it ends "
				"early\n", pkl_progname, (unsigned long long)a->plot[i]);
		status = write_plot(ps.plot[i], path);
	}
	for (unsigned i = 0; i < ps.n; i++)
		pkl_plot_free(ps.plot[i]);
	pkl_pipeline_free(pl);
	return status;
}

int
pkl_cmd_conn_view(struct pkl_capture *cap, const struct pkl_input_opts *input,
		  const struct pkl_conntrack_opts *table, const struct pkl_conn_view_args *a)
{
	return a->follow ? follow(cap, input, table, a) : plot(cap, input, table, a);
}
