#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../dfilter.h"

/* Enough for the largest command's options; a command over it is a
 * programmer's error, caught the first time it runs. */
#define MAX_OPTIONS 64

struct pkl_opt_parser {
	const struct pkl_command *cmd;
	char spelled[40];          /* the option being applied, as typed */
};

static void
vreport(const struct pkl_command *cmd, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s %s: ", pkl_progname, cmd->name);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry '%s %s --help' for the options.\n", pkl_progname, cmd->name);
}

int
pkl_opt_error(struct pkl_opt_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(p->cmd, fmt, ap);
	va_end(ap);
	return -1;
}

int
pkl_cmd_usage_error(const struct pkl_command *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cmd, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

/* --- the help, from the same lists ---------------------------------- */

#define HELP_COLUMN 25

static void
print_option(FILE *f, const struct pkl_option *o)
{
	char left[80];
	int n;

	if (o->key < PKL_OPT_LONG_ONLY && o->name)
		n = snprintf(left, sizeof left, "  -%c, --%s", o->key, o->name);
	else if (o->name)
		n = snprintf(left, sizeof left, "      --%s", o->name);
	else
		n = snprintf(left, sizeof left, "  -%c", o->key);
	if (o->value)
		n += snprintf(left + n, sizeof left - (size_t)n, o->optional_value ? "[=%s]" : " %s",
			      o->value);
	fputs(left, f);
	pkl_opts_print_column(f, n, HELP_COLUMN, o->help);
}

void
pkl_opts_print_column(FILE *f, int used, int column, const char *text)
{
	if (used + 1 >= column)
		fprintf(f, "\n%*s", column, "");
	else
		fprintf(f, "%*s", column - used, "");
	for (const char *s = text; *s; s++) {
		fputc(*s, f);
		if (*s == '\n')
			fprintf(f, "%*s", column, "");
	}
	fputc('\n', f);
}

static void
print_help(const struct pkl_command *cmd, const struct pkl_opt_group *groups, int ngroups)
{
	printf("usage: %s %s %s\n\n%s\n", pkl_progname, cmd->name, cmd->synopsis, cmd->description);
	for (int g = 0; g < ngroups; g++) {
		printf("\n%s:\n", groups[g].title);
		for (const struct pkl_option *o = groups[g].options; o->key; o++)
			if (o->help)
				print_option(stdout, o);
	}
	printf("\n");
	print_option(stdout, &(struct pkl_option){ 'h', "help", NULL, false, "this help" });
	if (cmd->epilogue)
		printf("\n%s\n", cmd->epilogue);
}

/* --- parsing --------------------------------------------------------- */

/* getopt_long's view of the groups.  A long-only option's key need only
 * be unique within its group: getopt_long returns PKL_OPT_LONG_ONLY plus
 * its index in `flat` instead, which finds the group again. */
struct tables {
	char shortopts[2 * MAX_OPTIONS + 4];
	struct option longopts[MAX_OPTIONS + 2];
	struct {
		const struct pkl_opt_group *group;
		const struct pkl_option *option;
	} flat[MAX_OPTIONS];
	int nflat;
};

/* getopt_long's tables for these groups.  A letter or name used twice is
 * a programmer's error: say so and stop. */
static void
build_tables(const struct pkl_command *cmd, const struct pkl_opt_group *groups, int ngroups,
	     struct tables *t)
{
	size_t ns = 0, nl = 0;

	t->nflat = 0;

	t->shortopts[ns++] = ':';   /* a missing value returns ':' */
	t->shortopts[ns++] = 'h';
	for (int g = 0; g < ngroups; g++) {
		for (const struct pkl_option *o = groups[g].options; o->key; o++) {
			if (t->nflat >= MAX_OPTIONS) {
				fprintf(stderr, "%s %s: more than %d options\n", pkl_progname,
					cmd->name, MAX_OPTIONS);
				abort();
			}
			if (o->key < PKL_OPT_LONG_ONLY) {
				if (memchr(t->shortopts, o->key, ns)) {
					fprintf(stderr, "%s %s: option -%c defined twice\n",
						pkl_progname, cmd->name, o->key);
					abort();
				}
				t->shortopts[ns++] = (char)o->key;
				if (o->value)
					t->shortopts[ns++] = ':';
			}
			if (o->name) {
				int has_arg = !o->value ? no_argument
					      : o->optional_value ? optional_argument : required_argument;
				int val = o->key < PKL_OPT_LONG_ONLY ? o->key
					  : PKL_OPT_LONG_ONLY + t->nflat;
				t->longopts[nl++] = (struct option){ o->name, has_arg, NULL, val };
			}
			t->flat[t->nflat].group = &groups[g];
			t->flat[t->nflat].option = o;
			t->nflat++;
		}
	}
	t->longopts[nl++] = (struct option){ "help", no_argument, NULL, 'h' };
	t->longopts[nl] = (struct option){ NULL, 0, NULL, 0 };
	t->shortopts[ns] = '\0';
}

/* The option getopt_long returned as val, and its group. */
static const struct pkl_opt_group *
group_of(const struct tables *t, int val, const struct pkl_option **opt)
{
	for (int i = 0; i < t->nflat; i++)
		if (val >= PKL_OPT_LONG_ONLY ? i == val - PKL_OPT_LONG_ONLY
					      : t->flat[i].option->key == val) {
			*opt = t->flat[i].option;
			return t->flat[i].group;
		}
	*opt = NULL;
	return NULL;
}

/* The word of argv that held the option just returned: the one before
 * its value when the value was a word of its own. */
static const char *
option_word(char **argv, bool separate_value)
{
	return argv[optind - (separate_value ? 2 : 1)];
}

/* "--name" when the word was a long option, "-c" otherwise. */
static void
spell(struct pkl_opt_parser *p, const char *word, const struct pkl_option *o, int key)
{
	if (word[0] == '-' && word[1] == '-' && o && o->name)
		snprintf(p->spelled, sizeof p->spelled, "--%s", o->name);
	else if (word[0] == '-' && word[1] == '-')
		snprintf(p->spelled, sizeof p->spelled, "%.*s", (int)strcspn(word, "="), word);
	else
		snprintf(p->spelled, sizeof p->spelled, "-%c", key);
}

int
pkl_opts_parse(const struct pkl_command *cmd, const struct pkl_opt_group *groups, int ngroups,
	       int argc, char **argv, int *first_arg)
{
	struct pkl_opt_parser p = { .cmd = cmd };
	struct tables t;
	int c;

	build_tables(cmd, groups, ngroups, &t);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, t.shortopts, t.longopts, NULL)) != -1) {
		const struct pkl_option *o = NULL;
		const struct pkl_opt_group *g;

		if (c == 'h') {
			print_help(cmd, groups, ngroups);
			return 0;
		}
		if (c == ':') {
			group_of(&t, optopt, &o);
			spell(&p, option_word(argv, false), o, optopt);
			pkl_opt_error(&p, "%s needs a value", p.spelled);
			return EXIT_USAGE;
		}
		if (c == '?') {
			const char *word = option_word(argv, false);
			if (optopt && word[0] == '-' && word[1] == '-') {
				group_of(&t, optopt, &o);
				spell(&p, word, o, optopt);
				pkl_opt_error(&p, "%s takes no value", p.spelled);
			} else if (optopt) {
				pkl_opt_error(&p, "unknown option '-%c'", optopt);
			} else {
				pkl_opt_error(&p, "unknown option '%.*s'", (int)strcspn(word, "="), word);
			}
			return EXIT_USAGE;
		}
		g = group_of(&t, c, &o);
		spell(&p, option_word(argv, optarg && optarg == argv[optind - 1]), o, c);
		if (g->apply(g->target, o->key, optarg, &p) < 0)
			return EXIT_USAGE;
	}
	for (int i = 0; i < ngroups; i++)
		if (groups[i].check && groups[i].check(groups[i].target, &p) < 0)
			return EXIT_USAGE;
	*first_arg = optind;
	return -1;
}

int
pkl_opt_number(struct pkl_opt_parser *p, const char *value, uint64_t min, uint64_t max,
	       const char *what, uint64_t *out)
{
	char *end;

	/* strtoull alone would take " 5", "+5" and "-5" (as 2^64 - 5). */
	if (value[0] < '0' || value[0] > '9')
		goto bad;
	errno = 0;
	unsigned long long v = strtoull(value, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	if (min == 1 && max == UINT64_MAX)
		return pkl_opt_error(p, "%s needs a positive %s, not '%s'", p->spelled, what, value);
	return pkl_opt_error(p, "%s needs %s from %llu to %llu, not '%s'", p->spelled, what,
			     (unsigned long long)min, (unsigned long long)max, value);
}

int
pkl_opt_seconds(struct pkl_opt_parser *p, const char *value, uint64_t min_ms, uint64_t max_ms,
		uint64_t *out_ms)
{
	uint64_t ms = 0;
	const char *c = value;
	int decimals = -1;   /* digits after the point; -1 before it */

	for (; *c; c++) {
		if (*c == '.' && decimals < 0 && c != value) {
			decimals = 0;
			continue;
		}
		if (*c < '0' || *c > '9' || decimals == 3 || ms > max_ms * 10)
			goto bad;
		ms = ms * 10 + (uint64_t)(*c - '0');
		if (decimals >= 0)
			decimals++;
	}
	if (c == value || decimals == 0)
		goto bad;
	for (int d = decimals < 0 ? 0 : decimals; d < 3; d++)
		ms *= 10;
	if (ms < min_ms || ms > max_ms)
		goto bad;
	*out_ms = ms;
	return 0;
bad:
	return pkl_opt_error(p, "%s needs seconds from %g to %g (at most three decimals), not '%s'",
			     p->spelled, min_ms / 1000.0, max_ms / 1000.0, value);
}

char *
pkl_opts_join(int argc, char **argv, bool *failed)
{
	size_t len = 0;

	*failed = false;
	if (argc <= 0)
		return NULL;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *s = malloc(len);
	if (!s) {
		*failed = true;
		return NULL;
	}
	char *w = s;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);
		memcpy(w, argv[i], n);
		w += n;
		*w++ = i + 1 < argc ? ' ' : '\0';
	}
	return s;
}

/* --- views ----------------------------------------------------------- */

enum { OPT_COLOR = PKL_OPT_LONG_ONLY, OPT_LINE_BUFFERED, OPT_EXPLAIN, OPT_TIME };

const struct pkl_option pkl_view_options[] = {
	{ 'q', "quiet", NULL, false, "one summary line per frame" },
	{ 'j', "json", NULL, false, "one JSON object per frame (NDJSON), Wireshark field names" },
	{ 'x', "hex", NULL, false, "add a hex and ASCII dump of the captured bytes" },
	{ 'X', NULL, NULL, false, "the same, as tcpdump's -X" },
	{ 'A', "explain-addresses", NULL, false,
	  "also explain private, loopback and multicast addresses" },
	{ OPT_EXPLAIN, "explain", "WHEN", false,
	  "once (default: each explanation the first time it\n"
	  "applies in a conversation, then a short mark), all\n"
	  "(on every frame), none (the fields only)" },
	{ 'l', "line-buffered", NULL, false, "flush after every frame (for pipes)" },
	{ OPT_COLOR, "color", "WHEN", true,
	  "auto (default: on a terminal, unless NO_COLOR is set),\nalways (also a bare --color), never" },
	{ OPT_COLOR, "colour", "WHEN", true, NULL },
	{ 't', NULL, NULL, false,
	  "frame times as tcpdump's: -t none, -tt epoch seconds,\n"
	  "-ttt since the frame shown before, -tttt date and time,\n"
	  "-ttttt since the file's first frame" },
	{ OPT_TIME, "time", "FORMAT", false,
	  "abs (local time of day: sniff's default), date,\n"
	  "rel (since the file's first frame: read's default),\n"
	  "delta, epoch, none.  Local time is TZ's zone, else the\n"
	  "system's; --json always has frame.time_epoch and\n"
	  "frame.time_relative" },
	{ 0, NULL, NULL, false, NULL },
};

int
pkl_opt_color(struct pkl_opt_parser *p, const char *value, int *color)
{
	if (!value || strcmp(value, "always") == 0)
		*color = 1;
	else if (strcmp(value, "auto") == 0)
		*color = -1;
	else if (strcmp(value, "never") == 0)
		*color = 0;
	else
		return pkl_opt_error(p, "%s takes auto, always or never, not '%s'", p->spelled, value);
	return 0;
}

int
pkl_view_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct pkl_view_opts *v = target;

	switch (key) {
	case 'q': v->quiet = true; break;
	case 'j': v->json = true; break;
	case 'x': case 'X': v->hex = true; break;
	case 'A': v->annotate.explain_addresses = true; break;
	case 'l': case OPT_LINE_BUFFERED: v->line_buffered = true; break;
	case OPT_COLOR: return pkl_opt_color(p, value, &v->color);
	case OPT_EXPLAIN:
		if (strcmp(value, "once") == 0)
			v->explain = PKL_EXPLAIN_ONCE;
		else if (strcmp(value, "all") == 0)
			v->explain = PKL_EXPLAIN_ALL;
		else if (strcmp(value, "none") == 0)
			v->explain = PKL_EXPLAIN_NONE;
		else
			return pkl_opt_error(p, "%s takes once, all or none, not '%s'", p->spelled,
					     value);
		break;
	case 't': v->t_count++; break;
	case OPT_TIME:
		if (!(v->time = pkl_time_format_named(value)))
			return pkl_opt_error(p, "--time takes abs, date, rel, delta, epoch or none, "
					     "not '%s'", value);
		break;
	}
	return 0;
}

int
pkl_view_check(void *target, struct pkl_opt_parser *p)
{
	struct pkl_view_opts *v = target;

	if (v->t_count && v->time)
		return pkl_opt_error(p, "-t and --time both choose the time format: drop one");
	if (v->t_count > PKL_TIME_REL)
		return pkl_opt_error(p, "-t can be given at most five times (-ttttt), not %u",
				     v->t_count);
	if (v->t_count)
		v->time = (enum pkl_time_format)v->t_count;

	if (v->quiet && v->json)
		return pkl_opt_error(p, "-q (a line per frame) and --json (an object per frame) "
				     "cannot go together: drop one of the two");
	if (v->json && v->hex)
		return pkl_opt_error(p, "--json and -x (a hex dump) cannot go together: "
				     "drop one of the two");
	v->view = v->json ? PKL_VIEW_JSON : v->quiet ? PKL_VIEW_LINE : PKL_VIEW_TREE;
	return 0;
}

/* --- the field filter ------------------------------------------------- */

const struct pkl_option pkl_display_filter_options[] = {
	{ 'Y', "display-filter", "EXPR", false,
	  "show only the frames EXPR keeps: a Wireshark display\n"
	  "filter over the --json field names, tested after\n"
	  "tracking ('tcp.analysis.retransmission',\n"
	  "'ip.addr == 10.0.0.0/8 && !arp'; see README)" },
	{ 0, NULL, NULL, false, NULL },
};

int
pkl_display_filter_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct pkl_view_opts *v = target;
	char why[PKL_DFILTER_ERRBUF_SIZE];
	struct pkl_dfilter *df;

	(void)key;
	/* Compiled here to refuse a bad one as a usage error; the pipeline
	 * compiles its own. */
	if (!(df = pkl_dfilter_compile(value, why)))
		return pkl_opt_error(p, "%s: %s", p->spelled, why);
	pkl_dfilter_free(df);
	v->display_filter = value;
	return 0;
}

/* A crafting command shows the frames it sent and heard in the same
 * views, then its result; -q keeps only the result, as ping -q does.
 * -A and -l are left to what ping and arping users type them for. */
const struct pkl_option pkl_craft_view_options[] = {
	{ 'q', "quiet", NULL, false, "show no frame, only the result lines (as ping -q)" },
	{ 'j', "json", NULL, false,
	  "one JSON object per frame (NDJSON, Wireshark field names),\n"
	  "the route and the result as records of their own" },
	{ 'x', "hex", NULL, false, "add a hex and ASCII dump of each frame" },
	{ OPT_LINE_BUFFERED, "line-buffered", NULL, false, "flush after every line (for pipes)" },
	{ OPT_COLOR, "color", "WHEN", true,
	  "auto (default: on a terminal, unless NO_COLOR is set),\nalways (also a bare --color), never" },
	{ OPT_COLOR, "colour", "WHEN", true, NULL },
	{ 0, NULL, NULL, false, NULL },
};

int
pkl_craft_view_check(void *target, struct pkl_opt_parser *p)
{
	struct pkl_view_opts *v = target;

	if (v->hex && (v->json || v->quiet))
		return pkl_opt_error(p, "-x dumps the frames, which %s does not show as text: "
				     "drop one of the two", v->json ? "--json" : "-q");
	v->view = v->json ? PKL_VIEW_JSON : PKL_VIEW_TREE;
	return 0;
}

/* --- the conversation table ------------------------------------------ */

enum { OPT_MAX_CONNS = PKL_OPT_LONG_ONLY, OPT_IDLE_TIMEOUT, OPT_EXCHANGE_TIMEOUT, OPT_MSL };

const struct pkl_option pkl_table_options[] = {
	{ OPT_MAX_CONNS, "max-conns", "N", false,
	  "table cap, all kinds together (default 65536 for read\n"
	  "and sniff, 1048576 for conns); beyond it a closed\n"
	  "connection leaves first, else the least recently seen\n"
	  "is evicted, and counted" },
	{ OPT_IDLE_TIMEOUT, "idle-timeout", "S", false,
	  "forget a TCP connection idle this long (default 300 s)" },
	{ OPT_EXCHANGE_TIMEOUT, "exchange-timeout", "S", false,
	  "forget a UDP flow, ping session or ARP exchange\n"
	  "idle this long (default 30 s, as Linux's netfilter\n"
	  "forgets an unanswered UDP or ICMP flow)" },
	{ OPT_MSL, "msl", "S", false,
	  "maximum segment lifetime: TIME_WAIT lasts 2*MSL\n"
	  "(default 30 s, as Linux's 60 s TIME_WAIT), and a\n"
	  "closed connection (both ends CLOSED or in TIME_WAIT)\n"
	  "leaves the table 2*MSL after its last frame" },
	{ 0, NULL, NULL, false, NULL },
};

int
pkl_table_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct pkl_conntrack_opts *t = target;
	uint64_t v;

	switch (key) {
	case OPT_MAX_CONNS:
		if (pkl_opt_number(p, value, 1, 1u << 26, "a number", &v) < 0)
			return -1;
		t->max_conns = (uint32_t)v;
		break;
	case OPT_IDLE_TIMEOUT:
		if (pkl_opt_number(p, value, 1, 86400, "seconds", &v) < 0)
			return -1;
		t->idle_timeout = (uint32_t)v;
		break;
	case OPT_EXCHANGE_TIMEOUT:
		if (pkl_opt_number(p, value, 1, 86400, "seconds", &v) < 0)
			return -1;
		t->exchange_timeout = (uint32_t)v;
		break;
	case OPT_MSL:
		if (pkl_opt_number(p, value, 1, 3600, "seconds", &v) < 0)
			return -1;
		t->msl = (uint32_t)v;
		break;
	}
	return 0;
}

/* --- input: a saved capture ------------------------------------------ */

const struct pkl_option pkl_input_options[] = {
	{ 'r', NULL, "FILE", false, "the file to read (instead of the first operand)" },
	{ 'c', "count", "N", false, "stop after N frames" },
	{ 'n', NULL, NULL, false, "accepted for tcpdump habits: pktlens never resolves names" },
	{ 0, NULL, NULL, false, NULL },
};

static int
count_apply(struct pkl_opt_parser *p, const char *value, uint64_t *count)
{
	return pkl_opt_number(p, value, 1, UINT64_MAX, "number of frames", count);
}

int
pkl_input_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct pkl_input_opts *in = target;

	switch (key) {
	case 'r': in->path = value; break;
	case 'c': return count_apply(p, value, &in->count);
	}
	return 0;
}

/* --- a live interface ------------------------------------------------ */

#define USER_BUFFER_KIB_MAX (128 * 1024)

const struct pkl_option pkl_capture_options[] = {
	{ 'i', "interface", "IFACE", false,
	  "capture on IFACE ('any': all of them); default: the\n"
	  "first interface that is up and not loopback" },
	{ 'c', "count", "N", false, "stop after N frames" },
	{ 's', "snaplen", "N", false,
	  "capture at most N bytes of each frame (default and\n0: 262144, the whole frame)" },
	{ 'B', "buffer-size", "KIB", false, "kernel capture buffer size, in KiB" },
	{ 'p', "no-promiscuous-mode", NULL, false,
	  "do not put the interface in promiscuous mode" },
	{ 'n', NULL, NULL, false, "accepted for tcpdump habits: pktlens never resolves names" },
	{ 0, NULL, NULL, false, NULL },
};

int
pkl_capture_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct pkl_capture_opts *c = target;
	uint64_t v;

	switch (key) {
	case 'i': c->live.iface = value; break;
	case 'c': return count_apply(p, value, &c->count);
	case 'p': c->live.promisc = false; break;
	case 's':
		/* 0 is the whole frame, as for tcpdump -s 0. */
		if (pkl_opt_number(p, value, 0, PKL_SNAPLEN_MAX, "a snapshot length in bytes",
				   &v) < 0)
			return -1;
		c->live.snaplen = v ? (int)v : PKL_SNAPLEN_MAX;
		break;
	case 'B':
		/* Capture buffers are pinned kernel memory: a user given the
		 * capture capability, not root, gets a laptop's worth. */
		if (pkl_opt_number(p, value, 1, getuid() == 0 ? PKL_CAPTURE_MAX_BUFFER_KIB
						       : USER_BUFFER_KIB_MAX,
				   getuid() == 0 ? "a buffer size in KiB"
						 : "a buffer size in KiB (as a user other than root)",
				   &v) < 0)
			return -1;
		c->live.buffer_kib = (int)v;
		break;
	}
	return 0;
}
