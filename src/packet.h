/* The decoded packet: what dissectors fill and everything else reads.
 *
 * A packet is caller-owned and reset for every frame, so decoding never
 * allocates.  It is an array of layers (a VLAN stack, an ICMP error's
 * quoted datagram or IPv6 are just more layers) plus a bounded list of
 * events: the anomalies the dissectors noticed, as codes with small
 * arguments that one table turns into names and sentences. */
#ifndef PKL_PACKET_H
#define PKL_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events.h"

enum pkl_proto {
	PKL_PROTO_NONE = 0,   /* end of decoding: nothing more to hand on */
	PKL_PROTO_ETH,
	PKL_PROTO_VLAN,
	PKL_PROTO_SLL,        /* Linux cooked capture v1 */
	PKL_PROTO_SLL2,       /* Linux cooked capture v2 (-i any, libpcap >= 1.10) */
	PKL_PROTO_NULL,       /* BSD loopback: a 4-byte address family */
	PKL_PROTO_IP,         /* raw IP: version nibble picks IPv4 or IPv6 */
	PKL_PROTO_ARP,
	PKL_PROTO_IPV4,
	PKL_PROTO_IPV6,
	PKL_PROTO_ICMP,
	PKL_PROTO_ICMPV6,
	PKL_PROTO_UDP,
	PKL_PROTO_TCP,
	PKL_PROTO_DNS,        /* over UDP or TCP ports 53 and 5353 */
	PKL_PROTO_HTTP,       /* the first line, over TCP ports 80 and 8080 */
	PKL_PROTO_DATA,       /* payload of a known protocol */
	PKL_PROTO_UNKNOWN,    /* an EtherType, IP protocol or link type we do not decode */
	PKL_PROTO_COUNT
};

enum pkl_checksum {
	PKL_CK_UNVERIFIED = 0,  /* not all bytes captured, or not present */
	PKL_CK_GOOD,
	PKL_CK_BAD,
	PKL_CK_PARTIAL,     /* bad, but holds just the pseudo-header sum: checksum offload */
};

/* Layer flags. */
#define PKL_LAYER_TRUNCATED  0x01u /* the capture ended inside this layer */
#define PKL_LAYER_MALFORMED  0x02u /* a field contradicts the others or the wire length */
#define PKL_LAYER_QUOTED     0x04u /* inside an ICMP error's quoted datagram */
#define PKL_LAYER_PARTIAL    0x08u /* quoted: cut short by design, not an anomaly */
#define PKL_LAYER_QUOTES     0x10u /* an ICMP error: its payload is a quoted datagram */
#define PKL_LAYER_HEADER     0x20u /* the fixed header was read: its fields are valid */

struct pkl_eth {
	uint8_t dst[6], src[6];
	uint16_t type;         /* EtherType, or 802.3 length when <= 1500 */
	bool is_8023;          /* type field is a length: 802.3 frame */
};

struct pkl_vlan {
	uint16_t tpid;         /* tag protocol: 0x8100, 0x88a8 or 0x9100 */
	uint8_t pcp;
	bool dei;
	uint16_t vid;
	uint16_t type;         /* the inner EtherType */
};

struct pkl_sll {               /* SLL and SLL2 share their fields */
	uint16_t pkttype;      /* 0 to us, 1 broadcast, 2 multicast, 3 other host, 4 outgoing */
	uint16_t hatype;       /* ARPHRD_ */
	uint16_t addr_len;
	uint8_t addr[8];
	uint16_t protocol;     /* EtherType (or a Linux pseudo type) */
	uint32_t ifindex;      /* SLL2 only */
};

struct pkl_null {
	uint32_t family;       /* address family, in whichever byte order made sense */
};

enum pkl_arp_kind {
	PKL_ARP_REQUEST,
	PKL_ARP_REPLY,
	PKL_ARP_GRATUITOUS,    /* sender announces its own address: spa == tpa */
	PKL_ARP_PROBE,         /* RFC 5227 probe: sender address 0.0.0.0 */
	PKL_ARP_OTHER,         /* RARP, InARP, unknown opcodes */
};

struct pkl_arp {
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	uint16_t op;
	bool addrs_decoded;    /* only for Ethernet/IPv4 sizes (6/4) */
	uint8_t sha[6], tha[6];
	uint8_t spa[4], tpa[4];
	enum pkl_arp_kind kind;
};

#define PKL_IPV4_MAX_OPTIONS 20 /* 40 option bytes: at most 40 NOPs, but we list 20 */

struct pkl_ip_option {
	uint8_t type;
	uint8_t len;           /* 1 for single-byte options */
};

struct pkl_ipv4 {
	uint8_t version, ihl;  /* ihl in 32-bit words as on the wire */
	uint8_t dsfield;
	uint16_t total_len, id;
	bool rf, df, mf;
	uint16_t frag_offset;  /* in 8-byte units as on the wire */
	uint8_t ttl, proto;
	uint16_t cksum;
	enum pkl_checksum cksum_status;
	uint8_t src[4], dst[4];
	uint8_t n_options;     /* options listed; more are counted in options_more */
	uint8_t options_more;
	struct pkl_ip_option options[PKL_IPV4_MAX_OPTIONS];
};

struct pkl_ipv6 {
	uint8_t version;
	uint8_t tclass;
	uint32_t flow;
	uint16_t payload_len;
	uint8_t nxt;           /* next header of the fixed header */
	uint8_t hlim;
	uint8_t src[16], dst[16];
	uint8_t upper;         /* protocol after the extension headers */
	uint8_t n_ext;         /* extension headers walked */
	uint8_t ext[8];        /* their types, in order */
	bool fragment;         /* a fragment header was seen */
	uint16_t frag_offset;  /* its offset, in 8-byte units */
	bool frag_more;        /* its M flag */
	uint8_t final_dst[16]; /* for checksums: a routing header's last hop, else dst */
};

struct pkl_icmp {              /* ICMPv4 and ICMPv6 */
	uint8_t type, code;
	uint16_t cksum;
	enum pkl_checksum cksum_status;
	bool has_echo;         /* echo request/reply: ident and seq valid */
	uint16_t ident, seq;
	uint16_t next_hop_mtu; /* fragmentation needed (v4) / packet too big (v6) */
	uint32_t mtu6;
	bool has_gateway;      /* redirect */
	uint8_t gateway[4];
	uint32_t pointer;      /* parameter problem */
	bool quotes;           /* an error message: the quoted datagram follows */
	bool has_target;       /* ICMPv6 neighbour solicitation/advertisement */
	uint8_t target[16];
};

struct pkl_udp {
	uint16_t sport, dport;
	uint16_t ulen;
	uint16_t cksum;
	enum pkl_checksum cksum_status;
	uint32_t payload_len;  /* bytes of data as the datagram declares them */
};

#define PKL_TCP_MAX_OPTIONS 40  /* 40 option bytes: at most 40 one-byte options */
#define PKL_TCP_MAX_SACK 4

/* TCP flag bits, as in the 12-bit field after the data offset. */
#define PKL_TCP_FIN 0x001u
#define PKL_TCP_SYN 0x002u
#define PKL_TCP_RST 0x004u
#define PKL_TCP_PSH 0x008u
#define PKL_TCP_ACK 0x010u
#define PKL_TCP_URG 0x020u
#define PKL_TCP_ECE 0x040u
#define PKL_TCP_CWR 0x080u
#define PKL_TCP_AE  0x100u  /* accurate ECN, formerly NS (RFC 3540) */

struct pkl_tcp_option {
	uint8_t kind;
	uint8_t len;           /* 1 for EOL and NOP */
};

struct pkl_tcp {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t doff;          /* data offset in 32-bit words as on the wire */
	uint16_t flags;        /* the 12-bit field */
	uint16_t window;
	uint16_t cksum;
	enum pkl_checksum cksum_status;
	uint16_t urg_ptr;
	uint32_t payload_len;  /* tcp.len: segment bytes after the header */

	uint8_t n_options;     /* in wire order, for display */
	struct pkl_tcp_option options[PKL_TCP_MAX_OPTIONS];
	bool has_mss, has_wscale, sack_perm, has_ts;
	uint16_t mss;
	uint8_t wscale;
	uint32_t ts_val, ts_ecr;
	uint8_t n_sack;
	uint32_t sack_left[PKL_TCP_MAX_SACK], sack_right[PKL_TCP_MAX_SACK];
};

/* DNS (RFC 1035).  Names are kept as text in the layer's own pool, so
 * decoding allocates nothing: a name is where its text starts in names[]
 * and how long it is. */
#define PKL_DNS_MAX_QUESTIONS 4
#define PKL_DNS_MAX_RRS 32       /* answer, authority and additional, in order */
#define PKL_DNS_NAMES 1024       /* text of every name kept, each NUL-terminated */

struct pkl_dns_name {
	uint16_t off, len;     /* its text in names[] and its length; 0: the root */
};

struct pkl_dns_question {
	struct pkl_dns_name name;
	uint16_t type, qclass;
};

struct pkl_dns_rr {
	uint8_t section;       /* PKL_DNS_SECTION_* (dns.h) */
	bool rdata_decoded;    /* A, AAAA, or a name (CNAME, NS, PTR) read into rdata */
	uint16_t type, rclass;
	uint32_t ttl;
	uint16_t rdlength;
	struct pkl_dns_name name;
	union {
		uint8_t a[4];
		uint8_t aaaa[16];
		struct pkl_dns_name target;
	} rdata;
};

struct pkl_dns {
	bool over_tcp;         /* a 2-byte length came first (RFC 1035 4.2.2) */
	bool mdns;             /* port 5353: the class's top bit is a flag (RFC 6762) */
	uint16_t tcp_length;   /* that length */
	uint16_t id, flags;
	uint16_t qdcount, ancount, nscount, arcount;
	uint8_t n_questions;   /* read and kept, at most PKL_DNS_MAX_QUESTIONS */
	uint8_t n_rrs;         /* read and kept, at most PKL_DNS_MAX_RRS */
	bool complete;         /* every question and record the counts announce was read */
	struct pkl_dns_question q[PKL_DNS_MAX_QUESTIONS];
	struct pkl_dns_rr rr[PKL_DNS_MAX_RRS];
	uint16_t names_used;
	char names[PKL_DNS_NAMES];
};

/* HTTP/1.x: the request or status line of a segment that starts one;
 * any other segment on the port is a continuation (as Wireshark calls
 * it).  Fields are where they are in the layer's bytes. */
struct pkl_http_span {
	uint16_t off, len;
};

struct pkl_http {
	bool request, response;  /* neither: a continuation */
	struct pkl_http_span method, uri, version;  /* request */
	struct pkl_http_span code, phrase;          /* response (version too) */
	uint16_t status;         /* the code as a number */
	uint16_t line_len;       /* the first line, without its CRLF */
};

struct pkl_unknown {
	enum pkl_proto parent; /* whose type field we did not know */
	uint32_t value;        /* the EtherType, IP protocol or link type */
};

struct pkl_layer {
	enum pkl_proto proto;
	uint8_t flags;         /* PKL_LAYER_* */
	uint32_t offset;       /* from the start of the frame */
	const uint8_t *data;   /* frame bytes at offset; valid for caplen bytes */
	uint32_t caplen;       /* bytes captured from offset to the end of this layer */
	uint32_t len;          /* bytes on the wire for this layer and what it carries */
	uint32_t hdr_len;      /* bytes of header this dissector consumed */
	uint32_t payload_len;  /* bytes it hands to the next layer, on the wire */
	union {
		struct pkl_eth eth;
		struct pkl_vlan vlan;
		struct pkl_sll sll;
		struct pkl_null null;
		struct pkl_arp arp;
		struct pkl_ipv4 ipv4;
		struct pkl_ipv6 ipv6;
		struct pkl_icmp icmp;
		struct pkl_udp udp;
		struct pkl_tcp tcp;
		struct pkl_dns dns;
		struct pkl_http http;
		struct pkl_unknown unknown;
	} hdr;
};

#define PKL_MAX_LAYERS 16
#define PKL_MAX_EVENTS 16

struct pkl_event {
	enum pkl_event_code code;
	uint8_t layer;         /* index into layers[] */
	uint32_t arg[2];
};

/* One captured frame as the input stage delivers it. */
/* Which way a frame went, where the input knows: frames pktlens sent
 * itself and the answers it heard; unknown for a saved or sniffed one. */
enum pkl_direction { PKL_DIR_UNKNOWN, PKL_DIR_SENT, PKL_DIR_RECEIVED };

struct pkl_frame {
	uint64_t number;       /* 1-based */
	int64_t ts_sec;
	uint32_t ts_nsec;      /* below 10^9: the input stage carries whole seconds */
	uint32_t caplen, len;
	int linktype;          /* DLT_ value from libpcap */
	enum pkl_direction direction;
	const uint8_t *bytes;
};

/* Capture time in nanoseconds, for differences between frames. */
static inline uint64_t
pkl_frame_ns(const struct pkl_frame *f)
{
	return (uint64_t)f->ts_sec * 1000000000u + f->ts_nsec;
}

struct pkl_packet {
	/* Set by the caller, kept across frames: leave every checksum
	 * unverified (the statistics do, unless asked, to stay at the
	 * speed of the read loop). */
	bool skip_checksums;

	const struct pkl_frame *frame;
	uint8_t n_layers;
	uint8_t n_events;
	uint8_t events_dropped; /* beyond PKL_MAX_EVENTS */
	bool truncated, malformed; /* any layer */
	struct pkl_layer layers[PKL_MAX_LAYERS];
	struct pkl_event events[PKL_MAX_EVENTS];
};

/* Record an event on layer l.  Its kind (see events.def) also marks the
 * layer and the packet truncated or malformed. */
void pkl_event(struct pkl_packet *pkt, const struct pkl_layer *l,
	       enum pkl_event_code code, uint32_t a0, uint32_t a1);

/* For dissectors: record the event and stop decoding here. */
enum pkl_proto pkl_stop(struct pkl_packet *pkt, struct pkl_layer *l,
			enum pkl_event_code code, uint32_t a0, uint32_t a1);

/* pkl_need's answer when the bytes are missing (false). */
bool pkl_need_missing(struct pkl_packet *pkt, struct pkl_layer *l, uint32_t need,
		      enum pkl_event_code trunc_code);

/* For dissectors: are `need` bytes of this layer captured?  If not,
 * records the protocol's truncation event (need, caplen) when the wire
 * had them, or a malformed-length event when even the wire did not, and
 * marks the layer as decoded up to what was captured.  Inline: every
 * dissector asks, several times a frame. */
static inline bool
pkl_need(struct pkl_packet *pkt, struct pkl_layer *l, uint32_t need,
	 enum pkl_event_code trunc_code)
{
	return l->caplen >= need || pkl_need_missing(pkt, l, need, trunc_code);
}

/* Does this frame hold the whole datagram a transport layer l belongs
 * to?  Not when it is one IP fragment of it, or an ICMP error's quote
 * shorter than the quoted datagram: then its length and checksum fields
 * describe bytes that are not here. */
bool pkl_transport_whole(const struct pkl_packet *pkt, const struct pkl_layer *l);

/* The layer below l, or NULL: how a dissector reads its parent's fields
 * (the pseudo-header addresses, the quoting ICMP message). */
const struct pkl_layer *pkl_layer_below(const struct pkl_packet *pkt,
					const struct pkl_layer *l);

static inline uint8_t
pkl_layer_index(const struct pkl_packet *pkt, const struct pkl_layer *l)
{
	return (uint8_t)(l - pkt->layers);
}

/* Declare what this layer hands on: its header size and the wire length
 * of its payload (clamped to what the layer itself has). */
static inline void
pkl_layer_set_payload(struct pkl_layer *l, uint32_t hdr_len, uint32_t payload_len)
{
	l->hdr_len = hdr_len < l->len ? hdr_len : l->len;
	uint32_t rest = l->len - l->hdr_len;
	l->payload_len = payload_len < rest ? payload_len : rest;
}

/* The first layer of the given protocol at or after index `from`, or NULL. */
const struct pkl_layer *pkl_packet_find(const struct pkl_packet *pkt,
					enum pkl_proto proto, unsigned from);

#endif
