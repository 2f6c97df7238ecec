#!/bin/sh
# Run cmocka unit test programs and total their test cases.
#
#   tests/run-unit.sh build/tests/test_*
#
# Prints one line per program (its full output too when it fails) and a
# closing line "unit: N passed, M failed".  A program that fails without
# cmocka's summary (a crash, a missing binary) counts as one failed case.
# Exits non-zero when anything failed.

if [ $# -eq 0 ]; then
	echo "usage: $0 test-binary..." >&2
	exit 2
fi

# cmocka's plain output is what is parsed below.
unset CMOCKA_MESSAGE_OUTPUT CMOCKA_XML_FILE

passed=0
failed=0
bad=0
out=$(mktemp "${TMPDIR:-/tmp}/pkl-unit.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT INT TERM

for bin in "$@"; do
	name=$(basename "$bin")
	if [ ! -x "$bin" ]; then
		echo "FAIL $name: not an executable file"
		failed=$((failed + 1))
		bad=1
		continue
	fi
	"$bin" >"$out" 2>&1
	rc=$?
	# "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s), listed below:"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' "$out" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s).*/\1/p' "$out" | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# Died or failed outside any test case: count it once.
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "ok   $name: $p passed"
	else
		bad=1
		echo "FAIL $name: $p passed, $f failed (exit status $rc)"
		sed 's/^/    /' "$out"
	fi
done

echo "${PKL_SUITE:-unit}: $passed passed, $failed failed"
[ "$bad" -eq 0 ] && [ "$failed" -eq 0 ]
