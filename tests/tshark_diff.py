#!/usr/bin/python3
"""Differential test: pktlens --json against tshark 4.0, field by field.

For every frame of captures/ and of ../shared/corpus/tcpdump-tests that
tshark reads, every field of FIELDS that both tools emit for the same
protocol layer must be equal.  Layers are matched by protocol and order:
the k-th "ip" layer tshark shows (an ICMP error's quoted datagram is a
nested "ip" inside tshark's "icmp", in pktlens the object "icmp.quoted")
is compared with the k-th "ip" layer in pktlens's "layers" list.

Value formats are mapped, not compared: tshark's hex strings and 1/0 to
numbers and booleans, checksum status numbers to pktlens's words.  Files
whose link type pktlens does not decode, and files either tool cannot
read, are skipped with the reason.

Prints, per field, how many values were compared, how many were equal and
how many differ for a reason listed in EXPLAINED (the deliberate
differences, each with its condition and reason), then up to five examples
of every other mismatch, and ends with "difftest: N passed, M failed"
(a field passes when every comparison is equal or explained).  Exits 1 on
any unexplained mismatch, or when tshark or pktlens is missing.

tshark's answers are stored (tests/tshark_answers.py says how and why);
a dozen stored ones, chosen at random, are asked of tshark again each run.

Usage: tests/tshark_diff.py [-j JOBS] [-v] [--refresh] [FILE...]   (stdlib only)
Environment: PKTLENS (binary, default ./pktlens), TSHARK (default tshark).
"""

import argparse
import collections
import concurrent.futures
import decimal
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

import tshark_answers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPORA = [
    os.path.join(ROOT, "captures"),
    os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus", "tcpdump-tests")),
]
CAPTURE_EXT = (".pcap", ".pcapng", ".cap")

# DNS: the header's fields, then those of the questions and records,
# which a message holds any number of: tshark lists every value, pktlens
# writes a list (a value when there is one), compared whole, in order.
DNS_FLAGS = ["response", "opcode", "authoritative", "truncated", "recdesired",
             "recavail", "rcode"]
DNS_FIELDS = ["dns.length", "dns.id", "dns.flags", *["dns.flags." + f for f in DNS_FLAGS],
              "dns.count.queries", "dns.count.answers", "dns.count.auth_rr",
              "dns.count.add_rr"]
DNS_LIST_FIELDS = ["dns.qry.name", "dns.qry.type", "dns.qry.class", "dns.resp.name",
                   "dns.resp.type", "dns.resp.class", "dns.resp.ttl", "dns.resp.len",
                   "dns.a", "dns.aaaa", "dns.cname", "dns.ns", "dns.ptr.domain_name"]
LIST_FIELDS = set(DNS_LIST_FIELDS)
HTTP_FIELDS = ["http.request.method", "http.request.uri", "http.request.version",
               "http.response.version", "http.response.code", "http.response.phrase"]
TCP_FLAGS = ["syn", "ack", "fin", "reset", "push", "urg", "ece", "cwr"]
FIELDS = [
    "frame.number", "frame.time_epoch", "frame.len", "frame.cap_len",
    "eth.src", "eth.dst", "eth.type", "vlan.id",
    "arp.opcode", "arp.src.hw_mac", "arp.src.proto_ipv4", "arp.dst.hw_mac",
    "arp.dst.proto_ipv4",
    "ip.version", "ip.hdr_len", "ip.dsfield", "ip.len", "ip.id", "ip.flags.df",
    "ip.flags.mf", "ip.frag_offset", "ip.ttl", "ip.proto", "ip.checksum",
    "ip.checksum.status", "ip.src", "ip.dst",
    "icmp.type", "icmp.code", "icmp.checksum.status", "icmp.ident", "icmp.seq",
    "udp.srcport", "udp.dstport", "udp.length", "udp.checksum.status",
    "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.hdr_len",
    "tcp.flags", *["tcp.flags." + f for f in TCP_FLAGS],
    "tcp.window_size_value", "tcp.urgent_pointer", "tcp.checksum.status", "tcp.len",
    "tcp.options.mss_val", "tcp.options.wscale.shift", "tcp.options.sack_perm",
    "tcp.options.timestamp.tsval", "tcp.options.timestamp.tsecr",
    "ipv6.src", "ipv6.dst", "ipv6.nxt", "ipv6.hlim",
    *DNS_FIELDS, *DNS_LIST_FIELDS, *HTTP_FIELDS,
]
FIELD_SET = set(FIELDS)
BOOL_FIELDS = {"ip.flags.df", "ip.flags.mf", *["tcp.flags." + f for f in TCP_FLAGS],
               *["dns.flags." + f for f in ("response", "authoritative", "truncated",
                                            "recdesired", "recavail")]}
STRING_FIELDS = {"eth.src", "eth.dst", "arp.src.hw_mac", "arp.src.proto_ipv4",
                 "arp.dst.hw_mac", "arp.dst.proto_ipv4", "ip.src", "ip.dst",
                 "ipv6.src", "ipv6.dst", "dns.qry.name", "dns.resp.name", "dns.a",
                 "dns.aaaa", "dns.cname", "dns.ns", "dns.ptr.domain_name",
                 *(f for f in HTTP_FIELDS if f != "http.response.code")}
PRESENCE_FIELDS = {"tcp.options.sack_perm"}   # tshark: the option bytes; pktlens: true

# Format mappings (not differences): tshark's proto_checksum_enum_e numbers
# to pktlens's words.  3 "not present" (a UDP checksum of zero) is what
# pktlens calls unverified: there is nothing to verify.
CKSUM_STATUS = {"0": "bad", "1": "good", "2": "unverified", "3": "unverified",
                "4": "illegal"}

# tshark protocols, and which pktlens layer name they correspond to.  tshark
# dissects an 802.1ad service tag (TPID 0x88a8) as "ieee8021ad" with the
# VLAN id in ieee8021ad.id; pktlens reports every tag, S or C, as a vlan
# layer (vlan.id arrays, outermost first): the same tag under another name.
# Cisco ISL frames begin with an 802.3 header that tshark shows as the isl
# protocol (the encapsulated frame is its first "eth"): pktlens's eth layer.
# Multicast DNS is tshark's "mdns" protocol, with dns.* fields: a dns layer.
TSHARK_PROTOS = {"frame": "frame", "eth": "eth", "isl": "eth", "vlan": "vlan",
                 "ieee8021ad": "vlan", "arp": "arp", "ip": "ip", "ipv6": "ipv6",
                 "icmp": "icmp", "icmpv6": "icmpv6", "udp": "udp", "tcp": "tcp",
                 "dns": "dns", "mdns": "dns", "http": "http"}
TSHARK_ALIASES = {"ieee8021ad.id": "vlan.id"}

TSHARK_PREFS = [
    # Verify checksums, so checksum.status says good or bad as pktlens does.
    "ip.check_checksum:TRUE", "tcp.check_checksum:TRUE", "udp.check_checksum:TRUE",
    # One frame, one datagram: pktlens never reassembles.
    "ip.defragment:FALSE", "ipv6.defragment:FALSE", "tcp.desegment_tcp_streams:FALSE",
    # Sequence analysis changes no compared field; off for speed.
    "tcp.analyze_sequence_numbers:FALSE", "tcp.calculate_timestamps:FALSE",
    "udp.calculate_timestamps:FALSE",
]


# ---------------------------------------------------------------------------
# Deliberate differences: (field, condition, reason).  condition(ctx) gets a
# Ctx of the mismatch; only mismatches it returns True for are explained.
# ---------------------------------------------------------------------------
class Ctx:
    __slots__ = ("file", "frame", "field", "index", "tval", "pval", "pframe",
                 "tframe_caplen")

    def __init__(self, **kw):
        for k, v in kw.items():
            setattr(self, k, v)


def pcap_records(path, _cache={}):
    """A classic pcap file's header as written: (snaplen, [(sec, frac, caplen,
    len)], fraction units per second); None for pcapng or a short file."""
    if path not in _cache:
        _cache.clear()
        _cache[path] = None
        try:
            with open(path, "rb") as f:
                b = f.read()
        except OSError:
            return None
        magics = {b"\xd4\xc3\xb2\xa1": ("<", 10**6), b"\xa1\xb2\xc3\xd4": (">", 10**6),
                  b"\x4d\x3c\xb2\xa1": ("<", 10**9), b"\xa1\xb2\x3c\x4d": (">", 10**9)}
        if len(b) < 24 or b[:4] not in magics:
            return None
        e, units = magics[b[:4]]
        snaplen = struct.unpack(e + "I", b[16:20])[0]
        recs, off = [], 24
        while off + 16 <= len(b):
            rec = struct.unpack(e + "IIII", b[off:off + 16])
            recs.append(rec)
            off += 16 + rec[2]
        _cache[path] = (snaplen, recs, units)
    return _cache[path]


def record(ctx):
    info = pcap_records(ctx.file)
    if not info or ctx.frame > len(info[1]):
        return None
    return info[0], info[1][ctx.frame - 1], info[2]


def snaplen_clamped(ctx):
    """libpcap cuts a record longer than the file's snaplen down to the
    snaplen (and drops the rest); wiretap keeps every byte the record has."""
    r = record(ctx)
    return r is not None and r[1][2] > r[0] and \
        ctx.pframe.get("frame.cap_len") == r[0] < ctx.tframe_caplen


def fraction_out_of_range(ctx):
    r = record(ctx)
    return r is not None and r[1][1] >= r[2]


def ip_len_zero(ctx):
    return ctx.pval == 0 and ctx.tval != 0


def udp_covered_captured(ctx):
    """pktlens verifies a UDP checksum when the udp.length bytes it covers
    are captured; tshark also wants the rest of the IP payload."""
    pf = ctx.pframe
    return ctx.tval == "unverified" and ctx.pval in ("good", "bad") and \
        pf.get("frame.cap_len", 0) < pf.get("frame.len", 0)


def last(v):
    return v[-1] if isinstance(v, list) else v


def quote_lengths_disagree(ctx):
    """In the quote, IPv4 total length > header + udp.length: by the IP
    header the quote is partial, by the UDP header it is whole."""
    q = ctx.pframe.get("icmp.quoted")
    if not q or ctx.pval != "unverified":
        return False
    ip_len, hl, ulen = (last(q.get(k)) for k in ("ip.len", "ip.hdr_len", "udp.length"))
    return None not in (ip_len, hl, ulen) and ip_len > hl + ulen


def quote_partial(ctx):
    """The quoted IP header claims more bytes than the whole frame holds:
    tshark checks the transport checksum over the bytes quoted (and finds
    it bad); pktlens verifies none in a partial quote."""
    q = ctx.pframe.get("icmp.quoted")
    if not q or ctx.pval != "unverified":
        return False
    ip_len = last(q.get("ip.len"))
    if ip_len is None and q.get("ipv6.plen") is not None:
        ip_len = 40 + last(q.get("ipv6.plen"))
    return ip_len is not None and ip_len > ctx.pframe.get("frame.len", 0)


def pktlens_dns_events(ctx, prefix):
    return any(n.get("layer") == "dns" and n.get("event", "").startswith(prefix)
               for n in ctx.pframe.get("notes", []))


def dns_stopped_early(ctx):
    """pktlens stopped reading the message at a malformed name (or at the
    records it keeps): what it read is the start of tshark's list."""
    return isinstance(ctx.pval, list) and ctx.tval[:len(ctx.pval)] == ctx.pval and \
        (pktlens_dns_events(ctx, "dns.name.") or
         pktlens_dns_events(ctx, "dns.records.not_shown"))


EXPLAINED = [
    ("frame.cap_len", snaplen_clamped,
     "record longer than the file's snaplen (crafted files): libpcap, which pktlens "
     "reads with, clamps it to the snaplen and drops the excess; tshark keeps it"),
    ("tcp.checksum.status", snaplen_clamped,
     "same clamped record: pktlens lacks the segment's last bytes, so cannot verify"),
    ("udp.checksum.status", snaplen_clamped,
     "same clamped record: pktlens lacks the datagram's last bytes, so cannot verify"),
    ("udp.checksum.status", udp_covered_captured,
     "frame cut short after the udp.length bytes the checksum covers: pktlens verifies "
     "them; tshark waits for the whole IP payload, padding included"),
    ("udp.checksum.status", quote_lengths_disagree,
     "quoted IPv4 total length claims more than the quote holds: pktlens verifies no "
     "checksum in a partial quote; tshark verifies if udp.length bytes are there"),
    ("tcp.checksum.status", quote_partial,
     "an ICMP error quoting the start of a segment (a path MTU error quotes the IP header "
     "and a few bytes, or as much as fits): tshark checks the checksum over the bytes "
     "quoted and finds it bad; pktlens verifies none in a partial quote"),
    ("frame.time_epoch", fraction_out_of_range,
     "record's microsecond/nanosecond field is >= 1 s (corrupt header): libpcap and "
     "wiretap overflow it differently; neither value is a time"),
    *((f, dns_stopped_early,
       "a malformed name (a loop, over 255 bytes): pktlens stops there and flags the "
       "message (dns.name.*); tshark goes on, writing <Name too long> for each; or more "
       "records than pktlens keeps (dns.records.not_shown)") for f in DNS_LIST_FIELDS),
    ("ip.len", ip_len_zero,
     "IPv4 total length 0 (TCP segmentation offload, BIG TCP): tshark shows the length "
     "it presumes from the frame; pktlens shows the header's 0 and flags it (event ip.len.zero)"),
]


# ---------------------------------------------------------------------------
# tshark side
# ---------------------------------------------------------------------------
class Obj(list):
    """A JSON object as its list of (key, value) pairs: tshark repeats keys."""


def _tshark_walk(pairs, inst, out):
    for k, v in pairs:
        items = v if isinstance(v, list) and not isinstance(v, Obj) else [v]
        for item in items:
            if isinstance(item, Obj):
                proto = TSHARK_PROTOS.get(k)
                if proto is not None:
                    sub = {"_proto": proto}
                    out.append(sub)
                    _tshark_walk(item, sub, out)
                else:
                    _tshark_walk(item, inst, out)
            elif inst is not None and isinstance(item, str):
                inst.setdefault(TSHARK_ALIASES.get(k, k), []).append(item)


def tshark_frames(text):
    """tshark -T json output -> [instances], each a dict field -> [values]
    plus "_proto"; tolerant of output cut short by a read error."""
    dec = json.JSONDecoder(object_pairs_hook=Obj)
    frames = []
    i = text.find("[")
    if i < 0:
        return frames
    i += 1
    n = len(text)
    while True:
        while i < n and text[i] in " \t\r\n,":
            i += 1
        if i >= n or text[i] == "]":
            break
        try:
            pkt, i = dec.raw_decode(text, i)
        except json.JSONDecodeError:
            break
        layers = None
        for k, v in pkt:
            if k == "_source":
                for k2, v2 in v:
                    if k2 == "layers":
                        layers = v2
        insts = []
        _tshark_walk(layers or [], None, insts)
        frames.append(insts)
    return frames


def norm_tshark(field, s):
    if field in PRESENCE_FIELDS:
        return True
    if field.endswith(".checksum.status"):
        return CKSUM_STATUS.get(s, s)
    if field in BOOL_FIELDS:
        return s not in ("0", "False", "false")
    if field == "frame.time_epoch":
        return decimal.Decimal(s)
    if field in STRING_FIELDS:
        return s
    try:
        return int(s, 16) if s.lower().startswith("0x") else int(s)
    except ValueError:
        return s


# ---------------------------------------------------------------------------
# pktlens side
# ---------------------------------------------------------------------------
def norm_pktlens(field, v):
    if field == "frame.time_epoch":
        return decimal.Decimal(str(v))
    if isinstance(v, decimal.Decimal) and v == int(v):
        return int(v)
    return v


def pktlens_values(obj, field):
    """The values of field in every layer of its protocol, in order (None
    where a layer lacks it): top-level keys, then the "icmp.quoted" object."""
    proto = field.split(".", 1)[0]
    if proto == "frame":
        return [obj.get(field)]
    layers = obj.get("layers", [])
    quote_start = len(layers)
    if "icmp.quoted" in obj:
        for i, name in enumerate(layers):
            if name in ("icmp", "icmpv6"):
                quote_start = i + 1
                break
    out = []
    for scope, names in ((obj, layers[:quote_start]),
                         (obj.get("icmp.quoted", {}), layers[quote_start:])):
        n = names.count(proto)
        if n == 0:
            continue
        v = scope.get(field)
        if n == 1:
            vals = [v]
        elif isinstance(v, list):
            vals = list(v) + [None] * (n - len(v))
        else:
            vals = [v] + [None] * (n - 1)
        out.extend(vals[:n])
    return out


def tshark_values(insts, field):
    proto = field.split(".", 1)[0]
    out = []
    for inst in insts:
        if inst["_proto"] == proto:
            v = inst.get(field)
            if field in LIST_FIELDS:
                out.append(v or [])
            else:
                out.append(v[0] if v else None)
    return out


def list_values(pv, tv):
    """A list field of one layer on both sides, as two lists: pktlens
    writes a value for one, a list for more, nothing for none."""
    if pv is None:
        pv = []
    elif not isinstance(pv, list):
        pv = [pv]
    return pv, tv


# ---------------------------------------------------------------------------
# One file
# ---------------------------------------------------------------------------
def run(cmd, timeout=120):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", "timed out after %d s" % timeout
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def first_line(s):
    for line in s.splitlines():
        line = line.strip()
        if line and not line.startswith("Running as user"):
            return line
    return ""


def tshark_command(path, tshark):
    cmd = [tshark, "-n", "-r", path, "-T", "json", "-J", " ".join(TSHARK_PROTOS)]
    for pref in TSHARK_PREFS:
        cmd += ["-o", pref]
    return cmd


def ask_tshark(path, tshark):
    """tshark's answer about one capture, as stored (tshark_answers.py):
    [exit status, first line of stderr, frames with the compared fields]."""
    rc, out, err = run(tshark_command(path, tshark))
    frames = tshark_frames(out) if rc is not None else []
    kept = [[{k: v for k, v in inst.items() if k == "_proto" or k in FIELD_SET}
             for inst in frame] for frame in frames]
    return [rc, first_line(err), kept]


def check_file(path, pktlens, tshark, answer):
    """-> dict(file, skip=reason|None, note=..., frames, stats, mismatches,
    answer: tshark's, when it was asked live)"""
    res = {"file": path, "skip": None, "note": None, "frames": 0,
           "stats": {}, "mismatches": [], "answer": None}
    rc, out, err = run([pktlens, "read", "--json", path])
    if rc is None or (rc != 0 and not out):
        res["skip"] = "pktlens cannot read it: " + (first_line(err) or "exit %s" % rc)
        return res
    pframes = []
    for line in out.splitlines():
        try:
            pframes.append(json.loads(line, parse_float=decimal.Decimal))
        except ValueError:
            res["skip"] = "pktlens wrote invalid JSON"
            return res
    if rc != 0:
        res["note"] = "pktlens read %d frames, then: %s" % (len(pframes), first_line(err))
    if not pframes:
        res["skip"] = "no frames (pktlens)"
        return res
    if all(f.get("layers", ["unknown"])[0] == "unknown" for f in pframes):
        reason = "link type not decoded by pktlens"
        for n in pframes[0].get("notes", []):
            if n.get("event") == "link.unsupported":
                reason += " (" + n.get("text", "").split(" is ")[0] + ")"
        res["skip"] = reason
        return res

    if answer is None:
        answer = res["answer"] = ask_tshark(path, tshark)
    rc, err, tframes = answer
    if not tframes:
        res["skip"] = "tshark cannot read it: " + (err or "exit %s" % rc)
        return res
    if rc != 0:
        msg = "tshark read %d frames, then: %s" % (len(tframes), err)
        res["note"] = (res["note"] + "; " if res["note"] else "") + msg

    if len(pframes) != len(tframes) and not res["note"]:
        res["note"] = "pktlens read %d frames, tshark %d" % (len(pframes), len(tframes))
    n = min(len(pframes), len(tframes))
    res["frames"] = n
    stats = res["stats"]
    for i in range(n):
        pf, tf = pframes[i], tframes[i]
        for field in FIELDS:
            pv = pktlens_values(pf, field)
            tv = tshark_values(tf, field)
            for k in range(min(len(pv), len(tv))):
                if field in LIST_FIELDS:
                    p, t = list_values(pv[k], tv[k])
                    if not p and not t:
                        continue
                    a = [norm_tshark(field, x) for x in t]
                    b = [norm_pktlens(field, x) for x in p]
                elif pv[k] is None or tv[k] is None:
                    continue
                else:
                    a = norm_tshark(field, tv[k])
                    b = norm_pktlens(field, pv[k])
                st = stats.setdefault(field, [0, 0, 0])   # compared, equal, explained
                st[0] += 1
                if a == b:
                    st[1] += 1
                    continue
                tcap = tshark_values(tf, "frame.cap_len")[0]
                ctx = Ctx(file=path, frame=i + 1, field=field, index=k, tval=a, pval=b,
                          pframe=pf, tframe_caplen=int(tcap) if tcap else 0)
                why = next((j for j, (f, cond, _) in enumerate(EXPLAINED)
                            if f == field and cond(ctx)), None)
                if why is not None:
                    st[2] += 1
                res["mismatches"].append((field, path, i + 1, k, str(a), str(b), why))
    return res


# ---------------------------------------------------------------------------
def list_files(args):
    if args.files:
        return [os.path.abspath(f) for f in args.files]
    files = []
    for d in CORPORA:
        if not os.path.isdir(d):
            print("note: %s not found, skipped" % d)
            continue
        files += sorted(os.path.join(d, f) for f in os.listdir(d)
                        if f.endswith(CAPTURE_EXT))
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    # tshark spends its ~0.3 s start-up partly waiting: one job more than CPUs.
    ap.add_argument("-j", "--jobs", type=int, default=max(2, (cpus or 1) + 1))
    ap.add_argument("-v", "--verbose", action="store_true", help="list skipped files")
    ap.add_argument("--examples", type=int, default=5,
                    help="mismatches listed per field (0: all)")
    ap.add_argument("--refresh", action="store_true",
                    help="ask tshark about every capture and store its answers "
                         "(tests/tshark_answers.py)")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()

    t0 = time.monotonic()
    tshark = os.environ.get("TSHARK", "tshark")
    if not shutil.which(tshark):
        print("difftest: tshark not found (install it: apt-get install tshark)",
              file=sys.stderr)
        sys.exit(1)
    pktlens = os.environ.get("PKTLENS", os.path.join(ROOT, "pktlens"))
    if not os.access(pktlens, os.X_OK):
        print("difftest: %s not found: build it with make pktlens" % pktlens,
              file=sys.stderr)
        sys.exit(1)
    # An empty personal configuration: someone's Wireshark preferences,
    # disabled protocols or Decode As rules must not change the result.
    confdir = tempfile.mkdtemp(prefix="pkl-difftest-")
    os.environ["WIRESHARK_CONFIG_DIR"] = confdir
    _, ver, _ = run([tshark, "--version"])
    print("difftest: %s vs %s" % (first_line(ver), os.path.relpath(pktlens, ROOT)))

    files = list_files(args)
    keys = {f: tshark_answers.file_key(f) for f in files}
    # What would change tshark's answer: its command line, the fields kept.
    store = tshark_answers.Answers(
        "difftest", first_line(ver), [tshark_command("FILE", "tshark"), FIELDS])
    kept = store.answers if args.files else {}   # a refresh of some files keeps the rest
    if args.refresh:
        store.answers = {}
    spot = set(store.sample(keys.values(), 12))
    results = []
    try:
        with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as ex:
            futs = [ex.submit(check_file, f, pktlens, tshark, store.get(keys[f]))
                    for f in files]
            spot_files = {keys[f]: f for f in files if keys[f] in spot}
            spot_futs = {k: ex.submit(ask_tshark, f, tshark) for k, f in spot_files.items()}
            for fut in futs:
                results.append(fut.result())
            stale = [spot_files[k] for k, fut in spot_futs.items()
                     if json.loads(json.dumps(fut.result())) != store.get(k)]
    finally:
        shutil.rmtree(confdir, ignore_errors=True)

    def rel(p):
        return os.path.relpath(p, ROOT)

    asked = [r for r in results if r["answer"] is not None]
    print("\n".join(store.report("difftest", len(results) - len(asked), len(asked),
                                 len(spot), stale, ROOT)))
    if args.refresh:
        store.save(dict(kept, **{keys[r["file"]]: r["answer"] for r in asked}))
        print("stored %d answers in %s" % (len(asked), os.path.relpath(store.path, ROOT)))
    elif asked:
        print("  (tests/tshark_diff.py --refresh stores them)")

    skipped = [r for r in results if r["skip"]]
    compared = [r for r in results if not r["skip"]]
    reasons = collections.Counter(r["skip"].split(" (")[0].split(":")[0] for r in skipped)
    nframes = sum(r["frames"] for r in compared)
    print("files: %d, compared: %d (%d frames), skipped: %d"
          % (len(files), len(compared), nframes, len(skipped)))
    for why, cnt in reasons.most_common():
        print("  skipped %4d: %s" % (cnt, why))
    if args.verbose:
        for r in skipped:
            print("    %s: %s" % (rel(r["file"]), r["skip"]))
    for r in compared:
        if r["note"]:
            print("  partial read, common frames compared: %s: %s" % (rel(r["file"]), r["note"]))

    stats = {f: [0, 0, 0] for f in FIELDS}
    for r in compared:
        for f, st in r["stats"].items():
            for i in range(3):
                stats[f][i] += st[i]
    mism = collections.defaultdict(list)
    expl = collections.Counter()
    for r in compared:
        for m in r["mismatches"]:
            if m[6] is None:
                mism[m[0]].append(m)
            else:
                expl[(m[0], m[6])] += 1

    print()
    print("%-30s %9s %9s %9s %9s %9s" % ("field", "compared", "equal", "explained",
                                         "differ", "agree%"))
    tot = [0, 0, 0]
    passed = failed = 0
    for f in FIELDS:
        c, e, x = stats[f]
        d = c - e - x
        tot[0] += c
        tot[1] += e
        tot[2] += x
        pct = "%.3f" % (100.0 * e / c) if c else "-"
        print("%-30s %9d %9d %9d %9d %9s%s" % (f, c, e, x, d, pct, "  FAIL" if d else ""))
        if d:
            failed += 1
        else:
            passed += 1
    c, e, x = tot
    print("%-30s %9d %9d %9d %9d %9.3f" % ("overall", c, e, x, c - e - x,
                                            100.0 * e / c if c else 0))
    print("agreement: %.3f%% equal, %.3f%% equal or explained (%d of %d comparisons)"
          % (100.0 * e / c if c else 0, 100.0 * (e + x) / c if c else 0, e + x, c))

    if expl:
        print()
        print("explained (deliberate) differences:")
        for j, (f, _, reason) in enumerate(EXPLAINED):
            cnt = expl.get((f, j), 0)
            if cnt:
                print("  %-28s %6d  %s" % (f, cnt, reason))
    if mism:
        print()
        print("unexplained mismatches (file, frame, layer#, tshark, pktlens):")
        for f in FIELDS:
            ms = mism.get(f)
            if not ms:
                continue
            print("  %s: %d" % (f, len(ms)))
            for m in ms[:args.examples or None]:
                print("    %s #%d [%d]: tshark %.200s, pktlens %.200s"
                      % (rel(m[1]), m[2], m[3], m[4], m[5]))
    print()
    print("elapsed: %.1f s (%d jobs)" % (time.monotonic() - t0, args.jobs))
    failed += len(stale)
    print("difftest: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
