#pragma once
// The API's unix socket path: its directory made private, a stale socket from a crashed ternd
// removed, and a live one (another ternd) refused.

#include <optional>
#include <string>

namespace tern::api {

// Before binding. Creates missing parent directories with mode 0700 (existing ones are left
// alone); the error text when the path cannot be used.
std::optional<std::string> prepare_unix_socket(const std::string& path);

// After binding: owner read/write only.
std::optional<std::string> restrict_unix_socket(const std::string& path);

}  // namespace tern::api
