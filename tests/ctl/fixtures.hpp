#pragma once
// Responses built the way ternd fills them, as protobuf text.

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <string>

namespace tern::ctl::testing {

// 2024-03-05T12:00:00Z: "now" for every SINCE column.
inline constexpr int64_t kNowMs = 1709640000000;

template <typename T>
T parse_text(const std::string& text) {
  T message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message)) << text;
  return message;
}

}  // namespace tern::ctl::testing
