// WsClient::send_raw_text_until_closed: the WebSocket framing is done by hand here so
// reading the close frame does not depend on the write succeeding.
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "ws_client.hpp"

namespace parley::itest {
namespace {

std::string masked_text_frame(std::string_view payload) {
  const std::array<unsigned char, 4> mask{0x5a, 0x17, 0xc3, 0x81};
  std::string frame;
  frame.push_back(static_cast<char>(0x81));  // FIN + text
  const std::uint64_t n = payload.size();
  if (n < 126) {
    frame.push_back(static_cast<char>(0x80 | n));
  } else if (n <= 0xffff) {
    frame.push_back(static_cast<char>(0x80 | 126));
    for (int shift = 8; shift >= 0; shift -= 8) frame.push_back(static_cast<char>(n >> shift));
  } else {
    frame.push_back(static_cast<char>(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8) frame.push_back(static_cast<char>(n >> shift));
  }
  frame.append(reinterpret_cast<const char*>(mask.data()), mask.size());
  for (std::size_t i = 0; i < payload.size(); ++i) {
    frame.push_back(static_cast<char>(static_cast<unsigned char>(payload[i]) ^ mask[i % 4]));
  }
  return frame;
}

// Finds a close frame among the server's (unmasked) frames in `in`; returns its code,
// 0 for a close frame without one, or -1 when no complete close frame is there yet.
int find_close_code(const std::string& in) {
  std::size_t at = 0;
  while (in.size() - at >= 2) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(in[at + i]); };
    const unsigned opcode = byte(0) & 0x0f;
    std::uint64_t len = byte(1) & 0x7f;
    std::size_t header = 2;
    if (len == 126 || len == 127) {
      const std::size_t extra = len == 126 ? 2 : 8;
      if (in.size() - at < 2 + extra) return -1;
      len = 0;
      for (std::size_t i = 0; i < extra; ++i) len = (len << 8) | byte(2 + i);
      header += extra;
    }
    if (in.size() - at < header + len) return -1;
    if (opcode == 0x8) return len >= 2 ? (byte(header) << 8) | byte(header + 1) : 0;
    at += header + len;
  }
  return -1;
}

}  // namespace

Frame WsClient::send_raw_text_until_closed(std::string_view payload,
                                           std::chrono::milliseconds deadline) {
  const std::string frame = masked_text_frame(payload);
  const int fd = boost::beast::get_lowest_layer(ws_).socket().native_handle();
  const auto until = std::chrono::steady_clock::now() + deadline;
  std::size_t written = 0;
  bool writing = true;
  std::string in;
  Frame result;
  result.closed = true;
  for (;;) {
    const auto left = remaining(until);
    if (left == 0ms) throw HarnessError("server did not close in time");
    pollfd p{fd, static_cast<short>(POLLIN | (writing ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) < 0) {
      if (errno == EINTR) continue;
      throw HarnessError(std::string("poll: ") + std::strerror(errno));
    }
    if (writing && (p.revents & POLLOUT)) {
      const ssize_t n = ::send(fd, frame.data() + written, frame.size() - written,
                               MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n > 0) written += static_cast<std::size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == frame.size()) writing = false;
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      std::array<char, 4096> buf{};
      const ssize_t n = ::recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
      if (n > 0) {
        in.append(buf.data(), static_cast<std::size_t>(n));
        if (const int code = find_close_code(in); code >= 0) {
          result.close_code = static_cast<std::uint16_t>(code);
          result.close_error = "close frame";
          break;
        }
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        result.close_error = n == 0 ? "end of stream before a close frame"
                                    : std::string("recv: ") + std::strerror(errno);
        break;
      }
    }
  }
  boost::beast::error_code ignored;
  boost::beast::get_lowest_layer(ws_).socket().close(ignored);
  return result;
}

}  // namespace parley::itest
