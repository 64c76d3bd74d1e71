# shellcheck shell=bash disable=SC2034
# Helpers of the churn and idle workloads (bench/workloads/{churn,idle}.sh): CPU pinning, the
# quiet-machine wait, DUT CPU/RSS from /proc, the MACHINE line, and starting each DUT (ternd,
# BIRD, FRR bgpd+zebra, GoBGP) in a namespace by PID. Source after interop/lib/lab.sh.
# Everything here logs to stderr; stdout is the workloads' RESULT/SKIP/MACHINE lines.

FRR_LIB=${FRR_LIB:-/usr/lib/frr}
PY=/usr/bin/python3
[ -x $PY ] || PY=python3

# b3_pin: the DUT gets the last CPU, everything else the others (needs 2+ CPUs).
b3_pin() {
  local cpus
  cpus=$(nproc)
  if [ "${BENCH_PIN:-1}" = 1 ] && [ "$cpus" -ge 2 ]; then
    DUT_TS=(taskset -c "$((cpus - 1))")
    OTHER_TS=(taskset -c "0-$((cpus - 2))")
  else
    DUT_TS=()
    OTHER_TS=()
  fi
}

# b3_busy_pct SECONDS: CPU busy over all cores during about SECONDS, in % of one core (the
# share of busy ticks times the CPU count, so a late wake-up does not inflate it).
b3_busy_pct() {
  local a b busy=0 total=0 i
  read -r -a a < /proc/stat
  sleep "$1"
  read -r -a b < /proc/stat
  for i in 1 2 3 6 7 8; do busy=$((busy + b[i] - a[i])); done
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  [ "$total" -gt 0 ] || total=1
  echo $((busy * 100 * $(nproc) / total))
}

# b3_wait_quiet: wait up to BENCH_QUIET_WAIT s (60; 5 with BENCH_SMOKE) for a second with
# under 10% of a core busy. A busy machine is measured anyway; B3_FOREIGN_PCT says how busy.
b3_wait_quiet() {
  local limit=${BENCH_QUIET_WAIT:-60} t=$SECONDS
  [ -n "${BENCH_SMOKE:-}" ] && limit=${BENCH_QUIET_WAIT:-5}
  while :; do
    B3_FOREIGN_PCT=$(b3_busy_pct 1)
    if [ "$B3_FOREIGN_PCT" -lt 10 ]; then
      lab_log "machine quiet (${B3_FOREIGN_PCT}% of a core busy)"
      return 0
    fi
    if [ $((SECONDS - t)) -ge "$limit" ]; then
      lab_log "machine still busy after ${limit}s (${B3_FOREIGN_PCT}% of a core): measuring anyway"
      return 0
    fi
  done
}

# b3_stop PID [SECONDS]: TERM, wait up to SECONDS (5), KILL; the PID leaves the cleanup list.
b3_stop() {
  local pid=$1 i keep=() p
  kill -TERM "$pid" 2> /dev/null || true
  for i in $(seq $((${2:-5} * 10))); do
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  for p in "${LAB_PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
  LAB_PIDS=("${keep[@]}")
}

# b3_drop_ns NS: removes a namespace created for one run (its processes must be gone).
b3_drop_ns() { ip netns del "$1" 2> /dev/null || true; }

# b3_cpu_ticks PID...: utime+stime of the processes (threads included, live and exited), in
# clock ticks.
b3_cpu_ticks() {
  local sum=0 p s
  for p in "$@"; do
    s=$(cat "/proc/$p/stat" 2> /dev/null) || continue
    s=${s##*) }
    # shellcheck disable=SC2086
    set -- $s
    sum=$((sum + ${12} + ${13}))
  done
  echo $sum
}

# b3_run_ns PID...: CPU time on a CPU of every live thread of the processes, in ns
# (/proc/PID/task/*/schedstat; finer than ticks, for the idle window).
b3_run_ns() {
  local sum=0 p f v
  for p in "$@"; do
    for f in /proc/"$p"/task/*/schedstat; do
      read -r v _ < "$f" 2> /dev/null || continue
      sum=$((sum + v))
    done
  done
  echo $sum
}

# b3_ctxsw PID...: voluntary + involuntary context switches of every live thread.
b3_ctxsw() {
  local sum=0 p f v
  for p in "$@"; do
    for f in /proc/"$p"/task/*/status; do
      v=$(awk '/ctxt_switches/ { s += $2 } END { print s + 0 }' "$f" 2> /dev/null) || continue
      sum=$((sum + v))
    done
  done
  echo $sum
}

# b3_kib FIELD PID...: sum of a /proc/PID/status field (VmHWM, VmRSS) in KiB.
b3_kib() {
  local field=$1 sum=0 p v
  shift
  for p in "$@"; do
    v=$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$p/status" 2> /dev/null)
    sum=$((sum + ${v:-0}))
  done
  echo $sum
}

# b3_div A B SCALE: A / B with SCALE decimals (awk; NA if B is 0).
b3_div() { awk -v a="$1" -v b="$2" -v s="$3" 'BEGIN { if (b == 0) print "NA"; else printf "%.*f", s, a / b }'; }

# b3_machine_line: the one MACHINE line (no spaces inside values).
b3_machine_line() {
  local model
  model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo | tr -c 'A-Za-z0-9.()@-' '_' | sed 's/_*$//')
  echo "MACHINE host=$(hostname -s) cpus=$(nproc) cpu_model=${model:-unknown}" \
    "mem_mib=$(($(awk '/^MemTotal/ { print $2 }' /proc/meminfo) / 1024)) kernel=$(uname -r)" \
    "bird=$(bird --version 2>&1 | awk '{ print $NF; exit }')" \
    "frr=$("$FRR_LIB/bgpd" --version 2>/dev/null | awk '/version/ { print $NF; exit }')" \
    "gobgp=$(gobgpd --version 2>/dev/null | awk '{ print $NF; exit }')" \
    "ternd=$(stat -c %Y "$B3_TERND" 2>/dev/null || echo NA)" \
    "pinned=$([ ${#DUT_TS[@]} -gt 0 ] && echo 1 || echo 0)" \
    "load1=$(cut -d' ' -f1 /proc/loadavg)"
}

# b3_dut_usable DUT WORKLOAD: 0 if DUT's binaries are present; else prints the SKIP line.
b3_dut_usable() {
  case $1 in
    tern) [ -x "$B3_TERND" ] || { echo "SKIP $2 tern ternd not built ($B3_TERND)"; return 1; } ;;
    bird) command -v bird > /dev/null || { echo "SKIP $2 bird bird2 not installed"; return 1; } ;;
    frr) [ -x "$FRR_LIB/bgpd" ] && [ -x "$FRR_LIB/zebra" ] || { echo "SKIP $2 frr bgpd/zebra not installed"; return 1; } ;;
    gobgp) command -v gobgpd > /dev/null || { echo "SKIP $2 gobgp gobgpd not installed"; return 1; } ;;
    *) echo "SKIP $2 $1 unknown DUT"; return 1 ;;
  esac
}

# ---------------------------------------------------------------- starting DUTs
# Each sets DUT_PIDS (every process of the DUT) and logs where its files are. DIR is a fresh
# directory of the run inside $LAB_DIR.

# b3_start_ternd NS DIR INTENT_FILE [ARGS...]: ternd fed Calico manifests, kernel writes on
# unless --no-fib is among ARGS. No --status: its file written every second is not what a node
# runs, and the workloads read their numbers from the peers and the kernel.
b3_start_ternd() {
  local ns=$1 d=$2 intent=$3
  shift 3
  lab_spawn "$(basename "$d")-ternd" "$ns" "${DUT_TS[@]}" "$B3_TERND" --node-name dut \
    --intent "$intent" --store "$d/intent.pb" \
    --api-socket "$d/tern.sock" --log-level warn "$@"
  DUT_PIDS=("$LAB_LAST_PID")
}

# b3_start_bird NS DIR CONF_TEXT: BIRD as DUT.
b3_start_bird() {
  local ns=$1 d=$2
  printf '%s\n' "$3" > "$d/bird.conf"
  lab_spawn "$(basename "$d")-bird" "$ns" "${DUT_TS[@]}" bird -f -c "$d/bird.conf" -s "$d/bird.ctl"
  DUT_PIDS=("$LAB_LAST_PID")
  lab_wait_for 20 "DUT BIRD control socket" birdc -s "$d/bird.ctl" show status
}

# b3_start_frr NS DIR BGPD_CONF_TEXT: zebra (kernel writes, Debian's -s 90000000) then bgpd.
b3_start_frr() {
  local ns=$1 d=$2
  printf 'hostname dut\n' > "$d/zebra.conf"
  printf '%s\n' "$3" > "$d/bgpd.conf"
  : > "$d/vtysh.conf"
  chown -R frr:frr "$d"
  [ -d "/var/run/frr/$ns" ] || LAB_RMDIRS+=("/var/run/frr/$ns")
  local common=(-N "$ns" --vty_socket "$d" -u frr -g frr)
  lab_spawn "$(basename "$d")-zebra" "$ns" "${DUT_TS[@]}" "$FRR_LIB/zebra" "${common[@]}" \
    -s 90000000 -i "$d/zebra.pid" -f "$d/zebra.conf" --log "file:$d/zebra.log" --log-level warnings
  DUT_PIDS=("$LAB_LAST_PID")
  lab_wait_for 10 "DUT zebra socket" test -S "/var/run/frr/$ns/zserv.api"
  lab_spawn "$(basename "$d")-bgpd" "$ns" "${DUT_TS[@]}" "$FRR_LIB/bgpd" "${common[@]}" \
    -i "$d/bgpd.pid" -f "$d/bgpd.conf" --log "file:$d/bgpd.log" --log-level warnings
  DUT_PIDS+=("$LAB_LAST_PID")
  lab_wait_for 15 "DUT bgpd vty" vtysh --config_dir "$d" --vty_socket "$d" -d bgpd -c "show bgp summary"
}

# b3_start_gobgp NS DIR TOML_TEXT: gobgpd limited to one core (GOMAXPROCS=1 and the DUT CPU).
b3_start_gobgp() {
  local ns=$1 d=$2
  printf '%s\n' "$3" > "$d/gobgp.toml"
  lab_spawn "$(basename "$d")-gobgpd" "$ns" env GOMAXPROCS=1 "${DUT_TS[@]}" gobgpd \
    -f "$d/gobgp.toml" --api-hosts "unix://$d/gobgp.sock" --log-level warn --pprof-disable
  DUT_PIDS=("$LAB_LAST_PID")
  lab_wait_for 10 "DUT gobgpd api" gobgp --target "unix://$d/gobgp.sock" global
}

# The kernel/device scan time BIRD runs with as a DUT: Calico's confd renders "scan time 2" for
# both, and that BIRD is what tern replaces (BENCH_BIRD_SCAN overrides it).
B3_BIRD_SCAN=${BENCH_BIRD_SCAN:-2}
