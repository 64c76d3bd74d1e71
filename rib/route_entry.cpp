#include "rib/route_entry.hpp"

#include <vector>

namespace tern::rib {

namespace {

std::allocator<Path> alloc;

}  // namespace

void RouteEntry::destroy() {
  if (size_ >= 2) {
    std::destroy_n(heap_, size_);
    alloc.deallocate(heap_, capacity_for(size_));
  } else if (size_ == 1) {
    std::destroy_at(&one_);
  }
  size_ = 0;
  mp_ = 0;
}

RouteEntry& RouteEntry::operator=(RouteEntry&& o) noexcept {
  if (this == &o) return *this;
  destroy();
  std::construct_at(this, std::move(o));
  return *this;
}

void RouteEntry::push_back(Path p) {
  if (size_ == 0) {
    std::construct_at(&one_, std::move(p));
  } else if (size_ == 1) {
    Path* h = alloc.allocate(2);
    std::construct_at(&h[0], std::move(one_));
    std::destroy_at(&one_);
    std::construct_at(&h[1], std::move(p));
    heap_ = h;
  } else {
    if (size_ == capacity_for(size_)) {
      Path* h = alloc.allocate(capacity_for(size_ + 1u));
      std::uninitialized_move_n(heap_, size_, h);
      std::destroy_n(heap_, size_);
      alloc.deallocate(heap_, capacity_for(size_));
      heap_ = h;
    }
    std::construct_at(&heap_[size_], std::move(p));
  }
  ++size_;
}

void RouteEntry::shrunk_from(size_t old) {
  if (old < 2) return;  // was inline, still is
  Path* h = heap_;
  if (size_ <= 1) {
    if (size_ == 1) {
      Path last = std::move(h[0]);
      std::destroy_at(&h[0]);
      std::construct_at(&one_, std::move(last));
    }
    alloc.deallocate(h, capacity_for(old));
    return;
  }
  if (capacity_for(size_) == capacity_for(old)) return;
  Path* smaller = alloc.allocate(capacity_for(size_));
  std::uninitialized_move_n(h, size_, smaller);
  std::destroy_n(h, size_);
  alloc.deallocate(h, capacity_for(old));
  heap_ = smaller;
}

void RouteEntry::reorder(std::span<const int> order, size_t n) {
  mp_ = static_cast<uint8_t>(n);
  if (size_ < 2) return;
  std::vector<Path> sorted;
  sorted.reserve(size_);
  for (int i : order)
    sorted.push_back(std::move(heap_[i]));
  std::move(sorted.begin(), sorted.end(), heap_);
}

}  // namespace tern::rib
