#include "fib/view_order.hpp"

#include <algorithm>
#include <tuple>

namespace tern::fib {

bool view_order(const Prefix& a, const Prefix& b) {
  return std::tie(a.afi, a.b, a.len) < std::tie(b.afi, b.b, b.len);
}

void FirstPrefixes::offer(const Prefix& p) {
  ++offered_;
  if (heap_.size() < limit_) {
    heap_.push_back(p);
    std::push_heap(heap_.begin(), heap_.end(), view_order);
  } else if (!heap_.empty() && view_order(p, heap_.front())) {
    std::pop_heap(heap_.begin(), heap_.end(), view_order);
    heap_.back() = p;
    std::push_heap(heap_.begin(), heap_.end(), view_order);
  }
}

std::vector<Prefix> FirstPrefixes::take() {
  std::sort_heap(heap_.begin(), heap_.end(), view_order);
  return std::move(heap_);
}

}  // namespace tern::fib
