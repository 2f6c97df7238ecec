/* Raw IP link types (LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6). */
#ifndef PKL_DISSECT_RAWIP_H
#define PKL_DISSECT_RAWIP_H

#include "../src/packet.h"

enum pkl_proto pkl_rawip_decode(struct pkl_packet *pkt, struct pkl_layer *l);

#endif
