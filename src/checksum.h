/* The Internet checksum (RFC 1071), for IPv4, ICMP, UDP and TCP. */
#ifndef PKL_CHECKSUM_H
#define PKL_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

#include "packet.h"

/* Partial ones'-complement sum of n bytes, to be folded by pkl_cksum_fold;
 * sums of even-length pieces may be added together. */
uint64_t pkl_cksum_add(uint64_t sum, const uint8_t *p, size_t n);
/* Fold a partial sum to the 16-bit checksum value (complemented). */
uint16_t pkl_cksum_fold(uint64_t sum);

/* Partial sum of the IPv4 or IPv6 pseudo-header for an upper-layer
 * protocol, taken from the network layer below l (IPv4 or IPv6), or
 * returns 0 and sets *ok false when there is no such layer. */
uint64_t pkl_cksum_pseudo(const struct pkl_packet *pkt, const struct pkl_layer *l,
			  uint8_t proto, uint32_t upper_len, int *ok);

/* Verify the checksum of the whole layer l (upper_len wire bytes, all of
 * which must be captured) with a pseudo-header for proto (0: none, as
 * ICMPv4).  Returns the status and, when bad, the value that would have
 * been right in *expected.  PKL_CK_PARTIAL means bad in a way checksum
 * offload explains. */
enum pkl_checksum pkl_cksum_verify(const struct pkl_packet *pkt,
				   const struct pkl_layer *l, uint8_t proto,
				   uint32_t upper_len, uint16_t wire_cksum,
				   uint16_t cksum_offset, uint16_t *expected);

#endif
