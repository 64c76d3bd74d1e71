#include "ctl/kinds.hpp"

#include <algorithm>
#include <cctype>

namespace tern::ctl {
namespace {

struct KindRow {
  std::string kind;
  std::string plural;
  std::string api_version;
};

const std::vector<KindRow>& rows() {
  static const std::vector<KindRow> table = {
      {"BGPConfiguration", "bgpconfigurations", "projectcalico.org/v3"},
      {"BGPPeer", "bgppeers", "projectcalico.org/v3"},
      {"Node", "nodes", "projectcalico.org/v3"},
      {"IPPool", "ippools", "projectcalico.org/v3"},
      {"BlockAffinity", "blockaffinities", "projectcalico.org/v3"},
      {"BorrowedAddress", "borrowedaddresses", "tern.dev/v1"},
      {"BGPFilter", "bgpfilters", "projectcalico.org/v3"},
      {"Secret", "secrets", "v1"},
  };
  return table;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::optional<std::string> canonical_kind(std::string_view word) {
  const std::string w = lower(word);
  for (const auto& row : rows()) {
    if (w == lower(row.kind) || w == row.plural) return row.kind;
  }
  return std::nullopt;
}

const std::vector<std::string>& kind_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& row : rows())
      out.push_back(row.kind);
    return out;
  }();
  return names;
}

std::string api_version(std::string_view kind) {
  for (const auto& row : rows()) {
    if (row.kind == kind) return row.api_version;
  }
  return "projectcalico.org/v3";
}

std::string object_kind(const api::Object& object) {
  switch (object.kind_case()) {
    case api::Object::kBgpConfiguration:
      return "BGPConfiguration";
    case api::Object::kBgpPeer:
      return "BGPPeer";
    case api::Object::kNode:
      return "Node";
    case api::Object::kIpPool:
      return "IPPool";
    case api::Object::kBlockAffinity:
      return "BlockAffinity";
    case api::Object::kBorrowedAddress:
      return "BorrowedAddress";
    case api::Object::kBgpFilter:
      return "BGPFilter";
    case api::Object::kSecret:
      return "Secret";
    case api::Object::KIND_NOT_SET:
      break;
  }
  return "";
}

const api::ObjectMeta& object_meta(const api::Object& object) {
  switch (object.kind_case()) {
    case api::Object::kBgpConfiguration:
      return object.bgp_configuration().metadata();
    case api::Object::kBgpPeer:
      return object.bgp_peer().metadata();
    case api::Object::kNode:
      return object.node().metadata();
    case api::Object::kIpPool:
      return object.ip_pool().metadata();
    case api::Object::kBlockAffinity:
      return object.block_affinity().metadata();
    case api::Object::kBorrowedAddress:
      return object.borrowed_address().metadata();
    case api::Object::kBgpFilter:
      return object.bgp_filter().metadata();
    case api::Object::kSecret:
      return object.secret().metadata();
    case api::Object::KIND_NOT_SET:
      break;
  }
  return api::ObjectMeta::default_instance();
}

void add_to_intent(const api::Object& object, api::Intent& intent) {
  switch (object.kind_case()) {
    case api::Object::kBgpConfiguration:
      *intent.add_bgp_configurations() = object.bgp_configuration();
      break;
    case api::Object::kBgpPeer:
      *intent.add_bgp_peers() = object.bgp_peer();
      break;
    case api::Object::kNode:
      *intent.add_nodes() = object.node();
      break;
    case api::Object::kIpPool:
      *intent.add_ip_pools() = object.ip_pool();
      break;
    case api::Object::kBlockAffinity:
      *intent.add_block_affinities() = object.block_affinity();
      break;
    case api::Object::kBorrowedAddress:
      *intent.add_borrowed_addresses() = object.borrowed_address();
      break;
    case api::Object::kBgpFilter:
      *intent.add_bgp_filters() = object.bgp_filter();
      break;
    case api::Object::kSecret:
      *intent.add_secrets() = object.secret();
      break;
    case api::Object::KIND_NOT_SET:
      break;
  }
}

size_t object_count(const api::Intent& intent) {
  return static_cast<size_t>(intent.bgp_configurations_size() + intent.bgp_peers_size() +
                             intent.nodes_size() + intent.ip_pools_size() +
                             intent.block_affinities_size() + intent.borrowed_addresses_size() +
                             intent.bgp_filters_size() + intent.secrets_size());
}

}  // namespace tern::ctl
