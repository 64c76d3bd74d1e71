#pragma once
// The intent kinds as both transports name them: Calico's kind ("IPPool"), the REST path's
// lower-case plural ("ippools"), and where each lives in Object and Intent.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "api/tern.pb.h"

namespace tern::api {

struct KindInfo {
  std::string_view kind;         // Calico's kind name, as ObjectRef.kind carries it
  std::string_view plural;       // REST path segment
  std::string_view api_version;  // what a manifest of this kind says
  int object_field;              // field number of the kind in Object's oneof
};

std::span<const KindInfo> all_kinds();

// The kind named by a REST path segment or a Calico kind name, case-insensitively.
const KindInfo* find_kind(std::string_view name);

// The kind an Object holds, or nullptr when its oneof is empty.
const KindInfo* kind_of(const Object& object);

// The resource message of `kind` inside `object`, created (and the oneof set) if needed.
google::protobuf::Message* mutable_resource(Object& object, const KindInfo& kind);
const google::protobuf::Message* resource(const Object& object);

// metadata.name of whatever the object holds ("" when unset or empty).
std::string object_name(const Object& object);

}  // namespace tern::api
