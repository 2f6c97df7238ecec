#include "json.h"

void
pkl_json_string(struct pkl_json *j, const char *s)
{
	static const char hexdig[] = "0123456789abcdef";

	/* Printable ASCII but the quote (0x22) and the backslash (0x5c):
	 * one load per character where the notes' long sentences are. */
	static const bool plain[256] = {
		[0x20 ... 0x21] = true, [0x23 ... 0x5b] = true, [0x5d ... 0x7e] = true,
	};
	struct pkl_out *o = j->out;

	pkl_out_char(o, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		/* Copy the run of characters that need no escape at once. */
		const unsigned char *run = p;
		while (plain[*p])
			p++;
		pkl_out_mem(o, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		if (*p == '"' || *p == '\\') {
			pkl_out_char(o, '\\');
			pkl_out_char(o, (char)*p);
		} else {
			/* Only our own ASCII sentences get here; anything else
			 * is escaped byte by byte so the output stays valid. */
			char esc[6] = { '\\', 'u', '0', '0', hexdig[*p >> 4], hexdig[*p & 15] };
			pkl_out_mem(o, esc, sizeof esc);
		}
		p++;
	}
	pkl_out_char(o, '"');
}
