#include "room_access.hpp"

namespace parley::server::access {

bool may_enter(RoomType type, std::optional<MemberRole> role) {
  return type == RoomType::shared || role.has_value();
}

bool may_manage(std::optional<MemberRole> role) {
  return role == MemberRole::owner || role == MemberRole::admin;
}

bool may_grant(RoomType type, std::optional<MemberRole> caller, MemberRole wanted,
               std::optional<MemberRole> current) {
  if (type == RoomType::private_ || wanted == MemberRole::owner) return false;
  if (current == MemberRole::owner) return false;
  if (caller == MemberRole::owner) return true;
  // Admins add plain members and leave admins alone.
  return caller == MemberRole::admin && wanted == MemberRole::member &&
         current != MemberRole::admin;
}

bool may_remove(std::optional<MemberRole> caller, std::optional<MemberRole> target) {
  if (!target || target == MemberRole::owner) return false;
  if (caller == MemberRole::owner) return true;
  return caller == MemberRole::admin && target == MemberRole::member;
}

}  // namespace parley::server::access
