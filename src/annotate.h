/* The annotation stage: a decoded packet and what the trackers found of
 * it in, its explanations out. */
#ifndef PKL_ANNOTATE_H
#define PKL_ANNOTATE_H

#include <stdbool.h>

#include "findings.h"
#include "notes.h"
#include "packet.h"

struct pkl_annotate_opts {
	bool explain_addresses;   /* private, loopback, multicast ... addresses */
};

/* Per-packet explanations: what each layer's message, flags and values
 * mean, then what the trackers found of the frame (found, and where a
 * TCP segment sits in its connection: notes->conn), in the order the
 * views show them.  The caller resets the list for each frame. */
void pkl_annotate(const struct pkl_packet *pkt, const struct pkl_findings *found,
		  const struct pkl_annotate_opts *opts, struct pkl_notes *notes);

#endif
