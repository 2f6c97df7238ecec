/* The system calls of the demonstrations, on IPv4 loopback: each is
 * made, then shown with its result and errno's name (`client:
 * connect(127.0.0.1:39001) -> 0`, a {"kind": "syscall"} record in
 * JSON), then the frames it caused (see pkl_demo_drain).  `who` names
 * the program making it ("client", "server"). Each returns what the
 * system call returned, errno kept. */
#ifndef PKL_DEMO_CALLS_H
#define PKL_DEMO_CALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "runner.h"

/* socket(AF_INET, type, 0): SOCK_STREAM or SOCK_DGRAM, or'd with
 * SOCK_NONBLOCK for a connect() that must not wait.  Every socket
 * made here times out a blocking call after a few seconds (not shown):
 * a demo that goes wrong stops with ETIMEDOUT or EAGAIN instead of
 * hanging. */
/* Show a call: "who: call(args) -> result [ERRNO] [detail]", or a
 * {"kind": "syscall"} record.  netns (JSON) and place (text, after who)
 * name where it ran, when not in the demo's own namespace; NULL: there. */
void pkl_demo_show_call(struct pkl_demo *d, const char *netns, const char *place, const char *who,
			const char *call, const char *args, long result, int err, const char *detail);
/* The TcpExt counters names[0..n) of /proc/net/netstat (a line of names,
 * then a line of values) in the calling thread's namespace, 0 for a name
 * the kernel does not have: how many it has, or -1 with a sentence. */
int pkl_demo_tcpext_read(const char *const names[], size_t n, unsigned long long value[],
			 char errbuf[PKL_ERRBUF_SIZE]);
int pkl_demo_socket(struct pkl_demo *d, const char *who, int type);
/* setsockopt of an int option, name_text its name (SO_REUSEADDR). */
int pkl_demo_setsockopt(struct pkl_demo *d, const char *who, int fd, int level, int name,
			const char *name_text, int value);
int pkl_demo_linger(struct pkl_demo *d, const char *who, int fd, int on, int seconds);
int pkl_demo_bind(struct pkl_demo *d, const char *who, int fd, uint16_t port);
int pkl_demo_listen(struct pkl_demo *d, const char *who, int fd, int backlog);
int pkl_demo_connect(struct pkl_demo *d, const char *who, int fd, uint16_t port);
/* The new socket is the demo's to close, as the others. */
int pkl_demo_accept(struct pkl_demo *d, const char *who, int fd);
ssize_t pkl_demo_send(struct pkl_demo *d, const char *who, int fd, const void *buf, size_t len);
ssize_t pkl_demo_recv(struct pkl_demo *d, const char *who, int fd, void *buf, size_t len);
ssize_t pkl_demo_sendto(struct pkl_demo *d, const char *who, int fd, const void *buf, size_t len,
			uint16_t port);
ssize_t pkl_demo_recvfrom(struct pkl_demo *d, const char *who, int fd, void *buf, size_t len);
int pkl_demo_shutdown(struct pkl_demo *d, const char *who, int fd, int how);
int pkl_demo_close(struct pkl_demo *d, const char *who, int fd);
/* Close every socket still open, unshown: the end of a demo that
 * stopped early, so that nothing is left behind. */
void pkl_demo_close_all(struct pkl_demo *d);

/* A connection of the demo's own: the server's socket(), SO_REUSEADDR
 * when asked, bind() to port, listen(); the client's socket() and
 * connect(); the server's accept().  Returns 0, or -1 when a call
 * failed (the demo stops: pkl_demo_fail said which). */
struct pkl_demo_pair {
	int listener, client, server;
};
int pkl_demo_open_pair(struct pkl_demo *d, uint16_t port, bool reuseaddr,
		       struct pkl_demo_pair *p);

/* The local port a socket was bound to, by the kernel or by bind(). */
uint16_t pkl_demo_local_port(int fd);

#endif
