#include "rib/adj_rib_out.hpp"

#include <algorithm>

#include "bgp/wire/nlri.hpp"

namespace tern::rib {

namespace {

// Prefixes taken from the queue per round: large enough to pack well, small enough that a
// pull overshoots its budget by little.
constexpr size_t kWindow = 1024;

// Set -> group within one window: open addressing, cleared by bumping a generation instead of
// touching every slot, grown when half full (ADD-PATH windows hold a path per multipath
// member, so a window can have more sets than prefixes). It starts small: most pulls carry a
// change or two, and a table's first window grows it for the rest of its pull.
class GroupIndex {
 public:
  GroupIndex() : slots_(64) {}
  void reset() {
    ++generation_;
    used_ = 0;
  }
  // The group of `key`, or `fresh` (recorded as its group) if it has none yet this window.
  uint32_t find_or_add(const AttrSet* key, uint32_t fresh) {
    if (2 * (used_ + 1) > slots_.size()) grow();
    Slot& s = probe(key);
    if (s.generation == generation_) return s.group;
    s = Slot{key, generation_, fresh};
    ++used_;
    return fresh;
  }

 private:
  struct Slot {
    const AttrSet* key = nullptr;
    uint64_t generation = 0;
    uint32_t group = 0;
  };
  // The slot holding `key` this window, or the empty one where it would go.
  Slot& probe(const AttrSet* key) {
    const size_t mask = slots_.size() - 1;
    // Sets are heap objects: multiply the address so its low bits do not decide alone.
    size_t i = ((reinterpret_cast<uintptr_t>(key) >> 4) * 0x9e3779b97f4a7c15ull >> 32) & mask;
    for (;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.generation != generation_ || s.key == key) return s;
    }
  }
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& s : old)
      if (s.generation == generation_) probe(s.key) = s;
  }

  std::vector<Slot> slots_;  // a power of two
  uint64_t generation_ = 1;
  size_t used_ = 0;
};

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

bgp::Prefix AdjRibOut::queued(size_t i) const {
  uint64_t key[3];
  std::copy_n(queue_.begin() + static_cast<long>(i * words_), words_, key);
  return unpack(family_.afi, key);
}

void AdjRibOut::take(size_t n, std::vector<bgp::Prefix>& out) {
  n = std::min(n, queue_.size() / words_);
  out.clear();
  out.reserve(n);
  for (size_t i = 0; i < n; ++i)
    out.push_back(queued(i));
  // Once: erasing a prefix at a time was a tenth of a pull.
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(n * words_));
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
  for (size_t i = 0; i < other.pending_prefixes(); ++i) {
    const bgp::Prefix p = other.queued(i);
    if (RouteEntry* e = rib.entry(p)) mark(p, *e);
  }
  withdrawn_ids_.insert(withdrawn_ids_.end(), other.withdrawn_ids_.begin(),
                        other.withdrawn_ids_.end());
}

void AdjRibOut::clear(LocRib& rib) {
  std::vector<bgp::Prefix> all;
  take(pending_prefixes(), all);
  for (const auto& p : all) {
    if (RouteEntry* e = rib.entry(p)) {
      e->dirty &= ~bit_;
      rib.release(p);
    }
  }
  withdrawn_ids_.clear();
}

void AdjRibOut::encode(const AttrSet* attrs, std::span<const bgp::Nlri> nlri,
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
  // The message without prefixes. IPv4 prefixes sit outside the attributes, so each message
  // is this one with its prefixes spliced in: the attributes are encoded once per set, not
  // once per message. Other families carry them inside MP_(UN)REACH_NLRI and are encoded whole.
  bgp::Bytes bare;
  if (!bgp::encode(bgp::Message{u}, ctx_, bare)) return;  // cannot be sent at all
  const size_t max = ctx_.max_message_size();
  constexpr size_t kLengths = bgp::kHeaderSize + 2;  // IPv4 withdrawals go after this

  size_t i = 0;
  while (i < nlri.size()) {
    const size_t first = i;
    size_t size = bare.size();
    for (; i < nlri.size(); ++i) {
      const size_t one = bgp::nlri_entry_size(nlri[i].prefix.len, add_path_);
      if (size + one > max) break;
      size += one;
    }
    if (i == first) return;
    const auto chunk = nlri.subspan(first, i - first);
    bgp::Bytes bytes;
    if (v4) {
      bytes.reserve(size);
      bgp::Writer w(bytes);
      if (attrs) {
        w.bytes(bare);
        bgp::encode_nlri(chunk, add_path_, w);
      } else {
        w.bytes(bare.data(), kLengths);
        bgp::encode_nlri(chunk, add_path_, w);
        w.bytes(bare.data() + kLengths, bare.size() - kLengths);
        w.patch_u16(bgp::kHeaderSize, static_cast<uint16_t>(size - bare.size()));
      }
      if (!bgp::end_message(0, max, w)) return;  // the header's length field
    } else {
      auto& list = attrs ? u.mp_reach->nlri : u.mp_unreach->withdrawn;
      list.assign(chunk.begin(), chunk.end());
      if (!bgp::encode(bgp::Message{u}, ctx_, bytes)) return;
    }
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

  // Per window: the prefixes grouped by the set they are exported with (withdrawals as group
  // 0), groups in order of first appearance. Flat arrays reused across windows: a window of a
  // table with many sets has hundreds of groups, and a container per group cost an allocation
  // each.
  std::vector<bgp::Prefix> window;
  std::vector<AttrRef> sets;                            // group -> set (0: withdrawals)
  std::vector<std::pair<uint32_t, bgp::Nlri>> entries;  // (group, prefix) in queue order
  std::vector<uint32_t> start;                          // group -> its first slot in `sorted`
  std::vector<uint32_t> cursor;
  std::vector<bgp::Nlri> sorted;
  GroupIndex index;
  auto add = [&](AttrRef a, bgp::Nlri n) {
    uint32_t g = 0;
    if (a) {
      g = index.find_or_add(a.get(), static_cast<uint32_t>(sets.size()));
      if (g == sets.size()) sets.push_back(std::move(a));
    }
    entries.emplace_back(g, n);
  };

  while (!queue_.empty() && produced < budget) {
    sets.assign(1, nullptr);
    entries.clear();
    index.reset();
    // Take the window first and load its entries a few ahead of their use: the table is far
    // larger than the caches.
    take(kWindow, window);
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
    // A counting sort by group keeps each group's prefixes in queue order.
    start.assign(sets.size() + 1, 0);
    for (const auto& [g, n] : entries)
      ++start[g + 1];
    for (size_t g = 1; g < start.size(); ++g)
      start[g] += start[g - 1];
    sorted.resize(entries.size());
    cursor.assign(start.begin(), start.end() - 1);
    for (const auto& [g, n] : entries)
      sorted[cursor[g]++] = n;
    const std::span<const bgp::Nlri> all(sorted);
    for (size_t g = 0; g < sets.size(); ++g)
      encode(sets[g].get(), all.subspan(start[g], start[g + 1] - start[g]), out, produced);
  }
  return out;
}

bgp::Bytes AdjRibOut::end_of_rib() const {
  return bgp::encode(bgp::Message{bgp::Update::make_end_of_rib(family_)}, ctx_).value();
}

}  // namespace tern::rib
