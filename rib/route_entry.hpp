#pragma once
// One prefix's routes, laid out for a table of a million of them: 24 bytes when the prefix
// has one path (almost every prefix), the paths on the heap only when there are several.
// The multipath set is kept in front, best first, so it needs no index list; each path
// carries the step at which it lost (the API explains every route from that).

#include <bit>
#include <memory>
#include <span>

#include "rib/attr_set.hpp"
#include "rib/decision.hpp"

namespace tern::rib {

using PeerId = uint32_t;
inline constexpr PeerId kLocalPeer = 0;  // routes this node originates

struct Path {
  Path() = default;
  Path(PeerId peer_, uint32_t path_id_, AttrRef attrs_, uint8_t out_id_ = 0, uint8_t rejected_ = 0)
      : attrs(std::move(attrs_)),
        path_id(path_id_),
        peer(static_cast<uint16_t>(peer_)),
        out_id(out_id_),
        rejected(rejected_) {}

  AttrRef attrs;
  uint32_t path_id = 0;
  uint16_t peer = kLocalPeer;  // the speaker keeps peer ids below 65536
  // The path id this path is announced with where ADD-PATH send is negotiated: stable while
  // the path lives, unique within its prefix, never 0 (0: too many paths to number).
  uint8_t out_id = 0;
  // RFC 4724: kept (and forwarded on) while its peer restarts; not part of equality, since
  // staleness alone changes nothing in the forwarding table.
  bool stale : 1 = false;
  uint8_t lost_ : 4 = static_cast<uint8_t>(Step::kBest);
  // Why the import checks refused the path (an ImportVerdict), 0 when it is a candidate.
  // Refused paths are kept, with the attributes as received, so the API can show what a
  // peer sent and why it is not used, and a changed filter can be applied again.
  uint8_t rejected : 3 = 0;

  Step lost_at() const { return static_cast<Step>(lost_); }
  void set_lost_at(Step s) { lost_ = static_cast<uint8_t>(s); }
  bool operator==(const Path& o) const {
    return peer == o.peer && path_id == o.path_id && attrs == o.attrs && rejected == o.rejected;
  }
};
static_assert(sizeof(Path) == 16);

class RouteEntry {
 public:
  RouteEntry() {}
  // Inline, like the move: the prefix table moves every entry each time it grows.
  ~RouteEntry() {
    if (size_) destroy();
  }
  RouteEntry(RouteEntry&& o) noexcept : dirty(o.dirty), size_(o.size_), mp_(o.mp_) {
    if (size_ >= 2) {
      heap_ = o.heap_;
    } else if (size_ == 1) {
      std::construct_at(&one_, std::move(o.one_));
      std::destroy_at(&o.one_);
    }
    o.size_ = 0;
    o.mp_ = 0;
  }
  RouteEntry& operator=(RouteEntry&& o) noexcept;
  RouteEntry(const RouteEntry&) = delete;
  RouteEntry& operator=(const RouteEntry&) = delete;

  std::span<Path> paths() { return {data(), size_}; }
  std::span<const Path> paths() const { return {data(), size_}; }
  // The multipath set, best first; empty when no path is usable.
  std::span<const Path> multipath() const { return {data(), mp_}; }
  const Path* best() const { return mp_ ? data() : nullptr; }
  bool empty() const { return size_ == 0; }

  void push_back(Path p);
  // Removes the paths matching `pred`; returns how many.
  template <class Pred>
  size_t erase_if(Pred pred);
  // Puts the paths in the order given (indexes into paths()) and makes the first `n` the
  // multipath set.
  void reorder(std::span<const int> order, size_t n);
  void set_multipath(size_t n) { mp_ = static_cast<uint8_t>(n); }

 private:
  // One path lives inline; two or more on the heap, in room for the next power of two.
  static size_t capacity_for(size_t n) { return n <= 1 ? 1 : std::bit_ceil(n); }
  Path* data() { return size_ >= 2 ? heap_ : &one_; }
  const Path* data() const { return size_ >= 2 ? heap_ : &one_; }
  // After size_ went from `old` to its current value by removal: fits the storage to it.
  void shrunk_from(size_t old);
  void destroy();

  union {
    Path one_;
    Path* heap_;
  };

 public:
  // One bit per Adj-RIB-Out queue that still has to send this prefix (see AdjRibOut). An
  // entry whose last path went stays until every queue holding it has sent the withdrawal.
  // (Declared here, between the private members, to keep the entry at 24 bytes.)
  uint32_t dirty = 0;

 private:
  uint16_t size_ = 0;
  uint8_t mp_ = 0;
};
static_assert(sizeof(RouteEntry) == 24);

template <class Pred>
size_t RouteEntry::erase_if(Pred pred) {
  Path* d = data();
  size_t kept = 0;
  for (size_t i = 0; i < size_; ++i) {
    if (pred(d[i])) continue;
    if (kept != i) d[kept] = std::move(d[i]);
    ++kept;
  }
  const size_t removed = size_ - kept;
  if (removed == 0) return 0;
  for (size_t i = kept; i < size_; ++i)
    std::destroy_at(&d[i]);
  const size_t old = size_;
  size_ = static_cast<uint16_t>(kept);
  if (mp_ > size_) mp_ = static_cast<uint8_t>(size_);
  shrunk_from(old);
  return removed;
}

}  // namespace tern::rib
