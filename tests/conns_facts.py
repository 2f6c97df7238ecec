#!/usr/bin/python3
"""The connection and exchange trackers against captures/conn/facts.json.

For every TCP scenario recorded from real kernels (closes, resets, loss,
reordering, zero window, keep-alive, Nagle, CLOSE_WAIT), `pktlens conns
--json` must give the recorded handshake frames, closer, final states of
both ends and TIME_WAIT holder, and `pktlens read --json` must mark as
many frames with each tcp.analysis flag as tshark did when the capture
was recorded (its counts are in facts.json), with the same totals in the
conns record.  For every capture, its ARP records must
give the recorded request/reply pairs, unanswered requests, gratuitous
announcements, unsolicited replies and address conflicts (each MAC with
the frames that claim the address); its ICMP records the lost echo
requests (frames and seq numbers) and the errors with the frame each
quotes.  The per-frame notes of `read --json` must pair every echo reply
and ARP reply with its request, and mark every claim of a conflicting
address with the MAC and frame of the other claim before it.
pktlens's own verdicts are held to what the recording says happened,
never to tshark: the conns totals of retransmissions, zero-window probes
and keep-alives to the kernels' counters (RetransSegs, TCPWinProbe,
TCPKeepAlive in kernel-states.json), out-of-order segments to the frames
the forwarder swapped; per frame, with the forwarders on either side of
the capture point (one beyond a capture at an end, two around a capture
in the middle: loss-middle), every copy of a segment dropped downstream
of it is, after the first, a retransmission (fast when the receiver's
latest segment asks for exactly its bytes with a duplicate ACK or SACK
blocks, as the capture's own headers show), and the first copy of one
dropped upstream fills a gap: lost upstream once the receiver asked for
it, else cannot tell, never out-of-order; those counts equal the drops
in the logs; a segment the forwarder held back is out-of-order where it
arrives late; and `capture_point` is where the recorder captured.  Where the
recorder wrote NAME.truth.json (pmtu-drop: a router's kernel dropped the segments
too big for its next hop), the ICMP "fragmentation needed" errors carry
the MTU the router had and quote the segments it counted as dropped, and
every byte of those is resent at once, smaller, with the verdict
pmtu_retransmission, in as many segments as the client's kernel counted,
and no view says a timer fired for them.  The crafted
captures/syn-attempts.pcap holds new attempts on one 4-tuple apart from
SYNs sent again (check_syn_attempts).
Prints "conns-facts: N passed, M failed"."""
import json
from collections import Counter
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKTLENS = os.path.join(ROOT, "pktlens")
FACTS = os.path.join(ROOT, "captures", "conn", "facts.json")
KERNEL = os.path.join(ROOT, "captures", "conn", "kernel-states.json")
RETRANSMISSIONS = {"retransmission", "fast_retransmission", "spurious_retransmission",
                   "pmtu_retransmission", "lost_upstream"}
TCP_FIELDS = ("client", "server", "handshake_frames", "close", "client_state",
              "server_state", "time_wait")


class Check:
    def __init__(self):
        self.passed = self.failed = 0

    def eq(self, name, what, got, want):
        if got == want:
            self.passed += 1
        else:
            print(f"FAIL: {name}: {what}: wanted {want!r}, got {got!r}")
            self.failed += 1


def pktlens_text(*args):
    out = subprocess.run([PKTLENS, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"pktlens {' '.join(args)}: exit {out.returncode}: {out.stderr}")
    return out.stdout


def pktlens(*args):
    return [json.loads(line) for line in pktlens_text(*args).splitlines()]


def notes_by_name(frames, name):
    """[(frame number, note text)] of every note with this name."""
    return [(f["frame.number"], n["text"]) for f in frames for n in f["notes"]
            if n.get("note") == name]


def check_tcp(ck, name, fact, rows, frames):
    tcp = [r for r in rows if r["proto"] == "tcp"]
    # A new attempt after a reset is a conversation of its own.
    ck.eq(name, "TCP connections", len(tcp), fact.get("conversations", 1))
    if len(tcp) != fact.get("conversations", 1):
        return
    for later in tcp[1:]:
        ck.eq(name, f"conversation #{later['id']} never established", later["close"],
              "never-established")
    ck.eq(name, "SYNs said to be attempts again",
          [n for f in frames for n in f["notes"] if n.get("note") == "conn.syn_retry"], [])
    for field in TCP_FIELDS:
        want = fact.get(field, fact.get("closer") if field == "close" else None)
        ck.eq(name, field, tcp[0].get(field), want)
    # tshark's tcp.analysis counts, recorded with the capture: the frames
    # pktlens marks with each flag, and the connection's totals.
    counts = dict(fact.get("tcp_analysis", {}))
    if fact.get("conversations", 1) > 1:
        # tshark keeps one stream and calls the new attempt's SYN a
        # retransmission; pktlens starts a new conversation (and says so
        # in tcp_analysis_diff.py's explained differences).
        counts.pop("retransmission", None)
    for flag, want in sorted(counts.items()):
        ck.eq(name, "tcp.analysis." + flag,
              sum(1 for f in frames if f.get("tcp.analysis." + flag)), want)
    # Wireshark's voice where pktlens does not judge.
    for key, flag in {"dup_acks": "duplicate_ack", "zero_windows": "zero_window"}.items():
        ck.eq(name, "conns " + key, tcp[0].get(key), counts.get(flag, 0))
    # Told by the handshake's gaps: nothing to tell without a handshake.
    point = fact.get("capture_point", "") if fact.get("handshake_frames") else ""
    ck.eq(name, "capture_point", tcp[0].get("capture_point"),
          "client" if point.startswith("client") else "server" if point.startswith("server")
          else "middle" if point.startswith("middle") else None)
    check_verdicts(ck, name, fact, tcp[0], frames)


def forwarder_logs(name, fact):
    """Each forwarder's decisions about data frames, with the side of the
    capture point it sits on: [(side, [(action, dir, raw seq)])].  One
    forwarder (NAME.pktfwd.log) sits on the far side of a capture taken at
    one end; two (NAME.client-side.pktfwd.log, NAME.server-side.pktfwd.log)
    on either side of a capture taken between them.  Every forwarder's
    "a" side faces the client."""
    base = os.path.join(ROOT, "captures", "conn", name.replace(".pcap", ""))
    far = "server" if fact.get("capture_point", "").startswith("client") else "client"
    logs = []
    for side, path in ((far, base + ".pktfwd.log"), ("client", base + ".client-side.pktfwd.log"),
                       ("server", base + ".server-side.pktfwd.log")):
        if not os.path.exists(path):
            continue
        out = []
        for line in open(path):
            m = re.search(r" dir=(a2b|b2a) .* action=(drop|release\(swap\)) TCP .* seq (\d+) "
                          r".* len ([1-9]\d*)$", line)
            if m:
                out.append((m.group(2), m.group(1), int(m.group(3))))
        logs.append((side, out))
    return logs


def seq_le(a, b):
    return (b - a) & 0xFFFFFFFF < 0x80000000


def receiver_says(frames, copy, receiver_port, seq, length):
    """What the receiver's latest segment before this copy says of its
    bytes, read off the capture's own headers: "acked" (all of them),
    "asked_exactly" (its ACK stops at them and repeats its previous ACK
    or holds SACK blocks: duplicate ACKs or SACK ask for them), "asked"
    (the same, its ACK stopping at or before them), or ""."""
    mine = [f for f in frames if f["frame.number"] < copy["frame.number"]
            and f.get("tcp.srcport") == receiver_port and "tcp.ack_raw" in f]
    if not mine:
        return ""
    last = mine[-1]
    ack = last["tcp.ack_raw"]
    if seq_le(seq + length, ack):
        return "acked"
    repeats = len(mine) > 1 and mine[-2]["tcp.ack_raw"] == ack and not last.get("tcp.len")
    if not (repeats or last.get("tcp.options.sack_le")):
        return ""
    return "asked_exactly" if ack == seq else "asked" if seq_le(ack, seq) else ""


def check_verdicts(ck, name, fact, row, frames):
    """pktlens's own verdicts against the recording's truth."""
    kernel = json.load(open(KERNEL)).get(name.replace(".pcap", ""), {})
    mib = kernel.get("mib_delta", {})
    def moved(counter):
        return sum(mib.get(end, {}).get(counter, 0) for end in ("client", "server"))
    ck.eq(name, "conns retransmissions (the kernels' RetransSegs)",
          row.get("retransmissions"), moved("Tcp.RetransSegs"))
    ck.eq(name, "conns zero_window_probes (the kernels' TCPWinProbe)",
          row.get("zero_window_probes"), moved("TcpExt.TCPWinProbe"))
    ck.eq(name, "conns keep_alives (the kernels' TCPKeepAlive)",
          row.get("keep_alives"), moved("TcpExt.TCPKeepAlive"))
    ports = {"a2b": (int(fact["client"].rsplit(":", 1)[1]), int(fact["server"].rsplit(":", 1)[1]))}
    ports["b2a"] = ports["a2b"][::-1]
    def copies(direction, seq):
        return [f for f in frames if f.get("tcp.seq_raw") == seq
                and f.get("tcp.srcport") == ports[direction][0] and f.get("tcp.len", 0) > 0]
    def repeat(direction, seq, copy):
        """A copy of bytes the capture saw: a retransmission, fast when
        the receiver asked for exactly these, spurious when it had them."""
        said = receiver_says(frames, copy, ports[direction][1], seq, copy["tcp.len"])
        return {"acked": "spurious_retransmission",
                "asked_exactly": "fast_retransmission"}.get(said, "retransmission")
    def fill(direction, seq, copy):
        """The first copy of bytes lost before the capture point: lost
        upstream once the receiver asked for them, else undecided."""
        said = receiver_says(frames, copy, ports[direction][1], seq, copy["tcp.len"])
        return "lost_upstream" if said.startswith("asked") else "cannot_tell"
    upstream_drops = downstream_drops = upstream_swaps = 0
    for side, log in forwarder_logs(name, fact):
        for action, direction, seq in log:
            # Before the capture point: a forwarder on the sender's side.
            upstream = (side == "client") == (direction == "a2b")
            got = copies(direction, seq)
            verdicts = [f.get("pktlens.tcp.verdict", "") for f in got]
            if action == "drop" and not upstream:
                # Captured before the drop: the first copy, then resends.
                downstream_drops += 1
                ck.eq(name, f"verdicts of the copies of seq {seq} dropped downstream", verdicts,
                      [""] + [repeat(direction, seq, f) for f in got[1:]] if got else [])
            elif action == "drop":
                # Never captured: the copy that comes fills a gap.
                upstream_drops += 1
                ck.eq(name, f"verdicts of the copies of seq {seq} dropped upstream", verdicts,
                      [fill(direction, seq, got[0])] + [repeat(direction, seq, f) for f in got[1:]]
                      if got else ["(a resend)"])
            elif upstream:
                upstream_swaps += 1
                ck.eq(name, f"verdict of held-back seq {seq}", verdicts, ["out_of_order"])
    ck.eq(name, "conns out_of_order (the forwarders' swaps upstream)", row.get("out_of_order"),
          upstream_swaps)
    judged = Counter(f.get("pktlens.tcp.verdict") for f in frames)
    ck.eq(name, "gaps filled by a resend (the forwarders' drops upstream)",
          judged["lost_upstream"] + judged["cannot_tell"], upstream_drops)
    # A PMTU resend answers a router's drop, not a forwarder's: check_pmtu
    # holds those to the recording's truth file.
    ck.eq(name, "bytes seen and sent again (the forwarders' drops downstream)",
          sum(judged[v] for v in RETRANSMISSIONS - {"lost_upstream", "pmtu_retransmission"}),
          downstream_drops)


def arp_rows(rows, kind):
    return [r for r in rows if r["proto"] == "arp" and r["kind"] == kind]


def check_arp(ck, name, fact, rows, frames):
    arp = fact["arp"]
    asked = arp_rows(rows, "request") + arp_rows(rows, "probe")
    ck.eq(name, "ARP pairs (conns)",
          sorted([r["answer_frames"], r["client"], r["server"], r["server_macs"]]
                 for r in asked if r["answer_frames"]),
          sorted([[p["request"], p["reply"]], p["asked_by"], p["who_has"], [p["is_at"]]]
                 for p in arp["pairs"]))
    if "arp_pairs" in fact:
        ck.eq(name, "arp_pairs", sorted(r["answer_frames"] for r in asked if r["answer_frames"]),
              sorted(fact["arp_pairs"]))
    answers = notes_by_name(frames, "arp.answer") + notes_by_name(frames, "arp.probe_answer")
    ck.eq(name, "ARP pairs (per-frame notes)",
          sorted([int(re.match(r"answers the (?:request|probe) of frame (\d+) after", t).group(1)),
                  f] for f, t in answers),
          sorted([p["request"], p["reply"]] for p in arp["pairs"]))
    unanswered = Counter()
    for r in asked:
        if not r["answer_frames"]:
            unanswered[r["server"]] += r["requests"]
    ck.eq(name, "unanswered ARP requests", unanswered,
          Counter(u["who_has"] for u in arp["unanswered_requests"]))
    ck.eq(name, "gratuitous ARP",
          sorted([r["first_frame"], r["client"], r["client_mac"]]
                 for r in arp_rows(rows, "gratuitous")),
          sorted([g["frame"], g["ip"], g["mac"]] for g in arp["gratuitous"]))
    ck.eq(name, "unsolicited ARP replies",
          sorted([r["first_frame"], r["server"], r["server_macs"]]
                 for r in arp_rows(rows, "unsolicited")),
          sorted([u["frame"], u["ip"], [u["mac"]]] for u in arp["unsolicited_replies"]))
    conflicts = [{"ip": r["ip"], "macs": {m["mac"]: m["frames"] for m in r["macs"]}}
                 for r in arp_rows(rows, "conflict")]
    ck.eq(name, "ARP conflicts (conns)", conflicts, arp["conflicts"])
    if "conflict" in fact:
        ck.eq(name, "conflict", conflicts[:1], [fact["conflict"]])
    # Every claim once a second MAC has claimed the address is a conflict:
    # by the holder (the first MAC that claimed it), which defends it
    # against the other MAC's latest claim, or by a newcomer, against the
    # holder's first claim.
    want = []
    for c in arp["conflicts"]:
        claims = sorted((f, mac) for mac, fs in c["macs"].items() for f in fs)
        holder, first = claims[0][1], claims[0][0]
        last = {}
        for f, mac in claims:
            others = {m: lf for m, lf in last.items() if m != mac}
            if others and mac == holder:
                m = max(others, key=others.get)
                want.append(["defended", f, c["ip"], mac, m, others[m]])
            elif others:
                want.append(["claimed", f, c["ip"], mac, holder, first])
            last[mac] = f
    got = []
    for f, t in notes_by_name(frames, "arp.conflict"):
        m = re.match(r"address conflict: (\S+) claims (\S+) now, which (\S+) held first "
                     r"\(frame (\d+)\):", t)
        got.append(["claimed", f, m.group(2), m.group(1), m.group(3), int(m.group(4))]
                   if m else t)
    for f, t in notes_by_name(frames, "arp.conflict_defended"):
        m = re.match(r"(\S+) is claimed again by (\S+), which held it first: the holder "
                     r"defends its address against (\S+), which claimed it in frame (\d+)", t)
        got.append(["defended", f, m.group(1), m.group(2), m.group(3), int(m.group(4))]
                   if m else t)
    ck.eq(name, "ARP conflict notes", sorted(got, key=str), sorted(want, key=str))


def check_icmp(ck, name, fact, rows, frames):
    icmp = fact["icmp"]
    echo = [r for r in rows if r["proto"] == "icmp"]
    answered = [e for e in icmp["echo"] if e["reply"] is not None]
    pairs = []
    for f, t in notes_by_name(frames, "icmp.echo_answer"):
        m = re.match(r"answers the echo request of frame (\d+): round trip \d+\.\d{3} ms$", t)
        pairs.append([int(m.group(1)), f] if m else t)
    ck.eq(name, "echo pairs (per-frame notes)", sorted(pairs, key=str),
          sorted(([e["request"], e["reply"]] for e in answered), key=str))
    if "echo_pairs" in fact:
        ck.eq(name, "echo_pairs", sorted(pairs, key=str), sorted(fact["echo_pairs"], key=str))
    ck.eq(name, "echo requests and replies (conns)",
          sorted([r["client"], r["server"], r["icmp_id"], r["requests"], r["replies"]]
                 for r in echo),
          sorted([s["from"], s["to"], s["id"],
                  sum(1 for e in icmp["echo"] if e["id"] == s["id"]),
                  sum(1 for e in answered if e["id"] == s["id"])]
                 for s in {e["id"]: e for e in icmp["echo"]}.values()))
    ck.eq(name, "lost echo requests (conns)",
          sorted([r["icmp_id"], s, f] for r in echo
                 for s, f in zip(r["lost_seqs"], r["lost_frames"])),
          sorted([x["id"], x["seq"], x["frame"]] for x in icmp["lost_requests"]))
    ck.eq(name, "lost counts (conns)", sum(r["lost"] for r in echo), len(icmp["lost_requests"]))
    if "lost_requests" in fact:
        ck.eq(name, "lost_requests", sorted(f for r in echo for f in r["lost_frames"]),
              sorted(fact["lost_requests"]))
    errors = [[e["frame"], e["type"], e["code"], e["quoted_frame"]]
              for r in rows if r["proto"] in ("udp", "tcp", "icmp") for e in r["icmp_errors"]]
    # An error about TCP is tied to its connection, not to a segment (the
    # tracker keeps no history of segments): check_pmtu checks the quote.
    about_tcp = {e["frame"] for r in rows if r["proto"] == "tcp" for e in r["icmp_errors"]}
    ck.eq(name, "ICMP errors tied to their conversation (conns)", sorted(errors, key=str),
          sorted(([e["frame"], e["type"], e["code"],
                   None if e["frame"] in about_tcp else e["quotes_frame"]] for e in icmp["errors"]),
                 key=str))
    if "icmp_errors" in fact:
        ck.eq(name, "icmp_errors", sorted([e[0], e[3]] for e in errors), sorted(fact["icmp_errors"]))
        udp_ids = {r["id"] for r in rows if r["proto"] == "udp" and r["icmp_errors"]}
        quoted = []
        for f, t in notes_by_name(frames, "icmp.quotes_udp"):
            m = re.match(r"the quoted datagram is frame (\d+), of UDP flow #(\d+)$", t)
            quoted.append([f, int(m.group(1))] if m and int(m.group(2)) in udp_ids else t)
        ck.eq(name, "icmp_errors (per-frame notes)", sorted(quoted, key=str),
              sorted(fact["icmp_errors"]))


# The default view says a timer fired only for a retransmission whose
# timer did: the plain "retransmission" sentence, an RTO, a tail loss probe.
TIMER_WORDS = re.compile(r"(?<!not because a )timer fired|retransmission timeout|\bRTO\b|"
                         r"tail loss probe")


def default_view_blocks(path):
    """{frame number: its text in the default view}."""
    blocks = {}
    for block in re.split(r"\n(?=#\d+ )", pktlens_text("read", path)):
        m = re.match(r"#(\d+) ", block)
        if m:
            blocks[int(m.group(1))] = block
    return blocks


def check_pmtu(ck, name, path, frames, truth):
    """A PMTU drop against what the router's and the client's kernels said
    (NAME.truth.json): the errors, the dropped segments, their resends."""
    mtu = truth["router"]["server_side_mtu"]
    router, client = truth["router"]["counters"], truth["client"]
    dropped_by_router = router.get("Ip.FragFails", 0)
    ck.eq(name, "the router sent one error per segment it dropped (its counters)",
          router.get("Icmp.OutDestUnreachs"), dropped_by_router)
    errors = [f for f in frames if f.get("icmp.type") == 3 and f.get("icmp.code") == 4]
    ck.eq(name, "fragmentation-needed errors pktlens decodes, each with the router's MTU",
          [f.get("icmp.mtu") for f in errors], [mtu] * dropped_by_router)
    ck.eq(name, "the client received them all (its Icmp.InDestUnreachs)",
          client["counters"].get("Icmp.InDestUnreachs"), len(errors))
    sender = {f.get("tcp.srcport") for f in frames if f.get("conn.sender") == "client"}
    data = [f for f in frames if f.get("conn.sender") == "client" and f.get("tcp.len", 0) > 0]
    too_big = [f for f in data if f["ip.len"] > mtu]
    ck.eq(name, "segments larger than the router's MTU (as many as it dropped)",
          len(too_big), dropped_by_router)
    quoted = {(q.get("ip.id"), q.get("tcp.seq_raw")): f["frame.number"]
              for f in errors for q in [f.get("icmp.quoted", {})]
              if q.get("tcp.srcport") in sender}
    resend_verdicts, resent = {}, set()
    for big in too_big:
        error = quoted.get((big["ip.id"], big["tcp.seq_raw"]))
        ck.eq(name, f"frame {big['frame.number']} is quoted by a later error",
              error is not None and error > big["frame.number"], True)
        lo, hi = big["tcp.seq"], big["tcp.seq"] + big["tcp.len"]
        # the later segments carrying any of its bytes
        copies = [f for f in data if f["frame.number"] > big["frame.number"]
                  and f["tcp.seq"] < hi and f["tcp.seq"] + f["tcp.len"] > lo]
        covered = set()
        for f in copies:
            covered.update(range(max(lo, f["tcp.seq"]), min(hi, f["tcp.seq"] + f["tcp.len"])))
            resend_verdicts[f["frame.number"]] = f.get("pktlens.tcp.verdict", "")
            resent.add(f["frame.number"])
        ck.eq(name, f"bytes {lo}..{hi - 1} of frame {big['frame.number']} resent "
              f"(after its error, each copy within MTU {mtu})",
              [len(covered) == hi - lo,
               all(f["ip.len"] <= mtu and f["frame.number"] > (error or 0) for f in copies)],
              [True, True])
    ck.eq(name, "verdicts of the resends of the dropped bytes",
          resend_verdicts, {n: "pmtu_retransmission" for n in resend_verdicts})
    pmtu = [f["frame.number"] for f in frames
            if f.get("pktlens.tcp.verdict") == "pmtu_retransmission"]
    ck.eq(name, "PMTU retransmissions: the client's RetransSegs and tcpi_total_retrans",
          [len(pmtu), len(pmtu)],
          [client["counters"].get("Tcp.RetransSegs"), client["tcp_info"]["total_retrans"]])
    ck.eq(name, "PMTU retransmissions are the resends of the dropped bytes",
          sorted(pmtu), sorted(resent))
    ck.eq(name, "no other retransmission",
          [f["frame.number"] for f in frames
           if f.get("pktlens.tcp.verdict") in RETRANSMISSIONS - {"pmtu_retransmission"}], [])
    blocks = default_view_blocks(path)
    ck.eq(name, "default view of the resends: the PMTU sentence, no timer",
          {n: ("PMTU retransmission: " in blocks.get(n, ""),
               TIMER_WORDS.findall(blocks.get(n, ""))) for n in sorted(resent)},
          {n: (True, []) for n in sorted(resent)})
    marks = [line for line in pktlens_text("read", "-q", path).splitlines()
             if line.endswith("[PMTU retransmission]")]
    ck.eq(name, "-q marks", len(marks), len(resent))


def check_syn_attempts(ck):
    """captures/syn-attempts.pcap (crafted by captures/craft.py): the same
    SYN after its attempt was reset is a new conversation, its SYN+ACK
    with a new ISN no retransmission; "attempt N" counts unanswered SYNs."""
    name = "syn-attempts.pcap"
    path = os.path.join(ROOT, "captures", name)
    rows = pktlens("conns", "--json", path)
    frames = {f["frame.number"]: f for f in pktlens("read", "--json", path)}
    probe = [r for r in rows if r.get("client") == "10.77.1.1:40434"]
    ck.eq(name, "conversations of the repeated half-open probe",
          [(r["first_frame"], r["last_frame"], r["retransmissions"]) for r in probe],
          [(1, 3, 0), (4, 6, 0)])
    ck.eq(name, "verdicts and retransmission flags on the second attempt",
          [(n, frames[n].get("pktlens.tcp.verdict", ""),
            sorted(k for k in frames[n] if k.startswith("tcp.analysis.")
                   and "retransmission" in k)) for n in (4, 5, 6)],
          [(4, "", []), (5, "", []), (6, "", [])])
    ck.eq(name, "attempts named on the SYNs sent again",
          [(n, re.search(r"attempt (\d+)", t).group(1))
           for n, t in notes_by_name(list(frames.values()), "conn.syn_retry")],
          [(8, "2"), (9, "3")])
    ck.eq(name, "a SYN sent again after its SYN+ACK went by",
          [(n, re.search(r"attempt (\d+)", t).group(1))
           for n, t in notes_by_name(list(frames.values()), "conn.syn_retry_answered")],
          [(12, "2")])


def main():
    facts = json.load(open(FACTS))["captures"]
    ck = Check()
    check_syn_attempts(ck)
    for name, fact in sorted(facts.items()):
        path = os.path.join(ROOT, "captures", "conn", name)
        try:
            rows = pktlens("conns", "--json", path)
            frames = pktlens("read", "--json", path)
        except RuntimeError as e:
            print(f"FAIL: {name}: {e}")
            ck.failed += 1
            continue
        if "client_state" in fact:
            check_tcp(ck, name, fact, rows, frames)
        if fact.get("arp"):
            check_arp(ck, name, fact, rows, frames)
        if fact.get("icmp"):
            check_icmp(ck, name, fact, rows, frames)
        truth = path.replace(".pcap", ".truth.json")
        if os.path.exists(truth):
            check_pmtu(ck, name, path, frames, json.load(open(truth)))
    print(f"conns-facts: {ck.passed} passed, {ck.failed} failed")
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.exit(main())
