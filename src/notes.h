/* Notes: the explanations the annotation stage attaches to a packet.
 *
 * Codes with small arguments, turned into sentences by one table
 * (notes.def), so every view says the same thing in the same words. */
#ifndef PKL_NOTES_H
#define PKL_NOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcp_analysis.h"

enum pkl_note_code {
#define PKL_NOTE(code, name, text) PKL_NOTE_##code,
#include "notes.def"
#undef PKL_NOTE
	PKL_NOTE_COUNT
};

#define PKL_MAX_NOTES 24

/* Arguments are 64 bits wide so that a frame number or a MAC address
 * fits in one; the conflict of two MACs over one address needs four. */
#define PKL_NOTE_ARGS 4

struct pkl_note {
	enum pkl_note_code code;
	uint8_t layer;         /* the layer it explains */
	uint64_t arg[PKL_NOTE_ARGS];
};

/* Where a segment sits in the opening or the closing of its
 * connection: step k of the n of the handshake or of the teardown. */
enum pkl_conn_phase { PKL_PHASE_NONE, PKL_PHASE_HANDSHAKE, PKL_PHASE_TEARDOWN };
struct pkl_conn_step {
	uint8_t phase;              /* enum pkl_conn_phase */
	uint8_t k, n;
};

/* "handshake 2/3", "teardown 1/4", or "" for no step: in buf, with
 * its length returned. */
#define PKL_STEP_TEXT 16
size_t pkl_conn_step_format(struct pkl_conn_step step, char buf[PKL_STEP_TEXT]);

/* What the connection tracker says about one frame (TCP only). */
struct pkl_conn_snapshot {
	bool valid;
	uint64_t id;
	int sender;                 /* 0 client, 1 server */
	int before[2], after[2];    /* enum pkl_tcp_state of client and server */
	struct pkl_conn_step step;
	/* Sequence and acknowledgment numbers relative to each end's
	 * initial sequence number (or its first one seen), as Wireshark
	 * shows them; rel_ack is meaningful only with the ACK flag. */
	uint32_t rel_seq, rel_ack;
	struct pkl_tcp_verdict analysis;
};

struct pkl_notes {
	/* Set by the caller, kept across frames: record no notes, only the
	 * snapshot (no view shows them; the conversation list needs none). */
	bool discard;
	uint8_t n;
	struct pkl_note note[PKL_MAX_NOTES];
	struct pkl_conn_snapshot conn;
};

static inline void
pkl_notes_reset(struct pkl_notes *ns)
{
	ns->n = 0;
	ns->conn.valid = false;
}

static inline void
pkl_notes_add4(struct pkl_notes *ns, enum pkl_note_code code, uint8_t layer,
	       uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	if (ns->n < PKL_MAX_NOTES && !ns->discard)
		ns->note[ns->n++] = (struct pkl_note){ code, layer, { a0, a1, a2, a3 } };
}

static inline void
pkl_notes_add(struct pkl_notes *ns, enum pkl_note_code code, uint8_t layer,
	      uint64_t a0, uint64_t a1, uint64_t a2)
{
	pkl_notes_add4(ns, code, layer, a0, a1, a2, 0);
}

const char *pkl_note_name(enum pkl_note_code code);
/* The note's sentence, NUL-terminated in buf.  Returns its length. */
size_t pkl_note_format(const struct pkl_note *note, char *buf, size_t size);

#endif
