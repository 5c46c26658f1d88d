// The client's conversation logic, free of I/O and clocks so that it runs the same in
// the browser and in unit tests. The platform feeds it transport events, UI intents and
// the time, and carries out what it asks for:
//
//   session.tick(now);
//   if (session.take_close_request()) close the socket (already counted as dropped);
//   if (session.take_connect_request(now)) open a socket, later on_connected/on_disconnected;
//   for (auto& frame : session.take_outbox()) write frame;
//
// Reconnection, heartbeats, resuming from the last position, history merging and
// resending of unacknowledged messages all happen here; the platform never decides any
// of it. It only stores saved() whenever saved_revision() changes and hands it back to
// restore() after a page reload.
//
// Position: the session remembers the room's epoch and the highest seq up to which it
// holds every event. Each (re)connect resumes from there (Join with after_seq), pages
// through any gap, and only then goes live, so nothing is missed or shown twice.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parley/backoff.hpp"
#include "parley/protocol.hpp"
#include "parley/room_signals.hpp"
#include "parley/room_documents.hpp"
#include "parley/room_transcript.hpp"
#include "parley/saved_session.hpp"
#include "parley/validation.hpp"

namespace parley::client {

// `offline`: waiting to reconnect while the platform reports no network.
enum class ConnectionState { disconnected, connecting, connected, reconnecting, offline };
const char* to_string(ConnectionState s);

struct SessionOptions {
  std::string room = "lobby";
  std::uint32_t history_limit = 50;
  std::string client = "parley-web/0.1";
  BackoffParams backoff;
  std::int64_t connect_timeout_ms = 10000;  // open + welcome + joined must fit in this
  std::int64_t stable_after_ms = 10000;     // a connection up this long resets the backoff
  std::uint32_t default_heartbeat_ms = 15000;  // when the server announces none
};

class Session {
 public:
  using IdGenerator = std::function<std::string()>;
  using Random01 = std::function<double()>;

  Session(SessionOptions options, IdGenerator next_id, Random01 random01);

  // ---- UI intents ----
  // Signs in as `name`, with an access token when the user signed in to an account (the
  // server then takes the name from the token); the connection opens at the next
  // take_connect_request.
  validation::Verdict start(std::string_view name, std::string token = {});
  // Queues a message; it is written now when the room is joined, else after joining.
  // `edits` non-zero: the message is a new version of the user's own message at that
  // seq (edit and resend), kept and resent like any other send.
  // `options` shape the assistant's answer (checked here as the server checks them).
  validation::Verdict send(std::string_view text, std::int64_t now_ms, std::uint64_t edits = 0,
                           std::optional<protocol::GenerationOptions> options = std::nullopt);
  // Skips the rest of the reconnect delay.
  void retry_now();
  void dismiss_error() { last_error_.reset(); }
  // The platform's view of the network (navigator.onLine). Coming back online retries at
  // once; while offline the session keeps its backoff but reports `offline`.
  void set_online(bool online);
  // The page became visible again: retry at once, and when connected ping now so a
  // connection that died while hidden is noticed within one heartbeat interval.
  void on_visible(std::int64_t now_ms);
  // Whether the user can see the transcript (the page is visible): only then do new
  // messages count as read.
  void set_visible(bool visible) { visible_ = visible; }
  // The user is (or stopped) typing a message: tells the room, renewing while it lasts.
  void set_typing(bool active, std::int64_t now_ms);

  // ---- rooms ----
  // Shows another room: resumes it from its remembered position (or its recent history).
  // Refused while messages of the current room are still being sent.
  validation::Verdict switch_room(std::string_view room);
  // Creates a room owned by the user and switches to it once the server made it.
  validation::Verdict create_room(std::string_view room, protocol::RoomType type);
  // Gives up membership of the current room and goes back to the default room.
  void leave_room();
  // Deletes the current room (its owner only; the server says no to anyone else) and,
  // once the server confirms, goes back to the default room.
  void delete_room();
  // The user's role in the room on screen, when the room list has it.
  std::optional<protocol::MemberRole> role() const;
  // Asks for the room list again (unread counts).
  void refresh_rooms();
  // Member management of the room on screen (the server checks the user's role and
  // answers with the room's new details, or an error).
  void invite(std::string_view user, protocol::MemberRole role);
  void remove_member(std::string_view user);
  void set_assistant(protocol::AssistantMode mode);
  // Stops the assistant's generation `gen_id` in the room on screen; the reply keeps its
  // text so far and ends as stopped.
  void stop_generation(std::string_view gen_id);
  // Asks for another version of the assistant's reply at `seq`; it streams in as a new
  // reply, shown in place of the earlier version (show_version switches between them).
  void regenerate(std::uint64_t seq,
                  std::optional<protocol::GenerationOptions> options = std::nullopt);
  // Shows the previous (`step` < 0) or next version of the message at `seq`.
  void show_version(std::uint64_t seq, int step);

  // Answers the interactive component of the message at `seq`: "submit" with a form's
  // values (a JSON object of strings), or a button's id.
  void submit_component(std::uint64_t seq, std::string_view action, std::string values_json);

  // ---- documents ----
  // Uploads a file to the room on screen (chunked; resumed after a reconnect). The
  // room cannot be switched until it is done or failed.
  validation::Verdict upload(std::string_view file_name, std::string_view media_type,
                             std::string bytes);
  void delete_document(std::uint64_t id);
  const RoomDocuments& documents() const { return documents_; }

  // The room's conversation state (voice front-ends; section 15a of the protocol).
  const std::string& conversation_state() const { return conversation_state_; }
  void request_state(std::string_view state, std::string_view reason = {});

  // ---- scroll-back ----
  // True while the room has events older than the oldest one held.
  bool has_older() const { return floor_ > 1; }
  bool loading_older() const { return older_pending_; }
  // Asks for up to `limit` events before the oldest one held (no-op while a page is on
  // its way, before the room is live, or when there is nothing older). The page is put
  // in front of the transcript when it arrives.
  void load_older(std::uint32_t limit = 100);
  // The oldest seq from which every event up to position() is held (0 when unknown).
  std::uint64_t floor() const { return floor_; }
  // The user's rooms as last listed by the server.
  const std::vector<protocol::RoomSummary>& rooms() const { return rooms_; }
  // The current room's members, when known.
  const std::vector<protocol::Member>& members() const { return members_; }

  // ---- persistence ----
  // The session as it must survive a reload; changes whenever saved_revision() does.
  SavedSession saved() const;
  std::uint64_t saved_revision() const { return saved_revision_; }
  // Signs in again from a saved session (only while signed out): the user, the room's
  // position and the unsent messages, which are resent after joining. Returns false
  // and changes nothing when the session is already signed in.
  bool restore(const SavedSession& saved);

  // ---- transport events ----
  void on_connected(std::int64_t now_ms);
  void on_disconnected(std::int64_t now_ms, std::string_view reason);
  void on_frame(std::int64_t now_ms, std::string_view text);
  void tick(std::int64_t now_ms);

  // ---- requests to the platform ----
  bool take_connect_request(std::int64_t now_ms);
  bool take_close_request();
  std::vector<std::string> take_outbox();

  // ---- state for the UI ----
  ConnectionState connection() const;
  // Time left before the next attempt while reconnecting, else 0.
  std::int64_t reconnect_in_ms(std::int64_t now_ms) const;
  bool signed_in() const { return phase_ != Phase::signed_out; }
  // True once a connection of this sign-in was lost (attempts are then reconnects).
  bool has_dropped() const { return dropped_before_; }
  // The name the server accepted, or the one asked for before the welcome.
  const std::string& user() const { return user_; }
  const std::string& room() const { return options_.room; }
  const RoomTranscript& transcript() const { return transcript_; }
  const RoomSignals& signals() const { return signals_; }
  const std::optional<protocol::Error>& last_error() const { return last_error_; }
  const std::string& disconnect_reason() const { return disconnect_reason_; }
  std::uint32_t heartbeat_ms() const { return heartbeat_ms_; }
  // The room's epoch and the seq up to which every event is held ("" / 0 before any).
  const std::string& epoch() const { return epoch_; }
  std::uint64_t position() const { return position_; }
  // How many resume pages the current join has taken so far (1 for a single answer).
  std::uint32_t resume_pages() const { return resume_pages_; }

 private:
  enum class Phase { signed_out, waiting, opening, handshaking, joining, live };

  void handle(std::int64_t now_ms, protocol::Message&& m);
  void on_welcome(const protocol::Welcome& w);
  void on_joined(std::int64_t now_ms, const protocol::Joined& j);
  void on_history_page(const protocol::HistoryPage& p);
  // A positioned live event: true when it is the next one (or an old repeat) and may be
  // applied; on a gap the session resumes from its position instead.
  bool accept_position(std::uint64_t seq);
  void write_join(std::uint32_t history_limit);
  void changed() { ++saved_revision_; }
  void send_marks(std::int64_t now_ms);
  void on_room_event(const protocol::Message& m);
  void show_room(const std::string& room);
  void on_error(std::int64_t now_ms, const protocol::Error& e);
  void drop(std::int64_t now_ms, std::string_view reason);
  void close_and_drop(std::int64_t now_ms, std::string_view reason);
  void write(const protocol::Message& m);
  void write_send(const Entry& e);
  bool socket_open() const;
  RoomDocuments::Writer writer();
  bool documents_frame_elsewhere(const protocol::Message& m) const;

  SessionOptions options_;
  IdGenerator next_id_;
  Backoff backoff_;
  RoomTranscript transcript_;
  RoomDocuments documents_;

  Phase phase_ = Phase::signed_out;
  std::string user_;
  std::string token_;
  std::string epoch_;
  std::uint64_t position_ = 0;
  std::uint64_t floor_ = 0;          // oldest seq held with nothing missing after it
  bool older_pending_ = false;       // a fetch_history is on its way
  std::string conversation_state_ = "idle";
  std::uint32_t resume_pages_ = 0;
  std::uint64_t saved_revision_ = 0;
  bool online_ = true;
  std::uint32_t heartbeat_ms_ = 0;
  std::size_t max_text_bytes_ = validation::kMaxTextBytes;  // the server's, from welcome
  bool dropped_before_ = false;  // shows "reconnecting" rather than "connecting"
  bool close_requested_ = false;
  std::int64_t next_attempt_ms_ = 0;
  std::int64_t attempt_started_ms_ = 0;
  std::int64_t live_since_ms_ = 0;
  std::int64_t last_frame_ms_ = 0;
  std::int64_t next_ping_ms_ = 0;
  std::int64_t resend_at_ms_ = 0;  // after rate_limited: when to resend pending sends
  RoomSignals signals_;
  std::string default_room_;                          // where leaving a room goes back to
  std::vector<SavedPosition> other_positions_;        // rooms not on screen
  std::vector<protocol::RoomSummary> rooms_;
  std::vector<protocol::Member> members_;
  std::string creating_;                              // a create_room awaiting its answer
  std::string deleting_;                              // a delete_room awaiting its answer
  bool visible_ = true;
  bool typing_ = false;              // what the room was last told
  std::int64_t typing_sent_ms_ = 0;
  std::uint64_t marked_delivered_ = 0;  // markers last sent
  std::uint64_t marked_read_ = 0;
  std::int64_t next_mark_ms_ = 0;
  std::uint64_t ping_nonce_ = 0;
  std::vector<std::string> outbox_;
  std::optional<protocol::Error> last_error_;
  std::string disconnect_reason_;
};

}  // namespace parley::client
