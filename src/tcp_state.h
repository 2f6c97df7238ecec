/* The states of a TCP end (RFC 9293 section 3.3.2) and the ways a
 * connection ends, with their names: what the tracker infers and every
 * view and sentence names, kept apart from the tracker so that the
 * decode stage's sentences link without it. */
#ifndef PKL_TCP_STATE_H
#define PKL_TCP_STATE_H

enum pkl_tcp_state {
	PKL_TCPS_UNKNOWN,      /* the capture began after this end's last transition */
	PKL_TCPS_CLOSED,
	PKL_TCPS_LISTEN,
	PKL_TCPS_SYN_SENT,
	PKL_TCPS_SYN_RECEIVED,
	PKL_TCPS_ESTABLISHED,
	PKL_TCPS_FIN_WAIT_1,
	PKL_TCPS_FIN_WAIT_2,
	PKL_TCPS_CLOSE_WAIT,
	PKL_TCPS_CLOSING,
	PKL_TCPS_LAST_ACK,
	PKL_TCPS_TIME_WAIT,
	PKL_TCPS_LISTEN_UNKNOWN, /* a SYN came, no answer yet: LISTEN, or no socket at all (CLOSED) */
	PKL_TCPS_COUNT
};

const char *pkl_tcp_state_name(enum pkl_tcp_state s);

enum pkl_conn_close {
	PKL_CLOSE_OPEN,             /* still open at the end of the capture */
	PKL_CLOSE_CLIENT_FIRST,
	PKL_CLOSE_SERVER_FIRST,
	PKL_CLOSE_SIMULTANEOUS,
	PKL_CLOSE_RESET_BY_CLIENT,
	PKL_CLOSE_RESET_BY_SERVER,
	PKL_CLOSE_NEVER_ESTABLISHED,
};

const char *pkl_conn_close_name(enum pkl_conn_close c);

#endif
