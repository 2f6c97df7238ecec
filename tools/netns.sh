# tools/netns.sh - sourced (bash) by the scripts that build throwaway
# networks in namespaces: captures/record.sh, captures/conn/record.sh,
# tests/net/sniff.sh and bench/sniff-rate.sh.  It keeps the one piece of
# bookkeeping they must all get right in one place: every namespace made
# is deleted by its exact name, and every process started is stopped by
# its PID, however the script ends.
#
#   pkl_netns_begin PREFIX   a scratch directory $PKL_TMP (/tmp/PREFIX.XXXXXX)
#                            and the exit trap; call it first
#   pkl_netns_add NAME...    create the namespaces, remembered for deletion;
#                            fails, saying why, if one exists or cannot be made
#   pkl_track PID...         processes to stop on exit (TERM, then KILL)

PKL_TMP=
PKL_NETNS=()
PKL_PIDS=()

pkl_any_running() {
	local pid
	for pid in "${PKL_PIDS[@]}"; do
		kill -0 "$pid" 2>/dev/null && return 0
	done
	return 1
}

pkl_netns_cleanup() {
	local rc=$? pid ns tries
	set +e
	for pid in "${PKL_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	# Half a second to exit on their own (tcpdump flushes its file on TERM).
	for tries in 1 2 3 4 5 6 7 8 9 10; do
		pkl_any_running || break
		sleep 0.05
	done
	for pid in "${PKL_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for ns in "${PKL_NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "$PKL_TMP" ] && rm -rf -- "$PKL_TMP"
	exit "$rc"
}

pkl_netns_begin() {
	PKL_TMP=$(mktemp -d "/tmp/$1.XXXXXX") || return 1
	trap pkl_netns_cleanup EXIT
	trap 'exit 130' INT TERM HUP
}

pkl_netns_add() {
	local ns
	for ns in "$@"; do
		if ip netns list 2>/dev/null | awk '{print $1}' | grep -qx -- "$ns"; then
			echo "namespace $ns already exists (left over from an earlier run?); remove it with: ip netns del $ns" >&2
			return 1
		fi
		ip netns add "$ns" || return 1
		PKL_NETNS+=("$ns")
	done
}

pkl_track() {
	PKL_PIDS+=("$@")
}

# pkl_start_sniff NS NAME args...: `pktlens sniff args` ($P) in namespace
# NS, in the background, output in $tmp/NAME.{out,err}; its PID in
# sniff_pid (tracked); returns once it listens, or 1 after the caller's
# `bad` says it did not start.  A simple command, not a function: $! is
# then pktlens itself (ip netns exec execs it), which signals must reach.
pkl_start_sniff() {
	local ns=$1 name=$2; shift 2
	ip netns exec "$ns" "$P" sniff "$@" > "$tmp/$name.out" 2> "$tmp/$name.err" &
	sniff_pid=$!
	pkl_track "$sniff_pid"
	for _ in $(seq 50); do
		grep -q "listening on" "$tmp/$name.err" 2>/dev/null && return 0
		sleep 0.1
	done
	bad "$name: pktlens did not start: $(cat "$tmp/$name.err")"
	return 1
}

# pkl_stop_sniff: SIGINT to sniff_pid, then its exit status in sniff_status.
pkl_stop_sniff() {
	sleep 0.3
	kill -INT "$sniff_pid"
	wait "$sniff_pid"
	sniff_status=$?
}
