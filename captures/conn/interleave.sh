#!/bin/bash
# Derive interleaved.pcap: three recorded connections whose frames
# interleave, as on a busy link.  client-close.pcap is kept whole (with its
# ARP pair); the TCP frames of server-close.pcap and rst-abort.pcap are
# shifted in time so that their SYNs follow its SYN by 3 ms and 7 ms, then
# all are merged in time order.  Same inputs, same bytes.
#
# Run:  captures/conn/interleave.sh   (needs tcpdump, editcap and mergecap;
#                                      no root)
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# first_syn FILE: the time of its first TCP frame, in microseconds.
first_syn() {
	tcpdump -nn -tt -r "$1" -c 1 tcp 2>/dev/null | awk '{ split($1, t, "."); print t[1] t[2] }'
}

base=$(first_syn client-close.pcap)
parts=(client-close.pcap)
for spec in server-close.pcap:3000 rst-abort.pcap:7000; do
	name=${spec%%:*} after=${spec##*:}
	shift_us=$((base + after - $(first_syn "$name")))
	tcpdump -r "$name" -w "$tmp/$name.tcp" tcp 2>/dev/null
	# editcap takes seconds: print the microseconds as a signed decimal.
	sign= abs=$shift_us
	[ "$abs" -lt 0 ] && sign=- abs=$((-abs))
	editcap -t "$sign$((abs / 1000000)).$(printf '%06d' $((abs % 1000000)))" \
		"$tmp/$name.tcp" "$tmp/$name"
	parts+=("$tmp/$name")
done
mergecap -F pcap -w interleaved.pcap "${parts[@]}"
echo "wrote interleaved.pcap: $(tcpdump -r interleaved.pcap 2>/dev/null | wc -l) frames"
