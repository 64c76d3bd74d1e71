// ternctl: tern's command-line client (see `ternctl --help`).

#include <cstdlib>
#include <iostream>

#include "ctl/commands.hpp"
#include "ctl/grpc_client.hpp"

int main(int argc, char** argv) {
  using namespace tern::ctl;
  const std::vector<std::string> args(argv + 1, argv + argc);
  const Getenv getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  const auto now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  return run(args, getenv, make_grpc_client, Io{std::cout, std::cerr, std::cin, now_ms});
}
