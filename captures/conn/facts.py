#!/usr/bin/python3
"""facts.py - asserted facts for the captures in captures/conn/.

    captures/conn/facts.py            regenerate facts.json (needs tshark)
    captures/conn/facts.py --check    only check; exit 1 on any mismatch
    captures/conn/facts.py --check-one NAME.pcap   check one capture
    captures/conn/facts.py --verify-counts [--check]   also count every
        tcp.analysis flag the slow way (tshark -r F -Y tcp.analysis.FLAG,
        one run per flag) and fail if that differs from the fast count

Two kinds of facts go into facts.json for every capture:

* derived: computed here from the capture with tshark: frame counts, the
  TCP endpoints, handshake/FIN/RST frames, the number (and the frames) of
  every tcp.analysis flag tshark raises, `-z conv,tcp`, ARP request/reply
  pairs and conflicting claims, ICMP echo pairs and errors;
* reasoned: who closed first, each end's final RFC 9293 state, who holds
  TIME_WAIT, what the scenario is meant to show.  These were written by
  reading the frames (table SCENARIOS below) and are checked here against
  the derived facts and against what the kernels reported while recording
  (kernel-states.json, written by record.sh: `ss` states of both ends and
  the TCP MIB counters that moved).  A reasoned fact that disagrees with the
  capture makes this script fail instead of writing facts.json.

record.sh also calls this script: --record-states (kernel-states.json),
--check-crossed (simultaneous-close: did the FINs cross?) and --record-pmtu
(pmtu-drop.truth.json: the router's and the client's view of the PMTU drop).
"""
import json
import os
import re
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
STATES_FILE = os.path.join(HERE, "kernel-states.json")
FACTS_FILE = os.path.join(HERE, "facts.json")

CLIENT_IP = "10.79.1.1"
SERVER_IP = "10.79.1.2"
CLIENT_MAC = "52:54:00:0c:00:01"
SERVER_MAC = "52:54:00:0c:00:02"
ROGUE_MAC = "52:54:00:0c:00:99"

AT_CLIENT = "client veth pkl-c0 (namespace pkl-cn-c)"
AT_SERVER = "server veth pkl-s0 (namespace pkl-cn-s)"
AT_MIDDLE = "middle of the path: veth pkl-x1 (namespace pkl-cn-m), between the two forwarders"
PMTU_TRUTH = os.path.join(HERE, "pmtu-drop.truth.json")

# The tcp.analysis flags counted for every TCP capture (the first twelve
# are the ones the tracker is specified against; the others come free).
FLAGS = ["retransmission", "fast_retransmission", "spurious_retransmission",
         "duplicate_ack", "out_of_order", "lost_segment", "zero_window",
         "zero_window_probe", "window_update", "window_full", "keep_alive",
         "keep_alive_ack", "zero_window_probe_ack", "ack_lost_segment",
         "reused_ports"]

# ---------------------------------------------------------------- reasoned
# Per capture: what it shows and the facts read off its frames.  State names
# are RFC 9293's (CLOSED for "no TCB", e.g. after a reset or when no socket
# ever existed).  "forwarder" is the pktfwd rule (counted frames: see
# tools/forwarder/pktfwd.c).
SCENARIOS = {
    "client-close.pcap": {
        "shows": "handshake, request/reply, the client closes first; the "
                 "server's FIN carries the ACK of the client's FIN (3 "
                 "segments of teardown)",
        "capture_point": AT_CLIENT, "forwarder": None,
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8101",
                "closer": "client-first", "client_state": "TIME_WAIT",
                "server_state": "CLOSED", "time_wait": "client"},
    },
    "server-close.pcap": {
        "shows": "handshake, request/reply, the server closes first",
        "capture_point": AT_CLIENT, "forwarder": None,
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8102",
                "closer": "server-first", "client_state": "CLOSED",
                "server_state": "TIME_WAIT", "time_wait": "server"},
    },
    "simultaneous-close.pcap": {
        "shows": "both ends call shutdown(SHUT_WR) at one shared instant; "
                 "pktfwd holds the first FIN until the second has passed, "
                 "so the FINs cross: neither FIN acknowledges the other, "
                 "both ends go FIN_WAIT_1 -> CLOSING -> TIME_WAIT",
        "capture_point": AT_CLIENT,
        "forwarder": "--match tcpfin --dir both --swap-nth 1 "
                     "--swap-timeout 2000 (log: simultaneous-close.pktfwd.log)",
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8103",
                "closer": "simultaneous", "client_state": "TIME_WAIT",
                "server_state": "TIME_WAIT", "time_wait": "both",
                "fins_crossed": True},
    },
    "rst-abort.pcap": {
        "shows": "established, request/reply, then the client aborts "
                 "(SO_LINGER {1, 0} + close()): one RST/ACK, no FIN",
        "capture_point": AT_CLIENT, "forwarder": None,
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8104",
                "closer": "reset-by-client", "client_state": "CLOSED",
                "server_state": "CLOSED", "time_wait": None},
    },
    "syn-closed-port.pcap": {
        "shows": "SYN to a port with no listener, answered by RST/ACK "
                 "(ack = ISN+1, seq 0, window 0)",
        "capture_point": AT_CLIENT, "forwarder": None,
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8105",
                "closer": "never-established", "rst_by": "server",
                "client_state": "CLOSED", "server_state": "CLOSED",
                "time_wait": None},
    },
    "half-open-probe.pcap": {
        "shows": "SYN-scan style probe: a SYN crafted with scapy (window "
                 "1024, MSS only), the listening server answers SYN/ACK "
                 "(after ARPing for the client: the crafted SYN did not "
                 "teach it the client's MAC), the client's kernel has no "
                 "socket and answers RST",
        "capture_point": AT_CLIENT, "forwarder": None,
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8106",
                "closer": "never-established", "rst_by": "client",
                "client_state": "CLOSED", "server_state": "LISTEN",
                "time_wait": None,
                "note": "server_state: the server's TCB for this connection "
                        "was in SYN-RECEIVED; a RST there returns a passively "
                        "opened connection to LISTEN (RFC 9293 3.10.7.3) - "
                        "Linux drops the request socket and the listener "
                        "stays. The client never had a TCB (CLOSED)."},
    },
    "retransmit-loss.pcap": {
        "shows": "50 000 bytes client -> server (35 segments); pktfwd "
                 "drops the 5th and the 36th client data segment it sees "
                 "(the fast retransmission is the 16th or so): the 5th "
                 "segment is repaired by a fast retransmission after SACKed "
                 "duplicate ACKs, the last one (carrying the FIN) by a "
                 "timer retransmission about 0.2 s later, which the client "
                 "kernel counts as a tail loss probe (TCPLossProbes in "
                 "kernel-states.json)",
        "capture_point": AT_CLIENT,
        "forwarder": "--match tcpdata --dir a2b --drop-nth 5,36 "
                     "(log: retransmit-loss.pktfwd.log)",
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8107",
                "closer": "client-first", "client_state": "TIME_WAIT",
                "server_state": "CLOSED", "time_wait": "client"},
    },
    "reorder.pcap": {
        "shows": "20 000 bytes client -> server; pktfwd sends the 4th "
                 "client data segment after the 5th, so the server receives "
                 "them out of order (SACK block in its ACK, then the "
                 "out-of-order segment fills the hole); no retransmission",
        "capture_point": AT_SERVER,
        "forwarder": "--match tcpdata --dir a2b --swap-nth 4 "
                     "(log: reorder.pktfwd.log)",
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8108",
                "closer": "client-first", "client_state": "TIME_WAIT",
                "server_state": "CLOSED", "time_wait": "client"},
    },
    "zero-window.pcap": {
        "shows": "16 000 bytes into a server with SO_RCVBUF 2048 (set "
                 "before listen: window scale 0, window 1448) that does not "
                 "read for 1 s: window full, zero window, Linux window "
                 "probes (seq = SND.UNA-1, no payload, so tshark calls them "
                 "keep-alives), window update when the server reads",
        "capture_point": AT_CLIENT, "forwarder": None,
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8109",
                "closer": "client-first", "client_state": "TIME_WAIT",
                "server_state": "CLOSED", "time_wait": "client"},
    },
    "keepalive.pcap": {
        "shows": "request/reply, then the client (SO_KEEPALIVE, "
                 "TCP_KEEPIDLE=1, TCP_KEEPINTVL=1) idles 3.5 s: three "
                 "keep-alives (seq = SND.NXT-1, no payload) one second "
                 "apart, each answered, then the client closes",
        "capture_point": AT_CLIENT, "forwarder": None,
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8110",
                "closer": "client-first", "client_state": "TIME_WAIT",
                "server_state": "CLOSED", "time_wait": "client"},
    },
    "nagle.pcap": {
        "shows": "20 writes of 10 bytes back to back without TCP_NODELAY: "
                 "the first goes out alone, Nagle holds the rest until its "
                 "ACK (one RTT later) and sends them as one 190-byte "
                 "segment; one reply",
        "capture_point": AT_CLIENT, "forwarder": None,
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8111",
                "closer": "client-first", "client_state": "TIME_WAIT",
                "server_state": "CLOSED", "time_wait": "client"},
    },
    "nagle-paced.pcap": {
        "shows": "40 writes of 10 bytes 6 ms apart without TCP_NODELAY "
                 "(RTT 10 ms): Nagle holds some writes back alone and sends "
                 "others together; one reply. Every write is logged in "
                 "nagle-paced.writes.jsonl",
        "capture_point": AT_CLIENT, "forwarder": None,
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8116",
                "closer": "client-first", "client_state": "TIME_WAIT",
                "server_state": "CLOSED", "time_wait": "client"},
    },
    "request-reply.pcap": {
        "shows": "five requests and replies of different sizes, one write "
                 "each; two replies come 60 ms late, after a delayed ACK. "
                 "Every write is logged in request-reply.writes.jsonl",
        "capture_point": AT_CLIENT, "forwarder": None,
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8117",
                "closer": "client-first", "client_state": "TIME_WAIT",
                "server_state": "CLOSED", "time_wait": "client"},
    },
    "close-wait.pcap": {
        "shows": "request/reply, the client closes, the server ACKs the FIN "
                 "but never closes while the capture runs",
        "capture_point": AT_CLIENT, "forwarder": None,
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8112",
                "closer": "client-first", "client_state": "FIN_WAIT_2",
                "server_state": "CLOSE_WAIT", "time_wait": None},
    },
    "loss-upstream.pcap": {
        "shows": "50 000 bytes client -> server; pktfwd drops the 5th "
                 "client data segment, upstream of the capture on the "
                 "server's veth: the server sees the gap, SACKs what lies "
                 "beyond it, and the client's fast retransmission fills it "
                 "a round trip later",
        "capture_point": AT_SERVER,
        "forwarder": "--match tcpdata --dir a2b --drop-nth 5 "
                     "(log: loss-upstream.pktfwd.log)",
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8113",
                "closer": "client-first", "client_state": "TIME_WAIT",
                "server_state": "CLOSED", "time_wait": "client"},
    },
    "loss-middle.pcap": {
        "shows": "60 000 bytes client -> server through two forwarders, "
                 "each 5 ms each way, captured between them: the first "
                 "(client side) drops two client data segments upstream of "
                 "the capture (never seen there; their resends fill gaps), "
                 "the second (server side) two downstream of it (seen once, "
                 "then again when resent)",
        "capture_point": AT_MIDDLE,
        "forwarder": "client side: --match tcpdata --dir a2b --drop-nth 5,27 "
                     "(log: loss-middle.client-side.pktfwd.log); server side: "
                     "--match tcpdata --dir a2b --drop-nth 20,33 "
                     "(log: loss-middle.server-side.pktfwd.log)",
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8118",
                "closer": "client-first", "client_state": "TIME_WAIT",
                "server_state": "CLOSED", "time_wait": "client"},
    },
    "half-open-repeat.pcap": {
        "shows": "a half-open probe repeated one second later on the same "
                 "4-tuple with the same ISN (scapy, logged in "
                 "half-open-repeat.probes.log): the first SYN is answered "
                 "SYN/ACK by the listener and reset by the client's kernel "
                 "(no socket); the second, a new attempt, is refused with "
                 "RST/ACK by the server's kernel (its counters: one "
                 "embryonic reset, one RST sent; the listener was no longer "
                 "taking it): two attempts, two conversations, no "
                 "retransmission",
        "capture_point": AT_CLIENT, "forwarder": None,
        "tcp": {"client": "10.79.1.1:*", "server": "10.79.1.2:8114",
                "closer": "never-established", "rst_by": "client",
                "client_state": "CLOSED", "server_state": "LISTEN",
                "time_wait": None, "conversations": 2,
                "note": "the states are the first conversation's; the "
                        "second ends CLOSED on both sides (refused)"},
    },
    "pmtu-drop.pcap": {
        "shows": "20 000 bytes client -> server through a Linux router "
                 "(namespace pkl-cn-pr, ip_forward=1) whose server-side link "
                 "has MTU 1280 while both ends have 1500 (pktfwd beyond the "
                 "router only delays frames): the router drops "
                 "every full-size DF segment with ICMP fragmentation needed "
                 "(next-hop MTU 1280), the client lowers its path MTU and "
                 "resends those bytes at once in segments that fit; the "
                 "truth (the router's ICMP counters, the client's route and "
                 "socket, the writes) is in pmtu-drop.truth.json",
        "capture_point": "client veth pkl-pc0 (namespace pkl-cn-pc)",
        "forwarder": None,
        "tcp": {"client": "10.79.2.1:*", "server": "10.79.3.2:8118",
                "closer": "client-first", "client_state": "TIME_WAIT",
                "server_state": "CLOSED", "time_wait": "client"},
    },
    "arp-conflict.pcap": {
        "shows": "ARP request/reply + echo; then a second MAC "
                 "(52:54:00:0c:00:99, crafted with scapy) claims 10.79.1.2 "
                 "with a gratuitous ARP request and an unsolicited ARP "
                 "reply; the client's next echo request goes to that MAC "
                 "and is never answered; the server ARPs for the client "
                 "(its request claims 10.79.1.2 for the real MAC again) and "
                 "pings it; the client re-ARPs and pings once more",
        "capture_point": AT_CLIENT, "forwarder": None,
        "arp": {"conflict_ip": SERVER_IP,
                "conflict_macs": [SERVER_MAC, ROGUE_MAC]},
    },
    "ping-loss.pcap": {
        "shows": "ping -c 6 -i 0.2; pktfwd drops the 2nd and the 5th echo "
                 "request, so seq 2 and 5 have no reply",
        "capture_point": AT_CLIENT,
        "forwarder": "--match icmp --dir a2b --drop-nth 2,5 "
                     "(log: ping-loss.pktfwd.log)",
        "icmp": {"lost_request_seqs": [2, 5]},
    },
    "port-unreachable.pcap": {
        "shows": "two UDP datagrams to closed port 33434, each answered by "
                 "ICMP destination unreachable (port unreachable) quoting it",
        "capture_point": AT_CLIENT, "forwarder": None,
        "icmp": {"port_unreachable": 2},
    },
}

# What each capture must show (checked by --check-one right after recording,
# and on every regeneration): tcp.analysis flag counts as (min, max), and
# kernel MIB counters that must not have moved on either end.
NO_TROUBLE = {"retransmission": (0, 0), "fast_retransmission": (0, 0),
              "spurious_retransmission": (0, 0), "duplicate_ack": (0, 0),
              "out_of_order": (0, 0), "lost_segment": (0, 0),
              "zero_window": (0, 0), "keep_alive": (0, 0)}
EXPECT = {
    "client-close.pcap": NO_TROUBLE,
    "server-close.pcap": NO_TROUBLE,
    "simultaneous-close.pcap": NO_TROUBLE,
    "rst-abort.pcap": NO_TROUBLE,
    "syn-closed-port.pcap": NO_TROUBLE,
    "half-open-probe.pcap": NO_TROUBLE,
    "nagle.pcap": NO_TROUBLE,
    "nagle-paced.pcap": NO_TROUBLE,
    "request-reply.pcap": NO_TROUBLE,
    "close-wait.pcap": NO_TROUBLE,
    "retransmit-loss.pcap": {"retransmission": (2, 2),
                             "fast_retransmission": (1, 1),
                             "duplicate_ack": (3, None),
                             "spurious_retransmission": (0, 0)},
    "reorder.pcap": {"out_of_order": (1, 1), "retransmission": (0, 0),
                     "lost_segment": (1, 1)},
    "zero-window.pcap": {"zero_window": (1, None), "window_update": (1, None),
                         "window_full": (1, None), "keep_alive": (2, None),
                         "retransmission": (0, 0)},
    "keepalive.pcap": {"keep_alive": (2, 3), "keep_alive_ack": (2, 3),
                       "retransmission": (0, 0), "duplicate_ack": (0, 0)},
    "loss-upstream.pcap": {"lost_segment": (1, 1), "spurious_retransmission": (0, 0)},
    "loss-middle.pcap": {"lost_segment": (2, 2), "spurious_retransmission": (0, 0)},
    "half-open-repeat.pcap": {"out_of_order": (0, 0), "lost_segment": (0, 0)},
}
# scenarios where no segment may have been retransmitted at all
NO_RETRANS = {"client-close", "server-close", "simultaneous-close",
              "rst-abort", "half-open-probe", "reorder", "zero-window",
              "keepalive", "nagle", "close-wait", "nagle-paced",
              "request-reply", "half-open-repeat"}

VERIFY_COUNTS = False

SS_STATES = {"ESTAB": "ESTABLISHED", "SYN-SENT": "SYN_SENT",
             "SYN-RECV": "SYN_RECEIVED", "FIN-WAIT-1": "FIN_WAIT_1",
             "FIN-WAIT-2": "FIN_WAIT_2", "TIME-WAIT": "TIME_WAIT",
             "CLOSE-WAIT": "CLOSE_WAIT", "LAST-ACK": "LAST_ACK",
             "LISTEN": "LISTEN", "CLOSING": "CLOSING", "UNCONN": "CLOSED"}


# ---------------------------------------------------------------- tshark
def tshark(pcap, *args):
    cmd = ["tshark", "-r", pcap, "-n"] + list(args)
    return subprocess.run(cmd, check=True, capture_output=True,
                          text=True).stdout


def tshark_fields(pcap, fields, dfilter=None, occurrence="f"):
    args = ["-T", "fields", "-E", "separator=\t",
            "-E", "occurrence=%s" % occurrence, "-E", "aggregator=,"]
    if dfilter:
        args += ["-Y", dfilter]
    for f in fields:
        args += ["-e", f]
    rows = []
    for line in tshark(pcap, *args).splitlines():
        vals = line.split("\t")
        vals += [""] * (len(fields) - len(vals))
        rows.append(dict(zip(fields, vals)))
    return rows


def frames_matching(pcap, dfilter):
    """Frame numbers tshark shows for a display filter (the same as
    `tshark -r F -Y FILTER | wc -l` when counted)."""
    return [int(r["frame.number"])
            for r in tshark_fields(pcap, ["frame.number"], dfilter)]


def analysis_frames(pcap):
    """{flag: [frame numbers]} for every tcp.analysis flag in FLAGS, from one
    tshark -T json pass: a frame matches the display filter
    tcp.analysis.FLAG exactly when that field is in its tree (all of them
    are FT_NONE).  --verify-counts checks this against
    `tshark -Y tcp.analysis.FLAG` for every flag."""
    out = tshark(pcap, "-T", "json", "--no-duplicate-keys")
    found = {fl: [] for fl in FLAGS}
    wanted = {"tcp.analysis." + fl: fl for fl in FLAGS}

    def walk(o, acc):
        if isinstance(o, dict):
            for k, v in o.items():
                if k in wanted:
                    acc.add(wanted[k])
                walk(v, acc)
        elif isinstance(o, list):
            for v in o:
                walk(v, acc)
    for pkt in json.loads(out):
        layers = pkt["_source"]["layers"]
        num = int(layers["frame"]["frame.number"])
        acc = set()
        walk(layers, acc)
        for fl in acc:
            found[fl].append(num)
    return found


def pcap_header(pcap):
    with open(pcap, "rb") as f:
        hdr = f.read(24)
    magic = hdr[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    _, _, _, _, _, snaplen, linktype = struct.unpack(endian + "IHHiIII", hdr)
    return snaplen, linktype


def flag(v):
    return v in ("1", "True")


def tcp_segments(pcap):
    fields = ["frame.number", "ip.src", "tcp.srcport", "ip.dst",
              "tcp.dstport", "tcp.flags.syn", "tcp.flags.ack", "tcp.flags.fin",
              "tcp.flags.reset", "tcp.seq_raw", "tcp.ack_raw", "tcp.seq",
              "tcp.len", "tcp.window_size_value"]
    segs = []
    # not the TCP header an ICMP error quotes
    for r in tshark_fields(pcap, fields, "tcp && !icmp"):
        segs.append({
            "frame": int(r["frame.number"]),
            "src": "%s:%s" % (r["ip.src"], r["tcp.srcport"]),
            "dst": "%s:%s" % (r["ip.dst"], r["tcp.dstport"]),
            "syn": flag(r["tcp.flags.syn"]), "ack": flag(r["tcp.flags.ack"]),
            "fin": flag(r["tcp.flags.fin"]), "rst": flag(r["tcp.flags.reset"]),
            "seq": int(r["tcp.seq_raw"]),
            "ackno": int(r["tcp.ack_raw"]) if r["tcp.ack_raw"] else None,
            "relseq": int(r["tcp.seq"]),
            "len": int(r["tcp.len"] or 0),
        })
    return segs


# ---------------------------------------------------------------- crossing
def went_through_closing(pcap, me):
    """True if, in a capture taken at host `me` (an IP), `me` sent a FIN and
    then received the peer's FIN before any segment acknowledging its own
    FIN: the FINs crossed and `me` went FIN_WAIT_1 -> CLOSING."""
    segs = tcp_segments(pcap)
    mine = [s for s in segs if s["fin"] and s["src"].split(":")[0] == me]
    if not mine:
        return False
    fin = mine[0]
    fin_ack = (fin["seq"] + fin["len"] + 1) & 0xffffffff
    peer_fin = None
    for s in segs:
        if s["frame"] <= fin["frame"] or s["src"].split(":")[0] == me:
            continue
        if s["ackno"] == fin_ack:
            return peer_fin is not None
        if s["fin"] and peer_fin is None:
            peer_fin = s
    return False


def check_crossed(sc, client_pcap, server_pcap):
    c = went_through_closing(client_pcap, CLIENT_IP)
    s = went_through_closing(server_pcap, SERVER_IP)
    print("  FINs crossed: client CLOSING=%s, server CLOSING=%s" % (c, s))
    states = load_states()
    entry = states.setdefault(sc, {})
    entry["fins_crossed"] = {
        "client_went_through_closing": c,
        "server_went_through_closing": s,
        "how": "captures on both veths: each end received the other's FIN "
               "after sending its own and before its own FIN was "
               "acknowledged",
    }
    save_states(states)
    return c and s


# ---------------------------------------------------------------- states
def load_states():
    try:
        with open(STATES_FILE) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def save_states(states):
    with open(STATES_FILE, "w") as f:
        json.dump(dict(sorted(states.items())), f, indent=2)
        f.write("\n")


def read_mib(path, sections=("Tcp", "TcpExt")):
    """The counters of some sections (default: Tcp of snmp, TcpExt of
    netstat) of a /proc/net/{snmp,netstat} dump."""
    vals = {}
    lines = open(path).read().splitlines()
    for a, b in zip(lines, lines[1:]):
        ka, _, na = a.partition(":")
        kb, _, nb = b.partition(":")
        if ka != kb or ka not in sections:
            continue
        names, nums = na.split(), nb.split()
        if names and not names[0].lstrip("-").isdigit() and \
                all(n.lstrip("-").isdigit() for n in nums):
            for n, v in zip(names, nums):
                vals["%s.%s" % (ka, n)] = int(v)
    return vals


def mib_delta(before, after, sections=("Tcp", "TcpExt")):
    a, b = read_mib(before, sections), read_mib(after, sections)
    return {k: b[k] - a.get(k, 0) for k in sorted(b)
            if b[k] != a.get(k, 0) and k != "Tcp.CurrEstab"}


def record_pmtu(out, link, route, client_log, r0, r1, c0, c1):
    """pmtu-drop.truth.json: what the kernels and the client said while
    pmtu-drop was recorded.  `link` is `ip -o link show` of the router's
    server-side link, `route` the client's `ip route get SERVER` after the
    transfer, `client_log` the client program's log (its send() sizes, the
    IP_MTU of its socket at connect and at close, its TCP_INFO pmtu,
    snd_mss and total_retrans); r0/r1 and c0/c1 the router's and the
    client's /proc/net/{snmp,netstat} before and after."""
    app = json.load(open(client_log))
    route_text = open(route).read().strip()
    m = re.search(r"\bmtu (\d+)", route_text)
    icmp = ("Ip", "Icmp", "IcmpMsg", "Tcp")
    truth = {
        "about": "written by record.sh (facts.py --record-pmtu) while pmtu-drop.pcap "
                 "was recorded; counters are the change over the recording",
        "router": {"namespace": "pkl-cn-pr",
                   "server_side_link": " ".join(link.split()),
                   "server_side_mtu": int(re.search(r"\bmtu (\d+)", link).group(1)),
                   "counters": mib_delta(r0, r1, icmp)},
        "client": {"namespace": "pkl-cn-pc",
                   "route_get": " ".join(route_text.split()),
                   "route_mtu": int(m.group(1)) if m else None,
                   "ip_mtu_at_connect": app["ip_mtu_at_connect"],
                   "ip_mtu_at_close": app["ip_mtu_at_close"],
                   "tcp_info": app["tcp_info"],
                   "counters": mib_delta(c0, c1, icmp)},
        "writes": app["writes"],
    }
    with open(out, "w") as f:
        json.dump(truth, f, indent=2)
        f.write("\n")
    print("  %s: router dropped %s, client path MTU %s" %
          (os.path.basename(out), truth["router"]["counters"].get("Ip.FragFails"),
           truth["client"]["route_mtu"]))


def record_states(sc, cfile, sfile, *mibs):
    def parse(p):
        out = []
        for line in open(p):
            parts = line.split()
            if len(parts) >= 5:
                out.append({"state": parts[0], "local": parts[3],
                            "peer": parts[4]})
        return out
    states = load_states()
    states[sc] = {"client": parse(cfile), "server": parse(sfile)}
    if len(mibs) == 4:
        states[sc]["mib_delta"] = {"client": mib_delta(mibs[0], mibs[1]),
                                   "server": mib_delta(mibs[2], mibs[3])}
    save_states(states)


# ---------------------------------------------------------------- derive
def parse_conv(pcap):
    out = tshark(pcap, "-q", "-z", "conv,tcp")
    convs = []
    for line in out.splitlines():
        m = re.match(r"^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(.+?bytes|.+?[kMG]B)\s+"
                     r"(\d+)\s+(.+?bytes|.+?[kMG]B)\s+(\d+)\s+(.+?bytes|.+?[kMG]B)"
                     r"\s+(\S+)\s+(\S+)\s*$", line)
        if m:
            convs.append({
                "a": m.group(1), "b": m.group(2),
                "frames_b_to_a": int(m.group(3)), "bytes_b_to_a": m.group(4),
                "frames_a_to_b": int(m.group(5)), "bytes_a_to_b": m.group(6),
                "frames": int(m.group(7)), "bytes": m.group(8),
                "rel_start": float(m.group(9)), "duration": float(m.group(10)),
            })
    return convs


def derive_tcp(pcap, segs):
    syns = [s for s in segs if s["syn"] and not s["ack"]]
    if not syns:
        return None
    client = syns[0]["src"]
    server = syns[0]["dst"]
    d = {"client": client, "server": server}
    who = lambda s: "client" if s["src"] == client else "server"

    # three-way handshake
    hs = None
    syn = syns[0]
    synack = next((s for s in segs if s["syn"] and s["ack"] and
                   s["src"] == server and
                   s["ackno"] == (syn["seq"] + 1) & 0xffffffff), None)
    if synack:
        ack = next((s for s in segs if s["frame"] > synack["frame"] and
                    s["src"] == client and not s["syn"] and not s["rst"] and
                    s["ack"] and
                    s["ackno"] == (synack["seq"] + 1) & 0xffffffff), None)
        if ack:
            hs = [syn["frame"], synack["frame"], ack["frame"]]
    d["handshake_frames"] = hs
    d["syn_frames"] = [s["frame"] for s in segs if s["syn"] and not s["ack"]]
    d["synack_frames"] = [s["frame"] for s in segs if s["syn"] and s["ack"]]

    fins, seen = [], set()
    for s in segs:
        if s["fin"]:
            key = (s["src"], s["seq"] + s["len"])
            fins.append({"frame": s["frame"], "from": who(s),
                         "retransmission": key in seen})
            seen.add(key)
    d["fin_frames"] = [f["frame"] for f in fins]
    d["fins"] = fins
    d["rst_frames"] = [{"frame": s["frame"], "from": who(s),
                        "ack_flag": s["ack"]} for s in segs if s["rst"]]

    # did the FINs cross? (each side's first FIN does not ack the other's)
    first = {}
    for s in segs:
        if s["fin"] and who(s) not in first:
            first[who(s)] = s
    crossed = None
    if len(first) == 2:
        c, v = first["client"], first["server"]
        c_fin_ack = (c["seq"] + c["len"] + 1) & 0xffffffff
        v_fin_ack = (v["seq"] + v["len"] + 1) & 0xffffffff
        crossed = v["ackno"] != c_fin_ack and c["ackno"] != v_fin_ack
    d["fins_crossed_in_capture"] = crossed
    d["first_fin_from"] = fins[0]["from"] if fins else None

    # payload per direction: highest relative sequence reached
    for direction, src in (("client_to_server", client),
                           ("server_to_client", server)):
        top = max([s["relseq"] + s["len"] - 1 for s in segs
                   if s["src"] == src and s["len"] > 0] or [0])
        d.setdefault("payload_bytes", {})[direction] = top
    d["data_segments"] = {
        "client_to_server": sum(1 for s in segs if s["src"] == client and s["len"]),
        "server_to_client": sum(1 for s in segs if s["src"] == server and s["len"]),
    }

    counts, frames = {}, {}
    found = analysis_frames(pcap)
    for fl in FLAGS:
        fr = found[fl]
        if VERIFY_COUNTS:
            slow = frames_matching(pcap, "tcp.analysis.%s" % fl)
            if slow != fr:
                raise SystemExit("facts.py: %s: tcp.analysis.%s: -Y gives %s, "
                                 "json gives %s" % (pcap, fl, slow, fr))
        counts[fl] = len(fr)
        if fr:
            frames[fl] = fr
    d["tcp_analysis"] = counts
    d["tcp_analysis_frames"] = frames
    d["expert_messages"] = [
        {"frame": int(r["frame.number"]), "message": r["_ws.expert.message"]}
        for r in tshark_fields(pcap, ["frame.number", "_ws.expert.message"],
                               "tcp.analysis.flags", occurrence="a")]
    d["conv_tcp"] = parse_conv(pcap)
    return d


def derive_arp(pcap):
    fields = ["frame.number", "arp.opcode", "arp.src.hw_mac",
              "arp.src.proto_ipv4", "arp.dst.hw_mac", "arp.dst.proto_ipv4",
              "eth.dst"]
    rows = tshark_fields(pcap, fields, "arp")
    if not rows:
        return None
    arps = [{"frame": int(r["frame.number"]), "op": int(r["arp.opcode"]),
             "sha": r["arp.src.hw_mac"], "spa": r["arp.src.proto_ipv4"],
             "tha": r["arp.dst.hw_mac"], "tpa": r["arp.dst.proto_ipv4"],
             "eth_dst": r["eth.dst"]} for r in rows]
    pairs, unanswered, gratuitous, used = [], [], [], set()
    for a in arps:
        if a["op"] == 1 and a["spa"] == a["tpa"]:
            gratuitous.append({"frame": a["frame"], "op": "request",
                               "ip": a["spa"], "mac": a["sha"]})
            continue
        if a["op"] != 1:
            continue
        rep = next((b for b in arps if b["frame"] > a["frame"] and
                    b["op"] == 2 and b["frame"] not in used and
                    b["spa"] == a["tpa"] and b["tpa"] == a["spa"] and
                    b["tha"] == a["sha"]), None)
        if rep:
            used.add(rep["frame"])
            pairs.append({"request": a["frame"], "reply": rep["frame"],
                          "who_has": a["tpa"], "asked_by": a["spa"],
                          "is_at": rep["sha"]})
        else:
            unanswered.append({"frame": a["frame"], "who_has": a["tpa"]})
    unsolicited = [{"frame": b["frame"], "ip": b["spa"], "mac": b["sha"]}
                   for b in arps if b["op"] == 2 and b["frame"] not in used]
    claims = {}
    for a in arps:
        if a["spa"] != "0.0.0.0":
            claims.setdefault(a["spa"], {}).setdefault(a["sha"], []).append(
                a["frame"])
    conflicts = [{"ip": ip, "macs": macs} for ip, macs in sorted(claims.items())
                 if len(macs) > 1]
    return {"pairs": pairs, "unanswered_requests": unanswered,
            "gratuitous": gratuitous, "unsolicited_replies": unsolicited,
            "conflicts": conflicts}


def derive_icmp(pcap):
    fields = ["frame.number", "icmp.type", "icmp.code", "icmp.ident",
              "icmp.seq", "ip.src", "ip.dst", "eth.dst", "ip.id"]
    rows = tshark_fields(pcap, fields, "icmp", occurrence="a")
    if not rows:
        return None
    echo, errors = [], []
    reqs = []
    for r in rows:
        t = int(r["icmp.type"].split(",")[0])
        fr = int(r["frame.number"])
        if t == 8:
            reqs.append({"frame": fr, "id": int(r["icmp.ident"].split(",")[0]),
                         "seq": int(r["icmp.seq"].split(",")[0]),
                         "src": r["ip.src"].split(",")[0],
                         "dst": r["ip.dst"].split(",")[0],
                         "eth_dst": r["eth.dst"], "reply": None})
        elif t == 0:
            ident = int(r["icmp.ident"].split(",")[0])
            seq = int(r["icmp.seq"].split(",")[0])
            src = r["ip.src"].split(",")[0]
            q = next((q for q in reqs if q["reply"] is None and
                      q["id"] == ident and q["seq"] == seq and
                      q["dst"] == src), None)
            if q:
                q["reply"] = fr
        else:
            ids = r["ip.id"].split(",")
            quoted = None
            if len(ids) > 1:
                inner = ids[1]
                m = tshark_fields(pcap, ["frame.number"],
                                  "ip.id == %s && !icmp" % inner)
                quoted = int(m[0]["frame.number"]) if m else None
            errors.append({"frame": fr, "type": t,
                           "code": int(r["icmp.code"].split(",")[0]),
                           "quotes_frame": quoted})
    for q in reqs:
        echo.append({"id": q["id"], "seq": q["seq"], "request": q["frame"],
                     "reply": q["reply"], "from": q["src"], "to": q["dst"],
                     "eth_dst": q["eth_dst"]})
    return {"echo": echo,
            "lost_requests": [{"frame": e["request"], "id": e["id"],
                               "seq": e["seq"], "eth_dst": e["eth_dst"]}
                              for e in echo if e["reply"] is None],
            "errors": errors}


# ---------------------------------------------------------------- checks
def check_tcp(name, reasoned, d, kernel, problems):
    def bad(msg):
        problems.append("%s: %s" % (name, msg))
    r = reasoned
    for side in ("client", "server"):
        want = r[side]
        if want.endswith(":*"):
            if d[side].split(":")[0] != want[:-2]:
                bad("%s is %s, not %s" % (side, d[side], want))
        elif d[side] != want:
            bad("%s is %s, not %s" % (side, d[side], want))
    closer = r["closer"]
    fins = d["fins"]
    rsts = d["rst_frames"]
    if closer in ("client-first", "server-first"):
        if d["first_fin_from"] != closer.split("-")[0]:
            bad("first FIN from %s, but closer %s" % (d["first_fin_from"], closer))
        if d["fins_crossed_in_capture"]:
            bad("FINs crossed, but closer %s" % closer)
    if closer == "simultaneous" and not d["fins_crossed_in_capture"]:
        bad("closer simultaneous but the FINs do not cross")
    if closer.startswith("reset-by-"):
        if fins or not rsts or rsts[0]["from"] != closer.split("-")[-1]:
            bad("closer %s but FINs %s RSTs %s" % (closer, fins, rsts))
    if closer == "never-established":
        if d["handshake_frames"] is not None:
            bad("never-established but a handshake completed")
        if not rsts or rsts[0]["from"] != r.get("rst_by"):
            bad("expected a RST from %s" % r.get("rst_by"))
    elif d["handshake_frames"] is None:
        bad("no complete handshake")
    tw = r["time_wait"]
    holders = [s for s in ("client", "server")
               if r["%s_state" % s] == "TIME_WAIT"]
    want_tw = {0: None, 1: holders[0] if holders else None, 2: "both"}[len(holders)]
    if tw != want_tw:
        bad("time_wait %s but states say %s" % (tw, want_tw))
    # TIME_WAIT only after receiving the peer's FIN and having sent one
    for side in holders:
        other = "server" if side == "client" else "client"
        if not any(f["from"] == side for f in fins) or \
                not any(f["from"] == other for f in fins):
            bad("%s in TIME_WAIT without FINs both ways" % side)
    # agree with what the kernels said while recording
    if kernel:
        for side in ("client", "server"):
            socks = kernel.get(side, [])
            seen = SS_STATES.get(socks[0]["state"], socks[0]["state"]) \
                if socks else None
            want = r["%s_state" % side]
            if seen is None and want not in ("CLOSED", "LISTEN"):
                bad("%s: kernel had no socket, reasoned %s" % (side, want))
            if seen is not None and seen != want:
                bad("%s: kernel said %s, reasoned %s" % (side, seen, want))
        if r.get("fins_crossed"):
            fc = kernel.get("fins_crossed", {})
            if not (fc.get("client_went_through_closing") and
                    fc.get("server_went_through_closing")):
                bad("recording did not confirm CLOSING on both ends: %s" % fc)


def check_expect(name, d, kernel, problems):
    def bad(msg):
        problems.append("%s: %s" % (name, msg))
    for fl, (lo, hi) in EXPECT.get(name, {}).items():
        n = d["tcp_analysis"][fl]
        if n < lo or (hi is not None and n > hi):
            bad("tcp.analysis.%s = %d, want %s..%s" % (fl, n, lo, hi))
    key = name[:-5]
    mib = (kernel or {}).get("mib_delta")
    if not mib:
        bad("no kernel counters recorded (run record.sh)")
        return
    c, s = mib["client"], mib["server"]
    if key in NO_RETRANS:
        for side, m in (("client", c), ("server", s)):
            if m.get("Tcp.RetransSegs"):
                bad("%s kernel retransmitted %d segments" %
                    (side, m["Tcp.RetransSegs"]))
    if key == "retransmit-loss":
        if c.get("Tcp.RetransSegs") != 2 or c.get("TcpExt.TCPFastRetrans") != 1 \
                or c.get("TcpExt.TCPLossProbes") != 1:
            bad("client kernel: want 2 retransmitted segments, 1 fast "
                "retransmit, 1 tail loss probe: %s" % c)
    if key == "zero-window":
        if c.get("TcpExt.TCPWinProbe", 0) < 2 or \
                c.get("TcpExt.TCPWinProbe") != d["tcp_analysis"]["keep_alive"]:
            bad("client kernel window probes %s vs keep-alive-flagged frames %d"
                % (c.get("TcpExt.TCPWinProbe"), d["tcp_analysis"]["keep_alive"]))
        if not s.get("TcpExt.TCPToZeroWindowAdv"):
            bad("server kernel never advertised a zero window")
    if key == "keepalive":
        if c.get("TcpExt.TCPKeepAlive") != d["tcp_analysis"]["keep_alive"]:
            bad("client kernel keep-alives %s vs tshark %d" %
                (c.get("TcpExt.TCPKeepAlive"), d["tcp_analysis"]["keep_alive"]))
    if key == "loss-upstream":
        if c.get("Tcp.RetransSegs") != 1 or c.get("TcpExt.TCPFastRetrans") != 1:
            bad("client kernel: want 1 retransmitted segment, a fast "
                "retransmit: %s" % c)
    if key == "loss-middle":
        if c.get("Tcp.RetransSegs") != 4 or c.get("TcpExt.TCPFastRetrans") != 4:
            bad("client kernel: want 4 retransmitted segments, one fast "
                "retransmission per drop: %s" % c)
    if key == "half-open-repeat":
        if s.get("TcpExt.EmbryonicRsts") != 1 or c.get("Tcp.OutRsts") != 1 or \
                s.get("Tcp.OutRsts") != 1 or len(d["syn_frames"]) != 2:
            bad("want 2 SYNs: a half-open handshake the client resets, then a "
                "SYN the server refuses: client %s server %s" % (c, s))
    if key == "pmtu-drop":
        check_pmtu(pcap_path(name), d, c, bad)
    if key == "nagle":
        ds = d["data_segments"]["client_to_server"]
        if d["payload_bytes"]["client_to_server"] != 200 or ds >= 20 or ds < 2:
            bad("want 200 bytes in 2..19 client segments: %d bytes in %d" %
                (d["payload_bytes"]["client_to_server"], ds))
        if d["data_segments"]["server_to_client"] != 1:
            bad("want one reply segment")


def pcap_path(name):
    return os.path.join(HERE, name)


def check_pmtu(pcap, d, c, bad):
    """pmtu-drop shows a PMTU drop: every segment too big for the router's
    narrow link dropped with one "fragmentation needed" giving its MTU,
    the client's route and socket lowered to it, and the bytes resent."""
    try:
        truth = json.load(open(PMTU_TRUTH))
    except FileNotFoundError:
        bad("no pmtu-drop.truth.json (run record.sh)")
        return
    mtu = truth["router"]["server_side_mtu"]
    rc, cl = truth["router"]["counters"], truth["client"]
    big = frames_matching(pcap, "ip.src == 10.79.2.1 && ip.len > %d && !icmp" % mtu)
    errs = tshark_fields(pcap, ["frame.number", "icmp.mtu"],
                         "icmp.type == 3 && icmp.code == 4")
    if not big or rc.get("Ip.FragFails") != len(big) or \
            rc.get("Icmp.OutDestUnreachs") != len(big):
        bad("router: %s dropped, %s ICMP errors sent, %d frames over %d "
            "bytes captured" % (rc.get("Ip.FragFails"),
                                rc.get("Icmp.OutDestUnreachs"), len(big), mtu))
    if len(errs) != len(big) or any(e["icmp.mtu"] != str(mtu) for e in errs):
        bad("fragmentation needed captured: %s, want %d with MTU %d" %
            (errs, len(big), mtu))
    if not (cl["route_mtu"] == cl["ip_mtu_at_close"] == cl["tcp_info"]["pmtu"] == mtu) \
            or cl["ip_mtu_at_connect"] <= mtu:
        bad("client path MTU: %s" % cl)
    resent = cl["tcp_info"]["total_retrans"]
    if not resent or c.get("Tcp.RetransSegs") != resent or \
            d["payload_bytes"]["client_to_server"] != sum(
                w["bytes"] for w in truth["writes"]):
        bad("client resent %s segments (RetransSegs %s), %s bytes captured "
            "for writes %s" % (resent, c.get("Tcp.RetransSegs"),
                               d["payload_bytes"]["client_to_server"],
                               truth["writes"]))


def build(check_only=False, only=None):
    states = load_states()
    problems = []
    out = {
        "about": None,
        "hosts": {"client": {"ip": CLIENT_IP, "mac": CLIENT_MAC,
                             "namespace": "pkl-cn-c", "iface": "pkl-c0"},
                  "server": {"ip": SERVER_IP, "mac": SERVER_MAC,
                             "namespace": "pkl-cn-s", "iface": "pkl-s0"},
                  "forwarder": {"namespace": "pkl-cn-m",
                                "ifaces": ["pkl-m1 (a, client side)",
                                           "pkl-m2 (b, server side)"],
                                "program": "tools/forwarder/pktfwd.c"}},
        "state_names": "RFC 9293 (CLOSED = no TCB)",
        "tcp_analysis_counts": "number of frames `tshark -r F -Y "
                               "tcp.analysis.FLAG` shows",
        "captures": {},
    }
    ver = subprocess.run(["tshark", "-v"], capture_output=True,
                         text=True).stdout.splitlines()[0].strip()
    out["about"] = ("Asserted facts for captures/conn/*.pcap, regenerated by "
                    "captures/conn/facts.py with %s. Frame numbers are "
                    "1-based. Derived facts are computed from the captures; "
                    "closer, client_state, server_state and time_wait were "
                    "reasoned from the frames and are checked against the "
                    "capture and against the kernels' own view while "
                    "recording (kernel-states.json)." % ver.rstrip("."))
    for name, sc in SCENARIOS.items():
        if only and name != only:
            continue
        pcap = os.path.join(HERE, name)
        if not os.path.exists(pcap):
            problems.append("%s: missing (run record.sh)" % name)
            continue
        snaplen, linktype = pcap_header(pcap)
        nframes = len(frames_matching(pcap, "frame"))
        entry = {"shows": sc["shows"], "capture_point": sc["capture_point"],
                 "forwarder_rule": sc["forwarder"], "linktype": linktype,
                 "snaplen": snaplen, "frames": nframes,
                 "bytes": os.path.getsize(pcap)}
        if entry["bytes"] >= 100 * 1024:
            problems.append("%s: %d bytes, not < 100 KB" % (name, entry["bytes"]))
        key = name[:-5]
        kernel = states.get(key)
        segs = tcp_segments(pcap)
        if "tcp" in sc:
            d = derive_tcp(pcap, segs)
            if d is None:
                problems.append("%s: no TCP connection" % name)
                continue
            r = sc["tcp"]
            check_tcp(name, r, d, kernel, problems)
            check_expect(name, d, kernel, problems)
            entry.update({
                "client": d["client"], "server": d["server"],
                "handshake_frames": d["handshake_frames"],
                "fin_frames": d["fin_frames"],
                "rst_frames": [x["frame"] for x in d["rst_frames"]],
                "closer": r["closer"],
                "client_state": r["client_state"],
                "server_state": r["server_state"],
                "time_wait": r["time_wait"],
                "tcp_analysis": {k: d["tcp_analysis"][k] for k in FLAGS[:12]},
            })
            for k in ("rst_by", "note", "conversations"):
                if k in r:
                    entry[k] = r[k]
            if "fins_crossed" in r:
                entry["fins_crossed"] = r["fins_crossed"]
            entry["derived"] = {
                k: d[k] for k in ("syn_frames", "synack_frames", "fins",
                                  "rst_frames", "first_fin_from",
                                  "fins_crossed_in_capture", "payload_bytes",
                                  "data_segments", "tcp_analysis",
                                  "tcp_analysis_frames", "expert_messages",
                                  "conv_tcp")}
            if kernel:
                entry["kernel"] = kernel
        elif segs:
            problems.append("%s: unexpected TCP" % name)
        arp = derive_arp(pcap)
        if arp:
            entry["arp"] = arp
        icmp = derive_icmp(pcap)
        if icmp:
            entry["icmp"] = icmp
        if "tcp" not in sc:
            # the pairing facts, in short (details under "arp" / "icmp")
            if arp:
                entry["arp_pairs"] = [[p["request"], p["reply"]]
                                      for p in arp["pairs"]]
            if icmp:
                entry["echo_pairs"] = [[e["request"], e["reply"]]
                                       for e in icmp["echo"] if e["reply"]]
                entry["lost_requests"] = [x["frame"]
                                          for x in icmp["lost_requests"]]
                if icmp["errors"]:
                    entry["icmp_errors"] = [[e["frame"], e["quotes_frame"]]
                                            for e in icmp["errors"]]
        if "arp" in sc:
            want = sc["arp"]
            conf = [c for c in arp["conflicts"] if c["ip"] == want["conflict_ip"]]
            if not conf or sorted(conf[0]["macs"]) != sorted(want["conflict_macs"]):
                problems.append("%s: conflict %s not found: %s" %
                                (name, want, arp["conflicts"]))
            else:
                entry["conflict"] = {"ip": conf[0]["ip"], "macs": conf[0]["macs"]}
            lost = icmp["lost_requests"] if icmp else []
            if [x["eth_dst"] for x in lost] != [ROGUE_MAC]:
                problems.append("%s: want exactly one unanswered echo request, "
                                "sent to %s: %s" % (name, ROGUE_MAC, lost))
        if "icmp" in sc:
            want = sc["icmp"]
            if "lost_request_seqs" in want:
                lost = [x["seq"] for x in icmp["lost_requests"]]
                if lost != want["lost_request_seqs"]:
                    problems.append("%s: lost seqs %s, not %s" %
                                    (name, lost, want["lost_request_seqs"]))
            if "port_unreachable" in want:
                pu = [e for e in icmp["errors"] if e["type"] == 3 and e["code"] == 3]
                if len(pu) != want["port_unreachable"] or \
                        any(e["quotes_frame"] is None for e in pu):
                    problems.append("%s: port unreachables %s" % (name, pu))
        out["captures"][name] = entry
    for p in problems:
        print("facts.py: MISMATCH: " + p, file=sys.stderr)
    if problems:
        return 1
    if not check_only:
        with open(FACTS_FILE, "w") as f:
            json.dump(out, f, indent=2)
            f.write("\n")
        print("wrote %s (%d captures)" % (FACTS_FILE, len(out["captures"])))
    else:
        print("  facts consistent: %s" % ", ".join(out["captures"]))
    return 0


def main(argv):
    if argv[:1] == ["--check-crossed"]:
        return 0 if check_crossed(argv[1], argv[2], argv[3]) else 1
    if argv[:1] == ["--record-states"]:
        record_states(*argv[1:])
        return 0
    if argv[:1] == ["--record-pmtu"] and len(argv) == 9:
        record_pmtu(*argv[1:])
        return 0
    if argv[:1] == ["--check-one"] and len(argv) == 2:
        if argv[1] not in SCENARIOS:
            print("facts.py: unknown capture %s" % argv[1], file=sys.stderr)
            return 2
        return build(check_only=True, only=argv[1])
    global VERIFY_COUNTS
    if argv[:1] == ["--verify-counts"]:
        VERIFY_COUNTS = True
        argv = argv[1:]
    if argv in ([], ["--check"]):
        return build(check_only=bool(argv))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
