#include "api/rest_server.hpp"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <thread>
#include <vector>

#include "api/auth.hpp"
#include "api/event_queue.hpp"
#include "api/json.hpp"
#include "api/rate_limit.hpp"
#include "api/rest_router.hpp"

namespace tern::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// What every connection shares; it outlives the io_context (see RestServer::Impl).
struct Shared {
  Shared(Backend& b, RestServerOptions o)
      : backend(b),
        options(std::move(o)),
        router(b),
        connections(options.max_connections),
        watches(options.max_watch_streams),
        limiter(options.rate, options.burst) {}

  void track(const std::shared_ptr<EventQueue>& queue) {
    std::lock_guard lock(mutex);
    std::erase_if(queues, [](const auto& weak) { return weak.expired(); });
    queues.push_back(queue);
  }

  void close_all() {
    std::lock_guard lock(mutex);
    for (auto& weak : queues) {
      if (auto queue = weak.lock()) queue->close();
    }
    queues.clear();
  }

  Backend& backend;
  RestServerOptions options;
  RestRouter router;
  Slots connections;
  Slots watches;
  RateLimiter limiter;
  std::mutex mutex;
  std::vector<std::weak_ptr<EventQueue>> queues;
};

// A watch as Server-Sent Events: one "data: <Event JSON>" per event until the client goes away.
class SseStream : public std::enable_shared_from_this<SseStream> {
 public:
  SseStream(beast::tcp_stream stream, Shared& shared)
      : stream_(std::move(stream)), shared_(shared) {}

  ~SseStream() {
    if (queue_) queue_->close();
    subscription_.reset();
    shared_.watches.release();
    shared_.connections.release();
  }

  void start(const WatchRequest& request) {
    stream_.expires_never();
    queue_ = std::make_shared<EventQueue>(shared_.options.watch_queue);
    shared_.track(queue_);
    std::weak_ptr<SseStream> weak = weak_from_this();
    auto executor = stream_.get_executor();
    queue_->set_notify([weak, executor] {
      asio::post(executor, [weak] {
        if (auto self = weak.lock()) self->flush();
      });
    });
    subscription_ = shared_.backend.watch(
        request, [queue = queue_](const Event& event) { return queue->push(event); });
    pending_ =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
        "Connection: close\r\n\r\n: watching\n\n";
    write_pending();
    // The client sends nothing more; a completed read means it closed the connection.
    stream_.async_read_some(
        asio::buffer(sink_),
        [self = shared_from_this()](beast::error_code, size_t) { self->finish(); });
  }

 private:
  void flush() {
    if (writing_ || done_) return;
    for (const Event& event : queue_->take())
      pending_ += "data: " + to_json(event) + "\n\n";
    if (queue_->overflowed()) {
      pending_ += "event: overflow\ndata: {}\n\n";
      closing_ = true;
    }
    if (!pending_.empty()) write_pending();
  }

  void write_pending() {
    writing_ = true;
    auto data = std::make_shared<std::string>(std::move(pending_));
    pending_.clear();
    asio::async_write(stream_, asio::buffer(*data),
                      [self = shared_from_this(), data](beast::error_code ec, size_t) {
                        self->writing_ = false;
                        if (ec || self->closing_) return self->finish();
                        self->flush();
                      });
  }

  void finish() {
    if (done_) return;
    done_ = true;
    queue_->close();
    subscription_.reset();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  std::shared_ptr<EventQueue> queue_;
  std::unique_ptr<Subscription> subscription_;
  std::string pending_;
  char sink_[64];
  bool writing_ = false;
  bool closing_ = false;
  bool done_ = false;
};

bool takes_body(http::verb method) {
  return method == http::verb::post || method == http::verb::put || method == http::verb::patch;
}

std::string_view media_type(std::string_view content_type) {
  auto type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ')
    type.remove_suffix(1);
  return type;
}

// Boost 1.74's Beast has its own string_view.
std::string_view sv(beast::string_view s) {
  return {s.data(), s.size()};
}

bool iequals(std::string_view a, std::string_view b) {
  return beast::iequals(beast::string_view(a.data(), a.size()),
                        beast::string_view(b.data(), b.size()));
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {
    beast::error_code ec;
    const auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) client_ = remote.address().to_string();
  }

  ~Session() {
    if (!handed_off_) shared_.connections.release();
  }

  void start() { read_header(); }

 private:
  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(shared_.options.header_limit));
    parser_->body_limit(shared_.options.body_limit);
    stream_.expires_after(shared_.options.idle_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec == http::error::header_limit) {
      return send(error_response(Error{431, "", "request headers too large"}), false);
    }
    if (ec == http::error::body_limit) return send(too_large(), false);
    if (ec) return close();
    auto& req = parser_->get();
    if (!is_public_path(sv(req.target())) && !shared_.limiter.allow(client_)) {
      RestResponse slow = error_response(
          Error{429, "",
                fmt::format("too many requests: at most {:g} a second from one address",
                            shared_.limiter.rate())});
      slow.headers.emplace_back("Retry-After", "1");
      return send(slow, false);
    }
    if (shared_.options.token && !is_public_path(sv(req.target()))) {
      auto auth = sv(req[http::field::authorization]);
      if (!bearer_matches(auth, *shared_.options.token)) {
        return send(error_response(Error{401, "authorization", "a bearer token is required"}),
                    false);
      }
    }
    const bool has_body = req.chunked() || (req.has_content_length() && parser_->content_length() &&
                                            *parser_->content_length() > 0);
    if (has_body && takes_body(req.method()) &&
        !iequals(media_type(sv(req[http::field::content_type])), "application/json")) {
      return send(error_response(Error{415, "Content-Type",
                                       "the body must be application/json, got \"" +
                                           std::string(req[http::field::content_type]) + "\""}),
                  false);
    }
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_body(ec); });
  }

  RestResponse too_large() const {
    return error_response(
        Error{413, "",
              "the body is larger than " + std::to_string(shared_.options.body_limit) + " bytes"});
  }

  void on_body(beast::error_code ec) {
    if (ec == http::error::body_limit) return send(too_large(), false);
    if (ec) return close();
    auto req = parser_->release();
    RestRequest request{std::string(req.method_string()), std::string(req.target()),
                        std::move(req.body())};
    auto routed = shared_.router.handle(request);
    if (auto* watch = std::get_if<WatchRequest>(&routed)) {
      if (!shared_.watches.try_acquire()) {
        return send(error_response(Error{429, "", "too many watch streams"}), false);
      }
      handed_off_ = true;
      std::make_shared<SseStream>(std::move(stream_), shared_)->start(*watch);
      return;
    }
    send(std::get<RestResponse>(routed), req.keep_alive());
  }

  void send(const RestResponse& response, bool keep_alive) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->result(static_cast<unsigned>(response.status));
    res->version(11);
    res->set(http::field::server, "tern");
    res->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers)
      res->set(name, value);
    res->body() = response.body;
    res->keep_alive(keep_alive);
    res->prepare_payload();
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code ec, size_t) {
                        if (ec || !res->keep_alive()) return self->close();
                        self->read_header();
                      });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool handed_off_ = false;
  std::string client_;  // the peer address: whose request rate this counts against
};

}  // namespace

struct RestServer::Impl {
  Impl(Backend& backend, RestServerOptions options) : shared(backend, std::move(options)) {}

  void accept() {
    acceptor->async_accept(asio::make_strand(*ioc), [this](beast::error_code ec,
                                                           tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
      if (!ec) {
        if (shared.connections.try_acquire()) {
          std::make_shared<Session>(std::move(socket), shared)->start();
        } else {
          // Over the cap: a short answer, written blocking (it fits the socket buffer).
          static constexpr std::string_view kBusy =
              "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
          beast::error_code ignored;
          asio::write(socket, asio::buffer(kBusy), ignored);
          socket.close(ignored);
        }
      }
      accept();
    });
  }

  Shared shared;  // declared first: destroyed after the io_context and what it holds
  std::unique_ptr<asio::io_context> ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  uint16_t port = 0;
};

RestServer::RestServer(Backend& backend, RestServerOptions options)
    : impl_(std::make_unique<Impl>(backend, std::move(options))) {}

RestServer::~RestServer() {
  stop();
}

std::optional<std::string> RestServer::start() {
  auto& impl = *impl_;
  std::string error;
  auto where = parse_host_port(impl.shared.options.listen, &error);
  if (!where) return "REST listen address: " + error;
  impl.ioc = std::make_unique<asio::io_context>(impl.shared.options.threads);
  beast::error_code ec;
  auto address = where->host == "localhost" ? asio::ip::make_address("127.0.0.1")
                                            : asio::ip::make_address(where->host, ec);
  tcp::endpoint endpoint(address, where->port);
  impl.acceptor = std::make_unique<tcp::acceptor>(*impl.ioc);
  impl.acceptor->open(endpoint.protocol(), ec);
  if (!ec) impl.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl.acceptor->bind(endpoint, ec);
  if (!ec) impl.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    impl.acceptor.reset();
    impl.ioc.reset();
    return "REST listen on " + impl.shared.options.listen + ": " + ec.message();
  }
  impl.port = impl.acceptor->local_endpoint().port();
  impl.accept();
  for (int i = 0; i < std::max(1, impl.shared.options.threads); ++i) {
    impl.threads.emplace_back([&impl] { impl.ioc->run(); });
  }
  spdlog::debug("api: REST on {}:{}", where->host, impl.port);
  return std::nullopt;
}

void RestServer::stop() {
  auto& impl = *impl_;
  if (!impl.ioc) return;
  asio::post(*impl.ioc, [&impl] {
    beast::error_code ec;
    impl.acceptor->close(ec);
  });
  impl.ioc->stop();
  for (auto& thread : impl.threads)
    thread.join();
  impl.threads.clear();
  // No notify may post into the io_context once it is gone.
  impl.shared.close_all();
  impl.acceptor.reset();
  // Destroying the io_context destroys the connections its handlers held, and with them the
  // Backend subscriptions.
  impl.ioc.reset();
}

uint16_t RestServer::port() const {
  return impl_->port;
}

}  // namespace tern::api
