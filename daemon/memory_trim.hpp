#pragma once
// Start-up memory handed back once ternd has settled.
//
// ternd's own data for an idle node is a few MiB, yet its resident set was about 24 MiB, two
// thirds of it library text: gRPC, protobuf and OpenSSL run static initialisers spread over
// their whole code, and the kernel maps the pages around every fault, so most of those
// libraries stays resident in a node that never calls them again. In a pod, that is memory
// charged to tern for nothing. trim_startup_memory() pages that text out (the kernel drops
// the pages no other process maps, and unmaps the rest from ternd) and returns the heap's free
// pages; what is used later simply faults back in. The C and C++ runtimes, netlink, logging
// and ternd's own code, which every BGP message and route write runs through, are left alone.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tern {

struct TextRange {
  uintptr_t begin = 0, end = 0;
  std::string path;
};

// The executable file-backed mappings of /proc/self/maps text (`maps`) worth paging out:
// shared libraries other than the runtimes and hot-path ones, never `self` (the executable).
// Only text: it is never written, so dropping its pages can lose nothing.
std::vector<TextRange> trimmable_text(std::string_view maps, std::string_view self);

struct TrimResult {
  size_t rss_before_kib = 0;
  size_t rss_after_kib = 0;
  size_t ranges = 0;
  std::string error;  // the first madvise failure, if any (the rest are still tried)
};

TrimResult trim_startup_memory();

}  // namespace tern
