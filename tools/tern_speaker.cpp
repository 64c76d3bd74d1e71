// tern-speaker: a whole tern BGP speaker (several peers, the Loc-RIB, update groups, route
// reflection) configured from the command line, writing its sessions and routes as JSON to a
// status file. The interop labs and the benchmarks drive it until ternd takes over with the
// cluster intent; it is also handy by hand:
//   tern-speaker --local-as 64512 --router-id 10.0.0.1 --cluster-id 10.0.0.1
//     --peer 10.0.0.2,as=64512,client --peer 10.0.0.3,as=64512,client --status /tmp/rr.json

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>

#include "bgp/session/asio.hpp"
#include "bgp/wire/format.hpp"
#include "daemon/speaker.hpp"
#include "tools/json.hpp"

using namespace tern;
using tools::json_str;
namespace asio = boost::asio;

namespace {

const char* kUsage = R"(usage: tern-speaker [options]
  --local-as N             our AS (required)
  --router-id A.B.C.D      our BGP identifier (required)
  --cluster-id A.B.C.D     act as route reflector for this cluster
  --listen ADDR            listen address (default 0.0.0.0; "none": no listener)
  --port P                 listen port (179)
  --peer SPEC              a peer; SPEC is ADDR,as=N followed by any of
                             client passive nh-self keep-nh v6 port=P local=ADDR
                             local6=ADDR add-path=send|receive|both md5=KEY ttl-security=N
                             hold=S allow-local-as=N import=CIDR[+] export=CIDR[+]
                           (CIDR+ means "or longer"; several import=/export= are a list
                           that rejects everything else)
  --originate PREFIX       originate PREFIX (an own block; repeatable)
  --max-paths N            multipath set size (16; 1 turns ECMP off)
  --status FILE            write sessions and routes as JSON to FILE every second
  --no-routes              status holds route counts only (large tables)
  --exit-after S           stop after S seconds
  --debug                  verbose logs on stderr
)";

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, sep);)
    out.push_back(part);
  return out;
}

std::optional<uint32_t> parse_id(const std::string& s) {
  auto a = bgp::IpAddr::parse(s);
  if (!a || a->afi != bgp::Afi::kIpv4) return std::nullopt;
  return a->v4_value();
}

std::optional<rib::PrefixRule> parse_rule(std::string s) {
  rib::PrefixRule r;
  r.match = rib::PrefixRule::Match::kExact;
  if (!s.empty() && s.back() == '+') {
    r.match = rib::PrefixRule::Match::kOrLonger;
    s.pop_back();
  }
  auto p = bgp::Prefix::parse(s);
  if (!p) return std::nullopt;
  r.cidr = *p;
  return r;
}

struct Config {
  uint32_t local_as = 0;
  uint32_t router_id = 0;
  uint32_t cluster_id = 0;
  std::string listen = "0.0.0.0";
  uint16_t port = 179;
  std::vector<SpeakerPeer> peers;
  std::vector<bgp::Prefix> originate;
  size_t max_paths = 16;
  std::string status;
  bool routes = true;
  int exit_after = 0;
  bool debug = false;
};

// Parses one --peer SPEC; an error names the part that is wrong.
std::string parse_peer(const Config& c, const std::string& spec, SpeakerPeer& out) {
  auto parts = split(spec, ',');
  if (parts.empty()) return "empty peer";
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(parts[0], ec);
  if (ec) return "peer address '" + parts[0] + "' is not an IP address";
  auto& s = out.session;
  s.remote = addr;
  s.name = parts[0];
  s.settings.local_as = c.local_as;
  s.settings.router_id = c.router_id;
  s.settings.families = {true, false};
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    const auto eq = p.find('=');
    const std::string key = p.substr(0, eq);
    const std::string val = eq == std::string::npos ? "" : p.substr(eq + 1);
    try {
      if (key == "as") {
        s.settings.peer_as = static_cast<uint32_t>(std::stoul(val));
      } else if (key == "client") {
        out.policy.rr_client = true;
      } else if (key == "passive") {
        s.passive = true;
      } else if (key == "nh-self") {
        out.policy.next_hop_self = true;
      } else if (key == "keep-nh") {
        out.policy.keep_next_hop = true;
      } else if (key == "v6") {
        s.settings.families[1] = true;
      } else if (key == "port") {
        s.remote_port = static_cast<uint16_t>(std::stoul(val));
      } else if (key == "local") {
        s.local = asio::ip::make_address(val);
        out.policy.local_address = *bgp::IpAddr::parse(val);
      } else if (key == "local6") {
        out.policy.local_address_v6 = *bgp::IpAddr::parse(val);
      } else if (key == "add-path") {
        const auto mode = val == "send"      ? bgp::AddPathMode::kSend
                          : val == "receive" ? bgp::AddPathMode::kReceive
                          : val == "both"    ? bgp::AddPathMode::kBoth
                                             : throw std::invalid_argument(val);
        s.settings.add_path = {mode, mode};
      } else if (key == "md5") {
        s.md5_password = val;
      } else if (key == "ttl-security") {
        s.ttl_security_hops = std::stoi(val);
      } else if (key == "hold") {
        s.settings.hold_time = static_cast<uint16_t>(std::stoul(val));
      } else if (key == "allow-local-as") {
        out.policy.allow_local_as = static_cast<uint32_t>(std::stoul(val));
      } else if (key == "import" || key == "export") {
        auto r = parse_rule(val);
        if (!r) return "peer " + parts[0] + ": '" + val + "' is not a CIDR";
        auto& f = key == "import" ? out.import_filter : out.export_filter;
        f.rules.push_back(*r);
        f.default_accept = false;
      } else {
        return "peer " + parts[0] + ": unknown option '" + key + "'";
      }
    } catch (const std::exception&) {
      return "peer " + parts[0] + ": bad value for '" + key + "': '" + val + "'";
    }
  }
  if (!s.settings.peer_as) return "peer " + parts[0] + ": as=N is required";
  out.policy.ebgp = s.settings.peer_as != c.local_as;
  if (out.policy.local_address == bgp::IpAddr{} && c.router_id)
    out.policy.local_address = bgp::IpAddr::v4(c.router_id);
  return "";
}

std::string parse_args(int argc, char** argv, Config& c) {
  std::vector<std::string> peer_specs;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    if (a == "--help" || a == "-h") return "help";
    if (a == "--no-routes") {
      c.routes = false;
      continue;
    }
    if (a == "--debug") {
      c.debug = true;
      continue;
    }
    auto v = value();
    if (!v) return a + " needs a value";
    try {
      if (a == "--local-as") {
        c.local_as = static_cast<uint32_t>(std::stoul(*v));
      } else if (a == "--router-id") {
        auto id = parse_id(*v);
        if (!id) return "--router-id '" + *v + "' is not an IPv4 address";
        c.router_id = *id;
      } else if (a == "--cluster-id") {
        auto id = parse_id(*v);
        if (!id) return "--cluster-id '" + *v + "' is not an IPv4 address";
        c.cluster_id = *id;
      } else if (a == "--listen") {
        c.listen = *v;
      } else if (a == "--port") {
        c.port = static_cast<uint16_t>(std::stoul(*v));
      } else if (a == "--peer") {
        peer_specs.push_back(*v);
      } else if (a == "--originate") {
        auto p = bgp::Prefix::parse(*v);
        if (!p) return "--originate '" + *v + "' is not a prefix";
        c.originate.push_back(*p);
      } else if (a == "--max-paths") {
        c.max_paths = std::stoul(*v);
      } else if (a == "--status") {
        c.status = *v;
      } else if (a == "--exit-after") {
        c.exit_after = std::stoi(*v);
      } else {
        return "unknown option " + a;
      }
    } catch (const std::exception&) {
      return "bad value for " + a + ": '" + *v + "'";
    }
  }
  if (!c.local_as) return "--local-as is required";
  if (!c.router_id) return "--router-id is required";
  for (const auto& spec : peer_specs) {
    SpeakerPeer p;
    if (auto err = parse_peer(c, spec, p); !err.empty()) return err;
    c.peers.push_back(std::move(p));
  }
  return "";
}

std::string path_json(const rib::Path& p) {
  const auto& a = p.attrs->attrs();
  std::ostringstream o;
  o << "{\"peer\":" << p.peer
    << ",\"next_hop\":" << json_str(a.next_hop ? bgp::to_string(*a.next_hop) : "")
    << ",\"as_path\":\"";
  if (a.as_path) {
    bool first = true;
    for (const auto& seg : a.as_path->segments)
      for (auto as : seg.asns) {
        o << (first ? "" : " ") << as;
        first = false;
      }
  }
  o << "\",\"local_pref\":" << a.local_pref.value_or(0);
  if (a.originator_id)
    o << ",\"originator_id\":" << json_str(bgp::to_string(bgp::IpAddr::v4(*a.originator_id)));
  if (a.cluster_list) {
    o << ",\"cluster_list\":[";
    for (size_t i = 0; i < a.cluster_list->size(); ++i)
      o << (i ? "," : "") << json_str(bgp::to_string(bgp::IpAddr::v4((*a.cluster_list)[i])));
    o << "]";
  }
  if (a.communities) {
    o << ",\"communities\":[";
    for (size_t i = 0; i < a.communities->size(); ++i) {
      const uint32_t c = (*a.communities)[i];
      o << (i ? "," : "") << json_str(std::to_string(c >> 16) + ":" + std::to_string(c & 0xffff));
    }
    o << "]";
  }
  o << ",\"stale\":" << (p.stale ? "true" : "false") << "}";
  return o.str();
}

void write_status(const Speaker& sp, const Config& c) {
  std::ostringstream o;
  o << "{\"sessions\":[";
  bool first = true;
  for (const auto& s : sp.sessions()) {
    o << (first ? "" : ",") << "{\"name\":" << json_str(s.name)
      << ",\"remote\":" << json_str(s.remote) << ",\"state\":" << json_str(to_string(s.state))
      << ",\"updates_in\":" << s.counters.messages_in[2]
      << ",\"updates_out\":" << s.counters.messages_out[2]
      << ",\"last_error\":" << json_str(s.counters.last_error) << "}";
    first = false;
  }
  o << "],\"route_count\":{";
  for (int f = 0; f < bgp::kFamilyCount; ++f)
    o << (f ? "," : "") << json_str(bgp::kFamilies[f].name) << ":"
      << sp.rib(bgp::kFamilies[f].family).size();
  o << "}";
  if (c.routes) {
    o << ",\"routes\":[";
    first = true;
    for (int f = 0; f < bgp::kFamilyCount; ++f) {
      sp.rib(bgp::kFamilies[f].family)
          .for_each([&](const bgp::Prefix& p, const rib::RouteEntry& e) {
            if (!e.best()) return;  // only refused paths: not a route
            o << (first ? "" : ",") << "{\"prefix\":" << json_str(bgp::to_string(p))
              << ",\"paths\":[";
            bool first_path = true;
            for (const auto& path : e.multipath()) {
              o << (first_path ? "" : ",") << path_json(path);
              first_path = false;
            }
            o << "]}";
            first = false;
          });
    }
    o << "]";
  }
  o << "}\n";
  // Written aside and renamed, so a reader never sees half a file.
  const std::string tmp = c.status + ".tmp";
  std::ofstream(tmp) << o.str();
  std::rename(tmp.c_str(), c.status.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  Config c;
  if (auto err = parse_args(argc, argv, c); !err.empty()) {
    if (err == "help") {
      std::cout << kUsage;
      return 0;
    }
    std::cerr << "tern-speaker: " << err << "\n" << kUsage;
    return 2;
  }
  auto log = spdlog::stderr_color_mt("tern");
  spdlog::set_default_logger(log);
  spdlog::set_level(c.debug ? spdlog::level::debug : spdlog::level::info);

  asio::io_context io;
  rib::DecisionOptions options;
  options.max_paths = c.max_paths;
  Speaker sp(io, rib::LocalIdentity{c.local_as, c.router_id, c.cluster_id}, options);
  if (c.listen != "none") {
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(c.listen, ec);
    if (ec) {
      std::cerr << "tern-speaker: --listen '" << c.listen << "' is not an IP address\n";
      return 2;
    }
    if (auto err = sp.listen({addr, c.port}); !err.empty()) {
      std::cerr << "tern-speaker: cannot listen on " << c.listen << ":" << c.port << ": " << err
                << "\n";
      return 1;
    }
  }
  for (auto& p : c.peers)
    sp.add_peer(std::move(p));
  for (const auto& p : c.originate) {
    bgp::PathAttributes a;
    a.origin = bgp::Origin::kIgp;
    a.as_path = bgp::AsPath{};
    sp.originate(p, a);
  }
  sp.start();

  asio::steady_timer status_timer(io);
  std::function<void()> tick = [&] {
    if (c.status.empty()) return;
    write_status(sp, c);
    status_timer.expires_after(std::chrono::seconds(1));
    status_timer.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) tick();
    });
  };
  tick();

  asio::steady_timer exit_timer(io);
  auto finish = [&] {
    sp.stop();
    status_timer.cancel();
    if (!c.status.empty()) write_status(sp, c);
    // Give the Cease NOTIFICATIONs a moment to leave, then end the loop.
    exit_timer.expires_after(std::chrono::milliseconds(200));
    exit_timer.async_wait([&](const boost::system::error_code&) { io.stop(); });
  };
  asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code& e, int) {
    if (!e) finish();
  });
  asio::steady_timer stop_after(io);
  if (c.exit_after > 0) {
    stop_after.expires_after(std::chrono::seconds(c.exit_after));
    stop_after.async_wait([&](const boost::system::error_code& e) {
      if (!e) finish();
    });
  }
  io.run();
  return 0;
}
