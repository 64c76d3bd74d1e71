// RFC 7606 row by row (../shared/reference/rfc-and-reliability.md 1.1): each case feeds
// hand-built malformed bytes and checks the action, and for a session reset the exact
// NOTIFICATION tern would send.

#include <gtest/gtest.h>

#include "bgp/wire/as_path.hpp"
#include "tests/wire/wire_test_util.hpp"

namespace tern::bgp::testing {
namespace {

struct Row {
  const char* name;
  Bytes withdrawn;
  Bytes attrs;
  Bytes nlri;
  Action expect;
  Bytes notification;  // exact bytes when expect is kSessionReset
  int reachable = -1;  // NLRI the receiver must still see (to withdraw them), -1: unchecked
  bool ebgp = false;
  bool as2 = false;  // peer is an OLD (2-octet AS) speaker
};

Bytes O() {
  return origin_igp();
}
Bytes P() {
  return as_path_65000();
}
Bytes N() {
  return next_hop_10_0_0_1();
}
Bytes base() {
  return base_attrs();
}
Bytes nlri() {
  return nlri_10_1_2();
}
Bytes mp_reach_v6() {
  return attribute(0x80, 14,
                   hex("0002 01 10 fd000000000000000000000000000001 00 40fd00000000000001"));
}
Bytes mp_unreach_v6() {
  return attribute(0x80, 15, hex("0002 01 40fd00000000000002"));
}
Bytes N3(uint8_t code, uint8_t sub, Bytes data = {}) {
  return notification_message(code, sub, data);
}

const Row kRows[] = {
    // ---- section 3: general rules
    {"s3b_lengths_exceed_message_reset", {}, {}, {}, Action::kSessionReset, N3(3, 1)},
    {"s3c_origin_flagged_optional_taw",
     {},
     cat({attribute(0xc0, 1, {0}), P(), N()}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s3c_partial_bit_on_well_known_taw",
     {},
     cat({attribute(0x60, 1, {0}), P(), N()}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s3c_aggregator_flagged_well_known_discard",
     {},
     cat({base(), attribute(0x40, 7, hex("0000fde8 0a000001"))}),
     nlri(),
     Action::kAttributeDiscard,
     {},
     1},
    {"s3c_med_flagged_transitive_taw",
     {},
     cat({base(), attribute(0xc0, 4, hex("00000064"))}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s3d_missing_origin_taw", {}, cat({P(), N()}), nlri(), Action::kTreatAsWithdraw, {}, 1},
    {"s3d_missing_as_path_taw", {}, cat({O(), N()}), nlri(), Action::kTreatAsWithdraw, {}, 1},
    {"s3d_missing_next_hop_with_ipv4_nlri_taw",
     {},
     cat({O(), P()}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s3d_no_next_hop_needed_for_mp_reach_only",
     {},
     cat({mp_reach_v6(), O(), P()}),
     {},
     Action::kNone,
     {},
     1},
    {"s3d_ipv4_nlri_does_not_borrow_mp_next_hop_taw",
     {},
     cat({mp_reach_v6(), O(), P()}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     2},
    {"s3d_withdraw_only_needs_no_mandatory_attributes", nlri(), {}, {}, Action::kNone},
    {"s3g_mp_reach_twice_reset",
     {},
     cat({mp_reach_v6(), mp_reach_v6(), O(), P()}),
     {},
     Action::kSessionReset,
     N3(3, 1)},
    {"s3g_mp_unreach_twice_reset",
     {},
     cat({mp_unreach_v6(), mp_unreach_v6()}),
     {},
     Action::kSessionReset,
     N3(3, 1)},
    {"s3g_other_attribute_twice_first_kept",
     {},
     cat({base(), O()}),
     nlri(),
     Action::kAttributeDiscard,
     {},
     1},
    {"s3h_discard_and_withdraw_withdraw_wins",
     {},
     cat({base(), attribute(0x40, 6, {1}), attribute(0x80, 4, hex("0064"))}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s3h_withdraw_then_reset_reset_wins",
     {},
     cat({attribute(0x40, 1, {7}), P(), mp_reach_v6(), mp_reach_v6()}),
     {},
     Action::kSessionReset,
     N3(3, 1)},
    {"s3i_withdrawn_prefix_too_long_reset",
     hex("21 0a000000 00"),
     {},
     {},
     Action::kSessionReset,
     N3(3, 10)},
    {"s3i_withdrawn_prefix_overruns_reset",
     hex("18 0a01"),
     {},
     {},
     Action::kSessionReset,
     N3(3, 10)},
    {"s3j_nlri_prefix_overruns_reset",
     {},
     base(),
     hex("180a0102 180a01"),
     Action::kSessionReset,
     N3(3, 10)},
    // ---- section 4: attribute lengths
    {"s4_last_attribute_overruns_section_taw_nlri_still_found",
     {},
     cat({base(), hex("c0 08 08 0000fde8")}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s4_fewer_than_three_octets_left_taw",
     {},
     cat({base(), hex("4001")}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s4_extended_length_fewer_than_four_octets_left_taw",
     {},
     cat({base(), hex("500100")}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s4_zero_length_origin_taw",
     {},
     cat({attribute(0x40, 1, {}), P(), N()}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s4_zero_length_as_path_allowed",
     {},
     cat({O(), attribute(0x40, 2, {}), N()}),
     nlri(),
     Action::kNone,
     {},
     1},
    {"s4_zero_length_atomic_aggregate_allowed",
     {},
     cat({base(), attribute(0x40, 6, {})}),
     nlri(),
     Action::kNone,
     {},
     1},
    {"s4_mp_unreach_overrunning_section_reset",
     {},
     cat({base(), hex("800f08 000201 40fd00")}),
     nlri(),
     Action::kSessionReset,
     N3(3, 1)},
    {"s4_mp_reach_overrunning_section_reset",
     {},
     cat({base(), hex("800e30 0002 01 10 fd000000000000000000000000000001")}),
     nlri(),
     Action::kSessionReset,
     N3(3, 1)},
    // ---- section 5
    {"s51_any_attribute_order_accepted",
     {},
     cat({N(), attribute(0x80, 4, hex("00000005")), P(), O(), mp_reach_v6()}),
     nlri(),
     Action::kNone,
     {},
     2},
    {"s52_bad_origin_with_nothing_announced_reset",
     nlri(),
     attribute(0x40, 1, {3}),
     {},
     Action::kSessionReset,
     N3(3, 6, hex("40010103"))},
    {"s52_bad_med_with_nothing_announced_reset",
     {},
     attribute(0x80, 4, hex("000064")),
     {},
     Action::kSessionReset,
     N3(3, 5, hex("8004 03 000064"))},
    {"s52_discard_only_with_nothing_announced_stays_up",
     nlri(),
     attribute(0xc0, 7, hex("0001")),
     {},
     Action::kAttributeDiscard},
    {"s52_ignored_mp_reach_still_counts_as_announcing",
     {},
     cat({attribute(0x40, 1, {7}), P(), attribute(0x80, 14, hex("0019 46 04 0a000001 00 0000"))}),
     {},
     Action::kTreatAsWithdraw},
    {"s52_end_of_rib_ipv6_is_exempt", {}, attribute(0x80, 15, hex("000201")), {}, Action::kNone},
    {"s53_nlri_prefix_length_33_reset",
     {},
     base(),
     hex("21 0a010203 00"),
     Action::kSessionReset,
     N3(3, 10)},
    {"s53_mp_reach_prefix_length_129_reset",
     {},
     cat({O(), P(),
          attribute(0x80, 14,
                    hex("0002 01 10 fd000000000000000000000000000001 00 81"
                        "fd000000000000000000000000000000 00"))}),
     {},
     Action::kSessionReset,
     N3(3, 9,
        attribute(0x80, 14,
                  hex("0002 01 10 fd000000000000000000000000000001 00 81"
                      "fd000000000000000000000000000000 00")))},
    {"s53_mp_reach_last_prefix_overruns_reset",
     {},
     cat({O(), P(),
          attribute(0x80, 14, hex("0002 01 10 fd000000000000000000000000000001 00 40fd00"))}),
     {},
     Action::kSessionReset,
     N3(3, 9, attribute(0x80, 14, hex("0002 01 10 fd000000000000000000000000000001 00 40fd00")))},
    {"s53_mp_reach_shorter_than_5_reset",
     {},
     cat({O(), P(), attribute(0x80, 14, hex("000201"))}),
     {},
     Action::kSessionReset,
     N3(3, 9, attribute(0x80, 14, hex("000201")))},
    {"s53_mp_unreach_shorter_than_3_reset",
     {},
     attribute(0x80, 15, hex("0002")),
     {},
     Action::kSessionReset,
     N3(3, 9, attribute(0x80, 15, hex("0002")))},
    {"s53_mp_reach_flags_inconsistent_reset",
     {},
     cat({O(), P(), attribute(0x40, 14, hex("0002 01 10 fd000000000000000000000000000001 00"))}),
     {},
     Action::kSessionReset,
     N3(3, 4, attribute(0x40, 14, hex("0002 01 10 fd000000000000000000000000000001 00")))},
    {"s53_mp_unreach_flags_inconsistent_reset",
     {},
     attribute(0xc0, 15, hex("000201")),
     {},
     Action::kSessionReset,
     N3(3, 4, attribute(0xc0, 15, hex("000201")))},
    // ---- section 7: per attribute
    {"s71_origin_length_2_taw",
     {},
     cat({attribute(0x40, 1, hex("0000")), P(), N()}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s71_origin_value_3_taw",
     {},
     cat({attribute(0x40, 1, {3}), P(), N()}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s72_as_path_unknown_segment_type_taw",
     {},
     cat({O(), attribute(0x40, 2, hex("0501 0000fde8")), N()}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s72_as_path_segment_overrun_taw",
     {},
     cat({O(), attribute(0x40, 2, hex("0202 0000fde8")), N()}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s72_as_path_segment_underrun_taw",
     {},
     cat({O(), attribute(0x40, 2, hex("0201 0000fde8 00")), N()}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s72_as_path_zero_length_segment_taw",
     {},
     cat({O(), attribute(0x40, 2, hex("0200")), N()}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s72_as_path_confed_from_ebgp_taw",
     {},
     cat({O(), attribute(0x40, 2, hex("0301 0000fde8")), N()}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1,
     true},
    {"s72_as_path_confed_from_ibgp_accepted",
     {},
     cat({O(), attribute(0x40, 2, hex("0301 0000fde8")), N()}),
     nlri(),
     Action::kNone,
     {},
     1},
    {"s72_as_path_as0_taw_rfc7607",
     {},
     cat({O(), attribute(0x40, 2, hex("0201 00000000")), N()}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s72_as_path_2octet_odd_length_taw",
     {},
     cat({O(), attribute(0x40, 2, hex("0201 fde8 00")), N()}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1,
     false,
     true},
    {"s73_next_hop_length_5_taw",
     {},
     cat({O(), P(), attribute(0x40, 3, hex("0a00000100"))}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s74_med_length_3_taw",
     {},
     cat({base(), attribute(0x80, 4, hex("000064"))}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s75_local_pref_from_ebgp_discarded",
     {},
     cat({base(), attribute(0x40, 5, hex("00000064"))}),
     nlri(),
     Action::kAttributeDiscard,
     {},
     1,
     true},
    {"s75_local_pref_from_ibgp_length_2_taw",
     {},
     cat({base(), attribute(0x40, 5, hex("0064"))}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s76_atomic_aggregate_length_1_discard",
     {},
     cat({base(), attribute(0x40, 6, {0})}),
     nlri(),
     Action::kAttributeDiscard,
     {},
     1},
    {"s77_aggregator_length_6_on_4octet_session_discard",
     {},
     cat({base(), attribute(0xc0, 7, hex("fde8 0a000001"))}),
     nlri(),
     Action::kAttributeDiscard,
     {},
     1},
    {"s77_aggregator_length_8_on_2octet_session_discard",
     {},
     cat({O(), attribute(0x40, 2, hex("0201 fde8")), N(),
          attribute(0xc0, 7, hex("0000fde8 0a000001"))}),
     nlri(),
     Action::kAttributeDiscard,
     {},
     1,
     false,
     true},
    {"s77_aggregator_as0_discard_rfc7607",
     {},
     cat({base(), attribute(0xc0, 7, hex("00000000 0a000001"))}),
     nlri(),
     Action::kAttributeDiscard,
     {},
     1},
    {"rfc6793_as4_aggregator_as0_discard",
     {},
     cat({O(), attribute(0x40, 2, hex("0201 5ba0")), N(), attribute(0xc0, 7, hex("5ba0 0a000001")),
          attribute(0xc0, 18, hex("00000000 0a000001"))}),
     nlri(),
     Action::kAttributeDiscard,
     {},
     1,
     false,
     true},
    {"s78_communities_length_0_taw",
     {},
     cat({base(), attribute(0xc0, 8, {})}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s78_communities_length_5_taw",
     {},
     cat({base(), attribute(0xc0, 8, hex("fde8006400"))}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s79_originator_id_from_ebgp_discarded",
     {},
     cat({base(), attribute(0x80, 9, hex("0a000009"))}),
     nlri(),
     Action::kAttributeDiscard,
     {},
     1,
     true},
    {"s79_originator_id_from_ibgp_length_3_taw",
     {},
     cat({base(), attribute(0x80, 9, hex("0a0000"))}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s710_cluster_list_from_ebgp_discarded",
     {},
     cat({base(), attribute(0x80, 10, hex("0a000009"))}),
     nlri(),
     Action::kAttributeDiscard,
     {},
     1,
     true},
    {"s710_cluster_list_from_ibgp_length_0_taw",
     {},
     cat({base(), attribute(0x80, 10, {})}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s710_cluster_list_from_ibgp_length_6_taw",
     {},
     cat({base(), attribute(0x80, 10, hex("0a0000090a00"))}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s711_mp_reach_next_hop_length_inconsistent_reset",
     {},
     cat({O(), P(), attribute(0x80, 14, hex("0002 01 05 fd00000000 00 40fd00000000000001"))}),
     {},
     Action::kSessionReset,
     N3(3, 9, attribute(0x80, 14, hex("0002 01 05 fd00000000 00 40fd00000000000001")))},
    {"s712_mp_unreach_prefix_overruns_reset",
     {},
     attribute(0x80, 15, hex("000201 40fd00")),
     {},
     Action::kSessionReset,
     N3(3, 9, attribute(0x80, 15, hex("000201 40fd00")))},
    {"s714_ext_communities_length_0_taw",
     {},
     cat({base(), attribute(0xc0, 16, {})}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s714_ext_communities_length_9_taw",
     {},
     cat({base(), attribute(0xc0, 16, hex("000200000000006400"))}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"s714_ext_communities_unknown_type_accepted",
     {},
     cat({base(), attribute(0xc0, 16, hex("7f7f000000000064"))}),
     nlri(),
     Action::kNone,
     {},
     1},
    {"rfc6793_as4_path_malformed_discard",
     {},
     cat({O(), attribute(0x40, 2, hex("0201 5ba0")), N(),
          attribute(0xc0, 17, hex("0202 00010000"))}),
     nlri(),
     Action::kAttributeDiscard,
     {},
     1,
     false,
     true},
    {"rfc6793_as4_path_with_as0_discard",
     {},
     cat({O(), attribute(0x40, 2, hex("0201 5ba0")), N(),
          attribute(0xc0, 17, hex("0201 00000000"))}),
     nlri(),
     Action::kAttributeDiscard,
     {},
     1,
     false,
     true},
    {"rfc6793_as4_path_from_new_speaker_discard",
     {},
     cat({base(), attribute(0xc0, 17, hex("0201 00010000"))}),
     nlri(),
     Action::kAttributeDiscard,
     {},
     1},
    {"rfc6793_as4_aggregator_length_7_discard",
     {},
     cat({O(), attribute(0x40, 2, hex("0201 5ba0")), N(),
          attribute(0xc0, 18, hex("00010000 0a0000"))}),
     nlri(),
     Action::kAttributeDiscard,
     {},
     1,
     false,
     true},
    {"rfc8092_large_communities_length_13_taw",
     {},
     cat({base(), attribute(0xc0, 32, hex("0000fde8 00000001 00000002 00"))}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"rfc8092_large_communities_length_0_taw",
     {},
     cat({base(), attribute(0xc0, 32, {})}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"rfc9234_otc_length_3_taw",
     {},
     cat({base(), attribute(0xc0, 35, hex("0000fd"))}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"rfc9234_otc_flagged_non_transitive_taw",
     {},
     cat({base(), attribute(0x80, 35, hex("0000fde8"))}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"unknown_well_known_attribute_taw",
     {},
     cat({base(), attribute(0x40, 99, hex("01"))}),
     nlri(),
     Action::kTreatAsWithdraw,
     {},
     1},
    {"unknown_optional_attribute_is_not_an_error",
     {},
     cat({base(), attribute(0xc0, 99, hex("01")), attribute(0x80, 98, hex("02"))}),
     nlri(),
     Action::kNone,
     {},
     1},
    {"mp_reach_for_family_not_negotiated_ignored",
     {},
     cat({base(), attribute(0x80, 14, hex("0019 46 04 0a000001 00 0000"))}),
     nlri(),
     Action::kNone,
     {},
     1},
};

// Keeps gtest from dumping the row's bytes when a case fails; the name says which row.
void PrintTo(const Row& row, std::ostream* os) {
  *os << row.name;
}

class Rfc7606 : public ::testing::TestWithParam<Row> {};

TEST_P(Rfc7606, Action) {
  const Row& row = GetParam();
  CodecContext ctx;
  ctx.ebgp = row.ebgp;
  ctx.four_octet_as = !row.as2;
  Bytes msg;
  if (std::string_view(row.name) == "s3b_lengths_exceed_message_reset") {
    // Withdrawn Routes Length claims more than the message holds.
    msg = message(2, hex("0010 0000"));
  } else {
    msg = update_message(row.withdrawn, row.attrs, row.nlri);
  }
  auto r = decode(msg, ctx);
  if (row.expect == Action::kSessionReset) {
    ASSERT_FALSE(r.ok()) << "decoded: " << to_string(r.value());
    EXPECT_EQ(r.error().action, Action::kSessionReset);
    EXPECT_EQ(to_hex(notification_for(r.error())), to_hex(row.notification))
        << to_string(r.error());
    return;
  }
  ASSERT_TRUE(r.ok()) << to_string(r.error());
  const auto& u = std::get<Update>(*r);
  std::string problems;
  for (const auto& p : u.problems)
    problems += "\n  " + to_string(p);
  EXPECT_EQ(to_string(u.action), std::string(to_string(row.expect))) << problems;
  if (row.reachable >= 0) {
    const size_t n = u.nlri.size() + (u.mp_reach ? u.mp_reach->nlri.size() : 0);
    EXPECT_EQ(n, static_cast<size_t>(row.reachable)) << "NLRI must still be found to withdraw them";
  }
}

INSTANTIATE_TEST_SUITE_P(rfc7606, Rfc7606, ::testing::ValuesIn(kRows),
                         [](const auto& info) { return std::string(info.param.name); });

// ---- details the table cannot express

TEST(Rfc7606Detail, RepeatedAttributeKeepsTheFirstCopy) {
  auto r = decode(update_message({}, cat({base(), attribute(0x40, 1, {2})}), nlri()), {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<Update>(*r).attrs.origin, Origin::kIgp);
}

TEST(Rfc7606Detail, DiscardedAttributeIsAbsentOthersKept) {
  auto r = decode(
      update_message(
          {}, cat({base(), attribute(0x40, 6, {0}), attribute(0xc0, 8, hex("fde80064"))}), nlri()),
      {});
  ASSERT_TRUE(r.ok());
  const auto& u = std::get<Update>(*r);
  EXPECT_FALSE(u.attrs.atomic_aggregate);
  ASSERT_TRUE(u.attrs.communities.has_value());
  EXPECT_EQ(u.attrs.communities->at(0), 0xfde80064u);
  ASSERT_EQ(u.problems.size(), 1u);
  EXPECT_EQ(u.problems[0].attr_type, 6);
}

TEST(Rfc7606Detail, TreatAsWithdrawStillParsesEveryNlriAfterABadAttribute) {
  // FRR PR #14129: after deciding treat-as-withdraw the parser must resume at the end of the
  // attribute section, or the NLRI are misread.
  const Bytes nlri3 = hex("180a0102 100a02 200a030405");
  auto r = decode(update_message({}, cat({attribute(0x40, 1, {9}), P(), N()}), nlri3), {});
  ASSERT_TRUE(r.ok());
  const auto& u = std::get<Update>(*r);
  EXPECT_EQ(u.action, Action::kTreatAsWithdraw);
  ASSERT_EQ(u.nlri.size(), 3u);
  EXPECT_EQ(u.nlri[2].prefix, pfx("10.3.4.5/32"));
}

TEST(Rfc7606Detail, UnknownOptionalTransitiveKeptWithPartialBit) {
  auto r =
      decode(update_message(
                 {}, cat({base(), attribute(0xc0, 99, hex("01")), attribute(0x80, 98, hex("02"))}),
                 nlri()),
             {});
  ASSERT_TRUE(r.ok());
  const auto& u = std::get<Update>(*r);
  ASSERT_EQ(u.attrs.unknown.size(), 1u) << "non-transitive unknown attributes are dropped";
  EXPECT_EQ(u.attrs.unknown[0].type, 99);
  EXPECT_EQ(u.attrs.unknown[0].flags, 0xe0);
}

TEST(Rfc7606Detail, MultipleErrorsAreAllReported) {
  auto r = decode(
      update_message({}, cat({attribute(0x40, 1, {9}), P(), N(), attribute(0x40, 6, {1})}), nlri()),
      {});
  ASSERT_TRUE(r.ok());
  const auto& u = std::get<Update>(*r);
  ASSERT_EQ(u.problems.size(), 2u);
  EXPECT_EQ(u.problems[0].action, Action::kTreatAsWithdraw);
  EXPECT_EQ(u.problems[0].subcode, err::kInvalidOrigin);
  EXPECT_EQ(u.problems[1].action, Action::kAttributeDiscard);
}

TEST(Rfc7606Detail, As4PathConfedSegmentsAreDropped) {
  CodecContext ctx;
  ctx.four_octet_as = false;
  // AS_PATH 23456 100; AS4_PATH (confed 7) 4200000000 100.
  auto r =
      decode(update_message({},
                            cat({O(), attribute(0x40, 2, hex("0202 5ba0 0064")), N(),
                                 attribute(0xc0, 17, hex("0301 00000007 0202 fa56ea00 00000064"))}),
                            nlri()),
             ctx);
  ASSERT_TRUE(r.ok());
  const auto& u = std::get<Update>(*r);
  EXPECT_EQ(u.action, Action::kNone);
  ASSERT_TRUE(u.attrs.as_path);
  EXPECT_EQ(to_string(*u.attrs.as_path), "4200000000 100");
}

}  // namespace
}  // namespace tern::bgp::testing
