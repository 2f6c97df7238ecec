#!/bin/bash
# End-to-end tests of `pktlens sniff` on real interfaces: two network
# namespaces joined by a veth pair (both ends inside them), loopback and
# -i any.  Every traffic generator is bounded in count and time; the
# namespaces are deleted by name on exit, failed or not.
set -u
cd "$(dirname "$0")/../.."
P=$(pwd)/pktlens
NS_A=pkl-sn-a
NS_B=pkl-sn-b
IF_A=pkl-sna
IF_B=pkl-snb
ADDR_A=10.78.1.1
ADDR_B=10.78.1.2
skip=0
. tools/netns.sh
pkl_netns_begin pkl-sniff || exit 1
tmp=$PKL_TMP
chmod 1777 "$tmp"   # -Z and sudo tests write here as nobody

. tests/lib.sh
in_a() { ip netns exec "$NS_A" "$@"; }
in_b() { ip netns exec "$NS_B" "$@"; }
# A test that cannot run here: skipped on a developer's machine, but a
# failure as root or in CI (CI=1, where .ci/run runs as root): a suite
# that skips there would pass without testing anything.
strict=0
if [ "$(id -u)" = 0 ] || [ "${CI:-}" = 1 ]; then strict=1; fi
cannot() {   # cannot WHAT
	if [ "$strict" = 1 ]; then
		bad "$1 (as root or in CI this is a failure, not a skip)"
	else
		echo "sniff: $1: skipped"; skip=$((skip + 1))
	fi
}

if [ "$(id -u)" != 0 ] || ! pkl_netns_add "$NS_A" "$NS_B"; then
	cannot "cannot create network namespaces (needs root and iproute2)"
	echo "sniff: $pass passed, $fail failed, $skip skipped"
	[ "$fail" = 0 ]
	exit
fi
ip link add "$IF_A" netns "$NS_A" type veth peer name "$IF_B" netns "$NS_B"
in_a ip link set "$IF_A" address 52:54:00:aa:00:01
in_b ip link set "$IF_B" address 52:54:00:bb:00:02
for ns in "$NS_A" "$NS_B"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip netns exec "$ns" ip link set lo up
done
in_a ip addr add "$ADDR_A/24" dev "$IF_A"
in_b ip addr add "$ADDR_B/24" dev "$IF_B"
in_a ip link set "$IF_A" up
in_b ip link set "$IF_B" up

start_sniff() { pkl_start_sniff "$NS_A" "$@"; }   # start_sniff NAME args...
stop_sniff() { pkl_stop_sniff; }
jcount() {       # jcount FILE JQ-FILTER: how many objects match
	jq -c "select($2)" "$1" 2>/dev/null | wc -l
}

# A TCP exchange B <- A: one request, one reply, both sides close.
tcp_exchange() {
	local port=$1 server
	in_b timeout 10 /usr/bin/python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("'"$ADDR_B"'", '"$port"')); s.listen(1); s.settimeout(8)
c, _ = s.accept(); c.recv(100); c.sendall(b"pong\n"); c.close()' &
	server=$!
	sleep 0.3
	in_a timeout 10 /usr/bin/python3 -c '
import socket
c = socket.create_connection(("'"$ADDR_B"'", '"$port"'), timeout=5)
c.sendall(b"ping\n"); c.recv(100); c.close()'
	wait "$server"
}
udp_send() {     # udp_send COUNT PORT: datagrams A -> B (nothing listens)
	in_a timeout 5 /usr/bin/python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range('"$1"'):
    s.sendto(b"hello %d" % i, ("'"$ADDR_B"'", '"$2"')); time.sleep(0.05)'
}

# --- 1. veth: ARP, ping, TCP, UDP (and the port unreachables), -w and --json
in_a ip neigh flush all
if start_sniff veth -i "$IF_A" -w "$tmp/veth.pcap" --json; then
	in_a ping -c 3 -i 0.2 -W 1 "$ADDR_B" > /dev/null
	tcp_exchange 8080
	udp_send 2 9999
	stop_sniff
	out=$tmp/veth.out
	check "veth: exit 0 after SIGINT (got $sniff_status)" [ "$sniff_status" = 0 ]
	check "veth: every line is JSON" jq -e . "$out" > /dev/null
	check "veth: ARP request for $ADDR_B" [ "$(jcount "$out" '.["arp.opcode"] == 1 and .["arp.dst.proto_ipv4"] == "'"$ADDR_B"'"')" -ge 1 ]
	check "veth: ARP reply from $ADDR_B" [ "$(jcount "$out" '.["arp.opcode"] == 2 and .["arp.src.proto_ipv4"] == "'"$ADDR_B"'" and .["arp.src.hw_mac"] == "52:54:00:bb:00:02"')" -ge 1 ]
	check "veth: 3 echo requests" [ "$(jcount "$out" '.["icmp.type"] == 8 and .["ip.src"] == "'"$ADDR_A"'"')" = 3 ]
	check "veth: 3 echo replies" [ "$(jcount "$out" '.["icmp.type"] == 0 and .["ip.src"] == "'"$ADDR_B"'"')" = 3 ]
	check "veth: echo seq 1..3" [ "$(jq -c 'select(.["icmp.type"] == 8) | .["icmp.seq"]' "$out" | tr '\n' ' ')" = "1 2 3 " ]
	check "veth: SYN to 8080" [ "$(jcount "$out" '.["tcp.dstport"] == 8080 and .["tcp.flags.syn"] and (.["tcp.flags.ack"] | not)')" = 1 ]
	check "veth: SYN+ACK from 8080" [ "$(jcount "$out" '.["tcp.srcport"] == 8080 and .["tcp.flags.syn"] and .["tcp.flags.ack"]')" = 1 ]
	check "veth: a FIN each way" [ "$(jcount "$out" '.["tcp.flags.fin"]')" = 2 ]
	check "veth: request and reply payloads (5 bytes each)" [ "$(jcount "$out" '.["tcp.len"] == 5')" = 2 ]
	check "veth: 2 UDP datagrams to 9999" [ "$(jcount "$out" '.["udp.dstport"] == 9999 and (.["icmp.quoted"] | not)')" = 2 ]
	check "veth: 2 port unreachables quoting them" [ "$(jcount "$out" '.["icmp.type"] == 3 and .["icmp.code"] == 3 and .["icmp.quoted"]["udp.dstport"] == 9999')" = 2 ]
	check "veth: frame numbers 1..N in order" [ "$(jq -s '[.[]["frame.number"]] == [range(1; length + 1)]' "$out")" = true ]
	"$P" read --json "$tmp/veth.pcap" > "$tmp/veth.read" 2>&1
	check "veth: -w file holds the frames shown, decoded the same" diff -q "$out" "$tmp/veth.read"
	n=$(wc -l < "$out")
	check "veth: statistics: $n captured" grep -q "^$n frames captured$" "$tmp/veth.err"
	check "veth: statistics: received by filter" grep -qE "^[0-9]+ frames received by filter$" "$tmp/veth.err"
	check "veth: statistics: 0 dropped by kernel" grep -q "^0 frames dropped by kernel$" "$tmp/veth.err"
	check "veth: statistics: dropped by interface" grep -qE "^[0-9]+ frames dropped by interface$" "$tmp/veth.err"
	# Kernel times in nanoseconds (not all whole microseconds), and
	# right: within two minutes of now (read as text: jq's doubles
	# would round the nanoseconds).
	times=$(grep -o '"frame.time_epoch":[0-9]*\.[0-9]*' "$out" | cut -d: -f2)
	wrong=$(awk -F. -v now="$(date +%s)" '$1 < now - 120 || $1 > now + 1 || length($2) != 9' <<< "$times")
	check "veth: frame times in nanoseconds" grep -qv '000$' <<< "$times"
	check "veth: frame times shown" [ -n "$times" ]
	check "veth: frame times are now's (wrong: $wrong)" [ -z "$wrong" ]
fi

# --- 2. the default view live, a BPF filter, -c stops by itself
if start_sniff count -i "$IF_A" -c 4 icmp; then
	in_a ping -c 3 -i 0.2 -W 1 "$ADDR_B" > /dev/null
	wait "$sniff_pid"; st=$?
	check "-c 4: exits 0 by itself (got $st)" [ "$st" = 0 ]
	check "-c 4: 4 frames shown" [ "$(grep -c '^#[0-9]' "$tmp/count.out")" = 4 ]
	check "-c 4 icmp: only ICMP" [ "$(grep '^#[0-9]' "$tmp/count.out" | grep -vc ' ICMP echo ')" = 0 ]
	check "default view explains ping" grep -q "> ping: asks the destination" "$tmp/count.out"
	check "-c 4: statistics printed" grep -q "^4 frames captured$" "$tmp/count.err"
fi

# --- 3. --silent -w only writes; -q -w shows a line per frame and writes
if start_sniff quiet -i "$IF_A" --silent -w "$tmp/quiet.pcap" icmp; then
	in_a ping -c 2 -i 0.2 -W 1 "$ADDR_B" > /dev/null
	stop_sniff
	check "--silent -w: exit 0" [ "$sniff_status" = 0 ]
	check "--silent -w: nothing on stdout" [ ! -s "$tmp/quiet.out" ]
	check "--silent -w: 4 frames in the file" [ "$("$P" read -q "$tmp/quiet.pcap" | wc -l)" = 4 ]
fi
if start_sniff lines -i "$IF_A" -q -w "$tmp/lines.pcap" icmp; then
	in_a ping -c 2 -i 0.2 -W 1 "$ADDR_B" > /dev/null
	stop_sniff
	check "-q -w: exit 0" [ "$sniff_status" = 0 ]
	check "-q -w: a line per frame" [ "$(grep -c '^#[0-9]' "$tmp/lines.out")" = 4 ]
	check "-q -w: the same 4 frames in the file" [ "$("$P" read -q "$tmp/lines.pcap" | wc -l)" = 4 ]
fi

# --- 3b. SIGTERM stops it as cleanly as Ctrl-C; -Z drops to a user
# before the -w file is created
if start_sniff term -i "$IF_A" -Z nobody -w "$tmp/term.pcap" -q icmp; then
	in_a ping -c 1 -W 1 "$ADDR_B" > /dev/null
	sleep 0.3
	kill -TERM "$sniff_pid"
	wait "$sniff_pid"; st=$?
	check "SIGTERM: exit 0 (got $st)" [ "$st" = 0 ]
	check "SIGTERM: statistics printed" grep -q "^2 frames captured$" "$tmp/term.err"
	check "-Z nobody: the file is nobody's" [ "$(stat -c %U "$tmp/term.pcap")" = nobody ]
	check "-Z nobody: both frames in it" [ "$("$P" read -q "$tmp/term.pcap" | wc -l)" = 2 ]
fi
in_a "$P" sniff -i "$IF_A" -Z pkl-no-such-user > /dev/null 2> "$tmp/z.err"; st=$?
check "-Z unknown user: exit 1 (got $st)" [ "$st" = 1 ]
check "-Z unknown user: said" grep -q "\-Z pkl-no-such-user: there is no such user" "$tmp/z.err"

# --- 4. loopback: Ethernet with zero MACs
if start_sniff lo -i lo --json icmp; then
	in_a ping -c 2 -i 0.2 -W 1 127.0.0.1 > /dev/null
	stop_sniff
	check "lo: exit 0" [ "$sniff_status" = 0 ]
	check "lo: 4 ICMP frames, Ethernet with zero MACs" [ "$(jcount "$tmp/lo.out" '.["eth.src"] == "00:00:00:00:00:00" and .["icmp.type"] != null')" = 4 ]
fi

# --- 5. -i any: Linux cooked v2
if start_sniff any -i any --json icmp; then
	in_a ping -c 2 -i 0.2 -W 1 "$ADDR_B" > /dev/null
	stop_sniff
	check "any: exit 0" [ "$sniff_status" = 0 ]
	check "any: link type SLL2" grep -q "link-type LINUX_SLL2" "$tmp/any.err"
	check "any: 4 ICMP frames in cooked headers" [ "$(jcount "$tmp/any.out" '.layers[0] == "sll" and .["icmp.type"] != null')" = 4 ]
	check "any: packet type says outgoing" [ "$(jcount "$tmp/any.out" '.["sll.pkttype"] == 4')" = 2 ]
fi
# The frames name their interface and direction, as tcpdump -i any does.
if start_sniff anyq -i any -q icmp; then
	in_a ping -c 1 -W 1 "$ADDR_B" > /dev/null
	stop_sniff
	check "any -q: the request goes out of $IF_A" grep -qE "^#1 +[0-9:.]+  $IF_A Out  $ADDR_A -> $ADDR_B  ICMP echo request" "$tmp/anyq.out"
	check "any -q: the reply comes in on $IF_A" grep -qE "^#2 +[0-9:.]+  $IF_A In  $ADDR_B -> $ADDR_A  ICMP echo reply" "$tmp/anyq.out"
fi

# --- 5b. an interface deleted under the capture: the reason first, then
# the statistics, exit 1
in_a ip link add pkl-snv0 type veth peer name pkl-snv1
in_a ip link set pkl-snv0 up
if start_sniff gone -i pkl-snv0 -q; then
	in_a ip link del pkl-snv0
	wait "$sniff_pid"; st=$?
	check "gone: exit 1 (got $st)" [ "$st" = 1 ]
	check "gone: says the interface is gone" grep -q "capture on pkl-snv0 stopped: the interface is gone" "$tmp/gone.err"
	check "gone: the reason before the statistics" [ "$(grep -nE "stopped:|frames captured" "$tmp/gone.err" | cut -d: -f2- | head -c 7)" = "pktlens" ]
fi

# --- 6. no -i: the first interface that is up and not loopback, said
if start_sniff default -c 1 icmp; then
	in_a ping -c 1 -W 1 "$ADDR_B" > /dev/null
	wait "$sniff_pid"
	check "no -i: says which interface" grep -q "no -i given: using $IF_A" "$tmp/default.err"
fi

# --- 7. -D lists the interfaces with their state and addresses
in_a "$P" sniff -D > "$tmp/list.out" 2>&1
check "-D: exit 0" [ $? = 0 ]
check "-D: lists $IF_A, up, with its address" grep -qE "^[0-9]+\. $IF_A \[Up, Running\] $ADDR_A" "$tmp/list.out"
check "-D: lists lo as loopback" grep -qE "^[0-9]+\. lo .*Loopback" "$tmp/list.out"

# --- 8. errors: unknown interface, interface down, bad filter, no permission
in_a "$P" sniff -i pkl-nosuch > /dev/null 2> "$tmp/e1"; st=$?
check "unknown interface: exit 1 (got $st)" [ "$st" = 1 ]
check "unknown interface: says so" grep -q "there is no interface named pkl-nosuch" "$tmp/e1"
in_a ip link add pkl-down0 type veth peer name pkl-down1
in_a "$P" sniff -i pkl-down0 > /dev/null 2> "$tmp/e2"; st=$?
check "interface down: exit 1 (got $st)" [ "$st" = 1 ]
check "interface down: says how to bring it up" grep -q "interface pkl-down0 is down: bring it up with: sudo ip link set pkl-down0 up" "$tmp/e2"
in_a "$P" sniff -i "$IF_A" 'tcp port banana' > /dev/null 2> "$tmp/e3"; st=$?
check "bad filter: exit 2 (got $st)" [ "$st" = 2 ]
if command -v setpriv > /dev/null; then
	in_a setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		"$P" sniff -i "$IF_A" > /dev/null 2> "$tmp/e4"; st=$?
	check "unprivileged: exit 1 (got $st)" [ "$st" = 1 ]
	check "unprivileged: says sudo or setcap" grep -q "run it with sudo, or give the binary the capability once: sudo setcap cap_net_raw=ep" "$tmp/e4"
	check "unprivileged: the setcap hint names the binary's real path" \
		grep -qF "sudo setcap cap_net_raw=ep $(readlink -f "$P")" "$tmp/e4"
else
	cannot "setpriv missing (util-linux): permission test"
fi

# --- 9. with the capabilities set on the binary, no root is needed
if ! command -v setcap > /dev/null || ! command -v setpriv > /dev/null; then
	cannot "setcap or setpriv missing (libcap2-bin, util-linux): capability test"
else
	capbin=build/pktlens-cap   # in the tree: /tmp may be mounted nosuid, which voids file capabilities
	cp "$P" "$capbin" && chmod 755 "$capbin"
	# cap_net_raw alone is what capture takes; once the interface is
	# open pktlens holds no capability at all, and a netfilter queue
	# (which CAP_NET_ADMIN would let it answer) is refused.
	if setcap cap_net_raw=ep "$capbin" 2> /dev/null; then
		ip netns exec "$NS_A" setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$(pwd)/$capbin" sniff -i "$IF_A" -c 2 -q icmp > "$tmp/cap.out" 2> "$tmp/cap.err" &
		sniff_pid=$!; pkl_track "$sniff_pid"
		for _ in $(seq 50); do grep -q "listening on" "$tmp/cap.err" && break; sleep 0.1; done
		capstatus=$(cat "/proc/$sniff_pid/status" 2> /dev/null)
		in_a ping -c 1 -W 1 "$ADDR_B" > /dev/null
		wait "$sniff_pid"; st=$?
		check "setcap, as nobody: exit 0 (got $st: $(head -c 200 "$tmp/cap.err"))" [ "$st" = 0 ]
		check "setcap, as nobody: 2 frames" [ "$(wc -l < "$tmp/cap.out")" = 2 ]
		check "setcap, as nobody: CapEff 0 once listening" grep -qE "^CapEff:\s+0+$" <<< "$capstatus"
		check "setcap, as nobody: CapPrm 0 once listening" grep -qE "^CapPrm:\s+0+$" <<< "$capstatus"
		check "setcap, as nobody: no_new_privs" grep -qE "^NoNewPrivs:\s+1$" <<< "$capstatus"
		setcap cap_net_raw,cap_net_admin=ep "$capbin"
		ip netns exec "$NS_A" timeout 5 setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$(pwd)/$capbin" sniff -i nfqueue:7 -c 1 > /dev/null 2> "$tmp/nfq.err"; st=$?
		check "setcap with cap_net_admin: nfqueue refused (exit 2, got $st)" [ "$st" = 2 ]
		check "nfqueue refused: says why" grep -q "nfqueue:7 is a netfilter, bus or Bluetooth device" "$tmp/nfq.err"
		ip netns exec "$NS_A" setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$(pwd)/$capbin" sniff -i "$IF_A" -B 200000 -c 1 > /dev/null 2> "$tmp/capb.err"; st=$?
		check "setcap, as nobody: -B 200000 refused (exit 2, got $st)" [ "$st" = 2 ]
		check "-B as a user: the lower bound said" grep -q "from 1 to 131072" "$tmp/capb.err"
	else
		cannot "setcap refused here: capability test"
	fi
	rm -f "$capbin"
fi

# --- 10. netfilter and bus pseudo-devices are refused before libpcap opens
# them, and not listed
for dev in nflog nfqueue dbus-system bluetooth0; do
	in_a timeout 5 "$P" sniff -i "$dev" > /dev/null 2> "$tmp/e5"; st=$?
	check "-i $dev: refused (exit 2, got $st)" [ "$st" = 2 ]
	check "-i $dev: says why" grep -q "$dev is a netfilter, bus or Bluetooth device, not a network interface" "$tmp/e5"
done
in_a "$P" sniff -D > "$tmp/list.out"
check "-D lists no pseudo-device" [ "$(grep -cE '^[0-9]+\. (nflog|nfqueue|dbus|bluetooth)' "$tmp/list.out")" = 0 ]

# --- 11. the interface disappears: the error, the statistics, exit 1
in_a ip link add pkl-gone0 type veth peer name pkl-gone1
in_a ip link set pkl-gone0 up
in_a ip link set pkl-gone1 up
if start_sniff gone -i pkl-gone0; then
	in_a ip link del pkl-gone0
	wait "$sniff_pid"; st=$?
	check "interface gone: exit 1 (got $st)" [ "$st" = 1 ]
	check "interface gone: says the capture stopped" grep -q "capture on pkl-gone0 stopped: " "$tmp/gone.err"
	check "interface gone: statistics still printed" grep -qE "^[0-9]+ frames captured$" "$tmp/gone.err"
fi

# --- 11b. -w opens safely: a symbolic link, another user's file, a
# file with a second name and a FIFO are refused and left as they were;
# a new file is 0600 (before the umask); the user's own file is emptied
mkdir -m 1777 "$tmp/sticky"
echo "precious" > "$tmp/precious"
ln -s "$tmp/precious" "$tmp/sticky/link.pcap"
echo "theirs" > "$tmp/sticky/theirs.pcap"; chown nobody "$tmp/sticky/theirs.pcap"
echo "two names" > "$tmp/sticky/two.pcap"; ln "$tmp/sticky/two.pcap" "$tmp/sticky/two-b.pcap"
mkfifo "$tmp/sticky/fifo.pcap"
for target in link theirs two fifo; do
	before=$(ls -l "$tmp/sticky/$target.pcap"; cat "$tmp/precious" "$tmp/sticky/two.pcap" "$tmp/sticky/theirs.pcap")
	timeout 5 ip netns exec "$NS_A" "$P" sniff -i lo -Z root -c 1 -w "$tmp/sticky/$target.pcap" \
		> /dev/null 2> "$tmp/w-$target.err"; st=$?
	after=$(ls -l "$tmp/sticky/$target.pcap"; cat "$tmp/precious" "$tmp/sticky/two.pcap" "$tmp/sticky/theirs.pcap")
	check "-w onto $target: refused, exit 1 (got $st)" [ "$st" = 1 ]
	check "-w onto $target: says why" grep -qE "symbolic link|not a regular file of this user's" "$tmp/w-$target.err"
	check "-w onto $target: left untouched" [ "$before" = "$after" ]
done
rm -f "$tmp/sticky/own.pcap"
if start_sniff wnew -i "$IF_A" -Z root -c 1 -w "$tmp/sticky/own.pcap" icmp; then
	in_a ping -c 1 -W 1 "$ADDR_B" > /dev/null
	wait "$sniff_pid"
	check "-w new file: mode 0600" [ "$(stat -c %a "$tmp/sticky/own.pcap")" = 600 ]
fi
head -c 100000 /dev/zero > "$tmp/sticky/own.pcap"
if start_sniff wown -i "$IF_A" -Z root -c 1 -w "$tmp/sticky/own.pcap" icmp; then
	in_a ping -c 1 -W 1 "$ADDR_B" > /dev/null
	wait "$sniff_pid"; st=$?
	check "-w over own file: exit 0 (got $st)" [ "$st" = 0 ]
	check "-w over own file: emptied, then one frame" [ "$("$P" read -q "$tmp/sticky/own.pcap" | wc -l)" = 1 ]
fi

# --- 12. started with sudo: the -w file belongs to the user who ran sudo
ip netns exec "$NS_A" env SUDO_UID=65534 SUDO_GID=65534 SUDO_USER=nobody "$P" sniff -i "$IF_A" -c 2 --silent -w "$tmp/sudo.pcap" icmp \
	> /dev/null 2> "$tmp/sudo.err" &
sniff_pid=$!; pkl_track "$sniff_pid"
sleep 0.5
in_a ping -c 1 -W 1 "$ADDR_B" > /dev/null
wait "$sniff_pid"; st=$?
check "sudo: exit 0 (got $st)" [ "$st" = 0 ]
check "sudo: file owned by the sudo user" [ "$(stat -c %U "$tmp/sudo.pcap")" = nobody ]

# --- 13. sudo's environment is checked, not trusted: garbage never
# becomes uid 0, and the account's own groups replace root's
for ids in "abc 1000" "'' 1000" "-2 1000" "4294968297 1000" "0 0" "1000 x7"; do
	eval "set -- $ids"
	timeout 5 ip netns exec "$NS_A" env SUDO_UID="$1" SUDO_GID="$2" "$P" sniff -i "$IF_A" -c 1 icmp \
		> /dev/null 2> "$tmp/sudoenv.err"; st=$?
	check "SUDO_UID='$1' SUDO_GID='$2': refused, exit 1 (got $st)" [ "$st" = 1 ]
	check "SUDO_UID='$1' SUDO_GID='$2': says why" grep -q "do not name a user to run as" "$tmp/sudoenv.err"
done
ip netns exec "$NS_A" env -u SUDO_USER SUDO_UID=65534 SUDO_GID=4 "$P" sniff -i "$IF_A" -c 1 icmp \
	> /dev/null 2> "$tmp/sudoids.err" &
sniff_pid=$!; pkl_track "$sniff_pid"
for _ in $(seq 50); do grep -q "listening on" "$tmp/sudoids.err" 2>/dev/null && break; sleep 0.1; done
status=$(cat "/proc/$sniff_pid/status" 2> /dev/null)
kill -INT "$sniff_pid" 2> /dev/null; wait "$sniff_pid" 2> /dev/null
check "sudo without SUDO_USER: runs as uid 65534" grep -qE "^Uid:\s+65534\s+65534\s+65534\s+65534$" <<< "$status"
check "sudo without SUDO_USER: the account's group, not SUDO_GID's 4" grep -qE "^Gid:\s+65534\s+65534\s+65534\s+65534$" <<< "$status"
check "sudo without SUDO_USER: root's supplementary groups gone" grep -qE "^Groups:\s*(65534\s*)?$" <<< "$status"

echo "sniff: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
