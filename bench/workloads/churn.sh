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
# (1 s at 500/s, CPU window 0.2 s before to 0.5 s after), BENCH_SIZE (prefixes, 1000);
# CHURN_RATE (updates/s, 1000), CHURN_SECONDS (60), BENCH_PIN (1), BENCH_BIRD_SCAN (2),
# LAB_KEEP=1 keeps the files.
# Addresses: 10.83.0.0/16, only inside the namespaces this script creates.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PEERS_PY=$ROOT/bench/workloads/churn_peers.py

# shellcheck source=bench/lib/bench.sh disable=SC1091
source "$ROOT/bench/lib/bench.sh"

bench_init churn
bench_size P 1000 1000 1 100000
RATE=${CHURN_RATE:-1000}
SECS=${CHURN_SECONDS:-60}
# The CPU window opens LEAD s before the first tick and closes TAIL s after the last.
LEAD=1 TAIL=2
if [ "$BENCH_IS_SMOKE" = 1 ]; then
  RATE=${CHURN_RATE:-500}
  SECS=${CHURN_SECONDS:-1}
  LEAD=0.2 TAIL=0.5
fi

FEED=10.83.1.1 DUT_A=10.83.1.2 DUT_B=10.83.2.2 SINK=10.83.2.1
BASE=10.83.128.0
POOL=10.83.128.0/17
AS_DUT=65000 AS_FEED=65001 AS_SINK=65002

# ternd exports the churn prefixes because they lie inside an IPPool, as Calico exports routes.
dut_conf_tern() {
  calico_bgpconfig $AS_DUT false
  calico_node dut $DUT_A/24
  calico_pool churn $POOL Never Never
  printf -- '---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: %s\nspec:\n  peerIP: %s\n  asNumber: %s\n' \
    feeder $FEED $AS_FEED sink $SINK $AS_SINK
}

dut_conf_bird() {
  cat << EOF
router id $DUT_A;
protocol device { scan time $BENCH_BIRD_SCAN; }
protocol kernel { ipv4 { import none; export all; }; scan time $BENCH_BIRD_SCAN; }
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

dut_conf_frr() {
  bench_frr_head $AS_DUT $DUT_A
  cat << EOF
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

dut_conf_gobgp() {
  bench_gobgp_global $AS_DUT $DUT_A
  bench_gobgp_neighbor $FEED $AS_FEED passive=true local=$DUT_A
  bench_gobgp_neighbor $SINK $AS_SINK retry=1 local=$DUT_B
}

# kv FILE KEY: the value of KEY=... in FILE (space or newline separated).
kv() { tr ' ' '\n' < "$1" 2> /dev/null | awk -F= -v k="$2" '$1 == k { print $2 }'; }

sink_established() { [ "$(kv "$1/sink.status" established)" = 1 ]; }
sink_has() { [ "$(kv "$1/sink.status" present)" = "$2" ]; }
kernel_has() { [ "$(kv "$1/kmon.status" present)" = "$2" ]; }

# run_one DUT RUN
run_one() {
  local dut=$1 run=$2 d="$LAB_DIR/$1-$2" ns_f ns_d ns_s
  mkdir -p "$d"
  chmod 755 "$d"
  bench_wait_quiet
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
    lab_spawn "$dut-$run-kmon" "$ns_d" "${OTHER_TS[@]}" $BENCH_PY "$PEERS_PY" kmon $BASE "$P" "$d"
    pids+=("$LAB_LAST_PID")
    lab_wait_for 10 "kernel monitor" test -s "$d/kmon.status"
  fi
  lab_spawn "$dut-$run-sink" "$ns_s" "${OTHER_TS[@]}" $BENCH_PY "$PEERS_PY" sink $SINK $AS_SINK $BASE "$P" "$d"
  local sink_pid=$LAB_LAST_PID
  pids+=("$sink_pid")

  local name=dut-$dut-$run reason=""
  bench_dut_conf "$dut" "$name" on
  ZEBRA_PID=""
  DUT_PIDS=()
  if ! bench_dut_start "$dut" "$name" "$ns_d" on --api-socket "$LAB_DIR/$name.sock"; then
    reason=dut_did_not_start
  elif ! bench_dut_ready "$dut" "$name" 20; then
    reason=dut_not_ready
  fi
  pids+=("${DUT_PIDS[@]}")

  lab_spawn "$dut-$run-feeder" "$ns_f" "${OTHER_TS[@]}" $BENCH_PY "$PEERS_PY" feeder $FEED $DUT_A \
    $AS_FEED $BASE "$P" "$RATE" "$SECS" "$d"
  local feeder_pid=$LAB_LAST_PID
  pids+=("$feeder_pid")

  [ -n "$reason" ] || bench_wait 60 test -e "$d/feeder.established" || reason=no_feeder_session
  [ -n "$reason" ] || bench_wait 60 sink_established "$d" || reason=no_sink_session
  [ -n "$reason" ] || bench_wait 60 test -e "$d/feeder.warm" || reason=feeder_warmup
  [ -n "$reason" ] || bench_wait 60 sink_has "$d" "$P" || reason=sink_incomplete_$(kv "$d/sink.status" present)
  if [ -z "$reason" ] && [ $fib = 1 ]; then
    bench_wait 60 kernel_has "$d" "$P" || reason=kernel_incomplete_$(kv "$d/kmon.status" present)
  fi
  if [ -z "$reason" ]; then
    sleep $LEAD
    local c0 c1
    c0=$(bench_cpu_ticks "${DUT_PIDS[@]}")
    touch "$d/go"
    if bench_wait $((SECS * 3 + 30)) test -e "$d/feeder.done"; then
      sleep $TAIL
      c1=$(bench_cpu_ticks "${DUT_PIDS[@]}")
      # Converged: the sink and the kernel end with exactly the prefixes the feeder left up.
      local final
      final=$(kv "$d/feeder.done" final_present)
      bench_wait 30 sink_has "$d" "$final" || reason=sink_final_$(kv "$d/sink.status" present)_of_$final
      if [ -z "$reason" ] && [ $fib = 1 ]; then
        bench_wait 30 kernel_has "$d" "$final" || reason=kernel_final_$(kv "$d/kmon.status" present)_of_$final
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
  rss_kib=$(bench_kib VmHWM "${DUT_PIDS[@]}")

  # The recorders write their event files when told to stop (slowly on a busy machine).
  local others=()
  for p in "${pids[@]}"; do
    [ "$p" = "$feeder_pid" ] || [ "$p" = "$sink_pid" ] || others+=("$p")
  done
  bench_stop_wait 30 "${others[@]}"
  bench_stop_wait 30 "$sink_pid"
  bench_stop "$feeder_pid"
  bench_drop_ns "$ns_f"
  bench_drop_ns "$ns_d"
  bench_drop_ns "$ns_s"

  if [ -n "$reason" ]; then
    bench_fail "$dut" "$run" "$reason"
    return 0
  fi
  local what=sink
  [ $fib = 1 ] && what="sink kmon"
  # shellcheck disable=SC2086
  $BENCH_PY "$PEERS_PY" report "$d" $what > "$d/report.txt" 2> "$d/report.err" ||
    { lab_log "report: $(tail -3 "$d/report.err")"; bench_fail "$dut" "$run" report_failed; return 0; }
  local r="$d/report.txt" cpu
  cpu=$(bench_div $((c1 - c0)) "$(getconf CLK_TCK)" 2)
  k() { awk -F= -v k="$1" '$1 == k { print $2 }' "$r"; }
  local kernel="kernel_p50_ms=NA kernel_p99_ms=NA kernel_max_ms=NA kernel_lost=NA"
  [ $fib = 1 ] && kernel="kernel_p50_ms=$(k kmon_p50_ms) kernel_p99_ms=$(k kmon_p99_ms) kernel_max_ms=$(k kmon_max_ms) kernel_lost=$(k kmon_lost)"
  # Lost updates (a DUT that coalesced an announce with the withdraw after it) are counted, not
  # failed: the run failed only if the end state differs (checked above) or nothing matched.
  local ok=1 why=""
  [ "$(k sink_matched)" -gt 0 ] || { ok=0; why=" reason=no_sink_match"; }
  lab_log "$dut run $run: $(tr '\n' ' ' < "$r")"
  bench_result "$dut" "$run" "sink_p50_ms=$(k sink_p50_ms) sink_p99_ms=$(k sink_p99_ms)" \
    "$kernel cpu_s=$cpu sink_max_ms=$(k sink_max_ms) sink_lost=$(k sink_lost)" \
    "sent=$(k sent) rate=$RATE prefixes=$P seconds=$SECS" \
    "send_lag_p99_ms=$(kv "$d/feeder.done" lag_p99_ms) send_s=$(kv "$d/feeder.done" send_s)" \
    "rss_mib=$((rss_kib / 1024)) foreign_pct=$BENCH_BUSY_PCT ok=$ok$why"
}

bench_machine "size=$P rate=$RATE seconds=$SECS"
lab_log "churn: $P prefixes, $RATE updates/s for $SECS s, runs $BENCH_N_RUNS, DUTs ${BENCH_USABLE[*]}," \
  "DUT on ${DUT_TS[*]:-any CPU}; BIRD scan time $BENCH_BIRD_SCAN; files in $LAB_DIR"
bench_rounds run_one
