# Calico-shaped pieces shared by the cluster lab and the demo (source after lab.sh and
# peers.sh): the projectcalico.org/v3 manifests every node is fed (the intent), the bird.cfg
# confd renders for a BIRD node (reference 3.5, 4.2, 4.3, 5.1), and a pod wired the way Felix
# wires one.

# ---------------------------------------------------------------- the intent (YAML documents)

# calico_bgpconfig AS [MESH [SECRET KEY]]: the global BGPConfiguration, full mesh on unless
# MESH is false; with SECRET, nodeMeshPassword from that Secret's KEY. It comes first in a stream.
calico_bgpconfig() {
  cat << YAML
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  asNumber: $1
  nodeToNodeMeshEnabled: ${2:-true}
  nodeMeshMaxRestartTime: 60s
YAML
  if [ -n "${3:-}" ]; then
    printf '  nodeMeshPassword:\n    secretKeyRef:\n      name: %s\n      key: %s\n' "$3" "$4"
  fi
}

# calico_node NAME ADDR/LEN [CLUSTER_ID]: the mask gives the node's subnet (what CrossSubnet
# compares with); a cluster id makes it a route reflector, labelled route-reflector=true as the
# Calico docs do.
calico_node() {
  printf -- '---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: %s\n' "$1"
  printf '  labels:\n    kubernetes.io/hostname: %s\n' "$1"
  [ -n "${3:-}" ] && printf '    route-reflector: "true"\n'
  printf 'spec:\n  bgp:\n    ipv4Address: %s\n' "$2"
  [ -n "${3:-}" ] && printf '    routeReflectorClusterID: %s\n' "$3"
  return 0
}

# calico_block NAME NODE CIDR [STATE]: a block affinity (STATE e.g. confirmed).
calico_block() {
  cat << YAML
---
apiVersion: projectcalico.org/v3
kind: BlockAffinity
metadata:
  name: $1
spec:
  node: $2
  cidr: $3
YAML
  if [ -n "${4:-}" ]; then echo "  state: $4"; fi
}

# calico_pool NAME CIDR IPIP_MODE VXLAN_MODE [BLOCK_SIZE]
calico_pool() {
  cat << YAML
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: $1
spec:
  cidr: $2
  ipipMode: $3
  vxlanMode: $4
YAML
  if [ -n "${5:-}" ]; then echo "  blockSize: $5"; fi
}

# ---------------------------------------------------------------- a BIRD node as confd renders it

# calico_mesh_name ADDR: the session name confd gives a mesh peer (Mesh_192_168_97_2).
calico_mesh_name() { echo "Mesh_${1//./_}"; }

# calico_mesh_passive MINE PEER: true when this node waits for PEER (string order decides).
calico_mesh_passive() {
  [ "$(printf '%s\n%s\n' "$1" "$2" | LC_ALL=C sort | head -1)" = "$1" ] && [ "$1" != "$2" ]
}

# calico_bird_config ADDR AS "BLOCK..." "POOL[:IPIP_MODE]..." "PEER_ADDR..." [NETWORK_V4]:
# the node's bird.cfg: blackhole statics for its blocks, calico_aggr, the pool accept, mesh
# sessions with the passive rule. With NETWORK_V4 (the node's subnet) BIRD also programs the
# kernel through calico_kernel_programming, as a classic Calico node does. Stock BIRD 2 lacks
# the fork's krt_tunnel attribute, so a route Calico would write as "via <node> dev tunl0
# onlink" (Always, or CrossSubnet to a node outside NETWORK_V4) is not written at all.
# CALICO_BIRD_RESTART_TIME=SEC: the mesh sessions' "graceful restart time" (what confd renders
# from nodeMeshMaxRestartTime); unset, BIRD advertises its default 120 s.
calico_bird_config() {
  local me=$1 as=$2 blocks=$3 pools=$4 peers=$5 net=${6:-} b p mode
  echo "router id $me;"
  echo "protocol device { scan time 2; }"
  echo "protocol direct { ipv4; interface -\"cali*\", \"*\"; }"
  printf 'protocol static { ipv4;'
  for b in $blocks; do printf ' route %s blackhole;' "$b"; done
  echo ' }'
  echo "function calico_aggr() {"
  for b in $blocks; do
    echo "  if ( net = $b ) then { accept; }"
    echo "  if ( net ~ $b ) then { reject; }"
  done
  echo "}"
  echo "function calico_export_to_bgp_peers(bool internal_peer) {"
  echo "  calico_aggr();"
  for p in $pools; do echo "  if ( net ~ ${p%%:*} ) then { accept; }"; done
  echo "}"
  if [ -n "$net" ]; then
    echo "filter calico_kernel_programming {"
    for p in $pools; do
      mode=${p#*:}
      [ "$mode" = "$p" ] && mode=Never
      echo "  if ( net ~ ${p%%:*} ) then {"
      echo "    if ( dest = RTD_BLACKHOLE ) then accept;"
      case "$mode" in
        Never) echo "    accept;" ;;
        CrossSubnet)
          echo "    if ( source = RTS_BGP ) then { if ( bgp_next_hop ~ $net ) then accept; }"
          echo "    reject;"
          ;;
        *) echo "    reject;" ;;
      esac
      echo "  }"
    done
    echo "  accept;"
    echo "}"
    echo "protocol kernel {"
    echo "  ipv4 { import all; export filter calico_kernel_programming; };"
    echo "  learn; persist; scan time 2; graceful restart; merge paths on;"
    echo "}"
  fi
  cat << BIRD
template bgp bgp_template {
  local as $as;
  graceful restart;${CALICO_BIRD_RESTART_TIME:+ graceful restart time $CALICO_BIRD_RESTART_TIME;}
  connect delay time 2; connect retry time 5; error wait time 5,30;
  ipv4 { gateway recursive; import all; export filter { calico_export_to_bgp_peers(true); reject; }; };
}
BIRD
  local passive
  for p in $peers; do
    passive=""
    calico_mesh_passive "$me" "$p" && passive="passive on;"
    echo "protocol bgp $(calico_mesh_name "$p") from bgp_template {"
    echo "  neighbor $p as $as; source address $me; $passive"
    echo "}"
  done
}

# ---------------------------------------------------------------- pods

# calico_pod NODE_NS SHORT POD_IP VAR: a pod namespace (its name stored in VAR, as lab_ns)
# joined to its node by a veth pair: "eth0" in the pod, "cali<hash>" on the node. As Felix
# wires it: the pod holds POD_IP/32 and a default route via 169.254.1.1, which the node
# answers by proxy ARP (without delay); the node routes "POD_IP dev cali<hash> scope link" and
# forwards.
calico_pod() {
  local node=$1 ip=$3 ns cali peer="tv${RANDOM}p"
  lab_ns "$2" "$4"
  ns=${!4}
  cali="cali$(printf '%s' "$ns" | sha1sum | cut -c1-11)"
  ip link add "$cali" type veth peer name "$peer"
  ip link set "$cali" netns "$node"
  ip link set "$peer" netns "$ns"
  ip -n "$ns" link set "$peer" name eth0
  ip -n "$ns" addr add "$ip/32" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add 169.254.1.1 dev eth0 scope link
  ip -n "$ns" route add default via 169.254.1.1 dev eth0
  ip netns exec "$node" sysctl -qw net.ipv4.ip_forward=1 "net.ipv4.conf.$cali.proxy_arp=1" \
    "net.ipv4.neigh.$cali.proxy_delay=0"
  ip -n "$node" link set "$cali" up
  ip -n "$node" route add "$ip" dev "$cali" scope link
}
