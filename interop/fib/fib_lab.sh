# Helpers for the FIB labs (source after ../lib/lab.sh). One "node" namespace holds the
# routes under test: eth0 (10.10.0.1/24, fd00::1/64) is a veth to a "peer" namespace that
# answers as 10.10.0.2 and 10.10.0.3, a router 10.10.0.254 leads to 10.20.0.0/16 (an admin
# static route), and tunl0 is one end of a veth pair: this kernel has no ipip module, and a
# device of that name is all the writer needs to route through it.

FIB_BIN=""
FIB_FIFO=""
FIB_READY=0

# fib_topology [notunnel]: creates NS_NODE and NS_PEER.
fib_topology() {
  lab_ns node NS_NODE
  lab_ns peer NS_PEER
  ip link add fibeth$$ type veth peer name fibpeer$$
  ip link set fibeth$$ netns "$NS_NODE"
  ip link set fibpeer$$ netns "$NS_PEER"
  ip -n "$NS_NODE" link set fibeth$$ name eth0
  ip -n "$NS_PEER" link set fibpeer$$ name eth0
  ip -n "$NS_NODE" addr add 10.10.0.1/24 dev eth0
  ip -n "$NS_NODE" addr add fd00::1/64 dev eth0 nodad
  ip -n "$NS_PEER" addr add 10.10.0.2/24 dev eth0
  ip -n "$NS_PEER" addr add 10.10.0.3/24 dev eth0
  ip -n "$NS_PEER" addr add fd00::2/64 dev eth0 nodad
  ip -n "$NS_NODE" link set eth0 up
  ip -n "$NS_PEER" link set eth0 up
  ip -n "$NS_NODE" route add 10.20.0.0/16 via 10.10.0.254
  [ "${1:-}" = notunnel ] || fib_tunnel_create
}

fib_tunnel_create() {
  ip -n "$NS_NODE" link add tunl0 type veth peer name tunl0peer
  ip -n "$NS_NODE" link set tunl0peer up
  ip -n "$NS_NODE" link set tunl0 up
}

# fib_start NAME [tern-fib args...]: starts the writer reading commands from a FIFO (fd 3).
fib_start() {
  local name=$1
  shift
  FIB_FIFO="$LAB_DIR/$name.cmd"
  rm -f "$FIB_FIFO"
  mkfifo "$FIB_FIFO"
  FIB_OUT="$LAB_DIR/$name.out"
  FIB_READY=0
  lab_spawn "$name" "$NS_NODE" sh -c 'exec "$0" "$@" < "'"$FIB_FIFO"'"' "$FIB_BIN" "$@"
  FIB_PID=$LAB_LAST_PID
  exec 3> "$FIB_FIFO"
  lab_wait_for 10 "$name started" grep -q '^started' "$FIB_OUT"
}

fib_cmd() { printf '%s\n' "$@" >&3; }

# fib_wait: everything sent so far has been written; the status line lands in FIB_LAST.
fib_wait() {
  fib_cmd wait
  FIB_READY=$((FIB_READY + 1))
  lab_wait_for "${1:-60}" "writer ready #$FIB_READY" fib_has_ready "$FIB_READY"
  FIB_LAST=$(grep '^ready' "$FIB_OUT" | sed -n "${FIB_READY}p")
}
fib_has_ready() { [ "$(grep -c '^ready' "$FIB_OUT")" -ge "$1" ]; }

# fib_status_has PATTERN: the writer's status report (problems included) matches PATTERN.
# Only this report counts, not earlier ones.
fib_status_has() {
  local before
  before=$(wc -l < "$FIB_OUT")
  fib_cmd status
  fib_wait
  tail -n +$((before + 1)) "$FIB_OUT" | grep -q -- "$1"
}

fib_kill9() {
  kill -KILL "$FIB_PID"
  wait "$FIB_PID" 2>/dev/null || true
  exec 3>&-
}

# fib_stop: end of input; the writer exits, leaving its routes in the kernel.
fib_stop() {
  exec 3>&-
  local i
  for i in $(seq 50); do kill -0 "$FIB_PID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$FIB_PID" 2>/dev/null && lab_fail "tern-fib did not exit at the end of its input"
  wait "$FIB_PID" 2>/dev/null || true
}

# fib_spawn NAME CMD...: lab_spawn without the command FIFO, so the writer sees its end.
fib_spawn() { lab_spawn "$@" 3>&-; }

# fib_routes [table]: the node's routes of protocol bird as "type dst gw dev flags proto metric
# nexthops", one per line, sorted: read through a netlink dump by iproute2.
fib_routes() {
  ip -n "$NS_NODE" -j -d route show table "${1:-main}" | fib_normalize
  ip -n "$NS_NODE" -6 -j -d route show table "${1:-main}" | fib_normalize
}
fib_normalize() {
  jq -r '.[] | select(.protocol == "bird") | [(.type // "unicast"), .dst, (.gateway // "-"), (.dev // "-"),
     ((.flags // []) | if length == 0 then "-" else join("+") end), .protocol,
     ((.metric // 0) | tostring),
     ((.nexthops // []) | map(.gateway + "@" + .dev + ((.flags // []) | map("+" + .) | join("")))
       | if length == 0 then "-" else join(",") end)] | join(" ")' | sort
}

fib_count() { ip -n "$NS_NODE" -4 route show table "${1:-main}" proto bird | wc -l; }

# fib_expect_routes EXPECTED_FILE: the kernel's routes of ours equal the file (sorted lines).
fib_expect_routes() {
  fib_routes > "$LAB_DIR/actual.routes"
  sort "$1" > "$LAB_DIR/expected.routes"
  if ! diff -u "$LAB_DIR/expected.routes" "$LAB_DIR/actual.routes" >&2; then
    lab_fail "kernel routes differ from the expected shapes ($2)"
  fi
}

# fib_monitor NAME: records route notifications in the node namespace (iproute2's monitor).
fib_monitor() {
  fib_spawn "$1" "$NS_NODE" stdbuf -oL ip -rcvbuf 67108864 monitor route
  MON_PID=$LAB_LAST_PID
  MON_OUT="$LAB_DIR/$1.out"
  sleep 0.3
}

# fib_lab_init NAME: lab_init with a working directory outside /tmp/tern-lab-*, which other
# labs' leftovers sweeps remove by pattern (that once pulled the files from under a run).
fib_lab_init() {
  lab_init "$1"
  rmdir "$LAB_DIR"
  LAB_DIR=$(mktemp -d "/tmp/tern-fiblab-$1.XXXXXX")
  chmod 755 "$LAB_DIR"
}
