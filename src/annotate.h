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
 * mean.  Connection-level notes (where a segment sits in its TCP
 * connection) are added to the same list by the connection tracker. */
void pkl_annotate(const struct pkl_packet *pkt, const struct pkl_annotate_opts *opts,
		  struct pkl_notes *notes);

#endif
