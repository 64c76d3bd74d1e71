#!/usr/bin/env python3
"""Deterministic IPv4 prefix set with an internet-like length mix, as BIRD static routes.

    gen_prefixes.py [COUNT] > routes.conf      (COUNT defaults to 1000000)

Prints one `route A.B.C.D/L unreachable;` line per prefix, to be included inside a BIRD
`protocol static { ipv4; ... }` block. Prefixes are distinct (per length, a multiplicative
permutation of the 2^L networks, so no two are equal) and avoid 0/8, 10/8 (the lab links),
127/8 and 224/3. Roughly 61% /24, the rest over /16-/23, and 0.4% /8-/15, like a full table.
"""
import sys

# Share of each length per million; the rest of COUNT goes to /24.
MIX = {23: 100000, 22: 110000, 21: 50000, 20: 45000, 19: 30000, 18: 20000, 17: 15000,
       16: 12000, 15: 2000, 14: 1000, 13: 500, 12: 300, 11: 150, 10: 40, 9: 8, 8: 2}
EXCLUDED_FIRST_OCTETS = {0, 10, 127} | set(range(224, 256))


def networks(length, count):
    """count distinct allowed /length networks, deterministic."""
    space = 1 << length
    mult = 0x9E3779B1 % space | 1  # odd, so i -> i*mult mod 2^L is a bijection
    out, i = [], 0
    while len(out) < count:
        if i >= space:
            raise SystemExit(f"not enough /{length} networks for {count}")
        v = (i * mult + 12345) % space
        i += 1
        addr = v << (32 - length)
        if (addr >> 24) in EXCLUDED_FIRST_OCTETS:
            continue
        out.append(addr)
    return out


def main():
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    counts = {l: n * total // 1000000 for l, n in MIX.items()}
    counts[24] = total - sum(counts.values())
    w = sys.stdout.write
    lines = []
    for length in sorted(counts):
        for a in networks(length, counts[length]):
            lines.append(f"route {a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}/{length} unreachable;\n")
            if len(lines) >= 65536:
                w("".join(lines))
                lines.clear()
    w("".join(lines))


if __name__ == "__main__":
    main()
