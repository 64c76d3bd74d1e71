// Import checks and the export transformation: AS loops with Calico's allowance, reflection
// loops, and what each kind of peer receives.

#include <gtest/gtest.h>

#include "bgp/wire/as_path.hpp"
#include "rib/policy.hpp"

namespace tern::rib {
namespace {

using bgp::IpAddr;

const LocalIdentity kMe{64512, 0x0a000001, 0};
const LocalIdentity kReflector{64512, 0x0a000001, 0x0a0000fe};

bgp::PathAttributes path(std::vector<uint32_t> asns) {
  bgp::PathAttributes a;
  a.origin = bgp::Origin::kIgp;
  a.as_path = bgp::AsPath{};
  if (!asns.empty()) a.as_path->segments.push_back({bgp::SegmentType::kSequence, std::move(asns)});
  a.next_hop = IpAddr::v4(0x0a000063);  // 10.0.0.99, whoever sent it
  return a;
}

PeerPolicy ibgp(bool client = false) {
  PeerPolicy p;
  p.rr_client = client;
  p.local_address = IpAddr::v4(0x0a000001);
  return p;
}

PeerPolicy ebgp() {
  PeerPolicy p;
  p.ebgp = true;
  p.local_address = IpAddr::v4(0x0a000001);
  return p;
}

TEST(Import, OwnAsInThePathIsALoopUnlessAllowed) {
  PeerPolicy from = ebgp();
  EXPECT_EQ(check_import(path({65001, 64512}), from, kMe), ImportVerdict::kAsLoop);
  from.allow_local_as = 1;  // Calico numAllowedLocalASNumbers: 1
  EXPECT_EQ(check_import(path({65001, 64512}), from, kMe), ImportVerdict::kAccept);
  EXPECT_EQ(check_import(path({64512, 65001, 64512}), from, kMe), ImportVerdict::kAsLoop);
  EXPECT_EQ(check_import(path({65001}), ebgp(), kMe), ImportVerdict::kAccept);
}

TEST(Import, TheAsPresentedToThePeerCountsToo) {
  PeerPolicy from = ebgp();
  from.local_as = 65100;  // Calico localASNumber
  EXPECT_EQ(check_import(path({65001, 65100}), from, kMe), ImportVerdict::kAsLoop);
}

TEST(Import, ReflectionLoopsAreDropped) {
  auto a = path({});
  a.originator_id = kMe.router_id;
  EXPECT_EQ(check_import(a, ibgp(), kMe), ImportVerdict::kOriginatorIsUs);
  auto b = path({});
  b.originator_id = 7;
  b.cluster_list = std::vector<uint32_t>{1, kReflector.cluster_id};
  EXPECT_EQ(check_import(b, ibgp(), kReflector), ImportVerdict::kClusterLoop);
  EXPECT_EQ(check_import(b, ibgp(), kMe), ImportVerdict::kAccept) << "not a reflector";
}

TEST(Export, LocallyOriginatedToMeshPeerUsesOurAddressAsNextHop) {
  auto out = export_attrs(path({}), PathOrigin{.local = true}, ibgp(), kMe);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out->next_hop, IpAddr::v4(0x0a000001));
  EXPECT_EQ(out->local_pref, 100u);
  EXPECT_TRUE(out->as_path->segments.empty()) << "iBGP: no prepend";
}

TEST(Export, IbgpLearnedIsNotPassedToIbgpWithoutReflection) {
  const PathOrigin from{
      .local = false, .ebgp = false, .from_rr_client = false, .peer_router_id = 2};
  EXPECT_FALSE(export_attrs(path({}), from, ibgp(), kMe));
  EXPECT_TRUE(export_attrs(path({}), from, ebgp(), kMe)) << "but it goes to eBGP peers";
}

TEST(Export, ReflectorRules) {
  const PathOrigin from_client{
      .local = false, .ebgp = false, .from_rr_client = true, .peer_router_id = 0x0a000002};
  const PathOrigin from_nonclient{
      .local = false, .ebgp = false, .from_rr_client = false, .peer_router_id = 0x0a000003};
  EXPECT_TRUE(export_attrs(path({}), from_client, ibgp(true), kReflector));
  EXPECT_TRUE(export_attrs(path({}), from_client, ibgp(false), kReflector));
  EXPECT_TRUE(export_attrs(path({}), from_nonclient, ibgp(true), kReflector));
  EXPECT_FALSE(export_attrs(path({}), from_nonclient, ibgp(false), kReflector))
      << "non-client to non-client is never reflected";
}

TEST(Export, ReflectionSetsOriginatorAndClusterListAndChangesNothingElse) {
  auto in = path({65001});
  in.local_pref = 150;
  in.med = 7;
  const PathOrigin from{
      .local = false, .ebgp = false, .from_rr_client = true, .peer_router_id = 0x0a000002};
  auto out = export_attrs(in, from, ibgp(true), kReflector);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->originator_id, 0x0a000002u);
  EXPECT_EQ(*out->cluster_list, (std::vector<uint32_t>{kReflector.cluster_id}));
  EXPECT_EQ(out->next_hop, in.next_hop);
  EXPECT_EQ(out->as_path, in.as_path);
  EXPECT_EQ(out->local_pref, 150u);
  EXPECT_EQ(out->med, 7u);
  // Reflected again by a second reflector: ORIGINATOR_ID stays, the cluster list grows.
  LocalIdentity rr2 = kReflector;
  rr2.cluster_id = 0x0a0000fd;
  auto again = export_attrs(*out, from, ibgp(true), rr2);
  EXPECT_EQ(again->originator_id, 0x0a000002u);
  EXPECT_EQ(*again->cluster_list, (std::vector<uint32_t>{0x0a0000fd, kReflector.cluster_id}));
}

TEST(Export, EbgpGetsOurAsOurNextHopAndNoIbgpAttributes) {
  auto in = path({65001});
  in.local_pref = 150;
  in.med = 9;
  in.originator_id = 5;
  in.cluster_list = std::vector<uint32_t>{1};
  const PathOrigin from{
      .local = false, .ebgp = false, .from_rr_client = false, .peer_router_id = 2};
  auto out = export_attrs(in, from, ebgp(), kMe);
  ASSERT_TRUE(out);
  EXPECT_EQ(bgp::to_string(*out->as_path), "64512 65001");
  EXPECT_EQ(*out->next_hop, IpAddr::v4(0x0a000001));
  EXPECT_FALSE(out->local_pref);
  EXPECT_FALSE(out->med);
  EXPECT_FALSE(out->originator_id);
  EXPECT_FALSE(out->cluster_list);
}

TEST(Export, EbgpKeepOriginalNextHopAndLocalAsOverride) {
  PeerPolicy to = ebgp();
  to.keep_next_hop = true;
  to.local_as = 65100;
  const PathOrigin from{.local = false, .ebgp = true, .from_rr_client = false, .peer_router_id = 2};
  auto out = export_attrs(path({65001}), from, to, kMe);
  EXPECT_EQ(*out->next_hop, IpAddr::v4(0x0a000063));
  EXPECT_EQ(bgp::to_string(*out->as_path), "65100 65001");
}

TEST(Export, EbgpLearnedToIbgpKeepsNextHopUnlessNextHopSelf) {
  const PathOrigin from{.local = false, .ebgp = true, .from_rr_client = false, .peer_router_id = 2};
  auto out = export_attrs(path({65001}), from, ibgp(), kMe);
  EXPECT_EQ(*out->next_hop, IpAddr::v4(0x0a000063));
  PeerPolicy self = ibgp();
  self.next_hop_self = true;
  EXPECT_EQ(*export_attrs(path({65001}), from, self, kMe)->next_hop, IpAddr::v4(0x0a000001));
}

}  // namespace
}  // namespace tern::rib
