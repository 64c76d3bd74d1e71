#include "rib/prefix_table.hpp"

#include <sys/mman.h>
#include <unistd.h>

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

// Makes a fresh array's pages present and writable in one call. Growth reads a slot before
// writing it, and a read of untouched calloc'd memory maps the shared zero page: every page
// then faulted twice, once to read and once to copy on write. Small arrays come from the
// heap's resident pages and need none of this.
void prefault(std::byte* p, size_t bytes) {
  constexpr size_t kFrom = 64 * 1024;
  if (bytes < kFrom) return;
  static const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const uintptr_t first = (reinterpret_cast<uintptr_t>(p) + page - 1) / page * page;
  const uintptr_t end = (reinterpret_cast<uintptr_t>(p) + bytes) / page * page;
  if (end <= first) return;
  if (madvise(reinterpret_cast<void*>(first), end - first, MADV_POPULATE_WRITE) == 0) return;
  // Kernels before 5.14: a write per page does the same, a fault at a time.
  for (uintptr_t a = first; a < end; a += page)
    *reinterpret_cast<volatile std::byte*>(a) = std::byte{0};
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

RouteEntry& PrefixTable::Shard::get(const uint64_t* key, uint64_t h, int words) {
  bool found = false;
  size_t i = slots_ == 0 ? 0 : probe(key, h, words, found);
  if (found) return *entry(i, words);
  if (too_full(size_, slots_)) {
    grow(words);
    i = probe(key, h, words, found);
  }
  copy_key(slot(i, words), key, words);
  std::construct_at(reinterpret_cast<RouteEntry*>(slot(i, words) + words * 8));
  ++size_;
  return *entry(i, words);
}

void PrefixTable::Shard::move_slot(std::byte* src, size_t to, int words) {
  std::byte* dst = slot(to, words);
  copy_key(dst, src, words);
  const uint64_t zero[3] = {};
  copy_key(src, zero, words);
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
  const uint64_t zero[3] = {};
  copy_key(slot(hole, words), zero, words);
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
    move_slot(slot(j, words), hole, words);
    hole = j;
  }
  return true;
}

void PrefixTable::Shard::grow(int words) {
  words_ = words;
  const size_t slots = std::max<size_t>(8, slots_ + slots_ / 2);
  constexpr size_t kLine = 64;
  const size_t bytes = slots * stride(words) + kLine - 1;
  std::unique_ptr<std::byte[], Free> mem(static_cast<std::byte*>(std::calloc(bytes, 1)));
  if (!mem) throw std::bad_alloc();
  prefault(mem.get(), bytes);
  const auto at = reinterpret_cast<uintptr_t>(mem.get());
  std::byte* base = mem.get() + ((kLine - at % kLine) % kLine);
  auto old = std::exchange(mem_, std::move(mem));
  std::byte* const old_base = std::exchange(base_, base);
  const size_t old_slots = std::exchange(slots_, slots);
  // The old slots are read in order, their new homes are random: load those a few ahead,
  // keeping each hash for when its slot's turn comes.
  constexpr size_t kAhead = 8;
  uint64_t hashes[kAhead];
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
    move_slot(from, probe(key, h, words, found), words);
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
  RouteEntry& e = s.get(key, h, words_);
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
