# tests/net/lab.sh - sourced by the crafting suites (tests/net/craft.sh,
# tests/net/syn.sh): a lab of network namespaces.  pktlens's host A,
# host B on A's subnet, a second claimant D for B's address (its link
# down until a test brings it up), a router R, and a host C behind R.
# A, B, D and R meet on a bridge in a namespace of its own, so every end
# is inside a namespace.  B records every frame it sees with tcpdump
# ($tmp/b.pcap; lab_b_capture_check checks pktlens's frames in it with
# tshark).  Set LAB (a short name, unique per suite) before sourcing:
# the namespaces are pkl-$LAB-*, deleted by name on exit, failed or not.
#
# Provides: $P (the binary), $tmp, ok/bad/check, run NAME NS ARGS...
# (pktlens bounded by a timeout; $tmp/NAME.{out,err,rc}), rc NAME,
# has NAME.out REGEX, jqs FILTER FILE, in_ns NS CMD..., the addresses
# and MACs below, and finish (the closing line and exit status, tests/lib.sh).
set -u
cd "$(dirname "$0")/../.."
P=${PKTLENS:-$(pwd)/pktlens}
SUITE=${PKL_SUITE:-$LAB}
. tools/netns.sh
pkl_netns_begin "pkl-$LAB" || exit 1
tmp=$PKL_TMP

NS_SW=pkl-$LAB-sw NS_A=pkl-$LAB-a NS_B=pkl-$LAB-b NS_D=pkl-$LAB-d NS_R=pkl-$LAB-r NS_C=pkl-$LAB-c
A=10.71.1.1 B=10.71.1.2 R1=10.71.1.254 R2=10.71.2.1 C=10.71.2.2 FREE=10.71.1.77
A6=fd71:1::1 B6=fd71:1::2
MAC_A=52:54:00:71:00:01 MAC_B=52:54:00:71:00:02 MAC_D=52:54:00:71:00:04 MAC_R=52:54:00:71:00:fe

. tests/lib.sh
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
has() { grep -qE -- "$2" "$tmp/$1"; }   # has NAME.out REGEX
jqs() { jq -se "$@" > /dev/null; }      # jqs FILTER [ARGS] FILE: true over all records

if [ "$(id -u)" != 0 ] || ! pkl_netns_add $NS_SW $NS_A $NS_B $NS_D $NS_R $NS_C; then
	bad "cannot create network namespaces (needs root and iproute2)"
	finish
fi

# The lab.  No duplicate address detection (addresses usable at once),
# no IPv6 on the links that do not need it.
in_ns $NS_SW ip link add br0 type bridge
in_ns $NS_SW ip link set br0 up
attach() {   # attach NS IFACE MAC: a veth from NS to the bridge
	ip link add "$2" netns "$1" type veth peer name "p-$2" netns $NS_SW
	in_ns "$1" ip link set "$2" address "$3"
	in_ns $NS_SW ip link set "p-$2" master br0 up
}
attach $NS_A a0 $MAC_A
attach $NS_B b0 $MAC_B
attach $NS_D d0 $MAC_D
attach $NS_R r0 $MAC_R
ip link add r1 netns $NS_R type veth peer name c0 netns $NS_C
for ns in $NS_SW $NS_A $NS_B $NS_D $NS_R $NS_C; do
	in_ns $ns ip link set lo up
	in_ns $ns sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done
in_ns $NS_A ip addr add $A/24 dev a0
in_ns $NS_A ip addr add $A6/64 dev a0 nodad
in_ns $NS_B ip addr add $B/24 dev b0
in_ns $NS_B ip addr add $B6/64 dev b0 nodad
in_ns $NS_D ip addr add $B/24 dev d0
in_ns $NS_R ip addr add $R1/24 dev r0
in_ns $NS_R ip addr add $R2/24 dev r1
in_ns $NS_C ip addr add $C/24 dev c0
in_ns $NS_A ip link set a0 up
in_ns $NS_B ip link set b0 up
in_ns $NS_R ip link set r0 up
in_ns $NS_R ip link set r1 up
in_ns $NS_C ip link set c0 up
in_ns $NS_R sysctl -qw net.ipv4.ip_forward=1
in_ns $NS_A ip route add default via $R1
in_ns $NS_B ip route add default via $R1
in_ns $NS_C ip route add default via $R2

# B: what B records, to check pktlens's frames with tshark at the end.
# (ip netns exec execs tcpdump: $! is tcpdump itself, which TERM stops.)
ip netns exec $NS_B tcpdump -i b0 -U -w "$tmp/b.pcap" -s 0 > /dev/null 2> "$tmp/b-tcpdump.err" &
tcpdump_pid=$!
pkl_track $tcpdump_pid
for _ in $(seq 50); do grep -q "listening on" "$tmp/b-tcpdump.err" && break; sleep 0.1; done

# B's TCP services, for the scans of tests/net/syn.sh (lab_b_tcp_services
# starts them): a listener on PORT_OPEN (IPv4 and IPv6, bounded by a
# timeout), nothing on PORT_CLOSED, and nft rules in B's namespace that
# drop PORT_DROPPED and reject PORT_REJECTED with ICMP (ICMPv6)
# administratively prohibited.
PORT_OPEN=2201 PORT_CLOSED=2202 PORT_DROPPED=2203 PORT_REJECTED=2204
LISTEN_PY='import socket, sys, time
socks = [socket.create_server(("::", int(p)), family=socket.AF_INET6, dualstack_ipv6=True)
         for p in sys.argv[1:]]
time.sleep(300)'
lab_listen() {   # lab_listen NS PORT...: listeners until the lab ends
	local ns=$1 port; shift
	ip netns exec "$ns" timeout 300 /usr/bin/python3 -c "$LISTEN_PY" "$@" &
	pkl_track $!
	for port in "$@"; do
		for _ in $(seq 50); do
			in_ns "$ns" ss -Htln "sport = :$port" | grep -q . && break
			sleep 0.1
		done
	done
}
lab_b_tcp_services() {
	lab_listen $NS_B $PORT_OPEN
	in_ns $NS_B nft -f - <<-EOF
	table inet pkl_lab {
		chain input {
			type filter hook input priority 0; policy accept;
			tcp dport $PORT_DROPPED drop
			meta nfproto ipv4 tcp dport $PORT_REJECTED reject with icmp type admin-prohibited
			meta nfproto ipv6 tcp dport $PORT_REJECTED reject with icmpv6 type admin-prohibited
		}
	}
	EOF
}

# run NAME NS args...: pktlens in NS, bounded by a timeout; output in
# $tmp/NAME.{out,err}, exit status in $tmp/NAME.rc.
run() {
	local name=$1 ns=$2; shift 2
	in_ns "$ns" timeout 30 "$P" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
	echo $? > "$tmp/$name.rc"
}
rc() { cat "$tmp/$1.rc"; }


# Stop B's capture; pktlens's frames (from A's MAC) in it: none
# malformed, no expert error, no checksum note (expert group PI_CHECKSUM).
# An argument, a display filter, names frames from A's MAC that A's
# kernel sent, not pktlens (left out).
lab_b_capture_check() {
	sleep 0.3
	kill -TERM $tcpdump_pid 2>/dev/null; wait $tcpdump_pid 2>/dev/null
	tshark -r "$tmp/b.pcap" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
		-o udp.check_checksum:TRUE -T fields -e frame.number -e _ws.expert.message \
		-Y "eth.src == $MAC_A ${1:+&& !($1)} && (_ws.malformed || _ws.expert.group == 0x01000000 || _ws.expert.severity >= 0x00800000)" \
		> "$tmp/tshark-bad.txt" 2> "$tmp/tshark.err"
	check "tshark read what B recorded ($(cat $tmp/tshark.err | grep -v 'Running as user'))" \
		[ -s "$tmp/b.pcap" ]
	check "tshark finds no malformed frame and no bad checksum among A's ($(head -3 $tmp/tshark-bad.txt))" \
		[ ! -s "$tmp/tshark-bad.txt" ]
}
