/* The default view: the summary line, one line per layer with its
 * fields, the anomalies where they occur, then the explanations. */
#include <stdio.h>
#include <string.h>

#include "../dissectors/arp.h"
#include "../dissectors/eth.h"
#include "../dissectors/icmp.h"
#include "../dissectors/icmpv6.h"
#include "../dissectors/ipv4.h"
#include "../dissectors/ipv6.h"
#include "../dissectors/sll.h"
#include "../dissectors/tcp.h"
#include "capture.h"
#include "decode.h"
#include "render.h"

#define LABEL_WIDTH 13

static const char *
layer_label(const struct pkl_layer *l)
{
	switch (l->proto) {
	case PKL_PROTO_ETH: return l->hdr.eth.is_8023 ? "802.3" : "Ethernet II";
	case PKL_PROTO_VLAN: return l->hdr.vlan.tpid == PKL_ETHERTYPE_VLAN ? "802.1Q" : "802.1ad";
	case PKL_PROTO_SLL: return "Linux cooked";
	case PKL_PROTO_SLL2: return "Linux cooked2";
	case PKL_PROTO_NULL: return "BSD loopback";
	case PKL_PROTO_IP: return "Raw IP";
	case PKL_PROTO_ARP: return "ARP";
	case PKL_PROTO_IPV4: return "IPv4";
	case PKL_PROTO_IPV6: return "IPv6";
	case PKL_PROTO_ICMP: return "ICMP";
	case PKL_PROTO_ICMPV6: return "ICMPv6";
	case PKL_PROTO_UDP: return "UDP";
	case PKL_PROTO_TCP: return "TCP";
	case PKL_PROTO_DNS: return l->hdr.dns.mdns ? "mDNS" : "DNS";
	case PKL_PROTO_HTTP: return "HTTP";
	case PKL_PROTO_DATA: return "Data";
	case PKL_PROTO_UNKNOWN:   /* a link type: libpcap's name for it */
		if (l->hdr.unknown.parent == PKL_PROTO_NONE)
			return pkl_linktype_name((int)l->hdr.unknown.value);
		return "Unknown";
	default: return "Unknown";
	}
}

static void
checksum(struct pkl_out *o, uint16_t value, enum pkl_checksum status)
{
	pkl_out_str(o, "  cksum 0x");
	pkl_out_hex(o, value, 4);
	switch (status) {
	case PKL_CK_GOOD:
		pkl_out_color(o, PKL_COLOR_GOOD);
		pkl_out_str(o, " [good]");
		break;
	case PKL_CK_BAD:
		pkl_out_color(o, PKL_COLOR_BAD);
		pkl_out_str(o, " [bad]");
		break;
	case PKL_CK_PARTIAL:
		pkl_out_color(o, PKL_COLOR_FLAGS);
		pkl_out_str(o, " [offloaded]");
		break;
	case PKL_CK_UNVERIFIED:
		pkl_out_color(o, PKL_COLOR_DIM);
		pkl_out_str(o, " [unverified]");
		break;
	}
	pkl_out_color(o, PKL_COLOR_RESET);
}

static void
type_name(struct pkl_out *o, const char *name)
{
	if (name) {
		pkl_out_char(o, ' ');
		pkl_out_str(o, name);
	}
}

static void
ethertype(struct pkl_out *o, uint16_t type)
{
	pkl_out_str(o, "  type 0x");
	pkl_out_hex(o, type, 4);
	type_name(o, pkl_ethertype_name(type));
}

static void
mac_flagged(struct pkl_out *o, const uint8_t m[6])
{
	pkl_out_mac(o, m);
	if (pkl_mac_is_broadcast(m))
		pkl_out_str(o, " (broadcast)");
	else if (pkl_mac_is_multicast(m))
		pkl_out_str(o, " (multicast)");
}

static void
fields_eth(struct pkl_out *o, const struct pkl_layer *l)
{
	const struct pkl_eth *e = &l->hdr.eth;

	if (l->hdr_len < 12) {
		pkl_out_str(o, "addresses cut short");
		return;
	}
	pkl_out_color(o, PKL_COLOR_ADDR);
	pkl_out_mac(o, e->src);
	pkl_out_str(o, " -> ");
	mac_flagged(o, e->dst);
	pkl_out_color(o, PKL_COLOR_RESET);
	if (!(l->flags & PKL_LAYER_HEADER))
		return;
	if (e->is_8023) {
		pkl_out_str(o, "  length ");
		pkl_out_u64(o, e->type);
		pkl_out_str(o, " (LLC)");
	} else {
		ethertype(o, e->type);
	}
}

static void
fields_vlan(struct pkl_out *o, const struct pkl_vlan *v)
{
	pkl_out_str(o, "vlan ");
	pkl_out_u64(o, v->vid);
	pkl_out_str(o, "  pcp ");
	pkl_out_u64(o, v->pcp);
	if (v->dei)
		pkl_out_str(o, "  DEI");
	ethertype(o, v->type);
}

static void
fields_sll(struct pkl_out *o, const struct pkl_layer *l)
{
	const struct pkl_sll *s = &l->hdr.sll;

	pkl_out_str(o, pkl_sll_pkttype_name(s->pkttype));
	if (l->proto == PKL_PROTO_SLL2) {
		pkl_out_str(o, "  ifindex ");
		pkl_out_u64(o, s->ifindex);
	}
	pkl_out_str(o, "  hatype ");
	pkl_out_u64(o, s->hatype);
	if (s->addr_len == 6) {
		pkl_out_str(o, "  addr ");
		pkl_out_mac(o, s->addr);
	}
	ethertype(o, s->protocol);
}

static void
fields_arp(struct pkl_out *o, const struct pkl_arp *a)
{
	static const char *const kinds[] = {
		[PKL_ARP_REQUEST] = "request", [PKL_ARP_REPLY] = "reply",
		[PKL_ARP_GRATUITOUS] = "gratuitous", [PKL_ARP_PROBE] = "probe",
		[PKL_ARP_OTHER] = "",
	};

	pkl_out_color(o, PKL_COLOR_FLAGS);
	if (a->kind == PKL_ARP_GRATUITOUS || a->kind == PKL_ARP_PROBE) {
		pkl_out_str(o, kinds[a->kind]);
		pkl_out_char(o, ' ');
	}
	pkl_render_name(o, pkl_arp_opcode_name(a->op), "opcode ", a->op);
	pkl_out_color(o, PKL_COLOR_RESET);
	pkl_out_str(o, "  hw ");
	pkl_render_name(o, pkl_arp_hwtype_name(a->htype), "type ", a->htype);
	pkl_out_char(o, '/');
	pkl_out_u64(o, a->hlen);
	pkl_out_str(o, a->ptype == PKL_ETHERTYPE_IPV4 ? "  proto IPv4/" : "  proto 0x");
	if (a->ptype != PKL_ETHERTYPE_IPV4) {
		pkl_out_hex(o, a->ptype, 4);
		pkl_out_char(o, '/');
	}
	pkl_out_u64(o, a->plen);
	if (!a->addrs_decoded)
		return;
	pkl_out_color(o, PKL_COLOR_ADDR);
	pkl_out_str(o, "  sender ");
	pkl_out_mac(o, a->sha);
	pkl_out_char(o, ' ');
	pkl_out_ipv4(o, a->spa);
	pkl_out_str(o, "  target ");
	pkl_out_mac(o, a->tha);
	pkl_out_char(o, ' ');
	pkl_out_ipv4(o, a->tpa);
	pkl_out_color(o, PKL_COLOR_RESET);
}

static void
fields_ipv4(struct pkl_out *o, const struct pkl_layer *l, unsigned indent)
{
	const struct pkl_ipv4 *ip = &l->hdr.ipv4;

	pkl_out_color(o, PKL_COLOR_ADDR);
	pkl_out_ipv4(o, ip->src);
	pkl_out_str(o, " -> ");
	pkl_out_ipv4(o, ip->dst);
	pkl_out_color(o, PKL_COLOR_RESET);
	pkl_out_str(o, "  len ");
	pkl_out_u64(o, ip->total_len);
	if (ip->ihl * 4u != PKL_IPV4_MIN_HLEN) {
		pkl_out_str(o, "  hdr ");
		pkl_out_u64(o, ip->ihl * 4u);
	}
	if (ip->dsfield) {
		pkl_out_str(o, "  dsfield 0x");
		pkl_out_hex(o, ip->dsfield, 2);
	}
	pkl_out_str(o, "  id 0x");
	pkl_out_hex(o, ip->id, 4);
	if (ip->rf)
		pkl_out_str(o, "  RF");
	if (ip->df)
		pkl_out_str(o, "  DF");
	if (ip->mf)
		pkl_out_str(o, "  MF");
	if (ip->frag_offset) {
		pkl_out_str(o, "  offset ");
		pkl_out_u64(o, ip->frag_offset * 8u);
	}
	pkl_out_str(o, "  ttl ");
	pkl_out_u64(o, ip->ttl);
	pkl_out_str(o, "  proto ");
	pkl_out_u64(o, ip->proto);
	type_name(o, pkl_ipproto_name(ip->proto));
	checksum(o, ip->cksum, ip->cksum_status);
	if (ip->n_options == 0)
		return;
	pkl_out_char(o, '\n');
	pkl_out_spaces(o, indent + LABEL_WIDTH);
	pkl_out_str(o, "options:");
	for (unsigned i = 0; i < ip->n_options; i++) {
		pkl_out_str(o, i ? ", " : " ");
		pkl_render_name(o, pkl_ipv4_option_name(ip->options[i].type), "type ",
				ip->options[i].type);
		if (ip->options[i].len > 1) {
			pkl_out_str(o, " (");
			pkl_out_u64(o, ip->options[i].len);
			pkl_out_str(o, " bytes)");
		}
	}
	if (ip->options_more) {
		pkl_out_str(o, ", and ");
		pkl_out_u64(o, ip->options_more);
		pkl_out_str(o, " more");
	}
}

static void
fields_ipv6(struct pkl_out *o, const struct pkl_ipv6 *ip)
{
	pkl_out_color(o, PKL_COLOR_ADDR);
	pkl_out_ipv6(o, ip->src);
	pkl_out_str(o, " -> ");
	pkl_out_ipv6(o, ip->dst);
	pkl_out_color(o, PKL_COLOR_RESET);
	pkl_out_str(o, "  plen ");
	pkl_out_u64(o, ip->payload_len);
	pkl_out_str(o, "  next ");
	pkl_out_u64(o, ip->nxt);
	type_name(o, pkl_ipproto_name(ip->nxt));
	pkl_out_str(o, "  hlim ");
	pkl_out_u64(o, ip->hlim);
	if (ip->tclass) {
		pkl_out_str(o, "  tclass 0x");
		pkl_out_hex(o, ip->tclass, 2);
	}
	if (ip->flow) {
		pkl_out_str(o, "  flow 0x");
		pkl_out_hex(o, ip->flow, 5);
	}
	for (unsigned i = 0; i < ip->n_ext; i++) {
		pkl_out_str(o, i ? ", " : "  ext ");
		pkl_out_str(o, pkl_ipv6_ext_name(ip->ext[i]));
	}
	if (ip->fragment) {
		pkl_out_str(o, "  fragment offset ");
		pkl_out_u64(o, ip->frag_offset * 8u);
		if (ip->frag_more)
			pkl_out_str(o, " MF");
	}
}

static void
fields_icmp(struct pkl_out *o, const struct pkl_layer *l)
{
	const struct pkl_icmp *ic = &l->hdr.icmp;
	bool v6 = l->proto == PKL_PROTO_ICMPV6;
	const char *type = v6 ? pkl_icmpv6_type_name(ic->type) : pkl_icmp_type_name(ic->type);
	const char *code = v6 ? NULL : pkl_icmp_code_name(ic->type, ic->code);

	pkl_out_str(o, "type ");
	pkl_out_u64(o, ic->type);
	pkl_out_color(o, PKL_COLOR_FLAGS);
	type_name(o, type);
	pkl_out_color(o, PKL_COLOR_RESET);
	pkl_out_str(o, "  code ");
	pkl_out_u64(o, ic->code);
	type_name(o, code);
	if (!(l->flags & PKL_LAYER_QUOTED))
		checksum(o, ic->cksum, ic->cksum_status);
	if (ic->has_echo) {
		pkl_out_str(o, "  id ");
		pkl_out_u64(o, ic->ident);
		pkl_out_str(o, "  seq ");
		pkl_out_u64(o, ic->seq);
	}
	if (!v6 && pkl_icmp_is_frag_needed(ic->type, ic->code)) {
		pkl_out_str(o, "  next-hop mtu ");
		pkl_out_u64(o, ic->next_hop_mtu);
	}
	if (ic->mtu6) {
		pkl_out_str(o, "  mtu ");
		pkl_out_u64(o, ic->mtu6);
	}
	if (ic->has_gateway) {
		pkl_out_str(o, "  gateway ");
		pkl_out_ipv4(o, ic->gateway);
	}
	if (ic->type == (v6 ? PKL_ICMPV6_PARAM_PROBLEM : PKL_ICMP_PARAM_PROBLEM)) {
		pkl_out_str(o, "  pointer ");
		pkl_out_u64(o, ic->pointer);
	}
	if (ic->has_target) {
		pkl_out_str(o, "  target ");
		pkl_out_ipv6(o, ic->target);
	}
}

static void
ports(struct pkl_out *o, uint16_t sport, uint16_t dport)
{
	pkl_out_color(o, PKL_COLOR_ADDR);
	pkl_out_u64(o, sport);
	pkl_out_str(o, " -> ");
	pkl_out_u64(o, dport);
	pkl_out_color(o, PKL_COLOR_RESET);
}

static void
fields_udp(struct pkl_out *o, const struct pkl_layer *l)
{
	const struct pkl_udp *u = &l->hdr.udp;

	if (l->caplen < 4) {
		pkl_out_u64(o, l->caplen);
		pkl_out_str(o, " bytes captured");
		return;
	}
	ports(o, u->sport, u->dport);
	if (!(l->flags & PKL_LAYER_HEADER))
		return;
	pkl_out_str(o, "  len ");
	pkl_out_u64(o, u->ulen);
	if (l->flags & PKL_LAYER_QUOTED)
		return;
	if (u->cksum == 0)
		pkl_out_str(o, "  cksum 0 [none]");
	else
		checksum(o, u->cksum, u->cksum_status);
}

static void
tcp_options(struct pkl_out *o, const struct pkl_tcp *t, unsigned indent)
{
	unsigned sack = 0;

	pkl_out_char(o, '\n');
	pkl_out_spaces(o, indent + LABEL_WIDTH);
	pkl_out_str(o, "options:");
	for (unsigned i = 0; i < t->n_options; i++) {
		const struct pkl_tcp_option *opt = &t->options[i];
		const char *name = pkl_tcp_option_name(opt->kind);
		pkl_out_str(o, i ? ", " : " ");
		switch (opt->kind) {
		case PKL_TCPOPT_MSS:
			if (t->has_mss) {
				pkl_out_str(o, "MSS ");
				pkl_out_u64(o, t->mss);
				continue;
			}
			break;
		case PKL_TCPOPT_WSCALE:
			if (t->has_wscale) {
				pkl_out_str(o, "WS ");
				pkl_out_u64(o, t->wscale);
				if (t->wscale <= PKL_TCP_MAX_WSCALE) {
					pkl_out_str(o, " (x");
					pkl_out_u64(o, 1u << t->wscale);
					pkl_out_char(o, ')');
				} else {
					pkl_out_str(o, " (over 14: treated as 14)");
				}
				continue;
			}
			break;
		case PKL_TCPOPT_TIMESTAMP:
			if (t->has_ts) {
				pkl_out_str(o, "TS val ");
				pkl_out_u64(o, t->ts_val);
				pkl_out_str(o, " ecr ");
				pkl_out_u64(o, t->ts_ecr);
				continue;
			}
			break;
		case PKL_TCPOPT_SACK:
			if (t->n_sack > sack) {
				pkl_out_str(o, "SACK");
				for (; sack < t->n_sack; sack++) {
					pkl_out_char(o, ' ');
					pkl_out_u64(o, t->sack_left[sack]);
					pkl_out_char(o, '-');
					pkl_out_u64(o, t->sack_right[sack]);
				}
				continue;
			}
			break;
		default:
			break;
		}
		pkl_render_name(o, name, "kind ", opt->kind);
		if (opt->len > 2 || (opt->len == 2 && !name)) {
			pkl_out_str(o, " (");
			pkl_out_u64(o, opt->len);
			pkl_out_str(o, " bytes)");
		}
	}
}

/* The window in bytes: the field times the scale both SYNs agreed. */
static void
tcp_window(struct pkl_out *o, const struct pkl_tcp *t, const struct pkl_conn_snapshot *conn)
{
	pkl_out_str(o, "  win ");
	pkl_out_u64(o, t->window);
	if (!conn || (t->flags & PKL_TCP_SYN))
		return;
	if (conn->analysis.win_scale > 0) {
		pkl_out_str(o, " x");
		pkl_out_u64(o, 1u << conn->analysis.win_scale);
		pkl_out_str(o, " = ");
		pkl_out_u64(o, conn->analysis.window_size);
	} else if (conn->analysis.win_scale == PKL_WSCALE_UNKNOWN) {
		pkl_out_str(o, " (scale unknown: SYNs not seen)");
	}
}

/* Under a followed connection the numbers are relative to each end's
 * ISN, as people count them; the raw ones follow on their own line. */
static void
fields_tcp(struct pkl_out *o, const struct pkl_layer *l, unsigned indent,
	   const struct pkl_conn_snapshot *conn)
{
	const struct pkl_tcp *t = &l->hdr.tcp;

	if (l->caplen < 4) {
		pkl_out_u64(o, l->caplen);
		pkl_out_str(o, " bytes captured");
		return;
	}
	ports(o, t->sport, t->dport);
	if (l->caplen >= 8) {
		pkl_out_str(o, "  seq ");
		pkl_out_u64(o, conn ? conn->rel_seq : t->seq);
	}
	if (!(l->flags & PKL_LAYER_HEADER))
		return;
	pkl_out_str(o, "  ack ");
	pkl_out_u64(o, conn && (t->flags & PKL_TCP_ACK) ? conn->rel_ack : t->ack);
	pkl_out_str(o, "  hdr ");
	pkl_out_u64(o, t->doff * 4u);
	pkl_out_str(o, "  ");
	pkl_render_tcp_flags(o, t->flags);
	tcp_window(o, t, conn);
	if (t->flags & PKL_TCP_URG) {
		pkl_out_str(o, "  urg ");
		pkl_out_u64(o, t->urg_ptr);
	}
	if (!(l->flags & PKL_LAYER_QUOTED))
		checksum(o, t->cksum, t->cksum_status);
	if (t->n_options)
		tcp_options(o, t, indent);
	if (conn) {
		pkl_out_char(o, '\n');
		pkl_out_spaces(o, indent + LABEL_WIDTH);
		pkl_out_str(o, "raw seq ");
		pkl_out_u64(o, t->seq);
		pkl_out_str(o, "  ack ");
		pkl_out_u64(o, t->ack);
		if (conn->analysis.bif_valid) {
			pkl_out_str(o, "  bytes in flight ");
			pkl_out_u64(o, conn->analysis.bytes_in_flight);
		}
	}
}

/* Bytes nothing decodes: how many, and where to see them. */
static void
fields_unknown(struct pkl_out *o, const struct pkl_layer *l, bool hex)
{
	pkl_out_u64(o, l->len);
	pkl_out_str(o, " bytes");
	if (l->caplen < l->len) {
		pkl_out_str(o, " (");
		pkl_out_u64(o, l->caplen);
		pkl_out_str(o, " captured)");
	}
	if (!hex)
		pkl_out_str(o, " (not shown; -x)");
}

static void
layer_fields(struct pkl_out *o, const struct pkl_layer *l, unsigned indent,
	     const struct pkl_conn_snapshot *conn, bool hex)
{
	switch (l->proto) {
	case PKL_PROTO_ETH:   /* show the addresses that arrived */
		fields_eth(o, l);
		return;
	case PKL_PROTO_TCP:   /* and the ports and sequence number */
		fields_tcp(o, l, indent, conn);
		return;
	case PKL_PROTO_UDP:
		fields_udp(o, l);
		return;
	case PKL_PROTO_DNS:
	case PKL_PROTO_HTTP:
		pkl_render_app_fields(o, l, indent + LABEL_WIDTH);
		return;
	case PKL_PROTO_DATA:
	case PKL_PROTO_UNKNOWN:
		fields_unknown(o, l, hex);
		return;
	default:
		break;
	}
	/* The fixed part was cut short: its fields were never read. */
	if (!(l->flags & PKL_LAYER_HEADER)) {
		pkl_out_u64(o, l->caplen);
		pkl_out_str(o, " bytes captured");
		return;
	}
	switch (l->proto) {
	case PKL_PROTO_VLAN: fields_vlan(o, &l->hdr.vlan); break;
	case PKL_PROTO_SLL:
	case PKL_PROTO_SLL2: fields_sll(o, l); break;
	case PKL_PROTO_NULL:
		pkl_out_str(o, "family ");
		pkl_out_u64(o, l->hdr.null.family);
		break;
	case PKL_PROTO_IP: pkl_out_str(o, "no link header"); break;
	case PKL_PROTO_ARP: fields_arp(o, &l->hdr.arp); break;
	case PKL_PROTO_IPV4: fields_ipv4(o, l, indent); break;
	case PKL_PROTO_IPV6: fields_ipv6(o, &l->hdr.ipv6); break;
	case PKL_PROTO_ICMP:
	case PKL_PROTO_ICMPV6: fields_icmp(o, l); break;
	default: break;
	}
}

/* An undecoded link type, named as libpcap names it, and where to turn:
 * the event's own sentence ("shown as data") is the JSON's. */
static void
link_unsupported(uint32_t linktype, bool hex, char *buf, size_t size)
{
	snprintf(buf, size, "link type %u (%s: %s) is not decoded%s; tshark decodes it "
		 "(tshark -r FILE -V)", linktype, pkl_linktype_name((int)linktype),
		 pkl_linktype_description((int)linktype), hex ? "" : ": -x shows the bytes");
}

static void
layer_events(struct pkl_render *r, const struct pkl_packet *pkt, unsigned li, unsigned indent)
{
	static const char *const kind_label[] = {
		[PKL_EVK_TRUNCATED] = "[truncated] ",
		[PKL_EVK_MALFORMED] = "[malformed: ",
		[PKL_EVK_WARNING] = "! ",
	};
	struct pkl_out *o = r->out;
	char text[200];

	for (unsigned i = 0; i < pkt->n_events; i++) {
		const struct pkl_event *ev = &pkt->events[i];
		if (ev->layer != li)
			continue;
		enum pkl_event_kind kind = pkl_event_kind(ev->code);
		enum pkl_telling telling = pkl_explain_event(r->explain, pkt, ev, text, sizeof text);
		if (telling == PKL_TELL_NOTHING)
			continue;
		if (ev->code == PKL_EV_LINK_UNSUPPORTED)
			link_unsupported(ev->arg[0], r->hex, text, sizeof text);
		else if (telling == PKL_TELL_WHOLE)
			pkl_event_format(ev->code, ev->arg, text, sizeof text);
		pkl_out_spaces(o, indent + LABEL_WIDTH);
		pkl_out_color(o, kind == PKL_EVK_WARNING ? PKL_COLOR_FLAGS : PKL_COLOR_BAD);
		pkl_out_str(o, kind_label[kind]);
		pkl_out_str(o, text);
		if (kind == PKL_EVK_MALFORMED)
			pkl_out_char(o, ']');
		pkl_out_color(o, PKL_COLOR_RESET);
		pkl_out_char(o, '\n');
	}
}

void
pkl_render_tree(struct pkl_render *r, const struct pkl_packet *pkt,
		const struct pkl_notes *notes)
{
	struct pkl_out *o = r->out;

	for (unsigned i = 0; i < pkt->n_layers; i++) {
		const struct pkl_layer *l = &pkt->layers[i];
		bool quoted = l->flags & PKL_LAYER_QUOTED;
		unsigned indent = quoted ? 4 : 2;
		const char *label = layer_label(l);

		/* Data after a transport header is only its length: the
		 * transport line already says it. */
		if (l->proto == PKL_PROTO_DATA && i > 0 &&
		    (l[-1].proto == PKL_PROTO_TCP || l[-1].proto == PKL_PROTO_UDP))
			continue;
		/* So is an HTTP segment that starts no request or response. */
		if (l->proto == PKL_PROTO_HTTP && !(l->flags & PKL_LAYER_HEADER))
			continue;
		pkl_out_spaces(o, indent);
		pkl_out_color(o, PKL_COLOR_LAYER);
		if (quoted)
			pkl_out_str(o, "| ");
		pkl_out_str(o, label);
		pkl_out_color(o, PKL_COLOR_RESET);
		size_t used = strlen(label) + (quoted ? 2 : 0);
		pkl_out_spaces(o, used < LABEL_WIDTH ? (unsigned)(LABEL_WIDTH - used) : 1);
		/* The tracker describes the outer TCP segment, not a quoted one. */
		bool followed = notes->conn.valid && !quoted && l->proto == PKL_PROTO_TCP;
		layer_fields(o, l, indent, followed ? &notes->conn : NULL, r->hex);
		if (l->flags & PKL_LAYER_TRUNCATED) {
			pkl_out_color(o, PKL_COLOR_BAD);
			pkl_out_str(o, "  [truncated]");
			pkl_out_color(o, PKL_COLOR_RESET);
		}
		pkl_out_char(o, '\n');
		layer_events(r, pkt, i, indent);
	}
	if (pkt->events_dropped) {
		pkl_out_spaces(o, 2 + LABEL_WIDTH);
		pkl_out_str(o, "! and ");
		pkl_out_u64(o, pkt->events_dropped);
		pkl_out_str(o, " more anomalies\n");
	}

	char text[512];
	for (unsigned i = 0; i < notes->n; i++) {
		switch (pkl_explain_note(r->explain, pkt, notes, &notes->note[i], text, sizeof text)) {
		case PKL_TELL_NOTHING: continue;
		case PKL_TELL_WHOLE: pkl_note_format(&notes->note[i], text, sizeof text); break;
		case PKL_TELL_SHORT: break;
		}
		pkl_out_str(o, "  ");
		pkl_out_color(o, PKL_COLOR_NOTE);
		pkl_out_str(o, "> ");
		pkl_out_str(o, text);
		pkl_out_color(o, PKL_COLOR_RESET);
		pkl_out_char(o, '\n');
	}
}

/* The column after the first run of spaces from i on, past the text
 * before it. */
static size_t
after_gap(const char *line, size_t len, size_t i)
{
	while (i < len && line[i] != ' ')
		i++;
	while (i < len && line[i] == ' ')
		i++;
	return i;
}

unsigned
pkl_render_tree_hang(const void *ctx, const char *line, size_t len)
{
	static const char options[] = "options: ";
	size_t lead = 0;

	(void)ctx;
	while (lead < len && line[lead] == ' ')
		lead++;
	if (lead == len)
		return 0;
	if (line[0] == '#')   /* "#3  0.000033  <summary>": under the summary */
		return (unsigned)after_gap(line, len, after_gap(line, len, 0));
	if (lead + 1 < len && line[lead + 1] == ' ' &&
	    (line[lead] == '>' || line[lead] == '!'))   /* a note, an anomaly */
		return (unsigned)lead + 2;
	if (lead < LABEL_WIDTH)   /* a layer's line (quoted ones too): under its fields */
		return (unsigned)lead + LABEL_WIDTH;
	if (len - lead >= sizeof options - 1 && memcmp(line + lead, options, sizeof options - 1) == 0)
		return (unsigned)(lead + sizeof options - 1);
	return (unsigned)lead + 2;
}
