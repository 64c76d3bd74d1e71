// Writes the seed corpus for every fuzz target from the committed test vectors: each captured
// message is split into the input shape its target expects. The intake targets are seeded from
// the committed manifests: every resource as the REST body of its kind, the whole intent as an
// ApplyRequest, and the intent as the store file ternd would write.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/json.hpp"
#include "api/kinds.hpp"
#include "bgp/wire/codec.hpp"
#include "bgp/wire/format.hpp"
#include "daemon/intent/manifest.hpp"
#include "daemon/intent/store_format.hpp"

namespace fs = std::filesystem;
using namespace tern::bgp;

namespace {

void write(const fs::path& dir, const std::string& name, const Bytes& b) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

void write(const fs::path& dir, const std::string& name, uint8_t first, std::string_view text) {
  Bytes b{first};
  b.insert(b.end(), text.begin(), text.end());
  write(dir, name, b);
}

// fuzz_json's first byte: the kind's index, then ApplyRequest, then StopRequest.
void seed_json(const fs::path& dir, const std::string& name, const tern::api::Intent& intent) {
  namespace api = tern::api;
  const auto kinds = api::all_kinds();
  const auto* reflection = intent.GetReflection();
  for (size_t k = 0; k < kinds.size(); ++k) {
    const auto* field = api::intent_list_field(kinds[k]);
    for (int i = 0; i < reflection->FieldSize(intent, field); ++i) {
      api::Object object;
      api::mutable_resource(object, kinds[k])
          ->CopyFrom(reflection->GetRepeatedMessage(intent, field, i));
      write(dir, name + "_" + std::string(kinds[k].plural) + "_" + std::to_string(i),
            static_cast<uint8_t>(k), api::resource_to_json(object));
    }
  }
  api::ApplyRequest apply;
  *apply.mutable_objects() = intent;
  apply.set_dry_run(true);
  write(dir, name + "_apply", static_cast<uint8_t>(kinds.size()), api::to_json(apply));
}

// Every manifest that reads becomes JSON bodies and a store file (first byte: header as is).
int seed_intake(const fs::path& manifests, const fs::path& out) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(manifests)) {
    auto read = tern::intent::read_manifest_file(e.path().string());
    const auto* intent = std::get_if<tern::api::Intent>(&read);
    if (intent == nullptr) continue;
    const std::string name = e.path().stem().string();
    seed_json(out / "json", name, *intent);
    auto file = tern::intent::encode_store(*intent);
    if (const auto* bytes = std::get_if<std::string>(&file)) write(out / "store", name, 0, *bytes);
    ++n;
  }
  const auto stop = static_cast<uint8_t>(tern::api::all_kinds().size() + 1);
  write(out / "json", "stop_hard", stop, R"({"hard":true})");
  write(out / "json", "stop_empty", stop, "{}");
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::cerr << "usage: make_seeds VECTOR_DIR OUT_DIR [MANIFEST_DIR]\n";
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
  std::cout << "seeded from " << n << " vectors";
  if (argc == 4) std::cout << " and " << seed_intake(argv[3], out) << " manifests";
  std::cout << "\n";
  return 0;
}
