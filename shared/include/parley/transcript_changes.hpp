// Which entries of a transcript changed since a view last looked, so a view of a very
// long room (a layout of 100,000 messages) redoes only what changed: the handful of
// entries at the end while a reply streams, or the page of older messages put in front.
//
// The log keeps one record per revision that changed entries (the lowest entry index it
// touched, in the coordinates of that moment) plus a count of entries ever put in
// front; a view keeps a ChangeCursor and asks what happened since. When the log is full
// its oldest record is dropped, and a view that had not seen it is told to start over:
// an answer can be larger than needed, never miss a change.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

namespace parley::client {

// Where a view was: the transcript revision it last saw, and the log's counters then.
struct ChangeCursor {
  std::uint64_t revision = 0;
  std::uint64_t prepended = 0;
  std::uint64_t resets = 0;
  bool valid = false;  // false: the view has seen nothing yet
};

struct TranscriptChanges {
  bool reset = false;          // everything may differ: rebuild from scratch
  std::size_t prepended = 0;   // entries put in front (indices of the rest shifted by this)
  std::size_t first_changed = 0;  // entries from here on (current indices) may differ
};

class TranscriptChangeLog {
 public:
  static constexpr std::size_t kCapacity = 1024;

  // Entry `index` (current indices) changed, appeared or went away at `revision`.
  void touched(std::uint64_t revision, std::size_t index);
  // `count` entries were put in front of all others at `revision`.
  void prepended(std::uint64_t revision, std::size_t count);
  // Everything was replaced at `revision`.
  void reset(std::uint64_t revision);

  // What changed after `cursor` for a transcript of `size` entries now at `revision`;
  // moves the cursor to now.
  TranscriptChanges since(ChangeCursor& cursor, std::uint64_t revision, std::size_t size) const;

 private:
  struct Record {
    std::uint64_t revision;
    std::size_t index;           // lowest index touched, in coordinates when `prepended_at`
    std::uint64_t prepended_at;  // prepended_ when the record was made
  };
  std::deque<Record> records_;  // ascending revisions
  std::uint64_t prepended_ = 0;
  std::uint64_t resets_ = 0;
  std::uint64_t forgotten_ = 0;  // the newest revision of a dropped record
};

}  // namespace parley::client
