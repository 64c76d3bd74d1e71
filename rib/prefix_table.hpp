#pragma once
// Prefix -> RouteEntry, as open-addressing hash tables over packed keys (prefix_key.hpp):
// one key word (three for IPv6) and a 24-byte entry per slot, linear
// probing, deletion by shifting back (no tombstones), growth by half. About 40 bytes per
// IPv4 prefix where a node-based map needs well over a hundred. Each family's table is cut
// into 64 shards by hash, so growing never holds two copies of the whole table at once.
//
// Pointers into the table stay valid until the next insertion or erasure.

#include <array>
#include <cstddef>
#include <memory>
#include <new>
#include <vector>

#include "rib/prefix_key.hpp"
#include "rib/route_entry.hpp"
#include "rib/slot_memory.hpp"

namespace tern::rib {

// Starts loading the cache line at `p`. Not __builtin_prefetch: g++ 12 counts a function
// whose only effect is that builtin as having none, and deletes the calls to it (every
// prefetch of this table was compiled away). An asm volatile cannot be deleted.
inline void load_early(const void* p) {
#if defined(__x86_64__)
  asm volatile("prefetcht0 (%0)" : : "r"(p));
#elif defined(__aarch64__)
  asm volatile("prfm pldl1keep, [%0]" : : "r"(p));
#else
  __builtin_prefetch(p);
#endif
}

class PrefixTable {
 public:
  RouteEntry* find(const bgp::Prefix& p) { return part(p.afi).find(p); }
  const RouteEntry* find(const bgp::Prefix& p) const {
    return const_cast<PrefixTable*>(this)->find(p);
  }
  // The entry of `p`, created empty if there was none.
  RouteEntry& get(const bgp::Prefix& p) { return part(p.afi).get(p); }
  bool erase(const bgp::Prefix& p) { return part(p.afi).erase(p); }
  // Starts loading the slot where `p` lives or would go: a full table is far larger than
  // the caches, and every lookup of a new prefix otherwise waits for memory.
  void prefetch(const bgp::Prefix& p) const {
    const_cast<PrefixTable*>(this)->part(p.afi).prefetch(p);
  }
  size_t size() const { return v4_.size() + v6_.size(); }

  // Visits every entry; the visitor may change entries but not insert or erase.
  template <class F>
  void for_each(F&& f) {
    v4_.for_each(f);
    v6_.for_each(f);
  }
  template <class F>
  void for_each(F&& f) const {
    const_cast<PrefixTable*>(this)->for_each(
        [&](const bgp::Prefix& p, RouteEntry& e) { f(p, static_cast<const RouteEntry&>(e)); });
  }

 private:
  // One shard of a family's table. A slot is the key's words followed by the entry, so a
  // lookup touches one cache line; a slot is free when its last key word is 0 (keys store
  // length + 1 there).
  class Shard {
   public:
    Shard() = default;
    Shard(const Shard&) = delete;
    Shard& operator=(const Shard&) = delete;
    ~Shard();
    RouteEntry* find(const uint64_t* key, uint64_t h, int words);
    // `scratch`: where growth parks the entries of a mapped shard (one for all of a family's
    // shards, so it stays resident from one growth to the next).
    RouteEntry& get(const uint64_t* key, uint64_t h, int words, SlotMemory& scratch);
    bool erase(const uint64_t* key, uint64_t h, int words);
    void prefetch(uint64_t h, int words) const {
      if (slots_) load_early(slot(home(h), words));
    }
    size_t size() const { return size_; }
    template <class F>
    void for_each(bgp::Afi afi, int words, F& f) {
      for (size_t i = 0; i < slots_; ++i) {
        if (!used(i, words)) continue;
        uint64_t key[3];
        read_key(i, words, key);
        key[words - 1] -= 1;
        f(unpack(afi, key), *entry(i, words));
      }
    }

   private:
    static size_t stride(int words) { return words * sizeof(uint64_t) + sizeof(RouteEntry); }
    std::byte* slot(size_t i, int words) const { return mem_.data() + i * stride(words); }
    void read_key(size_t i, int words, uint64_t* key) const;
    bool used(size_t i, int words) const;
    bool holds(size_t i, int words, const uint64_t* key) const;
    RouteEntry* entry(size_t i, int words) const {
      return std::launder(reinterpret_cast<RouteEntry*>(slot(i, words) + words * 8));
    }
    // Moves the slot at `src` into the free slot at `dst`, leaving `src` free.
    static void move_slot(std::byte* src, std::byte* dst, int words);
    // The shard was chosen by the hash's top bits; the slot comes from the rest.
    size_t home(uint64_t h) const {
      return static_cast<size_t>((static_cast<unsigned __int128>(h << 6) * slots_) >> 64);
    }
    // The slot holding `key`, or the free slot where it would go.
    size_t probe(const uint64_t* key, uint64_t h, int words, bool& found) const;
    void grow(int words, SlotMemory& scratch);
    // A mapped shard grows in place: its entries out to `scratch`, the mapping extended, the
    // entries back at their new homes.
    void grow_in_place(size_t slots, int words, SlotMemory& scratch);
    // A small one moves its entries into a new array.
    void grow_into_new(size_t slots, int words);

    size_t size_ = 0;
    size_t slots_ = 0;
    int words_ = 1;  // remembered for the destructor
    // The slots start on a cache-line boundary: an IPv4 slot (32 bytes) then never straddles
    // two lines, so a lookup that found its key has its entry loaded too (malloc's 16-byte
    // alignment put every other slot across a line).
    SlotMemory mem_;
  };

  // The table of one address family.
  class Part {
   public:
    explicit Part(bgp::Afi afi) : afi_(afi), words_(key_words(afi)) {}
    RouteEntry* find(const bgp::Prefix& p);
    RouteEntry& get(const bgp::Prefix& p);
    bool erase(const bgp::Prefix& p);
    void prefetch(const bgp::Prefix& p) {
      uint64_t key[3];
      key_of(p, key);
      const uint64_t h = hash(key);
      shard(h).prefetch(h, words_);
    }
    size_t size() const { return size_; }
    template <class F>
    void for_each(F& f) {
      for (auto& s : shards_)
        s.for_each(afi_, words_, f);
    }

   private:
    uint64_t hash(const uint64_t* key) const;
    void key_of(const bgp::Prefix& p, uint64_t* key) const;
    Shard& shard(uint64_t h) { return shards_[h >> 58]; }

    bgp::Afi afi_;
    int words_;
    size_t size_ = 0;
    std::array<Shard, 64> shards_;
    SlotMemory scratch_;
  };

  Part& part(bgp::Afi afi) { return afi == bgp::Afi::kIpv4 ? v4_ : v6_; }

  Part v4_{bgp::Afi::kIpv4};
  Part v6_{bgp::Afi::kIpv6};
};

}  // namespace tern::rib
