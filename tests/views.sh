#!/bin/bash
# The views of one connection and the annotated pcapng: tests/views.py
# over the captures (offline), tests/views_sniff.sh live in namespaces.
# Ends with "views: N passed, M failed", the sum of both.
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0
for suite in "/usr/bin/python3 tests/views.py" "tests/views_sniff.sh"; do
	out=$($suite 2>&1)
	rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | grep -E '^views(-sniff)?: [0-9]+ passed, [0-9]+ failed' | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL: $suite: no closing line (exit $rc)"
		fail=$((fail + 1))
		continue
	fi
	read -r p f <<< "$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/' <<< "$line")"
	pass=$((pass + p))
	fail=$((fail + f))
	[ "$rc" = 0 ] || [ "$f" != 0 ] || { echo "FAIL: $suite: exit $rc"; fail=$((fail + 1)); }
done
echo "views: $pass passed, $fail failed"
[ "$fail" = 0 ]
