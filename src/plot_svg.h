/* --plot: the time-sequence graph of one TCP connection, as tcptrace
 * and Wireshark's Stevens/tcptrace graphs draw it, written as plain SVG.
 *
 * For the direction that carried more bytes: each data segment a
 * vertical bar from its first to its last sequence number at the time
 * it was seen; the other end's ACK line and receive window line (ACK +
 * window); its SACK blocks; retransmissions, out-of-order segments and
 * zero windows in colours of their own, each also with a marker of its
 * own shape so that the graph still reads in black and white.
 *
 * Memory is bounded: past PKL_PLOT_MAX_POINTS points a direction's
 * points are merged per slice of time (the slices doubling each time it
 * fills), and past PKL_PLOT_MAX_BARS data segments the bars are drawn
 * one per pixel column, so a long transfer stays a light file. */
#ifndef PKL_PLOT_SVG_H
#define PKL_PLOT_SVG_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "notes.h"
#include "out.h"
#include "packet.h"

#define PKL_PLOT_MAX_POINTS (512u * 1024)
#define PKL_PLOT_MAX_BARS 100000u

struct pkl_plot;   /* opaque */

/* A graph of connection #conn, its times counted from clock's first
 * frame.  NULL when memory is lacking. */
struct pkl_plot *pkl_plot_new(uint64_t conn, const struct pkl_clock *clock);
/* A pkl_sink_fn. */
void pkl_plot_frame(void *plot, const struct pkl_packet *pkt, const struct pkl_notes *notes);
/* Whether a segment of the connection was seen. */
bool pkl_plot_seen(const struct pkl_plot *p);
/* Whether memory ran out for its points (the graph then ends early). */
bool pkl_plot_short(const struct pkl_plot *p);
/* The SVG document. */
void pkl_plot_write(const struct pkl_plot *p, struct pkl_out *o);
void pkl_plot_free(struct pkl_plot *p);

#endif
