// The REST gateway end to end on loopback: every operation, and the bad inputs it must refuse
// with the right status and field while leaving the intent as it was.

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include "api/json.hpp"
#include "tests/api/harness.hpp"

namespace tern::api::testing {
namespace {

using google::protobuf::util::JsonStringToMessage;
using google::protobuf::util::MessageDifferencer;

constexpr const char* kPoolA =
    R"({"apiVersion":"projectcalico.org/v3","kind":"IPPool","metadata":{"name":"pool-a"},)"
    R"("spec":{"cidr":"10.65.0.0/16","ipipMode":"Always","blockSize":26,"natOutgoing":true}})";

template <typename T>
T parse(const std::string& json) {
  T out;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  EXPECT_TRUE(JsonStringToMessage(json, &out, options).ok()) << json;
  return out;
}

// The "error" object of a refusal.
struct ErrorBody {
  int status = 0;
  std::string field;
  std::string message;
};

ErrorBody error_of(const std::string& body) {
  google::protobuf::Struct s;
  ErrorBody out;
  if (!JsonStringToMessage(body, &s).ok() || !s.fields().count("error")) {
    out.message = "<not an error body: " + body + ">";
    return out;
  }
  const auto& e = s.fields().at("error").struct_value().fields();
  out.status = static_cast<int>(e.at("status").number_value());
  out.field = e.at("field").string_value();
  out.message = e.at("message").string_value();
  return out;
}

class RestTest : public ApiHarness {};

TEST_F(RestTest, CreateGetListReplaceDelete) {
  auto created = http("POST", "/v1/ippools", kPoolA);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.headers["Content-Type"], "application/json");
  auto change = parse<ChangeResponse>(created.body);
  EXPECT_EQ(change.revision(), 2u);
  EXPECT_EQ(change.originated(0), "10.65.0.0/16");

  auto got = http("GET", "/v1/ippools/pool-a");
  ASSERT_EQ(got.status, 200) << got.body;
  // GET gives back the resource as it was sent (Calico's shape, json names).
  EXPECT_EQ(got.body, kPoolA);

  // The Calico kind name works as a path segment too, case-insensitively.
  EXPECT_EQ(http("GET", "/v1/IPPool/pool-a").body, kPoolA);

  auto listed = http("GET", "/v1/ippools");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body,
            std::string(R"({"apiVersion":"projectcalico.org/v3","kind":"IPPoolList",)") +
                R"("items":[)" + kPoolA + "]}");

  auto replaced = http("PUT", "/v1/ippools/pool-a",
                       R"({"metadata":{"name":"pool-a"},"spec":{"cidr":"10.66.0.0/16"}})");
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(parse<ChangeResponse>(replaced.body).notes(0), "change IPPool/pool-a");
  EXPECT_NE(http("GET", "/v1/ippools/pool-a").body.find("10.66.0.0/16"), std::string::npos);

  auto deleted = http("DELETE", "/v1/ippools/pool-a");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(http("GET", "/v1/ippools/pool-a").status, 404);
}

TEST_F(RestTest, DryRunChangesNothing) {
  std::string before = backend_.snapshot();
  auto reply = http("POST", "/v1/ippools?dryRun=true", kPoolA);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_TRUE(parse<ChangeResponse>(reply.body).dry_run());
  EXPECT_EQ(backend_.snapshot(), before);
  ASSERT_EQ(http("POST", "/v1/ippools", kPoolA).status, 201);
  before = backend_.snapshot();
  EXPECT_EQ(http("DELETE", "/v1/ippools/pool-a?dryRun=true").status, 200);
  EXPECT_EQ(http("PUT", "/v1/ippools/pool-a?dryRun=1",
                 R"({"metadata":{"name":"pool-a"},"spec":{"cidr":"10.9.0.0/16"}})")
                .status,
            200);
  EXPECT_EQ(backend_.snapshot(), before);
}

TEST_F(RestTest, EveryKindRoundTrips) {
  const std::vector<std::pair<std::string, std::string>> kinds = {
      {"bgpconfigurations",
       R"({"metadata":{"name":"default"},"spec":{"nodeToNodeMeshEnabled":false,"asNumber":64512,)"
       R"("serviceClusterIPs":[{"cidr":"10.96.0.0/12"}]}})"},
      {"bgppeers", R"({"metadata":{"name":"tor"},"spec":{"peerIP":"192.0.2.1","asNumber":65001,)"
                   R"("password":{"secretKeyRef":{"name":"bgp","key":"tor"}},"filters":["f1"]}})"},
      {"nodes", R"({"metadata":{"name":"node-1","labels":{"rack":"r1"}},"spec":{"bgp":)"
                R"({"ipv4Address":"10.0.0.1/24","ipv4IPIPTunnelAddr":"10.65.0.1"}}})"},
      {"ippools", R"({"metadata":{"name":"p"},"spec":{"cidr":"10.65.0.0/16"}})"},
      {"blockaffinities",
       R"({"metadata":{"name":"node-1-10-65-0-0-26"},"spec":{"node":"node-1","cidr":"10.65.0.0/26"}})"},
      {"borrowedaddresses",
       R"({"metadata":{"name":"b1"},"spec":{"node":"node-2","address":"10.65.0.7"}})"},
      {"bgpfilters",
       R"({"metadata":{"name":"f1"},"spec":{"exportV4":[{"action":"Accept","cidr":"10.0.0.0/8",)"
       R"("matchOperator":"In","prefixLength":{"min":16,"max":24}}]}})"},
      {"secrets", R"({"metadata":{"name":"bgp"},"stringData":{"tor":"s3cret"}})"},
  };
  for (const auto& [plural, body] : kinds) {
    SCOPED_TRACE(plural);
    ASSERT_EQ(http("POST", "/v1/" + plural, body).status, 201);
    const KindInfo* kind = find_kind(plural);
    Object sent;
    ASSERT_FALSE(parse_resource_json(body, *kind, sent));
    std::string name = object_name(sent);
    auto got = http("GET", "/v1/" + plural + "/" + name);
    ASSERT_EQ(got.status, 200) << got.body;
    Object back;
    ASSERT_FALSE(parse_resource_json(got.body, *kind, back)) << got.body;
    EXPECT_TRUE(MessageDifferencer::Equals(sent, back)) << got.body;
  }
}

TEST_F(RestTest, Apply) {
  auto reply = http("POST", "/v1/apply",
                    R"({"objects":{"ipPools":[{"metadata":{"name":"p1"},"spec":{"cidr":)"
                    R"("10.1.0.0/16"}}],"bgpPeers":[{"metadata":{"name":"tor"},"spec":)"
                    R"({"peerIP":"192.0.2.1","asNumber":65001}}]}})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(parse<ChangeResponse>(reply.body).notes_size(), 2);
  EXPECT_EQ(http("GET", "/v1/bgppeers/tor").status, 200);
  // dryRun in the body or in the query.
  std::string before = backend_.snapshot();
  EXPECT_EQ(http("POST", "/v1/apply",
                 R"({"dryRun":true,"objects":{"ipPools":[{"metadata":{"name":"p2"},)"
                 R"("spec":{"cidr":"10.2.0.0/16"}}]}})")
                .status,
            200);
  EXPECT_EQ(
      http("POST", "/v1/apply?dryRun=true",
           R"({"objects":{"ipPools":[{"metadata":{"name":"p2"},"spec":{"cidr":"10.2.0.0/16"}}]}})")
          .status,
      200);
  EXPECT_EQ(backend_.snapshot(), before);
}

TEST_F(RestTest, StatusRoutesFibExplain) {
  StatusResponse status;
  status.set_node("node-1");
  status.set_backend("bird");
  status.add_peers()->set_name("Mesh_10_0_0_2");
  backend_.set_status(status);
  auto s = http("GET", "/v1/status");
  ASSERT_EQ(s.status, 200);
  auto st = parse<StatusResponse>(s.body);
  EXPECT_EQ(st.node(), "node-1");
  EXPECT_EQ(st.peers(0).name(), "Mesh_10_0_0_2");

  auto r = http("GET", "/v1/routes?prefix=10.65.2.0%2F26&family=ipv4&peer=Mesh_10_0_0_3&limit=1");
  ASSERT_EQ(r.status, 200) << r.body;
  auto routes = parse<RoutesResponse>(r.body);
  EXPECT_EQ(routes.routes(0).prefix(), "10.65.2.0/26");
  EXPECT_EQ(routes.routes(0).paths(0).peer(), "Mesh_10_0_0_3");
  EXPECT_TRUE(routes.truncated());

  auto f = http("GET", "/v1/fib?prefix=10.65.3.0/26");
  ASSERT_EQ(f.status, 200);
  EXPECT_EQ(parse<FibResponse>(f.body).routes(0).prefix(), "10.65.3.0/26");

  for (std::string target : {"/v1/explain/10.65.4.0%2F26", "/v1/explain/10.65.4.0/26",
                             "/v1/explain?prefix=10.65.4.0/26"}) {
    auto e = http("GET", target);
    ASSERT_EQ(e.status, 200) << target << " " << e.body;
    EXPECT_EQ(parse<ExplainResponse>(e.body).prefix(), "10.65.4.0/26");
  }
}

TEST_F(RestTest, HealthReadyStop) {
  auto h = http("GET", "/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.body, "ok\n");
  EXPECT_EQ(http("GET", "/readyz").status, 200);
  backend_.set_health(true, false, {"waiting for End-of-RIB from Mesh_10_0_0_2", "FIB not swept"});
  auto r = http("GET", "/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, "not ready\nwaiting for End-of-RIB from Mesh_10_0_0_2\nFIB not swept\n");
  backend_.set_health(false, false, {});
  EXPECT_EQ(http("GET", "/healthz").status, 503);

  EXPECT_EQ(http("POST", "/v1/stop", R"({"hard":true})").status, 200);
  EXPECT_EQ(http("POST", "/v1/stop").status, 200);
  EXPECT_EQ(backend_.stops(), (std::vector<bool>{true, false}));
}

TEST_F(RestTest, KeepAliveServesSeveralRequests) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
  for (int i = 0; i < 3; ++i) {
    http::request<http::string_body> req(http::verb::get, "/healthz", 11);
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    EXPECT_EQ(res.result_int(), 200u);
  }
}

// --- bad input: each refused with its status and field; the intent stays as it was ---

struct BadCase {
  const char* name;
  const char* method;
  std::string target;
  std::string body;
  int status;
  const char* field;
  const char* message;  // a piece of the message
  std::string content_type = "application/json";
};

std::string big_body(size_t size) {
  std::string pad(size, 'x');
  return R"({"metadata":{"name":"big","annotations":{"pad":")" + pad +
         R"("}},"spec":{"cidr":"10.0.0.0/8"}})";
}

std::vector<BadCase> bad_cases() {
  const std::string pool = "/v1/ippools";
  const std::string peer = "/v1/bgppeers";
  auto p = [](const std::string& spec) {
    return R"({"metadata":{"name":"pool-b"},"spec":)" + spec + "}";
  };
  auto pr = [](const std::string& spec) {
    return R"({"metadata":{"name":"peer-b"},"spec":)" + spec + "}";
  };
  return {
      {"truncated JSON", "POST", pool, R"({"metadata":)", 400, "", "malformed JSON"},
      {"not JSON", "POST", pool, "not json", 400, "", "malformed JSON"},
      {"empty body", "POST", pool, "", 400, "", "malformed JSON"},
      {"array body", "POST", pool, "[1,2]", 400, "", "must be a JSON object"},
      {"string body", "POST", pool, R"("pool")", 400, "", "must be a JSON object"},
      {"trailing garbage", "POST", pool, R"({"metadata":{"name":"x"}} x)", 400, "", "malformed"},
      {"duplicate key", "POST", pool, R"({"metadata":{"name":"x"},"metadata":{}})", 400, "",
       "malformed JSON"},
      {"cidr number", "POST", pool, p(R"({"cidr":5})"), 400, "spec.cidr", "expected a string"},
      {"blockSize string", "POST", pool, p(R"({"cidr":"10.0.0.0/8","blockSize":"26"})"), 400,
       "spec.blockSize", "expected an integer"},
      {"blockSize negative", "POST", pool, p(R"({"cidr":"10.0.0.0/8","blockSize":-1})"), 400,
       "spec.blockSize", "out of range"},
      {"blockSize fraction", "POST", pool, p(R"({"cidr":"10.0.0.0/8","blockSize":1.5})"), 400,
       "spec.blockSize", "not whole"},
      {"natOutgoing string", "POST", pool, p(R"({"cidr":"10.0.0.0/8","natOutgoing":"yes"})"), 400,
       "spec.natOutgoing", "expected a boolean"},
      {"label value number", "POST", pool,
       R"({"metadata":{"name":"pool-b","labels":{"a":1}},"spec":{"cidr":"10.0.0.0/8"}})", 400,
       "metadata.labels.a", "expected a string"},
      {"spec array", "POST", pool, R"({"metadata":{"name":"pool-b"},"spec":[1]})", 400, "spec",
       "expected an object"},
      {"name number", "POST", pool, R"({"metadata":{"name":7}})", 400, "metadata.name",
       "expected a string"},
      {"filters string", "POST", peer, pr(R"({"peerIP":"192.0.2.9","filters":"f1"})"), 400,
       "spec.filters", "expected an array"},
      {"filters item number", "POST", peer, pr(R"({"peerIP":"192.0.2.9","filters":[1]})"), 400,
       "spec.filters[0]", "expected a string"},
      {"asNumber too big", "POST", peer, pr(R"({"asNumber":4294967296})"), 400, "spec.asNumber",
       "out of range"},
      {"unknown top-level field", "POST", pool,
       R"({"metadata":{"name":"pool-b"},"spec":{"cidr":"10.0.0.0/8"},"status":{}})", 400, "status",
       "unknown field"},
      {"unknown spec field", "POST", pool, p(R"({"cidr":"10.0.0.0/8","ipipModes":"Always"})"), 400,
       "spec.ipipModes", "unknown field"},
      {"unknown deep field", "POST", peer, pr(R"({"password":{"secretKeyRef":{"nam":"bgp"}}})"),
       400, "spec.password.secretKeyRef.nam", "unknown field"},
      {"proto spelling refused", "POST", pool, p(R"({"cidr":"10.0.0.0/8","ipip_mode":"Always"})"),
       400, "spec.ipip_mode", "unknown field"},
      {"kind differs from path", "POST", pool,
       R"({"kind":"BGPPeer","metadata":{"name":"pool-b"},"spec":{"cidr":"10.0.0.0/8"}})", 400,
       "kind", "the path says IPPool"},
      {"wrong apiVersion", "POST", pool,
       R"({"apiVersion":"crd.projectcalico.org/v1","metadata":{"name":"pool-b"}})", 400,
       "apiVersion", "projectcalico.org/v3"},
      {"invalid CIDR", "POST", pool, p(R"({"cidr":"bad"})"), 422, "spec.cidr", "invalid CIDR"},
      {"CIDR without mask", "POST", pool, p(R"({"cidr":"10.0.0.0"})"), 422, "spec.cidr",
       "invalid CIDR"},
      {"invalid CIDR on replace", "PUT", pool + "/pool-a",
       R"({"metadata":{"name":"pool-a"},"spec":{"cidr":"bad"}})", 422, "spec.cidr", "invalid CIDR"},
      {"peer AS 0", "POST", peer, pr(R"({"peerIP":"192.0.2.9","asNumber":0})"), 422,
       "spec.asNumber", "AS 0"},
      {"config AS 0", "POST", "/v1/bgpconfigurations",
       R"({"metadata":{"name":"default"},"spec":{"asNumber":0}})", 422, "spec.asNumber", "AS 0"},
      {"node AS 0", "POST", "/v1/nodes",
       R"({"metadata":{"name":"n1"},"spec":{"bgp":{"asNumber":0}}})", 422, "spec.bgp.asNumber",
       "AS 0"},
      {"pool bad selector", "POST", pool, p(R"({"cidr":"10.0.0.0/8","nodeSelector":"!!"})"), 422,
       "spec.nodeSelector", "bad selector"},
      {"peer bad selector", "POST", peer, pr(R"({"nodeSelector":"!!"})"), 422, "spec.nodeSelector",
       "bad selector"},
      {"oversized body", "POST", pool, big_body(70 << 10), 413, "", "larger than"},
      {"text/plain body", "POST", pool, p(R"({"cidr":"10.0.0.0/8"})"), 415, "Content-Type",
       "application/json", "text/plain"},
      {"form body", "PUT", pool + "/pool-a", "a=b", 415, "Content-Type", "application/json",
       "application/x-www-form-urlencoded"},
      {"name differs from path", "PUT", pool + "/other",
       R"({"metadata":{"name":"pool-a"},"spec":{"cidr":"10.0.0.0/8"}})", 400, "metadata.name",
       "differs from the path"},
      {"no name on replace", "PUT", pool + "/pool-a", R"({"spec":{"cidr":"10.0.0.0/8"}})", 400,
       "metadata.name", "differs from the path"},
      {"create existing", "POST", pool, kPoolA, 409, "metadata.name", "already exists"},
      {"unknown kind", "POST", "/v1/widgets", R"({"metadata":{"name":"w"}})", 404, "kind",
       "unknown kind"},
      {"unknown version", "GET", "/v2/status", "", 404, "", "no such path"},
      {"unknown subpath", "GET", "/v1/status/extra", "", 404, "", "no such path"},
      {"too deep", "GET", pool + "/pool-a/extra", "", 404, "", "no such path"},
      {"root", "GET", "/", "", 404, "", "no such path"},
      {"DELETE a collection", "DELETE", pool, "", 405, "", "method not allowed"},
      {"GET apply", "GET", "/v1/apply", "", 405, "", "method not allowed"},
      {"POST to a name", "POST", pool + "/pool-a", kPoolA, 405, "", "method not allowed"},
      {"POST healthz", "POST", "/healthz", "", 405, "", "method not allowed"},
      {"delete missing", "DELETE", pool + "/nope", "", 404, "metadata.name", "not found"},
      {"bad dryRun", "POST", pool + "?dryRun=maybe", p(R"({"cidr":"10.0.0.0/8"})"), 400, "dryRun",
       "expected true or false"},
      {"unknown query parameter", "POST", pool + "?force=true", p(R"({"cidr":"10.0.0.0/8"})"), 400,
       "force", "unknown query parameter"},
      {"dryRun on GET", "GET", pool + "?dryRun=true", "", 400, "dryRun", "unknown query parameter"},
      {"limit not a number", "GET", "/v1/routes?limit=ten", "", 400, "limit", "whole number"},
      {"family unknown", "GET", "/v1/routes?family=ipv5", "", 400, "family", "ipv4 or ipv6"},
      {"explain without prefix", "GET", "/v1/explain", "", 400, "prefix", "required"},
      {"explain not a prefix", "GET", "/v1/explain/10.0.0.1", "", 400, "prefix", "not a prefix"},
      {"bad percent encoding", "GET", pool + "/%zz", "", 400, "", "percent-encoding"},
      {"apply unknown nested field", "POST", "/v1/apply",
       R"({"objects":{"ipPools":[{"metadata":{"name":"x"},"spec":{"cidr":"10.0.0.0/8","bad":1}}]}})",
       400, "objects.ipPools[0].spec.bad", "unknown field"},
      {"apply bad CIDR applies nothing", "POST", "/v1/apply",
       R"({"objects":{"ipPools":[{"metadata":{"name":"ok"},"spec":{"cidr":"10.0.0.0/8"}},)"
       R"({"metadata":{"name":"x"},"spec":{"cidr":"bad"}}]}})",
       422, "spec.cidr", "invalid CIDR"},
      {"apply nothing", "POST", "/v1/apply", R"({"objects":{}})", 400, "objects", "nothing"},
      {"apply kind key", "POST", "/v1/apply", R"({"kind":"List","objects":{}})", 400, "kind",
       "unknown field"},
      {"stop unknown field", "POST", "/v1/stop", R"({"soft":true})", 400, "soft", "unknown field"},
  };
}

TEST_F(RestTest, BadInputIsRefusedAndChangesNothing) {
  ASSERT_EQ(http("POST", "/v1/ippools", kPoolA).status, 201);
  const auto cases = bad_cases();
  ASSERT_GE(cases.size(), 40u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string before = backend_.snapshot();
    std::map<std::string, std::string> headers;
    if (!c.body.empty()) headers["Content-Type"] = c.content_type;
    auto reply = http(c.method, c.target, c.body, headers);
    EXPECT_EQ(reply.status, c.status) << reply.body;
    auto error = error_of(reply.body);
    EXPECT_EQ(error.status, c.status);
    EXPECT_EQ(error.field, c.field) << error.message;
    EXPECT_NE(error.message.find(c.message), std::string::npos) << error.message;
    EXPECT_EQ(backend_.snapshot(), before);
    if (c.status == 405) {
      EXPECT_FALSE(reply.headers["Allow"].empty());
    }
  }
  EXPECT_TRUE(backend_.stops().empty());
}

TEST_F(RestTest, OversizedBodyIsRefusedBeforeItIsSent) {
  // Only the headers go out: the 413 must come from Content-Length alone.
  std::string reply =
      raw_request(port_,
                  "POST /v1/ippools HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  "Content-Length: 100000000\r\n\r\n{");
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply;
}

TEST_F(RestTest, OversizedChunkedBodyIsRefused) {
  std::string chunk(40 << 10, ' ');
  std::string request =
      "POST /v1/ippools HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i)
    request += "a000\r\n" + chunk + "\r\n";
  request += "0\r\n\r\n";
  std::string reply = raw_request(port_, request);
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply.substr(0, 200);
}

TEST_F(RestTest, HugeHeadersAreRefused) {
  std::string reply = raw_request(port_, "GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Pad: " +
                                             std::string(32 << 10, 'a') + "\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 431", 0), 0u) << reply.substr(0, 200);
}

TEST_F(RestTest, GarbageRequestLineClosesTheConnection) {
  std::string reply = raw_request(port_, "HELLO\r\n\r\n");
  EXPECT_EQ(reply.find("200"), std::string::npos);
  EXPECT_EQ(http("GET", "/healthz").status, 200);  // the server is still there
}

}  // namespace
}  // namespace tern::api::testing
