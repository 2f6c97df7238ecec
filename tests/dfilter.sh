#!/bin/bash
# The -Y field filter from the command line: what it keeps in each view,
# that frame numbers stay the file's, -w writing the frames kept, and the
# usage errors with the caret under the offending token.  Which frames
# each expression keeps, against tshark: tests/dfilter_tshark.py.
set -u
cd "$(dirname "$0")/.."
P=${PKTLENS:-./pktlens}
tmp=$(mktemp -d /tmp/pkl-dfilter.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

. tests/lib.sh

expect_same() {   # expect_same FILE TEXT DESCRIPTION
	if [ "$(cat "$1")" = "$2" ]; then ok; else bad "$3: got [$(cat "$1")], wanted [$2]"; fi
}
frames() {        # the frame numbers of a -q output, on one line
	sed -nE 's/^#([0-9]+) .*/\1/p' "$1" | tr '\n' ' ' | sed 's/ $//'
}

H=captures/tcp-handshake.pcap
C=captures/conn/server-close.pcap

# -q: the frames kept, numbered as in the file.
expect_exit 0 "-q -Y syn" -- $P read -q -Y 'tcp.flags.syn == 1' $H
frames "$tmp/out" > "$tmp/n"; expect_same "$tmp/n" "3 4" "-q keeps the SYN and SYN+ACK, with the file's numbers"
expect_exit 0 "-Y !arp" -- $P read -q -Y '!arp' captures/arp.pcap
expect_same "$tmp/out" "" "!arp keeps nothing of an ARP capture"
expect_exit 0 "-Y either side" -- $P read -q -Y 'ip.addr == 10.77.1.2 and tcp.port eq 8080 && frame.len == 74' $H
frames "$tmp/out" > "$tmp/n"; expect_same "$tmp/n" "3 4" "ip.addr, tcp.port and frame.len together"
# State and analysis fields: the tracker runs on every frame first.
expect_exit 0 "-Y conn state" -- $P read -q -Y 'conn.server_state == "TIME_WAIT"' $C
expect_grep "$tmp/out" "^#[0-9]+ " "a server state keeps frames"
$P read --json $C | grep -c '"conn.server_state":"TIME_WAIT"' > "$tmp/want"
wc -l < "$tmp/out" | tr -d ' ' > "$tmp/got"
expect_same "$tmp/got" "$(cat "$tmp/want")" "-Y keeps exactly the frames whose JSON says TIME_WAIT"
expect_exit 0 "-Y retransmission" -- $P read -q -Y 'tcp.analysis.retransmission' captures/conn/retransmit-loss.pcap
expect_grep "$tmp/out" "retransmission" "every frame kept is a retransmission"
if grep -qv "retransmission" "$tmp/out"; then bad "a frame kept is not a retransmission"; else ok; fi

# DNS and HTTP: every key of their JSON is a field; a question's or a
# record's matches when any of the message's does.
D=captures/dns.pcap
expect_exit 0 "-Y dns.qry.name contains" -- $P read -q -Y 'dns.qry.name contains "example"' $D
frames "$tmp/out" > "$tmp/n"; expect_same "$tmp/n" "1 2 3 4 5 6 7 9" "every DNS message but mDNS's asks of example"
expect_exit 0 "-Y dns.qry.name ==" -- $P read -q -Y 'dns.qry.name == "www.example.org"' $D
$P read --json $D | grep -c '"dns.qry.name":"www.example.org"' > "$tmp/want"
wc -l < "$tmp/out" | tr -d ' ' > "$tmp/got"
expect_same "$tmp/got" "$(cat "$tmp/want")" "-Y keeps exactly the frames whose JSON asks of www.example.org"
expect_exit 0 "-Y dns.a" -- $P read -q -Y 'dns.a == 198.51.100.0/24 && dns.resp.type == 5' $D
frames "$tmp/out" > "$tmp/n"; expect_same "$tmp/n" "2" "an A record's address and a CNAME's type in one answer"
expect_exit 0 "-Y dns, mdns" -- $P read -q -Y 'dns.flags.response == 0 && !dns' $D
frames "$tmp/out" > "$tmp/n"; expect_same "$tmp/n" "8" "multicast DNS is mdns, not dns, with dns.* fields"
expect_exit 0 "-Y http" -- $P read -q -Y 'http.request.method == "GET" || http.response.code == 200' $H
frames "$tmp/out" > "$tmp/n"; expect_same "$tmp/n" "6 8" "the HTTP request and its response"

# --json and the tree: the same objects as without -Y, only fewer.
expect_exit 0 "--json -Y" -- $P read --json -Y 'frame.number == 5' $H
$P read --json $H | sed -n 5p > "$tmp/want"
expect_same "$tmp/out" "$(cat "$tmp/want")" "--json -Y writes frame 5's object unchanged (times relative to frame 1)"
expect_exit 0 "tree -Y" -- $P read -Y 'frame.number == 2' --color=never $H
expect_grep "$tmp/out" "^#2 " "the tree view keeps frame 2"
if grep -qE "^#(1|3) " "$tmp/out"; then bad "the tree view shows other frames"; else ok; fi
expect_exit 0 "-x -Y" -- $P read -x -Y 'frame.number == 1' --color=never $H
expect_grep "$tmp/out" "^ +0000  ff ff ff ff ff ff" "-x dumps the frame kept"

# -w: the frames kept, in pcap and in pcapng.
expect_exit 0 "-w pcap -Y" -- $P read -q -w "$tmp/kept.pcap" -Y 'tcp.flags.syn == 1' $H
expect_exit 0 "reread" -- $P read -q "$tmp/kept.pcap"
n=$(grep -c '^#' "$tmp/out"); if [ "$n" = 2 ]; then ok; else bad "-w kept.pcap holds $n frames, wanted 2"; fi
expect_exit 0 "-w pcapng -Y" -- $P read -q -w "$tmp/kept.pcapng" -Y 'tcp.flags.syn == 1' $H
n=$($P read -q "$tmp/kept.pcapng" | grep -c '^#'); if [ "$n" = 2 ]; then ok; else bad "-w kept.pcapng holds $n frames, wanted 2"; fi
expect_exit 0 "-w without -Y" -- $P read -q -w "$tmp/all.pcap" $H
n=$($P read -q "$tmp/all.pcap" | grep -c '^#'); if [ "$n" = "$(grep -c '^#' "$tmp/out")" ]; then ok; else bad "-w without -Y keeps every frame"; fi

# With a BPF filter too: BPF first, then -Y.
expect_exit 0 "BPF and -Y" -- $P read -q -Y 'tcp.flags.ack == 0' $H 'tcp port 8080'
frames "$tmp/out" > "$tmp/n"; expect_same "$tmp/n" "3" "BPF then -Y keeps the SYN"

# Usage errors: exit 2, the expression, a caret under the token.
expect_exit 2 "unknown field" -- $P read -Y 'ip.sr == 10.0.0.1' $H
expect_grep "$tmp/err" "'ip.sr' is not a field or protocol pktlens knows; the nearest: ip.src" "the unknown field is named with the nearest"
expect_grep "$tmp/err" "^  ip.sr == 10.0.0.1$" "the expression is shown"
expect_grep "$tmp/err" "^  \^~~~~$" "the caret is under ip.sr"
expect_exit 2 "unknown DNS field" -- $P read -Y 'dns && dns.qry.nme == "x"' captures/dns.pcap
expect_grep "$tmp/err" "'dns.qry.nme' is not a field or protocol pktlens knows; the nearest: dns.qry.name" "an unknown DNS field is named with the nearest"
expect_grep "$tmp/err" "^         \^~~~~~~~~~~$" "the caret is under dns.qry.nme"
expect_exit 2 "DNS address" -- $P read -Y 'dns.a == www.example.org' captures/dns.pcap
expect_grep "$tmp/err" "'www.example.org' is not an IPv4 address, which dns.a holds" "dns.a holds an address"
expect_exit 2 "bad value" -- $P read -Y 'tcp.port == http' $H
expect_grep "$tmp/err" "'http' is not a number, which tcp.srcport holds" "a bad value is named with its field's type"
expect_grep "$tmp/err" "^              \^~~~$" "the caret is under the value"
expect_exit 2 "missing value" -- $P read -Y 'frame.len >' $H
expect_grep "$tmp/err" "ends where a value was expected" "a missing value"
expect_grep "$tmp/err" "^             \^$" "the caret is past the end"
expect_exit 2 "unclosed (" -- $P read -Y '(tcp || udp' $H
expect_grep "$tmp/err" "this parenthesis is never closed" "an unclosed parenthesis"
expect_exit 2 "stray )" -- $P read -Y 'tcp)' $H
expect_grep "$tmp/err" "'\)' where &&, \|\| or the end was expected" "a stray parenthesis"
expect_grep "$tmp/err" "^     \^$" "the caret is under the parenthesis"
expect_exit 2 "beyond the subset" -- $P read -Y 'http.host matches "x"' $H
expect_grep "$tmp/err" "nearest" "an unknown protocol's field"
expect_exit 2 "matches" -- $P read -Y 'tcp.len matches "x"' $H
expect_grep "$tmp/err" "'matches' is Wireshark's, beyond the subset" "matches is named as beyond the subset"
expect_exit 2 "protocol compared" -- $P read -Y 'tcp == 1' $H
expect_grep "$tmp/err" "'tcp' is a protocol" "a protocol is not compared"
expect_exit 2 "contains on a number" -- $P read -Y 'frame.len contains "1"' $H
expect_grep "$tmp/err" "contains takes a string field" "contains on a number"
expect_exit 2 "CIDR with <" -- $P read -Y 'ip.src < 10.0.0.0/8' $H
expect_grep "$tmp/err" "/prefix\) takes == or != only" "a network takes == or !="
expect_exit 2 "empty" -- $P read -Y '' $H
expect_grep "$tmp/err" "the filter is empty" "an empty filter"
expect_exit 2 "unclosed string" -- $P read -Y 'conn.sender == "client' $H
expect_grep "$tmp/err" "no closing quote" "an unclosed string"
expect_exit 2 "sniff -Y checked too" -- $P sniff -i lo -c 1 -Y 'tcp.nope'
expect_grep "$tmp/err" "^pktlens sniff: -Y: 'tcp.nope' is not a field" "sniff refuses a bad -Y before capturing"
expect_exit 0 "--help" -- $P read --help
expect_grep "$tmp/out" "^  -Y, --display-filter EXPR" "read --help lists -Y"

echo "${PKL_SUITE:-dfilter}: $pass passed, $fail failed"
[ "$fail" = 0 ]
