#!/usr/bin/env bash
# Restart: the writer holding 10,000 routes is killed with SIGKILL. The routes stay in the
# kernel; a new writer adopts them as stale, writes only what changed, keeps the unwanted ones
# until "initial exchange complete", then sweeps them. No wanted prefix is ever deleted, and
# afterwards the kernel holds exactly the wanted set. A third run checks the deferral timer.
# Usage: restart.sh TERN_FIB

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../lib/lab.sh"
source "$HERE/fib_lab.sh"
FIB_BIN=$1
fib_lab_init fib-restart
fib_topology

fib_start fib1 --hold
fib_cmd "node 10.10.0.1/24" "pool 100.64.0.0/10 Always" "gen 10000 100.64.0.0/26 10.10.0.2"
fib_wait
[ "$(fib_count)" -eq 10000 ] || lab_fail "first run: $(fib_count) routes"
fib_routes | awk '{print $2}' | sort > "$LAB_DIR/first.dst"

fib_monitor mon
fib_kill9
[ "$(fib_count)" -eq 10000 ] || lab_fail "routes left the kernel with the writer: $(fib_count)"

# The second run wants the first 9,000 again (one of them with another next hop) and 1,000
# new ones; the last 1,000 of the first run are stale.
fib_start fib2 --hold --defer-ms 600000
grep -q '^started .*installed=10000 .*stale=10000' "$FIB_OUT" || lab_fail "not adopted: $(head -1 "$FIB_OUT")"
fib_cmd "node 10.10.0.1/24" "pool 100.64.0.0/10 Always" "gen 9000 100.64.0.0/26 10.10.0.2" \
  "add 100.64.0.0/26 10.10.0.3" "gen 1000 100.100.0.0/26 10.10.0.2"
fib_wait
echo "$FIB_LAST" | grep -q 'written=1001 ' || lab_fail "expected 1001 writes (1 changed, 1000 new): $FIB_LAST"
[ "$(fib_count)" -eq 11000 ] || lab_fail "stale routes must stay until the sweep: $(fib_count)"
fib_cmd sync-done
fib_wait
echo "$FIB_LAST" | grep -q 'stale=0 swept=1 .*deleted=1000 ' || lab_fail "sweep: $FIB_LAST"

# After the sweep: exactly the wanted set.
python3 - "$LAB_DIR/wanted.dst" <<'PY'
import ipaddress, sys
out = [str(ipaddress.ip_network("100.64.0.0/26").network_address + 64 * i) + "/26" for i in range(9000)]
out += [str(ipaddress.ip_network("100.100.0.0/26").network_address + 64 * i) + "/26" for i in range(1000)]
open(sys.argv[1], "w").write("\n".join(sorted(out)) + "\n")
PY
fib_routes | awk '{print $2}' | sort > "$LAB_DIR/after.dst"
diff -q "$LAB_DIR/wanted.dst" "$LAB_DIR/after.dst" > /dev/null || lab_fail "kernel table != wanted set after the sweep"
ip -n "$NS_NODE" route show 100.64.0.0/26 proto bird | grep -q 'via 10.10.0.3 dev tunl0' || lab_fail "changed route not replaced"

# No wanted prefix was deleted at any time; only the 1,000 stale ones were.
sleep 0.5
comm -23 "$LAB_DIR/first.dst" "$LAB_DIR/wanted.dst" > "$LAB_DIR/stale.dst"
grep '^Deleted ' "$MON_OUT" | awk '{print $2}' | sort > "$LAB_DIR/deleted.dst"
[ -n "$(comm -12 "$LAB_DIR/deleted.dst" "$LAB_DIR/wanted.dst")" ] && lab_fail "a wanted route was deleted"
diff -q "$LAB_DIR/deleted.dst" "$LAB_DIR/stale.dst" > /dev/null || lab_fail "deleted set != stale set"
fib_kill9

# Third run: nobody says the exchange is complete; the deferral timer sweeps.
fib_start fib3 --hold --defer-ms 1500
fib_cmd "node 10.10.0.1/24" "pool 100.64.0.0/10 Always" "gen 10 100.64.0.0/26 10.10.0.2"
fib_wait
[ "$(fib_count)" -eq 10000 ] || lab_fail "third run swept too early: $(fib_count)"
swept() { [ "$(fib_count)" -eq 10 ]; }
lab_wait_for 10 "deferral timer sweep" swept
fib_kill9
lab_log PASS
