#!/usr/bin/python3
"""nagle_writes.py - "small writes held back and sent together" only where
the applications' own writes say so.

    tests/nagle_writes.py [PKTLENS]

captures/conn/record.sh records nagle-paced.pcap and request-reply.pcap
with every send() of both applications logged (peer.py --write-log) in
captures/conn/NAME.writes.jsonl.  Mapping each side's writes (by their
byte offsets in its stream) onto its data segments (read from the pcap
here, not from pktlens) gives the truth: a segment that holds more than
one write sent them together.  pktlens must put its conn.coalesced note
on exactly those segments, and conns must count them.

The truth comes from the log; pktlens's output is only what is tested.
"""
import json
import os
import struct
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONN = os.path.join(REPO, "captures", "conn")
CAPTURES = ["nagle-paced", "request-reply"]
CLIENT_IP = bytes([10, 79, 1, 1])

failures = 0


def bad(msg):
    global failures
    failures += 1
    print("FAIL", msg)


def data_segments(path):
    """(frame number, side, relative seq, length) of every TCP segment with
    data in an Ethernet/IPv4 pcap; seq relative to the side's ISN + 1."""
    with open(path, "rb") as f:
        blob = f.read()
    assert struct.unpack("<I", blob[:4])[0] == 0xA1B2C3D4, path
    off, frame, isn, out = 24, 0, {}, []
    while off < len(blob):
        _, _, caplen, _ = struct.unpack("<IIII", blob[off:off + 16])
        pkt = blob[off + 16:off + 16 + caplen]
        off += 16 + caplen
        frame += 1
        if pkt[12:14] != b"\x08\x00" or pkt[23] != 6:
            continue
        ip = pkt[14:]
        ihl, total = (ip[0] & 15) * 4, struct.unpack(">H", ip[2:4])[0]
        tcp = ip[ihl:total]
        side = "client" if ip[12:16] == CLIENT_IP else "server"
        seq = struct.unpack(">I", tcp[4:8])[0]
        flags, doff = tcp[13], (tcp[12] >> 4) * 4
        if flags & 0x02:                       # SYN
            isn[side] = seq
        length = len(tcp) - doff
        if length:
            out.append((frame, side, (seq - isn[side] - 1) % 2**32, length))
    return out


def truth(name):
    """Frames whose segment holds more than one logged write, and how many
    data segments each side sent."""
    with open(os.path.join(CONN, name + ".writes.jsonl")) as f:
        writes = [json.loads(line) for line in f]
    ends = {"client": set(), "server": set()}   # stream offsets where a write ends
    pos = {"client": 0, "server": 0}
    for w in writes:
        pos[w["side"]] += w["bytes"]
        ends[w["side"]].add(pos[w["side"]])
    together, seen = set(), set()
    for frame, side, seq, length in data_segments(os.path.join(CONN, name + ".pcap")):
        if (side, seq) in seen:                # a copy: the writes were counted
            continue
        seen.add((side, seq))
        inside = [e for e in ends[side] if seq < e < seq + length]
        if seq + length not in ends[side] and seq + length != pos[side]:
            bad("%s: frame %d ends inside a write: the log and the capture disagree"
                % (name, frame))
        if inside:
            together.add(frame)
    return together, len(writes)


def said(pktlens, name):
    path = os.path.join(CONN, name + ".pcap")
    frames = set()
    out = subprocess.run([pktlens, "read", "--json", path], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        rec = json.loads(line)
        if any(n.get("note") == "conn.coalesced" for n in rec.get("notes", [])):
            frames.add(rec["frame.number"])
    conns = subprocess.run([pktlens, "conns", "--json", path], check=True,
                           capture_output=True, text=True).stdout
    counted = sum(json.loads(line).get("coalesced_segments", 0)
                  for line in conns.splitlines() if line.strip())
    return frames, counted


def main():
    pktlens = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "pktlens")
    for name in CAPTURES:
        want, n_writes = truth(name)
        got, counted = said(pktlens, name)
        if got != want:
            bad("%s: coalesced segments: pktlens says frames %s, the %d logged writes say %s"
                % (name, sorted(got), n_writes, sorted(want)))
        elif counted != len(want):
            bad("%s: conns counts %d coalesced segments, the writes say %d"
                % (name, counted, len(want)))
        else:
            print("ok  %s: %d segments held several of the %d writes: frames %s"
                  % (name, len(want), n_writes, sorted(want)))
    print("nagle-writes: %d passed, %d failed" % (len(CAPTURES) - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
