#pragma once
// ternd's status as JSON: what `calicoctl node status` shows (sessions and their state),
// readiness and its reason, the plan's notes, and the FIB writer's counters.

#include <string>

#include "daemon/ternd.hpp"

namespace tern {

std::string status_json(const TerndStatus& s);

}  // namespace tern
