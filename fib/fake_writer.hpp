#pragma once
// A FibWriter that touches no kernel: every call is applied at once and the resulting shapes
// can be inspected. For unit tests of the code that feeds the FIB (RIB glue, planner).

#include <mutex>
#include <optional>
#include <unordered_map>

#include "fib/encap.hpp"
#include "fib/writer.hpp"

namespace tern::fib {

class FakeWriter final : public FibWriter {
 public:
  void set_config(EncapConfig config) override;
  void update(WantedRoute route) override;
  void withdraw(const Prefix& prefix) override;
  void initial_sync_done() override;
  void reconcile() override;
  std::future<void> flush() override;
  std::shared_ptr<const FibStatus> status() const override;
  // Every shape but none counts as installed, as a kernel that refuses nothing would have it.
  std::future<FibView> view(std::optional<Prefix> prefix, size_t limit) override;

  // The shape the netlink writer would install for prefix; nullopt when not wanted. Shapes of
  // kind none are kept so tests can read their reason.
  std::optional<RouteShape> shape(const Prefix& prefix) const;
  std::unordered_map<Prefix, RouteShape, PrefixHash> shapes() const;
  size_t calls() const;
  bool synced() const;
  int reconciles() const;

 private:
  FibRouteView describe(const WantedRoute& route) const;  // under mu_

  mutable std::mutex mu_;
  EncapConfig config_;
  std::unordered_map<Prefix, WantedRoute, PrefixHash> wanted_;
  size_t calls_ = 0;
  bool synced_ = false;
  int reconciles_ = 0;
};

}  // namespace tern::fib
