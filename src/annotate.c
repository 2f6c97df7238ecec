/* Per-packet explanations: the one place notes are written.  Reads only
 * decoded fields and the trackers' findings, never bytes. */
#include "annotate.h"

#include <string.h>

#include "../dissectors/eth.h"
#include "../dissectors/icmp.h"
#include "../dissectors/icmpv6.h"
#include "../dissectors/ipv4.h"
#include "../dissectors/udp.h"
#include "exchange.h"
#include "services.h"

static uint32_t
ipv4_u32(const uint8_t a[4])
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

static uint64_t
mac_u64(const uint8_t m[6])
{
	uint64_t v = 0;

	for (int i = 0; i < 6; i++)
		v = v << 8 | m[i];
	return v;
}

/* A layer's note, while there is room. */
static void
add_note(struct pkl_notes *ns, enum pkl_note_code code, uint8_t layer,
	 uint64_t a0, uint64_t a1, uint64_t a2)
{
	if (ns->n < PKL_MAX_NOTES)
		ns->note[ns->n++] = (struct pkl_note){ code, layer, { a0, a1, a2, 0 } };
}

static void
annotate_eth(const struct pkl_eth *e, uint8_t li, struct pkl_notes *ns)
{
	if (pkl_mac_is_broadcast(e->dst))
		add_note(ns, PKL_NOTE_ETH_BROADCAST, li, 0, 0, 0);
	else if (pkl_mac_is_multicast(e->dst))
		add_note(ns, PKL_NOTE_ETH_MULTICAST, li, 0, 0, 0);
}

/* A reply nobody asked for is not an answer: its own finding tells it. */
static void
annotate_arp(const struct pkl_arp *a, uint8_t li, const struct pkl_findings *found,
	     struct pkl_notes *ns)
{
	if (!a->addrs_decoded)
		return;
	switch (a->kind) {
	case PKL_ARP_REQUEST:
		add_note(ns, PKL_NOTE_ARP_REQUEST, li, ipv4_u32(a->tpa), 0, 0);
		break;
	case PKL_ARP_REPLY:
		if (found->arp != PKL_ARP_FOUND_UNSOLICITED)
			add_note(ns, PKL_NOTE_ARP_REPLY, li, ipv4_u32(a->spa), 0, 0);
		break;
	case PKL_ARP_GRATUITOUS:
		add_note(ns, PKL_NOTE_ARP_GRATUITOUS, li, ipv4_u32(a->spa), 0, 0);
		break;
	case PKL_ARP_PROBE:
		add_note(ns, PKL_NOTE_ARP_PROBE, li, ipv4_u32(a->tpa), 0, 0);
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
	add_note(ns, code, li, ipv4_u32(a), 0, 0);
}

static void
annotate_ipv4(const struct pkl_ipv4 *ip, uint8_t li, bool quoted,
	      const struct pkl_annotate_opts *opts, struct pkl_notes *ns)
{
	if (quoted)
		return;
	if (ip->ttl == 1)
		add_note(ns, PKL_NOTE_IP_TTL_ONE, li, 0, 0, 0);
	else if (ip->ttl == 0)
		add_note(ns, PKL_NOTE_IP_TTL_ZERO, li, 0, 0, 0);
	if (ip->frag_offset)
		add_note(ns, PKL_NOTE_IP_LATER_FRAGMENT, li, ip->frag_offset * 8u, ip->id, 0);
	else if (ip->mf)
		add_note(ns, PKL_NOTE_IP_FIRST_FRAGMENT, li, ip->id, 0, 0);
	if (ip->cksum_status == PKL_CK_BAD)
		add_note(ns, PKL_NOTE_IP_CHECKSUM_DROPPED, li, 0, 0, 0);
	if (ip->ihl * 4u > PKL_IPV4_MIN_HLEN)
		add_note(ns, PKL_NOTE_IP_OPTIONS, li, ip->ihl * 4u - PKL_IPV4_MIN_HLEN, 0, 0);
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
		add_note(ns, PKL_NOTE_ICMP_ECHO_REQUEST, li, ic->ident, ic->seq, 0);
		return;
	case PKL_ICMP_ECHO_REPLY:
		add_note(ns, PKL_NOTE_ICMP_ECHO_REPLY, li, ic->ident, ic->seq, 0);
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
		add_note(ns, code, li, arg, 0, 0);
	if (ic->quotes)
		add_note(ns, PKL_NOTE_ICMP_QUOTE, li, 0, 0, 0);
}

/* The unspecified address, ::, which a host without an address sends from. */
static bool
ipv6_unspecified(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return memcmp(a, zero, sizeof zero) == 0;
}

static void
annotate_icmpv6(const struct pkl_icmp *ic, const struct pkl_layer *net, uint8_t li,
		struct pkl_notes *ns)
{
	switch (ic->type) {
	case PKL_ICMPV6_ECHO_REQUEST:
		add_note(ns, PKL_NOTE_ICMP_ECHO_REQUEST, li, ic->ident, ic->seq, 0);
		break;
	case PKL_ICMPV6_ECHO_REPLY:
		add_note(ns, PKL_NOTE_ICMP_ECHO_REPLY, li, ic->ident, ic->seq, 0);
		break;
	case PKL_ICMPV6_UNREACH:
		add_note(ns, ic->code == PKL_ICMPV6_UNREACH_PORT ? PKL_NOTE_ICMP_PORT_UNREACHABLE
								 : PKL_NOTE_ICMP_UNREACHABLE_OTHER,
			 li, 0, 0, 0);
		break;
	case PKL_ICMPV6_PACKET_TOO_BIG:
		add_note(ns, PKL_NOTE_ICMP_FRAG_NEEDED, li, ic->mtu6, 0, 0);
		break;
	case PKL_ICMPV6_TIME_EXCEEDED:
		add_note(ns, PKL_NOTE_ICMP_TTL_EXCEEDED, li, 0, 0, 0);
		break;
	case PKL_ICMPV6_ROUTER_SOLICIT:
		add_note(ns, PKL_NOTE_ICMPV6_RS, li, 0, 0, 0);
		break;
	case PKL_ICMPV6_ROUTER_ADVERT:
		add_note(ns, PKL_NOTE_ICMPV6_RA, li, 0, 0, 0);
		break;
	case PKL_ICMPV6_NEIGHBOR_SOLICIT:
		add_note(ns, PKL_NOTE_ICMPV6_NS, li, 0, 0, 0);
		if (net && net->proto == PKL_PROTO_IPV6 && ipv6_unspecified(net->hdr.ipv6.src))
			add_note(ns, PKL_NOTE_ICMPV6_DAD, li, 0, 0, 0);
		break;
	case PKL_ICMPV6_NEIGHBOR_ADVERT:
		add_note(ns, PKL_NOTE_ICMPV6_NA, li, 0, 0, 0);
		break;
	default:
		break;
	}
	if (ic->quotes)
		add_note(ns, PKL_NOTE_ICMP_QUOTE, li, 0, 0, 0);
}

/* The service note goes on the port that names a service: the server's. */
static void
annotate_service(uint16_t sport, uint16_t dport, enum pkl_note_code code,
		 uint8_t li, struct pkl_notes *ns)
{
	if (pkl_service_name(dport))
		add_note(ns, code, li, dport, 0, 0);
	else if (pkl_service_name(sport))
		add_note(ns, code, li, sport, 0, 0);
}

static void
annotate_udp(const struct pkl_udp *u, uint8_t li, struct pkl_notes *ns)
{
	if (u->cksum == 0 && u->ulen >= PKL_UDP_HLEN)
		add_note(ns, PKL_NOTE_UDP_NO_CKSUM, li, 0, 0, 0);
	annotate_service(u->sport, u->dport, PKL_NOTE_UDP_SERVICE, li, ns);
}

static void
annotate_tcp_options(const struct pkl_tcp *t, uint8_t li, struct pkl_notes *ns)
{
	/* Timestamps take 12 bytes (10, padded) of every segment's options. */
	if (t->has_mss)
		add_note(ns, PKL_NOTE_TCP_MSS, li, t->mss, t->mss > 12 ? t->mss - 12u : 0, 0);
	if (t->has_wscale)
		add_note(ns, PKL_NOTE_TCP_WSCALE, li, t->wscale,
			 t->wscale < 32 ? 1u << t->wscale : 0, 0);
	if (t->sack_perm)
		add_note(ns, PKL_NOTE_TCP_SACK_PERM, li, 0, 0, 0);
}

/* With the connection followed (conn non-NULL), sequence numbers are
 * told relative to each end's ISN, as the views show them.  A zero
 * window is the sequence analysis's to explain (every command follows
 * connections). */
static void
annotate_tcp(const struct pkl_tcp *t, uint8_t li, const struct pkl_conn_snapshot *conn,
	     struct pkl_notes *ns)
{
	uint16_t f = t->flags;
	bool syn = f & PKL_TCP_SYN, ack = f & PKL_TCP_ACK;
	uint32_t own_base = conn ? t->seq - conn->rel_seq : 0;
	uint32_t peer_base = conn && ack ? t->ack - conn->rel_ack : 0;

	if (f & PKL_TCP_RST) {
		add_note(ns, ack ? PKL_NOTE_TCP_RST_ACK : PKL_NOTE_TCP_RST, li, 0, 0, 0);
	} else if (syn) {
		/* Not "the server accepts" in a simultaneous open: the
		 * verdict's sentence says what its SYN+ACK is. */
		if (!(ack && conn && conn->analysis.simultaneous_open))
			add_note(ns, ack ? PKL_NOTE_TCP_SYN_ACK : PKL_NOTE_TCP_SYN, li, 0, 0, 0);
		if (!ack && (f & (PKL_TCP_ECE | PKL_TCP_CWR)) == (PKL_TCP_ECE | PKL_TCP_CWR))
			add_note(ns, PKL_NOTE_TCP_ECN_SETUP, li, 0, 0, 0);
		annotate_tcp_options(t, li, ns);
		annotate_service(t->sport, t->dport, PKL_NOTE_TCP_SERVICE, li, ns);
	}
	if (t->payload_len)
		add_note(ns, PKL_NOTE_TCP_DATA, li, t->payload_len,
			 t->seq + t->payload_len + ((f & PKL_TCP_FIN) != 0) - own_base, 0);
	if (f & PKL_TCP_FIN)
		add_note(ns, PKL_NOTE_TCP_FIN, li, 0, 0, 0);
	if ((f & PKL_TCP_PSH) && t->payload_len)
		add_note(ns, PKL_NOTE_TCP_PUSH, li, 0, 0, 0);
	if (f & PKL_TCP_URG)
		add_note(ns, PKL_NOTE_TCP_URG, li, t->urg_ptr, 0, 0);
	if (!syn && (f & PKL_TCP_ECE))
		add_note(ns, PKL_NOTE_TCP_ECE, li, 0, 0, 0);
	if (!syn && (f & PKL_TCP_CWR))
		add_note(ns, PKL_NOTE_TCP_CWR, li, 0, 0, 0);
	if (t->n_sack)
		add_note(ns, PKL_NOTE_TCP_SACK, li, t->n_sack, t->sack_left[0] - peer_base, 0);
}

/* ---- what the trackers found ------------------------------------------ */

/* The findings' notes, after the layers' and about one layer: the
 * frame's conversation's.  When the list is full, the last layer note
 * gives way to a finding's: what the trackers found of this frame says
 * more than what a header's values mean in general. */
struct telling {
	struct pkl_notes *ns;
	uint8_t layer;
	uint8_t first;             /* the findings' first note */
};

static void
tell4(struct telling *tl, enum pkl_note_code code, uint64_t a0, uint64_t a1, uint64_t a2,
      uint64_t a3)
{
	struct pkl_notes *ns = tl->ns;

	if (ns->n == PKL_MAX_NOTES) {
		if (tl->first == 0)
			return;
		tl->first--;
		memmove(&ns->note[tl->first], &ns->note[tl->first + 1],
			(size_t)(ns->n - 1 - tl->first) * sizeof ns->note[0]);
		ns->n--;
	}
	ns->note[ns->n++] = (struct pkl_note){ code, tl->layer, { a0, a1, a2, a3 } };
}

static void
tell(struct telling *tl, enum pkl_note_code code, uint64_t a0, uint64_t a1, uint64_t a2)
{
	tell4(tl, code, a0, a1, a2, 0);
}

/* How the segment opens or closes its connection, or resets it, and
 * the patterns that step completes. */
static void
tell_steps(struct telling *tl, const struct pkl_conn_snapshot *conn, const struct pkl_tcp *t,
	   const struct pkl_findings *f)
{
	uint32_t s = (uint32_t)conn->sender;
	int was = conn->before[s], now = conn->after[s];

	switch (f->reset) {
	case PKL_RESET_CLOSED_PORT:
		tell4(tl, PKL_NOTE_CONN_RST_CLOSED_PORT, s, t->sport, t->ack, t->seq);
		break;
	case PKL_RESET_HALF_OPEN: tell(tl, PKL_NOTE_CONN_RST_HALF_OPEN, s, 0, 0); break;
	case PKL_RESET_AFTER_CLOSE: tell(tl, PKL_NOTE_CONN_RST_AFTER_CLOSE, s, 0, 0); break;
	case PKL_RESET_ABORT: tell(tl, PKL_NOTE_CONN_RST_ABORT, s, (uint64_t)was, 0); break;
	default: break;
	}
	if (f->port_scan)
		tell(tl, PKL_NOTE_CONN_PORT_SCAN, f->scan_probes, f->scan_seconds, 0);
	switch (f->opening) {
	case PKL_OPENING_SYN_RETRY:
		if (f->syn_answer_frame)
			tell(tl, PKL_NOTE_CONN_SYN_RETRY_ANSWERED, f->syn_attempt, f->syn_answer_frame, 0);
		else
			tell(tl, PKL_NOTE_CONN_SYN_RETRY, f->syn_attempt, 0, 0);
		break;
	case PKL_OPENING_SIMULTANEOUS: tell(tl, PKL_NOTE_CONN_SIMULTANEOUS_OPEN, 0, 0, 0); break;
	case PKL_OPENING_HANDSHAKE_1: tell(tl, PKL_NOTE_CONN_HANDSHAKE_1, 0, 0, 0); break;
	case PKL_OPENING_HANDSHAKE_2: tell(tl, PKL_NOTE_CONN_HANDSHAKE_2, 0, 0, 0); break;
	case PKL_OPENING_HANDSHAKE_3:
		tell(tl, PKL_NOTE_CONN_HANDSHAKE_3, f->handshake_us[0], f->handshake_us[1],
		     f->handshake_us[2]);
		break;
	default: break;
	}
	static const enum pkl_note_code capture_note[] = {
		[PKL_CAPTURE_CLIENT] = PKL_NOTE_CONN_CAPTURE_AT_CLIENT,
		[PKL_CAPTURE_SERVER] = PKL_NOTE_CONN_CAPTURE_AT_SERVER,
		[PKL_CAPTURE_MIDDLE] = PKL_NOTE_CONN_CAPTURE_IN_MIDDLE,
	};
	if (f->capture_point != PKL_CAPTURE_UNKNOWN)
		tell(tl, capture_note[f->capture_point], 0, f->handshake_us[1], f->handshake_us[2]);
	if (f->syn_flood)
		tell(tl, PKL_NOTE_CONN_SYN_FLOOD, f->flood_half_open, f->flood_port, 0);
	switch (f->closing) {
	case PKL_CLOSING_ACTIVE:
		tell(tl, PKL_NOTE_CONN_TEARDOWN_ACTIVE, s, (uint64_t)was, (uint64_t)now);
		break;
	case PKL_CLOSING_ACK:
		tell(tl, PKL_NOTE_CONN_TEARDOWN_ACK, s, (uint64_t)now, 0);
		break;
	case PKL_CLOSING_FIN_ACK:
		tell(tl, PKL_NOTE_CONN_TEARDOWN_FIN_ACK, s, (uint64_t)now, 0);
		break;
	case PKL_CLOSING_PASSIVE:
		tell(tl, PKL_NOTE_CONN_TEARDOWN_PASSIVE, s, (uint64_t)was, (uint64_t)now);
		break;
	case PKL_CLOSING_LAST:
		tell(tl, PKL_NOTE_CONN_TEARDOWN_LAST, s, f->time_wait_s, conn->step.n);
		break;
	case PKL_CLOSING_SIMULTANEOUS: tell(tl, PKL_NOTE_CONN_SIMULTANEOUS_CLOSE, s, 0, 0); break;
	default: break;
	}
}

/* pktlens's verdict on the segment, then (in one line) what tshark
 * calls it where that differs, then Wireshark's other findings lowest
 * first, then the delay of the ACK as the capture point sees it. */
static void
tell_analysis(struct telling *tl, const struct pkl_conn_snapshot *conn, const struct pkl_tcp *t)
{
	/* Wireshark's findings that are not judged again (PKL_TA_JUDGED). */
	static const enum pkl_note_code note_of[PKL_TA_COUNT] = {
		[PKL_TA_BIT_LOST_SEGMENT] = PKL_NOTE_TA_LOST_SEGMENT,
		[PKL_TA_BIT_ACK_LOST_SEGMENT] = PKL_NOTE_TA_ACK_LOST_SEGMENT,
		[PKL_TA_BIT_DUPLICATE_ACK] = PKL_NOTE_TA_DUPLICATE_ACK,
		[PKL_TA_BIT_ZERO_WINDOW] = PKL_NOTE_TA_ZERO_WINDOW,
		[PKL_TA_BIT_WINDOW_UPDATE] = PKL_NOTE_TA_WINDOW_UPDATE,
		[PKL_TA_BIT_WINDOW_FULL] = PKL_NOTE_TA_WINDOW_FULL,
	};
	static const enum pkl_note_code own_note[PKL_TV_COUNT] = {
		[PKL_TV_RETRANSMISSION] = PKL_NOTE_TV_RETRANSMISSION,
		[PKL_TV_FAST_RETRANSMISSION] = PKL_NOTE_TV_FAST_RETRANSMISSION,
		[PKL_TV_SPURIOUS_RETRANSMISSION] = PKL_NOTE_TV_SPURIOUS_RETRANSMISSION,
		[PKL_TV_PMTU_RETRANSMISSION] = PKL_NOTE_TV_PMTU_RETRANSMISSION,
		[PKL_TV_OUT_OF_ORDER] = PKL_NOTE_TV_OUT_OF_ORDER,
		[PKL_TV_LOST_UPSTREAM] = PKL_NOTE_TV_LOST_UPSTREAM,
		[PKL_TV_CANNOT_TELL] = PKL_NOTE_TV_CANNOT_TELL,
		[PKL_TV_ZERO_WINDOW_PROBE] = PKL_NOTE_TV_ZERO_WINDOW_PROBE,
		[PKL_TV_ZERO_WINDOW_PROBE_ACK] = PKL_NOTE_TV_ZERO_WINDOW_PROBE_ACK,
		[PKL_TV_KEEP_ALIVE] = PKL_NOTE_TV_KEEP_ALIVE,
		[PKL_TV_KEEP_ALIVE_ACK] = PKL_NOTE_TV_KEEP_ALIVE_ACK,
	};
	static const enum pkl_note_code tshark_note[PKL_TV_COUNT] = {
		[PKL_TV_NONE] = PKL_NOTE_TV_TSHARK_NONE,
		[PKL_TV_RETRANSMISSION] = PKL_NOTE_TV_TSHARK_RETRANSMISSION,
		[PKL_TV_FAST_RETRANSMISSION] = PKL_NOTE_TV_TSHARK_FAST_RETRANSMISSION,
		[PKL_TV_SPURIOUS_RETRANSMISSION] = PKL_NOTE_TV_TSHARK_SPURIOUS_RETRANSMISSION,
		[PKL_TV_OUT_OF_ORDER] = PKL_NOTE_TV_TSHARK_OUT_OF_ORDER,
		[PKL_TV_ZERO_WINDOW_PROBE] = PKL_NOTE_TV_TSHARK_ZERO_WINDOW_PROBE,
		[PKL_TV_ZERO_WINDOW_PROBE_ACK] = PKL_NOTE_TV_TSHARK_ZERO_WINDOW_PROBE_ACK,
		[PKL_TV_KEEP_ALIVE] = PKL_NOTE_TV_TSHARK_KEEP_ALIVE,
		[PKL_TV_KEEP_ALIVE_ACK] = PKL_NOTE_TV_TSHARK_KEEP_ALIVE_ACK,
	};
	const struct pkl_tcp_verdict *v = &conn->analysis;
	uint32_t s = (uint32_t)conn->sender;
	uint32_t fl = v->flags & ~(uint32_t)PKL_TA_JUDGED;
	enum pkl_tcp_own own = (enum pkl_tcp_own)v->own;
	/* A repeated SYN has its own note. */
	bool syn_again = (t->flags & (PKL_TCP_SYN | PKL_TCP_ACK)) == PKL_TCP_SYN &&
			 own == PKL_TV_RETRANSMISSION;

	switch (own) {
	case PKL_TV_NONE: break;
	case PKL_TV_RETRANSMISSION:
		if (v->answers_syn_frame)
			tell(tl, v->simultaneous_open ? PKL_NOTE_TV_SYNACK_SIMULTANEOUS
						      : PKL_NOTE_TV_SYNACK_AGAIN,
			     s, v->answers_syn_frame, 0);
		else if (!syn_again)
			tell(tl, own_note[own], s, v->resent_after_frame, (uint32_t)v->resent_after_us);
		break;
	case PKL_TV_OUT_OF_ORDER:
	case PKL_TV_LOST_UPSTREAM:
	case PKL_TV_CANNOT_TELL:
		tell(tl, own_note[own], s, v->gap_us, 0);
		break;
	case PKL_TV_ZERO_WINDOW_PROBE:
		tell(tl, v->probe_interval_us ? PKL_NOTE_TV_ZERO_WINDOW_PROBE_AGAIN : own_note[own],
		     s, v->probe_num, v->probe_interval_us);
		break;
	case PKL_TV_ZERO_WINDOW_PROBE_ACK: tell(tl, own_note[own], s, v->window_size, 0); break;
	default: tell(tl, own_note[own], s, 0, 0); break;
	}
	if (!syn_again && !pkl_tcp_verdicts_agree(own, v->flags))
		tell(tl, tshark_note[pkl_tcp_verdict_of_flags(v->flags)], s, 0, 0);
	for (; fl; fl &= fl - 1) {
		unsigned b = (unsigned)__builtin_ctz(fl);
		uint64_t a1 = 0, a2 = 0;   /* frame numbers whole: past 2^32 in a long capture */
		switch (1u << b) {
		case PKL_TA_LOST_SEGMENT: a1 = v->lost_bytes; break;
		case PKL_TA_DUPLICATE_ACK: a1 = v->dup_ack_num; a2 = v->dup_ack_frame; break;
		case PKL_TA_WINDOW_UPDATE: a1 = v->window_size; break;
		default: break;
		}
		tell(tl, note_of[b], s, a1, a2);
	}
	if (!v->acked_frame)
		return;
	static const enum pkl_note_code ack_note[] = {
		[PKL_ACK_ROUND_TRIP] = PKL_NOTE_TA_ACK_RTT,
		[PKL_ACK_TURNAROUND] = PKL_NOTE_TV_ACK_TURNAROUND,
		[PKL_ACK_DELAYED] = PKL_NOTE_TV_DELAYED_ACK,
	};
	tell(tl, ack_note[v->ack_timing], s, v->acked_frame, (uint32_t)v->ack_rtt_us);
}

/* A TCP segment in its connection: a new connection on old ports, or
 * roles guessed, before the states line; then its steps, the sequence
 * analysis, what it shows of the writes, its TTL. */
static void
tell_connection(struct telling *tl, const struct pkl_conn_snapshot *conn, const struct pkl_tcp *t,
		const struct pkl_findings *f)
{
	static const enum pkl_note_code roles_note[] = {
		[PKL_ROLES_WELL_KNOWN_PORT] = PKL_NOTE_CONN_MIDSTREAM_WELL_KNOWN,
		[PKL_ROLES_EPHEMERAL_PORT] = PKL_NOTE_CONN_MIDSTREAM_EPHEMERAL,
		[PKL_ROLES_FIRST_SENDER] = PKL_NOTE_CONN_MIDSTREAM_FIRST_SENDER,
	};
	uint32_t s = (uint32_t)conn->sender;

	if (f->reused)
		tell(tl, PKL_NOTE_CONN_REUSED, f->reused_id, 0, 0);
	if (f->roles != PKL_ROLES_SEEN)
		tell(tl, roles_note[f->roles], f->server_port, f->client_port, 0);
	static const enum pkl_note_code scan_note[] = {
		[PKL_SCAN_NULL] = PKL_NOTE_CONN_SCAN_NULL, [PKL_SCAN_FIN] = PKL_NOTE_CONN_SCAN_FIN,
		[PKL_SCAN_XMAS] = PKL_NOTE_CONN_SCAN_XMAS, [PKL_SCAN_ALL] = PKL_NOTE_CONN_SCAN_ALL,
		[PKL_SCAN_SYN_FIN] = PKL_NOTE_CONN_SCAN_SYN_FIN,
		[PKL_SCAN_SYN_RST] = PKL_NOTE_CONN_SCAN_SYN_RST,
	};
	if (f->scan != PKL_SCAN_NONE)
		tell(tl, scan_note[f->scan], t->dport, 0, 0);
	tell(tl, PKL_NOTE_CONN_STATES, conn->id, (uint64_t)conn->after[0], (uint64_t)conn->after[1]);
	tell_steps(tl, conn, t, f);
	tell_analysis(tl, conn, t);
	switch (f->boundary) {
	case PKL_BOUNDARY_COALESCED:
		tell(tl, PKL_NOTE_CONN_NAGLE, s, f->segment_bytes, f->segment_ack_frame);
		break;
	case PKL_BOUNDARY_FULL:   /* segment_bytes: data and options together */
		tell4(tl, PKL_NOTE_CONN_FULL_SEGMENT, s, t->payload_len, f->segment_mss,
		      f->segment_bytes - t->payload_len);
		break;
	case PKL_BOUNDARY_OVERSIZE:
		tell(tl, PKL_NOTE_CONN_OFFLOAD_SEGMENT, s, f->segment_bytes, f->segment_mss);
		break;
	default: break;
	}
	if (f->ttl_changed)
		tell(tl, PKL_NOTE_CONN_TTL_CHANGE, s, f->ttl_was, f->ttl_now);
}

/* An ARP message in its exchange: the address it claims, then what it
 * does to the exchange. */
static void
tell_arp(struct telling *tl, const struct pkl_arp *a, const struct pkl_findings *f)
{
	if (f->arp_conflict)
		tell4(tl, f->conflict_defended ? PKL_NOTE_ARP_CONFLICT_DEFENDED : PKL_NOTE_ARP_CONFLICT,
		      ipv4_u32(a->spa), mac_u64(f->conflict_mac), f->conflict_frame, mac_u64(a->sha));
	switch (f->arp) {
	case PKL_ARP_FOUND_RETRY:
		tell(tl, PKL_NOTE_ARP_RETRY, f->arp_requests, ipv4_u32(a->tpa),
		     f->arp_request_frame);
		break;
	case PKL_ARP_FOUND_ANSWER:
		tell(tl, PKL_NOTE_ARP_ANSWER, f->arp_request_frame, f->arp_answer_us, 0);
		break;
	case PKL_ARP_FOUND_PROBE_ANSWER:
		tell(tl, PKL_NOTE_ARP_PROBE_ANSWER, f->arp_request_frame, f->arp_answer_us,
		     ipv4_u32(a->spa));
		break;
	case PKL_ARP_FOUND_UNSOLICITED:
		tell(tl, PKL_NOTE_ARP_UNSOLICITED, ipv4_u32(a->tpa), ipv4_u32(a->spa),
		     mac_u64(a->sha));
		break;
	default: break;
	}
}

/* An echo reply's request, and the conversation an ICMP error quotes. */
static void
tell_icmp(struct telling *tl, const struct pkl_findings *f)
{
	switch (f->echo) {
	case PKL_ECHO_FOUND_ANSWER:
		tell(tl, PKL_NOTE_ICMP_ECHO_ANSWER, f->echo_request_frame, f->echo_rtt_us, 0);
		break;
	case PKL_ECHO_FOUND_DUPLICATE:
		tell(tl, PKL_NOTE_ICMP_ECHO_DUPLICATE, f->echo_request_frame, 0, 0);
		break;
	case PKL_ECHO_FOUND_UNMATCHED:
		tell(tl, PKL_NOTE_ICMP_ECHO_UNMATCHED, PKL_ECHO_PENDING, 0, 0);
		break;
	default: break;
	}
	switch (f->quote) {
	case PKL_QUOTE_FOUND_UDP:
		if (f->quoted_frame)
			tell(tl, PKL_NOTE_ICMP_QUOTES_UDP, f->quoted_id, f->quoted_frame, 0);
		else
			tell(tl, PKL_NOTE_ICMP_QUOTES_UDP_FLOW, f->quoted_id, PKL_UDP_RECENT, 0);
		break;
	case PKL_QUOTE_FOUND_TCP:
		if (f->quoted_max_data)
			tell(tl, PKL_NOTE_ICMP_PMTU_TCP, f->quoted_id, f->quoted_mtu,
			     f->quoted_max_data);
		else
			tell(tl, PKL_NOTE_ICMP_QUOTES_TCP, f->quoted_id, 0, 0);
		break;
	case PKL_QUOTE_FOUND_ECHO:
		if (f->quoted_frame)
			tell(tl, PKL_NOTE_ICMP_QUOTES_ECHO, f->quoted_id, f->quoted_frame,
			     f->quoted_seq);
		else
			tell(tl, PKL_NOTE_ICMP_QUOTES_ECHO_SESSION, f->quoted_id, f->quoted_seq, 0);
		break;
	default: break;
	}
}

void
pkl_annotate(const struct pkl_packet *pkt, const struct pkl_findings *found,
	     const struct pkl_annotate_opts *opts, struct pkl_notes *ns)
{
	const struct pkl_conn_snapshot *conn = ns->conn.valid ? &ns->conn : NULL;

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
			add_note(ns, l->hdr.vlan.tpid == PKL_ETHERTYPE_VLAN ? PKL_NOTE_VLAN_TAG
									  : PKL_NOTE_VLAN_QINQ,
				 i, l->hdr.vlan.vid, l->hdr.vlan.pcp, 0);
			break;
		case PKL_PROTO_ARP:
			annotate_arp(&l->hdr.arp, i, found, ns);
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
				annotate_icmpv6(&l->hdr.icmp, pkl_layer_below(pkt, l), i, ns);
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
	/* What the frame says comes before what the trackers found of it. */
	struct telling tl = { ns, found->layer, ns->n };
	const struct pkl_layer *l = &pkt->layers[found->layer];
	if (conn)
		tell_connection(&tl, conn, &l->hdr.tcp, found);
	else if (found->arp_conflict || found->arp != PKL_ARP_FOUND_NONE)
		tell_arp(&tl, &l->hdr.arp, found);
	else if (found->udp_broadcast_answer)
		tell(&tl, PKL_NOTE_UDP_BROADCAST_ANSWER, found->broadcast_flow_id,
		     found->broadcast_frame, found->broadcast_hosts);
	else
		tell_icmp(&tl, found);
}
