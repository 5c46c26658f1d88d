#include "clamd_scanner.hpp"

#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace parley::server {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Outcome = ScanResult::Outcome;

constexpr const char* kClamd = "/usr/sbin/clamd";
// The standard EICAR anti-virus test file: harmless, detected by design.
const std::string kEicar = R"e(X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*)e";

std::string md5_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    char pair[3];
    std::snprintf(pair, sizeof pair, "%02x", digest[i]);
    hex += pair;
  }
  return hex;
}

std::string hex_of(const std::string& data) {
  std::string hex;
  for (const char c : data) {
    char pair[3];
    std::snprintf(pair, sizeof pair, "%02x", static_cast<unsigned char>(c));
    hex += pair;
  }
  return hex;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const fs::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary) << bytes;
}

// A short private directory (Unix socket paths are limited to 107 bytes).
fs::path make_temp_dir(const char* prefix) {
  fs::path base = fs::temp_directory_path();
  if (base.string().size() > 60) base = "/tmp";
  std::string pattern = (base / prefix).string();
  pattern += "XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

// Runs a private clamd with its own socket and a signature database made here, so no
// signature download is ever needed.
class ClamdScannerTest : public ::testing::Test {
 protected:
  virtual std::string stream_max_length() const { return "60M"; }

  void SetUp() override {
    ASSERT_EQ(::access(kClamd, X_OK), 0)
        << kClamd << " is not installed: run scripts/setup.sh (it installs clamav-daemon)";
    dir_ = make_temp_dir("parley-clamd-");
    socket_ = (dir_ / "clamd.sock").string();
    fs::create_directories(dir_ / "db");
    fs::create_directories(dir_ / "tmp");
    // MD5 of the whole EICAR file, and a body signature that finds it inside other data.
    std::string hdb = md5_hex(kEicar);
    hdb += ":";
    hdb += std::to_string(kEicar.size());
    hdb += ":Parley.Test.EICAR\n";
    write_file(dir_ / "db" / "parley.hdb", hdb);
    std::string ndb = "Parley.Test.EICAR.Body:0:*:";
    ndb += hex_of("EICAR-STANDARD-ANTIVIRUS-TEST-FILE");
    ndb += "\n";
    write_file(dir_ / "db" / "parley.ndb", ndb);

    std::string config = "Foreground yes\n";
    const auto set = [&config](const char* key, const std::string& value) {
      config += key;
      config += " ";
      config += value;
      config += "\n";
    };
    set("LocalSocket", socket_);
    set("LocalSocketMode", "600");
    set("DatabaseDirectory", (dir_ / "db").string());
    set("LogFile", (dir_ / "clamd.log").string());
    set("PidFile", (dir_ / "clamd.pid").string());
    set("TemporaryDirectory", (dir_ / "tmp").string());
    set("StreamMaxLength", stream_max_length());
    set("SelfCheck", "3600");
    write_file(dir_ / "clamd.conf", config);

    start_clamd();
  }

  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      const auto deadline = std::chrono::steady_clock::now() + 10s;
      int status = 0;
      while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
          ::kill(pid_, SIGKILL);
          ::waitpid(pid_, &status, 0);
          break;
        }
        std::this_thread::sleep_for(10ms);
      }
      pid_ = -1;
    }
    if (!dir_.empty()) {
      std::error_code ignored;
      fs::remove_all(dir_, ignored);
    }
  }

  void start_clamd() {
    std::string config_arg = "--config-file=";
    config_arg += (dir_ / "clamd.conf").string();
    const std::string output = (dir_ / "clamd.out").string();
    const pid_t parent = ::getpid();
    const auto started = std::chrono::steady_clock::now();
    pid_ = ::fork();
    ASSERT_GE(pid_, 0) << std::strerror(errno);
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test
      if (::getppid() != parent) ::_exit(127);
      const int out = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      if (out >= 0) {
        ::dup2(out, 1);
        ::dup2(out, 2);
      }
      ::execl(kClamd, kClamd, config_arg.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }

    // Ready once it answers PING; a loaded machine may take a while to load the database.
    const ClamdScanner probe(socket_, 2s);
    const auto deadline = started + 60s;
    for (;;) {
      if (probe.ping()) break;
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        FAIL() << "clamd exited during start-up:\n"
               << read_text(dir_ / "clamd.out") << read_text(dir_ / "clamd.log");
      }
      if (std::chrono::steady_clock::now() > deadline) {
        FAIL() << "clamd did not answer PING within 60 s:\n" << read_text(dir_ / "clamd.log");
      }
      std::this_thread::sleep_for(20ms);
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    std::printf("clamd ready after %lld ms\n", static_cast<long long>(ms));
  }

  fs::path dir_{};
  std::string socket_{};
  pid_t pid_{-1};
};

TEST_F(ClamdScannerTest, AnswersPing) {
  EXPECT_TRUE(ClamdScanner(socket_).ping());
}

TEST_F(ClamdScannerTest, CleanFileIsClean) {
  const fs::path file = dir_ / "notes.txt";
  write_file(file, "Meeting notes: ship the upload feature on Friday.\n");
  const ScanResult result = ClamdScanner(socket_).scan(file);
  EXPECT_EQ(result.outcome, Outcome::clean) << result.details;
  EXPECT_TRUE(result.signature.empty());

  const fs::path empty = dir_ / "empty.txt";
  write_file(empty, "");
  EXPECT_EQ(ClamdScanner(socket_).scan(empty).outcome, Outcome::clean);
}

TEST_F(ClamdScannerTest, EicarIsInfected) {
  const fs::path file = dir_ / "eicar.com";
  write_file(file, kEicar);
  const ScanResult result = ClamdScanner(socket_).scan(file);
  EXPECT_EQ(result.outcome, Outcome::infected) << result.details;
  EXPECT_NE(result.signature.find("Parley.Test.EICAR"), std::string::npos) << result.signature;
}

TEST_F(ClamdScannerTest, EicarInsideALargerFileIsFoundAcrossChunks) {
  // Several stream chunks of clean data first, then the test string.
  std::string data(300 * 1024, 'a');
  data += "\n";
  data += kEicar;
  data += "\nmore text after it\n";
  const fs::path file = dir_ / "report.txt";
  write_file(file, data);
  const ScanResult result = ClamdScanner(socket_).scan(file);
  EXPECT_EQ(result.outcome, Outcome::infected) << result.details;
  EXPECT_NE(result.signature.find("Parley.Test.EICAR"), std::string::npos) << result.signature;
}

TEST_F(ClamdScannerTest, MissingFileFails) {
  const ScanResult result = ClamdScanner(socket_).scan(dir_ / "no-such-file");
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_NE(result.details.find("cannot open"), std::string::npos) << result.details;
}

class ClamdScannerSmallLimitTest : public ClamdScannerTest {
 protected:
  std::string stream_max_length() const override { return "1M"; }
};

TEST_F(ClamdScannerSmallLimitTest, FileOverTheStreamLimitFails) {
  const fs::path file = dir_ / "big.bin";
  write_file(file, std::string(3 * 1024 * 1024, 'x'));
  const ScanResult result = ClamdScanner(socket_, 20s).scan(file);
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_NE(result.details.find("StreamMaxLength"), std::string::npos) << result.details;
  // The daemon is still fine afterwards.
  const fs::path small = dir_ / "small.txt";
  write_file(small, "small");
  EXPECT_EQ(ClamdScanner(socket_).scan(small).outcome, Outcome::clean);
}

// Failures that need no daemon.
class ClamdScannerFailures : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir("parley-clamf-");
    file_ = dir_ / "file.txt";
    write_file(file_, "hello");
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // A listening socket that never accepts or answers.
  int listen_silently(const std::string& path) const {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.data(), path.size());
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd, 8) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

  fs::path dir_{};
  fs::path file_{};
};

TEST_F(ClamdScannerFailures, MissingSocket) {
  const ClamdScanner scanner((dir_ / "absent.sock").string(), 2s);
  EXPECT_FALSE(scanner.ping());
  const ScanResult result = scanner.scan(file_);
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_NE(result.details.find("does not exist"), std::string::npos) << result.details;
  EXPECT_NE(result.details.find("absent.sock"), std::string::npos) << result.details;
}

TEST_F(ClamdScannerFailures, StaleSocketIsRefused) {
  const std::string path = (dir_ / "stale.sock").string();
  const int fd = listen_silently(path);
  ASSERT_GE(fd, 0);
  ::close(fd);  // the socket file stays, nobody listens
  const ScanResult result = ClamdScanner(path, 2s).scan(file_);
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_NE(result.details.find("refused"), std::string::npos) << result.details;
}

TEST_F(ClamdScannerFailures, SilentDaemonTimesOut) {
  const std::string path = (dir_ / "silent.sock").string();
  const int fd = listen_silently(path);
  ASSERT_GE(fd, 0);
  const auto started = std::chrono::steady_clock::now();
  const ClamdScanner scanner(path, 300ms);
  EXPECT_FALSE(scanner.ping());
  const ScanResult result = scanner.scan(file_);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ::close(fd);
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_NE(result.details.find("timed out after 300 ms"), std::string::npos) << result.details;
  EXPECT_LT(elapsed, 10s);
}

TEST_F(ClamdScannerFailures, NoSocketConfigured) {
  const ScanResult result = ClamdScanner("").scan(file_);
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_FALSE(result.details.empty());
}

}  // namespace
}  // namespace parley::server
