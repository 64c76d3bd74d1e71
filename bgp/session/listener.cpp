#include "bgp/session/listener.hpp"

#include <spdlog/spdlog.h>

#include "bgp/session/socket_options.hpp"

namespace tern::bgp {

using asio::ip::tcp;

Listener::Listener(asio::io_context& io, Lookup lookup)
    : acceptor_(io), lookup_(std::move(lookup)) {}

std::string Listener::listen(const tcp::endpoint& at) {
  boost::system::error_code ec;
  acceptor_.open(at.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec && at.address().is_v6()) acceptor_.set_option(asio::ip::v6_only(true), ec);
  // GTSM peers drop a SYN-ACK that arrives with less than TTL 255 (RFC 5082); a higher TTL
  // costs non-GTSM peers nothing.
  if (!ec) {
    if (auto e = set_ttl(acceptor_.native_handle(), at.address().is_v4() ? AF_INET : AF_INET6, 255);
        !e.empty())
      return e;
  }
  if (!ec) acceptor_.bind(at, ec);
  // Calico's BIRD listens with a backlog of 8 and makes hundreds of peers retry; we do not.
  if (!ec) acceptor_.listen(1024, ec);
  if (ec)
    return "listen on " + at.address().to_string() + ":" + std::to_string(at.port()) + ": " +
           ec.message();
  accept_next();
  return {};
}

std::string Listener::set_md5(const asio::ip::address& peer, const std::string& key) {
  // IPv6 listeners are v6-only (see listen()), so a peer's own family is the key's family.
  return set_tcp_md5(acceptor_.native_handle(), to_sockaddr(peer), key);
}

uint16_t Listener::port() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec).port();
}

void Listener::close() {
  boost::system::error_code ec;
  acceptor_.close(ec);
}

void Listener::accept_next() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      boost::system::error_code e2;
      auto remote = socket.remote_endpoint(e2).address();
      if (remote.is_v6() && remote.to_v6().is_v4_mapped())
        remote = asio::ip::make_address_v4(asio::ip::v4_mapped, remote.to_v6());
      if (auto s = e2 ? nullptr : lookup_(remote)) {
        s->accept(std::move(socket));
      } else {
        spdlog::info("refusing BGP connection from unconfigured {}", remote.to_string());
        socket.close(e2);
      }
    }
    if (acceptor_.is_open()) accept_next();
  });
}

}  // namespace tern::bgp
