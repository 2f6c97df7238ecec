#!/usr/bin/python3
"""`pktlens subnet --json` against Python's ipaddress module: thousands
of random IPv4 and IPv6 addresses with random prefixes (as lengths and as
dotted netmasks) and a second address in or out of the subnet, plus /0,
/31, /32, /127, /128 and the special ranges; then bad input, which must
give one sentence on stderr, nothing on stdout, and exit 2.

The random cases are seeded (PKL_SUBNET_SEED, printed) so that a failure
can be replayed; PKL_SUBNET_CASES sets how many (default 3000)."""
import ipaddress
import json
import os
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

PKTLENS = os.environ.get("PKTLENS", os.path.join(os.path.dirname(__file__), "..", "pktlens"))
SEED = int(os.environ.get("PKL_SUBNET_SEED", random.randrange(1 << 32)))
CASES = int(os.environ.get("PKL_SUBNET_CASES", 3000))

# The special ranges, from their RFCs, most specific first: what pktlens
# must name the range an address falls in.
RANGES = [(ipaddress.ip_network(n), name) for n, name in [
    ("255.255.255.255/32", "broadcast"), ("0.0.0.0/8", "this-network"),
    ("10.0.0.0/8", "private"), ("172.16.0.0/12", "private"), ("192.168.0.0/16", "private"),
    ("100.64.0.0/10", "cgnat"), ("127.0.0.0/8", "loopback"), ("169.254.0.0/16", "link-local"),
    ("192.0.0.0/24", "ietf"), ("192.0.2.0/24", "documentation"),
    ("198.51.100.0/24", "documentation"), ("203.0.113.0/24", "documentation"),
    ("198.18.0.0/15", "benchmarking"), ("224.0.0.0/4", "multicast"), ("240.0.0.0/4", "reserved"),
    ("::/128", "unspecified"), ("::1/128", "loopback"), ("::ffff:0:0/96", "ipv4-mapped"),
    ("64:ff9b::/96", "nat64"), ("2001:db8::/32", "documentation"), ("2002::/16", "6to4"),
    ("fc00::/7", "ula"), ("fe80::/10", "link-local"), ("ff00::/8", "multicast"),
    ("2000::/3", "public"),
]]


def expected_range(addr):
    for net, name in RANGES:
        if addr.version == net.version and addr in net:
            return name
    return "public" if addr.version == 4 else "reserved"


def historic_class(addr):
    """RFC 791's classes by the first octet; none for IPv6."""
    if addr.version == 6:
        return None
    first = int(addr) >> 24
    return "A" if first < 128 else "B" if first < 192 else "C" if first < 224 else \
        "D" if first < 240 else "E"


def expected(text, peer_text):
    iface = ipaddress.ip_interface(text)
    net, addr = iface.network, iface.ip
    bits = net.max_prefixlen
    host_bits = bits - net.prefixlen
    # The hosts as ipaddress lists them: enumerated where that is cheap,
    # else from its rule (first after the network; IPv4 keeps the
    # broadcast out), checked against the enumeration on small networks.
    if host_bits <= 10:
        hosts = list(net.hosts())
        first, last, count = hosts[0], hosts[-1], len(hosts)
    else:
        first = next(iter(net.hosts()))
        last = net.broadcast_address - (1 if net.version == 4 else 0)
        count = net.num_addresses - (2 if net.version == 4 else 1)
    want = {
        "address": str(addr),
        "network": str(net.network_address),
        "prefix": net.prefixlen,
        "netmask": str(net.netmask),
        "wildcard": str(net.hostmask),
        # /31 and /32 have none (RFC 3021, host routes), nor has IPv6.
        "broadcast": str(net.broadcast_address) if net.version == 4 and host_bits > 1 else None,
        "first_host": str(first),
        "last_host": str(last),
        "hosts": count,
        "class": historic_class(addr),
        "range": expected_range(addr),
    }
    if net.version == 6:
        want["subnet_64"] = str(ipaddress.ip_interface(f"{addr}/64").network)
    if peer_text is not None:
        peer = ipaddress.ip_address(peer_text)
        want["peer"] = str(peer)
        want["same_subnet"] = peer in net
        want["arp_for"] = str(peer) if peer in net else "gateway"
    return want


def random_addr(rng, version):
    if rng.random() < 0.3:   # inside a special range, to reach every row of the table
        nets = [n for n, _ in RANGES if n.version == version]
        net = rng.choice(nets)
        return net.network_address + rng.randrange(net.num_addresses)
    bits = 32 if version == 4 else 128
    return ipaddress.ip_address(rng.getrandbits(bits)) if version == 4 else \
        ipaddress.IPv6Address(rng.getrandbits(bits))


def cases(rng):
    fixed = ["192.168.12.87/24 192.168.12.7", "192.168.12.87/24 192.168.13.7",
             "0.0.0.0/0", "255.255.255.255/0 1.2.3.4", "10.0.0.1/31", "10.0.0.0/31 10.0.0.1",
             "10.0.0.1/32", "10.0.0.1/32 10.0.0.2", "10.0.0.1", "::/0", "::1/128", "::1",
             "2001:db8::1/127", "2001:db8::1/64 2001:db8::ffff", "fe80::1/64 fe80::2",
             "2001:db8::1/0 ::", "172.16.5.4/255.255.240.0 172.16.15.1", "1.2.3.4/0.0.0.0",
             "1.2.3.4/255.255.255.255", "127.0.0.1/8", "224.0.0.251/4", "240.0.0.1/4",
             "100.64.1.1/10", "169.254.1.1/16", "fd12:3456::1/48", "ff02::1/16"]
    for c in fixed:
        yield c.split()
    for _ in range(CASES):
        version = 4 if rng.random() < 0.6 else 6
        addr = random_addr(rng, version)
        prefix = rng.randrange(addr.max_prefixlen + 1)
        text = f"{addr}/{prefix}"
        if version == 4 and rng.random() < 0.25:
            text = f"{addr}/{ipaddress.ip_network(f'0.0.0.0/{prefix}').netmask}"
        args = [text]
        r = rng.random()
        if r < 0.35:    # a peer in the same subnet
            net = ipaddress.ip_interface(f"{addr}/{prefix}").network
            args.append(str(net.network_address + rng.randrange(min(net.num_addresses, 1 << 62))))
        elif r < 0.7:   # any peer
            args.append(str(random_addr(rng, version)))
        yield args


ADDRESS_KEYS = {"address", "network", "netmask", "wildcard", "broadcast", "first_host",
                "last_host", "peer", "arp_for"}


def same(key, got, want):
    """Addresses compare as addresses: pktlens writes IPv4-mapped and
    IPv4-compatible IPv6 addresses with a dotted tail (RFC 5952 5),
    Python 3.11 in hex."""
    if key in ADDRESS_KEYS and isinstance(got, str) and isinstance(want, str) and want != "gateway":
        try:
            return ipaddress.ip_address(got) == ipaddress.ip_address(want)
        except ValueError:
            return False
    return got == want


def run(args):
    p = subprocess.run([PKTLENS, "subnet", "--json", *args], capture_output=True, text=True)
    return args, p


def main():
    rng = random.Random(SEED)
    passed = failed = 0
    shown = 0

    def fail(what):
        nonlocal failed, shown
        failed += 1
        if shown < 20:
            print("FAIL:", what)
            shown += 1

    print(f"subnet: seed {SEED} (PKL_SUBNET_SEED={SEED} replays it)")
    with ThreadPoolExecutor(max_workers=2) as pool:
        for args, p in pool.map(run, list(cases(rng))):
            want = expected(args[0], args[1] if len(args) > 1 else None)
            try:
                got = json.loads(p.stdout)
            except ValueError:
                fail(f"{' '.join(args)}: exit {p.returncode}, not JSON: {p.stdout!r} {p.stderr!r}")
                continue
            diff = {k: (got.get(k), v) for k, v in want.items() if not same(k, got.get(k), v)}
            extra = set(got) - set(want)
            if p.returncode != 0 or diff or extra:
                fail(f"{' '.join(args)}: (pktlens, ipaddress) {diff}{' extra ' + str(extra) if extra else ''}")
            else:
                passed += 1

    # Bad input: ipaddress refuses each too; pktlens says one sentence.
    bad = [[""], ["1.2.3.4/33"], ["1.2.3.4/-1"], ["1.2.3"], ["256.1.1.1/8"], ["1.2.3.4/"],
           ["1.2.3.4/24/5"], ["::1/129"], ["1.2.3.4/255.0.255.0"], ["01.2.3.4/8"],
           ["1.2.3.4/ 24"], ["abc"], ["1.2.3.4/2x"], ["1.2.3.4/1000"], ["::1/64/1"],
           ["1:2:3:4:5:6:7:8:9/64"], ["1.2.3.4/8", "5.6.7"], ["1.2.3.4/8", "::1"],
           ["::1/64", "10.0.0.1"], [], ["1.2.3.4/8", "1.2.3.5", "1.2.3.6"]]
    for args in bad:
        if len(args) == 1:
            try:
                ipaddress.ip_interface(args[0])
                fail(f"the test's own bad input {args} is valid to ipaddress")
                continue
            except ValueError:
                pass
        p = subprocess.run([PKTLENS, "subnet", *args], capture_output=True, text=True)
        lines = p.stderr.splitlines()
        if p.returncode == 2 and not p.stdout and lines and \
                lines[0].startswith("pktlens subnet: ") and lines[0].count(". ") == 0:
            passed += 1
        else:
            fail(f"bad input {args}: exit {p.returncode}, stdout {p.stdout!r}, stderr {p.stderr!r}")

    print(f"subnet: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
