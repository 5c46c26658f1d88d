// HistoryStore on one SQLite file (WAL, synchronous=FULL) through SQLiteCpp.
#pragma once

#include <memory>
#include <string>

#include "parley/history/history_store.hpp"

namespace parley::history {

class SqliteHistoryStore final : public HistoryStore {
 public:
  // Opens or creates the database at `path` (":memory:" for tests) and migrates it to
  // the current schema version. Throws SQLite::Exception when the file cannot be used
  // or was written by a newer version of Parley.
  explicit SqliteHistoryStore(const std::string& path);
  ~SqliteHistoryStore() override;

  RoomInfo ensure_room(const std::string& room) override;
  std::optional<RoomInfo> find_room(const std::string& room) override;
  std::optional<RoomInfo> create_room(const std::string& room, RoomType type,
                                      const std::string& owner,
                                      AssistantMode assistant) override;
  bool delete_room(const std::string& room) override;
  bool set_assistant(const std::string& room, AssistantMode assistant) override;
  bool set_member(const std::string& room, const std::string& user, MemberRole role) override;
  bool remove_member(const std::string& room, const std::string& user) override;
  std::optional<MemberRole> member_role(const std::string& room,
                                        const std::string& user) override;
  std::vector<Member> members(const std::string& room) override;
  std::vector<MemberRoom> rooms_of(const std::string& user) override;
  std::size_t rooms_owned(const std::string& user) override;
  bool create_account(const Account& account) override;
  std::optional<Account> find_account(const std::string& name) override;
  std::uint64_t account_count() override;
  std::vector<std::string> account_names() override;
  std::pair<std::uint64_t, std::uint64_t> totals() override;
  std::optional<Marks> mark(const std::string& room, const std::string& user,
                            std::uint64_t delivered, std::uint64_t read) override;
  AppendResult append(const NewMessage& m) override;
  bool update(const std::string& room, std::uint64_t seq, const std::string& text,
              MessageStatus status) override;
  std::optional<ChatMessage> end_reply(const std::string& room, std::uint64_t reply_seq,
                                       const std::string& text, MessageStatus status,
                                       std::int64_t ts_ms, const std::string& data = {}) override;
  std::vector<ChatMessage> recent(const std::string& room, std::uint32_t limit) override;
  std::vector<ChatMessage> after(const std::string& room, std::uint64_t after_seq,
                                 std::uint32_t limit) override;
  std::vector<ChatMessage> before(const std::string& room, std::uint64_t before_seq,
                                  std::uint32_t limit) override;
  std::optional<ChatMessage> at(const std::string& room, std::uint64_t seq) override;
  std::vector<SearchHit> search(const std::string& room, const std::vector<std::string>& terms,
                                std::uint64_t before_seq, std::uint32_t limit) override;
  std::size_t index_search(std::size_t limit) override;
  std::size_t interrupt_streaming() override;
  void await_reply(const std::string& room, std::uint64_t seq, const std::string& options,
                   std::int64_t since_ms) override;
  std::vector<PendingReply> pending_replies() override;
  void drop_pending_reply(const std::string& room, std::uint64_t seq) override;
  void batch(const std::function<void()>& work) override;
  DocumentStore& documents() override;
  ReminderStore& reminders() override;

  int schema_version() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::unique_ptr<DocumentStore> documents_;
  std::unique_ptr<ReminderStore> reminders_;
};

}  // namespace parley::history
