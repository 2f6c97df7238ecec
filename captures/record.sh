#!/usr/bin/env bash
# record.sh - record pktlens' sample captures from real kernel traffic.
#
# Run as root:   sudo captures/record.sh
#
# Creates two network namespaces, pkl-cap-a and pkl-cap-b, joined by a veth
# pair (pkl-va in pkl-cap-a, pkl-vb in pkl-cap-b), generates a few small,
# bounded bursts of traffic between them and records each burst with tcpdump
# inside pkl-cap-a.  Nothing is ever sent outside the two namespaces: every
# destination is 10.77.1.0/24, fd77::/64 or loopback inside a namespace.
# The namespaces are deleted by exact name on exit, even on failure.
#
# Needs: iproute2, tcpdump, arping (Thomas Habets' or iputils'), ping
# (iputils-ping), /usr/bin/python3, timeout (coreutils), ss (iproute2).
#
# Output (next to this script): tcp-handshake.pcap arp.pcap ping.pcap udp.pcap
# icmp-port-unreachable.pcap ipv6-tcp.pcap tcp-any.pcap lo-tcp.pcap
set -euo pipefail

NS_A=pkl-cap-a
NS_B=pkl-cap-b
IF_A=pkl-va
IF_B=pkl-vb
MAC_A=52:54:00:12:34:56
MAC_B=52:54:00:65:43:21
IP_A=10.77.1.1
IP_B=10.77.1.2
IP6_A=fd77::1
IP6_B=fd77::2
PY=/usr/bin/python3

OUT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() { echo "record.sh: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must be run as root (sudo $0)"
for tool in ip tcpdump arping ping "$PY"; do
    command -v "$tool" >/dev/null || die "missing tool: $tool"
done
"$PY" -c 'import socket' || die "$PY does not work"
. "$OUT_DIR/../tools/netns.sh"
pkl_netns_begin pkl-capture || die "cannot make a scratch directory in /tmp"
WORK=$PKL_TMP

in_a() { ip netns exec "$NS_A" "$@"; }
in_b() { ip netns exec "$NS_B" "$@"; }

# ---------------------------------------------------------------- topology
pkl_netns_add "$NS_A" "$NS_B" || die "cannot create the namespaces"

for ns in "$NS_A" "$NS_B"; do
    # No IPv6 (router solicitations, MLD, ...) unless a scenario wants it.
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.router_solicitations=0
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.router_solicitations=0
    ip -n "$ns" link set lo up
done

ip link add "$IF_A" netns "$NS_A" type veth peer name "$IF_B" netns "$NS_B"
ip -n "$NS_A" link set "$IF_A" address "$MAC_A"
ip -n "$NS_B" link set "$IF_B" address "$MAC_B"
ip -n "$NS_A" addr add "$IP_A/24" dev "$IF_A"
ip -n "$NS_B" addr add "$IP_B/24" dev "$IF_B"
ip -n "$NS_A" link set "$IF_A" up
ip -n "$NS_B" link set "$IF_B" up
sleep 0.5

# ---------------------------------------------------------------- helpers
CAP_PID=""
CAP_FILE=""

# start_capture NAME IFACE [extra tcpdump args...]
# Starts tcpdump inside pkl-cap-a and waits until it is listening.
start_capture() {
    local name=$1 ifc=$2; shift 2
    CAP_FILE="$WORK/$name"
    local err="$WORK/$name.stderr"
    : >"$err"
    # `ip netns exec` execs tcpdump, so $! is tcpdump's own PID.
    # --immediate-mode: without it libpcap's TPACKET_V3 ring hands packets
    # over in blocks, and the last ones are lost when tcpdump gets SIGINT.
    ip netns exec "$NS_A" tcpdump -i "$ifc" -w "$CAP_FILE" -U --immediate-mode -Z root -nn "$@" \
        2>"$err" &
    CAP_PID=$!
    pkl_track "$CAP_PID"
    local i
    for ((i = 0; i < 50; i++)); do          # at most 5 s
        if grep -q "listening on" "$err"; then
            sleep 0.3
            return 0
        fi
        kill -0 "$CAP_PID" 2>/dev/null || { cat "$err" >&2; die "tcpdump for $name died"; }
        sleep 0.1
    done
    cat "$err" >&2
    die "tcpdump for $name did not start listening"
}

# stop_capture: SIGINT the running tcpdump, wait for it, move file in place.
stop_capture() {
    sleep 0.5                                # let the last frames arrive
    kill -INT "$CAP_PID"
    wait "$CAP_PID" || true
    local name
    name=$(basename "$CAP_FILE")
    [[ -s $CAP_FILE ]] || die "no capture written for $name"
    sed -n 's/^\([0-9]* packets captured\)$/\1/p' "$WORK/$name.stderr" |
        sed "s/^/  $name: /"
    install -m 0644 "$CAP_FILE" "$OUT_DIR/$name"
    CAP_PID=""
}

flush_neigh() {
    ip -n "$NS_A" neigh flush all
    ip -n "$NS_B" neigh flush all
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

# A tiny HTTP-like TCP server: accept one connection, read the request,
# send the reply, wait for the client's FIN, then close (server closes last).
tcp_server() {   # tcp_server NS FAMILY ADDR PORT
    ip netns exec "$1" timeout 15 "$PY" - "$2" "$3" "$4" <<'EOF' &
import socket, sys
fam = socket.AF_INET6 if sys.argv[1] == "6" else socket.AF_INET
addr, port = sys.argv[2], int(sys.argv[3])
reply = (b"HTTP/1.0 200 OK\r\n"
         b"Content-Type: text/plain\r\n"
         b"Content-Length: 19\r\n"
         b"\r\n"
         b"hello from pktlens\n")
s = socket.socket(fam, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port))
s.listen(1)
s.settimeout(10)
c, _ = s.accept()
c.settimeout(10)
req = b""
while b"\r\n\r\n" not in req:
    chunk = c.recv(4096)
    if not chunk:
        break
    req += chunk
c.sendall(reply)
while c.recv(4096):          # wait for the client's FIN
    pass
c.close()
s.close()
EOF
    pkl_track "$!"
    SERVER_PID=$!
}

tcp_client() {   # tcp_client NS FAMILY ADDR PORT HOSTNAME
    ip netns exec "$1" timeout 15 "$PY" - "$2" "$3" "$4" "$5" <<'EOF'
import socket, sys
fam = socket.AF_INET6 if sys.argv[1] == "6" else socket.AF_INET
addr, port, host = sys.argv[2], int(sys.argv[3]), sys.argv[4]
req = ("GET /hello HTTP/1.0\r\n"
       "Host: %s\r\n"
       "User-Agent: pktlens-capture\r\n"
       "\r\n" % host).encode()
s = socket.socket(fam, socket.SOCK_STREAM)
s.settimeout(10)
s.connect((addr, port))
s.sendall(req)
resp = b""
while not resp.endswith(b"hello from pktlens\n"):
    chunk = s.recv(4096)
    if not chunk:
        break
    resp += chunk
s.close()                    # client closes first
EOF
}

tcp_exchange() { # tcp_exchange SERVER_NS CLIENT_NS FAMILY ADDR PORT
    local sns=$1 cns=$2 fam=$3 addr=$4 port=$5
    tcp_server "$sns" "$fam" "$addr" "$port"
    wait_listen "$sns" tcp "$port"
    tcp_client "$cns" "$fam" "$addr" "$port" "$addr"
    wait "$SERVER_PID" || die "TCP server failed"
}

# ---------------------------------------------------------------- scenarios
echo "recording into $OUT_DIR"

# 1. TCP: ARP, three-way handshake, request/reply, four-way teardown.
flush_neigh
start_capture tcp-handshake.pcap "$IF_A"
tcp_exchange "$NS_B" "$NS_A" 4 "$IP_B" 8080
stop_capture

# 2. ARP: request/reply, gratuitous ARP, ARP probe (sender IP 0.0.0.0).
flush_neigh
start_capture arp.pcap "$IF_A"
if arping --help 2>&1 | grep -qi habets; then
    # Thomas Habets' arping (Debian package "arping"): -U = unsolicited
    # (gratuitous) ARP, -0 = sender IP 0.0.0.0, i.e. an RFC 5227 probe;
    # its -D only changes how replies are displayed.
    in_a timeout 5 arping -q -c 2 -W 0.3 -w 3 -i "$IF_A" "$IP_B" || die "arping failed"
    sleep 0.2
    in_a timeout 5 arping -q -U -c 1 -w 1 -i "$IF_A" -S "$IP_A" "$IP_A" || true
    sleep 0.2
    in_a timeout 5 arping -q -0 -c 1 -w 1 -i "$IF_A" "$IP_B" || true
else
    # iputils arping (Debian package "iputils-arping"): -U = gratuitous,
    # -D = duplicate address detection (probe with sender IP 0.0.0.0).
    in_a timeout 5 arping -q -c 2 -w 3 -I "$IF_A" "$IP_B" || die "arping failed"
    sleep 0.2
    in_a timeout 5 arping -q -U -c 1 -w 1 -I "$IF_A" -s "$IP_A" "$IP_A" || true
    sleep 0.2
    in_a timeout 5 arping -q -D -c 1 -w 1 -I "$IF_A" "$IP_B" || true
fi
stop_capture

# 3. ping: ARP + 4 echo request/reply pairs.
flush_neigh
start_capture ping.pcap "$IF_A"
in_a timeout 5 ping -n -q -c 4 -i 0.2 -W 1 "$IP_B" >/dev/null || die "ping failed"
stop_capture

# 4. UDP: 3 datagrams to 10.77.1.2:9999, each echoed back.
flush_neigh
start_capture udp.pcap "$IF_A"
in_b timeout 10 "$PY" - "$IP_B" 9999 <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.settimeout(5)
for _ in range(3):
    data, peer = s.recvfrom(2048)
    s.sendto(data, peer)
s.close()
EOF
SERVER_PID=$!; pkl_track "$SERVER_PID"
wait_listen "$NS_B" udp 9999
in_a timeout 10 "$PY" - "$IP_B" 9999 <<'EOF' || die "UDP client failed"
import socket, sys
dst = (sys.argv[1], int(sys.argv[2]))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.77.1.1", 40000))
s.settimeout(2)
for i in range(1, 4):
    s.sendto(b"pktlens udp datagram %d\n" % i, dst)
    s.recvfrom(2048)
s.close()
EOF
wait "$SERVER_PID" || die "UDP server failed"
stop_capture

# 5. UDP to a closed port -> ICMP port unreachable from the kernel.
flush_neigh
start_capture icmp-port-unreachable.pcap "$IF_A"
in_a timeout 5 "$PY" - "$IP_B" 33434 <<'EOF' || die "UDP probe failed"
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.77.1.1", 40001))
s.sendto(b"anyone listening on 33434?\n", (sys.argv[1], int(sys.argv[2])))
time.sleep(0.3)
s.close()
EOF
stop_capture

# 6. TCP over Ethernet captured on the "any" device (Linux cooked header).
flush_neigh
if in_a tcpdump -i any -L 2>/dev/null | grep -q LINUX_SLL2; then
    any_args=(-y LINUX_SLL2)
else
    any_args=()
fi
start_capture tcp-any.pcap any "${any_args[@]}"
tcp_exchange "$NS_B" "$NS_A" 4 "$IP_B" 8081
stop_capture

# 7. TCP on loopback inside pkl-cap-a, captured on lo.
start_capture lo-tcp.pcap lo
tcp_exchange "$NS_A" "$NS_A" 4 127.0.0.1 8082
stop_capture

# 8. TCP over IPv6 with neighbour discovery.  IPv6 is enabled only now; the
#    link-local/MLD start-up chatter is allowed to settle before capturing.
for ns_if in "$NS_A:$IF_A" "$NS_B:$IF_B"; do
    ns=${ns_if%%:*}; ifc=${ns_if#*:}
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0
    ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$ifc.router_solicitations=0"
    ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$ifc.accept_ra=0"
    ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$ifc.accept_dad=0"
    ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$ifc.disable_ipv6=0"
done
ip -n "$NS_A" addr add "$IP6_A/64" dev "$IF_A" nodad
ip -n "$NS_B" addr add "$IP6_B/64" dev "$IF_B" nodad
sleep 3                          # unsolicited MLD reports, link-local DAD
flush_neigh
start_capture ipv6-tcp.pcap "$IF_A"
tcp_exchange "$NS_B" "$NS_A" 6 "$IP6_B" 8080
stop_capture

echo "done"
