/* The input stage: libpcap, from a saved file or a live interface. */
#ifndef PKL_CAPTURE_H
#define PKL_CAPTURE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "clock.h"
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

/* The file's first record's time, whether or not the filter kept it:
 * relative times count from it.  Not started before a record is read. */
const struct pkl_clock *pkl_capture_origin(const struct pkl_capture *cap);

int pkl_capture_linktype(const struct pkl_capture *cap);
/* libpcap's short name ("EN10MB") and description ("Ethernet"), of a
 * link type ("unknown" for a number libpcap has no name for). */
const char *pkl_linktype_name(int linktype);
const char *pkl_linktype_description(int linktype);
/* The same, of the capture's link type. */
const char *pkl_capture_linktype_name(const struct pkl_capture *cap);
const char *pkl_capture_linktype_description(const struct pkl_capture *cap);
int pkl_capture_snaplen(const struct pkl_capture *cap);
void pkl_capture_close(struct pkl_capture *cap);

/* The largest capture buffer libpcap takes: its size in bytes is an int. */
#define PKL_CAPTURE_MAX_BUFFER_KIB (INT_MAX / 1024)

struct pkl_live_opts {
	const char *iface;
	int snaplen;
	int buffer_kib;          /* 0: libpcap's default; at most PKL_CAPTURE_MAX_BUFFER_KIB */
	bool promisc;
	/* Deliver every frame at once.  Without it the kernel fills whole
	 * blocks first (up to the 200 ms timeout), which costs far fewer
	 * wake-ups: the choice of a silent `-q -w`, as of tcpdump -w. */
	bool immediate;
	/* pkl_capture_dispatch never waits: the caller keeps its own
	 * deadlines (a probe's reply window) with pkl_capture_wait. */
	bool nonblocking;
};

/* Whether libpcap's device of this name is one pktlens refuses to open:
 * netfilter's queue and log, the system bus, Bluetooth. */
bool pkl_capture_is_pseudo_device(const char *name);

/* Open a live interface and, when filter is non-NULL,
 * apply that BPF expression in the kernel.  Returns NULL with a sentence
 * in errbuf that says what to do (permissions, unknown or down
 * interface); *usage_error is set when the fault is the user's: the
 * filter, a buffer size out of range, or a device that is not a network
 * interface (nfqueue, nflog, dbus-*, bluetooth*: refused before libpcap
 * opens it). */
struct pkl_capture *pkl_capture_open_live(const struct pkl_live_opts *opts,
					  const char *filter,
					  char errbuf[PKL_ERRBUF_SIZE],
					  bool *usage_error);

/* What libpcap warned of when the interface was opened (the capture
 * runs, but not quite as asked: an interface that cannot be made
 * promiscuous), as a sentence for the user; NULL when nothing. */
const char *pkl_capture_warning(const struct pkl_capture *cap);

/* Called for each frame; returns false to stop the capture. */
typedef bool pkl_frame_fn(void *ctx, const struct pkl_frame *frame);

/* Deliver the frames the kernel has ready (waiting a moment when none
 * is), writing each to the -w file first and flushing that file before
 * returning.  Returns the number delivered, -2 when stopped (by the
 * callback or pkl_capture_break), -1 on an error (errbuf says which). */
int pkl_capture_dispatch(struct pkl_capture *cap, pkl_frame_fn *deliver, void *ctx,
			 char errbuf[PKL_ERRBUF_SIZE]);

/* Wait at most timeout_ms for a live capture opened nonblocking to have
 * frames ready.  Returns 1 when frames are ready, 0 at the timeout or on
 * a signal, -1 on an error. */
int pkl_capture_wait(struct pkl_capture *cap, int timeout_ms, char errbuf[PKL_ERRBUF_SIZE]);

/* Make a pending or the next pkl_capture_dispatch return -2.  Safe to
 * call from a signal handler. */
void pkl_capture_break(struct pkl_capture *cap);

/* Also write every frame delivered (or returned by pkl_capture_next)
 * to a pcap file at path ("-":
 * standard output): a new file (mode 0600 before the umask), or an
 * existing regular file of the user's own with a single name, emptied;
 * a symbolic link, a FIFO, a device or another user's file is refused
 * and left as it was. */
int pkl_capture_write_to(struct pkl_capture *cap, const char *path,
			 char errbuf[PKL_ERRBUF_SIZE]);

/* After pkl_capture_write_to: write only the frames chosen, each by a
 * call of pkl_capture_write_current while it is the frame delivered
 * last (-w with a field filter). */
void pkl_capture_write_chosen(struct pkl_capture *cap);
void pkl_capture_write_current(struct pkl_capture *cap);

/* The file behind -w, created as pkl_capture_write_to says: the open
 * descriptor, or -1 with a sentence in errbuf. */
int pkl_capture_open_output(const char *path, char errbuf[PKL_ERRBUF_SIZE]);

struct pkl_capture_stats {
	uint64_t delivered;          /* frames handed to the caller */
	uint64_t received;           /* by the kernel filter */
	uint64_t dropped_kernel;     /* no room in the capture buffer */
	uint64_t dropped_interface;  /* dropped by the network interface or driver */
};

int pkl_capture_stats(struct pkl_capture *cap, struct pkl_capture_stats *st);

#endif
