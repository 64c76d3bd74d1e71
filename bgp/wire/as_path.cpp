#include "bgp/wire/as_path.hpp"

namespace tern::bgp {

namespace {

bool is_confed(SegmentType t) {
  return t == SegmentType::kConfedSequence || t == SegmentType::kConfedSet;
}

}  // namespace

size_t AsPath::length() const {
  size_t n = 0;
  for (const auto& s : segments) {
    if (s.type == SegmentType::kSequence) n += s.asns.size();
    if (s.type == SegmentType::kSet) n += 1;
  }
  return n;
}

bool decode_as_path(ByteSpan value, bool four_octet, AsPath& out, std::string& why) {
  Reader r(value);
  out.segments.clear();
  while (!r.empty()) {
    uint8_t type = 0, count = 0;
    if (!r.u8(type) || !r.u8(count)) {
      why = "truncated segment header";
      return false;
    }
    if (type < 1 || type > 4) {
      why = "unknown segment type " + std::to_string(type);
      return false;
    }
    if (count == 0) {
      why = "empty segment";
      return false;
    }
    const size_t width = four_octet ? 4 : 2;
    if (r.remaining() < count * width) {
      why = "segment overruns the attribute";
      return false;
    }
    AsSegment seg;
    seg.type = static_cast<SegmentType>(type);
    seg.asns.resize(count);
    for (auto& as : seg.asns) {
      if (four_octet) {
        (void)r.u32(as);
      } else {
        uint16_t v = 0;
        (void)r.u16(v);
        as = v;
      }
      if (as == 0) {
        why = "AS 0 in path (RFC 7607)";
        return false;
      }
    }
    out.segments.push_back(std::move(seg));
  }
  return true;
}

void encode_as_path(const AsPath& path, bool four_octet, Writer& w) {
  for (const auto& seg : path.segments) {
    size_t i = 0;
    while (i < seg.asns.size()) {
      const size_t n = std::min<size_t>(255, seg.asns.size() - i);
      w.u8(static_cast<uint8_t>(seg.type));
      w.u8(static_cast<uint8_t>(n));
      for (size_t k = i; k < i + n; ++k) {
        const uint32_t as = seg.asns[k];
        if (four_octet) {
          w.u32(as);
        } else {
          w.u16(as > 0xffff ? kAsTrans : static_cast<uint16_t>(as));
        }
      }
      i += n;
    }
  }
}

bool needs_as4(const AsPath& path) {
  for (const auto& seg : path.segments) {
    if (is_confed(seg.type)) continue;
    for (uint32_t as : seg.asns)
      if (as > 0xffff) return true;
  }
  return false;
}

bool has_confed_segments(const AsPath& path) {
  for (const auto& seg : path.segments)
    if (is_confed(seg.type)) return true;
  return false;
}

AsPath as4_path_of(const AsPath& path) {
  AsPath out;
  for (const auto& seg : path.segments)
    if (!is_confed(seg.type)) out.segments.push_back(seg);
  return out;
}

AsPath merge_as4_path(const AsPath& as_path, const AsPath& as4_in) {
  const AsPath as4 = as4_path_of(as4_in);  // confed segments in AS4_PATH are dropped
  const size_t n_as = as_path.length();
  const size_t n_as4 = as4.length();
  if (n_as < n_as4) return as_path;  // AS4_PATH cannot be right; ignore it
  // Keep the leading (n_as - n_as4) AS numbers of AS_PATH, with confed segments among them.
  size_t keep = n_as - n_as4;
  AsPath out;
  for (const auto& seg : as_path.segments) {
    // Confederation segments do not count and belong to the leading part (RFC 6793 4.2.3).
    if (is_confed(seg.type)) {
      out.segments.push_back(seg);
      continue;
    }
    if (keep == 0) break;
    if (seg.type == SegmentType::kSet) {
      out.segments.push_back(seg);
      --keep;
      continue;
    }
    AsSegment part{seg.type, {}};
    const size_t take = std::min(keep, seg.asns.size());
    part.asns.assign(seg.asns.begin(), seg.asns.begin() + static_cast<long>(take));
    keep -= take;
    out.segments.push_back(std::move(part));
  }
  for (const auto& seg : as4.segments) {
    // Join a sequence to the sequence before it, so the merged path reads as one.
    if (seg.type == SegmentType::kSequence && !out.segments.empty() &&
        out.segments.back().type == SegmentType::kSequence) {
      auto& back = out.segments.back().asns;
      back.insert(back.end(), seg.asns.begin(), seg.asns.end());
    } else {
      out.segments.push_back(seg);
    }
  }
  return out;
}

std::string to_string(const AsPath& path) {
  std::string s;
  for (const auto& seg : path.segments) {
    if (!s.empty()) s += ' ';
    const char* open = seg.type == SegmentType::kSet              ? "{"
                       : seg.type == SegmentType::kConfedSequence ? "("
                       : seg.type == SegmentType::kConfedSet      ? "["
                                                                  : "";
    const char* close = seg.type == SegmentType::kSet              ? "}"
                        : seg.type == SegmentType::kConfedSequence ? ")"
                        : seg.type == SegmentType::kConfedSet      ? "]"
                                                                   : "";
    s += open;
    for (size_t i = 0; i < seg.asns.size(); ++i) {
      if (i) s += seg.type == SegmentType::kSet || seg.type == SegmentType::kConfedSet ? "," : " ";
      s += std::to_string(seg.asns[i]);
    }
    s += close;
  }
  return s;
}

}  // namespace tern::bgp
