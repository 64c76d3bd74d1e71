#!/usr/bin/env python3
"""Clock for bench/workloads/table.sh: rib_poll.py's method, for several feeders and the kernel.

    table_poll.py --feeder SOCK,PID [--feeder ...] --sink SOCK,PID --count N --dut-pids P[,P...]
                  [--kernel-pid PID --kernel-count K] [--settle S] [--stall S]

1. samples CPU times (utime+stime, /proc/PID/stat) of the DUT processes (summed), the feeders,
   the sink and the machine (/proc/stat);
2. sends `enable dut` to every feeder and waits until all are Established; t0 is the earliest
   feeder's own "Since" timestamp (`timeformat protocol iso long ms`), when sending starts;
3. polls the sink's "Routes: N imported" of protocol dut every 5 ms (t_first, t50, t99, t100 at
   1, 50%, 99% and 100% of N) and, with --kernel-pid, the "Prefixes" of the main table in
   /proc/PID/net/fib_triestat (the DUT namespace's FIB trie, read without netlink) every 20 ms
   until it grows by K (kernel_s);
4. when both are complete, samples the CPU again, waits --settle s (1) and samples once more,
   plus VmHWM/VmRSS of the DUT processes.
Prints key=value lines (seconds since t0). Gives up after --stall s (60) without progress.
"""
import argparse
import os
import re
import socket
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
        self._reply()  # greeting

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
        return (int(fields[11]) + int(fields[12])) / CLK
    except OSError:
        return float("nan")


def machine_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v[:8]) - v[3] - v[4]) / CLK


def status(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def fib_prefixes(pid):
    """Prefixes in the main FIB trie of PID's network namespace (-1 if unreadable)."""
    try:
        with open(f"/proc/{pid}/net/fib_triestat") as f:
            text = f.read()
    except OSError:
        return -1
    m = re.search(r"^Main:\n(?:\t.*\n)*?\tPrefixes:\s+(\d+)", text, re.M)
    return int(m.group(1)) if m else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeder", action="append", required=True)
    ap.add_argument("--sink", required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--dut-pids", required=True)
    ap.add_argument("--kernel-pid", type=int)
    ap.add_argument("--kernel-count", type=int, default=0)
    ap.add_argument("--settle", type=float, default=1.0)
    ap.add_argument("--stall", type=float, default=60.0)
    a = ap.parse_args()
    count = a.count
    dut_pids = [int(p) for p in a.dut_pids.split(",")]
    feeders = [(Bird(s), int(p)) for s, p in (f.split(",") for f in a.feeder)]
    pokers = [Bird(f.split(",")[0]) for f in a.feeder]
    ssock, spid = a.sink.split(",")
    sink, sink_pid = Bird(ssock), int(spid)
    routes_re = re.compile(r"Routes:\s+(\d+) imported")
    since_re = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\s+Established")

    def sample():
        me = os.times()
        return {
            "dut": sum(cpu(p) for p in dut_pids),
            "feeders": sum(cpu(p) for _, p in feeders),
            "sink": cpu(sink_pid),
            "machine": machine_busy(),
            "poller": me.user + me.system,
        }

    kernel_base = fib_prefixes(a.kernel_pid) if a.kernel_pid else 0
    before = sample()
    t_enable = time.time()
    for b, _ in feeders:
        b.cmd("enable dut")
    starts = [None] * len(feeders)
    while None in starts:
        for i, (b, _) in enumerate(feeders):
            if starts[i] is None:
                m = since_re.search(b.cmd("show protocols dut"))
                if m:
                    starts[i] = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
        if time.time() - t_enable > 30:
            raise SystemExit("feeder sessions not Established 30 s after enable")
        time.sleep(0.002)
    t0 = min(starts)
    t_all_up = time.time()

    # BIRD as feeder sends its last partial batch only when its event loop wakes next (up to
    # 3 s on an idle feeder): poke each feeder's control socket every 10 ms (rib_poll.py).
    stop = threading.Event()

    def poke(b):
        while not stop.is_set():
            b.cmd("show status")
            stop.wait(0.01)

    for b in pokers:
        threading.Thread(target=poke, args=(b,), daemon=True).start()

    kernel = {"n": 0, "t": None, "last": time.time()}

    def watch_kernel():
        while not stop.is_set():
            n = fib_prefixes(a.kernel_pid) - kernel_base
            now = time.time()
            if n != kernel["n"]:
                kernel["n"], kernel["last"] = n, now
            if n >= a.kernel_count:
                kernel["t"] = now
                return
            stop.wait(0.02)

    kthread = None
    if a.kernel_pid:
        kthread = threading.Thread(target=watch_kernel, daemon=True)
        kthread.start()

    marks = {"t_first": 1, "t50": (count + 1) // 2, "t99": (count * 99 + 99) // 100, "t100": count}
    seen = {}
    n, last_n, last_change = 0, -1, time.time()
    while True:
        now = time.time()
        if n < count:
            out = sink.cmd("show protocols all dut")
            now = time.time()
            m = routes_re.search(out)
            n = int(m.group(1)) if m else 0
            for k, v in marks.items():
                if k not in seen and n >= v:
                    seen[k] = now
            if n != last_n:
                last_n, last_change = n, now
        k_done = kthread is None or kernel["t"] is not None
        if n >= count and k_done:
            break
        if now - max(last_change, kernel["last"]) > a.stall:
            break
        time.sleep(0.005)
    at_end = sample()
    stop.set()
    time.sleep(a.settle)
    after = sample()

    print(f"t_enable={t_enable - t0:.3f}")  # negative: enable comes before Established
    print(f"t_all_up={t_all_up - t0:.3f}")
    for k in marks:
        print(f"{k}=" + (f"{seen[k] - t0:.3f}" if k in seen else "NA"))
    print(f"received={n}")
    if kthread is not None:
        print("kernel_s=" + (f"{kernel['t'] - t0:.3f}" if kernel["t"] else "NA"))
        print(f"kernel_routes={kernel['n']}")
    for k in before:
        print(f"cpu_{k}_at_end={at_end[k] - before[k]:.2f}")
        print(f"cpu_{k}={after[k] - before[k]:.2f}")
    ours = sum(after[k] - before[k] for k in ("dut", "feeders", "sink", "poller"))
    print(f"cpu_foreign={after['machine'] - before['machine'] - ours:.2f}")
    print(f"hwm_kib={sum(status(p, 'VmHWM') for p in dut_pids)}")
    print(f"rss_kib={sum(status(p, 'VmRSS') for p in dut_pids)}")


if __name__ == "__main__":
    main()
