#include "probe.h"

#include <stdio.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../hash.h"
#include "inject.h"

/* Frames sent and not yet seen again by the capture.  The kernel hands
 * a socket's frames to the capture in the order they were written, so
 * the next one to come back is almost always the oldest; a few later
 * ones are looked at too, in case the capture lost one (the ones passed
 * over are then taken as lost). */
#define SENT_RING 16384
#define SENT_LOOKAHEAD 64

struct sent {
	uint64_t hash;
	uint32_t len;
};

struct pkl_probe {
	struct pkl_capture *cap;
	struct pkl_inject *inject;
	struct pkl_hash_key key;
	bool has_mac;
	uint8_t mac[6];         /* the interface's: frames from it leave this host */
	uint32_t head, count;   /* the unseen sent frames, oldest first */
	struct sent sent[SENT_RING];
	/* The caller's callback during pkl_probe_listen. */
	pkl_frame_fn *deliver;
	void *deliver_ctx;
	bool stopped;
};

uint64_t
pkl_probe_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct pkl_probe *
pkl_probe_open(const char *iface, const uint8_t mac[6], unsigned mtu, const char *filter,
	       char errbuf[PKL_ERRBUF_SIZE], bool *usage_error)
{
	struct pkl_probe *p = calloc(1, sizeof *p);

	*usage_error = false;
	if (!p) {
		snprintf(errbuf, PKL_ERRBUF_SIZE, "out of memory opening %s", iface);
		return NULL;
	}
	if (mac) {
		p->has_mac = true;
		memcpy(p->mac, mac, 6);
	}
	pkl_hash_key_new(&p->key);
	/* Every frame whole, delivered as it comes.  What is sent and what
	 * answers it (a fragment train's largest included) fits in the
	 * link's MTU behind an Ethernet header with a VLAN tag; no frame the
	 * crafting filters pass is ever coalesced beyond it by receive
	 * offload.  The bound matters: in immediate mode libpcap uses
	 * TPACKET_V2, whose ring slots on an interface with offloads (veth,
	 * most NICs) are as large as the snapshot length, so 262144 bytes
	 * left 8 slots in its 2 MiB and a scan at 5000 probes a second lost
	 * answers.  8 MiB holds some 5000 Ethernet frames: 100 ms of a scan
	 * at 20000 probes a second. */
	const struct pkl_live_opts live = { .iface = iface, .snaplen = (int)mtu + 18,
					     .buffer_kib = 8192, .immediate = true,
					     .nonblocking = true };
	p->cap = pkl_capture_open_live(&live, filter, errbuf, usage_error);
	if (!p->cap || !(p->inject = pkl_inject_open(iface, errbuf))) {
		pkl_probe_close(p);
		return NULL;
	}
	return p;
}

int
pkl_probe_write_to(struct pkl_probe *p, const char *path, char errbuf[PKL_ERRBUF_SIZE])
{
	return pkl_capture_write_to(p->cap, path, errbuf);
}

int
pkl_probe_linktype(const struct pkl_probe *p)
{
	return pkl_capture_linktype(p->cap);
}

int
pkl_probe_send(struct pkl_probe *p, const uint8_t *frame, size_t len,
	       char errbuf[PKL_ERRBUF_SIZE])
{
	if (p->count == SENT_RING) {   /* the capture fell far behind: forget the oldest */
		p->head = (p->head + 1) % SENT_RING;
		p->count--;
	}
	struct sent *s = &p->sent[(p->head + p->count) % SENT_RING];
	s->hash = pkl_hash(&p->key, frame, len);
	s->len = (uint32_t)len;
	/* Remembered before it leaves: the capture may hand it back before
	 * the write returns. */
	p->count++;
	if (pkl_inject_write(p->inject, frame, len, errbuf) < 0) {
		p->count--;
		return -1;
	}
	return 0;
}

/* Whether f is one of the frames sent; if so it is no longer awaited. */
static bool
was_sent(struct pkl_probe *p, const struct pkl_frame *f)
{
	if (f->caplen != f->len || p->count == 0)
		return false;
	uint64_t h = pkl_hash(&p->key, f->bytes, f->caplen);
	uint32_t look = p->count < SENT_LOOKAHEAD ? p->count : SENT_LOOKAHEAD;

	for (uint32_t k = 0; k < look; k++) {
		const struct sent *s = &p->sent[(p->head + k) % SENT_RING];
		if (s->len == f->len && s->hash == h) {
			p->head = (p->head + k + 1) % SENT_RING;
			p->count -= k + 1;
			return true;
		}
	}
	return false;
}

static bool
deliver_marked(void *ctx, const struct pkl_frame *frame)
{
	struct pkl_probe *p = ctx;
	struct pkl_frame f = *frame;

	bool leaves = p->has_mac && f.linktype == DLT_EN10MB && f.caplen >= 12 &&
		      memcmp(f.bytes + 6, p->mac, 6) == 0;
	/* was_sent first: it also takes the frame off the awaited list. */
	f.direction = was_sent(p, &f) || leaves ? PKL_DIR_SENT : PKL_DIR_RECEIVED;
	if (!p->deliver(p->deliver_ctx, &f))
		p->stopped = true;
	return !p->stopped;
}

int
pkl_probe_listen(struct pkl_probe *p, uint64_t until_ns, pkl_frame_fn *deliver, void *ctx,
		 char errbuf[PKL_ERRBUF_SIZE])
{
	p->deliver = deliver;
	p->deliver_ctx = ctx;
	p->stopped = false;
	for (;;) {
		/* What is ready first, so frames already queued are never
		 * held back by a deadline that has just passed. */
		int rc = pkl_capture_dispatch(p->cap, deliver_marked, p, errbuf);
		if (rc == -2 || p->stopped)
			return 1;
		if (rc < 0)
			return -1;
		if (rc > 0)
			continue;
		uint64_t now = pkl_probe_now_ns();
		if (now >= until_ns)
			return 0;
		uint64_t wait_ms = (until_ns - now + 999999) / 1000000;
		if (pkl_capture_wait(p->cap, wait_ms > 1000 ? 1000 : (int)wait_ms, errbuf) < 0)
			return -1;
	}
}

unsigned
pkl_probe_unseen(const struct pkl_probe *p)
{
	return p->count;
}

int
pkl_probe_stats(struct pkl_probe *p, struct pkl_capture_stats *st)
{
	return pkl_capture_stats(p->cap, st);
}

void
pkl_probe_close(struct pkl_probe *p)
{
	if (!p)
		return;
	pkl_inject_close(p->inject);
	if (p->cap)
		pkl_capture_close(p->cap);
	free(p);
}
