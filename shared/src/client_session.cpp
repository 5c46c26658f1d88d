#include "parley/client_session.hpp"

#include <algorithm>
#include <utility>

#include "parley/codec.hpp"
#include "parley/error_codes.hpp"

namespace parley::client {
namespace {

namespace codes = parley::error_codes;

// Errors about a send that retrying with the same text cannot fix.
bool is_final_send_error(std::string_view code) {
  return code == codes::invalid_text || code == codes::invalid_client_id ||
         code == codes::too_large || code == codes::bad_field || code == codes::overloaded ||
         code == codes::internal || code == codes::invalid_room;
}

}  // namespace

const char* to_string(ConnectionState s) {
  switch (s) {
    case ConnectionState::disconnected: return "disconnected";
    case ConnectionState::connecting: return "connecting";
    case ConnectionState::connected: return "connected";
    case ConnectionState::reconnecting: return "reconnecting";
    case ConnectionState::offline: return "offline";
  }
  return "disconnected";
}

Session::Session(SessionOptions options, IdGenerator next_id, Random01 random01)
    : options_(std::move(options)),
      next_id_(std::move(next_id)),
      backoff_(options_.backoff, std::move(random01)),
      default_room_(options_.room) {}

validation::Verdict Session::start(std::string_view name, std::string token) {
  validation::Verdict v = validation::check_name(name);
  if (!v) return v;
  if (phase_ != Phase::signed_out) return v;
  user_ = std::string(name);
  token_ = std::move(token);
  phase_ = Phase::waiting;
  next_attempt_ms_ = 0;
  dropped_before_ = false;
  backoff_.reset();
  last_error_.reset();
  changed();
  return v;
}

validation::Verdict Session::send(std::string_view text, std::int64_t now_ms, std::uint64_t edits,
                                  std::optional<protocol::GenerationOptions> options) {
  validation::Verdict v = validation::check_text(text, max_text_bytes_);
  if (!v) return v;
  if (options) {
    v = validation::check_options(*options);
    if (!v) return v;
  }
  if (phase_ == Phase::signed_out) {
    v.code = codes::not_joined;
    v.reason = "sign in first";
    return v;
  }
  Entry e;
  e.author = user_;
  e.kind = protocol::MessageKind::user;
  e.text = std::string(text);
  e.delivery = Delivery::sending;
  e.client_id = next_id_();
  e.ts_ms = now_ms;
  e.ref = edits;
  e.options = std::move(options);
  if (phase_ == Phase::live) write_send(e);
  transcript_.add_pending(std::move(e));
  changed();
  return v;
}

void Session::retry_now() {
  if (phase_ == Phase::waiting) next_attempt_ms_ = 0;
}

void Session::set_online(bool online) {
  const bool back = online && !online_;
  online_ = online;
  if (back) retry_now();
}

validation::Verdict Session::switch_room(std::string_view room) {
  validation::Verdict v = validation::check_room(room);
  if (!v || room == options_.room) return v;
  if (!transcript_.unacknowledged().empty()) {
    v.code = codes::forbidden;
    v.reason = "messages are still being sent in this room";
    return v;
  }
  if (documents_.busy()) {
    v.code = codes::forbidden;
    v.reason = "files are still being uploaded to this room";
    return v;
  }
  show_room(std::string(room));
  return v;
}

validation::Verdict Session::create_room(std::string_view room, protocol::RoomType type) {
  validation::Verdict v = validation::check_room(room);
  if (!v) return v;
  if (phase_ != Phase::live) {
    v.code = codes::not_joined;
    v.reason = "not connected";
    return v;
  }
  creating_ = std::string(room);
  write(protocol::CreateRoom{creating_, type, protocol::AssistantMode::always});
  return v;
}

void Session::leave_room() {
  if (options_.room == default_room_ || phase_ == Phase::signed_out) return;
  const std::string room = options_.room;
  write(protocol::Leave{room});
  std::erase_if(rooms_, [&](const protocol::RoomSummary& r) { return r.room == room; });
  show_room(default_room_);
  std::erase_if(other_positions_, [&](const SavedPosition& p) { return p.room == room; });
}

void Session::delete_room() {
  if (options_.room == default_room_ || phase_ != Phase::live) return;
  deleting_ = options_.room;
  write(protocol::DeleteRoom{options_.room});
}

std::optional<protocol::MemberRole> Session::role() const {
  for (const auto& r : rooms_)
    if (r.room == options_.room) return r.role;
  return std::nullopt;
}

void Session::refresh_rooms() { write(protocol::ListRooms{}); }

void Session::invite(std::string_view user, protocol::MemberRole role) {
  write(protocol::Invite{options_.room, std::string(user), role});
}

void Session::remove_member(std::string_view user) {
  write(protocol::RemoveMember{options_.room, std::string(user)});
}

void Session::set_assistant(protocol::AssistantMode mode) {
  write(protocol::SetAssistant{options_.room, mode});
}

void Session::request_state(std::string_view state, std::string_view reason) {
  write(protocol::StateChangeRequest{options_.room, std::string(state), std::string(reason)});
}

void Session::stop_generation(std::string_view gen_id) {
  write(protocol::StopGeneration{options_.room, std::string(gen_id)});
}

validation::Verdict Session::upload(std::string_view file_name, std::string_view media_type,
                                    std::string bytes) {
  if (phase_ == Phase::signed_out) {
    validation::Verdict v;
    v.code = codes::not_joined;
    v.reason = "sign in first";
    return v;
  }
  validation::Verdict v = documents_.add_upload(options_.room, next_id_(), std::string(file_name),
                                                std::string(media_type), std::move(bytes));
  if (v && phase_ == Phase::live) documents_.start_uploads(writer());
  changed();
  return v;
}

void Session::submit_component(std::uint64_t seq, std::string_view action,
                               std::string values_json) {
  write(protocol::ComponentSubmit{options_.room, seq, std::string(action), std::move(values_json)});
}

void Session::delete_document(std::uint64_t id) {
  write(protocol::DeleteDocument{options_.room, id});
}

RoomDocuments::Writer Session::writer() {
  return [this](const protocol::Message& m) { write(m); };
}

bool Session::documents_frame_elsewhere(const protocol::Message& m) const {
  // Document frames of a room no longer on screen (in flight when it was switched).
  if (auto* u = std::get_if<protocol::DocumentUpdate>(&m)) return u->document.room != options_.room;
  if (auto* l = std::get_if<protocol::DocumentList>(&m)) return l->room != options_.room;
  if (auto* d = std::get_if<protocol::DocumentDeleted>(&m)) return d->room != options_.room;
  return false;
}

void Session::regenerate(std::uint64_t seq, std::optional<protocol::GenerationOptions> options) {
  write(protocol::Regenerate{options_.room, seq, std::move(options)});
}

void Session::show_version(std::uint64_t seq, int step) {
  transcript_.show_version(seq, step);
  changed();
}

void Session::load_older(std::uint32_t limit) {
  if (phase_ != Phase::live || older_pending_ || !has_older()) return;
  older_pending_ = true;
  write(protocol::FetchHistory{options_.room, floor_, limit});
}

void Session::on_history_page(const protocol::HistoryPage& p) {
  // A page for another room, another epoch or an older request is stale: drop it.
  if (!older_pending_ || p.room != options_.room || p.epoch != epoch_ || p.before_seq != floor_)
    return;
  older_pending_ = false;
  transcript_.merge_older(p.messages, user_);
  floor_ = p.more && !p.messages.empty() ? p.messages.front().seq : 1;
}

void Session::show_room(const std::string& room) {
  // Stop receiving the room going off screen; membership stays (Leave gives it up).
  if (phase_ == Phase::live || phase_ == Phase::joining) write(protocol::Unsubscribe{options_.room});
  if (!epoch_.empty()) {
    std::erase_if(other_positions_, [&](const SavedPosition& p) { return p.room == options_.room; });
    other_positions_.push_back({options_.room, epoch_, position_});
  }
  options_.room = room;
  transcript_.clear();
  documents_.clear();
  floor_ = 0;
  older_pending_ = false;
  conversation_state_ = "idle";
  signals_.clear();
  members_.clear();
  epoch_.clear();
  position_ = 0;
  for (auto it = other_positions_.begin(); it != other_positions_.end(); ++it) {
    if (it->room != room) continue;
    epoch_ = it->epoch;
    position_ = it->seq;
    other_positions_.erase(it);
    break;
  }
  marked_delivered_ = marked_read_ = 0;
  typing_ = false;
  changed();
  if (phase_ == Phase::live || phase_ == Phase::joining) {
    phase_ = Phase::joining;
    resume_pages_ = 0;
    write_join(options_.history_limit);
  }
}

void Session::on_room_event(const protocol::Message& m) {
  if (auto* list = std::get_if<protocol::RoomList>(&m)) {
    rooms_ = list->rooms;
  } else if (auto* d = std::get_if<protocol::RoomDetails>(&m)) {
    if (!creating_.empty() && d->summary.room == creating_) {
      creating_.clear();
      show_room(d->summary.room);
      return;
    }
    if (d->summary.room == options_.room) members_ = d->members;
    // Settings in the details (the assistant mode after set_assistant) are the newest.
    for (auto& r : rooms_) {
      if (r.room != d->summary.room) continue;
      r.type = d->summary.type;
      r.assistant = d->summary.assistant;
      r.owner = d->summary.owner;
    }
  } else if (std::holds_alternative<protocol::Left>(m)) {
    refresh_rooms();
  } else if (auto* gone = std::get_if<protocol::RoomDeleted>(&m)) {
    std::erase_if(rooms_, [&](const protocol::RoomSummary& r) { return r.room == gone->room; });
    std::erase_if(other_positions_, [&](const SavedPosition& p) { return p.room == gone->room; });
    const bool asked = gone->room == deleting_;
    if (asked) deleting_.clear();
    if (gone->room == options_.room && options_.room != default_room_) {
      // Someone else's deletion is news; the user's own is what they asked for.
      if (!asked) {
        last_error_ = protocol::Error{codes::not_found, "the room #" + gone->room + " was deleted",
                                      gone->room, 0};
      }
      epoch_.clear();  // nothing of it is worth remembering
      show_room(default_room_);
    }
  } else if (auto* c = std::get_if<protocol::MemberChanged>(&m)) {
    const bool me = validation::same_name(c->user, user_);
    if (me) refresh_rooms();
    if (me && c->removed && c->room == options_.room && options_.room != default_room_) {
      last_error_ = protocol::Error{codes::forbidden, "you were removed from #" + c->room,
                                    c->room, 0};
      epoch_.clear();
      show_room(default_room_);
      return;
    }
    if (c->room != options_.room) return;
    std::erase_if(members_, [&](const protocol::Member& x) {
      return validation::same_name(x.user, c->user);
    });
    if (!c->removed) members_.push_back({c->user, c->role});
  }
}

void Session::set_typing(bool active, std::int64_t now_ms) {
  if (active == typing_) return;
  typing_ = active;
  if (phase_ != Phase::live) return;
  write(protocol::Typing{options_.room, "", active});
  typing_sent_ms_ = now_ms;
}

// Up-to markers: everything held was delivered; it was read if the user can see it.
// At most one mark a second.
void Session::send_marks(std::int64_t now_ms) {
  const std::uint64_t read = visible_ ? position_ : marked_read_;
  if (position_ == marked_delivered_ && read == marked_read_) return;
  marked_delivered_ = position_;
  marked_read_ = read;
  write(protocol::Mark{options_.room, marked_delivered_, marked_read_});
  next_mark_ms_ = now_ms + 1000;
}

void Session::on_visible(std::int64_t now_ms) {
  visible_ = true;
  retry_now();
  if (phase_ == Phase::live) {
    write(protocol::Ping{++ping_nonce_});
    next_ping_ms_ = now_ms + heartbeat_ms_;
    // Whatever arrived last, the ping must be answered within one interval.
    last_frame_ms_ = std::min(last_frame_ms_, now_ms - static_cast<std::int64_t>(heartbeat_ms_));
  }
}

SavedSession Session::saved() const {
  SavedSession out;
  if (phase_ == Phase::signed_out) return out;
  out.user = user_;
  out.room = options_.room;
  out.token = token_;
  if (!epoch_.empty()) out.positions.push_back({options_.room, epoch_, position_});
  for (const SavedPosition& p : other_positions_) out.positions.push_back(p);
  for (const Entry* e : transcript_.unacknowledged())
    out.outbox.push_back({options_.room, e->client_id, e->text, e->ts_ms, e->ref});
  return out;
}

bool Session::restore(const SavedSession& saved) {
  if (phase_ != Phase::signed_out || !validation::check_name(saved.user)) return false;
  user_ = saved.user;
  token_ = saved.token;
  if (!saved.room.empty()) options_.room = saved.room;
  for (const SavedPosition& p : saved.positions) {
    if (p.room != options_.room) {
      other_positions_.push_back(p);
      continue;
    }
    epoch_ = p.epoch;
    position_ = p.seq;
  }
  for (const SavedSend& o : saved.outbox) {
    if (o.room != options_.room || transcript_.find_client_id(o.client_id) != nullptr) continue;
    Entry e;
    e.author = user_;
    e.kind = protocol::MessageKind::user;
    e.text = o.text;
    e.delivery = Delivery::sending;
    e.client_id = o.client_id;
    e.ts_ms = o.ts_ms;
    e.ref = o.edits;
    transcript_.add_pending(std::move(e));
  }
  phase_ = Phase::waiting;
  next_attempt_ms_ = 0;
  dropped_before_ = false;
  backoff_.reset();
  changed();
  return true;
}

void Session::on_connected(std::int64_t now_ms) {
  if (phase_ != Phase::opening) return;
  phase_ = Phase::handshaking;
  last_frame_ms_ = now_ms;
  write(protocol::Hello{user_, options_.client, token_});
}

void Session::on_disconnected(std::int64_t now_ms, std::string_view reason) {
  if (phase_ == Phase::signed_out || phase_ == Phase::waiting) return;
  drop(now_ms, reason);
}

void Session::on_frame(std::int64_t now_ms, std::string_view text) {
  if (!socket_open()) return;
  last_frame_ms_ = now_ms;
  protocol::DecodeResult r = protocol::decode(text);
  if (!r.ok()) {
    last_error_ = protocol::Error{r.error.code, r.error.message, r.error.type, 0};
    return;
  }
  handle(now_ms, std::move(*r.value));
}

void Session::handle(std::int64_t now_ms, protocol::Message&& m) {
  if (!documents_frame_elsewhere(m) && documents_.handle(m, writer())) {
    changed();
    return;
  }
  if (auto* w = std::get_if<protocol::Welcome>(&m)) {
    if (phase_ == Phase::handshaking) on_welcome(*w);
  } else if (auto* j = std::get_if<protocol::Joined>(&m)) {
    on_joined(now_ms, *j);
  } else if (auto* a = std::get_if<protocol::Ack>(&m)) {
    if (a->room == options_.room) {
      transcript_.acknowledge(a->client_id, a->seq);
      changed();
    }
  } else if (auto* p = std::get_if<protocol::Posted>(&m)) {
    if (p->message.room == options_.room && accept_position(p->message.seq))
      transcript_.merge(p->message, user_);
  } else if (auto* s = std::get_if<protocol::StreamStarted>(&m)) {
    if (s->room == options_.room && accept_position(s->seq)) transcript_.stream_started(*s);
  } else if (auto* d = std::get_if<protocol::StreamDelta>(&m)) {
    if (d->room == options_.room && phase_ == Phase::live) transcript_.stream_delta(*d);
  } else if (auto* c = std::get_if<protocol::StreamCompleted>(&m)) {
    if (c->room == options_.room && accept_position(c->seq)) transcript_.stream_completed(*c);
  } else if (auto* su = std::get_if<protocol::StateUpdate>(&m)) {
    if (su->room == options_.room) conversation_state_ = su->state;
  } else if (auto* h = std::get_if<protocol::HistoryPage>(&m)) {
    on_history_page(*h);
  } else if (auto* e = std::get_if<protocol::Error>(&m)) {
    on_error(now_ms, *e);
  } else if (std::holds_alternative<protocol::RoomList>(m) ||
             std::holds_alternative<protocol::RoomDetails>(m) ||
             std::holds_alternative<protocol::Left>(m) ||
             std::holds_alternative<protocol::RoomDeleted>(m) ||
             std::holds_alternative<protocol::MemberChanged>(m)) {
    on_room_event(m);
  } else if (auto* pr = std::get_if<protocol::Present>(&m)) {
    if (pr->room == options_.room) signals_.set_present(pr->users);
  } else if (auto* pe = std::get_if<protocol::Presence>(&m)) {
    if (pe->room == options_.room) signals_.presence(pe->user, pe->online);
  } else if (auto* t = std::get_if<protocol::Typing>(&m)) {
    if (t->room == options_.room && t->user != user_) signals_.typing(t->user, t->active, now_ms);
  } else if (auto* r = std::get_if<protocol::Receipt>(&m)) {
    if (r->room == options_.room) signals_.receipt(r->user, r->read);
  }
  // Pong needs no handling: any frame proves the connection alive.
}

void Session::on_welcome(const protocol::Welcome& w) {
  if (!w.user.empty()) user_ = w.user;
  heartbeat_ms_ = w.heartbeat_ms > 0 ? w.heartbeat_ms : options_.default_heartbeat_ms;
  max_text_bytes_ = w.max_text_bytes > 0
                        ? std::min<std::size_t>(w.max_text_bytes, validation::kMaxTextBytes)
                        : validation::kMaxTextBytes;
  phase_ = Phase::joining;
  resume_pages_ = 0;
  // With messages already on screen only the missed ones are needed; after a reload
  // (a position but an empty transcript) also some context to show.
  write_join(transcript_.has_stored() ? 0 : options_.history_limit);
}

void Session::write_join(std::uint32_t history_limit) {
  if (epoch_.empty()) {
    write(protocol::Join{options_.room, history_limit, "", std::nullopt});
  } else {
    write(protocol::Join{options_.room, history_limit, epoch_, position_});
  }
}

bool Session::accept_position(std::uint64_t seq) {
  // While a join is in flight its answer covers everything up to the head.
  if (phase_ != Phase::live) return false;
  if (seq <= position_) return true;  // a repeat: merging it again changes nothing
  if (seq == position_ + 1) {
    position_ = seq;
    changed();
    return true;
  }
  // A gap (never expected from a correct server): fetch what is missing by resuming.
  phase_ = Phase::joining;
  resume_pages_ = 0;
  write_join(0);
  return false;
}

void Session::on_joined(std::int64_t now_ms, const protocol::Joined& j) {
  if (j.room != options_.room || (phase_ != Phase::joining && phase_ != Phase::live)) return;
  ++resume_pages_;
  // The position was refused, or the room's store was reset: old positions mean nothing.
  if (j.resume == protocol::Resume::reset || (!epoch_.empty() && j.epoch != epoch_)) {
    transcript_.clear_stored();
    position_ = 0;
    older_pending_ = false;
  }
  if (!transcript_.has_stored()) {
    // What this answer starts with is the oldest event held; everything after it follows.
    floor_ = j.history.empty() ? j.head_seq + 1 : j.history.front().seq;
  }
  epoch_ = j.epoch;
  transcript_.merge_all(j.history, user_);
  for (const protocol::ChatMessage& m : j.history) position_ = std::max(position_, m.seq);
  changed();
  if (j.more) {
    // Part of a long gap: ask for the next page; the connection is not live yet.
    attempt_started_ms_ = now_ms;
    write_join(0);
    return;
  }
  position_ = std::max(position_, j.head_seq);
  // What the sidebar shows: the rooms (with unread counts) and this room's members.
  write(protocol::ListRooms{});
  write(protocol::GetRoom{options_.room});
  if (phase_ != Phase::live) {
    phase_ = Phase::live;
    live_since_ms_ = now_ms;
    next_ping_ms_ = now_ms + heartbeat_ms_;
  }
  // The server de-duplicates by client_id, so resending what it may already hold is safe.
  for (const Entry* e : transcript_.unacknowledged()) write_send(*e);
  // The room's documents, and uploads going on from where the server has them.
  write(protocol::ListDocuments{options_.room});
  documents_.on_live(writer());
}

void Session::on_error(std::int64_t now_ms, const protocol::Error& e) {
  last_error_ = e;
  if (documents_.on_error(e)) changed();
  if (e.ref == options_.room) older_pending_ = false;  // a refused fetch_history among others
  if (e.code == codes::not_found && e.ref == options_.room && phase_ == Phase::joining &&
      options_.room != default_room_) {
    // The room is gone or closed to us: back to the default room; the error says why.
    show_room(default_room_);
    return;
  }
  if (!creating_.empty() && e.ref == creating_) creating_.clear();
  const bool token_refused = e.code == codes::token_missing || e.code == codes::token_invalid ||
                             e.code == codes::token_expired || e.code == codes::token_algorithm;
  if ((phase_ == Phase::handshaking && e.code == codes::invalid_name) ||
      (token_refused && phase_ != Phase::signed_out)) {
    token_.clear();
    changed();
    // Retrying the same name or token cannot succeed: back to the sign-in screen.
    close_requested_ = true;
    outbox_.clear();
    phase_ = Phase::signed_out;
    disconnect_reason_ = e.message.empty() ? e.code : e.message;
    return;
  }
  if (e.code == codes::not_joined && phase_ == Phase::live) {
    phase_ = Phase::joining;
    resume_pages_ = 0;
    write_join(0);
    return;
  }
  if (e.code == codes::rate_limited && transcript_.has_pending(e.ref)) {
    // Not a failure: the send stays pending and goes again once the server allows it.
    const std::int64_t at = now_ms + std::max<std::uint32_t>(e.retry_after_ms, 100);
    resend_at_ms_ = std::max(resend_at_ms_, at);
    return;
  }
  if (!e.ref.empty() && transcript_.has_pending(e.ref) && is_final_send_error(e.code)) {
    transcript_.fail(e.ref, e.message.empty() ? e.code : e.message);
    changed();
  }
}

void Session::tick(std::int64_t now_ms) {
  switch (phase_) {
    case Phase::opening:
    case Phase::handshaking:
    case Phase::joining:
      if (now_ms - attempt_started_ms_ >= options_.connect_timeout_ms) {
        close_and_drop(now_ms, "connection timed out");
      }
      break;
    case Phase::live:
      if (now_ms - last_frame_ms_ >= 2 * static_cast<std::int64_t>(heartbeat_ms_)) {
        close_and_drop(now_ms, "no answer from the server");
        break;
      }
      signals_.expire(now_ms);
      if (typing_ && now_ms - typing_sent_ms_ >= protocol::kTypingExpiryMs / 2) {
        write(protocol::Typing{options_.room, "", true});
        typing_sent_ms_ = now_ms;
      }
      if (now_ms >= next_mark_ms_) send_marks(now_ms);
      if (resend_at_ms_ != 0 && now_ms >= resend_at_ms_) {
        resend_at_ms_ = 0;
        for (const Entry* e : transcript_.unacknowledged()) write_send(*e);
      }
      if (now_ms >= next_ping_ms_) {
        write(protocol::Ping{++ping_nonce_});
        next_ping_ms_ = now_ms + heartbeat_ms_;
      }
      break;
    case Phase::signed_out:
    case Phase::waiting:
      break;
  }
}

bool Session::take_connect_request(std::int64_t now_ms) {
  if (phase_ != Phase::waiting || now_ms < next_attempt_ms_) return false;
  phase_ = Phase::opening;
  attempt_started_ms_ = now_ms;
  return true;
}

bool Session::take_close_request() { return std::exchange(close_requested_, false); }

std::vector<std::string> Session::take_outbox() { return std::exchange(outbox_, {}); }

ConnectionState Session::connection() const {
  switch (phase_) {
    case Phase::signed_out: return ConnectionState::disconnected;
    case Phase::waiting:
      if (!online_) return ConnectionState::offline;
      return dropped_before_ ? ConnectionState::reconnecting : ConnectionState::connecting;
    case Phase::opening:
    case Phase::handshaking:
    case Phase::joining: return ConnectionState::connecting;
    case Phase::live: return ConnectionState::connected;
  }
  return ConnectionState::disconnected;
}

std::int64_t Session::reconnect_in_ms(std::int64_t now_ms) const {
  if (phase_ != Phase::waiting) return 0;
  return std::max<std::int64_t>(0, next_attempt_ms_ - now_ms);
}

void Session::drop(std::int64_t now_ms, std::string_view reason) {
  const bool was_stable =
      phase_ == Phase::live && now_ms - live_since_ms_ >= options_.stable_after_ms;
  if (was_stable) backoff_.reset();
  phase_ = Phase::waiting;
  outbox_.clear();
  resend_at_ms_ = 0;  // joining again resends everything pending anyway
  signals_.clear();   // the next join brings who is here now
  typing_ = false;
  older_pending_ = false;  // asked again once live
  dropped_before_ = true;
  disconnect_reason_ = std::string(reason);
  next_attempt_ms_ = now_ms + backoff_.next_delay_ms();
}

void Session::close_and_drop(std::int64_t now_ms, std::string_view reason) {
  close_requested_ = true;
  drop(now_ms, reason);
}

void Session::write(const protocol::Message& m) {
  if (socket_open()) outbox_.push_back(protocol::encode(m));
}

void Session::write_send(const Entry& e) {
  write(protocol::Send{options_.room, e.client_id, e.text, e.options, e.ref});
}

bool Session::socket_open() const {
  return phase_ == Phase::handshaking || phase_ == Phase::joining || phase_ == Phase::live;
}

}  // namespace parley::client
