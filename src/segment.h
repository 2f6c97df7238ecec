/* A frame's TCP segment as the connection views see it (--follow,
 * --plot): its connection, its sender, its numbers relative to each
 * end's first, its payload, from the decoded packet and the tracker's
 * snapshot. */
#ifndef PKL_SEGMENT_H
#define PKL_SEGMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "notes.h"
#include "packet.h"

struct pkl_segment {
	uint64_t conn;               /* connection #N */
	int sender;                  /* PKL_CLIENT or PKL_SERVER */
	int family;                  /* 4 or 6 */
	const uint8_t *src, *dst;    /* the sender's and the receiver's address */
	uint16_t sport, dport;
	uint16_t flags;              /* PKL_TCP_* */
	uint32_t rel_seq, rel_ack;   /* rel_ack: with PKL_TCP_ACK only */
	uint32_t len;                /* payload bytes on the wire */
	uint32_t captured;           /* of them, captured: payload[0..captured) */
	const uint8_t *payload;
	uint32_t window;             /* the receive window offered, in bytes when scaled */
	uint32_t analysis;           /* PKL_TA_* flags */
	uint8_t n_sack;              /* SACK blocks, relative as rel_ack */
	uint32_t sack_left[PKL_TCP_MAX_SACK], sack_right[PKL_TCP_MAX_SACK];
};

/* A 32-bit relative sequence number as the 64-bit position nearest
 * near: a transfer past 4 GiB goes on counting. */
static inline int64_t
pkl_segment_unwrap(int64_t near, uint32_t rel)
{
	return near + (int32_t)(rel - (uint32_t)near);
}

/* Fill *seg when the frame is a TCP segment the tracker followed (not
 * one quoted in an ICMP error).  Returns false for any other frame. */
bool pkl_segment_of(const struct pkl_packet *pkt, const struct pkl_notes *notes,
		    struct pkl_segment *seg);

#endif
