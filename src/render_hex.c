/* The -x dump: offset, 16 bytes in hex, the same bytes as ASCII. */
#include "render.h"

void
pkl_render_hex(struct pkl_out *o, const struct pkl_frame *f)
{
	for (uint32_t off = 0; off < f->caplen; off += 16) {
		uint32_t n = f->caplen - off < 16 ? f->caplen - off : 16;
		pkl_out_str(o, "    ");
		pkl_out_color(o, PKL_COLOR_DIM);
		pkl_out_hex(o, off, 4);
		pkl_out_color(o, PKL_COLOR_RESET);
		pkl_out_str(o, "  ");
		for (uint32_t i = 0; i < 16; i++) {
			if (i < n) {
				pkl_out_hex(o, f->bytes[off + i], 2);
				pkl_out_char(o, ' ');
			} else {
				pkl_out_str(o, "   ");
			}
			if (i == 7)
				pkl_out_char(o, ' ');
		}
		pkl_out_char(o, ' ');
		for (uint32_t i = 0; i < n; i++) {
			uint8_t c = f->bytes[off + i];
			pkl_out_char(o, c >= 0x20 && c < 0x7f ? (char)c : '.');
		}
		pkl_out_char(o, '\n');
	}
}
