#!/usr/bin/env bash
# Foreign routes: routes of other protocols (static, 99, an admin's plain `ip route add`),
# one at our prefix but another metric, one holding our exact key, and one with our protocol
# in another table survive every operation: install, mode flips, reconcile, SIGKILL and
# restart, the stale sweep, withdrawing everything. The route blocked by the admin's is
# reported, never overwritten. Usage: foreign.sh TERN_FIB

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../lib/lab.sh"
source "$HERE/fib_lab.sh"
FIB_BIN=$1
fib_lab_init fib-foreign
fib_topology

N=(ip -n "$NS_NODE")
"${N[@]}" route add 100.64.0.0/26 via 10.10.0.254 proto static metric 5
"${N[@]}" route add 100.64.5.0/26 via 10.10.0.254
"${N[@]}" route add 100.70.0.0/24 via 10.10.0.254 proto 99
"${N[@]}" route add blackhole 100.71.0.0/24 proto static
"${N[@]}" route add 100.64.1.0/26 via 10.10.0.254 table 100 proto bird
"${N[@]}" -6 route add fd00:99::/64 via fd00::2 proto 99

foreign() {
  { ip -n "$NS_NODE" -j route show table all; ip -n "$NS_NODE" -6 -j route show table all; } |
    jq -r '.[] | select(.protocol != "bird" or (.table // "main") != "main") | select((.table // "main") != "local") | tostring' | sort
}
foreign > "$LAB_DIR/foreign.before"
check() {
  foreign > "$LAB_DIR/foreign.now"
  diff -u "$LAB_DIR/foreign.before" "$LAB_DIR/foreign.now" >&2 || lab_fail "foreign routes changed after: $1"
}

fib_start fib1 --hold
fib_cmd "node 10.10.0.1/24" "pool 100.64.0.0/10 Always" "gen 2000 100.64.0.0/26 10.10.0.2" \
  "add 100.70.0.0/24 10.10.0.2" "local 100.71.0.0/24"
fib_wait
check install
# Our exact key is held by the admin's route: reported, not written.
fib_status_has "problem 100.64.5.0/26 parked attempts=0 a route of protocol 3" ||
  lab_fail "the blocked route is not reported"
for mode in CrossSubnet Never Always; do
  fib_cmd "pool 100.64.0.0/10 $mode"
  fib_wait
  check "$mode"
done
fib_cmd reconcile
fib_wait
check reconcile
fib_kill9
check SIGKILL
fib_start fib2 --hold --defer-ms 600000
fib_cmd "node 10.10.0.1/24" "pool 100.64.0.0/10 Never" "gen 500 100.64.0.0/26 10.10.0.2"
fib_wait
check restart
fib_cmd sync-done
fib_wait
check sweep
[ "$(fib_count)" -eq 499 ] || lab_fail "after the sweep: $(fib_count) routes of ours, expected 499"
fib_cmd "gen-del 500 100.64.0.0/26"
fib_wait
check withdraw
[ "$(fib_count)" -eq 0 ] || lab_fail "withdrawn routes remain: $(fib_count)"
# The admin removes their route: ours can take the key now.
"${N[@]}" route del 100.64.5.0/26 via 10.10.0.254
fib_cmd "add 100.64.5.0/26 10.10.0.2"
fib_wait
ip -n "$NS_NODE" route show 100.64.5.0/26 | grep -q 'proto bird' || lab_fail "freed key not taken"
fib_kill9
lab_log PASS
