# Helpers of the fault-injection labs (interop/faults/*_lab.sh): one bridge 192.168.97.0/24,
# t1 (ternd) at .9 next to confd-shaped BIRD nodes and external BIRD routers, the intent they
# are all fed, the kernel shapes t1 writes, what ternd's status says, and the bystander b2
# whose session must never move. Source after ternd.sh and ternd_lab_init; the lab then makes
# its switch (lab_ns sw NS_SW; lab_bridge "$NS_SW").
#
# Blocks are 10.244.<last octet>.0/26, one pool 10.244.0.0/16.

AS=64512
NET=192.168.97
POOL=10.244.0.0/16
POOL_MODE=Never
declare -A ADDR BLOCK BIRD_PID

# node NAME LAST_OCTET: a namespace on the bridge at $NET.LAST_OCTET.
node() {
  ADDR[$1]=$NET.$2
  BLOCK[$1]=10.244.$2.0/26
  lab_node "$1" "$NS_SW" "${ADDR[$1]}/24"
}

mesh() { calico_mesh_name "${ADDR[$1]}"; }
node_session() { echo "Node_${ADDR[$1]//./_}"; }

# ---------------------------------------------------------------- the cluster

# m_peer NAME SPEC_LINE...: a BGPPeer.
m_peer() {
  printf -- '---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: %s\nspec:\n' "$1"
  shift
  printf '  %s\n' "$@"
}

# intent MESH_NODE... : t1 and the BIRD mesh nodes with their blocks, the pool, and whatever
# EXTRA_INTENT (a function name) adds.
intent() {
  local n
  calico_bgpconfig $AS
  for n in t1 "$@"; do
    calico_node "$n" "${ADDR[$n]}/24"
    calico_block "$n-block" "$n" "${BLOCK[$n]}" confirmed
  done
  calico_pool default-pool $POOL $POOL_MODE Never 26
  if [ -n "${EXTRA_INTENT:-}" ]; then "$EXTRA_INTENT"; fi
}

# bird_mesh NAME MESH_NODE...: NAME as confd renders a Calico node meshed with the others.
bird_mesh() {
  local me=$1 n peers=""
  shift
  for n in t1 "$@"; do [ "$n" != "$me" ] && peers+=" ${ADDR[$n]}"; done
  start_bird "${NODE_NS[$me]}" "$(calico_bird_config "${ADDR[$me]}" $AS "${BLOCK[$me]}" $POOL "$peers")" "$me"
  BIRD_PID[$me]=$LAB_LAST_PID
}

# bird_router_config NAME "PREFIX..." [PROTOCOL_LINES]: an external BIRD router (not a Calico
# node) announcing PREFIX... to t1 over a node-specific BGPPeer session (both ends connect).
bird_router_config() {
  calico_bird_config "${ADDR[$1]}" $AS "$2" $POOL ""
  cat << BIRD
protocol bgp Node_t1 from bgp_template {
  ttl security off; multihop;
  neighbor ${ADDR[t1]} as $AS; source address ${ADDR[$1]};
  ${3:-}
}
BIRD
}
bird_router() {
  start_bird "${NODE_NS[$1]}" "$(bird_router_config "$@")" "$1"
  BIRD_PID[$1]=$LAB_LAST_PID
}

# cluster MESH_NODE...: the intent, BIRD on every mesh node, ternd on t1 (TERND_EXTRA: its
# extra flags); waits for t1's mesh sessions.
TERND_EXTRA=()
MESH_NODES=()
cluster() {
  local n
  MESH_NODES=("$@")
  [ -n "${NODE_NS[t1]:-}" ] || node t1 9
  for n in "$@"; do node "$n" "${n#b}"; done
  intent "$@" > "$LAB_DIR/intent.yaml"
  for n in "$@"; do bird_mesh "$n" "$@"; done
  ternd_node t1 "${TERND_EXTRA[@]}"
  for n in "$@"; do wait_sessions 30 t1 "$(mesh "$n")"; done
}

# shape NODE: the kernel route t1 writes for NODE's block (POOL_MODE).
shape() {
  if [ "$1" = t1 ]; then
    echo "blackhole ${BLOCK[t1]} - -"
  elif [ "$POOL_MODE" = Always ]; then
    echo "unicast ${BLOCK[$1]} ${ADDR[$1]} tunl0 onlink"
  else
    echo "unicast ${BLOCK[$1]} ${ADDR[$1]} IFACE"
  fi
}
# via NODE PREFIX...: kernel lines of routes learned from an external router.
via() {
  local n=$1 p
  shift
  for p in "$@"; do echo "unicast $p ${ADDR[$n]} IFACE"; done
}

# switch_port NODE: the switch's end of NODE's cable (the veth peer's ifindex is "@ifN").
switch_port() {
  local idx
  idx=$(ip -n "${NODE_NS[$1]}" -o link show "${IFACE[$1]}" | sed -n 's/.*@if\([0-9]*\).*/\1/p')
  ip -n "$NS_SW" -o link show | awk -F': ' -v i="$idx" '$1 == i { sub(/@.*/, "", $2); print $2 }'
}

# ---------------------------------------------------------------- what ternd says

tstatus() { ctl t1 status -o json; }
peer_status() { tstatus | jq -c --arg s "$1" '.peers[] | select(.name == $s)'; }
established_count() { peer_status "$1" | jq -r '.establishedCount // 0'; }
bird_established() { birdc_at "$1" show protocols "$2" | grep -q Established; }
tern_stale() {
  ctl t1 routes "$1" -o json | jq -e '[.routes[]?.paths[]? | select(.stale)] | length >= 1' > /dev/null
}
tern_gone() { ctl t1 routes "$1" -o json | jq -e '[.routes[]?.paths[]?] | length == 0' > /dev/null; }

# The intent as ternctl shows it, every kind, and its revision.
intent_dump() {
  local k
  for k in bgpconfiguration node blockaffinity ippool bgppeer secret; do
    echo "== $k"
    ctl t1 get "$k" -o json
  done
  echo "== revision $(tstatus | jq -r .intentRevision)"
}

# bystander_start: remembers the bystander b2's session as both ends see it, and the intent.
bystander_start() {
  BYSTANDER_SINCE=$(bird_since_ms b2 "$(mesh t1)")
  intent_dump > "$LAB_DIR/intent-before.txt"
}

# bystander_check: b2's session never moved, on either side; the intent is unchanged.
bystander_check() {
  local c
  c=$(established_count "$(mesh b2)")
  [ "$c" = 1 ] && established t1 "$(mesh b2)" ||
    lab_fail "the bystander session flapped: established $c times: $(peer_status "$(mesh b2)")"
  same_moment "$(bird_since_ms b2 "$(mesh t1)")" "$BYSTANDER_SINCE" ||
    lab_fail "BIRD's session to t1 moved: since '$BYSTANDER_SINCE', now '$(bird_since_ms b2 "$(mesh t1)")'"
  bird_established b2 "$(mesh t1)" || lab_fail "BIRD's session to t1 is down"
  birdc_at b2 show route for "${BLOCK[t1]}" | grep -q "${ADDR[t1]}" || lab_fail "b2 lost t1's block"
  intent_dump > "$LAB_DIR/intent-after.txt"
  diff -u "$LAB_DIR/intent-before.txt" "$LAB_DIR/intent-after.txt" > "$LAB_DIR/intent.diff" ||
    lab_fail "the intent changed: $(cat "$LAB_DIR/intent.diff")"
  lab_log "bystander session untouched, intent unchanged"
}

# fib_field NAME: a field of the status file's fib object.
fib_field() { status t1 | jq -r ".fib.$1"; }
