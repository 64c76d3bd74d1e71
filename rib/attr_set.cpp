#include "rib/attr_set.hpp"

#include <bit>
#include <boost/container_hash/hash.hpp>

namespace tern::rib {

namespace {

template <class T>
void mix(size_t& seed, const T& v) {
  boost::hash_combine(seed, v);
}

void mix_path(size_t& seed, const bgp::AsPath& p) {
  for (const auto& s : p.segments) {
    mix(seed, static_cast<int>(s.type));
    boost::hash_range(seed, s.asns.begin(), s.asns.end());
  }
}

}  // namespace

size_t hash_value(const bgp::PathAttributes& a) {
  size_t seed = 0x9e3779b97f4a7c15ull;
  mix(seed, a.origin ? static_cast<int>(*a.origin) : -1);
  if (a.as_path) mix_path(seed, *a.as_path);
  if (a.next_hop) boost::hash_range(seed, a.next_hop->b.begin(), a.next_hop->b.end());
  mix(seed, a.med.value_or(0xfffffffful) ^ (a.med ? 0 : 1ull << 40));
  mix(seed, a.local_pref.value_or(0xfffffffful) ^ (a.local_pref ? 0 : 1ull << 40));
  mix(seed, a.atomic_aggregate);
  if (a.aggregator) {
    mix(seed, a.aggregator->asn);
    mix(seed, a.aggregator->address);
  }
  if (a.communities) boost::hash_range(seed, a.communities->begin(), a.communities->end());
  mix(seed, a.originator_id.value_or(0));
  if (a.cluster_list) boost::hash_range(seed, a.cluster_list->begin(), a.cluster_list->end());
  if (a.ext_communities)
    boost::hash_range(seed, a.ext_communities->begin(), a.ext_communities->end());
  if (a.large_communities) {
    for (const auto& c : *a.large_communities) {
      mix(seed, c.global);
      mix(seed, c.local1);
      mix(seed, c.local2);
    }
  }
  mix(seed, a.otc.value_or(0) ^ (a.otc ? 0 : 1ull << 40));
  for (const auto& u : a.unknown) {
    mix(seed, u.type);
    boost::hash_range(seed, u.value.begin(), u.value.end());
  }
  return seed;
}

void intrusive_ptr_release(const AttrSet* s) {
  if (--s->refs_ > 0) return;
  if (s->pool_) s->pool_->erase(s);
  delete s;  // NOLINT: intrusive_ptr's deleter; the only delete, paired with intern()'s new
}

AttrPool::~AttrPool() {
  // A set still referenced when its pool goes simply stops being findable.
  for (const Slot& slot : slots_)
    if (slot.set) slot.set->pool_ = nullptr;
}

AttrRef AttrPool::intern(bgp::PathAttributes a) {
  const size_t h = hash_value(a);
  // Grown at three quarters full: the runs stay short and a miss ends at a nearby empty slot.
  if ((size_ + 1) * 4 > slots_.size() * 3) resize(slots_.empty() ? 16 : slots_.size() * 2);
  const size_t mask = slots_.size() - 1;
  for (size_t i = home(h);; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (!slot.set) {
      auto* s = new AttrSet(this, std::move(a), h);  // NOLINT: owned by the intrusive count
      slot = Slot{h, s};
      ++size_;
      return AttrRef(s);
    }
    if (slot.hash == h && slot.set->attrs() == a) return AttrRef(slot.set);
  }
}

void AttrPool::resize(size_t capacity) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot{});
  shift_ = 64 - std::countr_zero(capacity);
  const size_t mask = capacity - 1;
  for (const Slot& slot : old) {
    if (!slot.set) continue;
    size_t i = home(slot.hash);
    while (slots_[i].set)
      i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

void AttrPool::erase(const AttrSet* s) {
  const size_t mask = slots_.size() - 1;
  size_t gap = home(s->hash());
  while (slots_[gap].set != s)
    gap = (gap + 1) & mask;
  // Backward shift instead of tombstones: each later member of the run moves into the gap
  // when the gap lies between its home slot and where it sits, so a lookup can still stop at
  // the first empty slot.
  for (size_t j = (gap + 1) & mask; slots_[j].set; j = (j + 1) & mask) {
    const size_t from_home = (j - home(slots_[j].hash)) & mask;
    if (from_home >= ((j - gap) & mask)) {
      slots_[gap] = slots_[j];
      gap = j;
    }
  }
  slots_[gap] = Slot{};
  --size_;
  // Handed back once an eighth full (a withdrawn table leaves no large empty array); halving
  // leaves it a quarter full, so growth and shrinking cannot alternate.
  if (slots_.size() > 64 && size_ * 8 < slots_.size()) resize(slots_.size() / 2);
}

}  // namespace tern::rib
