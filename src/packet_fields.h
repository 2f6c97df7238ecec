/* The fields of a frame, under Wireshark's display-filter names: the one
 * list that both the --json view (render_json.c) writes and the -Y
 * filter (dfilter.c) reads, so a key of the JSON is a field of the
 * filter, with the same value, and neither can gain a field the other
 * lacks.
 *
 * The lists are X-macros, in the order of the JSON keys.  An entry of a
 * layer's list is
 *
 *     F(id, proto, "name", has, TYPE, value)
 *
 * id names the field in C (PKL_FIELD_<id> for the filter); proto is the
 * layer it is read from (PKL_PROTO_<proto>; SLL also stands for SLL2);
 * has(L) says whether layer L holds it (a field a capture cut short
 * before it is left out, rather than shown as zero); value is an
 * expression over the layer L.  The frame's lists read `pkt` (the
 * packet), the connection's `c` (the tracker's snapshot, when valid);
 * their `has` take the same.  TYPE says what the value is and how the
 * JSON writes it:
 *
 *     U64, I64     a number
 *     BOOL         true or false
 *     MAC, IPV4, IPV6    an address (a pointer to its bytes)
 *     CKSUM        enum pkl_checksum, as "good", "bad" or "unverified"
 *     NAME         one of our own names (never escaped)
 *     STRING       any string
 *     SECONDS_US   microseconds, as seconds (Wireshark's time fields)
 *     EPOCH        the frame's capture time, as seconds since 1970
 *     RELTIME      the frame's time after the first frame's
 *     STEP         a connection's step (struct pkl_conn_step), as text
 *     EVENT        a decoding event (struct pkl_event *), as its sentence
 *     SPAN         bytes of the layer (struct pkl_http_span), as a string
 *
 * A layer that holds a field once per item (DNS's questions and
 * records) lists it in PKL_ITEM_FIELDS as
 *
 *     F(id, proto, "name", items, has, TYPE, value)
 *
 * items(L) counts the layer's items, has(L, I) says whether item I holds
 * the field and value is an expression over L and I: the JSON lists the
 * values of the items that hold it, in order (a value when there is
 * one), as tshark lists a field that occurs more than once; the filter
 * matches when any of them does.
 *
 * The sequence analysis's findings (tcp.analysis.<name>, from
 * tcp_analysis.def) come between PKL_CONN_HEAD_FIELDS and
 * PKL_CONN_TAIL_FIELDS, each present only when found, with the value
 * true. */
#ifndef PKL_PACKET_FIELDS_H
#define PKL_PACKET_FIELDS_H

#include <stdbool.h>

#include "../dissectors/dns.h"
#include "../dissectors/http.h"
#include "../dissectors/icmp.h"
#include "../dissectors/tcp.h"
#include "decode.h"
#include "findings.h"
#include "packet.h"
#include "tcp_state.h"

/* ---- which layers hold a field ------------------------------------------- */

static inline bool pkl_has_always(const struct pkl_layer *l) { (void)l; return true; }
static inline bool pkl_has_eth_addrs(const struct pkl_layer *l) { return l->hdr_len >= 12; }
/* The fixed header was read; a capture cut short inside it leaves its
 * fields unread. */
static inline bool pkl_has_header(const struct pkl_layer *l) { return l->flags & PKL_LAYER_HEADER; }
static inline bool pkl_has_sll_ifindex(const struct pkl_layer *l)
{
	return l->proto == PKL_PROTO_SLL2 && pkl_has_header(l);
}
static inline bool pkl_has_arp_addrs(const struct pkl_layer *l) { return l->hdr.arp.addrs_decoded; }
static inline bool pkl_has_ports(const struct pkl_layer *l) { return l->caplen >= 4; }
static inline bool pkl_has_seq(const struct pkl_layer *l) { return l->caplen >= 8; }
static inline bool pkl_has_echo(const struct pkl_layer *l) { return l->hdr.icmp.has_echo; }
static inline bool pkl_has_unquoted_cksum(const struct pkl_layer *l)
{
	return !(l->flags & PKL_LAYER_QUOTED) && pkl_has_header(l);
}
static inline bool pkl_has_mtu(const struct pkl_layer *l)
{
	return pkl_icmp_is_frag_needed(l->hdr.icmp.type, l->hdr.icmp.code);
}
static inline bool pkl_has_gateway(const struct pkl_layer *l) { return l->hdr.icmp.has_gateway; }
static inline bool pkl_has_mss(const struct pkl_layer *l) { return l->hdr.tcp.has_mss; }
static inline bool pkl_has_wscale(const struct pkl_layer *l) { return l->hdr.tcp.has_wscale; }
static inline bool pkl_has_sack_perm(const struct pkl_layer *l) { return l->hdr.tcp.sack_perm; }
static inline bool pkl_has_ts(const struct pkl_layer *l) { return l->hdr.tcp.has_ts; }
static inline bool pkl_has_tcp_len(const struct pkl_layer *l) { return pkl_tcp_length_known(l); }
static inline bool pkl_has_v6_target(const struct pkl_layer *l) { return l->hdr.icmp.has_target; }
static inline bool pkl_has_dns_length(const struct pkl_layer *l)
{
	return pkl_has_header(l) && l->hdr.dns.over_tcp;
}
/* AA, RA and RCODE mean nothing in a query: Wireshark leaves them out. */
static inline bool pkl_has_dns_response(const struct pkl_layer *l)
{
	return pkl_has_header(l) && (l->hdr.dns.flags & PKL_DNS_QR);
}
static inline bool pkl_has_http_request(const struct pkl_layer *l) { return l->hdr.http.request; }
static inline bool pkl_has_http_response(const struct pkl_layer *l) { return l->hdr.http.response; }

/* Offloaded checksums are wrong in the capture: tshark says bad too. */
static inline const char *
pkl_checksum_status_name(enum pkl_checksum s)
{
	return s == PKL_CK_GOOD ? "good" : s == PKL_CK_UNVERIFIED ? "unverified" : "bad";
}

/* ---- the layers' fields -------------------------------------------------- */

#define PKL_ETH_FIELDS(F)                                                                   \
	F(ETH_DST, ETH, "eth.dst", pkl_has_eth_addrs, MAC, L->hdr.eth.dst)                  \
	F(ETH_SRC, ETH, "eth.src", pkl_has_eth_addrs, MAC, L->hdr.eth.src)                  \
	F(ETH_DST_IG, ETH, "eth.dst.ig", pkl_has_eth_addrs, BOOL, L->hdr.eth.dst[0] & 1)    \
	F(ETH_TYPE, ETH, "eth.type", pkl_has_header, U64, L->hdr.eth.type)

#define PKL_VLAN_FIELDS(F)                                                                  \
	F(VLAN_PRIORITY, VLAN, "vlan.priority", pkl_has_header, U64, L->hdr.vlan.pcp)       \
	F(VLAN_DEI, VLAN, "vlan.dei", pkl_has_header, BOOL, L->hdr.vlan.dei)                \
	F(VLAN_ID, VLAN, "vlan.id", pkl_has_header, U64, L->hdr.vlan.vid)                   \
	F(VLAN_ETYPE, VLAN, "vlan.etype", pkl_has_header, U64, L->hdr.vlan.type)

#define PKL_SLL_FIELDS(F)                                                                   \
	F(SLL_PKTTYPE, SLL, "sll.pkttype", pkl_has_header, U64, L->hdr.sll.pkttype)         \
	F(SLL_HATYPE, SLL, "sll.hatype", pkl_has_header, U64, L->hdr.sll.hatype)            \
	F(SLL_HALEN, SLL, "sll.halen", pkl_has_header, U64, L->hdr.sll.addr_len)            \
	F(SLL_ETYPE, SLL, "sll.etype", pkl_has_header, U64, L->hdr.sll.protocol)            \
	F(SLL_IFINDEX, SLL, "sll.ifindex", pkl_has_sll_ifindex, U64, L->hdr.sll.ifindex)

#define PKL_NULL_FIELDS(F)                                                                  \
	F(NULL_FAMILY, NULL, "null.family", pkl_has_header, U64, L->hdr.null.family)

#define PKL_ARP_FIELDS(F)                                                                   \
	F(ARP_HW_TYPE, ARP, "arp.hw.type", pkl_has_header, U64, L->hdr.arp.htype)           \
	F(ARP_PROTO_TYPE, ARP, "arp.proto.type", pkl_has_header, U64, L->hdr.arp.ptype)    \
	F(ARP_HW_SIZE, ARP, "arp.hw.size", pkl_has_header, U64, L->hdr.arp.hlen)            \
	F(ARP_PROTO_SIZE, ARP, "arp.proto.size", pkl_has_header, U64, L->hdr.arp.plen)     \
	F(ARP_OPCODE, ARP, "arp.opcode", pkl_has_header, U64, L->hdr.arp.op)                \
	F(ARP_SRC_HW_MAC, ARP, "arp.src.hw_mac", pkl_has_arp_addrs, MAC, L->hdr.arp.sha)    \
	F(ARP_SRC_PROTO_IPV4, ARP, "arp.src.proto_ipv4", pkl_has_arp_addrs, IPV4,           \
	  L->hdr.arp.spa)                                                                   \
	F(ARP_DST_HW_MAC, ARP, "arp.dst.hw_mac", pkl_has_arp_addrs, MAC, L->hdr.arp.tha)    \
	F(ARP_DST_PROTO_IPV4, ARP, "arp.dst.proto_ipv4", pkl_has_arp_addrs, IPV4,           \
	  L->hdr.arp.tpa)                                                                   \
	F(ARP_ISGRATUITOUS, ARP, "arp.isgratuitous", pkl_has_arp_addrs, BOOL,               \
	  L->hdr.arp.kind == PKL_ARP_GRATUITOUS)                                            \
	F(ARP_ISPROBE, ARP, "arp.isprobe", pkl_has_arp_addrs, BOOL,                         \
	  L->hdr.arp.kind == PKL_ARP_PROBE)

#define PKL_IPV4_FIELDS(F)                                                                  \
	F(IP_VERSION, IPV4, "ip.version", pkl_has_header, U64, L->hdr.ipv4.version)         \
	F(IP_HDR_LEN, IPV4, "ip.hdr_len", pkl_has_header, U64, L->hdr.ipv4.ihl * 4u)        \
	F(IP_DSFIELD, IPV4, "ip.dsfield", pkl_has_header, U64, L->hdr.ipv4.dsfield)         \
	F(IP_DSFIELD_DSCP, IPV4, "ip.dsfield.dscp", pkl_has_header, U64,                    \
	  L->hdr.ipv4.dsfield >> 2)                                                         \
	F(IP_DSFIELD_ECN, IPV4, "ip.dsfield.ecn", pkl_has_header, U64,                      \
	  L->hdr.ipv4.dsfield & 3)                                                          \
	F(IP_LEN, IPV4, "ip.len", pkl_has_header, U64, L->hdr.ipv4.total_len)               \
	F(IP_ID, IPV4, "ip.id", pkl_has_header, U64, L->hdr.ipv4.id)                        \
	F(IP_FLAGS, IPV4, "ip.flags", pkl_has_header, U64,                                  \
	  (unsigned)L->hdr.ipv4.rf << 2 | (unsigned)L->hdr.ipv4.df << 1 | L->hdr.ipv4.mf)   \
	F(IP_FLAGS_RB, IPV4, "ip.flags.rb", pkl_has_header, BOOL, L->hdr.ipv4.rf)           \
	F(IP_FLAGS_DF, IPV4, "ip.flags.df", pkl_has_header, BOOL, L->hdr.ipv4.df)           \
	F(IP_FLAGS_MF, IPV4, "ip.flags.mf", pkl_has_header, BOOL, L->hdr.ipv4.mf)           \
	F(IP_FRAG_OFFSET, IPV4, "ip.frag_offset", pkl_has_header, U64,                      \
	  L->hdr.ipv4.frag_offset)                                                          \
	F(IP_TTL, IPV4, "ip.ttl", pkl_has_header, U64, L->hdr.ipv4.ttl)                     \
	F(IP_PROTO, IPV4, "ip.proto", pkl_has_header, U64, L->hdr.ipv4.proto)               \
	F(IP_CHECKSUM, IPV4, "ip.checksum", pkl_has_header, U64, L->hdr.ipv4.cksum)         \
	F(IP_CHECKSUM_STATUS, IPV4, "ip.checksum.status", pkl_has_header, CKSUM,            \
	  L->hdr.ipv4.cksum_status)                                                         \
	F(IP_SRC, IPV4, "ip.src", pkl_has_header, IPV4, L->hdr.ipv4.src)                    \
	F(IP_DST, IPV4, "ip.dst", pkl_has_header, IPV4, L->hdr.ipv4.dst)

#define PKL_IPV6_FIELDS(F)                                                                  \
	F(IPV6_VERSION, IPV6, "ipv6.version", pkl_has_header, U64, L->hdr.ipv6.version)     \
	F(IPV6_TCLASS, IPV6, "ipv6.tclass", pkl_has_header, U64, L->hdr.ipv6.tclass)        \
	F(IPV6_FLOW, IPV6, "ipv6.flow", pkl_has_header, U64, L->hdr.ipv6.flow)              \
	F(IPV6_PLEN, IPV6, "ipv6.plen", pkl_has_header, U64, L->hdr.ipv6.payload_len)       \
	F(IPV6_NXT, IPV6, "ipv6.nxt", pkl_has_header, U64, L->hdr.ipv6.nxt)                 \
	F(IPV6_HLIM, IPV6, "ipv6.hlim", pkl_has_header, U64, L->hdr.ipv6.hlim)              \
	F(IPV6_SRC, IPV6, "ipv6.src", pkl_has_header, IPV6, L->hdr.ipv6.src)                \
	F(IPV6_DST, IPV6, "ipv6.dst", pkl_has_header, IPV6, L->hdr.ipv6.dst)

#define PKL_ICMP_FIELDS(F)                                                                  \
	F(ICMP_TYPE, ICMP, "icmp.type", pkl_has_header, U64, L->hdr.icmp.type)              \
	F(ICMP_CODE, ICMP, "icmp.code", pkl_has_header, U64, L->hdr.icmp.code)              \
	F(ICMP_CHECKSUM, ICMP, "icmp.checksum", pkl_has_header, U64, L->hdr.icmp.cksum)     \
	F(ICMP_CHECKSUM_STATUS, ICMP, "icmp.checksum.status", pkl_has_unquoted_cksum,       \
	  CKSUM, L->hdr.icmp.cksum_status)                                                  \
	F(ICMP_IDENT, ICMP, "icmp.ident", pkl_has_echo, U64, L->hdr.icmp.ident)             \
	F(ICMP_SEQ, ICMP, "icmp.seq", pkl_has_echo, U64, L->hdr.icmp.seq)                   \
	F(ICMP_MTU, ICMP, "icmp.mtu", pkl_has_mtu, U64, L->hdr.icmp.next_hop_mtu)           \
	F(ICMP_REDIR_GW, ICMP, "icmp.redir_gw", pkl_has_gateway, IPV4, L->hdr.icmp.gateway)

#define PKL_ICMPV6_FIELDS(F)                                                                \
	F(ICMPV6_TYPE, ICMPV6, "icmpv6.type", pkl_has_header, U64, L->hdr.icmp.type)        \
	F(ICMPV6_CODE, ICMPV6, "icmpv6.code", pkl_has_header, U64, L->hdr.icmp.code)        \
	F(ICMPV6_CHECKSUM, ICMPV6, "icmpv6.checksum", pkl_has_header, U64,                  \
	  L->hdr.icmp.cksum)                                                                \
	F(ICMPV6_CHECKSUM_STATUS, ICMPV6, "icmpv6.checksum.status", pkl_has_unquoted_cksum, \
	  CKSUM, L->hdr.icmp.cksum_status)                                                  \
	F(ICMPV6_ECHO_IDENTIFIER, ICMPV6, "icmpv6.echo.identifier", pkl_has_echo, U64,      \
	  L->hdr.icmp.ident)                                                                \
	F(ICMPV6_ECHO_SEQUENCE_NUMBER, ICMPV6, "icmpv6.echo.sequence_number", pkl_has_echo, \
	  U64, L->hdr.icmp.seq)                                                             \
	F(ICMPV6_ND_TARGET_ADDRESS, ICMPV6, "icmpv6.nd.target_address", pkl_has_v6_target,  \
	  IPV6, L->hdr.icmp.target)

#define PKL_UDP_FIELDS(F)                                                                   \
	F(UDP_SRCPORT, UDP, "udp.srcport", pkl_has_ports, U64, L->hdr.udp.sport)            \
	F(UDP_DSTPORT, UDP, "udp.dstport", pkl_has_ports, U64, L->hdr.udp.dport)            \
	F(UDP_LENGTH, UDP, "udp.length", pkl_has_header, U64, L->hdr.udp.ulen)              \
	F(UDP_CHECKSUM, UDP, "udp.checksum", pkl_has_header, U64, L->hdr.udp.cksum)         \
	F(UDP_CHECKSUM_STATUS, UDP, "udp.checksum.status", pkl_has_header, CKSUM,           \
	  L->hdr.udp.cksum_status)

#define PKL_TCP_FLAG_FIELD(F, id, name, flag) \
	F(id, TCP, name, pkl_has_header, BOOL, L->hdr.tcp.flags & (flag))

#define PKL_TCP_FIELDS(F)                                                                   \
	F(TCP_SRCPORT, TCP, "tcp.srcport", pkl_has_ports, U64, L->hdr.tcp.sport)            \
	F(TCP_DSTPORT, TCP, "tcp.dstport", pkl_has_ports, U64, L->hdr.tcp.dport)            \
	F(TCP_SEQ_RAW, TCP, "tcp.seq_raw", pkl_has_seq, U64, L->hdr.tcp.seq)                \
	F(TCP_ACK_RAW, TCP, "tcp.ack_raw", pkl_has_header, U64, L->hdr.tcp.ack)             \
	F(TCP_HDR_LEN, TCP, "tcp.hdr_len", pkl_has_header, U64, L->hdr.tcp.doff * 4u)       \
	F(TCP_FLAGS, TCP, "tcp.flags", pkl_has_header, U64, L->hdr.tcp.flags)               \
	PKL_TCP_FLAG_FIELD(F, TCP_FLAGS_NS, "tcp.flags.ns", PKL_TCP_AE)                     \
	PKL_TCP_FLAG_FIELD(F, TCP_FLAGS_CWR, "tcp.flags.cwr", PKL_TCP_CWR)                  \
	PKL_TCP_FLAG_FIELD(F, TCP_FLAGS_ECE, "tcp.flags.ece", PKL_TCP_ECE)                  \
	PKL_TCP_FLAG_FIELD(F, TCP_FLAGS_URG, "tcp.flags.urg", PKL_TCP_URG)                  \
	PKL_TCP_FLAG_FIELD(F, TCP_FLAGS_ACK, "tcp.flags.ack", PKL_TCP_ACK)                  \
	PKL_TCP_FLAG_FIELD(F, TCP_FLAGS_PUSH, "tcp.flags.push", PKL_TCP_PSH)                \
	PKL_TCP_FLAG_FIELD(F, TCP_FLAGS_RESET, "tcp.flags.reset", PKL_TCP_RST)              \
	PKL_TCP_FLAG_FIELD(F, TCP_FLAGS_SYN, "tcp.flags.syn", PKL_TCP_SYN)                  \
	PKL_TCP_FLAG_FIELD(F, TCP_FLAGS_FIN, "tcp.flags.fin", PKL_TCP_FIN)                  \
	F(TCP_WINDOW_SIZE_VALUE, TCP, "tcp.window_size_value", pkl_has_header, U64,         \
	  L->hdr.tcp.window)                                                                \
	F(TCP_CHECKSUM, TCP, "tcp.checksum", pkl_has_header, U64, L->hdr.tcp.cksum)         \
	F(TCP_CHECKSUM_STATUS, TCP, "tcp.checksum.status", pkl_has_header, CKSUM,           \
	  L->hdr.tcp.cksum_status)                                                          \
	F(TCP_URGENT_POINTER, TCP, "tcp.urgent_pointer", pkl_has_header, U64,               \
	  L->hdr.tcp.urg_ptr)                                                               \
	F(TCP_LEN, TCP, "tcp.len", pkl_has_tcp_len, U64, L->hdr.tcp.payload_len)            \
	F(TCP_OPTIONS_MSS_VAL, TCP, "tcp.options.mss_val", pkl_has_mss, U64, L->hdr.tcp.mss) \
	F(TCP_OPTIONS_WSCALE_SHIFT, TCP, "tcp.options.wscale.shift", pkl_has_wscale, U64,   \
	  L->hdr.tcp.wscale)                                                                \
	F(TCP_OPTIONS_WSCALE_MULTIPLIER, TCP, "tcp.options.wscale.multiplier",              \
	  pkl_has_wscale, U64,                                                              \
	  1u << (L->hdr.tcp.wscale > PKL_TCP_MAX_WSCALE ? PKL_TCP_MAX_WSCALE                \
							: L->hdr.tcp.wscale))               \
	F(TCP_OPTIONS_SACK_PERM, TCP, "tcp.options.sack_perm", pkl_has_sack_perm, BOOL, true) \
	F(TCP_OPTIONS_TIMESTAMP_TSVAL, TCP, "tcp.options.timestamp.tsval", pkl_has_ts, U64, \
	  L->hdr.tcp.ts_val)                                                                \
	F(TCP_OPTIONS_TIMESTAMP_TSECR, TCP, "tcp.options.timestamp.tsecr", pkl_has_ts, U64, \
	  L->hdr.tcp.ts_ecr)

/* The header's: a message holds them once (the questions' and records'
 * are PKL_DNS_ITEM_FIELDS, after them). */
#define PKL_DNS_FLAG_FIELD(F, id, name, has, flag) \
	F(id, DNS, name, has, BOOL, L->hdr.dns.flags & (flag))

#define PKL_DNS_FIELDS(F)                                                                   \
	F(DNS_LENGTH, DNS, "dns.length", pkl_has_dns_length, U64, L->hdr.dns.tcp_length)    \
	F(DNS_ID, DNS, "dns.id", pkl_has_header, U64, L->hdr.dns.id)                        \
	F(DNS_FLAGS, DNS, "dns.flags", pkl_has_header, U64, L->hdr.dns.flags)               \
	PKL_DNS_FLAG_FIELD(F, DNS_FLAGS_RESPONSE, "dns.flags.response", pkl_has_header,     \
			   PKL_DNS_QR)                                                      \
	F(DNS_FLAGS_OPCODE, DNS, "dns.flags.opcode", pkl_has_header, U64,                   \
	  pkl_dns_opcode(L->hdr.dns.flags))                                                 \
	PKL_DNS_FLAG_FIELD(F, DNS_FLAGS_AUTHORITATIVE, "dns.flags.authoritative",           \
			   pkl_has_dns_response, PKL_DNS_AA)                                \
	PKL_DNS_FLAG_FIELD(F, DNS_FLAGS_TRUNCATED, "dns.flags.truncated", pkl_has_header,   \
			   PKL_DNS_TC)                                                      \
	PKL_DNS_FLAG_FIELD(F, DNS_FLAGS_RECDESIRED, "dns.flags.recdesired", pkl_has_header, \
			   PKL_DNS_RD)                                                      \
	PKL_DNS_FLAG_FIELD(F, DNS_FLAGS_RECAVAIL, "dns.flags.recavail", pkl_has_dns_response, \
			   PKL_DNS_RA)                                                      \
	F(DNS_FLAGS_RCODE, DNS, "dns.flags.rcode", pkl_has_dns_response, U64,               \
	  pkl_dns_rcode(L->hdr.dns.flags))                                                  \
	F(DNS_COUNT_QUERIES, DNS, "dns.count.queries", pkl_has_header, U64,                 \
	  L->hdr.dns.qdcount)                                                               \
	F(DNS_COUNT_ANSWERS, DNS, "dns.count.answers", pkl_has_header, U64,                 \
	  L->hdr.dns.ancount)                                                               \
	F(DNS_COUNT_AUTH_RR, DNS, "dns.count.auth_rr", pkl_has_header, U64,                 \
	  L->hdr.dns.nscount)                                                               \
	F(DNS_COUNT_ADD_RR, DNS, "dns.count.add_rr", pkl_has_header, U64, L->hdr.dns.arcount)

/* The first line's (a continuation has none). */
#define PKL_HTTP_FIELDS(F)                                                                  \
	F(HTTP_REQUEST, HTTP, "http.request", pkl_has_http_request, BOOL, true)             \
	F(HTTP_REQUEST_METHOD, HTTP, "http.request.method", pkl_has_http_request, SPAN,     \
	  L->hdr.http.method)                                                               \
	F(HTTP_REQUEST_URI, HTTP, "http.request.uri", pkl_has_http_request, SPAN,           \
	  L->hdr.http.uri)                                                                  \
	F(HTTP_REQUEST_VERSION, HTTP, "http.request.version", pkl_has_http_request, SPAN,   \
	  L->hdr.http.version)                                                              \
	F(HTTP_RESPONSE, HTTP, "http.response", pkl_has_http_response, BOOL, true)          \
	F(HTTP_RESPONSE_VERSION, HTTP, "http.response.version", pkl_has_http_response,      \
	  SPAN, L->hdr.http.version)                                                        \
	F(HTTP_RESPONSE_CODE, HTTP, "http.response.code", pkl_has_http_response, U64,       \
	  L->hdr.http.status)                                                               \
	F(HTTP_RESPONSE_PHRASE, HTTP, "http.response.phrase", pkl_has_http_response, SPAN,  \
	  L->hdr.http.phrase)

#define PKL_DATA_FIELDS(F) F(DATA_LEN, DATA, "data.len", pkl_has_always, U64, L->len)

/* Every layer's fields. */
#define PKL_LAYER_FIELDS(F)                                                                 \
	PKL_ETH_FIELDS(F) PKL_VLAN_FIELDS(F) PKL_SLL_FIELDS(F) PKL_NULL_FIELDS(F)            \
	PKL_ARP_FIELDS(F) PKL_IPV4_FIELDS(F) PKL_IPV6_FIELDS(F) PKL_ICMP_FIELDS(F)          \
	PKL_ICMPV6_FIELDS(F) PKL_UDP_FIELDS(F) PKL_TCP_FIELDS(F) PKL_DNS_FIELDS(F)          \
	PKL_HTTP_FIELDS(F) PKL_DATA_FIELDS(F)

/* ---- fields held once per item: F(id, proto, "name", items, has, TYPE, value) */

static inline unsigned
pkl_dns_questions(const struct pkl_layer *l)
{
	return l->hdr.dns.n_questions;
}
static inline unsigned pkl_dns_records(const struct pkl_layer *l) { return l->hdr.dns.n_rrs; }
static inline bool
pkl_has_each(const struct pkl_layer *l, unsigned i)
{
	(void)l, (void)i;
	return true;
}
/* OPT's class and TTL are a payload size and extended flags: Wireshark
 * names them otherwise, pktlens leaves them out. */
static inline bool
pkl_has_dns_class_ttl(const struct pkl_layer *l, unsigned i)
{
	return l->hdr.dns.rr[i].type != PKL_DNS_TYPE_OPT;
}
/* Record i's data was read as an address or name of that type. */
static inline bool
pkl_dns_rdata_is(const struct pkl_layer *l, unsigned i, uint16_t type)
{
	return l->hdr.dns.rr[i].rdata_decoded && l->hdr.dns.rr[i].type == type;
}
static inline bool
pkl_has_dns_a(const struct pkl_layer *l, unsigned i)
{
	return pkl_dns_rdata_is(l, i, PKL_DNS_TYPE_A);
}
static inline bool
pkl_has_dns_aaaa(const struct pkl_layer *l, unsigned i)
{
	return pkl_dns_rdata_is(l, i, PKL_DNS_TYPE_AAAA);
}
static inline bool
pkl_has_dns_cname(const struct pkl_layer *l, unsigned i)
{
	return pkl_dns_rdata_is(l, i, PKL_DNS_TYPE_CNAME);
}
static inline bool
pkl_has_dns_ns(const struct pkl_layer *l, unsigned i)
{
	return pkl_dns_rdata_is(l, i, PKL_DNS_TYPE_NS);
}
static inline bool
pkl_has_dns_ptr(const struct pkl_layer *l, unsigned i)
{
	return pkl_dns_rdata_is(l, i, PKL_DNS_TYPE_PTR);
}

/* A name's text, with Wireshark's word for the root (the empty name). */
static inline const char *
pkl_dns_name_shown(const struct pkl_layer *l, struct pkl_dns_name n)
{
	return n.len ? pkl_dns_name_text(&l->hdr.dns, n) : "<Root>";
}

#define PKL_DNS_QUESTION(F, id, name, TYPE, value) \
	F(id, DNS, name, pkl_dns_questions, pkl_has_each, TYPE, value)
#define PKL_DNS_RECORD(F, id, name, has, TYPE, value) \
	F(id, DNS, name, pkl_dns_records, has, TYPE, value)

#define PKL_DNS_ITEM_FIELDS(F)                                                              \
	PKL_DNS_QUESTION(F, DNS_QRY_NAME, "dns.qry.name", STRING,                           \
			 pkl_dns_name_shown(L, L->hdr.dns.q[I].name))                       \
	PKL_DNS_QUESTION(F, DNS_QRY_TYPE, "dns.qry.type", U64, L->hdr.dns.q[I].type)        \
	PKL_DNS_QUESTION(F, DNS_QRY_CLASS, "dns.qry.class", U64,                            \
			 pkl_dns_class(&L->hdr.dns, L->hdr.dns.q[I].qclass))                \
	PKL_DNS_RECORD(F, DNS_RESP_NAME, "dns.resp.name", pkl_has_each, STRING,             \
		       pkl_dns_name_shown(L, L->hdr.dns.rr[I].name))                        \
	PKL_DNS_RECORD(F, DNS_RESP_TYPE, "dns.resp.type", pkl_has_each, U64,                \
		       L->hdr.dns.rr[I].type)                                               \
	PKL_DNS_RECORD(F, DNS_RESP_CLASS, "dns.resp.class", pkl_has_dns_class_ttl, U64,     \
		       pkl_dns_class(&L->hdr.dns, L->hdr.dns.rr[I].rclass))                 \
	PKL_DNS_RECORD(F, DNS_RESP_TTL, "dns.resp.ttl", pkl_has_dns_class_ttl, U64,         \
		       L->hdr.dns.rr[I].ttl)                                                \
	PKL_DNS_RECORD(F, DNS_RESP_LEN, "dns.resp.len", pkl_has_each, U64,                  \
		       L->hdr.dns.rr[I].rdlength)                                           \
	PKL_DNS_RECORD(F, DNS_A, "dns.a", pkl_has_dns_a, IPV4, L->hdr.dns.rr[I].rdata.a)    \
	PKL_DNS_RECORD(F, DNS_AAAA, "dns.aaaa", pkl_has_dns_aaaa, IPV6,                     \
		       L->hdr.dns.rr[I].rdata.aaaa)                                         \
	PKL_DNS_RECORD(F, DNS_CNAME, "dns.cname", pkl_has_dns_cname, STRING,                \
		       pkl_dns_name_shown(L, L->hdr.dns.rr[I].rdata.target))                \
	PKL_DNS_RECORD(F, DNS_NS, "dns.ns", pkl_has_dns_ns, STRING,                         \
		       pkl_dns_name_shown(L, L->hdr.dns.rr[I].rdata.target))                \
	PKL_DNS_RECORD(F, DNS_PTR_DOMAIN_NAME, "dns.ptr.domain_name", pkl_has_dns_ptr,      \
		       STRING, pkl_dns_name_shown(L, L->hdr.dns.rr[I].rdata.target))

/* Every layer's. */
#define PKL_ITEM_FIELDS(F) PKL_DNS_ITEM_FIELDS(F)

/* ---- the frame's fields: F(id, "name", has, TYPE, value) over pkt ---------- */

static inline bool pkl_has_frame(const struct pkl_packet *pkt) { (void)pkt; return true; }
static inline bool
pkl_has_direction(const struct pkl_packet *pkt)
{
	return pkt->frame->direction != PKL_DIR_UNKNOWN;
}
static inline bool pkl_has_truncated(const struct pkl_packet *pkt) { return pkt->truncated; }

/* The first reason the packet is malformed (the notes list them all). */
static inline const struct pkl_event *
pkl_first_malformed(const struct pkl_packet *pkt)
{
	for (unsigned i = 0; i < pkt->n_events; i++)
		if (pkl_event_kind(pkt->events[i].code) == PKL_EVK_MALFORMED)
			return &pkt->events[i];
	return NULL;
}
static inline bool pkl_has_malformed(const struct pkl_packet *pkt) { return pkl_first_malformed(pkt); }

/* Before the layers. */
#define PKL_FRAME_FIELDS(F)                                                                 \
	F(FRAME_NUMBER, "frame.number", pkl_has_frame, U64, pkt->frame->number)             \
	F(FRAME_TIME_EPOCH, "frame.time_epoch", pkl_has_frame, EPOCH, pkt->frame)           \
	F(FRAME_TIME_RELATIVE, "frame.time_relative", pkl_has_frame, RELTIME, pkt->frame)   \
	F(FRAME_LEN, "frame.len", pkl_has_frame, U64, pkt->frame->len)                      \
	F(FRAME_CAP_LEN, "frame.cap_len", pkl_has_frame, U64, pkt->frame->caplen)           \
	F(DIRECTION, "direction", pkl_has_direction, NAME,                                  \
	  pkt->frame->direction == PKL_DIR_SENT ? "sent" : "received")

/* After the connection's. */
#define PKL_FRAME_TAIL_FIELDS(F)                                                            \
	F(TRUNCATED, "truncated", pkl_has_truncated, BOOL, true)                            \
	F(MALFORMED, "malformed", pkl_has_malformed, EVENT, pkl_first_malformed(pkt))

/* ---- the connection's: F(id, "name", has, TYPE, value) over pkt and c ------ */

static inline bool
pkl_has_conn(const struct pkl_packet *pkt, const struct pkl_conn_snapshot *c)
{
	(void)pkt, (void)c;
	return true;
}
static inline bool
pkl_has_dup_ack(const struct pkl_packet *pkt, const struct pkl_conn_snapshot *c)
{
	(void)pkt;
	return c->analysis.flags & PKL_TA_DUPLICATE_ACK;
}
static inline bool
pkl_has_rto(const struct pkl_packet *pkt, const struct pkl_conn_snapshot *c)
{
	(void)pkt;
	return c->analysis.rto_frame;
}
static inline bool
pkl_has_acked(const struct pkl_packet *pkt, const struct pkl_conn_snapshot *c)
{
	(void)pkt;
	return c->analysis.acked_frame;
}
/* pktlens's own verdict, beside Wireshark's flags. */
static inline bool
pkl_has_verdict(const struct pkl_packet *pkt, const struct pkl_conn_snapshot *c)
{
	(void)pkt;
	return c->analysis.own != PKL_TV_NONE;
}
/* An ACK timed at the acknowledging host: its turnaround or a delayed
 * ACK, not a round trip. */
static inline bool
pkl_has_ack_delay(const struct pkl_packet *pkt, const struct pkl_conn_snapshot *c)
{
	(void)pkt;
	return c->analysis.acked_frame && c->analysis.ack_timing != PKL_ACK_ROUND_TRIP;
}
static inline bool
pkl_has_bif(const struct pkl_packet *pkt, const struct pkl_conn_snapshot *c)
{
	(void)pkt;
	return c->analysis.bif_valid;
}
static inline bool
pkl_has_step(const struct pkl_packet *pkt, const struct pkl_conn_snapshot *c)
{
	(void)pkt;
	return c->step.phase != PKL_PHASE_NONE;
}

/* The acknowledgment number relative to the peer's first sequence
 * number, with the ACK flag; the raw field without it. */
static inline uint64_t
pkl_conn_ack(const struct pkl_packet *pkt, const struct pkl_conn_snapshot *c)
{
	for (unsigned i = 0; i < pkt->n_layers; i++)
		if (pkt->layers[i].proto == PKL_PROTO_TCP) {
			const struct pkl_tcp *t = &pkt->layers[i].hdr.tcp;
			return t->flags & PKL_TCP_ACK ? c->rel_ack : t->ack;
		}
	return c->rel_ack;
}

/* Wireshark's tcp.window_size_scalefactor: the multiplier, -1 when not
 * known, -2 when the handshake had no window scale option. */
static inline int64_t
pkl_conn_scalefactor(const struct pkl_conn_snapshot *c)
{
	int8_t s = c->analysis.win_scale;

	if (s >= 0)
		return (int64_t)1 << s;
	return s == PKL_WSCALE_NONE ? -2 : -1;
}

/* Before the sequence analysis's findings. */
#define PKL_CONN_HEAD_FIELDS(F)                                                             \
	F(TCP_SEQ, "tcp.seq", pkl_has_conn, U64, c->rel_seq)                                \
	F(TCP_ACK, "tcp.ack", pkl_has_conn, U64, pkl_conn_ack(pkt, c))                      \
	F(TCP_WINDOW_SIZE, "tcp.window_size", pkl_has_conn, U64, c->analysis.window_size)   \
	F(TCP_WINDOW_SIZE_SCALEFACTOR, "tcp.window_size_scalefactor", pkl_has_conn, I64,    \
	  pkl_conn_scalefactor(c))

/* After them. */
#define PKL_CONN_TAIL_FIELDS(F)                                                             \
	F(PKTLENS_TCP_VERDICT, "pktlens.tcp.verdict", pkl_has_verdict, STRING,              \
	  pkl_tcp_verdict_name((enum pkl_tcp_own)c->analysis.own))                          \
	F(TCP_ANALYSIS_DUPLICATE_ACK_NUM, "tcp.analysis.duplicate_ack_num", pkl_has_dup_ack, \
	  U64, c->analysis.dup_ack_num)                                                     \
	F(TCP_ANALYSIS_DUPLICATE_ACK_FRAME, "tcp.analysis.duplicate_ack_frame",             \
	  pkl_has_dup_ack, U64, c->analysis.dup_ack_frame)                                  \
	F(TCP_ANALYSIS_RTO, "tcp.analysis.rto", pkl_has_rto, SECONDS_US, c->analysis.rto_us) \
	F(TCP_ANALYSIS_RTO_FRAME, "tcp.analysis.rto_frame", pkl_has_rto, U64,               \
	  c->analysis.rto_frame)                                                            \
	F(TCP_ANALYSIS_ACKS_FRAME, "tcp.analysis.acks_frame", pkl_has_acked, U64,           \
	  c->analysis.acked_frame)                                                          \
	F(TCP_ANALYSIS_ACK_RTT, "tcp.analysis.ack_rtt", pkl_has_acked, SECONDS_US,          \
	  c->analysis.ack_rtt_us)                                                           \
	F(PKTLENS_TCP_ACK_DELAY, "pktlens.tcp.ack_delay", pkl_has_ack_delay, STRING,        \
	  c->analysis.ack_timing == PKL_ACK_TURNAROUND ? "turnaround" : "delayed_ack")     \
	F(TCP_ANALYSIS_BYTES_IN_FLIGHT, "tcp.analysis.bytes_in_flight", pkl_has_bif, U64,   \
	  c->analysis.bytes_in_flight)                                                      \
	F(CONN_ID, "conn.id", pkl_has_conn, U64, c->id)                                     \
	F(CONN_SENDER, "conn.sender", pkl_has_conn, NAME,                                   \
	  c->sender == 0 ? "client" : "server")                                             \
	F(CONN_CLIENT_STATE, "conn.client_state", pkl_has_conn, STRING,                     \
	  pkl_tcp_state_name((enum pkl_tcp_state)c->after[0]))                              \
	F(CONN_SERVER_STATE, "conn.server_state", pkl_has_conn, STRING,                     \
	  pkl_tcp_state_name((enum pkl_tcp_state)c->after[1]))                              \
	F(CONN_STEP, "conn.step", pkl_has_step, STEP, c->step)

#endif
