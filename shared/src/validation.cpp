#include "parley/validation.hpp"

#include <cctype>

#include <cstdint>
#include <utility>

#include "parley/error_codes.hpp"

namespace parley::validation {
namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Decodes the code point at `i` of a string already known to be valid UTF-8 and
// advances `i` past it.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  std::size_t length = 1;
  char32_t cp = lead;
  if (lead >= 0xF0) {
    length = 4;
    cp = lead & 0x07;
  } else if (lead >= 0xE0) {
    length = 3;
    cp = lead & 0x0F;
  } else if (lead >= 0xC0) {
    length = 2;
    cp = lead & 0x1F;
  }
  for (std::size_t k = 1; k < length; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  i += length;
  return cp;
}

// Unicode general category Cc: C0, DEL and C1.
bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// The Unicode White_Space property.
bool is_white_space(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

Verdict refuse(const char* code, std::string reason) { return Verdict{code, std::move(reason)}; }

// What free text (names, messages) has in common: a byte length range, valid UTF-8,
// no control characters beyond those allowed, and something other than white space.
struct TextShape {
  bool valid_utf8 = false;
  bool has_forbidden_control = false;
  bool only_white_space = true;
  bool white_space_at_ends = false;
};

TextShape shape_of(std::string_view s, bool allow_newline_and_tab) {
  TextShape shape;
  shape.valid_utf8 = is_valid_utf8(s);
  if (!shape.valid_utf8) return shape;
  bool first = true;
  bool last_was_space = false;
  for (std::size_t i = 0; i < s.size();) {
    const char32_t cp = next_code_point(s, i);
    const bool allowed_control = allow_newline_and_tab && (cp == U'\n' || cp == U'\t');
    if (is_control(cp) && !allowed_control) shape.has_forbidden_control = true;
    last_was_space = is_white_space(cp);
    if (!last_was_space) shape.only_white_space = false;
    if (first && last_was_space) shape.white_space_at_ends = true;
    first = false;
  }
  if (last_was_space) shape.white_space_at_ends = true;
  return shape;
}

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alnum(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::size_t first_invalid_utf8(std::string_view s) {
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    // The second byte's range excludes overlongs (E0, F0), surrogates (ED) and code
    // points above U+10FFFF (F4); C0, C1 and F5..FF never start a sequence.
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    } else {
      return i;
    }
    if (n - i < length) return i;
    const auto second = static_cast<unsigned char>(s[i + 1]);
    if (second < low || second > high) return i;
    for (std::size_t k = 2; k < length; ++k) {
      if (!is_continuation(static_cast<unsigned char>(s[i + k]))) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

bool is_valid_utf8(std::string_view s) { return first_invalid_utf8(s) == std::string_view::npos; }

Verdict check_name(std::string_view name, std::size_t max_bytes) {
  const char* code = error_codes::invalid_name;
  if (name.empty()) return refuse(code, "name is empty");
  if (name.size() > max_bytes) {
    return refuse(code, "name is longer than " + std::to_string(max_bytes) + " bytes");
  }
  const TextShape shape = shape_of(name, /*allow_newline_and_tab=*/false);
  if (!shape.valid_utf8) return refuse(code, "name is not valid UTF-8");
  if (shape.has_forbidden_control) return refuse(code, "name contains a control character");
  if (shape.only_white_space) return refuse(code, "name is only white space");
  if (shape.white_space_at_ends) return refuse(code, "name starts or ends with white space");
  return {};
}

Verdict check_room(std::string_view room, std::size_t max_bytes) {
  const char* code = error_codes::invalid_room;
  if (room.empty()) return refuse(code, "room is empty");
  if (room.size() > max_bytes) {
    return refuse(code, "room is longer than " + std::to_string(max_bytes) + " bytes");
  }
  if (!is_lower_alnum(room.front())) {
    return refuse(code, "room must start with a lower-case letter or a digit");
  }
  for (char c : room) {
    if (!is_lower_alnum(c) && c != '_' && c != '-') {
      return refuse(code, "room may only hold a-z, 0-9, '_' and '-'");
    }
  }
  return {};
}

Verdict check_text(std::string_view text, std::size_t max_bytes) {
  const char* code = error_codes::invalid_text;
  if (text.empty()) return refuse(code, "text is empty");
  if (text.size() > max_bytes) {
    return refuse(code, "text is longer than " + std::to_string(max_bytes) + " bytes");
  }
  const TextShape shape = shape_of(text, /*allow_newline_and_tab=*/true);
  if (!shape.valid_utf8) return refuse(code, "text is not valid UTF-8");
  if (shape.has_forbidden_control) return refuse(code, "text contains a control character");
  if (shape.only_white_space) return refuse(code, "text is only white space");
  return {};
}

Verdict check_client_id(std::string_view id) {
  const char* code = error_codes::invalid_client_id;
  if (id.empty()) return refuse(code, "client_id is empty");
  if (id.size() > kMaxClientIdBytes) {
    return refuse(code, "client_id is longer than " + std::to_string(kMaxClientIdBytes) + " bytes");
  }
  for (char c : id) {
    if (!is_alnum(c) && c != '_' && c != '-') {
      return refuse(code, "client_id may only hold A-Z, a-z, 0-9, '_' and '-'");
    }
  }
  return {};
}

Verdict check_file_name(std::string_view name) {
  const char* code = error_codes::invalid_file_name;
  if (name.empty()) return refuse(code, "file_name is empty");
  if (name.size() > kMaxFileNameBytes) {
    return refuse(code, "file_name is longer than " + std::to_string(kMaxFileNameBytes) + " bytes");
  }
  if (!is_valid_utf8(name)) return refuse(code, "file_name is not valid UTF-8");
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return refuse(code, "file_name holds a control character");
    if (c == '/' || c == '\\') return refuse(code, "file_name must be a name, not a path");
    if (c == ':') return refuse(code, "file_name may not hold ':'");
  }
  if (name.front() == '.') return refuse(code, "file_name may not start with '.'");
  if (name.front() == ' ' || name.back() == ' ') {
    return refuse(code, "file_name may not start or end with a space");
  }
  return {};
}

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto x = static_cast<unsigned char>(a[i]);
    const auto y = static_cast<unsigned char>(b[i]);
    if (std::tolower(x) != std::tolower(y)) return false;
  }
  return true;
}

Verdict check_options(const protocol::GenerationOptions& o) {
  const char* code = error_codes::bad_field;
  if (o.model.size() > 128 || !is_valid_utf8(o.model)) {
    return refuse(code, "send.options.model: at most 128 bytes of UTF-8");
  }
  if (o.temperature && !(*o.temperature >= 0.0 && *o.temperature <= 2.0)) {
    return refuse(code, "send.options.temperature: 0 to 2");
  }
  if (o.max_tokens > 32768) return refuse(code, "send.options.max_tokens: 0 to 32768");
  if (o.system_prompt.size() > 4000 || !is_valid_utf8(o.system_prompt)) {
    return refuse(code, "send.options.system_prompt: at most 4000 bytes of UTF-8");
  }
  if (o.history && *o.history > 200) return refuse(code, "send.options.history: 0 to 200");
  return {};
}

}  // namespace parley::validation
