#pragma once
// Start-up memory handed back once ternd has settled.
//
// ternd's own data for an idle node is a few MiB, yet its resident set was about 24 MiB, two
// thirds of it library text: gRPC, protobuf and OpenSSL run static initialisers spread over
// their whole code, and the kernel maps the pages around every fault, so most of those
// libraries stays resident in a node that never calls them again. In a pod, that is memory
// charged to tern for nothing. trim_startup_memory() pages that text and the read-only data
// beside it out (the kernel drops the pages no other process maps, and unmaps the rest from
// ternd) and returns the heap's free pages; what is used later simply faults back in.
//
// The hot path (ternd's own code, the C and C++ runtimes, netlink, logging) is only unmapped:
// its pages stay in the page cache, so what the next UPDATE or keepalive runs comes back with
// minor faults (no disk read), and what start-up and the initial exchange alone ran (parsing
// the intent, planning, the first table) leaves the resident set. That was 1.7 MiB of ternd's
// 2.5 MiB of resident text in an idle lab of 100 sessions.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tern {

struct TextRange {
  uintptr_t begin = 0, end = 0;
  std::string path;
  bool hot = false;  // the hot path: unmapped only, never evicted from the page cache
};

// The read-only file-backed mappings of `maps` (/proc/self/maps or smaps text) to trim: text,
// and with smaps also read-only data none of whose pages was copied on write, of `self` (the
// executable) and shared libraries, all but the sanitizer runtimes (which run with every
// instruction of a checked build). Such pages are the file's own bytes and never written, so
// dropping them can lose nothing.
std::vector<TextRange> trimmable_text(std::string_view maps, std::string_view self);

struct TrimResult {
  size_t rss_before_kib = 0;
  size_t rss_after_kib = 0;
  size_t ranges = 0;
  std::string error;  // the first madvise failure, if any (the rest are still tried)
};

TrimResult trim_startup_memory();

}  // namespace tern
