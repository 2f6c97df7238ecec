/* Frames built with libnet 1.1.6: its builders lay out each header and
 * its pblock assembly computes the checksums (IPv4 header, ICMP, ICMPv6
 * and TCP with their pseudo-headers). */
#include "frame.h"

#include <libnet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "../../dissectors/arp.h"
#include "../../dissectors/eth.h"
#include "../../dissectors/icmp.h"
#include "../../dissectors/icmpv6.h"
#include "../../dissectors/ipv4.h"
#include "../../dissectors/tcp.h"
#include "../bytes.h"

static const uint8_t mac_broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mac_unknown[6];

/* ------------------------------------------------------------ libnet use */

/* A libnet context that only builds.  LIBNET_NONE opens no socket, so
 * building needs no privilege; the injector opens its own context. */
static libnet_t *
builder_open(char errbuf[PKL_ERRBUF_SIZE])
{
	char lerr[LIBNET_ERRBUF_SIZE] = "";
	libnet_t *l = libnet_init(LIBNET_NONE, NULL, lerr);

	if (!l)
		snprintf(errbuf, PKL_ERRBUF_SIZE, "libnet cannot start a frame: %s", lerr);
	return l;
}

/* Did a libnet_build_* call succeed?  If not, the sentence says which
 * header and what libnet said. */
static bool
built(libnet_t *l, libnet_ptag_t tag, const char *header, char errbuf[PKL_ERRBUF_SIZE])
{
	if (tag != -1)
		return true;
	snprintf(errbuf, PKL_ERRBUF_SIZE, "libnet cannot build the %s header: %s", header,
		 libnet_geterror(l));
	return false;
}

/* Assemble the built headers into buf (when ok: every build succeeded)
 * and close the context.  Returns the frame's length or -1. */
static int
builder_finish(libnet_t *l, bool ok, uint8_t *buf, size_t size, char errbuf[PKL_ERRBUF_SIZE])
{
	uint8_t *packet = NULL;
	uint32_t len = 0;
	int rc = -1;

	/* libnet 1.1.6's libnet_adv_cull_packet() hands the assembled frame
	 * only to a LIBNET_LINK_ADV context, whose packet socket needs
	 * CAP_NET_RAW even on lo.  It is a wrapper around
	 * libnet_pblock_coalesce() (exported and declared in
	 * libnet-functions.h), which assembles the blocks and computes the
	 * checksums for any context; in a LIBNET_NONE one it adds no
	 * alignment offset, so libnet_adv_free_packet() frees it. */
	if (ok && libnet_pblock_coalesce(l, &packet, &len) == -1) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "libnet cannot assemble the frame: %s",
			 libnet_geterror(l));
	} else if (ok && len > size) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "the frame takes %u bytes, more than the %zu of its buffer", len, size);
	} else if (ok) {
		memcpy(buf, packet, len);
		rc = (int)len;
	}
	if (packet)
		libnet_adv_free_packet(l, packet);
	libnet_destroy(l);
	return rc;
}

/* Is there room for a frame of need bytes?  Said before building, so
 * the caller learns the size it takes. */
static bool
fits(size_t need, size_t size, char errbuf[PKL_ERRBUF_SIZE])
{
	if (need <= size)
		return true;
	snprintf(errbuf, PKL_ERRBUF_SIZE,
		 "the frame takes %zu bytes, more than the %zu of its buffer", need, size);
	return false;
}

/* libnet takes IPv4 addresses as a uint32_t in network order. */
static uint32_t
ipv4_word(const uint8_t a[4])
{
	uint32_t w;
	memcpy(&w, a, sizeof w);
	return w;
}

static struct libnet_in6_addr
ipv6_addr(const uint8_t a[16])
{
	struct libnet_in6_addr in6;
	memcpy(&in6, a, sizeof in6);
	return in6;
}

/* The IPv4 or IPv6 header of ip, for upper_len bytes of protocol proto. */
static libnet_ptag_t
build_ip(libnet_t *l, const struct pkl_frame_ip *ip, uint8_t proto, size_t upper_len)
{
	if (ip->src.family == 4)
		return libnet_build_ipv4((uint16_t)(LIBNET_IPV4_H + upper_len), ip->tos, ip->id,
					 ip->df ? IP_DF : 0, ip->ttl, proto, 0,
					 ipv4_word(ip->src.v4), ipv4_word(ip->dst.v4),
					 NULL, 0, l, 0);
	return libnet_build_ipv6(ip->tos, 0, (uint16_t)upper_len, proto, ip->ttl,
				 ipv6_addr(ip->src.v6), ipv6_addr(ip->dst.v6), NULL, 0, l, 0);
}

static uint16_t
ethertype(const struct pkl_frame_ip *ip)
{
	return ip->src.family == 4 ? PKL_ETHERTYPE_IPV4 : PKL_ETHERTYPE_IPV6;
}

/* Are ip's addresses of one family, and does an upper layer of
 * upper_len bytes fit in its datagram? */
static bool
ip_valid(const struct pkl_frame_ip *ip, size_t upper_len, char errbuf[PKL_ERRBUF_SIZE])
{
	size_t limit = 65535;

	if ((ip->src.family != 4 && ip->src.family != 6) ||
	    ip->dst.family != ip->src.family) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "the source and destination must both be IPv4 or both IPv6 addresses");
		return false;
	}
	if (ip->src.family == 4)
		limit -= LIBNET_IPV4_H;
	if (upper_len <= limit)
		return true;
	snprintf(errbuf, PKL_ERRBUF_SIZE,
		 "%zu bytes do not fit in one IP datagram (at most %zu after the header)",
		 upper_len, limit);
	return false;
}

/* ------------------------------------------------------------------ ARP */

int
pkl_frame_build_arp(const struct pkl_frame_arp *arp, uint8_t *buf, size_t size,
		    char errbuf[PKL_ERRBUF_SIZE])
{
	static const uint8_t unspecified[4];
	const uint8_t *spa = arp->sender_ip, *tpa = arp->target_ip;
	const uint8_t *tha = mac_unknown, *dst = mac_broadcast;
	uint16_t op = PKL_ARP_OP_REQUEST;

	switch (arp->kind) {
	case PKL_ARP_REQUEST:
		break;
	case PKL_ARP_PROBE:
		spa = unspecified;
		break;
	case PKL_ARP_GRATUITOUS:
		tpa = arp->sender_ip;
		break;
	case PKL_ARP_REPLY:
		op = PKL_ARP_OP_REPLY;
		tha = dst = arp->target_mac;
		break;
	default:
		snprintf(errbuf, PKL_ERRBUF_SIZE, "no ARP message of kind %d is built",
			 (int)arp->kind);
		return -1;
	}
	if (!fits(LIBNET_ETH_H + LIBNET_ARP_ETH_IP_H, size, errbuf))
		return -1;

	libnet_t *l = builder_open(errbuf);
	if (!l)
		return -1;
	bool ok = built(l, libnet_build_arp(PKL_ARP_HW_ETHERNET, PKL_ETHERTYPE_IPV4, 6, 4, op,
					    arp->sender_mac, spa, tha, tpa, NULL, 0, l, 0),
			"ARP", errbuf) &&
		  built(l, libnet_build_ethernet(dst, arp->sender_mac, PKL_ETHERTYPE_ARP,
						 NULL, 0, l, 0),
			"Ethernet", errbuf);
	return builder_finish(l, ok, buf, size, errbuf);
}

/* ---------------------------------------------------------------- echo */

/* iputils ping's payload: byte i holds i, and the send time starts it
 * when it fits (ping compares it with the reply's arrival). */
static void
echo_payload(uint8_t *p, size_t n, const struct timeval *sent)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)i;
	if (n >= sizeof *sent)
		memcpy(p, sent, sizeof *sent);
}

int
pkl_frame_build_echo(const struct pkl_frame_eth *eth, const struct pkl_frame_ip *ip,
		     const struct pkl_frame_echo *echo, uint8_t *buf, size_t size,
		     char errbuf[PKL_ERRBUF_SIZE])
{
	/* ICMPv4 and ICMPv6 echo share their 8-byte header. */
	size_t upper_len = LIBNET_ICMPV6_ECHO_H + echo->size;

	if (!ip_valid(ip, upper_len, errbuf))
		return -1;
	size_t ip_hlen = ip->src.family == 4 ? LIBNET_IPV4_H : LIBNET_IPV6_H;
	size_t payload_at = LIBNET_ETH_H + ip_hlen + LIBNET_ICMPV6_ECHO_H;
	if (!fits(payload_at + echo->size, size, errbuf))
		return -1;

	/* The payload is composed where the finished frame will hold it:
	 * libnet copies it into its own block first. */
	uint8_t *payload = buf + payload_at;
	echo_payload(payload, echo->size, &echo->sent);

	libnet_t *l = builder_open(errbuf);
	if (!l)
		return -1;
	libnet_ptag_t tag;
	if (ip->src.family == 4)
		tag = libnet_build_icmpv4_echo(PKL_ICMP_ECHO_REQUEST, 0, 0, echo->ident,
					       echo->seq, payload, (uint32_t)echo->size, l, 0);
	else
		tag = libnet_build_icmpv6_echo(PKL_ICMPV6_ECHO_REQUEST, 0, 0, echo->ident,
					       echo->seq, payload, (uint32_t)echo->size, l, 0);
	bool ok = built(l, tag, "echo request", errbuf) &&
		  built(l, build_ip(l, ip, ip->src.family == 4 ? PKL_IPPROTO_ICMP
								      : PKL_IPPROTO_ICMPV6,
				    upper_len),
			"IP", errbuf) &&
		  built(l, libnet_build_ethernet(eth->dst, eth->src, ethertype(ip), NULL, 0, l, 0),
			"Ethernet", errbuf);
	return builder_finish(l, ok, buf, size, errbuf);
}

/* ------------------------------------------------------ neighbour solicit */

#define NDP_OPT_LLADDR_LEN 8      /* type, length in 8-byte units, the MAC */

int
pkl_frame_build_ns(const uint8_t src_mac[6], const uint8_t src[16], const uint8_t target[16],
		   uint8_t *buf, size_t size, char errbuf[PKL_ERRBUF_SIZE])
{
	static const uint8_t unspecified[16];
	/* RFC 4291 2.7.1: ff02::1:ff00:0/104 and the target's low 24 bits;
	 * RFC 2464 7: 33:33 and the group's low 32 bits. */
	uint8_t group[16] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff,
			      target[13], target[14], target[15] };
	uint8_t dst_mac[6] = { 0x33, 0x33, 0xff, target[13], target[14], target[15] };
	bool with_lladdr = memcmp(src, unspecified, sizeof unspecified) != 0;
	size_t upper_len = LIBNET_ICMPV6_NDP_NSOL_H + (with_lladdr ? NDP_OPT_LLADDR_LEN : 0);

	if (!fits(LIBNET_ETH_H + LIBNET_IPV6_H + upper_len, size, errbuf))
		return -1;
	libnet_t *l = builder_open(errbuf);
	if (!l)
		return -1;
	/* libnet 1.1.6 declares the option's bytes non-const; it copies them. */
	bool ok = !with_lladdr ||
		  built(l, libnet_build_icmpv6_ndp_opt(ND_OPT_SOURCE_LINKADDR, (uint8_t *)src_mac,
						       6, l, 0),
			"source link-layer address option", errbuf);
	ok = ok &&
	     built(l, libnet_build_icmpv6_ndp_nsol(PKL_ICMPV6_NEIGHBOR_SOLICIT, 0, 0,
						   ipv6_addr(target), NULL, 0, l, 0),
		   "neighbour solicitation", errbuf) &&
	     /* RFC 4861 7.1.1: a receiver drops it unless the hop limit is 255. */
	     built(l, libnet_build_ipv6(0, 0, (uint16_t)upper_len, PKL_IPPROTO_ICMPV6, 255,
					ipv6_addr(src), ipv6_addr(group), NULL, 0, l, 0),
		   "IPv6", errbuf) &&
	     built(l, libnet_build_ethernet(dst_mac, src_mac, PKL_ETHERTYPE_IPV6, NULL, 0, l, 0),
		   "Ethernet", errbuf);
	return builder_finish(l, ok, buf, size, errbuf);
}

/* ----------------------------------------------------------- fragments */

#define FRAG_UNIT 8               /* fragment offsets count 8-byte units */

int
pkl_frame_plan_fragments(size_t payload_len, unsigned hdr_len, unsigned mtu,
			 struct pkl_frame_frag *frags, size_t max,
			 char errbuf[PKL_ERRBUF_SIZE])
{
	if (hdr_len + payload_len > 65535) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "a datagram of %zu bytes is larger than IPv4's 65535",
			 hdr_len + payload_len);
		return -1;
	}
	if (mtu < hdr_len + FRAG_UNIT) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "an MTU of %u bytes cannot carry a %u-byte IPv4 header and 8 bytes of data",
			 mtu, hdr_len);
		return -1;
	}
	/* Every fragment but the last carries whole 8-byte units, so that
	 * the next one's offset can be said in them. */
	size_t per_frag = (mtu - hdr_len) / FRAG_UNIT * FRAG_UNIT;
	size_t n = payload_len + hdr_len <= mtu ? 1 : (payload_len + per_frag - 1) / per_frag;
	if (n > max) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "%zu bytes in fragments of at most %zu take %zu fragments, more than %zu",
			 payload_len, per_frag, n, max);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t offset = i * per_frag;
		frags[i] = (struct pkl_frame_frag){
			.offset = (uint32_t)offset,
			.len = (uint32_t)(i + 1 < n ? per_frag : payload_len - offset),
			.more = i + 1 < n,
		};
	}
	return (int)n;
}

/* The IPv4 header of a frame built here, read back: where the datagram
 * starts and what each fragment repeats of it. */
struct whole_datagram {
	uint8_t dst_mac[6], src_mac[6];
	uint8_t tos, ttl, proto;
	uint16_t id;
	uint32_t src, dst;            /* network order, as libnet takes them */
	const uint8_t *payload;
	size_t payload_len;
};

static bool
read_datagram(const uint8_t *frame, size_t len, struct whole_datagram *d,
	      char errbuf[PKL_ERRBUF_SIZE])
{
	const uint8_t *ip = frame + LIBNET_ETH_H;

	if (len < LIBNET_ETH_H + LIBNET_IPV4_H || pkl_be16(frame + 12) != PKL_ETHERTYPE_IPV4 ||
	    ip[0] != (4 << 4 | LIBNET_IPV4_H / 4)) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "only an IPv4 datagram without options behind Ethernet is fragmented");
		return false;
	}
	uint16_t total = pkl_be16(ip + 2), flags = pkl_be16(ip + 6);
	if (total < LIBNET_IPV4_H || total > len - LIBNET_ETH_H) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "the datagram says %u bytes, but the frame holds %zu", total,
			 len - LIBNET_ETH_H);
		return false;
	}
	if (flags & (IP_MF | IP_OFFMASK)) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "the datagram is a fragment already");
		return false;
	}
	if (flags & IP_DF) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "the datagram says don't fragment (DF): it cannot be cut");
		return false;
	}
	memcpy(d->dst_mac, frame, 6);
	memcpy(d->src_mac, frame + 6, 6);
	d->tos = ip[1];
	d->id = pkl_be16(ip + 4);
	d->ttl = ip[8];
	d->proto = ip[9];
	memcpy(&d->src, ip + 12, 4);
	memcpy(&d->dst, ip + 16, 4);
	d->payload = ip + LIBNET_IPV4_H;
	d->payload_len = total - LIBNET_IPV4_H;
	return true;
}

int
pkl_frame_build_fragment(const uint8_t *frame, size_t len, const struct pkl_frame_frag *frag,
			 uint8_t *buf, size_t size, char errbuf[PKL_ERRBUF_SIZE])
{
	struct whole_datagram d;

	if (!read_datagram(frame, len, &d, errbuf))
		return -1;
	if (frag->offset % FRAG_UNIT || frag->offset > d.payload_len ||
	    frag->len > d.payload_len - frag->offset || (frag->more && frag->len % FRAG_UNIT)) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "a fragment of %u bytes at offset %u is not one of a %zu-byte payload",
			 frag->len, frag->offset, d.payload_len);
		return -1;
	}
	if (!fits(LIBNET_ETH_H + LIBNET_IPV4_H + frag->len, size, errbuf))
		return -1;

	libnet_t *l = builder_open(errbuf);
	if (!l)
		return -1;
	uint16_t off = (uint16_t)(frag->offset / FRAG_UNIT | (frag->more ? IP_MF : 0));
	/* The payload goes in as the IPv4 header's data: libnet checksums
	 * the header alone, and leaves the upper layer's checksum (over the
	 * whole datagram) as it was. */
	bool ok = built(l, libnet_build_ipv4((uint16_t)(LIBNET_IPV4_H + frag->len), d.tos, d.id,
					     off, d.ttl, d.proto, 0, d.src, d.dst,
					     d.payload + frag->offset, frag->len, l, 0),
			"IPv4", errbuf) &&
		  built(l, libnet_build_ethernet(d.dst_mac, d.src_mac, PKL_ETHERTYPE_IPV4,
						 NULL, 0, l, 0),
			"Ethernet", errbuf);
	return builder_finish(l, ok, buf, size, errbuf);
}

/* ----------------------------------------------------------------- TCP */

#define TCP_MAX_OPTIONS 40

int
pkl_frame_build_tcp(const struct pkl_frame_eth *eth, const struct pkl_frame_ip *ip,
		    const struct pkl_frame_tcp *tcp, uint8_t *buf, size_t size,
		    char errbuf[PKL_ERRBUF_SIZE])
{
	if (tcp->options_len > TCP_MAX_OPTIONS) {
		snprintf(errbuf, PKL_ERRBUF_SIZE,
			 "%zu bytes of TCP options are more than the header holds (40)",
			 tcp->options_len);
		return -1;
	}
	size_t options_len = (tcp->options_len + 3) / 4 * 4;
	size_t upper_len = LIBNET_TCP_H + options_len + tcp->payload_len;
	if (!ip_valid(ip, upper_len, errbuf))
		return -1;
	size_t ip_hlen = ip->src.family == 4 ? LIBNET_IPV4_H : LIBNET_IPV6_H;
	if (!fits(LIBNET_ETH_H + ip_hlen + upper_len, size, errbuf))
		return -1;

	libnet_t *l = builder_open(errbuf);
	if (!l)
		return -1;
	/* The options block comes first: libnet's TCP builder counts it in
	 * the data offset, and pads it to whole words with zeros (EOL). */
	bool ok = !tcp->options_len ||
		  built(l, libnet_build_tcp_options(tcp->options, (uint32_t)tcp->options_len,
						    l, 0),
			"TCP options", errbuf);
	ok = ok &&
	     built(l, libnet_build_tcp(tcp->sport, tcp->dport, tcp->seq, tcp->ack, tcp->flags,
				       tcp->window, 0, tcp->urg, (uint16_t)upper_len,
				       tcp->payload, (uint32_t)tcp->payload_len, l, 0),
		   "TCP", errbuf) &&
	     built(l, build_ip(l, ip, PKL_IPPROTO_TCP, upper_len), "IP", errbuf) &&
	     built(l, libnet_build_ethernet(eth->dst, eth->src, ethertype(ip), NULL, 0, l, 0),
		   "Ethernet", errbuf);
	return builder_finish(l, ok, buf, size, errbuf);
}

void
pkl_frame_syn_options(uint8_t out[PKL_FRAME_SYN_OPTIONS_LEN], uint16_t mss, uint32_t ts_val,
		      uint8_t wscale)
{
	/* As tcp_options_write() lays them out when all four are on. */
	const uint8_t options[PKL_FRAME_SYN_OPTIONS_LEN] = {
		PKL_TCPOPT_MSS, 4, (uint8_t)(mss >> 8), (uint8_t)mss,
		PKL_TCPOPT_SACK_PERM, 2,
		PKL_TCPOPT_TIMESTAMP, 10, (uint8_t)(ts_val >> 24), (uint8_t)(ts_val >> 16),
		(uint8_t)(ts_val >> 8), (uint8_t)ts_val, 0, 0, 0, 0,
		PKL_TCPOPT_NOP,
		PKL_TCPOPT_WSCALE, 3, wscale,
	};
	memcpy(out, options, sizeof options);
}

void
pkl_frame_ts_options(uint8_t out[PKL_FRAME_TS_OPTIONS_LEN], uint32_t ts_val, uint32_t ts_ecr)
{
	const uint8_t options[PKL_FRAME_TS_OPTIONS_LEN] = {
		PKL_TCPOPT_NOP, PKL_TCPOPT_NOP, PKL_TCPOPT_TIMESTAMP, 10,
		(uint8_t)(ts_val >> 24), (uint8_t)(ts_val >> 16), (uint8_t)(ts_val >> 8),
		(uint8_t)ts_val, (uint8_t)(ts_ecr >> 24), (uint8_t)(ts_ecr >> 16),
		(uint8_t)(ts_ecr >> 8), (uint8_t)ts_ecr,
	};
	memcpy(out, options, sizeof options);
}

uint16_t
pkl_frame_mss(unsigned mtu, int family)
{
	/* As Linux's ipv4_default_advmss() and ip6_default_advmss(): the
	 * MTU less 40 (or 60) bytes, no less than the route's minimum
	 * (256, 1220); IPv6 says 65535 ("any") when the MTU allows more
	 * than a TCP segment of the largest payload length. */
	if (family == 4) {
		unsigned mss = mtu > 40 + 256 ? mtu - 40 : 256;
		return (uint16_t)(mss < 65535 - 40 ? mss : 65535 - 40);
	}
	unsigned mss = mtu > 60 + 1220 ? mtu - 60 : 1220;
	return (uint16_t)(mss > 65535 - 20 ? 65535 : mss);
}
