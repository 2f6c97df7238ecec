/* The journey's DNS messages (journey_dns.h). */
#include "journey_dns.h"

#include <string.h>

#include "../../dissectors/dns.h"
#include "../bytes.h"

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* name as labels ("www.example.org" -> 3www7example3org0) at p, within
 * size bytes: its length, or 0. */
static size_t
put_name(uint8_t *p, size_t size, const char *name)
{
	size_t n = 0;

	while (*name) {
		size_t len = strcspn(name, ".");
		if (len == 0 || len > 63 || n + 1 + len + 1 > size)
			return 0;
		p[n++] = (uint8_t)len;
		memcpy(p + n, name, len);
		n += len;
		name += len + (name[len] == '.');
	}
	if (n + 1 > size)
		return 0;
	p[n++] = 0;
	return n;
}

size_t
pkl_journey_dns_query(uint8_t *buf, size_t size, uint16_t id, const char *name)
{
	if (size < PKL_DNS_HLEN + 4)
		return 0;
	memset(buf, 0, PKL_DNS_HLEN);
	put16(buf, id);
	put16(buf + 2, PKL_DNS_RD);
	put16(buf + 4, 1);
	size_t n = put_name(buf + PKL_DNS_HLEN, size - PKL_DNS_HLEN - 4, name);
	if (n == 0)
		return 0;
	n += PKL_DNS_HLEN;
	put16(buf + n, PKL_DNS_TYPE_A);
	put16(buf + n + 2, PKL_DNS_CLASS_IN);
	return n + 4;
}

/* The end of the uncompressed name at off, or 0. */
static size_t
skip_labels(const uint8_t *msg, size_t n, size_t off)
{
	while (off < n && msg[off] != 0) {
		if (msg[off] & 0xc0)
			return 0;
		off += 1u + msg[off];
	}
	return off < n ? off + 1 : 0;
}

size_t
pkl_journey_dns_answer(uint8_t *buf, size_t size, const uint8_t *query, size_t n,
		       const char *name, const uint8_t addr[4], uint32_t ttl)
{
	uint8_t want[PKL_DNS_NAME_MAX + 1];
	size_t qend;

	if (n < PKL_DNS_HLEN || (pkl_be16(query + 2) & PKL_DNS_QR) || pkl_be16(query + 4) != 1 ||
	    (qend = skip_labels(query, n, PKL_DNS_HLEN)) == 0 || qend + 4 > n)
		return 0;
	qend += 4;
	size_t wlen = put_name(want, sizeof want, name);
	bool ours = wlen == qend - 4 - PKL_DNS_HLEN &&
		    memcmp(query + PKL_DNS_HLEN, want, wlen) == 0 &&
		    pkl_be16(query + qend - 4) == PKL_DNS_TYPE_A;
	size_t total = qend + (ours ? 16 : 0);
	if (total > size)
		return 0;
	/* The header and question as asked; QR, AA, RD as asked, RA. */
	memcpy(buf, query, qend);
	put16(buf + 2, (uint16_t)(PKL_DNS_QR | PKL_DNS_AA | (pkl_be16(query + 2) & PKL_DNS_RD) |
				  PKL_DNS_RA | (ours ? PKL_DNS_RCODE_NOERROR : PKL_DNS_RCODE_NXDOMAIN)));
	put16(buf + 6, ours ? 1 : 0);
	put16(buf + 8, 0);
	put16(buf + 10, 0);
	if (!ours)
		return total;
	uint8_t *rr = buf + qend;
	put16(rr, 0xc000 | PKL_DNS_HLEN);   /* the question's name, by pointer */
	put16(rr + 2, PKL_DNS_TYPE_A);
	put16(rr + 4, PKL_DNS_CLASS_IN);
	put16(rr + 6, (uint16_t)(ttl >> 16));
	put16(rr + 8, (uint16_t)ttl);
	put16(rr + 10, 4);
	memcpy(rr + 12, addr, 4);
	return total;
}

/* The end of the name at off, compressed or not (a pointer ends it), or 0. */
static size_t
skip_name(const uint8_t *msg, size_t n, size_t off)
{
	while (off < n && msg[off] != 0) {
		if ((msg[off] & 0xc0) == 0xc0)
			return off + 2 <= n ? off + 2 : 0;
		if (msg[off] & 0xc0)
			return 0;
		off += 1u + msg[off];
	}
	return off < n ? off + 1 : 0;
}

int
pkl_journey_dns_read(const uint8_t *msg, size_t n, uint16_t id, uint8_t addr[4])
{
	if (n < PKL_DNS_HLEN || pkl_be16(msg) != id || !(pkl_be16(msg + 2) & PKL_DNS_QR) ||
	    pkl_dns_rcode(pkl_be16(msg + 2)) != PKL_DNS_RCODE_NOERROR)
		return -1;
	size_t off = PKL_DNS_HLEN;
	for (unsigned i = 0; i < pkl_be16(msg + 4); i++) {
		if ((off = skip_name(msg, n, off)) == 0 || off + 4 > n)
			return -1;
		off += 4;
	}
	for (unsigned i = 0; i < pkl_be16(msg + 6); i++) {
		if ((off = skip_name(msg, n, off)) == 0 || off + 10 > n)
			return -1;
		uint16_t type = pkl_be16(msg + off), rdlength = pkl_be16(msg + off + 8);
		off += 10;
		if (off + rdlength > n)
			return -1;
		if (type == PKL_DNS_TYPE_A && rdlength == 4) {
			memcpy(addr, msg + off, 4);
			return 0;
		}
		off += rdlength;
	}
	return -1;
}
