#!/usr/bin/env python3
"""Write a capture of N TCP SYNs, each opening a connection of its own,
chosen to collide in the connection table's earlier hashes.

  collide.py [--family unseeded|seeded|both] [--plain] N OUT.pcap

unseeded (the default): IPv4 SYNs that shared one bucket of the
multiplicative hash as it was before it was seeded: every key gets the
same value `a` = src * 0x9e3779b1 ^ sport * 0x85ebca6b (mod 2^32) by
solving for the source address of each source port, and the same `b`
for its destination (10.99.0.1 port 80 for the first 64512, then
another port and the address solved for it).  Through read -q 60000
took 46 s unseeded, a fraction of a second seeded.

seeded: IPv6 SYNs to one server from one port, from sources that differ
only in the top 5 bits of each 32-bit word (as read from memory, little
endian: the last byte of each group of four).  The seeded multiplicative
hash multiplied (state ^ word) by a constant for each word: a change to
a word's top bits changed only the top bits of the state, whatever the
seed, so these 2^20 sources had 32 hashes among them under every seed.

both: the two families in turn, frame by frame.

--plain: the same frames from sources that count up instead (10.100.0.0
and up, 2001:db8:1::/64): ordinary lone SYNs, to compare with."""
import argparse
import struct

C, D = 0x9e3779b1, 0x85ebca6b
C_INV = pow(C, -1, 1 << 32)
M = 0xffffffff
ETH_MACS = b"\x52\x54\x00\x00\x00\x02" + b"\x52\x54\x00\x00\x00\x01"
SERVER4 = bytes([10, 99, 0, 1])
SERVER6 = bytes.fromhex("20010db8000000000000000000000001")
SEEDED_BASE = bytes.fromhex("20010db8000100000000000000000000")


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def syn(sport, dport, seq):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, 0x02, 64240, 0, 0)


def with_checksum(tcp, pseudo):
    return tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]


def frame4(src, sport, dst, dport, i):
    tcp = with_checksum(syn(sport, dport, 1000 + i),
                        src + dst + struct.pack("!BBH", 0, 6, 20))
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, i & 0xffff, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ETH_MACS + b"\x08\x00" + ip + tcp


def frame6(src, sport, i):
    tcp = with_checksum(syn(sport, 80, 1000 + i),
                        src + SERVER6 + struct.pack("!IxxxB", 20, 6))
    ip = struct.pack("!IHBB16s16s", 6 << 28, 20, 6, 64, src, SERVER6)
    return ETH_MACS + b"\x86\xdd" + ip + tcp


PORTS = 65536 - 1024


def word(addr):
    """An address as the old hash read it: a host-order (little-endian) word."""
    return struct.unpack("<I", addr)[0]


def solve(target, port):
    """The address that gives `target` with this port."""
    return struct.pack("<I", ((target ^ ((port * D) & M)) * C_INV) & M)


class Unseeded:
    """IPv4 ends solved, one per port, to one value of `a` and of `b`."""

    def __init__(self):
        self.a = ((word(bytes([10, 99, 0, 2])) * C) & M) ^ ((40000 * D) & M)
        self.b = ((word(SERVER4) * C) & M) ^ ((80 * D) & M)

    def frame(self, n, i, plain):
        sport, dport = 1024 + n % PORTS, 80 + n // PORTS
        if plain:
            return frame4(struct.pack("!I", 0x0a640000 + n), sport, SERVER4, dport, i)
        return frame4(solve(self.a, sport), sport, solve(self.b, dport), dport, i)


class Seeded:
    """IPv6 sources: bits of n in the top 5 bits of each 32-bit word."""

    def frame(self, n, i, plain):
        src = bytearray(SEEDED_BASE)
        if plain:
            src[8:16] = struct.pack("!Q", n + 1)
        else:
            for w in range(4):
                src[4 * w + 3] ^= ((n >> (5 * w)) & 31) << 3
        return frame6(bytes(src), 40000, i)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--family", choices=("unseeded", "seeded", "both"), default="unseeded")
    ap.add_argument("--plain", action="store_true")
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    args = ap.parse_args()
    families = {"unseeded": [Unseeded()], "seeded": [Seeded()],
                "both": [Unseeded(), Seeded()]}[args.family]
    if args.family != "unseeded" and args.n > len(families) << 20:
        ap.error("the seeded family has 2^20 sources")
    if args.n > len(families) * PORTS * (65536 - 80):
        ap.error("the unseeded family has fewer")
    with open(args.out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i in range(args.n):
            family = families[i % len(families)]
            frame = family.frame(i // len(families), i, args.plain)
            f.write(struct.pack("<IIII", 1700000000 + i // 1000, (i % 1000) * 1000, len(frame),
                                len(frame)))
            f.write(frame)


main()
