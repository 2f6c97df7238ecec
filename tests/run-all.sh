#!/bin/bash
# Every test suite, in order; each ends with "<suite>: N passed, M failed".
# Called by `make test` (which builds what they need first).
set -u
cd "$(dirname "$0")/.."
start=$(date +%s)
suites_failed=()
summary=()

run_suite() {   # run_suite NAME command...
	local name=$1; shift
	echo "=== $name: $*"
	local t0; t0=$(date +%s)
	"$@" 2>&1 | tee "/tmp/pkl-suite-$name.$$"
	local rc=${PIPESTATUS[0]}
	local closing; closing=$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed' "/tmp/pkl-suite-$name.$$" | tail -n 1)
	rm -f "/tmp/pkl-suite-$name.$$"
	[ -n "$closing" ] || closing="$name: no closing line"
	summary+=("$closing  ($(( $(date +%s) - t0 )) s)")
	if [ "$rc" != 0 ] || [ -z "$closing" ] || ! [[ "$closing" =~ " 0 failed" ]]; then
		suites_failed+=("$name")
	fi
}

run_suite unit tests/run-unit.sh build/tests/test_*
run_suite unit-asan env PKL_SUITE=unit-asan tests/run-unit.sh build/tests-asan/test_*
run_suite frames tests/frames.sh
run_suite cli tests/cli.sh
run_suite cli-asan env PKL_SUITE=cli-asan PKTLENS=./pktlens-asan tests/cli.sh
run_suite terminal /usr/bin/python3 tests/terminal.py
run_suite dfilter tests/dfilter.sh
run_suite dfilter-asan env PKL_SUITE=dfilter-asan PKTLENS=./pktlens-asan tests/dfilter.sh
run_suite golden tests/golden.sh
run_suite conns tests/conns.sh
run_suite timestats tests/timestats.sh
run_suite conns-facts /usr/bin/python3 tests/conns_facts.py
run_suite nagle-writes /usr/bin/python3 tests/nagle_writes.py
run_suite notes-cases /usr/bin/python3 tests/notes_cases.py
run_suite subnet /usr/bin/python3 tests/subnet.py
run_suite sniff tests/net/sniff.sh
run_suite route tests/net/route.sh
run_suite inject tests/net/inject.sh
run_suite craft tests/net/craft.sh
run_suite flood tests/net/flood.sh
run_suite craft-asan env PKL_SUITE=craft-asan PKTLENS=./pktlens-asan tests/net/craft.sh
run_suite syn tests/net/syn.sh
run_suite tcp tests/net/tcp.sh
run_suite tcp-asan env PKL_SUITE=tcp-asan PKTLENS=./pktlens-asan tests/net/tcp.sh
run_suite demo tests/net/demo.sh
run_suite demo-asan env PKL_SUITE=demo-asan PKTLENS=./pktlens-asan tests/net/demo.sh
run_suite lab-demos tests/net/lab_demos.sh
run_suite lab-demos-asan env PKL_SUITE=lab-demos-asan PKTLENS=./pktlens-asan tests/net/lab_demos.sh
run_suite sockets tests/net/sockets.sh
run_suite journey tests/net/journey.sh
run_suite journey-asan env PKL_SUITE=journey-asan PKTLENS=./pktlens-asan tests/net/journey.sh
run_suite corpus tests/corpus.sh
run_suite difftest /usr/bin/python3 tests/tshark_diff.py
run_suite tcp-analysis /usr/bin/python3 tests/tcp_analysis_diff.py
run_suite dfilter-tshark /usr/bin/python3 tests/dfilter_tshark.py
run_suite views tests/views.sh
run_suite fuzz env FUZZ_SECONDS="${FUZZ_SECONDS:-60}" fuzz/run.sh

echo
echo "=== summary ($(( $(date +%s) - start )) s)"
printf '  %s\n' "${summary[@]}"
total_failed=${#suites_failed[@]}
echo "all: $(( ${#summary[@]} - total_failed )) passed, $total_failed failed"
[ "$total_failed" = 0 ]
