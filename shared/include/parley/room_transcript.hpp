// A room's messages as the client shows them: stored messages in ascending seq with no
// duplicates, followed by the user's own messages the server has not stored yet.
// Every way a message can arrive (history, broadcast, ack, stream frames) merges here,
// so a message is never shown twice however the frames interleave or repeat.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parley/protocol.hpp"
#include "parley/transcript_changes.hpp"

namespace parley::client {

// Delivery of the user's own messages; `none` for everybody else's.
enum class Delivery { none, sending, sent, failed };
const char* to_string(Delivery d);

// A piece of the assistant's work on a reply (a step event), as the client keeps it.
struct StepNote {
  std::uint64_t seq = 0;
  std::string label;  // "thinking", "calculator", "sources", ... (data.name or data.step)
  std::string text;   // the step's one-line summary
  friend bool operator==(const StepNote&, const StepNote&) = default;
};

// A passage the assistant retrieved for a reply (from a sources step): a document's
// passage, or an earlier message of the room.
struct SourceNote {
  std::string document;  // a document's name, or "#room" for the room's history
  std::string location;  // "page 2", "lines 4–9", "seq 17"
  std::string passage;
  double score = 0;
  friend bool operator==(const SourceNote&, const SourceNote&) = default;
};

struct Entry {
  std::uint64_t seq = 0;  // 0 until the server stored it
  std::string author;
  protocol::MessageKind kind = protocol::MessageKind::user;
  std::string text;
  protocol::MessageStatus status = protocol::MessageStatus::complete;
  Delivery delivery = Delivery::none;
  std::string client_id;
  std::string gen_id;
  std::string failure;        // why delivery failed
  std::int64_t ts_ms = 0;
  bool needs_refresh = false;  // a stream delta was missed; the next join repairs it
  std::vector<StepNote> steps;  // an assistant reply's visible work, in seq order
  std::vector<SourceNote> sources;  // what its sources steps listed, in order
  // How an ended reply's generation went (from its completion; 0 when not told).
  std::uint64_t completion_tokens = 0;
  std::int64_t duration_ms = 0;
  // Versions. `ref`: for an assistant reply the message it answers; for an edited user
  // message its first version. Messages with several versions (an edited message, a
  // regenerated reply) show one at a time: the others are `hidden`, and so are the
  // replies to a hidden version. `version` counts from 1 of `versions` (0 when single).
  std::uint64_t ref = 0;
  // The user's own pending send: how the assistant should answer it (sent again with it).
  std::optional<protocol::GenerationOptions> options = std::nullopt;
  // An interactive component the assistant sent with this reply (docs/protocol.md 9c),
  // as JSON text; "" for none. `answered` once someone answered it.
  std::string component;
  bool answered = false;
  bool hidden = false;
  std::uint32_t version = 0;
  std::uint32_t versions = 0;

  bool pending() const { return seq == 0; }
  friend bool operator==(const Entry&, const Entry&) = default;
};

// What a view shows for an entry: a reply's steps above its text — each on a line while
// the reply is being written, folded into one line once it ended — then the text.
std::string shown_text(const Entry& e);
// Adds the step event `m` to `reply` in seq order; false when it was there already.
bool attach_step(Entry& reply, const protocol::ChatMessage& m);

class RoomTranscript {
 public:
  const std::vector<Entry>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }
  // Changes whenever any entry changes, so views can skip work while it stays the same.
  std::uint64_t revision() const { return revision_; }
  // Which entries changed since the view at `cursor` last looked; moves the cursor.
  TranscriptChanges changes_since(ChangeCursor& cursor) const {
    return changes_.since(cursor, revision_, entries_.size());
  }

  // A stored room event (history or broadcast). `self` is the user's name: a stored
  // message with a pending entry's client_id and that author replaces it. An end event
  // (kind end) is not shown itself: it gives the reply at its `ref` its final state.
  void merge(const protocol::ChatMessage& m, std::string_view self);
  // merge() for each event, as one change.
  void merge_all(const std::vector<protocol::ChatMessage>& events, std::string_view self);
  bool has_stored() const;

  // A page of older stored events (ascending, as the server sends them), all before
  // the messages held: put in front in one step. Events already held are merged.
  void merge_older(const std::vector<protocol::ChatMessage>& page, std::string_view self);

  void add_pending(Entry e);
  // The server stored the pending message `client_id` at `seq`.
  void acknowledge(std::string_view client_id, std::uint64_t seq);
  void fail(std::string_view client_id, std::string reason);
  bool has_pending(std::string_view client_id) const;
  // Own messages still waiting for an ack, in the order they were written.
  std::vector<const Entry*> unacknowledged() const;

  void stream_started(const protocol::StreamStarted& s);
  // Appends only the bytes not already held; a delta past the end marks a gap.
  void stream_delta(const protocol::StreamDelta& d);
  // The reply at c.reply_seq ended with this text and status.
  void stream_completed(const protocol::StreamCompleted& c);

  // Forget stored messages (the room's epoch changed); pending ones stay.
  void clear_stored();
  // Forget everything (another room is shown).
  void clear();

  // Shows another version of the message at `seq` (one with versions): the previous
  // one (`step` < 0) or the next; the room then shows it until told otherwise. A new
  // version arriving (an edit, a regenerated reply) is shown at once.
  void show_version(std::uint64_t seq, int step);

  const Entry* find_seq(std::uint64_t seq) const;
  const Entry* find_client_id(std::string_view client_id) const;

 private:
  Entry* find_seq_mut(std::uint64_t seq);
  Entry* find_gen(std::string_view gen_id);
  std::vector<Entry>::iterator pending_it(std::string_view client_id);
  Entry& insert_stored(Entry e);
  void merge_event(const protocol::ChatMessage& m, std::string_view self);
  void complete(const protocol::StreamCompleted& c);
  // Records that the entry at `e` (or index `i`) changed, appeared or went away.
  void touch(const Entry* e) { changes_.touched(revision_, static_cast<std::size_t>(e - entries_.data())); }
  void touch(std::size_t i) { changes_.touched(revision_, i); }
  // Versions: file a stored user or assistant entry in its group, then bring the group's
  // hidden/version fields (and those of replies to its members) up to date.
  void file_version(const Entry& e);
  // A component in a stored event's data, and answers naming one (data.submit.seq).
  void note_data(Entry& e, const protocol::ChatMessage& m);
  void apply_edit_group(std::uint64_t root);
  void apply_reply_group(std::uint64_t prompt);
  void set_version(Entry& e, bool hidden, std::uint32_t version, std::uint32_t versions);

  std::vector<Entry> entries_;
  // Versions by group, ascending: edits by their first version, replies by the message
  // they answer. `chosen_*` holds the version the user picked (absent: the newest).
  std::map<std::uint64_t, std::vector<std::uint64_t>> edit_groups_;
  std::map<std::uint64_t, std::vector<std::uint64_t>> reply_groups_;
  std::map<std::uint64_t, std::uint64_t> chosen_edit_;
  std::map<std::uint64_t, std::uint64_t> chosen_reply_;
  std::uint64_t revision_ = 0;
  TranscriptChangeLog changes_;
};

}  // namespace parley::client
