#!/usr/bin/env python3
"""A BGP speaker feeding a large, churning table (restarts_lab.sh, sigkill_during_churn).

usage: churn_feeder.py LISTEN MY_AS NH_A NH_B STABLE CHURN DIR

Passive: waits on LISTEN:179 for the node's connection (a new one replaces the old). On every
session it sends its whole table, then End-of-RIB:
  - the stable half, STABLE /32s in 10.100.0.0/16 via NH_A, never changing;
  - the churning half, CHURN /32s in 10.101.0.0/16, each in one of three states: via NH_A,
    via NH_B, withdrawn.
Once DIR/churn.go exists it churns: every 50 ms the next RATE/20 churning prefixes move on to
their next state (A -> withdrawn -> B -> A ...), with a MED that changes each pass, packed into
UPDATEs of up to 4,096 bytes. The churn goes on while no session is up (the world changes
while the node is down: the next session's table differs from what it had). Once DIR/churn.stop
exists it sends the final state (even churning prefixes via NH_B, odd ones withdrawn), writes
DIR/want.txt (the node's kernel routes it expects: "unicast PREFIX NH IFACE", sorted) and
DIR/stable.txt (the stable prefixes as `ip route` prints them), prints "final", and keeps the
session up. DIR/feeder.stats (JSON), every 200 ms: sessions so far, tables sent, churn changes.
"""

import json
import os
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench",
                                "workloads"))
from churn_peers import KEEPALIVE, attr, msg, open_msg  # noqa: E402  (BGP framing, shared)

RATE = 10000  # churning prefix changes a second
A, B, GONE = 0, 1, 2
NEXT = {A: GONE, GONE: B, B: A}  # withdrawals from the first pass on


def host(base, i):
    return "%s.%d.%d" % (base, i >> 8, i & 255)


class Feeder:
    def __init__(self, argv):
        self.listen, self.my_as = argv[0], int(argv[1])
        self.nh = [argv[2], argv[3]]
        self.stable = [host("10.100", i) for i in range(int(argv[4]))]
        self.churn = [host("10.101", i) for i in range(int(argv[5]))]
        self.dir = argv[6]
        self.state = [A] * len(self.churn)
        self.med = [0] * len(self.churn)
        self.cursor = 0
        self.passes = 0
        self.sock = None
        self.buf = b""
        self.stats = {"sessions": 0, "tables_sent": 0, "changes": 0, "final": False,
                      "session_up": False}
        self.last_ka = 0.0

    # ---- encoding

    def attrs(self, nh, med):
        a = attr(0x40, 1, b"\x00") + attr(0x40, 2, b"") + attr(0x40, 3, socket.inet_aton(nh))
        a += attr(0x80, 4, struct.pack("!I", med)) + attr(0x40, 5, struct.pack("!I", 100))
        return a

    @staticmethod
    def nlri(p):
        return b"\x20" + socket.inet_aton(p)

    def announce(self, nh, med, prefixes):
        a = self.attrs(nh, med)
        room = 4096 - 19 - 4 - len(a)
        out = []
        for i in range(0, len(prefixes), room // 5):
            body = b"".join(self.nlri(p) for p in prefixes[i:i + room // 5])
            out.append(msg(2, b"\x00\x00" + struct.pack("!H", len(a)) + a + body))
        return out

    def withdraw(self, prefixes):
        out = []
        per = (4096 - 19 - 4) // 5
        for i in range(0, len(prefixes), per):
            w = b"".join(self.nlri(p) for p in prefixes[i:i + per])
            out.append(msg(2, struct.pack("!H", len(w)) + w + b"\x00\x00"))
        return out

    def churn_messages(self, indexes):
        """UPDATEs putting the churning prefixes `indexes` into their current state."""
        groups = {}
        gone = []
        for j in indexes:
            if self.state[j] == GONE:
                gone.append(self.churn[j])
            else:
                groups.setdefault((self.state[j], self.med[j]), []).append(self.churn[j])
        out = self.withdraw(gone)
        for (st, med), ps in sorted(groups.items()):
            out += self.announce(self.nh[st], med, ps)
        return out

    # ---- the session

    def send(self, msgs):
        data = b"".join(msgs)
        try:
            self.sock.sendall(data)
        except OSError:
            self.drop()

    def drop(self):
        if self.sock:
            self.sock.close()
        self.sock = None
        self.stats["session_up"] = False

    def read(self):
        """Reads what is there; False when the session ended."""
        while self.sock and select.select([self.sock], [], [], 0)[0]:
            try:
                d = self.sock.recv(65536)
            except OSError:
                d = b""
            if not d:
                self.drop()
                return False
            self.buf += d
            while len(self.buf) >= 19:
                n = struct.unpack("!H", self.buf[16:18])[0]
                if len(self.buf) < n:
                    break
                if self.buf[18] == 3:
                    print("got NOTIFICATION %d/%d" % (self.buf[19], self.buf[20]), flush=True)
                self.buf = self.buf[n:]
        return self.sock is not None

    def accept(self, conn):
        self.drop()
        self.sock = conn
        self.buf = b""
        conn.settimeout(30)
        try:
            conn.sendall(open_msg(self.my_as, self.nh[0]) + KEEPALIVE)
            # The node's OPEN and KEEPALIVE: read until the KEEPALIVE.
            need_ka = True
            while need_ka:
                head = self.recv_exact(19)
                n, t = struct.unpack("!HB", head[16:19])
                self.recv_exact(n - 19)
                if t == 3:
                    raise OSError("NOTIFICATION during the OPEN exchange")
                need_ka = t != 4
        except OSError as e:
            print("session attempt failed: %s" % e, flush=True)
            self.drop()
            return
        conn.settimeout(None)
        self.stats["sessions"] += 1
        self.stats["session_up"] = True
        t0 = time.time()
        self.send(self.announce(self.nh[A], 0, self.stable) +
                  self.churn_messages(range(len(self.churn))) + [msg(2, b"\x00\x00\x00\x00")])
        if self.sock:
            self.stats["tables_sent"] += 1
            print("table sent (session %d) in %.2f s" % (self.stats["sessions"], time.time() - t0),
                  flush=True)

    def recv_exact(self, n):
        out = b""
        while len(out) < n:
            d = self.sock.recv(n - len(out))
            if not d:
                raise OSError("closed")
            out += d
        return out

    # ---- the loop

    def step(self):
        """Moves the next slice of churning prefixes on to their next state."""
        n = RATE // 20
        idx = []
        for _ in range(n):
            j = self.cursor
            self.state[j] = NEXT[self.state[j]]
            self.med[j] = self.passes
            idx.append(j)
            self.cursor += 1
            if self.cursor == len(self.churn):
                self.cursor = 0
                self.passes += 1
        if self.sock:
            self.send(self.churn_messages(idx))
        self.stats["changes"] += n

    def final(self):
        for j in range(len(self.churn)):
            self.state[j] = B if j % 2 == 0 else GONE
            self.med[j] = 0
        self.send(self.churn_messages(range(len(self.churn))))
        with open(os.path.join(self.dir, "want.txt.tmp"), "w") as f:
            lines = ["unicast %s/32 %s IFACE" % (p, self.nh[A]) for p in self.stable]
            lines += ["unicast %s/32 %s IFACE" % (self.churn[j], self.nh[B])
                      for j in range(0, len(self.churn), 2)]
            f.write("\n".join(sorted(lines)) + "\n")
        os.replace(os.path.join(self.dir, "want.txt.tmp"), os.path.join(self.dir, "want.txt"))
        with open(os.path.join(self.dir, "stable.txt"), "w") as f:
            f.write("\n".join(self.stable) + "\n")
        self.stats["final"] = True
        print("final", flush=True)

    def write_stats(self):
        p = os.path.join(self.dir, "feeder.stats")
        with open(p + ".tmp", "w") as f:
            json.dump(self.stats, f)
        os.replace(p + ".tmp", p)

    def run(self):
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((self.listen, 179))
        ls.listen(8)
        go = os.path.join(self.dir, "churn.go")
        stop = os.path.join(self.dir, "churn.stop")
        next_stats = 0.0
        while True:
            r = select.select([ls] + ([self.sock] if self.sock else []), [], [], 0.05)[0]
            if ls in r:
                conn, _ = ls.accept()
                self.accept(conn)
            if self.sock:
                self.read()
            now = time.time()
            if self.sock and now - self.last_ka > 10:
                self.send([msg(4, b"")])
                self.last_ka = now
            if not self.stats["final"]:
                if os.path.exists(stop):
                    if self.sock:
                        self.final()
                elif os.path.exists(go):
                    self.step()
            if now >= next_stats:
                self.write_stats()
                next_stats = now + 0.2


if __name__ == "__main__":
    Feeder(sys.argv[1:]).run()
