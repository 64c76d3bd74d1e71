#pragma once
// The intent kinds as ternctl names them: Calico's kind names and plurals, any case, mapped to
// the one kind name the API takes; and the small per-kind facts the CLI needs (apiVersion for
// JSON output, the Intent list holding the kind).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/tern.pb.h"

namespace tern::ctl {

// "ippools", "IPPool", "ippool" -> "IPPool"; nullopt when the word names no kind.
std::optional<std::string> canonical_kind(std::string_view word);

// Every canonical kind, in the order the API and the manifest writer use.
const std::vector<std::string>& kind_names();

// "projectcalico.org/v3", or "v1" for Secret, "tern.dev/v1" for BorrowedAddress (as written by
// the manifest writer).
std::string api_version(std::string_view kind);

// The kind and metadata of whichever object is set; "" when none is.
std::string object_kind(const api::Object& object);
const api::ObjectMeta& object_meta(const api::Object& object);

// Appends the object to the Intent list of its kind.
void add_to_intent(const api::Object& object, api::Intent& intent);

// How many objects of all kinds the intent holds.
size_t object_count(const api::Intent& intent);

}  // namespace tern::ctl
