// The engine's answer to views: per prefix, what is wanted, what the kernel holds of ours, and
// why they differ. Runs on the engine's thread between rounds, reading the round's own tables,
// so the write path pays nothing for it.

#include "fib/encap.hpp"
#include "fib/fib_engine.hpp"
#include "fib/view_order.hpp"

namespace tern::fib {

std::string FibEngine::kernel_text(const KernelForwarding& fwd) const {
  if (fwd.blackhole) return "blackhole";
  std::string out;
  const bool multi = fwd.hops.size() > 1;
  for (const auto& hop : fwd.hops) {
    if (!out.empty()) out += ' ';
    out += multi ? "nexthop via " : "via ";
    out += bgp::to_string(hop.gateway) + " dev " + host_.link_name(hop.ifindex);
    if (hop.onlink) out += " onlink";
  }
  return out;
}

std::optional<FibRouteView> FibEngine::describe(const Prefix& p) const {
  auto it = routes_.find(p);
  if (it == routes_.end() || (!it->second.wanted() && !it->second.installed)) return std::nullopt;
  const Entry& e = it->second;
  const bool present = e.installed != 0;
  auto f = failed_.find(p);
  const bool failed = f != failed_.end();
  FibRouteView v;
  v.prefix = p;
  if (failed) v.attempts = f->second.attempts;
  if (!e.wanted()) {
    // Ours in the kernel, wanted by nobody.
    v.shape = kernel_text(forwardings_[e.installed]);
    if (stale_.count(p)) {
      v.state = "stale";
      v.reason =
          "left by a previous run: kept until the initial exchange completes or the "
          "stale timer expires";
    } else if (failed) {
      v.state = "failed";
      v.reason = f->second.reason;
    } else {
      v.state = "pending";
      v.reason = "no longer wanted: to be deleted";
    }
    return v;
  }
  const RouteShape shape = decide_shape(wanted_route(p, e), config_);
  v.shape = shape_text(shape);
  v.reason = shape.reason;
  auto why_not = [&](const char* state, const std::string& why) {
    v.state = state;
    v.reason = why + "; " + shape.reason;
  };
  if (shape.kind == ShapeKind::kNone) {
    // A route of ours left from before the shape became none fails to go only if its delete
    // was refused.
    if (failed) {
      why_not("failed", f->second.reason);
    } else {
      v.state = "not ours";
    }
  } else if (auto parked = parked_.find(p); parked != parked_.end()) {
    why_not(conflicts_.count(p) ? "conflict" : "parked", parked->second);
  } else if (failed) {
    why_not("failed", f->second.reason);
  } else if (present) {
    v.state = "installed";
    v.shape = kernel_text(forwardings_[e.installed]);
  } else {
    v.state = "pending";
  }
  return v;
}

FibView FibEngine::view(const std::optional<Prefix>& prefix, size_t limit) const {
  FibView out;
  if (prefix) {
    if (auto v = describe(*prefix)) out.routes.push_back(std::move(*v));
    return out;
  }
  FirstPrefixes first(limit);
  for (const auto& [p, e] : routes_)
    if (e.wanted() || e.installed) first.offer(p);
  out.truncated = first.truncated();
  for (const auto& p : first.take())
    if (auto v = describe(p)) out.routes.push_back(std::move(*v));
  return out;
}

}  // namespace tern::fib
