#!/usr/bin/env bash
# Workload "rr" (issue 9): the DUT is a route reflector for N iBGP clients (1,000; BENCH_SMOKE:
# 8), each client originating one /26. The clients are N BIRDs, one per client: BIRD 2.0.12
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
# shellcheck source=bench/lib/bench.sh disable=SC1091
source "$ROOT/bench/lib/bench.sh"

bench_init rr
bench_size N 1000 8 2 1000
TIMEOUT=${BENCH_TIMEOUT:-$((30 + N / 20))}
AS=64512
CLUSTER=244.0.0.1
DUT_IP=10.86.0.1
GW=10.86.0.2
TERN_NODE=rr

lab_ns dut NS_DUT
lab_ns clients NS_CL
lab_link "$NS_DUT" $DUT_IP/24 "$NS_CL" $GW/24
ip -n "$NS_DUT" route add 10.87.0.0/16 via $GW

CIP=()
BLK=()
for ((i = 0; i < N; i++)); do
  CIP[i]=$(bench_ip_of 10.87 $i)
  BLK[i]=$(bench_block_of 10.88 $i)
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

dut_conf_tern() {
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
dut_conf_bird() {
  local i
  cat << EOF
router id $DUT_IP;
log "$LAB_DIR/$DUT_NAME.log" { warning, error, fatal };
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

dut_conf_frr() {
  local i
  bench_frr_head $AS $DUT_IP
  cat << EOF
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

dut_conf_gobgp() {
  local i
  bench_gobgp_global $AS $DUT_IP $DUT_IP
  for ((i = 0; i < N; i++)); do
    bench_gobgp_neighbor "${CIP[i]}" $AS retry=5 local=$DUT_IP rr=$CLUSTER afi
  done
}

# ---------------------------------------------------------------- one run

run_one() {
  local dut=$1 run=$2
  DUT=$dut
  DUT_NAME=dut-$dut-$run
  bench_wait_quiet
  lab_log "---- run $run, DUT $dut, $N clients (load $(cut -d' ' -f1 /proc/loadavg))"
  bench_peers_up "$LAB_DIR/clients" "$NS_CL" "$N" clients_conf
  bench_dut_conf "$dut" "$DUT_NAME" off
  local out=$LAB_DIR/poll-$DUT_NAME.out
  bench_clocked_run rr "$LAB_DIR/clients" "$N" "$out" start_dut --timeout "$TIMEOUT"
  grep -q '^ok=1' "$out" ||
    lab_log "$dut did not converge; clients' sessions: $(bench_peers_state "$LAB_DIR/clients" "$N")"
  bench_poll_result "$dut" "$run" "$out" "clients=$N"
  bench_stop "${DUT_PIDS[@]}" "${PEER_PIDS[@]}"
}

# start_dut: called by bench_clocked_run at t0.
start_dut() { bench_dut_start "$DUT" "$DUT_NAME" "$NS_DUT" off; }

bench_machine "size=$N"
bench_rounds run_one
