// Minimal thread-safe logging to stderr. Network errors that are normal disconnects
// stay quiet (see fail()).
#pragma once

#include <string_view>

#include <boost/beast/core/error.hpp>

namespace parley::server {

void log_line(std::string_view what);

// Reports a failed network step, except the ones that mean an ordinary disconnect.
void fail(boost::beast::error_code ec, std::string_view what);

}  // namespace parley::server
