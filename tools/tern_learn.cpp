// tern-learn: prints the workload routes learned from the kernel as they change, for the
// namespace tests. One line per change, removals first:
//
//   + 10.244.1.70/32 caliaaaa0001
//   - 10.244.1.70/32 caliaaaa0001
//
// The initial set comes first, then "synced". When notifications were lost since the last
// report, "# overruns N dumps M" precedes the changes. Runs until SIGTERM or SIGINT.
//
// Options: --prefix NAME (cali), --protocol N (12, ours: ignored), --table N (254),
//          --rescan-ms N (0: none), --rcvbuf BYTES

#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "fib/workload_monitor.hpp"

namespace {

using namespace tern::fib;

void print(const LearnedChanges& c) {
  for (const auto& r : c.removed)
    std::printf("- %s %s\n", tern::bgp::to_string(r.prefix).c_str(), r.ifname.c_str());
  for (const auto& r : c.added)
    std::printf("+ %s %s\n", tern::bgp::to_string(r.prefix).c_str(), r.ifname.c_str());
  std::fflush(stdout);
}

int usage() {
  std::fprintf(stderr,
               "usage: tern-learn [--prefix NAME] [--protocol N] [--table N] [--rescan-ms N] "
               "[--rcvbuf BYTES]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  WorkloadMonitorOptions o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return usage();
    const std::string v = argv[++i];
    char* end = nullptr;
    const unsigned long n = std::strtoul(v.c_str(), &end, 10);
    const bool number = !v.empty() && *end == '\0';
    if (a == "--prefix") {
      o.learn.ifname_prefix = v;
    } else if (a == "--protocol" && number && n < 256) {
      o.learn.our_protocol = static_cast<uint8_t>(n);
    } else if (a == "--table" && number) {
      o.learn.table = static_cast<uint32_t>(n);
    } else if (a == "--rescan-ms" && number) {
      o.rescan = std::chrono::milliseconds(n);
    } else if (a == "--rcvbuf" && number) {
      o.rcvbuf_bytes = static_cast<int>(n);
    } else {
      return usage();
    }
  }

  // Stdout carries the changes; the library's warnings go to stderr.
  spdlog::set_default_logger(spdlog::stderr_color_mt("tern"));
  spdlog::set_level(spdlog::level::warn);

  // Signals become a readable fd: the monitor's loop stops on it.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  sigprocmask(SIG_BLOCK, &stop, nullptr);
  const int stop_fd = signalfd(-1, &stop, SFD_CLOEXEC);
  if (stop_fd < 0) {
    std::perror("signalfd");
    return 1;
  }

  std::string error;
  auto monitor = WorkloadMonitor::open(o, &error);
  if (!monitor) {
    std::fprintf(stderr, "tern-learn: %s\n", error.c_str());
    return 1;
  }
  print(monitor->read());
  std::printf("synced\n");
  std::fflush(stdout);

  uint64_t overruns = monitor->overruns();
  monitor->run(stop_fd, [&](const LearnedChanges& c) {
    if (monitor->overruns() != overruns) {
      overruns = monitor->overruns();
      std::printf("# overruns %llu dumps %llu\n", static_cast<unsigned long long>(overruns),
                  static_cast<unsigned long long>(monitor->dumps()));
    }
    print(c);
  });
  if (!monitor->last_error().empty())
    std::fprintf(stderr, "tern-learn: %s\n", monitor->last_error().c_str());
  close(stop_fd);
  return 0;
}
