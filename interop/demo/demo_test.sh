#!/usr/bin/env bash
# Runs the demo without a terminal and checks it: the pod-to-pod ping got through, and nothing
# is left behind (namespaces, processes, files, state file).
# Usage: demo_test.sh TERND TERNCTL CASE
#   runs   DEMO_EXIT_AFTER=1: the whole demo, then its own teardown
#   down   the demo is SIGKILLed once the lab is up; demo.sh --down removes what it left
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export TERND=$1 TERNCTL=$2
CASE=$3
STATE=${DEMO_STATE:-/run/tern-demo.state}
OUT=$(mktemp /tmp/tern-demo-test.XXXXXX)
trap 'rm -f "$OUT"' EXIT

fail() {
  echo "---- demo output ----" >&2
  cat "$OUT" >&2
  echo "FAIL: $*" >&2
  exit 1
}

# What the run printed: its lab directory and the PIDs of its daemons.
lab_dir() { grep -o '/tmp/tern-lab-demo\.[A-Za-z0-9]*' "$OUT" | head -1; }
pids() { sed -n 's/^  processes: //p' "$OUT" | grep -oE ' [0-9]+(,|$)' | tr -d ' ,'; }

check_ping() {
  grep -q '3 packets transmitted, 3 received, 0% packet loss' "$OUT" || fail "the ping did not get through"
  grep -q '^PING OK' "$OUT" || fail "no PING OK"
}

check_gone() {
  local dir p
  dir=$(lab_dir)
  [ -n "$dir" ] || fail "no lab directory in the output"
  [ "$(pids | wc -l)" = 3 ] || fail "expected 3 daemon PIDs in the output"
  ! ip netns list | grep -q '^tern-demo-' || fail "namespaces left: $(ip netns list | grep '^tern-demo-')"
  for p in $(pids); do
    # The PID could only be reused by an unrelated process: check it is not ours.
    if [ -r "/proc/$p/cmdline" ] && tr '\0' ' ' < "/proc/$p/cmdline" | grep -q "$dir"; then
      fail "process $p left running"
    fi
  done
  [ ! -e "$dir" ] || fail "$dir left behind"
  [ ! -e "$STATE" ] || fail "state file left behind"
}

case "$CASE" in
  runs)
    DEMO_EXIT_AFTER=1 bash "$HERE/demo.sh" > "$OUT" 2>&1 || fail "the demo failed (rc $?)"
    check_ping
    grep -q 'tearing down' "$OUT" || fail "no teardown"
    check_gone
    ;;
  down)
    bash "$HERE/demo.sh" > "$OUT" 2>&1 &
    demo=$!
    end=$((SECONDS + 120))
    until grep -q '^  processes: ' "$OUT"; do
      kill -0 "$demo" 2> /dev/null || fail "the demo ended early"
      [ $SECONDS -lt $end ] || {
        kill -TERM "$demo"
        fail "the lab did not come up"
      }
      sleep 0.2
    done
    kill -KILL "$demo"
    wait "$demo" 2> /dev/null || true
    ip netns list | awk '{print $1}' | grep -qx tern-demo-tern1 || fail "the crash removed the lab (nothing to test)"
    [ -e "$STATE" ] || fail "no state file after the crash"
    # A second demo refuses to start over the remains.
    if bash "$HERE/demo.sh" > /dev/null 2>&1; then fail "a demo started over a crashed one"; fi
    bash "$HERE/demo.sh" --down >> "$OUT" 2>&1 || fail "--down failed"
    check_ping
    check_gone
    bash "$HERE/demo.sh" --down >> "$OUT" 2>&1 || fail "a second --down failed"
    ;;
  *) fail "unknown case $CASE" ;;
esac
echo "PASS"
