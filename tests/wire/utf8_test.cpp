// RFC 3629 UTF-8: what shutdown communications and the intent's proto3 strings must hold, byte for
// byte.

#include "bgp/wire/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tern::bgp {
namespace {

TEST(Utf8, AcceptsEverySequenceLength) {
  EXPECT_EQ(invalid_utf8_at(""), std::nullopt);
  EXPECT_EQ(invalid_utf8_at("rack-1"), std::nullopt);
  EXPECT_EQ(invalid_utf8_at(std::string("a\0b", 3)), std::nullopt);
  EXPECT_EQ(invalid_utf8_at("\xc2\x80 \xdf\xbf"), std::nullopt);  // U+0080, U+07FF
  EXPECT_EQ(invalid_utf8_at("\xe0\xa0\x80 \xed\x9f\xbf \xee\x80\x80"), std::nullopt);
  EXPECT_EQ(invalid_utf8_at("\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf"), std::nullopt);  // to U+10FFFF
}

TEST(Utf8, NamesTheFirstBadByte) {
  EXPECT_EQ(invalid_utf8_at("ab\xff"), 2u);
  EXPECT_EQ(invalid_utf8_at("\x80"), 0u);              // a lone continuation byte
  EXPECT_EQ(invalid_utf8_at("x\xc3"), 1u);             // cut short
  EXPECT_EQ(invalid_utf8_at("\xe2\x82"), 0u);          // cut short
  EXPECT_EQ(invalid_utf8_at("\xe2\x82z"), 0u);         // not a continuation
  EXPECT_EQ(invalid_utf8_at("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(invalid_utf8_at("\xc1\xbf"), 0u);          // overlong
  EXPECT_EQ(invalid_utf8_at("\xe0\x9f\xbf"), 0u);      // overlong 3-byte
  EXPECT_EQ(invalid_utf8_at("\xf0\x8f\xbf\xbf"), 0u);  // overlong 4-byte
  EXPECT_EQ(invalid_utf8_at("ok\xed\xa0\x80"), 2u);    // surrogate U+D800
  EXPECT_EQ(invalid_utf8_at("\xf4\x90\x80\x80"), 0u);  // past U+10FFFF
  EXPECT_EQ(invalid_utf8_at("\xf5\x80\x80\x80"), 0u);
  EXPECT_EQ(invalid_utf8_at("192.\xeb\xff\x7f"
                            "168"),
            4u);  // what fuzz_manifest found
}

}  // namespace
}  // namespace tern::bgp
