#!/usr/bin/env python3
"""conns --table against tshark -q -z conv,tcp, capture by capture.

Usage: conv_table.py PKTLENS CAPTURE...

For each TCP conversation both list: the frames each way and in all,
the bytes on the wire (exact where tshark writes "bytes", to its
rounding where it writes "kB"), the start relative to the file's first
frame and the duration.  pktlens's rows must also come in order of
first frame.  Prints one FAIL line per difference and exits 1 on any."""
import concurrent.futures
import re
import subprocess
import sys

ROW = re.compile(r"^(\S+)\s+<->\s+(\S+)\s+(.*)$")
SIZE = re.compile(r"(\d+)\s+(\d+(?:\.\d+)?)\s+(bytes|kB|MB)")


def tshark_rows(cap):
    out = subprocess.run(["tshark", "-n", "-q", "-z", "conv,tcp", "-r", cap],
                         capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in out.splitlines():
        m = ROW.match(line)
        if not m:
            continue
        sizes = SIZE.findall(m.group(3))
        rest = m.group(3)[m.group(3).rfind(sizes[-1][2]) + len(sizes[-1][2]):].split()
        (fb, bb, ub), (fa, ba, ua), (ft, bt, ut) = sizes
        rows[frozenset((m.group(1), m.group(2)))] = {
            "a": m.group(1),
            "to_a": (int(fb), float(bb), ub), "from_a": (int(fa), float(ba), ua),
            "total": (int(ft), float(bt), ut),
            "start": float(rest[0]), "duration": float(rest[1]),
        }
    return rows


def pktlens_rows(pktlens, cap):
    out = subprocess.run([pktlens, "conns", "--table", cap], capture_output=True, text=True,
                         check=True).stdout
    rows = []
    for line in out.splitlines():
        m = ROW.match(line)
        if not m or m.group(1) == "client":
            continue
        f = m.group(3).split()
        rows.append({
            "client": m.group(1), "server": m.group(2),
            "s2c": (int(f[0]), int(f[1])), "c2s": (int(f[2]), int(f[3])),
            "total": (int(f[4]), int(f[5])),
            "start": float(f[6]), "duration": float(f[7]),
            "close": f[8], "states": (f[9], f[10]),
        })
    return rows


def plain(endpoint):
    """tshark writes an IPv6 endpoint without brackets: fd77::1:54096."""
    return endpoint.replace("[", "").replace("]", "")


def same_size(ours, theirs):
    frames, size, unit = theirs
    scale = {"bytes": 1, "kB": 1000, "MB": 1000000}[unit]
    return ours[0] == frames and abs(ours[1] / scale - size) < (1 if scale > 1 else 0.5)


def main():
    pktlens, caps = sys.argv[1], sys.argv[2:]
    failed = checked = 0
    # tshark takes seconds to start: run them side by side.
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        tables = list(pool.map(tshark_rows, caps))
    for cap, theirs in zip(caps, tables):
        ours = pktlens_rows(pktlens, cap)
        starts = [r["start"] for r in ours]
        if starts != sorted(starts):
            print(f"FAIL: {cap}: rows not in order of first frame")
            failed += 1
        if len(ours) != len(theirs):
            print(f"FAIL: {cap}: {len(ours)} rows, tshark has {len(theirs)}")
            failed += 1
        for r in ours:
            client, server = plain(r["client"]), plain(r["server"])
            t = theirs.get(frozenset((client, server)))
            checked += 1
            if t is None:
                print(f"FAIL: {cap}: {r['client']} <-> {r['server']} not in tshark's table")
                failed += 1
                continue
            client_is_a = t["a"] == client
            from_client = t["from_a"] if client_is_a else t["to_a"]
            to_client = t["to_a"] if client_is_a else t["from_a"]
            problems = []
            if not same_size(r["c2s"], from_client):
                problems.append(f"client to server {r['c2s']} vs {from_client}")
            if not same_size(r["s2c"], to_client):
                problems.append(f"server to client {r['s2c']} vs {to_client}")
            if not same_size(r["total"], t["total"]):
                problems.append(f"total {r['total']} vs {t['total']}")
            if abs(r["start"] - t["start"]) > 1e-6:
                problems.append(f"start {r['start']} vs {t['start']}")
            if abs(r["duration"] - t["duration"]) > 1e-4:
                problems.append(f"duration {r['duration']} vs {t['duration']}")
            for p in problems:
                print(f"FAIL: {cap}: {r['client']} <-> {r['server']}: {p}")
            failed += len(problems)
    print(f"conv-table: {checked} conversations checked, {failed} differences")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
