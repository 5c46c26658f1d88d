#include "room_service.hpp"

#include <algorithm>
#include <optional>
#include <variant>

#include "builtin_assistant.hpp"
#include "parley/codec.hpp"
#include "parley/error_codes.hpp"
#include "parley/validation.hpp"
#include "frames.hpp"
#include "room_access.hpp"

namespace parley::server {

namespace codes = parley::error_codes;
using namespace parley::protocol;
using history::HistoryStore;
using history::RoomInfo;

namespace {

Frame error_of(const char* code, std::string message, std::string ref) {
  return error_frame(code, std::move(message), std::move(ref));
}

// Outsiders of a private or group room learn nothing about it, not even that it exists
// beyond its name being taken: they get the answer a missing room gets.
Frame no_such_room(const std::string& room) {
  return error_of(codes::not_found, "no room '" + room + "' that you may see", room);
}

// What the asking user may know of a room: nothing (nullopt) when it does not exist or
// they may not see it.
struct Visible {
  RoomInfo info;
  std::optional<MemberRole> role;
};

std::optional<Visible> visible(HistoryStore& store, const std::string& room,
                               const std::string& user) {
  auto info = store.find_room(room);
  if (!info) return std::nullopt;
  auto role = store.member_role(room, user);
  if (!access::may_see(info->type, role)) return std::nullopt;
  return Visible{std::move(*info), role};
}

// The continuation that hands `frame` to the asking connection.
HistoryWorker::Continuation answer(const std::shared_ptr<Subscriber>& peer, Frame frame) {
  return [peer, frame = std::move(frame)] { peer->deliver(frame); };
}

}  // namespace

RoomSummary summary_of(const RoomInfo& info, MemberRole role) {
  return RoomSummary{info.name, info.type,     info.owner, info.assistant, role,
                     info.epoch, info.head_seq, 0,          0};
}

RoomDetails details_of(HistoryStore& store, const RoomInfo& info, MemberRole role) {
  return RoomDetails{summary_of(info, role), store.members(info.name)};
}

void RoomService::create(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                         const CreateRoom& m) {
  if (auto v = validation::check_room(m.room, max_room_bytes_); !v) {
    peer->deliver(error_of(v.code, v.reason, m.room));
    return;
  }
  history_.post({[peer, user, m, max = max_rooms_per_user_](
                     HistoryStore& store) -> HistoryWorker::Continuation {
                   if (store.rooms_owned(user) >= max) {
                     return answer(peer, error_of(codes::limit_exceeded,
                                                  "you own " + std::to_string(max) +
                                                      " rooms, the most allowed; delete one first",
                                                  m.room));
                   }
                   auto made = store.create_room(m.room, m.room_type, user, m.assistant);
                   return answer(peer, made ? frame_of(details_of(store, *made, MemberRole::owner))
                                            : error_of(codes::conflict,
                                                       "a room named '" + m.room + "' exists",
                                                       m.room));
                 },
                 [peer, room = m.room](const std::string&) {
                   peer->deliver(error_of(codes::internal, "the room could not be created", room));
                 }});
}

void RoomService::leave(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                        const Leave& m) {
  history_.post({[this, peer, user, m](HistoryStore& store) -> HistoryWorker::Continuation {
                   const auto role = store.member_role(m.room, user);
                   if (role == MemberRole::owner) {
                     return answer(peer, error_of(codes::forbidden,
                                                  "the owner cannot leave; delete the room instead",
                                                  m.room));
                   }
                   const bool was_member = role.has_value() && store.remove_member(m.room, user);
                   return [this, peer, user, m, was_member] {
                     fanout_.unsubscribe(m.room, peer.get());
                     peer->deliver(frame_of(Left{m.room}));
                     if (presence_.leave(m.room, user, peer.get()))
                       fanout_.publish(m.room, frame_of(Presence{m.room, user, false}));
                     if (was_member) {
                       fanout_.publish(m.room, frame_of(MemberChanged{m.room, user,
                                                                      MemberRole::member, true}));
                     }
                   };
                 },
                 [peer, room = m.room](const std::string&) {
                   peer->deliver(error_of(codes::internal, "could not leave the room", room));
                 }});
}

void RoomService::remove_room(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                              const DeleteRoom& m) {
  history_.post({[this, peer, user, m](HistoryStore& store) -> HistoryWorker::Continuation {
                   const auto seen = visible(store, m.room, user);
                   if (!seen) return answer(peer, no_such_room(m.room));
                   if (!access::may_delete(seen->role)) {
                     return answer(peer,
                                   error_of(codes::forbidden, "only the owner deletes a room", m.room));
                   }
                   const auto members = store.members(m.room);
                   const auto documents = store.documents().list(m.room);
                   store.delete_room(m.room);
                   // Files are kept by content: one goes when no document refers to it.
                   std::vector<std::string> orphaned;
                   for (const auto& d : documents) {
                     if (store.documents().count_with_hash(d.sha256) == 0 &&
                         std::find(orphaned.begin(), orphaned.end(), d.sha256) == orphaned.end())
                       orphaned.push_back(d.sha256);
                   }
                   return [this, peer, user, m, members, orphaned] {
                     // Every member's connections hear of it once, joined to the room or
                     // not (their room lists change); the owner asking is one of them,
                     // unless the request came some other way (REST).
                     fanout_.drop_room(m.room);
                     presence_.drop_room(m.room);
                     if (on_room_deleted_) on_room_deleted_(m.room, orphaned);
                     const Frame gone = frame_of(RoomDeleted{m.room});
                     for (const Member& member : members) users_.deliver(member.user, gone);
                     bool told = false;
                     for (const auto& c : users_.connections(user)) told = told || c == peer;
                     if (!told) peer->deliver(gone);
                   };
                 },
                 [peer, room = m.room](const std::string&) {
                   peer->deliver(error_of(codes::internal, "the room could not be deleted", room));
                 }});
}

void RoomService::list(const std::shared_ptr<Subscriber>& peer, const std::string& user) {
  history_.post({[peer, user](HistoryStore& store) -> HistoryWorker::Continuation {
                   RoomList list;
                   for (const auto& r : store.rooms_of(user)) {
                     RoomSummary summary = summary_of(r.room, r.role);
                     summary.read_seq = r.read_seq;
                     summary.unread = r.unread;
                     list.rooms.push_back(std::move(summary));
                   }
                   return answer(peer, frame_of(list));
                 },
                 [peer](const std::string&) {
                   peer->deliver(error_of(codes::internal, "could not list the rooms", ""));
                 }});
}

void RoomService::details(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                          const GetRoom& m) {
  history_.post({[peer, user, m](HistoryStore& store) -> HistoryWorker::Continuation {
                   const auto seen = visible(store, m.room, user);
                   return answer(peer, seen ? frame_of(details_of(store, seen->info,
                                                                  seen->role.value_or(MemberRole::member)))
                                            : no_such_room(m.room));
                 },
                 [peer, room = m.room](const std::string&) {
                   peer->deliver(error_of(codes::internal, "could not read the room", room));
                 }});
}

void RoomService::invite(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                         const Invite& m) {
  if (auto v = validation::check_name(m.user); !v) {
    peer->deliver(error_of(v.code, v.reason, m.user));
    return;
  }
  if (validation::same_name(m.user, BuiltinAssistant::kName)) {
    // The assistant answers by the room's assistant mode, never as a member.
    peer->deliver(error_of(codes::invalid_name, "that name belongs to the assistant", m.user));
    return;
  }
  history_.post({[this, peer, user, m](HistoryStore& store) -> HistoryWorker::Continuation {
                   const auto seen = visible(store, m.room, user);
                   if (!seen) return answer(peer, no_such_room(m.room));
                   const auto& info = seen->info;
                   const auto& role = seen->role;
                   const auto current = store.member_role(m.room, m.user);
                   if (!access::may_grant(info.type, role, m.role, current)) {
                     return answer(peer, error_of(codes::forbidden,
                                        info.type == RoomType::private_
                                            ? "a private room has its owner only"
                                            : "your role in this room does not allow that",
                                        m.room));
                   }
                   store.set_member(m.room, m.user, m.role);
                   Frame reply = frame_of(details_of(store, info, *role));
                   const bool newcomer = !current.has_value();
                   return [this, peer, m, reply, newcomer] {
                     const Frame changed = frame_of(MemberChanged{m.room, m.user, m.role, false});
                     fanout_.publish(m.room, changed);
                     // A newcomer cannot be joined to the room yet: tell them directly.
                     if (newcomer) users_.deliver(m.user, changed);
                     peer->deliver(reply);
                   };
                 },
                 [peer, room = m.room](const std::string&) {
                   peer->deliver(error_of(codes::internal, "the invitation failed", room));
                 }});
}

void RoomService::remove_member(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                                const RemoveMember& m) {
  history_.post({[this, peer, user, m](HistoryStore& store) -> HistoryWorker::Continuation {
                   const auto seen = visible(store, m.room, user);
                   if (!seen) return answer(peer, no_such_room(m.room));
                   const auto& info = seen->info;
                   const auto& role = seen->role;
                   const auto target = store.member_role(m.room, m.user);
                   if (!target) {
                     return answer(peer, error_of(codes::not_found, m.user + " is not a member", m.user));
                   }
                   if (!access::may_remove(role, target)) {
                     return answer(peer, error_of(codes::forbidden,
                                        "your role in this room does not allow that", m.room));
                   }
                   store.remove_member(m.room, m.user);
                   Frame reply = frame_of(details_of(store, info, *role));
                   return [this, peer, m, reply] {
                     const Frame changed =
                         frame_of(MemberChanged{m.room, m.user, MemberRole::member, true});
                     // The removed user's connections stop receiving the room now and
                     // hear of the removal once, whether they had joined it or not.
                     bool went = false;
                     for (const auto& s : users_.connections(m.user)) {
                       fanout_.unsubscribe(m.room, s.get());
                       went = presence_.leave(m.room, m.user, s.get()) || went;
                       s->deliver(changed);
                     }
                     fanout_.publish(m.room, changed);
                     if (went) fanout_.publish(m.room, frame_of(Presence{m.room, m.user, false}));
                     peer->deliver(reply);
                   };
                 },
                 [peer, room = m.room](const std::string&) {
                   peer->deliver(error_of(codes::internal, "the removal failed", room));
                 }});
}

void RoomService::set_assistant(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                                const SetAssistant& m) {
  history_.post({[peer, user, m](HistoryStore& store) -> HistoryWorker::Continuation {
                   const auto seen = visible(store, m.room, user);
                   if (!seen) return answer(peer, no_such_room(m.room));
                   if (!access::may_manage(seen->role)) {
                     return answer(peer, error_of(codes::forbidden,
                                                  "only the owner or an admin may", m.room));
                   }
                   store.set_assistant(m.room, m.assistant);
                   return answer(peer,
                                 frame_of(details_of(store, *store.find_room(m.room), *seen->role)));
                 },
                 [peer, room = m.room](const std::string&) {
                   peer->deliver(error_of(codes::internal, "the setting was not saved", room));
                 }});
}

}  // namespace parley::server
