/* `pktlens stats`: protocol hierarchy, anomalies and top talkers of a
 * saved capture. */

#include "../stats.h"
#include "common.h"

struct stats_args {
	uint64_t top;
	bool checksums;
};

static const struct pkl_option stats_options[] = {
	{ 't', "top", "N", false, "list the N busiest addresses (default 10)" },
	{ 'k', "checksums", NULL, false,
	  "also verify every checksum and count the bad ones\n"
	  "(off by default: it doubles the time over the file)" },
	{ 0, NULL, NULL, false, NULL },
};

static int
stats_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct stats_args *a = target;

	switch (key) {
	case 't': return pkl_opt_number(p, value, 1, 100000, "a number", &a->top);
	case 'k': a->checksums = true; break;
	}
	return 0;
}

/* A pkl_sink_fn: count the frame. */
static void
count_frame(void *stats, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	(void)notes;
	pkl_stats_add(stats, pkt);
}

static int
run(const struct pkl_command *cmd, int argc, char **argv)
{
	struct pkl_input_opts input = { 0 };
	struct stats_args args = { .top = 10 };
	const struct pkl_opt_group groups[] = {
		{ "Input", pkl_input_options, pkl_input_apply, NULL, &input },
		{ "Statistics", stats_options, stats_apply, NULL, &args },
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
	struct pkl_pipeline_opts opts = { .verify_checksums = args.checksums, .limit = input.count,
					  .out = &out };
	struct pkl_pipeline *pl = NULL;
	if ((status = pkl_cmd_stdout_open(&out, 0, false)) == 0 &&
	    !(pl = pkl_pipeline_new(&opts, errbuf))) {
		pkl_cmd_stdout_close(&out);
		status = pkl_cmd_fail(errbuf);
	}
	if (pl) {
		pkl_pipeline_add_sink(pl, count_frame, stats);
		int fed = pkl_cmd_feed_file(cap, pl, errbuf);
		pkl_stats_print(stats, &out, (unsigned)args.top);
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
	.summary = "protocol hierarchy, anomalies and top talkers of a file",
	.description =
		"Protocol hierarchy (frames and bytes per protocol path), anomaly counts and\n"
		"top talkers of a saved capture.",
	.run = run,
};
