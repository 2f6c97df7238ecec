/* libFuzzer target: one frame through decode -> annotate -> every view.
 *
 * Input format (fuzz/frames.py writes seeds in it and turns inputs back
 * into captures):
 *
 *   byte 0     bits 0-3: link type, index into links[] modulo its size
 *              bit 4:    hostile record: wire length below caplen
 *              bits 5-7: timestamp case (ts[]), for the time renderers
 *   bytes 1-2  big-endian: wire length minus caplen (or caplen minus
 *              wire length, floored at 0, for a hostile record); from
 *              0xff00 up, a wire length at the top of its range instead,
 *              0xffff meaning UINT32_MAX (libpcap does not bound it)
 *   byte 3     bit 0: explain addresses; bit 1: colour codes in the output;
 *              bit 2: skip checksums (as `pktlens stats` does)
 *   bytes 4-   the captured bytes: caplen is their number
 *
 * The captured bytes are copied to a heap block of exactly caplen bytes so
 * that AddressSanitizer sees any read past the capture.  Checks that abort
 * like a crash: the --json output is one valid JSON object on one line;
 * the text views hold no NUL byte; and decoding the frame again into a
 * packet filled with other bytes renders the same (no view reads a field
 * the decode left unwritten: pktlens reuses one packet for all frames).
 * The tree view also goes once through a stream-mode pkl_out to /dev/null
 * with a tiny buffer, so the flush path is exercised.
 *
 * One connection tracker with a small cap lives across inputs, so the
 * fuzzer drives it through sequences of frames (and its table through
 * eviction and expiry); a crash may then need the inputs before it to
 * reproduce, which libFuzzer's -runs over the corpus directory gives.
 *
 * Replay: fuzz/fuzz-decode FILE...  (libFuzzer's own driver). */
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/annotate.h"
#include "../src/conntrack.h"
#include "../src/decode.h"
#include "../src/notes.h"
#include "../src/out.h"
#include "../src/packet.h"
#include "../src/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Built with -fsanitize=memory (not by the Makefile): the packet is marked
 * uninitialized before each decode, so MemorySanitizer names any field a
 * view or the annotator reads that the decode did not write. */
#if defined(__has_feature)
#if __has_feature(memory_sanitizer)
#include <sanitizer/msan_interface.h>
#define POISON(p, n) __msan_allocated_memory((p), (n))
#endif
#endif
#ifndef POISON
#define POISON(p, n) ((void)0)
#endif

#define HEADER_LEN 4
#define OUT_SIZE (1u << 20)

static const int links[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_NULL, DLT_LOOP,
	DLT_RAW, DLT_IPV4, DLT_IPV6,
	DLT_IEEE802_11_RADIO,   /* one link type pktlens does not decode */
};
#define N_LINKS (sizeof links / sizeof links[0])

/* Timestamp of the frame and of the first frame (the relative-time base). */
static const struct {
	int64_t sec;
	uint32_t nsec;
	bool have_first;
	int64_t first_sec;
	uint32_t first_nsec;
} ts[8] = {
	{ 1700000000, 123456789, true, 1699999999, 999999999 },
	{ 0, 0, false, 0, 0 },
	{ INT64_MAX, 999999999, true, INT64_MIN, 0 },        /* pcapng, if_tsresol 0 */
	{ INT64_MIN, 0, true, INT64_MAX, 999999999 },
	{ 1700000000, 999999999, true, 1700000001, 0 },      /* 1 ns before the first */
	{ 100, 500000000, true, 200, 0 },                    /* out of order */
	{ -1, 1, false, 0, 0 },                              /* before 1970 */
	{ 4294967295, 999999999, true, 0, 0 },
};

static char outbuf[OUT_SIZE];

/* --- a strict RFC 8259 checker for the --json view ----------------------- */

struct jp {
	const char *p, *end;
	int depth;
};

static bool json_value(struct jp *j);

static void
json_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool
json_lit(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return false;
	j->p += n;
	return true;
}

static bool
json_digits(struct jp *j)
{
	const char *start = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > start;
}

static bool
json_number(struct jp *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (!json_digits(j))
		return false;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (!json_digits(j))
			return false;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!json_digits(j))
			return false;
	}
	return true;
}

static bool
json_string(struct jp *j)
{
	if (j->p >= j->end || *j->p != '"')
		return false;
	j->p++;
	while (j->p < j->end) {
		unsigned char c = (unsigned char)*j->p++;
		if (c == '"')
			return true;
		if (c < 0x20 || c >= 0x80)   /* pktlens writes ASCII only */
			return false;
		if (c != '\\')
			continue;
		if (j->p >= j->end)
			return false;
		c = (unsigned char)*j->p++;
		if (c == 'u') {
			for (int i = 0; i < 4; i++, j->p++)
				if (j->p >= j->end || !strchr("0123456789abcdefABCDEF", *j->p) || !*j->p)
					return false;
		} else if (!strchr("\"\\/bfnrt", c) || !c) {
			return false;
		}
	}
	return false;
}

static bool
json_container(struct jp *j, char close, bool object)
{
	j->p++;
	if (++j->depth > 64)
		return false;
	json_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return true;
	}
	for (;;) {
		json_ws(j);
		if (object) {
			if (!json_string(j))
				return false;
			json_ws(j);
			if (j->p >= j->end || *j->p++ != ':')
				return false;
			json_ws(j);
		}
		if (!json_value(j))
			return false;
		json_ws(j);
		if (j->p >= j->end)
			return false;
		char c = *j->p++;
		if (c == close) {
			j->depth--;
			return true;
		}
		if (c != ',')
			return false;
	}
}

static bool
json_value(struct jp *j)
{
	if (j->p >= j->end)
		return false;
	switch (*j->p) {
	case '{': return json_container(j, '}', true);
	case '[': return json_container(j, ']', false);
	case '"': return json_string(j);
	case 't': return json_lit(j, "true");
	case 'f': return json_lit(j, "false");
	case 'n': return json_lit(j, "null");
	default: return json_number(j);
	}
}

/* One object, then one newline, and nothing else. */
static bool
json_line_ok(const char *s, size_t n)
{
	struct jp j = { s, s + n, 0 };

	if (n < 3 || s[0] != '{' || s[n - 1] != '\n' || memchr(s, '\n', n - 1))
		return false;
	return json_value(&j) && j.p == s + n - 1;
}

/* --- the target ------------------------------------------------------------ */

static char tree_out[OUT_SIZE], json_out[OUT_SIZE];

/* One view into buf (fixed mode), checked; returns the output's length. */
static size_t
render_view(const struct pkl_packet *pkt, const struct pkl_notes *notes,
	    enum pkl_view view, bool hex, bool color, unsigned tcase, char *buf)
{
	struct pkl_out o;

	pkl_out_init_fixed(&o, buf, OUT_SIZE);
	o.color = color && view != PKL_VIEW_JSON;
	/* Without a first frame, the pipeline would take this one's time. */
	struct pkl_clock clock = { 0 };
	if (ts[tcase].have_first)
		clock = (struct pkl_clock){ true, ts[tcase].first_sec, ts[tcase].first_nsec };
	pkl_clock_start(&clock, pkt->frame);
	struct pkl_render r = { .out = &o, .view = view, .hex = hex, .clock = &clock };
	pkl_render_frame(&r, pkt, notes);
	size_t n = pkl_out_finish_fixed(&o);
	bool full = n + 1 >= OUT_SIZE;

	if (!full && memchr(buf, '\0', n)) {
		fprintf(stderr, "fuzz-decode: view %d wrote a NUL byte\n", (int)view);
		abort();
	}
	if (view == PKL_VIEW_JSON && !full && !json_line_ok(buf, n)) {
		fprintf(stderr, "fuzz-decode: invalid JSON line (%zu bytes):\n%.*s\n", n,
			(int)(n < 4000 ? n : 4000), buf);
		abort();
	}
	return n;
}

/* The tree view in stream mode, to /dev/null through a buffer smaller
 * than most lines: every writer goes through the flush path. */
static void
render_stream(const struct pkl_packet *pkt, const struct pkl_notes *notes, bool color)
{
	static int devnull = -1;
	static char small[37];
	struct pkl_out o;

	if (devnull < 0 && (devnull = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0)
		return;
	pkl_out_init_fd(&o, devnull, small, sizeof small);
	o.color = color;
	struct pkl_clock clock = { 0 };
	pkl_clock_start(&clock, pkt->frame);
	struct pkl_render r = { .out = &o, .view = PKL_VIEW_TREE, .hex = true, .clock = &clock };
	pkl_render_frame(&r, pkt, notes);
	pkl_out_flush(&o);
}

static void
same_output(const char *view, const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0;

	if (na == nb && memcmp(a, b, na) == 0)
		return;
	while (i < na && i < nb && a[i] == b[i])
		i++;
	size_t from = i > 200 ? i - 200 : 0;
	fprintf(stderr,
		"fuzz-decode: the %s view depends on what the packet struct held before "
		"pkl_decode (a field read that the decode did not write); first "
		"difference at byte %zu:\n--- over zeroed memory:\n%.*s\n"
		"--- over 0xff bytes:\n%.*s\n", view, i,
		(int)((na - from) < 600 ? na - from : 600), a + from,
		(int)((nb - from) < 600 ? nb - from : 600), b + from);
	abort();
}

static struct pkl_conntrack *
tracker(void)
{
	static struct pkl_conntrack *ct;
	static const struct pkl_conntrack_opts opts = {
		.max_conns = 64, .idle_timeout = 300, .exchange_timeout = 30, .msl = 30,
		.time_acks = true };

	if (!ct && !(ct = pkl_conntrack_new(&opts, NULL, NULL)))
		abort();
	return ct;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pkl_packet pkt;
	static struct pkl_findings found;
	static struct pkl_notes notes;

	if (size < HEADER_LEN)
		return 0;
	unsigned sel = data[0];
	bool hostile = sel & 0x10;
	unsigned tcase = sel >> 5;
	uint32_t delta = (uint32_t)data[1] << 8 | data[2];
	struct pkl_annotate_opts aopts = { .explain_addresses = data[3] & 1 };
	bool color = data[3] & 2;
	bool skip_checksums = data[3] & 4;

	uint32_t caplen = (uint32_t)(size - HEADER_LEN);
	uint32_t len = hostile ? (delta < caplen ? caplen - delta : 0)
			       : delta >= 0xff00 ? UINT32_MAX - (0xffff - delta)
						 : caplen + delta;

	/* Exactly caplen bytes on the heap (malloc(0) may return NULL: use 1). */
	uint8_t *bytes = malloc(caplen ? caplen : 1);
	if (!bytes)
		return 0;
	memcpy(bytes, data + HEADER_LEN, caplen);

	struct pkl_frame frame = {
		.number = 1,
		.ts_sec = ts[tcase].sec,
		.ts_nsec = ts[tcase].nsec,
		.caplen = caplen,
		.len = len,
		.linktype = links[(sel & 0x0f) % N_LINKS],
		.bytes = bytes,
	};

	memset(&pkt, 0, sizeof pkt);
	memset(&found, 0, sizeof found);
	memset(&notes, 0, sizeof notes);
	POISON(&pkt, sizeof pkt);
	POISON(&found, sizeof found);
	POISON(&notes, sizeof notes);
	pkt.skip_checksums = skip_checksums;   /* the caller's option */
	pkl_decode(&pkt, &frame);
	pkl_notes_reset(&notes);
	pkl_conntrack_frame(tracker(), &pkt, &notes.conn, &found);
	struct pkl_notes tracked = notes;
	pkl_annotate(&pkt, &found, &aopts, &notes);

	size_t n_tree = render_view(&pkt, &notes, PKL_VIEW_TREE, true, color, tcase, tree_out);
	render_view(&pkt, &notes, PKL_VIEW_LINE, false, color, tcase, outbuf);
	render_view(&pkt, &notes, PKL_VIEW_LINE, true, color, tcase, outbuf);
	size_t n_json = render_view(&pkt, &notes, PKL_VIEW_JSON, false, false, tcase, json_out);
	render_stream(&pkt, &notes, color);

	/* pktlens reuses one packet for every frame: what a frame shows must
	 * not depend on what the previous one left in it.  Decode again over
	 * different bytes; the views must not change. */
	memset(&pkt, 0xff, sizeof pkt);
	memset(&notes, 0xff, sizeof notes);
	pkt.skip_checksums = skip_checksums;
	pkl_decode(&pkt, &frame);
	notes = tracked;   /* the tracker moved on: give the frame what it said */
	pkl_annotate(&pkt, &found, &aopts, &notes);
	size_t n = render_view(&pkt, &notes, PKL_VIEW_TREE, true, color, tcase, outbuf);
	same_output("tree", tree_out, n_tree, outbuf, n);
	n = render_view(&pkt, &notes, PKL_VIEW_JSON, false, false, tcase, outbuf);
	same_output("json", json_out, n_json, outbuf, n);

	free(bytes);
	return 0;
}
