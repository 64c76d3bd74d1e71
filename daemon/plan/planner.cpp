#include "daemon/plan/planner.hpp"

#include <algorithm>

#include "daemon/plan/context.hpp"
#include "daemon/plan/peers.hpp"
#include "daemon/plan/routes.hpp"

namespace tern::plan {

namespace {

using detail::Context;

void plan_node(const Context& c, Plan& plan) {
  const auto& self = *c.self;
  plan.local_as = self.as;
  plan.ipv4_address = self.v4;
  plan.ipv6_address = self.v6;
  plan.ipv4_network = self.v4_network;
  if (self.v4) {
    plan.router_id = self.v4->v4_value();
  } else {
    plan.router_id = detail::hashed_router_id(self.name);
    plan.notes.push_back(
        "this node has no IPv4 address: router id hashed from its name, as "
        "CALICO_ROUTER_ID=hash does");
  }
  if (!self.rr_cluster_id.empty()) {
    auto id = bgp::IpAddr::parse(self.rr_cluster_id);
    if (id && id->afi == bgp::Afi::kIpv4) {
      plan.cluster_id = id->v4_value();
    } else {
      c.notes.add("routeReflectorClusterID '" + self.rr_cluster_id +
                  "' is not a dotted IPv4 value; not a route reflector");
    }
  }
  if (c.local && c.local->has_listen_port() && c.local->listen_port() != 0) {
    plan.listen_port = static_cast<uint16_t>(c.local->listen_port());
  } else if (c.global_listen_port) {
    plan.listen_port = *c.global_listen_port;
  }
  if (c.global && c.global->bind_mode() == "NodeIP")
    plan.bind_address = self.v4 ? self.v4 : self.v6;
}

// BGP carries pod routes only for pools that are not VXLAN (Felix routes VXLAN pools itself).
bool bgp_needed(const Context& c, Plan& plan, Backend backend) {
  bool any_enabled = false;
  for (const auto& p : c.pools) {
    if (p.disabled) continue;
    any_enabled = true;
    if (p.vxlan_mode.empty() || p.vxlan_mode == "Never") return true;
  }
  if (backend == Backend::kBird) {
    plan.notes.push_back(any_enabled
                             ? "all IP pools are VXLAN: BGP is not needed; set the backend to vxlan"
                             : "no enabled IP pool: BGP has no pod routes to carry");
  }
  return false;
}

}  // namespace

Plan make_plan(const api::Intent& intent, std::string_view node_name, Backend backend) {
  Plan plan;
  plan.node_name = std::string(node_name);
  const Context c = detail::make_context(intent, node_name);
  plan.node_known = c.self && (c.self->v4 || c.self->v6);
  plan.local_as = c.global_as;
  plan.own_blocks = c.own_blocks;
  plan.no_install = c.service_ranges;  // kube-proxy's, whether or not this node originates them
  plan.encap = detail::plan_encap(c);
  plan.bgp_needed = bgp_needed(c, plan, backend);
  if (!c.self) {
    plan.notes.push_back("no Node named " + plan.node_name + " in the intent: no BGP sessions");
  } else if (!plan.node_known) {
    plan.notes.push_back("Node " + plan.node_name + " has no BGP address: no BGP sessions");
  } else {
    plan_node(c, plan);
  }
  plan.bgp_enabled = backend == Backend::kBird && plan.node_known;
  if (plan.bgp_enabled) {
    plan.peers = detail::plan_peers(c);
    plan.originate = detail::plan_originations(c);
  }
  auto notes = c.notes.take();
  plan.notes.insert(plan.notes.end(), notes.begin(), notes.end());
  return plan;
}

}  // namespace tern::plan
