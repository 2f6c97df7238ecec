/* The input stage: libpcap, from a saved file (live interfaces later). */
#ifndef PKL_CAPTURE_H
#define PKL_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "packet.h"

#define PKL_ERRBUF_SIZE 512

struct pkl_capture;   /* opaque */

/* Open a pcap or pcapng file ("-" for standard input) and, when filter
 * is non-NULL, apply that BPF expression.  Returns NULL with a sentence
 * in errbuf; *usage_error is set when the fault is the user's filter. */
struct pkl_capture *pkl_capture_open_file(const char *path, const char *filter,
					  char errbuf[PKL_ERRBUF_SIZE],
					  bool *usage_error);

/* The next frame that passes the filter: 1 and *frame filled (valid
 * until the next call), 0 at the end of the file, -1 on a read error
 * with a sentence in errbuf naming the file, the record and its offset. */
int pkl_capture_next(struct pkl_capture *cap, struct pkl_frame *frame,
		     char errbuf[PKL_ERRBUF_SIZE]);

int pkl_capture_linktype(const struct pkl_capture *cap);
void pkl_capture_close(struct pkl_capture *cap);

#endif
