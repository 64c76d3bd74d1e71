#!/usr/bin/env bash
# View states: what the writer says it holds per prefix ("view PREFIX STATE SHAPE | REASON"),
# checked against a namespace with every state in it: installed (direct, blackhole, and a
# tunnel route once tunl0 appears), parked (no tunl0), not ours (a VXLAN pool), conflict
# (another program's route at our key) and stale (left by a previous run until the sweep).
# Usage: view.sh TERN_FIB

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../lib/lab.sh"
source "$HERE/fib_lab.sh"
FIB_BIN=$1
fib_lab_init fib-view
fib_topology notunnel

# A first run leaves a route behind for the second to adopt as stale.
fib_start fib1
fib_cmd "node 10.10.0.1/24" "pool 192.168.0.0/16 Never" "add 192.168.50.0/26 10.10.0.2"
fib_wait
fib_stop

ip -n "$NS_NODE" route add 192.168.7.0/26 via 10.10.0.3 proto static
fib_start fib2 --defer-ms 600000
fib_cmd "node 10.10.0.1/24" "pool 192.168.0.0/16 Never" "pool 100.64.0.0/10 Always" \
  "pool 172.16.0.0/16 Never Always" \
  "add 192.168.1.0/26 10.10.0.2" \
  "local 192.168.9.0/26" \
  "add 100.64.1.0/26 10.10.0.2" \
  "add 172.16.1.0/26 10.10.0.3" \
  "add 192.168.7.0/26 10.10.0.2"

# fib_view [PREFIX]: the view lines of one "view" command land in VIEW.
fib_view() {
  local before
  before=$(wc -l < "$FIB_OUT")
  fib_cmd "view $*"
  fib_wait
  VIEW=$(tail -n +$((before + 1)) "$FIB_OUT" | grep -E '^(view|viewed) ')
}
# expect_view PREFIX LINE: the view of PREFIX is exactly LINE (without the leading "view ").
expect_view() {
  fib_view "$1"
  [ "$VIEW" = "view $2
viewed 1 truncated=0" ] || lab_fail "view $1: expected 'view $2', got: $VIEW"
}

expect_view 192.168.1.0/26 \
  "192.168.1.0/26 installed via 10.10.0.2 dev eth0 | pool 192.168.0.0/16 ipipMode Never: direct via the next hop"
expect_view 192.168.9.0/26 \
  "192.168.9.0/26 installed blackhole | own block: blackholed so unused addresses are not sent back out"
expect_view 100.64.1.0/26 \
  "100.64.1.0/26 parked via 10.10.0.2 dev tunl0 onlink | tunl0 is missing or down; pool 100.64.0.0/10 ipipMode Always: via tunl0 onlink"
expect_view 172.16.1.0/26 \
  "172.16.1.0/26 not ours none | pool 172.16.0.0/16 uses VXLAN (Always): the node agent owns it"
expect_view 192.168.7.0/26 \
  "192.168.7.0/26 conflict via 10.10.0.2 | a route of protocol 4 holds this prefix at metric 0 in table 254; pool 192.168.0.0/16 ipipMode Never: direct via the next hop"
expect_view 192.168.50.0/26 \
  "192.168.50.0/26 stale via 10.10.0.2 dev eth0 | left by a previous run: kept until the initial exchange completes or the stale timer expires"
fib_view 10.99.0.0/16
[ "$VIEW" = "viewed 0 truncated=0" ] || lab_fail "unknown prefix: $VIEW"

# The listing: every prefix once, IPv4 by address.
fib_view
echo "$VIEW" | awk '$1 == "view" {print $2}' > "$LAB_DIR/listed"
printf '%s\n' 100.64.1.0/26 172.16.1.0/26 192.168.1.0/26 192.168.7.0/26 192.168.9.0/26 \
  192.168.50.0/26 > "$LAB_DIR/expected"
diff -u "$LAB_DIR/expected" "$LAB_DIR/listed" >&2 || lab_fail "listing differs"
echo "$VIEW" | grep -q '^viewed 6 truncated=0$' || lab_fail "listing count: $VIEW"

# tunl0 appears: the parked route is installed through it. The sweep removes the stale one;
# the foreign route going away lets ours in.
fib_tunnel_create
tunnel_installed() {
  fib_view 100.64.1.0/26
  echo "$VIEW" | grep -q '^view 100.64.1.0/26 installed via 10.10.0.2 dev tunl0 onlink | '
}
lab_wait_for 10 "tunnel route installed once tunl0 exists" tunnel_installed
fib_cmd sync-done
fib_view 192.168.50.0/26
[ "$VIEW" = "viewed 0 truncated=0" ] || lab_fail "stale route not swept: $VIEW"
ip -n "$NS_NODE" route del 192.168.7.0/26 proto static
ours_installed() {
  fib_view 192.168.7.0/26
  echo "$VIEW" | grep -q '^view 192.168.7.0/26 installed via 10.10.0.2 dev eth0 | '
}
lab_wait_for 10 "our route installed once the foreign one is gone" ours_installed
fib_stop
lab_log PASS
