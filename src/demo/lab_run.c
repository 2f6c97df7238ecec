/* The lab demonstrations' runner (lab_run.h). */
#define _GNU_SOURCE   /* strerrorname_np */
#include "lab_run.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../craft/borrow.h"
#include "../craft/frame.h"
#include "../craft/inject.h"
#include "../craft/probe.h"
#include "../json.h"
#include "calls.h"

#define MAX_TAPS 4
#define MAX_CHILDREN 8
/* Frames held per tap between two takes, to be shown in time order
 * across the taps; the lab's links have an MTU of 1500. */
#define TAP_FRAMES 256
#define TAP_SNAPLEN 1600

struct held {
	struct pkl_frame f;
	uint8_t bytes[TAP_SNAPLEN];
};

struct tap {
	enum pkl_lab_ns ns;
	uint8_t mac[6];
	struct pkl_capture *cap;
	struct pkl_pipeline *pl;
	struct pkl_render render;
	struct pkl_demo *d;
	struct held *held;
	unsigned nheld, next;
};

/* A program the demonstration started in a namespace; its output kept
 * in a temporary file when it is to be shown (else -1). */
struct child {
	pid_t pid;
	int out;
	enum pkl_lab_ns ns;
	const char *who;
};

struct lab_demo {
	struct pkl_demo d;              /* first: a struct pkl_demo * is one of these */
	struct tap tap[MAX_TAPS];
	unsigned ntaps;
	struct pkl_inject *inj;
	enum pkl_lab_ns send_ns;
	char send_iface[IF_NAMESIZE];
	struct child child[MAX_CHILDREN];
	unsigned nchildren;
};

static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static struct lab_demo *
lab_of(struct pkl_demo *d)
{
	return (struct lab_demo *)d;
}

static const char *
short_name(enum pkl_lab_ns ns)
{
	return pkl_lab_ns_name(ns) + strlen(PKL_LAB_PREFIX);
}

void
pkl_lab_demo_json_open(struct pkl_demo *d, struct pkl_json *j, const char *kind,
		       enum pkl_lab_ns ns)
{
	pkl_demo_json_open(d, j, kind);
	PKL_JSON_KEY(j, "netns");
	pkl_json_name(j, pkl_lab_ns_name(ns));
}

/* Enter ns for a call; failing there stops the demo. */
static int
enter(struct pkl_demo *d, enum pkl_lab_ns ns, int *home)
{
	char errbuf[PKL_ERRBUF_SIZE];

	if (pkl_lab_enter(pkl_lab_ns_name(ns), home, errbuf) < 0)
		return pkl_demo_fail(d, "%s", errbuf);
	return 0;
}

static int
leave(struct pkl_demo *d, int home)
{
	char errbuf[PKL_ERRBUF_SIZE];
	int saved = errno;

	if (pkl_lab_leave(home, errbuf) < 0)
		return pkl_demo_fail(d, "%s", errbuf);
	errno = saved;
	return 0;
}

/* ---- frames ------------------------------------------------------------- */

/* A pkl_frame_fn: the frame kept for the merge, its direction from the
 * interface's MAC (the lab's links are Ethernet). */
static bool
hold(void *ctx, const struct pkl_frame *f)
{
	struct tap *t = ctx;
	struct held *h = &t->held[t->nheld++];

	h->f = *f;
	h->f.caplen = f->caplen < TAP_SNAPLEN ? f->caplen : TAP_SNAPLEN;
	memcpy(h->bytes, f->bytes, h->f.caplen);
	h->f.bytes = h->bytes;
	if (h->f.caplen >= 12)
		h->f.direction = memcmp(h->bytes + 6, t->mac, 6) == 0 ? PKL_DIR_SENT :
									  PKL_DIR_RECEIVED;
	return t->nheld < TAP_FRAMES;
}

/* The runner's take_ready: every tap's ready frames, through their
 * pipelines in time order. */
static int
take_ready(struct pkl_demo *d)
{
	struct lab_demo *ld = lab_of(d);
	char errbuf[PKL_ERRBUF_SIZE];
	int total = 0;

	if (interrupted)
		return pkl_demo_fail(d, "interrupted");
	for (unsigned i = 0; i < ld->ntaps; i++) {
		struct tap *t = &ld->tap[i];
		t->nheld = t->next = 0;
		if (pkl_capture_dispatch(t->cap, hold, t, errbuf) == -1)
			return pkl_demo_fail(d, "%s", errbuf);
	}
	for (;;) {
		struct tap *first = NULL;
		for (unsigned i = 0; i < ld->ntaps; i++) {
			struct tap *t = &ld->tap[i];
			if (t->next < t->nheld &&
			    (!first || pkl_frame_ns(&t->held[t->next].f) <
					       pkl_frame_ns(&first->held[first->next].f)))
				first = t;
		}
		if (!first)
			break;
		pkl_pipeline_frame(first->pl, &first->held[first->next++].f);
		total++;
	}
	return total;
}

/* The runner's wait: a slice of the time on each tap in turn. */
static int
wait_frames(struct pkl_demo *d, int timeout_ms, char errbuf[PKL_ERRBUF_SIZE])
{
	struct lab_demo *ld = lab_of(d);

	if (interrupted)
		return 0;
	if (ld->ntaps == 0) {
		poll(NULL, 0, timeout_ms);
		return 0;
	}
	int slice = timeout_ms / (int)ld->ntaps;
	for (unsigned i = 0; i < ld->ntaps; i++) {
		int r = pkl_capture_wait(ld->tap[i].cap, slice > 0 ? slice : 1, errbuf);
		if (r != 0)
			return r;
	}
	return 0;
}

/* A pkl_sink_fn before the view: where the frame was captured, in the
 * text views (JSON has "netns"). */
static void
say_where(void *ctx, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct tap *t = ctx;

	(void)pkt;
	(void)notes;
	pkl_out_printf(&t->d->out, "[%s] ", short_name(t->ns));
}

static int
interface_mac(const char *iface, uint8_t mac[6])
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc;

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", iface);
	rc = ioctl(fd, SIOCGIFHWADDR, &ifr);
	close(fd);
	if (rc == 0)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return rc;
}

int
pkl_lab_demo_tap(struct pkl_demo *d, enum pkl_lab_ns ns, const char *iface, const char *filter,
		 bool show, pkl_sink_fn *hook, void *hook_ctx)
{
	struct lab_demo *ld = lab_of(d);
	char errbuf[PKL_ERRBUF_SIZE];
	const struct pkl_view_opts *view = &d->opts->view;
	/* Nonblocking, immediate: the runner keeps its own deadlines. */
	const struct pkl_live_opts live = { .iface = iface, .snaplen = TAP_SNAPLEN,
					    .buffer_kib = 4096, .immediate = true,
					    .nonblocking = true };
	/* The lab's veths leave checksums to the receiver (offload): a
	 * captured segment's TCP checksum is not yet filled in, on either
	 * end, so checking it would call every one bad. */
	struct pkl_pipeline_opts opts = {
		.track = show,
		.conntrack = PKL_TABLE_DEFAULTS(PKL_VIEW_MAX_CONNS),
		.annotate = show && view->view != PKL_VIEW_LINE,
		.annotate_opts = view->annotate,
		.out = &d->out,
	};
	bool filter_fault;
	int home;

	if (ld->ntaps == MAX_TAPS)
		return pkl_demo_fail(d, "too many captures for one demonstration");
	struct tap *t = &ld->tap[ld->ntaps];
	*t = (struct tap){ .ns = ns, .d = d };
	if (!(t->held = malloc(TAP_FRAMES * sizeof *t->held)))
		return pkl_demo_fail(d, "out of memory for the capture in %s", pkl_lab_ns_name(ns));
	ld->ntaps++;
	if (enter(d, ns, &home) < 0)
		return -1;
	t->cap = pkl_capture_open_live(&live, filter, errbuf, &filter_fault);
	bool mac_ok = interface_mac(iface, t->mac) == 0;
	if (leave(d, home) < 0)
		return -1;
	if (!t->cap)
		return pkl_demo_fail(d, "in %s: %s", pkl_lab_ns_name(ns), errbuf);
	if (!mac_ok)
		return pkl_demo_fail(d, "cannot read the MAC of %s in %s", iface,
				     pkl_lab_ns_name(ns));
	opts.conntrack.time_acks = view->view != PKL_VIEW_LINE;
	if (!(t->pl = pkl_pipeline_new(&opts, errbuf)))
		return pkl_demo_fail(d, "%s", errbuf);
	/* One clock for every tap: relative times compare across them. */
	t->render = (struct pkl_render){ .out = &d->out, .view = view->view, .hex = view->hex,
					 .clock = pkl_pipeline_clock(ld->tap[0].pl),
					 .netns = pkl_lab_ns_name(ns) };
	if (show && !d->json)
		pkl_pipeline_add_sink(t->pl, say_where, t);
	if (show)
		pkl_pipeline_add_sink(t->pl, pkl_render_frame, &t->render);
	if (hook)
		pkl_pipeline_add_sink(t->pl, hook, hook_ctx);
	return 0;
}

/* ---- the sending interface ---------------------------------------------- */

/* -i NETNS/IFACE, checked before the lab is built: a lab namespace's
 * name, or a refusal. */
static int
parse_interface(const char *given, enum pkl_lab_ns *ns, char iface[IF_NAMESIZE],
		char errbuf[PKL_ERRBUF_SIZE])
{
	const char *slash = strchr(given, '/');

	if (!slash) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "refusing to send on %s: it is an interface of pktlens's own network "
			 "namespace, not of the lab; lab demonstrations send spoofed frames only "
			 "inside the lab (-i NETNS/IFACE, NETNS one of " PKL_LAB_PREFIX "*)", given);
		return -1;
	}
	for (int i = 0; i < PKL_LAB_NNS; i++) {
		const char *name = pkl_lab_ns_name(i);
		if (strlen(name) == (size_t)(slash - given) &&
		    strncmp(given, name, strlen(name)) == 0 && strlen(slash + 1) < IF_NAMESIZE) {
			*ns = i;
			snprintf(iface, IF_NAMESIZE, "%s", slash + 1);
			return 0;
		}
	}
	snprintf(errbuf, PKL_ERRBUF_SIZE,
		 "refusing to send on %s: its namespace is not one the lab makes; lab "
		 "demonstrations send spoofed frames only inside the lab (" PKL_LAB_PREFIX
		 "client, -server, -attacker, -router, -outside)", given);
	return -1;
}

int
pkl_lab_demo_sender(struct pkl_demo *d, enum pkl_lab_ns default_ns, uint8_t mac[6])
{
	struct lab_demo *ld = lab_of(d);
	char errbuf[PKL_ERRBUF_SIZE], iface[IF_NAMESIZE];
	enum pkl_lab_ns ns = default_ns;
	int home;

	snprintf(iface, sizeof iface, "%s", pkl_lab_iface_of(default_ns)->name);
	if (d->opts->interface && parse_interface(d->opts->interface, &ns, iface, errbuf) < 0)
		return pkl_demo_fail(d, "%s", errbuf);
	if (pkl_lab_check_owned(pkl_lab_ns_name(ns), iface, errbuf) < 0)
		return pkl_demo_fail(d, "refusing to send: %s", errbuf);
	if (enter(d, ns, &home) < 0)
		return -1;
	ld->inj = pkl_inject_open(iface, errbuf);
	bool mac_ok = interface_mac(iface, mac) == 0;
	if (leave(d, home) < 0)
		return -1;
	if (!ld->inj)
		return pkl_demo_fail(d, "in %s: %s", pkl_lab_ns_name(ns), errbuf);
	if (!mac_ok)
		return pkl_demo_fail(d, "cannot read the MAC of %s in %s", iface,
				     pkl_lab_ns_name(ns));
	ld->send_ns = ns;
	snprintf(ld->send_iface, sizeof ld->send_iface, "%s", iface);
	return 0;
}

enum pkl_lab_ns
pkl_lab_demo_sender_ns(const struct pkl_demo *d)
{
	return ((const struct lab_demo *)d)->send_ns;
}

const char *
pkl_lab_demo_sender_iface(const struct pkl_demo *d)
{
	return ((const struct lab_demo *)d)->send_iface;
}

int
pkl_lab_demo_send(struct pkl_demo *d, const uint8_t *frame, size_t len)
{
	char errbuf[PKL_ERRBUF_SIZE];

	if (pkl_inject_write(lab_of(d)->inj, frame, len, errbuf) < 0)
		return pkl_demo_fail(d, "%s", errbuf);
	return 0;
}

int
pkl_lab_demo_send_syn(struct pkl_demo *d, const uint8_t src_mac[6], const uint8_t dst_mac[6],
		      const struct pkl_addr *src, uint16_t sport, const struct pkl_addr *dst,
		      uint16_t dport, uint32_t seq)
{
	char errbuf[PKL_ERRBUF_SIZE];
	uint8_t options[PKL_FRAME_SYN_OPTIONS_LEN], frame[128];
	struct pkl_frame_eth eth;
	struct pkl_frame_ip ip = { .src = *src, .dst = *dst, .ttl = PKL_FRAME_TTL, .df = true,
				   .id = (uint16_t)seq };
	struct pkl_frame_tcp tcp = { .sport = sport, .dport = dport, .seq = seq,
				     .flags = PKL_TCP_SYN, .window = 64240, .options = options,
				     .options_len = sizeof options };

	memcpy(eth.src, src_mac, 6);
	memcpy(eth.dst, dst_mac, 6);
	pkl_frame_syn_options(options, pkl_frame_mss(1500, 4), seq ^ 0x5a5a5a5au, 7);
	int len = pkl_frame_build_tcp(&eth, &ip, &tcp, frame, sizeof frame, errbuf);
	if (len < 0)
		return pkl_demo_fail(d, "%s", errbuf);
	return pkl_lab_demo_send(d, frame, (size_t)len);
}

void
pkl_lab_demo_answer_arp(void *ctx, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct pkl_lab_responder *r = ctx;
	const struct pkl_layer *l = pkl_packet_find(pkt, PKL_PROTO_ARP, 0);
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_frame_arp reply;
	uint8_t frame[64];

	(void)notes;
	for (size_t i = 0; l && i < r->n && !r->d->status; i++) {
		if (!pkl_borrow_answer(&l->hdr.arp, r->mac, r->addrs[i].v4, &reply))
			continue;
		int len = pkl_frame_build_arp(&reply, frame, sizeof frame, errbuf);
		if (len < 0) {
			pkl_demo_fail(r->d, "%s", errbuf);
			return;
		}
		if (pkl_lab_demo_send(r->d, frame, (size_t)len) == 0)
			r->answered++;
		return;
	}
}

/* ---- system calls ------------------------------------------------------- */

/* "who: ", or "who (namespace): " when the namespace is not named after it. */
static void
out_who(struct pkl_out *o, const char *who, enum pkl_lab_ns ns)
{
	if (strcmp(who, short_name(ns)) == 0)
		pkl_out_printf(o, "%s: ", who);
	else
		pkl_out_printf(o, "%s (%s): ", who, short_name(ns));
}

/* A call made inside ns: the namespace named after who unless it is
 * the one who is named after. */
static void
show(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, const char *call, const char *args,
     long result, int err)
{
	const char *place = strcmp(who, short_name(ns)) == 0 ? NULL : short_name(ns);

	pkl_demo_show_call(d, pkl_lab_ns_name(ns), place, who, call, args, result, err, NULL);
}

void
pkl_lab_demo_show_call(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, const char *call,
		       const char *args, long result, int err)
{
	show(d, ns, who, call, args, result, err);
}

static struct sockaddr_in
inet(const char *addr, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	inet_pton(AF_INET, addr, &a.sin_addr);
	return a;
}

int
pkl_lab_demo_socket(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int type)
{
	int home, fd, err;

	if (enter(d, ns, &home) < 0)
		return -1;
	fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	err = errno;
	if (leave(d, home) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (fd >= 0 && d->nfds < PKL_DEMO_MAX_FDS)
		d->fd[d->nfds++] = fd;
	show(d, ns, who, "socket", (type & SOCK_DGRAM) ? "AF_INET, SOCK_DGRAM" :
						     "AF_INET, SOCK_STREAM", fd, err);
	return fd;
}

int
pkl_lab_demo_setsockopt(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd,
			int level, int name, const char *name_text, int value)
{
	char args[96];
	int r = setsockopt(fd, level, name, &value, sizeof value);
	int err = errno;

	snprintf(args, sizeof args, "%s, %d", name_text, value);
	show(d, ns, who, "setsockopt", args, r, err);
	return r;
}

int
pkl_lab_demo_bind(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd,
		  const char *addr, uint16_t port)
{
	struct sockaddr_in a = inet(addr, port);
	char args[64];
	int r = bind(fd, (struct sockaddr *)&a, sizeof a);
	int err = errno;

	snprintf(args, sizeof args, "%s:%u", addr, port);
	show(d, ns, who, "bind", args, r, err);
	return r;
}

int
pkl_lab_demo_listen(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd, int backlog)
{
	char args[16];
	int r = listen(fd, backlog);
	int err = errno;

	snprintf(args, sizeof args, "%d", backlog);
	show(d, ns, who, "listen", args, r, err);
	return r;
}

/* Wait for fd to be ready for events, the frames shown meanwhile. */
static bool
await(struct pkl_demo *d, int fd, short events, int timeout_ms)
{
	uint64_t end = pkl_probe_now_ns() + (uint64_t)timeout_ms * 1000000u;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		if (poll(&p, 1, 0) > 0)
			return true;
		if (d->status || pkl_probe_now_ns() >= end)
			return false;
		pkl_demo_wait(d, 20);
	}
}

int
pkl_lab_demo_connect(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd,
		     const char *addr, uint16_t port)
{
	struct sockaddr_in a = inet(addr, port);
	char args[64];
	int flags = fcntl(fd, F_GETFL);
	int r, err = 0;

	/* Nonblocking, so that the frames of the handshake (and of its
	 * retries) are shown while the kernel tries; the result is the
	 * kernel's, as a blocking connect() would return it. */
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	r = connect(fd, (struct sockaddr *)&a, sizeof a);
	if (r < 0 && errno == EINPROGRESS) {
		socklen_t len = sizeof err;
		await(d, fd, POLLOUT, 30000);
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
		r = err ? -1 : 0;
	} else if (r < 0) {
		err = errno;
	}
	fcntl(fd, F_SETFL, flags);
	snprintf(args, sizeof args, "%s:%u", addr, port);
	show(d, ns, who, "connect", args, r, err);
	return r;
}

int
pkl_lab_demo_accept(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd,
		    int timeout_ms)
{
	int r = -1, err = EAGAIN;

	if (await(d, fd, POLLIN, timeout_ms)) {
		r = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		err = errno;
	}
	if (r >= 0 && d->nfds < PKL_DEMO_MAX_FDS)
		d->fd[d->nfds++] = r;
	show(d, ns, who, "accept", "", r, err);
	return r;
}

ssize_t
pkl_lab_demo_recv(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd,
		  int timeout_ms)
{
	char buf[4096];
	ssize_t r = -1;
	int err = EAGAIN;

	if (await(d, fd, POLLIN, timeout_ms)) {
		r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
		err = errno;
	}
	show(d, ns, who, "recv", "", (long)r, err);
	return r;
}

int
pkl_lab_demo_close(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd)
{
	char args[16];
	int r = close(fd), err = errno;

	for (unsigned i = 0; i < d->nfds; i++)
		if (d->fd[i] == fd)
			d->fd[i] = d->fd[--d->nfds];
	snprintf(args, sizeof args, "%d", fd);
	show(d, ns, who, "close", args, r, err);
	return r;
}

/* ---- commands ----------------------------------------------------------- */

static void
show_command(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, const char *const argv[],
	     const char *result, int status)
{
	char line[512];
	size_t len = 0;

	line[0] = '\0';
	for (size_t i = 0; argv[i] && len < sizeof line; i++)
		len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", i ? " " : "",
					argv[i]);
	if (d->json) {
		struct pkl_json j;
		pkl_lab_demo_json_open(d, &j, "command", ns);
		PKL_JSON_KEY(&j, "who");
		pkl_json_string(&j, who);
		PKL_JSON_KEY(&j, "argv");
		pkl_json_string(&j, line);
		if (strcmp(result, "pid") == 0)
			PKL_JSON_KEY(&j, "pid");
		else
			PKL_JSON_KEY(&j, "status");
		pkl_json_i64(&j, status);
		pkl_demo_json_close(d, &j);
	} else {
		out_who(&d->out, who, ns);
		pkl_out_printf(&d->out, "$ %s -> %s %d\n", line, result, status);
	}
	pkl_out_flush(&d->out);
}

static pid_t
spawn(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, const char *const argv[],
      bool keep_output)
{
	struct lab_demo *ld = lab_of(d);
	char errbuf[PKL_ERRBUF_SIZE];
	struct child *c = &ld->child[ld->nchildren];
	pid_t pid;

	if (ld->nchildren == MAX_CHILDREN)
		return pkl_demo_fail(d, "too many programs for one demonstration");
	*c = (struct child){ .out = -1, .ns = ns, .who = who };
	if (keep_output) {
		FILE *f = tmpfile();
		if (!f)
			return pkl_demo_fail(d, "cannot make a temporary file: %s", strerror(errno));
		c->out = dup(fileno(f));
		fclose(f);
	}
	if ((pid = pkl_lab_spawn_to(pkl_lab_ns_name(ns), argv, c->out, errbuf)) < 0) {
		if (c->out >= 0)
			close(c->out);
		return pkl_demo_fail(d, "%s", errbuf);
	}
	c->pid = pid;
	ld->nchildren++;
	return pid;
}

pid_t
pkl_lab_demo_spawn(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who,
		   const char *const argv[])
{
	pid_t pid = spawn(d, ns, who, argv, false);

	if (pid > 0)
		show_command(d, ns, who, argv, "pid", pid);
	return pid;
}

pid_t
pkl_lab_demo_spawn_shown(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who,
			 const char *const argv[])
{
	pid_t pid = spawn(d, ns, who, argv, true);

	if (pid > 0)
		show_command(d, ns, who, argv, "pid", pid);
	return pid;
}

/* What a child wrote, line by line. */
static void
show_output(struct pkl_demo *d, const struct child *c)
{
	char line[1024];
	FILE *f;

	if (c->out < 0 || lseek(c->out, 0, SEEK_SET) < 0 || !(f = fdopen(dup(c->out), "r")))
		return;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		if (d->json) {
			struct pkl_json j;
			pkl_lab_demo_json_open(d, &j, "output", c->ns);
			PKL_JSON_KEY(&j, "who");
			pkl_json_string(&j, c->who);
			PKL_JSON_KEY(&j, "line");
			pkl_json_string(&j, line);
			pkl_demo_json_close(d, &j);
		} else {
			out_who(&d->out, c->who, c->ns);
			pkl_out_printf(&d->out, "%s\n", line);
		}
	}
	fclose(f);
	pkl_out_flush(&d->out);
}

/* The child stopped and reaped (unless reaped already: pid 0), forgotten. */
static void
end_child(struct lab_demo *ld, unsigned i)
{
	pkl_lab_stop(ld->child[i].pid);
	if (ld->child[i].out >= 0)
		close(ld->child[i].out);
	ld->child[i] = ld->child[--ld->nchildren];
}

int
pkl_lab_demo_reap(struct pkl_demo *d, pid_t pid, int timeout_ms)
{
	struct lab_demo *ld = lab_of(d);
	uint64_t end = pkl_probe_now_ns() + (uint64_t)timeout_ms * 1000000u;
	int status = -1, ws;
	bool reaped = false;

	for (;;) {
		if (waitpid(pid, &ws, WNOHANG) == pid) {
			status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
			reaped = true;
			break;
		}
		if (d->status || pkl_probe_now_ns() >= end)
			break;
		pkl_demo_wait(d, 20);
	}
	for (unsigned i = 0; i < ld->nchildren; i++)
		if (ld->child[i].pid == pid) {
			if (reaped)   /* gone: its PID may be another's already */
				ld->child[i].pid = 0;
			show_output(d, &ld->child[i]);
			end_child(ld, i);
			break;
		}
	return status;
}

int
pkl_lab_demo_command(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who,
		     const char *const argv[])
{
	pid_t pid = spawn(d, ns, who, argv, false);

	if (pid < 0)
		return -1;
	int status = pkl_lab_demo_reap(d, pid, 30000);
	show_command(d, ns, who, argv, "status", status);
	pkl_demo_drain(d);
	return status;
}

int
pkl_lab_demo_sysctl(struct pkl_demo *d, enum pkl_lab_ns ns, const char *name, long value)
{
	char errbuf[PKL_ERRBUF_SIZE], dotted[96];

	if (pkl_lab_sysctl_set(pkl_lab_ns_name(ns), name, value, errbuf) < 0)
		return pkl_demo_fail(d, "%s", errbuf);
	snprintf(dotted, sizeof dotted, "net.%s", name);
	for (char *p = dotted; *p; p++)
		if (*p == '/')
			*p = '.';
	if (d->json) {
		struct pkl_json j;
		pkl_lab_demo_json_open(d, &j, "kernel", ns);
		PKL_JSON_KEY(&j, "what");
		pkl_json_name(&j, "sysctl");
		PKL_JSON_KEY(&j, "name");
		pkl_json_string(&j, dotted);
		PKL_JSON_KEY(&j, "value");
		pkl_json_i64(&j, value);
		pkl_demo_json_close(d, &j);
	} else {
		pkl_out_printf(&d->out, "kernel (%s): sysctl %s=%ld\n", short_name(ns), dotted, value);
	}
	pkl_out_flush(&d->out);
	return 0;
}

/* ---- the kernel's views ------------------------------------------------- */

int
pkl_lab_demo_neigh(struct pkl_demo *d, enum pkl_lab_ns ns, const char *iface, const char *addr,
		   struct pkl_neigh_entry *out)
{
	char errbuf[PKL_ERRBUF_SIZE], mac[18] = "";
	struct pkl_neigh_entry e = { 0 };
	struct pkl_addr a;
	int home, ret;

	pkl_demo_drain(d);
	pkl_addr_parse(addr, &a);
	if (enter(d, ns, &home) < 0)
		return -1;
	unsigned index = if_nametoindex(iface);
	ret = index ? pkl_neigh_lookup((int)index, &a, &e, errbuf) : -1;
	if (!index)
		snprintf(errbuf, sizeof errbuf, "no interface %s in %s", iface, pkl_lab_ns_name(ns));
	if (leave(d, home) < 0)
		return -1;
	if (ret < 0)
		return pkl_demo_fail(d, "%s", errbuf);
	if (e.found)
		snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", e.mac[0], e.mac[1],
			 e.mac[2], e.mac[3], e.mac[4], e.mac[5]);
	if (d->json) {
		struct pkl_json j;
		pkl_lab_demo_json_open(d, &j, "kernel", ns);
		PKL_JSON_KEY(&j, "what");
		pkl_json_name(&j, "neighbour");
		PKL_JSON_KEY(&j, "interface");
		pkl_json_string(&j, iface);
		PKL_JSON_KEY(&j, "address");
		pkl_json_string(&j, addr);
		PKL_JSON_KEY(&j, "found");
		pkl_json_bool(&j, e.found);
		PKL_JSON_KEY(&j, "mac");
		if (e.found && mac[0] && e.usable)
			pkl_json_string(&j, mac);
		else
			pkl_json_null(&j);
		PKL_JSON_KEY(&j, "state");
		if (e.found)
			pkl_json_string(&j, pkl_neigh_state_name(e.state));
		else
			pkl_json_null(&j);
		pkl_demo_json_close(d, &j);
	} else if (e.found) {
		pkl_out_printf(&d->out, "kernel (%s): neighbour %s dev %s lladdr %s %s\n",
			       short_name(ns), addr, iface, e.usable ? mac : "(none)",
			       pkl_neigh_state_name(e.state));
	} else {
		pkl_out_printf(&d->out, "kernel (%s): no neighbour entry for %s on %s\n",
			       short_name(ns), addr, iface);
	}
	pkl_out_flush(&d->out);
	if (out)
		*out = e;
	return 0;
}

struct syn_count {
	uint16_t port;
	unsigned n;
};

static int
count_syn_recv(const struct pkl_sock *s, void *data)
{
	struct syn_count *c = data;

	if (s->local_port == c->port)
		c->n++;
	return 0;
}

int
pkl_lab_demo_listener(struct pkl_demo *d, enum pkl_lab_ns ns, const char *addr, uint16_t port,
		      unsigned *syn_recv, struct pkl_sock *out)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_addr local, any = { .family = 4 };
	struct pkl_sockdiag_filter f = { .tcp = true, .family = 4, .port = port,
					 .states = PKL_SOCKDIAG_STATE(PKL_TCPS_SYN_RECEIVED) };
	struct syn_count c = { port, 0 };
	struct pkl_sock l;
	size_t n = 0;
	int home, ret;

	pkl_demo_drain(d);
	pkl_addr_parse(addr, &local);
	if (enter(d, ns, &home) < 0)
		return -1;
	ret = pkl_sockdiag_find(PKL_SOCK_TCP, &local, port, &any, 0, &l, 1, &n, errbuf);
	if (ret == 0)
		ret = pkl_sockdiag_dump(&f, count_syn_recv, &c, errbuf);
	if (leave(d, home) < 0)
		return -1;
	if (ret < 0)
		return pkl_demo_fail(d, "%s", errbuf);
	if (n == 0)
		return pkl_demo_fail(d, "the kernel has no listener on %s:%u in %s", addr, port,
				     pkl_lab_ns_name(ns));
	if (d->json) {
		struct pkl_json j;
		pkl_lab_demo_json_open(d, &j, "kernel", ns);
		PKL_JSON_KEY(&j, "what");
		pkl_json_name(&j, "listener");
		PKL_JSON_KEY(&j, "local");
		pkl_json_endpoint(&j, 4, local.v4, port);
		PKL_JSON_KEY(&j, "state");
		pkl_json_name(&j, pkl_sockdiag_state_name(&l));
		PKL_JSON_KEY(&j, "accept_queue");
		pkl_json_u64(&j, l.recv_q);
		PKL_JSON_KEY(&j, "backlog");
		pkl_json_u64(&j, l.send_q);
		PKL_JSON_KEY(&j, "syn_recv");
		pkl_json_u64(&j, c.n);
		pkl_demo_json_close(d, &j);
	} else {
		pkl_out_printf(&d->out, "kernel (%s): %s:%u LISTEN, accept queue %u of %u; %u "
			       "handshake%s in SYN-RECV\n", short_name(ns), addr, port, l.recv_q,
			       l.send_q, c.n, c.n == 1 ? "" : "s");
	}
	pkl_out_flush(&d->out);
	if (syn_recv)
		*syn_recv = c.n;
	if (out)
		*out = l;
	return 0;
}

int
pkl_lab_demo_socket_state(struct pkl_demo *d, enum pkl_lab_ns ns, const char *addr,
			  uint16_t port, const char *peer, uint16_t peer_port, struct pkl_sock *out,
			  bool *found)
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct pkl_addr l, p;
	struct pkl_sock s = { .state = PKL_TCPS_CLOSED };
	size_t n = 0;
	int home, ret;

	pkl_demo_drain(d);
	pkl_addr_parse(addr, &l);
	pkl_addr_parse(peer, &p);
	if (enter(d, ns, &home) < 0)
		return -1;
	ret = pkl_sockdiag_find(PKL_SOCK_TCP, &l, port, &p, peer_port, &s, 1, &n, errbuf);
	if (leave(d, home) < 0)
		return -1;
	if (ret < 0)
		return pkl_demo_fail(d, "%s", errbuf);
	if (n == 0)
		s = (struct pkl_sock){ .state = PKL_TCPS_CLOSED };
	bool timer = n > 0 && s.timer != PKL_SOCK_TIMER_NONE;
	if (d->json) {
		struct pkl_json j;
		pkl_lab_demo_json_open(d, &j, "kernel", ns);
		PKL_JSON_KEY(&j, "what");
		pkl_json_name(&j, "socket");
		PKL_JSON_KEY(&j, "local");
		pkl_json_endpoint(&j, 4, l.v4, port);
		PKL_JSON_KEY(&j, "peer");
		pkl_json_endpoint(&j, 4, p.v4, peer_port);
		PKL_JSON_KEY(&j, "socket");
		pkl_json_bool(&j, n > 0);
		PKL_JSON_KEY(&j, "state");
		pkl_json_name(&j, pkl_tcp_state_name(s.state));
		PKL_JSON_KEY(&j, "timer");
		if (timer)
			pkl_json_name(&j, pkl_sockdiag_timer_name(s.timer));
		else
			pkl_json_null(&j);
		PKL_JSON_KEY(&j, "retransmits");
		pkl_json_u64(&j, n > 0 ? s.retransmits : 0);
		pkl_demo_json_close(d, &j);
	} else if (n > 0) {
		pkl_out_printf(&d->out, "kernel (%s): %s:%u -> %s:%u %s", short_name(ns), addr, port,
			       peer, peer_port, pkl_tcp_state_name(s.state));
		if (timer)
			pkl_out_printf(&d->out, ", timer %s %.1f s, %u retransmission%s",
				       pkl_sockdiag_timer_name(s.timer), s.timer_ms / 1000.0,
				       s.retransmits, s.retransmits == 1 ? "" : "s");
		pkl_out_char(&d->out, '\n');
	} else {
		pkl_out_printf(&d->out, "kernel (%s): %s:%u -> %s:%u no socket (CLOSED)\n",
			       short_name(ns), addr, port, peer, peer_port);
	}
	pkl_out_flush(&d->out);
	if (out)
		*out = s;
	if (found)
		*found = n > 0;
	return 0;
}

struct netstat_arg {
	const char *const *names;
	size_t n;
	unsigned long long *value;
};

static int
read_netstat(void *ctx, char errbuf[PKL_ERRBUF_SIZE])
{
	struct netstat_arg *a = ctx;

	return pkl_demo_tcpext_read(a->names, a->n, a->value, errbuf) < 0 ? -1 : 0;
}

int
pkl_lab_demo_netstat(struct pkl_demo *d, enum pkl_lab_ns ns, const char *const names[], size_t n,
		     unsigned long long value[])
{
	char errbuf[PKL_ERRBUF_SIZE];
	struct netstat_arg a = { names, n, value };

	if (pkl_lab_run_in(pkl_lab_ns_name(ns), read_netstat, &a, errbuf) < 0)
		return pkl_demo_fail(d, "%s", errbuf);
	return 0;
}

void
pkl_lab_demo_say_counters(struct pkl_demo *d, enum pkl_lab_ns ns, const char *const names[],
			  size_t n, const unsigned long long before[],
			  const unsigned long long after[])
{
	for (size_t i = 0; i < n; i++) {
		if (d->json) {
			struct pkl_json j;
			char name[64];
			snprintf(name, sizeof name, "TcpExt%s", names[i]);
			pkl_lab_demo_json_open(d, &j, "kernel", ns);
			PKL_JSON_KEY(&j, "what");
			pkl_json_name(&j, "netstat");
			PKL_JSON_KEY(&j, "name");
			pkl_json_string(&j, name);
			PKL_JSON_KEY(&j, "before");
			pkl_json_u64(&j, before[i]);
			PKL_JSON_KEY(&j, "after");
			pkl_json_u64(&j, after[i]);
			pkl_demo_json_close(d, &j);
		} else {
			pkl_out_printf(&d->out, "kernel (%s): /proc/net/netstat TcpExt%s: %llu before, "
				       "%llu after (+%llu)\n", short_name(ns), names[i], before[i],
				       after[i], after[i] - before[i]);
		}
	}
	pkl_out_flush(&d->out);
}

/* ---- the run ------------------------------------------------------------ */

static void
release(struct lab_demo *ld)
{
	pkl_demo_close_all(&ld->d);
	while (ld->nchildren)
		end_child(ld, ld->nchildren - 1);
	for (unsigned i = 0; i < ld->ntaps; i++) {
		if (ld->tap[i].cap)
			pkl_capture_close(ld->tap[i].cap);
		pkl_pipeline_free(ld->tap[i].pl);
		free(ld->tap[i].held);
	}
	ld->ntaps = 0;
	if (ld->inj)
		pkl_inject_close(ld->inj);
	ld->inj = NULL;
}

static void
finish(struct lab_demo *ld, const struct pkl_demo_def *def)
{
	struct pkl_demo *d = &ld->d;

	pkl_demo_close_all(d);
	pkl_demo_drain(d);
	for (unsigned i = 0; i < ld->ntaps; i++)
		pkl_pipeline_finish(ld->tap[i].pl);
	if (d->json) {
		struct pkl_json j;
		pkl_demo_json_open(d, &j, "result");
		PKL_JSON_KEY(&j, "demo");
		pkl_json_name(&j, def->name);
		PKL_JSON_KEY(&j, "completed");
		pkl_json_bool(&j, d->status == 0);
		pkl_demo_json_close(d, &j);
	}
	pkl_out_flush(&d->out);
}

int
pkl_lab_demo_run(const struct pkl_demo_def *def, const struct pkl_demo_opts *opts)
{
	struct lab_demo *ld = calloc(1, sizeof *ld);
	char errbuf[PKL_ERRBUF_SIZE], iface[IF_NAMESIZE];
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term, old_hup, old_pipe;
	enum pkl_lab_ns ns;
	struct pkl_lab lab;
	bool created = false;
	int status;

	if (!ld)
		return pkl_cmd_fail("out of memory");
	/* A refusal before anything is built. */
	if (opts->interface && parse_interface(opts->interface, &ns, iface, errbuf) < 0) {
		free(ld);
		return pkl_cmd_fail(errbuf);
	}
	struct pkl_demo *d = &ld->d;
	d->opts = opts;
	d->json = opts->view.view == PKL_VIEW_JSON;
	d->take_ready = take_ready;
	d->wait_frames = wait_frames;
	/* No SA_RESTART: a wait ends at once, the demo stops and cleans up
	 * (a closed pipe too: `| head` must not leave the lab behind). */
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	sigaction(SIGPIPE, &sa, &old_pipe);
	if (pkl_lab_ensure(&lab, &created, errbuf) < 0)
		d->status = pkl_cmd_fail(errbuf);
	else if ((d->status = pkl_cmd_stdout_open(&d->out, d->json ? 0 : opts->view.color,
						  opts->view.line_buffered)) == 0) {
		if (created && !d->json)
			pkl_out_str(&d->out, "(the lab was down: built it; sudo pktlens lab status "
					     "shows it)\n");
		def->run(d);
		finish(ld, def);
	}
	release(ld);
	if (d->out.buf && pkl_cmd_stdout_close(&d->out) && !d->status)
		d->status = EXIT_RUNTIME;
	status = d->status;
	pkl_lab_note_demo(def->name, status);
	/* What this run built goes, unless kept; a failed run leaves
	 * nothing behind. */
	if (created && (!opts->keep || status != 0) && pkl_lab_down(NULL, errbuf) < 0)
		status = pkl_cmd_fail(errbuf);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	if (interrupted)
		status = 130;
	free(ld);
	return status;
}
