/* Port lists, as nmap's -p takes them. */
#include "ports.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How much of an item a refusal quotes. */
#define QUOTE_MAX 40

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* [*b, *e) without the blanks at either end. */
static void
trim(const char **b, const char **e)
{
	while (*b < *e && is_blank(**b))
		(*b)++;
	while (*e > *b && is_blank((*e)[-1]))
		(*e)--;
}

/* The port in [b, e) (blanks trimmed), or dflt when it is empty.
 * Returns -1 with a sentence for anything else than 1..65535 in digits. */
static long
port_at(const char *b, const char *e, long dflt, char errbuf[PKL_ERRBUF_SIZE])
{
	long v = 0;

	trim(&b, &e);
	if (b == e)
		return dflt;
	for (const char *c = b; c < e; c++) {
		if (*c < '0' || *c > '9') {
			snprintf(errbuf, PKL_ERRBUF_SIZE,
				 "'%.*s' is not a port or a range of ports (as in 22,80,8000-8010)",
				 (int)(e - b > QUOTE_MAX ? QUOTE_MAX : e - b), b);
			return -1;
		}
		if (v <= PKL_PORTS_MAX)   /* beyond it the value no longer matters */
			v = v * 10 + (*c - '0');
	}
	if (v < 1 || v > PKL_PORTS_MAX) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "'%.*s' is not a port: ports run from 1 to 65535",
			 (int)(e - b > QUOTE_MAX ? QUOTE_MAX : e - b), b);
		return -1;
	}
	return v;
}

/* One item, [b, e): a port or a range, whose ports are set in seen. */
static int
add_item(const char *b, const char *e, uint8_t seen[8192], char errbuf[PKL_ERRBUF_SIZE])
{
	trim(&b, &e);
	if (b == e) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "the port list has an empty item: name ports as in 22,80,8000-8010");
		return -1;
	}
	const char *dash = memchr(b, '-', (size_t)(e - b));
	long low = port_at(b, dash ? dash : e, 1, errbuf);
	if (low < 0)
		return -1;
	long high = dash ? port_at(dash + 1, e, PKL_PORTS_MAX, errbuf) : low;
	if (high < 0)
		return -1;
	if (low > high) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "the range %ld-%ld runs backwards: did you mean %ld-%ld?", low, high, high,
			 low);
		return -1;
	}
	for (long p = low; p <= high; p++)
		seen[p >> 3] |= (uint8_t)(1u << (p & 7));
	return 0;
}

int
pkl_ports_parse(const char *text, struct pkl_ports *out, char errbuf[PKL_ERRBUF_SIZE])
{
	uint8_t seen[8192] = { 0 };   /* one bit per port 0..65535 */
	size_t n = 0;

	*out = (struct pkl_ports){ 0 };
	for (const char *b = text;; ) {
		const char *e = strchr(b, ',');
		if (!e)
			e = b + strlen(b);
		if (add_item(b, e, seen, errbuf) < 0)
			return -1;
		if (!*e)
			break;
		b = e + 1;
	}
	for (unsigned p = 1; p <= PKL_PORTS_MAX; p++)
		n += seen[p >> 3] >> (p & 7) & 1;
	if (!(out->list = malloc(n * sizeof *out->list))) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "out of memory for a list of %zu ports", n);
		return -1;
	}
	for (unsigned p = 1; p <= PKL_PORTS_MAX; p++)
		if (seen[p >> 3] >> (p & 7) & 1)
			out->list[out->n++] = (uint16_t)p;
	return 0;
}

void
pkl_ports_free(struct pkl_ports *p)
{
	free(p->list);
	*p = (struct pkl_ports){ 0 };
}
