/* Transmission Control Protocol, RFC 9293. */
#ifndef PKL_DISSECT_TCP_H
#define PKL_DISSECT_TCP_H

#include "../src/packet.h"

/* Option kinds (IANA TCP parameters). */
enum {
	PKL_TCPOPT_EOL = 0,
	PKL_TCPOPT_NOP = 1,
	PKL_TCPOPT_MSS = 2,
	PKL_TCPOPT_WSCALE = 3,
	PKL_TCPOPT_SACK_PERM = 4,
	PKL_TCPOPT_SACK = 5,
	PKL_TCPOPT_TIMESTAMP = 8,
	PKL_TCPOPT_MD5 = 19,
	PKL_TCPOPT_USER_TIMEOUT = 28,
	PKL_TCPOPT_AUTH = 29,
	PKL_TCPOPT_MPTCP = 30,
	PKL_TCPOPT_FASTOPEN = 34,
};

/* The largest window scale shift (RFC 7323 2.3): a larger one is used as 14. */
#define PKL_TCP_MAX_WSCALE 14

enum pkl_proto pkl_tcp_decode(struct pkl_packet *pkt, struct pkl_layer *l);

/* "MSS", "WS", "SACK_PERM", ... for an option kind, or NULL. */
const char *pkl_tcp_option_name(uint8_t kind);

#endif
