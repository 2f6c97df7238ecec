#!/bin/bash
# Wall-clock times, the -q columns, stats (times, findings, columns,
# talkers, names, --json) and conns (times, an empty file, --table
# against tshark -z conv,tcp).  Times of day are checked in UTC and in
# one other zone, to see TZ honoured.
set -u
cd "$(dirname "$0")/.."
P=${PKTLENS:-./pktlens}
export TZ=UTC
tmp=$(mktemp -d /tmp/pkl-timestats.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
hs=captures/tcp-handshake.pcap

. tests/lib.sh
expect_no_grep() {
	if ! grep -qE -- "$2" "$1"; then ok; else bad "$3: /$2/ in $(basename "$1")"; fi
}
# expect_columns FILE DESCRIPTION: every line's summary starts in one column
# (the first place after the time where two spaces end).
expect_columns() {
	local n; n=$(awk '{ match($0, /^#[0-9]+ +[^ ]+( [0-9:.]+)? +/); print RLENGTH }' "$1" | sort -u | wc -l)
	if [ "$n" = 1 ]; then ok; else bad "$2: the summaries start in $n columns"; fi
}

# --- time formats -----------------------------------------------------------
expect_exit 0 "-t" -- $P read -q -t -c 2 $hs
expect_grep "$tmp/out" "^#1  ARP who-has" "-t: no time"
expect_exit 0 "-tt" -- $P read -q -tt -c 2 $hs
expect_grep "$tmp/out" "^#1  1795307411\.964314  ARP" "-tt: epoch seconds"
expect_exit 0 "-ttt" -- $P read -q -ttt -c 3 $hs
expect_grep "$tmp/out" "^#1 +0\.000000  ARP" "-ttt: the first frame is 0"
expect_grep "$tmp/out" "^#3 +0\.000003  10\.77" "-ttt: since the frame shown before"
expect_exit 0 "--time=delta" -- $P read -q --time=delta -c 3 $hs
expect_grep "$tmp/out" "^#3 +0\.000003  10\.77" "--time=delta is -ttt"
expect_exit 0 "-tttt" -- $P read -q -tttt -c 2 $hs
expect_grep "$tmp/out" "^#1  2026-11-22 00:30:11\.964314  ARP" "-tttt: date and time, UTC"
expect_exit 0 "-ttttt" -- $P read -q -ttttt -c 2 $hs
expect_grep "$tmp/out" "^#2 +0\.000030  ARP" "-ttttt: since the first frame"
expect_exit 0 "--time=abs" -- $P read -q --time=abs -c 1 $hs
expect_grep "$tmp/out" "^#1  00:30:11\.964314  ARP" "--time=abs: time of day"
expect_exit 0 "--time=abs in Tokyo" -- env TZ=Asia/Tokyo $P read -q --time=abs -c 1 $hs
expect_grep "$tmp/out" "^#1  09:30:11\.964314  ARP" "TZ honoured"
expect_exit 0 "--time=epoch in the tree" -- $P read --time=epoch -c 1 $hs
expect_grep "$tmp/out" "^#1  1795307411\.964314  ARP" "the tree's frame line takes the format"
expect_exit 0 "tcpdump agrees" -- tcpdump -n -tttt -r $hs
expect_grep "$tmp/out" "^2026-11-22 00:30:11\.964314 ARP" "tcpdump -tttt shows the same time"
expect_exit 2 "-tttttt" -- $P read -tttttt $hs
expect_grep "$tmp/err" "at most five times" "-tttttt refused"
expect_exit 2 "--time=later" -- $P read --time=later $hs
expect_grep "$tmp/err" "--time takes abs, date, rel, delta, epoch or none, not 'later'" "--time=later named"
expect_exit 2 "-t and --time" -- $P read -t --time=abs $hs
expect_exit 0 "read --help" -- $P read --help
expect_grep "$tmp/out" "--time FORMAT" "read --help: --time"
expect_grep "$tmp/out" "TZ's zone" "read --help names the zone"

# Relative time counts from the file's first frame, filter or not, as
# tshark's frame.time_relative does (with -Y, and with -2 -R).
expect_exit 0 "read -q with a BPF filter" -- $P read -q $hs tcp
expect_grep "$tmp/out" "^#3 +0\.000033  10\.77\.1\.1:41460" "a filtered read counts from the file's first frame"
expect_exit 0 "read --json with a BPF filter" -- $P read --json $hs tcp
want=$(tshark -n -r $hs -Y tcp -T fields -e frame.time_relative 2>/dev/null | head -n 1)
got=$(head -n 1 "$tmp/out" | sed -E 's/.*"frame.time_relative":([0-9.]+).*/\1/')
if [ "${want%000}" = "$got" ]; then ok; else bad "JSON frame.time_relative $got, tshark -Y says $want"; fi
expect_exit 0 "conns with a BPF filter" -- $P conns $hs tcp
expect_grep "$tmp/out" "frames 3\.\.12, time 0\.000033 \.\. 0\.000304 s" "conns times count from the file's first frame"

# --- -q columns ----------------------------------------------------------------
expect_exit 0 "read -q, 82 frames" -- $P read -q captures/port-scan.pcap
expect_columns "$tmp/out" "read -q over #9 and #10"
expect_exit 0 "read -q -c 20" -- $P read -q -c 20 captures/port-scan.pcap
expect_grep "$tmp/out" "^#9     0\.008000  " "-c 20: two digits for the numbers"
expect_columns "$tmp/out" "read -q -c 20"
expect_exit 0 "read -q -tt" -- $P read -q -tt captures/port-scan.pcap
expect_columns "$tmp/out" "read -q -tt"
expect_exit 0 "read -q from a pipe" -- sh -c "$P read -q - < captures/port-scan.pcap"
expect_grep "$tmp/out" "^#10        0\.009000  " "a pipe: six digits"
expect_columns "$tmp/out" "read -q from a pipe"

# sniff: the time of day by default, in columns (lo, ICMP to 127.0.0.1).
if [ "$(id -u)" = 0 ] && command -v ping > /dev/null; then
	( sleep 0.3; ping -q -c 12 -i 0.01 -W 1 127.0.0.1 > /dev/null 2>&1 ) &
	expect_exit 0 "sniff -q on lo" -- timeout 10 $P sniff -i lo -q --duration 2 icmp and host 127.0.0.1
	wait
	expect_grep "$tmp/out" "^#1 +[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9]{6}  127\.0\.0\.1 -> 127\.0\.0\.1" "sniff shows the time of day"
	expect_grep "$tmp/out" "^#10      [0-2][0-9]:" "sniff: six digits for the numbers"
	expect_columns "$tmp/out" "sniff -q"
	expect_exit 0 "sniff --time=rel" -- timeout 10 $P sniff -i lo -q -c 1 --time=rel --duration 1
	expect_no_grep "$tmp/out" ":[0-5][0-9]\." "sniff --time=rel: no time of day"
fi

# --- stats -------------------------------------------------------------------------
expect_exit 0 "stats" -- $P stats $hs
expect_grep "$tmp/out" "^  start     2026-11-22 00:30:11\.964314$" "stats: start"
expect_grep "$tmp/out" "^  end       2026-11-22 00:30:11\.964618$" "stats: end"
expect_grep "$tmp/out" "^  duration  0\.000304 s$" "stats: duration"
expect_grep "$tmp/out" "^  protocol +frames +frames % +bytes +bytes %$" "stats: labelled columns"
expect_grep "$tmp/out" "^    arp +2 +16\.7% +84 +9\.2%$" "stats: frames % and bytes % apart"

stats_finding() {   # stats_finding CAPTURE LABEL COUNT
	expect_exit 0 "stats $1" -- $P stats "$1"
	expect_grep "$tmp/out" "^ +$2 +$3$" "stats $1: $2 $3"
}
# The counts tshark -Y finds (tcp.analysis.retransmission and
# duplicate_ack asked of tshark here; zero_window, out_of_order and
# tcp.flags.reset==1 were, when written: tshark takes 2 s a run).
rl=captures/conn/retransmit-loss.pcap
tshark -n -r $rl -T fields -e tcp.analysis.retransmission -e tcp.analysis.duplicate_ack \
	> "$tmp/ta" 2>/dev/null
stats_finding $rl "retransmissions" "$(awk -F'\t' '$1 != ""' "$tmp/ta" | wc -l)"
stats_finding $rl "duplicate ACKs" "$(awk -F'\t' '$2 != ""' "$tmp/ta" | wc -l)"
stats_finding captures/conn/zero-window.pcap "zero windows" 3
stats_finding captures/conn/reorder.pcap "out-of-order segments" 1
stats_finding captures/conn/rst-abort.pcap "aborting a connection" 1
stats_finding captures/port-scan.pcap "resets \(RST\)" 40
stats_finding captures/port-scan.pcap "port-scan notes" 2
stats_finding captures/syn-flood.pcap "SYN-flood notes" 2
stats_finding captures/conn/arp-conflict.pcap "ARP address conflicts" 4
stats_finding captures/conn/ping-loss.pcap "echo requests never answered" 2

# A frame from an address to itself counts once for it; undecoded
# protocols are named as -q names them (ESP: IP protocol 50).
python3 - "$tmp/self.pcap" <<'PY'
import struct, sys
def ip(proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0,
                    bytes([10, 0, 0, 1]), bytes([10, 0, 0, 1]))
    return h + payload
frame = b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + ip(50, b"\0" * 8)
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    f.write(struct.pack("<IIII", 1700000000, 0, len(frame), len(frame)) + frame)
PY
expect_exit 0 "stats of a frame to itself" -- $P stats "$tmp/self.pcap"
expect_grep "$tmp/out" "^  10\.0\.0\.1 +1 +42$" "a host counted once per frame"
expect_grep "$tmp/out" "^      IP proto 50 \(ESP\) +1 " "ESP named, as -q names it"
expect_no_grep "$tmp/out" "^ +unknown " "no protocol called unknown"

expect_exit 0 "stats --json" -- $P stats --json $rl
if python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).read())
assert list(d) == ["frames", "bytes", "start", "end", "duration", "protocols",
    "protocols_complete", "truncated", "malformed", "events", "findings",
    "talkers_seen", "talkers", "talkers_other_frames"], list(d)
assert d["frames"] == 74 and d["findings"]["retransmissions"] == 2
assert d["protocols"][0]["path"] == "eth" and d["protocols"][-1]["path"] == "eth:ip:tcp:data"
assert abs(d["duration"] - 0.292518) < 1e-9 and d["talkers"][0]["frames"] == 72
' "$tmp/out"; then ok; else bad "stats --json: keys and values"; fi

# --- conns -------------------------------------------------------------------------
expect_exit 0 "conns" -- $P conns $hs
expect_grep "$tmp/out" "^capture: 12 frames, 2026-11-22 00:30:11\.964314 to 2026-11-22 00:30:11\.964618 \(local time\), 0\.000304 s$" "conns: the capture's span"
expect_exit 0 "conns of a file without conversations" -- $P conns $hs udp
expect_grep "$tmp/out" "^no conversation .* in the 0 frames read$" "conns says there is none"
expect_exit 0 "conns --json" -- $P conns --json $hs
expect_no_grep "$tmp/out" "^capture:" "conns --json: records only"
expect_exit 0 "conns --table" -- $P conns --table $hs
expect_grep "$tmp/out" "^10\.77\.1\.1:41460 <-> 10\.77\.1\.2:8080 +4 +356 +6 +473 +10 +829 +0\.000033 +0\.000271 +client-first +TIME_WAIT +CLOSED$" "conns --table: a row"
expect_exit 0 "conns --table without TCP" -- $P conns --table captures/udp.pcap
expect_grep "$tmp/out" "^no TCP connection in the " "conns --table says there is none"
expect_exit 2 "conns --table --json" -- $P conns --table --json $hs
# Several kinds of ending, IPv4 and IPv6, many connections at once.
if out=$(python3 tests/conv_table.py "$P" $hs captures/port-scan.pcap captures/ipv6-tcp.pcap \
	 $rl captures/conn/simultaneous-close.pcap captures/conn/rst-abort.pcap 2>&1); then
	ok
else
	bad "conns --table against tshark -z conv,tcp: $out"
fi

echo "${PKL_SUITE:-timestats}: $pass passed, $fail failed"
[ "$fail" = 0 ]
