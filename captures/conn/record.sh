#!/usr/bin/env bash
# record.sh - record the TCP-conversation (and ARP/ICMP pairing) test captures
# from real kernel traffic.
#
# Run as root:   sudo captures/conn/record.sh [SCENARIO...]
#
# With no argument every scenario is recorded; otherwise only the named ones
# (e.g. "record.sh reorder zero-window").  At the end it runs
# captures/conn/facts.py, which regenerates facts.json.
#
# Topology (three network namespaces, one /24, bridged at layer 2):
#
#   pkl-cn-c                     pkl-cn-m                      pkl-cn-s
#   pkl-c0 10.79.1.1 ---- pkl-m1 [ pktfwd ] pkl-m2 ---- pkl-s0 10.79.1.2
#   52:54:00:0c:00:01                                   52:54:00:0c:00:02
#
# The middle namespace has no IP address and no forwarding: pktfwd
# (tools/forwarder/pktfwd.c, compiled here into a temporary directory) copies
# every frame between pkl-m1 and pkl-m2 with AF_PACKET sockets, except those
# a scenario's rules drop, delay or reorder.  Captures are taken with tcpdump
# on the client's veth pkl-c0 (reorder.pcap: on the server's veth pkl-s0;
# loss-middle.pcap: between two forwarders, see sc_loss_middle).
# Offloads (TSO/GSO/GRO, tx checksum) are switched off on all four veths so
# that segments are wire-sized and checksums are correct on the wire.
#
# Nothing leaves the three namespaces: every address is in 10.79.1.0/24
# (pmtu-drop: 10.79.2.0/24 and 10.79.3.0/24, in four namespaces of its own).
# The namespaces are deleted by exact name on exit, even on failure; only
# processes started here are killed, by PID.
#
# Needs: iproute2 (ip, ss), tcpdump, tshark (facts.py checks every capture
# right after recording it), ping (iputils), cc, timeout (coreutils),
# /usr/bin/python3 with scapy (half-open-probe, arp-conflict).  Uses ethtool
# if installed (otherwise, or with PKL_NO_ETHTOOL=1, the offloads are
# switched off with the SIOCETHTOOL ioctl from Python), and chrt, if it
# works, to run pktfwd with a real-time priority.
# Environment: PKTFWD_SEED (default 7901), PKTFWD_DELAY_MS (default 5).
set -euo pipefail

NS_C=pkl-cn-c
NS_M=pkl-cn-m
NS_S=pkl-cn-s
IF_C=pkl-c0        # in pkl-cn-c, peer of pkl-m1
IF_M1=pkl-m1       # in pkl-cn-m ("a" side of pktfwd)
IF_M2=pkl-m2       # in pkl-cn-m ("b" side of pktfwd)
IF_S=pkl-s0        # in pkl-cn-s, peer of pkl-m2
MAC_C=52:54:00:0c:00:01
MAC_S=52:54:00:0c:00:02
MAC_M1=52:54:00:0c:00:11
MAC_M2=52:54:00:0c:00:12
MAC_ROGUE=52:54:00:0c:00:99   # arp-conflict: a second MAC claiming IP_S
IP_C=10.79.1.1
IP_S=10.79.1.2
SEED=${PKTFWD_SEED:-7901}
# One-way delay pktfwd adds to every frame (RTT 10 ms): a link this slow
# makes the kernels' timers (delayed ACK, RACK reordering window, tail loss
# probe) and tshark's heuristics (out-of-order threshold = first RTT) behave
# as on a real network instead of racing a 60 us RTT.
DELAY_MS=${PKTFWD_DELAY_MS:-5}
PY=/usr/bin/python3

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT_DIR=$HERE
REPO=$(cd "$HERE/../.." && pwd)
PEER=$HERE/peer.py
FACTS=$HERE/facts.py

ALL_SCENARIOS=(client-close server-close simultaneous-close rst-abort
    syn-closed-port half-open-probe retransmit-loss reorder zero-window
    keepalive nagle close-wait arp-conflict ping-loss port-unreachable
    nagle-paced request-reply loss-upstream half-open-repeat loss-middle pmtu-drop)

die() { echo "record.sh: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must be run as root (sudo $0)"
for tool in ip ss tcpdump tshark ping cc timeout "$PY"; do
    command -v "$tool" >/dev/null || die "missing tool: $tool"
done
"$PY" -c 'import socket' || die "$PY does not work"

if [[ $# -gt 0 ]]; then
    SCENARIOS=("$@")
    for sc in "${SCENARIOS[@]}"; do
        [[ " ${ALL_SCENARIOS[*]} " == *" $sc "* ]] || die "unknown scenario: $sc"
    done
else
    SCENARIOS=("${ALL_SCENARIOS[@]}")
fi
wants() { [[ " ${SCENARIOS[*]} " == *" $1 "* ]]; }
if wants half-open-probe || wants half-open-repeat || wants arp-conflict; then
    "$PY" -c 'from scapy.all import sendp' 2>/dev/null ||
        die "$PY cannot import scapy (needed by half-open-probe, half-open-repeat, arp-conflict)"
fi

. "$REPO/tools/netns.sh"
pkl_netns_begin pkl-conn || die "cannot make a scratch directory in /tmp"
WORK=$PKL_TMP

in_c() { ip netns exec "$NS_C" "$@"; }
in_m() { ip netns exec "$NS_M" "$@"; }
in_s() { ip netns exec "$NS_S" "$@"; }

# ---------------------------------------------------------------- forwarder
PKTFWD=$WORK/pktfwd
cc -std=c11 -O2 -Wall -Wextra -Werror -o "$PKTFWD" "$REPO/tools/forwarder/pktfwd.c" ||
    die "cannot build tools/forwarder/pktfwd.c"

# ---------------------------------------------------------------- topology
pkl_netns_add "$NS_C" "$NS_M" "$NS_S" || die "cannot create the namespaces"
for ns in "$NS_C" "$NS_M" "$NS_S"; do
    # No IPv6 (router solicitations, MLD, ...): only the scenario's traffic.
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
    ip -n "$ns" link set lo up
done

ip link add "$IF_C" netns "$NS_C" type veth peer name "$IF_M1" netns "$NS_M"
ip link add "$IF_S" netns "$NS_S" type veth peer name "$IF_M2" netns "$NS_M"
ip -n "$NS_C" link set "$IF_C" address "$MAC_C"
ip -n "$NS_S" link set "$IF_S" address "$MAC_S"
ip -n "$NS_M" link set "$IF_M1" address "$MAC_M1"
ip -n "$NS_M" link set "$IF_M2" address "$MAC_M2"
ip -n "$NS_C" addr add "$IP_C/24" dev "$IF_C"
ip -n "$NS_S" addr add "$IP_S/24" dev "$IF_S"

# Offloads off: otherwise the client/server stacks hand 64 KB TSO/GSO
# super-frames and CHECKSUM_PARTIAL frames to the veth, which tcpdump records
# as such and pktfwd could not write back out (EMSGSIZE, bad checksums).
offloads_off() {  # NS IFACE
    local ns=$1 ifc=$2
    if [[ -z ${PKL_NO_ETHTOOL:-} ]] && command -v ethtool >/dev/null; then
        ip netns exec "$ns" ethtool -K "$ifc" tx off tso off gso off gro off \
            >/dev/null 2>&1 || true
        local k
        k=$(ip netns exec "$ns" ethtool -k "$ifc")
        for f in tx-checksumming tcp-segmentation-offload \
                 generic-segmentation-offload generic-receive-offload; do
            grep -q "^$f: off" <<<"$k" || die "ethtool could not switch $f off on $ifc"
        done
        OFFLOAD_HOW=ethtool
    else
        # No ethtool: the legacy SIOCETHTOOL set/get commands do the same.
        ip netns exec "$ns" "$PY" - "$ifc" <<'EOF' || die "cannot switch offloads off on $ifc"
import ctypes, fcntl, socket, struct, sys
SIOCETHTOOL = 0x8946
# name: (get, set) from linux/ethtool.h
CMDS = {"tx-checksumming": (0x16, 0x17), "tso": (0x1e, 0x1f),
        "gso": (0x23, 0x24), "gro": (0x2b, 0x2c)}
ifname = sys.argv[1].encode()
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
def call(cmd, data=0):
    val = ctypes.create_string_buffer(struct.pack("II", cmd, data), 8)
    ifr = struct.pack("16sP", ifname, ctypes.addressof(val)).ljust(40, b"\0")
    fcntl.ioctl(sock, SIOCETHTOOL, ifr)
    return struct.unpack("II", val.raw)[1]
for name in ("tso", "gso", "gro", "tx-checksumming"):
    get, set_ = CMDS[name]
    try:
        call(set_, 0)
    except OSError:
        pass
for name, (get, _) in CMDS.items():
    if call(get) != 0:
        sys.exit("%s still on" % name)
EOF
        OFFLOAD_HOW=SIOCETHTOOL
    fi
}
OFFLOAD_HOW=""
offloads_off "$NS_C" "$IF_C"
offloads_off "$NS_M" "$IF_M1"
offloads_off "$NS_M" "$IF_M2"
offloads_off "$NS_S" "$IF_S"
echo "offloads switched off with $OFFLOAD_HOW"

ip -n "$NS_C" link set "$IF_C" up
ip -n "$NS_M" link set "$IF_M1" up
ip -n "$NS_M" link set "$IF_M2" up
ip -n "$NS_S" link set "$IF_S" up
sleep 0.5

# ---------------------------------------------------------------- helpers
CAP_PIDS=()
CAP_FILES=()

# start_capture FILE NS IFACE [extra tcpdump args...]
# Starts tcpdump and waits until it is listening.
start_capture() {
    local file=$1 ns=$2 ifc=$3; shift 3
    local err="$file.stderr"
    : >"$err"
    # `ip netns exec` execs tcpdump, so $! is tcpdump's own PID.
    # --immediate-mode: without it libpcap's TPACKET_V3 ring hands packets
    # over in blocks, and the last ones are lost when tcpdump gets SIGINT.
    ip netns exec "$ns" tcpdump -i "$ifc" -w "$file" -U --immediate-mode -Z root -nn "$@" \
        2>"$err" &
    local pid=$!
    pkl_track "$pid"
    CAP_PIDS+=("$pid")
    CAP_FILES+=("$file")
    local i
    for ((i = 0; i < 50; i++)); do          # at most 5 s
        if grep -q "listening on" "$err"; then
            sleep 0.3
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { cat "$err" >&2; die "tcpdump for $file died"; }
        sleep 0.1
    done
    cat "$err" >&2
    die "tcpdump for $file did not start listening"
}

# stop_captures: SIGINT every running tcpdump and wait for it.
stop_captures() {
    sleep 0.5                                # let the last frames arrive
    local i
    for i in "${!CAP_PIDS[@]}"; do
        kill -INT "${CAP_PIDS[$i]}" 2>/dev/null || true
        wait "${CAP_PIDS[$i]}" || true
        [[ -s ${CAP_FILES[$i]} ]] || die "no capture written to ${CAP_FILES[$i]}"
    done
    CAP_PIDS=()
    CAP_FILES=()
}

# install_capture TMPFILE NAME: move a finished capture into captures/conn/.
install_capture() {
    local n
    n=$(sed -n 's/^\([0-9]*\) packets captured$/\1/p' "$1.stderr")
    echo "  $2: $n frames"
    install -m 0644 "$1" "$OUT_DIR/$2"
}

# pktfwd runs SCHED_FIFO when possible: on a busy machine a forwarder that
# waits a few ms for the CPU delays frames past the kernel's tail-loss-probe
# timer (a few ms on a link this fast) and causes spurious retransmissions.
FWD_PRIO=()
if chrt -f 20 true 2>/dev/null; then
    FWD_PRIO=(chrt -f 20)
fi
FWD_PID=""
FWD_LOG=""
# start_fwd LOGNAME [pktfwd rules...]: start pktfwd in the middle namespace.
start_fwd() {
    FWD_LOG="$WORK/$1"; shift
    local err="$FWD_LOG.stderr"
    : >"$err"
    ip netns exec "$NS_M" "${FWD_PRIO[@]}" "$PKTFWD" -a "$IF_M1" -b "$IF_M2" \
        -s "$SEED" --delay "$DELAY_MS" --max-seconds 60 --log "$FWD_LOG" "$@" \
        2>"$err" &
    FWD_PID=$!
    pkl_track "$FWD_PID"
    local i
    for ((i = 0; i < 50; i++)); do
        grep -q "pktfwd: ready" "$err" && return 0
        kill -0 "$FWD_PID" 2>/dev/null || { cat "$err" >&2; die "pktfwd died"; }
        sleep 0.1
    done
    die "pktfwd did not start"
}

stop_fwd() {   # stop_fwd [NAME]: stop pktfwd; keep its log as NAME if given
    kill -TERM "$FWD_PID" 2>/dev/null || true
    wait "$FWD_PID" || die "pktfwd failed: $(cat "$FWD_LOG.stderr")"
    if [[ $# -gt 0 ]]; then
        install -m 0644 "$FWD_LOG" "$OUT_DIR/$1"
        echo "  $1: $(grep -c ' action=' "$FWD_LOG") decisions"
    fi
    FWD_PID=""
}

flush_neigh() {
    ip -n "$NS_C" neigh flush all
    ip -n "$NS_S" neigh flush all
}

# wait_listen NS PROTO PORT: wait (bounded) until a socket listens on PORT.
wait_listen() {
    local ns=$1 proto=$2 port=$3 i flag
    case $proto in tcp) flag=-Hltn ;; udp) flag=-Hlun ;; esac
    for ((i = 0; i < 50; i++)); do
        if ip netns exec "$ns" ss $flag "sport = :$port" | grep -q .; then
            return 0
        fi
        sleep 0.1
    done
    die "nothing listening on $proto/$port in $ns"
}

SERVER_PID=""
# server SCENARIO PORT [peer.py args...]: start the server side in pkl-cn-s.
server() {
    local sc=$1 port=$2; shift 2
    in_s timeout 20 "$PY" "$PEER" server "$sc" --addr "$IP_S" --port "$port" "$@" &
    SERVER_PID=$!
    pkl_track "$SERVER_PID"
    wait_listen "$NS_S" tcp "$port"
}

# client SCENARIO SPORT DPORT [peer.py args...]: run the client in pkl-cn-c.
client() {
    local sc=$1 sport=$2 dport=$3; shift 3
    in_c timeout 20 "$PY" "$PEER" client "$sc" --addr "$IP_S" --port "$dport" \
        --bind "$IP_C:$sport" "$@" || die "$sc: client failed"
}

wait_server() {
    wait "$SERVER_PID" || die "$1: server failed"
    SERVER_PID=""
}

# counters_begin: note the TCP MIB counters of both ends (Tcp and TcpExt
# of /proc/net/snmp and /proc/net/netstat, per namespace) before a scenario.
counters_begin() {
    in_c cat /proc/net/snmp /proc/net/netstat >"$WORK/mib-c0"
    in_s cat /proc/net/snmp /proc/net/netstat >"$WORK/mib-s0"
}

# snapshot_states SCENARIO SPORT DPORT: what the kernels say about the
# connection now: its sockets' states (ss) on both ends, and which TCP MIB
# counters moved since counters_begin; recorded in kernel-states.json.
snapshot_states() {
    local sc=$1 sport=$2 dport=$3
    in_c ss -tanH "( sport = :$sport and dport = :$dport )" >"$WORK/ss-c" || true
    in_s ss -tanH "( sport = :$dport and dport = :$sport )" >"$WORK/ss-s" || true
    in_c cat /proc/net/snmp /proc/net/netstat >"$WORK/mib-c1"
    in_s cat /proc/net/snmp /proc/net/netstat >"$WORK/mib-s1"
    "$PY" "$FACTS" --record-states "$sc" "$WORK/ss-c" "$WORK/ss-s" \
        "$WORK/mib-c0" "$WORK/mib-c1" "$WORK/mib-s0" "$WORK/mib-s1"
}

# ---------------------------------------------------------------- scenarios
# Each scenario is a function sc_NAME that records NAME.pcap into
# captures/conn/.  run_scenario runs it and checks the capture with
# `facts.py --check-one` (does it show what it should, does it agree with the
# reasoned facts?); a capture that does not is recorded again, at most 3
# times.  Retries use other client ports (+100 per attempt), so TIME_WAIT
# sockets left by an earlier attempt cannot interfere.
ATTEMPT=1
sport_for() { echo $(($1 + 100 * (ATTEMPT - 1))); }

# Plain request/reply exchanges: handshake, request, reply, teardown.
simple_tcp() {   # simple_tcp SCENARIO SPORT DPORT
    local sc=$1 sport=$2 dport=$3
    flush_neigh
    start_fwd "$sc.log"
    start_capture "$WORK/$sc.pcap" "$NS_C" "$IF_C"
    counters_begin
    server "$sc" "$dport"
    client "$sc" "$sport" "$dport"
    wait_server "$sc"
    snapshot_states "$sc" "$sport" "$dport"
    stop_captures
    install_capture "$WORK/$sc.pcap" "$sc.pcap"
    stop_fwd
}

# client closes first: client ends in TIME_WAIT, server LAST_ACK -> CLOSED.
sc_client_close() { simple_tcp client-close "$(sport_for 40001)" 8101; }
# server closes first: server ends in TIME_WAIT.
sc_server_close() { simple_tcp server-close "$(sport_for 40002)" 8102; }

# Simultaneous close: both sides shutdown(SHUT_WR) at one shared instant,
# and pktfwd holds the first FIN it sees (either direction) until the second
# FIN has passed (--match tcpfin --swap-nth 1), so the FINs cross in flight:
# each side receives the other's FIN in FIN_WAIT_1 and goes through CLOSING.
# The crossing is checked on captures at both ends (the server-side one is
# only used for that check).
sc_simultaneous_close() {
    local sc=simultaneous-close sport at
    sport=$(sport_for 40003)
    flush_neigh
    start_fwd "$sc.log" --match tcpfin --dir both --swap-nth 1 --swap-timeout 2000
    start_capture "$WORK/$sc.pcap" "$NS_C" "$IF_C"
    start_capture "$WORK/$sc-server-side.pcap" "$NS_S" "$IF_S"
    counters_begin
    at=$("$PY" -c 'import time; print("%.3f" % (time.time() + 1.5))')
    server "$sc" 8103 --at "$at"
    client "$sc" "$sport" 8103 --at "$at"
    wait_server "$sc"
    snapshot_states "$sc" "$sport" 8103
    stop_captures
    stop_fwd "$sc.pktfwd.log"
    "$PY" "$FACTS" --check-crossed "$sc" "$WORK/$sc.pcap" "$WORK/$sc-server-side.pcap" || true
    install_capture "$WORK/$sc.pcap" "$sc.pcap"
}

# Abort: the client closes with SO_LINGER {1, 0} -> RST, no FINs.
sc_rst_abort() { simple_tcp rst-abort "$(sport_for 40004)" 8104; }

# SYN to a port nobody listens on -> RST/ACK from the server's kernel.
sc_syn_closed_port() {
    local sc=syn-closed-port sport
    sport=$(sport_for 40005)
    flush_neigh
    start_fwd "$sc.log"
    start_capture "$WORK/$sc.pcap" "$NS_C" "$IF_C"
    counters_begin
    client "$sc" "$sport" 8105
    snapshot_states "$sc" "$sport" 8105
    stop_captures
    install_capture "$WORK/$sc.pcap" "$sc.pcap"
    stop_fwd
}

# SYN-scan style probe: a SYN crafted with scapy (no client socket), the
# listening server answers SYN/ACK, the client's kernel answers RST.
sc_half_open_probe() {
    local sc=half-open-probe sport
    sport=$(sport_for 40006)
    flush_neigh
    start_fwd "$sc.log"
    start_capture "$WORK/$sc.pcap" "$NS_C" "$IF_C"
    counters_begin
    server "$sc" 8106 --linger 2.5
    in_c timeout 20 "$PY" - "$IF_C" "$MAC_C" "$MAC_S" "$IP_C" "$IP_S" "$sport" 8106 <<'EOF' || die "$sc: probe failed"
import sys, time
from scapy.all import Ether, IP, TCP, sendp, conf
conf.verb = 0
ifc, mac_c, mac_s, ip_c, ip_s, sport, dport = sys.argv[1:]
syn = (Ether(src=mac_c, dst=mac_s) /
       IP(src=ip_c, dst=ip_s, id=54321, ttl=64) /
       TCP(sport=int(sport), dport=int(dport), flags="S", seq=0x5ca11ab1,
           window=1024, options=[("MSS", 1460)]))
sendp(syn, iface=ifc)
time.sleep(1.0)
EOF
    snapshot_states "$sc" "$sport" 8106
    wait_server "$sc"
    stop_captures
    install_capture "$WORK/$sc.pcap" "$sc.pcap"
    stop_fwd
}

# Bulk transfers client -> server (the client sends, then shutdown(SHUT_WR);
# the server answers "got N bytes" and closes).
bulk_tcp() {   # bulk_tcp SCENARIO SPORT DPORT CAPNS CAPIF [server args] -- [pktfwd rules]
    local sc=$1 sport=$2 dport=$3 cns=$4 cif=$5; shift 5
    local sargs=()
    while [[ $# -gt 0 && $1 != -- ]]; do sargs+=("$1"); shift; done
    [[ ${1:-} == -- ]] && shift
    flush_neigh
    start_fwd "$sc.log" "$@"
    start_capture "$WORK/$sc.pcap" "$cns" "$cif"
    counters_begin
    server "$sc" "$dport" "${sargs[@]}"
    client "$sc" "$sport" "$dport"
    wait_server "$sc"
    snapshot_states "$sc" "$sport" "$dport"
    stop_captures
    install_capture "$WORK/$sc.pcap" "$sc.pcap"
}

# 50 000 bytes (35 segments); pktfwd drops the 5th client->server data
# segment it sees (repaired by fast retransmit after SACKed duplicate ACKs)
# and the 36th, which is the last segment (with the FIN) once the fast
# retransmission has been counted too (repaired by a tail loss probe).
sc_retransmit_loss() {
    bulk_tcp retransmit-loss "$(sport_for 40007)" 8107 "$NS_C" "$IF_C" -- \
        --match tcpdata --dir a2b --drop-nth 5,36
    stop_fwd retransmit-loss.pktfwd.log
}

# 20 000 bytes; pktfwd sends the 4th client data segment after the 5th.
# Captured on the server's veth, where the segments arrive out of order.
sc_reorder() {
    bulk_tcp reorder "$(sport_for 40008)" 8108 "$NS_S" "$IF_S" -- \
        --match tcpdata --dir a2b --swap-nth 4
    stop_fwd reorder.pktfwd.log
}

# 16 000 bytes into a server with SO_RCVBUF 2048 (set before listen) that
# does not read for 1 s: zero window, window probes, window update.
sc_zero_window() {
    bulk_tcp zero-window "$(sport_for 40009)" 8109 "$NS_C" "$IF_C" --rcvbuf 2048 --
    stop_fwd
}

# Idle connection with SO_KEEPALIVE, TCP_KEEPIDLE=1, TCP_KEEPINTVL=1: the
# client idles 3.5 s after the reply (3 keep-alives), then closes.
sc_keepalive() {
    local sc=keepalive sport
    sport=$(sport_for 40010)
    flush_neigh
    start_fwd "$sc.log"
    start_capture "$WORK/$sc.pcap" "$NS_C" "$IF_C"
    counters_begin
    server "$sc" 8110
    client "$sc" "$sport" 8110 --idle 3.5
    wait_server "$sc"
    snapshot_states "$sc" "$sport" 8110
    stop_captures
    install_capture "$WORK/$sc.pcap" "$sc.pcap"
    stop_fwd
}

# 20 writes of 10 bytes back to back without TCP_NODELAY: Nagle coalesces.
sc_nagle() { simple_tcp nagle "$(sport_for 40011)" 8111; }

# Exchanges whose applications log every write (peer.py --write-log): the
# writes, merged in time order, go to captures/conn/SCENARIO.writes.jsonl,
# the truth tests/nagle_writes.py holds the coalesced-segment verdicts to.
logged_writes_tcp() {   # logged_writes_tcp SCENARIO SPORT DPORT
    local sc=$1 sport=$2 dport=$3
    flush_neigh
    start_fwd "$sc.log"
    start_capture "$WORK/$sc.pcap" "$NS_C" "$IF_C"
    counters_begin
    server "$sc" "$dport" --write-log "$WORK/$sc.server.writes"
    client "$sc" "$sport" "$dport" --write-log "$WORK/$sc.client.writes"
    wait_server "$sc"
    snapshot_states "$sc" "$sport" "$dport"
    stop_captures
    install_capture "$WORK/$sc.pcap" "$sc.pcap"
    "$PY" -c 'import json, sys
rows = [json.loads(l) for f in sys.argv[1:] for l in open(f)]
for r in sorted(rows, key=lambda r: r["t"]):
    print(json.dumps(r))' "$WORK/$sc.client.writes" "$WORK/$sc.server.writes" >"$WORK/$sc.writes"
    install -m 0644 "$WORK/$sc.writes" "$OUT_DIR/$sc.writes.jsonl"
    stop_fwd
}

# 40 writes of 10 bytes 6 ms apart (RTT 10 ms) without TCP_NODELAY: Nagle
# holds some back alone and sends some together; one reply.
sc_nagle_paced() { logged_writes_tcp nagle-paced "$(sport_for 40016)" 8116; }
# Five requests and replies of different sizes, one write each, two of the
# replies after a 60 ms pause (a delayed ACK goes out alone first): no
# segment holds two writes.
sc_request_reply() { logged_writes_tcp request-reply "$(sport_for 40017)" 8117; }

# The client closes, the server never does while the capture runs:
# server in CLOSE_WAIT, client in FIN_WAIT_2 when the capture stops.
sc_close_wait() {
    local sc=close-wait sport
    sport=$(sport_for 40012)
    flush_neigh
    start_fwd "$sc.log"
    start_capture "$WORK/$sc.pcap" "$NS_C" "$IF_C"
    counters_begin
    server "$sc" 8112 --linger 4
    client "$sc" "$sport" 8112
    sleep 1.5
    snapshot_states "$sc" "$sport" 8112
    stop_captures                     # the server still holds its socket
    install_capture "$WORK/$sc.pcap" "$sc.pcap"
    wait_server "$sc"
    stop_fwd
}

# ARP: a normal request/reply pair and echo, then a second MAC claims
# 10.79.1.2 (gratuitous ARP request and unsolicited ARP reply, crafted with
# scapy in pkl-cn-s and sent through the link), an echo request the client
# now addresses to that MAC, the server's own ARP request/reply for the
# client, and a final echo.
sc_arp_conflict() {
    local sc=arp-conflict
    flush_neigh
    start_fwd "$sc.log"
    start_capture "$WORK/$sc.pcap" "$NS_C" "$IF_C"
    in_c timeout 5 ping -n -q -c 1 -W 1 "$IP_S" >/dev/null || die "$sc: ping failed"
    sleep 1.2      # past the ARP locktime (1 s), so the claim is taken
    in_s timeout 20 "$PY" - "$IF_S" "$MAC_ROGUE" "$MAC_C" "$IP_C" "$IP_S" <<'EOF' || die "$sc: scapy failed"
import sys, time
from scapy.all import Ether, ARP, sendp, conf
conf.verb = 0
ifc, rogue, mac_c, ip_c, ip_s = sys.argv[1:]
garp = (Ether(src=rogue, dst="ff:ff:ff:ff:ff:ff") /
        ARP(op=1, hwsrc=rogue, psrc=ip_s, hwdst="00:00:00:00:00:00", pdst=ip_s))
sendp(garp, iface=ifc)
time.sleep(0.3)
reply = (Ether(src=rogue, dst=mac_c) /
         ARP(op=2, hwsrc=rogue, psrc=ip_s, hwdst=mac_c, pdst=ip_c))
sendp(reply, iface=ifc)
EOF
    sleep 0.3
    in_c timeout 5 ping -n -q -c 1 -W 1 "$IP_S" >/dev/null || true  # to the wrong MAC
    echo "  client neighbour entry after the claim: $(ip -n "$NS_C" neigh show "$IP_S")"
    sleep 0.2
    ip -n "$NS_S" neigh flush all
    in_s timeout 5 ping -n -q -c 1 -W 1 "$IP_C" >/dev/null || die "$sc: server ping failed"
    sleep 1.2
    ip -n "$NS_C" neigh flush all
    in_c timeout 5 ping -n -q -c 1 -W 1 "$IP_S" >/dev/null || die "$sc: last ping failed"
    stop_captures
    install_capture "$WORK/$sc.pcap" "$sc.pcap"
    stop_fwd
}

# ping -c 6; pktfwd drops the 2nd and the 5th echo request.
sc_ping_loss() {
    local sc=ping-loss
    flush_neigh
    start_fwd "$sc.log" --match icmp --dir a2b --drop-nth 2,5
    start_capture "$WORK/$sc.pcap" "$NS_C" "$IF_C"
    in_c timeout 10 ping -n -q -c 6 -i 0.2 -W 1 "$IP_S" >/dev/null || true  # 2 lost
    stop_captures
    install_capture "$WORK/$sc.pcap" "$sc.pcap"
    stop_fwd ping-loss.pktfwd.log
}

# Two UDP datagrams to a closed port -> two ICMP port unreachable.
sc_port_unreachable() {
    local sc=port-unreachable
    flush_neigh
    start_fwd "$sc.log"
    start_capture "$WORK/$sc.pcap" "$NS_C" "$IF_C"
    in_c timeout 5 "$PY" - "$IP_C" "$IP_S" <<'EOF' || die "$sc: UDP probe failed"
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 40015))
for i in (1, 2):
    s.sendto(b"anyone on 33434? #%d\n" % i, (sys.argv[2], 33434))
    time.sleep(0.3)
s.close()
EOF
    stop_captures
    install_capture "$WORK/$sc.pcap" "$sc.pcap"
    stop_fwd
}

# The same transfer as retransmit-loss with only the 5th client data
# segment dropped, captured on the server's veth, downstream of the drop:
# the server sees a gap, asks for the missing bytes (SACK), and the
# client's fast retransmission fills it a round trip later.
sc_loss_upstream() {
    bulk_tcp loss-upstream "$(sport_for 40013)" 8113 "$NS_S" "$IF_S" -- \
        --match tcpdata --dir a2b --drop-nth 5
    stop_fwd loss-upstream.pktfwd.log
}

# A half-open probe repeated on one 4-tuple with the same ISN (as a SYN
# scanner retrying): each SYN crafted with scapy, answered SYN/ACK by the
# listener (a new ISN each time), reset by the client's kernel (no
# socket).  The scapy sends are logged in half-open-repeat.probes.log.
sc_half_open_repeat() {
    local sc=half-open-repeat sport
    sport=$(sport_for 40014)
    flush_neigh
    start_fwd "$sc.log"
    start_capture "$WORK/$sc.pcap" "$NS_C" "$IF_C"
    counters_begin
    server half-open-probe 8114 --linger 3.5
    in_c timeout 20 "$PY" - "$IF_C" "$MAC_C" "$MAC_S" "$IP_C" "$IP_S" "$sport" 8114 \
        >"$WORK/$sc.probes.log" <<'EOF2' || die "$sc: probe failed"
import sys, time
from scapy.all import Ether, IP, TCP, sendp, conf
conf.verb = 0
ifc, mac_c, mac_s, ip_c, ip_s, sport, dport = sys.argv[1:]
for attempt in (1, 2):
    syn = (Ether(src=mac_c, dst=mac_s) /
           IP(src=ip_c, dst=ip_s, ttl=64) /
           TCP(sport=int(sport), dport=int(dport), flags="S", seq=0x5ca11ab1,
               window=1024, options=[("MSS", 1460)]))
    sendp(syn, iface=ifc)
    print("%.6f sent SYN %s:%s > %s:%s seq %d (attempt %d)" %
          (time.time(), ip_c, sport, ip_s, dport, 0x5ca11ab1, attempt), flush=True)
    time.sleep(1.0)
EOF2
    snapshot_states "$sc" "$sport" 8114
    wait_server "$sc"
    stop_captures
    install_capture "$WORK/$sc.pcap" "$sc.pcap"
    install -m 0644 "$WORK/$sc.probes.log" "$OUT_DIR/$sc.probes.log"
    stop_fwd
}

# loss-middle: a second forwarder, and the capture between the two.  The
# middle namespace gets a veth pair of its own for the scenario:
#
#   pkl-m1 [ pktfwd 1 ] pkl-x1 ==== pkl-x2 [ pktfwd 2 ] pkl-m2
#                        ^ captured here
#
# Each forwarder delays every frame DELAY_MS and drops its own chosen
# client data segments: pktfwd 1 upstream of the capture point (never
# seen there), pktfwd 2 downstream (seen once, then again when resent).
IF_X1=pkl-x1       # in pkl-cn-m, loss-middle only: pktfwd 1's "b" side
IF_X2=pkl-x2       # in pkl-cn-m, loss-middle only: pktfwd 2's "a" side

# start_fwd_between IF_A IF_B LOGNAME [rules]: start_fwd on another pair
# of interfaces of the middle namespace (start_fwd reads IF_M1/IF_M2,
# which these locals shadow while it runs).
start_fwd_between() {
    local IF_M1=$1 IF_M2=$2; shift 2
    start_fwd "$@"
}

# 60 000 bytes (42 segments) through both forwarders.  pktfwd 1 drops
# the 5th and 27th client data segments it sees, pktfwd 2 the 20th and
# 33rd that reach it (past pktfwd 1's drops, resends included).
sc_loss_middle() {
    local sc=loss-middle fwd2_pid fwd2_log
    ip link add "$IF_X1" netns "$NS_M" type veth peer name "$IF_X2" netns "$NS_M"
    offloads_off "$NS_M" "$IF_X1"
    offloads_off "$NS_M" "$IF_X2"
    ip -n "$NS_M" link set "$IF_X1" up
    ip -n "$NS_M" link set "$IF_X2" up
    start_fwd_between "$IF_X2" "$IF_M2" "$sc.server-side.log" \
        --match tcpdata --dir a2b --drop-nth 20,33
    fwd2_pid=$FWD_PID fwd2_log=$FWD_LOG
    local IF_M2=$IF_X1                         # pktfwd 1: pkl-m1 <-> pkl-x1
    bulk_tcp "$sc" "$(sport_for 40018)" 8118 "$NS_M" "$IF_X1" -- \
        --match tcpdata --dir a2b --drop-nth 5,27
    stop_fwd "$sc.client-side.pktfwd.log"
    FWD_PID=$fwd2_pid FWD_LOG=$fwd2_log
    stop_fwd "$sc.server-side.pktfwd.log"
    ip -n "$NS_M" link del "$IF_X1"
}

# ---------------------------------------------------------------- pmtu-drop
# A PMTU drop needs a router that can say so: pktfwd copies frames and can
# send no ICMP, so this scenario has a topology of its own, four more
# namespaces made for each attempt and deleted after it (a path MTU the
# client learnt cannot outlive its namespace):
#
#   pkl-cn-pc        pkl-cn-pr (ip_forward=1, here only)     pkl-cn-pm           pkl-cn-ps
#   pkl-pc0 -------- pkl-pr1 | pkl-pr2 ------------------ pkl-pm1 [pktfwd] pkl-pm2 --- pkl-ps0
#   10.79.2.1        10.79.2.254 | 10.79.3.254                                       10.79.3.2
#   mtu 1500         mtu 1500    | mtu 1280                                          mtu 1500
#
# Only the router's server-side link is narrow: the server's own veth keeps
# 1500, so its SYN/ACK offers MSS 1460 and the client learns of the narrow
# hop only from the router's ICMP "fragmentation needed" (type 3 code 4,
# next-hop MTU 1280), which the router's kernel sends for every full-size
# DF segment it cannot forward (PMTU errors are not rate-limited).  The
# server sends nothing larger than 1280 bytes back (a short reply), so the
# veth's two MTUs never drop a frame the other way.  pktfwd, without
# rules, only delays the frames beyond the router by DELAY_MS each way:
# the router is near the client and the server a round trip away, so the
# handshake shows where the capture sits and the resends, which follow
# the router's ICMP at once, come long before any timer could fire.
# Captured on the client's veth.  The truth goes to pmtu-drop.truth.json
# (facts.py --record-pmtu): the router's counters, the client's route and
# socket.
NS_PC=pkl-cn-pc
NS_PR=pkl-cn-pr
NS_PM=pkl-cn-pm
NS_PS=pkl-cn-ps
IF_PC=pkl-pc0
IF_PR1=pkl-pr1
IF_PR2=pkl-pr2
IF_PM1=pkl-pm1
IF_PM2=pkl-pm2
IF_PS=pkl-ps0
IP_PC=10.79.2.1
IP_PR1=10.79.2.254
IP_PR2=10.79.3.254
IP_PS=10.79.3.2
PMTU_LINK_MTU=1280
PMTU_WRITES="5000 5000 5000 5000"   # the client's send() sizes

pmtu_topology() {
    pkl_netns_add "$NS_PC" "$NS_PR" "$NS_PM" "$NS_PS" ||
        die "cannot create the pmtu-drop namespaces"
    local ns
    for ns in "$NS_PC" "$NS_PR" "$NS_PM" "$NS_PS"; do
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
        ip -n "$ns" link set lo up
    done
    ip netns exec "$NS_PR" sysctl -qw net.ipv4.ip_forward=1
    ip link add "$IF_PC" netns "$NS_PC" type veth peer name "$IF_PR1" netns "$NS_PR"
    ip link add "$IF_PR2" netns "$NS_PR" type veth peer name "$IF_PM1" netns "$NS_PM"
    ip link add "$IF_PS" netns "$NS_PS" type veth peer name "$IF_PM2" netns "$NS_PM"
    ip -n "$NS_PC" link set "$IF_PC" address 52:54:00:0c:02:01
    ip -n "$NS_PR" link set "$IF_PR1" address 52:54:00:0c:02:fe
    ip -n "$NS_PR" link set "$IF_PR2" address 52:54:00:0c:03:fe
    ip -n "$NS_PS" link set "$IF_PS" address 52:54:00:0c:03:02
    ip -n "$NS_PR" link set "$IF_PR2" mtu "$PMTU_LINK_MTU"
    offloads_off "$NS_PC" "$IF_PC"
    offloads_off "$NS_PR" "$IF_PR1"
    offloads_off "$NS_PR" "$IF_PR2"
    offloads_off "$NS_PM" "$IF_PM1"
    offloads_off "$NS_PM" "$IF_PM2"
    offloads_off "$NS_PS" "$IF_PS"
    ip -n "$NS_PC" addr add "$IP_PC/24" dev "$IF_PC"
    ip -n "$NS_PR" addr add "$IP_PR1/24" dev "$IF_PR1"
    ip -n "$NS_PR" addr add "$IP_PR2/24" dev "$IF_PR2"
    ip -n "$NS_PS" addr add "$IP_PS/24" dev "$IF_PS"
    ip -n "$NS_PC" link set "$IF_PC" up
    ip -n "$NS_PR" link set "$IF_PR1" up
    ip -n "$NS_PR" link set "$IF_PR2" up
    ip -n "$NS_PM" link set "$IF_PM1" up
    ip -n "$NS_PM" link set "$IF_PM2" up
    ip -n "$NS_PS" link set "$IF_PS" up
    ip -n "$NS_PC" route add default via "$IP_PR1"
    ip -n "$NS_PS" route add default via "$IP_PR2"
    sleep 0.5
}

# The two programs: the server reads to EOF and answers "got N bytes"; the
# client sends PMTU_WRITES (each send() logged) and, before it closes,
# logs what its kernel knows of the path: IP_MTU and TCP_INFO.
write_pmtu_peer() {
    cat >"$WORK/pmtu-peer.py" <<'EOF'
import json, socket, struct, sys, time
role, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
IP_MTU = 14
if role == "server":
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(1)
    ls.settimeout(10)
    c, _ = ls.accept()
    c.settimeout(10)
    n = 0
    while True:
        chunk = c.recv(65536)
        if not chunk:
            break
        n += len(chunk)
    c.sendall(b"got %d bytes\n" % n)
    c.close()
    sys.exit(0)
bind, log, sizes = sys.argv[4], sys.argv[5], [int(x) for x in sys.argv[6:]]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
bip, bport = bind.rsplit(":", 1)
s.bind((bip, int(bport)))
s.settimeout(10)
s.connect((addr, port))
out = {"ip_mtu_at_connect": s.getsockopt(socket.IPPROTO_IP, IP_MTU), "writes": []}
for i, n in enumerate(sizes):
    t = time.time()
    s.sendall(bytes((i * 7 + k) % 251 for k in range(n)))
    out["writes"].append({"t": round(t, 6), "bytes": n})
s.shutdown(socket.SHUT_WR)
reply = b""
while True:
    chunk = s.recv(4096)
    if not chunk:
        break
    reply += chunk
# struct tcp_info (linux/tcp.h): tcpi_snd_mss at byte 16, tcpi_pmtu at 60,
# tcpi_total_retrans (segments this socket resent) at 100
ti = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
out["ip_mtu_at_close"] = s.getsockopt(socket.IPPROTO_IP, IP_MTU)
out["tcp_info"] = {"snd_mss": struct.unpack_from("I", ti, 16)[0],
                   "pmtu": struct.unpack_from("I", ti, 60)[0],
                   "total_retrans": struct.unpack_from("I", ti, 100)[0]}
out["reply"] = reply.decode()
s.close()
json.dump(out, open(log, "w"))
sys.exit(0 if reply == b"got %d bytes\n" % sum(sizes) else 1)
EOF
}

# snmp NS FILE: the namespace's IP, ICMP and TCP counters.
snmp() { ip netns exec "$1" cat /proc/net/snmp /proc/net/netstat >"$2"; }

# 20 000 bytes client -> server through the router: the full-size
# segments of the first flight are dropped with "fragmentation needed",
# the client lowers its path MTU and resends their bytes in segments that
# fit; the rest of the transfer goes out in those.
sc_pmtu_drop() {
    local sc=pmtu-drop sport pid
    # start_fwd and stop_fwd run pktfwd between these (bash's dynamic
    # scope: the shared topology's names, shadowed while this runs)
    local NS_M=$NS_PM IF_M1=$IF_PM1 IF_M2=$IF_PM2
    sport=$(sport_for 40018)
    pmtu_topology
    write_pmtu_peer
    start_fwd "$sc.log"
    start_capture "$WORK/$sc.pcap" "$NS_PC" "$IF_PC"
    snmp "$NS_PC" "$WORK/$sc.mib-c0"
    snmp "$NS_PR" "$WORK/$sc.mib-r0"
    snmp "$NS_PS" "$WORK/$sc.mib-s0"
    ip netns exec "$NS_PS" timeout 20 "$PY" "$WORK/pmtu-peer.py" server "$IP_PS" 8118 &
    pid=$!
    pkl_track "$pid"
    wait_listen "$NS_PS" tcp 8118
    # shellcheck disable=SC2086  # one argument per write
    ip netns exec "$NS_PC" timeout 20 "$PY" "$WORK/pmtu-peer.py" client "$IP_PS" 8118 \
        "$IP_PC:$sport" "$WORK/$sc.client.json" $PMTU_WRITES || die "$sc: client failed"
    wait "$pid" || die "$sc: server failed"
    ip -n "$NS_PC" route get "$IP_PS" >"$WORK/$sc.route"
    ip netns exec "$NS_PC" ss -tanH "( sport = :$sport and dport = :8118 )" >"$WORK/ss-c" || true
    ip netns exec "$NS_PS" ss -tanH "( sport = :8118 and dport = :$sport )" >"$WORK/ss-s" || true
    snmp "$NS_PC" "$WORK/$sc.mib-c1"
    snmp "$NS_PR" "$WORK/$sc.mib-r1"
    snmp "$NS_PS" "$WORK/$sc.mib-s1"
    stop_captures
    install_capture "$WORK/$sc.pcap" "$sc.pcap"
    stop_fwd
    "$PY" "$FACTS" --record-states "$sc" "$WORK/ss-c" "$WORK/ss-s" \
        "$WORK/$sc.mib-c0" "$WORK/$sc.mib-c1" "$WORK/$sc.mib-s0" "$WORK/$sc.mib-s1"
    "$PY" "$FACTS" --record-pmtu "$OUT_DIR/$sc.truth.json" \
        "$(ip -n "$NS_PR" -o link show "$IF_PR2")" "$WORK/$sc.route" "$WORK/$sc.client.json" \
        "$WORK/$sc.mib-r0" "$WORK/$sc.mib-r1" "$WORK/$sc.mib-c0" "$WORK/$sc.mib-c1"
    ip netns del "$NS_PC"
    ip netns del "$NS_PR"
    ip netns del "$NS_PM"
    ip netns del "$NS_PS"
}

FAILED=()
run_scenario() {
    local sc=$1
    for ATTEMPT in 1 2 3; do
        "sc_${sc//-/_}"
        if "$PY" "$FACTS" --check-one "$sc.pcap"; then
            return 0
        fi
        echo "  $sc: attempt $ATTEMPT does not show what it should" >&2
    done
    echo "  $sc: WARNING: kept attempt 3, which fails its checks" >&2
    FAILED+=("$sc")
}

echo "recording into $OUT_DIR (pktfwd seed $SEED, delay $DELAY_MS ms each way)"
for sc in "${SCENARIOS[@]}"; do
    run_scenario "$sc"
done
if [[ ${#FAILED[@]} -gt 0 ]]; then
    die "scenarios failing their checks: ${FAILED[*]}"
fi
echo "regenerating facts.json"
"$PY" "$FACTS" || die "facts.py found mismatches"
echo "done"
