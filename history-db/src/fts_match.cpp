#include "fts_match.hpp"

#include <algorithm>
#include <cctype>

namespace parley::history {

std::string fts_any_of(const std::vector<std::string>& terms) {
  std::string match;
  for (const std::string& t : terms) {
    const bool wordy = std::any_of(t.begin(), t.end(), [](char c) {
      const auto u = static_cast<unsigned char>(c);
      return u >= 0x80 || std::isalnum(u);
    });
    if (!wordy) continue;
    if (!match.empty()) match += " OR ";
    match += '"';
    for (char c : t) {
      if (c == '"') match += '"';
      match += c;
    }
    match += '"';
  }
  return match;
}

}  // namespace parley::history
