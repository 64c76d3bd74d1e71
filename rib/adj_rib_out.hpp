#pragma once
// Adj-RIB-Out of one update group: the peers that get the same attributes for every path
// share this queue and every UPDATE it encodes.
//
// The queue holds prefixes, not attributes or bytes: a prefix is queued once (a bit in its
// Loc-RIB entry says so) however often it changes, and what goes out is computed from the
// Loc-RIB when the group pulls, so a superseded announcement is never sent and a flapping
// prefix costs one queue slot. Nothing is kept of what was sent: whether a change is worth
// queueing is judged from the multipath set before and after it, and a peer that needs the
// whole table again (a new peer, a route refresh) gets it by queueing every prefix.
//
// Pulling is driven by the peers' sockets draining, so memory stays bounded by the table
// size, and a slow peer is split off into a queue of its own (copy_queue) instead of holding
// the others back.

#include <deque>
#include <functional>
#include <span>
#include <vector>

#include "bgp/wire/codec.hpp"
#include "rib/attr_set.hpp"
#include "rib/loc_rib.hpp"
#include "rib/prefix_key.hpp"

namespace tern::rib {

// Up to this many queues per address family exist at once (bits in RouteEntry::dirty).
inline constexpr int kOutSlots = 32;

class AdjRibOut {
 public:
  // What one path is sent with, or null when it is not sent to this group.
  using Exporter = std::function<AttrRef(const bgp::Prefix&, const Path&)>;

  // `slot` is this queue's bit in RouteEntry::dirty, unique among the family's live queues;
  // `ctx` is the group's negotiated codec context.
  AdjRibOut(bgp::Family family, bgp::CodecContext ctx, int slot);
  AdjRibOut(const AdjRibOut&) = delete;
  AdjRibOut& operator=(const AdjRibOut&) = delete;

  int slot() const { return slot_; }
  bgp::Family family() const { return family_; }
  bool add_path() const { return add_path_; }
  const bgp::CodecContext& context() const { return ctx_; }

  // Queues `p` unless it is queued already.
  void mark(const bgp::Prefix& p, RouteEntry& e);
  // ADD-PATH: the path announced with `out_id` is gone from the multipath set.
  void withdraw_path(const bgp::Prefix& p, uint32_t out_id);
  // Queues every prefix of the table (a new peer, a route refresh).
  void mark_all(LocRib& rib);
  // Queues everything `other` has queued (a slow peer leaving `other`'s group).
  void copy_queue(const AdjRibOut& other, LocRib& rib);
  // Drops everything queued and lets go of the entries (the group is gone).
  void clear(LocRib& rib);

  bool pending() const { return !queue_.empty() || !withdrawn_ids_.empty(); }
  size_t pending_count() const { return pending_prefixes() + withdrawn_ids_.size(); }

  // Encodes queued work into UPDATEs of at most the negotiated size, paths sharing attributes
  // packed together and withdrawals first, until about `budget` bytes are produced. What is
  // returned counts as sent.
  std::vector<bgp::Bytes> pull(size_t budget, LocRib& rib, const Exporter& exporter);

  // The End-of-RIB marker for this table's family.
  bgp::Bytes end_of_rib() const;

 private:
  struct Batch;
  void push(const bgp::Prefix& p);
  size_t pending_prefixes() const { return queue_.size() / words_; }
  // The `i`th queued prefix, from the front.
  bgp::Prefix queued(size_t i) const;
  // The first `n` queued prefixes (fewer if there are fewer), off the queue, into `out`.
  void take(size_t n, std::vector<bgp::Prefix>& out);
  void encode(const AttrSet* attrs, std::span<const bgp::Nlri> nlri, std::vector<bgp::Bytes>& out,
              size_t& produced) const;

  bgp::Family family_;
  bgp::CodecContext ctx_;
  int slot_;
  uint32_t bit_;
  bool add_path_;
  int words_;                   // per queued prefix (prefix_key.hpp)
  std::deque<uint64_t> queue_;  // packed prefixes
  std::vector<bgp::Nlri> withdrawn_ids_;
};

}  // namespace tern::rib
