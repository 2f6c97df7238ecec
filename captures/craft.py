#!/usr/bin/python3
"""craft.py - write pktlens' crafted sample captures.

Run:  captures/craft.py        (needs /usr/bin/python3 with scapy:
                                Debian package python3-scapy; no root)
      captures/craft.py NAME... (only the named files, e.g. frag-needed.pcap)

Writes, next to this script:
  vlan-qinq.pcap     Ethernet, 802.1ad/802.1Q tagged frames
  malformed.pcap     Ethernet, one frame per kind of breakage (see MALFORMED)
  bsd-loopback.pcap  DLT_NULL (linktype 0), BSD loopback: IPv4 and IPv6
  raw-ip.pcap        LINKTYPE_RAW (linktype 101), raw IPv4 and IPv6
  syn-flood.pcap     200 half-open handshakes to one port from forged sources
  port-scan.pcap     a SYN scan of 40 ports: RST+ACK from closed ones, the
                     SYN+ACK of open ones reset by the scanner
  frag-needed.pcap   Ethernet, TCP connections told by ICMP / ICMPv6 that
                     a segment was too big (path MTU discovery)
  ping-unreachable.pcap  Ethernet, echo requests answered by a router's
                     host unreachable
  dns.pcap           Ethernet, name lookups over UDP, TCP and mDNS, with a
                     compression loop
  syn-attempts.pcap  Ethernet, a half-open probe repeated with the same ISN,
                     a SYN sent three times unanswered, a SYN sent again
                     after its answer went by
  notes.pcap         Ethernet, one case each for the explanations no
                     recorded capture shows (tests/notes_cases.tsv)

scapy only builds the packet bytes; the pcap files are written here with
struct.pack, so the link type, timestamps and caplen/len of every record are
exactly what this script says (scapy's wrpcap always writes caplen == len).
Everything is fixed: timestamps, addresses, ports, IP ids, sequence numbers.
Running it twice gives byte-identical files.
"""

import logging
import os
import socket
import struct
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.all import (  # noqa: E402
    ARP, ICMP, IP, TCP, UDP, Dot1AD, Dot1Q, Ether, ICMPv6EchoReply,
    ICMPv6EchoRequest, ICMPv6ND_NS, ICMPv6ND_RA, ICMPv6ND_RS,
    ICMPv6PacketTooBig, IPv6, Raw,
)

OUT_DIR = os.path.dirname(os.path.abspath(__file__))

LINKTYPE_NULL = 0
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101

BASE_TS = 1700000000          # 2023-11-14 22:13:20 UTC
SNAPLEN = 65535

MAC_A = "52:54:00:12:34:56"
MAC_B = "52:54:00:65:43:21"
IP_A = "10.77.1.1"
IP_B = "10.77.1.2"
MAC_GW = "52:54:00:00:01:fe"      # the router the far hosts are reached through
IP_GW = "10.77.1.254"
IP6_A = "fd77::1"
IP6_GW = "fd77::fe"


def write_pcap(name, linktype, records):
    """records: list of (frame bytes, orig_len or None).  Little-endian
    classic pcap, microsecond timestamps BASE_TS + i * 1 ms."""
    path = os.path.join(OUT_DIR, name)
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, SNAPLEN, linktype)]
    for i, (data, orig_len) in enumerate(records):
        data = bytes(data)
        if orig_len is None:
            orig_len = len(data)
        assert len(data) <= orig_len and len(data) <= SNAPLEN
        usec = i * 1000
        out.append(struct.pack("<IIII", BASE_TS + usec // 1000000,
                               usec % 1000000, len(data), orig_len))
        out.append(data)
    with open(path, "wb") as f:
        f.write(b"".join(out))
    print("wrote %-20s linktype %3d, %2d frames, %5d bytes"
          % (name, linktype, len(records), sum(len(x) for x in out)))


def eth(src=MAC_A, dst=MAC_B, **kw):
    return Ether(src=src, dst=dst, **kw)


def ip4(src=IP_A, dst=IP_B, ident=1, **kw):
    return IP(src=src, dst=dst, id=ident, **kw)


# ---------------------------------------------------------------- VLAN
def vlan_frames():
    return [
        # 1: 802.1ad S-tag vid 100 + 802.1Q C-tag vid 200, ICMP echo request
        eth() / Dot1AD(vlan=100, prio=0) / Dot1Q(vlan=200)
        / ip4(ident=0x0101) / ICMP(type=8, id=0x1234, seq=1)
        / Raw(b"qinq ping"),
        # 2: the matching echo reply, same tags
        eth(MAC_B, MAC_A) / Dot1AD(vlan=100, prio=0) / Dot1Q(vlan=200)
        / ip4(IP_B, IP_A, ident=0x0201) / ICMP(type=0, id=0x1234, seq=1)
        / Raw(b"qinq ping"),
        # 3: single 802.1Q tag, vid 10, PCP 5, carrying UDP 40000 -> 9999
        eth() / Dot1Q(vlan=10, prio=5)
        / ip4(ident=0x0102) / UDP(sport=40000, dport=9999)
        / Raw(b"vlan 10 udp\n"),
        # 4: single 802.1Q tag, vid 10, DEI set, carrying an ARP request
        eth(dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=10, id=1)
        / ARP(op=1, hwsrc=MAC_A, psrc=IP_A, hwdst="00:00:00:00:00:00",
              pdst=IP_B),
    ]


# ---------------------------------------------------------------- malformed
def quoted(pkt, n):
    """First n bytes of a packet, as quoted inside an ICMP error."""
    return bytes(pkt)[:n]


def malformed_frames():
    """Returns a list of (description, frame bytes, orig_len or None)."""
    f = []

    def add(desc, frame, orig_len=None):
        f.append((desc, bytes(frame), orig_len))

    udp_payload = Raw(b"pktlens\n")

    # IPv4 header length 4 (16 bytes) < minimum 5; 20 header bytes follow.
    add("IPv4 IHL=4 (below the minimum of 5)",
        eth() / ip4(ident=0x0001, ihl=4) / UDP(sport=41001, dport=9999)
        / udp_payload)
    # IPv4 total length 1000, frame holds far less.
    add("IPv4 total length 1000, larger than the frame",
        eth() / ip4(ident=0x0002, len=1000) / ICMP(type=8, id=4, seq=1)
        / Raw(b"ip len 1000"))
    # IPv4 header checksum wrong.
    add("IPv4 bad header checksum (0x1234)",
        eth() / ip4(ident=0x0003, chksum=0x1234)
        / ICMP(type=8, id=1, seq=1) / Raw(b"bad ip csum"))
    # TCP data offset 3 (12 bytes) < minimum 5.
    add("TCP data offset 3 (below the minimum of 5)",
        eth() / ip4(ident=0x0004)
        / TCP(sport=41003, dport=8080, seq=1000, ack=2000, flags="PA",
              dataofs=3, window=512) / Raw(b"data"))
    # TCP data offset 15 (60 bytes) but the segment is only 24 bytes long.
    add("TCP data offset 15 pointing past the captured bytes",
        eth() / ip4(ident=0x0005)
        / TCP(sport=41004, dport=8080, seq=1000, ack=2000, flags="A",
              dataofs=15, window=512) / Raw(b"abcd"))
    # TCP option with length 0 (MSS kind 2, length 0): header 24 bytes.
    add("TCP option with length 0 (kind 2, len 0)",
        eth() / ip4(ident=0x0006)
        / TCP(sport=41005, dport=8080, seq=1000, flags="S", dataofs=6,
              window=512) / Raw(b"\x02\x00\x05\xb4"))
    # TCP option running past the header: timestamps (kind 8, len 10) in a
    # 4-byte option area; the payload follows.
    add("TCP option length running past the header (kind 8, len 10 in 4 bytes)",
        eth() / ip4(ident=0x0007)
        / TCP(sport=41006, dport=8080, seq=1000, ack=2000, flags="PA",
              dataofs=6, window=512) / Raw(b"\x08\x0a\x00\x00" + b"payload!"))
    # UDP length 4 < 8.
    add("UDP length 4 (below the header size 8)",
        eth() / ip4(ident=0x0008) / UDP(sport=41007, dport=9999, len=4)
        / udp_payload)
    # UDP length 200, IP payload is only 16 bytes.
    add("UDP length 200, larger than the IP payload",
        eth() / ip4(ident=0x0009) / UDP(sport=41008, dport=9999, len=200)
        / udp_payload)
    # UDP checksum wrong.
    add("UDP bad checksum (0xdead)",
        eth() / ip4(ident=0x000a) / UDP(sport=41009, dport=9999, chksum=0xdead)
        / udp_payload)
    # TCP checksum wrong.
    add("TCP bad checksum (0xbeef)",
        eth() / ip4(ident=0x000b)
        / TCP(sport=41010, dport=8080, seq=1000, ack=2000, flags="PA",
              window=512, chksum=0xbeef) / Raw(b"bad tcp csum\n"))
    # ICMP time exceeded quoting only IP header + 4 bytes of the UDP header.
    orig = (ip4(IP_A, "10.77.9.9", ident=0x4321, ttl=1)
            / UDP(sport=41011, dport=33434) / Raw(b"traceroute probe"))
    add("ICMP time exceeded quoting a truncated datagram (IP hdr + 4 bytes)",
        eth(MAC_B, MAC_A) / ip4(IP_B, IP_A, ident=0x000c)
        / ICMP(type=11, code=0) / Raw(quoted(orig, 24)))
    # ARP with hardware address length 0: htype 1, ptype IPv4, hlen 0,
    # plen 4, op request, then sender IP and target IP only.
    arp_hlen0 = (struct.pack("!HHBBH", 1, 0x0800, 0, 4, 1)
                 + bytes([10, 77, 1, 1]) + bytes([10, 77, 1, 2]))
    add("ARP with hlen=0",
        eth(dst="ff:ff:ff:ff:ff:ff", type=0x0806) / Raw(arp_hlen0))
    # Truncated by snaplen: a 74-byte SYN of which 44 bytes were captured
    # (Ethernet 14 + IPv4 20 + first 10 bytes of the TCP header).
    syn = (eth() / ip4(ident=0x000e, flags="DF")
           / TCP(sport=41012, dport=8080, seq=0x01020304, flags="S",
                 window=64240,
                 options=[("MSS", 1460), ("SAckOK", b""),
                          ("Timestamp", (100, 0)), ("NOP", None),
                          ("WScale", 7)]))
    syn = bytes(syn)
    add("frame truncated by snaplen (caplen 44 < len 74) inside the TCP header",
        syn[:44], len(syn))
    # IPv4 options: record route (len 11, 2 slots, first filled), NOP, EOL,
    # 3 bytes of padding: 16 bytes of options, IHL 9.  TTL 1.
    ipopts = (bytes([7, 11, 8]) + bytes([10, 77, 1, 1]) + bytes(4)
              + bytes([1, 0]) + bytes(3))
    add("IPv4 options (record route, NOP, EOL) and TTL 1",
        bytes(eth(type=0x0800))
        + _ip_with_raw_options(ip4(ident=0x000f, ttl=1),
                               ICMP(type=8, id=2, seq=1) / Raw(b"ip options"),
                               ipopts))
    # Unknown EtherType 0x88b5 (IEEE local experimental).
    add("unknown EtherType 0x88b5",
        eth(type=0x88B5) / Raw(b"local experimental ethertype 1"))
    # Unknown IP protocol 253 (RFC 3692 experimental).
    add("unknown IP protocol 253",
        eth() / ip4(ident=0x0011, proto=253) / Raw(b"experimental protocol"))
    # IPv4 fragments of one 1608-byte UDP datagram: offset 0 with MF (1480
    # bytes of payload), then offset 185 (185*8 = 1480), last fragment.
    dgram = bytes(ip4(ident=0x4242) / UDP(sport=41013, dport=9999)
                  / Raw(bytes(range(256)) * 6 + b"pktlens fragments\n"
                        + bytes(1600 - 1536 - 18)))
    udp_bytes = dgram[20:]
    assert len(udp_bytes) == 1608
    add("IPv4 first fragment (MF, offset 0) of a UDP datagram",
        eth() / ip4(ident=0x4242, flags="MF", frag=0, proto=17)
        / Raw(udp_bytes[:1480]))
    add("IPv4 second/last fragment (offset 185)",
        eth() / ip4(ident=0x4242, flags=0, frag=185, proto=17)
        / Raw(udp_bytes[1480:]))
    # TCP SYN with every option and ECE+CWR.
    add("TCP SYN with MSS, SACK_PERM, TS, NOP, WS, unknown kind 254 len 4; ECE+CWR",
        eth() / ip4(ident=0x0014, flags="DF")
        / TCP(sport=41014, dport=8080, seq=0x11223344, flags="SEC",
              window=64240,
              options=[("MSS", 1460), ("SAckOK", b""),
                       ("Timestamp", (0x01020304, 0)), ("NOP", None),
                       ("WScale", 7), (254, b"\x12\x34")]))
    # TCP segment with SACK blocks, URG and an urgent pointer.
    add("TCP with 2 SACK blocks, URG flag and urgent pointer 5",
        eth() / ip4(ident=0x0015, flags="DF")
        / TCP(sport=41015, dport=8080, seq=0x11223345, ack=0x55667788,
              flags="PAU", urgptr=5, window=501,
              options=[("NOP", None), ("NOP", None),
                       ("SAck", (0x55667800, 0x55667900,
                                 0x55668000, 0x55668100))])
        / Raw(b"URGENT and the rest\n"))
    # ICMP redirect for host, gateway 10.77.1.254.
    orig = (ip4(IP_A, "10.77.2.5", ident=0x5555)
            / UDP(sport=41016, dport=53) / Raw(b"query"))
    add("ICMP redirect (host) to gateway 10.77.1.254",
        eth(MAC_B, MAC_A) / ip4(IP_B, IP_A, ident=0x0016)
        / ICMP(type=5, code=1, gw="10.77.1.254") / Raw(quoted(orig, 28)))
    # ICMP destination unreachable, fragmentation needed, next-hop MTU 1400.
    orig = (ip4(IP_A, "10.77.3.3", ident=0x6666, flags="DF")
            / TCP(sport=41017, dport=443, seq=0x0a0b0c0d, ack=1, flags="PA",
                  window=501) / Raw(bytes(1460)))
    add("ICMP dest unreachable, fragmentation needed, next-hop MTU 1400",
        eth(MAC_B, MAC_A) / ip4(IP_B, IP_A, ident=0x0017)
        / ICMP(type=3, code=4, nexthopmtu=1400) / Raw(quoted(orig, 28)))
    # ICMP echo request with a wrong checksum.
    add("ICMP echo request with bad checksum (0xffff)",
        eth() / ip4(ident=0x0018) / ICMP(type=8, id=3, seq=1, chksum=0xFFFF)
        / Raw(b"bad icmp csum"))
    return f


def _ip_with_raw_options(iphdr, payload, opts):
    """Build IPv4 with raw option bytes; scapy fixes IHL, len and checksum."""
    assert len(opts) % 4 == 0
    raw = bytes(iphdr / payload)
    hdr = bytearray(raw[:20] + opts)
    body = raw[20:]
    hdr[0] = 0x40 | (len(hdr) // 4)
    struct.pack_into("!H", hdr, 2, len(hdr) + len(body))
    struct.pack_into("!H", hdr, 10, 0)
    struct.pack_into("!H", hdr, 10, _csum(bytes(hdr)))
    return bytes(hdr) + body


def _csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


# ---------------------------------------------------------------- BSD loopback
def null_frames():
    """DLT_NULL: 4-byte address family in the writer's byte order (here
    little-endian, as on x86/arm BSDs and macOS).  AF_INET is 2 everywhere;
    AF_INET6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD) or 30 (macOS)."""
    def af(n):
        return struct.pack("<I", n)
    v4 = "127.0.0.1"
    v6 = "::1"
    return [
        af(2) + bytes(IP(src=v4, dst=v4, id=0x0a01, ttl=64)
                      / ICMP(type=8, id=0x77, seq=1) / Raw(b"lo0 ping")),
        af(2) + bytes(IP(src=v4, dst=v4, id=0x0a02, ttl=64)
                      / ICMP(type=0, id=0x77, seq=1) / Raw(b"lo0 ping")),
        af(30) + bytes(IPv6(src=v6, dst=v6, hlim=64)
                       / UDP(sport=40010, dport=9999) / Raw(b"AF_INET6=30 macOS\n")),
        af(28) + bytes(IPv6(src=v6, dst=v6, hlim=64)
                       / UDP(sport=40011, dport=9999) / Raw(b"AF_INET6=28 FreeBSD\n")),
        af(24) + bytes(IPv6(src=v6, dst=v6, hlim=64)
                       / TCP(sport=40012, dport=8080, seq=1, flags="S",
                             window=65535, options=[("MSS", 16344)])),
    ]


# ---------------------------------------------------------------- raw IP
def raw_frames():
    a6, b6 = "fd77::1", "fd77::2"
    return [
        IP(src=IP_A, dst=IP_B, id=0x0b01, flags="DF")
        / TCP(sport=40020, dport=8080, seq=0x1000, flags="S", window=64240,
              options=[("MSS", 1460), ("NOP", None), ("NOP", None),
                       ("SAckOK", b""), ("NOP", None), ("WScale", 7)]),
        IP(src=IP_B, dst=IP_A, id=0x0b02, flags="DF")
        / TCP(sport=8080, dport=40020, seq=0x2000, ack=0x1001, flags="SA",
              window=65160,
              options=[("MSS", 1460), ("NOP", None), ("NOP", None),
                       ("SAckOK", b""), ("NOP", None), ("WScale", 7)]),
        IP(src=IP_A, dst=IP_B, id=0x0b03, flags="DF")
        / TCP(sport=40020, dport=8080, seq=0x1001, ack=0x2001, flags="A",
              window=502),
        IP(src=IP_A, dst=IP_B, id=0x0b04) / UDP(sport=40021, dport=9999)
        / Raw(b"raw ip udp\n"),
        IPv6(src=a6, dst=b6, hlim=64)
        / ICMPv6EchoRequest(id=0x99, seq=1, data=b"raw ipv6 ping"),
        IPv6(src=b6, dst=a6, hlim=64)
        / ICMPv6EchoReply(id=0x99, seq=1, data=b"raw ipv6 ping"),
    ]


# ---------------------------------------------------------------- patterns
def syn_flood_frames():
    """200 SYNs to IP_B:80 from 200 forged sources in 10.99.0.0/16, each
    answered by the server's SYN+ACK and never completed; two genuine
    handshakes from IP_A go through in the middle."""
    out = []
    server_isn = 500000
    for i in range(200):
        src = "10.99.%d.%d" % (i // 250, 1 + i % 250)
        sport = 1024 + (i * 7919) % 60000
        out.append((eth(src="52:54:00:99:00:01") / ip4(src=src, ident=i) /
                    TCP(sport=sport, dport=80, flags="S", seq=1000 * i, window=512), None))
        out.append((eth(src=MAC_B, dst="52:54:00:99:00:01") /
                    ip4(src=IP_B, dst=src, ident=5000 + i) /
                    TCP(sport=80, dport=sport, flags="SA", seq=server_isn + i,
                        ack=1000 * i + 1, window=64240), None))
        if i in (60, 140):
            cport = 40000 + i
            out.append((eth() / ip4(ident=9000 + i) /
                        TCP(sport=cport, dport=80, flags="S", seq=7000, window=64240), None))
            out.append((eth(src=MAC_B, dst=MAC_A) / ip4(src=IP_B, dst=IP_A, ident=9100 + i) /
                        TCP(sport=80, dport=cport, flags="SA", seq=8000, ack=7001,
                            window=64240), None))
            out.append((eth() / ip4(ident=9200 + i) /
                        TCP(sport=cport, dport=80, flags="A", seq=7001, ack=8001,
                            window=502), None))
    return out


def port_scan_frames():
    """A SYN scan of ports 1-40 of IP_B from IP_A: closed ports answer
    RST+ACK; open ports 22 and 25 answer SYN+ACK, which the scanner
    resets instead of completing the handshake."""
    out = []
    for port in range(1, 41):
        syn_seq = 0x5C4A0000 + port
        out.append((eth() / ip4(ident=port) /
                    TCP(sport=45678, dport=port, flags="S", seq=syn_seq, window=1024), None))
        if port in (22, 25):
            out.append((eth(src=MAC_B, dst=MAC_A) / ip4(src=IP_B, dst=IP_A, ident=100 + port) /
                        TCP(sport=port, dport=45678, flags="SA", seq=0x77000000 + port,
                            ack=syn_seq + 1, window=64240), None))
            out.append((eth() / ip4(ident=200 + port) /
                        TCP(sport=45678, dport=port, flags="R", seq=syn_seq + 1,
                            window=0), None))
        else:
            out.append((eth(src=MAC_B, dst=MAC_A) / ip4(src=IP_B, dst=IP_A, ident=100 + port) /
                        TCP(sport=port, dport=45678, flags="RA", seq=0, ack=syn_seq + 1,
                            window=0), None))
    return out


# ---------------------------------------------------------------- PMTU
def _tcp_pmtu(v6, client, server, icmp_too_big, quote_len, mtu, overhead):
    """A TCP connection from client to server through the router: the
    handshake (MSS 1460), one 1460-byte segment (DF set over IPv4), the
    router's "too big" error quoting its first quote_len bytes, the same
    bytes sent again in segments that fit mtu, their ACK, and a
    client-first close."""
    sport, dport = (40031 if v6 else 40030), 443
    cisn, sisn = 1000, 5000
    data = bytes(range(256)) * 5 + bytes(180)
    assert len(data) == 1460
    fit = mtu - overhead

    def net(src, dst):
        return IPv6(src=src, dst=dst) if v6 else IP(src=src, dst=dst, flags="DF")

    def c2s(seq, ack, flags, payload=b"", options=None):
        return (eth(MAC_A, MAC_GW) / net(client, server)
                / TCP(sport=sport, dport=dport, seq=seq, ack=ack, flags=flags,
                      window=64240 if flags == "S" else 502, options=options or [])
                / Raw(payload))

    def s2c(seq, ack, flags, options=None):
        return (eth(MAC_GW, MAC_A) / net(server, client)
                / TCP(sport=dport, dport=sport, seq=seq, ack=ack, flags=flags,
                      window=509, options=options or []))

    big = c2s(cisn + 1, sisn + 1, "PA", data)
    end = cisn + 1 + len(data)
    return [
        c2s(cisn, 0, "S", options=[("MSS", 1460)]),
        s2c(sisn, cisn + 1, "SA", options=[("MSS", 1460)]),
        c2s(cisn + 1, sisn + 1, "A"),
        big,
        eth(MAC_GW, MAC_A) / icmp_too_big / Raw(bytes(big)[14:14 + quote_len]),
        c2s(cisn + 1, sisn + 1, "A", data[:fit]),
        c2s(cisn + 1 + fit, sisn + 1, "PA", data[fit:]),
        s2c(sisn + 1, end, "A"),
        c2s(end, sisn + 1, "FA"),
        s2c(sisn + 1, end + 1, "FA"),
        c2s(end + 1, sisn + 2, "A"),
    ]


def frag_needed_frames():
    """IPv4: a router's fragmentation needed (next-hop MTU 1400) quoting
    the IP header and 28 bytes of the segment; IPv6: packet too big (MTU
    1280) quoting as much as fits in 1280 bytes, as RFC 4443 asks."""
    far4, far6 = "10.77.5.5", "fd77:5::5"
    v4 = _tcp_pmtu(False, IP_A, far4,
                   IP(src=IP_GW, dst=IP_A, id=0x0e01)
                   / ICMP(type=3, code=4, nexthopmtu=1400), 48, 1400, 40)
    v6 = _tcp_pmtu(True, IP6_A, far6,
                   IPv6(src=IP6_GW, dst=IP6_A) / ICMPv6PacketTooBig(mtu=1280),
                   1280 - 48, 1280, 60)
    return v4 + v6


def ping_unreachable_frames():
    """Echo requests to a host the router cannot reach: each answered by
    host unreachable quoting the request (IP header + 8 bytes)."""
    far = "10.77.9.9"
    frames = []
    for seq in (1, 2):
        req = (eth(MAC_A, MAC_GW) / ip4(IP_A, far, ident=0x0f00 + seq, flags="DF")
               / ICMP(type=8, id=0x4d2, seq=seq) / Raw(b"are you there?"))
        frames.append(req)
        frames.append(eth(MAC_GW, MAC_A) / ip4(IP_GW, IP_A, ident=0x0f10 + seq)
                      / ICMP(type=3, code=1) / Raw(quoted(req[IP], 28)))
    return frames


# ---------------------------------------------------------------- DNS
def _dns_name(name):
    """A name as labels, uncompressed."""
    out = b""
    for label in name.split(".") if name else []:
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def _dns(ident, flags, questions, answers=()):
    """A DNS message: questions (name, type), answers as raw record bytes."""
    msg = struct.pack(">HHHHHH", ident, flags, len(questions), len(answers), 0, 0)
    for name, qtype in questions:
        msg += _dns_name(name) + struct.pack(">HH", qtype, 1)
    for rr in answers:
        msg += rr
    return msg


def _rr(name_bytes, rtype, ttl, rdata):
    return name_bytes + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata


def dns_frames():
    """Name lookups: A with a CNAME chain (compressed names), AAAA,
    NXDomain, a query over TCP (length-prefixed), an mDNS PTR query, and a
    response whose name points at itself (a compression loop)."""
    client, server = (IP_A, 40053), (IP_B, 53)
    ptr12 = b"\xc0\x0c"                      # the question's name
    a = socket.inet_aton
    query = _dns(0x1a2b, 0x0100, [("www.example.org", 1)])
    # web.example.org written as "web" + a pointer to example.org (offset 16)
    web = b"\x03web\xc0\x10"
    answer = _dns(0x1a2b, 0x8180, [("www.example.org", 1)],
                  [_rr(ptr12, 5, 300, web),
                   _rr(b"\x03web\xc0\x10", 1, 60, a("198.51.100.80"))])
    aaaa_q = _dns(0x1a2c, 0x0100, [("www.example.org", 28)])
    aaaa_a = _dns(0x1a2c, 0x8180, [("www.example.org", 28)],
                  [_rr(ptr12, 28, 60, socket.inet_pton(socket.AF_INET6, "2001:db8::80"))])
    nx_q = _dns(0x1a2d, 0x0100, [("nosuch.example.org", 1)])
    nx_a = _dns(0x1a2d, 0x8183, [("nosuch.example.org", 1)])
    tcp_q = _dns(0x1a2e, 0x0100, [("example.org", 6)])
    mdns_q = _dns(0, 0, [("_http._tcp.local", 12)])
    # The answer's name is a pointer to itself (offset 34, where it is).
    loop = _dns(0x1a2f, 0x8180, [("loop.example.org", 1)],
                [_rr(b"\xc0\x22", 1, 60, a("192.0.2.1"))])

    def udp(payload, frm, to, link=eth()):
        return link / ip4(frm[0], to[0]) / UDP(sport=frm[1], dport=to[1]) / Raw(payload)

    def back(payload):
        return udp(payload, server, client, eth(MAC_B, MAC_A))
    return [
        udp(query, client, server), back(answer),
        udp(aaaa_q, client, server), back(aaaa_a),
        udp(nx_q, client, server), back(nx_a),
        eth() / ip4() / TCP(sport=40054, dport=53, flags="PA", seq=1000, ack=2000)
        / Raw(struct.pack(">H", len(tcp_q)) + tcp_q),
        eth(dst="01:00:5e:00:00:fb") / ip4(IP_A, "224.0.0.251", ttl=255)
        / UDP(sport=5353, dport=5353) / Raw(mdns_q),
        back(loop),
    ]
# ---------------------------------------------------------------- notes
def _tcp(sport, dport, client=IP_A, server=IP_B):
    """Frame builders for one TCP conversation: c(...) from client to
    server, s(...) back; keyword ttl sets the IP TTL."""
    def c(seq, ack, flags, payload=b"", ttl=64, **kw):
        return (eth(MAC_A, MAC_B) / IP(src=client, dst=server, ttl=ttl)
                / TCP(sport=sport, dport=dport, seq=seq, ack=ack, flags=flags,
                      window=kw.pop("window", 502), **kw) / Raw(payload))

    def s_(seq, ack, flags, payload=b"", ttl=64, **kw):
        return (eth(MAC_B, MAC_A) / IP(src=server, dst=client, ttl=ttl)
                / TCP(sport=dport, dport=sport, seq=seq, ack=ack, flags=flags,
                      window=kw.pop("window", 509), **kw) / Raw(payload))
    return c, s_


def _handshake(c, s_, cisn, sisn, mss=None):
    opts = [("MSS", mss)] if mss else []
    return [c(cisn, 0, "S", options=opts), s_(sisn, cisn + 1, "SA", options=opts),
            c(cisn + 1, sisn + 1, "A")]


def notes_frames():
    """(description, frame) for each case; see captures/README.md."""
    f = []

    def add(desc, *frames):
        for fr in frames:
            f.append((desc, fr))

    gw = (MAC_GW, MAC_A)
    # ---- IPv4 and ICMP
    add("echo request with TTL 0",
        eth() / ip4(ident=0x2001, ttl=0) / ICMP(type=8, id=11, seq=1) / Raw(b"ttl 0"))
    dns = ip4(IP_A, "10.88.0.53", ident=0x2002) / UDP(sport=40500, dport=53) / Raw(b"q")
    add("net unreachable quoting a UDP datagram",
        eth(*gw) / ip4(IP_GW, IP_A, ident=0x2003) / ICMP(type=3, code=0)
        / Raw(quoted(dns, 28)))
    odd = ip4(IP_A, IP_B, ident=0x2004, proto=253) / Raw(b"protocol 253")
    add("protocol unreachable",
        eth(MAC_B, MAC_A) / ip4(IP_B, IP_A, ident=0x2005) / ICMP(type=3, code=2)
        / Raw(quoted(odd, 28)))
    c, s_ = _tcp(40100, 22, IP_A, "10.77.3.3")
    syn = c(7000, 0, "S")
    add("a SYN, refused by a firewall's administratively prohibited",
        syn, eth(*gw) / ip4(IP_GW, IP_A, ident=0x2006) / ICMP(type=3, code=13)
        / Raw(quoted(syn[IP], 28)))
    add("destination host unknown (another unreachable code)",
        eth(*gw) / ip4(IP_GW, IP_A, ident=0x2007) / ICMP(type=3, code=7)
        / Raw(quoted(dns, 28)))
    add("fragment reassembly time exceeded",
        eth(MAC_B, MAC_A) / ip4(IP_B, IP_A, ident=0x2008) / ICMP(type=11, code=1)
        / Raw(quoted(dns, 28)))
    add("parameter problem at byte 1",
        eth(MAC_B, MAC_A) / ip4(IP_B, IP_A, ident=0x2009) / ICMP(type=12, code=0, ptr=1)
        / Raw(quoted(dns, 28)))
    # ---- IPv6 neighbour discovery
    add("router solicitation and advertisement",
        eth(MAC_A, "33:33:00:00:00:02") / IPv6(src="fe80::1", dst="ff02::2", hlim=255)
        / ICMPv6ND_RS(),
        eth(MAC_GW, "33:33:00:00:00:01") / IPv6(src="fe80::fe", dst="ff02::1", hlim=255)
        / ICMPv6ND_RA())
    add("neighbour solicitation from :: (duplicate address detection)",
        eth(MAC_A, "33:33:ff:00:00:05")
        / IPv6(src="::", dst="ff02::1:ff00:5", hlim=255) / ICMPv6ND_NS(tgt="fd77::5"))
    # ---- addresses (read -A)
    add("UDP from a link-local address to an mDNS multicast group",
        eth(MAC_A, "01:00:5e:00:00:fb") / ip4("169.254.7.7", "224.0.0.251", ident=0x200a)
        / UDP(sport=5353, dport=5353) / Raw(b"mdns"))
    # ---- echo
    add("an echo reply nobody asked for",
        eth(MAC_B, MAC_A) / ip4(IP_B, IP_A, ident=0x200b) / ICMP(type=0, id=12, seq=1)
        / Raw(b"unasked"))
    req = eth() / ip4(ident=0x200c) / ICMP(type=8, id=13, seq=1) / Raw(b"twice")
    rep = eth(MAC_B, MAC_A) / ip4(IP_B, IP_A, ident=0x200d) / ICMP(type=0, id=13, seq=1) \
        / Raw(b"twice")
    add("an echo request answered twice", req, rep, rep)
    lost = ip4(IP_A, "10.77.9.9", ident=0x200e) / ICMP(type=8, id=14, seq=7) / Raw(b"x")
    add("an error quoting an echo request the capture did not see",
        eth(MAC_A, MAC_GW) / ip4(IP_A, "10.77.9.9", ident=0x200f)
        / ICMP(type=8, id=14, seq=1) / Raw(b"x"),
        eth(*gw) / ip4(IP_GW, IP_A, ident=0x2010) / ICMP(type=3, code=1)
        / Raw(quoted(lost, 28)))
    # ---- UDP
    first = None
    for i in range(5):
        d = eth() / ip4(ident=0x2100 + i) / UDP(sport=40200, dport=9999) / Raw(b"d%d" % i)
        first = first or d
        add("five datagrams of one flow", d)
    add("a port unreachable quoting the first of them",
        eth(MAC_B, MAC_A) / ip4(IP_B, IP_A, ident=0x2011) / ICMP(type=3, code=3)
        / Raw(quoted(first[IP], 28)))
    add("a broadcast answered by two hosts",
        eth(MAC_A, "ff:ff:ff:ff:ff:ff") / ip4(IP_A, "255.255.255.255", ident=0x2012)
        / UDP(sport=40300, dport=5555) / Raw(b"who serves 5555?"),
        eth(MAC_B, MAC_A) / ip4(IP_B, IP_A, ident=0x2013) / UDP(sport=5555, dport=40300)
        / Raw(b"I do"),
        eth("52:54:00:00:00:03", MAC_A) / ip4("10.77.1.3", IP_A, ident=0x2014)
        / UDP(sport=5555, dport=40300) / Raw(b"I do too"))
    # ---- ARP
    who = eth(MAC_A, "ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=MAC_A, psrc=IP_A,
                                                hwdst="00:00:00:00:00:00", pdst="10.77.1.9")
    add("an ARP request asked again, unanswered", who, who)
    # ---- TCP, one conversation each
    c, s_ = _tcp(40401, 8001)
    add("ECN: negotiated, then ECE and CWR",
        c(100, 0, "SEC"), s_(900, 101, "SAE"), c(101, 901, "A"),
        c(101, 901, "PA", b"x" * 10), s_(901, 111, "AE"),
        c(111, 901, "PAC", b"y" * 10), s_(901, 121, "A"))
    c, s_ = _tcp(40402, 8002)
    add("simultaneous open",
        c(200, 0, "S"), s_(2000, 0, "S"), c(200, 2001, "SA"), s_(2000, 201, "SA"))
    c, s_ = _tcp(40403, 8003)
    add("a SYN sent again, then answered",
        c(300, 0, "S"), c(300, 0, "S"), s_(3000, 301, "SA"), c(301, 3001, "A"))
    c, s_ = _tcp(5000, 6000)
    add("mid-stream, neither port telling the roles",
        c(400, 4000, "PA", b"z" * 20), s_(4000, 420, "A"))
    c, s_ = _tcp(40405, 8005)
    add("a window update after the close, reset by the closed end",
        *_handshake(c, s_, 500, 5000), c(501, 5001, "FA"), s_(5001, 502, "FA"),
        c(502, 5002, "A"), c(502, 5002, "A", window=1000), s_(5002, 0, "R"))
    c, s_ = _tcp(40406, 8006)
    add("a closed connection's 4-tuple reused by a new SYN",
        *_handshake(c, s_, 600, 6000), c(601, 6001, "FA"), s_(6001, 602, "FA"),
        c(602, 6002, "A"), c(90600, 0, "S"))
    c, s_ = _tcp(40407, 8007)
    add("a segment larger than the MSS (offloaded)",
        *_handshake(c, s_, 700, 7000, mss=1460), c(701, 7001, "PA", bytes(2920)),
        s_(7001, 3621, "A"))
    c, s_ = _tcp(40408, 8008)
    add("zero window, probed",
        *_handshake(c, s_, 800, 8000), c(801, 8001, "PA", b"a" * 100),
        s_(8001, 901, "A", window=0), c(901, 8001, "A", b"b"),
        s_(8001, 901, "A", window=0))
    c, s_ = _tcp(40409, 8009)
    add("data already acknowledged, sent again",
        *_handshake(c, s_, 900, 9000), c(901, 9001, "PA", b"c" * 100),
        s_(9001, 1001, "A"), c(901, 9001, "PA", b"c" * 100))
    c, s_ = _tcp(40410, 8010)
    add("an ACK for bytes the capture never saw",
        *_handshake(c, s_, 1000, 10000), c(1001, 10001, "PA", b"d" * 100),
        s_(10001, 1201, "A"))
    c, s_ = _tcp(40411, 8011)
    add("the server's TTL changes within the connection",
        *_handshake(c, s_, 1100, 11000), c(1101, 11001, "PA", b"e" * 10),
        s_(11001, 1111, "A", ttl=51))
    c, s_ = _tcp(5001, 443)
    add("mid-stream, the server on a well-known port",
        c(1200, 12000, "PA", b"f" * 20), s_(12000, 1220, "A"))
    add("a UDP datagram without a checksum",
        eth() / ip4(ident=0x2015) / UDP(sport=40600, dport=9999, chksum=0) / Raw(b"no sum"))
    # ---- verdicts where tshark's rules and the bytes disagree
    c, s_ = _tcp(40412, 8012)
    add("bytes seen before, sent again a millisecond after the highest",
        *_handshake(c, s_, 1300, 13000), c(1301, 13001, "PA", b"g" * 100),
        c(1401, 13001, "PA", b"h" * 100), c(1301, 13001, "PA", b"g" * 100))
    filler = eth() / ip4(ident=0x2016) / UDP(sport=40601, dport=9999) / Raw(b"time passes")
    c, s_ = _tcp(40413, 8013)
    add("a gap filled late, with no ACK asking for it",
        *_handshake(c, s_, 1500, 15000), c(1601, 15001, "PA", b"j" * 100),
        filler, filler, filler, c(1501, 15001, "PA", b"i" * 100))
    c, s_ = _tcp(40414, 8014)
    add("a gap filled after duplicate ACKs asked for it",
        *_handshake(c, s_, 1700, 17000), c(1801, 17001, "PA", b"l" * 100),
        c(1901, 17001, "PA", b"m" * 100), s_(17001, 1701, "A"), s_(17001, 1701, "A"),
        s_(17001, 1701, "A"), c(1701, 17001, "PA", b"k" * 100))
    c, s_ = _tcp(40415, 8015)
    add("one new byte into a closed window, answered",
        *_handshake(c, s_, 1900, 19000), c(1901, 19001, "PA", b"n" * 100),
        s_(19001, 2001, "A", window=0), c(2001, 19001, "PA", b"o"),
        s_(19001, 2001, "A", window=0))
    c, s_ = _tcp(40416, 8016)
    add("duplicate ACKs, and the gap filled sooner than a round trip could bring it",
        c(2300, 0, "S"), *[filler] * 5, s_(23000, 2301, "SA"), *[filler] * 5,
        c(2301, 23001, "A"), c(2401, 23001, "PA", b"q" * 100),
        s_(23001, 2301, "A"), s_(23001, 2301, "A"), c(2301, 23001, "PA", b"p" * 100))
    c, s_ = _tcp(40417, 8017)
    add("captured at the server, which acknowledges 41 ms late",
        c(2500, 0, "S"), s_(25000, 2501, "SA"), *[filler] * 10, c(2501, 25001, "A"),
        c(2501, 25001, "PA", b"r" * 100), *[filler] * 40, s_(25001, 2601, "A"))
    # ---- lone segments no TCP stack sends: scans
    for sport, flags, what in ((40420, "", "NULL scan"), (40421, "F", "FIN scan"),
                               (40422, "FPU", "Xmas scan"), (40423, "FSRPAUEC", "all flags"),
                               (40424, "SF", "SYN+FIN"), (40425, "SR", "SYN+RST")):
        c, s_ = _tcp(sport, 8020)
        add("a lone segment: " + what, c(2100, 0, flags))
    # ---- where tshark's rules and the bytes disagree, the other way round
    far = "10.77.5.6"

    def c_df(seq, ack, flags, payload=b"", **kw):
        return (eth(MAC_A, MAC_GW) / IP(src=IP_A, dst=far, flags="DF")
                / TCP(sport=40430, dport=443, seq=seq, ack=ack, flags=flags, window=502, **kw)
                / Raw(payload))

    def s_gw(seq, ack, flags, **kw):
        return (eth(MAC_GW, MAC_A) / IP(src=far, dst=IP_A)
                / TCP(sport=443, dport=40430, seq=seq, ack=ack, flags=flags, window=509, **kw))
    big = bytes(range(256)) * 5 + bytes(180)
    s2 = c_df(4061, 26001, "PA", big)
    add("the path's MTU drops after a first full segment went through: the router refuses "
        "the second, the first is acknowledged, then both are resent smaller",
        c_df(2600, 0, "S", options=[("MSS", 1460)]),
        s_gw(26000, 2601, "SA", options=[("MSS", 1460)]), c_df(2601, 26001, "A"),
        c_df(2601, 26001, "PA", big), s2,
        eth(MAC_GW, MAC_A) / ip4(IP_GW, IP_A, ident=0x2017)
        / ICMP(type=3, code=4, nexthopmtu=1400) / Raw(quoted(s2[IP], 48)),
        s_gw(26001, 4061, "A"),
        c_df(2601, 26001, "A", big[:1360]), c_df(3961, 26001, "PA", big[1360:]),
        c_df(4061, 26001, "A", big[:1360]), c_df(5421, 26001, "PA", big[1360:]),
        s_gw(26001, 5521, "A"))
    c, s_ = _tcp(40431, 8031)
    add("the receiver shrinks its window to 0 while data is in flight: it refuses what "
        "came beyond it, one ACK each",
        *_handshake(c, s_, 2700, 27000), c(2701, 27001, "PA", b"s" * 100),
        c(2801, 27001, "PA", b"t" * 100), s_(27001, 2801, "A", window=0),
        c(2901, 27001, "PA", b"u"), s_(27001, 2801, "A", window=0),
        s_(27001, 2801, "A", window=0))
    c, s_ = _tcp(40432, 8032)
    add("a one-byte last segment beyond a loss, sent again by the tail loss probe; "
        "the receiver repeats its ACK",
        *_handshake(c, s_, 2800, 28000), c(2801, 28001, "PA", b"v" * 100),
        c(2901, 28001, "PA", b"w"), s_(28001, 2801, "A"), c(2901, 28001, "PA", b"w"),
        s_(28001, 2801, "A"))
    c, s_ = _tcp(40433, 8033)
    add("the receiver acknowledges bytes the capture never saw, then they go by",
        *_handshake(c, s_, 2900, 29000), c(3001, 29001, "PA", b"y" * 100),
        s_(29001, 3101, "A"), c(2901, 29001, "PA", b"x" * 100))
    return f


def syn_attempts_frames():
    """New attempts on one 4-tuple against SYNs sent again: a half-open
    probe repeated with the same ISN after the prober reset the first
    SYN+ACK (the listener answers the second with a new ISN: a new
    conversation, no retransmission), then a SYN sent three times and
    never answered (attempts 2 and 3), then a SYN sent again although its
    SYN+ACK went by (lost beyond the capture point)."""
    c, s_ = _tcp(40434, 8034)
    probe = [c(3000, 0, "S"), s_(30000, 3001, "SA"), c(3001, 0, "R")]
    probe_again = [c(3000, 0, "S"), s_(31000, 3001, "SA"), c(3001, 0, "R")]
    c, s_ = _tcp(40435, 8035)
    unanswered = [c(3100, 0, "S")] * 3
    c, s_ = _tcp(40436, 8036)
    answered = [c(3200, 0, "S"), s_(32000, 3201, "SA"), c(3200, 0, "S"),
                s_(32000, 3201, "SA"), c(3201, 32001, "A")]
    return probe + probe_again + unanswered + answered


def main():
    names = [a for a in sys.argv[1:] if not a.startswith("-")]

    def wanted(name):
        return not names or name in names

    if wanted("vlan-qinq.pcap"):
        write_pcap("vlan-qinq.pcap", LINKTYPE_ETHERNET,
                   [(p, None) for p in vlan_frames()])
    mf = malformed_frames()
    if wanted("malformed.pcap"):
        write_pcap("malformed.pcap", LINKTYPE_ETHERNET,
                   [(data, orig) for _, data, orig in mf])
    if "-v" in sys.argv[1:]:
        for i, (desc, _, _) in enumerate(mf, 1):
            print("  malformed.pcap #%-2d %s" % (i, desc))
    if wanted("bsd-loopback.pcap"):
        write_pcap("bsd-loopback.pcap", LINKTYPE_NULL,
                   [(p, None) for p in null_frames()])
    if wanted("raw-ip.pcap"):
        write_pcap("raw-ip.pcap", LINKTYPE_RAW,
                   [(p, None) for p in raw_frames()])
    if wanted("frag-needed.pcap"):
        write_pcap("frag-needed.pcap", LINKTYPE_ETHERNET,
                   [(p, None) for p in frag_needed_frames()])
    if wanted("ping-unreachable.pcap"):
        write_pcap("ping-unreachable.pcap", LINKTYPE_ETHERNET,
                   [(p, None) for p in ping_unreachable_frames()])
    if wanted("syn-flood.pcap"):
        write_pcap("syn-flood.pcap", LINKTYPE_ETHERNET, syn_flood_frames())
    if wanted("port-scan.pcap"):
        write_pcap("port-scan.pcap", LINKTYPE_ETHERNET, port_scan_frames())
    if wanted("dns.pcap"):
        write_pcap("dns.pcap", LINKTYPE_ETHERNET, [(p, None) for p in dns_frames()])
    if wanted("syn-attempts.pcap"):
        write_pcap("syn-attempts.pcap", LINKTYPE_ETHERNET,
                   [(p, None) for p in syn_attempts_frames()])
    nf = notes_frames()
    if wanted("notes.pcap"):
        write_pcap("notes.pcap", LINKTYPE_ETHERNET, [(p, None) for _, p in nf])
    if "-v" in sys.argv[1:]:
        for i, (desc, _) in enumerate(nf, 1):
            print("  notes.pcap #%-2d %s" % (i, desc))


if __name__ == "__main__":
    main()
