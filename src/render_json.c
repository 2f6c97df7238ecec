/* The --json view: one object per frame (NDJSON), keys named as
 * Wireshark's display-filter fields, values as tshark means them,
 * written with the JSON writer (json.h).
 *
 * A protocol that occurs more than once outside the quote (stacked VLAN
 * tags, IP in IP) writes each of its keys once, with an array of values,
 * outermost first.  The datagram quoted by an ICMP error goes into a
 * nested object "icmp.quoted" with the same keys. */
#include <string.h>

#include "../dissectors/dns.h"
#include "../dissectors/eth.h"
#include "../dissectors/http.h"
#include "../dissectors/icmp.h"
#include "../dissectors/ipv4.h"
#include "../dissectors/tcp.h"
#include "decode.h"
#include "json.h"
#include "packet_fields.h"
#include "render.h"

/* The layers of one protocol in one scope (outer packet or quote). */
struct group {
	const struct pkl_layer *l[PKL_MAX_LAYERS];
	unsigned n;
};

/* Microseconds as seconds, the unit of Wireshark's time fields. */
static void
seconds_us(struct pkl_json *j, uint64_t us)
{
	pkl_out_seconds(j->out, us / 1000000, (uint32_t)(us % 1000000));
}

/* The keys of the sequence analysis's findings, put together when
 * compiling from their names. */
static const struct {
	const char *text;
	size_t len;
} analysis_keys[PKL_TA_COUNT] = {
#define PKL_TA(code, name, label) [PKL_TA_BIT_##code] = { \
	PKL_JSON_KEY_TEXT("tcp.analysis." name), sizeof PKL_JSON_KEY_TEXT("tcp.analysis." name) - 1 },
#include "tcp_analysis.def"
#undef PKL_TA
};

static void
epoch(struct pkl_out *o, const struct pkl_frame *f)
{
	/* The fraction is below a second (capture carries it), so it has
	 * nine digits. */
	int64_t sec = f->ts_sec;
	uint32_t nsec = f->ts_nsec;
	if (sec < 0 && nsec) {
		pkl_out_char(o, '-');
		pkl_out_u64(o, (uint64_t)-(sec + 1));
		pkl_out_char(o, '.');
		pkl_out_u64_width(o, 1000000000u - nsec, 9);
	} else {
		pkl_out_i64(o, sec);
		pkl_out_char(o, '.');
		pkl_out_u64_width(o, nsec, 9);
	}
}

static void
step_text(struct pkl_json *j, struct pkl_conn_step step)
{
	char text[PKL_STEP_TEXT];

	pkl_conn_step_format(step, text);
	pkl_json_string(j, text);
}

static void
event_text(struct pkl_json *j, const struct pkl_event *ev)
{
	char text[512];

	pkl_event_format(ev->code, ev->arg, text, sizeof text);
	pkl_json_string(j, text);
}

/* A span of an HTTP layer's first line, as a string. */
static void
http_text(struct pkl_json *j, const struct pkl_layer *l, struct pkl_http_span s)
{
	char text[PKL_HTTP_LINE_MAX + 1];

	memcpy(text, pkl_http_text(l, s), s.len);
	text[s.len] = '\0';
	pkl_json_string(j, text);
}

/* A value of a field of packet_fields.h, of its TYPE, written to j (r: the
 * render, for relative times). */
#define WRITE_U64(v) pkl_json_u64(j, (v))
#define WRITE_I64(v) pkl_json_i64(j, (v))
#define WRITE_BOOL(v) pkl_json_bool(j, (v))
#define WRITE_MAC(v) pkl_json_mac(j, (v))
#define WRITE_IPV4(v) pkl_json_ipv4(j, (v))
#define WRITE_IPV6(v) pkl_json_ipv6(j, (v))
#define WRITE_CKSUM(v) pkl_json_name(j, pkl_checksum_status_name(v))
#define WRITE_NAME(v) pkl_json_name(j, (v))
#define WRITE_STRING(v) pkl_json_string(j, (v))
#define WRITE_SECONDS_US(v) seconds_us(j, (v))
#define WRITE_EPOCH(v) epoch(j->out, (v))
#define WRITE_RELTIME(v) pkl_render_reltime(r, (v))
#define WRITE_STEP(v) step_text(j, (v))
#define WRITE_EVENT(v) event_text(j, (v))
#define WRITE_SPAN(v) http_text(j, L, (v))

/* One key for every layer of the group: a value, or an array of them.
 * WRITE is a statement writing the value of layer L to the writer j. */
#define FIELD(j, g, name, WRITE)                                        \
	do {                                                            \
		bool many_ = (g)->n > 1;                                \
		PKL_JSON_KEY(j, name);                                  \
		if (many_)                                              \
			pkl_json_array_open(j);                         \
		for (unsigned i_ = 0; i_ < (g)->n; i_++) {              \
			const struct pkl_layer *L = (g)->l[i_];         \
			if (many_)                                      \
				pkl_json_elem(j);                       \
			WRITE;                                          \
		}                                                       \
		if (many_)                                              \
			pkl_json_array_close(j);                        \
	} while (0)

/* Which layers of the group have a field: all, some or none. */
static bool
any_layer(const struct group *g, bool (*has)(const struct pkl_layer *))
{
	for (unsigned i = 0; i < g->n; i++)
		if (has(g->l[i]))
			return true;
	return false;
}

/* A field of a layer's list: its key when any layer of the group has
 * it, with null for the layers that do not. */
#define LAYER_FIELD(id, proto, name, has, TYPE, value)                  \
	if (any_layer(g, has))                                          \
		FIELD(j, g, name, if (has(L)) { WRITE_##TYPE(value); } else pkl_json_null(j));

/* How many values a field of an item list has in the group. */
static unsigned
item_count(const struct group *g, unsigned (*items)(const struct pkl_layer *),
	   bool (*has)(const struct pkl_layer *, unsigned))
{
	unsigned n = 0;

	for (unsigned k = 0; k < g->n; k++)
		for (unsigned i = 0; i < items(g->l[k]); i++)
			n += has(g->l[k], i);
	return n;
}

/* A field of an item list: its key when any item has it, with the
 * values of those that do, in order (a value when there is one). */
#define ITEM_FIELD(id, proto, name, items, has, TYPE, value)                    \
	{                                                                       \
		unsigned n_ = item_count(g, items, has);                        \
		if (n_)                                                         \
			PKL_JSON_KEY(j, name);                                  \
		if (n_ > 1)                                                     \
			pkl_json_array_open(j);                                 \
		for (unsigned k_ = 0; k_ < g->n; k_++) {                        \
			const struct pkl_layer *L = g->l[k_];                   \
			for (unsigned I = 0; I < items(L); I++) {               \
				if (!has(L, I))                                 \
					continue;                               \
				if (n_ > 1)                                     \
					pkl_json_elem(j);                       \
				WRITE_##TYPE(value);                            \
			}                                                       \
		}                                                               \
		if (n_ > 1)                                                     \
			pkl_json_array_close(j);                                \
	}

/* A field of the frame's or the connection's lists. */
#define ONE_FIELD(id, name, has, TYPE, value)                           \
	if (has(pkt, c)) {                                              \
		PKL_JSON_KEY(j, name);                                  \
		WRITE_##TYPE(value);                                    \
	}

static void
u32_array(struct pkl_json *j, const uint32_t *v, unsigned n)
{
	pkl_json_array_open(j);
	for (unsigned i = 0; i < n; i++) {
		pkl_json_elem(j);
		pkl_json_u64(j, v[i]);
	}
	pkl_json_array_close(j);
}

/* The selective acknowledgments, of a lone TCP layer: lists of their own
 * (the filter does not know them). */
static void
json_sack(struct pkl_json *j, const struct group *g)
{
	if (g->n == 1 && g->l[0]->hdr.tcp.n_sack) {
		const struct pkl_tcp *t = &g->l[0]->hdr.tcp;
		PKL_JSON_KEY(j, "tcp.options.sack_le");
		u32_array(j, t->sack_left, t->n_sack);
		PKL_JSON_KEY(j, "tcp.options.sack_re");
		u32_array(j, t->sack_right, t->n_sack);
	}
}

static void
json_group(struct pkl_json *j, const struct group *g)
{
	switch (g->l[0]->proto) {
	case PKL_PROTO_ETH: PKL_ETH_FIELDS(LAYER_FIELD) break;
	case PKL_PROTO_VLAN: PKL_VLAN_FIELDS(LAYER_FIELD) break;
	case PKL_PROTO_SLL:
	case PKL_PROTO_SLL2: PKL_SLL_FIELDS(LAYER_FIELD) break;
	case PKL_PROTO_NULL: PKL_NULL_FIELDS(LAYER_FIELD) break;
	case PKL_PROTO_ARP: PKL_ARP_FIELDS(LAYER_FIELD) break;
	case PKL_PROTO_IPV4: PKL_IPV4_FIELDS(LAYER_FIELD) break;
	case PKL_PROTO_IPV6: PKL_IPV6_FIELDS(LAYER_FIELD) break;
	case PKL_PROTO_ICMP: PKL_ICMP_FIELDS(LAYER_FIELD) break;
	case PKL_PROTO_ICMPV6: PKL_ICMPV6_FIELDS(LAYER_FIELD) break;
	case PKL_PROTO_UDP: PKL_UDP_FIELDS(LAYER_FIELD) break;
	case PKL_PROTO_TCP:
		PKL_TCP_FIELDS(LAYER_FIELD)
		json_sack(j, g);
		break;
	case PKL_PROTO_DNS:
		PKL_DNS_FIELDS(LAYER_FIELD)
		PKL_DNS_ITEM_FIELDS(ITEM_FIELD)
		break;
	case PKL_PROTO_HTTP: PKL_HTTP_FIELDS(LAYER_FIELD) break;
	case PKL_PROTO_DATA: PKL_DATA_FIELDS(LAYER_FIELD) break;
	default:
		break;
	}
}

/* The fields of layers [from, to), grouped per protocol in order of
 * first appearance. */
static void
json_layers(struct pkl_json *j, const struct pkl_packet *pkt, unsigned from, unsigned to)
{
	bool done[PKL_PROTO_COUNT] = { false };

	for (unsigned i = from; i < to; i++) {
		enum pkl_proto p = pkt->layers[i].proto;
		if (done[p] || p == PKL_PROTO_UNKNOWN)
			continue;
		struct group g = { .n = 0 };
		for (unsigned k = i; k < to; k++)
			if (pkt->layers[k].proto == p)
				g.l[g.n++] = &pkt->layers[k];
		done[p] = true;
		json_group(j, &g);
	}
}

/* The tracker's view of the connection: relative numbers, the scaled
 * window, the sequence analysis, its id, who sent, the states. */
static void
json_conn(struct pkl_json *j, const struct pkl_packet *pkt, const struct pkl_conn_snapshot *c)
{
	PKL_CONN_HEAD_FIELDS(ONE_FIELD)
	for (unsigned b = 0; b < PKL_TA_COUNT; b++) {
		if (!(c->analysis.flags & (1u << b)))
			continue;
		pkl_json_key_text(j, analysis_keys[b].text, analysis_keys[b].len);
		pkl_json_bool(j, true);
	}
	PKL_CONN_TAIL_FIELDS(ONE_FIELD)
}

/* The frame's own fields take no connection. */
#define FRAME_FIELD(id, name, has, TYPE, value)                         \
	if (has(pkt)) {                                                 \
		PKL_JSON_KEY(j, name);                                  \
		WRITE_##TYPE(value);                                    \
	}

static void
json_frame(struct pkl_json *j, struct pkl_render *r, const struct pkl_packet *pkt)
{
	PKL_FRAME_FIELDS(FRAME_FIELD)
	if (r->netns) {
		PKL_JSON_KEY(j, "netns");
		pkl_json_string(j, r->netns);
	}
}

static void
json_frame_tail(struct pkl_json *j, const struct pkl_packet *pkt)
{
	PKL_FRAME_TAIL_FIELDS(FRAME_FIELD)
}

/* The anomalies the dissectors recorded, then the explanations. */
static void
json_notes(struct pkl_json *j, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	static const char *const kinds[] = {
		[PKL_EVK_TRUNCATED] = "truncated", [PKL_EVK_MALFORMED] = "malformed",
		[PKL_EVK_WARNING] = "warning",
	};
	char text[512];

	PKL_JSON_KEY(j, "notes");
	pkl_json_array_open(j);
	for (unsigned i = 0; i < pkt->n_events; i++) {
		const struct pkl_event *ev = &pkt->events[i];
		pkl_event_format(ev->code, ev->arg, text, sizeof text);
		pkl_json_elem(j);
		pkl_json_object_open(j);
		PKL_JSON_KEY(j, "layer");
		pkl_json_string(j, pkl_proto_name(pkt->layers[ev->layer].proto));
		PKL_JSON_KEY(j, "kind");
		pkl_json_string(j, kinds[pkl_event_kind(ev->code)]);
		PKL_JSON_KEY(j, "event");
		pkl_json_string(j, pkl_event_name(ev->code));
		PKL_JSON_KEY(j, "text");
		pkl_json_string(j, text);
		pkl_json_object_close(j);
	}
	for (unsigned i = 0; i < notes->n; i++) {
		const struct pkl_note *n = &notes->note[i];
		pkl_note_format(n, text, sizeof text);
		pkl_json_elem(j);
		pkl_json_object_open(j);
		PKL_JSON_KEY(j, "layer");
		pkl_json_string(j, pkl_proto_name(pkt->layers[n->layer].proto));
		PKL_JSON_KEY(j, "kind");
		pkl_json_name(j, "note");
		PKL_JSON_KEY(j, "note");
		pkl_json_string(j, pkl_note_name(n->code));
		PKL_JSON_KEY(j, "text");
		pkl_json_string(j, text);
		pkl_json_object_close(j);
	}
	pkl_json_array_close(j);
}

void
pkl_render_json(struct pkl_render *r, const struct pkl_packet *pkt,
		const struct pkl_notes *notes)
{
	struct pkl_json j;

	pkl_json_init(&j, r->out);
	pkl_json_object_open(&j);
	json_frame(&j, r, pkt);

	PKL_JSON_KEY(&j, "layers");
	pkl_json_array_open(&j);
	for (unsigned i = 0; i < pkt->n_layers; i++) {
		pkl_json_elem(&j);
		pkl_json_name(&j, pkl_proto_name(pkt->layers[i].proto));
	}
	pkl_json_array_close(&j);

	unsigned quote_start = pkt->n_layers;
	for (unsigned i = 0; i < pkt->n_layers; i++)
		if (pkt->layers[i].flags & PKL_LAYER_QUOTED) {
			quote_start = i;
			break;
		}
	json_layers(&j, pkt, 0, quote_start);
	if (quote_start < pkt->n_layers) {
		PKL_JSON_KEY(&j, "icmp.quoted");
		pkl_json_object_open(&j);
		json_layers(&j, pkt, quote_start, pkt->n_layers);
		pkl_json_object_close(&j);
	}

	if (notes->conn.valid)
		json_conn(&j, pkt, &notes->conn);
	json_frame_tail(&j, pkt);
	json_notes(&j, pkt, notes);
	pkl_json_object_close(&j);
	pkl_out_char(r->out, '\n');
}
