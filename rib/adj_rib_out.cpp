#include "rib/adj_rib_out.hpp"

#include <algorithm>
#include <unordered_map>

#include "bgp/wire/nlri.hpp"

namespace tern::rib {

namespace {

// Prefixes taken from the queue per round: large enough to pack well, small enough that a
// pull overshoots its budget by little.
constexpr size_t kWindow = 1024;

}  // namespace

AdjRibOut::AdjRibOut(bgp::Family family, bgp::CodecContext ctx, int slot)
    : family_(family),
      ctx_(ctx),
      slot_(slot),
      bit_(1u << slot),
      add_path_(ctx.add_path_send[bgp::family_index(family)]),
      words_(key_words(family.afi)) {}

void AdjRibOut::push(const bgp::Prefix& p) {
  uint64_t key[3];
  pack(p, key);
  queue_.insert(queue_.end(), key, key + words_);
}

bgp::Prefix AdjRibOut::pop() {
  uint64_t key[3];
  std::copy_n(queue_.begin(), words_, key);
  queue_.erase(queue_.begin(), queue_.begin() + words_);
  return unpack(family_.afi, key);
}

void AdjRibOut::mark(const bgp::Prefix& p, RouteEntry& e) {
  if (e.dirty & bit_) return;
  e.dirty |= bit_;
  push(p);
}

void AdjRibOut::withdraw_path(const bgp::Prefix& p, uint32_t out_id) {
  withdrawn_ids_.push_back(bgp::Nlri{p, out_id});
}

void AdjRibOut::mark_all(LocRib& rib) {
  rib.for_each_entry([&](const bgp::Prefix& p, RouteEntry& e) { mark(p, e); });
}

void AdjRibOut::copy_queue(const AdjRibOut& other, LocRib& rib) {
  for (size_t i = 0; i < other.queue_.size(); i += words_) {
    uint64_t key[3];
    std::copy_n(other.queue_.begin() + static_cast<long>(i), words_, key);
    const bgp::Prefix p = unpack(family_.afi, key);
    if (RouteEntry* e = rib.entry(p)) mark(p, *e);
  }
  withdrawn_ids_.insert(withdrawn_ids_.end(), other.withdrawn_ids_.begin(),
                        other.withdrawn_ids_.end());
}

void AdjRibOut::clear(LocRib& rib) {
  while (!queue_.empty()) {
    const bgp::Prefix p = pop();
    if (RouteEntry* e = rib.entry(p)) {
      e->dirty &= ~bit_;
      rib.release(p);
    }
  }
  withdrawn_ids_.clear();
}

void AdjRibOut::encode(const AttrSet* attrs, const std::vector<bgp::Nlri>& nlri,
                       std::vector<bgp::Bytes>& out, size_t& produced) const {
  if (nlri.empty()) return;
  const bool v4 = family_ == bgp::kIpv4Unicast;
  bgp::Update u;
  if (!attrs) {
    if (!v4) u.mp_unreach = bgp::MpUnreach{family_, {}};
  } else {
    u.attrs = attrs->attrs();
    if (!v4) {
      bgp::MpNextHop nh;
      if (u.attrs.next_hop) nh.global = *u.attrs.next_hop;
      u.attrs.next_hop.reset();  // the next hop travels in MP_REACH_NLRI
      u.mp_reach = bgp::MpReach{family_, nh, {}};
    }
  }
  bgp::Bytes probe;
  if (!bgp::encode(bgp::Message{u}, ctx_, probe)) return;  // cannot be sent at all
  const size_t overhead = probe.size();
  const size_t max = ctx_.max_message_size();

  auto& list =
      !attrs ? (v4 ? u.withdrawn : u.mp_unreach->withdrawn) : (v4 ? u.nlri : u.mp_reach->nlri);
  size_t i = 0;
  while (i < nlri.size()) {
    list.clear();
    size_t size = overhead;
    for (; i < nlri.size(); ++i) {
      const size_t one = bgp::nlri_entry_size(nlri[i].prefix.len, add_path_);
      if (size + one > max) break;
      size += one;
      list.push_back(nlri[i]);
    }
    if (list.empty()) return;
    bgp::Bytes bytes;
    if (!bgp::encode(bgp::Message{u}, ctx_, bytes)) return;
    produced += bytes.size();
    out.push_back(std::move(bytes));
  }
}

std::vector<bgp::Bytes> AdjRibOut::pull(size_t budget, LocRib& rib, const Exporter& exporter) {
  std::vector<bgp::Bytes> out;
  size_t produced = 0;
  // ADD-PATH withdrawals go before any announcement, which may reuse the id.
  encode(nullptr, withdrawn_ids_, out, produced);
  withdrawn_ids_.clear();

  std::vector<bgp::Prefix> window;
  std::vector<bgp::Nlri> withdrawals;
  std::vector<std::pair<AttrRef, std::vector<bgp::Nlri>>> groups;
  std::unordered_map<const AttrSet*, size_t> group_of;
  auto add = [&](AttrRef a, bgp::Nlri n) {
    if (!a) {
      withdrawals.push_back(n);
      return;
    }
    auto [it, fresh] = group_of.try_emplace(a.get(), groups.size());
    if (fresh) groups.emplace_back(std::move(a), std::vector<bgp::Nlri>{});
    groups[it->second].second.push_back(n);
  };

  while (!queue_.empty() && produced < budget) {
    withdrawals.clear();
    groups.clear();
    group_of.clear();
    // Take the window first and load its entries a few ahead of their use: the table is far
    // larger than the caches.
    window.clear();
    for (size_t n = 0; n < kWindow && !queue_.empty(); ++n)
      window.push_back(pop());
    constexpr size_t kAhead = 8;
    for (size_t i = 0; i < std::min(kAhead, window.size()); ++i)
      rib.prefetch(window[i]);
    for (size_t i = 0; i < window.size(); ++i) {
      if (i + kAhead < window.size()) rib.prefetch(window[i + kAhead]);
      const bgp::Prefix& p = window[i];
      RouteEntry* e = rib.entry(p);
      if (e) e->dirty &= ~bit_;
      if (!e || e->empty()) {
        // With ADD-PATH, each path's withdrawal was queued by id when it left the set.
        if (!add_path_) add(nullptr, bgp::Nlri{p, 0});
      } else if (add_path_) {
        for (const Path& path : e->multipath())
          if (path.out_id) add(exporter(p, path), bgp::Nlri{p, path.out_id});
      } else {
        const Path* best = e->best();
        add(best ? exporter(p, *best) : nullptr, bgp::Nlri{p, 0});
      }
      if (e && e->empty()) rib.release(p);
    }
    encode(nullptr, withdrawals, out, produced);
    for (const auto& [attrs, nlri] : groups)
      encode(attrs.get(), nlri, out, produced);
  }
  return out;
}

bgp::Bytes AdjRibOut::end_of_rib() const {
  return bgp::encode(bgp::Message{bgp::Update::make_end_of_rib(family_)}, ctx_).value();
}

}  // namespace tern::rib
