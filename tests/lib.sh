# tests/lib.sh - sourced by the shell suites, from the repository's root:
# the counts, the checks they share and the closing line that
# tests/run-all.sh reads.  The suite sets SUITE (its name in that line)
# and, for expect_exit, the scratch directory $tmp.
#
#   ok / bad WHAT                           a check passed / failed (saying what)
#   check WHAT command...                   passed when the command succeeds
#   expect_exit STATUS WHAT -- command...   its exit status; output in $tmp/out, $tmp/err
#   expect_grep FILE PATTERN WHAT           an extended regular expression in FILE
#   finish                                  "SUITE: N passed, M failed"; exit 1 on a failure

pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
check() {
	local what=$1; shift
	if "$@"; then ok; else bad "$what"; fi
}
expect_exit() {
	local want=$1 what=$2; shift 3
	"$@" > "$tmp/out" 2> "$tmp/err"
	local got=$?
	if [ "$got" = "$want" ]; then ok; else bad "$what: exit $got, wanted $want ($(head -c 300 "$tmp/err"))"; fi
}
expect_grep() {
	if grep -qE -- "$2" "$1"; then ok; else bad "$3: no /$2/ in $(basename "$1"): $(head -c 300 "$1")"; fi
}
finish() {
	echo "$SUITE: $pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
}
