#!/usr/bin/env bash
# No gap: 10,000 routes go through Always -> CrossSubnet -> Never -> Always while a route
# monitor records every notification; none of those prefixes may ever be deleted (each change
# is one replace). Then a ping between two namespaces over a direct route loses no packet
# while that route is replaced, again and again, by an equivalent one.
# Usage: no_gap.sh TERN_FIB

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../lib/lab.sh"
source "$HERE/fib_lab.sh"
FIB_BIN=$1
fib_lab_init fib-no-gap
fib_topology
ip -n "$NS_PEER" addr add 10.30.0.1/32 dev lo

fib_start fib
fib_monitor mon
# Half the routes have a next hop in the node's subnet, half behind the router, so every
# flip changes the shape of at least half of them.
fib_cmd "node 10.10.0.1/24" "pool 100.64.0.0/10 Always" \
  "gen 5000 100.64.0.0/26 10.10.0.2" "gen 5000 100.96.0.0/26 10.20.0.5"
fib_wait
[ "$(fib_count)" -eq 10000 ] || lab_fail "expected 10000 routes, kernel has $(fib_count)"

tunnel_routes() { ip -n "$NS_NODE" -4 route show proto bird | grep -c 'dev tunl0' || true; }
flip() {
  fib_cmd "pool 100.64.0.0/10 $1"
  fib_wait
  local t
  t=$(tunnel_routes)
  [ "$t" -eq "$2" ] || lab_fail "after $1: $t routes through tunl0, expected $2"
  [ "$(fib_count)" -eq 10000 ] || lab_fail "after $1: kernel has $(fib_count) routes"
  lab_log "$1: $FIB_LAST"
}
[ "$(tunnel_routes)" -eq 10000 ] || lab_fail "Always: not every route goes through tunl0"
flip CrossSubnet 5000
flip Never 0
flip Always 10000

monitor_seen() { [ "$(grep -c '^100\.' "$MON_OUT")" -ge "$1" ]; }
lab_wait_for 10 "the monitor to catch up" monitor_seen 30000
grep -q 'No buffer space' "$LAB_DIR/mon.err" && lab_fail "the monitor lost notifications"
# Every change was seen: 10,000 adds, then 5,000 + 5,000 + 10,000 replaces.
seen=$(grep -c '^100\.' "$MON_OUT" || true)
[ "$seen" -ge 30000 ] || lab_fail "the monitor saw only $seen notifications for our prefixes"
if grep -E '^Deleted 100\.' "$MON_OUT" | head -5 >&2; then
  lab_fail "a prefix was deleted while its shape changed"
fi
lab_log "no RTM_DELROUTE among $seen notifications"

# Ping over a direct route while its gateway alternates between two addresses of the peer.
fib_cmd "add 10.30.0.1/32 10.10.0.2"
fib_wait
ip netns exec "$NS_NODE" ping -c 2 -W 1 10.10.0.3 > /dev/null || lab_fail "peer 10.10.0.3 unreachable"
ip netns exec "$NS_NODE" ping -c 2 -W 1 10.30.0.1 > /dev/null || lab_fail "10.30.0.1 unreachable"
fib_spawn ping "$NS_NODE" ping -i 0.005 -c 1000 -W 1 10.30.0.1
PING_PID=$LAB_LAST_PID
for i in $(seq 1 80); do
  if [ $((i % 2)) -eq 1 ]; then fib_cmd "add 10.30.0.1/32 10.10.0.3"; else fib_cmd "add 10.30.0.1/32 10.10.0.2"; fi
  fib_wait
  sleep 0.05
done
wait "$PING_PID" || true
cat "$LAB_DIR/ping.out" | tail -3 >&2
grep -q ' 1000 received, 0% packet loss' "$LAB_DIR/ping.out" || lab_fail "ping lost packets"
grep -q 'Deleted .*10.30.0.1 ' "$MON_OUT" && lab_fail "10.30.0.1 was deleted during a replace"
replaced=$(grep -c '^10.30.0.1 via' "$MON_OUT" || true)
[ "$replaced" -ge 80 ] || lab_fail "only $replaced replaces of 10.30.0.1 seen"
fib_stop
lab_log PASS
