#pragma once
// What tern_store_writer commits as revision r, so the crash test can check that the store it
// finds after kill -9 holds exactly revision r's content, not a mix. A few KiB per revision so
// a write takes more than one page and a kill can land in the middle of it.

#include <cstdint>
#include <string>

#include "api/tern.pb.h"

namespace tern::intent::testing {

inline api::Intent writer_intent(std::uint64_t revision) {
  api::Intent intent;
  const std::string r = std::to_string(revision);
  intent.add_nodes()->mutable_metadata()->set_name("node-" + r);
  for (int k = 0; k < 32; ++k) {
    api::IPPool* pool = intent.add_ip_pools();
    pool->mutable_metadata()->set_name("pool-" + r + "-" + std::to_string(k));
    pool->mutable_spec()->set_cidr("10." + std::to_string(k) + ".0.0/16");
    pool->mutable_spec()->set_node_selector("rev == '" + r + "' && " +
                                            std::string(80, 'a' + k % 26));
  }
  intent.set_revision(revision);
  return intent;
}

}  // namespace tern::intent::testing
