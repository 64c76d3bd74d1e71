#pragma once
// Interned, immutable path attribute sets. A full mesh where every node sends its blocks with
// the same attributes stores that set once; everything else holds a pointer to it, and two
// routes have the same attributes exactly when their pointers are equal.
//
// Ownership: AttrRef is an intrusive, non-atomic reference count (the RIB lives on one
// thread). When the last reference goes, the set leaves its pool.

#include <boost/smart_ptr/intrusive_ptr.hpp>
#include <cstddef>
#include <unordered_set>

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
  size_t size() const { return sets_.size(); }

 private:
  friend void intrusive_ptr_release(const AttrSet* s);

  // Looked up by value without building an AttrSet (C++20 heterogeneous lookup).
  struct Key {
    const bgp::PathAttributes* attrs;
    size_t hash;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(const AttrSet* s) const { return s->hash(); }
    size_t operator()(const Key& k) const { return k.hash; }
  };
  struct Eq {
    using is_transparent = void;
    // Distinct sets never hold equal attributes, so identity is equality between sets.
    bool operator()(const AttrSet* a, const AttrSet* b) const { return a == b; }
    bool operator()(const Key& k, const AttrSet* s) const {
      return s->hash() == k.hash && s->attrs() == *k.attrs;
    }
    bool operator()(const AttrSet* s, const Key& k) const { return (*this)(k, s); }
  };
  void erase(const AttrSet* s) { sets_.erase(s); }

  std::unordered_set<const AttrSet*, Hash, Eq> sets_;
};

}  // namespace tern::rib
