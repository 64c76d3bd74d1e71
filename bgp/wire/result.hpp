#pragma once
// A minimal expected<T, BgpError>: Boost 1.74 has no boost::system::result and we are on
// C++20, so std::expected is not available. Decoders return this instead of throwing.

#include <utility>
#include <variant>

#include "bgp/wire/error.hpp"

namespace tern::bgp {

struct Ok {};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit on purpose
  Result(BgpError error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const BgpError& error() const& { return std::get<1>(v_); }
  BgpError&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, BgpError> v_;
};

using Status = Result<Ok>;

}  // namespace tern::bgp
