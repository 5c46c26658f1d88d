#include "log.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/websocket/error.hpp>
#include <iostream>
#include <mutex>

namespace parley::server {

namespace {
std::mutex log_mutex;
}

void log_line(std::string_view what) {
  std::lock_guard lock(log_mutex);
  std::cerr << "parley-server: " << what << '\n';
}

void fail(boost::beast::error_code ec, std::string_view what) {
  namespace net = boost::asio;
  namespace websocket = boost::beast::websocket;
  // A browser that goes away without a close frame, a closed stream or a cancelled
  // operation is a normal end of a connection, not an error worth a line.
  if (ec == net::error::operation_aborted || ec == websocket::error::closed ||
      ec == net::error::connection_reset || ec == net::error::not_connected ||
      ec == net::error::eof || ec == boost::beast::error::timeout ||
      ec == net::error::broken_pipe)
    return;
  log_line(std::string(what) + ": " + ec.message());
}

}  // namespace parley::server
