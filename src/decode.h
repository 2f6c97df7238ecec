/* The decode stage: one frame in, one layered packet out. */
#ifndef PKL_DECODE_H
#define PKL_DECODE_H

#include "packet.h"

/* Decode a frame into pkt (reset first).  Never fails: what cannot be
 * decoded is recorded as events on the packet.  The packet points into
 * frame->bytes, which must outlive it. */
void pkl_decode(struct pkl_packet *pkt, const struct pkl_frame *frame);

/* The protocol a libpcap link type (DLT_) starts with, or PKL_PROTO_UNKNOWN. */
enum pkl_proto pkl_decode_link_proto(int linktype);

/* A short lowercase name per protocol ("eth", "ip", "tcp"): the names of
 * the JSON "layers" array and the statistics tree, as Wireshark's
 * frame.protocols spells them. */
const char *pkl_proto_name(enum pkl_proto proto);

#endif
