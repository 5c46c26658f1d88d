#include "clamd_scanner.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace parley::server {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr std::size_t kMaxReplyBytes = 4096;

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd = -1) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string errno_text(int error) { return std::strerror(error); }

std::string millis(std::chrono::milliseconds timeout) {
  std::string text = std::to_string(timeout.count());
  text += " ms";
  return text;
}

ScanResult failure(std::string details) {
  ScanResult result;
  result.outcome = ScanResult::Outcome::failed;
  result.details = std::move(details);
  return result;
}

int poll_timeout(std::chrono::milliseconds timeout) {
  return static_cast<int>(std::min<std::chrono::milliseconds::rep>(timeout.count(), 0x7fffffff));
}

enum class Io { ok, timeout, closed, error };

struct IoResult {
  Io status{Io::ok};
  int error{0};
};

// Waits until `fd` is ready for `events`; Io::timeout when nothing happened in time.
IoResult wait_for(int fd, short events, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return {Io::timeout, 0};
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, poll_timeout(left));
    if (n > 0) return {Io::ok, 0};
    if (n == 0) return {Io::timeout, 0};
    if (errno != EINTR) return {Io::error, errno};
  }
}

IoResult send_all(int fd, const char* data, std::size_t size, std::chrono::milliseconds timeout) {
  while (size > 0) {
    const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
    if (sent > 0) {
      data += sent;
      size -= static_cast<std::size_t>(sent);
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      const IoResult ready = wait_for(fd, POLLOUT, timeout);
      if (ready.status != Io::ok) return ready;
      continue;
    }
    if (sent < 0 && (errno == EPIPE || errno == ECONNRESET)) return {Io::closed, errno};
    return {Io::error, sent < 0 ? errno : EIO};
  }
  return {Io::ok, 0};
}

// Reads one NUL-terminated reply (the "z" command form); stops early at end of stream.
IoResult read_reply(int fd, std::chrono::milliseconds timeout, std::string& reply) {
  reply.clear();
  char buffer[512];
  while (reply.size() < kMaxReplyBytes) {
    const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
    if (got > 0) {
      reply.append(buffer, static_cast<std::size_t>(got));
      if (reply.find('\0') != std::string::npos) break;
      continue;
    }
    if (got == 0) return {reply.empty() ? Io::closed : Io::ok, 0};
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      const IoResult ready = wait_for(fd, POLLIN, timeout);
      if (ready.status != Io::ok) return ready;
      continue;
    }
    if (errno == ECONNRESET) return {reply.empty() ? Io::closed : Io::ok, errno};
    return {Io::error, errno};
  }
  if (const auto nul = reply.find('\0'); nul != std::string::npos) reply.resize(nul);
  while (!reply.empty() && (reply.back() == '\n' || reply.back() == '\r')) reply.pop_back();
  return {Io::ok, 0};
}

// Connects to clamd; on failure returns -1 and sets `error` to a readable reason.
int connect_to_clamd(const std::string& path, std::chrono::milliseconds timeout, std::string& error) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty()) {
    error = "no clamd socket configured";
    return -1;
  }
  if (path.size() >= sizeof address.sun_path) {
    error = "clamd socket path is too long: ";
    error += path;
    return -1;
  }
  std::memcpy(address.sun_path, path.data(), path.size());

  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = "cannot create a Unix socket: ";
    error += errno_text(errno);
    return -1;
  }
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) return fd;
    int e = errno;
    if (e == EINTR) continue;
    if (e == EAGAIN) {  // clamd's listen queue is full: retry briefly until the deadline
      if (Clock::now() >= deadline) break;
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
      continue;
    }
    if (e == EINPROGRESS) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      const IoResult ready = wait_for(fd, POLLOUT, std::max(left, std::chrono::milliseconds{0}));
      if (ready.status == Io::timeout) break;
      if (ready.status == Io::ok) {
        int so_error = 0;
        socklen_t length = sizeof so_error;
        if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &length) != 0) so_error = errno;
        if (so_error == 0) return fd;
        e = so_error;
      } else {
        e = ready.error;
      }
    }
    ::close(fd);
    switch (e) {
      case ENOENT:
        error = "clamd socket ";
        error += path;
        error += " does not exist (is clamd running?)";
        break;
      case ECONNREFUSED:
        error = "clamd refused the connection on ";
        error += path;
        error += " (nothing is listening; is clamd running?)";
        break;
      case EACCES:
      case EPERM:
        error = "no permission to connect to clamd socket ";
        error += path;
        break;
      default:
        error = "cannot connect to clamd at ";
        error += path;
        error += ": ";
        error += errno_text(e);
    }
    return -1;
  }
  ::close(fd);
  error = "timed out after ";
  error += millis(timeout);
  error += " connecting to clamd at ";
  error += path;
  return -1;
}

std::string io_failure(const IoResult& io, std::string_view doing, std::chrono::milliseconds timeout) {
  std::string text;
  switch (io.status) {
    case Io::timeout:
      text = "timed out after ";
      text += millis(timeout);
      text += " ";
      text += doing;
      break;
    case Io::closed:
      text = "clamd closed the connection while ";
      text += doing;
      break;
    default:
      text = "socket error while ";
      text += doing;
      text += ": ";
      text += errno_text(io.error);
  }
  return text;
}

ScanResult parse_reply(const std::string& reply) {
  constexpr std::string_view kStream = "stream: ";
  constexpr std::string_view kFound = " FOUND";
  constexpr std::string_view kError = " ERROR";
  std::string_view body = reply;
  if (body.starts_with(kStream)) body.remove_prefix(kStream.size());

  ScanResult result;
  result.details = reply;
  if (body == "OK") {
    result.outcome = ScanResult::Outcome::clean;
  } else if (body.ends_with(kFound) && body.size() > kFound.size()) {
    result.outcome = ScanResult::Outcome::infected;
    result.signature = std::string(body.substr(0, body.size() - kFound.size()));
  } else if (body.ends_with(kError)) {
    const std::string_view message = body.substr(0, body.size() - kError.size());
    if (message.find("size limit exceeded") != std::string_view::npos) {
      result.details = "the file is larger than clamd accepts (its StreamMaxLength): ";
    } else {
      result.details = "clamd reported an error: ";
    }
    result.details += message;
  } else if (reply.empty()) {
    result.details = "clamd sent an empty reply";
  } else {
    result.details = "unexpected reply from clamd: ";
    result.details += reply;
  }
  return result;
}

}  // namespace

ClamdScanner::ClamdScanner(std::string socket_path, std::chrono::milliseconds timeout)
    : socket_path_(std::move(socket_path)), timeout_(timeout) {}

bool ClamdScanner::ping() const {
  std::string error;
  const FileDescriptor socket{connect_to_clamd(socket_path_, timeout_, error)};
  if (socket.get() < 0) return false;
  static constexpr char kPing[] = "zPING";  // sent with its terminating NUL
  if (send_all(socket.get(), kPing, sizeof kPing, timeout_).status != Io::ok) return false;
  std::string reply;
  return read_reply(socket.get(), timeout_, reply).status == Io::ok && reply == "PONG";
}

ScanResult ClamdScanner::scan(const std::filesystem::path& file) const {
  const FileDescriptor input{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
  if (input.get() < 0) {
    std::string details = "cannot open ";
    details += file.string();
    details += ": ";
    details += errno_text(errno);
    return failure(std::move(details));
  }

  std::string error;
  const FileDescriptor socket{connect_to_clamd(socket_path_, timeout_, error)};
  if (socket.get() < 0) return failure(std::move(error));

  // When clamd stops reading early (e.g. its size limit), it has usually replied already.
  const auto reply_after_early_close = [&](const IoResult& io) {
    std::string reply;
    if (io.status == Io::closed && read_reply(socket.get(), timeout_, reply).status == Io::ok &&
        !reply.empty()) {
      return parse_reply(reply);
    }
    return failure(io_failure(io, "sending the file to clamd", timeout_));
  };

  static constexpr char kInstream[] = "zINSTREAM";  // sent with its terminating NUL
  if (const IoResult io = send_all(socket.get(), kInstream, sizeof kInstream, timeout_);
      io.status != Io::ok) {
    return failure(io_failure(io, "starting the scan", timeout_));
  }

  std::vector<char> chunk(4 + kChunkBytes);
  for (;;) {
    ssize_t got = 0;
    do {
      got = ::read(input.get(), chunk.data() + 4, kChunkBytes);
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
      std::string details = "cannot read ";
      details += file.string();
      details += ": ";
      details += errno_text(errno);
      return failure(std::move(details));
    }
    const auto length = static_cast<std::uint32_t>(got);
    chunk[0] = static_cast<char>((length >> 24) & 0xff);
    chunk[1] = static_cast<char>((length >> 16) & 0xff);
    chunk[2] = static_cast<char>((length >> 8) & 0xff);
    chunk[3] = static_cast<char>(length & 0xff);
    // A zero length (end of file) is the end-of-stream marker.
    if (const IoResult io = send_all(socket.get(), chunk.data(), 4 + length, timeout_);
        io.status != Io::ok) {
      return reply_after_early_close(io);
    }
    if (got == 0) break;
  }

  std::string reply;
  if (const IoResult io = read_reply(socket.get(), timeout_, reply); io.status != Io::ok) {
    return failure(io_failure(io, "waiting for clamd's verdict", timeout_));
  }
  return parse_reply(reply);
}

}  // namespace parley::server
