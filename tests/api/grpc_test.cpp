// gRPC over the unix socket: every rpc, the same answers as REST, errors as gRPC statuses, and
// watch streams (gRPC server streaming and REST Server-Sent Events).

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <sys/stat.h>

#include <thread>

#include "api/grpc_service.hpp"
#include "api/json.hpp"
#include "tests/api/harness.hpp"

namespace tern::api::testing {
namespace {

using google::protobuf::util::MessageDifferencer;

Object pool(const std::string& name, const std::string& cidr) {
  Object o;
  o.mutable_ip_pool()->mutable_metadata()->set_name(name);
  o.mutable_ip_pool()->mutable_spec()->set_cidr(cidr);
  o.mutable_ip_pool()->mutable_spec()->set_ipip_mode("CrossSubnet");
  return o;
}

template <typename T>
T from_json(const std::string& json) {
  T out;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &out).ok()) << json;
  return out;
}

std::string trailing_field(const grpc::ClientContext& context) {
  auto& md = context.GetServerTrailingMetadata();
  auto it = md.find("tern-field");
  return it == md.end() ? "" : std::string(it->second.data(), it->second.size());
}

class GrpcTest : public ApiHarness {
 protected:
  ChangeResponse create(const Object& object, grpc::Status* status = nullptr) {
    grpc::ClientContext context;
    CreateRequest request;
    *request.mutable_object() = object;
    ChangeResponse response;
    auto s = stub_->Create(&context, request, &response);
    if (status) *status = s;
    return response;
  }
};

TEST_F(GrpcTest, EveryOperation) {
  grpc::Status s;
  auto created = create(pool("p1", "10.65.0.0/16"), &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(created.revision(), 2u);

  {
    grpc::ClientContext c;
    GetRequest r;
    r.mutable_ref()->set_kind("ippools");  // any spelling of the kind
    r.mutable_ref()->set_name("p1");
    Object o;
    ASSERT_TRUE(stub_->Get(&c, r, &o).ok());
    EXPECT_TRUE(MessageDifferencer::Equals(o, pool("p1", "10.65.0.0/16")));
  }
  {
    grpc::ClientContext c;
    ReplaceRequest r;
    *r.mutable_object() = pool("p1", "10.66.0.0/16");
    ChangeResponse out;
    ASSERT_TRUE(stub_->Replace(&c, r, &out).ok());
    EXPECT_EQ(out.revision(), 3u);
  }
  {
    grpc::ClientContext c;
    ApplyRequest r;
    auto* peer = r.mutable_objects()->add_bgp_peers();
    peer->mutable_metadata()->set_name("tor");
    peer->mutable_spec()->set_as_number(65001);
    ChangeResponse out;
    ASSERT_TRUE(stub_->Apply(&c, r, &out).ok());
  }
  {
    grpc::ClientContext c;
    ListRequest r;
    r.set_kind("IPPool");
    ListResponse out;
    ASSERT_TRUE(stub_->List(&c, r, &out).ok());
    ASSERT_EQ(out.objects_size(), 1);
    EXPECT_EQ(out.objects(0).ip_pool().spec().cidr(), "10.66.0.0/16");
  }
  {
    grpc::ClientContext c;
    DeleteRequest r;
    r.mutable_ref()->set_kind("BGPPeer");
    r.mutable_ref()->set_name("tor");
    ChangeResponse out;
    ASSERT_TRUE(stub_->Delete(&c, r, &out).ok());
  }
  {
    StatusResponse st;
    st.set_node("n1");
    backend_.set_status(st);
    grpc::ClientContext c;
    StatusResponse out;
    ASSERT_TRUE(stub_->Status(&c, StatusRequest(), &out).ok());
    EXPECT_EQ(out.node(), "n1");
  }
  {
    grpc::ClientContext c;
    RoutesRequest r;
    r.set_prefix("10.65.1.0/26");
    RoutesResponse out;
    ASSERT_TRUE(stub_->Routes(&c, r, &out).ok());
    EXPECT_EQ(out.routes(0).prefix(), "10.65.1.0/26");
  }
  {
    grpc::ClientContext c;
    FibResponse out;
    ASSERT_TRUE(stub_->Fib(&c, FibRequest(), &out).ok());
    EXPECT_EQ(out.routes(0).state(), "installed");
  }
  {
    grpc::ClientContext c;
    ExplainRequest r;
    r.set_prefix("10.65.1.0/26");
    ExplainResponse out;
    ASSERT_TRUE(stub_->Explain(&c, r, &out).ok());
    EXPECT_EQ(out.ipip_mode(), "Always");
  }
  {
    backend_.set_health(true, false, {"no peers yet"});
    grpc::ClientContext c;
    HealthResponse out;
    ASSERT_TRUE(stub_->Health(&c, HealthRequest(), &out).ok());
    EXPECT_FALSE(out.ready());
    EXPECT_EQ(out.reasons(0), "no peers yet");
  }
  {
    grpc::ClientContext c;
    StopRequest r;
    r.set_hard(true);
    StopResponse out;
    ASSERT_TRUE(stub_->Stop(&c, r, &out).ok());
    EXPECT_EQ(backend_.stops(), std::vector<bool>{true});
  }
}

TEST_F(GrpcTest, SameRequestSameAnswerThroughBoth) {
  ASSERT_EQ(http("POST", "/v1/ippools", resource_to_json(pool("p1", "10.65.0.0/16"))).status, 201);
  create(pool("p2", "10.67.0.0/16"));
  StatusResponse st;
  st.set_node("n1");
  auto* peer = st.add_peers();
  peer->set_name("Mesh_10_0_0_2");
  peer->set_fsm_state("Established");
  (*peer->mutable_update_errors())["treat-as-withdraw"] = 2;
  backend_.set_status(st);
  const std::string before = backend_.snapshot();

  auto same = [](const google::protobuf::Message& a, const google::protobuf::Message& b) {
    EXPECT_TRUE(MessageDifferencer::Equals(a, b)) << a.DebugString() << "\nvs\n" << b.DebugString();
  };

  {  // dry-run create
    grpc::ClientContext c;
    CreateRequest r;
    *r.mutable_object() = pool("p3", "10.68.0.0/16");
    r.set_dry_run(true);
    ChangeResponse g;
    ASSERT_TRUE(stub_->Create(&c, r, &g).ok());
    auto rest = http("POST", "/v1/ippools?dryRun=true", resource_to_json(r.object()));
    same(g, from_json<ChangeResponse>(rest.body));
  }
  {  // dry-run replace
    grpc::ClientContext c;
    ReplaceRequest r;
    *r.mutable_object() = pool("p1", "10.69.0.0/16");
    r.set_dry_run(true);
    ChangeResponse g;
    ASSERT_TRUE(stub_->Replace(&c, r, &g).ok());
    same(g, from_json<ChangeResponse>(
                http("PUT", "/v1/ippools/p1?dryRun=true", resource_to_json(r.object())).body));
  }
  {  // dry-run apply
    grpc::ClientContext c;
    ApplyRequest r;
    *r.mutable_objects()->add_ip_pools() = pool("p4", "10.70.0.0/16").ip_pool();
    r.set_dry_run(true);
    ChangeResponse g;
    ASSERT_TRUE(stub_->Apply(&c, r, &g).ok());
    same(g, from_json<ChangeResponse>(http("POST", "/v1/apply", to_json(r)).body));
  }
  {  // dry-run delete
    grpc::ClientContext c;
    DeleteRequest r;
    r.mutable_ref()->set_kind("IPPool");
    r.mutable_ref()->set_name("p2");
    r.set_dry_run(true);
    ChangeResponse g;
    ASSERT_TRUE(stub_->Delete(&c, r, &g).ok());
    same(g, from_json<ChangeResponse>(http("DELETE", "/v1/ippools/p2?dryRun=true").body));
  }
  {  // get
    grpc::ClientContext c;
    GetRequest r;
    r.mutable_ref()->set_kind("IPPool");
    r.mutable_ref()->set_name("p1");
    Object g;
    ASSERT_TRUE(stub_->Get(&c, r, &g).ok());
    Object rest;
    ASSERT_FALSE(
        parse_resource_json(http("GET", "/v1/ippools/p1").body, *find_kind("IPPool"), rest));
    same(g, rest);
  }
  {  // list: REST's items are GET's objects
    grpc::ClientContext c;
    ListRequest r;
    r.set_kind("IPPool");
    ListResponse g;
    ASSERT_TRUE(stub_->List(&c, r, &g).ok());
    ASSERT_EQ(g.objects_size(), 2);
    auto list = from_json<google::protobuf::Struct>(http("GET", "/v1/ippools").body);
    ListResponse rest;
    for (const auto& item : list.fields().at("items").list_value().values()) {
      std::string json;
      ASSERT_TRUE(google::protobuf::util::MessageToJsonString(item.struct_value(), &json).ok());
      ASSERT_FALSE(parse_resource_json(json, *find_kind("IPPool"), *rest.add_objects()));
    }
    same(g, rest);
  }
  {
    grpc::ClientContext c;
    StatusResponse g;
    ASSERT_TRUE(stub_->Status(&c, StatusRequest(), &g).ok());
    same(g, from_json<StatusResponse>(http("GET", "/v1/status").body));
  }
  {
    grpc::ClientContext c;
    RoutesRequest r;
    r.set_prefix("10.65.9.0/26");
    r.set_family("ipv4");
    r.set_peer("Mesh_10_0_0_2");
    r.set_limit(1);
    RoutesResponse g;
    ASSERT_TRUE(stub_->Routes(&c, r, &g).ok());
    same(g, from_json<RoutesResponse>(
                http("GET", "/v1/routes?prefix=10.65.9.0/26&family=ipv4&peer=Mesh_10_0_0_2&limit=1")
                    .body));
  }
  {
    grpc::ClientContext c;
    FibRequest r;
    r.set_prefix("10.65.9.0/26");
    FibResponse g;
    ASSERT_TRUE(stub_->Fib(&c, r, &g).ok());
    same(g, from_json<FibResponse>(http("GET", "/v1/fib?prefix=10.65.9.0%2F26").body));
  }
  {
    grpc::ClientContext c;
    ExplainRequest r;
    r.set_prefix("10.65.9.0/26");
    ExplainResponse g;
    ASSERT_TRUE(stub_->Explain(&c, r, &g).ok());
    same(g, from_json<ExplainResponse>(http("GET", "/v1/explain/10.65.9.0%2F26").body));
  }
  EXPECT_EQ(backend_.snapshot(), before);
}

TEST_F(GrpcTest, RefusalsBecomeStatusesAndChangeNothing) {
  create(pool("p1", "10.65.0.0/16"));
  const std::string before = backend_.snapshot();
  struct Case {
    const char* name;
    Object object;
    grpc::StatusCode code;
    const char* field;
  };
  Object peer_as0;
  peer_as0.mutable_bgp_peer()->mutable_metadata()->set_name("x");
  peer_as0.mutable_bgp_peer()->mutable_spec()->set_as_number(0);
  Object selector = pool("p9", "10.9.0.0/16");
  selector.mutable_ip_pool()->mutable_spec()->set_node_selector("!!");
  std::vector<Case> cases = {
      {"invalid CIDR", pool("p2", "bad"), grpc::StatusCode::INVALID_ARGUMENT, "spec.cidr"},
      {"exists", pool("p1", "10.65.0.0/16"), grpc::StatusCode::ALREADY_EXISTS, "metadata.name"},
      {"AS 0", peer_as0, grpc::StatusCode::INVALID_ARGUMENT, "spec.asNumber"},
      {"bad selector", selector, grpc::StatusCode::INVALID_ARGUMENT, "spec.nodeSelector"},
      {"no object", Object(), grpc::StatusCode::INVALID_ARGUMENT, "object"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    grpc::ClientContext context;
    CreateRequest request;
    *request.mutable_object() = c.object;
    ChangeResponse response;
    auto s = stub_->Create(&context, request, &response);
    EXPECT_EQ(s.error_code(), c.code) << s.error_message();
    EXPECT_EQ(s.error_message().rfind(std::string(c.field) + ": ", 0), 0u) << s.error_message();
    EXPECT_EQ(trailing_field(context), c.field);
    EXPECT_EQ(backend_.snapshot(), before);
  }
  {
    grpc::ClientContext context;
    DeleteRequest request;
    request.mutable_ref()->set_kind("Widget");
    request.mutable_ref()->set_name("w");
    ChangeResponse response;
    auto s = stub_->Delete(&context, request, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(trailing_field(context), "kind");
  }
  {
    grpc::ClientContext context;
    GetRequest request;
    request.mutable_ref()->set_kind("IPPool");
    request.mutable_ref()->set_name("nope");
    Object response;
    EXPECT_EQ(stub_->Get(&context, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_EQ(backend_.snapshot(), before);
}

TEST(GrpcCodes, FromHttpStatus) {
  EXPECT_EQ(grpc_code_for(400), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(grpc_code_for(422), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(grpc_code_for(401), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(grpc_code_for(404), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(grpc_code_for(409), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(grpc_code_for(413), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(grpc_code_for(503), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(grpc_code_for(500), grpc::StatusCode::INTERNAL);
}

Event session_event(const std::string& name) {
  Event e;
  e.set_time_unix_ms(1000);
  e.mutable_session()->set_name(name);
  e.mutable_session()->set_from_state("OpenConfirm");
  e.mutable_session()->set_to_state("Established");
  return e;
}

Event route_event(const std::string& prefix) {
  Event e;
  e.mutable_route()->set_prefix(prefix);
  e.mutable_route()->set_action("best");
  return e;
}

// Waits until the backend has `n` watchers (a stream is live once it subscribed).
bool wait_for_watchers(FakeBackend& backend, size_t n) {
  for (int i = 0; i < 500; ++i) {
    if (backend.watchers() == n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST_F(GrpcTest, WatchStreamsEventsUntilCancelled) {
  grpc::ClientContext context;
  WatchRequest request;
  request.set_sessions(true);  // routes not asked for
  auto reader = stub_->Watch(&context, request);
  ASSERT_TRUE(wait_for_watchers(backend_, 1));
  backend_.emit(session_event("Mesh_10_0_0_2"));
  backend_.emit(route_event("10.65.1.0/26"));  // filtered out
  backend_.emit(session_event("Mesh_10_0_0_3"));
  Event e;
  ASSERT_TRUE(reader->Read(&e));
  EXPECT_TRUE(MessageDifferencer::Equals(e, session_event("Mesh_10_0_0_2")));
  ASSERT_TRUE(reader->Read(&e));
  EXPECT_EQ(e.session().name(), "Mesh_10_0_0_3");
  context.TryCancel();
  while (reader->Read(&e)) {
  }
  reader->Finish();
  EXPECT_TRUE(wait_for_watchers(backend_, 0));
}

TEST_F(GrpcTest, ServerStopEndsOpenWatches) {
  grpc::ClientContext context;
  WatchRequest request;
  request.set_routes(true);
  auto reader = stub_->Watch(&context, request);
  ASSERT_TRUE(wait_for_watchers(backend_, 1));
  server_->stop();
  Event e;
  EXPECT_FALSE(reader->Read(&e));
  EXPECT_EQ(backend_.watchers(), 0u);
}

// Reads Server-Sent Events from /v1/watch until `count` data lines arrived.
std::vector<std::string> read_sse(uint16_t port, const std::string& target, FakeBackend& backend,
                                  const std::vector<Event>& emit, size_t count,
                                  std::string* head = nullptr) {
  boost::asio::io_context ioc;
  boost::beast::tcp_stream stream(ioc);
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  stream.expires_after(std::chrono::seconds(10));
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
  boost::asio::write(stream, boost::asio::buffer(request));
  std::string got;
  char buf[4096];
  // The header arrives once the subscription exists.
  while (got.find("\r\n\r\n") == std::string::npos) {
    got.append(buf, stream.read_some(boost::asio::buffer(buf)));
  }
  if (head) *head = got.substr(0, got.find("\r\n\r\n"));
  for (const auto& e : emit)
    backend.emit(e);
  std::vector<std::string> data;
  size_t pos = 0;
  while (data.size() < count) {
    size_t at = got.find("data: ", pos);
    size_t end = at == std::string::npos ? at : got.find("\n\n", at);
    if (end == std::string::npos) {
      boost::beast::error_code ec;
      size_t n = stream.read_some(boost::asio::buffer(buf), ec);
      if (ec) break;
      got.append(buf, n);
      continue;
    }
    data.push_back(got.substr(at + 6, end - at - 6));
    pos = end;
  }
  return data;
}

TEST_F(GrpcTest, RestWatchIsServerSentEvents) {
  std::string head;
  auto data = read_sse(port_, "/v1/watch?sessions=true&routes=true", backend_,
                       {session_event("Mesh_10_0_0_2"), route_event("10.65.1.0/26")}, 2, &head);
  EXPECT_NE(head.find("HTTP/1.1 200"), std::string::npos);
  EXPECT_NE(head.find("Content-Type: text/event-stream"), std::string::npos);
  ASSERT_EQ(data.size(), 2u);
  EXPECT_TRUE(
      MessageDifferencer::Equals(from_json<Event>(data[0]), session_event("Mesh_10_0_0_2")));
  EXPECT_TRUE(MessageDifferencer::Equals(from_json<Event>(data[1]), route_event("10.65.1.0/26")));
  // The client went away: its subscription goes too.
  EXPECT_TRUE(wait_for_watchers(backend_, 0));
}

TEST_F(GrpcTest, RestWatchFilters) {
  auto data = read_sse(port_, "/v1/watch?routes=true", backend_,
                       {session_event("Mesh_10_0_0_2"), route_event("10.65.1.0/26")}, 1);
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(from_json<Event>(data[0]).route().prefix(), "10.65.1.0/26");
}

TEST_F(GrpcTest, UnixSocketIsPrivate) {
  struct stat st {};
  ASSERT_EQ(::stat(options_.unix_socket.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string dir = options_.unix_socket.substr(0, options_.unix_socket.rfind('/'));
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

}  // namespace
}  // namespace tern::api::testing
