#!/usr/bin/python3
"""The -Y field filter against tshark's -Y: the frames each keeps.

For every expression of SAME and every capture of FILES, and of APP and
APP_FILES, `pktlens read --json -Y EXPR FILE` and `tshark -r FILE -Y EXPR`
must keep the same frame numbers.  tshark's answers are recorded in
dfilter_tshark.expected (--record runs tshark 4.0 for the pairs it
lacks, keeping those it has: a tshark start costs half a second of CPU,
an hour for all on a busy machine; remove the file to ask again for
all); by default the suite checks pktlens against the record, and
--live asks tshark again.
The expressions of PKTLENS_ONLY test fields tshark does not have
(conn.*, the tracker's states): their frames are listed here.

Prints each mismatch with the frames only one tool kept, and ends with
"dfilter-tshark: N passed, M failed" (one check per expression and
file).  Exits 1 on any failure, or when pktlens (or for --record and
--live, tshark) is missing.

Usage: tests/dfilter_tshark.py [-v] [--record | --live]   (stdlib only)
Environment: PKTLENS (binary, default ./pktlens), TSHARK (default tshark).
"""

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = "../shared/corpus/tcpdump-tests"   # from ROOT, as the record names it

# The project's captures, and corpus files of what pktlens decodes
# (no tunnels: tshark would find the fields of the inner packet).
FILES = [
    "captures/tcp-handshake.pcap", "captures/arp.pcap", "captures/ipv6-tcp.pcap",
    "captures/icmp-port-unreachable.pcap", "captures/frag-needed.pcap",
    "captures/vlan-qinq.pcap", "captures/udp.pcap", "captures/ping.pcap",
    "captures/raw-ip.pcap", "captures/bsd-loopback.pcap",
    "captures/conn/retransmit-loss.pcap", "captures/conn/reorder.pcap",
    "captures/conn/keepalive.pcap",
    CORPUS + "/dns_udp.pcap", CORPUS + "/LINKTYPE_IPV6.pcap",
]

# The subset both read alike.
SAME = [
    "tcp", "!arp", "arp", "udp", "icmp", "ipv6", "ip", "eth", "vlan",
    "ip.src == 10.77.1.1 && tcp.dstport == 8080",
    "ip.addr == 10.0.0.0/8",
    "ip.addr == 192.168.0.0/16 || ipv6.addr == fe80::/10",
    "ip.addr != 10.77.1.1",
    "ip.src eq 10.77.1.2 or ip.dst eq 10.77.1.2",
    "tcp.port == 8080 || udp.port == 53",
    "tcp.port in_range",            # a field alone, misspelt: see BAD (not here)
    "frame.len > 1000", "frame.len >= 60 and frame.len le 100", "frame.len < 0x40",
    "tcp.flags.syn == 1 && tcp.flags.ack == 0", "tcp.flags.syn == 1 && !tcp.flags.ack == 1",
    "tcp.flags == 0x012", "tcp.flags.reset == 1", "tcp.flags.fin eq 1",
    "tcp.analysis.retransmission", "tcp.analysis.duplicate_ack",
    "tcp.analysis.out_of_order", "tcp.analysis.keep_alive",
    "tcp.analysis.retransmission || tcp.analysis.fast_retransmission",
    "tcp.seq == 1 && tcp.ack == 1", "tcp.len > 0", "tcp.window_size_value gt 1000",
    "tcp.options.mss_val == 1460", "tcp.options.sack_perm",
    "icmp.type == 3", "icmp.type == 8 || icmp.type == 0", "icmp.seq >= 2",
    "vlan.id == 200 || vlan.id == 10", "eth.addr == ff:ff:ff:ff:ff:ff", "eth.dst.ig == 1",
    "arp.opcode == 2", "arp.src.proto_ipv4 == 10.0.0.0/8",
    "not (tcp or udp)", "udp && !(udp.srcport == 53)", "ip.ttl < 64 && ip",
    "ip.flags.df == 0", "ip.proto == 17", "ipv6.nxt == 6",
    "frame.number <= 3 || frame.number == 10", "!(frame.number > 2) && !icmp",
    "frame.number == 1 || frame.number == 2 && frame.number == 3",
]
SAME.remove("tcp.port in_range")

# The application protocols' fields, over the captures that hold them
# (and HTTP on a port pktlens does not decode it on, and no DNS or HTTP).
APP_FILES = [
    "captures/dns.pcap", CORPUS + "/dns_udp.pcap", CORPUS + "/LINKTYPE_IPV6.pcap",
    "captures/tcp-handshake.pcap", "captures/ipv6-tcp.pcap",
    CORPUS + "/ipv4_tcp_http_xml.pcap", "captures/conn/keepalive.pcap", "captures/udp.pcap",
]
APP = [
    # DNS: the header's fields once per message, the questions' and
    # records' once per item (any matches; != when none is equal);
    # multicast DNS is mdns, and not dns.
    "dns", "mdns", "dns || mdns", "dns.length", "dns.id == 0x1a2c",
    'dns.qry.name == "www.example.org"', 'dns.qry.name contains "example"',
    'dns.qry.name != "www.example.org"', 'dns.qry.name == "_http._tcp.local"',
    "dns.a == 198.51.100.80", "dns.a == 198.199.88.0/24", "dns.aaaa == 2001:db8::/32",
    'dns.cname == "web.example.org"', "dns.flags.response == 1",
    "dns.flags.response == 0 && dns.qry.type == 1", "dns.qry.type == 28",
    "dns.qry.class == 1", "dns.count.answers > 1", "dns.flags.rcode == 3",
    "dns.flags.recdesired && !dns.flags.authoritative == 1", "dns.resp.len == 16",
    # HTTP: the first line's fields.
    "http", 'http.request.method == "GET"', "http.response.code == 200",
    'http.request.uri contains "hello"', 'http.response.phrase == "OK"', "http.request",
    'http.response.version == "HTTP/1.1" || http.request.version == "HTTP/1.0"',
]

# Fields of pktlens's own: the frames each keeps, per file.
PKTLENS_ONLY = [
    ('conn.server_state == "TIME_WAIT"', "captures/conn/server-close.pcap", [12]),
    ('conn.client_state contains "WAIT"', "captures/conn/client-close.pcap", [10, 11, 12]),
    ('conn.sender == "server" && tcp.flags.syn == 1', "captures/tcp-handshake.pcap", [4]),
    ('conn && frame.number < 4', "captures/tcp-handshake.pcap", [3]),
    ('conn.step', "captures/tcp-handshake.pcap", [3, 4, 5, 10, 11, 12]),
    ('frame.time_relative > 0.000275', "captures/tcp-handshake.pcap", [10, 11, 12]),
    ('conn.id == 1 && !(conn.sender eq "client")', "captures/tcp-handshake.pcap", [4, 7, 8, 11]),
]


def kept_pktlens(pktlens, path, expr):
    r = subprocess.run([pktlens, "read", "--json", "-Y", expr, path], capture_output=True,
                       text=True, timeout=60)
    if r.returncode != 0:
        return "exit %d: %s" % (r.returncode, r.stderr.strip())
    return [int(m) for m in re.findall(r'^\{"frame\.number":(\d+)', r.stdout, re.M)]


def kept_tshark(tshark, path, expr):
    # pktlens decodes HTTP on its ports only: tshark's guess of HTTP on
    # any TCP port (keepalive.pcap's 8110) is off.
    r = subprocess.run([tshark, "-n", "--disable-heuristic", "http_tcp", "-r", path, "-Y", expr,
                        "-T", "fields", "-e", "frame.number"], capture_output=True, text=True,
                       timeout=60)
    if r.returncode != 0:
        return "exit %d: %s" % (r.returncode, r.stderr.strip())
    return [int(x) for x in r.stdout.split()]


EXPECTED = os.path.join(ROOT, "tests", "dfilter_tshark.expected")


def load_record():
    """{(expr, file): [frames]} from the record of tshark's answers."""
    record = {}
    with open(EXPECTED) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            expr, path, frames = line.rstrip("\n").split("\t")
            record[(expr, path)] = [int(x) for x in frames.split(",") if x]
    return record


def ask_tshark(tshark, pairs):
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        futures = {pair: pool.submit(kept_tshark, tshark, pair[1], pair[0]) for pair in pairs}
        return {pair: fut.result() for pair, fut in futures.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", action="store_true", help="print every check")
    ap.add_argument("--record", action="store_true", help="ask tshark, write the record")
    ap.add_argument("--live", action="store_true", help="ask tshark instead of the record")
    args = ap.parse_args()
    os.chdir(ROOT)
    pktlens = os.environ.get("PKTLENS", "./pktlens")
    tshark = os.environ.get("TSHARK", "tshark")
    pairs = ([(expr, f) for expr in SAME for f in FILES] +
             [(expr, f) for expr in APP for f in APP_FILES])
    if args.record or args.live:
        if not shutil.which(tshark):
            print("dfilter-tshark: needs %s" % tshark)
            print("dfilter-tshark: 0 passed, 1 failed")
            return 1
        known = load_record() if args.record and os.path.exists(EXPECTED) else {}
        theirs_all = {p: known[p] for p in pairs if p in known}
        theirs_all.update(ask_tshark(tshark, [p for p in pairs if os.path.exists(p[1])
                                              and p not in theirs_all]))
        if args.record:
            with open(EXPECTED, "w") as out:
                out.write("# tshark -r FILE -Y EXPR: the frames kept (tests/dfilter_tshark.py "
                          "--record)\n")
                for (expr, f), frames in theirs_all.items():
                    if isinstance(frames, str):
                        print("tshark refused %r on %s: %s" % (expr, f, frames))
                        continue
                    out.write("%s\t%s\t%s\n" % (expr, f, ",".join(map(str, frames))))
            print("recorded %d answers in %s" % (len(theirs_all), EXPECTED))
            return 0
    else:
        theirs_all = load_record()
    if not os.access(pktlens, os.X_OK):
        print("dfilter-tshark: needs %s" % pktlens)
        print("dfilter-tshark: 0 passed, 1 failed")
        return 1
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        jobs = {pair: pool.submit(kept_pktlens, pktlens, pair[1], pair[0])
                for pair in pairs if pair in theirs_all}
        for (expr, f), ours in jobs.items():
            a, b = ours.result(), theirs_all[(expr, f)]
            if a == b:
                passed += 1
                if args.v:
                    print("ok   %-50s %s %s" % (expr, os.path.basename(f), a))
                continue
            failed += 1
            if isinstance(a, str) or isinstance(b, str):
                print("FAIL %s on %s: pktlens %s; tshark %s" % (expr, f, a, b))
            else:
                print("FAIL %s on %s: only pktlens kept %s; only tshark kept %s" %
                      (expr, f, sorted(set(a) - set(b)), sorted(set(b) - set(a))))
    for expr, f, expected in PKTLENS_ONLY:
        got = kept_pktlens(pktlens, f, expr)
        if expected is None:
            print("     %s on %s keeps %s" % (expr, f, got))
            continue
        if got == expected:
            passed += 1
            if args.v:
                print("ok   %-50s %s %s" % (expr, os.path.basename(f), got))
        else:
            failed += 1
            print("FAIL %s on %s: kept %s, expected %s" % (expr, f, got, expected))
    print("dfilter-tshark: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
