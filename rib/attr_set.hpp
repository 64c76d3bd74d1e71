#pragma once
// Interned, immutable path attribute sets. A full mesh where every node sends its blocks with
// the same attributes stores that set once; everything else holds a pointer to it, and two
// routes have the same attributes exactly when their pointers are equal.
//
// Ownership: AttrRef is an intrusive, non-atomic reference count (the RIB lives on one
// thread). When the last reference goes, the set leaves its pool.

#include <boost/smart_ptr/intrusive_ptr.hpp>
#include <cstddef>
#include <vector>

#include "bgp/wire/message.hpp"

namespace tern::rib {

class AttrPool;

class AttrSet {
 public:
  const bgp::PathAttributes& attrs() const { return attrs_; }
  size_t hash() const { return hash_; }

 private:
  friend class AttrPool;
  friend void intrusive_ptr_add_ref(const AttrSet* s) { ++s->refs_; }
  friend void intrusive_ptr_release(const AttrSet* s);

  AttrSet(AttrPool* pool, bgp::PathAttributes a, size_t h)
      : pool_(pool), attrs_(std::move(a)), hash_(h) {}

  mutable AttrPool* pool_;  // cleared if the pool goes first
  const bgp::PathAttributes attrs_;
  const size_t hash_;
  mutable uint32_t refs_ = 0;
};

using AttrRef = boost::intrusive_ptr<const AttrSet>;

size_t hash_value(const bgp::PathAttributes& a);

class AttrPool {
 public:
  AttrPool() = default;
  AttrPool(const AttrPool&) = delete;
  AttrPool& operator=(const AttrPool&) = delete;
  ~AttrPool();

  // The one shared set equal to `a`, created if needed.
  AttrRef intern(bgp::PathAttributes a);
  size_t size() const { return size_; }

 private:
  friend void intrusive_ptr_release(const AttrSet* s);

  // Open addressing with linear probing. A table of hundreds of thousands of sets misses the
  // caches at every pointer it follows; here a lookup reads one run of adjacent slots, and the
  // hash kept in each slot turns away nearly every other set without loading it.
  struct Slot {
    size_t hash = 0;
    const AttrSet* set = nullptr;
  };
  // Fibonacci hashing: the slot comes from the top bits, so a weak low half does no harm.
  size_t home(size_t h) const { return (h * 0x9e3779b97f4a7c15ull) >> shift_; }
  void resize(size_t capacity);
  void erase(const AttrSet* s);

  std::vector<Slot> slots_;  // a power of two in size, or empty
  size_t size_ = 0;
  int shift_ = 64;
};

}  // namespace tern::rib
