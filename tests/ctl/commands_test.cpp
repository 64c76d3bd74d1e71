#include "ctl/commands.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "fixtures.hpp"
#include "golden.hpp"

namespace tern::ctl {
namespace {

using testing::kNowMs;
using testing::parse_text;
using testing::test_path;

// Answers from canned responses and remembers what it was asked.
class FakeClient : public Client {
 public:
  std::optional<CallError> fail;  // every call fails with this when set
  api::StatusResponse status_response;
  api::ChangeResponse change_response;
  api::ListResponse list_response;
  api::HealthResponse health_response;
  std::vector<api::Event> events;

  std::vector<std::string> calls;
  api::ApplyRequest applied;
  api::DeleteRequest deleted;
  api::RoutesRequest routes_request;
  api::WatchRequest watched;
  std::string listed;

  template <typename T>
  Call<T> answer(const std::string& name, const T& response) {
    calls.push_back(name);
    if (fail) return *fail;
    return response;
  }

  Call<api::StatusResponse> status() override { return answer("status", status_response); }
  Call<api::RoutesResponse> routes(const api::RoutesRequest& r) override {
    routes_request = r;
    return answer("routes", api::RoutesResponse());
  }
  Call<api::FibResponse> fib(const api::FibRequest&) override {
    return answer("fib", api::FibResponse());
  }
  Call<api::ExplainResponse> explain(const api::ExplainRequest& r) override {
    api::ExplainResponse e;
    e.set_prefix(r.prefix());
    return answer("explain", e);
  }
  Call<api::Object> get(const api::ObjectRef& ref) override {
    api::Object o;
    o.mutable_ip_pool()->mutable_metadata()->set_name(ref.name());
    return answer("get " + ref.kind() + " " + ref.name(), o);
  }
  Call<api::ListResponse> list(const std::string& kind) override {
    listed = kind;
    return answer("list " + kind, list_response);
  }
  Call<api::ChangeResponse> apply(const api::ApplyRequest& r) override {
    applied = r;
    return answer("apply", change_response);
  }
  Call<api::ChangeResponse> remove(const api::DeleteRequest& r) override {
    deleted = r;
    return answer("delete", change_response);
  }
  Call<api::HealthResponse> health() override { return answer("health", health_response); }
  Call<api::StopResponse> stop(bool hard) override {
    return answer(hard ? "stop hard" : "stop", api::StopResponse());
  }
  std::optional<CallError> watch(const api::WatchRequest& r,
                                 const std::function<bool(const api::Event&)>& sink) override {
    watched = r;
    calls.push_back("watch");
    if (fail) return fail;
    for (const auto& e : events) {
      if (!sink(e)) break;
    }
    return std::nullopt;
  }
};

struct Result {
  int code;
  std::string out;
  std::string err;
};

class Commands : public ::testing::Test {
 protected:
  Result ternctl(const std::vector<std::string>& argv, const std::string& stdin_text = "",
                 std::map<std::string, std::string> vars = {}) {
    std::ostringstream out, err;
    std::istringstream in(stdin_text);
    connects_ = 0;
    Connector connect = [this](const Endpoint& e) -> std::unique_ptr<Client> {
      ++connects_;
      endpoint_ = e;
      auto proxy = std::make_unique<Proxy>(client_);
      return proxy;
    };
    Getenv getenv = [vars](const std::string& name) -> std::optional<std::string> {
      const auto it = vars.find(name);
      if (it == vars.end()) return std::nullopt;
      return it->second;
    };
    const int code = run(argv, getenv, connect, Io{out, err, in, [] { return kNowMs; }});
    return {code, out.str(), err.str()};
  }

  // Hands calls to the test's long-lived fake so it can be inspected afterwards.
  struct Proxy : Client {
    explicit Proxy(FakeClient& f) : fake(f) {}
    FakeClient& fake;
    Call<api::StatusResponse> status() override { return fake.status(); }
    Call<api::RoutesResponse> routes(const api::RoutesRequest& r) override {
      return fake.routes(r);
    }
    Call<api::FibResponse> fib(const api::FibRequest& r) override { return fake.fib(r); }
    Call<api::ExplainResponse> explain(const api::ExplainRequest& r) override {
      return fake.explain(r);
    }
    Call<api::Object> get(const api::ObjectRef& r) override { return fake.get(r); }
    Call<api::ListResponse> list(const std::string& k) override { return fake.list(k); }
    Call<api::ChangeResponse> apply(const api::ApplyRequest& r) override { return fake.apply(r); }
    Call<api::ChangeResponse> remove(const api::DeleteRequest& r) override {
      return fake.remove(r);
    }
    Call<api::HealthResponse> health() override { return fake.health(); }
    Call<api::StopResponse> stop(bool hard) override { return fake.stop(hard); }
    std::optional<CallError> watch(const api::WatchRequest& r,
                                   const std::function<bool(const api::Event&)>& s) override {
      return fake.watch(r, s);
    }
  };

  FakeClient client_;
  Endpoint endpoint_;
  int connects_ = 0;
};

TEST_F(Commands, ApplyWithBadYamlNamesDocumentLineAndFieldWithoutConnecting) {
  const std::string file = test_path("manifests/bad-type.yaml");
  const auto r = ternctl({"apply", "-f", file});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(connects_, 0);
  EXPECT_TRUE(client_.calls.empty());
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("ternctl: " + file + ": manifest document 2 (IPPool \"pool-a\"), line 15"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("spec.blockSize"), std::string::npos) << r.err;
}

TEST_F(Commands, ApplyWithYamlSyntaxErrorOnStdin) {
  std::ifstream f(test_path("manifests/bad-syntax.yaml"));
  std::stringstream text;
  text << f.rdbuf();
  const auto r = ternctl({"apply", "-f", "-", "--dry-run"}, text.str());
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(connects_, 0);
  EXPECT_NE(r.err.find("<stdin>"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("document 2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 1"), std::string::npos) << r.err;
}

TEST_F(Commands, ApplyMissingFileOrEmptyFile) {
  auto r = ternctl({"apply", "-f", "/nonexistent/x.yaml"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(connects_, 0);
  EXPECT_NE(r.err.find("/nonexistent/x.yaml"), std::string::npos) << r.err;
  r = ternctl({"apply", "-f", "-"}, "# nothing\n");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(connects_, 0);
  EXPECT_EQ(r.err, "ternctl: <stdin>: no resources to apply\n");
}

TEST_F(Commands, CalicoManifestsAreRead) {
  for (const auto& name : {"ippool-crosssubnet", "bgppeer-tor", "bgpconfiguration", "node"}) {
    client_.change_response = parse_text<api::ChangeResponse>("revision: 4");
    const auto r = ternctl({"apply", "-f", test_path(std::string("manifests/") + name + ".yaml")});
    EXPECT_EQ(r.code, 0) << name << ": " << r.err;
    EXPECT_EQ(r.out, "applied: 1 object, intent revision 4\n") << name;
  }
  EXPECT_EQ(client_.applied.objects().nodes(0).spec().bgp().ipv4_ipip_tunnel_addr(), "192.168.0.1");
}

TEST_F(Commands, ApplyDryRunSendsEveryObjectAndPrintsTheListing) {
  client_.change_response = parse_text<api::ChangeResponse>(R"pb(
    revision: 7
    dry_run: true
    sessions { name: "Node_192_20_30_40" action: "add" address: "192.20.30.40" }
    kernel_routes {
      prefix: "192.168.3.0/26"
      action: "change"
      before: "via 10.0.0.3 dev tunl0 onlink"
      after: "via 10.0.0.3 dev eth0"
    }
    originated: "10.96.0.0/12")pb");
  const auto r = ternctl({"apply", "--dry-run", "-f", test_path("manifests/cluster.yaml")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(connects_, 1);
  EXPECT_TRUE(client_.applied.dry_run());
  EXPECT_EQ(client_.applied.objects().bgp_configurations_size(), 1);
  EXPECT_EQ(client_.applied.objects().ip_pools(0).spec().ipip_mode(), "CrossSubnet");
  EXPECT_EQ(client_.applied.objects().bgp_peers(0).spec().node_selector(), "rack == 'rack-1'");
  testing::expect_golden("apply_cluster_dry_run", r.out);
}

TEST_F(Commands, ServerRefusalNamesTheField) {
  client_.fail = CallError{false, 3, "spec.cidr", "overlaps IPPool \"pool-b\" (10.244.0.0/16)"};
  const auto r = ternctl({"apply", "-f", test_path("manifests/ippool-crosssubnet.yaml")});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "ternctl: spec.cidr: overlaps IPPool \"pool-b\" (10.244.0.0/16)\n");
  client_.fail = CallError{false, 5, "", "BGPPeer \"x\" not found"};
  const auto d = ternctl({"delete", "bgppeers", "x"});
  EXPECT_EQ(d.code, 1);
  EXPECT_EQ(d.err, "ternctl: BGPPeer \"x\" not found\n");
}

TEST_F(Commands, CannotConnectSaysWhereAndExits3) {
  client_.fail = CallError{true, 14, "", "No such file or directory"};
  auto r = ternctl({"status", "--socket", "/tmp/none.sock"});
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(endpoint_.target, "unix:/tmp/none.sock");
  EXPECT_NE(r.err.find("cannot connect to ternd at socket /tmp/none.sock"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("Is ternd running"), std::string::npos) << r.err;
  r = ternctl({"health", "--server", "10.0.0.1:7443"});
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(endpoint_.target, "10.0.0.1:7443");
  EXPECT_NE(r.err.find("at address 10.0.0.1:7443"), std::string::npos) << r.err;
}

TEST_F(Commands, UsageErrorsExit2BeforeConnecting) {
  const auto r = ternctl({"get"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(connects_, 0);
  EXPECT_EQ(r.err,
            "ternctl: missing arguments; usage: ternctl get KIND [NAME] [-o yaml|json]\n"
            "Run 'ternctl --help' for usage.\n");
  EXPECT_EQ(ternctl({"--help"}).code, 0);
}

TEST_F(Commands, TokenFileIsSentAndMustBeReadable) {
  const std::string path = ::testing::TempDir() + "/ternctl_token";
  std::ofstream(path) << "  s3cret-token\n";
  auto r = ternctl({"status"}, "", {{"TERN_TOKEN_FILE", path}});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(endpoint_.token, "s3cret-token");
  r = ternctl({"status", "--token-file", "/nonexistent/token"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(connects_, 0);
  EXPECT_NE(r.err.find("--token-file: cannot read /nonexistent/token"), std::string::npos);
}

TEST_F(Commands, TimeoutsPerCommand) {
  ternctl({"status"});
  EXPECT_EQ(endpoint_.timeout_s, 10);
  ternctl({"delete", "ippool", "a"});
  EXPECT_EQ(endpoint_.timeout_s, 30);
  ternctl({"watch"});
  EXPECT_EQ(endpoint_.timeout_s, 0);
  ternctl({"status", "--timeout", "3"});
  EXPECT_EQ(endpoint_.timeout_s, 3);
}

TEST_F(Commands, GetListsByCanonicalKindOrGetsOne) {
  client_.list_response = parse_text<api::ListResponse>(R"pb(
    objects {
      ip_pool {
        metadata { name: "b" }
        spec { cidr: "10.2.0.0/16" }
      }
    }
    objects {
      ip_pool {
        metadata { name: "a" }
        spec { cidr: "10.1.0.0/16" ipip_mode: "Always" }
      }
    }
  )pb");
  auto r = ternctl({"get", "IPPOOLS"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(client_.listed, "IPPool");
  EXPECT_EQ(r.out,
            "NAME   CIDR          IPIPMODE   VXLANMODE   SELECTOR\n"
            "a      10.1.0.0/16   Always                 all()\n"
            "b      10.2.0.0/16                          all()\n");
  r = ternctl({"get", "ippool", "pool-x", "-o", "yaml"});
  EXPECT_EQ(client_.calls.back(), "get IPPool pool-x");
  EXPECT_EQ(r.out,
            "---\napiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: pool-x\n");
  client_.list_response.Clear();
  EXPECT_EQ(ternctl({"get", "bgppeers"}).out, "No BGPPeer resources found.\n");
}

TEST_F(Commands, DeleteDryRun) {
  client_.change_response = parse_text<api::ChangeResponse>(R"pb(
    revision: 7
    dry_run: true
    sessions { name: "Node_192_20_30_40" action: "remove" address: "192.20.30.40" })pb");
  const auto r = ternctl({"delete", "BGPPeer", "rack1-tor", "--dry-run"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(client_.deleted.ref().kind(), "BGPPeer");
  EXPECT_EQ(client_.deleted.ref().name(), "rack1-tor");
  EXPECT_TRUE(client_.deleted.dry_run());
  EXPECT_EQ(r.out,
            "dry run: deleting BGPPeer rack1-tor would change (intent revision 7, nothing "
            "applied):\n- session Node_192_20_30_40 (192.20.30.40)\n");
}

TEST_F(Commands, RoutesPassFilters) {
  ternctl({"routes", "10.244.1.0/26", "--family", "ipv4", "--peer", "Mesh_10_0_0_2"});
  EXPECT_EQ(client_.routes_request.prefix(), "10.244.1.0/26");
  EXPECT_EQ(client_.routes_request.family(), "ipv4");
  EXPECT_EQ(client_.routes_request.peer(), "Mesh_10_0_0_2");
}

TEST_F(Commands, StatusTableOrJson) {
  client_.status_response = parse_text<api::StatusResponse>(
      R"pb(node: "n" backend: "bird" bgp_enabled: true ready: true live: true)pb");
  auto r = ternctl({"status"});
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "tern is running (backend bird, node n).");
  r = ternctl({"status", "-o", "json"});
  EXPECT_NE(r.out.find("\"ready\": true"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"asNumber\": 0"), std::string::npos) << r.out;
}

TEST_F(Commands, HealthExitCodeFollowsReadiness) {
  client_.health_response = parse_text<api::HealthResponse>("live: true ready: true");
  EXPECT_EQ(ternctl({"health"}).code, 0);
  client_.health_response = parse_text<api::HealthResponse>("live: true reasons: \"x\"");
  EXPECT_EQ(ternctl({"health"}).code, 1);
}

TEST_F(Commands, WatchPrintsEventsAndAsksForBothByDefault) {
  client_.events.push_back(parse_text<api::Event>(R"pb(
    time_unix_ms: 1709630240000
    session { name: "Mesh_10_0_0_2" from_state: "OpenConfirm" to_state: "Established" })pb"));
  auto r = ternctl({"watch"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(client_.watched.sessions());
  EXPECT_TRUE(client_.watched.routes());
  EXPECT_EQ(r.out, "2024-03-05T09:17:20.000Z session Mesh_10_0_0_2: OpenConfirm -> Established\n");
  ternctl({"watch", "--routes"});
  EXPECT_FALSE(client_.watched.sessions());
  EXPECT_TRUE(client_.watched.routes());
}

TEST_F(Commands, Stop) {
  EXPECT_EQ(ternctl({"stop", "--hard"}).code, 0);
  EXPECT_EQ(client_.calls.back(), "stop hard");
}

}  // namespace
}  // namespace tern::ctl
