#pragma once
// ternd's side of the API: every request is carried onto the main loop (which owns the
// intent, the speaker and the RIB) and answered from there; FIB questions go on to the
// writer's thread. Watches are fed from the loop's hooks.

#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <mutex>

#include "api/backend.hpp"
#include "daemon/ternd.hpp"

namespace tern {

class TerndBackend final : public api::Backend {
 public:
  // `stop` ends the daemon (the caller's io.stop() after ternd.stop()).
  TerndBackend(bgp::asio::io_context& io, Ternd& ternd, std::function<void(bool hard)> stop);
  ~TerndBackend() override;

  api::Result<api::ChangeResponse> create(const api::Object& object, bool dry_run) override;
  api::Result<api::ChangeResponse> replace(const api::Object& object, bool dry_run) override;
  api::Result<api::ChangeResponse> apply(const api::Intent& objects, bool dry_run) override;
  api::Result<api::ChangeResponse> remove(const api::ObjectRef& ref, bool dry_run) override;
  api::Result<api::Object> get(const api::ObjectRef& ref) override;
  api::Result<api::ListResponse> list(const std::string& kind) override;
  api::StatusResponse status() override;
  api::Result<api::RoutesResponse> routes(const api::RoutesRequest& request) override;
  api::Result<api::FibResponse> fib(const api::FibRequest& request) override;
  api::Result<api::ExplainResponse> explain(const api::ExplainRequest& request) override;
  api::HealthResponse health() override;
  std::unique_ptr<api::Subscription> watch(const api::WatchRequest& request,
                                           std::function<bool(const api::Event&)> sink) override;
  void stop(bool hard) override;

 private:
  struct Watcher {
    api::WatchRequest request;
    std::function<bool(const api::Event&)> sink;
    bool done = false;
  };
  class Handle;

  // Runs f on the loop and waits for its result (503 when the loop does not answer).
  template <typename T>
  api::Result<T> on_loop(std::function<api::Result<T>()> f);
  // On the loop: the intent after `edit`, validated, previewed and (unless dry_run) applied.
  api::Result<api::ChangeResponse> change(
      std::function<std::optional<api::Error>(api::Intent&)> edit, bool dry_run);
  void publish(const api::Event& e);

  bgp::asio::io_context& io_;
  Ternd& ternd_;
  std::function<void(bool)> stop_;
  std::mutex mu_;
  std::list<std::shared_ptr<Watcher>> watchers_;
  std::atomic<int> route_watchers_{0};  // of watchers_, those that want routes
};

}  // namespace tern
