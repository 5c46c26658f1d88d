#include "api_router.hpp"

#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>
#include <optional>

#include "builtin_assistant.hpp"
#include "parley/codec.hpp"
#include "parley/error_codes.hpp"
#include "parley/validation.hpp"
#include "password_hasher.hpp"
#include "rest_requests.hpp"
#include "room_access.hpp"
#include "room_service.hpp"

namespace parley::server {
namespace {

namespace codes = parley::error_codes;
using Json = nlohmann::json;
using protocol::MemberRole;

ApiResponse json_error(unsigned status, const char* code, const std::string& message) {
  Json j{{"error", {{"code", code}, {"message", message}}}};
  return {status, j.dump()};
}

// The HTTP status for a protocol error code.
unsigned status_of(const std::string& code) {
  if (code == codes::not_found) return 404;
  if (code == codes::forbidden || code == codes::not_joined) return 403;
  if (code == codes::conflict) return 409;
  if (code == codes::rate_limited) return 429;
  if (code == codes::internal) return 500;
  if (code.starts_with("token_") || code == codes::bad_credentials) return 401;
  return 400;
}

ApiResponse refused(const RestError& e) { return json_error(e.status, e.code.c_str(), e.message); }

// A name no account or token may have.
std::optional<ApiResponse> refuse_name(const std::string& name, std::size_t max_bytes) {
  if (auto v = validation::check_name(name, max_bytes); !v) return json_error(400, v.code, v.reason);
  if (validation::same_name(name, BuiltinAssistant::kName))
    return json_error(400, codes::invalid_name, "that name belongs to the assistant");
  return std::nullopt;
}

// The HTTP answer to a stored message: 201 when new, 200 for a retry, else the error.
std::function<void(const protocol::Message&)> answer_with(ApiRouter::Reply reply) {
  return [reply = std::move(reply)](const protocol::Message& answer) {
    if (const auto* ack = std::get_if<protocol::Ack>(&answer)) {
      return reply({ack->duplicate ? 200u : 201u, Json{{"room", ack->room},
                                                       {"client_id", ack->client_id},
                                                       {"seq", ack->seq},
                                                       {"duplicate", ack->duplicate}}
                                                      .dump()});
    }
    const auto& e = std::get<protocol::Error>(answer);
    reply(json_error(status_of(e.code), e.code.c_str(), e.message));
  };
}

// Receives the one frame a RoomService operation answers with and turns it into the
// HTTP answer.
class ReplySubscriber final : public Subscriber {
 public:
  explicit ReplySubscriber(ApiRouter::Reply reply) : reply_(std::move(reply)) {}
  void deliver(Frame frame) override {
    if (answered_.exchange(true)) return;
    const auto decoded = protocol::decode(*frame);
    if (!decoded.ok()) return reply_(json_error(500, codes::internal, "unexpected answer"));
    if (const auto* e = std::get_if<protocol::Error>(&*decoded.value))
      return reply_(json_error(status_of(e->code), e->code.c_str(), e->message));
    if (const auto* d = std::get_if<protocol::RoomDetails>(&*decoded.value))
      return reply_({201, protocol::json_of(*d)});
    if (const auto* g = std::get_if<protocol::RoomDeleted>(&*decoded.value))
      return reply_({200, Json{{"room", g->room}, {"deleted", true}}.dump()});
    reply_(json_error(500, codes::internal, "unexpected answer"));
  }

 private:
  ApiRouter::Reply reply_;
  std::atomic<bool> answered_{false};
};

std::string token_json(const std::string& token, const TokenClaims& c) {
  return Json{{"token", token}, {"user", c.user}, {"role", c.role}, {"expires_at", c.expires_at}}
      .dump();
}

}  // namespace

ApiRouter::ApiRouter(const ServerConfig& config, HistoryWorker& history, ChatService& chat,
                     RoomService& rooms, const TokenService& tokens, const UserDirectory& users,
                     const std::atomic<std::size_t>& connections, AccountNames& accounts)
    : config_(config),
      history_(history),
      chat_(chat),
      rooms_(rooms),
      tokens_(tokens),
      users_(users),
      connections_(connections),
      accounts_(accounts),
      sign_ins_(SignInLimits{config.sign_in_failures_per_name, config.sign_in_failures_per_address,
                             std::chrono::milliseconds(config.sign_in_window_ms)}) {
  // Ready before the first unknown name asks (the pool runs one job at a time, in order).
  boost::asio::post(kdf_, [this] { decoy_hash_ = hash_password("parley decoy password"); });
}

ApiRouter::~ApiRouter() { kdf_.join(); }

void ApiRouter::handle(ApiRequest req, Reply reply) {
  std::string_view target = req.target;
  std::string_view query;
  if (auto q = target.find('?'); q != std::string_view::npos) {
    query = target.substr(q + 1);
    target = target.substr(0, q);
  }
  if (target == "/api/v1/token") {
    if (req.method != "POST") return reply(json_error(405, "bad_method", "use POST"));
    return issue_token(req.body, req.remote, std::move(reply));
  }
  if (target == "/api/v1/accounts") {
    if (req.method != "POST") return reply(json_error(405, "bad_method", "use POST"));
    return create_account(req.body, std::move(reply));
  }
  // Everything else needs a bearer token.
  std::string_view auth = req.authorization;
  if (!auth.starts_with("Bearer ")) {
    return reply(json_error(401, codes::token_missing, "Authorization: Bearer <token> needed"));
  }
  const TokenCheck check = tokens_.verify(auth.substr(7), TokenService::now_s());
  if (!check.claims) return reply(json_error(401, check.code, check.reason));
  const TokenClaims& who = *check.claims;

  if (target == "/api/v1/stats") return stats(who, std::move(reply));
  if (target == "/api/v1/rooms") {
    if (req.method == "GET") return list_rooms(who, std::move(reply));
    if (req.method != "POST") return reply(json_error(405, "bad_method", "use GET or POST"));
    // The same words as create_room on the WebSocket, decoded the same way.
    const auto create = parse_create_room(req.body);
    if (const auto* e = std::get_if<RestError>(&create)) return reply(refused(*e));
    return rooms_.create(std::make_shared<ReplySubscriber>(std::move(reply)), who.user,
                         std::get<protocol::CreateRoom>(create));
  }
  constexpr std::string_view kChannels = "/api/v1/channels/";
  if (target.starts_with(kChannels) && target.ends_with("/publish")) {
    if (req.method != "POST") return reply(json_error(405, "bad_method", "use POST"));
    const std::string channel(
        target.substr(kChannels.size(), target.size() - kChannels.size() - 8));
    return publish(who, channel, req.body, std::move(reply));
  }
  constexpr std::string_view kRooms = "/api/v1/rooms/";
  if (target.starts_with(kRooms)) {
    std::string_view rest = target.substr(kRooms.size());
    const auto slash = rest.find('/');
    const std::string room(rest.substr(0, slash));
    if (auto v = validation::check_room(room); !v) return reply(json_error(400, v.code, v.reason));
    if (slash == std::string_view::npos) {
      if (req.method == "DELETE") {
        return rooms_.remove_room(std::make_shared<ReplySubscriber>(std::move(reply)), who.user,
                                  protocol::DeleteRoom{room});
      }
      if (req.method != "GET") return reply(json_error(405, "bad_method", "use GET or DELETE"));
      return room_details(who, room, std::move(reply));
    }
    if (rest.substr(slash) == "/messages") {
      if (req.method == "GET") return messages(who, room, query, std::move(reply));
      if (req.method == "POST") return post_message(who, room, req.body, std::move(reply));
      return reply(json_error(405, "bad_method", "use GET or POST"));
    }
  }
  reply(json_error(404, codes::not_found, "no such endpoint"));
}

void ApiRouter::issue_token(const std::string& body, const std::string& remote, Reply reply) {
  const auto parsed = parse_credentials(body);
  if (const auto* e = std::get_if<RestError>(&parsed)) return reply(refused(*e));
  const std::string name = std::get<Credentials>(parsed).name;
  const std::string password = std::get<Credentials>(parsed).password;
  if (auto refused_name = refuse_name(name, config_.max_name_bytes)) return reply(*refused_name);
  if (const auto wait = sign_ins_.wait(name, remote, SignInThrottle::Clock::now()); wait.count() > 0) {
    Json j{{"error", {{"code", codes::rate_limited},
                      {"message", "too many failed sign-ins; try again after retry_after_ms"},
                      {"retry_after_ms", wait.count()}}}};
    return reply({429, j.dump()});
  }
  const auto ttl = std::chrono::seconds(config_.token_ttl_s);
  history_.post({[this, name, password, remote, ttl, reply](
                     history::HistoryStore& store) -> HistoryWorker::Continuation {
                   auto account = store.find_account(name);
                   return [this, name, password, remote, ttl, reply, account = std::move(account)] {
                     if (!account) {
                       // No account under that name: a bare-name token, if allowed. A
                       // registered name can never be had without its password.
                       if (!config_.dev_login || !password.empty()) {
                         return refuse_sign_in(name, remote, reply);
                       }
                       TokenClaims c{name, "user", TokenService::now_s(), 0};
                       const std::string t = tokens_.issue(name, "user", ttl, c.issued_at);
                       c.expires_at = c.issued_at + ttl.count();
                       return reply({200, token_json(t, c)});
                     }
                     // The slow part runs on its own thread.
                     boost::asio::post(kdf_, [this, name, password, remote, ttl, reply, account] {
                       if (!verify_password(password, account->password_hash)) {
                         sign_ins_.failed(name, remote, SignInThrottle::Clock::now());
                         return reply(json_error(401, codes::bad_credentials,
                                                 "unknown name or wrong password"));
                       }
                       sign_ins_.succeeded(name);
                       TokenClaims c{account->name, account->role, TokenService::now_s(), 0};
                       const std::string t = tokens_.issue(c.user, c.role, ttl, c.issued_at);
                       c.expires_at = c.issued_at + ttl.count();
                       reply({200, token_json(t, c)});
                     });
                   };
                 },
                 [reply](const std::string&) {
                   reply(json_error(500, codes::internal, "could not read the accounts"));
                 }});
}

void ApiRouter::refuse_sign_in(const std::string& name, const std::string& remote, Reply reply) {
  boost::asio::post(kdf_, [this, name, remote, reply] {
    // The same work as checking a real account's password: timing tells nothing.
    (void)verify_password("not the password", decoy_hash_);
    sign_ins_.failed(name, remote, SignInThrottle::Clock::now());
    reply(json_error(401, codes::bad_credentials, "unknown name or wrong password"));
  });
}

void ApiRouter::create_account(const std::string& body, Reply reply) {
  if (!config_.open_registration) {
    return reply(json_error(403, codes::forbidden, "this server does not take registrations"));
  }
  const auto parsed = parse_credentials(body);
  if (const auto* e = std::get_if<RestError>(&parsed)) return reply(refused(*e));
  const std::string name = std::get<Credentials>(parsed).name;
  const std::string password = std::get<Credentials>(parsed).password;
  if (auto refused = refuse_name(name, config_.max_name_bytes)) return reply(*refused);
  if (password.size() < 8 || password.size() > 1024) {
    return reply(json_error(400, codes::bad_field, "password: 8 to 1024 bytes"));
  }
  boost::asio::post(kdf_, [this, name, password, reply] {
    const std::string hash = hash_password(password);
    history_.post({[this, name, hash, reply](
                       history::HistoryStore& store) -> HistoryWorker::Continuation {
                     // The first account of a server administers it.
                     const std::string role = store.account_count() == 0 ? "admin" : "user";
                     const bool made = store.create_account({name, hash, role});
                     if (made) accounts_.add(name);
                     return [reply, made, name, role] {
                       if (!made) {
                         return reply(json_error(409, codes::conflict, "that name is taken"));
                       }
                       reply({201, Json{{"user", name}, {"role", role}}.dump()});
                     };
                   },
                   [reply](const std::string&) {
                     reply(json_error(500, codes::internal, "the account was not stored"));
                   }});
  });
}

void ApiRouter::list_rooms(const TokenClaims& who, Reply reply) {
  history_.post({[user = who.user, reply](history::HistoryStore& store) -> HistoryWorker::Continuation {
                   std::string body = "{\"rooms\":[";
                   bool first = true;
                   for (const auto& r : store.rooms_of(user)) {
                     auto s = summary_of(r.room, r.role);
                     s.read_seq = r.read_seq;
                     s.unread = r.unread;
                     if (!first) body += ',';
                     first = false;
                     body += protocol::json_of(s);
                   }
                   body += "]}";
                   return [reply, body] { reply({200, body}); };
                 },
                 [reply](const std::string&) {
                   reply(json_error(500, codes::internal, "could not list the rooms"));
                 }});
}

void ApiRouter::room_details(const TokenClaims& who, const std::string& room, Reply reply) {
  history_.post({[user = who.user, room, reply](history::HistoryStore& store) -> HistoryWorker::Continuation {
                   const auto info = store.find_room(room);
                   const auto role = info ? store.member_role(room, user) : std::nullopt;
                   if (!info || !access::may_see(info->type, role)) {
                     return [reply] { reply(json_error(404, codes::not_found, "no such room")); };
                   }
                   std::string body = protocol::json_of(
                       details_of(store, *info, role.value_or(MemberRole::member)));
                   return [reply, body] { reply({200, body}); };
                 },
                 [reply](const std::string&) {
                   reply(json_error(500, codes::internal, "could not read the room"));
                 }});
}

void ApiRouter::messages(const TokenClaims& who, const std::string& room, std::string_view query,
                         Reply reply) {
  const auto parsed = parse_page_query(query);
  if (const auto* e = std::get_if<RestError>(&parsed)) return reply(refused(*e));
  const PageQuery page_query = std::get<PageQuery>(parsed);
  const std::uint32_t limit = page_query.limit;
  const auto after = page_query.after;
  const auto before = page_query.before;
  history_.post({[user = who.user, room, after, before, limit, reply](
                     history::HistoryStore& store) -> HistoryWorker::Continuation {
                   const auto info = store.find_room(room);
                   const auto role = info ? store.member_role(room, user) : std::nullopt;
                   if (!info || !access::may_enter(info->type, role) ||
                       (!role && info->type != protocol::RoomType::shared)) {
                     return [reply] { reply(json_error(404, codes::not_found, "no such room")); };
                   }
                   const auto page = after    ? store.after(room, *after, limit)
                                     : before ? store.before(room, *before, limit)
                                              : store.recent(room, limit);
                   std::string body = "{\"room\":" + Json(room).dump() +
                                      ",\"epoch\":" + Json(info->epoch).dump() +
                                      ",\"head_seq\":" + std::to_string(info->head_seq) +
                                      ",\"messages\":[";
                   for (std::size_t i = 0; i < page.size(); ++i) {
                     if (i > 0) body += ',';
                     body += protocol::json_of(page[i]);
                   }
                   body += "]}";
                   return [reply, body] { reply({200, body}); };
                 },
                 [reply](const std::string&) {
                   reply(json_error(500, codes::internal, "could not read the history"));
                 }});
}

void ApiRouter::post_message(const TokenClaims& who, const std::string& room,
                             const std::string& body, Reply reply) {
  const auto send = parse_send(body, room);
  if (const auto* e = std::get_if<RestError>(&send)) return reply(refused(*e));
  chat_.post_message(who.user, std::get<protocol::Send>(send), answer_with(std::move(reply)));
}

void ApiRouter::publish(const TokenClaims& who, const std::string& channel,
                        const std::string& body, Reply reply) {
  if (who.role != "service") {
    return reply(json_error(403, codes::forbidden, "publishing needs a service token"));
  }
  if (auto v = validation::check_room(channel); !v) return reply(json_error(400, v.code, v.reason));
  const auto send = parse_send(body, channel);
  if (const auto* e = std::get_if<RestError>(&send)) return reply(refused(*e));
  chat_.post_message(who.user, std::get<protocol::Send>(send), answer_with(std::move(reply)),
                     /*as_service=*/true);
}

void ApiRouter::stats(const TokenClaims& who, Reply reply) {
  if (who.role != "admin") return reply(json_error(403, codes::forbidden, "admins only"));
  history_.post({[this, reply](history::HistoryStore& store) -> HistoryWorker::Continuation {
                   const auto [rooms, events] = store.totals();
                   std::string body = Json{{"connections", connections_.load()},
                                           {"users_online", users_.user_count()},
                                           {"rooms", rooms},
                                           {"events", events}}
                                          .dump();
                   return [reply, body] { reply({200, body}); };
                 },
                 [reply](const std::string&) {
                   reply(json_error(500, codes::internal, "could not count"));
                 }});
}

}  // namespace parley::server
