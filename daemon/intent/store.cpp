#include "daemon/intent/store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "daemon/intent/store_format.hpp"

namespace tern::intent {
namespace {

namespace fs = std::filesystem;
using Fd = IntentStore::Fd;

// A failed system call: which step, on which file, and errno.
struct SysFailure {
  std::string step;  // "fsync", "rename to ...", ...
  std::string target;
  int err = 0;
};

std::string describe(const SysFailure& f) {
  return f.step + " " + f.target + ": " + std::strerror(f.err);
}

StoreError io_error(const fs::path& path, const std::string& what, const SysFailure& f) {
  return {StoreError::Kind::kIo,
          "intent store " + path.string() + ": " + what + ": " + describe(f)};
}

fs::path sibling(const fs::path& path, const char* suffix) {
  fs::path out = path;
  out += suffix;
  return out;
}

fs::path parent_of(const fs::path& path) {
  fs::path parent = path.parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

std::optional<SysFailure> fsync_dir(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return SysFailure{"open directory", dir.string(), errno};
  if (::fsync(fd.get()) != 0) return SysFailure{"fsync directory", dir.string(), errno};
  return std::nullopt;
}

// mkdir -p with mode 0700; each new directory's entry is made durable in its parent, or a crash
// could lose the directory along with a store already acknowledged inside it.
std::optional<SysFailure> ensure_dir(const fs::path& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return std::nullopt;
    return SysFailure{"use as directory", dir.string(), ENOTDIR};
  }
  if (errno != ENOENT) return SysFailure{"stat", dir.string(), errno};
  const fs::path parent = parent_of(dir);
  if (parent != dir) {
    if (auto failure = ensure_dir(parent)) return failure;
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return SysFailure{"mkdir", dir.string(), errno};
  }
  return fsync_dir(parent);
}

std::optional<SysFailure> write_all(int fd, std::string_view bytes, const fs::path& target) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return SysFailure{"write", target.string(), errno};
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return std::nullopt;
}

// nullopt content means the file does not exist.
struct ReadResult {
  std::optional<std::string> content;
  std::optional<SysFailure> failure;
};

ReadResult read_file(const fs::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return {};
    return {std::nullopt, SysFailure{"open", path.string(), errno}};
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return {std::nullopt, SysFailure{"stat", path.string(), errno}};
  if (!S_ISREG(st.st_mode)) {
    return {std::nullopt, SysFailure{"read (not a regular file)", path.string(), EINVAL}};
  }
  std::string content;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return {std::nullopt, SysFailure{"read", path.string(), errno}};
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
  }
  return {std::move(content), std::nullopt};
}

// The durable-replace sequence. Any failure leaves <path> as it was (or, if only the directory
// fsync failed, renamed but maybe not durable) and tries to remove the temp file.
std::optional<SysFailure> replace_durably(const fs::path& path, std::string_view bytes) {
  const fs::path tmp = sibling(path, ".tmp");
  const fs::path dir = parent_of(path);
  if (auto failure = ensure_dir(dir)) return failure;
  std::optional<SysFailure> failure;
  {
    Fd fd(::open(tmp.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600));
    if (fd.get() < 0) return SysFailure{"create", tmp.string(), errno};
    failure = write_all(fd.get(), bytes, tmp);
    if (!failure && ::fsync(fd.get()) != 0) failure = SysFailure{"fsync", tmp.string(), errno};
    // close can report a deferred write error (NFS); the data is not durable then.
    if (!failure && ::close(fd.release()) != 0) failure = SysFailure{"close", tmp.string(), errno};
  }
  if (!failure && ::rename(tmp.c_str(), path.c_str()) != 0) {
    failure = SysFailure{"rename " + tmp.string() + " over", path.string(), errno};
  }
  if (failure) {
    ::unlink(tmp.c_str());
    return failure;
  }
  return fsync_dir(dir);
}

}  // namespace

IntentStore::Fd& IntentStore::Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

IntentStore::Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

int IntentStore::Fd::release() {
  return std::exchange(fd_, -1);
}

std::variant<IntentStore, StoreError> IntentStore::open(fs::path path) {
  if (path.empty() || !path.has_filename()) {
    return StoreError{StoreError::Kind::kIo,
                      "intent store \"" + path.string() + "\": the path must name a file"};
  }
  // The lock comes first: only its holder may remove a temp file or trust what it reads.
  if (auto failure = ensure_dir(parent_of(path))) {
    return io_error(path, "cannot create its directory", *failure);
  }
  const fs::path lock_path = sibling(path, ".lock");
  Fd lock(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (lock.get() < 0) {
    return io_error(path, "cannot open the lock file", {"open", lock_path.string(), errno});
  }
  if (::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return StoreError{StoreError::Kind::kLocked, "intent store " + path.string() +
                                                       " is in use: another process (another "
                                                       "ternd?) holds " +
                                                       lock_path.string()};
    }
    return io_error(path, "cannot lock", {"flock", lock_path.string(), errno});
  }
  // A temp file is a commit that never returned, so nobody was told it happened.
  const fs::path tmp = sibling(path, ".tmp");
  ::unlink(tmp.c_str());

  ReadResult read = read_file(path);
  if (read.failure)
    return io_error(path, "cannot read the store; refusing to start", *read.failure);
  if (!read.content) return IntentStore(std::move(path), std::move(lock), api::Intent{});
  auto decoded = decode_store(*read.content);
  if (auto* error = std::get_if<FormatError>(&decoded)) {
    return StoreError{StoreError::Kind::kCorrupt,
                      "intent store " + path.string() + ": " + error->problem +
                          ": the store is corrupt; refusing to start. Move it aside to start "
                          "empty, or restore it from a backup"};
  }
  return IntentStore(std::move(path), std::move(lock), std::get<api::Intent>(std::move(decoded)));
}

std::optional<StoreError> IntentStore::commit(api::Intent next) {
  next.set_revision(intent_.revision() + 1);
  auto encoded = encode_store(next);
  if (auto* error = std::get_if<FormatError>(&encoded)) {
    return StoreError{StoreError::Kind::kIo,
                      "intent store " + path_.string() + ": commit of revision " +
                          std::to_string(next.revision()) + " failed: " + error->problem};
  }
  if (auto failure = replace_durably(path_, std::get<std::string>(encoded))) {
    return io_error(path_, "commit of revision " + std::to_string(next.revision()) + " failed",
                    *failure);
  }
  intent_ = std::move(next);
  return std::nullopt;
}

}  // namespace tern::intent
