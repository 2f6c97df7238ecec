/*
 * gencap: deterministic synthetic pcap generator for the pktlens benchmarks.
 *
 * usage: gencap [-n FRAMES] [-c TCP_CONNECTIONS] [-s SEED] OUT.pcap
 *        defaults: -n 1000000 -c 14000 -s 1
 *
 * Writes a classic pcap (LINKTYPE_ETHERNET, microsecond timestamps,
 * snaplen 65535, little-endian) with a traffic mix of
 *   80% TCP/IPv4 frames spread over the requested number of connections
 *       (handshake with options, data both ways with consistent seq/ack,
 *       delayed ACKs, TS options, FIN teardown, some RST aborts, ~1% of
 *       connections with a retransmission),
 *   10% UDP/IPv4 (DNS queries/answers, some larger datagrams),
 *    5% ICMP (echo request/reply pairs, some port unreachables),
 *    3% ARP (request/reply pairs, occasional gratuitous ARP),
 *    2% IPv6 (TCP connections and DNS over UDP).
 * All IPv4 header, TCP, UDP and ICMP checksums are computed.  Output is a
 * pure function of the arguments (own splitmix64 PRNG, fixed epoch).
 * Per-frame work is O(1) in the number of connections.
 *
 * Only depends on libc; builds with cc -std=c11 -O2 -Wall -Wextra -Werror.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* PRNG (splitmix64)                                                   */

static uint64_t rng_state;

static inline uint64_t rnd64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* uniform in [0, n) for n < 2^32 */
static inline uint32_t rbelow(uint32_t n)
{
    return (uint32_t)(((rnd64() >> 32) * (uint64_t)n) >> 32);
}

/* uniform in [lo, hi] */
static inline uint32_t rrange(uint32_t lo, uint32_t hi)
{
    return lo + rbelow(hi - lo + 1);
}

static inline double runit(void) /* (0, 1] */
{
    return (double)((rnd64() >> 11) + 1) * (1.0 / 9007199254740992.0);
}

/* ------------------------------------------------------------------ */
/* byte helpers and checksums                                          */

static inline void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline void le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void le16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

/* One's complement sum in native byte order (RFC 1071: byte-order
 * independent as long as the result is stored back in native order).
 * Every part handed to csum_acc must start at an even stream offset. */
static uint64_t csum_acc(uint64_t s, const uint8_t *p, size_t n)
{
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        s += v;
        if (s < v)
            s++;
        p += 8;
        n -= 8;
    }
    if (n >= 4) {
        uint32_t v;
        memcpy(&v, p, 4);
        s += v;
        if (s < v)
            s++;
        p += 4;
        n -= 4;
    }
    if (n >= 2) {
        uint16_t v;
        memcpy(&v, p, 2);
        s += v;
        if (s < v)
            s++;
        p += 2;
        n -= 2;
    }
    if (n) {
        uint16_t v = 0;
        memcpy(&v, p, 1);
        s += v;
        if (s < v)
            s++;
    }
    return s;
}

static uint16_t csum_fin(uint64_t s)
{
    s = (s & 0xffffffffULL) + (s >> 32);
    s = (s & 0xffffffffULL) + (s >> 32);
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static inline void store_csum(uint8_t *p, uint16_t ck)
{
    memcpy(p, &ck, 2); /* native order, see csum_acc */
}

/* ------------------------------------------------------------------ */
/* output                                                              */

#define EPOCH_SEC 1700000000ULL
#define SNAPLEN 65535

static FILE *out;
static uint64_t now_us;  /* microseconds since EPOCH_SEC */
static uint8_t frame[SNAPLEN + 64];
static uint64_t total_bytes, total_frames;

enum { K_TCP4, K_UDP4, K_ICMP, K_ARP, K_TCP6, K_UDP6, K_N };
static const char *const kind_name[K_N] = {"tcp4", "udp4", "icmp", "arp",
                                           "tcp6", "udp6"};
static uint64_t kind_frames[K_N], kind_bytes[K_N];
static int cur_kind;

static void tick(void)
{
    uint32_t r = rbelow(1000);
    if (r < 900)
        now_us += rrange(10, 210);
    else if (r < 990)
        now_us += rrange(200, 2000);
    else
        now_us += rrange(2000, 5000);
}

static void emit(size_t len)
{
    uint8_t rec[16];
    uint64_t sec = EPOCH_SEC + now_us / 1000000;
    if (len < 60) {
        memset(frame + len, 0, 60 - len);
        len = 60;
    }
    le32(rec, (uint32_t)sec);
    le32(rec + 4, (uint32_t)(now_us % 1000000));
    le32(rec + 8, (uint32_t)len);
    le32(rec + 12, (uint32_t)len);
    if (fwrite(rec, 1, 16, out) != 16 || fwrite(frame, 1, len, out) != len) {
        perror("gencap: write");
        exit(1);
    }
    total_frames++;
    total_bytes += len;
    kind_frames[cur_kind]++;
    kind_bytes[cur_kind] += len;
}

/* ------------------------------------------------------------------ */
/* addressing                                                          */

#define NCLI4 3000
#define NSRV4 200
#define NCLI6 400
#define NSRV6 40

typedef struct {
    int v6;
    uint8_t a[16]; /* IPv4 uses a[0..3] */
} ipaddr;

static ipaddr v4(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    ipaddr r;
    memset(&r, 0, sizeof r);
    r.a[0] = (uint8_t)a;
    r.a[1] = (uint8_t)b;
    r.a[2] = (uint8_t)c;
    r.a[3] = (uint8_t)d;
    return r;
}

static ipaddr v6(uint32_t net, uint32_t host)
{
    /* fd00:6c:ab:<net>::<host> (ULA) */
    ipaddr r;
    memset(&r, 0, sizeof r);
    r.v6 = 1;
    r.a[0] = 0xfd;
    r.a[3] = 0x6c;
    r.a[5] = 0xab;
    r.a[6] = (uint8_t)(net >> 8);
    r.a[7] = (uint8_t)net;
    r.a[12] = (uint8_t)(host >> 24);
    r.a[13] = (uint8_t)(host >> 16);
    r.a[14] = (uint8_t)(host >> 8);
    r.a[15] = (uint8_t)host;
    return r;
}

static ipaddr cli_addr(int is6, uint32_t k)
{
    if (is6)
        return v6(1, k + 2);
    return v4(10, 0, k / 250, k % 250 + 2);
}

static ipaddr srv_addr(int is6, uint32_t k)
{
    if (is6)
        return v6(2, k + 0x10);
    if (k < 100)
        return v4(10, 1, k / 50, k % 50 + 10);
    k -= 100;
    return v4(192, 168, 2 + k / 50, k % 50 + 10);
}

static ipaddr dns_addr(int is6, uint32_t k)
{
    if (is6)
        return v6(2, 0x53);
    return k ? v4(10, 1, 0, 53) : v4(192, 168, 1, 1);
}

/* locally administered MAC derived from the address */
static void mac_of(uint8_t *m, const ipaddr *ip)
{
    m[0] = 0x02;
    if (ip->v6) {
        m[1] = 0x66;
        memcpy(m + 2, ip->a + 12, 4);
    } else {
        m[1] = 0x00;
        memcpy(m + 2, ip->a, 4);
    }
}

/* ------------------------------------------------------------------ */
/* L2/L3 building                                                      */

static struct {
    int v6;
    int proto;
    ipaddr src, dst;
    size_t l4off;
    size_t l4len;
} pk;

/* writes Ethernet + IP header; returns pointer to L4 start */
static uint8_t *ip_begin(const ipaddr *src, const ipaddr *dst, int proto,
                         size_t l4len, uint32_t ipid, uint32_t ttl, int df)
{
    uint8_t *f = frame;
    mac_of(f, dst);
    mac_of(f + 6, src);
    pk.v6 = src->v6;
    pk.proto = proto;
    pk.src = *src;
    pk.dst = *dst;
    pk.l4len = l4len;
    if (src->v6) {
        put16(f + 12, 0x86dd);
        uint8_t *ip = f + 14;
        put32(ip, 0x60000000u);
        put16(ip + 4, (uint32_t)l4len);
        ip[6] = (uint8_t)proto;
        ip[7] = (uint8_t)ttl;
        memcpy(ip + 8, src->a, 16);
        memcpy(ip + 24, dst->a, 16);
        pk.l4off = 14 + 40;
    } else {
        put16(f + 12, 0x0800);
        uint8_t *ip = f + 14;
        ip[0] = 0x45;
        ip[1] = 0;
        put16(ip + 2, (uint32_t)(20 + l4len));
        put16(ip + 4, ipid & 0xffff);
        put16(ip + 6, df ? 0x4000 : 0);
        ip[8] = (uint8_t)ttl;
        ip[9] = (uint8_t)proto;
        ip[10] = ip[11] = 0;
        memcpy(ip + 12, src->a, 4);
        memcpy(ip + 16, dst->a, 4);
        store_csum(ip + 10, csum_fin(csum_acc(0, ip, 20)));
        pk.l4off = 14 + 20;
    }
    return f + pk.l4off;
}

/* computes the L4 checksum (pseudo header for TCP/UDP) and emits */
static void ip_finish(size_t csum_off)
{
    uint8_t *l4 = frame + pk.l4off;
    uint64_t s = 0;
    if (pk.proto == 6 || pk.proto == 17) {
        uint8_t ph[40];
        if (pk.v6) {
            memcpy(ph, pk.src.a, 16);
            memcpy(ph + 16, pk.dst.a, 16);
            put32(ph + 32, (uint32_t)pk.l4len);
            ph[36] = ph[37] = ph[38] = 0;
            ph[39] = (uint8_t)pk.proto;
            s = csum_acc(0, ph, 40);
        } else {
            memcpy(ph, pk.src.a, 4);
            memcpy(ph + 4, pk.dst.a, 4);
            ph[8] = 0;
            ph[9] = (uint8_t)pk.proto;
            put16(ph + 10, (uint32_t)pk.l4len);
            s = csum_acc(0, ph, 12);
        }
    }
    l4[csum_off] = l4[csum_off + 1] = 0;
    uint16_t ck = csum_fin(csum_acc(s, l4, pk.l4len));
    if (pk.proto == 17 && ck == 0)
        ck = 0xffff;
    store_csum(l4 + csum_off, ck);
    emit(pk.l4off + pk.l4len);
}

/* ------------------------------------------------------------------ */
/* payload pattern                                                     */

#define PAT_SIZE 65536
static uint8_t pattern[PAT_SIZE + 2048];

static void init_pattern(void)
{
    uint64_t save = rng_state;
    rng_state = 0x5eed5eed5eedULL;
    for (size_t i = 0; i < sizeof pattern; i += 8) {
        uint64_t v = rnd64();
        memcpy(pattern + i, &v, 8);
    }
    rng_state = save;
}

/* ------------------------------------------------------------------ */
/* TCP connections                                                     */

enum { APP_TLS, APP_HTTP, APP_SSH };
enum { PH_SMALL, PH_HS, PH_DATA, PH_TD };
enum { TD_RST, TD_FIN3, TD_FIN4 };

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10

typedef struct {
    uint32_t id;
    uint32_t left;     /* frames still to emit */
    uint32_t nxt[2];   /* next sequence number per side (0=client) */
    uint32_t isn[2];
    uint32_t tsoff[2];
    uint32_t lastts[2];
    uint32_t ipid[2];
    uint32_t win[2];
    uint32_t mss[2];   /* payload bytes per full segment, per sender */
    uint16_t cport, sport;
    uint16_t cli, srv;
    uint8_t v6, ts, app, wscale;
    uint8_t phase, step, small;
    uint8_t td_kind, td_len, closer;
    uint8_t ttl[2];
    /* data phase */
    uint8_t mdir, pend[2], ack_every;
    uint32_t mlen, moff, mid;
    uint32_t dcount, retx_at;
    /* last data segment, for retransmission */
    uint8_t lvalid, ldir;
    uint32_t lseq, llen, lmoff, lmlen, lmid;
} conn;

typedef struct {
    int v6;
    uint32_t nconn, next;
    uint32_t *budget;
    conn *act;
    uint32_t nact, kmax;
    int64_t last;
    uint16_t *cport_next;
    uint32_t ncli, nsrv;
} engine;

static void fill_payload(uint8_t *dst, const conn *c, int dir, uint32_t moff,
                         uint32_t len, uint32_t mlen, uint32_t mid)
{
    uint32_t start = (c->id * 2654435761u + mid * 40503u +
                      (uint32_t)dir * 7919u + moff) & (PAT_SIZE - 1);
    memcpy(dst, pattern + start, len);

    if (c->app == APP_TLS) {
        /* TLS application data records of up to 16384 bytes */
        uint32_t b = (moff / 16389u) * 16389u;
        for (; b < moff + len; b += 16389u) {
            uint32_t rl = mlen - b - 5;
            if (rl > 16384)
                rl = 16384;
            uint8_t h[5] = {0x17, 0x03, 0x03, (uint8_t)(rl >> 8), (uint8_t)rl};
            for (uint32_t i = 0; i < 5; i++) {
                uint32_t pos = b + i;
                if (pos >= moff && pos < moff + len)
                    dst[pos - moff] = h[i];
            }
        }
    } else if (c->app == APP_HTTP) {
        char hdr[256];
        int hl;
        if (dir == 0) {
            hl = snprintf(hdr, sizeof hdr,
                          "GET /static/%u/%08x.bin HTTP/1.1\r\n"
                          "Host: srv%u.example.internal\r\n"
                          "User-Agent: gencap/1.0\r\nAccept: */*\r\nX-Pad: ",
                          (unsigned)c->srv, (unsigned)(c->id * 131u + mid),
                          (unsigned)c->srv);
            for (uint32_t i = 0; i < len; i++) {
                uint32_t pos = moff + i;
                char ch;
                if (pos < (uint32_t)hl)
                    ch = hdr[pos];
                else if (pos >= mlen - 4)
                    ch = "\r\n\r\n"[pos - (mlen - 4)];
                else
                    ch = 'a';
                dst[i] = (uint8_t)ch;
            }
        } else if (moff < 200) {
            uint32_t cl = mlen > 120 ? mlen - 120 : 0;
            for (int it = 0; it < 3; it++) {
                hl = snprintf(hdr, sizeof hdr,
                              "HTTP/1.1 200 OK\r\nServer: gencap\r\n"
                              "Content-Type: application/octet-stream\r\n"
                              "Content-Length: %u\r\n\r\n",
                              (unsigned)cl);
                cl = mlen > (uint32_t)hl ? mlen - (uint32_t)hl : 0;
            }
            for (uint32_t i = 0; i < len && moff + i < (uint32_t)hl; i++)
                dst[i] = (uint8_t)hdr[moff + i];
        }
    }
}

static uint8_t *tcp_begin(conn *c, int dir, uint32_t seq, uint32_t ack,
                          uint32_t flags, const uint8_t *opt, uint32_t optlen,
                          uint32_t paylen)
{
    ipaddr cl = cli_addr(c->v6, c->cli), sv = srv_addr(c->v6, c->srv);
    const ipaddr *src = dir ? &sv : &cl, *dst = dir ? &cl : &sv;
    uint8_t tsopt[12];
    if (c->ts && !(flags & F_SYN) && !(flags & F_RST)) {
        uint32_t tsval = (uint32_t)(now_us / 1000) + c->tsoff[dir];
        tsopt[0] = 1;
        tsopt[1] = 1;
        tsopt[2] = 8;
        tsopt[3] = 10;
        put32(tsopt + 4, tsval);
        put32(tsopt + 8, c->lastts[!dir]);
        c->lastts[dir] = tsval;
        opt = tsopt;
        optlen = 12;
    }
    uint32_t hl = 20 + optlen;
    uint8_t *t = ip_begin(src, dst, 6, hl + paylen, c->ipid[dir]++,
                          c->ttl[dir], !(flags & F_RST));
    put16(t, dir ? c->sport : c->cport);
    put16(t + 2, dir ? c->cport : c->sport);
    put32(t + 4, seq);
    put32(t + 8, (flags & F_ACK) ? ack : 0);
    t[12] = (uint8_t)((hl / 4) << 4);
    t[13] = (uint8_t)flags;
    put16(t + 14, (flags & F_RST) ? 0 : c->win[dir]);
    put16(t + 16, 0);
    put16(t + 18, 0);
    if (optlen)
        memcpy(t + 20, opt, optlen);
    return t + hl;
}

static void tcp_simple(conn *c, int dir, uint32_t flags)
{
    tcp_begin(c, dir, c->nxt[dir], c->nxt[!dir], flags, NULL, 0, 0);
    ip_finish(16);
}

static void tcp_syn(conn *c, int dir)
{
    uint8_t o[20];
    uint32_t n;
    uint32_t mss = (dir == 1 && c->mss[0] < 1400) ? 1360 : 1460;
    uint32_t tsval = (uint32_t)(now_us / 1000) + c->tsoff[dir];
    if (c->ts) {
        /* Linux style: MSS, SACK_PERM, TS, NOP, WS */
        o[0] = 2; o[1] = 4; put16(o + 2, mss);
        o[4] = 4; o[5] = 2;
        o[6] = 8; o[7] = 10; put32(o + 8, tsval);
        put32(o + 12, dir ? c->lastts[0] : 0);
        o[16] = 1;
        o[17] = 3; o[18] = 3; o[19] = c->wscale;
        n = 20;
        c->lastts[dir] = tsval;
    } else {
        /* Windows style: MSS, NOP, WS, NOP, NOP, SACK_PERM */
        o[0] = 2; o[1] = 4; put16(o + 2, mss);
        o[4] = 1;
        o[5] = 3; o[6] = 3; o[7] = c->wscale;
        o[8] = 1; o[9] = 1;
        o[10] = 4; o[11] = 2;
        n = 12;
    }
    uint32_t win = c->win[dir];
    c->win[dir] = dir ? 65160 : 64240; /* unscaled in SYNs */
    if (dir == 0) {
        tcp_begin(c, 0, c->isn[0], 0, F_SYN, o, n, 0);
        c->nxt[0] = c->isn[0] + 1;
    } else {
        tcp_begin(c, 1, c->isn[1], c->nxt[0], F_SYN | F_ACK, o, n, 0);
        c->nxt[1] = c->isn[1] + 1;
    }
    c->win[dir] = win;
    ip_finish(16);
}

static void tcp_data_seg(conn *c, int dir, uint32_t seq, uint32_t moff,
                         uint32_t len, uint32_t mlen, uint32_t mid)
{
    uint32_t fl = F_ACK | ((moff + len == mlen) ? F_PSH : 0);
    uint8_t *p = tcp_begin(c, dir, seq, c->nxt[!dir], fl, NULL, 0, len);
    fill_payload(p, c, dir, moff, len, mlen, mid);
    ip_finish(16);
}

#ifndef ACK1_PCT
#define ACK1_PCT 32
#endif
#ifndef RESP_SMALL
#define RESP_SMALL 12
#endif
#ifndef RESP_MED
#define RESP_MED 30
#endif
#ifndef RESP_LARGE
#define RESP_LARGE 70
#endif

static uint32_t pick_msg_size(conn *c, int dir, uint32_t data_left)
{
    uint32_t sz, r = rbelow(100);
    if (dir == 0) {
        if (c->app == APP_HTTP)
            sz = rrange(170, 900);
        else if (c->app == APP_SSH)
            sz = rrange(36, 200);
        else if (r < 95)
            sz = rrange(80, 1200);
        else
            sz = rrange(2000, 60000);
    } else {
        if (c->app == APP_SSH && r < 50)
            sz = rrange(36, 300);
        else if (r < RESP_SMALL)
            sz = rrange(200, 1400);
        else if (r < RESP_MED)
            sz = rrange(1400, 16000);
        else if (r < RESP_LARGE)
            sz = rrange(16000, 150000);
        else
            sz = rrange(150000, 3000000);
    }
    /* keep the message within ~2/3 of the remaining data-phase frames
     * (the rest goes to delayed ACKs and the next messages) */
    uint32_t mss = c->mss[dir];
    uint32_t nmax = data_left * c->ack_every / (c->ack_every + 1u);
    if (nmax < 1)
        nmax = 1;
    if (sz > nmax * mss) {
        sz = nmax * mss;
        if (nmax > 1)
            sz -= rbelow(mss / 2);
    }
    if (c->app == APP_HTTP && sz < 170)
        sz = 170;
    if (c->app == APP_TLS) {
        uint32_t rem = sz % 16389u;
        if (rem > 0 && rem < 6)
            sz += 6;
        if (sz < 6)
            sz = 6;
    }
    return sz;
}

static void conn_data_step(conn *c)
{
    uint32_t data_left = c->left - c->td_len;
    c->dcount++;
    if (c->retx_at && c->dcount >= c->retx_at && c->lvalid) {
        c->retx_at = 0;
        tcp_data_seg(c, c->ldir, c->lseq, c->lmoff, c->llen, c->lmlen,
                     c->lmid);
        return;
    }
    if (c->moff >= c->mlen) {
        /* previous message complete: maybe a standalone ACK, else next */
        int rcv = !c->mdir;
        if (c->mlen && c->pend[rcv] && rbelow(100) < 60) {
            tcp_simple(c, rcv, F_ACK);
            c->pend[rcv] = 0;
            return;
        }
        c->mdir = c->mlen ? (uint8_t)rcv : 0;
        c->mid++;
        c->mlen = pick_msg_size(c, c->mdir, data_left);
        c->moff = 0;
    } else if (c->pend[!c->mdir] >= c->ack_every) {
        int rcv = !c->mdir;
        tcp_simple(c, rcv, F_ACK);
        c->pend[rcv] = 0;
        return;
    }
    int d = c->mdir;
    uint32_t len = c->mlen - c->moff;
    if (len > c->mss[d])
        len = c->mss[d];
    c->lvalid = 1;
    c->ldir = (uint8_t)d;
    c->lseq = c->nxt[d];
    c->llen = len;
    c->lmoff = c->moff;
    c->lmlen = c->mlen;
    c->lmid = c->mid;
    tcp_data_seg(c, d, c->nxt[d], c->moff, len, c->mlen, c->mid);
    c->nxt[d] += len;
    c->moff += len;
    c->pend[!d]++;
    c->pend[d] = 0;
}

static void conn_step(conn *c)
{
    switch (c->phase) {
    case PH_SMALL:
        /* budgets 1..3: unanswered SYN, refused, or aborted handshake */
        if (c->step == 0) {
            tcp_syn(c, 0);
        } else if (c->small == 2) {
            /* RST,ACK from the server: connection refused */
            tcp_begin(c, 1, 0, c->nxt[0], F_RST | F_ACK, NULL, 0, 0);
            ip_finish(16);
        } else if (c->step == 1) {
            tcp_syn(c, 1);
        } else {
            tcp_simple(c, 0, F_RST);
        }
        c->step++;
        break;
    case PH_HS:
        if (c->step < 2) {
            tcp_syn(c, c->step);
            c->step++;
        } else {
            tcp_simple(c, 0, F_ACK);
            c->phase = PH_DATA;
            c->step = 0;
        }
        break;
    case PH_DATA:
        conn_data_step(c);
        break;
    case PH_TD: {
        int x = c->closer, y = !x;
        if (c->td_kind == TD_RST) {
            tcp_simple(c, x, F_RST | F_ACK);
        } else if (c->td_kind == TD_FIN3) {
            if (c->step == 0) {
                tcp_simple(c, x, F_FIN | F_ACK);
                c->nxt[x]++;
            } else if (c->step == 1) {
                tcp_simple(c, y, F_FIN | F_ACK);
                c->nxt[y]++;
            } else {
                tcp_simple(c, x, F_ACK);
            }
        } else {
            if (c->step == 0) {
                tcp_simple(c, x, F_FIN | F_ACK);
                c->nxt[x]++;
            } else if (c->step == 1) {
                tcp_simple(c, y, F_ACK);
            } else if (c->step == 2) {
                tcp_simple(c, y, F_FIN | F_ACK);
                c->nxt[y]++;
            } else {
                tcp_simple(c, x, F_ACK);
            }
        }
        c->step++;
        break;
    }
    }
    c->left--;
    if (c->phase == PH_DATA && c->left == c->td_len) {
        c->phase = PH_TD;
        c->step = 0;
    }
}

static void conn_init(engine *e, conn *c, uint32_t id, uint32_t b)
{
    memset(c, 0, sizeof *c);
    c->id = id;
    c->left = b;
    c->v6 = (uint8_t)e->v6;
    c->cli = (uint16_t)rbelow(e->ncli);
    /* skewed server popularity */
    c->srv = (uint16_t)rbelow(rbelow(e->nsrv) + 1);
    c->cport = e->cport_next[c->cli];
    e->cport_next[c->cli] = (uint16_t)(c->cport >= 60999 ? 32768 : c->cport + 1);
    uint32_t r = rbelow(100);
    if (r < 65) {
        c->app = APP_TLS;
        c->sport = 443;
    } else if (r < 90) {
        c->app = APP_HTTP;
        c->sport = 80;
    } else {
        c->app = APP_SSH;
        c->sport = 22;
    }
    c->isn[0] = (uint32_t)rnd64();
    c->isn[1] = (uint32_t)rnd64();
    c->tsoff[0] = (uint32_t)rnd64();
    c->tsoff[1] = (uint32_t)rnd64();
    c->ipid[0] = rbelow(65536);
    c->ipid[1] = rbelow(65536);
    c->ts = rbelow(100) < 70;
    /* delayed ACK every 2nd segment, some receivers ACK every segment */
    c->ack_every = rbelow(100) < ACK1_PCT ? 1 : 2;
    c->wscale = c->ts ? 7 : 8;
    c->win[0] = rrange(250, 2050);
    c->win[1] = rrange(250, 2050);
    c->ttl[0] = 64;
    c->ttl[1] = (uint8_t)(64 - 3 - (c->srv % 7));
    uint32_t mss = rbelow(100) < 5 ? 1360 : 1460;
    c->mss[0] = c->mss[1] = mss - (c->ts ? 12 : 0);

    if (b <= 3) {
        c->phase = PH_SMALL;
        c->small = (uint8_t)b;
        return;
    }
    c->phase = PH_HS;
    uint32_t rest = b - 3;
    int abort = rbelow(100) < 3;
    if (rest >= 3 && !abort) {
        if (rest >= 4 && rbelow(100) < 40)
            c->td_kind = TD_FIN4, c->td_len = 4;
        else
            c->td_kind = TD_FIN3, c->td_len = 3;
    } else {
        c->td_kind = TD_RST;
        c->td_len = 1;
    }
    c->closer = rbelow(100) < 60 ? 0 : 1;
    uint32_t data = rest - c->td_len;
    if (data >= 4 && rbelow(1000) < 12)
        c->retx_at = rrange(2, data - 1);
}

static void engine_init(engine *e, int is6, uint32_t nconn, uint64_t frames)
{
    memset(e, 0, sizeof *e);
    e->v6 = is6;
    e->ncli = is6 ? NCLI6 : NCLI4;
    e->nsrv = is6 ? NSRV6 : NSRV4;
    e->last = -1;
    if (nconn == 0 || frames == 0)
        return;
    e->nconn = nconn;
    e->budget = calloc(nconn, sizeof *e->budget);
    uint32_t k = nconn / 50;
    if (k < 8)
        k = 8;
    if (k > 4096)
        k = 4096;
    e->kmax = k;
    e->act = calloc(k, sizeof *e->act);
    e->cport_next = calloc(e->ncli, sizeof *e->cport_next);
    if (!e->budget || !e->act || !e->cport_next) {
        fprintf(stderr, "gencap: out of memory\n");
        exit(1);
    }
    for (uint32_t i = 0; i < e->ncli; i++)
        e->cport_next[i] = (uint16_t)rrange(32768, 60000);

    /* per-connection frame budgets summing exactly to 'frames':
     * a minimum plus a capped Pareto-like share of the rest */
    uint64_t avg = frames / nconn;
    if (avg == 0) {
        for (uint64_t i = 0; i < frames; i++)
            e->budget[i] = 1;
        return;
    }
    uint64_t m = avg * 3 / 4; /* >= 6 (handshake + FIN) when avg >= 8 */
    if (m > 8)
        m = 8;
    if (m < 1)
        m = 1;
    uint64_t extra = frames - m * nconn;
    double *w = malloc(nconn * sizeof *w);
    if (!w) {
        fprintf(stderr, "gencap: out of memory\n");
        exit(1);
    }
    double wsum = 0;
    for (uint32_t i = 0; i < nconn; i++) {
        double x = 1.0 / runit();
        if (x > 200)
            x = 200;
        w[i] = x;
        wsum += x;
    }
    uint64_t given = 0;
    for (uint32_t i = 0; i < nconn; i++) {
        uint64_t b = (uint64_t)((double)extra * w[i] / wsum);
        if (b > extra - given)
            b = extra - given;
        e->budget[i] = (uint32_t)(m + b);
        given += b;
    }
    free(w);
    for (uint32_t i = 0; given < extra; i = (i + 1) % nconn, given++)
        e->budget[i]++;
}

static void engine_step(engine *e)
{
    while (e->next < e->nconn && e->budget[e->next] == 0)
        e->next++;
    uint32_t i;
    if (e->next < e->nconn && e->nact < e->kmax &&
        (e->nact == 0 || rbelow(4) == 0)) {
        i = e->nact++;
        conn_init(e, &e->act[i], e->next, e->budget[e->next]);
        e->next++;
    } else if (e->last >= 0 && rbelow(100) < 50) {
        i = (uint32_t)e->last;
    } else {
        i = rbelow(e->nact);
    }
    conn *c = &e->act[i];
    conn_step(c);
    if (c->left == 0) {
        e->act[i] = e->act[--e->nact];
        e->last = -1;
    } else {
        e->last = i;
    }
}

/* ------------------------------------------------------------------ */
/* DNS                                                                 */

typedef struct {
    uint16_t cli, cport, txid;
    uint8_t srv, qtype6, edns, v6;
    uint32_t name;
} dnsq;

#define RING 256
typedef struct {
    dnsq q[RING];
    uint32_t head, n;
} dnsring;

static dnsring dns4, dns6;

static const char *const dn_host[] = {
    "www", "api", "cdn", "mail", "img", "static", "login", "edge",
    "ntp", "auth", "files", "git", "wiki", "metrics", "db", "push"};
static const char *const dn_dom[] = {
    "example.com", "example.org", "example.net", "corp.internal",
    "svc.cluster.local", "lan", "test"};
#define N_HOST (sizeof dn_host / sizeof dn_host[0])
#define N_DOM (sizeof dn_dom / sizeof dn_dom[0])

static size_t put_label(uint8_t *p, const char *s)
{
    size_t n = 0;
    while (*s) {
        const char *dot = strchr(s, '.');
        size_t l = dot ? (size_t)(dot - s) : strlen(s);
        p[n++] = (uint8_t)l;
        memcpy(p + n, s, l);
        n += l;
        s += l;
        if (*s == '.')
            s++;
    }
    return n;
}

static size_t put_name(uint8_t *p, uint32_t name)
{
    char buf[64];
    uint32_t num = (name / N_HOST) % 20;
    const char *host = dn_host[name % N_HOST];
    const char *dom = dn_dom[(name / (N_HOST * 20)) % N_DOM];
    if (num)
        snprintf(buf, sizeof buf, "%s%u.%s", host, (unsigned)num, dom);
    else
        snprintf(buf, sizeof buf, "%s.%s", host, dom);
    size_t n = put_label(p, buf);
    p[n++] = 0;
    return n;
}

static void dns_emit(const dnsq *q, int answer)
{
    ipaddr cl = cli_addr(q->v6, q->cli), sv = dns_addr(q->v6, q->srv);
    uint8_t msg[600];
    size_t n = 12;
    uint16_t qtype = q->qtype6 ? 28 : 1;
    put16(msg, q->txid);
    put16(msg + 2, answer ? 0x8180 : 0x0100);
    put16(msg + 4, 1);
    put16(msg + 6, 0);
    put16(msg + 8, 0);
    put16(msg + 10, q->edns ? 1 : 0);
    size_t qn = put_name(msg + n, q->name);
    n += qn;
    put16(msg + n, qtype);
    put16(msg + n + 2, 1);
    n += 4;
    if (answer) {
        /* deterministic answer shape derived from the query */
        uint32_t h = q->name * 2654435761u ^ q->txid;
        if ((h >> 8) % 20 == 0) {
            put16(msg + 2, 0x8183); /* NXDOMAIN */
        } else {
            uint16_t an = 0;
            uint16_t nameptr = 0xc00c;
            if ((h >> 12) % 5 == 0) {
                /* CNAME to a CDN name */
                put16(msg + n, 0xc00c);
                put16(msg + n + 2, 5);
                put16(msg + n + 4, 1);
                put32(msg + n + 6, 300);
                size_t rd = n + 12;
                size_t l = put_label(msg + rd, "edge-cdn.example.net");
                msg[rd + l++] = 0;
                put16(msg + n + 10, (uint32_t)l);
                nameptr = (uint16_t)(0xc000 | rd);
                n = rd + l;
                an++;
            }
            uint32_t na = 1 + (h >> 16) % 4;
            for (uint32_t i = 0; i < na; i++) {
                put16(msg + n, nameptr);
                put16(msg + n + 2, qtype);
                put16(msg + n + 4, 1);
                put32(msg + n + 6, 60 + (h % 3600));
                if (qtype == 28) {
                    put16(msg + n + 10, 16);
                    ipaddr a = v6(3, (h & 0xffff) + i);
                    memcpy(msg + n + 12, a.a, 16);
                    n += 28;
                } else {
                    put16(msg + n + 10, 4);
                    msg[n + 12] = 10;
                    msg[n + 13] = 1;
                    msg[n + 14] = (uint8_t)(h >> 20);
                    msg[n + 15] = (uint8_t)(i + 10);
                    n += 16;
                }
                an++;
            }
            put16(msg + 6, an);
        }
    }
    if (q->edns) {
        /* OPT pseudo-RR: root, type 41, udp size 1232 */
        msg[n] = 0;
        put16(msg + n + 1, 41);
        put16(msg + n + 3, 1232);
        put32(msg + n + 5, 0);
        put16(msg + n + 9, 0);
        n += 11;
    }
    const ipaddr *src = answer ? &sv : &cl, *dst = answer ? &cl : &sv;
    uint8_t *u = ip_begin(src, dst, 17, 8 + n, rbelow(65536), 64, 0);
    put16(u, answer ? 53 : q->cport);
    put16(u + 2, answer ? q->cport : 53);
    put16(u + 4, (uint32_t)(8 + n));
    memcpy(u + 8, msg, n);
    ip_finish(6);
}

static void dns_step(dnsring *r, int is6, int allow_bulk)
{
    if (r->n && (r->n == RING || rbelow(100) < 55)) {
        dns_emit(&r->q[r->head], 1);
        r->head = (r->head + 1) % RING;
        r->n--;
        return;
    }
    if (allow_bulk && rbelow(100) < 22) {
        /* larger datagrams: bulk/streaming UDP between high ports */
        uint32_t k = rbelow(16);
        ipaddr cl = cli_addr(0, k * 37), sv = v4(192, 168, 50, 20 + k % 4);
        int up = rbelow(100) < 30;
        uint32_t len = rbelow(100) < 70 ? rrange(1000, 1472) : rrange(300, 1000);
        uint8_t *u = ip_begin(up ? &cl : &sv, up ? &sv : &cl, 17, 8 + len,
                              rbelow(65536), 64, 1);
        put16(u, up ? 40000 + k : 41000);
        put16(u + 2, up ? 41000 : 40000 + k);
        put16(u + 4, 8 + len);
        memcpy(u + 8, pattern + rbelow(PAT_SIZE), len);
        /* fixed application header so that heuristic dissectors
         * (RTP/RTCP, ...) do not claim the random bytes */
        memcpy(u + 8, "\0\0gcapbk", 8);
        ip_finish(6);
        return;
    }
    dnsq q;
    memset(&q, 0, sizeof q);
    q.v6 = (uint8_t)is6;
    q.cli = (uint16_t)rbelow(is6 ? NCLI6 : NCLI4);
    q.cport = (uint16_t)rrange(32768, 60999);
    q.txid = (uint16_t)rbelow(65536);
    q.srv = (uint8_t)rbelow(2);
    q.qtype6 = is6 ? rbelow(100) < 70 : rbelow(100) < 25;
    q.edns = rbelow(100) < 50;
    q.name = rbelow(rbelow(N_HOST * 20 * N_DOM) + 1);
    dns_emit(&q, 0);
    if (rbelow(100) < 97) { /* a few queries stay unanswered */
        if (r->n == RING) {
            r->head = (r->head + 1) % RING;
            r->n--;
        }
        r->q[(r->head + r->n) % RING] = q;
        r->n++;
    }
}

/* ------------------------------------------------------------------ */
/* ICMP                                                                */

typedef struct {
    uint16_t cli, id, seq;
    uint8_t dst;
    uint64_t t_us;
} pingq;

static struct {
    pingq q[RING];
    uint32_t head, n;
    uint16_t seq[NCLI4];
} ping;

static ipaddr ping_dst(uint32_t k)
{
    if (k == 0)
        return v4(192, 168, 1, 1);
    return srv_addr(0, k);
}

static void ping_emit(const pingq *q, int reply)
{
    ipaddr cl = cli_addr(0, q->cli), d = ping_dst(q->dst);
    uint8_t *m = ip_begin(reply ? &d : &cl, reply ? &cl : &d, 1, 8 + 56,
                          rbelow(65536), reply ? 60 : 64, 1);
    m[0] = reply ? 0 : 8;
    m[1] = 0;
    put16(m + 4, q->id);
    put16(m + 6, q->seq);
    /* Linux ping payload: struct timeval then 0x10.. */
    uint64_t sec = EPOCH_SEC + q->t_us / 1000000, usec = q->t_us % 1000000;
    le32(m + 8, (uint32_t)sec);
    le32(m + 12, (uint32_t)(sec >> 32));
    le32(m + 16, (uint32_t)usec);
    le32(m + 20, 0);
    for (int i = 0; i < 40; i++)
        m[24 + i] = (uint8_t)(0x10 + i);
    ip_finish(2);
}

static void icmp_step(void)
{
    if (ping.n && (ping.n == RING || rbelow(100) < 60)) {
        ping_emit(&ping.q[ping.head], 1);
        ping.head = (ping.head + 1) % RING;
        ping.n--;
        return;
    }
    if (rbelow(100) < 5) {
        /* port unreachable quoting a UDP datagram client -> host:
         * a traceroute probe or an NTP client request */
        uint32_t cli = rbelow(NCLI4);
        ipaddr cl = cli_addr(0, cli), h = srv_addr(0, rbelow(NSRV4));
        int ntp = rbelow(100) < 20;
        uint32_t plen = ntp ? 48 : 32;
        uint8_t orig[20 + 8 + 48];
        /* build the original datagram in the frame buffer to get its
         * checksums right, then copy it out */
        /* (one PRNG call per statement: argument evaluation order is
         * unspecified and output must not depend on the compiler) */
        uint32_t oid = rbelow(65536);
        uint32_t ttl = ntp ? 64 : rrange(1, 30);
        uint32_t sport = ntp ? 123 : rrange(32768, 60999);
        uint32_t dport = ntp ? 123 : rrange(33434, 33534);
        uint8_t *u = ip_begin(&cl, &h, 17, 8 + plen, oid, ttl, 0);
        put16(u, sport);
        put16(u + 2, dport);
        put16(u + 4, 8 + plen);
        if (ntp) {
            memset(u + 8, 0, 48);
            u[8] = 0x23; /* LI 0, version 4, client */
            put32(u + 8 + 40, (uint32_t)(EPOCH_SEC + now_us / 1000000 + 2208988800ULL));
            put32(u + 8 + 44, (uint32_t)rnd64());
        } else {
            for (uint32_t i = 0; i < plen; i++)
                u[8 + i] = (uint8_t)(0x40 + i);
        }
        {
            uint8_t ph[12];
            memcpy(ph, cl.a, 4);
            memcpy(ph + 4, h.a, 4);
            ph[8] = 0;
            ph[9] = 17;
            put16(ph + 10, 8 + plen);
            u[6] = u[7] = 0;
            uint16_t ck = csum_fin(csum_acc(csum_acc(0, ph, 12), u, 8 + plen));
            if (ck == 0)
                ck = 0xffff;
            store_csum(u + 6, ck);
        }
        size_t olen = 20 + 8 + plen;
        memcpy(orig, frame + 14, olen);
        uint8_t *m = ip_begin(&h, &cl, 1, 8 + olen, rbelow(65536), 64, 0);
        m[0] = 3;
        m[1] = 3;
        put32(m + 4, 0);
        memcpy(m + 8, orig, olen);
        ip_finish(2);
        return;
    }
    pingq q;
    q.cli = (uint16_t)rbelow(64) * 41; /* a limited set of pingers */
    q.id = (uint16_t)(0x1000 + q.cli * 7);
    q.seq = ++ping.seq[q.cli];
    q.dst = (uint8_t)rbelow(rbelow(NSRV4) + 1);
    q.t_us = now_us;
    ping_emit(&q, 0);
    if (rbelow(100) < 98) {
        if (ping.n == RING) {
            ping.head = (ping.head + 1) % RING;
            ping.n--;
        }
        ping.q[(ping.head + ping.n) % RING] = q;
        ping.n++;
    }
}

/* ------------------------------------------------------------------ */
/* ARP                                                                 */

typedef struct {
    ipaddr req, tgt;
} arpq;

static struct {
    arpq q[RING];
    uint32_t head, n;
} arps;

static void arp_emit(const ipaddr *sip, const ipaddr *tip, int op,
                     const uint8_t *dmac, const uint8_t *tha)
{
    uint8_t *f = frame, smac[6];
    mac_of(smac, sip);
    memcpy(f, dmac, 6);
    memcpy(f + 6, smac, 6);
    put16(f + 12, 0x0806);
    uint8_t *a = f + 14;
    put16(a, 1);
    put16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, (uint32_t)op);
    memcpy(a + 8, smac, 6);
    memcpy(a + 14, sip->a, 4);
    memcpy(a + 18, tha, 6);
    memcpy(a + 24, tip->a, 4);
    emit(14 + 28);
}

/* two broadcast domains: 192.168.1.0/24 and the clients' 10.0.0.0/20,
 * each with its gateway at .1 */
static ipaddr arp_gw(int net)
{
    return net ? v4(10, 0, 0, 1) : v4(192, 168, 1, 1);
}

static ipaddr arp_station(int net)
{
    if (net)
        return cli_addr(0, rbelow(NCLI4));
    return v4(192, 168, 1, rrange(2, 254));
}

static ipaddr arp_host(int net)
{
    if (rbelow(100) < 25)
        return arp_gw(net);
    return arp_station(net);
}

static void arp_step(void)
{
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t zero[6] = {0};
    if (arps.n && (arps.n == RING || rbelow(100) < 65)) {
        arpq *q = &arps.q[arps.head];
        uint8_t rmac[6];
        mac_of(rmac, &q->req);
        arp_emit(&q->tgt, &q->req, 2, rmac, rmac);
        arps.head = (arps.head + 1) % RING;
        arps.n--;
        return;
    }
    int net = (int)rbelow(2);
    ipaddr s = arp_host(net);
    if (rbelow(100) < 5) { /* gratuitous */
        arp_emit(&s, &s, 1, bcast, zero);
        return;
    }
    ipaddr t = arp_host(net);
    if (!memcmp(s.a, t.a, 4))
        t = arp_gw(net);
    if (!memcmp(s.a, t.a, 4))
        s = arp_station(net);
    arp_emit(&s, &t, 1, bcast, zero);
    if (rbelow(100) < 95) {
        if (arps.n == RING) {
            arps.head = (arps.head + 1) % RING;
            arps.n--;
        }
        arps.q[(arps.head + arps.n) % RING] = (arpq){s, t};
        arps.n++;
    }
}

/* ------------------------------------------------------------------ */

static void usage(void)
{
    fprintf(stderr,
            "usage: gencap [-n FRAMES] [-c TCP_CONNECTIONS] [-s SEED] OUT.pcap\n"
            "       defaults: -n 1000000 -c 14000 -s 1\n");
    exit(2);
}

static uint64_t parse_num(const char *s)
{
    char *end;
    if (!s || !*s)
        usage();
    unsigned long long v = strtoull(s, &end, 10);
    if (*end)
        usage();
    return v;
}

int main(int argc, char **argv)
{
    uint64_t nframes = 1000000, nconn = 14000, seed = 1;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc)
            nframes = parse_num(argv[++i]);
        else if (!strcmp(argv[i], "-c") && i + 1 < argc)
            nconn = parse_num(argv[++i]);
        else if (!strcmp(argv[i], "-s") && i + 1 < argc)
            seed = parse_num(argv[++i]);
        else if (argv[i][0] == '-' && argv[i][1])
            usage();
        else if (!path)
            path = argv[i];
        else
            usage();
    }
    if (!path || nconn > 0xffffffffULL || nframes > 0xffffffffULL)
        usage();

    rng_state = seed * 0xD1B54A32D192ED03ULL + 0x1234567ULL;
    init_pattern();

    out = fopen(path, "wb");
    if (!out) {
        perror(path);
        return 1;
    }
    static char iobuf[8 << 20];
    setvbuf(out, iobuf, _IOFBF, sizeof iobuf);

    uint8_t gh[24];
    le32(gh, 0xa1b2c3d4);
    le16(gh + 4, 2);
    le16(gh + 6, 4);
    le32(gh + 8, 0);
    le32(gh + 12, 0);
    le32(gh + 16, SNAPLEN);
    le32(gh + 20, 1);
    if (fwrite(gh, 1, 24, out) != 24) {
        perror(path);
        return 1;
    }

    uint64_t rem[K_N];
    rem[K_TCP4] = nframes * 80 / 100;
    rem[K_UDP4] = nframes * 10 / 100;
    rem[K_ICMP] = nframes * 5 / 100;
    rem[K_ARP] = nframes * 3 / 100;
    uint64_t n6 = nframes - rem[K_TCP4] - rem[K_UDP4] - rem[K_ICMP] - rem[K_ARP];
    rem[K_TCP6] = n6 * 6 / 10;
    rem[K_UDP6] = n6 - rem[K_TCP6];
    if (nconn == 0) { /* no TCP connections: give their share to UDP */
        rem[K_UDP4] += rem[K_TCP4] + rem[K_TCP6];
        rem[K_TCP4] = rem[K_TCP6] = 0;
    }

    static engine e4, e6;
    engine_init(&e4, 0, (uint32_t)nconn, rem[K_TCP4]);
    uint64_t c6 = 0;
    if (rem[K_TCP6]) {
        c6 = (nconn * rem[K_TCP6] + rem[K_TCP4] / 2) / (rem[K_TCP4] ? rem[K_TCP4] : 1);
        if (c6 < 1)
            c6 = 1;
    }
    engine_init(&e6, 1, (uint32_t)c6, rem[K_TCP6]);

    uint64_t left = nframes;
    while (left) {
        uint64_t r = rnd64() % left, acc = 0;
        int k = 0;
        for (k = 0; k < K_N - 1; k++) {
            acc += rem[k];
            if (r < acc)
                break;
        }
        rem[k]--;
        left--;
        cur_kind = k;
        tick();
        switch (k) {
        case K_TCP4: engine_step(&e4); break;
        case K_UDP4: dns_step(&dns4, 0, 1); break;
        case K_ICMP: icmp_step(); break;
        case K_ARP: arp_step(); break;
        case K_TCP6: engine_step(&e6); break;
        default: dns_step(&dns6, 1, 0); break;
        }
    }
    if (fclose(out) != 0) {
        perror(path);
        return 1;
    }

    fprintf(stderr, "gencap: %s: %llu frames, %llu bytes (%.1f MB), mean %.1f B/frame,"
            " %llu+%llu TCP connections, %.1f s of traffic\n",
            path, (unsigned long long)total_frames,
            (unsigned long long)total_bytes, total_bytes / 1e6,
            total_frames ? (double)total_bytes / (double)total_frames : 0.0,
            (unsigned long long)nconn, (unsigned long long)c6, now_us / 1e6);
    for (int k = 0; k < K_N; k++)
        fprintf(stderr, "  %-5s %9llu frames %5.1f%%  mean %6.1f B\n", kind_name[k],
                (unsigned long long)kind_frames[k],
                total_frames ? 100.0 * (double)kind_frames[k] / (double)total_frames : 0.0,
                kind_frames[k] ? (double)kind_bytes[k] / (double)kind_frames[k] : 0.0);
    return 0;
}
