# ternd nodes in a lab: starting them, reading their status and kernel routes, talking to
# their API. Sources lab.sh, peers.sh and calico.sh, which every ternd lab uses. Needs TERND,
# TERNCTL, NODE_NS (lab_node) and, for the mesh helpers, ADDR[node].

TERND_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$TERND_LIB/lab.sh"
source "$TERND_LIB/peers.sh"
source "$TERND_LIB/calico.sh"

# ternd_lab_init LAB TERND SCENARIO [TERNCTL]: a scenario script's arguments; the lab is named
# LAB-SCENARIO.
ternd_lab_init() {
  TERND=$2
  SCENARIO=$3
  TERNCTL=${4:-$(dirname "$TERND")/../ctl/ternctl}
  lab_init "$1-$SCENARIO"
}

# ternd_tunl0 NODE: this kernel has no ipip module, so tunl0 is a veth stand-in; the routes'
# shape is what is checked.
ternd_tunl0() {
  ip -n "${NODE_NS[$1]}" link add tunl0 type veth peer name tunl0peer
  ip -n "${NODE_NS[$1]}" link set tunl0peer up
  ip -n "${NODE_NS[$1]}" link set tunl0 up
}

# ternd_node NAME [ARGS...]: ternd fed $LAB_DIR/intent.yaml (NO_INTENT=1: its store only), with
# its store and API socket in $LAB_DIR/NAME/, its status in $LAB_DIR/NAME.json; returns once
# the status is written. Run N (from 0) logs to ternd-NAME.N.{out,err}; PID in TERND_PID[NAME].
# TERND_ARGS: flags for every node of the lab (e.g. --rest-listen none).
declare -A TERND_PID TERND_RUN
TERND_ARGS=()
ternd_node() {
  local n=$1 run=${TERND_RUN[$1]:-0}
  shift
  TERND_RUN[$n]=$((run + 1))
  local intent=(--intent "$LAB_DIR/intent.yaml")
  [ -n "${NO_INTENT:-}" ] && intent=()
  mkdir -p "$LAB_DIR/$n"
  # A restarted node must not be taken as up on its predecessor's status.
  rm -f "$LAB_DIR/$n.json"
  lab_spawn "ternd-$n.$run" "${NODE_NS[$n]}" "$TERND" --node-name "$n" "${intent[@]}" \
    --store "$LAB_DIR/$n/intent.pb" --status "$LAB_DIR/$n.json" --stale-deferral 30 \
    --api-socket "$LAB_DIR/$n/tern.sock" "${TERND_ARGS[@]}" "$@"
  TERND_PID[$n]=$LAB_LAST_PID
  lab_wait_for 10 "$n status" test -s "$LAB_DIR/$n.json"
}

status() { cat "$LAB_DIR/$1.json"; }
session_state() { status "$1" | jq -r --arg s "$2" '.sessions[] | select(.name == $s) | .state'; }
established() { [ "$(session_state "$1" "$2")" = Established ]; }
ready() { [ "$(status "$1" | jq -r .ready)" = true ]; }
ctl() { ip netns exec "${NODE_NS[$1]}" "$TERNCTL" --socket "$LAB_DIR/$1/tern.sock" "${@:2}"; }
rest() { ip netns exec "${NODE_NS[$1]}" curl -sS --max-time 10 "${@:2}"; }

# wait_sessions SECONDS NODE SESSION...
wait_sessions() {
  local secs=$1 n=$2 s
  shift 2
  for s in "$@"; do
    lab_wait_for "$secs" "$n: $s Established" established "$n" "$s"
  done
}

# wait_mesh SECONDS NODE PEER_NODE...: NODE's mesh session to each peer (NODE itself skipped).
wait_mesh() {
  local secs=$1 n=$2 p
  shift 2
  for p in "$@"; do
    [ "$p" = "$n" ] && continue
    wait_sessions "$secs" "$n" "$(calico_mesh_name "${ADDR[$p]}")"
  done
}

# kernel_routes NODE [PROTO]: routes of that protocol (default bird, ternd's) in NODE's main
# table, one sorted line each, reduced to their shape "TYPE PREFIX GATEWAY DEV [onlink]"; a
# random interface name (IFACE[NODE]) is written IFACE.
kernel_routes() {
  local iface=${IFACE[$1]:-}
  ip -n "${NODE_NS[$1]}" -j route show proto "${2:-bird}" |
    jq -r '.[] | [.type // "unicast", (.dst | if test("/") then . else . + "/32" end),
                  (.gateway // "-"), (.dev // "-"),
                  ((.flags // []) | index("onlink") | if . == null then "" else "onlink" end)]
               | join(" ")' | sed 's/ *$//' |
    if [ -n "$iface" ]; then sed "s/ $iface\$/ IFACE/; s/ $iface / IFACE /"; else cat; fi |
    LC_ALL=C sort
}

# expect_kernel SECONDS NODE LINE...: NODE's ternd routes are exactly LINE..., soon.
expect_kernel() {
  local secs=$1 n=$2 want got end
  shift 2
  want=$(printf '%s\n' "$@" | LC_ALL=C sort)
  end=$((SECONDS + secs))
  while :; do
    got=$(kernel_routes "$n")
    [ "$got" = "$want" ] && break
    [ $SECONDS -lt $end ] || lab_fail "kernel routes of $n differ
expected exactly:
$want
the kernel has:
${got:-<nothing>}"
    sleep 0.3
  done
  lab_log "$n kernel: $(echo "$want" | wc -l) routes as expected"
}
