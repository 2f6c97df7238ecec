/* A probing session on one interface: frames pktlens sends, and the
 * frames it hears, both taken from one capture handle.
 *
 * The capture is open before the first frame leaves, so no answer can be
 * missed, and it sees pktlens's own frames on their way out: every frame,
 * sent or heard, comes back with the kernel's timestamp, so a round trip
 * is the difference of two kernel times, and goes through the same
 * pipeline as any captured frame.  A frame is marked sent when its bytes
 * are those of a frame pktlens wrote, or when it leaves from the
 * interface's own MAC (the kernel's answers, such as the RST to a
 * SYN+ACK that no socket asked for); received otherwise. */
#ifndef PKL_CRAFT_PROBE_H
#define PKL_CRAFT_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../capture.h"

struct pkl_probe;   /* opaque */

/* Open the capture on iface (immediate delivery, nanosecond timestamps,
 * the kernel BPF filter, which must let pktlens's own frames through
 * too) and then the sending socket; mac is the interface's (NULL on
 * loopback, where every frame carries the zero MACs).  Both need
 * CAP_NET_RAW, held by the caller only around this call.  NULL with a
 * sentence in errbuf; *usage_error when the fault is the caller's
 * filter. */
struct pkl_probe *pkl_probe_open(const char *iface, const uint8_t mac[6], const char *filter,
				 char errbuf[PKL_ERRBUF_SIZE], bool *usage_error);

/* Also save every frame, sent and heard, to a pcap file (see
 * pkl_capture_write_to for what it refuses). */
int pkl_probe_write_to(struct pkl_probe *p, const char *path, char errbuf[PKL_ERRBUF_SIZE]);

/* The link type of the capture (DLT_EN10MB on Ethernet and loopback). */
int pkl_probe_linktype(const struct pkl_probe *p);

/* Send one link-layer frame.  Returns 0, or -1 with a sentence. */
int pkl_probe_send(struct pkl_probe *p, const uint8_t *frame, size_t len,
		   char errbuf[PKL_ERRBUF_SIZE]);

/* Hand every frame the capture delivers, its direction set, to deliver
 * until the monotonic clock reaches until_ns (pkl_probe_now_ns) or
 * deliver returns false.  Returns 1 when deliver stopped it, 0 at the
 * deadline, -1 on an error (errbuf says which). */
int pkl_probe_listen(struct pkl_probe *p, uint64_t until_ns, pkl_frame_fn *deliver,
		     void *ctx, char errbuf[PKL_ERRBUF_SIZE]);

/* Frames pktlens sent that the capture has not handed back yet: the
 * session waits for them before it ends, so every frame sent is shown. */
unsigned pkl_probe_unseen(const struct pkl_probe *p);

/* The kernel's counters for the capture (drops). */
int pkl_probe_stats(struct pkl_probe *p, struct pkl_capture_stats *st);

/* CLOCK_MONOTONIC in nanoseconds: the clock of deadlines and pacing. */
uint64_t pkl_probe_now_ns(void);

void pkl_probe_close(struct pkl_probe *p);

#endif
