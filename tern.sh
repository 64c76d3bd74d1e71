#!/usr/bin/env bash
# tern's one entry point. Every command installs what it needs from Debian packages first, so
# a fresh Debian 12 machine (or CI) needs nothing else.
#
#   ./tern.sh demo            install, build, run the live demo lab until Ctrl-C (root)
#   ./tern.sh demo --down     remove what a demo that died left behind
#   ./tern.sh test            install, build (normal, ASan+UBSan, TSan, fuzz) and run every test
#   ./tern.sh fuzz [SECONDS [TARGET...]]  run the libFuzzer targets (all without TARGET) for
#                             SECONDS of CPU each (default 600), one per core at a time
#   ./tern.sh bench [WORKLOAD...]  tern side by side with BIRD, FRR and GoBGP (WORKLOAD:
#                             table, table-paths, rr, mesh, churn, idle; all without one; root,
#                             a quiet machine, up to an hour; results in bench/RESULTS.md)
#   ./tern.sh bench wire|rib|rib-load|fib [ROUTES]  the component benchmarks (rib, fib: root)
#   ./tern.sh soak [MINUTES]  ternd under churn (1,000 updates/s) and a flapping peer for
#                             MINUTES (default 60): bounded memory, exact kernel table (root)
#   ./tern.sh soak-sessions [MINUTES]  sessions to BIRD, FRR, GoBGP, ExaBGP with a 3 s hold
#                             time must not flap for MINUTES (default 10)
#   ./tern.sh build           install and build only
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"
JOBS=$(nproc)
# ccache hits whatever folder the clone is in (CI clones afresh each time).
export CCACHE_BASEDIR=$ROOT
# Debug info names the build folder, so by default ccache would also key on it: do not.
export CCACHE_NOHASHDIR=1
FUZZ_TARGETS="header open capabilities update notification route_refresh json manifest selector store"

log() { printf '\033[1m==> [%02d:%02d] %s\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

PACKAGES=(
  g++ cmake make ccache pkg-config
  clang libclang-rt-14-dev                # libFuzzer and clang's sanitizer runtimes
  libgtest-dev libgmock-dev libbenchmark-dev
  libboost-dev libspdlog-dev
  iproute2 bird2 frr gobgpd exabgp       # real peers for the interop labs
  libnl-3-dev libnl-route-3-dev           # the FIB writer
  iputils-ping jq curl                    # labs: the no-gap ping, route dumps as JSON, REST
  tcpdump                                 # labs: who opened each session (Calico's string rule)
  python3                                 # bench rib: prefix generator and poller
  libprotobuf-dev protobuf-compiler       # api/tern.proto: the intent model and the API
  libgrpc++-dev protobuf-compiler-grpc    # the API over gRPC (ternd, ternctl)
  libyaml-cpp-dev                         # Calico YAML manifests (--intent, ternctl apply)
)

deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# configure DIR [cmake args...]
configure() {
  local dir=$1
  shift
  cmake -S "$ROOT" -B "$ROOT/$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
}

build_main() {
  log "building (RelWithDebInfo)"
  configure build
  cmake --build build -j "$JOBS"
}

build_asan() {
  log "building unit tests with ASan+UBSan"
  configure build-asan -DTERN_SANITIZE=ON -DTERN_BENCH=OFF -DTERN_TEST_PREFIX=asan.
  cmake --build build-asan -j "$JOBS" --target tern_wire_tests tern_fsm_tests tern_session_tests \
    tern_rib_tests tern_speaker_tests tern_speaker_md5_tests tern_fib_tests tern_fib_learn_tests \
    tern_selector_tests tern_runtime_tests tern_planner_tests tern_intent_tests tern_store_tests \
    tern_api_tests tern_ctl_tests tern_fd_limit_tests tern_speaker_restart_tests
}

build_tsan() {
  log "building the queue-crossing tests with ThreadSanitizer"
  configure build-tsan -DTERN_TSAN=ON -DTERN_BENCH=OFF -DTERN_TEST_PREFIX=tsan.
  cmake --build build-tsan -j "$JOBS" --target tern_fib_tests tern_runtime_tests
}

build_fuzz() {
  log "building fuzz targets (clang, libFuzzer, ASan+UBSan)"
  CC=clang CXX=clang++ configure build-fuzz -DTERN_FUZZ=ON "$@"
  cmake --build build-fuzz -j "$JOBS" --target make_seeds \
    $(for t in $FUZZ_TARGETS; do printf 'fuzz_%s ' "$t"; done)
}

# Runs ctest in each build dir, then prints one closing line over all of them.
run_ctest() {
  local total_pass=0 total_fail=0 rc=0
  for dir in "$@"; do
    log "ctest in $dir"
    local out
    set +e
    out=$(ctest --test-dir "$dir" --output-on-failure -j "$JOBS" 2>&1)
    local r=$?
    set -e
    echo "$out"
    [ $r -ne 0 ] && rc=1
    local line
    line=$(echo "$out" | grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' | tail -1)
    if [ -n "$line" ]; then
      local failed all
      failed=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/')
      all=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/')
      total_pass=$((total_pass + all - failed))
      total_fail=$((total_fail + failed))
    else
      rc=1
    fi
  done
  echo
  echo "all: $total_pass passed, $total_fail failed"
  return $rc
}

cmd_test() {
  deps
  build_main
  build_asan
  build_tsan
  build_fuzz -DTERN_FUZZ_SMOKE_SECONDS="${TERN_FUZZ_SMOKE_SECONDS:-10}"
  run_ctest build build-asan build-tsan build-fuzz
}

cmd_demo() {
  # --down: only clean up after a demo that died; nothing to install or build.
  if [ "${1:-}" = --down ]; then
    bash interop/demo/demo.sh --down
    return
  fi
  deps
  build_main
  log "a 3-node Calico-style cluster in namespaces: two ternd nodes and a BIRD node, with pods"
  bash interop/demo/demo.sh
}

cmd_fuzz() {
  local seconds=${1:-600}
  [ $# -gt 0 ] && shift
  local targets=${*:-$FUZZ_TARGETS}
  deps
  build_fuzz
  # FUZZ_JOBS targets at a time (default: one per core), niced so builds beside a campaign
  # stay usable; each target's budget is CPU time, so sharing the machine costs only wall time.
  local jobs=${FUZZ_JOBS:-$JOBS} work=build-fuzz/fuzz-work rc=0 pids=() t
  mkdir -p "$work"
  log "fuzzing ${targets// /, } for ${seconds} CPU-s each, ${jobs} at a time"
  for t in $targets; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || rc=1; done
    log "fuzz_$t started"
    # Its own session, so its own scheduler autogroup, which it niced too (from inside: written
    # from here it could race the setsid). With autogroups (Debian's default) a task's nice
    # weighs only within its session, and a "nice 19" campaign took half the machine from the
    # builds and tests beside it.
    setsid bash -c 'echo 19 2> /dev/null > /proc/self/autogroup; exec nice -n 19 "$@"' fuzz \
      tests/fuzz/run_fuzz.sh "build-fuzz/tests/fuzz/fuzz_$t" \
      build-fuzz/tests/fuzz/make_seeds tests/vectors "$work" "$t" "$seconds" \
      > "$work/$t.summary" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  for t in $targets; do cat "$work/$t.summary"; done
  return $rc
}

cmd_soak() {
  local minutes=${1:-60}
  deps
  build_main
  log "soak: ternd under churn and flaps for ${minutes} min (progress every minute)"
  bash interop/soak/soak_lab.sh build/daemon/ternd "$minutes" build/ctl/ternctl
}

cmd_soak_sessions() {
  local minutes=${1:-10}
  deps
  build_main
  log "soak: 4 sessions, hold time 3 s, ${minutes} min, no flap allowed"
  local pids=() rc=0
  for s in bird_active frr_passive gobgp_active exabgp_passive; do
    LAB_TERN_HOLD=3 LAB_HOLD_SECONDS=$((minutes * 60)) \
      bash interop/session/session_lab.sh build/tools/tern-session "$s" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  [ $rc -eq 0 ] && log "soak passed: no flap in ${minutes} min" || log "soak FAILED"
  return $rc
}

cmd_bench() {
  deps
  build_main
  case "${1:-}" in
    wire) ./build/bench/wire_codec_bench ;;
    rib) bash bench/rib_bench.sh ;;
    rib-load) ./build/bench/rib_load ;;
    fib) bash bench/fib_bench.sh build "${2:-1000000}" ;;
    *) bash bench/run.sh "$@" ;; # the workloads of bench/workloads/ (all without arguments)
  esac
}

case "${1:-}" in
  demo) shift; cmd_demo "$@" ;;
  test) shift; cmd_test "$@" ;;
  fuzz) shift; cmd_fuzz "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  soak) shift; cmd_soak "$@" ;;
  soak-sessions) shift; cmd_soak_sessions "$@" ;;
  build) deps; build_main ;;
  *) sed -n '2,18p' "$0"; exit 2 ;;
esac
