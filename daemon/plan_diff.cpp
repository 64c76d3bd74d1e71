#include "daemon/plan_diff.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "daemon/peering.hpp"
#include "daemon/route_feed.hpp"
#include "fib/encap.hpp"

namespace tern {

namespace {

// The settings of a planned session that differ, in words.
std::string what_differs(const plan::PlannedPeer& a, const plan::PlannedPeer& b) {
  std::vector<std::string> d;
  auto note = [&](bool differs, const char* what) {
    if (differs) d.push_back(what);
  };
  note(a.address != b.address || a.port != b.port, "address");
  note(a.peer_as != b.peer_as, "peer AS");
  note(a.local_as != b.local_as, "local AS");
  note(a.passive != b.passive, "passive");
  note(a.rr_client != b.rr_client, "route reflector client");
  note(a.source_address != b.source_address, "source address");
  note(a.password != b.password, "password");
  note(a.restart_time != b.restart_time, "restart time");
  note(a.keepalive_time != b.keepalive_time, "keepalive time");
  note(a.ttl_security != b.ttl_security, "ttl security");
  note(a.next_hop_self != b.next_hop_self || a.keep_next_hop != b.keep_next_hop, "next hop");
  note(a.allow_local_as != b.allow_local_as, "allowed local AS");
  note(a.reachable_by != b.reachable_by, "reachable by");
  note(a.filters != b.filters, "filters");
  note(!(a.import_filter == b.import_filter), "import policy");
  note(!(a.export_filter == b.export_filter), "export policy");
  std::string out;
  for (size_t i = 0; i < d.size(); ++i)
    out += (i ? ", " : "") + d[i];
  return out;
}

std::string address_text(const plan::PlannedPeer& p) {
  std::string a = bgp::to_string(p.address);
  if (p.port != 179)
    a = (p.address.afi == bgp::Afi::kIpv6 ? "[" + a + "]" : a) + ":" + std::to_string(p.port);
  return a;
}

bool originates(const plan::Plan& p, const bgp::Prefix& prefix) {
  return std::any_of(p.originate.begin(), p.originate.end(),
                     [&](const auto& o) { return o.prefix == prefix; });
}

}  // namespace

void diff_sessions(const plan::Plan& before, const plan::Plan& after, api::ChangeResponse& out) {
  std::map<std::string, const plan::PlannedPeer*> a, b;
  for (const auto& p : before.peers)
    a[p.name] = &p;
  for (const auto& p : after.peers)
    b[p.name] = &p;
  const bool identity_changed = before.local_as != after.local_as ||
                                before.router_id != after.router_id ||
                                before.cluster_id != after.cluster_id;
  for (const auto& [name, p] : a) {
    auto it = b.find(name);
    if (it == b.end()) {
      auto* c = out.add_sessions();
      c->set_name(name);
      c->set_action("remove");
      c->set_address(address_text(*p));
    } else if (!(*it->second == *p) || identity_changed) {
      auto* c = out.add_sessions();
      c->set_name(name);
      c->set_action(!identity_changed && only_filters_differ(*p, *it->second) ? "refresh"
                                                                              : "change");
      c->set_address(address_text(*it->second));
      std::string d = what_differs(*p, *it->second);
      if (identity_changed)
        d = d.empty() ? "this node's AS or router id" : d + ", this node's AS or router id";
      c->set_detail(d);
    }
  }
  for (const auto& [name, p] : b)
    if (!a.count(name)) {
      auto* c = out.add_sessions();
      c->set_name(name);
      c->set_action("add");
      c->set_address(address_text(*p));
    }
}

void diff_originations(const plan::Plan& before, const plan::Plan& after,
                       api::ChangeResponse& out) {
  for (const auto& o : after.originate)
    if (!originates(before, o.prefix)) out.add_originated(bgp::to_string(o.prefix));
  for (const auto& o : before.originate)
    if (!originates(after, o.prefix)) out.add_withdrawn(bgp::to_string(o.prefix));
}

std::string kernel_shape(const plan::Plan& plan, const bgp::Prefix& prefix,
                         std::span<const rib::Path> paths) {
  // A prefix the plan does not originate has no local path under it; one it does wins
  // outright (locally originated routes are preferred).
  rib::PathSet under;
  rib::Path local;
  local.peer = rib::kLocalPeer;
  if (originates(plan, prefix)) {
    under.push_back(local);
  } else {
    for (const auto& p : paths)
      if (p.peer != rib::kLocalPeer) under.push_back(p);
  }
  const auto wanted = wanted_route(prefix, {under.data(), under.size()}, feed_rules(plan));
  if (!wanted) return "";
  const auto shape = fib::decide_shape(*wanted, plan.encap);
  if (shape.kind == fib::ShapeKind::kNone) return "";
  return fib::shape_text(shape);
}

void diff_kernel_routes(const plan::Plan& before, const plan::Plan& after, const RibWalk& walk,
                        api::ChangeResponse& out, size_t limit) {
  std::set<bgp::Prefix> seen;
  auto compare = [&](const bgp::Prefix& p, std::span<const rib::Path> paths) {
    if (!seen.insert(p).second) return;
    if (static_cast<size_t>(out.kernel_routes_size()) >= limit) return;
    const std::string a = kernel_shape(before, p, paths), b = kernel_shape(after, p, paths);
    if (a == b) return;
    auto* c = out.add_kernel_routes();
    c->set_prefix(bgp::to_string(p));
    c->set_action(a.empty() ? "add" : b.empty() ? "remove" : "change");
    c->set_before(a);
    c->set_after(b);
  };
  if (walk) walk(compare);
  for (const auto* plan : {&before, &after})
    for (const auto& o : plan->originate)
      compare(o.prefix, {});
}

}  // namespace tern
