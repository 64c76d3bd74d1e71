#include "fib/fake_writer.hpp"

#include "fib/view_order.hpp"

namespace tern::fib {

void FakeWriter::set_config(EncapConfig config) {
  std::lock_guard lock(mu_);
  config_ = std::move(config);
  ++calls_;
}

void FakeWriter::update(WantedRoute route) {
  std::lock_guard lock(mu_);
  const Prefix p = route.prefix;
  wanted_.insert_or_assign(p, std::move(route));
  ++calls_;
}

void FakeWriter::withdraw(const Prefix& prefix) {
  std::lock_guard lock(mu_);
  wanted_.erase(prefix);
  ++calls_;
}

void FakeWriter::initial_sync_done() {
  std::lock_guard lock(mu_);
  synced_ = true;
}

void FakeWriter::reconcile() {
  std::lock_guard lock(mu_);
  ++reconciles_;
}

std::future<void> FakeWriter::flush() {
  std::promise<void> done;
  done.set_value();
  return done.get_future();
}

std::shared_ptr<const FibStatus> FakeWriter::status() const {
  std::lock_guard lock(mu_);
  auto s = std::make_shared<FibStatus>();
  s->wanted = wanted_.size();
  for (const auto& [p, r] : wanted_) {
    if (decide_shape(r, config_).kind == ShapeKind::kNone) {
      ++s->not_ours;
    } else {
      ++s->installed;
    }
  }
  s->initial_sync_done = synced_;
  s->swept = synced_;
  return s;
}

FibRouteView FakeWriter::describe(const WantedRoute& route) const {
  const RouteShape shape = decide_shape(route, config_);
  return FibRouteView{route.prefix, shape_text(shape),
                      shape.kind == ShapeKind::kNone ? "not ours" : "installed", shape.reason, 0};
}

std::future<FibView> FakeWriter::view(std::optional<Prefix> prefix, size_t limit) {
  std::lock_guard lock(mu_);
  FibView out;
  if (prefix) {
    if (auto it = wanted_.find(*prefix); it != wanted_.end())
      out.routes.push_back(describe(it->second));
  } else {
    FirstPrefixes first(limit);
    for (const auto& [p, r] : wanted_)
      first.offer(p);
    out.truncated = first.truncated();
    for (const auto& p : first.take())
      out.routes.push_back(describe(wanted_.at(p)));
  }
  std::promise<FibView> done;
  done.set_value(std::move(out));
  return done.get_future();
}

std::optional<RouteShape> FakeWriter::shape(const Prefix& prefix) const {
  std::lock_guard lock(mu_);
  auto it = wanted_.find(prefix);
  if (it == wanted_.end()) return std::nullopt;
  return decide_shape(it->second, config_);
}

std::unordered_map<Prefix, RouteShape, PrefixHash> FakeWriter::shapes() const {
  std::lock_guard lock(mu_);
  std::unordered_map<Prefix, RouteShape, PrefixHash> out;
  for (const auto& [p, r] : wanted_)
    out.emplace(p, decide_shape(r, config_));
  return out;
}

size_t FakeWriter::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

bool FakeWriter::synced() const {
  std::lock_guard lock(mu_);
  return synced_;
}

int FakeWriter::reconciles() const {
  std::lock_guard lock(mu_);
  return reconciles_;
}

}  // namespace tern::fib
