#pragma once
// The open-file limit. A service manager usually starts ternd with a soft limit of 1,024
// descriptors, fewer than a node with a thousand peers needs (a socket each, a second one during
// a connection collision, plus the FIB, the API and the store); the hard limit is the
// administrator's word, so ternd raises its soft limit to it at start.

#include <sys/resource.h>
#include <string>

namespace tern {

struct FdLimit {
  rlim_t before = 0;  // the soft limit found
  rlim_t now = 0;     // the soft limit after raising it
  std::string error;  // why it could not be raised (the limit is then unchanged)
};

// Raises RLIMIT_NOFILE's soft limit to its hard limit.
FdLimit raise_fd_limit();

}  // namespace tern
