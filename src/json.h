/* A JSON writer: objects, arrays, keys and values, written through a
 * struct pkl_out straight into its buffer.
 *
 * Not a JSON library (json-c, jansson): those build a tree per object,
 * which would mean allocations per frame on a path that must run at
 * millions of frames per second, and everything written here is a flat
 * or shallow record whose keys are our own constants.  Strings from
 * elsewhere go through pkl_json_string(), which escapes everything JSON
 * requires, so any input yields valid JSON.
 *
 * Every value follows its key (in an object) or pkl_json_elem() (in an
 * array); the key or pkl_json_elem() writes the comma before it, the
 * value none:
 *
 *     pkl_json_object_open(&j);
 *     PKL_JSON_KEY(&j, "id");
 *     pkl_json_u64(&j, 7);
 *     PKL_JSON_KEY(&j, "frames");
 *     pkl_json_array_open(&j);
 *     for (i = 0; i < n; i++) {
 *             pkl_json_elem(&j);
 *             pkl_json_u64(&j, frame[i]);
 *     }
 *     pkl_json_array_close(&j);
 *     pkl_json_object_close(&j);      {"id":7,"frames":[3,4]}
 *
 * A number in a format of its own (seconds, milliseconds) is written
 * after its key with the pkl_out writers on j->out. */
#ifndef PKL_JSON_H
#define PKL_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "out.h"

struct pkl_json {
	struct pkl_out *out;
	bool comma;          /* the open object or array has a member: the next needs a comma */
};

static inline void
pkl_json_init(struct pkl_json *j, struct pkl_out *out)
{
	*j = (struct pkl_json){ .out = out };
}

static inline __attribute__((always_inline)) void
pkl_json_object_open(struct pkl_json *j)
{
	pkl_out_char(j->out, '{');
	j->comma = false;
}

static inline __attribute__((always_inline)) void
pkl_json_object_close(struct pkl_json *j)
{
	pkl_out_char(j->out, '}');
	j->comma = true;
}

static inline __attribute__((always_inline)) void
pkl_json_array_open(struct pkl_json *j)
{
	pkl_out_char(j->out, '[');
	j->comma = false;
}

static inline __attribute__((always_inline)) void
pkl_json_array_close(struct pkl_json *j)
{
	pkl_out_char(j->out, ']');
	j->comma = true;
}

/* A key from a string literal that needs no escaping: its quotes, colon
 * and leading comma are put together when compiling, and written in one
 * copy, without the comma for an object's first key. */
#define PKL_JSON_KEY_TEXT(name) ",\"" name "\":"
#define PKL_JSON_KEY(j, name) \
	pkl_json_key_text((j), PKL_JSON_KEY_TEXT(name), sizeof PKL_JSON_KEY_TEXT(name) - 1)

/* text is PKL_JSON_KEY_TEXT(name), len its length.  Each branch copies
 * a length known when compiling, which a copy of a length chosen
 * between the two would not be (a call to memcpy instead of a move). */
static inline void
pkl_json_key_text(struct pkl_json *j, const char *text, size_t len)
{
	if (j->comma) {
		pkl_out_mem(j->out, text, len);
	} else {
		j->comma = true;
		pkl_out_mem(j->out, text + 1, len - 1);
	}
}

/* Before each element of an array. */
static inline __attribute__((always_inline)) void
pkl_json_elem(struct pkl_json *j)
{
	if (j->comma)
		pkl_out_char(j->out, ',');
	j->comma = true;
}

static inline void
pkl_json_u64(struct pkl_json *j, uint64_t v)
{
	pkl_out_u64(j->out, v);
}

static inline void
pkl_json_i64(struct pkl_json *j, int64_t v)
{
	pkl_out_i64(j->out, v);
}

/* Microseconds as milliseconds with three decimals. */
static inline void
pkl_json_ms(struct pkl_json *j, uint64_t us)
{
	pkl_out_ms(j->out, us);
}

/* Two calls rather than one of a ?: so that each copies a literal of
 * known length. */
static inline void
pkl_json_bool(struct pkl_json *j, bool v)
{
	if (v)
		pkl_out_str(j->out, "true");
	else
		pkl_out_str(j->out, "false");
}

static inline __attribute__((always_inline)) void
pkl_json_null(struct pkl_json *j)
{
	pkl_out_str(j->out, "null");
}

/* Any NUL-terminated string, escaped as JSON requires. */
void pkl_json_string(struct pkl_json *j, const char *s);

/* One of our own names (a protocol, a state, a kind): no character of
 * it needs escaping, so it is copied as it is, with its quotes, after
 * one look for room.  Inline, so that a literal's length is known when
 * compiling. */
static inline __attribute__((always_inline)) void
pkl_json_name(struct pkl_json *j, const char *name)
{
	struct pkl_out *o = j->out;
	size_t n = strlen(name), len = o->len;

	if (n + 2 < o->cap - len) {
		char *d = o->buf + len;
		d[0] = '"';
		memcpy(d + 1, name, n);
		d[n + 1] = '"';
		o->len = len + n + 2;
	} else {
		pkl_out_char(o, '"');
		pkl_out_mem(o, name, n);
		pkl_out_char(o, '"');
	}
}

/* Addresses, as strings. */
static inline void
pkl_json_ipv4(struct pkl_json *j, const uint8_t a[4])
{
	pkl_out_char(j->out, '"');
	pkl_out_ipv4(j->out, a);
	pkl_out_char(j->out, '"');
}

static inline void
pkl_json_ipv6(struct pkl_json *j, const uint8_t a[16])
{
	pkl_out_char(j->out, '"');
	pkl_out_ipv6(j->out, a);
	pkl_out_char(j->out, '"');
}

/* An IPv4 (family 4) or IPv6 address. */
static inline void
pkl_json_address(struct pkl_json *j, int family, const uint8_t *a)
{
	if (family == 4)
		pkl_json_ipv4(j, a);
	else
		pkl_json_ipv6(j, a);
}

static inline void
pkl_json_mac(struct pkl_json *j, const uint8_t m[6])
{
	pkl_out_char(j->out, '"');
	pkl_out_mac(j->out, m);
	pkl_out_char(j->out, '"');
}

/* "10.0.0.1:80" or "[fd77::1]:80" (see pkl_out_endpoint). */
static inline __attribute__((always_inline)) void
pkl_json_endpoint(struct pkl_json *j, int family, const uint8_t *addr, uint16_t port)
{
	pkl_out_char(j->out, '"');
	pkl_out_endpoint(j->out, family, addr, port);
	pkl_out_char(j->out, '"');
}

#endif
