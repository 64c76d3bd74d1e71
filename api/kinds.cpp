#include "api/kinds.hpp"

#include <array>
#include <cctype>

namespace tern::api {
namespace {

// Manifests exported from a cluster's CRDs say crd.projectcalico.org/v1.
constexpr std::array<std::string_view, 2> kCalico{"projectcalico.org/v3",
                                                  "crd.projectcalico.org/v1"};
// tern's own kind: Calico keeps borrowing inside IPAM blocks, which tern does not model.
constexpr std::array<std::string_view, 3> kTern{"tern.dev/v1", "projectcalico.org/v3",
                                                "crd.projectcalico.org/v1"};
constexpr std::array<std::string_view, 1> kCore{"v1"};

constexpr KindInfo calico(std::string_view kind, std::string_view plural, int object_field,
                          int intent_field) {
  return {kind, plural, kCalico.front(), kCalico, object_field, intent_field};
}

constexpr std::array<KindInfo, 8> kKinds{{
    calico("BGPConfiguration", "bgpconfigurations", Object::kBgpConfigurationFieldNumber,
           Intent::kBgpConfigurationsFieldNumber),
    calico("BGPPeer", "bgppeers", Object::kBgpPeerFieldNumber, Intent::kBgpPeersFieldNumber),
    calico("Node", "nodes", Object::kNodeFieldNumber, Intent::kNodesFieldNumber),
    calico("IPPool", "ippools", Object::kIpPoolFieldNumber, Intent::kIpPoolsFieldNumber),
    calico("BlockAffinity", "blockaffinities", Object::kBlockAffinityFieldNumber,
           Intent::kBlockAffinitiesFieldNumber),
    {"BorrowedAddress", "borrowedaddresses", kTern.front(), kTern,
     Object::kBorrowedAddressFieldNumber, Intent::kBorrowedAddressesFieldNumber},
    calico("BGPFilter", "bgpfilters", Object::kBgpFilterFieldNumber,
           Intent::kBgpFiltersFieldNumber),
    {"Secret", "secrets", kCore.front(), kCore, Object::kSecretFieldNumber,
     Intent::kSecretsFieldNumber},
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

const google::protobuf::FieldDescriptor* object_oneof_field(const KindInfo& kind) {
  return Object::descriptor()->FindFieldByNumber(kind.object_field);
}

const google::protobuf::FieldDescriptor* intent_list_field(const KindInfo& kind) {
  return Intent::descriptor()->FindFieldByNumber(kind.intent_field);
}

google::protobuf::Message* mutable_resource(Object& object, const KindInfo& kind) {
  return object.GetReflection()->MutableMessage(&object, object_oneof_field(kind));
}

const google::protobuf::Message* resource(const Object& object) {
  const KindInfo* kind = kind_of(object);
  if (kind == nullptr) return nullptr;
  return &object.GetReflection()->GetMessage(object, object_oneof_field(*kind));
}

const ObjectMeta& resource_meta(const google::protobuf::Message& resource) {
  const auto* field = resource.GetDescriptor()->FindFieldByNumber(1);
  return static_cast<const ObjectMeta&>(resource.GetReflection()->GetMessage(resource, field));
}

const ObjectMeta& object_meta(const Object& object) {
  const auto* res = resource(object);
  return res == nullptr ? ObjectMeta::default_instance() : resource_meta(*res);
}

std::string object_name(const Object& object) {
  return object_meta(object).name();
}

}  // namespace tern::api
