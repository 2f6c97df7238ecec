/* The note table: code -> stable name, sentence. */
#include "notes.h"

#include <assert.h>
#include <string.h>

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
pkl_conn_step_format(struct pkl_conn_step step, char buf[PKL_STEP_TEXT])
{
	static const char *const phases[] = {
		[PKL_PHASE_NONE] = "", [PKL_PHASE_HANDSHAKE] = "handshake",
		[PKL_PHASE_TEARDOWN] = "teardown",
	};
	assert(step.phase <= PKL_PHASE_TEARDOWN && step.k < 10 && step.n < 10);
	size_t len = strlen(phases[step.phase]);

	memcpy(buf, phases[step.phase], len);
	if (step.phase != PKL_PHASE_NONE) {
		buf[len++] = ' ';
		buf[len++] = (char)('0' + step.k);
		buf[len++] = '/';
		buf[len++] = (char)('0' + step.n);
	}
	buf[len] = '\0';
	return len;
}

size_t
pkl_note_format(const struct pkl_note *note, char *buf, size_t size)
{
	assert(note->code < PKL_NOTE_COUNT);
	return pkl_template_fill(note_table[note->code].text, note->arg, PKL_NOTE_ARGS, buf, size);
}
