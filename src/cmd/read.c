/* `pktlens read`: every frame of a saved capture in a view. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

struct read_args {
	const char *write_path;
};

static const struct pkl_option read_options[] = {
	{ 'w', "write", "FILE", false,
	  "also write the frames read to FILE: pcapng with each\n"
	  "frame's notes as its packet comment when FILE ends in\n"
	  ".pcapng (Wireshark shows them: frame.comment), else pcap" },
	{ 0, NULL, NULL, false, NULL },
};

static int
read_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct read_args *a = target;

	(void)p;
	if (key == 'w')
		a->write_path = value;
	return 0;
}

static int
read_check(void *target, struct pkl_opt_parser *p)
{
	const struct read_args *a = target;

	if (a->write_path && strcmp(a->write_path, "-") == 0)
		return pkl_opt_error(p, "-w - would write the capture to standard output, where "
				     "the frames are shown: name a file");
	return 0;
}

/* Open the -w file, pcapng with notes or plain pcap.  Returns 0, or -1
 * with a sentence in errbuf. */
static int
open_written(const struct read_args *a, struct pkl_capture *cap, const char *input_path,
	     struct pkl_cmd_pcapng **notes_file, char errbuf[PKL_ERRBUF_SIZE])
{
	char source[PKL_ERRBUF_SIZE / 2];

	if (!a->write_path)
		return 0;
	if (!pkl_cmd_pcapng_wanted(a->write_path))
		return pkl_capture_write_to(cap, a->write_path, errbuf);
	snprintf(source, sizeof source, "read %s", input_path);
	*notes_file = pkl_cmd_pcapng_open(a->write_path, cap, source, errbuf);
	return *notes_file ? 0 : -1;
}

static int
run(const struct pkl_command *cmd, int argc, char **argv)
{
	struct pkl_input_opts input = { 0 };
	struct pkl_view_opts view = PKL_VIEW_DEFAULTS;
	struct pkl_conntrack_opts table = PKL_TABLE_DEFAULTS(PKL_VIEW_MAX_CONNS);
	struct read_args args = { 0 };
	const struct pkl_opt_group groups[] = {
		{ "Input", pkl_input_options, pkl_input_apply, NULL, &input },
		{ "Views (default: a summary line, the fields of every layer, explanations)",
		  pkl_view_options, pkl_view_apply, pkl_view_check, &view },
		{ "Field filter", pkl_display_filter_options, pkl_display_filter_apply, NULL, &view },
		{ "Writing", read_options, read_apply, read_check, &args },
		{ "The conversation table behind the connection notes",
		  pkl_table_options, pkl_table_apply, NULL, &table },
	};
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_cmd_pcapng *notes_file = NULL;
	int status;
	struct pkl_capture *cap = pkl_cmd_start_file(cmd, groups, PKL_NGROUPS(groups), &input, argc, argv,
						     &status);
	if (!cap)
		return status;
	if (open_written(&args, cap, input.path, &notes_file, errbuf) < 0) {
		pkl_capture_close(cap);
		return pkl_cmd_fail(errbuf);
	}
	struct pkl_out out;
	if ((status = pkl_cmd_stdout_open(&out, view.view == PKL_VIEW_JSON ? 0 : view.color,
					  view.line_buffered)) != 0) {
		pkl_cmd_pcapng_close(notes_file, errbuf);
		pkl_capture_close(cap);
		return status;
	}
	struct pkl_render render = { 0 };
	struct pkl_pipeline *pl = pkl_cmd_view_pipeline(&view, &table, input.count, &out, &render,
							notes_file);
	if (pl && pkl_render_for_reader(&render, STDOUT_FILENO, view.explain) < 0) {
		pkl_cmd_fail("out of memory for the explanations said");
		pkl_pipeline_free(pl);
		pl = NULL;
	}
	if (pl && args.write_path && !notes_file && view.display_filter)
		pkl_cmd_write_kept(pl, cap);
	render.number_width = pkl_render_number_width(input.count);
	int fed = pl ? pkl_cmd_feed_file(cap, pl, errbuf) : 0;
	status = pkl_cmd_stdout_close(&out);
	if (pl)
		pkl_cmd_report_evictions(pl, table.max_conns);
	if (!pl)
		status = EXIT_RUNTIME;
	else if (fed < 0)
		status = pkl_cmd_read_failed(errbuf, pl);
	if (pkl_cmd_pcapng_close(notes_file, errbuf) < 0)
		status = pkl_cmd_fail(errbuf);
	pkl_pipeline_free(pl);
	pkl_render_release(&render);
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
