# Starting real BGP daemons inside a lab namespace. Each start_* writes its config into
# $LAB_DIR, starts the daemon in the foreground through lab_spawn (so its PID is known and
# killed at cleanup; it is left in LAB_LAST_PID) and waits until it answers its control socket.
#
# Several daemons of one kind can run in one lab: give each an INSTANCE name (last argument)
# and talk to it with the *_at helpers (birdc_at NAME ..., vtysh_at NAME ..., gobgp_at NAME ...).
# Without an instance name the files keep their single-daemon names (bird.conf, bird.ctl,
# frr/, gobgp.sock), which is what birdc_, vtysh_ and gobgp_ use.

FRR_LIB=/usr/lib/frr

# peer_id KIND [INSTANCE]: the base name of an instance's files in $LAB_DIR.
peer_id() { if [ -n "${2:-}" ]; then echo "$1-$2"; else echo "$1"; fi; }

# start_bird NS CONFIG_TEXT [INSTANCE]
start_bird() {
  local ns=$1 id
  id=$(peer_id bird "${3:-}")
  printf '%s\n' "$2" > "$LAB_DIR/$id.conf"
  lab_spawn "$id" "$ns" bird -f -c "$LAB_DIR/$id.conf" -s "$LAB_DIR/$id.ctl"
  lab_wait_for 10 "$id control socket" birdc -s "$LAB_DIR/$id.ctl" show status
}
birdc_at() {
  local id
  id=$(peer_id bird "$1")
  shift
  birdc -s "$LAB_DIR/$id.ctl" "$@"
}
birdc_() { birdc_at "" "$@"; }

# bird_since_ms ID PROTOCOL: when the protocol last changed state, in milliseconds of the day.
# BIRD prints it from its monotonic clock, so the same moment can read 1 ms apart between two
# calls: compare with same_moment, not as text.
bird_since_ms() {
  birdc_at "$1" show protocols "$2" |
    awk -v p="$2" '$1 == p { split($5, t, /[:.]/); print ((t[1] * 60 + t[2]) * 60 + t[3]) * 1000 + t[4] }'
}
# same_moment MS1 MS2: within 50 ms (a session that went down and up again moved by seconds).
same_moment() { [ -n "$1" ] && [ -n "$2" ] && [ $(($1 - $2)) -le 50 ] && [ $(($2 - $1)) -le 50 ]; }

# start_frr NS CONFIG_TEXT [INSTANCE]: bgpd alone (-Z: no zebra, no kernel routes needed here).
start_frr() {
  local ns=$1 id d
  id=$(peer_id frr "${3:-}")
  d=$LAB_DIR/$id
  mkdir -p "$d"
  printf '%s\n' "$2" > "$d/frr.conf"
  : > "$d/vtysh.conf"
  chown -R frr:frr "$d"
  [ -d "/var/run/frr/$ns" ] || LAB_RMDIRS+=("/var/run/frr/$ns")
  lab_spawn "$id" "$ns" "$FRR_LIB/bgpd" -Z -N "$ns" --vty_socket "$d" -i "$d/bgpd.pid" \
    -f "$d/frr.conf" -u frr -g frr --log "file:$d/bgpd.log"
  local pid=$LAB_LAST_PID
  lab_wait_for 15 "$id bgpd vty" vtysh_at "${3:-}" -c "show bgp summary"
  LAB_LAST_PID=$pid
}
vtysh_at() {
  local d
  d=$LAB_DIR/$(peer_id frr "$1")
  shift
  vtysh --config_dir "$d" --vty_socket "$d" -d bgpd "$@"
}
vtysh_() { vtysh_at "" "$@"; }

# start_gobgp NS TOML_TEXT [INSTANCE [GOBGPD_FLAGS...]]: flags such as -r (restarting, for
# graceful restart). Calling it again for an instance whose daemon is gone restarts it; the
# first run's output stays in <id>.out/.err, later runs' in <id>.2.out, <id>.3.out, ...
start_gobgp() {
  local ns=$1 inst=${3:-} id run n=1
  id=$(peer_id gobgp "$inst")
  printf '%s\n' "$2" > "$LAB_DIR/$id.toml"
  shift 2
  [ $# -gt 0 ] && shift
  run=$id
  while [ -e "$LAB_DIR/$run.out" ]; do
    n=$((n + 1))
    run=$id.$n
  done
  # A killed gobgpd leaves its socket behind; the new one must not be mistaken for ready.
  rm -f "$LAB_DIR/$id.sock"
  lab_spawn "$run" "$ns" gobgpd -f "$LAB_DIR/$id.toml" --api-hosts "unix://$LAB_DIR/$id.sock" \
    --log-level info --pprof-disable "$@"
  local pid=$LAB_LAST_PID
  lab_wait_for 10 "$id gobgpd api" gobgp_at "$inst" global
  LAB_LAST_PID=$pid
}
gobgp_at() {
  local id
  id=$(peer_id gobgp "$1")
  shift
  gobgp --target "unix://$LAB_DIR/$id.sock" "$@"
}
gobgp_() { gobgp_at "" "$@"; }

# start_exabgp NS CONFIG_TEXT [LISTEN_ADDR]: with LISTEN_ADDR ExaBGP also accepts connections
# (it only listens when told where to bind).
start_exabgp() {
  local ns=$1 bind=${3:-}
  printf '%s\n' "$2" > "$LAB_DIR/exabgp.conf"
  mkdir -p "$LAB_DIR/exabgp-run"
  lab_spawn exabgp "$ns" env exabgp.daemon.user=root exabgp.daemon.daemonize=false \
    exabgp.api.cli=false exabgp.log.destination="$LAB_DIR/exabgp.log" exabgp.log.all=false \
    exabgp.tcp.bind="$bind" exabgp.tcp.port=179 \
    exabgp "$LAB_DIR/exabgp.conf"
}

# start_tern NS ARGS...: tern-session with its JSON report in $LAB_DIR/tern.out.
start_tern() {
  local ns=$1
  shift
  lab_spawn tern "$ns" "$TERN_SESSION" "$@"
}

# tern_wait_established SECONDS
tern_wait_established() {
  lab_wait_for "$1" "tern session Established" grep -q '"event":"established"' "$LAB_DIR/tern.out"
}

tern_negotiated() { grep '"event":"established"' "$LAB_DIR/tern.out" | head -1; }

# start_speaker NS INSTANCE ARGS...: a whole tern speaker ($TERN_SPEAKER, i.e. tern-speaker)
# writing its status JSON to $LAB_DIR/INSTANCE.json every second (speaker_status INSTANCE).
start_speaker() {
  local ns=$1 inst=$2
  shift 2
  lab_spawn "$inst" "$ns" "$TERN_SPEAKER" --status "$LAB_DIR/$inst.json" "$@"
  local pid=$LAB_LAST_PID
  lab_wait_for 10 "$inst status file" test -s "$LAB_DIR/$inst.json"
  LAB_LAST_PID=$pid
}
speaker_status() { cat "$LAB_DIR/$1.json"; }
