# shellcheck shell=bash disable=SC2034
# The shell library of the benchmark workloads (bench/workloads/*.sh, driven by bench/run.sh):
# the contract's environment (BUILD, BENCH_DUTS, BENCH_RUNS, BENCH_SMOKE, BENCH_SIZE), CPU
# pinning, the lock that keeps two benchmarks apart, the quiet-machine wait, the MACHINE /
# RESULT / SKIP lines on stdout, CPU and memory of the DUT from /proc, processes stopped by
# PID, and starting each DUT (ternd, BIRD, FRR bgpd [+ zebra], GoBGP) in a namespace.
# A workload sources it (it brings interop/lib/lab.sh and calico.sh) and calls bench_init.
# Logs go to stderr; stdout carries only the machine-readable lines.

# shellcheck source=interop/lib/lab.sh disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/../../interop/lib/lab.sh"
# shellcheck source=interop/lib/calico.sh disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/../../interop/lib/calico.sh"

BENCH_PY=/usr/bin/python3
[ -x $BENCH_PY ] || BENCH_PY=python3
FRR_LIB=${FRR_LIB:-/usr/lib/frr}
BENCH_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The kernel/device scan time of BIRD as a DUT: Calico's confd renders "scan time 2", and that
# BIRD is what tern replaces (BENCH_BIRD_SCAN overrides it).
BENCH_BIRD_SCAN=${BENCH_BIRD_SCAN:-2}

# bench_pin: DUT_TS / OTHER_TS, taskset prefixes putting the DUT on the last CPU and everything
# else on the others (2+ CPUs and BENCH_PIN=1, the default; else empty). DUT_CPU: its CPU.
bench_pin() {
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
}

# bench_init WORKLOAD [DEFAULT_RUNS]: the contract's environment as BENCH_WL, BENCH_IS_SMOKE,
# BENCH_N_RUNS (BENCH_RUNS, else DEFAULT_RUNS (3), 1 in smoke runs), BENCH_DUT_LIST; pinning;
# TERND, a private copy of $BUILD/daemon/ternd (a rebuild during the run cannot replace it; empty
# when not built); BENCH_USABLE, the DUTs that can run (a SKIP line for each other one); and the
# benchmark lock (waits up to BENCH_LOCK_WAIT s, 900). Starts the lab (lab_init WORKLOAD).
bench_init() {
  lab_init "$1"
  BENCH_WL=$1
  BENCH_IS_SMOKE=0
  [ "${BENCH_SMOKE:-0}" = 1 ] && BENCH_IS_SMOKE=1
  BENCH_N_RUNS=${BENCH_RUNS:-${2:-3}}
  [ "$BENCH_IS_SMOKE" = 1 ] && BENCH_N_RUNS=${BENCH_RUNS:-1}
  BENCH_DUT_LIST=${BENCH_DUTS:-tern bird frr gobgp}
  BENCH_FAILED=0
  BUILD=${BUILD:-$ROOT/build}
  bench_pin
  TERND_BUILT=$BUILD/daemon/ternd
  TERND=""
  [ -x "$TERND_BUILT" ] && cp "$TERND_BUILT" "$LAB_DIR/ternd" && TERND=$LAB_DIR/ternd
  BENCH_USABLE=()
  local d
  for d in $BENCH_DUT_LIST; do
    case $d in
      tern) [ -n "$TERND" ] || { bench_skip tern "ternd not built ($TERND_BUILT)"; continue; } ;;
      bird) command -v bird > /dev/null || { bench_skip bird "bird2 not installed"; continue; } ;;
      frr) [ -x "$FRR_LIB/bgpd" ] && [ -x "$FRR_LIB/zebra" ] || { bench_skip frr "bgpd/zebra not installed"; continue; } ;;
      gobgp) command -v gobgpd > /dev/null || { bench_skip gobgp "gobgpd not installed"; continue; } ;;
      *) bench_skip "$d" "unknown DUT"; continue ;;
    esac
    BENCH_USABLE+=("$d")
  done
  # Two benchmarks at once would measure each other; labs of other kinds are not excluded.
  exec 9> "${BENCH_LOCK:-/run/tern-bench.lock}"
  flock -w "${BENCH_LOCK_WAIT:-900}" 9 || lab_fail "another benchmark holds ${BENCH_LOCK:-/run/tern-bench.lock}"
}

# bench_size VAR DEFAULT SMOKE_DEFAULT MIN MAX: VAR = BENCH_SIZE, else DEFAULT (SMOKE_DEFAULT in
# smoke runs); exits 2 outside MIN..MAX.
bench_size() {
  local n=${BENCH_SIZE:-$2}
  [ "$BENCH_IS_SMOKE" = 1 ] && n=${BENCH_SIZE:-$3}
  if [ "$n" -lt "$4" ] || [ "$n" -gt "$5" ]; then
    echo "$BENCH_WL: size $n out of range ($4..$5)" >&2
    exit 2
  fi
  printf -v "$1" '%s' "$n"
}

# bench_in_round DUT ROUND: whether DUT runs in ROUND. tern and BIRD run in every round (the bars
# are tern against BIRD); FRR and GoBGP, which no bar is measured against and which take the
# longest (FRR 4x BIRD's time in table-paths, GoBGP up to 50x), in their first BENCH_OTHER_RUNS
# rounds (1): their medians come from those, and the full bench stays near an hour.
bench_in_round() {
  bench_is_other "$1" || return 0
  [ "$2" -le "${BENCH_OTHER_RUNS:-1}" ]
}

# bench_is_other DUT: FRR or GoBGP, the DUTs shown beside tern and BIRD that no bar is against.
bench_is_other() { case $1 in frr | gobgp) return 0 ;; *) return 1 ;; esac; }

# bench_rounds FN: FN DUT RUN for every round and usable DUT (DUTs alternate within a round, FRR
# and GoBGP as bench_in_round says), then exits with the workload's status.
bench_rounds() {
  local r d
  for r in $(seq "$BENCH_N_RUNS"); do
    for d in "${BENCH_USABLE[@]}"; do
      bench_in_round "$d" "$r" && "$1" "$d" "$r"
    done
  done
  exit "$BENCH_FAILED"
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
    "kernel=$(uname -r) load1=$(cut -d' ' -f1 /proc/loadavg) tern=$tern_rev" \
    "ternd_mtime=$(stat -c %Y "$TERND_BUILT" 2> /dev/null || echo NA)" \
    "bird=$(bird --version 2>&1 | awk '{print $NF; exit}')" \
    "frr=$("$FRR_LIB/bgpd" --version 2>&1 | awk '/version/ {print $NF; exit}')" \
    "gobgp=$(gobgpd --version 2>&1 | awk '{print $NF; exit}')" \
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

# bench_fail DUT RUN REASON: the RESULT line of a run that produced no numbers.
bench_fail() {
  bench_result "$1" "$2" ok=0 "reason=$3"
  lab_log "$BENCH_WL $1 run $2 FAILED: $3"
}

# bench_skip DUT REASON...
bench_skip() {
  local dut=$1
  shift
  echo "SKIP $BENCH_WL $dut $(bench_word "$*")"
  lab_log "skip $dut: $*"
}

# bench_busy_pct SECONDS: CPU busy over all cores during about SECONDS, in % of one core (the
# share of busy ticks times the CPU count, so a late wake-up does not inflate it).
bench_busy_pct() {
  local a b busy=0 total=0 i
  read -r -a a < /proc/stat
  sleep "$1"
  read -r -a b < /proc/stat
  for i in 1 2 3 6 7 8; do busy=$((busy + b[i] - a[i])); done
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  [ "$total" -gt 0 ] || total=1
  echo $((busy * 100 * $(nproc) / total))
}

# bench_wait_quiet: wait (up to BENCH_QUIET_WAIT s: 60, 0 in smoke runs) for a second with under
# 10% of a core busy. A machine that stays busy is measured anyway: BENCH_BUSY=1 and
# BENCH_BUSY_PCT (the last second's %; NA when not measured) say by how much.
bench_wait_quiet() {
  local limit=${BENCH_QUIET_WAIT:-60} t=$SECONDS
  [ "$BENCH_IS_SMOKE" = 1 ] && limit=${BENCH_QUIET_WAIT:-0}
  BENCH_BUSY=0
  BENCH_BUSY_PCT=NA
  [ "$limit" = 0 ] && return 0
  while :; do
    BENCH_BUSY_PCT=$(bench_busy_pct 1)
    if [ "$BENCH_BUSY_PCT" -lt 10 ]; then
      lab_log "machine quiet (${BENCH_BUSY_PCT}% of a core busy)"
      return 0
    fi
    if [ $((SECONDS - t)) -ge "$limit" ]; then
      lab_log "machine still busy after ${limit}s (${BENCH_BUSY_PCT}% of a core): measuring anyway"
      BENCH_BUSY=1
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

# bench_stop_wait SECONDS PID...: TERM all, wait up to SECONDS for them, KILL the rest; and
# forget them for the final cleanup. bench_stop PID...: the same with 5 s.
bench_stop_wait() {
  local secs=$1 p i alive keep=()
  shift
  local -A gone=()
  for p in "$@"; do
    kill -TERM "$p" 2> /dev/null || true
    gone[$p]=1
  done
  for ((i = 0; i < secs * 10; i++)); do
    alive=0
    for p in "$@"; do kill -0 "$p" 2> /dev/null && { alive=1; break; }; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "$@"; do kill -KILL "$p" 2> /dev/null || true; done
  for p in "$@"; do wait "$p" 2> /dev/null || true; done
  for p in "${LAB_PIDS[@]}"; do [ -n "${gone[$p]:-}" ] || keep+=("$p"); done
  LAB_PIDS=("${keep[@]}")
}
bench_stop() { bench_stop_wait 5 "$@"; }

# bench_drop_ns NS: removes a namespace of one run (its processes must be gone), its routes
# flushed first so the teardown leaves no kernel work behind to disturb the next run.
bench_drop_ns() {
  ip -n "$1" route flush table main proto 12 2> /dev/null || true
  ip -n "$1" route flush table main proto 186 2> /dev/null || true
  ip netns del "$1" 2> /dev/null || true
}

# ---------------------------------------------------------------- the DUT from /proc

# bench_cpu_ticks PID...: utime+stime of the processes (threads included, live and exited), in
# clock ticks.
bench_cpu_ticks() {
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

# bench_threads PID...: "RUN_NS CTXSW" over every live thread of the processes: time on a CPU
# in ns (/proc/PID/task/*/schedstat, finer than ticks) and voluntary + involuntary context
# switches.
bench_threads() {
  local run=0 ctx=0 p t v
  for p in "$@"; do
    for t in /proc/"$p"/task/*; do
      read -r v _ < "$t/schedstat" 2> /dev/null || continue
      run=$((run + v))
      v=$(awk '/ctxt_switches/ { s += $2 } END { print s + 0 }' "$t/status" 2> /dev/null) || continue
      ctx=$((ctx + v))
    done
  done
  echo "$run $ctx"
}

# bench_kib FIELD PID...: sum of a /proc/PID/status field (VmHWM, VmRSS) in KiB.
bench_kib() {
  local field=$1 sum=0 p v
  shift
  for p in "$@"; do
    v=$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$p/status" 2> /dev/null)
    sum=$((sum + ${v:-0}))
  done
  echo $sum
}

# bench_div A B SCALE: A / B with SCALE decimals (NA if B is 0).
bench_div() { awk -v a="$1" -v b="$2" -v s="$3" 'BEGIN { if (b == 0) print "NA"; else printf "%.*f", s, a / b }'; }

# ---------------------------------------------------------------- BIRD (DUT, feeders, sinks)

# bench_bird NAME NS CONF [PREFIX...]: a foreground BIRD with control socket $LAB_DIR/NAME.ctl,
# started through PREFIX (e.g. taskset); PID in BENCH_BIRD_PID. Returns 1 if it never answers.
bench_bird() {
  local name=$1 ns=$2 conf=$3
  shift 3
  lab_spawn "$name" "$ns" "$@" bird -f -c "$conf" -s "$LAB_DIR/$name.ctl"
  BENCH_BIRD_PID=$LAB_LAST_PID
  bench_wait "${BENCH_BIRD_WAIT:-120}" birdc -s "$LAB_DIR/$name.ctl" show status
}

# ---------------------------------------------------------------- the DUT
# A workload defines dut_conf_tern, dut_conf_bird, dut_conf_frr, dut_conf_gobgp: each prints the
# DUT's configuration (Calico v3 manifests for ternd; bgpd's config for FRR) given FIB (on/off).
# bench_dut_conf writes it (outside any clock), bench_dut_start starts the DUT from it.

# bench_frr_head AS ROUTER_ID: the first lines of a bgpd config.
bench_frr_head() { printf 'frr defaults traditional\nhostname dut\nrouter bgp %s\n bgp router-id %s\n' "$1" "$2"; }

# bench_gobgp_global AS ROUTER_ID [LOCAL_ADDR]: gobgpd's [global.config].
bench_gobgp_global() {
  printf '[global.config]\n  as = %s\n  router-id = "%s"\n' "$1" "$2"
  [ -z "${3:-}" ] || printf '  local-address-list = ["%s"]\n' "$3"
}

# bench_gobgp_neighbor ADDR AS [retry=S] [mai=S] [local=ADDR] [passive=true] [rr=CLUSTER_ID]
# [afi]: one [[neighbors]] of gobgpd's config (afi: ipv4-unicast named explicitly).
bench_gobgp_neighbor() {
  local -A o=()
  local kv
  for kv in "${@:3}"; do o[${kv%%=*}]=${kv#*=}; done
  printf '[[neighbors]]\n  [neighbors.config]\n    neighbor-address = "%s"\n    peer-as = %s\n' "$1" "$2"
  if [ -n "${o[retry]:-}${o[mai]:-}" ]; then
    echo "  [neighbors.timers.config]"
    [ -z "${o[retry]:-}" ] || echo "    connect-retry = ${o[retry]}"
    [ -z "${o[mai]:-}" ] || echo "    minimum-advertisement-interval = ${o[mai]}"
  fi
  if [ -n "${o[local]:-}${o[passive]:-}" ]; then
    echo "  [neighbors.transport.config]"
    [ -z "${o[local]:-}" ] || echo "    local-address = \"${o[local]}\""
    [ -z "${o[passive]:-}" ] || echo "    passive-mode = ${o[passive]}"
  fi
  if [ -n "${o[rr]:-}" ]; then
    printf '  [neighbors.route-reflector.config]\n    route-reflector-client = true\n'
    printf '    route-reflector-cluster-id = "%s"\n' "${o[rr]}"
  fi
  [ -z "${o[afi]+x}" ] ||
    printf '  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "ipv4-unicast"\n'
  return 0
}

# bench_dut_conf DUT NAME FIB: $LAB_DIR/NAME.{yaml,conf,toml} or the FRR directory
# $LAB_DIR/NAME.frr (zebra.conf, bgpd.conf, vtysh.conf; owned by frr).
bench_dut_conf() {
  local dut=$1 f=$LAB_DIR/$2 fib=$3
  case $dut in
    tern)
      dut_conf_tern "$fib" > "$f.yaml"
      rm -f "$f.pb"
      ;;
    bird) dut_conf_bird "$fib" > "$f.conf" ;;
    frr)
      mkdir -p "$f.frr"
      echo "hostname dut" > "$f.frr/zebra.conf"
      dut_conf_frr "$fib" > "$f.frr/bgpd.conf"
      : > "$f.frr/vtysh.conf"
      chown -R frr:frr "$f.frr"
      ;;
    gobgp) dut_conf_gobgp "$fib" > "$f.toml" ;;
  esac
}

# bench_zebra NAME NS: FRR's zebra (kernel writes; Debian's netlink buffer -s 90000000) from
# NAME's FRR directory, pinned; ZEBRA_PID. Returns 1 if its socket never appears.
bench_zebra() {
  local d=$LAB_DIR/$1.frr ns=$2
  [ -d "/var/run/frr/$ns" ] || LAB_RMDIRS+=("/var/run/frr/$ns")
  lab_spawn "$1-zebra" "$ns" "${DUT_TS[@]}" "$FRR_LIB/zebra" -N "$ns" --vty_socket "$d" \
    -u frr -g frr -s 90000000 -i "$d/zebra.pid" -f "$d/zebra.conf" \
    --log "file:$d/zebra.log" --log-level warnings
  ZEBRA_PID=$LAB_LAST_PID
  bench_wait 15 test -S "/var/run/frr/$ns/zserv.api"
}

# bench_dut_start DUT NAME NS FIB [TERND_ARGS...]: the DUT pinned to its CPU, from NAME's
# configuration; DUT_PIDS (every process of it). Does not wait for it (bench_dut_ready does),
# except for FRR with FIB=on, whose zebra comes first unless ZEBRA_PID says it is up already.
# ternd runs as node ${TERN_NODE:-dut}, --no-fib with FIB=off, without REST or gRPC socket;
# TERND_ARGS (split on blanks) adds options, for trying one out against the same workload.
bench_dut_start() {
  local dut=$1 name=$2 ns=$3 fib=$4 f=$LAB_DIR/$2
  shift 4
  DUT_PIDS=()
  case $dut in
    tern)
      local nofib=() extra=()
      [ "$fib" = off ] && nofib=(--no-fib)
      read -r -a extra <<< "${TERND_ARGS:-}"
      lab_spawn "$name" "$ns" "${DUT_TS[@]}" "$TERND" --node-name "${TERN_NODE:-dut}" \
        --intent "$f.yaml" --store "$f.pb" --api-socket none --rest-listen none \
        --log-level warn "${nofib[@]}" "${extra[@]}" "$@"
      ;;
    bird) lab_spawn "$name" "$ns" "${DUT_TS[@]}" bird -f -c "$f.conf" -s "$f.ctl" ;;
    frr)
      local nozebra=(-Z)
      if [ "$fib" = on ]; then
        nozebra=()
        if [ -z "${ZEBRA_PID:-}" ]; then
          bench_zebra "$name" "$ns" || { DUT_PIDS=("$ZEBRA_PID"); return 1; }
        fi
        DUT_PIDS=("$ZEBRA_PID")
      fi
      [ -d "/var/run/frr/$ns" ] || LAB_RMDIRS+=("/var/run/frr/$ns")
      lab_spawn "$name" "$ns" "${DUT_TS[@]}" "$FRR_LIB/bgpd" "${nozebra[@]}" -N "$ns" \
        --vty_socket "$f.frr" -u frr -g frr -i "$f.frr/bgpd.pid" -f "$f.frr/bgpd.conf" \
        --log "file:$f.frr/bgpd.log" --log-level warnings
      ;;
    gobgp)
      lab_spawn "$name" "$ns" env GOMAXPROCS=1 "${DUT_TS[@]}" gobgpd -f "$f.toml" \
        --api-hosts "unix://$f.sock" --log-level warn --pprof-disable
      ;;
  esac
  DUT_PIDS+=("$LAB_LAST_PID")
}

# bench_dut_ready DUT NAME SECONDS: waits until the DUT answers on its control socket (ternd
# has none: it is ready once running). Returns 1 on timeout.
bench_dut_ready() {
  local f=$LAB_DIR/$2
  case $1 in
    tern) bench_wait "$3" kill -0 "${DUT_PIDS[0]}" ;;
    bird) bench_wait "$3" birdc -s "$f.ctl" show status ;;
    frr) bench_wait "$3" vtysh --config_dir "$f.frr" --vty_socket "$f.frr" -d bgpd -c "show bgp summary" ;;
    gobgp) bench_wait "$3" gobgp --target "unix://$f.sock" global ;;
  esac
}

# ---------------------------------------------------------------- many peers (rr, mesh, idle)

# bench_peers_up DIR NS N CONF_FN: N BIRDs on the harness CPUs that play the DUT's peers (BIRD
# 2.0.12 holds one session per neighbour address in a process, so a BIRD plays several peers of
# one DUT only when each talks to another address of the DUT); CONF_FN I prints BIRD I's
# config (I = 0..N-1), whose BGP protocols are named "peer*". Files DIR/<i>.{conf,ctl,pid,err};
# PIDs in PEER_PIDS.
bench_peers_up() {
  local dir=$1 ns=$2 n=$3 fn=$4 i
  rm -rf "$dir"
  mkdir -p "$dir"
  PEER_PIDS=()
  for ((i = 0; i < n; i++)); do
    "$fn" "$i" > "$dir/$i.conf"
    ip netns exec "$ns" "${OTHER_TS[@]}" bird -f -c "$dir/$i.conf" -s "$dir/$i.ctl" \
      > /dev/null 2> "$dir/$i.err" &
    lab_track_pid $!
    echo $! > "$dir/$i.pid"
    PEER_PIDS+=($!)
  done
}

# bench_peers_state DIR N: how many of the N BIRDs' "peer*" protocols are in each state.
bench_peers_state() {
  local i
  for ((i = 0; i < $2; i++)); do
    birdc -s "$1/$i.ctl" show protocols '"peer*"' | awk '$1 ~ /^peer/ {print $6}'
  done | sort | uniq -c | tr '\n' ' '
}

# bench_clocked_run MODE PEER_DIR N OUT START_FN [POLLER_ARGS...]: starts the poller
# (bench/lib/manypeers_poll.py, which connects to every peer's BIRD), then takes t0, calls
# START_FN (spawns the DUT, sets DUT_PIDS) and lets the poller enable the peers and time them.
# The poller's key=values end up in OUT. The DUT's cpu_s is read 1 s after the end (0.2 s in
# smoke runs).
bench_clocked_run() {
  local mode=$1 dir=$2 n=$3 out=$4 start=$5 poller t0 i settle=1
  shift 5
  [ "$BENCH_IS_SMOKE" = 1 ] && settle=0.2
  rm -f "$dir/ready" "$LAB_DIR/go" "$LAB_DIR/dut.pids"
  "${OTHER_TS[@]}" $BENCH_PY "$BENCH_LIB/manypeers_poll.py" "$mode" "$dir" "$n" \
    "$LAB_DIR/dut.pids" "$LAB_DIR/go" --settle "$settle" "$@" > "$out" 2> "$out.err" &
  poller=$!
  lab_track_pid $poller
  for ((i = 0; i < 1200; i++)); do
    [ -e "$dir/ready" ] && break
    kill -0 $poller 2> /dev/null || break
    sleep 0.1
  done
  [ -e "$dir/ready" ] || lab_log "poller not ready: $(tail -2 "$out.err")"
  t0=$(date +%s.%N)
  DUT_PIDS=()
  "$start"
  (IFS=,; echo "${DUT_PIDS[*]}") > "$LAB_DIR/dut.pids"
  echo "$t0" > "$LAB_DIR/go.tmp"
  mv "$LAB_DIR/go.tmp" "$LAB_DIR/go"
  wait $poller || true
  bench_stop $poller
  [ -s "$out.err" ] && lab_log "poller: $(tail -3 "$out.err")"
  return 0
}

# bench_poll_result DUT RUN OUTFILE [EXTRA...]: the poller's key=values as one RESULT line; a
# run without its numbers is a failure (ok=0 reason=...). A machine that stayed busy adds
# busy_pct.
bench_poll_result() {
  local dut=$1 run=$2 file=$3 kv
  shift 3
  kv=$(grep -E '^[a-z_0-9]+=[^ ]+$' "$file" | tr '\n' ' ')
  case " $kv " in *" ok="*) ;; *) kv="ok=0 reason=poller_failed" ;; esac
  [ "$BENCH_BUSY" = 0 ] || kv+=" busy_pct=$BENCH_BUSY_PCT"
  bench_result "$dut" "$run" "${kv% }" "$@"
}

# bench_block_of BASE I: the I-th /26 of BASE "10.X" (10.X.0.0/26, 10.X.0.64/26, ...).
bench_block_of() { echo "$1.$(($2 / 4)).$((($2 % 4) * 64))/26"; }
