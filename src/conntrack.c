/* The connection tracker.
 *
 * A pool of connections that doubles as they arrive, up to the table
 * cap, found through a power-of-two bucket array of chains (sized for
 * the pool, rebuilt when it grows), and kept on one of two
 * least-recently-seen lists: open connections, and closed ones (both
 * ends CLOSED or in TIME_WAIT).  Each list has one timeout, so its tail
 * is always the first to go: an open connection expires once idle past
 * the idle timeout, a closed one 2*MSL after its last frame (as long as
 * TIME_WAIT holds the 4-tuple, so late segments and a reuse of the ports
 * are still recognised).  When the pool is full a closed connection
 * makes room first; only then is the least recently seen open one
 * evicted, and counted.  Memory is bounded by the cap whatever the
 * capture holds.  A dozen lines of hashing are simpler here than a
 * library table, which would allocate per entry. */
#define _GNU_SOURCE        /* qsort_r */
#include "conntrack.h"

#include <stdlib.h>
#include <string.h>

#include "../dissectors/tcp.h"

struct pkl_conntrack {
	struct pkl_conntrack_opts opts;
	pkl_conn_done_fn *done;
	void *done_ctx;
	struct pkl_conn *pool;
	uint32_t pool_cap;              /* entries allocated; grows to opts.max_conns */
	int32_t *buckets;
	uint32_t bucket_mask;
	int32_t free_head;              /* released entries */
	uint32_t fresh;                 /* entries from here on were never used */
	struct { int32_t head, tail; } lru[2];   /* [LRU_OPEN], [LRU_CLOSED]; head: most recent */
	uint32_t used;
	uint64_t next_id;
	uint64_t evicted;
};

const char *
pkl_tcp_state_name(enum pkl_tcp_state s)
{
	static const char *const names[PKL_TCPS_COUNT] = {
		[PKL_TCPS_UNKNOWN] = "?", [PKL_TCPS_CLOSED] = "CLOSED",
		[PKL_TCPS_LISTEN] = "LISTEN", [PKL_TCPS_SYN_SENT] = "SYN_SENT",
		[PKL_TCPS_SYN_RECEIVED] = "SYN_RECEIVED", [PKL_TCPS_ESTABLISHED] = "ESTABLISHED",
		[PKL_TCPS_FIN_WAIT_1] = "FIN_WAIT_1", [PKL_TCPS_FIN_WAIT_2] = "FIN_WAIT_2",
		[PKL_TCPS_CLOSE_WAIT] = "CLOSE_WAIT", [PKL_TCPS_CLOSING] = "CLOSING",
		[PKL_TCPS_LAST_ACK] = "LAST_ACK", [PKL_TCPS_TIME_WAIT] = "TIME_WAIT",
	};
	return (unsigned)s < PKL_TCPS_COUNT ? names[s] : "?";
}

const char *
pkl_conn_close_name(enum pkl_conn_close c)
{
	static const char *const names[] = {
		[PKL_CLOSE_OPEN] = "open", [PKL_CLOSE_CLIENT_FIRST] = "client-first",
		[PKL_CLOSE_SERVER_FIRST] = "server-first", [PKL_CLOSE_SIMULTANEOUS] = "simultaneous",
		[PKL_CLOSE_RESET_BY_CLIENT] = "reset-by-client",
		[PKL_CLOSE_RESET_BY_SERVER] = "reset-by-server",
		[PKL_CLOSE_NEVER_ESTABLISHED] = "never-established",
	};
	return names[c];
}

/* ---- the table ---------------------------------------------------------- */

enum { LRU_OPEN, LRU_CLOSED };

static bool is_closed(const struct pkl_conn *c);

struct key {
	uint8_t family;
	const uint8_t *src, *dst;
	uint16_t sport, dport;
};

static uint32_t
hash_key(const struct key *k)
{
	/* Symmetric: both directions of a connection land in one bucket. */
	size_t n = k->family == 4 ? 4 : 16;
	uint32_t a = 0, b = 0;

	for (size_t i = 0; i < n; i += 4) {
		uint32_t w;
		memcpy(&w, k->src + i, 4);
		a = (a ^ w) * 0x9e3779b1u;
		memcpy(&w, k->dst + i, 4);
		b = (b ^ w) * 0x9e3779b1u;
	}
	a ^= k->sport * 0x85ebca6bu;
	b ^= k->dport * 0x85ebca6bu;
	uint32_t h = (a + b) ^ ((a ^ b) >> 15);
	return (h * 0xc2b2ae35u) >> 8;
}

/* Which end of c sent a segment with this key, or -1 if not c's. */
static int
sender_of(const struct pkl_conn *c, const struct key *k)
{
	size_t n = k->family == 4 ? 4 : 16;

	if (c->family != k->family)
		return -1;
	for (int e = 0; e < 2; e++) {
		const struct pkl_conn_end *s = &c->end[e], *d = &c->end[1 - e];
		if (s->port == k->sport && d->port == k->dport &&
		    memcmp(s->addr, k->src, n) == 0 && memcmp(d->addr, k->dst, n) == 0)
			return e;
	}
	return -1;
}

static void
lru_unlink(struct pkl_conntrack *ct, int32_t i)
{
	struct pkl_conn *c = &ct->pool[i];

	/* Without a neighbour the entry heads (or ends) its list; it is on
	 * one list only, so not the open list's head (tail) means the
	 * closed list's. */
	if (c->lru_prev >= 0)
		ct->pool[c->lru_prev].lru_next = c->lru_next;
	else
		ct->lru[ct->lru[LRU_OPEN].head == i ? LRU_OPEN : LRU_CLOSED].head = c->lru_next;
	if (c->lru_next >= 0)
		ct->pool[c->lru_next].lru_prev = c->lru_prev;
	else
		ct->lru[ct->lru[LRU_OPEN].tail == i ? LRU_OPEN : LRU_CLOSED].tail = c->lru_prev;
}

static void
lru_push_head(struct pkl_conntrack *ct, int list, int32_t i)
{
	struct pkl_conn *c = &ct->pool[i];

	c->lru_prev = -1;
	c->lru_next = ct->lru[list].head;
	if (ct->lru[list].head >= 0)
		ct->pool[ct->lru[list].head].lru_prev = i;
	ct->lru[list].head = i;
	if (ct->lru[list].tail < 0)
		ct->lru[list].tail = i;
}

/* Just seen: to the head of the list its states now put it on. */
static void
touch(struct pkl_conntrack *ct, int32_t i)
{
	lru_unlink(ct, i);
	lru_push_head(ct, is_closed(&ct->pool[i]) ? LRU_CLOSED : LRU_OPEN, i);
}

static uint32_t
bucket_of(const struct pkl_conntrack *ct, const struct pkl_conn *c)
{
	const struct key k = { c->family, c->end[0].addr, c->end[1].addr,
			       c->end[0].port, c->end[1].port };
	return hash_key(&k) & ct->bucket_mask;
}

static void
report(struct pkl_conntrack *ct, struct pkl_conn *c, enum pkl_conn_exit why)
{
	if (c->close == PKL_CLOSE_OPEN && !c->established && c->roles_inferred == false &&
	    why != PKL_CONN_EVICTED)
		c->close = PKL_CLOSE_NEVER_ESTABLISHED;
	if (ct->done)
		ct->done(ct->done_ctx, c, why);
}

/* Take connection i out of the table and report it. */
static void
release(struct pkl_conntrack *ct, int32_t i, enum pkl_conn_exit why)
{
	struct pkl_conn *c = &ct->pool[i];
	int32_t *link = &ct->buckets[bucket_of(ct, c)];

	while (*link != i)
		link = &ct->pool[*link].hash_next;
	*link = c->hash_next;
	lru_unlink(ct, i);
	report(ct, c, why);
	c->hash_next = ct->free_head;
	ct->free_head = i;
	ct->used--;
}

/* Double the pool (and rebuild the buckets for it).  Indices stay
 * valid; no pointer into the pool outlives a call.  False when there is
 * no memory, and the table then behaves as full.  Called only when no
 * released entry is left: every entry below fresh is in the table. */
static bool
grow(struct pkl_conntrack *ct)
{
	uint32_t cap = ct->pool_cap * 2 > ct->opts.max_conns ? ct->opts.max_conns : ct->pool_cap * 2;
	struct pkl_conn *pool = realloc(ct->pool, cap * sizeof *pool);
	if (!pool)
		return false;
	ct->pool = pool;
	uint32_t nb = 1;
	while (nb < cap)
		nb <<= 1;
	int32_t *buckets = malloc(nb * sizeof *buckets);
	if (!buckets)
		return false;
	free(ct->buckets);
	ct->buckets = buckets;
	ct->bucket_mask = nb - 1;
	memset(buckets, 0xff, nb * sizeof *buckets);
	ct->pool_cap = cap;
	for (int32_t i = 0; i < (int32_t)ct->fresh; i++) {
		uint32_t b = bucket_of(ct, &ct->pool[i]);
		ct->pool[i].hash_next = ct->buckets[b];
		ct->buckets[b] = i;
	}
	return true;
}

static int64_t
idle_seconds(const struct pkl_conn *c, int64_t now)
{
	return now - c->last_sec;
}

static void
expire_list(struct pkl_conntrack *ct, int list, int64_t timeout, int64_t now,
	    enum pkl_conn_exit why)
{
	while (ct->lru[list].tail >= 0 &&
	       idle_seconds(&ct->pool[ct->lru[list].tail], now) > timeout)
		release(ct, ct->lru[list].tail, why);
}

/* Before each frame is looked up, so that whether a connection is still
 * there depends on capture time only, not on what else arrived. */
static void
expire(struct pkl_conntrack *ct, int64_t now)
{
	expire_list(ct, LRU_CLOSED, 2 * (int64_t)ct->opts.msl, now, PKL_CONN_CLOSED);
	expire_list(ct, LRU_OPEN, ct->opts.idle_timeout, now, PKL_CONN_EXPIRED);
}

/* Make room for one more when the pool is full. */
static void
make_room(struct pkl_conntrack *ct)
{
	if (ct->free_head >= 0 || ct->fresh < ct->pool_cap ||
	    (ct->pool_cap < ct->opts.max_conns && grow(ct)))
		return;
	if (ct->lru[LRU_CLOSED].tail >= 0) {
		release(ct, ct->lru[LRU_CLOSED].tail, PKL_CONN_CLOSED);
	} else {
		ct->evicted++;
		release(ct, ct->lru[LRU_OPEN].tail, PKL_CONN_EVICTED);
	}
}

struct pkl_conntrack *
pkl_conntrack_new(const struct pkl_conntrack_opts *opts, pkl_conn_done_fn *done, void *ctx)
{
	struct pkl_conntrack *ct = calloc(1, sizeof *ct);

	if (!ct || opts->max_conns == 0) {
		free(ct);
		return NULL;
	}
	ct->opts = *opts;
	ct->done = done;
	ct->done_ctx = ctx;
	ct->free_head = -1;
	ct->lru[LRU_OPEN].head = ct->lru[LRU_OPEN].tail = -1;
	ct->lru[LRU_CLOSED].head = ct->lru[LRU_CLOSED].tail = -1;
	ct->pool_cap = 1;
	if (!grow(ct)) {   /* two entries to start with */
		pkl_conntrack_free(ct);
		return NULL;
	}
	return ct;
}

void
pkl_conntrack_free(struct pkl_conntrack *ct)
{
	if (!ct)
		return;
	free(ct->pool);
	free(ct->buckets);
	free(ct);
}

uint64_t
pkl_conntrack_evicted(const struct pkl_conntrack *ct)
{
	return ct->evicted;
}

static int
by_id(const void *a, const void *b, void *pool)
{
	const struct pkl_conn *ca = (const struct pkl_conn *)pool + *(const int32_t *)a;
	const struct pkl_conn *cb = (const struct pkl_conn *)pool + *(const int32_t *)b;
	return (ca->id > cb->id) - (ca->id < cb->id);
}

void
pkl_conntrack_finish(struct pkl_conntrack *ct)
{
	/* The bucket array has room for every entry of the pool: it holds
	 * the indices to sort, then is emptied with everything else. */
	int32_t *order = ct->buckets;
	size_t n = 0;

	for (int list = LRU_OPEN; list <= LRU_CLOSED; list++)
		for (int32_t i = ct->lru[list].head; i >= 0; i = ct->pool[i].lru_next)
			order[n++] = i;
	qsort_r(order, n, sizeof *order, by_id, ct->pool);
	for (size_t j = 0; j < n; j++)
		report(ct, &ct->pool[order[j]], PKL_CONN_AT_END);
	memset(ct->buckets, 0xff, (ct->bucket_mask + 1) * sizeof *ct->buckets);
	ct->lru[LRU_OPEN].head = ct->lru[LRU_OPEN].tail = -1;
	ct->lru[LRU_CLOSED].head = ct->lru[LRU_CLOSED].tail = -1;
	ct->free_head = -1;
	ct->fresh = 0;
	ct->used = 0;
}

/* ---- states ------------------------------------------------------------- */

/* Sequence comparison modulo 2^32 (RFC 9293 3.4). */
static bool
seq_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static bool
is_closed(const struct pkl_conn *c)
{
	for (int e = 0; e < 2; e++) {
		enum pkl_tcp_state s = c->end[e].state;
		if (s != PKL_TCPS_CLOSED && s != PKL_TCPS_TIME_WAIT && s != PKL_TCPS_UNKNOWN)
			return false;
	}
	return true;
}

static int32_t
new_conn(struct pkl_conntrack *ct, const struct key *k, const struct pkl_frame *f,
	 const struct pkl_tcp *t)
{
	make_room(ct);
	/* Reuse a released entry, else take a fresh one. */
	int32_t i = ct->free_head >= 0 ? ct->free_head : (int32_t)ct->fresh++;
	struct pkl_conn *c = &ct->pool[i];
	size_t n = k->family == 4 ? 4 : 16;

	if (i == ct->free_head)
		ct->free_head = c->hash_next;
	memset(c, 0, sizeof *c);
	c->id = ++ct->next_id;
	c->family = k->family;
	/* The sender of a SYN is the client; otherwise decided below. */
	int client = 0;
	bool syn_only = (t->flags & (PKL_TCP_SYN | PKL_TCP_ACK)) == PKL_TCP_SYN;
	if (!syn_only) {
		c->roles_inferred = true;
		/* A SYN+ACK comes from the server; else the well-known port. */
		if (t->flags & PKL_TCP_SYN)
			client = 1;
		else if (t->sport < 1024 && t->dport >= 1024)
			client = 1;
	}
	const uint8_t *caddr = client == 0 ? k->src : k->dst;
	const uint8_t *saddr = client == 0 ? k->dst : k->src;
	memcpy(c->end[PKL_CLIENT].addr, caddr, n);
	memcpy(c->end[PKL_SERVER].addr, saddr, n);
	c->end[PKL_CLIENT].port = client == 0 ? k->sport : k->dport;
	c->end[PKL_SERVER].port = client == 0 ? k->dport : k->sport;
	c->first_frame = f->number;
	c->first_sec = f->ts_sec;
	c->first_nsec = f->ts_nsec;
	c->first_closer = -1;
	c->close = PKL_CLOSE_OPEN;
	if (syn_only) {
		c->end[PKL_CLIENT].state = PKL_TCPS_CLOSED;
		c->end[PKL_SERVER].state = PKL_TCPS_LISTEN;
	} else {
		c->end[PKL_CLIENT].state = c->end[PKL_SERVER].state =
			(t->flags & PKL_TCP_SYN) ? PKL_TCPS_UNKNOWN : PKL_TCPS_ESTABLISHED;
		if (!(t->flags & PKL_TCP_SYN))
			c->established = true;
	}
	uint32_t b = bucket_of(ct, c);
	c->hash_next = ct->buckets[b];
	ct->buckets[b] = i;
	lru_push_head(ct, LRU_OPEN, i);
	ct->used++;
	return i;
}

static uint64_t
ts_ns(const struct pkl_frame *f)
{
	return (uint64_t)f->ts_sec * 1000000000u + f->ts_nsec;
}

static void
set_step(struct pkl_conn_snapshot *snap, const char *kind, unsigned k, unsigned n)
{
	char *p = snap->step;
	size_t len = strlen(kind);

	memcpy(p, kind, len);
	p[len] = ' ';
	p[len + 1] = (char)('0' + k);
	p[len + 2] = '/';
	p[len + 3] = (char)('0' + n);
	p[len + 4] = '\0';
}

/* The sender's own FIN was acknowledged: the transitions RFC 9293 makes
 * on receiving that ACK. */
static void
fin_acked(struct pkl_conn *c, int e, int64_t now, uint32_t msl)
{
	struct pkl_conn_end *end = &c->end[e];

	end->fin_acked = true;
	switch (end->state) {
	case PKL_TCPS_FIN_WAIT_1: end->state = PKL_TCPS_FIN_WAIT_2; break;
	case PKL_TCPS_CLOSING:
		end->state = PKL_TCPS_TIME_WAIT;
		c->time_wait_until[e] = now + 2 * (int64_t)msl;
		break;
	case PKL_TCPS_LAST_ACK: end->state = PKL_TCPS_CLOSED; break;
	default: break;
	}
}

/* The sender acknowledges the peer's FIN: its transition on receipt. */
static void
acks_peer_fin(struct pkl_conn *c, int e, int64_t now, uint32_t msl)
{
	struct pkl_conn_end *end = &c->end[e];

	switch (end->state) {
	case PKL_TCPS_ESTABLISHED: end->state = PKL_TCPS_CLOSE_WAIT; break;
	case PKL_TCPS_FIN_WAIT_1:
		end->state = end->fin_acked ? PKL_TCPS_TIME_WAIT : PKL_TCPS_CLOSING;
		break;
	case PKL_TCPS_FIN_WAIT_2: end->state = PKL_TCPS_TIME_WAIT; break;
	default: break;
	}
	if (end->state == PKL_TCPS_TIME_WAIT)
		c->time_wait_until[e] = now + 2 * (int64_t)msl;
}

static void
on_reset(struct pkl_conn *c, int s, struct pkl_notes *notes, uint8_t li)
{
	struct pkl_conn_end *snd = &c->end[s], *rcv = &c->end[1 - s];
	enum pkl_tcp_state was = snd->state;

	if (rcv->state == PKL_TCPS_SYN_SENT && !c->established)
		pkl_notes_add(notes, PKL_NOTE_CONN_RST_CLOSED_PORT, li, (uint32_t)s, snd->port, 0);
	else if (was == PKL_TCPS_SYN_SENT || (s == PKL_CLIENT && !c->established &&
					       rcv->state == PKL_TCPS_SYN_RECEIVED))
		pkl_notes_add(notes, PKL_NOTE_CONN_RST_HALF_OPEN, li, (uint32_t)s, 0, 0);
	else if (was == PKL_TCPS_CLOSED || was == PKL_TCPS_TIME_WAIT)
		pkl_notes_add(notes, PKL_NOTE_CONN_RST_AFTER_CLOSE, li, (uint32_t)s, 0, 0);
	else
		pkl_notes_add(notes, PKL_NOTE_CONN_RST_ABORT, li, (uint32_t)s, was, 0);
	if (c->close == PKL_CLOSE_OPEN)
		c->close = !c->established ? PKL_CLOSE_NEVER_ESTABLISHED
		       : s == PKL_CLIENT ? PKL_CLOSE_RESET_BY_CLIENT : PKL_CLOSE_RESET_BY_SERVER;
	snd->state = PKL_TCPS_CLOSED;
	/* A passive open reset in SYN_RECEIVED goes back to listening
	 * (RFC 9293 3.10.7.4); TIME_WAIT ignores resets (RFC 1337). */
	if (rcv->state == PKL_TCPS_SYN_RECEIVED && 1 - s == PKL_SERVER && !c->simultaneous_open)
		rcv->state = PKL_TCPS_LISTEN;
	else if (rcv->state != PKL_TCPS_TIME_WAIT)
		rcv->state = PKL_TCPS_CLOSED;
}

/* Relative numbers as Wireshark counts them: from the ISN when the SYN
 * was seen; else from the first sequence number an end sent, or from
 * one less than the first acknowledgment the other end sent it. */
static void
relative_numbers(struct pkl_conn_end *snd, struct pkl_conn_end *rcv, const struct pkl_tcp *t,
		 struct pkl_conn_snapshot *snap)
{
	bool ack = t->flags & PKL_TCP_ACK;

	if (!snd->base_valid || (t->flags & PKL_TCP_SYN)) {
		snd->base_seq = t->seq;
		snd->base_valid = true;
	}
	if (ack && !rcv->base_valid) {
		rcv->base_seq = t->ack - 1;
		rcv->base_valid = true;
	}
	snap->rel_seq = t->seq - snd->base_seq;
	snap->rel_ack = ack ? t->ack - rcv->base_seq : 0;
}

static void
on_segment(struct pkl_conntrack *ct, struct pkl_conn *c, int s, const struct pkl_frame *f,
	   const struct pkl_tcp *t, struct pkl_conn_snapshot *snap, struct pkl_notes *notes,
	   uint8_t li)
{
	struct pkl_conn_end *snd = &c->end[s], *rcv = &c->end[1 - s];
	uint16_t fl = t->flags;
	bool syn = fl & PKL_TCP_SYN, ack = fl & PKL_TCP_ACK, fin = fl & PKL_TCP_FIN;
	uint32_t seg_len = t->payload_len + syn + fin;
	uint32_t msl = ct->opts.msl;
	enum pkl_tcp_state start = snd->state;

	snd->frames++;
	snd->bytes += t->payload_len;
	relative_numbers(snd, rcv, t, snap);

	if (fl & PKL_TCP_RST) {
		on_reset(c, s, notes, li);
		return;
	}
	if (syn && !ack) {
		if (snd->syn_seen && snd->isn == t->seq) {
			pkl_notes_add(notes, PKL_NOTE_CONN_SYN_RETRY, li, (uint32_t)snd->frames, 0, 0);
			c->retransmissions++;
		} else if (s == PKL_SERVER && c->end[PKL_CLIENT].syn_seen) {
			c->simultaneous_open = true;
			pkl_notes_add(notes, PKL_NOTE_CONN_SIMULTANEOUS_OPEN, li, 0, 0, 0);
		} else {
			c->handshake_frames[0] = f->number;
			c->syn_time_ns = ts_ns(f);
			set_step(snap, "handshake", 1, 3);
			pkl_notes_add(notes, PKL_NOTE_CONN_HANDSHAKE_1, li, 0, 0, 0);
		}
		snd->syn_seen = true;
		snd->isn = t->seq;
		snd->state = PKL_TCPS_SYN_SENT;
	} else if (syn && ack) {
		if (!snd->syn_seen) {
			c->handshake_frames[1] = f->number;
			c->synack_time_ns = ts_ns(f);
			set_step(snap, "handshake", 2, 3);
			pkl_notes_add(notes, PKL_NOTE_CONN_HANDSHAKE_2, li, 0, 0, 0);
		} else {
			pkl_notes_add(notes, PKL_NOTE_CONN_RETRANSMISSION, li, (uint32_t)s, 0, 0);
			c->retransmissions++;
		}
		snd->syn_seen = true;
		snd->isn = t->seq;
		snd->state = PKL_TCPS_SYN_RECEIVED;
	}

	if (ack) {
		/* The sender saw the peer's SYN: its own handshake is done. */
		if (rcv->syn_seen && snd->state == PKL_TCPS_SYN_SENT && t->ack == rcv->isn + 1) {
			snd->state = PKL_TCPS_ESTABLISHED;
			if (!syn && !c->handshake_frames[2] && c->handshake_frames[1]) {
				c->handshake_frames[2] = f->number;
				c->ack_time_ns = ts_ns(f);
				c->established = true;
				set_step(snap, "handshake", 3, 3);
				pkl_notes_add(notes, PKL_NOTE_CONN_HANDSHAKE_3, li,
					      (uint32_t)((c->ack_time_ns - c->syn_time_ns) / 1000), 0, 0);
			}
		}
		/* The receiver's SYN or FIN is acknowledged: its transitions. */
		if (rcv->state == PKL_TCPS_SYN_RECEIVED && t->ack == rcv->isn + 1) {
			rcv->state = PKL_TCPS_ESTABLISHED;
			c->established = true;
		}
		bool acks_fin = rcv->fin_sent && seq_after(t->ack, rcv->fin_seq);
		if (acks_fin && !rcv->fin_acked)
			fin_acked(c, 1 - s, f->ts_sec, msl);
		if (acks_fin && !snd->fin_sent && start == PKL_TCPS_ESTABLISHED) {
			acks_peer_fin(c, s, f->ts_sec, msl);
			if (!fin) {
				c->teardown_total = 4;
				set_step(snap, "teardown", 2, 4);
				pkl_notes_add(notes, PKL_NOTE_CONN_TEARDOWN_ACK, li, (uint32_t)s, snd->state, 0);
			}
		} else if (acks_fin && snd->fin_sent &&
			   (start == PKL_TCPS_FIN_WAIT_1 || start == PKL_TCPS_FIN_WAIT_2)) {
			acks_peer_fin(c, s, f->ts_sec, msl);
			if (snd->state == PKL_TCPS_TIME_WAIT && c->close != PKL_CLOSE_SIMULTANEOUS) {
				unsigned n = c->teardown_total ? c->teardown_total : 4;
				set_step(snap, "teardown", n, n);
				pkl_notes_add(notes, PKL_NOTE_CONN_TEARDOWN_LAST, li, (uint32_t)s, 2 * msl, n);
			}
		}
		/* Duplicate ACK: no data, same ACK and window as before. */
		if (!syn && !fin && t->payload_len == 0 && c->established &&
		    t->ack == snd->last_ack && t->window == snd->last_win && rcv->next_seq_valid &&
		    seq_after(rcv->next_seq, t->ack)) {
			c->dup_acks++;
			pkl_notes_add(notes, PKL_NOTE_CONN_DUP_ACK, li, (uint32_t)s, c->dup_acks, 0);
		}
		snd->last_ack = t->ack;
		snd->last_win = t->window;
	}

	/* Bytes sent again: the segment starts before what was sent already
	 * (a keep-alive's one old byte excepted). */
	bool keep_alive = t->payload_len <= 1 && t->seq + 1 == snd->next_seq;
	if (!syn && t->payload_len && snd->next_seq_valid && !keep_alive &&
	    seq_after(snd->next_seq, t->seq)) {
		c->retransmissions++;
		pkl_notes_add(notes, PKL_NOTE_CONN_RETRANSMISSION, li, (uint32_t)s, 0, 0);
	}
	if (!snd->next_seq_valid || seq_after(t->seq + seg_len, snd->next_seq)) {
		snd->next_seq = t->seq + seg_len;
		snd->next_seq_valid = true;
	}
	if (t->window == 0 && !syn) {
		c->zero_windows++;
		pkl_notes_add(notes, PKL_NOTE_CONN_ZERO_WINDOW, li, (uint32_t)s, 0, 0);
	}

	if (fin && !snd->fin_sent) {
		enum pkl_tcp_state was = start;
		snd->fin_sent = true;
		snd->fin_seq = t->seq + t->payload_len;
		c->fin_frames[s] = f->number;
		if (c->first_closer < 0) {
			c->first_closer = s;
			snd->state = PKL_TCPS_FIN_WAIT_1;
			set_step(snap, "teardown", 1, 4);
			pkl_notes_add(notes, PKL_NOTE_CONN_TEARDOWN_ACTIVE, li, (uint32_t)s, was, snd->state);
		} else if (rcv->fin_sent && !rcv->fin_acked && !(ack && seq_after(t->ack, rcv->fin_seq))) {
			/* FINs crossed: neither acknowledged the other's yet. */
			snd->state = PKL_TCPS_FIN_WAIT_1;
			c->close = PKL_CLOSE_SIMULTANEOUS;
			pkl_notes_add(notes, PKL_NOTE_CONN_SIMULTANEOUS_CLOSE, li, (uint32_t)s, 0, 0);
		} else {
			snd->state = PKL_TCPS_LAST_ACK;
			if (was == PKL_TCPS_ESTABLISHED) {   /* the ACK of the FIN and its own in one */
				c->teardown_total = 3;
				set_step(snap, "teardown", 2, 3);
				pkl_notes_add(notes, PKL_NOTE_CONN_TEARDOWN_FIN_ACK, li, (uint32_t)s,
					      snd->state, 0);
			} else {
				set_step(snap, "teardown", 3, 4);
				pkl_notes_add(notes, PKL_NOTE_CONN_TEARDOWN_PASSIVE, li, (uint32_t)s,
					      was, snd->state);
			}
		}
		if (c->close == PKL_CLOSE_OPEN)
			c->close = s == PKL_CLIENT ? PKL_CLOSE_CLIENT_FIRST : PKL_CLOSE_SERVER_FIRST;
	}
}

void
pkl_conntrack_frame(struct pkl_conntrack *ct, const struct pkl_packet *pkt,
		    struct pkl_notes *notes)
{
	const struct pkl_layer *net = NULL, *tl = NULL;
	struct pkl_conn_snapshot *snap = &notes->conn;

	snap->valid = false;
	for (unsigned i = 0; i < pkt->n_layers; i++) {
		const struct pkl_layer *l = &pkt->layers[i];
		if (l->flags & PKL_LAYER_QUOTED)
			break;
		if (l->proto == PKL_PROTO_IPV4 || l->proto == PKL_PROTO_IPV6)
			net = l;
		else if (l->proto == PKL_PROTO_TCP)
			tl = l;
	}
	if (!net || !tl || !(tl->flags & PKL_LAYER_HEADER) ||
	    (tl->flags & (PKL_LAYER_MALFORMED)))
		return;
	const struct pkl_tcp *t = &tl->hdr.tcp;
	struct key k = { .sport = t->sport, .dport = t->dport };
	if (net->proto == PKL_PROTO_IPV4) {
		k.family = 4;
		k.src = net->hdr.ipv4.src;
		k.dst = net->hdr.ipv4.dst;
	} else {
		k.family = 6;
		k.src = net->hdr.ipv6.src;
		k.dst = net->hdr.ipv6.dst;
	}

	const struct pkl_frame *f = pkt->frame;
	uint8_t li = pkl_layer_index(pkt, tl);
	expire(ct, f->ts_sec);
	int32_t i = ct->buckets[hash_key(&k) & ct->bucket_mask];
	int s = -1;
	while (i >= 0 && (s = sender_of(&ct->pool[i], &k)) < 0)
		i = ct->pool[i].hash_next;

	bool new_syn = (t->flags & (PKL_TCP_SYN | PKL_TCP_ACK | PKL_TCP_RST)) == PKL_TCP_SYN;
	if (i >= 0 && new_syn && is_closed(&ct->pool[i]) &&
	    !(ct->pool[i].end[s].syn_seen && ct->pool[i].end[s].isn == t->seq)) {
		uint64_t old = ct->pool[i].id;
		release(ct, i, PKL_CONN_REUSED);
		i = -1;
		pkl_notes_add(notes, PKL_NOTE_CONN_REUSED, li, (uint32_t)old, 0, 0);
	}
	if (i < 0) {
		i = new_conn(ct, &k, f, t);
		s = sender_of(&ct->pool[i], &k);
		if (ct->pool[i].roles_inferred && ct->pool[i].established)
			pkl_notes_add(notes, PKL_NOTE_CONN_MIDSTREAM, li,
				      ct->pool[i].end[PKL_SERVER].port,
				      (t->sport < 1024 || t->dport < 1024) ? 1 : 2, 0);
	}

	struct pkl_conn *c = &ct->pool[i];
	snap->valid = true;
	snap->id = c->id;
	snap->sender = s;
	snap->step[0] = '\0';
	snap->before[0] = c->end[0].state;
	snap->before[1] = c->end[1].state;
	uint8_t first_note = notes->n;
	on_segment(ct, c, s, f, t, snap, notes, li);
	snap->after[0] = c->end[0].state;
	snap->after[1] = c->end[1].state;
	c->last_frame = f->number;
	c->last_sec = f->ts_sec;
	c->last_nsec = f->ts_nsec;
	touch(ct, i);

	/* The states line leads the connection's notes. */
	if (notes->n < PKL_MAX_NOTES) {
		memmove(&notes->note[first_note + 1], &notes->note[first_note],
			(notes->n - first_note) * sizeof notes->note[0]);
		notes->note[first_note] = (struct pkl_note){
			PKL_NOTE_CONN_STATES, li, { (uint32_t)c->id, c->end[0].state, c->end[1].state } };
		notes->n++;
	}
}
