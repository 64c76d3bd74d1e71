#pragma once
// The one bounds-checked reader and writer every codec goes through. Reads can fail and say
// so; nothing else in bgp/wire does pointer arithmetic on input. The writer appends to a
// growable buffer and back-patches length fields once their contents are known.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace tern::bgp {

using Bytes = std::vector<uint8_t>;
using ByteSpan = std::span<const uint8_t>;

class Reader {
 public:
  Reader() = default;
  explicit Reader(ByteSpan s) : p_(s.data()), end_(s.data() + s.size()) {}

  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  bool empty() const { return p_ == end_; }
  const uint8_t* position() const { return p_; }
  ByteSpan rest() const { return {p_, remaining()}; }

  [[nodiscard]] bool u8(uint8_t& v) {
    if (p_ == end_) return false;
    v = *p_++;
    return true;
  }
  [[nodiscard]] bool u16(uint16_t& v) {
    if (remaining() < 2) return false;
    v = static_cast<uint16_t>((p_[0] << 8) | p_[1]);
    p_ += 2;
    return true;
  }
  [[nodiscard]] bool u24(uint32_t& v) {
    if (remaining() < 3) return false;
    v = (uint32_t{p_[0]} << 16) | (uint32_t{p_[1]} << 8) | p_[2];
    p_ += 3;
    return true;
  }
  [[nodiscard]] bool u32(uint32_t& v) {
    if (remaining() < 4) return false;
    v = (uint32_t{p_[0]} << 24) | (uint32_t{p_[1]} << 16) | (uint32_t{p_[2]} << 8) | p_[3];
    p_ += 4;
    return true;
  }
  [[nodiscard]] bool u64(uint64_t& v) {
    uint32_t hi = 0, lo = 0;
    if (remaining() < 8) return false;
    (void)u32(hi);
    (void)u32(lo);
    v = (uint64_t{hi} << 32) | lo;
    return true;
  }
  // Copies n bytes out.
  [[nodiscard]] bool copy(void* dst, size_t n) {
    if (remaining() < n) return false;
    std::memcpy(dst, p_, n);
    p_ += n;
    return true;
  }
  // Takes the next n bytes as a view.
  [[nodiscard]] bool take(size_t n, ByteSpan& out) {
    if (remaining() < n) return false;
    out = ByteSpan(p_, n);
    p_ += n;
    return true;
  }
  // Takes the next n bytes as a sub-reader.
  [[nodiscard]] bool sub(size_t n, Reader& out) {
    ByteSpan s;
    if (!take(n, s)) return false;
    out = Reader(s);
    return true;
  }
  [[nodiscard]] bool skip(size_t n) {
    if (remaining() < n) return false;
    p_ += n;
    return true;
  }

 private:
  const uint8_t* p_ = nullptr;
  const uint8_t* end_ = nullptr;
};

class Writer {
 public:
  explicit Writer(Bytes& out) : out_(out) {}

  size_t size() const { return out_.size(); }
  Bytes& buffer() { return out_; }

  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v) {
    const uint8_t b[2] = {static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
    out_.insert(out_.end(), b, b + 2);
  }
  void u24(uint32_t v) {
    const uint8_t b[3] = {static_cast<uint8_t>(v >> 16), static_cast<uint8_t>(v >> 8),
                          static_cast<uint8_t>(v)};
    out_.insert(out_.end(), b, b + 3);
  }
  void u32(uint32_t v) {
    const uint8_t b[4] = {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
                          static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
    out_.insert(out_.end(), b, b + 4);
  }
  void u64(uint64_t v) {
    u32(static_cast<uint32_t>(v >> 32));
    u32(static_cast<uint32_t>(v));
  }
  void bytes(ByteSpan s) { out_.insert(out_.end(), s.begin(), s.end()); }
  void bytes(const uint8_t* p, size_t n) { out_.insert(out_.end(), p, p + n); }
  void fill(uint8_t v, size_t n) { out_.insert(out_.end(), n, v); }
  // Grows the buffer by n bytes and returns where they start, for hot loops that know their
  // exact output size up front.
  uint8_t* extend(size_t n) {
    const size_t at = out_.size();
    out_.resize(at + n);
    return out_.data() + at;
  }

  // Reserves a length field to be patched once the data after it is written.
  size_t placeholder_u8() {
    out_.push_back(0);
    return out_.size() - 1;
  }
  size_t placeholder_u16() {
    out_.push_back(0);
    out_.push_back(0);
    return out_.size() - 2;
  }
  void patch_u8(size_t at, uint8_t v) { out_[at] = v; }
  void patch_u16(size_t at, uint16_t v) {
    out_[at] = static_cast<uint8_t>(v >> 8);
    out_[at + 1] = static_cast<uint8_t>(v);
  }

 private:
  Bytes& out_;
};

}  // namespace tern::bgp
