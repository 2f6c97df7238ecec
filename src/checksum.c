#include "checksum.h"

#include <string.h>

#include "bytes.h"

/* Ones'-complement addition of 64-bit words: the carry out of the top
 * wraps around to the bottom (compilers emit add + adc). */
static inline uint64_t
add_wrap(uint64_t acc, uint64_t w)
{
	acc += w;
	return acc + (acc < w);
}

/* Sums 64-bit words in host order: the ones'-complement sum commutes
 * with byte swapping (RFC 1071 section 2), so the result is swapped once
 * at the end instead of per word.  This runs over every byte of every
 * frame the statistics count, so it is worth the care. */
uint64_t
pkl_cksum_add(uint64_t sum, const uint8_t *p, size_t n)
{
	uint64_t acc = 0, w[4];

	while (n >= 32) {
		memcpy(w, p, 32);
		acc = add_wrap(acc, w[0]);
		acc = add_wrap(acc, w[1]);
		acc = add_wrap(acc, w[2]);
		acc = add_wrap(acc, w[3]);
		p += 32;
		n -= 32;
	}
	while (n >= 8) {
		memcpy(w, p, 8);
		acc = add_wrap(acc, w[0]);
		p += 8;
		n -= 8;
	}
	uint8_t tail[8] = { 0 };
	for (size_t i = 0; i < n; i++)
		tail[i] = p[i];
	memcpy(w, tail, 8);
	acc = add_wrap(acc, w[0]);

	/* Fold to 16 bits in host order, then bring it to network order. */
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffffu) + (acc >> 16);
	acc = (acc & 0xffffu) + (acc >> 16);
	uint8_t b[2];
	uint16_t h = (uint16_t)acc;
	memcpy(b, &h, 2);
	return sum + pkl_be16(b);
}

uint16_t
pkl_cksum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint64_t
pkl_cksum_pseudo(const struct pkl_packet *pkt, const struct pkl_layer *l,
		 uint8_t proto, uint32_t upper_len, int *ok)
{
	const struct pkl_layer *net = pkl_layer_below(pkt, l);
	uint64_t sum = 0;

	*ok = 1;
	if (net && net->proto == PKL_PROTO_IPV4) {
		sum = pkl_cksum_add(sum, net->hdr.ipv4.src, 4);
		sum = pkl_cksum_add(sum, net->hdr.ipv4.dst, 4);
	} else if (net && net->proto == PKL_PROTO_IPV6) {
		sum = pkl_cksum_add(sum, net->hdr.ipv6.src, 16);
		sum = pkl_cksum_add(sum, net->hdr.ipv6.final_dst, 16);
	} else {
		*ok = 0;
		return 0;
	}
	return sum + proto + (upper_len >> 16) + (upper_len & 0xffff);
}

enum pkl_checksum
pkl_cksum_verify(const struct pkl_packet *pkt, const struct pkl_layer *l,
		 uint8_t proto, uint32_t upper_len, uint16_t wire_cksum,
		 uint16_t cksum_offset, uint16_t *expected)
{
	uint64_t sum = 0;
	int ok = 1;

	if (pkt->skip_checksums || upper_len > l->caplen || cksum_offset + 2u > upper_len)
		return PKL_CK_UNVERIFIED;
	if (proto) {
		sum = pkl_cksum_pseudo(pkt, l, proto, upper_len, &ok);
		if (!ok)
			return PKL_CK_UNVERIFIED;
	}
	uint64_t pseudo = sum;
	sum = pkl_cksum_add(sum, l->data, upper_len);
	if (pkl_cksum_fold(sum) == 0)
		return PKL_CK_GOOD;
	/* What the field should have held: the sum without it. */
	*expected = pkl_cksum_fold(sum + (wire_cksum ^ 0xffffu));
	/* A host that leaves the checksum to its NIC puts the folded
	 * pseudo-header sum in the field; a capture on that host sees it. */
	uint16_t pseudo_only = (uint16_t)(pkl_cksum_fold(pseudo) ^ 0xffffu);
	if (proto && wire_cksum == pseudo_only)
		return PKL_CK_PARTIAL;
	return PKL_CK_BAD;
}
