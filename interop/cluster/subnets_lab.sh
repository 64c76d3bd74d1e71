#!/usr/bin/env bash
# Cluster scenarios of issue 8: ternd next to BIRD and FRR nodes in a Calico-shaped cluster of
# two node subnets joined by a router, with Felix-wired pods pinging each other through the
# routes the daemons installed.
# Usage: subnets_lab.sh TERND SCENARIO [TERNCTL]   (FRR_DEBUG=1: FRR logs its neighbor events)
#
#   subnet A 192.168.101.0/24                router              subnet B 192.168.100.0/24
#   t1 .11 (ternd)   b1 .13 (BIRD, confd)   .1 | .1              t2 .12 (ternd)   f1 .10 (FRR)
#   block 10.244.<i>.0/26 per node (t1 1, t2 2, b1 3, f1 4), a pod 10.244.<i>.5 on each
#
# Every node has a default route via the router, so the mesh sessions across the subnets are
# iBGP multihop over it, as in a Calico cluster spanning subnets. FRR stands in for a Calico
# node: iBGP to every other node, graceful restart, its block a blackhole static announced by a
# network statement, and zebra programming the kernel the way calico_kernel_programming does
# (blackholes and next hops inside its own subnet; stock FRR has no IPIP either).
#
# Why FRR has the address that sorts first (so, by Calico's string rule, it waits for every
# other node to connect): FRR as a graceful restart helper stops connecting to a peer whose
# restart it waits for (PEER_STATUS_NSF_WAIT: it leaves the reconnection to the restarting
# side). Were FRR the side that connects to a restarting ternd (or BIRD) node, which by the rule
# only listens, the session would come back only when FRR's restart timer ran out and FRR
# dropped the node's routes. With the first address FRR listens and the restarted node connects.
#
# Scenarios:
#   mesh_two_subnets    pool CrossSubnet: every node learns every block (ternd's RIB and kernel,
#                       birdc, vtysh); ternd writes "via NH dev eth0" inside its subnet,
#                       "via NH dev tunl0 onlink" across, a blackhole for its own block; the pods
#                       on t1 and b1 ping each other both ways
#   mode_switch         see below
#   restart_under_ping  pods t1<->b1 and t2<->f1 ping every 20 ms while both ternd are SIGTERMed
#                       and restarted from their stores (no --intent): not one packet lost; BIRD
#                       and FRR keep ternd's blocks while it is down (graceful restart)
#   bird_node_killed    BIRD (advertising a 10 s restart time) is SIGKILLed: ternd keeps its
#                       block as stale, in its RIB and in the kernel, for those 10 s, then
#                       withdraws it
#
# mode_switch, and why it pings what it pings: this kernel has no IPIP module, so tunl0 is a
# veth stand-in that carries no packet; while a pool is Always its routes go into tunl0 and a
# ping over them is lost whatever ternd does. So the lab (t1, t2, b1, all in subnet A) has two
# pools: "stable" (Never) and "switched", which goes Always -> CrossSubnet -> Never through
# `ternctl apply -f` on both ternd nodes. A pod-to-pod ping over the stable pool runs through
# all the switches (a pool change must disturb no other route, nor the sessions), and one over
# the switched pool runs through the CrossSubnet -> Never step, where both shapes are direct:
# zero loss for both. `ip monitor route` on t1 and t2 must show every re-shaped route replaced,
# never deleted (a delete-then-add would be a forwarding gap).

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../lib/ternd.sh"
ternd_lab_init scen "$@"
TERND_ARGS=(--rest-listen none)

AS=64512
NET_A=192.168.101
NET_B=192.168.100
declare -A ADDR=([t1]=$NET_A.11 [b1]=$NET_A.13 [t2]=$NET_B.12 [f1]=$NET_B.10)
declare -A IDX=([t1]=1 [t2]=2 [b1]=3 [f1]=4)
declare -A POD_NS
# POOLS: "name:cidr-prefix:ipipMode" (cidr-prefix 10.244 means 10.244.0.0/16, blocks
# 10.244.<i>.0/26); NODES: the nodes of the lab.
POOLS="main:10.244:CrossSubnet"
NODES="t1 b1 t2 f1"

block() { echo "$2.${IDX[$1]}.0/26"; }   # block NODE CIDR_PREFIX
pod_ip() { echo "$2.${IDX[$1]}.5"; }     # pod_ip NODE CIDR_PREFIX
subnet_of() { echo "${ADDR[$1]%.*}"; }
mesh_name() { calico_mesh_name "${ADDR[$1]}"; }
others() {
  local n
  for n in $NODES; do [ "$n" != "$1" ] && echo "$n"; done
  return 0
}

# ---------------------------------------------------------------- the network

build_net() {
  local n
  lab_two_subnets $NET_A $NET_B
  for n in $NODES; do
    lab_subnet_node "$n" "${ADDR[$n]}"
    ternd_tunl0 "$n"
  done
}

# add_pods CIDR_PREFIX: a pod in that pool on every node, POD_NS[node-prefix].
add_pods() {
  local n pod
  for n in $NODES; do
    calico_pod "${NODE_NS[$n]}" "$n-${1//./-}" "$(pod_ip "$n" "$1")" pod
    POD_NS[$n-$1]=$pod
  done
}

# ---------------------------------------------------------------- the intent

# pool_spec_field SPEC N: field N of a POOLS entry (1 name, 2 cidr prefix, 3 ipipMode).
pool_spec_field() {
  local spec=$1 i=$2 a
  IFS=: read -r -a a <<< "$spec"
  echo "${a[$((i - 1))]}"
}

# intent: the manifests every node is fed (POOLS, NODES).
intent() {
  local n spec
  calico_bgpconfig $AS
  for n in $NODES; do
    calico_node "$n" "${ADDR[$n]}/24"
    for spec in $POOLS; do
      calico_block "$n-$(pool_spec_field "$spec" 1)" "$n" "$(block "$n" "$(pool_spec_field "$spec" 2)")" confirmed
    done
  done
  for spec in $POOLS; do
    calico_pool "$(pool_spec_field "$spec" 1)" "$(pool_spec_field "$spec" 2).0.0/16" \
      "$(pool_spec_field "$spec" 3)" Never 26
  done
}

# ---------------------------------------------------------------- the nodes

# bird_node: b1 as confd renders a Calico node, programming the kernel for its subnet.
bird_node() {
  local blocks="" pools="" peers="" spec p
  for spec in $POOLS; do
    blocks+=" $(block b1 "$(pool_spec_field "$spec" 2)")"
    pools+=" $(pool_spec_field "$spec" 2).0.0/16:$(pool_spec_field "$spec" 3)"
  done
  for p in $(others b1); do peers+=" ${ADDR[$p]}"; done
  start_bird "${NODE_NS[b1]}" "$(calico_bird_config "${ADDR[b1]}" $AS "$blocks" "$pools" "$peers" \
    "$(subnet_of b1).0/24")" b1
  BIRD_PID=$LAB_LAST_PID
}

# frr_node: f1 as a Calico mesh member would be, with zebra and staticd so its routes reach the
# kernel (start_frr runs bgpd alone). All three daemons share one path space (-N) and the vty
# directory, so bgpd finds zebra's socket and vtysh_at f1 reaches bgpd.
frr_node() {
  local me=f1 d p spec nb="" net
  d=$LAB_DIR/frr-$me
  net=$(subnet_of $me).0/24
  mkdir -p "$d"
  for p in $(others $me); do
    nb+=" neighbor ${ADDR[$p]} remote-as $AS
 neighbor ${ADDR[$p]} description $(mesh_name "$p")
 neighbor ${ADDR[$p]} update-source ${ADDR[$me]}
 neighbor ${ADDR[$p]} timers connect 1
"
    calico_mesh_passive "${ADDR[$me]}" "${ADDR[$p]}" && nb+=" neighbor ${ADDR[$p]} passive
"
  done
  local statics="" networks=""
  for spec in $POOLS; do
    statics+="ip route $(block $me "$(pool_spec_field "$spec" 2)") blackhole
"
    networks+="  network $(block $me "$(pool_spec_field "$spec" 2)")
"
  done
  # Next hops outside the node's subnet would be reached over IPIP by Calico: not written
  # (calico_kernel_programming's CrossSubnet rule). Only the default route resolves them.
  printf '%s\n' "hostname $me
ip nht resolve-via-default
ip prefix-list same-subnet seq 5 permit $net le 32
route-map calico-kernel permit 10
 match ip next-hop prefix-list same-subnet
route-map calico-kernel deny 20
ip protocol bgp route-map calico-kernel" > "$d/zebra.conf"
  printf '%s' "hostname $me
$statics" > "$d/staticd.conf"
  printf '%s\n' "frr defaults traditional
hostname $me
${FRR_DEBUG:+debug bgp neighbor-events}
router bgp $AS
 bgp router-id ${ADDR[$me]}
 no bgp ebgp-requires-policy
 bgp graceful-restart
 coalesce-time 100
$nb address-family ipv4 unicast
$networks exit-address-family
exit" > "$d/bgpd.conf"
  : > "$d/vtysh.conf"
  chown -R frr:frr "$d"
  local ns=${NODE_NS[$me]}
  [ -d "/var/run/frr/$ns" ] || LAB_RMDIRS+=("/var/run/frr/$ns")
  local common=(-N "$ns" --vty_socket "$d" -u frr -g frr)
  lab_spawn "frr-$me-zebra" "$ns" "$FRR_LIB/zebra" "${common[@]}" -i "$d/zebra.pid" \
    -f "$d/zebra.conf" --log "file:$d/zebra.log"
  lab_wait_for 10 "f1 zebra socket" test -S "/var/run/frr/$ns/zserv.api"
  lab_spawn "frr-$me-staticd" "$ns" "$FRR_LIB/staticd" "${common[@]}" -i "$d/staticd.pid" \
    -f "$d/staticd.conf" --log "file:$d/staticd.log"
  lab_spawn "frr-$me" "$ns" "$FRR_LIB/bgpd" "${common[@]}" -i "$d/bgpd.pid" \
    -f "$d/bgpd.conf" --log "file:$d/bgpd.log"
  lab_wait_for 15 "f1 bgpd vty" vtysh_at $me -c "show bgp summary"
}

terns() {
  local n
  for n in $NODES; do [ "${n:0:1}" = t ] && echo "$n"; done
  return 0
}

# start_cluster: intent, BIRD, FRR, ternd on every t* node; waits for the whole mesh.
start_cluster() {
  local n
  intent > "$LAB_DIR/intent.yaml"
  for n in $NODES; do
    case $n in
      b1) bird_node ;;
      f1) frr_node ;;
    esac
  done
  for n in $(terns); do ternd_node "$n"; done
  for n in $(terns); do wait_mesh 30 "$n" $NODES; done
}

# ---------------------------------------------------------------- what the nodes hold

# tern_shape ME PEER MODE CIDR_PREFIX: the kernel route ternd ME should write for PEER's block.
tern_shape() {
  local me=$1 p=$2 mode=$3 prefix=$4
  local dst
  dst=$(block "$p" "$prefix")
  if [ "$p" = "$me" ]; then
    echo "blackhole $dst - -"
  elif [ "$mode" = Always ] || { [ "$mode" = CrossSubnet ] && [ "$(subnet_of "$p")" != "$(subnet_of "$me")" ]; }; then
    echo "unicast $dst ${ADDR[$p]} tunl0 onlink"
  else
    echo "unicast $dst ${ADDR[$p]} eth0"
  fi
}

# expect_tern_kernel NODE: ternd's routes for every pool in POOLS, as each mode asks.
expect_tern_kernel() {
  local me=$1 lines=() spec p
  for spec in $POOLS; do
    for p in $NODES; do
      lines+=("$(tern_shape "$me" "$p" "$(pool_spec_field "$spec" 3)" "$(pool_spec_field "$spec" 2)")")
    done
  done
  expect_kernel 20 "$me" "${lines[@]}"
}

# tern_has NODE PREFIX NEXT_HOP: ternd's RIB holds a best path for PREFIX via NEXT_HOP.
tern_has() {
  ctl "$1" routes "$2" -o json |
    jq -e --arg nh "$3" '[.routes[]?.paths[]? | select(.best and .nextHop == $nh)] | length == 1' > /dev/null
}
# tern_stale NODE PREFIX: the path ternd holds for PREFIX is a stale one.
tern_stale() {
  ctl "$1" routes "$2" -o json | jq -e '[.routes[]?.paths[]? | select(.stale)] | length >= 1' > /dev/null
}
tern_gone() {
  ctl "$1" routes "$2" -o json | jq -e '[.routes[]?.paths[]?] | length == 0' > /dev/null
}
# bird_has PREFIX NEXT_HOP PROTOCOL: b1's table holds PREFIX learned over PROTOCOL with that
# BGP next hop.
bird_has() {
  local out
  out=$(birdc_at b1 show route for "$1" all) || return 1
  grep -q "\\[$3 " <<< "$out" && grep -q "BGP.next_hop: $2\$" <<< "$out"
}
# frr_has PREFIX NEXT_HOP: f1's BGP table holds a valid path for PREFIX via NEXT_HOP.
frr_has() {
  vtysh_at f1 -c "show bgp ipv4 unicast json" |
    jq -e --arg p "$1" --arg nh "$2" \
      '[.routes[$p][]? | select(.valid == true and (.nexthops[0].ip == $nh))] | length == 1' > /dev/null
}
frr_has_local() {
  vtysh_at f1 -c "show bgp ipv4 unicast json" |
    jq -e --arg p "$1" '[.routes[$p][]? | select(.valid == true and .bestpath == true)] | length == 1' > /dev/null
}

# ---------------------------------------------------------------- pings

# ping_start NAME FROM_NODE TO_NODE CIDR_PREFIX: pod to pod, every 20 ms, until ping_stop.
declare -A PING_PID
ping_start() {
  local name=$1 from=$2 to=$3 pfx=$4 dst
  dst=$(pod_ip "$to" "$pfx")
  ip netns exec "${POD_NS[$from-$pfx]}" ping -n -c 1 -W 2 "$dst" > /dev/null ||
    lab_fail "pod on $from cannot reach $dst before the test"
  lab_spawn "ping-$name" "${POD_NS[$from-$pfx]}" ping -n -i 0.02 "$dst"
  PING_PID[$name]=$LAB_LAST_PID
}

# ping_stop NAME: stops the ping and fails on any lost packet. SIGINT may catch one request
# still in flight, so the proof is the replies: every sequence number from 1 up to the last
# sent (save that last one) answered, none missing in between.
ping_stop() {
  local name=$1 out=$LAB_DIR/ping-$1.out tx rx seqs gaps
  kill -INT "${PING_PID[$name]}"
  wait "${PING_PID[$name]}" 2> /dev/null || true
  tx=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$out")
  rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$out")
  [ -n "$tx" ] && [ -n "$rx" ] || lab_fail "ping $name printed no summary: $(tail -3 "$out")"
  seqs=$(grep -o 'icmp_seq=[0-9]*' "$out" | cut -d= -f2 | sort -n | uniq)
  gaps=$(awk 'BEGIN { want = 1 } { while (want < $1) { printf "%d ", want; want++ } want = $1 + 1 }
              END { }' <<< "$seqs")
  lab_log "ping $name: $tx sent, $rx received$([ -n "$gaps" ] && echo ", lost: $gaps")"
  [ -z "$gaps" ] || lab_fail "ping $name lost packets (icmp_seq $gaps)"
  [ "$rx" -ge $((tx - 1)) ] || lab_fail "ping $name: $tx sent, only $rx received"
  [ "$rx" -ge 50 ] || lab_fail "ping $name ran too short to prove anything ($rx replies)"
}

# ---------------------------------------------------------------- scenarios

scenario_mesh_two_subnets() {
  build_net
  add_pods 10.244
  start_cluster
  local n p m=10.244
  for n in $(terns); do
    expect_tern_kernel "$n"
    lab_log "$n's kernel routes (type dst via dev):"
    kernel_routes "$n" | sed 's/^/    /' >&2
  done
  # ternd's RIB: every other node's block, best, via that node.
  for n in $(terns); do
    for p in $(others "$n"); do
      lab_wait_for 10 "$n's RIB: $p's block" tern_has "$n" "$(block "$p" $m)" "${ADDR[$p]}"
    done
  done
  for p in $(others b1); do
    lab_wait_for 10 "BIRD learns $p's block" bird_has "$(block "$p" $m)" "${ADDR[$p]}" "$(mesh_name "$p")"
  done
  local learned
  learned=$(birdc_at b1 show route | grep -c '\[Mesh_' || true)
  [ "$learned" = 3 ] || lab_fail "BIRD holds $learned routes from the mesh, expected 3: $(birdc_at b1 show route)"
  for p in $(others f1); do
    lab_wait_for 10 "FRR learns $p's block" frr_has "$(block "$p" $m)" "${ADDR[$p]}"
  done
  frr_has_local "$(block f1 $m)" || lab_fail "FRR does not originate its block"
  # The BIRD and FRR nodes program their kernels for their own subnet (and blackhole their
  # blocks); cross-subnet blocks would be IPIP, which they leave alone.
  lab_wait_for 10 "b1's kernel route to t1's block" \
    bash -c "ip -n ${NODE_NS[b1]} route show $(block t1 $m) proto bird | grep -q 'via ${ADDR[t1]} dev eth0'"
  lab_wait_for 10 "f1's kernel route to t2's block" \
    bash -c "ip -n ${NODE_NS[f1]} route show $(block t2 $m) proto bgp | grep -q 'via ${ADDR[t2]} dev eth0'"
  ip -n "${NODE_NS[b1]}" route show "$(block t2 $m)" | grep -q . &&
    lab_fail "b1 wrote a route for t2's block, across the router: $(ip -n "${NODE_NS[b1]}" route show "$(block t2 $m)")"
  # Pods on t1 and b1 talk through ternd's route on t1 and BIRD's on b1.
  ip -n "${NODE_NS[t1]}" route get "$(pod_ip b1 $m)" | grep -q "via ${ADDR[b1]} dev eth0" ||
    lab_fail "t1 does not route b1's pod over ternd's route: $(ip -n "${NODE_NS[t1]}" route get "$(pod_ip b1 $m)")"
  ip netns exec "${POD_NS[t1-$m]}" ping -n -c 3 -i 0.2 -W 2 "$(pod_ip b1 $m)" > "$LAB_DIR/ping1.out" ||
    lab_fail "pod t1 -> pod b1: $(cat "$LAB_DIR/ping1.out")"
  ip netns exec "${POD_NS[b1-$m]}" ping -n -c 3 -i 0.2 -W 2 "$(pod_ip t1 $m)" > "$LAB_DIR/ping2.out" ||
    lab_fail "pod b1 -> pod t1: $(cat "$LAB_DIR/ping2.out")"
  for n in $(terns); do
    lab_wait_for 10 "$n ready" ready "$n"
  done
}

# apply_mode POOL MODE: `ternctl apply -f` of the pool with MODE on every ternd node.
apply_mode() {
  local name=$1 mode=$2 n spec pools=""
  for spec in $POOLS; do
    if [ "$(pool_spec_field "$spec" 1)" = "$name" ]; then
      calico_pool "$name" "$(pool_spec_field "$spec" 2).0.0/16" "$mode" Never 26 | sed 1d > "$LAB_DIR/$name-$mode.yaml"
      spec="$name:$(pool_spec_field "$spec" 2):$mode"
    fi
    pools+=" $spec"
  done
  POOLS=${pools# }
  for n in $(terns); do
    ctl "$n" apply -f "$LAB_DIR/$name-$mode.yaml" > "$LAB_DIR/apply-$n-$mode.out" ||
      lab_fail "ternctl apply on $n: $(cat "$LAB_DIR/apply-$n-$mode.out")"
  done
}

scenario_mode_switch() {
  NODES="t1 t2 b1"
  ADDR[t2]=$NET_A.12
  POOLS="stable:10.244:Never switched:10.245:Always"
  build_net
  add_pods 10.244
  add_pods 10.245
  start_cluster
  local n
  for n in $(terns); do expect_tern_kernel "$n"; done
  local sessions
  sessions=$(for n in $(terns); do status "$n" | jq -c '[.sessions[] | {name, state}]'; done)
  for n in $(terns); do
    lab_spawn "monitor-$n" "${NODE_NS[$n]}" ip -o monitor route
  done
  sleep 0.5
  ping_start stable t1 t2 10.244
  apply_mode switched CrossSubnet
  for n in $(terns); do expect_tern_kernel "$n"; done
  # ternctl's answer names exactly the re-shaped routes, and no session.
  local p dst
  for n in $(terns); do
    for p in $(others "$n"); do
      dst=$(block "$p" 10.245)
      grep -qF "~ route $dst: via ${ADDR[$p]} dev tunl0 onlink -> via ${ADDR[$p]}" "$LAB_DIR/apply-$n-CrossSubnet.out" ||
        lab_fail "ternctl apply on $n does not list $dst: $(cat "$LAB_DIR/apply-$n-CrossSubnet.out")"
    done
    [ "$(grep -c '^~ route' "$LAB_DIR/apply-$n-CrossSubnet.out")" = 2 ] && ! grep -q session "$LAB_DIR/apply-$n-CrossSubnet.out" ||
      lab_fail "ternctl apply on $n changed more: $(cat "$LAB_DIR/apply-$n-CrossSubnet.out")"
  done
  ping_start switched t1 t2 10.245
  sleep 1
  apply_mode switched Never
  for n in $(terns); do expect_tern_kernel "$n"; done
  sleep 1
  ping_stop switched
  ping_stop stable
  sleep 0.3
  # Every re-shaped route was replaced in place: the monitor saw the new shapes and no delete.
  local mon
  for n in $(terns); do
    mon=$LAB_DIR/monitor-$n.out
    for p in $(others "$n"); do
      dst=$(block "$p" 10.245)
      grep -q "^$dst via ${ADDR[$p]} dev eth0 .*proto bird" "$mon" ||
        lab_fail "$n's route monitor did not see $dst go direct: $(cat "$mon")"
    done
    if grep -E "^Deleted .*(10\.244|10\.245)\." "$mon" | grep -v ' dev cali' > "$LAB_DIR/deleted-$n.txt"; then
      lab_fail "$n deleted routes while re-shaping: $(cat "$LAB_DIR/deleted-$n.txt")"
    fi
  done
  [ "$(for n in $(terns); do status "$n" | jq -c '[.sessions[] | {name, state}]'; done)" = "$sessions" ] ||
    lab_fail "a pool mode change touched the sessions"
  for n in $(terns); do
    grep -q 'peer .* changed' "$LAB_DIR/ternd-$n.0.err" && lab_fail "a session of $n was reset"
  done
  # b1 never heard of any of it: it still holds both ternd nodes' blocks of both pools.
  for n in $(terns); do
    for p in 10.244 10.245; do
      bird_has "$(block "$n" $p)" "${ADDR[$n]}" "$(mesh_name "$n")" || lab_fail "BIRD lost $n's block in $p"
    done
  done
}

scenario_restart_under_ping() {
  build_net
  add_pods 10.244
  start_cluster
  local n p m=10.244
  for n in $(terns); do expect_tern_kernel "$n"; done
  lab_wait_for 10 "b1's kernel route to t1's block" \
    bash -c "ip -n ${NODE_NS[b1]} route show $(block t1 $m) proto bird | grep -q 'via ${ADDR[t1]}'"
  lab_wait_for 10 "f1's kernel route to t2's block" \
    bash -c "ip -n ${NODE_NS[f1]} route show $(block t2 $m) proto bgp | grep -q 'via ${ADDR[t2]}'"
  ping_start t1-b1 t1 b1 $m
  ping_start b1-t1 b1 t1 $m
  ping_start t2-f1 t2 f1 $m
  ping_start f1-t2 f1 t2 $m
  sleep 1
  declare -A before
  for n in $(terns); do before[$n]=$(kernel_routes "$n"); done
  for n in $(terns); do kill -TERM "${TERND_PID[$n]}"; done
  for n in $(terns); do wait "${TERND_PID[$n]}" 2> /dev/null || true; done
  lab_log "both ternd stopped"
  for n in $(terns); do
    [ "$(kernel_routes "$n")" = "${before[$n]}" ] || lab_fail "SIGTERM of $n changed its kernel routes"
  done
  # While ternd is down its peers keep its blocks (no NOTIFICATION went out: graceful restart).
  lab_wait_for 10 "BIRD's sessions to the ternd nodes drop" bash -c \
    "! birdc -s '$LAB_DIR/bird-b1.ctl' show protocols | grep -E '$(mesh_name t1)|$(mesh_name t2)' | grep -q Established"
  lab_wait_for 10 "FRR's sessions to the ternd nodes drop" bash -c \
    "vtysh --config_dir '$LAB_DIR/frr-f1' --vty_socket '$LAB_DIR/frr-f1' -d bgpd -c 'show bgp neighbors ${ADDR[t2]} json' | jq -e '.[].bgpState != \"Established\"'"
  sleep 1
  for n in $(terns); do
    bird_has "$(block "$n" $m)" "${ADDR[$n]}" "$(mesh_name "$n")" || lab_fail "BIRD dropped $n's block while it restarts"
    frr_has "$(block "$n" $m)" "${ADDR[$n]}" || lab_fail "FRR dropped $n's block while it restarts"
  done
  vtysh_at f1 -c "show bgp ipv4 unicast $(block t2 $m) json" | jq -e '[.paths[] | select(.stale)] | length == 1' > /dev/null ||
    lab_fail "FRR does not hold t2's block as stale: $(vtysh_at f1 -c "show bgp ipv4 unicast $(block t2 $m) json")"
  for n in $(terns); do NO_INTENT=1 ternd_node "$n"; done
  for n in $(terns); do
    [ "$(status "$n" | jq -r .intent_revision)" = 1 ] || lab_fail "$n did not start from its stored intent"
  done
  for n in $(terns); do
    for p in $(others "$n"); do
      lab_wait_for 30 "$n: $(mesh_name "$p") Established again" established "$n" "$(mesh_name "$p")"
    done
  done
  # The routes adopted at start are swept only after End-of-RIB from every peer.
  for n in $(terns); do
    lab_wait_for 30 "$n swept its stale routes" bash -c "jq -e '.fib.swept and .fib.stale == 0' '$LAB_DIR/$n.json'"
    expect_tern_kernel "$n"
  done
  for n in $(terns); do
    lab_wait_for 10 "BIRD has $n's block fresh" bird_has "$(block "$n" $m)" "${ADDR[$n]}" "$(mesh_name "$n")"
  done
  sleep 1
  for p in t1-b1 b1-t1 t2-f1 f1-t2; do ping_stop "$p"; done
}

scenario_bird_node_killed() {
  CALICO_BIRD_RESTART_TIME=10
  export CALICO_BIRD_RESTART_TIME
  build_net
  start_cluster
  local n m=10.244 dst
  dst=$(block b1 $m)
  for n in $(terns); do expect_tern_kernel "$n"; done
  kill -KILL "$BIRD_PID"
  wait "$BIRD_PID" 2> /dev/null || true
  local killed=$SECONDS
  lab_log "BIRD killed"
  for n in $(terns); do
    lab_wait_for 5 "$n sees the session to b1 go" bash -c \
      "[ \"\$(jq -r '.sessions[] | select(.name == \"$(mesh_name b1)\") | .state' '$LAB_DIR/$n.json')\" != Established ]"
  done
  # For the 10 s BIRD advertised: the block stays, stale, in the RIB and the kernel.
  for n in $(terns); do
    tern_stale "$n" "$dst" || lab_fail "$n does not hold b1's block as stale: $(ctl "$n" routes "$dst" -o json)"
    expect_tern_kernel "$n"
  done
  while [ $((SECONDS - killed)) -lt 8 ]; do
    for n in $(terns); do
      tern_stale "$n" "$dst" && ip -n "${NODE_NS[$n]}" route show "$dst" proto bird | grep -q "via ${ADDR[b1]}" ||
        lab_fail "$n dropped b1's block $((SECONDS - killed)) s after the kill, before the restart time"
    done
    sleep 0.5
  done
  lab_log "b1's block still stale on every ternd node after $((SECONDS - killed)) s"
  # Then it is withdrawn: out of the RIB and the kernel; the other blocks stay.
  local lines p
  for n in $(terns); do
    lab_wait_for 15 "$n withdraws b1's block" tern_gone "$n" "$dst"
    lines=()
    for p in $(others b1); do lines+=("$(tern_shape "$n" "$p" CrossSubnet $m)"); done
    expect_kernel 10 "$n" "${lines[@]}"
  done
  lab_log "b1's block withdrawn $((SECONDS - killed)) s after the kill"
  [ $((SECONDS - killed)) -le 20 ] || lab_fail "withdrawn only $((SECONDS - killed)) s after the kill"
}

case "$SCENARIO" in
  mesh_two_subnets) scenario_mesh_two_subnets ;;
  mode_switch) scenario_mode_switch ;;
  restart_under_ping) scenario_restart_under_ping ;;
  bird_node_killed) scenario_bird_node_killed ;;
  *) lab_fail "unknown scenario $SCENARIO" ;;
esac
lab_log "PASS in ${SECONDS}s"
