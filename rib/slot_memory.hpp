#pragma once
// The memory under one prefix-table shard: zeroed bytes on a cache-line boundary that can
// grow. Large arrays are mappings of their own: growing one keeps its pages where they are
// (mremap moves page-table entries, it copies nothing), so a full table load asks the kernel
// for each page once, not for a fresh array at every growth by half (three times the
// table's final size in all). Small arrays, which is all of a typical Calico node's tables,
// stay on the heap, where a page each would waste memory.

#include <cstddef>
#include <memory>

namespace tern::rib {

class SlotMemory {
 public:
  static constexpr size_t kMapFrom = 64 * 1024;  // bytes; below this, heap

  SlotMemory() = default;
  SlotMemory(SlotMemory&& o) noexcept;
  SlotMemory& operator=(SlotMemory&& o) noexcept;
  SlotMemory(const SlotMemory&) = delete;
  SlotMemory& operator=(const SlotMemory&) = delete;
  ~SlotMemory() { release(); }

  std::byte* data() const { return base_; }
  size_t size() const { return size_; }
  bool mapped() const { return map_ != nullptr; }

  // `bytes` zero bytes in place of the old contents. Throws std::bad_alloc, as new does.
  void reset(size_t bytes);
  // Grows a mapped array to `bytes`, keeping its contents and zeroing the rest; it may move.
  // Throws std::bad_alloc, as new does, with the array unchanged.
  void extend(size_t bytes);

 private:
  struct Free {
    void operator()(std::byte* p) const;
  };
  void release();

  std::byte* base_ = nullptr;
  size_t size_ = 0;
  // A heap array, with room to put `base_` on a cache line (calloc, not aligned_alloc: glibc's
  // memalign splinters the heap), or a mapping of whole pages.
  std::unique_ptr<std::byte[], Free> heap_;
  void* map_ = nullptr;
  size_t map_bytes_ = 0;
};

}  // namespace tern::rib
