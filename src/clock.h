/* The time base that relative times count from: the first frame's
 * capture time, set by the pipeline, read by every view. */
#ifndef PKL_CLOCK_H
#define PKL_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"

struct pkl_clock {
	bool started;
	int64_t first_sec;
	uint32_t first_nsec;
};

static inline void
pkl_clock_start(struct pkl_clock *c, const struct pkl_frame *f)
{
	if (!c->started)
		*c = (struct pkl_clock){ true, f->ts_sec, f->ts_nsec };
}

#endif
