// UPDATE codec throughput: 1,000 IPv4 /24 NLRI under one attribute set, and 1,000 IPv6 /48
// in MP_REACH. Reported as prefixes per second (items_per_second). Run: ./tern.sh bench wire

#include <benchmark/benchmark.h>

#include "bgp/wire/codec.hpp"

using namespace tern::bgp;

namespace {

constexpr int kPrefixes = 1000;

Update ipv4_update() {
  Update u;
  u.attrs.origin = Origin::kIgp;
  u.attrs.as_path = AsPath{{{SegmentType::kSequence, {64512, 64513, 4200000001u}}}};
  u.attrs.next_hop = IpAddr::v4(0x0a000001);
  u.attrs.local_pref = 100;
  u.attrs.communities = std::vector<uint32_t>{0xfde80001};
  for (int i = 0; i < kPrefixes; ++i) {
    Prefix p;
    p.len = 24;
    p.b = {10, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i), 0};
    u.nlri.push_back({p, 0});
  }
  return u;
}

Update ipv6_update() {
  Update u;
  u.attrs.origin = Origin::kIgp;
  u.attrs.as_path = AsPath{{{SegmentType::kSequence, {64512, 64513}}}};
  MpReach mp{kIpv6Unicast, {*IpAddr::parse("fd00::1"), IpAddr::parse("fe80::1")}, {}};
  for (int i = 0; i < kPrefixes; ++i) {
    Prefix p;
    p.afi = Afi::kIpv6;
    p.len = 48;
    p.b = {0x20, 0x01, 0x0d, 0xb8, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
    mp.nlri.push_back({p, 0});
  }
  u.mp_reach = std::move(mp);
  return u;
}

CodecContext context() {
  CodecContext ctx;
  ctx.extended_message = true;  // 1,000 IPv6 /48 need about 7 KB
  return ctx;
}

void decode_bench(benchmark::State& state, const Update& u) {
  const CodecContext ctx = context();
  const Bytes wire = encode(Message{u}, ctx).value();
  const ByteSpan body = ByteSpan(wire).subspan(kHeaderSize);
  for (auto _ : state) {
    auto r = decode_update(body, ctx);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * kPrefixes);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(wire.size()));
}

void encode_bench(benchmark::State& state, const Update& u) {
  const CodecContext ctx = context();
  Bytes out;
  out.reserve(16384);
  for (auto _ : state) {
    out.clear();
    auto s = encode(Message{u}, ctx, out);
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kPrefixes);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(out.size()));
}

void BM_DecodeUpdateIpv4(benchmark::State& s) {
  decode_bench(s, ipv4_update());
}
void BM_EncodeUpdateIpv4(benchmark::State& s) {
  encode_bench(s, ipv4_update());
}
void BM_DecodeMpReachIpv6(benchmark::State& s) {
  decode_bench(s, ipv6_update());
}
void BM_EncodeMpReachIpv6(benchmark::State& s) {
  encode_bench(s, ipv6_update());
}

}  // namespace

BENCHMARK(BM_DecodeUpdateIpv4);
BENCHMARK(BM_EncodeUpdateIpv4);
BENCHMARK(BM_DecodeMpReachIpv6);
BENCHMARK(BM_EncodeMpReachIpv6);
BENCHMARK_MAIN();
