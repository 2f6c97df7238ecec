/* The -Y field filter (dfilter.h): a lexer, a recursive-descent parser
 * that checks every field and value against packet_fields.h while
 * compiling, and an evaluator over the compiled nodes.
 *
 * The names, types and values of the fields are those of the JSON view,
 * expanded here from the same lists; only Wireshark's either-side
 * fields (ip.addr, ...), tcp.analysis.flags and the protocol name mdns
 * are the filter's own, defined over them. */
#include "dfilter.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../dissectors/http.h"
#include "packet_fields.h"

/* ---- the fields ------------------------------------------------------------ */

enum field_id {
#define LAYER_ID(id, proto, name, has, TYPE, value) PKL_FIELD_##id,
#define ITEM_ID(id, proto, name, items, has, TYPE, value) PKL_FIELD_##id,
#define ONE_ID(id, name, has, TYPE, value) PKL_FIELD_##id,
	PKL_FRAME_FIELDS(ONE_ID)
	PKL_FRAME_TAIL_FIELDS(ONE_ID)
	PKL_LAYER_FIELDS(LAYER_ID)
	PKL_ITEM_FIELDS(ITEM_ID)
	PKL_CONN_HEAD_FIELDS(ONE_ID)
	PKL_CONN_TAIL_FIELDS(ONE_ID)
#define PKL_TA(code, name, label) PKL_FIELD_TA_##code,
#include "tcp_analysis.def"
#undef PKL_TA
	PKL_FIELD_TA_ANY,              /* tcp.analysis.flags */
	PKL_FIELD_COUNT
};

/* What a value is, as the filter compares it. */
enum kind {
	K_NONE,        /* no value: only present or not (tcp.analysis.flags) */
	K_NUM,         /* a signed number */
	K_BOOL,        /* 0 or 1 */
	K_TIME,        /* nanoseconds */
	K_STR,
	K_IPV4,
	K_IPV6,
	K_MAC,
};

#define KIND_U64 K_NUM
#define KIND_I64 K_NUM
#define KIND_BOOL K_BOOL
#define KIND_MAC K_MAC
#define KIND_IPV4 K_IPV4
#define KIND_IPV6 K_IPV6
#define KIND_CKSUM K_STR
#define KIND_NAME K_STR
#define KIND_STRING K_STR
#define KIND_SECONDS_US K_TIME
#define KIND_EPOCH K_TIME
#define KIND_RELTIME K_TIME
#define KIND_STEP K_STR
#define KIND_EVENT K_STR
#define KIND_SPAN K_STR

enum scope { S_FRAME, S_LAYER, S_ITEMS, S_CONN, S_ANALYSIS };

static const struct field_info {
	const char *name;
	enum kind kind;
	enum scope scope;
	enum pkl_proto proto;          /* S_LAYER, S_ITEMS */
	uint32_t bits;                 /* S_ANALYSIS: the findings that make it present */
} fields[PKL_FIELD_COUNT] = {
#define LAYER_INFO(id, proto, name, has, TYPE, value) \
	[PKL_FIELD_##id] = { name, KIND_##TYPE, S_LAYER, PKL_PROTO_##proto, 0 },
#define ITEM_INFO(id, proto, name, items, has, TYPE, value) \
	[PKL_FIELD_##id] = { name, KIND_##TYPE, S_ITEMS, PKL_PROTO_##proto, 0 },
#define FRAME_INFO(id, name, has, TYPE, value) [PKL_FIELD_##id] = { name, KIND_##TYPE, S_FRAME, 0, 0 },
#define CONN_INFO(id, name, has, TYPE, value) [PKL_FIELD_##id] = { name, KIND_##TYPE, S_CONN, 0, 0 },
	PKL_FRAME_FIELDS(FRAME_INFO)
	PKL_FRAME_TAIL_FIELDS(FRAME_INFO)
	PKL_LAYER_FIELDS(LAYER_INFO)
	PKL_ITEM_FIELDS(ITEM_INFO)
	PKL_CONN_HEAD_FIELDS(CONN_INFO)
	PKL_CONN_TAIL_FIELDS(CONN_INFO)
#define PKL_TA(code, name, label) \
	[PKL_FIELD_TA_##code] = { "tcp.analysis." name, K_BOOL, S_ANALYSIS, 0, PKL_TA_##code },
#include "tcp_analysis.def"
#undef PKL_TA
	[PKL_FIELD_TA_ANY] = { "tcp.analysis.flags", K_NONE, S_ANALYSIS, 0, ~0u },
};

/* Wireshark's fields for either end: a value of either field. */
static const struct {
	const char *name;
	enum field_id a, b;
} either[] = {
	{ "eth.addr", PKL_FIELD_ETH_SRC, PKL_FIELD_ETH_DST },
	{ "ip.addr", PKL_FIELD_IP_SRC, PKL_FIELD_IP_DST },
	{ "ipv6.addr", PKL_FIELD_IPV6_SRC, PKL_FIELD_IPV6_DST },
	{ "tcp.port", PKL_FIELD_TCP_SRCPORT, PKL_FIELD_TCP_DSTPORT },
	{ "udp.port", PKL_FIELD_UDP_SRCPORT, PKL_FIELD_UDP_DSTPORT },
};

/* ---- the compiled expression ------------------------------------------------ */

enum op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS };

enum node_kind {
	N_AND, N_OR, N_NOT,
	N_TRUE,        /* frame */
	N_CONN,        /* conn: the tracker followed the frame's connection */
	N_LAYER,       /* a protocol name */
	N_EXISTS,      /* a field alone */
	N_CMP,
};

/* The filter's own protocol names: the frame, the connection, and
 * Wireshark's mdns, multicast DNS, which pktlens decodes as a dns layer
 * (with dns.* fields, as Wireshark's) and Wireshark's dns leaves out. */
static const struct {
	const char *name;
	enum node_kind kind;
	enum pkl_proto proto;
	bool mdns;
} own_protocols[] = {
	{ "frame", N_TRUE, 0, false },
	{ "conn", N_CONN, 0, false },
	{ "mdns", N_LAYER, PKL_PROTO_DNS, true },
};

struct literal {
	int64_t n;                     /* K_NUM, K_BOOL, K_TIME */
	uint8_t bytes[16];             /* K_IPV4, K_IPV6, K_MAC */
	unsigned prefix;               /* bits of an address compared (CIDR) */
	const char *s;                 /* K_STR: in the filter's own copy */
};

struct node {
	enum node_kind kind;
	unsigned a, b;                 /* operands of N_AND, N_OR (a, b), N_NOT (a) */
	enum field_id field[2];        /* N_EXISTS, N_CMP: one, or either of two */
	unsigned nfields;
	enum pkl_proto proto;          /* N_LAYER (SLL also SLL2) */
	bool mdns;                     /* N_LAYER of DNS: multicast DNS, not unicast */
	enum op op;
	struct literal lit;
};

struct pkl_dfilter {
	unsigned root;
	unsigned n;
	struct node *nodes;
	char *strings;                 /* the string values, unescaped */
};

/* ---- lexing ----------------------------------------------------------------- */

enum tok_kind { T_END, T_LPAREN, T_RPAREN, T_AND, T_OR, T_NOT, T_OP, T_WORD, T_STRING, T_BAD };

struct token {
	enum tok_kind kind;
	size_t pos, len;
	enum op op;
};

struct parser {
	const char *expr;
	size_t at;                     /* where the next token starts */
	struct token tok;              /* the current one */
	struct pkl_dfilter *df;
	size_t strings_used;
	unsigned depth;
	char *errbuf;
	bool failed;
};

/* The characters of a word: field names, numbers, addresses (IPv6 and
 * MAC with colons, CIDR with a slash), bare strings. */
static bool
word_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == ':' || c == '/' ||
	       c == '-';
}

static const struct {
	const char *word;
	enum tok_kind kind;
	enum op op;
} keywords[] = {
	{ "and", T_AND, 0 }, { "or", T_OR, 0 }, { "not", T_NOT, 0 },
	{ "eq", T_OP, OP_EQ }, { "ne", T_OP, OP_NE }, { "lt", T_OP, OP_LT },
	{ "le", T_OP, OP_LE }, { "gt", T_OP, OP_GT }, { "ge", T_OP, OP_GE },
	{ "contains", T_OP, OP_CONTAINS },
};

static const struct {
	const char *text;
	enum tok_kind kind;
	enum op op;
} symbols[] = {   /* longest first */
	{ "&&", T_AND, 0 }, { "||", T_OR, 0 }, { "==", T_OP, OP_EQ }, { "!=", T_OP, OP_NE },
	{ "<=", T_OP, OP_LE }, { ">=", T_OP, OP_GE }, { "<", T_OP, OP_LT }, { ">", T_OP, OP_GT },
	{ "!", T_NOT, 0 }, { "(", T_LPAREN, 0 }, { ")", T_RPAREN, 0 },
};

static void
next(struct parser *p)
{
	const char *e = p->expr;
	size_t i = p->at;

	while (isspace((unsigned char)e[i]))
		i++;
	p->tok = (struct token){ .kind = T_END, .pos = i, .len = 0 };
	if (!e[i]) {
		p->at = i;
		return;
	}
	if (e[i] == '"') {
		size_t j = i + 1;
		while (e[j] && e[j] != '"')
			j += e[j] == '\\' && e[j + 1] ? 2 : 1;
		p->tok.kind = e[j] ? T_STRING : T_BAD;
		p->tok.len = (e[j] ? j + 1 : j) - i;
		p->at = i + p->tok.len;
		return;
	}
	for (size_t k = 0; k < sizeof symbols / sizeof symbols[0]; k++) {
		size_t n = strlen(symbols[k].text);
		if (strncmp(e + i, symbols[k].text, n) == 0) {
			p->tok.kind = symbols[k].kind;
			p->tok.op = symbols[k].op;
			p->tok.len = n;
			p->at = i + n;
			return;
		}
	}
	size_t j = i;
	while (word_char(e[j]))
		j++;
	p->tok.len = j > i ? j - i : 1;
	p->at = i + p->tok.len;
	if (j == i) {
		p->tok.kind = T_BAD;
		return;
	}
	p->tok.kind = T_WORD;
	for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
		if (strlen(keywords[k].word) == p->tok.len &&
		    strncmp(e + i, keywords[k].word, p->tok.len) == 0) {
			p->tok.kind = keywords[k].kind;
			p->tok.op = keywords[k].op;
		}
}

/* ---- errors ---------------------------------------------------------------- */

/* The sentence, then the expression and a caret under [pos, pos + len). */
static void __attribute__((format(printf, 4, 5)))
fail_at(struct parser *p, size_t pos, size_t len, const char *fmt, ...)
{
	char *b = p->errbuf;
	size_t size = PKL_DFILTER_ERRBUF_SIZE, n;
	va_list ap;

	if (p->failed)
		return;
	p->failed = true;
	va_start(ap, fmt);
	n = (size_t)vsnprintf(b, size, fmt, ap);
	va_end(ap);
	/* The expression and the caret need room for twice its length. */
	if (n >= size || 2 * strlen(p->expr) + 8 > size - n)
		return;
	n += (size_t)snprintf(b + n, size - n, "\n  %s\n  %*s^", p->expr, (int)pos, "");
	for (size_t i = 1; i < len && n + 2 < size; i++)
		b[n++] = '~';
	b[n] = '\0';
}

/* Wireshark's, beyond the subset: said so rather than "unexpected". */
static const char *const beyond[] = {
	"matches", "~", "in", "xor", "^^", "[", "{", "any_eq", "all_ne", "len", "upper", "lower",
	"count", "+", "*", "&",
};

static void
fail_tok(struct parser *p, const char *what)
{
	const struct token *t = &p->tok;
	const char *text = p->expr + t->pos;

	for (size_t i = 0; i < sizeof beyond / sizeof beyond[0]; i++)
		if (strncmp(text, beyond[i], strlen(beyond[i])) == 0 &&
		    (t->kind != T_WORD || strlen(beyond[i]) == t->len)) {
			fail_at(p, t->pos, strlen(beyond[i]), "'%s' is Wireshark's, beyond the subset "
				"pktlens reads (see README: Field filter)", beyond[i]);
			return;
		}
	if (t->kind == T_END)
		fail_at(p, t->pos, 1, "the filter ends where %s was expected", what);
	else if (t->kind == T_BAD && p->expr[t->pos] == '"')
		fail_at(p, t->pos, t->len, "this string has no closing quote");
	else
		fail_at(p, t->pos, t->len, "'%.*s' where %s was expected", (int)t->len,
			p->expr + t->pos, what);
}

/* Levenshtein distance, capped: names are short. */
static unsigned
distance(const char *a, size_t la, const char *b)
{
	unsigned row[64], lb = (unsigned)strlen(b);

	if (la >= 63 || lb >= 63)
		return 99;
	for (unsigned j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0];
		row[0] = (unsigned)i;
		for (unsigned j = 1; j <= lb; j++) {
			unsigned up = row[j];
			unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
			unsigned best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* Every name the filter knows, in turn: fields, either-side fields,
 * protocols, the filter's own.  NULL after the last. */
static const char *
known_name(unsigned i)
{
	if (i < PKL_FIELD_COUNT)
		return fields[i].name;
	i -= PKL_FIELD_COUNT;
	if (i < sizeof either / sizeof either[0])
		return either[i].name;
	i -= (unsigned)(sizeof either / sizeof either[0]);
	if (i < PKL_PROTO_COUNT)
		return i == PKL_PROTO_NONE || i == PKL_PROTO_UNKNOWN ? "" : pkl_proto_name(i);
	i -= PKL_PROTO_COUNT;
	return i < sizeof own_protocols / sizeof own_protocols[0] ? own_protocols[i].name : NULL;
}

/* "'x' is not a field ...; the nearest: a, b, c". */
static void
fail_unknown(struct parser *p, const struct token *t)
{
	const char *word = p->expr + t->pos, *best[3] = { NULL, NULL, NULL };
	unsigned bestd[3] = { 99, 99, 99 };
	const char *name;

	for (unsigned i = 0; (name = known_name(i)); i++) {
		unsigned d = distance(word, t->len, name);
		bool seen = false;
		for (unsigned k = 0; k < 3; k++)
			seen |= best[k] && strcmp(best[k], name) == 0;
		if (!*name || seen || d >= bestd[2])
			continue;
		unsigned k = 2;
		for (; k > 0 && d < bestd[k - 1]; k--) {
			best[k] = best[k - 1];
			bestd[k] = bestd[k - 1];
		}
		best[k] = name;
		bestd[k] = d;
	}
	/* Names that far off are no help. */
	for (unsigned k = 0; k < 3; k++)
		if (best[k] && bestd[k] > t->len / 2 + 1)
			best[k] = NULL;
	if (!best[0])
		fail_at(p, t->pos, t->len, "'%.*s' is not a field or protocol pktlens knows "
			"(the keys of --json are)", (int)t->len, word);
	else
		fail_at(p, t->pos, t->len, "'%.*s' is not a field or protocol pktlens knows; the "
			"nearest: %s%s%s%s%s", (int)t->len, word, best[0], best[1] ? ", " : "",
			best[1] ? best[1] : "", best[2] ? ", " : "", best[2] ? best[2] : "");
}

/* ---- values ---------------------------------------------------------------- */

static const char *const kind_names[] = {
	[K_NONE] = "a mark without a value", [K_NUM] = "a number", [K_BOOL] = "a boolean (1, 0, true, false)",
	[K_TIME] = "seconds", [K_STR] = "a string", [K_IPV4] = "an IPv4 address",
	[K_IPV6] = "an IPv6 address", [K_MAC] = "a MAC address",
};

static bool
parse_number(const char *s, int64_t *out)
{
	char *end;

	errno = 0;
	long long v = strtoll(s, &end, 0);   /* decimal, 0x hex, 0 octal, as Wireshark */
	if (errno || end == s || *end)
		return false;
	*out = v;
	return true;
}

/* Seconds with up to nine decimals, as nanoseconds. */
static bool
parse_seconds(const char *s, int64_t *ns)
{
	bool neg = *s == '-';
	int64_t whole = 0, frac = 0;
	int digits = 0;
	const char *c = s + neg;

	if (!isdigit((unsigned char)*c) && *c != '.')
		return false;
	for (; isdigit((unsigned char)*c); c++) {
		if (whole > INT64_MAX / 10000000000)
			return false;
		whole = whole * 10 + (*c - '0');
	}
	if (*c == '.')
		for (c++; isdigit((unsigned char)*c); c++)
			if (digits < 9) {
				frac = frac * 10 + (*c - '0');
				digits++;
			}
	if (*c)
		return false;
	for (; digits < 9; digits++)
		frac *= 10;
	*ns = (whole * 1000000000 + frac) * (neg ? -1 : 1);
	return true;
}

static bool
parse_mac(const char *s, uint8_t m[6])
{
	unsigned v[6];
	char sep[5], end;

	if (sscanf(s, "%2x%c%2x%c%2x%c%2x%c%2x%c%2x%c", &v[0], &sep[0], &v[1], &sep[1], &v[2],
		   &sep[2], &v[3], &sep[3], &v[4], &sep[4], &v[5], &end) != 11)
		return false;
	for (int i = 0; i < 5; i++)
		if (sep[i] != sep[0] || (sep[0] != ':' && sep[0] != '-' && sep[0] != '.'))
			return false;
	for (int i = 0; i < 6; i++)
		m[i] = (uint8_t)v[i];
	return true;
}

/* An address, with an optional /prefix. */
static bool
parse_address(const char *s, enum kind k, struct literal *lit)
{
	char text[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned bits = k == K_IPV4 ? 32 : 128;
	int64_t prefix = bits;

	if (n >= sizeof text)
		return false;
	memcpy(text, s, n);
	text[n] = '\0';
	if (inet_pton(k == K_IPV4 ? AF_INET : AF_INET6, text, lit->bytes) != 1)
		return false;
	if (slash && (!isdigit((unsigned char)slash[1]) || !parse_number(slash + 1, &prefix) ||
		      prefix < 0 || prefix > bits))
		return false;
	lit->prefix = (unsigned)prefix;
	return true;
}

/* The value token t as a value of field f's kind into lit.  Returns false
 * after saying why. */
static bool
parse_value(struct parser *p, const struct token *t, const struct field_info *f, enum op op,
	    struct literal *lit)
{
	const char *src = p->expr + t->pos;
	char word[128];

	if (t->kind == T_STRING) {
		char *d = p->df->strings + p->strings_used;
		lit->s = d;
		for (size_t i = 1; i + 1 < t->len; i++) {
			if (src[i] == '\\')
				i++;
			*d++ = src[i];
		}
		*d++ = '\0';
		p->strings_used = (size_t)(d - p->df->strings);
		if (f->kind == K_STR)
			return true;
		if (t->len - 2 >= sizeof word)
			goto bad;
		snprintf(word, sizeof word, "%s", lit->s);   /* "10.0.0.1" as 10.0.0.1 */
	} else {
		if (t->len >= sizeof word)
			goto bad;
		snprintf(word, sizeof word, "%.*s", (int)t->len, src);
	}
	if (op == OP_CONTAINS && f->kind != K_STR) {
		fail_at(p, t->pos, t->len, "contains takes a string field; %s is %s", f->name,
			kind_names[f->kind]);
		return false;
	}
	switch (f->kind) {
	case K_NONE:
		fail_at(p, t->pos, t->len, "%s has no value to compare: test it alone", f->name);
		return false;
	case K_NUM:
		if (!parse_number(word, &lit->n))
			goto bad;
		return true;
	case K_BOOL:
		if (strcmp(word, "true") == 0 || strcmp(word, "True") == 0 ||
		    strcmp(word, "TRUE") == 0)
			lit->n = 1;
		else if (strcmp(word, "false") == 0 || strcmp(word, "False") == 0 ||
			 strcmp(word, "FALSE") == 0)
			lit->n = 0;
		else if (!parse_number(word, &lit->n))
			goto bad;
		return true;
	case K_TIME:
		if (!parse_seconds(word, &lit->n))
			goto bad;
		return true;
	case K_STR:
		lit->s = p->df->strings + p->strings_used;
		memcpy(p->df->strings + p->strings_used, src, t->len);
		p->df->strings[p->strings_used + t->len] = '\0';
		p->strings_used += t->len + 1;
		return true;
	case K_IPV4:
	case K_IPV6:
		if (!parse_address(word, f->kind, lit))
			goto bad;
		if (lit->prefix != (f->kind == K_IPV4 ? 32u : 128u) && op != OP_EQ && op != OP_NE) {
			fail_at(p, t->pos, t->len, "a network (/prefix) takes == or != only");
			return false;
		}
		return true;
	case K_MAC:
		if (!parse_mac(word, lit->bytes))
			goto bad;
		return true;
	}
bad:
	fail_at(p, t->pos, t->len, "'%.*s' is not %s, which %s holds", (int)t->len, src,
		kind_names[f->kind], f->name);
	return false;
}

/* ---- parsing ---------------------------------------------------------------- */

#define MAX_DEPTH 64

static unsigned
add(struct parser *p, struct node n)
{
	p->df->nodes[p->df->n] = n;
	return p->df->n++;
}

static unsigned parse_or(struct parser *p);

/* The field or protocol the word names: 0 with the node filled for a
 * protocol, frame or conn (no operator may follow), 1 with the fields
 * filled, -1 after saying it is unknown. */
static int
resolve(struct parser *p, const struct token *t, struct node *n)
{
	const char *w = p->expr + t->pos;
	size_t len = t->len;

#define IS(name) (strlen(name) == len && strncmp(w, (name), len) == 0)
	for (unsigned i = 0; i < PKL_FIELD_COUNT; i++)
		if (IS(fields[i].name)) {
			n->field[0] = i;
			n->nfields = 1;
			return 1;
		}
	for (unsigned i = 0; i < sizeof either / sizeof either[0]; i++)
		if (IS(either[i].name)) {
			n->field[0] = either[i].a;
			n->field[1] = either[i].b;
			n->nfields = 2;
			return 1;
		}
	for (unsigned i = 0; i < PKL_PROTO_COUNT; i++)
		if (i != PKL_PROTO_NONE && i != PKL_PROTO_UNKNOWN && IS(pkl_proto_name(i))) {
			n->kind = N_LAYER;
			n->proto = i == PKL_PROTO_SLL2 ? PKL_PROTO_SLL : i;
			return 0;
		}
	for (unsigned i = 0; i < sizeof own_protocols / sizeof own_protocols[0]; i++)
		if (IS(own_protocols[i].name)) {
			n->kind = own_protocols[i].kind;
			n->proto = own_protocols[i].proto;
			n->mdns = own_protocols[i].mdns;
			return 0;
		}
#undef IS
	fail_unknown(p, t);
	return -1;
}

/* A field alone, a protocol, or a comparison. */
static unsigned
parse_test(struct parser *p)
{
	struct token name = p->tok;
	struct node n = { .kind = N_EXISTS };

	if (name.kind != T_WORD) {
		fail_tok(p, "a field or protocol name");
		return 0;
	}
	int r = resolve(p, &name, &n);
	if (r < 0)
		return 0;
	next(p);
	if (p->tok.kind != T_OP)
		return add(p, n);
	if (r == 0) {
		fail_at(p, name.pos, name.len, "'%.*s' is a protocol: compare one of its fields",
			(int)name.len, p->expr + name.pos);
		return 0;
	}
	n.kind = N_CMP;
	n.op = p->tok.op;
	next(p);
	if (p->tok.kind != T_WORD && p->tok.kind != T_STRING) {
		fail_tok(p, "a value");
		return 0;
	}
	if (!parse_value(p, &p->tok, &fields[n.field[0]], n.op, &n.lit))
		return 0;
	next(p);
	return add(p, n);
}

static unsigned
parse_unary(struct parser *p)
{
	if (++p->depth > MAX_DEPTH) {
		fail_at(p, p->tok.pos, p->tok.len, "the filter nests deeper than %d", MAX_DEPTH);
		return 0;
	}
	unsigned r;
	if (p->tok.kind == T_NOT) {
		next(p);
		unsigned a = parse_unary(p);
		r = add(p, (struct node){ .kind = N_NOT, .a = a });
	} else if (p->tok.kind == T_LPAREN) {
		struct token open = p->tok;
		next(p);
		r = parse_or(p);
		if (!p->failed && p->tok.kind != T_RPAREN) {
			if (p->tok.kind == T_END)
				fail_at(p, open.pos, 1, "this parenthesis is never closed");
			else
				fail_tok(p, "')', && or ||");
		}
		next(p);
	} else {
		r = parse_test(p);
	}
	p->depth--;
	return r;
}

static unsigned
parse_and(struct parser *p)
{
	unsigned a = parse_unary(p);

	while (!p->failed && p->tok.kind == T_AND) {
		next(p);
		unsigned b = parse_unary(p);
		a = add(p, (struct node){ .kind = N_AND, .a = a, .b = b });
	}
	return a;
}

static unsigned
parse_or(struct parser *p)
{
	unsigned a = parse_and(p);

	while (!p->failed && p->tok.kind == T_OR) {
		next(p);
		unsigned b = parse_and(p);
		a = add(p, (struct node){ .kind = N_OR, .a = a, .b = b });
	}
	return a;
}

struct pkl_dfilter *
pkl_dfilter_compile(const char *expr, char errbuf[PKL_DFILTER_ERRBUF_SIZE])
{
	size_t len = strlen(expr);
	struct pkl_dfilter *df = calloc(1, sizeof *df);
	struct parser p = { .expr = expr, .df = df, .errbuf = errbuf };

	/* A node per token at most, a token per character; the strings
	 * are shorter than the expression. */
	if (df) {
		df->nodes = calloc(len + 1, sizeof *df->nodes);
		df->strings = malloc(len + 1);
	}
	if (!df || !df->nodes || !df->strings) {
		snprintf(errbuf, PKL_DFILTER_ERRBUF_SIZE, "out of memory for the filter");
		pkl_dfilter_free(df);
		return NULL;
	}
	next(&p);
	if (p.tok.kind == T_END) {
		fail_at(&p, 0, 1, "the filter is empty");
	} else {
		df->root = parse_or(&p);
		if (!p.failed && p.tok.kind != T_END)
			fail_tok(&p, "&&, || or the end");
	}
	if (p.failed) {
		pkl_dfilter_free(df);
		return NULL;
	}
	return df;
}

void
pkl_dfilter_free(struct pkl_dfilter *df)
{
	if (!df)
		return;
	free(df->nodes);
	free(df->strings);
	free(df);
}

/* ---- evaluation --------------------------------------------------------------- */

struct value {
	int64_t n;
	const uint8_t *bytes;
	const char *s;
};

struct eval {
	const struct pkl_packet *pkt;
	const struct pkl_conn_snapshot *c;   /* NULL: no connection */
	const struct pkl_clock *clock;
	/* A value written out (a step, an event, a span of an HTTP
	 * line, the longest). */
	char text[PKL_HTTP_LINE_MAX + 1];
};

static int64_t
epoch_ns(const struct pkl_frame *f)
{
	return f->ts_sec * 1000000000 + f->ts_nsec;
}

static int64_t
reltime_ns(const struct pkl_clock *clock, const struct pkl_frame *f)
{
	if (!clock->started)
		return 0;
	return (f->ts_sec - clock->first_sec) * 1000000000 +
	       ((int64_t)f->ts_nsec - clock->first_nsec);
}

/* The value of TYPE, from the lists' expression x, into v. */
#define GET_U64(x) (v->n = (int64_t)(x))
#define GET_I64(x) (v->n = (x))
#define GET_BOOL(x) (v->n = !!(x))
#define GET_MAC(x) (v->bytes = (x))
#define GET_IPV4(x) (v->bytes = (x))
#define GET_IPV6(x) (v->bytes = (x))
#define GET_CKSUM(x) (v->s = pkl_checksum_status_name(x))
#define GET_NAME(x) (v->s = (x))
#define GET_STRING(x) (v->s = (x))
#define GET_SECONDS_US(x) (v->n = (int64_t)(x) * 1000)
#define GET_EPOCH(x) (v->n = epoch_ns(x))
#define GET_RELTIME(x) (v->n = reltime_ns(e->clock, (x)))
#define GET_STEP(x) (pkl_conn_step_format((x), e->text), v->s = e->text)
#define GET_EVENT(x) (pkl_event_format((x)->code, (x)->arg, e->text, sizeof e->text), \
		      v->s = e->text)
#define GET_SPAN(x) (span_text(e->text, L, (x)), v->s = e->text)

static void
span_text(char text[PKL_HTTP_LINE_MAX + 1], const struct pkl_layer *L, struct pkl_http_span s)
{
	memcpy(text, pkl_http_text(L, s), s.len);
	text[s.len] = '\0';
}

static bool
frame_value(struct eval *e, enum field_id id, struct value *v)
{
	const struct pkl_packet *pkt = e->pkt;

	switch (id) {
#define FRAME_GET(id, name, has, TYPE, value)                           \
	case PKL_FIELD_##id:                                            \
		if (!has(pkt))                                          \
			return false;                                   \
		GET_##TYPE(value);                                      \
		return true;
	PKL_FRAME_FIELDS(FRAME_GET)
	PKL_FRAME_TAIL_FIELDS(FRAME_GET)
	default:
		return false;
	}
}

static bool
layer_value(struct eval *e, enum field_id id, const struct pkl_layer *L, struct value *v)
{
	switch (id) {
#define LAYER_GET(id, proto, name, has, TYPE, value)                    \
	case PKL_FIELD_##id:                                            \
		if (!has(L))                                            \
			return false;                                   \
		GET_##TYPE(value);                                      \
		return true;
	PKL_LAYER_FIELDS(LAYER_GET)
	default:
		return false;
	}
}

static bool
conn_value(struct eval *e, enum field_id id, struct value *v)
{
	const struct pkl_packet *pkt = e->pkt;
	const struct pkl_conn_snapshot *c = e->c;

	if (!c)
		return false;
	switch (id) {
#define CONN_GET(id, name, has, TYPE, value)                            \
	case PKL_FIELD_##id:                                            \
		if (!has(pkt, c))                                       \
			return false;                                   \
		GET_##TYPE(value);                                      \
		return true;
	PKL_CONN_HEAD_FIELDS(CONN_GET)
	PKL_CONN_TAIL_FIELDS(CONN_GET)
	default:
		return false;
	}
}

/* Does the prefix of bits of a equal b's? */
static bool
same_network(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, whole) != 0)
		return false;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

/* One value of the field against the node's operator and value (OP_NE
 * as OP_EQ: the caller negates). */
static bool
test(const struct node *n, enum kind k, const struct value *v)
{
	int cmp;

	switch (k) {
	case K_NONE:
		return true;
	case K_NUM:
	case K_BOOL:
	case K_TIME:
		cmp = v->n < n->lit.n ? -1 : v->n > n->lit.n;
		break;
	case K_STR:
		if (n->op == OP_CONTAINS)
			return strstr(v->s, n->lit.s) != NULL;
		cmp = strcmp(v->s, n->lit.s);
		break;
	case K_IPV4:
	case K_IPV6:
		if (n->lit.prefix != (k == K_IPV4 ? 32u : 128u))
			return same_network(v->bytes, n->lit.bytes, n->lit.prefix);
		cmp = memcmp(v->bytes, n->lit.bytes, k == K_IPV4 ? 4 : 16);
		break;
	case K_MAC:
		cmp = memcmp(v->bytes, n->lit.bytes, 6);
		break;
	default:
		return false;
	}
	switch (n->op) {
	case OP_EQ:
	case OP_NE: return cmp == 0;
	case OP_LT: return cmp < 0;
	case OP_LE: return cmp <= 0;
	case OP_GT: return cmp > 0;
	case OP_GE: return cmp >= 0;
	case OP_CONTAINS: return false;
	}
	return false;
}

/* The layer's protocol as the filter names it: SLL stands for SLL2. */
static enum pkl_proto
layer_proto(const struct pkl_layer *L)
{
	return L->proto == PKL_PROTO_SLL2 ? PKL_PROTO_SLL : L->proto;
}

/* Is L a layer of the protocol an N_LAYER node names? */
static bool
is_layer(const struct node *n, const struct pkl_layer *L)
{
	return layer_proto(L) == n->proto &&
	       (n->proto != PKL_PROTO_DNS || L->hdr.dns.mdns == n->mdns);
}

/* Does an item of layer L (a question, a record) hold field id with a
 * value that passes the node's test, or with compare false, hold it at
 * all? */
static bool
any_item(const struct node *n, enum field_id id, const struct pkl_layer *L, bool compare)
{
	struct value val = { 0 }, *v = &val;

	switch (id) {
#define ITEM_MATCH(id, proto, name, items, has, TYPE, value)                    \
	case PKL_FIELD_##id:                                                    \
		for (unsigned I = 0; I < items(L); I++) {                       \
			if (!has(L, I))                                         \
				continue;                                       \
			GET_##TYPE(value);                                      \
			if (!compare || test(n, KIND_##TYPE, v))                \
				return true;                                    \
		}                                                               \
		return false;
	PKL_ITEM_FIELDS(ITEM_MATCH)
	default:
		return false;
	}
}

/* Does any value of field id pass the node's test, or with compare
 * false, is there any value at all? */
static bool
any_value(struct eval *e, const struct node *n, enum field_id id, bool compare)
{
	const struct field_info *f = &fields[id];
	struct value v = { 0 };

	switch (f->scope) {
	case S_FRAME:
		return frame_value(e, id, &v) && (!compare || test(n, f->kind, &v));
	case S_CONN:
		return conn_value(e, id, &v) && (!compare || test(n, f->kind, &v));
	case S_ANALYSIS:
		if (!e->c || !(e->c->analysis.flags & f->bits))
			return false;
		v.n = 1;
		return !compare || test(n, f->kind, &v);
	case S_LAYER:
		for (unsigned i = 0; i < e->pkt->n_layers; i++) {
			const struct pkl_layer *L = &e->pkt->layers[i];
			if (layer_proto(L) == f->proto && layer_value(e, id, L, &v) &&
			    (!compare || test(n, f->kind, &v)))
				return true;
		}
		return false;
	case S_ITEMS:
		for (unsigned i = 0; i < e->pkt->n_layers; i++) {
			const struct pkl_layer *L = &e->pkt->layers[i];
			if (layer_proto(L) == f->proto && any_item(n, id, L, compare))
				return true;
		}
		return false;
	}
	return false;
}

/* Of either field, when the node has two. */
static bool
any_field(struct eval *e, const struct node *n, bool compare)
{
	for (unsigned k = 0; k < n->nfields; k++)
		if (any_value(e, n, n->field[k], compare))
			return true;
	return false;
}

static bool
eval(struct eval *e, const struct pkl_dfilter *df, unsigned i)
{
	const struct node *n = &df->nodes[i];

	switch (n->kind) {
	case N_AND:
		return eval(e, df, n->a) && eval(e, df, n->b);
	case N_OR:
		return eval(e, df, n->a) || eval(e, df, n->b);
	case N_NOT:
		return !eval(e, df, n->a);
	case N_TRUE:
		return true;
	case N_CONN:
		return e->c != NULL;
	case N_LAYER:
		for (unsigned k = 0; k < e->pkt->n_layers; k++)
			if (is_layer(n, &e->pkt->layers[k]))
				return true;
		return false;
	case N_EXISTS:
		return any_field(e, n, false);
	case N_CMP:
		/* != is Wireshark's "all not equal" (3.6 and later): the
		 * field is there, and no value of it is equal. */
		if (n->op == OP_NE)
			return any_field(e, n, false) && !any_field(e, n, true);
		return any_field(e, n, true);
	}
	return false;
}

bool
pkl_dfilter_match(const struct pkl_dfilter *df, const struct pkl_packet *pkt,
		  const struct pkl_notes *notes, const struct pkl_clock *clock)
{
	struct eval e = { .pkt = pkt, .c = notes->conn.valid ? &notes->conn : NULL,
			  .clock = clock };

	return eval(&e, df, df->root);
}
