// The learned workload routes: which kernel routes count (host routes of other programs on
// cali* devices in the main table), what links do to them, the change reports, and the
// borrowed filter.

#include "fib/workload_routes.hpp"

#include <gtest/gtest.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>

#include "fib/netlink/route_msg.hpp"

namespace tern::fib {
namespace {

Prefix pfx(const char* s) {
  return *Prefix::parse(s);
}

// One rtnetlink message, laid out as the kernel sends it.
class Msg {
 public:
  Msg(uint16_t type, uint16_t flags, const void* body, size_t n) {
    nlmsghdr h{};
    h.nlmsg_type = type;
    h.nlmsg_flags = flags;
    put(&h, sizeof(h));
    put(body, n);
  }
  Msg& attr(uint16_t type, const void* data, size_t n) {
    rtattr a{};
    a.rta_len = static_cast<unsigned short>(RTA_LENGTH(n));
    a.rta_type = type;
    put(&a, sizeof(a));
    put(data, n);
    return *this;
  }
  Msg& u32(uint16_t type, uint32_t v) { return attr(type, &v, sizeof(v)); }
  const nlmsghdr* get() {
    const auto len = static_cast<uint32_t>(buf_.size());
    std::memcpy(buf_.data(), &len, sizeof(len));
    return reinterpret_cast<const nlmsghdr*>(buf_.data());
  }

 private:
  void put(const void* data, size_t n) {
    const size_t at = buf_.size();
    buf_.resize(at + NLMSG_ALIGN(n));
    std::memcpy(buf_.data() + at, data, n);
  }
  std::vector<uint8_t> buf_;
};

struct Route {
  const char* dst;
  int oif = 0;  // 0: none (blackhole)
  uint8_t protocol = RTPROT_BOOT;
  uint32_t metric = 0;
  uint32_t table = RT_TABLE_MAIN;
  uint8_t type = RTN_UNICAST;
  bool cloned = false;
};

Msg route_msg(uint16_t type, const Route& r, uint16_t flags = 0) {
  const Prefix p = pfx(r.dst);
  rtmsg m{};
  m.rtm_family = p.afi == bgp::Afi::kIpv4 ? AF_INET : AF_INET6;
  m.rtm_dst_len = p.len;
  m.rtm_table = r.table < 256 ? static_cast<uint8_t>(r.table) : uint8_t{RT_TABLE_UNSPEC};
  m.rtm_protocol = r.protocol;
  m.rtm_scope = RT_SCOPE_LINK;
  m.rtm_type = r.type;
  if (r.cloned) m.rtm_flags = RTM_F_CLONED;
  Msg msg(type, flags, &m, sizeof(m));
  msg.u32(RTA_TABLE, r.table).attr(RTA_DST, p.b.data(), p.afi == bgp::Afi::kIpv4 ? 4 : 16);
  msg.u32(RTA_PRIORITY, r.metric);
  if (r.oif) msg.u32(RTA_OIF, static_cast<uint32_t>(r.oif));
  return msg;
}

Msg link_msg(uint16_t type, int index, const char* name, bool up = true) {
  ifinfomsg i{};
  i.ifi_index = index;
  i.ifi_flags = up ? IFF_UP : 0;
  Msg msg(type, 0, &i, sizeof(i));
  if (name) msg.attr(IFLA_IFNAME, name, std::strlen(name) + 1);
  return msg;
}

class Learn : public ::testing::Test {
 protected:
  void add(const Route& r, uint16_t flags = 0) { t.apply(route_msg(RTM_NEWROUTE, r, flags).get()); }
  void del(const Route& r) { t.apply(route_msg(RTM_DELROUTE, r).get()); }
  void link(int index, const char* name, bool up = true) {
    t.apply(link_msg(RTM_NEWLINK, index, name, up).get());
  }
  void unlink(int index) { t.apply(link_msg(RTM_DELLINK, index, nullptr).get()); }

  WorkloadRouteTable t{LearnOptions{}};
};

using Routes = std::vector<LearnedRoute>;

TEST_F(Learn, OnlyOtherProgramsHostRoutesOnCaliDevicesInMain) {
  link(2, "eth-other");
  link(5, "caliaaaa0001");
  add({"10.244.1.70/32", 5});                       // Felix's: learned
  add({"fd00:244::70/128", 5, RTPROT_BOOT, 1024});  // IPv6 too
  add({"10.244.1.71/32", 5, 12});                   // ours
  add({"10.244.2.0/24", 5});                        // not a host route
  add({"10.244.1.72/32", 2});                       // not a workload device
  add({"10.244.1.73/32", 5, RTPROT_BOOT, 0, 100});  // another table
  add({"10.244.1.74/32", 5, RTPROT_BOOT, 0, 254, RTN_LOCAL});
  add({"fd00:244::75/128", 5, RTPROT_BOOT, 0, 254, RTN_UNICAST, true});  // a cached clone
  add({"10.244.1.76/32", 0, RTPROT_STATIC, 0, 254, RTN_BLACKHOLE});
  add({"10.244.1.77/32", 5, 80});  // any other protocol counts
  const Routes want{{pfx("10.244.1.70/32"), "caliaaaa0001"},
                    {pfx("10.244.1.77/32"), "caliaaaa0001"},
                    {pfx("fd00:244::70/128"), "caliaaaa0001"}};
  EXPECT_EQ(t.learned(), want);
  auto c = t.take_changes();
  EXPECT_EQ(c.added, want);
  EXPECT_TRUE(c.removed.empty());
  EXPECT_TRUE(t.take_changes().empty());
}

TEST_F(Learn, AnotherPrefixAndOurProtocolAreOptions) {
  t = WorkloadRouteTable(LearnOptions{"tap", 3, 254});
  link(5, "caliaaaa0001");
  link(6, "tap0");
  add({"10.0.0.1/32", 5});
  add({"10.0.0.2/32", 6});               // boot is "ours" now
  add({"10.0.0.3/32", 6, RTPROT_BIRD});  // and bird is not
  EXPECT_EQ(t.learned(), (Routes{{pfx("10.0.0.3/32"), "tap0"}}));
}

TEST_F(Learn, DeletesAndAddsAreReportedOnce) {
  link(5, "caliaaaa0001");
  add({"10.244.1.70/32", 5});
  add({"10.244.1.71/32", 5});
  t.take_changes();
  del({"10.244.1.70/32", 5});
  add({"10.244.1.72/32", 5});
  auto c = t.take_changes();
  EXPECT_EQ(c.removed, (Routes{{pfx("10.244.1.70/32"), "caliaaaa0001"}}));
  EXPECT_EQ(c.added, (Routes{{pfx("10.244.1.72/32"), "caliaaaa0001"}}));
  // Added and gone between two reports: nothing to tell.
  add({"10.244.1.73/32", 5});
  del({"10.244.1.73/32", 5});
  EXPECT_TRUE(t.take_changes().empty());
}

TEST_F(Learn, DeletedLinkTakesItsRoutesDownIpv4OnlyWhenItGoesDown) {
  link(5, "caliaaaa0001");
  link(6, "calibbbb0002");
  add({"10.244.1.70/32", 5});
  add({"fd00:244::70/128", 5, RTPROT_BOOT, 1024});
  add({"10.244.1.71/32", 6});
  add({"fd00:244::71/128", 6, RTPROT_BOOT, 1024});
  t.take_changes();
  // Down: the kernel flushes IPv4 routes silently and deletes IPv6 ones with a notification.
  link(5, "caliaaaa0001", false);
  auto c = t.take_changes();
  EXPECT_EQ(c.removed, (Routes{{pfx("10.244.1.70/32"), "caliaaaa0001"}}));
  EXPECT_TRUE(c.added.empty());
  // Deleted: everything through it goes.
  unlink(6);
  c = t.take_changes();
  EXPECT_EQ(c.removed, (Routes{{pfx("10.244.1.71/32"), "calibbbb0002"},
                               {pfx("fd00:244::71/128"), "calibbbb0002"}}));
  // The index comes back as another device: the old routes do not come with it.
  link(6, "calicccc0003");
  EXPECT_TRUE(t.take_changes().empty());
}

TEST_F(Learn, NamesComeFromLinksWheneverTheyArrive) {
  add({"10.244.1.70/32", 7});
  EXPECT_TRUE(t.take_changes().empty());
  link(7, "tmp1234");
  EXPECT_TRUE(t.take_changes().empty());
  link(7, "cali1234");  // renamed
  EXPECT_EQ(t.take_changes().added, (Routes{{pfx("10.244.1.70/32"), "cali1234"}}));
  link(7, "eth9");
  EXPECT_EQ(t.take_changes().removed, (Routes{{pfx("10.244.1.70/32"), "cali1234"}}));
}

TEST_F(Learn, ReplaceMovesARouteToAnotherDevice) {
  link(5, "caliaaaa0001");
  link(6, "calibbbb0002");
  add({"10.244.1.70/32", 5});
  t.take_changes();
  add({"10.244.1.70/32", 6}, NLM_F_REPLACE);
  auto c = t.take_changes();
  EXPECT_EQ(c.removed, (Routes{{pfx("10.244.1.70/32"), "caliaaaa0001"}}));
  EXPECT_EQ(c.added, (Routes{{pfx("10.244.1.70/32"), "calibbbb0002"}}));
  del({"10.244.1.70/32", 6});
  EXPECT_EQ(t.take_changes().removed, (Routes{{pfx("10.244.1.70/32"), "calibbbb0002"}}));
}

TEST_F(Learn, TheLowestMetricDecidesLikeTheKernel) {
  link(2, "eth-other");
  link(5, "caliaaaa0001");
  add({"10.244.1.70/32", 5, RTPROT_BOOT, 100});
  add({"10.244.1.70/32", 2, RTPROT_STATIC, 10});
  EXPECT_TRUE(t.take_changes().empty());
  del({"10.244.1.70/32", 2, RTPROT_STATIC, 10});
  EXPECT_EQ(t.take_changes().added, (Routes{{pfx("10.244.1.70/32"), "caliaaaa0001"}}));
}

TEST_F(Learn, AFreshDumpReportsOnlyTheDifference) {
  link(5, "caliaaaa0001");
  add({"10.244.1.70/32", 5});
  add({"10.244.1.71/32", 5});
  t.take_changes();
  t.clear_kernel_state();
  link(5, "caliaaaa0001");
  add({"10.244.1.71/32", 5});
  add({"10.244.1.72/32", 5});
  auto c = t.take_changes();
  EXPECT_EQ(c.removed, (Routes{{pfx("10.244.1.70/32"), "caliaaaa0001"}}));
  EXPECT_EQ(c.added, (Routes{{pfx("10.244.1.72/32"), "caliaaaa0001"}}));
}

TEST(ParseLink, NameStateAndDeletion) {
  auto m = link_msg(RTM_NEWLINK, 9, "caliaaaa0001", true);
  auto l = nl::parse_link(m.get());
  ASSERT_TRUE(l);
  EXPECT_EQ(l->ifindex, 9);
  EXPECT_EQ(l->name, "caliaaaa0001");
  EXPECT_TRUE(l->up);
  EXPECT_FALSE(l->deleted);
  auto d = link_msg(RTM_DELLINK, 9, nullptr);
  l = nl::parse_link(d.get());
  ASSERT_TRUE(l);
  EXPECT_TRUE(l->deleted);
  auto nameless = link_msg(RTM_NEWLINK, 9, nullptr);
  EXPECT_FALSE(nl::parse_link(nameless.get()));
  auto r = route_msg(RTM_NEWROUTE, {"10.0.0.1/32", 1});
  EXPECT_FALSE(nl::parse_link(r.get()));
}

TEST(Borrowed, InsideAPoolOutsideOwnBlocks) {
  const std::vector<IpPool> pools{{pfx("10.244.0.0/16")}, {pfx("fd00:244::/48")}};
  const std::vector<Prefix> own{pfx("10.244.1.64/26"), pfx("fd00:244:0:1::/64")};
  const std::vector<Prefix> learned{
      pfx("10.244.1.70/32"),       // own block
      pfx("10.244.2.5/32"),        // another node's block: borrowed
      pfx("192.168.0.9/32"),       // no pool
      pfx("fd00:244:0:1::5/128"),  // own block
      pfx("fd00:244:0:2::5/128"),  // borrowed
      pfx("10.244.1.128/32"),      // just past the own block: borrowed
  };
  EXPECT_EQ(borrowed(learned, pools, own),
            (std::vector<Prefix>{pfx("10.244.2.5/32"), pfx("fd00:244:0:2::5/128"),
                                 pfx("10.244.1.128/32")}));
  EXPECT_TRUE(borrowed(learned, {}, own).empty());
  EXPECT_EQ(borrowed(learned, pools, {}).size(), 5u);
}

}  // namespace
}  // namespace tern::fib
