#pragma once
// What ternctl prints, as pure functions of the API's responses (so goldens can pin them):
// the `calicoctl node status` table, routes, FIB, explain, objects, change listings, events.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/tern.pb.h"

namespace tern::ctl {

enum class Output { kTable, kJson, kYaml };

// "09:17:20" (UTC) within a day of `now_ms`, else the date "2024-01-31" as BIRD shows it;
// "" when never.
std::string format_since(int64_t since_ms, int64_t now_ms);
// "2024-01-31T09:17:20.123Z"
std::string format_time(int64_t unix_ms);

std::string format_status(const api::StatusResponse& status, int64_t now_ms);
std::string format_routes(const api::RoutesResponse& routes);
std::string format_fib(const api::FibResponse& fib);
std::string format_explain(const api::ExplainResponse& explain);
std::string format_health(const api::HealthResponse& health);
std::string format_event(const api::Event& event);

// Any response as protobuf's JSON mapping (every field, defaults included) or that as YAML.
std::string format_message(const google::protobuf::Message& message, Output output);

// `get`: a table of NAME and each kind's key fields (objects of one kind), Calico manifests as
// YAML (the manifest writer's, so `apply -f` reads them back), or JSON: the object itself when
// `single`, else a typed list (`IPPoolList`, items).
std::string format_objects_table(const std::string& kind, const std::vector<api::Object>& objects);
std::string format_objects_yaml(const std::vector<api::Object>& objects);
std::string format_objects_json(const std::string& kind, const std::vector<api::Object>& objects,
                                bool single);

// `apply` / `delete`: the headline (what was done, the intent revision) and the sessions,
// kernel routes and originations that change, sorted so the listing is stable.
enum class ChangeVerb { kApply, kDelete };
std::string format_change(const api::ChangeResponse& change, ChangeVerb verb,
                          const std::string& what);
// "1 object", "3 objects".
std::string object_count_words(size_t n);
// Only the listing ("+ session ...", "~ route ...", "note: ...").
std::string format_change_lines(const api::ChangeResponse& change);

}  // namespace tern::ctl
