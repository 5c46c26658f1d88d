// Runs the real parley-server binary for integration tests: a private temporary
// directory holds the database and a small web root, the port is read from the
// server's "listening on" line, and the process can be stopped (SIGTERM or SIGKILL)
// and started again on the same database.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace parley::itest {

// Path of the binary under test, from the build system.
std::filesystem::path server_binary();

struct ExitStatus {
  bool exited = false;  // ended through exit(); `code` is valid
  int code = -1;
  int signal = 0;       // the signal that ended it, when !exited
};

class ServerProcess {
 public:
  struct Options {
    int assistant_delay_ms = 2;
    int checkpoint_ms = 50;  // how often a growing reply is stored
    std::chrono::milliseconds start_deadline{15000};
  };

  // Creates the temporary directory and starts the server.
  ServerProcess();
  explicit ServerProcess(Options options);
  // With more command-line options (e.g. limits) for every start. Without them the
  // server runs with no rate limits, so tests may send as fast as they like.
  ServerProcess(Options options, std::vector<std::string> extra_args);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts the server again on the same database (after stop()). Throws when it does
  // not announce its port before the start deadline.
  void start();
  // Sends `signal` and waits for the process to end. A server that outlives the
  // deadline is killed and the call throws.
  ExitStatus stop(int signal, std::chrono::milliseconds deadline = std::chrono::seconds(15));

  bool running() const { return pid_ > 0; }
  std::uint16_t port() const { return port_; }
  void set_assistant_delay_ms(int ms) { options_.assistant_delay_ms = ms; }

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path db_path() const { return dir_ / "parley.db"; }
  std::filesystem::path web_root() const { return dir_ / "web"; }

 private:
  void create_files();
  void drain_stdout(int fd, std::promise<std::string> first_line);
  void kill_now();

  Options options_;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int pidfd_ = -1;
  std::uint16_t port_ = 0;
  std::vector<std::string> extra_args_;
  std::thread stdout_reader_;
};

}  // namespace parley::itest
