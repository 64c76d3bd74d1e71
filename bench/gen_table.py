#!/usr/bin/env python3
"""Feeder tables for bench/workloads/table.sh, as BIRD static routes (bench/gen_prefixes.py's
prefixes: distinct, internet-like length mix).

    gen_table.py single N FILE       one attribute set
    gen_table.py paths N FILE        N/3 distinct AS paths: prefix i gets two extra ASNs from i // 3
    gen_table.py compete N DIR       DIR/feed-1.conf .. feed-4.conf for 4 feeders: each prefix is
                                     sent by 3 of them; exactly one sends it with the shortest path
                                     (feeder AS + 1 ASN), so the sink can tell the final best path
                                     (AS path length 3 after the DUT's AS) from a passing loser;
                                     4 feeders x 3 roles x 4167 groups = about 50,000 attribute sets

Each FILE holds one `protocol static feed { ... }`; BIRD prepends the feeder's AS on export.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_prefixes import MIX, networks  # noqa: E402

GROUPS = 4167


def prefixes(total):
    counts = {l: n * total // 1000000 for l, n in MIX.items()}
    counts[24] = total - sum(counts.values())
    for length in sorted(counts):
        for a in networks(length, counts[length]):
            yield f"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}/{length}"


def write(path, lines):
    with open(path, "w") as f:
        f.write("protocol static feed {\n  ipv4 { import all; };\n")
        buf = []
        for line in lines:
            buf.append(line)
            if len(buf) >= 65536:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf))
        f.write("}\n")


def single(n):
    for p in prefixes(n):
        yield f"route {p} unreachable;\n"


def paths(n):
    # prepend() puts an ASN in front, so the path reads feederAS, a, b after BIRD's own prepend.
    for i, p in enumerate(prefixes(n)):
        k = i // 3
        a, b = 4200000000 + k % 1000, 131072 + k // 1000  # clear of the lab's ASes
        yield f"route {p} unreachable {{ bgp_path.prepend({b}); bgp_path.prepend({a}); }};\n"


def compete(n, feeder):
    # Role of feeder f (0..3) for prefix i, by (i - f) % 4: 0 absent, 1 winner, 2 and 3 losers
    # (one and two ASNs longer). The group g varies the path independently of the role.
    for i, p in enumerate(prefixes(n)):
        role = (i - feeder) % 4
        if role == 0:
            continue
        g = 100000 + (i // 4) % GROUPS
        extra = "".join(f" bgp_path.prepend({200000 + feeder * 10 + j});" for j in range(role - 1))
        yield f"route {p} unreachable {{ bgp_path.prepend({g});{extra} }};\n"


def main():
    mode, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if mode == "single":
        write(out, single(n))
    elif mode == "paths":
        write(out, paths(n))
    elif mode == "compete":
        for f in range(4):
            write(os.path.join(out, f"feed-{f + 1}.conf"), compete(n, f))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
