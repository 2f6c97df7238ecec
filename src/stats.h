/* `pktlens stats`: the capture's time span, a protocol hierarchy,
 * anomaly counts, the tracker's findings and top talkers. */
#ifndef PKL_STATS_H
#define PKL_STATS_H

#include <stdbool.h>

#include "conn_record.h"
#include "findings.h"
#include "out.h"
#include "packet.h"

struct pkl_stats;   /* opaque: bounded, allocated once */

struct pkl_stats *pkl_stats_new(void);
/* Count a frame, with what the connection tracker made of it (conn is
 * its snapshot, found its findings; both may say nothing). */
void pkl_stats_add(struct pkl_stats *st, const struct pkl_packet *pkt,
		   const struct pkl_conn_snapshot *conn, const struct pkl_findings *found);
/* Count what a conversation leaving the tracker's table tells that no
 * one frame does: the echo requests never answered.  A pkl_conn_done_fn. */
void pkl_stats_add_conn(void *st, const struct pkl_conn_record *c);
/* The text report, or with json one JSON object (keys in README.md). */
void pkl_stats_print(const struct pkl_stats *st, struct pkl_out *o, unsigned top_n, bool json);
void pkl_stats_free(struct pkl_stats *st);

#endif
