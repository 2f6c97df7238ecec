#!/bin/bash
# End-to-end checks of the command line: views, options, filters, exit
# statuses and error messages, on the bundled captures.
set -u
cd "$(dirname "$0")/.."
P=${PKTLENS:-./pktlens}   # PKTLENS=./pktlens-asan: the same checks under the sanitizers
tmp=$(mktemp -d /tmp/pkl-cli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

. tests/lib.sh

expect_lines() {  # expect_lines FILE N DESCRIPTION
	local n; n=$(wc -l < "$1")
	if [ "$n" = "$2" ]; then ok; else bad "$3: $n lines, wanted $2"; fi
}

# The conversation table's options reach the frame views too (their
# effect is tested with conns in tests/conns.sh).
expect_exit 2 "read --msl 0" -- $P read --msl 0 captures/tcp-handshake.pcap
expect_grep "$tmp/err" "--msl needs seconds" "read --msl 0 says what it needs"
expect_exit 0 "read with table options" -- $P read -q --idle-timeout 2 --max-conns 8 --msl 5 captures/conn/keepalive.pcap
expect_grep "$tmp/out" "seq=73 ack=85 .*\[keep-alive\]" "keep-alives 1 s apart still one connection with a 2 s timeout"
expect_exit 0 "stats takes the table options (its findings come from the tracker)" -- $P stats --msl 5 captures/tcp-handshake.pcap

# Help and version: exit 0, on stdout.
expect_exit 0 "--help" -- $P --help
expect_grep "$tmp/out" "read FILE" "--help lists read"
expect_exit 0 "read --help" -- $P read --help
expect_grep "$tmp/out" "--json" "read --help lists --json"
expect_exit 0 "stats --help" -- $P stats --help
expect_exit 0 "--version" -- $P --version
expect_grep "$tmp/out" "^pktlens [0-9]" "--version prints the version"

# Usage errors: exit 2 with a message.
expect_exit 2 "no command" -- $P
expect_exit 2 "unknown command" -- $P frobnicate
expect_grep "$tmp/err" "unknown command 'frobnicate'" "unknown command named"
expect_exit 2 "bad flag" -- $P read --bogus captures/ping.pcap
expect_grep "$tmp/err" "unknown option '--bogus'" "bad flag named"
expect_exit 2 "no file" -- $P read
expect_exit 2 "bad count" -- $P read -c zero captures/ping.pcap
expect_exit 2 "bad color" -- $P read --color=pink captures/ping.pcap
expect_exit 2 "bad BPF" -- $P read captures/ping.pcap 'tcp port banana'
expect_grep "$tmp/err" "bad filter expression 'tcp port banana'" "bad BPF names the filter"
expect_grep "$tmp/err" "(syntax error|unknown port|illegal)" "bad BPF carries libpcap's message"

# A capture buffer of 4 GiB: libpcap takes its size in bytes as an int.
# Refused before any interface is opened (it overflowed, unchecked).
expect_exit 2 "sniff -B 4194304" -- timeout 5 $P sniff -i lo -c 1 -B 4194304
expect_grep "$tmp/err" "2097151" "sniff -B 4194304 gives the limit"

# --duration stops a capture by itself, on a quiet interface too (the
# timer cuts the wait for a frame short), with the statistics printed.
expect_exit 0 "sniff --duration 1 stops by itself" -- timeout 10 $P sniff -i lo -q --duration 1 'udp port 9'
expect_grep "$tmp/err" "frames captured" "sniff --duration prints the statistics"
expect_exit 2 "sniff --duration 0" -- timeout 5 $P sniff -i lo --duration 0

# Runtime errors: exit 1, naming the file.
gzip -c captures/ping.pcap > "$tmp/ping.pcap.gz"
expect_exit 1 "read of a gzip file" -- $P read "$tmp/ping.pcap.gz"
expect_grep "$tmp/err" "ping.pcap.gz is gzip-compressed: .*zcat .*ping.pcap.gz \\| pktlens read -" "a gzip file is named as such, with what to do"
# A pcapng whose interfaces have different link types (Ethernet, then
# raw IP): libpcap cannot read it; said so, with the way out.
/usr/bin/python3 - "$tmp/mixed.pcapng" <<'PY'
import struct, sys
def block(kind, body):
    body += b"\0" * (-len(body) % 4)
    return struct.pack("<II", kind, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))
ip = bytes.fromhex("450000140001000040017cde0a0000010a000002")
def epb(iface, data):
    return block(6, struct.pack("<IIIII", iface, 0, 1000, len(data), len(data)) + data)
open(sys.argv[1], "wb").write(
    block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    + block(1, struct.pack("<HHI", 1, 0, 65535)) + block(1, struct.pack("<HHI", 101, 0, 65535))
    + epb(0, bytes(12) + b"\x08\x00" + ip) + epb(1, ip))
PY
expect_exit 1 "read of a pcapng with two link types" -- $P read "$tmp/mixed.pcapng"
expect_grep "$tmp/err" "mixed.pcapng holds interfaces of different link types \(EN10MB and link type 101\)" "two link types named"
expect_grep "$tmp/err" "mergecap.*editcap.*tshark -r FILE -Y 'frame.interface_id == N'" "two link types: the tools named"

# Undecoded link types are named as libpcap names them, with where to turn.
/usr/bin/python3 - "$tmp/radio.pcap" "$tmp/ppp.pcap" <<'PY'
import struct, sys
for path, linktype in zip(sys.argv[1:], (127, 9)):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, linktype))
        f.write(struct.pack("<IIII", 1000, 0, 24, 24) + bytes(24))
PY
expect_exit 0 "read of radiotap frames" -- $P read "$tmp/radio.pcap"
expect_grep "$tmp/out" "^  IEEE802_11_RADIO 24 bytes \(not shown; -x\)$" "radiotap: the layer named, its bytes where to see"
expect_grep "$tmp/out" "link type 127 \(IEEE802_11_RADIO: 802.11 plus radiotap header\) is not decoded: -x shows the bytes; tshark decodes it" "radiotap: the hint"
expect_exit 0 "read -q of PPP frames" -- $P read -q "$tmp/ppp.pcap"
expect_grep "$tmp/out" "link type 9 PPP \(not decoded\), 24 bytes" "PPP named in -q"
expect_exit 0 "read --json of radiotap frames" -- $P read --json "$tmp/radio.pcap"
expect_grep "$tmp/out" '"text":"link type 127 is not decoded; 24 bytes shown as data"' "radiotap: the JSON unchanged"
expect_exit 0 "undecoded payload" -- $P read captures/malformed.pcap
expect_grep "$tmp/out" "^  Data +[0-9]+ bytes \(not shown; -x\)$" "a data line says where its bytes are"

# Explain once: an explanation of a kind of thing is said the first time
# it applies in a connection (the offload anomaly once per sending host),
# later frames carry its short form; --explain=all repeats them,
# --explain=none shows fields only.  The JSON keeps every note.
expect_exit 0 "read, explained once" -- $P read captures/tcp-handshake.pcap
cp "$tmp/out" "$tmp/once.out"
expect_lines <(grep "checksum offload: 0x.* is only the pseudo-header sum" "$tmp/once.out") 2 "offload explained once per host"
expect_lines <(grep "! checksum offload: see #[34]$" "$tmp/once.out") 8 "offload marked on the other frames"
expect_lines <(grep "PSH: deliver to the application" "$tmp/once.out") 1 "PSH explained once"
expect_grep "$tmp/once.out" "^  > PSH: see #6$" "PSH marked later"
expect_grep "$tmp/once.out" "^  > MSS 1460: see #3$" "MSS marked on the SYN+ACK"
expect_grep "$tmp/once.out" "^  > port 8080: see #3$" "port marked on the SYN+ACK"
expect_lines <(grep "^  > connection #1 " "$tmp/once.out") 10 "states (facts) on every frame"
expect_exit 0 "read --explain=all" -- $P read --explain=all captures/tcp-handshake.pcap
expect_lines <(grep "checksum offload: 0x.* is only the pseudo-header sum" "$tmp/out") 10 "--explain=all: offload on every frame"
expect_lines <(grep "see #" "$tmp/out") 0 "--explain=all: no short marks"
expect_exit 0 "read --explain=none" -- $P read --explain=none captures/tcp-handshake.pcap
expect_lines <(grep -E "^  > |checksum offload" "$tmp/out") 0 "--explain=none: no notes, no offload line"
expect_grep "$tmp/out" "^  TCP          41460 -> 8080  seq 0" "--explain=none: the fields"
expect_exit 2 "read --explain=some" -- $P read --explain=some captures/tcp-handshake.pcap
expect_grep "$tmp/err" "--explain takes once, all or none, not 'some'" "--explain: a bad value named"
$P read --json captures/tcp-handshake.pcap > "$tmp/once.json"
$P read --json --explain=all captures/tcp-handshake.pcap > "$tmp/all.json"
if cmp -s "$tmp/once.json" "$tmp/all.json" && [ "$(grep -c 'tcp.checksum.partial' "$tmp/once.json")" = 10 ]; then ok; else bad "--json keeps every note on every frame"; fi
expect_exit 1 "missing file" -- $P read "$tmp/nope.pcap"
expect_grep "$tmp/err" "cannot open $tmp/nope.pcap: No such file" "missing file named"
printf 'this is not a capture file at all\n' > "$tmp/text.pcap"
expect_exit 1 "not a capture" -- $P read "$tmp/text.pcap"
expect_grep "$tmp/err" "$tmp/text.pcap is not a capture file" "not a capture named"
: > "$tmp/empty.pcap"
expect_exit 1 "empty file" -- $P read "$tmp/empty.pcap"
expect_grep "$tmp/err" "empty" "empty file said"

# A file cut inside its 5th record: the 4 before are printed, the record
# number and byte offset are reported, exit 1.
size=$(stat -c %s captures/ping.pcap)
offset=24
for _ in 1 2 3 4; do
	caplen=$(od -An -tu4 -j $((offset + 8)) -N4 captures/ping.pcap | tr -d ' ')
	offset=$((offset + 16 + caplen))
done
head -c $((offset + 20)) captures/ping.pcap > "$tmp/cut.pcap"
expect_exit 1 "corrupt record" -- $P read -q "$tmp/cut.pcap"
expect_lines "$tmp/out" 4 "frames before the corrupt record are printed"
expect_grep "$tmp/err" "record 5 at byte offset $offset" "corrupt record located"
[ "$size" -gt $((offset + 20)) ] && ok || bad "cut file is shorter than the original"
# The same where records are shorter than the frames were (snaplen 60):
# offsets count the bytes captured, not the frames' length.
read -r snap_offset wire_offset < <(/usr/bin/python3 - captures/tcp-handshake.pcap "$tmp/snap.pcap" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
out, off, n, snap_at, wire_at = bytearray(data[:24]), 24, 0, 24, 24
while off < len(data):
    sec, usec, incl, orig = struct.unpack_from("<IIII", data, off)
    keep = min(incl, 60)
    out += struct.pack("<IIII", sec, usec, keep, orig) + data[off + 16:off + 16 + keep]
    off += 16 + incl
    n += 1
    if n < 5:
        snap_at += 16 + keep
        wire_at += 16 + orig
open(sys.argv[2], "wb").write(out[:snap_at + 20])
print(snap_at, wire_at)
PY
)
expect_exit 1 "corrupt record, caplen < len" -- $P read -q "$tmp/snap.pcap"
expect_lines "$tmp/out" 4 "caplen < len: frames before the corrupt record are printed"
expect_grep "$tmp/err" "record 5 at byte offset $snap_offset is corrupt" "caplen < len: corrupt record located by captured bytes"
[ "$snap_offset" != "$wire_offset" ] && ok || bad "caplen < len: the records are not cut short"

# Views.
expect_exit 0 "-q" -- $P read -q captures/tcp-handshake.pcap
expect_lines "$tmp/out" "$(tcpdump -r captures/tcp-handshake.pcap 2>/dev/null | wc -l)" "-q prints one line per frame"
expect_grep "$tmp/out" "^#3 .* TCP \[SYN\] seq=[0-9]+ win=[0-9]+ len=0$" "-q SYN summary"
expect_exit 0 "default view" -- $P read captures/tcp-handshake.pcap
expect_grep "$tmp/out" "^  TCP +[0-9]+ -> 8080 .*\[SYN\]" "default view has a TCP layer line"
expect_grep "$tmp/out" "^  > SYN: the client asks to open a connection" "default view explains the SYN"
expect_grep "$tmp/out" "^  > broadcast: every host on the LAN sees it; only the owner of 10.77.1.2 answers" "ARP request explained"
expect_exit 0 "--json" -- $P read --json captures/tcp-handshake.pcap
if jq -e -s 'length == 12 and (.[2]["tcp.flags.syn"] == true) and (.[2]["layers"] == ["eth","ip","tcp"])' "$tmp/out" > /dev/null; then ok; else bad "--json objects"; fi
# Application summaries on well-known ports, as tcpdump writes DNS.
expect_exit 0 "-q on DNS" -- $P read -q captures/dns.pcap
expect_grep "$tmp/out" "^#1 .*UDP len=33  DNS query 0x1a2b A\? www\.example\.org\.$" "-q names a DNS query"
expect_grep "$tmp/out" "^#2 .*DNS response 0x1a2b A\? www\.example\.org\. -> CNAME web\.example\.org\., A 198\.51\.100\.80$" "-q names a DNS answer, through a CNAME"
expect_grep "$tmp/out" "^#6 .*A\? nosuch\.example\.org\. -> NXDomain$" "-q names NXDomain"
expect_grep "$tmp/out" "^#7 .*TCP .*DNS query 0x1a2e SOA\? example\.org\.$" "-q names DNS over TCP"
expect_grep "$tmp/out" "^#9 .*\[malformed: a name follows more than 127 compression pointers" "a compression loop is marked, and the next frame goes on"
expect_exit 0 "tree on DNS" -- $P read captures/dns.pcap
expect_grep "$tmp/out" "^  DNS          response 0x1a2b  opcode Query  rcode NoError" "the tree has a DNS layer"
expect_grep "$tmp/out" "^               answer     web\.example\.org\. A  ttl 60  198\.51\.100\.80$" "the tree lists the answers, compressed names read"
expect_exit 0 "--json on DNS" -- $P read --json captures/dns.pcap
expect_grep "$tmp/out" '"dns.qry.name":"www.example.org","dns.qry.type":1' "--json has dns.qry.*"
expect_grep "$tmp/out" '"dns.cname":"web.example.org"' "--json has dns.cname"
expect_exit 0 "-q on HTTP" -- $P read -q captures/tcp-handshake.pcap
expect_grep "$tmp/out" "^#6 .*len=69  HTTP GET /hello HTTP/1\.0$" "-q names an HTTP request line"
expect_grep "$tmp/out" "^#8 .*len=84  HTTP/1\.0 200 OK$" "-q names an HTTP status line"
expect_exit 0 "-x" -- $P read -x -c 1 captures/ping.pcap
expect_grep "$tmp/out" "^    0000  ff ff ff ff ff ff 52 54  00 12 34 56 08 06 00 01  " "-x hex dump"
expect_exit 0 "-c" -- $P read -q -c 5 captures/tcp-handshake.pcap
expect_lines "$tmp/out" 5 "-c 5 stops after 5 frames"
expect_exit 0 "-n -l accepted" -- $P read -n -l -q captures/ping.pcap
expect_lines "$tmp/out" 10 "-n -l"

# BPF filter, given as one word or several.
expect_exit 0 "filter" -- $P read -q captures/tcp-handshake.pcap arp
expect_lines "$tmp/out" 2 "filter 'arp'"
expect_grep "$tmp/out" "^#1 " "filtered frames keep their file numbers"
expect_exit 0 "filter words" -- $P read -q captures/tcp-handshake.pcap tcp and 'tcp[tcpflags] & tcp-syn != 0'
expect_lines "$tmp/out" 2 "filter over several words"

# Colour: never on a pipe by default, always on request, NO_COLOR honoured.
expect_exit 0 "no colour on a pipe" -- $P read captures/ping.pcap
if grep -q $'\033\\[' "$tmp/out"; then bad "escape codes on a pipe"; else ok; fi
expect_exit 0 "--color=always" -- $P read --color=always captures/ping.pcap
if grep -q $'\033\\[' "$tmp/out"; then ok; else bad "--color=always gives no escapes"; fi
if command -v script > /dev/null; then
	NO_COLOR=1 script -qec "$P read -c 1 captures/ping.pcap" /dev/null > "$tmp/tty" 2>&1
	if grep -q $'\033\\[3' "$tmp/tty"; then bad "NO_COLOR not honoured on a terminal"; else ok; fi
	script -qec "$P read -c 1 captures/ping.pcap" /dev/null > "$tmp/tty" 2>&1
	if grep -q $'\033\\[' "$tmp/tty"; then ok; else bad "no colour on a terminal"; fi
fi

# pcapng and standard input.
if command -v editcap > /dev/null; then
	editcap -F pcapng captures/udp.pcap "$tmp/udp.pcapng"
	expect_exit 0 "pcapng" -- $P read -q "$tmp/udp.pcapng" udp
	expect_lines "$tmp/out" 6 "pcapng with a filter"
fi
$P read -q - < captures/ping.pcap > "$tmp/out" 2>&1 && ok || bad "stdin"
expect_lines "$tmp/out" 10 "read from stdin"
# From a pipe, whose magic arrives in pieces and cannot be read again
# by seeking: the format is still told, and record offsets still known.
{ head -c 2 captures/ping.pcap; sleep 0.2; tail -c +3 captures/ping.pcap; } | $P read -q - > "$tmp/out" 2>&1 && ok || bad "pipe"
expect_lines "$tmp/out" 10 "read from a pipe, the magic in two writes"
if [ -s "$tmp/udp.pcapng" ]; then
	{ head -c 3 "$tmp/udp.pcapng"; sleep 0.2; tail -c +4 "$tmp/udp.pcapng"; } | $P read -q - udp > "$tmp/out" 2>&1 && ok || bad "pcapng pipe"
	expect_lines "$tmp/out" 6 "pcapng from a pipe"
fi
cat "$tmp/cut.pcap" | expect_exit 1 "corrupt record from a pipe" -- $P read -q -
expect_grep "$tmp/err" "-: record 5 at byte offset $offset" "corrupt record from a pipe located"
expect_exit 1 "empty standard input" -- $P read - < /dev/null
expect_grep "$tmp/err" "^pktlens: - is empty: not a capture file$" "empty standard input said"
printf '\324\303\262' | expect_exit 1 "3 bytes from a pipe" -- $P read -
expect_grep "$tmp/err" "^pktlens: - is not a capture file" "3 bytes from a pipe said"
expect_exit 1 "a directory" -- $P read captures
expect_grep "$tmp/err" "^pktlens: cannot read captures: Is a directory$" "a directory said"

# stats.
expect_exit 0 "stats" -- $P stats captures/tcp-handshake.pcap
expect_grep "$tmp/out" "^    ip +10 +83.3% +829 +90.8%$" "stats hierarchy counts IPv4 under Ethernet"
expect_grep "$tmp/out" "^  10.77.1.1 +10 +829$" "stats top talkers"
expect_exit 0 "stats -k" -- $P stats -k captures/malformed.pcap
expect_grep "$tmp/out" "ip.checksum.bad +warning +1" "stats -k counts bad checksums"
expect_grep "$tmp/out" "Anomalies: 1 frames truncated" "stats counts truncated frames"

# Option errors name the option as typed, in two lines: the sentence and
# where the options are listed (never the whole help).
expect_errors() {   # expect_errors DESCRIPTION PATTERN -- command...
	local what=$1 pattern=$2; shift 3
	expect_exit 2 "$what" -- "$@"
	expect_grep "$tmp/err" "$pattern" "$what: says why"
	# after the shift, $2 is the command's name
	expect_lines "$tmp/err" 2 "$what: two lines"
	expect_grep "$tmp/err" "^Try 'pktlens $2 --help' for the options\.$" "$what: points at the help"
}
expect_errors "letter clusters" "unknown option '-K'" -- $P read -qK captures/ping.pcap
for word in -M -T -E -L; do   # no hidden short forms of the table options
	expect_exit 2 "read $word 5" -- $P read $word 5 captures/ping.pcap
	expect_grep "$tmp/err" "unknown option '$word'" "read $word named"
done
expect_exit 2 "missing value, long" -- $P read --msl
expect_grep "$tmp/err" "^pktlens read: --msl needs a value$" "missing value names --msl as typed"
expect_exit 2 "missing value, short" -- $P read captures/ping.pcap -c
expect_grep "$tmp/err" "^pktlens read: -c needs a value$" "missing value names -c"
expect_exit 2 "value for a flag" -- $P read --json=3 captures/ping.pcap
expect_grep "$tmp/err" "--json takes no value" "value for a flag refused"
expect_exit 2 "-c ' -5'" -- $P read -c " -5" captures/ping.pcap
expect_grep "$tmp/err" "^pktlens read: -c needs a positive number of frames, not ' -5'$" "-c ' -5' refused"
expect_exit 2 "-c +5" -- $P read --count +5 captures/ping.pcap
expect_grep "$tmp/err" "^pktlens read: --count needs" "--count named as typed"
expect_exit 2 "-c 18446744073709551616" -- $P read -c 18446744073709551616 captures/ping.pcap

# Views that cannot go together are refused, whatever their order.
expect_exit 2 "-q -j" -- $P read -q -j captures/ping.pcap
expect_grep "$tmp/err" "-q .* and --json .* cannot go together" "-q -j says why"
expect_exit 2 "-j -q" -- $P read -j -q captures/ping.pcap
expect_exit 2 "-j -x" -- $P read -j -x captures/ping.pcap
expect_exit 2 "-x --json" -- $P read -x --json captures/ping.pcap
expect_exit 0 "-q -x" -- $P read -q -x -c 1 captures/ping.pcap

# tcpdump's habits: -X is -x, a bare --color is always.
$P read -x captures/ping.pcap > "$tmp/x.out"
expect_exit 0 "-X" -- $P read -X captures/ping.pcap
if cmp -s "$tmp/out" "$tmp/x.out"; then ok; else bad "-X shows what -x shows"; fi
expect_exit 0 "bare --color" -- $P read -q --color captures/ping.pcap
expect_grep "$tmp/out" $'\e\\[' "bare --color colours"
expect_exit 0 "conns bare --color" -- $P conns --timeline --color captures/conn/client-close.pcap
expect_grep "$tmp/out" $'\e\\[' "conns --timeline --color colours"

# Live options, refused before any interface is opened.
expect_exit 2 "sniff -B above the int libpcap takes" -- $P sniff -B 2097152 -i lo
expect_grep "$tmp/err" "-B needs a buffer size in KiB from 1 to 2097151" "-B range said"
expect_exit 2 "sniff -s beyond 262144" -- $P sniff -s 262145 -i lo
expect_exit 2 "--silent with -q" -- $P sniff --silent -q -w "$tmp/x.pcap" -i lo
expect_grep "$tmp/err" "--silent shows no frame" "--silent -q says why"
expect_exit 2 "-w - with frames shown" -- $P sniff -w - -i lo
expect_grep "$tmp/err" "add --silent" "-w - without --silent says what to add"
expect_exit 2 "sniff takes no -r" -- $P sniff -r captures/ping.pcap

# The frame views keep at most 65536 conversations by default (conns a
# million): 70000 lone SYNs evict some, said on stderr, and memory stays
# near 40 MB; --max-conns lifts it.
if cc -O2 -o "$tmp/gencap" bench/gencap.c && "$tmp/gencap" -n 87500 -c 70000 -s 1 "$tmp/syn.pcap" > /dev/null 2>&1; then
	expect_exit 0 "read -q, 70000 lone SYNs" -- $P read -q "$tmp/syn.pcap"
	expect_grep "$tmp/err" "connections were evicted from the full table \(--max-conns 65536\)" "read reports the default cap's evictions"
	expect_exit 0 "read -q --max-conns 1048576" -- $P read -q --max-conns 1048576 "$tmp/syn.pcap"
	if [ -s "$tmp/err" ]; then bad "no eviction under a larger cap: $(head -c 200 "$tmp/err")"; else ok; fi
	expect_exit 0 "conns, 70000 lone SYNs" -- $P conns "$tmp/syn.pcap"
	if grep -q evicted "$tmp/err"; then bad "conns keeps a million by default"; else ok; fi
	if [ "$P" = ./pktlens ]; then   # the sanitizers' memory is their own
		kib=$(/usr/bin/time -f %M $P read -q "$tmp/syn.pcap" 2>&1 > /dev/null | tail -n 1)
		if [ "$kib" -lt 65536 ]; then ok; else bad "read -q on 70000 lone SYNs: $kib KiB, wanted < 64 MiB"; fi
	fi
else
	bad "cannot build bench/gencap for the table-cap test"
fi

# 60000 SYNs chosen to share one bucket of the connection table's hash
# as it was before it was seeded took 46 s through read -q; seeded, they
# spread and take a fraction of a second (a generous bound for loaded
# machines and the sanitizer build).
if python3 tests/collide.py 60000 "$tmp/collide.pcap"; then
	expect_exit 0 "read -q, 60000 SYNs built to collide, within 15 s" -- timeout 15 $P read -q "$tmp/collide.pcap"
	expect_lines "$tmp/out" 60000 "read -q, colliding SYNs: every frame"
else
	bad "cannot write the colliding capture"
fi

# The help comes from the command table and the option lists.
expect_exit 0 "--help" -- $P --help
cp "$tmp/out" "$tmp/help.out"
for c in read stats sniff conns; do
	expect_grep "$tmp/help.out" "^  $c " "--help lists $c"
	expect_exit 0 "$c --help" -- $P $c --help
	expect_grep "$tmp/out" "^usage: pktlens $c " "$c --help: usage line"
	expect_grep "$tmp/out" "^  -h, --help" "$c --help: -h"
done
expect_exit 0 "sniff --help" -- $P sniff --help
expect_grep "$tmp/out" "^  -s, --snaplen N" "sniff --help: -s"
expect_grep "$tmp/out" "^      --silent" "sniff --help: --silent"

echo "${PKL_SUITE:-cli}: $pass passed, $fail failed"
[ "$fail" = 0 ]
