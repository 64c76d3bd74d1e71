#pragma once
// What a source path is exported as, for one update group. Exported sets live only while
// something holds them, so this cache is what keeps a just-exported set for the next prefixes
// of the same source (a table arriving in UPDATEs asks for the same set several times in a
// row, a mesh for a few sets over and over). Bounded and lossy: a miss costs an export and an
// intern, never a wrong answer.
//
// Four-way set associative, grown from a few KiB as it fills: one lookup reads two adjacent
// cache lines, and nothing is ever cleared wholesale during a table load.

#include <cstdint>
#include <vector>

#include "rib/attr_set.hpp"
#include "rib/route_entry.hpp"

namespace tern {

class ExportCache {
 public:
  struct Key {
    const rib::AttrSet* source = nullptr;  // never null
    rib::PeerId peer = 0;      // the source peer: its kind (eBGP, client) changes the export
    uint64_t communities = 0;  // the export filter's community rules that applied
  };

  // What `k` was exported as (a null ref: not exported), or nullptr if not cached.
  const rib::AttrRef* find(const Key& k);
  // Remembers `exported` for `k`; holds `source` so its address cannot be reused meanwhile.
  void put(const Key& k, rib::AttrRef source, rib::AttrRef exported);
  // Forgets everything (membership or policy changed) and hands the memory back.
  void clear();

  size_t size() const { return count_; }
  size_t capacity() const { return entries_.size(); }

  static constexpr size_t kWays = 4;
  static constexpr size_t kMinSets = 32;
  static constexpr size_t kMaxSets = 2048;  // 8,192 entries of 32 bytes

 private:
  struct Entry {
    rib::AttrRef source;  // null: empty
    rib::PeerId peer = 0;
    uint64_t communities = 0;
    rib::AttrRef exported;
    bool holds(const Key& k) const {
      return source.get() == k.source && peer == k.peer && communities == k.communities;
    }
  };
  size_t set_of(const Key& k) const;
  Entry* way_for(const Key& k);
  void resize(size_t sets);

  std::vector<Entry> entries_;  // kWays consecutive entries form a set
  int shift_ = 64;
  size_t count_ = 0;
  size_t victim_ = 0;
};

}  // namespace tern
