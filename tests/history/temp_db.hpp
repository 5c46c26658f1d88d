// A database file name no other test (or concurrent test run) uses, removed with its
// WAL side files when the test ends.
#pragma once

#include <atomic>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>

namespace parley::history::testing {

class TempDb {
 public:
  TempDb() {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("parley-history-test-" + std::to_string(rd()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(dir_);
  }
  ~TempDb() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TempDb(const TempDb&) = delete;
  TempDb& operator=(const TempDb&) = delete;

  std::string path() const { return (dir_ / "history.db").string(); }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace parley::history::testing
