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
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import poll  # noqa: E402


def main():
    fsock, ssock, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    dut_pids = [int(p) for p in sys.argv[4].split(",")]
    feeder_pid, sink_pid = int(sys.argv[5]), int(sys.argv[6])
    settle = float(sys.argv[7]) if len(sys.argv) > 7 else 1.0
    feeder, sink = poll.Bird(fsock), poll.Bird(ssock)
    groups = {"dut": dut_pids, "feeder": [feeder_pid], "sink": [sink_pid]}

    before = poll.sample(groups)
    t_enable, (t0,), t_poll = poll.enable_established([feeder])

    trace = open(os.environ["RIB_POLL_TRACE"], "w") if os.environ.get("RIB_POLL_TRACE") else None
    stop = threading.Event()
    poll.poke([fsock], stop)
    marks = poll.Marks(count, first="first")
    n, polls = 0, 0
    while True:
        n = poll.imported(sink.cmd("show protocols all dut"))
        now = time.time()
        polls += 1
        if marks.update(n, now) and trace:
            trace.write(f"{now - t0:.4f} {n}\n")
        if n >= count or now - marks.last_change > 60:
            break
        time.sleep(0.005)
    at100 = poll.sample(groups)
    stop.set()
    time.sleep(settle)
    after = poll.sample(groups)

    print(f"t_enable={t_enable - t0:.3f}")  # negative: enable happens before Established
    print(f"t0_seen_by_poll={t_poll - t0:.3f}")
    print("\n".join(marks.lines(t0)))
    print(f"received={n}")
    print(f"polls={polls}")
    print("\n".join(poll.cpu_lines(before, at100, after, "at100")))
    wall = time.time() - t_enable
    print(f"cpu_foreign={poll.foreign(before, after):.2f}")
    print(f"wall={wall:.2f}")
    print(f"hwm_kib={sum(poll.status_kib(p, 'VmHWM', -1) for p in dut_pids)}")
    print(f"rss_kib={sum(poll.status_kib(p, 'VmRSS', -1) for p in dut_pids)}")


if __name__ == "__main__":
    main()
