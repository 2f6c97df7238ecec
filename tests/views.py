#!/usr/bin/python3
"""The views of one connection and the annotated pcapng, against tools
that do not share pktlens's code.

pcapng: for every capture, `read F -w out.pcapng` must give a file that
tshark reads without complaint, whose frame.comment of every frame is
that frame's notes as `read --json` lists them (anomalies marked as the
tree marks them, then the explanations, one per line), and which
`pktlens read` shows exactly as it shows F.

Prints "views: N passed, M failed"."""
import glob
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKTLENS = os.environ.get("PKTLENS", os.path.join(ROOT, "pktlens"))
CAPTURES = sorted(glob.glob(os.path.join(ROOT, "captures", "*.pcap")) +
                  glob.glob(os.path.join(ROOT, "captures", "conn", "*.pcap")) +
                  glob.glob(os.path.join(ROOT, "tests", "regress", "*.pcap*")))
# Times 2^64 nanoseconds after 1970 and beyond, which pcapng cannot hold.
OUT_OF_NANOSECONDS = ("conntrack-idle-overflow.pcapng", "reltime-int64-overflow.pcapng")
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
    out = run("tshark", "-r", path, "-T", "json", "-e", "frame.number", "-e", "frame.comment")
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
        tree = run(PKTLENS, "read", cap, "-w", out)
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
    q = run(PKTLENS, "read", "-q", cap, "-w", out)
    ck.eq("read -q -w: the lines", q.stdout, run(PKTLENS, "read", "-q", cap).stdout)
    frames = [json.loads(l) for l in run(PKTLENS, "read", "--json", cap).stdout.splitlines()]
    comments, _ = tshark_comments(out)
    ck.eq("read -q -w: the comments", [comments.get(f["frame.number"], "") for f in frames],
          [expected_comment(f) for f in frames])
    # Wireshark can filter on them.
    out2 = run("tshark", "-r", out, "-Y", 'frame.comment contains "handshake 3/3"',
               "-T", "fields", "-e", "frame.number")
    ck.eq("tshark filters on a note", out2.stdout.split(), ["5"])
    # Any other name stays plain pcap, with the frames read (after the filter).
    plain = os.path.join(tmp, "plain.pcap")
    run(PKTLENS, "read", "-q", cap, "-w", plain, "tcp")
    with open(plain, "rb") as f:
        magic = f.read(4)
    ck.ok(magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"), "read -w x.pcap writes pcap")
    ck.eq("read -w x.pcap: the frames", unnumbered(run(PKTLENS, "read", "-q", plain).stdout),
          unnumbered(run(PKTLENS, "read", "-q", cap, "tcp").stdout))
    # The section names pktlens and its version.
    info = run("capinfos", out).stdout
    version = run(PKTLENS, "--version").stdout.strip()
    ck.ok(f"Capture comment:     {version}" in info, "the section comment names pktlens")


def main():
    ck = Check()
    with tempfile.TemporaryDirectory() as tmp:
        check_pcapng(ck, tmp)
    print(f"views: {ck.passed} passed, {ck.failed} failed")
    sys.exit(1 if ck.failed else 0)


if __name__ == "__main__":
    main()
