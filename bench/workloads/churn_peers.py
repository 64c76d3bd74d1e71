#!/usr/bin/env python3
"""The three timestamping ends of the churn workload (bench/workloads/churn.sh).

  feeder  a raw BGP speaker that connects to the DUT, announces P prefixes (warm-up), waits for
          a go file, then sends one UPDATE per tick at RATE/s for SECONDS: tick k toggles prefix
          k mod P (withdraw if announced, else announce). Each announce carries a COMMUNITIES
          value 0x10000000 + k, so a copy of it seen downstream names the exact update.
  sink    a raw BGP speaker that accepts the DUT's connection and records every announce and
          withdraw of a churn prefix with its arrival time.
  kmon    an rtnetlink listener (RTMGRP_IPV4_ROUTE) recording RTM_NEWROUTE/RTM_DELROUTE of churn
          prefixes in the main table with their arrival time.
  report  pairs the feeder's sends with the sink's and the kernel's events and prints key=value.

All times are CLOCK_MONOTONIC nanoseconds of this host (one clock for every namespace). Event
files are text, one "t_ns kind prefix_index seq" per line (seq -1 when unknown).
"""

import os
import select
import signal
import socket
import struct
import sys
import threading
import time

SEQ_BASE = 0x10000000
RTMGRP_IPV4_ROUTE = 0x40
RTM_NEWROUTE, RTM_DELROUTE = 24, 25
RTA_DST, RTA_TABLE = 1, 15


def now():
    return time.monotonic_ns()


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def msg(t, body):
    return b"\xff" * 16 + struct.pack("!HB", 19 + len(body), t) + body


def attr(flags, code, val):
    return struct.pack("!BBB", flags, code, len(val)) + val


def open_msg(my_as, router_id, hold=90):
    caps = bytes([1, 4, 0, 1, 0, 1]) + bytes([65, 4]) + struct.pack("!I", my_as)
    opt = bytes([2, len(caps)]) + caps
    return msg(1, struct.pack("!BHH4sB", 4, my_as if my_as < 65536 else 23456, hold,
                              socket.inet_aton(router_id), len(opt)) + opt)


KEEPALIVE = msg(4, b"")


class Prefixes:
    """Prefix i is BASE + i as a /32 (base address given as a dotted quad)."""

    def __init__(self, base, count):
        self.base = struct.unpack("!I", socket.inet_aton(base))[0]
        self.count = count

    def nlri(self, i):
        return b"\x20" + struct.pack("!I", self.base + i)

    def index(self, addr_int, length):
        i = addr_int - self.base
        return i if length == 32 and 0 <= i < self.count else -1


def split_messages(buf):
    """Yields complete BGP messages from buf; returns the rest through the generator's value."""
    out = []
    while len(buf) >= 19:
        n = struct.unpack("!H", buf[16:18])[0]
        if n < 19 or len(buf) < n:
            break
        out.append(buf[:n])
        buf = buf[n:]
    return out, buf


def parse_prefixes(data):
    res, off = [], 0
    while off < len(data):
        ln = data[off]
        nb = (ln + 7) // 8
        raw = data[off + 1:off + 1 + nb] + b"\x00" * (4 - nb)
        res.append((struct.unpack("!I", raw)[0], ln))
        off += 1 + nb
    return res


def parse_update(m):
    """(withdrawn [(addr, len)], announced [(addr, len)], communities [int])"""
    body = m[19:]
    wl = struct.unpack("!H", body[:2])[0]
    withdrawn = parse_prefixes(body[2:2 + wl])
    al = struct.unpack("!H", body[2 + wl:4 + wl])[0]
    attrs = body[4 + wl:4 + wl + al]
    nlri = parse_prefixes(body[4 + wl + al:])
    comms, off = [], 0
    while off + 3 <= len(attrs):
        flags, code = attrs[off], attrs[off + 1]
        if flags & 0x10:
            ln = struct.unpack("!H", attrs[off + 2:off + 4])[0]
            off += 4
        else:
            ln = attrs[off + 2]
            off += 3
        if code == 8:
            comms = [struct.unpack("!I", attrs[off + j:off + j + 4])[0] for j in range(0, ln, 4)]
        off += ln
    return withdrawn, nlri, comms


class Session:
    """A BGP session over a connected socket: OPEN exchange, keepalives, a reader thread that
    hands UPDATEs to on_update(t_ns, message)."""

    def __init__(self, sock, my_as, router_id, on_update=None):
        self.sock = sock
        self.lock = threading.Lock()
        self.on_update = on_update
        self.established = threading.Event()
        self.closed = threading.Event()
        self.send(open_msg(my_as, router_id))
        threading.Thread(target=self._reader, daemon=True).start()
        threading.Thread(target=self._keepalive, daemon=True).start()

    def send(self, data):
        with self.lock:
            self.sock.sendall(data)

    def _keepalive(self):
        while not self.closed.wait(30):
            try:
                self.send(KEEPALIVE)
            except OSError:
                return

    def _reader(self):
        buf = b""
        while True:
            try:
                data = self.sock.recv(1 << 20)
            except OSError:
                data = b""
            t = now()
            if not data:
                log("session closed")
                self.closed.set()
                return
            msgs, buf = split_messages(buf + data)
            for m in msgs:
                kind = m[18]
                if kind == 1:
                    self.send(KEEPALIVE)
                elif kind == 4:
                    self.established.set()
                elif kind == 3:
                    log("got NOTIFICATION %d/%d" % (m[19], m[20]))
                elif kind == 2 and self.on_update:
                    self.on_update(t, m)


def write_events(path, events):
    with open(path + ".tmp", "w") as f:
        for e in events:
            f.write("%d %s %d %d\n" % e)
    os.replace(path + ".tmp", path)


def touch(path, text=""):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def dial(local, remote):
    """A blocking socket connected from local to remote:179, retried until the DUT listens."""
    while True:
        try:
            s = socket.create_connection((remote, 179), timeout=2, source_address=(local, 0))
            s.settimeout(None)
            return s
        except OSError:
            time.sleep(0.2)


def feeder(args):
    local, remote, my_as, base, count, rate, seconds, outdir = args
    my_as, count, rate, seconds = int(my_as), int(count), float(rate), float(seconds)
    pfx = Prefixes(base, count)
    s = dial(local, remote)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sess = Session(s, my_as, local)
    if not sess.established.wait(60):
        sys.exit("feeder: no session")
    touch(os.path.join(outdir, "feeder.established"))
    origin = attr(0x40, 1, b"\x00")
    as_path = attr(0x40, 2, b"\x02\x01" + struct.pack("!I", my_as))
    next_hop = attr(0x40, 3, socket.inet_aton(local))

    def announce(i, seq):
        a = origin + as_path + next_hop + attr(0xC0, 8, struct.pack("!I", SEQ_BASE + seq))
        return msg(2, b"\x00\x00" + struct.pack("!H", len(a)) + a + pfx.nlri(i))

    def withdraw(i):
        w = pfx.nlri(i)
        return msg(2, struct.pack("!H", len(w)) + w + b"\x00\x00")

    # Warm-up: every prefix announced once; seq -1-i names these (they are not measured).
    sent = []
    for i in range(count):
        t = now()
        sess.send(announce(i, (1 << 27) + i))
        sent.append((t, "A", i, (1 << 27) + i))
    touch(os.path.join(outdir, "feeder.warm"))
    go = os.path.join(outdir, "go")
    while not os.path.exists(go):
        time.sleep(0.01)
    state = [True] * count
    total = int(rate * seconds)
    interval = 1e9 / rate
    t0 = now()
    lag = []
    for k in range(total):
        target = t0 + int(k * interval)
        while True:
            d = target - now()
            if d <= 0:
                break
            time.sleep(d / 1e9 if d > 200000 else 0)
        i = k % count
        data = withdraw(i) if state[i] else announce(i, k)
        t = now()
        sess.send(data)
        sent.append((t, "W" if state[i] else "A", i, k))
        lag.append(t - target)
        state[i] = not state[i]
        if sess.closed.is_set():
            sys.exit("feeder: session closed during the run")
    t_end = now()
    lag.sort()
    write_events(os.path.join(outdir, "feeder.events"), sent)
    touch(os.path.join(outdir, "feeder.done"),
          "sent=%d final_present=%d send_s=%.3f lag_p99_ms=%.3f lag_max_ms=%.3f\n" %
          (total, sum(state), (t_end - t0) / 1e9, lag[int(0.99 * (len(lag) - 1))] / 1e6 if lag else 0,
           lag[-1] / 1e6 if lag else 0))
    # Stay up (keepalives) until the harness stops us.
    sess.closed.wait()


def sink(args):
    listen, my_as, base, count, outdir = args
    my_as, count = int(my_as), int(count)
    pfx = Prefixes(base, count)
    events = []
    present = set()
    status = os.path.join(outdir, "sink.status")
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((listen, 179))
    ls.listen(4)

    def on_update(t, m):
        withdrawn, nlri, comms = parse_update(m)
        for a, ln in withdrawn:
            i = pfx.index(a, ln)
            if i >= 0:
                events.append((t, "W", i, -1))
                present.discard(i)
        seq = -1
        for c in comms:
            if c >= SEQ_BASE:
                seq = c - SEQ_BASE
        for a, ln in nlri:
            i = pfx.index(a, ln)
            if i >= 0:
                events.append((t, "A", i, seq))
                present.add(i)

    stop = threading.Event()

    def on_term(*_):
        stop.set()

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    sess = None
    while not stop.is_set():
        r, _, _ = select.select([ls], [], [], 0.2)
        if ls in r:
            c, addr = ls.accept()
            if sess is not None and not sess.closed.is_set():
                c.close()
                continue
            log("sink: connection from %s" % addr[0])
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sess = Session(c, my_as, listen, on_update)
        est = 1 if sess is not None and sess.established.is_set() and not sess.closed.is_set() else 0
        touch(status, "established=%d present=%d events=%d\n" % (est, len(present), len(events)))
    write_events(os.path.join(outdir, "sink.events"), list(events))


def kmon(args):
    base, count, outdir = args
    pfx = Prefixes(base, int(count))
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind((0, RTMGRP_IPV4_ROUTE))
    events, present = [], set()
    status = os.path.join(outdir, "kmon.status")
    stop = [False]

    def on_term(*_):
        stop[0] = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    touch(status, "present=0 events=0 enobufs=0\n")
    enobufs, last = 0, 0
    while not stop[0]:
        try:
            r, _, _ = select.select([s], [], [], 0.2)
        except InterruptedError:
            continue
        if r:
            try:
                data = s.recv(1 << 20)
            except OSError:
                enobufs += 1
                continue
            t = now()
            off = 0
            while off + 16 <= len(data):
                ln, typ = struct.unpack("=IH", data[off:off + 6])
                if ln < 16:
                    break
                if typ in (RTM_NEWROUTE, RTM_DELROUTE):
                    fam, dlen, _, _, table = struct.unpack("=BBBBB", data[off + 16:off + 21])
                    dst, rtable = None, table
                    a = off + 16 + 12
                    while a + 4 <= off + ln:
                        alen, atype = struct.unpack("=HH", data[a:a + 4])
                        if alen < 4:
                            break
                        if atype == RTA_DST and alen == 8:
                            dst = struct.unpack("!I", data[a + 4:a + 8])[0]
                        elif atype == RTA_TABLE and alen == 8:
                            rtable = struct.unpack("=I", data[a + 4:a + 8])[0]
                        a += (alen + 3) & ~3
                    if fam == socket.AF_INET and rtable == 254 and dst is not None:
                        i = pfx.index(dst, dlen)
                        if i >= 0:
                            kind = "A" if typ == RTM_NEWROUTE else "W"
                            events.append((t, kind, i, -1))
                            (present.add if kind == "A" else present.discard)(i)
                off += (ln + 3) & ~3
        if now() - last > 200_000_000:
            last = now()
            touch(status, "present=%d events=%d enobufs=%d\n" % (len(present), len(events), enobufs))
    touch(status, "present=%d events=%d enobufs=%d\n" % (len(present), len(events), enobufs))
    write_events(os.path.join(outdir, "kmon.events"), events)


def read_events(path):
    by_prefix = {}
    with open(path) as f:
        for line in f:
            t, kind, i, seq = line.split()
            by_prefix.setdefault(int(i), []).append((int(t), kind, int(seq)))
    return by_prefix


def pair(sent, recv, measured_from):
    """Latencies (ns) of the measured sends that arrived. Per prefix, both lists are in time
    order; an arrival matches the next unmatched send of its kind (and of its seq when it
    carries one), so a send whose effect never showed is skipped, and a repeated event of the
    same kind (a kernel route replaced in place) is counted as a duplicate."""
    lat, dup, unmatched = [], 0, 0
    for i, rs in recv.items():
        ss = sent.get(i, [])
        j, last_kind = 0, None
        for t, kind, seq in rs:
            if kind == last_kind and seq < 0:
                dup += 1
                continue
            k = j
            while k < len(ss) and (ss[k][1] != kind or (seq >= 0 and ss[k][2] != seq)):
                k += 1
            if k == len(ss) or ss[k][0] > t:
                unmatched += 1
                continue
            if ss[k][2] >= 0 and ss[k][2] < (1 << 27) and ss[k][0] >= measured_from:
                lat.append(t - ss[k][0])
            j, last_kind = k + 1, kind
    return lat, dup, unmatched


def pct(sorted_ns, p):
    if not sorted_ns:
        return "NA"
    idx = min(len(sorted_ns) - 1, max(0, int(-(-p * len(sorted_ns) // 100)) - 1))
    return "%.3f" % (sorted_ns[idx] / 1e6)


def report(args):
    outdir, what = args[0], args[1:]
    sent = read_events(os.path.join(outdir, "feeder.events"))
    measured = [e for es in sent.values() for e in es if 0 <= e[2] < (1 << 27)]
    t_go = min(e[0] for e in measured) if measured else 0
    print("sent=%d" % len(measured))
    for name in what:
        recv = read_events(os.path.join(outdir, name + ".events"))
        lat, dup, unmatched = pair(sent, recv, t_go)
        lat.sort()
        print("%s_p50_ms=%s" % (name, pct(lat, 50)))
        print("%s_p99_ms=%s" % (name, pct(lat, 99)))
        print("%s_max_ms=%s" % (name, "%.3f" % (lat[-1] / 1e6) if lat else "NA"))
        print("%s_matched=%d" % (name, len(lat)))
        print("%s_lost=%d" % (name, len(measured) - len(lat)))
        print("%s_dup=%d" % (name, dup))
        print("%s_unmatched=%d" % (name, unmatched))


if __name__ == "__main__":
    {"feeder": feeder, "sink": sink, "kmon": kmon, "report": report}[sys.argv[1]](sys.argv[2:])
