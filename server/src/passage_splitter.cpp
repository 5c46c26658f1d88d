#include "passage_splitter.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

namespace parley::server {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

enum class Level { paragraph, line, sentence, space };

class PageSplitter {
 public:
  PageSplitter(std::string_view text, bool csv, std::size_t target) : text_(text), target_(target) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text_.size(); ++i) {
      if (text_[i] == '\n') line_starts_.push_back(i + 1);
    }
    if (csv) mark_row_ends();
  }

  // Appends the page's passages; `page` is 0 for text files.
  void split(unsigned page, std::vector<Passage>& out) const {
    const std::size_t n = text_.size();
    std::size_t pos = 0;
    for (;;) {
      while (pos < n && is_space(text_[pos])) ++pos;
      if (pos >= n) break;
      const std::size_t start = pos;
      std::size_t end = n - start <= target_ ? n : choose_end(start);
      pos = end;
      while (end > start && is_space(text_[end - 1])) --end;
      Passage passage;
      passage.text = std::string(text_.substr(start, end - start));
      passage.location = location(page, start, end);
      out.push_back(std::move(passage));
    }
  }

 private:
  // Where the passage starting at `start` ends (exclusive); the text is longer than target.
  std::size_t choose_end(std::size_t start) const {
    const std::size_t n = text_.size();
    const std::size_t low = start + target_ / 2;
    const std::size_t ideal = start + target_;
    const std::size_t high = std::min(n, start + 2 * target_);
    for (const Level level : {Level::paragraph, Level::line, Level::sentence, Level::space}) {
      std::optional<std::size_t> best;
      std::size_t best_distance = 0;
      for (std::size_t end = low + 1; end <= high; ++end) {
        if (!is_break(level, end)) continue;
        const std::size_t distance = end > ideal ? end - ideal : ideal - end;
        if (!best || distance < best_distance) {
          best = end;
          best_distance = distance;
        }
      }
      if (best) return *best;
    }
    // No break anywhere: cut at the cap, backing off to the start of a UTF-8 sequence.
    std::size_t end = high;
    while (end > start && end < n && is_continuation(text_[end])) --end;
    if (end == start) {  // one code point longer than the cap: keep it whole
      end = start + 1;
      while (end < n && is_continuation(text_[end])) ++end;
    }
    return end;
  }

  // Whether a passage may end just before offset `end`.
  bool is_break(Level level, std::size_t end) const {
    const std::size_t n = text_.size();
    if (end == n) return true;  // the end of the page is the best break of all
    const char c = text_[end];
    switch (level) {
      case Level::paragraph:
        return c == '\n' && row_end(end) && next_line_blank(end);
      case Level::line:
        return c == '\n' && row_end(end);
      case Level::sentence: {
        if (!is_space(c) || end == 0) return false;
        std::size_t i = end - 1;
        // Allow closing quotes or brackets after the punctuation: `He said "no."`.
        if ((text_[i] == '"' || text_[i] == '\'' || text_[i] == ')' || text_[i] == ']') && i > 0) --i;
        return text_[i] == '.' || text_[i] == '!' || text_[i] == '?';
      }
      case Level::space:
        return c == ' ' || c == '\t' || c == '\n';
    }
    return false;
  }

  bool row_end(std::size_t newline) const { return row_ends_.empty() || row_ends_[newline] != 0; }

  bool next_line_blank(std::size_t newline) const {
    for (std::size_t i = newline + 1; i < text_.size(); ++i) {
      if (text_[i] == '\n') return true;
      if (!is_space(text_[i])) return false;
    }
    return true;
  }

  // CSV/TSV: a newline inside a quoted field does not end the row.
  void mark_row_ends() {
    std::vector<char> ends(text_.size(), 0);
    bool quoted = false;
    bool field_start = true;
    for (std::size_t i = 0; i < text_.size(); ++i) {
      const char c = text_[i];
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text_.size() && text_[i + 1] == '"') {
            ++i;
          } else {
            quoted = false;
          }
        }
        continue;
      }
      if (c == '"' && field_start) {
        quoted = true;
        field_start = false;
      } else if (c == ',' || c == '\t' || c == ';' || c == '\n') {
        if (c == '\n') ends[i] = 1;
        field_start = true;
      } else {
        field_start = false;
      }
    }
    if (!quoted) row_ends_ = std::move(ends);  // unbalanced quotes: every line is a row
  }

  unsigned line_of(std::size_t offset) const {
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    return static_cast<unsigned>(it - line_starts_.begin());
  }

  std::string location(unsigned page, std::size_t start, std::size_t end) const {
    std::string text;
    if (page > 0) {
      text = "page ";
      text += std::to_string(page);
      return text;
    }
    const unsigned first = line_of(start);
    const unsigned last = line_of(end - 1);
    if (first == last) {
      text = "line ";
      text += std::to_string(first);
    } else {
      text = "lines ";
      text += std::to_string(first);
      text += "\xE2\x80\x93";  // en dash
      text += std::to_string(last);
    }
    return text;
  }

  std::string_view text_;
  std::size_t target_;
  std::vector<std::size_t> line_starts_{};
  std::vector<char> row_ends_{};  // empty: every newline ends a row
};

}  // namespace

std::vector<Passage> split_passages(const ExtractedDocument& doc, std::size_t target_bytes) {
  const std::size_t target = std::max<std::size_t>(target_bytes, 1);
  const bool csv = doc.kind == "csv";
  std::vector<Passage> passages;
  for (const DocumentPage& page : doc.pages) {
    PageSplitter(page.text, csv, target).split(page.number, passages);
  }
  return passages;
}

}  // namespace parley::server
