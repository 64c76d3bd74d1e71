#!/usr/bin/env bash
# Workload "table" (issue 9), and "table-paths" with TABLE_MODE=paths (table_paths.sh):
#
#   BIRD feeder(s) --eBGP--> DUT (AS 65000) --eBGP--> BIRD sink (AS 65002)
#
# table:       one feeder (AS 65001) with BENCH_SIZE (1,000,000) distinct IPv4 prefixes, internet-like
#              length mix (bench/gen_prefixes.py), in two tables: N/3 distinct AS paths
#              (attrs=paths) and one attribute set (attrs=single); each with kernel writes off
#              (fib=off) and on (fib=on). Metrics: t99_s, t100_s at the sink, kernel_s (until the
#              DUT namespace's FIB holds all N, read from /proc/PID/net/fib_triestat; checked at the
#              end with a netlink dump of the DUT's routes), cpu_s, rss_mib (VmHWM of every DUT
#              process, summed). With fib=on the raw netlink floor (bench/fib_floor: N /24s in
#              128 KB batches without acks, in a fresh namespace) runs in the same round as DUT
#              "floor" (kernel_s only; consecutive /24s, not the mixed lengths).
# table-paths: four feeders (AS 65011-65014); each prefix comes from three of them, exactly one
#              with the shortest AS path; about 50,000 attribute sets (bench/gen_table.py). The
#              sink imports only paths of the final best length, so its count reaches N when every
#              prefix carries its final best path. Kernel writes off. t99_s, t100_s, cpu_s, rss_mib.
#
# DUTs: tern = ternd with Calico manifests (eBGP BGPPeers, a BGPFilter accepting every export
# towards the sink; --no-fib for fib=off); bird = BIRD 2 (kernel protocol export none / all);
# frr = bgpd -Z (fib=off) or bgpd + zebra (fib=on); gobgp = gobgpd, GOMAXPROCS=1 (no FIB: fib=on
# is SKIP). The DUT is pinned to the last CPU, feeders, sink and poller to the others.
# t0 is the (earliest) feeder's Established time; CPU-s from before the feeders are enabled until
# 1 s after the sink (and kernel) are complete. Feeders and the sink stay up across runs; each run
# has a fresh DUT namespace.
#
# Environment (bench/run.sh contract): BUILD (ternd, fib_floor; default <repo>/build), BENCH_DUTS,
# BENCH_RUNS (3), BENCH_SMOKE=1 (2,000 prefixes, one round, attrs=paths fib=on only, GoBGP with
# fib=off; table-paths runs every DUT with fib=off), BENCH_SIZE, TABLE_VARIANTS (e.g.
# "paths:on single:off"), BENCH_OTHER_RUNS (FRR's and GoBGP's rounds, 1: bench_in_round),
# BENCH_OTHER_LIMIT (300: an FRR or GoBGP run is stopped this many seconds after t0 and reports
# how far it got, received_at_limit, instead of t100_s; GoBGP needs 16 min for table-paths),
# BENCH_QUIET_WAIT, LAB_KEEP=1. Addresses: 10.81.0.0/16, only inside the namespaces created here.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
MODE=${TABLE_MODE:-table}
# shellcheck source=bench/lib/bench.sh disable=SC1091
source "$ROOT/bench/lib/bench.sh"

case $MODE in
  table) WL=table FEEDERS=1 ;;
  paths) WL=table-paths FEEDERS=4 ;;
  *) echo "table.sh: unknown TABLE_MODE $MODE" >&2; exit 2 ;;
esac
bench_init "$WL"

bench_size N 1000000 2000 1 10000000
if [ "$MODE" = table ]; then
  VARIANTS=${TABLE_VARIANTS:-paths:off paths:on single:off single:on}
  [ "$BENCH_IS_SMOKE" = 1 ] && VARIANTS=${TABLE_VARIANTS:-paths:on}
else
  VARIANTS=compete:off
fi
SETTLE=1
[ "$BENCH_IS_SMOKE" = 1 ] && SETTLE=0.2
OTHER_LIMIT=${BENCH_OTHER_LIMIT:-300}

for t in bird birdc ip taskset flock; do
  command -v $t > /dev/null || lab_fail "$t is missing (apt-get install bird2 iproute2 util-linux)"
done
# A private copy (as bench_init makes of ternd): a rebuild during the run cannot replace it.
FLOOR=""
[ -x "$BUILD/bench/fib_floor" ] && cp "$BUILD/bench/fib_floor" "$LAB_DIR/fib_floor" && FLOOR=$LAB_DIR/fib_floor

bench_machine "size=$N feeders=$FEEDERS"
lab_log "$WL: $N prefixes, $FEEDERS feeder(s), variants: $VARIANTS; DUTs: $BENCH_DUT_LIST; $BENCH_N_RUNS round(s)"

# ---------------------------------------------------------------- topology and configs
DUT_AS=65000
SINK_AS=65002
feeder_as() { if [ "$MODE" = table ]; then echo 65001; else echo $((65010 + $1)); fi; }
FEEDER_NS=()
for k in $(seq "$FEEDERS"); do
  lab_ns "feeder$k" NS_TMP
  FEEDER_NS[k]=$NS_TMP
done
lab_ns sink NS_SINK

BIRD_COMMON='timeformat protocol iso long ms;
protocol device { scan time 60; }'

write_feeder_conf() { # K FEEDFILE
  cat > "$LAB_DIR/feeder$1.conf" << EOF
router id 10.81.$1.1;
log "$LAB_DIR/feeder$1.log" { warning, error, fatal };
$BIRD_COMMON
include "$2";
protocol bgp dut {
  disabled;
  local 10.81.$1.1 as $(feeder_as "$1");
  neighbor 10.81.$1.2 as $DUT_AS;
  connect delay time 0; connect retry time 1;
  ipv4 { import none; export all; };
}
EOF
}

# The sink of table-paths keeps only final best paths (feeder AS + 1 ASN, after the DUT's AS).
SINK_IMPORT="import all;"
[ "$MODE" = paths ] && SINK_IMPORT="import where bgp_path.len = 3;"
cat > "$LAB_DIR/sink.conf" << EOF
router id 10.81.9.1;
log "$LAB_DIR/sink.log" { warning, error, fatal };
$BIRD_COMMON
protocol bgp dut {
  local 10.81.9.1 as $SINK_AS;
  neighbor 10.81.9.2 as $DUT_AS;
  connect delay time 0; connect retry time 1;
  ipv4 { $SINK_IMPORT export none; };
}
EOF

dut_conf_bird() { # FIB
  local k
  {
    echo "router id 10.81.9.2;"
    echo "log \"$LAB_DIR/$DUT_NAME.log\" { warning, error, fatal };"
    echo "$BIRD_COMMON"
    # Same kernel scan time for everyone who scans: the kernel protocol's periodic sync.
    echo "protocol kernel { ipv4 { import none; export $([ "$1" = on ] && echo all || echo none); }; learn off; scan time 10; }"
    for k in $(seq "$FEEDERS"); do
      echo "protocol bgp feeder$k { local 10.81.$k.2 as $DUT_AS; neighbor 10.81.$k.1 as $(feeder_as "$k"); passive on;"
      echo "  ipv4 { import all; export none; }; }"
    done
    echo "protocol bgp sink { local 10.81.9.2 as $DUT_AS; neighbor 10.81.9.1 as $SINK_AS;"
    echo "  connect delay time 0; connect retry time 1; ipv4 { import none; export all; }; }"
  }
}

dut_conf_frr() {
  local k
  {
    bench_frr_head $DUT_AS 10.81.9.2
    echo " no bgp ebgp-requires-policy"
    echo " no bgp network import-check"
    for k in $(seq "$FEEDERS"); do
      echo " neighbor 10.81.$k.1 remote-as $(feeder_as "$k")"
      echo " neighbor 10.81.$k.1 passive"
      echo " neighbor 10.81.$k.1 update-source 10.81.$k.2"
    done
    echo " neighbor 10.81.9.1 remote-as $SINK_AS"
    echo " neighbor 10.81.9.1 update-source 10.81.9.2"
    echo " neighbor 10.81.9.1 advertisement-interval 0"
    echo " address-family ipv4 unicast"
    for k in $(seq "$FEEDERS"); do echo "  neighbor 10.81.$k.1 activate"; done
    echo "  neighbor 10.81.9.1 activate"
    echo " exit-address-family"
  }
}

dut_conf_gobgp() {
  local k
  bench_gobgp_global $DUT_AS 10.81.9.2
  for k in $(seq "$FEEDERS"); do
    bench_gobgp_neighbor "10.81.$k.1" "$(feeder_as "$k")" local="10.81.$k.2" passive=true afi
  done
  bench_gobgp_neighbor 10.81.9.1 $SINK_AS retry=1 mai=0 local=10.81.9.2 afi
}

# Calico v3 manifests for ternd: eBGP BGPPeers, and a BGPFilter whose rule without conditions
# accepts every route towards the sink (Calico's default export would send only pool routes).
dut_conf_tern() {
  local k
  {
    printf 'apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: default\n'
    printf 'spec:\n  asNumber: %s\n  nodeToNodeMeshEnabled: false\n' $DUT_AS
    printf -- '---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: dut\n'
    printf 'spec:\n  bgp:\n    ipv4Address: 10.81.9.2/24\n'
    printf -- '---\napiVersion: projectcalico.org/v3\nkind: BGPFilter\nmetadata:\n  name: export-all\n'
    printf 'spec:\n  exportV4:\n    - action: Accept\n'
    for k in $(seq "$FEEDERS"); do
      printf -- '---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: feeder%s\n' "$k"
      printf 'spec:\n  peerIP: 10.81.%s.1\n  asNumber: %s\n' "$k" "$(feeder_as "$k")"
    done
    printf -- '---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: sink\n'
    printf 'spec:\n  peerIP: 10.81.9.1\n  asNumber: %s\n  filters:\n    - export-all\n' $SINK_AS
  }
}

# ---------------------------------------------------------------- feeders and sink
FEEDER_PIDS=()
FEEDER_ATTRS=""
start_feeders() { # ATTRS: (re)start the feeders with that table
  local attrs=$1 k t
  [ "$FEEDER_ATTRS" = "$attrs" ] && return 0
  [ ${#FEEDER_PIDS[@]} = 0 ] || bench_stop "${FEEDER_PIDS[@]}"
  FEEDER_PIDS=()
  t=$SECONDS
  if [ "$attrs" = compete ]; then
    "${OTHER_TS[@]}" $BENCH_PY "$ROOT/bench/gen_table.py" compete "$N" "$LAB_DIR"
  else
    "${OTHER_TS[@]}" $BENCH_PY "$ROOT/bench/gen_table.py" "$attrs" "$N" "$LAB_DIR/feed-1.conf"
  fi
  for k in $(seq "$FEEDERS"); do
    write_feeder_conf "$k" "$LAB_DIR/feed-$k.conf"
    bench_bird "feeder$k-$attrs" "${FEEDER_NS[k]}" "$LAB_DIR/feeder$k.conf" "${OTHER_TS[@]}" ||
      lab_fail "feeder $k never answered on its control socket"
    FEEDER_PIDS[k]=$BENCH_BIRD_PID
    ln -sf "$LAB_DIR/feeder$k-$attrs.ctl" "$LAB_DIR/feeder$k.ctl"
  done
  FEEDER_ATTRS=$attrs
  lab_log "feeders up with attrs=$attrs ($N prefixes generated and parsed) in $((SECONDS - t)) s"
}

bench_bird sink "$NS_SINK" "$LAB_DIR/sink.conf" "${OTHER_TS[@]}" || lab_fail "sink never answered"
SINK_PID=$BENCH_BIRD_PID
birdc_s() { birdc -s "$LAB_DIR/$1.ctl" "${@:2}"; }
established() { birdc_s "$1" show protocols "$2" | grep -q Established; }
feeders_disable() {
  local k
  for k in $(seq "$FEEDERS"); do birdc_s "feeder$k" disable dut > /dev/null || true; done
}

# ---------------------------------------------------------------- one run
# named_link NS1 IF1 ADDR1/LEN NS2 IF2 ADDR2/LEN: lab_link with chosen interface names.
named_link() {
  lab_link "$1" "$3" "$4" "$6"
  local ns=$1 ifname=$2 addr=$3 cur
  while [ -n "$ns" ]; do
    cur=$(ip -n "$ns" -o -4 addr show to "${addr%/*}/32" | awk '{print $2}')
    ip -n "$ns" link set "$cur" down
    ip -n "$ns" link set "$cur" name "$ifname"
    ip -n "$ns" link set "$ifname" up
    if [ "$ns" = "$1" ]; then ns=$4 ifname=$5 addr=$6; else ns=""; fi
  done
}

DUT_NS=""
DUT_PIDS=()
new_dut_ns() { # TAG
  lab_ns "dut-$1" DUT_NS
  local k
  for k in $(seq "$FEEDERS"); do
    named_link "$DUT_NS" "feed$k" "10.81.$k.2/24" "${FEEDER_NS[k]}" dut0 "10.81.$k.1/24"
  done
  named_link "$DUT_NS" sink0 10.81.9.2/24 "$NS_SINK" dut0 10.81.9.1/24
}

# start_dut DUT FIB TAG: sets DUT_PIDS and KPROTO (the protocol of its kernel routes).
start_dut() {
  local dut=$1 fib=$2 tag=$3
  DUT_NAME=dut-$tag
  KPROTO=12
  [ "$dut" = frr ] && KPROTO=186
  bench_dut_conf "$dut" "$DUT_NAME" "$fib"
  ZEBRA_PID=""
  bench_dut_start "$dut" "$DUT_NAME" "$DUT_NS" "$fib" --status "$LAB_DIR/$DUT_NAME.json" || return 1
  [ "$dut" != bird ] || bench_dut_ready bird "$DUT_NAME" 120
}

# kernel_count DEV...: the DUT's routes out of those devices (netlink dump).
kernel_count() {
  local total=0 dev c
  for dev in "$@"; do
    c=$(ip netns exec "$DUT_NS" "$FLOOR" count "$KPROTO" "$dev") || c=0
    total=$((total + c))
  done
  echo $total
}

run_dut() { # DUT ATTRS FIB ROUND
  local dut=$1 attrs=$2 fib=$3 round=$4 tag="$1-$2-$3-$4"
  local tags="attrs=$attrs fib=$fib"
  [ "$MODE" = paths ] && tags=""
  bench_wait_quiet
  lab_log "---- round $round, $dut, $tags (load $(cut -d' ' -f1-3 /proc/loadavg))"
  new_dut_ns "$tag"
  local reason=""
  if ! start_dut "$dut" "$fib" "$tag"; then
    reason=dut_did_not_start
  elif ! bench_wait 30 established sink dut; then
    reason=sink_session_not_established
  fi
  local p
  for p in "${DUT_PIDS[@]}"; do kill -0 "$p" 2> /dev/null || reason=dut_exited; done
  if [ -n "$reason" ]; then
    bench_result "$dut" "$round" "$tags" ok=0 "reason=$reason"
    bench_stop "${DUT_PIDS[@]}"
    bench_drop_ns "$DUT_NS"
    return 0
  fi
  sleep "$SETTLE" # End-of-RIB towards the sink, first status write

  local args=() k
  for k in $(seq "$FEEDERS"); do args+=(--feeder "$LAB_DIR/feeder$k.ctl,${FEEDER_PIDS[k]}"); done
  args+=(--sink "$LAB_DIR/sink.ctl,$SINK_PID" --count "$N" --settle "$SETTLE")
  args+=(--dut-pids "$(IFS=,; echo "${DUT_PIDS[*]}")")
  [ "$fib" = on ] && args+=(--kernel-pid "${DUT_PIDS[0]}" --kernel-count "$N")
  bench_is_other "$dut" && args+=(--limit "$OTHER_LIMIT")
  if ! "${OTHER_TS[@]}" $BENCH_PY "$ROOT/bench/table_poll.py" "${args[@]}" \
    > "$LAB_DIR/poll-$tag.out" 2> "$LAB_DIR/poll-$tag.err"; then
    cat "$LAB_DIR/poll-$tag.err" >&2
    reason=poller_failed
  fi
  # shellcheck disable=SC2034
  local t_all_up t_first t50 t99=NA t100=NA received=0 limited=0 kernel_s=NA kernel_routes hwm_kib=0 rss_kib
  # shellcheck disable=SC2034
  local cpu_dut=NA cpu_dut_at_end cpu_feeders cpu_feeders_at_end cpu_sink cpu_sink_at_end
  # shellcheck disable=SC2034
  local cpu_machine cpu_machine_at_end cpu_poller cpu_poller_at_end cpu_foreign=NA cpu_foreign_at_end
  eval "$(grep -E '^[a-z0-9_]+=[-0-9.NA]+$' "$LAB_DIR/poll-$tag.out" || true)"

  # Sanity: the full table at the sink and in the kernel, no session dropped on the way.
  local kcount=NA
  if [ "$fib" = on ] && [ -n "$FLOOR" ]; then
    local devs=()
    for k in $(seq "$FEEDERS"); do devs+=("feed$k"); done
    kcount=$(kernel_count "${devs[@]}")
  fi
  for k in $(seq "$FEEDERS"); do established "feeder$k" dut || reason+="${reason:+,}feeder${k}_session_dropped"; done
  established sink dut || reason+="${reason:+,}sink_session_dropped"
  [ "$received" = "$N" ] || [ "$limited" = 1 ] || reason+="${reason:+,}sink_has_${received}_of_$N"
  if [ "$fib" = on ] && [ "$limited" = 0 ]; then
    [ "$kernel_s" != NA ] || reason+="${reason:+,}kernel_incomplete"
    [ "$kcount" = NA ] || [ "$kcount" = "$N" ] || reason+="${reason:+,}kernel_has_${kcount}_of_$N"
  fi
  [ "$dut" = tern ] && [ -s "$LAB_DIR/$DUT_NAME.json" ] &&
    lab_log "tern status: $(tr -d '\n ' < "$LAB_DIR/$DUT_NAME.json" | cut -c1-400)"
  lab_log "$dut: t_first=$t_first t50=$t50 t99=$t99 t100=$t100 kernel=$kernel_s (dump: $kcount) received=$received;" \
    "CPU-s dut=$cpu_dut feeders=$cpu_feeders sink=$cpu_sink poller=$cpu_poller foreign=$cpu_foreign;" \
    "VmHWM=${hwm_kib} KiB${reason:+; FAILED: $reason}"
  [ "$limited" = 0 ] || lab_log "$dut: stopped at the ${OTHER_LIMIT} s limit with $received of $N at the sink"

  local kv="t99_s=$t99 t100_s=$t100"
  [ "$fib" = on ] && kv+=" kernel_s=$kernel_s"
  local rss_mib
  rss_mib=$(awk -v k="$hwm_kib" 'BEGIN { printf "%.1f", k / 1024 }')
  if [ "$limited" = 0 ]; then
    kv+=" cpu_s=$cpu_dut rss_mib=$rss_mib"
  else # what a stopped run used is a lower bound: kept apart from the complete runs' columns
    kv+=" limit_s=$OTHER_LIMIT received_at_limit=$received cpu_s_at_limit=$cpu_dut rss_mib_at_limit=$rss_mib"
  fi
  kv+=" foreign_cpu_s=$cpu_foreign"
  if [ -n "$reason" ]; then
    bench_result "$dut" "$round" "$tags" "$kv" ok=0 "reason=$reason"
  else
    bench_result "$dut" "$round" "$tags" "$kv" ok=1
  fi

  feeders_disable
  bench_stop "${DUT_PIDS[@]}"
  bench_drop_ns "$DUT_NS"
}

# The raw netlink floor: the same number of routes, written as fast as the kernel takes them.
run_floor() { # ATTRS ROUND
  local attrs=$1 round=$2 out s
  lab_ns "floor-$attrs-$round" FLOOR_NS
  local ns=$FLOOR_NS
  ip -n "$ns" link add feed1 type veth peer name dut0
  ip -n "$ns" link set feed1 up
  ip -n "$ns" link set dut0 up
  ip -n "$ns" addr add 10.81.1.2/24 dev feed1
  out=$(ip netns exec "$ns" "${DUT_TS[@]}" "$FLOOR" write "$N" 16.0.0.0/24 10.81.1.1 feed1 2>&1) || true
  s=$(echo "$out" | sed -nE 's/.*seconds=([0-9.]+).*/\1/p')
  local c
  c=$(ip netns exec "$ns" "$FLOOR" count 12 feed1 || echo 0)
  lab_log "floor: $out; kernel holds $c"
  if [ -n "$s" ] && [ "$c" = "$N" ]; then
    bench_result floor "$round" "attrs=$attrs fib=on" "kernel_s=$s" ok=1
  else
    bench_result floor "$round" "attrs=$attrs fib=on" ok=0 "reason=floor_wrote_${c}_of_$N"
  fi
  bench_drop_ns "$ns"
}

# ---------------------------------------------------------------- the rounds
for v in $VARIANTS; do
  attrs=${v%%:*}
  fib=${v#*:}
  for round in $(seq "$BENCH_N_RUNS"); do
    for dut in "${BENCH_USABLE[@]}"; do
      bench_in_round "$dut" "$round" || continue
      local_fib=$fib
      if [ "$dut" = gobgp ] && [ "$fib" = on ]; then
        [ "$round" = 1 ] && bench_skip gobgp "attrs=$attrs fib=on: GoBGP writes no kernel routes"
        # A smoke run is to prove every DUT's harness: GoBGP runs the variant without kernel.
        [ "$BENCH_IS_SMOKE" = 1 ] || continue
        local_fib=off
      fi
      start_feeders "$attrs"
      run_dut "$dut" "$attrs" "$local_fib" "$round"
    done
    if [ "$fib" = on ]; then
      if [ -n "$FLOOR" ]; then
        run_floor "$attrs" "$round"
      elif [ "$round" = 1 ]; then
        bench_skip floor "$BUILD/bench/fib_floor not built"
      fi
    fi
  done
done
exit $BENCH_FAILED
