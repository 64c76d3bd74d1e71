#!/usr/bin/env bash
# RIB throughput benchmark (issue 4, "Numbers to report"):
#
#   BIRD feeder (AS 65001) --eBGP--> DUT (AS 65000) --eBGP--> BIRD sink (AS 65002)
#
# The feeder holds 1,000,000 distinct IPv4 prefixes with an internet-like length mix
# (bench/gen_prefixes.py) and one attribute set, as a BIRD static protocol; its BGP session
# starts disabled, so BIRD's config parse is outside the clock. Sink and DUT come up first;
# then bench/rib_poll.py enables the feeder session and takes t0 as the moment it is
# Established (the feeder's own ms timestamp), polls the sink's "Routes: N imported" every
# 5 ms and records t99 and t100. For the DUT: CPU seconds (utime+stime delta from
# /proc/PID/stat, from before the enable to 1 s after t100) and peak RSS (VmHWM).
# No kernel protocol anywhere (kernel writes off). Every DUT runs in the same invocation,
# interleaved (tern, bird, [frr], tern, bird, ...), each with a fresh feeder and sink.
#
#   bench/rib_bench.sh            (or ./tern.sh bench rib)
#
# Environment:
#   BUILD=DIR                  build dir holding tools/tern-speaker (default: <repo>/build)
#   RIB_BENCH_PREFIXES=N       prefixes (1000000)
#   RIB_BENCH_RUNS=N           rounds over all DUTs (1)
#   RIB_BENCH_DUTS="tern bird" DUTs in each round; "frr" (bgpd -Z) is also known
#   RIB_BENCH_PIN=1            pin the DUT to the last CPU and feeder/sink/poller to the others
#                              (only with 2+ CPUs; 0: no pinning)
#   RIB_BENCH_PERF=1           also `perf record` tern during its runs, print the top symbols
#                              (RIB_BENCH_PERF_CG=fp|dwarf, RIB_BENCH_PERF_FREQ=2000)
#   RIB_BENCH_QUIET_WAIT=S     before each run wait up to S s (60) for the machine to be idle
#   RIB_BENCH_PCAP=1           tcpdump the DUT's BGP traffic (headers) into the lab directory
#   RIB_POLL_TRACE=FILE        the sink's count over time (seconds since t0, routes), last run
#   LAB_KEEP=1                 keep the lab directory (configs, logs, perf data, pcaps)
#
# Addresses: 10.77.1.0/24 (feeder-DUT) and 10.77.2.0/24 (DUT-sink), only inside the
# namespaces this script creates; everything is removed on exit (interop/lib/lab.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
N=${RIB_BENCH_PREFIXES:-1000000}
RUNS=${RIB_BENCH_RUNS:-1}
DUTS=${RIB_BENCH_DUTS:-tern bird}
PIN=${RIB_BENCH_PIN:-1}
PERF=${RIB_BENCH_PERF:-0}
PY=/usr/bin/python3
[ -x $PY ] || PY=python3

# shellcheck source=interop/lib/lab.sh disable=SC1091
source "$ROOT/interop/lib/lab.sh"
# shellcheck source=bench/lib/bench.sh disable=SC1091
source "$ROOT/bench/lib/bench.sh"

for t in bird birdc ip taskset; do
  command -v $t > /dev/null || { echo "rib_bench: $t is missing (apt-get install bird2 iproute2 util-linux)" >&2; exit 1; }
done
[ -x "$BUILD/tools/tern-speaker" ] || case " $DUTS " in
  *" tern "*) echo "rib_bench: $BUILD/tools/tern-speaker not built" >&2; exit 1 ;;
esac

lab_init ribbench
# Own directory name: other labs' leftovers matching /tmp/tern-lab-* get swept by hand.
rmdir "$LAB_DIR"
LAB_DIR=$(mktemp -d /tmp/tern-ribbench.XXXXXX)
chmod 755 "$LAB_DIR"

# A private copy, so a rebuild during the run cannot replace the binary under us.
if [ -x "$BUILD/tools/tern-speaker" ]; then
  cp "$BUILD/tools/tern-speaker" "$LAB_DIR/tern-speaker"
fi

CPUS=$(nproc)
BENCH_PIN=$PIN bench_pin
PIN_NOTE="no CPU pinning"
[ -z "$DUT_CPU" ] || PIN_NOTE="DUT pinned to CPU $DUT_CPU, feeder/sink/poller to CPU 0-$((CPUS - 2))"

lab_ns feeder NS_FEEDER
lab_ns dut NS_DUT
lab_ns sink NS_SINK
lab_link "$NS_FEEDER" 10.77.1.1/24 "$NS_DUT" 10.77.1.2/24
lab_link "$NS_DUT" 10.77.2.2/24 "$NS_SINK" 10.77.2.1/24

# ---- the prefix set (once) ------------------------------------------------------------------
t=$(date +%s.%N)
{
  echo "protocol static feed {"
  echo "  ipv4 { import all; };"
  $PY "$ROOT/bench/gen_prefixes.py" "$N"
  echo "}"
} > "$LAB_DIR/feed.conf"
lab_log "generated $N prefixes in $(echo "$(date +%s.%N) - $t" | bc | xargs printf '%.1f') s"

# bird_up NAME NS CONF [PREFIX...]: a foreground BIRD (bench_bird); sets BIRD_PID.
bird_up() {
  bench_bird "$@" || lab_fail "timed out waiting for $1 control socket"
  BIRD_PID=$BENCH_BIRD_PID
}

# bird_established SOCK PROTO
bird_established() { birdc -s "$1" show protocols "$2" | grep -q Established; }

BIRD_COMMON='timeformat protocol iso long ms;
protocol device { scan time 60; }'

write_feeder_conf() {
  cat > "$1" << EOF
router id 10.77.1.1;
log "$LAB_DIR/$2.log" { info, warning, error, fatal };
$BIRD_COMMON
include "$LAB_DIR/feed.conf";
protocol bgp dut {
  disabled;
  local 10.77.1.1 as 65001;
  neighbor 10.77.1.2 as 65000;
  connect delay time 1; connect retry time 1;
  ipv4 { import none; export all; };
}
EOF
}

write_sink_conf() {
  cat > "$1" << EOF
router id 10.77.2.1;
log "$LAB_DIR/$2.log" { info, warning, error, fatal };
$BIRD_COMMON
protocol bgp dut {
  local 10.77.2.1 as 65002;
  neighbor 10.77.2.2 as 65000;
  connect delay time 1; connect retry time 1;
  ipv4 { import all; export none; };
}
EOF
}

write_bird_dut_conf() {
  cat > "$1" << EOF
router id 10.77.1.2;
log "$LAB_DIR/$2.log" { info, warning, error, fatal };
$BIRD_COMMON
protocol bgp feeder {
  local 10.77.1.2 as 65000;
  neighbor 10.77.1.1 as 65001;
  passive on;
  ipv4 { import all; export none; };
}
protocol bgp sink {
  local 10.77.2.2 as 65000;
  neighbor 10.77.2.1 as 65002;
  connect delay time 1; connect retry time 1;
  ipv4 { import none; export all; };
}
EOF
}

write_frr_dut_conf() {
  cat > "$1" << EOF
frr defaults traditional
hostname rib-bench-dut
log file $2 warnings
router bgp 65000
 bgp router-id 10.77.1.2
 no bgp ebgp-requires-policy
 no bgp network import-check
 coalesce-time 100
 neighbor 10.77.1.1 remote-as 65001
 neighbor 10.77.1.1 passive
 neighbor 10.77.1.1 update-source 10.77.1.2
 neighbor 10.77.2.1 remote-as 65002
 neighbor 10.77.2.1 update-source 10.77.2.2
 neighbor 10.77.2.1 advertisement-interval 0
 address-family ipv4 unicast
  neighbor 10.77.1.1 activate
  neighbor 10.77.2.1 activate
 exit-address-family
EOF
}

dut_version() {
  case $1 in
    tern) echo "tern-speaker $(stat -c %y "$LAB_DIR/tern-speaker" | cut -d. -f1)" ;;
    bird) bird --version 2>&1 | head -1 ;;
    frr) /usr/lib/frr/bgpd --version 2>&1 | head -1 ;;
  esac
}

RESULTS=()

# The machine is shared: before each run wait (up to RIB_BENCH_QUIET_WAIT s, default 60) for
# a second with less than 10% of a core busy (bench_wait_quiet); see foreign_s if it stays busy.
BENCH_IS_SMOKE=0
export BENCH_QUIET_WAIT=${RIB_BENCH_QUIET_WAIT:-60}

# run_one DUT ROUND
run_one() {
  local dut=$1 round=$2 tag="$1-$2"
  local fs="$LAB_DIR/feeder-$tag.ctl" ss="$LAB_DIR/sink-$tag.ctl"
  local feeder_pid sink_pid dut_pid perf_pid=""
  bench_wait_quiet
  lab_log "---- round $round, DUT $dut (load: $(cut -d' ' -f1-3 /proc/loadavg))"

  write_sink_conf "$LAB_DIR/sink-$tag.conf" "sink-$tag"
  bird_up "sink-$tag" "$NS_SINK" "$LAB_DIR/sink-$tag.conf" "${OTHER_TS[@]}"
  sink_pid=$BIRD_PID

  case $dut in
    tern)
      lab_spawn "dut-$tag" "$NS_DUT" "${DUT_TS[@]}" "$LAB_DIR/tern-speaker" \
        --local-as 65000 --router-id 10.77.1.2 \
        --peer 10.77.1.1,as=65001,passive,local=10.77.1.2 \
        --peer 10.77.2.1,as=65002,local=10.77.2.2 \
        --status "$LAB_DIR/tern-$tag.json" --no-routes
      dut_pid=$LAB_LAST_PID
      ;;
    bird)
      write_bird_dut_conf "$LAB_DIR/dut-$tag.conf" "dut-$tag"
      bird_up "dut-$tag" "$NS_DUT" "$LAB_DIR/dut-$tag.conf" "${DUT_TS[@]}"
      dut_pid=$BIRD_PID
      ;;
    frr)
      local d="$LAB_DIR/frr-$tag"
      mkdir -p "$d"
      write_frr_dut_conf "$d/frr.conf" "$d/bgpd.log"
      : > "$d/vtysh.conf"
      chown -R frr:frr "$d"
      [ -d "/var/run/frr/$NS_DUT" ] || LAB_RMDIRS+=("/var/run/frr/$NS_DUT")
      lab_spawn "dut-$tag" "$NS_DUT" "${DUT_TS[@]}" /usr/lib/frr/bgpd -Z -N "$NS_DUT" \
        --vty_socket "$d" -i "$d/bgpd.pid" -f "$d/frr.conf" -u frr -g frr
      dut_pid=$LAB_LAST_PID
      ;;
    *) lab_fail "unknown DUT $dut (known: tern bird frr)" ;;
  esac

  local t=$SECONDS
  write_feeder_conf "$LAB_DIR/feeder-$tag.conf" "feeder-$tag"
  bird_up "feeder-$tag" "$NS_FEEDER" "$LAB_DIR/feeder-$tag.conf" "${OTHER_TS[@]}"
  feeder_pid=$BIRD_PID
  lab_log "feeder up (config with $N static routes parsed) in $((SECONDS - t)) s"

  lab_wait_for 30 "DUT-sink session Established" bird_established "$ss" dut
  kill -0 "$dut_pid" || lab_fail "DUT $dut exited"
  sleep 1 # let the DUT settle (End-of-RIB exchange, first status write)

  if [ "$PERF" = 1 ] && [ "$dut" = tern ] && command -v perf > /dev/null; then
    perf record -q -F "${RIB_BENCH_PERF_FREQ:-2000}" --call-graph "${RIB_BENCH_PERF_CG:-fp}" -p "$dut_pid" -o "$LAB_DIR/perf-$tag.data" > /dev/null 2>&1 &
    perf_pid=$!
    LAB_PIDS+=("$perf_pid")
    sleep 0.3
  fi

  local pcap_pid=""
  if [ -n "${RIB_BENCH_PCAP:-}" ]; then
    lab_spawn "pcap-$tag" "$NS_DUT" tcpdump -i any -s 128 -n -w "$LAB_DIR/dut-$tag.pcap" tcp port 179
    pcap_pid=$LAB_LAST_PID
    sleep 0.5
  fi
  "${OTHER_TS[@]}" $PY "$ROOT/bench/rib_poll.py" "$fs" "$ss" "$N" "$dut_pid" "$feeder_pid" \
    "$sink_pid" 1 > "$LAB_DIR/poll-$tag.out" 2> "$LAB_DIR/poll-$tag.err" ||
    { cat "$LAB_DIR/poll-$tag.err" >&2; lab_fail "poller failed ($dut round $round)"; }
  if [ -n "$perf_pid" ]; then
    kill -INT "$perf_pid" 2> /dev/null || true
    wait "$perf_pid" 2> /dev/null || true
    local keep=() p
    for p in "${LAB_PIDS[@]}"; do [ "$p" = "$perf_pid" ] || keep+=("$p"); done
    LAB_PIDS=("${keep[@]}")
  fi

  [ -z "$pcap_pid" ] || bench_stop "$pcap_pid"
  # Every key=value of the poller, kept local (some are only in the poller's output file).
  # shellcheck disable=SC2034
  local t_enable t0_seen_by_poll first t50 t99 t100 received polls wall hwm_kib rss_kib
  # shellcheck disable=SC2034
  local cpu_dut cpu_dut_at100 cpu_feeder cpu_sink cpu_poller cpu_foreign cpu_machine
  # shellcheck disable=SC2034
  local cpu_feeder_at100 cpu_sink_at100 cpu_poller_at100 cpu_machine_at100
  eval "$(grep -E '^[a-z0-9_]+=[-0-9.NA]+$' "$LAB_DIR/poll-$tag.out")"

  # Sanity: full count at the sink, no session dropped on the way.
  local sink_count flaps=""
  sink_count=$(birdc -s "$ss" show route count | grep -oE '^[0-9]+ of [0-9]+ routes for [0-9]+ networks in table master4' | cut -d' ' -f1)
  bird_established "$fs" dut || flaps+=" feeder-DUT"
  bird_established "$ss" dut || flaps+=" DUT-sink"
  if [ "$dut" = tern ] && [ -s "$LAB_DIR/tern-$tag.json" ]; then
    lab_log "tern status: $(tr -d '\n' < "$LAB_DIR/tern-$tag.json" | cut -c1-300)"
  fi
  lab_log "$dut: t_first=${first}s t50=${t50}s t99=${t99}s t100=${t100}s received=$received" \
    "sink table=$sink_count polls=$polls; CPU-s at t100: dut=$cpu_dut_at100;" \
    "to t100+1s: dut=$cpu_dut feeder=$cpu_feeder sink=$cpu_sink poller=$cpu_poller" \
    "foreign=$cpu_foreign; VmHWM=${hwm_kib} KiB VmRSS=${rss_kib} KiB${flaps:+; DROPPED:$flaps}"

  local tail="NA"
  if [ "$t99" != NA ] && [ "$t100" != NA ]; then
    tail=$(echo "($t100 - $t99) * 1000" | bc | xargs printf '%.0f')
  fi
  local ok=ok
  [ "$received" = "$N" ] && [ "$sink_count" = "$N" ] && [ -z "$flaps" ] || ok="FAIL(${received}/${sink_count}${flaps})"
  RESULTS+=("$round $dut $t99 $t100 $tail $cpu_dut $((hwm_kib / 1024)) $cpu_foreign $(cut -d' ' -f1 /proc/loadavg) $ok")

  if [ -n "$perf_pid" ] && [ -s "$LAB_DIR/perf-$tag.data" ]; then
    echo "---- perf: tern, round $round (top symbols, self %) ----"
    { perf report -i "$LAB_DIR/perf-$tag.data" --no-children --stdio --sort symbol -g none \
        2> /dev/null || true; } | grep -E '^ +[0-9.]+%' | cut -c1-150 | sed -n 1,30p
  fi

  bench_stop "$feeder_pid"
  bench_stop "$dut_pid"
  bench_stop "$sink_pid"
}

echo "rib_bench: $N prefixes, feeder (BIRD) -> DUT -> sink (BIRD), kernel writes off"
echo "host: $CPUS CPUs, $(uptime | sed 's/^ *//'); $PIN_NOTE"
for d in $DUTS; do echo "  $d: $(dut_version "$d")"; done

for r in $(seq "$RUNS"); do
  for d in $DUTS; do run_one "$d" "$r"; done
done

# ---- table -----------------------------------------------------------------------------------
echo
echo "RIB benchmark: $N IPv4 prefixes, one attribute set; times from the feeder's session"
echo "Established; CPU-s = DUT utime+stime until 1 s after t100; peak RSS = DUT VmHWM."
echo "uptime at end: $(uptime | sed 's/^ *//')"
printf '%-5s %-5s %8s %8s %8s %7s %8s %9s %6s  %s\n' run DUT t99_s t100_s tail_ms CPU_s RSS_MiB foreign_s load1 check
for row in "${RESULTS[@]}"; do
  # shellcheck disable=SC2086
  printf '%-5s %-5s %8s %8s %8s %7s %8s %9s %6s  %s\n' $row
done

# Ratios tern/BIRD per round, and the bar of issue 4 (reported, not enforced: the exit status
# only says whether every run delivered the full table).
ratio() {
  if [ "$1" = NA ] || [ "$2" = NA ] || [ "$(echo "$2 == 0" | bc)" = 1 ]; then
    echo NA
  else
    printf '%.2f' "$(echo "scale=4; $1 / $2" | bc)"
  fi
}
echo
for r in $(seq "$RUNS"); do
  tern_row=""
  bird_row=""
  for row in "${RESULTS[@]}"; do
    # shellcheck disable=SC2086
    set -- $row
    [ "$1" = "$r" ] || continue
    [ "$2" = tern ] && tern_row="$*"
    [ "$2" = bird ] && bird_row="$*"
  done
  if [ -z "$tern_row" ] || [ -z "$bird_row" ]; then continue; fi
  # shellcheck disable=SC2086
  set -- $tern_row
  t99=$3 t100=$4 tail=$5 cpu=$6 rss=$7
  # shellcheck disable=SC2086
  set -- $bird_row
  printf 'round %s tern/BIRD: t99 %s  t100 %s  CPU-s %s  peak RSS %s  (tail %s ms vs %s ms)\n' "$r" \
    "$(ratio "$t99" "$3")" "$(ratio "$t100" "$4")" "$(ratio "$cpu" "$6")" "$(ratio "$rss" "$7")" \
    "$tail" "$5"
  verdict=()
  [ "$t100" != NA ] && [ "$(echo "$t100 < $4" | bc)" = 1 ] || verdict+=("t100 not ahead of BIRD")
  [ "$(echo "$cpu <= 0.5" | bc)" = 1 ] || verdict+=("CPU $cpu s > 0.5")
  [ "$rss" -le 80 ] || verdict+=("peak RSS $rss MiB > 80")
  [ "$tail" != NA ] && [ "$tail" -lt 50 ] || verdict+=("tail $tail ms >= 50")
  if [ ${#verdict[@]} -eq 0 ]; then
    echo "  bar of issue 4: met"
  else
    msg=$(printf '%s; ' "${verdict[@]}")
    echo "  bar of issue 4: NOT met: ${msg%; }"
  fi
done
failed=0
for row in "${RESULTS[@]}"; do
  case $row in *FAIL*) failed=1 ;; esac
done
exit $failed
