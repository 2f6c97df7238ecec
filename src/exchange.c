/* Exchanges: UDP flows, ICMP echo sessions, ARP exchanges and the MACs
 * that claim each address, and ICMP errors tied to the conversation they
 * quote.  They live in the connection tracker's table as entries of
 * their own kind, under its cap and idle timeout.  Reads only decoded
 * fields, never bytes. */
#include "exchange.h"

#include <string.h>

#include "../dissectors/arp.h"
#include "../dissectors/icmp.h"
#include "../dissectors/icmpv6.h"
#include "bytes.h"
#include "conntrack_entry.h"

/* A reply within a second of a request answers it: Linux and the BSDs
 * ask again after a second (three times, then give up), so a later
 * reply meets a newer request, or none. */
#define ARP_ANSWER_WINDOW_NS 1000000000u

/* Of an MTU, the IPv4 and TCP headers take 40 bytes; IPv6 and TCP, 60. */
#define TCP_IPV4_OVERHEAD 40
#define TCP_IPV6_OVERHEAD 60


static uint64_t
us_between(uint64_t from_ns, uint64_t to_ns)
{
	/* Timestamps that go backwards give no time at all. */
	return to_ns > from_ns ? (to_ns - from_ns) / 1000 : 0;
}

/* Find the entry for k, or make it; a new one starts with this frame. */
static struct pkl_conn *
find_or_insert(struct pkl_conntrack *ct, const struct pkl_conn_key *k,
	       const struct pkl_frame *f, int *sender)
{
	struct pkl_conn *c = pkl_conntrack_find(ct, k, sender);

	if (c) {
		pkl_conntrack_seen(ct, c, f);
		return c;
	}
	*sender = 0;
	return pkl_conntrack_insert(ct, k, f);
}

/* ---- ARP ---------------------------------------------------------------- */

/* The ends of an ARP exchange are the asker and the target (the
 * addresses, not the ports: ARP has none). */
static struct pkl_conn_key
arp_key(enum pkl_conn_kind kind, const uint8_t *asker, const uint8_t *target)
{
	return (struct pkl_conn_key){ kind, 4, asker, target, 0, 0 };
}

/* The sender of an ARP message claims its address: remember which MACs
 * did, and find a conflict when another one did before.  The first MAC
 * seen claiming it is the holder: a claim by another is the newcomer's,
 * and the holder claiming it again after one defends it. */
static void
arp_claim(struct pkl_conntrack *ct, const struct pkl_frame *f, const struct pkl_arp *a,
	  struct pkl_findings *found)
{
	const struct pkl_conn_key k = arp_key(PKL_KIND_ARP_BINDING, a->spa, a->spa);
	int s;
	struct pkl_conn *c = find_or_insert(ct, &k, f, &s);
	struct pkl_arp_binding *b = &c->x.binding;
	struct pkl_arp_claimer *mine = NULL, *newest_other = NULL;

	for (unsigned i = 0; i < b->n_macs; i++) {
		struct pkl_arp_claimer *m = &b->mac[i];
		if (memcmp(m->mac, a->sha, 6) == 0)
			mine = m;
		else if (!newest_other || m->last_frame > newest_other->last_frame)
			newest_other = m;
	}
	if (!mine && b->n_macs < PKL_ARP_CLAIMERS) {
		mine = &b->mac[b->n_macs++];
		memcpy(mine->mac, a->sha, 6);
		/* The second MAC makes a conflict: a record among the ARP ones. */
		if (b->n_macs == 2)
			c->id = pkl_conntrack_next_id(ct, PKL_KIND_ARP);
	}
	if (mine) {
		if (mine->claims < PKL_ARP_CLAIM_FRAMES)
			mine->frames[mine->claims] = f->number;
		mine->claims++;
		mine->last_frame = f->number;
	} else {
		b->other_claims++;
	}
	if (!newest_other)
		return;
	const struct pkl_arp_claimer *holder = &b->mac[0];
	found->arp_conflict = true;
	found->conflict_defended = mine == holder;
	if (found->conflict_defended) {
		memcpy(found->conflict_mac, newest_other->mac, 6);
		found->conflict_frame = newest_other->last_frame;
	} else {
		memcpy(found->conflict_mac, holder->mac, 6);
		found->conflict_frame = holder->frames[0];
	}
}

static void
arp_answer_mac(struct pkl_arp_exchange *x, const uint8_t mac[6])
{
	for (unsigned i = 0; i < x->n_answer_macs; i++)
		if (memcmp(x->answer_mac[i], mac, 6) == 0)
			return;
	if (x->n_answer_macs < PKL_ARP_ANSWER_MACS)
		memcpy(x->answer_mac[x->n_answer_macs++], mac, 6);
}

static struct pkl_conn *
arp_new(struct pkl_conntrack *ct, struct pkl_conn *old, const struct pkl_conn_key *k,
	const struct pkl_frame *f, enum pkl_arp_exchange_kind kind, const uint8_t asker_mac[6])
{
	if (old)
		pkl_conntrack_retire(ct, old);
	struct pkl_conn *c = pkl_conntrack_insert(ct, k, f);
	c->x.arp.kind = kind;
	memcpy(c->x.arp.asker_mac, asker_mac, 6);
	return c;
}

/* A request, probe or announcement: a new exchange, or the same one
 * asked again while unanswered. */
static void
arp_request(struct pkl_conntrack *ct, const struct pkl_frame *f, const struct pkl_arp *a,
	    enum pkl_arp_exchange_kind kind, struct pkl_findings *found)
{
	const struct pkl_conn_key k = arp_key(PKL_KIND_ARP, a->spa, a->tpa);
	int s;
	struct pkl_conn *c = pkl_conntrack_find(ct, &k, &s);
	struct pkl_arp_exchange *x = c ? &c->x.arp : NULL;

	if (x && x->kind == kind && (kind == PKL_ARPX_GRATUITOUS || x->replies == 0) &&
	    memcmp(x->asker_mac, a->sha, 6) == 0) {
		pkl_conntrack_seen(ct, c, f);
		if (kind == PKL_ARPX_REQUEST) {
			found->arp = PKL_ARP_FOUND_RETRY;
			found->arp_requests = x->requests + 1;
			found->arp_request_frame = c->first_frame;
		}
	} else {
		c = arp_new(ct, c, &k, f, kind, a->sha);
		x = &c->x.arp;
	}
	x->requests++;
	x->last_request_frame = f->number;
	x->last_request_ns = pkl_frame_ns(f);
}

static void
arp_reply(struct pkl_conntrack *ct, const struct pkl_frame *f, const struct pkl_arp *a,
	  struct pkl_findings *found)
{
	/* A reply goes from the target back to the asker. */
	const struct pkl_conn_key k = arp_key(PKL_KIND_ARP, a->tpa, a->spa);
	bool gratuitous = a->kind == PKL_ARP_GRATUITOUS;
	uint64_t now = pkl_frame_ns(f);
	int s;
	struct pkl_conn *c = pkl_conntrack_find(ct, &k, &s);
	struct pkl_arp_exchange *x = c ? &c->x.arp : NULL;
	bool asked = x && (x->kind == PKL_ARPX_REQUEST || x->kind == PKL_ARPX_PROBE) &&
		     memcmp(x->asker_mac, a->tha, 6) == 0 &&
		     now - x->last_request_ns <= ARP_ANSWER_WINDOW_NS;

	if (asked) {
		pkl_conntrack_seen(ct, c, f);
		uint64_t us = us_between(x->last_request_ns, now);
		if (!x->reply_frame) {
			x->answered_frame = x->last_request_frame;
			x->reply_frame = f->number;
			x->answer_ns = us * 1000;
		}
		found->arp = x->kind == PKL_ARPX_PROBE ? PKL_ARP_FOUND_PROBE_ANSWER
						      : PKL_ARP_FOUND_ANSWER;
		found->arp_request_frame = x->last_request_frame;
		found->arp_answer_us = us;
	} else if (x && x->kind == (gratuitous ? PKL_ARPX_GRATUITOUS : PKL_ARPX_UNSOLICITED)) {
		pkl_conntrack_seen(ct, c, f);
	} else {
		c = arp_new(ct, c, &k, f, gratuitous ? PKL_ARPX_GRATUITOUS : PKL_ARPX_UNSOLICITED,
			    a->tha);
		x = &c->x.arp;
	}
	if (x->kind == PKL_ARPX_UNSOLICITED)
		found->arp = PKL_ARP_FOUND_UNSOLICITED;
	x->replies++;
	arp_answer_mac(x, a->sha);
}

static void
on_arp(struct pkl_conntrack *ct, const struct pkl_packet *pkt, const struct pkl_layer *l,
       struct pkl_findings *found)
{
	const struct pkl_arp *a = &l->hdr.arp;

	if (!a->addrs_decoded || a->kind == PKL_ARP_OTHER)
		return;
	/* A probe's sender has no address yet: it claims nothing. */
	if (a->kind != PKL_ARP_PROBE)
		arp_claim(ct, pkt->frame, a, found);
	if (a->op == PKL_ARP_OP_REPLY)
		arp_reply(ct, pkt->frame, a, found);
	else
		arp_request(ct, pkt->frame, a,
			    a->kind == PKL_ARP_PROBE ? PKL_ARPX_PROBE
			    : a->kind == PKL_ARP_GRATUITOUS ? PKL_ARPX_GRATUITOUS : PKL_ARPX_REQUEST,
			    found);
}

/* ---- UDP ---------------------------------------------------------------- */

/* What tells a datagram from its neighbours in a quote of it: the IPv4
 * identification (IPv6 has none: the UDP length), with the UDP checksum. */
static uint32_t
udp_mark(const struct pkl_layer *net, const struct pkl_udp *u)
{
	uint16_t tag = net->proto == PKL_PROTO_IPV4 ? net->hdr.ipv4.id : u->ulen;
	return (uint32_t)tag << 16 | u->cksum;
}

/* The flow of a datagram sent to every host (the limited broadcast, or
 * the directed broadcast of a /24, /16 or /8 network: the mask is not
 * seen) to which this unicast datagram is an answer: from the port it
 * was sent to, back to its sender.  NULL when there is none. */
static struct pkl_conn *
broadcast_asked(struct pkl_conntrack *ct, const struct pkl_layer *net, const struct pkl_udp *u)
{
	if (net->proto != PKL_PROTO_IPV4)
		return NULL;
	const struct pkl_ipv4 *ip = &net->hdr.ipv4;
	for (unsigned host_bytes = 1; host_bytes <= 4; host_bytes++) {
		uint8_t everyone[4];
		memcpy(everyone, ip->src, 4);
		memset(everyone + 4 - host_bytes, 0xff, host_bytes);
		const struct pkl_conn_key k = { PKL_KIND_UDP, 4, ip->dst, everyone, u->dport,
						u->sport };
		int s;
		struct pkl_conn *c = pkl_conntrack_find(ct, &k, &s);
		if (c && s == PKL_CLIENT)
			return c;
	}
	return NULL;
}

/* An answer to the broadcast of flow c, from the host at addr: counted
 * as the flow's server's, and its host among those that answered. */
static void
broadcast_answer(struct pkl_udp_flow *flow, const uint8_t addr[4], struct pkl_findings *found)
{
	bool known = false;

	for (unsigned i = 0; i < flow->n_answerers && !known; i++)
		known = memcmp(flow->answerer[i], addr, 4) == 0;
	if (!known && flow->n_answerers < PKL_UDP_ANSWERERS)
		memcpy(flow->answerer[flow->n_answerers++], addr, 4);
	else if (!known)
		flow->other_answerers++;
	found->udp_broadcast_answer = true;
	found->broadcast_hosts = flow->n_answerers + flow->other_answerers;
	for (unsigned i = 0; i < PKL_UDP_RECENT; i++)
		if (flow->recent[i].sender == PKL_CLIENT &&
		    flow->recent[i].frame > found->broadcast_frame)
			found->broadcast_frame = flow->recent[i].frame;
}

static void
on_udp(struct pkl_conntrack *ct, const struct pkl_frame *f, const struct pkl_layer *net,
       const struct pkl_udp *u, struct pkl_findings *found)
{
	struct pkl_conn_key k = { .kind = PKL_KIND_UDP, .sport = u->sport, .dport = u->dport };
	int s;

	pkl_conn_key_addresses(&k, net, false);
	struct pkl_conn *c = pkl_conntrack_find(ct, &k, &s);
	if (c) {
		pkl_conntrack_seen(ct, c, f);
	} else if ((c = broadcast_asked(ct, net, u))) {
		pkl_conntrack_seen(ct, c, f);
		s = PKL_SERVER;
		broadcast_answer(&c->x.udp, net->hdr.ipv4.src, found);
		found->broadcast_flow_id = c->id;
	} else {
		s = PKL_CLIENT;
		c = pkl_conntrack_insert(ct, &k, f);
	}
	struct pkl_udp_flow *flow = &c->x.udp;

	c->end[s].frames++;
	c->end[s].bytes += u->payload_len;
	flow->recent[flow->next_recent] = (struct pkl_udp_datagram){ f->number, udp_mark(net, u),
								     (uint8_t)s };
	flow->next_recent = (uint8_t)((flow->next_recent + 1) % PKL_UDP_RECENT);
}

/* ---- ICMP echo ---------------------------------------------------------- */

static void
echo_lost(struct pkl_echo_session *e, const struct pkl_echo_request *r)
{
	if (e->lost < PKL_ECHO_LOST_KEPT)
		e->lost_kept[e->lost] = r->ref;
	e->lost++;
}

static void
echo_request(struct pkl_echo_session *e, const struct pkl_frame *f, uint16_t seq)
{
	/* Full: the oldest waiting request gives up its place, unanswered. */
	if (e->n_pending == PKL_ECHO_PENDING) {
		echo_lost(e, &e->pending[0]);
		memmove(&e->pending[0], &e->pending[1], sizeof e->pending[0] * (PKL_ECHO_PENDING - 1));
		e->n_pending--;
	}
	e->pending[e->n_pending++] = (struct pkl_echo_request){ { f->number, seq }, pkl_frame_ns(f) };
	e->requests++;
}

static void
echo_reply(struct pkl_echo_session *e, const struct pkl_frame *f, uint16_t seq,
	   struct pkl_findings *found)
{
	e->replies++;
	for (unsigned i = 0; i < e->n_pending; i++) {
		struct pkl_echo_request *r = &e->pending[i];
		if (r->ref.seq != seq)
			continue;
		uint64_t rtt = us_between(r->ns, pkl_frame_ns(f)) * 1000;
		if (e->answers++ == 0 || rtt < e->rtt_min_ns)
			e->rtt_min_ns = rtt;
		if (rtt > e->rtt_max_ns)
			e->rtt_max_ns = rtt;
		e->rtt_sum_ns += rtt;
		found->echo = PKL_ECHO_FOUND_ANSWER;
		found->echo_request_frame = r->ref.frame;
		found->echo_rtt_us = rtt / 1000;
		e->answered = r->ref;
		e->have_answered = true;
		memmove(r, r + 1, sizeof *r * (e->n_pending - i - 1));
		e->n_pending--;
		return;
	}
	if (e->have_answered && e->answered.seq == seq) {
		e->duplicates++;
		found->echo = PKL_ECHO_FOUND_DUPLICATE;
		found->echo_request_frame = e->answered.frame;
	} else {
		e->unmatched++;
		found->echo = PKL_ECHO_FOUND_UNMATCHED;
	}
}

static void
on_echo(struct pkl_conntrack *ct, const struct pkl_frame *f, const struct pkl_layer *net,
	const struct pkl_icmp *ic, bool request, struct pkl_findings *found)
{
	/* The session is the pinging host's: a reply names it from the far end. */
	struct pkl_conn_key k = { .kind = PKL_KIND_ECHO, .sport = ic->ident, .dport = ic->ident };
	int s;

	pkl_conn_key_addresses(&k, net, !request);
	struct pkl_conn *c = find_or_insert(ct, &k, f, &s);

	if (request)
		echo_request(&c->x.echo, f, ic->seq);
	else
		echo_reply(&c->x.echo, f, ic->seq, found);
}

uint32_t
pkl_echo_lost(const struct pkl_conn *c, struct pkl_echo_ref *out, unsigned max,
	      unsigned *listed)
{
	const struct pkl_echo_session *e = &c->x.echo;
	unsigned n = 0;

	for (unsigned i = 0; i < e->lost && i < PKL_ECHO_LOST_KEPT && n < max; i++)
		out[n++] = e->lost_kept[i];
	for (unsigned i = 0; i < e->n_pending && n < max; i++)
		out[n++] = e->pending[i].ref;
	*listed = n;
	return e->lost + e->n_pending;
}

/* ---- ICMP errors -------------------------------------------------------- */

static void
record_error(struct pkl_conn *c, const struct pkl_frame *f, const struct pkl_icmp *ic,
	     uint64_t quoted_frame, uint32_t mtu)
{
	if (c->icmp_errors < PKL_CONN_ICMP_ERRORS)
		c->icmp_error[c->icmp_errors] = (struct pkl_icmp_error_ref){
			f->number, quoted_frame, mtu, ic->type, ic->code };
	c->icmp_errors++;
}

/* The error quotes a datagram of conversation c (of frame quoted_frame,
 * 0 when not known). */
static void
quote_found(struct pkl_findings *found, enum pkl_quote_finding kind, const struct pkl_conn *c,
	    uint64_t quoted_frame)
{
	found->quote = kind;
	found->quoted_id = c->id;
	found->quoted_frame = quoted_frame;
}

static void
error_about_udp(struct pkl_conntrack *ct, const struct pkl_frame *f, const struct pkl_icmp *ic,
		const struct pkl_layer *qnet, const struct pkl_layer *qt,
		struct pkl_findings *found)
{
	const struct pkl_udp *u = &qt->hdr.udp;
	struct pkl_conn_key k = { .kind = PKL_KIND_UDP, .sport = u->sport, .dport = u->dport };
	int s;

	pkl_conn_key_addresses(&k, qnet, false);
	struct pkl_conn *c = pkl_conntrack_find(ct, &k, &s);
	if (!c)
		return;
	uint64_t quoted = 0;
	if (qt->flags & PKL_LAYER_HEADER) {
		uint32_t mark = udp_mark(qnet, u);
		for (unsigned i = 0; i < PKL_UDP_RECENT; i++)
			if (c->x.udp.recent[i].frame && c->x.udp.recent[i].sender == s &&
			    c->x.udp.recent[i].mark == mark && c->x.udp.recent[i].frame > quoted)
				quoted = c->x.udp.recent[i].frame;
	}
	record_error(c, f, ic, quoted, 0);
	quote_found(found, PKL_QUOTE_FOUND_UDP, c, quoted);
}

static void
error_about_tcp(struct pkl_conntrack *ct, const struct pkl_frame *f, const struct pkl_icmp *ic,
		uint32_t mtu, const struct pkl_layer *qnet, const struct pkl_layer *qt,
		struct pkl_findings *found)
{
	const struct pkl_tcp *t = &qt->hdr.tcp;
	struct pkl_conn_key k = { .kind = PKL_KIND_TCP, .sport = t->sport, .dport = t->dport };
	int s;

	pkl_conn_key_addresses(&k, qnet, false);
	struct pkl_conn *c = pkl_conntrack_find(ct, &k, &s);
	if (!c)
		return;
	record_error(c, f, ic, 0, mtu);
	if (mtu)   /* the sender's next smaller copy answers it */
		pkl_tcp_flow_pmtu(&c->tcp[s].flow, pkl_frame_ns(f), mtu);
	unsigned overhead = c->family == 4 ? TCP_IPV4_OVERHEAD : TCP_IPV6_OVERHEAD;
	quote_found(found, PKL_QUOTE_FOUND_TCP, c, 0);
	found->quoted_mtu = mtu;
	found->quoted_max_data = mtu > overhead ? mtu - overhead : 0;
}

static void
error_about_echo(struct pkl_conntrack *ct, const struct pkl_frame *f, const struct pkl_icmp *ic,
		 const struct pkl_layer *qnet, const struct pkl_icmp *q,
		 struct pkl_findings *found)
{
	struct pkl_conn_key k = { .kind = PKL_KIND_ECHO, .sport = q->ident, .dport = q->ident };
	int s;

	pkl_conn_key_addresses(&k, qnet, false);
	struct pkl_conn *c = pkl_conntrack_find(ct, &k, &s);
	if (!c)
		return;
	/* The error answers the request: no reply will come for it. */
	struct pkl_echo_session *e = &c->x.echo;
	uint64_t quoted = 0;
	for (unsigned i = 0; i < e->n_pending; i++) {
		if (e->pending[i].ref.seq != q->seq)
			continue;
		quoted = e->pending[i].ref.frame;
		memmove(&e->pending[i], &e->pending[i + 1],
			sizeof e->pending[0] * (e->n_pending - i - 1u));
		e->n_pending--;
		e->errors++;
		break;
	}
	record_error(c, f, ic, quoted, 0);
	quote_found(found, PKL_QUOTE_FOUND_ECHO, c, quoted);
	found->quoted_seq = q->seq;
}

/* An error quotes the start of the datagram that caused it, as its
 * sender sent it: the quoted addresses and ports name the conversation. */
static void
on_icmp_error(struct pkl_conntrack *ct, const struct pkl_packet *pkt, const struct pkl_layer *l,
	      struct pkl_findings *found)
{
	const struct pkl_icmp *ic = &l->hdr.icmp;
	unsigned qi = pkl_layer_index(pkt, l) + 1u;
	bool v6 = l->proto == PKL_PROTO_ICMPV6;

	if (qi + 1 >= pkt->n_layers)
		return;
	const struct pkl_layer *qnet = &pkt->layers[qi], *qt = &pkt->layers[qi + 1];
	/* Ports need the first four bytes of the quoted transport header. */
	if (!(qnet->flags & PKL_LAYER_QUOTED) || !(qnet->flags & PKL_LAYER_HEADER) ||
	    (qnet->proto != PKL_PROTO_IPV4 && qnet->proto != PKL_PROTO_IPV6) || qt->caplen < 4)
		return;
	uint32_t mtu = !v6 && pkl_icmp_is_frag_needed(ic->type, ic->code) ? ic->next_hop_mtu
		       : v6 && ic->type == PKL_ICMPV6_PACKET_TOO_BIG ? ic->mtu6 : 0;
	const struct pkl_frame *f = pkt->frame;

	switch (qt->proto) {
	case PKL_PROTO_UDP:
		error_about_udp(ct, f, ic, qnet, qt, found);
		break;
	case PKL_PROTO_TCP:
		error_about_tcp(ct, f, ic, mtu, qnet, qt, found);
		break;
	case PKL_PROTO_ICMP:
	case PKL_PROTO_ICMPV6:
		if (qt->hdr.icmp.has_echo &&
		    qt->hdr.icmp.type == (qt->proto == PKL_PROTO_ICMP ? PKL_ICMP_ECHO_REQUEST
									      : PKL_ICMPV6_ECHO_REQUEST))
			error_about_echo(ct, f, ic, qnet, &qt->hdr.icmp, found);
		break;
	default:
		break;
	}
}

static void
on_icmp(struct pkl_conntrack *ct, const struct pkl_packet *pkt, const struct pkl_layer *net,
	const struct pkl_layer *l, struct pkl_findings *found)
{
	const struct pkl_icmp *ic = &l->hdr.icmp;
	bool v6 = l->proto == PKL_PROTO_ICMPV6;
	uint8_t request = v6 ? PKL_ICMPV6_ECHO_REQUEST : PKL_ICMP_ECHO_REQUEST;
	uint8_t reply = v6 ? PKL_ICMPV6_ECHO_REPLY : PKL_ICMP_ECHO_REPLY;

	if (l->flags & PKL_LAYER_QUOTES)
		on_icmp_error(ct, pkt, l, found);
	else if (ic->has_echo && (ic->type == request || ic->type == reply))
		on_echo(ct, pkt->frame, net, ic, ic->type == request, found);
}

void
pkl_exchange_frame(struct pkl_conntrack *ct, const struct pkl_packet *pkt,
		   const struct pkl_layer *net, const struct pkl_layer *l,
		   struct pkl_findings *found)
{
	if (!(l->flags & PKL_LAYER_HEADER) || (l->flags & PKL_LAYER_MALFORMED))
		return;
	switch (l->proto) {
	case PKL_PROTO_ARP:
		on_arp(ct, pkt, l, found);
		break;
	case PKL_PROTO_UDP:
		if (net)
			on_udp(ct, pkt->frame, net, &l->hdr.udp, found);
		break;
	case PKL_PROTO_ICMP:
	case PKL_PROTO_ICMPV6:
		if (net)
			on_icmp(ct, pkt, net, l, found);
		break;
	default:
		break;
	}
}
