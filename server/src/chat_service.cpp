#include "chat_service.hpp"

#include <algorithm>
#include <chrono>
#include <cctype>

#include "builtin_assistant.hpp"
#include "room_access.hpp"
#include "parley/codec.hpp"
#include "parley/error_codes.hpp"
#include "parley/validation.hpp"

namespace parley::server {

namespace codes = parley::error_codes;
using namespace parley::protocol;

namespace {

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool same_name_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

bool wants_assistant(AssistantMode mode, std::string_view text) {
  switch (mode) {
    case AssistantMode::always: return true;
    case AssistantMode::off: return false;
    case AssistantMode::mention: {
      // "@Parley" anywhere, in any case.
      std::string mention = std::string("@") + BuiltinAssistant::kName;
      for (std::size_t i = 0; i + mention.size() <= text.size(); ++i)
        if (same_name_ignoring_case(text.substr(i, mention.size()), mention)) return true;
      return false;
    }
  }
  return true;
}


ChatService::ChatService(const ServerConfig& config, HistoryWorker& history, Fanout& fanout,
                         LiveGenerations& live, AssistantRunner& assistant, UserDirectory& users,
                         RoomService& rooms, PresenceRegistry& presence,
                         const TokenService& tokens, const AccountNames& accounts)
    : config_(config),
      history_(history),
      fanout_(fanout),
      live_(live),
      assistant_(assistant),
      users_(users),
      rooms_(rooms),
      presence_(presence),
      tokens_(tokens),
      accounts_(accounts),
      uploads_(config, history, fanout, presence) {
  // A room made again under a deleted one's name starts its conversation at idle.
  // Its documents' files go with it, unless another room's document has the same content.
  rooms_.on_room_deleted([this](const std::string& room, const std::vector<std::string>& files) {
    states_.forget(room);
    uploads_.remove_files(files);
  });
}

void ChatService::on_frame(const std::shared_ptr<Subscriber>& peer, PeerState& state,
                           std::string_view frame, bool binary) {
  // Every frame counts against the connection's rate limits, also one that is refused
  // before it is understood (too large, not UTF-8, not JSON, of no known type): garbage
  // is not parsed and answered without bound. Pings and upload chunks are the exceptions,
  // once they are known to be such.
  if (frame.size() > config_.max_message_bytes) {
    if (!admit(peer, state, "", frame.size())) return;
    peer->deliver(error_frame(codes::too_large,
                              "frame of " + std::to_string(frame.size()) + " bytes exceeds " +
                                  std::to_string(config_.max_message_bytes)));
    return;
  }
  if (binary && !validation::is_valid_utf8(frame)) {
    if (!admit(peer, state, "", frame.size())) return;
    peer->deliver(error_frame(codes::bad_utf8, "frame is not valid UTF-8"));
    return;
  }
  auto decoded = decode(frame);
  if (!decoded.ok()) {
    if (!admit(peer, state, decoded.error.type, frame.size())) return;
    peer->deliver(error_frame(decoded.error.code.c_str(), decoded.error.message,
                              decoded.error.type));
    return;
  }
  auto& msg = *decoded.value;
  // An upload's chunks are bounded by the upload itself (its declared size, in order, a
  // few uploads at a time), not by the connection's chat rate.
  const bool metered = !std::holds_alternative<Ping>(msg) && !std::holds_alternative<UploadChunk>(msg);
  if (metered) {
    const auto* send = std::get_if<Send>(&msg);
    if (!admit(peer, state, send != nullptr ? send->client_id : std::string(type_name(msg)),
               frame.size())) {
      return;
    }
  }
  if (auto* hello = std::get_if<Hello>(&msg)) return on_hello(peer, state, *hello);
  if (!state.greeted) {
    peer->deliver(error_frame(codes::hello_required, "the first frame must be hello",
                              type_name(msg)));
    return;
  }
  if (auto* auth = std::get_if<Auth>(&msg)) return on_auth(peer, state, *auth);
  if (state.token_expires_at != 0 && TokenService::now_s() >= state.token_expires_at &&
      !std::holds_alternative<Ping>(msg)) {
    // Signed in with a token that has run out: nothing but a fresh token (auth) or a
    // ping is accepted until then; the connection stays open for it.
    peer->deliver(error_frame(codes::token_expired, "the token has expired; send auth with a new one",
                              type_name(msg)));
    return;
  }
  if (auto* join = std::get_if<Join>(&msg)) return on_join(peer, state, *join);
  if (auto* send = std::get_if<Send>(&msg)) return on_send(peer, state, *send);
  if (auto* ping = std::get_if<Ping>(&msg)) return peer->deliver(frame_of(Pong{ping->nonce}));
  const std::string& user = state.user;
  if (auto* c = std::get_if<CreateRoom>(&msg)) return rooms_.create(peer, user, *c);
  // After a leave, sends are refused by the membership check against the store; a
  // refused leave (the owner's) changes nothing for the connection.
  if (auto* l = std::get_if<Leave>(&msg)) return rooms_.leave(peer, user, *l);
  if (auto* u = std::get_if<Unsubscribe>(&msg)) return on_unsubscribe(peer, state, *u);
  if (auto* f = std::get_if<FetchHistory>(&msg)) return on_fetch_history(peer, user, *f);
  if (auto* g = std::get_if<StopGeneration>(&msg)) return on_stop(peer, *g);
  if (auto* r = std::get_if<Regenerate>(&msg)) return on_regenerate(peer, user, *r);
  if (auto* c = std::get_if<ComponentSubmit>(&msg)) return on_component_submit(peer, user, *c);
  if (auto* u = std::get_if<UploadChunk>(&msg)) return uploads_.on_chunk(peer, user, *u);
  if (auto* u = std::get_if<UploadInit>(&msg)) return uploads_.on_init(peer, user, *u);
  if (auto* u = std::get_if<UploadFinish>(&msg)) return uploads_.on_finish(peer, user, *u);
  if (auto* d = std::get_if<ListDocuments>(&msg)) return uploads_.on_list(peer, user, *d);
  if (auto* d = std::get_if<DeleteDocument>(&msg)) return uploads_.on_delete(peer, user, *d);
  if (std::holds_alternative<StateChangeRequest>(msg) ||
      std::holds_alternative<TranscriptUpdate>(msg) || std::holds_alternative<SpeechEvent>(msg)) {
    return on_voice(peer, user, msg);
  }
  if (auto* d = std::get_if<DeleteRoom>(&msg)) return rooms_.remove_room(peer, user, *d);
  if (std::holds_alternative<ListRooms>(msg)) return rooms_.list(peer, user);
  if (auto* g = std::get_if<GetRoom>(&msg)) return rooms_.details(peer, user, *g);
  if (auto* i = std::get_if<Invite>(&msg)) return rooms_.invite(peer, user, *i);
  if (auto* r = std::get_if<RemoveMember>(&msg)) return rooms_.remove_member(peer, user, *r);
  if (auto* a = std::get_if<SetAssistant>(&msg)) return rooms_.set_assistant(peer, user, *a);
  if (auto* t = std::get_if<Typing>(&msg)) return on_typing(peer, state, *t);
  if (auto* k = std::get_if<Mark>(&msg)) return on_mark(peer, state, *k);
  peer->deliver(error_frame(codes::unexpected_type,
                            std::string(type_name(msg)) + " is sent by the server, not to it",
                            type_name(msg)));
}

bool ChatService::admit(const std::shared_ptr<Subscriber>& peer, PeerState& state,
                        const std::string& ref, std::size_t bytes) {
  if (!state.limiter) {
    state.limiter = std::make_unique<RateLimiter>(
        RateLimit{config_.rate_frames, config_.rate_bytes, config_.rate_window});
  }
  const auto wait = state.limiter->try_acquire(RateLimiter::Clock::now(), bytes);
  if (wait.count() == 0) return true;
  Error e{codes::rate_limited,
          "too many frames or bytes in " + std::to_string(config_.rate_window.count()) +
              " ms; nothing was done, try again after retry_after_ms",
          ref, static_cast<std::uint32_t>(std::min<std::int64_t>(wait.count(), UINT32_MAX))};
  peer->deliver(frame_of(e));
  return false;
}

void ChatService::on_close(const Subscriber* peer, const PeerState& state) {
  fanout_.unsubscribe_all(peer);
  if (state.greeted) users_.remove(state.user, peer);
  for (const auto& [room, user] : presence_.leave_all(peer))
    fanout_.publish(room, frame_of(Presence{room, user, false}));
}

void ChatService::on_hello(const std::shared_ptr<Subscriber>& peer, PeerState& state,
                           const Hello& hello) {
  if (state.greeted) {
    peer->deliver(error_frame(codes::unexpected_type, "hello was already accepted", "hello"));
    return;
  }
  Hello m = hello;
  std::string role = "user";
  std::int64_t expires_at = 0;
  if (!m.token.empty()) {
    // A token decides who the connection is; the name field is only a display wish.
    const TokenCheck check = tokens_.verify(m.token, TokenService::now_s());
    if (!check.claims) {
      peer->deliver(error_frame(check.code, check.reason, "hello"));
      return;
    }
    m.name = check.claims->user;
    role = check.claims->role;
    expires_at = check.claims->expires_at;
  } else if (config_.require_token) {
    peer->deliver(error_frame(codes::token_missing, "this server needs a token in hello",
                              "hello"));
    return;
  } else if (accounts_.contains(m.name)) {
    // A bare name is fine, but not one that belongs to an account.
    peer->deliver(error_frame(codes::token_missing,
                              "that name belongs to an account; sign in with its password",
                              "hello"));
    return;
  }
  // A token's name was checked when it was issued; a bare name meets today's limit.
  if (auto v = validation::check_name(m.name, m.token.empty() ? config_.max_name_bytes
                                                              : validation::kMaxNameBytes);
      !v) {
    peer->deliver(error_frame(v.code, v.reason, m.name));
    return;
  }
  if (same_name_ignoring_case(m.name, BuiltinAssistant::kName)) {
    peer->deliver(error_frame(codes::invalid_name, "that name belongs to the assistant", m.name));
    return;
  }
  if (users_.connections(m.name).size() >= config_.max_connections_per_user) {
    peer->deliver(error_frame(codes::limit_exceeded,
                              m.name + " already has " +
                                  std::to_string(config_.max_connections_per_user) +
                                  " connections open; close one first",
                              m.name));
    return;
  }
  state.greeted = true;
  state.user = m.name;
  state.role = role;
  state.token_expires_at = expires_at;
  users_.add(m.name, peer);
  peer->deliver(frame_of(Welcome{m.name, std::string("parley/") + PARLEY_VERSION,
                                 config_.heartbeat_ms,
                                 static_cast<std::uint32_t>(config_.max_message_bytes),
                                 static_cast<std::uint32_t>(config_.max_text_bytes)}));
}

void ChatService::on_join(const std::shared_ptr<Subscriber>& peer, PeerState& state,
                          const Join& m) {
  if (auto v = validation::check_room(m.room); !v) {
    peer->deliver(error_frame(v.code, v.reason, m.room));
    return;
  }
  if (m.history_limit > validation::kMaxHistoryLimit) {
    peer->deliver(error_frame(codes::bad_field,
                              "join.history_limit: at most " +
                                  std::to_string(validation::kMaxHistoryLimit),
                              m.room));
    return;
  }
  if (m.epoch.size() > 64) {
    peer->deliver(error_frame(codes::bad_field, "join.epoch: at most 64 bytes", m.room));
    return;
  }
  state.rooms.insert(m.room);
  history_.post(
      {[this, peer, m, user = state.user](
           history::HistoryStore& store) -> HistoryWorker::Continuation {
         std::variant<Joined, Error> answer =
             read_join(store, m, user, config_.max_rooms_per_user, config_.max_room_bytes);
         if (auto* refused = std::get_if<Error>(&answer)) {
           return [peer, f = frame_of(*refused)] { peer->deliver(f); };
         }
         return [this, peer, user, joined = std::get<Joined>(std::move(answer)),
                 after = m.after_seq]() mutable {
           if (joined.more) {
             // A page of a resume: the client asks for the next one; no subscription yet.
             peer->deliver(frame_of(joined));
             return;
           }
           // Who is here comes first, then the history, then live events.
           const bool arrived = presence_.enter(joined.room, user, peer.get());
           peer->deliver(frame_of(Present{joined.room, presence_.present(joined.room)}));
           if (arrived) fanout_.publish(joined.room, frame_of(Presence{joined.room, user, true}));
           live_.join_room(joined.room, [&](const std::vector<LiveGeneration>& in_room) {
             std::vector<Frame> catch_up;
             for (const LiveGeneration& g : in_room) {
               auto it = std::find_if(joined.history.begin(), joined.history.end(),
                                      [&](const ChatMessage& c) { return c.seq == g.seq; });
               if (it != joined.history.end()) {
                 // The store holds the last checkpoint; the live text is newer.
                 if (it->status == MessageStatus::streaming) it->text = g.text;
               } else if (joined.resume == Resume::ok && after && g.seq <= *after) {
                 // The client saw this reply start; send all of its text so far, from
                 // which it keeps the part it lacks.
                 catch_up.push_back(frame_of(StreamDelta{g.room, g.gen_id, 0, g.text}));
               }
             }
             fanout_.subscribe(joined.room, peer);
             peer->deliver(frame_of(joined));
             for (auto& f : catch_up) peer->deliver(std::move(f));
             // Where the conversation stands, when it is anywhere but idle.
             if (auto state = states_.current(joined.room)) peer->deliver(frame_of(*state));
           });
         };
       },
       [peer, room = m.room](const std::string&) {
         peer->deliver(error_frame(codes::internal, "could not read the room's history", room));
       }});
}

std::variant<Joined, Error> ChatService::read_join(history::HistoryStore& store, const Join& m,
                                                  const std::string& user,
                                                  std::size_t max_rooms_per_user,
                                                  std::size_t max_room_bytes) {
  auto found = store.find_room(m.room);
  if (!found) {
    if (auto v = validation::check_room(m.room, max_room_bytes); !v) {
      return Error{v.code, v.reason, m.room, 0};
    }
    // Joining a room that does not exist yet creates it, shared, owned by the joiner.
    if (store.rooms_owned(user) >= max_rooms_per_user) {
      return Error{codes::limit_exceeded, "you own the most rooms allowed", m.room, 0};
    }
    found = store.create_room(m.room, RoomType::shared, user, AssistantMode::always);
    if (!found) found = store.find_room(m.room);
  }
  const auto role = store.member_role(m.room, user);
  if (!access::may_enter(found->type, role)) {
    // The same answer a missing room would get: outsiders learn nothing of it.
    return Error{codes::not_found, "no room '" + m.room + "' that you may see", m.room, 0};
  }
  if (!role) store.set_member(m.room, user, MemberRole::member);  // shared: joining is joining
  const history::RoomInfo& info = *found;
  Joined j{info.name, info.epoch, info.head_seq, {}, Resume::none, false};
  if (!m.after_seq) {
    j.history = store.recent(m.room, m.history_limit);
    return j;
  }
  if (m.epoch != info.epoch || *m.after_seq > info.head_seq) {
    // Not a position in this room's history: the client starts over from here.
    j.resume = Resume::reset;
    j.history = store.recent(m.room, m.history_limit);
    return j;
  }
  j.resume = Resume::ok;
  const std::uint64_t context = std::min<std::uint64_t>(m.history_limit, info.head_seq);
  const std::uint64_t from = std::min(*m.after_seq, info.head_seq - context);
  j.history = store.after(m.room, from, kResumePageSize);
  j.more = !j.history.empty() && j.history.back().seq < info.head_seq;
  return j;
}

void ChatService::on_auth(const std::shared_ptr<Subscriber>& peer, PeerState& state,
                          const Auth& m) {
  const TokenCheck check = tokens_.verify(m.token, TokenService::now_s());
  if (!check.claims) {
    peer->deliver(error_frame(check.code, check.reason, "auth"));
    return;
  }
  if (!validation::same_name(check.claims->user, state.user)) {
    peer->deliver(error_frame(codes::forbidden, "the token is for another user", "auth"));
    return;
  }
  state.role = check.claims->role;
  state.token_expires_at = check.claims->expires_at;
  peer->deliver(frame_of(Authed{state.user, state.role, state.token_expires_at}));
}

void ChatService::on_unsubscribe(const std::shared_ptr<Subscriber>& peer, PeerState& state,
                                 const Unsubscribe& m) {
  state.rooms.erase(m.room);
  fanout_.unsubscribe(m.room, peer.get());
  if (presence_.leave(m.room, state.user, peer.get()))
    fanout_.publish(m.room, frame_of(Presence{m.room, state.user, false}));
  peer->deliver(frame_of(Unsubscribed{m.room}));
}

void ChatService::on_stop(const std::shared_ptr<Subscriber>& peer, const StopGeneration& m) {
  // Anyone in the room may stop its assistant (the room sees who asked by the result).
  if (!presence_.contains(m.room, peer.get())) {
    peer->deliver(error_frame(codes::not_joined, "join the room first", m.room));
    return;
  }
  if (!assistant_.stop(m.room, m.gen_id)) {
    peer->deliver(error_frame(codes::not_found,
                              "no generation '" + m.gen_id + "' running in this room", m.gen_id));
  }
}

validation::Verdict ChatService::check_options(const GenerationOptions& options,
                                              const char* where) const {
  if (auto v = validation::check_options(options); !v) {
    // The shared check names the field as part of a send.
    if (v.reason.starts_with("send.")) v.reason.replace(0, 4, where);
    return v;
  }
  if (!options.model.empty() && !assistant_.serves_model(options.model)) {
    return {codes::bad_field, std::string(where) + ".options.model: this server's assistant is " +
                                  assistant_.default_model()};
  }
  return {};
}

void ChatService::on_regenerate(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                                const Regenerate& m) {
  if (!presence_.contains(m.room, peer.get())) {
    peer->deliver(error_frame(codes::not_joined, "join the room first", m.room));
    return;
  }
  if (m.options) {
    if (auto v = check_options(*m.options, "regenerate"); !v) {
      peer->deliver(error_frame(v.code, v.reason, m.room));
      return;
    }
  }
  history_.post(
      {[this, peer, m, user](history::HistoryStore& store) -> HistoryWorker::Continuation {
         auto refuse = [peer, room = m.room](std::string why) -> HistoryWorker::Continuation {
           return [peer, f = error_frame(codes::invalid_target, std::move(why), room)] {
             peer->deliver(f);
           };
         };
         if (!store.member_role(m.room, user)) {
           return [peer, f = error_frame(codes::not_joined, "you are not a member of this room",
                                         m.room)] { peer->deliver(f); };
         }
         const auto reply = store.at(m.room, m.seq);
         if (!reply || reply->kind != MessageKind::assistant)
           return refuse("regenerate.seq: " + std::to_string(m.seq) + " is not a reply of the assistant");
         if (reply->status == MessageStatus::streaming)
           return refuse("regenerate.seq: the reply is still being written; stop it first");
         const auto prompt = reply->ref != 0 ? store.at(m.room, reply->ref) : std::nullopt;
         if (!prompt) return refuse("regenerate.seq: the message this reply answered is gone");
         return [this, prompt = *prompt, options = m.options.value_or(GenerationOptions{})] {
           assistant_.respond(prompt, options);
         };
       },
       [peer, room = m.room](const std::string&) {
         peer->deliver(error_frame(codes::internal, "could not read the room's history", room));
       }});
}

void ChatService::on_component_submit(const std::shared_ptr<Subscriber>& peer,
                                      const std::string& user, const ComponentSubmit& m) {
  auto refuse = [&](const char* code, std::string why) {
    peer->deliver(error_frame(code, std::move(why), m.room));
  };
  if (!presence_.contains(m.room, peer.get())) return refuse(codes::not_joined, "join the room first");
  const auto values = nlohmann::json::parse(m.values, nullptr, false);
  if (!values.is_object() || values.size() > 20) {
    return refuse(codes::bad_field, "component_submit.values: an object of at most 20 fields");
  }
  std::string summary;
  for (const auto& [name, value] : values.items()) {
    if (!value.is_string() || name.size() > 64 || value.get_ref<const std::string&>().size() > 2000) {
      return refuse(codes::bad_field, "component_submit.values." + name + ": text up to 2000 bytes");
    }
    const auto& text = value.get_ref<const std::string&>();
    if (text.empty()) continue;
    if (!summary.empty()) summary += " \u00B7 ";
    summary += name + ": " + text;
  }
  if (m.action.empty() || m.action.size() > 64) {
    return refuse(codes::bad_field, "component_submit.action: 1 to 64 bytes");
  }
  history_.post(
      {[this, peer, m, user, values, summary](history::HistoryStore& store) -> HistoryWorker::Continuation {
         if (!store.member_role(m.room, user)) {
           return [peer, f = error_frame(codes::not_joined, "you are not a member of this room",
                                         m.room)] { peer->deliver(f); };
         }
         const auto target = store.at(m.room, m.seq);
         const auto data = target ? nlohmann::json::parse(target->data.empty() ? "{}" : target->data,
                                                          nullptr, false)
                                  : nlohmann::json();
         if (!target || target->kind != MessageKind::assistant || !data.is_object() ||
             !data.contains("component")) {
           return [peer, f = error_frame(codes::invalid_target,
                                         "component_submit.seq: no component of the assistant there",
                                         m.room)] { peer->deliver(f); };
         }
         const auto& component = data["component"];
         // The answer is a message of the user's, saying what it answers.
         history::NewMessage row;
         row.room = m.room;
         row.author = user;
         row.kind = MessageKind::user;
         row.text = m.action == "submit" ? (summary.empty() ? std::string("(sent the form)") : summary)
                                         : "pressed \"" + m.action + "\"";
         for (const auto& b : component.value("buttons", nlohmann::json::array())) {
           if (b.is_object() && b.value("id", "") == m.action) row.text = "pressed \"" + b.value("label", m.action) + "\"";
         }
         row.status = MessageStatus::complete;
         row.ts_ms = now_ms();
         row.data = nlohmann::json{{"submit", {{"seq", m.seq}, {"action", m.action},
                                               {"values", values}, {"target", component}}}}
                        .dump();
         auto stored = store.append(row).message;
         store.await_reply(stored.room, stored.seq, "", row.ts_ms);
         return [this, stored] {
           fanout_.publish(stored.room, frame_of(Posted{stored}));
           assistant_.respond(stored);
         };
       },
       [peer, room = m.room](const std::string&) {
         peer->deliver(error_frame(codes::internal, "the answer could not be stored", room));
       }});
}

void ChatService::on_voice(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                           const Message& msg) {
  const std::string room = std::visit(
      [](const auto& m) -> std::string {
        if constexpr (requires { m.room; }) return m.room;
        return {};
      },
      msg);
  if (!presence_.contains(room, peer.get())) {
    peer->deliver(error_frame(codes::not_joined, "join the room first", room));
    return;
  }
  if (auto* r = std::get_if<StateChangeRequest>(&msg)) {
    const auto to = protocol::conversation_state_from(r->state);
    if (!to) {
      peer->deliver(error_frame(codes::bad_field,
                                "state_change_request.state: one of idle, listening, processing, "
                                "speaking, waiting_for_user, error, ended",
                                room));
      return;
    }
    auto changed = states_.change(room, user, *to, r->reason.substr(0, 200), now_ms());
    if (auto* refused = std::get_if<Error>(&changed)) return peer->deliver(frame_of(*refused));
    fanout_.publish(room, frame_of(std::get<StateUpdate>(changed)));
    return;
  }
  if (auto* t = std::get_if<TranscriptUpdate>(&msg)) {
    if (!(t->confidence >= 0.0 && t->confidence <= 1.0)) {
      peer->deliver(error_frame(codes::bad_field, "transcript_update.confidence: 0 to 1", room));
      return;
    }
    for (const std::string* text : {&t->interim, &t->final_text}) {
      if (text->size() > config_.max_text_bytes || !validation::is_valid_utf8(*text)) {
        peer->deliver(error_frame(codes::invalid_text,
                                  "transcript text: valid UTF-8, at most " +
                                      std::to_string(config_.max_text_bytes) + " bytes",
                                  room));
        return;
      }
    }
    TranscriptUpdate relayed = *t;
    relayed.user = user;
    fanout_.publish(room, frame_of(relayed));
    return;
  }
  if (auto* s = std::get_if<SpeechEvent>(&msg)) {
    if (s->event.empty() || s->event.size() > 64 || s->data.size() > 4096) {
      peer->deliver(error_frame(codes::bad_field,
                                "speech_event: an event name of 1 to 64 bytes, data up to 4096",
                                room));
      return;
    }
    SpeechEvent relayed = *s;
    relayed.user = user;
    fanout_.publish(room, frame_of(relayed));
  }
}

void ChatService::on_fetch_history(const std::shared_ptr<Subscriber>& peer,
                                   const std::string& user, const FetchHistory& m) {
  if (auto v = validation::check_room(m.room); !v) {
    peer->deliver(error_frame(v.code, v.reason, m.room));
    return;
  }
  if (m.limit == 0 || m.limit > validation::kMaxHistoryLimit) {
    peer->deliver(error_frame(codes::bad_field,
                              "fetch_history.limit: 1 to " +
                                  std::to_string(validation::kMaxHistoryLimit),
                              m.room));
    return;
  }
  history_.post(
      {[peer, m, user](history::HistoryStore& store) -> HistoryWorker::Continuation {
         const auto info = store.find_room(m.room);
         const auto role = info ? store.member_role(m.room, user) : std::nullopt;
         // Reading is entering without the side effects: a shared room is open to all,
         // the others to their members; outsiders hear what a missing room would say.
         if (!info || !access::may_enter(info->type, role)) {
           return [peer, f = error_frame(codes::not_found,
                                         "no room '" + m.room + "' that you may see", m.room)] {
             peer->deliver(f);
           };
         }
         const std::uint64_t before = m.before_seq == 0 ? info->head_seq + 1 : m.before_seq;
         HistoryPage page{m.room, info->epoch, before, store.before(m.room, before, m.limit), false};
         page.more = !page.messages.empty() && page.messages.front().seq > 1;
         return [peer, f = frame_of(page)] { peer->deliver(f); };
       },
       [peer, room = m.room](const std::string&) {
         peer->deliver(error_frame(codes::internal, "could not read the room's history", room));
       }});
}

void ChatService::on_typing(const std::shared_ptr<Subscriber>& peer, PeerState& state,
                            const Typing& m) {
  // Only from a connection that is in the room now (a removed member is not).
  if (!presence_.contains(m.room, peer.get())) {
    peer->deliver(error_frame(codes::not_joined, "join the room first", m.room));
    return;
  }
  fanout_.publish(m.room, frame_of(Typing{m.room, state.user, m.active}));
}

void ChatService::on_mark(const std::shared_ptr<Subscriber>& peer, PeerState& state,
                          const Mark& m) {
  history_.post({[this, peer, m, user = state.user](
                     history::HistoryStore& store) -> HistoryWorker::Continuation {
                   const auto marks = store.mark(m.room, user, m.delivered, m.read);
                   if (!marks) {
                     return [peer, f = error_frame(codes::not_joined,
                                                   "you are not a member of this room", m.room)] {
                       peer->deliver(f);
                     };
                   }
                   return [this, m, user, marks] {
                     fanout_.publish(m.room,
                                     frame_of(Receipt{m.room, user, marks->delivered, marks->read}));
                   };
                 },
                 [peer, room = m.room](const std::string&) {
                   peer->deliver(error_frame(codes::internal, "the marker was not saved", room));
                 }});
}

void ChatService::on_send(const std::shared_ptr<Subscriber>& peer, PeerState& state,
                          const Send& m) {
  // A service (an outside worker holding a service token) publishes into a channel
  // without joining it, as over REST; people send only where they are.
  const bool as_service = state.role == "service";
  if (!as_service && !state.rooms.contains(m.room)) {
    peer->deliver(error_frame(codes::not_joined, "join the room before sending to it",
                              m.client_id));
    return;
  }
  post_message(
      state.user, m, [peer](const Message& answer) { peer->deliver(frame_of(answer)); },
      as_service);
}

void ChatService::post_message(const std::string& user, const Send& m,
                               std::function<void(const Message&)> done, bool as_service) {
  if (auto v = validation::check_client_id(m.client_id); !v) {
    return done(Error{v.code, v.reason, m.client_id, 0});
  }
  if (auto v = validation::check_text(m.text, config_.max_text_bytes); !v) {
    return done(Error{v.code, v.reason, m.client_id, 0});
  }
  if (m.options) {
    if (auto v = check_options(*m.options, "send"); !v) return done(Error{v.code, v.reason, m.client_id, 0});
  }
  if (m.edits != 0 && as_service) {
    return done(Error{codes::invalid_target, "send.edits: services do not edit", m.client_id, 0});
  }
  history::NewMessage row{m.room, user, as_service ? MessageKind::system : MessageKind::user,
                          m.text, m.client_id, "", MessageStatus::complete, now_ms(), 0, ""};
  history_.post(
      {[this, done, row, as_service, edits = m.edits, options = m.options.value_or(GenerationOptions{})](
           history::HistoryStore& store) -> HistoryWorker::Continuation {
         // Membership is checked where it is kept, on every send: someone removed from a
         // room (or who left it) cannot post to it through a connection that joined earlier.
         const auto info = store.find_room(row.room);
         if (!info) {
           return [done, room = row.room] {
             done(Error{codes::not_found, "no room '" + room + "' that you may see", room, 0});
           };
         }
         if (!as_service && !store.member_role(row.room, row.author)) {
           // Outsiders of a private or group room hear what a missing room would say
           // (section 14); a shared room is anyone's to join, so its name tells nothing.
           if (info->type != RoomType::shared) {
             return [done, room = row.room, id = row.client_id] {
               done(Error{codes::not_found, "no room '" + room + "' that you may see", id, 0});
             };
           }
           return [done, id = row.client_id] {
             done(Error{codes::not_joined, "you are not a member of this room", id, 0});
           };
         }
         auto stored_row = row;
         if (edits != 0) {
           // An edit is a new version of the sender's own message: it points at the first
           // version, so every version of a message shares one ref.
           const auto target = store.at(row.room, edits);
           if (!target || target->kind != MessageKind::user ||
               !same_name_ignoring_case(target->author, row.author)) {
             return [done, id = row.client_id, edits] {
               done(Error{codes::invalid_target,
                          "send.edits: seq " + std::to_string(edits) +
                              " is not a message of yours in this room",
                          id, 0});
             };
           }
           stored_row.ref = target->ref != 0 ? target->ref : target->seq;
         }
         auto result = store.append(stored_row);
         // The assistant answers people, not services' status lines. Its duty to answer
         // is stored with the message, before the ack: a crash cannot lose one without
         // the other.
         const bool answer = !as_service && wants_assistant(info->assistant, row.text);
         if (answer && !result.duplicate) {
           store.await_reply(row.room, result.message.seq,
                             options == GenerationOptions{} ? std::string() : json_of(options),
                             row.ts_ms);
         }
         return [this, done, answer, options, result = std::move(result)] {
           auto& msg = result.message;
           done(Ack{msg.room, msg.client_id, msg.seq, result.duplicate});
           if (result.duplicate) return;
           fanout_.publish(msg.room, frame_of(Posted{msg}));
           if (answer) assistant_.respond(msg, options);
         };
       },
       [done, id = m.client_id](const std::string&) {
         done(Error{codes::internal, "the message could not be stored; resend it", id, 0});
       }});
}

}  // namespace parley::server
