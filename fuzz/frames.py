#!/usr/bin/env python3
"""Frames between capture files and fuzz/fuzz-decode inputs (stdlib only).

  frames.py seed OUTDIR [--max N] [--per-file K] FILE...
      Pull frames out of pcap and pcapng files and write them to OUTDIR as
      fuzz inputs (one file per distinct input, named by its SHA-1).
  frames.py to-pcap INPUT OUTPUT
      Turn one fuzz input (a crash) into a capture that reproduces it in
      `pktlens read`: classic pcap when its timestamps fit (OUTPUT should end
      in .pcap), else pcapng with whole-second resolution (.pcapng).

The input format is the one fuzz/fuzz_decode.c documents:
  byte 0   bits 0-3 link type index (LINKS), bit 4 wire length < caplen,
           bits 5-7 timestamp case (TS)
  bytes 1-2  big-endian |wire length - caplen|; from 0xff00 up (not hostile)
             wire length UINT32_MAX - (0xffff - value) instead
  byte 3   bit 0 explain addresses, bit 1 colour, bit 2 skip checksums
           (options of the command line, not of a capture)
  bytes 4- the captured bytes
"""
import hashlib
import os
import struct
import sys

# LINKTYPE_ values as they appear in files, in fuzz_decode.c's links[] order.
# The last one is a link type pktlens does not decode (802.11 radiotap).
LINKS = [1, 113, 276, 0, 108, 101, 228, 229, 127]
UNKNOWN_INDEX = len(LINKS) - 1
HEADER_LEN = 4
MAX_LEN = 4096
INT64_MAX, INT64_MIN, UINT32_MAX = 2**63 - 1, -2**63, 2**32 - 1

# (sec, nsec, have_first, first_sec, first_nsec), as ts[] in fuzz_decode.c.
TS = [
    (1700000000, 123456789, True, 1699999999, 999999999),
    (0, 0, False, 0, 0),
    (INT64_MAX, 999999999, True, INT64_MIN, 0),
    (INT64_MIN, 0, True, INT64_MAX, 999999999),
    (1700000000, 999999999, True, 1700000001, 0),
    (100, 500000000, True, 200, 0),
    (-1, 1, False, 0, 0),
    (4294967295, 999999999, True, 0, 0),
]


# --- reading ---------------------------------------------------------------

def read_pcap(data):
    """(linktype, wire_len, bytes) per record of a classic pcap file."""
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return
    if len(data) < 24:
        return
    linktype = struct.unpack(e + "I", data[20:24])[0] & 0x03FFFFFF
    off = 24
    while off + 16 <= len(data):
        _, _, caplen, wirelen = struct.unpack(e + "IIII", data[off:off + 16])
        off += 16
        if caplen > 262144:
            return
        yield linktype, wirelen, data[off:off + caplen]
        off += caplen


def read_pcapng(data):
    """(linktype, wire_len, bytes) per packet block of a pcapng file."""
    off, e, ifaces = 0, "<", []
    while off + 12 <= len(data):
        btype = struct.unpack(e + "I", data[off:off + 4])[0]
        if btype == 0x0A0D0D0A:  # section header: its byte order
            bom = data[off + 8:off + 12]
            e = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
            ifaces = []
        blen = struct.unpack(e + "I", data[off + 4:off + 8])[0]
        if blen < 12 or off + blen > len(data):
            return
        body = data[off + 8:off + blen - 4]
        if btype == 1 and len(body) >= 8:  # interface description
            ifaces.append(struct.unpack(e + "H", body[:2])[0])
        elif btype in (6, 2) and len(body) >= 20:  # enhanced / obsolete packet
            ifid = struct.unpack(e + "H" if btype == 2 else e + "I",
                                 body[:2] if btype == 2 else body[:4])[0]
            caplen, wirelen = struct.unpack(e + "II", body[12:20])
            if ifid < len(ifaces):
                yield ifaces[ifid], wirelen, body[20:20 + caplen]
        elif btype == 3 and len(body) >= 4 and ifaces:  # simple packet
            wirelen = struct.unpack(e + "I", body[:4])[0]
            yield ifaces[0], wirelen, body[4:4 + wirelen]
        off += blen


def read_frames(path):
    with open(path, "rb") as f:
        data = f.read()
    reader = read_pcap if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1",
                                       b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d") \
        else read_pcapng
    try:
        yield from reader(data)
    except struct.error:
        return


def fuzz_input(linktype, wirelen, frame):
    """The fuzz input for one frame: link selector, wire length, bytes."""
    index = LINKS.index(linktype) if linktype in LINKS else UNKNOWN_INDEX
    frame = frame[:MAX_LEN - HEADER_LEN]
    sel = index
    if wirelen >= UINT32_MAX - 0xFF:
        delta = 0xFFFF - (UINT32_MAX - wirelen)
    elif wirelen >= len(frame):
        delta = min(wirelen - len(frame), 0xFEFF)
    else:
        sel |= 0x10
        delta = len(frame) - wirelen
    return bytes([sel]) + struct.pack(">H", min(delta, 0xFFFF)) + b"\0" + frame


# --- synthetic seeds: shapes the captures lack ------------------------------

def _ipv4(proto, payload, total=None):
    h = struct.pack(">BBHHHBBH4s4s", 0x45, 0, total or 20 + len(payload), 1, 0, 64,
                    proto, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    s = sum(struct.unpack(">10H", h))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return h[:10] + struct.pack(">H", ~s & 0xFFFF) + h[12:] + payload


def _ipv6(nxt, payload):
    a = b"\xfe\x80" + b"\0" * 13
    return struct.pack(">IHBB16s16s", 0x60000000, len(payload), nxt, 64,
                       a + b"\1", a + b"\2") + payload


def synthetic_inputs():
    """Deep nesting (the 16-layer limit), quotes, every option: seeds the
    fuzzer would take long to build from the captures."""
    udp = struct.pack(">HHHH", 1234, 53, 12, 0) + b"abcd"
    tcp = (struct.pack(">HHIIBBHHH", 40000, 80, 1, 0, 0xF0, 0x02, 65535, 0, 0) +
           b"\x02\x04\x05\xb4\x04\x02\x08\x0a" + b"\0" * 8 +
           b"\x01\x03\x03\x07\x05\x0a" + b"\0" * 8 + b"\x1e\x04\0\0\x00\x00")
    tcp = tcp[:12] + bytes([(len(tcp) // 4) << 4]) + tcp[13:]
    eth = lambda t, p: b"\xff" * 6 + b"\x02" * 6 + struct.pack(">H", t) + p
    out = []
    p = _ipv4(17, udp)
    for i in range(20):
        p = struct.pack(">HH", 5, 0x8100 if i else 0x0800) + p
    out.append((0, eth(0x8100, p)))
    p = _ipv4(17, udp)
    for _ in range(20):
        p = _ipv4(4, p)
    out.append((5, p))
    p = _ipv6(17, udp)
    for _ in range(20):
        p = _ipv6(41, p)
    out.append((7, p))
    p = _ipv4(6, tcp)
    for _ in range(8):
        p = _ipv6(4, _ipv4(41, p))
    out.append((6, p))
    # ICMP errors quoting tunnels, and a quote holding the whole datagram.
    quote = _ipv4(4, _ipv4(17, udp))
    out.append((6, _ipv4(1, b"\x03\x03\0\0\0\0\0\0" + quote)))
    out.append((6, _ipv4(1, b"\x0b\x00\0\0\0\0\0\0" + _ipv4(6, tcp))))
    out.append((7, _ipv6(58, b"\x01\x04\0\0\0\0\0\0" + _ipv6(17, udp))))
    # IPv6 extension headers: hop-by-hop, routing, destination, fragment.
    ext = (bytes([43, 0]) + b"\x01\x04\0\0\0\0" + bytes([60, 0, 0, 0]) + b"\0" * 4 +
           bytes([44, 0]) + b"\x01\x04\0\0\0\0" + bytes([17, 0, 0, 1]) + b"\0\0\0\1")
    out.append((7, _ipv6(0, ext + udp)))
    out.append((0, eth(0x86DD, _ipv6(6, tcp))))
    # Linux cooked v1 and v2, BSD loopback in both byte orders.
    out.append((1, struct.pack(">HHH8sH", 0, 1, 6, b"\x02" * 8, 0x0800) + _ipv4(17, udp)))
    out.append((2, struct.pack(">HHIHBB8s", 0x86DD, 0, 2, 1, 4, 6, b"\x02" * 8) +
                _ipv6(58, b"\x80\0\0\0\0\1\0\1")))
    out.append((3, struct.pack("<I", 30) + _ipv6(17, udp)))
    out.append((4, struct.pack(">I", 2) + _ipv4(6, tcp)))
    inputs = [bytes([sel]) + b"\0\0\0" + frame for sel, frame in out]
    # A record claiming a 4 GiB wire length: the top of every length sum.
    inputs.append(bytes([0]) + b"\xff\xff\0" + eth(0x0800, _ipv4(17, udp, total=0)))
    return inputs


def cmd_seed(args):
    maxn, per_file, paths = 4000, 12, []
    outdir = args.pop(0)
    while args:
        a = args.pop(0)
        if a == "--max":
            maxn = int(args.pop(0))
        elif a == "--per-file":
            per_file = int(args.pop(0))
        else:
            paths.append(a)
    os.makedirs(outdir, exist_ok=True)
    seen, unknown_files, written = set(), 0, 0
    for data in synthetic_inputs():
        digest = hashlib.sha1(data).hexdigest()
        seen.add(digest)
        with open(os.path.join(outdir, digest), "wb") as f:
            f.write(data)
        written += 1
    for path in paths:
        if written >= maxn:
            break
        if not os.path.isfile(path):
            continue
        taken = 0
        for linktype, wirelen, frame in read_frames(path):
            if taken >= per_file or written >= maxn:
                break
            if linktype not in LINKS[:UNKNOWN_INDEX]:
                # All decode alike (one unknown layer): a handful will do.
                if unknown_files >= 20:
                    break
                unknown_files += 1
                per_file_here = 1
            else:
                per_file_here = per_file
            data = fuzz_input(linktype, wirelen, frame)
            digest = hashlib.sha1(data).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            with open(os.path.join(outdir, digest), "wb") as f:
                f.write(data)
            written += 1
            taken += 1
            if taken >= per_file_here:
                break
    print("seed: %d inputs from %d files in %s" % (written, len(paths), outdir))


# --- writing ---------------------------------------------------------------

def cmd_to_pcap(args):
    src, dst = args
    with open(src, "rb") as f:
        data = f.read()
    if len(data) < HEADER_LEN:
        sys.exit("to-pcap: %s is shorter than the %d-byte header" % (src, HEADER_LEN))
    sel, delta = data[0], struct.unpack(">H", data[1:3])[0]
    frame = data[HEADER_LEN:]
    linktype = LINKS[(sel & 0x0F) % len(LINKS)]
    if sel & 0x10:
        wirelen = max(len(frame) - delta, 0)
    elif delta >= 0xFF00:
        wirelen = UINT32_MAX - (0xFFFF - delta)
    else:
        wirelen = len(frame) + delta
    sec, nsec, have_first, first_sec, first_nsec = TS[sel >> 5]
    # The first record sets the relative-time base: an empty frame at the
    # fuzzer's first_sec when the input had one.
    records = [(first_sec, first_nsec, 0, b"")] if have_first else []
    records.append((sec, nsec, wirelen, frame))
    if all(0 <= r[0] <= UINT32_MAX for r in records):
        out = struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 262144, linktype)
        for s, ns, wl, fr in records:
            out += struct.pack("<IIII", s, ns, len(fr), wl) + fr
        kind = "pcap (nanosecond)"
    else:
        # pcapng, if_tsresol 10^0: a 64-bit count of seconds, which libpcap
        # turns into any tv_sec (the fraction is lost).
        def block(btype, body):
            body += b"\0" * (-len(body) % 4)
            n = len(body) + 12
            return struct.pack("<II", btype, n) + body + struct.pack("<I", n)
        out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
        tsresol = struct.pack("<HH", 9, 1) + b"\0\0\0\0"  # if_tsresol = 0, padded
        out += block(1, struct.pack("<HHI", linktype, 0, 262144) + tsresol +
                     struct.pack("<HH", 0, 0))
        for s, ns, wl, fr in records:
            t = s & 0xFFFFFFFFFFFFFFFF
            out += block(6, struct.pack("<IIIII", 0, t >> 32, t & 0xFFFFFFFF,
                                        len(fr), wl) + fr)
        kind = "pcapng (whole-second timestamps)"
    with open(dst, "wb") as f:
        f.write(out)
    print("to-pcap: %s -> %s: %s, link type %d, %d records" %
          (src, dst, kind, linktype, len(records)))


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "seed":
        cmd_seed(sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "to-pcap":
        cmd_to_pcap(sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
