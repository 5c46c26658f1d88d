#include "parley/history/sqlite_history_store.hpp"

#include "fts_match.hpp"
#include "sqlite_document_store.hpp"
#include "sqlite_reminder_store.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <limits>
#include <random>
#include <utility>

#include "migrations.hpp"
#include "open_database.hpp"
#include "row_mapping.hpp"
#include "scoped_guards.hpp"

namespace parley::history {
namespace {

// Upper bound on one read, whatever the caller asks for.
constexpr std::uint32_t kMaxRowsPerRead = 1000;

std::string message_query(const std::string& tail) {
  return std::string("SELECT ") + rows::kMessageColumns + " FROM messages m " + tail;
}

// Reads and updates name their room through this subquery: one statement, no lookup first.
constexpr const char* kRoomIdByName = "(SELECT id FROM rooms WHERE name = ?1)";

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string new_epoch() {
  std::random_device rd;
  const std::uint64_t bits = (std::uint64_t{rd()} << 32) ^ std::uint64_t{rd()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string epoch(16, '0');
  for (std::size_t i = 0; i < epoch.size(); ++i) epoch[i] = kHex[(bits >> (60 - 4 * i)) & 0xF];
  return epoch;
}

// seq values beyond INT64_MAX cannot exist in SQLite; saturate rather than wrap.
std::int64_t to_db(std::uint64_t v) {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  return static_cast<std::int64_t>(std::min(v, kMax));
}

struct RoomRow {
  std::int64_t id = 0;
  RoomInfo info;
};

}  // namespace

struct SqliteHistoryStore::Impl {
  explicit Impl(const std::string& path)
      : db(open_database(path)),
        select_room(db,
                    "SELECT id, epoch, head_seq, type, owner, assistant FROM rooms WHERE name = ?1"),
        insert_room(db,
                    "INSERT OR IGNORE INTO rooms (name, epoch, head_seq, created_ms) "
                    "VALUES (?1, ?2, 0, ?3)"),
        select_by_client_id(db, message_query("WHERE room_id = ?1 AND author = ?2 COLLATE NOCASE "
                                              "AND client_id = ?3")),
        insert_message(db,
                       "INSERT INTO messages (room_id, seq, author, kind, text, client_id, "
                       "gen_id, status, ts_ms, ref_seq, data) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
        set_head(db, "UPDATE rooms SET head_seq = ?2 WHERE id = ?1"),
        update_message(db, std::string("UPDATE messages SET text = ?3, status = ?4 "
                                       "WHERE room_id = ") +
                               kRoomIdByName + " AND seq = ?2 AND status = 'streaming'"),
        select_at(db, message_query(std::string("WHERE room_id = ") + kRoomIdByName +
                                    " AND seq = ?2")),
        select_recent(db, message_query(std::string("WHERE room_id = ") + kRoomIdByName +
                                        " ORDER BY seq DESC LIMIT ?2")),
        select_after(db, message_query(std::string("WHERE room_id = ") + kRoomIdByName +
                                       " AND seq > ?2 ORDER BY seq LIMIT ?3")),
        select_streaming(db,
                         "SELECT r.name, m.seq, m.text FROM messages m JOIN rooms r ON "
                         "r.id = m.room_id WHERE m.status = 'streaming' ORDER BY r.name, m.seq"),
        delete_pending(db, "DELETE FROM pending_replies WHERE room_id = ?1 AND seq = ?2"),
        select_search_queue(db, "SELECT doc FROM search_queue ORDER BY doc LIMIT ?1"),
        index_queued(db,
                     "INSERT INTO message_search (rowid, text) SELECT q.doc, m.text "
                     "FROM search_queue q JOIN messages m ON m.room_id = q.doc >> 32 "
                     "AND m.seq = (q.doc & 4294967295) WHERE q.doc <= ?1"),
        drop_queued(db, "DELETE FROM search_queue WHERE doc <= ?1"),
        select_member_role(db, std::string("SELECT role FROM room_members WHERE room_id = ") +
                                   kRoomIdByName + " AND user = ?2"),
        savepoint(db, "SAVEPOINT parley_batch"),
        release(db, "RELEASE parley_batch"),
        rollback_to(db, "ROLLBACK TO parley_batch") {}

  // Runs a prepared statement that returns no rows, ready to run again.
  static void run(SQLite::Statement& s) {
    ResetOnExit reset(s);
    s.exec();
  }

  std::optional<RoomRow> find_room(const std::string& name) {
    ResetOnExit reset(select_room);
    select_room.bind(1, name);
    if (!select_room.executeStep()) return std::nullopt;
    RoomRow row;
    row.id = select_room.getColumn(0).getInt64();
    row.info.name = name;
    row.info.epoch = select_room.getColumn(1).getString();
    row.info.head_seq = static_cast<std::uint64_t>(select_room.getColumn(2).getInt64());
    row.info.type = rows::room_type_from_text(select_room.getColumn(3).getText());
    row.info.owner = select_room.getColumn(4).getString();
    row.info.assistant = rows::assistant_from_text(select_room.getColumn(5).getText());
    return row;
  }

  RoomRow ensure_room(const std::string& name) {
    if (auto row = find_room(name)) return *row;
    {
      ResetOnExit reset(insert_room);
      insert_room.bind(1, name);
      insert_room.bind(2, new_epoch());
      insert_room.bind(3, now_ms());
      insert_room.exec();
    }
    if (auto row = find_room(name)) return *row;
    throw SQLite::Exception("history: room '" + name + "' vanished right after creation");
  }

  std::optional<ChatMessage> find_by_client_id(std::int64_t room_id, const NewMessage& m) {
    ResetOnExit reset(select_by_client_id);
    select_by_client_id.bind(1, room_id);
    select_by_client_id.bind(2, m.author);
    select_by_client_id.bind(3, m.client_id);
    if (!select_by_client_id.executeStep()) return std::nullopt;
    return rows::read_message(select_by_client_id, m.room);
  }

  AppendResult append(const NewMessage& m) {
    const RoomRow room = ensure_room(m.room);
    if (!m.client_id.empty()) {
      if (auto original = find_by_client_id(room.id, m)) return {std::move(*original), true};
    }
    ChatMessage stored{m.room,      room.info.head_seq + 1, m.author, m.kind,  m.text,
                       m.client_id, m.gen_id,               m.status, m.ts_ms, m.ref,
                       m.data};
    // The row goes in before the head moves: if the insert fails, nothing changed, even
    // inside a caller's batch that goes on to commit.
    {
      ResetOnExit reset(insert_message);
      insert_message.bind(1, room.id);
      insert_message.bind(2, to_db(stored.seq));
      insert_message.bind(3, stored.author);
      insert_message.bind(4, rows::kind_text(stored.kind));
      insert_message.bind(5, stored.text);
      rows::bind_optional_text(insert_message, 6, stored.client_id);
      rows::bind_optional_text(insert_message, 7, stored.gen_id);
      insert_message.bind(8, rows::status_text(stored.status));
      insert_message.bind(9, stored.ts_ms);
      if (stored.ref == 0) {
        insert_message.bind(10);
      } else {
        insert_message.bind(10, to_db(stored.ref));
      }
      rows::bind_optional_text(insert_message, 11, stored.data);
      insert_message.exec();
    }
    {
      ResetOnExit reset(set_head);
      set_head.bind(1, room.id);
      set_head.bind(2, to_db(stored.seq));
      set_head.exec();
    }
    if (stored.kind == MessageKind::assistant && stored.ref != 0) {
      // A reply has begun: the duty to answer its message is now the reply's own row.
      ResetOnExit reset(delete_pending);
      delete_pending.bind(1, room.id);
      delete_pending.bind(2, to_db(stored.ref));
      delete_pending.exec();
    }
    return {std::move(stored), false};
  }

  std::vector<ChatMessage> read_all(SQLite::Statement& statement, const std::string& room) {
    std::vector<ChatMessage> out;
    while (statement.executeStep()) out.push_back(rows::read_message(statement, room));
    return out;
  }

  // Runs `f` in a write transaction of its own unless a batch is already open, in which
  // case `f` becomes part of that batch.
  template <class F>
  auto in_transaction(F&& f) {
    if (batch_depth > 0) return f();
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    DepthGuard depth(batch_depth);
    auto result = f();
    tx.commit();
    return result;
  }

  SQLite::Database db;  // first: the statements below refer to it
  SQLite::Statement select_room;
  SQLite::Statement insert_room;
  SQLite::Statement select_by_client_id;
  SQLite::Statement insert_message;
  SQLite::Statement set_head;
  SQLite::Statement update_message;
  SQLite::Statement select_at;
  SQLite::Statement select_recent;
  SQLite::Statement select_after;
  SQLite::Statement select_streaming;
  SQLite::Statement delete_pending;
  SQLite::Statement select_search_queue;
  SQLite::Statement index_queued;
  SQLite::Statement drop_queued;
  SQLite::Statement select_member_role;
  // The savepoint of every job of a group commit, prepared once instead of parsed per job.
  SQLite::Statement savepoint;
  SQLite::Statement release;
  SQLite::Statement rollback_to;
  int batch_depth = 0;  // > 0 while a transaction opened by batch() is running
};

SqliteHistoryStore::SqliteHistoryStore(const std::string& path)
    : impl_(std::make_unique<Impl>(path)),
      documents_(std::make_unique<SqliteDocumentStore>(impl_->db)),
      reminders_(std::make_unique<SqliteReminderStore>(impl_->db)) {}

DocumentStore& SqliteHistoryStore::documents() { return *documents_; }
ReminderStore& SqliteHistoryStore::reminders() { return *reminders_; }

SqliteHistoryStore::~SqliteHistoryStore() = default;

RoomInfo SqliteHistoryStore::ensure_room(const std::string& room) {
  return impl_->ensure_room(room).info;
}

std::optional<RoomInfo> SqliteHistoryStore::find_room(const std::string& room) {
  if (auto row = impl_->find_room(room)) return std::move(row->info);
  return std::nullopt;
}

AppendResult SqliteHistoryStore::append(const NewMessage& m) {
  return impl_->in_transaction([&] { return impl_->append(m); });
}

bool SqliteHistoryStore::update(const std::string& room, std::uint64_t seq,
                                const std::string& text, MessageStatus status) {
  // One statement: atomic on its own, and part of the batch when one is open.
  auto& s = impl_->update_message;
  ResetOnExit reset(s);
  s.bind(1, room);
  s.bind(2, to_db(seq));
  s.bind(3, text);
  s.bind(4, rows::status_text(status));
  return s.exec() > 0;
}

std::optional<ChatMessage> SqliteHistoryStore::end_reply(const std::string& room,
                                                         std::uint64_t reply_seq,
                                                         const std::string& text,
                                                         MessageStatus status,
                                                         std::int64_t ts_ms,
                                                         const std::string& data) {
  return impl_->in_transaction([&]() -> std::optional<ChatMessage> {
    auto reply = at(room, reply_seq);
    if (!reply || reply->kind != MessageKind::assistant ||
        reply->status != MessageStatus::streaming) {
      return std::nullopt;
    }
    update(room, reply_seq, text, status);
    NewMessage end;
    end.room = room;
    end.author = reply->author;
    end.kind = MessageKind::end;
    end.gen_id = reply->gen_id;
    end.status = status;
    end.ts_ms = ts_ms;
    end.ref = reply_seq;
    end.data = data;
    ChatMessage stored = impl_->append(end).message;
    stored.text = text;
    return stored;
  });
}

std::optional<RoomInfo> SqliteHistoryStore::create_room(const std::string& room, RoomType type,
                                                        const std::string& owner,
                                                        AssistantMode assistant) {
  return impl_->in_transaction([&]() -> std::optional<RoomInfo> {
    if (impl_->find_room(room)) return std::nullopt;
    SQLite::Statement insert(impl_->db,
                             "INSERT INTO rooms (name, epoch, head_seq, created_ms, type, owner, "
                             "assistant) VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6)");
    insert.bind(1, room);
    insert.bind(2, new_epoch());
    insert.bind(3, now_ms());
    insert.bind(4, protocol::to_string(type));
    insert.bind(5, owner);
    insert.bind(6, protocol::to_string(assistant));
    insert.exec();
    if (!owner.empty()) set_member(room, owner, MemberRole::owner);
    return impl_->find_room(room)->info;
  });
}

bool SqliteHistoryStore::delete_room(const std::string& room) {
  return impl_->in_transaction([&] {
    auto row = impl_->find_room(room);
    if (!row) return false;
    for (const char* sql : {"DELETE FROM pending_replies WHERE room_id = ?1",
                            "DELETE FROM messages WHERE room_id = ?1",
                            "DELETE FROM documents WHERE room_id = ?1",
                            "DELETE FROM reminders WHERE room_id = ?1",
                            "DELETE FROM room_members WHERE room_id = ?1",
                            "DELETE FROM rooms WHERE id = ?1"}) {
      SQLite::Statement s(impl_->db, sql);
      s.bind(1, row->id);
      s.exec();
    }
    return true;
  });
}

bool SqliteHistoryStore::set_assistant(const std::string& room, AssistantMode assistant) {
  SQLite::Statement s(impl_->db, "UPDATE rooms SET assistant = ?2 WHERE name = ?1");
  s.bind(1, room);
  s.bind(2, protocol::to_string(assistant));
  return s.exec() > 0;
}

bool SqliteHistoryStore::set_member(const std::string& room, const std::string& user,
                                    MemberRole role) {
  SQLite::Statement s(impl_->db,
                      std::string("INSERT INTO room_members (room_id, user, role, joined_ms) "
                                  "SELECT id, ?2, ?3, ?4 FROM rooms WHERE name = ?1 "
                                  "ON CONFLICT (room_id, user) DO UPDATE SET role = ?3"));
  s.bind(1, room);
  s.bind(2, user);
  s.bind(3, protocol::to_string(role));
  s.bind(4, now_ms());
  return s.exec() > 0;
}

bool SqliteHistoryStore::remove_member(const std::string& room, const std::string& user) {
  SQLite::Statement s(impl_->db, std::string("DELETE FROM room_members WHERE room_id = ") +
                                     kRoomIdByName + " AND user = ?2");
  s.bind(1, room);
  s.bind(2, user);
  return s.exec() > 0;
}

std::optional<MemberRole> SqliteHistoryStore::member_role(const std::string& room,
                                                          const std::string& user) {
  // Asked on every send: prepared once.
  auto& s = impl_->select_member_role;
  ResetOnExit reset(s);
  s.bind(1, room);
  s.bind(2, user);
  if (!s.executeStep()) return std::nullopt;
  return rows::role_from_text(s.getColumn(0).getText());
}

std::vector<Member> SqliteHistoryStore::members(const std::string& room) {
  SQLite::Statement s(impl_->db,
                      std::string("SELECT user, role FROM room_members WHERE room_id = ") +
                          kRoomIdByName +
                          " ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END,"
                          " user");
  s.bind(1, room);
  std::vector<Member> out;
  while (s.executeStep()) {
    out.push_back(Member{s.getColumn(0).getString(), rows::role_from_text(s.getColumn(1).getText())});
  }
  return out;
}

std::vector<MemberRoom> SqliteHistoryStore::rooms_of(const std::string& user) {
  SQLite::Statement s(impl_->db,
                      "SELECT r.name, r.epoch, r.head_seq, r.type, r.owner, r.assistant, m.role, "
                      "m.read_seq, (SELECT COUNT(*) FROM messages x WHERE x.room_id = r.id AND "
                      "x.seq > m.read_seq AND x.kind != 'end' AND x.author != ?1 COLLATE NOCASE) "
                      "FROM room_members m JOIN rooms r ON r.id = m.room_id "
                      "WHERE m.user = ?1 ORDER BY r.name");
  s.bind(1, user);
  std::vector<MemberRoom> out;
  while (s.executeStep()) {
    MemberRoom r;
    r.room.name = s.getColumn(0).getString();
    r.room.epoch = s.getColumn(1).getString();
    r.room.head_seq = static_cast<std::uint64_t>(s.getColumn(2).getInt64());
    r.room.type = rows::room_type_from_text(s.getColumn(3).getText());
    r.room.owner = s.getColumn(4).getString();
    r.room.assistant = rows::assistant_from_text(s.getColumn(5).getText());
    r.role = rows::role_from_text(s.getColumn(6).getText());
    r.read_seq = static_cast<std::uint64_t>(s.getColumn(7).getInt64());
    r.unread = static_cast<std::uint64_t>(s.getColumn(8).getInt64());
    out.push_back(std::move(r));
  }
  return out;
}

bool SqliteHistoryStore::create_account(const Account& account) {
  SQLite::Statement s(impl_->db,
                      "INSERT INTO accounts (name, password_hash, role, created_ms) "
                      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO NOTHING");
  s.bind(1, account.name);
  s.bind(2, account.password_hash);
  s.bind(3, account.role);
  s.bind(4, now_ms());
  return s.exec() > 0;
}

std::optional<Account> SqliteHistoryStore::find_account(const std::string& name) {
  SQLite::Statement s(impl_->db,
                      "SELECT name, password_hash, role FROM accounts WHERE name = ?1");
  s.bind(1, name);
  if (!s.executeStep()) return std::nullopt;
  return Account{s.getColumn(0).getString(), s.getColumn(1).getString(),
                 s.getColumn(2).getString()};
}

std::vector<std::string> SqliteHistoryStore::account_names() {
  SQLite::Statement s(impl_->db, "SELECT name FROM accounts ORDER BY name");
  std::vector<std::string> out;
  while (s.executeStep()) out.push_back(s.getColumn(0).getString());
  return out;
}

std::uint64_t SqliteHistoryStore::account_count() {
  return static_cast<std::uint64_t>(impl_->db.execAndGet("SELECT COUNT(*) FROM accounts").getInt64());
}

std::pair<std::uint64_t, std::uint64_t> SqliteHistoryStore::totals() {
  SQLite::Statement s(impl_->db,
                      "SELECT (SELECT COUNT(*) FROM rooms), (SELECT COUNT(*) FROM messages)");
  s.executeStep();
  return {static_cast<std::uint64_t>(s.getColumn(0).getInt64()),
          static_cast<std::uint64_t>(s.getColumn(1).getInt64())};
}

std::size_t SqliteHistoryStore::rooms_owned(const std::string& user) {
  SQLite::Statement s(impl_->db, "SELECT COUNT(*) FROM rooms WHERE owner = ?1 COLLATE NOCASE");
  s.bind(1, user);
  s.executeStep();
  return static_cast<std::size_t>(s.getColumn(0).getInt64());
}

std::optional<Marks> SqliteHistoryStore::mark(const std::string& room, const std::string& user,
                                             std::uint64_t delivered, std::uint64_t read) {
  return impl_->in_transaction([&]() -> std::optional<Marks> {
    auto row = impl_->find_room(room);
    if (!row) return std::nullopt;
    const auto head = static_cast<std::int64_t>(row->info.head_seq);
    SQLite::Statement up(impl_->db,
                         "UPDATE room_members SET "
                         "delivered_seq = MAX(delivered_seq, MIN(?3, ?4)), "
                         "read_seq = MAX(read_seq, MIN(?5, ?4)) "
                         "WHERE room_id = ?1 AND user = ?2 RETURNING delivered_seq, read_seq");
    up.bind(1, row->id);
    up.bind(2, user);
    up.bind(3, to_db(delivered));
    up.bind(4, head);
    up.bind(5, to_db(read));
    if (!up.executeStep()) return std::nullopt;
    Marks m;
    m.delivered = static_cast<std::uint64_t>(up.getColumn(0).getInt64());
    m.read = static_cast<std::uint64_t>(up.getColumn(1).getInt64());
    return m;
  });
}

std::vector<ChatMessage> SqliteHistoryStore::recent(const std::string& room,
                                                    std::uint32_t limit) {
  auto& s = impl_->select_recent;
  ResetOnExit reset(s);
  s.bind(1, room);
  s.bind(2, std::min(limit, kMaxRowsPerRead));
  auto newest_first = impl_->read_all(s, room);
  std::reverse(newest_first.begin(), newest_first.end());
  return newest_first;
}

std::vector<ChatMessage> SqliteHistoryStore::after(const std::string& room,
                                                   std::uint64_t after_seq,
                                                   std::uint32_t limit) {
  auto& s = impl_->select_after;
  ResetOnExit reset(s);
  s.bind(1, room);
  s.bind(2, to_db(after_seq));
  s.bind(3, std::min(limit, kMaxRowsPerRead));
  return impl_->read_all(s, room);
}

std::vector<ChatMessage> SqliteHistoryStore::before(const std::string& room,
                                                    std::uint64_t before_seq,
                                                    std::uint32_t limit) {
  SQLite::Statement s(impl_->db,
                      message_query(std::string("WHERE room_id = ") + kRoomIdByName +
                                    " AND seq < ?2 ORDER BY seq DESC LIMIT ?3"));
  s.bind(1, room);
  s.bind(2, to_db(before_seq));
  s.bind(3, std::min(limit, kMaxRowsPerRead));
  auto newest_first = impl_->read_all(s, room);
  std::reverse(newest_first.begin(), newest_first.end());
  return newest_first;
}

std::optional<ChatMessage> SqliteHistoryStore::at(const std::string& room, std::uint64_t seq) {
  auto& s = impl_->select_at;
  ResetOnExit reset(s);
  s.bind(1, room);
  s.bind(2, to_db(seq));
  if (!s.executeStep()) return std::nullopt;
  return rows::read_message(s, room);
}

std::vector<SearchHit> SqliteHistoryStore::search(const std::string& room,
                                                  const std::vector<std::string>& terms,
                                                  std::uint64_t before_seq, std::uint32_t limit) {
  std::vector<SearchHit> hits;
  const std::string match = fts_any_of(terms);
  if (match.empty() || before_seq <= 1 || limit == 0) return hits;
  while (index_search(4096) > 0) {
  }
  const auto room_row = impl_->find_room(room);
  if (!room_row) return hits;
  const std::int64_t base = room_row->id * 4294967296LL;
  SQLite::Statement s(impl_->db,
                      "SELECT rowid - ?2, -bm25(message_search), "
                      "snippet(message_search, 0, '', '', '\u2026', 16) "
                      "FROM message_search WHERE message_search MATCH ?1 "
                      "AND rowid BETWEEN ?2 AND ?3 ORDER BY bm25(message_search) LIMIT ?4");
  s.bind(1, match);
  s.bind(2, base);
  s.bind(3, base + to_db(before_seq - 1));
  s.bind(4, static_cast<std::int64_t>(limit));
  std::vector<std::pair<std::uint64_t, std::pair<double, std::string>>> found;
  while (s.executeStep()) {
    found.push_back({static_cast<std::uint64_t>(s.getColumn(0).getInt64()),
                     {s.getColumn(1).getDouble(), s.getColumn(2).getString()}});
  }
  for (auto& [seq, rest] : found) {
    if (auto m = at(room, seq)) hits.push_back({std::move(*m), rest.first, std::move(rest.second)});
  }
  return hits;
}

std::size_t SqliteHistoryStore::index_search(std::size_t limit) {
  return impl_->in_transaction([&]() -> std::size_t {
    auto& pick = impl_->select_search_queue;
    ResetOnExit reset_pick(pick);
    pick.bind(1, static_cast<std::int64_t>(limit));
    std::size_t done = 0;
    std::int64_t last = 0;
    while (pick.executeStep()) {
      last = pick.getColumn(0).getInt64();
      ++done;
    }
    if (done == 0) return 0;
    auto& copy = impl_->index_queued;
    ResetOnExit reset_copy(copy);
    copy.bind(1, last);
    copy.exec();
    auto& drop = impl_->drop_queued;
    ResetOnExit reset_drop(drop);
    drop.bind(1, last);
    drop.exec();
    return done;
  });
}

std::size_t SqliteHistoryStore::interrupt_streaming() {
  struct Cut {
    std::string room;
    std::uint64_t seq;
    std::string text;
  };
  std::vector<Cut> cuts;
  {
    auto& s = impl_->select_streaming;
    ResetOnExit reset(s);
    while (s.executeStep()) {
      cuts.push_back({s.getColumn(0).getString(),
                      static_cast<std::uint64_t>(s.getColumn(1).getInt64()),
                      s.getColumn(2).getString()});
    }
  }
  std::size_t ended = 0;
  impl_->in_transaction([&] {
    for (const Cut& c : cuts) {
      if (end_reply(c.room, c.seq, c.text, MessageStatus::interrupted, now_ms())) ++ended;
    }
    return 0;
  });
  return ended;
}

void SqliteHistoryStore::await_reply(const std::string& room, std::uint64_t seq,
                                     const std::string& options, std::int64_t since_ms) {
  SQLite::Statement s(impl_->db, std::string("INSERT OR IGNORE INTO pending_replies "
                                             "(room_id, seq, options, since_ms) SELECT ") +
                                     "id, ?2, ?3, ?4 FROM rooms WHERE name = ?1");
  s.bind(1, room);
  s.bind(2, to_db(seq));
  s.bind(3, options);
  s.bind(4, since_ms);
  s.exec();
}

std::vector<PendingReply> SqliteHistoryStore::pending_replies() {
  SQLite::Statement s(impl_->db,
                      "SELECT r.name, p.seq, p.options, p.since_ms FROM pending_replies p "
                      "JOIN rooms r ON r.id = p.room_id ORDER BY p.since_ms, r.name, p.seq");
  std::vector<PendingReply> out;
  while (s.executeStep()) {
    out.push_back({s.getColumn(0).getString(), static_cast<std::uint64_t>(s.getColumn(1).getInt64()),
                   s.getColumn(2).getString(), s.getColumn(3).getInt64()});
  }
  return out;
}

void SqliteHistoryStore::drop_pending_reply(const std::string& room, std::uint64_t seq) {
  SQLite::Statement s(impl_->db, std::string("DELETE FROM pending_replies WHERE room_id = ") +
                                     kRoomIdByName + " AND seq = ?2");
  s.bind(1, room);
  s.bind(2, to_db(seq));
  s.exec();
}

void SqliteHistoryStore::batch(const std::function<void()>& work) {
  if (impl_->batch_depth == 0) {
    SQLite::Transaction tx(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    DepthGuard depth(impl_->batch_depth);
    work();
    tx.commit();
    return;
  }
  // Nested: a savepoint joins the outer transaction (nothing is durable before the
  // outer commit) yet undoes only this work if it throws and the caller carries on.
  Impl::run(impl_->savepoint);
  DepthGuard depth(impl_->batch_depth);
  try {
    work();
  } catch (...) {
    try {
      Impl::run(impl_->rollback_to);
      Impl::run(impl_->release);
    } catch (const SQLite::Exception&) {
      // The outer transaction is failing anyway; report the original error.
    }
    throw;
  }
  Impl::run(impl_->release);
}

int SqliteHistoryStore::schema_version() const {
  return migrations::current_version(impl_->db);
}

}  // namespace parley::history
