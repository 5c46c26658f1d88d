#include "server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <regex>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace parley::itest {
namespace {

std::system_error os_error(const char* what) {
  return std::system_error(errno, std::generic_category(), what);
}

std::filesystem::path make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "parley-itest-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw os_error("mkdtemp");
  return pattern;
}

void write_file(const std::filesystem::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

ExitStatus to_exit_status(int wait_status) {
  ExitStatus s;
  if (WIFEXITED(wait_status)) {
    s.exited = true;
    s.code = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    s.signal = WTERMSIG(wait_status);
  }
  return s;
}

}  // namespace

std::filesystem::path server_binary() { return PARLEY_SERVER_BINARY; }

ServerProcess::ServerProcess() : ServerProcess(Options{}) {}

ServerProcess::ServerProcess(Options options) : ServerProcess(options, {}) {}

ServerProcess::ServerProcess(Options options, std::vector<std::string> extra_args)
    : options_(options), dir_(make_temp_dir()), extra_args_(std::move(extra_args)) {
  create_files();
  start();
}

ServerProcess::~ServerProcess() {
  kill_now();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

// The web root holds one file of each kind the HTTP tests ask for; a file beside it
// (outside the root) must never be reachable.
void ServerProcess::create_files() {
  std::filesystem::create_directory(web_root());
  write_file(web_root() / "index.html",
             "<!doctype html><title>parley itest</title><p>index page</p>\n");
  write_file(web_root() / "app.wasm", std::string("\0asm\x01\0\0\0", 8));
  write_file(dir_ / "secret.txt", "outside-the-web-root\n");
}

void ServerProcess::start() {
  if (running()) throw std::logic_error("server already running");

  std::array<int, 2> pipe_fds{};
  if (::pipe2(pipe_fds.data(), O_CLOEXEC) != 0) throw os_error("pipe2");

  const std::string binary = server_binary().string();
  std::vector<std::string> args = {binary,
                                   "--host", "127.0.0.1",
                                   "--port", "0",
                                   "--db", db_path().string(),
                                   "--web-root", web_root().string(),
                                   "--assistant-delay-ms",
                                   std::to_string(options_.assistant_delay_ms),
                                   "--checkpoint-ms",
                                   std::to_string(options_.checkpoint_ms),
                                   "--rate-frames", "0",
                                   "--rate-bytes", "0"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  const int rc = ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    pid_ = -1;
    throw std::system_error(rc, std::generic_category(), "posix_spawn " + binary);
  }
  // Through syscall(): glibc 2.36 declares pidfd_open without C linkage for C++.
  pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  if (pidfd_ < 0) {
    const auto error = os_error("pidfd_open");
    kill_now();
    throw error;
  }

  std::promise<std::string> first_line;
  std::future<std::string> line = first_line.get_future();
  stdout_reader_ = std::thread(&ServerProcess::drain_stdout, this, pipe_fds[0], std::move(first_line));

  if (line.wait_for(options_.start_deadline) != std::future_status::ready) {
    kill_now();
    throw std::runtime_error("parley-server did not announce its port in time");
  }
  const std::string announced = line.get();
  static const std::regex pattern(R"(parley-server listening on http://127\.0\.0\.1:(\d+)/)");
  std::smatch m;
  if (!std::regex_match(announced, m, pattern)) {
    kill_now();
    throw std::runtime_error("unexpected first stdout line from parley-server: '" + announced + "'");
  }
  const unsigned long port = std::stoul(m[1].str());
  if (port == 0 || port > 65535) {
    kill_now();
    throw std::runtime_error("bad port in '" + announced + "'");
  }
  port_ = static_cast<std::uint16_t>(port);
}

// Keeps reading so a chatty server never blocks on a full pipe; lines after the first
// are passed on to the test's stderr for diagnosis.
void ServerProcess::drain_stdout(int fd, std::promise<std::string> first_line) {
  bool have_first = false;
  std::string pending;
  std::array<char, 4096> buf{};
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buf.data(), static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      std::string text = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      if (!have_first) {
        have_first = true;
        first_line.set_value(std::move(text));
      } else {
        std::cerr << "[parley-server stdout] " << text << '\n';
      }
    }
  }
  if (!have_first) first_line.set_value("<exited before printing a line: '" + pending + "'>");
  ::close(fd);
}

ExitStatus ServerProcess::stop(int signal, std::chrono::milliseconds deadline) {
  if (!running()) throw std::logic_error("server not running");
  if (::kill(pid_, signal) != 0) throw os_error("kill");

  pollfd p{pidfd_, POLLIN, 0};
  int ready;
  do {
    ready = ::poll(&p, 1, static_cast<int>(deadline.count()));
  } while (ready < 0 && errno == EINTR);
  if (ready == 0) {
    kill_now();
    throw std::runtime_error("parley-server did not exit within the deadline after signal " +
                             std::to_string(signal));
  }
  int status = 0;
  ::waitpid(pid_, &status, 0);
  ::close(pidfd_);
  pidfd_ = -1;
  pid_ = -1;
  port_ = 0;
  if (stdout_reader_.joinable()) stdout_reader_.join();
  return to_exit_status(status);
}

void ServerProcess::kill_now() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  if (pidfd_ >= 0) {
    ::close(pidfd_);
    pidfd_ = -1;
  }
  if (stdout_reader_.joinable()) stdout_reader_.join();
  port_ = 0;
}

}  // namespace parley::itest
