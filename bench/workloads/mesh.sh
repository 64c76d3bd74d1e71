#!/usr/bin/env bash
# Workload "mesh" (issue 9): one DUT node in a Calico full mesh with N peers (500; BENCH_SMOKE:
# 8), each peer originating one /26 block; kernel writes on. The peers are N BIRDs (one per
# peer: BIRD 2.0.12 allows one session per neighbour address in a process), all in one
# namespace on one segment with the DUT, each on its own address, each with the bgp_template
# of Calico's confd (connect delay 2 s, retry 5 s, error wait 5-30 s) and the mesh's passive
# rule (the node whose address sorts lower as a string waits).
#
# Both directions: the DUT is 10.89.2.1; peers alternate between 10.89.1.x (and 10.89.0.x
# above 500), which sort before it, so the DUT connects to them while they wait, and
# 10.89.3.x (10.89.4.x), which sort after it, so they connect while the DUT waits: half and
# half. t0 is the DUT's start; the peers' sessions are enabled right after it, as when confd
# adds a new node's sessions, so the peers' own connect delay is inside the times.
#
# established_s: t0 until all N sessions are Established (from the peers' BIRDs);
# installed_s: t0 until the DUT's kernel main table holds all N blocks; cpu_s, rss_mib: the
# DUT's utime+stime up to 1 s after that, and its VmHWM (FRR: bgpd + zebra summed).
# peers_cpu_s: the peers' CPU over the same time.
#
# DUTs: tern (ternd fed Calico v3 manifests: BGPConfiguration with the mesh on, N+1 Nodes,
# the peers' BlockAffinities, an IPPool with ipipMode/vxlanMode Never, so blocks are routed
# "via <peer> dev <if>"), bird (calico_bird_config: confd's bird.cfg with the kernel protocol),
# frr (zebra + bgpd, neighbours with the same passive rule), gobgp (GOMAXPROCS=1; no FIB:
# established_s only, installed_s is reported as SKIP).
#
# Fresh namespaces per run (no warm neighbour cache, no routes left by the previous DUT).
# Addresses 10.89.0.0/16 (segment), 10.90.0.0/16 (blocks), only inside those namespaces.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=bench/lib/bench.sh disable=SC1091
source "$ROOT/bench/lib/bench.sh"

bench_init mesh
bench_size N 500 8 2 1000
TIMEOUT=${BENCH_TIMEOUT:-$((20 + N / 20))}
AS=64512
DUT_IP=10.89.2.1
POOL=10.90.0.0/16

# peer_ip I: even I below DUT_IP in string order, odd I above it.
PIP=()
BLK=()
for ((i = 0; i < N; i++)); do
  k=$((i / 2))
  if [ $((i % 2)) = 0 ]; then
    if [ $k -lt 250 ]; then PIP[i]=10.89.1.$((k + 1)); else PIP[i]=10.89.0.$((k - 248)); fi
  else
    if [ $k -lt 250 ]; then PIP[i]=10.89.3.$((k + 1)); else PIP[i]=10.89.4.$((k - 249)); fi
  fi
  BLK[i]=$(bench_block_of 10.90 $i)
done
DUT_ACTIVE=0
for ((i = 0; i < N; i++)); do calico_mesh_passive "${PIP[i]}" $DUT_IP && DUT_ACTIVE=$((DUT_ACTIVE + 1)); done
lab_log "$N peers: the DUT connects to $DUT_ACTIVE, $((N - DUT_ACTIVE)) connect to the DUT"

# ---------------------------------------------------------------- configs (outside the clock)

peer_conf() {
  local passive=""
  calico_mesh_passive "${PIP[$1]}" $DUT_IP && passive="passive on;"
  cat << EOF
router id ${PIP[$1]};
protocol device { scan time 60; }
protocol static own { ipv4; route ${BLK[$1]} blackhole; }
protocol bgp peer {
  disabled;
  local ${PIP[$1]} as $AS; neighbor $DUT_IP as $AS;
  strict bind on; graceful restart; $passive
  connect delay time 2; connect retry time 5; error wait time 5,30;
  ipv4 { import all; export where proto = "own"; };
}
EOF
}

dut_conf_tern() {
  local i
  calico_bgpconfig $AS
  calico_node dut $DUT_IP/16
  calico_pool default-pool $POOL Never Never 26
  for ((i = 0; i < N; i++)); do
    calico_node "p$i" "${PIP[i]}/16"
    calico_block "p$i-block" "p$i" "${BLK[i]}" confirmed
  done
}

dut_conf_frr() {
  local i
  bench_frr_head $AS $DUT_IP
  cat << EOF
 no bgp network import-check
 bgp graceful-restart
 coalesce-time 100
 neighbor mesh peer-group
 neighbor mesh remote-as $AS
 neighbor mesh update-source $DUT_IP
 neighbor mesh timers connect 5
EOF
  for ((i = 0; i < N; i++)); do
    echo " neighbor ${PIP[i]} peer-group mesh"
    calico_mesh_passive $DUT_IP "${PIP[i]}" && echo " neighbor ${PIP[i]} passive"
  done
  echo " address-family ipv4 unicast"
  echo " exit-address-family"
}

dut_conf_gobgp() {
  local i passive
  bench_gobgp_global $AS $DUT_IP $DUT_IP
  for ((i = 0; i < N; i++)); do
    passive=false
    calico_mesh_passive $DUT_IP "${PIP[i]}" && passive=true
    bench_gobgp_neighbor "${PIP[i]}" $AS retry=5 local=$DUT_IP passive=$passive afi
  done
}

dut_conf_bird() {
  echo "log \"$LAB_DIR/$DUT_NAME.log\" { warning, error, fatal };"
  calico_bird_config $DUT_IP $AS "" "$POOL:Never" "${PIP[*]}" 10.89.0.0/16
}

# ---------------------------------------------------------------- one run

# start_dut: called by bench_clocked_run at t0. FRR's zebra is already up (started before t0,
# like the kernel-facing half of a node); bgpd is the start that is timed, and both count for
# CPU and memory.
start_dut() { bench_dut_start "$DUT" "$DUT_NAME" "$NS_DUT" on; }

SKIPPED_FIB=""
run_one() {
  local dut=$1 run=$2 i kernel=(--ns "" --kernel-prefix "$POOL")
  DUT=$dut
  DUT_NAME=dut-$dut-$run
  if [ "$dut" = gobgp ]; then
    kernel=()
    [ -n "$SKIPPED_FIB" ] || bench_skip "$dut" "installed_s: gobgpd has no FIB, established_s only"
    SKIPPED_FIB=1
  fi
  bench_wait_quiet
  lab_log "---- run $run, DUT $dut, $N mesh peers (load $(cut -d' ' -f1 /proc/loadavg))"
  lab_ns "dut$run$dut" NS_DUT
  lab_ns "peers$run$dut" NS_PEERS
  lab_link "$NS_DUT" $DUT_IP/16 "$NS_PEERS" 10.89.0.1/16
  local ifc
  ifc=$(ip -n "$NS_PEERS" -o -4 addr show | awk '$4 == "10.89.0.1/16" {print $2}')
  for ((i = 0; i < N; i++)); do echo "addr add ${PIP[i]}/16 dev $ifc"; done |
    ip -n "$NS_PEERS" -batch -
  [ ${#kernel[@]} = 0 ] || kernel[1]=$NS_DUT

  bench_peers_up "$LAB_DIR/peers" "$NS_PEERS" "$N" peer_conf
  bench_dut_conf "$dut" "$DUT_NAME" on
  ZEBRA_PID=""
  local out=$LAB_DIR/poll-$DUT_NAME.out
  if [ "$dut" = frr ] && ! bench_zebra "$DUT_NAME" "$NS_DUT"; then
    echo "ok=0 reason=zebra_did_not_start" > "$out"
    DUT_PIDS=("$ZEBRA_PID")
  else
    bench_clocked_run mesh "$LAB_DIR/peers" "$N" "$out" start_dut --timeout "$TIMEOUT" "${kernel[@]}"
    grep -q '^ok=1' "$out" ||
      lab_log "$dut did not finish; peers' sessions: $(bench_peers_state "$LAB_DIR/peers" "$N")"
  fi
  bench_poll_result "$dut" "$run" "$out" "peers=$N dut_connects=$DUT_ACTIVE"
  bench_stop "${DUT_PIDS[@]}" "${PEER_PIDS[@]}"
  bench_drop_ns "$NS_DUT"
  bench_drop_ns "$NS_PEERS"
}

bench_machine "size=$N"
bench_rounds run_one
