#pragma once
// /metrics: a StatusResponse in the Prometheus text exposition format (version 0.0.4).

#include <string>
#include <string_view>

#include "api/tern.pb.h"

namespace tern::api {

std::string render_metrics(const StatusResponse& status);

// A label value with \, " and newline escaped as the format requires.
std::string escape_label_value(std::string_view value);

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace tern::api
