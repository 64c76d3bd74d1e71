#pragma once
// Whole-intent validation, Calico's rules (and the ones tern needs to plan): every error names
// the resource, the field and the reason. A change with any error is refused whole, so the
// running intent never holds a half-valid state.

#include <string>
#include <vector>

#include "api/tern.pb.h"

namespace tern::intent {

struct ValidationError {
  std::string kind;   // "IPPool"
  std::string name;   // metadata.name (may be empty when that is the error)
  std::string field;  // "spec.blockSize", "spec.prefixAdvertisements[1].cidr"
  std::string reason;
  // `IPPool "pool-a": spec.blockSize: must be 20-32 for an IPv4 pool, got 33`
  std::string to_string() const;
  bool operator==(const ValidationError&) const = default;
};

// Every error found, in resource order; empty when the intent is valid.
std::vector<ValidationError> validate(const api::Intent& intent);

}  // namespace tern::intent
