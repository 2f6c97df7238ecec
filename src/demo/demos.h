/* The demonstrations, in the order `pktlens demo` lists them; each is
 * defined in src/demo/<name>.c. */
#ifndef PKL_DEMO_DEMOS_H
#define PKL_DEMO_DEMOS_H

#include "runner.h"

extern const struct pkl_demo_def pkl_demo_handshake;
extern const struct pkl_demo_def pkl_demo_teardown;
extern const struct pkl_demo_def pkl_demo_timewait;
extern const struct pkl_demo_def pkl_demo_reset;
extern const struct pkl_demo_def pkl_demo_closed_port;
extern const struct pkl_demo_def pkl_demo_stream;
extern const struct pkl_demo_def pkl_demo_udp;
extern const struct pkl_demo_def pkl_demo_backlog;
/* In the lab (src/lab/lab.h, run by src/demo/lab_run.h). */
extern const struct pkl_demo_def pkl_demo_synflood;
extern const struct pkl_demo_def pkl_demo_arpspoof;
extern const struct pkl_demo_def pkl_demo_halfopen;
extern const struct pkl_demo_def pkl_demo_lostack;
extern const struct pkl_demo_def pkl_demo_journey;

#endif
