#pragma once
// An in-memory Backend for the API tests: the intent as objects keyed by kind and name, a
// validation stub with a few named refusals, canned status/routes/fib/explain, and watch sinks
// the test fires by hand.

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "api/backend.hpp"
#include "api/kinds.hpp"

namespace tern::api::testing {

class FakeBackend : public Backend {
 public:
  Result<ChangeResponse> create(const Object& object, bool dry_run) override {
    std::lock_guard lock(mutex_);
    if (auto err = validate(object)) return *err;
    if (objects_.count(key(object))) {
      return Error{409, "metadata.name", "\"" + object_name(object) + "\" already exists"};
    }
    return commit({object}, dry_run, "add");
  }

  Result<ChangeResponse> replace(const Object& object, bool dry_run) override {
    std::lock_guard lock(mutex_);
    if (auto err = validate(object)) return *err;
    return commit({object}, dry_run, objects_.count(key(object)) ? "change" : "add");
  }

  Result<ChangeResponse> apply(const Intent& intent, bool dry_run) override {
    std::lock_guard lock(mutex_);
    std::vector<Object> objects;
    for (const auto& x : intent.ip_pools())
      *objects.emplace_back().mutable_ip_pool() = x;
    for (const auto& x : intent.bgp_peers())
      *objects.emplace_back().mutable_bgp_peer() = x;
    for (const auto& x : intent.nodes())
      *objects.emplace_back().mutable_node() = x;
    for (const auto& x : intent.bgp_configurations()) {
      *objects.emplace_back().mutable_bgp_configuration() = x;
    }
    for (const auto& x : intent.bgp_filters())
      *objects.emplace_back().mutable_bgp_filter() = x;
    for (const auto& x : intent.block_affinities()) {
      *objects.emplace_back().mutable_block_affinity() = x;
    }
    for (const auto& x : intent.borrowed_addresses()) {
      *objects.emplace_back().mutable_borrowed_address() = x;
    }
    for (const auto& x : intent.secrets())
      *objects.emplace_back().mutable_secret() = x;
    if (objects.empty()) return Error{400, "objects", "nothing to apply"};
    for (const auto& object : objects) {
      if (auto err = validate(object)) return *err;
    }
    return commit(objects, dry_run, "apply");
  }

  Result<ChangeResponse> remove(const ObjectRef& ref, bool dry_run) override {
    std::lock_guard lock(mutex_);
    auto it = objects_.find({ref.kind(), ref.name()});
    if (it == objects_.end()) return Error{404, "metadata.name", ref.name() + " not found"};
    ChangeResponse out;
    out.set_dry_run(dry_run);
    out.add_notes("remove " + ref.kind() + "/" + ref.name());
    if (!dry_run) {
      objects_.erase(it);
      ++revision_;
    }
    out.set_revision(revision_);
    return out;
  }

  Result<Object> get(const ObjectRef& ref) override {
    std::lock_guard lock(mutex_);
    auto it = objects_.find({ref.kind(), ref.name()});
    if (it == objects_.end()) return Error{404, "metadata.name", ref.name() + " not found"};
    return it->second;
  }

  Result<ListResponse> list(const std::string& kind) override {
    std::lock_guard lock(mutex_);
    ListResponse out;
    for (const auto& [k, object] : objects_) {
      if (k.first == kind) *out.add_objects() = object;
    }
    return out;
  }

  StatusResponse status() override {
    std::lock_guard lock(mutex_);
    StatusResponse out = status_;
    out.set_intent_revision(revision_);
    return out;
  }

  Result<RoutesResponse> routes(const RoutesRequest& request) override {
    if (request.family() != "" && request.family() != "ipv4" && request.family() != "ipv6") {
      return Error{400, "family", "expected ipv4 or ipv6"};
    }
    RoutesResponse out;
    auto* route = out.add_routes();
    route->set_prefix(request.prefix().empty() ? "10.65.1.0/26" : request.prefix());
    auto* path = route->add_paths();
    path->set_peer(request.peer().empty() ? "Mesh_10_0_0_2" : request.peer());
    path->set_next_hop("10.0.0.2");
    path->set_best(true);
    out.set_truncated(request.limit() == 1);
    return out;
  }

  Result<FibResponse> fib(const FibRequest& request) override {
    FibResponse out;
    auto* entry = out.add_routes();
    entry->set_prefix(request.prefix().empty() ? "10.65.1.0/26" : request.prefix());
    entry->set_shape("via 10.0.0.2 dev tunl0 onlink");
    entry->set_state("installed");
    out.mutable_summary()->set_installed(1);
    return out;
  }

  Result<ExplainResponse> explain(const ExplainRequest& request) override {
    if (request.prefix().find('/') == std::string::npos) {
      return Error{400, "prefix", "not a prefix: " + request.prefix()};
    }
    ExplainResponse out;
    out.set_prefix(request.prefix());
    out.set_ipip_mode("Always");
    out.add_decision("only path");
    out.set_shape("via 10.0.0.2 dev tunl0 onlink");
    return out;
  }

  HealthResponse health() override {
    std::lock_guard lock(mutex_);
    return health_;
  }

  std::unique_ptr<Subscription> watch(const WatchRequest& request,
                                      std::function<bool(const Event&)> sink) override {
    std::lock_guard lock(mutex_);
    int id = ++next_sink_;
    sinks_[id] = {request, std::move(sink)};
    return std::make_unique<Sub>(*this, id);
  }

  void stop(bool hard) override {
    std::lock_guard lock(mutex_);
    stops_.push_back(hard);
  }

  // --- test controls ---

  // Delivers to every watcher that asked for this kind of event; drops sinks that say stop.
  void emit(const Event& event) {
    std::lock_guard lock(mutex_);
    for (auto it = sinks_.begin(); it != sinks_.end();) {
      const auto& [request, sink] = it->second;
      bool wanted = event.has_session() ? request.sessions() : request.routes();
      if (wanted && !sink(event)) {
        it = sinks_.erase(it);
      } else {
        ++it;
      }
    }
  }

  size_t watchers() {
    std::lock_guard lock(mutex_);
    return sinks_.size();
  }

  // The whole intent as one comparable value.
  std::string snapshot() {
    std::lock_guard lock(mutex_);
    std::string out = std::to_string(revision_) + "\n";
    for (const auto& [k, object] : objects_)
      out += object.SerializeAsString() + "\n";
    return out;
  }

  void set_health(bool live, bool ready, std::vector<std::string> reasons) {
    std::lock_guard lock(mutex_);
    health_.set_live(live);
    health_.set_ready(ready);
    health_.clear_reasons();
    for (auto& r : reasons)
      health_.add_reasons(r);
  }

  void set_status(StatusResponse status) {
    std::lock_guard lock(mutex_);
    status_ = std::move(status);
  }

  std::vector<bool> stops() {
    std::lock_guard lock(mutex_);
    return stops_;
  }

 private:
  using Key = std::pair<std::string, std::string>;

  class Sub : public Subscription {
   public:
    Sub(FakeBackend& backend, int id) : backend_(backend), id_(id) {}
    ~Sub() override {
      std::lock_guard lock(backend_.mutex_);
      backend_.sinks_.erase(id_);
    }

   private:
    FakeBackend& backend_;
    int id_;
  };

  static Key key(const Object& object) {
    return {std::string(kind_of(object)->kind), object_name(object)};
  }

  static std::optional<Error> validate(const Object& object) {
    if (kind_of(object) == nullptr) return Error{400, "object", "no object"};
    if (object_name(object).empty()) return Error{422, "metadata.name", "a name is required"};
    if (object.has_ip_pool()) {
      const auto& spec = object.ip_pool().spec();
      if (spec.cidr().find('/') == std::string::npos) {
        return Error{422, "spec.cidr", "invalid CIDR \"" + spec.cidr() + "\""};
      }
      if (spec.node_selector() == "!!") {
        return Error{422, "spec.nodeSelector", "bad selector: unexpected \"!\""};
      }
    }
    if (object.has_bgp_peer()) {
      const auto& spec = object.bgp_peer().spec();
      if (spec.has_as_number() && spec.as_number() == 0) {
        return Error{422, "spec.asNumber", "AS 0 is reserved"};
      }
      if (spec.node_selector() == "!!") {
        return Error{422, "spec.nodeSelector", "bad selector: unexpected \"!\""};
      }
    }
    if (object.has_bgp_configuration()) {
      const auto& spec = object.bgp_configuration().spec();
      if (spec.has_as_number() && spec.as_number() == 0) {
        return Error{422, "spec.asNumber", "AS 0 is reserved"};
      }
    }
    if (object.has_node()) {
      const auto& bgp = object.node().spec().bgp();
      if (bgp.has_as_number() && bgp.as_number() == 0) {
        return Error{422, "spec.bgp.asNumber", "AS 0 is reserved"};
      }
    }
    return std::nullopt;
  }

  ChangeResponse commit(const std::vector<Object>& objects, bool dry_run,
                        const std::string& action) {
    ChangeResponse out;
    out.set_dry_run(dry_run);
    for (const auto& object : objects) {
      out.add_notes(action + " " + std::string(kind_of(object)->kind) + "/" + object_name(object));
      if (object.has_ip_pool()) out.add_originated(object.ip_pool().spec().cidr());
      if (!dry_run) objects_[key(object)] = object;
    }
    if (!dry_run) ++revision_;
    out.set_revision(revision_);
    return out;
  }

  std::mutex mutex_;
  std::map<Key, Object> objects_;
  uint64_t revision_ = 1;
  StatusResponse status_;
  HealthResponse health_ = [] {
    HealthResponse h;
    h.set_live(true);
    h.set_ready(true);
    return h;
  }();
  std::map<int, std::pair<WatchRequest, std::function<bool(const Event&)>>> sinks_;
  int next_sink_ = 0;
  std::vector<bool> stops_;
};

}  // namespace tern::api::testing
