/* A pcapng writer: one section, one interface, a packet block per frame
 * with an optional comment (draft-ietf-opsawg-pcapng).  libpcap 1.10
 * reads pcapng but writes only pcap, and a pcap record has no room for
 * a comment.
 *
 * Blocks go through a pkl_out, so the caller decides where the bytes
 * end (a file, or an array in the tests) and when they are flushed.
 * Every block is written little-endian: the section header's byte-order
 * magic says so, and readers swap when their host differs. */
#ifndef PKL_PCAPNG_WRITER_H
#define PKL_PCAPNG_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "out.h"
#include "packet.h"

/* The longest option value a block can hold: its length is 16 bits. */
#define PKL_PCAPNG_MAX_OPTION 65535u

/* The section header (with comment and application as its options,
 * either NULL for none) and the one interface every packet refers to:
 * libpcap's DLT_ value dlt and snaplen (0: no limit), timestamps in
 * nanoseconds. */
void pkl_pcapng_write_header(struct pkl_out *o, int dlt, uint32_t snaplen, const char *comment,
			     const char *application);

/* One enhanced packet block: the frame's time, lengths and captured
 * bytes, and comment[0..len) as its comment option when len is not 0
 * (cut at PKL_PCAPNG_MAX_OPTION, on a UTF-8 character boundary). */
void pkl_pcapng_write_packet(struct pkl_out *o, const struct pkl_frame *frame,
			     const char *comment, size_t len);

/* The LINKTYPE_ value a file carries for libpcap's DLT_ value: the same
 * number except for the few DLT_ values that differ between systems. */
uint16_t pkl_pcapng_linktype(int dlt);

#endif
