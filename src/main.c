/* pktlens: see and understand what is on the wire.
 *
 * Only this file prints errors and chooses exit codes: 0 success,
 * 1 runtime failure, 2 usage error. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "annotate.h"
#include "capture.h"
#include "decode.h"
#include "render.h"
#include "stats.h"

#define PKL_VERSION "0.1.0"
#define OUT_BUFFER_SIZE (256u * 1024)

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

struct read_opts {
	enum pkl_view view;
	bool hex;
	bool line_buffered;
	int color;                 /* -1 auto, 0 never, 1 always */
	uint64_t count;            /* 0: all */
	bool verify_checksums;
	struct pkl_annotate_opts annotate;
	const char *path;
	char *filter;              /* NULL: none */
};

static const char *progname = "pktlens";

static void
usage_main(FILE *f)
{
	fprintf(f,
		"usage: pktlens COMMAND [options] ...\n"
		"\n"
		"Commands:\n"
		"  read FILE [FILTER]    decode a pcap/pcapng file: annotated layers, -q lines, --json\n"
		"  stats FILE [FILTER]   protocol hierarchy, anomalies and top talkers of a file\n"
		"\n"
		"  pktlens COMMAND --help   options of one command\n"
		"  pktlens --version\n");
}

static void
usage_read(FILE *f)
{
	fprintf(f,
		"usage: pktlens read [options] FILE [FILTER...]\n"
		"\n"
		"Decode every frame of a saved capture (pcap or pcapng; - for stdin).\n"
		"FILTER is a BPF expression, as for tcpdump: 'tcp port 80', 'arp or icmp'.\n"
		"\n"
		"Views (default: a summary line, the fields of every layer, explanations):\n"
		"  -q, --quiet          one summary line per frame\n"
		"  -j, --json           one JSON object per frame (NDJSON), Wireshark field names\n"
		"  -x, --hex            add a hex and ASCII dump of the captured bytes\n"
		"\n"
		"Options:\n"
		"  -r FILE              the file to read (instead of the first argument)\n"
		"  -c, --count N        stop after N frames\n"
		"  -A, --explain-addresses  also explain private, loopback and multicast addresses\n"
		"  -l, --line-buffered  flush after every frame (for pipes)\n"
		"      --color=WHEN     auto (default: on a terminal, unless NO_COLOR is set), always, never\n"
		"  -n                   accepted for tcpdump habits: pktlens never resolves names\n"
		"  -h, --help           this help\n");
}

static void
usage_stats(FILE *f)
{
	fprintf(f,
		"usage: pktlens stats [options] FILE [FILTER...]\n"
		"\n"
		"Protocol hierarchy (frames and bytes per protocol path), anomaly counts and\n"
		"top talkers of a saved capture.\n"
		"\n"
		"Options:\n"
		"  -r FILE              the file to read (instead of the first argument)\n"
		"  -c, --count N        stop after N frames\n"
		"  -t, --top N          list the N busiest addresses (default 10)\n"
		"  -k, --checksums      also verify every checksum and count the bad ones\n"
		"                       (off by default: it doubles the time over the file)\n"
		"  -h, --help           this help\n");
}

static int usage_error(void (*usage)(FILE *), const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
usage_error(void (*usage)(FILE *), const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage(stderr);
	return EXIT_USAGE;
}

/* The words after the file, joined with spaces, as tcpdump takes them. */
static char *
join_filter(int argc, char **argv)
{
	size_t len = 0;

	if (argc <= 0)
		return NULL;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static bool
parse_count(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || *s == '-' || v == 0)
		return false;
	*out = v;
	return true;
}

static bool
want_color(int setting)
{
	if (setting >= 0)
		return setting;
	const char *no_color = getenv("NO_COLOR");
	return isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

/* Read frames through decode -> annotate -> render or -> statistics. */
static int
run_file(const struct read_opts *ro, struct pkl_stats *stats, unsigned top_n)
{
	char errbuf[PKL_ERRBUF_SIZE];
	bool filter_fault;
	static char outbuf[OUT_BUFFER_SIZE];
	struct pkl_out out;

	struct pkl_capture *cap = pkl_capture_open_file(ro->path, ro->filter, errbuf, &filter_fault);
	if (!cap) {
		fprintf(stderr, "%s: %s\n", progname, errbuf);
		return filter_fault ? EXIT_USAGE : EXIT_RUNTIME;
	}

	pkl_out_init_fd(&out, STDOUT_FILENO, outbuf, sizeof outbuf);
	out.color = !stats && ro->view != PKL_VIEW_JSON && want_color(ro->color);
	out.line_buffered = ro->line_buffered;
	struct pkl_render r = { .out = &out, .view = ro->view, .hex = ro->hex };

	static struct pkl_packet pkt;
	pkt.skip_checksums = !ro->verify_checksums;
	struct pkl_notes notes;
	struct pkl_frame frame;
	uint64_t seen = 0;
	int rc, status = 0;

	while ((ro->count == 0 || seen < ro->count) &&
	       (rc = pkl_capture_next(cap, &frame, errbuf)) != 0) {
		if (rc < 0) {
			status = EXIT_RUNTIME;
			break;
		}
		seen++;
		pkl_decode(&pkt, &frame);
		if (stats) {
			pkl_stats_add(stats, &pkt);
			continue;
		}
		/* The line view prints no explanation: skip making them. */
		notes.n = 0;
		if (ro->view != PKL_VIEW_LINE)
			pkl_annotate(&pkt, &ro->annotate, &notes);
		pkl_render_frame(&r, &pkt, &notes);
		if (out.failed)
			break;
	}
	if (stats)
		pkl_stats_print(stats, &out, top_n);
	pkl_out_flush(&out);
	pkl_capture_close(cap);

	if (status) {
		fprintf(stderr, "%s: %s (the %llu frames before it were decoded)\n", progname,
			errbuf, (unsigned long long)seen);
		return status;
	}
	if (out.failed) {
		fprintf(stderr, "%s: cannot write output: %s\n", progname, strerror(out.errno_saved));
		return EXIT_RUNTIME;
	}
	return 0;
}

enum { OPT_COLOR = 256 };

static int
cmd_read_or_stats(int argc, char **argv, bool is_stats)
{
	static const struct option read_long[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ "hex", no_argument, NULL, 'x' },
		{ "count", required_argument, NULL, 'c' },
		{ "explain-addresses", no_argument, NULL, 'A' },
		{ "line-buffered", no_argument, NULL, 'l' },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "colour", required_argument, NULL, OPT_COLOR },
		{ "top", required_argument, NULL, 't' },
		{ "checksums", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	void (*usage)(FILE *) = is_stats ? usage_stats : usage_read;
	const char *shortopts = is_stats ? "r:c:t:knh" : "qjxr:c:Alnh";
	struct read_opts ro = { .view = PKL_VIEW_TREE, .color = -1, .verify_checksums = !is_stats };
	uint64_t top = 10;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, read_long, NULL)) != -1) {
		switch (c) {
		case 'q': ro.view = PKL_VIEW_LINE; break;
		case 'j': ro.view = PKL_VIEW_JSON; break;
		case 'x': ro.hex = true; break;
		case 'A': ro.annotate.explain_addresses = true; break;
		case 'l': ro.line_buffered = true; break;
		case 'n': break;
		case 'k': ro.verify_checksums = true; break;
		case 'r': ro.path = optarg; break;
		case 'c':
			if (!parse_count(optarg, &ro.count))
				return usage_error(usage, "-c needs a positive number of frames, not '%s'", optarg);
			break;
		case 't':
			if (!is_stats || !parse_count(optarg, &top) || top > 100000)
				return usage_error(usage, "--top needs a number from 1 to 100000, not '%s'", optarg);
			break;
		case OPT_COLOR:
			if (is_stats)
				return usage_error(usage, "unknown option '%s'", argv[optind - 1]);
			if (strcmp(optarg, "auto") == 0)
				ro.color = -1;
			else if (strcmp(optarg, "always") == 0)
				ro.color = 1;
			else if (strcmp(optarg, "never") == 0)
				ro.color = 0;
			else
				return usage_error(usage, "--color takes auto, always or never, not '%s'", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			if (optopt && strchr("rct", optopt))
				return usage_error(usage, "option -%c needs an argument", optopt);
			return usage_error(usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (is_stats && (ro.view != PKL_VIEW_TREE || ro.hex))
		return usage_error(usage, "%s", "stats has no views");
	if (!ro.path) {
		if (optind >= argc)
			return usage_error(usage, "%s", "which capture file? give its path");
		ro.path = argv[optind++];
	}
	ro.filter = join_filter(argc - optind, argv + optind);

	struct pkl_stats *stats = NULL;
	if (is_stats && !(stats = pkl_stats_new())) {
		fprintf(stderr, "%s: out of memory for the statistics tables\n", progname);
		free(ro.filter);
		return EXIT_RUNTIME;
	}
	int rc = run_file(&ro, stats, (unsigned)top);
	pkl_stats_free(stats);
	free(ro.filter);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage_main(stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		usage_main(stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("pktlens %s\n", PKL_VERSION);
		return 0;
	}
	if (strcmp(cmd, "read") == 0)
		return cmd_read_or_stats(argc - 1, argv + 1, false);
	if (strcmp(cmd, "stats") == 0)
		return cmd_read_or_stats(argc - 1, argv + 1, true);
	fprintf(stderr, "%s: unknown command '%s'\n", progname, cmd);
	usage_main(stderr);
	return EXIT_USAGE;
}
