// An FTS5 MATCH expression for "any of these words": each term quoted (quotes doubled),
// so nothing a user typed is query syntax.
#pragma once

#include <string>
#include <vector>

namespace parley::history {

// "" when no term has a word character (an empty phrase would match everything).
std::string fts_any_of(const std::vector<std::string>& terms);

}  // namespace parley::history
