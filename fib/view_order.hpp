#pragma once
// The order views list prefixes in, and the first few of a large set in that order without
// sorting all of it: a listing of 10 routes out of a million keeps 10 prefixes, not a million.

#include <cstddef>
#include <vector>

#include "fib/types.hpp"

namespace tern::fib {

// IPv4 before IPv6, then by address, then shorter first.
bool view_order(const Prefix& a, const Prefix& b);

class FirstPrefixes {
 public:
  explicit FirstPrefixes(size_t limit) : limit_(limit) {}
  void offer(const Prefix& p);
  // The kept prefixes in view order; truncated() tells whether more were offered.
  std::vector<Prefix> take();
  bool truncated() const { return offered_ > limit_; }

 private:
  size_t limit_;
  size_t offered_ = 0;
  std::vector<Prefix> heap_;  // a max-heap: the last kept prefix on top, evicted first
};

}  // namespace tern::fib
