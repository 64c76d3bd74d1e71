#pragma once
// Text tables in the two styles operators know from calicoctl: boxed with centred headers
// (`calicoctl node status`) and plain columns (`calicoctl get`). Widths come from the content.

#include <string>
#include <vector>

namespace tern::ctl {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void add_row(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }

  // +------+ borders, headers centred (extra space on the right, as Go's tablewriter does),
  // cells left-aligned.
  std::string boxed() const;
  // Columns separated by three spaces, headers left-aligned, no trailing spaces.
  std::string plain() const;

 private:
  std::vector<size_t> widths() const;
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace tern::ctl
