#!/usr/bin/env bash
# Runs one libFuzzer target until it has used SECONDS of CPU time (not wall time: a campaign
# shares the machine with builds, and "one CPU-hour per target" must mean that); a crash leaves
# the reproducer in WORK/crashes/TARGET and fails. Never pause a run with SIGSTOP: libFuzzer's
# -timeout is wall time, and the paused unit is then reported as a timeout.
# Usage: run_fuzz.sh FUZZER MAKE_SEEDS VECTOR_DIR WORK TARGET SECONDS
set -euo pipefail
fuzzer=$1 make_seeds=$2 vectors=$3 work=$4 target=$5 seconds=$6
seeds=$work/seeds/$target.d
corpus=$work/corpus/$target
crashes=$work/crashes/$target
mkdir -p "$corpus" "$crashes"
here=$(dirname "$0")
# Seeds are rebuilt every run (cheap) so they follow the vectors and the committed manifests.
# Each run gets its own seed folder, so targets can run side by side.
"$make_seeds" "$vectors" "$seeds" "$here/seeds/manifest" > /dev/null
mkdir -p "$seeds/$target"
# Committed seeds (manifests, selectors), and inputs that once crashed, stay in for good.
extra=()
for dir in "$here/seeds/$target" "$here/regressions/$target"; do
  [ -d "$dir" ] && extra+=("$dir")
done
log=$work/$target.log
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2> /dev/null || echo -1; }
# Alive and not yet a zombie waiting to be reaped.
running() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2> /dev/null) && [ "$state" != Z ]
}

# libFuzzer's own limit is wall time; it is only the safety net here (the machine may be busy).
wall_cap=$((seconds * 8 + 60))
# -timeout is wall time too. Every target decodes one input in well under a millisecond, so a
# unit still running after 30 s hangs; 5 s was once reached by a unit stalled with the whole
# machine (2026-11-28: a "timeout" that replays in 0.3 s).
"$fuzzer" -max_total_time=$wall_cap -timeout=30 -rss_limit_mb=1024 \
  -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "$seeds/$target" "${extra[@]}" \
  > "$log" 2>&1 &
pid=$!
trap 'kill -KILL $pid 2> /dev/null || true' EXIT
poll=1
[ "$seconds" -ge 600 ] && poll=5
start=$SECONDS used=0 interrupted=0
while running $pid; do
  ticks=$(cpu_ticks $pid)
  [ "$ticks" -ge 0 ] && used=$((ticks / hz))
  if [ $used -ge "$seconds" ] && [ $interrupted -eq 0 ]; then
    # SIGUSR1 asks libFuzzer to stop after the current input, print its final stats and exit 0.
    # Not SIGINT: libFuzzer's SIGINT handler allocates, and when the signal lands while the
    # target is inside malloc the run deadlocks on the (ASan) allocator's lock.
    kill -USR1 $pid 2> /dev/null || true
    interrupted=1
  fi
  # The watchdog: on out-of-memory libFuzzer prints a heap profile, which on a big heap can take
  # longer than the run itself.
  if [ $((SECONDS - start)) -gt $((wall_cap + 300)) ]; then
    echo "fuzz_$target did not finish in time (out of memory?)"
    kill -KILL $pid 2> /dev/null || true
  fi
  sleep $poll
done
set +e
wait $pid
rc=$?
set -e
trap - EXIT
execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
units=$(find "$corpus" -type f | wc -l)
echo "fuzz_$target: ${execs:-0} executions in ${used} CPU-s over $((SECONDS - start)) s," \
  "corpus $units inputs, exit $rc"
if [ $rc -ne 0 ]; then
  tail -n 40 "$log"
  echo "reproducers in $crashes"
fi
exit $rc
