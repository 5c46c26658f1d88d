// Accepts TCP connections and starts an HttpSession on its own strand for each.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <memory>

#include "server_context.hpp"

namespace parley::server {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens at once, so the port is known (and errors thrown) before run().
  Listener(boost::asio::io_context& ioc, boost::asio::ip::tcp::endpoint endpoint,
           ServerContext& ctx);
  void run();
  void stop();
  boost::asio::ip::tcp::endpoint local_endpoint() const;

 private:
  void do_accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  ServerContext& ctx_;
};

}  // namespace parley::server
