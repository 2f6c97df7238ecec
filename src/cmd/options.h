/* Command-line options.
 *
 * Each command lists its own options and the shared groups it takes
 * (views, the conversation table, the capture); the parser builds
 * getopt_long's tables from them, so one letter means one thing within
 * a command, and the command's help is generated from the same lists.
 * Errors name the option as it was typed and end with a line pointing
 * at the command's --help. */
#ifndef PKL_CMD_OPTIONS_H
#define PKL_CMD_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../annotate.h"
#include "../capture.h"
#include "../conntrack.h"
#include "../render.h"
#include "command.h"

/* Keys of options that have only a long name start here. */
enum { PKL_OPT_LONG_ONLY = 256 };

struct pkl_option {
	int key;               /* the letter, or PKL_OPT_LONG_ONLY and up */
	const char *name;      /* long name, or NULL */
	const char *value;     /* the value's name in the help ("N", "FILE"); NULL: a flag */
	bool optional_value;   /* --name[=VALUE] */
	const char *help;      /* may hold newlines; continuation lines are indented */
};

struct pkl_opt_parser;

/* Apply one option of the group.  Returns 0, or -1 after pkl_opt_error. */
typedef int pkl_opt_apply_fn(void *target, int key, const char *value,
			     struct pkl_opt_parser *p);
/* Once every option is in: refuse what cannot go together. */
typedef int pkl_opt_check_fn(void *target, struct pkl_opt_parser *p);

struct pkl_opt_group {
	const char *title;                 /* heading in the help */
	const struct pkl_option *options;  /* ends with a zero key */
	pkl_opt_apply_fn *apply;
	pkl_opt_check_fn *check;           /* NULL: nothing to check */
	void *target;
};

/* The number of groups in a command's array of them. */
#define PKL_NGROUPS(groups) ((int)(sizeof(groups) / sizeof((groups)[0])))

/* Parse argv[1..] (argv[0] is the command's name) against the groups.
 * Returns -1 to go on, with *first_arg the index of the first operand;
 * 0 after printing the help (-h, --help); EXIT_USAGE after an error. */
int pkl_opts_parse(const struct pkl_command *cmd, const struct pkl_opt_group *groups,
		   int ngroups, int argc, char **argv, int *first_arg);

/* Print "pktlens CMD: <message>" and the line pointing at the help, on
 * stderr.  Returns -1 (for an apply function to return). */
int pkl_opt_error(struct pkl_opt_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same from a command, after parsing; returns EXIT_USAGE. */
int pkl_cmd_usage_error(const struct pkl_command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A whole number from min to max, written in decimal digits only (no
 * sign, no space).  Otherwise -1, saying "<option> needs <what> from
 * <min> to <max>, not '<value>'". */
int pkl_opt_number(struct pkl_opt_parser *p, const char *value, uint64_t min, uint64_t max,
		   const char *what, uint64_t *out);

/* Seconds with up to three decimals ("1", "0.2"), as milliseconds from
 * min_ms to max_ms.  Otherwise -1, saying "<option> needs seconds from
 * <min> to <max> ...". */
int pkl_opt_seconds(struct pkl_opt_parser *p, const char *value, uint64_t min_ms, uint64_t max_ms,
		    uint64_t *out_ms);

/* text in a help's second column: after `used` columns already written
 * on the line (on the next line when they reach it), its own lines
 * indented to the column, then a newline. */
void pkl_opts_print_column(FILE *f, int used, int column, const char *text);

/* The operands after the file, joined with spaces as tcpdump takes its
 * filter; NULL when there are none.  *failed on no memory. */
char *pkl_opts_join(int argc, char **argv, bool *failed);

/* --- shared groups ---------------------------------------------------- */

/* How frames are shown: read, sniff. */
struct pkl_view_opts {
	enum pkl_view view;
	bool quiet, json;          /* as given, to refuse -q with -j */
	bool hex;
	bool line_buffered;
	int color;                 /* -1 auto, 0 never, 1 always */
	enum pkl_explain_level explain;   /* --explain, of the tree view */
	enum pkl_time_format time; /* -t..-ttttt, --time; DEFAULT: the command's */
	unsigned t_count;          /* how many -t, until checked */
	struct pkl_annotate_opts annotate;
	const char *display_filter;   /* -Y, or NULL */
};
extern const struct pkl_option pkl_view_options[];
pkl_opt_apply_fn pkl_view_apply;
pkl_opt_check_fn pkl_view_check;

/* -Y EXPR, a field filter over the frames shown (read, sniff), checked
 * when given: target struct pkl_view_opts, whose display_filter it sets. */
extern const struct pkl_option pkl_display_filter_options[];
pkl_opt_apply_fn pkl_display_filter_apply;
#define PKL_VIEW_DEFAULTS { .view = PKL_VIEW_TREE, .color = -1, .explain = PKL_EXPLAIN_ONCE }

/* The views of a crafting command (arp, ping, syn): the frames sent and
 * heard, then the result; -q shows only the result, --json adds it as
 * records.  Applied by pkl_view_apply. */
extern const struct pkl_option pkl_craft_view_options[];
pkl_opt_check_fn pkl_craft_view_check;

/* --color[=WHEN]: for a view group of a command's own (conns). */
int pkl_opt_color(struct pkl_opt_parser *p, const char *value, int *color);

/* The conversation table behind the connection notes and records. */
extern const struct pkl_option pkl_table_options[];
pkl_opt_apply_fn pkl_table_apply;   /* target: struct pkl_conntrack_opts */
/* The frame views keep fewer conversations than conns: a SYN flood read
 * or sniffed on a laptop must not take gigabytes (~600 bytes an entry). */
#define PKL_TABLE_DEFAULTS(cap) { .max_conns = (cap), .idle_timeout = 300, \
				  .exchange_timeout = 30, .msl = 30 }
#define PKL_VIEW_MAX_CONNS (1u << 16)
#define PKL_CONNS_MAX_CONNS (1u << 20)

/* Which frames of a saved capture: -r FILE, -c N, -n. */
struct pkl_input_opts {
	const char *path;
	uint64_t count;            /* 0: all */
};
extern const struct pkl_option pkl_input_options[];
pkl_opt_apply_fn pkl_input_apply;

/* A live interface: -i, -s, -B, -p, -c, -n. */
extern const struct pkl_option pkl_capture_options[];
struct pkl_capture_opts {
	struct pkl_live_opts live;
	uint64_t count;
};
pkl_opt_apply_fn pkl_capture_apply;
#define PKL_SNAPLEN_MAX 262144
#define PKL_CAPTURE_DEFAULTS { .live = { .snaplen = PKL_SNAPLEN_MAX, .promisc = true } }

#endif
