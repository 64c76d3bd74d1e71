#include "daemon/export_cache.hpp"

#include <bit>

namespace tern {

size_t ExportCache::set_of(const Key& k) const {
  // The set's content hash, not its address: a set freed on eviction and the next one
  // allocated in its place would otherwise land in the same full set again and again.
  const uint64_t mixed =
      k.source->hash() ^ (uint64_t{k.peer} * 0xc2b2ae3d27d4eb4full) ^ k.communities;
  return (mixed * 0x9e3779b97f4a7c15ull) >> shift_;
}

const rib::AttrRef* ExportCache::find(const Key& k) {
  if (entries_.empty()) return nullptr;
  Entry* ways = &entries_[kWays * set_of(k)];
  for (size_t w = 0; w < kWays; ++w)
    if (ways[w].holds(k)) return &ways[w].exported;
  return nullptr;
}

ExportCache::Entry* ExportCache::way_for(const Key& k) {
  Entry* ways = &entries_[kWays * set_of(k)];
  for (size_t w = 0; w < kWays; ++w)
    if (!ways[w].source) return &ways[w];
  // All taken: a victim in turn, not the least recently used, so keys cycling through one
  // full set still hit now and then instead of each evicting the next.
  return &ways[victim_++ % kWays];
}

void ExportCache::put(const Key& k, rib::AttrRef source, rib::AttrRef exported) {
  if (entries_.empty()) resize(kMinSets);
  Entry* e = way_for(k);
  count_ += !e->source;
  *e = Entry{std::move(source), k.peer, k.communities, std::move(exported)};
  // Kept at most a quarter full (up to the cap), where a fifth key for the same four ways is
  // rare; a table of distinct sets passing through fills it to the cap and then evicts.
  if (count_ * 4 > entries_.size() && entries_.size() < kWays * kMaxSets)
    resize(entries_.size() / kWays * 2);
}

void ExportCache::resize(size_t sets) {
  std::vector<Entry> old = std::move(entries_);
  entries_.assign(kWays * sets, Entry{});
  shift_ = 64 - std::countr_zero(sets);
  count_ = 0;
  for (Entry& e : old) {
    if (!e.source) continue;
    Entry* to = way_for(Key{e.source.get(), e.peer, e.communities});
    count_ += !to->source;
    *to = std::move(e);
  }
}

void ExportCache::clear() {
  entries_ = {};
  count_ = 0;
}

}  // namespace tern
