// Splits an extracted document into passages of roughly equal size for retrieval, each
// with a readable location to cite: "page 3" for a PDF (passages never span pages),
// "line 7" or "lines 12–30" for a text file. Breaks fall at paragraph ends when possible,
// else at line ends (CSV: row ends, so rows stay whole), sentence ends, spaces, and only
// as a last resort inside a word, never inside a UTF-8 sequence. Output is deterministic.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "document_text.hpp"

namespace parley::server {

struct Passage {
  std::string text{};      // trimmed of surrounding whitespace, never empty
  std::string location{};  // "page 3", "line 7", "lines 12–30" (en dash)
};

// Passages aim at `target_bytes` (at least half of it unless the text runs out) and never
// exceed twice that; a single character longer than the cap is kept whole.
std::vector<Passage> split_passages(const ExtractedDocument& doc, std::size_t target_bytes = 700);

}  // namespace parley::server
