// The history store: durable, ordered room history. SQLite is the default
// implementation (sqlite_history_store.hpp); the interface is small so another store
// (PostgreSQL) can stand behind it. Positions (room, seq) are assigned here, so they
// mean the same thing whichever server node reads them.
//
// Implementations are not thread-safe: one thread owns a store (the server's history
// worker) and calls it serially.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "parley/history/document_store.hpp"
#include "parley/history/reminder_store.hpp"
#include "parley/protocol.hpp"

namespace parley::history {

using protocol::ChatMessage;
using protocol::MessageKind;
using protocol::MessageStatus;
using protocol::AssistantMode;
using protocol::Member;
using protocol::MemberRole;
using protocol::RoomType;

struct RoomInfo {
  std::string name;
  std::string epoch;      // changes only if the room's history is lost
  std::uint64_t head_seq = 0;  // seq of the newest message, 0 when empty
  RoomType type = RoomType::shared;
  std::string owner;      // "" for rooms the server made
  AssistantMode assistant = AssistantMode::always;
};

struct MemberRoom {
  RoomInfo room;
  MemberRole role = MemberRole::member;
  std::uint64_t read_seq = 0;
  std::uint64_t unread = 0;  // shown messages by others after read_seq
};

struct Account {
  std::string name;
  std::string password_hash;
  std::string role;  // "user", "admin" or "service"
};

struct Marks {
  std::uint64_t delivered = 0;
  std::uint64_t read = 0;
};

// What append() is asked to store. `client_id` non-empty makes the append idempotent per
// (room, author, client_id).
struct NewMessage {
  std::string room;
  std::string author;
  MessageKind kind = MessageKind::user;
  std::string text;
  std::string client_id;
  std::string gen_id;
  MessageStatus status = MessageStatus::complete;
  std::int64_t ts_ms = 0;
  std::uint64_t ref = 0;  // kind end and step: their reply
  std::string data;       // kind step and end: a JSON object, "" for none
};

// One search result: the message, its relevance (higher is better: SQLite's bm25
// negated) and the passage around the matched words.
struct SearchHit {
  ChatMessage message;
  double score = 0;
  std::string passage;
};

struct AppendResult {
  ChatMessage message;     // as stored (the original one when duplicate)
  bool duplicate = false;  // an earlier append had the same (room, author, client_id)
};

// A reply the assistant owes: to the message at `seq` of `room`, shaped by `options`
// (the send's generation options as a JSON object, "" for none).
struct PendingReply {
  std::string room;
  std::uint64_t seq = 0;
  std::string options;
  std::int64_t since_ms = 0;
};

class HistoryStore {
 public:
  virtual ~HistoryStore() = default;

  // Creates the room when missing (shared, no owner, a fresh epoch) and returns its info.
  virtual RoomInfo ensure_room(const std::string& room) = 0;
  virtual std::optional<RoomInfo> find_room(const std::string& room) = 0;

  // ---- rooms and their members ----
  // Creates a room with `owner` as its owner member; nullopt when the name is taken.
  virtual std::optional<RoomInfo> create_room(const std::string& room, RoomType type,
                                              const std::string& owner,
                                              AssistantMode assistant) = 0;
  // Deletes the room, its members and its whole history. A room made again later under
  // the same name gets a new epoch. Returns false when there was no such room.
  virtual bool delete_room(const std::string& room) = 0;
  virtual bool set_assistant(const std::string& room, AssistantMode assistant) = 0;
  // Adds the member or changes their role; false when the room does not exist.
  virtual bool set_member(const std::string& room, const std::string& user, MemberRole role) = 0;
  virtual bool remove_member(const std::string& room, const std::string& user) = 0;
  // Users compare case-insensitively (ASCII), as names do everywhere.
  virtual std::optional<MemberRole> member_role(const std::string& room,
                                                const std::string& user) = 0;
  // Owner first, then admins, then members, each by name.
  virtual std::vector<Member> members(const std::string& room) = 0;
  // ---- accounts ----
  // Creates the account; false when the name (compared without case) is taken.
  virtual bool create_account(const Account& account) = 0;
  virtual std::optional<Account> find_account(const std::string& name) = 0;
  virtual std::uint64_t account_count() = 0;
  virtual std::vector<std::string> account_names() = 0;
  // Counts for the stats endpoint: rooms and stored events.
  virtual std::pair<std::uint64_t, std::uint64_t> totals() = 0;

  // How many rooms `user` owns.
  virtual std::size_t rooms_owned(const std::string& user) = 0;
  // Moves the member's markers forward (never back, never past the head); returns them
  // as stored, or nullopt when `user` is not a member.
  virtual std::optional<Marks> mark(const std::string& room, const std::string& user,
                                    std::uint64_t delivered, std::uint64_t read) = 0;
  // The rooms `user` is a member of, by name, with their read marker and unread count.
  virtual std::vector<MemberRoom> rooms_of(const std::string& user) = 0;

  // Stores a message at the room's next seq (creating the room if needed).
  virtual AppendResult append(const NewMessage& m) = 0;

  // Replaces the text and status of a reply that is still streaming (a checkpoint of
  // its growing text). Returns false when no such message exists or it has ended: an
  // ended reply never changes again.
  virtual bool update(const std::string& room, std::uint64_t seq, const std::string& text,
                      MessageStatus status) = 0;

  // Ends the reply at `reply_seq`: stores its final text and status and appends an end
  // event (kind end, ref = reply_seq) at the room's next seq, in one transaction.
  // Returns the end event as read back (its text is the reply's final text), or nullopt
  // when there is no such reply or it has already ended. `data` (a JSON object, or "")
  // goes with the end event: how the generation went (model, tokens, duration).
  virtual std::optional<ChatMessage> end_reply(const std::string& room, std::uint64_t reply_seq,
                                               const std::string& text, MessageStatus status,
                                               std::int64_t ts_ms,
                                               const std::string& data = {}) = 0;

  // The newest `limit` messages of a room, in ascending seq order.
  virtual std::vector<ChatMessage> recent(const std::string& room, std::uint32_t limit) = 0;
  // Up to `limit` messages with seq > after_seq, ascending.
  virtual std::vector<ChatMessage> after(const std::string& room, std::uint64_t after_seq,
                                         std::uint32_t limit) = 0;
  // The newest `limit` messages with seq < before_seq, ascending.
  virtual std::vector<ChatMessage> before(const std::string& room, std::uint64_t before_seq,
                                          std::uint32_t limit) = 0;
  virtual std::optional<ChatMessage> at(const std::string& room, std::uint64_t seq) = 0;

  // Full-text search of a room's messages and finished replies with seq < before_seq:
  // those matching any of `terms` (words, matched whole, without regard to case or
  // accents), best first, at most `limit`.
  virtual std::vector<SearchHit> search(const std::string& room,
                                        const std::vector<std::string>& terms,
                                        std::uint64_t before_seq, std::uint32_t limit) = 0;

  // Adds up to `limit` stored messages that are not yet searchable to the full-text
  // index, oldest first, in one transaction; returns how many. Storing a message only
  // queues it for indexing, so the commit that acknowledges it stays small; search()
  // indexes whatever is still queued before it reads.
  virtual std::size_t index_search(std::size_t limit) = 0;

  // Ends every reply still `streaming` as `interrupted`, keeping the text checkpointed
  // so far (after an unclean stop); returns how many were ended.
  virtual std::size_t interrupt_streaming() = 0;

  // The assistant owes a reply to the message at `seq`. Called in the transaction that
  // stores the message, so the duty is exactly as durable as the message and its ack.
  // Storing a reply to that message (an assistant row whose ref is `seq`) discharges it.
  virtual void await_reply(const std::string& room, std::uint64_t seq, const std::string& options,
                           std::int64_t since_ms) = 0;
  // Replies owed and not begun (a crash or a stop came first), oldest first.
  virtual std::vector<PendingReply> pending_replies() = 0;
  // Gives up the duty for `seq` (its message is gone or no longer answerable).
  virtual void drop_pending_reply(const std::string& room, std::uint64_t seq) = 0;

  // The rooms' documents and their passages (same thread, same database).
  virtual DocumentStore& documents() = 0;
  // Reminders set in the rooms (same thread, same database).
  virtual ReminderStore& reminders() = 0;

  // Runs `work` inside one transaction: all its writes commit together or not at all
  // (group commit for a batch of appends). Nested calls join the outer transaction.
  virtual void batch(const std::function<void()>& work) = 0;
};

}  // namespace parley::history
