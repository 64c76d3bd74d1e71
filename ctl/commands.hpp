#pragma once
// ternctl's commands over any Client: parse, read local input (manifests, the token file)
// before connecting, call, print, and pick the exit code.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "ctl/args.hpp"
#include "ctl/client.hpp"

namespace tern::ctl {

enum Exit : int { kExitOk = 0, kExitFailed = 1, kExitUsage = 2, kExitUnreachable = 3 };

struct Io {
  std::ostream& out;
  std::ostream& err;
  std::istream& in;  // apply -f -
  std::function<int64_t()> now_ms;
};

// argv without the program name.
int run(const std::vector<std::string>& argv, const Getenv& getenv, const Connector& connect,
        Io io);

// "ternctl: spec.cidr: overlaps pool-b" or the cannot-connect advice.
std::string error_text(const CallError& error, const Endpoint& endpoint);

}  // namespace tern::ctl
