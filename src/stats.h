/* `pktlens stats`: a protocol hierarchy, anomaly counts and top talkers. */
#ifndef PKL_STATS_H
#define PKL_STATS_H

#include "out.h"
#include "packet.h"

struct pkl_stats;   /* opaque: bounded, allocated once */

struct pkl_stats *pkl_stats_new(void);
void pkl_stats_add(struct pkl_stats *st, const struct pkl_packet *pkt);
void pkl_stats_print(const struct pkl_stats *st, struct pkl_out *o, unsigned top_n);
void pkl_stats_free(struct pkl_stats *st);

#endif
