#include "daemon/intent/objects.hpp"

#include <algorithm>
#include <cctype>

namespace tern::intent {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

const std::vector<KindInfo> kKinds = {
    {"BGPConfiguration", "bgpconfigurations", api::Object::kBgpConfigurationFieldNumber,
     api::Intent::kBgpConfigurationsFieldNumber},
    {"BGPPeer", "bgppeers", api::Object::kBgpPeerFieldNumber, api::Intent::kBgpPeersFieldNumber},
    {"Node", "nodes", api::Object::kNodeFieldNumber, api::Intent::kNodesFieldNumber},
    {"IPPool", "ippools", api::Object::kIpPoolFieldNumber, api::Intent::kIpPoolsFieldNumber},
    {"BlockAffinity", "blockaffinities", api::Object::kBlockAffinityFieldNumber,
     api::Intent::kBlockAffinitiesFieldNumber},
    {"BorrowedAddress", "borrowedaddresses", api::Object::kBorrowedAddressFieldNumber,
     api::Intent::kBorrowedAddressesFieldNumber},
    {"BGPFilter", "bgpfilters", api::Object::kBgpFilterFieldNumber,
     api::Intent::kBgpFiltersFieldNumber},
    {"Secret", "secrets", api::Object::kSecretFieldNumber, api::Intent::kSecretsFieldNumber},
};

std::string lower(std::string_view s) {
  std::string o(s);
  for (auto& c : o)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

const FieldDescriptor* intent_field(const KindInfo& k) {
  return api::Intent::descriptor()->FindFieldByNumber(k.intent_field);
}
const FieldDescriptor* object_field(const KindInfo& k) {
  return api::Object::descriptor()->FindFieldByNumber(k.object_field);
}

// Every resource message starts with `ObjectMeta metadata = 1`.
std::string name_in(const Message& resource) {
  const auto* md = resource.GetDescriptor()->FindFieldByNumber(1);
  const auto& meta =
      static_cast<const api::ObjectMeta&>(resource.GetReflection()->GetMessage(resource, md));
  return meta.name();
}

int index_of(const api::Intent& intent, const KindInfo& k, std::string_view name) {
  const auto* f = intent_field(k);
  const auto* r = intent.GetReflection();
  for (int i = 0; i < r->FieldSize(intent, f); ++i)
    if (name_in(r->GetRepeatedMessage(intent, f, i)) == name) return i;
  return -1;
}

api::Object wrap(const KindInfo& k, const Message& resource) {
  api::Object o;
  o.GetReflection()->MutableMessage(&o, object_field(k))->CopyFrom(resource);
  return o;
}

}  // namespace

const std::vector<KindInfo>& kinds() {
  return kKinds;
}

const KindInfo* find_kind(std::string_view name) {
  const std::string n = lower(name);
  for (const auto& k : kKinds) {
    const std::string kind = lower(k.kind), plural = k.plural;
    if (n == kind || n == plural) return &k;
  }
  return nullptr;
}

const KindInfo* kind_of(const api::Object& object) {
  for (const auto& k : kKinds)
    if (object.kind_case() == k.object_field) return &k;
  return nullptr;
}

std::string name_of(const api::Object& object) {
  const auto* k = kind_of(object);
  if (!k) return "";
  return name_in(object.GetReflection()->GetMessage(object, object_field(*k)));
}

bool upsert(api::Intent& intent, const api::Object& object) {
  const auto* k = kind_of(object);
  if (!k) return false;
  const Message& resource = object.GetReflection()->GetMessage(object, object_field(*k));
  const auto* f = intent_field(*k);
  const auto* r = intent.GetReflection();
  const int i = index_of(intent, *k, name_in(resource));
  if (i >= 0) {
    r->MutableRepeatedMessage(&intent, f, i)->CopyFrom(resource);
    return true;
  }
  r->AddMessage(&intent, f)->CopyFrom(resource);
  return false;
}

bool remove(api::Intent& intent, const KindInfo& kind, std::string_view name) {
  const int i = index_of(intent, kind, name);
  if (i < 0) return false;
  const auto* f = intent_field(kind);
  const auto* r = intent.GetReflection();
  const int last = r->FieldSize(intent, f) - 1;
  // Keep the order of the others: move the one to remove to the end first.
  for (int j = i; j < last; ++j)
    r->SwapElements(&intent, f, j, j + 1);
  r->RemoveLast(&intent, f);
  return true;
}

std::optional<api::Object> find(const api::Intent& intent, const KindInfo& kind,
                                std::string_view name) {
  const int i = index_of(intent, kind, name);
  if (i < 0) return std::nullopt;
  return wrap(kind, intent.GetReflection()->GetRepeatedMessage(intent, intent_field(kind), i));
}

std::vector<api::Object> list(const api::Intent& intent, const KindInfo& kind) {
  std::vector<api::Object> out;
  const auto* f = intent_field(kind);
  const auto* r = intent.GetReflection();
  for (int i = 0; i < r->FieldSize(intent, f); ++i)
    out.push_back(wrap(kind, r->GetRepeatedMessage(intent, f, i)));
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return name_of(a) < name_of(b); });
  return out;
}

std::vector<api::Object> objects(const api::Intent& intent) {
  std::vector<api::Object> out;
  for (const auto& k : kKinds) {
    const auto* f = intent_field(k);
    const auto* r = intent.GetReflection();
    for (int i = 0; i < r->FieldSize(intent, f); ++i)
      out.push_back(wrap(k, r->GetRepeatedMessage(intent, f, i)));
  }
  return out;
}

}  // namespace tern::intent
