#pragma once
// The embedded intent store: one file holding the whole intent (see store_format.hpp), so the
// intent survives restarts. A commit is acknowledged (returns no error) only once it is durable:
// written to <path>.tmp, fsynced, renamed over <path>, and the directory fsynced. A crash at any
// moment leaves either the old file or the new one, never a mix.
//
// A store that is present but unreadable or corrupt is an error from open(), and open() never
// creates, truncates or rewrites the store file: the caller refuses to start, and the operator
// decides. (Starting empty would make the node withdraw every route it announces.)
//
// <path>.lock is held with flock for the store's lifetime so two ternd processes cannot share
// one store; the kernel drops it when the process dies, kill -9 included.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>

#include "api/tern.pb.h"

namespace tern::intent {

struct StoreError {
  enum class Kind {
    kCorrupt,  // the file is there but is not a store we can trust: refuse to start
    kIo,       // a system call failed (permissions, disk full, a directory in the way...)
    kLocked,   // another process holds <path>.lock
  };
  Kind kind = Kind::kIo;
  std::string message;  // names the path and what is wrong; ready for the log
};

class IntentStore {
 public:
  // Loads <path>. A missing file is a fresh node: the empty intent at revision 0. Creates the
  // parent directory (0700) and <path>.lock if missing, and removes a <path>.tmp a crash left.
  static std::variant<IntentStore, StoreError> open(std::filesystem::path path);

  const api::Intent& intent() const { return intent_; }
  std::uint64_t revision() const { return intent_.revision(); }
  const std::filesystem::path& path() const { return path_; }

  // Replaces the intent with `next`, its revision set to the current one + 1. Returns once the
  // change is durable; on error nothing in memory changed and the message names the failed step.
  std::optional<StoreError> commit(api::Intent next);

  IntentStore(IntentStore&&) noexcept = default;
  IntentStore& operator=(IntentStore&&) noexcept = default;
  IntentStore(const IntentStore&) = delete;
  IntentStore& operator=(const IntentStore&) = delete;
  ~IntentStore() = default;

  // Owns one file descriptor; closing it releases the lock.
  class Fd {
   public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(other.release()) {}
    Fd& operator=(Fd&& other) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd();
    int get() const { return fd_; }
    int release();

   private:
    int fd_ = -1;
  };

 private:
  IntentStore(std::filesystem::path path, Fd lock, api::Intent intent)
      : path_(std::move(path)), lock_(std::move(lock)), intent_(std::move(intent)) {}

  std::filesystem::path path_;
  Fd lock_;
  api::Intent intent_;
};

}  // namespace tern::intent
