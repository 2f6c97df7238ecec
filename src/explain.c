/* Explain once: which notes and anomalies explain a kind of thing, their
 * short forms, and the set of (scope, kind) already explained. */
#include "explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

/* Whom an explanation is said once to. */
enum scope {
	FACT,           /* not an explanation: always said whole */
	CONVERSATION,   /* the TCP connection, else the frame's two endpoints */
	PER_VALUE,      /* the conversation, for each value of the first argument */
	HOST,           /* the sending host (its network card) */
};

struct kind {
	enum scope scope;
	const char *mark;   /* the short form: a template over the same arguments */
};

/* Notes left out are facts. */
static const struct kind note_kind[PKL_NOTE_COUNT] = {
	[PKL_NOTE_ETH_BROADCAST] = { CONVERSATION, "broadcast" },
	[PKL_NOTE_ETH_MULTICAST] = { CONVERSATION, "multicast" },
	[PKL_NOTE_VLAN_TAG] = { CONVERSATION, "VLAN {0} (priority {1})" },
	[PKL_NOTE_VLAN_QINQ] = { CONVERSATION, "service VLAN {0}" },
	[PKL_NOTE_ARP_REQUEST] = { CONVERSATION, "who has {0i}" },
	[PKL_NOTE_ARP_REPLY] = { CONVERSATION, "{0i} answers" },
	[PKL_NOTE_ARP_GRATUITOUS] = { CONVERSATION, "gratuitous ARP for {0i}" },
	[PKL_NOTE_ARP_PROBE] = { CONVERSATION, "ARP probe for {0i}" },
	[PKL_NOTE_IP_TTL_ONE] = { CONVERSATION, "TTL 1" },
	[PKL_NOTE_IP_TTL_ZERO] = { CONVERSATION, "TTL 0" },
	[PKL_NOTE_IP_OPTIONS] = { CONVERSATION, "IP options ({0} bytes)" },
	[PKL_NOTE_IP_PRIVATE] = { PER_VALUE, "{0i} private" },
	[PKL_NOTE_IP_LOOPBACK] = { PER_VALUE, "{0i} loopback" },
	[PKL_NOTE_IP_LINK_LOCAL] = { PER_VALUE, "{0i} link-local" },
	[PKL_NOTE_IP_MULTICAST] = { PER_VALUE, "{0i} multicast" },
	[PKL_NOTE_IP_BROADCAST] = { PER_VALUE, "{0i} broadcast" },
	[PKL_NOTE_ICMP_ECHO_REQUEST] = { CONVERSATION, "ping id {0} seq {1}" },
	[PKL_NOTE_ICMP_ECHO_REPLY] = { CONVERSATION, "pong id {0} seq {1}" },
	[PKL_NOTE_ICMP_PORT_UNREACHABLE] = { CONVERSATION, "port unreachable" },
	[PKL_NOTE_ICMP_HOST_UNREACHABLE] = { CONVERSATION, "host unreachable" },
	[PKL_NOTE_ICMP_NET_UNREACHABLE] = { CONVERSATION, "network unreachable" },
	[PKL_NOTE_ICMP_PROTO_UNREACHABLE] = { CONVERSATION, "protocol unreachable" },
	[PKL_NOTE_ICMP_FRAG_NEEDED] = { CONVERSATION, "fragmentation needed: MTU {0}" },
	[PKL_NOTE_ICMP_ADMIN_PROHIBITED] = { CONVERSATION, "prohibited" },
	[PKL_NOTE_ICMP_UNREACHABLE_OTHER] = { CONVERSATION, "unreachable" },
	[PKL_NOTE_ICMP_TTL_EXCEEDED] = { CONVERSATION, "TTL exceeded" },
	[PKL_NOTE_ICMP_REASSEMBLY_EXCEEDED] = { CONVERSATION, "reassembly time exceeded" },
	[PKL_NOTE_ICMP_REDIRECT] = { CONVERSATION, "redirect to {0i}" },
	[PKL_NOTE_ICMP_PARAM_PROBLEM] = { CONVERSATION, "parameter problem at byte {0}" },
	[PKL_NOTE_ICMP_QUOTE] = { CONVERSATION, "quoted datagram" },
	[PKL_NOTE_ICMPV6_NS] = { CONVERSATION, "neighbour solicitation" },
	[PKL_NOTE_ICMPV6_NA] = { CONVERSATION, "neighbour advertisement" },
	[PKL_NOTE_ICMPV6_RS] = { CONVERSATION, "router solicitation" },
	[PKL_NOTE_ICMPV6_RA] = { CONVERSATION, "router advertisement" },
	[PKL_NOTE_UDP_NO_CKSUM] = { CONVERSATION, "checksum 0" },
	[PKL_NOTE_UDP_SERVICE] = { CONVERSATION, "port {0}" },
	[PKL_NOTE_TCP_SYN] = { CONVERSATION, "SYN" },
	[PKL_NOTE_TCP_SYN_ACK] = { CONVERSATION, "SYN+ACK" },
	[PKL_NOTE_TCP_FIN] = { CONVERSATION, "FIN" },
	[PKL_NOTE_TCP_RST] = { CONVERSATION, "RST" },
	[PKL_NOTE_TCP_RST_ACK] = { CONVERSATION, "RST+ACK" },
	[PKL_NOTE_TCP_PUSH] = { CONVERSATION, "PSH" },
	[PKL_NOTE_TCP_URG] = { CONVERSATION, "URG: {0} bytes" },
	[PKL_NOTE_TCP_ECN_SETUP] = { CONVERSATION, "ECN offered" },
	[PKL_NOTE_TCP_ECE] = { CONVERSATION, "ECE" },
	[PKL_NOTE_TCP_CWR] = { CONVERSATION, "CWR" },
	[PKL_NOTE_TCP_MSS] = { CONVERSATION, "MSS {0}" },
	[PKL_NOTE_TCP_WSCALE] = { CONVERSATION, "window scale {0}" },
	[PKL_NOTE_TCP_SACK_PERM] = { CONVERSATION, "SACK permitted" },
	[PKL_NOTE_TCP_SERVICE] = { CONVERSATION, "port {0}" },
	[PKL_NOTE_CONN_NAGLE] = { CONVERSATION, "{1} bytes sent together" },
	[PKL_NOTE_CONN_FULL_SEGMENT] = { CONVERSATION, "full-sized segment" },
	[PKL_NOTE_CONN_OFFLOAD_SEGMENT] = { CONVERSATION, "{1} bytes in one segment" },
};

/* Anomalies left out are facts. */
static const struct kind event_kind[PKL_EV_COUNT] = {
	[PKL_EV_IPV4_TSO] = { HOST, "total length 0" },
	[PKL_EV_UDP_CKSUM_PARTIAL] = { HOST, "checksum offload" },
	[PKL_EV_TCP_CKSUM_PARTIAL] = { HOST, "checksum offload" },
};

/* The set of explanations said: keys (hashes of the scope and the kind)
 * with the frame that said each, in open addressing.  Full, it starts
 * over: each explanation is said once more, and memory stays bounded. */
#define SLOTS (1u << 16)
#define MAX_USED (SLOTS / 4 * 3)

struct said {
	uint64_t key;    /* 0: empty */
	uint64_t frame;
};

struct pkl_explain {
	enum pkl_explain_level level;
	uint32_t used;
	struct said slot[SLOTS];
};

struct pkl_explain *
pkl_explain_new(enum pkl_explain_level level)
{
	struct pkl_explain *ex = calloc(1, sizeof *ex);

	if (ex)
		ex->level = level;
	return ex;
}

void
pkl_explain_free(struct pkl_explain *ex)
{
	free(ex);
}

/* splitmix64's finaliser: every input bit reaches every output bit. */
static uint64_t
mix(uint64_t h, uint64_t v)
{
	uint64_t z = h ^ (v + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2));

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t
mix_bytes(uint64_t h, const uint8_t *b, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++) {
		v = v << 8 | b[i];
		if (i % 8 == 7 || i + 1 == n) {
			h = mix(h, v);
			v = 0;
		}
	}
	return h;
}

/* Two endpoints in either order as one value: the smaller first. */
static uint64_t
mix_pair(uint64_t h, const uint8_t *a, const uint8_t *b, size_t n, uint16_t pa, uint16_t pb)
{
	int c = memcmp(a, b, n);

	if (c > 0 || (c == 0 && pa > pb)) {
		const uint8_t *t = a;
		a = b;
		b = t;
		uint16_t tp = pa;
		pa = pb;
		pb = tp;
	}
	return mix(mix(mix_bytes(mix_bytes(h, a, n), b, n), pa), pb);
}

/* The frame's outermost network layer that is not quoted, and its ports. */
static const struct pkl_layer *
network_layer(const struct pkl_packet *pkt, uint16_t *sport, uint16_t *dport)
{
	*sport = *dport = 0;
	for (unsigned i = 0; i < pkt->n_layers; i++) {
		const struct pkl_layer *l = &pkt->layers[i];
		if (!(l->flags & PKL_LAYER_HEADER) || (l->flags & PKL_LAYER_QUOTED))
			break;
		if (l->proto != PKL_PROTO_IPV4 && l->proto != PKL_PROTO_IPV6 &&
		    l->proto != PKL_PROTO_ARP)
			continue;
		if (i + 1 < pkt->n_layers && (l[1].flags & PKL_LAYER_HEADER) &&
		    !(l[1].flags & PKL_LAYER_QUOTED)) {
			if (l[1].proto == PKL_PROTO_TCP) {
				*sport = l[1].hdr.tcp.sport;
				*dport = l[1].hdr.tcp.dport;
			} else if (l[1].proto == PKL_PROTO_UDP) {
				*sport = l[1].hdr.udp.sport;
				*dport = l[1].hdr.udp.dport;
			}
		}
		return l;
	}
	return NULL;
}

static uint64_t
conversation_key(const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	uint16_t sp, dp;
	const struct pkl_layer *l;

	if (notes && notes->conn.valid)
		return mix(1, notes->conn.id);
	if (!(l = network_layer(pkt, &sp, &dp)))
		return mix(2, 0);
	switch (l->proto) {
	case PKL_PROTO_IPV4: return mix_pair(3, l->hdr.ipv4.src, l->hdr.ipv4.dst, 4, sp, dp);
	case PKL_PROTO_IPV6: return mix_pair(4, l->hdr.ipv6.src, l->hdr.ipv6.dst, 16, sp, dp);
	default: return mix_pair(5, l->hdr.arp.spa, l->hdr.arp.tpa, 4, 0, 0);
	}
}

static uint64_t
host_key(const struct pkl_packet *pkt)
{
	uint16_t sp, dp;
	const struct pkl_layer *l = network_layer(pkt, &sp, &dp);

	if (l && l->proto == PKL_PROTO_IPV4)
		return mix_bytes(6, l->hdr.ipv4.src, 4);
	if (l && l->proto == PKL_PROTO_IPV6)
		return mix_bytes(7, l->hdr.ipv6.src, 16);
	return mix(8, 0);
}

/* The frame that first said key; this one when none did (and it is
 * recorded as said). */
static uint64_t
first_said(struct pkl_explain *ex, uint64_t key, uint64_t frame)
{
	key |= 1;   /* never 0, the empty slot */
	if (ex->used >= MAX_USED) {
		memset(ex->slot, 0, sizeof ex->slot);
		ex->used = 0;
	}
	for (uint32_t i = (uint32_t)(key >> 32) & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1)) {
		if (ex->slot[i].key == key)
			return ex->slot[i].frame;
		if (ex->slot[i].key == 0) {
			ex->slot[i] = (struct said){ key, frame };
			ex->used++;
			return frame;
		}
	}
}

/* Whole, or the mark "<short form>: see #N" in buf. */
static enum pkl_telling
tell(struct pkl_explain *ex, const struct kind *k, uint64_t scope_key, uint64_t kind_key,
     const struct pkl_packet *pkt, const uint64_t *arg, unsigned n_args, char *buf, size_t size)
{
	uint64_t frame = pkt->frame->number;
	uint64_t first = first_said(ex, mix(scope_key, kind_key), frame);

	if (first == frame)
		return PKL_TELL_WHOLE;
	size_t n = pkl_template_fill(k->mark, arg, n_args, buf, size);
	snprintf(buf + n, size - n, ": see #%llu", (unsigned long long)first);
	return PKL_TELL_SHORT;
}

enum pkl_telling
pkl_explain_note(struct pkl_explain *ex, const struct pkl_packet *pkt,
		 const struct pkl_notes *notes, const struct pkl_note *note, char *buf, size_t size)
{
	if (!ex || ex->level == PKL_EXPLAIN_ALL)
		return PKL_TELL_WHOLE;
	if (ex->level == PKL_EXPLAIN_NONE)
		return PKL_TELL_NOTHING;
	const struct kind *k = &note_kind[note->code];
	uint64_t scope = 0;
	switch (k->scope) {
	case FACT: return PKL_TELL_WHOLE;
	case CONVERSATION: scope = conversation_key(pkt, notes); break;
	case PER_VALUE: scope = mix(conversation_key(pkt, notes), note->arg[0]); break;
	case HOST: scope = host_key(pkt); break;
	}
	return tell(ex, k, scope, mix(9, note->code), pkt, note->arg, PKL_NOTE_ARGS, buf, size);
}

enum pkl_telling
pkl_explain_event(struct pkl_explain *ex, const struct pkl_packet *pkt,
		  const struct pkl_event *ev, char *buf, size_t size)
{
	const struct kind *k = &event_kind[ev->code];

	if (!ex || ex->level == PKL_EXPLAIN_ALL || k->scope == FACT)
		return PKL_TELL_WHOLE;
	if (ex->level == PKL_EXPLAIN_NONE)
		return PKL_TELL_NOTHING;
	uint64_t arg[2] = { ev->arg[0], ev->arg[1] };
	uint64_t scope = k->scope == HOST ? host_key(pkt) : conversation_key(pkt, NULL);
	return tell(ex, k, scope, mix(10, ev->code), pkt, arg, 2, buf, size);
}
