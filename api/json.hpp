#pragma once
// protobuf's JSON mapping made strict for the REST gateway: the body is checked against the
// message's schema first (unknown keys and wrong JSON types are refused with the json_name path,
// e.g. "spec.blockSize"), then converted by protobuf itself.

#include <google/protobuf/message.h>

#include <optional>
#include <string>
#include <string_view>

#include "api/backend.hpp"
#include "api/json_quote.hpp"
#include "api/kinds.hpp"

namespace tern::api {

// Fills `out` from a JSON object; on failure `out` is unspecified and the Error (status 400)
// names the field.
std::optional<Error> parse_json(std::string_view body, google::protobuf::Message& out);

// A bare resource of `kind` as Calico prints it ({"metadata":..., "spec":...}); "apiVersion"
// and "kind" may be present and must then match the kind.
std::optional<Error> parse_resource_json(std::string_view body, const KindInfo& kind, Object& out);

// json_name spelling (lowerCamel, Calico's names), default values left out.
std::string to_json(const google::protobuf::Message& message);

// The resource an Object holds, as bare Calico-style JSON with apiVersion and kind.
std::string resource_to_json(const Object& object);

// {"error":{"status":..,"field":..,"message":..}}
std::string error_json(const Error& error);

}  // namespace tern::api
