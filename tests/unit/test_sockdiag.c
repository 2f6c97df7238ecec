/* The kernel's socket table (src/sockdiag.h) over this process's own
 * loopback sockets: a listener with its backlog, both ends of a
 * connection, the TIME_WAIT of the end that closed first with its
 * timer, an unconnected UDP socket, the filters, and a lookup that
 * finds nothing.  tests/net/sockets.sh compares the whole table with
 * ss. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../src/sockdiag.h"

static char errbuf[PKL_ERRBUF_SIZE];
static struct pkl_addr loopback, any;

static uint16_t
port_of(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;

	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	return ntohs(sin.sin_port);
}

static int
bound(int type)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, type, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	return fd;
}

static int
connected_to(uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	return fd;
}

/* The one socket of the pair; fails unless there is exactly one. */
static struct pkl_sock
one(enum pkl_sock_proto proto, const struct pkl_addr *local, uint16_t lport,
    const struct pkl_addr *peer, uint16_t pport)
{
	struct pkl_sock s[2];
	size_t n;

	assert_int_equal(pkl_sockdiag_find(proto, local, lport, peer, pport, s, 2, &n, errbuf), 0);
	assert_int_equal(n, 1);
	return s[0];
}

/* The socket once it reaches want: a FIN's acknowledgment may wait for
 * the delayed-ACK timer (40 ms); gives up after a second. */
static struct pkl_sock
settled(const struct pkl_addr *local, uint16_t lport, const struct pkl_addr *peer,
	uint16_t pport, enum pkl_tcp_state want)
{
	struct pkl_sock s = { 0 };

	for (int tries = 0; tries < 100; tries++) {
		s = one(PKL_SOCK_TCP, local, lport, peer, pport);
		if (s.state == want)
			break;
		usleep(10000);
	}
	assert_string_equal(pkl_tcp_state_name(s.state), pkl_tcp_state_name(want));
	return s;
}

static void
test_tcp_life(void **state)
{
	(void)state;
	int l = bound(SOCK_STREAM);
	assert_int_equal(listen(l, 7), 0);
	uint16_t lport = port_of(l);

	struct pkl_sock s = one(PKL_SOCK_TCP, &loopback, lport, &any, 0);
	assert_int_equal(s.state, PKL_TCPS_LISTEN);
	assert_string_equal(pkl_sockdiag_state_name(&s), "LISTEN");
	assert_int_equal(s.send_q, 7);          /* the backlog */
	assert_int_equal(s.recv_q, 0);

	int c = connected_to(lport);
	uint16_t cport = port_of(c);
	s = one(PKL_SOCK_TCP, &loopback, lport, &any, 0);
	assert_int_equal(s.recv_q, 1);          /* one connection waits for accept() */
	int a = accept(l, NULL, NULL);
	assert_true(a >= 0);
	assert_int_equal(write(c, "hello", 5), 5);

	s = settled(&loopback, cport, &loopback, lport, PKL_TCPS_ESTABLISHED);
	assert_int_equal(s.proto, PKL_SOCK_TCP);
	assert_true(s.inode != 0);
	assert_int_equal(s.uid, getuid());
	s = settled(&loopback, lport, &loopback, cport, PKL_TCPS_ESTABLISHED);
	assert_int_equal(s.recv_q, 5);          /* unread */
	char buf[5];
	assert_int_equal(read(a, buf, sizeof buf), 5);   /* else close(a) would send a RST */

	/* The client closes first: it holds TIME_WAIT, 60 s. */
	close(c);
	settled(&loopback, lport, &loopback, cport, PKL_TCPS_CLOSE_WAIT);
	settled(&loopback, cport, &loopback, lport, PKL_TCPS_FIN_WAIT_2);
	close(a);
	s = settled(&loopback, cport, &loopback, lport, PKL_TCPS_TIME_WAIT);
	assert_string_equal(pkl_sockdiag_state_name(&s), "TIME_WAIT");
	assert_int_equal(s.timer, PKL_SOCK_TIMER_TIMEWAIT);
	assert_string_equal(pkl_sockdiag_timer_name(s.timer), "timewait");
	assert_true(s.timer_ms > 55000 && s.timer_ms <= 60000);
	assert_int_equal(s.inode, 0);

	/* The filters: by port, by state, by protocol. */
	struct pkl_sock *list;
	size_t n;
	struct pkl_sockdiag_filter f = { .port = cport };
	assert_int_equal(pkl_sockdiag_list(&f, &list, &n, errbuf), 0);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].local_port, cport);
	free(list);
	f = (struct pkl_sockdiag_filter){ .port = lport,
					  .states = PKL_SOCKDIAG_STATE(PKL_TCPS_LISTEN) };
	assert_int_equal(pkl_sockdiag_list(&f, &list, &n, errbuf), 0);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].state, PKL_TCPS_LISTEN);
	free(list);
	f = (struct pkl_sockdiag_filter){ .port = lport, .udp = true };
	assert_int_equal(pkl_sockdiag_list(&f, &list, &n, errbuf), 0);
	assert_int_equal(n, 0);
	assert_null(list);
	close(l);
}

static void
test_udp(void **state)
{
	(void)state;
	int u = bound(SOCK_DGRAM);
	uint16_t port = port_of(u);

	struct pkl_sock s = one(PKL_SOCK_UDP, &loopback, port, &any, 0);
	assert_int_equal(s.state, PKL_TCPS_CLOSED);
	assert_string_equal(pkl_sockdiag_state_name(&s), "UNCONN");
	assert_string_equal(pkl_sockdiag_proto_name(s.proto), "udp");
	assert_int_equal(s.timer, PKL_SOCK_TIMER_NONE);
	assert_int_equal(s.timer_ms, 0);
	close(u);

	size_t n = 1;
	assert_int_equal(pkl_sockdiag_find(PKL_SOCK_UDP, &loopback, port, &any, 0, &s, 1, &n,
					   errbuf), 0);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_life),
		cmocka_unit_test(test_udp),
	};
	pkl_addr_parse("127.0.0.1", &loopback);
	pkl_addr_parse("0.0.0.0", &any);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
