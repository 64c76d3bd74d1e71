#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS over its seeds; a crash leaves the reproducer in
# WORK/crashes/TARGET and fails. Usage: run_fuzz.sh FUZZER MAKE_SEEDS VECTOR_DIR WORK TARGET SECONDS
set -euo pipefail
fuzzer=$1 make_seeds=$2 vectors=$3 work=$4 target=$5 seconds=$6
seeds=$work/seeds
corpus=$work/corpus/$target
crashes=$work/crashes/$target
mkdir -p "$corpus" "$crashes"
here=$(dirname "$0")
# Seeds are rebuilt every run (cheap) so they follow the vectors and the committed manifests.
"$make_seeds" "$vectors" "$seeds" "$here/seeds/manifest" > /dev/null
mkdir -p "$seeds/$target"
# Committed seeds (manifests, selectors), and inputs that once crashed, stay in for good.
extra=()
for dir in "$here/seeds/$target" "$here/regressions/$target"; do
  [ -d "$dir" ] && extra+=("$dir")
done
log=$work/$target.log
set +e
# The watchdog: on out-of-memory libFuzzer prints a heap profile, which on a big heap can take
# longer than the run itself.
timeout -k 10 $((seconds + 300)) \
  "$fuzzer" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=1024 -print_final_stats=1 \
  -artifact_prefix="$crashes/" "$corpus" "$seeds/$target" "${extra[@]}" > "$log" 2>&1
rc=$?
[ $rc -eq 124 ] || [ $rc -eq 137 ] && echo "fuzz_$target did not finish in time (out of memory?)"
set -e
execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
echo "fuzz_$target: ${execs:-0} executions in ${seconds}s, exit $rc"
if [ $rc -ne 0 ]; then
  tail -n 40 "$log"
  echo "reproducers in $crashes"
fi
exit $rc
