#!/bin/bash
# Capture-rate benchmark (not a test): replay a capture at top speed into
# one end of a veth pair while capturers take turns on the other end:
# `pktlens sniff --silent -w` against `tcpdump -w` (writing only), and
# `pktlens sniff -q` against `tcpdump -n` (a line per frame, to
# /dev/null).  Reports, per round, frames offered, frames captured and
# frames dropped, for each at the same offered rate.
#
# Needs root (network namespaces) and tcpreplay.  Knobs: RATE_FRAMES
# (frames per replay, default 200000), RATE_ROUNDS (default 3).
set -u
cd "$(dirname "$0")/.."
P=$(pwd)/${PKTLENS:-pktlens}
FRAMES=${RATE_FRAMES:-200000}
ROUNDS=${RATE_ROUNDS:-3}
NS_A=pkl-rate-a
NS_B=pkl-rate-b
IF_A=pkl-ra
IF_B=pkl-rb
. tools/netns.sh
pkl_netns_begin pkl-rate || exit 1
tmp=$PKL_TMP

for tool in tcpreplay tcpdump; do
	command -v $tool > /dev/null || { echo "sniff-rate: skipped: $tool is not installed"; exit 0; }
done
if [ "$(id -u)" != 0 ] || ! pkl_netns_add "$NS_A" "$NS_B"; then
	echo "sniff-rate: skipped: cannot create network namespaces (needs root)"
	exit 0
fi
ip link add "$IF_A" netns "$NS_A" type veth peer name "$IF_B" netns "$NS_B"
for ns in "$NS_A" "$NS_B"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
# No addresses: the namespaces only carry the replayed frames, and a
# host without addresses answers none of them.
ip netns exec "$NS_A" ip link set "$IF_A" up
ip netns exec "$NS_B" ip link set "$IF_B" up

# The frames to replay: the benchmark's own generated traffic.
[ -x bench/gencap ] || cc -std=c11 -O2 -o bench/gencap bench/gencap.c || exit 1
bench/gencap -n "$FRAMES" "$tmp/replay.pcap" > /dev/null || exit 1

# capture TOOL: start it on IF_A, replay, stop it; prints
# "offered captured dropped pps"
capture() {
	local tool=$1 out=$tmp/$1.pcap err=$tmp/$1.err pid
	rm -f "$out"
	case $tool in
	pktlens-w) ip netns exec "$NS_A" "$P" sniff -i "$IF_A" --silent -w "$out" 2> "$err" & ;;
	tcpdump-w) ip netns exec "$NS_A" tcpdump -i "$IF_A" -n -w "$out" 2> "$err" & ;;
	pktlens-q) ip netns exec "$NS_A" "$P" sniff -i "$IF_A" -q > /dev/null 2> "$err" & ;;
	tcpdump-n) ip netns exec "$NS_A" tcpdump -i "$IF_A" -n > /dev/null 2> "$err" & ;;
	esac
	pid=$!
	pkl_track "$pid"
	for _ in $(seq 50); do grep -q "listening on" "$err" && break; sleep 0.1; done
	local replay
	replay=$(ip netns exec "$NS_B" timeout 120 tcpreplay -i "$IF_B" --topspeed -K "$tmp/replay.pcap" 2>&1)
	sleep 1
	kill -INT "$pid"
	wait "$pid"
	local offered pps written dropped
	offered=$(sed -n 's/^Actual: \([0-9]*\) packets.*/\1/p' <<< "$replay")
	pps=$(sed -n 's/^Rated: .*, \([0-9.]*\) pps.*/\1/p' <<< "$replay")
	if [ -f "$out" ]; then   # what reached the file
		written=$("$P" read -q "$out" 2>/dev/null | wc -l)
	else                     # what the capturer says it captured
		written=$(sed -n 's/^\([0-9]*\) \(frames\|packets\) captured$/\1/p' "$err")
	fi
	dropped=$(sed -n 's/^\([0-9]*\) \(frames\|packets\) dropped by kernel$/\1/p' "$err")
	echo "${offered:-?} ${written:-0} ${dropped:-?} ${pps:-?}"
}

printf '%-6s %-10s %10s %10s %10s %12s\n' round tool offered captured dropped "offered pps"
declare -A sum_written sum_offered sum_dropped
for round in $(seq "$ROUNDS"); do
	# Alternate which tool goes first, so drift hits both alike.
	order="pktlens-w tcpdump-w pktlens-q tcpdump-n"
	[ $((round % 2)) = 0 ] && order="tcpdump-n pktlens-q tcpdump-w pktlens-w"
	for tool in $order; do
		read -r offered written dropped pps < <(capture "$tool")
		printf '%-6s %-10s %10s %10s %10s %12s\n' "$round" "$tool" "$offered" "$written" "$dropped" "$pps"
		sum_written[$tool]=$(( ${sum_written[$tool]:-0} + written ))
		sum_offered[$tool]=$(( ${sum_offered[$tool]:-0} + ${offered//\?/0} ))
		sum_dropped[$tool]=$(( ${sum_dropped[$tool]:-0} + ${dropped//\?/0} ))
	done
done
echo
for tool in pktlens-w tcpdump-w pktlens-q tcpdump-n; do
	awk -v t="$tool" -v w="${sum_written[$tool]}" -v o="${sum_offered[$tool]}" -v d="${sum_dropped[$tool]}" \
		'BEGIN { printf "%-10s captured %d of %d offered frames (%.2f%%), %d dropped by the kernel\n", t, w, o, o ? 100 * w / o : 0, d }'
done
verdict() {   # verdict OURS THEIRS WHAT
	if [ "${sum_dropped[$1]}" -le "${sum_dropped[$2]}" ]; then
		echo "PASS  $3: pktlens drops no more than tcpdump at the same offered rate"
	else
		echo "FAIL  $3: pktlens drops more than tcpdump at the same offered rate"
	fi
}
verdict pktlens-w tcpdump-w "writing (--silent -w vs -w)"
verdict pktlens-q tcpdump-n "printing lines (-q vs -n)"
