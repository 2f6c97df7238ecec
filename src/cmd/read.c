/* `pktlens read`: every frame of a saved capture in a view. */
#include <stdlib.h>

#include "common.h"

static int
run(const struct pkl_command *cmd, int argc, char **argv)
{
	struct pkl_input_opts input = { 0 };
	struct pkl_view_opts view = PKL_VIEW_DEFAULTS;
	struct pkl_conntrack_opts table = PKL_TABLE_DEFAULTS(PKL_VIEW_MAX_CONNS);
	const struct pkl_opt_group groups[] = {
		{ "Input", pkl_input_options, pkl_input_apply, NULL, &input },
		{ "Views (default: a summary line, the fields of every layer, explanations)",
		  pkl_view_options, pkl_view_apply, pkl_view_check, &view },
		{ "The conversation table behind the connection notes",
		  pkl_table_options, pkl_table_apply, NULL, &table },
	};
	char errbuf[PKL_ERRBUF_SIZE];
	int status;
	struct pkl_capture *cap = pkl_cmd_start_file(cmd, groups, PKL_NGROUPS(groups), &input, argc, argv,
						     &status);
	if (!cap)
		return status;
	struct pkl_out out;
	if ((status = pkl_cmd_stdout_open(&out, view.view == PKL_VIEW_JSON ? 0 : view.color,
					  view.line_buffered)) != 0) {
		pkl_capture_close(cap);
		return status;
	}
	struct pkl_render render;
	struct pkl_pipeline *pl = pkl_cmd_view_pipeline(&view, &table, input.count, &out, &render);
	int fed = pl ? pkl_cmd_feed_file(cap, pl, errbuf) : 0;
	status = pkl_cmd_stdout_close(&out);
	if (pl)
		pkl_cmd_report_evictions(pl, table.max_conns);
	if (!pl)
		status = EXIT_RUNTIME;
	else if (fed < 0)
		status = pkl_cmd_read_failed(errbuf, pl);
	pkl_pipeline_free(pl);
	pkl_capture_close(cap);
	return status;
}

const struct pkl_command pkl_cmd_read = {
	.name = "read",
	.synopsis = "[options] FILE [FILTER...]",
	.summary = "decode a pcap/pcapng file: annotated layers, -q lines, --json",
	.description =
		"Decode every frame of a saved capture (pcap or pcapng; - for stdin).\n"
		"FILTER is a BPF expression, as for tcpdump: 'tcp port 80', 'arp or icmp'.",
	.run = run,
};
