/* The note table: code -> stable name, sentence. */
#include "notes.h"

#include <assert.h>

#include "template.h"


static const struct {
	const char *name;
	const char *text;
} note_table[PKL_NOTE_COUNT] = {
#define PKL_NOTE(code, name, text) [PKL_NOTE_##code] = { name, text },
#include "notes.def"
#undef PKL_NOTE
};

const char *
pkl_note_name(enum pkl_note_code code)
{
	assert(code < PKL_NOTE_COUNT);
	return note_table[code].name;
}

size_t
pkl_note_format(const struct pkl_note *note, char *buf, size_t size)
{
	assert(note->code < PKL_NOTE_COUNT);
	return pkl_template_fill(note_table[note->code].text, note->arg, PKL_NOTE_ARGS, buf, size);
}
