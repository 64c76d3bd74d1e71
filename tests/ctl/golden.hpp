#pragma once
// Compares text with tests/ctl/golden/NAME.txt; TERN_UPDATE_GOLDEN=1 rewrites the file instead.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace tern::ctl::testing {

inline std::string test_path(const std::string& relative) {
  return std::string(TERN_CTL_TEST_DIR) + "/" + relative;
}

inline void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = test_path("golden/" + name + ".txt");
  const char* update = std::getenv("TERN_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path) << actual;
    return;
  }
  std::ifstream file(path);
  ASSERT_TRUE(file) << "missing golden " << path << " (run with TERN_UPDATE_GOLDEN=1)";
  std::stringstream expected;
  expected << file.rdbuf();
  EXPECT_EQ(expected.str(), actual) << "golden " << path;
}

}  // namespace tern::ctl::testing
