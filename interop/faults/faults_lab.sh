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
#   peer_stops_reading  an eBGP peer (hold time 3 s) with a tiny receive buffer stops reading
#                    while b3 feeds t1 ~1 MiB of routes for it, changed twice more while it is
#                    stuck; it keeps sending KEEPALIVEs: ternd --send-hold-time 8 drops it
#                    after 8 s (RFC 9687, lastError says so), its RSS stays flat, b2 and b3
#                    never move, the kernel stays right; a reading peer in its place gets the
#                    whole table
#   node_subnet_change  pool CrossSubnet; t1's Node /30 (the BIRD nodes outside: via tunl0
#                    onlink), `ternctl apply` /24 (direct), /30 again: replaced in place (no
#                    delete in `ip monitor`), no session touched. Then t1 renumbered .9 ->
#                    .19 (interface, Node, the BIRD nodes' config): sessions from .19, routes
#                    back, nothing stale
#   store_corrupted  ternd SIGTERMed (routes stay, the BIRD nodes keep its block by graceful
#                    restart), a byte of its store flipped: ternd refuses to start (exit 1,
#                    naming the file and the checksum), the file untouched, no route deleted;
#                    the store moved aside and the manifests given again: sessions and routes
#                    back, nothing stale, the same intent
#   api_hammered     REST on, 100 requests/s per client: 8 HTTP clients (keep-alive and new
#                    connections, probes, a bad POST) and ternctl over gRPC for 20 s while a
#                    raw peer churns 1,000 /32s at 1,000 UPDATEs/s: only 200/4xx/429 (with
#                    Retry-After), probes always 200, no session flaps (b3: hold time 3 s),
#                    the kernel ends equal to the final announced set, RSS bounded

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
#include <linux/futex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/syscall.h>
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
/* A real clock jump moves the CLOCK_REALTIME of the kernel too, so an absolute deadline a
   program computed from the (jumped) wall clock means the same moment to the kernel. Shifting
   only what clock_gettime returns would break that: abseil (under gRPC) sleeps with
   FUTEX_WAIT_BITSET and FUTEX_CLOCK_REALTIME until an absolute wall-clock time, and a deadline
   an hour behind the clock of the kernel returns at once, a spin no real jump causes. So those
   deadlines are taken back to the clock of the kernel here. */
long syscall(long n, ...) {
  typedef long (*syscall_fn)(long, ...);
  static syscall_fn real;
  if (!real) real = (syscall_fn)dlsym(RTLD_NEXT, "syscall");
  va_list ap;
  va_start(ap, n);
  long a[6];
  for (int i = 0; i < 6; i++) a[i] = va_arg(ap, long);
  va_end(ap);
  struct timespec shifted;
  if (n == SYS_futex && (a[1] & FUTEX_CLOCK_REALTIME) && a[3]) {
    shifted = *(const struct timespec*)a[3];
    shifted.tv_sec -= offset();
    a[3] = (long)&shifted;
  }
  return real(n, a[0], a[1], a[2], a[3], a[4], a[5]);
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
  # Nothing may spin on the jumped clock: ternd's timers run on steady_clock, and the shim keeps
  # the kernel's view of wall-clock deadlines consistent (see the syscall wrapper above).
  local cpu=$(($(cpu_ticks "$pid") - cpu0))
  lab_log "ternd used $((cpu * 1000 / hz)) ms of CPU in the 14 s after the jumps"
  [ $((cpu * 10)) -le $((14 * hz)) ] ||
    lab_fail "ternd used $((cpu * 100 / hz / 14))% of a core after the clock jumps"
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

# ---------------------------------------------------------------- a peer that stops reading
# A raw eBGP speaker with a 3 s hold time. "stuck": its receive buffer shrunk to a few KiB
# before it connects; it reads ternd's OPEN and KEEPALIVE, then never reads again, but sends
# a KEEPALIVE every second, so only ternd's send side can tell. It prints "closed ..." when
# ternd has cut the connection. "reader": a well-behaved replacement that reads everything,
# reconnects whenever ternd closes, and prints "table prefixes=N" at each End-of-RIB.
STUCK_PY='
import socket, struct, sys, time, select
mode, local, remote, my_as, lib = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
sys.path.insert(0, lib)
from churn_peers import KEEPALIVE, open_msg, split_messages as messages
OPEN = open_msg(my_as, local, hold=3)
def connect(rcvbuf):
    while True:
        s = socket.socket()
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.bind((local, 0))
        s.settimeout(2)
        try:
            s.connect((remote, 179))
            s.settimeout(None)
            return s
        except OSError:
            s.close()
            time.sleep(0.5)
def nlri(data):
    out, i = [], 0
    while i < len(data):
        n = 1 + (data[i] + 7) // 8
        out.append(data[i:i + n])
        i += n
    return out
if mode == "stuck":
    while True:
        s = connect(4096)
        s.sendall(OPEN + KEEPALIVE)
        buf, kinds, end = b"", set(), time.time() + 10
        try:
            while 4 not in kinds and time.time() < end:
                if select.select([s], [], [], 0.5)[0]:
                    d = s.recv(4096)
                    if not d:
                        raise OSError("closed before the session came up")
                    msgs, buf = messages(buf + d)
                    kinds.update(m[18] for m in msgs)
            if 4 in kinds:
                break
        except OSError:
            pass
        s.close()
        time.sleep(1)
    print("established, reading no more (SO_RCVBUF %d)" % s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF), flush=True)
    try:
        while True:
            time.sleep(1)
            s.sendall(KEEPALIVE)
    except OSError as e:
        print("closed: %s" % e, flush=True)
    sys.exit(0)
while True:
    s = connect(0)
    s.sendall(OPEN + KEEPALIVE)
    buf, table, last_ka = b"", set(), time.time()
    try:
        while True:
            if time.time() - last_ka >= 1:
                s.sendall(KEEPALIVE)
                last_ka = time.time()
            if not select.select([s], [], [], 0.5)[0]:
                continue
            d = s.recv(1 << 16)
            if not d:
                raise OSError("closed by ternd")
            msgs, buf = messages(buf + d)
            for m in msgs:
                if m[18] == 3:
                    print("NOTIFICATION %d/%d" % (m[19], m[20]), flush=True)
                if m[18] != 2:
                    continue
                body = m[19:]
                wl = struct.unpack("!H", body[:2])[0]
                al = struct.unpack("!H", body[2 + wl:4 + wl])[0]
                table.difference_update(nlri(body[2:2 + wl]))
                table.update(nlri(body[4 + wl + al:]))
                if len(body) == 4:
                    print("table prefixes=%d" % len(table), flush=True)
    except OSError as e:
        print("reconnecting: %s" % e, flush=True)
        s.close()
        time.sleep(1)
'

# b3's routes in peer_stops_reading: /29s in the pool (so ternd exports them to an eBGP peer),
# each with a community of its own, so each needs an UPDATE of its own.
STUCK_ROUTES=2000
STUCK_PFX=()
# stuck_router_config SEQ: BIRD on b3 (an external iBGP router) announcing them to t1 with 40
# large communities (AS, SEQ, n) besides: ~0.5 KiB an UPDATE, ~1 MiB for the table; another
# SEQ (`birdc configure`) changes every route's attributes, so ternd has all of it to send
# again.
stuck_router_config() {
  local i
  echo "router id ${ADDR[b3]};"
  echo "protocol device { scan time 2; }"
  printf 'protocol static { ipv4;'
  for ((i = 0; i < STUCK_ROUTES; i++)); do
    printf ' route %s blackhole { bgp_community.add((%d, %d)); };' "${STUCK_PFX[$i]}" $AS $i
  done
  echo ' }'
  printf 'filter to_t1 {'
  for ((i = 0; i < 40; i++)); do printf ' bgp_large_community.add((%d, %d, %d));' $AS "$1" $i; done
  echo ' accept; }'
  cat << BIRD
protocol bgp Node_t1 {
  local as $AS; neighbor ${ADDR[t1]} as $AS; source address ${ADDR[b3]};
  ttl security off; multihop; graceful restart;
  connect delay time 2; connect retry time 5; error wait time 5,30;
  ipv4 { import all; export filter to_t1; };
}
BIRD
}

# b3_seq SEQ: b3 reconfigured to SEQ. ternd_has_seq SEQ: ternd holds b3's first and last
# route with SEQ's communities.
b3_seq() {
  printf '%s\n' "$(stuck_router_config "$1")" > "$LAB_DIR/bird-b3.conf"
  birdc_at b3 configure > /dev/null
}
ternd_has_seq() {
  local p
  for p in "${STUCK_PFX[0]}" "${STUCK_PFX[-1]}"; do
    ctl t1 routes "$p" -o json | grep -q "\"$AS:$1:39\"" || return 1
  done
}

SEND_HOLD=8
STUCK_CHURNS=6
scenario_peer_stops_reading() {
  local stuck_as=65066 i
  for ((i = 0; i < STUCK_ROUTES; i++)); do STUCK_PFX+=("10.244.$((128 + i / 32)).$((i % 32 * 8))/29"); done
  node b3 3
  node stuck 66
  extra_stuck() {
    m_peer router-b3 "node: t1" "peerIP: ${ADDR[b3]}" "asNumber: $AS"
    m_peer stuck "node: t1" "peerIP: ${ADDR[stuck]}" "asNumber: $stuck_as"
  }
  EXTRA_INTENT=extra_stuck
  TERND_EXTRA=(--send-hold-time $SEND_HOLD)
  cluster b2
  start_bird "${NODE_NS[b3]}" "$(stuck_router_config 0)" b3
  local s3 s
  s3=$(node_session b3)
  s=$(node_session stuck)
  wait_sessions 30 t1 "$s3"
  local want=("$(shape t1)" "$(shape b2)")
  for i in "${STUCK_PFX[@]}"; do want+=("unicast $i ${ADDR[b3]} IFACE"); done
  expect_kernel 30 t1 "${want[@]}"
  # b3's routes go to generation 1 and back to 0, as they will while the peer is stuck: what
  # ternd keeps of both (interned attributes, export caches) is counted before, not during.
  local seq
  for seq in 1 0; do
    b3_seq $seq
    lab_wait_for 20 "ternd holds b3's routes of generation $seq" ternd_has_seq $seq
  done
  bystander_start
  local b3_since pid=${TERND_PID[t1]} rss0 rss rss_max
  b3_since=$(bird_since_ms b3 Node_t1)
  sleep 1
  rss0=$(rss_kib "$pid")
  rss_max=$rss0
  printf '%s' "$STUCK_PY" > "$LAB_DIR/stuck.py"
  lab_spawn stuck "${NODE_NS[stuck]}" python3 -u "$LAB_DIR/stuck.py" stuck "${ADDR[stuck]}" "${ADDR[t1]}" $stuck_as "$HERE/../../bench/workloads"
  local stuck_pid=$LAB_LAST_PID
  wait_sessions 20 t1 "$s"
  local up_ms hold
  up_ms=$(peer_status "$s" | jq -r '.sinceUnixMs | tonumber')
  hold=$(peer_status "$s" | jq -r .holdTime)
  [ "$hold" = 3 ] || lab_fail "the stuck peer's session negotiated hold time $hold, expected 3"
  lab_wait_for 10 "the peer stops reading" grep -q '^established' "$LAB_DIR/stuck.out"
  lab_log "stuck peer: $(cat "$LAB_DIR/stuck.out")"
  # While ternd cannot write, b3 changes every route STUCK_CHURNS times, once a second: ~1 MiB
  # more each time that ternd would queue if it queued bytes instead of the latest state per
  # prefix.
  local churns=0 down_ms="" rss_mid=""
  while [ -z "$down_ms" ]; do
    [ $(($(date +%s%3N) - up_ms)) -lt $((SEND_HOLD * 1000 + 12000)) ] ||
      lab_fail "the stuck session is still up $((($(date +%s%3N) - up_ms) / 1000)) s after it came up: $(peer_status "$s")"
    if [ $churns -lt $STUCK_CHURNS ] && [ $(($(date +%s%3N) - up_ms)) -ge $((churns * 1000 + 1000)) ]; then
      [ $churns = 2 ] && rss_mid=$(rss_kib "$pid")
      churns=$((churns + 1))
      b3_seq $((churns % 2))
    fi
    rss=$(rss_kib "$pid")
    [ "$rss" -gt "$rss_max" ] && rss_max=$rss
    [ "$(peer_status "$s" | jq -r .fsmState)" = Established ] || down_ms=$(date +%s%3N)
    sleep 0.3
  done
  local took=$((down_ms - up_ms)) err
  err=$(peer_status "$s" | jq -r .lastError)
  lab_log "the stuck session dropped $took ms after it came up (send hold time $SEND_HOLD s): '$err'; ternd RSS $rss0 KiB before, $rss_mid KiB after two changes of b3's routes, at most $rss_max KiB after $churns"
  grep -qi 'send hold timer expired' <<< "$err" || lab_fail "t1's last error is not the send hold timer: $(peer_status "$s")"
  [ $churns = $STUCK_CHURNS ] || lab_fail "b3 changed its routes only $churns times while the peer was stuck"
  [ $took -ge $((SEND_HOLD * 1000 - 500)) ] && [ $took -le $((SEND_HOLD * 1000 + 6000)) ] ||
    lab_fail "dropped $took ms after coming up, expected the send hold time ($SEND_HOLD s) and a little"
  # The first change of the table costs ternd a few MiB once (a reading peer in its place
  # costs the same); the next four, ~4 MiB of UPDATEs the stuck peer cannot take, nothing.
  [ $((rss_max - rss_mid)) -lt 1024 ] && [ $((rss_max - rss0)) -lt 8192 ] ||
    lab_fail "ternd's RSS grew by $((rss_max - rss0)) KiB while the peer was stuck ($((rss_max - rss_mid)) KiB over the last $((churns - 2)) changes)"
  # ternd closed the connection: the stuck peer's next KEEPALIVE fails.
  lab_wait_for 10 "the stuck peer sees its connection closed" grep -q '^closed' "$LAB_DIR/stuck.out"
  wait "$stuck_pid" 2> /dev/null || true
  local n=$((${#STUCK_PFX[@]} + 2))
  want=("$(shape t1)" "$(shape b2)")
  for i in "${STUCK_PFX[@]}"; do want+=("unicast $i ${ADDR[b3]} IFACE"); done
  expect_kernel 10 t1 "${want[@]}"
  # A peer that reads, in its place: the session comes back and carries the whole table.
  lab_spawn reader "${NODE_NS[stuck]}" python3 -u "$LAB_DIR/stuck.py" reader "${ADDR[stuck]}" "${ADDR[t1]}" $stuck_as "$HERE/../../bench/workloads"
  wait_sessions 40 t1 "$s"
  lab_wait_for 20 "the new peer gets all $n prefixes" grep -q "^table prefixes=$n\$" "$LAB_DIR/reader.out"
  [ "$(established_count "$s")" = 2 ] || lab_fail "the stuck peer's session: $(peer_status "$s")"
  lab_log "a reading peer in its place: session up, $n prefixes received; ternd RSS now $(rss_kib "$pid") KiB"
  # b3's session never moved, on either side.
  [ "$(established_count "$s3")" = 1 ] && established t1 "$s3" || lab_fail "t1's session to b3 moved: $(peer_status "$s3")"
  same_moment "$(bird_since_ms b3 Node_t1)" "$b3_since" && bird_established b3 Node_t1 ||
    lab_fail "BIRD b3's session to t1 moved: $(birdc_at b3 show protocols Node_t1)"
  expect_kernel 10 t1 "${want[@]}"
  bystander_check
}

# ---------------------------------------------------------------- node subnet change

# cs_shape NODE near|far: t1's route to NODE's block under CrossSubnet, NODE inside t1's
# subnet (direct) or outside it (IPIP).
cs_shape() {
  if [ "$2" = far ]; then
    echo "unicast ${BLOCK[$1]} ${ADDR[$1]} tunl0 onlink"
  else
    echo "unicast ${BLOCK[$1]} ${ADDR[$1]} IFACE"
  fi
}

# bird_mesh_config NAME MESH_NODE...: bird_mesh's configuration, as confd renders it again.
bird_mesh_config() {
  local me=$1 n peers=""
  shift
  for n in t1 "$@"; do [ "$n" != "$me" ] && peers+=" ${ADDR[$n]}"; done
  calico_bird_config "${ADDR[$me]}" $AS "${BLOCK[$me]}" $POOL "$peers"
}

# node_apply ADDR/LEN NAME: `ternctl apply` of t1's Node with that address, output in
# $LAB_DIR/apply-NAME.out.
node_apply() {
  calico_node t1 "$1" | sed 1d > "$LAB_DIR/node-$2.yaml"
  ctl t1 apply -f "$LAB_DIR/node-$2.yaml" > "$LAB_DIR/apply-$2.out" 2>&1 ||
    lab_fail "ternctl apply of t1 at $1: $(cat "$LAB_DIR/apply-$2.out")"
}

scenario_node_subnet_change() {
  POOL_MODE=CrossSubnet
  node t1 9
  ternd_tunl0 t1
  node b2 2
  node b3 3
  MESH_NODES=(b2 b3)
  # t1's Node says /30 at first: .2 and .3 lie in another subnet.
  intent b2 b3 | sed "s#ipv4Address: ${ADDR[t1]}/24#ipv4Address: ${ADDR[t1]}/30#" > "$LAB_DIR/intent.yaml"
  grep -q "ipv4Address: ${ADDR[t1]}/30" "$LAB_DIR/intent.yaml" || lab_fail "no /30 in the intent"
  bird_mesh b2 b2 b3
  bird_mesh b3 b2 b3
  ternd_node t1
  wait_sessions 30 t1 "$(mesh b2)" "$(mesh b3)"
  expect_kernel 10 t1 "$(shape t1)" "$(cs_shape b2 far)" "$(cs_shape b3 far)"
  bystander_start
  local b3_since rev0 step len where n
  b3_since=$(bird_since_ms b3 "$(mesh t1)")
  rev0=$(tstatus | jq -r .intentRevision)
  lab_spawn monitor "${NODE_NS[t1]}" ip -o monitor route
  sleep 0.5
  for step in 24:near 30:far; do
    len=${step%:*}
    where=${step#*:}
    node_apply "${ADDR[t1]}/$len" "$len-$where"
    expect_kernel 10 t1 "$(shape t1)" "$(cs_shape b2 $where)" "$(cs_shape b3 $where)"
    lab_log "t1 at /$len: $(tr '\n' ' ' < "$LAB_DIR/apply-$len-$where.out")"
    # ternctl's answer names the two re-shaped routes, and no session.
    [ "$(grep -c '^~ route' "$LAB_DIR/apply-$len-$where.out")" = 2 ] &&
      ! grep -qi session "$LAB_DIR/apply-$len-$where.out" ||
      lab_fail "ternctl apply at /$len changed more: $(cat "$LAB_DIR/apply-$len-$where.out")"
    for n in b2 b3; do
      [ "$(established_count "$(mesh $n)")" = 1 ] && established t1 "$(mesh $n)" ||
        lab_fail "t1's session to $n moved at /$len: $(peer_status "$(mesh $n)")"
    done
  done
  sleep 0.5
  # Every change replaced the routes in place: the monitor saw both shapes, never a delete.
  local mon=$LAB_DIR/monitor.out
  for n in b2 b3; do
    grep -q "^${BLOCK[$n]} via ${ADDR[$n]} dev tunl0 .*proto bird.*onlink" "$mon" &&
      grep -q "^${BLOCK[$n]} via ${ADDR[$n]} dev ${IFACE[t1]} .*proto bird" "$mon" ||
      lab_fail "the route monitor did not see both shapes of ${BLOCK[$n]}: $(cat "$mon")"
  done
  if grep -E '^Deleted .*10\.244\.' "$mon" > "$LAB_DIR/deleted.txt"; then
    lab_fail "routes deleted while re-shaping: $(cat "$LAB_DIR/deleted.txt")"
  fi
  same_moment "$(bird_since_ms b3 "$(mesh t1)")" "$b3_since" || lab_fail "BIRD b3's session to t1 moved"
  grep -q 'peer .* changed\|restarting every session' "$LAB_DIR/ternd-t1.0.err" && lab_fail "a session of t1 was reset"
  # The intent is what it was, two revisions on.
  sed -i "s/^== revision $rev0\$/== revision $((rev0 + 2))/" "$LAB_DIR/intent-before.txt"
  bystander_check

  # t1 renumbered (.9 -> .19, same /24) as a host is: the interface first, then its Node
  # resource, then the other nodes' BIRD configuration (what confd renders everywhere).
  local old=${ADDR[t1]} new=$NET.19 t0=$SECONDS
  ip netns exec "${NODE_NS[t1]}" sysctl -qw net.ipv4.conf.all.promote_secondaries=1 \
    "net.ipv4.conf.${IFACE[t1]}.promote_secondaries=1"
  ip -n "${NODE_NS[t1]}" addr add "$new/24" dev "${IFACE[t1]}"
  ip -n "${NODE_NS[t1]}" addr del "$old/24" dev "${IFACE[t1]}"
  ADDR[t1]=$new
  node_apply "$new/24" renumbered
  lab_log "t1 renumbered $old -> $new: $(tr '\n' ' ' < "$LAB_DIR/apply-renumbered.out")"
  for n in b2 b3; do
    printf '%s\n' "$(bird_mesh_config $n b2 b3)" > "$LAB_DIR/bird-$n.conf"
    birdc_at $n configure > /dev/null
  done
  wait_sessions 40 t1 "$(mesh b2)" "$(mesh b3)"
  expect_kernel 20 t1 "$(shape t1)" "$(cs_shape b2 near)" "$(cs_shape b3 near)"
  for n in b2 b3; do
    lab_wait_for 20 "$n's session to t1 at $new" bird_established $n "$(mesh t1)"
    lab_wait_for 10 "$n learns t1's block from $new" bash -c \
      "birdc -s '$LAB_DIR/bird-$n.ctl' show route for ${BLOCK[t1]} | grep -q 'via $new'"
  done
  lab_wait_for 40 "nothing stale left" bash -c "[ \"\$(jq -r '.fib.stale' '$LAB_DIR/t1.json')\" = 0 ]"
  expect_kernel 5 t1 "$(shape t1)" "$(cs_shape b2 near)" "$(cs_shape b3 near)"
  # The old speaker's sockets close as its sessions unwind, which can take a moment.
  only_new() {
    local from
    from=$(ip netns exec "${NODE_NS[t1]}" ss -Htn state established '( sport = :179 or dport = :179 )' | awk '{print $3}' | sort -u | tr '\n' ' ')
    grep -q "$new:" <<< "$from" && ! grep -q "$old:" <<< "$from"
  }
  local end=$((SECONDS + 15))
  until only_new; do
    [ $SECONDS -lt $end ] || lab_fail "t1's BGP connections are not all from $new: $(ip netns exec "${NODE_NS[t1]}" ss -Htn state established '( sport = :179 or dport = :179 )' | awk '{print $3}' | tr '\n' ' ')"
    sleep 0.5
  done
  lab_log "renumbered: sessions and routes back in $((SECONDS - t0)) s; t1's BGP connections all from $new"
  sleep 0.5
  # Every session restarted, but the kernel kept the routes through it.
  if grep -E '^Deleted .*10\.244\.' "$mon" > "$LAB_DIR/deleted.txt"; then
    lab_fail "routes deleted while renumbering: $(cat "$LAB_DIR/deleted.txt")"
  fi
}

# ---------------------------------------------------------------- store corrupted

# down_ok REASON: what must hold while no ternd runs on t1 (nothing deletes its routes; the
# BIRD nodes keep its block as graceful restart helpers).
down_ok() {
  [ "$(kernel_routes t1)" = "$KERNEL0" ] || lab_fail "t1's kernel changed $1: $(kernel_routes t1)"
  local n
  for n in b2 b3; do
    birdc_at $n show route for "${BLOCK[t1]}" | grep -q "${ADDR[t1]}" ||
      lab_fail "$n dropped t1's block $1: $(birdc_at $n show route for "${BLOCK[t1]}")"
  done
}

scenario_store_corrupted() {
  cluster b2 b3
  local want=("$(shape t1)" "$(shape b2)" "$(shape b3)") store=$LAB_DIR/t1/intent.pb
  expect_kernel 10 t1 "${want[@]}"
  intent_dump > "$LAB_DIR/intent-before.txt"
  KERNEL0=$(kernel_routes t1)
  lab_spawn monitor "${NODE_NS[t1]}" ip -o monitor route
  sleep 0.5
  local pid=${TERND_PID[t1]} rc=0 t_down=$SECONDS
  kill -TERM "$pid"
  wait "$pid" || rc=$?
  [ $rc = 0 ] || lab_fail "ternd exited $rc on SIGTERM"
  lab_wait_for 10 "BIRD b2 sees t1 go" bash -c \
    "! birdc -s '$LAB_DIR/bird-b2.ctl' show protocols $(mesh t1) | grep -q Established"
  # A few seconds with no ternd at all: nothing moves.
  local until=$((SECONDS + 3))
  while [ $SECONDS -lt $until ]; do
    down_ok "after SIGTERM"
    sleep 0.5
  done
  lab_log "SIGTERM: t1's routes stay; b2: $(birdc_at b2 show protocols all "$(mesh t1)" | grep -iE '^ +(state|neighbor graceful|last error)' | sed 's/^ *//' | tr '\n' ';') route: $(birdc_at b2 show route for "${BLOCK[t1]}" | grep "${ADDR[t1]}" | sed 's/  */ /g')"
  # One byte in the middle of the store, flipped.
  local size off byte sum
  size=$(stat -c %s "$store")
  off=$((size / 2))
  byte=$(od -An -tu1 -j $off -N 1 "$store" | tr -d ' ')
  printf "\\$(printf %03o $((byte ^ 0x5a)))" | dd of="$store" bs=1 seek=$off conv=notrunc status=none
  sum=$(sha256sum < "$store")
  lab_log "flipped the byte at $off of $size in $store"
  # Restarted from its store alone, then with its manifests too: refused both times.
  local how cpid err
  for how in store intent; do
    local args=()
    [ $how = intent ] && args=(--intent "$LAB_DIR/intent.yaml")
    lab_spawn "ternd-corrupt-$how" "${NODE_NS[t1]}" "$TERND" --node-name t1 "${args[@]}" \
      --store "$store" --status "$LAB_DIR/t1-corrupt.json" --stale-deferral 30 \
      --api-socket "$LAB_DIR/t1/tern.sock" "${TERND_ARGS[@]}"
    cpid=$LAB_LAST_PID
    lab_wait_for 10 "ternd ($how) gives up" bash -c \
      "[ ! -e /proc/$cpid ] || grep -q '^[0-9]* (.*) Z' /proc/$cpid/stat"
    rc=0
    wait "$cpid" || rc=$?
    err=$(cat "$LAB_DIR/ternd-corrupt-$how.err")
    lab_log "restart ($how): exit $rc: $err"
    [ $rc = 1 ] || lab_fail "ternd on a corrupt store exited $rc"
    grep -qF "$store" <<< "$err" && grep -q 'checksum mismatch' <<< "$err" && grep -q corrupt <<< "$err" ||
      lab_fail "the error does not name the file and the corruption: $err"
    [ "$(sha256sum < "$store")" = "$sum" ] || lab_fail "ternd changed the corrupt store"
    [ ! -e "$store.tmp" ] && [ ! -e "$LAB_DIR/t1-corrupt.json" ] || lab_fail "ternd left files: $(ls "$LAB_DIR/t1" "$LAB_DIR"/t1-corrupt.json 2>&1)"
    down_ok "while ternd refused to start"
  done
  # The operator's recovery: the corrupt store aside, the node's manifests again.
  mv "$store" "$store.corrupt"
  down_ok "before the recovery"
  lab_log "ternd down $((SECONDS - t_down)) s so far; starting it without the corrupt store"
  ternd_node t1
  wait_sessions 30 t1 "$(mesh b2)" "$(mesh b3)"
  expect_kernel 10 t1 "${want[@]}"
  lab_wait_for 40 "the FIB swept" bash -c "[ \"\$(jq -r '.fib.stale, .fib.swept' '$LAB_DIR/t1.json' | tr '\n' ' ')\" = '0 true ' ]"
  expect_kernel 2 t1 "${want[@]}"
  lab_log "back $((SECONDS - t_down)) s after the SIGTERM: $(status t1 | jq -c .fib)"
  local n
  for n in b2 b3; do
    lab_wait_for 20 "$n's session to t1" bird_established $n "$(mesh t1)"
    birdc_at $n show route for "${BLOCK[t1]}" | grep -q "${ADDR[t1]}" || lab_fail "$n lacks t1's block"
    [ "$(established_count "$(mesh $n)")" = 1 ] || lab_fail "t1's session to $n: $(peer_status "$(mesh $n)")"
  done
  ready t1 || lab_fail "t1 not ready: $(status t1 | jq -c '{ready, ready_reason}')"
  [ "$(sha256sum < "$store.corrupt")" = "$sum" ] || lab_fail "the corrupt store moved aside changed"
  sleep 0.5
  # Not one of t1's routes was deleted, from the SIGTERM to now (stop, refusals, recovery).
  if grep -E '^Deleted .*10\.244\.' "$LAB_DIR/monitor.out" > "$LAB_DIR/deleted.txt"; then
    lab_fail "t1's routes were deleted on the way: $(cat "$LAB_DIR/deleted.txt")"
  fi
  # b2's session necessarily restarted with t1's ternd (what held is graceful restart, above);
  # the intent is the one it had.
  intent_dump > "$LAB_DIR/intent-after.txt"
  diff -u "$LAB_DIR/intent-before.txt" "$LAB_DIR/intent-after.txt" > "$LAB_DIR/intent.diff" ||
    lab_fail "the intent changed: $(cat "$LAB_DIR/intent.diff")"
}

# ---------------------------------------------------------------- the API hammered
# HTTP clients in threads for SECONDS against ternd's REST gateway at ADDR:PORT: keep-alive
# connections mixed with new ones, half the threads sharing 127.0.0.1 (one rate-limit bucket),
# the others an address of their own. Prints one JSON summary; "violations" lists whatever
# broke a rule: a 5xx, a refused or reset connection, a 429 without Retry-After, a probe
# (/healthz, /readyz) not answered 200, the bad POST not answered 4xx naming spec.cidr.
HAMMER_PY='
import http.client, json, sys, threading, time
host, port, threads, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
BAD = json.dumps({"metadata": {"name": "hammer"}, "spec": {"cidr": "10.300.0.0/16"}})
REQS = [
    ("GET", "/v1/status", None), ("GET", "/healthz", None), ("GET", "/v1/routes?limit=50", None),
    ("GET", "/readyz", None), ("GET", "/v1/routes?prefix=10.244.2.0/26", None),
    ("POST", "/v1/ippools?dryRun=true", BAD), ("GET", "/v1/fib?prefix=10.244.2.0/26", None),
    ("GET", "/v1/nodes", None), ("GET", "/metrics", None), ("GET", "/v1/ippools", None),
]
lock = threading.Lock()
codes, lat, probe_lat, violations = {}, [], [], []
def violation(text):
    with lock:
        if len(violations) < 20:
            violations.append(text)
        else:
            violations[-1] = "... and more"
def client(n):
    src = "127.0.0.1" if n % 2 == 0 else "127.0.0.%d" % (10 + n)
    conn, i, end = None, n, time.time() + seconds
    while time.time() < end:
        method, path, body = REQS[i % len(REQS)]
        i += 1
        if conn is None or i % 7 == 0:
            if conn is not None:
                conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=10, source_address=(src, 0))
        headers = {"Content-Type": "application/json"} if body else {}
        t0 = time.time()
        try:
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            data = r.read()
        except (OSError, http.client.HTTPException) as e:
            violation("%s %s: %s: %s" % (method, path, type(e).__name__, e))
            conn.close()
            conn = None
            continue
        ms = (time.time() - t0) * 1000
        probe = path in ("/healthz", "/readyz")
        with lock:
            codes[r.status] = codes.get(r.status, 0) + 1
            (probe_lat if probe else lat).append(ms)
        if r.status >= 500:
            violation("%s %s: %d %s" % (method, path, r.status, data[:200]))
        elif probe and r.status != 200:
            violation("%s: %d %s" % (path, r.status, data[:200]))
        elif r.status == 429 and not r.getheader("Retry-After"):
            violation("429 without Retry-After on %s" % path)
        elif method == "POST" and r.status != 429:
            field = ""
            try:
                field = json.loads(data)["error"]["field"]
            except Exception:
                pass
            if not (400 <= r.status < 500 and field == "spec.cidr"):
                violation("bad POST: %d %s" % (r.status, data[:200]))
        elif method == "GET" and r.status not in (200, 429):
            violation("%s: %d %s" % (path, r.status, data[:200]))
ts = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
for t in ts:
    t.start()
for t in ts:
    t.join()
def pct(xs, p):
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(len(xs) * p / 100))], 2) if xs else None
print(json.dumps({"requests": sum(codes.values()), "codes": {str(k): v for k, v in sorted(codes.items())},
                  "p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99), "probe_p50_ms": pct(probe_lat, 50),
                  "probe_p99_ms": pct(probe_lat, 99), "violations": violations}), flush=True)
'

# gRPC through ternctl on the unix socket, in a loop until the file STOP exists: one line
# "ok" or "fail RC" a call.
GRPC_LOOP='
while [ ! -e "$1" ]; do
  if "$2" --socket "$3" status -o json > /dev/null 2>> "$4" && "$2" --socket "$3" routes 10.244.2.0/26 -o json > /dev/null 2>> "$4"; then
    echo ok
  else
    echo "fail $?"
  fi
done
'

HAMMER_SECS=20
CHURN_PFX=1000
scenario_api_hammered() {
  local churn_as=65077 rest=127.0.0.1:9179
  TERND_EXTRA=(--rest-listen $rest --rest-rate 100)
  fast_router
  node churn 77
  local sc s3
  sc=$(node_session churn)
  s3=$(node_session b3)
  ctl t1 apply -f - > /dev/null <<< "$(m_peer churner "node: t1" "peerIP: ${ADDR[churn]}" "asNumber: $churn_as")"
  # The churn: 1000 /32s from 10.244.200.0 announced, then one UPDATE a millisecond toggling
  # prefix k mod 1000 for 20.5 s: prefixes 0..499 end withdrawn (21 toggles), 500..999 present.
  mkdir -p "$LAB_DIR/churn"
  lab_spawn churn "${NODE_NS[churn]}" python3 -u "$HERE/../../bench/workloads/churn_peers.py" feeder \
    "${ADDR[churn]}" "${ADDR[t1]}" $churn_as 10.244.200.0 $CHURN_PFX 1000 20.5 "$LAB_DIR/churn"
  wait_sessions 20 t1 "$sc"
  lab_wait_for 20 "the churn peer's warm-up" test -e "$LAB_DIR/churn/feeder.warm"
  local want=("$(shape t1)" "$(shape b2)" "$(via b3 $FAST_PREFIXES)") i all=() final=()
  for ((i = 0; i < CHURN_PFX; i++)); do
    all+=("unicast 10.244.$((200 + i / 256)).$((i % 256))/32 ${ADDR[churn]} IFACE")
    [ $i -ge $((CHURN_PFX / 2)) ] && final+=("${all[-1]}")
  done
  expect_kernel 20 t1 "${want[@]}" "${all[@]}"
  lab_wait_for 10 "t1 ready" ready t1
  rest t1 -f "http://$rest/readyz" > /dev/null || lab_fail "readyz: $(rest t1 "http://$rest/readyz")"
  bystander_start
  local b3_since pid=${TERND_PID[t1]} rss0 cpu0 hz t0
  b3_since=$(bird_since_ms b3 Node_t1)
  hz=$(getconf CLK_TCK)
  rss0=$(rss_kib "$pid")
  cpu0=$(cpu_ticks "$pid")
  printf '%s' "$HAMMER_PY" > "$LAB_DIR/hammer.py"
  printf '%s' "$GRPC_LOOP" > "$LAB_DIR/grpc_loop.sh"
  t0=$SECONDS
  touch "$LAB_DIR/churn/go"
  lab_spawn hammer "${NODE_NS[t1]}" python3 -u "$LAB_DIR/hammer.py" "${rest%:*}" "${rest#*:}" 8 $HAMMER_SECS
  local hammer=$LAB_LAST_PID
  lab_spawn grpc "${NODE_NS[t1]}" bash "$LAB_DIR/grpc_loop.sh" "$LAB_DIR/grpc.stop" "$TERNCTL" \
    "$LAB_DIR/t1/tern.sock" "$LAB_DIR/grpc.errors"
  # Meanwhile the sessions hold, b3's with its 3 s hold time among them.
  local rss_max=$rss0 rss
  while kill -0 "$hammer" 2> /dev/null && [ ! -s "$LAB_DIR/hammer.out" ]; do
    [ $((SECONDS - t0)) -lt $((HAMMER_SECS + 30)) ] || lab_fail "the hammer did not finish"
    rss=$(rss_kib "$pid")
    [ "$rss" -gt "$rss_max" ] && rss_max=$rss
    established t1 "$s3" && established t1 "$sc" || lab_fail "a session went down: $(status t1 | jq -c .sessions)"
    sleep 1
  done
  touch "$LAB_DIR/grpc.stop"
  lab_wait_for 30 "the churn ends" test -e "$LAB_DIR/churn/feeder.done"
  local cpu=$(($(cpu_ticks "$pid") - cpu0)) secs=$((SECONDS - t0))
  local summary
  summary=$(cat "$LAB_DIR/hammer.out")
  lab_log "REST: $summary"
  lab_log "churn: $(cat "$LAB_DIR/churn/feeder.done")"
  lab_log "gRPC (ternctl status + routes): $(grep -c '^ok' "$LAB_DIR/grpc.out") calls ok, $(grep -c '^fail' "$LAB_DIR/grpc.out") failed"
  lab_log "ternd: $((cpu * 1000 / hz)) ms of CPU in $secs s; RSS $rss0 KiB before, at most $rss_max KiB"
  jq -e '.violations | length == 0' <<< "$summary" > /dev/null || lab_fail "REST rules broken: $(jq -c .violations <<< "$summary")"
  jq -e '.requests >= 1000 and (.codes["200"] // 0) > 0 and (.codes["429"] // 0) > 0' <<< "$summary" > /dev/null ||
    lab_fail "too few requests, or none served or limited: $summary"
  [ "$(grep -c '^ok' "$LAB_DIR/grpc.out")" -ge 10 ] && ! grep -q '^fail' "$LAB_DIR/grpc.out" ||
    lab_fail "gRPC calls failed: $(sort "$LAB_DIR/grpc.out" | uniq -c) $(tail -3 "$LAB_DIR/grpc.errors" 2>/dev/null)"
  grep -q '^sent=20500 final_present=500 ' "$LAB_DIR/churn/feeder.done" || lab_fail "the churn: $(cat "$LAB_DIR/churn/feeder.done")"
  # After the churn, the kernel holds exactly what is announced.
  expect_kernel 20 t1 "${want[@]}" "${final[@]}"
  local n
  for n in "$sc" "$s3"; do
    [ "$(established_count "$n")" = 1 ] && established t1 "$n" || lab_fail "t1's session $n moved: $(peer_status "$n")"
  done
  same_moment "$(bird_since_ms b3 Node_t1)" "$b3_since" && bird_established b3 Node_t1 ||
    lab_fail "BIRD b3's 3 s hold session to t1 moved: $(birdc_at b3 show protocols all Node_t1)"
  [ $((rss_max - rss0)) -lt 12288 ] || lab_fail "ternd's RSS grew by $((rss_max - rss0)) KiB"
  [ "$(status t1 | jq -r '.fib.failed, .fib.parked' | tr '\n' ' ')" = "0 0 " ] || lab_fail "t1's FIB: $(status t1 | jq -c .fib)"
  for n in healthz readyz; do
    [ "$(rest t1 -o /dev/null -w '%{http_code}' "http://$rest/$n")" = 200 ] || lab_fail "/$n after the storm"
  done
  kill -0 "$pid" || lab_fail "ternd died"
  bystander_check
}

case "$SCENARIO" in
  peer_sigkill | peer_link_flap | peer_flapping | max_prefix | malformed_flood | full_disk | \
    tunl0_recreated | clock_jump | peer_stops_reading | node_subnet_change | store_corrupted | \
    api_hammered) "scenario_$SCENARIO" ;;
  *) lab_fail "unknown scenario $SCENARIO" ;;
esac
lab_log "PASS in $((SECONDS - T1_START))s"
