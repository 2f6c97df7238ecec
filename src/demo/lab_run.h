/* The lab demonstrations' runner: the demo runner's steps, sentences
 * and JSON (runner.h), over the lab of src/lab/lab.h instead of lo.
 *
 * The lab is built if it is down, and removed at the end unless --keep
 * (or when the demonstration fails: nothing is left behind).  Frames
 * are captured in the namespaces the demonstration names (taps), each
 * through a pipeline of its own (each namespace's view, as pktlens
 * sniff run there would see it), shown in time order across them and
 * labelled with their namespace ("netns" in JSON).  System calls, the
 * commands run in a namespace and the kernel's views (sock_diag, the
 * neighbour table, /proc/net/netstat, sysctls) are shown as records
 * with "netns" too.
 *
 * Frames pktlens crafts leave only by the sending interface (-i
 * NETNS/IFACE, a lab demonstration's default otherwise), which must be
 * in a namespace the lab made (pkl_lab_check_owned). */
#ifndef PKL_DEMO_LAB_RUN_H
#define PKL_DEMO_LAB_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../craft/addr.h"
#include "../craft/neigh.h"
#include "../lab/lab.h"
#include "../pipeline.h"
#include "../sockdiag.h"
#include "runner.h"

/* Run a lab demonstration (def->lab).  Returns the exit status. */
int pkl_lab_demo_run(const struct pkl_demo_def *def, const struct pkl_demo_opts *opts);

/* A capture in ns on iface with a BPF filter: shown (show) and/or
 * handed to hook (a pkl_sink_fn, after the tracker; NULL: none).
 * Returns 0, or -1 once the demo failed. */
int pkl_lab_demo_tap(struct pkl_demo *d, enum pkl_lab_ns ns, const char *iface,
		     const char *filter, bool show, pkl_sink_fn *hook, void *hook_ctx);

/* The sending interface: -i NETNS/IFACE, else default_ns's LAN
 * interface; checked to be the lab's, opened for sending; its MAC.
 * Returns 0, or -1 once the demo failed (a refusal when outside the
 * lab). */
int pkl_lab_demo_sender(struct pkl_demo *d, enum pkl_lab_ns default_ns, uint8_t mac[6]);
/* The sending interface's namespace and name. */
enum pkl_lab_ns pkl_lab_demo_sender_ns(const struct pkl_demo *d);
const char *pkl_lab_demo_sender_iface(const struct pkl_demo *d);
/* Send one crafted frame there.  Returns 0, or -1 once the demo failed. */
int pkl_lab_demo_send(struct pkl_demo *d, const uint8_t *frame, size_t len);

/* A SYN from src:sport to dst:dport, with Linux's options (MSS 1460,
 * SACK permitted, timestamps, window scale 7), sent on the sending
 * interface from its MAC to dst_mac.  Returns 0, or -1 once failed. */
int pkl_lab_demo_send_syn(struct pkl_demo *d, const uint8_t src_mac[6], const uint8_t dst_mac[6],
			  const struct pkl_addr *src, uint16_t sport, const struct pkl_addr *dst,
			  uint16_t dport, uint32_t seq);

/* pktlens's ARP for addresses no interface owns (src/craft/borrow.h):
 * each request for one of addrs[0..n) is answered "at mac" on the
 * sending interface.  Hand pkl_lab_demo_answer_arp as the hook of a tap
 * on that interface, with the responder as its context. */
struct pkl_lab_responder {
	struct pkl_demo *d;
	uint8_t mac[6];
	const struct pkl_addr *addrs;
	size_t n;
	unsigned answered;
};
void pkl_lab_demo_answer_arp(void *responder, const struct pkl_packet *pkt,
			     const struct pkl_notes *notes);

/* The system calls of a program in a lab namespace, shown as
 * {"kind": "syscall", "netns", "who", ...} records.  The socket is made
 * inside ns (and stays there); the others act on it wherever pktlens
 * is.  Each returns what the call returned, errno kept. */
int pkl_lab_demo_socket(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int type);
int pkl_lab_demo_setsockopt(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd,
			    int level, int name, const char *name_text, int value);
int pkl_lab_demo_bind(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd,
		      const char *addr, uint16_t port);
int pkl_lab_demo_listen(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd,
			int backlog);
int pkl_lab_demo_connect(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd,
			 const char *addr, uint16_t port);
/* Waits at most timeout_ms (the frames shown meanwhile); -1 EAGAIN after. */
int pkl_lab_demo_accept(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd,
			int timeout_ms);
ssize_t pkl_lab_demo_recv(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd,
			  int timeout_ms);
int pkl_lab_demo_close(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who, int fd);
/* Any other call, shown as those are: who in ns called call(args),
 * which returned result (errno err when negative); then its frames. */
void pkl_lab_demo_show_call(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who,
			    const char *call, const char *args, long result, int err);

/* A command run in ns and waited for, shown as {"kind": "command",
 * "netns", "who", "argv", "status"}.  Its exit status (-1 when it could
 * not run). */
int pkl_lab_demo_command(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who,
			 const char *const argv[]);
/* The same started in the background: its PID (ended at the demo's
 * end unless waited for with pkl_lab_demo_reap), or -1 once failed. */
pid_t pkl_lab_demo_spawn(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who,
			 const char *const argv[]);
/* The same with its standard output kept, to be shown line by line
 * ({"kind": "output", "netns", "who", "line"}) once it ends, by
 * pkl_lab_demo_reap. */
pid_t pkl_lab_demo_spawn_shown(struct pkl_demo *d, enum pkl_lab_ns ns, const char *who,
			       const char *const argv[]);
/* Wait up to timeout_ms for it to exit (the frames shown meanwhile):
 * its exit status, or -1 (ended by force) when it did not. */
int pkl_lab_demo_reap(struct pkl_demo *d, pid_t pid, int timeout_ms);

/* A sysctl of ns set (shown). */
int pkl_lab_demo_sysctl(struct pkl_demo *d, enum pkl_lab_ns ns, const char *name, long value);

/* The kernel's neighbour entry for addr on ns's interface iface (rtnetlink
 * inside ns), shown as {"kind": "kernel", "what": "neighbour"}; in *e
 * when not NULL.  Returns 0, or -1 once failed. */
int pkl_lab_demo_neigh(struct pkl_demo *d, enum pkl_lab_ns ns, const char *iface,
		       const char *addr, struct pkl_neigh_entry *e);

/* The listener on addr:port of ns, with the number of its pending
 * handshakes (sock_diag SYN_RECV), shown as {"kind": "kernel", "what":
 * "listener"}.  *syn_recv and *l when not NULL.  Returns 0, or -1. */
int pkl_lab_demo_listener(struct pkl_demo *d, enum pkl_lab_ns ns, const char *addr,
			  uint16_t port, unsigned *syn_recv, struct pkl_sock *l);

/* The TCP socket of ns from addr:port to peer:peer_port (sock_diag),
 * shown as {"kind": "kernel", "what": "socket"}, "state" CLOSED when
 * there is none.  In *s when not NULL.  Returns 0, or -1. */
int pkl_lab_demo_socket_state(struct pkl_demo *d, enum pkl_lab_ns ns, const char *addr,
			      uint16_t port, const char *peer, uint16_t peer_port,
			      struct pkl_sock *s, bool *found);

/* TcpExt counters of ns's /proc/net/netstat, in value[i] for names[i]
 * (0 when the kernel has no such counter).  Returns 0, or -1. */
int pkl_lab_demo_netstat(struct pkl_demo *d, enum pkl_lab_ns ns, const char *const names[],
			 size_t n, unsigned long long value[]);
/* Shown as {"kind": "kernel", "what": "netstat", "name", "before",
 * "after"} records. */
void pkl_lab_demo_say_counters(struct pkl_demo *d, enum pkl_lab_ns ns, const char *const names[],
			       size_t n, const unsigned long long before[],
			       const unsigned long long after[]);

/* Open a JSON record of kind with its "netns" (a lab namespace). */
struct pkl_json;
void pkl_lab_demo_json_open(struct pkl_demo *d, struct pkl_json *j, const char *kind,
			    enum pkl_lab_ns ns);

#endif
