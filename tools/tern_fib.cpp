// tern-fib: drives the FIB writer from command lines (stdin or --script FILE), for the
// namespace tests and the benchmark. One command per line:
//
//   node ADDR/LEN | node none         this node's IPv4 address and mask
//   pool CIDR IPIPMODE [VXLANMODE]    add or change a pool (Always, CrossSubnet, Never)
//   pool-del CIDR
//   agent-owns-tunnels on|off         the node agent programs IPIP pools' routes
//   tunnel NAME                       tunnel device (default tunl0)
//   add PREFIX NH[,NH...]             a learned route with its ECMP next hops
//   local PREFIX                      one of this node's blocks (blackholed)
//   del PREFIX
//   gen N FIRST NH[,NH...]            N consecutive prefixes of FIRST's length
//   gen-del N FIRST
//   sync-done                         the initial exchange is complete: sweep stale routes
//   reconcile
//   wait                              wait until written; prints "ready ..." with the status
//   status                            prints the status and every reported problem
//   view [PREFIX]                     what the writer holds for PREFIX, or for the first 1000
//                                     prefixes: "view PREFIX STATE SHAPE | REASON" lines, then
//                                     "viewed N truncated=0|1"
//   mark                              restart the clock the next "ready" line reports
//   sleep MS
//
// Exits at end of input, or with --hold keeps running until SIGTERM/SIGINT. Routes stay in
// the kernel either way.

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "fib/netlink_writer.hpp"

namespace {

using namespace tern::fib;
using Clock = std::chrono::steady_clock;

bool parse_hops(const std::string& text, std::vector<IpAddr>& out) {
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto a = IpAddr::parse(item);
    if (!a) return false;
    out.push_back(*a);
  }
  return !out.empty();
}

// The prefix n steps of its own size after first.
Prefix nth_prefix(const Prefix& first, uint64_t n) {
  const unsigned bytes = first.afi == tern::bgp::Afi::kIpv4 ? 4 : 16;
  unsigned __int128 v = 0;
  for (unsigned i = 0; i < bytes; ++i)
    v = (v << 8) | first.b[i];
  v += static_cast<unsigned __int128>(n) << (bytes * 8 - first.len);
  Prefix p = first;
  for (int i = static_cast<int>(bytes) - 1; i >= 0; --i, v >>= 8)
    p.b[i] = static_cast<uint8_t>(v);
  return p;
}

std::string status_line(const FibStatus& s) {
  std::ostringstream o;
  o << "wanted=" << s.wanted << " installed=" << s.installed << " not_ours=" << s.not_ours
    << " parked=" << s.parked << " failed=" << s.failed << " stale=" << s.stale
    << " swept=" << s.swept << " written=" << s.routes_written << " deleted=" << s.routes_deleted
    << " errors=" << s.write_errors << " batches=" << s.batches;
  return o.str();
}

void upsert_pool(EncapConfig& c, IpPool pool) {
  for (auto& p : c.pools) {
    if (p.cidr == pool.cidr) {
      p = pool;
      return;
    }
  }
  c.pools.push_back(pool);
}

int usage() {
  std::fprintf(stderr,
               "usage: tern-fib [--protocol N] [--table N] [--metric N] [--defer-ms N]\n"
               "                [--batch-bytes N] [--script FILE] [--hold] [--verbose]\n");
  return 2;
}

volatile sig_atomic_t g_stop = 0;
void on_signal(int) {
  g_stop = 1;
}

}  // namespace

int main(int argc, char** argv) {
  WriterOptions opts;
  std::string script;
  bool hold = false;
  spdlog::set_level(spdlog::level::warn);
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--protocol") {
      opts.protocol = static_cast<uint8_t>(std::stoul(next()));
    } else if (a == "--table") {
      opts.table = static_cast<uint32_t>(std::stoul(next()));
    } else if (a == "--metric") {
      opts.metric = static_cast<uint32_t>(std::stoul(next()));
    } else if (a == "--defer-ms") {
      opts.stale_deferral = std::chrono::milliseconds(std::stoll(next()));
    } else if (a == "--batch-bytes") {
      opts.batch_bytes = std::stoul(next());
    } else if (a == "--script") {
      script = next();
    } else if (a == "--hold") {
      hold = true;
    } else if (a == "--verbose") {
      spdlog::set_level(spdlog::level::debug);
    } else {
      return usage();
    }
  }
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);

  std::string error;
  auto writer = NetlinkWriter::start(opts, &error);
  if (!writer) {
    std::fprintf(stderr, "tern-fib: %s\n", error.c_str());
    return 1;
  }
  std::printf("started %s\n", status_line(*writer->status()).c_str());
  std::fflush(stdout);

  std::ifstream file;
  if (!script.empty()) {
    file.open(script);
    if (!file) {
      std::fprintf(stderr, "tern-fib: cannot open %s\n", script.c_str());
      return 1;
    }
  }
  std::istream& in = script.empty() ? std::cin : file;

  EncapConfig config;
  auto mark = Clock::now();
  std::string line;
  int lineno = 0;
  bool bad = false;
  while (!g_stop && std::getline(in, line)) {
    ++lineno;
    std::istringstream ls(line);
    std::string cmd;
    if (!(ls >> cmd) || cmd[0] == '#') continue;
    std::string a1, a2, a3;
    ls >> a1 >> a2 >> a3;
    auto fail = [&](const char* why) {
      std::fprintf(stderr, "tern-fib: line %d: %s: %s\n", lineno, why, line.c_str());
      bad = true;
    };
    if (cmd == "node") {
      if (a1 == "none") {
        config.node_network.reset();
      } else {
        // Prefix::parse clears the host bits: "10.192.0.2/16" is the node's network.
        auto net = Prefix::parse(a1);
        if (!net) {
          fail("bad address");
          continue;
        }
        config.node_network = *net;
      }
      writer->set_config(config);
    } else if (cmd == "pool") {
      auto cidr = Prefix::parse(a1);
      auto ipip = parse_encap_mode(a2);
      auto vxlan = parse_encap_mode(a3);
      if (!cidr || !ipip || !vxlan) {
        fail("bad pool");
        continue;
      }
      upsert_pool(config, IpPool{*cidr, *ipip, *vxlan});
      writer->set_config(config);
    } else if (cmd == "pool-del") {
      auto cidr = Prefix::parse(a1);
      std::erase_if(config.pools, [&](const IpPool& p) { return cidr && p.cidr == *cidr; });
      writer->set_config(config);
    } else if (cmd == "agent-owns-tunnels") {
      config.tunnel_routes_owned_by_agent = a1 == "on";
      writer->set_config(config);
    } else if (cmd == "tunnel") {
      config.tunnel_device = a1;
      writer->set_config(config);
    } else if (cmd == "add" || cmd == "local") {
      WantedRoute r;
      auto p = Prefix::parse(a1);
      if (!p || (cmd == "add" && !parse_hops(a2, r.next_hops))) {
        fail("bad route");
        continue;
      }
      r.prefix = *p;
      r.local_block = cmd == "local";
      writer->update(std::move(r));
    } else if (cmd == "del") {
      auto p = Prefix::parse(a1);
      if (!p) {
        fail("bad prefix");
        continue;
      }
      writer->withdraw(*p);
    } else if (cmd == "gen" || cmd == "gen-del") {
      const uint64_t n = std::stoull(a1);
      auto first = Prefix::parse(a2);
      std::vector<IpAddr> hops;
      if (!first || (cmd == "gen" && !parse_hops(a3, hops))) {
        fail("bad gen");
        continue;
      }
      for (uint64_t i = 0; i < n; ++i) {
        const Prefix p = nth_prefix(*first, i);
        if (cmd == "gen") {
          writer->update(WantedRoute{p, hops, false});
        } else {
          writer->withdraw(p);
        }
      }
    } else if (cmd == "sync-done") {
      writer->initial_sync_done();
    } else if (cmd == "reconcile") {
      writer->reconcile();
    } else if (cmd == "wait") {
      writer->flush().wait();
      const auto now = Clock::now();
      const auto ms =
          std::chrono::duration_cast<std::chrono::microseconds>(now - mark).count() / 1000.0;
      mark = now;
      std::printf("ready %s ms=%.1f\n", status_line(*writer->status()).c_str(), ms);
      std::fflush(stdout);
    } else if (cmd == "status") {
      writer->flush().wait();
      auto s = writer->status();
      std::printf("status %s\n", status_line(*s).c_str());
      for (const auto& p : s->problems)
        std::printf("problem %s %s attempts=%d %s\n", tern::bgp::to_string(p.prefix).c_str(),
                    p.state.c_str(), p.attempts, p.reason.c_str());
      std::fflush(stdout);
    } else if (cmd == "view") {
      std::optional<Prefix> p;
      if (!a1.empty() && !(p = Prefix::parse(a1))) {
        fail("bad prefix");
        continue;
      }
      const FibView v = writer->view(p, 1000).get();
      for (const auto& r : v.routes)
        std::printf("view %s %s %s | %s\n", tern::bgp::to_string(r.prefix).c_str(), r.state.c_str(),
                    r.shape.c_str(), r.reason.c_str());
      std::printf("viewed %zu truncated=%d\n", v.routes.size(), v.truncated ? 1 : 0);
      std::fflush(stdout);
    } else if (cmd == "mark") {
      mark = Clock::now();
    } else if (cmd == "sleep") {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::stoll(a1)));
    } else if (cmd == "exit") {
      break;
    } else {
      fail("unknown command");
    }
  }
  while (hold && !g_stop)
    pause();
  writer->flush().wait();
  return bad ? 1 : 0;
}
