#include "conn_views.h"

#include <stdio.h>
#include <stdlib.h>

#include "../conn_record.h"
#include "../follow.h"

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

int
pkl_cmd_conn_view(struct pkl_capture *cap, const struct pkl_input_opts *input,
		  const struct pkl_conntrack_opts *table, const struct pkl_conn_view_args *a)
{
	return follow(cap, input, table, a);
}
