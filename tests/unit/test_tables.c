/* A sweep over the event and note tables (events.def, notes.def): every
 * sentence's placeholders well formed and within its arguments, every
 * stable name unique (names are the JSON vocabulary: two meanings must
 * never share one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/events.h"
#include "../../src/notes.h"

struct entry {
	const char *code, *name, *text;
};

static const struct entry events[] = {
#define PKL_EVENT(code, kind, name, text) { #code, name, text },
#include "../../src/events.def"
#undef PKL_EVENT
};

static const struct entry notes[] = {
#define PKL_NOTE(code, name, text) { #code, name, text },
#include "../../src/notes.def"
#undef PKL_NOTE
};

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* The placeholder kinds template.h lists after the argument digit. */
static const char SPECS[] = "ximuprot";

/* NULL when every brace of text opens a placeholder {N} or {Ns} with
 * N below n_args and s one of SPECS; else the faulty part. */
static const char *
bad_placeholder(const char *text, unsigned n_args)
{
	for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{')) {
		if (p[1] < '0' || p[1] >= (char)('0' + n_args))
			return p;
		if (p[2] == '}')
			continue;
		if (!p[2] || !strchr(SPECS, p[2]) || p[3] != '}')
			return p;
	}
	for (const char *p = strchr(text, '}'); p; p = strchr(p + 1, '}'))
		if (p - text < 2 || (p[-2] != '{' && (p - text < 3 || p[-3] != '{')))
			return p;
	return NULL;
}

/* The faults of a table, each told on stderr. */
static unsigned
table_faults(const struct entry *e, size_t n, unsigned n_args, const char *table)
{
	unsigned faults = 0;

	for (size_t i = 0; i < n; i++) {
		const char *bad = bad_placeholder(e[i].text, n_args);
		if (bad) {
			print_error("%s %s: bad placeholder at \"%.12s\" (%u arguments)\n", table,
				    e[i].code, bad, n_args);
			faults++;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(e[i].name, e[j].name) == 0) {
				print_error("%s %s and %s share the name %s\n", table, e[j].code,
					    e[i].code, e[i].name);
				faults++;
			}
		}
	}
	return faults;
}

static void
test_events(void **state)
{
	(void)state;
	assert_int_equal(COUNT(events), PKL_EV_COUNT);
	assert_int_equal(table_faults(events, COUNT(events), 2, "event"), 0);
}

static void
test_notes(void **state)
{
	(void)state;
	assert_int_equal(COUNT(notes), PKL_NOTE_COUNT);
	assert_int_equal(table_faults(notes, COUNT(notes), PKL_NOTE_ARGS, "note"), 0);
}

/* The checker itself: it must catch what it is there to catch. */
static void
test_checker(void **state)
{
	(void)state;
	assert_null(bad_placeholder("plain", 2));
	assert_null(bad_placeholder("{0} {1x} {1i}", 2));
	assert_non_null(bad_placeholder("{2}", 2));
	assert_non_null(bad_placeholder("{0", 2));
	assert_non_null(bad_placeholder("{0x", 2));
	assert_non_null(bad_placeholder("{0q}", 2));
	assert_non_null(bad_placeholder("{}", 2));
	assert_non_null(bad_placeholder("a } b", 2));
	const struct entry twice[] = { { "A", "x.y", "" }, { "B", "x.y", "" } };
	assert_int_equal(table_faults(twice, 2, 2, "sample"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_checker),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
