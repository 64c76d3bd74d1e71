#!/usr/bin/env bash
# Workload "idle" (issue 9): what a node pays for N established sessions and nothing happening.
#
#   N BIRD peers (iBGP on N addresses, AS 64512, each sending one /26) ---> DUT
#
# Every session runs at the DUT's default timers (and BIRD's on the peers' side; the hold time
# is negotiated down to the smaller). Once all N sessions are Established and, for the DUTs
# that write the kernel, all N /26 routes are in the DUT namespace's kernel, the script settles
# 2 s (0.5 s in smoke runs), then measures over the idle window: the DUT's CPU time (sum over every thread from
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
# The DUTs of a round share one idle window (run_round), so a round takes about 5 minutes plus
# set-up; BENCH_RUNS defaults to 1 here all the same (3 rounds would be a quarter hour).
#
# Environment (bench/workloads contract): BUILD, BENCH_DUTS, BENCH_RUNS (1), BENCH_SMOKE=1
# (10 sessions, 2 s), BENCH_SIZE (sessions, 100; at most 250); IDLE_SECONDS (300), BENCH_PIN,
# BENCH_BIRD_SCAN (2), LAB_KEEP=1 keeps the files.
# Addresses: 10.84.0.0/16 (DUT 10.84.0.1, peers 10.84.1.1.., blocks 10.84.128.0/17), only
# inside the namespaces this script creates.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# shellcheck source=bench/lib/bench.sh disable=SC1091
source "$ROOT/bench/lib/bench.sh"

bench_init idle 1
bench_size N 100 10 1 250
WINDOW=${IDLE_SECONDS:-300}
SETTLE=2
if [ "$BENCH_IS_SMOKE" = 1 ]; then
  WINDOW=${IDLE_SECONDS:-2}
  SETTLE=0.5
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

dut_conf_tern() {
  local i
  calico_bgpconfig $AS
  calico_pool idle $POOL Never Never 26
  calico_node dut $DUT/16
  for i in $(seq "$N"); do
    calico_node "p$i" "$(peer_addr "$i")/16"
    calico_block "p$i-block" "p$i" "$(peer_block "$i")" confirmed
  done
}

# peer_bird_conf I: one peer (0-based). BIRD 2.0.12 locks a BGP protocol on its neighbor address (not the
# local one), so one BIRD process cannot hold N sessions to the same DUT address: every peer is
# its own small BIRD process (all in the peers' namespace, on the harness CPU, each listening
# only on its own address: strict bind).
peer_bird_conf() {
  local i=$(($1 + 1))
  cat << EOF
router id $(peer_addr $i);
protocol device { scan time 60; }
protocol static blk { ipv4; route $(peer_block $i) blackhole; }
protocol bgp peer {
  local $(peer_addr $i) as $AS; neighbor $DUT as $AS; strict bind on;
  connect delay time 1; connect retry time 1;
  ipv4 { import none; export all; next hop self; };
}
EOF
}

dut_conf_bird() {
  local i
  cat << EOF
router id $DUT;
protocol device { scan time $BENCH_BIRD_SCAN; }
protocol kernel { ipv4 { import none; export all; }; scan time $BENCH_BIRD_SCAN; }
template bgp mesh {
  local $DUT as $AS; passive on; direct;
  ipv4 { gateway direct; import all; export none; };
}
EOF
  for i in $(seq "$N"); do echo "protocol bgp p$i from mesh { neighbor $(peer_addr "$i") as $AS; }"; done
}

dut_conf_frr() {
  local i
  bench_frr_head $AS $DUT
  cat << EOF
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

dut_conf_gobgp() {
  local i
  bench_gobgp_global $AS $DUT
  for i in $(seq "$N"); do bench_gobgp_neighbor "$(peer_addr "$i")" $AS passive=true; done
}

# established_count DIR: how many of the peers' sessions are Established.
established_count() {
  local i c=0
  for ((i = 0; i < N; i++)); do
    birdc -s "$1/$i.ctl" show protocols peer 2> /dev/null | grep -q ' Established' && c=$((c + 1))
  done
  echo $c
}
all_established() { [ "$(established_count "$1")" = "$N" ]; }
kernel_count() { ip -n "$1" -4 route show root $POOL | grep -vc blackhole || true; }
kernel_complete() { [ "$(kernel_count "$1")" = "$N" ]; }

# The DUTs of a round are idle side by side: each is set up in turn (its own namespaces, peers
# and files) and left running, then one common window measures them all, each from its own
# threads' counters. An idle daemon's CPU and memory are its own, so sharing the window changes
# nothing it is measured by, and a round costs one window instead of one per DUT.
declare -A UP_REASON UP_PIDS UP_PEERS UP_NS_D UP_NS_P UP_DIR UP_R0 UP_X0

# up_one DUT RUN: DUT and its N peers up, all sessions Established (and, with a FIB, all routes
# in the kernel); UP_* hold its state, UP_REASON[DUT] why it is not measurable (empty if it is).
up_one() {
  local dut=$1 run=$2 d="$LAB_DIR/$1-$2" ns_d ns_p name=dut-$1-$2
  lab_log "---- idle: run $run, DUT $dut, $N sessions (load $(cut -d' ' -f1 /proc/loadavg))"
  lab_ns "d$run$dut" ns_d
  lab_ns "p$run$dut" ns_p
  lab_link "$ns_d" $DUT/16 "$ns_p" "$(peer_addr 1)/16"
  local ifp i
  ifp=$(ip -n "$ns_p" -o -4 addr show to "$(peer_addr 1)/32" | awk '{ print $2 }')
  for i in $(seq 2 "$N"); do echo "addr add $(peer_addr "$i")/16 dev $ifp"; done | ip -n "$ns_p" -batch -

  local fib=1 reason=""
  [ "$dut" = gobgp ] && fib=0
  bench_dut_conf "$dut" "$name" on
  ZEBRA_PID=""
  PEER_PIDS=()
  # ternd with its API servers on, as on a node (in the DUT namespace).
  if ! bench_dut_start "$dut" "$name" "$ns_d" on --api-socket "$LAB_DIR/$name.sock" \
    --rest-listen 127.0.0.1:9179; then
    reason=dut_did_not_start
  elif ! bench_dut_ready "$dut" "$name" 20; then
    reason=dut_not_ready
  fi
  [ -n "$reason" ] || bench_peers_up "$d" "$ns_p" "$N" peer_bird_conf

  local t_up=$SECONDS
  [ -n "$reason" ] || bench_wait $((60 + N / 2)) all_established "$d" ||
    reason=established_$(established_count "$d")_of_$N
  if [ -z "$reason" ] && [ $fib = 1 ]; then
    bench_wait 30 kernel_complete "$ns_d" || reason=kernel_routes_$(kernel_count "$ns_d")_of_$N
  fi
  [ -n "$reason" ] || lab_log "$dut: $N sessions Established$([ $fib = 1 ] && echo ", $N routes in the kernel")" \
    "$((SECONDS - t_up)) s after the peers started"
  UP_REASON[$dut]=$reason
  UP_PIDS[$dut]="${DUT_PIDS[*]}"
  UP_PEERS[$dut]="${PEER_PIDS[*]:-}"
  UP_NS_D[$dut]=$ns_d
  UP_NS_P[$dut]=$ns_p
  UP_DIR[$dut]=$d
}

# down_one DUT RUN: checks DUT at the end of the window, stops it and its peers, drops its
# namespaces and prints its RESULT line. T0, T1: the window, ns.
down_one() {
  local dut=$1 run=$2 reason=${UP_REASON[$1]} cpu_ns=0 ctx=0 hwm=0 rss=0 p
  local -a pids peers
  read -r -a pids <<< "${UP_PIDS[$dut]}"
  read -r -a peers <<< "${UP_PEERS[$dut]}"
  if [ -z "$reason" ]; then
    local r1 x1
    read -r r1 x1 <<< "$(bench_threads "${pids[@]}")"
    hwm=$(bench_kib VmHWM "${pids[@]}")
    rss=$(bench_kib VmRSS "${pids[@]}")
    cpu_ns=$((r1 - UP_R0[$dut]))
    ctx=$(bench_div $((x1 - UP_X0[$dut])) "$(((T1 - T0) / 1000000))" 4)
    ctx=$(awk -v c="$ctx" 'BEGIN { printf "%.2f", c * 1000 }')
    for p in "${pids[@]}"; do kill -0 "$p" 2> /dev/null || reason=dut_exited; done
    [ -n "$reason" ] || all_established "${UP_DIR[$dut]}" ||
      reason=sessions_dropped_$(established_count "${UP_DIR[$dut]}")_of_$N
  fi
  [ ${#pids[@]} -eq 0 ] || bench_stop "${pids[@]}"
  [ ${#peers[@]} -eq 0 ] || bench_stop "${peers[@]}"
  bench_drop_ns "${UP_NS_D[$dut]}"
  bench_drop_ns "${UP_NS_P[$dut]}"
  if [ -n "$reason" ]; then
    bench_fail "$dut" "$run" "$reason"
    return 0
  fi
  local pct
  pct=$(awk -v c="$cpu_ns" -v w="$((T1 - T0))" 'BEGIN { printf "%.3f", 100 * c / w }')
  bench_result "$dut" "$run" "rss_mib=$(bench_div "$hwm" 1024 1) cpu_pct=$pct" \
    "rss_now_mib=$(bench_div "$rss" 1024 1) cpu_s=$(bench_div "$cpu_ns" 1000000000 3)" \
    "ctxsw_per_s=$ctx peers=$N window_s=$WINDOW foreign_pct=$BENCH_BUSY_PCT ok=1"
}

# run_round RUN: every DUT of the round up, one idle window over all of them, then down.
run_round() {
  local run=$1 dut duts=() pids=()
  bench_wait_quiet
  for dut in "${BENCH_USABLE[@]}"; do
    bench_in_round "$dut" "$run" || continue
    duts+=("$dut")
    up_one "$dut" "$run"
  done
  sleep $SETTLE
  for dut in "${duts[@]}"; do
    [ -z "${UP_REASON[$dut]}" ] || continue
    read -r -a pids <<< "${UP_PIDS[$dut]}"
    read -r UP_R0[$dut] UP_X0[$dut] <<< "$(bench_threads "${pids[@]}")"
  done
  T0=$(date +%s%N)
  lab_log "idle window of ${WINDOW} s over ${duts[*]}"
  sleep "$WINDOW"
  T1=$(date +%s%N)
  for dut in "${duts[@]}"; do down_one "$dut" "$run"; done
}

bench_machine "size=$N window_s=$WINDOW"
lab_log "idle: $N sessions for $WINDOW s, runs $BENCH_N_RUNS, DUTs ${BENCH_USABLE[*]} side by side," \
  "DUTs on ${DUT_TS[*]:-any CPU}; BIRD scan time $BENCH_BIRD_SCAN; files in $LAB_DIR"
for run in $(seq "$BENCH_N_RUNS"); do run_round "$run"; done
exit "$BENCH_FAILED"
