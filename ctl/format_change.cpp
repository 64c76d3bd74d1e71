// `apply` / `delete` (and their --dry-run): what the change does to this node, as a listing
// sorted by name and prefix so the same change always prints the same lines.

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <tuple>

#include "ctl/format.hpp"

namespace tern::ctl {
namespace {

// IPv4 before IPv6, then by address, then by length; unparsable text last, as text.
auto prefix_key(const std::string& prefix) {
  const size_t slash = prefix.find('/');
  const std::string addr = prefix.substr(0, slash);
  int length = 0;
  if (slash != std::string::npos) {
    const char* end = prefix.data() + prefix.size();
    if (std::from_chars(prefix.data() + slash + 1, end, length).ptr != end) length = -1;
  }
  std::array<unsigned char, 16> bytes{};
  int family = 2;
  if (inet_pton(AF_INET, addr.c_str(), bytes.data()) == 1) {
    family = 0;
  } else if (inet_pton(AF_INET6, addr.c_str(), bytes.data()) == 1) {
    family = 1;
  }
  return std::make_tuple(family, family == 2 ? std::array<unsigned char, 16>{} : bytes, length,
                         prefix);
}

bool prefix_less(const std::string& a, const std::string& b) {
  return prefix_key(a) < prefix_key(b);
}

std::string sign(const std::string& action) {
  if (action == "add") return "+";
  if (action == "change" || action == "refresh") return "~";
  if (action == "remove") return "-";
  return "?";
}

std::string plural(size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

std::string format_change_lines(const api::ChangeResponse& change) {
  std::string out;
  std::vector<api::SessionChange> sessions(change.sessions().begin(), change.sessions().end());
  std::stable_sort(sessions.begin(), sessions.end(), [](const auto& a, const auto& b) {
    return std::tie(a.name(), a.action()) < std::tie(b.name(), b.action());
  });
  for (const auto& s : sessions) {
    out += sign(s.action()) + " session " + s.name();
    if (!s.address().empty()) out += " (" + s.address() + ")";
    if (s.action() != "add" && s.action() != "remove" && !s.detail().empty()) {
      out += ": " + s.detail();
    }
    if (s.action() == "change") out += " (session reset)";
    if (s.action() == "refresh") out += " (route refresh, session kept)";
    out += "\n";
  }
  std::vector<api::KernelRouteChange> routes(change.kernel_routes().begin(),
                                             change.kernel_routes().end());
  std::stable_sort(routes.begin(), routes.end(), [](const auto& a, const auto& b) {
    return prefix_less(a.prefix(), b.prefix());
  });
  for (const auto& r : routes) {
    out += sign(r.action()) + " route " + r.prefix();
    if (r.action() == "add") {
      if (!r.after().empty()) out += " " + r.after();
    } else if (r.action() == "remove") {
      if (!r.before().empty()) out += " " + r.before();
    } else {
      out += ": " + (r.before().empty() ? std::string("none") : r.before()) + " -> " +
             (r.after().empty() ? std::string("none") : r.after());
    }
    out += "\n";
  }
  std::vector<std::string> originated(change.originated().begin(), change.originated().end());
  std::vector<std::string> withdrawn(change.withdrawn().begin(), change.withdrawn().end());
  std::sort(originated.begin(), originated.end(), prefix_less);
  std::sort(withdrawn.begin(), withdrawn.end(), prefix_less);
  for (const auto& p : originated)
    out += "+ originate " + p + "\n";
  for (const auto& p : withdrawn)
    out += "- originate " + p + "\n";
  for (const auto& note : change.notes())
    out += "note: " + note + "\n";
  return out;
}

std::string format_change(const api::ChangeResponse& change, ChangeVerb verb,
                          const std::string& what) {
  const std::string lines = format_change_lines(change);
  const std::string revision = std::to_string(change.revision());
  std::string out;
  if (!change.dry_run()) {
    out = (verb == ChangeVerb::kApply ? "applied: " : "deleted: ") + what + ", intent revision " +
          revision + "\n";
    if (!lines.empty()) out += lines;
    return out;
  }
  const std::string doing = (verb == ChangeVerb::kApply ? "applying " : "deleting ") + what;
  if (lines.empty()) {
    return "dry run: " + doing + " changes nothing on this node (intent revision " + revision +
           ", nothing applied)\n";
  }
  return "dry run: " + doing + " would change (intent revision " + revision +
         ", nothing applied):\n" + lines;
}

// Shared with the command code for "3 objects".
std::string object_count_words(size_t n) {
  return plural(n, "object");
}

}  // namespace tern::ctl
