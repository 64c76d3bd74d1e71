#include "daemon/fd_limit.hpp"

#include <cerrno>
#include <cstring>

namespace tern {

FdLimit raise_fd_limit() {
  FdLimit out;
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) != 0) {
    out.error = std::string("getrlimit: ") + std::strerror(errno);
    return out;
  }
  out.before = out.now = r.rlim_cur;
  if (r.rlim_cur == r.rlim_max) return out;
  r.rlim_cur = r.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &r) != 0) {
    out.error = std::string("setrlimit: ") + std::strerror(errno);
    return out;
  }
  out.now = r.rlim_cur;
  return out;
}

}  // namespace tern
