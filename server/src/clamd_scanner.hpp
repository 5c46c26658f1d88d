// Virus scanning of uploaded files by a ClamAV daemon (clamd) over its Unix socket.
// Each scan streams the file with clamd's INSTREAM command and reports clean, infected
// (with the signature name) or failed (with a readable reason: daemon not running,
// refused, timed out, file over clamd's StreamMaxLength, ...). Calls block, so they
// belong on a worker thread, never on a network thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

namespace parley::server {

struct ScanResult {
  enum class Outcome { clean, infected, failed };
  Outcome outcome{Outcome::failed};
  std::string signature{};  // the signature clamd matched, when infected
  std::string details{};    // why the scan failed (or clamd's raw reply otherwise)
};

class ClamdScanner {
 public:
  // `timeout` bounds each step: connecting, every write, and waiting for each reply.
  explicit ClamdScanner(std::string socket_path,
                        std::chrono::milliseconds timeout = std::chrono::seconds{30});

  ScanResult scan(const std::filesystem::path& file) const;
  // True when the daemon answers PONG within the timeout.
  bool ping() const;

  const std::string& socket_path() const { return socket_path_; }

 private:
  std::string socket_path_;
  std::chrono::milliseconds timeout_;
};

}  // namespace parley::server
