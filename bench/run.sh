#!/usr/bin/env bash
# The benchmark driver of issue 9 (./tern.sh bench [WORKLOAD...]):
#
#   bash bench/run.sh [WORKLOAD...]          every script in bench/workloads/ without arguments
#   BENCH_SMOKE=1 bash bench/run.sh          tiny sizes, about 90 s; bench/RESULTS.md untouched
#
# Runs each workload script (bench/workloads/<name>.sh; "table-paths" finds table_paths.sh) with
# the environment of the contract (BUILD, BENCH_DUTS, BENCH_RUNS, BENCH_SMOKE, BENCH_SIZE are
# passed through), keeps its stdout (RESULT / SKIP / MACHINE lines) and stderr in a run
# directory, then prints per workload and variant (the non-numeric keys of RESULT lines, such as
# fib=on) the median of every metric per DUT, tern's ratio to each other DUT, and the bars of
# issue 9 with met / NOT met. A full run writes the same to bench/RESULTS.md with the machine,
# date and commit; a smoke run writes it into the run directory only.
#
# BENCH_RESULTS_MD=FILE writes a full run's results there instead of bench/RESULTS.md.
# Exit status: non-zero when a workload script failed (a DUT that never converged, ok=0).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export BUILD=${BUILD:-$ROOT/build}
SMOKE=${BENCH_SMOKE:-0}
export BENCH_SMOKE=$SMOKE

# The bars of issue 9, all in one place. Columns (|-separated):
#   workload | metric | op | limit | against | when | bar
# against: a DUT name (tern's median over that DUT's median in the same workload and variant),
#   "abs" (tern's median itself), or KEY=VALUE (tern's median over tern's own median in the
#   variant with KEY set to VALUE, e.g. fib=off). when: KEY=VALUE the variant must have, or "-".
# Workloads not run yet keep their rows: they apply as soon as their RESULT lines carry the metric
# (a row whose metric never appears is listed as "not measured").
BARS='
table       | t100_s        | <= | 0.3 | bird    | -      | sink complete in at most 0.3x BIRD'"'"'s time
table       | t100_s        | <= | 1.2 | fib=off | fib=on | sink not delayed by kernel writes (within 1.2x of the kernel-off run)
table       | kernel_s      | <= | 0.6 | bird    | fib=on | kernel complete in at most 0.6x BIRD'"'"'s time
table       | kernel_s      | <= | 1.1 | floor   | fib=on | kernel complete within 1.1x of the raw netlink floor
table       | cpu_s         | <= | 0.5 | bird    | -      | CPU at most 0.5x BIRD'"'"'s
table       | rss_mib       | <= | 0.5 | bird    | -      | peak RSS at most 0.5x BIRD'"'"'s
table-paths | t100_s        | <= | 0.5 | bird    | -      | at most 0.5x BIRD'"'"'s time
table-paths | rss_mib       | <= | 0.5 | bird    | -      | at most 0.5x BIRD'"'"'s memory
rr          | conv_s        | <= | 0.5 | bird    | -      | every client holds all reflected routes in at most 0.5x BIRD'"'"'s time
rr          | rss_mib       | <= | 1.0 | bird    | -      | RSS at most BIRD'"'"'s
mesh        | installed_s   | <  | 1.5 | abs     | -      | all sessions Established and all blocks installed in under 1.5 s
churn       | sink_p99_ms   | <  | 5   | abs     | -      | p99 feeder -> sink under 5 ms
churn       | kernel_p99_ms | <  | 10  | abs     | -      | p99 feeder -> kernel under 10 ms
idle        | rss_now_mib   | <  | 15.26 | abs   | -      | RSS under 16 MB = 15.26 MiB (resident while idle, at the end of the window; rss_mib is the start-up peak)
idle        | cpu_pct       | <  | 0.2 | abs     | -      | CPU under 0.2% of one core
'

WDIR=$ROOT/bench/workloads
scripts=()
if [ $# -eq 0 ]; then
  for f in "$WDIR"/*.sh; do [ -e "$f" ] && scripts+=("$f"); done
else
  for w in "$@"; do
    f=$WDIR/${w//-/_}.sh
    [ -f "$f" ] || f=$WDIR/$w.sh
    [ -f "$f" ] || { echo "bench: no workload $w (bench/workloads/${w//-/_}.sh)" >&2; exit 2; }
    scripts+=("$f")
  done
fi
[ ${#scripts[@]} -gt 0 ] || { echo "bench: no workload scripts in $WDIR" >&2; exit 2; }

RUN_DIR=$(mktemp -d /tmp/tern-bench-run.XXXXXX)
chmod 755 "$RUN_DIR"
echo "bench: ${#scripts[@]} workload(s)$([ "$SMOKE" = 1 ] && echo ", smoke"); output in $RUN_DIR" >&2

failed=()
start=$SECONDS
for f in "${scripts[@]}"; do
  name=$(basename "$f" .sh)
  t=$SECONDS
  echo "bench: ---- $name" >&2
  bash "$f" > "$RUN_DIR/$name.out" 2> >(tee "$RUN_DIR/$name.err" >&2)
  rc=$?
  echo "bench: $name exit $rc in $((SECONDS - t)) s" >&2
  [ $rc -eq 0 ] || failed+=("$name(exit $rc)")
done

commit=$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD 2> /dev/null || commit="$commit+changes"
md=$RUN_DIR/RESULTS.md
[ "$SMOKE" = 1 ] || md=${BENCH_RESULTS_MD:-$ROOT/bench/RESULTS.md}
python3 - "$RUN_DIR" "$md" "$commit" "$SMOKE" "$((SECONDS - start))" "${failed[*]:-}" "$BARS" \
  "${scripts[@]##*/}" << 'PY'
import datetime
import statistics
import sys
from collections import OrderedDict

run_dir, md_path, commit, smoke, wall, failed, bars_text = sys.argv[1:8]
names = [s[:-3] for s in sys.argv[8:]]
# The analysis of the missed bars is written by hand below the generated part, under this
# heading; a new run keeps it (to be re-read against the new numbers) instead of erasing it.
ANALYSIS = "## What limits the missed bars"


def number(v):
    try:
        return float(v)
    except ValueError:
        return None


machines, skips, results = OrderedDict(), [], []
for n in names:
    try:
        lines = open(f"{run_dir}/{n}.out").read().splitlines()
    except OSError:
        lines = []
    for line in lines:
        w = line.split()
        if not w:
            continue
        if w[0] == "MACHINE":
            kv = dict(x.split("=", 1) for x in w[1:] if "=" in x)
            machines[kv.get("workload", n)] = kv
        elif w[0] == "SKIP" and len(w) >= 3:
            skips.append((w[1], w[2], " ".join(w[3:]).replace("_", " ")))
        elif w[0] == "RESULT" and len(w) >= 4:
            kv = OrderedDict(x.split("=", 1) for x in w[4:] if "=" in x)
            tags = tuple((k, v) for k, v in kv.items()
                         if k not in ("ok", "reason") and v != "NA" and number(v) is None)
            metrics = OrderedDict((k, number(v)) for k, v in kv.items()
                                  if k not in ("ok", "reason") and (v == "NA" or number(v) is not None))
            results.append({"wl": w[1], "dut": w[2], "run": w[3], "tags": tags, "metrics": metrics,
                            "ok": kv.get("ok", "1") != "0", "reason": kv.get("reason", "")})

# groups: (workload, tags) -> dut -> metric -> [values of ok runs]
groups = OrderedDict()
for r in results:
    g = groups.setdefault((r["wl"], r["tags"]), {"duts": OrderedDict(), "metrics": [], "fails": []})
    d = g["duts"].setdefault(r["dut"], {"runs": 0, "vals": {}})
    for m in r["metrics"]:
        if m not in g["metrics"]:
            g["metrics"].append(m)
    if not r["ok"]:
        g["fails"].append(r)
        continue
    d["runs"] += 1
    for m, v in r["metrics"].items():
        if v is not None:
            d["vals"].setdefault(m, []).append(v)


def median(g, dut, m):
    v = groups.get(g, {}).get("duts", {}).get(dut, {}).get("vals", {}).get(m)
    return statistics.median(v) if v else None


def fmt(v):
    if v is None:
        return "-"
    return f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"


def label(key):
    wl, tags = key
    return wl + "".join(f" {k}={v}" for k, v in tags)


out = []
out.append(f"# Benchmarks (issue 9){' - SMOKE RUN, sizes too small to mean anything' if smoke == '1' else ''}")
out.append("")
out.append(f"- date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}")
out.append(f"- commit: {commit}; driver wall time {wall} s")
seen = set()
for wl, kv in machines.items():
    mline = " ".join(f"{k}={v}" for k, v in kv.items() if k not in ("workload",))
    out.append(f"- machine ({wl}): {mline}")
out.append("- medians over the runs that completed (ok=1); ratio rows: tern / that DUT (lower is better)")
if failed:
    out.append(f"- FAILED workloads: {failed}")
out.append("")
for key, g in groups.items():
    out.append(f"## {label(key)}")
    out.append("")
    ms = g["metrics"]
    out.append("| DUT | runs | " + " | ".join(ms) + " |")
    out.append("|---|---|" + "---|" * len(ms))
    for dut, d in g["duts"].items():
        out.append(f"| {dut} | {d['runs']} | " + " | ".join(fmt(median(key, dut, m)) for m in ms) + " |")
    if "tern" in g["duts"]:
        for dut in g["duts"]:
            if dut == "tern":
                continue
            cells = []
            for m in ms:
                a, b = median(key, "tern", m), median(key, dut, m)
                ok = a is not None and b not in (None, 0) and not m.startswith("foreign")
                cells.append(f"{a / b:.2f}" if ok else "-")
            out.append(f"| tern/{dut} | | " + " | ".join(cells) + " |")
    for r in g["fails"]:
        out.append(f"\nFAILED: {r['dut']} run {r['run']}: {r['reason'] or 'no reason given'}")
    out.append("")
if skips:
    out.append("## Skipped")
    out.append("")
    for wl, dut, why in skips:
        out.append(f"- {wl} {dut}: {why}")
    out.append("")

# ---- bars
out.append("## Bars of issue 9 (tern)")
out.append("")
out.append("| workload | variant | bar | tern | against | value | verdict |")
out.append("|---|---|---|---|---|---|---|")
missed = []
for line in bars_text.strip().splitlines():
    cols = [c.strip() for c in line.split("|")]
    if len(cols) != 7:
        continue
    wl, metric, op, limit, against, when, text = cols
    limit = float(limit)
    keys = [k for k in groups if k[0] == wl]
    if when != "-":
        keys = [k for k in keys if when in (f"{a}={b}" for a, b in k[1])]
    if not keys:
        out.append(f"| {wl} | | {text} | | | | not run |")
        continue
    for key in keys:
        t = median(key, "tern", metric)
        if against == "abs":
            ref, ref_txt = 1.0, "absolute"
            value = t
        elif "=" in against:
            tk, tv = against.split("=", 1)
            other = (key[0], tuple((a, tv if a == tk else b) for a, b in key[1]))
            ref = median(other, "tern", metric)
            ref_txt = f"tern {against}: {fmt(ref)}"
            value = t / ref if t is not None and ref else None
        else:
            ref = median(key, against, metric)
            ref_txt = f"{against}: {fmt(ref)}"
            value = t / ref if t is not None and ref else None
        if value is None:
            verdict = "not measured"
        else:
            good = value <= limit if op == "<=" else value < limit
            verdict = "met" if good else "**NOT met**"
            if not good:
                missed.append(f"{label(key)}: {text}: {fmt(value)} (limit {op} {limit:g})")
        variant = " ".join(f"{a}={b}" for a, b in key[1]) or "-"
        shown = "-" if value is None else (fmt(value) if against == "abs" else f"{value:.2f}x")
        out.append(f"| {wl} | {variant} | {text} ({metric} {op} {limit:g}{'' if against == 'abs' else 'x'}) "
                   f"| {fmt(t)} | {ref_txt} | {shown} | {verdict} |")
out.append("")
if missed:
    out.append("## Bars missed")
    out.append("")
    out.append(f"Each needs what limits it (perf or callgrind profile) in \"{ANALYSIS[3:]}\" below.")
    out.append("")
    for m in missed:
        out.append(f"- {m}")
    out.append("")

kept = ""
if md_path and smoke != "1":
    try:
        old = open(md_path).read()
        if ANALYSIS in old:
            kept = old[old.index(ANALYSIS):].rstrip("\n")
    except OSError:
        pass
if kept:
    out.append(kept)
    out.append("")
text = "\n".join(out)
print(text)
if md_path:
    with open(md_path, "w") as f:
        f.write(text + "\n")
    print(f"\nwritten to {md_path}", file=sys.stderr)
PY
py_rc=$?
if [ ${#failed[@]} -gt 0 ]; then
  echo "bench: FAILED: ${failed[*]} (logs in $RUN_DIR)" >&2
  exit 1
fi
exit $py_rc
