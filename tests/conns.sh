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

echo "conns: $pass passed, $fail failed"
[ "$fail" = 0 ]
