/* Notes: the explanations the annotation stage attaches to a packet.
 *
 * Codes with small arguments, turned into sentences by one table
 * (notes.def), so every view says the same thing in the same words. */
#ifndef PKL_NOTES_H
#define PKL_NOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "findings.h"

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

/* A frame's notes, which annotate.c writes, and where a TCP segment
 * sits in its connection, which the connection tracker reports and the
 * views also show as fields. */
struct pkl_notes {
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

const char *pkl_note_name(enum pkl_note_code code);
/* The note's sentence, NUL-terminated in buf.  Returns its length. */
size_t pkl_note_format(const struct pkl_note *note, char *buf, size_t size);

#endif
