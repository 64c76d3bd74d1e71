#include "daemon/intent/objects.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tern::intent {
namespace {

using api::find_kind;
using api::kind_of;
using api::object_name;

api::Object pool(const char* name, const char* cidr) {
  api::Object o;
  o.mutable_ip_pool()->mutable_metadata()->set_name(name);
  o.mutable_ip_pool()->mutable_spec()->set_cidr(cidr);
  return o;
}

TEST(Objects, KindsByCalicoNamePluralAndCase) {
  ASSERT_TRUE(find_kind("IPPool"));
  EXPECT_EQ(find_kind("ippools")->kind, "IPPool");
  EXPECT_EQ(find_kind("ippool")->kind, "IPPool");
  EXPECT_EQ(find_kind("BlockAffinities")->kind, "BlockAffinity");
  EXPECT_EQ(find_kind("bgpconfiguration")->kind, "BGPConfiguration");
  EXPECT_EQ(find_kind("pools"), nullptr);
  EXPECT_EQ(api::all_kinds().size(), 8u);
}

// The one table's rows agree with the schema: the Object and Intent fields of a kind hold the
// same message, named after the kind, and the apiVersion written is one a manifest may say.
TEST(Objects, KindTableMatchesTheSchema) {
  for (const auto& k : api::all_kinds()) {
    SCOPED_TRACE(std::string(k.kind));
    const auto* in_object = api::object_oneof_field(k);
    const auto* in_intent = api::intent_list_field(k);
    ASSERT_TRUE(in_object && in_intent);
    EXPECT_EQ(in_object->message_type(), in_intent->message_type());
    EXPECT_EQ(in_object->message_type()->name(), k.kind);
    ASSERT_FALSE(k.api_versions.empty());
    EXPECT_EQ(k.api_versions.front(), k.api_version);
  }
  EXPECT_EQ(find_kind("BorrowedAddress")->api_version, "tern.dev/v1");
  EXPECT_EQ(find_kind("Secret")->api_version, "v1");
}

TEST(Objects, AppendAddsWithoutLookingAndCountCoversEveryKind) {
  api::Intent in;
  append(in, pool("a", "10.0.0.0/16"));
  append(in, pool("a", "10.1.0.0/16"));
  api::Object secret;
  secret.mutable_secret()->mutable_metadata()->set_name("s");
  append(in, secret);
  append(in, api::Object());
  EXPECT_EQ(in.ip_pools_size(), 2);
  EXPECT_EQ(in.secrets_size(), 1);
  EXPECT_EQ(count(in), 3u);
}

TEST(Objects, UpsertCreatesThenReplacesByName) {
  api::Intent in;
  EXPECT_FALSE(upsert(in, pool("a", "10.0.0.0/16")));
  EXPECT_FALSE(upsert(in, pool("b", "10.1.0.0/16")));
  EXPECT_TRUE(upsert(in, pool("a", "10.2.0.0/16")));
  ASSERT_EQ(in.ip_pools_size(), 2);
  EXPECT_EQ(in.ip_pools(0).spec().cidr(), "10.2.0.0/16");
  auto got = find(in, *find_kind("IPPool"), "a");
  ASSERT_TRUE(got);
  EXPECT_EQ(object_name(*got), "a");
  EXPECT_EQ(kind_of(*got)->kind, "IPPool");
  EXPECT_FALSE(find(in, *find_kind("IPPool"), "c"));
  EXPECT_FALSE(find(in, *find_kind("Node"), "a"));
}

TEST(Objects, RemoveKeepsTheOthersInOrder) {
  api::Intent in;
  for (const char* n : {"a", "b", "c"})
    upsert(in, pool(n, "10.0.0.0/16"));
  EXPECT_TRUE(remove(in, *find_kind("IPPool"), "a"));
  EXPECT_FALSE(remove(in, *find_kind("IPPool"), "a"));
  ASSERT_EQ(in.ip_pools_size(), 2);
  EXPECT_EQ(in.ip_pools(0).metadata().name(), "b");
  EXPECT_EQ(in.ip_pools(1).metadata().name(), "c");
}

TEST(Objects, ListIsSortedByNameAndObjectsCoverEveryKind) {
  api::Intent in;
  upsert(in, pool("z", "10.0.0.0/16"));
  upsert(in, pool("m", "10.1.0.0/16"));
  api::Object node;
  node.mutable_node()->mutable_metadata()->set_name("n1");
  upsert(in, node);
  auto pools = list(in, *find_kind("IPPool"));
  ASSERT_EQ(pools.size(), 2u);
  EXPECT_EQ(object_name(pools[0]), "m");
  EXPECT_EQ(objects(in).size(), 3u);
}

}  // namespace
}  // namespace tern::intent
