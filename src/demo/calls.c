/* strerrorname_np (glibc 2.32) names errno as the man pages do. */
#define _GNU_SOURCE
#include "calls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "../json.h"

/* How long a blocking call waits before it gives up (SO_RCVTIMEO,
 * SO_SNDTIMEO): longer than any step needs on loopback. */
#define CALL_TIMEOUT_S 3

void
pkl_demo_show_call(struct pkl_demo *d, const char *netns, const char *place, const char *who,
		   const char *call, const char *args, long result, int err, const char *detail)
{
	const char *errname = result < 0 ? strerrorname_np(err) : NULL;

	if (result < 0 && !errname)
		errname = "unknown errno";
	if (d->json) {
		struct pkl_json j;
		pkl_demo_json_open(d, &j, "syscall");
		if (netns) {
			PKL_JSON_KEY(&j, "netns");
			pkl_json_name(&j, netns);
		}
		PKL_JSON_KEY(&j, "who");
		pkl_json_string(&j, who);
		PKL_JSON_KEY(&j, "call");
		pkl_json_name(&j, call);
		PKL_JSON_KEY(&j, "args");
		pkl_json_string(&j, args);
		PKL_JSON_KEY(&j, "result");
		pkl_json_i64(&j, result);
		PKL_JSON_KEY(&j, "errno");
		if (errname)
			pkl_json_string(&j, errname);
		else
			pkl_json_null(&j);
		if (detail) {
			PKL_JSON_KEY(&j, "detail");
			pkl_json_string(&j, detail);
		}
		pkl_demo_json_close(d, &j);
	} else {
		if (place)
			pkl_out_printf(&d->out, "%s (%s): ", who, place);
		else
			pkl_out_printf(&d->out, "%s: ", who);
		pkl_out_printf(&d->out, "%s(%s) -> %ld", call, args, result);
		if (errname)
			pkl_out_printf(&d->out, " %s (%s)", errname, strerror(err));
		if (detail)
			pkl_out_printf(&d->out, "  %s", detail);
		pkl_out_char(&d->out, '\n');
	}
	pkl_demo_drain(d);
	errno = err;
}

int
pkl_demo_tcpext_read(const char *const names[], size_t n, unsigned long long value[],
		     char errbuf[PKL_ERRBUF_SIZE])
{
	char line_names[8192], line_values[8192];
	FILE *f = fopen("/proc/net/netstat", "r");
	int found = 0;

	for (size_t i = 0; i < n; i++)
		value[i] = 0;
	if (!f) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot read /proc/net/netstat: %s", strerror(errno));
		return -1;
	}
	while (fgets(line_names, sizeof line_names, f) && fgets(line_values, sizeof line_values, f)) {
		if (strncmp(line_names, "TcpExt:", 7) != 0)
			continue;
		char *ns, *vs;
		char *name = strtok_r(line_names + 7, " \n", &ns);
		char *val = strtok_r(line_values + 7, " \n", &vs);
		for (; name && val; name = strtok_r(NULL, " \n", &ns), val = strtok_r(NULL, " \n", &vs))
			for (size_t i = 0; i < n; i++)
				if (strcmp(name, names[i]) == 0) {
					value[i] = strtoull(val, NULL, 10);
					found++;
				}
		break;
	}
	fclose(f);
	return found;
}

/* A call on loopback, in the demo's own namespace. */
static void
show(struct pkl_demo *d, const char *who, const char *call, const char *args, long result,
     int err, const char *detail)
{
	pkl_demo_show_call(d, NULL, NULL, who, call, args, result, err, detail);
}

static struct sockaddr_in
loopback(uint16_t port)
{
	return (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(port),
				     .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
}

static void
remember(struct pkl_demo *d, int fd)
{
	if (fd >= 0 && d->nfds < PKL_DEMO_MAX_FDS)
		d->fd[d->nfds++] = fd;
}

int
pkl_demo_socket(struct pkl_demo *d, const char *who, int type)
{
	int fd = socket(AF_INET, type, 0);
	int err = errno;
	char args[64];

	if (fd >= 0) {
		struct timeval tv = { .tv_sec = CALL_TIMEOUT_S };
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		remember(d, fd);
	}
	snprintf(args, sizeof args, "AF_INET, %s%s",
		 (type & ~SOCK_NONBLOCK) == SOCK_STREAM ? "SOCK_STREAM" : "SOCK_DGRAM",
		 type & SOCK_NONBLOCK ? " | SOCK_NONBLOCK" : "");
	show(d, who, "socket", args, fd, err, NULL);
	return fd;
}

int
pkl_demo_setsockopt(struct pkl_demo *d, const char *who, int fd, int level, int name,
		    const char *name_text, int value)
{
	char args[96];
	int rc = setsockopt(fd, level, name, &value, sizeof value);

	snprintf(args, sizeof args, "%d, %s, %s, %d", fd,
		 level == SOL_SOCKET ? "SOL_SOCKET" : "IPPROTO_TCP", name_text, value);
	show(d, who, "setsockopt", args, rc, errno, NULL);
	return rc;
}

int
pkl_demo_linger(struct pkl_demo *d, const char *who, int fd, int on, int seconds)
{
	char args[96];
	struct linger l = { .l_onoff = on, .l_linger = seconds };
	int rc = setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);

	snprintf(args, sizeof args, "%d, SOL_SOCKET, SO_LINGER, {on %d, %d s}", fd, on, seconds);
	show(d, who, "setsockopt", args, rc, errno, NULL);
	return rc;
}

int
pkl_demo_bind(struct pkl_demo *d, const char *who, int fd, uint16_t port)
{
	char args[64];
	struct sockaddr_in a = loopback(port);
	int rc = bind(fd, (struct sockaddr *)&a, sizeof a);

	snprintf(args, sizeof args, "%d, 127.0.0.1:%u", fd, port);
	show(d, who, "bind", args, rc, errno, NULL);
	return rc;
}

int
pkl_demo_listen(struct pkl_demo *d, const char *who, int fd, int backlog)
{
	char args[32];
	int rc = listen(fd, backlog);

	snprintf(args, sizeof args, "%d, %d", fd, backlog);
	show(d, who, "listen", args, rc, errno, NULL);
	return rc;
}

int
pkl_demo_connect(struct pkl_demo *d, const char *who, int fd, uint16_t port)
{
	char args[64], detail[48];
	struct sockaddr_in a = loopback(port);
	int rc = connect(fd, (struct sockaddr *)&a, sizeof a);
	int err = errno;
	uint16_t from = pkl_demo_local_port(fd);   /* the port connect() chose */

	snprintf(args, sizeof args, "%d, 127.0.0.1:%u", fd, port);
	snprintf(detail, sizeof detail, "from 127.0.0.1:%u", from);
	show(d, who, "connect", args, rc, err, from ? detail : NULL);
	return rc;
}

int
pkl_demo_accept(struct pkl_demo *d, const char *who, int fd)
{
	char args[16], detail[48];
	struct sockaddr_in peer;
	socklen_t len = sizeof peer;
	int rc = accept(fd, (struct sockaddr *)&peer, &len);
	int err = errno;

	remember(d, rc);
	snprintf(args, sizeof args, "%d", fd);
	if (rc >= 0)
		snprintf(detail, sizeof detail, "peer 127.0.0.1:%u", ntohs(peer.sin_port));
	show(d, who, "accept", args, rc, err, rc >= 0 ? detail : NULL);
	return rc;
}

/* Up to 40 bytes of data, quoted, the unprintable as '.'. */
static void
quote(char *buf, size_t size, const void *data, ssize_t len)
{
	const unsigned char *p = data;
	size_t n = 0;
	ssize_t shown = len < 40 ? len : 40;

	buf[n++] = '"';
	for (ssize_t i = 0; i < shown && n + 6 < size; i++)
		buf[n++] = p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' ? (char)p[i] : '.';
	snprintf(buf + n, size - n, "\"%s", shown < len ? "..." : "");
}

ssize_t
pkl_demo_send(struct pkl_demo *d, const char *who, int fd, const void *buf, size_t len)
{
	char args[80];
	ssize_t rc = send(fd, buf, len, MSG_NOSIGNAL);
	int err = errno;

	snprintf(args, sizeof args, "%d, %zu bytes", fd, len);
	show(d, who, "send", args, rc, err, NULL);
	return rc;
}

ssize_t
pkl_demo_recv(struct pkl_demo *d, const char *who, int fd, void *buf, size_t len)
{
	char args[32], data[64];
	ssize_t rc = recv(fd, buf, len, 0);
	int err = errno;

	snprintf(args, sizeof args, "%d, %zu", fd, len);
	if (rc > 0)
		quote(data, sizeof data, buf, rc);
	show(d, who, "recv", args, rc, err, rc > 0 ? data : rc == 0 ? "end of stream" : NULL);
	return rc;
}

ssize_t
pkl_demo_sendto(struct pkl_demo *d, const char *who, int fd, const void *buf, size_t len,
		uint16_t port)
{
	char args[80];
	struct sockaddr_in a = loopback(port);
	ssize_t rc = sendto(fd, buf, len, 0, (struct sockaddr *)&a, sizeof a);
	int err = errno;

	snprintf(args, sizeof args, "%d, %zu bytes, 127.0.0.1:%u", fd, len, port);
	show(d, who, "sendto", args, rc, err, NULL);
	return rc;
}

ssize_t
pkl_demo_recvfrom(struct pkl_demo *d, const char *who, int fd, void *buf, size_t len)
{
	char args[32], detail[48];
	struct sockaddr_in from;
	socklen_t alen = sizeof from;
	ssize_t rc = recvfrom(fd, buf, len, 0, (struct sockaddr *)&from, &alen);
	int err = errno;

	snprintf(args, sizeof args, "%d, %zu", fd, len);
	snprintf(detail, sizeof detail, "from 127.0.0.1:%u", ntohs(from.sin_port));
	show(d, who, "recvfrom", args, rc, err, rc >= 0 ? detail : NULL);
	return rc;
}

int
pkl_demo_shutdown(struct pkl_demo *d, const char *who, int fd, int how)
{
	char args[32];
	int rc = shutdown(fd, how);

	snprintf(args, sizeof args, "%d, %s", fd,
		 how == SHUT_WR ? "SHUT_WR" : how == SHUT_RD ? "SHUT_RD" : "SHUT_RDWR");
	show(d, who, "shutdown", args, rc, errno, NULL);
	return rc;
}

static void
forget(struct pkl_demo *d, int fd)
{
	for (unsigned i = 0; i < d->nfds; i++)
		if (d->fd[i] == fd) {
			d->fd[i] = d->fd[--d->nfds];
			return;
		}
}

int
pkl_demo_close(struct pkl_demo *d, const char *who, int fd)
{
	char args[16];
	int rc = close(fd);

	forget(d, fd);
	snprintf(args, sizeof args, "%d", fd);
	show(d, who, "close", args, rc, errno, NULL);
	return rc;
}

void
pkl_demo_close_all(struct pkl_demo *d)
{
	while (d->nfds > 0)
		close(d->fd[--d->nfds]);
}

int
pkl_demo_open_pair(struct pkl_demo *d, uint16_t port, bool reuseaddr, struct pkl_demo_pair *p)
{
	*p = (struct pkl_demo_pair){ -1, -1, -1 };
	if ((p->listener = pkl_demo_socket(d, "server", SOCK_STREAM)) < 0 ||
	    (reuseaddr && pkl_demo_setsockopt(d, "server", p->listener, SOL_SOCKET, SO_REUSEADDR,
					      "SO_REUSEADDR", 1) < 0) ||
	    pkl_demo_bind(d, "server", p->listener, port) < 0 ||
	    pkl_demo_listen(d, "server", p->listener, 8) < 0 ||
	    (p->client = pkl_demo_socket(d, "client", SOCK_STREAM)) < 0 ||
	    pkl_demo_connect(d, "client", p->client, port) < 0 ||
	    (p->server = pkl_demo_accept(d, "server", p->listener)) < 0)
		return pkl_demo_fail(d, "the connection could not be made: %s", strerror(errno));
	return 0;
}

uint16_t
pkl_demo_local_port(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;

	if (getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		return 0;
	return ntohs(a.sin_port);
}
