#include "ctl/args.hpp"

#include <gtest/gtest.h>

#include <map>

namespace tern::ctl {
namespace {

Getenv env(std::map<std::string, std::string> vars = {}) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

Invocation ok(const std::vector<std::string>& argv, const Getenv& getenv = env()) {
  auto parsed = parse_args(argv, getenv);
  if (auto* u = std::get_if<UsageError>(&parsed)) {
    ADD_FAILURE() << "usage error: " << u->message;
    return {};
  }
  return std::get<Invocation>(parsed);
}

std::string usage_error(const std::vector<std::string>& argv) {
  auto parsed = parse_args(argv, env());
  if (auto* u = std::get_if<UsageError>(&parsed)) return u->message;
  ADD_FAILURE() << "parsed, expected a usage error";
  return "";
}

TEST(Args, KindAliases) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ippool", "IPPool"},
      {"ippools", "IPPool"},
      {"IPPool", "IPPool"},
      {"IPPOOLS", "IPPool"},
      {"bgppeer", "BGPPeer"},
      {"BGPPeers", "BGPPeer"},
      {"bgpconfiguration", "BGPConfiguration"},
      {"bgpconfigurations", "BGPConfiguration"},
      {"node", "Node"},
      {"Nodes", "Node"},
      {"blockaffinity", "BlockAffinity"},
      {"blockaffinities", "BlockAffinity"},
      {"borrowedaddress", "BorrowedAddress"},
      {"borrowedaddresses", "BorrowedAddress"},
      {"bgpfilter", "BGPFilter"},
      {"bgpfilters", "BGPFilter"},
      {"secret", "Secret"},
      {"secrets", "Secret"},
  };
  for (const auto& [word, kind] : cases) {
    EXPECT_EQ(ok({"get", word}).kind, kind) << word;
    EXPECT_EQ(ok({"delete", word, "x"}).kind, kind) << word;
  }
  EXPECT_NE(usage_error({"get", "pods"}).find("unknown kind \"pods\""), std::string::npos);
}

TEST(Args, OptionsAnywhereInEverySpelling) {
  const auto a = ok({"-o", "json", "routes", "10.244.1.0/26", "--family=ipv4", "--peer",
                     "Mesh_10_0_0_2", "--limit", "50"});
  EXPECT_EQ(a.command, "routes");
  EXPECT_EQ(a.args, std::vector<std::string>{"10.244.1.0/26"});
  EXPECT_EQ(a.output, Output::kJson);
  EXPECT_EQ(a.family, "ipv4");
  EXPECT_EQ(a.peer, "Mesh_10_0_0_2");
  EXPECT_EQ(a.limit, 50u);
  EXPECT_EQ(ok({"get", "ippool", "-oyaml"}).output, Output::kYaml);
  EXPECT_EQ(ok({"get", "ippool", "--output=yaml"}).output, Output::kYaml);
  const auto apply = ok({"apply", "-f", "-", "--dry-run"});
  EXPECT_EQ(apply.file, "-");
  EXPECT_TRUE(apply.dry_run);
  EXPECT_EQ(ok({"apply", "--filename=x.yaml"}).file, "x.yaml");
  const auto w = ok({"watch", "--sessions"});
  EXPECT_TRUE(w.sessions);
  EXPECT_FALSE(w.routes);
  EXPECT_TRUE(ok({"stop", "--hard"}).hard);
  EXPECT_EQ(ok({"--help"}).command, "help");
  EXPECT_EQ(ok({"help"}).command, "help");
  // After "--" a word starting with '-' is an argument.
  EXPECT_EQ(ok({"get", "bgppeer", "--", "-odd-name"}).args.back(), "-odd-name");
}

TEST(Args, EndpointFromFlagsThenEnvironmentThenDefault) {
  EXPECT_EQ(ok({"status"}).socket, "/run/tern/tern.sock");
  EXPECT_EQ(ok({"status"}, env({{"TERN_SOCKET", "/tmp/t.sock"}})).socket, "/tmp/t.sock");
  EXPECT_EQ(ok({"status", "--socket", "/a.sock"}, env({{"TERN_SOCKET", "/tmp/t.sock"}})).socket,
            "/a.sock");
  EXPECT_EQ(ok({"status"}, env({{"TERN_TOKEN_FILE", "/etc/tern/token"}})).token_file,
            "/etc/tern/token");
  const auto s = ok({"--server", "10.0.0.1:7443", "--timeout", "2.5", "status"});
  EXPECT_EQ(s.server, "10.0.0.1:7443");
  EXPECT_DOUBLE_EQ(s.timeout_s, 2.5);
}

TEST(Args, BadUsage) {
  EXPECT_EQ(usage_error({}), "missing command");
  EXPECT_EQ(usage_error({"frobnicate"}), "unknown command \"frobnicate\"");
  EXPECT_EQ(usage_error({"explain"}),
            "missing arguments; usage: ternctl explain PREFIX [-o json|yaml]");
  EXPECT_EQ(usage_error({"status", "extra"}),
            "too many arguments; usage: ternctl status [-o json|yaml]");
  EXPECT_EQ(usage_error({"delete", "ippool"}),
            "missing arguments; usage: ternctl delete KIND NAME [--dry-run] [-o json|yaml]");
  EXPECT_EQ(usage_error({"status", "--bogus"}), "unknown option --bogus");
  EXPECT_EQ(usage_error({"status", "--dry-run"}),
            "status does not take --dry-run; usage: ternctl status [-o json|yaml]");
  EXPECT_EQ(usage_error({"status", "-o", "xml"}), "-o: expected json or yaml, got \"xml\"");
  EXPECT_EQ(usage_error({"routes", "--family", "inet"}),
            "--family: expected ipv4 or ipv6, got \"inet\"");
  EXPECT_EQ(usage_error({"routes", "--limit", "-3"}),
            "--limit: expected a positive number, got \"-3\"");
  EXPECT_EQ(usage_error({"apply"}),
            "apply needs -f FILE (or -f - for stdin); usage: ternctl apply -f FILE|- [--dry-run] "
            "[-o json|yaml]");
  EXPECT_EQ(usage_error({"status", "--socket"}), "--socket needs a value");
  EXPECT_EQ(usage_error({"status", "--timeout", "0"}),
            "--timeout: expected a positive number of seconds, got \"0\"");
  EXPECT_EQ(usage_error({"status", "--server", "localhost"}),
            "--server: expected HOST:PORT, got \"localhost\"");
  EXPECT_EQ(usage_error({"stop", "--hard=yes"}), "--hard takes no value");
}

}  // namespace
}  // namespace tern::ctl
