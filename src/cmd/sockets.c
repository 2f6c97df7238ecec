/* `pktlens sockets`: the kernel's TCP and UDP sockets as ss -tuan lists
 * them (state, queues, ends, timer), a count per state, and what a pile
 * of sockets in one state says about the applications behind them. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../json.h"
#include "../sockdiag.h"
#include "common.h"

struct sockets_args {
	struct pkl_sockdiag_filter filter;
	bool json, extended;
};

enum { OPT_STATE = PKL_OPT_LONG_ONLY, OPT_PORT };

static const struct pkl_option sockets_options[] = {
	{ 't', "tcp", NULL, false, "TCP sockets (default: TCP and UDP)" },
	{ 'u', "udp", NULL, false, "UDP sockets" },
	{ '4', "ipv4", NULL, false, "IPv4 sockets only" },
	{ '6', "ipv6", NULL, false, "IPv6 sockets only" },
	{ OPT_STATE, "state", "STATES", false,
	  "only these states, comma-separated or repeated:\n"
	  "listen, syn-sent, syn-recv, established, fin-wait-1,\n"
	  "fin-wait-2, close-wait, closing, last-ack, time-wait,\n"
	  "closed (UDP: unconn), or connected (all but listen\n"
	  "and closed)" },
	{ OPT_PORT, "port", "PORT", false, "only sockets with PORT at either end" },
	{ 'e', "extended", NULL, false, "also the owner's uid and the socket's inode" },
	{ 'j', "json", NULL, false,
	  "one JSON object per socket, then one with the counts\n"
	  "(and the advice)" },
	{ 0, NULL, NULL, false, NULL },
};

/* The names --state takes, '-' and '_' alike and in any case. */
static const struct {
	const char *name;
	enum pkl_tcp_state state;
} state_names[] = {
	{ "listen", PKL_TCPS_LISTEN }, { "syn-sent", PKL_TCPS_SYN_SENT },
	{ "syn-recv", PKL_TCPS_SYN_RECEIVED }, { "syn-received", PKL_TCPS_SYN_RECEIVED },
	{ "established", PKL_TCPS_ESTABLISHED }, { "estab", PKL_TCPS_ESTABLISHED },
	{ "fin-wait-1", PKL_TCPS_FIN_WAIT_1 }, { "fin-wait-2", PKL_TCPS_FIN_WAIT_2 },
	{ "close-wait", PKL_TCPS_CLOSE_WAIT }, { "closing", PKL_TCPS_CLOSING },
	{ "last-ack", PKL_TCPS_LAST_ACK }, { "time-wait", PKL_TCPS_TIME_WAIT },
	{ "closed", PKL_TCPS_CLOSED }, { "unconn", PKL_TCPS_CLOSED },
};

/* ss's "connected": every state but LISTEN and CLOSED. */
#define CONNECTED_STATES                                                                      \
	(((1u << PKL_TCPS_COUNT) - 1) & ~(PKL_SOCKDIAG_STATE(PKL_TCPS_UNKNOWN) |              \
					  PKL_SOCKDIAG_STATE(PKL_TCPS_LISTEN) |               \
					  PKL_SOCKDIAG_STATE(PKL_TCPS_CLOSED)))

static bool
same_name(const char *given, size_t len, const char *name)
{
	if (strlen(name) != len)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = given[i] == '_' ? '-' : given[i];
		if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != name[i])
			return false;
	}
	return true;
}

static int
add_states(struct pkl_opt_parser *p, const char *value, uint32_t *states)
{
	const char *s = value;

	for (;;) {
		size_t len = strcspn(s, ",");
		bool known = same_name(s, len, "connected");

		if (known)
			*states |= CONNECTED_STATES;
		for (size_t i = 0; !known && i < sizeof state_names / sizeof state_names[0]; i++)
			if (same_name(s, len, state_names[i].name)) {
				*states |= PKL_SOCKDIAG_STATE(state_names[i].state);
				known = true;
			}
		if (!known)
			return pkl_opt_error(p, "--state needs states such as listen, established "
					     "or time-wait, not '%.*s'", (int)len, s);
		if (!s[len])
			return 0;
		s += len + 1;
	}
}

static int
sockets_apply(void *target, int key, const char *value, struct pkl_opt_parser *p)
{
	struct sockets_args *a = target;
	uint64_t port;

	switch (key) {
	case 't': a->filter.tcp = true; break;
	case 'u': a->filter.udp = true; break;
	case '4': a->filter.family = 4; break;
	case '6': a->filter.family = 6; break;
	case OPT_STATE: return add_states(p, value, &a->filter.states);
	case OPT_PORT:
		if (pkl_opt_number(p, value, 1, 65535, "a port", &port) < 0)
			return -1;
		a->filter.port = (uint16_t)port;
		break;
	case 'e': a->extended = true; break;
	case 'j': a->json = true; break;
	}
	return 0;
}

/* ---- advice -------------------------------------------------------------- */

/* Below these a pile is ordinary traffic.  A closer's TIME_WAIT lasts
 * 60 s, so 100 toward one peer is more than one connection a second;
 * CLOSE_WAIT lasts until the application closes, so a few that stay
 * are already a leak, and ten say so without a second look. */
#define TIME_WAIT_PILE 100
#define CLOSE_WAIT_PILE 10
#define SYN_RECV_PILE 100

#define MAX_ADVICE 8
#define ADVICE_TEXT 320

struct advice {
	const char *what;            /* its name in JSON */
	char text[ADVICE_TEXT];
};

struct advisor {
	struct advice list[MAX_ADVICE];
	int n;
};

static void advise(struct advisor *a, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
advise(struct advisor *a, const char *what, const char *fmt, ...)
{
	va_list ap;

	if (a->n == MAX_ADVICE)
		return;
	a->list[a->n].what = what;
	va_start(ap, fmt);
	vsnprintf(a->list[a->n++].text, ADVICE_TEXT, fmt, ap);
	va_end(ap);
}

/* "10.0.0.1:80" or "[fd77::1]:80"; with any_port (port 0), ss's
 * "0.0.0.0:*" for a socket with no peer. */
static size_t
endpoint_text(const struct pkl_addr *a, uint16_t port, bool any_port, char *buf, size_t size)
{
	struct pkl_out o;

	pkl_out_init_fixed(&o, buf, size);
	pkl_out_endpoint(&o, a->family, a->v6, port);
	size_t len = pkl_out_finish_fixed(&o);
	if (any_port && len)
		buf[len - 1] = '*';         /* in place of the port's "0" */
	return len;
}

static int
by_peer(const void *x, const void *y)
{
	const struct pkl_sock *a = x, *b = y;

	if (a->peer.family != b->peer.family)
		return a->peer.family - b->peer.family;
	return memcmp(a->peer.v6, b->peer.v6, pkl_addr_size(a->peer.family));
}

/* The peer with the most TIME_WAIT sockets, when they pile up. */
static void
advise_time_wait(struct advisor *adv, const struct pkl_sock *socks, size_t n)
{
	struct pkl_sock *tw = malloc((n ? n : 1) * sizeof *tw);
	size_t k = 0, best = 0, best_run = 0;

	if (!tw)
		return;
	for (size_t i = 0; i < n; i++)
		if (socks[i].proto == PKL_SOCK_TCP && socks[i].state == PKL_TCPS_TIME_WAIT)
			tw[k++] = socks[i];
	qsort(tw, k, sizeof *tw, by_peer);
	for (size_t i = 0, run = 0; i < k; i++) {
		run = i && by_peer(&tw[i - 1], &tw[i]) == 0 ? run + 1 : 1;
		if (run > best_run) {
			best_run = run;
			best = i;
		}
	}
	if (best_run >= TIME_WAIT_PILE) {
		char peer[PKL_ADDR_TEXT];

		pkl_addr_format(&tw[best].peer, peer, sizeof peer);
		advise(adv, "time_wait_pile",
		       "%zu sockets in TIME_WAIT toward %s: many short connections, each held "
		       "60 s (2*MSL) by the end that closed first; HTTP keep-alive or a "
		       "connection pool would reuse a few connections instead",
		       best_run, peer);
	}
	free(tw);
}

/* /proc/sys/net/ipv4/tcp_syncookies: 0 off, 1 when the queue overflows,
 * 2 always; -1 when it cannot be read. */
static int
syncookies(void)
{
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_syncookies", "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static void
advise_all(struct advisor *adv, const struct pkl_sock *socks, size_t n,
	   const size_t count[2][PKL_TCPS_COUNT])
{
	size_t close_wait = count[PKL_SOCK_TCP][PKL_TCPS_CLOSE_WAIT];
	size_t syn_recv = count[PKL_SOCK_TCP][PKL_TCPS_SYN_RECEIVED];

	advise_time_wait(adv, socks, n);
	if (close_wait >= CLOSE_WAIT_PILE)
		advise(adv, "close_wait_pile",
		       "%zu sockets in CLOSE_WAIT: their peers have closed, but the application "
		       "has not called close() on them; it leaks sockets (look for a missing "
		       "close on an error path)", close_wait);
	if (syn_recv >= SYN_RECV_PILE) {
		int cookies = syncookies();
		advise(adv, "syn_recv_pile",
		       "%zu connections in SYN_RECEIVED: handshakes not completed, a SYN flood "
		       "(or a peer that lost its way back?); tcp_syncookies is %s",
		       syn_recv, cookies == 0 ? "0 (off: turn it on, net.ipv4.tcp_syncookies=1)" :
		       cookies == 1 ? "1 (on when the queue overflows)" :
		       cookies == 2 ? "2 (always on)" : "unreadable");
	}
	for (size_t i = 0; i < n; i++) {
		const struct pkl_sock *s = &socks[i];
		char local[PKL_ADDR_TEXT + 8];

		/* Full as ss users read it, Recv-Q at Send-Q: the kernel
		 * queues one more (sk_acceptq_is_full is length > backlog),
		 * then drops the SYNs that follow. */
		if (s->proto != PKL_SOCK_TCP || s->state != PKL_TCPS_LISTEN || !s->recv_q ||
		    s->recv_q < s->send_q)
			continue;
		endpoint_text(&s->local, s->local_port, false, local, sizeof local);
		advise(adv, "accept_queue_full",
		       "the accept queue of %s is full (%u waiting, backlog %u): the application "
		       "does not call accept() fast enough; further SYNs are dropped (see "
		       "ListenOverflows in nstat)", local, s->recv_q, s->send_q);
	}
}

/* ---- output -------------------------------------------------------------- */

/* "59.8 s" style, with ss -o's retransmission count when there is one. */
static void
timer_text(const struct pkl_sock *s, char *buf, size_t size)
{
	if (s->timer == PKL_SOCK_TIMER_NONE) {
		buf[0] = '\0';
		return;
	}
	int len = snprintf(buf, size, "%s %.1f s", pkl_sockdiag_timer_name(s->timer),
			   s->timer_ms / 1000.0);
	if (s->retransmits && len > 0 && (size_t)len < size)
		snprintf(buf + len, size - (size_t)len, ", %u retransmit%s", s->retransmits,
			 s->retransmits == 1 ? "" : "s");
}

static bool
no_peer(const struct pkl_sock *s)
{
	return s->peer_port == 0 && pkl_addr_is_unspecified(&s->peer);
}

static void
print_table(struct pkl_out *o, const struct pkl_sock *socks, size_t n, bool extended)
{
	int wl = 5, wp = 4;          /* "Local", "Peer" */
	char text[PKL_ADDR_TEXT + 8];

	for (size_t i = 0; i < n; i++) {
		int l = (int)endpoint_text(&socks[i].local, socks[i].local_port, false, text,
					   sizeof text);
		int p = (int)endpoint_text(&socks[i].peer, socks[i].peer_port, no_peer(&socks[i]),
					   text, sizeof text);
		wl = l > wl ? l : wl;
		wp = p > wp ? p : wp;
	}
	pkl_out_printf(o, "%-5s %-12s %6s %6s %-*s %-*s %s%s\n", "Proto", "State", "Recv-Q",
		       "Send-Q", wl, "Local", wp, "Peer", "Timer", extended ? ", owner" : "");
	for (size_t i = 0; i < n; i++) {
		const struct pkl_sock *s = &socks[i];
		char local[PKL_ADDR_TEXT + 8], peer[PKL_ADDR_TEXT + 8], timer[64];

		endpoint_text(&s->local, s->local_port, false, local, sizeof local);
		endpoint_text(&s->peer, s->peer_port, no_peer(s), peer, sizeof peer);
		timer_text(s, timer, sizeof timer);
		pkl_out_printf(o, "%-5s %-12s %6u %6u %-*s %s", pkl_sockdiag_proto_name(s->proto),
			       pkl_sockdiag_state_name(s), s->recv_q, s->send_q, wl, local, peer);
		/* The peer's column padded only when something follows it. */
		if (*timer || extended)
			pkl_out_spaces(o, (unsigned)(wp - (int)strlen(peer) + 1));
		pkl_out_str(o, timer);
		if (extended)
			pkl_out_printf(o, "%suid %u inode %u", *timer ? ", " : "", s->uid, s->inode);
		pkl_out_char(o, '\n');
	}
}

/* "tcp: 2 LISTEN, 1 ESTABLISHED" for each protocol that has sockets. */
static void
print_counts(struct pkl_out *o, size_t n, const size_t count[2][PKL_TCPS_COUNT])
{
	pkl_out_printf(o, "\n%zu socket%s", n, n == 1 ? "" : "s");
	for (int p = PKL_SOCK_TCP; p <= PKL_SOCK_UDP; p++) {
		const char *sep = ": ";
		pkl_out_printf(o, "; %s", pkl_sockdiag_proto_name(p));
		for (int st = 0; st < PKL_TCPS_COUNT; st++) {
			struct pkl_sock one = { .proto = p, .state = st };
			if (!count[p][st])
				continue;
			pkl_out_printf(o, "%s%zu %s", sep, count[p][st], pkl_sockdiag_state_name(&one));
			sep = ", ";
		}
		if (*sep == ':')
			pkl_out_str(o, ": none");
	}
	pkl_out_char(o, '\n');
}

static void
json_endpoint(struct pkl_json *j, const struct pkl_addr *a, uint16_t port)
{
	char text[PKL_ADDR_TEXT + 8];

	endpoint_text(a, port, false, text, sizeof text);
	pkl_json_string(j, text);
}

/* {"kind": "socket", "proto", "state", "recv_q", "send_q", "local",
 * "peer", "timer", "timer_s", and with -e "uid", "inode"}. */
static void
json_socket(struct pkl_out *o, const struct pkl_sock *s, bool extended)
{
	struct pkl_json j;

	pkl_json_init(&j, o);
	pkl_json_object_open(&j);
	PKL_JSON_KEY(&j, "kind");
	pkl_json_name(&j, "socket");
	PKL_JSON_KEY(&j, "proto");
	pkl_json_name(&j, pkl_sockdiag_proto_name(s->proto));
	PKL_JSON_KEY(&j, "state");
	pkl_json_name(&j, pkl_sockdiag_state_name(s));
	PKL_JSON_KEY(&j, "recv_q");
	pkl_json_u64(&j, s->recv_q);
	PKL_JSON_KEY(&j, "send_q");
	pkl_json_u64(&j, s->send_q);
	PKL_JSON_KEY(&j, "local");
	json_endpoint(&j, &s->local, s->local_port);
	PKL_JSON_KEY(&j, "peer");
	json_endpoint(&j, &s->peer, s->peer_port);
	PKL_JSON_KEY(&j, "timer");
	if (s->timer == PKL_SOCK_TIMER_NONE)
		pkl_json_null(&j);
	else
		pkl_json_name(&j, pkl_sockdiag_timer_name(s->timer));
	PKL_JSON_KEY(&j, "timer_s");
	if (s->timer == PKL_SOCK_TIMER_NONE) {
		pkl_json_null(&j);
	} else {
		pkl_out_u64(o, s->timer_ms / 1000);
		pkl_out_char(o, '.');
		pkl_out_u64_width(o, s->timer_ms % 1000, 3);
	}
	if (extended) {
		PKL_JSON_KEY(&j, "uid");
		pkl_json_u64(&j, s->uid);
		PKL_JSON_KEY(&j, "inode");
		pkl_json_u64(&j, s->inode);
	}
	pkl_json_object_close(&j);
	pkl_out_char(o, '\n');
}

/* {"kind": "counts", "sockets": N, "tcp": {STATE: n, ...}, "udp": {...},
 * "advice": [{"what", "text"}, ...]}. */
static void
json_counts(struct pkl_out *o, size_t n, const size_t count[2][PKL_TCPS_COUNT],
	    const struct advisor *adv)
{
	struct pkl_json j;

	pkl_json_init(&j, o);
	pkl_json_object_open(&j);
	PKL_JSON_KEY(&j, "kind");
	pkl_json_name(&j, "counts");
	PKL_JSON_KEY(&j, "sockets");
	pkl_json_u64(&j, n);
	for (int p = PKL_SOCK_TCP; p <= PKL_SOCK_UDP; p++) {
		if (p == PKL_SOCK_TCP)
			PKL_JSON_KEY(&j, "tcp");
		else
			PKL_JSON_KEY(&j, "udp");
		pkl_json_object_open(&j);
		for (int st = 0; st < PKL_TCPS_COUNT; st++) {
			struct pkl_sock one = { .proto = p, .state = st };
			if (!count[p][st])
				continue;
			/* A state's name is a key of its own: it needs no escaping. */
			pkl_json_elem(&j);
			pkl_json_name(&j, pkl_sockdiag_state_name(&one));
			pkl_out_char(o, ':');
			pkl_json_u64(&j, count[p][st]);
		}
		pkl_json_object_close(&j);
	}
	PKL_JSON_KEY(&j, "advice");
	pkl_json_array_open(&j);
	for (int i = 0; i < adv->n; i++) {
		pkl_json_elem(&j);
		pkl_json_object_open(&j);
		PKL_JSON_KEY(&j, "what");
		pkl_json_name(&j, adv->list[i].what);
		PKL_JSON_KEY(&j, "text");
		pkl_json_string(&j, adv->list[i].text);
		pkl_json_object_close(&j);
	}
	pkl_json_array_close(&j);
	pkl_json_object_close(&j);
	pkl_out_char(o, '\n');
}

static int
run(const struct pkl_command *cmd, int argc, char **argv)
{
	struct sockets_args a = { 0 };
	const struct pkl_opt_group groups[] = {
		{ "Sockets", sockets_options, sockets_apply, NULL, &a },
	};
	char errbuf[PKL_ERRBUF_SIZE];
	int first, status;

	if ((status = pkl_opts_parse(cmd, groups, PKL_NGROUPS(groups), argc, argv, &first)) >= 0)
		return status;
	if (first < argc)
		return pkl_cmd_usage_error(cmd, "no operands, only options: '%s' is one too many",
					   argv[first]);
	struct pkl_sock *socks;
	size_t n;
	if (pkl_sockdiag_list(&a.filter, &socks, &n, errbuf) < 0)
		return pkl_cmd_fail(errbuf);

	size_t count[2][PKL_TCPS_COUNT] = { { 0 } };
	struct advisor adv = { .n = 0 };
	for (size_t i = 0; i < n; i++)
		count[socks[i].proto][socks[i].state]++;
	advise_all(&adv, socks, n, count);

	struct pkl_out out;
	if ((status = pkl_cmd_stdout_open(&out, 0, false)) == 0) {
		if (a.json) {
			for (size_t i = 0; i < n; i++)
				json_socket(&out, &socks[i], a.extended);
			json_counts(&out, n, count, &adv);
		} else {
			print_table(&out, socks, n, a.extended);
			print_counts(&out, n, count);
			for (int i = 0; i < adv.n; i++)
				pkl_out_printf(&out, "advice: %s\n", adv.list[i].text);
		}
		status = pkl_cmd_stdout_close(&out);
	}
	free(socks);
	return status;
}

const struct pkl_command pkl_cmd_sockets = {
	.name = "sockets",
	.synopsis = "[options]",
	.summary = "the kernel's TCP and UDP sockets, as ss -tuan, with counts and advice",
	.description =
		"The kernel's TCP and UDP sockets, IPv4 and IPv6 (read over sock_diag, as ss\n"
		"reads them): state (spelled as pktlens's connection tracker spells it), Recv-Q\n"
		"and Send-Q (for a LISTEN socket: the accept queue's length and its backlog),\n"
		"local and peer address, and the running timer with the time left. Then a count\n"
		"per state, and advice where a pile of sockets in one state says something:\n"
		"TIME_WAIT toward one peer, CLOSE_WAIT, SYN_RECEIVED, a full accept queue.\n"
		"No privileges needed: the kernel lists every socket of this network namespace.",
	.run = run,
};
