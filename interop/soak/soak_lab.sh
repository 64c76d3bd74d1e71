#!/usr/bin/env bash
# The soak of issue 10 (./tern.sh soak [MINUTES]): ternd under churn and flaps for MINUTES
# (default 60), then checked like a fault scenario.
# Usage: soak_lab.sh TERND MINUTES [TERNCTL]
#
# One bridge, 192.168.96.0/24: t1 (ternd, .9); b2 (.2), a confd-shaped BIRD mesh node whose
# session must never move; b3 (.3), an external BIRD router announcing 100 prefixes whose
# session is restarted every SOAK_FLAP_EVERY seconds (20); feeder (.50), a raw speaker toggling
# 1,000 /32s at SOAK_RATE updates a second (1,000). ternctl reads status and routes every 5 s.
#
# Every 10 s ternd's RSS and CPU go to $LAB_DIR/samples.txt, and every minute a progress line to
# stderr. At the end, with the churn stopped:
#   - RSS growth after warm-up (the first fifth of the run, at most 5 minutes) under 5%: the
#     largest sample of the last fifth against the first sample after warm-up;
#   - ternd is the same process, the bystander's and the feeder's sessions came up once;
#   - the kernel holds exactly the wanted set (the feeder's final prefixes, b3's, b2's block,
#     t1's own blackhole), nothing parked or failed;
#   - ternd logged no warning or error but those about b3's flapping session.
# The last line is "SOAK minutes=... rss_warm_kib=... rss_max_late_kib=... growth_pct=...".

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../lib/ternd.sh"
MINUTES=${2:-60}
ternd_lab_init soak "$1" "${MINUTES}min" "${3:-}"
trap lab_cleanup EXIT
[[ "$MINUTES" =~ ^[0-9]+$ ]] && [ "$MINUTES" -ge 1 ] || lab_fail "MINUTES must be a whole number >= 1"

AS=64512
NET=192.168.96
POOL=10.244.0.0/16
FLAP_EVERY=${SOAK_FLAP_EVERY:-20}
RATE=${SOAK_RATE:-1000}
FEED_BASE=10.250.0.0
FEED_COUNT=1000
declare -A ADDR BLOCK
ADDR=([t1]=$NET.9 [b2]=$NET.2 [b3]=$NET.3 [feeder]=$NET.50)
BLOCK=([t1]=10.244.9.0/26 [b2]=10.244.2.0/26)
B3_PREFIXES=$(for i in $(seq 0 99); do echo "10.244.$((100 + i / 4)).$((i % 4 * 64))/26"; done)

lab_ns sw NS_SW
lab_bridge "$NS_SW"
for n in t1 b2 b3 feeder; do lab_node "$n" "$NS_SW" "${ADDR[$n]}/24"; done

bgppeer() {
  printf -- '---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: %s\n' "$1"
  printf 'spec:\n  node: t1\n  peerIP: %s\n  asNumber: %s\n' "$2" $AS
}
{
  calico_bgpconfig $AS
  for n in t1 b2; do
    calico_node "$n" "${ADDR[$n]}/24"
    calico_block "$n-block" "$n" "${BLOCK[$n]}" confirmed
  done
  calico_pool default-pool $POOL Never Never 26
  bgppeer router "${ADDR[b3]}"
  bgppeer feeder "${ADDR[feeder]}"
} > "$LAB_DIR/intent.yaml"

start_bird "${NODE_NS[b2]}" "$(calico_bird_config "${ADDR[b2]}" $AS "${BLOCK[b2]}" $POOL "${ADDR[t1]}")" b2
router_config() {
  calico_bird_config "${ADDR[b3]}" $AS "$B3_PREFIXES" $POOL ""
  cat << BIRD
protocol bgp Node_t1 from bgp_template {
  neighbor ${ADDR[t1]} as $AS; source address ${ADDR[b3]};
}
BIRD
}
start_bird "${NODE_NS[b3]}" "$(router_config)" b3
ternd_node t1 --rest-listen none
PID=${TERND_PID[t1]}
MESH_B2=$(calico_mesh_name "${ADDR[b2]}")
S_B3=Node_${ADDR[b3]//./_}
S_FEED=Node_${ADDR[feeder]//./_}
wait_sessions 30 t1 "$MESH_B2" "$S_B3"
lab_spawn feeder "${NODE_NS[feeder]}" python3 -u "$HERE/soak_feeder.py" "${ADDR[feeder]}" \
  "${ADDR[t1]}" $AS $FEED_BASE $FEED_COUNT "$RATE" "$LAB_DIR"
FEEDER_PID=$LAB_LAST_PID
wait_sessions 30 t1 "$S_FEED"
B2_SINCE=$(bird_since_ms b2 "$(calico_mesh_name "${ADDR[t1]}")")


TOTAL=$((MINUTES * 60))
WARM=$((TOTAL / 5))
[ $WARM -le 300 ] || WARM=300
HZ=$(getconf CLK_TCK)
lab_log "soak for $MINUTES min: $RATE updates/s over $FEED_COUNT prefixes, b3 restarted every ${FLAP_EVERY}s, warm-up ${WARM}s"
START=$SECONDS
next_flap=$((START + FLAP_EVERY))
next_sample=$START
next_read=$START
next_progress=$((START + 60))
flaps=0
cpu0=$(cpu_ticks "$PID")
: > "$LAB_DIR/samples.txt"
while [ $((SECONDS - START)) -lt $TOTAL ]; do
  now=$SECONDS
  kill -0 "$PID" 2> /dev/null || lab_fail "ternd died after $((now - START)) s"
  kill -0 "$FEEDER_PID" 2> /dev/null || lab_fail "the feeder died after $((now - START)) s"
  if [ $now -ge $next_flap ]; then
    birdc_at b3 restart Node_t1 > /dev/null
    flaps=$((flaps + 1))
    next_flap=$((now + FLAP_EVERY))
  fi
  if [ $now -ge $next_read ]; then
    ctl t1 status > /dev/null || lab_fail "ternctl status failed after $((now - START)) s"
    ctl t1 routes 10.244.100.0/26 > /dev/null || lab_fail "ternctl routes failed"
    next_read=$((now + 5))
  fi
  if [ $now -ge $next_sample ]; then
    echo "$((now - START)) $(rss_kib "$PID") $(($(cpu_ticks "$PID") - cpu0))" >> "$LAB_DIR/samples.txt"
    next_sample=$((now + 10))
  fi
  if [ $now -ge $next_progress ]; then
    read -r _ rss ticks < <(tail -1 "$LAB_DIR/samples.txt")
    lab_log "$(((now - START) / 60))/$MINUTES min: RSS $((rss / 1024)) MiB, CPU $((ticks * 100 / HZ / (now - START)))% of a core, $flaps flaps, feeder $(cat "$LAB_DIR/feeder.state" 2> /dev/null | tr '\n' ' ')"
    next_progress=$((now + 60))
  fi
  sleep 1
done
ELAPSED=$((SECONDS - START))

# The churn stops; the feeder writes what it left announced.
kill -USR1 "$FEEDER_PID"
lab_wait_for 10 "the feeder stops" test -s "$LAB_DIR/feeder.present"
grep -q "established=1" "$LAB_DIR/feeder.state" || lab_fail "the feeder's session closed: $(cat "$LAB_DIR/feeder.state")"
wait_sessions 60 t1 "$S_B3"
want() {
  echo "blackhole ${BLOCK[t1]} - -"
  echo "unicast ${BLOCK[b2]} ${ADDR[b2]} IFACE"
  for p in $B3_PREFIXES; do echo "unicast $p ${ADDR[b3]} IFACE"; done
  sed "s|\$| ${ADDR[feeder]} IFACE|; s|^|unicast |" "$LAB_DIR/feeder.present"
}
want | LC_ALL=C sort > "$LAB_DIR/want.txt"
end=$((SECONDS + 60))
while :; do
  kernel_routes t1 > "$LAB_DIR/kernel.txt"
  cmp -s "$LAB_DIR/want.txt" "$LAB_DIR/kernel.txt" && break
  if [ $SECONDS -ge $end ]; then
    first=$(diff "$LAB_DIR/want.txt" "$LAB_DIR/kernel.txt" | awk '/^[<>]/ { print $3; exit }' || true)
    lab_fail "t1's kernel differs from the wanted set ($(diff "$LAB_DIR/want.txt" "$LAB_DIR/kernel.txt" | grep -c '^[<>]') lines): $(diff "$LAB_DIR/want.txt" "$LAB_DIR/kernel.txt" | head -5)
ternd's RIB for $first: $(ctl t1 routes "$first" -o json | jq -c .)
t1's FIB: $(status t1 | jq -c .fib)"
  fi
  sleep 0.5
done
lab_log "t1's kernel: exactly the $(wc -l < "$LAB_DIR/want.txt") wanted routes"
[ "$(status t1 | jq -r '.fib.failed, .fib.parked' | tr '\n' ' ')" = "0 0 " ] || lab_fail "t1's FIB: $(status t1 | jq -c .fib)"
kill -0 "$PID" || lab_fail "ternd died"
ctl t1 status -o json > "$LAB_DIR/status-end.json"
estab() { jq -r --arg s "$1" '.peers[] | select(.name == $s) | .establishedCount // 0' "$LAB_DIR/status-end.json"; }
[ "$(estab "$MESH_B2")" = 1 ] || lab_fail "the bystander's session came up $(estab "$MESH_B2") times"
[ "$(estab "$S_FEED")" = 1 ] || lab_fail "the feeder's session came up $(estab "$S_FEED") times"
same_moment "$(bird_since_ms b2 "$(calico_mesh_name "${ADDR[t1]}")")" "$B2_SINCE" ||
  lab_fail "b2's session to t1 moved"
lab_log "b3's session came up $(estab "$S_B3") times for $flaps restarts"

# Memory: the first sample after warm-up against the largest of the last fifth.
read -r RSS_WARM < <(awk -v w=$WARM '$1 >= w { print $2; exit }' "$LAB_DIR/samples.txt")
read -r RSS_LATE < <(awk -v from=$((ELAPSED * 4 / 5)) '$1 >= from && $2 > m { m = $2 } END { print m }' "$LAB_DIR/samples.txt")
read -r _ _ TICKS < <(tail -1 "$LAB_DIR/samples.txt")
GROWTH=$(awk -v a="$RSS_WARM" -v b="$RSS_LATE" 'BEGIN { printf "%.2f", (b - a) * 100 / a }')
SENT=$(sed -n 's/.*sent=\([0-9]*\).*/\1/p' "$LAB_DIR/feeder.state")

# ternd's log: warnings and errors, but those about b3, whose session we kept restarting.
grep -hE '\[(warning|error|critical)\]' "$LAB_DIR"/ternd-t1.*.err "$LAB_DIR"/ternd-t1.*.out 2> /dev/null |
  grep -v "$S_B3" > "$LAB_DIR/unexpected.log" || true
[ ! -s "$LAB_DIR/unexpected.log" ] || lab_fail "ternd logged $(wc -l < "$LAB_DIR/unexpected.log") unexpected warnings or errors, first: $(head -3 "$LAB_DIR/unexpected.log")"

echo "SOAK minutes=$MINUTES updates=$SENT flaps=$flaps rss_warm_kib=$RSS_WARM rss_max_late_kib=$RSS_LATE growth_pct=$GROWTH cpu_pct=$(awk -v t="$TICKS" -v hz="$HZ" -v s="$ELAPSED" 'BEGIN { printf "%.2f", t * 100 / hz / s }')"
awk -v g="$GROWTH" 'BEGIN { exit !(g < 5) }' || lab_fail "ternd's RSS grew by $GROWTH% after warm-up ($RSS_WARM -> $RSS_LATE KiB)"
lab_log "PASS: RSS $RSS_WARM -> $RSS_LATE KiB ($GROWTH%) after warm-up"
