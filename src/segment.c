#include "segment.h"

#include "tcp_analysis.h"

/* The IP layer right under the TCP one, or NULL. */
static const struct pkl_layer *
ip_under(const struct pkl_packet *pkt, unsigned tcp)
{
	if (tcp == 0)
		return NULL;
	const struct pkl_layer *l = &pkt->layers[tcp - 1];
	return l->proto == PKL_PROTO_IPV4 || l->proto == PKL_PROTO_IPV6 ? l : NULL;
}

bool
pkl_segment_of(const struct pkl_packet *pkt, const struct pkl_notes *notes,
	       struct pkl_segment *seg)
{
	const struct pkl_conn_snapshot *c = &notes->conn;
	unsigned i;

	if (!c->valid)
		return false;
	for (i = 0; i < pkt->n_layers; i++)
		if (pkt->layers[i].proto == PKL_PROTO_TCP &&
		    !(pkt->layers[i].flags & PKL_LAYER_QUOTED))
			break;
	const struct pkl_layer *l = i < pkt->n_layers ? &pkt->layers[i] : NULL;
	const struct pkl_layer *ip = l ? ip_under(pkt, i) : NULL;
	if (!ip || !(l->flags & PKL_LAYER_HEADER))
		return false;
	const struct pkl_tcp *t = &l->hdr.tcp;

	seg->conn = c->id;
	seg->sender = c->sender;
	if (ip->proto == PKL_PROTO_IPV4) {
		seg->family = 4;
		seg->src = ip->hdr.ipv4.src;
		seg->dst = ip->hdr.ipv4.dst;
	} else {
		seg->family = 6;
		seg->src = ip->hdr.ipv6.src;
		seg->dst = ip->hdr.ipv6.dst;
	}
	seg->sport = t->sport;
	seg->dport = t->dport;
	seg->flags = t->flags;
	seg->rel_seq = c->rel_seq;
	seg->rel_ack = c->rel_ack;
	seg->len = t->payload_len;
	/* What was captured of the payload: the layer's bytes past its
	 * header, never more than the segment carries. */
	uint32_t after = l->caplen > l->hdr_len ? l->caplen - l->hdr_len : 0;
	seg->captured = after < seg->len ? after : seg->len;
	seg->payload = l->data + l->hdr_len;
	seg->window = c->analysis.window_size;
	seg->analysis = c->analysis.flags;
	/* SACK blocks count in the receiver's numbers: the acknowledged
	 * end's, whose first is the raw ACK less the relative one. */
	seg->n_sack = 0;
	if (t->flags & PKL_TCP_ACK) {
		uint32_t base = t->ack - c->rel_ack;
		for (unsigned k = 0; k < t->n_sack && k < PKL_TCP_MAX_SACK; k++) {
			seg->sack_left[seg->n_sack] = t->sack_left[k] - base;
			seg->sack_right[seg->n_sack] = t->sack_right[k] - base;
			seg->n_sack++;
		}
	}
	return true;
}
