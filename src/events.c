/* The event table: code -> kind, stable name, sentence. */
#include "events.h"

#include <assert.h>

#include "template.h"

struct event_info {
	enum pkl_event_kind kind;
	const char *name;
	const char *text;
};

static const struct event_info event_table[PKL_EV_COUNT] = {
#define PKL_EVENT(code, kind, name, text) [PKL_EV_##code] = { PKL_EVK_##kind, name, text },
#include "events.def"
#undef PKL_EVENT
};

enum pkl_event_kind
pkl_event_kind(enum pkl_event_code code)
{
	assert(code < PKL_EV_COUNT);
	return event_table[code].kind;
}

const char *
pkl_event_name(enum pkl_event_code code)
{
	assert(code < PKL_EV_COUNT);
	return event_table[code].name;
}

size_t
pkl_event_format(enum pkl_event_code code, const uint32_t arg[2], char *buf,
		 size_t size)
{
	const uint64_t wide[2] = { arg[0], arg[1] };

	assert(code < PKL_EV_COUNT);
	return pkl_template_fill(event_table[code].text, wide, 2, buf, size);
}
