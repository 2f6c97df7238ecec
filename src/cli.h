/* What the command line asked for, shared by the commands. */
#ifndef PKL_CLI_H
#define PKL_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "annotate.h"
#include "capture.h"
#include "pipeline.h"
#include "render.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

extern const char *const pkl_progname;

struct read_opts {
	enum pkl_view view;
	bool hex;
	bool line_buffered;
	int color;                 /* -1 auto, 0 never, 1 always */
	uint64_t count;            /* 0: all */
	bool verify_checksums;
	bool silent;               /* sniff -q -w: write the file, print nothing */
	bool timeline;             /* conns --timeline: ladder diagrams */
	struct pkl_conntrack_opts conntrack;
	struct pkl_annotate_opts annotate;
	const char *path;
	char *filter;              /* NULL: none */
};

enum command { CMD_READ, CMD_STATS, CMD_SNIFF, CMD_CONNS };

struct cli {
	enum command cmd;
	struct read_opts ro;
	uint64_t top;
	bool list_ifaces;
	struct pkl_live_opts live;
	const char *write_path;
	bool pcapng;
	const char *user;          /* -Z */
};

/* The pipeline set up for these options; stats non-NULL to count.
 * NULL (after saying why) when the connection table cannot be had. */
struct pkl_pipeline *pkl_cli_pipeline(const struct read_opts *ro, struct pkl_stats *stats);
/* Free what pkl_cli_pipeline allocated. */
void pkl_cli_pipeline_free(struct pkl_pipeline *pl);
/* 0, or 1 with a message when the output could not be written. */
int pkl_cli_output_status(const struct pkl_pipeline *pl);

#endif
