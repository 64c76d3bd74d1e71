// AS_PATH length rules and the RFC 6793 merge and split.

#include <gtest/gtest.h>

#include "bgp/wire/as_path.hpp"
#include "tests/wire/wire_test_util.hpp"

namespace tern::bgp::testing {
namespace {

AsPath seq(std::vector<uint32_t> asns) {
  return AsPath{{{SegmentType::kSequence, std::move(asns)}}};
}

TEST(AsPath, LengthCountsSetsAsOneAndIgnoresConfederations) {
  AsPath p{{{SegmentType::kConfedSequence, {1, 2}},
            {SegmentType::kSequence, {10, 20, 30}},
            {SegmentType::kSet, {40, 50}}}};
  EXPECT_EQ(p.length(), 4u);
}

TEST(AsPath, MergeReplacesAsTransWithTheRealNumbers) {
  // OLD speaker path: 65001 23456 23456 100, AS4_PATH: 4200000001 4200000002 100.
  const AsPath merged =
      merge_as4_path(seq({65001, kAsTrans, kAsTrans, 100}), seq({4200000001u, 4200000002u, 100}));
  EXPECT_EQ(to_string(merged), "65001 4200000001 4200000002 100");
}

TEST(AsPath, MergeIgnoresAnAs4PathLongerThanTheAsPath) {
  const AsPath as_path = seq({65001, 100});
  EXPECT_EQ(merge_as4_path(as_path, seq({1, 2, 3})), as_path);
}

TEST(AsPath, MergeKeepsLeadingSetsAndConfederations) {
  AsPath as_path{{{SegmentType::kConfedSequence, {7}},
                  {SegmentType::kSet, {65010, 65011}},
                  {SegmentType::kSequence, {kAsTrans, 100}}}};
  const AsPath merged = merge_as4_path(as_path, seq({4200000001u, 100}));
  EXPECT_EQ(to_string(merged), "(7) {65010,65011} 4200000001 100");
}

TEST(AsPath, SplitForOldSpeakerUsesAsTransAndAs4Path) {
  Update u;
  u.attrs.origin = Origin::kIgp;
  u.attrs.as_path = seq({4200000001u, 65001});
  u.attrs.next_hop = IpAddr::v4(0x0a000001);
  u.attrs.aggregator = Aggregator{4200000001u, 0x0a000001};
  u.nlri = {{pfx("10.1.0.0/16"), 0}};
  CodecContext old;
  old.four_octet_as = false;
  auto bytes = encode(Message{u}, old);
  ASSERT_TRUE(bytes.ok());
  const std::string h = to_hex(*bytes);
  EXPECT_NE(h.find("4002060202"
                   "5ba0"
                   "fde9"),
            std::string::npos)
      << h;  // AS_PATH
  EXPECT_NE(h.find("c00706"
                   "5ba0"
                   "0a000001"),
            std::string::npos)
      << h;  // AGGREGATOR
  EXPECT_NE(h.find("c0110a0202"
                   "fa56ea01"
                   "0000fde9"),
            std::string::npos)
      << h;  // AS4_PATH
  EXPECT_NE(h.find("c01208"
                   "fa56ea01"
                   "0a000001"),
            std::string::npos)
      << h;  // AS4_AGGREGATOR
  // And an OLD receiver that understands AS4 gets the original back.
  auto back = decode(*bytes, old);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(std::get<Update>(*back), u);
}

TEST(AsPath, NoAs4PathWhenEveryNumberFits) {
  Update u;
  u.attrs.origin = Origin::kIgp;
  u.attrs.as_path = seq({65001, 65002});
  CodecContext old;
  old.four_octet_as = false;
  auto bytes = encode(Message{u}, old);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(to_hex(*bytes).find("c011"), std::string::npos);
}

TEST(AsPath, Aggregator4FromOldSpeakerIgnoredWhenAggregatorIsReal) {
  CodecContext old;
  old.four_octet_as = false;
  const Bytes attrs = cat({origin_igp(), attribute(0x40, 2, hex("0202 5ba0 0064")),
                           next_hop_10_0_0_1(), attribute(0xc0, 7, hex("0064 0a000001")),
                           attribute(0xc0, 17, hex("0202 fa56ea01 00000064")),
                           attribute(0xc0, 18, hex("fa56ea01 0a000001"))});
  auto r = decode(update_message({}, attrs, nlri_10_1_2()), old);
  ASSERT_TRUE(r.ok());
  const auto& a = std::get<Update>(*r).attrs;
  EXPECT_EQ(a.aggregator->asn, 100u);
  EXPECT_EQ(to_string(*a.as_path), "23456 100") << "AS4_PATH must be ignored too";
}

TEST(AsPath, LongSegmentsAreSplitAt255) {
  std::vector<uint32_t> many(300);
  for (size_t i = 0; i < many.size(); ++i)
    many[i] = static_cast<uint32_t>(i + 1);
  Update u;
  u.attrs.origin = Origin::kIgp;
  u.attrs.as_path = seq(many);
  auto bytes = encode(Message{u}, {});
  ASSERT_TRUE(bytes.ok());
  auto back = decode(*bytes, {});
  ASSERT_TRUE(back.ok());
  const auto& p = *std::get<Update>(*back).attrs.as_path;
  ASSERT_EQ(p.segments.size(), 2u);
  EXPECT_EQ(p.segments[0].asns.size(), 255u);
  EXPECT_EQ(p.length(), 300u);
}

}  // namespace
}  // namespace tern::bgp::testing
