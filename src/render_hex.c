/* The -x dump: offset, 16 bytes in hex, the same bytes as ASCII. */
#include "render.h"

void
pkl_render_hex(struct pkl_out *o, const struct pkl_frame *f)
{
	pkl_render_hex_dump(o, f->bytes, f->caplen, 0, 4);
}

void
pkl_render_hex_dump(struct pkl_out *o, const uint8_t *bytes, size_t size, uint64_t base,
		    unsigned digits)
{
	for (size_t off = 0; off < size; off += 16) {
		size_t n = size - off < 16 ? size - off : 16;
		pkl_out_str(o, "    ");
		pkl_out_color(o, PKL_COLOR_DIM);
		pkl_out_hex(o, base + off, digits);
		pkl_out_color(o, PKL_COLOR_RESET);
		pkl_out_str(o, "  ");
		for (size_t i = 0; i < 16; i++) {
			if (i < n) {
				pkl_out_hex(o, bytes[off + i], 2);
				pkl_out_char(o, ' ');
			} else {
				pkl_out_str(o, "   ");
			}
			if (i == 7)
				pkl_out_char(o, ' ');
		}
		pkl_out_char(o, ' ');
		for (size_t i = 0; i < n; i++) {
			uint8_t c = bytes[off + i];
			pkl_out_char(o, c >= 0x20 && c < 0x7f ? (char)c : '.');
		}
		pkl_out_char(o, '\n');
	}
}
