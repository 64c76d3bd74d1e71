#pragma once
// Values that a million routes share (a next-hop list, a kernel hop list) stored once and named
// by a 32-bit id. In a cluster every route to a node carries the same next hop, so per prefix
// the writer keeps ids instead of vectors: a few bytes instead of a heap block each.
//
// Ids are reference counted: whoever keeps an id holds a reference (acquire or ref) and gives
// it back (release); a value nobody holds is forgotten and its id reused. Id 0 is never issued.

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace tern::fib {

template <typename T, typename Hash>
class Interner {
 public:
  using Id = uint32_t;

  // The id of v, with one reference taken for the caller.
  Id acquire(const T& v) {
    auto [it, inserted] = index_.try_emplace(v, 0);
    if (inserted) {
      if (free_.empty()) {
        slots_.push_back(Slot{v, 0});
        it->second = static_cast<Id>(slots_.size());
      } else {
        it->second = free_.back();
        free_.pop_back();
        slots_[it->second - 1].value = v;
      }
    }
    ++slots_[it->second - 1].refs;
    return it->second;
  }
  void ref(Id id) {
    assert(id != 0 && slots_[id - 1].refs > 0);
    ++slots_[id - 1].refs;
  }
  void release(Id id) {
    if (id == 0) return;
    Slot& s = slots_[id - 1];
    assert(s.refs > 0);
    if (--s.refs > 0) return;
    index_.erase(s.value);
    s.value = T{};
    free_.push_back(id);
  }
  const T& operator[](Id id) const { return slots_[id - 1].value; }
  // Distinct values held.
  size_t size() const { return index_.size(); }
  uint32_t refs(Id id) const { return slots_[id - 1].refs; }

 private:
  struct Slot {
    T value;
    uint32_t refs = 0;
  };
  std::vector<Slot> slots_;  // id - 1
  std::vector<Id> free_;
  std::unordered_map<T, Id, Hash> index_;
};

}  // namespace tern::fib
