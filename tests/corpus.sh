#!/usr/bin/env bash
# Robustness run: ./pktlens-asan over every capture of a hostile corpus
# (tcpdump's test suite) and over tests/regress/*.pcap, in every view
# of $VIEWS, with ASan + UBSan + LeakSanitizer and a timeout per run.
#
# A run passes when it exits 0, or 1 with a "pktlens: ..." sentence on
# stderr; with no sanitizer report; and, for --json, when every line of
# stdout is one valid JSON object.  Ends with `corpus: N passed, M failed`
# (one per file x view) and exits 1 on any failure.
#
# Environment:
#   PKL_CORPUS   corpus directory (default ../shared/corpus/tcpdump-tests,
#                relative to the repository root); skipped when absent,
#                except as root or with CI=1 (as in CI): a failure there
#   PKTLENS      binary to run (default ./pktlens-asan)
#   PKL_JOBS     parallel files (default: number of CPUs)
#   PKL_TIMEOUT  seconds per run (default 20); a timeout is a failure (hang)
#
# Files exiting 1 and their messages are listed in tests/out/corpus-exit1.txt,
# failures with their stderr in tests/out/corpus-failures.txt.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SELF=$ROOT/tests/$(basename "$0")
VIEWS="default -q --json -x conns timeline"   # conns: the connection records; timeline: their ladders

# --- one file, all views (run by xargs, in parallel) ----------------------
# Writes to $work/{res,exit1,detail,json}/N: one set of files per job, so
# parallel jobs never interleave.  The --json output is kept for one
# validation pass over all files at the end (one python3 start, not 800).
if [ "${1:-}" = "--one" ]; then
	file=$2 work=$3 n=$4
	# Builtins only, apart from timeout and pktlens: the runs are short,
	# and a helper process per check cost a third of the suite's time.
	err=$work/err/$n
	for view in $VIEWS; do
		out=/dev/null
		cmd=(read --color=never)
		case $view in
		default) args=() ;;
		conns) cmd=(conns); args=() ;;
		timeline) cmd=(conns --timeline); args=() ;;
		--json) args=("$view"); out=$work/json/$n ;;
		*) args=("$view") ;;
		esac
		ASAN_OPTIONS=abort_on_error=0:halt_on_error=1:detect_leaks=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
			timeout -k 5 "$PKL_TIMEOUT" "$PKTLENS" "${cmd[@]}" "${args[@]}" "$file" \
			>"$out" 2>"$err" </dev/null
		rc=$?
		e=
		IFS= read -r -d '' e <"$err"
		newlines=${e//[!$'\n']/}
		reason=
		if [[ $e == *'ERROR: AddressSanitizer'* || $e == *'runtime error:'* || $e == *LeakSanitizer* ]]; then
			reason="sanitizer report (exit $rc)"
		elif [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
			reason="hang: no exit within ${PKL_TIMEOUT}s"
		elif [ $rc -gt 128 ]; then
			reason="killed by signal $((rc - 128))"
		elif [ $rc -eq 1 ]; then
			if [[ $e != pktlens:* ]]; then
				reason="exit 1 without a 'pktlens:' message on stderr"
			elif [ ${#newlines} -ne 1 ] || [[ $e != *$'\n' ]]; then
				reason="exit 1 with more than one line on stderr"
			else
				printf '%s\t%s\t%s\n' "$file" "$view" "${e%$'\n'}" >>"$work/exit1/$n"
			fi
		elif [ $rc -ne 0 ]; then
			reason="exit status $rc"
		elif [ -n "$e" ]; then
			reason="exit 0 but stderr is not empty"
		fi
		if [ -z "$reason" ] && [ "$view" = --json ]; then
			printf 'JSON\t%s\t%s\t%s\n' "$file" "$view" "$out" >>"$work/res/$n"
		elif [ -z "$reason" ]; then
			printf 'PASS\t%s\t%s\n' "$file" "$view" >>"$work/res/$n"
		else
			printf 'FAIL\t%s\t%s\t%s\n' "$file" "$view" "$reason" >>"$work/res/$n"
			{
				printf 'FAIL %s [%s]: %s\n' "$file" "$view" "$reason"
				head -n 12 "$err" | sed 's/^/    | /'
			} >>"$work/detail/$n"
		fi
	done
	rm -f "$err"
	exit 0
fi

# --- driver ----------------------------------------------------------------
# PKL_CORPUS and PKTLENS as given are relative to the caller's directory.
CORPUS=${PKL_CORPUS:-$ROOT/../shared/corpus/tcpdump-tests}
[ -d "$CORPUS" ] && CORPUS=$(cd "$CORPUS" && pwd)
PKTLENS=${PKTLENS:-$ROOT/pktlens-asan}
case $PKTLENS in /*) ;; *) PKTLENS=$PWD/$PKTLENS ;; esac
export PKTLENS
export PKL_TIMEOUT=${PKL_TIMEOUT:-20}
cd "$ROOT" || exit 1
JOBS=${PKL_JOBS:-$(nproc 2>/dev/null || echo 2)}
OUTDIR=$ROOT/tests/out

if [ ! -x "$PKTLENS" ]; then
	echo "corpus: $PKTLENS is missing: run 'make pktlens-asan'" >&2
	exit 1
fi
for tool in python3 timeout xargs; do
	command -v "$tool" >/dev/null || { echo "corpus: needs $tool" >&2; exit 1; }
done

list=$(mktemp) work=$(mktemp -d)
trap 'rm -rf "$list" "$work"' EXIT
# Run a snapshot: a rebuild or `make clean` meanwhile must not change it.
cp "$PKTLENS" "$work/$(basename "$PKTLENS")" || exit 1
PKTLENS=$work/$(basename "$PKTLENS")
# A corpus that is not there: skipped on a developer's machine, but a
# failure as root or in CI, where a skipped suite would pass untested.
no_corpus=0
if [ -d "$CORPUS" ]; then
	find "$CORPUS" -maxdepth 1 -type f -print0 | sort -z >"$list"
elif [ "$(id -u)" = 0 ] || [ "${CI:-}" = 1 ]; then
	echo "corpus: FAIL: $CORPUS is not a directory (set PKL_CORPUS); as root or in CI it must be there"
	no_corpus=1
else
	echo "corpus: skipping the corpus: $CORPUS is not a directory (set PKL_CORPUS)"
fi
for f in tests/regress/*.pcap tests/regress/*.pcapng; do
	[ -f "$f" ] && printf '%s\0' "$f" >>"$list"
done
nfiles=$(tr -cd '\0' <"$list" | wc -c)
if [ "$nfiles" -eq 0 ]; then
	echo "corpus: skipped: no capture files"
	echo "corpus: 0 passed, $no_corpus failed"
	exit "$no_corpus"
fi

nviews=$(wc -w <<< "$VIEWS")
echo "corpus: $nfiles files x $nviews views with $(basename "$PKTLENS"), $JOBS jobs, ${PKL_TIMEOUT}s timeout"
start=$(date +%s)
mkdir -p "$work/res" "$work/exit1" "$work/detail" "$work/json" "$work/err"
n=0
while IFS= read -r -d '' f; do
	n=$((n + 1))
	printf '%s\0%s\0%s\0' "$f" "$work" "$n"
done <"$list" | xargs -0 -n 3 -P "$JOBS" bash "$SELF" --one

# The --json outputs of clean runs: every line one JSON object (strictly:
# UTF-8, no NaN or Infinity, nothing after the object, a final newline).
cat "$work"/res/* 2>/dev/null >"$work/all"
python3 - "$work/all" "$work/detail/json" >"$work/res/json" <<'EOF'
import json, sys

def bad_constant(name):
    raise ValueError("not JSON: " + name)

def check(path):
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            try:
                if not raw.endswith(b"\n"):
                    raise ValueError("last line has no newline")
                obj = json.loads(raw.decode("utf-8"), parse_constant=bad_constant)
                if not isinstance(obj, dict):
                    raise ValueError("not an object")
            except ValueError as e:
                return "invalid JSON on line %d: %s: %.300r" % (n, e, raw)
    return None

with open(sys.argv[1]) as f, open(sys.argv[2], "w") as detail:
    for line in f:
        kind, name, view, *rest = line.rstrip("\n").split("\t")
        if kind != "JSON":
            continue
        err = check(rest[0])
        if err:
            print("FAIL\t%s\t%s\t%s" % (name, view, err))
            detail.write("FAIL %s [%s]: %s\n" % (name, view, err))
        else:
            print("PASS\t%s\t%s" % (name, view))
EOF
elapsed=$(( $(date +%s) - start ))

cat "$work"/res/* 2>/dev/null >"$work/all"
pass=$(grep -c '^PASS' "$work/all")
fail=$(grep -c '^FAIL' "$work/all")
missing=$(( nfiles * nviews - pass - fail ))
if [ "$missing" -gt 0 ]; then
	echo "corpus: $missing runs left no result (the job itself failed)"
	fail=$((fail + missing))
fi
fail=$((fail + no_corpus))

mkdir -p "$OUTDIR"
cat "$work"/exit1/* 2>/dev/null | sort >"$OUTDIR/corpus-exit1.txt"
cat "$work"/detail/* 2>/dev/null >"$OUTDIR/corpus-failures.txt"
if [ -s "$OUTDIR/corpus-failures.txt" ]; then
	cat "$OUTDIR/corpus-failures.txt"
fi
echo "corpus: $(cut -f1 "$OUTDIR/corpus-exit1.txt" | sort -u | wc -l) files exit 1 with a message (list: tests/out/corpus-exit1.txt); ${elapsed}s"
echo "corpus: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
