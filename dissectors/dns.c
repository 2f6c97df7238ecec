/* Domain Name System, RFC 1035: the header (4.1.1), the questions
 * (4.1.2) and the resource records (4.1.3) of every section; names with
 * compression pointers (4.1.4); over TCP after a 2-byte length (4.2.2);
 * multicast DNS's class bit (RFC 6762 5.4, 10.2).
 *
 * Bounded: a name is at most 255 bytes on the wire and follows at most
 * PKL_DNS_MAX_POINTERS pointers, so a pointer loop ends; at most
 * PKL_DNS_MAX_QUESTIONS questions and PKL_DNS_MAX_RRS records are read
 * (the counts say how many there are), and their names' text fills a
 * fixed pool in the layer. */
#include "dns.h"

#include <string.h>

#include "../src/bytes.h"

const char *
pkl_dns_type_name(uint16_t type)
{
	switch (type) {
	case PKL_DNS_TYPE_A: return "A";
	case PKL_DNS_TYPE_NS: return "NS";
	case PKL_DNS_TYPE_CNAME: return "CNAME";
	case PKL_DNS_TYPE_SOA: return "SOA";
	case PKL_DNS_TYPE_PTR: return "PTR";
	case PKL_DNS_TYPE_HINFO: return "HINFO";
	case PKL_DNS_TYPE_MX: return "MX";
	case PKL_DNS_TYPE_TXT: return "TXT";
	case PKL_DNS_TYPE_AAAA: return "AAAA";
	case PKL_DNS_TYPE_SRV: return "SRV";
	case PKL_DNS_TYPE_NAPTR: return "NAPTR";
	case PKL_DNS_TYPE_OPT: return "OPT";
	case PKL_DNS_TYPE_DS: return "DS";
	case PKL_DNS_TYPE_RRSIG: return "RRSIG";
	case PKL_DNS_TYPE_NSEC: return "NSEC";
	case PKL_DNS_TYPE_DNSKEY: return "DNSKEY";
	case PKL_DNS_TYPE_HTTPS: return "HTTPS";
	case PKL_DNS_TYPE_ANY: return "ANY";
	default: return NULL;
	}
}

const char *
pkl_dns_rcode_name(unsigned rcode)
{
	switch (rcode) {
	case PKL_DNS_RCODE_NOERROR: return "NoError";
	case PKL_DNS_RCODE_FORMERR: return "FormErr";
	case PKL_DNS_RCODE_SERVFAIL: return "ServFail";
	case PKL_DNS_RCODE_NXDOMAIN: return "NXDomain";
	case PKL_DNS_RCODE_NOTIMP: return "NotImp";
	case PKL_DNS_RCODE_REFUSED: return "Refused";
	default: return NULL;
	}
}

const char *
pkl_dns_opcode_name(unsigned opcode)
{
	switch (opcode) {
	case PKL_DNS_OPCODE_QUERY: return "Query";
	case PKL_DNS_OPCODE_IQUERY: return "IQuery";
	case PKL_DNS_OPCODE_STATUS: return "Status";
	case PKL_DNS_OPCODE_NOTIFY: return "Notify";
	case PKL_DNS_OPCODE_UPDATE: return "Update";
	default: return NULL;
	}
}

uint16_t
pkl_dns_class(const struct pkl_dns *d, uint16_t rclass)
{
	return d->mdns ? (uint16_t)(rclass & ~PKL_MDNS_CLASS_FLAG) : rclass;
}

/* One message being read: offsets are from its first byte (where
 * compression pointers count from). */
struct reader {
	struct pkl_packet *pkt;
	struct pkl_layer *l;
	struct pkl_dns *d;
	const uint8_t *msg;
	uint32_t base;         /* the message's offset in the layer: 2 over TCP */
	uint32_t len;          /* its bytes on the wire */
	uint32_t cap;          /* of which captured */
};

/* Are bytes [off, off + n) of the message here?  If not, the capture
 * cut them (truncated) or the message does not have them (malformed). */
static bool
have(struct reader *r, uint32_t off, uint32_t n)
{
	if (off + n <= r->cap)
		return true;
	if (off + n <= r->len)
		pkl_event(r->pkt, r->l, PKL_EV_DNS_TRUNC, r->base + off + n, r->l->caplen);
	else
		pkl_event(r->pkt, r->l, PKL_EV_DNS_PAST_END, off + n, r->len);
	return false;
}

enum name_result { NAME_OK, NAME_BAD, NAME_NO_ROOM };

/* Append a label's bytes to the text at *pos, a dot before it unless it
 * is the first; false when the pool has no room for it and the NUL. */
static bool
put_label(struct pkl_dns *d, uint32_t *pos, const uint8_t *p, uint32_t n, bool first)
{
	static const char octal[] = "01234567";

	if (!first) {
		if (*pos + 1 >= PKL_DNS_NAMES)
			return false;
		d->names[(*pos)++] = '.';
	}
	for (uint32_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		bool plain = c >= 0x20 && c < 0x7f;
		if (*pos + (plain ? 1 : 4) >= PKL_DNS_NAMES)
			return false;
		if (plain) {
			d->names[(*pos)++] = (char)c;
			continue;
		}
		d->names[(*pos)++] = '\\';
		d->names[(*pos)++] = octal[c >> 6];
		d->names[(*pos)++] = octal[(c >> 3) & 7];
		d->names[(*pos)++] = octal[c & 7];
	}
	return true;
}

/* Read the name at off; *end gets the offset after it where it is
 * written (after its first pointer, when it has one), and out its text
 * in the pool.  A malformed or cut name records its event. */
static enum name_result
read_name(struct reader *r, uint32_t off, uint32_t *end, struct pkl_dns_name *out)
{
	struct pkl_dns *d = r->d;
	uint32_t pos = d->names_used, wire = 1, pointers = 0;
	bool jumped = false;

	for (;;) {
		if (!have(r, off, 1))
			return NAME_BAD;
		uint8_t b = r->msg[off];
		if ((b & 0xc0) == 0xc0) {
			if (!have(r, off, 2))
				return NAME_BAD;
			uint32_t target = pkl_be16(r->msg + off) & 0x3fffu;
			if (!jumped)
				*end = off + 2;
			jumped = true;
			if (++pointers > PKL_DNS_MAX_POINTERS) {
				pkl_event(r->pkt, r->l, PKL_EV_DNS_NAME_LOOP, PKL_DNS_MAX_POINTERS, off);
				return NAME_BAD;
			}
			if (target >= r->len) {
				pkl_event(r->pkt, r->l, PKL_EV_DNS_NAME_POINTER, target, r->len);
				return NAME_BAD;
			}
			off = target;
			continue;
		}
		if (b & 0xc0) {   /* 01 and 10: extended label types, never deployed */
			pkl_event(r->pkt, r->l, PKL_EV_DNS_NAME_LABEL, b & 0xc0u, off);
			return NAME_BAD;
		}
		if (b == 0)
			break;
		wire += 1u + b;
		if (wire > PKL_DNS_NAME_MAX) {
			pkl_event(r->pkt, r->l, PKL_EV_DNS_NAME_LONG, PKL_DNS_NAME_MAX, off);
			return NAME_BAD;
		}
		if (!have(r, off + 1, b))
			return NAME_BAD;
		if (!put_label(d, &pos, r->msg + off + 1, b, pos == d->names_used))
			return NAME_NO_ROOM;
		off += 1u + b;
	}
	if (!jumped)
		*end = off + 1;
	if (pos >= PKL_DNS_NAMES)
		return NAME_NO_ROOM;
	d->names[pos] = '\0';
	*out = (struct pkl_dns_name){ .off = d->names_used,
				      .len = (uint16_t)(pos - d->names_used) };
	d->names_used = (uint16_t)(pos + 1);
	return NAME_OK;
}

/* The record's data, for the types whose data is shown: an address or a
 * name that must fill it exactly. */
static bool
read_rdata(struct reader *r, struct pkl_dns_rr *rr, uint32_t off)
{
	switch (rr->type) {
	case PKL_DNS_TYPE_A:
	case PKL_DNS_TYPE_AAAA: {
		uint32_t size = rr->type == PKL_DNS_TYPE_A ? 4 : 16;
		if (rr->rdlength != size) {
			pkl_event(r->pkt, r->l, PKL_EV_DNS_RDLEN, rr->type, rr->rdlength);
			return true;
		}
		memcpy(rr->type == PKL_DNS_TYPE_A ? rr->rdata.a : rr->rdata.aaaa, r->msg + off, size);
		rr->rdata_decoded = true;
		return true;
	}
	case PKL_DNS_TYPE_CNAME:
	case PKL_DNS_TYPE_NS:
	case PKL_DNS_TYPE_PTR: {
		uint32_t end = off;
		enum name_result nr = read_name(r, off, &end, &rr->rdata.target);
		if (nr == NAME_NO_ROOM)
			return false;
		if (nr == NAME_OK && end != off + rr->rdlength)
			pkl_event(r->pkt, r->l, PKL_EV_DNS_RDLEN, rr->type, rr->rdlength);
		rr->rdata_decoded = nr == NAME_OK;
		return true;
	}
	default:
		return true;
	}
}

/* Say that the records from index `from` on are not shown. */
static void
not_kept(struct reader *r, uint32_t from)
{
	const struct pkl_dns *d = r->d;
	uint32_t total = (uint32_t)d->qdcount + d->ancount + d->nscount + d->arcount;

	pkl_event(r->pkt, r->l, PKL_EV_DNS_NOT_SHOWN, total - from, from);
}

/* The questions, then the records of the three sections, as far as they
 * go well: complete when all of them were read. */
static void
read_body(struct reader *r)
{
	struct pkl_dns *d = r->d;
	uint32_t off = PKL_DNS_HLEN, index = 0;

	for (uint32_t i = 0; i < d->qdcount; i++, index++) {
		struct pkl_dns_question *q = &d->q[d->n_questions];
		if (d->n_questions == PKL_DNS_MAX_QUESTIONS) {
			not_kept(r, index);
			return;
		}
		enum name_result nr = read_name(r, off, &off, &q->name);
		if (nr == NAME_NO_ROOM)
			not_kept(r, index);
		if (nr != NAME_OK || !have(r, off, 4))
			return;
		q->type = pkl_be16(r->msg + off);
		q->qclass = pkl_be16(r->msg + off + 2);
		off += 4;
		d->n_questions++;
	}
	const uint16_t counts[] = { d->ancount, d->nscount, d->arcount };
	for (uint8_t s = PKL_DNS_SECTION_ANSWER; s <= PKL_DNS_SECTION_ADDITIONAL; s++) {
		for (uint32_t i = 0; i < counts[s]; i++, index++) {
			struct pkl_dns_rr *rr = &d->rr[d->n_rrs];
			if (d->n_rrs == PKL_DNS_MAX_RRS) {
				not_kept(r, index);
				return;
			}
			enum name_result nr = read_name(r, off, &off, &rr->name);
			if (nr == NAME_NO_ROOM)
				not_kept(r, index);
			if (nr != NAME_OK || !have(r, off, 10))
				return;
			rr->section = s;
			rr->type = pkl_be16(r->msg + off);
			rr->rclass = pkl_be16(r->msg + off + 2);
			rr->ttl = pkl_be32(r->msg + off + 4);
			rr->rdlength = pkl_be16(r->msg + off + 8);
			off += 10;
			if (!have(r, off, rr->rdlength))
				return;
			if (!read_rdata(r, rr, off)) {
				not_kept(r, index);
				return;
			}
			off += rr->rdlength;
			d->n_rrs++;
		}
	}
	d->complete = true;
}

enum pkl_proto
pkl_dns_decode(struct pkl_packet *pkt, struct pkl_layer *l)
{
	struct pkl_dns *d = &l->hdr.dns;
	const struct pkl_layer *below = pkl_layer_below(pkt, l);
	struct reader r = { .pkt = pkt, .l = l, .d = d, .msg = l->data, .len = l->len,
			    .cap = l->caplen };

	d->over_tcp = below && below->proto == PKL_PROTO_TCP;
	d->mdns = below && below->proto == PKL_PROTO_UDP &&
		  (below->hdr.udp.sport == PKL_MDNS_PORT || below->hdr.udp.dport == PKL_MDNS_PORT);
	pkl_layer_set_payload(l, l->len, 0);
	if (d->over_tcp) {
		if (!pkl_need(pkt, l, 2, PKL_EV_DNS_TRUNC))
			return PKL_PROTO_NONE;
		d->tcp_length = pkl_be16(l->data);
		r.base = 2;
		r.msg += 2;
		r.len -= 2;
		r.cap -= 2;
		if (d->tcp_length > r.len) {
			/* The rest is in later segments, which are not put
			 * together: the header is all that is sure to be here. */
			pkl_event(pkt, l, PKL_EV_DNS_TCP_SPLIT, d->tcp_length, r.len);
		} else {
			r.len = d->tcp_length;
			r.cap = r.cap < r.len ? r.cap : r.len;
		}
	}
	if (!pkl_need(pkt, l, r.base + PKL_DNS_HLEN, PKL_EV_DNS_TRUNC))
		return PKL_PROTO_NONE;
	d->id = pkl_be16(r.msg);
	d->flags = pkl_be16(r.msg + 2);
	d->qdcount = pkl_be16(r.msg + 4);
	d->ancount = pkl_be16(r.msg + 6);
	d->nscount = pkl_be16(r.msg + 8);
	d->arcount = pkl_be16(r.msg + 10);
	d->names[0] = '\0';    /* the empty text, for a name never read */
	d->names_used = 1;
	l->flags |= PKL_LAYER_HEADER;
	if (!d->over_tcp || d->tcp_length <= r.len)
		read_body(&r);
	return PKL_PROTO_NONE;
}
