#pragma once
// From the RIB's best paths to the routes the FIB is asked for. A prefix this node originates
// is blackholed here when it is one of its blocks or service ranges, and left alone when it is
// a borrowed workload address (the node agent routes that to the pod); a learned prefix goes
// via its ECMP next hops, unless it lies in a service range (Calico's rejectcidrs: kube-proxy
// handles that traffic).

#include <optional>
#include <span>
#include <vector>

#include "daemon/plan/plan.hpp"
#include "fib/writer.hpp"
#include "rib/loc_rib.hpp"

namespace tern {

struct FeedRules {
  std::vector<bgp::Prefix> blackholed;  // own blocks and originated service ranges
  std::vector<bgp::Prefix> no_install;
  bool operator==(const FeedRules&) const = default;
};

// What a plan says about kernel routes of its own originations and of service ranges.
FeedRules feed_rules(const plan::Plan& plan);

// The route to install for `prefix` whose multipath set is `paths` (best first); nullopt when
// nothing of ours belongs in the kernel.
std::optional<fib::WantedRoute> wanted_route(const bgp::Prefix& prefix,
                                             std::span<const rib::Path> paths,
                                             const FeedRules& rules);

// Hands best-path changes to the writer, on the speaker's thread (the writer's calls are
// cheap and thread-safe; it coalesces per prefix on its own thread).
class RouteFeed {
 public:
  explicit RouteFeed(fib::FibWriter& writer) : writer_(writer) {}
  // Returns whether the rules changed (the caller then replays the RIB through on_change).
  bool set_rules(FeedRules rules);
  void on_change(const bgp::Prefix& prefix, std::span<const rib::Path> after);

 private:
  fib::FibWriter& writer_;
  FeedRules rules_;
};

}  // namespace tern
