// `ternctl get`: calicoctl's short tables (NAME and the fields one looks for first), or the
// objects whole as manifests (YAML) or JSON in the same apiVersion/kind/metadata/spec shape.

#include <algorithm>

#include "api/kinds.hpp"
#include "ctl/format.hpp"
#include "ctl/table.hpp"
#include "ctl/tree.hpp"
#include "daemon/intent/manifest.hpp"
#include "daemon/intent/objects.hpp"

namespace tern::ctl {
namespace {

std::string opt(bool has, uint32_t value) {
  return has ? std::to_string(value) : "";
}

std::string yes_no(bool has, bool value) {
  if (!has) return "";
  return value ? "true" : "false";
}

std::vector<std::string> headers(const std::string& kind) {
  if (kind == "IPPool") return {"NAME", "CIDR", "IPIPMODE", "VXLANMODE", "SELECTOR"};
  if (kind == "BGPPeer") return {"NAME", "PEERIP", "NODE", "ASN"};
  if (kind == "BGPConfiguration") return {"NAME", "LOGSEVERITY", "MESHENABLED", "ASNUMBER"};
  if (kind == "Node") return {"NAME", "ASN", "IPV4", "IPV6"};
  if (kind == "BlockAffinity") return {"NAME", "NODE", "CIDR", "STATE"};
  if (kind == "BorrowedAddress") return {"NAME", "NODE", "ADDRESS"};
  if (kind == "BGPFilter") return {"NAME", "EXPORTV4", "IMPORTV4", "EXPORTV6", "IMPORTV6"};
  if (kind == "Secret") return {"NAME", "KEYS"};
  return {"NAME"};
}

// Secret values never reach a table: only the keys.
std::string secret_keys(const api::Secret& s) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : s.string_data())
    keys.push_back(k);
  for (const auto& [k, v] : s.data())
    keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::string out;
  for (const auto& k : keys)
    out += (out.empty() ? "" : ",") + k;
  return out;
}

std::string rules(int n) {
  return n == 0 ? "" : std::to_string(n) + (n == 1 ? " rule" : " rules");
}

std::vector<std::string> row(const api::Object& o) {
  const std::string& name = api::object_meta(o).name();
  switch (o.kind_case()) {
    case api::Object::kIpPool: {
      const auto& s = o.ip_pool().spec();
      return {name, s.cidr(), s.ipip_mode(), s.vxlan_mode(),
              s.node_selector().empty() ? "all()" : s.node_selector()};
    }
    case api::Object::kBgpPeer: {
      const auto& s = o.bgp_peer().spec();
      std::string node = s.node();
      if (node.empty()) node = s.node_selector().empty() ? "(global)" : s.node_selector();
      std::string peer = s.peer_ip();
      if (peer.empty() && !s.peer_selector().empty()) peer = s.peer_selector();
      return {name, peer, node, opt(s.has_as_number(), s.as_number())};
    }
    case api::Object::kBgpConfiguration: {
      const auto& s = o.bgp_configuration().spec();
      return {name, s.log_severity_screen(),
              yes_no(s.has_node_to_node_mesh_enabled(), s.node_to_node_mesh_enabled()),
              opt(s.has_as_number(), s.as_number())};
    }
    case api::Object::kNode: {
      const auto& b = o.node().spec().bgp();
      return {name, opt(b.has_as_number(), b.as_number()), b.ipv4_address(), b.ipv6_address()};
    }
    case api::Object::kBlockAffinity: {
      const auto& s = o.block_affinity().spec();
      return {name, s.node(), s.cidr(), s.state().empty() ? "confirmed" : s.state()};
    }
    case api::Object::kBorrowedAddress: {
      const auto& s = o.borrowed_address().spec();
      return {name, s.node(), s.address()};
    }
    case api::Object::kBgpFilter: {
      const auto& s = o.bgp_filter().spec();
      return {name, rules(s.export_v4_size()), rules(s.import_v4_size()), rules(s.export_v6_size()),
              rules(s.import_v6_size())};
    }
    case api::Object::kSecret:
      return {name, secret_keys(o.secret())};
    case api::Object::KIND_NOT_SET:
      break;
  }
  return {name};
}

// Of a kind the table does not know (none reaches here from the CLI): Calico's usual one.
std::string api_version(std::string_view kind) {
  const api::KindInfo* info = api::find_kind(kind);
  return std::string(info ? info->api_version : "projectcalico.org/v3");
}

YAML::Node object_tree(const api::Object& o) {
  YAML::Node tree(YAML::NodeType::Map);
  const api::KindInfo* info = api::kind_of(o);
  const std::string kind = info ? std::string(info->kind) : "";
  tree["apiVersion"] = string_node(api_version(kind));
  tree["kind"] = string_node(kind);
  if (const auto* msg = api::resource(o)) {
    if (auto fields = message_tree(*msg, false)) {
      for (const auto& kv : *fields)
        tree[kv.first.Scalar()] = kv.second;
    }
  }
  return tree;
}

}  // namespace

std::string format_objects_table(const std::string& kind, const std::vector<api::Object>& objects) {
  std::vector<api::Object> sorted = objects;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return api::object_meta(a).name() < api::object_meta(b).name();
  });
  Table table(headers(kind));
  for (const auto& o : sorted)
    table.add_row(row(o));
  return table.plain();
}

std::string format_objects_yaml(const std::vector<api::Object>& objects) {
  api::Intent intent;
  for (const auto& o : objects)
    intent::append(intent, o);
  return intent::write_manifests(intent);
}

std::string format_objects_json(const std::string& kind, const std::vector<api::Object>& objects,
                                bool single) {
  if (single && objects.size() == 1) return to_json(object_tree(objects.front()));
  YAML::Node list(YAML::NodeType::Map);
  list["apiVersion"] = string_node(api_version(kind));
  list["kind"] = string_node(kind + "List");
  YAML::Node items(YAML::NodeType::Sequence);
  for (const auto& o : objects)
    items.push_back(object_tree(o));
  list["items"] = items;
  return to_json(list);
}

}  // namespace tern::ctl
