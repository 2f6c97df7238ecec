#!/bin/bash
# tshark's verdict on the frames src/craft/frame.c builds: one of each
# kind (build/tests/craft-frames writes them) read with every checksum
# check on.  No frame may be malformed, carry an expert error or a
# checksum that is not good; each must be what its name says; and tshark
# must put the fragmented ping back together into a good echo request.
# ICMP and ICMPv6 checksums are always checked by tshark (4.0 has no
# preference for them); IPv4's, TCP's and UDP's are turned on here.
set -u
cd "$(dirname "$0")/.."
GEN=${CRAFT_FRAMES:-build/tests/craft-frames}
tmp=$(mktemp -d /tmp/pkl-frames.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

. tests/lib.sh
finish() {
	echo "${PKL_SUITE:-frames}: $pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
}

if [ ! -x "$GEN" ]; then
	bad "$GEN is missing: build it with make $GEN"
	finish
fi
if ! "$GEN" "$tmp/frames.pcap" > "$tmp/names" 2> "$tmp/err"; then
	bad "$GEN failed: $(cat "$tmp/err")"
	finish
fi

FIELDS=(frame.number _ws.malformed _ws.expert.severity _ws.expert.group
	ip.checksum.status icmp.checksum.status icmpv6.checksum.status tcp.checksum.status
	eth.dst arp.opcode arp.isprobe arp.isannouncement ip.flags.mf ip.fragment.count
	ip.reassembled.length icmp.type icmpv6.type icmpv6.opt.linkaddr tcp.flags
	tcp.options.mss_val)
CHECKSUMS=(ip.checksum.status icmp.checksum.status icmpv6.checksum.status tcp.checksum.status)
EXPERT_ERROR=8388608     # PI_ERROR: 0x00800000
EXPERT_CHECKSUM=16777216 # PI_CHECKSUM: 0x01000000

args=()
for f in "${FIELDS[@]}"; do args+=(-e "$f"); done
if ! tshark -r "$tmp/frames.pcap" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
	-o udp.check_checksum:TRUE -o ip.defragment:TRUE \
	-T fields -E separator='|' "${args[@]}" > "$tmp/fields" 2> "$tmp/err"; then
	bad "tshark failed: $(cat "$tmp/err")"
	finish
fi

n_names=$(wc -l < "$tmp/names")
n_rows=$(wc -l < "$tmp/fields")
if [ "$n_rows" = "$n_names" ] && [ "$n_rows" -gt 0 ]; then ok; else
	bad "tshark read $n_rows frames of the $n_names written"
fi

declare -A v
name=
want() {   # want FIELD VALUE: this frame's field as tshark shows it
	if [ "${v[$1]}" = "$2" ]; then ok; else
		bad "frame ${v[frame.number]} ($name): $1 is '${v[$1]}', wanted '$2'"
	fi
}

reassembled=0
while IFS='|' read -r -a row; do
	for i in "${!FIELDS[@]}"; do v[${FIELDS[$i]}]=${row[$i]:-}; done
	name=$(awk -v n="${v[frame.number]}" '$1 == n { print $2 }' "$tmp/names")

	want _ws.malformed ""
	for s in ${v[_ws.expert.severity]//,/ }; do
		if [ "$s" -lt "$EXPERT_ERROR" ]; then ok; else
			bad "frame ${v[frame.number]} ($name): an expert error (severity $s)"
		fi
	done
	for g in ${v[_ws.expert.group]//,/ }; do
		if [ "$g" != "$EXPERT_CHECKSUM" ]; then ok; else
			bad "frame ${v[frame.number]} ($name): an expert note on a checksum"
		fi
	done
	for c in "${CHECKSUMS[@]}"; do   # 1 is good; 0 bad, 2 unverified
		for s in ${v[$c]//,/ }; do
			if [ "$s" = 1 ]; then ok; else
				bad "frame ${v[frame.number]} ($name): $c is $s, not good"
			fi
		done
	done

	case $name in
	arp-request)
		want eth.dst ff:ff:ff:ff:ff:ff; want arp.opcode 1
		want arp.isprobe ""; want arp.isannouncement "" ;;
	arp-probe)
		want eth.dst ff:ff:ff:ff:ff:ff; want arp.opcode 1; want arp.isprobe 1 ;;
	arp-announcement)
		want eth.dst ff:ff:ff:ff:ff:ff; want arp.opcode 1; want arp.isannouncement 1 ;;
	arp-reply)
		want eth.dst 52:54:00:65:43:21; want arp.opcode 2 ;;
	icmp-echo|icmp-echo-loopback)
		want icmp.type 8; want ip.checksum.status 1; want icmp.checksum.status 1 ;;
	icmp-echo-3000-fragment)
		want ip.checksum.status 1
		if [ "${v[ip.flags.mf]}" = 0 ]; then
			# The last fragment: tshark reassembled the echo.
			reassembled=$((reassembled + 1))
			want ip.fragment.count 3; want ip.reassembled.length 3008
			want icmp.type 8; want icmp.checksum.status 1
		else
			want ip.reassembled.length ""
		fi ;;
	icmpv6-echo)
		want icmpv6.type 128; want icmpv6.checksum.status 1 ;;
	icmpv6-ns)
		want eth.dst 33:33:ff:00:00:02; want icmpv6.type 135
		want icmpv6.checksum.status 1; want icmpv6.opt.linkaddr 52:54:00:12:34:56 ;;
	icmpv6-ns-dad)
		want eth.dst 33:33:ff:00:00:02; want icmpv6.type 135
		want icmpv6.checksum.status 1; want icmpv6.opt.linkaddr "" ;;
	tcp-syn)
		want ip.checksum.status 1; want tcp.checksum.status 1
		want tcp.flags 0x0002; want tcp.options.mss_val 1460 ;;
	tcp6-syn)
		want tcp.checksum.status 1; want tcp.flags 0x0002; want tcp.options.mss_val 1440 ;;
	tcp-data)
		want ip.checksum.status 1; want tcp.checksum.status 1; want tcp.flags 0x0018 ;;
	tcp6-data)
		want tcp.checksum.status 1; want tcp.flags 0x0018 ;;
	tcp-all-flags)
		want ip.checksum.status 1; want tcp.checksum.status 1; want tcp.flags 0x00ff ;;
	*)
		bad "frame ${v[frame.number]}: no expectations for '$name'" ;;
	esac
done < "$tmp/fields"

if [ "$reassembled" = 1 ]; then ok; else
	bad "tshark reassembled $reassembled fragmented pings, wanted 1"
fi
finish
