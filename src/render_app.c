/* The application layers in the text views: DNS and HTTP as a phrase
 * after the transport's in the summary (as tcpdump writes DNS), and
 * their fields in the tree. */
#include "../dissectors/dns.h"
#include "../dissectors/http.h"
#include "render.h"

/* Answers named in the summary; the rest are counted. */
#define SUMMARY_ANSWERS 3

/* A name with its final dot, as dig and tcpdump write names: "." for
 * the root. */
static void
dns_name(struct pkl_out *o, const struct pkl_dns *d, struct pkl_dns_name n)
{
	pkl_out_str(o, pkl_dns_name_text(d, n));
	pkl_out_char(o, '.');
}

static void
dns_type(struct pkl_out *o, uint16_t type)
{
	pkl_render_name(o, pkl_dns_type_name(type), "type ", type);
}

/* A record's data: the address or name it holds, else its length. */
static void
dns_rdata(struct pkl_out *o, const struct pkl_dns *d, const struct pkl_dns_rr *rr)
{
	if (!rr->rdata_decoded) {
		pkl_out_u64(o, rr->rdlength);
		pkl_out_str(o, rr->rdlength == 1 ? " byte" : " bytes");
	} else if (rr->type == PKL_DNS_TYPE_A) {
		pkl_out_ipv4(o, rr->rdata.a);
	} else if (rr->type == PKL_DNS_TYPE_AAAA) {
		pkl_out_ipv6(o, rr->rdata.aaaa);
	} else {
		dns_name(o, d, rr->rdata.target);
	}
}

static void
dns_question(struct pkl_out *o, const struct pkl_dns *d, const struct pkl_dns_question *q)
{
	dns_type(o, q->type);
	pkl_out_str(o, "? ");
	dns_name(o, d, q->name);
}

/* "DNS query 0x1a2b A? www.example.org." or "DNS response 0x1a2b A?
 * www.example.org. -> A 198.51.100.80" (or the error, or "no answers"). */
static void
summary_dns(struct pkl_out *o, const struct pkl_dns *d)
{
	bool response = d->flags & PKL_DNS_QR;
	unsigned opcode = pkl_dns_opcode(d->flags), rcode = pkl_dns_rcode(d->flags);

	pkl_out_str(o, d->mdns ? "mDNS " : "DNS ");
	pkl_out_str(o, response ? "response 0x" : "query 0x");
	pkl_out_hex(o, d->id, 4);
	if (opcode != PKL_DNS_OPCODE_QUERY) {
		pkl_out_str(o, " ");
		pkl_render_name(o, pkl_dns_opcode_name(opcode), "opcode ", opcode);
	}
	if (d->n_questions) {
		pkl_out_char(o, ' ');
		dns_question(o, d, &d->q[0]);
		if (d->qdcount > 1) {
			pkl_out_str(o, " and ");
			pkl_out_u64(o, d->qdcount - 1u);
			pkl_out_str(o, " more");
		}
	}
	if (!response)
		return;
	pkl_out_str(o, " -> ");
	if (rcode != PKL_DNS_RCODE_NOERROR) {
		pkl_render_name(o, pkl_dns_rcode_name(rcode), "rcode ", rcode);
		return;
	}
	unsigned shown = 0;
	for (unsigned i = 0; i < d->n_rrs && shown < SUMMARY_ANSWERS; i++) {
		const struct pkl_dns_rr *rr = &d->rr[i];
		if (rr->section != PKL_DNS_SECTION_ANSWER)
			break;
		pkl_out_str(o, shown++ ? ", " : "");
		dns_type(o, rr->type);
		pkl_out_char(o, ' ');
		dns_rdata(o, d, rr);
	}
	if (d->ancount == 0)
		pkl_out_str(o, "no answers");
	else if (d->ancount > shown) {
		unsigned rest = d->ancount - shown;
		pkl_out_str(o, shown ? " and " : "");
		pkl_out_u64(o, rest);
		pkl_out_str(o, shown ? " more" : rest == 1 ? " answer" : " answers");
	}
}

static void
http_span(struct pkl_out *o, const struct pkl_layer *l, struct pkl_http_span s)
{
	pkl_out_mem(o, pkl_http_text(l, s), s.len);
}

/* The first line as it is: "GET / HTTP/1.1", "HTTP/1.1 200 OK". */
static void
http_line(struct pkl_out *o, const struct pkl_layer *l)
{
	pkl_out_mem(o, (const char *)l->data, l->hdr.http.line_len);
}

void
pkl_render_app_summary(struct pkl_out *o, const struct pkl_layer *l)
{
	if (!(l->flags & PKL_LAYER_HEADER))
		return;
	pkl_out_str(o, "  ");
	if (l->proto == PKL_PROTO_DNS) {
		summary_dns(o, &l->hdr.dns);
	} else if (l->proto == PKL_PROTO_HTTP) {
		if (l->hdr.http.request)
			pkl_out_str(o, "HTTP ");
		http_line(o, l);
	}
}

static void
dns_class(struct pkl_out *o, const struct pkl_dns *d, uint16_t rclass)
{
	uint16_t c = pkl_dns_class(d, rclass);

	if (c != PKL_DNS_CLASS_IN) {
		pkl_out_str(o, " class ");
		pkl_out_u64(o, c);
	}
}

static void
dns_flags(struct pkl_out *o, uint16_t flags)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} names[] = {
		{ PKL_DNS_AA, " AA" }, { PKL_DNS_TC, " TC" }, { PKL_DNS_RD, " RD" },
		{ PKL_DNS_RA, " RA" }, { PKL_DNS_AD, " AD" }, { PKL_DNS_CD, " CD" },
	};

	pkl_out_str(o, "  flags");
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (flags & names[i].bit)
			pkl_out_str(o, names[i].name);
	if (!(flags & 0x07f0u))
		pkl_out_str(o, " none");
}

static void
line_start(struct pkl_out *o, unsigned column, const char *label)
{
	pkl_out_char(o, '\n');
	pkl_out_spaces(o, column);
	pkl_out_str(o, label);
}

static void
fields_dns(struct pkl_out *o, const struct pkl_dns *d, unsigned column)
{
	static const char *const section[] = {
		[PKL_DNS_SECTION_ANSWER] = "answer     ",
		[PKL_DNS_SECTION_AUTHORITY] = "authority  ",
		[PKL_DNS_SECTION_ADDITIONAL] = "additional ",
	};
	bool response = d->flags & PKL_DNS_QR;
	unsigned opcode = pkl_dns_opcode(d->flags), rcode = pkl_dns_rcode(d->flags);

	pkl_out_str(o, response ? "response 0x" : "query 0x");
	pkl_out_hex(o, d->id, 4);
	if (d->over_tcp) {
		pkl_out_str(o, "  length ");
		pkl_out_u64(o, d->tcp_length);
	}
	pkl_out_str(o, "  opcode ");
	pkl_render_name(o, pkl_dns_opcode_name(opcode), "", opcode);
	if (response) {
		pkl_out_str(o, "  rcode ");
		pkl_render_name(o, pkl_dns_rcode_name(rcode), "", rcode);
	}
	dns_flags(o, d->flags);
	pkl_out_str(o, "  qd ");
	pkl_out_u64(o, d->qdcount);
	pkl_out_str(o, " an ");
	pkl_out_u64(o, d->ancount);
	pkl_out_str(o, " ns ");
	pkl_out_u64(o, d->nscount);
	pkl_out_str(o, " ar ");
	pkl_out_u64(o, d->arcount);
	for (unsigned i = 0; i < d->n_questions; i++) {
		line_start(o, column, "question   ");
		dns_question(o, d, &d->q[i]);
		dns_class(o, d, d->q[i].qclass);
	}
	for (unsigned i = 0; i < d->n_rrs; i++) {
		const struct pkl_dns_rr *rr = &d->rr[i];
		line_start(o, column, section[rr->section]);
		dns_name(o, d, rr->name);
		pkl_out_char(o, ' ');
		dns_type(o, rr->type);
		if (rr->type == PKL_DNS_TYPE_OPT) {
			/* EDNS: the class is the largest reply the asker takes. */
			pkl_out_str(o, "  UDP payload ");
			pkl_out_u64(o, rr->rclass);
		} else {
			dns_class(o, d, rr->rclass);
			pkl_out_str(o, "  ttl ");
			pkl_out_u64(o, rr->ttl);
		}
		pkl_out_str(o, "  ");
		dns_rdata(o, d, rr);
	}
}

static void
fields_http(struct pkl_out *o, const struct pkl_layer *l)
{
	const struct pkl_http *h = &l->hdr.http;

	if (h->request) {
		pkl_out_str(o, "request ");
		http_span(o, l, h->method);
		pkl_out_str(o, "  uri ");
		http_span(o, l, h->uri);
		pkl_out_str(o, "  version ");
		http_span(o, l, h->version);
	} else if (h->response) {
		pkl_out_str(o, "response ");
		http_span(o, l, h->code);
		if (h->phrase.len) {
			pkl_out_char(o, ' ');
			http_span(o, l, h->phrase);
		}
		pkl_out_str(o, "  version ");
		http_span(o, l, h->version);
	}
}

void
pkl_render_app_fields(struct pkl_out *o, const struct pkl_layer *l, unsigned column)
{
	if (l->proto == PKL_PROTO_DNS && !(l->flags & PKL_LAYER_HEADER)) {
		pkl_out_u64(o, l->caplen);
		pkl_out_str(o, " bytes captured");
	} else if (l->proto == PKL_PROTO_DNS) {
		fields_dns(o, &l->hdr.dns, column);
	} else if (l->proto == PKL_PROTO_HTTP) {
		fields_http(o, l);
	}
}
