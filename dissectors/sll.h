/* Linux cooked captures: SLL (LINKTYPE_LINUX_SLL) and SLL2 (LINKTYPE_LINUX_SLL2). */
#ifndef PKL_DISSECT_SLL_H
#define PKL_DISSECT_SLL_H

#include "../src/packet.h"

enum pkl_proto pkl_sll_decode(struct pkl_packet *pkt, struct pkl_layer *l);
enum pkl_proto pkl_sll2_decode(struct pkl_packet *pkt, struct pkl_layer *l);

/* "to us", "broadcast", ... for the packet type field. */
const char *pkl_sll_pkttype_name(uint16_t pkttype);

#endif
