#!/usr/bin/env python3
"""Clock for bench/workloads/rr.sh and mesh.sh: drives and watches the N BIRDs that play the
DUT's peers (one BIRD per peer: BIRD 2.0.12 locks one session per neighbour address, so one
BIRD cannot hold two sessions to the same DUT, whatever their local addresses).

    manypeers_poll.py MODE DIR N DUT_PIDS_FILE GO_FILE [options]

DIR holds <i>.ctl (control sockets) and <i>.pid of the peers' BIRDs, i = 0..N-1; each BIRD
has one BGP protocol named "peer", configured disabled. The poller connects to all of them,
writes DIR/ready, and waits for GO_FILE, which holds T0 (epoch seconds, taken by the caller
just before it spawned the DUT; DUT_PIDS_FILE is written by then, comma-separated PIDs).
It then enables every "peer" protocol (pipelined over the open sockets) and polls:

MODE rr:   conv_s when every BIRD holds N-1 networks learned from the DUT
           (`show route protocol peer count`): every other client's block, reflected;
           est_s when every BIRD's session is Established.
MODE mesh: established_s when every BIRD's session is Established; installed_s when the DUT's
           kernel (ip -n DUT_NS) holds N routes inside KERNEL_PREFIX.

Only the BIRDs not yet done are asked again (all in parallel: commands go out to all of them
before any answer is read). CPU: the DUT's utime+stime (summed over DUT_PIDS) at the end and
1 s later (cpu_s); rss_mib: their summed VmHWM; peers_cpu_s: all peers' CPU from T0 to done.
Options: --ns DUT_NS --kernel-prefix CIDR (mesh), --timeout S (60), --settle S (1).
Prints key=value lines; ok=1 when everything was reached, else ok=0 reason=...
"""
import argparse
import os
import re
import subprocess
import time

from poll import Bird, ask, cpu, status_kib

COUNT_RE = re.compile(r"(\d+) of \d+ routes for (\d+) networks")


def networks(text):
    m = COUNT_RE.search(text)
    return int(m.group(2)) if m else 0


def kernel_routes(ns, prefix):
    out = subprocess.run(
        ["ip", "-n", ns, "-4", "route", "show", "table", "main", "root", prefix],
        capture_output=True,
        text=True,
    ).stdout
    return sum(1 for line in out.splitlines() if line.strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["rr", "mesh"])
    ap.add_argument("dir")
    ap.add_argument("n", type=int)
    ap.add_argument("dut_pids_file")
    ap.add_argument("go_file")
    ap.add_argument("--ns")
    ap.add_argument("--kernel-prefix")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--settle", type=float, default=1)
    a = ap.parse_args()

    deadline = time.time() + 60
    birds = [Bird(f"{a.dir}/{i}.ctl", deadline) for i in range(a.n)]
    peer_pids = [int(open(f"{a.dir}/{i}.pid").read()) for i in range(a.n)]
    with open(f"{a.dir}/ready", "w") as f:
        f.write("1\n")
    while not os.path.exists(a.go_file):
        if time.time() > deadline + 60:
            raise SystemExit("no go")
        time.sleep(0.001)
    t0 = float(open(a.go_file).read())
    dut_pids = [int(p) for p in open(a.dut_pids_file).read().strip().split(",")]
    peers_cpu0 = sum(cpu(p, 0.0) for p in peer_pids)
    ask(birds, range(a.n), "enable peer")
    t_enabled = time.time() - t0

    res, last = {}, {}
    polls = 0
    todo = set(range(a.n))
    todo_est = set(range(a.n))
    want_kernel = a.mode == "mesh" and bool(a.kernel_prefix)
    kernel_done = not want_kernel
    reason = ""
    while True:
        now = time.time()
        if now - t0 > a.timeout:
            reason = f"timeout_{a.timeout:.0f}s"
            break
        if not all(os.path.exists(f"/proc/{p}") for p in dut_pids):
            reason = "dut_exited"
            break
        polls += 1
        if a.mode == "rr" and todo_est:
            ans = ask(birds, todo_est, "show protocols peer")
            todo_est -= {i for i, t in ans.items() if "Established" in t}
            if not todo_est:
                res["est_s"] = time.time() - t0
        if todo:
            if a.mode == "rr":
                ans = ask(birds, todo, "show route protocol peer count")
                got = {i: networks(t) for i, t in ans.items()}
                done = {i for i, k in got.items() if k >= a.n - 1}
                last["routes"] = sum(got.values()) + (a.n - len(todo)) * (a.n - 1)
            else:
                ans = ask(birds, todo, "show protocols peer")
                done = {i for i, t in ans.items() if "Established" in t}
            todo -= done
            last["peers_done"] = a.n - len(todo)
            if not todo:
                res["conv_s" if a.mode == "rr" else "established_s"] = time.time() - t0
        if not kernel_done:
            k = kernel_routes(a.ns, a.kernel_prefix)
            last["installed"] = k
            if k >= a.n:
                res["installed_s"] = time.time() - t0
                kernel_done = True
        if not todo and kernel_done:
            break
        time.sleep(max(0.01, 2 * (time.time() - now)))

    cpu_done = sum(cpu(p, 0.0) for p in dut_pids)
    peers_cpu = sum(cpu(p, 0.0) for p in peer_pids) - peers_cpu0
    time.sleep(a.settle)
    out = {k: f"{v:.3f}" for k, v in res.items()}
    out["cpu_s"] = f"{sum(cpu(p, 0.0) for p in dut_pids):.2f}"
    out["cpu_at_done_s"] = f"{cpu_done:.2f}"
    out["rss_mib"] = f"{sum(status_kib(p, 'VmHWM') for p in dut_pids) / 1024:.1f}"
    out["peers_cpu_s"] = f"{peers_cpu:.2f}"
    out["enable_s"] = f"{t_enabled:.3f}"
    out["polls"] = str(polls)
    for k, v in last.items():
        out["seen_" + k] = str(v)
    if not reason and not all(os.path.exists(f"/proc/{p}") for p in dut_pids):
        reason = "dut_exited"
    out["ok"] = "0" if reason else "1"
    if reason:
        out["reason"] = reason
    for k, v in out.items():
        print(f"{k}={v}")


if __name__ == "__main__":
    main()
