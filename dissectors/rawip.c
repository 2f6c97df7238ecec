/* Raw IP: no link header at all; the version nibble of the first byte
 * says which IP follows.  The layer is zero bytes long and exists only to
 * make that choice visible. */
#include "rawip.h"

enum pkl_proto
pkl_rawip_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	pkl_layer_set_payload(l, 0, l->len);
	l->flags |= PKL_LAYER_HEADER;   /* it has no fields to miss */
	if (l->caplen < 1)
		return pkl_stop(pkt, l, PKL_EV_IP_TRUNC, 0, 0);
	switch (l->data[0] >> 4) {
	case 4:
		return PKL_PROTO_IPV4;
	case 6:
		return PKL_PROTO_IPV6;
	default:
		return pkl_stop(pkt, l, PKL_EV_IP_VERSION_UNKNOWN, l->data[0] >> 4, 0);
	}
}
