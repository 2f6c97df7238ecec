/* Event codes: the anomalies dissectors record, defined once in events.def. */
#ifndef PKL_EVENTS_H
#define PKL_EVENTS_H

#include <stddef.h>
#include <stdint.h>

enum pkl_event_kind {
	PKL_EVK_TRUNCATED,
	PKL_EVK_MALFORMED,
	PKL_EVK_WARNING,
};

enum pkl_event_code {
#define PKL_EVENT(code, kind, name, text) PKL_EV_##code,
#include "events.def"
#undef PKL_EVENT
	PKL_EV_COUNT
};

enum pkl_event_kind pkl_event_kind(enum pkl_event_code code);
const char *pkl_event_name(enum pkl_event_code code);

/* The event's sentence with its arguments filled in, NUL-terminated in
 * buf (truncated to size).  Returns the length written. */
size_t pkl_event_format(enum pkl_event_code code, const uint32_t arg[2],
			char *buf, size_t size);

#endif
