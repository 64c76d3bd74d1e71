#pragma once
// Test cases' intents, written as protobuf text (tests/daemon/plan/cases/<case>/intent.textproto).

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "api/tern.pb.h"

namespace tern::plan {

inline std::string case_dir(const std::string& name) {
  return std::string(TERN_PLAN_CASES) + "/" + name;
}

inline api::Intent load_intent(const std::string& name) {
  api::Intent intent;
  std::ifstream in(case_dir(name) + "/intent.textproto");
  EXPECT_TRUE(in) << "no intent for case " << name;
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text.str(), &intent))
      << "case " << name << ": intent.textproto does not parse";
  return intent;
}

// Builders for intents written in code.
inline api::Node& add_node(api::Intent& i, const std::string& name, const std::string& v4,
                           const std::string& v6 = "") {
  auto* n = i.add_nodes();
  n->mutable_metadata()->set_name(name);
  if (!v4.empty()) n->mutable_spec()->mutable_bgp()->set_ipv4_address(v4);
  if (!v6.empty()) n->mutable_spec()->mutable_bgp()->set_ipv6_address(v6);
  return *n;
}

inline api::IPPoolSpec& add_pool(api::Intent& i, const std::string& cidr) {
  auto* p = i.add_ip_pools();
  p->mutable_metadata()->set_name("pool-" + std::to_string(i.ip_pools_size()));
  p->mutable_spec()->set_cidr(cidr);
  return *p->mutable_spec();
}

inline void add_block(api::Intent& i, const std::string& node, const std::string& cidr,
                      const std::string& state = "confirmed") {
  auto* a = i.add_block_affinities();
  a->mutable_metadata()->set_name(node + "-" + cidr);
  a->mutable_spec()->set_node(node);
  a->mutable_spec()->set_cidr(cidr);
  a->mutable_spec()->set_state(state);
}

inline api::BGPConfigurationSpec& config(api::Intent& i, const std::string& name = "default") {
  for (auto& c : *i.mutable_bgp_configurations())
    if (c.metadata().name() == name) return *c.mutable_spec();
  auto* c = i.add_bgp_configurations();
  c->mutable_metadata()->set_name(name);
  return *c->mutable_spec();
}

inline api::BGPPeerSpec& add_peer(api::Intent& i, const std::string& name) {
  auto* p = i.add_bgp_peers();
  p->mutable_metadata()->set_name(name);
  return *p->mutable_spec();
}

}  // namespace tern::plan
