// The transcript cut into rows of one text line each, so the view draws only the rows on
// screen (ImGui's list clipper) however long the room is: a header row (author, time,
// badge), the wrapped text lines, then a gap row.
//
// Kept up to date incrementally: an update rewraps only the entries the transcript says
// changed (the reply streaming at the end, the page of older history put in front), so
// with 100,000 messages held a streamed token costs about as much as with ten. Rows are
// not stored: a row is found from per-entry row offsets by binary search.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "parley/room_transcript.hpp"

namespace parley::client {

// The end of the longest start of [begin, end) that fits in `width`, broken after a
// word where there is one (ImGui's CalcWordWrapPositionA in the browser). May return
// `begin` when not even one character fits.
using LineBreaker = std::function<const char*(const char* begin, const char* end, float width)>;

struct TranscriptRow {
  enum class Kind : std::uint8_t { header, line, gap };
  std::uint32_t entry = 0;  // index into the transcript's entries
  Kind kind = Kind::line;
  bool first_line = false;
  bool last_line = false;
  std::uint32_t begin = 0;  // byte range of the entry's text on this line
  std::uint32_t end = 0;
};

class TranscriptLayout {
 public:
  // Brings the rows up to date with `transcript`; everything is rewrapped when `width`
  // or `style` (an identity of the font and its size) changed. True when rows changed.
  bool update(const RoomTranscript& transcript, float width, std::uintptr_t style,
              const LineBreaker& breaker);

  std::size_t row_count() const { return row_offsets_.empty() ? 0 : row_offsets_.back(); }
  // Row `index` (< row_count()), found in O(log entries).
  TranscriptRow row(std::size_t index) const;
  std::size_t entry_count() const { return lines_.size(); }
  // The index of the first row (the header) of `entry`.
  std::size_t first_row(std::size_t entry) const { return row_offsets_.at(entry); }

  // Rows the last update put in front of those there before (older history arrived),
  // so a view can keep what the user was looking at in place.
  std::size_t rows_prepended() const { return rows_prepended_; }
  // Entries wrapped by the last update (what it cost).
  std::size_t entries_wrapped() const { return entries_wrapped_; }

 private:
  struct Line {
    std::uint32_t begin;
    std::uint32_t end;
  };

  static std::vector<Line> wrap(const std::string& text, float width, const LineBreaker& breaker);
  // Always at least one line, except for a hidden entry (none).
  static std::vector<Line> wrap_entry(const Entry& e, float width, const LineBreaker& breaker);
  void rebuild_offsets(std::size_t from);

  std::vector<std::vector<Line>> lines_;       // per entry
  std::vector<std::uint32_t> row_offsets_;     // per entry its first row; one more: the total
  ChangeCursor cursor_;
  float width_ = -1.0f;
  std::uintptr_t style_ = 0;
  std::size_t rows_prepended_ = 0;
  std::size_t entries_wrapped_ = 0;
};

}  // namespace parley::client
