#pragma once
// ternctl's command line: the subcommand, its arguments and options (anywhere on the line, as
// `--name value`, `--name=value` or `-o json`), checked against what each subcommand takes so a
// mistake is a usage error (exit 2) before anything is read or sent.

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ctl/format.hpp"

namespace tern::ctl {

inline constexpr const char* kDefaultSocket = "/run/tern/tern.sock";

struct Invocation {
  std::string command;  // "status", "routes", ...; "help" for --help
  std::vector<std::string> args;
  Output output = Output::kTable;
  std::string kind;  // get/delete: the canonical kind
  std::string family;
  std::string peer;
  uint32_t limit = 0;
  std::string file;  // apply -f; "-" for stdin
  bool dry_run = false;
  bool sessions = false;  // watch: neither flag means both
  bool routes = false;
  bool hard = false;
  std::string socket;      // resolved: --socket, else TERN_SOCKET, else the default
  std::string server;      // --server HOST:PORT; overrides the socket
  std::string token_file;  // --token-file, else TERN_TOKEN_FILE
  double timeout_s = 0;    // 0: the command's default
};

struct UsageError {
  std::string message;
};

// Reads an environment variable; nullopt when unset.
using Getenv = std::function<std::optional<std::string>(const std::string&)>;

// argv without the program name.
std::variant<Invocation, UsageError> parse_args(const std::vector<std::string>& argv,
                                                const Getenv& getenv);

std::string usage_text();

}  // namespace tern::ctl
