/* Per-packet explanations.  Reads only decoded fields, never bytes. */
#include "annotate.h"

#include <string.h>

#include "../dissectors/eth.h"
#include "../dissectors/icmp.h"
#include "../dissectors/icmpv6.h"
#include "../dissectors/ipv4.h"
#include "../dissectors/udp.h"
#include "services.h"

static uint32_t
ipv4_u32(const uint8_t a[4])
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

static void
annotate_eth(const struct pkl_eth *e, uint8_t li, struct pkl_notes *ns)
{
	if (pkl_mac_is_broadcast(e->dst))
		pkl_notes_add(ns, PKL_NOTE_ETH_BROADCAST, li, 0, 0, 0);
	else if (pkl_mac_is_multicast(e->dst))
		pkl_notes_add(ns, PKL_NOTE_ETH_MULTICAST, li, 0, 0, 0);
}

static void
annotate_arp(const struct pkl_arp *a, uint8_t li, struct pkl_notes *ns)
{
	if (!a->addrs_decoded)
		return;
	switch (a->kind) {
	case PKL_ARP_REQUEST:
		pkl_notes_add(ns, PKL_NOTE_ARP_REQUEST, li, ipv4_u32(a->tpa), 0, 0);
		break;
	case PKL_ARP_REPLY:
		pkl_notes_add(ns, PKL_NOTE_ARP_REPLY, li, ipv4_u32(a->spa), 0, 0);
		break;
	case PKL_ARP_GRATUITOUS:
		pkl_notes_add(ns, PKL_NOTE_ARP_GRATUITOUS, li, ipv4_u32(a->spa), 0, 0);
		break;
	case PKL_ARP_PROBE:
		pkl_notes_add(ns, PKL_NOTE_ARP_PROBE, li, ipv4_u32(a->tpa), 0, 0);
		break;
	case PKL_ARP_OTHER:
		break;
	}
}

static void
explain_address(const uint8_t a[4], uint8_t li, struct pkl_notes *ns)
{
	enum pkl_note_code code;

	if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) ||
	    (a[0] == 192 && a[1] == 168))
		code = PKL_NOTE_IP_PRIVATE;
	else if (a[0] == 127)
		code = PKL_NOTE_IP_LOOPBACK;
	else if (a[0] == 169 && a[1] == 254)
		code = PKL_NOTE_IP_LINK_LOCAL;
	else if ((a[0] & 0xf0) == 224)
		code = PKL_NOTE_IP_MULTICAST;
	else if ((a[0] & a[1] & a[2] & a[3]) == 255)
		code = PKL_NOTE_IP_BROADCAST;
	else
		return;
	pkl_notes_add(ns, code, li, ipv4_u32(a), 0, 0);
}

static void
annotate_ipv4(const struct pkl_ipv4 *ip, uint8_t li, bool quoted,
	      const struct pkl_annotate_opts *opts, struct pkl_notes *ns)
{
	if (quoted)
		return;
	if (ip->ttl == 1)
		pkl_notes_add(ns, PKL_NOTE_IP_TTL_ONE, li, 0, 0, 0);
	else if (ip->ttl == 0)
		pkl_notes_add(ns, PKL_NOTE_IP_TTL_ZERO, li, 0, 0, 0);
	if (ip->frag_offset)
		pkl_notes_add(ns, PKL_NOTE_IP_LATER_FRAGMENT, li, ip->frag_offset * 8u, ip->id, 0);
	else if (ip->mf)
		pkl_notes_add(ns, PKL_NOTE_IP_FIRST_FRAGMENT, li, ip->id, 0, 0);
	if (ip->ihl * 4u > PKL_IPV4_MIN_HLEN)
		pkl_notes_add(ns, PKL_NOTE_IP_OPTIONS, li, ip->ihl * 4u - PKL_IPV4_MIN_HLEN, 0, 0);
	if (opts->explain_addresses) {
		explain_address(ip->src, li, ns);
		explain_address(ip->dst, li, ns);
	}
}

static void
annotate_icmp(const struct pkl_icmp *ic, uint8_t li, struct pkl_notes *ns)
{
	enum pkl_note_code code = PKL_NOTE_COUNT;
	uint32_t arg = 0;

	switch (ic->type) {
	case PKL_ICMP_ECHO_REQUEST:
		pkl_notes_add(ns, PKL_NOTE_ICMP_ECHO_REQUEST, li, ic->ident, ic->seq, 0);
		return;
	case PKL_ICMP_ECHO_REPLY:
		pkl_notes_add(ns, PKL_NOTE_ICMP_ECHO_REPLY, li, ic->ident, ic->seq, 0);
		return;
	case PKL_ICMP_UNREACH:
		switch (ic->code) {
		case PKL_ICMP_UNREACH_NET: code = PKL_NOTE_ICMP_NET_UNREACHABLE; break;
		case PKL_ICMP_UNREACH_HOST: code = PKL_NOTE_ICMP_HOST_UNREACHABLE; break;
		case PKL_ICMP_UNREACH_PROTO: code = PKL_NOTE_ICMP_PROTO_UNREACHABLE; break;
		case PKL_ICMP_UNREACH_PORT: code = PKL_NOTE_ICMP_PORT_UNREACHABLE; break;
		case PKL_ICMP_UNREACH_NEEDFRAG:
			code = PKL_NOTE_ICMP_FRAG_NEEDED;
			arg = ic->next_hop_mtu;
			break;
		case PKL_ICMP_UNREACH_NET_PROHIB:
		case PKL_ICMP_UNREACH_HOST_PROHIB:
		case PKL_ICMP_UNREACH_FILTER_PROHIB:
			code = PKL_NOTE_ICMP_ADMIN_PROHIBITED;
			break;
		default: code = PKL_NOTE_ICMP_UNREACHABLE_OTHER; break;
		}
		break;
	case PKL_ICMP_REDIRECT:
		code = PKL_NOTE_ICMP_REDIRECT;
		arg = ipv4_u32(ic->gateway);
		break;
	case PKL_ICMP_TIME_EXCEEDED:
		code = ic->code == PKL_ICMP_EXCEEDED_TTL ? PKL_NOTE_ICMP_TTL_EXCEEDED
							 : PKL_NOTE_ICMP_REASSEMBLY_EXCEEDED;
		break;
	case PKL_ICMP_PARAM_PROBLEM:
		code = PKL_NOTE_ICMP_PARAM_PROBLEM;
		arg = ic->pointer;
		break;
	default:
		break;
	}
	if (code != PKL_NOTE_COUNT)
		pkl_notes_add(ns, code, li, arg, 0, 0);
	if (ic->quotes)
		pkl_notes_add(ns, PKL_NOTE_ICMP_QUOTE, li, 0, 0, 0);
}

static void
annotate_icmpv6(const struct pkl_icmp *ic, uint8_t li, struct pkl_notes *ns)
{
	switch (ic->type) {
	case PKL_ICMPV6_ECHO_REQUEST:
		pkl_notes_add(ns, PKL_NOTE_ICMP_ECHO_REQUEST, li, ic->ident, ic->seq, 0);
		break;
	case PKL_ICMPV6_ECHO_REPLY:
		pkl_notes_add(ns, PKL_NOTE_ICMP_ECHO_REPLY, li, ic->ident, ic->seq, 0);
		break;
	case PKL_ICMPV6_UNREACH:
		pkl_notes_add(ns, ic->code == PKL_ICMPV6_UNREACH_PORT ? PKL_NOTE_ICMP_PORT_UNREACHABLE
								      : PKL_NOTE_ICMP_UNREACHABLE_OTHER,
			      li, 0, 0, 0);
		break;
	case PKL_ICMPV6_PACKET_TOO_BIG:
		pkl_notes_add(ns, PKL_NOTE_ICMP_FRAG_NEEDED, li, ic->mtu6, 0, 0);
		break;
	case PKL_ICMPV6_TIME_EXCEEDED:
		pkl_notes_add(ns, PKL_NOTE_ICMP_TTL_EXCEEDED, li, 0, 0, 0);
		break;
	case PKL_ICMPV6_ROUTER_SOLICIT:
		pkl_notes_add(ns, PKL_NOTE_ICMPV6_RS, li, 0, 0, 0);
		break;
	case PKL_ICMPV6_ROUTER_ADVERT:
		pkl_notes_add(ns, PKL_NOTE_ICMPV6_RA, li, 0, 0, 0);
		break;
	case PKL_ICMPV6_NEIGHBOR_SOLICIT:
		pkl_notes_add(ns, PKL_NOTE_ICMPV6_NS, li, 0, 0, 0);
		break;
	case PKL_ICMPV6_NEIGHBOR_ADVERT:
		pkl_notes_add(ns, PKL_NOTE_ICMPV6_NA, li, 0, 0, 0);
		break;
	default:
		break;
	}
	if (ic->quotes)
		pkl_notes_add(ns, PKL_NOTE_ICMP_QUOTE, li, 0, 0, 0);
}

/* The service note goes on the port that names a service: the server's. */
static void
annotate_service(uint16_t sport, uint16_t dport, enum pkl_note_code code,
		 uint8_t li, struct pkl_notes *ns)
{
	if (pkl_service_name(dport))
		pkl_notes_add(ns, code, li, dport, 0, 0);
	else if (pkl_service_name(sport))
		pkl_notes_add(ns, code, li, sport, 0, 0);
}

static void
annotate_udp(const struct pkl_udp *u, uint8_t li, struct pkl_notes *ns)
{
	if (u->cksum == 0 && u->ulen >= PKL_UDP_HLEN)
		pkl_notes_add(ns, PKL_NOTE_UDP_NO_CKSUM, li, 0, 0, 0);
	annotate_service(u->sport, u->dport, PKL_NOTE_UDP_SERVICE, li, ns);
}

static void
annotate_tcp_options(const struct pkl_tcp *t, uint8_t li, struct pkl_notes *ns)
{
	if (t->has_mss)
		pkl_notes_add(ns, PKL_NOTE_TCP_MSS, li, t->mss, 0, 0);
	if (t->has_wscale)
		pkl_notes_add(ns, PKL_NOTE_TCP_WSCALE, li, t->wscale,
			      t->wscale < 32 ? 1u << t->wscale : 0, 0);
	if (t->sack_perm)
		pkl_notes_add(ns, PKL_NOTE_TCP_SACK_PERM, li, 0, 0, 0);
}

/* With the connection followed (conn non-NULL), sequence numbers are
 * told relative to each end's ISN, as the views show them, and the
 * sequence analysis explains a zero window itself. */
static void
annotate_tcp(const struct pkl_tcp *t, uint8_t li, const struct pkl_conn_snapshot *conn,
	     struct pkl_notes *ns)
{
	uint16_t f = t->flags;
	bool syn = f & PKL_TCP_SYN, ack = f & PKL_TCP_ACK;
	uint32_t own_base = conn ? t->seq - conn->rel_seq : 0;
	uint32_t peer_base = conn && ack ? t->ack - conn->rel_ack : 0;

	if (f & PKL_TCP_RST) {
		pkl_notes_add(ns, ack ? PKL_NOTE_TCP_RST_ACK : PKL_NOTE_TCP_RST, li, 0, 0, 0);
	} else if (syn) {
		pkl_notes_add(ns, ack ? PKL_NOTE_TCP_SYN_ACK : PKL_NOTE_TCP_SYN, li, 0, 0, 0);
		if (!ack && (f & (PKL_TCP_ECE | PKL_TCP_CWR)) == (PKL_TCP_ECE | PKL_TCP_CWR))
			pkl_notes_add(ns, PKL_NOTE_TCP_ECN_SETUP, li, 0, 0, 0);
		annotate_tcp_options(t, li, ns);
		annotate_service(t->sport, t->dport, PKL_NOTE_TCP_SERVICE, li, ns);
	}
	if (t->payload_len)
		pkl_notes_add(ns, PKL_NOTE_TCP_DATA, li, t->payload_len,
			      t->seq + t->payload_len + ((f & PKL_TCP_FIN) != 0) - own_base, 0);
	if (f & PKL_TCP_FIN)
		pkl_notes_add(ns, PKL_NOTE_TCP_FIN, li, 0, 0, 0);
	if ((f & PKL_TCP_PSH) && t->payload_len)
		pkl_notes_add(ns, PKL_NOTE_TCP_PUSH, li, 0, 0, 0);
	if (f & PKL_TCP_URG)
		pkl_notes_add(ns, PKL_NOTE_TCP_URG, li, t->urg_ptr, 0, 0);
	if (!syn && (f & PKL_TCP_ECE))
		pkl_notes_add(ns, PKL_NOTE_TCP_ECE, li, 0, 0, 0);
	if (!syn && (f & PKL_TCP_CWR))
		pkl_notes_add(ns, PKL_NOTE_TCP_CWR, li, 0, 0, 0);
	if (t->window == 0 && !(f & PKL_TCP_RST) && !conn)
		pkl_notes_add(ns, PKL_NOTE_TCP_ZERO_WINDOW, li, 0, 0, 0);
	if (t->n_sack)
		pkl_notes_add(ns, PKL_NOTE_TCP_SACK, li, t->n_sack, t->sack_left[0] - peer_base, 0);
}

void
pkl_annotate(const struct pkl_packet *pkt, const struct pkl_annotate_opts *opts,
	     struct pkl_notes *ns)
{
	const struct pkl_conn_snapshot *conn = ns->conn.valid ? &ns->conn : NULL;
	uint8_t first = ns->n;

	for (uint8_t i = 0; i < pkt->n_layers; i++) {
		const struct pkl_layer *l = &pkt->layers[i];
		bool quoted = l->flags & PKL_LAYER_QUOTED;

		/* A header cut short has fields that were never read. */
		if (!(l->flags & PKL_LAYER_HEADER))
			break;
		switch (l->proto) {
		case PKL_PROTO_ETH:
			annotate_eth(&l->hdr.eth, i, ns);
			break;
		case PKL_PROTO_VLAN:
			pkl_notes_add(ns, l->hdr.vlan.tpid == PKL_ETHERTYPE_VLAN ? PKL_NOTE_VLAN_TAG
									       : PKL_NOTE_VLAN_QINQ,
				      i, l->hdr.vlan.vid, l->hdr.vlan.pcp, 0);
			break;
		case PKL_PROTO_ARP:
			annotate_arp(&l->hdr.arp, i, ns);
			break;
		case PKL_PROTO_IPV4:
			annotate_ipv4(&l->hdr.ipv4, i, quoted, opts, ns);
			break;
		case PKL_PROTO_ICMP:
			if (!quoted)
				annotate_icmp(&l->hdr.icmp, i, ns);
			break;
		case PKL_PROTO_ICMPV6:
			if (!quoted)
				annotate_icmpv6(&l->hdr.icmp, i, ns);
			break;
		case PKL_PROTO_UDP:
			if (!quoted)
				annotate_udp(&l->hdr.udp, i, ns);
			break;
		case PKL_PROTO_TCP:
			if (!quoted && !(l->flags & PKL_LAYER_MALFORMED))
				annotate_tcp(&l->hdr.tcp, i, conn, ns);
			break;
		default:
			break;
		}
	}
	/* What the frame says comes before where it sits in its connection. */
	struct pkl_note frame_notes[PKL_MAX_NOTES];
	size_t n_frame = ns->n - first, n_conn = first;
	memcpy(frame_notes, &ns->note[first], n_frame * sizeof ns->note[0]);
	memmove(&ns->note[n_frame], &ns->note[0], n_conn * sizeof ns->note[0]);
	memcpy(&ns->note[0], frame_notes, n_frame * sizeof ns->note[0]);
}
