#include "tcp_state.h"

const char *
pkl_tcp_state_name(enum pkl_tcp_state s)
{
	static const char *const names[PKL_TCPS_COUNT] = {
		[PKL_TCPS_UNKNOWN] = "?", [PKL_TCPS_CLOSED] = "CLOSED",
		[PKL_TCPS_LISTEN] = "LISTEN", [PKL_TCPS_SYN_SENT] = "SYN_SENT",
		[PKL_TCPS_SYN_RECEIVED] = "SYN_RECEIVED", [PKL_TCPS_ESTABLISHED] = "ESTABLISHED",
		[PKL_TCPS_FIN_WAIT_1] = "FIN_WAIT_1", [PKL_TCPS_FIN_WAIT_2] = "FIN_WAIT_2",
		[PKL_TCPS_CLOSE_WAIT] = "CLOSE_WAIT", [PKL_TCPS_CLOSING] = "CLOSING",
		[PKL_TCPS_LAST_ACK] = "LAST_ACK", [PKL_TCPS_TIME_WAIT] = "TIME_WAIT",
		[PKL_TCPS_LISTEN_UNKNOWN] = "LISTEN?",
	};
	return (unsigned)s < PKL_TCPS_COUNT ? names[s] : "?";
}

const char *
pkl_conn_close_name(enum pkl_conn_close c)
{
	static const char *const names[] = {
		[PKL_CLOSE_OPEN] = "open", [PKL_CLOSE_CLIENT_FIRST] = "client-first",
		[PKL_CLOSE_SERVER_FIRST] = "server-first", [PKL_CLOSE_SIMULTANEOUS] = "simultaneous",
		[PKL_CLOSE_RESET_BY_CLIENT] = "reset-by-client",
		[PKL_CLOSE_RESET_BY_SERVER] = "reset-by-server",
		[PKL_CLOSE_NEVER_ESTABLISHED] = "never-established",
	};
	return names[c];
}
