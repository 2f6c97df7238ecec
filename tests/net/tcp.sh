#!/bin/bash
# End-to-end tests of `pktlens tcp`: pktlens's own TCP end in namespace
# A against a kernel echo server in B, through a forwarder in M
# (tools/forwarder/pktfwd.c, lossless except for the 1 MiB transfer).
# The truth comes from B's side: the server's file and its sha256, and
# `ss` in B; and from a capture in A that must hold no RST from A's
# kernel.  Timers are short (--msl 1, --idle 0.2): the suite takes about
# half a minute.  Run it as: flock /tmp/pkl-net.lock tests/net/tcp.sh
set -u
cd "$(dirname "$0")/../.."
P=${PKTLENS:-$(pwd)/pktlens}
SUITE=${PKL_SUITE:-tcp}
. tools/netns.sh
pkl_netns_begin pkl-tcp || exit 1
tmp=$PKL_TMP

NS_A=pkl-tcp-a NS_M=pkl-tcp-m NS_B=pkl-tcp-b NS_C=pkl-tcp-c
A=10.72.1.1 B=10.72.1.2 B2=10.72.2.1 C=10.72.2.2   # B routes to C
ECHO=7001        # echoes until the client closes, then closes
CLOSER=7002      # echoes, then closes first after 0.3 s of silence
DROPPED=7003     # B drops SYNs to it
CLOSED=7009      # nobody listens

. tests/lib.sh
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
has() { grep -qE -- "$2" "$tmp/$1"; }   # has NAME.out REGEX
jqs() { jq -se "$@" > /dev/null; }      # jqs FILTER [ARGS] FILE: true over all records
finish() {
	[ -n "${PKL_TCP_KEEP:-}" ] && rm -rf "$PKL_TCP_KEEP" && cp -r "$tmp" "$PKL_TCP_KEEP"
	echo "$SUITE: $pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
}
# run NAME ARGS...: pktlens tcp in A, bounded; $tmp/NAME.{out,err,rc}.
run() {
	local name=$1; shift
	in_ns $NS_A timeout 40 "$P" tcp "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
	echo $? > "$tmp/$name.rc"
}
rc() { cat "$tmp/$1.rc"; }
# Every state record with a frame: the tracker infers the same state.
# The state after each frame: one segment can take the endpoint through
# two (a FIN that acknowledges its FIN: FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT
# as RFC 9293 processes the ACK, then the FIN), the tracker straight on.
agree() { jqs '[.[] | select(.kind == "state" and .frame != null)] | group_by(.frame) |
	map(last) | length > 0 and all(.tracker == .to)' "$tmp/$1.out"; }
states() { jq -r 'select(.kind == "state") | .to' "$tmp/$1.out" | tr '\n' ' '; }
result() { jq -c 'select(.kind == "result")' "$tmp/$1.out"; }
# pktlens's address and port in run NAME, as ss shows the peer.
source_of() { jq -r 'select(.kind == "result") | .source' "$tmp/$1.out"; }

if [ "$(id -u)" != 0 ] || ! pkl_netns_add $NS_A $NS_M $NS_B $NS_C; then
	bad "cannot create network namespaces (needs root and iproute2)"
	finish
fi
cc -std=c11 -O2 -Wall -Wextra -Werror -o "$tmp/pktfwd" tools/forwarder/pktfwd.c ||
	{ bad "cannot build tools/forwarder/pktfwd.c"; finish; }

# A -- M (pktfwd) -- B on one /24.
ip link add a0 netns $NS_A type veth peer name ma netns $NS_M
ip link add b0 netns $NS_B type veth peer name mb netns $NS_M
ip link add b1 netns $NS_B type veth peer name c0 netns $NS_C
for ns in $NS_A $NS_M $NS_B $NS_C; do
	in_ns $ns ip link set lo up
	in_ns $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
# Offloads off: the kernels would hand the veths 64 KiB TSO super-frames
# that pktfwd cannot write out, and leave checksums to the hardware.
offloads_off() {   # NS IFACE (the SIOCETHTOOL ioctl: ethtool may be missing)
	in_ns "$1" /usr/bin/python3 - "$2" <<'EOF'
import ctypes, fcntl, socket, struct, sys
SIOCETHTOOL = 0x8946
ifname = sys.argv[1].encode()
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
def call(cmd, data=0):
    val = ctypes.create_string_buffer(struct.pack("II", cmd, data), 8)
    ifr = struct.pack("16sP", ifname, ctypes.addressof(val)).ljust(40, b"\0")
    fcntl.ioctl(sock, SIOCETHTOOL, ifr)
    return struct.unpack("II", val.raw)[1]
for get, set_ in ((0x1e, 0x1f), (0x23, 0x24), (0x2b, 0x2c), (0x16, 0x17)):  # tso gso gro tx-csum
    try:
        call(set_, 0)
    except OSError:
        pass
    if call(get) != 0:
        sys.exit("an offload stays on")
EOF
}
LINKS=("$NS_A a0" "$NS_M ma" "$NS_M mb" "$NS_B b0" "$NS_B b1" "$NS_C c0")
for pair in "${LINKS[@]}"; do
	offloads_off $pair || bad "offloads off on $pair"
done
in_ns $NS_A ip addr add $A/24 dev a0
in_ns $NS_B ip addr add $B/24 dev b0
in_ns $NS_B ip addr add $B2/24 dev b1
in_ns $NS_C ip addr add $C/24 dev c0
for pair in "${LINKS[@]}"; do
	set -- $pair
	in_ns $1 ip link set dev $2 up
done

FWD_PID=
forwarder() {   # forwarder [RULES...]: (re)start pktfwd in M
	if [ -n "$FWD_PID" ]; then
		kill -TERM $FWD_PID 2>/dev/null
		wait $FWD_PID 2>/dev/null
	fi
	ip netns exec $NS_M "$tmp/pktfwd" -a ma -b mb --max-seconds 120 "$@" \
		> /dev/null 2> "$tmp/pktfwd.err" &
	FWD_PID=$!
	pkl_track $FWD_PID
	for _ in $(seq 50); do grep -q "ready" "$tmp/pktfwd.err" && break; sleep 0.1; done
}
forwarder

# The echo server (in B, and in C behind B): every connection's bytes
# saved to DIR/conn-N.bin.
cat > "$tmp/echo.py" <<'EOF'
import socket, sys, threading
tmp, echo, closer = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
count = [0]
lock = threading.Lock()
def serve(conn, closes_first):
    with lock:
        count[0] += 1
        n = count[0]
    with conn, open("%s/conn-%d.bin" % (tmp, n), "wb") as f:
        if closes_first:
            conn.settimeout(0.3)
        while True:
            try:
                data = conn.recv(65536)
                if not data:
                    break
                f.write(data)
                f.flush()
                conn.sendall(data)
            except (socket.timeout, ConnectionResetError):   # the close, or --close reset
                break
def listen(port, closes_first):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(8)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, closes_first), daemon=True).start()
threading.Thread(target=listen, args=(closer, True), daemon=True).start()
listen(echo, False)
EOF
echo_server() {   # echo_server NS DIR (ip netns exec execs timeout: $! is what TERM stops)
	mkdir -p "$2"
	ip netns exec "$1" timeout 120 /usr/bin/python3 "$tmp/echo.py" "$2" $ECHO $CLOSER &
	pkl_track $!
	for port in $ECHO $CLOSER; do
		for _ in $(seq 50); do in_ns "$1" ss -Htln "sport = :$port" | grep -q . && break; sleep 0.1; done
	done
}
echo_server $NS_B "$tmp"
in_ns $NS_B nft -f - <<EOF
table inet pkl_tcp {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport $DROPPED tcp flags syn drop
	}
}
EOF

# What A's interface carries, all along: A's kernel must send no RST.
ip netns exec $NS_A tcpdump -i a0 -U -w "$tmp/a.pcap" -s 0 > /dev/null 2> "$tmp/a-tcpdump.err" &
tcpdump_pid=$!
pkl_track $tcpdump_pid
for _ in $(seq 50); do grep -q "listening on" "$tmp/a-tcpdump.err" && break; sleep 0.1; done
last_conn() { ls "$tmp"/conn-*.bin 2>/dev/null | sort -t- -k2 -n | tail -1; }

# ---- close first: handshake, echo, TIME_WAIT ---------------------------------------

run first --msl 1 --idle 0.2 --send 'hello\n' -Z root --write "$tmp/first.pcap" $B $ECHO
check "close first: exit 0 ($(rc first): $(cat $tmp/first.err))" [ "$(rc first)" = 0 ]
check "close first: the address said once" \
	has first.out "^pktlens speaks as 10\\.72\\.1\\.[0-9]+, an address no interface here owns, so this host's kernel will not reset the connection$"
check "close first: RFC 5227 probes for it" has first.out "Out ARP.*(probe|who-has 10\\.72\\.1\\.250)"
check "close first: the echo shown as data" has first.out '^data: 6 bytes: hello\\n$'
check "close first: SYN_SENT -> ESTABLISHED, tracker the same" \
	has first.out "^state: SYN_SENT -> ESTABLISHED at frame [0-9]+ \\(tracker: the same"
check "close first: into TIME_WAIT after the peer's FIN" \
	has first.out "^state: FIN_WAIT_2 -> TIME_WAIT at frame [0-9]+ \\(tracker: the same"
check "close first: TIME_WAIT held 2*MSL" has first.out "^TIME_WAIT: held for 2\\*MSL = 2 s"
check "close first: TIME_WAIT ends by the timer" has first.out "^state: TIME_WAIT -> CLOSED \\(2\\*MSL passed"
check "close first: the summary" bash -c "grep -q ': closed$' $tmp/first.out &&
	grep -q '6 bytes sent and acknowledged, 6 received, 0 retransmissions' $tmp/first.out &&
	grep -q 'TIME_WAIT: held by pktlens' $tmp/first.out"
check "close first: the server got the bytes" cmp -s <(printf 'hello\n') "$(last_conn)"
check "close first: the server's socket is gone (ss -tan in B)" \
	bash -c "! ip netns exec $NS_B ss -Htan | grep -q ':$ECHO .*10\\.72\\.1\\.2[45][0-9]:'"

run first-json --json --msl 1 --idle 0.2 --send 'hello\n' $B $ECHO
J=$tmp/first-json.out
check "--json: every line is JSON" jqs . "$J"
check "--json: the states of a close first ($(states first-json))" \
	[ "$(states first-json)" = "SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT CLOSED " ]
check "--json: the tracker agrees at every frame" agree first-json
check "--json: the echo as a data record" \
	jqs '[.[] | select(.kind == "data") | .text] | add == "hello\\n"' "$J"
check "--json: the result record ($(result first-json))" \
	jqs 'last | .kind == "result" and .command == "tcp" and .outcome == "closed" and
	 .final_state == "CLOSED" and .time_wait == "pktlens" and .bytes_sent == 6 and
	 .bytes_received == 6 and .retransmissions == 0 and .handshake_rtt_ms > 0 and
	 (.source | test("^10\\.72\\.1\\.[0-9]+:[0-9]+$"))' "$J"
check "--json: frames sent and received, ours from the borrowed address" \
	jqs --arg a $A '[.[] | select(.direction == "sent" and ."ip.src")] |
	 length >= 5 and all(."ip.src" != $a)' "$J"
check "--json: the SYN carries Linux's options" \
	jqs '[.[] | select(.direction == "sent" and ."tcp.flags" == 2)][0] |
	 ."tcp.options.mss_val" == 1460 and ."tcp.options.sack_perm" and
	 ."tcp.options.wscale.shift" == 7 and ."tcp.options.timestamp.tsval" > 0' "$J"
check "--json: our segments echo the peer's timestamps" \
	jqs '[.[] | select(."tcp.options.timestamp.tsval")] as $f |
	 [$f[] | select(.direction == "received") | ."tcp.options.timestamp.tsval"] as $theirs |
	 [$f[] | select(.direction == "sent" and ."tcp.flags" != 2) | ."tcp.options.timestamp.tsecr"] |
	 length > 0 and all(. as $e | $theirs | index($e))' "$J"

# The ladder of the -w file, with both ends' states.
in_ns $NS_A "$P" conns --timeline "$tmp/first.pcap" > "$tmp/timeline.out" 2>&1
check "conns --timeline of the -w file: both ends' states on the ladder" \
	bash -c "grep -q TIME_WAIT $tmp/timeline.out && grep -q LAST_ACK $tmp/timeline.out &&
		 grep -q FIN_WAIT_1 $tmp/timeline.out"

# ---- close second: the server holds TIME_WAIT --------------------------------------

run second --json --close second --wait 3 --send 'hi\n' $B $CLOSER
check "close second: exit 0 ($(rc second): $(cat $tmp/second.err))" [ "$(rc second)" = 0 ]
check "close second: the states ($(states second))" \
	[ "$(states second)" = "SYN_SENT ESTABLISHED CLOSE_WAIT LAST_ACK CLOSED " ]
check "close second: the tracker agrees at every frame" agree second
check "close second: the result says the peer holds TIME_WAIT" \
	jqs 'last | .outcome == "closed" and .time_wait == "peer" and .bytes_received == 3' \
	"$tmp/second.out"
check "close second: B's socket is in TIME_WAIT (ss -tan state time-wait)" \
	bash -c "ip netns exec $NS_B ss -Htan state time-wait | grep -qE '$(source_of second)( |$)'"

# ---- reset -------------------------------------------------------------------------

run reset --json --close reset --send 'x' $B $ECHO
check "close reset: exit 0 ($(rc reset): $(cat $tmp/reset.err))" [ "$(rc reset)" = 0 ]
check "close reset: ESTABLISHED -> CLOSED at our RST ($(states reset))" \
	[ "$(states reset)" = "SYN_SENT ESTABLISHED CLOSED " ]
check "close reset: the tracker agrees" agree reset
check "close reset: result" jqs 'last | .outcome == "reset" and .time_wait == null' "$tmp/reset.out"
sleep 0.2
check "close reset: no socket left in B" \
	bash -c "! ip netns exec $NS_B ss -Htan | grep -qE '$(source_of reset)( |$)'"

# ---- the lost final ACK --------------------------------------------------------------

run lost --json --msl 2 --idle 0.2 --lose-final-ack --send 'bye\n' $B $ECHO
L=$tmp/lost.out
check "--lose-final-ack: exit 0 ($(rc lost): $(cat $tmp/lost.err))" [ "$(rc lost)" = 0 ]
check "--lose-final-ack: B sent its FIN twice, pktlens acknowledged the second" \
	jqs '[.[] | select(."tcp.flags.fin" and .direction == "received")] as $fins |
	 ($fins | length) == 2 and ($fins[0]."tcp.seq_raw" == $fins[1]."tcp.seq_raw") and
	 ([.[] | select(.direction == "sent" and ."frame.number" > $fins[1]."frame.number" and
	   ."tcp.ack_raw" == ($fins[1]."tcp.seq_raw" + 1) % 4294967296)] | length) == 1' "$L"
check "--lose-final-ack: the re-acknowledgment counted" jqs 'last | .fins_reacked == 1' "$L"
check "--lose-final-ack: the tracker agrees" agree lost
check "--lose-final-ack: B's socket is gone after it" \
	bash -c "! ip netns exec $NS_B ss -Htan | grep -qE '$(source_of lost)( |$)'"

# ---- a peer behind a router ----------------------------------------------------------

# B routes between A's subnet and C's: B asks for the borrowed address
# like any host on the subnet, and forwards C's answers to it.
in_ns $NS_B sysctl -qw net.ipv4.ip_forward=1
in_ns $NS_A ip route add 10.72.2.0/24 via $B
in_ns $NS_C ip route add default via $B2
echo_server $NS_C "$tmp/c"
run routed --json --msl 1 --idle 0.2 --send 'via B\n' $C $ECHO
R=$tmp/routed.out
check "behind a router: exit 0 ($(rc routed): $(cat $tmp/routed.err))" [ "$(rc routed)" = 0 ]
check "behind a router: ARP for the gateway only (besides the probes), C's answers one hop away (ttl 63)" \
	jqs --arg b $B '(map(select(.direction == "sent" and ."arp.opcode" == 1 and
	   ."arp.src.proto_ipv4" != "0.0.0.0") |
	 ."arp.dst.proto_ipv4") | unique == [$b]) and
	 ([.[] | select(.direction == "received" and ."ip.ttl")] | length > 0 and
	  all(."ip.ttl" == 63))' "$R"
check "behind a router: echoed and closed" \
	jqs '([.[] | select(.kind == "data") | .text] | add == "via B\\n") and
	 (last | .outcome == "closed" and .time_wait == "pktlens")' "$R"
check "behind a router: the tracker agrees" agree routed
check "behind a router: C got the bytes" cmp -s <(printf 'via B\n') "$tmp/c/conn-1.bin"

# ---- Ctrl-C, and the ARP answers for the borrowed address ----------------------------

# pktlens waits for a FIN the echo server never sends; meanwhile B forgets
# pktlens's MAC and must ask for it: pktlens answers.  Then Ctrl-C.
in_ns $NS_A timeout --preserve-status -s INT 2 "$P" tcp --json --close second --wait 10 \
	--send 'x' $B $ECHO > "$tmp/intr.out" 2> "$tmp/intr.err" &
intr_pid=$!
sleep 0.9
in_ns $NS_B ip neigh flush dev b0
in_ns $NS_B ping -c 1 -W 0.5 10.72.1.250 > /dev/null 2>&1   # no echo reply: only the ARP matters
b_knows=$(in_ns $NS_B ip neigh show 10.72.1.250 dev b0)
wait $intr_pid
echo $? > "$tmp/intr.rc"
check "ARP: B asked for the borrowed address and pktlens answered with A's MAC ($b_knows)" \
	bash -c "grep -q 'lladdr $(in_ns $NS_A cat /sys/class/net/a0/address)' <<< '$b_knows'"
check "Ctrl-C: exit 0 ($(rc intr): $(cat $tmp/intr.err))" [ "$(rc intr)" = 0 ]
check "Ctrl-C: a RST, the result says interrupted" \
	jqs '(map(select(.direction == "sent" and ."tcp.flags.reset")) | length) == 1 and
	 (last | .outcome == "interrupted" and .final_state == "CLOSED")' "$tmp/intr.out"
check "Ctrl-C: no half-open socket left in B" \
	bash -c "! ip netns exec $NS_B ss -Htan | grep -qE '$(source_of intr)( |\$)'"

# ---- refused and timed out ---------------------------------------------------------

run refused --json $B $CLOSED
check "closed port: exit 1 ($(rc refused))" [ "$(rc refused)" = 1 ]
check "closed port: refused" \
	jqs 'last | .outcome == "refused" and .final_state == "CLOSED" and .bytes_sent == 0' \
	"$tmp/refused.out"
check "closed port: SYN_SENT -> CLOSED at B's RST, tracker agrees" agree refused
run refused-text $B $CLOSED
check "closed port: the sentence" has refused-text.out "connection refused: the peer answered the SYN with RST \\(frame [0-9]+\\)"

run timeout --json --syn-retries 1 $B $DROPPED
check "dropped SYN: exit 1 ($(rc timeout))" [ "$(rc timeout)" = 1 ]
check "dropped SYN: timed out after 2 SYNs ($(result timeout))" \
	jqs 'last | .outcome == "timed-out" and .syns == 2 and .retransmissions == 1' "$tmp/timeout.out"
check "dropped SYN: 1 s between the SYNs (RFC 6298's initial RTO)" \
	jqs '[.[] | select(."tcp.flags" == 2) | ."frame.time_epoch"] |
	 length == 2 and (.[1] - .[0]) >= 0.95 and (.[1] - .[0]) < 1.5' "$tmp/timeout.out"

# ---- 1 MiB through a lossy path ------------------------------------------------------

head -c 1048576 /dev/urandom > "$tmp/mib.bin"
forwarder --match tcpdata --dir both --drop-prob 0.01 -s 7 --log "$tmp/pktfwd.log"
run mib --json -q --msl 1 --idle 0.5 --send-file "$tmp/mib.bin" $B $ECHO
forwarder
check "1 MiB: exit 0 ($(rc mib): $(cat $tmp/mib.err))" [ "$(rc mib)" = 0 ]
drops=$(grep -c 'action=drop' "$tmp/pktfwd.log")
check "1 MiB: the forwarder dropped frames ($drops)" [ "$drops" -gt 0 ]
check "1 MiB: the server's sha256 is the file's" \
	[ "$(sha256sum < "$tmp/mib.bin")" = "$(sha256sum < "$(last_conn)")" ]
check "1 MiB: all sent, all echoed back, retransmissions made ($(result mib))" \
	jqs 'last | .outcome == "closed" and .bytes_sent == 1048576 and
	 .bytes_received == 1048576 and .retransmissions > 0' "$tmp/mib.out"

# ---- errors ------------------------------------------------------------------------

run lo 127.0.0.1 80
check "loopback: refused with the reason, exit 1" \
	bash -c "[ $(rc lo) = 1 ] && grep -q 'the kernel owns all of 127.0.0.0/8' $tmp/lo.err"
# A point-to-point link has no subnet to borrow from.
in_ns $NS_A ip link add p0 type veth peer name p1
in_ns $NS_A ip addr add 10.72.9.1 peer 10.72.9.2 dev p0
in_ns $NS_A ip link set dev p1 up
in_ns $NS_A ip link set dev p0 up
run p2p 10.72.9.2 80
check "point-to-point: no address to borrow, said, exit 1 ($(cat $tmp/p2p.err))" \
	bash -c "[ $(rc p2p) = 1 ] && grep -q 'p0 (10.72.9.1/32) is a point-to-point link' $tmp/p2p.err"
run usage $B
check "no port: exit 2" [ "$(rc usage)" = 2 ]
run usage2 --send a --send-file /etc/hostname $B 1
check "--send with --send-file: exit 2" [ "$(rc usage2)" = 2 ]
run usage3 --send 'a\q' $B 1
check "--send with an unknown escape: exit 2" [ "$(rc usage3)" = 2 ]

# ---- A's kernel stayed out -----------------------------------------------------------

sleep 0.3
kill -TERM $tcpdump_pid 2>/dev/null; wait $tcpdump_pid 2>/dev/null
kernel_rsts=$(tcpdump -r "$tmp/a.pcap" -nn "src host $A and tcp[tcpflags] & tcp-rst != 0" 2>/dev/null | wc -l)
all_rsts=$(tcpdump -r "$tmp/a.pcap" -nn "ether src $(in_ns $NS_A cat /sys/class/net/a0/address) and tcp[tcpflags] & tcp-rst != 0" 2>/dev/null | wc -l)
check "A's kernel sent no RST in any run (capture in A: $kernel_rsts; RSTs from A: $all_rsts, pktlens's for --close reset and Ctrl-C)" \
	[ "$kernel_rsts" = 0 ] && [ "$all_rsts" = 2 ]

# The counter-proof: speaking as A's own address, A's kernel resets.
run own --json -S $A --idle 0.2 -Z root --write "$tmp/own.pcap" --send 'x' $B $ECHO
own_rsts=$(tcpdump -r "$tmp/own.pcap" -nn "src host $A and tcp[tcpflags] & tcp-rst != 0" 2>/dev/null | wc -l)
check "-S A's own address: A's kernel resets the connection ($own_rsts RSTs)" [ "$own_rsts" -ge 1 ]

finish
