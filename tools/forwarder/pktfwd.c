/*
 * pktfwd.c - a small, seeded layer-2 forwarder for recording test captures.
 *
 * Build (no dependencies beyond libc):
 *     cc -std=c11 -O2 -Wall -Wextra -Werror -o pktfwd tools/forwarder/pktfwd.c
 *
 * Bridges two interfaces with AF_PACKET raw sockets: every frame received on
 * interface A is written to interface B and vice versa, except the frames
 * that the rules drop, delay or reorder.  Meant to run inside a middle
 * network namespace between two veth pairs (see captures/conn/record.sh).
 *
 *   pktfwd -a IF_A -b IF_B [-s SEED] [rules] [limits] [--log FILE]
 *
 * Rules count only the frames that match --match and --dir ("counted
 * frames", numbered from 1 in arrival order; with --dir both one counter
 * covers both directions; a2b = received on A, sent out of B).  Frames
 * that are not counted are always forwarded, unchanged and in order (after
 * --delay, if one is set).  Both sockets are watched with one ppoll() (poll
 * with a nanosecond timeout, for the delay line and held frames).
 *
 *   --match KIND     all (default), ip, tcp, tcpdata (TCP with payload),
 *                    tcpsyn, tcpfin, tcprst, udp, icmp, arp
 *   --dir DIR        a2b, b2a or both (default)
 *   --drop-nth LIST  drop counted frames N,M,...
 *   --drop-prob P    drop each counted frame with probability P (0..1),
 *                    drawn from a splitmix64 generator seeded with -s SEED;
 *                    one draw per counted frame, so the outcome depends only
 *                    on the seed and the order of the counted frames
 *   --hold-nth LIST  N:MS,...: send counted frame N MS milliseconds late
 *                    (frames behind it are not held: this reorders too)
 *   --swap-nth LIST  N,...: hold counted frame N and send it right after
 *                    the next counted frame (N+1; right away if that one is
 *                    dropped or held itself), or after --swap-timeout MS
 *                    (default 1000) if none comes
 *   A frame named by several rules: drop wins over swap, swap over hold.
 *
 *   --delay MS       a constant one-way delay for every frame, both ways
 *                    (a longer "wire": RTT = 2 * MS); frames keep their
 *                    order; --hold-nth adds its MS on top of it
 *
 *   --max-frames K   exit after K frames (all frames, counted or not)
 *   --max-seconds T  exit after T seconds (default 60; 0 = no limit)
 *   --log FILE       one line per decision: time since start, frame number
 *                    (all frames, from 1), direction, length, counted-frame
 *                    number or "-", action, and a one-line summary
 *   -v               also print the log lines on stderr
 *
 * Prints "pktfwd: ready" on stderr once both sockets are bound, and a
 * summary line on exit.  Exits on SIGTERM/SIGINT/SIGHUP; frames still held
 * then are sent ("flush") before exiting.  Frames this program sends are
 * never read back (PACKET_IGNORE_OUTGOING, and sll_pkttype is checked too).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define MAX_RULES 64
#define MAX_HELD 4096
#define FRAME_MAX 65600

enum match_kind {
    M_ALL, M_IP, M_TCP, M_TCPDATA, M_TCPSYN, M_TCPFIN, M_TCPRST, M_UDP,
    M_ICMP, M_ARP
};
static const char *const match_names[] = {
    "all", "ip", "tcp", "tcpdata", "tcpsyn", "tcpfin", "tcprst", "udp",
    "icmp", "arp"
};

enum { DIR_A2B = 1, DIR_B2A = 2, DIR_BOTH = 3 };

struct hold_rule { uint64_t n; unsigned ms; };

struct held {
    bool used;
    bool wait_next;          /* swap: release after a later counted frame */
    uint64_t frame, count;   /* frame number, counted-frame number */
    int dir;
    uint64_t due_ns;         /* release time (or swap timeout) */
    uint64_t order;          /* tie-break: queueing order */
    const char *why;         /* "hold", "swap"; NULL: plain delay line */
    size_t len;
    unsigned char *data;
    char summary[160];
};

struct iface {
    const char *name;
    int fd;
    int ifindex;
};

/* ------------------------------------------------------------ options */
static struct iface ifs[2];
static uint64_t seed;
static uint64_t drop_nth[MAX_RULES];
static size_t n_drop;
static double drop_prob;
static struct hold_rule hold_nth[MAX_RULES];
static size_t n_hold;
static uint64_t swap_nth[MAX_RULES];
static size_t n_swap;
static unsigned swap_timeout_ms = 1000;
static unsigned delay_ms;
static enum match_kind match = M_ALL;
static int dirmask = DIR_BOTH;
static uint64_t max_frames;
static double max_seconds = 60;
static FILE *logfp;
static bool verbose;

/* ------------------------------------------------------------ state */
static volatile sig_atomic_t stop_signal;
static uint64_t start_ns;
static uint64_t rng_state;
static struct held held[MAX_HELD];
static uint64_t n_order;
static uint64_t n_frames, n_counted, n_fwd, n_drop_done, n_held_done,
    n_send_err;

static void on_signal(int sig) { stop_signal = sig; }

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("pktfwd: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* splitmix64: tiny, well-distributed, fully determined by the seed */
static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static void logline(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    double t = (double)(now_ns() - start_ns) / 1e9;
    if (logfp)
        fprintf(logfp, "%.6f %s\n", t, line);
    if (verbose)
        fprintf(stderr, "%.6f %s\n", t, line);
}

static uint64_t parse_u64(const char *s, const char *what)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || *s == '-')
        die("bad %s: '%s'", what, s);
    return (uint64_t)v;
}

/* Parse "N,M,..." (or "N:MS,..." when hold != NULL). */
static void parse_list(const char *arg, const char *what, uint64_t *vals,
                       struct hold_rule *hold, size_t *n)
{
    char *copy = strdup(arg);
    if (!copy)
        die("out of memory");
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (*n >= MAX_RULES)
            die("too many %s entries (max %d)", what, MAX_RULES);
        if (hold) {
            char *colon = strchr(tok, ':');
            if (!colon)
                die("bad %s entry '%s' (want N:MS)", what, tok);
            *colon = '\0';
            hold[*n].n = parse_u64(tok, what);
            uint64_t ms = parse_u64(colon + 1, what);
            if (ms > 600000)
                die("%s: delay %" PRIu64 " ms is too long", what, ms);
            hold[*n].ms = (unsigned)ms;
            if (hold[*n].n == 0)
                die("%s: frames are numbered from 1", what);
        } else {
            vals[*n] = parse_u64(tok, what);
            if (vals[*n] == 0)
                die("%s: frames are numbered from 1", what);
        }
        (*n)++;
    }
    free(copy);
}

static bool in_list(const uint64_t *vals, size_t n, uint64_t v)
{
    for (size_t i = 0; i < n; i++)
        if (vals[i] == v)
            return true;
    return false;
}

static void usage(FILE *f)
{
    fputs("usage: pktfwd -a IF_A -b IF_B [-s SEED] [--match KIND] "
          "[--dir a2b|b2a|both]\n"
          "              [--drop-nth N[,M..]] [--drop-prob P] "
          "[--hold-nth N:MS[,..]]\n"
          "              [--swap-nth N[,..]] [--swap-timeout MS] "
          "[--max-frames K]\n"
          "              [--max-seconds T] [--delay MS] [--log FILE] [-v]\n"
          "KIND: all ip tcp tcpdata tcpsyn tcpfin tcprst udp icmp arp\n",
          f);
}

/* ------------------------------------------------------------ frames */
struct finfo {
    bool ip, tcp, udp, icmp, arp;
    bool syn, fin, rst;
    size_t tcp_payload;
    uint16_t ethertype;
};

static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Classify a frame and write a one-line summary (never reads past len). */
static struct finfo classify(const unsigned char *f, size_t len, char *sum,
                             size_t sumlen)
{
    struct finfo fi = {0};
    snprintf(sum, sumlen, "short frame");
    if (len < 14)
        return fi;
    fi.ethertype = rd16(f + 12);
    const unsigned char *p = f + 14;
    size_t rem = len - 14;
    snprintf(sum, sumlen, "ethertype 0x%04x", fi.ethertype);
    if (fi.ethertype == ETH_P_ARP) {
        fi.arp = true;
        if (rem >= 28 && rd16(p) == 1 && rd16(p + 2) == ETH_P_IP) {
            uint16_t op = rd16(p + 6);
            char spa[16], tpa[16];
            inet_ntop(AF_INET, p + 14, spa, sizeof spa);
            inet_ntop(AF_INET, p + 24, tpa, sizeof tpa);
            const unsigned char *sha = p + 8;
            snprintf(sum, sumlen,
                     "ARP op %u %s (%02x:%02x:%02x:%02x:%02x:%02x) -> %s", op,
                     spa, sha[0], sha[1], sha[2], sha[3], sha[4], sha[5], tpa);
        } else {
            snprintf(sum, sumlen, "ARP");
        }
        return fi;
    }
    if (fi.ethertype != ETH_P_IP || rem < 20 || (p[0] >> 4) != 4)
        return fi;
    fi.ip = true;
    size_t ihl = (size_t)(p[0] & 15) * 4;
    size_t tot = rd16(p + 2);
    unsigned proto = p[9];
    char src[16], dst[16];
    inet_ntop(AF_INET, p + 12, src, sizeof src);
    inet_ntop(AF_INET, p + 16, dst, sizeof dst);
    snprintf(sum, sumlen, "IPv4 %s > %s proto %u", src, dst, proto);
    if (ihl < 20 || tot < ihl || ihl > rem)
        return fi;
    bool first_frag = (rd16(p + 6) & 0x1fff) == 0;
    const unsigned char *l4 = p + ihl;
    size_t l4len = (tot <= rem ? tot : rem) - ihl; /* captured L4 bytes */
    size_t l4wire = tot - ihl;                     /* L4 length per IP */
    if (proto == 6) {
        fi.tcp = true;
        if (!first_frag || l4len < 20)
            return fi;
        size_t doff = (size_t)(l4[12] >> 4) * 4;
        unsigned fl = l4[13];
        fi.syn = fl & 0x02;
        fi.fin = fl & 0x01;
        fi.rst = fl & 0x04;
        fi.tcp_payload = l4wire > doff ? l4wire - doff : 0;
        char flags[8];
        size_t k = 0;
        if (fl & 0x02) flags[k++] = 'S';
        if (fl & 0x01) flags[k++] = 'F';
        if (fl & 0x04) flags[k++] = 'R';
        if (fl & 0x08) flags[k++] = 'P';
        if (fl & 0x20) flags[k++] = 'U';
        if (fl & 0x10) flags[k++] = '.';
        flags[k] = '\0';
        snprintf(sum, sumlen,
                 "TCP %s:%u > %s:%u [%s] seq %" PRIu32 " ack %" PRIu32
                 " win %u len %zu",
                 src, rd16(l4), dst, rd16(l4 + 2), flags, rd32(l4 + 4),
                 rd32(l4 + 8), rd16(l4 + 14), fi.tcp_payload);
    } else if (proto == 17) {
        fi.udp = true;
        if (first_frag && l4len >= 8)
            snprintf(sum, sumlen, "UDP %s:%u > %s:%u len %u", src, rd16(l4),
                     dst, rd16(l4 + 2), rd16(l4 + 4));
    } else if (proto == 1) {
        fi.icmp = true;
        if (first_frag && l4len >= 8)
            snprintf(sum, sumlen, "ICMP %s > %s type %u code %u id %u seq %u",
                     src, dst, l4[0], l4[1], rd16(l4 + 4), rd16(l4 + 6));
    }
    return fi;
}

static bool matches(const struct finfo *fi)
{
    switch (match) {
    case M_ALL: return true;
    case M_IP: return fi->ip;
    case M_TCP: return fi->tcp;
    case M_TCPDATA: return fi->tcp && fi->tcp_payload > 0;
    case M_TCPSYN: return fi->tcp && fi->syn;
    case M_TCPFIN: return fi->tcp && fi->fin;
    case M_TCPRST: return fi->tcp && fi->rst;
    case M_UDP: return fi->udp;
    case M_ICMP: return fi->icmp;
    case M_ARP: return fi->arp;
    }
    return false;
}

static const char *dirname_(int dir) { return dir == DIR_A2B ? "a2b" : "b2a"; }

/* ------------------------------------------------------------ I/O */
static int open_iface(struct iface *ifc)
{
    ifc->ifindex = (int)if_nametoindex(ifc->name);
    if (!ifc->ifindex)
        die("no interface '%s': %s", ifc->name, strerror(errno));
    /* protocol 0: receive nothing until bound to one interface */
    int fd = socket(AF_PACKET, SOCK_RAW, 0);
    if (fd < 0)
        die("socket(AF_PACKET): %s (needs CAP_NET_RAW)", strerror(errno));
    int one = 1;
    if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one))
        fprintf(stderr, "pktfwd: PACKET_IGNORE_OUTGOING unsupported (%s); "
                        "checking sll_pkttype instead\n", strerror(errno));
    int rcvbuf = 4 << 20;
    (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_ll sll = {0};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = ifc->ifindex;
    if (bind(fd, (struct sockaddr *)&sll, sizeof sll))
        die("bind to %s: %s", ifc->name, strerror(errno));
    struct packet_mreq mr = {0};
    mr.mr_ifindex = ifc->ifindex;
    mr.mr_type = PACKET_MR_PROMISC;
    if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr))
        die("promiscuous mode on %s: %s", ifc->name, strerror(errno));
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        die("fcntl: %s", strerror(errno));
    ifc->fd = fd;
    return fd;
}

/* Send a frame out of the interface opposite to where it came in. */
static void send_frame(int dir, const unsigned char *f, size_t len,
                       uint64_t frame)
{
    const struct iface *out = &ifs[dir == DIR_A2B ? 1 : 0];
    struct sockaddr_ll sll = {0};
    sll.sll_family = AF_PACKET;
    sll.sll_ifindex = out->ifindex;
    sll.sll_protocol = len >= 14 ? htons(rd16(f + 12)) : htons(ETH_P_ALL);
    for (int tries = 0; tries < 100; tries++) {
        ssize_t n = sendto(out->fd, f, len, 0, (struct sockaddr *)&sll,
                           sizeof sll);
        if (n == (ssize_t)len) {
            n_fwd++;
            return;
        }
        if (n < 0 && (errno == EAGAIN || errno == ENOBUFS || errno == EINTR)) {
            struct timespec ts = {0, 100000};
            nanosleep(&ts, NULL);
            continue;
        }
        break;
    }
    n_send_err++;
    logline("frame=%" PRIu64 " dir=%s len=%zu send-error: %s", frame,
            dirname_(dir), len, strerror(errno));
}

/* Queue a copy of a frame; NULL if the queue is full. */
static struct held *enqueue(const unsigned char *f, size_t len, int dir,
                            uint64_t frame, uint64_t count, const char *sum,
                            uint64_t due, bool wait_next, const char *why)
{
    for (size_t i = 0; i < MAX_HELD; i++) {
        if (held[i].used)
            continue;
        struct held *h = &held[i];
        h->data = malloc(len);
        if (!h->data)
            die("out of memory");
        memcpy(h->data, f, len);
        h->used = true;
        h->wait_next = wait_next;
        h->len = len;
        h->dir = dir;
        h->frame = frame;
        h->count = count;
        h->due_ns = due;
        h->order = ++n_order;
        h->why = why;
        snprintf(h->summary, sizeof h->summary, "%s", sum);
        return h;
    }
    return NULL;
}

static void release(struct held *h, const char *why)
{
    if (why) /* plain delay-line frames were logged when they arrived */
        logline("frame=%" PRIu64 " dir=%s len=%zu count=%" PRIu64
                " action=release(%s) %s",
                h->frame, dirname_(h->dir), h->len, h->count, why, h->summary);
    send_frame(h->dir, h->data, h->len, h->frame);
    free(h->data);
    h->data = NULL;
    h->used = false;
}

/* Send every queued frame that is due (all of them when flushing), in order
 * of due time, then of queueing.  A swap frame still waiting for its
 * successor is due only at its timeout. */
static void release_pending(uint64_t now, bool flush)
{
    for (;;) {
        struct held *best = NULL;
        for (size_t i = 0; i < MAX_HELD; i++) {
            struct held *h = &held[i];
            if (!h->used || (!flush && h->due_ns > now))
                continue;
            if (!best || h->due_ns < best->due_ns ||
                (h->due_ns == best->due_ns && h->order < best->order))
                best = h;
        }
        if (!best)
            return;
        const char *why = best->why;
        if (flush)
            why = "flush";
        else if (best->wait_next)
            why = "swap-timeout";
        release(best, why);
    }
}

/* Forward a frame: now, or through the delay line (--delay). */
static void forward(int dir, const unsigned char *f, size_t len,
                    uint64_t frame, uint64_t count, const char *sum,
                    uint64_t now, uint64_t *due_out)
{
    *due_out = now;
    if (delay_ms == 0) {
        send_frame(dir, f, len, frame);
        return;
    }
    uint64_t due = now + (uint64_t)delay_ms * 1000000u;
    if (!enqueue(f, len, dir, frame, count, sum, due, false, NULL)) {
        logline("frame=%" PRIu64 " queue full: sent without delay", frame);
        send_frame(dir, f, len, frame);
        return;
    }
    *due_out = due;
}

static void handle_frame(int dir, const unsigned char *f, size_t len)
{
    char sum[160];
    uint64_t now = now_ns();
    uint64_t frame = ++n_frames;
    uint64_t due;
    struct finfo fi = classify(f, len, sum, sizeof sum);
    bool counted = (dir & dirmask) && matches(&fi);
    if (!counted) {
        logline("frame=%" PRIu64 " dir=%s len=%zu count=- action=forward %s",
                frame, dirname_(dir), len, sum);
        forward(dir, f, len, frame, 0, sum, now, &due);
        return;
    }
    uint64_t count = ++n_counted;
    uint64_t r = rng_next(); /* one draw per counted frame, always */
    double u = (double)(r >> 11) * (1.0 / 9007199254740992.0);
    bool drop = in_list(drop_nth, n_drop, count) || (drop_prob > 0 && u < drop_prob);
    bool swap = !drop && in_list(swap_nth, n_swap, count);
    unsigned hold_ms = 0;
    bool hold = false;
    if (!drop && !swap)
        for (size_t i = 0; i < n_hold; i++)
            if (hold_nth[i].n == count) {
                hold = true;
                hold_ms = hold_nth[i].ms;
            }
    uint64_t base = now + (uint64_t)delay_ms * 1000000u;
    due = 0;
    if (drop) {
        n_drop_done++;
        logline("frame=%" PRIu64 " dir=%s len=%zu count=%" PRIu64
                " action=drop %s", frame, dirname_(dir), len, count, sum);
    } else if (swap || hold) {
        uint64_t when = swap ? now + (uint64_t)swap_timeout_ms * 1000000u
                             : base + (uint64_t)hold_ms * 1000000u;
        struct held *h = enqueue(f, len, dir, frame, count, sum, when, swap,
                                 swap ? "swap" : "hold");
        if (!h) {
            logline("frame=%" PRIu64 " dir=%s len=%zu count=%" PRIu64
                    " action=forward(queue-full) %s",
                    frame, dirname_(dir), len, count, sum);
            send_frame(dir, f, len, frame);
        } else {
            n_held_done++;
            if (swap)
                logline("frame=%" PRIu64 " dir=%s len=%zu count=%" PRIu64
                        " action=swap-hold(until count %" PRIu64 ") %s",
                        frame, dirname_(dir), len, count, count + 1, sum);
            else
                logline("frame=%" PRIu64 " dir=%s len=%zu count=%" PRIu64
                        " action=hold(%ums) %s",
                        frame, dirname_(dir), len, count, hold_ms, sum);
        }
    } else {
        logline("frame=%" PRIu64 " dir=%s len=%zu count=%" PRIu64
                " action=forward %s", frame, dirname_(dir), len, count, sum);
        forward(dir, f, len, frame, count, sum, now, &due);
    }
    /* A later counted frame has been handled: swap frames before it go
     * right after it (after it is sent, or when it leaves the delay line;
     * if it was dropped or is held itself, right away). */
    uint64_t after = due ? due : now;
    for (size_t i = 0; i < MAX_HELD; i++) {
        struct held *h = &held[i];
        if (h->used && h->wait_next && h->count < count) {
            h->wait_next = false;
            h->due_ns = after;
            h->order = ++n_order;
            h->why = "swap";
        }
    }
    release_pending(now, false);
}

static uint64_t next_due(void)
{
    uint64_t due = 0;
    for (size_t i = 0; i < MAX_HELD; i++)
        if (held[i].used && (!due || held[i].due_ns < due))
            due = held[i].due_ns;
    return due;
}

/* Read everything queued on one socket. Returns false on a fatal error. */
static bool drain(int idx, unsigned char *buf)
{
    for (;;) {
        struct sockaddr_ll from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(ifs[idx].fd, buf, FRAME_MAX, MSG_TRUNC,
                             (struct sockaddr *)&from, &fl);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return true;
            if (errno == EINTR)
                return true;
            fprintf(stderr, "pktfwd: recv on %s: %s\n", ifs[idx].name,
                    strerror(errno));
            return false;
        }
        if (from.sll_pkttype == PACKET_OUTGOING)
            continue; /* our own transmissions (if IGNORE_OUTGOING failed) */
        int dir = idx == 0 ? DIR_A2B : DIR_B2A;
        if ((size_t)n > FRAME_MAX) {
            logline("dir=%s len=%zd truncated-by-buffer: not forwarded "
                    "(offloads still on?)", dirname_(dir), n);
            continue;
        }
        handle_frame(dir, buf, (size_t)n);
        if (max_frames && n_frames >= max_frames)
            return true;
    }
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"iface-a", required_argument, NULL, 'a'},
        {"iface-b", required_argument, NULL, 'b'},
        {"seed", required_argument, NULL, 's'},
        {"drop-nth", required_argument, NULL, 1},
        {"drop-prob", required_argument, NULL, 2},
        {"hold-nth", required_argument, NULL, 3},
        {"swap-nth", required_argument, NULL, 4},
        {"swap-timeout", required_argument, NULL, 5},
        {"delay", required_argument, NULL, 11},
        {"match", required_argument, NULL, 6},
        {"dir", required_argument, NULL, 7},
        {"max-frames", required_argument, NULL, 8},
        {"max-seconds", required_argument, NULL, 9},
        {"log", required_argument, NULL, 10},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *logpath = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "a:b:s:vh", opts, NULL)) != -1) {
        switch (c) {
        case 'a': ifs[0].name = optarg; break;
        case 'b': ifs[1].name = optarg; break;
        case 's': seed = parse_u64(optarg, "seed"); break;
        case 1: parse_list(optarg, "--drop-nth", drop_nth, NULL, &n_drop); break;
        case 2: {
            char *end;
            drop_prob = strtod(optarg, &end);
            if (end == optarg || *end || !(drop_prob >= 0 && drop_prob <= 1))
                die("bad --drop-prob '%s' (want 0..1)", optarg);
            break;
        }
        case 3: parse_list(optarg, "--hold-nth", NULL, hold_nth, &n_hold); break;
        case 4: parse_list(optarg, "--swap-nth", swap_nth, NULL, &n_swap); break;
        case 5: {
            uint64_t v = parse_u64(optarg, "--swap-timeout");
            if (v > 600000)
                die("--swap-timeout too long");
            swap_timeout_ms = (unsigned)v;
            break;
        }
        case 6: {
            size_t i, n = sizeof match_names / sizeof match_names[0];
            for (i = 0; i < n; i++)
                if (!strcmp(optarg, match_names[i]))
                    break;
            if (i == n)
                die("bad --match '%s'", optarg);
            match = (enum match_kind)i;
            break;
        }
        case 7:
            if (!strcmp(optarg, "a2b")) dirmask = DIR_A2B;
            else if (!strcmp(optarg, "b2a")) dirmask = DIR_B2A;
            else if (!strcmp(optarg, "both")) dirmask = DIR_BOTH;
            else die("bad --dir '%s'", optarg);
            break;
        case 8: max_frames = parse_u64(optarg, "--max-frames"); break;
        case 9: {
            char *end;
            max_seconds = strtod(optarg, &end);
            if (end == optarg || *end || !(max_seconds >= 0 && max_seconds < 1e7))
                die("bad --max-seconds '%s'", optarg);
            break;
        }
        case 10: logpath = optarg; break;
        case 11: {
            uint64_t v = parse_u64(optarg, "--delay");
            if (v > 10000)
                die("--delay too long (max 10000 ms)");
            delay_ms = (unsigned)v;
            break;
        }
        case 'v': verbose = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc || !ifs[0].name || !ifs[1].name) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(ifs[0].name, ifs[1].name))
        die("-a and -b must differ");
    rng_state = seed;

    if (logpath) {
        logfp = fopen(logpath, "w");
        if (!logfp)
            die("cannot open log %s: %s", logpath, strerror(errno));
        setvbuf(logfp, NULL, _IOLBF, 0);
    }

    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    open_iface(&ifs[0]);
    open_iface(&ifs[1]);
    unsigned char *buf = malloc(FRAME_MAX + 1);
    if (!buf)
        die("out of memory");

    start_ns = now_ns();
    if (logfp) {
        fprintf(logfp, "# pktfwd -a %s -b %s seed=%" PRIu64 " match=%s dir=%s",
                ifs[0].name, ifs[1].name, seed, match_names[match],
                dirmask == DIR_BOTH ? "both" : dirname_(dirmask));
        fprintf(logfp, " drop-nth=");
        for (size_t i = 0; i < n_drop; i++)
            fprintf(logfp, "%s%" PRIu64, i ? "," : "", drop_nth[i]);
        fprintf(logfp, " drop-prob=%g hold-nth=", drop_prob);
        for (size_t i = 0; i < n_hold; i++)
            fprintf(logfp, "%s%" PRIu64 ":%u", i ? "," : "", hold_nth[i].n,
                    hold_nth[i].ms);
        fprintf(logfp, " swap-nth=");
        for (size_t i = 0; i < n_swap; i++)
            fprintf(logfp, "%s%" PRIu64, i ? "," : "", swap_nth[i]);
        fprintf(logfp, " swap-timeout=%ums delay=%ums\n", swap_timeout_ms,
                delay_ms);
        fprintf(logfp, "# time frame dir len count action summary "
                      "(a2b = %s -> %s)\n", ifs[0].name, ifs[1].name);
    }
    fprintf(stderr, "pktfwd: ready: %s <-> %s\n", ifs[0].name, ifs[1].name);

    const char *why = "signal";
    uint64_t end_ns = max_seconds > 0 ? start_ns + (uint64_t)(max_seconds * 1e9) : 0;
    while (!stop_signal) {
        uint64_t now = now_ns();
        release_pending(now, false);
        if (end_ns && now >= end_ns) {
            why = "max-seconds";
            break;
        }
        if (max_frames && n_frames >= max_frames) {
            why = "max-frames";
            break;
        }
        uint64_t wake = end_ns;
        uint64_t due = next_due();
        if (due && (!wake || due < wake))
            wake = due;
        struct timespec ts, *tsp = NULL;
        if (wake) {
            uint64_t left = wake > now ? wake - now : 0;
            ts.tv_sec = (time_t)(left / 1000000000u);
            ts.tv_nsec = (long)(left % 1000000000u);
            tsp = &ts;
        }
        struct pollfd pfd[2] = {
            {.fd = ifs[0].fd, .events = POLLIN},
            {.fd = ifs[1].fd, .events = POLLIN},
        };
        /* ppoll: poll() with a nanosecond timeout, for the delay line */
        int rc = ppoll(pfd, 2, tsp, NULL);
        if (rc < 0) {
            if (errno == EINTR)
                continue;
            die("ppoll: %s", strerror(errno));
        }
        for (int i = 0; i < 2; i++) {
            if (pfd[i].revents & (POLLERR | POLLHUP | POLLNVAL)) {
                fprintf(stderr, "pktfwd: interface %s went away\n", ifs[i].name);
                stop_signal = -1;
                why = "interface-error";
            } else if ((pfd[i].revents & POLLIN) && !drain(i, buf)) {
                stop_signal = -1;
                why = "recv-error";
            }
        }
    }
    if (stop_signal > 0)
        why = stop_signal == SIGTERM ? "SIGTERM" : stop_signal == SIGINT ? "SIGINT" : "SIGHUP";
    release_pending(0, true);
    logline("exit (%s): frames=%" PRIu64 " counted=%" PRIu64 " sent=%" PRIu64
            " dropped=%" PRIu64 " held=%" PRIu64 " send-errors=%" PRIu64,
            why, n_frames, n_counted, n_fwd, n_drop_done, n_held_done, n_send_err);
    fprintf(stderr, "pktfwd: exit (%s): frames=%" PRIu64 " counted=%" PRIu64
            " sent=%" PRIu64 " dropped=%" PRIu64 " held=%" PRIu64
            " send-errors=%" PRIu64 "\n",
            why, n_frames, n_counted, n_fwd, n_drop_done, n_held_done, n_send_err);
    if (logfp)
        fclose(logfp);
    free(buf);
    return n_send_err ? 1 : 0;
}
