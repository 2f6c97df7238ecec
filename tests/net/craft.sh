#!/bin/bash
# End-to-end tests of the crafting commands (arp, ping, syn) in a lab of
# network namespaces: pktlens's host A, host B on A's subnet (a listener,
# a closed port, a port nft drops, a port nft rejects with
# admin-prohibited), a second claimant D for B's address (up only for the
# conflict test), a router R, and a host C behind R.  A, B, D and R meet
# on a bridge in a namespace of its own, so every end is inside a
# namespace.  B records every frame it sees with tcpdump; tshark then
# checks that none of pktlens's frames is malformed.  Every command is
# bounded in count and time; the namespaces are deleted by name on exit,
# failed or not.
set -u
cd "$(dirname "$0")/../.."
P=${PKTLENS:-$(pwd)/pktlens}
SUITE=${PKL_SUITE:-craft}
pass=0 fail=0
. tools/netns.sh
pkl_netns_begin pkl-craft || exit 1
tmp=$PKL_TMP

NS_SW=pkl-cr-sw NS_A=pkl-cr-a NS_B=pkl-cr-b NS_D=pkl-cr-d NS_R=pkl-cr-r NS_C=pkl-cr-c
A=10.71.1.1 B=10.71.1.2 R1=10.71.1.254 R2=10.71.2.1 C=10.71.2.2 FREE=10.71.1.77
A6=fd71:1::1 B6=fd71:1::2
MAC_A=52:54:00:71:00:01 MAC_B=52:54:00:71:00:02 MAC_D=52:54:00:71:00:04 MAC_R=52:54:00:71:00:fe

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
check() {   # check DESCRIPTION command...
	local what=$1; shift
	if "$@"; then ok; else bad "$what"; fi
}
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
has() { grep -qE -- "$2" "$tmp/$1"; }   # has NAME.out REGEX
jqs() { jq -se "$@" > /dev/null; }      # jqs FILTER [ARGS] FILE: true over all records

if [ "$(id -u)" != 0 ] || ! pkl_netns_add $NS_SW $NS_A $NS_B $NS_D $NS_R $NS_C; then
	bad "cannot create network namespaces (needs root and iproute2)"
	echo "$SUITE: $pass passed, $fail failed"
	exit 1
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

# run NAME NS args...: pktlens in NS, bounded by a timeout; output in
# $tmp/NAME.{out,err}, exit status in $tmp/NAME.rc.
run() {
	local name=$1 ns=$2; shift 2
	in_ns "$ns" timeout 30 "$P" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
	echo $? > "$tmp/$name.rc"
}
rc() { cat "$tmp/$1.rc"; }

# ---- arp ----------------------------------------------------------------------------

run arp $NS_A arp -c 2 -W 0.3 $B
check "arp B: exit 0 ($(rc arp): $(cat $tmp/arp.err))" [ "$(rc arp)" = 0 ]
check "arp B: B's MAC in a reply line" has arp.out "^42 bytes from $MAC_B \\($B\\): index=0 time="
check "arp B: arping's statistics" has arp.out "^2 packets transmitted, 2 packets received,   0% unanswered"
check "arp B: the route is on-link, said with the arithmetic" \
	has arp.out "^route: $B AND 255.255.255.0 = 10.71.1.0, the network of a0 \\($A/24\\): on-link, ARP for $B itself"
check "arp B: the request shown as sent" has arp.out "^#1 .*  Out ARP who-has $B\\? tell $A"
check "arp B: the reply shown as received" has arp.out "  In  ARP $B is-at $MAC_B"
check "arp B: the reply answers the request (the tracker's note)" has arp.out "answers the request of frame 1"

run arp-free $NS_A arp -c 2 -W 0.2 $FREE
check "arp unused address: exit 1" [ "$(rc arp-free)" = 1 ]
check "arp unused address: 100% unanswered" has arp-free.out "2 packets transmitted, 0 packets received, 100% unanswered"

run arp-q $NS_A arp -q -c 1 -W 0.2 $B
check "arp -q: no frame, only the result" bash -c "! grep -q '^#' $tmp/arp-q.out && grep -q '^42 bytes from' $tmp/arp-q.out"

run arp-json $NS_A arp --json -c 1 -W 0.2 $B
check "arp --json: every line is JSON" jqs . "$tmp/arp-json.out"
check "arp --json: the route record" \
	jqs --arg b $B 'map(select(.kind == "route"))[0] | .interface == "a0" and .on_link == true and .next_hop == $b' "$tmp/arp-json.out"
check "arp --json: the frames sent and received" \
	jqs 'map(select(.direction)) | map(.direction) == ["sent", "received"]' "$tmp/arp-json.out"
check "arp --json: the result record" \
	jqs --arg m $MAC_B 'last | .kind == "result" and .command == "arp" and .received == 1 and .replies[0].mac == $m and .conflict == false' "$tmp/arp-json.out"

run probe-free $NS_A arp --probe -c 2 -W 0.2 $FREE
check "arp --probe unused: exit 0, free" bash -c "[ $(rc probe-free) = 0 ] && grep -q '$FREE is free' $tmp/probe-free.out"
check "arp --probe: the probe's sender is 0.0.0.0" has probe-free.out "ARP who-has $FREE\\? tell 0.0.0.0|probe"
run probe-used $NS_A arp --probe -c 1 -W 0.2 $B
check "arp --probe B: exit 1, in use by B" bash -c "[ $(rc probe-used) = 1 ] && grep -q '$B is in use: claimed by $MAC_B' $tmp/probe-used.out"

run announce $NS_A arp --gratuitous -i a0 -c 1 -W 0.2
check "arp --gratuitous: announced, nobody else claims it" \
	bash -c "[ $(rc announce) = 0 ] && grep -q '$A announced 1 times; nobody else claims it' $tmp/announce.out"

# D claims B's address too: two MACs answer.
in_ns $NS_D ip link set d0 up
run conflict $NS_A arp -c 1 -W 0.3 $B
in_ns $NS_D ip link set d0 down
check "arp with two owners: an address conflict naming both MACs" \
	bash -c "grep -q 'address conflict: $B is claimed by 2 hosts:' $tmp/conflict.out && grep -q '$MAC_B' $tmp/conflict.out && grep -q '$MAC_D' $tmp/conflict.out"

run arp-bcast $NS_A arp -c 1 -W 0.1 10.71.1.255
check "arp to the subnet broadcast: refused, exit 1" \
	bash -c "[ $(rc arp-bcast) = 1 ] && grep -q 'broadcast address' $tmp/arp-bcast.err"
run arp-noif $NS_A arp -i nosuch0 -c 1 $B
check "arp on an unknown interface: one sentence, exit 1" \
	bash -c "[ $(rc arp-noif) = 1 ] && grep -q 'no interface named nosuch0' $tmp/arp-noif.err"
run arp-bad $NS_A arp -c 1 10.71.1.300
check "arp with a bad address: exit 2" [ "$(rc arp-bad)" = 2 ]

# ---- ping ---------------------------------------------------------------------------

run ping $NS_A ping -c 2 -i 0.2 $B
check "ping B: exit 0 ($(rc ping): $(cat $tmp/ping.err))" [ "$(rc ping)" = 0 ]
check "ping B: ping's reply line" has ping.out "^64 bytes from $B: icmp_seq=1 ttl=64 time=[0-9.]+ ms$"
check "ping B: ping's statistics" has ping.out "^2 packets transmitted, 2 received, 0% packet loss, time [0-9]+ms$"
check "ping B: the rtt line" has ping.out "^rtt min/avg/max/mdev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms$"
check "ping B: pktlens asks for B's MAC itself" has ping.out "Out ARP who-has $B\\? tell $A"
check "ping B: the request and the reply as frames" \
	bash -c "grep -q 'Out $A -> $B  ICMP echo request' $tmp/ping.out && grep -q 'In  $B -> $A  ICMP echo reply' $tmp/ping.out"

run ping-silent $NS_A ping -c 2 -i 0.2 -W 0.2 $FREE
check "ping a silent address: exit 1, 100% loss" \
	bash -c "[ $(rc ping-silent) = 1 ] && grep -q '100% packet loss' $tmp/ping-silent.out"

run ping-c $NS_A ping -c 1 -W 0.5 $C
check "ping C: exit 0 ($(rc ping-c): $(cat $tmp/ping-c.err))" [ "$(rc ping-c)" = 0 ]
check "ping C: via the gateway, said so" \
	has ping-c.out "^route: $C is on none of a0's networks; route 0.0.0.0/0 via $R1: ARP for the gateway, not for $C"
check "ping C: ARP for R, never for C" \
	bash -c "grep -q 'ARP who-has $R1? tell $A' $tmp/ping-c.out && ! grep -q 'ARP who-has $C?' $tmp/ping-c.out"
check "ping C: one router on the way (ttl 63)" has ping-c.out "^64 bytes from $C: icmp_seq=1 ttl=63 "

run ping-ttl $NS_A ping -c 1 -W 0.5 --ttl 1 $C
check "ping --ttl 1 toward C: time exceeded from R, exit 1" \
	bash -c "[ $(rc ping-ttl) = 1 ] && grep -q '^From $R1 icmp_seq=1 time exceeded: TTL exceeded in transit' $tmp/ping-ttl.out"

run ping-big $NS_A ping -c 1 -W 0.5 -s 3000 $B
check "ping -s 3000: answered ($(rc ping-big))" has ping-big.out "^3008 bytes from $B: icmp_seq=1 ttl=64"
check "ping -s 3000: pktlens's fragments shown" \
	bash -c "[ \$(grep -c 'Out $A -> $B  IPv4 fragment' $tmp/ping-big.out) = 2 ]"
check "ping -s 3000: the reply's fragments shown" \
	bash -c "[ \$(grep -c 'In  $B -> $A  IPv4 fragment' $tmp/ping-big.out) = 2 ]"

run ping-json $NS_A ping --json -c 2 -i 0.2 $B
check "ping --json: the result record" \
	jqs 'last | .kind == "result" and .command == "ping" and .transmitted == 2 and .received == 2 and .loss_pct == 0 and .rtt_min_ms > 0' "$tmp/ping-json.out"
check "ping --json: directions" \
	jqs '[.[] | select(.layers and (.layers | index("icmp"))) | .direction] == ["sent", "received", "sent", "received"]' "$tmp/ping-json.out"

run ping-q $NS_A ping -q -c 1 $B
check "ping -q: no frames" bash -c "! grep -q '^#' $tmp/ping-q.out && grep -q '1 received' $tmp/ping-q.out"

run ping6 $NS_A ping -c 2 -i 0.2 $B6
check "ping IPv6: exit 0 ($(rc ping6): $(cat $tmp/ping6.err))" [ "$(rc ping6)" = 0 ]
check "ping IPv6: a neighbour solicitation in ARP's place" \
	bash -c "grep -q 'Out .*neighbor solicitation\\|Out .*neighbour solicitation' $tmp/ping6.out"
check "ping IPv6: the replies" has ping6.out "^64 bytes from $B6: icmp_seq=2 ttl=64 "

run ping-flood $NS_A ping -c 2 -i 0.01 $B
check "ping -i 0.01 without --flood-ok: refused, exit 2" [ "$(rc ping-flood)" = 2 ]

# ---- what B saw ----------------------------------------------------------------------

sleep 0.3
kill -TERM $tcpdump_pid 2>/dev/null; wait $tcpdump_pid 2>/dev/null
# pktlens's frames (from A's MAC): none malformed, no expert error, no
# checksum note (expert group PI_CHECKSUM).
tshark -r "$tmp/b.pcap" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
	-o udp.check_checksum:TRUE -T fields -e frame.number -e _ws.expert.message \
	-Y "eth.src == $MAC_A && (_ws.malformed || _ws.expert.group == 0x01000000 || _ws.expert.severity >= 0x00800000)" \
	> "$tmp/tshark-bad.txt" 2> "$tmp/tshark.err"
check "tshark read what B recorded ($(cat $tmp/tshark.err | grep -v 'Running as user'))" \
	[ -s "$tmp/b.pcap" ]
check "tshark finds no malformed frame and no bad checksum among A's ($(head -3 $tmp/tshark-bad.txt))" \
	[ ! -s "$tmp/tshark-bad.txt" ]
check "B recorded pktlens's ARP requests" \
	bash -c "[ \$(tshark -r $tmp/b.pcap -Y 'arp.src.hw_mac == $MAC_A' 2>/dev/null | wc -l) -ge 5 ]"

echo "$SUITE: $pass passed, $fail failed"
[ "$fail" = 0 ]
