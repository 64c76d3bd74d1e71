// ternd: the tern daemon. See README.md and daemon/ternd.hpp.

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/signal_set.hpp>
#include <charconv>
#include <csignal>
#include <iostream>

#include "api/api_server.hpp"
#include "daemon/api_backend.hpp"
#include "daemon/fd_limit.hpp"
#include "daemon/memory_trim.hpp"
#include "daemon/ternd.hpp"

namespace {

constexpr const char* kUsage = R"(usage: ternd [options]
  --node-name NAME       this node (default: $NODENAME, else the host name)
  --backend B            bird | vxlan | none (default: $CALICO_NETWORKING_BACKEND, else bird);
                         vxlan and none run no BGP
  --intent FILE          Calico projectcalico.org/v3 manifests to load at start and on SIGHUP
  --store PATH           the intent store (default /var/lib/tern/intent.pb)
  --status FILE          write status JSON here every second
  --no-fib               do not write kernel routes
  --route-protocol N     kernel route protocol number of our routes (default 12, bird)
  --tunnel-device NAME   IPIP device (default tunl0)
  --agent-owns-tunnels   the node agent programs IPIP routes; tern only direct ones
  --stale-deferral SEC   keep routes adopted at start at most this long (default 240)
  --max-prefixes N       a peer sending more than N prefixes of one family is cut off with
                         Cease 6/1 (default 0: no limit)
  --max-prefix-restart SEC  when such a session starts again (default 60; 0: only on
                         reconfiguration)
  --min-hold-time SEC    refuse peers asking for a shorter hold time than SEC, 0 aside
                         (default 3)
  --send-hold-time SEC   drop a session whose peer has not taken a byte for SEC (RFC 9687;
                         always above the hold time; default 0: max(8 min, 2 x hold time))
  --keep-unknown-attributes  pass on optional transitive attributes tern does not know
                         (default: dropped on receipt)
  --log-level L          warn | info | debug (default info)
  --trim-after SEC       SEC seconds after start, drop the code and read-only data pages from
                         the resident set (what is used again faults back in) and return
                         free heap (default 20; 0: off)
  --api-socket PATH      gRPC on this unix socket, mode 0600 (default /run/tern/tern.sock;
                         none: off)
  --rest-listen ADDR     REST/JSON gateway (default 127.0.0.1:9179; none: off)
  --grpc-listen ADDR     gRPC over TCP as well (default off)
  --api-token-file FILE  bearer token the API requires (needed off loopback)
  --rest-rate N          REST requests a second per client address after a burst of 2N
                         (default 100; 0: no limit; probes are never limited)
Signals: SIGTERM/SIGINT stop and leave routes in the kernel (peers keep ours by graceful
restart); SIGHUP re-reads --intent.
)";

template <typename T>
bool parse_number(const std::string& s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

int main(int argc, char** argv) {
  tern::TerndOptions o;
  o.node_name = env("NODENAME");
  std::string backend = env("CALICO_NETWORKING_BACKEND");
  std::string level = "info";
  unsigned trim_after = 20;
  tern::api::ApiServerOptions api;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "ternd: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    auto bad = [&](const std::string& v) {
      std::cerr << "ternd: bad value for " << a << ": '" << v << "'\n";
      std::exit(2);
    };
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--node-name") {
      o.node_name = value();
    } else if (a == "--backend") {
      backend = value();
    } else if (a == "--intent") {
      o.intent_file = value();
    } else if (a == "--store") {
      o.store_path = value();
    } else if (a == "--status") {
      o.status_path = value();
    } else if (a == "--no-fib") {
      o.fib = false;
    } else if (a == "--route-protocol") {
      auto v = value();
      unsigned n = 0;
      if (!parse_number(v, n) || n == 0 || n > 255) bad(v);
      o.writer.protocol = static_cast<uint8_t>(n);
    } else if (a == "--tunnel-device") {
      o.tunnel_device = value();
    } else if (a == "--agent-owns-tunnels") {
      o.agent_owns_tunnels = true;
    } else if (a == "--stale-deferral") {
      auto v = value();
      unsigned n = 0;
      if (!parse_number(v, n)) bad(v);
      o.writer.stale_deferral = std::chrono::seconds(n);
    } else if (a == "--max-prefixes") {
      auto v = value();
      if (!parse_number(v, o.peer_limits.max_prefixes)) bad(v);
    } else if (a == "--max-prefix-restart") {
      auto v = value();
      unsigned n = 0;
      if (!parse_number(v, n) || n > 86400) bad(v);
      o.peer_limits.restart_after = std::chrono::seconds(n);
    } else if (a == "--min-hold-time") {
      auto v = value();
      unsigned n = 0;
      if (!parse_number(v, n) || n < 3 || n > 65535) bad(v);
      o.min_hold_time = static_cast<uint16_t>(n);
    } else if (a == "--send-hold-time") {
      auto v = value();
      unsigned n = 0;
      if (!parse_number(v, n) || n > 86400) bad(v);
      o.send_hold = std::chrono::seconds(n);
    } else if (a == "--keep-unknown-attributes") {
      o.peer_limits.keep_unknown_attributes = true;
    } else if (a == "--api-socket") {
      api.unix_socket = value();
      if (api.unix_socket == "none") api.unix_socket.clear();
    } else if (a == "--rest-listen") {
      api.rest_listen = value();
      if (api.rest_listen == "none") api.rest_listen.clear();
    } else if (a == "--grpc-listen") {
      api.grpc_listen = value();
    } else if (a == "--api-token-file") {
      api.token_file = value();
    } else if (a == "--rest-rate") {
      auto v = value();
      unsigned n = 0;
      if (!parse_number(v, n)) bad(v);
      api.rest_rate = n;
      api.rest_burst = 2.0 * n;
    } else if (a == "--trim-after") {
      auto v = value();
      if (!parse_number(v, trim_after) || trim_after > 86400) bad(v);
    } else if (a == "--log-level") {
      level = value();
      if (level != "warn" && level != "info" && level != "debug") bad(level);
    } else {
      std::cerr << "ternd: unknown option " << a << "\n" << kUsage;
      return 2;
    }
  }
  if (backend.empty() || backend == "bird") {
    o.backend = tern::plan::Backend::kBird;
  } else if (backend == "vxlan") {
    o.backend = tern::plan::Backend::kVxlan;
  } else if (backend == "none") {
    o.backend = tern::plan::Backend::kNone;
  } else {
    std::cerr << "ternd: backend '" << backend << "' is not bird, vxlan or none\n";
    return 2;
  }
  if (o.node_name.empty()) {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) == 0) o.node_name = host;
  }
  spdlog::set_default_logger(spdlog::stderr_color_mt("ternd"));
  spdlog::set_level(spdlog::level::from_str(level));
  if (const auto fds = tern::raise_fd_limit(); !fds.error.empty()) {
    spdlog::warn("open-file limit stays at {}: {}", fds.before, fds.error);
  } else if (fds.now != fds.before) {
    spdlog::info("open-file limit raised from {} to {}", fds.before, fds.now);
  }

  tern::bgp::asio::io_context io;
  tern::Ternd ternd(io, o);
  if (auto err = ternd.start(); !err.empty()) {
    std::cerr << "ternd: " << err << "\n";
    return 1;
  }
  // A hard stop (ternctl stop --hard) gives the Cease NOTIFICATIONs a moment to leave.
  boost::asio::steady_timer exit_timer(io);
  auto finish = [&](bool hard) {
    ternd.stop(hard);
    if (!hard) {
      io.stop();
      return;
    }
    exit_timer.expires_after(std::chrono::milliseconds(300));
    exit_timer.async_wait([&](const boost::system::error_code&) { io.stop(); });
  };
  tern::TerndBackend api_backend(io, ternd, [&](bool hard) {
    spdlog::info("stop requested over the API{}", hard ? " (hard: Cease to every peer)" : "");
    finish(hard);
  });
  tern::api::ApiServer api_server(api_backend);
  if (auto err = api_server.start(api); !err.empty()) {
    std::cerr << "ternd: API: " << err << "\n";
    return 1;
  }
  boost::asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  stop_signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: stopping; routes stay in the kernel", sig);
    finish(false);
  });
  boost::asio::signal_set hup(io, SIGHUP);
  std::function<void()> wait_hup = [&] {
    hup.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      spdlog::info("SIGHUP: re-reading {}", o.intent_file);
      ternd.reload();
      wait_hup();
    });
  };
  wait_hup();
  boost::asio::steady_timer trim_timer(io);
  if (trim_after > 0) {
    trim_timer.expires_after(std::chrono::seconds(trim_after));
    trim_timer.async_wait([](const boost::system::error_code& ec) {
      if (ec) return;
      const tern::TrimResult r = tern::trim_startup_memory();
      spdlog::info("start-up memory handed back: RSS {} -> {} KiB ({} read-only ranges)",
                   r.rss_before_kib, r.rss_after_kib, r.ranges);
      if (!r.error.empty()) spdlog::warn("trimming start-up memory: {}", r.error);
    });
  }
  io.run();
  // API threads may be waiting on the loop: stop them before the loop's objects go.
  api_server.stop();
  return 0;
}
