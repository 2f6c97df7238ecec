/* HTTP/1.x first lines, RFC 9112: request-line = method SP
 * request-target SP HTTP-version (3), status-line = HTTP-version SP
 * status-code SP [reason-phrase] (4).  A segment that starts with
 * neither is the middle of a message (a continuation); with no
 * reassembly, that is all that can be said of it. */
#include "http.h"

#include <string.h>

/* The methods of RFC 9110 9.3 and PATCH (RFC 5789): a line starting
 * with an unknown word is more likely a body than a request. */
static bool
known_method(const uint8_t *p, uint32_t n)
{
	static const char *const methods[] = {
		"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
	};
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (strlen(methods[i]) == n && memcmp(p, methods[i], n) == 0)
			return true;
	return false;
}

/* "HTTP/" DIGIT "." DIGIT */
static bool
is_version(const uint8_t *p, uint32_t n)
{
	return n == 8 && memcmp(p, "HTTP/", 5) == 0 && p[5] >= '0' && p[5] <= '9' &&
	       p[6] == '.' && p[7] >= '0' && p[7] <= '9';
}

/* 3DIGIT */
static bool
is_status(const uint8_t *p, uint32_t n)
{
	return n == 3 && p[0] >= '1' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9' &&
	       p[2] >= '0' && p[2] <= '9';
}

/* The length of the first line, when it ends (CRLF or a bare LF)
 * within the captured bytes and the limit and holds only visible
 * characters and spaces; else 0. */
static uint32_t
first_line(const uint8_t *p, uint32_t n)
{
	uint32_t max = n < PKL_HTTP_LINE_MAX ? n : PKL_HTTP_LINE_MAX;

	for (uint32_t i = 0; i < max; i++) {
		if (p[i] == '\n')
			return i > 0 && p[i - 1] == '\r' ? i - 1 : i;
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\r') || p[i] == 0x7f)
			return 0;
	}
	return 0;
}

/* The next word of the line from *pos, up to a space or the end. */
static struct pkl_http_span
word(const uint8_t *p, uint32_t len, uint32_t *pos)
{
	uint32_t start = *pos;

	while (*pos < len && p[*pos] != ' ')
		(*pos)++;
	struct pkl_http_span s = { (uint16_t)start, (uint16_t)(*pos - start) };
	if (*pos < len)
		(*pos)++;
	return s;
}

enum pkl_proto
pkl_http_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_http *h = &l->hdr.http;
	const uint8_t *p = l->data;
	uint32_t len = first_line(p, l->caplen), pos = 0;

	(void)pkt;
	pkl_layer_set_payload(l, l->len, 0);
	if (len == 0)
		return PKL_PROTO_NONE;
	struct pkl_http_span first = word(p, len, &pos);
	struct pkl_http_span second = word(p, len, &pos);
	if (is_version(p + first.off, first.len) && is_status(p + second.off, second.len)) {
		h->response = true;
		h->version = first;
		h->code = second;
		h->status = (uint16_t)((p[second.off] - '0') * 100 + (p[second.off + 1] - '0') * 10 +
				       (p[second.off + 2] - '0'));
		h->phrase = (struct pkl_http_span){ (uint16_t)pos, (uint16_t)(len - pos) };
	} else if (known_method(p + first.off, first.len) && second.len > 0) {
		struct pkl_http_span third = word(p, len, &pos);
		if (!is_version(p + third.off, third.len) || pos != len)
			return PKL_PROTO_NONE;
		h->request = true;
		h->method = first;
		h->uri = second;
		h->version = third;
	} else {
		return PKL_PROTO_NONE;
	}
	h->line_len = (uint16_t)len;
	l->flags |= PKL_LAYER_HEADER;
	return PKL_PROTO_NONE;
}
