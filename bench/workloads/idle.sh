#!/usr/bin/env bash
# Workload "idle" (issue 9): what a node pays for N established sessions and nothing happening.
#
#   N BIRD peers (iBGP on N addresses, AS 64512, each sending one /26) ---> DUT
#
# Every session runs at the DUT's default timers (and BIRD's on the peers' side; the hold time
# is negotiated down to the smaller). Once all N sessions are Established and, for the DUTs
# that write the kernel, all N /26 routes are in the DUT namespace's kernel, the script settles
# 2 s, then measures over the idle window: the DUT's CPU time (sum over every thread from
# /proc/PID/task/*/schedstat, ns) as % of one core, context switches per second, and at the
# end peak RSS (VmHWM summed over the DUT's processes) and the current RSS. The sessions must
# still be up at the end (no flaps), as seen from the peers.
#
# RESULT idle DUT RUN rss_mib cpu_pct, plus rss_now_mib, cpu_s, ctxsw_per_s, peers, window_s.
#
# DUTs: tern (ternd, a Calico node with N mesh peers: nodeToNodeMesh on, every peer a Node with
# a block, kernel writes on), BIRD (Calico's shape: kernel protocol and device scan time 2),
# FRR (bgpd + zebra), GoBGP (no FIB). The DUT is passive (Calico's rule: the lower address
# listens); the peers connect.
#
# One run is 5 minutes per DUT, so BENCH_RUNS defaults to 1 here (the contract's default of 3
# would take an hour for the four DUTs); DUTs still alternate within each round.
#
# Environment (bench/workloads contract): BUILD, BENCH_DUTS, BENCH_RUNS (1), BENCH_SMOKE=1
# (20 sessions, 15 s), BENCH_SIZE (sessions, 100; at most 250); IDLE_SECONDS (300), BENCH_PIN,
# BENCH_BIRD_SCAN (2), LAB_KEEP=1 keeps the files.
# Addresses: 10.84.0.0/16 (DUT 10.84.0.1, peers 10.84.1.1.., blocks 10.84.128.0/17), only
# inside the namespaces this script creates.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
DUTS=${BENCH_DUTS:-tern bird frr gobgp}
RUNS=${BENCH_RUNS:-1}
N=${BENCH_SIZE:-100}
WINDOW=${IDLE_SECONDS:-300}
if [ -n "${BENCH_SMOKE:-}" ]; then
  N=${BENCH_SIZE:-20}
  WINDOW=${IDLE_SECONDS:-15}
fi
B3_TERND=$BUILD/daemon/ternd

# shellcheck source=interop/lib/lab.sh disable=SC1091
source "$ROOT/interop/lib/lab.sh"
# shellcheck source=bench/lib/bench3.sh disable=SC1091
source "$ROOT/bench/lib/bench3.sh"

[ "$N" -ge 1 ] && [ "$N" -le 250 ] || { echo "idle: BENCH_SIZE must be 1..250 (got $N)" >&2; exit 2; }

lab_init idle
b3_pin
if [ -x "$B3_TERND" ]; then
  cp "$B3_TERND" "$LAB_DIR/ternd"
  B3_TERND_ORIG=$B3_TERND
  B3_TERND=$LAB_DIR/ternd
fi

AS=64512
DUT=10.84.0.1
POOL=10.84.128.0/17
peer_addr() { echo "10.84.1.$1"; }
# peer_block I: the /26 of peer I (1-based) inside the pool.
peer_block() {
  local o=$((($1 - 1) * 64))
  echo "10.84.$((128 + o / 256)).$((o % 256))/26"
}

intent() {
  local i
  cat << YAML
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  asNumber: $AS
  nodeToNodeMeshEnabled: true
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: idle
spec:
  cidr: $POOL
  ipipMode: Never
  vxlanMode: Never
  blockSize: 26
YAML
  calico_node dut $DUT/16
  for i in $(seq "$N"); do
    calico_node "p$i" "$(peer_addr "$i")/16"
    calico_block "p$i-block" "p$i" "$(peer_block "$i")" confirmed
  done
}

# peer_bird_conf I: one peer. BIRD 2.0.12 locks a BGP protocol on its neighbor address (not the
# local one), so one BIRD process cannot hold N sessions to the same DUT address: every peer is
# its own small BIRD process (all in the peers' namespace, on the harness CPU, each listening
# only on its own address: strict bind).
peer_bird_conf() {
  cat << EOF
router id $(peer_addr "$1");
protocol device { scan time 60; }
protocol static blk { ipv4; route $(peer_block "$1") blackhole; }
protocol bgp p {
  local $(peer_addr "$1") as $AS; neighbor $DUT as $AS; strict bind on;
  connect delay time 1; connect retry time 1;
  ipv4 { import none; export all; next hop self; };
}
EOF
}

bird_conf() {
  local i
  cat << EOF
router id $DUT;
protocol device { scan time $B3_BIRD_SCAN; }
protocol kernel { ipv4 { import none; export all; }; scan time $B3_BIRD_SCAN; }
template bgp mesh {
  local $DUT as $AS; passive on; direct;
  ipv4 { gateway direct; import all; export none; };
}
EOF
  for i in $(seq "$N"); do echo "protocol bgp p$i from mesh { neighbor $(peer_addr "$i") as $AS; }"; done
}

frr_conf() {
  local i
  cat << EOF
frr defaults traditional
hostname dut
router bgp $AS
 bgp router-id $DUT
 no bgp ebgp-requires-policy
 neighbor mesh peer-group
 neighbor mesh remote-as $AS
 neighbor mesh passive
EOF
  for i in $(seq "$N"); do echo " neighbor $(peer_addr "$i") peer-group mesh"; done
  cat << EOF
 address-family ipv4 unicast
  neighbor mesh activate
 exit-address-family
EOF
}

gobgp_conf() {
  local i
  cat << EOF
[global.config]
  as = $AS
  router-id = "$DUT"
EOF
  for i in $(seq "$N"); do
    cat << EOF
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$(peer_addr "$i")"
    peer-as = $AS
  [neighbors.transport.config]
    passive-mode = true
EOF
  done
}

FAILED=0
fail_run() {
  echo "RESULT idle $1 $2 ok=0 reason=$3"
  lab_log "idle $1 run $2 FAILED: $3"
  FAILED=1
}
wait_until() {
  local end=$((SECONDS + $1))
  shift
  while [ $SECONDS -lt $end ]; do
    "$@" > /dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}
# established_count DIR: how many of the peers' sessions are Established.
established_count() {
  local i c=0
  for i in $(seq "$N"); do
    birdc -s "$1/p$i.ctl" show protocols p 2> /dev/null | grep -q ' Established' && c=$((c + 1))
  done
  echo $c
}
all_established() { [ "$(established_count "$1")" = "$N" ]; }
kernel_count() { ip -n "$1" -4 route show root $POOL | grep -vc blackhole || true; }
kernel_complete() { [ "$(kernel_count "$1")" = "$N" ]; }

# run_one DUT RUN
run_one() {
  local dut=$1 run=$2 d="$LAB_DIR/$1-$2" ns_d ns_p i
  mkdir -p "$d"
  chmod 755 "$d"
  b3_wait_quiet
  lab_log "---- idle: run $run, DUT $dut, $N sessions (load $(cut -d' ' -f1 /proc/loadavg))"
  lab_ns "d$run$dut" ns_d
  lab_ns "p$run$dut" ns_p
  lab_link "$ns_d" $DUT/16 "$ns_p" "$(peer_addr 1)/16"
  local ifp
  ifp=$(ip -n "$ns_p" -o -4 addr show to "$(peer_addr 1)/32" | awk '{ print $2 }')
  for i in $(seq 2 "$N"); do echo "addr add $(peer_addr "$i")/16 dev $ifp"; done | ip -n "$ns_p" -batch -

  local fib=1
  [ "$dut" = gobgp ] && fib=0
  case $dut in
    tern)
      intent > "$d/intent.yaml"
      b3_start_ternd "$ns_d" "$d" "$d/intent.yaml"
      ;;
    bird) b3_start_bird "$ns_d" "$d" "$(bird_conf)" ;;
    frr) b3_start_frr "$ns_d" "$d" "$(frr_conf)" ;;
    gobgp) b3_start_gobgp "$ns_d" "$d" "$(gobgp_conf)" ;;
  esac

  local peer_pids=()
  for i in $(seq "$N"); do
    peer_bird_conf "$i" > "$d/p$i.conf"
    lab_spawn "$dut-$run-p$i" "$ns_p" "${OTHER_TS[@]}" bird -f -c "$d/p$i.conf" -s "$d/p$i.ctl"
    peer_pids+=("$LAB_LAST_PID")
  done

  local reason="" t_up=$SECONDS
  wait_until $((60 + N / 2)) all_established "$d" ||
    reason=established_$(established_count "$d")_of_$N
  if [ -z "$reason" ] && [ $fib = 1 ]; then
    wait_until 30 kernel_complete "$ns_d" || reason=kernel_routes_$(kernel_count "$ns_d")_of_$N
  fi
  local cpu_ns=0 ctx=0 hwm=0 rss=0
  if [ -z "$reason" ]; then
    lab_log "$dut: $N sessions Established$([ $fib = 1 ] && echo ", $N routes in the kernel")" \
      "$((SECONDS - t_up)) s after the peers started; idle window ${WINDOW} s"
    sleep 2
    local r0 r1 x0 x1 t0 t1 p
    r0=$(b3_run_ns "${DUT_PIDS[@]}")
    x0=$(b3_ctxsw "${DUT_PIDS[@]}")
    t0=$(date +%s%N)
    sleep "$WINDOW"
    r1=$(b3_run_ns "${DUT_PIDS[@]}")
    x1=$(b3_ctxsw "${DUT_PIDS[@]}")
    t1=$(date +%s%N)
    hwm=$(b3_kib VmHWM "${DUT_PIDS[@]}")
    rss=$(b3_kib VmRSS "${DUT_PIDS[@]}")
    cpu_ns=$((r1 - r0))
    ctx=$(b3_div $((x1 - x0)) "$(((t1 - t0) / 1000000))" 4)
    ctx=$(awk -v c="$ctx" 'BEGIN { printf "%.2f", c * 1000 }')
    for p in "${DUT_PIDS[@]}"; do kill -0 "$p" 2> /dev/null || reason=dut_exited; done
    [ -n "$reason" ] || all_established "$d" ||
      reason=sessions_dropped_$(established_count "$d")_of_$N
  fi
  local p
  for p in "${DUT_PIDS[@]}"; do b3_stop "$p"; done
  for p in "${peer_pids[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
  for p in "${peer_pids[@]}"; do b3_stop "$p"; done
  b3_drop_ns "$ns_d"
  b3_drop_ns "$ns_p"
  if [ -n "$reason" ]; then
    fail_run "$dut" "$run" "$reason"
    return 0
  fi
  local pct
  pct=$(awk -v c="$cpu_ns" -v w="$((t1 - t0))" 'BEGIN { printf "%.3f", 100 * c / w }')
  echo "RESULT idle $dut $run rss_mib=$(b3_div "$hwm" 1024 1) cpu_pct=$pct" \
    "rss_now_mib=$(b3_div "$rss" 1024 1) cpu_s=$(b3_div "$cpu_ns" 1000000000 3)" \
    "ctxsw_per_s=$ctx peers=$N window_s=$WINDOW foreign_pct=$B3_FOREIGN_PCT ok=1"
}

# shellcheck source=interop/lib/calico.sh disable=SC1091
source "$ROOT/interop/lib/calico.sh"
USABLE=()
for dut in $DUTS; do
  if b3_dut_usable "$dut" idle; then USABLE+=("$dut"); fi
done
B3_TERND=${B3_TERND_ORIG:-$B3_TERND} b3_machine_line
lab_log "idle: $N sessions for $WINDOW s, runs $RUNS, DUTs ${USABLE[*]}," \
  "DUT on ${DUT_TS[*]:-any CPU}; BIRD scan time $B3_BIRD_SCAN; files in $LAB_DIR"
for run in $(seq "$RUNS"); do
  for dut in "${USABLE[@]}"; do run_one "$dut" "$run"; done
done
exit $FAILED
