// tern-session: runs tern's BGP session code against one peer and reports what happens as
// JSON lines on stdout (state changes, the negotiated capabilities, UPDATEs received). The
// interop labs drive it against BIRD, FRR, GoBGP and ExaBGP; it is also handy by hand:
//   tern-session --local-as 64512 --peer-as 64512 --router-id 10.0.0.1 --peer 10.0.0.2

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>
#include <map>
#include <sstream>
#include "bgp/session/asio.hpp"

#include "bgp/session/listener.hpp"
#include "bgp/session/session.hpp"
#include "bgp/wire/format.hpp"
#include "tools/json.hpp"

using namespace tern::bgp;
using tern::tools::json_escape;
namespace asio = boost::asio;

namespace {

const char* kUsage = R"(usage: tern-session [options]
  --peer ADDR            peer address (required)
  --peer-as N            peer AS (required)
  --local-as N           our AS (required)
  --router-id A.B.C.D    our BGP identifier (required)
  --name NAME            session name in logs (default: peer address)
  --peer-port P          port to connect to (179)
  --local ADDR           source address for outgoing connections
  --listen ADDR          listen for the peer on ADDR (default: no listener)
  --listen-port P        port to listen on (179)
  --passive              never connect, only accept
  --hold S               hold time to offer (240)
  --families LIST        ipv4,ipv6 (ipv4)
  --add-path MODE        receive|send|both for every family (none)
  --md5 KEY              TCP MD5 password
  --ttl-security N       GTSM with N hops
  --connect-delay-ms N   delay before the first connect (2000)
  --connect-retry-ms N   connect retry time (5000)
  --announce PREFIX      announce PREFIX once Established (next hop: --next-hop)
  --next-hop ADDR        next hop for --announce
  --exit-after S         stop (with a Cease) after S seconds
  --debug                verbose logs on stderr
)";

void emit(const std::string& line) {
  std::cout << line << std::endl;
}

std::string negotiated_json(const Negotiated& n) {
  std::ostringstream o;
  auto bools = [](const std::array<bool, kFamilyCount>& a) {
    std::string s = "[";
    for (int i = 0; i < kFamilyCount; ++i) {
      if (!a[i]) continue;
      if (s.size() > 1) s += ",";
      s += std::string("\"") + kFamilies[i].name + "\"";
    }
    return s + "]";
  };
  o << "{\"peer_as\":" << n.peer_as << ",\"peer_id\":\"" << to_string(IpAddr::v4(n.peer_id))
    << "\",\"ebgp\":" << (n.ebgp ? "true" : "false") << ",\"hold_time\":" << n.hold_time
    << ",\"keepalive_time\":" << n.keepalive_time << ",\"families\":" << bools(n.families)
    << ",\"four_octet_as\":" << (n.codec.four_octet_as ? "true" : "false")
    << ",\"extended_message\":" << (n.codec.extended_message ? "true" : "false")
    << ",\"route_refresh\":" << (n.route_refresh ? "true" : "false")
    << ",\"enhanced_route_refresh\":" << (n.enhanced_route_refresh ? "true" : "false")
    << ",\"add_path_receive\":" << bools(n.codec.add_path_receive)
    << ",\"add_path_send\":" << bools(n.codec.add_path_send) << ",\"peer_graceful_restart\":"
    << (n.peer_graceful_restart ? std::to_string(n.peer_graceful_restart->restart_time) : "null")
    << "}";
  return o.str();
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> opt;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    }
    if (a == "--passive" || a == "--debug") {
      opt[a] = "1";
    } else if (a.rfind("--", 0) == 0 && i + 1 < argc) {
      opt[a] = argv[++i];
    } else {
      std::cerr << "tern-session: unexpected argument '" << a << "'\n" << kUsage;
      return 2;
    }
  }
  for (const char* req : {"--peer", "--peer-as", "--local-as", "--router-id"}) {
    if (!opt.count(req)) {
      std::cerr << "tern-session: " << req << " is required\n" << kUsage;
      return 2;
    }
  }
  // stdout carries the JSON report; logs go to stderr.
  spdlog::set_default_logger(spdlog::stderr_color_mt("tern"));
  spdlog::set_level(opt.count("--debug") ? spdlog::level::debug : spdlog::level::info);

  auto num = [&](const char* k, uint64_t def) -> uint64_t {
    return opt.count(k) ? std::stoull(opt[k]) : def;
  };
  boost::system::error_code ec;
  SessionConfig cfg;
  cfg.remote = asio::ip::make_address(opt["--peer"], ec);
  if (ec) {
    std::cerr << "tern-session: --peer: not an address: " << opt["--peer"] << "\n";
    return 2;
  }
  cfg.name = opt.count("--name") ? opt["--name"] : opt["--peer"];
  cfg.remote_port = static_cast<uint16_t>(num("--peer-port", 179));
  if (opt.count("--local")) cfg.local = asio::ip::make_address(opt["--local"]);
  cfg.passive = opt.count("--passive");
  cfg.md5_password = opt.count("--md5") ? opt["--md5"] : "";
  cfg.ttl_security_hops = static_cast<int>(num("--ttl-security", 0));
  cfg.connect_delay = Millis(num("--connect-delay-ms", 2000));
  cfg.connect_retry = Millis(num("--connect-retry-ms", 5000));
  auto& s = cfg.settings;
  s.local_as = static_cast<uint32_t>(num("--local-as", 0));
  s.peer_as = static_cast<uint32_t>(num("--peer-as", 0));
  auto id = IpAddr::parse(opt["--router-id"]);
  if (!id || id->afi != Afi::kIpv4) {
    std::cerr << "tern-session: --router-id: not an IPv4 address\n";
    return 2;
  }
  s.router_id = id->v4_value();
  s.hold_time = static_cast<uint16_t>(num("--hold", 240));
  const std::string fams = opt.count("--families") ? opt["--families"] : "ipv4";
  s.families = {fams.find("ipv4") != std::string::npos, fams.find("ipv6") != std::string::npos};
  if (opt.count("--add-path")) {
    const std::string m = opt["--add-path"];
    const AddPathMode mode = m == "send"   ? AddPathMode::kSend
                             : m == "both" ? AddPathMode::kBoth
                                           : AddPathMode::kReceive;
    s.add_path = {mode, mode};
  }
  s.graceful_restart = GracefulRestartCap{false, false, 120, {}};
  for (int i = 0; i < kFamilyCount; ++i)
    if (s.families[i]) s.graceful_restart->families.push_back({kFamilies[i].family, true});

  std::optional<Update> announce;
  if (opt.count("--announce")) {
    auto p = Prefix::parse(opt["--announce"]);
    auto nh = IpAddr::parse(opt.count("--next-hop") ? opt["--next-hop"] : "");
    if (!p || !nh) {
      std::cerr << "tern-session: --announce needs a prefix and --next-hop an address\n";
      return 2;
    }
    Update u;
    u.attrs.origin = Origin::kIgp;
    u.attrs.as_path = AsPath{};
    if (s.local_as != s.peer_as)
      u.attrs.as_path->segments.push_back({SegmentType::kSequence, {s.local_as}});
    else
      u.attrs.local_pref = 100;
    if (p->afi == Afi::kIpv4 && nh->afi == Afi::kIpv4) {
      u.attrs.next_hop = *nh;
      u.nlri = {{*p, 1}};
    } else {
      u.mp_reach = MpReach{p->family(), {*nh, std::nullopt}, {{*p, 1}}};
    }
    announce = std::move(u);
  }

  asio::io_context io;
  auto session = std::make_shared<Session>(io, cfg);
  session->on_state([&](Session& ss, State from, State to) {
    emit(std::string("{\"event\":\"state\",\"peer\":\"") + json_escape(ss.config().name) +
         "\",\"from\":\"" + to_string(from) + "\",\"to\":\"" + to_string(to) + "\"}");
    if (to == State::kEstablished && ss.negotiated()) {
      emit("{\"event\":\"established\",\"negotiated\":" + negotiated_json(*ss.negotiated()) + "}");
      if (announce) {
        // Posted: the session finishes its transition before the first UPDATE goes out.
        asio::post(io, [&] {
          const bool ok = ss.send(Message{*announce}) &&
                          ss.send(Message{Update::make_end_of_rib(kIpv4Unicast)});
          emit(std::string("{\"event\":\"announced\",\"ok\":") + (ok ? "true" : "false") + "}");
        });
      }
    }
    if (from == State::kEstablished || to == State::kIdle) {
      emit("{\"event\":\"down\",\"last_error\":\"" +
           json_escape(ss.snapshot().counters.last_error) + "\"}");
    }
  });
  session->on_update([&](Session&, Update&& u) {
    emit("{\"event\":\"update\",\"text\":\"" + json_escape(to_string(Message{u})) + "\"}");
  });

  Listener listener(
      io, [&](const asio::ip::address& a) { return a == cfg.remote ? session : nullptr; });
  if (opt.count("--listen")) {
    auto at = asio::ip::make_address(opt["--listen"], ec);
    if (ec) {
      std::cerr << "tern-session: --listen: not an address\n";
      return 2;
    }
    if (auto e = listener.listen({at, static_cast<uint16_t>(num("--listen-port", 179))});
        !e.empty()) {
      std::cerr << "tern-session: " << e << "\n";
      return 1;
    }
    if (!cfg.md5_password.empty()) {
      if (auto e = listener.set_md5(cfg.remote, cfg.md5_password); !e.empty()) {
        std::cerr << "tern-session: " << e << "\n";
        return 1;
      }
    }
  }

  asio::steady_timer exit_timer(io);
  auto shutdown = [&](const char* why) {
    session->stop(why);
    listener.close();
    // Give the Cease a moment to leave before the loop ends.
    exit_timer.expires_after(std::chrono::milliseconds(300));
    exit_timer.async_wait([&](const boost::system::error_code&) { io.stop(); });
  };
  asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code& e, int) {
    if (!e) shutdown("tern-session stopping");
  });
  asio::steady_timer deadline(io);
  if (opt.count("--exit-after")) {
    deadline.expires_after(std::chrono::seconds(num("--exit-after", 0)));
    deadline.async_wait([&](const boost::system::error_code& e) {
      if (!e) shutdown("tern-session done");
    });
  }
  session->start();
  io.run();
  return 0;
}
