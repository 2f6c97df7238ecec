#!/bin/bash
# End-to-end test of the route decision (src/craft/route.c) and the
# neighbour lookup (src/craft/neigh.c) against the kernel, in network
# namespaces made here and deleted by name on exit, failed or not:
#
#   A (pkl-rt-a) --veth--+
#                        +-- bridge in R (pkl-rt-r): 10.79.1.254, fd79:1::fe, A's default router
#   B (pkl-rt-b) --veth--+
#
# A has 10.79.1.1/24 and fd79:1::1/64, more routes and interfaces of
# its own (below).  For each destination, build/tests/route_decide
# prints the decision; the truth is `ip -j route get` in A's namespace
# (interface, source, gateway).  Run it as
#     flock /tmp/pkl-net.lock tests/net/route.sh
set -u
cd "$(dirname "$0")/../.."
RD=${ROUTE_DECIDE:-$(pwd)/build/tests/route_decide}   # ROUTE_DECIDE: another build of it (the sanitizer one)
NS_A=pkl-rt-a
NS_B=pkl-rt-b
NS_R=pkl-rt-r
skip=0
. tools/netns.sh
pkl_netns_begin pkl-route || exit 1
tmp=$PKL_TMP

. tests/lib.sh
in_a() { ip netns exec "$NS_A" "$@"; }
in_b() { ip netns exec "$NS_B" "$@"; }
in_r() { ip netns exec "$NS_R" "$@"; }
# As root or in CI a test that cannot run is a failure, not a skip (see
# tests/net/sniff.sh).
strict=0
if [ "$(id -u)" = 0 ] || [ "${CI:-}" = 1 ]; then strict=1; fi
finish() {
	echo "route: $pass passed, $fail failed, $skip skipped"
	[ "$fail" = 0 ]
	exit
}
cannot() {
	if [ "$strict" = 1 ]; then
		bad "$1 (as root or in CI this is a failure, not a skip)"
	else
		echo "route: $1: skipped"; skip=$((skip + 1))
	fi
	finish
}

[ -x "$RD" ] || { bad "$RD is missing: build it with make build/tests/route_decide"; finish; }
if [ "$(id -u)" != 0 ] || ! pkl_netns_add "$NS_A" "$NS_B" "$NS_R"; then
	cannot "cannot create network namespaces (needs root and iproute2)"
fi

# Any step of the lab that fails ends the test, as a failure.
trap 'bad "setting up the namespaces failed at line $LINENO"; finish' ERR
for ns in "$NS_A" "$NS_B" "$NS_R"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	ip netns exec "$ns" ip link set lo up
done
in_r ip link add pkl-br type bridge
in_r ip link set pkl-br up
in_r ip addr add 10.79.1.254/24 dev pkl-br
in_r ip addr add fd79:1::fe/64 dev pkl-br nodad
ip link add a0 netns "$NS_A" type veth peer name ra netns "$NS_R"
ip link add b0 netns "$NS_B" type veth peer name rb netns "$NS_R"
for port in ra rb; do
	in_r ip link set "$port" master pkl-br
	in_r ip link set "$port" up
done
in_a ip link set a0 address 52:54:00:79:00:01
in_b ip link set b0 address 52:54:00:79:00:02
in_a ip addr add 10.79.1.1/24 dev a0
in_a ip addr add fd79:1::1/64 dev a0 nodad
in_b ip addr add 10.79.1.2/24 dev b0
in_b ip addr add fd79:1::2/64 dev b0 nodad
in_a ip link set a0 up
in_b ip link set b0 up
in_a ip route add default via 10.79.1.254
in_a ip -6 route add default via fd79:1::fe
# A's other routes: a longer prefix via B, an on-link route with no
# address of A's in it, a /25 of the connected /24 via R, a lower
# metric default that loses to nothing (same prefix, higher metric
# later), an unreachable prefix, and a policy rule the main table
# does not show.
in_a ip route add 10.79.50.0/24 via 10.79.1.2
in_a ip route add 10.79.60.0/24 dev a0
in_a ip route add 10.79.1.128/25 via 10.79.1.254
in_a ip route add 10.79.80.0/24 via 10.79.1.2 metric 50
in_a ip route add 10.79.80.0/24 via 10.79.1.254 metric 10
in_a ip route add unreachable 10.79.99.0/24
in_a ip route add 10.79.70.0/24 via 10.79.1.2 table 100
in_a ip rule add to 10.79.70.0/24 table 100
# A's other interfaces (veths, their far ends up in R: there may be no
# dummy driver): up with an IPv4 /24, down, without IPv4, and a /31.
for name in pkl-up pkl-down pkl-v6only pkl-p2p; do
	ip link add "$name" netns "$NS_A" type veth peer name "r-${name#pkl-}" netns "$NS_R"
	in_r ip link set "r-${name#pkl-}" up
done
in_a ip addr add 10.79.3.1/24 dev pkl-up
in_a ip link set pkl-up up
in_a ip addr add 10.79.4.1/24 dev pkl-down
in_a ip addr add fd79:6::1/64 dev pkl-v6only nodad
in_a ip link set pkl-v6only up
in_a ip addr add 10.79.5.0/31 dev pkl-p2p
in_a ip link set pkl-p2p up
trap - ERR

# same_as_kernel NAME [route_decide options] DST: the decision against
# `ip -j route get DST [oif IFACE]` in A: interface, source, gateway.
same_as_kernel() {
	local name=$1; shift
	local dst=${*: -1} oif=() args=("$@") ours theirs
	for ((i = 0; i < ${#args[@]} - 1; i++)); do
		[ "${args[i]}" = -i ] && oif=(oif "${args[i + 1]}")
	done
	ours=$(in_a "$RD" "$@" 2> "$tmp/$name.err" | head -n 1)
	if [ -z "$ours" ]; then
		bad "$name: no decision for $dst: $(cat "$tmp/$name.err")"
		return
	fi
	theirs=$(in_a ip -j route get "$dst" "${oif[@]}" | jq -c '.[0] | [.dev, .prefsrc, (.gateway // null)]')
	ours=$(jq -c '[.interface, .source, .gateway]' <<< "$ours")
	check "$name: $dst: ours $ours, ip route get $theirs" [ "$ours" = "$theirs" ]
}
# explains NAME TEXT [route_decide options] DST: line 2 is TEXT exactly.
explains() {
	local name=$1 text=$2; shift 2
	local got
	got=$(in_a "$RD" "$@" 2>&1 | sed -n 2p)
	check "$name: explained as '$got'" [ "$got" = "$text" ]
}
# refuses NAME PATTERN [route_decide options] DST: exit 1, the sentence
# matches PATTERN.
refuses() {
	local name=$1 pattern=$2; shift 2
	local st
	in_a "$RD" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"; st=$?
	check "$name: exit 1 (got $st)" [ "$st" = 1 ]
	check "$name: nothing on stdout" [ ! -s "$tmp/$name.out" ]
	check "$name: refused as '$(cat "$tmp/$name.err")'" grep -qE "$pattern" "$tmp/$name.err"
}

# --- 1. the decision is the kernel's
same_as_kernel on-link 10.79.1.2
same_as_kernel default 8.8.8.8
same_as_kernel longer-via-b 10.79.50.9
same_as_kernel on-link-route 10.79.60.9
same_as_kernel slash25 10.79.1.200
same_as_kernel metric 10.79.80.1
same_as_kernel other-iface 10.79.3.7
same_as_kernel p2p 10.79.5.1
same_as_kernel own-address 10.79.1.1
same_as_kernel loopback 127.0.0.1
same_as_kernel policy 10.79.70.5
same_as_kernel v6-on-link fd79:1::2
same_as_kernel v6-default 2001:db8::1
same_as_kernel v6-loopback ::1
same_as_kernel asked-a0 -i a0 10.79.3.7
same_as_kernel asked-pkl-up -i pkl-up 8.8.8.8
same_as_kernel v6-asked -i a0 fd79:6::9

# --- 2. why, in the course's words
explains on-link "10.79.1.2 AND 255.255.255.0 = 10.79.1.0, the network of a0 (10.79.1.1/24): on-link, ARP for 10.79.1.2 itself" 10.79.1.2
explains default "8.8.8.8 is on none of a0's networks; route 0.0.0.0/0 via 10.79.1.254: ARP for the gateway, not for 8.8.8.8" 8.8.8.8
explains metric "10.79.80.1 is on none of a0's networks; route 10.79.80.0/24 via 10.79.1.254: ARP for the gateway, not for 10.79.80.1" 10.79.80.1
explains slash25 "10.79.1.200 AND 255.255.255.0 = 10.79.1.0, the network of a0 (10.79.1.1/24), but the longer route 10.79.1.128/25 via 10.79.1.254 wins: ARP for the gateway, not for 10.79.1.200" 10.79.1.200
explains on-link-route "10.79.60.9 is on none of a0's networks, but route 10.79.60.0/24 puts it on-link on a0: ARP for 10.79.60.9 itself" 10.79.60.9
explains own-address "10.79.1.1 is an address of this host: the kernel sends it through lo; lo has no ARP: frames carry the zero MACs" 10.79.1.1
explains policy "the kernel sends 10.79.70.5 out of a0 via 10.79.1.2: ARP for the gateway, not for 10.79.70.5" 10.79.70.5
explains v6-on-link "fd79:1::2 AND ffff:ffff:ffff:ffff:: = fd79:1::, the network of a0 (fd79:1::1/64): on-link, neighbour solicitation for fd79:1::2 itself" fd79:1::2
explains v6-default "2001:db8::1 is on none of a0's networks; route ::/0 via fd79:1::fe: neighbour solicitation for the gateway, not for 2001:db8::1" 2001:db8::1
explains asked "8.8.8.8 is on none of pkl-up's networks and no route leads there, but pkl-up was asked for, so the kernel takes 8.8.8.8 as on-link: ARP for 8.8.8.8 itself" -i pkl-up 8.8.8.8
out=$(in_a "$RD" -S 10.79.1.77 10.79.1.2 | head -n 1)
check "-S: the source given ($out)" [ "$(jq -r .source <<< "$out")" = 10.79.1.77 ]
out=$(in_a "$RD" --broadcast 10.79.1.255 2>&1)
check "--broadcast: sent on a0 ($out)" [ "$(head -n 1 <<< "$out" | jq -r .interface)" = a0 ]
check "--broadcast: to every host ($out)" grep -q "^10.79.1.255 is a broadcast address: the frame goes to every host on a0" <<< "$out"

# --- 3. refusals
refuses no-interface "^there is no interface named pkl-nosuch: " -i pkl-nosuch 10.79.1.2
refuses down "^pkl-down is down: bring it up \(ip link set pkl-down up\)" -i pkl-down 10.79.4.2
refuses no-ipv4 "^pkl-v6only has no IPv4 address to send to 10.79.1.2 from" -i pkl-v6only 10.79.1.2
refuses unreachable "^no route to host 10.79.99.9: " 10.79.99.9
refuses broadcast "^10.79.1.255 is the broadcast address of a0's network \(10.79.1.1/24\), not a host: pass --broadcast" 10.79.1.255
refuses network "^10.79.1.0 is the network address of a0's network" 10.79.1.0
refuses limited "^255.255.255.255 is the broadcast address of every link" 255.255.255.255
refuses multicast "^224.0.0.1 is a multicast group address" 224.0.0.1
refuses v6-multicast "^ff02::1 is a multicast group address" ff02::1
refuses unspecified "^0.0.0.0 is the unspecified address" 0.0.0.0
# Without a default route, a far address has none.
in_b ip route flush default 2>/dev/null
in_b "$RD" 8.8.8.8 > /dev/null 2> "$tmp/b-noroute.err"; st=$?
check "no default route: exit 1 (got $st)" [ "$st" = 1 ]
check "no default route: refused ($(cat "$tmp/b-noroute.err"))" grep -q "^no route to host 8.8.8.8: " "$tmp/b-noroute.err"

# --- 4. the kernel's neighbour table
in_a ping -c 1 -W 2 10.79.1.2 > /dev/null
in_a ping -c 1 -W 1 10.79.1.77 > /dev/null   # nobody: INCOMPLETE, then FAILED
read -r mac state < <(in_a "$RD" --neigh a0 10.79.1.2)
check "neigh: B's MAC ($mac $state)" [ "$mac" = 52:54:00:79:00:02 ]
kstate=$(in_a ip -j neigh show dev a0 to 10.79.1.2 | jq -r '.[0].state[0]')
check "neigh: B's state as ip neigh says ($state, $kstate)" [ "$state" = "$kstate" ]
read -r mac state < <(in_a "$RD" --neigh a0 10.79.1.77)
check "neigh: no MAC for a silent address ($mac $state)" [ "$mac" = none ] && [ "$state" != - ]
read -r mac state < <(in_a "$RD" --neigh a0 10.79.1.88)
check "neigh: no entry for an address never asked ($mac $state)" [ "$mac $state" = "none -" ]
read -r mac state < <(in_a "$RD" --neigh pkl-up 10.79.1.2)
check "neigh: B is not a neighbour on another interface ($mac $state)" [ "$mac $state" = "none -" ]
in_a ping -c 1 -W 2 fd79:1::2 > /dev/null
read -r mac state < <(in_a "$RD" --neigh a0 fd79:1::2)
check "neigh: B's MAC over IPv6 ($mac $state)" [ "$mac" = 52:54:00:79:00:02 ]
in_a ip neigh replace 10.79.1.99 lladdr 52:54:00:79:00:99 dev a0 nud permanent
read -r mac state < <(in_a "$RD" --neigh a0 10.79.1.99)
check "neigh: a permanent entry ($mac $state)" [ "$mac $state" = "52:54:00:79:00:99 PERMANENT" ]

finish
