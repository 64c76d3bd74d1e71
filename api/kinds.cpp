#include "api/kinds.hpp"

#include <array>
#include <cctype>

namespace tern::api {
namespace {

constexpr std::array<KindInfo, 8> kKinds{{
    {"BGPConfiguration", "bgpconfigurations", "projectcalico.org/v3",
     Object::kBgpConfigurationFieldNumber},
    {"BGPPeer", "bgppeers", "projectcalico.org/v3", Object::kBgpPeerFieldNumber},
    {"Node", "nodes", "projectcalico.org/v3", Object::kNodeFieldNumber},
    {"IPPool", "ippools", "projectcalico.org/v3", Object::kIpPoolFieldNumber},
    {"BlockAffinity", "blockaffinities", "projectcalico.org/v3", Object::kBlockAffinityFieldNumber},
    {"BorrowedAddress", "borrowedaddresses", "projectcalico.org/v3",
     Object::kBorrowedAddressFieldNumber},
    {"BGPFilter", "bgpfilters", "projectcalico.org/v3", Object::kBgpFilterFieldNumber},
    {"Secret", "secrets", "v1", Object::kSecretFieldNumber},
}};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

std::span<const KindInfo> all_kinds() {
  return kKinds;
}

const KindInfo* find_kind(std::string_view name) {
  for (const auto& k : kKinds) {
    if (iequals(name, k.kind) || iequals(name, k.plural)) return &k;
  }
  return nullptr;
}

const KindInfo* kind_of(const Object& object) {
  for (const auto& k : kKinds) {
    if (k.object_field == static_cast<int>(object.kind_case())) return &k;
  }
  return nullptr;
}

google::protobuf::Message* mutable_resource(Object& object, const KindInfo& kind) {
  const auto* field = Object::descriptor()->FindFieldByNumber(kind.object_field);
  return object.GetReflection()->MutableMessage(&object, field);
}

const google::protobuf::Message* resource(const Object& object) {
  const KindInfo* kind = kind_of(object);
  if (kind == nullptr) return nullptr;
  const auto* field = Object::descriptor()->FindFieldByNumber(kind->object_field);
  return &object.GetReflection()->GetMessage(object, field);
}

std::string object_name(const Object& object) {
  const auto* res = resource(object);
  if (res == nullptr) return {};
  const auto* meta_field = res->GetDescriptor()->FindFieldByName("metadata");
  if (meta_field == nullptr) return {};
  const auto& meta = res->GetReflection()->GetMessage(*res, meta_field);
  return static_cast<const ObjectMeta&>(meta).name();
}

}  // namespace tern::api
