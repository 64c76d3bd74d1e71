// libFuzzer target: REST request bodies through the strict JSON intake the router calls. The
// first byte picks what the body is read as: one resource kind (POST/PUT /v1/<plural>), an
// ApplyRequest or a StopRequest. Besides "never crash", whatever parses must print as JSON that
// parses back to the same message, since ternctl and clients send back what they were given,
// and must survive protobuf's binary form, as the store and gRPC keep it.

#include <google/protobuf/util/message_differencer.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/json.hpp"
#include "api/kinds.hpp"

using namespace tern::api;
using google::protobuf::util::MessageDifferencer;

namespace {

template <typename M>
void message_round_trip(std::string_view body) {
  M first;
  if (auto err = parse_json(body, first)) {
    (void)error_json(*err);
    return;
  }
  M second;
  if (!second.ParseFromString(first.SerializeAsString())) std::abort();  // storable
  if (parse_json(to_json(first), second) || !MessageDifferencer::Equals(first, second)) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto kinds = all_kinds();
  const size_t choice = data[0] % (kinds.size() + 2);
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  if (choice == kinds.size()) {
    message_round_trip<ApplyRequest>(body);
  } else if (choice == kinds.size() + 1) {
    message_round_trip<StopRequest>(body);
  } else {
    const KindInfo& kind = kinds[choice];
    Object first;
    if (auto err = parse_resource_json(body, kind, first)) {
      (void)error_json(*err);
      return 0;
    }
    Object second;
    if (!second.ParseFromString(first.SerializeAsString())) std::abort();  // storable
    if (parse_resource_json(resource_to_json(first), kind, second) ||
        !MessageDifferencer::Equals(first, second)) {
      std::abort();
    }
  }
  return 0;
}
