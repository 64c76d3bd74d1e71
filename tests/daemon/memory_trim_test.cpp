// Which mappings the start-up trim pages out, and that paging them out really frees them.
#include "daemon/memory_trim.hpp"

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace tern {
namespace {

constexpr const char* kMaps =
    "55d0c0a00000-55d0c0c00000 r-xp 00020000 08:01 1 /usr/sbin/ternd\n"
    "7f0000000000-7f0000100000 r--p 00000000 08:01 2 /usr/lib/x86_64-linux-gnu/libgrpc.so.29.0.0\n"
    "7f0000100000-7f0000500000 r-xp 00100000 08:01 2 /usr/lib/x86_64-linux-gnu/libgrpc.so.29.0.0\n"
    "7f0000500000-7f0000600000 rw-p 00500000 08:01 2 /usr/lib/x86_64-linux-gnu/libgrpc.so.29.0.0\n"
    "7f0000600000-7f0000700000 r-xp 00000000 08:01 3 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
    "7f0000700000-7f0000800000 r-xp 00000000 08:01 4 "
    "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30\n"
    "7f0000800000-7f0000900000 r-xp 00000000 08:01 5 "
    "/usr/lib/x86_64-linux-gnu/libnl-route-3.so.200\n"
    "7f0000900000-7f0000a00000 r-xp 00000000 08:01 6 /usr/lib/x86_64-linux-gnu/libprotobuf.so.32\n"
    "7f0000a00000-7f0000b00000 rwxp 00000000 00:00 0 \n"
    "7f0000b00000-7f0000c00000 r-xp 00000000 08:01 7 /usr/lib/locale/C.utf8/LC_CTYPE\n"
    "7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0 [vdso]\n"
    "garbage line\n"
    "7f0000c00000-7f0000d00000 r-xp 00000000 08:01 8 /opt/lib/libcrypto.so.3 (deleted)";

TEST(MemoryTrim, TextIsChosenAndOnlyTheHotPathIsKeptInThePageCache) {
  const auto r = trimmable_text(kMaps, "/usr/sbin/ternd");
  ASSERT_EQ(r.size(), 7u);
  const std::vector<std::pair<std::string, bool>> want = {
      {"/usr/sbin/ternd", true},
      {"/usr/lib/x86_64-linux-gnu/libgrpc.so.29.0.0", false},
      {"/usr/lib/x86_64-linux-gnu/libc.so.6", true},
      {"/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30", true},
      {"/usr/lib/x86_64-linux-gnu/libnl-route-3.so.200", true},
      {"/usr/lib/x86_64-linux-gnu/libprotobuf.so.32", false},
      {"/opt/lib/libcrypto.so.3 (deleted)", false}};
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(r[i].path, want[i].first);
    EXPECT_EQ(r[i].hot, want[i].second) << r[i].path;
  }
  EXPECT_EQ(r[1].begin, 0x7f0000100000u);
  EXPECT_EQ(r[1].end, 0x7f0000500000u);
}

TEST(MemoryTrim, ReadOnlyDataOnlyWhenSmapsShowsNoCopiedPage) {
  // smaps: rodata never written (chosen), RELRO written by the loader before it went read-only
  // (kept: dropping it would undo the relocations), text with a copied page (a breakpoint:
  // kept), plain text (chosen).
  constexpr const char* kSmaps =
      "7f0000000000-7f0000100000 r--p 00000000 08:01 2 /usr/lib/libgrpc.so.29\n"
      "Size:               1024 kB\n"
      "Anonymous:             0 kB\n"
      "VmFlags: rd mr mw me sd\n"
      "7f0000100000-7f0000200000 r--p 00100000 08:01 2 /usr/lib/libgrpc.so.29\n"
      "Anonymous:            64 kB\n"
      "7f0000200000-7f0000300000 r-xp 00200000 08:01 3 /usr/lib/libprotobuf.so.32\n"
      "Anonymous:             8 kB\n"
      "7f0000300000-7f0000400000 r-xp 00300000 08:01 4 /usr/lib/libcrypto.so.3\n"
      "Anonymous:             0 kB\n";
  const auto r = trimmable_text(kSmaps, "/usr/sbin/ternd");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].begin, 0x7f0000000000u);
  EXPECT_EQ(r[0].path, "/usr/lib/libgrpc.so.29");
  EXPECT_EQ(r[1].path, "/usr/lib/libcrypto.so.3");
}

TEST(MemoryTrim, SanitizerRuntimesAreNeverTrimmed) {
  const auto r = trimmable_text(
      "7f0000000000-7f0000100000 r-xp 00000000 08:01 9 /usr/lib/x86_64-linux-gnu/libasan.so.8\n"
      "7f0000100000-7f0000200000 r-xp 00000000 08:01 9 /usr/lib/x86_64-linux-gnu/libubsan.so.1\n",
      "/usr/sbin/ternd");
  EXPECT_TRUE(r.empty());
}

// Resident KiB of the mapping starting at `begin`, from /proc/self/smaps.
long resident_kib(uintptr_t begin) {
  std::ifstream in("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    uintptr_t b = 0;
    if (std::sscanf(line.c_str(), "%lx-", &b) == 1 && line.find(' ') != std::string::npos &&
        line.find('-') < line.find(' ')) {
      inside = b == begin;
      continue;
    }
    if (inside && line.rfind("Rss:", 0) == 0) return std::stol(line.substr(4));
  }
  return -1;
}

TEST(MemoryTrim, PagedOutTextLeavesTheResidentSet) {
  // A library outside the hot path, loaded and its whole text read, as start-up would.
  void* lib = nullptr;
  std::string name;
  for (const char* n : {"libprotobuf.so.32", "libcrypto.so.3", "libz.so.1"})
    if ((lib = dlopen(n, RTLD_NOW | RTLD_LOCAL)) != nullptr) {
      name = n;
      break;
    }
  ASSERT_NE(lib, nullptr) << dlerror();
  std::stringstream maps;
  maps << std::ifstream("/proc/self/maps").rdbuf();
  TextRange text;
  for (const auto& r : trimmable_text(maps.str(), ""))
    if (r.path.find(name) != std::string::npos) text = r;
  ASSERT_NE(text.begin, 0u) << name << " text not found in\n" << maps.str();
  volatile unsigned char sum = 0;
  for (uintptr_t a = text.begin; a < text.end; a += 4096)
    sum = sum + *reinterpret_cast<const unsigned char*>(a);
  const long before = resident_kib(text.begin);
  ASSERT_GT(before, 0) << text.path;

  const TrimResult res = trim_startup_memory();
  EXPECT_EQ(res.error, "");
  EXPECT_GE(res.ranges, 1u);
  const long after = resident_kib(text.begin);
  EXPECT_LT(after, before / 4) << text.path << " text resident " << before << " KiB before, "
                               << after << " after";
  EXPECT_GT(res.rss_before_kib, 0u);
  dlclose(lib);
}

TEST(MemoryTrim, OwnTextIsUnmappedToo) {
  // The test binary stands in for ternd: its text was read whole, as start-up's fault-around
  // leaves it; after the trim only what ran since is back.
  std::array<char, 4096> exe{};
  const ssize_t n = ::readlink("/proc/self/exe", exe.data(), exe.size() - 1);
  ASSERT_GT(n, 0);
  std::stringstream maps;
  maps << std::ifstream("/proc/self/maps").rdbuf();
  TextRange own;
  for (const auto& r : trimmable_text(maps.str(), std::string(exe.data(), static_cast<size_t>(n))))
    if (r.hot && r.path == exe.data()) own = r;
  ASSERT_NE(own.begin, 0u) << "own text not found in\n" << maps.str();
  volatile unsigned char sum = 0;
  for (uintptr_t a = own.begin; a < own.end; a += 4096)
    sum = sum + *reinterpret_cast<const unsigned char*>(a);
  const long before = resident_kib(own.begin);
  ASSERT_GT(before, 0);
  EXPECT_EQ(trim_startup_memory().error, "");
  const long after = resident_kib(own.begin);
  EXPECT_LT(after, before / 2) << "own text resident " << before << " KiB before, " << after
                               << " after";
}

}  // namespace
}  // namespace tern
