#!/usr/bin/python3
"""Differential test of the TCP sequence analysis against tshark 4.0.

For every capture with TCP in captures/ (recorded scenarios included),
tests/regress/ and ../shared/corpus/tcpdump-tests, tshark's
tcp.analysis.* findings are compared with the ones `pktlens read --json`
gives, frame by frame: for each flag, the set of frames tshark marks must
equal the set pktlens marks, and on the frames both analyse the relative
sequence and acknowledgment numbers, the scaled window, the duplicate ACK
number, the frame an ACK covers and the bytes in flight must agree.

Only frames where pktlens tracks the TCP segment (the frame's JSON has
conn.id) are compared: TCP inside tunnels or link types pktlens does not
decode is tshark's alone, and reported as skipped.

A difference is allowed only when EXPLAINED names its condition and
reason; anything else fails.  Prints per flag the totals of both tools,
then the unexplained differences (up to five examples each), and ends
with "tcp-analysis: N passed, M failed", one check per file and flag or
field compared.  Exits 1 on any failure.

A second table lists, per capture of captures/ (the project's own,
recorded or crafted), the frames where pktlens's own verdict
(pktlens.tcp.verdict) and what tshark's flags amount to differ, and why.
Each difference must match a rule of VERDICT_RULES whose condition holds
on the frames as tshark decodes them (the bytes already seen in that
direction, the peer's last window), so the table is checked, not only
printed: a difference no rule explains fails.

tshark's answers are stored (tests/tshark_answers.py says how and why);
eight stored ones, chosen at random, are asked of tshark again each run.

Usage: tests/tcp_analysis_diff.py [-j JOBS] [-v] [--refresh] [FILE...]   (stdlib only)
"""

import argparse
import collections
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys

import tshark_answers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKTLENS = os.environ.get("PKTLENS", os.path.join(ROOT, "pktlens"))
TSHARK = os.environ.get("TSHARK", "tshark")
CORPORA = [
    os.path.join(ROOT, "captures"),
    os.path.join(ROOT, "tests", "regress"),
    os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus", "tcpdump-tests")),
]
CAPTURE_EXT = (".pcap", ".pcapng", ".cap")

FLAGS = ["retransmission", "fast_retransmission", "spurious_retransmission",
         "out_of_order", "lost_segment", "ack_lost_segment", "duplicate_ack",
         "zero_window", "zero_window_probe", "zero_window_probe_ack",
         "window_update", "window_full", "keep_alive", "keep_alive_ack"]
VALUES = ["tcp.seq", "tcp.ack", "tcp.window_size", "tcp.analysis.duplicate_ack_num",
          "tcp.analysis.acks_frame", "tcp.analysis.bytes_in_flight"]

# Deliberate differences: (check name, file-name substring or None, reason).
# Each must say why the two tools part ways; a difference not listed fails.
EXPLAINED = [
    ("retransmission", "kday",
     "fuzzed timestamps jump by 2097152 s and back: pktlens expires the connections idle "
     "past --idle-timeout (300 s of capture time) and starts a new one, so the segment "
     "repeated after the jump is a first copy; tshark never expires a conversation"),
    ("tcp.ack", "kday",
     "the same jump: the new conversation counts relative numbers afresh"),
    ("duplicate_ack", "kday",
     "the same jump: the new conversation has no earlier ACK to duplicate"),
    ("tcp.analysis.duplicate_ack_num", "kday", "the same jump"),
    ("tcp.seq", "smb_data_print-segv",
     "fuzzed timestamp: frame 4 comes 665396691 s (21 years) after frame 3, past the "
     "longest idle timeout pktlens takes (a day): a new conversation, relative numbers afresh"),
    ("tcp.ack", "smb_data_print-segv", "the same jump"),
    ("tcp.analysis.acks_frame", "smb_data_print-segv", "the same jump"),
    ("retransmission", "half-open-repeat",
     "a SYN on the 4-tuple of an attempt that was reset starts a new conversation in "
     "pktlens, even with the same ISN (the recorder's log shows two probes sent); tshark "
     "keeps one stream and calls the second SYN a retransmission"),
    ("tcp.seq", "half-open-repeat", "the same new conversation: relative numbers afresh"),
    ("tcp.ack", "half-open-repeat", "the same new conversation: relative numbers afresh"),
    ("retransmission", "syn-attempts",
     "crafted: frame 4 repeats the SYN of frame 1 (same ISN) after the prober reset the "
     "attempt: a new conversation in pktlens, a retransmission in tshark's one stream"),
    ("lost_segment", "syn-attempts",
     "crafted: the SYN+ACK of frame 5 carries a new ISN; tshark, still in the stream of "
     "frame 1, finds bytes missing before it; in pktlens's new conversation it is the first"),
    ("out_of_order", "bgp-as-path-oobr",
     "fuzzed capture, every frame at the same instant: frame 2 overlaps frame 1 by one "
     "byte; pktlens applies the out-of-order rule (below the highest byte sent, within "
     "the handshake RTT or 3 ms), tshark 4.0 leaves frame 2 unmarked"),
    ("tcp.analysis.bytes_in_flight", "notes.pcap",
     "crafted: frame 72 is a zero-window probe, whose one byte pktlens does not count in "
     "flight (the window is closed), and frame 79 resends bytes already acknowledged, "
     "which tshark counts as the segment's and pktlens as nothing unacknowledged"),
]


# What tshark's flags amount to in pktlens's terms: its strongest judged
# flag, in the order src/tcp_analysis.c reads them.
JUDGED = ["spurious_retransmission", "fast_retransmission", "retransmission", "out_of_order",
          "zero_window_probe", "zero_window_probe_ack", "keep_alive", "keep_alive_ack"]
RETRANSMISSIONS = {"retransmission", "fast_retransmission", "spurious_retransmission",
                   "pmtu_retransmission", "lost_upstream"}


def tshark_verdict(row):
    for flag in JUDGED:
        if row["tcp.analysis." + flag] != "":
            return flag
    return ""


def same_verdict(pk, ts):
    """pktlens places some retransmissions further (lost upstream, after an
    ICMP "fragmentation needed"): still retransmissions."""
    if pk == "lost_upstream" and ts == "fast_retransmission":
        return True
    if pk in ("pmtu_retransmission", "lost_upstream"):
        pk = "retransmission"
    return pk == ts


# Why the two verdicts may differ: (tshark's, pktlens's, condition, reason).
# The condition is checked on the frame as tshark decodes it: "seen" that
# every byte of the segment (or its SYN or FIN) went by before in that
# direction, "unseen" that none did, "closed" that the receiver's latest
# window was 0, "open" that it was not, "answers" that the sender's peer
# sent a probe just before, "no_probe" that it did not, "unacked" that the
# receiver's latest ACK is below the segment's first byte (bytes before it
# still in flight), "new_attempt" that it is a SYN after an RST went by on
# its ports.
VERDICT_RULES = [
    ("retransmission", {""}, "new_attempt",
     "tshark keeps one stream per 4-tuple and calls a SYN with the same ISN a "
     "retransmission; after a reset it is a new attempt, a new conversation"),
    ("out_of_order", RETRANSMISSIONS, "seen",
     "tshark calls a copy sent within one handshake round trip of the highest segment "
     "out-of-order by its timing; its bytes went by before in this direction: a retransmission"),
    ("", RETRANSMISSIONS, "seen",
     "tshark marks nothing (its rules did not fire); its bytes went by before in this "
     "direction: a retransmission"),
    ("retransmission", {"out_of_order", "cannot_tell"}, "unseen",
     "tshark calls any segment below the highest a retransmission; these bytes were never "
     "seen here, so pktlens tells a reordering by the round trip to the sender, or says it "
     "cannot tell"),
    ("out_of_order", {"lost_upstream", "cannot_tell"}, "unseen",
     "tshark calls it out-of-order by its timing; these bytes were never seen here and came "
     "after the receiver asked for them, a round trip to the sender later (or too late to tell)"),
    ("fast_retransmission", {"out_of_order", "cannot_tell"}, "unseen",
     "tshark calls any segment after two duplicate ACKs a fast retransmission; these bytes "
     "were never seen here and came sooner than a round trip to the sender after the gap "
     "opened, too soon to answer those ACKs: reordered, or pktlens cannot tell"),
    ("keep_alive", {"zero_window_probe"}, "closed",
     "tshark calls any byte below the next sequence number a keep-alive; the receiver's "
     "window was 0: the persist timer's zero-window probe"),
    ("keep_alive_ack", {"zero_window_probe_ack"}, "answers",
     "the answer to what tshark took for a keep-alive: it answers a zero-window probe"),
    ("", {"zero_window_probe_ack", "keep_alive_ack"}, "answers",
     "tshark pairs an answer only when its window and ACK repeat exactly; pktlens takes "
     "the peer's next segment as the answer to its probe"),
    ("spurious_retransmission", {"pmtu_retransmission"}, "seen",
     "tshark calls bytes below the receiver's latest ACK spurious; an ICMP fragmentation "
     "needed came just before and the ACK crossed it: resent at once, smaller, for the path"),
    ("zero_window_probe", {""}, "unacked",
     "tshark calls one new byte into a closed window a probe; the bytes before it were not "
     "acknowledged, so the window closed under data in flight: data sent before the sender knew"),
    ("keep_alive", RETRANSMISSIONS, "unacked",
     "tshark calls zero or one byte just below the next sequence number a keep-alive; the "
     "bytes before it were not acknowledged, so the connection was not idle: a last byte resent"),
    ("zero_window_probe_ack", {""}, "no_probe",
     "tshark pairs a repeated ACK and window 0 with what it took for a probe; there was none: "
     "the receiver refuses data sent past its window"),
    ("keep_alive_ack", {""}, "no_probe",
     "tshark pairs a repeated ACK with what it took for a keep-alive; there was none: a "
     "duplicate ACK answering a byte sent again"),
]


def verdict_table(path, ts, pk):
    """[(frame, tshark's, pktlens's, reason or None)] where they differ."""
    seen = collections.defaultdict(list)   # direction -> [(lo, hi)] relative bytes
    window = {}                            # direction -> its latest window
    acked = {}                             # direction -> its latest ACK
    probe = {}                             # direction -> whether its latest segment probed
    reset = set()                          # port pairs an RST went by on
    rows = []
    for n in sorted(ts):
        t = ts[n]
        if t["tcp.len"] == "" or t["tcp.seq"] == "":
            continue
        d = (t["tcp.srcport"], t["tcp.dstport"])
        back = (d[1], d[0])
        lo = int(t["tcp.seq"])
        hi = lo + int(t["tcp.len"]) + (t["tcp.flags.syn"] in ("1", "True")) + \
            (t["tcp.flags.fin"] in ("1", "True"))
        covered = sum(max(0, min(hi, h) - max(lo, l)) for l, h in seen[d])
        syn_only = t["tcp.flags.syn"] in ("1", "True") and t["tcp.ack"] in ("", "0")
        facts = {"new_attempt": syn_only and frozenset(d) in reset,
                 "seen": hi > lo and covered >= hi - lo, "unseen": hi > lo and covered == 0,
                 "closed": window.get(back) == 0, "open": window.get(back) not in (None, 0),
                 "answers": probe.get(back, False), "no_probe": not probe.get(back, False),
                 "unacked": back in acked and acked[back] < lo}
        if n in pk:
            theirs, ours = tshark_verdict(t), pk[n].get("pktlens.tcp.verdict", "")
            if not same_verdict(ours, theirs):
                why = next((r for a, b, cond, r in VERDICT_RULES
                            if a == theirs and ours in b and facts[cond]), None)
                rows.append((n, theirs or "-", ours or "-", why))
            probe[d] = ours in ("zero_window_probe", "keep_alive")
        if hi > lo:
            seen[d].append((lo, hi))
        if t["tcp.flags.reset"] in ("1", "True"):
            reset.add(frozenset(d))
        if t["tcp.window_size"] != "":
            window[d] = int(t["tcp.window_size"])
        if t["tcp.ack"] != "":
            acked[d] = int(t["tcp.ack"])
    return rows


TSHARK_FIELDS = ["frame.number", "tcp.len", "tcp.srcport", "tcp.dstport", "tcp.flags.syn",
                 "tcp.flags.fin", "tcp.flags.reset"] + ["tcp.analysis." + f for f in FLAGS] + VALUES


def tshark_command(path):
    cmd = [TSHARK, "-n", "-r", path, "-Y", "tcp", "-T", "fields", "-E", "occurrence=f"]
    for f in TSHARK_FIELDS:
        cmd += ["-e", f]
    return cmd


def ask_tshark(path):
    """tshark's answer about one capture, as stored (tshark_answers.py):
    its rows, one list of TSHARK_FIELDS per TCP frame."""
    out = subprocess.run(tshark_command(path), capture_output=True, text=True, errors="replace")
    return [cols for cols in (line.split("\t") for line in out.stdout.splitlines())
            if len(cols) == len(TSHARK_FIELDS) and cols[0].isdigit()]


def tshark_frames(rows):
    return {int(cols[0]): dict(zip(TSHARK_FIELDS, cols)) for cols in rows}


def pktlens_frames(path):
    # tshark never forgets a conversation: neither may pktlens here, or a
    # connection idle past the timeout (or closed for 2*MSL) would start
    # afresh on its next segment.
    out = subprocess.run([PKTLENS, "read", "--json", "--idle-timeout", "86400",
                          "--msl", "3600", path],
                         capture_output=True, text=True, errors="replace")
    frames = {}
    for line in out.stdout.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if "conn.id" in rec:
            frames[rec["frame.number"]] = rec
    return frames


def compare(path, answer):
    """Returns {check: (tshark_count, pktlens_count, [mismatching frames])};
    answer: tshark's stored answer, or None to ask it live."""
    asked = ask_tshark(path) if answer is None else None
    ts = tshark_frames(answer if answer is not None else asked)
    pk = pktlens_frames(path)
    if not pk:
        return {"_answer": asked}
    # tshark analyses a segment only when it accepts its header (it then
    # has a tcp.len); the others it stops at, pktlens analyses.
    rejected = {n for n in ts if ts[n]["tcp.len"] == ""}
    both = sorted((set(ts) & set(pk)) - rejected)
    result = {}
    for flag in FLAGS:
        key = "tcp.analysis." + flag
        t_set = {n for n in both if ts[n][key] != ""}
        p_set = {n for n in both if pk[n].get(key)}
        result[flag] = (len(t_set), len(p_set), sorted(t_set ^ p_set))
    for field in VALUES:
        bad = []
        compared = 0
        for n in both:
            t_val, p_val = ts[n][field], pk[n].get(field)
            if t_val == "" and p_val is None:
                continue
            compared += 1
            if t_val == "" or p_val is None or int(t_val) != int(p_val):
                bad.append(n)
        result[field] = (compared, compared - len(bad), bad)
    result["_skipped"] = len(set(ts) - set(pk))
    own = os.path.dirname(os.path.abspath(path)).startswith(os.path.join(ROOT, "captures"))
    result["_verdicts"] = verdict_table(path, ts, pk) if own else []
    result["_rejected"] = len(rejected & set(pk))
    result["_answer"] = asked
    return result


def explained(check, path):
    name = os.path.basename(path)
    for c, sub, reason in EXPLAINED:
        if c == check and (sub is None or sub in name):
            return reason
    return None


def capture_files(args):
    if args.files:
        return args.files
    files = []
    for d in CORPORA:
        if not os.path.isdir(d):
            print(f"skipped: {d} not present")
            continue
        for base, _, names in os.walk(d):
            files += [os.path.join(base, n) for n in sorted(names) if n.endswith(CAPTURE_EXT)]
    return files


def has_tcp(path):
    """Cheap pre-check with pktlens itself, so tshark runs only where it matters."""
    out = subprocess.run([PKTLENS, "read", "-q", path, "tcp"], capture_output=True)
    return bool(out.stdout.strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--refresh", action="store_true",
                    help="ask tshark about every capture and store its answers "
                         "(tests/tshark_answers.py)")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    if not shutil.which(TSHARK) or not os.access(PKTLENS, os.X_OK):
        print(f"tcp-analysis: 0 passed, 1 failed  (tshark or {PKTLENS} missing)")
        return 1

    version = subprocess.run([TSHARK, "--version"], capture_output=True,
                             text=True).stdout.split("\n")[0]
    store = tshark_answers.Answers("tcp-analysis", version, tshark_command("FILE")[1:])
    kept = store.answers if args.files else {}   # a refresh of some files keeps the rest
    if args.refresh:
        store.answers = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        files = [f for f, t in zip(capture_files(args), pool.map(has_tcp, capture_files(args))) if t]
        keys = {f: tshark_answers.file_key(f) for f in files}
        spot = {k: pool.submit(ask_tshark, f) for k, f in
                ((k, next(f for f in files if keys[f] == k))
                 for k in store.sample(keys.values(), 8))}
        results = dict(zip(files, pool.map(lambda f: compare(f, store.get(keys[f])), files)))
        stale = [f for f in files if keys[f] in spot and spot[keys[f]].result() != store.get(keys[f])]
    answers = {keys[f]: res.pop("_answer") for f, res in results.items()}
    asked = {k: a for k, a in answers.items() if a is not None}
    print("\n".join(store.report("tcp-analysis", len(files) - len(asked), len(asked),
                                 len(spot), sorted(set(stale)), ROOT)))
    if args.refresh:
        store.save(dict(kept, **asked))
        print(f"stored {len(asked)} answers in {os.path.relpath(store.path, ROOT)}")
    results = {f: res for f, res in results.items() if res}   # {}: no TCP pktlens tracks

    passed, failed = 0, len(set(stale))
    totals = collections.defaultdict(lambda: [0, 0])
    failures = collections.defaultdict(list)
    explained_seen = collections.Counter()
    skipped_frames = rejected_frames = 0
    verdict_rows = {}
    for path, res in results.items():
        if res is None:
            continue
        verdict_rows[path] = res.pop("_verdicts")
        skipped_frames += res.pop("_skipped")
        rejected_frames += res.pop("_rejected")
        for check, (a, b, bad) in res.items():
            totals[check][0] += a
            totals[check][1] += b
            if not bad:
                passed += 1
            elif explained(check, path):
                passed += 1
                explained_seen[(check, explained(check, path))] += len(bad)
            else:
                failed += 1
                failures[check].append((os.path.relpath(path, ROOT), bad[:8]))

    print(f"{len(results)} captures with TCP; {skipped_frames} TCP frames tshark sees "
          "inside layers pktlens does not decode, and", rejected_frames,
          "whose TCP header tshark rejects before its analysis (no tcp.len): not compared")
    print(f"{'flag':28} {'tshark':>8} {'pktlens':>8}")
    for flag in FLAGS:
        print(f"{flag:28} {totals[flag][0]:8} {totals[flag][1]:8}")
    print(f"{'field':34} {'compared':>9} {'equal':>9}")
    for field in VALUES:
        print(f"{field:34} {totals[field][0]:9} {totals[field][1]:9}")
    for (check, reason), n in sorted(explained_seen.items()):
        print(f"explained: {check}: {n} frames: {reason}")
    for check, cases in sorted(failures.items()):
        print(f"FAIL {check}: differs in {len(cases)} files")
        for path, frames in cases[: 5 if not args.verbose else None]:
            print(f"    {path}: frames {frames}")
    print("where pktlens's verdict and tshark's differ (captures/):")
    print(f"    {'capture':34} {'frame':>5}  {'tshark':22} {'pktlens':24} why")
    for path, rows in sorted(verdict_rows.items()):
        for n, theirs, ours, why in rows:
            print(f"    {os.path.relpath(path, ROOT)[9:]:34} {n:5}  {theirs:22} {ours:24} "
                  f"{why or 'UNEXPLAINED'}")
        if any(why is None for *_, why in rows):
            failed += 1
        elif rows:
            passed += 1
    print(f"tcp-analysis: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
