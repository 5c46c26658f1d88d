#include "builtin_assistant.hpp"

#include <cstddef>

namespace parley::server {

namespace {

std::size_t count_code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::size_t count_words(const std::string& s) {
  std::size_t n = 0;
  bool in_word = false;
  for (unsigned char c : s) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

// The first `max` code points of `s`, with "…" when cut.
std::string excerpt(const std::string& s, std::size_t max) {
  std::size_t points = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && points++ == max) break;
  }
  std::string out = s.substr(0, i);
  for (auto& c : out)
    if (c == '\n' || c == '\t') c = ' ';
  return i < s.size() ? out + "\u2026" : out;
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

bool ends_with_question(const std::string& s) {
  auto end = s.find_last_not_of(" \n\t\r");
  return end != std::string::npos && s[end] == '?';
}

}  // namespace

std::string BuiltinAssistant::compose_reply(const protocol::ChatMessage& prompt) const {
  std::string reply = "Hello " + prompt.author + ". I am Parley's built-in assistant: a small ";
  reply += "deterministic responder inside this server, with no language model and no network ";
  reply += "access, so I cannot understand your message, only describe it. ";
  reply += "You wrote \"" + excerpt(prompt.text, 80) + "\": " +
           plural(count_words(prompt.text), "word", "words") + " and " +
           plural(count_code_points(prompt.text), "character", "characters");
  reply += ends_with_question(prompt.text) ? ", ending in a question I cannot answer yet. "
                                           : ". ";
  reply += "This reply streams to everyone in #" + prompt.room +
           " word by word and is kept in the room's history as it grows.";
  return reply;
}

std::vector<std::string> BuiltinAssistant::tokenize(const std::string& text) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  while (start < text.size()) {
    auto word_end = text.find_first_of(" \n\t", start);
    if (word_end == std::string::npos) {
      pieces.push_back(text.substr(start));
      break;
    }
    auto next = text.find_first_not_of(" \n\t", word_end);
    if (next == std::string::npos) next = text.size();
    pieces.push_back(text.substr(start, next - start));
    start = next;
  }
  return pieces;
}

}  // namespace parley::server
