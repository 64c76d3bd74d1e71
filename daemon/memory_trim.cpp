#include "daemon/memory_trim.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21  // Linux 5.4
#endif

namespace tern {

namespace {

// Libraries every BGP message, route write or log line runs through.
constexpr std::array kHot = {"/libc.so",   "/libm.so",       "/libstdc++.so", "/libgcc_s.so",
                             "/ld-linux",  "/libpthread.so", "/libnl-",       "/libspdlog.so",
                             "/libfmt.so", "/libdl.so"};
// Sanitizer runtimes run with every instruction of a checked build: never trimmed.
constexpr std::array kNever = {"/libasan.so", "/libubsan.so", "/libtsan.so"};

template <size_t N>
bool any_of(std::string_view path, const std::array<const char*, N>& names) {
  for (std::string_view k : names)
    if (path.find(k) != std::string_view::npos) return true;
  return false;
}

bool hex(std::string_view s, uintptr_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 16);
  return ec == std::errc() && p == s.data() + s.size();
}

size_t rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::strtoull(line.c_str() + 6, nullptr, 10);
  return 0;
}

}  // namespace

std::vector<TextRange> trimmable_text(std::string_view maps, std::string_view self) {
  std::vector<TextRange> out;
  // The mapping being read, decided at the next mapping or the end: text goes unless smaps
  // showed copied-on-write pages in it; read-only data only when smaps showed none (otherwise
  // it may hold relocations, which dropping would undo).
  struct Candidate {
    TextRange range;
    bool text = false;
    std::optional<bool> anonymous;  // from smaps' "Anonymous:" line, when there is one
  };
  std::optional<Candidate> cur;
  auto decide = [&] {
    if (cur && (cur->text ? cur->anonymous != true : cur->anonymous == false))
      out.push_back(std::move(cur->range));
    cur.reset();
  };
  while (!maps.empty()) {
    const size_t nl = maps.find('\n');
    std::string_view line = maps.substr(0, nl);
    maps = nl == std::string_view::npos ? std::string_view{} : maps.substr(nl + 1);
    if (line.rfind("Anonymous:", 0) == 0) {
      std::string_view v = line.substr(10);
      while (!v.empty() && v.front() == ' ')
        v.remove_prefix(1);
      if (cur) cur->anonymous = v.rfind("0 kB", 0) != 0;
      continue;
    }
    // address perms offset dev inode path
    std::array<std::string_view, 5> f;
    size_t at = 0;
    bool ok = true;
    for (auto& field : f) {
      while (at < line.size() && line[at] == ' ')
        ++at;
      const size_t end = line.find(' ', at);
      if (end == std::string_view::npos) {
        ok = false;
        break;
      }
      field = line.substr(at, end - at);
      at = end;
    }
    if (!ok) continue;
    const size_t dash = f[0].find('-');
    TextRange r;
    if (dash == std::string_view::npos || !hex(f[0].substr(0, dash), r.begin) ||
        !hex(f[0].substr(dash + 1), r.end) || r.end <= r.begin)
      continue;
    decide();
    while (at < line.size() && line[at] == ' ')
      ++at;
    const std::string_view path = line.substr(at);
    if (f[1].size() < 3 || f[1][0] != 'r' || f[1][1] == 'w') continue;
    if (path.empty() || path[0] != '/') continue;
    const bool is_self = path == self;
    if (!is_self && (path.find(".so") == std::string_view::npos || any_of(path, kNever))) continue;
    r.path = std::string(path);
    r.hot = is_self || any_of(path, kHot);
    cur = Candidate{std::move(r), f[1][2] == 'x', std::nullopt};
  }
  decide();
  return out;
}

TrimResult trim_startup_memory() {
  TrimResult res;
  res.rss_before_kib = rss_kib();
  std::stringstream maps;
  maps << std::ifstream("/proc/self/smaps").rdbuf();
  std::array<char, 4096> exe{};
  const ssize_t n = ::readlink("/proc/self/exe", exe.data(), exe.size() - 1);
  const std::string self = n > 0 ? std::string(exe.data(), static_cast<size_t>(n)) : "";
  for (const TextRange& r : trimmable_text(maps.str(), self)) {
    void* at = reinterpret_cast<void*>(r.begin);
    const size_t len = r.end - r.begin;
    // PAGEOUT frees the pages no other process maps (page cache included); DONTNEED then
    // unmaps the rest from us. Both are safe on these pages, which hold the file's bytes and
    // are never written. Before Linux 5.4 PAGEOUT is EINVAL and DONTNEED alone still shrinks
    // the resident set. The hot path is only unmapped, so it comes back without a disk read.
    if (!r.hot && ::madvise(at, len, MADV_PAGEOUT) != 0 && errno != EINVAL && res.error.empty())
      res.error = r.path + ": MADV_PAGEOUT: " + std::strerror(errno);
    if (::madvise(at, len, MADV_DONTNEED) != 0 && res.error.empty())
      res.error = r.path + ": MADV_DONTNEED: " + std::strerror(errno);
    ++res.ranges;
  }
  ::malloc_trim(0);
  res.rss_after_kib = rss_kib();
  return res;
}

}  // namespace tern
