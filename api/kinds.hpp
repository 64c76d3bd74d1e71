#pragma once
// The intent kinds, once for every part of tern: Calico's kind ("IPPool"), the REST path's
// lower-case plural ("ippools"), the apiVersions, and where each kind lives in Object and in
// Intent. The API server, the intent store's object operations, the manifest reader/writer and
// ternctl all read this one table.

#include <span>
#include <string>
#include <string_view>

#include "api/tern.pb.h"

namespace tern::api {

struct KindInfo {
  std::string_view kind;         // Calico's kind name, as ObjectRef.kind carries it
  std::string_view plural;       // REST path segment
  std::string_view api_version;  // what tern writes, and the only one REST takes
  // What a manifest may say; the first is api_version.
  std::span<const std::string_view> api_versions;
  int object_field;  // field number of the kind in Object's oneof
  int intent_field;  // field number of the kind's repeated field in Intent
};

// In the order of Intent's fields (the order manifests and listings are written in).
std::span<const KindInfo> all_kinds();

// The kind named by a REST path segment or a Calico kind name, case-insensitively.
const KindInfo* find_kind(std::string_view name);

// The kind an Object holds, or nullptr when its oneof is empty.
const KindInfo* kind_of(const Object& object);

// The kind's field in Object's oneof, and its repeated field in Intent.
const google::protobuf::FieldDescriptor* object_oneof_field(const KindInfo& kind);
const google::protobuf::FieldDescriptor* intent_list_field(const KindInfo& kind);

// The resource message of `kind` inside `object`, created (and the oneof set) if needed.
google::protobuf::Message* mutable_resource(Object& object, const KindInfo& kind);
const google::protobuf::Message* resource(const Object& object);

// The metadata of a resource message (every one starts with `ObjectMeta metadata = 1`), or of
// whatever the object holds (the empty default when it holds nothing).
const ObjectMeta& resource_meta(const google::protobuf::Message& resource);
const ObjectMeta& object_meta(const Object& object);
// metadata.name of whatever the object holds ("" when unset or empty).
std::string object_name(const Object& object);

}  // namespace tern::api
