// In-process RIB cost of a full table: 1,000,000 IPv4 prefixes (internet-like length mix,
// one attribute set) announced by one peer into the Loc-RIB and queued for one update group,
// then pulled as UPDATEs. Prints wall time per phase and the resident memory it added; the
// end-to-end comparison with BIRD is bench/rib_bench.sh. Run: ./tern.sh bench rib-load

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <unordered_set>

#include "rib/adj_rib_out.hpp"

using namespace tern;

namespace {

size_t rss_kib() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6));
  return 0;
}

// Distinct prefixes, roughly the length mix of the internet table: most /24, the rest /16-/23.
std::vector<bgp::Prefix> table(size_t n) {
  std::mt19937 rng(42);
  std::unordered_set<uint64_t> seen;
  std::vector<bgp::Prefix> out;
  out.reserve(n);
  while (out.size() < n) {
    const uint32_t r = rng() % 100;
    const uint8_t len = r < 60   ? 24
                        : r < 70 ? 23
                        : r < 78 ? 22
                        : r < 85 ? 21
                        : r < 90 ? 20
                        : r < 94 ? 19
                        : r < 97 ? 18
                        : r < 99 ? 17
                                 : 16;
    const uint32_t addr = (rng() | 0x01000000u) & (~0u << (32 - len));
    if (!seen.insert((static_cast<uint64_t>(addr) << 8) | len).second) continue;
    bgp::Prefix p;
    p.len = len;
    p.b = {static_cast<uint8_t>(addr >> 24), static_cast<uint8_t>(addr >> 16),
           static_cast<uint8_t>(addr >> 8), static_cast<uint8_t>(addr)};
    out.push_back(p);
  }
  return out;
}

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::stoul(argv[1]) : 1000000;
  const auto prefixes = table(n);
  const size_t base = rss_kib();

  rib::AttrPool pool;
  rib::LocRib rib(65000);
  rib.set_peer(1, rib::PeerInfo{true, 65001, 1, *bgp::IpAddr::parse("10.0.0.1")});
  bgp::PathAttributes a;
  a.origin = bgp::Origin::kIgp;
  a.as_path = bgp::AsPath{{{bgp::SegmentType::kSequence, {65001}}}};
  a.next_hop = *bgp::IpAddr::parse("10.0.0.1");
  const rib::AttrRef ref = pool.intern(a);
  rib::AdjRibOut out(bgp::kIpv4Unicast, bgp::CodecContext{}, 0);

  auto t = std::chrono::steady_clock::now();
  // As the speaker does: start loading a few prefixes ahead of the one being inserted.
  for (size_t i = 0; i < prefixes.size(); ++i) {
    if (i + 8 < prefixes.size()) rib.prefetch(prefixes[i + 8]);
    if (auto c = rib.announce(prefixes[i], 1, 0, ref)) out.mark(prefixes[i], *c->entry);
  }
  const double insert_s = since(t);
  const size_t queued_kib = rss_kib() - base;

  t = std::chrono::steady_clock::now();
  size_t bytes = 0, msgs = 0;
  while (out.pending()) {
    for (auto& m :
         out.pull(1 << 20, rib, [](const bgp::Prefix&, const rib::Path& p) { return p.attrs; })) {
      bytes += m.size();
      ++msgs;
    }
  }
  const double pull_s = since(t);
  std::printf(
      "prefixes %zu  insert+queue %.3f s (%.0f ns/prefix)  pull+encode %.3f s "
      "(%.0f ns/prefix, %zu UPDATEs, %.1f MiB)\n",
      n, insert_s, insert_s * 1e9 / n, pull_s, pull_s * 1e9 / n, msgs, bytes / 1048576.0);
  std::printf("memory: %.1f MiB with the queue full (%.0f bytes/prefix), %.1f MiB after\n",
              queued_kib / 1024.0, queued_kib * 1024.0 / n, (rss_kib() - base) / 1024.0);
  return 0;
}
