/* Capture times as the views show them.
 *
 * The time base that relative times count from is the first frame's
 * capture time: of the file, whether or not a filter keeps that frame
 * (as tshark counts, and as frame numbers stay the file's), else of the
 * first frame the pipeline sees (a live capture).
 *
 * Wall-clock times are local time, as tcpdump prints them: the zone
 * comes from TZ, else the system's (/etc/localtime). */
#ifndef PKL_CLOCK_H
#define PKL_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "out.h"
#include "packet.h"

struct pkl_clock {
	bool started;
	int64_t first_sec;
	uint32_t first_nsec;
};

/* Set the time base once: later calls leave it. */
static inline void
pkl_clock_start_at(struct pkl_clock *c, int64_t sec, uint32_t nsec)
{
	if (!c->started)
		*c = (struct pkl_clock){ true, sec, nsec };
}

static inline void
pkl_clock_start(struct pkl_clock *c, const struct pkl_frame *f)
{
	pkl_clock_start_at(c, f->ts_sec, f->ts_nsec);
}

/* The frames counted and the earliest and latest of their times (a
 * capture's frames need not be in time order). */
struct pkl_time_span {
	uint64_t frames;
	int64_t start_sec, end_sec;
	uint32_t start_nsec, end_nsec;
};

static inline void
pkl_time_span_add(struct pkl_time_span *s, const struct pkl_frame *f)
{
	if (!s->frames || f->ts_sec < s->start_sec ||
	    (f->ts_sec == s->start_sec && f->ts_nsec < s->start_nsec)) {
		s->start_sec = f->ts_sec;
		s->start_nsec = f->ts_nsec;
	}
	if (!s->frames || f->ts_sec > s->end_sec ||
	    (f->ts_sec == s->end_sec && f->ts_nsec > s->end_nsec)) {
		s->end_sec = f->ts_sec;
		s->end_nsec = f->ts_nsec;
	}
	s->frames++;
}

/* "2026-11-22 00:30:11.964314 to 2026-11-22 00:30:11.964618 (local
 * time), 0.000304 s": the span's start, end and duration; "" for no
 * frames. */
void pkl_time_span_print(struct pkl_out *o, const struct pkl_time_span *s);

/* How a frame's time is shown.  The values from NONE to REL are
 * tcpdump's -t to -ttttt, in that order. */
enum pkl_time_format {
	PKL_TIME_DEFAULT,   /* the command's own: REL for read, ABS for sniff */
	PKL_TIME_NONE,      /* -t: no time */
	PKL_TIME_EPOCH,     /* -tt: seconds since 1970-01-01 UTC */
	PKL_TIME_DELTA,     /* -ttt: since the previous frame shown */
	PKL_TIME_DATE,      /* -tttt: local date and time of day */
	PKL_TIME_REL,       /* -ttttt: since the first frame */
	PKL_TIME_ABS,       /* local time of day */
};

/* The format --time=NAME names (abs, date, rel, delta, epoch, none);
 * PKL_TIME_DEFAULT for a name it does not know. */
enum pkl_time_format pkl_time_format_named(const char *name);

/* Seconds.microseconds of a capture time after (or, with a '-', before)
 * another, whatever seconds the two hold. */
void pkl_time_since(struct pkl_out *o, int64_t sec, uint32_t nsec, int64_t from_sec,
		    uint32_t from_nsec);
/* "1795307411.964347": seconds since the epoch, microseconds. */
void pkl_time_epoch(struct pkl_out *o, int64_t sec, uint32_t nsec);
/* "12:30:11.964347", or with the date "2026-11-21 12:30:11.964347":
 * local time.  A time the system cannot convert is shown as epoch
 * seconds. */
void pkl_time_wall(struct pkl_out *o, int64_t sec, uint32_t nsec, bool date);

#endif
