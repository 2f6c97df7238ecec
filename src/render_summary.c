/* The one-line summary shared by the default and -q views. */
#include <pcap/pcap.h>
#include <string.h>

#include "../dissectors/arp.h"
#include "../dissectors/eth.h"
#include "../dissectors/icmp.h"
#include "../dissectors/icmpv6.h"
#include "../dissectors/ipv4.h"
#include "decode.h"
#include "capture.h"
#include "render.h"

void
pkl_render_time(struct pkl_out *o, const struct pkl_clock *clock, int64_t sec, uint32_t nsec)
{
	if (clock->started)
		pkl_time_since(o, sec, nsec, clock->first_sec, clock->first_nsec);
	else
		pkl_time_since(o, sec, nsec, sec, nsec);
}

void
pkl_render_reltime(const struct pkl_render *r, const struct pkl_frame *f)
{
	pkl_render_time(r->out, r->clock, f->ts_sec, f->ts_nsec);
}

void
pkl_render_frame_time(struct pkl_render *r, struct pkl_out *o, const struct pkl_frame *f)
{
	switch (r->time) {
	case PKL_TIME_NONE:
		break;
	case PKL_TIME_EPOCH:
		pkl_time_epoch(o, f->ts_sec, f->ts_nsec);
		break;
	case PKL_TIME_DELTA:
		/* The first frame shown is 0, as tcpdump -ttt shows it. */
		if (!r->shown_one)
			pkl_time_since(o, f->ts_sec, f->ts_nsec, f->ts_sec, f->ts_nsec);
		else
			pkl_time_since(o, f->ts_sec, f->ts_nsec, r->prev_sec, r->prev_nsec);
		break;
	case PKL_TIME_DATE:
	case PKL_TIME_ABS:
		pkl_time_wall(o, f->ts_sec, f->ts_nsec, r->time == PKL_TIME_DATE);
		break;
	case PKL_TIME_DEFAULT:
	case PKL_TIME_REL:
		pkl_render_time(o, r->clock, f->ts_sec, f->ts_nsec);
		break;
	}
	r->shown_one = true;
	r->prev_sec = f->ts_sec;
	r->prev_nsec = f->ts_nsec;
}

void
pkl_render_name(struct pkl_out *o, const char *name, const char *label, uint64_t number)
{
	if (name) {
		pkl_out_str(o, name);
	} else {
		pkl_out_str(o, label);
		pkl_out_u64(o, number);
	}
}

void
pkl_render_icmp_kind(struct pkl_out *o, bool v6, uint8_t type, uint8_t code)
{
	const char *code_name = v6 ? NULL : pkl_icmp_code_name(type, code);

	pkl_render_name(o, v6 ? pkl_icmpv6_type_name(type) : pkl_icmp_type_name(type), "type ",
			type);
	if (code_name) {
		pkl_out_str(o, " (");
		pkl_out_str(o, code_name);
		pkl_out_char(o, ')');
	} else if (code) {
		pkl_out_str(o, " code ");
		pkl_out_u64(o, code);
	}
}

/* The outermost (not quoted) layers of interest. */
struct outline {
	const struct pkl_layer *link, *net, *transport, *app, *arp, *unknown, *quoted_net,
		*quoted_transport;
};

static struct outline
outline_of(const struct pkl_packet *pkt)
{
	struct outline ol = { 0 };

	for (unsigned i = 0; i < pkt->n_layers; i++) {
		const struct pkl_layer *l = &pkt->layers[i];
		bool quoted = l->flags & PKL_LAYER_QUOTED;
		/* Fields of a header cut short were never read; of TCP and
		 * UDP the ports are worth showing once they arrived, of
		 * Ethernet the addresses. */
		bool usable = (l->flags & PKL_LAYER_HEADER) ||
			      ((l->proto == PKL_PROTO_TCP || l->proto == PKL_PROTO_UDP) && l->caplen >= 4) ||
			      (l->proto == PKL_PROTO_ETH && l->hdr_len >= 12) ||
			      l->proto == PKL_PROTO_UNKNOWN;
		if (!usable)
			break;
		switch (l->proto) {
		case PKL_PROTO_ETH:
			if (!ol.link)
				ol.link = l;
			break;
		case PKL_PROTO_ARP:
			ol.arp = l;
			break;
		case PKL_PROTO_IPV4:
		case PKL_PROTO_IPV6:
			if (quoted)
				ol.quoted_net = l;
			else if (!ol.transport)
				ol.net = l;  /* the innermost, for tunnels */
			break;
		case PKL_PROTO_ICMP:
		case PKL_PROTO_ICMPV6:
		case PKL_PROTO_UDP:
		case PKL_PROTO_TCP:
			if (quoted && !ol.quoted_transport)
				ol.quoted_transport = l;
			else if (!quoted && !ol.transport)
				ol.transport = l;
			break;
		case PKL_PROTO_UNKNOWN:
			ol.unknown = l;
			break;
		case PKL_PROTO_DNS:
		case PKL_PROTO_HTTP:
			if (!quoted)
				ol.app = l;
			break;
		default:
			break;
		}
	}
	return ol;
}

static void
net_addr(struct pkl_out *o, const struct pkl_layer *net, bool src)
{
	if (net->proto == PKL_PROTO_IPV4)
		pkl_out_ipv4(o, src ? net->hdr.ipv4.src : net->hdr.ipv4.dst);
	else
		pkl_out_ipv6(o, src ? net->hdr.ipv6.src : net->hdr.ipv6.dst);
}

/* "10.0.0.1:80", "[fd77::1]:80", or just the address when port < 0. */
static void
endpoint(struct pkl_out *o, const struct pkl_layer *net, bool src, int port)
{
	bool v6 = net->proto == PKL_PROTO_IPV6;

	if (v6 && port >= 0)
		pkl_out_char(o, '[');
	net_addr(o, net, src);
	if (v6 && port >= 0)
		pkl_out_char(o, ']');
	if (port >= 0) {
		pkl_out_char(o, ':');
		pkl_out_u64(o, (uint64_t)port);
	}
}

static void
endpoints(struct pkl_out *o, const struct pkl_layer *net, int sport, int dport)
{
	pkl_out_color(o, PKL_COLOR_ADDR);
	endpoint(o, net, true, sport);
	pkl_out_str(o, " -> ");
	endpoint(o, net, false, dport);
	pkl_out_color(o, PKL_COLOR_RESET);
	pkl_out_str(o, "  ");
}

static void
mac_endpoints(struct pkl_out *o, const struct pkl_eth *e)
{
	pkl_out_color(o, PKL_COLOR_ADDR);
	pkl_out_mac(o, e->src);
	pkl_out_str(o, " -> ");
	pkl_out_mac(o, e->dst);
	pkl_out_color(o, PKL_COLOR_RESET);
	pkl_out_str(o, "  ");
}

void
pkl_render_tcp_flag_names(struct pkl_out *o, uint16_t flags, const char *sep)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} names[] = {
		{ PKL_TCP_FIN, "FIN" }, { PKL_TCP_SYN, "SYN" }, { PKL_TCP_RST, "RST" },
		{ PKL_TCP_PSH, "PSH" }, { PKL_TCP_ACK, "ACK" }, { PKL_TCP_URG, "URG" },
		{ PKL_TCP_ECE, "ECE" }, { PKL_TCP_CWR, "CWR" }, { PKL_TCP_AE, "AE" },
	};
	bool first = true;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(flags & names[i].bit))
			continue;
		if (!first)
			pkl_out_str(o, sep);
		pkl_out_str(o, names[i].name);
		first = false;
	}
	if (first)
		pkl_out_str(o, "none");
}

void
pkl_render_tcp_flags(struct pkl_out *o, uint16_t flags)
{
	pkl_out_color(o, PKL_COLOR_FLAGS);
	pkl_out_char(o, '[');
	pkl_render_tcp_flag_names(o, flags, ", ");
	pkl_out_char(o, ']');
	pkl_out_color(o, PKL_COLOR_RESET);
}

static void
summary_tcp(struct pkl_out *o, const struct pkl_layer *l, const struct pkl_conn_snapshot *conn)
{
	const struct pkl_tcp *t = &l->hdr.tcp;

	pkl_out_str(o, "TCP ");
	if (!(l->flags & PKL_LAYER_HEADER)) {
		if (l->caplen >= 8) {
			pkl_out_str(o, "seq=");
			pkl_out_u64(o, t->seq);
		}
		return;
	}
	/* With the connection followed, numbers relative to the ISN and the
	 * window in bytes, as Wireshark's Info column has them. */
	pkl_render_tcp_flags(o, t->flags);
	pkl_out_str(o, " seq=");
	pkl_out_u64(o, conn ? conn->rel_seq : t->seq);
	if (t->flags & PKL_TCP_ACK) {
		pkl_out_str(o, " ack=");
		pkl_out_u64(o, conn ? conn->rel_ack : t->ack);
	}
	pkl_out_str(o, " win=");
	pkl_out_u64(o, conn ? conn->analysis.window_size : t->window);
	pkl_out_str(o, " len=");
	pkl_out_u64(o, t->payload_len);
}

/* What the sequence analysis found, after the anomaly marks: pktlens's
 * verdict, then Wireshark's findings it does not judge. */
static void
analysis_marks(struct pkl_out *o, const struct pkl_conn_snapshot *conn)
{
	const struct pkl_tcp_verdict *v = &conn->analysis;
	uint32_t fl = v->flags & ~(uint32_t)PKL_TA_JUDGED;

	if (!fl && v->own == PKL_TV_NONE)
		return;
	pkl_out_color(o, PKL_COLOR_FLAGS);
	if (v->own != PKL_TV_NONE) {
		pkl_out_str(o, " [");
		pkl_out_str(o, pkl_tcp_verdict_label((enum pkl_tcp_own)v->own));
		pkl_out_char(o, ']');
	}
	for (unsigned b = 0; b < PKL_TA_COUNT; b++) {
		if (!(fl & (1u << b)))
			continue;
		pkl_out_str(o, " [");
		pkl_out_str(o, pkl_tcp_analysis_label(b));
		if ((1u << b) == PKL_TA_DUPLICATE_ACK) {
			pkl_out_str(o, " #");
			pkl_out_u64(o, v->dup_ack_num);
			pkl_out_str(o, " of #");
			pkl_out_u64(o, v->dup_ack_frame);
		}
		pkl_out_char(o, ']');
	}
	pkl_out_color(o, PKL_COLOR_RESET);
}

static void
summary_quoted(struct pkl_out *o, const struct outline *ol)
{
	const struct pkl_layer *qn = ol->quoted_net, *qt = ol->quoted_transport;

	if (!qn)
		return;
	pkl_out_str(o, " for ");
	if (qt && (qt->proto == PKL_PROTO_UDP || qt->proto == PKL_PROTO_TCP) && qt->caplen >= 4) {
		uint16_t sp = qt->proto == PKL_PROTO_UDP ? qt->hdr.udp.sport : qt->hdr.tcp.sport;
		uint16_t dp = qt->proto == PKL_PROTO_UDP ? qt->hdr.udp.dport : qt->hdr.tcp.dport;
		pkl_out_str(o, qt->proto == PKL_PROTO_UDP ? "UDP " : "TCP ");
		endpoint(o, qn, true, sp);
		pkl_out_str(o, " -> ");
		endpoint(o, qn, false, dp);
	} else {
		pkl_out_str(o, pkl_proto_name(qt ? qt->proto : qn->proto));
		pkl_out_char(o, ' ');
		endpoint(o, qn, true, -1);
		pkl_out_str(o, " -> ");
		endpoint(o, qn, false, -1);
	}
}

static void
summary_icmp(struct pkl_out *o, const struct pkl_layer *l, const struct outline *ol)
{
	const struct pkl_icmp *ic = &l->hdr.icmp;
	bool v6 = l->proto == PKL_PROTO_ICMPV6;

	pkl_out_str(o, v6 ? "ICMPv6 " : "ICMP ");
	pkl_render_icmp_kind(o, v6, ic->type, ic->code);
	if (ic->has_echo) {
		pkl_out_str(o, " id=");
		pkl_out_u64(o, ic->ident);
		pkl_out_str(o, " seq=");
		pkl_out_u64(o, ic->seq);
	}
	if (ic->next_hop_mtu) {
		pkl_out_str(o, " mtu=");
		pkl_out_u64(o, ic->next_hop_mtu);
	}
	if (ic->has_target) {
		pkl_out_str(o, " target ");
		pkl_out_ipv6(o, ic->target);
	}
	summary_quoted(o, ol);
}

static void
summary_arp(struct pkl_out *o, const struct pkl_arp *a)
{
	pkl_out_str(o, "ARP ");
	if (!a->addrs_decoded) {
		pkl_render_name(o, pkl_arp_opcode_name(a->op), "opcode ", a->op);
		return;
	}
	switch (a->kind) {
	case PKL_ARP_REQUEST:
	case PKL_ARP_PROBE:
		if (a->kind == PKL_ARP_PROBE)
			pkl_out_str(o, "probe: ");
		pkl_out_str(o, "who-has ");
		pkl_out_ipv4(o, a->tpa);
		pkl_out_str(o, "? tell ");
		pkl_out_ipv4(o, a->spa);
		break;
	case PKL_ARP_GRATUITOUS:
		pkl_out_str(o, "gratuitous: ");
		/* fall through */
	case PKL_ARP_REPLY:
		pkl_out_ipv4(o, a->spa);
		pkl_out_str(o, " is-at ");
		pkl_out_mac(o, a->sha);
		break;
	case PKL_ARP_OTHER:
		pkl_render_name(o, pkl_arp_opcode_name(a->op), "opcode ", a->op);
		break;
	}
}

static void
summary_unknown(struct pkl_out *o, const struct pkl_layer *l)
{
	const struct pkl_unknown *u = &l->hdr.unknown;

	switch (u->parent) {
	case PKL_PROTO_NONE:
		pkl_out_str(o, "link type ");
		pkl_out_u64(o, u->value);
		pkl_out_char(o, ' ');
		pkl_out_str(o, pkl_linktype_name((int)u->value));
		pkl_out_str(o, " (not decoded)");
		break;
	case PKL_PROTO_IPV4:
	case PKL_PROTO_IPV6: {
		const char *name = pkl_ipproto_name((uint8_t)u->value);
		pkl_out_str(o, "IP proto ");
		pkl_out_u64(o, u->value);
		pkl_out_str(o, name ? " (" : " (unknown)");
		if (name) {
			pkl_out_str(o, name);
			pkl_out_str(o, ", not decoded)");
		}
		break;
	}
	case PKL_PROTO_NULL:
		pkl_out_str(o, "address family ");
		pkl_out_u64(o, u->value);
		pkl_out_str(o, " (unknown)");
		break;
	default: {
		const char *name = pkl_ethertype_name((uint16_t)u->value);
		pkl_out_str(o, "EtherType 0x");
		pkl_out_hex(o, u->value, 4);
		pkl_out_str(o, name ? " (" : " (unknown)");
		if (name) {
			pkl_out_str(o, name);
			pkl_out_str(o, ", not decoded)");
		}
		break;
	}
	}
	pkl_out_str(o, ", ");
	pkl_out_u64(o, l->len);
	pkl_out_str(o, " bytes");
}

void
pkl_render_unknown_name(struct pkl_out *o, const struct pkl_unknown *u)
{
	const char *name;

	switch (u->parent) {
	case PKL_PROTO_NONE:
		name = pcap_datalink_val_to_name((int)u->value);
		pkl_out_str(o, "link type ");
		pkl_out_u64(o, u->value);
		break;
	case PKL_PROTO_IPV4:
	case PKL_PROTO_IPV6:
		name = pkl_ipproto_name((uint8_t)u->value);
		pkl_out_str(o, "IP proto ");
		pkl_out_u64(o, u->value);
		break;
	case PKL_PROTO_NULL:
		name = NULL;
		pkl_out_str(o, "address family ");
		pkl_out_u64(o, u->value);
		break;
	default:
		name = pkl_ethertype_name((uint16_t)u->value);
		pkl_out_str(o, "EtherType 0x");
		pkl_out_hex(o, u->value, 4);
		break;
	}
	if (name) {
		pkl_out_str(o, " (");
		pkl_out_str(o, name);
		pkl_out_char(o, ')');
	}
}

/* The checksum status of a layer that has one, else unverified. */
static enum pkl_checksum
layer_checksum(const struct pkl_layer *l)
{
	switch (l->proto) {
	case PKL_PROTO_IPV4: return l->hdr.ipv4.cksum_status;
	case PKL_PROTO_ICMP:
	case PKL_PROTO_ICMPV6: return l->hdr.icmp.cksum_status;
	case PKL_PROTO_UDP: return l->hdr.udp.cksum_status;
	case PKL_PROTO_TCP: return l->hdr.tcp.cksum_status;
	default: return PKL_CK_UNVERIFIED;
	}
}

static void
summary_marks(struct pkl_out *o, const struct pkl_packet *pkt)
{
	/* Offloaded checksums are wrong only in the capture: not marked. */
	for (unsigned i = 0; i < pkt->n_layers; i++) {
		const struct pkl_layer *l = &pkt->layers[i];
		if (layer_checksum(l) != PKL_CK_BAD || (l->flags & PKL_LAYER_QUOTED))
			continue;
		pkl_out_color(o, PKL_COLOR_BAD);
		pkl_out_str(o, " [bad ");
		pkl_out_str(o, pkl_proto_name(l->proto));
		pkl_out_str(o, " checksum]");
		pkl_out_color(o, PKL_COLOR_RESET);
	}
	if (pkt->truncated) {
		pkl_out_color(o, PKL_COLOR_BAD);
		pkl_out_str(o, " [truncated]");
		pkl_out_color(o, PKL_COLOR_RESET);
	}
	for (unsigned i = 0; i < pkt->n_events; i++) {
		const struct pkl_event *ev = &pkt->events[i];
		if (pkl_event_kind(ev->code) != PKL_EVK_MALFORMED)
			continue;
		char text[160];
		pkl_event_format(ev->code, ev->arg, text, sizeof text);
		pkl_out_color(o, PKL_COLOR_BAD);
		pkl_out_str(o, " [malformed: ");
		pkl_out_str(o, text);
		pkl_out_char(o, ']');
		pkl_out_color(o, PKL_COLOR_RESET);
		break;   /* the first reason; the layers show the rest */
	}
}

void
pkl_render_summary(struct pkl_out *o, const struct pkl_packet *pkt,
		   const struct pkl_conn_snapshot *conn)
{
	struct outline ol = outline_of(pkt);
	const struct pkl_layer *t = ol.transport;

	if (!conn->valid)
		conn = NULL;
	if (ol.net && t && t->proto == PKL_PROTO_TCP) {
		endpoints(o, ol.net, t->hdr.tcp.sport, t->hdr.tcp.dport);
		summary_tcp(o, t, conn);
		if (ol.app)
			pkl_render_app_summary(o, ol.app);
	} else if (ol.net && t && t->proto == PKL_PROTO_UDP) {
		endpoints(o, ol.net, t->hdr.udp.sport, t->hdr.udp.dport);
		pkl_out_str(o, "UDP len=");
		pkl_out_u64(o, t->hdr.udp.payload_len);
		if (ol.app)
			pkl_render_app_summary(o, ol.app);
	} else if (ol.net && t) {
		endpoints(o, ol.net, -1, -1);
		summary_icmp(o, t, &ol);
	} else if (ol.arp) {
		summary_arp(o, &ol.arp->hdr.arp);
	} else if (ol.net) {
		endpoints(o, ol.net, -1, -1);
		if (ol.unknown) {
			summary_unknown(o, ol.unknown);
		} else if (ol.net->proto == PKL_PROTO_IPV4 && ol.net->hdr.ipv4.frag_offset) {
			pkl_out_str(o, "IPv4 fragment id=0x");
			pkl_out_hex(o, ol.net->hdr.ipv4.id, 4);
			pkl_out_str(o, " offset=");
			pkl_out_u64(o, ol.net->hdr.ipv4.frag_offset * 8u);
			pkl_out_str(o, " len=");
			pkl_out_u64(o, ol.net->payload_len);
		} else {
			pkl_out_str(o, ol.net->proto == PKL_PROTO_IPV4 ? "IPv4" : "IPv6");
		}
	} else if (ol.unknown) {
		if (ol.link)
			mac_endpoints(o, &ol.link->hdr.eth);
		summary_unknown(o, ol.unknown);
	} else if (ol.link) {
		mac_endpoints(o, &ol.link->hdr.eth);
		if (ol.link->hdr.eth.is_8023) {
			pkl_out_str(o, "802.3 LLC len=");
			pkl_out_u64(o, ol.link->hdr.eth.type);
		} else {
			pkl_out_str(o, "Ethernet");
		}
	} else {
		pkl_out_str(o, pkt->n_layers ? pkl_proto_name(pkt->layers[0].proto) : "frame");
		pkl_out_char(o, ' ');
		pkl_out_u64(o, pkt->frame->len);
		pkl_out_str(o, " bytes");
	}
	summary_marks(o, pkt);
	if (conn)
		analysis_marks(o, conn);
}
