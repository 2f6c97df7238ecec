/* The kernel's TCP and UDP sockets over NETLINK_SOCK_DIAG (inet_diag),
 * one dump per protocol and family, as ss sends them. */
#include "sockdiag.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "netlink.h"

/* The kernel's TCP states (include/net/tcp_states.h), which are not in
 * the kernel's exported headers.  UDP uses two of them: ESTABLISHED
 * when connected, CLOSE otherwise. */
enum {
	K_ESTABLISHED = 1, K_SYN_SENT, K_SYN_RECV, K_FIN_WAIT1, K_FIN_WAIT2, K_TIME_WAIT,
	K_CLOSE, K_CLOSE_WAIT, K_LAST_ACK, K_LISTEN, K_CLOSING,
	K_NEW_SYN_RECV,      /* a pending connection (a request socket), 4.4 and later */
	K_STATES
};

static const enum pkl_tcp_state kernel_states[K_STATES] = {
	[K_ESTABLISHED] = PKL_TCPS_ESTABLISHED, [K_SYN_SENT] = PKL_TCPS_SYN_SENT,
	[K_SYN_RECV] = PKL_TCPS_SYN_RECEIVED, [K_FIN_WAIT1] = PKL_TCPS_FIN_WAIT_1,
	[K_FIN_WAIT2] = PKL_TCPS_FIN_WAIT_2, [K_TIME_WAIT] = PKL_TCPS_TIME_WAIT,
	[K_CLOSE] = PKL_TCPS_CLOSED, [K_CLOSE_WAIT] = PKL_TCPS_CLOSE_WAIT,
	[K_LAST_ACK] = PKL_TCPS_LAST_ACK, [K_LISTEN] = PKL_TCPS_LISTEN,
	[K_CLOSING] = PKL_TCPS_CLOSING, [K_NEW_SYN_RECV] = PKL_TCPS_SYN_RECEIVED,
};

const char *
pkl_sockdiag_proto_name(enum pkl_sock_proto p)
{
	return p == PKL_SOCK_TCP ? "tcp" : "udp";
}

const char *
pkl_sockdiag_timer_name(enum pkl_sock_timer t)
{
	static const char *const names[PKL_SOCK_TIMER_COUNT] = {
		[PKL_SOCK_TIMER_NONE] = "", [PKL_SOCK_TIMER_ON] = "on",
		[PKL_SOCK_TIMER_KEEPALIVE] = "keepalive", [PKL_SOCK_TIMER_TIMEWAIT] = "timewait",
		[PKL_SOCK_TIMER_PERSIST] = "persist",
	};
	return (unsigned)t < PKL_SOCK_TIMER_COUNT ? names[t] : "";
}

const char *
pkl_sockdiag_state_name(const struct pkl_sock *s)
{
	if (s->proto == PKL_SOCK_UDP && s->state == PKL_TCPS_CLOSED)
		return "UNCONN";
	return pkl_tcp_state_name(s->state);
}

/* The kernel's states (idiag_states bits) behind the filter's. */
static uint32_t
kernel_state_bits(uint32_t states)
{
	uint32_t bits = 0;

	for (unsigned k = K_ESTABLISHED; k < K_STATES; k++)
		if (!states || (states & PKL_SOCKDIAG_STATE(kernel_states[k])))
			bits |= 1u << k;
	return bits;
}

struct dump {
	enum pkl_sock_proto proto;
	const struct pkl_sockdiag_filter *f;
	int (*cb)(const struct pkl_sock *s, void *data);
	void *data;
	bool stopped;          /* cb asked to stop */
};

/* One inet_diag_msg into s.  -1 (errno EPROTO) when it is malformed. */
static int
read_socket(const struct nlmsghdr *nlh, enum pkl_sock_proto proto, struct pkl_sock *s)
{
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY || nlh->nlmsg_len < mnl_nlmsg_size(sizeof *m) ||
	    (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)) {
		errno = EPROTO;
		return -1;
	}
	int family = m->idiag_family == AF_INET ? 4 : 6;
	size_t size = pkl_addr_size(family);

	*s = (struct pkl_sock){
		.proto = proto,
		.state = m->idiag_state < K_STATES ? kernel_states[m->idiag_state] : PKL_TCPS_UNKNOWN,
		.local = { .family = family },
		.peer = { .family = family },
		.local_port = ntohs(m->id.idiag_sport),
		.peer_port = ntohs(m->id.idiag_dport),
		.recv_q = m->idiag_rqueue,
		.send_q = m->idiag_wqueue,
		.timer = m->idiag_timer < PKL_SOCK_TIMER_COUNT ? m->idiag_timer : PKL_SOCK_TIMER_NONE,
		.retransmits = m->idiag_retrans,
		.uid = m->idiag_uid,
		.inode = m->idiag_inode,
		.ifindex = m->id.idiag_if,
	};
	/* Without a timer the kernel leaves idiag_expires at 0 for TCP,
	 * but fills it with whatever it holds for UDP. */
	if (s->timer != PKL_SOCK_TIMER_NONE)
		s->timer_ms = m->idiag_expires;
	memcpy(s->local.v6, m->id.idiag_src, size);
	memcpy(s->peer.v6, m->id.idiag_dst, size);
	return 0;
}

static int
socket_message(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	struct pkl_sock s;

	if (read_socket(nlh, d->proto, &s) < 0)
		return MNL_CB_ERROR;
	/* The kernel has already applied the states; the port is ours. */
	if (d->f->port && s.local_port != d->f->port && s.peer_port != d->f->port)
		return MNL_CB_OK;
	if (d->cb(&s, d->data)) {
		d->stopped = true;
		return MNL_CB_STOP;
	}
	return MNL_CB_OK;
}

/* One dump: the sockets of one protocol and family. */
static int
dump_one(struct dump *d, int family, char errbuf[PKL_ERRBUF_SIZE])
{
	_Alignas(struct nlmsghdr) char buf[MNL_NLMSG_HDRLEN + sizeof(struct inet_diag_req_v2)];
	struct nlmsghdr *nlh = pkl_netlink_header(buf, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP);
	struct inet_diag_req_v2 *req = mnl_nlmsg_put_extra_header(nlh, sizeof *req);
	char what[64];

	req->sdiag_family = family == 4 ? AF_INET : AF_INET6;
	req->sdiag_protocol = d->proto == PKL_SOCK_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	req->idiag_states = kernel_state_bits(d->f->states);
	snprintf(what, sizeof what, "cannot read the kernel's %s%s sockets",
		 d->proto == PKL_SOCK_TCP ? "TCP" : "UDP", family == 4 ? "" : " IPv6");
	return pkl_netlink_exchange(NETLINK_SOCK_DIAG, nlh, socket_message, d, NULL, what, errbuf);
}

int
pkl_sockdiag_dump(const struct pkl_sockdiag_filter *f,
		  int (*cb)(const struct pkl_sock *s, void *data), void *data,
		  char errbuf[PKL_ERRBUF_SIZE])
{
	static const enum pkl_sock_proto protos[] = { PKL_SOCK_TCP, PKL_SOCK_UDP };
	static const int families[] = { 4, 6 };
	bool both = !f->tcp && !f->udp;

	for (size_t p = 0; p < sizeof protos / sizeof protos[0]; p++) {
		if (!both && !(protos[p] == PKL_SOCK_TCP ? f->tcp : f->udp))
			continue;
		for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
			struct dump d = { protos[p], f, cb, data, false };

			if (f->family && f->family != families[i])
				continue;
			if (dump_one(&d, families[i], errbuf) < 0)
				return -1;
			if (d.stopped)
				return 0;
		}
	}
	return 0;
}

struct list {
	struct pkl_sock *socks;
	size_t n, cap;
	bool no_memory;
};

static int
list_add(const struct pkl_sock *s, void *data)
{
	struct list *l = data;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct pkl_sock *grown = realloc(l->socks, cap * sizeof *grown);

		if (!grown) {
			l->no_memory = true;
			return 1;
		}
		l->socks = grown;
		l->cap = cap;
	}
	l->socks[l->n++] = *s;
	return 0;
}

int
pkl_sockdiag_list(const struct pkl_sockdiag_filter *f, struct pkl_sock **out, size_t *n,
		  char errbuf[PKL_ERRBUF_SIZE])
{
	struct list l = { 0 };
	int ret = pkl_sockdiag_dump(f, list_add, &l, errbuf);

	if (ret == 0 && l.no_memory) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "out of memory for the kernel's socket table");
		ret = -1;
	}
	if (ret < 0) {
		free(l.socks);
		l = (struct list){ 0 };
	}
	*out = l.socks;
	*n = l.n;
	return ret;
}

struct find {
	const struct pkl_addr *local, *peer;
	uint16_t local_port, peer_port;
	struct pkl_sock *out;
	size_t max, n;
};

static int
find_match(const struct pkl_sock *s, void *data)
{
	struct find *fd = data;

	if (s->local_port == fd->local_port && s->peer_port == fd->peer_port &&
	    pkl_addr_equal(&s->local, fd->local) && pkl_addr_equal(&s->peer, fd->peer)) {
		if (fd->n < fd->max)
			fd->out[fd->n] = *s;
		fd->n++;
	}
	return 0;
}

int
pkl_sockdiag_find(enum pkl_sock_proto proto, const struct pkl_addr *local, uint16_t local_port,
		  const struct pkl_addr *peer, uint16_t peer_port, struct pkl_sock *out,
		  size_t max, size_t *n, char errbuf[PKL_ERRBUF_SIZE])
{
	struct pkl_sockdiag_filter f = {
		.tcp = proto == PKL_SOCK_TCP, .udp = proto == PKL_SOCK_UDP,
		.family = local->family, .port = local_port,
	};
	struct find fd = { local, peer, local_port, peer_port, out, max, 0 };
	int ret = pkl_sockdiag_dump(&f, find_match, &fd, errbuf);

	*n = fd.n;
	return ret;
}
