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
#   pkl_mark NAME            mark a shared thing (the lab) as this run's
#   pkl_mark_stale NAME      true if a run that has ended marked NAME
#
# A run stopped by SIGKILL (a CI job cancelled, a machine's session
# ended) cannot run its trap, and what it made would make every later
# run refuse to start.  So each namespace made here is marked, in
# $PKL_MARKS, with the run that made it: its PID and the PID's start
# time, which a later process given the same PID does not share.  A
# later run removes a namespace whose marking run has ended and that
# holds no process, saying so; any other existing namespace it refuses.

PKL_TMP=
PKL_NETNS=()
PKL_PIDS=()
PKL_MARKED=()
PKL_MARKS=/run/pktlens/tests

# pkl_run_id PID: "PID STARTTIME" while PID runs, nothing once it is gone.
pkl_run_id() {
	local pid=$1 stat
	stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 0
	# The start time is field 22; count after the command name, which
	# may hold spaces: field 3 (the state) is then the first.
	set -- ${stat##*) }
	echo "$pid ${20}"
}

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
	for ns in "${PKL_MARKED[@]}"; do
		rm -f -- "$PKL_MARKS/$ns"
	done
	[ -n "$PKL_TMP" ] && rm -rf -- "$PKL_TMP"
	exit "$rc"
}

pkl_netns_begin() {
	PKL_TMP=$(mktemp -d "/tmp/$1.XXXXXX") || return 1
	trap pkl_netns_cleanup EXIT
	trap 'exit 130' INT TERM HUP
}

pkl_mark() {
	mkdir -p "$PKL_MARKS" && pkl_run_id $$ > "$PKL_MARKS/$1" && PKL_MARKED+=("$1")
}

pkl_mark_stale() {
	local pid start
	read -r pid start 2>/dev/null < "$PKL_MARKS/$1" || return 1
	[ "$(pkl_run_id "$pid")" != "$pid $start" ]
}

pkl_netns_add() {
	local ns
	for ns in "$@"; do
		if ip netns list 2>/dev/null | awk '{print $1}' | grep -qx -- "$ns"; then
			if pkl_mark_stale "$ns" && [ -z "$(ip netns pids "$ns" 2>/dev/null)" ]; then
				echo "removing namespace $ns, left over from a test run (PID $(cut -d' ' -f1 "$PKL_MARKS/$ns")) that has ended" >&2
				ip netns del "$ns" || return 1
			else
				echo "namespace $ns already exists (in use, or not made by a test run); remove it with: ip netns del $ns" >&2
				return 1
			fi
		fi
		ip netns add "$ns" || return 1
		PKL_NETNS+=("$ns")
		pkl_mark "$ns"
	done
}

# pkl_lab_claim PKTLENS: the lab (fixed pkl-lab-* names) for this run.
# A lab left by a test run that has ended is taken down first (pktlens
# lab down removes only the namespaces its lab up made); any other lab
# that is up is someone's: returns 1, touching nothing.
pkl_lab_claim() {
	local left
	left=$(ip netns list | awk '{print $1}' | grep '^pkl-lab-')
	if [ -n "$left" ] && pkl_mark_stale lab; then
		echo "taking down the lab left by a test run (PID $(cut -d' ' -f1 "$PKL_MARKS/lab")) that has ended" >&2
		"$1" lab down > /dev/null
	fi
	[ -z "$(ip netns list | awk '{print $1}' | grep '^pkl-lab-')" ] || return 1
	pkl_mark lab
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
