/* Records described by a field table: one table per kind of record
 * drives both its text and its JSON object, so the two cannot tell
 * different facts or drift apart.
 *
 * A field has a JSON key (or none: the text alone tells it), a getter
 * for its value, and what the text says around it (before, after) and
 * where: the table lists the fields in the order of the JSON keys, and
 * each field's `at` is its place in the text (1, 2, ...; 0 for none),
 * because a sentence groups facts differently from a flat object.  The
 * text leaves out a null value (or says null_text instead), and with
 * PKL_FIELD_NONZERO a zero or an empty list; a field whose `shown` says
 * no is left out of the text.  Prose that is no single value (a
 * headline that reads differently per kind) is a text function.
 *
 * A list's elements are values (item) or records with fields of their
 * own (fields); the getters of an element see its index in r->i and
 * their list's record in r->parent. */
#ifndef PKL_RECORD_H
#define PKL_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "json.h"
#include "out.h"
#include "render.h"

enum pkl_value_type {
	PKL_VAL_NONE,          /* no value: a sentence, always true */
	PKL_VAL_U64,
	PKL_VAL_MS,            /* microseconds, written as milliseconds */
	PKL_VAL_TIME,          /* a capture time, written relative to the first frame */
	PKL_VAL_BOOL,
	PKL_VAL_NAME,          /* one of our own names (written unescaped) */
	PKL_VAL_ADDRESS,       /* IPv4 or IPv6 */
	PKL_VAL_ENDPOINT,      /* address and port */
	PKL_VAL_MAC,
	PKL_VAL_LIST,
};

struct pkl_value {
	enum pkl_value_type type;
	bool null;                     /* JSON null; the text leaves it out */
	union {
		uint64_t u;            /* U64, MS, BOOL */
		struct {
			int64_t sec;
			uint32_t nsec;
		} time;
		struct {
			const char *json, *text;   /* text NULL: as in JSON */
		} name;
		struct {
			const uint8_t *bytes;
			int family;            /* 4 or 6 */
			uint16_t port;
		} addr;                /* ADDRESS, ENDPOINT, MAC */
		struct {
			uint32_t n;            /* elements listed */
			bool more;             /* there were more than listed */
		} list;
	};
};

/* Values, for the getters. */
static inline struct pkl_value
pkl_value_u64(uint64_t v)
{
	return (struct pkl_value){ .type = PKL_VAL_U64, .u = v };
}

/* A number where 0 means none. */
static inline struct pkl_value
pkl_value_u64_or_null(uint64_t v)
{
	return (struct pkl_value){ .type = PKL_VAL_U64, .null = v == 0, .u = v };
}

/* Microseconds, or null when not known. */
static inline struct pkl_value
pkl_value_ms_or_null(bool known, uint64_t us)
{
	return (struct pkl_value){ .type = PKL_VAL_MS, .null = !known, .u = us };
}

static inline struct pkl_value
pkl_value_bool(bool v)
{
	return (struct pkl_value){ .type = PKL_VAL_BOOL, .u = v };
}

/* A name, or null for NULL. */
static inline struct pkl_value
pkl_value_name(const char *json)
{
	return (struct pkl_value){ .type = PKL_VAL_NAME, .null = !json, .name = { json, NULL } };
}

/* A name the text spells its own way. */
static inline struct pkl_value
pkl_value_label(const char *json, const char *text)
{
	return (struct pkl_value){ .type = PKL_VAL_NAME, .name = { json, text } };
}

/* A capture time, or null when not known. */
static inline struct pkl_value
pkl_value_time_or_null(bool known, int64_t sec, uint32_t nsec)
{
	return (struct pkl_value){ .type = PKL_VAL_TIME, .null = !known, .time = { sec, nsec } };
}

static inline struct pkl_value
pkl_value_time(int64_t sec, uint32_t nsec)
{
	return pkl_value_time_or_null(true, sec, nsec);
}

static inline struct pkl_value
pkl_value_address(int family, const uint8_t *a)
{
	return (struct pkl_value){ .type = PKL_VAL_ADDRESS, .addr = { a, family, 0 } };
}

static inline struct pkl_value
pkl_value_endpoint(int family, const uint8_t *a, uint16_t port)
{
	return (struct pkl_value){ .type = PKL_VAL_ENDPOINT, .addr = { a, family, port } };
}

static inline struct pkl_value
pkl_value_mac(const uint8_t m[6])
{
	return (struct pkl_value){ .type = PKL_VAL_MAC, .addr = { m, 0, 0 } };
}

/* A list of n elements of total (more when total is larger), or null
 * when not known. */
static inline struct pkl_value
pkl_value_list(bool known, uint64_t n, uint64_t total)
{
	return (struct pkl_value){ .type = PKL_VAL_LIST, .null = !known,
				   .list = { (uint32_t)n, total > n } };
}

/* What the getters read: the subject of the record, or of one element
 * of a list in it. */
struct pkl_record {
	const void *subject;
	const struct pkl_clock *clock;     /* times are relative to its first frame */
	const struct pkl_record *parent;   /* for a list's element: the record of the list */
	unsigned i;                        /* ... and which element */
};

typedef struct pkl_value pkl_field_get(const struct pkl_record *r);
typedef void pkl_field_text(struct pkl_out *o, const struct pkl_record *r);
typedef bool pkl_field_shown(const struct pkl_record *r);

#define PKL_FIELD_NONZERO   0x1u  /* the text leaves out 0, false and empty lists */
#define PKL_FIELD_SENTENCE  0x2u  /* the text says `before` alone, when the value is true
				   * (non-null, nonzero) */
#define PKL_FIELD_COLUMNS   0x4u  /* a list of records in JSON: one array per field of
				   * theirs, under their keys */

struct pkl_fields;

struct pkl_field {
	const char *key;               /* PKL_JSON_KEY_TEXT(name), or NULL: text only */
	uint8_t key_len;
	pkl_field_get *get;            /* NULL: PKL_VAL_NONE */
	/* The text. */
	uint8_t at;                    /* its place (1, 2, ...), 0: JSON only */
	const char *before, *after;
	const char *after_one;         /* after a value of 1, when it reads differently */
	const char *null_text;         /* in place of a null value */
	unsigned flags;                /* PKL_FIELD_* */
	pkl_field_shown *shown;        /* NULL: always */
	pkl_field_text *text;          /* prose written by a function, in place of a value */
	/* A list: its elements, and how the text joins them. */
	pkl_field_get *item;           /* elements that are values */
	struct pkl_fields *fields;     /* elements that are records */
	const char *sep, *more;        /* between elements; after the last when more */
};

/* A record's fields.  How the text tells them (in which order, with
 * literals how long) is worked out from the fields when the text is
 * first written, and kept: per record, it cost more than the writing. */
#define PKL_RECORD_MAX_FIELDS 48

struct pkl_text_step {
	uint8_t field;                 /* index into field[] */
	uint8_t before_len, after_len, after_one_len;
};

struct pkl_fields {
	const struct pkl_field *field;
	uint8_t n;
	uint8_t n_text;                /* steps of the text; 0: not worked out yet */
	struct pkl_text_step text[PKL_RECORD_MAX_FIELDS];
};

#define PKL_FIELDS(array) { (array), sizeof (array) / sizeof (array)[0], 0, { { 0 } } }
/* A JSON key in a field: .key and .key_len. */
#define PKL_FIELD_KEY(name) \
	.key = PKL_JSON_KEY_TEXT(name), .key_len = sizeof PKL_JSON_KEY_TEXT(name) - 1

/* The record's fields as text, in their text order. */
void pkl_record_text(struct pkl_out *o, struct pkl_fields *f, const struct pkl_record *r);
/* The record's keys and values into the open JSON object. */
void pkl_record_json(struct pkl_json *j, const struct pkl_fields *f, const struct pkl_record *r);

#endif
