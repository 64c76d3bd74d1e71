#!/usr/bin/env bash
# Workload "churn" (issue 9): steady update churn through the DUT, latency per update.
#
#   feeder (raw Python speaker, AS 65001) --eBGP--> DUT (AS 65000) --eBGP--> sink (raw, AS 65002)
#                                                    | kernel writes on
#                                                    v
#                                          rtnetlink listener in the DUT namespace
#
# The feeder announces P prefixes (10.83.128.0 + i, /32), waits until the sink and the DUT's
# kernel hold all of them, then sends one UPDATE per tick at RATE/s for SECONDS: tick k toggles
# prefix k mod P (withdraw, then announce again a round later). Every announce carries a
# community naming its tick, so an arrival pairs with the exact update; withdraws pair in order.
# Latency = arrival time at the sink (BGP) or in the DUT's kernel (RTM_NEWROUTE/RTM_DELROUTE)
# minus the feeder's send time, all CLOCK_MONOTONIC on this host (bench/workloads/churn_peers.py).
#
# RESULT churn DUT RUN sink_p50_ms sink_p99_ms kernel_p50_ms kernel_p99_ms cpu_s (DUT utime+stime
# from the first tick to 2 s after the last), plus max latencies, counts (sent, matched, lost:
# updates whose effect never showed, as when a DUT coalesces) and the feeder's send lag (p99 of
# how late it sent against its schedule; a large one means the injector, not the DUT, limited).
# A run fails (ok=0, exit 1) if a session does not come up or drops, or if the sink or the kernel
# does not end with exactly the prefixes the feeder left announced.
# GoBGP writes no kernel routes: its kernel_* are NA.
#
# DUTs: tern (ternd with two BGPPeers and an IPPool over the churn prefixes, so it exports them,
# as Calico exports routes inside a pool), BIRD (kernel protocol export all, Calico's scan time
# 2), FRR (bgpd + zebra), GoBGP. DUTs alternate within each round; every run gets fresh
# namespaces, so one DUT's kernel routes never meet the next.
#
# Environment (bench/workloads contract): BUILD, BENCH_DUTS, BENCH_RUNS (3), BENCH_SMOKE=1
# (5 s), BENCH_SIZE (prefixes, 1000); CHURN_RATE (updates/s, 1000), CHURN_SECONDS (60),
# BENCH_PIN (1), BENCH_BIRD_SCAN (2), LAB_KEEP=1 keeps the files.
# Addresses: 10.83.0.0/16, only inside the namespaces this script creates.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
DUTS=${BENCH_DUTS:-tern bird frr gobgp}
RUNS=${BENCH_RUNS:-3}
P=${BENCH_SIZE:-1000}
RATE=${CHURN_RATE:-1000}
SECS=${CHURN_SECONDS:-60}
[ -n "${BENCH_SMOKE:-}" ] && SECS=${CHURN_SECONDS:-5}
B3_TERND=$BUILD/daemon/ternd
PEERS_PY=$ROOT/bench/workloads/churn_peers.py

# shellcheck source=interop/lib/lab.sh disable=SC1091
source "$ROOT/interop/lib/lab.sh"
# shellcheck source=bench/lib/bench3.sh disable=SC1091
source "$ROOT/bench/lib/bench3.sh"

lab_init churn
b3_pin
# A private copy, so a rebuild during the run cannot replace the binary under us.
if [ -x "$B3_TERND" ]; then
  cp "$B3_TERND" "$LAB_DIR/ternd"
  B3_TERND_ORIG=$B3_TERND
  B3_TERND=$LAB_DIR/ternd
fi

FEED=10.83.1.1 DUT_A=10.83.1.2 DUT_B=10.83.2.2 SINK=10.83.2.1
BASE=10.83.128.0
POOL=10.83.128.0/17
AS_DUT=65000 AS_FEED=65001 AS_SINK=65002

intent() {
  cat << YAML
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  asNumber: $AS_DUT
  nodeToNodeMeshEnabled: false
---
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: dut
spec:
  bgp:
    ipv4Address: $DUT_A/24
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: churn
spec:
  cidr: $POOL
  ipipMode: Never
  vxlanMode: Never
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: feeder
spec:
  peerIP: $FEED
  asNumber: $AS_FEED
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: sink
spec:
  peerIP: $SINK
  asNumber: $AS_SINK
YAML
}

bird_conf() {
  cat << EOF
router id $DUT_A;
protocol device { scan time $B3_BIRD_SCAN; }
protocol kernel { ipv4 { import none; export all; }; scan time $B3_BIRD_SCAN; }
protocol bgp feeder {
  local $DUT_A as $AS_DUT; neighbor $FEED as $AS_FEED; passive on;
  ipv4 { import all; export none; };
}
protocol bgp sink {
  local $DUT_B as $AS_DUT; neighbor $SINK as $AS_SINK;
  connect delay time 1; connect retry time 1;
  ipv4 { import none; export all; };
}
EOF
}

frr_conf() {
  cat << EOF
frr defaults traditional
hostname dut
router bgp $AS_DUT
 bgp router-id $DUT_A
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor $FEED remote-as $AS_FEED
 neighbor $FEED passive
 neighbor $FEED advertisement-interval 0
 neighbor $SINK remote-as $AS_SINK
 neighbor $SINK update-source $DUT_B
 neighbor $SINK advertisement-interval 0
 neighbor $SINK timers connect 1
 address-family ipv4 unicast
  neighbor $FEED activate
  neighbor $SINK activate
 exit-address-family
EOF
}

gobgp_conf() {
  cat << EOF
[global.config]
  as = $AS_DUT
  router-id = "$DUT_A"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$FEED"
    peer-as = $AS_FEED
  [neighbors.transport.config]
    passive-mode = true
    local-address = "$DUT_A"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$SINK"
    peer-as = $AS_SINK
  [neighbors.timers.config]
    connect-retry = 1
  [neighbors.transport.config]
    local-address = "$DUT_B"
EOF
}

# kv FILE KEY: the value of KEY=... in FILE (space or newline separated).
kv() { tr ' ' '\n' < "$1" 2> /dev/null | awk -F= -v k="$2" '$1 == k { print $2 }'; }

FAILED=0
# fail_run DUT RUN REASON
fail_run() {
  echo "RESULT churn $1 $2 ok=0 reason=$3"
  lab_log "churn $1 run $2 FAILED: $3"
  FAILED=1
}

# wait_until SECONDS CMD...: like lab_wait_for, but returns 1 instead of ending the script.
wait_until() {
  local end=$((SECONDS + $1))
  shift
  while [ $SECONDS -lt $end ]; do
    "$@" > /dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}
sink_established() { [ "$(kv "$1/sink.status" established)" = 1 ]; }
sink_has() { [ "$(kv "$1/sink.status" present)" = "$2" ]; }
kernel_has() { [ "$(kv "$1/kmon.status" present)" = "$2" ]; }

# run_one DUT RUN
run_one() {
  local dut=$1 run=$2 d="$LAB_DIR/$1-$2" ns_f ns_d ns_s
  mkdir -p "$d"
  chmod 755 "$d"
  b3_wait_quiet
  lab_log "---- churn: run $run, DUT $dut (load $(cut -d' ' -f1 /proc/loadavg))"
  lab_ns "f$run$dut" ns_f
  lab_ns "d$run$dut" ns_d
  lab_ns "s$run$dut" ns_s
  lab_link "$ns_f" $FEED/24 "$ns_d" $DUT_A/24
  lab_link "$ns_d" $DUT_B/24 "$ns_s" $SINK/24
  # ternd talks to every peer from its node address; the far ends route back through the DUT.
  ip -n "$ns_s" route add 10.83.1.0/24 via $DUT_B
  ip -n "$ns_f" route add 10.83.2.0/24 via $DUT_A

  local fib=1 pids=()
  [ "$dut" = gobgp ] && fib=0
  if [ $fib = 1 ]; then
    lab_spawn "$dut-$run-kmon" "$ns_d" "${OTHER_TS[@]}" $PY "$PEERS_PY" kmon $BASE "$P" "$d"
    pids+=("$LAB_LAST_PID")
    lab_wait_for 10 "kernel monitor" test -s "$d/kmon.status"
  fi
  lab_spawn "$dut-$run-sink" "$ns_s" "${OTHER_TS[@]}" $PY "$PEERS_PY" sink $SINK $AS_SINK $BASE "$P" "$d"
  local sink_pid=$LAB_LAST_PID
  pids+=("$sink_pid")

  case $dut in
    tern)
      intent > "$d/intent.yaml"
      b3_start_ternd "$ns_d" "$d" "$d/intent.yaml" --rest-listen none
      ;;
    bird) b3_start_bird "$ns_d" "$d" "$(bird_conf)" ;;
    frr) b3_start_frr "$ns_d" "$d" "$(frr_conf)" ;;
    gobgp) b3_start_gobgp "$ns_d" "$d" "$(gobgp_conf)" ;;
  esac
  pids+=("${DUT_PIDS[@]}")

  lab_spawn "$dut-$run-feeder" "$ns_f" "${OTHER_TS[@]}" $PY "$PEERS_PY" feeder $FEED $DUT_A \
    $AS_FEED $BASE "$P" "$RATE" "$SECS" "$d"
  local feeder_pid=$LAB_LAST_PID
  pids+=("$feeder_pid")

  local reason=""
  wait_until 60 test -e "$d/feeder.established" || reason=no_feeder_session
  [ -n "$reason" ] || wait_until 60 sink_established "$d" || reason=no_sink_session
  [ -n "$reason" ] || wait_until 60 test -e "$d/feeder.warm" || reason=feeder_warmup
  [ -n "$reason" ] || wait_until 60 sink_has "$d" "$P" || reason=sink_incomplete_$(kv "$d/sink.status" present)
  if [ -z "$reason" ] && [ $fib = 1 ]; then
    wait_until 60 kernel_has "$d" "$P" || reason=kernel_incomplete_$(kv "$d/kmon.status" present)
  fi
  if [ -z "$reason" ]; then
    sleep 1
    local c0 c1
    c0=$(b3_cpu_ticks "${DUT_PIDS[@]}")
    touch "$d/go"
    if wait_until $((SECS * 3 + 30)) test -e "$d/feeder.done"; then
      sleep 2
      c1=$(b3_cpu_ticks "${DUT_PIDS[@]}")
      # Converged: the sink and the kernel end with exactly the prefixes the feeder left up.
      local final
      final=$(kv "$d/feeder.done" final_present)
      wait_until 30 sink_has "$d" "$final" || reason=sink_final_$(kv "$d/sink.status" present)_of_$final
      if [ -z "$reason" ] && [ $fib = 1 ]; then
        wait_until 30 kernel_has "$d" "$final" || reason=kernel_final_$(kv "$d/kmon.status" present)_of_$final
      fi
      local p alive=1
      for p in "${DUT_PIDS[@]}"; do kill -0 "$p" 2> /dev/null || alive=0; done
      [ $alive = 1 ] || reason=dut_exited
      sink_established "$d" || reason=sink_session_dropped
    else
      reason=feeder_did_not_finish
    fi
  fi
  local rss_kib
  rss_kib=$(b3_kib VmHWM "${DUT_PIDS[@]}")

  # The recorders write their event files when told to stop (slowly on a busy machine).
  for p in "${pids[@]}"; do
    [ "$p" = "$feeder_pid" ] || [ "$p" = "$sink_pid" ] || b3_stop "$p" 30
  done
  b3_stop "$sink_pid" 30
  b3_stop "$feeder_pid"
  b3_drop_ns "$ns_f"
  b3_drop_ns "$ns_d"
  b3_drop_ns "$ns_s"

  if [ -n "$reason" ]; then
    fail_run "$dut" "$run" "$reason"
    return 0
  fi
  local what=sink
  [ $fib = 1 ] && what="sink kmon"
  # shellcheck disable=SC2086
  $PY "$PEERS_PY" report "$d" $what > "$d/report.txt" 2> "$d/report.err" ||
    { lab_log "report: $(tail -3 "$d/report.err")"; fail_run "$dut" "$run" report_failed; return 0; }
  local r="$d/report.txt" cpu
  cpu=$(b3_div $((c1 - c0)) "$(getconf CLK_TCK)" 2)
  k() { awk -F= -v k="$1" '$1 == k { print $2 }' "$r"; }
  local kernel="kernel_p50_ms=NA kernel_p99_ms=NA kernel_max_ms=NA kernel_lost=NA"
  [ $fib = 1 ] && kernel="kernel_p50_ms=$(k kmon_p50_ms) kernel_p99_ms=$(k kmon_p99_ms) kernel_max_ms=$(k kmon_max_ms) kernel_lost=$(k kmon_lost)"
  # Lost updates (a DUT that coalesced an announce with the withdraw after it) are counted, not
  # failed: the run failed only if the end state differs (checked above) or nothing matched.
  local ok=1 why=""
  [ "$(k sink_matched)" -gt 0 ] || { ok=0; why=" reason=no_sink_match"; }
  lab_log "$dut run $run: $(tr '\n' ' ' < "$r")"
  echo "RESULT churn $dut $run sink_p50_ms=$(k sink_p50_ms) sink_p99_ms=$(k sink_p99_ms)" \
    "$kernel cpu_s=$cpu sink_max_ms=$(k sink_max_ms) sink_lost=$(k sink_lost)" \
    "sent=$(k sent) rate=$RATE prefixes=$P seconds=$SECS" \
    "send_lag_p99_ms=$(kv "$d/feeder.done" lag_p99_ms) send_s=$(kv "$d/feeder.done" send_s)" \
    "rss_mib=$((rss_kib / 1024)) foreign_pct=$B3_FOREIGN_PCT ok=$ok$why"
  [ $ok = 1 ] || FAILED=1
}

USABLE=()
for dut in $DUTS; do
  if b3_dut_usable "$dut" churn; then USABLE+=("$dut"); fi
done
B3_TERND=${B3_TERND_ORIG:-$B3_TERND} b3_machine_line
lab_log "churn: $P prefixes, $RATE updates/s for $SECS s, runs $RUNS, DUTs ${USABLE[*]}," \
  "DUT on ${DUT_TS[*]:-any CPU}; BIRD scan time $B3_BIRD_SCAN; files in $LAB_DIR"
for run in $(seq "$RUNS"); do
  for dut in "${USABLE[@]}"; do run_one "$dut" "$run"; done
done
exit $FAILED
