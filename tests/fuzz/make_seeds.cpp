// Writes the seed corpus for every fuzz target from the committed test vectors: each captured
// message is split into the input shape its target expects.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "bgp/wire/codec.hpp"
#include "bgp/wire/format.hpp"

namespace fs = std::filesystem;
using namespace tern::bgp;

namespace {

void write(const fs::path& dir, const std::string& name, const Bytes& b) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: make_seeds VECTOR_DIR OUT_DIR\n";
    return 2;
  }
  const fs::path out = argv[2];
  int n = 0;
  for (const auto& e : fs::recursive_directory_iterator(argv[1])) {
    if (e.path().extension() != ".hex") continue;
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    auto bytes = from_hex(ss.str());
    if (!bytes || bytes->size() < kHeaderSize) continue;
    const std::string name = e.path().stem().string();
    const Bytes body(bytes->begin() + kHeaderSize, bytes->end());
    const uint8_t type = (*bytes)[18];
    Bytes framed{3};  // first byte: extended messages and 4-octet AS on
    framed.insert(framed.end(), bytes->begin(), bytes->end());
    write(out / "header", name, framed);
    if (type == 1) {
      write(out / "open", name, body);
      if (body.size() > 10) {
        Bytes b{0};  // first byte: the 1-octet parameter length form
        b.insert(b.end(), body.begin() + 10, body.end());
        write(out / "capabilities", name, b);
      }
    }
    if (type == 2) {
      for (uint8_t sel : {uint8_t{1}, uint8_t{3}, uint8_t{0x1b}}) {
        Bytes b{sel};
        b.insert(b.end(), body.begin(), body.end());
        write(out / "update", name + "_" + std::to_string(sel), b);
      }
    }
    if (type == 3) write(out / "notification", name, body);
    if (type == 5) write(out / "route_refresh", name, body);
    ++n;
  }
  std::cout << "seeded from " << n << " vectors\n";
  return 0;
}
