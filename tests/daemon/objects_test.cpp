#include "daemon/intent/objects.hpp"

#include <gtest/gtest.h>

namespace tern::intent {
namespace {

api::Object pool(const char* name, const char* cidr) {
  api::Object o;
  o.mutable_ip_pool()->mutable_metadata()->set_name(name);
  o.mutable_ip_pool()->mutable_spec()->set_cidr(cidr);
  return o;
}

TEST(Objects, KindsByCalicoNamePluralAndCase) {
  ASSERT_TRUE(find_kind("IPPool"));
  EXPECT_STREQ(find_kind("ippools")->kind, "IPPool");
  EXPECT_STREQ(find_kind("ippool")->kind, "IPPool");
  EXPECT_STREQ(find_kind("BlockAffinities")->kind, "BlockAffinity");
  EXPECT_STREQ(find_kind("bgpconfiguration")->kind, "BGPConfiguration");
  EXPECT_EQ(find_kind("pools"), nullptr);
  EXPECT_EQ(kinds().size(), 8u);
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
  EXPECT_EQ(name_of(*got), "a");
  EXPECT_STREQ(kind_of(*got)->kind, "IPPool");
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
  EXPECT_EQ(name_of(pools[0]), "m");
  EXPECT_EQ(objects(in).size(), 3u);
}

}  // namespace
}  // namespace tern::intent
