/* Shared helpers for the cmocka unit tests: known-good frames as byte
 * arrays, an independent Internet checksum to make them really good, a
 * decode wrapper and finders/assertions for layers and events.
 *
 * Everything here is static or static inline: each test program includes
 * this header once and uses only part of it. */
#ifndef PKL_TEST_FRAMES_H
#define PKL_TEST_FRAMES_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/dlt.h>

#include "../../src/decode.h"
#include "../../src/events.h"
#include "../../src/packet.h"

#define TF_MAX 2048

/* ---------------------------------------------------------------- frames
 * Hosts as in captures/README.md: A = 52:54:00:12:34:56, 10.77.1.1,
 * fd77::1; B = 52:54:00:65:43:21, 10.77.1.2, fd77::2.  Checksum fields
 * are zero in the arrays: tf_load_known() computes them. */
#define TF_MAC_A 0x52, 0x54, 0x00, 0x12, 0x34, 0x56
#define TF_MAC_B 0x52, 0x54, 0x00, 0x65, 0x43, 0x21
#define TF_IP_A 10, 77, 1, 1
#define TF_IP_B 10, 77, 1, 2
#define TF_IP6_A 0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
#define TF_IP6_B 0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2

/* A TCP SYN's 20 option bytes as Linux sends them: MSS 1460, SACK_PERM,
 * TS val 123456 ecr 0, NOP, WS 7. */
#define TF_SYN_OPTIONS \
	0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x00, 0x01, \
	0xe2, 0x40, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07

/* Ethernet, IPv4 (DF, TTL 64, id 0x1c46), TCP 40000 -> 8080 SYN,
 * seq 0x11223344, window 64240, data offset 10 with TF_SYN_OPTIONS. */
static const uint8_t tf_tcp_syn[] = {
	TF_MAC_B, TF_MAC_A, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x3c, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	TF_IP_A, TF_IP_B,
	0x9c, 0x40, 0x1f, 0x90, 0x11, 0x22, 0x33, 0x44, 0x00, 0x00, 0x00, 0x00,
	0xa0, 0x02, 0xfa, 0xf0, 0x00, 0x00, 0x00, 0x00,
	TF_SYN_OPTIONS,
};
#define TF_TCP_SYN_IP 14   /* offset of the IP header */
#define TF_TCP_SYN_TCP 34  /* offset of the TCP header */

/* Ethernet, IPv4 (id 0xabcd, DF), UDP 40000 -> 9999 length 13, "hello". */
static const uint8_t tf_udp[] = {
	TF_MAC_B, TF_MAC_A, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x21, 0xab, 0xcd, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
	TF_IP_A, TF_IP_B,
	0x9c, 0x40, 0x27, 0x0f, 0x00, 0x0d, 0x00, 0x00,
	'h', 'e', 'l', 'l', 'o',
};
#define TF_UDP_IP 14
#define TF_UDP_UDP 34

/* Ethernet, IPv4 (id 0x1234), ICMP echo request ident 0x1234 seq 1 with
 * 8 bytes of data. */
static const uint8_t tf_icmp_echo[] = {
	TF_MAC_B, TF_MAC_A, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x24, 0x12, 0x34, 0x40, 0x00, 0x40, 0x01, 0x00, 0x00,
	TF_IP_A, TF_IP_B,
	0x08, 0x00, 0x00, 0x00, 0x12, 0x34, 0x00, 0x01,
	'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h',
};
#define TF_ICMP_ECHO_IP 14
#define TF_ICMP_ECHO_ICMP 34

/* B -> A: ICMP port unreachable (TOS 0xc0 as Linux sends it) quoting all
 * of tf_udp's IP datagram, as Linux does. */
static const uint8_t tf_icmp_port_unreach[] = {
	TF_MAC_A, TF_MAC_B, 0x08, 0x00,
	0x45, 0xc0, 0x00, 0x3d, 0x56, 0x78, 0x00, 0x00, 0x40, 0x01, 0x00, 0x00,
	TF_IP_B, TF_IP_A,
	0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* the quote: tf_udp from its IP header on */
	0x45, 0x00, 0x00, 0x21, 0xab, 0xcd, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
	TF_IP_A, TF_IP_B,
	0x9c, 0x40, 0x27, 0x0f, 0x00, 0x0d, 0x00, 0x00,
	'h', 'e', 'l', 'l', 'o',
};
#define TF_UNREACH_ICMP 34
#define TF_UNREACH_QUOTE 42

/* Broadcast ARP request: who has 10.77.1.2, tell 10.77.1.1 (unpadded,
 * as the sending host captures it). */
static const uint8_t tf_arp_request[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, TF_MAC_A, 0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	TF_MAC_A, TF_IP_A,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, TF_IP_B,
};
#define TF_ARP_ARP 14

/* 802.1ad S-tag (vid 100) + 802.1Q C-tag (PCP 5, vid 200) carrying the
 * ICMP echo request of tf_icmp_echo. */
static const uint8_t tf_vlan_qinq[] = {
	TF_MAC_B, TF_MAC_A, 0x88, 0xa8,
	0x00, 0x64, 0x81, 0x00,
	0xa0, 0xc8, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x24, 0x12, 0x34, 0x40, 0x00, 0x40, 0x01, 0x00, 0x00,
	TF_IP_A, TF_IP_B,
	0x08, 0x00, 0x00, 0x00, 0x12, 0x34, 0x00, 0x01,
	'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h',
};
#define TF_VLAN_IP 22

/* Ethernet, IPv6 fd77::1 -> fd77::2 (hop limit 64), TCP SYN as tf_tcp_syn. */
static const uint8_t tf_ipv6_tcp[] = {
	TF_MAC_B, TF_MAC_A, 0x86, 0xdd,
	0x60, 0x00, 0x00, 0x00, 0x00, 0x28, 0x06, 0x40,
	TF_IP6_A, TF_IP6_B,
	0x9c, 0x40, 0x1f, 0x90, 0x11, 0x22, 0x33, 0x44, 0x00, 0x00, 0x00, 0x00,
	0xa0, 0x02, 0xfa, 0xf0, 0x00, 0x00, 0x00, 0x00,
	TF_SYN_OPTIONS,
};
#define TF_IPV6_IP 14
#define TF_IPV6_TCP 54

/* Ethernet, IPv6 with a hop-by-hop header (PadN), UDP 40000 -> 9999 "hello". */
static const uint8_t tf_ipv6_hbh_udp[] = {
	TF_MAC_B, TF_MAC_A, 0x86, 0xdd,
	0x60, 0x00, 0x00, 0x00, 0x00, 0x15, 0x00, 0x40,
	TF_IP6_A, TF_IP6_B,
	0x11, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
	0x9c, 0x40, 0x27, 0x0f, 0x00, 0x0d, 0x00, 0x00,
	'h', 'e', 'l', 'l', 'o',
};
#define TF_HBH_EXT 54
#define TF_HBH_UDP 62

/* Ethernet, IPv6 fd77::1 -> fd77::2 with a type 2 routing header
 * (segments left 1) naming fd77::99 as the final destination, then UDP
 * 40000 -> 9999 "hello": its checksum covers fd77::99, not fd77::2. */
static const uint8_t tf_ipv6_rh_udp[] = {
	TF_MAC_B, TF_MAC_A, 0x86, 0xdd,
	0x60, 0x00, 0x00, 0x00, 0x00, 0x25, 0x2b, 0x40,
	TF_IP6_A, TF_IP6_B,
	0x11, 0x02, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00,
	0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x99,
	0x9c, 0x40, 0x27, 0x0f, 0x00, 0x0d, 0x00, 0x00,
	'h', 'e', 'l', 'l', 'o',
};
#define TF_RH_EXT 54
#define TF_RH_UDP 78

/* Ethernet, IPv6, ICMPv6 echo request ident 0x1234 seq 1, 8 bytes of data. */
static const uint8_t tf_icmpv6_echo[] = {
	TF_MAC_B, TF_MAC_A, 0x86, 0xdd,
	0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x3a, 0x40,
	TF_IP6_A, TF_IP6_B,
	0x80, 0x00, 0x00, 0x00, 0x12, 0x34, 0x00, 0x01,
	'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h',
};
#define TF_ICMPV6_ECHO_ICMP 54

/* Neighbour solicitation for fd77::2 from fd77::1 to the solicited-node
 * multicast group, with a source link-layer address option. */
static const uint8_t tf_icmpv6_ns[] = {
	0x33, 0x33, 0xff, 0x00, 0x00, 0x02, TF_MAC_A, 0x86, 0xdd,
	0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff,
	TF_IP6_A,
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, 0x00, 0x00, 0x02,
	0x87, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	TF_IP6_B,
	0x01, 0x01, TF_MAC_A,
};
#define TF_NS_ICMP 54

/* Linux cooked v2 (-i any): protocol IPv4, ifindex 2, ARPHRD_ETHER,
 * outgoing, 6-byte address; then tf_udp's IP datagram. */
static const uint8_t tf_sll2_udp[] = {
	0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x01, 0x04, 0x06, TF_MAC_A, 0x00, 0x00,
	0x45, 0x00, 0x00, 0x21, 0xab, 0xcd, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
	TF_IP_A, TF_IP_B,
	0x9c, 0x40, 0x27, 0x0f, 0x00, 0x0d, 0x00, 0x00,
	'h', 'e', 'l', 'l', 'o',
};

/* BSD loopback (little-endian AF_INET) and the ICMP echo request. */
static const uint8_t tf_null_icmp[] = {
	0x02, 0x00, 0x00, 0x00,
	0x45, 0x00, 0x00, 0x24, 0x12, 0x34, 0x40, 0x00, 0x40, 0x01, 0x00, 0x00,
	TF_IP_A, TF_IP_B,
	0x08, 0x00, 0x00, 0x00, 0x12, 0x34, 0x00, 0x01,
	'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h',
};

struct tf_known {
	const char *name;
	int linktype;
	const uint8_t *bytes;
	uint32_t len;
};

#define TF_KNOWN(name, lt) { #name, lt, name, sizeof name }
static const struct tf_known tf_known_frames[] = {
	TF_KNOWN(tf_tcp_syn, DLT_EN10MB),
	TF_KNOWN(tf_udp, DLT_EN10MB),
	TF_KNOWN(tf_icmp_echo, DLT_EN10MB),
	TF_KNOWN(tf_icmp_port_unreach, DLT_EN10MB),
	TF_KNOWN(tf_arp_request, DLT_EN10MB),
	TF_KNOWN(tf_vlan_qinq, DLT_EN10MB),
	TF_KNOWN(tf_ipv6_tcp, DLT_EN10MB),
	TF_KNOWN(tf_ipv6_hbh_udp, DLT_EN10MB),
	TF_KNOWN(tf_icmpv6_echo, DLT_EN10MB),
	TF_KNOWN(tf_icmpv6_ns, DLT_EN10MB),
	TF_KNOWN(tf_sll2_udp, DLT_LINUX_SLL2),
	TF_KNOWN(tf_null_icmp, DLT_NULL),
	TF_KNOWN(tf_ipv6_rh_udp, DLT_EN10MB),
};
#undef TF_KNOWN
#define TF_N_KNOWN (sizeof tf_known_frames / sizeof tf_known_frames[0])

/* ------------------------------------------------------------- checksums
 * RFC 1071, written independently of src/checksum.c so the tests check
 * the library against something other than itself. */

static inline uint16_t
tf_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
tf_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void
tf_wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
tf_wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Unfolded sum of 16-bit big-endian words (odd tail padded with zero). */
static inline uint32_t
tf_sum(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static inline uint16_t
tf_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The pseudo-header sum of an IPv4 (version 4) or IPv6 header; for IPv6
 * dst, when not NULL, is the final destination a routing header names
 * (RFC 8200 section 8.1). */
static inline uint32_t
tf_pseudo_to(const uint8_t *ip, const uint8_t *dst, uint8_t proto, uint32_t upper_len)
{
	uint32_t sum = 0;

	if ((ip[0] >> 4) == 4) {
		sum = tf_sum(sum, ip + 12, 8);
	} else {
		sum = tf_sum(sum, ip + 8, 16);
		sum = tf_sum(sum, dst ? dst : ip + 24, 16);
	}
	return sum + proto + (upper_len >> 16) + (upper_len & 0xffff);
}

static inline uint32_t
tf_pseudo(const uint8_t *ip, uint8_t proto, uint32_t upper_len)
{
	return tf_pseudo_to(ip, NULL, proto, upper_len);
}

/* Compute the checksum of upper-layer bytes u[0..n) into u[off], with the
 * pseudo-header of ip (and final destination dst) when proto is not 0. */
static inline void
tf_fix_upper_to(const uint8_t *ip, const uint8_t *dst, uint8_t proto, uint8_t *u,
		size_t n, size_t off)
{
	if (off + 2 > n)
		return;
	u[off] = u[off + 1] = 0;
	uint32_t sum = proto ? tf_pseudo_to(ip, dst, proto, (uint32_t)n) : 0;
	uint16_t ck = tf_fold(tf_sum(sum, u, n));
	if (proto == 17 && ck == 0)
		ck = 0xffff;
	tf_wr16(u + off, ck);
}

static inline void
tf_fix_upper(const uint8_t *ip, uint8_t proto, uint8_t *u, size_t n, size_t off)
{
	tf_fix_upper_to(ip, NULL, proto, u, n, off);
}

static inline void tf_fix_ip(uint8_t *ip, size_t avail);

/* The transport checksum of the upper-layer protocol at u (n bytes). */
static inline void
tf_fix_transport(const uint8_t *ip, const uint8_t *dst, uint8_t proto, uint8_t *u,
		 size_t n)
{
	switch (proto) {
	case 6:
		tf_fix_upper_to(ip, dst, 6, u, n, 16);
		break;
	case 17:
		if (n >= 8)
			n = tf_rd16(u + 4) <= n ? tf_rd16(u + 4) : n;
		tf_fix_upper_to(ip, dst, 17, u, n, 6);
		break;
	case 1:
		/* An error's quote holds an IP header with a checksum of its own. */
		if (n >= 28 && (u[0] == 3 || u[0] == 4 || u[0] == 5 || u[0] == 11 ||
				u[0] == 12))
			tf_fix_ip(u + 8, n - 8);
		tf_fix_upper(ip, 0, u, n, 2);
		break;
	case 58:
		tf_fix_upper_to(ip, dst, 58, u, n, 2);
		break;
	case 4:
	case 41:
		tf_fix_ip(u, n);      /* IP in IP */
		break;
	default:
		break;
	}
}

/* Fix the checksums of an IPv4 or IPv6 datagram at ip, of which avail
 * bytes are present: the IPv4 header's, and the transport's when the
 * datagram is whole and not a fragment. */
static inline void
tf_fix_ip(uint8_t *ip, size_t avail)
{
	if (avail < 20)
		return;
	if ((ip[0] >> 4) == 4) {
		size_t hlen = (ip[0] & 0x0f) * 4u;
		if (hlen < 20 || hlen > avail)
			return;
		ip[10] = ip[11] = 0;
		tf_wr16(ip + 10, tf_fold(tf_sum(0, ip, hlen)));
		size_t total = tf_rd16(ip + 2);
		if (total < hlen || total > avail || (tf_rd16(ip + 6) & 0x3fff))
			return;
		tf_fix_transport(ip, NULL, ip[9], ip + hlen, total - hlen);
	} else if ((ip[0] >> 4) == 6 && avail >= 40) {
		size_t end = 40u + tf_rd16(ip + 4);
		size_t off = 40;
		uint8_t nxt = ip[6];
		const uint8_t *dst = NULL;
		if (end > avail)
			return;
		while (nxt == 0 || nxt == 43 || nxt == 60 || nxt == 44) {
			if (off + 8 > end)
				return;
			if (nxt == 44)
				return;   /* a fragment: the checksum is not ours to check */
			uint8_t next = ip[off];
			size_t len = (ip[off + 1] + 1u) * 8u;
			if (off + len > end)
				return;
			/* Routing with segments left: the final destination. */
			if (nxt == 43 && ip[off + 3] != 0 && len >= 24) {
				if (ip[off + 2] == 0 || ip[off + 2] == 2)
					dst = ip + off + 8 + (len - 8) / 16 * 16 - 16;
				else if (ip[off + 2] == 4)
					dst = ip + off + 8;
			}
			off += len;
			nxt = next;
		}
		tf_fix_transport(ip, dst, nxt, ip + off, end - off);
	}
}

/* Offset of the IP header in a frame of the given link type, or -1. */
static inline long
tf_ip_offset(const uint8_t *b, size_t n, int linktype)
{
	size_t off;
	uint16_t type;

	switch (linktype) {
	case DLT_EN10MB:
		off = 12;
		for (;;) {
			if (off + 2 > n)
				return -1;
			type = tf_rd16(b + off);
			if (type != 0x8100 && type != 0x88a8 && type != 0x9100)
				break;
			off += 4;
		}
		off += 2;
		break;
	case DLT_LINUX_SLL:
		if (n < 16)
			return -1;
		type = tf_rd16(b + 14);
		off = 16;
		break;
	case DLT_LINUX_SLL2:
		if (n < 20)
			return -1;
		type = tf_rd16(b);
		off = 20;
		break;
	case DLT_NULL:
	case DLT_LOOP:
		return n >= 4 ? 4 : -1;
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		return 0;
	default:
		return -1;
	}
	return type == 0x0800 || type == 0x86dd ? (long)off : -1;
}

/* Fill in every checksum of a frame: make a good frame really good. */
static inline void
tf_fix_checksums(uint8_t *b, size_t n, int linktype)
{
	long off = tf_ip_offset(b, n, linktype);
	if (off >= 0)
		tf_fix_ip(b + off, n - (size_t)off);
}

/* Does the ones'-complement sum of these bytes (with pseudo-header when
 * proto is not 0) verify? */
static inline int
tf_sum_ok(const uint8_t *ip, uint8_t proto, const uint8_t *u, size_t n)
{
	uint32_t sum = proto ? tf_pseudo(ip, proto, (uint32_t)n) : 0;
	return tf_fold(tf_sum(sum, u, n)) == 0;
}

/* Ethernet, IPv4 src -> dst (host order, TTL 64, DF), TCP sport -> dport
 * with these flags (PKL_TCP_*), seq, ack, window 65535 and no options,
 * then len zero bytes of data; checksums computed.  Returns the frame's
 * length (b holds TF_MAX bytes). */
static inline size_t
tf_tcp_segment(uint8_t *b, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
	       uint16_t flags, uint32_t seq, uint32_t ack, uint16_t len)
{
	size_t n = 14 + 20 + 20 + (size_t)len;

	assert_true(n <= TF_MAX);
	memset(b, 0, n);
	memcpy(b, (const uint8_t[]){ TF_MAC_B, TF_MAC_A, 0x08, 0x00 }, 14);
	uint8_t *ip = b + 14, *tcp = ip + 20;
	ip[0] = 0x45;
	tf_wr16(ip + 2, (uint16_t)(n - 14));
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = 6;
	tf_wr32(ip + 12, src);
	tf_wr32(ip + 16, dst);
	tf_wr16(tcp, sport);
	tf_wr16(tcp + 2, dport);
	tf_wr32(tcp + 4, seq);
	tf_wr32(tcp + 8, ack);
	tcp[12] = 5 << 4;
	tcp[13] = (uint8_t)flags;
	tf_wr16(tcp + 14, 0xffff);
	tf_fix_ip(ip, n - 14);
	return n;
}

/* ---------------------------------------------------------------- decode */

/* memcpy that accepts (NULL, 0): builders take optional parts. */
static inline void
tf_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	if (n)
		memcpy(dst, src, n);
}

struct tf {
	struct pkl_frame frame;
	struct pkl_packet pkt;
	uint32_t n;               /* bytes in buf */
	uint8_t buf[TF_MAX];
};

static inline void
tf_load(struct tf *t, const uint8_t *bytes, size_t n)
{
	assert_true(n <= TF_MAX);
	memset(t->buf, 0, sizeof t->buf);
	memcpy(t->buf, bytes, n);
	t->n = (uint32_t)n;
}

/* Load a known-good frame and compute its checksums. */
static inline void
tf_load_good(struct tf *t, const uint8_t *bytes, size_t n, int linktype)
{
	tf_load(t, bytes, n);
	tf_fix_checksums(t->buf, t->n, linktype);
}

/* Decode buf with the given capture and wire lengths. */
static inline const struct pkl_packet *
tf_run(struct tf *t, int linktype, uint32_t caplen, uint32_t len)
{
	t->frame = (struct pkl_frame){ .number = 1, .caplen = caplen, .len = len,
				       .linktype = linktype, .bytes = t->buf };
	/* Caller-set options at their zero defaults; the layers and events
	 * poisoned, so no stale state can help a test pass. */
	memset(&t->pkt, 0, sizeof t->pkt);
	memset(t->pkt.layers, 0xa5, sizeof t->pkt.layers);
	memset(t->pkt.events, 0xa5, sizeof t->pkt.events);
	pkl_decode(&t->pkt, &t->frame);
	return &t->pkt;
}

/* Decode all of buf, caplen == len == n. */
static inline const struct pkl_packet *
tf_decode(struct tf *t, int linktype)
{
	return tf_run(t, linktype, t->n, t->n);
}

/* Decode an arbitrary byte array as it is (checksums untouched). */
static inline const struct pkl_packet *
tf_decode_bytes(struct tf *t, int linktype, const uint8_t *bytes, size_t n)
{
	tf_load(t, bytes, n);
	return tf_decode(t, linktype);
}

/* ------------------------------------------------------- layers, events */

/* The nth (0-based) layer of a protocol, or NULL. */
static inline const struct pkl_layer *
tf_find(const struct pkl_packet *pkt, enum pkl_proto proto, unsigned nth)
{
	for (unsigned i = 0; i < pkt->n_layers; i++)
		if (pkt->layers[i].proto == proto && nth-- == 0)
			return &pkt->layers[i];
	return NULL;
}

/* The first event with this code, or NULL. */
static inline const struct pkl_event *
tf_event(const struct pkl_packet *pkt, enum pkl_event_code code)
{
	for (unsigned i = 0; i < pkt->n_events; i++)
		if (pkt->events[i].code == code)
			return &pkt->events[i];
	return NULL;
}

static inline unsigned
tf_count_events(const struct pkl_packet *pkt, enum pkl_event_code code)
{
	unsigned n = 0;
	for (unsigned i = 0; i < pkt->n_events; i++)
		n += pkt->events[i].code == code;
	return n;
}

static inline int
tf_any_flag(const struct pkl_packet *pkt, uint8_t flag)
{
	for (unsigned i = 0; i < pkt->n_layers; i++)
		if (pkt->layers[i].flags & flag)
			return 1;
	return 0;
}

/* Assertions that report the caller's line. */
#define TF_EQ(a, b, file, line) \
	_assert_int_equal((LargestIntegralType)(a), (LargestIntegralType)(b), file, line)

/* Layer i exists and is of this protocol. */
#define TF_LAYER(pkt, i, proto) tf_layer_at((pkt), (i), (proto), __FILE__, __LINE__)
static inline const struct pkl_layer *
tf_layer_at(const struct pkl_packet *pkt, unsigned i, enum pkl_proto proto,
	    const char *file, int line)
{
	_assert_true(i < pkt->n_layers, "layer index < n_layers", file, line);
	TF_EQ(pkt->layers[i].proto, proto, file, line);
	return &pkt->layers[i];
}

/* The layer's TRUNCATED|MALFORMED bits are exactly `expected`. */
#define TF_FLAGS(layer, expected) \
	TF_EQ((layer)->flags & (PKL_LAYER_TRUNCATED | PKL_LAYER_MALFORMED), \
	      (expected), __FILE__, __LINE__)

/* An event with this code exists, on layer li, with these arguments. */
#define TF_EVENT(pkt, code, li, a0, a1) \
	tf_event_at((pkt), (code), (li), (a0), (a1), __FILE__, __LINE__)
static inline void
tf_event_at(const struct pkl_packet *pkt, enum pkl_event_code code, unsigned li,
	    uint32_t a0, uint32_t a1, const char *file, int line)
{
	const struct pkl_event *ev = tf_event(pkt, code);
	if (!ev) {
		print_error("event %s missing; have:", pkl_event_name(code));
		for (unsigned i = 0; i < pkt->n_events; i++)
			print_error(" %s(%u,%u)@%u", pkl_event_name(pkt->events[i].code),
				    pkt->events[i].arg[0], pkt->events[i].arg[1],
				    pkt->events[i].layer);
		print_error("\n");
	}
	_assert_true(ev != NULL, pkl_event_name(code), file, line);
	TF_EQ(ev->layer, li, file, line);
	TF_EQ(ev->arg[0], a0, file, line);
	TF_EQ(ev->arg[1], a1, file, line);
}

/* The packet's events are exactly these codes, in this order. */
#define TF_CODES(pkt, ...) \
	tf_codes_at((pkt), (const int[]){ __VA_ARGS__ }, \
		    sizeof((const int[]){ __VA_ARGS__ }) / sizeof(int), __FILE__, __LINE__)
#define TF_NO_EVENTS(pkt) tf_codes_at((pkt), NULL, 0, __FILE__, __LINE__)
static inline void
tf_codes_at(const struct pkl_packet *pkt, const int *codes, size_t n,
	    const char *file, int line)
{
	int same = pkt->n_events == n;
	for (size_t i = 0; same && i < n; i++)
		same = (int)pkt->events[i].code == codes[i];
	if (!same) {
		print_error("events:");
		for (unsigned i = 0; i < pkt->n_events; i++)
			print_error(" %s(%u,%u)@%u", pkl_event_name(pkt->events[i].code),
				    pkt->events[i].arg[0], pkt->events[i].arg[1],
				    pkt->events[i].layer);
		print_error("\nexpected:");
		for (size_t i = 0; i < n; i++)
			print_error(" %s", pkl_event_name((enum pkl_event_code)codes[i]));
		print_error("\n");
	}
	_assert_true(same, "event codes as expected", file, line);
}

/* No layer truncated or malformed, and the packet says so too. */
#define TF_CLEAN(pkt) tf_clean_at((pkt), __FILE__, __LINE__)
static inline void
tf_clean_at(const struct pkl_packet *pkt, const char *file, int line)
{
	_assert_true(!pkt->truncated, "!pkt->truncated", file, line);
	_assert_true(!pkt->malformed, "!pkt->malformed", file, line);
	for (unsigned i = 0; i < pkt->n_layers; i++)
		TF_EQ(pkt->layers[i].flags & (PKL_LAYER_TRUNCATED | PKL_LAYER_MALFORMED),
		      0, file, line);
}

/* The layers are exactly these protocols, in this order. */
#define TF_PROTOS(pkt, ...) \
	tf_protos_at((pkt), (const int[]){ __VA_ARGS__ }, \
		     sizeof((const int[]){ __VA_ARGS__ }) / sizeof(int), __FILE__, __LINE__)
static inline void
tf_protos_at(const struct pkl_packet *pkt, const int *protos, size_t n,
	     const char *file, int line)
{
	int same = pkt->n_layers == n;
	for (size_t i = 0; same && i < n; i++)
		same = (int)pkt->layers[i].proto == protos[i];
	if (!same) {
		print_error("layers:");
		for (unsigned i = 0; i < pkt->n_layers; i++)
			print_error(" %s", pkl_proto_name(pkt->layers[i].proto));
		print_error("\nexpected:");
		for (size_t i = 0; i < n; i++)
			print_error(" %s", pkl_proto_name((enum pkl_proto)protos[i]));
		print_error("\n");
	}
	_assert_true(same, "layer protocols as expected", file, line);
}

/* Geometry of a layer: offset, caplen, len, hdr_len, payload_len. */
#define TF_GEOM(layer, off, cap, ln, hdr, pay) do { \
	assert_int_equal((layer)->offset, (off)); \
	assert_int_equal((layer)->caplen, (cap)); \
	assert_int_equal((layer)->len, (ln)); \
	assert_int_equal((layer)->hdr_len, (hdr)); \
	assert_int_equal((layer)->payload_len, (pay)); \
} while (0)

#endif
