/* IEEE 802.1Q VLAN tags and 802.1ad (QinQ) service tags. */
#ifndef PKL_DISSECT_VLAN_H
#define PKL_DISSECT_VLAN_H

#include "../src/packet.h"

enum pkl_proto pkl_vlan_decode(struct pkl_packet *pkt, struct pkl_layer *l);

#endif
