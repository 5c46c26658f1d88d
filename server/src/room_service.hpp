// Rooms as things people manage: create, leave, delete, list, details, invitations,
// removals and the assistant setting. Every rule is checked against the store on the
// history worker, so what a member may do is decided by the same durable state every
// node sees, and nothing here blocks a network thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fanout.hpp"
#include "history_worker.hpp"
#include "parley/protocol.hpp"
#include "presence_registry.hpp"
#include "subscriber.hpp"
#include "user_directory.hpp"

namespace parley::server {

class RoomService {
 public:
  RoomService(HistoryWorker& history, Fanout& fanout, UserDirectory& users,
              PresenceRegistry& presence, std::size_t max_rooms_per_user,
              std::size_t max_room_bytes)
      : history_(history),
        fanout_(fanout),
        users_(users),
        presence_(presence),
        max_rooms_per_user_(max_rooms_per_user),
        max_room_bytes_(max_room_bytes) {}

  // `user` is the sender's accepted name; answers and errors go to `peer`.
  void create(const std::shared_ptr<Subscriber>& peer, const std::string& user,
              const protocol::CreateRoom& m);
  // The caller already stopped treating the room as joined.
  void leave(const std::shared_ptr<Subscriber>& peer, const std::string& user,
             const protocol::Leave& m);
  // Called after a room was deleted (its deletion committed), for what is kept elsewhere
  // about it: the conversation state, and the files of its documents that no other
  // room's document shares (`orphaned_files`, by SHA-256). Set once, before any request.
  using RoomDeletedHandler =
      std::function<void(const std::string& room, const std::vector<std::string>& orphaned_files)>;
  void on_room_deleted(RoomDeletedHandler callback) {
    on_room_deleted_ = std::move(callback);
  }
  void remove_room(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                   const protocol::DeleteRoom& m);
  void list(const std::shared_ptr<Subscriber>& peer, const std::string& user);
  void details(const std::shared_ptr<Subscriber>& peer, const std::string& user,
               const protocol::GetRoom& m);
  void invite(const std::shared_ptr<Subscriber>& peer, const std::string& user,
              const protocol::Invite& m);
  void remove_member(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                     const protocol::RemoveMember& m);
  void set_assistant(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                     const protocol::SetAssistant& m);

 private:
  HistoryWorker& history_;
  Fanout& fanout_;
  UserDirectory& users_;
  PresenceRegistry& presence_;
  std::size_t max_rooms_per_user_;
  std::size_t max_room_bytes_;  // for new rooms
  RoomDeletedHandler on_room_deleted_;
};

// The room's details as `store` holds them, with `role` as the asking user's role.
protocol::RoomDetails details_of(history::HistoryStore& store, const history::RoomInfo& info,
                                 protocol::MemberRole role);
protocol::RoomSummary summary_of(const history::RoomInfo& info, protocol::MemberRole role);

}  // namespace parley::server
