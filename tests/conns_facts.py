#!/usr/bin/python3
"""The connection tracker against captures/conn/facts.json: for every TCP
scenario recorded from real kernels (closes, resets, loss, reordering,
zero window, keep-alive, Nagle, CLOSE_WAIT), `pktlens conns --json` must
give the recorded handshake frames, closer, final states of both ends and
TIME_WAIT holder, and `pktlens read --json` must mark as many frames with
each tcp.analysis flag as tshark did when the capture was recorded (its
counts are in facts.json), with the same totals in the conns record.  Prints "conns-facts: N passed, M failed"."""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FACTS = os.path.join(ROOT, "captures", "conn", "facts.json")
FIELDS = ("client", "server", "handshake_frames", "close", "client_state",
          "server_state", "time_wait")

def main():
    facts = json.load(open(FACTS))["captures"]
    passed = failed = 0
    for name, fact in sorted(facts.items()):
        if "client_state" not in fact:
            continue    # ARP and ICMP scenarios: not tracked yet
        out = subprocess.run([os.path.join(ROOT, "pktlens"), "conns", "--json",
                              os.path.join(ROOT, "captures", "conn", name)],
                             capture_output=True, text=True)
        conns = [json.loads(line) for line in out.stdout.splitlines()]
        if out.returncode != 0 or len(conns) != 1:
            print(f"FAIL: {name}: exit {out.returncode}, {len(conns)} connections")
            failed += 1
            continue
        # tshark's tcp.analysis counts, recorded with the capture: the
        # frames pktlens marks with each flag, and the connection's totals.
        frames = [json.loads(line) for line in subprocess.run(
            [os.path.join(ROOT, "pktlens"), "read", "--json",
             os.path.join(ROOT, "captures", "conn", name)],
            capture_output=True, text=True).stdout.splitlines()]
        for flag, want in sorted(fact.get("tcp_analysis", {}).items()):
            got = sum(1 for f in frames if f.get("tcp.analysis." + flag))
            if got == want:
                passed += 1
            else:
                print(f"FAIL: {name}: tcp.analysis.{flag}: tshark counted {want}, pktlens {got}")
                failed += 1
        totals = {"retransmissions": "retransmission", "dup_acks": "duplicate_ack",
                  "out_of_order": "out_of_order", "zero_windows": "zero_window"}
        for key, flag in totals.items():
            want = fact.get("tcp_analysis", {}).get(flag, 0)
            if conns[0].get(key) == want:
                passed += 1
            else:
                print(f"FAIL: {name}: conns {key}: wanted {want}, got {conns[0].get(key)}")
                failed += 1
        for field in FIELDS:
            want = fact.get(field, fact.get("closer") if field == "close" else None)
            got = conns[0].get(field)
            if want == got:
                passed += 1
            else:
                print(f"FAIL: {name}: {field}: wanted {want!r}, got {got!r}")
                failed += 1
    print(f"conns-facts: {passed} passed, {failed} failed")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
