// The server under test: started from a shell command pinned to one CPU, waited for on its
// port, stopped with SIGTERM (or killed) and restarted with the same command.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace parley::bench {

class ServerProcess {
 public:
  ServerProcess(std::string command, int cpu, std::uint16_t port);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts the command and waits until the port accepts connections (false after 30 s or
  // when the process exits first).
  bool start();
  // SIGTERM, then SIGKILL after `grace_ms`; waits for the exit.
  void stop(int grace_ms = 10000);
  pid_t pid() const { return pid_; }

 private:
  std::string command_;
  int cpu_;
  std::uint16_t port_;
  pid_t pid_ = -1;
};

}  // namespace parley::bench
