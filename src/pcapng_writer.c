/* pcapng blocks, per draft-ietf-opsawg-pcapng: section header (4.1),
 * interface description (4.2), enhanced packet (4.3), options (3.5). */
#include "pcapng_writer.h"

#include <pcap/dlt.h>
#include <string.h>

enum {
	BLOCK_SHB = 0x0A0D0D0A,
	BLOCK_IDB = 0x00000001,
	BLOCK_EPB = 0x00000006,
	BYTE_ORDER_MAGIC = 0x1A2B3C4D,
	OPT_ENDOFOPT = 0,
	OPT_COMMENT = 1,
	OPT_SHB_USERAPPL = 4,
	OPT_IF_TSRESOL = 9,
	/* Type and total length before the body, total length again after. */
	BLOCK_FRAME = 12,
};

/* Bytes of padding that bring n to a multiple of 4. */
static size_t
pad4(size_t n)
{
	return (4 - n % 4) % 4;
}

static void
put_u16(struct pkl_out *o, uint16_t v)
{
	char b[2] = { (char)(v & 0xff), (char)(v >> 8) };

	pkl_out_mem(o, b, sizeof b);
}

static void
put_u32(struct pkl_out *o, uint32_t v)
{
	char b[4] = { (char)(v & 0xff), (char)(v >> 8 & 0xff), (char)(v >> 16 & 0xff),
		      (char)(v >> 24) };

	pkl_out_mem(o, b, sizeof b);
}

static void
put_padding(struct pkl_out *o, size_t n)
{
	static const char zeros[3];

	pkl_out_mem(o, zeros, pad4(n));
}

/* The space one option takes: code, length, the value padded. */
static size_t
option_size(size_t len)
{
	return 4 + len + pad4(len);
}

static void
put_option(struct pkl_out *o, uint16_t code, const char *value, size_t len)
{
	put_u16(o, code);
	put_u16(o, (uint16_t)len);
	if (len) {
		pkl_out_mem(o, value, len);
		put_padding(o, len);
	}
}

/* A string option's length: at most what an option holds, and never
 * through the middle of a UTF-8 sequence (readers reject a comment
 * that is not valid UTF-8). */
static size_t
option_length(const char *s, size_t len)
{
	if (len <= PKL_PCAPNG_MAX_OPTION)
		return len;
	len = PKL_PCAPNG_MAX_OPTION;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	return len;
}

uint16_t
pkl_pcapng_linktype(int dlt)
{
	switch (dlt) {
	case DLT_RAW: return 101;              /* LINKTYPE_RAW: 12 or 14 as a DLT_ */
	case DLT_ATM_RFC1483: return 100;
	default: return (uint16_t)dlt;
	}
}

void
pkl_pcapng_write_header(struct pkl_out *o, int dlt, uint32_t snaplen, const char *comment,
			const char *application)
{
	size_t comment_len = comment ? option_length(comment, strlen(comment)) : 0;
	size_t appl_len = application ? option_length(application, strlen(application)) : 0;
	size_t options = 4;   /* opt_endofopt */

	if (comment_len)
		options += option_size(comment_len);
	if (appl_len)
		options += option_size(appl_len);
	uint32_t total = (uint32_t)(BLOCK_FRAME + 16 + options);
	put_u32(o, BLOCK_SHB);
	put_u32(o, total);
	put_u32(o, BYTE_ORDER_MAGIC);
	put_u16(o, 1);                  /* version 1.0 */
	put_u16(o, 0);
	put_u32(o, 0xffffffffu);        /* section length: not given */
	put_u32(o, 0xffffffffu);
	if (comment_len)
		put_option(o, OPT_COMMENT, comment, comment_len);
	if (appl_len)
		put_option(o, OPT_SHB_USERAPPL, application, appl_len);
	put_option(o, OPT_ENDOFOPT, NULL, 0);
	put_u32(o, total);

	/* The interface: if_tsresol 9 is 10^-9 seconds. */
	const char tsresol = 9;
	total = (uint32_t)(BLOCK_FRAME + 8 + option_size(1) + 4);
	put_u32(o, BLOCK_IDB);
	put_u32(o, total);
	put_u16(o, pkl_pcapng_linktype(dlt));
	put_u16(o, 0);                  /* reserved */
	put_u32(o, snaplen);
	put_option(o, OPT_IF_TSRESOL, &tsresol, 1);
	put_option(o, OPT_ENDOFOPT, NULL, 0);
	put_u32(o, total);
}

void
pkl_pcapng_write_packet(struct pkl_out *o, const struct pkl_frame *frame, const char *comment,
			size_t len)
{
	size_t comment_len = len ? option_length(comment, len) : 0;
	size_t options = comment_len ? option_size(comment_len) + 4 : 0;
	uint32_t total = (uint32_t)(BLOCK_FRAME + 20 + frame->caplen + pad4(frame->caplen) + options);
	/* Nanoseconds since 1970, as one 64-bit count split in two words:
	 * a time before 1970 or after 2554 cannot be written, and is
	 * written as the nearest that can. */
	uint64_t ns = frame->ts_sec < 0 ? 0
		    : (uint64_t)frame->ts_sec >= UINT64_MAX / 1000000000u ? UINT64_MAX
		    : pkl_frame_ns(frame);

	put_u32(o, BLOCK_EPB);
	put_u32(o, total);
	put_u32(o, 0);                  /* interface 0: the only one */
	put_u32(o, (uint32_t)(ns >> 32));
	put_u32(o, (uint32_t)ns);
	put_u32(o, frame->caplen);
	put_u32(o, frame->len);
	if (frame->caplen) {
		pkl_out_mem(o, (const char *)frame->bytes, frame->caplen);
		put_padding(o, frame->caplen);
	}
	if (comment_len) {
		put_option(o, OPT_COMMENT, comment, comment_len);
		put_option(o, OPT_ENDOFOPT, NULL, 0);
	}
	put_u32(o, total);
}
