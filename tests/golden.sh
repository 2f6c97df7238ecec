#!/bin/bash
# Golden tests: every capture in captures/ has its expected views checked
# in under tests/golden/.  MANIFEST lists them: name, capture, arguments.
# `tests/golden.sh --update` rewrites the expected files; read the diff.
set -u
cd "$(dirname "$0")/.."
# Times of day are local: the expected views are in UTC.
export TZ=UTC
update=0
[ "${1:-}" = "--update" ] && update=1
pass=0 fail=0
manifest=tests/golden/MANIFEST

# Every capture must be covered by the manifest.
for cap in captures/*.pcap; do
	if ! grep -q "[[:space:]]$cap[[:space:]]" "$manifest"; then
		echo "FAIL: $cap has no golden entry in $manifest"
		fail=$((fail + 1))
	fi
done

while read -r name cap args; do
	case "$name" in ''|'#'*) continue ;; esac
	expected="tests/golden/$name"
	# shellcheck disable=SC2086  # args are words by design
	actual=$(./pktlens $args "$cap" 2>&1; echo "exit $?")
	if [ "$update" = 1 ]; then
		printf '%s\n' "$actual" > "$expected"
		echo "updated $expected"
		continue
	fi
	if [ ! -f "$expected" ]; then
		echo "FAIL: $name: no expected output $expected (run tests/golden.sh --update)"
		fail=$((fail + 1))
	elif diff -u "$expected" <(printf '%s\n' "$actual") > /tmp/pkl-golden-diff.$$; then
		pass=$((pass + 1))
	else
		echo "FAIL: $name ($args $cap):"
		head -40 /tmp/pkl-golden-diff.$$
		fail=$((fail + 1))
	fi
done < "$manifest"
rm -f /tmp/pkl-golden-diff.$$
[ "$update" = 1 ] && exit 0
echo "golden: $pass passed, $fail failed"
[ "$fail" = 0 ]
