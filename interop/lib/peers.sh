# Starting real BGP daemons inside a lab namespace. Each start_* writes its config into
# $LAB_DIR, starts the daemon in the foreground through lab_spawn (so its PID is known and
# killed at cleanup) and waits until it answers its control socket.

FRR_LIB=/usr/lib/frr

# start_bird NS CONFIG_TEXT
start_bird() {
  local ns=$1
  printf '%s\n' "$2" > "$LAB_DIR/bird.conf"
  lab_spawn bird "$ns" bird -f -c "$LAB_DIR/bird.conf" -s "$LAB_DIR/bird.ctl"
  lab_wait_for 10 "bird control socket" birdc -s "$LAB_DIR/bird.ctl" show status
}
birdc_() { birdc -s "$LAB_DIR/bird.ctl" "$@"; }

# start_frr NS CONFIG_TEXT: bgpd alone (-Z: no zebra, no kernel routes needed here).
start_frr() {
  local ns=$1 d=$LAB_DIR/frr
  mkdir -p "$d"
  printf '%s\n' "$2" > "$d/frr.conf"
  : > "$d/vtysh.conf"
  chown -R frr:frr "$d"
  [ -d "/var/run/frr/$ns" ] || LAB_RMDIRS+=("/var/run/frr/$ns")
  lab_spawn frr "$ns" "$FRR_LIB/bgpd" -Z -N "$ns" --vty_socket "$d" -i "$d/bgpd.pid" \
    -f "$d/frr.conf" -u frr -g frr --log "file:$d/bgpd.log"
  lab_wait_for 15 "bgpd vty" vtysh_ -c "show bgp summary"
}
vtysh_() { vtysh --config_dir "$LAB_DIR/frr" --vty_socket "$LAB_DIR/frr" -d bgpd "$@"; }

# start_gobgp NS TOML_TEXT
start_gobgp() {
  local ns=$1
  printf '%s\n' "$2" > "$LAB_DIR/gobgp.toml"
  lab_spawn gobgp "$ns" gobgpd -f "$LAB_DIR/gobgp.toml" --api-hosts "unix://$LAB_DIR/gobgp.sock" \
    --log-level info
  lab_wait_for 10 "gobgpd api" gobgp_ global
}
gobgp_() { gobgp --target "unix://$LAB_DIR/gobgp.sock" "$@"; }

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
