#!/usr/bin/env bash
# Workload "rr" (issue 9): the DUT is a route reflector for N iBGP clients (1,000; BENCH_SMOKE:
# 8), each client originating one /26. The clients are played by a few BIRDs with many BGP
# protocols each (PER of them; 50 at full size). BIRD 2.0.12 locks one session per neighbour
# address in a process (the lock ignores the local address), so the DUT has PER addresses and
# protocol p of every client BIRD talks to the DUT's address p. Each client has its own
# address and router id (its protocol's "router id": the reflected ORIGINATOR_ID of a sibling
# in the same BIRD must not look like the BIRD's own), so to the DUT they are N routers.
#
#   dut ns (10.86.0.1; lo 10.86.1.p+1, p < PER)
#     --veth-- clients ns (10.86.0.2; client of BIRD b, protocol p: 10.87.p.b+1/32 on lo)
#
# The DUT reaches the clients of slot p through a route "10.87.p.0/24 via 10.86.0.2 src
# 10.86.1.p+1", so every DUT connects from the address those clients expect without a per-peer
# source setting (tern: BGPPeer sourceAddress None; BIRD, FRR, GoBGP: no source address). The
# DUT's neighbour table holds one entry, not N.
#
# Both ends connect, as Calico's node-specific peerings (BGPPeer peerSelector) do: the
# clients carry Calico's bgp_template timers (connect delay 2 s, retry 5 s, error wait 5-30 s)
# and start disabled; t0 is the DUT's start, and the clients are enabled right after it, so a
# DUT that has not connected to a client by ~1.5-2 s gets that client's connection instead
# (and collisions happen, as in a cluster).
#
# conv_s: t0 until every client holds the N-1 other blocks learned from the DUT (its
# protocol's imported routes); est_s: t0 until all N sessions are Established (both from the
# clients' side). cpu_s, rss_mib: the DUT's utime+stime up to 1 s after convergence, and its
# VmHWM. peers_cpu_s: the clients' BIRD CPU from t0 to convergence (when it nears conv_s, the
# clients are the limit).
# Kernel writes are off for every DUT (the RR programs nothing; ternd --no-fib, bgpd -Z).
#
# DUTs: tern (ternd, Calico v3 manifests: the RR Node with routeReflectorClusterID and label
# route-reflector=true, N client Nodes with their BlockAffinities, mesh off, BGPPeer
# all() -> route-reflector == 'true'), bird (confd's RR rendering: one "rr client" protocol
# per client), frr (bgpd -Z, one peer-group "clients" as route-reflector-client, the clients
# listed as its members, advertisement-interval 0, coalesce-time 100 as in rib_bench.sh),
# gobgp (one neighbor per client, route-reflector-client, GOMAXPROCS=1).
#
# Addresses 10.86.0.0/23, 10.87.0.0/16 (clients), 10.88.0.0/16 (blocks), only inside the
# namespaces created here.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=bench/lib/bench.sh disable=SC1091
source "$ROOT/bench/lib/bench.sh"

bench_init rr
bench_size N 1000 8 2 1000
# BIRD as the DUT needed over 80 s for 1,000 clients on the 2-core VM (2026-11-28).
TIMEOUT=${BENCH_TIMEOUT:-$((30 + N / 6))}
AS=64512
CLUSTER=244.0.0.1
DUT_IP=10.86.0.1
GW=10.86.0.2
TERN_NODE=rr
# Clients per BIRD: about 50, and never one BIRD for all (two at least, as a cluster has).
PER=$(((N + 1) / 2))
[ $PER -gt 50 ] && PER=50
BIRDS=$(((N + PER - 1) / PER))

lab_ns dut NS_DUT
lab_ns clients NS_CL
lab_link "$NS_DUT" $DUT_IP/24 "$NS_CL" $GW/24
ip -n "$NS_CL" route add 10.86.1.0/24 via $DUT_IP

# DA[p]: the DUT's address for slot p; client I is slot I % PER of BIRD I / PER.
DA=()
for ((p = 0; p < PER; p++)); do DA[p]=10.86.1.$((p + 1)); done
for ((p = 0; p < PER; p++)); do
  echo "addr add ${DA[p]}/32 dev lo"
  echo "route add 10.87.$p.0/24 via $GW src ${DA[p]}"
done | ip -n "$NS_DUT" -batch -
CIP=()
BLK=()
for ((i = 0; i < N; i++)); do
  CIP[i]=10.87.$((i % PER)).$((i / PER + 1))
  BLK[i]=$(bench_block_of 10.88 $i)
done
for ((i = 0; i < N; i++)); do echo "addr add ${CIP[i]}/32 dev lo"; done |
  ip -n "$NS_CL" -batch -

# ---------------------------------------------------------------- configs (outside the clock)

# clients_conf B: BIRD B, which plays clients B*PER.. as Calico nodes' BIRDs are towards their
# RR (bgp_template timers), started disabled; "own<p>" is client p's block, "nh" the IGP route
# through which the reflected next hops (other clients' addresses) resolve.
clients_conf() {
  local b=$1 p i
  cat << EOF2
router id ${CIP[b * PER]};
protocol device { scan time 60; }
protocol static nh { ipv4; route 10.87.0.0/16 via "lo"; }
EOF2
  for ((p = 0; p < PER && b * PER + p < N; p++)); do
    i=$((b * PER + p))
    cat << EOF2
protocol static own$p { ipv4; route ${BLK[i]} blackhole; }
protocol bgp peer$p {
  disabled; router id ${CIP[i]};
  local ${CIP[i]} as $AS; neighbor ${DA[p]} as $AS;
  multihop; strict bind on; graceful restart;
  connect delay time 2; connect retry time 5; error wait time 5,30;
  ipv4 { import all; export where proto = "own$p"; };
}
EOF2
  done
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
  printf -- '---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: %s\nspec:\n  nodeSelector: all()\n  peerSelector: route-reflector == '"'true'"'\n  sourceAddress: None\n' \
    peer-with-route-reflectors
  for ((i = 0; i < N; i++)); do
    printf -- '---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: c%d\nspec:\n  bgp:\n    ipv4Address: %s/16\n' \
      $i "${CIP[i]}"
    printf -- '---\napiVersion: projectcalico.org/v3\nkind: BlockAffinity\nmetadata:\n  name: c%d-block\nspec:\n  node: c%d\n  cidr: %s\n  state: confirmed\n' \
      $i $i "${BLK[i]}"
  done
}

# BIRD as confd renders a route reflector node (reference 3.4), kernel protocol left out
# (kernel writes off) and no "source address" (the route to each slot picks it); the static
# 10.87.0.0/16 is the IGP route next hops resolve through.
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
    printf '  neighbor %s as %d;\n  rr client; rr cluster id %s;\n}\n' "${CIP[i]}" $AS $CLUSTER
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
    bench_gobgp_neighbor "${CIP[i]}" $AS retry=5 rr=$CLUSTER afi
  done
}

# ---------------------------------------------------------------- one run

run_one() {
  local dut=$1 run=$2
  DUT=$dut
  DUT_NAME=dut-$dut-$run
  bench_wait_quiet
  lab_log "---- run $run, DUT $dut, $N clients (load $(cut -d' ' -f1 /proc/loadavg))"
  bench_peers_up "$LAB_DIR/clients" "$NS_CL" "$BIRDS" clients_conf
  bench_dut_conf "$dut" "$DUT_NAME" off
  local out=$LAB_DIR/poll-$DUT_NAME.out
  bench_clocked_run rr "$LAB_DIR/clients" "$N" "$out" start_dut --timeout "$TIMEOUT" \
    --per-bird "$PER"
  grep -q '^ok=1' "$out" ||
    lab_log "$dut did not converge; clients' sessions: $(bench_peers_state "$LAB_DIR/clients" "$BIRDS")"
  bench_poll_result "$dut" "$run" "$out" "clients=$N"
  bench_stop "${DUT_PIDS[@]}" "${PEER_PIDS[@]}"
}

# start_dut: called by bench_clocked_run at t0.
start_dut() { bench_dut_start "$DUT" "$DUT_NAME" "$NS_DUT" off; }

bench_machine "size=$N per_bird=$PER"
bench_rounds run_one
