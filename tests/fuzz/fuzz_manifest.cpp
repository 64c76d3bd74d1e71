// libFuzzer target: Calico YAML manifests (multi-document, kind: List) as ternd --intent and
// ternctl apply -f read them, then validation of whatever parsed. Besides "never crash" (yaml-cpp
// exceptions included), what parses must write out and read back equal, as manifest.hpp says.

#include <google/protobuf/util/message_differencer.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "daemon/intent/manifest.hpp"
#include "daemon/intent/validate.hpp"

using namespace tern;
using google::protobuf::util::MessageDifferencer;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto read = intent::read_manifests(text);
  if (auto* error = std::get_if<intent::ManifestError>(&read)) {
    (void)error->to_string();
    return 0;
  }
  const auto& first = std::get<api::Intent>(read);
  // Accepted intent goes into the store: protobuf must parse back what it serializes.
  api::Intent stored;
  if (!stored.ParseFromString(first.SerializeAsString())) std::abort();
  for (const auto& e : intent::validate(first))
    (void)e.to_string();
  const std::string written = intent::write_manifests(first);
  auto again = intent::read_manifests(written);
  const auto* second = std::get_if<api::Intent>(&again);
  if (second == nullptr || !MessageDifferencer::Equals(first, *second)) {
    std::fprintf(stderr, "read:\n%s\nwritten:\n%s\nread back: %s\n", first.DebugString().c_str(),
                 written.c_str(),
                 second ? second->DebugString().c_str()
                        : std::get<intent::ManifestError>(again).to_string().c_str());
    std::abort();
  }
  return 0;
}
