#!/bin/bash
# The injector on a real link: two network namespaces joined by a veth
# pair.  build/tests/craft-arp (src/craft/frame.c builds, src/craft/
# inject.c sends, every capability given up in between) sends one ARP
# request from A; tcpdump in B must record it as built and B's kernel's
# reply to it.  Then the injector's refusals, each one sentence: no such
# interface, down, not Ethernet, no permission, a frame over the MTU.
# Everything is bounded in count and time; the namespaces are deleted by
# name on exit, failed or not.  Run it as:
#   flock /tmp/pkl-net.lock tests/net/inject.sh
set -u
cd "$(dirname "$0")/../.."
SEND=$(pwd)/${CRAFT_ARP:-build/tests/craft-arp}
NS_A=pkl-inj-a
NS_B=pkl-inj-b
IF_A=pkl-inja
IF_B=pkl-injb
MAC_A=52:54:00:aa:01:01
MAC_B=52:54:00:bb:01:02
ADDR_A=10.79.1.1
ADDR_B=10.79.1.2
skip=0
. tools/netns.sh
pkl_netns_begin pkl-inject || exit 1
tmp=$PKL_TMP

. tests/lib.sh
in_a() { ip netns exec "$NS_A" "$@"; }
in_b() { ip netns exec "$NS_B" "$@"; }
finish() {
	echo "inject: $pass passed, $fail failed, $skip skipped"
	[ "$fail" = 0 ]
	exit
}
# As root or in CI a test that cannot run is a failure, else a skip (as
# tests/net/sniff.sh).
cannot() {
	if [ "$(id -u)" = 0 ] || [ "${CI:-}" = 1 ]; then
		bad "$1 (as root or in CI this is a failure, not a skip)"
	else
		echo "inject: $1: skipped"; skip=$((skip + 1))
	fi
}

if [ ! -x "$SEND" ]; then
	bad "$SEND is missing: build it with make build/tests/craft-arp"
	finish
fi
if [ "$(id -u)" != 0 ] || ! pkl_netns_add "$NS_A" "$NS_B"; then
	cannot "cannot create network namespaces (needs root and iproute2)"
	finish
fi
ip link add "$IF_A" netns "$NS_A" type veth peer name "$IF_B" netns "$NS_B"
in_a ip link set "$IF_A" address "$MAC_A"
in_b ip link set "$IF_B" address "$MAC_B"
for ns in "$NS_A" "$NS_B"; do
	# No IPv6: its router and neighbour discovery would share the link.
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip netns exec "$ns" ip link set lo up
done
in_a ip addr add "$ADDR_A/24" dev "$IF_A"
in_b ip addr add "$ADDR_B/24" dev "$IF_B"
in_a ip link set "$IF_A" up
in_b ip link set "$IF_B" up

# tcpdump in B: the request and the reply, two frames at most, 10 s at most.
in_b timeout 10 tcpdump -i "$IF_B" -nn -U -c 2 -w "$tmp/b.pcap" arp 2> "$tmp/tcpdump.err" &
tcpdump_pid=$!
pkl_track "$tcpdump_pid"
for _ in $(seq 50); do
	grep -q "listening on" "$tmp/tcpdump.err" 2>/dev/null && break
	sleep 0.1
done

in_a timeout 5 "$SEND" "$IF_A" "$MAC_A" "$ADDR_A" "$ADDR_B" > "$tmp/send.out" 2> "$tmp/send.err"
st=$?
check "craft-arp sends (exit $st: $(cat "$tmp/send.err"))" [ "$st" = 0 ]
wait "$tcpdump_pid"
check "tcpdump in B stopped after its two frames ($(cat "$tmp/tcpdump.err"))" \
	grep -q "^2 packets captured" "$tmp/tcpdump.err"

tshark -r "$tmp/b.pcap" -T fields -E separator=' ' -e eth.src -e eth.dst -e arp.opcode \
	-e arp.src.hw_mac -e arp.src.proto_ipv4 -e arp.dst.hw_mac -e arp.dst.proto_ipv4 \
	> "$tmp/b.txt" 2> /dev/null
check "B heard A's request as built: $(sed -n 1p "$tmp/b.txt")" [ "$(sed -n 1p "$tmp/b.txt")" = \
	"$MAC_A ff:ff:ff:ff:ff:ff 1 $MAC_A $ADDR_A 00:00:00:00:00:00 $ADDR_B" ]
check "B's kernel answered it: $(sed -n 2p "$tmp/b.txt")" [ "$(sed -n 2p "$tmp/b.txt")" = \
	"$MAC_B $MAC_A 2 $MAC_B $ADDR_B $MAC_A $ADDR_A" ]

# expect_refusal DESCRIPTION PATTERN command...: exit 1, one sentence on stderr.
expect_refusal() {
	local what=$1 pattern=$2; shift 2
	"$@" > /dev/null 2> "$tmp/refusal.err"
	local st=$?
	check "$what: exit 1 (got $st)" [ "$st" = 1 ]
	check "$what: says /$pattern/ ($(cat "$tmp/refusal.err"))" grep -qE -- "$pattern" "$tmp/refusal.err"
	check "$what: one line" [ "$(wc -l < "$tmp/refusal.err")" = 1 ]
}
arp_from_a() {   # arp_from_a IFACE [FRAME_SIZE]
	in_a timeout 5 "$SEND" "$1" "$MAC_A" "$ADDR_A" "$ADDR_B" "${@:2}"
}

expect_refusal "unknown interface" "there is no interface named pkl-nosuch; list them with: pktlens sniff -D" \
	arp_from_a pkl-nosuch
in_a ip link add pkl-injd type veth peer name pkl-injp   # both left down
expect_refusal "interface down" "interface pkl-injd is down: bring it up with: sudo ip link set pkl-injd up" \
	arp_from_a pkl-injd
if in_a ip tuntap add dev pkl-injt mode tun 2> /dev/null; then
	in_a ip link set pkl-injt up
	expect_refusal "tun device" "interface pkl-injt carries no Ethernet header" arp_from_a pkl-injt
else
	cannot "cannot create a tun device"
fi
expect_refusal "no permission" \
	"no permission to send on $IF_A: run it with sudo, or give the binary the capability once: sudo setcap cap_net_raw=ep" \
	in_a setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
	timeout 5 "$SEND" "$IF_A" "$MAC_A" "$ADDR_A" "$ADDR_B"
# The veth's MTU of 1500 takes frames of 1514 bytes, not one more.
arp_from_a "$IF_A" 1514 2> "$tmp/mtu.err"
st=$?
check "a 1514-byte frame goes out on a 1500-byte MTU (exit $st: $(cat "$tmp/mtu.err"))" [ "$st" = 0 ]
expect_refusal "a frame over the MTU" \
	"a 1515-byte frame is larger than $IF_A takes \(MTU 1500: frames of 1514 bytes" \
	arp_from_a "$IF_A" 1515

# tools/netns.sh and a run that ended without its trap (SIGKILL): the
# namespace it made is removed by the next run; one of a run still going
# is refused, and stays.
leftover() {   # leftover NAME: a run that makes NAME, then is killed
	{ bash -c '. tools/netns.sh; pkl_netns_add "$1" && kill -KILL $$' _ "$1"; } 2> /dev/null
}
leftover pkl-inj-left
check "a killed run leaves its namespace (the trap cannot run)" ip netns pids pkl-inj-left
bash -c '. tools/netns.sh; pkl_netns_begin pkl-inject; pkl_netns_add pkl-inj-left' \
	> /dev/null 2> "$tmp/left.err"
check "the next run removes it, saying so ($(cat "$tmp/left.err"))" \
	grep -q "removing namespace pkl-inj-left, left over from a test run (PID [0-9]*) that has ended" "$tmp/left.err"
check "and deletes it by name on exit" [ -z "$(ip netns list | grep -w pkl-inj-left)" ]
check "a namespace of a live run is refused" \
	bash -c '. tools/netns.sh; ! pkl_netns_add '"$NS_A"' 2> /dev/null'
check "and stays" ip netns pids "$NS_A"

finish
