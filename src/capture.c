/* The input stage over libpcap.
 *
 * Files are opened through our own FILE with a 1 MiB buffer
 * (pcap_fopen_offline): libpcap's default reads in small chunks and
 * that alone doubles the cost of the read loop.  Timestamps are asked
 * for in nanoseconds so that nanosecond captures keep their precision. */
#include "capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILE_BUFFER_SIZE (1u << 20)

struct pkl_capture {
	pcap_t *pcap;
	FILE *file;
	char *file_buffer;
	const char *path;
	int linktype;
	bool is_pcap;         /* classic pcap: record offsets are computable */
	bool has_filter;
	struct bpf_program filter;
	uint64_t records;     /* read so far, filtered or not */
	uint64_t offset;      /* byte offset of the next record (classic pcap) */
};

static bool
is_classic_pcap(const unsigned char magic[4])
{
	static const unsigned char magics[][4] = {
		{ 0xd4, 0xc3, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0xc3, 0xd4 },
		{ 0x4d, 0x3c, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0x3c, 0x4d },
	};
	for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
		if (memcmp(magic, magics[i], 4) == 0)
			return true;
	return false;
}

struct pkl_capture *
pkl_capture_open_file(const char *path, const char *filter,
		      char errbuf[PKL_ERRBUF_SIZE], bool *usage_error)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	struct pkl_capture *cap = calloc(1, sizeof *cap);

	*usage_error = false;
	if (!cap) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "out of memory opening %s", path);
		return NULL;
	}
	cap->path = path;
	cap->file = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!cap->file) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot open %s: %s", path, strerror(errno));
		free(cap);
		return NULL;
	}
	cap->file_buffer = malloc(FILE_BUFFER_SIZE);
	if (cap->file_buffer)
		setvbuf(cap->file, cap->file_buffer, _IOFBF, FILE_BUFFER_SIZE);

	/* Peek at the magic to know whether record offsets can be
	 * computed; the bytes go back for libpcap. */
	unsigned char magic[4] = { 0 };
	size_t got = fread(magic, 1, sizeof magic, cap->file);
	for (size_t i = got; i-- > 0;)
		ungetc(magic[i], cap->file);
	cap->is_pcap = got == 4 && is_classic_pcap(magic);
	cap->offset = 24;

	cap->pcap = pcap_fopen_offline_with_tstamp_precision(
		cap->file, PCAP_TSTAMP_PRECISION_NANO, pcap_err);
	if (!cap->pcap) {
		if (got == 0)
			snprintf(errbuf, PKL_ERRBUF_SIZE, "%s is empty: not a capture file", path);
		else
			snprintf(errbuf, PKL_ERRBUF_SIZE,
				 "%s is not a capture file libpcap can read (%s); "
				 "pktlens reads pcap and pcapng", path, pcap_err);
		if (cap->file != stdin)
			fclose(cap->file);
		free(cap->file_buffer);
		free(cap);
		return NULL;
	}
	cap->linktype = pcap_datalink(cap->pcap);

	if (filter) {
		struct bpf_program prog;
		if (pcap_compile(cap->pcap, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			snprintf(errbuf, PKL_ERRBUF_SIZE, "bad filter expression '%s': %s",
				 filter, pcap_geterr(cap->pcap));
			*usage_error = true;
			pkl_capture_close(cap);
			return NULL;
		}
		/* Applied per record rather than with pcap_setfilter, so that
		 * frame numbers and byte offsets stay those of the file. */
		cap->filter = prog;
		cap->has_filter = true;
	}
	return cap;
}

int
pkl_capture_next(struct pkl_capture *cap, struct pkl_frame *frame,
		 char errbuf[PKL_ERRBUF_SIZE])
{
	struct pcap_pkthdr *hdr;
	const u_char *bytes;

	int rc;
	for (;;) {
		rc = pcap_next_ex(cap->pcap, &hdr, &bytes);
		if (rc != 1 || !cap->has_filter ||
		    pcap_offline_filter(&cap->filter, hdr, bytes))
			break;
		cap->records++;
		cap->offset += 16 + hdr->caplen;
	}
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc < 0) {
		if (cap->is_pcap)
			snprintf(errbuf, PKL_ERRBUF_SIZE,
				 "%s: record %llu at byte offset %llu is corrupt: %s",
				 cap->path, (unsigned long long)cap->records + 1,
				 (unsigned long long)cap->offset, pcap_geterr(cap->pcap));
		else
			snprintf(errbuf, PKL_ERRBUF_SIZE,
				 "%s: block after record %llu is corrupt: %s", cap->path,
				 (unsigned long long)cap->records, pcap_geterr(cap->pcap));
		return -1;
	}
	/* Offline, pcap_next_ex returns 1 for a frame or -2 at the end;
	 * 0 (timeout) only happens live. */
	cap->records++;
	cap->offset += 16 + hdr->caplen;
	frame->number = cap->records;
	/* Classic pcap seconds are an unsigned 32-bit field, which libpcap
	 * reads as signed: undo that, or times after 2038 go negative. */
	frame->ts_sec = cap->is_pcap ? (int64_t)(uint32_t)hdr->ts.tv_sec : hdr->ts.tv_sec;
	frame->ts_nsec = (uint32_t)hdr->ts.tv_usec;
	frame->caplen = hdr->caplen;
	frame->len = hdr->len;
	frame->linktype = cap->linktype;
	frame->bytes = bytes;
	return 1;
}

int
pkl_capture_linktype(const struct pkl_capture *cap)
{
	return cap->linktype;
}

void
pkl_capture_close(struct pkl_capture *cap)
{
	if (!cap)
		return;
	if (cap->has_filter)
		pcap_freecode(&cap->filter);
	pcap_close(cap->pcap);   /* closes the FILE it was given */
	free(cap->file_buffer);
	free(cap);
}
