#!/usr/bin/env bash
# pktlens benchmark driver (called by `make bench`, also works standalone).
#
#   bench/run.sh
#
# Knobs (environment):
#   BENCH_SECTIONS  which sections to run              (default "views conns collide ping syn")
#   BENCH_PING_ROUNDS, BENCH_PING_COUNT  rounds of the ping section and
#                 requests per run                      (default 5, 200)
#   BENCH_FRAMES  frames in the synthetic capture      (default 1000000)
#   BENCH_CONNS   TCP connections in the capture       (default 14000)
#   BENCH_CT_FRAMES, BENCH_CT_CONNS  frames and TCP connections of the
#                 capture of the conns section          (default 1000000, 100000)
#   BENCH_CT_CAP  --max-conns of the memory-bound runs  (default 10000)
#   BENCH_SCAN_CONNS  lone-SYN connections of the memory-bound capture
#                 (default 1000000)
#   BENCH_ROUNDS  rounds; every command runs once per round (default 3)
#   BENCH_CT_REPEAT  runs per round of the conns section's short commands
#                 (bare loop, pktlens), against one of tshark, and of the
#                 bare loop and stats on the 1M-frame file (default 3)
#   BENCH_SLICE_REPEAT  the same for the commands on the 20k-frame slice
#                 other than tshark (default 5: each takes a tenth of a second)
#   BENCH_COLLIDE  SYNs of the collide section's captures (default 240000)
#   BENCH_SEED    gencap seed                          (default 1)
#   PKTLENS       pktlens binary to measure            (default ./pktlens)
#   CC            compiler for gencap/pcaploop if they need building (cc)
#   BENCH_MEASURE=python  measure with the python3 fallback even when GNU
#                 time (/usr/bin/time) is installed
#
# Section "views": generates bench/out/mixed-1m.pcap and
# bench/out/slice-20k.pcap (its first 20000 frames) for the frame views
# against tcpdump and tshark.  Section "conns": generates
# bench/out/conns-1m-c100k.pcap (1M frames over 100k TCP connections, each
# with its handshake, data and close or reset) for `pktlens conns` against
# `tshark -q -z conv,tcp`, then runs the memory-bound checks, once each:
# --max-conns BENCH_CT_CAP on that capture and on
# bench/out/syn-1250k-c1m.pcap (1M connections that never close, one SYN
# each: only the cap bounds the table), with peak RSS and the evictions
# reported on standard error; and `read -q` over that lone-SYN capture
# with all of them in the table (--max-conns 1048576), against the bare loop and tcpdump -nn
# (BENCH_CT_REPEAT runs of the two short ones, taking turns, one of
# tcpdump), for its peak RSS and speed.  Captures are reused while their parameters
# and gencap.c are unchanged.  Section "collide": bench/out/collide-240k.pcap,
# SYNs that tests/collide.py built to collide under each earlier hash of
# the connection table (one connection each: all of them chained in a
# few buckets there, every lookup a walk), against
# bench/out/lone-240k.pcap, as many ordinary lone SYNs of the same shapes:
# `read -q` over each, BENCH_CT_REPEAT times, taking turns; the colliding
# ones must take no more than twice as long (linear time, as the issue
# asks; 240k of them took 628 s unseeded, 27 s seeded).  Every command of the rounds runs once per
# round (the short ones on the slice and in the conns section
# BENCH_SLICE_REPEAT and BENCH_CT_REPEAT times, taking turns), in
# rotating order, with stdout to /dev/null; the report gives
# median frames/s, time relative to the bare libpcap loop on the same
# file, peak RSS, and the target ratios.  Section "syn" runs
# bench/syn-scan.sh first: `pktlens syn -q` and `nmap -sS` over all 65535
# ports of a host in a namespace lab of its own, taking turns (root, nmap
# and nft).  Exit status is 0 even when a target fails: this is a
# benchmark, not a test.

set -u
cd "$(dirname "$0")/.." || exit 1

SECTIONS=${BENCH_SECTIONS:-views conns collide ping syn}
FRAMES=${BENCH_FRAMES:-1000000}
CONNS=${BENCH_CONNS:-14000}
CT_FRAMES=${BENCH_CT_FRAMES:-1000000}
CT_CONNS=${BENCH_CT_CONNS:-100000}
CT_CAP=${BENCH_CT_CAP:-10000}
SCAN_CONNS=${BENCH_SCAN_CONNS:-1000000}
ROUNDS=${BENCH_ROUNDS:-3}
CT_REPEAT=${BENCH_CT_REPEAT:-3}
SLICE_REPEAT=${BENCH_SLICE_REPEAT:-5}
COLLIDE=${BENCH_COLLIDE:-240000}
SEED=${BENCH_SEED:-1}
PKTLENS=${PKTLENS:-./pktlens}
CC=${CC:-cc}
SLICE_FRAMES=20000
OUT=bench/out
GENCAP=bench/gencap
PCAPLOOP=bench/pcaploop

die() { echo "bench: $*" >&2; exit 1; }
for v in FRAMES CONNS CT_FRAMES CT_CONNS CT_CAP SCAN_CONNS COLLIDE ROUNDS CT_REPEAT SLICE_REPEAT SEED; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "BENCH_$v must be a number (got '${!v}')"
done
(( ROUNDS >= 1 && CT_REPEAT >= 1 && SLICE_REPEAT >= 1 )) ||
    die "BENCH_ROUNDS, BENCH_CT_REPEAT and BENCH_SLICE_REPEAT must be >= 1"
(( FRAMES >= 1 && CT_FRAMES >= 1 )) || die "BENCH_FRAMES and BENCH_CT_FRAMES must be >= 1"
(( CT_CAP >= 1 && SCAN_CONNS >= 1 )) || die "BENCH_CT_CAP and BENCH_SCAN_CONNS must be >= 1"
(( COLLIDE >= 2 )) || die "BENCH_COLLIDE must be >= 2"
want() { [[ " $SECTIONS " == *" $1 "* ]]; }
want views || want conns || want collide || want ping || want syn ||
    die "BENCH_SECTIONS names no section (views, conns, collide, ping, syn): '$SECTIONS'"

# Section "syn": `pktlens syn` and `nmap -sS` over every port of a host in
# a namespace lab of its own (bench/syn-scan.sh says how).
if want syn; then
    PKTLENS=$PKTLENS BENCH_ROUNDS=$ROUNDS bench/syn-scan.sh
    want views || want conns || want collide || want ping || exit 0
    echo
fi

mkdir -p "$OUT"
ERRLOG=$OUT/bench-stderr.log
: > "$ERRLOG"

# ---------------------------------------------------------------- ping
# Section "ping": `pktlens ping -q --json -c 200 -i 0.01 --flood-ok`
# against iputils `ping -c 200 -i 0.01` over the same veth, between two
# network namespaces of the bench's own (deleted by name on exit),
# taking turns for BENCH_PING_ROUNDS rounds (default 5; who goes first
# alternates).  pktlens times a round trip from the kernel's capture
# timestamps of the request and the reply; ping from the time it wrote
# into the request before sending it to the reply's socket timestamp, so
# it also counts the way down through the kernel: pktlens's median
# should not be above ping's.  The round trips come one by one from
# pktlens's {"kind": "reply"} records and from ping's reply lines (ping
# runs without -q for them: -q prints only the summary).  Needs root.
if want ping; then (
    PING_ROUNDS=${BENCH_PING_ROUNDS:-5}
    PING_COUNT=${BENCH_PING_COUNT:-200}
    [[ $PING_ROUNDS =~ ^[1-9][0-9]*$ && $PING_COUNT =~ ^[1-9][0-9]*$ ]] ||
        die "BENCH_PING_ROUNDS and BENCH_PING_COUNT must be numbers >= 1"
    echo
    echo "ping: pktlens ping and iputils ping, $PING_COUNT requests 10 ms apart, $PING_ROUNDS rounds each, taking turns:"
    [[ -x $PKTLENS ]] || { echo "  FAIL  ping: not measured: $PKTLENS not found"; exit 0; }
    command -v ping > /dev/null || { echo "  FAIL  ping: not measured: iputils ping not installed"; exit 0; }
    . tools/netns.sh
    pkl_netns_begin pkl-bench-ping || exit 0
    ns_a=pkl-bping-a ns_b=pkl-bping-b
    if [[ $(id -u) != 0 ]] || ! pkl_netns_add $ns_a $ns_b; then
        echo "  FAIL  ping: not measured: cannot create network namespaces (needs root)"
        exit 0
    fi
    ip link add bp0 netns $ns_a type veth peer name bp1 netns $ns_b
    for ns in $ns_a $ns_b; do
        ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
        ip netns exec $ns ip link set lo up
    done
    ip netns exec $ns_a ip addr add 10.79.1.1/24 dev bp0
    ip netns exec $ns_b ip addr add 10.79.1.2/24 dev bp1
    ip netns exec $ns_a ip link set bp0 up
    ip netns exec $ns_b ip link set bp1 up
    # The kernel's neighbour entry first, so that ping's first request
    # does not wait for ARP (pktlens asks before its first request).
    ip netns exec $ns_a ping -c 1 -W 2 10.79.1.2 > /dev/null
    pktlens_run() {
        ip netns exec $ns_a timeout 60 "$PKTLENS" ping -q --json -c "$PING_COUNT" -i 0.01 \
            --flood-ok 10.79.1.2 > "$PKL_TMP/out" 2>> "$ERRLOG"
        sed -n 's/^{"kind":"reply",.*"ms":\([0-9.]*\),"dup":false}$/\1/p' "$PKL_TMP/out"
    }
    iputils_run() {
        ip netns exec $ns_a timeout 60 ping -c "$PING_COUNT" -i 0.01 10.79.1.2 \
            > "$PKL_TMP/out" 2>> "$ERRLOG"
        sed -n 's/^[0-9]* bytes from .* time=\([0-9.]*\) ms$/\1/p' "$PKL_TMP/out"
    }
    : > "$PKL_TMP/pktlens"; : > "$PKL_TMP/iputils"
    for (( r = 1; r <= PING_ROUNDS; r++ )); do
        order="pktlens iputils"; (( r % 2 == 0 )) && order="iputils pktlens"
        printf 'bench: ping round %d/%d:' "$r" "$PING_ROUNDS"
        for tool in $order; do
            ${tool}_run > "$PKL_TMP/round"
            cat "$PKL_TMP/round" >> "$PKL_TMP/$tool"
            printf ' %s (%d replies, median %s ms)' "$tool" "$(wc -l < "$PKL_TMP/round")" \
                "$(sort -g "$PKL_TMP/round" | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }')"
        done
        echo
    done
    # quantiles FILE: "n min p25 median p75 max mean" of its numbers
    quantiles() {
        sort -g "$1" | awk '{ v[NR] = $1; s += $1 }
            function q(p) { return v[int(p * (NR - 1) + 1.5)] }
            END { if (NR) printf "%d %.3f %.3f %.3f %.3f %.3f %.4f\n", NR, v[1], q(0.25), q(0.5), q(0.75), v[NR], s / NR
                  else print "0" }'
    }
    printf '  %-24s %8s %8s %8s %8s %8s %8s %8s\n' "ms per round trip" replies min p25 median p75 max mean
    for tool in pktlens iputils; do
        read -r n min p25 med p75 max mean <<< "$(quantiles "$PKL_TMP/$tool")"
        label="pktlens ping"; [[ $tool == iputils ]] && label="iputils ping"
        printf '  %-24s %8s %8s %8s %8s %8s %8s %8s\n' "$label" "$n" "${min:--}" "${p25:--}" \
            "${med:--}" "${p75:--}" "${max:--}" "${mean:--}"
        eval "med_$tool=\${med:-}; n_$tool=\$n"
    done
    expected=$(( PING_ROUNDS * PING_COUNT ))
    echo " (all rounds together: $expected requests each; the spread is min, p25-p75 and max)"
    if [[ -z $med_pktlens || -z $med_iputils ]]; then
        echo "  FAIL  ping: not measured: no replies (see $ERRLOG)"
    else
        ok=$(awk -v a="$med_pktlens" -v b="$med_iputils" 'BEGIN { print (a <= b) ? 1 : 0 }')
        verdict=FAIL; (( ok )) && verdict=PASS
        printf '  %s  %-48s %s\n' "$verdict" "pktlens ping median <= iputils ping median" \
            "$med_pktlens vs $med_iputils ms ($n_pktlens and $n_iputils of $expected replies)"
    fi
) fi
want views || want conns || exit 0


# ---------------------------------------------------------------- build
CFLAGS_BENCH="-std=c11 -O2 -Wall -Wextra -Werror"  # word-split on purpose
if [[ ! -x $GENCAP || bench/gencap.c -nt $GENCAP ]]; then
    echo "bench: building $GENCAP"
    $CC $CFLAGS_BENCH -o "$GENCAP" bench/gencap.c || die "cannot build $GENCAP"
fi
if [[ ! -x $PCAPLOOP || bench/pcaploop.c -nt $PCAPLOOP ]]; then
    echo "bench: building $PCAPLOOP"
    $CC $CFLAGS_BENCH -o "$PCAPLOOP" bench/pcaploop.c -lpcap ||
        die "cannot build $PCAPLOOP (libpcap-dev installed?)"
fi

# ---------------------------------------------------------------- input
label() { # 1000000 -> 1m, 20000 -> 20k
    local n=$1
    if (( n % 1000000 == 0 )); then echo "$((n / 1000000))m"
    elif (( n % 1000 == 0 )); then echo "$((n / 1000))k"
    else echo "$n"; fi
}
# gen FILE FRAMES CONNS: write FILE with gencap, unless it was written
# from the same parameters and gencap.c
gen() {
    local file=$1 frames=$2 conns=$3 t0 t1
    local stamp="frames=$frames conns=$conns seed=$SEED gencap=$(cksum < bench/gencap.c | cut -d' ' -f1)"
    if [[ -f $file && -f $file.params && $(cat "$file.params") == "$stamp" ]]; then
        echo "bench: reusing $file"
        return
    fi
    echo "bench: generating $file ($frames frames, $conns TCP connections)"
    rm -f "$file" "$file.params"
    t0=$(date +%s%N)
    $GENCAP -n "$frames" -c "$conns" -s "$SEED" "$file" || die "gencap failed"
    t1=$(date +%s%N)
    awk -v ns=$((t1 - t0)) -v n="$frames" 'BEGIN {
        printf "bench: gencap took %.2f s (%.2f M frames/s)\n", ns/1e9, n/(ns/1e9)/1e6 }'
    echo "$stamp" > "$file.params"
}
count_frames() { "$PCAPLOOP" "$1" | sed -n 's/^frames=\([0-9]*\) .*/\1/p'; }
seed_suffix=""; [[ $SEED != 1 ]] && seed_suffix="-s$SEED"

if want views; then
    NAME="mixed-$(label "$FRAMES")"
    [[ $CONNS != 14000 ]] && NAME+="-c$CONNS"
    NAME+=$seed_suffix
    FILE=$OUT/$NAME.pcap
    SLICE=$OUT/slice-$(label $SLICE_FRAMES).pcap
    [[ $NAME != mixed-1m ]] && SLICE=$OUT/$NAME-slice-$(label $SLICE_FRAMES).pcap
    gen "$FILE" "$FRAMES" "$CONNS"
    if [[ ! -s $SLICE || $FILE -nt $SLICE ]]; then
        echo "bench: cutting $SLICE (first $SLICE_FRAMES frames)"
        if command -v editcap >/dev/null; then
            editcap -F pcap -r "$FILE" "$SLICE" "1-$SLICE_FRAMES" || die "editcap failed"
        else
            tcpdump -r "$FILE" -c $SLICE_FRAMES -w "$SLICE" 2>/dev/null || die "slicing failed"
        fi
    fi
    NF_FILE=$(count_frames "$FILE")
    NF_SLICE=$(count_frames "$SLICE")
    [[ -n $NF_FILE && -n $NF_SLICE ]] || die "cannot read the capture files"
fi
if want conns; then
    CT_FILE=$OUT/conns-$(label "$CT_FRAMES")-c$(label "$CT_CONNS")$seed_suffix.pcap
    gen "$CT_FILE" "$CT_FRAMES" "$CT_CONNS"
    # gencap gives TCP 80% of the frames: one frame per connection is a
    # lone SYN each
    SCAN_FRAMES=$(( SCAN_CONNS * 5 / 4 ))
    SCAN_FILE=$OUT/syn-$(label "$SCAN_FRAMES")-c$(label "$SCAN_CONNS")$seed_suffix.pcap
    gen "$SCAN_FILE" "$SCAN_FRAMES" "$SCAN_CONNS"
    NF_CT=$(count_frames "$CT_FILE")
    NF_SCAN=$(count_frames "$SCAN_FILE")
    [[ -n $NF_CT && -n $NF_SCAN ]] || die "cannot read the capture files"
fi
# collide FILE ARGS...: write FILE with tests/collide.py --family both
# ARGS $COLLIDE, unless it was written from the same parameters and script
collide() {
    local file=$1; shift
    local stamp="syns=$COLLIDE args=$* collide=$(cksum < tests/collide.py | cut -d' ' -f1)"
    if [[ -f $file && -f $file.params && $(cat "$file.params") == "$stamp" ]]; then
        echo "bench: reusing $file"
        return
    fi
    echo "bench: writing $file ($COLLIDE SYNs${*:+, $*})"
    rm -f "$file" "$file.params"
    python3 tests/collide.py --family both "$@" "$COLLIDE" "$file" || die "collide.py failed"
    echo "$stamp" > "$file.params"
}
if want collide; then
    COLLIDE_FILE=$OUT/collide-$(label "$COLLIDE").pcap
    LONE_FILE=$OUT/lone-$(label "$COLLIDE").pcap
    collide "$COLLIDE_FILE"
    collide "$LONE_FILE" --plain
fi

# ---------------------------------------------------------------- commands
# id | label | which file (file, slice, conns) | argv (words; paths contain no spaces)
HAVE_PKTLENS=0; [[ -x $PKTLENS ]] && HAVE_PKTLENS=1
HAVE_TCPDUMP=0; command -v tcpdump >/dev/null && HAVE_TCPDUMP=1
HAVE_TSHARK=0;  command -v tshark  >/dev/null && HAVE_TSHARK=1

IDS=()
declare -A CMD LABEL WHICH REPEAT
add() { # id label file|slice|conns need argv...
    local id=$1 lab=$2 which=$3 need=$4; shift 4
    case $need in
        pktlens) (( HAVE_PKTLENS )) || return 0 ;;
        tcpdump) (( HAVE_TCPDUMP )) || return 0 ;;
        tshark)  (( HAVE_TSHARK ))  || return 0 ;;
    esac
    IDS+=("$id"); LABEL[$id]=$lab; WHICH[$id]=$which; CMD[$id]="$*"
}
if want views; then
add bare       "bare loop"                 file  -       "$PCAPLOOP" "$FILE"
add q          "pktlens read -q"           file  pktlens "$PKTLENS" read -q "$FILE"
add default    "pktlens read"              file  pktlens "$PKTLENS" read "$FILE"
add json       "pktlens read --json"       file  pktlens "$PKTLENS" read --json "$FILE"
add stats      "pktlens stats"             file  pktlens "$PKTLENS" stats "$FILE"
add tcpdump    "tcpdump -nn"               file  tcpdump env TZ=UTC tcpdump -nn -r "$FILE"
add tcpdump_v  "tcpdump -nn -v"            file  tcpdump env TZ=UTC tcpdump -nn -v -r "$FILE"
add s_bare     "bare loop"                 slice -       "$PCAPLOOP" "$SLICE"
add s_q        "pktlens read -q"           slice pktlens "$PKTLENS" read -q "$SLICE"
add s_json     "pktlens read --json"       slice pktlens "$PKTLENS" read --json "$SLICE"
add s_tshark   "tshark -n -T json"         slice tshark  env TZ=UTC tshark -n -T json -r "$SLICE"
# A tenth of a second each: taken in turns, several times a round, for
# the reason given for the conns section below; so are the two shortest
# on the file, whose ratio is a target too.
for id in s_bare s_q s_json; do REPEAT[$id]=$SLICE_REPEAT; done
for id in bare stats; do REPEAT[$id]=$CT_REPEAT; done
fi
if want conns; then
add c_bare     "bare loop"                 conns -       "$PCAPLOOP" "$CT_FILE"
add c_conns    "pktlens conns"             conns pktlens "$PKTLENS" conns "$CT_FILE"
add c_json     "pktlens conns --json"      conns pktlens "$PKTLENS" conns --json "$CT_FILE"
add c_tshark   "tshark -q -z conv,tcp"     conns tshark  env TZ=UTC tshark -q -z conv,tcp -r "$CT_FILE"
# A run of these takes under a second, one of tshark a minute's fraction:
# more runs of the short ones, taken in turn (bare, conns, json, bare, ...),
# keep a moment's load on the shared machine from deciding their medians
# or falling on one of them only.
for id in c_bare c_conns c_json; do REPEAT[$id]=$CT_REPEAT; done
fi

# ---------------------------------------------------------------- measuring
# measure RESULTFILE argv... : runs argv with stdout to /dev/null, stderr to
# $ERRLOG; writes "wall_s peak_rss_kib exit_status cpu_s" to RESULTFILE
# (cpu_s = user + system time: shows how much of the wall time was spent
# waiting for a CPU when the machine is busy).
TMPM=$(mktemp "${TMPDIR:-/tmp}/pktlens-bench.XXXXXX") || die "mktemp failed"
trap 'rm -f "$TMPM"' EXIT

if [[ ${BENCH_MEASURE:-} != python ]] && [[ -x /usr/bin/time ]] && /usr/bin/time -f '%M %U %S' -o "$TMPM" true 2>/dev/null &&
   [[ $(tail -n1 "$TMPM") =~ ^[0-9]+\ [0-9.]+\ [0-9.]+$ ]]; then
    MEASURE="GNU time (RSS) + date +%s%N (wall)"
    measure() {
        local res=$1; shift
        local t0 t1 rc
        t0=$(date +%s%N)
        /usr/bin/time -f '%M %U %S' -o "$TMPM" "$@" >/dev/null 2>>"$ERRLOG"
        rc=$?
        t1=$(date +%s%N)
        # (a failing command adds a "Command exited..." line before ours)
        tail -n1 "$TMPM" | awk -v ns=$((t1 - t0)) -v rc=$rc \
            '{ printf "%.6f %d %d %.2f\n", ns / 1e9, $1, rc, $2 + $3 }' > "$res"
    }
elif command -v python3 >/dev/null; then
    MEASURE="python3 (perf_counter, /proc VmHWM sampling, getrusage)"
    measure() {
        local res=$1; shift
        python3 -c '
# ru_maxrss of a child also counts the memory it had before exec(), i.e. a
# copy of this python process, so peak RSS is taken from the VmHWM of the
# exec()ed image, sampled from /proc by a thread (VmHWM never decreases,
# so only growth in the last few ms before exit can be missed).  A run too
# short to be sampled reports 0 (shown as n/a).
import resource, subprocess, sys, threading, time
res, argv = sys.argv[1], sys.argv[2:]
def name(pid):
    with open("/proc/%s/status" % pid) as f:
        for line in f:
            if line.startswith("Name:"):
                return line.split(None, 1)[1].strip()
me, hwm, done = name("self"), [0], threading.Event()
def sample(pid):
    start = time.perf_counter()
    while not done.is_set():
        try:
            with open("/proc/%d/status" % pid) as f:
                st = f.read()
            if "\nName:\t%s\n" % me not in "\n" + st:  # exec() happened
                for line in st.splitlines():
                    if line.startswith("VmHWM:"):
                        hwm[0] = max(hwm[0], int(line.split()[1]))
        except (OSError, ValueError):
            pass
        done.wait(0.001 if time.perf_counter() - start < 0.2 else 0.005)
# (baseline: a python3 launcher such as a pyenv shim may already have
# waited for children of its own before exec()ing this interpreter)
ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.perf_counter()
try:
    p = subprocess.Popen(argv)
    th = threading.Thread(target=sample, args=(p.pid,), daemon=True)
    th.start()
    rc = p.wait()
except OSError as e:
    sys.stderr.write("bench: %s\n" % e)
    rc = 127
wall = time.perf_counter() - t0
done.set()
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
rss = hwm[0]  # KiB
with open(res, "w") as f:
    cpu = ru.ru_utime + ru.ru_stime - ru0.ru_utime - ru0.ru_stime
    f.write("%.6f %d %d %.2f\n" % (wall, rss, rc, cpu))
' "$res" "$@" >/dev/null 2>>"$ERRLOG"
    }
else
    die "need /usr/bin/time (GNU time) or python3 to measure"
fi

# ---------------------------------------------------------------- run
RESULTS=$OUT/results.txt
: > "$RESULTS"
INPUTS=()
want views && INPUTS+=("$FILE" "$SLICE")
want conns && INPUTS+=("$CT_FILE")
want collide && INPUTS+=("$COLLIDE_FILE" "$LONE_FILE")
mib() { echo "$(( $(stat -c %s "$1") / 1048576 )) MiB"; }
want views && echo "bench: views: $NF_FILE frames in $FILE ($(mib "$FILE")), $NF_SLICE in $SLICE"
want conns && echo "bench: conns: $NF_CT frames in $CT_FILE ($(mib "$CT_FILE"))"
want collide && echo "bench: collide: $COLLIDE SYNs in $COLLIDE_FILE and in $LONE_FILE"
(( ${#IDS[@]} )) && echo "bench: $ROUNDS rounds of ${#IDS[@]} commands; measuring with $MEASURE"
cat "${INPUTS[@]}" > /dev/null   # warm the page cache
n=${#IDS[@]}
passes=1
for id in "${IDS[@]}"; do (( ${REPEAT[$id]:-1} > passes )) && passes=${REPEAT[$id]}; done
for (( r = 1; n > 0 && r <= ROUNDS; r++ )); do   # (none: the collide section alone)
    printf 'bench: round %d/%d:' "$r" "$ROUNDS"
    # Pass k runs, in the round's order, every command repeated k times or more.
    for (( k = 1; k <= passes; k++ )); do
        for (( j = 0; j < n; j++ )); do
            id=${IDS[$(( (j + r - 1) % n ))]}   # rotate the order every round
            (( k <= ${REPEAT[$id]:-1} )) || continue
            read -r -a argv <<< "${CMD[$id]}"
            measure "$TMPM.res" "${argv[@]}"
            read -r wall rss rc cpu < "$TMPM.res"
            rm -f "$TMPM.res"
            echo "$id $r $wall $rss $rc $cpu" >> "$RESULTS"
            printf ' %s' "$id"
            (( rc != 0 )) && printf '(exit %d!)' "$rc"
        done
    done
    echo
done

# ---------------------------------------------------------------- report
median() { # id column
    awk -v id="$1" -v c="$2" '$1 == id { print $c }' "$RESULTS" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
                                  else printf "%.6f\n", (v[NR/2] + v[NR/2 + 1]) / 2 }'
}
declare -A MED CPU RSS RC
for id in "${IDS[@]}"; do
    MED[$id]=$(median "$id" 3)
    CPU[$id]=$(median "$id" 6)
    RSS[$id]=$(awk -v id="$id" '$1 == id && $4 > m { m = $4 } END { print m + 0 }' "$RESULTS")
    RC[$id]=$(awk -v id="$id" '$1 == id && $5 != 0 { rc = $5 } END { print rc + 0 }' "$RESULTS")
done

declare -A BASE=([file]=bare [slice]=s_bare [conns]=c_bare)
fps()   { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / t }'; }
nf_of() {
    case ${WHICH[$1]} in
        file) echo "$NF_FILE" ;; slice) echo "$NF_SLICE" ;; conns) echo "$NF_CT" ;;
    esac
}
has()   { [[ -n ${MED[$1]:-} ]]; }

if (( n > 0 )); then
echo
printf '%-7s %-22s %12s %13s %10s %9s %8s\n' "input" "command" "frames/s" "time vs bare" "peak RSS" "wall" "cpu"
printf '%-7s %-22s %12s %13s %10s %9s %8s\n' "-----" "-------" "--------" "------------" "--------" "----" "---"
for id in "${IDS[@]}"; do
    which=${WHICH[$id]}
    note=""; (( ${RC[$id]} != 0 )) && note="  (exit ${RC[$id]}: see $ERRLOG)"
    awk -v w="$which" -v l="${LABEL[$id]}" -v n="$(nf_of "$id")" -v t="${MED[$id]}" \
        -v b="${MED[${BASE[$which]}]}" -v rss="${RSS[$id]}" -v cpu="${CPU[$id]}" -v note="$note" 'BEGIN {
        r = rss > 0 ? sprintf("%7.1f MiB", rss / 1024) : "n/a"
        printf "%-7s %-22s %12.0f %12.2fx %11s %8.3fs %7.2fs%s\n",
               w, l, n / t, t / b, r, t, cpu, note }'
done
want views && echo "(file = $FILE, $NF_FILE frames; slice = $SLICE, $NF_SLICE frames;" &&
    echo " on the file the bare loop and stats run $CT_REPEAT times a round, the others once;" &&
    echo " on the slice the bare loop and pktlens run $SLICE_REPEAT times a round, tshark once;"
want conns && echo "(conns = $CT_FILE, $NF_CT frames over $CT_CONNS IPv4 + some IPv6 TCP connections;" &&
    echo " there the bare loop and pktlens run $CT_REPEAT times a round, tshark once;"
echo " frames/s and 'time vs bare' use the median wall time over $ROUNDS rounds; time vs bare"
echo " = wall / bare-loop wall on the same input; cpu = median user+sys; peak RSS = max over rounds)"
fi
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
[[ -n $load ]] && echo " load average after the runs: $load on $(nproc 2>/dev/null || echo '?') CPUs (cpu << wall means the machine was busy)"

echo
echo "targets:"
verdict() { # description pass(1/0) detail
    if [[ $2 == 1 ]]; then printf '  PASS  %-48s %s\n' "$1" "$3"
    else printf '  FAIL  %-48s %s\n' "$1" "$3"; fi
}
missing() { printf '  FAIL  %-48s %s\n' "$1" "not measured: $2"; }
ratio_target() { # desc id_a id_b factor   (fps(a) >= factor * fps(b))
    local desc=$1 a=$2 b=$3 k=$4
    if ! has "$a"; then missing "$desc" "$PKTLENS not found"; return; fi
    if ! has "$b"; then missing "$desc" "reference tool not installed"; return; fi
    if (( ${RC[$a]} != 0 )); then missing "$desc" "${LABEL[$a]} exited with status ${RC[$a]}"; return; fi
    local fa fb
    fa=$(fps "$(nf_of "$a")" "${MED[$a]}"); fb=$(fps "$(nf_of "$b")" "${MED[$b]}")
    local ok ratio
    ratio=$(awk -v a="$fa" -v b="$fb" 'BEGIN { printf "%.2f", a / b }')
    ok=$(awk -v r="$ratio" -v k="$k" 'BEGIN { print (r >= k) ? 1 : 0 }')
    verdict "$desc" "$ok" "$(printf '%sx (%s vs %s frames/s)' "$ratio" "$fa" "$fb")"
}
rss_target() { # desc id limit_kib
    if ! has "$2"; then missing "$1" "$PKTLENS not found"; return; fi
    if (( RSS[$2] == 0 )); then missing "$1" "RSS not sampled (run too short?)"; return; fi
    verdict "$1" "$(( RSS[$2] < $3 ))" "$(awk -v r="${RSS[$2]}" 'BEGIN { printf "%.1f MiB", r / 1024 }')"
}
if want views; then
ratio_target "read -q       >= 3 x tcpdump -nn"         q       tcpdump   3
ratio_target "read          >= 1.5 x tcpdump -nn -v"    default tcpdump_v 1.5
ratio_target "read --json   >= 100 x tshark -T json (slice)" s_json s_tshark 100
if has stats && (( RC[stats] == 0 )); then
    r=$(awk -v a="${MED[stats]}" -v b="${MED[bare]}" 'BEGIN { printf "%.2f", a / b }')
    ok=$(awk -v r="$r" 'BEGIN { print (r <= 2) ? 1 : 0 }')
    verdict "stats time    <= 2 x bare loop time" "$ok" \
        "${r}x bare (${MED[stats]}s vs ${MED[bare]}s)"
elif has stats; then
    missing "stats time    <= 2 x bare loop time" "pktlens stats exited with status ${RC[stats]}"
else
    missing "stats time    <= 2 x bare loop time" "$PKTLENS not found"
fi
fi
if want conns; then
ratio_target "conns         >= 20 x tshark -q -z conv,tcp"  c_conns c_tshark 20
ratio_target "conns --json  >= 20 x tshark -q -z conv,tcp"  c_json  c_tshark 20
rss_target   "conns         peak RSS < 64 MiB"              c_conns 65536
rss_target   "conns --json  peak RSS < 64 MiB"              c_json  65536
fi

if want views; then
# memory flatness: peak RSS must not grow with the frame count
echo
echo "peak RSS vs frame count ($NF_SLICE -> $NF_FILE frames, x$(awk -v a="$NF_FILE" -v b="$NF_SLICE" 'BEGIN{printf "%.0f", a/b}')):"
rss_row() { # label id_small id_big
    if ! has "$2" || ! has "$3" || (( RSS[$2] == 0 || RSS[$3] == 0 )); then
        printf '  %-22s not measured\n' "$1"; return
    fi
    awk -v l="$1" -v s="${RSS[$2]}" -v b="${RSS[$3]}" 'BEGIN {
        printf "  %-22s %7.1f MiB -> %7.1f MiB  (x%.2f)\n", l, s/1024, b/1024, b/s }'
}
rss_row "bare loop"           s_bare bare
rss_row "pktlens read -q"     s_q    q
rss_row "pktlens read --json" s_json json
for id in default stats; do
    has $id && awk -v l="${LABEL[$id]}" -v b="${RSS[$id]}" 'BEGIN {
        printf "  %-22s %7s        %7.1f MiB\n", l, "", b/1024 }'
done
# The frame views follow every conversation, so their memory grows with
# the conversations alive at once, up to --max-conns (the conns section
# measures that bound); what must not grow is what decoding holds per
# frame: measured with the table capped, once each, outside the rounds.
if [[ -x $PKTLENS ]]; then
    capped_rss() { /usr/bin/time -f %M "$PKTLENS" read -q --max-conns 4096 "$1" 2>&1 >/dev/null | tail -n 1; }
    rss_slice=$(capped_rss "$SLICE") rss_full=$(capped_rss "$FILE")
    printf '  %-26s %7.1f MiB -> %7.1f MiB  (read -q --max-conns 4096)\n' "pktlens, table capped" \
        "$(awk -v k="$rss_slice" 'BEGIN { print k / 1024 }')" "$(awk -v k="$rss_full" 'BEGIN { print k / 1024 }')"
    ok=$(awk -v s="$rss_slice" -v b="$rss_full" 'BEGIN { print (b <= 1.5 * s + 4096) ? 1 : 0 }')
    verdict "pktlens RSS flat in frame count" "$ok" \
        "(criterion: read -q --max-conns 4096 RSS on the full file <= 1.5 x slice RSS + 4 MiB; uncapped, the conversation table adds what the rows above show)"
else
    missing "pktlens RSS flat in frame count" "$PKTLENS not found"
fi
fi

if want conns && (( HAVE_PKTLENS )); then
# memory bound: more connections than the table cap
echo
echo "conns: why connections left the table ($CT_FILE; --json, counted from a separate run):"
left_table() { # args...: "N why" counts of the records of pktlens conns --json
    "$PKTLENS" conns --json "$@" 2>/dev/null | grep -o '"left_table":"[a-z]*"' | cut -d'"' -f4 |
        sort | uniq -c | awk '{ printf "%s%d %s", (NR > 1 ? ", " : ""), $1, $2 } END { print "" }'
}
printf '  %-22s %s\n' "default table" "$(left_table "$CT_FILE")"
printf '  %-22s %s\n' "--max-conns $CT_CAP" "$(left_table --max-conns "$CT_CAP" "$CT_FILE")"
echo " (closed: 2*MSL after their last frame; end: still in the table at the end of the capture)"
echo
echo "conns: memory bound, one run each, stdout to /dev/null:"
printf '  %-40s %-18s %10s  %s\n' "capture" "table" "peak RSS" "evictions (standard error)"
declare -A MEM_RSS MEM_EV
mem_run() { # key label file args...
    local key=$1 lab=$2 file=$3; shift 3
    ERRLOG=$TMPM.err measure "$TMPM.res" "$PKTLENS" conns "$@" "$file"
    local wall rss rc cpu ev
    read -r wall rss rc cpu < "$TMPM.res"
    ev=$(sed -n 's/.*: \([0-9]*\) connections were evicted from the full table.*/\1/p' "$TMPM.err")
    cat "$TMPM.err" >> "$ERRLOG"
    rm -f "$TMPM.res" "$TMPM.err"
    MEM_RSS[$key]=$rss; MEM_EV[$key]=${ev:-0}
    (( rc != 0 )) && ev="exit $rc: see $ERRLOG"
    awk -v f="$(basename "$file") ($lab)" -v t="${*:-default cap}" -v r="$rss" -v e="${ev:-none reported}" 'BEGIN {
        printf "  %-40s %-18s %6.1f MiB  %s\n", f, t, r / 1024, e }'
}
mem_run ct_cap   "$CT_CONNS+ conns"       "$CT_FILE"   --max-conns "$CT_CAP"
mem_run scan_cap "$SCAN_CONNS+ lone SYNs" "$SCAN_FILE" --max-conns "$CT_CAP"
mem_run scan_def "$SCAN_CONNS+ lone SYNs" "$SCAN_FILE"
echo " (+: and as many IPv6 as gencap adds; lone SYNs never close, so only the cap bounds"
echo "  the table: the last row, under the default cap of 1048576, is what --max-conns bounds)"
if (( MEM_RSS[ct_cap] > 0 && MEM_RSS[scan_cap] > 0 )); then
    ok=$(awk -v a="${MEM_RSS[ct_cap]}" -v b="${MEM_RSS[scan_cap]}" -v e="${MEM_EV[scan_cap]}" \
        'BEGIN { print (b <= 1.25 * a + 4096 && e > 0) ? 1 : 0 }')
    verdict "conns RSS bounded by --max-conns $CT_CAP" "$ok" \
        "(criterion: evictions reported, and RSS at $SCAN_CONNS connections <= 1.25 x RSS at $CT_CONNS + 4 MiB)"
else
    missing "conns RSS bounded by --max-conns $CT_CAP" "RSS not sampled"
fi

# The frame views over a SYN flood or a scan: each lone SYN is a
# connection of its own, all of them in the table at once.
echo
echo "read -q over lone SYNs: the bare loop and pktlens $CT_REPEAT times each, taking turns, tcpdump once:"
declare -A SCAN_CMD=([s_bare]="$PCAPLOOP $SCAN_FILE" [s_q]="$PKTLENS read -q --max-conns 1048576 $SCAN_FILE"
                     [s_tcpdump]="env TZ=UTC tcpdump -nn -r $SCAN_FILE")
declare -A SCAN_LABEL=([s_bare]="bare loop" [s_q]="pktlens read -q" [s_tcpdump]="tcpdump -nn")
scan_ids=(s_bare s_q); (( HAVE_TCPDUMP )) && scan_ids+=(s_tcpdump)
: > "$TMPM.scan"
scan_measure() { # id
    local argv
    read -r -a argv <<< "${SCAN_CMD[$1]}"
    measure "$TMPM.res" "${argv[@]}"
    echo "$1 $(cat "$TMPM.res")" >> "$TMPM.scan"
    rm -f "$TMPM.res"
}
for (( k = 1; k <= CT_REPEAT; k++ )); do scan_measure s_bare; scan_measure s_q; done
(( HAVE_TCPDUMP )) && scan_measure s_tcpdump
declare -A SCAN_WALL SCAN_RSS SCAN_RC
for id in "${scan_ids[@]}"; do # median wall, max RSS, a failing exit status
    SCAN_WALL[$id]=$(awk -v id="$id" '$1 == id { print $2 }' "$TMPM.scan" | sort -g |
        awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR/2] + v[NR/2 + 1]) / 2 }')
    SCAN_RSS[$id]=$(awk -v id="$id" '$1 == id && $3 > m { m = $3 } END { print m + 0 }' "$TMPM.scan")
    SCAN_RC[$id]=$(awk -v id="$id" '$1 == id && $4 != 0 { rc = $4 } END { print rc + 0 }' "$TMPM.scan")
    awk -v l="${SCAN_LABEL[$id]}" -v t="${SCAN_WALL[$id]}" -v b="${SCAN_WALL[s_bare]}" \
        -v r="${SCAN_RSS[$id]}" -v n="$NF_SCAN" -v rc="${SCAN_RC[$id]}" 'BEGIN {
        printf "  %-22s %12.0f frames/s %8.2fx bare %8.1f MiB %8.3fs%s\n", l, n / t, t / b, r / 1024, t,
               rc ? "  (exit " rc ")" : "" }'
done
rm -f "$TMPM.scan"
echo " ($(basename "$SCAN_FILE"): $NF_SCAN frames, $SCAN_CONNS of them lone SYNs, all in the table: --max-conns 1048576)"
if (( SCAN_RC[s_q] != 0 )); then
    missing "read -q $SCAN_CONNS lone SYNs peak RSS < 128 MiB" "pktlens exited with status ${SCAN_RC[s_q]}"
elif (( SCAN_RSS[s_q] == 0 )); then
    missing "read -q $SCAN_CONNS lone SYNs peak RSS < 128 MiB" "RSS not sampled"
else
    verdict "read -q $SCAN_CONNS lone SYNs peak RSS < 128 MiB" "$(( SCAN_RSS[s_q] < 131072 ))" \
        "$(awk -v r="${SCAN_RSS[s_q]}" 'BEGIN { printf "%.1f MiB", r / 1024 }')"
fi
if (( ! HAVE_TCPDUMP )); then
    missing "read -q lone SYNs  >= 3 x tcpdump -nn" "tcpdump not installed"
elif (( SCAN_RC[s_q] != 0 )); then
    missing "read -q lone SYNs  >= 3 x tcpdump -nn" "pktlens exited with status ${SCAN_RC[s_q]}"
else
    r=$(awk -v a="${SCAN_WALL[s_q]}" -v b="${SCAN_WALL[s_tcpdump]}" 'BEGIN { printf "%.2f", b / a }')
    verdict "read -q lone SYNs  >= 3 x tcpdump -nn" "$(awk -v r="$r" 'BEGIN { print (r >= 3) ? 1 : 0 }')" \
        "${r}x ($(awk -v n="$NF_SCAN" -v a="${SCAN_WALL[s_q]}" -v b="${SCAN_WALL[s_tcpdump]}" \
            'BEGIN { printf "%.0f vs %.0f frames/s", n / a, n / b }'))"
fi
fi

if want collide && (( HAVE_PKTLENS )); then
# Keys built to share buckets: linear time means about the time of as
# many ordinary keys.
echo
echo "read -q over SYNs built to collide and over ordinary lone SYNs, $CT_REPEAT times each, taking turns:"
declare -A COL_CMD=([col_plain]="$PKTLENS read -q $LONE_FILE" [col_q]="$PKTLENS read -q $COLLIDE_FILE")
declare -A COL_LABEL=([col_plain]="ordinary lone SYNs" [col_q]="SYNs built to collide")
: > "$TMPM.col"
for (( k = 1; k <= CT_REPEAT; k++ )); do
    for id in col_plain col_q; do
        read -r -a argv <<< "${COL_CMD[$id]}"
        measure "$TMPM.res" "${argv[@]}"
        echo "$id $(cat "$TMPM.res")" >> "$TMPM.col"
        rm -f "$TMPM.res"
    done
done
declare -A COL_WALL COL_RC
for id in col_plain col_q; do # median wall, max RSS, a failing exit status
    COL_WALL[$id]=$(awk -v id="$id" '$1 == id { print $2 }' "$TMPM.col" | sort -g |
        awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR/2] + v[NR/2 + 1]) / 2 }')
    COL_RC[$id]=$(awk -v id="$id" '$1 == id && $4 != 0 { rc = $4 } END { print rc + 0 }' "$TMPM.col")
    awk -v l="${COL_LABEL[$id]}" -v t="${COL_WALL[$id]}" -v n="$COLLIDE" -v rc="${COL_RC[$id]}" \
        -v r="$(awk -v id="$id" '$1 == id && $3 > m { m = $3 } END { print m + 0 }' "$TMPM.col")" 'BEGIN {
        printf "  %-22s %12.0f frames/s %8.1f MiB %8.3fs%s\n", l, n / t, r / 1024, t,
               rc ? "  (exit " rc ")" : "" }'
done
rm -f "$TMPM.col"
echo " ($(basename "$COLLIDE_FILE"): $COLLIDE SYNs, IPv4 and IPv6 in turn, built by tests/collide.py against the"
echo "  unseeded and the seeded multiplicative hash; $(basename "$LONE_FILE"): the same shapes from counted addresses)"
if (( COL_RC[col_q] != 0 || COL_RC[col_plain] != 0 )); then
    missing "read -q colliding SYNs <= 2 x ordinary ones" "pktlens exited with status ${COL_RC[col_q]}/${COL_RC[col_plain]}"
else
    r=$(awk -v a="${COL_WALL[col_q]}" -v b="${COL_WALL[col_plain]}" 'BEGIN { printf "%.2f", a / b }')
    verdict "read -q colliding SYNs <= 2 x ordinary ones" "$(awk -v r="$r" 'BEGIN { print (r <= 2) ? 1 : 0 }')" \
        "${r}x (${COL_WALL[col_q]}s vs ${COL_WALL[col_plain]}s, the same number of frames)"
fi
fi
echo
echo "raw per-run results: $RESULTS (id round wall_s rss_kib exit cpu_s); tool stderr: $ERRLOG"
exit 0
