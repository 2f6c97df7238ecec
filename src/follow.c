#include "follow.h"

#include <stdlib.h>
#include <string.h>

#include "conn_record.h"
#include "render.h"
#include "segment.h"

/* Text lines are cut here: a line break that follows no "\n" is not in
 * the stream. */
#define TEXT_COLUMNS 100

/* A segment that arrived ahead of a gap, its bytes in the ring. */
struct held {
	int64_t start, end;
	uint64_t frame;
	bool psh;
};

/* One direction: the bytes one end sent, as the other end's
 * application reads them.  Positions are relative sequence numbers
 * made 64 bits wide, so that a transfer past 4 GiB goes on counting. */
struct stream {
	bool started;
	int64_t next;              /* the next byte the application reads */
	int64_t fin_at;            /* the FIN's sequence number; -1: none seen */
	uint64_t fin_frame;
	bool fin_shown;
	uint8_t *ring;             /* PKL_FOLLOW_HOLD bytes, by position modulo the size */
	bool ring_failed;
	unsigned nheld;            /* by start */
	struct held held[PKL_FOLLOW_HELD_SEGMENTS];
};

struct pkl_follow {
	struct pkl_follow_opts opts;
	struct pkl_out *out;
	struct pkl_follow_totals totals;
	unsigned col;              /* of the text line being written; 0: at its start */
	struct stream s[2];        /* by sender */
};

static const char *const end_name[2] = { "client", "server" };
static const char *const dir_name[2] = { "client -> server", "server -> client" };

struct pkl_follow *
pkl_follow_new(const struct pkl_follow_opts *opts, struct pkl_out *out)
{
	struct pkl_follow *f = calloc(1, sizeof *f);

	if (!f)
		return NULL;
	f->opts = *opts;
	f->out = out;
	for (int d = 0; d < 2; d++)
		f->s[d].fin_at = -1;
	return f;
}

void
pkl_follow_free(struct pkl_follow *f)
{
	if (!f)
		return;
	free(f->s[0].ring);
	free(f->s[1].ring);
	free(f);
}

const struct pkl_follow_totals *
pkl_follow_totals(const struct pkl_follow *f)
{
	return &f->totals;
}

static bool
marked(const struct pkl_follow *f)
{
	return f->opts.view != PKL_FOLLOW_RAW;
}

/* A marker line starts: the text before it ends first. */
static void
marker(struct pkl_follow *f)
{
	if (f->col) {
		pkl_out_char(f->out, '\n');
		f->col = 0;
	}
	pkl_out_str(f->out, "--- ");
}

/* "1 byte", "2 bytes". */
static void
byte_count(struct pkl_follow *f, uint64_t n)
{
	pkl_out_u64(f->out, n);
	pkl_out_str(f->out, n == 1 ? " byte" : " bytes");
}

static void
marker_segment(struct pkl_follow *f, int d, uint64_t frame, int64_t start, int64_t end)
{
	marker(f);
	pkl_out_str(f->out, "frame ");
	pkl_out_u64(f->out, frame);
	pkl_out_str(f->out, "  ");
	pkl_out_str(f->out, dir_name[d]);
	pkl_out_str(f->out, "  seq ");
	pkl_out_i64(f->out, start);
	pkl_out_str(f->out, "..");
	pkl_out_i64(f->out, end);
}

/* A byte as text: printable ASCII as itself, the rest escaped as C
 * writes them; "\n" also ends the line. */
static void
text_bytes(struct pkl_follow *f, const uint8_t *p, size_t n)
{
	char tok[5];

	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		size_t k = 2;
		tok[0] = '\\';
		switch (c) {
		case '\n': tok[1] = 'n'; break;
		case '\r': tok[1] = 'r'; break;
		case '\t': tok[1] = 't'; break;
		case '\\': tok[1] = '\\'; break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				tok[0] = (char)c;
				k = 1;
			} else {
				static const char hex[] = "0123456789abcdef";
				tok[1] = 'x';
				tok[2] = hex[c >> 4];
				tok[3] = hex[c & 15];
				k = 4;
			}
		}
		if (f->col + k > TEXT_COLUMNS) {
			pkl_out_char(f->out, '\n');
			f->col = 0;
		}
		pkl_out_mem(f->out, tok, k);
		f->col += (unsigned)k;
		if (c == '\n') {
			pkl_out_char(f->out, '\n');
			f->col = 0;
		}
	}
}

/* Bytes of direction d from position pos, in the view. */
static void
show_bytes(struct pkl_follow *f, int d, int64_t pos, const uint8_t *p, size_t n)
{
	switch (f->opts.view) {
	case PKL_FOLLOW_RAW:
		if (d == f->opts.raw_sender)
			pkl_out_mem(f->out, (const char *)p, n);
		break;
	case PKL_FOLLOW_TEXT:
		text_bytes(f, p, n);
		break;
	case PKL_FOLLOW_HEX:
		pkl_render_hex_dump(f->out, p, n, (uint64_t)pos, 8);
		break;
	}
}

/* The FIN, once every byte before it has been read. */
static void
check_fin(struct pkl_follow *f, int d)
{
	struct stream *st = &f->s[d];

	if (st->fin_at < 0 || st->fin_shown || st->next < st->fin_at)
		return;
	st->fin_shown = true;
	if (!marked(f))
		return;
	marker(f);
	pkl_out_str(f->out, "frame ");
	pkl_out_u64(f->out, st->fin_frame);
	pkl_out_str(f->out, "  ");
	pkl_out_str(f->out, dir_name[d]);
	pkl_out_str(f->out, "  FIN at seq ");
	pkl_out_i64(f->out, st->fin_at);
	pkl_out_str(f->out, ": the ");
	pkl_out_str(f->out, end_name[d]);
	pkl_out_str(f->out, " sends no more; the ");
	pkl_out_str(f->out, end_name[!d]);
	pkl_out_str(f->out, "'s recv() returns 0 here\n");
}

/* A segment's bytes from the next position on: its marker, saying how
 * much of it was shown before and whether it was held. */
static void
begin_segment(struct pkl_follow *f, int d, uint64_t frame, int64_t seg_start, int64_t seg_end,
	      bool was_held)
{
	int64_t before = f->s[d].next - seg_start;

	f->totals.repeated[d] += (uint64_t)before;
	if (!marked(f))
		return;
	marker_segment(f, d, frame, seg_start, seg_end);
	pkl_out_str(f->out, "  (");
	byte_count(f, (uint64_t)(seg_end - seg_start));
	if (before > 0) {
		pkl_out_str(f->out, ", the first ");
		pkl_out_i64(f->out, before);
		pkl_out_str(f->out, " shown before");
	}
	pkl_out_str(f->out, was_held ? ", arrived ahead of a gap and held)\n" : ")\n");
}

/* The other end's application reads n more bytes. */
static void
read_bytes(struct pkl_follow *f, int d, const uint8_t *p, size_t n)
{
	struct stream *st = &f->s[d];

	show_bytes(f, d, st->next, p, n);
	st->next += (int64_t)n;
	f->totals.delivered[d] += n;
}

/* After a segment's bytes: where a recv() could return (its PSH), and
 * the FIN that follows them. */
static void
end_segment(struct pkl_follow *f, int d, uint64_t frame, int64_t seg_end, bool psh)
{
	if (psh && marked(f)) {
		marker(f);
		pkl_out_str(f->out, "PSH (frame ");
		pkl_out_u64(f->out, frame);
		pkl_out_str(f->out, ") at seq ");
		pkl_out_i64(f->out, seg_end);
		pkl_out_str(f->out, ": the ");
		pkl_out_str(f->out, end_name[!d]);
		pkl_out_str(f->out, "'s recv() can return here\n");
	}
	check_fin(f, d);
}

static void
drop_first_held(struct stream *st)
{
	st->nheld--;
	memmove(&st->held[0], &st->held[1], st->nheld * sizeof st->held[0]);
}

/* The held segments that now follow on from the next position. */
static void
drain(struct pkl_follow *f, int d)
{
	struct stream *st = &f->s[d];

	while (st->nheld && st->held[0].start <= st->next) {
		struct held h = st->held[0];
		drop_first_held(st);
		if (h.end <= st->next) {
			f->totals.repeated[d] += (uint64_t)(h.end - h.start);
			continue;
		}
		/* The ring holds [next, next + size): at most two pieces. */
		size_t at = (size_t)((uint64_t)st->next % PKL_FOLLOW_HOLD);
		size_t n = (size_t)(h.end - st->next);
		size_t first = n < PKL_FOLLOW_HOLD - at ? n : PKL_FOLLOW_HOLD - at;
		begin_segment(f, d, h.frame, h.start, h.end, true);
		read_bytes(f, d, st->ring + at, first);
		read_bytes(f, d, st->ring, n - first);
		end_segment(f, d, h.frame, h.end, h.psh);
	}
}

/* Give up waiting for the bytes before position target: each gap up to
 * it is a hole, marked with its size and why, and the held segments in
 * between are read. */
static void
hole_until(struct pkl_follow *f, int d, int64_t target, const char *why, uint64_t frame)
{
	struct stream *st = &f->s[d];

	while (st->next < target) {
		if (st->nheld && st->held[0].start <= st->next) {
			drain(f, d);
			continue;
		}
		int64_t end = st->nheld && st->held[0].start < target ? st->held[0].start : target;
		f->totals.missing[d] += (uint64_t)(end - st->next);
		f->totals.holes[d]++;
		if (marked(f)) {
			marker(f);
			pkl_out_str(f->out, dir_name[d]);
			pkl_out_str(f->out, "  HOLE of ");
			byte_count(f, (uint64_t)(end - st->next));
			pkl_out_str(f->out, " at seq ");
			pkl_out_i64(f->out, st->next);
			pkl_out_str(f->out, "..");
			pkl_out_i64(f->out, end);
			pkl_out_str(f->out, ": not in the capture (");
			pkl_out_str(f->out, why);
			if (frame) {
				pkl_out_char(f->out, ' ');
				pkl_out_u64(f->out, frame);
			}
			pkl_out_str(f->out, ")\n");
		}
		st->next = end;
		drain(f, d);
	}
	check_fin(f, d);
}

/* Keep a segment that arrived ahead of a gap.  False when it cannot be
 * (too far ahead, too many held, no memory for the ring). */
static bool
hold(struct pkl_follow *f, int d, int64_t start, const uint8_t *p, size_t n, uint64_t frame,
     bool psh)
{
	struct stream *st = &f->s[d];

	if (start + (int64_t)n - st->next > (int64_t)PKL_FOLLOW_HOLD ||
	    st->nheld == PKL_FOLLOW_HELD_SEGMENTS || st->ring_failed)
		return false;
	if (!st->ring && !(st->ring = malloc(PKL_FOLLOW_HOLD))) {
		st->ring_failed = true;
		return false;
	}
	for (size_t i = 0; i < n; i++)
		st->ring[(uint64_t)(start + (int64_t)i) % PKL_FOLLOW_HOLD] = p[i];
	unsigned k = st->nheld;
	while (k > 0 && st->held[k - 1].start > start)
		k--;
	memmove(&st->held[k + 1], &st->held[k], (st->nheld - k) * sizeof st->held[0]);
	st->held[k] = (struct held){ start, start + (int64_t)n, frame, psh };
	st->nheld++;
	if (marked(f)) {
		marker_segment(f, d, frame, start, start + (int64_t)n);
		pkl_out_str(f->out, "  (");
		byte_count(f, n);
		pkl_out_str(f->out, ") ahead of seq ");
		pkl_out_i64(f->out, st->next);
		pkl_out_str(f->out, ": held until the gap is filled\n");
	}
	return true;
}

/* A position from a 32-bit relative number: the one nearest the next
 * position. */
static int64_t
unwrap(const struct stream *st, uint32_t rel)
{
	return st->started ? pkl_segment_unwrap(st->next, rel) : rel;
}

static void
data(struct pkl_follow *f, int d, const struct pkl_segment *seg, uint64_t frame, int64_t start)
{
	struct stream *st = &f->s[d];
	int64_t end = start + seg->captured;
	bool psh = seg->flags & PKL_TCP_PSH;

	if (seg->captured == 0) {
		if (start == st->next)
			hole_until(f, d, start + seg->len, "cut short by the snaplen in frame", frame);
		return;
	}
	/* Held, or given up waiting for what comes before it; the held
	 * segments read after a hole may cover it too. */
	if (start > st->next && !hold(f, d, start, seg->payload, seg->captured, frame, psh))
		hole_until(f, d, start, "more than pktlens holds ahead of a gap", 0);
	if (start > st->next)
		return;
	if (end <= st->next) {
		f->totals.repeated[d] += seg->captured;
		if (marked(f)) {
			marker_segment(f, d, frame, start, end);
			pkl_out_str(f->out, "  retransmission: ");
			byte_count(f, seg->captured);
			pkl_out_str(f->out, " shown before\n");
		}
		return;
	}
	size_t skip = (size_t)(st->next - start);
	begin_segment(f, d, frame, start, end, false);
	read_bytes(f, d, seg->payload + skip, seg->captured - skip);
	end_segment(f, d, frame, end, psh);
	drain(f, d);
	/* The rest of a segment cut by the snaplen will never come. */
	if (seg->captured < seg->len && st->next == end)
		hole_until(f, d, start + seg->len, "cut short by the snaplen in frame", frame);
}

static void
header(struct pkl_follow *f, const struct pkl_segment *seg)
{
	const uint8_t *client = seg->sender == PKL_CLIENT ? seg->src : seg->dst;
	const uint8_t *server = seg->sender == PKL_CLIENT ? seg->dst : seg->src;
	uint16_t cport = seg->sender == PKL_CLIENT ? seg->sport : seg->dport;
	uint16_t sport = seg->sender == PKL_CLIENT ? seg->dport : seg->sport;

	pkl_out_str(f->out, "conn #");
	pkl_out_u64(f->out, seg->conn);
	pkl_out_str(f->out, "  TCP  client ");
	pkl_out_endpoint(f->out, seg->family, client, cport);
	pkl_out_str(f->out, " -> server ");
	pkl_out_endpoint(f->out, seg->family, server, sport);
	pkl_out_str(f->out, f->opts.view == PKL_FOLLOW_TEXT
		    ? "\n--- each segment's bytes follow its marker: escaped as in C, a line "
		      "break without \\n only wraps\n"
		    : "\n--- each segment's bytes follow its marker, at offsets that are their "
		      "relative sequence numbers in hex\n");
}

void
pkl_follow_frame(void *follow, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct pkl_follow *f = follow;
	struct pkl_segment seg;

	if (!pkl_segment_of(pkt, notes, &seg) || seg.conn != f->opts.conn)
		return;
	if (!f->totals.seen && marked(f))
		header(f, &seg);
	f->totals.seen = true;
	uint64_t frame = pkt->frame->number;
	int d = seg.sender;
	struct stream *st = &f->s[d], *other = &f->s[!d];

	/* The ACK first: it tells of the other direction's bytes, sent
	 * before this segment. */
	if ((seg.flags & PKL_TCP_ACK) && other->started) {
		int64_t acked = unwrap(other, seg.rel_ack);
		if (other->fin_at >= 0 && acked > other->fin_at)
			acked = other->fin_at;
		if (acked > other->next)
			hole_until(f, !d, acked, "the receiver acknowledged them in frame", frame);
	}
	int64_t start = unwrap(st, seg.rel_seq);
	if (!st->started) {
		st->started = true;
		st->next = start + ((seg.flags & PKL_TCP_SYN) ? 1 : 0);
	}
	if (seg.flags & PKL_TCP_SYN)
		start++;
	if (seg.len)
		data(f, d, &seg, frame, start);
	if (seg.flags & PKL_TCP_FIN) {
		st->fin_at = start + seg.len;
		st->fin_frame = frame;
		check_fin(f, d);
	}
	if ((seg.flags & PKL_TCP_RST) && marked(f)) {
		marker(f);
		pkl_out_str(f->out, "frame ");
		pkl_out_u64(f->out, frame);
		pkl_out_str(f->out, "  ");
		pkl_out_str(f->out, dir_name[d]);
		pkl_out_str(f->out, "  RST: the ");
		pkl_out_str(f->out, end_name[d]);
		pkl_out_str(f->out, " resets the connection\n");
	}
}

void
pkl_follow_finish(struct pkl_follow *f)
{
	for (int d = 0; d < 2; d++) {
		struct stream *st = &f->s[d];
		if (st->nheld)
			hole_until(f, d, st->held[st->nheld - 1].end, "never seen", 0);
	}
	if (!f->totals.seen || !marked(f))
		return;
	marker(f);
	pkl_out_str(f->out, "end:");
	for (int d = 0; d < 2; d++) {
		pkl_out_str(f->out, d ? ";  " : "  ");
		pkl_out_str(f->out, dir_name[d]);
		pkl_out_char(f->out, ' ');
		byte_count(f, f->totals.delivered[d]);
		if (f->totals.repeated[d]) {
			pkl_out_str(f->out, ", ");
			pkl_out_u64(f->out, f->totals.repeated[d]);
			pkl_out_str(f->out, " seen again");
		}
		if (f->totals.holes[d]) {
			pkl_out_str(f->out, ", ");
			pkl_out_u64(f->out, f->totals.missing[d]);
			pkl_out_str(f->out, " missing in ");
			pkl_out_u64(f->out, f->totals.holes[d]);
			pkl_out_str(f->out, f->totals.holes[d] == 1 ? " hole" : " holes");
		}
	}
	pkl_out_char(f->out, '\n');
}
