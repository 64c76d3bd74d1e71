#include "ctl/grpc_client.hpp"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "api/tern.grpc.pb.h"

namespace tern::ctl {
namespace {

// Answers the way ternd's service does: refusals carry the field twice (message and metadata),
// 503 becomes UNAVAILABLE.
class Service : public api::Tern::Service {
 public:
  std::string authorization;

  grpc::Status Status(grpc::ServerContext* ctx, const api::StatusRequest*,
                      api::StatusResponse* out) override {
    const auto it = ctx->client_metadata().find("authorization");
    if (it != ctx->client_metadata().end())
      authorization.assign(it->second.data(), it->second.size());
    out->set_node("node-1");
    return grpc::Status::OK;
  }
  grpc::Status Apply(grpc::ServerContext* ctx, const api::ApplyRequest*,
                     api::ChangeResponse*) override {
    ctx->AddTrailingMetadata("tern-field", "ip_pools[0].spec.cidr");
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "ip_pools[0].spec.cidr: overlaps IPPool \"pool-b\"");
  }
  grpc::Status Health(grpc::ServerContext*, const api::HealthRequest*,
                      api::HealthResponse*) override {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "not ready: intent not loaded");
  }
  grpc::Status Watch(grpc::ServerContext*, const api::WatchRequest*,
                     grpc::ServerWriter<api::Event>* writer) override {
    for (int i = 1; i <= 3; ++i) {
      api::Event e;
      e.set_time_unix_ms(i);
      e.mutable_route()->set_prefix("10.244." + std::to_string(i) + ".0/26");
      writer->Write(e);
    }
    return grpc::Status::OK;
  }
};

class GrpcClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/ternctl_test_" + std::to_string(::getpid()) + ".sock";
    ::unlink(path_.c_str());
    grpc::ServerBuilder builder;
    builder.AddListeningPort("unix:" + path_, grpc::InsecureServerCredentials());
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_TRUE(server_);
  }
  void TearDown() override {
    server_->Shutdown();
    ::unlink(path_.c_str());
  }
  Endpoint endpoint(const std::string& path) const {
    Endpoint e;
    e.target = "unix:" + path;
    e.description = "socket " + path;
    e.timeout_s = 5;
    return e;
  }

  std::string path_;
  Service service_;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(GrpcClientTest, SendsTheTokenAndReadsTheResponse) {
  Endpoint e = endpoint(path_);
  e.token = "s3cret";
  const auto r = make_grpc_client(e)->status();
  ASSERT_TRUE(std::holds_alternative<api::StatusResponse>(r));
  EXPECT_EQ(std::get<api::StatusResponse>(r).node(), "node-1");
  EXPECT_EQ(service_.authorization, "Bearer s3cret");
}

TEST_F(GrpcClientTest, RefusalNamesTheFieldOnce) {
  const auto r = make_grpc_client(endpoint(path_))->apply(api::ApplyRequest());
  ASSERT_TRUE(std::holds_alternative<CallError>(r));
  const auto& e = std::get<CallError>(r);
  EXPECT_FALSE(e.unreachable);
  EXPECT_EQ(e.field, "ip_pools[0].spec.cidr");
  EXPECT_EQ(e.message, "overlaps IPPool \"pool-b\"");
}

TEST_F(GrpcClientTest, UnavailableFromTheServerIsNotUnreachable) {
  auto client = make_grpc_client(endpoint(path_));
  ASSERT_TRUE(std::holds_alternative<api::StatusResponse>(client->status()));
  const auto r = client->health();
  ASSERT_TRUE(std::holds_alternative<CallError>(r));
  EXPECT_FALSE(std::get<CallError>(r).unreachable);
  EXPECT_EQ(std::get<CallError>(r).message, "not ready: intent not loaded");
}

TEST_F(GrpcClientTest, MissingSocketIsUnreachable) {
  const auto r = make_grpc_client(endpoint(path_ + ".missing"))->status();
  ASSERT_TRUE(std::holds_alternative<CallError>(r));
  EXPECT_TRUE(std::get<CallError>(r).unreachable);
  EXPECT_EQ(std::get<CallError>(r).message, "no socket at " + path_ + ".missing");
}

TEST_F(GrpcClientTest, WatchStreamsUntilTheSinkStops) {
  std::vector<std::string> prefixes;
  const auto err =
      make_grpc_client(endpoint(path_))->watch(api::WatchRequest(), [&](const api::Event& e) {
        prefixes.push_back(e.route().prefix());
        return prefixes.size() < 2;
      });
  EXPECT_FALSE(err.has_value());
  EXPECT_EQ(prefixes, (std::vector<std::string>{"10.244.1.0/26", "10.244.2.0/26"}));
}

}  // namespace
}  // namespace tern::ctl
