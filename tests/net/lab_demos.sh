#!/bin/bash
# End-to-end tests of `pktlens lab` and the lab demonstrations
# (synflood, arpspoof, halfopen, lost-ack): each demo's facts checked in
# --json, not in its wording; the refusals of the confinement rules; and
# after every run, no pkl-lab-* namespace left and the host's neighbour
# table and sysctls as they were.  Run it under flock /tmp/pkl-net.lock:
# the lab's namespace names are fixed, one lab at a time on a machine.
set -u
cd "$(dirname "$0")/../.."
P=${PKTLENS:-$(pwd)/pktlens}
SUITE=${PKL_SUITE:-lab-demos}
. tools/netns.sh
pkl_netns_begin pkl-labd || exit 1
tmp=$PKL_TMP
LAB_NS="pkl-lab-switch pkl-lab-client pkl-lab-server pkl-lab-attacker pkl-lab-router pkl-lab-outside"
# Whatever happens, the lab's namespaces go at exit (by their names).
PKL_NETNS+=($LAB_NS)
ATTACKER_MAC=02:00:5e:00:71:42 SERVER_MAC=02:00:5e:00:71:14

. tests/lib.sh
jqs() { jq -se "$@" > /dev/null; }   # jqs FILTER FILE: true over all records
# run NAME ARGS...: pktlens, bounded; $tmp/NAME.{out,err,rc}
run() {
	local name=$1; shift
	timeout 60 "$P" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
	echo $? > "$tmp/$name.rc"
}
rc() { cat "$tmp/$1.rc"; }
lab_namespaces() { ip netns list | awk '{print $1}' | grep '^pkl-lab-' || true; }
# What the lab must leave as it found it on the host.
host_state() {
	ip neigh show | awk '{print $1, $2, $3, $4, $5}' | sort
	sysctl -n net.ipv4.ip_forward net.ipv4.tcp_syncookies net.ipv4.tcp_synack_retries \
		net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce net.ipv4.conf.all.arp_accept \
		net.ipv6.conf.all.disable_ipv6 net.ipv6.conf.default.disable_ipv6
}
# after NAME: nothing of the lab left, the host as before.
after() {
	check "$1: no pkl-lab-* namespace remains ($(lab_namespaces | tr '\n' ' '))" \
		[ -z "$(lab_namespaces)" ]
	host_state > "$tmp/host.now"
	check "$1: the host's neighbour table and sysctls are as before ($(diff "$tmp/host.before" "$tmp/host.now" | head -3))" \
		cmp -s "$tmp/host.before" "$tmp/host.now"
}
# demo NAME: the demonstration in JSON, no pace; exit 0, JSON only, a
# completed result, and nothing left behind.
demo() {
	run "$1" demo --json --pace 0 "$1"
	demo_checks "$1"
	after "$1"
}
# demo_checks NAME: what every demo's JSON must show.
demo_checks() {
	local name=$1
	check "$name: exit 0 ($(rc "$name"): $(head -c 300 "$tmp/$name.err"))" [ "$(rc "$name")" = 0 ]
	check "$name: every line is JSON" jqs . "$tmp/$name.out"
	check "$name: the result says it completed" \
		jqs 'map(select(.kind == "result")) | length == 1 and .[0].completed' "$tmp/$name.out"
	check "$name: every frame and call names its namespace" \
		jqs 'map(select(has("frame.number") or .kind == "syscall" or .kind == "kernel" or .kind == "command") | .netns) | all(startswith("pkl-lab-"))' \
		"$tmp/$name.out"
}

if [ "$(id -u)" != 0 ] || ! command -v jq > /dev/null; then
	bad "needs root, iproute2, nftables and jq"
	finish
fi
if ! pkl_lab_claim "$P"; then
	bad "a lab is up already ($(lab_namespaces | tr '\n' ' ')): sudo pktlens lab down first"
	PKL_NETNS=()   # not this run's to remove
	finish
fi
host_state > "$tmp/host.before"

# The range check, in a namespace of the test's own whose interface has
# an address of the lab's outside range: refused before anything is made.
pkl_netns_add pkl-labd-host || finish
ip netns exec pkl-labd-host ip link add d0 type veth peer name d1
ip netns exec pkl-labd-host ip addr add 198.51.100.7/24 dev d0
ip netns exec pkl-labd-host env -u PKTLENS_LAB_OVERLAP timeout 10 "$P" lab up \
	> "$tmp/range.out" 2> "$tmp/range.err"
check "lab up is refused where the host has an address in the lab's range ($(cat "$tmp/range.err"))" \
	grep -q "this host has the address 198.51.100.7, in the lab's range" "$tmp/range.err"
after "range refusal"
ip netns exec pkl-labd-host ip addr flush dev d0
ip netns exec pkl-labd-host env -u PKTLENS_LAB_OVERLAP timeout 10 "$P" lab up \
	> "$tmp/inside.out" 2> "$tmp/inside.err"
check "lab up is refused from inside another namespace ($(cat "$tmp/inside.err"))" \
	grep -q "runs inside the network namespace pkl-labd-host" "$tmp/inside.err"
after "namespace refusal"
# This machine's own network may be a documentation range too (sandboxes
# use documentation ranges): the lab is in namespaces of its own either way.
if ip -4 addr show | grep -qE 'inet (203\.0\.113|198\.51\.100)\.'; then
	export PKTLENS_LAB_OVERLAP=allow
fi

# Confinement: an interface outside the lab is refused before anything
# is built or sent.
run host-iface demo --json synflood -i lo
check "a lab demo with the host's interface is refused ($(cat "$tmp/host-iface.err"))" \
	bash -c "[ $(rc host-iface) = 1 ] && grep -q 'refusing to send on lo' '$tmp/host-iface.err'"
check "the refusal sent no frame and ran no step" [ ! -s "$tmp/host-iface.out" ]
after "host interface refusal"
run other-ns demo --json halfopen -i pkl-labd-host/d0
check "a lab demo with an interface of another namespace is refused ($(cat "$tmp/other-ns.err"))" \
	bash -c "[ $(rc other-ns) = 1 ] && grep -q 'refusing to send on pkl-labd-host/d0' '$tmp/other-ns.err'"
after "other namespace refusal"
# A namespace with a lab name that pktlens did not make.
ip netns add pkl-lab-attacker
run foreign demo --json halfopen
check "a lab namespace pktlens did not make is refused ($(cat "$tmp/foreign.err"))" \
	bash -c "[ $(rc foreign) = 1 ] && grep -q 'pkl-lab-attacker exists that pktlens lab up did not make' '$tmp/foreign.err'"
check "and left alone" bash -c "[ \"\$(ip netns list | awk '{print \$1}' | grep '^pkl-lab-')\" = pkl-lab-attacker ]"
ip netns del pkl-lab-attacker
after "foreign namespace refusal"

# lab up / status / down.
run up lab up
check "lab up: exit 0 ($(cat "$tmp/up.err"))" [ "$(rc up)" = 0 ]
check "lab up: the six namespaces" [ "$(lab_namespaces | sort | tr '\n' ' ')" = \
	"pkl-lab-attacker pkl-lab-client pkl-lab-outside pkl-lab-router pkl-lab-server pkl-lab-switch " ]
check "lab up: four ports on the bridge" \
	[ "$(ip netns exec pkl-lab-switch bridge link show | grep -c 'master br0')" = 4 ]
check "lab up: the client's address and MAC" \
	bash -c "ip netns exec pkl-lab-client ip -br addr show eth0 | grep -q '203.0.113.10/24' && ip netns exec pkl-lab-client ip -br link show eth0 | grep -q 02:00:5e:00:71:0a"
check "lab up: the client reaches the outside's web address through the router" \
	bash -c "ip netns exec pkl-lab-client ping -c 1 -W 2 -q 198.51.100.80 > /dev/null"
check "lab up: the outside saw the router's address, not the client's (masquerade)" \
	bash -c "ip netns exec pkl-lab-outside ip neigh show | grep -q '^198.51.100.1 ' && ! ip netns exec pkl-lab-outside ip neigh show | grep -q 203.0.113."
check "lab up: the outside has no route to the LAN" \
	bash -c "! ip netns exec pkl-lab-outside ip route get 203.0.113.10 > /dev/null 2>&1"
run status lab status
check "lab status: says it is up" grep -q "the lab is up" "$tmp/status.out"
run up2 lab up
check "lab up again: already up" grep -q "already up" "$tmp/up2.out"
run down lab down
check "lab down: removed the six" grep -q "removed 6 lab namespaces" "$tmp/down.out"
run status2 lab status
check "lab status after down: down" grep -q "the lab is down" "$tmp/status2.out"
after "lab up/down"

# halfopen: one RST from the attacker's kernel for its own address, none
# for the address only pktlens's ARP holds, which stays SYN_RECV.
demo halfopen
h=$tmp/halfopen.out
check "halfopen: exactly one RST from the attacker's own address" \
	jqs '[.[] | select(.netns == "pkl-lab-server" and ."ip.src" == "203.0.113.66" and ."tcp.flags.reset")] | length == 1' "$h"
check "halfopen: no RST from the borrowed address" \
	jqs '[.[] | select(."ip.src" == "203.0.113.99" and ."tcp.flags.reset")] | length == 0' "$h"
check "halfopen: the server's SYN+ACK to the borrowed address sent again" \
	jqs '[.[] | select(."ip.dst" == "203.0.113.99" and ."tcp.flags.syn" and ."tcp.flags.ack")] | length >= 2' "$h"
check "halfopen: sock_diag shows the borrowed handshake in SYN_RECEIVED" \
	jqs '[.[] | select(.kind == "kernel" and .what == "socket" and .peer == "203.0.113.99:40002")] | last | .state == "SYN_RECEIVED" and .retransmits >= 1' "$h"
check "halfopen: and the reset one gone" \
	jqs '[.[] | select(.kind == "kernel" and .what == "socket" and .peer == "203.0.113.66:40001")] | last | .socket == false' "$h"

# synflood.
demo synflood
s=$tmp/synflood.out
check "synflood: SYN_RECV rises above the backlog with syncookies off" \
	jqs '[.[] | select(.kind == "kernel" and .what == "listener")] | .[0].syn_recv == 0 and (map(.syn_recv) | max) > .[0].backlog' "$s"
check "synflood: the client's first connect() times out, the second succeeds" \
	jqs '[.[] | select(.kind == "syscall" and .call == "connect")] | length == 2 and .[0].result == -1 and .[0].errno == "ETIMEDOUT" and .[1].result == 0' "$s"
check "synflood: ListenDrops moved with syncookies off" \
	jqs '[.[] | select(.kind == "kernel" and .name == "TcpExtListenDrops")] | .[0].after > .[0].before' "$s"
check "synflood: SyncookiesSent moved with syncookies on" \
	jqs '[.[] | select(.kind == "kernel" and .name == "TcpExtSyncookiesSent")] | .[0].after == .[0].before and .[1].after > .[1].before' "$s"
check "synflood: the client's connection came from a cookie (SyncookiesRecv)" \
	jqs '[.[] | select(.kind == "kernel" and .name == "TcpExtSyncookiesRecv")] | .[1].after > .[1].before' "$s"
check "synflood: SYN+ACKs sent again toward the made-up sources" \
	jqs '[.[] | select(."tcp.flags.syn" and ."tcp.flags.ack" and ."ip.dst" != "203.0.113.10" and ((."pktlens.tcp.verdict" // "") | test("retransmission")))] | length >= 1' "$s"
check "synflood: the tracker's SYN-flood note on the SYNs" \
	jqs '[.[] | select(.notes and (.notes | map(.note) | index("conn.syn_flood")))] | length >= 1' "$s"

# A demo stopped half-way (Ctrl-C) leaves nothing behind either.
timeout --preserve-status -s INT 1.5 "$P" demo -q --pace 0 synflood > "$tmp/int.out" 2> "$tmp/int.err"
check "an interrupted demo exits 130 ($?)" [ "$?" = 130 ]
after "interrupted synflood"
"$P" demo --pace 0 halfopen 2> /dev/null | head -n 3 > /dev/null
after "a demo whose reader went away (| head)"

# arpspoof.
demo arpspoof
a=$tmp/arpspoof.out
check "arpspoof: the client's entry for the server: server, attacker, then permanent server" \
	jqs '[.[] | select(.kind == "kernel" and .what == "neighbour")] | map(.mac + " " + .state) == ["'$SERVER_MAC' REACHABLE", "'$ATTACKER_MAC' REACHABLE", "'$SERVER_MAC' PERMANENT", "'$SERVER_MAC' PERMANENT"]' "$a"
check "arpspoof: the redirected ping reached the attacker's MAC" \
	jqs '[.[] | select(.netns == "pkl-lab-attacker" and ."icmp.type" == 8 and ."ip.dst" == "203.0.113.20" and ."eth.dst" == "'$ATTACKER_MAC'")] | length == 1' "$a"
check "arpspoof: the tracker's address-conflict note" \
	jqs '[.[] | select(.netns == "pkl-lab-client" and .notes and (.notes | map(.note) | index("arp.conflict")))] | length >= 1' "$a"
check "arpspoof: the pings: answered, lost to the attacker, answered" \
	jqs '[.[] | select(.kind == "command" and (.argv | startswith("ping")))] | map(.status) == [0, 1, 0]' "$a"

# --keep: the lab stays, and status names the demo that ran last; a demo
# on a lab that is up (lost-ack) leaves it up.
run keep demo -q --pace 0 --keep halfopen
check "--keep: exit 0" [ "$(rc keep)" = 0 ]
check "--keep: the lab stays up" [ "$(lab_namespaces | wc -l)" = 6 ]
run status3 lab status
check "lab status: the last demo" grep -q "last demo: halfopen at .*, completed" "$tmp/status3.out"
run lost-ack demo --json --pace 0 lost-ack
demo_checks lost-ack
check "lost-ack: on a lab that was up, the lab stays" [ "$(lab_namespaces | wc -l)" = 6 ]
run down2 lab down
after "--keep, lost-ack"
l=$tmp/lost-ack.out
check "lost-ack: the server's FIN seen twice, the same segment" \
	jqs '[.[] | select(."ip.src" == "203.0.113.20" and ."tcp.flags.fin")] | length == 2 and .[0]."tcp.seq_raw" == .[1]."tcp.seq_raw"' "$l"
check "lost-ack: acknowledged once on the wire, after the second FIN (the first ACK withheld)" \
	jqs '([.[] | select(."ip.src" == "203.0.113.20" and ."tcp.flags.fin")] | .[0]."tcp.seq_raw") as $fin | [.[] | select(."ip.dst" == "203.0.113.20" and (."tcp.flags.fin" | not) and ."tcp.ack_raw" == (($fin + 1) % 4294967296))] | length == 1' "$l"
check "lost-ack: pktlens's end says it withheld the ACK, then acknowledged the FIN again" \
	jqs '[.[] | select(.kind == "output") | .line] | (map(select(startswith("lost:"))) | length == 1) and (map(select(test("FIN again.*acknowledged again"))) | length == 1)' "$l"
check "lost-ack: the server's socket: CLOSE_WAIT, LAST_ACK, then CLOSED" \
	jqs '[.[] | select(.kind == "kernel" and .what == "socket") | .state] == ["CLOSE_WAIT", "LAST_ACK", "CLOSED"]' "$l"

finish
