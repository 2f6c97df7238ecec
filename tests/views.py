#!/usr/bin/python3
"""The views of one connection and the annotated pcapng, against tools
that do not share pktlens's code.

pcapng: for every capture, `read F -w out.pcapng` must give a file that
tshark reads without complaint, whose frame.comment of every frame is
that frame's notes as `read --json` lists them (anomalies marked as the
tree marks them, then the explanations, one per line), and which
`pktlens read` shows exactly as it shows F.

follow: the bytes `conns --follow N --raw --dir c2s|s2c` writes for each
recorded connection equal what its applications sent (the recorders'
payloads: captures/conn/peer.py, captures/record.sh), and for every TCP
connection of every capture equal tshark's `-z follow,tcp,raw` where
tshark finds no segment missing; the text view puts a boundary at every
frame that carried bytes and a PSH marker where it had PSH; a lost and
retransmitted segment (retransmit-loss.pcap) and a reordered one
(reorder.pcap) yield each byte once, in order.

plot: for every connection of the recorded captures the SVG is
well-formed XML, and rsvg-convert renders it to a PNG that is not blank;
for retransmit-loss.pcap, reorder.pcap and zero-window.pcap it has one
bar per data segment, one marker per retransmission, out-of-order
segment and zero window, as many as tshark counts; several --plot write
a file each; a 150 000-segment transfer gives a file of bounded size.

tshark's answers are stored (tests/tshark_answers.py says how and why);
six used in a run are asked of tshark again.  Usage: tests/views.py
[--refresh] [pcapng|follow|plot...]

Prints "views: N passed, M failed"."""
import glob
import importlib.util
import json
import os
import subprocess
import sys
import struct
import tempfile
import tshark_answers
import xml.etree.ElementTree as ET
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKTLENS = os.environ.get("PKTLENS", os.path.join(ROOT, "pktlens"))
CAPTURES = sorted(glob.glob(os.path.join(ROOT, "captures", "*.pcap")) +
                  glob.glob(os.path.join(ROOT, "captures", "conn", "*.pcap")) +
                  glob.glob(os.path.join(ROOT, "tests", "regress", "*.pcap*")))
# Times 2^64 nanoseconds after 1970 and beyond, which pcapng cannot hold.
OUT_OF_NANOSECONDS = ("conntrack-idle-overflow.pcapng", "reltime-int64-overflow.pcapng")
REFRESH = "--refresh" in sys.argv[1:]   # ask tshark everything again, store it
SUITES = [a for a in sys.argv[1:] if a != "--refresh"] or ("pcapng", "follow", "plot")
TSHARK_NOISE = ('Running as user "root" and group "root". This could be dangerous.',)


class Check:
    def __init__(self):
        self.passed = self.failed = 0

    def ok(self, cond, what):
        if cond:
            self.passed += 1
        else:
            print(f"FAIL: {what}")
            self.failed += 1
        return cond

    def eq(self, what, got, want):
        if got == want:
            self.passed += 1
            return True
        print(f"FAIL: {what}: wanted {want!r}, got {got!r}")
        self.failed += 1
        return False


def run(*args, binary=False):
    return subprocess.run(args, capture_output=True, text=not binary)


def write_pcapng(*args):
    """pktlens read ARGS -w ..., from the repository with the capture's
    path relative to it: the file's header names the capture read, and
    tshark's stored answers about it then hold in any checkout."""
    return subprocess.run([PKTLENS, "read", *(os.path.relpath(a, ROOT) if a in CAPTURES else a
                                              for a in args)],
                          capture_output=True, text=True, cwd=ROOT)


# tshark's answers (tests/tshark_answers.py): keyed by the bytes of the
# file it reads (a capture, or a pcapng pktlens wrote) and the question.
TSHARK_VERSION = run("tshark", "--version").stdout.split("\n")[0]
ANSWERS = tshark_answers.Answers("views", TSHARK_VERSION, "tshark -r FILE ARGS")
if REFRESH:
    ANSWERS.answers = {}
USED = {}    # key -> (file, args, answer) of every question asked this run


def tshark(path, *args):
    """tshark -r path args, answered from the store when it holds it."""
    key = tshark_answers.file_key(path) + " " + json.dumps(args)
    answer = ANSWERS.get(key)
    if answer is None:
        out = run("tshark", "-r", path, *args)
        answer = [out.returncode, out.stdout, out.stderr]
    USED[key] = (path, args, answer)
    return subprocess.CompletedProcess(args, *answer)


def check_answers(ck):
    """Six stored answers used this run asked of tshark again (a stale
    store fails); with --refresh, the answers stored for the next run."""
    # Only files still as they were (a scratch pcapng is rewritten for each capture).
    keys = ANSWERS.sample([k for k, (path, _, _) in USED.items() if os.path.exists(path)
                           and k.startswith(tshark_answers.file_key(path) + " ")], 6)
    stale = []
    for key in keys:
        path, args, answer = USED[key]
        out = run("tshark", "-r", path, *args)
        if [out.returncode, out.stdout, out.stderr] != answer:
            stale.append(path)
    asked = sum(1 for k in USED if ANSWERS.get(k) is None)
    for line in ANSWERS.report("views", len(USED) - asked, asked, len(keys), stale, ROOT):
        print(line)
    ck.eq("stored tshark answers asked again", stale, [])
    if REFRESH:
        ANSWERS.save({k: answer for k, (_, _, answer) in USED.items()})


def unnumbered(lines):
    """Frame lines without their numbers, which count from 1 in any file."""
    return [l.split(None, 1)[1] for l in lines.splitlines()]


def tshark_errors(stderr):
    return [l for l in stderr.splitlines() if l.strip() and l.strip() not in TSHARK_NOISE]


def expected_comment(frame):
    """A frame's notes as the pcapng comment must hold them."""
    lines = []
    for n in frame["notes"]:
        kind, text = n["kind"], n["text"]
        lines.append({"note": text, "warning": "! " + text, "truncated": "[truncated] " + text,
                      "malformed": "[malformed: " + text + "]"}[kind])
    return "\n".join(lines)


def tshark_comments(path):
    """{frame number: comment} as tshark reads them, and tshark's complaints."""
    out = tshark(path, "-T", "json", "-e", "frame.number", "-e", "frame.comment")
    errors = tshark_errors(out.stderr) + ([f"exit {out.returncode}"] if out.returncode else [])
    comments = {}
    if out.returncode == 0:
        for pkt in json.loads(out.stdout or "[]"):
            layers = pkt["_source"]["layers"]
            number = int(layers["frame.number"][0])
            comments[number] = "\n".join(layers.get("frame.comment", []))
    return comments, errors


def check_pcapng(ck, tmp):
    for cap in CAPTURES:
        name = os.path.relpath(cap, ROOT)
        out = os.path.join(tmp, "out.pcapng")
        if os.path.exists(out):
            os.unlink(out)
        tree = write_pcapng(cap, "-w", out)
        if not ck.eq(f"{name}: read -w out.pcapng exits", tree.returncode,
                     run(PKTLENS, "read", cap).returncode):
            continue
        frames = [json.loads(l) for l in run(PKTLENS, "read", "--json", cap).stdout.splitlines()]
        comments, errors = tshark_comments(out)
        ck.eq(f"{name}: tshark reads the pcapng", errors, [])
        ck.eq(f"{name}: frames in the pcapng", len(comments), len(frames))
        bad = [f["frame.number"] for f in frames
               if comments.get(f["frame.number"], "") != expected_comment(f)]
        if not ck.eq(f"{name}: frames whose comment is not their notes", bad, []):
            f = next(f for f in frames if f["frame.number"] == bad[0])
            print(f"  frame {bad[0]}: wanted {expected_comment(f)!r}\n"
                  f"  got {comments.get(bad[0])!r}")
        if os.path.basename(cap) in OUT_OF_NANOSECONDS:
            continue
        for view in ([], ["--json"], ["-q"], ["-x"]):
            again = run(PKTLENS, "read", *view, out)
            first = run(PKTLENS, "read", *view, cap)
            ck.ok(again.stdout == first.stdout and again.returncode == first.returncode,
                  f"{name}: read {' '.join(view)} of the pcapng differs from the original")
    # The line view explains nothing on screen, and still writes every note.
    cap = os.path.join(ROOT, "captures", "tcp-handshake.pcap")
    out = os.path.join(tmp, "q.pcapng")
    q = write_pcapng("-q", cap, "-w", out)
    ck.eq("read -q -w: the lines", q.stdout, run(PKTLENS, "read", "-q", cap).stdout)
    frames = [json.loads(l) for l in run(PKTLENS, "read", "--json", cap).stdout.splitlines()]
    comments, _ = tshark_comments(out)
    ck.eq("read -q -w: the comments", [comments.get(f["frame.number"], "") for f in frames],
          [expected_comment(f) for f in frames])
    # Wireshark can filter on them.
    out2 = tshark(out, "-Y", 'frame.comment contains "handshake 3/3"',
               "-T", "fields", "-e", "frame.number")
    ck.eq("tshark filters on a note", out2.stdout.split(), ["5"])
    # Any other name stays plain pcap, with the frames read (after the filter).
    plain = os.path.join(tmp, "plain.pcap")
    run(PKTLENS, "read", "-q", cap, "-w", plain, "tcp")
    with open(plain, "rb") as f:
        magic = f.read(4)
    ck.ok(magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"), "read -w x.pcap writes pcap")
    # Epoch times: relative ones count from each file's own first frame.
    ck.eq("read -w x.pcap: the frames", unnumbered(run(PKTLENS, "read", "-q", "-tt", plain).stdout),
          unnumbered(run(PKTLENS, "read", "-q", "-tt", cap, "tcp").stdout))
    # The section names pktlens and its version.
    info = run("capinfos", out).stdout
    version = run(PKTLENS, "--version").stdout.strip()
    ck.ok(f"Capture comment:     {version}" in info, "the section comment names pktlens")


def load_peer():
    spec = importlib.util.spec_from_file_location(
        "peer", os.path.join(ROOT, "captures", "conn", "peer.py"))
    peer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(peer)
    return peer


def sent_payloads():
    """{capture: (client's bytes, server's bytes)} of connection #1, as the
    recorders' programs sent them."""
    peer = load_peer()
    want = {}
    for sc, n in peer.BULK.items():
        want[f"conn/{sc}.pcap"] = (bytes(i % 251 for i in range(n)), b"got %d bytes\n" % n)
    want["conn/nagle.pcap"] = (b"".join(b"chunk %03d\n" % i for i in range(20)),
                               b"got 200 bytes\n")
    for sc in ("client-close", "server-close", "keepalive", "simultaneous-close",
               "rst-abort", "close-wait"):
        want[f"conn/{sc}.pcap"] = (peer.REQUEST, peer.REPLY)
    for sc in ("syn-closed-port", "half-open-probe"):
        want[f"conn/{sc}.pcap"] = (b"", b"")
    # captures/record.sh's tcp_client and tcp_server.
    reply = (b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 19\r\n\r\n"
             b"hello from pktlens\n")
    for name, host in (("tcp-handshake.pcap", "10.77.1.2"), ("ipv6-tcp.pcap", "fd77::2"),
                       ("tcp-any.pcap", "10.77.1.2"), ("lo-tcp.pcap", "127.0.0.1")):
        req = ("GET /hello HTTP/1.0\r\nHost: %s\r\nUser-Agent: pktlens-capture\r\n\r\n"
               % host).encode()
        want[name] = (req, reply)
    return want


def follow_raw(cap, conn, direction):
    out = run(PKTLENS, "conns", "--follow", str(conn), "--raw", "--dir", direction, cap,
              binary=True)
    return out.stdout if out.returncode == 0 else None


def tshark_lossy(cap):
    """The TCP 4-tuples of cap in which tshark finds segments missing."""
    out = tshark(cap, "-Y", "tcp.analysis.lost_segment or "
              "tcp.analysis.ack_lost_segment", "-T", "fields", "-E", "separator=,",
              "-e", "ip.src", "-e", "ipv6.src", "-e", "tcp.srcport",
              "-e", "ip.dst", "-e", "ipv6.dst", "-e", "tcp.dstport")
    lossy = set()
    for l in out.stdout.splitlines():
        s4, s6, sp, d4, d6, dp = l.split(",")
        a = f"{s4}:{sp}" if s4 else f"[{s6}]:{sp}"
        b = f"{d4}:{dp}" if d4 else f"[{d6}]:{dp}"
        lossy.add(frozenset((a, b)))
    return lossy


def tshark_follow(cap, first_sender):
    """{(client, server): (client's bytes, server's bytes)} as tshark
    follows each 4-tuple, in one run; first_sender[(client, server)] is
    'client' or 'server', whichever sent the tuple's first frame (tshark's
    node 0)."""
    args = []
    for client, server in first_sender:
        args += ["-z", f"follow,tcp,raw,{client},{server}"]
    out = tshark(cap, "-q", *args)
    result, key, data, node_lines = {}, None, None, False
    for l in out.stdout.splitlines():
        if l.startswith("Filter: "):
            ports = [w.rstrip(")") for w in l.split() if w.rstrip(")").isdigit()]
            key = next(k for k in first_sender
                       if [k[0].rsplit(":", 1)[1], k[1].rsplit(":", 1)[1]] == ports[:2])
            data, node_lines = {0: b"", 1: b""}, False
        elif l.startswith("Node 1"):
            node_lines = True
        elif l.startswith("=====") and key:
            c, s = (data[0], data[1]) if first_sender[key] == "client" else (data[1], data[0])
            result[key] = (c, s)
            key, node_lines = None, False
        elif node_lines:
            data[1 if l.startswith("\t") else 0] += bytes.fromhex(l.strip())
    return result


def check_follow(ck):
    want = sent_payloads()
    for name, (c2s, s2c) in sorted(want.items()):
        cap = os.path.join(ROOT, "captures", name)
        ck.eq(f"{name}: the client's bytes", follow_raw(cap, 1, "c2s"), c2s)
        ck.eq(f"{name}: the server's bytes", follow_raw(cap, 1, "s2c"), s2c)
    compared = 0
    for cap in CAPTURES:
        name = os.path.relpath(cap, ROOT)
        rows = [json.loads(l) for l in run(PKTLENS, "conns", "--json", cap).stdout.splitlines()]
        tcp = [r for r in rows if r["proto"] == "tcp"]
        tuples = [(r["client"], r["server"]) for r in tcp]
        lossy = tshark_lossy(cap) if tcp else set()
        # tshark follows a 4-tuple, which a reused one would mix.
        tcp = [r for r in tcp if tuples.count((r["client"], r["server"])) == 1
               and frozenset((r["client"], r["server"])) not in lossy]
        if not tcp or len(tcp) > 40:
            continue
        frames = {f["frame.number"]: f for f in
                  (json.loads(l) for l in run(PKTLENS, "read", "--json", cap).stdout.splitlines())}
        first = {(r["client"], r["server"]): frames[r["first_frame"]]["conn.sender"] for r in tcp}
        theirs = tshark_follow(cap, first)
        for r in tcp:
            key = (r["client"], r["server"])
            compared += 1
            ours = (follow_raw(cap, r["id"], "c2s"), follow_raw(cap, r["id"], "s2c"))
            got = theirs.get(key)
            ck.eq(f"{name}: conn #{r['id']}: the bytes, as tshark follows them",
                  [len(b or b"") for b in ours] if ours != got else ours,
                  [len(b) for b in got] if got and ours != got else got)
    print(f"follow: {compared} connections compared with tshark")
    ck.ok(compared >= 20, f"tshark compared on {compared} connections, fewer than 20")
    check_follow_markers(ck)


def segments(cap):
    """[(frame, sender 'c2s'|'s2c', seq, len, psh)] of connection #1's data."""
    frames = [json.loads(l) for l in run(PKTLENS, "read", "--json", cap).stdout.splitlines()]
    out = []
    for f in frames:
        if f.get("conn.id") == 1 and f.get("tcp.len", 0) > 0:
            out.append((f["frame.number"], "c2s" if f["conn.sender"] == "client" else "s2c",
                        f["tcp.seq"], f["tcp.len"], f["tcp.flags.push"]))
    return out


def check_follow_markers(ck):
    for name in ("tcp-handshake.pcap", "conn/nagle.pcap", "conn/retransmit-loss.pcap",
                 "conn/reorder.pcap"):
        cap = os.path.join(ROOT, "captures", name)
        text = run(PKTLENS, "conns", "--follow", "1", cap).stdout.splitlines()
        markers = [l for l in text if l.startswith("--- frame ")]
        marked = {int(l.split()[2]) for l in markers}
        segs = segments(cap)
        ck.eq(f"{name}: frames with bytes and no boundary marker",
              [s[0] for s in segs if s[0] not in marked], [])
        psh = [int(l.split("(frame ")[1].split(")")[0]) for l in text if l.startswith("--- PSH")]
        repeated = {int(l.split()[2]) for l in markers if "retransmission" in l}
        ck.eq(f"{name}: PSH markers", sorted(psh),
              sorted(s[0] for s in segs if s[4] and s[0] not in repeated))
        # Each byte once, in order: what follows the markers is the stream.
        for d, who in (("c2s", "client -> server"), ("s2c", "server -> client")):
            shown, current = [], None
            for l in text:
                if l.startswith("--- "):
                    current = who in l and "(" in l and "retransmission" not in l \
                        and "held until" not in l
                    continue
                if current:
                    shown.append(l)
            stream = "".join(shown).encode().decode("unicode_escape").encode("latin-1")
            ck.eq(f"{name}: the text view's {d} bytes", stream, follow_raw(cap, 1, d))
    text = run(PKTLENS, "conns", "--follow", "1", os.path.join(
        ROOT, "captures", "conn", "retransmit-loss.pcap")).stdout
    ck.ok("retransmission: 1448 bytes shown before" in text and
          "end:  client -> server 50000 bytes, 2216 seen again" in text,
          "retransmit-loss: the retransmission is named, its bytes shown once")
    text = run(PKTLENS, "conns", "--follow", "1", os.path.join(
        ROOT, "captures", "conn", "reorder.pcap")).stdout
    ck.ok("held until the gap is filled" in text and "arrived ahead of a gap and held" in text,
          "reorder: the segment ahead of the gap is held, then shown in its place")


def png_pixels(path):
    """(width, height, rows of RGBA bytes) of an 8-bit RGBA or RGB PNG,
    non-interlaced, as rsvg-convert writes them."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    assert depth == 8 and colour in (2, 6)
    bpp = 4 if colour == 6 else 3
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        ft, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if ft == 1:
                line[i] = (line[i] + a) & 255
            elif ft == 2:
                line[i] = (line[i] + b) & 255
            elif ft == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ft == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def ink(path):
    """The share of a PNG's pixels that are not white, and of them, red."""
    w, h, bpp, rows = png_pixels(path)
    dark = red = 0
    for row in rows:
        for x in range(0, w * bpp, bpp):
            r, g, b = row[x], row[x + 1], row[x + 2]
            if r < 200 or g < 200 or b < 200:
                dark += 1
                red += r > 180 and g < 80 and b < 80
    return dark / (w * h), red


def svg_classes(path):
    """{class: count} of the SVG's elements; raises on malformed XML."""
    counts = {}
    for el in ET.parse(path).iter():
        for c in el.get("class", "").split():
            counts[c] = counts.get(c, 0) + 1
    return counts


def tshark_count(cap, filt):
    return len(tshark(cap, "-Y", filt).stdout.splitlines())


def check_plot(ck, tmp):
    conn = os.path.join(ROOT, "captures", "conn")
    for name in sorted(os.listdir(conn)):
        if not name.endswith(".pcap"):
            continue
        cap = os.path.join(conn, name)
        rows = [json.loads(l) for l in run(PKTLENS, "conns", "--json", cap).stdout.splitlines()]
        for r in (r for r in rows if r["proto"] == "tcp"):
            svg = os.path.join(tmp, f"{name}-{r['id']}.svg")
            out = run(PKTLENS, "conns", "--plot", str(r["id"]), "-o", svg, cap)
            if not ck.eq(f"{name}: --plot {r['id']} exits", (out.returncode, out.stderr), (0, "")):
                continue
            try:
                svg_classes(svg)
                ck.ok(True, "")
            except ET.ParseError as e:
                ck.ok(False, f"{name}: --plot {r['id']}: not well-formed XML: {e}")
                continue
            png = svg[:-4] + ".png"
            conv = run("rsvg-convert", svg, "-o", png)
            if ck.eq(f"{name}: rsvg-convert renders --plot {r['id']}", conv.returncode, 0):
                share, _ = ink(png)
                ck.ok(0.01 < share < 0.6, f"{name}: the PNG of --plot {r['id']} is blank or "
                      f"black ({share:.3f} of it inked)")
    # Known captures: every bar and mark, as tshark counts the frames.
    known = (("retransmit-loss.pcap", "10.79.1.1", 40007),
             ("reorder.pcap", "10.79.1.1", 40008), ("zero-window.pcap", "10.79.1.1", 40009))
    for name, client, port in known:
        cap = os.path.join(conn, name)
        svg = os.path.join(tmp, "known.svg")
        run(PKTLENS, "conns", "--plot", "1", "-o", svg, cap)
        got = svg_classes(svg)
        data = f"tcp.srcport == {port} and tcp.len > 0"
        ck.eq(f"{name}: bars", got.get("seg", 0), tshark_count(cap, data))
        ck.eq(f"{name}: retransmission marks", got.get("retransmission-mark", 0),
              tshark_count(cap, f"tcp.srcport == {port} and (tcp.analysis.retransmission or "
                           "tcp.analysis.fast_retransmission or "
                           "tcp.analysis.spurious_retransmission)"))
        ck.eq(f"{name}: out-of-order marks", got.get("out-of-order-mark", 0),
              tshark_count(cap, f"tcp.srcport == {port} and tcp.analysis.out_of_order"))
        ck.eq(f"{name}: zero-window marks", got.get("zero-window-mark", 0),
              tshark_count(cap, f"tcp.dstport == {port} and tcp.analysis.zero_window"))
        ck.ok(got.get("ack") == 1 and got.get("window") == 1, f"{name}: one ACK and one window line")
    got = svg_classes(os.path.join(tmp, "retransmit-loss.pcap-1.svg"))
    ck.ok(got.get("sack", 0) > 0, "retransmit-loss: SACK blocks drawn")
    share, red = ink(os.path.join(tmp, "retransmit-loss.pcap-1.png"))
    ck.ok(red > 20, "retransmit-loss: the retransmissions are red in the PNG")
    # Several --plot: one file each.
    cap = os.path.join(conn, "interleaved.pcap")
    base = os.path.join(tmp, "several.svg")
    out = run(PKTLENS, "conns", "--plot", "1", "--plot", "3", "-o", base, cap)
    ck.ok(out.returncode == 0 and all(os.path.exists(os.path.join(tmp, f"several-{n}.svg"))
                                      for n in (1, 3)), "--plot 1 --plot 3 writes two files")
    check_plot_thinned(ck, tmp)


def big_transfer(path, segments):
    """A pcap of one connection: handshake, then segments of 100 bytes
    client -> server 10 us apart, each ACKed."""
    def frame(t, src, dst, sport, dport, seq, ack, flags, payload=b""):
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 40 + len(payload), 0, 0, 64, 6, 0,
                         bytes(src), bytes(dst))
        tcp = struct.pack(">HHIIBBHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                          0x50, flags, 65535, 0, 0)
        eth = b"\x52\x54\x00\x00\x00\x02\x52\x54\x00\x00\x00\x01\x08\x00"
        body = eth + ip + tcp + payload
        return struct.pack("<IIII", int(t), int(round((t % 1) * 1e6)), len(body), len(body)) + body
    c, s = (10, 0, 0, 1), (10, 0, 0, 2)
    payload = bytes(100)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        f.write(frame(1.0, c, s, 40000, 80, 0, 0, 0x02))
        f.write(frame(1.00001, s, c, 80, 40000, 0, 1, 0x12))
        f.write(frame(1.00002, c, s, 40000, 80, 1, 1, 0x10))
        for i in range(segments):
            t = 1.0001 + i * 1e-5
            f.write(frame(t, c, s, 40000, 80, 1 + i * 100, 1, 0x18, payload))
            f.write(frame(t + 5e-6, s, c, 80, 40000, 1, 1 + (i + 1) * 100, 0x10))


def check_plot_thinned(ck, tmp):
    cap = os.path.join(tmp, "big.pcap")
    big_transfer(cap, 150000)
    svg = os.path.join(tmp, "big.svg")
    out = run(PKTLENS, "conns", "--plot", "1", "-o", svg, cap)
    ck.eq("150k segments: --plot exits", out.returncode, 0)
    got = svg_classes(svg)
    ck.ok(0 < got.get("seg", 0) <= 1070, f"150k segments: {got.get('seg')} bars, one per "
          "pixel column at most")
    size = os.path.getsize(svg)
    ck.ok(size < 2_000_000, f"150k segments: the SVG is {size} bytes")
    ck.eq("150k segments: renders", run("rsvg-convert", svg, "-o", svg + ".png").returncode, 0)
    # Every byte of it once, too.
    raw = run(PKTLENS, "conns", "--follow", "1", "--raw", "--dir", "c2s", cap, binary=True)
    ck.eq("150k segments: --follow --raw bytes", len(raw.stdout), 150000 * 100)


def check_options(ck):
    """What the options refuse, and how."""
    cap = os.path.join(ROOT, "captures", "tcp-handshake.pcap")
    for args, rc, says in (
            (["conns", "--follow", "9", cap], 1, "has no TCP connection #9"),
            (["conns", "--plot", "9", "-o", "/dev/null", cap], 1, "has no TCP connection #9"),
            (["conns", "--follow", "1", "--raw", cap], 2, "give it with --dir"),
            (["conns", "--follow", "1", "--dir", "up", cap], 2, "--dir takes c2s"),
            (["conns", "--raw", "--dir", "c2s", cap], 2, "add --follow N"),
            (["conns", "--follow", "1", "--raw", "--dir", "c2s", "-x", cap], 2, "drop one"),
            (["conns", "--plot", "1", cap], 2, "name the file with -o"),
            (["conns", "-o", "x.svg", cap], 2, "add --plot N"),
            (["conns", "--follow", "1", "--timeline", cap], 2, "drop --timeline"),
            (["conns", "--follow", "1", "--plot", "1", "-o", "x.svg", cap], 2, "one at a time"),
            (["read", "-w", "-", cap], 2, "name a file")):
        out = run(PKTLENS, *args)
        ck.ok(out.returncode == rc and says in out.stderr,
              f"pktlens {' '.join(args[:-1])}: wanted exit {rc} saying {says!r}, got exit "
              f"{out.returncode}: {out.stderr!r}")


def main():
    ck = Check()
    check_options(ck)
    with tempfile.TemporaryDirectory() as tmp:
        if "pcapng" in SUITES:
            check_pcapng(ck, tmp)
        if "plot" in SUITES:
            check_plot(ck, tmp)
        if "follow" in SUITES:
            check_follow(ck)
        check_answers(ck)
    print(f"views: {ck.passed} passed, {ck.failed} failed")
    sys.exit(1 if ck.failed else 0)


if __name__ == "__main__":
    main()
