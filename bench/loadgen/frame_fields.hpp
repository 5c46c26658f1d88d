// Reads single fields out of a server frame without a JSON parser. The load generator must
// stay far cheaper per frame than the servers it measures, and every server under test
// writes the envelope's "type" first and never escapes the values read here.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace parley::bench {

// The value of the first `"key":"..."` in `frame`, or "" when there is none.
inline std::string_view string_field(std::string_view frame, std::string_view key) {
  std::size_t at = 0;
  for (;;) {
    at = frame.find(key, at);
    if (at == std::string_view::npos) return {};
    const std::size_t open = at + key.size();
    if (at > 0 && frame[at - 1] == '"' && frame.substr(open, 3) == "\":\"") {
      const std::size_t start = open + 3;
      const std::size_t end = frame.find('"', start);
      if (end == std::string_view::npos) return {};
      return frame.substr(start, end - start);
    }
    at = open;
  }
}

// The value of the first `"key":<digits>` in `frame`.
inline std::optional<std::uint64_t> number_field(std::string_view frame, std::string_view key) {
  std::size_t at = 0;
  for (;;) {
    at = frame.find(key, at);
    if (at == std::string_view::npos) return std::nullopt;
    const std::size_t open = at + key.size();
    if (at > 0 && frame[at - 1] == '"' && frame.substr(open, 2) == "\":") {
      std::size_t i = open + 2;
      if (i >= frame.size() || frame[i] < '0' || frame[i] > '9') return std::nullopt;
      std::uint64_t v = 0;
      while (i < frame.size() && frame[i] >= '0' && frame[i] <= '9') v = v * 10 + (frame[i++] - '0');
      return v;
    }
    at = open;
  }
}

// Every message text the load generator sends starts with "t=<send time in ns>".
inline std::optional<std::uint64_t> sent_at_ns(std::string_view frame) {
  const auto at = frame.find("\"text\":\"t=");
  if (at == std::string_view::npos) return std::nullopt;
  std::uint64_t v = 0;
  for (std::size_t i = at + 10; i < frame.size() && frame[i] >= '0' && frame[i] <= '9'; ++i)
    v = v * 10 + (frame[i] - '0');
  return v;
}

}  // namespace parley::bench
