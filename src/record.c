#include "record.h"

#include <assert.h>
#include <string.h>

#include "json.h"
#include "out.h"
#include "render.h"

/* Text places a table may use: 1 .. MAX_AT - 1. */
#define MAX_AT 64
/* Literals are copied a word of this many bytes at a time (see
 * put_literal): the pool keeps room for two words after the last. */
#define WORD 16

/* What a step of a plan does after writing its literal.  The text's and
 * the JSON's own ops are apart, so that one loop runs either plan. */
enum op {
	OP_END,                /* the record ends */
	/* Tests: when one fails, alt is written and the field's other
	 * steps skipped. */
	OP_IF_SHOWN,           /* the field's shown() says yes */
	OP_IF_KNOWN,           /* the bool at offset is true */
	OP_IF_NONZERO,         /* the number at offset is not 0 */
	OP_IF_NAMED,           /* the number at offset has a name (kept for OP_TEXT_NAMED) */
	/* Values from their place, then post (a string's quotes in JSON
	 * are literals). */
	OP_NONE,               /* none: the literals tell it */
	OP_N1, OP_N2, OP_N4, OP_N8,   /* a number of 1, 2, 4 or 8 bytes */
	OP_MS, OP_TIME, OP_ADDRESS, OP_ENDPOINT, OP_MAC,
	OP_TEXT_COUNT,         /* a number, then alt instead of post when it is 1 */
	OP_TEXT_NAMED,         /* the name OP_IF_NAMED found */
	OP_TEXT_LIST,          /* the elements, alt between them */
	OP_TEXT_PROSE,         /* the field's text() */
	OP_TEXT_GOT,           /* the field's get(), with its conditions */
	OP_JSON_BOOL,
	OP_JSON_NAME,          /* the name of the number at offset, or null */
	OP_JSON_VALUE,         /* the field's get(), or its list */
	OP_JSON_COLUMNS,       /* a list of records as one array per field */
};

/* ---- reading the values -------------------------------------------------- */

static inline const char *
place(const struct pkl_record *r, uint16_t offset)
{
	return (const char *)r->subject + offset;
}

/* An unsigned number of `size` bytes at p. */
static inline uint64_t
number_at(const char *p, unsigned size)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (size) {
	case 1:
		memcpy(&u8, p, 1);
		return u8;
	case 2:
		memcpy(&u16, p, 2);
		return u16;
	case 4:
		memcpy(&u32, p, 4);
		return u32;
	default:
		memcpy(&u64, p, 8);
		return u64;
	}
}

static inline bool
is_known(const struct pkl_field *f, const struct pkl_record *r)
{
	return !f->known || number_at(place(r, f->known - 1), sizeof(bool));
}

static inline struct pkl_time
time_at(const char *p)
{
	struct pkl_time t;

	memcpy(&t, p, sizeof t);
	return t;
}

static inline const struct pkl_endpoint *
endpoint_at(const char *p)
{
	return (const struct pkl_endpoint *)(const void *)p;
}

static struct pkl_value
value_of(const struct pkl_field *f, const struct pkl_record *r)
{
	if (f->get)
		return f->get(r);

	struct pkl_value v = { .type = f->type, .null = !is_known(f, r) };
	const char *p = place(r, f->offset);

	if (v.null)
		return v;
	switch (f->type) {
	case PKL_VAL_U64:
	case PKL_VAL_MS:
	case PKL_VAL_BOOL:
		v.u = number_at(p, f->size);
		break;
	case PKL_VAL_TIME:
		v.time = time_at(p);
		break;
	case PKL_VAL_NAME:
		if (f->name) {
			v.name.json = f->name(number_at(p, f->size));
			v.null = !v.name.json;
		} else {
			v.name.json = f->label.json;
			v.name.text = f->label.text;
		}
		break;
	case PKL_VAL_ADDRESS:
	case PKL_VAL_ENDPOINT: {
		const struct pkl_endpoint *e = endpoint_at(p);
		v.addr.bytes = e->addr;
		v.addr.family = e->family;
		v.addr.port = e->port;
		break;
	}
	case PKL_VAL_MAC:
		v.addr.bytes = (const uint8_t *)p;
		break;
	case PKL_VAL_LIST: {
		uint64_t n = f->count ? f->count : number_at(p, f->size);
		uint64_t total = f->total ? number_at(place(r, f->total - 1), f->total_size) : n;
		v.list.n = (uint32_t)n;
		v.list.more = total > n;
		break;
	}
	case PKL_VAL_NONE:
		break;
	}
	return v;
}

/* What the text's PKL_FIELD_NONZERO and _SENTENCE test. */
static bool
is_true(const struct pkl_value *v)
{
	if (v->null)
		return false;
	switch (v->type) {
	case PKL_VAL_U64:
	case PKL_VAL_MS:
	case PKL_VAL_BOOL:
		return v->u != 0;
	case PKL_VAL_LIST:
		return v->list.n != 0;
	default:
		return true;
	}
}

static struct pkl_record
element(const struct pkl_field *f, const struct pkl_record *r, unsigned i)
{
	return (struct pkl_record){ .subject = place(r, f->items) + (size_t)i * f->stride,
				    .clock = r->clock, .parent = r, .i = i };
}

/* ---- plans --------------------------------------------------------------- */

static void
pool_add(struct pkl_plan *p, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	assert(p->pool_len + n + 2 * WORD <= sizeof p->pool);
	memcpy(p->pool + p->pool_len, s, n);
	p->pool_len = (uint16_t)(p->pool_len + n);
}

/* A step that writes the literal gathered since *start, then op; the
 * next literal is gathered after it. */
static struct pkl_plan_step *
add_step(struct pkl_plan *p, uint16_t *start, enum op op)
{
	assert(p->n < PKL_PLAN_STEPS);
	struct pkl_plan_step *s = &p->step[p->n++];
	*s = (struct pkl_plan_step){ .literal = { *start, (uint16_t)(p->pool_len - *start) },
				     .op = (uint8_t)op };
	*start = p->pool_len;
	return s;
}

/* A step for field i, whose value (or what it tests) is at its place. */
static struct pkl_plan_step *
add_field_step(struct pkl_plan *p, uint16_t *start, enum op op, const struct pkl_field *f,
	       unsigned i)
{
	struct pkl_plan_step *s = add_step(p, start, op);

	s->field = (uint8_t)i;
	s->offset = f->offset;
	s->size = f->size;
	return s;
}

/* Text of a step's own, apart from the literal being gathered. */
static struct pkl_literal
own_literal(struct pkl_plan *p, uint16_t *start, const char *text)
{
	struct pkl_literal l = { p->pool_len, 0 };

	assert(*start == p->pool_len);   /* nothing gathered to split */
	pool_add(p, text);
	l.len = (uint16_t)(p->pool_len - l.at);
	*start = p->pool_len;
	return l;
}

/* The op that writes the value at a field's place (a bool and a name
 * as JSON, a list as text). */
static enum op
value_op(const struct pkl_field *f)
{
	static const enum op numbers[] = { [1] = OP_N1, [2] = OP_N2, [4] = OP_N4, [8] = OP_N8 };

	switch (f->type) {
	case PKL_VAL_U64:
		assert(f->size <= 8 && numbers[f->size]);
		return numbers[f->size];
	case PKL_VAL_MS:
		return OP_MS;
	case PKL_VAL_TIME:
		return OP_TIME;
	case PKL_VAL_BOOL:
		return OP_JSON_BOOL;
	case PKL_VAL_ADDRESS:
		return OP_ADDRESS;
	case PKL_VAL_ENDPOINT:
		return OP_ENDPOINT;
	case PKL_VAL_MAC:
		return OP_MAC;
	case PKL_VAL_NAME:
		return OP_JSON_NAME;
	case PKL_VAL_LIST:
		return OP_TEXT_LIST;
	case PKL_VAL_NONE:
		break;
	}
	return OP_NONE;
}

/* A constant name, written into the literals. */
static bool
is_label(const struct pkl_field *f)
{
	return f->type == PKL_VAL_NAME && !f->get && !f->name;
}

/* Whether the text tells a field the same way every time: a value from
 * its place, always known, between literals that never change, so that
 * they join its neighbours'. */
static bool
told_plainly(const struct pkl_field *f)
{
	return !f->get && !f->known && !f->shown && !f->text && !f->flags && !f->after_one &&
	       !f->null_text && f->type != PKL_VAL_LIST && f->type != PKL_VAL_BOOL &&
	       (f->type != PKL_VAL_NAME || is_label(f));
}

/* The steps of a field the text tells only sometimes, or in words that
 * depend on its value: its tests, then its value. */
static void
plan_text_field(struct pkl_plan *p, uint16_t *start, const struct pkl_field *f, unsigned i)
{
	unsigned first = p->n;
	struct pkl_plan_step *s;

	if (f->shown)
		add_field_step(p, start, OP_IF_SHOWN, f, i);
	if (f->text || f->get) {
		add_field_step(p, start, f->text ? OP_TEXT_PROSE : OP_TEXT_GOT, f, i);
	} else {
		if (f->known) {
			s = add_field_step(p, start, OP_IF_KNOWN, f, i);
			s->offset = (uint16_t)(f->known - 1);
			s->alt = own_literal(p, start, f->null_text);
		}
		if (f->type == PKL_VAL_NAME) {
			s = add_field_step(p, start, OP_IF_NAMED, f, i);
			s->alt = own_literal(p, start, f->null_text);
		} else if ((f->flags & (PKL_FIELD_NONZERO | PKL_FIELD_SENTENCE)) &&
			   !(f->type == PKL_VAL_LIST && f->count)) {
			add_field_step(p, start, OP_IF_NONZERO, f, i);
		}
		pool_add(p, f->before);
		if (f->flags & PKL_FIELD_SENTENCE) {
			add_step(p, start, OP_NONE);
		} else {
			enum op op = f->type == PKL_VAL_NAME ? OP_TEXT_NAMED
				   : f->after_one ? OP_TEXT_COUNT : value_op(f);
			s = add_field_step(p, start, op, f, i);
			s->post = own_literal(p, start, f->after);
			/* A list's separator, or the words after a 1. */
			s->alt = own_literal(p, start, op == OP_TEXT_LIST ? f->sep : f->after_one);
		}
	}
	for (unsigned k = first; k < p->n; k++)
		p->step[k].skip = (uint8_t)(p->n - k - 1);
}

/* The text's steps: the fields it tells, by their places. */
static void
plan_text(struct pkl_fields *fs)
{
	uint8_t field_at[MAX_AT] = { 0 };   /* the field's index + 1, 0: none there */
	struct pkl_plan *p = &fs->text;
	uint16_t start = 0;

	for (unsigned i = 0; i < fs->n; i++) {
		unsigned at = fs->field[i].at;
		assert(at < MAX_AT && (!at || !field_at[at]));   /* each place taken once */
		if (at)
			field_at[at] = (uint8_t)(i + 1);
	}
	for (unsigned at = 1; at < MAX_AT; at++) {
		if (!field_at[at])
			continue;
		unsigned i = field_at[at] - 1u;
		const struct pkl_field *f = &fs->field[i];
		if (!told_plainly(f)) {
			plan_text_field(p, &start, f, i);
			continue;
		}
		pool_add(p, f->before);
		if (is_label(f))
			pool_add(p, f->label.text ? f->label.text : f->label.json);
		else if (f->type != PKL_VAL_NONE)
			add_field_step(p, &start, value_op(f), f, i);
		pool_add(p, f->after);
	}
	add_step(p, &start, OP_END);
}

/* The JSON's steps: every field with a key, in order. */
static void
plan_json(struct pkl_fields *fs)
{
	struct pkl_plan *p = &fs->json;
	uint16_t start = 0;

	for (unsigned i = 0; i < fs->n; i++) {
		const struct pkl_field *f = &fs->field[i];
		if (f->flags & PKL_FIELD_COLUMNS) {
			add_field_step(p, &start, OP_JSON_COLUMNS, f, i);
			continue;
		}
		if (!f->key)
			continue;
		pool_add(p, f->key);
		if (is_label(f)) {
			pool_add(p, "\"");
			pool_add(p, f->label.json);
			pool_add(p, "\"");
			continue;
		}
		if (f->get || f->type == PKL_VAL_LIST) {
			add_field_step(p, &start, OP_JSON_VALUE, f, i);
			continue;
		}
		if (f->known) {
			struct pkl_plan_step *test = add_field_step(p, &start, OP_IF_KNOWN, f, i);
			test->offset = (uint16_t)(f->known - 1);
			test->alt = own_literal(p, &start, "null");
			test->skip = 1;
		}
		/* A string's quotes are literals of its step. */
		bool quoted = f->type == PKL_VAL_ADDRESS || f->type == PKL_VAL_ENDPOINT ||
			      f->type == PKL_VAL_MAC;
		if (quoted)
			pool_add(p, "\"");
		struct pkl_plan_step *s = add_field_step(p, &start, value_op(f), f, i);
		if (quoted)
			s->post = own_literal(p, &start, "\"");
	}
	add_step(p, &start, OP_END);
}

/* ---- the views' own values ------------------------------------------------ */

static void
text_scalar(struct pkl_out *o, const struct pkl_value *v, const struct pkl_record *r)
{
	switch (v->type) {
	case PKL_VAL_U64:
		pkl_out_u64(o, v->u);
		break;
	case PKL_VAL_MS:
		pkl_out_ms(o, v->u);
		break;
	case PKL_VAL_TIME:
		pkl_render_time(o, r->clock, v->time.sec, v->time.nsec);
		break;
	case PKL_VAL_NAME:
		pkl_out_str(o, v->name.text ? v->name.text : v->name.json);
		break;
	case PKL_VAL_ADDRESS:
		if (v->addr.family == 4)
			pkl_out_ipv4(o, v->addr.bytes);
		else
			pkl_out_ipv6(o, v->addr.bytes);
		break;
	case PKL_VAL_ENDPOINT:
		pkl_out_endpoint(o, v->addr.family, v->addr.bytes, v->addr.port);
		break;
	case PKL_VAL_MAC:
		pkl_out_mac(o, v->addr.bytes);
		break;
	case PKL_VAL_NONE:
	case PKL_VAL_BOOL:   /* told by a sentence */
	case PKL_VAL_LIST:
		break;
	}
}

/* A field whose value comes from its getter: told when it is not null
 * (and, with PKL_FIELD_NONZERO, not 0). */
static void
text_got(struct pkl_out *o, const struct pkl_field *f, const struct pkl_record *r)
{
	struct pkl_value v = f->get(r);

	if (v.null) {
		if (f->null_text)
			pkl_out_str(o, f->null_text);
		return;
	}
	if ((f->flags & (PKL_FIELD_NONZERO | PKL_FIELD_SENTENCE)) && !is_true(&v))
		return;
	if (f->before)
		pkl_out_str(o, f->before);
	if (f->flags & PKL_FIELD_SENTENCE)
		return;
	text_scalar(o, &v, r);
	if (f->after_one && v.type == PKL_VAL_U64 && v.u == 1)
		pkl_out_str(o, f->after_one);
	else if (f->after)
		pkl_out_str(o, f->after);
}

static void
json_scalar(struct pkl_json *j, const struct pkl_value *v, const struct pkl_record *r)
{
	switch (v->type) {
	case PKL_VAL_U64:
		pkl_json_u64(j, v->u);
		break;
	case PKL_VAL_MS:
		pkl_json_ms(j, v->u);
		break;
	case PKL_VAL_TIME:
		pkl_render_time(j->out, r->clock, v->time.sec, v->time.nsec);
		break;
	case PKL_VAL_BOOL:
		pkl_json_bool(j, v->u);
		break;
	case PKL_VAL_NAME:
		pkl_json_name(j, v->name.json);
		break;
	case PKL_VAL_ADDRESS:
		pkl_json_address(j, v->addr.family, v->addr.bytes);
		break;
	case PKL_VAL_ENDPOINT:
		pkl_json_endpoint(j, v->addr.family, v->addr.bytes, v->addr.port);
		break;
	case PKL_VAL_MAC:
		pkl_json_mac(j, v->addr.bytes);
		break;
	case PKL_VAL_NONE:
	case PKL_VAL_LIST:
		assert(!"a field with a key has a value");
		break;
	}
}

static void
json_list(struct pkl_json *j, const struct pkl_field *f, const struct pkl_value *v,
	  const struct pkl_record *r)
{
	pkl_json_array_open(j);
	for (unsigned i = 0; i < v->list.n; i++) {
		struct pkl_record e = element(f, r, i);
		pkl_json_elem(j);
		if (f->fields) {
			pkl_json_object_open(j);
			pkl_record_json(j, f->fields, &e);
			pkl_json_object_close(j);
		} else {
			struct pkl_value item = value_of(f->item, &e);
			json_scalar(j, &item, &e);
		}
	}
	pkl_json_array_close(j);
}

/* A value from a getter, or a list. */
static void
json_value(struct pkl_json *j, const struct pkl_field *f, const struct pkl_record *r)
{
	struct pkl_value v = value_of(f, r);

	if (v.null)
		pkl_json_null(j);
	else if (v.type == PKL_VAL_LIST)
		json_list(j, f, &v, r);
	else
		json_scalar(j, &v, r);
}

/* A list of records as one array per field of theirs. */
static void
json_columns(struct pkl_json *j, const struct pkl_field *f, const struct pkl_record *r)
{
	struct pkl_value v = value_of(f, r);

	for (unsigned k = 0; k < f->fields->n; k++) {
		const struct pkl_field *col = &f->fields->field[k];
		if (!col->key)
			continue;
		pkl_json_key_text(j, col->key, col->key_len);
		pkl_json_array_open(j);
		for (unsigned i = 0; i < v.list.n; i++) {
			struct pkl_record e = element(f, r, i);
			struct pkl_value item = value_of(col, &e);
			pkl_json_elem(j);
			json_scalar(j, &item, &e);
		}
		pkl_json_array_close(j);
	}
}

/* ---- running a plan -------------------------------------------------------- */

/* A literal of the pool.  Up to two words, which most are, it is
 * copied in two word-sized moves whatever its length: a copy of a length
 * known only now would be a call. */
static inline void
put_literal(struct pkl_out *o, const struct pkl_plan *p, struct pkl_literal l)
{
	const char *s = p->pool + l.at;
	size_t len = o->len;

	if (!l.len)
		return;
	if (l.len <= 2 * WORD && 2 * WORD < o->cap - len) {
		char *d = o->buf + len;
		memcpy(d, s, WORD);
		memcpy(d + WORD, s + WORD, WORD);
		o->len = len + l.len;
	} else {
		pkl_out_mem(o, s, l.len);
	}
}

/* Whether a test step's test holds.  OP_IF_NAMED keeps the name it
 * found in *name. */
static bool
holds(const struct pkl_fields *fs, const struct pkl_plan_step *s, const struct pkl_record *r,
      const char **name)
{
	const char *at = place(r, s->offset);

	switch ((enum op)s->op) {
	case OP_IF_SHOWN:
		return fs->field[s->field].shown(r);
	case OP_IF_KNOWN:
		return number_at(at, sizeof(bool));
	case OP_IF_NONZERO:
		return number_at(at, s->size);
	case OP_IF_NAMED:
		return (*name = fs->field[s->field].name(number_at(at, s->size))) != NULL;
	default:
		assert(!"a test");
		return false;
	}
}

/* Plan p of fs for record r, as text (j NULL) or into JSON object j,
 * the first literal as `first` says. */
static void
run(struct pkl_out *o, struct pkl_json *j, const struct pkl_fields *fs, const struct pkl_plan *p,
    const struct pkl_record *r, struct pkl_literal first)
{
	const char *name = NULL;

	put_literal(o, p, first);
	for (const struct pkl_plan_step *s = p->step;; s++) {
		const char *at = place(r, s->offset);

		if (s != p->step)
			put_literal(o, p, s->literal);
		switch ((enum op)s->op) {
		case OP_END:
			return;
		case OP_IF_SHOWN:
		case OP_IF_KNOWN:
		case OP_IF_NONZERO:
		case OP_IF_NAMED:
			if (!holds(fs, s, r, &name)) {
				put_literal(o, p, s->alt);
				s += s->skip;
			}
			continue;
		case OP_NONE:
			break;
		case OP_N1:
			pkl_out_u64(o, number_at(at, 1));
			break;
		case OP_N2:
			pkl_out_u64(o, number_at(at, 2));
			break;
		case OP_N4:
			pkl_out_u64(o, number_at(at, 4));
			break;
		case OP_N8:
			pkl_out_u64(o, number_at(at, 8));
			break;
		case OP_MS:
			pkl_out_ms(o, number_at(at, s->size));
			break;
		case OP_TIME:
			pkl_render_time(o, r->clock, time_at(at).sec, time_at(at).nsec);
			break;
		case OP_ADDRESS:
			if (endpoint_at(at)->family == 4)
				pkl_out_ipv4(o, endpoint_at(at)->addr);
			else
				pkl_out_ipv6(o, endpoint_at(at)->addr);
			break;
		case OP_ENDPOINT:
			pkl_out_endpoint(o, endpoint_at(at)->family, endpoint_at(at)->addr,
					 endpoint_at(at)->port);
			break;
		case OP_MAC:
			pkl_out_mac(o, (const uint8_t *)at);
			break;
		case OP_TEXT_COUNT: {
			uint64_t v = number_at(at, s->size);
			pkl_out_u64(o, v);
			put_literal(o, p, v == 1 ? s->alt : s->post);
			continue;
		}
		case OP_TEXT_NAMED:
			pkl_out_str(o, name);
			break;
		case OP_TEXT_LIST: {
			const struct pkl_field *f = &fs->field[s->field];
			struct pkl_value v = value_of(f, r);
			for (unsigned i = 0; i < v.list.n; i++) {
				struct pkl_record e = element(f, r, i);
				if (i)
					put_literal(o, p, s->alt);
				if (f->fields) {
					pkl_record_text(o, f->fields, &e);
				} else {
					struct pkl_value item = value_of(f->item, &e);
					text_scalar(o, &item, &e);
				}
			}
			if (v.list.more && f->more)
				pkl_out_str(o, f->more);
			break;
		}
		case OP_TEXT_PROSE:
			fs->field[s->field].text(o, r);
			break;
		case OP_TEXT_GOT:
			text_got(o, &fs->field[s->field], r);
			break;
		case OP_JSON_BOOL:
			pkl_json_bool(j, number_at(at, s->size));
			break;
		case OP_JSON_NAME:
			name = fs->field[s->field].name(number_at(at, s->size));
			if (name)
				pkl_json_name(j, name);
			else
				pkl_json_null(j);
			break;
		case OP_JSON_VALUE:
			json_value(j, &fs->field[s->field], r);
			break;
		case OP_JSON_COLUMNS:
			json_columns(j, &fs->field[s->field], r);
			break;
		}
		put_literal(o, p, s->post);
	}
}

void
pkl_record_text(struct pkl_out *o, struct pkl_fields *fs, const struct pkl_record *r)
{
	if (!fs->text.n)
		plan_text(fs);
	run(o, NULL, fs, &fs->text, r, fs->text.step[0].literal);
}

void
pkl_record_json(struct pkl_json *j, struct pkl_fields *fs, const struct pkl_record *r)
{
	if (!fs->json.n)
		plan_json(fs);

	/* Every literal begins with a key, and every key with its comma,
	 * which the object's first goes without. */
	struct pkl_literal first = fs->json.step[0].literal;
	if (first.len) {
		if (!j->comma) {
			first.at++;
			first.len--;
		}
		j->comma = true;
	}
	run(j->out, j, fs, &fs->json, r, first);
}
