#include "ctl/table.hpp"

#include <algorithm>

namespace tern::ctl {
namespace {

// Display width: UTF-8 continuation bytes take no column of their own.
size_t width_of(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string pad_right(const std::string& s, size_t width) {
  return s + std::string(width - std::min(width, width_of(s)), ' ');
}

std::string centre(const std::string& s, size_t width) {
  const size_t pad = width - std::min(width, width_of(s));
  return std::string(pad / 2, ' ') + s + std::string(pad - pad / 2, ' ');
}

}  // namespace

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

std::vector<size_t> Table::widths() const {
  std::vector<size_t> w;
  for (const auto& h : headers_)
    w.push_back(width_of(h));
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i)
      w[i] = std::max(w[i], width_of(row[i]));
  }
  return w;
}

std::string Table::boxed() const {
  const std::vector<size_t> w = widths();
  std::string rule = "+";
  for (size_t width : w)
    rule += std::string(width + 2, '-') + "+";
  rule += "\n";
  std::string out = rule + "|";
  for (size_t i = 0; i < headers_.size(); ++i)
    out += " " + centre(headers_[i], w[i]) + " |";
  out += "\n" + rule;
  for (const auto& row : rows_) {
    out += "|";
    for (size_t i = 0; i < row.size(); ++i)
      out += " " + pad_right(row[i], w[i]) + " |";
    out += "\n";
  }
  return out + rule;
}

std::string Table::plain() const {
  const std::vector<size_t> w = widths();
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t i = 0; i < cells.size(); ++i) {
      text += i + 1 < cells.size() ? pad_right(cells[i], w[i]) + "   " : cells[i];
    }
    while (!text.empty() && text.back() == ' ')
      text.pop_back();
    return text + "\n";
  };
  std::string out = line(headers_);
  for (const auto& row : rows_)
    out += line(row);
  return out;
}

}  // namespace tern::ctl
