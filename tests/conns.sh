#!/bin/bash
# Asserted facts of the connection tracker on the bundled captures:
# handshake frames, who closed, the final states, the TIME_WAIT holder,
# and the step each frame is labelled with.
set -u
cd "$(dirname "$0")/.."
P=./pktlens
pass=0 fail=0

# fact DESCRIPTION CAPTURE JQ-EXPRESSION EXPECTED: over `conns --json`
fact() {
	local got
	got=$($P conns --json "$2" | jq -c -s "$3" 2>&1)
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
	"$($P conns --json "$tmp/reuse.pcap" | jq -c -s '[.[] | [.id, .left_table]]')" '[[1,"reused"],[2,"end"]]'
check "reuse within 2*MSL: the new SYN says so" \
	"$($P read --json "$tmp/reuse.pcap" | jq -c -s '[.[] | select(any(.notes[]?; .note == "conn.reused")) | .["frame.number"]]')" '[13]'
check "ports used again past 2*MSL: the old connection had left, closed" \
	"$($P conns --json --msl 1 "$tmp/reuse.pcap" | jq -c -s '[.[] | [.id, .left_table]]')" '[[1,"closed"],[2,"end"]]'

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
check "rows left at the end come in order of first frame" \
	"$($P conns --json --msl 1 "$tmp/mixed.pcap" | jq -s '[.[] | select(.left_table == "end") | .id] | . == sort and length > 0')" true

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
