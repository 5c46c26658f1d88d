// Who may do what in a room: pure rules, the same for the WebSocket and REST.
#pragma once

#include <optional>

#include "parley/protocol.hpp"

namespace parley::server::access {

using protocol::MemberRole;
using protocol::RoomType;

// Read its history, resume, receive its events, send to it. A shared room admits
// anyone signed in (joining makes them a member); private and group rooms only members.
bool may_enter(RoomType type, std::optional<MemberRole> role);
// See the room's details and members: whoever may enter.
inline bool may_see(RoomType type, std::optional<MemberRole> role) { return may_enter(type, role); }
// Invite, remove, change the assistant setting: the owner and admins.
bool may_manage(std::optional<MemberRole> role);
// Give `target` the role `wanted` (they now have `current`, if anything): managers may
// add members; only the owner makes or unmakes admins; nobody becomes a second owner;
// private rooms have their owner only.
bool may_grant(RoomType type, std::optional<MemberRole> caller, MemberRole wanted,
               std::optional<MemberRole> current);
// Remove `target`: the owner removes anyone but themselves; admins remove plain members.
bool may_remove(std::optional<MemberRole> caller, std::optional<MemberRole> target);
// Delete the room: its owner only.
inline bool may_delete(std::optional<MemberRole> role) { return role == MemberRole::owner; }

}  // namespace parley::server::access
