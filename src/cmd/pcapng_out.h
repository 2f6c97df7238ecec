/* The -w file of read and sniff when its name ends in .pcapng: the
 * frames with their notes as packet comments, so that Wireshark shows
 * pktlens's explanations (frame.comment) and can filter on them. */
#ifndef PKL_CMD_PCAPNG_OUT_H
#define PKL_CMD_PCAPNG_OUT_H

#include <stdbool.h>

#include "../capture.h"
#include "../notes.h"
#include "../packet.h"

struct pkl_cmd_pcapng;   /* opaque */

/* Whether -w path asks for annotated pcapng rather than plain pcap. */
bool pkl_cmd_pcapng_wanted(const char *path);

/* Create path (as pkl_capture_write_to would) and write the section and
 * interface of cap's link type and snaplen, the section's comment naming
 * pktlens, its version and source ("read trace.pcap", "sniff -i eth0").
 * NULL with a sentence in errbuf. */
struct pkl_cmd_pcapng *pkl_cmd_pcapng_open(const char *path, const struct pkl_capture *cap,
					   const char *source, char errbuf[PKL_ERRBUF_SIZE]);

/* A pkl_sink_fn: the frame and its notes as one packet block. */
void pkl_cmd_pcapng_frame(void *file, const struct pkl_packet *pkt,
			  const struct pkl_notes *notes);

/* Write what is buffered.  -1 with a sentence in errbuf naming the file
 * when it (or an earlier write) failed. */
int pkl_cmd_pcapng_flush(struct pkl_cmd_pcapng *f, char errbuf[PKL_ERRBUF_SIZE]);

/* Flush, close and free (NULL: nothing).  -1 as for the flush. */
int pkl_cmd_pcapng_close(struct pkl_cmd_pcapng *f, char errbuf[PKL_ERRBUF_SIZE]);

#endif
