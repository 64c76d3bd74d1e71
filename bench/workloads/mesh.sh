#!/usr/bin/env bash
# Workload "mesh" (issue 9): one DUT node in a Calico full mesh with N peers (500; BENCH_SMOKE:
# 20), each peer originating one /26 block; kernel writes on. The peers are N BIRDs (one per
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
WORKLOAD=mesh
# shellcheck source=interop/lib/lab.sh disable=SC1091
source "$ROOT/interop/lib/lab.sh"
# shellcheck source=interop/lib/calico.sh disable=SC1091
source "$ROOT/interop/lib/calico.sh"
# shellcheck source=bench/lib/manypeers.sh disable=SC1091
source "$ROOT/bench/lib/manypeers.sh"

N=${BENCH_SIZE:-500}
[ -n "${BENCH_SMOKE:-}" ] && N=${BENCH_SIZE:-20}
[ "$N" -ge 2 ] && [ "$N" -le 1000 ] || { echo "mesh: size $N out of range (2..1000)" >&2; exit 2; }
TIMEOUT=${BENCH_TIMEOUT:-$((20 + N / 20))}
AS=64512
DUT_IP=10.89.2.1
POOL=10.90.0.0/16

lab_init bench-mesh

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
  BLK[i]=$(block_of 10.90 $i)
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

tern_intent() {
  local i
  calico_bgpconfig $AS
  calico_node dut $DUT_IP/16
  calico_pool default-pool $POOL Never Never 26
  for ((i = 0; i < N; i++)); do
    calico_node "p$i" "${PIP[i]}/16"
    calico_block "p$i-block" "p$i" "${BLK[i]}" confirmed
  done
}

frr_bgpd_conf() {
  local i
  cat << EOF
frr defaults traditional
hostname dut
log file $1 warnings
router bgp $AS
 bgp router-id $DUT_IP
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

gobgp_conf() {
  local i passive
  cat << EOF
[global.config]
  as = $AS
  router-id = "$DUT_IP"
  local-address-list = ["$DUT_IP"]
EOF
  for ((i = 0; i < N; i++)); do
    passive=false
    calico_mesh_passive $DUT_IP "${PIP[i]}" && passive=true
    cat << EOF
[[neighbors]]
  [neighbors.config]
    neighbor-address = "${PIP[i]}"
    peer-as = $AS
  [neighbors.timers.config]
    connect-retry = 5
  [neighbors.transport.config]
    local-address = "$DUT_IP"
    passive-mode = $passive
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
EOF
  done
}

# ---------------------------------------------------------------- one run

start_tern() {
  lab_spawn "dut-$TAG" "$NS_DUT" "${DUT_TS[@]}" "$TERND" --node-name dut \
    --intent "$LAB_DIR/intent-$TAG.yaml" --store "$LAB_DIR/tern-$TAG.pb" \
    --api-socket none --rest-listen none --log-level warn
  DUT_PIDS=$LAB_LAST_PID
}
start_bird() {
  lab_spawn "dut-$TAG" "$NS_DUT" "${DUT_TS[@]}" bird -f -c "$LAB_DIR/dut-$TAG.conf" \
    -s "$LAB_DIR/dut-$TAG.ctl"
  DUT_PIDS=$LAB_LAST_PID
}
# zebra is already up (started before t0, like the kernel-facing half of a node); bgpd is
# the start that is timed, and both count for CPU and memory.
start_frr() {
  lab_spawn "dut-$TAG" "$NS_DUT" "${DUT_TS[@]}" /usr/lib/frr/bgpd "${FRR_COMMON[@]}" \
    -i "$FRR_D/bgpd.pid" -f "$FRR_D/bgpd.conf"
  DUT_PIDS=$ZEBRA_PID,$LAB_LAST_PID
}
start_gobgp() {
  lab_spawn "dut-$TAG" "$NS_DUT" "${DUT_TS[@]}" env GOMAXPROCS=1 gobgpd \
    -f "$LAB_DIR/dut-$TAG.toml" --api-hosts "unix://$LAB_DIR/dut-$TAG.sock" \
    --log-level warn --pprof-disable
  DUT_PIDS=$LAB_LAST_PID
}

SKIPPED_FIB=""
run_one() {
  local dut=$1 run=$2 tag="$1-$2" i kernel=(--ns "" --kernel-prefix "$POOL")
  case $dut in
    tern) [ -x "$TERND" ] || { skip "$dut ternd_not_built_at_$TERND"; return; } ;;
    bird | frr) ;;
    gobgp)
      kernel=()
      [ -n "$SKIPPED_FIB" ] || skip "$dut installed_s gobgpd_has_no_FIB_established_s_only"
      SKIPPED_FIB=1
      ;;
    *) skip "$dut unknown_dut"; return ;;
  esac
  BUSY_NOTE=""
  wait_quiet
  lab_log "---- run $run, DUT $dut, $N mesh peers (load $(cut -d' ' -f1 /proc/loadavg))"
  lab_ns "dut$run$dut" NS_DUT
  lab_ns "peers$run$dut" NS_PEERS
  lab_link "$NS_DUT" $DUT_IP/16 "$NS_PEERS" 10.89.0.1/16
  local ifc
  ifc=$(ip -n "$NS_PEERS" -o -4 addr show | awk '$4 == "10.89.0.1/16" {print $2}')
  for ((i = 0; i < N; i++)); do echo "addr add ${PIP[i]}/16 dev $ifc"; done |
    ip -n "$NS_PEERS" -batch -
  [ ${#kernel[@]} = 0 ] || kernel[1]=$NS_DUT

  peers_up "$LAB_DIR/peers" "$NS_PEERS" "$N" peer_conf
  TAG=$tag
  ZEBRA_PID=""
  case $dut in
    tern)
      tern_intent > "$LAB_DIR/intent-$tag.yaml"
      rm -f "$LAB_DIR/tern-$tag.pb"
      ;;
    bird)
      {
        echo "log \"$LAB_DIR/dut-$tag.log\" { warning, error, fatal };"
        calico_bird_config $DUT_IP $AS "" "$POOL:Never" "${PIP[*]}" 10.89.0.0/16
      } > "$LAB_DIR/dut-$tag.conf"
      ;;
    frr)
      frr_dir "$tag" "$NS_DUT"
      echo "hostname dut" > "$FRR_D/zebra.conf"
      frr_bgpd_conf "$FRR_D/bgpd.log" > "$FRR_D/bgpd.conf"
      chown -R frr:frr "$FRR_D"
      lab_spawn "zebra-$tag" "$NS_DUT" "${DUT_TS[@]}" /usr/lib/frr/zebra "${FRR_COMMON[@]}" \
        -i "$FRR_D/zebra.pid" -f "$FRR_D/zebra.conf" --log "file:$FRR_D/zebra.log"
      ZEBRA_PID=$LAB_LAST_PID
      lab_wait_for 10 "zebra socket" test -S "/var/run/frr/$NS_DUT/zserv.api"
      ;;
    gobgp) gobgp_conf > "$LAB_DIR/dut-$tag.toml" ;;
  esac
  clocked_run mesh "$LAB_DIR/peers" "$N" "$LAB_DIR/poll-$tag.out" "start_$dut" \
    --timeout "$TIMEOUT" "${kernel[@]}"
  if ! grep -q '^ok=1' "$LAB_DIR/poll-$tag.out"; then
    lab_log "$dut did not finish; peers' sessions: $(for ((i = 0; i < N; i++)); do
      birdc -s "$LAB_DIR/peers/$i.ctl" show protocols peer | awk '$1 == "peer" {print $6}'
    done | sort | uniq -c | tr '\n' ' ')"
  fi
  poll_result "$dut" "$run" "$LAB_DIR/poll-$tag.out" "peers=$N dut_connects=$DUT_ACTIVE"
  # shellcheck disable=SC2086
  stop_pids ${DUT_PIDS//,/ } "${PEER_PIDS[@]}"
  ip netns del "$NS_DUT"
  ip netns del "$NS_PEERS"
}

machine_line
for r in $(seq "$RUNS"); do
  for d in $DUTS; do run_one "$d" "$r"; done
done
exit $FAILED
