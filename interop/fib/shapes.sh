#!/usr/bin/env bash
# Shapes: for one pool mode, the routes tern-fib installs look in the kernel exactly as
# Calico's route-shape table says (gateway, device, onlink, protocol, metric), read back
# through a netlink dump. Usage: shapes.sh TERN_FIB MODE (always|crosssubnet|never|vxlan|agent)

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../lib/lab.sh"
source "$HERE/fib_lab.sh"
FIB_BIN=$1
MODE=$2
fib_lab_init "fib-shapes-$MODE"
fib_topology

fib_start fib --metric 1024
case "$MODE" in
  always) fib_cmd "pool 192.168.0.0/16 Always" ;;
  crosssubnet) fib_cmd "pool 192.168.0.0/16 CrossSubnet" ;;
  never) fib_cmd "pool 192.168.0.0/16 Never" ;;
  vxlan) fib_cmd "pool 192.168.0.0/16 Never Always" ;;
  agent) fib_cmd "pool 192.168.0.0/16 Always" "agent-owns-tunnels on" ;;
  *) lab_fail "unknown mode $MODE" ;;
esac
fib_cmd "node 10.10.0.1/24" \
  "add 192.168.1.0/26 10.10.0.2" \
  "add 192.168.2.0/26 10.20.0.5" \
  "add 192.168.3.7/32 10.10.0.2,10.20.0.5" \
  "add 192.168.4.9/32 10.10.0.2,10.10.0.3" \
  "local 192.168.9.0/26" \
  "add 10.96.0.10/32 10.20.0.5" \
  "add fd00:1::/64 fd00::2"
fib_wait

E="$LAB_DIR/expected"
# Outside every pool: direct, via the router the kernel's own route names.
echo "unicast 10.96.0.10 10.10.0.254 eth0 - bird 1024 -" > "$E"
echo "unicast fd00:1::/64 fd00::2 eth0 - bird 1024 -" >> "$E"
case "$MODE" in
  always)
    cat >> "$E" <<'R'
unicast 192.168.1.0/26 10.10.0.2 tunl0 onlink bird 1024 -
unicast 192.168.2.0/26 10.20.0.5 tunl0 onlink bird 1024 -
unicast 192.168.3.7 - - - bird 1024 10.10.0.2@tunl0+onlink,10.20.0.5@tunl0+onlink
unicast 192.168.4.9 - - - bird 1024 10.10.0.2@tunl0+onlink,10.10.0.3@tunl0+onlink
blackhole 192.168.9.0/26 - - - bird 1024 -
R
    ;;
  crosssubnet)
    cat >> "$E" <<'R'
unicast 192.168.1.0/26 10.10.0.2 eth0 - bird 1024 -
unicast 192.168.2.0/26 10.20.0.5 tunl0 onlink bird 1024 -
unicast 192.168.3.7 - - - bird 1024 10.10.0.2@eth0,10.20.0.5@tunl0+onlink
unicast 192.168.4.9 - - - bird 1024 10.10.0.2@eth0,10.10.0.3@eth0
blackhole 192.168.9.0/26 - - - bird 1024 -
R
    ;;
  never)
    cat >> "$E" <<'R'
unicast 192.168.1.0/26 10.10.0.2 eth0 - bird 1024 -
unicast 192.168.2.0/26 10.10.0.254 eth0 - bird 1024 -
unicast 192.168.3.7 - - - bird 1024 10.10.0.2@eth0,10.10.0.254@eth0
unicast 192.168.4.9 - - - bird 1024 10.10.0.2@eth0,10.10.0.3@eth0
blackhole 192.168.9.0/26 - - - bird 1024 -
R
    ;;
  vxlan | agent) ;;  # the pool's routes belong to the node agent
esac
fib_expect_routes "$E" "$MODE"
case "$MODE" in
  vxlan | agent) echo "$FIB_LAST" | grep -q 'not_ours=5' || lab_fail "expected 5 routes left to the agent: $FIB_LAST" ;;
  *) echo "$FIB_LAST" | grep -q 'installed=7 .*failed=0' || lab_fail "status: $FIB_LAST" ;;
esac
fib_stop
lab_log PASS
