#!/usr/bin/env bash
# Learning workload routes: tern-learn in a namespace reports exactly the host routes of
# other programs on cali* devices in the main table (not ours, proto 12; not a /24; not on
# eth-other; not in another table), then each change: a delete, an add, a replace onto
# another device, a device deleted (its routes go with it, the kernel says nothing for IPv4),
# a device set down (IPv4 flushed silently, IPv6 deleted), and a burst that overruns its
# notification buffer while it is stopped (a fresh dump puts it right).
# Usage: learn.sh TERN_LEARN

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../lib/lab.sh"
source "$HERE/fib_lab.sh"
LEARN_BIN=$1
fib_lab_init fib-learn
lab_ns node NS
N=(ip -n "$NS")

for pair in caliaaaa0001:wlpeer1 calibbbb0002:wlpeer2 eth-other:othpeer; do
  "${N[@]}" link add "${pair%%:*}" type veth peer name "${pair##*:}"
  "${N[@]}" link set "${pair%%:*}" up
  "${N[@]}" link set "${pair##*:}" up
done
"${N[@]}" route add 10.244.1.70/32 dev caliaaaa0001 proto boot scope link
"${N[@]}" route add 10.244.1.71/32 dev calibbbb0002 proto boot scope link
"${N[@]}" -6 route add fd00:244::70/128 dev caliaaaa0001 proto boot
"${N[@]}" route add 10.244.1.72/32 dev caliaaaa0001 proto 12 scope link
"${N[@]}" route add 10.244.2.0/24 dev caliaaaa0001 proto boot scope link
"${N[@]}" route add 10.244.1.73/32 dev eth-other proto boot scope link
"${N[@]}" route add 10.244.1.74/32 dev caliaaaa0001 proto boot scope link table 100

# A small receive buffer, so the burst below overruns it.
lab_spawn learn "$NS" "$LEARN_BIN" --rcvbuf 16384
LEARN_PID=$LAB_LAST_PID
OUT="$LAB_DIR/learn.out"
lab_wait_for 10 "initial set" grep -q '^synced$' "$OUT"

# expect_lines FILE DESCRIPTION [sorted]: the output after line $SEEN equals FILE (in any
# order with "sorted") once it has as many lines; SEEN moves past them.
SEEN=0
has_lines() { [ "$(tail -n +$((SEEN + 1)) "$OUT" | wc -l)" -ge "$1" ]; }
expect_lines() {
  local want
  want=$(wc -l < "$1")
  lab_wait_for 10 "$2" has_lines "$want"
  sleep 0.3 # anything more would be a wrong extra line
  local order=cat
  [ "${3:-}" = sorted ] && order=sort
  if ! tail -n +$((SEEN + 1)) "$OUT" | $order | diff -u <($order "$1") - >&2; then
    lab_fail "$2: the output differs"
  fi
  SEEN=$((SEEN + want))
}
step() { cat > "$LAB_DIR/want"; expect_lines "$LAB_DIR/want" "$@"; }

step "initial set" << 'EOF'
+ 10.244.1.70/32 caliaaaa0001
+ 10.244.1.71/32 calibbbb0002
+ fd00:244::70/128 caliaaaa0001
synced
EOF

"${N[@]}" route del 10.244.1.70/32 dev caliaaaa0001
step "route deleted" <<< "- 10.244.1.70/32 caliaaaa0001"
"${N[@]}" route add 10.244.1.75/32 dev calibbbb0002 proto boot scope link
step "route added" <<< "+ 10.244.1.75/32 calibbbb0002"
# Ours, not a host route, another device: nothing to report.
"${N[@]}" route add 10.244.1.76/32 dev calibbbb0002 proto 12 scope link
"${N[@]}" route add 10.244.3.0/24 dev calibbbb0002 proto boot scope link
"${N[@]}" route add 10.244.1.77/32 dev eth-other proto boot scope link
"${N[@]}" route replace 10.244.1.71/32 dev caliaaaa0001 proto boot scope link
step "route moved to another device" << 'EOF'
- 10.244.1.71/32 calibbbb0002
+ 10.244.1.71/32 caliaaaa0001
EOF
"${N[@]}" link del calibbbb0002
step "device deleted" <<< "- 10.244.1.75/32 calibbbb0002"
# IPv6 routes are deleted with notifications, maybe reported apart from the link's news.
"${N[@]}" link set caliaaaa0001 down
step "device down" sorted << 'EOF'
- 10.244.1.71/32 caliaaaa0001
- fd00:244::70/128 caliaaaa0001
EOF

# Overrun: stopped, it misses thousands of notifications; resumed, it dumps again.
"${N[@]}" link add calicccc0003 type veth peer name wlpeer3
"${N[@]}" link set calicccc0003 up
kill -STOP "$LEARN_PID"
for i in $(seq 0 2999); do
  echo "route add 10.245.$((i / 256)).$((i % 256))/32 dev calicccc0003 proto boot scope link"
done > "$LAB_DIR/burst.batch"
"${N[@]}" -batch "$LAB_DIR/burst.batch"
"${N[@]}" route del 10.245.0.7/32 dev calicccc0003
kill -CONT "$LEARN_PID"
lab_wait_for 20 "a report of the overrun" grep -q '^# overruns ' "$OUT"

# The learned set replayed from every line equals the kernel's.
replay() {
  awk '$1 == "+" { s[$2] = $3 } $1 == "-" { delete s[$2] } END { for (p in s) print p, s[p] }' \
    "$OUT" | sort
}
for i in $(seq 0 2999); do
  [ "$i" -eq 7 ] || echo "10.245.$((i / 256)).$((i % 256))/32 calicccc0003"
done | sort > "$LAB_DIR/final.want"
replayed() { replay > "$LAB_DIR/final.have" && cmp -s "$LAB_DIR/final.want" "$LAB_DIR/final.have"; }
for _ in $(seq 100); do replayed && break; sleep 0.2; done
diff -u "$LAB_DIR/final.want" "$LAB_DIR/final.have" >&2 || lab_fail "learned set after the overrun"

kill -TERM "$LEARN_PID"
rc=0
wait "$LEARN_PID" || rc=$?
[ "$rc" -eq 0 ] || lab_fail "tern-learn exited with $rc on SIGTERM"
! grep -v 'notifications lost' "$LAB_DIR/learn.err" >&2 || lab_fail "tern-learn complained"
lab_log PASS
