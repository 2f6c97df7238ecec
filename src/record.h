/* Records described by a field list: one list per kind of record drives
 * both its text and its JSON object, so the two cannot tell different
 * facts or drift apart.
 *
 * A field has a JSON key (or none: the text alone tells it), a value,
 * and what the text says around it (before, after).  The list gives the
 * fields in the order of the JSON keys, each with its place in the text
 * (1, 2, ...), because a sentence groups facts differently from a flat
 * object; a field the text does not tell is a JSON_ONLY entry.  The
 * text leaves out a null value (or says null_text instead), and with
 * PKL_FIELD_NONZERO a zero or an empty list; a field whose `shown` says
 * no is left out of the text.  Prose that is no single value (a headline
 * that reads differently per kind) is a text function.
 *
 * Most values are read where the record holds them: a field names its
 * type and place (PKL_AT) and, for a value not always known, the flag
 * that says whether it is (PKL_KNOWN).  A name is the name of the number
 * there (.name), or a constant (.label).  A value worked out from
 * several facts comes from a getter instead.  A list's elements are
 * values (of type `item`) or records (written by element_text and
 * element_json, or as one JSON array per field by element_columns),
 * `stride` bytes apart from `items`; a getter of an element finds its
 * index in r->i and its list's record in r->parent.
 *
 *     #define TCP_FIELDS(FIELD, JSON_ONLY)                                   \
 *             FIELD(1, PKL_FIELD_KEY("id"), PKL_AT(struct x, id),           \
 *                   .type = PKL_VAL_U64, .before = "conn #")                \
 *             JSON_ONLY(PKL_FIELD_KEY("rtt_ms"), .get = rtt)
 *     PKL_RECORD_TEXT(tcp, TCP_FIELDS, 1)
 *     PKL_RECORD_JSON(tcp, TCP_FIELDS)
 *
 * define tcp_text() and tcp_json() (the text's places are case labels:
 * a place taken twice does not compile).  Each field's description is a
 * static constant of the writer, which the field's writer, forced inline,
 * is given: the compiler writes each field's code with its literals, its
 * place in the record and its conditions known, so a record is written
 * about as fast as by hand.  Read per record by a writer not inlined,
 * the descriptions cost some 15% of a whole `conns` run, and a quarter
 * when also built per record on the stack (compound literals); forced
 * inline, stack descriptions kept clang from folding them once an
 * address escaped (to a list's column writer): a minute to compile under
 * the fuzzer's flags.  A static constant folds wherever its address goes. */
#ifndef PKL_RECORD_H
#define PKL_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "out.h"
#include "record_types.h"
#include "render.h"

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

/* A value as a field reads it. */
struct pkl_value {
	enum pkl_value_type type;
	bool null;                     /* JSON null; the text leaves it out */
	union {
		uint64_t u;            /* U64, MS, BOOL */
		struct pkl_time time;
		struct {
			const char *json, *text;   /* text NULL: as in JSON */
		} name;
		const struct pkl_endpoint *endpoint;   /* ADDRESS, ENDPOINT */
		const uint8_t *mac;
		struct {
			uint32_t n;            /* elements listed */
			bool more;             /* there were more than listed */
		} list;
	};
};

/* A name the text spells its own way, for a getter. */
static inline struct pkl_value
pkl_value_label(const char *json, const char *text)
{
	return (struct pkl_value){ .type = PKL_VAL_NAME, .name = { json, text } };
}

/* A capture time, or null when not known, for a getter. */
static inline struct pkl_value
pkl_value_time_or_null(bool known, struct pkl_time t)
{
	return (struct pkl_value){ .type = PKL_VAL_TIME, .null = !known, .time = t };
}

/* What a field reads: the subject of the record, or one element of a
 * list in it. */
struct pkl_record {
	const void *subject;
	const struct pkl_clock *clock;     /* times are relative to its first frame */
	const struct pkl_record *parent;   /* for a list's element: the record of the list */
	unsigned i;                        /* ... and which element */
};

struct pkl_field;

typedef struct pkl_value pkl_field_get(const struct pkl_record *r);
typedef void pkl_field_prose(struct pkl_out *o, const struct pkl_record *r);
typedef bool pkl_field_shown(const struct pkl_record *r);
/* The name of a number (an enum's value), or NULL for none: null. */
typedef const char *pkl_field_name(uint64_t v);
/* A record's writers, as PKL_RECORD_TEXT, _JSON and _COLUMNS define them. */
typedef void pkl_record_text_fn(struct pkl_out *o, const struct pkl_record *r);
typedef void pkl_record_json_fn(struct pkl_json *j, const struct pkl_record *r);
typedef void pkl_record_columns_fn(struct pkl_json *j, const struct pkl_field *list,
				   const struct pkl_record *r, unsigned n);

#define PKL_FIELD_NONZERO   0x1u  /* the text leaves out 0, false and empty lists */
#define PKL_FIELD_SENTENCE  0x2u  /* the text says `before` alone, when the value is true
				   * (non-null, nonzero) */

struct pkl_field {
	const char *key;               /* PKL_JSON_KEY_TEXT(name), or NULL: text only */
	uint8_t key_len;
	/* The value: from get, or else of this type at this place (PKL_AT);
	 * none for a sentence. */
	enum pkl_value_type type;
	pkl_field_get *get;
	uint16_t offset;
	uint8_t size;                  /* of a number; of the count of a list */
	uint16_t known;                /* PKL_KNOWN: null unless the bool there is true */
	pkl_field_name *name;          /* a NAME: of the number at the place */
	struct {
		const char *json, *text;   /* text NULL: as in JSON */
	} label;                       /* a NAME without a place: a constant */
	/* The text. */
	const char *before, *after;
	const char *after_one;         /* after a value of 1, when it reads differently */
	const char *null_text;         /* in place of a null value */
	unsigned flags;                /* PKL_FIELD_* */
	pkl_field_shown *shown;        /* NULL: always */
	pkl_field_prose *text;         /* prose written by a function, in place of a value */
	/* A list: count elements, or as many as the number at its place;
	 * more when the number at `total` (PKL_TOTAL) is larger. */
	uint8_t count;
	uint16_t total;
	uint8_t total_size;
	uint16_t items, stride;        /* PKL_ITEMS */
	enum pkl_value_type item;      /* elements that are values */
	pkl_record_text_fn *element_text;     /* elements that are records */
	pkl_record_json_fn *element_json;
	pkl_record_columns_fn *element_columns;   /* in JSON, one array per field of theirs */
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
/* A JSON key in a field: .key and .key_len. */
#define PKL_FIELD_KEY(name) \
	.key = PKL_JSON_KEY_TEXT(name), .key_len = sizeof PKL_JSON_KEY_TEXT(name) - 1

/* ---- the writers the lists expand into --------------------------------------- */

/* Forced inline: each is given a field's description as a constant (a
 * static one, see PKL_RECORD_TEXT), and inline where it is used, folds to
 * that field's own code.  The values go by value, not by address: a
 * local whose address is taken is kept in memory and, under the address
 * sanitizer, marked in and out of scope, which made the sanitizer builds
 * of these writers slow to compile. */
#define PKL_RECORD_INLINE static inline __attribute__((always_inline))

PKL_RECORD_INLINE const char *
pkl_record_place(const struct pkl_record *r, size_t offset)
{
	return (const char *)r->subject + offset;
}

/* The unsigned number at p: a member of `size` bytes, of an unsigned
 * integer type, a bool or a char type. */
PKL_RECORD_INLINE uint64_t
pkl_record_number(const char *p, unsigned size)
{
	switch (size) {
	case 1:
		return *(const uint8_t *)p;
	case 2:
		return *(const uint16_t *)(const void *)p;
	case 4:
		return *(const uint32_t *)(const void *)p;
	default:
		return *(const uint64_t *)(const void *)p;
	}
}

/* Element i of list f of r. */
PKL_RECORD_INLINE struct pkl_record
pkl_record_element(const struct pkl_field *f, const struct pkl_record *r, unsigned i)
{
	return (struct pkl_record){ .subject = pkl_record_place(r, f->items + (size_t)i * f->stride),
				    .clock = r->clock, .parent = r, .i = i };
}

/* A value of `type` held at p (`size` bytes, for a number): what a field
 * at its place, or an element of a list of values, reads. */
PKL_RECORD_INLINE struct pkl_value
pkl_value_at(enum pkl_value_type type, const char *p, unsigned size)
{
	struct pkl_value v = { .type = type };

	switch (type) {
	case PKL_VAL_U64:
	case PKL_VAL_MS:
	case PKL_VAL_BOOL:
		v.u = pkl_record_number(p, size);
		break;
	case PKL_VAL_TIME:
		v.time = *(const struct pkl_time *)(const void *)p;
		break;
	case PKL_VAL_ADDRESS:
	case PKL_VAL_ENDPOINT:
		v.endpoint = (const struct pkl_endpoint *)(const void *)p;
		break;
	case PKL_VAL_MAC:
		v.mac = (const uint8_t *)p;
		break;
	case PKL_VAL_NAME:   /* of a field: pkl_field_value */
	case PKL_VAL_LIST:
	case PKL_VAL_NONE:
		break;
	}
	return v;
}

PKL_RECORD_INLINE struct pkl_value
pkl_field_value(const struct pkl_field *f, const struct pkl_record *r)
{
	if (f->get)
		return f->get(r);

	const char *p = pkl_record_place(r, f->offset);
	struct pkl_value v = { .type = f->type };

	if (f->known && !pkl_record_number(pkl_record_place(r, f->known - 1u), sizeof(bool))) {
		v.null = true;
		return v;
	}
	switch (f->type) {
	case PKL_VAL_NAME:
		if (f->name) {
			v.name.json = f->name(pkl_record_number(p, f->size));
			v.null = !v.name.json;
		} else {
			v.name.json = f->label.json;
			v.name.text = f->label.text;
		}
		return v;
	case PKL_VAL_LIST: {
		uint64_t n = f->count ? f->count : pkl_record_number(p, f->size);
		uint64_t total = f->total
			? pkl_record_number(pkl_record_place(r, f->total - 1u), f->total_size) : n;
		v.list.n = (uint32_t)n;
		v.list.more = total > n;
		return v;
	}
	default:
		return pkl_value_at(f->type, p, f->size);
	}
}

/* Element i of list f of r, when its elements are values. */
PKL_RECORD_INLINE struct pkl_value
pkl_item_value(const struct pkl_field *f, const struct pkl_record *r, unsigned i)
{
	return pkl_value_at(f->item, pkl_record_place(r, f->items + (size_t)i * f->stride),
			    f->stride);
}

/* What the text's PKL_FIELD_NONZERO and _SENTENCE test. */
PKL_RECORD_INLINE bool
pkl_value_true(struct pkl_value v)
{
	if (v.null)
		return false;
	switch (v.type) {
	case PKL_VAL_U64:
	case PKL_VAL_MS:
	case PKL_VAL_BOOL:
		return v.u != 0;
	case PKL_VAL_LIST:
		return v.list.n != 0;
	default:
		return true;
	}
}

PKL_RECORD_INLINE void
pkl_value_text(struct pkl_out *o, struct pkl_value v, const struct pkl_clock *clock)
{
	switch (v.type) {
	case PKL_VAL_U64:
		pkl_out_u64(o, v.u);
		break;
	case PKL_VAL_MS:
		pkl_out_ms(o, v.u);
		break;
	case PKL_VAL_TIME:
		pkl_render_time(o, clock, v.time.sec, v.time.nsec);
		break;
	case PKL_VAL_NAME:
		pkl_out_str(o, v.name.text ? v.name.text : v.name.json);
		break;
	case PKL_VAL_ADDRESS:
		if (v.endpoint->family == 4)
			pkl_out_ipv4(o, v.endpoint->addr);
		else
			pkl_out_ipv6(o, v.endpoint->addr);
		break;
	case PKL_VAL_ENDPOINT:
		pkl_out_endpoint(o, v.endpoint->family, v.endpoint->addr, v.endpoint->port);
		break;
	case PKL_VAL_MAC:
		pkl_out_mac(o, v.mac);
		break;
	case PKL_VAL_NONE:
	case PKL_VAL_BOOL:   /* told by a sentence */
	case PKL_VAL_LIST:
		break;
	}
}

PKL_RECORD_INLINE void
pkl_value_json(struct pkl_json *j, struct pkl_value v, const struct pkl_clock *clock)
{
	switch (v.type) {
	case PKL_VAL_U64:
		pkl_json_u64(j, v.u);
		break;
	case PKL_VAL_MS:
		pkl_json_ms(j, v.u);
		break;
	case PKL_VAL_TIME:
		pkl_render_time(j->out, clock, v.time.sec, v.time.nsec);
		break;
	case PKL_VAL_BOOL:
		pkl_json_bool(j, v.u);
		break;
	case PKL_VAL_NAME:
		pkl_json_name(j, v.name.json);
		break;
	case PKL_VAL_ADDRESS:
		pkl_json_address(j, v.endpoint->family, v.endpoint->addr);
		break;
	case PKL_VAL_ENDPOINT:
		pkl_json_endpoint(j, v.endpoint->family, v.endpoint->addr, v.endpoint->port);
		break;
	case PKL_VAL_MAC:
		pkl_json_mac(j, v.mac);
		break;
	case PKL_VAL_NONE:   /* a field with a key has a value */
	case PKL_VAL_LIST:
		break;
	}
}

PKL_RECORD_INLINE void
pkl_list_text(struct pkl_out *o, const struct pkl_field *f, struct pkl_value v,
	      const struct pkl_record *r)
{
	for (unsigned i = 0; i < v.list.n; i++) {
		if (i && f->sep)
			pkl_out_str(o, f->sep);
		if (f->element_text) {
			struct pkl_record e = pkl_record_element(f, r, i);
			f->element_text(o, &e);
		} else {
			pkl_value_text(o, pkl_item_value(f, r, i), r->clock);
		}
	}
	if (v.list.more && f->more)
		pkl_out_str(o, f->more);
}

PKL_RECORD_INLINE void
pkl_list_json(struct pkl_json *j, const struct pkl_field *f, struct pkl_value v,
	      const struct pkl_record *r)
{
	pkl_json_array_open(j);
	for (unsigned i = 0; i < v.list.n; i++) {
		pkl_json_elem(j);
		if (f->element_json) {
			struct pkl_record e = pkl_record_element(f, r, i);
			pkl_json_object_open(j);
			f->element_json(j, &e);
			pkl_json_object_close(j);
		} else {
			pkl_value_json(j, pkl_item_value(f, r, i), r->clock);
		}
	}
	pkl_json_array_close(j);
}

/* Field f of r as text, where it is told. */
PKL_RECORD_INLINE void
pkl_field_text(struct pkl_out *o, const struct pkl_field *f, const struct pkl_record *r)
{
	if (f->shown && !f->shown(r))
		return;
	if (f->text) {
		f->text(o, r);
		return;
	}
	struct pkl_value v = pkl_field_value(f, r);
	if (v.null) {
		if (f->null_text)
			pkl_out_str(o, f->null_text);
		return;
	}
	if ((f->flags & (PKL_FIELD_NONZERO | PKL_FIELD_SENTENCE)) && !pkl_value_true(v))
		return;
	if (f->before)
		pkl_out_str(o, f->before);
	if (f->flags & PKL_FIELD_SENTENCE)
		return;
	if (v.type == PKL_VAL_LIST)
		pkl_list_text(o, f, v, r);
	else
		pkl_value_text(o, v, r->clock);
	if (f->after_one && v.type == PKL_VAL_U64 && v.u == 1)
		pkl_out_str(o, f->after_one);
	else if (f->after)
		pkl_out_str(o, f->after);
}

/* Field f of r into the open JSON object, when it has a key. */
PKL_RECORD_INLINE void
pkl_field_json(struct pkl_json *j, const struct pkl_field *f, const struct pkl_record *r)
{
	if (f->element_columns) {
		f->element_columns(j, f, r, pkl_field_value(f, r).list.n);
		return;
	}
	if (!f->key)
		return;
	pkl_json_key_text(j, f->key, f->key_len);

	struct pkl_value v = pkl_field_value(f, r);
	if (v.null)
		pkl_json_null(j);
	else if (v.type == PKL_VAL_LIST)
		pkl_list_json(j, f, v, r);
	else
		pkl_value_json(j, v, r->clock);
}

/* Field f of the n elements of list `list` of r, as one array under its
 * key. */
PKL_RECORD_INLINE void
pkl_field_column(struct pkl_json *j, const struct pkl_field *f, const struct pkl_field *list,
		 const struct pkl_record *r, unsigned n)
{
	if (!f->key)
		return;
	pkl_json_key_text(j, f->key, f->key_len);
	pkl_json_array_open(j);
	for (unsigned i = 0; i < n; i++) {
		struct pkl_record e = pkl_record_element(list, r, i);
		pkl_json_elem(j);
		pkl_value_json(j, pkl_field_value(f, &e), r->clock);
	}
	pkl_json_array_close(j);
}

/* ---- the writers of a record ----------------------------------------------- */

/* Define `static void name_text(struct pkl_out *, const struct pkl_record *)`,
 * a pkl_record_text_fn, from the field list FIELDS, whose last text
 * place is `places`.  The switch puts the fields in the text's order;
 * gcc threads each case's end to the next place's case, so the code
 * runs straight through.  The loop is not unrolled: that would expand
 * every field once per place before the switch folds away, a compile
 * time of the places times the fields (four times as long under the
 * fuzzer's flags). */
#define PKL_RECORD_TEXT(name, FIELDS, places)                                            \
	static void                                                                      \
	name##_text(struct pkl_out *o, const struct pkl_record *r)                       \
	{                                                                                \
		for (unsigned at = 1; at <= (places); at++) {                            \
			switch (at) {                                                    \
				FIELDS(PKL_TEXT_FIELD_, PKL_NO_TEXT_)                    \
			}                                                                \
		}                                                                        \
	}
#define PKL_TEXT_FIELD_(place, ...)                                                      \
	case (place): {                                                                  \
		static const struct pkl_field f = { __VA_ARGS__ };                       \
		pkl_field_text(o, &f, r);                                                \
		break;                                                                   \
	}
#define PKL_NO_TEXT_(...)

/* Define `static void name_json(struct pkl_json *, const struct pkl_record *)`,
 * a pkl_record_json_fn writing into the open object, from FIELDS.  It
 * writes through a copy of the writer, whose comma the compiler then
 * knows from the first key on. */
#define PKL_RECORD_JSON(name, FIELDS)                                                    \
	static void                                                                      \
	name##_json(struct pkl_json *object, const struct pkl_record *r)                 \
	{                                                                                \
		struct pkl_json writer = *object, *j = &writer;                          \
		FIELDS(PKL_JSON_FIELD_, PKL_JSON_ONLY_FIELD_)                            \
		*object = writer;                                                        \
	}
#define PKL_JSON_FIELD_(place, ...) PKL_JSON_ONLY_FIELD_(__VA_ARGS__)
#define PKL_JSON_ONLY_FIELD_(...)                                                        \
	{                                                                                \
		static const struct pkl_field f = { __VA_ARGS__ };                       \
		pkl_field_json(j, &f, r);                                                \
	}

/* Define `static void name_columns(...)`, a pkl_record_columns_fn, from
 * the field list FIELDS of a list's elements. */
#define PKL_RECORD_COLUMNS(name, FIELDS)                                                 \
	static void                                                                      \
	name##_columns(struct pkl_json *j, const struct pkl_field *list,                 \
		       const struct pkl_record *r, unsigned n)                           \
	{                                                                                \
		FIELDS(PKL_COLUMN_, PKL_JSON_ONLY_COLUMN_)                               \
	}
#define PKL_COLUMN_(place, ...) PKL_JSON_ONLY_COLUMN_(__VA_ARGS__)
#define PKL_JSON_ONLY_COLUMN_(...)                                                       \
	{                                                                                \
		static const struct pkl_field f = { __VA_ARGS__ };                       \
		pkl_field_column(j, &f, list, r, n);                                     \
	}

#endif
