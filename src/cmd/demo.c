/* `pktlens demo`: the facts of socket programming shown happening on
 * loopback, frame by frame, with the kernel confirming each state. */
#include <stdio.h>
#include <string.h>

#include "../demo/demos.h"
#include "../demo/lab_run.h"
#include "common.h"

static const struct pkl_demo_def *const demos[] = {
	&pkl_demo_handshake, &pkl_demo_teardown, &pkl_demo_timewait, &pkl_demo_reset,
	&pkl_demo_closed_port, &pkl_demo_stream, &pkl_demo_udp, &pkl_demo_backlog,
	&pkl_demo_synflood, &pkl_demo_arpspoof, &pkl_demo_halfopen, &pkl_demo_lostack,
	&pkl_demo_journey,
};
#define NDEMOS (sizeof demos / sizeof demos[0])

/* The pause between steps unless --pace says otherwise: long enough to
 * follow, short enough for a class. */
#define DEFAULT_PACE_MS 500
/* The longest --pace. */
#define MAX_PACE_MS 60000

enum { OPT_STEP = PKL_OPT_LONG_ONLY, OPT_PACE, OPT_SERVER_CLOSES, OPT_KEEP };

static const struct pkl_option demo_options[] = {
	{ OPT_STEP, "step", NULL, false, "wait for Enter between steps" },
	{ OPT_PACE, "pace", "SECS", false,
	  "the pause between steps (default 0.5; 0: none), while\nthe frames that come are shown" },
	{ OPT_SERVER_CLOSES, "server-closes", NULL, false,
	  "teardown: the server closes first (default: the client)" },
	{ OPT_KEEP, "keep", NULL, false,
	  "lab demos: leave the lab up at the end (pktlens lab\ndown removes it)" },
	{ 'i', "interface", "NETNS/IFACE", false,
	  "lab demos: send the crafted frames on IFACE of the\n"
	  "lab namespace NETNS (default: the attacker's eth0;\n"
	  "lost-ack: the client's); any other is refused" },
	{ 'w', "write", "FILE", false, "also save the frames to a pcap file" },
	{ 'Z', "relinquish-privileges", "USER", false,
	  "as root, run as USER once lo is open (default: the\n"
	  "user who ran sudo, else nobody; -Z root stays root)" },
	{ 0, NULL, NULL, false, NULL },
};

static int
demo_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct pkl_demo_opts *o = target;

	switch (key) {
	case OPT_STEP: o->step = true; break;
	case OPT_PACE: return pkl_opt_seconds(p, value, 0, MAX_PACE_MS, &o->pace_ms);
	case OPT_SERVER_CLOSES: o->server_closes = true; break;
	case OPT_KEEP: o->keep = true; break;
	case 'i': o->interface = value; break;
	case 'w': o->write_path = value; break;
	case 'Z': o->user = value; break;
	}
	return 0;
}

static int
demo_check(void *target, struct pkl_opt_parser *p)
{
	const struct pkl_demo_opts *o = target;

	if (o->write_path && strcmp(o->write_path, "-") == 0)
		return pkl_opt_error(p, "-w - would mix the capture with the demo on standard "
				     "output: give a file name");
	return 0;
}

static void
list_demos(void)
{
	for (size_t i = 0; i < NDEMOS; i++)
		printf("  %-12s %s\n", demos[i]->name, demos[i]->summary);
	printf("Run one with: sudo pktlens demo NAME\n");
}

static int
run(const struct pkl_command *cmd, int argc, char **argv)
{
	struct pkl_demo_opts o = { .view = PKL_VIEW_DEFAULTS, .pace_ms = DEFAULT_PACE_MS };
	const struct pkl_opt_group groups[] = {
		{ "The demonstration", demo_options, demo_apply, demo_check, &o },
		{ "Views of the frames (default: a summary line, the fields of every layer, "
		  "explanations)", pkl_view_options, pkl_view_apply, pkl_view_check, &o.view },
	};
	int first, status;

	if ((status = pkl_opts_parse(cmd, groups, PKL_NGROUPS(groups), argc, argv, &first)) >= 0)
		return status;
	if (first == argc) {
		list_demos();
		return 0;
	}
	if (argc - first > 1)
		return pkl_cmd_usage_error(cmd, "one demonstration at a time, not '%s' and '%s'",
					   argv[first], argv[first + 1]);
	for (size_t i = 0; i < NDEMOS; i++) {
		if (strcmp(argv[first], demos[i]->name) != 0)
			continue;
		if (o.server_closes && demos[i] != &pkl_demo_teardown)
			return pkl_cmd_usage_error(cmd, "--server-closes is for the teardown demo");
		if (!demos[i]->lab && (o.keep || o.interface))
			return pkl_cmd_usage_error(cmd, "--keep and -i are for the lab demos");
		if (demos[i]->lab && (o.write_path || o.user))
			return pkl_cmd_usage_error(cmd, "-w and -Z are for the demos on lo");
		return demos[i]->lab ? pkl_lab_demo_run(demos[i], &o) : pkl_demo_run(demos[i], &o);
	}
	return pkl_cmd_usage_error(cmd, "no demonstration is named '%s'; list them with: "
				   "pktlens demo", argv[first]);
}

const struct pkl_command pkl_cmd_demo = {
	.name = "demo",
	.synopsis = "[options] [NAME]",
	.summary = "socket facts shown on loopback, frame by frame, confirmed by the kernel",
	.description =
		"Without NAME, list the demonstrations.  With one, run it: real system calls on\n"
		"real kernel sockets on 127.0.0.1, on free ports the demo picks, while pktlens\n"
		"captures on lo with a filter for exactly those ports.  Printed in time order:\n"
		"each system call with its result and errno's name, each frame it caused, and\n"
		"after the steps that change states, each end's state as inferred from the\n"
		"frames next to the kernel's own (sock_diag, as ss reads it): agree or\n"
		"disagree.  At the end, the tracker's record and the ladder of every\n"
		"connection.  Needs the capture right that sniff needs (sudo, or\n"
		"sudo setcap cap_net_raw=ep on the binary); once lo is open, pktlens gives up\n"
		"every capability, and the demo's sockets are an ordinary user's.",
	.epilogue =
		"Every socket is closed at the end; a TIME_WAIT the demo explains stays for\n"
		"its 60 s.  Exit status 1 when a call failed that should not have, or when\n"
		"the kernel disagreed with the frames.",
	.run = run,
};
