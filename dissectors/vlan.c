/* IEEE 802.1Q VLAN tags and 802.1ad (QinQ) service tags.
 *
 * A tag is its own layer: the outer Ethernet header (or the previous tag)
 * gave its TPID, this layer holds the TCI and the inner EtherType. */
#include "vlan.h"

#include "../src/bytes.h"
#include "eth.h"

#define VLAN_TAG_LEN 4

enum pkl_proto
pkl_vlan_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_vlan *v = &l->hdr.vlan;
	const struct pkl_layer *below = pkl_layer_below(pkt, l);

	if (below && below->proto == PKL_PROTO_ETH)
		v->tpid = below->hdr.eth.type;
	else if (below && below->proto == PKL_PROTO_VLAN)
		v->tpid = below->hdr.vlan.type;
	else if (below && (below->proto == PKL_PROTO_SLL || below->proto == PKL_PROTO_SLL2))
		v->tpid = below->hdr.sll.protocol;

	if (!pkl_need(pkt, l, VLAN_TAG_LEN, PKL_EV_VLAN_TRUNC))
		return PKL_PROTO_NONE;
	uint16_t tci = pkl_be16(l->data);
	v->pcp = (uint8_t)(tci >> 13);
	v->dei = (tci >> 12) & 1;
	v->vid = tci & 0x0fff;
	v->type = pkl_be16(l->data + 2);
	l->flags |= PKL_LAYER_HEADER;
	pkl_layer_set_payload(l, VLAN_TAG_LEN, l->len);

	if (v->vid == 0)
		pkl_event(pkt, l, PKL_EV_VLAN_ZERO_VID, 0, 0);
	else if (v->vid == 0xfff)
		pkl_event(pkt, l, PKL_EV_VLAN_RESERVED_VID, 0, 0);

	enum pkl_proto next = pkl_ethertype_proto(v->type);
	if (next == PKL_PROTO_UNKNOWN)
		pkl_event(pkt, l, PKL_EV_ETH_UNKNOWN_TYPE, v->type, l->payload_len);
	return next;
}
