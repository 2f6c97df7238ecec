#!/usr/bin/env bash
# Fuzz pkl_decode + pkl_annotate + every view with fuzz/fuzz-decode.
#
# Builds a seed corpus in fuzz/corpus/ when it is absent (frames of
# captures/*.pcap, tests/regress/ and the shared tcpdump corpus, through
# fuzz/frames.py), then runs libFuzzer for FUZZ_SECONDS (default 60) in
# FUZZ_JOBS parallel jobs (default: number of CPUs) sharing the corpus.
# Crashes, leaks and hangs are saved as fuzz/crash-*, fuzz/leak-*,
# fuzz/timeout-*; each new one counts as a failure.  Ends with
# `fuzz: N passed, M failed` and exits 1 on any failure.
#
# Reproduce a crash:  fuzz/fuzz-decode fuzz/crash-...
# Keep it as a test:  python3 fuzz/frames.py to-pcap fuzz/crash-... tests/regress/NAME.pcap
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
SECONDS_=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
CORPUS=${PKL_CORPUS:-../shared/corpus/tcpdump-tests}
BIN=fuzz/fuzz-decode
LOGDIR=tests/out/fuzz

if [ ! -x "$BIN" ]; then
	echo "fuzz: $BIN is missing: run 'make fuzz/fuzz-decode'" >&2
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi

if [ ! -d fuzz/corpus ] || [ -z "$(ls -A fuzz/corpus 2>/dev/null)" ]; then
	[ -d "$CORPUS" ] || echo "fuzz: no shared corpus at $CORPUS: seeding from captures/ only"
	python3 fuzz/frames.py seed fuzz/corpus captures/*.pcap tests/regress/*.pcap* \
		"$CORPUS"/* || { echo "fuzz: 0 passed, 1 failed"; exit 1; }
fi

# Run a snapshot of the binary: a rebuild meanwhile must not pull it away.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$BIN" "$work/fuzz-decode" || exit 1
mkdir -p "$LOGDIR"
rm -f "$LOGDIR"/fuzz-*.log
ls fuzz/ | grep -E '^(crash|leak|timeout|oom|slow-unit)-' | sort >"$work/before"

echo "fuzz: $(ls fuzz/corpus | wc -l) corpus inputs, ${SECONDS_}s x $JOBS jobs"
start=$(date +%s)
args=(-max_total_time="$SECONDS_" -max_len=4096 -timeout=10 -print_final_stats=1
      -artifact_prefix="$ROOT/fuzz/")
if [ "$JOBS" -gt 1 ]; then
	# -jobs writes one log per job, fuzz-N.log, in the current directory.
	(cd "$LOGDIR" && "$work/fuzz-decode" "${args[@]}" -jobs="$JOBS" -workers="$JOBS" \
		"$ROOT/fuzz/corpus" >"$ROOT/$LOGDIR/fuzz-main.log" 2>&1)
else
	"$work/fuzz-decode" "${args[@]}" fuzz/corpus >"$LOGDIR/fuzz-0.log" 2>&1
fi
rc=$?
elapsed=$(( $(date +%s) - start ))

ls fuzz/ | grep -E '^(crash|leak|timeout|oom|slow-unit)-' | sort >"$work/after"
new=$(comm -13 "$work/before" "$work/after")

# Figures per job: total runs, speed, final coverage.
runs=0
for log in "$LOGDIR"/fuzz-[0-9]*.log; do
	[ -f "$log" ] || continue
	n=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
	[ -n "$n" ] || n=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
	runs=$((runs + ${n:-0}))
	last=$(grep -E '^#[0-9]+.*cov:' "$log" | tail -1)
	echo "fuzz: $(basename "$log"): ${n:-0} runs; last: ${last:-none}"
done
echo "fuzz: $runs runs in ${elapsed}s ($(( runs / (elapsed > 0 ? elapsed : 1) )) exec/s over all jobs); corpus now $(ls fuzz/corpus | wc -l) inputs"

fail=0
for a in $new; do
	fail=$((fail + 1))
	echo "FAIL fuzz/$a"
done
# The sanitizer or libFuzzer reports that went with them, one per job log.
for log in "$LOGDIR"/fuzz-[0-9]*.log; do
	[ -f "$log" ] && [ "$fail" -gt 0 ] || continue
	grep -h -m1 -A10 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|fuzz-decode: ' \
		"$log" | head -11 | sed "s#^#    $(basename "$log"): #"
done
if [ "$fail" -eq 0 ] && grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' \
	"$LOGDIR"/fuzz-*.log 2>/dev/null; then
	echo "FAIL: a sanitizer report without a saved input (see $LOGDIR/)"
	fail=1
fi
if [ "$fail" -eq 0 ] && [ "$JOBS" -le 1 ] && [ "$rc" -ne 0 ]; then
	echo "FAIL: fuzz-decode exited $rc (see $LOGDIR/fuzz-0.log)"
	fail=1
fi
if [ "$fail" -gt 0 ]; then
	echo "fuzz: reproduce with '$BIN fuzz/crash-...'; keep as a regression with"
	echo "      'python3 fuzz/frames.py to-pcap fuzz/crash-... tests/regress/NAME.pcap'"
	echo "fuzz: 0 passed, $fail failed"
	exit 1
fi
echo "fuzz: 1 passed, 0 failed"
