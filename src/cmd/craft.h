/* What the crafting commands (arp, ping, syn) share: the options every
 * one of them takes, and a session that opens the interface, gives up
 * privilege, and shows every frame sent and heard through a pipeline. */
#ifndef PKL_CMD_CRAFT_H
#define PKL_CMD_CRAFT_H

#include <stdbool.h>
#include <stdint.h>

#include "../craft/probe.h"
#include "../craft/route.h"
#include "common.h"

/* The most probes (requests, pings, ports times tries) one run sends. */
#define PKL_CRAFT_MAX_PROBES 1000000

/* --write, -Z, --broadcast; msl is set by a command that has its own
 * (tcp's --msl), so that the tracker's TIME_WAIT lasts as long as its. */
struct pkl_craft_opts {
	const char *write_path;
	const char *user;
	bool broadcast;
	uint32_t msl;             /* seconds; 0: the tracker's default */
};
extern const struct pkl_option pkl_craft_options[];
/* The same with -w for --write, as tcpdump's, for the commands whose
 * peer tool gives -w no other meaning (arping's and ping's -w is a
 * deadline). */
extern const struct pkl_option pkl_craft_options_w[];
pkl_opt_apply_fn pkl_craft_apply;

/* The next hop whose MAC is being asked for (ARP, neighbour solicitation). */
struct pkl_craft_resolve {
	bool active, found;
	struct pkl_addr addr;
	uint8_t mac[6];
};

struct pkl_craft_session {
	struct pkl_probe *probe;
	struct pkl_pipeline *pipeline;
	struct pkl_out out;
	struct pkl_render render;
	bool show_frames;
	/* Set by a command's matcher (a sink of the pipeline) once what it
	 * waits for has come: pkl_craft_listen returns early. */
	bool answered;
	struct pkl_craft_resolve resolve;
};

/* Open the capture and the sending socket on the link (filter: the answers
 * and pktlens's own frames), become the user (-Z, sudo's, or nobody),
 * open the --write file, give up every capability, then build the
 * pipeline: tracker, explanations, and the frame view unless -q.
 * Returns 0, or the exit status after saying why. */
int pkl_craft_start(struct pkl_craft_session *s, const struct pkl_craft_opts *c,
		    const struct pkl_view_opts *view, const struct pkl_route_link *link,
		    const char *filter);

/* Why the frames go where they go, before them: a line of text, or a
 * {"kind": "route"} record with --json. */
void pkl_craft_say_route(struct pkl_craft_session *s, const struct pkl_route_decision *d);

/* The MAC to send d's frames to: the zero MAC on loopback, the
 * broadcast or group MAC of such a target, the kernel's neighbour entry
 * with from_kernel (--neigh), else pktlens's own ARP request (neighbour
 * solicitation for IPv6) for the next hop, shown with the other frames,
 * sent up to `tries` times, wait_ms apart.  Returns 0 with mac filled,
 * -1 when nobody answered (said by the caller: it knows what was lost),
 * or the exit status after saying why. */
int pkl_craft_next_hop_mac(struct pkl_craft_session *s, const struct pkl_route_decision *d,
			   bool from_kernel, unsigned tries, uint64_t wait_ms, uint8_t mac[6]);

/* When pkl_craft_next_hop_mac found nobody after `tries`: says so (the
 * host or the gateway is down or not on the link, and no SYN left) and
 * returns EXIT_RUNTIME.  For the commands whose first frame is a SYN. */
int pkl_craft_no_next_hop(const struct pkl_route_decision *d, unsigned tries);

/* Add a consumer of every decoded frame after the view (a matcher). */
void pkl_craft_add_sink(struct pkl_craft_session *s, pkl_sink_fn *fn, void *ctx);

/* Send one frame; the exit status after saying why, or 0. */
int pkl_craft_send(struct pkl_craft_session *s, const uint8_t *frame, size_t len);

/* Every frame heard until until_ns (pkl_probe_now_ns's clock), until a
 * matcher sets answered (which is cleared first), or until Ctrl-C once
 * caught.  0, or the exit status. */
int pkl_craft_listen(struct pkl_craft_session *s, uint64_t until_ns);

/* The frames sent that the capture has not handed back yet are waited
 * for a moment, so every frame sent is shown; then the table is
 * finished.  Returns 0 or the exit status. */
int pkl_craft_drain(struct pkl_craft_session *s);

/* From now on Ctrl-C (SIGINT) and SIGTERM stop the command's loop
 * rather than the process, so it can still print its statistics, as
 * ping and arping do: the loop asks pkl_craft_interrupted, and a wait
 * in pkl_craft_listen ends within a tenth of a second. */
void pkl_craft_catch_interrupt(void);
bool pkl_craft_interrupted(void);

/* Round trips, summed as they come: the min/avg/max/deviation line of
 * ping's and arping's statistics. */
struct pkl_craft_rtt {
	uint32_t n;
	double min_ms, max_ms, sum_ms, sum_sq_ms;
};
void pkl_craft_rtt_add(struct pkl_craft_rtt *t, uint64_t ns);
double pkl_craft_rtt_avg_ms(const struct pkl_craft_rtt *t);
/* The standard deviation (ping's mdev, arping's std-dev). */
double pkl_craft_rtt_dev_ms(const struct pkl_craft_rtt *t);
/* "rtt min/avg/max/<dev_name> = 0.052/0.054/0.057/0.002 ms", nothing
 * without a round trip. */
void pkl_craft_rtt_print(struct pkl_out *o, const struct pkl_craft_rtt *t, const char *dev_name);

/* Close everything; returns status, or the output's failure. */
int pkl_craft_end(struct pkl_craft_session *s, int status);

#endif
