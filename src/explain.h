/* How much the tree view explains (--explain=once|all|none).
 *
 * Many notes explain a kind of thing (what PSH means, what an MSS is,
 * why a checksum is only a pseudo-header sum), and say the same on
 * every frame that has one.  Once they have been said, this module
 * turns them into a short mark naming the frame that explains them:
 * per conversation (a TCP connection, else the frame's two endpoints),
 * and per sending host for the offload anomalies, which belong to the
 * host's network card.  Notes of what the frame itself shows (states,
 * steps, the sequence analysis's verdicts, round trips) are facts and
 * always said whole.  The notes themselves stay as annotate.c wrote
 * them: the JSON view keeps every one on every frame. */
#ifndef PKL_EXPLAIN_H
#define PKL_EXPLAIN_H

#include <stddef.h>

#include "notes.h"
#include "packet.h"

enum pkl_explain_level {
	PKL_EXPLAIN_ALL,    /* every explanation on every frame */
	PKL_EXPLAIN_ONCE,   /* the default: once, then a short mark */
	PKL_EXPLAIN_NONE,   /* fields and anomalies only: no explanation */
};

struct pkl_explain;   /* opaque */

/* NULL when out of memory. */
struct pkl_explain *pkl_explain_new(enum pkl_explain_level level);
void pkl_explain_free(struct pkl_explain *ex);

/* What the tree says of a note or an anomaly. */
enum pkl_telling {
	PKL_TELL_WHOLE,     /* its sentence */
	PKL_TELL_SHORT,     /* the short mark, written to the caller's buffer */
	PKL_TELL_NOTHING,
};

/* For a note of this frame: the sentence, or the short mark ("PSH: see
 * #6") in buf, or nothing.  ex NULL: the sentence.  Records that the
 * frame explained it. */
enum pkl_telling pkl_explain_note(struct pkl_explain *ex, const struct pkl_packet *pkt,
				  const struct pkl_notes *notes, const struct pkl_note *note,
				  char *buf, size_t size);
/* The same for an anomaly of the frame. */
enum pkl_telling pkl_explain_event(struct pkl_explain *ex, const struct pkl_packet *pkt,
				   const struct pkl_event *ev, char *buf, size_t size);

#endif
