#!/usr/bin/python3
"""The views on a terminal: pktlens run under a pseudo-terminal of 80 and
100 columns (no COLUMNS in its environment, so the width comes from the
terminal itself), against the same command through a pipe.

The tree view's lines must fit the width, hold the same words in the same
order as the piped lines (so no word is split), and continue under their
layer: a layer's fields at column 15 (17 quoted), a note's text after
"> ", an anomaly's after "! ", the frame line's summary after its time.
`conns --timeline` must fit 100 columns, and at 80 say how many it needs.
COLUMNS, when set, is the width.  Prints "terminal: N passed, M failed"."""
import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKTLENS = os.environ.get("PKTLENS", os.path.join(ROOT, "pktlens"))
LABEL_WIDTH = 13

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}")


def on_terminal(args, cols, env_columns=None):
    """stdout of pktlens ARGS on a pseudo-terminal COLS wide (stderr apart)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.ONLCR   # the lines as written, without \r
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if env_columns:
        env["COLUMNS"] = env_columns
    p = subprocess.Popen([PKTLENS, *args], stdout=slave, stderr=subprocess.PIPE,
                         env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:   # EIO: the other side closed
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    err = p.communicate()[1]
    return out.decode(), err.decode(), p.returncode


def piped(args):
    return subprocess.run([PKTLENS, *args], capture_output=True, text=True).stdout


def hang(line):
    """The column the continuation lines of a tree line start at."""
    lead = len(line) - len(line.lstrip(" "))
    if line.startswith("#"):
        m = re.match(r"#\d+\s+\S+\s+", line)
        return m.end()
    if line[lead:lead + 2] in ("> ", "! "):
        return lead + 2
    if lead < LABEL_WIDTH:
        return lead + LABEL_WIDTH
    if line[lead:].startswith("options: "):
        return lead + len("options: ")
    return lead + 2


def check_tree(name, args, cols):
    wrapped, _, rc = on_terminal(["read", "--color=never", *args], cols)
    whole = piped(["read", *args])
    check(rc == 0, f"{name} at {cols}: exit {rc}")
    out = wrapped.split("\n")
    too_long = [line for line in out if len(line) > cols]
    check(not too_long, f"{name} at {cols}: {len(too_long)} lines longer, as {too_long[:1]}")
    check(wrapped.split() == whole.split(),
          f"{name} at {cols}: the words differ from the piped output (a word split?)")
    # Each piped line is its wrapped lines, continued at its hanging indent.
    i = 0
    bad = []
    for line in whole.split("\n"):
        words = line.split()
        first = out[i]
        check_lead = first[:len(first) - len(first.lstrip(" "))] == line[:len(line) - len(line.lstrip(" "))]
        got = first.split()
        i += 1
        while len(got) < len(words) and i < len(out):
            cont = out[i]
            if len(cont) - len(cont.lstrip(" ")) != hang(line):
                bad.append((line[:40], cont[:40]))
            got += cont.split()
            i += 1
        if not check_lead or got != words:
            bad.append((line[:40], first[:40]))
    check(not bad, f"{name} at {cols}: continuation lines not under their layer: {bad[:2]}")
    return sum(1 for line in whole.split("\n") if len(line) > cols)


for cols in (80, 100):
    longer = check_tree("handshake", ["captures/tcp-handshake.pcap"], cols)
    check(longer > 0, f"handshake at {cols}: the piped output has lines to wrap")
    check_tree("handshake --explain=all", ["--explain=all", "captures/tcp-handshake.pcap"], cols)
    check_tree("icmp quote -x", ["-x", "captures/icmp-port-unreachable.pcap"], cols)
    check_tree("ipv6", ["captures/ipv6-tcp.pcap"], cols)

# The colours take no column.
out, _, _ = on_terminal(["read", "--color=always", "captures/tcp-handshake.pcap"], 80)
plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
check(max(len(line) for line in plain.split("\n")) <= 80, "colour at 80: lines fit")
check(plain.split() == piped(["read", "captures/tcp-handshake.pcap"]).split(),
      "colour at 80: the same words")

# COLUMNS names the width on a terminal, as for ls; a pipe is never wrapped.
out, _, _ = on_terminal(["read", "--color=never", "captures/tcp-handshake.pcap"], 100,
                        env_columns="60")
check(max(len(line) for line in out.split("\n")) <= 60, "COLUMNS=60: lines fit 60")
p = subprocess.run([PKTLENS, "read", "captures/tcp-handshake.pcap"], capture_output=True,
                   text=True, env={**os.environ, "COLUMNS": "60"})
check(max(len(line) for line in p.stdout.split("\n")) > 100, "COLUMNS on a pipe: no wrapping")

# The timeline: fits 100 columns; at 80 it says what it needs.
for capture in ("captures/conn/reorder.pcap", "captures/conn/retransmit-loss.pcap"):
    out, err, rc = on_terminal(["conns", "--timeline", "--color=never", capture], 100)
    check(rc == 0, f"timeline {capture} at 100: exit {rc}")
    check(max(len(line) for line in out.split("\n")) <= 100,
          f"timeline {capture} at 100: lines fit")
    check(out.split() == piped(["conns", "--timeline", capture]).split(),
          f"timeline {capture} at 100: the same words")
    out, err, rc = on_terminal(["conns", "--timeline", "--color=never", capture], 80)
    check(re.search(r"the timeline needs \d+ columns and this terminal has 80: widen", err),
          f"timeline {capture} at 80: says how to widen: {err!r}")

print(f"terminal: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
