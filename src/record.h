/* Records described by a field table: one table per kind of record
 * drives both its text and its JSON object, so the two cannot tell
 * different facts or drift apart.
 *
 * A field has a JSON key (or none: the text alone tells it), a value,
 * and what the text says around it (before, after) and where: the table
 * lists the fields in the order of the JSON keys, and each field's `at`
 * is its place in the text (1, 2, ...; 0 for none), because a sentence
 * groups facts differently from a flat object.  The text leaves out a
 * null value (or says null_text instead), and with PKL_FIELD_NONZERO a
 * zero or an empty list; a field whose `shown` says no is left out of
 * the text.  Prose that is no single value (a headline that reads
 * differently per kind) is a text function.
 *
 * Most values are read where the record holds them: a field names its
 * type and place (PKL_AT), and, for a value that is not always known,
 * the flag that says whether it is (PKL_KNOWN).  A name is the name of
 * the number there (.name), or a constant (.label).  A value worked out
 * from several facts comes from a getter instead.
 *
 * A list's elements are values (item) or records with fields of their
 * own (fields), `stride` bytes apart from `items`; a field of an
 * element reads the element, and its getter finds its index in r->i and
 * its list's record in r->parent.
 *
 * Each table is worked out once into a plan per view: the literals of
 * consecutive fields that are always told are joined, constants written
 * into them, and each value written straight from its place.  Written
 * per record, the fields one by one cost more than the records' own
 * tracking. */
#ifndef PKL_RECORD_H
#define PKL_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pkl_out;
struct pkl_json;
struct pkl_clock;

/* Values as a record holds them. */
struct pkl_time {              /* a capture time */
	int64_t sec;
	uint32_t nsec;
};

struct pkl_endpoint {          /* an IPv4 or IPv6 address, and a port where there is one */
	uint8_t addr[16];
	uint16_t port;
	uint8_t family;            /* 4 or 6 */
};

enum pkl_value_type {
	PKL_VAL_NONE,          /* no value: a sentence, always true */
	PKL_VAL_U64,           /* an unsigned number (of the field's size, at its place) */
	PKL_VAL_MS,            /* microseconds, written as milliseconds */
	PKL_VAL_TIME,          /* a capture time, written relative to the first frame */
	PKL_VAL_BOOL,
	PKL_VAL_NAME,          /* one of our own names (written unescaped) */
	PKL_VAL_ADDRESS,       /* an endpoint's address alone */
	PKL_VAL_ENDPOINT,      /* address and port */
	PKL_VAL_MAC,           /* six bytes */
	PKL_VAL_LIST,
};

/* A value as a getter gives it. */
struct pkl_value {
	enum pkl_value_type type;
	bool null;                     /* JSON null; the text leaves it out */
	union {
		uint64_t u;            /* U64, MS, BOOL */
		struct pkl_time time;
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

/* A name the text spells its own way. */
static inline struct pkl_value
pkl_value_label(const char *json, const char *text)
{
	return (struct pkl_value){ .type = PKL_VAL_NAME, .name = { json, text } };
}

/* A capture time, or null when not known. */
static inline struct pkl_value
pkl_value_time_or_null(bool known, struct pkl_time t)
{
	return (struct pkl_value){ .type = PKL_VAL_TIME, .null = !known, .time = t };
}

/* What the getters read: the subject of the record, or one element of
 * a list in it. */
struct pkl_record {
	const void *subject;
	const struct pkl_clock *clock;     /* times are relative to its first frame */
	const struct pkl_record *parent;   /* for a list's element: the record of the list */
	unsigned i;                        /* ... and which element */
};

typedef struct pkl_value pkl_field_get(const struct pkl_record *r);
typedef void pkl_field_text(struct pkl_out *o, const struct pkl_record *r);
typedef bool pkl_field_shown(const struct pkl_record *r);
/* The name of a number (an enum's value), or NULL for none: null. */
typedef const char *pkl_field_name(uint64_t v);

#define PKL_FIELD_NONZERO   0x1u  /* the text leaves out 0, false and empty lists */
#define PKL_FIELD_SENTENCE  0x2u  /* the text says `before` alone, when the value is true
				   * (non-null, nonzero) */
#define PKL_FIELD_COLUMNS   0x4u  /* a list of records in JSON: one array per field of
				   * theirs, under their keys */

struct pkl_fields;

struct pkl_field {
	const char *key;               /* PKL_JSON_KEY_TEXT(name), or NULL: text only */
	uint8_t key_len;
	/* The value: from get, or else of this type at this place (PKL_AT);
	 * none for a sentence. */
	enum pkl_value_type type;
	pkl_field_get *get;
	uint16_t offset;
	uint8_t size;                  /* of a number, a count of elements */
	uint16_t known;                /* PKL_KNOWN: null unless the bool there is true */
	pkl_field_name *name;          /* a NAME: of the number at the place */
	struct {
		const char *json, *text;   /* text NULL: as in JSON */
	} label;                       /* a NAME without a place: a constant */
	/* The text. */
	uint8_t at;                    /* its place (1, 2, ...), 0: JSON only */
	const char *before, *after;
	const char *after_one;         /* after a value of 1, when it reads differently */
	const char *null_text;         /* in place of a null value */
	unsigned flags;                /* PKL_FIELD_* */
	pkl_field_shown *shown;        /* NULL: always */
	pkl_field_text *text;          /* prose written by a function, in place of a value */
	/* A list: count elements (or as many as the number at its place
	 * says), and more when the number at `total` (PKL_TOTAL) is larger;
	 * each element is `stride` bytes from the last, the first at
	 * `items`, and is a value (item) or a record (fields). */
	uint8_t count;
	uint16_t total;
	uint8_t total_size;
	uint16_t items, stride;
	const struct pkl_field *item;
	struct pkl_fields *fields;
	const char *sep, *more;        /* the text between elements; after the last when more */
};

/* The field's value is `member` of a `type` (the subject's, or an
 * element's). */
#define PKL_AT(type, member) \
	.offset = offsetof(type, member), .size = sizeof(((type *)0)->member)
/* Known when the bool `member` of a `type` is true (stored one up: 0 is always). */
#define PKL_KNOWN(type, member) .known = offsetof(type, member) + 1
/* There are as many elements of a list as `member` of a `type` says
 * (stored one up: 0 is as many as listed). */
#define PKL_TOTAL(type, member) \
	.total = offsetof(type, member) + 1, .total_size = sizeof(((type *)0)->member)
/* A list's elements are the array `member` of a `type`. */
#define PKL_ITEMS(type, member) \
	.items = offsetof(type, member), .stride = sizeof(((type *)0)->member[0])

/* A table worked out for one view (see the top of the file). */
#define PKL_PLAN_STEPS 64
#define PKL_PLAN_POOL 1536

struct pkl_literal {           /* text in a plan's pool */
	uint16_t at, len;
};

/* A step writes its literal, then does its op (record.c): a value, or
 * a test that, when it fails, writes alt and skips the field's other
 * steps.  A value is followed by post, or by alt where it reads
 * differently after 1. */
struct pkl_plan_step {
	struct pkl_literal literal, post, alt;
	uint8_t op;
	uint8_t skip;
	uint8_t field;                 /* the field, for an op that needs more than its place */
	uint8_t size;                  /* of the number at offset */
	uint16_t offset;               /* of the value, or of what the test reads */
};

struct pkl_plan {
	uint8_t n;                     /* steps; 0: not worked out yet */
	uint16_t pool_len;
	struct pkl_plan_step step[PKL_PLAN_STEPS];
	char pool[PKL_PLAN_POOL];      /* the literals, and room to copy them in whole words */
};

/* A record's fields, and the plans of its text and JSON (not const:
 * each plan is worked out the first time it is needed, and kept). */
struct pkl_fields {
	const struct pkl_field *field;
	uint8_t n;
	struct pkl_plan text, json;
};

#define PKL_FIELDS(array) { (array), sizeof (array) / sizeof (array)[0], { 0 }, { 0 } }
/* A JSON key in a field: .key and .key_len. */
#define PKL_FIELD_KEY(name) \
	.key = PKL_JSON_KEY_TEXT(name), .key_len = sizeof PKL_JSON_KEY_TEXT(name) - 1

/* The record's fields as text, in their text order. */
void pkl_record_text(struct pkl_out *o, struct pkl_fields *f, const struct pkl_record *r);
/* The record's keys and values into the open JSON object. */
void pkl_record_json(struct pkl_json *j, struct pkl_fields *f, const struct pkl_record *r);

#endif
