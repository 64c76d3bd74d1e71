// Who may use the API and how much: bearer tokens on both transports, refusing to expose a
// listener without one, the unix socket's life cycle, connection and watch-stream caps.

#include <sys/socket.h>
#include <sys/un.h>

#include <fstream>

#include "api/auth.hpp"
#include "api/rate_limit.hpp"
#include "api/unix_socket.hpp"
#include "tests/api/harness.hpp"

namespace tern::api::testing {
namespace {

constexpr const char* kToken = "s3cr3t-t0ken";
constexpr const char* kPool = R"({"metadata":{"name":"p"},"spec":{"cidr":"10.65.0.0/16"}})";

class TokenTest : public ApiHarness {
 protected:
  void customize(ApiServerOptions& options) override {
    options.token_file = dir_ + "/token";
    std::ofstream(options.token_file) << kToken << "\n";
  }
};

TEST_F(TokenTest, RestNeedsTheToken) {
  const std::string before = backend_.snapshot();
  struct Case {
    const char* name;
    std::map<std::string, std::string> headers;
  };
  std::vector<Case> refused = {
      {"no header", {}},
      {"wrong token", {{"Authorization", "Bearer nope"}}},
      {"token prefix", {{"Authorization", "Bearer s3cr3t"}}},
      {"token plus more", {{"Authorization", std::string("Bearer ") + kToken + "x"}}},
      {"basic scheme", {{"Authorization", std::string("Basic ") + kToken}}},
      {"bare token", {{"Authorization", kToken}}},
  };
  for (auto c : refused) {
    SCOPED_TRACE(c.name);
    c.headers["Content-Type"] = "application/json";
    auto create = http("POST", "/v1/ippools", kPool, c.headers);
    EXPECT_EQ(create.status, 401);
    EXPECT_EQ(create.headers["WWW-Authenticate"], "Bearer");
    EXPECT_NE(create.body.find("\"field\":\"authorization\""), std::string::npos) << create.body;
    EXPECT_EQ(http("GET", "/v1/status", "", c.headers).status, 401);
    EXPECT_EQ(http("GET", "/metrics", "", c.headers).status, 401);
    EXPECT_EQ(http("GET", "/v1/watch", "", c.headers).status, 401);
    EXPECT_EQ(backend_.snapshot(), before);
  }
  // Probes need no token.
  EXPECT_EQ(http("GET", "/healthz").status, 200);
  EXPECT_EQ(http("GET", "/readyz").status, 200);
  // The right one (the scheme is case-insensitive).
  EXPECT_EQ(
      http("GET", "/v1/status", "", {{"Authorization", std::string("Bearer ") + kToken}}).status,
      200);
  EXPECT_EQ(http("POST", "/v1/ippools", kPool,
                 {{"Authorization", std::string("bearer ") + kToken},
                  {"Content-Type", "application/json"}})
                .status,
            201);
}

TEST_F(TokenTest, GrpcNeedsTheToken) {
  const std::string before = backend_.snapshot();
  CreateRequest create;
  create.mutable_object()->mutable_ip_pool()->mutable_metadata()->set_name("p");
  create.mutable_object()->mutable_ip_pool()->mutable_spec()->set_cidr("10.65.0.0/16");
  for (std::string auth : {"", "Bearer nope", "s3cr3t-t0ken"}) {
    grpc::ClientContext context;
    if (!auth.empty()) context.AddMetadata("authorization", auth);
    ChangeResponse out;
    EXPECT_EQ(stub_->Create(&context, create, &out).error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << auth;
  }
  EXPECT_EQ(backend_.snapshot(), before);
  {
    grpc::ClientContext context;
    HealthResponse out;
    EXPECT_TRUE(stub_->Health(&context, HealthRequest(), &out).ok());
  }
  grpc::ClientContext context;
  context.AddMetadata("authorization", std::string("Bearer ") + kToken);
  ChangeResponse out;
  EXPECT_TRUE(stub_->Create(&context, create, &out).ok());
}

class StartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/tern-api-start-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    options_.unix_socket = dir_ + "/tern.sock";
    options_.rest_listen = "127.0.0.1:0";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string start(ApiServer& server) { return server.start(options_); }

  FakeBackend backend_;
  ApiServerOptions options_;
  std::string dir_;
};

TEST_F(StartTest, ExposedListenersNeedAToken) {
  ApiServer server(backend_);
  for (std::string listen : {"0.0.0.0:0", "[::]:0", "192.0.2.1:9179"}) {
    options_.rest_listen = listen;
    std::string err = start(server);
    EXPECT_NE(err.find("bearer token"), std::string::npos) << listen << ": " << err;
  }
  options_.rest_listen = "127.0.0.1:0";
  options_.grpc_listen = "0.0.0.0:0";
  EXPECT_NE(start(server).find("bearer token"), std::string::npos);
  // Nothing was left listening.
  EXPECT_FALSE(std::filesystem::exists(options_.unix_socket));

  std::ofstream(dir_ + "/token") << "t\n";
  options_.token_file = dir_ + "/token";
  options_.rest_listen = "0.0.0.0:0";
  EXPECT_EQ(start(server), "");
  EXPECT_NE(server.rest_port(), 0);
  EXPECT_NE(server.grpc_port(), 0);
  server.stop();
}

TEST_F(StartTest, TokenFileMustHoldAToken) {
  ApiServer server(backend_);
  options_.token_file = dir_ + "/missing";
  EXPECT_NE(start(server).find("cannot read"), std::string::npos);
  std::ofstream(dir_ + "/empty") << "\n";
  options_.token_file = dir_ + "/empty";
  EXPECT_NE(start(server).find("empty"), std::string::npos);
}

TEST_F(StartTest, GrpcOverTcpOnLoopback) {
  options_.grpc_listen = "127.0.0.1:0";
  ApiServer server(backend_);
  ASSERT_EQ(start(server), "");
  auto stub = Tern::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(server.grpc_port()),
                                                grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  HealthResponse out;
  EXPECT_TRUE(stub->Health(&context, HealthRequest(), &out).ok());
}

TEST_F(StartTest, StaleSocketIsReplacedLiveOneRefused) {
  // A socket file nobody listens on, as a killed ternd leaves it.
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, options_.unix_socket.c_str(), sizeof(addr.sun_path) - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::close(fd);
  ASSERT_TRUE(std::filesystem::exists(options_.unix_socket));

  ApiServer first(backend_);
  ASSERT_EQ(start(first), "");
  ApiServer second(backend_);
  EXPECT_NE(start(second).find("in use"), std::string::npos);
  first.stop();
}

TEST_F(StartTest, RegularFileIsNotReplaced) {
  std::ofstream(options_.unix_socket) << "data";
  ApiServer server(backend_);
  EXPECT_NE(start(server).find("not a socket"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(options_.unix_socket));
}

TEST_F(StartTest, StopIsIdempotentAndRestartable) {
  ApiServer server(backend_);
  ASSERT_EQ(start(server), "");
  server.stop();
  server.stop();
  ASSERT_EQ(start(server), "");
  EXPECT_EQ(http_request(server.rest_port(), "GET", "/healthz").status, 200);
}

class LimitsTest : public ApiHarness {
 protected:
  void customize(ApiServerOptions& options) override {
    options.max_connections = 2;
    options.max_watch_streams = 1;
  }
};

TEST_F(LimitsTest, ConnectionCap) {
  boost::asio::io_context ioc;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::socket>> idle;
  for (int i = 0; i < 2; ++i) {
    idle.push_back(std::make_unique<boost::asio::ip::tcp::socket>(ioc));
    idle.back()->connect({boost::asio::ip::make_address("127.0.0.1"), port_});
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::string reply = raw_request(port_, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 503", 0), 0u) << reply;
  idle.clear();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(http("GET", "/healthz").status, 200);
}

TEST_F(LimitsTest, WatchStreamCap) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket first(ioc);
  first.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
  boost::asio::write(first, boost::asio::buffer(std::string("GET /v1/watch HTTP/1.1\r\n\r\n")));
  char buf[256];
  first.read_some(boost::asio::buffer(buf));  // the stream's header: it is open
  auto second = http("GET", "/v1/watch");
  EXPECT_EQ(second.status, 429);
  first.close();
  for (int i = 0; i < 100 && backend_.watchers() != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // gRPC has its own cap of one.
  grpc::ClientContext a;
  auto reader = stub_->Watch(&a, WatchRequest());
  for (int i = 0; i < 100 && backend_.watchers() != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  grpc::ClientContext b;
  auto refused = stub_->Watch(&b, WatchRequest());
  Event e;
  EXPECT_FALSE(refused->Read(&e));
  EXPECT_EQ(refused->Finish().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  a.TryCancel();
  reader->Finish();
}

class RateTest : public ApiHarness {
 protected:
  void customize(ApiServerOptions& options) override {
    options.rest_rate = 1;
    options.rest_burst = 3;
  }
};

TEST_F(RateTest, AClientOverItsRateGets429AndTheProbesStillAnswer) {
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(http("GET", "/v1/status").status, 200) << "the burst, request " << i;
  const auto refused = http("GET", "/v1/status");
  EXPECT_EQ(refused.status, 429);
  EXPECT_NE(refused.body.find("too many requests"), std::string::npos) << refused.body;
  EXPECT_EQ(http("GET", "/readyz").status, 200) << "probes are never limited";
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(http("GET", "/v1/status").status, 200) << "a token a second";
}

TEST(RateLimiter, BurstThenRateThenForgetsQuietClients) {
  RateLimiter r(10, 2);
  const auto t0 = RateLimiter::Clock::now();
  EXPECT_TRUE(r.allow("a", t0));
  EXPECT_TRUE(r.allow("a", t0));
  EXPECT_FALSE(r.allow("a", t0));
  EXPECT_TRUE(r.allow("b", t0)) << "each client has its own bucket";
  EXPECT_FALSE(r.allow("a", t0 + std::chrono::milliseconds(50)));
  EXPECT_TRUE(r.allow("a", t0 + std::chrono::milliseconds(150)));
  // Many addresses: the map stays bounded, quiet clients make room.
  for (int i = 0; i < 5000; ++i)
    r.allow("scan" + std::to_string(i), t0 + std::chrono::seconds(10 + i));
  EXPECT_TRUE(r.allow("a", t0 + std::chrono::seconds(20000)));
  EXPECT_TRUE(RateLimiter(0, 0).allow("x")) << "rate 0: no limit";
}

TEST(Auth, ConstantTimeEquals) {
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "ab"));
  EXPECT_FALSE(constant_time_equals("", "a"));
  EXPECT_TRUE(constant_time_equals("", ""));
}

TEST(Auth, BearerHeader) {
  EXPECT_TRUE(bearer_matches("Bearer tok", "tok"));
  EXPECT_TRUE(bearer_matches("BEARER tok", "tok"));
  EXPECT_FALSE(bearer_matches("Bearer", "tok"));
  EXPECT_FALSE(bearer_matches("Bearer ", ""));
  EXPECT_FALSE(bearer_matches("Token tok", "tok"));
}

TEST(Auth, Loopback) {
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.1.2.3"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_TRUE(is_loopback_host("::ffff:127.0.0.1"));
  EXPECT_FALSE(is_loopback_host("0.0.0.0"));
  EXPECT_FALSE(is_loopback_host("::"));
  EXPECT_FALSE(is_loopback_host("10.0.0.1"));
  EXPECT_FALSE(is_loopback_host("example.com"));
}

TEST(Auth, HostPort) {
  std::string err;
  auto v4 = parse_host_port("127.0.0.1:9179", &err);
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 9179);
  auto v6 = parse_host_port("[::1]:80", &err);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_FALSE(parse_host_port("::1:80", &err));
  EXPECT_FALSE(parse_host_port("127.0.0.1", &err));
  EXPECT_FALSE(parse_host_port("127.0.0.1:99999", &err));
  EXPECT_FALSE(parse_host_port("nosuchhost:80", &err));
}

}  // namespace
}  // namespace tern::api::testing
