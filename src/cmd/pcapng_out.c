#include "pcapng_out.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../frame_comment.h"
#include "../out.h"
#include "../pcapng_writer.h"
#include "command.h"

/* As large as the pcap writer's stdio buffer is small: a busy capture
 * costs few writes. */
#define FILE_BUFFER_SIZE (256u * 1024)
/* Every note of a frame, and its anomalies, at their longest. */
#define COMMENT_SIZE ((PKL_MAX_NOTES + PKL_MAX_EVENTS + 1) * 512u)

struct pkl_cmd_pcapng {
	const char *path;
	struct pkl_out file;
	struct pkl_out comment;       /* rebuilt for every frame, in place */
	char comment_buf[COMMENT_SIZE];
};

bool
pkl_cmd_pcapng_wanted(const char *path)
{
	static const char suffix[] = ".pcapng";
	size_t n = strlen(path);

	return n > sizeof suffix - 1 && strcmp(path + n - (sizeof suffix - 1), suffix) == 0;
}

struct pkl_cmd_pcapng *
pkl_cmd_pcapng_open(const char *path, const struct pkl_capture *cap, const char *source,
		    char errbuf[PKL_ERRBUF_SIZE])
{
	struct pkl_cmd_pcapng *f = calloc(1, sizeof *f);
	char *buf = malloc(FILE_BUFFER_SIZE);
	char comment[PKL_ERRBUF_SIZE];

	if (!f || !buf) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "out of memory for the buffer of %s", path);
		goto fail;
	}
	int fd = pkl_capture_open_output(path, errbuf);
	if (fd < 0)
		goto fail;
	f->path = path;
	pkl_out_init_fd(&f->file, fd, buf, FILE_BUFFER_SIZE);
	snprintf(comment, sizeof comment,
		 "pktlens %s %s: each packet's comment holds pktlens's notes on it "
		 "(anomalies, then explanations), one per line", PKL_VERSION, source);
	int snaplen = pkl_capture_snaplen(cap);
	pkl_pcapng_write_header(&f->file, pkl_capture_linktype(cap),
				snaplen > 0 ? (uint32_t)snaplen : 0, comment, "pktlens " PKL_VERSION);
	return f;
fail:
	free(buf);
	free(f);
	return NULL;
}

void
pkl_cmd_pcapng_frame(void *file, const struct pkl_packet *pkt, const struct pkl_notes *notes)
{
	struct pkl_cmd_pcapng *f = file;

	pkl_out_init_fixed(&f->comment, f->comment_buf, sizeof f->comment_buf);
	pkl_frame_comment(&f->comment, pkt, notes);
	size_t len = pkl_out_finish_fixed(&f->comment);
	pkl_pcapng_write_packet(&f->file, pkt->frame, f->comment_buf, len);
}

int
pkl_cmd_pcapng_flush(struct pkl_cmd_pcapng *f, char errbuf[PKL_ERRBUF_SIZE])
{
	if (pkl_out_flush(&f->file) == 0)
		return 0;
	snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot write %s: %s", f->path,
		 strerror(f->file.errno_saved));
	return -1;
}

int
pkl_cmd_pcapng_close(struct pkl_cmd_pcapng *f, char errbuf[PKL_ERRBUF_SIZE])
{
	if (!f)
		return 0;
	int rc = pkl_cmd_pcapng_flush(f, errbuf);
	if (close(f->file.fd) < 0 && rc == 0) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "cannot write %s: %s", f->path, strerror(errno));
		rc = -1;
	}
	free(f->file.buf);
	free(f);
	return rc;
}
