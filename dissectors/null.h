/* BSD loopback encapsulation (LINKTYPE_NULL and OpenBSD's LINKTYPE_LOOP). */
#ifndef PKL_DISSECT_NULL_H
#define PKL_DISSECT_NULL_H

#include "../src/packet.h"

enum pkl_proto pkl_null_decode(struct pkl_packet *pkt, struct pkl_layer *l);

#endif
