#include "rib/slot_memory.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

namespace tern::rib {

namespace {

constexpr size_t kLine = 64;

size_t page_size() {
  static const auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

size_t whole_pages(size_t bytes) {
  return (bytes + page_size() - 1) / page_size() * page_size();
}

// Makes fresh pages present and writable in one call. The table reads a slot before writing
// it, and a read of an untouched page maps the shared zero page: each page then faulted
// twice, once to read and once to copy on write.
void populate(std::byte* p, size_t bytes) {
  if (bytes == 0) return;
  if (madvise(p, bytes, MADV_POPULATE_WRITE) == 0) return;
  // Kernels before 5.14: a write per page does the same, a fault at a time.
  for (size_t at = 0; at < bytes; at += page_size())
    *reinterpret_cast<volatile std::byte*>(p + at) = std::byte{0};
}

}  // namespace

void SlotMemory::Free::operator()(std::byte* p) const {
  std::free(p);
}

SlotMemory::SlotMemory(SlotMemory&& o) noexcept
    : base_(std::exchange(o.base_, nullptr)),
      size_(std::exchange(o.size_, 0)),
      heap_(std::move(o.heap_)),
      map_(std::exchange(o.map_, nullptr)),
      map_bytes_(std::exchange(o.map_bytes_, 0)) {}

SlotMemory& SlotMemory::operator=(SlotMemory&& o) noexcept {
  if (this == &o) return *this;
  release();
  base_ = std::exchange(o.base_, nullptr);
  size_ = std::exchange(o.size_, 0);
  heap_ = std::move(o.heap_);
  map_ = std::exchange(o.map_, nullptr);
  map_bytes_ = std::exchange(o.map_bytes_, 0);
  return *this;
}

void SlotMemory::release() {
  heap_.reset();
  if (map_) munmap(map_, map_bytes_);
  map_ = nullptr;
  map_bytes_ = 0;
  base_ = nullptr;
  size_ = 0;
}

void SlotMemory::reset(size_t bytes) {
  release();
  if (bytes >= kMapFrom) {
    const size_t len = whole_pages(bytes);
    void* m = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) throw std::bad_alloc();
    map_ = m;
    map_bytes_ = len;
    base_ = static_cast<std::byte*>(m);  // page-aligned
    populate(base_, len);
  } else {
    heap_.reset(static_cast<std::byte*>(std::calloc(bytes + kLine - 1, 1)));
    if (!heap_) throw std::bad_alloc();
    const auto at = reinterpret_cast<uintptr_t>(heap_.get());
    base_ = heap_.get() + ((kLine - at % kLine) % kLine);
  }
  size_ = bytes;
}

void SlotMemory::extend(size_t bytes) {
  if (!map_ || bytes < size_) throw std::bad_alloc();
  const size_t len = whole_pages(bytes);
  if (len > map_bytes_) {
    void* m = mremap(map_, map_bytes_, len, MREMAP_MAYMOVE);
    if (m == MAP_FAILED) throw std::bad_alloc();
    map_ = m;
    base_ = static_cast<std::byte*>(m);
    populate(base_ + map_bytes_, len - map_bytes_);  // zero: new anonymous pages
    map_bytes_ = len;
  }
  // Past the old size within the old pages: never handed out, so still zero.
  size_ = bytes;
}

}  // namespace tern::rib
