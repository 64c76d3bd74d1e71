#include "fib/netlink/route_msg.hpp"

#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <sys/socket.h>

#include <cstring>
#include <span>

namespace tern::fib::nl {
namespace {

uint8_t family_of(bgp::Afi afi) {
  return afi == bgp::Afi::kIpv4 ? AF_INET : AF_INET6;
}
size_t addr_len(bgp::Afi afi) {
  return afi == bgp::Afi::kIpv4 ? 4 : 16;
}

// Appends to a growing buffer; offsets, not pointers, survive reallocation.
class Writer {
 public:
  explicit Writer(std::vector<uint8_t>& buf) : buf_(buf) {}

  size_t begin(uint16_t type, uint16_t flags, uint32_t seq) {
    const size_t at = buf_.size();
    nlmsghdr h{};
    h.nlmsg_type = type;
    h.nlmsg_flags = flags;
    h.nlmsg_seq = seq;
    put(&h, sizeof(h));
    return at;
  }
  void end(size_t at) {
    const auto len = static_cast<uint32_t>(buf_.size() - at);
    std::memcpy(buf_.data() + at, &len, sizeof(len));  // nlmsg_len is the first field
  }
  void put(const void* data, size_t n) {
    const size_t at = buf_.size();
    buf_.resize(at + NLMSG_ALIGN(n));
    std::memcpy(buf_.data() + at, data, n);
    std::memset(buf_.data() + at + n, 0, NLMSG_ALIGN(n) - n);
  }
  void attr(uint16_t type, const void* data, size_t n) {
    rtattr a{};
    a.rta_len = static_cast<unsigned short>(RTA_LENGTH(n));
    a.rta_type = type;
    put(&a, sizeof(a));
    put(data, n);
  }
  void u32(uint16_t type, uint32_t v) { attr(type, &v, sizeof(v)); }
  size_t nest_begin(uint16_t type) {
    const size_t at = buf_.size();
    rtattr a{};
    a.rta_type = type;
    put(&a, sizeof(a));
    return at;
  }
  void nest_end(size_t at) {
    const auto len = static_cast<unsigned short>(buf_.size() - at);
    std::memcpy(buf_.data() + at, &len, sizeof(len));  // rta_len is the first field
  }
  size_t size() const { return buf_.size(); }
  uint8_t* at(size_t offset) { return buf_.data() + offset; }

 private:
  std::vector<uint8_t>& buf_;
};

rtmsg header_for(const Prefix& dst, const RouteTag& tag) {
  rtmsg r{};
  r.rtm_family = family_of(dst.afi);
  r.rtm_dst_len = dst.len;
  r.rtm_table = tag.table < 256 ? static_cast<uint8_t>(tag.table) : uint8_t{RT_TABLE_UNSPEC};
  r.rtm_protocol = tag.protocol;
  return r;
}

void fill_addr(IpAddr& out, bgp::Afi afi, const nlattr* a) {
  out = IpAddr{};
  out.afi = afi;
  const size_t n = std::min<size_t>(addr_len(afi), static_cast<size_t>(nla_len(a)));
  std::memcpy(out.b.data(), nla_data(a), n);
}

}  // namespace

uint32_t effective_metric(bgp::Afi afi, uint32_t metric) {
  return afi == bgp::Afi::kIpv6 && metric == 0 ? 1024 : metric;
}

namespace {

void put_replace(std::vector<uint8_t>& buf, uint32_t seq, bool ack, const Prefix& dst,
                 bool blackhole, std::span<const KernelHop> hops, const RouteTag& tag) {
  Writer w(buf);
  const size_t msg = w.begin(
      RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE | (ack ? NLM_F_ACK : 0), seq);
  rtmsg r = header_for(dst, tag);
  r.rtm_scope = RT_SCOPE_UNIVERSE;
  r.rtm_type = blackhole ? RTN_BLACKHOLE : RTN_UNICAST;
  if (hops.size() == 1 && hops[0].onlink) r.rtm_flags |= RTNH_F_ONLINK;
  w.put(&r, sizeof(r));
  w.attr(RTA_DST, dst.b.data(), addr_len(dst.afi));
  w.u32(RTA_TABLE, tag.table);
  w.u32(RTA_PRIORITY, tag.metric);
  if (hops.size() == 1) {
    const auto& hop = hops[0];
    w.attr(RTA_GATEWAY, hop.gateway.b.data(), addr_len(hop.gateway.afi));
    w.u32(RTA_OIF, static_cast<uint32_t>(hop.ifindex));
  } else if (hops.size() > 1) {
    const size_t nest = w.nest_begin(RTA_MULTIPATH);
    for (const auto& hop : hops) {
      const size_t nh_at = w.size();
      rtnexthop nh{};
      nh.rtnh_flags = hop.onlink ? RTNH_F_ONLINK : 0;
      nh.rtnh_ifindex = hop.ifindex;
      w.put(&nh, sizeof(nh));
      w.attr(RTA_GATEWAY, hop.gateway.b.data(), addr_len(hop.gateway.afi));
      const auto len = static_cast<unsigned short>(w.size() - nh_at);
      std::memcpy(w.at(nh_at), &len, sizeof(len));  // rtnh_len is the first field
    }
    w.nest_end(nest);
  }
  w.end(msg);
}

}  // namespace

void append_replace(std::vector<uint8_t>& buf, uint32_t seq, bool ack, const KernelRoute& route,
                    const RouteTag& tag) {
  put_replace(buf, seq, ack, route.dst, route.blackhole, route.hops, tag);
}

void append_replace(std::vector<uint8_t>& buf, uint32_t seq, bool ack, const Prefix& dst,
                    const KernelForwarding& fwd, const RouteTag& tag) {
  put_replace(buf, seq, ack, dst, fwd.blackhole, fwd.hops, tag);
}

void append_delete(std::vector<uint8_t>& buf, uint32_t seq, bool ack, const Prefix& dst,
                   const RouteTag& tag) {
  Writer w(buf);
  const size_t msg = w.begin(RTM_DELROUTE, NLM_F_REQUEST | (ack ? NLM_F_ACK : 0), seq);
  rtmsg r = header_for(dst, tag);
  // Scope "nowhere" and type unspecified match any route at this key; the protocol must match,
  // which is what keeps every other program's routes safe.
  r.rtm_scope = RT_SCOPE_NOWHERE;
  w.put(&r, sizeof(r));
  w.attr(RTA_DST, dst.b.data(), addr_len(dst.afi));
  w.u32(RTA_TABLE, tag.table);
  w.u32(RTA_PRIORITY, tag.metric);
  w.end(msg);
}

std::vector<uint8_t> dump_request(uint32_t seq, uint8_t family, uint32_t table) {
  std::vector<uint8_t> buf;
  Writer w(buf);
  const size_t msg = w.begin(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, seq);
  rtmsg r{};
  r.rtm_family = family;
  r.rtm_table = table < 256 ? static_cast<uint8_t>(table) : uint8_t{RT_TABLE_UNSPEC};
  w.put(&r, sizeof(r));
  w.u32(RTA_TABLE, table);
  w.end(msg);
  return buf;
}

std::vector<uint8_t> lookup_request(uint32_t seq, const IpAddr& addr) {
  std::vector<uint8_t> buf;
  Writer w(buf);
  const size_t msg = w.begin(RTM_GETROUTE, NLM_F_REQUEST, seq);
  rtmsg r{};
  r.rtm_family = family_of(addr.afi);
  r.rtm_dst_len = bgp::max_prefix_len(addr.afi);
  r.rtm_flags = RTM_F_FIB_MATCH;
  w.put(&r, sizeof(r));
  w.attr(RTA_DST, addr.b.data(), addr_len(addr.afi));
  w.end(msg);
  return buf;
}

std::optional<ParsedRoute> parse_route(const nlmsghdr* h) {
  if (h->nlmsg_type != RTM_NEWROUTE && h->nlmsg_type != RTM_DELROUTE) return std::nullopt;
  if (h->nlmsg_len < NLMSG_LENGTH(sizeof(rtmsg))) return std::nullopt;
  const auto* r = static_cast<const rtmsg*>(NLMSG_DATA(h));
  if (r->rtm_family != AF_INET && r->rtm_family != AF_INET6) return std::nullopt;
  const bgp::Afi afi = r->rtm_family == AF_INET ? bgp::Afi::kIpv4 : bgp::Afi::kIpv6;

  nlattr* tb[RTA_MAX + 1] = {};
  if (nlmsg_parse(const_cast<nlmsghdr*>(h), sizeof(rtmsg), tb, RTA_MAX, nullptr) < 0)
    return std::nullopt;

  ParsedRoute p;
  p.deleted = h->nlmsg_type == RTM_DELROUTE;
  p.protocol = r->rtm_protocol;
  p.type = r->rtm_type;
  p.cloned = r->rtm_flags & RTM_F_CLONED;
  p.table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : r->rtm_table;
  p.metric = tb[RTA_PRIORITY] ? nla_get_u32(tb[RTA_PRIORITY]) : 0;
  p.route.dst.afi = afi;
  p.route.dst.len = r->rtm_dst_len;
  if (tb[RTA_DST]) {
    IpAddr a;
    fill_addr(a, afi, tb[RTA_DST]);
    p.route.dst.b = a.b;
  }
  p.route.blackhole = r->rtm_type == RTN_BLACKHOLE;
  if (tb[RTA_MULTIPATH]) {
    auto* nh = static_cast<rtnexthop*>(nla_data(tb[RTA_MULTIPATH]));
    int left = nla_len(tb[RTA_MULTIPATH]);
    while (RTNH_OK(nh, left)) {
      KernelHop hop;
      hop.ifindex = nh->rtnh_ifindex;
      hop.onlink = nh->rtnh_flags & RTNH_F_ONLINK;
      const int attrs_len = nh->rtnh_len - static_cast<int>(RTNH_LENGTH(0));
      if (attrs_len > 0) {
        nlattr* ntb[RTA_MAX + 1] = {};
        if (nla_parse(ntb, RTA_MAX, static_cast<nlattr*>(static_cast<void*>(RTNH_DATA(nh))),
                      attrs_len, nullptr) == 0 &&
            ntb[RTA_GATEWAY])
          fill_addr(hop.gateway, afi, ntb[RTA_GATEWAY]);
        else
          hop.gateway.afi = afi;
      } else {
        hop.gateway.afi = afi;
      }
      p.route.hops.push_back(hop);
      left -= NLMSG_ALIGN(nh->rtnh_len);
      nh = RTNH_NEXT(nh);
    }
  } else if (tb[RTA_OIF] || tb[RTA_GATEWAY]) {
    KernelHop hop;
    hop.gateway.afi = afi;
    if (tb[RTA_GATEWAY]) fill_addr(hop.gateway, afi, tb[RTA_GATEWAY]);
    hop.ifindex = tb[RTA_OIF] ? static_cast<int>(nla_get_u32(tb[RTA_OIF])) : 0;
    hop.onlink = r->rtm_flags & RTNH_F_ONLINK;
    p.route.hops.push_back(hop);
  }
  return p;
}

std::vector<uint8_t> link_dump_request(uint32_t seq) {
  std::vector<uint8_t> buf;
  Writer w(buf);
  const size_t msg = w.begin(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  w.put(&ifi, sizeof(ifi));
  w.end(msg);
  return buf;
}

std::optional<ParsedLink> parse_link(const nlmsghdr* h) {
  if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK) return std::nullopt;
  if (h->nlmsg_len < NLMSG_LENGTH(sizeof(ifinfomsg))) return std::nullopt;
  const auto* ifi = static_cast<const ifinfomsg*>(NLMSG_DATA(h));
  nlattr* tb[IFLA_MAX + 1] = {};
  if (nlmsg_parse(const_cast<nlmsghdr*>(h), sizeof(ifinfomsg), tb, IFLA_MAX, nullptr) < 0)
    return std::nullopt;
  ParsedLink l;
  l.ifindex = ifi->ifi_index;
  l.up = ifi->ifi_flags & IFF_UP;
  l.deleted = h->nlmsg_type == RTM_DELLINK;
  if (tb[IFLA_IFNAME]) l.name = nla_get_string(tb[IFLA_IFNAME]);
  if (!l.deleted && l.name.empty()) return std::nullopt;
  return l;
}

}  // namespace tern::fib::nl
