#include "parley/client_model/transcript_layout.hpp"

#include <algorithm>

namespace parley::client {
namespace {

std::size_t utf8_char_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

// A header row and a gap row around the text lines.
constexpr std::uint32_t kFrameRows = 2;

}  // namespace

std::vector<TranscriptLayout::Line> TranscriptLayout::wrap(const std::string& text, float width,
                                                           const LineBreaker& breaker) {
  std::vector<Line> lines;
  const char* const base = text.data();
  const char* const text_end = base + text.size();
  const char* para = base;
  auto offset = [base](const char* p) { return static_cast<std::uint32_t>(p - base); };
  // Word wrapping does not break at '\n', so each paragraph is wrapped on its own.
  while (true) {
    const char* para_end = para;
    while (para_end < text_end && *para_end != '\n') ++para_end;
    const char* s = para;
    if (s == para_end) lines.push_back({offset(s), offset(s)});
    while (s < para_end) {
      const char* eol = breaker(s, para_end, width);
      if (eol <= s) eol = s + utf8_char_length(static_cast<unsigned char>(*s));
      if (eol > para_end) eol = para_end;
      lines.push_back({offset(s), offset(eol)});
      s = eol;
      while (s < para_end && (*s == ' ' || *s == '\t')) ++s;
    }
    if (para_end >= text_end) break;
    para = para_end + 1;
  }
  if (lines.empty()) lines.push_back({0, 0});
  return lines;
}

std::vector<TranscriptLayout::Line> TranscriptLayout::wrap_entry(const Entry& e, float width,
                                                                 const LineBreaker& breaker) {
  if (e.hidden) return {};
  return wrap(shown_text(e), width, breaker);
}

bool TranscriptLayout::update(const RoomTranscript& transcript, float width, std::uintptr_t style,
                              const LineBreaker& breaker) {
  if (width < 1.0f) width = 1.0f;
  const TranscriptChanges changes = transcript.changes_since(cursor_);
  const auto& entries = transcript.entries();
  const std::size_t n = entries.size();
  rows_prepended_ = 0;
  entries_wrapped_ = 0;

  if (changes.reset || width != width_ || style != style_) {
    width_ = width;
    style_ = style;
    lines_.clear();
    lines_.reserve(n);
    for (const Entry& e : entries) lines_.push_back(wrap_entry(e, width, breaker));
    entries_wrapped_ = n;
    rebuild_offsets(0);
    return true;
  }
  if (changes.prepended == 0 && changes.first_changed >= n && lines_.size() == n) return false;

  const std::size_t front = std::min(changes.prepended, n);
  lines_.insert(lines_.begin(), front, {});
  for (std::size_t i = 0; i < front; ++i) lines_[i] = wrap_entry(entries[i], width, breaker);
  // Everything from first_changed on may differ (text, entries added or gone).
  std::size_t from = std::max(std::min(changes.first_changed, n), front);
  from = std::min(from, lines_.size());
  lines_.resize(from);
  for (std::size_t i = from; i < n; ++i) lines_.push_back(wrap_entry(entries[i], width, breaker));
  entries_wrapped_ = front + (n - from);
  rebuild_offsets(front > 0 ? 0 : from);
  if (front > 0) rows_prepended_ = row_offsets_[front];
  return true;
}

void TranscriptLayout::rebuild_offsets(std::size_t from) {
  const std::size_t n = lines_.size();
  row_offsets_.resize(n + 1);
  if (from == 0) row_offsets_[0] = 0;
  for (std::size_t i = from; i < n; ++i) {
    // A hidden entry (another version is shown) has no lines and no rows.
    const auto lines = static_cast<std::uint32_t>(lines_[i].size());
    row_offsets_[i + 1] = row_offsets_[i] + (lines == 0 ? 0 : lines + kFrameRows);
  }
}

TranscriptRow TranscriptLayout::row(std::size_t index) const {
  // The last entry whose first row is at or before `index`.
  const auto it = std::upper_bound(row_offsets_.begin(), row_offsets_.end() - 1,
                                   static_cast<std::uint32_t>(index));
  const auto entry = static_cast<std::uint32_t>(it - row_offsets_.begin() - 1);
  const std::size_t within = index - row_offsets_[entry];
  const auto& lines = lines_[entry];
  TranscriptRow r;
  r.entry = entry;
  if (within == 0) {
    r.kind = TranscriptRow::Kind::header;
  } else if (within > lines.size()) {
    r.kind = TranscriptRow::Kind::gap;
  } else {
    const std::size_t l = within - 1;
    r.kind = TranscriptRow::Kind::line;
    r.first_line = l == 0;
    r.last_line = l + 1 == lines.size();
    r.begin = lines[l].begin;
    r.end = lines[l].end;
  }
  return r;
}

}  // namespace parley::client
