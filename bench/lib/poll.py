"""Shared pieces of the benchmark pollers (bench/rib_poll.py, bench/table_poll.py,
bench/lib/manypeers_poll.py): BIRD's control socket spoken directly (one connection per BIRD,
no birdc fork per poll), CPU and memory of processes from /proc, the FIB trie's prefix count,
and the sink-side progress marks (first route, 50%, 99%, 100%).
"""
import os
import re
import socket
import threading
import time
from datetime import datetime

CLK = os.sysconf("SC_CLK_TCK")
END = re.compile(rb"^\d{4} ", re.M)
ROUTES_RE = re.compile(r"Routes:\s+(\d+) imported")
# `timeformat protocol iso long ms` in the BIRD config gives the ms timestamp.
SINCE_RE = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\s+Established")


class Bird:
    """One control-socket connection; with DEADLINE (epoch s) it retries until the socket is
    there (a BIRD just spawned)."""

    def __init__(self, path, deadline=None):
        while True:
            self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if deadline is None or time.time() > deadline:
                    raise SystemExit(f"no BIRD control socket at {path}")
                time.sleep(0.05)
        self.buf = b""
        self.reply()  # greeting "0001 BIRD x ready."

    def send(self, line):
        self.s.sendall(line.encode() + b"\n")

    def reply(self):
        while True:
            m = END.search(self.buf)
            if m:
                nl = self.buf.find(b"\n", m.start())
                if nl >= 0:
                    out, self.buf = self.buf[: nl + 1], self.buf[nl + 1 :]
                    return out.decode(errors="replace")
            chunk = self.s.recv(1 << 16)
            if not chunk:
                raise SystemExit("a BIRD closed its control socket")
            self.buf += chunk

    def cmd(self, line):
        self.send(line)
        return self.reply()


def ask(birds, idx, line):
    """Sends LINE to every BIRD in idx before reading any answer: {i: text}."""
    for i in idx:
        birds[i].send(line)
    return {i: birds[i].reply() for i in idx}


def cpu(pid, missing=float("nan")):
    """utime+stime of PID in seconds (MISSING when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK
    except OSError:
        return missing


def machine_busy():
    """CPU seconds the whole machine spent busy since boot (all but idle and iowait)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v[:8]) - v[3] - v[4]) / CLK


def status_kib(pid, key, missing=0):
    """A /proc/PID/status field in kB (VmHWM, VmRSS)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return missing


def fib_prefixes(pid):
    """Prefixes in the main FIB trie of PID's network namespace (-1 if unreadable)."""
    try:
        with open(f"/proc/{pid}/net/fib_triestat") as f:
            text = f.read()
    except OSError:
        return -1
    m = re.search(r"^Main:\n(?:\t.*\n)*?\tPrefixes:\s+(\d+)", text, re.M)
    return int(m.group(1)) if m else 0


def imported(text):
    """The "Routes: N imported" of a `show protocols all` answer (0 without one)."""
    m = ROUTES_RE.search(text)
    return int(m.group(1)) if m else 0


def enable_established(birds, proto="dut", timeout=30):
    """Enables PROTO on every BIRD and polls every 2 ms until each is Established.
    Returns (t_enable, [each one's own Established timestamp], time all were seen)."""
    t_enable = time.time()
    for b in birds:
        b.cmd(f"enable {proto}")
    starts = [None] * len(birds)
    out = ""
    while None in starts:
        for i, b in enumerate(birds):
            if starts[i] is None:
                out = b.cmd(f"show protocols {proto}")
                m = SINCE_RE.search(out)
                if m:
                    starts[i] = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
        if None in starts and time.time() - t_enable > timeout:
            raise SystemExit(f"sessions not Established {timeout} s after enable:\n{out}")
        time.sleep(0.002)
    return t_enable, starts, time.time()


def poke(paths, stop):
    """BIRD 2.0.12 as feeder sends the last partial batch of its table feed only when its event
    loop wakes up next, which on an otherwise idle feeder is its 3 s poll timeout: a tail that
    belongs to the feeder, not to the DUT. A `show status` every 10 ms on a connection of its
    own (so a busy feeder never delays the sink polls) keeps the loop turning until STOP."""

    def run(b):
        while not stop.is_set():
            b.cmd("show status")
            stop.wait(0.01)

    for p in paths:
        threading.Thread(target=run, args=(Bird(p),), daemon=True).start()


class Marks:
    """The first time a count reached 1, 50%, 99% and 100% of COUNT (FIRST names the first)."""

    def __init__(self, count, first="t_first"):
        self.want = {first: 1, "t50": (count + 1) // 2, "t99": (count * 99 + 99) // 100,
                     "t100": count}
        self.seen = {}
        self.last_n, self.last_change = -1, time.time()

    def update(self, n, now):
        """Returns True when N differs from the last count."""
        for k, v in self.want.items():
            if k not in self.seen and n >= v:
                self.seen[k] = now
        if n == self.last_n:
            return False
        self.last_n, self.last_change = n, now
        return True

    def lines(self, t0):
        return [f"{k}=" + (f"{self.seen[k] - t0:.3f}" if k in self.seen else "NA")
                for k in self.want]


def sample(groups):
    """CPU seconds so far of each named group of PIDs (summed), the machine and this process."""
    me = os.times()
    out = {k: sum(cpu(p) for p in pids) for k, pids in groups.items()}
    out["machine"] = machine_busy()
    out["poller"] = me.user + me.system
    return out


def foreign(before, after):
    """CPU seconds the machine spent on others than the sampled groups between two samples."""
    ours = sum(after[k] - before[k] for k in before if k != "machine")
    return after["machine"] - before["machine"] - ours


def cpu_lines(before, mid, after, mid_name):
    """cpu_<k>_<mid_name> (until the mark) and cpu_<k> (until after the settle) per sample key."""
    out = []
    for k in before:
        out.append(f"cpu_{k}_{mid_name}={mid[k] - before[k]:.2f}")
        out.append(f"cpu_{k}={after[k] - before[k]:.2f}")
    return out
