#!/bin/bash
# End-to-end tests of `pktlens arp` and `pktlens ping` in the lab of
# tests/net/lab.sh.  Every command is bounded in count and time.
LAB=cr
: "${PKL_SUITE:=craft}"
. "$(dirname "$0")/lab.sh"

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

lab_b_capture_check
check "B recorded pktlens's ARP requests" \
	bash -c "[ \$(tshark -r $tmp/b.pcap -Y 'arp.src.hw_mac == $MAC_A' 2>/dev/null | wc -l) -ge 5 ]"
lab_finish
