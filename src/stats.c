/* The capture's time span, protocol hierarchy (like tshark -z io,phs),
 * anomaly counts, the connection tracker's findings and top talkers, in
 * memory that does not grow with the number of frames.
 *
 * The hierarchy is a tree of protocol paths in a fixed node array; the
 * talkers are an open-addressing table of fixed size with linear
 * probing.  Both are a few dozen lines, and a general-purpose table from
 * a library (GLib's GHashTable) would allocate per entry and add a
 * dependency for no gain here.  Addresses beyond the table's capacity
 * are counted together as "other" rather than growing it. */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "decode.h"
#include "hash.h"
#include "json.h"
#include "render.h"

#define MAX_NODES 512
#define TALKER_SLOTS (1u << 16)
#define TALKER_MAX_FILL (TALKER_SLOTS / 4 * 3)

/* A protocol in a path: undecoded ones apart by the type field that
 * named them (an IP protocol, an EtherType, a link type), as -q names
 * them. */
struct proto_key {
	enum pkl_proto proto;
	struct pkl_unknown unknown;   /* PKL_PROTO_UNKNOWN's; zero for the others */
};

struct node {
	struct proto_key key;
	int first_child, next_sibling;
	uint64_t frames, bytes;
};

/* What the connection tracker found, counted in frames (echo requests
 * never answered: in requests, from the sessions' records). */
enum finding {
	F_RETRANSMISSION, F_DUP_ACK, F_OUT_OF_ORDER, F_ZERO_WINDOW, F_LOST_SEGMENT,
	F_RESET, F_RESET_CLOSED_PORT, F_RESET_HALF_OPEN, F_RESET_ABORT, F_RESET_AFTER_CLOSE,
	F_SYN_FLOOD, F_PORT_SCAN, F_ARP_CONFLICT, F_ECHO_UNANSWERED, F_COUNT
};

static const struct {
	const char *key;      /* in --json */
	const char *label;    /* in the text; indented: a kind of the one above */
} findings[F_COUNT] = {
	[F_RETRANSMISSION] = { "retransmissions", "retransmissions" },
	[F_DUP_ACK] = { "duplicate_acks", "duplicate ACKs" },
	[F_OUT_OF_ORDER] = { "out_of_order", "out-of-order segments" },
	[F_ZERO_WINDOW] = { "zero_windows", "zero windows" },
	[F_LOST_SEGMENT] = { "lost_segments", "previous segment not captured" },
	[F_RESET] = { "resets", "resets (RST)" },
	[F_RESET_CLOSED_PORT] = { "resets_closed_port", "  to a SYN: port closed" },
	[F_RESET_HALF_OPEN] = { "resets_half_open", "  after a SYN+ACK: half-open" },
	[F_RESET_ABORT] = { "resets_abort", "  aborting a connection" },
	[F_RESET_AFTER_CLOSE] = { "resets_after_close", "  after the sender closed" },
	[F_SYN_FLOOD] = { "syn_flood", "SYN-flood notes" },
	[F_PORT_SCAN] = { "port_scan", "port-scan notes" },
	[F_ARP_CONFLICT] = { "arp_conflicts", "ARP address conflicts" },
	[F_ECHO_UNANSWERED] = { "echo_unanswered", "echo requests never answered" },
};

struct talker {
	uint8_t family;          /* 0: empty slot, 4 or 6 */
	uint8_t addr[16];
	uint64_t frames, bytes;
};

struct pkl_stats {
	uint64_t frames, bytes, truncated, malformed;
	struct pkl_time_span span;
	uint64_t events[PKL_EV_COUNT];
	uint64_t found[F_COUNT];
	int n_nodes;
	bool nodes_full;
	/* The previous frame's protocol path and its nodes: most frames
	 * repeat a recent path, so the tree walk is usually skipped. */
	uint8_t last_depth;
	struct proto_key last_path[PKL_MAX_LAYERS];
	int last_nodes[PKL_MAX_LAYERS];
	struct node nodes[MAX_NODES];     /* nodes[0] is the root: the frame */
	uint32_t n_talkers;
	uint64_t other_frames, other_bytes;
	/* Where an address's slot starts: keyed (talker_slot), so that a
	 * sender cannot choose addresses that all probe from one slot. */
	struct pkl_hash_key key, mix_key;
	struct talker talkers[TALKER_SLOTS];
};

struct pkl_stats *
pkl_stats_new(void)
{
	struct pkl_stats *st = calloc(1, sizeof *st);

	if (st) {
		pkl_hash_key_new(&st->key);
		pkl_hash_key_new(&st->mix_key);
		st->n_nodes = 1;
		st->nodes[0] = (struct node){ { PKL_PROTO_NONE, { 0 } }, -1, -1, 0, 0 };
	}
	return st;
}

void
pkl_stats_free(struct pkl_stats *st)
{
	free(st);
}

static struct proto_key
proto_key_of(const struct pkl_layer *l)
{
	struct proto_key k = { l->proto, { 0 } };

	if (l->proto == PKL_PROTO_UNKNOWN)
		k.unknown = l->hdr.unknown;
	return k;
}

static bool
same_proto(const struct proto_key *a, const struct proto_key *b)
{
	return a->proto == b->proto && a->unknown.parent == b->unknown.parent &&
	       a->unknown.value == b->unknown.value;
}

static int
child_node(struct pkl_stats *st, int parent, const struct proto_key *key)
{
	int *link = &st->nodes[parent].first_child;

	while (*link >= 0) {
		if (same_proto(&st->nodes[*link].key, key))
			return *link;
		link = &st->nodes[*link].next_sibling;
	}
	if (st->n_nodes == MAX_NODES) {
		st->nodes_full = true;
		return -1;
	}
	int n = st->n_nodes++;
	st->nodes[n] = (struct node){ *key, -1, -1, 0, 0 };
	*link = n;
	return n;
}

/* Two folded products of the address's words under secret ones (hash.h):
 * SipHash here, two a frame, cost 13% of the command's instructions. */
static uint32_t
talker_slot(const struct pkl_stats *st, uint8_t family, const uint8_t *addr)
{
	uint64_t a, b = 0;

	if (family == 4) {
		uint32_t w;
		memcpy(&w, addr, 4);
		a = w;
	} else {
		memcpy(&a, addr, 8);
		memcpy(&b, addr + 8, 8);
	}
	uint64_t h = pkl_fold_mul(a ^ st->key.k0, b ^ st->key.k1);
	return (uint32_t)pkl_fold_mul(h ^ st->mix_key.k0, st->mix_key.k1) & (TALKER_SLOTS - 1);
}

static void
count_talker(struct pkl_stats *st, uint8_t family, const uint8_t *addr, uint32_t bytes)
{
	size_t n = family == 4 ? 4 : 16;
	uint32_t slot = talker_slot(st, family, addr);

	for (;;) {
		struct talker *t = &st->talkers[slot];
		/* Constant sizes, so the compiler inlines the comparisons. */
		if (t->family == family &&
		    (family == 4 ? memcmp(t->addr, addr, 4) : memcmp(t->addr, addr, 16)) == 0) {
			t->frames++;
			t->bytes += bytes;
			return;
		}
		if (t->family == 0) {
			if (st->n_talkers >= TALKER_MAX_FILL)
				break;
			t->family = family;
			memcpy(t->addr, addr, n);
			t->frames = 1;
			t->bytes = bytes;
			st->n_talkers++;
			return;
		}
		slot = (slot + 1) & (TALKER_SLOTS - 1);
	}
	st->other_frames++;
	st->other_bytes += bytes;
}

/* The tracker's findings on one frame. */
static void
count_findings(struct pkl_stats *st, const struct pkl_packet *pkt,
	       const struct pkl_conn_snapshot *conn, const struct pkl_findings *found)
{
	static const uint8_t reset_kind[] = {
		[PKL_RESET_CLOSED_PORT] = F_RESET_CLOSED_PORT,
		[PKL_RESET_HALF_OPEN] = F_RESET_HALF_OPEN,
		[PKL_RESET_ABORT] = F_RESET_ABORT,
		[PKL_RESET_AFTER_CLOSE] = F_RESET_AFTER_CLOSE,
	};

	if (conn->valid) {
		/* As the connection records count them (conns). */
		uint32_t ta = conn->analysis.flags;
		st->found[F_RETRANSMISSION] += !!(ta & PKL_TA_RETRANSMISSION);
		st->found[F_DUP_ACK] += !!(ta & PKL_TA_DUPLICATE_ACK);
		st->found[F_OUT_OF_ORDER] += !!(ta & PKL_TA_OUT_OF_ORDER);
		st->found[F_ZERO_WINDOW] += !!(ta & PKL_TA_ZERO_WINDOW);
		st->found[F_LOST_SEGMENT] += !!(ta & PKL_TA_LOST_SEGMENT);
	}
	for (unsigned i = 0; i < pkt->n_layers; i++) {
		const struct pkl_layer *l = &pkt->layers[i];
		if (l->proto == PKL_PROTO_TCP && !(l->flags & PKL_LAYER_QUOTED) &&
		    (l->flags & PKL_LAYER_HEADER)) {
			st->found[F_RESET] += !!(l->hdr.tcp.flags & PKL_TCP_RST);
			break;
		}
	}
	if (found->reset != PKL_RESET_NONE && found->reset < sizeof reset_kind)
		st->found[reset_kind[found->reset]]++;
	st->found[F_SYN_FLOOD] += found->syn_flood;
	st->found[F_PORT_SCAN] += found->port_scan;
	st->found[F_ARP_CONFLICT] += found->arp_conflict;
}

/* Talkers are the outermost IP endpoints, each once per frame: a frame
 * from an address to itself counts for it once. */
static void
count_talkers(struct pkl_stats *st, const struct pkl_layer *l, uint32_t bytes)
{
	bool v4 = l->proto == PKL_PROTO_IPV4;
	const uint8_t *src = v4 ? l->hdr.ipv4.src : l->hdr.ipv6.src;
	const uint8_t *dst = v4 ? l->hdr.ipv4.dst : l->hdr.ipv6.dst;
	uint8_t family = v4 ? 4 : 6;

	count_talker(st, family, src, bytes);
	if (memcmp(src, dst, v4 ? 4 : 16) != 0)
		count_talker(st, family, dst, bytes);
}

void
pkl_stats_add(struct pkl_stats *st, const struct pkl_packet *pkt,
	      const struct pkl_conn_snapshot *conn, const struct pkl_findings *found)
{
	uint32_t bytes = pkt->frame->len;
	int node = 0;

	pkl_time_span_add(&st->span, pkt->frame);
	st->frames++;
	st->bytes += bytes;
	st->truncated += pkt->truncated;
	st->malformed += pkt->malformed;
	st->nodes[0].frames++;
	st->nodes[0].bytes += bytes;
	for (unsigned i = 0; i < pkt->n_events; i++)
		st->events[pkt->events[i].code]++;
	count_findings(st, pkt, conn, found);

	bool talkers_done = false;
	bool same_path = true;
	for (unsigned i = 0; i < pkt->n_layers; i++) {
		const struct pkl_layer *l = &pkt->layers[i];
		struct proto_key key = proto_key_of(l);
		same_path = same_path && i < st->last_depth && same_proto(&st->last_path[i], &key);
		if (same_path)
			node = st->last_nodes[i];
		else if (node >= 0)
			node = child_node(st, node, &key);
		st->last_path[i] = key;
		st->last_nodes[i] = node;
		if (node >= 0) {
			st->nodes[node].frames++;
			st->nodes[node].bytes += bytes;
		}
		if (talkers_done || !(l->flags & PKL_LAYER_HEADER))
			continue;
		if (l->proto == PKL_PROTO_IPV4 || l->proto == PKL_PROTO_IPV6) {
			count_talkers(st, l, bytes);
			talkers_done = true;
		}
	}
	st->last_depth = pkt->n_layers;
}

void
pkl_stats_add_conn(void *stats, const struct pkl_conn_record *c)
{
	struct pkl_stats *st = stats;

	if (c->kind == PKL_KIND_ECHO)
		st->found[F_ECHO_UNANSWERED] += c->echo.lost;
}

/* --- the report ------------------------------------------------------ */

/* Pad the line begun at buffer offset start to a column (at least one
 * space).  A flush since start only makes the line look shorter. */
static void
pad_column(struct pkl_out *o, size_t start, size_t col)
{
	size_t used = o->len >= start ? o->len - start : 0;

	pkl_out_spaces(o, used < col ? (unsigned)(col - used) : 1);
}

#define NAME_SIZE 96

/* A protocol's name as -q names it: "tcp", "IP proto 50 (ESP)". */
static size_t
node_name(const struct node *nd, char buf[NAME_SIZE])
{
	struct pkl_out o;

	pkl_out_init_fixed(&o, buf, NAME_SIZE);
	if (nd->key.proto == PKL_PROTO_UNKNOWN)
		pkl_render_unknown_name(&o, &nd->key.unknown);
	else
		pkl_out_str(&o, pkl_proto_name(nd->key.proto));
	return pkl_out_finish_fixed(&o);
}

static double
percent(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* The widest indented name under node n, for the first column. */
static size_t
name_column(const struct pkl_stats *st, int n, unsigned depth)
{
	size_t widest = 0;
	char name[NAME_SIZE];

	for (int c = st->nodes[n].first_child; c >= 0; c = st->nodes[c].next_sibling) {
		size_t w = 2 + 2 * depth + node_name(&st->nodes[c], name);
		size_t below = name_column(st, c, depth + 1);
		widest = w > widest ? w : widest;
		widest = below > widest ? below : widest;
	}
	return widest;
}

static void
print_node(const struct pkl_stats *st, struct pkl_out *o, int n, unsigned depth, size_t column)
{
	char name[NAME_SIZE];

	for (int c = st->nodes[n].first_child; c >= 0; c = st->nodes[c].next_sibling) {
		const struct node *nd = &st->nodes[c];
		size_t len = node_name(nd, name);
		pkl_out_spaces(o, 2 + 2 * depth);
		pkl_out_mem(o, name, len);
		pkl_out_spaces(o, (unsigned)(column - (2 + 2 * depth + len)));
		pkl_out_printf(o, "%8llu %9.1f%% %14llu %8.1f%%\n", (unsigned long long)nd->frames,
			       percent(nd->frames, st->frames), (unsigned long long)nd->bytes,
			       percent(nd->bytes, st->bytes));
		print_node(st, o, c, depth + 1, column);
	}
}

static int
cmp_talkers(const void *a, const void *b)
{
	const struct talker *x = *(const struct talker *const *)a;
	const struct talker *y = *(const struct talker *const *)b;

	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	if (x->frames != y->frames)
		return x->frames < y->frames ? 1 : -1;
	return memcmp(x->addr, y->addr, 16);
}

/* The talkers, busiest first; NULL when memory is lacking. */
static const struct talker **
sorted_talkers(const struct pkl_stats *st, unsigned *n)
{
	const struct talker **list = malloc(sizeof *list * (st->n_talkers ? st->n_talkers : 1));

	*n = 0;
	if (!list)
		return NULL;
	for (uint32_t i = 0; i < TALKER_SLOTS; i++)
		if (st->talkers[i].family)
			list[(*n)++] = &st->talkers[i];
	qsort(list, *n, sizeof *list, cmp_talkers);
	return list;
}

#define TALKER_COLUMN 42

static void
print_talkers(const struct pkl_stats *st, struct pkl_out *o, unsigned top_n)
{
	unsigned n;
	const struct talker **list = sorted_talkers(st, &n);

	if (!list)
		return;
	pkl_out_printf(o, "\nTop talkers (IP addresses as source or destination, each once a frame, "
		       "by bytes; %u seen):\n", n);
	if (n) {
		size_t start = o->len;
		pkl_out_str(o, "  address");
		pad_column(o, start, TALKER_COLUMN);
		pkl_out_printf(o, "%8s %14s\n", "frames", "bytes");
	}
	for (unsigned i = 0; i < n && i < top_n; i++) {
		size_t start = o->len;
		pkl_out_str(o, "  ");
		if (list[i]->family == 4)
			pkl_out_ipv4(o, list[i]->addr);
		else
			pkl_out_ipv6(o, list[i]->addr);
		pad_column(o, start, TALKER_COLUMN);
		pkl_out_printf(o, "%8llu %14llu\n", (unsigned long long)list[i]->frames,
			       (unsigned long long)list[i]->bytes);
	}
	if (st->other_frames)
		pkl_out_printf(o, "  (table full: %llu more frames from further addresses not listed)\n",
			       (unsigned long long)st->other_frames);
	free(list);
}

static const char *const event_kinds[] = {
	[PKL_EVK_TRUNCATED] = "truncated", [PKL_EVK_MALFORMED] = "malformed",
	[PKL_EVK_WARNING] = "warning",
};

static void
print_time(const struct pkl_stats *st, struct pkl_out *o)
{
	if (!st->frames) {
		pkl_out_str(o, "Capture time: no frames\n\n");
		return;
	}
	const struct pkl_time_span *sp = &st->span;
	pkl_out_str(o, "Capture time (local time, as TZ sets it):\n  start     ");
	pkl_time_wall(o, sp->start_sec, sp->start_nsec, true);
	pkl_out_str(o, "\n  end       ");
	pkl_time_wall(o, sp->end_sec, sp->end_nsec, true);
	pkl_out_str(o, "\n  duration  ");
	pkl_time_since(o, sp->end_sec, sp->end_nsec, sp->start_sec, sp->start_nsec);
	pkl_out_str(o, " s\n\n");
}

static void
print_text(const struct pkl_stats *st, struct pkl_out *o, unsigned top_n)
{
	print_time(st, o);
	pkl_out_printf(o, "Protocol hierarchy (%llu frames, %llu bytes on the wire):\n",
		       (unsigned long long)st->frames, (unsigned long long)st->bytes);
	size_t column = name_column(st, 0, 0) + 2;
	if (column < 32)
		column = 32;
	if (st->frames) {
		pkl_out_str(o, "  protocol");
		pkl_out_spaces(o, (unsigned)(column - 10));
		pkl_out_printf(o, "%8s %10s %14s %9s\n", "frames", "frames %", "bytes", "bytes %");
	}
	print_node(st, o, 0, 0, column);
	if (st->nodes_full)
		pkl_out_str(o, "  (more protocol paths than the table holds; the rest are not listed)\n");

	pkl_out_printf(o, "\nAnomalies: %llu frames truncated, %llu frames malformed\n",
		       (unsigned long long)st->truncated, (unsigned long long)st->malformed);
	for (int e = 0; e < PKL_EV_COUNT; e++) {
		if (!st->events[e])
			continue;
		size_t start = o->len;
		pkl_out_str(o, "  ");
		pkl_out_str(o, pkl_event_name((enum pkl_event_code)e));
		pad_column(o, start, 32);
		pkl_out_printf(o, "%-10s %llu\n", event_kinds[pkl_event_kind((enum pkl_event_code)e)],
			       (unsigned long long)st->events[e]);
	}

	pkl_out_str(o, "\nFindings of the connection tracker (read explains each on its frame):\n");
	for (int f = 0; f < F_COUNT; f++) {
		size_t start = o->len;
		pkl_out_str(o, "  ");
		pkl_out_str(o, findings[f].label);
		pad_column(o, start, 34);
		pkl_out_printf(o, "%8llu\n", (unsigned long long)st->found[f]);
	}
	print_talkers(st, o, top_n);
}

/* --- JSON ------------------------------------------------------------ */

static void
json_nodes(const struct pkl_stats *st, struct pkl_json *j, int n, unsigned depth,
	   const char *path, size_t path_len)
{
	char name[NAME_SIZE];
	char sub[PKL_MAX_LAYERS * (NAME_SIZE + 1)];

	for (int c = st->nodes[n].first_child; c >= 0; c = st->nodes[c].next_sibling) {
		const struct node *nd = &st->nodes[c];
		size_t len = node_name(nd, name);
		size_t sub_len = path_len;
		memcpy(sub, path, path_len);
		if (sub_len)
			sub[sub_len++] = ':';
		memcpy(sub + sub_len, name, len);
		sub_len += len;
		sub[sub_len] = '\0';
		pkl_json_elem(j);
		pkl_json_object_open(j);
		PKL_JSON_KEY(j, "protocol");
		pkl_json_string(j, name);
		PKL_JSON_KEY(j, "path");
		pkl_json_string(j, sub);
		PKL_JSON_KEY(j, "depth");
		pkl_json_u64(j, depth);
		PKL_JSON_KEY(j, "frames");
		pkl_json_u64(j, nd->frames);
		PKL_JSON_KEY(j, "bytes");
		pkl_json_u64(j, nd->bytes);
		pkl_json_object_close(j);
		json_nodes(st, j, c, depth + 1, sub, sub_len);
	}
}

static void
print_json(const struct pkl_stats *st, struct pkl_out *o, unsigned top_n)
{
	struct pkl_json j;

	pkl_json_init(&j, o);
	pkl_json_object_open(&j);
	PKL_JSON_KEY(&j, "frames");
	pkl_json_u64(&j, st->frames);
	PKL_JSON_KEY(&j, "bytes");
	pkl_json_u64(&j, st->bytes);
	const struct pkl_time_span *sp = &st->span;
	PKL_JSON_KEY(&j, "start");
	if (st->frames)
		pkl_time_epoch(o, sp->start_sec, sp->start_nsec);
	else
		pkl_json_null(&j);
	PKL_JSON_KEY(&j, "end");
	if (st->frames)
		pkl_time_epoch(o, sp->end_sec, sp->end_nsec);
	else
		pkl_json_null(&j);
	PKL_JSON_KEY(&j, "duration");
	if (st->frames)
		pkl_time_since(o, sp->end_sec, sp->end_nsec, sp->start_sec, sp->start_nsec);
	else
		pkl_json_null(&j);

	PKL_JSON_KEY(&j, "protocols");
	pkl_json_array_open(&j);
	json_nodes(st, &j, 0, 1, "", 0);
	pkl_json_array_close(&j);
	PKL_JSON_KEY(&j, "protocols_complete");
	pkl_json_bool(&j, !st->nodes_full);

	PKL_JSON_KEY(&j, "truncated");
	pkl_json_u64(&j, st->truncated);
	PKL_JSON_KEY(&j, "malformed");
	pkl_json_u64(&j, st->malformed);
	PKL_JSON_KEY(&j, "events");
	pkl_json_array_open(&j);
	for (int e = 0; e < PKL_EV_COUNT; e++) {
		if (!st->events[e])
			continue;
		pkl_json_elem(&j);
		pkl_json_object_open(&j);
		PKL_JSON_KEY(&j, "name");
		pkl_json_name(&j, pkl_event_name((enum pkl_event_code)e));
		PKL_JSON_KEY(&j, "kind");
		pkl_json_name(&j, event_kinds[pkl_event_kind((enum pkl_event_code)e)]);
		PKL_JSON_KEY(&j, "count");
		pkl_json_u64(&j, st->events[e]);
		pkl_json_object_close(&j);
	}
	pkl_json_array_close(&j);

	PKL_JSON_KEY(&j, "findings");
	pkl_json_object_open(&j);
	for (int f = 0; f < F_COUNT; f++) {
		/* A key of the table's: the comma (when due) and quote, then it. */
		pkl_json_key_text(&j, ",\"", 2);
		pkl_out_str(o, findings[f].key);
		pkl_out_str(o, "\":");
		pkl_json_u64(&j, st->found[f]);
	}
	pkl_json_object_close(&j);

	unsigned n;
	const struct talker **list = sorted_talkers(st, &n);
	PKL_JSON_KEY(&j, "talkers_seen");
	pkl_json_u64(&j, n);
	PKL_JSON_KEY(&j, "talkers");
	pkl_json_array_open(&j);
	for (unsigned i = 0; list && i < n && i < top_n; i++) {
		pkl_json_elem(&j);
		pkl_json_object_open(&j);
		PKL_JSON_KEY(&j, "address");
		pkl_json_address(&j, list[i]->family, list[i]->addr);
		PKL_JSON_KEY(&j, "frames");
		pkl_json_u64(&j, list[i]->frames);
		PKL_JSON_KEY(&j, "bytes");
		pkl_json_u64(&j, list[i]->bytes);
		pkl_json_object_close(&j);
	}
	pkl_json_array_close(&j);
	free(list);
	PKL_JSON_KEY(&j, "talkers_other_frames");
	pkl_json_u64(&j, st->other_frames);
	pkl_json_object_close(&j);
	pkl_out_char(o, '\n');
}

void
pkl_stats_print(const struct pkl_stats *st, struct pkl_out *o, unsigned top_n, bool json)
{
	if (json)
		print_json(st, o, top_n);
	else
		print_text(st, o, top_n);
}
