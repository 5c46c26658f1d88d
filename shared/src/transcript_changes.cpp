#include "parley/transcript_changes.hpp"

#include <algorithm>

namespace parley::client {

void TranscriptChangeLog::touched(std::uint64_t revision, std::size_t index) {
  if (!records_.empty()) {
    Record& last = records_.back();
    // Several touches in one revision (a batch of messages) are one record.
    if (last.revision == revision && last.prepended_at == prepended_) {
      last.index = std::min(last.index, index);
      return;
    }
  }
  if (records_.size() == kCapacity) {
    forgotten_ = records_.front().revision;
    records_.pop_front();
  }
  records_.push_back({revision, index, prepended_});
}

void TranscriptChangeLog::prepended(std::uint64_t, std::size_t count) { prepended_ += count; }

void TranscriptChangeLog::reset(std::uint64_t) {
  ++resets_;
  records_.clear();
}

TranscriptChanges TranscriptChangeLog::since(ChangeCursor& cursor, std::uint64_t revision,
                                            std::size_t size) const {
  TranscriptChanges out;
  if (!cursor.valid || cursor.resets != resets_ || cursor.revision < forgotten_) {
    out.reset = true;
  } else {
    out.prepended = static_cast<std::size_t>(prepended_ - cursor.prepended);
    out.first_changed = size;
    for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
      if (it->revision <= cursor.revision) break;
      const std::size_t now = it->index + static_cast<std::size_t>(prepended_ - it->prepended_at);
      out.first_changed = std::min(out.first_changed, now);
    }
  }
  cursor = {revision, prepended_, resets_, true};
  return out;
}

}  // namespace parley::client
