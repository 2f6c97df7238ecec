#include "record.h"

#include <assert.h>
#include <string.h>

/* Text places a table may use: 1 .. MAX_AT - 1. */
#define MAX_AT 64

static struct pkl_value
value_of(const struct pkl_field *f, const struct pkl_record *r)
{
	return f->get ? f->get(r) : (struct pkl_value){ .type = PKL_VAL_NONE };
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
element(const struct pkl_record *r, unsigned i)
{
	return (struct pkl_record){ .subject = r->subject, .clock = r->clock, .parent = r, .i = i };
}

/* ---- text ----------------------------------------------------------------- */

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

static void
text_list(struct pkl_out *o, const struct pkl_field *f, const struct pkl_value *v,
	  const struct pkl_record *r)
{
	for (unsigned i = 0; i < v->list.n; i++) {
		struct pkl_record e = element(r, i);
		if (i && f->sep)
			pkl_out_str(o, f->sep);
		if (f->fields) {
			pkl_record_text(o, f->fields, &e);
		} else {
			struct pkl_value item = f->item(&e);
			text_scalar(o, &item, &e);
		}
	}
	if (v->list.more && f->more)
		pkl_out_str(o, f->more);
}

/* Inline in the loop over the fields: most fields are a number between
 * two literals, and the call cost as much as writing them. */
static inline __attribute__((always_inline)) void
text_field(struct pkl_out *o, const struct pkl_field *f, const struct pkl_text_step *step,
	   const struct pkl_record *r)
{
	if (f->shown && !f->shown(r))
		return;
	if (f->text) {
		f->text(o, r);
		return;
	}
	struct pkl_value v = value_of(f, r);
	if (v.null) {
		if (f->null_text)
			pkl_out_str(o, f->null_text);
		return;
	}
	if ((f->flags & (PKL_FIELD_NONZERO | PKL_FIELD_SENTENCE)) && !is_true(&v))
		return;
	if (step->before_len)
		pkl_out_mem(o, f->before, step->before_len);
	if (f->flags & PKL_FIELD_SENTENCE)
		return;
	if (v.type == PKL_VAL_U64)
		pkl_out_u64(o, v.u);
	else if (v.type == PKL_VAL_LIST)
		text_list(o, f, &v, r);
	else
		text_scalar(o, &v, r);
	if (step->after_one_len && v.type == PKL_VAL_U64 && v.u == 1)
		pkl_out_mem(o, f->after_one, step->after_one_len);
	else if (step->after_len)
		pkl_out_mem(o, f->after, step->after_len);
}

static uint8_t
text_len(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	assert(n <= UINT8_MAX);
	return (uint8_t)n;
}

/* The steps of the text: the fields it tells, by their places. */
static void
plan_text(struct pkl_fields *fs)
{
	uint8_t field_at[MAX_AT] = { 0 };   /* the field's index + 1, 0: none there */

	assert(fs->n <= PKL_RECORD_MAX_FIELDS);
	for (unsigned i = 0; i < fs->n; i++) {
		unsigned at = fs->field[i].at;
		assert(at < MAX_AT && (!at || !field_at[at]));   /* each place taken once */
		if (at)
			field_at[at] = (uint8_t)(i + 1);
	}
	for (unsigned at = 1; at < MAX_AT; at++) {
		if (!field_at[at])
			continue;
		const struct pkl_field *f = &fs->field[field_at[at] - 1];
		fs->text[fs->n_text++] = (struct pkl_text_step){
			.field = (uint8_t)(field_at[at] - 1), .before_len = text_len(f->before),
			.after_len = text_len(f->after), .after_one_len = text_len(f->after_one),
		};
	}
}

void
pkl_record_text(struct pkl_out *o, struct pkl_fields *fs, const struct pkl_record *r)
{
	if (!fs->n_text)
		plan_text(fs);
	for (unsigned k = 0; k < fs->n_text; k++)
		text_field(o, &fs->field[fs->text[k].field], &fs->text[k], r);
}

/* ---- JSON ----------------------------------------------------------------- */

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
		struct pkl_record e = element(r, i);
		pkl_json_elem(j);
		if (f->fields) {
			pkl_json_object_open(j);
			pkl_record_json(j, f->fields, &e);
			pkl_json_object_close(j);
		} else {
			struct pkl_value item = f->item(&e);
			json_scalar(j, &item, &e);
		}
	}
	pkl_json_array_close(j);
}

/* A list of records as one array per field of theirs. */
static void
json_columns(struct pkl_json *j, const struct pkl_field *f, const struct pkl_value *v,
	     const struct pkl_record *r)
{
	for (unsigned k = 0; k < f->fields->n; k++) {
		const struct pkl_field *col = &f->fields->field[k];
		if (!col->key)
			continue;
		pkl_json_key_text(j, col->key, col->key_len);
		pkl_json_array_open(j);
		for (unsigned i = 0; i < v->list.n; i++) {
			struct pkl_record e = element(r, i);
			struct pkl_value item = col->get(&e);
			pkl_json_elem(j);
			json_scalar(j, &item, &e);
		}
		pkl_json_array_close(j);
	}
}

void
pkl_record_json(struct pkl_json *j, const struct pkl_fields *fs, const struct pkl_record *r)
{
	for (unsigned i = 0; i < fs->n; i++) {
		const struct pkl_field *f = &fs->field[i];
		if (f->flags & PKL_FIELD_COLUMNS) {
			struct pkl_value v = value_of(f, r);
			json_columns(j, f, &v, r);
			continue;
		}
		if (!f->key)
			continue;
		pkl_json_key_text(j, f->key, f->key_len);
		struct pkl_value v = value_of(f, r);
		if (v.null)
			pkl_json_null(j);
		else if (v.type == PKL_VAL_U64)
			pkl_json_u64(j, v.u);
		else if (v.type == PKL_VAL_LIST)
			json_list(j, f, &v, r);
		else
			json_scalar(j, &v, r);
	}
}
