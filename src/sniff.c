/* `pktlens sniff`: the pipeline fed from a live interface. */
#include "sniff.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "ifaces.h"

/* Live capture: the handle a SIGINT or SIGTERM stops. */
static struct pkl_capture *volatile live_capture;

static void
stop_capture(int sig)
{
	(void)sig;
	if (live_capture)
		pkl_capture_break(live_capture);
}

/* Run as a less privileged user once the capture handle is open: -Z
 * USER, or by default the user who ran sudo, so that files are theirs.
 * Returns -1 with a sentence in errbuf. */
static int
drop_privileges(const char *user, char errbuf[PKL_ERRBUF_SIZE])
{
	uid_t uid;
	gid_t gid;
	const char *name = user;

	if (geteuid() != 0)
		return 0;
	if (user) {
		struct passwd *pw = getpwnam(user);
		if (!pw) {
			snprintf(errbuf, PKL_ERRBUF_SIZE, "-Z %s: there is no such user", user);
			return -1;
		}
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	} else {
		const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
		if (!su || !sg || atoi(su) == 0)
			return 0;
		uid = (uid_t)atoi(su);
		gid = (gid_t)atoi(sg);
		name = getenv("SUDO_USER");
	}
	if ((name && initgroups(name, gid) < 0) || setgid(gid) < 0 || setuid(uid) < 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot switch to user %s: %s",
			 name ? name : "?", strerror(errno));
		return -1;
	}
	return 0;
}

static int
list_interfaces(void)
{
	struct pkl_iface list[PKL_MAX_IFACES];
	char errbuf[PKL_ERRBUF_SIZE];
	int n = pkl_ifaces_list(list, errbuf);

	if (n < 0) {
		fprintf(stderr, "%s: %s\n", pkl_progname, errbuf);
		return EXIT_RUNTIME;
	}
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
default_interface(struct cli *cli, char name[64])
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
	cli->live.iface = name;
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

int
pkl_sniff_run(struct cli *cli)
{
	char errbuf[PKL_ERRBUF_SIZE];
	char default_name[64];
	bool filter_fault;
	int rc;

	if (cli->list_ifaces)
		return list_interfaces();
	if (!cli->live.iface && (rc = default_interface(cli, default_name)) != 0)
		return rc;
	/* Frames that nobody watches need not arrive one by one. */
	cli->live.immediate = !cli->ro.silent;
	struct pkl_capture *cap = pkl_capture_open_live(&cli->live, cli->ro.filter, errbuf, &filter_fault);
	if (!cap) {
		fprintf(stderr, "%s: %s\n", pkl_progname, errbuf);
		return filter_fault ? EXIT_USAGE : EXIT_RUNTIME;
	}
	if (pkl_decode_link_proto(pkl_capture_linktype(cap)) == PKL_PROTO_UNKNOWN) {
		fprintf(stderr, "%s: %s has link type %s (%s), which pktlens does not decode\n",
			pkl_progname, cli->live.iface, pkl_capture_linktype_name(cap),
			pkl_capture_linktype_description(cap));
		pkl_capture_close(cap);
		return EXIT_RUNTIME;
	}
	if (drop_privileges(cli->user, errbuf) < 0 ||
	    (cli->write_path && pkl_capture_write_to(cap, cli->write_path, errbuf) < 0)) {
		fprintf(stderr, "%s: %s\n", pkl_progname, errbuf);
		pkl_capture_close(cap);
		return EXIT_RUNTIME;
	}
	fprintf(stderr, "%s: listening on %s, link-type %s (%s), snapshot length %d bytes\n",
		pkl_progname, cli->live.iface, pkl_capture_linktype_name(cap),
		pkl_capture_linktype_description(cap), pkl_capture_snaplen(cap));

	struct pkl_pipeline *pl = pkl_cli_pipeline(&cli->ro, NULL);
	if (!pl) {
		pkl_capture_close(cap);
		return EXIT_RUNTIME;
	}
	struct sigaction sa = { .sa_handler = stop_capture };
	sigemptyset(&sa.sa_mask);
	live_capture = cap;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	/* Output is flushed after every batch the kernel hands over, after
	 * the -w file: what is shown is already in the file. */
	int n;
	while ((n = pkl_capture_dispatch(cap, pkl_pipeline_frame, pl, errbuf)) >= 0)
		pkl_out_flush(&pl->out);
	pkl_out_flush(&pl->out);

	sa.sa_handler = SIG_DFL;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	live_capture = NULL;
	print_capture_stats(cap);
	pkl_capture_close(cap);
	pkl_cli_pipeline_free(pl);
	if (n == -1) {
		fprintf(stderr, "%s: %s\n", pkl_progname, errbuf);
		return EXIT_RUNTIME;
	}
	return pkl_cli_output_status(pl);
}

