#pragma once
// A Plan as stable, human-readable text: every field, one peer per block, filters rule by rule.
// Golden tests compare it; ternctl prints it.

#include <string>

#include "daemon/plan/plan.hpp"

namespace tern::plan {

struct PlanTextOptions {
  bool show_secrets = false;  // passwords in clear (tests); otherwise only whether one is set
};

std::string plan_text(const Plan& plan, const PlanTextOptions& options = {});
std::string filter_text(const rib::RouteFilter& f, const std::string& indent);

}  // namespace tern::plan
