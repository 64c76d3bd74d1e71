# Shared helpers for interop labs: network namespaces joined by veth pairs, daemons started
# and stopped by PID, and a cleanup that runs however the test ends. Source it, then call
# lab_init NAME; everything a lab creates is removed by the EXIT trap.
#
# Rules (README "Network rules"): only addresses inside namespaces the lab created; every
# process is killed by its PID, never by name.

set -euo pipefail

LAB_NAME=""
LAB_DIR=""
LAB_NETNS=()
LAB_PIDS=()
LAB_RMDIRS=()
# LAB_STATE=FILE (set before lab_init): every namespace, process and directory is also written
# to FILE, so lab_down FILE can remove them after the script itself died (SIGKILL, a crash).
LAB_STATE=${LAB_STATE:-}

lab_log() { echo "[$LAB_NAME] $*" >&2; }
lab_fail() {
  echo "[$LAB_NAME] FAIL: $*" >&2
  exit 1
}

lab_cleanup() {
  local rc=$?
  set +e
  # A second Ctrl-C must not cut the cleanup short.
  trap '' INT TERM
  if [ $rc -ne 0 ] && [ -n "$LAB_DIR" ]; then
    echo "---- lab files of $LAB_NAME (rc $rc) ----" >&2
    for f in "$LAB_DIR"/*.log "$LAB_DIR"/*.out "$LAB_DIR"/*.err "$LAB_DIR"/*/*.log; do
      [ -s "$f" ] || continue
      echo "== $f" >&2
      tail -n 40 "$f" >&2
    done
  fi
  for pid in "${LAB_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for _ in $(seq 20); do
    local alive=0
    for pid in "${LAB_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.1
  done
  for pid in "${LAB_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  for ns in "${LAB_NETNS[@]}"; do ip netns del "$ns" 2>/dev/null; done
  for d in "${LAB_RMDIRS[@]}"; do rm -rf "$d"; done
  [ -n "$LAB_DIR" ] && [ -z "${LAB_KEEP:-}" ] && rm -rf "$LAB_DIR"
  [ -n "$LAB_STATE" ] && rm -f "$LAB_STATE"
  exit $rc
}

# lab_record KIND VALUE: one line of the state file (no-op without LAB_STATE).
lab_record() { if [ -n "$LAB_STATE" ]; then echo "$1 $2" >> "$LAB_STATE"; fi; }

# lab_proc_start PID: the process's start time (clock ticks since boot), which tells a PID
# from a later process that reused it.
lab_proc_start() {
  local stat
  stat=$(cat "/proc/$1/stat" 2> /dev/null) || return 1
  stat=${stat##*) }
  set -- $stat
  echo "${20}"
}

# rss_kib PID: the process's resident set in KiB.
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# cpu_ticks PID: its user + system time in clock ticks.
cpu_ticks() {
  local stat
  stat=$(cat "/proc/$1/stat")
  stat=${stat##*) }
  set -- $stat
  echo $((${12} + ${13}))
}

# lab_track_pid PID: kill PID at cleanup and record it with its start time.
lab_track_pid() {
  LAB_PIDS+=("$1")
  if [ -n "$LAB_STATE" ]; then lab_record pid "$1:$(lab_proc_start "$1" || echo gone)"; fi
}

# lab_down FILE: removes what a lab recorded in FILE (LAB_STATE) after it died without its
# cleanup: processes by PID (only while the PID still is the recorded process), namespaces,
# directories. Safe to run twice.
lab_down() {
  local file=$1 kind value pid start pids=() nss=() dirs=()
  [ -f "$file" ] || return 0
  while read -r kind value; do
    case "$kind" in
      pid)
        pid=${value%%:*}
        start=${value#*:}
        [ "$(lab_proc_start "$pid" 2> /dev/null)" = "$start" ] && pids+=("$pid")
        ;;
      netns) nss+=("$value") ;;
      dir) dirs+=("$value") ;;
    esac
  done < "$file"
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
  for _ in $(seq 20); do
    local alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2> /dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2> /dev/null || true; done
  local ns
  for ns in "${nss[@]}"; do ip netns del "$ns" 2> /dev/null || true; done
  local d
  for d in "${dirs[@]}"; do rm -rf "$d"; done
  rm -f "$file"
  echo "removed ${#pids[@]} processes, ${#nss[@]} namespaces, ${#dirs[@]} directories" >&2
}

# lab_init NAME: unique names so labs can run side by side.
lab_init() {
  LAB_NAME=$1
  LAB_DIR=$(mktemp -d "/tmp/tern-lab-$1.XXXXXX")
  chmod 755 "$LAB_DIR"
  lab_record dir "$LAB_DIR"
  trap lab_cleanup EXIT
  trap 'exit 130' INT TERM
}

# lab_ns SHORT VAR: creates namespace "tern-<lab>-<short>-<pid>" with lo up and stores its
# name in VAR. (Not printed: a $(...) subshell would lose it from the cleanup list.)
# LAB_NS_SUFFIX replaces "-<pid>" (LAB_NS_SUFFIX= gives names one can type: tern-<lab>-<short>).
lab_ns() {
  local ns="tern-$LAB_NAME-$1${LAB_NS_SUFFIX--$$}"
  LAB_NETNS+=("$ns")
  lab_record netns "$ns"
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  printf -v "$2" '%s' "$ns"
}

# lab_link NS1 ADDR1/LEN NS2 ADDR2/LEN [ADDR6_1/LEN ADDR6_2/LEN]: a veth pair between them.
lab_link() {
  local ns1=$1 a1=$2 ns2=$3 a2=$4
  local v1="tv${RANDOM}a" v2="tv${RANDOM}b"
  ip link add "$v1" type veth peer name "$v2"
  ip link set "$v1" netns "$ns1"
  ip link set "$v2" netns "$ns2"
  ip -n "$ns1" addr add "$a1" dev "$v1"
  ip -n "$ns2" addr add "$a2" dev "$v2"
  if [ $# -ge 6 ]; then
    ip -n "$ns1" addr add "$5" dev "$v1" nodad
    ip -n "$ns2" addr add "$6" dev "$v2" nodad
  fi
  ip -n "$ns1" link set "$v1" up
  ip -n "$ns2" link set "$v2" up
}

# lab_bridge NS: a bridge "br0" inside NS (a namespace of the lab that plays the switch), so
# any number of lab nodes can share one segment, like the nodes of a cluster.
lab_bridge() {
  ip -n "$1" link add br0 type bridge
  ip -n "$1" link set br0 up
}

# lab_bridge_port SWITCH_NS NS ADDR/LEN [IFNAME]: plugs NS into the bridge of SWITCH_NS with
# ADDR, on an interface named IFNAME inside NS (default: a random name).
lab_bridge_port() {
  local sw=$1 ns=$2 addr=$3
  local v1="tv${RANDOM}n" v2="tv${RANDOM}s"
  ip link add "$v1" type veth peer name "$v2"
  ip link set "$v1" netns "$ns"
  ip link set "$v2" netns "$sw"
  ip -n "$sw" link set "$v2" master br0
  ip -n "$sw" link set "$v2" up
  if [ -n "${4:-}" ]; then
    ip -n "$ns" link set "$v1" name "$4"
    v1=$4
  fi
  ip -n "$ns" addr add "$addr" dev "$v1"
  ip -n "$ns" link set "$v1" up
}

# lab_node NAME SWITCH_NS ADDR/LEN [IFNAME]: namespace NAME plugged into SWITCH_NS's bridge with
# ADDR, its name in NODE_NS[NAME]. Without IFNAME the interface's random name goes to
# IFACE[NAME], so checks can write it IFACE.
declare -A NODE_NS IFACE
lab_node() {
  local node_ns
  lab_ns "$1" node_ns
  NODE_NS[$1]=$node_ns
  lab_bridge_port "$2" "$node_ns" "$3" "${4:-}"
  if [ -z "${4:-}" ]; then
    IFACE[$1]=$(ip -n "$node_ns" -o -4 addr show to "$3" | awk '{print $2}')
  fi
}

# lab_two_subnets NET_A NET_B: two /24 segments (switches NS_SWA, NS_SWB) joined by a router
# namespace NS_ROUTER holding .1 on both.
lab_two_subnets() {
  LAB_NET_A=$1
  LAB_NET_B=$2
  lab_ns swa NS_SWA
  lab_ns swb NS_SWB
  lab_ns router NS_ROUTER
  lab_bridge "$NS_SWA"
  lab_bridge "$NS_SWB"
  lab_bridge_port "$NS_SWA" "$NS_ROUTER" "$1.1/24" eth-a
  lab_bridge_port "$NS_SWB" "$NS_ROUTER" "$2.1/24" eth-b
  ip netns exec "$NS_ROUTER" sysctl -qw net.ipv4.ip_forward=1
}

# lab_subnet_node NAME ADDR: lab_node on the segment of ADDR's /24 (lab_two_subnets), as eth0,
# with a default route via the router.
lab_subnet_node() {
  local net=${2%.*} sw=$NS_SWA
  [ "$net" = "$LAB_NET_B" ] && sw=$NS_SWB
  lab_node "$1" "$sw" "$2/24" eth0
  ip -n "${NODE_NS[$1]}" route add default via "$net.1"
}

# lab_spawn NAME NS CMD...: runs CMD in NS in the background, output in $LAB_DIR/NAME.{out,err};
# the PID is recorded for cleanup and left in LAB_LAST_PID. Never call it inside $(...).
lab_spawn() {
  local name=$1 ns=$2
  shift 2
  ip netns exec "$ns" "$@" > "$LAB_DIR/$name.out" 2> "$LAB_DIR/$name.err" &
  LAB_LAST_PID=$!
  lab_track_pid "$LAB_LAST_PID"
}

# lab_track PID: also kill PID at cleanup (daemons that fork and write a pidfile).
lab_track() { lab_track_pid "$1"; }

# lab_wait_for SECONDS DESCRIPTION CMD...: polls CMD until it succeeds.
lab_wait_for() {
  local secs=$1 what=$2
  shift 2
  local end=$((SECONDS + secs))
  while [ $SECONDS -lt $end ]; do
    if "$@" > /dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  lab_fail "timed out after ${secs}s waiting for: $what"
}

# lab_wait_pidfile FILE: waits for a daemon's pidfile and tracks the PID.
lab_wait_pidfile() {
  lab_wait_for 10 "pidfile $1" test -s "$1"
  lab_track "$(cat "$1")"
}

lab_json_has() { grep -q "$2" "$1"; }
