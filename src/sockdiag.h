/* The kernel's own TCP and UDP sockets, IPv4 and IPv6, read as ss reads
 * them: inet_diag dumps over NETLINK_SOCK_DIAG (linux/inet_diag.h).
 * The kernel's states are mapped onto the tracker's, so that what the
 * kernel says and what pktlens infers from the frames are spelled alike
 * and compare with ==.
 *
 * No privilege is needed: the kernel lists every socket of the caller's
 * network namespace to anyone (only the owning processes are private,
 * and they are not read here). */
#ifndef PKL_SOCKDIAG_H
#define PKL_SOCKDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "craft/addr.h"
#include "tcp_state.h"

enum pkl_sock_proto { PKL_SOCK_TCP, PKL_SOCK_UDP };

/* "tcp", "udp". */
const char *pkl_sockdiag_proto_name(enum pkl_sock_proto p);

/* The timer running on a socket (inet_diag's idiag_timer), named as
 * ss -o names it. */
enum pkl_sock_timer {
	PKL_SOCK_TIMER_NONE,
	PKL_SOCK_TIMER_ON,          /* retransmission (of data, or of a SYN or SYN-ACK) */
	PKL_SOCK_TIMER_KEEPALIVE,
	PKL_SOCK_TIMER_TIMEWAIT,    /* the 2*MSL of TIME_WAIT (60 s on Linux) */
	PKL_SOCK_TIMER_PERSIST,     /* zero-window probes */
	PKL_SOCK_TIMER_COUNT
};

/* "" (none), "on", "keepalive", "timewait", "persist". */
const char *pkl_sockdiag_timer_name(enum pkl_sock_timer t);

/* One socket as the kernel reports it. */
struct pkl_sock {
	enum pkl_sock_proto proto;
	/* TCP: the kernel's state (a pending connection, TCP_NEW_SYN_RECV,
	 * is SYN_RECEIVED).  UDP: ESTABLISHED when connect()ed, else
	 * CLOSED (ss's UNCONN). */
	enum pkl_tcp_state state;
	struct pkl_addr local, peer;   /* the same family; peer unspecified, port 0: no peer */
	uint16_t local_port, peer_port;
	/* ss's Recv-Q and Send-Q: bytes not yet read by the application
	 * and bytes not yet acknowledged (UDP: bytes queued).  LISTEN:
	 * the accept queue's length and its limit (the backlog). */
	uint32_t recv_q, send_q;
	enum pkl_sock_timer timer;
	uint32_t timer_ms;             /* time left on the timer; 0 when none */
	uint32_t retransmits;          /* the timer's expirations so far (ss -o's third field) */
	uint32_t uid;                  /* the owner; 0 for TIME_WAIT and pending sockets */
	uint32_t inode;                /* 0 when no process holds it (TIME_WAIT, pending) */
	uint32_t ifindex;              /* the device it is bound to; 0: none */
};

/* The state as pktlens spells it: the tracker's name
 * (pkl_tcp_state_name), and "UNCONN" for an unconnected UDP socket,
 * as ss says. */
const char *pkl_sockdiag_state_name(const struct pkl_sock *s);

/* A state's bit in pkl_sockdiag_filter's states. */
#define PKL_SOCKDIAG_STATE(s) (1u << (s))

/* Which sockets.  A zeroed filter takes every socket. */
struct pkl_sockdiag_filter {
	bool tcp, udp;                 /* both false: both */
	int family;                    /* 4 or 6; 0: both */
	uint32_t states;               /* PKL_SOCKDIAG_STATE bits; 0: every state */
	uint16_t port;                 /* the local or the peer port; 0: any */
};

/* Hand every socket the filter takes to cb, TCP before UDP, IPv4
 * before IPv6, in the kernel's order within each; cb returns 0 to go
 * on, anything else to stop (no error).  Returns 0, or -1 with a
 * sentence in errbuf. */
int pkl_sockdiag_dump(const struct pkl_sockdiag_filter *f,
		      int (*cb)(const struct pkl_sock *s, void *data), void *data,
		      char errbuf[PKL_ERRBUF_SIZE]);

/* The same into an array the caller frees (NULL when there are none):
 * *out and *n.  Returns 0, or -1 with a sentence in errbuf. */
int pkl_sockdiag_list(const struct pkl_sockdiag_filter *f, struct pkl_sock **out, size_t *n,
		      char errbuf[PKL_ERRBUF_SIZE]);

/* The socket(s) of one end of a conversation: the given protocol with
 * exactly this local address and port and this peer address and port
 * (an unspecified peer and port 0 find a listener or an unconnected
 * UDP socket; an unspecified local address finds one bound to every
 * address).  Several can match: a TIME_WAIT socket and a new
 * connection of the same pair, say.  Up to max of them go to out,
 * their number to *n (which may exceed max).  What a demonstration
 * calls after each step to hear the kernel's word.  Returns 0 (*n 0:
 * the kernel has no such socket), or -1 with a sentence in errbuf. */
int pkl_sockdiag_find(enum pkl_sock_proto proto, const struct pkl_addr *local, uint16_t local_port,
		      const struct pkl_addr *peer, uint16_t peer_port, struct pkl_sock *out,
		      size_t max, size_t *n, char errbuf[PKL_ERRBUF_SIZE]);

#endif
