#!/usr/bin/python3
"""peer.py - the socket programs behind captures/conn/record.sh.

    peer.py server SCENARIO --addr IP --port PORT [--at EPOCH] [--rcvbuf N]
                   [--write-log FILE]
    peer.py client SCENARIO --addr IP --port PORT --bind IP:PORT [--at EPOCH]
                   [--write-log FILE]

One process per side, each run inside its own network namespace by
record.sh.  Every blocking call has a timeout, so nothing can hang; a side
that sees something unexpected exits non-zero.  --at is a shared absolute
time (seconds since the epoch, same clock in every namespace) at which both
sides of "simultaneous-close" call shutdown(SHUT_WR).  --write-log: every
send() of the "nagle-paced" and "request-reply" scenarios is logged there,
one JSON object a line ({"side", "t": epoch seconds, "bytes"}), so that the
tests know the application's writes, which a capture cannot show.
"""
import json
import argparse
import socket
import struct
import sys
import time

REQUEST = (b"GET /conn HTTP/1.0\r\n"
           b"Host: 10.79.1.2\r\n"
           b"User-Agent: pktlens-conn-capture\r\n"
           b"\r\n")
REPLY = (b"HTTP/1.0 200 OK\r\n"
         b"Content-Type: text/plain\r\n"
         b"Content-Length: 19\r\n"
         b"\r\n"
         b"hello from pktlens\n")
TIMEOUT = 10

# nagle-paced: small writes paced closer than the round trip (10 ms), so
# that Nagle holds some back alone and sends others together
PACED_WRITES, PACED_SIZE, PACED_GAP = 40, 10, 0.006
# request-reply: (request bytes, reply bytes, server's pause before the
# reply: long enough for a delayed ACK to go out alone first)
EXCHANGES = [(60, 300, 0.0), (120, 40, 0.06), (30, 500, 0.0), (200, 20, 0.06),
             (90, 100, 0.0)]

# bytes the client sends in the bulk scenarios
BULK = {"retransmit-loss": 50000, "reorder": 20000, "zero-window": 16000,
        "loss-upstream": 50000, "loss-middle": 60000}


def log(*a):
    print("peer:", *a, file=sys.stderr, flush=True)


def recv_until(s, marker):
    data = b""
    while marker not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def recv_n(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def recv_eof(s):
    total = 0
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return total
        total += len(chunk)


class Writes:
    """send() with every call logged: one write each, taken whole (the
    messages are far smaller than the socket buffer)."""

    def __init__(self, path, side):
        self.f = open(path, "w") if path else None
        self.side = side

    def send(self, s, data):
        t = time.time()
        n = s.send(data)
        if n != len(data):
            raise OSError("short write: %d of %d bytes" % (n, len(data)))
        if self.f:
            self.f.write(json.dumps({"side": self.side, "t": round(t, 6),
                                     "bytes": n}) + "\n")
            self.f.flush()


def message(n, tag):
    """n bytes ending in a newline, the receiver's delimiter."""
    return (tag * n)[:n - 1] + b"\n"


def sleep_until(t):
    while True:
        d = t - time.time()
        if d <= 0:
            return
        time.sleep(d if d > 0.002 else 0)  # spin the last 2 ms


def listener(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if args.rcvbuf:
        # before listen(): accepted sockets inherit it, and the window scale
        # of the SYN/ACK is chosen from it
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, args.rcvbuf)
    s.bind((args.addr, args.port))
    s.listen(4)
    s.settimeout(TIMEOUT)
    return s


def server(args):
    sc = args.scenario
    s = listener(args)
    if sc == "half-open-probe":
        # The probe never completes a handshake: accept() must time out.
        s.settimeout(args.linger)
        try:
            c, _ = s.accept()
        except socket.timeout:
            s.close()
            return 0
        log("unexpected connection")
        return 1
    c, peer = s.accept()
    s.close()
    c.settimeout(TIMEOUT)

    if sc in BULK:
        if sc == "zero-window":
            time.sleep(1.0)        # do not read: the window closes
        n = recv_eof(c)
        c.sendall(b"got %d bytes\n" % n)
        c.close()
        return 0 if n == BULK[sc] else 1

    if sc == "nagle-paced":
        n = PACED_WRITES * PACED_SIZE
        data = recv_n(c, n)
        Writes(args.write_log, "server").send(c, b"got %d bytes\n" % len(data))
        recv_eof(c)
        c.close()
        return 0 if len(data) == n else 1

    if sc == "request-reply":
        w = Writes(args.write_log, "server")
        for req, rep, pause in EXCHANGES:
            if len(recv_n(c, req)) != req:
                return 1
            time.sleep(pause)
            w.send(c, message(rep, b"R"))
        recv_eof(c)
        c.close()
        return 0

    if sc == "nagle":
        data = recv_n(c, 200)
        c.sendall(b"got %d bytes\n" % len(data))
        recv_eof(c)
        c.close()
        return 0 if len(data) == 200 else 1

    recv_until(c, b"\r\n\r\n")
    c.sendall(REPLY)
    if sc in ("client-close", "keepalive"):
        recv_eof(c)                # wait for the client's FIN
        c.close()
    elif sc == "server-close":
        c.close()                  # server closes first
    elif sc == "simultaneous-close":
        sleep_until(args.at)
        c.shutdown(socket.SHUT_WR)
        recv_eof(c)
        c.close()
    elif sc == "rst-abort":
        try:
            c.recv(4096)
            log("expected a reset")
            return 1
        except ConnectionResetError:
            pass
        c.close()
    elif sc == "close-wait":
        recv_eof(c)                # client's FIN: now CLOSE_WAIT ...
        time.sleep(args.linger)    # ... and never close() while capturing
        c.close()
    else:
        log("unknown scenario", sc)
        return 2
    return 0


def client(args):
    sc = args.scenario
    bip, bport = args.bind.rsplit(":", 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((bip, int(bport)))
    s.settimeout(TIMEOUT)
    if sc in BULK:
        # the whole transfer fits in the send buffer at once, so the kernel
        # cuts it into full-sized segments (the drop rules count segments)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    if sc == "keepalive":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)
    if sc == "syn-closed-port":
        try:
            s.connect((args.addr, args.port))
        except ConnectionRefusedError:
            s.close()
            return 0
        log("connect to a closed port succeeded?")
        return 1
    s.connect((args.addr, args.port))

    if sc in BULK:
        s.sendall(bytes(i % 251 for i in range(BULK[sc])))
        s.shutdown(socket.SHUT_WR)  # client FIN follows the data
        reply = recv_until(s, b"\n")
        recv_eof(s)
        s.close()
        return 0 if reply == b"got %d bytes\n" % BULK[sc] else 1

    if sc == "nagle-paced":
        # no TCP_NODELAY: small writes on a schedule, not back to back
        w = Writes(args.write_log, "client")
        start = time.time()
        for i in range(PACED_WRITES):
            sleep_until(start + i * PACED_GAP)
            w.send(s, message(PACED_SIZE, b"p"))
        reply = recv_until(s, b"\n")
        s.close()
        return 0 if reply == b"got %d bytes\n" % (PACED_WRITES * PACED_SIZE) else 1

    if sc == "request-reply":
        # each request one write, the next one only after the whole reply
        w = Writes(args.write_log, "client")
        for req, rep, _ in EXCHANGES:
            w.send(s, message(req, b"Q"))
            if len(recv_n(s, rep)) != rep:
                return 1
        s.close()
        return 0

    if sc == "nagle":
        # no TCP_NODELAY: 20 small writes back to back, Nagle coalesces
        for i in range(20):
            s.send(b"chunk %03d\n" % i)       # 10 bytes each
        reply = recv_until(s, b"\n")
        s.close()
        return 0 if reply == b"got 200 bytes\n" else 1

    s.sendall(REQUEST)
    if sc == "server-close":
        resp = b""
        while True:                # read until the server's FIN
            chunk = s.recv(4096)
            if not chunk:
                break
            resp += chunk
        s.close()
        return 0 if resp == REPLY else 1
    resp = recv_n(s, len(REPLY))
    if resp != REPLY:
        log("bad reply", resp)
        return 1
    if sc in ("client-close", "close-wait"):
        s.close()
    elif sc == "keepalive":
        time.sleep(args.idle)      # idle: the keep-alive timer fires
        s.close()
    elif sc == "simultaneous-close":
        sleep_until(args.at)
        s.shutdown(socket.SHUT_WR)
        recv_eof(s)
        s.close()
    elif sc == "rst-abort":
        time.sleep(0.2)            # let the last ACKs settle
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
        s.close()                  # linger {1, 0}: abort with RST
    else:
        log("unknown scenario", sc)
        return 2
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("role", choices=("server", "client"))
    ap.add_argument("scenario")
    ap.add_argument("--addr", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--bind")
    ap.add_argument("--at", type=float, default=0.0)
    ap.add_argument("--rcvbuf", type=int, default=0)
    ap.add_argument("--idle", type=float, default=3.5)
    ap.add_argument("--linger", type=float, default=2.0)
    ap.add_argument("--write-log")
    args = ap.parse_args()
    try:
        return server(args) if args.role == "server" else client(args)
    except (OSError, socket.timeout) as e:
        log(args.role, args.scenario, "failed:", repr(e))
        return 1


if __name__ == "__main__":
    sys.exit(main())
