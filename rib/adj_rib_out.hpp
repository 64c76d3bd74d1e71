#pragma once
// Adj-RIB-Out for one update group: peers that get the same attributes for every prefix
// share one of these, and one encoding of every UPDATE. Work is kept as "prefix -> latest
// attribute set" (or withdrawn), never as bytes, so an announcement superseded before it was
// sent is simply never sent. The session pulls encoded UPDATEs when its socket has room:
// a slow peer holds back only its own group, and memory stays bounded by the table size.

#include <unordered_map>
#include <vector>

#include "bgp/wire/codec.hpp"
#include "rib/attr_set.hpp"
#include "rib/loc_rib.hpp"

namespace tern::rib {

class AdjRibOut {
 public:
  // `family` is the one this table carries; `ctx` is the group's negotiated codec context.
  AdjRibOut(bgp::Family family, bgp::CodecContext ctx) : family_(family), ctx_(ctx) {}

  // The latest wanted state of `p`: `attrs` to announce it with, or null to withdraw it.
  void set(const bgp::Prefix& p, AttrRef attrs);
  bool pending() const { return !pending_.empty(); }
  size_t pending_count() const { return pending_.size(); }

  // Encodes queued work into UPDATEs (each within the negotiated message size, prefixes
  // sharing an attribute set packed together, withdrawals first) until about `budget` bytes
  // are produced. What is returned counts as sent.
  std::vector<bgp::Bytes> pull(size_t budget);

  // The End-of-RIB marker for this table's family.
  bgp::Bytes end_of_rib() const;

  // What the peers of this group have been sent, for route refresh and late joiners.
  const std::unordered_map<bgp::Prefix, AttrRef, PrefixHash>& sent() const { return sent_; }
  // Queues everything sent again (RFC 2918 route refresh from a peer of the group).
  void resend_all();

 private:
  bgp::Update make_update(const AttrSet* attrs) const;

  bgp::Family family_;
  bgp::CodecContext ctx_;
  std::unordered_map<bgp::Prefix, AttrRef, PrefixHash> pending_;  // null: withdraw
  std::unordered_map<bgp::Prefix, AttrRef, PrefixHash> sent_;
};

}  // namespace tern::rib
