#!/bin/bash
# End-to-end tests of `pktlens demo`: every demonstration run in a
# network namespace of its own (so lo, its ports and its TcpExt counters
# are private), its facts checked in --json, not in its wording, and the
# truth of the sockets taken from the kernel through ss.  The namespace
# is deleted by name on exit, failed or not.
set -u
cd "$(dirname "$0")/../.."
P=${PKTLENS:-$(pwd)/pktlens}
SUITE=${PKL_SUITE:-demo}
NS=pkl-demo-t
. tools/netns.sh
pkl_netns_begin pkl-demo || exit 1
tmp=$PKL_TMP
chmod 1777 "$tmp"   # the demo writes its -w file here as nobody

. tests/lib.sh
in_ns() { ip netns exec "$NS" "$@"; }
jqs() { jq -se "$@" > /dev/null; }   # jqs FILTER [ARGS] FILE: true over all records
# run NAME ARGS...: pktlens in the namespace, bounded; $tmp/NAME.{out,err,rc}
run() {
	local name=$1; shift
	in_ns timeout 30 "$P" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
	echo $? > "$tmp/$name.rc"
}
rc() { cat "$tmp/$1.rc"; }
# demo LABEL ARGS...: the demonstration (ARGS: its name and options) in
# JSON with a tiny pace, output in $tmp/LABEL.out, checked
# for what every run must show: exit 0, JSON only, every kernel record
# agreeing, a result record, and nothing left behind
# in the kernel but TIME_WAIT.
demo() {
	local name=$1; shift
	run "$name" demo --json --pace 0.05 "$@"
	check "$name: exit 0 ($(rc "$name"): $(head -c 300 "$tmp/$name.err"))" [ "$(rc "$name")" = 0 ]
	check "$name: every line is JSON" jqs . "$tmp/$name.out"
	check "$name: the kernel agrees with the frames every time" \
		jqs 'map(select(.kind == "kernel")) | all(.agree)' "$tmp/$name.out"
	check "$name: the result says it completed with no disagreement" \
		jqs 'map(select(.kind == "result")) | length == 1 and .[0].completed and .[0].disagreements == 0' \
		"$tmp/$name.out"
	check "$name: no socket left behind but TIME_WAIT" \
		bash -c "[ -z \"\$(ip netns exec $NS ss -tanH | grep -v '^TIME-WAIT')\" ] && [ -z \"\$(ip netns exec $NS ss -uanH)\" ]"
}

if [ "$(id -u)" != 0 ] || ! pkl_netns_add "$NS"; then
	bad "cannot create the network namespace (needs root and iproute2)"
	# --step: each step waits for a line of standard input.
printf '\n' | in_ns timeout 5 "$P" demo --step -q closed-port > "$tmp/step1.out" 2> "$tmp/step1.err"
check "--step: one step needs no Enter ($?)" grep -q '^client: close(' "$tmp/step1.out"
in_ns timeout 2 "$P" demo --step -q handshake < <(sleep 3) > "$tmp/step2.out" 2> "$tmp/step2.err"
check "--step: the second step waits for Enter" \
	bash -c "grep -q 'Enter for the next step' $tmp/step2.err && ! grep -q '^client: connect(' $tmp/step2.out"

finish
fi
in_ns ip link set lo up

# ---- the list, the usage errors, the privilege -------------------------------------

run list demo
check "demo: the list of eight, exit 0" \
	bash -c "[ $(rc list) = 0 ] && [ \$(grep -cE '^  (handshake|teardown|timewait|reset|closed-port|stream|udp|backlog) ' $tmp/list.out) = 8 ]"
run unknown demo nosuch
check "demo nosuch: a usage error (exit 2)" [ "$(rc unknown)" = 2 ]
run misplaced demo --server-closes handshake
check "--server-closes outside teardown: a usage error (exit 2)" [ "$(rc misplaced)" = 2 ]

# Without the capture right: the sentence sniff says, exit 1.
in_ns setpriv --reuid=nobody --regid=nogroup --clear-groups "$P" demo handshake \
	> /dev/null 2> "$tmp/noperm.err"; noperm_rc=$?
in_ns setpriv --reuid=nobody --regid=nogroup --clear-groups "$P" sniff -i lo -c 1 \
	> /dev/null 2> "$tmp/noperm-sniff.err"
check "demo without capture rights: exit 1 ($noperm_rc)" [ "$noperm_rc" = 1 ]
check "demo without capture rights: sniff's sentence" \
	bash -c "grep -q 'no permission to capture on lo' $tmp/noperm.err && [ \"\$(sed 's/(.*)//' $tmp/noperm.err)\" = \"\$(sed 's/(.*)//' $tmp/noperm-sniff.err)\" ]"

# ---- handshake ----------------------------------------------------------------------

demo handshake handshake
check "handshake: SYN, SYN+ACK, ACK in order, with both ends' states after each" \
	jqs 'map(select(."frame.number")) | .[0:3] | map([."tcp.flags", ."conn.client_state", ."conn.server_state"])
	     == [[2, "SYN_SENT", "LISTEN?"], [18, "SYN_SENT", "SYN_RECEIVED"], [16, "ESTABLISHED", "ESTABLISHED"]]' \
	"$tmp/handshake.out"
check "handshake: the frames come after connect() and before accept()" \
	jqs '(map(select(.kind == "syscall" or ."frame.number")) | map(.call // "frame")) as $o
	     | ($o | index("connect")) < ($o | index("frame")) and ($o | index("frame")) < ($o | index("accept"))' \
	"$tmp/handshake.out"
check "handshake: the kernel says ESTABLISHED for both ends after connect()" \
	jqs 'map(select(.kind == "kernel"))[0:2] | map(.state) == ["ESTABLISHED", "ESTABLISHED"]' \
	"$tmp/handshake.out"
check "handshake: the listener's accept queue holds the connection until accept()" \
	jqs 'map(select(.kind == "socket")) | map([.state, .recv_q]) == [["LISTEN", 0], ["LISTEN", 1], ["LISTEN", 0]]' \
	"$tmp/handshake.out"
check "handshake: the tracker's record (handshake seen)" \
	jqs 'map(select(.proto == "tcp" and .kind == null)) | length == 1 and .[0].handshake_frames == [1, 2, 3]' \
	"$tmp/handshake.out"

# ---- teardown -----------------------------------------------------------------------

demo teardown teardown
check "teardown: the client closed first (the record)" \
	jqs 'map(select(.proto == "tcp" and .kind == null))[0].close == "client-first"' "$tmp/teardown.out"
check "teardown: the kernel shows the client in FIN_WAIT_2 and the server in CLOSE_WAIT" \
	jqs 'map(select(.kind == "kernel" and .socket)) | any(.who == "client" and .state == "FIN_WAIT_2")
	     and any(.who == "server" and .state == "CLOSE_WAIT")' "$tmp/teardown.out"
check "teardown: the client holds TIME_WAIT, confirmed by the kernel with its timer" \
	jqs 'map(select(.kind == "kernel" and .state == "TIME_WAIT")) | length > 0
	     and all(.who == "client" and .agree and .timer_s > 50)' "$tmp/teardown.out"
demo ts teardown --server-closes
check "teardown --server-closes: the server closed first" \
	jqs 'map(select(.proto == "tcp" and .kind == null))[0].close == "server-first"' "$tmp/ts.out"
check "teardown --server-closes: FIN_WAIT_2 on the server, CLOSE_WAIT on the client, in the kernel" \
	jqs 'map(select(.kind == "kernel" and .socket)) | any(.who == "server" and .state == "FIN_WAIT_2")
	     and any(.who == "client" and .state == "CLOSE_WAIT")' "$tmp/ts.out"
check "teardown --server-closes: TIME_WAIT on the server" \
	jqs 'map(select(.kind == "kernel" and .state == "TIME_WAIT")) | length > 0 and all(.who == "server")' \
	"$tmp/ts.out"

# ---- timewait -----------------------------------------------------------------------

demo timewait timewait
check "timewait: the four sysctls, read" \
	jqs 'map(select(.kind == "sysctl")) | map(.name) == ["net.ipv4.tcp_fin_timeout",
	     "net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_max_tw_buckets", "net.ipv4.ip_local_port_range"]
	     and all(.value != "unreadable")' "$tmp/timewait.out"
check "timewait: the sysctls' values are the namespace's" \
	jqs --arg fin "$(in_ns cat /proc/sys/net/ipv4/tcp_fin_timeout)" \
	'map(select(.kind == "sysctl"))[0].value == $fin' "$tmp/timewait.out"
check "timewait: TIME_WAIT on the server's side (it closed first), confirmed by the kernel" \
	jqs 'map(select(.kind == "kernel" and .state == "TIME_WAIT")) | length > 0
	     and all(.who == "server" and .agree and .timer == "timewait")' "$tmp/timewait.out"
check "timewait: the restarted server's bind() fails with EADDRINUSE, then succeeds with SO_REUSEADDR" \
	jqs 'map(select(.kind == "syscall" and .who == "new server" and (.call == "bind" or .call == "setsockopt")))
	     | map([.call, .result, .errno]) == [["bind", -1, "EADDRINUSE"], ["setsockopt", 0, null], ["bind", 0, null]]' \
	"$tmp/timewait.out"

# ---- reset and closed-port ----------------------------------------------------------

demo reset reset
check "reset: the client's close() sends an RST, no FIN" \
	jqs 'map(select(."frame.number")) | any(."tcp.flags.reset" and ."conn.sender" == "client")
	     and all(."tcp.flags.fin" | not)' "$tmp/reset.out"
check "reset: the server's recv() gets ECONNRESET" \
	jqs 'map(select(.kind == "syscall" and .call == "recv")) | .[0] | .result == -1 and .errno == "ECONNRESET"' \
	"$tmp/reset.out"
check "reset: the record says reset by the client" \
	jqs 'map(select(.proto == "tcp" and .kind == null))[0].close == "reset-by-client"' "$tmp/reset.out"

demo closed-port closed-port
check "closed-port: SYN, then RST+ACK" \
	jqs 'map(select(."frame.number")) | map(."tcp.flags") == [2, 20]' "$tmp/closed-port.out"
check "closed-port: connect() fails with ECONNREFUSED" \
	jqs 'map(select(.kind == "syscall" and .call == "connect"))[0] | .result == -1 and .errno == "ECONNREFUSED"' \
	"$tmp/closed-port.out"

# ---- stream -------------------------------------------------------------------------

demo stream stream
check "stream: three runs of 50 send() calls" \
	jqs 'map(select(.kind == "stream")) | map(.run) == ["nagle", "nodelay", "length-prefix"] and all(.send_calls == 50)' \
	"$tmp/stream.out"
check "stream: with Nagle, fewer segments than send() calls" \
	jqs 'map(select(.kind == "stream" and .run == "nagle"))[0] | .segments < .send_calls and .segments > 0' \
	"$tmp/stream.out"
check "stream: with TCP_NODELAY, one segment per send()" \
	jqs 'map(select(.kind == "stream" and .run == "nodelay"))[0] | .segments == .send_calls' "$tmp/stream.out"
check "stream: every length-prefixed message recovered" \
	jqs 'map(select(.kind == "stream" and .run == "length-prefix"))[0].messages_recovered == 50' "$tmp/stream.out"
check "stream: the segments counted are the data frames of the capture" \
	jqs '(map(select(."frame.number" and ."tcp.len" > 0 and (."tcp.analysis.retransmission" | not)
	      and ."conn.sender" == "client")) | length) == (map(select(.kind == "stream") | .segments) | add)' \
	"$tmp/stream.out"
check "stream: a recv() returned part of a message, and the next recv() its rest" \
	jqs 'map(select(.kind == "stream" and .run == "nagle"))[0].split | .recv_call >= 1 and .bytes > 0' \
	"$tmp/stream.out"

# ---- udp ----------------------------------------------------------------------------

demo udp udp
check "udp: three recvfrom() of the sizes of the three sendto()" \
	jqs '(map(select(.kind == "syscall" and .call == "sendto") | .result)) as $s
	     | $s == [10, 300, 42] and (map(select(.kind == "syscall" and .call == "recvfrom") | .result) == $s)' \
	"$tmp/udp.out"
check "udp: the datagrams wait in the server's queue before recvfrom(), none after" \
	jqs 'map(select(.kind == "socket")) | map([.proto, .state, .recv_q > 0]) == [["udp", "UNCONN", true], ["udp", "UNCONN", false]]' \
	"$tmp/udp.out"
check "udp: the datagram to the closed port draws an ICMP port unreachable" \
	jqs 'map(select(."icmp.type" == 3 and ."icmp.code" == 3)) | length == 1' "$tmp/udp.out"
check "udp: the connected socket's next call fails with ECONNREFUSED" \
	jqs 'map(select(.kind == "syscall" and .call == "recv"))[0] | .result == -1 and .errno == "ECONNREFUSED"' \
	"$tmp/udp.out"

# ---- backlog ------------------------------------------------------------------------

# TcpExt ListenOverflows of the namespace, read as the kernel keeps it.
overflows() {
	in_ns awk '/^TcpExt:/ { if (!n) { for (i = 2; i <= NF; i++) if ($i == "ListenOverflows") c = i; n = 1 }
	           else print $c }' /proc/net/netstat
}
before=$(overflows)
demo backlog backlog
after=$(overflows)
check "backlog: both overflow counters moved" \
	jqs 'map(select(.kind == "netstat" and .after > .before)) | map(.name) | sort == ["TcpExtListenDrops", "TcpExtListenOverflows"]' \
	"$tmp/backlog.out"
# The clients retry until they close, after the demo's last reading.
check "backlog: the demo read the namespace's counter ($before before, $after at the end)" \
	jqs --argjson b "$before" --argjson a "$after" 'map(select(.kind == "netstat" and .name == "TcpExtListenOverflows"))
	     | .[-1] | .before == $b and .after <= $a' "$tmp/backlog.out"
check "backlog: the accept queue full (2 of backlog 1) in sock_diag" \
	jqs 'map(select(.kind == "socket")) | length > 0 and all(.recv_q == 2 and .send_q == 1 and .state == "LISTEN")' \
	"$tmp/backlog.out"
check "backlog: the dropped SYNs were sent again" \
	jqs 'map(select(."frame.number" and ."tcp.flags" == 2 and ."tcp.analysis.retransmission")) | length >= 1' \
	"$tmp/backlog.out"

# ---- the text views and -w ----------------------------------------------------------

run text demo --pace 0 -q -w "$tmp/hs.pcap" handshake
check "-q: exit 0" [ "$(rc text)" = 0 ]
check "-q: the calls with their results" grep -qE '^client: connect\([0-9]+, 127\.0\.0\.1:[0-9]+\) -> 0' "$tmp/text.out"
check "-q: the kernel's lines say agree" \
	bash -c "grep '^kernel: [0-9]' $tmp/text.out | grep -q . && ! grep '^kernel: [0-9]' $tmp/text.out | grep -qv '| agree$'"
check "-q: the ladder at the end" grep -q 'handshake 3/3' "$tmp/text.out"
check "-w: the file holds the frames shown" \
	bash -c "[ \$(grep -c '^#' $tmp/text.out) = \$('$P' read -q $tmp/hs.pcap | wc -l) ]"

# --step: each step waits for a line of standard input.
printf '\n' | in_ns timeout 5 "$P" demo --step -q closed-port > "$tmp/step1.out" 2> "$tmp/step1.err"
check "--step: one step needs no Enter ($?)" grep -q '^client: close(' "$tmp/step1.out"
in_ns timeout 2 "$P" demo --step -q handshake < <(sleep 3) > "$tmp/step2.out" 2> "$tmp/step2.err"
check "--step: the second step waits for Enter" \
	bash -c "grep -q 'Enter for the next step' $tmp/step2.err && ! grep -q '^client: connect(' $tmp/step2.out"

finish
