// ternd raises its own open-file soft limit to the hard limit: a thousand peers need more than
// the 1,024 descriptors a service manager usually starts it with.

#include "daemon/fd_limit.hpp"

#include <gtest/gtest.h>

namespace tern {
namespace {

TEST(FdLimit, SoftLimitIsRaisedToTheHardLimit) {
  rlimit r{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &r), 0);
  if (r.rlim_max <= 64) GTEST_SKIP() << "hard limit too low to lower the soft one";
  const rlim_t hard = r.rlim_max;
  r.rlim_cur = 64;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &r), 0);

  const FdLimit got = raise_fd_limit();
  EXPECT_EQ(got.error, "");
  EXPECT_EQ(got.before, 64u);
  EXPECT_EQ(got.now, hard);
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &r), 0);
  EXPECT_EQ(r.rlim_cur, hard);
  EXPECT_EQ(r.rlim_max, hard) << "the hard limit is not ours to change";
}

TEST(FdLimit, AlreadyAtTheHardLimitIsLeftAlone) {
  rlimit r{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &r), 0);
  r.rlim_cur = r.rlim_max;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &r), 0);
  const FdLimit got = raise_fd_limit();
  EXPECT_EQ(got.error, "");
  EXPECT_EQ(got.before, r.rlim_max);
  EXPECT_EQ(got.now, r.rlim_max);
}

}  // namespace
}  // namespace tern
