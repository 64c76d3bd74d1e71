#!/usr/bin/env bash
# RIB interop: a whole tern speaker (tern-speaker) with real BIRD 2, FRR and GoBGP nodes on one
# shared segment, as in a Calico cluster: tern reflecting for the others, FRR reflecting for
# tern, a Calico-style full mesh, ADD-PATH towards a client and tern helping a restarting peer.
# Usage: rib_lab.sh TERN_SPEAKER_BINARY SCENARIO
#
# Every node sits in its own namespace plugged into one bridge (192.168.98.0/24) and originates a
# /26 block like a Calico node. Router ids (172.31.0.x) differ from the node addresses so the
# checks can tell ORIGINATOR_ID (a router id) from NEXT_HOP (an address). Each check reads a
# node's table as that node displays it (birdc, vtysh, gobgp, tern's status file), reduces it
# to one line per path, "PREFIX nh=NEXT_HOP orig=ORIGINATOR_ID cl=CLUSTER_LIST" ("local" for
# the node's own block, "-" for an absent attribute), and compares the whole set with the
# expected one: a missing route, an extra route and a wrong attribute all fail alike.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../lib/lab.sh"
source "$HERE/../lib/peers.sh"
source "$HERE/../lib/calico.sh"
source "$HERE/../lib/views.sh"

TERN_SPEAKER=$1
SCENARIO=$2
lab_init "$SCENARIO"

AS=64512
NET=192.168.98
ANYCAST=10.96.0.10/32 # a service IP two nodes advertise (Calico serviceClusterIPs style)
GR_TIME=20            # GoBGP's graceful restart time in the GR scenarios
VIEW_SETTLE=${LAB_SETTLE_SECONDS:-2}

# Per node (key = instance name): address, router id and block.
declare -A ADDR BLOCK

# ---------------------------------------------------------------- topology

lab_ns sw NS_SW
lab_bridge "$NS_SW"
# LAB_CAPTURE=1 (with LAB_KEEP=1): every BGP packet on the segment into $LAB_DIR/bgp.pcap.
if [ -n "${LAB_CAPTURE:-}" ]; then
  lab_spawn tcpdump "$NS_SW" tcpdump -i br0 -U -w "$LAB_DIR/bgp.pcap" tcp port 179
  sleep 0.5
fi

# node NAME LAST_OCTET [BLOCK]: a namespace on the bridge at $NET.LAST_OCTET.
node() {
  ADDR[$1]=$NET.$2
  RID[$1]=172.31.0.$2
  BLOCK[$1]=${3:-10.244.$2.0/26}
  lab_node "$1" "$NS_SW" "${ADDR[$1]}/24"
}

# ---------------------------------------------------------------- node configurations

# bird_session ME PEER KIND: one "protocol bgp" as Calico's confd renders it (bgp_template
# inlined; BIRD 2 syntax). KIND: mesh (Mesh_, passive by the string rule) or node (Node_, an
# explicit peering such as a client's towards its reflector: both sides connect).
bird_session() {
  local me=$1 peer=$2 kind=$3 pname extra=""
  pname=${ADDR[$peer]//./_}
  case "$kind" in
    mesh)
      pname=Mesh_$pname
      calico_mesh_passive "${ADDR[$me]}" "${ADDR[$peer]}" && extra="passive on;"
      ;;
    node) pname=Node_$pname extra="multihop;" ;;
  esac
  cat <<EOF
protocol bgp $pname {
  local as $AS; neighbor ${ADDR[$peer]} as $AS; source address ${ADDR[$me]};
  $extra
  graceful restart on; connect delay time 2; connect retry time 5; error wait time 5,30;
  ipv4 { gateway recursive; add paths on; import all;
         export filter { calico_export_to_bgp_peers(); reject; }; };
}
EOF
}

# bird_node NAME KIND PEER... [-- EXTRA_PREFIX...]: a Calico node's bird.cfg (device, direct
# for recursive next hops, its block as a blackhole, export only pool routes).
bird_node() {
  local me=$1 kind=$2 peers=() extra=() p routes
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do peers+=("$1"); shift; done
  [ $# -gt 0 ] && shift && extra=("$@")
  routes="route ${BLOCK[$me]} blackhole;"
  for p in "${extra[@]}"; do routes+=" route $p blackhole;"; done
  local cfg="router id ${RID[$me]};
protocol device { scan time 2; }
protocol direct { ipv4; interface \"*\"; }
protocol static blocks { ipv4; $routes }
function calico_export_to_bgp_peers() {
  if net ~ [ 10.244.0.0/16+, 10.96.0.0/12+ ] then accept;
}"
  for p in "${peers[@]}"; do cfg+=$'\n'$(bird_session "$me" "$p" "$kind"); done
  start_bird "${NODE_NS[$me]}" "$cfg" "$me"
}

# frr_node NAME ROLE PEER... [-- EXTRA_PREFIX...]: bgpd with its block as a network.
# ROLE: client (plain iBGP, active), mesh (passive by the string rule) or rr (reflects for the
# peers, cluster id 244.0.0.<octet>).
frr_node() {
  local me=$1 role=$2 peers=() extra=() p nb="" af="" cluster=""
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do peers+=("$1"); shift; done
  [ $# -gt 0 ] && shift && extra=("$@")
  [ "$role" = rr ] && cluster=" bgp cluster-id $(frr_cluster_id "$me")"
  for p in "${peers[@]}"; do
    nb+=" neighbor ${ADDR[$p]} remote-as $AS
 neighbor ${ADDR[$p]} update-source ${ADDR[$me]}
 neighbor ${ADDR[$p]} timers connect 1
 neighbor ${ADDR[$p]} soft-reconfiguration inbound
"
    [ "$role" = mesh ] && calico_mesh_passive "${ADDR[$me]}" "${ADDR[$p]}" &&
      nb+=" neighbor ${ADDR[$p]} passive
"
    [ "$role" = rr ] && af+="  neighbor ${ADDR[$p]} route-reflector-client
"
  done
  for p in "${BLOCK[$me]}" "${extra[@]}"; do af+="  network $p
"; done
  start_frr "${NODE_NS[$me]}" "frr defaults traditional
hostname $me
router bgp $AS
 bgp router-id ${RID[$me]}
$cluster
 no bgp ebgp-requires-policy
 no bgp network import-check
 coalesce-time 100
$nb address-family ipv4 unicast
$af exit-address-family
exit" "$me"
}
frr_cluster_id() { echo "244.0.0.${ADDR[$1]##*.}"; }

# gobgp_toml NAME PEER [addpath] [gr]: one neighbor, configured administratively down so the
# block can be added over the API before the first OPEN (otherwise the peer may see an
# End-of-RIB without it).
gobgp_toml() {
  local me=$1 peer=$2 opts=" ${*:3} " gr="" afgr="" ap=""
  if [[ "$opts" == *" gr "* ]]; then
    gr="  [neighbors.graceful-restart.config]
    enabled = true
    restart-time = $GR_TIME"
    afgr="    [neighbors.afi-safis.mp-graceful-restart.config]
      enabled = true"
  fi
  [[ "$opts" == *" addpath "* ]] && ap="  [neighbors.add-paths.config]
    receive = true"
  cat <<EOF
[global.config]
  as = $AS
  router-id = "${RID[$me]}"
  local-address-list = ["${ADDR[$me]}"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "${ADDR[$peer]}"
    peer-as = $AS
    admin-down = true
  [neighbors.timers.config]
    connect-retry = 1
  [neighbors.transport.config]
    local-address = "${ADDR[$me]}"
$gr
$ap
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
$afgr
EOF
}

# gobgp_node NAME PEER [addpath] [gr] [-- EXTRA_PREFIX...]
gobgp_node() {
  local me=$1 peer=$2 opts=() extra=()
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
  [ $# -gt 0 ] && shift && extra=("$@")
  start_gobgp "${NODE_NS[$me]}" "$(gobgp_toml "$me" "$peer" "${opts[@]}")" "$me"
  GOBGP_PID=$LAB_LAST_PID
  gobgp_announce "$me" "$peer" "${extra[@]}"
}

# gobgp_announce NAME PEER [EXTRA_PREFIX...]: the block (and extras) into GoBGP's RIB, then the
# session is let up.
gobgp_announce() {
  local me=$1 peer=$2 p
  shift 2
  for p in "${BLOCK[$me]}" "$@"; do gobgp_at "$me" global rib add "$p" -a ipv4 > /dev/null; done
  gobgp_at "$me" neighbor "${ADDR[$peer]}" enable > /dev/null
}

# tern_node NAME [SPEAKER_ARGS...] -- PEER_SPEC...: tern-speaker listening on its address and
# originating its block unless told --no-block. PEER_SPEC is NAME[,option...] (tern-speaker's
# --peer options; the address, AS and local address are filled in).
tern_node() {
  local me=$1 args=() p name opts originate=1
  shift
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    if [ "$1" = --no-block ]; then originate=0; else args+=("$1"); fi
    shift
  done
  shift
  for p in "$@"; do
    name=${p%%,*}
    opts=""
    [ "$name" != "$p" ] && opts=,${p#*,}
    args+=(--peer "${ADDR[$name]},as=$AS,local=${ADDR[$me]}$opts")
  done
  [ $originate = 1 ] && args+=(--originate "${BLOCK[$me]}")
  # LAB_TERN_ARGS: extra options for every tern in the lab, e.g. --debug.
  start_speaker "${NODE_NS[$me]}" "$me" --local-as "$AS" --router-id "${RID[$me]}" \
    --listen "${ADDR[$me]}" "${args[@]}" ${LAB_TERN_ARGS:-}
}

# syn_capture NAME: from now on, records the connection attempts (SYN without ACK, port 179)
# that NAME's namespace sees, to tell who opened each session.
syn_capture() {
  lab_spawn "syn-$1" "${NODE_NS[$1]}" tcpdump -i any -n -U -w "$LAB_DIR/syn-$1.pcap" \
    'tcp port 179 and tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn'
  lab_wait_for 5 "tcpdump in $1" grep -q "listening on" "$LAB_DIR/syn-$1.err"
}

# syns_seen NAME FROM TO: how many connection attempts from node FROM to node TO's BGP port
# NAME's capture holds.
syns_seen() {
  tcpdump -n -r "$LAB_DIR/syn-$1.pcap" 2> /dev/null |
    grep -c " ${ADDR[$2]}\.[0-9]* > ${ADDR[$3]}\.179:" || true
}

# expect_opener CAPTURE_NODE A B: exactly one direction of the A-B pair may have tried to
# connect, the one Calico's string rule makes active.
expect_opener() {
  local at=$1 a=$2 b=$3 active=$2 passive=$3
  calico_mesh_passive "${ADDR[$a]}" "${ADDR[$b]}" && active=$b passive=$a
  local good bad
  good=$(syns_seen "$at" "$active" "$passive")
  bad=$(syns_seen "$at" "$passive" "$active")
  [ "$good" -gt 0 ] && [ "$bad" -eq 0 ] ||
    lab_fail "$a-$b: $active (${ADDR[$active]}) should open the session and $passive" \
      "(${ADDR[$passive]}) only wait (Calico's string order), but $active tried $good" \
      "times and $passive $bad times"
  lab_log "$a-$b: opened by $active only ($good attempts), as Calico's string order says"
}

# ---------------------------------------------------------------- views
# BIRD, FRR and GoBGP in views.sh; here what only this lab reads.

# bird_route_since NAME PREFIX: when NAME's BIRD last changed its route for PREFIX (the time
# in "[protocol HH:MM:SS.mmm from ...]"); a withdraw and re-announce gives a new time.
bird_route_since() {
  birdc_at "$1" show route "$2" | awk -v p="$2" '$1 == p { print $4; exit }'
}

# seconds_until_gone NODE PREFIX T0 TIMEOUT: polls tern NODE's status until PREFIX is absent
# and prints the seconds since T0 (a "date +%s.%N" time).
seconds_until_gone() {
  local end=$((SECONDS + $4))
  while view_tern "$1" | grep -q "^$2 "; do
    [ $SECONDS -lt $end ] || lab_fail "$1: $2 still there $4 s later: $(view_tern "$1" | tr '\n' ';')"
    sleep 0.2
  done
  awk -v a="$3" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
}

# view_frr_received NAME-in: FRR NAME's Adj-RIB-In from tern (node rr), kept by soft
# reconfiguration before any loop check, i.e. exactly what tern sent.
view_frr_received() {
  local me=${1%-in}
  vtysh_at "$me" -c "show bgp ipv4 unicast neighbors ${ADDR[rr]} received-routes json" \
    > "$LAB_DIR/view-$1.raw" || return 1
  jq -r '.receivedRoutes | to_entries[] | "\(.key) nh=\(.value.nextHop)"' "$LAB_DIR/view-$1.raw" | sort
}

# tern: the status file's multipath set per prefix; stale paths are marked.
view_tern() {
  jq -r '
    .routes[] | .prefix as $p | .paths[] |
    if .next_hop == "" or .next_hop == "0.0.0.0" then "\($p) local"
    else
      "\($p) nh=\(.next_hop) orig=\(.originator_id // "-") cl=\((.cluster_list // ["-"]) | join(","))"
      + (if .stale then " stale" else "" end)
    end' "$LAB_DIR/$1.json" | sort
}

# view_raw NAME: tern's view reads its status file.
view_raw() {
  case "${KIND[$1]}" in
    tern) jq -c '.sessions[], .routes[]' "$LAB_DIR/$1.json" ;;
    *) cat "$LAB_DIR/view-$1.raw" ;;
  esac
}

# ---------------------------------------------------------------- scenarios

CLUSTER=244.0.0.1 # tern's cluster id when it reflects

# tern reflects for BIRD, FRR and GoBGP (Calico: RR node with routeReflectorClusterID, clients
# peer with it through a BGPPeer, both sides connect).
scenario_tern_rr() {
  node rr 1
  node bird 2
  node frr 3
  node gobgp 4
  KIND=([rr]=tern [bird]=bird [frr]=frr [gobgp]=gobgp)
  tern_node rr --no-block --cluster-id "$CLUSTER" -- bird,client frr,client gobgp,client
  bird_node bird node rr
  frr_node frr client rr
  gobgp_node gobgp rr

  expect_view 30 rr "the reflector holds every client's block as learned" \
    "$(direct bird)" "$(direct frr)" "$(direct gobgp)"
  local named=${SCENARIO#tern_rr_}
  named=${named%_client}
  local others=() n
  for n in bird frr gobgp; do [ "$n" != "$named" ] && others+=("$(reflected "$n" "$CLUSTER")"); done
  expect_view 20 "$named" "its own block and the other clients' blocks, reflected by tern" \
    "$(own "$named")" "${others[@]}"
  # The tables above would hide a client's own route sent back (each drops a route carrying
  # its own ORIGINATOR_ID); FRR's Adj-RIB-In (soft reconfiguration) shows what tern sent.
  if [ "$named" = frr ]; then
    KIND[frr-in]=frr_received
    expect_view 5 frr-in "exactly what tern sent it: the other clients' blocks, not its own" \
      "${BLOCK[bird]} nh=${ADDR[bird]}" "${BLOCK[gobgp]} nh=${ADDR[gobgp]}"
  fi
}

# FRR reflects for two tern speakers and a BIRD node (all FRR's clients, FRR's cluster id
# 244.0.0.3); FRR has a block of its own too, like an RR node that runs pods.
scenario_frr_rr() {
  node frr 3
  node t1 11
  node t2 12
  node bird 2
  KIND=([frr]=frr [t1]=tern [t2]=tern [bird]=bird)
  local cl
  cl=$(frr_cluster_id frr)
  frr_node frr rr t1 t2 bird
  tern_node t1 -- frr
  tern_node t2 -- frr
  bird_node bird node frr

  # FRR's own block comes as FRR sends it: a reflector adds nothing to its own routes.
  expect_view 30 t1 "its block, the others' reflected by FRR, FRR's own (none of its own back)" \
    "$(own t1)" "$(reflected t2 "$cl")" "$(reflected bird "$cl")" "$(direct frr)"
  expect_view 10 t2 "its block, the others' reflected by FRR, FRR's own (none of its own back)" \
    "$(own t2)" "$(reflected t1 "$cl")" "$(reflected bird "$cl")" "$(direct frr)"
  expect_view 10 bird "its block, the tern blocks reflected by FRR, FRR's own" \
    "$(own bird)" "$(reflected t1 "$cl")" "$(reflected t2 "$cl")" "$(direct frr)"
  expect_view 5 frr "every block, learned directly" \
    "$(own frr)" "$(direct t1)" "$(direct t2)" "$(direct bird)"
}

# A Calico full mesh: BIRD 192.168.98.10, tern 192.168.98.2, FRR 192.168.98.9. By string order
# "192.168.98.10" < "192.168.98.2" < "192.168.98.9": BIRD waits for both, tern waits for FRR and
# connects to BIRD, FRR connects to both (numerically BIRD is the highest, so a numeric
# comparison would leave pairs both waiting).
scenario_mesh() {
  node bird 10
  node tern 2
  node frr 9
  KIND=([bird]=bird [tern]=tern [frr]=frr)
  local peers=() p
  for p in bird frr; do
    if calico_mesh_passive "${ADDR[tern]}" "${ADDR[$p]}"; then peers+=("$p,passive"); else peers+=("$p"); fi
  done
  syn_capture tern
  syn_capture bird
  tern_node tern -- "${peers[@]}"
  # tern goes first and gets past its connect delay (2 s) alone: were it to connect where it
  # should wait, the SYN shows even though FRR, quicker, would otherwise open the session first.
  sleep 3
  bird_node bird mesh tern frr
  frr_node frr mesh tern bird

  expect_view 30 tern "its block and the two others, next hop the originating node" \
    "$(own tern)" "$(direct bird)" "$(direct frr)"
  expect_view 10 bird "its block and the two others, next hop the originating node" \
    "$(own bird)" "$(direct tern)" "$(direct frr)"
  expect_view 10 frr "its block and the two others, next hop the originating node" \
    "$(own frr)" "$(direct tern)" "$(direct bird)"
  expect_opener tern tern bird
  expect_opener tern tern frr
  expect_opener bird bird frr
}

# BIRD and FRR both originate the anycast /32; GoBGP negotiated ADD-PATH receive with tern and
# must get both paths (tern's multipath set), a plain client only the best.
scenario_addpath() {
  node rr 1
  node bird 2
  node frr 3
  node gobgp 4
  KIND=([rr]=tern [bird]=bird [frr]=frr [gobgp]=gobgp)
  tern_node rr --no-block --cluster-id "$CLUSTER" -- bird,client frr,client gobgp,client,add-path=send
  bird_node bird node rr -- "$ANYCAST"
  frr_node frr client rr -- "$ANYCAST"
  gobgp_node gobgp rr addpath

  local any_bird="$ANYCAST nh=${ADDR[bird]} orig=${RID[bird]} cl=$CLUSTER"
  local any_frr="$ANYCAST nh=${ADDR[frr]} orig=${RID[frr]} cl=$CLUSTER"
  expect_view 30 rr "both anycast paths in the multipath set" \
    "$(direct bird)" "$(direct frr)" "$(direct gobgp)" \
    "$ANYCAST nh=${ADDR[bird]} orig=- cl=-" "$ANYCAST nh=${ADDR[frr]} orig=- cl=-"
  expect_view 20 gobgp "both anycast paths over ADD-PATH, plus the blocks" \
    "$(own gobgp)" "$(reflected bird "$CLUSTER")" "$(reflected frr "$CLUSTER")" \
    "$any_bird" "$any_frr"
  # Without ADD-PATH a client gets tern's best path only: the lower ORIGINATOR_ID (here the
  # sending client's router id), BIRD's. FRR holds it next to its own; BIRD gets nothing back.
  expect_view 10 frr "its own anycast route and tern's best (BIRD's) path only" \
    "$(own frr)" "$ANYCAST local" "$(reflected bird "$CLUSTER")" "$(reflected gobgp "$CLUSTER")" \
    "$any_bird"
  expect_view 10 bird "its own anycast route only (tern's best is its own path)" \
    "$(own bird)" "$ANYCAST local" "$(reflected frr "$CLUSTER")" "$(reflected gobgp "$CLUSTER")"
}

# GoBGP (graceful restart, restart time $GR_TIME s) originates its block and a second one, and
# is SIGKILLed: tern keeps both as stale and keeps reflecting them to BIRD. Then either GoBGP
# comes back with only its first block (restarted: the block is refreshed without BIRD ever
# losing it, and End-of-RIB sweeps the second long before the restart time), or it does not
# (expired: both go when the restart time runs out).
scenario_gr() {
  node rr 1
  node bird 2
  node gobgp 4
  KIND=([rr]=tern [bird]=bird [gobgp]=gobgp)
  local released=10.244.5.0/26 # GoBGP's node gives this block up while it is down
  local released_rr="$released nh=${ADDR[gobgp]} orig=- cl=-"
  local released_bird="$released nh=${ADDR[gobgp]} orig=${RID[gobgp]} cl=$CLUSTER"
  tern_node rr --no-block --cluster-id "$CLUSTER" -- bird,client gobgp,client
  bird_node bird node rr
  gobgp_node gobgp rr gr -- "$released"

  expect_view 30 rr "GoBGP's and BIRD's blocks, fresh" \
    "$(direct bird)" "$(direct gobgp)" "$released_rr"
  expect_view 10 bird "GoBGP's blocks reflected" \
    "$(own bird)" "$(reflected gobgp "$CLUSTER")" "$released_bird"

  local since killed_at
  since=$(bird_route_since bird "${BLOCK[gobgp]}")
  lab_log "SIGKILL gobgpd (pid $GOBGP_PID)"
  killed_at=$(date +%s.%N)
  kill -KILL "$GOBGP_PID"
  wait "$GOBGP_PID" 2> /dev/null || true # reaped here, so bash does not report it later
  expect_view 5 rr "GoBGP's blocks kept, stale, after its TCP connection dropped" \
    "$(direct bird)" "$(direct gobgp) stale" "$released_rr stale"
  expect_view 3 bird "GoBGP's blocks still reflected while stale" \
    "$(own bird)" "$(reflected gobgp "$CLUSTER")" "$released_bird"

  case "$SCENARIO" in
    *_killed)
      lab_log "restarting gobgpd (restart flag set), without $released"
      start_gobgp "${NODE_NS[gobgp]}" "$(gobgp_toml gobgp rr gr)" gobgp -r
      gobgp_announce gobgp rr
      local restarted_at=$SECONDS
      # Well inside the restart time (the restart comes about 5 s after the kill; tern's idle
      # hold and connect retry, 5 s each, may take most of 10 s to bring the session back): only
      # End-of-RIB can have removed the second block by then.
      expect_view 11 rr "GoBGP's block refreshed (not stale), $released swept at End-of-RIB" \
        "$(direct bird)" "$(direct gobgp)"
      lab_log "swept within $((SECONDS - restarted_at))s of the restart"
      expect_view 5 bird "GoBGP's block still reflected, $released withdrawn" \
        "$(own bird)" "$(reflected gobgp "$CLUSTER")"
      # Helping means BIRD never saw the block go: its route is the one from before the kill.
      local now
      now=$(bird_route_since bird "${BLOCK[gobgp]}")
      [ -n "$since" ] && [ "$now" = "$since" ] ||
        lab_fail "bird: GoBGP's block ${BLOCK[gobgp]} was replaced during the restart" \
          "(BIRD's route time before the kill: '$since', now: '$now'), i.e. withdrawn or changed"
      ;;
    *_expired)
      # The stale blocks must last the restart time and go right after it (the status file is
      # rewritten every second, hence the slack).
      local gone_after
      gone_after=$(seconds_until_gone rr "${BLOCK[gobgp]}" "$killed_at" $((GR_TIME + 10)))
      lab_log "tern dropped GoBGP's stale block ${gone_after}s after the kill (restart time ${GR_TIME}s)"
      awk -v t="$gone_after" -v r="$GR_TIME" 'BEGIN { exit !(t >= r - 1 && t <= r + 3) }' ||
        lab_fail "rr: GoBGP's stale block went ${gone_after}s after the kill;" \
          "expected when its restart time (${GR_TIME}s) ran out"
      expect_view 5 rr "GoBGP's blocks gone after the restart time" "$(direct bird)"
      expect_view 5 bird "GoBGP's blocks withdrawn" "$(own bird)"
      ;;
  esac
}

case "$SCENARIO" in
  tern_rr_bird_client | tern_rr_frr_client | tern_rr_gobgp_client) scenario_tern_rr ;;
  frr_rr_tern_clients) scenario_frr_rr ;;
  mesh_tern_bird_frr) scenario_mesh ;;
  tern_rr_addpath_gobgp) scenario_addpath ;;
  gr_helper_gobgp_killed | gr_helper_gobgp_expired) scenario_gr ;;
  *) lab_fail "unknown scenario $SCENARIO" ;;
esac
lab_log "PASS"
