// The prefix table's shard memory: zeroed and on a cache line from the heap or a mapping,
// and a mapping grown in place keeps what it held and is zero beyond.

#include "rib/slot_memory.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace tern::rib {
namespace {

bool all_zero(const std::byte* p, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (p[i] != std::byte{0}) return false;
  return true;
}

TEST(SlotMemory, SmallArraysComeFromTheHeapZeroedOnACacheLine) {
  SlotMemory m;
  m.reset(1000);
  EXPECT_FALSE(m.mapped());
  EXPECT_EQ(m.size(), 1000u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(m.data()) % 64, 0u);
  EXPECT_TRUE(all_zero(m.data(), m.size()));
  EXPECT_THROW(m.extend(2000), std::bad_alloc);  // only mappings grow in place
}

TEST(SlotMemory, MappedArraysGrowInPlaceKeepingTheirContents) {
  SlotMemory m;
  const size_t first = SlotMemory::kMapFrom + 100;  // not a whole number of pages
  m.reset(first);
  ASSERT_TRUE(m.mapped());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(m.data()) % 64, 0u);
  EXPECT_TRUE(all_zero(m.data(), m.size()));
  for (size_t i = 0; i < first; ++i)
    m.data()[i] = static_cast<std::byte>(i * 7 + 1);
  size_t size = first;
  for (int round = 0; round < 12; ++round) {  // to about 8 MiB, moving at some point
    const size_t next = size + size / 2;
    m.extend(next);
    ASSERT_EQ(m.size(), next);
    for (size_t i = 0; i < first; ++i)
      ASSERT_EQ(m.data()[i], static_cast<std::byte>(i * 7 + 1)) << "round " << round;
    ASSERT_TRUE(all_zero(m.data() + first, next - first)) << "round " << round;
    size = next;
  }
  EXPECT_THROW(m.extend(size - 1), std::bad_alloc);  // never shrinks
}

TEST(SlotMemory, MovesAndResetsCleanly) {
  SlotMemory a;
  a.reset(SlotMemory::kMapFrom);
  a.data()[5] = std::byte{9};
  SlotMemory b = std::move(a);
  EXPECT_EQ(a.data(), nullptr);
  EXPECT_EQ(b.data()[5], std::byte{9});
  b.reset(10);  // from a mapping back to the heap: zeroed again
  EXPECT_FALSE(b.mapped());
  EXPECT_TRUE(all_zero(b.data(), 10));
}

}  // namespace
}  // namespace tern::rib
