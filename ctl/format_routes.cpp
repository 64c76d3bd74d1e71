// `ternctl routes`, `fib` and `explain`: the Loc-RIB with every path and why losers lost, what
// the kernel holds, and one prefix's whole story (decision, then encapsulation).

#include "ctl/format.hpp"
#include "ctl/table.hpp"

namespace tern::ctl {
namespace {

std::string as_path(const api::RoutePath& path) {
  std::string out;
  for (uint32_t as : path.as_path())
    out += (out.empty() ? "" : " ") + std::to_string(as);
  return out;
}

std::string mark(const api::RoutePath& path) {
  if (path.best()) return "*";
  return path.multipath() ? "=" : "";
}

// Why a path is (not) used: best, in the ECMP set, refused on import, or the decision step it
// lost at; plus stale while its peer restarts.
std::string verdict(const api::RoutePath& path) {
  std::string out;
  if (path.best()) {
    out = "best";
  } else if (path.multipath()) {
    out = "ecmp";
  } else if (!path.refused().empty()) {
    out = "refused: " + path.refused();
  } else if (!path.lost_at().empty()) {
    out = "lost at: " + path.lost_at();
  }
  if (path.stale()) out += out.empty() ? "stale" : ", stale";
  return out;
}

std::string or_dash(const std::string& s) {
  return s.empty() ? "-" : s;
}

// "key:  value" lines with the values aligned.
std::string aligned(const std::vector<std::pair<std::string, std::string>>& rows,
                    const std::string& indent) {
  size_t width = 0;
  for (const auto& [key, value] : rows)
    width = std::max(width, key.size());
  std::string out;
  for (const auto& [key, value] : rows) {
    out += indent + key + ":" + std::string(width - key.size() + 1, ' ') + value + "\n";
  }
  return out;
}

std::string mode_words(const api::ExplainResponse& e) {
  std::vector<std::string> parts;
  if (!e.ipip_mode().empty()) parts.push_back("ipipMode " + e.ipip_mode());
  if (!e.vxlan_mode().empty()) parts.push_back("vxlanMode " + e.vxlan_mode());
  std::string out;
  for (const auto& p : parts)
    out += (out.empty() ? "" : ", ") + p;
  return out;
}

std::string fib_words(const api::FibEntry& fib) {
  if (fib.state().empty()) return "not in the kernel";
  return fib.reason().empty() ? fib.state() : fib.state() + " (" + fib.reason() + ")";
}

}  // namespace

std::string format_routes(const api::RoutesResponse& routes) {
  if (routes.routes().empty()) return "No routes found.\n";
  Table table({"", "PREFIX", "NEXT HOP", "PEER", "AS PATH", "LOCAL PREF", "INFO"});
  for (const auto& route : routes.routes()) {
    bool first = true;
    for (const auto& path : route.paths()) {
      table.add_row({mark(path), first ? route.prefix() : "", or_dash(path.next_hop()), path.peer(),
                     as_path(path), std::to_string(path.local_pref()), verdict(path)});
      first = false;
    }
    if (route.paths().empty()) table.add_row({"", route.prefix(), "-", "", "", "", "no path"});
  }
  std::string out = table.plain();
  if (routes.truncated()) out += "(truncated: narrow the list with PREFIX, --family or --peer)\n";
  return out;
}

std::string format_fib(const api::FibResponse& fib) {
  std::string out;
  if (fib.routes().empty()) {
    out = "No kernel routes found.\n";
  } else {
    Table table({"PREFIX", "SHAPE", "STATE", "REASON"});
    for (const auto& e : fib.routes())
      table.add_row({e.prefix(), e.shape(), e.state(), e.reason()});
    out = table.plain();
  }
  if (fib.truncated()) out += "(truncated: narrow the list with PREFIX)\n";
  if (fib.has_summary()) {
    const auto& s = fib.summary();
    out += "\nFIB: " + std::to_string(s.wanted()) + " wanted, " + std::to_string(s.installed()) +
           " installed, " + std::to_string(s.parked()) + " parked, " + std::to_string(s.failed()) +
           " failed, " + std::to_string(s.not_ours()) + " not ours, " + std::to_string(s.stale()) +
           " stale" + (s.swept() ? "" : " (stale routes from before the restart not yet swept)") +
           "\n";
    if (!s.last_error().empty()) out += "Last FIB error: " + s.last_error() + "\n";
  }
  return out;
}

std::string format_explain(const api::ExplainResponse& e) {
  std::string out = e.prefix();
  if (!e.shape().empty()) out += ": " + e.shape();
  out += "\n\nPaths:\n";
  if (e.route().paths().empty()) out += "  none: no path to this prefix\n";
  for (const auto& path : e.route().paths()) {
    const std::string mk = mark(path);
    std::string line = "  " + (mk.empty() ? std::string(" ") : mk) + " from " + path.peer();
    if (!path.next_hop().empty()) line += ", next hop " + path.next_hop();
    const std::string asp = as_path(path);
    line += ", AS path " + (asp.empty() ? std::string("(empty)") : asp);
    line += ", local pref " + std::to_string(path.local_pref());
    if (path.med() != 0) line += ", MED " + std::to_string(path.med());
    if (!path.origin().empty()) line += ", origin " + path.origin();
    const std::string why = verdict(path);
    out += line + (why.empty() ? "" : ": " + why) + "\n";
  }
  if (!e.decision().empty()) {
    out += "\nDecision:\n";
    int step = 1;
    for (const auto& d : e.decision())
      out += "  " + std::to_string(step++) + ". " + d + "\n";
  }
  out += "\nEncapsulation:\n";
  std::vector<std::pair<std::string, std::string>> rows;
  if (e.pool().empty()) {
    rows.emplace_back("pool", "none (no IP pool holds this prefix)");
  } else {
    const std::string modes = mode_words(e);
    rows.emplace_back("pool", e.pool() + (modes.empty() ? "" : " (" + modes + ")"));
  }
  rows.emplace_back("next hop", or_dash(e.next_hop()));
  if (!e.subnet_test().empty()) rows.emplace_back("subnet test", e.subnet_test());
  rows.emplace_back("shape", or_dash(e.shape()));
  if (!e.encap_reason().empty()) rows.emplace_back("because", e.encap_reason());
  rows.emplace_back("kernel", fib_words(e.fib()));
  return out + aligned(rows, "  ");
}

}  // namespace tern::ctl
