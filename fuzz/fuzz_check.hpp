// What every fuzz target shares: the input as text, and a check that aborts (which
// libFuzzer records as a crash, with the input that caused it) when an invariant fails.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define PARLEY_FUZZ_CHECK(condition, what)                                                 \
  do {                                                                                     \
    if (!(condition)) ::parley::fuzz::fail(__FILE__, __LINE__, #condition, what);          \
  } while (false)

namespace parley::fuzz {

[[noreturn]] inline void fail(const char* file, int line, const char* condition,
                              std::string_view what) {
  std::fprintf(stderr, "%s:%d: check failed: %s\n  %.*s\n", file, line, condition,
               static_cast<int>(what.size()), what.data());
  std::abort();
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace parley::fuzz
