/* tests/unit/text.h - a writer into a fixed buffer, for checking what
 * one call of the out.h writers (or a renderer built on them) produced:
 * text_start, the calls, then text_end gives the text. */
#ifndef PKL_TEST_TEXT_H
#define PKL_TEST_TEXT_H

#include "../../src/out.h"

struct text {
	char buf[128];
	struct pkl_out o;
};

static inline struct pkl_out *
text_start(struct text *t)
{
	pkl_out_init_fixed(&t->o, t->buf, sizeof t->buf);
	return &t->o;
}

static inline const char *
text_end(struct text *t)
{
	pkl_out_finish_fixed(&t->o);
	return t->buf;
}

#endif
