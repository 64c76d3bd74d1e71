#!/usr/bin/env python3
"""Clock for bench/rib_bench.sh: enables the feeder's BGP session and times the sink.

    rib_poll.py FEEDER_SOCK SINK_SOCK COUNT DUT_PIDS FEEDER_PID SINK_PID [SETTLE_S]

Talks to both BIRDs over their control sockets (one connection each, no birdc fork per poll):
1. samples CPU times (utime+stime from /proc/PID/stat) of the DUT (DUT_PIDS: comma-separated;
   their sum), feeder, sink and the whole machine (/proc/stat);
2. sends `enable dut` to the feeder and polls `show protocols dut` every 2 ms until the session
   is Established; t0 is the feeder's own "Since" timestamp (`timeformat protocol iso long ms`),
   the moment it starts sending;
3. polls the sink's `show protocols all dut` ("Routes: N imported") every 5 ms and records the
   first time it sees >= 1, 50%, 99% and 100% of COUNT;
4. at 100% samples the CPU times again, waits SETTLE_S (default 1) and samples once more, plus
   VmHWM/VmRSS of the DUT.
Prints key=value lines (times in seconds since t0). Gives up after 60 s without progress.
"""
import os
import re
import socket
import sys
import threading
import time
from datetime import datetime

CLK = os.sysconf("SC_CLK_TCK")
END = re.compile(rb"^\d{4} ", re.M)


class Bird:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.buf = b""
        self._reply()  # greeting "0001 BIRD x ready."

    def _reply(self):
        while True:
            m = END.search(self.buf)
            if m:
                nl = self.buf.find(b"\n", m.start())
                if nl >= 0:
                    out, self.buf = self.buf[: nl + 1], self.buf[nl + 1 :]
                    return out.decode(errors="replace")
            chunk = self.s.recv(65536)
            if not chunk:
                raise SystemExit("bird control socket closed")
            self.buf += chunk

    def cmd(self, line):
        self.s.sendall(line.encode() + b"\n")
        return self._reply()


def cpu(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK  # utime, stime
    except OSError:
        return float("nan")


def machine_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return (sum(v[:8]) - idle) / CLK


def status(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])  # kB
    except OSError:
        pass
    return -1


def sample(dut_pids, feeder, sink):
    me = os.times()
    return {
        "dut": sum(cpu(p) for p in dut_pids),
        "feeder": cpu(feeder),
        "sink": cpu(sink),
        "machine": machine_busy(),
        "poller": me.user + me.system,
    }


def main():
    fsock, ssock, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    dut_pids = [int(p) for p in sys.argv[4].split(",")]
    feeder_pid, sink_pid = int(sys.argv[5]), int(sys.argv[6])
    settle = float(sys.argv[7]) if len(sys.argv) > 7 else 1.0
    feeder, sink = Bird(fsock), Bird(ssock)
    routes_re = re.compile(r"Routes:\s+(\d+) imported")
    since_re = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\s+Established")

    before = sample(dut_pids, feeder_pid, sink_pid)
    t_enable = time.time()
    feeder.cmd("enable dut")
    t0 = None
    while t0 is None:
        out = feeder.cmd("show protocols dut")
        m = since_re.search(out)
        if m:
            t_poll = time.time()
            t0 = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
        elif time.time() - t_enable > 30:
            raise SystemExit("feeder session not Established 30 s after enable:\n" + out)
        else:
            time.sleep(0.002)

    trace = open(os.environ["RIB_POLL_TRACE"], "w") if os.environ.get("RIB_POLL_TRACE") else None
    # BIRD 2.0.12 as feeder sends the last partial batch of its table feed (N mod 256 routes)
    # only when its event loop wakes up next, which on an otherwise idle feeder is its 3 s poll
    # timeout: a 3 s tail that belongs to the feeder, not to the DUT. Poking the feeder's
    # control socket every 10 ms keeps its loop turning (on its own connection, so a busy
    # feeder never delays the sink polls).
    stop = threading.Event()

    def poke():
        while not stop.is_set():
            feeder.cmd("show status")
            stop.wait(0.01)

    poker = threading.Thread(target=poke, daemon=True)
    poker.start()
    marks = {"first": 1, "t50": (count + 1) // 2, "t99": (count * 99 + 99) // 100, "t100": count}
    seen = {}
    n, last_n, last_change, polls = 0, -1, time.time(), 0
    while True:
        out = sink.cmd("show protocols all dut")
        now = time.time()
        polls += 1
        m = routes_re.search(out)
        n = int(m.group(1)) if m else 0
        for k, v in marks.items():
            if k not in seen and n >= v:
                seen[k] = now
        if n != last_n:
            if trace:
                trace.write(f"{now - t0:.4f} {n}\n")
            last_n, last_change = n, now
        if n >= count:
            break
        if now - last_change > 60:
            break
        time.sleep(0.005)
    at100 = sample(dut_pids, feeder_pid, sink_pid)
    stop.set()
    time.sleep(settle)
    after = sample(dut_pids, feeder_pid, sink_pid)

    print(f"t_enable={t_enable - t0:.3f}")  # negative: enable happens before Established
    print(f"t0_seen_by_poll={t_poll - t0:.3f}")
    for k in marks:
        print(f"{k}=" + (f"{seen[k] - t0:.3f}" if k in seen else "NA"))
    print(f"received={n}")
    print(f"polls={polls}")
    for k in before:
        print(f"cpu_{k}_at100={at100[k] - before[k]:.2f}")
        print(f"cpu_{k}={after[k] - before[k]:.2f}")
    ours = sum(after[k] - before[k] for k in ("dut", "feeder", "sink", "poller"))
    wall = time.time() - t_enable
    print(f"cpu_foreign={after['machine'] - before['machine'] - ours:.2f}")
    print(f"wall={wall:.2f}")
    print(f"hwm_kib={sum(status(p, 'VmHWM') for p in dut_pids)}")
    print(f"rss_kib={sum(status(p, 'VmRSS') for p in dut_pids)}")


if __name__ == "__main__":
    main()
