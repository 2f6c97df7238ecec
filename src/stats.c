/* Protocol hierarchy (like tshark -z io,phs), anomaly counts and top
 * talkers, in memory that does not grow with the number of frames.
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

#include "decode.h"
#include "hash.h"

#define MAX_NODES 512
#define TALKER_SLOTS (1u << 16)
#define TALKER_MAX_FILL (TALKER_SLOTS / 4 * 3)

struct node {
	enum pkl_proto proto;
	int first_child, next_sibling;
	uint64_t frames, bytes;
};

struct talker {
	uint8_t family;          /* 0: empty slot, 4 or 6 */
	uint8_t addr[16];
	uint64_t frames, bytes;
};

struct pkl_stats {
	uint64_t frames, bytes, truncated, malformed;
	uint64_t events[PKL_EV_COUNT];
	int n_nodes;
	bool nodes_full;
	/* The previous frame's protocol path and its nodes: most frames
	 * repeat a recent path, so the tree walk is usually skipped. */
	uint8_t last_depth;
	enum pkl_proto last_path[PKL_MAX_LAYERS];
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
		st->nodes[0] = (struct node){ PKL_PROTO_NONE, -1, -1, 0, 0 };
	}
	return st;
}

void
pkl_stats_free(struct pkl_stats *st)
{
	free(st);
}

static int
child_node(struct pkl_stats *st, int parent, enum pkl_proto proto)
{
	int *link = &st->nodes[parent].first_child;

	while (*link >= 0) {
		if (st->nodes[*link].proto == proto)
			return *link;
		link = &st->nodes[*link].next_sibling;
	}
	if (st->n_nodes == MAX_NODES) {
		st->nodes_full = true;
		return -1;
	}
	int n = st->n_nodes++;
	st->nodes[n] = (struct node){ proto, -1, -1, 0, 0 };
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

void
pkl_stats_add(struct pkl_stats *st, const struct pkl_packet *pkt)
{
	uint32_t bytes = pkt->frame->len;
	int node = 0;

	st->frames++;
	st->bytes += bytes;
	st->truncated += pkt->truncated;
	st->malformed += pkt->malformed;
	st->nodes[0].frames++;
	st->nodes[0].bytes += bytes;
	for (unsigned i = 0; i < pkt->n_events; i++)
		st->events[pkt->events[i].code]++;

	bool talkers_done = false;
	bool same_path = true;
	for (unsigned i = 0; i < pkt->n_layers; i++) {
		const struct pkl_layer *l = &pkt->layers[i];
		same_path = same_path && i < st->last_depth && st->last_path[i] == l->proto;
		if (same_path)
			node = st->last_nodes[i];
		else if (node >= 0)
			node = child_node(st, node, l->proto);
		st->last_path[i] = l->proto;
		st->last_nodes[i] = node;
		if (node >= 0) {
			st->nodes[node].frames++;
			st->nodes[node].bytes += bytes;
		}
		/* Talkers are the outermost IP endpoints, once per frame. */
		if (talkers_done || !(l->flags & PKL_LAYER_HEADER))
			continue;
		if (l->proto == PKL_PROTO_IPV4) {
			count_talker(st, 4, l->hdr.ipv4.src, bytes);
			count_talker(st, 4, l->hdr.ipv4.dst, bytes);
			talkers_done = true;
		} else if (l->proto == PKL_PROTO_IPV6) {
			count_talker(st, 6, l->hdr.ipv6.src, bytes);
			count_talker(st, 6, l->hdr.ipv6.dst, bytes);
			talkers_done = true;
		}
	}
	st->last_depth = pkt->n_layers;
}

/* Pad the line begun at buffer offset start to a column (at least one
 * space).  A flush since start only makes the line look shorter. */
static void
pad_column(struct pkl_out *o, size_t start, size_t col)
{
	size_t used = o->len >= start ? o->len - start : 0;

	pkl_out_spaces(o, used < col ? (unsigned)(col - used) : 1);
}

static void
print_node(const struct pkl_stats *st, struct pkl_out *o, int n, unsigned depth)
{
	for (int c = st->nodes[n].first_child; c >= 0; c = st->nodes[c].next_sibling) {
		const struct node *nd = &st->nodes[c];
		unsigned width = 2 + 2 * depth;
		size_t start = o->len;
		pkl_out_spaces(o, width);
		const char *name = pkl_proto_name(nd->proto);
		pkl_out_str(o, name);
		pad_column(o, start, 32);
		pkl_out_printf(o, "frames:%-10llu bytes:%-14llu %5.1f%%\n",
			       (unsigned long long)nd->frames, (unsigned long long)nd->bytes,
			       st->frames ? 100.0 * (double)nd->frames / (double)st->frames : 0.0);
		print_node(st, o, c, depth + 1);
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

static void
print_talkers(const struct pkl_stats *st, struct pkl_out *o, unsigned top_n)
{
	const struct talker **list = malloc(sizeof *list * (st->n_talkers ? st->n_talkers : 1));
	unsigned n = 0;

	if (!list)
		return;
	for (uint32_t i = 0; i < TALKER_SLOTS; i++)
		if (st->talkers[i].family)
			list[n++] = &st->talkers[i];
	qsort(list, n, sizeof *list, cmp_talkers);
	pkl_out_printf(o, "\nTop talkers (IP addresses as source or destination, by bytes; %u seen):\n", n);
	for (unsigned i = 0; i < n && i < top_n; i++) {
		size_t start = o->len;
		pkl_out_str(o, "  ");
		if (list[i]->family == 4)
			pkl_out_ipv4(o, list[i]->addr);
		else
			pkl_out_ipv6(o, list[i]->addr);
		pad_column(o, start, 42);
		pkl_out_printf(o, "frames:%-10llu bytes:%llu\n",
			       (unsigned long long)list[i]->frames,
			       (unsigned long long)list[i]->bytes);
	}
	if (st->other_frames)
		pkl_out_printf(o, "  (table full: %llu more frames from further addresses not listed)\n",
			       (unsigned long long)st->other_frames);
	free(list);
}

void
pkl_stats_print(const struct pkl_stats *st, struct pkl_out *o, unsigned top_n)
{
	pkl_out_printf(o, "Protocol hierarchy (%llu frames, %llu bytes on the wire):\n",
		       (unsigned long long)st->frames, (unsigned long long)st->bytes);
	print_node(st, o, 0, 0);
	if (st->nodes_full)
		pkl_out_str(o, "  (more protocol paths than the table holds; the rest are not listed)\n");

	pkl_out_printf(o, "\nAnomalies: %llu frames truncated, %llu frames malformed\n",
		       (unsigned long long)st->truncated, (unsigned long long)st->malformed);
	for (int e = 0; e < PKL_EV_COUNT; e++) {
		if (!st->events[e])
			continue;
		static const char *const kinds[] = {
			[PKL_EVK_TRUNCATED] = "truncated", [PKL_EVK_MALFORMED] = "malformed",
			[PKL_EVK_WARNING] = "warning",
		};
		size_t start = o->len;
		pkl_out_str(o, "  ");
		pkl_out_str(o, pkl_event_name((enum pkl_event_code)e));
		pad_column(o, start, 32);
		pkl_out_printf(o, "%-10s %llu\n", kinds[pkl_event_kind((enum pkl_event_code)e)],
			       (unsigned long long)st->events[e]);
	}
	print_talkers(st, o, top_n);
}
