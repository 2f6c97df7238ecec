#!/bin/bash
# `sniff -w FILE.pcapng` live: two network namespaces joined by a veth
# pair; pktlens captures in one while the other answers ARP, ping and a
# TCP exchange.  The file must hold every frame shown, decoded the same
# when read back, each with the notes of the frame as its comment (as
# tshark reads them), and must be readable while the capture still runs
# (flushed per batch, like -w FILE.pcap); --silent writes the notes too.
# Namespaces are deleted by name on exit, failed or not.
set -u
cd "$(dirname "$0")/.."
P=$(pwd)/pktlens
NS_A=pkl-vw-a
NS_B=pkl-vw-b
IF_A=pkl-vwa
IF_B=pkl-vwb
ADDR_A=10.76.1.1
ADDR_B=10.76.1.2
. tools/netns.sh
pkl_netns_begin pkl-views || exit 1
tmp=$PKL_TMP
chmod 1777 "$tmp"   # sniff writes here as nobody once root is given up

. tests/lib.sh
in_a() { ip netns exec "$NS_A" "$@"; }
in_b() { ip netns exec "$NS_B" "$@"; }

if [ "$(id -u)" != 0 ] || ! pkl_netns_add "$NS_A" "$NS_B"; then
	bad "cannot create network namespaces (needs root and iproute2)"
	echo "views-sniff: $pass passed, $fail failed"
	exit 1
fi
ip link add "$IF_A" netns "$NS_A" type veth peer name "$IF_B" netns "$NS_B"
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
tcp_exchange() {
	in_b timeout 10 /usr/bin/python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("'"$ADDR_B"'", 8080)); s.listen(1); s.settimeout(8)
c, _ = s.accept(); c.recv(100); c.sendall(b"pong\n"); c.close()' &
	local server=$!
	sleep 0.3
	in_a timeout 10 /usr/bin/python3 -c '
import socket
c = socket.create_connection(("'"$ADDR_B"'", 8080), timeout=5)
c.sendall(b"ping\n"); c.recv(100); c.close()'
	wait "$server"
}
# Every frame's comment as tshark reads it equals its notes as `read
# --json` lists them (tests/views.py's rule).
comments_are_notes() {   # comments_are_notes FILE.pcapng
	/usr/bin/python3 - "$1" "$P" <<'PY'
import json, subprocess, sys
sys.path.insert(0, "tests")
import views
path, pktlens = sys.argv[1], sys.argv[2]
frames = [json.loads(l) for l in subprocess.run([pktlens, "read", "--json", path],
          capture_output=True, text=True).stdout.splitlines()]
comments, errors = views.tshark_comments(path)
ok = not errors and frames and len(comments) == len(frames) and all(
    comments.get(f["frame.number"], "") == views.expected_comment(f) for f in frames)
sys.exit(0 if ok else 1)
PY
}

in_a ip neigh flush all
if start_sniff live -i "$IF_A" -w "$tmp/live.pcapng"; then
	in_a ping -c 2 -i 0.2 -W 1 "$ADDR_B" > /dev/null
	sleep 0.5
	# Still capturing: what was shown is in the file already.
	shown=$(grep -c '^#' "$tmp/live.out")
	inside=$(tshark -r "$tmp/live.pcapng" 2>/dev/null | wc -l)
	check "live: frames in the file while capturing ($inside of $shown shown)" \
		[ "$shown" -ge 4 ] && [ "$inside" = "$shown" ]
	tcp_exchange
	stop_sniff
	check "live: exit 0 after SIGINT (got $sniff_status)" [ "$sniff_status" = 0 ]
	"$P" read --time=abs "$tmp/live.pcapng" > "$tmp/live.read" 2>&1
	check "live: the file holds the frames shown, decoded the same" \
		diff -q "$tmp/live.out" "$tmp/live.read"
	check "live: every frame's comment is its notes" comments_are_notes "$tmp/live.pcapng"
	check "live: a TCP handshake note in the comments" \
		[ "$(tshark -r "$tmp/live.pcapng" -Y 'frame.comment contains "handshake 3/3"' 2>/dev/null | wc -l)" = 1 ]
	check "live: the section names sniff and the interface" \
		grep -q "pktlens [0-9.]* sniff -i $IF_A" <(capinfos "$tmp/live.pcapng" 2>/dev/null)
fi

in_a ip neigh flush all
if start_sniff silent -i "$IF_A" --silent -w "$tmp/silent.pcapng"; then
	in_a ping -c 2 -i 0.2 -W 1 "$ADDR_B" > /dev/null
	stop_sniff
	check "silent: exit 0 (got $sniff_status)" [ "$sniff_status" = 0 ]
	check "silent: nothing shown" [ ! -s "$tmp/silent.out" ]
	check "silent: every frame's comment is its notes" comments_are_notes "$tmp/silent.pcapng"
	check "silent: an echo reply paired in the comments" \
		[ "$(tshark -r "$tmp/silent.pcapng" -Y 'frame.comment contains "pong: the answer to echo request"' 2>/dev/null | wc -l)" -ge 2 ]
fi

echo "views-sniff: $pass passed, $fail failed"
[ "$fail" = 0 ]
