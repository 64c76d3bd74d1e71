#pragma once
// The intent as a set of objects keyed by (kind, name): what the API's create, replace, get,
// list and delete work on. The kinds are api/kinds.hpp's.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "api/kinds.hpp"
#include "api/tern.pb.h"

namespace tern::intent {

// Creates or replaces the object of that kind and name; returns whether one existed.
bool upsert(api::Intent& intent, const api::Object& object);
// Adds the object to its kind's list without looking for one of the same name (building an
// intent from objects known to differ); an object of no kind is ignored.
void append(api::Intent& intent, const api::Object& object);
// Returns whether it existed.
bool remove(api::Intent& intent, const api::KindInfo& kind, std::string_view name);
std::optional<api::Object> find(const api::Intent& intent, const api::KindInfo& kind,
                                std::string_view name);
std::vector<api::Object> list(const api::Intent& intent, const api::KindInfo& kind);
// Every object of an intent (an ApplyRequest's batch), in kind order then as listed.
std::vector<api::Object> objects(const api::Intent& intent);
// How many objects of all kinds the intent holds.
size_t count(const api::Intent& intent);

}  // namespace tern::intent
