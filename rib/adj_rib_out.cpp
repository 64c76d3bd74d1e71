#include "rib/adj_rib_out.hpp"

#include <map>

#include "bgp/wire/nlri.hpp"

namespace tern::rib {

void AdjRibOut::set(const bgp::Prefix& p, AttrRef attrs) {
  auto s = sent_.find(p);
  const bool same_as_sent = s != sent_.end() ? s->second == attrs : !attrs;
  if (same_as_sent) {
    pending_.erase(p);  // back to what the peer already has: nothing to say
  } else {
    pending_[p] = std::move(attrs);
  }
}

void AdjRibOut::resend_all() {
  for (const auto& [p, a] : sent_)
    pending_[p] = a;
  sent_.clear();
}

bgp::Update AdjRibOut::make_update(const AttrSet* attrs) const {
  bgp::Update u;
  if (!attrs) {
    if (family_ != bgp::kIpv4Unicast) u.mp_unreach = bgp::MpUnreach{family_, {}};
    return u;
  }
  u.attrs = attrs->attrs();
  if (family_ != bgp::kIpv4Unicast) {
    bgp::MpNextHop nh;
    if (u.attrs.next_hop) nh.global = *u.attrs.next_hop;
    u.attrs.next_hop.reset();  // the next hop travels in MP_REACH_NLRI
    u.mp_reach = bgp::MpReach{family_, nh, {}};
  }
  return u;
}

std::vector<bgp::Bytes> AdjRibOut::pull(size_t budget) {
  std::vector<bgp::Bytes> out;
  if (pending_.empty()) return out;
  const bool add_path = ctx_.add_path_send[bgp::family_index(family_)];
  const size_t max = ctx_.max_message_size();

  // Group the queue by attribute set; withdrawals (null) sort first.
  std::map<const AttrSet*, std::vector<bgp::Prefix>> groups;
  for (const auto& [p, a] : pending_)
    groups[a.get()].push_back(p);

  size_t produced = 0;
  for (auto& [attrs, prefixes] : groups) {
    bgp::Update u = make_update(attrs);
    bgp::Bytes probe;
    if (!bgp::encode(bgp::Message{u}, ctx_, probe)) continue;  // cannot be sent at all
    const size_t overhead = probe.size();
    size_t i = 0;
    while (i < prefixes.size() && produced < budget) {
      // Fill one message up to the size limit.
      std::vector<bgp::Nlri> batch;
      size_t size = overhead;
      for (; i < prefixes.size(); ++i) {
        const size_t one = bgp::nlri_entry_size(prefixes[i].len, add_path);
        if (size + one > max) break;
        size += one;
        batch.push_back(bgp::Nlri{prefixes[i], add_path ? 1u : 0u});
      }
      if (batch.empty()) break;
      bgp::Update msg = u;
      if (!attrs) {
        (family_ == bgp::kIpv4Unicast ? msg.withdrawn : msg.mp_unreach->withdrawn) = batch;
      } else {
        (family_ == bgp::kIpv4Unicast ? msg.nlri : msg.mp_reach->nlri) = batch;
      }
      bgp::Bytes bytes;
      if (!bgp::encode(bgp::Message{msg}, ctx_, bytes)) break;
      produced += bytes.size();
      out.push_back(std::move(bytes));
      for (const auto& n : batch) {
        auto it = pending_.find(n.prefix);
        if (attrs) {
          sent_[n.prefix] = std::move(it->second);
        } else {
          sent_.erase(n.prefix);
        }
        pending_.erase(it);
      }
    }
    if (produced >= budget) break;
  }
  return out;
}

bgp::Bytes AdjRibOut::end_of_rib() const {
  return bgp::encode(bgp::Message{bgp::Update::make_end_of_rib(family_)}, ctx_).value();
}

}  // namespace tern::rib
