// A one-shot HTTP/1.1 GET over loopback with a deadline, for the static file and
// health endpoint tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace parley::itest {

struct HttpResponse {
  unsigned status = 0;
  std::string content_type;
  std::string body;
};

// `target` is sent exactly as given (no normalisation), so tests can send paths a
// browser would clean up first.
HttpResponse http_get(std::uint16_t port, const std::string& target,
                      std::chrono::milliseconds deadline = std::chrono::seconds(10));

}  // namespace parley::itest
