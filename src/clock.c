/* Capture times as text: relative, epoch and local wall-clock time. */
#include "clock.h"

#include <string.h>
#include <time.h>

enum pkl_time_format
pkl_time_format_named(const char *name)
{
	static const struct {
		const char *name;
		enum pkl_time_format format;
	} names[] = {
		{ "abs", PKL_TIME_ABS }, { "date", PKL_TIME_DATE }, { "rel", PKL_TIME_REL },
		{ "delta", PKL_TIME_DELTA }, { "epoch", PKL_TIME_EPOCH }, { "none", PKL_TIME_NONE },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i].name) == 0)
			return names[i].format;
	return PKL_TIME_DEFAULT;
}

/* Seconds as an unsigned count that orders like the signed one: a
 * pcapng file with whole-second resolution yields any 64-bit tv_sec,
 * so two timestamps can differ by more than an int64_t holds. */
static uint64_t
sec_ordered(int64_t sec)
{
	return (uint64_t)sec ^ (UINT64_C(1) << 63);
}

void
pkl_time_since(struct pkl_out *o, int64_t sec, uint32_t nsec, int64_t from_sec, uint32_t from_nsec)
{
	uint64_t usec = sec_ordered(sec), ufirst = sec_ordered(from_sec);

	if (usec < ufirst || (usec == ufirst && nsec < from_nsec)) {
		/* Out-of-order timestamps: show the negative offset. */
		pkl_out_char(o, '-');
		uint64_t t = usec;
		usec = ufirst, ufirst = t;
		uint32_t tn = nsec;
		nsec = from_nsec, from_nsec = tn;
	}
	/* Now (usec, nsec) >= (ufirst, from_nsec): the difference fits. */
	usec -= ufirst;
	if (nsec < from_nsec) {
		nsec += 1000000000u;
		usec--;
	}
	nsec -= from_nsec;
	pkl_out_seconds(o, usec, nsec / 1000);
}

void
pkl_time_epoch(struct pkl_out *o, int64_t sec, uint32_t nsec)
{
	/* Before 1970 with a fraction: -0.5 s is sec -1 and 5e8 ns. */
	if (sec < 0 && nsec) {
		pkl_out_char(o, '-');
		pkl_out_seconds(o, (uint64_t)-(sec + 1), (1000000000u - nsec) / 1000);
	} else if (sec < 0) {
		pkl_out_char(o, '-');
		pkl_out_seconds(o, (uint64_t)0 - (uint64_t)sec, 0);
	} else {
		pkl_out_seconds(o, (uint64_t)sec, nsec / 1000);
	}
}

void
pkl_time_wall(struct pkl_out *o, int64_t sec, uint32_t nsec, bool date)
{
	time_t t = (time_t)sec;
	struct tm tm;
	char text[64];

	/* localtime_r need not read TZ itself (POSIX); tzset does, and
	 * returns at once when TZ is what it read before. */
	tzset();
	if ((int64_t)t != sec || !localtime_r(&t, &tm) ||
	    !strftime(text, sizeof text, date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm)) {
		pkl_time_epoch(o, sec, nsec);
		return;
	}
	pkl_out_str(o, text);
	pkl_out_char(o, '.');
	pkl_out_u64_width(o, nsec / 1000, 6);
}

void
pkl_time_span_print(struct pkl_out *o, const struct pkl_time_span *s)
{
	if (!s->frames)
		return;
	pkl_time_wall(o, s->start_sec, s->start_nsec, true);
	pkl_out_str(o, " to ");
	pkl_time_wall(o, s->end_sec, s->end_nsec, true);
	pkl_out_str(o, " (local time), ");
	pkl_time_since(o, s->end_sec, s->end_nsec, s->start_sec, s->start_nsec);
	pkl_out_str(o, " s");
}
