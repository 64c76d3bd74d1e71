#pragma once
// The intent as a set of objects keyed by (kind, name): what the API's create, replace, get,
// list and delete work on. Kinds are Calico's names; lower-case plurals (REST paths) and
// singulars are accepted too, in any case.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/tern.pb.h"

namespace tern::intent {

struct KindInfo {
  const char* kind;    // "IPPool"
  const char* plural;  // "ippools"
  int object_field;    // the api::Object oneof field
  int intent_field;    // the repeated api::Intent field
};

// nullptr when `name` is no kind we know.
const KindInfo* find_kind(std::string_view name);
const std::vector<KindInfo>& kinds();

// The object's kind ("" when empty) and metadata.name.
const KindInfo* kind_of(const api::Object& object);
std::string name_of(const api::Object& object);

// Creates or replaces the object of that kind and name; returns whether one existed.
bool upsert(api::Intent& intent, const api::Object& object);
// Returns whether it existed.
bool remove(api::Intent& intent, const KindInfo& kind, std::string_view name);
std::optional<api::Object> find(const api::Intent& intent, const KindInfo& kind,
                                std::string_view name);
std::vector<api::Object> list(const api::Intent& intent, const KindInfo& kind);
// Every object of an intent (an ApplyRequest's batch), in kind order then as listed.
std::vector<api::Object> objects(const api::Intent& intent);

}  // namespace tern::intent
