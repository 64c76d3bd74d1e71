# shellcheck shell=bash disable=SC2034
# Shell helpers for workload scripts under the bench/workloads contract (bench/run.sh):
# the environment (BENCH_DUTS, BENCH_RUNS, BENCH_SMOKE, BENCH_SIZE), CPU pinning, the lock that
# keeps two benchmarks apart, the quiet-machine wait, the MACHINE / RESULT / SKIP lines on
# stdout, and BIRD processes stopped by PID. Source it after interop/lib/lab.sh, then call
# bench_init WORKLOAD. Logs go to stderr; stdout carries only the machine-readable lines.

BENCH_PY=/usr/bin/python3
[ -x $BENCH_PY ] || BENCH_PY=python3

# bench_init WORKLOAD: sets BENCH_WL, BENCH_N_RUNS, BENCH_DUT_LIST, BENCH_IS_SMOKE, the pinning
# arrays DUT_TS / OTHER_TS (taskset prefixes: the DUT on the last CPU, everything else on the
# others) and takes the benchmark lock (waits up to BENCH_LOCK_WAIT s, 900).
bench_init() {
  BENCH_WL=$1
  BENCH_IS_SMOKE=${BENCH_SMOKE:-0}
  BENCH_N_RUNS=${BENCH_RUNS:-3}
  [ "$BENCH_IS_SMOKE" = 1 ] && BENCH_N_RUNS=${BENCH_RUNS:-1}
  BENCH_DUT_LIST=${BENCH_DUTS:-tern bird frr gobgp}
  BENCH_FAILED=0
  local cpus
  cpus=$(nproc)
  if [ "${BENCH_PIN:-1}" = 1 ] && [ "$cpus" -ge 2 ]; then
    DUT_CPU=$((cpus - 1))
    DUT_TS=(taskset -c "$DUT_CPU")
    OTHER_TS=(taskset -c "0-$((cpus - 2))")
  else
    DUT_CPU=""
    DUT_TS=()
    OTHER_TS=()
  fi
  # Two benchmarks at once would measure each other; labs of other kinds are not excluded.
  exec 9> "${BENCH_LOCK:-/run/tern-bench.lock}"
  flock -w "${BENCH_LOCK_WAIT:-900}" 9 || lab_fail "another benchmark holds ${BENCH_LOCK:-/run/tern-bench.lock}"
}

# bench_word TEXT: TEXT as one key=value-safe word.
bench_word() { printf '%s' "$*" | tr -s ' \t=' '___' | tr -cd '[:alnum:]_.:/+-'; }

# bench_machine KEY=VALUE...: the MACHINE line: this machine, the daemons' versions, extra keys.
bench_machine() {
  local model tern_rev
  model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)
  tern_rev=$(git -C "${BUILD:-.}/.." rev-parse --short HEAD 2> /dev/null || echo unknown)
  echo "MACHINE workload=$BENCH_WL host=$(bench_word "$(hostname)") cpus=$(nproc)" \
    "cpu=$(bench_word "$model") mem_mib=$(($(grep MemTotal /proc/meminfo | awk '{print $2}') / 1024))" \
    "kernel=$(uname -r) tern=$tern_rev bird=$(bird --version 2>&1 | awk '{print $3}')" \
    "frr=$(/usr/lib/frr/bgpd --version 2>&1 | head -1 | awk '{print $3}')" \
    "gobgp=$(gobgpd --version 2>&1 | awk '{print $3}')" \
    "pinned=${DUT_CPU:+dut_cpu_$DUT_CPU} runs=$BENCH_N_RUNS smoke=$BENCH_IS_SMOKE $*"
}

# bench_result DUT RUN KEY=VALUE...: one RESULT line (an argument may hold several KEY=VALUE
# separated by spaces); ok=0 in it marks the workload failed.
bench_result() {
  local dut=$1 run=$2 kv
  shift 2
  kv=$(echo "$*" | tr -s ' ')
  echo "RESULT $BENCH_WL $dut $run ${kv# }"
  case " $* " in *" ok=0 "*) BENCH_FAILED=1 ;; esac
}

# bench_skip DUT REASON...
bench_skip() {
  local dut=$1
  shift
  echo "SKIP $BENCH_WL $dut $(bench_word "$*")"
  lab_log "skip $dut: $*"
}

# bench_has_dut NAME: NAME is in BENCH_DUTS.
bench_has_dut() { case " $BENCH_DUT_LIST " in *" $1 "*) return 0 ;; esac; return 1; }

# bench_busy_pct SECONDS: CPU busy over all cores during SECONDS, in % of one core.
bench_busy_pct() {
  local a b busy=0 i
  read -r -a a < /proc/stat
  sleep "$1"
  read -r -a b < /proc/stat
  for i in 1 2 3 6 7 8; do busy=$((busy + b[i] - a[i])); done
  echo $((busy * 100 / $(getconf CLK_TCK) / ${1%.*}))
}

# bench_wait_quiet: wait (up to BENCH_QUIET_WAIT s: 60, 0 in smoke mode) for a second with
# under 10% of a core busy. A machine that stays busy is measured anyway, and the run's
# foreign_cpu_s says by how much it was disturbed.
bench_wait_quiet() {
  local limit=${BENCH_QUIET_WAIT:-60} t=$SECONDS pct
  [ "$BENCH_IS_SMOKE" = 1 ] && limit=${BENCH_QUIET_WAIT:-0}
  [ "$limit" = 0 ] && return 0
  while :; do
    pct=$(bench_busy_pct 1)
    [ "$pct" -lt 10 ] && return 0
    if [ $((SECONDS - t)) -ge "$limit" ]; then
      lab_log "machine still busy after ${limit}s (${pct}% of a core): measuring anyway, see foreign_cpu_s"
      return 0
    fi
  done
}

# bench_wait SECONDS CMD...: like lab_wait_for, but returns 1 on timeout instead of exiting, so
# one DUT that never comes up fails its run, not the workload.
bench_wait() {
  local end=$((SECONDS + $1))
  shift
  while [ $SECONDS -lt $end ]; do
    if "$@" > /dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

# bench_stop_pid PID: TERM, wait up to 5 s, KILL; and forget it for the final cleanup.
bench_stop_pid() {
  local pid=$1 i keep=() p
  kill -TERM "$pid" 2> /dev/null || true
  for i in $(seq 50); do
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  for p in "${LAB_PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
  LAB_PIDS=("${keep[@]}")
}

# bench_bird NAME NS CONF [PREFIX...]: a foreground BIRD with control socket $LAB_DIR/NAME.ctl,
# started through PREFIX (e.g. taskset); PID in BENCH_BIRD_PID. Returns 1 if it never answers.
bench_bird() {
  local name=$1 ns=$2 conf=$3
  shift 3
  lab_spawn "$name" "$ns" "$@" bird -f -c "$conf" -s "$LAB_DIR/$name.ctl"
  BENCH_BIRD_PID=$LAB_LAST_PID
  bench_wait 120 birdc -s "$LAB_DIR/$name.ctl" show status
}

# bench_veth NS1 IF1 ADDR1/LEN NS2 IF2 ADDR2/LEN: a veth pair with chosen interface names.
bench_veth() {
  local va="tb${RANDOM}a" vb="tb${RANDOM}b"
  ip link add "$va" type veth peer name "$vb"
  ip link set "$va" netns "$1"
  ip link set "$vb" netns "$4"
  ip -n "$1" link set "$va" name "$2"
  ip -n "$4" link set "$vb" name "$5"
  ip -n "$1" addr add "$3" dev "$2"
  ip -n "$4" addr add "$6" dev "$5"
  ip -n "$1" link set "$2" up
  ip -n "$4" link set "$5" up
}
