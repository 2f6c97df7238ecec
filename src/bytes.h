/* Byte-shift loaders for network-order fields.
 *
 * Dissectors read wire bytes only through these, after checking the
 * length: never by casting bytes to structs, so alignment and padding of
 * the host never matter. */
#ifndef PKL_BYTES_H
#define PKL_BYTES_H

#include <stdint.h>
#include <string.h>

static inline uint16_t
pkl_be16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t
pkl_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint32_t
pkl_le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

#endif
