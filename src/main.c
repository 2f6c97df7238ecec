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

#include "capture.h"
#include "cli.h"
#include "pipeline.h"
#include "render.h"
#include "render_conns.h"
#include "render_timeline.h"
#include "sniff.h"
#include "stats.h"

#define PKL_VERSION "0.1.0"
#define OUT_BUFFER_SIZE (256u * 1024)



const char *const pkl_progname = "pktlens";

static void
usage_main(FILE *f)
{
	fprintf(f,
		"usage: pktlens COMMAND [options] ...\n"
		"\n"
		"Commands:\n"
		"  read FILE [FILTER]    decode a pcap/pcapng file: annotated layers, -q lines, --json\n"
		"  stats FILE [FILTER]   protocol hierarchy, anomalies and top talkers of a file\n"
		"  sniff [FILTER]        capture live from an interface, in the same views\n"
		"  conns FILE [FILTER]   one record per TCP connection (roles, states, close, TIME_WAIT)\n"
		"                        and per UDP flow, ping session and ARP exchange or conflict;\n"
		"                        --timeline: a ladder diagram of each TCP connection\n"
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
		"      --max-conns N, --idle-timeout S, --exchange-timeout S, --msl S\n"
		"                       the conversation table behind the connection notes, as\n"
		"                       for pktlens conns\n"
		"  -h, --help           this help\n");
}

static void
usage_sniff(FILE *f)
{
	fprintf(f,
		"usage: pktlens sniff [options] [FILTER...]\n"
		"\n"
		"Capture from a live interface and show every frame as it arrives, until\n"
		"Ctrl-C (or -c).  Needs root, or the capabilities: sudo setcap\n"
		"cap_net_raw,cap_net_admin=eip /usr/local/bin/pktlens\n"
		"\n"
		"  -D, --list-interfaces  list the interfaces pktlens can capture on\n"
		"  -i, --interface IFACE  capture on IFACE ('any': all of them); default: the\n"
		"                         first interface that is up and not loopback\n"
		"  -w, --write FILE       also write the frames to a pcap file (with -q: only write)\n"
		"  -c, --count N          stop after N frames\n"
		"  -s, --snaplen N        capture at most N bytes of each frame (default 262144)\n"
		"  -B, --buffer-size KIB  kernel capture buffer size\n"
		"  -p                     do not put the interface in promiscuous mode\n"
		"  -Z USER                run as USER once the interface is open (default after\n"
		"                         sudo: the user who ran sudo)\n"
		"  -q, -j/--json, -x, -A, -l, -n, --color=WHEN, --max-conns N,\n"
		"  --idle-timeout S, --exchange-timeout S, --msl S   as for pktlens read\n"
		"  -h, --help             this help\n"
		"\n"
		"On exit, the capture statistics go to standard error, as tcpdump prints them.\n");
}

static void
usage_conns(FILE *f)
{
	fprintf(f,
		"usage: pktlens conns [options] FILE [FILTER...]\n"
		"\n"
		"Follow every TCP connection of a saved capture and print one record each:\n"
		"client and server, frames and bytes each way, handshake frames and RTT, how\n"
		"it ended, the final state of both ends, who holds TIME_WAIT and until when.\n"
		"Also one record per UDP flow (datagrams and bytes each way), ICMP echo session\n"
		"(replies, lost requests, round trips), ARP exchange (who asked, who answered,\n"
		"how fast; gratuitous, probe, unsolicited) and ARP address conflict (the MACs\n"
		"and the frames that claim one address), with the ICMP errors about each.\n"
		"\n"
		"  -j, --json             one JSON object per record\n"
		"      --timeline         a ladder diagram of each connection instead: one arrow\n"
		"                         per segment (flags, relative seq/ack, length), the\n"
		"                         client's state on the left, the server's on the right\n"
		"      --color=WHEN       colours of the timeline: auto (default: on a terminal,\n"
		"                         unless NO_COLOR is set), always, never\n"
		"  -r FILE                the file to read (instead of the first argument)\n"
		"  -c, --count N          stop after N frames\n"
		"      --max-conns N      table cap, all kinds together (default 1048576); beyond\n"
		"                         it a closed connection leaves first, else the least\n"
		"                         recently seen is evicted, and counted\n"
		"      --idle-timeout S   forget a TCP connection idle this long (default 300 s)\n"
		"      --exchange-timeout S  forget a UDP flow, ping session or ARP exchange\n"
		"                         idle this long (default 30 s, as Linux's netfilter\n"
		"                         forgets an unanswered UDP or ICMP flow)\n"
		"      --msl S            maximum segment lifetime: TIME_WAIT lasts 2*MSL\n"
		"                         (default 30 s, as Linux's 60 s TIME_WAIT), and a\n"
		"                         closed connection (both ends CLOSED or in TIME_WAIT)\n"
		"                         leaves the table 2*MSL after its last frame\n"
		"  -h, --help             this help\n"
		"\n"
		"A record is printed when its connection leaves the table (idle, evicted,\n"
		"closed, or its ports reused by a new SYN); those still there at the end of\n"
		"the capture follow, in order of first frame.  JSON says why in left_table.\n");
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

	fprintf(stderr, "%s: ", pkl_progname);
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

static char outbuf[OUT_BUFFER_SIZE];
static struct pkl_pipeline pipeline;

struct pkl_pipeline *
pkl_cli_pipeline(const struct read_opts *ro, struct pkl_stats *stats)
{
	struct pkl_pipeline *pl = &pipeline;

	pkl_out_init_fd(&pl->out, STDOUT_FILENO, outbuf, sizeof outbuf);
	pl->out.color = !stats && ro->view != PKL_VIEW_JSON && want_color(ro->color);
	pl->out.line_buffered = ro->line_buffered;
	pl->render = (struct pkl_render){ .out = &pl->out, .view = ro->view, .hex = ro->hex };
	pl->annotate = ro->annotate;
	pl->stats = stats;
	pl->limit = ro->count;
	pl->silent = ro->silent;
	pl->pkt.skip_checksums = !ro->verify_checksums;
	/* Every view says where a frame sits in its connection (the line
	 * view with relative numbers and the analysis marks). */
	if (!stats && !ro->silent) {
		struct pkl_conntrack_opts opts = ro->conntrack;
		/* The tree and JSON show each ACK's round trip; the line view does not. */
		opts.time_acks = ro->view != PKL_VIEW_LINE;
		pl->conntrack = pkl_conntrack_new(&opts, NULL, NULL);
		if (!pl->conntrack) {
			fprintf(stderr, "%s: no memory for a table of %u connections: lower --max-conns\n",
				pkl_progname, ro->conntrack.max_conns);
			return NULL;
		}
	}
	return pl;
}

void
pkl_cli_pipeline_free(struct pkl_pipeline *pl)
{
	pkl_conntrack_free(pl->conntrack);
	pl->conntrack = NULL;
	pkl_timeline_free(pl->timeline);
	pl->timeline = NULL;
}

int
pkl_cli_output_status(const struct pkl_pipeline *pl)
{
	if (!pl->out.failed)
		return 0;
	fprintf(stderr, "%s: cannot write output: %s\n", pkl_progname, strerror(pl->out.errno_saved));
	return EXIT_RUNTIME;
}

/* Draw the recorded ladders, and say where recording stopped if it did.
 * Returns the exit status it calls for. */
static int
print_timeline(struct pkl_pipeline *pl)
{
	uint64_t frame;

	pkl_timeline_print(pl->timeline, &pl->render);
	switch (pkl_timeline_stopped(pl->timeline, &frame)) {
	case PKL_TIMELINE_WHOLE:
		break;
	case PKL_TIMELINE_FULL:
		fprintf(stderr, "%s: the timeline holds at most %u arrows and stopped recording at "
			"frame %llu; narrow it with a filter or -c\n", pkl_progname,
			PKL_TIMELINE_MAX_ROWS, (unsigned long long)frame);
		break;
	case PKL_TIMELINE_NO_MEMORY:
		fprintf(stderr, "%s: out of memory for the timeline: it stopped recording at frame "
			"%llu; narrow it with a filter or -c\n", pkl_progname, (unsigned long long)frame);
		return EXIT_RUNTIME;
	}
	return 0;
}

/* Read a file through the pipeline, into a view or the statistics. */
static int
run_file(const struct read_opts *ro, struct pkl_stats *stats, unsigned top_n, bool conns)
{
	char errbuf[PKL_ERRBUF_SIZE];
	bool filter_fault;

	struct pkl_capture *cap = pkl_capture_open_file(ro->path, ro->filter, errbuf, &filter_fault);
	if (!cap) {
		fprintf(stderr, "%s: %s\n", pkl_progname, errbuf);
		return filter_fault ? EXIT_USAGE : EXIT_RUNTIME;
	}
	struct pkl_pipeline *pl = pkl_cli_pipeline(ro, stats);
	if (!pl) {
		pkl_capture_close(cap);
		return EXIT_RUNTIME;
	}
	struct pkl_conns_view conns_view = { .out = &pl->out, .json = ro->view == PKL_VIEW_JSON,
					     .clock = &pl->render };
	if (conns) {
		/* A table that reports each connection leaving it, in place of
		 * the one the frame views use: to be printed, or kept for the
		 * timeline's headers. */
		pkl_conntrack_free(pl->conntrack);
		pl->conntrack = NULL;
		pl->conns_only = true;
		/* The records (and the timeline, drawn from each frame's
		 * snapshot) show no checksum and no frame's notes, and the
		 * tracker needs neither. */
		pl->pkt.skip_checksums = true;
		pl->notes.discard = true;
		if (ro->timeline)
			pl->timeline = pkl_timeline_new();
		if (ro->timeline && !pl->timeline)
			fprintf(stderr, "%s: out of memory for the timeline\n", pkl_progname);
		else if (!(pl->conntrack = ro->timeline
				? pkl_conntrack_new(&ro->conntrack, pkl_timeline_conn_done, pl->timeline)
				: pkl_conntrack_new(&ro->conntrack, pkl_render_conn, &conns_view)))
			fprintf(stderr, "%s: no memory for a table of %u connections: lower --max-conns\n",
				pkl_progname, ro->conntrack.max_conns);
		if (!pl->conntrack) {
			pkl_cli_pipeline_free(pl);
			pkl_capture_close(cap);
			return EXIT_RUNTIME;
		}
	}
	int timeline_status = 0;
	struct pkl_frame frame;
	int rc;

	while ((rc = pkl_capture_next(cap, &frame, errbuf)) > 0 && pkl_pipeline_frame(pl, &frame))
		;
	if (stats)
		pkl_stats_print(stats, &pl->out, top_n);
	if (conns) {
		pkl_conntrack_finish(pl->conntrack);
		uint64_t evicted = pkl_conntrack_evicted(pl->conntrack);
		if (evicted)
			fprintf(stderr, "%s: %llu connections were evicted from the full table "
				"(--max-conns %u); raise it to follow them whole\n", pkl_progname,
				(unsigned long long)evicted, ro->conntrack.max_conns);
		if (pl->timeline)
			timeline_status = print_timeline(pl);
	}
	pkl_out_flush(&pl->out);
	pkl_capture_close(cap);
	pkl_cli_pipeline_free(pl);

	if (rc < 0) {
		fprintf(stderr, "%s: %s (the %llu frames before it were decoded)\n", pkl_progname,
			errbuf, (unsigned long long)pl->seen);
		return EXIT_RUNTIME;
	}
	int status = pkl_cli_output_status(pl);
	return status ? status : timeline_status;
}

enum { OPT_COLOR = 256, OPT_PCAPNG, OPT_TIMELINE };

/* Long options without a letter belong to some commands only. */
static bool
long_option_of(enum command cmd, int opt)
{
	switch (opt) {
	case OPT_COLOR: return cmd != CMD_STATS;
	case OPT_PCAPNG: return cmd == CMD_SNIFF;
	case OPT_TIMELINE: return cmd == CMD_CONNS;
	}
	return false;
}


static void (*const usage_of[])(FILE *) = {
	[CMD_READ] = usage_read, [CMD_STATS] = usage_stats, [CMD_SNIFF] = usage_sniff,
	[CMD_CONNS] = usage_conns,
};

/* Parse a command's options.  Returns -1 to go on, or an exit status
 * (help printed: 0; usage error: 2). */
static int
parse_cli(enum command cmd, int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {
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
		{ "interface", required_argument, NULL, 'i' },
		{ "list-interfaces", no_argument, NULL, 'D' },
		{ "write", required_argument, NULL, 'w' },
		{ "pcapng", no_argument, NULL, OPT_PCAPNG },
		{ "timeline", no_argument, NULL, OPT_TIMELINE },
		{ "snaplen", required_argument, NULL, 's' },
		{ "buffer-size", required_argument, NULL, 'B' },
		{ "no-promiscuous-mode", no_argument, NULL, 'p' },
		{ "relinquish-privileges", required_argument, NULL, 'Z' },
		{ "max-conns", required_argument, NULL, 'M' },
		{ "idle-timeout", required_argument, NULL, 'T' },
		{ "msl", required_argument, NULL, 'L' },
		{ "exchange-timeout", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const shortopts[] = {
		[CMD_READ] = "qjxr:c:AlM:T:E:L:nh",
		[CMD_STATS] = "r:c:t:knh",
		[CMD_SNIFF] = "qjxi:Dw:s:B:pZ:c:AlM:T:E:L:nh",
		[CMD_CONNS] = "jr:c:M:T:E:L:nh",
	};
	void (*usage)(FILE *) = usage_of[cmd];
	uint64_t v;
	int c;

	*cli = (struct cli){
		.cmd = cmd,
		.ro = { .view = PKL_VIEW_TREE, .color = -1, .verify_checksums = cmd != CMD_STATS },
		.top = 10,
		.ro.conntrack = { .max_conns = 1u << 20, .idle_timeout = 300, .exchange_timeout = 30,
				  .msl = 30 },
		.live = { .snaplen = 262144, .promisc = true },
	};
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts[cmd], longopts, NULL)) != -1) {
		/* A long option of another command is unknown to this one. */
		bool allowed = c < 256 ? c != '?' && c != ':' && strchr(shortopts[cmd], c)
				       : long_option_of(cmd, c);
		if (!allowed) {
			if (c == '?' && optopt && strchr(shortopts[cmd], optopt))
				return usage_error(usage, "option -%c needs an argument", optopt);
			return usage_error(usage, "unknown option '%s'", argv[optind - 1]);
		}
		switch (c) {
		case 'q': cli->ro.view = PKL_VIEW_LINE; break;
		case 'j': cli->ro.view = PKL_VIEW_JSON; break;
		case 'x': cli->ro.hex = true; break;
		case 'A': cli->ro.annotate.explain_addresses = true; break;
		case 'l': cli->ro.line_buffered = true; break;
		case 'n': break;
		case 'k': cli->ro.verify_checksums = true; break;
		case 'r': cli->ro.path = optarg; break;
		case 'i': cli->live.iface = optarg; break;
		case 'D': cli->list_ifaces = true; break;
		case 'w': cli->write_path = optarg; break;
		case 'p': cli->live.promisc = false; break;
		case 'Z': cli->user = optarg; break;
		case OPT_PCAPNG: cli->pcapng = true; break;
		case OPT_TIMELINE: cli->ro.timeline = true; break;
		case 'c':
			if (!parse_count(optarg, &cli->ro.count))
				return usage_error(usage, "-c needs a positive number of frames, not '%s'", optarg);
			break;
		case 't':
			if (!parse_count(optarg, &cli->top) || cli->top > 100000)
				return usage_error(usage, "--top needs a number from 1 to 100000, not '%s'", optarg);
			break;
		case 'M':
			if (!parse_count(optarg, &v) || v > (1u << 26))
				return usage_error(usage, "--max-conns needs a number from 1 to 67108864, not '%s'", optarg);
			cli->ro.conntrack.max_conns = (uint32_t)v;
			break;
		case 'T':
			if (!parse_count(optarg, &v) || v > 86400)
				return usage_error(usage, "--idle-timeout needs seconds from 1 to 86400, not '%s'", optarg);
			cli->ro.conntrack.idle_timeout = (uint32_t)v;
			break;
		case 'E':
			if (!parse_count(optarg, &v) || v > 86400)
				return usage_error(usage, "--exchange-timeout needs seconds from 1 to 86400, not '%s'", optarg);
			cli->ro.conntrack.exchange_timeout = (uint32_t)v;
			break;
		case 'L':
			if (!parse_count(optarg, &v) || v > 3600)
				return usage_error(usage, "--msl needs seconds from 1 to 3600, not '%s'", optarg);
			cli->ro.conntrack.msl = (uint32_t)v;
			break;
		case 's':
			if (!parse_count(optarg, &v) || v > 262144)
				return usage_error(usage, "-s needs a snapshot length from 1 to 262144 bytes, not '%s'", optarg);
			cli->live.snaplen = (int)v;
			break;
		case 'B':
			if (!parse_count(optarg, &v) || v > 4u * 1024 * 1024)
				return usage_error(usage, "-B needs a buffer size in KiB from 1 to 4194304, not '%s'", optarg);
			cli->live.buffer_kib = (int)v;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0)
				cli->ro.color = -1;
			else if (strcmp(optarg, "always") == 0)
				cli->ro.color = 1;
			else if (strcmp(optarg, "never") == 0)
				cli->ro.color = 0;
			else
				return usage_error(usage, "--color takes auto, always or never, not '%s'", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return usage_error(usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (cli->ro.timeline && cli->ro.view == PKL_VIEW_JSON)
		return usage_error(usage, "%s", "--timeline draws text diagrams and cannot be combined "
			"with --json: drop one of the two");
	if (cmd == CMD_SNIFF) {
		if (cli->pcapng)
			return usage_error(usage, "%s", "--pcapng: this libpcap writes only pcap files; "
				"convert afterwards with: editcap -F pcapng out.pcap out.pcapng");
		/* Like tcpdump -w: with -q only the file is written. */
		if (cli->write_path && cli->ro.view == PKL_VIEW_LINE && !cli->ro.hex)
			cli->ro.silent = true;
	} else if (!cli->ro.path) {
		if (optind >= argc)
			return usage_error(usage, "%s", "which capture file? give its path");
		cli->ro.path = argv[optind++];
	}
	cli->ro.filter = join_filter(argc - optind, argv + optind);
	return -1;
}

static int
cmd_sniff(int argc, char **argv)
{
	struct cli cli;
	int rc = parse_cli(CMD_SNIFF, argc, argv, &cli);

	if (rc >= 0)
		return rc;
	rc = pkl_sniff_run(&cli);
	free(cli.ro.filter);
	return rc;
}

static int
cmd_read_or_stats(int argc, char **argv, enum command cmd)
{
	struct cli cli;
	int rc = parse_cli(cmd, argc, argv, &cli);
	if (rc >= 0)
		return rc;

	struct pkl_stats *stats = NULL;
	if (cmd == CMD_STATS && !(stats = pkl_stats_new())) {
		fprintf(stderr, "%s: out of memory for the statistics tables\n", pkl_progname);
		free(cli.ro.filter);
		return EXIT_RUNTIME;
	}
	rc = run_file(&cli.ro, stats, (unsigned)cli.top, cmd == CMD_CONNS);
	pkl_stats_free(stats);
	free(cli.ro.filter);
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
		return cmd_read_or_stats(argc - 1, argv + 1, CMD_READ);
	if (strcmp(cmd, "stats") == 0)
		return cmd_read_or_stats(argc - 1, argv + 1, CMD_STATS);
	if (strcmp(cmd, "sniff") == 0)
		return cmd_sniff(argc - 1, argv + 1);
	if (strcmp(cmd, "conns") == 0)
		return cmd_read_or_stats(argc - 1, argv + 1, CMD_CONNS);
	fprintf(stderr, "%s: unknown command '%s'\n", pkl_progname, cmd);
	usage_main(stderr);
	return EXIT_USAGE;
}
