#include "rib/prefix_table.hpp"

#include <algorithm>

namespace tern::rib {

namespace {

// MurmurHash3's finaliser: every input bit reaches the high bits the slot is taken from.
uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

uint8_t tag(uint64_t h) {
  return static_cast<uint8_t>(0x80 | (h & 0x7f));
}

uint64_t hash_key(const uint64_t* key, int words) {
  uint64_t h = mix(key[0]);
  for (int i = 1; i < words; ++i)
    h = mix(h ^ key[i]);
  return h;
}

// Growth keeps the table at most 7/8 full.
bool too_full(size_t size, size_t slots) {
  return (size + 1) * 8 > slots * 7;
}

}  // namespace

uint64_t PrefixTable::Part::hash(const uint64_t* key) const {
  return hash_key(key, words_);
}

size_t PrefixTable::Shard::probe(const uint64_t* key, uint64_t h, int words,
                                 bool& found) const {
  const uint8_t t = tag(h);
  const size_t n = ctrl_.size();
  for (size_t i = home(h);; i = i + 1 == n ? 0 : i + 1) {
    if (ctrl_[i] == 0) {
      found = false;
      return i;
    }
    if (ctrl_[i] == t && std::equal(key, key + words, &keys_[i * words])) {
      found = true;
      return i;
    }
  }
}

RouteEntry* PrefixTable::Shard::find(const uint64_t* key, uint64_t h, int words) {
  if (size_ == 0) return nullptr;
  bool found;
  const size_t i = probe(key, h, words, found);
  return found ? &entries_[i] : nullptr;
}

RouteEntry& PrefixTable::Shard::get(const uint64_t* key, uint64_t h, int words) {
  bool found = false;
  size_t i = ctrl_.empty() ? 0 : probe(key, h, words, found);
  if (found) return entries_[i];
  if (too_full(size_, ctrl_.size())) {
    grow(words);
    i = probe(key, h, words, found);
  }
  ctrl_[i] = tag(h);
  std::copy(key, key + words, &keys_[i * words]);
  ++size_;
  return entries_[i];
}

bool PrefixTable::Shard::erase(const uint64_t* key, uint64_t h, int words) {
  if (size_ == 0) return false;
  bool found;
  size_t hole = probe(key, h, words, found);
  if (!found) return false;
  entries_[hole] = RouteEntry{};
  ctrl_[hole] = 0;
  --size_;
  // Shift back the entries of the run after the hole that may live closer to home, so a
  // probe never stops early at the hole.
  const size_t n = ctrl_.size();
  for (size_t j = hole + 1 == n ? 0 : hole + 1; ctrl_[j] != 0; j = j + 1 == n ? 0 : j + 1) {
    const uint64_t* kj = &keys_[j * words];
    const size_t want = home(hash_key(kj, words));
    // j may move to the hole unless its home lies within (hole, j], cyclically.
    const bool stays = hole <= j ? (want > hole && want <= j) : (want > hole || want <= j);
    if (stays) continue;
    ctrl_[hole] = ctrl_[j];
    std::copy(kj, kj + words, &keys_[hole * words]);
    entries_[hole] = std::move(entries_[j]);
    ctrl_[j] = 0;
    hole = j;
  }
  return true;
}

void PrefixTable::Shard::grow(int words) {
  const size_t slots = std::max<size_t>(8, ctrl_.size() + ctrl_.size() / 2);
  std::vector<uint8_t> ctrl(slots, 0);
  std::vector<uint64_t> keys(slots * words);
  std::vector<RouteEntry> entries(slots);
  std::swap(ctrl, ctrl_);
  std::swap(keys, keys_);
  std::swap(entries, entries_);
  for (size_t i = 0; i < ctrl.size(); ++i) {
    if (!ctrl[i]) continue;
    const uint64_t* key = &keys[i * words];
    bool found;
    const size_t j = probe(key, hash_key(key, words), words, found);
    ctrl_[j] = ctrl[i];
    std::copy(key, key + words, &keys_[j * words]);
    entries_[j] = std::move(entries[i]);
  }
}

RouteEntry* PrefixTable::Part::find(const bgp::Prefix& p) {
  uint64_t key[3];
  pack(p, key);
  const uint64_t h = hash(key);
  return shard(h).find(key, h, words_);
}

RouteEntry& PrefixTable::Part::get(const bgp::Prefix& p) {
  uint64_t key[3];
  pack(p, key);
  const uint64_t h = hash(key);
  Shard& s = shard(h);
  const size_t before = s.size();
  RouteEntry& e = s.get(key, h, words_);
  size_ += s.size() - before;
  return e;
}

bool PrefixTable::Part::erase(const bgp::Prefix& p) {
  uint64_t key[3];
  pack(p, key);
  const uint64_t h = hash(key);
  if (!shard(h).erase(key, h, words_)) return false;
  --size_;
  return true;
}

}  // namespace tern::rib
