#!/usr/bin/env bash
# ternd in a Calico-style cluster: two ternd nodes and one BIRD node configured the way
# Calico's confd renders it, on one segment, all fed the same cluster intent (Calico v3
# manifests). Each ternd must derive its mesh sessions (names, who waits), originate its
# blocks, learn the others', and write kernel routes of the shape each pool's ipipMode asks.
# Usage: cluster_lab.sh TERND_BINARY SCENARIO
#
# Scenarios:
#   mesh          converge; kernel routes, BIRD's table, readiness, session names
#   reconfigure   a pool's ipipMode changes at run time (SIGHUP): routes re-shaped, no
#                 session reset; a bad manifest is refused and the running intent stays
#   vxlan_switch  pools flipped to VXLAN only: ternd says BGP is not needed; restarted with
#                 --backend vxlan it opens no BGP socket, its sessions are gone, it stays ready
#   restart       SIGTERM keeps the kernel routes; BIRD keeps ternd's routes (graceful
#                 restart) until ternd is back, started without --intent (the store has it)
#   borrowed      a workload route on cali* inside another node's block is advertised as a
#                 /32 (like BIRD's kernel learn) and withdrawn when the route goes
#   corrupt_store a damaged store is refused at start with a clear message and left as it is
#   api           ternctl and REST against a running ternd: status, routes, fib, explain for
#                 Always/CrossSubnet/Never, apply --dry-run and apply, get, delete, bad input
#                 refused with the intent unchanged, watch, metrics, stop --hard

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../lib/ternd.sh"
ternd_lab_init cluster "$@"

AS=64512
NET=192.168.97
# String order decides who waits: "192.168.97.10" < "192.168.97.2" < "192.168.97.3".
declare -A ADDR=([n1]=$NET.10 [n2]=$NET.2 [n3]=$NET.3)
declare -A IPIP_BLOCK=([n1]=10.244.10.0/26 [n2]=10.244.2.0/26 [n3]=10.244.3.0/26)
declare -A CROSS_BLOCK=([n1]=10.245.10.0/26 [n2]=10.245.2.0/26 [n3]=10.245.3.0/26)

lab_ns sw NS_SW
lab_bridge "$NS_SW"
for n in n1 n2 n3; do lab_node "$n" "$NS_SW" "${ADDR[$n]}/24"; done
for n in n1 n2; do ternd_tunl0 "$n"; done

# ---------------------------------------------------------------- the cluster intent

# intent IPIP_MODE CROSS_IPIP [CROSS_VXLAN [IPIP_VXLAN]]: every node gets the same manifests.
intent() {
  local ipip=$1 cross=$2 cross_vx=${3:-Never} ipip_vx=${4:-Never} n
  calico_bgpconfig $AS
  for n in n1 n2 n3; do
    calico_node "$n" "${ADDR[$n]}/24"
    calico_block "$n-ipip" "$n" "${IPIP_BLOCK[$n]}" confirmed
    calico_block "$n-cross" "$n" "${CROSS_BLOCK[$n]}"
  done
  calico_pool ipip-pool 10.244.0.0/16 "$ipip" "$ipip_vx" 26
  calico_pool cross-pool 10.245.0.0/16 "$cross" "$cross_vx"
}

# ---------------------------------------------------------------- nodes

# The BIRD node as confd renders a Calico node (reference 3.5, 4.2, 4.3): blackhole statics
# for its blocks, calico_aggr, the pool accept, mesh sessions with the passive rule.
bird_node() {
  local me=n3
  start_bird "${NODE_NS[$me]}" "$(calico_bird_config "${ADDR[$me]}" $AS \
    "${IPIP_BLOCK[$me]} ${CROSS_BLOCK[$me]}" "10.244.0.0/16 10.245.0.0/16" "${ADDR[n1]} ${ADDR[n2]}")" n3
}

# Routes each ternd node should hold, by ipipMode: Always -> tunl0 onlink; CrossSubnet inside
# the node's own /24 -> direct over its interface; Never -> direct.
mesh_routes() {
  local me=$1 ipip=$2 p
  echo "blackhole ${IPIP_BLOCK[$me]} - -"
  echo "blackhole ${CROSS_BLOCK[$me]} - -"
  for p in n1 n2 n3; do
    [ "$p" = "$me" ] && continue
    if [ "$ipip" = Always ]; then
      echo "unicast ${IPIP_BLOCK[$p]} ${ADDR[$p]} tunl0 onlink"
    else
      echo "unicast ${IPIP_BLOCK[$p]} ${ADDR[$p]} IFACE"
    fi
    echo "unicast ${CROSS_BLOCK[$p]} ${ADDR[$p]} IFACE"
  done
}

bird_has() { birdc_at n3 show route for "$1" | grep -q "via $2"; }

# expect_mesh NODE IPIP_MODE: the node's kernel holds exactly mesh_routes, soon.
expect_mesh() {
  local n=$1 ipip=$2 lines=() l
  while IFS= read -r l; do lines+=("$l"); done < <(mesh_routes "$n" "$ipip")
  expect_kernel 20 "$n" "${lines[@]}"
}

scenario_mesh() {
  intent Always CrossSubnet > "$LAB_DIR/intent.yaml"
  bird_node
  ternd_node n1
  ternd_node n2
  local n
  for n in n1 n2; do wait_mesh 30 "$n" n1 n2 n3; done
  expect_mesh n1 Always
  expect_mesh n2 Always
  lab_wait_for 10 "BIRD learns n1's blocks" bird_has "${IPIP_BLOCK[n1]}" "${ADDR[n1]}"
  lab_wait_for 10 "BIRD learns n2's blocks" bird_has "${CROSS_BLOCK[n2]}" "${ADDR[n2]}"
  # Nothing but the blocks leaves a node: BIRD holds exactly the two ternd nodes' four blocks
  # besides its own.
  local learned
  learned=$(birdc_at n3 show route | grep -c '\[Mesh_' || true)
  [ "$learned" = 4 ] || lab_fail "BIRD learned $learned routes from ternd, expected 4"
  lab_wait_for 10 "n1 ready" ready n1
  lab_wait_for 10 "n2 ready" ready n2
  # n1 (192.168.97.10 sorts first) waits for both peers: they open the sessions.
  grep -q "${ADDR[n1]}" <(ip netns exec "${NODE_NS[n1]}" ss -tn state established '( sport = :179 )') ||
    lab_fail "n1 should have accepted its sessions on port 179 (passive by string order)"
}

scenario_reconfigure() {
  scenario_mesh
  local before
  before=$(status n1 | jq -c '[.sessions[] | {name, state}]')
  intent Never CrossSubnet > "$LAB_DIR/intent.yaml"
  kill -HUP "${TERND_PID[n1]}"
  expect_mesh n1 Never
  [ "$(status n1 | jq -c '[.sessions[] | {name, state}]')" = "$before" ] ||
    lab_fail "a pool mode change touched the sessions"
  grep -q 'peer .* changed' "$LAB_DIR/ternd-n1.0.err" && lab_fail "a session was reset"
  # A bad manifest: refused with the document, line and field named; nothing changes.
  printf 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: bad\nspec:\n  cidr: 10.246.0.0/16\n  blockSize: many\n' \
    > "$LAB_DIR/intent.yaml"
  kill -HUP "${TERND_PID[n1]}"
  lab_wait_for 10 "the refusal in n1's status" \
    bash -c "jq -r .last_error '$LAB_DIR/n1.json' | grep -q 'blockSize'"
  lab_log "refused: $(status n1 | jq -r .last_error)"
  expect_mesh n1 Never
  for p in n2 n3; do established n1 "Mesh_${ADDR[$p]//./_}" || lab_fail "session to $p lost"; done
}

scenario_vxlan_switch() {
  scenario_mesh
  intent Never Never Always Always > "$LAB_DIR/intent.yaml"
  kill -HUP "${TERND_PID[n1]}"
  lab_wait_for 10 "n1 says BGP is not needed" \
    bash -c "jq -e '.bgp_needed == false and (.notes | map(test(\"not needed\")) | any)' '$LAB_DIR/n1.json'"
  grep -q 'not needed' "$LAB_DIR/ternd-n1.0.err" || lab_fail "the log does not say BGP is not needed"
  # VXLAN routes are the node agent's: ternd's kernel routes for the pools go.
  expect_kernel 20 n1
  # The operator switches the backend: ternd restarts without BGP.
  kill -TERM "${TERND_PID[n1]}"
  wait "${TERND_PID[n1]}" 2>/dev/null || true
  CALICO_NETWORKING_BACKEND=vxlan ternd_node n1
  lab_wait_for 10 "n1 ready without BGP" ready n1
  [ "$(status n1 | jq -r '.bgp_enabled, (.sessions | length)' | tr '\n' ' ')" = "false 0 " ] ||
    lab_fail "n1 still runs BGP: $(status n1)"
  ip netns exec "${NODE_NS[n1]}" ss -ltn | grep -q ':179 ' && lab_fail "n1 still listens for BGP"
  lab_wait_for 20 "n2's session to n1 is down" \
    bash -c "[ \"\$(jq -r '.sessions[] | select(.name == \"Mesh_${ADDR[n1]//./_}\") | .state' '$LAB_DIR/n2.json')\" != Established ]"
  sleep 3
  ready n1 || lab_fail "n1 not ready: $(status n1 | jq -r .ready_reason)"
}

scenario_restart() {
  scenario_mesh
  local routes
  routes=$(kernel_routes n1)
  kill -TERM "${TERND_PID[n1]}"
  wait "${TERND_PID[n1]}" 2>/dev/null || true
  [ "$(kernel_routes n1)" = "$routes" ] || lab_fail "SIGTERM removed kernel routes"
  # No NOTIFICATION went out: BIRD keeps n1's blocks as a graceful restart helper.
  sleep 1
  bird_has "${IPIP_BLOCK[n1]}" "${ADDR[n1]}" || lab_fail "BIRD dropped n1's routes at once"
  # The intent comes from the store this time.
  NO_INTENT=1 ternd_node n1
  [ "$(status n1 | jq -r .intent_revision)" = 1 ] || lab_fail "the stored intent was not used"
  lab_wait_for 30 "n1 back to n3" established n1 "Mesh_${ADDR[n3]//./_}"
  expect_mesh n1 Always
  bird_has "${IPIP_BLOCK[n1]}" "${ADDR[n1]}" || lab_fail "BIRD lost n1's routes"
}

scenario_borrowed() {
  scenario_mesh
  local pod=10.244.10.7/32 # inside n1's block, running on n2
  ip -n "${NODE_NS[n2]}" link add caliaaaa0001 type veth peer name caliaaaa0001p
  ip -n "${NODE_NS[n2]}" link set caliaaaa0001 up
  ip -n "${NODE_NS[n2]}" route add "$pod" dev caliaaaa0001 proto boot scope link
  # A workload inside n2's own block stays beneath the block: never advertised.
  ip -n "${NODE_NS[n2]}" route add 10.244.2.9/32 dev caliaaaa0001 proto boot scope link
  local lines=() l
  while IFS= read -r l; do lines+=("$l"); done < <(mesh_routes n1 Always)
  expect_kernel 20 n1 "${lines[@]}" "unicast $pod ${ADDR[n2]} tunl0 onlink"
  lab_wait_for 10 "BIRD learns the borrowed /32 from n2" bird_has "$pod" "${ADDR[n2]}"
  birdc_at n3 show route for 10.244.2.9/32 | grep -q '10.244.2.9/32' &&
    lab_fail "an address inside n2's own block was advertised"
  ip -n "${NODE_NS[n2]}" route del "$pod" dev caliaaaa0001
  expect_mesh n1 Always
}

scenario_corrupt_store() {
  intent Always CrossSubnet > "$LAB_DIR/intent.yaml"
  mkdir -p "$LAB_DIR/n1"
  printf 'TERNINT1 but not really a store' > "$LAB_DIR/n1/intent.pb"
  local sum
  sum=$(sha256sum < "$LAB_DIR/n1/intent.pb")
  local rc=0
  ip netns exec "${NODE_NS[n1]}" "$TERND" --node-name n1 --intent "$LAB_DIR/intent.yaml" \
    --store "$LAB_DIR/n1/intent.pb" > "$LAB_DIR/corrupt.out" 2> "$LAB_DIR/corrupt.err" || rc=$?
  [ "$rc" = 1 ] || lab_fail "ternd started on a corrupt store (rc $rc)"
  grep -q "intent.pb" "$LAB_DIR/corrupt.err" && grep -qi "corrupt" "$LAB_DIR/corrupt.err" ||
    lab_fail "the refusal does not name the store and the problem: $(cat "$LAB_DIR/corrupt.err")"
  lab_log "refused: $(cat "$LAB_DIR/corrupt.err")"
  [ "$(sha256sum < "$LAB_DIR/n1/intent.pb")" = "$sum" ] || lab_fail "the corrupt store was rewritten"
}

revision() { ctl "$1" status -o json | jq -r .intentRevision; }

# JSON with fields at their defaults left out (ternctl prints them, REST does not, as
# protobuf's JSON mapping allows).
JSON_NORM='walk(if type == "object" then with_entries(select(.value != "" and .value != "0" and
  .value != 0 and .value != false and .value != [] and .value != {})) else . end)'

# same_both WHAT GRPC_JSON REST_PATH: ternctl (gRPC) and REST answer alike.
same_both() {
  local a b
  a=$(jq -S "$JSON_NORM" <<< "$2")
  b=$(rest n1 "http://127.0.0.1:9179$3" | jq -S "$JSON_NORM")
  [ -n "$a" ] && [ "$a" = "$b" ] || lab_fail "$1 differs between gRPC and REST: $(diff <(echo "$a") <(echo "$b"))"
}

scenario_api() {
  scenario_mesh
  # calicoctl node status, as ternd sees it.
  ctl n1 status > "$LAB_DIR/status.txt"
  cat "$LAB_DIR/status.txt" >&2
  for p in n2 n3; do
    grep -E "\\| ${ADDR[$p]} +\\| node-to-node mesh \\| up +\\|" "$LAB_DIR/status.txt" > /dev/null ||
      lab_fail "ternctl status does not show ${ADDR[$p]} up"
  done
  # gRPC and REST give the same status.
  local a b norm="del(.peers[].updatesIn, .peers[].updatesOut) | $JSON_NORM"
  a=$(ctl n1 status -o json | jq -S "$norm")
  b=$(rest n1 http://127.0.0.1:9179/v1/status | jq -S "$norm")
  [ "$a" = "$b" ] || lab_fail "status differs between gRPC and REST: $(diff <(echo "$a") <(echo "$b"))"
  # ... and so do routes, fib, explain and get.
  same_both "routes" "$(ctl n1 routes "${IPIP_BLOCK[n2]}" -o json)" "/v1/routes?prefix=${IPIP_BLOCK[n2]//\//%2F}"
  same_both "fib" "$(ctl n1 fib "${IPIP_BLOCK[n3]}" -o json)" "/v1/fib?prefix=${IPIP_BLOCK[n3]//\//%2F}"
  same_both "explain" "$(ctl n1 explain "${CROSS_BLOCK[n2]}" -o json)" "/v1/explain?prefix=${CROSS_BLOCK[n2]//\//%2F}"
  same_both "get" "$(ctl n1 get ippool cross-pool -o json)" "/v1/ippools/cross-pool"
  same_both "list" "$(ctl n1 get ippools -o json)" "/v1/ippools"
  # Changes over REST, as dry runs first: the same preview as ternctl's, nothing applied.
  # A new pool changes every peer's export policy and nothing else: the sessions are
  # refreshed (RFC 7313), never reset.
  local pool_json='{"metadata":{"name":"extra"},"spec":{"cidr":"10.246.0.0/16","ipipMode":"Never","vxlanMode":"Never"}}'
  local rest_dry ctl_dry code bird_since sessions_before
  rest_dry=$(rest n1 -X POST -H 'Content-Type: application/json' -d "$pool_json" \
    'http://127.0.0.1:9179/v1/ippools?dryRun=true' | jq -S "$JSON_NORM")
  printf 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: extra\nspec:\n  cidr: 10.246.0.0/16\n  ipipMode: Never\n  vxlanMode: Never\n' \
    > "$LAB_DIR/extra.yaml"
  ctl_dry=$(ctl n1 apply --dry-run -f "$LAB_DIR/extra.yaml" -o json | jq -S "$JSON_NORM")
  [ "$rest_dry" = "$ctl_dry" ] || lab_fail "dry runs differ: REST $rest_dry, ternctl $ctl_dry"
  [ "$(jq -r '[.sessions[].action] | unique | join(",")' <<< "$rest_dry")" = refresh ] ||
    lab_fail "a new pool should refresh every session, not reset one: $rest_dry"
  [ "$(revision n1)" = 1 ] || lab_fail "a dry run over REST changed the intent"
  # Create, delete and watch over REST; the sessions stay up throughout, here and at BIRD.
  sessions_before=$(status n1 | jq -c '[.sessions[] | {name, state}]')
  bird_since=$(bird_since_ms n3 "$(calico_mesh_name "${ADDR[n1]}")")
  code=$(rest n1 -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -d "$pool_json" http://127.0.0.1:9179/v1/ippools)
  [ "${code:0:1}" = 2 ] || lab_fail "REST create: $code"
  ctl n1 get ippool extra > /dev/null || lab_fail "the pool created over REST is missing"
  lab_wait_for 10 "n1 to refresh its sessions for the new pool" \
    grep -q 'filters changed: routes refreshed, session kept' "$LAB_DIR/ternd-n1.0.err"
  code=$(rest n1 -o /dev/null -w '%{http_code}' -X DELETE http://127.0.0.1:9179/v1/ippools/extra)
  [ "${code:0:1}" = 2 ] || lab_fail "REST delete: $code"
  ctl n1 get ippool extra > /dev/null 2>&1 && lab_fail "the pool deleted over REST is still there"
  [ "$(revision n1)" = 3 ] || lab_fail "create and delete over REST: revision $(revision n1), expected 3"
  sleep 1
  grep -q 'session reset' "$LAB_DIR/ternd-n1.0.err" && lab_fail "a pool added or removed reset a session"
  [ "$(status n1 | jq -c '[.sessions[] | {name, state}]')" = "$sessions_before" ] ||
    lab_fail "sessions changed: $(status n1 | jq -c '[.sessions[] | {name, state}]')"
  same_moment "$(bird_since_ms n3 "$(calico_mesh_name "${ADDR[n1]}")")" "$bird_since" ||
    lab_fail "BIRD saw its session with n1 restart"
  code=$(rest n1 -o "$LAB_DIR/readyz.out" -w '%{http_code}' http://127.0.0.1:9179/readyz)
  [ "$code" = 200 ] || lab_fail "/readyz: $code $(cat "$LAB_DIR/readyz.out")"
  rest n1 http://127.0.0.1:9179/metrics | grep -q '^tern_bgp_sessions{state="Established"} 2' ||
    lab_fail "metrics: $(rest n1 http://127.0.0.1:9179/metrics | grep sessions)"

  ctl n1 routes "${IPIP_BLOCK[n2]}" | grep -q "Mesh_${ADDR[n2]//./_}" || lab_fail "routes: no path from n2"
  ctl n1 fib "${IPIP_BLOCK[n3]}" | grep -q installed || lab_fail "fib: $(ctl n1 fib "${IPIP_BLOCK[n3]}")"
  # explain: Always tunnels, CrossSubnet inside the node's subnet goes direct.
  ctl n1 explain "${IPIP_BLOCK[n2]}" > "$LAB_DIR/explain_always.txt"
  grep -q 'tunl0 onlink' "$LAB_DIR/explain_always.txt" && grep -q 'Always' "$LAB_DIR/explain_always.txt" ||
    lab_fail "explain Always: $(cat "$LAB_DIR/explain_always.txt")"
  ctl n1 explain "${CROSS_BLOCK[n2]}" > "$LAB_DIR/explain_cross.txt"
  grep -q 'CrossSubnet' "$LAB_DIR/explain_cross.txt" && grep -q "is inside $NET.0/24" "$LAB_DIR/explain_cross.txt" ||
    lab_fail "explain CrossSubnet: $(cat "$LAB_DIR/explain_cross.txt")"

  # A pool change previewed, then applied: the preview lists exactly the re-shaped routes.
  local rev
  rev=$(revision n1)
  cat > "$LAB_DIR/pool.yaml" <<YAML
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: ipip-pool
spec:
  cidr: 10.244.0.0/16
  ipipMode: Never
  vxlanMode: Never
  blockSize: 26
YAML
  ctl n1 apply --dry-run -f "$LAB_DIR/pool.yaml" > "$LAB_DIR/dry.txt"
  cat "$LAB_DIR/dry.txt" >&2
  for p in n2 n3; do
    grep -qF "~ route ${IPIP_BLOCK[$p]}: via ${ADDR[$p]} dev tunl0 onlink -> via ${ADDR[$p]}" "$LAB_DIR/dry.txt" ||
      lab_fail "dry run does not list ${IPIP_BLOCK[$p]}"
  done
  grep -q 'session' "$LAB_DIR/dry.txt" && lab_fail "a pool change would touch sessions"
  [ "$(revision n1)" = "$rev" ] || lab_fail "a dry run changed the intent"
  expect_mesh n1 Always
  ctl n1 apply -f "$LAB_DIR/pool.yaml"
  expect_mesh n1 Never
  ctl n1 explain "${IPIP_BLOCK[n3]}" | grep -q 'Never' || lab_fail "explain Never"
  ctl n1 get ippools | grep -q ipip-pool || lab_fail "get ippools"

  # Bad input: refused with the field named, nothing changes.
  rev=$(revision n1)
  local code
  code=$(rest n1 -o "$LAB_DIR/bad.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -d '{"metadata":{"name":"p2"},"spec":{"cidr":"10.300.0.0/16"}}' http://127.0.0.1:9179/v1/ippools)
  [ "${code:0:1}" = 4 ] && grep -q 'spec.cidr' "$LAB_DIR/bad.json" || lab_fail "bad CIDR: $code $(cat "$LAB_DIR/bad.json")"
  code=$(rest n1 -o "$LAB_DIR/bad.json" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    -d '{"metadata":{"name":"default"},"spec":{"asNumber":0}}' http://127.0.0.1:9179/v1/bgpconfigurations/default)
  [ "${code:0:1}" = 4 ] && grep -q 'asNumber' "$LAB_DIR/bad.json" || lab_fail "AS 0: $code $(cat "$LAB_DIR/bad.json")"
  ctl n1 delete bgppeer nowhere > "$LAB_DIR/del.out" 2>&1 && lab_fail "deleting a missing peer succeeded"
  grep -q 'not found' "$LAB_DIR/del.out" || lab_fail "delete: $(cat "$LAB_DIR/del.out")"
  [ "$(revision n1)" = "$rev" ] || lab_fail "refused requests changed the intent"

  # Watch, over gRPC and as Server-Sent Events: BIRD drops its session to n1, and with it
  # n1's route to n3's block.
  lab_spawn watch "${NODE_NS[n1]}" "$TERNCTL" --socket "$LAB_DIR/n1/tern.sock" watch --sessions
  lab_spawn sse "${NODE_NS[n1]}" curl -sN 'http://127.0.0.1:9179/v1/watch?sessions=true'
  lab_spawn sse_routes "${NODE_NS[n1]}" curl -sN 'http://127.0.0.1:9179/v1/watch?routes=true'
  sleep 1
  birdc_at n3 disable "Mesh_${ADDR[n1]//./_}" > /dev/null
  lab_wait_for 15 "a session event for Mesh_${ADDR[n3]//./_}" grep -q "Mesh_${ADDR[n3]//./_}" "$LAB_DIR/watch.out"
  lab_wait_for 5 "the same event over SSE" grep -q "^data: .*Mesh_${ADDR[n3]//./_}" "$LAB_DIR/sse.out"
  lab_wait_for 5 "a route event for n3's block over SSE" \
    grep -q "^data: .*${IPIP_BLOCK[n3]}.*unreachable" "$LAB_DIR/sse_routes.out"
  grep -q "Mesh_" "$LAB_DIR/sse_routes.out" && lab_fail "a routes-only watch got session events"
  birdc_at n3 enable "Mesh_${ADDR[n1]//./_}" > /dev/null

  # A hard stop: Cease to every peer, so BIRD drops n1's routes at once (no graceful restart).
  ctl n1 stop --hard
  wait "${TERND_PID[n1]}" 2>/dev/null || true
  lab_wait_for 10 "BIRD drops n1's block" bash -c "! birdc -s '$LAB_DIR/bird-n3.ctl' show route for ${IPIP_BLOCK[n1]} | grep -q 'via ${ADDR[n1]}'"
}

case "$SCENARIO" in
  mesh) scenario_mesh ;;
  reconfigure) scenario_reconfigure ;;
  vxlan_switch) scenario_vxlan_switch ;;
  restart) scenario_restart ;;
  borrowed) scenario_borrowed ;;
  corrupt_store) scenario_corrupt_store ;;
  api) scenario_api ;;
  *) lab_fail "unknown scenario $SCENARIO" ;;
esac
lab_log "PASS"
