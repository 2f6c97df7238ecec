/* The annotation stage: a decoded packet in, its explanations out. */
#ifndef PKL_ANNOTATE_H
#define PKL_ANNOTATE_H

#include <stdbool.h>

#include "notes.h"
#include "packet.h"

struct pkl_annotate_opts {
	bool explain_addresses;   /* private, loopback, multicast ... addresses */
};

/* Per-packet explanations: what each layer's message, flags and values
 * mean, put before the notes already in the list: the connection
 * tracker's (where the segment sits in its TCP connection), which runs
 * first so these can use its relative sequence numbers.  The caller
 * resets the list for each frame. */
void pkl_annotate(const struct pkl_packet *pkt, const struct pkl_annotate_opts *opts,
		  struct pkl_notes *notes);

#endif
