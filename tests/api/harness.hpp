#pragma once
// A running ApiServer over a FakeBackend (REST on a free loopback port, gRPC on a unix socket
// in a temp dir), a blocking HTTP client, and a gRPC stub.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <map>
#include <string>

#include "api/api_server.hpp"
#include "api/tern.grpc.pb.h"
#include "tests/api/fake_backend.hpp"

namespace tern::api::testing {

struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
};

// One request on its own connection. `headers` default to a JSON Content-Type when a body is
// given.
inline HttpReply http_request(uint16_t port, const std::string& method, const std::string& target,
                              const std::string& body = "",
                              std::map<std::string, std::string> headers = {}) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  stream.expires_after(std::chrono::seconds(10));
  http::request<http::string_body> req(http::string_to_verb(method), target, 11);
  req.set(http::field::host, "127.0.0.1");
  if (!body.empty() && !headers.count("Content-Type")) {
    req.set(http::field::content_type, "application/json");
  }
  for (const auto& [name, value] : headers)
    req.set(name, value);
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  beast::error_code ec;
  http::read(stream, buffer, res, ec);
  HttpReply out;
  if (ec) {
    out.status = -1;
    out.body = ec.message();
    return out;
  }
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  for (const auto& field : res) {
    out.headers[std::string(field.name_string())] = std::string(field.value());
  }
  return out;
}

// Raw bytes in, raw response out (for requests a well-behaved client cannot make).
inline std::string raw_request(uint16_t port, const std::string& bytes) {
  boost::asio::io_context ioc;
  boost::beast::tcp_stream stream(ioc);
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  stream.expires_after(std::chrono::seconds(10));
  boost::beast::error_code ec;
  boost::asio::write(stream, boost::asio::buffer(bytes), ec);
  std::string out;
  char buf[4096];
  for (;;) {
    size_t n = stream.read_some(boost::asio::buffer(buf), ec);
    out.append(buf, n);
    if (ec) break;
  }
  return out;
}

class ApiHarness : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/tern-api-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    options_.unix_socket = dir_ + "/run/tern.sock";
    options_.rest_listen = "127.0.0.1:0";
    options_.body_limit = 64 << 10;
    customize(options_);
    server_ = std::make_unique<ApiServer>(backend_);
    std::string err = server_->start(options_);
    ASSERT_EQ(err, "");
    port_ = server_->rest_port();
    channel_ =
        grpc::CreateChannel("unix:" + options_.unix_socket, grpc::InsecureChannelCredentials());
    stub_ = Tern::NewStub(channel_);
  }

  void TearDown() override {
    stub_.reset();
    channel_.reset();
    if (server_) server_->stop();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  virtual void customize(ApiServerOptions&) {}

  HttpReply http(const std::string& method, const std::string& target, const std::string& body = "",
                 std::map<std::string, std::string> headers = {}) {
    return http_request(port_, method, target, body, std::move(headers));
  }

  FakeBackend backend_;
  ApiServerOptions options_;
  std::unique_ptr<ApiServer> server_;
  uint16_t port_ = 0;
  std::string dir_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Tern::Stub> stub_;
};

}  // namespace tern::api::testing
