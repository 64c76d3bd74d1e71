#!/usr/bin/env python3
"""Clock for bench/workloads/table.sh: rib_poll.py's method, for several feeders and the kernel.

    table_poll.py --feeder SOCK,PID [--feeder ...] --sink SOCK,PID --count N --dut-pids P[,P...]
                  [--kernel-pid PID --kernel-count K] [--settle S] [--stall S] [--limit S]

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
Prints key=value lines (seconds since t0). Gives up after --stall s (60) without progress, and
with --limit S at S s after t0 (then limited=1: the counts say how far the DUT got).
"""
import argparse
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import poll  # noqa: E402


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
    ap.add_argument("--limit", type=float)
    a = ap.parse_args()
    count = a.count
    dut_pids = [int(p) for p in a.dut_pids.split(",")]
    fsocks = [f.split(",")[0] for f in a.feeder]
    feeders = [poll.Bird(s) for s in fsocks]
    ssock, spid = a.sink.split(",")
    sink = poll.Bird(ssock)
    groups = {"dut": dut_pids, "feeders": [int(f.split(",")[1]) for f in a.feeder],
              "sink": [int(spid)]}

    kernel_base = poll.fib_prefixes(a.kernel_pid) if a.kernel_pid else 0
    before = poll.sample(groups)
    t_enable, starts, t_all_up = poll.enable_established(feeders)
    t0 = min(starts)

    stop = threading.Event()
    poll.poke(fsocks, stop)

    kernel = {"n": 0, "t": None, "last": time.time()}

    def watch_kernel():
        while not stop.is_set():
            n = poll.fib_prefixes(a.kernel_pid) - kernel_base
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

    marks = poll.Marks(count)
    n = 0
    limited = False
    while True:
        now = time.time()
        if n < count:
            out = sink.cmd("show protocols all dut")
            now = time.time()
            n = poll.imported(out)
            marks.update(n, now)
        k_done = kthread is None or kernel["t"] is not None
        if n >= count and k_done:
            break
        if now - max(marks.last_change, kernel["last"]) > a.stall:
            break
        if a.limit is not None and now - t0 > a.limit:
            limited = True
            break
        time.sleep(0.005)
    at_end = poll.sample(groups)
    stop.set()
    time.sleep(a.settle)
    after = poll.sample(groups)

    print(f"t_enable={t_enable - t0:.3f}")  # negative: enable comes before Established
    print(f"t_all_up={t_all_up - t0:.3f}")
    print("\n".join(marks.lines(t0)))
    print(f"received={n}")
    print(f"limited={int(limited)}")
    if kthread is not None:
        print("kernel_s=" + (f"{kernel['t'] - t0:.3f}" if kernel["t"] else "NA"))
        print(f"kernel_routes={kernel['n']}")
    print("\n".join(poll.cpu_lines(before, at_end, after, "at_end")))
    print(f"cpu_foreign={poll.foreign(before, after):.2f}")
    print(f"hwm_kib={sum(poll.status_kib(p, 'VmHWM') for p in dut_pids)}")
    print(f"rss_kib={sum(poll.status_kib(p, 'VmRSS') for p in dut_pids)}")


if __name__ == "__main__":
    main()
