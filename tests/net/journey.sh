#!/bin/bash
# End-to-end test of `pktlens demo journey`: the lab (pkl-lab-*
# namespaces, built and removed by the demo itself), one web request
# from the client through the masquerading router, its facts checked in
# --json: the client ARPs for its gateway only; the address in the DNS
# answer is the one it connects to; every outside frame has an inside
# twin whose rewritten address and port match a conntrack entry of the
# router; no pkl-lab-* namespace is left.  About ten seconds.
# Run it as: flock /tmp/pkl-net.lock tests/net/journey.sh
set -u
cd "$(dirname "$0")/../.."
P=${PKTLENS:-$(pwd)/pktlens}
SUITE=${PKL_SUITE:-journey}
. tools/netns.sh
pkl_netns_begin pkl-journey || exit 1
tmp=$PKL_TMP

. tests/lib.sh
jqs() { jq -se "$@" > /dev/null; }   # jqs FILTER [ARGS] FILE: true over all records
lab_left() { ip netns list | grep -c '^pkl-lab-'; }

if [ "$(id -u)" != 0 ]; then
	bad "the lab needs root (network namespaces)"
	finish
fi
if ! pkl_lab_claim "$P"; then
	bad "a lab is up already (pktlens lab down first): not touching it"
	finish
fi
# The lab is removed by the demo; should it fail half-way, here.
trap '"$P" lab down > /dev/null 2>&1; pkl_netns_cleanup' EXIT

# A sandbox's own network may be one of the lab's documentation ranges:
# the lab is in namespaces of its own either way (lab.h).
if ip -4 addr show | grep -qE 'inet (203\.0\.113|198\.51\.100)\.'; then
	export PKTLENS_LAB_OVERLAP=allow
fi
timeout 60 "$P" demo journey --json --pace 0 \
	> "$tmp/j.out" 2> "$tmp/j.err"
rc=$?
out=$tmp/j.out
check "exit 0 ($rc: $(head -c 300 "$tmp/j.err"))" [ "$rc" = 0 ]
check "every line is JSON" jqs . "$out"
check "every record names its netns" \
	jqs 'map(select(.kind == "syscall" or .kind == "kernel" or .kind == "nat" or has("frame.number"))) | length > 20 and all(has("netns"))' "$out"

# The client's ARP: requests for its gateway, none for anything else.
check "the client ARPs for its gateway" \
	jqs 'map(select(.netns == "pkl-lab-client" and ."arp.opcode" == 1)) | length >= 1 and all(."arp.dst.proto_ipv4" == "203.0.113.1")' "$out"
check "the client never ARPs for the DNS or web server" \
	jqs 'map(select(.netns == "pkl-lab-client" and has("arp.opcode"))) | all(."arp.dst.proto_ipv4" != "198.51.100.53" and ."arp.dst.proto_ipv4" != "198.51.100.80")' "$out"

# The DNS answer, as the client's capture decodes it, names the address
# the client then connects to.
answer=$(jq -sr '[.[] | select(.netns == "pkl-lab-client" and ."dns.flags.response" == true)][0]."dns.a"' "$out")
check "the client's capture decodes a DNS answer with an A record ($answer)" \
	[ -n "$answer" ] && [ "$answer" != null ]
check "the client connects to the answered address" \
	jqs --arg a "$answer" 'map(select(.kind == "syscall" and .call == "connect" and .netns == "pkl-lab-client")) | length == 1 and .[0].args == ($a + ":80") and .[0].result == 0' "$out"
check "the client's SYN goes to the answered address" \
	jqs --arg a "$answer" 'map(select(.netns == "pkl-lab-client" and ."tcp.flags" == 2)) | length >= 1 and all(."ip.dst" == $a)' "$out"
check "the HTTP request and response are named" \
	jqs 'map(select(.netns == "pkl-lab-outside")) | any(."http.request.method" == "GET") and any(."http.response.code" == 200)' "$out"

# Every outside TCP/UDP frame paired with an inside twin; each pair's
# rewrite in a conntrack entry of the router, and that pair's frames
# say the same addresses and ports.
check "every outside UDP/TCP frame has a pair record" \
	jqs '(map(select(.netns == "pkl-lab-outside" and (has("udp.srcport") or has("tcp.srcport")))) | map(."frame.number") | sort) == (map(select(.kind == "nat")) | map(.outside_frame) | sort)' "$out"
check "every rewrite is confirmed by the router's conntrack" \
	jqs 'map(select(.kind == "nat")) | length >= 10 and all(.conntrack and .netns == "pkl-lab-router")' "$out"
python3 - "$out" > "$tmp/pairs.txt" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
frames = {(r["netns"], r["frame.number"]): r for r in recs if "frame.number" in r}
ct = [r for r in recs if r.get("kind") == "kernel" and r.get("what") == "conntrack"]
bad = 0
for p in (r for r in recs if r.get("kind") == "nat"):
    o = frames[("pkl-lab-outside", p["outside_frame"])]
    i = frames[("pkl-lab-client", p["inside_frame"])]
    t = "tcp" if "tcp.srcport" in o else "udp"
    def ep(f, side):
        return "%s:%s" % (f["ip." + side], f[t + "." + ("srcport" if side == "src" else "dstport")])
    side = "src" if p["direction"] == "out" else "dst"
    far = "dst" if side == "src" else "src"
    ok = (ep(i, side) == p["inside"] and ep(o, side) == p["outside"] and
          ep(o, far) == ep(i, far) == p["remote"] and
          any(c["proto"] == t and c["orig_src"] == p["inside"] and c["orig_dst"] == p["remote"]
              and c["reply_dst"] == p["outside"] and c["snat"] for c in ct))
    if not ok:
        bad += 1
        print("pair", p, "does not match its frames or conntrack")
print("mismatched", bad)
PY
check "each pair's frames and conntrack entry agree ($(tail -n 1 "$tmp/pairs.txt"))" \
	grep -qx 'mismatched 0' "$tmp/pairs.txt"

check "no pkl-lab-* namespace remains ($(lab_left) left)" [ "$(lab_left)" = 0 ]
finish
