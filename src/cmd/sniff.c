/* `pktlens sniff`: the frame views fed from a live interface. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "../decode.h"
#include "../ifaces.h"
#include "../privilege.h"
#include "common.h"

struct sniff_args {
	struct pkl_capture_opts capture;
	struct pkl_view_opts view;
	struct pkl_conntrack_opts table;
	bool list_interfaces;
	bool silent;
	bool pcapng;
	const char *write_path;
	uint64_t duration_ms;   /* --duration; 0: until Ctrl-C or -c */
	const char *user;
	struct pkl_cmd_pcapng *notes_file;   /* -w FILE.pcapng */
};

enum { OPT_PCAPNG = PKL_OPT_LONG_ONLY, OPT_SILENT, OPT_DURATION };

static const struct pkl_option sniff_options[] = {
	{ 'D', "list-interfaces", NULL, false, "list the interfaces pktlens can capture on" },
	{ 'w', "write", "FILE", false,
	  "also write the frames to a pcap file; pcapng with each\n"
	  "frame's notes as its packet comment when FILE ends in\n"
	  ".pcapng (Wireshark shows them: frame.comment)" },
	{ OPT_SILENT, "silent", NULL, false,
	  "show no frame: with -w, only write the file (the\n"
	  "fastest way to record, as tcpdump -w)" },
	{ OPT_PCAPNG, "pcapng", NULL, false, NULL },
	{ OPT_DURATION, "duration", "SECS", false,
	  "stop after SECS seconds (as tshark -a duration:SECS)" },
	{ 'Z', "relinquish-privileges", "USER", false,
	  "as root, run as USER once the interface is open\n"
	  "(default: the user who ran sudo, else nobody;\n"
	  "-Z root stays root)" },
	{ 0, NULL, NULL, false, NULL },
};

static int
sniff_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct sniff_args *a = target;

	switch (key) {
	case 'D': a->list_interfaces = true; break;
	case OPT_DURATION:
		return pkl_opt_seconds(p, value, 1, 24 * 3600 * 1000, &a->duration_ms);
	case 'w': a->write_path = value; break;
	case OPT_SILENT: a->silent = true; break;
	case OPT_PCAPNG: a->pcapng = true; break;
	case 'Z': a->user = value; break;
	}
	return 0;
}

static int
sniff_check(void *target, struct pkl_opt_parser *p)
{
	const struct sniff_args *a = target;

	if (a->pcapng)
		return pkl_opt_error(p, "--pcapng: name the file instead: -w out.pcapng writes "
				     "pcapng, with pktlens's notes as packet comments");
	if (a->write_path && strcmp(a->write_path, "-") == 0 && !a->silent)
		return pkl_opt_error(p, "-w - writes the capture to standard output, where the "
				     "frames would be shown too: add --silent");
	if (a->silent && (a->view.quiet || a->view.json || a->view.hex))
		return pkl_opt_error(p, "--silent shows no frame, so -q, --json and -x cannot go "
				     "with it: drop one or the other");
	return 0;
}

/* Live capture: the handle a SIGINT or SIGTERM stops. */
static struct pkl_capture *volatile live_capture;

static void
stop_capture(int sig)
{
	(void)sig;
	if (live_capture)
		pkl_capture_break(live_capture);
}

static int
list_interfaces(void)
{
	struct pkl_iface list[PKL_MAX_IFACES];
	char errbuf[PKL_ERRBUF_SIZE];
	int n = pkl_ifaces_list(list, errbuf);

	if (n < 0)
		return pkl_cmd_fail(errbuf);
	for (int i = 0; i < n; i++) {
		const struct pkl_iface *ifc = &list[i];
		printf("%d. %s", i + 1, ifc->name);
		if (ifc->description[0])
			printf(" (%s)", ifc->description);
		printf(" [%s%s%s%s]", ifc->up ? "Up" : "Down", ifc->running ? ", Running" : "",
		       ifc->loopback ? ", Loopback" : "", ifc->wireless ? ", Wireless" : "");
		if (ifc->addresses[0])
			printf(" %s", ifc->addresses);
		putchar('\n');
	}
	return 0;
}

/* The interface to use when -i is not given, said on stderr. */
static int
default_interface(struct pkl_live_opts *live, char name[64])
{
	struct pkl_iface list[PKL_MAX_IFACES];
	char errbuf[PKL_ERRBUF_SIZE];
	int n = pkl_ifaces_list(list, errbuf);
	const struct pkl_iface *ifc = n > 0 ? pkl_ifaces_default(list, n) : NULL;

	if (!ifc) {
		fprintf(stderr, "%s: no interface is up (other than loopback): name one with -i; "
			"list them with: pktlens sniff -D\n", pkl_progname);
		return EXIT_RUNTIME;
	}
	snprintf(name, 64, "%s", ifc->name);
	live->iface = name;
	fprintf(stderr, "%s: no -i given: using %s, the first interface that is up and not loopback\n",
		pkl_progname, name);
	return 0;
}

static void
print_capture_stats(struct pkl_capture *cap)
{
	struct pkl_capture_stats st;

	if (pkl_capture_stats(cap, &st) < 0)
		return;
	fprintf(stderr, "%llu frames captured\n%llu frames received by filter\n"
		"%llu frames dropped by kernel\n%llu frames dropped by interface\n",
		(unsigned long long)st.delivered, (unsigned long long)st.received,
		(unsigned long long)st.dropped_kernel, (unsigned long long)st.dropped_interface);
}

/* The -w file: pcapng with notes, or pcap written as the frames are
 * delivered.  Returns 0, or -1 with a sentence in errbuf. */
static int
open_written(struct sniff_args *a, struct pkl_capture *cap, char errbuf[PKL_ERRBUF_SIZE])
{
	char source[PKL_ERRBUF_SIZE / 2];

	if (!a->write_path)
		return 0;
	if (!pkl_cmd_pcapng_wanted(a->write_path))
		return pkl_capture_write_to(cap, a->write_path, errbuf);
	snprintf(source, sizeof source, "sniff -i %s", a->capture.live.iface);
	a->notes_file = pkl_cmd_pcapng_open(a->write_path, cap, source, errbuf);
	return a->notes_file ? 0 : -1;
}

/* Open the interface, and give up root once it and the -w file are
 * open.  NULL after saying why, with *status the exit status. */
static struct pkl_capture *
open_interface(struct sniff_args *a, const char *filter, int *status)
{
	char errbuf[PKL_ERRBUF_SIZE];
	bool filter_fault;

	/* Frames that nobody watches need not arrive one by one. */
	a->capture.live.immediate = !a->silent;
	struct pkl_capture *cap = pkl_capture_open_live(&a->capture.live, filter, errbuf,
							&filter_fault);
	if (!cap) {
		*status = pkl_cmd_fail(errbuf);
		if (filter_fault)
			*status = EXIT_USAGE;
		return NULL;
	}
	if (pkl_decode_link_proto(pkl_capture_linktype(cap)) == PKL_PROTO_UNKNOWN) {
		snprintf(errbuf, sizeof errbuf, "%s has link type %s (%s), which pktlens does not decode",
			 a->capture.live.iface, pkl_capture_linktype_name(cap),
			 pkl_capture_linktype_description(cap));
		goto fail;
	}
	/* The -w file is opened as the user it will belong to, and nothing
	 * after it needs a privilege. */
	if (pkl_privilege_become(a->user, errbuf) < 0 ||
	    open_written(a, cap, errbuf) < 0 ||
	    pkl_privilege_drop_capabilities(errbuf) < 0)
		goto fail;
	return cap;
fail:
	*status = pkl_cmd_fail(errbuf);
	pkl_capture_close(cap);
	return NULL;
}

/* With nothing shown, the frames go to the -w file undecoded: a
 * pipeline of no stage that only counts them for -c. */
static struct pkl_pipeline *
silent_pipeline(uint64_t count, const struct pkl_out *out)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_pipeline_opts opts = { .limit = count, .out = out };
	struct pkl_pipeline *pl = pkl_pipeline_new(&opts, errbuf);

	if (!pl)
		pkl_cmd_fail(errbuf);
	return pl;
}

/* --duration: SIGALRM stops the capture as Ctrl-C does, so the loop
 * ends the same way (statistics printed, files closed) and the wait
 * for a frame on a quiet interface is cut short too.  0: no timer. */
static void
arm_duration(uint64_t ms)
{
	struct itimerval t = {
		.it_value = { .tv_sec = (time_t)(ms / 1000), .tv_usec = (suseconds_t)(ms % 1000) * 1000 },
	};

	setitimer(ITIMER_REAL, &t, NULL);
}

/* Frames until Ctrl-C, -c, --duration or an error.  Returns the exit
 * status. */
static int
capture_loop(struct pkl_capture *cap, struct pkl_pipeline *pl, struct pkl_out *out,
	     struct pkl_cmd_pcapng *notes_file, uint32_t max_conns, uint64_t duration_ms)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct sigaction sa = { .sa_handler = stop_capture };
	int n;

	sigemptyset(&sa.sa_mask);
	live_capture = cap;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (duration_ms) {
		sigaction(SIGALRM, &sa, NULL);
		arm_duration(duration_ms);
	}
	/* Output is flushed after every batch the kernel hands over, after
	 * the -w file: what is shown is already in the file. */
	while ((n = pkl_capture_dispatch(cap, pkl_pipeline_frame, pl, errbuf)) >= 0) {
		if (notes_file && pkl_cmd_pcapng_flush(notes_file, errbuf) < 0) {
			n = -1;
			break;
		}
		pkl_out_flush(out);
	}
	arm_duration(0);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	live_capture = NULL;
	int status = pkl_cmd_stdout_close(out);
	/* Why the capture ended comes first: the statistics follow it. */
	if (n == -1)
		status = pkl_cmd_fail(errbuf);
	print_capture_stats(cap);
	pkl_cmd_report_evictions(pl, max_conns);
	return status;
}

static int
run(const struct pkl_command *cmd, int argc, char **argv)
{
	struct sniff_args a = { .capture = PKL_CAPTURE_DEFAULTS, .view = PKL_VIEW_DEFAULTS,
				.table = PKL_TABLE_DEFAULTS(PKL_VIEW_MAX_CONNS) };
	const struct pkl_opt_group groups[] = {
		{ "Capture", pkl_capture_options, pkl_capture_apply, NULL, &a.capture },
		{ "Views (default: a summary line, the fields of every layer, explanations)",
		  pkl_view_options, pkl_view_apply, pkl_view_check, &a.view },
		{ "Field filter", pkl_display_filter_options, pkl_display_filter_apply, NULL, &a.view },
		{ "Recording and privileges", sniff_options, sniff_apply, sniff_check, &a },
		{ "The conversation table behind the connection notes",
		  pkl_table_options, pkl_table_apply, NULL, &a.table },
	};
	char default_name[64];
	char errbuf[PKL_ERRBUF_SIZE];
	char *filter;
	bool failed;
	int first, status;

	if ((status = pkl_opts_parse(cmd, groups, PKL_NGROUPS(groups), argc, argv, &first)) >= 0)
		return status;
	if (a.list_interfaces)
		return list_interfaces();
	if (!a.capture.live.iface && (status = default_interface(&a.capture.live, default_name)))
		return status;
	filter = pkl_opts_join(argc - first, argv + first, &failed);
	if (failed)
		return pkl_cmd_fail("out of memory for the filter expression");
	struct pkl_capture *cap = open_interface(&a, filter, &status);
	free(filter);
	if (!cap)
		return status;
	if (pkl_capture_warning(cap))
		fprintf(stderr, "%s: warning: %s\n", pkl_progname, pkl_capture_warning(cap));
	fprintf(stderr, "%s: listening on %s, link-type %s (%s), snapshot length %d bytes\n",
		pkl_progname, a.capture.live.iface, pkl_capture_linktype_name(cap),
		pkl_capture_linktype_description(cap), pkl_capture_snaplen(cap));

	struct pkl_out out;
	if ((status = pkl_cmd_stdout_open(&out, a.view.view == PKL_VIEW_JSON ? 0 : a.view.color,
					  a.view.line_buffered)) != 0) {
		pkl_cmd_pcapng_close(a.notes_file, errbuf);
		pkl_capture_close(cap);
		return status;
	}
	struct pkl_render render = { 0 };
	/* The time of day, as tcpdump shows live frames. */
	if (!a.view.time)
		a.view.time = PKL_TIME_ABS;
	/* Silent, the frames are still explained for the notes file, and
	 * tested for -Y. */
	struct pkl_pipeline *pl = a.silent && !a.notes_file && !a.view.display_filter
		? silent_pipeline(a.capture.count, &out)
		: pkl_cmd_view_pipeline(&a.view, &a.table, a.capture.count, &out,
					a.silent ? NULL : &render, a.notes_file);
	if (pl && !a.silent && pkl_render_for_reader(&render, STDOUT_FILENO, a.view.explain) < 0) {
		pkl_cmd_fail("out of memory for the explanations said");
		pkl_pipeline_free(pl);
		pl = NULL;
	}
	if (pl && !a.silent)
		render.number_width = pkl_render_number_width(a.capture.count);
	render.link_direction = true;
	if (pl && a.write_path && !a.notes_file && a.view.display_filter)
		pkl_cmd_write_kept(pl, cap);
	if (pl) {
		status = capture_loop(cap, pl, &out, a.notes_file, a.table.max_conns, a.duration_ms);
	} else {
		pkl_cmd_stdout_close(&out);
		status = EXIT_RUNTIME;
	}
	if (pkl_cmd_pcapng_close(a.notes_file, errbuf) < 0)
		status = pkl_cmd_fail(errbuf);
	pkl_pipeline_free(pl);
	pkl_render_release(&render);
	pkl_capture_close(cap);
	return status;
}

const struct pkl_command pkl_cmd_sniff = {
	.name = "sniff",
	.synopsis = "[options] [FILTER...]",
	.summary = "capture live from an interface, in the same views",
	.description =
		"Capture from a live interface and show every frame as it arrives, until\n"
		"Ctrl-C (or -c, or --duration).  Needs root, or the one capability\n"
		"capture takes: sudo setcap cap_net_raw=ep /usr/local/bin/pktlens (see\n"
		"make install-capture).\n"
		"Once the interface and the -w file are open, pktlens gives up every\n"
		"capability and, as root, becomes -Z USER, the user who ran sudo, or nobody.",
	.epilogue = "On exit, the capture statistics go to standard error, as tcpdump prints them.",
	.run = run,
};
