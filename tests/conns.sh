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
fact "malformed: lone SYNs never established (frame 6's, with a malformed option, still tracked); segments without a SYN get inferred roles" captures/malformed.pcap \
	'[.[] | select(.close == "never-established") | .first_frame]' '[6,20]'
fact "malformed: inferred roles are marked (frame 7, a malformed option, still tracked)" captures/malformed.pcap '[.[] | select(.roles_inferred) | .first_frame]' '[7,11,21]'
frames "tcp-handshake: every TCP frame's step and states" captures/tcp-handshake.pcap \
	'[[3,"client","handshake 1/3","SYN_SENT","LISTEN?"],[4,"server","handshake 2/3","SYN_SENT","SYN_RECEIVED"],[5,"client","handshake 3/3","ESTABLISHED","ESTABLISHED"],[6,"client","","ESTABLISHED","ESTABLISHED"],[7,"server","","ESTABLISHED","ESTABLISHED"],[8,"server","","ESTABLISHED","ESTABLISHED"],[9,"client","","ESTABLISHED","ESTABLISHED"],[10,"client","teardown 1","FIN_WAIT_1","ESTABLISHED"],[11,"server","teardown 2","FIN_WAIT_1","LAST_ACK"],[12,"client","teardown 3/3","TIME_WAIT","CLOSED"]]'

# note_query DESCRIPTION CAPTURE JQ-EXPRESSION EXPECTED: over `read --json`
note_query() {
	local got
	got=$($P read --json "$2" | jq -c -s "$3" 2>&1)
	if [ "$got" = "$4" ]; then pass=$((pass + 1)); else echo "FAIL: $1: got $got, wanted $4"; fail=$((fail + 1)); fi
}
with_note() { echo "[.[] | select(any(.notes[]; .note == \"$1\")) | .[\"frame.number\"]]"; }
# 200 forged SYNs to port 80, each answered, none completed; two genuine
# handshakes in between are not counted as half-open once complete.
note_query "syn-flood: noted at 64 and 128 half-open handshakes" captures/syn-flood.pcap \
	"$(with_note conn.syn_flood)" '[130,258]'
note_query "port-scan: noted at 16 and 32 probes (refused, or SYN+ACK reset by the scanner)" \
	captures/port-scan.pcap "$(with_note conn.port_scan)" '[32,66]'
note_query "port-scan: the open ports' SYN+ACK reset by the scanner" captures/port-scan.pcap \
	"$(with_note conn.rst_half_open)" '[45,52]'
for f in captures/tcp-handshake.pcap captures/conn/*.pcap; do
	note_query "$f: no flood or scan noted in ordinary traffic" "$f" \
		'[.[] | .notes[] | select(.note == "conn.syn_flood" or .note == "conn.port_scan" or .note == "conn.ttl_change")] | length' 0
done
note_query "nagle: the coalesced segment is frame 8, after the ACK in frame 7" captures/conn/nagle.pcap \
	"$(with_note conn.coalesced)" '[8]'
fact "nagle: conns counts it" captures/conn/nagle.pcap '[.[] | .coalesced_segments]' '[1]'
note_query "retransmit-loss: the first full-sized segment of the write is noted once" captures/conn/retransmit-loss.pcap \
	"$(with_note conn.full_segment)" '[6]'

fact "tcp-handshake: times on the frame views' clock; TIME_WAIT ends 2*MSL after the last frame" captures/tcp-handshake.pcap \
	'[.[] | [.first_time, .last_time, (.time_wait_until - .last_time | . * 1000 | round)]]' '[[3.3e-05,0.000304,60000]]'
fact "close-wait: the server never closed: flagged" captures/conn/close-wait.pcap '[.[] | .close_wait]' '["server"]'
fact "client-close: nobody left in CLOSE_WAIT" captures/conn/client-close.pcap '[.[] | .close_wait]' '[null]'

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
	'[[1,"client","handshake 1/3","SYN_SENT","LISTEN?"],[2,"server","handshake 2/3","SYN_SENT","SYN_RECEIVED"],[3,"client","handshake 3/3","ESTABLISHED","ESTABLISHED"],[4,"client","","ESTABLISHED","ESTABLISHED"],[6,"client","","ESTABLISHED","ESTABLISHED"],[7,"client","","ESTABLISHED","ESTABLISHED"],[8,"server","","ESTABLISHED","ESTABLISHED"],[9,"client","teardown 1","FIN_WAIT_1","ESTABLISHED"],[10,"server","teardown 2","FIN_WAIT_1","LAST_ACK"],[11,"client","teardown 3/3","TIME_WAIT","CLOSED"],[12,"client","handshake 1/3","SYN_SENT","LISTEN?"],[13,"server","handshake 2/3","SYN_SENT","SYN_RECEIVED"],[14,"client","handshake 3/3","ESTABLISHED","ESTABLISHED"],[15,"client","","ESTABLISHED","ESTABLISHED"],[17,"client","","ESTABLISHED","ESTABLISHED"],[18,"client","","ESTABLISHED","ESTABLISHED"],[19,"server","","ESTABLISHED","ESTABLISHED"],[20,"client","teardown 1","FIN_WAIT_1","ESTABLISHED"],[21,"server","teardown 2","FIN_WAIT_1","LAST_ACK"],[22,"client","teardown 3/3","TIME_WAIT","CLOSED"]]'
record "ping-unreachable: requests answered by errors are answered, not lost; the errors quote them" captures/ping-unreachable.pcap \
	'[.[] | [.proto, .client, .server, .icmp_id, .requests, .replies, .lost_seqs, .lost_frames, [.icmp_errors[] | [.frame, .type, .code, .quoted_frame]]]]' \
	'[["icmp","10.77.1.1","10.77.9.9",1234,2,0,[],[],[[2,3,1,1],[4,3,1,3]]]]'
notes "ping-unreachable: each error names the request it quotes" captures/ping-unreachable.pcap icmp.quotes_echo \
	'[[2,"the quoted datagram is the echo request of frame 1 (seq 1) of ping #1: it was answered, by this error instead of an echo reply"],[4,"the quoted datagram is the echo request of frame 3 (seq 2) of ping #1: it was answered, by this error instead of an echo reply"]]'
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

# --timeline: the ladder diagrams.
# arrows CAPTURE [FILTER]: one line per arrow, "conn frame direction
# client_state server_state", parsed from the drawing (the server's state
# follows the arrow's last run of dashes).
arrows() {
	$P conns --timeline "$@" | awk '
		/^conn #/ { conn = substr($2, 2) }
		$4 == "---" || $4 == "<--" {
			for (i = NF; i > 4 && $i !~ /^-+>?$/; i--) ;
			print conn, $1, ($4 == "---" ? "client" : "server"), $3, $(i + 1)
		}'
}
# The same from every frame of `read --json`, grouped by connection.
json_arrows() {
	$P read --json "$@" | jq -r -s 'map(select(.["conn.id"])) | sort_by(.["conn.id"]) | .[] |
		"\(.["conn.id"]) \(.["frame.number"]) \(.["conn.sender"]) \(.["conn.client_state"]) \(.["conn.server_state"])"'
}
timeline_caps="captures/conn/client-close.pcap captures/conn/server-close.pcap
	captures/conn/simultaneous-close.pcap captures/conn/rst-abort.pcap
	captures/conn/half-open-probe.pcap captures/conn/retransmit-loss.pcap
	captures/conn/interleaved.pcap captures/tcp-handshake.pcap captures/malformed.pcap"
for cap in $timeline_caps; do
	got=$(arrows "$cap") want=$(json_arrows "$cap")
	if [ -n "$got" ] && [ "$got" = "$want" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: --timeline $cap: arrows (conn, frame, sender, states) differ from read --json:"
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -10
		fail=$((fail + 1))
	fi
	# As many arrows per connection as the connection has frames.
	got=$(arrows "$cap" | awk '{ n[$1]++ } END { for (c in n) print c, n[c] }' | sort -n | tr '\n' ' ')
	want=$($P conns --json "$cap" | jq -r 'select(.proto == "tcp") | "\(.id) \(.frames_c2s + .frames_s2c)"' | sort -n | tr '\n' ' ')
	if [ "$got" = "$want" ]; then pass=$((pass + 1)); else echo "FAIL: --timeline $cap: arrows per connection $got, frames $want"; fail=$((fail + 1)); fi
	# Every SYN (without ACK) points from the client to the server.
	if $P conns --timeline "$cap" | grep -E '(---|<--) SYN(\+ECE|\+CWR)* seq' | grep -qv -- '--- SYN'; then
		echo "FAIL: --timeline $cap: a SYN arrow points to the client"; fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done

# After its last arrow, TIME_WAIT shows on the side conns --json says holds it.
for cap in captures/conn/client-close.pcap captures/conn/server-close.pcap \
	   captures/conn/simultaneous-close.pcap captures/conn/rst-abort.pcap captures/conn/interleaved.pcap; do
	got=$(arrows "$cap" | awk '{ last[$1] = $4 " " $5 } END { for (c in last) print c, last[c] }' | sort -n |
		awk '{ c = $2 == "TIME_WAIT"; s = $3 == "TIME_WAIT"
		       printf "%s %s;", $1, c && s ? "both" : c ? "client" : s ? "server" : "null" }')
	want=$($P conns --json "$cap" | jq -r 'select(.proto == "tcp") | "\(.id) \(.time_wait);"' | sort -n | tr -d '\n')
	if [ "$got" = "$want" ]; then pass=$((pass + 1)); else echo "FAIL: --timeline $cap: TIME_WAIT after the last arrow: $got, conns --json: $want"; fail=$((fail + 1)); fi
done

# A filter picks the connections drawn; they are numbered afresh.
got=$(arrows captures/conn/interleaved.pcap 'port 8102' | awk '{ print $1, $2 }' | tr '\n' ' ')
if [ "$got" = "1 4 1 9 1 10 1 11 1 19 1 20 1 21 1 22 1 23 1 29 " ] &&
   $P conns --timeline captures/conn/interleaved.pcap 'port 8102' | grep -q '^conn #1  TCP  client 10.79.1.1:40002 -> server 10.79.1.2:8102$'; then
	pass=$((pass + 1))
else
	echo "FAIL: --timeline with a filter: $got"; fail=$((fail + 1))
fi

# --timeline draws text: with --json it is a usage error; other commands refuse it.
$P conns --timeline --json captures/tcp-handshake.pcap >/dev/null 2>/tmp/pkl-conns-err.$$
rc=$?
if [ "$rc" = 2 ] && grep -q -- "--timeline .*--json" /tmp/pkl-conns-err.$$; then pass=$((pass + 1)); else echo "FAIL: --timeline --json: exit $rc"; fail=$((fail + 1)); fi
$P read --timeline captures/tcp-handshake.pcap >/dev/null 2>&1
rc=$?
if [ "$rc" = 2 ]; then pass=$((pass + 1)); else echo "FAIL: read --timeline: exit $rc, wanted 2"; fail=$((fail + 1)); fi
rm -f /tmp/pkl-conns-err.$$

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() { # DESCRIPTION GOT WANTED
	if [ "$2" = "$3" ]; then pass=$((pass + 1)); else echo "FAIL: $1: got $2, wanted $3"; fail=$((fail + 1)); fi
}

# Port reuse: tcp-handshake.pcap, then its TCP frames again 10 s later
# with a new client ISN.  Within 2*MSL the old connection is still there
# and the new SYN reports its reuse; past 2*MSL it has left, closed.
/usr/bin/python3 - captures/tcp-handshake.pcap "$tmp/reuse.pcap" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
out, again, off = bytearray(data[:24]), bytearray(), 24
while off < len(data):
    sec, usec, incl, orig = struct.unpack_from("<IIII", data, off)
    frame = bytearray(data[off + 16:off + 16 + incl])
    out += data[off:off + 16 + incl]
    off += 16 + incl
    if frame[12:14] != b"\x08\x00" or frame[23] != 6:
        continue
    tcp = 14 + (frame[14] & 15) * 4
    from_client = struct.unpack_from(">H", frame, tcp)[0] == 41460
    at = tcp + 4 if from_client else tcp + 8    # the client's seq, or the server's ack of it
    struct.pack_into(">I", frame, at, (struct.unpack_from(">I", frame, at)[0] + 1000000) % 2**32)
    again += struct.pack("<IIII", sec + 10, usec, incl, orig) + frame
open(sys.argv[2], "wb").write(out + again)
PY
check "reuse within 2*MSL: a new conversation, the old one left reused" \
	"$($P conns --json "$tmp/reuse.pcap" | jq -c -s '[.[] | select(.proto == "tcp") | [.id, .left_table]]')" '[[1,"reused"],[2,"end"]]'
check "reuse within 2*MSL: the new SYN says so" \
	"$($P read --json "$tmp/reuse.pcap" | jq -c -s '[.[] | select(any(.notes[]?; .note == "conn.reused")) | .["frame.number"]]')" '[13]'
check "ports used again past 2*MSL: the old connection had left, closed" \
	"$($P conns --json --msl 1 "$tmp/reuse.pcap" | jq -c -s '[.[] | select(.proto == "tcp") | [.id, .left_table]]')" '[[1,"closed"],[2,"end"]]'

# Generated traffic (bench/gencap): closed connections leave 2*MSL after
# their last frame, as they leave; the rest come out at the end in order
# of first frame.
cc -std=c11 -O2 -o "$tmp/gencap" bench/gencap.c || echo "FAIL: cannot build bench/gencap"
"$tmp/gencap" -n 20000 -c 2000 "$tmp/mixed.pcap" 2>/dev/null
check "closed connections leave after 2*MSL (--msl 1), in a closed state" \
	"$($P conns --json --msl 1 "$tmp/mixed.pcap" | jq -c -s '[.[] | select(.left_table == "closed")] |
		[length > 0, all(.client_state + " " + .server_state | test("^(CLOSED|TIME_WAIT) (CLOSED|TIME_WAIT)$"))]')" '[true,true]'
check "a capture shorter than 2*MSL: none leaves closed" \
	"$($P conns --json "$tmp/mixed.pcap" | jq -s '[.[] | select(.left_table == "closed")] | length')" 0
check "exchanges expire on their own timeout: UDP flows leave after --exchange-timeout 1" \
	"$($P conns --json --exchange-timeout 1 "$tmp/mixed.pcap" | jq -s '[.[] | select(.proto == "udp" and .left_table == "expired")] | length > 0')" true
check "exchanges expire on their own timeout: none with --exchange-timeout 86400" \
	"$($P conns --json --exchange-timeout 86400 "$tmp/mixed.pcap" | jq -s '[.[] | select(.proto != "tcp" and .left_table == "expired")] | length')" 0
check "rows left at the end come in order of first frame" \
	"$($P conns --json --msl 1 "$tmp/mixed.pcap" | jq -s '[.[] | select(.left_table == "end") | .first_frame] | . == sort and length > 0')" true

# Bounded memory: lone SYNs (never closed, so only the cap bounds the
# table), 20k and 200k connections through a table of 5000.  Peak RSS
# must not follow the connection count, and the evictions are reported.
"$tmp/gencap" -n 25000 -c 20000 "$tmp/syn-20k.pcap" 2>/dev/null
"$tmp/gencap" -n 250000 -c 200000 "$tmp/syn-200k.pcap" 2>/dev/null
rss() { # FILE: peak RSS in KiB of conns --max-conns 5000; stderr to $tmp/err
	/usr/bin/time -f %M -o "$tmp/rss" $P conns --max-conns 5000 "$1" >/dev/null 2>"$tmp/err" && cat "$tmp/rss"
}
if [ -x /usr/bin/time ]; then
	small=$(rss "$tmp/syn-20k.pcap")
	grep -q "connections were evicted from the full table" "$tmp/err"; e_small=$?
	big=$(rss "$tmp/syn-200k.pcap")
	grep -q "connections were evicted from the full table" "$tmp/err"; e_big=$?
	check "evictions reported on stderr at 20k and 200k connections" "$e_small $e_big" "0 0"
	if [ -n "$small" ] && [ -n "$big" ] && [ "$big" -le $((small + small / 4)) ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: peak RSS grows with the connection count beyond the cap: ${small:-?} KiB at 20k, ${big:-?} KiB at 200k"
		fail=$((fail + 1))
	fi
else
	echo "FAIL: bounded memory: needs GNU time (/usr/bin/time; apt-get install time)"; fail=$((fail + 1))
fi

echo "conns: $pass passed, $fail failed"
[ "$fail" = 0 ]
