#pragma once
// Calico projectcalico.org/v3 YAML manifests (multi-document, or kubectl's `kind: List`) to the
// intent and back: ternd --intent FILE and ternctl apply -f read them, ternctl get -o yaml
// writes them. Reading is strict like Calico's API: an unknown key or a value of the wrong type
// is an error naming the document, the line and the field.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "api/tern.pb.h"

namespace tern::intent {

struct ManifestError {
  std::string file;      // set by read_manifest_file
  size_t document = 0;   // 1-based; 0: no document (the file could not be read)
  size_t line = 0;       // 1-based; 0: unknown
  size_t column = 0;     // 1-based; 0: unknown
  std::string resource;  // `IPPool "pool-a"` once kind (and name) are known
  std::string field;     // `spec.blockSize`, `items[1].spec.prefixAdvertisements[0].cidr`
  std::string reason;
  // `manifest document 2 (IPPool "pool-a"), line 7: spec.blockSize: expected an unsigned
  // integer, got "abc"`, prefixed by `FILE: ` when file is set.
  std::string to_string() const;
};

// Every resource of every document, in order; empty documents are skipped.
std::variant<api::Intent, ManifestError> read_manifests(std::string_view yaml);
std::variant<api::Intent, ManifestError> read_manifest_file(const std::string& path);

// One document per resource, grouped by kind; reads back equal (revision aside, which is the
// store's and not part of any resource).
std::string write_manifests(const api::Intent& intent);

}  // namespace tern::intent
