#pragma once
// The BGP listening socket: accepts connections and hands each to the session configured for
// the remote address; connections from anyone else are closed at once. MD5 keys live on the
// listening socket per peer address (Linux keys them there), so the listener installs them.

#include <functional>
#include <string>
#include "bgp/session/asio.hpp"

#include "bgp/session/session.hpp"

namespace tern::bgp {

class Listener {
 public:
  using Lookup = std::function<SessionPtr(const asio::ip::address&)>;

  Listener(asio::io_context& io, Lookup lookup);
  // Opens and listens; returns an error text on failure.
  std::string listen(const asio::ip::tcp::endpoint& at);
  // Keys (or with an empty key, un-keys) connections from `peer` (RFC 2385).
  std::string set_md5(const asio::ip::address& peer, const std::string& key);
  uint16_t port() const;
  void close();

 private:
  void accept_next();

  asio::ip::tcp::acceptor acceptor_;
  Lookup lookup_;
};

}  // namespace tern::bgp
