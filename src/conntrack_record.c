/* The record a conversation leaves the table with, from its entry: the
 * facts the views tell, under their own names, worked out once here
 * (a handshake seen whole, the FINs in frame order, who holds TIME_WAIT,
 * the requests never answered) so that no view needs the entry. */
#include "conntrack_entry.h"

#include <string.h>

_Static_assert(PKL_ECHO_LOST_KEPT + PKL_ECHO_PENDING <= PKL_ECHO_LOST_LISTED,
	       "a record lists every unanswered request an echo session keeps");

static uint32_t
at_most(uint32_t n, uint32_t max)
{
	return n < max ? n : max;
}

static void
side(struct pkl_conn_side *s, const struct pkl_conn *c, int e)
{
	memcpy(s->endpoint.addr, c->end[e].addr, sizeof s->endpoint.addr);
	s->endpoint.port = c->end[e].port;
	s->endpoint.family = c->family;
	s->frames = c->end[e].frames;
	s->bytes = c->end[e].bytes;
}

static void
tcp(struct pkl_tcp_record *t, const struct pkl_conn *c)
{
	/* Each end's first FIN, in frame order (0: none, not listed). */
	bool swap = c->fin_frames[0] > c->fin_frames[1];
	uint64_t first_fin = c->fin_frames[swap], second_fin = c->fin_frames[!swap];

	t->roles_inferred = c->roles_inferred;
	t->handshake_seen = c->handshake_frames[0] && c->handshake_frames[1] &&
			    c->handshake_frames[2];
	t->close = c->close;
	/* An ACK seen on its way to an end has reached it by now. */
	t->client_state = c->tcp[PKL_CLIENT].time_wait_pending ? PKL_TCPS_TIME_WAIT
							      : c->tcp[PKL_CLIENT].state;
	t->server_state = c->tcp[PKL_SERVER].time_wait_pending ? PKL_TCPS_TIME_WAIT
							      : c->tcp[PKL_SERVER].state;
	t->time_wait_held_by = (c->time_wait_until[PKL_CLIENT] ? PKL_ENDS_CLIENT : 0) |
			       (c->time_wait_until[PKL_SERVER] ? PKL_ENDS_SERVER : 0);
	t->close_wait_left_in = t->client_state == PKL_TCPS_CLOSE_WAIT ? PKL_ENDS_CLIENT
				: t->server_state == PKL_TCPS_CLOSE_WAIT ? PKL_ENDS_SERVER
				: PKL_ENDS_NONE;
	t->fins = (first_fin != 0) + (second_fin != 0);
	memcpy(t->handshake_frames, c->handshake_frames, sizeof t->handshake_frames);
	t->handshake_rtt_us = (c->ack_time_ns - c->syn_time_ns) / 1000;
	t->fin_frames[0] = first_fin ? first_fin : second_fin;
	t->fin_frames[1] = first_fin ? second_fin : 0;
	for (int e = 0; e < 2; e++)
		t->time_wait_until[e] = (struct pkl_time){ c->time_wait_until[e], c->last_nsec };
	t->retransmissions = c->retransmissions;
	t->dup_acks = c->dup_acks;
	t->out_of_order = c->out_of_order;
	t->zero_windows = c->zero_windows;
	t->zero_window_probes = c->zero_window_probes;
	t->keep_alives = c->keep_alives;
	t->capture_point = c->capture_point;
	t->coalesced = c->coalesced;
	t->ttl_changes = c->ttl_changes;
	t->first_coalesced = c->first_coalesced;
}

static void
echo(struct pkl_echo_record *r, const struct pkl_conn *c)
{
	const struct pkl_echo_session *e = &c->x.echo;
	unsigned listed;

	r->icmp_id = c->end[PKL_CLIENT].port;
	r->answered = e->answers != 0;
	r->requests = e->requests;
	r->replies = e->replies;
	r->duplicates = e->duplicates;
	r->unmatched = e->unmatched;
	r->rtt_min_us = e->rtt_min_ns / 1000;
	r->rtt_avg_us = e->answers ? e->rtt_sum_ns / e->answers / 1000 : 0;
	r->rtt_max_us = e->rtt_max_ns / 1000;
	r->lost = pkl_echo_lost(c, r->lost_requests, PKL_ECHO_LOST_LISTED, &listed);
	r->lost_listed = listed;
}

static void
arp(struct pkl_arp_record *r, const struct pkl_conn *c)
{
	const struct pkl_arp_exchange *x = &c->x.arp;

	r->kind = (uint8_t)x->kind;
	memcpy(r->asker_mac, x->asker_mac, sizeof r->asker_mac);
	r->answer_macs = x->n_answer_macs;
	memcpy(r->answer_mac, x->answer_mac, sizeof r->answer_mac);
	r->answered = x->reply_frame != 0;
	r->requests = x->requests;
	r->replies = x->replies;
	r->answer_frames[0] = x->answered_frame;
	r->answer_frames[1] = x->reply_frame;
	r->answer_us = x->answer_ns / 1000;
}

static void
binding(struct pkl_arp_binding_record *r, const struct pkl_conn *c)
{
	const struct pkl_arp_binding *b = &c->x.binding;

	r->macs = b->n_macs;
	r->other_claims = b->other_claims;
	for (unsigned i = 0; i < b->n_macs && i < PKL_ARP_CLAIMERS; i++) {
		const struct pkl_arp_claimer *m = &b->mac[i];
		struct pkl_arp_claim *claim = &r->claim[i];
		memcpy(claim->mac, m->mac, sizeof claim->mac);
		claim->claims = m->claims;
		claim->frames_listed = at_most(m->claims, PKL_ARP_CLAIM_FRAMES);
		memcpy(claim->frames, m->frames, sizeof claim->frames);
	}
}

void
pkl_conntrack_record(struct pkl_conn_record *r, const struct pkl_conn *c, enum pkl_conn_exit why)
{
	r->id = c->id;
	r->kind = c->kind;
	r->left = (uint8_t)why;
	r->first_frame = c->first_frame;
	r->last_frame = c->last_frame;
	r->first_time = (struct pkl_time){ c->first_sec, c->first_nsec };
	r->last_time = (struct pkl_time){ c->last_sec, c->last_nsec };
	r->icmp_error_count = c->icmp_errors;
	r->icmp_errors_listed = at_most(c->icmp_errors, PKL_CONN_ICMP_ERRORS);
	side(&r->client, c, PKL_CLIENT);
	side(&r->server, c, PKL_SERVER);
	for (unsigned i = 0; i < r->icmp_errors_listed; i++)
		r->icmp_error[i] = c->icmp_error[i];
	switch ((enum pkl_conn_kind)c->kind) {
	case PKL_KIND_TCP:
		tcp(&r->tcp, c);
		break;
	case PKL_KIND_ECHO:
		echo(&r->echo, c);
		break;
	case PKL_KIND_ARP:
		arp(&r->arp, c);
		break;
	case PKL_KIND_ARP_BINDING:
		binding(&r->binding, c);
		break;
	case PKL_KIND_UDP:
	case PKL_KIND_COUNT:
		break;
	}
}
