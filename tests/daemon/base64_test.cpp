#include "daemon/intent/base64.hpp"

#include <gtest/gtest.h>

namespace tern::intent {
namespace {

TEST(Base64, Decodes) {
  EXPECT_EQ(base64_decode("dG9yLXB3"), "tor-pw");
  EXPECT_EQ(base64_decode("aWdub3JlZA=="), "ignored");
  EXPECT_EQ(base64_decode("c2VjcmV0"), "secret");
  EXPECT_EQ(base64_decode("YWI="), "ab");
  EXPECT_EQ(base64_decode("+/+/"), "\xfb\xff\xbf");
  EXPECT_EQ(base64_decode(""), "");
}

// As Go's base64.StdEncoding, which Kubernetes uses for a Secret's data.
TEST(Base64, LineBreaksAreSkipped) {
  EXPECT_EQ(base64_decode("dG9y\nLXB3\r\n"), "tor-pw");
  EXPECT_EQ(base64_decode("aWdub3JlZA=\n="), "ignored");
  EXPECT_EQ(base64_decode("\n"), "");
}

TEST(Base64, LowBitsOfTheLastCharacterMayBeSet) {
  EXPECT_EQ(base64_decode("YWJ="), "ab");
  EXPECT_EQ(base64_decode("YR=="), "a");
}

TEST(Base64, Rejects) {
  for (const char* bad : {"a", "aWdub3JlZA", "YWI", "ab$d", "c2VjcmV0!", "ab c", "ab\td",
                          "ab=", "a===", "====", "==", "abcd=", "ab==ab==", "ab=c", "YWI=\nx",
                          "dG9y-XB3", "dG9y_XB3"})
    EXPECT_FALSE(base64_decode(bad)) << bad;
}

}  // namespace
}  // namespace tern::intent
