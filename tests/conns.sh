#!/bin/bash
# Asserted facts of the connection tracker on the bundled captures:
# handshake frames, who closed, the final states, the TIME_WAIT holder,
# and the step each frame is labelled with.
set -u
cd "$(dirname "$0")/.."
P=./pktlens
pass=0 fail=0

# fact DESCRIPTION CAPTURE JQ-EXPRESSION EXPECTED: over the TCP records of `conns --json`
fact() {
	local got
	got=$($P conns --json "$2" | jq -c -s "map(select(.proto == \"tcp\")) | $3" 2>&1)
	if [ "$got" = "$4" ]; then pass=$((pass + 1)); else echo "FAIL: $1: got $got, wanted $4"; fail=$((fail + 1)); fi
}
# frames DESCRIPTION CAPTURE EXPECTED: per-frame conn.* of `read --json`
frames() {
	local got
	got=$($P read --json "$2" | jq -c -s '[.[] | select(.["conn.id"]) | [.["frame.number"], .["conn.sender"], (.["conn.step"] // ""), .["conn.client_state"], .["conn.server_state"]]]')
	if [ "$got" = "$3" ]; then pass=$((pass + 1)); else echo "FAIL: $1: got $got"; fail=$((fail + 1)); fi
}

summary='[.[] | {client, server, handshake_frames, close, fin_frames, client_state, server_state, time_wait}]'
fact "tcp-handshake: client-first close, client holds TIME_WAIT" captures/tcp-handshake.pcap "$summary" \
	'[{"client":"10.77.1.1:41460","server":"10.77.1.2:8080","handshake_frames":[3,4,5],"close":"client-first","fin_frames":[10,11],"client_state":"TIME_WAIT","server_state":"CLOSED","time_wait":"client"}]'
fact "tcp-handshake: bytes each way" captures/tcp-handshake.pcap '[.[] | [.bytes_c2s, .bytes_s2c, .frames_c2s, .frames_s2c]]' '[[69,84,6,4]]'
fact "ipv6-tcp: the same over IPv6" captures/ipv6-tcp.pcap '[.[] | [.client, .server, .handshake_frames, .close, .time_wait]]' \
	'[["[fd77::1]:54096","[fd77::2]:8080",[3,4,5],"client-first","client"]]'
fact "lo-tcp: loopback connection" captures/lo-tcp.pcap '[.[] | [.handshake_frames, .close, .client_state, .server_state]]' \
	'[[[1,2,3],"client-first","TIME_WAIT","CLOSED"]]'
fact "tcp-any: cooked capture" captures/tcp-any.pcap '[.[] | [.handshake_frames, .fin_frames, .time_wait]]' \
	'[[[3,4,5],[10,11],"client"]]'
fact "raw-ip: handshake, still open at the end" captures/raw-ip.pcap '[.[] | [.handshake_frames, .close, .client_state]]' \
	'[[[1,2,3],"open","ESTABLISHED"]]'
fact "malformed: a lone SYN never established; segments without a SYN get inferred roles" captures/malformed.pcap \
	'[.[] | select(.close == "never-established") | .first_frame]' '[20]'
fact "malformed: inferred roles are marked" captures/malformed.pcap '[.[] | select(.roles_inferred) | .first_frame]' '[11,21]'
frames "tcp-handshake: every TCP frame's step and states" captures/tcp-handshake.pcap \
	'[[3,"client","handshake 1/3","SYN_SENT","LISTEN"],[4,"server","handshake 2/3","SYN_SENT","SYN_RECEIVED"],[5,"client","handshake 3/3","ESTABLISHED","ESTABLISHED"],[6,"client","","ESTABLISHED","ESTABLISHED"],[7,"server","","ESTABLISHED","ESTABLISHED"],[8,"server","","ESTABLISHED","ESTABLISHED"],[9,"client","","ESTABLISHED","ESTABLISHED"],[10,"client","teardown 1/4","FIN_WAIT_1","ESTABLISHED"],[11,"server","teardown 2/3","FIN_WAIT_2","LAST_ACK"],[12,"client","teardown 3/3","TIME_WAIT","CLOSED"]]'

# ARP, echo and UDP exchanges, and the ICMP errors tied to them.
# record DESCRIPTION CAPTURE JQ-EXPRESSION EXPECTED: over every record of `conns --json`
record() {
	local got
	got=$($P conns --json "$2" | jq -c -s "$3" 2>&1)
	if [ "$got" = "$4" ]; then pass=$((pass + 1)); else echo "FAIL: $1: got $got, wanted $4"; fail=$((fail + 1)); fi
}
# notes DESCRIPTION CAPTURE NOTE-NAME EXPECTED: [frame, text] of each such note of `read --json`
notes() {
	local got
	got=$($P read --json "$2" | jq -c -s --arg n "$3" '[.[] | .["frame.number"] as $f | .notes[] | select(.note == $n) | [$f, .text]]')
	if [ "$got" = "$4" ]; then pass=$((pass + 1)); else echo "FAIL: $1: got $got, wanted $4"; fail=$((fail + 1)); fi
}

record "frag-needed: each TCP connection keeps the error that quotes it, with the next-hop MTU" captures/frag-needed.pcap \
	'[.[] | [.proto, .id, .client, (.icmp_errors[] | [.frame, .type, .code, .mtu])]]' \
	'[["tcp",1,"10.77.1.1:40030",[5,3,4,1400]],["tcp",2,"[fd77::1]:40031",[16,2,0,1280]]]'
notes "frag-needed: the error names the connection, its path MTU and new MSS" captures/frag-needed.pcap icmp.pmtu_tcp \
	'[[5,"TCP connection #1 must fit its packets in 1400 bytes: its segments shrink to at most 1360 bytes of data (less with TCP options), and the dropped one is sent again, smaller"],[16,"TCP connection #2 must fit its packets in 1280 bytes: its segments shrink to at most 1220 bytes of data (less with TCP options), and the dropped one is sent again, smaller"]]'
frames "frag-needed: the resent segments, smaller, are retransmissions; the ICMP frame is no TCP step" captures/frag-needed.pcap \
	'[[1,"client","handshake 1/3","SYN_SENT","LISTEN"],[2,"server","handshake 2/3","SYN_SENT","SYN_RECEIVED"],[3,"client","handshake 3/3","ESTABLISHED","ESTABLISHED"],[4,"client","","ESTABLISHED","ESTABLISHED"],[6,"client","","ESTABLISHED","ESTABLISHED"],[7,"client","","ESTABLISHED","ESTABLISHED"],[8,"server","","ESTABLISHED","ESTABLISHED"],[9,"client","teardown 1/4","FIN_WAIT_1","ESTABLISHED"],[10,"server","teardown 2/3","FIN_WAIT_2","LAST_ACK"],[11,"client","teardown 3/3","TIME_WAIT","CLOSED"],[12,"client","handshake 1/3","SYN_SENT","LISTEN"],[13,"server","handshake 2/3","SYN_SENT","SYN_RECEIVED"],[14,"client","handshake 3/3","ESTABLISHED","ESTABLISHED"],[15,"client","","ESTABLISHED","ESTABLISHED"],[17,"client","","ESTABLISHED","ESTABLISHED"],[18,"client","","ESTABLISHED","ESTABLISHED"],[19,"server","","ESTABLISHED","ESTABLISHED"],[20,"client","teardown 1/4","FIN_WAIT_1","ESTABLISHED"],[21,"server","teardown 2/3","FIN_WAIT_2","LAST_ACK"],[22,"client","teardown 3/3","TIME_WAIT","CLOSED"]]'
record "ping-unreachable: requests answered by errors only are lost; the errors quote them" captures/ping-unreachable.pcap \
	'[.[] | [.proto, .client, .server, .icmp_id, .requests, .replies, .lost_seqs, .lost_frames, [.icmp_errors[] | [.frame, .type, .code, .quoted_frame]]]]' \
	'[["icmp","10.77.1.1","10.77.9.9",1234,2,0,[1,2],[1,3],[[2,3,1,1],[4,3,1,3]]]]'
notes "ping-unreachable: each error names the request it quotes" captures/ping-unreachable.pcap icmp.quotes_echo \
	'[[2,"the quoted datagram is the echo request of frame 1 (seq 1) of ping #1"],[4,"the quoted datagram is the echo request of frame 3 (seq 2) of ping #1"]]'
record "arp: two answered requests, an announcement, an answered probe" captures/arp.pcap \
	'[.[] | [.kind, .client, .client_mac, .server, .server_macs, .requests, .replies, .answer_frames]]' \
	'[["request","10.77.1.1","52:54:00:12:34:56","10.77.1.2",["52:54:00:65:43:21"],1,1,[1,2]],["request","10.77.1.1","52:54:00:12:34:56","10.77.1.2",["52:54:00:65:43:21"],1,1,[3,4]],["gratuitous","10.77.1.1","52:54:00:12:34:56","10.77.1.1",[],1,0,null],["probe","0.0.0.0","52:54:00:12:34:56","10.77.1.2",["52:54:00:65:43:21"],1,1,[6,7]]]'
notes "arp: the probe's answer says the address is taken" captures/arp.pcap arp.probe_answer \
	'[[7,"answers the probe of frame 6 after 0.022 ms: 10.77.1.2 is taken, so the prober must not use it (RFC 5227)"]]'
record "udp: one flow, datagrams and bytes each way" captures/udp.pcap \
	'[.[] | select(.proto == "udp") | [.id, .client, .server, .first_frame, .last_frame, .frames_c2s, .frames_s2c, .bytes_c2s, .bytes_s2c, .icmp_errors]]' \
	'[[1,"10.77.1.1:40000","10.77.1.2:9999",3,8,3,3,69,69,[]]]'
record "icmp-port-unreachable: the error is the UDP flow's, quoting its datagram" captures/icmp-port-unreachable.pcap \
	'[.[] | select(.proto == "udp") | [.client, .server, (.icmp_errors[] | [.frame, .type, .code, .quoted_frame]), .icmp_error_count]]' \
	'[["10.77.1.1:40001","10.77.1.2:33434",[4,3,3,3],1]]'
record "raw-ip: ICMPv6 echo sessions" captures/raw-ip.pcap \
	'[.[] | select(.proto == "icmpv6") | [.client, .server, .icmp_id, .requests, .replies, .lost, .rtt_min_ms, .rtt_max_ms]]' \
	'[["fd77::1","fd77::2",153,1,1,0,1,1]]'
# Its ICMP errors quote datagrams of conversations the capture never saw.
record "malformed: errors quoting datagrams never seen are tied to nothing" captures/malformed.pcap \
	'[.[] | select(.icmp_error_count > 0)] | length' '0'

# The table cap: with room for one connection, the second evicts the first,
# which is reported, and nothing crashes.
out=$($P conns --json --max-conns 1 captures/malformed.pcap 2>/tmp/pkl-conns-err.$$)
evicted=$(jq -c -s '[.[] | select(.left_table == "evicted")] | length' <<< "$out")
if [ "$evicted" -ge 1 ] && grep -q "connections were evicted from the full table" /tmp/pkl-conns-err.$$; then
	pass=$((pass + 1))
else
	echo "FAIL: --max-conns 1: evictions not reported ($evicted)"; fail=$((fail + 1))
fi
rm -f /tmp/pkl-conns-err.$$
# The exchanges share the cap: with room for two entries, ARP bindings,
# exchanges and echo sessions evict each other, and the evictions are counted.
out=$($P conns --json --max-conns 2 captures/conn/arp-conflict.pcap 2>/tmp/pkl-conns-err.$$)
if [ "$(jq -c -s 'map(.proto) | unique' <<< "$out")" = '["arp","icmp"]' ] &&
	grep -q "were evicted from the full table (--max-conns 2)" /tmp/pkl-conns-err.$$; then
	pass=$((pass + 1))
else
	echo "FAIL: --max-conns 2 over ARP and echo: $(cat /tmp/pkl-conns-err.$$)"; fail=$((fail + 1))
fi
rm -f /tmp/pkl-conns-err.$$

echo "conns: $pass passed, $fail failed"
[ "$fail" = 0 ]
