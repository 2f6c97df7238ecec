/* TCP is a byte stream: the boundaries of send() calls are not kept.
 * Fifty small messages sent three ways (Nagle's coalescing, RFC 896;
 * TCP_NODELAY; a length prefix), and what the segments and the recv()
 * calls make of them. */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "../json.h"
#include "calls.h"
#include "demos.h"

#define MESSAGES 50
/* Smaller than the fifty messages together, so the reader's calls cut
 * through them. */
#define RECV_SIZE 200
#define STREAM_MAX 1024
/* The time between two send() calls. */
#define SEND_GAP_MS 2

enum run_kind { RUN_NAGLE, RUN_NODELAY, RUN_PREFIX, RUNS };

static const struct {
	const char *name, *label, *title;
} runs[RUNS] = {
	[RUN_NAGLE] = { "nagle", "Nagle (default)", "50 send() calls of one small message each" },
	[RUN_NODELAY] = { "nodelay", "TCP_NODELAY", "the same with TCP_NODELAY" },
	[RUN_PREFIX] = { "length-prefix", "length prefix",
			 "the same with a 2-byte length before each message" },
};

struct run_result {
	unsigned sends, segments, recvs;
	int recovered;             /* RUN_PREFIX: messages parsed back intact; else -1 */
	/* The first recv() that ended inside a message, that message, and
	 * how many of its bytes that recv() returned; 0: none did. */
	unsigned cut_recv, cut_message;
	size_t cut_bytes;
};

/* Message i (from 1) as sent: "message 7", with its length in 2 bytes
 * before it in the length-prefixed run. */
static size_t
message(enum run_kind kind, int i, char *buf, size_t size)
{
	size_t off = kind == RUN_PREFIX ? 2 : 0;
	int len = snprintf(buf + off, size - off, "message %d", i);

	if (kind == RUN_PREFIX) {
		buf[0] = (char)(len >> 8);
		buf[1] = (char)(len & 0xff);
	}
	return off + (size_t)len;
}

/* The first recv() that did not end on a message's boundary. */
static void
find_first_cut(const size_t *recv_end, enum run_kind kind, struct run_result *r)
{
	size_t end = 0;
	char m[64];

	for (unsigned i = 1; i <= MESSAGES; i++) {
		size_t start = end;
		end += message(kind, (int)i, m, sizeof m);
		for (unsigned k = 0; k < r->recvs; k++) {
			if (recv_end[k] > start && recv_end[k] < end) {
				r->cut_recv = k + 1;
				r->cut_message = i;
				r->cut_bytes = recv_end[k] - start;
				return;
			}
		}
	}
}

/* Parse the length-prefixed stream back into messages; how many came
 * out exactly as sent. */
static int
recover(const char *stream, size_t len)
{
	char m[64];
	size_t at = 0;
	int ok = 0;

	for (int i = 1; i <= MESSAGES && at + 2 <= len; i++) {
		size_t n = ((size_t)(unsigned char)stream[at] << 8) | (unsigned char)stream[at + 1];
		size_t want = message(RUN_PREFIX, i, m, sizeof m);
		if (at + 2 + n > len)
			break;
		if (n + 2 == want && memcmp(stream + at, m, want) == 0)
			ok++;
		at += 2 + n;
	}
	return ok;
}

static int
one_run(struct pkl_demo *d, int listener, enum run_kind kind, struct run_result *r)
{
	char stream[STREAM_MAX], m[64];
	size_t total = 0, got = 0, recv_end[MESSAGES];
	int client, server;

	*r = (struct run_result){ .recovered = -1 };
	pkl_demo_step(d, runs[kind].title);
	if ((client = pkl_demo_socket(d, "client", SOCK_STREAM)) < 0 ||
	    pkl_demo_connect(d, "client", client, pkl_demo_port(d, 0)) < 0 ||
	    (server = pkl_demo_accept(d, "server", listener)) < 0)
		return pkl_demo_fail(d, "the connection could not be made");
	if (kind == RUN_NODELAY)
		pkl_demo_setsockopt(d, "client", client, IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY", 1);
	/* A program that writes small messages as they come (keystrokes,
	 * requests), a moment apart.  With Nagle each waits while earlier
	 * data is unacknowledged, and the receiver delays its ACKs (40 ms
	 * and up), so they leave together; with TCP_NODELAY each leaves at
	 * once.  Back to back, the kernel would coalesce them even with
	 * TCP_NODELAY (net.ipv4.tcp_autocorking), which hides the
	 * difference.  The frames are shown as they come, between the calls. */
	pkl_demo_burst(d, true);
	for (int i = 1; i <= MESSAGES; i++) {
		size_t len = message(kind, i, m, sizeof m);
		if (pkl_demo_send(d, "client", client, m, len) == (ssize_t)len)
			total += len;
		r->sends++;
		pkl_demo_wait(d, SEND_GAP_MS);
	}
	pkl_demo_burst(d, false);
	while (got < total && r->recvs < MESSAGES) {
		ssize_t n = pkl_demo_recv(d, "server", server, stream + got,
					  total - got < RECV_SIZE ? total - got : RECV_SIZE);
		if (n <= 0)
			break;
		got += (size_t)n;
		recv_end[r->recvs++] = got;
	}
	find_first_cut(recv_end, kind, r);
	if (kind == RUN_PREFIX) {
		r->recovered = recover(stream, got);
		pkl_demo_say(d, "The reader took each 2-byte length, then that many bytes: %d of %d "
			     "messages recovered intact, however the recv() calls cut the stream.",
			     r->recovered, MESSAGES);
	} else if (r->cut_recv) {
		pkl_demo_say(d, "recv() #%u returned messages glued together, ending with the first "
			     "%zu bytes of message %u: its rest came with the next recv().  Whatever "
			     "the send() calls were, TCP delivers a stream of bytes.", r->cut_recv,
			     r->cut_bytes, r->cut_message);
	}
	uint16_t client_port = pkl_demo_local_port(client);
	pkl_demo_close(d, "client", client);
	pkl_demo_close(d, "server", server);
	pkl_demo_confirm(d);
	const struct pkl_demo_conn *c = pkl_demo_conn_by_client_port(d, client_port);
	r->segments = c ? c->data_segments[PKL_CLIENT] : 0;
	return 0;
}

static void
say_table(struct pkl_demo *d, const struct run_result *r)
{
	if (!d->json)
		pkl_out_str(&d->out, "run               send() calls  segments  recv() calls  "
			    "messages recovered\n");
	for (int k = 0; k < RUNS; k++) {
		if (d->json) {
			struct pkl_json j;
			pkl_demo_json_open(d, &j, "stream");
			PKL_JSON_KEY(&j, "run");
			pkl_json_name(&j, runs[k].name);
			PKL_JSON_KEY(&j, "send_calls");
			pkl_json_u64(&j, r[k].sends);
			PKL_JSON_KEY(&j, "segments");
			pkl_json_u64(&j, r[k].segments);
			PKL_JSON_KEY(&j, "recv_calls");
			pkl_json_u64(&j, r[k].recvs);
			PKL_JSON_KEY(&j, "messages_recovered");
			if (r[k].recovered >= 0)
				pkl_json_u64(&j, (uint64_t)r[k].recovered);
			else
				pkl_json_null(&j);
			PKL_JSON_KEY(&j, "split");
			if (r[k].cut_recv) {
				pkl_json_object_open(&j);
				PKL_JSON_KEY(&j, "recv_call");
				pkl_json_u64(&j, r[k].cut_recv);
				PKL_JSON_KEY(&j, "message");
				pkl_json_u64(&j, r[k].cut_message);
				PKL_JSON_KEY(&j, "bytes");
				pkl_json_u64(&j, r[k].cut_bytes);
				pkl_json_object_close(&j);
			} else {
				pkl_json_null(&j);
			}
			pkl_demo_json_close(d, &j);
			continue;
		}
		pkl_out_printf(&d->out, "%-17s %12u %9u %13u  ", runs[k].label, r[k].sends,
			       r[k].segments, r[k].recvs);
		if (r[k].recovered >= 0)
			pkl_out_printf(&d->out, "%d of %d\n", r[k].recovered, MESSAGES);
		else
			pkl_out_str(&d->out, "none: no boundaries\n");
	}
	pkl_demo_say(d, "Nagle's algorithm holds small writes while data is unacknowledged and "
		     "sends them together; TCP_NODELAY sends each at once.  Either way the reader "
		     "sees bytes: only the program's own framing (a length, a delimiter) brings "
		     "its messages back.");
}

static int
run(struct pkl_demo *d)
{
	struct run_result r[RUNS];
	int listener;

	pkl_demo_step(d, "the server listens");
	if ((listener = pkl_demo_socket(d, "server", SOCK_STREAM)) < 0 ||
	    pkl_demo_bind(d, "server", listener, pkl_demo_port(d, 0)) < 0 ||
	    pkl_demo_listen(d, "server", listener, 8) < 0)
		return pkl_demo_fail(d, "the server could not listen");
	for (int k = 0; k < RUNS; k++)
		if (one_run(d, listener, (enum run_kind)k, &r[k]) < 0)
			return -1;
	pkl_demo_close(d, "server", listener);
	pkl_demo_step(d, "send() calls, segments and recv() calls");
	say_table(d, r);
	return 0;
}

const struct pkl_demo_def pkl_demo_stream = {
	.name = "stream",
	.summary = "50 small send() calls vs the segments and the recv() calls: Nagle, "
		   "TCP_NODELAY, and a length prefix that restores the messages",
	.ports = 1,
	.run = run,
};
