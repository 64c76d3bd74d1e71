#include "daemon/intent/objects.hpp"

#include <algorithm>

namespace tern::intent {

namespace {

using google::protobuf::Message;

int index_of(const api::Intent& intent, const api::KindInfo& k, std::string_view name) {
  const auto* f = api::intent_list_field(k);
  const auto* r = intent.GetReflection();
  for (int i = 0; i < r->FieldSize(intent, f); ++i)
    if (api::resource_meta(r->GetRepeatedMessage(intent, f, i)).name() == name) return i;
  return -1;
}

api::Object wrap(const api::KindInfo& k, const Message& resource) {
  api::Object o;
  api::mutable_resource(o, k)->CopyFrom(resource);
  return o;
}

}  // namespace

bool upsert(api::Intent& intent, const api::Object& object) {
  const auto* k = api::kind_of(object);
  if (!k) return false;
  const Message& resource = *api::resource(object);
  const auto* f = api::intent_list_field(*k);
  const auto* r = intent.GetReflection();
  const int i = index_of(intent, *k, api::resource_meta(resource).name());
  if (i >= 0) {
    r->MutableRepeatedMessage(&intent, f, i)->CopyFrom(resource);
    return true;
  }
  r->AddMessage(&intent, f)->CopyFrom(resource);
  return false;
}

void append(api::Intent& intent, const api::Object& object) {
  const auto* k = api::kind_of(object);
  if (!k) return;
  intent.GetReflection()
      ->AddMessage(&intent, api::intent_list_field(*k))
      ->CopyFrom(*api::resource(object));
}

bool remove(api::Intent& intent, const api::KindInfo& kind, std::string_view name) {
  const int i = index_of(intent, kind, name);
  if (i < 0) return false;
  const auto* f = api::intent_list_field(kind);
  const auto* r = intent.GetReflection();
  const int last = r->FieldSize(intent, f) - 1;
  // Keep the order of the others: move the one to remove to the end first.
  for (int j = i; j < last; ++j)
    r->SwapElements(&intent, f, j, j + 1);
  r->RemoveLast(&intent, f);
  return true;
}

std::optional<api::Object> find(const api::Intent& intent, const api::KindInfo& kind,
                                std::string_view name) {
  const int i = index_of(intent, kind, name);
  if (i < 0) return std::nullopt;
  return wrap(kind,
              intent.GetReflection()->GetRepeatedMessage(intent, api::intent_list_field(kind), i));
}

std::vector<api::Object> list(const api::Intent& intent, const api::KindInfo& kind) {
  std::vector<api::Object> out;
  const auto* f = api::intent_list_field(kind);
  const auto* r = intent.GetReflection();
  for (int i = 0; i < r->FieldSize(intent, f); ++i)
    out.push_back(wrap(kind, r->GetRepeatedMessage(intent, f, i)));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return api::object_meta(a).name() < api::object_meta(b).name();
  });
  return out;
}

std::vector<api::Object> objects(const api::Intent& intent) {
  std::vector<api::Object> out;
  for (const auto& k : api::all_kinds()) {
    const auto* f = api::intent_list_field(k);
    const auto* r = intent.GetReflection();
    for (int i = 0; i < r->FieldSize(intent, f); ++i)
      out.push_back(wrap(k, r->GetRepeatedMessage(intent, f, i)));
  }
  return out;
}

size_t count(const api::Intent& intent) {
  size_t n = 0;
  for (const auto& k : api::all_kinds())
    n += static_cast<size_t>(intent.GetReflection()->FieldSize(intent, api::intent_list_field(k)));
  return n;
}

}  // namespace tern::intent
