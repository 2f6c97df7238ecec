/* --follow: one TCP connection's byte streams as its applications read
 * them, in the order the capture shows them.
 *
 * Each direction is reassembled in sequence order as it streams past:
 * bytes are printed as soon as everything before them has been, a
 * retransmitted or overlapping byte is printed once, and a segment that
 * arrives ahead of a gap is held (at most PKL_FOLLOW_HOLD bytes ahead,
 * in one buffer per direction allocated the first time it is needed)
 * until the gap is filled.  A gap is declared a hole, marked with its
 * size, when the other end acknowledges past it (the receiver had bytes
 * the capture lacks), when it is wider than what is held, or at the end.
 *
 * The text view marks every segment boundary with the frame that
 * carried it, and every PSH: a point where the receiver's recv() could
 * return.  The raw view writes one direction's bytes unchanged. */
#ifndef PKL_FOLLOW_H
#define PKL_FOLLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "notes.h"
#include "out.h"
#include "packet.h"

/* How far ahead of a gap segments are held: more than a receive window
 * of Linux's default buffers. */
#define PKL_FOLLOW_HOLD (4u * 1024 * 1024)
/* How many held segments, at most, per direction. */
#define PKL_FOLLOW_HELD_SEGMENTS 4096

enum pkl_follow_view {
	PKL_FOLLOW_TEXT,    /* escaped text, markers between segments */
	PKL_FOLLOW_HEX,     /* a hex and ASCII dump, markers between segments */
	PKL_FOLLOW_RAW,     /* one direction's bytes, nothing else */
};

struct pkl_follow_opts {
	uint64_t conn;             /* connection #N, as `conns` numbers them */
	enum pkl_follow_view view;
	int raw_sender;            /* PKL_CLIENT or PKL_SERVER: the bytes it sent */
};

/* What was found, per sender. */
struct pkl_follow_totals {
	bool seen;                 /* a segment of the connection was */
	uint64_t delivered[2];     /* bytes shown */
	uint64_t repeated[2];      /* bytes seen again, shown once */
	uint64_t missing[2];       /* bytes the capture lacks (holes) */
	uint64_t holes[2];
};

struct pkl_follow;   /* opaque */

/* NULL when memory is lacking. */
struct pkl_follow *pkl_follow_new(const struct pkl_follow_opts *opts, struct pkl_out *out);
/* A pkl_sink_fn. */
void pkl_follow_frame(void *follow, const struct pkl_packet *pkt, const struct pkl_notes *notes);
/* At the end of the input: what is still held, with its holes, and the
 * totals line of the text views. */
void pkl_follow_finish(struct pkl_follow *f);
const struct pkl_follow_totals *pkl_follow_totals(const struct pkl_follow *f);
void pkl_follow_free(struct pkl_follow *f);

#endif
