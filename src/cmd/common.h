/* What the commands share: standard output, saved captures fed through
 * a pipeline, and the sentences they end with. */
#ifndef PKL_CMD_COMMON_H
#define PKL_CMD_COMMON_H

#include <stdbool.h>

#include "../capture.h"
#include "../out.h"
#include "../pipeline.h"
#include "../render.h"
#include "command.h"
#include "options.h"
#include "pcapng_out.h"

/* Standard output through a large buffer; color -1 is auto (a terminal,
 * unless NO_COLOR is set).  EXIT_RUNTIME after saying so when there is no
 * memory for the buffer. */
int pkl_cmd_stdout_open(struct pkl_out *o, int color, bool line_buffered);
/* Flush and release it.  Returns 0, or EXIT_RUNTIME after saying that
 * the output could not be written. */
int pkl_cmd_stdout_close(struct pkl_out *o);

/* The start of a command over a saved capture: parse its options and
 * operands (the file: -r FILE, or the first operand; the rest is the
 * filter), open the file with the filter and give up every capability.
 * NULL with *status the exit status when the command ends here (0 after
 * --help). */
struct pkl_capture *pkl_cmd_start_file(const struct pkl_command *cmd,
				       const struct pkl_opt_group *groups, int ngroups,
				       struct pkl_input_opts *in, int argc, char **argv,
				       int *status);

/* The pipeline of a frame view (read, sniff): every frame tracked in its
 * conversation, explained unless the view is one line per frame, and
 * shown by r (whose clock it sets; NULL: shown nowhere).  With a notes
 * file (-w FILE.pcapng), every frame is explained as the default view
 * explains it, and written there with its notes.  NULL after saying why. */
struct pkl_pipeline *pkl_cmd_view_pipeline(const struct pkl_view_opts *view,
					   const struct pkl_conntrack_opts *table, uint64_t limit,
					   struct pkl_out *out, struct pkl_render *r,
					   struct pkl_cmd_pcapng *notes_file);

/* -w FILE.pcap with -Y: the frames the filter keeps, not all delivered,
 * go to the capture's file (a sink added to pl). */
void pkl_cmd_write_kept(struct pkl_pipeline *pl, struct pkl_capture *cap);

/* Every frame of the file through the pipeline, until it stops.
 * Returns 0, or -1 with a sentence in errbuf saying where the file broke. */
int pkl_cmd_feed_file(struct pkl_capture *cap, struct pkl_pipeline *pl,
		      char errbuf[PKL_ERRBUF_SIZE]);
/* Say that reading stopped at errbuf's place, after the frames the
 * pipeline decoded (once the output is flushed, so the sentence follows
 * them).  Returns EXIT_RUNTIME. */
int pkl_cmd_read_failed(const char *errbuf, const struct pkl_pipeline *pl);
/* After the table has been finished: how many conversations the cap
 * evicted, and how many the want of memory did, on stderr. */
void pkl_cmd_report_evictions(const struct pkl_pipeline *pl, uint32_t max_conns);

/* "pktlens: <errbuf>" on stderr; returns EXIT_RUNTIME. */
int pkl_cmd_fail(const char *errbuf);

#endif
