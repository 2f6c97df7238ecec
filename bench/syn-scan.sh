#!/bin/bash
# The syn section of the benchmark (bench/run.sh runs it when
# BENCH_SECTIONS names syn; it also runs alone): `pktlens syn -q` over
# all 65535 ports of a host in a namespace lab of its own, next to
# `nmap -sS -n -Pn -p- --min-rate 20000 --max-retries 1` on the same host,
# taking turns.  The host B listens on a few ports, drops a range with
# nft, and answers RST on the rest.  Reports each one's median wall time,
# CPU time and peak RSS, whether the verdicts agree port for port, and
# where pktlens's time goes: the rate (sending every probe), the wait
# after the last one, and the capture (CPU spent taking in and decoding
# every frame).  Not a test: the exit status is 0 even when a target
# fails.
#
# Needs root (namespaces), nmap and nft.  Knobs: SYN_ROUNDS (rounds,
# default BENCH_ROUNDS or 3), SYN_RATE (probes a second, default 20000).
set -u
cd "$(dirname "$0")/.."
P=${PKTLENS:-./pktlens}
[[ $P == /* ]] || P=$(pwd)/$P
ROUNDS=${SYN_ROUNDS:-${BENCH_ROUNDS:-3}}
RATE=${SYN_RATE:-20000}
NS_A=pkl-bsyn-a NS_B=pkl-bsyn-b
A=10.74.1.1 B=10.74.1.2
OPEN_PORTS="22 80 443 8080 50000"
DROPPED=30000-30999
. tools/netns.sh

for tool in nmap nft; do
	command -v $tool > /dev/null || { echo "bench: syn: skipped: $tool is not installed"; exit 0; }
done
[ -x "$P" ] || { echo "bench: syn: skipped: $P not found"; exit 0; }
pkl_netns_begin pkl-bsyn || exit 1
tmp=$PKL_TMP
if [ "$(id -u)" != 0 ] || ! pkl_netns_add $NS_A $NS_B; then
	echo "bench: syn: skipped: cannot create network namespaces (needs root)"
	exit 0
fi
ip link add a0 netns $NS_A type veth peer name b0 netns $NS_B
for ns in $NS_A $NS_B; do
	ip netns exec $ns ip link set lo up
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
ip netns exec $NS_A ip addr add $A/24 dev a0
ip netns exec $NS_B ip addr add $B/24 dev b0
ip netns exec $NS_A ip link set a0 up
ip netns exec $NS_B ip link set b0 up
# B: listeners (bounded by a timeout), a range dropped, the rest closed.
ip netns exec $NS_B timeout 900 /usr/bin/python3 -c 'import socket, sys, time
socks = [socket.create_server(("0.0.0.0", int(p))) for p in sys.argv[1:]]
time.sleep(900)' $OPEN_PORTS &
pkl_track $!
ip netns exec $NS_B nft -f - <<EOF
table ip pkl_bench {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport $DROPPED drop
	}
}
EOF
for _ in $(seq 50); do
	[ "$(ip netns exec $NS_B ss -Htln | wc -l)" -ge 5 ] && break
	sleep 0.1
done

# run ID ROUND argv...: one timed run in A's namespace, bounded; appends
# "id round wall_s cpu_s rss_kib exit" to $tmp/results.
run() {
	local id=$1 round=$2 t0 t1 rc; shift 2
	t0=$(date +%s%N)
	ip netns exec $NS_A timeout 300 /usr/bin/time -f '%U %S %M' -o "$tmp/time" "$@" \
		> "$tmp/$id-$round.out" 2> "$tmp/$id-$round.err"
	rc=$?
	t1=$(date +%s%N)
	tail -n 1 "$tmp/time" | awk -v id="$id" -v r="$round" -v ns=$((t1 - t0)) -v rc=$rc \
		'{ printf "%s %d %.3f %.2f %d %d\n", id, r, ns / 1e9, $1 + $2, $3, rc }' >> "$tmp/results"
}
pktlens_cmd=("$P" syn -q --json --rate "$RATE" "$B" -)
nmap_args=(-sS -n -Pn -p- --min-rate "$RATE" --max-retries 1)
echo "bench: syn: all 65535 ports of $B (open: $OPEN_PORTS; $DROPPED dropped by nft; the rest closed)"
echo "bench: syn: $ROUNDS rounds, taking turns: pktlens ${pktlens_cmd[*]:1} | nmap ${nmap_args[*]} $B"
: > "$tmp/results"
for (( r = 1; r <= ROUNDS; r++ )); do
	printf 'bench: syn: round %d/%d:' "$r" "$ROUNDS"
	if (( r % 2 )); then order="pktlens nmap"; else order="nmap pktlens"; fi
	for id in $order; do
		if [ $id = pktlens ]; then run pktlens $r "${pktlens_cmd[@]}"
		else run nmap $r nmap "${nmap_args[@]}" -v -oX "$tmp/nmap-$r.xml" "$B"; fi
		printf ' %s' $id
	done
	echo
done
# nmap once more at a rate it keeps up with here, for its verdicts.
REF_RATE=5000
printf 'bench: syn: nmap at --max-rate %d, for reference ...' $REF_RATE
run nmapref 1 nmap -sS -n -Pn -p- --min-rate $REF_RATE --max-rate $REF_RATE --max-retries 1 -v \
	-oX "$tmp/nmapref-1.xml" "$B"
echo

# Verdicts, "port state" for all 65535 ports: pktlens's port records;
# nmap's XML, whose <extraports> name the ports of the states it does
# not list one by one; and B's own: its listening sockets (ss), the
# range its nft rule drops, every other port closed.
verdicts_pktlens() { jq -r 'select(.kind == "port") | "\(.port) \(.state)"' "$1"; }
verdicts_nmap() {
	/usr/bin/python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
state = {}
def ports(text):
    for item in text.split(","):
        lo, _, hi = item.partition("-")
        yield from range(int(lo), int(hi or lo) + 1)
host = ET.parse(sys.argv[1]).getroot().find("host")
for extra in host.iter("extraports"):
    for reasons in extra.iter("extrareasons"):
        for p in ports(reasons.get("ports", "")):
            state[p] = extra.get("state")
for port in host.iter("port"):
    state[int(port.get("portid"))] = port.find("state").get("state")
for p in range(1, 65536):
    print(p, state.get(p, "missing"))
PY
}
verdicts_b() {
	local open
	open=" $(ip netns exec $NS_B ss -Htln | awk '{ n = split($4, a, ":"); print a[n] }' | tr '\n' ' ')"
	awk -v open="$open" -v lo="${DROPPED%-*}" -v hi="${DROPPED#*-}" 'BEGIN {
		for (p = 1; p <= 65535; p++)
			print p, index(open, " " p " ") ? "open" : (p >= lo && p <= hi) ? "filtered" : "closed" }'
}
verdicts_b > "$tmp/v-b"
for (( r = 1; r <= ROUNDS; r++ )); do
	verdicts_pktlens "$tmp/pktlens-$r.out" > "$tmp/v-pktlens-$r"
	verdicts_nmap "$tmp/nmap-$r.xml" > "$tmp/v-nmap-$r"
done
verdicts_nmap "$tmp/nmapref-1.xml" > "$tmp/v-nmapref-1"

median() { # id column
	awk -v id="$1" -v c="$2" '$1 == id { print $c }' "$tmp/results" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR/2] + v[NR/2 + 1]) / 2 }'
}
max_rss() { awk -v id="$1" '$1 == id && $5 > m { m = $5 } END { print m + 0 }' "$tmp/results"; }
failed() { awk -v id="$1" '$1 == id && $6 != 0 { rc = $6 } END { print rc + 0 }' "$tmp/results"; }
# differ A B: the ports whose verdicts differ
differ() { diff "$1" "$2" | grep -c '^<'; }
tally() { awk '{ c[$2]++ } END { printf "%d/%d/%d", c["open"], c["closed"], c["filtered"] }' "$1"; }

echo
printf '  %-22s %8s %7s %9s  %s\n' "command" "wall" "cpu" "peak RSS" \
	"verdicts open/closed/filtered, ports that differ from B's own, each round"
for id in pktlens nmap nmapref; do
	cells=""
	for f in "$tmp"/v-$id-*; do cells+="  $(tally "$f") ($(differ "$f" "$tmp/v-b"))"; done
	note=""; rc=$(failed $id); (( rc )) && note="  (exit $rc: see the run's .err)"
	label=$id; [ $id = nmapref ] && label="nmap --max-rate $REF_RATE"
	printf '  %-22s %7.2fs %6.2fs %5.1f MiB%s%s\n' "$label" "$(median $id 3)" "$(median $id 4)" \
		"$(awk -v k="$(max_rss $id)" 'BEGIN { print k / 1024 }')" "$cells" "$note"
done
echo "  B's own (ss, nft):                               $(tally "$tmp/v-b")"
echo "  (wall and cpu: medians over the rounds; cpu = user + system; peak RSS: the largest)"
received=$(sed -n 's/.*Raw packets sent: \([0-9]*\) .*| Rcvd: \([0-9]*\) .*/\1 probes sent, \2 answers taken in/p' \
	"$tmp/nmap-1.out")
[ -n "$received" ] && echo "  nmap's round 1 by its own count (-v): $received"

# Where pktlens's time goes in its median round (by wall time), from its
# result record.
field() { jq -r "select(.kind == \"result\") | .$1" "$tmp/pktlens-$2.out"; }
read -r round wall cpu < <(awk '$1 == "pktlens" { print $2, $3, $4 }' "$tmp/results" | sort -k2 -g |
	awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }')
total=$(field time_ms $round) sending=$(field sending_ms $round)
probes=$(field probes $round) dropped=$(field capture_dropped $round)
echo
echo "where pktlens's time goes (round $round, its median: ${wall} s wall, ${cpu} s cpu):"
awk -v t="$total" -v s="$sending" -v p="$probes" -v r="$RATE" 'BEGIN {
	printf "  the rate:         %5.2f s sending %d probes (65535 and the retries) at %d a second:\n", s / 1000, p, r
	printf "                    %5.2f s is the rate'\''s floor for them\n", p / r
	printf "  the final wait:   %5.2f s from the last probe until every port had its verdict (the\n", (t - s) / 1000
	printf "                    -W wait of the last retries) and the last frames were shown\n"
}'
echo "  the capture:      every probe, answer and kernel RST taken in, decoded and tracked:"
echo "                    ${cpu} s of cpu; frames it lost: $dropped (a lost answer reads as filtered)"
awk -v w="$wall" -v t="$total" 'BEGIN {
	printf "  the rest:         %5.2f s: starting, the route, the ARP exchange, exiting\n", w - t / 1000 }'
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "  (load average after the runs: $load on $(nproc) CPUs: a busy machine slows both tools)"

echo
echo "targets:"
verdict() { if [ "$2" = 1 ]; then printf '  PASS  %-46s %s\n' "$1" "$3"; else printf '  FAIL  %-46s %s\n' "$1" "$3"; fi; }
# all_same ID REF: every round of ID agrees with REF; "round N: K differ" each
all_same() {
	local ok=1 detail="" f d
	for f in "$tmp"/v-$1-*; do
		d=$(differ "$f" "$2")
		[ "$(wc -l < "$f")" = 65535 ] && [ "$d" = 0 ] || ok=0
		detail+="${f##*-}: $d, "
	done
	echo "$ok ports differing per round: ${detail%, }"
}
read -r ok detail < <(all_same pktlens "$tmp/v-b")
verdict "syn verdicts = B's own, port for port" "$ok" "$detail"
read -r ok detail < <(all_same pktlens "$tmp/v-nmapref-1")
verdict "syn verdicts = nmap's (--max-rate $REF_RATE)" "$ok" "$detail"
same_run=1 detail=""
for (( r = 1; r <= ROUNDS; r++ )); do
	d=$(differ "$tmp/v-pktlens-$r" "$tmp/v-nmap-$r")
	[ "$d" = 0 ] || same_run=0
	detail+="$r: $d, "
done
verdict "syn verdicts = nmap's in the same round" "$same_run" "ports differing per round: ${detail%, }"
if (( ! same_run )) && [ "$(differ "$tmp/v-nmap-1" "$tmp/v-b")" != 0 ]; then
	echo "        (nmap's own verdicts differ from B's: at --min-rate $RATE its capture took in too few answers)"
fi
ratio=$(awk -v a="$(median pktlens 3)" -v b="$(median nmap 3)" 'BEGIN { printf "%.2f", a / b }')
verdict "syn wall time <= nmap -sS wall time" "$(awk -v x="$ratio" 'BEGIN { print (x <= 1) ? 1 : 0 }')" \
	"pktlens / nmap = ${ratio} ($(median pktlens 3) s vs $(median nmap 3) s)"
exit 0
