/* Domain Name System, RFC 1035 (over TCP: 4.2.2; multicast DNS, RFC 6762). */
#ifndef PKL_DISSECT_DNS_H
#define PKL_DISSECT_DNS_H

#include "../src/packet.h"

/* The ports it is decoded on: DNS, and multicast DNS (UDP only). */
#define PKL_DNS_PORT 53
#define PKL_MDNS_PORT 5353

/* The fixed header: id, flags and the four counts. */
#define PKL_DNS_HLEN 12

/* Header flag bits (RFC 1035 4.1.1, RFC 4035 3.2 for AD and CD). */
#define PKL_DNS_QR 0x8000u
#define PKL_DNS_AA 0x0400u
#define PKL_DNS_TC 0x0200u
#define PKL_DNS_RD 0x0100u
#define PKL_DNS_RA 0x0080u
#define PKL_DNS_AD 0x0020u
#define PKL_DNS_CD 0x0010u

static inline unsigned pkl_dns_opcode(uint16_t flags) { return (flags >> 11) & 0xfu; }
static inline unsigned pkl_dns_rcode(uint16_t flags) { return flags & 0xfu; }

/* Opcodes and response codes (IANA DNS parameters). */
enum {
	PKL_DNS_OPCODE_QUERY = 0,
	PKL_DNS_OPCODE_IQUERY = 1,
	PKL_DNS_OPCODE_STATUS = 2,
	PKL_DNS_OPCODE_NOTIFY = 4,
	PKL_DNS_OPCODE_UPDATE = 5,
};
enum {
	PKL_DNS_RCODE_NOERROR = 0,
	PKL_DNS_RCODE_FORMERR = 1,
	PKL_DNS_RCODE_SERVFAIL = 2,
	PKL_DNS_RCODE_NXDOMAIN = 3,
	PKL_DNS_RCODE_NOTIMP = 4,
	PKL_DNS_RCODE_REFUSED = 5,
};

/* Record types (IANA DNS parameters): those named in the views. */
enum {
	PKL_DNS_TYPE_A = 1,
	PKL_DNS_TYPE_NS = 2,
	PKL_DNS_TYPE_CNAME = 5,
	PKL_DNS_TYPE_SOA = 6,
	PKL_DNS_TYPE_PTR = 12,
	PKL_DNS_TYPE_HINFO = 13,
	PKL_DNS_TYPE_MX = 15,
	PKL_DNS_TYPE_TXT = 16,
	PKL_DNS_TYPE_AAAA = 28,
	PKL_DNS_TYPE_SRV = 33,
	PKL_DNS_TYPE_NAPTR = 35,
	PKL_DNS_TYPE_OPT = 41,     /* EDNS (RFC 6891): class and TTL mean other things */
	PKL_DNS_TYPE_DS = 43,
	PKL_DNS_TYPE_RRSIG = 46,
	PKL_DNS_TYPE_NSEC = 47,
	PKL_DNS_TYPE_DNSKEY = 48,
	PKL_DNS_TYPE_HTTPS = 65,
	PKL_DNS_TYPE_ANY = 255,
};

#define PKL_DNS_CLASS_IN 1
/* mDNS: the class's top bit asks for a unicast answer (question) or
 * flushes caches (record). */
#define PKL_MDNS_CLASS_FLAG 0x8000u

enum pkl_dns_section {
	PKL_DNS_SECTION_ANSWER,
	PKL_DNS_SECTION_AUTHORITY,
	PKL_DNS_SECTION_ADDITIONAL,
};

/* A name's length limit in bytes on the wire (RFC 1035 3.1), and the
 * compression pointers followed for one name: more than a name of
 * single-letter labels needs is a loop. */
#define PKL_DNS_NAME_MAX 255
#define PKL_DNS_MAX_POINTERS 127

enum pkl_proto pkl_dns_decode(struct pkl_packet *pkt, struct pkl_layer *l);

/* "A", "AAAA", "CNAME", ... for a record type, or NULL. */
const char *pkl_dns_type_name(uint16_t type);
/* "NoError", "NXDomain", ... as tcpdump and Wireshark spell them, or NULL. */
const char *pkl_dns_rcode_name(unsigned rcode);
/* "Query", "Notify", ... or NULL. */
const char *pkl_dns_opcode_name(unsigned opcode);

/* The class as a record means it: on mDNS without its flag bit. */
uint16_t pkl_dns_class(const struct pkl_dns *d, uint16_t rclass);

/* A name's text: its labels joined by dots, without the final dot,
 * control and non-ASCII bytes as \ooo (as Wireshark writes control
 * bytes); "" for the root. */
static inline const char *
pkl_dns_name_text(const struct pkl_dns *d, struct pkl_dns_name n)
{
	return d->names + n.off;
}

#endif
