#!/usr/bin/env python3
"""Clock for bench/workloads/rr.sh and mesh.sh: drives and watches the BIRDs that play the
DUT's N peers, PER_BIRD peers to a BIRD (BIRD 2.0.12 locks one session per neighbour address
in a process, whatever the local address: a BIRD can be several peers of one DUT only when
each of its protocols talks to a different address of the DUT).

    manypeers_poll.py MODE DIR N DUT_PIDS_FILE GO_FILE [options]

DIR holds <b>.ctl (control sockets) and <b>.pid of the peers' BIRDs, b = 0..ceil(N/PER_BIRD)-1;
BIRD b plays peers b*PER_BIRD.. with BGP protocols named "peer*" (one per peer), configured
disabled. The poller connects to all of them, writes DIR/ready, and waits for GO_FILE, which
holds T0 (epoch seconds, taken by the caller just before it spawned the DUT; DUT_PIDS_FILE is
written by then, comma-separated PIDs). It then enables every "peer*" protocol (pipelined over
the open sockets) and polls:

MODE rr:   conv_s when every peer has imported N-1 routes from the DUT: every other client's
           block, reflected. A peer can hold at most those N-1 (its own block comes back with
           its ORIGINATOR_ID and is dropped), so it is enough that a BIRD's table holds
           PER*(N-1) routes besides its statics (one per peer, plus "nh"): one cheap
           `show route count` per BIRD and poll rather than a dump of every protocol;
           est_s when every peer's session is Established.
MODE mesh: established_s when every peer's session is Established; installed_s when the DUT's
           kernel (ip -n DUT_NS) holds N routes inside KERNEL_PREFIX.

Only the BIRDs not yet done are asked again (all in parallel: commands go out to all of them
before any answer is read). CPU: the DUT's utime+stime (summed over DUT_PIDS) at the end and
1 s later (cpu_s); rss_mib: their summed VmHWM; peers_cpu_s: all peers' CPU from T0 to done.
Options: --per-bird P (1), --ns DUT_NS --kernel-prefix CIDR (mesh), --timeout S (60),
--settle S (1).
Prints key=value lines; ok=1 when everything was reached, else ok=0 reason=...
"""
import argparse
import os
import re
import subprocess
import time

from poll import ROUTES_RE, Bird, ask, cpu, status_kib

PEERS = '"peer*"'
PROTO_RE = re.compile(r"^(?:\d{4}-|\s)?(peer\d*)\s+BGP", re.M)
COUNT_RE = re.compile(r"\d+ of (\d+) routes for \d+ networks in table master4")


def short_peers(birds, todo, want, limit=10):
    """For a run that timed out: the first LIMIT peers (BIRD b, protocol) short of WANT
    imported routes, as "b/peerP:count"."""
    out = []
    for b, t in sorted(ask(birds, sorted(todo), f"show protocols all {PEERS}").items()):
        starts = list(PROTO_RE.finditer(t))
        for m, end in zip(starts, [x.start() for x in starts[1:]] + [len(t)]):
            routes = ROUTES_RE.search(t, m.end(), end)
            k = int(routes.group(1)) if routes else 0
            if k < want:
                out.append(f"{b}/{m.group(1)}:{k}")
    return ",".join(out[:limit]) + (f",+{len(out) - limit}" if len(out) > limit else "")


def table_routes(text):
    m = COUNT_RE.search(text)
    return int(m.group(1)) if m else 0


def established(text):
    return text.count("Established")


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
    ap.add_argument("--per-bird", type=int, default=1)
    a = ap.parse_args()

    nb = -(-a.n // a.per_bird)
    # peers[b]: how many peers BIRD b plays (the last one may play fewer).
    peers = [min(a.per_bird, a.n - b * a.per_bird) for b in range(nb)]
    deadline = time.time() + 60
    birds = [Bird(f"{a.dir}/{b}.ctl", deadline) for b in range(nb)]
    peer_pids = [int(open(f"{a.dir}/{b}.pid").read()) for b in range(nb)]
    with open(f"{a.dir}/ready", "w") as f:
        f.write("1\n")
    while not os.path.exists(a.go_file):
        if time.time() > deadline + 60:
            raise SystemExit("no go")
        time.sleep(0.001)
    t0 = float(open(a.go_file).read())
    dut_pids = [int(p) for p in open(a.dut_pids_file).read().strip().split(",")]
    peers_cpu0 = sum(cpu(p, 0.0) for p in peer_pids)
    ask(birds, range(nb), f"enable {PEERS}")
    t_enabled = time.time() - t0

    res, last = {}, {}
    polls = 0
    todo = set(range(nb))
    todo_est = set(range(nb))
    want_kernel = a.mode == "mesh" and bool(a.kernel_prefix)
    kernel_done = not want_kernel
    reason = ""
    while True:
        now = time.time()
        if now - t0 > a.timeout:
            reason = f"timeout_{a.timeout:.0f}s"
            if a.mode == "rr" and todo:
                last["short"] = short_peers(birds, todo, a.n - 1)
            break
        if not all(os.path.exists(f"/proc/{p}") for p in dut_pids):
            reason = "dut_exited"
            break
        polls += 1
        if a.mode == "rr" and todo_est:
            ans = ask(birds, todo_est, f"show protocols {PEERS}")
            todo_est -= {b for b, t in ans.items() if established(t) >= peers[b]}
            if not todo_est:
                res["est_s"] = time.time() - t0
        if todo:
            if a.mode == "rr":
                ans = ask(birds, todo, "show route count table master4")
                # What the peers imported: the table less the statics (own blocks and "nh").
                got = {b: max(0, table_routes(t) - peers[b] - 1) for b, t in ans.items()}
                done = {b for b, k in got.items() if k >= peers[b] * (a.n - 1)}
                last["routes"] = sum(got.values()) + sum(
                    peers[b] * (a.n - 1) for b in range(nb) if b not in todo
                )
            else:
                ans = ask(birds, todo, f"show protocols {PEERS}")
                done = {b for b, t in ans.items() if established(t) >= peers[b]}
            todo -= done
            last["peers_done"] = a.n - sum(peers[b] for b in todo)
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
