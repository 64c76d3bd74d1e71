#!/usr/bin/env bash
# Link awareness: without tunl0, tunnel routes are parked and reported; they are installed
# when tunl0 appears, parked again when it goes down (the kernel drops them) and back when it
# comes up. A direct route follows its next hop when the admin's route to it changes, is
# parked while the next hop is unreachable and comes back with it. Routes of ours that
# someone else deletes are written again. Usage: link.sh TERN_FIB

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../lib/lab.sh"
source "$HERE/fib_lab.sh"
FIB_BIN=$1
fib_lab_init fib-link
fib_topology notunnel

fib_start fib
fib_cmd "node 10.10.0.1/24" "pool 100.64.0.0/10 Always" "pool 100.96.0.0/12 Never" \
  "gen 100 100.64.0.0/26 10.10.0.2" "add 100.96.0.0/26 10.20.0.5"
fib_wait
[ "$(fib_count)" -eq 1 ] || lab_fail "only the direct route can be installed without tunl0"
fib_status_has "problem 100.64.0.0/26 parked attempts=0 tunl0 is missing or down" ||
  lab_fail "missing tunl0 not reported"

tunnel_routes() { [ "$(ip -n "$NS_NODE" route show proto bird dev tunl0 2> /dev/null | wc -l)" -eq "$1" ]; }
fib_tunnel_create
lab_wait_for 10 "routes through the new tunl0" tunnel_routes 100
ip -n "$NS_NODE" link set tunl0 down
lab_wait_for 10 "routes parked while tunl0 is down" fib_status_has "status .*parked=100 "
ip -n "$NS_NODE" link set tunl0 up
lab_wait_for 10 "routes back with tunl0 up" tunnel_routes 100

direct_via() { ip -n "$NS_NODE" route show 100.96.0.0/26 proto bird | grep -q "via $1 dev eth0"; }
direct_via 10.10.0.254 || lab_fail "direct route not resolved through the admin's route"
ip -n "$NS_NODE" route replace 10.20.0.0/16 via 10.10.0.253
lab_wait_for 10 "direct route following its next hop" direct_via 10.10.0.253
ip -n "$NS_NODE" route del 10.20.0.0/16
gone() { [ -z "$(ip -n "$NS_NODE" route show 100.96.0.0/26 proto bird)" ]; }
lab_wait_for 10 "unreachable next hop: route removed" gone
fib_status_has "problem 100.96.0.0/26 parked attempts=0 10.20.0.5: no route to the next hop" ||
  lab_fail "unreachable next hop not reported"
ip -n "$NS_NODE" route add 10.20.0.0/16 via 10.10.0.252
lab_wait_for 10 "direct route back with its next hop" direct_via 10.10.0.252

# Someone else deletes routes of ours: their delete notifications still reach the writer (its
# socket filter drops only the RTM_NEWROUTE echoes of its own writes), which writes them again.
ip -n "$NS_NODE" route del 100.64.0.0/26 proto bird
ip -n "$NS_NODE" route del 100.96.0.0/26 proto bird
lab_wait_for 10 "deleted tunnel route of ours written again" tunnel_routes 100
lab_wait_for 10 "deleted direct route of ours written again" direct_via 10.10.0.252
fib_stop
lab_log PASS
