#!/bin/bash
# End-to-end tests of `pktlens syn` in the lab of tests/net/lab.sh: B's
# four ports (open, closed, dropped, rejected admin-prohibited) over IPv4
# and IPv6, held against nmap -sS on the same ports and against what B
# recorded; a range through the router R to C, with a port R rejects;
# the pacing, the retries and the refusals.  Every scan is a few ports
# with a short timeout: the suite takes seconds.
LAB=sy
: "${PKL_SUITE:=syn}"
. "$(dirname "$0")/lab.sh"

lab_b_tcp_services
PORTS=$PORT_OPEN,$PORT_CLOSED,$PORT_DROPPED,$PORT_REJECTED
# C listens on one port of the range scanned through R; R rejects another
# on its way (host-prohibited), so the ICMP comes from R, not from C.
C_OPEN=8003 C_REJECTED=8009
lab_listen $NS_C $C_OPEN
in_ns $NS_R nft -f - <<EOF
table ip pkl_lab {
	chain forward {
		type filter hook forward priority 0; policy accept;
		tcp dport $C_REJECTED reject with icmp type host-prohibited
	}
}
EOF

# The four verdicts in a table: row PORT STATE REASON, spaced as nmap.
row() { grep -qx -- "$2" "$tmp/$1.out"; }

# ---- B's four ports --------------------------------------------------------------------

run syn $NS_A syn -W 0.3 $B $PORTS
check "syn B: exit 0 ($(rc syn): $(cat $tmp/syn.err))" [ "$(rc syn)" = 0 ]
check "syn B: the route line" \
	has syn.out "^route: $B AND 255.255.255.0 = 10.71.1.0, the network of a0 \\($A/24\\): on-link, ARP for $B itself"
check "syn B: nmap's table header" row syn "PORT     STATE    REASON"
check "syn B: $PORT_OPEN open (syn-ack)" row syn "$PORT_OPEN/tcp open     syn-ack"
check "syn B: $PORT_CLOSED closed (rst)" row syn "$PORT_CLOSED/tcp closed   rst"
check "syn B: $PORT_DROPPED filtered (no-response)" row syn "$PORT_DROPPED/tcp filtered no-response"
check "syn B: $PORT_REJECTED filtered (admin-prohibited)" \
	row syn "$PORT_REJECTED/tcp filtered icmp-admin-prohibited"
check "syn B: the summary line" \
	has syn.out "^$B: 4 ports scanned in [0-9.]+ s: 1 open, 1 closed, 2 filtered \\(5 probes sent in [0-9.]+ s, 3 ports answered\\)$"
check "syn B: half-open, explained" \
	has syn.out "^half-open: this host's kernel answered the SYN\\+ACK with RST \\(Out\\)"
check "syn B: the SYN, the SYN+ACK and the kernel's RST as frames" \
	bash -c "grep -q 'Out $A:[0-9]* -> $B:$PORT_OPEN  TCP \\[SYN\\]' $tmp/syn.out &&
		 grep -q 'In  $B:$PORT_OPEN -> $A:[0-9]*  TCP \\[SYN, ACK\\]' $tmp/syn.out &&
		 grep -q 'Out $A:[0-9]* -> $B:$PORT_OPEN  TCP \\[RST\\]' $tmp/syn.out"
check "syn B: the ICMP error shown with the probe it quotes" \
	has syn.out "In  $B -> $A  ICMP destination unreachable \\(communication administratively prohibited\\) for TCP $A:[0-9]+ -> $B:$PORT_REJECTED"

run syn-json $NS_A syn --json -W 0.3 $B $PORTS
J=$tmp/syn-json.out
check "syn --json: every line is JSON" jqs . "$J"
check "syn --json: one port record per port, in order" \
	jqs --argjson o $PORT_OPEN --argjson c $PORT_CLOSED --argjson d $PORT_DROPPED --argjson r $PORT_REJECTED \
	'[.[] | select(.kind == "port") | [.port, .state, .reason]] ==
	 [[$o, "open", "syn-ack"], [$c, "closed", "rst"], [$d, "filtered", "no-response"],
	  [$r, "filtered", "icmp-admin-prohibited"]]' "$J"
check "syn --json: the open port's kernel RST, the dropped port probed twice" \
	jqs --argjson o $PORT_OPEN --argjson d $PORT_DROPPED \
	'(map(select(.kind == "port" and .port == $o))[0].kernel_rst == true) and
	 (map(select(.kind == "port" and .port == $d))[0].probes == 2)' "$J"
check "syn --json: the result record" \
	jqs --arg b $B 'last | .kind == "result" and .command == "syn" and .target == $b and
	 .ports == 4 and .open == 1 and .closed == 1 and .filtered == 2 and .probes == 5 and
	 .answered == 3 and .capture_dropped == 0' "$J"
# The open port's exchange, frame by frame: our SYN, B's SYN+ACK that
# acknowledges its ISN, then A's RST (sent, not written by pktlens: the
# kernel's) whose sequence number is that acknowledgment.
check "syn --json: SYN, SYN+ACK acking ISN+1, then a sent RST with seq ISN+1" \
	jqs --argjson o $PORT_OPEN '
	 [.[] | select(."tcp.srcport" == $o or ."tcp.dstport" == $o)] as $f |
	 ($f | map(select(.direction == "sent" and ."tcp.flags" == 2)) | first) as $syn |
	 ($f | map(select(.direction == "received" and ."tcp.flags" == 18)) | first) as $synack |
	 ($f | map(select(.direction == "sent" and ."tcp.flags.reset")) | first) as $rst |
	 $synack."tcp.ack_raw" == ($syn."tcp.seq_raw" + 1) % 4294967296 and
	 $rst."tcp.seq_raw" == $synack."tcp.ack_raw" and
	 $rst."frame.number" > $synack."frame.number" and
	 $rst."tcp.srcport" == $syn."tcp.srcport"' "$J"
check "syn --json: the SYN carries Linux's options (MSS 1460, SACK, timestamps, wscale 7)" \
	jqs 'map(select(."tcp.flags" == 2 and .direction == "sent")) | length >= 5 and
	 all(."tcp.options.mss_val" == 1460 and ."tcp.options.sack_perm" and
	     ."tcp.options.wscale.shift" == 7 and ."tcp.options.timestamp.tsval" > 0 and
	     ."tcp.window_size_value" == 64240 and ."ip.flags.df")' "$J"
check "syn --json: a source port and an ISN of their own per probe (the retry too)" \
	jqs --argjson d $PORT_DROPPED 'map(select(."tcp.flags" == 2 and .direction == "sent")) as $s |
	 ($s | map(."tcp.srcport") | unique | length) == ($s | length) and
	 ($s | map(."tcp.seq_raw") | unique | length) == ($s | length) and
	 ($s | map(select(."tcp.dstport" == $d)) | length) == 2' "$J"

# nmap, in A's namespace, on the same ports: the same verdicts.
in_ns $NS_A timeout 30 nmap -sS -n -Pn -p $PORTS --max-retries 1 -oG "$tmp/nmap.gnmap" $B \
	> "$tmp/nmap.out" 2>&1
nmap_says=$(grep -o '[0-9]*/[a-z|]*/tcp' "$tmp/nmap.gnmap" | cut -d/ -f1,2 | sort | tr '\n' ' ')
pktlens_says=$(jq -r 'select(.kind == "port") | "\(.port)/\(.state)"' "$J" | sort | tr '\n' ' ')
check "syn agrees with nmap -sS port by port (nmap: '$nmap_says', pktlens: '$pktlens_says')" \
	[ -n "$nmap_says" ] && [ "$nmap_says" = "$pktlens_says" ]

run syn-q $NS_A syn -q -W 0.3 $B $PORTS
check "syn -q: no frame, nmap -v's line for the open port, then the table" \
	bash -c "! grep -q '^#' $tmp/syn-q.out &&
		 grep -qx 'Discovered open port $PORT_OPEN/tcp on $B' $tmp/syn-q.out &&
		 grep -qx '$PORT_OPEN/tcp open     syn-ack' $tmp/syn-q.out"

run syn-w $NS_A syn -q -Z root --write "$tmp/syn.pcap" -W 0.3 $B $PORT_OPEN,$PORT_CLOSED
w_frames=$(tcpdump -r "$tmp/syn.pcap" -nn tcp 2>/dev/null | wc -l)
check "syn --write: the SYNs, the answers and the kernel's RST saved ($w_frames TCP frames)" \
	[ "$w_frames" = 5 ]

run syn-r0 $NS_A syn --json -q --retries 0 -W 0.2 $B $PORT_DROPPED
check "syn --retries 0: the dropped port is probed once" \
	jqs 'map(select(.kind == "port"))[0] | .state == "filtered" and .probes == 1' "$tmp/syn-r0.out"

# ---- IPv6 ---------------------------------------------------------------------------

run syn6 $NS_A syn -W 0.3 $B6 $PORTS
check "syn IPv6: exit 0 ($(rc syn6): $(cat $tmp/syn6.err))" [ "$(rc syn6)" = 0 ]
check "syn IPv6: a neighbour solicitation in ARP's place" \
	has syn6.out "Out .*neighbor solicitation|Out .*neighbour solicitation"
check "syn IPv6: the four verdicts" \
	bash -c "grep -qx '$PORT_OPEN/tcp open     syn-ack' $tmp/syn6.out &&
		 grep -qx '$PORT_CLOSED/tcp closed   rst' $tmp/syn6.out &&
		 grep -qx '$PORT_DROPPED/tcp filtered no-response' $tmp/syn6.out &&
		 grep -qx '$PORT_REJECTED/tcp filtered icmp-admin-prohibited' $tmp/syn6.out"
check "syn IPv6: the kernel's RST to the SYN+ACK" \
	has syn6.out "Out \\[?$A6\\]?[.:][0-9]+ -> \\[?$B6\\]?[.:]$PORT_OPEN  TCP \\[RST\\]"

# ---- through the router, to C ----------------------------------------------------------

run syn-c $NS_A syn -q --rate 2000 -W 0.3 $C 8000-8040
check "syn C: exit 0 ($(rc syn-c): $(cat $tmp/syn-c.err))" [ "$(rc syn-c)" = 0 ]
check "syn C: via the gateway, said so" \
	has syn-c.out "^route: $C is on none of a0's networks; route 0.0.0.0/0 via $R1: ARP for the gateway, not for $C"
check "syn C: the closed ports counted, not listed, as nmap does past 25" \
	row syn-c "Not shown: 39 closed tcp ports (rst)"
check "syn C: the open port behind the router" row syn-c "$C_OPEN/tcp open     syn-ack"
check "syn C: R's ICMP named, with the router that sent it" \
	row syn-c "$C_REJECTED/tcp filtered icmp-host-prohibited from $R1"
run syn-cj $NS_A syn --json --rate 2000 -W 0.3 $C $C_OPEN,8004
check "syn C --json: ARP for R, never for C; the answers one hop away (ttl 63)" \
	jqs --arg r $R1 --arg c $C --argjson o $C_OPEN '
	 (map(select(.direction == "sent" and ."arp.opcode" == 1) | ."arp.dst.proto_ipv4") |
	  unique == [$r]) and
	 (map(select(.kind == "port")) | all(.ttl == 63)) and
	 (map(select(.kind == "port" and .port == $o))[0].state == "open")' "$tmp/syn-cj.out"

# ---- pacing ---------------------------------------------------------------------------

# 10 probes at 50 a second: 9 intervals of 20 ms between the first and
# the last, by the capture's own timestamps.
run syn-rate $NS_A syn --json --rate 50 -W 0.3 $C 8010-8019
check "syn --rate 50: 10 probes over at least 0.17 s" \
	jqs 'map(select(."tcp.flags" == 2 and .direction == "sent") | ."frame.time_epoch") |
	 length == 10 and (max - min) >= 0.17 and (max - min) < 1' "$tmp/syn-rate.out"

# ---- refusals -----------------------------------------------------------------------

for bad in "0" "65536" "22,ssh" "8010-8000" "22,,80"; do
	run syn-bad $NS_A syn -W 0.1 $B "$bad"
	check "syn with the port list '$bad': exit 2 ($(rc syn-bad): $(head -1 $tmp/syn-bad.err))" \
		[ "$(rc syn-bad)" = 2 ]
done
check "syn with an empty item: the sentence says so" has syn-bad.err "empty item"
run syn-bad $NS_A syn -W 0.1 $B 8010-8000
check "syn with a backwards range: the sentence says so" \
	has syn-bad.err "the range 8010-8000 runs backwards: did you mean 8000-8010\\?"
run syn-noports $NS_A syn $B
check "syn without a port list: exit 2" [ "$(rc syn-noports)" = 2 ]
run syn-badaddr $NS_A syn 10.71.1.300 22
check "syn with a bad address: exit 2" [ "$(rc syn-badaddr)" = 2 ]
run syn-rate-cap $NS_A syn --rate 50001 $B 22
check "syn --rate beyond the cap: exit 2" [ "$(rc syn-rate-cap)" = 2 ]
run syn-bcast $NS_A syn -W 0.1 10.71.1.255 22
check "syn to the subnet broadcast: refused, exit 1" \
	bash -c "[ $(rc syn-bcast) = 1 ] && grep -q 'broadcast address' $tmp/syn-bcast.err"
run syn-free $NS_A syn -W 0.2 --retries 0 $FREE 22
check "syn to an address nobody holds: no SYN, exit 1" \
	bash -c "[ $(rc syn-free) = 1 ] && grep -q 'nobody answered ARP for $FREE on a0' $tmp/syn-free.err &&
		 ! grep -q 'TCP \\[SYN\\]' $tmp/syn-free.out"

# ---- what B saw ----------------------------------------------------------------------

# A's kernel's RSTs are its own, not pktlens's: over IPv6 they leave with
# the checksum left to an offload that veth never performs.
lab_b_capture_check "tcp.flags == 0x004"
# (tcpdump's tcp[] reads IPv4 only: IPv6's flags are read past its header.)
a_rsts=$(tcpdump -r "$tmp/b.pcap" -nn "ether src $MAC_A and tcp dst port $PORT_OPEN and
	((ip and tcp[13] & 4 != 0) or (ip6 and ip6[53] & 4 != 0))" 2>/dev/null | wc -l)
check "B recorded A's RSTs to its SYN+ACKs on $PORT_OPEN (IPv4 and IPv6: $a_rsts)" [ "$a_rsts" -ge 4 ]
finish
