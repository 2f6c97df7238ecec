/* `pktlens stats`: time span, protocol hierarchy, anomalies, the
 * tracker's findings and top talkers of a saved capture. */

#include "../stats.h"
#include "common.h"

struct stats_args {
	uint64_t top;
	bool checksums, json;
};

static const struct pkl_option stats_options[] = {
	{ 't', "top", "N", false, "list the N busiest addresses (default 10)" },
	{ 'k', "checksums", NULL, false,
	  "also verify every checksum and count the bad ones\n"
	  "(off by default: it doubles the time over the file)" },
	{ 'j', "json", NULL, false, "one JSON object instead of the text (keys in README)" },
	{ 0, NULL, NULL, false, NULL },
};

static int
stats_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct stats_args *a = target;

	switch (key) {
	case 't': return pkl_opt_number(p, value, 1, 100000, "a number", &a->top);
	case 'k': a->checksums = true; break;
	case 'j': a->json = true; break;
	}
	return 0;
}

struct counting {
	struct pkl_stats *stats;
	const struct pkl_pipeline *pipeline;   /* for the frame's findings */
};

/* A pkl_sink_fn: count the frame and what the tracker found in it. */
static void
count_frame(void *counting, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct counting *c = counting;

	pkl_stats_add(c->stats, pkt, &notes->conn, pkl_pipeline_findings(c->pipeline));
}

static int
run(const struct pkl_command *cmd, int argc, char **argv)
{
	struct pkl_input_opts input = { 0 };
	struct stats_args args = { .top = 10 };
	struct pkl_conntrack_opts table = PKL_TABLE_DEFAULTS(PKL_VIEW_MAX_CONNS);
	const struct pkl_opt_group groups[] = {
		{ "Input", pkl_input_options, pkl_input_apply, NULL, &input },
		{ "Statistics", stats_options, stats_apply, NULL, &args },
		{ "The conversation table behind the findings",
		  pkl_table_options, pkl_table_apply, NULL, &table },
	};
	char errbuf[PKL_ERRBUF_SIZE];
	int status;
	struct pkl_capture *cap = pkl_cmd_start_file(cmd, groups, PKL_NGROUPS(groups), &input, argc, argv,
						     &status);
	if (!cap)
		return status;
	struct pkl_stats *stats = pkl_stats_new();
	if (!stats) {
		pkl_capture_close(cap);
		return pkl_cmd_fail("out of memory for the statistics tables");
	}
	struct pkl_out out;
	/* The tracker, for its findings; no notes are made of them. */
	struct pkl_pipeline_opts opts = { .verify_checksums = args.checksums, .limit = input.count,
					  .out = &out, .track = true, .conntrack = table,
					  .conn_done = pkl_stats_add_conn, .conn_ctx = stats };
	struct pkl_pipeline *pl = NULL;
	if ((status = pkl_cmd_stdout_open(&out, 0, false)) == 0 &&
	    !(pl = pkl_pipeline_new(&opts, errbuf))) {
		pkl_cmd_stdout_close(&out);
		status = pkl_cmd_fail(errbuf);
	}
	if (pl) {
		struct counting counting = { stats, pl };
		pkl_pipeline_add_sink(pl, count_frame, &counting);
		int fed = pkl_cmd_feed_file(cap, pl, errbuf);
		pkl_pipeline_finish(pl);
		pkl_cmd_report_evictions(pl, table.max_conns);
		pkl_stats_print(stats, &out, (unsigned)args.top, args.json);
		status = pkl_cmd_stdout_close(&out);
		if (fed < 0)
			status = pkl_cmd_read_failed(errbuf, pl);
		pkl_pipeline_free(pl);
	}
	pkl_stats_free(stats);
	pkl_capture_close(cap);
	return status;
}

const struct pkl_command pkl_cmd_stats = {
	.name = "stats",
	.synopsis = "[options] FILE [FILTER...]",
	.summary = "time span, protocol hierarchy, anomalies, findings and top talkers",
	.description =
		"The capture's start, end and duration (local time, as TZ sets it), protocol\n"
		"hierarchy (frames and bytes per protocol path, with their share of the\n"
		"whole), anomaly counts, what the connection tracker found (retransmissions,\n"
		"duplicate ACKs, resets, SYN floods, port scans, ARP conflicts, unanswered\n"
		"pings) and top talkers of a saved capture.",
	.run = run,
};
