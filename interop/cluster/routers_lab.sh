#!/usr/bin/env bash
# ternd driven by Calico v3 manifests next to the routers a cluster meets: route reflection
# (ternd reflecting, ternd reflected), an eBGP top-of-rack router with a full table, a peer
# sending malformed UPDATEs, and TCP MD5 passwords.
# Usage: routers_lab.sh TERND_BINARY SCENARIO [TERNCTL_BINARY]
#
# Every node is a namespace on one bridge (192.168.99.0/24); Calico uses the node address as
# router id, so ORIGINATOR_ID below is the originating node's address.
#
# Scenarios:
#   rr_tern_reflector      ternd on r1 is a route reflector (routeReflectorClusterID, label
#                          route-reflector=true, mesh off, BGPPeer all() -> route-reflector ==
#                          'true'); BIRD (confd-shaped), FRR and GoBGP clients each learn the
#                          others' blocks with ORIGINATOR_ID and CLUSTER_LIST; r1's kernel has
#                          every block, shaped by ipipMode Always
#   tern_client_of_frr_rr  FRR reflects for two ternd nodes (a global BGPPeer by peerIP, mesh
#                          off): each ternd programs the other's block via that node, not FRR
#   tor_ebgp               ternd peers eBGP with an FRR ToR announcing 10,000 /24s: all reach
#                          ternd's kernel (timed); the ToR receives exactly the node's blocks
#   evil_peer              a raw BGP speaker sends RFC 7606 malformed UPDATEs to ternd: treat-as-
#                          withdraw keeps the session and removes the prefixes, attribute discard
#                          keeps the route, a broken MP_REACH_NLRI resets the session; the BIRD
#                          mesh neighbour never flaps and never sees a malformed route
#   md5                    BGPPeer passwords from Secrets towards BIRD and FRR, nodeMeshPassword
#                          between two ternd nodes; a wrong key (Secret changed with ternctl
#                          apply) means no session, the right one brings it back

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../lib/ternd.sh"
source "$HERE/../lib/views.sh"
ternd_lab_init scen "$@"
TERND_ARGS=(--rest-listen none)

AS=64512
NET=192.168.99
declare -A ADDR BLOCK

lab_ns sw NS_SW
lab_bridge "$NS_SW"

# node NAME LAST_OCTET [BLOCK]: a namespace on the bridge at $NET.LAST_OCTET.
node() {
  ADDR[$1]=$NET.$2
  BLOCK[$1]=${3:-10.244.$2.0/26}
  lab_node "$1" "$NS_SW" "${ADDR[$1]}/24"
}

# ---------------------------------------------------------------- manifests

# m_node NAME [CLUSTER_ID]: a Calico node (the /24 is its subnet), a route reflector with
# CLUSTER_ID.
m_node() { calico_node "$1" "${ADDR[$1]}/24" "${2:-}"; }

# m_peer NAME SPEC_LINE...: a BGPPeer, each SPEC_LINE one line under spec (indented here).
m_peer() {
  printf -- '---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: %s\nspec:\n' "$1"
  shift
  printf '  %s\n' "$@"
}

# m_secret NAME KEY=VALUE...: a Kubernetes Secret with stringData.
m_secret() {
  printf -- '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: calico-system\nstringData:\n' "$1"
  shift
  local kv
  for kv in "$@"; do printf '  %s: %s\n' "${kv%%=*}" "${kv#*=}"; done
}

# m_blocks NAME...: each node's block affinity.
m_blocks() {
  local n
  for n in "$@"; do calico_block "$n-block" "$n" "${BLOCK[$n]}" confirmed; done
}

# ---------------------------------------------------------------- ternd

# peer_status NODE SESSION: ternctl's JSON for one session.
peer_status() { ctl "$1" status -o json | jq -c --arg s "$2" '.peers[] | select(.name == $s)'; }
name_of() { echo "${1//./_}"; }
# since T0: seconds since T0 (a "date +%s.%N" time), to the hundredth.
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }

# ---------------------------------------------------------------- peers' views (views.sh)

# ternd: its RIB through ternctl, best paths only.
view_tern() {
  ctl "$1" routes -o json > "$LAB_DIR/view-$1.raw" || return 1
  jq -r '
    (.routes // [])[] | .prefix as $p | .paths[] | select(.best) |
    if .peer == "local" then "\($p) local"
    else
      "\($p) nh=\(.nextHop) orig=\(if (.originatorId // "") == "" then "-" else .originatorId end)"
      + " cl=\(if (.clusterList // []) == [] then "-" else (.clusterList | join(",")) end)"
    end' "$LAB_DIR/view-$1.raw" | sort
}

# ---------------------------------------------------------------- peer configurations

# bird_calico NAME PEER_NAME POOLS [PROTOCOL_EXTRA]: a Calico node's bird.cfg as confd renders
# it for a node with a node-specific BGPPeer (Node_<ip>, both ends connect) instead of mesh
# sessions.
bird_calico() {
  local me=$1 peer=$2 pools=$3 extra=${4:-}
  start_bird "${NODE_NS[$me]}" "$(calico_bird_config "${ADDR[$me]}" $AS "${BLOCK[$me]}" "$pools" "")
protocol bgp Node_$(name_of "${ADDR[$peer]}") from bgp_template {
  ttl security off; multihop;
  neighbor ${ADDR[$peer]} as $AS; source address ${ADDR[$me]};
  $extra
}" "$me"
}

# frr_router NAME AS ROUTER_BGP_LINES AF_LINES: bgpd (no zebra) with its block as a network.
frr_router() {
  start_frr "${NODE_NS[$1]}" "frr defaults traditional
hostname $1
router bgp $2
 bgp router-id ${ADDR[$1]}
 no bgp ebgp-requires-policy
 no bgp network import-check
 coalesce-time 100
$3
 address-family ipv4 unicast
$4
 exit-address-family
exit" "$1"
}

# frr_neighbor ME PEER AS: a neighbor as a Calico-side router would configure it.
frr_neighbor() {
  printf ' neighbor %s remote-as %s\n neighbor %s update-source %s\n neighbor %s timers connect 1\n' \
    "${ADDR[$2]}" "$3" "${ADDR[$2]}" "${ADDR[$1]}" "${ADDR[$2]}"
  printf ' neighbor %s soft-reconfiguration inbound\n' "${ADDR[$2]}"
}

# gobgp_client NAME PEER: one iBGP neighbour, administratively down until the block is in the
# RIB (otherwise the peer could see End-of-RIB without it).
gobgp_client() {
  local me=$1 peer=$2
  start_gobgp "${NODE_NS[$me]}" "[global.config]
  as = $AS
  router-id = \"${ADDR[$me]}\"
  local-address-list = [\"${ADDR[$me]}\"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = \"${ADDR[$peer]}\"
    peer-as = $AS
    admin-down = true
  [neighbors.timers.config]
    connect-retry = 1
  [neighbors.transport.config]
    local-address = \"${ADDR[$me]}\"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = \"ipv4-unicast\"" "$me"
  gobgp_at "$me" global rib add "${BLOCK[$me]}" -a ipv4 > /dev/null
  gobgp_at "$me" neighbor "${ADDR[$peer]}" enable > /dev/null
}

# ---------------------------------------------------------------- scenarios

scenario_rr_tern_reflector() {
  local cl=244.0.0.1 n
  node r1 1
  node bird 2
  node frr 3
  node gobgp 4
  ternd_tunl0 r1
  KIND=([r1]=tern [bird]=bird [frr]=frr [gobgp]=gobgp)
  {
    calico_bgpconfig $AS false
    m_node r1 "$cl"
    for n in bird frr gobgp; do m_node "$n"; done
    m_blocks r1 bird frr gobgp
    calico_pool default-pool 10.244.0.0/16 Always Never 26
    m_peer peer-with-route-reflectors "nodeSelector: all()" "peerSelector: route-reflector == 'true'"
  } > "$LAB_DIR/intent.yaml"
  ternd_node r1
  bird_calico bird r1 10.244.0.0/16
  frr_router frr $AS "$(frr_neighbor frr r1 $AS)" "  network ${BLOCK[frr]}"
  gobgp_client gobgp r1

  wait_sessions 30 r1 "Node_$(name_of "${ADDR[bird]}")" "Node_$(name_of "${ADDR[frr]}")" \
    "Node_$(name_of "${ADDR[gobgp]}")"
  [ "$(ctl r1 status -o json | jq -r .clusterId)" = "$cl" ] ||
    lab_fail "r1 does not say it reflects with cluster id $cl: $(ctl r1 status -o json | jq -c .)"
  # Mesh off and a reflector: the BGPPeer's reverse side is all ternd runs.
  [ "$(status r1 | jq -r '[.sessions[].name] | sort | join(" ")')" = \
    "Node_192_168_99_2 Node_192_168_99_3 Node_192_168_99_4" ] ||
    lab_fail "r1's sessions: $(status r1 | jq -c '[.sessions[].name]')"

  expect_view 20 r1 "its block and every client's, learned directly" \
    "$(own r1)" "$(direct bird)" "$(direct frr)" "$(direct gobgp)"
  expect_view 20 bird "its block, r1's, and the other clients' reflected by r1" \
    "$(own bird)" "$(direct r1)" "$(reflected frr $cl)" "$(reflected gobgp $cl)"
  expect_view 10 frr "its block, r1's, and the other clients' reflected by r1" \
    "$(own frr)" "$(direct r1)" "$(reflected bird $cl)" "$(reflected gobgp $cl)"
  expect_view 10 gobgp "its block, r1's, and the other clients' reflected by r1" \
    "$(own gobgp)" "$(direct r1)" "$(reflected bird $cl)" "$(reflected frr $cl)"
  # FRR's Adj-RIB-In shows what r1 sent, before FRR drops a route carrying its own
  # ORIGINATOR_ID: its own block must not come back.
  vtysh_at frr -c "show bgp ipv4 unicast neighbors ${ADDR[r1]} received-routes json" \
    > "$LAB_DIR/frr-received.json"
  [ "$(jq -r '.receivedRoutes | keys | join(" ")' "$LAB_DIR/frr-received.json")" = \
    "${BLOCK[r1]} ${BLOCK[bird]} ${BLOCK[gobgp]}" ] ||
    lab_fail "FRR received from r1: $(jq -c '.receivedRoutes | keys' "$LAB_DIR/frr-received.json")"
  # The pool tunnels (Always): every client block via tunl0 onlink, r1's own a blackhole.
  expect_kernel 10 r1 "blackhole ${BLOCK[r1]} - -" \
    "unicast ${BLOCK[bird]} ${ADDR[bird]} tunl0 onlink" \
    "unicast ${BLOCK[frr]} ${ADDR[frr]} tunl0 onlink" \
    "unicast ${BLOCK[gobgp]} ${ADDR[gobgp]} tunl0 onlink"
}

scenario_tern_client_of_frr_rr() {
  local cl=244.0.0.99
  node frr 1
  node t1 11
  node t2 12
  KIND=([t1]=tern [t2]=tern [frr]=frr)
  {
    calico_bgpconfig $AS false
    m_node t1
    m_node t2
    m_blocks t1 t2
    calico_pool default-pool 10.244.0.0/16 CrossSubnet Never 26
    m_peer frr-reflector "peerIP: ${ADDR[frr]}" "asNumber: $AS"
  } > "$LAB_DIR/intent.yaml"
  frr_router frr $AS " bgp cluster-id $cl
$(frr_neighbor frr t1 $AS)
$(frr_neighbor frr t2 $AS)" "  neighbor ${ADDR[t1]} route-reflector-client
  neighbor ${ADDR[t2]} route-reflector-client"
  ternd_node t1
  ternd_node t2
  local rr_session
  rr_session=Global_$(name_of "${ADDR[frr]}")
  wait_sessions 30 t1 "$rr_session"
  wait_sessions 30 t2 "$rr_session"
  for n in t1 t2; do
    [ "$(status $n | jq -r '[.sessions[].name] | join(" ")')" = "$rr_session" ] ||
      lab_fail "$n's sessions: $(status $n | jq -c '[.sessions[].name]')"
  done
  expect_view 20 frr "both ternd blocks, learned directly" "$(direct t1)" "$(direct t2)"
  expect_view 20 t1 "its block, t2's reflected by FRR" "$(own t1)" "$(reflected t2 $cl)"
  expect_view 10 t2 "its block, t1's reflected by FRR" "$(own t2)" "$(reflected t1 $cl)"
  # CrossSubnet inside the node's subnet: direct, to the originating node, not the reflector.
  expect_kernel 10 t1 "blackhole ${BLOCK[t1]} - -" "unicast ${BLOCK[t2]} ${ADDR[t2]} IFACE"
  expect_kernel 10 t2 "blackhole ${BLOCK[t2]} - -" "unicast ${BLOCK[t1]} ${ADDR[t1]} IFACE"
}

# The ToR's 10,000 external routes: 100.64.0.0/24 .. 100.103.15.0/24 (inside 100.64.0.0/10).
TOR_ROUTES=10000
tor_networks() {
  awk -v n=$TOR_ROUTES 'BEGIN { for (i = 0; i < n; i++) printf "  network 100.%d.%d.0/24\n", 64 + int(i / 256), i % 256 }'
}

tor_loaded() {
  [ "$(vtysh_at tor -c 'show bgp ipv4 unicast summary json' | jq -r '.tableVersion // 0')" -ge $TOR_ROUTES ]
}

scenario_tor_ebgp() {
  local tor_as=65000
  node n1 1
  node tor 254
  BLOCK[n1b]=10.244.129.0/26
  {
    calico_bgpconfig $AS false
    m_node n1
    calico_block n1-a n1 "${BLOCK[n1]}" confirmed
    calico_block n1-b n1 "${BLOCK[n1b]}" confirmed
    calico_pool default-pool 10.244.0.0/16 CrossSubnet Never 26
    m_peer tor "peerIP: ${ADDR[tor]}" "asNumber: $tor_as"
  } > "$LAB_DIR/intent.yaml"
  local t0=$SECONDS loaded
  loaded=$(date +%s.%N)
  frr_router tor $tor_as "$(frr_neighbor tor n1 $AS)" "$(tor_networks)"
  lab_wait_for 30 "the ToR holds its $TOR_ROUTES routes" tor_loaded
  lab_log "$(since "$loaded") s for FRR to load $TOR_ROUTES networks"

  local start first="" count session
  session=Global_$(name_of "${ADDR[tor]}")
  start=$(date +%s.%N)
  ternd_node n1
  local deadline=$((SECONDS + 60))
  while :; do
    count=$(ip -n "${NODE_NS[n1]}" route show proto bird | grep -c "^100\." || true)
    [ -z "$first" ] && [ "$count" -gt 0 ] && first=$(since "$start")
    [ "$count" -ge $TOR_ROUTES ] && break
    [ $SECONDS -lt $deadline ] || lab_fail "only $count of $TOR_ROUTES ToR routes in n1's kernel after 60 s" \
      "(status: $(status n1 | jq -c '.sessions, .routes, .fib'))"
    sleep 0.1
  done
  lab_log "ternd started -> first ToR route in the kernel: ${first} s, all $TOR_ROUTES: $(since "$start") s"
  # The status file is rewritten once a second: it may not have seen the session come up yet.
  lab_wait_for 5 "n1's session to the ToR in its status ($(status n1 | jq -c .sessions))" \
    established n1 "$session"
  # Exactly the node's blocks and the ToR's routes; external routes follow no pool: straight to
  # the ToR over the node's interface.
  { printf 'blackhole %s - -\n' "${BLOCK[n1]}" "${BLOCK[n1b]}"
    tor_networks | awk -v t="${ADDR[tor]}" '{ printf "unicast %s %s IFACE\n", $2, t }'
  } | LC_ALL=C sort > "$LAB_DIR/tor-expected.txt"
  kernel_routes n1 > "$LAB_DIR/tor-kernel.txt"
  diff -q "$LAB_DIR/tor-expected.txt" "$LAB_DIR/tor-kernel.txt" > /dev/null ||
    lab_fail "n1's kernel differs from its blocks plus the ToR's routes via ${ADDR[tor]}:
$(diff "$LAB_DIR/tor-expected.txt" "$LAB_DIR/tor-kernel.txt" | head -20)"
  [ "$(status n1 | jq -r '.fib.failed, .fib.parked' | tr '\n' ' ')" = "0 0 " ] ||
    lab_fail "n1's FIB: $(status n1 | jq -c .fib)"
  # The ToR got the node's two blocks, nothing else (not its own 10,000 back), next hop n1.
  local received
  received=$(vtysh_at tor -c "show bgp ipv4 unicast neighbors ${ADDR[n1]} received-routes json" |
    jq -r '.receivedRoutes | to_entries[] | "\(.key) nh=\(.value.nextHop)"' | sort)
  [ "$received" = "$(printf '%s nh=%s\n' "${BLOCK[n1]}" "${ADDR[n1]}" "${BLOCK[n1b]}" "${ADDR[n1]}" | sort)" ] ||
    lab_fail "the ToR received from n1: ${received:-<nothing>}"
  local tor_total
  tor_total=$(vtysh_at tor -c "show bgp ipv4 unicast json" | jq '.routes | length')
  [ "$tor_total" = $((TOR_ROUTES + 2)) ] || lab_fail "the ToR's table has $tor_total prefixes, expected $((TOR_ROUTES + 2))"
  lab_log "scenario wall time $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------- the evil peer
# A raw BGP speaker (Python, no BGP library): it connects to ternd, opens with 4-octet AS and
# IPv4 unicast, keeps the session alive, and sends one hand-built UPDATE per command line read
# from its FIFO ("CASE PREFIX..."). What it receives is logged ("got NOTIFICATION 3/1").
EVIL_PY='
import os, select, socket, struct, sys, time
local, remote, my_as, fifo = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

def log(*a):
    print(*a, flush=True)

def msg(t, body):
    return b"\xff" * 16 + struct.pack("!HB", 19 + len(body), t) + body

def attr(flags, code, val):
    if flags & 0x10:
        return struct.pack("!BBH", flags, code, len(val)) + val
    return struct.pack("!BBB", flags, code, len(val)) + val

def nlri(p):
    a, l = p.split("/")
    l = int(l)
    return bytes([l]) + socket.inet_aton(a)[: (l + 7) // 8]

ORIGIN = attr(0x40, 1, b"\x00")
AS_PATH = attr(0x40, 2, b"\x02\x01" + struct.pack("!I", my_as))
NEXT_HOP = attr(0x40, 3, socket.inet_aton(local))

# RFC 7606 cases: the attributes of an UPDATE whose NLRI are the given prefixes.
CASES = {
    "good": ORIGIN + AS_PATH + NEXT_HOP,
    # 7.1: ORIGIN 5 is undefined -> treat-as-withdraw
    "bad_origin": attr(0x40, 1, b"\x05") + AS_PATH + NEXT_HOP,
    # 7.2: an AS_SEQUENCE claiming 3 ASes holding 1 -> treat-as-withdraw
    "bad_as_path": ORIGIN + attr(0x40, 2, b"\x02\x03" + struct.pack("!I", my_as)) + NEXT_HOP,
    # 7.3: NEXT_HOP of length 5 -> treat-as-withdraw
    "bad_next_hop_length": ORIGIN + AS_PATH + attr(0x40, 3, socket.inet_aton(local) + b"\x00"),
    # 7.8: COMMUNITIES (optional transitive) not a multiple of 4 -> treat-as-withdraw
    "bad_communities": ORIGIN + AS_PATH + NEXT_HOP + attr(0xC0, 8, b"\xfd\xe8\x00"),
    # 3.c: ORIGIN flagged optional -> an attribute length error -> treat-as-withdraw
    "bad_origin_flags": attr(0xC0, 1, b"\x00") + AS_PATH + NEXT_HOP,
    # 7.6: ATOMIC_AGGREGATE with a value -> attribute discard, the route stays
    "discard_atomic_aggregate": ORIGIN + AS_PATH + NEXT_HOP + attr(0x40, 6, b"\x01"),
}

def update(case, prefixes):
    body = b"".join(nlri(p) for p in prefixes)
    if case == "withdraw":
        return msg(2, struct.pack("!H", len(body)) + body + b"\x00\x00")
    if case == "bad_mp_reach":
        # 5.3: the last IPv4 prefix of MP_REACH_NLRI runs past the attribute -> session reset
        mp = struct.pack("!HBB", 1, 1, 4) + socket.inet_aton(local) + b"\x00" + body[:-1]
        attrs = ORIGIN + AS_PATH + attr(0x80, 14, mp)
        return msg(2, b"\x00\x00" + struct.pack("!H", len(attrs)) + attrs)
    attrs = CASES[case]
    return msg(2, b"\x00\x00" + struct.pack("!H", len(attrs)) + attrs + body)

caps = bytes([1, 4, 0, 1, 0, 1]) + bytes([65, 4]) + struct.pack("!I", my_as)
opt = bytes([2, len(caps)]) + caps
open_msg = msg(1, struct.pack("!BHH4sB", 4, my_as if my_as < 65536 else 23456, 90,
                              socket.inet_aton(local), len(opt)) + opt)

while True:
    try:
        s = socket.create_connection((remote, 179), timeout=2, source_address=(local, 0))
        break
    except OSError:
        time.sleep(0.5)
s.settimeout(None)
s.sendall(open_msg)
log("connected")
fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
buf, cmd, last_ka, est = b"", b"", 0.0, False
while True:
    if time.time() - last_ka > 10:
        s.sendall(msg(4, b""))
        last_ka = time.time()
    r, _, _ = select.select([s, fd], [], [], 1)
    if s in r:
        data = s.recv(65536)
        if not data:
            log("closed")
            sys.exit(0)
        buf += data
        while len(buf) >= 19 and len(buf) >= struct.unpack("!H", buf[16:18])[0]:
            n = struct.unpack("!H", buf[16:18])[0]
            m, buf = buf[:n], buf[n:]
            t = m[18]
            if t == 3:
                log("got NOTIFICATION %d/%d" % (m[19], m[20]))
            elif t == 4 and not est:
                est = True
                log("established")
            elif t != 4:
                log("got type %d" % t)
    if fd in r:
        cmd += os.read(fd, 4096)
        while b"\n" in cmd:
            line, cmd = cmd.split(b"\n", 1)
            words = line.decode().split()
            if words:
                s.sendall(update(words[0], words[1:]))
                log("sent " + " ".join(words))
'

# evil CASE PREFIX...: one UPDATE from the evil peer, acknowledged in its log.
EVIL_SENT=0
evil() {
  echo "$*" > "$LAB_DIR/evil.fifo"
  EVIL_SENT=$((EVIL_SENT + 1))
  lab_wait_for 5 "the evil peer sent $1" \
    bash -c "[ \$(grep -c '^sent ' '$LAB_DIR/evil.out') -ge $EVIL_SENT ]"
}


scenario_evil_peer() {
  local evil_as=65066
  node n1 1
  node n2 2
  node evil 66
  KIND=([n1]=tern [n2]=bird)
  {
    calico_bgpconfig $AS true
    m_node n1
    m_node n2
    m_blocks n1 n2
    calico_pool default-pool 10.244.0.0/16 Never Never 26
    m_peer evil-neighbour "node: n1" "peerIP: ${ADDR[evil]}" "asNumber: $evil_as"
  } > "$LAB_DIR/intent.yaml"
  start_bird "${NODE_NS[n2]}" "$(calico_bird_config "${ADDR[n2]}" $AS "${BLOCK[n2]}" \
    10.244.0.0/16 "${ADDR[n1]}")" n2
  ternd_node n1
  local mesh evil_session
  mesh=$(calico_mesh_name "${ADDR[n1]}")
  evil_session=Node_$(name_of "${ADDR[evil]}")
  wait_sessions 30 n1 "$(calico_mesh_name "${ADDR[n2]}")"
  lab_wait_for 15 "BIRD's mesh session to n1" \
    bash -c "birdc -s '$LAB_DIR/bird-n2.ctl' show protocols $mesh | grep -q Established"
  local since
  since=$(bird_since_ms n2 "$mesh")

  mkfifo "$LAB_DIR/evil.fifo"
  printf '%s' "$EVIL_PY" > "$LAB_DIR/evil.py"
  lab_spawn evil "${NODE_NS[evil]}" python3 -u "$LAB_DIR/evil.py" "${ADDR[evil]}" "${ADDR[n1]}" \
    $evil_as "$LAB_DIR/evil.fifo"
  wait_sessions 20 n1 "$evil_session"

  # Pool prefixes (not blocks), so ternd hands what it accepts to BIRD.
  local good1=10.244.200.0/26 good2=10.244.211.0/26 discard=10.244.210.0/26
  local cases=(bad_origin bad_as_path bad_next_hop_length bad_communities bad_origin_flags)
  local i was=() fresh=()
  for i in "${!cases[@]}"; do
    was+=("10.244.$((201 + i)).0/26")   # announced well first, then malformed
    fresh+=("10.244.$((201 + i)).64/26") # only ever malformed
  done
  evil good "$good1" "${was[@]}"
  local base=("blackhole ${BLOCK[n1]} - -" "unicast ${BLOCK[n2]} ${ADDR[n2]} IFACE")
  local lines=() p
  for p in "$good1" "${was[@]}"; do lines+=("unicast $p ${ADDR[evil]} IFACE"); done
  expect_kernel 10 n1 "${base[@]}" "${lines[@]}"
  lab_wait_for 10 "BIRD learns the evil peer's good routes" \
    bash -c "[ \$(birdc -s '$LAB_DIR/bird-n2.ctl' show route protocol $mesh | grep -c '^10\.244\.2[01]') = $((1 + ${#cases[@]})) ]"

  for i in "${!cases[@]}"; do evil "${cases[$i]}" "${was[$i]}" "${fresh[$i]}"; done
  evil discard_atomic_aggregate "$discard"
  evil good "$good2"
  # Treat-as-withdraw removed each case's prefixes; the discarded attribute left its route.
  expect_kernel 10 n1 "${base[@]}" "unicast $good1 ${ADDR[evil]} IFACE" \
    "unicast $discard ${ADDR[evil]} IFACE" "unicast $good2 ${ADDR[evil]} IFACE"
  local ps
  ps=$(peer_status n1 "$evil_session")
  lab_log "the evil peer's session: $(jq -c '{fsmState, establishedCount, updatesIn, updateErrors}' <<< "$ps")"
  [ "$(jq -r '.fsmState, .establishedCount' <<< "$ps" | tr '\n' ' ')" = "Established 1 " ] ||
    lab_fail "the evil peer's session did not stay up: $ps"
  [ "$(jq -r '.updateErrors["treat-as-withdraw"] // 0' <<< "$ps")" = "${#cases[@]}" ] &&
    [ "$(jq -r '.updateErrors["attribute-discard"] // 0' <<< "$ps")" = 1 ] ||
    lab_fail "RFC 7606 counters: $(jq -c .updateErrors <<< "$ps")"
  for p in "${was[@]}" "${fresh[@]}"; do
    [ "$(ctl n1 routes "$p" -o json | jq '.routes // [] | length')" = 0 ] ||
      lab_fail "ternd's RIB still holds $p: $(ctl n1 routes "$p")"
  done
  grep -q "got NOTIFICATION" "$LAB_DIR/evil.out" && lab_fail "ternd sent a NOTIFICATION: $(cat "$LAB_DIR/evil.out")"
  # BIRD holds exactly the evil peer's three surviving routes, through n1.
  lab_wait_for 10 "BIRD holds only the surviving evil routes" bash -c \
    "[ \"\$(birdc -s '$LAB_DIR/bird-n2.ctl' show route protocol $mesh | grep -o '^10\.244\.2[01][0-9.]*/26' | sort | tr '\n' ' ')\" = '$good1 $discard $good2 ' ]"

  # A broken MP_REACH_NLRI cannot be parsed past: ternd resets the session (RFC 7606 5.3).
  evil bad_mp_reach 10.244.220.0/26
  lab_wait_for 10 "ternd's NOTIFICATION to the evil peer" grep -q "got NOTIFICATION 3/" "$LAB_DIR/evil.out"
  lab_log "evil peer: $(grep NOTIFICATION "$LAB_DIR/evil.out")"
  expect_kernel 10 n1 "${base[@]}"
  lab_wait_for 10 "BIRD drops the evil peer's routes" bash -c \
    "! birdc -s '$LAB_DIR/bird-n2.ctl' show route protocol $mesh | grep -q '^10\.244\.2[012]'"

  # The well-behaved neighbour never noticed: same session since the start, n1's block kept.
  same_moment "$(bird_since_ms n2 "$mesh")" "$since" ||
    lab_fail "BIRD's session to n1 changed state: since ${since} ms, now $(bird_since_ms n2 "$mesh") ms"
  birdc_at n2 show protocols "$mesh" | grep -q Established || lab_fail "BIRD's session to n1 is down"
  birdc_at n2 show route for "${BLOCK[n1]}" | grep -q "${ADDR[n1]}" || lab_fail "BIRD lost n1's block"
  established n1 "$(calico_mesh_name "${ADDR[n2]}")" || lab_fail "n1's mesh session went down"
}

# md5_secret BIRD_KEY FRR_KEY MESH_KEY: the Secret every password comes from.
md5_secret() { m_secret bgp-passwords "bird=$1" "frr=$2" "mesh=$3"; }

# frr_established NAME PEER_ADDR
frr_established() {
  vtysh_at "$1" -c "show bgp neighbors $2 json" | grep -Eq '"bgpState": ?"Established"'
}
bird_established() { birdc_at "$1" show protocols "$2" | grep -q Established; }
# established_count NODE SESSION: how often the session came up since ternd started.
established_count() { peer_status "$1" "$2" | jq -r '.establishedCount // 0'; }

scenario_md5() {
  local frr_as=65004
  node n1 1
  node n2 2
  node bird 3
  node frr 4
  {
    calico_bgpconfig $AS true bgp-passwords mesh
    m_node n1
    m_node n2
    m_blocks n1 n2
    calico_pool default-pool 10.244.0.0/16 Never Never 26
    m_peer bird "node: n1" "peerIP: ${ADDR[bird]}" "asNumber: $AS" \
      "password: {secretKeyRef: {name: bgp-passwords, key: bird}}"
    m_peer frr "node: n1" "peerIP: ${ADDR[frr]}" "asNumber: $frr_as" \
      "password: {secretKeyRef: {name: bgp-passwords, key: frr}}"
    md5_secret bird-key-1 frr-key-2 mesh-key-3
  } > "$LAB_DIR/intent.yaml"
  bird_calico bird n1 10.244.0.0/16 'password "bird-key-1";'
  frr_router frr $frr_as "$(frr_neighbor frr n1 $AS)
 neighbor ${ADDR[n1]} password frr-key-2" "  network ${BLOCK[frr]}"
  ternd_node n1
  ternd_node n2
  local m12 m21 nb nf
  m12=$(calico_mesh_name "${ADDR[n2]}")
  m21=$(calico_mesh_name "${ADDR[n1]}")
  nb=Node_$(name_of "${ADDR[bird]}")
  nf=Node_$(name_of "${ADDR[frr]}")
  wait_sessions 30 n1 "$m12" "$nb" "$nf"
  wait_sessions 10 n2 "$m21"
  lab_wait_for 10 "BIRD Established" bird_established bird "Node_$(name_of "${ADDR[n1]}")"
  lab_wait_for 10 "FRR Established" frr_established frr "${ADDR[n1]}"
  expect_kernel 10 n1 "blackhole ${BLOCK[n1]} - -" "unicast ${BLOCK[n2]} ${ADDR[n2]} IFACE" \
    "unicast ${BLOCK[bird]} ${ADDR[bird]} IFACE" "unicast ${BLOCK[frr]} ${ADDR[frr]} IFACE"
  # The keys are on the sockets: the kernel lists an MD5 key on each of n1's BGP connections.
  local md5_conns
  md5_conns=$(ip netns exec "${NODE_NS[n1]}" ss -tnie state established '( sport = :179 or dport = :179 )' 2> /dev/null |
    grep -c 'md5' || true)
  [ "$md5_conns" = 3 ] || lab_fail "n1 has $md5_conns BGP connections with a TCP MD5 key, expected 3:
$(ip netns exec "${NODE_NS[n1]}" ss -tnie '( sport = :179 or dport = :179 )' 2> /dev/null)"

  # Wrong keys: n1 is told a new BIRD key BIRD does not have, n2 a mesh key n1 does not have.
  md5_secret bird-key-WRONG frr-key-2 mesh-key-3 > "$LAB_DIR/wrong-n1.yaml"
  md5_secret bird-key-1 frr-key-2 mesh-key-WRONG > "$LAB_DIR/wrong-n2.yaml"
  ctl n1 apply -f "$LAB_DIR/wrong-n1.yaml" > /dev/null
  ctl n2 apply -f "$LAB_DIR/wrong-n2.yaml" > /dev/null
  lab_wait_for 10 "n1's session to BIRD goes down" bash -c "! jq -e '.sessions[] | select(.name == \"$nb\" and .state == \"Established\")' '$LAB_DIR/n1.json' > /dev/null"
  lab_wait_for 10 "the mesh goes down" bash -c "! jq -e '.sessions[] | select(.name == \"$m12\" and .state == \"Established\")' '$LAB_DIR/n1.json' > /dev/null"
  # Long enough for several connection attempts from both ends (BIRD retries every 5 s).
  sleep 8
  established n1 "$nb" && lab_fail "n1 and BIRD established with different keys"
  bird_established bird "Node_$(name_of "${ADDR[n1]}")" && lab_fail "BIRD established with a wrong key"
  established n1 "$m12" || established n2 "$m21" && lab_fail "the mesh established with different keys"
  lab_log "n1 about BIRD with the wrong key: $(peer_status n1 "$nb" | jq -c '{state, fsmState, info, lastError}')"
  lab_log "n2 about n1 with the wrong mesh key: $(peer_status n2 "$m21" | jq -c '{state, fsmState, info, lastError}')"
  # The FRR session had no reason to move.
  [ "$(established_count n1 "$nf")" = 1 ] && established n1 "$nf" ||
    lab_fail "changing other keys disturbed the FRR session: $(peer_status n1 "$nf")"
  # BIRD's table lost n1's block; the kernel of n1 lost BIRD's and n2's blocks.
  expect_kernel 10 n1 "blackhole ${BLOCK[n1]} - -" "unicast ${BLOCK[frr]} ${ADDR[frr]} IFACE"

  # The right keys again: everything comes back.
  md5_secret bird-key-1 frr-key-2 mesh-key-3 > "$LAB_DIR/right.yaml"
  ctl n1 apply -f "$LAB_DIR/right.yaml" > /dev/null
  ctl n2 apply -f "$LAB_DIR/right.yaml" > /dev/null
  wait_sessions 30 n1 "$m12" "$nb"
  wait_sessions 10 n2 "$m21"
  expect_kernel 10 n1 "blackhole ${BLOCK[n1]} - -" "unicast ${BLOCK[n2]} ${ADDR[n2]} IFACE" \
    "unicast ${BLOCK[bird]} ${ADDR[bird]} IFACE" "unicast ${BLOCK[frr]} ${ADDR[frr]} IFACE"
}

case "$SCENARIO" in
  rr_tern_reflector) scenario_rr_tern_reflector ;;
  tern_client_of_frr_rr) scenario_tern_client_of_frr_rr ;;
  tor_ebgp) scenario_tor_ebgp ;;
  evil_peer) scenario_evil_peer ;;
  md5) scenario_md5 ;;
  *) lab_fail "unknown scenario $SCENARIO" ;;
esac
lab_log "PASS"
