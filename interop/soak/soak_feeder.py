#!/usr/bin/env python3
"""The churn source of the soak (interop/soak/soak_lab.sh): a raw BGP speaker that connects to
ternd, announces COUNT /32s from BASE, then toggles one of them per tick (withdraw if announced,
else announce with a fresh COMMUNITIES value, so every announce is a real change) at RATE/s
until SIGUSR1. Unlike the churn benchmark's feeder it records nothing per update, so an hour
costs no memory. Every 10 s, and when it stops, it writes OUTDIR/feeder.state:
"sent=N established=0|1", and on stop OUTDIR/feeder.present: the announced prefixes, one per
line."""

import os
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench",
                                "workloads"))
from churn_peers import Prefixes, Session, attr, dial, msg, touch  # noqa: E402


def main(local, remote, my_as, base, count, rate, outdir):
    my_as, count, rate = int(my_as), int(count), float(rate)
    pfx = Prefixes(base, count)
    stop = [False]
    signal.signal(signal.SIGUSR1, lambda *_: stop.__setitem__(0, True))
    sess = Session(dial(local, remote), my_as, local)
    if not sess.established.wait(60):
        sys.exit("feeder: no session")
    # An iBGP peer of ternd's (same AS): an empty AS_PATH and a LOCAL_PREF.
    head = attr(0x40, 1, b"\x00") + attr(0x40, 2, b"") + attr(0x40, 3, socket.inet_aton(local)) + \
        attr(0x40, 5, struct.pack("!I", 100))

    def announce(i, seq):
        a = head + attr(0xC0, 8, struct.pack("!I", 0x10000000 + (seq & 0xFFFFFFF)))
        return msg(2, b"\x00\x00" + struct.pack("!H", len(a)) + a + pfx.nlri(i))

    def withdraw(i):
        w = pfx.nlri(i)
        return msg(2, struct.pack("!H", len(w)) + w + b"\x00\x00")

    for i in range(count):
        sess.send(announce(i, i))
    state = [True] * count
    interval = 1.0 / rate
    t0 = time.monotonic()
    k = 0
    last_report = 0.0
    state_file = os.path.join(outdir, "feeder.state")
    while not stop[0] and not sess.closed.is_set():
        target = t0 + k * interval
        d = target - time.monotonic()
        if d > 0:
            time.sleep(d)
        i = k % count
        sess.send(withdraw(i) if state[i] else announce(i, k))
        state[i] = not state[i]
        k += 1
        if time.monotonic() - last_report > 10:
            last_report = time.monotonic()
            touch(state_file, "sent=%d established=1\n" % k)
    est = 0 if sess.closed.is_set() else 1
    with open(os.path.join(outdir, "feeder.present.tmp"), "w") as f:
        for i in range(count):
            if state[i]:
                f.write("%s/32\n" % socket.inet_ntoa(struct.pack("!I", pfx.base + i)))
    os.replace(os.path.join(outdir, "feeder.present.tmp"), os.path.join(outdir, "feeder.present"))
    touch(state_file, "sent=%d established=%d stopped=1\n" % (k, est))
    # Stay in the session (keepalives) until the lab ends: a feeder that leaves withdraws
    # everything, and the final table is checked with its routes in place.
    while not sess.closed.wait(1):
        pass


if __name__ == "__main__":
    main(*sys.argv[1:])
