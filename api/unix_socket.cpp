#include "api/unix_socket.hpp"

#include <errno.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace tern::api {
namespace {

std::string errno_text(int err) {
  return std::strerror(err);
}

std::optional<std::string> make_dirs(const std::string& dir) {
  if (dir.empty()) return std::nullopt;
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return dir + " is not a directory";
    return std::nullopt;
  }
  size_t slash = dir.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    if (auto err = make_dirs(dir.substr(0, slash))) return err;
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return "cannot create " + dir + ": " + errno_text(errno);
  }
  return std::nullopt;
}

// Whether something accepts connections on the socket at `path`.
bool socket_is_live(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  bool live = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return live;
}

}  // namespace

std::optional<std::string> prepare_unix_socket(const std::string& path) {
  if (path.empty() || path.size() >= sizeof(sockaddr_un{}.sun_path)) {
    return "unix socket path \"" + path + "\" is empty or too long";
  }
  size_t slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    if (auto err = make_dirs(path.substr(0, slash))) return err;
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
  if (!S_ISSOCK(st.st_mode)) return path + " exists and is not a socket";
  if (socket_is_live(path)) return path + " is in use by another server";
  if (::unlink(path.c_str()) != 0) {
    return "cannot remove the stale socket " + path + ": " + errno_text(errno);
  }
  return std::nullopt;
}

std::optional<std::string> restrict_unix_socket(const std::string& path) {
  if (::chmod(path.c_str(), 0600) != 0) {
    return "cannot chmod " + path + ": " + errno_text(errno);
  }
  return std::nullopt;
}

}  // namespace tern::api
