#!/bin/bash
# `pktlens sockets` against ss: in a network namespace of its own, a
# Python helper opens connections on loopback and leaves them in known
# states (LISTEN, ESTABLISHED with unread bytes, TIME_WAIT, CLOSE_WAIT,
# FIN_WAIT_2, a full accept queue, piles of TIME_WAIT, CLOSE_WAIT and
# SYN_RECEIVED for the advice, UDP unconnected and connected, IPv4
# and IPv6); pktlens's table must be ss -tanH / ss -uanH's, row for row,
# with every filter, as root and as nobody.  The namespace is deleted by
# its name on exit, and the helper stopped by its PID.
# Run it as: flock /tmp/pkl-net.lock tests/net/sockets.sh
# (PKL_SOCKETS_SHOW=1 also prints the text view of the table).
set -u
cd "$(dirname "$0")/../.."
P=$(pwd)/pktlens
PY=/usr/bin/python3
NS=pkl-sockets
skip=0
. tools/netns.sh
pkl_netns_begin pkl-sockets || exit 1
tmp=$PKL_TMP
chmod 755 "$tmp"

. tests/lib.sh
in_ns() { ip netns exec "$NS" "$@"; }
strict=0
if [ "$(id -u)" = 0 ] || [ "${CI:-}" = 1 ]; then strict=1; fi
if [ "$(id -u)" != 0 ] || ! pkl_netns_add "$NS"; then
	if [ "$strict" = 1 ]; then
		bad "cannot create a network namespace (as root or in CI this is a failure)"
	else
		echo "sockets: cannot create a network namespace (needs root): skipped"
		skip=$((skip + 1))
	fi
	echo "sockets: $pass passed, $fail failed, $skip skipped"
	[ "$fail" = 0 ]
	exit
fi
in_ns ip link set lo up
# Handshakes to SYN_PORT never complete: the clients' ACKs are dropped,
# so the listener's side stays in SYN_RECEIVED (its SYN-ACK retried for a
# minute).  A fixed port: the namespace is the suite's own.
SYN_PORT=47001
in_ns nft -f - <<NFT
table inet pkl-sockets {
	chain input {
		type filter hook input priority 0;
		tcp dport $SYN_PORT tcp flags & (syn | ack) == ack drop
	}
}
NFT

# The helper: every socket it makes stays open until it is stopped; it
# writes the ports it chose to $tmp/ports, then "ready".
cat > "$tmp/open.py" <<'EOF'
import os, socket, sys, time

out = open(sys.argv[1], "w")
def note(name, value):
    out.write(f"{name}={value}\n")

note("pid", os.getpid())    # ip netns exec may run it as a child of its own

def listener(family, addr, backlog):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 0))
    s.listen(backlog)
    return s

def pair(l, family, addr):
    c = socket.socket(family, socket.SOCK_STREAM)
    c.connect((addr, l.getsockname()[1]))
    a, _ = l.accept()
    return c, a

def settle(pred, what):
    for _ in range(200):
        if pred():
            return
        time.sleep(0.01)
    sys.exit(f"{what} did not happen")

keep = []
l4 = listener(socket.AF_INET, "127.0.0.1", 16)
l6 = listener(socket.AF_INET6, "::1", 8)
keep += [l4, l6]
note("listen4", l4.getsockname()[1])
note("listen6", l6.getsockname()[1])

# ESTABLISHED both ways, 5 bytes unread at the server (its Recv-Q).
c, a = pair(l4, socket.AF_INET, "127.0.0.1")
c.send(b"hello")
keep += [c, a]
note("estab", c.getsockname()[1])
c6, a6 = pair(l6, socket.AF_INET6, "::1")
keep += [c6, a6]

# TIME_WAIT at the client, which closes first.
c, a = pair(l4, socket.AF_INET, "127.0.0.1")
note("timewait", c.getsockname()[1])
c.close()
settle(lambda: a.recv(1) == b"", "the client's FIN")
a.close()

# FIN_WAIT_2 at the client (it shuts its sending side), CLOSE_WAIT at
# the server (which never closes).
c, a = pair(l4, socket.AF_INET, "127.0.0.1")
note("finwait2", c.getsockname()[1])
c.shutdown(socket.SHUT_WR)
settle(lambda: a.recv(1) == b"", "the client's FIN")
keep += [c, a]

# Piles for the advice: 100 TIME_WAIT toward 127.0.0.1:listen4 (short
# connections closed by the client), 10 CLOSE_WAIT (a server that never
# closes), 100 SYN_RECEIVED (handshakes whose last ACK is dropped).
for _ in range(100):
    c, a = pair(l4, socket.AF_INET, "127.0.0.1")
    c.close()
    settle(lambda: a.recv(1) == b"", "the client's FIN")
    a.close()
for _ in range(10):
    c, a = pair(l4, socket.AF_INET, "127.0.0.1")
    c.close()
    keep.append(a)
syn = socket.socket()
syn.bind(("127.0.0.1", int(sys.argv[2])))
syn.listen(512)
keep.append(syn)
for _ in range(100):
    c = socket.socket()
    c.connect(("127.0.0.1", int(sys.argv[2])))
    keep.append(c)

# A full accept queue: listen(1), two connections never accepted.
full = listener(socket.AF_INET, "127.0.0.1", 1)
note("full", full.getsockname()[1])
keep.append(full)
for _ in range(2):
    c = socket.socket()
    c.connect(full.getsockname())
    keep.append(c)

# UDP: one unconnected with 3 datagrams queued, one connected.
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
note("udp", u.getsockname()[1])
uc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
uc.connect(u.getsockname())
for _ in range(3):
    uc.send(b"x" * 100)
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u6.bind(("::", 0))
keep += [u, uc, u6]

out.write("ready\n")
out.close()
time.sleep(60)  # stopped by the suite long before
EOF

# The comparison: pktlens's JSON rows against ss's, as sorted tuples of
# (proto, state, recv_q, send_q, local, peer); prints the differences.
# Arguments: pktlens's JSON, ss -t's and ss -u's lines, and the state
# ss's lines are in when ss names one state and so leaves it out.
cat > "$tmp/compare.py" <<'EOF'
import json, re, sys

SS_STATES = {"ESTAB": "ESTABLISHED", "SYN-SENT": "SYN_SENT", "SYN-RECV": "SYN_RECEIVED",
             "FIN-WAIT-1": "FIN_WAIT_1", "FIN-WAIT-2": "FIN_WAIT_2", "TIME-WAIT": "TIME_WAIT",
             "UNCONN": "UNCONN", "CLOSE-WAIT": "CLOSE_WAIT", "LAST-ACK": "LAST_ACK",
             "LISTEN": "LISTEN", "CLOSING": "CLOSING"}

def ss_end(text):
    # "0.0.0.0:*" -> "0.0.0.0:0"; "%dev" dropped; "*:53" is an IPv6
    # socket bound to every address that takes IPv4 too: "[::]:53".
    host, port = text.rsplit(":", 1)
    host = re.sub(r"%[^\]]*", "", host)
    if host == "*":
        host = "[::]"
    return f"{host}:{0 if port == '*' else int(port)}"

def ss_rows(path, proto, state):
    # ss leaves the state column out when the filter names one state.
    rows = []
    for line in open(path):
        f = line.split()
        if not f:
            continue
        if f[0][0].isdigit():
            f.insert(0, state)
        rows.append((proto, SS_STATES[f[0]], int(f[1]), int(f[2]), ss_end(f[3]), ss_end(f[4])))
    return rows

ours, counts = [], None
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("kind") == "counts":
        counts = o
        continue
    ours.append((o["proto"], o["state"], o["recv_q"], o["send_q"], o["local"], o["peer"]))
state = sys.argv[4] if len(sys.argv) > 4 else None
theirs = ss_rows(sys.argv[2], "tcp", state) + ss_rows(sys.argv[3], "udp", state)
bad = False
for r in sorted(set(theirs) - set(ours)):
    print("  only in ss:     ", r); bad = True
for r in sorted(set(ours) - set(theirs)):
    print("  only in pktlens:", r); bad = True
if len(ours) != len(theirs):
    print(f"  {len(ours)} rows, ss has {len(theirs)}"); bad = True
if counts is None or counts["sockets"] != len(ours):
    print("  no counts record, or a wrong total"); bad = True
else:
    per = {}
    for r in ours:
        per.setdefault(r[0], {}).setdefault(r[1], 0)
        per[r[0]][r[1]] += 1
    if per.get("tcp", {}) != counts["tcp"] or per.get("udp", {}) != counts["udp"]:
        print("  the counts are not the rows'"); bad = True
sys.exit(1 if bad else 0)
EOF

in_ns "$PY" "$tmp/open.py" "$tmp/ports" "$SYN_PORT" > "$tmp/helper.log" 2>&1 &
pkl_track $!
for _ in $(seq 200); do grep -qx ready "$tmp/ports" 2>/dev/null && break; sleep 0.05; done
pkl_track "$(sed -n 's/^pid=//p' "$tmp/ports")"
if ! grep -qx ready "$tmp/ports" 2>/dev/null; then
	bad "the helper did not open its sockets: $(cat "$tmp/helper.log")"
	echo "sockets: $pass passed, $fail failed, $skip skipped"
	exit 1
fi
port() { sed -n "s/^$1=//p" "$tmp/ports"; }
L4=$(port listen4) L6=$(port listen6) TW=$(port timewait) FW=$(port finwait2)
FULL=$(port full) UDP=$(port udp) EST=$(port estab)

# compare NAME [pktlens options] -- [ss filter]: one snapshot of each,
# taken back to back (the sockets do not move meanwhile).  SS_STATE: the
# state of ss's lines when its filter names only one.
compare() {
	local name=$1; shift
	local opts=() filter=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	filter=("$@")
	in_ns "$P" sockets --json "${opts[@]}" > "$tmp/$name.json" 2> "$tmp/$name.err" &&
		in_ns ss -tanH "${filter[@]}" > "$tmp/$name.tcp" &&
		in_ns ss -uanH "${filter[@]}" > "$tmp/$name.udp" &&
		"$PY" "$tmp/compare.py" "$tmp/$name.json" "$tmp/$name.tcp" "$tmp/$name.udp" \
			${SS_STATE:+"$SS_STATE"}
}
# ss with -t or -u only: the other protocol's file left empty.
only() {   # only NAME tcp|udp [pktlens options] -- ss filter
	local name=$1 proto=$2; shift 2
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	: > "$tmp/$name.tcp"; : > "$tmp/$name.udp"
	in_ns "$P" sockets --json "${opts[@]}" > "$tmp/$name.json" &&
		in_ns ss -${proto:0:1}anH "$@" > "$tmp/$name.$proto" &&
		"$PY" "$tmp/compare.py" "$tmp/$name.json" "$tmp/$name.tcp" "$tmp/$name.udp"
}

check "every socket as ss -tanH and ss -uanH list them" compare all
SS_STATE=TIME-WAIT check "--state time-wait as ss state time-wait" \
	compare tw --state time-wait -- state time-wait
check "--state listen,close-wait as ss's" \
	compare lcw --state LISTEN --state close_wait -- state listening state close-wait
check "--state connected as ss's" compare conn --state connected -- state connected
check "--port as ss's sport or dport" \
	compare port --port "$L4" -- "( sport = :$L4 or dport = :$L4 )"
check "-t as ss -tanH" only tcp tcp -t --
check "-u -6 as ss -uanH -6" only udp6 udp -u -6 -- -6
check "-4 --port as ss -4" compare v4 -4 --port "$UDP" -- -4 "( sport = :$UDP or dport = :$UDP )"

# The states the helper made, each where it belongs.
has() {   # has JQ-CONDITION: some row of the full listing meets it
	jq -se "map(select(.kind == \"socket\" and ($1))) | length > 0" "$tmp/all.json" >/dev/null
}
check "LISTEN on IPv4 and IPv6" has ".state == \"LISTEN\" and (.local == \"127.0.0.1:$L4\" or .local == \"[::1]:$L6\")"
check "the listener's backlog as its Send-Q" has ".state == \"LISTEN\" and .local == \"127.0.0.1:$L4\" and .send_q == 16"
check "ESTABLISHED with 5 unread bytes at the server" \
	has ".state == \"ESTABLISHED\" and .peer == \"127.0.0.1:$EST\" and .recv_q == 5"
check "TIME_WAIT at the client that closed first, with its timer" \
	has ".state == \"TIME_WAIT\" and .local == \"127.0.0.1:$TW\" and .timer == \"timewait\" and .timer_s > 50 and .timer_s <= 60"
check "no TIME_WAIT at the server" \
	bash -c "! jq -se 'map(select(.state == \"TIME_WAIT\" and .peer == \"127.0.0.1:$TW\")) | length > 0' '$tmp/all.json' >/dev/null"
check "FIN_WAIT_2 at the client that shut down" has ".state == \"FIN_WAIT_2\" and .local == \"127.0.0.1:$FW\""
check "CLOSE_WAIT at the server" has ".state == \"CLOSE_WAIT\" and .peer == \"127.0.0.1:$FW\""
check "the full accept queue: 2 waiting, backlog 1" \
	has ".state == \"LISTEN\" and .local == \"127.0.0.1:$FULL\" and .recv_q == 2 and .send_q == 1"
check "UDP unconnected with 3 datagrams queued" \
	has ".proto == \"udp\" and .state == \"UNCONN\" and .local == \"127.0.0.1:$UDP\" and .recv_q > 0"
check "UDP connected" has ".proto == \"udp\" and .state == \"ESTABLISHED\" and .peer == \"127.0.0.1:$UDP\""
check "IPv6 wildcard as [::]:port" has ".proto == \"udp\" and (.local | test(\"^\\\\[::\\\\]:[0-9]+$\"))"
# The timers: the same kind on the same sockets as ss -o (taken back to
# back: every timer here lasts long past the moment between them).
cat > "$tmp/timers.py" <<'EOF'
import json, re, sys
def end(t):
    host, port = t.rsplit(":", 1)
    return f"{'[::]' if host == '*' else host}:{0 if port == '*' else port}"
ours = {(o["local"], o["peer"], o["timer"]) for o in map(json.loads, open(sys.argv[1]))
        if o["kind"] == "socket"}
theirs = set()
for line in open(sys.argv[2]):
    f = line.split()
    m = re.search(r"timer:\((\w+),", line)
    theirs.add((end(f[3]), end(f[4]), m.group(1) if m else None))
for r in sorted(theirs ^ ours, key=str):
    print("  ", "ss:     " if r in theirs else "pktlens:", r)
sys.exit(theirs != ours)
EOF
in_ns "$P" sockets -t --json > "$tmp/timers.json"
in_ns ss -tanoH > "$tmp/timers.ss"
check "the timers ss -o shows, on the same sockets" "$PY" "$tmp/timers.py" "$tmp/timers.json" "$tmp/timers.ss"
check "timer and timer_s both set or both null" \
	jq -se 'map(select(.kind == "socket" and ((.timer == null) != (.timer_s == null)))) | length == 0' "$tmp/all.json" >/dev/null

# The TIME_WAIT timer as ss -o counts it, within the second between them.
ss_tw=$(in_ns ss -tanoH state time-wait | sed -n 's/.*timer:(timewait,\([0-9.]*\)sec.*/\1/p' | head -1)
our_tw=$(in_ns "$P" sockets --json --state time-wait | jq -s 'map(select(.kind == "socket"))[0].timer_s')
check "the TIME_WAIT timer as ss -o's ($our_tw s, ss $ss_tw s)" \
	"$PY" -c "import sys; sys.exit(abs(float('$our_tw') - float('${ss_tw:-0}')) > 2)"

# The advice and the text view.
advice() {   # advice WHAT PATTERN: the counts record holds that advice
	jq -se "last | .kind == \"counts\" and (.advice | map(select(.what == \"$1\" and (.text | test(\"$2\")))) | length == 1)" "$tmp/all.json" >/dev/null
}
check "advice: the full accept queue" advice accept_queue_full "127.0.0.1:$FULL is full"
check "advice: TIME_WAIT piling up toward one peer" advice time_wait_pile "^10[0-9] sockets in TIME_WAIT toward 127.0.0.1:"
check "advice: CLOSE_WAIT piling up" advice close_wait_pile "^1[0-9] sockets in CLOSE_WAIT"
check "advice: SYN_RECEIVED piling up, with tcp_syncookies" \
	advice syn_recv_pile "^100 connections in SYN_RECEIVED: .*tcp_syncookies is [012]"
in_ns "$P" sockets > "$tmp/text" 2>&1
[ "${PKL_SOCKETS_SHOW:-}" = 1 ] && cat "$tmp/text"
check "the text view: header, a row per socket, counts, advice" \
	bash -c "head -1 '$tmp/text' | grep -q '^Proto State *Recv-Q Send-Q Local *Peer *Timer$' &&
		 [ \$(grep -cE '^(tcp|udp) ' '$tmp/text') = \$(jq -s 'map(select(.kind == \"socket\")) | length' '$tmp/all.json') ] &&
		 grep -q 'TIME_WAIT *0 *0 *127.0.0.1:$TW .* timewait [0-9.]* s' '$tmp/text' &&
		 grep -qE '^[0-9]+ sockets; tcp: .*TIME_WAIT.*; udp: ' '$tmp/text' &&
		 grep -q '^advice: the accept queue of 127.0.0.1:$FULL is full' '$tmp/text'"

# No privilege needed: the same table as nobody.
cp "$P" "$tmp/pktlens" && chmod 755 "$tmp/pktlens"
in_ns setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/pktlens" sockets --json \
	> "$tmp/nobody.json" 2> "$tmp/nobody.err"
in_ns ss -tanH > "$tmp/nobody.tcp"; in_ns ss -uanH > "$tmp/nobody.udp"
check "as nobody, the same table as ss" "$PY" "$tmp/compare.py" "$tmp/nobody.json" "$tmp/nobody.tcp" "$tmp/nobody.udp"

# Usage errors: one sentence, exit 2.
in_ns "$P" sockets --state nonsense > /dev/null 2> "$tmp/err"; rc=$?
check "a bad --state: exit 2 with a sentence" bash -c "[ $rc = 2 ] && grep -q \"not 'nonsense'\" '$tmp/err'"
in_ns "$P" sockets --port 70000 > /dev/null 2>&1; rc=$?
check "a bad --port: exit 2" [ "$rc" = 2 ]

echo "sockets: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
