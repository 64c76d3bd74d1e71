// kill -9 against a stream of commits: whatever moment the writer dies, the store it leaves
// loads, and holds the last revision the writer acknowledged (or the one it was committing),
// with exactly that revision's content.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <google/protobuf/util/message_differencer.h>
#include <chrono>
#include <cstdlib>
#include <random>
#include <string>

#include "daemon/intent/store.hpp"
#include "tests/daemon/store_test_util.hpp"
#include "tests/daemon/store_writer_content.hpp"

namespace tern::intent {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The writer process; whatever happens to the test, it is killed and reaped by its PID.
class Writer {
 public:
  explicit Writer(const fs::path& store) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    const std::string program = TERN_STORE_WRITER;
    const std::string path = store.string();
    char* const argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>(path.c_str()),
                          nullptr};
    pid_ = ::fork();
    if (pid_ == 0) {
      // Only async-signal-safe calls between fork and exec.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::dup2(fds[1], STDOUT_FILENO);
      ::execv(argv[0], argv);
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
  }
  ~Writer() {
    kill_and_reap();
    if (out_ >= 0) ::close(out_);
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  bool started() const { return pid_ > 0 && out_ >= 0; }

  // Reads acknowledgements until `deadline` (or EOF if the deadline is not set).
  void read_until(std::optional<Clock::time_point> deadline) {
    for (;;) {
      int timeout_ms = -1;
      if (deadline) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
        if (left.count() <= 0) return;
        timeout_ms = static_cast<int>(left.count());
      }
      pollfd pfd{out_, POLLIN, 0};
      const int ready = ::poll(&pfd, 1, timeout_ms);
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) return;
      char buffer[4096];
      const ssize_t n = ::read(out_, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      pending_.append(buffer, static_cast<size_t>(n));
      parse_lines();
    }
  }

  // Returns the raw wait status.
  int kill_and_reap() {
    if (pid_ <= 0) return status_;
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status_;
  }

  std::uint64_t last_acked() const { return last_acked_; }
  int acks() const { return acks_; }

 private:
  void parse_lines() {
    size_t end;
    while ((end = pending_.find('\n')) != std::string::npos) {
      const std::string line = pending_.substr(0, end);
      pending_.erase(0, end + 1);
      if (line.rfind("acked ", 0) == 0) {
        last_acked_ = std::stoull(line.substr(6));
        ++acks_;
      }
    }
  }

  pid_t pid_ = -1;
  int out_ = -1;
  int status_ = 0;
  std::string pending_;
  std::uint64_t last_acked_ = 0;
  int acks_ = 0;
};

TEST(StoreCrash, KillNineNeverLosesAnAcknowledgedWrite) {
  testing::TempDir dir;
  ASSERT_TRUE(dir.ok());
  // The first writer also creates the directory, so a kill can land in that too.
  const fs::path path = dir.path() / "state" / "intent.pb";

  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  // Mostly mid-stream kills, some right after start (during open, the first commit).
  std::uniform_int_distribution<int> early_ms(0, 5), late_ms(5, 300), pick(0, 3);

  std::uint64_t floor = 0;  // every revision at or below this one was acknowledged or seen
  int total_acks = 0;
  for (int round = 0; round < 30; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::uint64_t acked = floor;
    {
      Writer writer(path);
      ASSERT_TRUE(writer.started());
      const int delay = pick(rng) == 0 ? early_ms(rng) : late_ms(rng);
      writer.read_until(Clock::now() + std::chrono::milliseconds(delay));
      const int status = writer.kill_and_reap();
      writer.read_until(std::nullopt);  // every line written before death is in the pipe
      ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
          << "the writer ended on its own (status " << status << "); see its stderr";
      if (writer.acks() > 0) acked = writer.last_acked();
      total_acks += writer.acks();
    }

    auto opened = IntentStore::open(path);
    if (auto* error = std::get_if<StoreError>(&opened)) {
      FAIL() << "the store no longer loads after kill -9: " << error->message;
    }
    const IntentStore store = std::get<IntentStore>(std::move(opened));
    const std::uint64_t revision = store.revision();
    ASSERT_GE(revision, acked) << "an acknowledged write was lost";
    // The one commit in flight may have become durable before its "acked" line was written.
    ASSERT_LE(revision, acked + 1);
    if (revision > 0) {
      ASSERT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
          store.intent(), testing::writer_intent(revision)))
          << "the store holds revision " << revision << " with other content";
    }
    floor = revision;
  }
  EXPECT_GE(total_acks, 10) << "too few commits to have tested anything";
  std::cout << "[ info ] " << total_acks << " acknowledged commits, last revision " << floor
            << "\n";
}

}  // namespace
}  // namespace tern::intent
