/* Frames built with libnet: ARP, ICMP and ICMPv6 echo, neighbour
 * solicitation, TCP over IPv4 or IPv6, and the fragments of an IPv4
 * datagram.
 *
 * Each builder writes one finished frame (Ethernet header first,
 * checksums computed by libnet) into the caller's buffer and returns its
 * length, or -1 with a sentence in errbuf: the same bytes can then be
 * sent, split into fragments, and recognised when the capture hands them
 * back.  Building needs no privilege; sending is src/craft/inject.h.
 *
 * Loopback has no Ethernet addresses: lo carries the Ethernet header
 * with both MACs zero, so a caller sending there passes zero MACs. */
#ifndef PKL_CRAFT_FRAME_H
#define PKL_CRAFT_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#include "../capture.h"
#include "../packet.h"
#include "addr.h"

#define PKL_FRAME_ETH_HLEN 14
/* The largest frame: an Ethernet header and the largest IP datagram. */
#define PKL_FRAME_MAX (PKL_FRAME_ETH_HLEN + 65535)

#define PKL_FRAME_TTL 64          /* Linux's default TTL and hop limit */
#define PKL_FRAME_ECHO_SIZE 56    /* ping's default payload size */

/* The Ethernet header's addresses (all zero on loopback). */
struct pkl_frame_eth {
	uint8_t src[6], dst[6];
};

/* The IP header of a frame: the family of src and dst (the same) picks
 * IPv4 or IPv6. */
struct pkl_frame_ip {
	struct pkl_addr src, dst;
	uint8_t ttl;              /* TTL, or the IPv6 hop limit */
	uint8_t tos;              /* DS field, or the IPv6 traffic class */
	uint16_t id;              /* IPv4 identification */
	bool df;                  /* IPv4: don't fragment */
};

/* ------------------------------------------------------------------ ARP */

/* An Ethernet/IPv4 ARP message (RFC 826; probe and announcement, RFC
 * 5227), by its kind as the dissector names it:
 *   PKL_ARP_REQUEST     who-has target_ip, tell sender_ip: to broadcast
 *   PKL_ARP_PROBE       a request with sender address 0.0.0.0: to broadcast
 *   PKL_ARP_GRATUITOUS  the sender announces sender_ip (target = sender):
 *                       a request to broadcast, as RFC 5227 announces
 *   PKL_ARP_REPLY       sender_ip is at sender_mac: to target_mac */
struct pkl_frame_arp {
	enum pkl_arp_kind kind;
	uint8_t sender_mac[6];
	uint8_t sender_ip[4];     /* not read for a probe */
	uint8_t target_mac[6];    /* a reply's destination; else not read */
	uint8_t target_ip[4];     /* not read for an announcement */
};

int pkl_frame_build_arp(const struct pkl_frame_arp *arp, uint8_t *buf, size_t size,
			char errbuf[PKL_ERRBUF_SIZE]);

/* ---------------------------------------------------------------- echo */

/* An echo request's payload is iputils ping's: byte i holds i (mod 256),
 * and when the payload is at least as large as a struct timeval, the
 * send time starts it, as the host's struct timeval. */
struct pkl_frame_echo {
	uint16_t ident, seq;
	size_t size;              /* payload bytes: PKL_FRAME_ECHO_SIZE as ping */
	struct timeval sent;
};

/* ICMP echo request over IPv4, or ICMPv6 echo request over IPv6.  An
 * IPv4 datagram larger than the link's MTU is built whole: its ICMP
 * checksum covers all of it, and pkl_frame_build_fragment cuts it. */
int pkl_frame_build_echo(const struct pkl_frame_eth *eth, const struct pkl_frame_ip *ip,
			 const struct pkl_frame_echo *echo, uint8_t *buf, size_t size,
			 char errbuf[PKL_ERRBUF_SIZE]);

/* Neighbour solicitation for target (RFC 4861 7.2.2) from src, from
 * src_mac: to target's solicited-node multicast group
 * (ff02::1:ffXX:XXXX) and its MAC (33:33:ff:XX:XX:XX), hop limit 255,
 * with a source link-layer address option (none when src is ::, the
 * duplicate address detection case, as 4861 requires). */
int pkl_frame_build_ns(const uint8_t src_mac[6], const uint8_t src[16],
		       const uint8_t target[16], uint8_t *buf, size_t size,
		       char errbuf[PKL_ERRBUF_SIZE]);

/* ----------------------------------------------------------- fragments */

/* One fragment of an IPv4 datagram's payload: offset and len in bytes. */
struct pkl_frame_frag {
	uint32_t offset;          /* a multiple of 8 (the header says offset / 8) */
	uint32_t len;
	bool more;                /* MF: set on all but the last */
};

/* Plan the fragments of a datagram carrying payload_len bytes behind an
 * IPv4 header of hdr_len bytes, so that each fragment's datagram fits in
 * mtu bytes: as many whole 8-byte units per fragment as fit, the rest in
 * the last.  One fragment (offset 0, no MF) when the datagram fits.
 * Returns the number of fragments written to frags (at most max), or -1
 * with a sentence: an MTU that cannot hold the header and 8 bytes, more
 * fragments than max, a datagram beyond 65535 bytes. */
int pkl_frame_plan_fragments(size_t payload_len, unsigned hdr_len, unsigned mtu,
			     struct pkl_frame_frag *frags, size_t max,
			     char errbuf[PKL_ERRBUF_SIZE]);

/* The frame of one fragment of the datagram in frame (as built here:
 * Ethernet, then IPv4 without options, not itself a fragment and
 * without DF): the same addresses, identification, TTL, DS field and
 * protocol, frag's part of the payload, its offset and MF flag, and its
 * own header checksum. */
int pkl_frame_build_fragment(const uint8_t *frame, size_t len,
			     const struct pkl_frame_frag *frag, uint8_t *buf, size_t size,
			     char errbuf[PKL_ERRBUF_SIZE]);

/* ----------------------------------------------------------------- TCP */

struct pkl_frame_tcp {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;            /* PKL_TCP_FIN ... PKL_TCP_CWR: the 8 libnet sets */
	uint16_t window;
	uint16_t urg;
	const uint8_t *options;   /* as on the wire, at most 40 bytes; */
	size_t options_len;       /* padded to 4-byte words with EOL */
	const uint8_t *payload;
	size_t payload_len;
};

int pkl_frame_build_tcp(const struct pkl_frame_eth *eth, const struct pkl_frame_ip *ip,
			const struct pkl_frame_tcp *tcp, uint8_t *buf, size_t size,
			char errbuf[PKL_ERRBUF_SIZE]);

#define PKL_FRAME_SYN_OPTIONS_LEN 20

/* The options Linux puts in a SYN, in its order: MSS, SACK permitted,
 * timestamps (ts_val, echo 0), NOP, window scale: 20 bytes, no padding. */
void pkl_frame_syn_options(uint8_t out[PKL_FRAME_SYN_OPTIONS_LEN], uint16_t mss,
			   uint32_t ts_val, uint8_t wscale);

#define PKL_FRAME_TS_OPTIONS_LEN 12

/* The options of Linux's segments after the handshake when timestamps
 * are on: NOP, NOP, timestamps (ts_val, ts_ecr). */
void pkl_frame_ts_options(uint8_t out[PKL_FRAME_TS_OPTIONS_LEN], uint32_t ts_val,
			  uint32_t ts_ecr);

/* The MSS Linux announces on a link of this MTU: the MTU less the IP
 * and TCP headers without options (40 bytes for IPv4, 60 for IPv6). */
uint16_t pkl_frame_mss(unsigned mtu, int family);   /* family 4 or 6 */

#endif
