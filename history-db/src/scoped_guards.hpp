// Small RAII helpers that keep the store consistent when a method leaves by exception.
#pragma once

#include <SQLiteCpp/Statement.h>

namespace parley::history {

// Resets a statement however a method leaves it: a statement left mid-step would keep
// its read transaction open and block checkpoints.
class ResetOnExit {
 public:
  explicit ResetOnExit(SQLite::Statement& statement) : statement_(statement) {}
  ~ResetOnExit() { static_cast<void>(statement_.tryReset()); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  SQLite::Statement& statement_;
};

// Counts open batch() levels, and uncounts them when the work throws.
class DepthGuard {
 public:
  explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
  ~DepthGuard() { --depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  int& depth_;
};

}  // namespace parley::history
