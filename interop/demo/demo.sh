#!/usr/bin/env bash
# The live demo (./tern.sh demo): a small Calico-style cluster in network namespaces.
#
#   subnet A 192.168.101.0/24            router            subnet B 192.168.102.0/24
#   tern1 .11 (ternd)   bird1 .13 (BIRD)  .1 | .1          tern2 .12 (ternd)
#   pod 10.244.1.5      pod 10.244.3.5                     pod 10.244.2.5
#
# One IP pool, 10.244.0.0/16, ipipMode CrossSubnet: inside subnet A the routes are direct,
# across the router they go via tunl0. This kernel has no IPIP module, so tunl0 is a stand-in
# and only the direct path carries packets: the ping goes from the pod on tern1 to the pod on
# bird1 through the route ternd installed, and back through the route BIRD installed.
#
# Usage: demo.sh           build the lab, show it, keep it until Ctrl-C, remove it
#        demo.sh --down    remove what a demo that died left behind (from its state file)
# Environment: TERND, TERNCTL (default: the repo's build/), DEMO_EXIT_AFTER=SECONDS (stop on
# its own, for tests), DEMO_STATE (state file, default /run/tern-demo.state).

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DEMO_STATE=${DEMO_STATE:-/run/tern-demo.state}
TERND=${TERND:-$ROOT/build/daemon/ternd}
TERNCTL=${TERNCTL:-$ROOT/build/ctl/ternctl}
source "$HERE/../lib/ternd.sh"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
# show CMD...: prints the command as one would type it, then runs it.
show() {
  printf '$ %s\n' "$(printf '%s ' "$@" | sed "s|$ROOT/||g; s| *$||")"
  "$@"
}

if [ "$(id -u)" -ne 0 ]; then
  echo "the demo builds network namespaces and needs root: sudo ./tern.sh demo" >&2
  exit 1
fi
if [ "${1:-}" = --down ]; then
  if [ -f "$DEMO_STATE" ]; then
    LAB_NAME=demo lab_down "$DEMO_STATE"
  else
    echo "no demo state in $DEMO_STATE: nothing to remove" >&2
  fi
  exit 0
fi
[ $# -eq 0 ] || {
  sed -n '13,17p' "$0" >&2
  exit 2
}
if [ -e "$DEMO_STATE" ]; then
  echo "a demo is running or died without cleaning up ($DEMO_STATE): ./tern.sh demo --down" >&2
  exit 1
fi
if ip netns list | grep -q '^tern-demo-'; then
  echo "namespaces tern-demo-* exist already; remove them first: ip netns list" >&2
  exit 1
fi
for b in "$TERND" "$TERNCTL"; do
  [ -x "$b" ] || {
    echo "$b is missing: ./tern.sh build" >&2
    exit 1
  }
done
for t in bird birdc jq ping; do
  command -v "$t" > /dev/null || {
    echo "$t is missing: ./tern.sh build installs it" >&2
    exit 1
  }
done

LAB_STATE=$DEMO_STATE
LAB_NS_SUFFIX=
lab_init demo

AS=64512
POOL=10.244.0.0/16
NET_A=192.168.101
NET_B=192.168.102
declare -A ADDR=([tern1]=$NET_A.11 [bird1]=$NET_A.13 [tern2]=$NET_B.12)
declare -A BLOCK=([tern1]=10.244.1.0/26 [tern2]=10.244.2.0/26 [bird1]=10.244.3.0/26)
declare -A POD_IP=([tern1]=10.244.1.5 [tern2]=10.244.2.5 [bird1]=10.244.3.5)
declare -A POD_NS
NODES="tern1 tern2 bird1"

# ---------------------------------------------------------------- the network

say "building the lab: 3 nodes in 2 subnets joined by a router, a pod on each node"
lab_two_subnets $NET_A $NET_B
for n in $NODES; do
  lab_subnet_node "$n" "${ADDR[$n]}"
  calico_pod "${NODE_NS[$n]}" "$n-pod" "${POD_IP[$n]}" pod
  POD_NS[$n]=$pod
done
for n in tern1 tern2; do ternd_tunl0 "$n"; done

# ---------------------------------------------------------------- the cluster

# The intent every node is fed: what a Calico datastore holds for this cluster.
{
  calico_bgpconfig $AS
  for n in $NODES; do
    calico_node "$n" "${ADDR[$n]}/24"
    calico_block "$n-block" "$n" "${BLOCK[$n]}" confirmed
  done
  calico_pool demo-pool $POOL CrossSubnet Never 26
} > "$LAB_DIR/intent.yaml"

# bird1 as confd renders a Calico node, BIRD programming the kernel (calico_kernel_programming).
start_bird "${NODE_NS[bird1]}" "$(calico_bird_config "${ADDR[bird1]}" $AS "${BLOCK[bird1]}" \
  "$POOL:CrossSubnet" "${ADDR[tern1]} ${ADDR[tern2]}" "$NET_A.0/24")" bird1
BIRD_PID=$LAB_LAST_PID

for n in tern1 tern2; do ternd_node "$n"; done

has_route() { ip -n "${NODE_NS[$1]}" route show "$2" proto bird | grep -q "$3"; }

say "waiting for the mesh: every node peers with the two others"
for n in tern1 tern2; do wait_mesh 60 "$n" $NODES; done
lab_wait_for 30 "tern1: direct route to bird1's block" has_route tern1 "${BLOCK[bird1]}" "dev eth0"
lab_wait_for 30 "tern1: tunnel route to tern2's block" has_route tern1 "${BLOCK[tern2]}" "dev tunl0"
lab_wait_for 30 "tern2: tunnel routes" has_route tern2 "${BLOCK[tern1]}" "dev tunl0"
lab_wait_for 30 "bird1: route back to tern1's block" has_route bird1 "${BLOCK[tern1]}" "dev eth0"
echo "converged in ${SECONDS}s"

# ---------------------------------------------------------------- the show

say "ternctl status on tern1 (like calicoctl node status)"
show ip netns exec "${NODE_NS[tern1]}" "$TERNCTL" --socket "$LAB_DIR/tern1/tern.sock" status

say "kernel routes ternd installed (CrossSubnet: direct inside $NET_A.0/24, tunl0 onlink across)"
for n in tern1 tern2; do
  show ip -n "${NODE_NS[$n]}" route show proto bird
done
echo "(bird1's kernel, pool routes written by BIRD through calico_kernel_programming:)"
show ip -n "${NODE_NS[bird1]}" route show proto bird root $POOL

say "why tern1 routes bird1's block the way it does"
show ip netns exec "${NODE_NS[tern1]}" "$TERNCTL" --socket "$LAB_DIR/tern1/tern.sock" \
  explain "${BLOCK[bird1]}"

say "pod on tern1 (${POD_IP[tern1]}) -> pod on bird1 (${POD_IP[bird1]}) through ternd's route"
show ip -n "${NODE_NS[tern1]}" route get "${POD_IP[bird1]}"
if show ip netns exec "${POD_NS[tern1]}" ping -c 3 -i 0.3 -W 2 "${POD_IP[bird1]}"; then
  echo "PING OK: pod-to-pod over the direct path ternd and BIRD installed"
else
  lab_fail "the pods cannot reach each other"
fi

# ---------------------------------------------------------------- until Ctrl-C

rel() { printf '%s' "${1#"$ROOT"/}"; }
say "the lab is up; poke at it (as root) from another shell:"
cat << EOF
  namespaces: $(printf '%s ' "${LAB_NETNS[@]}")
  ip netns exec ${NODE_NS[tern1]} $(rel "$TERNCTL") --socket $LAB_DIR/tern1/tern.sock status
  ip netns exec ${NODE_NS[tern2]} $(rel "$TERNCTL") --socket $LAB_DIR/tern2/tern.sock routes
  ip netns exec ${NODE_NS[tern1]} $(rel "$TERNCTL") --socket $LAB_DIR/tern1/tern.sock explain ${BLOCK[tern2]}
  ip netns exec ${NODE_NS[tern1]} curl -s http://127.0.0.1:9179/v1/status
  birdc -s $LAB_DIR/bird-bird1.ctl show route
  ip netns exec ${POD_NS[bird1]} ping ${POD_IP[tern1]}
  logs: $LAB_DIR/ternd-tern1.0.err $LAB_DIR/ternd-tern2.0.err $LAB_DIR/bird-bird1.err
  processes: ternd tern1 ${TERND_PID[tern1]}, ternd tern2 ${TERND_PID[tern2]}, bird bird1 $BIRD_PID
EOF

teardown() {
  say "tearing down: stopping pids ${LAB_PIDS[*]}, deleting ${#LAB_NETNS[@]} namespaces"
  exit 0
}
trap teardown INT TERM
if [ -n "${DEMO_EXIT_AFTER:-}" ]; then
  echo "stopping on its own after ${DEMO_EXIT_AFTER}s (DEMO_EXIT_AFTER)"
  sleep "$DEMO_EXIT_AFTER"
else
  echo "Ctrl-C stops the demo and removes everything (after a crash: ./tern.sh demo --down)"
  while true; do sleep 1; done
fi
teardown
