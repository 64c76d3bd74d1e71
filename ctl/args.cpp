#include "ctl/args.hpp"

#include <map>
#include <set>

#include "api/kinds.hpp"

namespace tern::ctl {
namespace {

struct CommandSpec {
  size_t min_args;
  size_t max_args;
  std::set<std::string> options;  // besides the global ones
  std::string synopsis;
};

const std::map<std::string, CommandSpec>& commands() {
  static const std::map<std::string, CommandSpec> table = {
      {"status", {0, 0, {"-o"}, "status [-o json|yaml]"}},
      {"routes",
       {0,
        1,
        {"-o", "--family", "--peer", "--limit"},
        "routes [PREFIX] [--family ipv4|ipv6] [--peer NAME] [--limit N] [-o json|yaml]"}},
      {"fib", {0, 1, {"-o"}, "fib [PREFIX] [-o json|yaml]"}},
      {"explain", {1, 1, {"-o"}, "explain PREFIX [-o json|yaml]"}},
      {"get", {1, 2, {"-o"}, "get KIND [NAME] [-o yaml|json]"}},
      {"delete", {2, 2, {"-o", "--dry-run"}, "delete KIND NAME [--dry-run] [-o json|yaml]"}},
      {"apply", {0, 0, {"-o", "-f", "--dry-run"}, "apply -f FILE|- [--dry-run] [-o json|yaml]"}},
      {"watch", {0, 0, {"--sessions", "--routes"}, "watch [--sessions] [--routes]"}},
      {"stop", {0, 0, {"--hard"}, "stop [--hard]"}},
      {"health", {0, 0, {"-o"}, "health [-o json|yaml]"}},
  };
  return table;
}

const std::set<std::string> kGlobal = {"--socket", "--server", "--token-file", "--timeout"};
const std::set<std::string> kFlags = {"--dry-run", "--sessions", "--routes", "--hard"};

// Long and short spellings of the same option.
std::string canonical_option(const std::string& name) {
  if (name == "--output") return "-o";
  if (name == "--filename") return "-f";
  return name;
}

std::optional<std::string> env_or(const Getenv& getenv, const std::string& name) {
  if (!getenv) return std::nullopt;
  auto v = getenv(name);
  if (v && v->empty()) return std::nullopt;
  return v;
}

std::optional<UsageError> set_option(Invocation& inv, const std::string& name,
                                     const std::string& value) {
  if (name == "-o") {
    if (value == "json") {
      inv.output = Output::kJson;
    } else if (value == "yaml") {
      inv.output = Output::kYaml;
    } else {
      return UsageError{"-o: expected json or yaml, got \"" + value + "\""};
    }
  } else if (name == "--family") {
    if (value != "ipv4" && value != "ipv6") {
      return UsageError{"--family: expected ipv4 or ipv6, got \"" + value + "\""};
    }
    inv.family = value;
  } else if (name == "--peer") {
    inv.peer = value;
  } else if (name == "--limit") {
    try {
      size_t used = 0;
      const unsigned long n = std::stoul(value, &used);
      if (used != value.size() || n == 0 || n > 4294967295UL) throw std::out_of_range("limit");
      inv.limit = static_cast<uint32_t>(n);
    } catch (...) {
      return UsageError{"--limit: expected a positive number, got \"" + value + "\""};
    }
  } else if (name == "-f") {
    inv.file = value;
  } else if (name == "--socket") {
    inv.socket = value;
  } else if (name == "--server") {
    if (value.find(':') == std::string::npos) {
      return UsageError{"--server: expected HOST:PORT, got \"" + value + "\""};
    }
    inv.server = value;
  } else if (name == "--token-file") {
    inv.token_file = value;
  } else if (name == "--timeout") {
    try {
      size_t used = 0;
      const double s = std::stod(value, &used);
      if (used != value.size() || !(s > 0)) throw std::out_of_range("timeout");
      inv.timeout_s = s;
    } catch (...) {
      return UsageError{"--timeout: expected a positive number of seconds, got \"" + value + "\""};
    }
  }
  return std::nullopt;
}

}  // namespace

std::variant<Invocation, UsageError> parse_args(const std::vector<std::string>& argv,
                                                const Getenv& getenv) {
  Invocation inv;
  std::vector<std::pair<std::string, std::string>> options;  // in order, checked once known
  std::vector<std::string> words;
  bool only_words = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (only_words || a.size() < 2 || a[0] != '-') {
      words.push_back(a);
      continue;
    }
    if (a == "--") {
      only_words = true;
      continue;
    }
    if (a == "-h" || a == "--help") {
      inv.command = "help";
      return inv;
    }
    std::string name = a;
    std::optional<std::string> value;
    if (const size_t eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
    } else if (a.rfind("--", 0) != 0 && a.size() > 2) {  // -ojson, -ffile
      name = a.substr(0, 2);
      value = a.substr(a[2] == '=' ? 3 : 2);
    }
    name = canonical_option(name);
    if (kFlags.count(name)) {
      if (value) return UsageError{name + " takes no value"};
      options.emplace_back(name, "");
      continue;
    }
    bool known = kGlobal.count(name) > 0;
    for (const auto& [cmd, spec] : commands())
      known = known || spec.options.count(name) > 0;
    if (!known) return UsageError{"unknown option " + name};
    if (!value) {
      if (i + 1 >= argv.size()) return UsageError{name + " needs a value"};
      value = argv[++i];
    }
    options.emplace_back(name, *value);
  }

  if (words.empty()) return UsageError{"missing command"};
  inv.command = words.front();
  words.erase(words.begin());
  if (inv.command == "help") return inv;
  const auto it = commands().find(inv.command);
  if (it == commands().end()) return UsageError{"unknown command \"" + inv.command + "\""};
  const CommandSpec& spec = it->second;

  for (const auto& [name, value] : options) {
    if (!kGlobal.count(name) && !spec.options.count(name)) {
      return UsageError{inv.command + " does not take " + name + "; usage: ternctl " +
                        spec.synopsis};
    }
    if (name == "--dry-run") inv.dry_run = true;
    if (name == "--sessions") inv.sessions = true;
    if (name == "--routes") inv.routes = true;
    if (name == "--hard") inv.hard = true;
    if (auto err = set_option(inv, name, value)) return *err;
  }
  if (words.size() < spec.min_args || words.size() > spec.max_args) {
    return UsageError{(words.size() < spec.min_args ? "missing arguments" : "too many arguments") +
                      std::string("; usage: ternctl ") + spec.synopsis};
  }
  inv.args = words;

  if (inv.command == "get" || inv.command == "delete") {
    const api::KindInfo* kind = api::find_kind(inv.args.front());
    if (!kind) {
      std::string names;
      for (const auto& k : api::all_kinds())
        names += (names.empty() ? "" : ", ") + std::string(k.kind);
      return UsageError{"unknown kind \"" + inv.args.front() + "\" (expected one of " + names +
                        ", or their plurals)"};
    }
    inv.kind = kind->kind;
  }
  if (inv.command == "apply" && inv.file.empty()) {
    return UsageError{"apply needs -f FILE (or -f - for stdin); usage: ternctl " + spec.synopsis};
  }
  if (inv.socket.empty()) inv.socket = env_or(getenv, "TERN_SOCKET").value_or(kDefaultSocket);
  if (inv.token_file.empty()) inv.token_file = env_or(getenv, "TERN_TOKEN_FILE").value_or("");
  return inv;
}

std::string usage_text() {
  std::string out =
      "Usage: ternctl [global options] COMMAND [arguments]\n"
      "\n"
      "Commands:\n";
  for (const auto& name : {"status", "routes", "fib", "explain", "get", "apply", "delete", "watch",
                           "health", "stop"}) {
    out += "  ternctl " + commands().at(name).synopsis + "\n";
  }
  out +=
      "\n"
      "KIND is a Calico kind or its plural, any case: ippool, bgppeer, bgpconfiguration, node,\n"
      "blockaffinity, borrowedaddress, bgpfilter, secret.\n"
      "\n"
      "Global options:\n"
      "  --socket PATH       ternd's API socket (default /run/tern/tern.sock; env TERN_SOCKET)\n"
      "  --server HOST:PORT  talk gRPC over TCP instead of the socket\n"
      "  --token-file FILE   send its bearer token (env TERN_TOKEN_FILE)\n"
      "  --timeout SEC       per request (default 10, apply and delete 30)\n"
      "\n"
      "Exit codes: 0 ok, 1 request refused or failed, 2 usage error, 3 cannot connect.\n";
  return out;
}

}  // namespace tern::ctl
