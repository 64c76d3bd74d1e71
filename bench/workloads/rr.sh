#!/usr/bin/env bash
# Workload "rr" (issue 9): the DUT is a route reflector for N iBGP clients (1,000; BENCH_SMOKE:
# 20), each client originating one /26. The clients are N BIRDs, one per client: BIRD 2.0.12
# locks one session per neighbour address in a process (the lock ignores the local address),
# so one BIRD with many protocols towards one DUT leaves all but one Idle. Each BIRD has its
# own address (on the clients namespace's lo, reached through one routed veth, so the DUT's
# neighbour table holds one entry rather than N; "strict bind" so each listens on its own).
#
#   dut ns (10.86.0.1) --veth-- clients ns (10.86.0.2; clients 10.87.a.b/32 on lo)
#
# Both ends connect, as Calico's node-specific peerings (BGPPeer peerSelector) do: the
# clients carry Calico's bgp_template timers (connect delay 2 s, retry 5 s, error wait 5-30 s)
# and start disabled; t0 is the DUT's start, and the clients are enabled right after it, so a
# DUT that has not connected to a client by ~1.5-2 s gets that client's connection instead
# (and collisions happen, as in a cluster).
#
# conv_s: t0 until every client's BIRD holds the N-1 other blocks learned from the DUT;
# est_s: t0 until all N sessions are Established (both from the clients' side). cpu_s, rss_mib:
# the DUT's utime+stime up to 1 s after convergence, and its VmHWM. peers_cpu_s: the clients'
# BIRD CPU from t0 to convergence (when it nears conv_s, the clients are the limit).
# Kernel writes are off for every DUT (the RR programs nothing; ternd --no-fib, bgpd -Z).
#
# DUTs: tern (ternd, Calico v3 manifests: the RR Node with routeReflectorClusterID and label
# route-reflector=true, N client Nodes with their BlockAffinities, mesh off, BGPPeer
# all() -> route-reflector == 'true'), bird (confd's RR rendering: one "rr client" protocol
# per client), frr (bgpd -Z, one peer-group "clients" as route-reflector-client, the clients
# listed as its members, advertisement-interval 0, coalesce-time 100 as in rib_bench.sh),
# gobgp (one neighbor per client, route-reflector-client, GOMAXPROCS=1).
#
# Addresses 10.86.0.0/24, 10.87.0.0/16 (clients), 10.88.0.0/16 (blocks), only inside the
# namespaces created here.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORKLOAD=rr
# shellcheck source=interop/lib/lab.sh disable=SC1091
source "$ROOT/interop/lib/lab.sh"
# shellcheck source=interop/lib/calico.sh disable=SC1091
source "$ROOT/interop/lib/calico.sh"
# shellcheck source=bench/lib/manypeers.sh disable=SC1091
source "$ROOT/bench/lib/manypeers.sh"

N=${BENCH_SIZE:-1000}
[ -n "${BENCH_SMOKE:-}" ] && N=${BENCH_SIZE:-20}
[ "$N" -ge 2 ] && [ "$N" -le 1000 ] || { echo "rr: size $N out of range (2..1000)" >&2; exit 2; }
TIMEOUT=${BENCH_TIMEOUT:-$((30 + N / 20))}
AS=64512
CLUSTER=244.0.0.1
DUT_IP=10.86.0.1
GW=10.86.0.2

lab_init bench-rr
lab_ns dut NS_DUT
lab_ns clients NS_CL
lab_link "$NS_DUT" $DUT_IP/24 "$NS_CL" $GW/24
ip -n "$NS_DUT" route add 10.87.0.0/16 via $GW

CIP=()
BLK=()
for ((i = 0; i < N; i++)); do
  CIP[i]=$(ip_of 10.87 $i)
  BLK[i]=$(block_of 10.88 $i)
done
for ((i = 0; i < N; i++)); do echo "addr add ${CIP[i]}/32 dev lo"; done |
  ip -n "$NS_CL" -batch -

# ---------------------------------------------------------------- configs (outside the clock)

# clients_conf I: client I as a Calico node's BIRD is towards its RR (bgp_template timers),
# started disabled; "own" is its block, "nh" the IGP route through which the reflected next
# hops (other clients' addresses) resolve.
clients_conf() {
  cat << EOF2
router id ${CIP[$1]};
protocol device { scan time 60; }
protocol static own { ipv4; route ${BLK[$1]} blackhole; }
protocol static nh { ipv4; route 10.87.0.0/16 via "lo"; }
protocol bgp peer {
  disabled;
  local ${CIP[$1]} as $AS; neighbor $DUT_IP as $AS;
  multihop; strict bind on; graceful restart;
  connect delay time 2; connect retry time 5; error wait time 5,30;
  ipv4 { import all; export where proto = "own"; };
}
EOF2
}

tern_intent() {
  local i
  cat << EOF
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  asNumber: $AS
  nodeToNodeMeshEnabled: false
---
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: rr
  labels:
    route-reflector: "true"
spec:
  bgp:
    ipv4Address: $DUT_IP/24
    routeReflectorClusterID: $CLUSTER
EOF
  calico_pool default-pool 10.88.0.0/16 Never Never 26
  printf -- '---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: %s\nspec:\n  nodeSelector: all()\n  peerSelector: route-reflector == '"'true'"'\n' \
    peer-with-route-reflectors
  for ((i = 0; i < N; i++)); do
    printf -- '---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: c%d\nspec:\n  bgp:\n    ipv4Address: %s/16\n' \
      $i "${CIP[i]}"
    printf -- '---\napiVersion: projectcalico.org/v3\nkind: BlockAffinity\nmetadata:\n  name: c%d-block\nspec:\n  node: c%d\n  cidr: %s\n  state: confirmed\n' \
      $i $i "${BLK[i]}"
  done
}

# BIRD as confd renders a route reflector node (reference 3.4), kernel protocol left out
# (kernel writes off); the static 10.87.0.0/16 is the IGP route next hops resolve through.
bird_conf() {
  local i
  cat << EOF
router id $DUT_IP;
log "$LAB_DIR/$1.log" { warning, error, fatal };
protocol device { scan time 2; }
protocol static igp_route { ipv4; route 10.87.0.0/16 via $GW; }
function calico_export_to_bgp_peers(bool internal_peer) {
  if ( net ~ 10.88.0.0/16 ) then { accept; }
}
template bgp bgp_template {
  local as $AS;
  graceful restart;
  connect delay time 2; connect retry time 5; error wait time 5,30;
  ipv4 { gateway recursive; import all; export filter { calico_export_to_bgp_peers(true); reject; }; };
}
EOF
  for ((i = 0; i < N; i++)); do
    printf 'protocol bgp Node_%s from bgp_template {\n  ttl security off; multihop;\n' "${CIP[i]//./_}"
    printf '  neighbor %s as %d; source address %s;\n  rr client; rr cluster id %s;\n}\n' \
      "${CIP[i]}" $AS $DUT_IP $CLUSTER
  done
}

frr_conf() {
  local i
  cat << EOF
frr defaults traditional
hostname rr
log file $1 warnings
router bgp $AS
 bgp router-id $DUT_IP
 bgp cluster-id $CLUSTER
 no bgp network import-check
 coalesce-time 100
 neighbor clients peer-group
 neighbor clients remote-as $AS
 neighbor clients update-source $DUT_IP
 neighbor clients timers connect 5
 neighbor clients advertisement-interval 0
EOF
  for ((i = 0; i < N; i++)); do echo " neighbor ${CIP[i]} peer-group clients"; done
  cat << EOF
 address-family ipv4 unicast
  neighbor clients route-reflector-client
 exit-address-family
EOF
}

gobgp_conf() {
  local i
  cat << EOF
[global.config]
  as = $AS
  router-id = "$DUT_IP"
  local-address-list = ["$DUT_IP"]
EOF
  for ((i = 0; i < N; i++)); do
    cat << EOF
[[neighbors]]
  [neighbors.config]
    neighbor-address = "${CIP[i]}"
    peer-as = $AS
  [neighbors.timers.config]
    connect-retry = 5
  [neighbors.transport.config]
    local-address = "$DUT_IP"
  [neighbors.route-reflector.config]
    route-reflector-client = true
    route-reflector-cluster-id = "$CLUSTER"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
EOF
  done
}

# ---------------------------------------------------------------- one run

run_one() {
  local dut=$1 run=$2 tag="$1-$2"
  case $dut in
    tern) [ -x "$TERND" ] || { skip "$dut ternd_not_built_at_$TERND"; return; } ;;
    bird | frr | gobgp) ;;
    *) skip "$dut unknown_dut"; return ;;
  esac
  BUSY_NOTE=""
  wait_quiet
  lab_log "---- run $run, DUT $dut, $N clients (load $(cut -d' ' -f1 /proc/loadavg))"
  peers_up "$LAB_DIR/clients" "$NS_CL" "$N" clients_conf
  TAG=$tag
  case $dut in
    tern)
      tern_intent > "$LAB_DIR/intent-$tag.yaml"
      rm -f "$LAB_DIR/tern-$tag.pb"
      ;;
    bird) bird_conf "dut-$tag" > "$LAB_DIR/dut-$tag.conf" ;;
    frr)
      frr_dir "$tag" "$NS_DUT"
      frr_conf "$FRR_D/bgpd.log" > "$FRR_D/bgpd.conf"
      chown -R frr:frr "$FRR_D"
      ;;
    gobgp) gobgp_conf > "$LAB_DIR/dut-$tag.toml" ;;
  esac
  clocked_run rr "$LAB_DIR/clients" "$N" "$LAB_DIR/poll-$tag.out" "start_$dut" --timeout "$TIMEOUT"
  if ! grep -q '^ok=1' "$LAB_DIR/poll-$tag.out"; then
    lab_log "$dut did not converge; clients' sessions: $(for ((i = 0; i < N; i++)); do
      birdc -s "$LAB_DIR/clients/$i.ctl" show protocols peer | awk '$1 == "peer" {print $6}'
    done | sort | uniq -c | tr '\n' ' ')"
  fi
  poll_result "$dut" "$run" "$LAB_DIR/poll-$tag.out" "clients=$N"
  # shellcheck disable=SC2086
  stop_pids ${DUT_PIDS//,/ } "${PEER_PIDS[@]}"
}

# start_DUT: spawn the DUT pinned to its CPU, set DUT_PIDS (called by clocked_run at t0).
start_tern() {
  lab_spawn "dut-$TAG" "$NS_DUT" "${DUT_TS[@]}" "$TERND" --node-name rr \
    --intent "$LAB_DIR/intent-$TAG.yaml" --store "$LAB_DIR/tern-$TAG.pb" --no-fib \
    --api-socket none --rest-listen none --log-level warn
  DUT_PIDS=$LAB_LAST_PID
}
start_bird() {
  lab_spawn "dut-$TAG" "$NS_DUT" "${DUT_TS[@]}" bird -f -c "$LAB_DIR/dut-$TAG.conf" \
    -s "$LAB_DIR/dut-$TAG.ctl"
  DUT_PIDS=$LAB_LAST_PID
}
start_frr() {
  lab_spawn "dut-$TAG" "$NS_DUT" "${DUT_TS[@]}" /usr/lib/frr/bgpd -Z "${FRR_COMMON[@]}" \
    -i "$FRR_D/bgpd.pid" -f "$FRR_D/bgpd.conf"
  DUT_PIDS=$LAB_LAST_PID
}
start_gobgp() {
  lab_spawn "dut-$TAG" "$NS_DUT" "${DUT_TS[@]}" env GOMAXPROCS=1 gobgpd \
    -f "$LAB_DIR/dut-$TAG.toml" --api-hosts "unix://$LAB_DIR/dut-$TAG.sock" \
    --log-level warn --pprof-disable
  DUT_PIDS=$LAB_LAST_PID
}

machine_line
for r in $(seq "$RUNS"); do
  for d in $DUTS; do run_one "$d" "$r"; done
done
exit $FAILED
