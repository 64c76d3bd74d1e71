// tern-decode: reads BGP messages as hex (files or stdin) and prints what tern's codec makes
// of them. Used by the demo to show the codec on captured vectors, and handy when a peer
// sends something odd: paste the hex from a capture or a log line.

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "bgp/wire/codec.hpp"
#include "bgp/wire/format.hpp"

namespace {

int decode_text(const std::string& name, const std::string& text,
                const tern::bgp::CodecContext& ctx) {
  using namespace tern::bgp;
  auto bytes = from_hex(text);
  if (!bytes) {
    std::cerr << name << ": not hex\n";
    return 2;
  }
  ByteSpan rest(*bytes);
  int status = 0;
  while (!rest.empty()) {
    auto h = frame(rest, ctx);
    if (!h) {
      std::cout << name << ": " << to_string(h.error()) << "\n";
      return 1;
    }
    if (!h->has_value()) {
      std::cout << name << ": truncated message (" << rest.size() << " bytes left)\n";
      return 1;
    }
    const size_t len = h->value().length;
    auto m = decode(rest.first(len), ctx);
    if (m) {
      std::cout << name << ": " << to_string(*m) << "\n";
      if (const auto* u = std::get_if<Update>(&*m))
        for (const auto& p : u->problems)
          std::cout << "  problem: " << to_string(p) << "\n";
    } else {
      std::cout << name << ": error " << to_string(m.error()) << "\n";
      status = 1;
    }
    rest = rest.subspan(len);
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  tern::bgp::CodecContext ctx;
  ctx.extended_message = true;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--as2") {
      ctx.four_octet_as = false;
    } else if (a == "--add-path") {
      ctx.add_path_receive = {true, true};
    } else if (a == "--ebgp") {
      ctx.ebgp = true;
    } else if (a == "-h" || a == "--help") {
      std::cout << "usage: tern-decode [--as2] [--add-path] [--ebgp] [FILE.hex ...]\n"
                   "Decodes BGP messages given as hex ('#' starts a comment); stdin if no file.\n";
      return 0;
    } else {
      files.push_back(a);
    }
  }
  int status = 0;
  if (files.empty()) {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    return decode_text("stdin", ss.str(), ctx);
  }
  for (const auto& f : files) {
    std::ifstream in(f);
    if (!in) {
      std::cerr << f << ": cannot open\n";
      status = 2;
      continue;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    // Captured vectors note what their session negotiated; decode as that receiver did.
    const std::string text = ss.str();
    const bool noted = text.find("# negotiated") != std::string::npos;
    status =
        std::max(status, decode_text(f, text, noted ? tern::bgp::context_from_notes(text) : ctx));
  }
  return status;
}
