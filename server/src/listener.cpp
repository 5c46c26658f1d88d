#include "listener.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include "http_session.hpp"
#include "log.hpp"

namespace parley::server {

namespace net = boost::asio;
using net::ip::tcp;

Listener::Listener(net::io_context& ioc, tcp::endpoint endpoint, ServerContext& ctx)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), ctx_(ctx) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
}

tcp::endpoint Listener::local_endpoint() const { return acceptor_.local_endpoint(); }

void Listener::run() { do_accept(); }

void Listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
  });
}

void Listener::do_accept() {
  acceptor_.async_accept(net::make_strand(ioc_),
                         boost::beast::bind_front_handler(&Listener::on_accept,
                                                          shared_from_this()));
}

void Listener::on_accept(boost::beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    fail(ec, "accept");
  } else {
    // Frames are small and written as soon as they are ready: without this, Nagle holds
    // a frame written right after another (an ack, then its message) until the peer's
    // delayed ACK, 40 ms later.
    boost::beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::make_shared<HttpSession>(std::move(socket), ctx_)->run();
  }
  do_accept();
}

}  // namespace parley::server
