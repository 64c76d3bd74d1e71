# Shared pieces of the many-peer workloads (bench/workloads/rr.sh, mesh.sh): the workload
# contract (environment, RESULT/SKIP/MACHINE lines on stdout, logs on stderr), CPU pinning,
# the quiet-machine wait, the DUT start helpers and the one BIRD that plays every peer.
# Source after interop/lib/lab.sh and peers.sh; set WORKLOAD first.

BUILD=${BUILD:-$ROOT/build}
DUTS=${BENCH_DUTS:-tern bird frr gobgp}
RUNS=${BENCH_RUNS:-3}
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
POLL=$ROOT/bench/lib/manypeers_poll.py
TERND=${TERND:-$BUILD/daemon/ternd}
FAILED=0

# The DUT on the last CPU, everything else (peers' BIRD, poller) on the others.
CPUS=$(nproc)
if [ "$CPUS" -ge 2 ]; then
  DUT_CPU=$((CPUS - 1))
  DUT_TS=(taskset -c "$DUT_CPU")
  OTHER_TS=(taskset -c "0-$((CPUS - 2))")
else
  DUT_TS=()
  OTHER_TS=()
fi

result() { echo "RESULT $WORKLOAD $*"; }
skip() { echo "SKIP $WORKLOAD $*"; }

dut_version() {
  case $1 in
    tern) echo "ternd_$(stat -c %y "$TERND" 2> /dev/null | cut -d. -f1 | tr ' ' _)" ;;
    bird) bird --version 2>&1 | awk '{print "bird_" $NF; exit}' ;;
    frr) /usr/lib/frr/bgpd --version 2>&1 | awk '{print "frr_" $NF; exit}' ;;
    gobgp) gobgpd --version 2>&1 | awk '{print "gobgp_" $NF; exit}' ;;
  esac
}

machine_line() {
  local model v d
  model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo | tr -s ' ' _)
  v=""
  for d in $DUTS; do v+=" $d=$(dut_version "$d" | sed 's/^[a-z]*_//')"; done
  echo "MACHINE workload=$WORKLOAD cpus=$CPUS cpu=${model:-unknown} kernel=$(uname -r)" \
    "mem_mib=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024))" \
    "load1=$(cut -d' ' -f1 /proc/loadavg) dut_cpu=${DUT_CPU:-none}$v"
}

# busy_pct: CPU busy over all cores during one second, in % of one core.
busy_pct() {
  local a b busy=0 i
  read -r -a a < /proc/stat
  sleep 1
  read -r -a b < /proc/stat
  for i in 1 2 3 6 7 8; do busy=$((busy + b[i] - a[i])); done
  echo $((busy * 100 / $(getconf CLK_TCK)))
}

# wait_quiet: refuse to measure on a busy machine: wait up to BENCH_QUIET_WAIT s (60; 0 in
# smoke runs) for a second with under 10% of a core busy, then measure anyway and say so.
wait_quiet() {
  local limit=${BENCH_QUIET_WAIT:-60} t=$SECONDS pct
  [ -n "${BENCH_SMOKE:-}" ] && limit=${BENCH_QUIET_WAIT:-0}
  [ "$limit" = 0 ] && return 0
  while :; do
    pct=$(busy_pct)
    [ "$pct" -lt 10 ] && return 0
    if [ $((SECONDS - t)) -ge "$limit" ]; then
      lab_log "machine still busy after ${limit}s (${pct}% of a core): measuring anyway"
      BUSY_NOTE=" busy_pct=$pct"
      return 0
    fi
  done
}

# stop_pids PID...: TERM all, wait up to 5 s, KILL the rest; and forget them for the cleanup.
stop_pids() {
  local p i alive keep=()
  local -A gone=()
  for p in "$@"; do
    kill -TERM "$p" 2> /dev/null || true
    gone[$p]=1
  done
  for i in $(seq 50); do
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

# peers_up DIR NS N CONF_FN: N BIRDs on the harness CPU, one per simulated peer (BIRD 2.0.12
# holds one session per neighbour address, so one BIRD cannot be several peers of one DUT);
# CONF_FN I prints peer I's config. Files DIR/<i>.{conf,ctl,pid,err}; PIDs in PEER_PIDS.
peers_up() {
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

# clocked_run MODE PEER_DIR N OUT START_FN [POLLER_ARGS...]: starts the poller (which
# connects to every peer's BIRD), then takes t0, calls START_FN (spawns the DUT, sets
# DUT_PIDS, comma-separated) and lets the poller enable the peers and time them. The
# poller's key=values end up in OUT.
clocked_run() {
  local mode=$1 dir=$2 n=$3 out=$4 start=$5 poller t0 i
  shift 5
  rm -f "$dir/ready" "$LAB_DIR/go" "$LAB_DIR/dut.pids"
  "${OTHER_TS[@]}" $PY "$POLL" "$mode" "$dir" "$n" "$LAB_DIR/dut.pids" "$LAB_DIR/go" "$@" \
    > "$out" 2> "$out.err" &
  poller=$!
  lab_track_pid $poller
  for ((i = 0; i < 1200; i++)); do
    [ -e "$dir/ready" ] && break
    kill -0 $poller 2> /dev/null || break
    sleep 0.1
  done
  [ -e "$dir/ready" ] || lab_log "poller not ready: $(tail -2 "$out.err")"
  t0=$(date +%s.%N)
  DUT_PIDS=""
  "$start"
  echo "$DUT_PIDS" > "$LAB_DIR/dut.pids"
  echo "$t0" > "$LAB_DIR/go.tmp"
  mv "$LAB_DIR/go.tmp" "$LAB_DIR/go"
  wait $poller || true
  stop_pids $poller
  [ -s "$out.err" ] && lab_log "poller: $(tail -3 "$out.err")"
  return 0
}

# frr_dir TAG NS: a fresh FRR config directory; sets FRR_D and FRR_COMMON (the path space of
# NS shared by zebra and bgpd, so bgpd finds zebra's socket).
frr_dir() {
  FRR_D=$LAB_DIR/frr-$1
  mkdir -p "$FRR_D"
  : > "$FRR_D/vtysh.conf"
  [ -d "/var/run/frr/$2" ] || LAB_RMDIRS+=("/var/run/frr/$2")
  FRR_COMMON=(-N "$2" --vty_socket "$FRR_D" -u frr -g frr)
}

# poll_result DUT RUN OUTFILE [EXTRA...]: the poller's key=values as one RESULT line; a run
# without its numbers is a failure (ok=0 reason=...), remembered for the exit status.
poll_result() {
  local dut=$1 run=$2 file=$3
  shift 3
  local kv
  kv=$(grep -E '^[a-z_0-9]+=[^ ]+$' "$file" | tr '\n' ' ')
  case " $kv " in *" ok=1 "*) ;; *) FAILED=1 ;; esac
  [ -n "$kv" ] || {
    kv="ok=0 reason=poller_failed"
    FAILED=1
  }
  result "$dut $run ${kv% } $*${BUSY_NOTE:-}"
}

# ip_of BASE I: the I-th (0-based) host address 10.X.a.b of BASE "10.X", 250 per /24 from .1.
ip_of() { echo "$1.$(($2 / 250)).$(($2 % 250 + 1))"; }
# block_of BASE I: the I-th /26 of BASE "10.X" (10.X.0.0/26, 10.X.0.64/26, ...).
block_of() { echo "$1.$(($2 / 4)).$((($2 % 4) * 64))/26"; }
