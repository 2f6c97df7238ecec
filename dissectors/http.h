/* HTTP/1.x, RFC 9112: the request line (3) or status line (4) that
 * starts a segment, and nothing more (no headers, no reassembly). */
#ifndef PKL_DISSECT_HTTP_H
#define PKL_DISSECT_HTTP_H

#include "../src/packet.h"

/* The ports it is decoded on. */
#define PKL_HTTP_PORT 80
#define PKL_HTTP_ALT_PORT 8080

/* The longest first line read: a longer one (a URI of kilobytes) is
 * not taken for a request line. */
#define PKL_HTTP_LINE_MAX 1024

enum pkl_proto pkl_http_decode(struct pkl_packet *pkt, struct pkl_layer *l);

/* A field's bytes in the layer. */
static inline const char *
pkl_http_text(const struct pkl_layer *l, struct pkl_http_span s)
{
	return (const char *)l->data + s.off;
}

#endif
