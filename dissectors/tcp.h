/* Transmission Control Protocol, RFC 9293. */
#ifndef PKL_DISSECT_TCP_H
#define PKL_DISSECT_TCP_H

#include "../src/packet.h"

enum pkl_proto pkl_tcp_decode(struct pkl_packet *pkt, struct pkl_layer *l);

/* "MSS", "WS", "SACK_PERM", ... for an option kind, or NULL. */
const char *pkl_tcp_option_name(uint8_t kind);

#endif
