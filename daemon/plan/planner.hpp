#pragma once
// The planner: from the cluster intent and this node's name to what this node should do (the
// sessions confd would render for it, each with Calico's import and export policy, the routes
// it originates, and what the FIB needs). A pure function: the same intent always gives the
// same plan, so the daemon applies only the difference between two plans.

#include <string_view>

#include "api/tern.pb.h"
#include "daemon/plan/plan.hpp"

namespace tern::plan {

// Calico's calico_backend: bird runs BGP; vxlan and none leave routing to the node agent.
enum class Backend { kBird, kVxlan, kNone };

// Never fails: what cannot be used (a bad address, a missing filter or Secret) is skipped and
// said in plan.notes.
Plan make_plan(const api::Intent& intent, std::string_view node_name, Backend backend);

}  // namespace tern::plan
