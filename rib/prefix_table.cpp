#include "rib/prefix_table.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

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

uint64_t hash_key(const uint64_t* key, int words) {
  uint64_t h = mix(key[0]);
  for (int i = 1; i < words; ++i)
    h = mix(h ^ key[i]);
  return h;
}

// Keys are one word (IPv4) or three (IPv6): sized copies the compiler inlines.
void copy_key(void* to, const void* from, int words) {
  if (words == 1)
    std::memcpy(to, from, sizeof(uint64_t));
  else
    std::memcpy(to, from, 3 * sizeof(uint64_t));
}

// Marks a slot free (its last key word 0).
void clear_key(void* at, int words) {
  const uint64_t zero[3] = {};
  copy_key(at, zero, words);
}

// Growth keeps the table at most 7/10 full: beyond, linear probing for a free slot (every
// new prefix) gets long, and a full table load is mostly new prefixes.
bool too_full(size_t size, size_t slots) {
  return (size + 1) * 10 > slots * 7;
}

}  // namespace

uint64_t PrefixTable::Part::hash(const uint64_t* key) const {
  return hash_key(key, words_);
}

PrefixTable::Shard::~Shard() {
  for (size_t i = 0; i < slots_; ++i)
    if (used(i, words_)) std::destroy_at(entry(i, words_));
}

void PrefixTable::Shard::read_key(size_t i, int words, uint64_t* key) const {
  copy_key(key, slot(i, words), words);
}

bool PrefixTable::Shard::used(size_t i, int words) const {
  uint64_t last;
  std::memcpy(&last, slot(i, words) + (words - 1) * 8, sizeof last);
  return last != 0;
}

bool PrefixTable::Shard::holds(size_t i, int words, const uint64_t* key) const {
  if (words == 1) {
    uint64_t k;
    std::memcpy(&k, slot(i, 1), sizeof k);
    return k == key[0];
  }
  return std::memcmp(slot(i, words), key, 3 * sizeof(uint64_t)) == 0;
}

size_t PrefixTable::Shard::probe(const uint64_t* key, uint64_t h, int words, bool& found) const {
  for (size_t i = home(h);; i = i + 1 == slots_ ? 0 : i + 1) {
    if (!used(i, words)) {
      found = false;
      return i;
    }
    if (holds(i, words, key)) {
      found = true;
      return i;
    }
  }
}

RouteEntry* PrefixTable::Shard::find(const uint64_t* key, uint64_t h, int words) {
  if (size_ == 0) return nullptr;
  bool found;
  const size_t i = probe(key, h, words, found);
  return found ? entry(i, words) : nullptr;
}

RouteEntry& PrefixTable::Shard::get(const uint64_t* key, uint64_t h, int words,
                                    SlotMemory& scratch) {
  bool found = false;
  size_t i = slots_ == 0 ? 0 : probe(key, h, words, found);
  if (found) return *entry(i, words);
  if (too_full(size_, slots_)) {
    grow(words, scratch);
    i = probe(key, h, words, found);
  }
  copy_key(slot(i, words), key, words);
  std::construct_at(reinterpret_cast<RouteEntry*>(slot(i, words) + words * 8));
  ++size_;
  return *entry(i, words);
}

void PrefixTable::Shard::move_slot(std::byte* src, std::byte* dst, int words) {
  copy_key(dst, src, words);
  clear_key(src, words);
  auto* from = std::launder(reinterpret_cast<RouteEntry*>(src + words * 8));
  std::construct_at(reinterpret_cast<RouteEntry*>(dst + words * 8), std::move(*from));
  std::destroy_at(from);
}

bool PrefixTable::Shard::erase(const uint64_t* key, uint64_t h, int words) {
  if (size_ == 0) return false;
  bool found;
  size_t hole = probe(key, h, words, found);
  if (!found) return false;
  std::destroy_at(entry(hole, words));
  clear_key(slot(hole, words), words);
  --size_;
  // Shift back the entries of the run after the hole that may live closer to home, so a
  // probe never stops early at the hole.
  for (size_t j = hole + 1 == slots_ ? 0 : hole + 1; used(j, words);
       j = j + 1 == slots_ ? 0 : j + 1) {
    uint64_t kj[3];
    read_key(j, words, kj);
    const size_t want = home(hash_key(kj, words));
    // j may move to the hole unless its home lies within (hole, j], cyclically.
    const bool stays = hole <= j ? (want > hole && want <= j) : (want > hole || want <= j);
    if (stays) continue;
    move_slot(slot(j, words), slot(hole, words), words);
    hole = j;
  }
  return true;
}

void PrefixTable::Shard::grow(int words, SlotMemory& scratch) {
  words_ = words;
  const size_t slots = std::max<size_t>(8, slots_ + slots_ / 2);
  if (mem_.mapped())
    grow_in_place(slots, words, scratch);
  else
    grow_into_new(slots, words);
}

void PrefixTable::Shard::grow_in_place(size_t slots, int words, SlotMemory& scratch) {
  const size_t s = stride(words);
  // Memory first: if there is none, the shard is still whole.
  if (scratch.size() < size_ * s) scratch.reset(size_ * s + size_ * s / 2);
  mem_.extend(slots * s);
  // Out in slot order, packed. Homes scale with the table, so that order is close to the
  // order of the new homes, and putting the entries back walks the array forwards.
  size_t parked = 0;
  for (size_t i = 0; i < slots_; ++i)
    if (used(i, words)) move_slot(slot(i, words), scratch.data() + parked++ * s, words);
  slots_ = slots;
  for (size_t k = 0; k < parked; ++k) {
    std::byte* from = scratch.data() + k * s;
    uint64_t key[3];
    copy_key(key, from, words);
    bool found;
    move_slot(from, slot(probe(key, hash_key(key, words), words, found), words), words);
  }
}

void PrefixTable::Shard::grow_into_new(size_t slots, int words) {
  SlotMemory fresh;
  fresh.reset(slots * stride(words));  // first: if there is none, the shard is still whole
  SlotMemory old = std::exchange(mem_, std::move(fresh));
  std::byte* const old_base = old.data();
  const size_t old_slots = std::exchange(slots_, slots);
  // Homes scale with the table, so the new homes run in about the old slots' order; the
  // lookahead loads each a few slots early and keeps its hash for when its turn comes.
  constexpr size_t kAhead = 8;
  uint64_t hashes[kAhead] = {};
  auto look_ahead = [&](size_t i) {
    uint64_t key[3];
    copy_key(key, old_base + i * stride(words), words);
    if (key[words - 1] == 0) return;  // free
    hashes[i % kAhead] = hash_key(key, words);
    load_early(slot(home(hashes[i % kAhead]), words));
  };
  for (size_t i = 0; i < std::min(kAhead, old_slots); ++i)
    look_ahead(i);
  for (size_t i = 0; i < old_slots; ++i) {
    std::byte* from = old_base + i * stride(words);
    uint64_t key[3];
    copy_key(key, from, words);
    const uint64_t h = hashes[i % kAhead];
    if (i + kAhead < old_slots) look_ahead(i + kAhead);
    if (key[words - 1] == 0) continue;
    bool found;
    move_slot(from, slot(probe(key, h, words, found), words), words);
  }
}

void PrefixTable::Part::key_of(const bgp::Prefix& p, uint64_t* key) const {
  pack(p, key);
  key[words_ - 1] += 1;  // never 0: a 0 marks a free slot
}

RouteEntry* PrefixTable::Part::find(const bgp::Prefix& p) {
  uint64_t key[3];
  key_of(p, key);
  const uint64_t h = hash(key);
  return shard(h).find(key, h, words_);
}

RouteEntry& PrefixTable::Part::get(const bgp::Prefix& p) {
  uint64_t key[3];
  key_of(p, key);
  const uint64_t h = hash(key);
  Shard& s = shard(h);
  const size_t before = s.size();
  RouteEntry& e = s.get(key, h, words_, scratch_);
  size_ += s.size() - before;
  return e;
}

bool PrefixTable::Part::erase(const bgp::Prefix& p) {
  uint64_t key[3];
  key_of(p, key);
  const uint64_t h = hash(key);
  if (!shard(h).erase(key, h, words_)) return false;
  --size_;
  return true;
}

}  // namespace tern::rib
