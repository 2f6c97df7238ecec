/* The demonstrations' runner: a demo is a script of steps, system calls
 * on real kernel sockets on loopback, each followed by the frames it
 * caused (captured on `lo`, filtered to the demo's own ports, shown
 * through the same pipeline and views as sniff) and, where the script
 * asks, by each end's state as the tracker infers it from the frames
 * next to the kernel's own word (sock_diag).
 *
 * This is command code: it prints, through one output, in time order. */
#ifndef PKL_DEMO_RUNNER_H
#define PKL_DEMO_RUNNER_H

#include <stdbool.h>
#include <stdint.h>

#include "../cmd/common.h"
#include "../render_conns.h"
#include "../render_timeline.h"
#include "../tcp_state.h"

/* What the user asked for on the command line. */
struct pkl_demo_opts {
	struct pkl_view_opts view;
	const char *write_path;
	const char *user;
	uint64_t pace_ms;          /* the pause between steps */
	bool step;                 /* wait for Enter between steps instead */
	bool server_closes;        /* teardown: the server closes first */
	bool keep;                 /* lab demos: leave the lab up at the end */
	const char *interface;     /* lab demos: the sending interface, NETNS/IFACE */
};

/* The free ports a demo picks, at most. */
#define PKL_DEMO_MAX_PORTS 4
/* Connections and sockets one demo makes, at most. */
#define PKL_DEMO_MAX_CONNS 16
#define PKL_DEMO_MAX_FDS 32

/* A TCP connection seen in the frames: its ends, and the tracker's
 * latest inference for each. */
struct pkl_demo_conn {
	uint64_t id;                       /* the tracker's */
	struct pkl_endpoint end[2];        /* [PKL_CLIENT], [PKL_SERVER] */
	enum pkl_tcp_state state[2];
	bool confirmed_closed[2];          /* said once: not repeated */
	uint32_t data_segments[2];         /* segments of new bytes (no retransmission), by sender */
};

struct pkl_demo {
	const struct pkl_demo_opts *opts;
	struct pkl_capture *cap;
	struct pkl_pipeline *pipeline;
	struct pkl_timeline *timeline;
	struct pkl_out out;
	struct pkl_render render;
	struct pkl_conns_view records;
	bool json;
	uint16_t port[PKL_DEMO_MAX_PORTS];
	unsigned nports;
	unsigned steps;
	bool burst;                        /* the script paces its calls: no draining */
	struct pkl_demo_conn conn[PKL_DEMO_MAX_CONNS];
	unsigned nconns;
	int fd[PKL_DEMO_MAX_FDS];          /* every socket still open, closed at the end */
	unsigned nfds;
	unsigned disagreements;
	int status;                        /* the first failure's exit status */
	/* A lab demonstration's frames come from captures of its own in the
	 * lab's namespaces (src/demo/lab_run.h): these take the place of
	 * d->cap's dispatch and wait when set. */
	int (*take_ready)(struct pkl_demo *d);
	int (*wait_frames)(struct pkl_demo *d, int timeout_ms, char errbuf[PKL_ERRBUF_SIZE]);
};

/* One demonstration: its name, a line for the list, the free ports it
 * needs, and its script (which returns 0, or -1 once d->status says why
 * it stopped). */
struct pkl_demo_def {
	const char *name;
	const char *summary;
	unsigned ports;
	int (*run)(struct pkl_demo *d);
	bool lab;                          /* runs in the lab (pkl_lab_demo_run), not on lo */
};

/* Run one demonstration: pick its ports, open the capture on lo (the
 * one thing that needs a privilege), give up privilege, run the script,
 * then print the tracker's record and the ladder of every connection.
 * Returns the exit status. */
int pkl_demo_run(const struct pkl_demo_def *def, const struct pkl_demo_opts *opts);

/* The demo's i-th port, free when it was picked. */
uint16_t pkl_demo_port(const struct pkl_demo *d, unsigned i);

/* A new step of the script: the pause (or Enter with --step) before it,
 * then its title. */
void pkl_demo_step(struct pkl_demo *d, const char *title);
/* A sentence of explanation ({"kind": "say"} in JSON). */
void pkl_demo_say(struct pkl_demo *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Wait ms milliseconds while showing the frames that come (a SYN's
 * retransmission, a delayed ACK). */
void pkl_demo_wait(struct pkl_demo *d, uint64_t ms);

/* Show the frames the last calls caused: those ready, then those that
 * come until the link has been quiet a moment (bounded).  The calls of
 * a burst (pkl_demo_burst) skip it: the script paces them itself (with
 * pkl_demo_wait), as the program it plays would, for what the kernel
 * does depends on it (Nagle waits for ACKs). */
void pkl_demo_drain(struct pkl_demo *d);
void pkl_demo_burst(struct pkl_demo *d, bool on);

/* Each end of every connection of the frames: the tracker's inference
 * next to the kernel's state (sock_diag), agree or disagree.  Ends the
 * kernel and the tracker both call closed are said once. */
void pkl_demo_confirm(struct pkl_demo *d);

/* The kernel's socket bound to 127.0.0.1:port with no peer (a listener,
 * an unconnected UDP socket): its state and queues, as ss shows them,
 * or a {"kind": "socket"} record.  Returns 0, or -1 after failing. */
int pkl_demo_show_socket(struct pkl_demo *d, bool udp, uint16_t port);

/* The connection whose client end is at this port, or NULL. */
const struct pkl_demo_conn *pkl_demo_conn_by_client_port(const struct pkl_demo *d,
							 uint16_t port);

/* Print one {"kind": ...} record's members after the kind; text mode
 * callers print their own line. */
struct pkl_json;
void pkl_demo_json_open(struct pkl_demo *d, struct pkl_json *j, const char *kind);
void pkl_demo_json_close(struct pkl_demo *d, struct pkl_json *j);

/* Stop the script with this sentence (exit status EXIT_RUNTIME). */
int pkl_demo_fail(struct pkl_demo *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
